-- The archive's tables as nightjar 0.1.0 made them (database layout 3). IF NOT EXISTS makes
-- this a no-op on a 0.1.0 data directory, so the first versioned start adopts it unchanged.

-- One row per WARC record: where it is, its digests, and its place in the hash chain.
CREATE TABLE IF NOT EXISTS warc_records (
    record_id TEXT PRIMARY KEY,
    warc_type TEXT NOT NULL,
    file TEXT NOT NULL,
    file_offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    record_digest TEXT NOT NULL,
    frame_digest TEXT NOT NULL,
    capture_id INTEGER,
    seq INTEGER NOT NULL,
    chain TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS warc_records_place ON warc_records(file, file_offset);
CREATE UNIQUE INDEX IF NOT EXISTS warc_records_seq ON warc_records(seq);

-- One row per capture attempt: a response or revisit, or a fetch that failed.
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    surt TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    status INTEGER NOT NULL,
    mime TEXT,
    payload_digest TEXT,
    record_digest TEXT,
    frame_digest TEXT,
    record_id TEXT,
    file TEXT,
    file_offset INTEGER,
    length INTEGER,
    truncated TEXT,
    error TEXT,
    error_class TEXT,
    seed TEXT,
    warc_type TEXT,
    refers_to TEXT,
    etag TEXT,
    last_modified TEXT,
    location TEXT
);
CREATE INDEX IF NOT EXISTS captures_url ON captures(url, captured_at);
CREATE INDEX IF NOT EXISTS captures_surt ON captures(surt, captured_at);
CREATE INDEX IF NOT EXISTS captures_record ON captures(record_id);

-- The change index: each capture's class relative to the capture of its URL before it.
CREATE TABLE IF NOT EXISTS changes (
    capture_id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    host TEXT NOT NULL,
    seed TEXT,
    captured_at TEXT NOT NULL,
    status INTEGER NOT NULL,
    class TEXT NOT NULL,
    prev_id INTEGER,
    base_id INTEGER,
    similarity REAL,
    content_id INTEGER
);
CREATE INDEX IF NOT EXISTS changes_time ON changes(captured_at);
CREATE INDEX IF NOT EXISTS changes_url ON changes(url, capture_id);

-- Visible text and links of each distinct HTML or text payload, zstd-compressed.
CREATE TABLE IF NOT EXISTS capture_text (
    capture_id INTEGER PRIMARY KEY,
    text BLOB NOT NULL,
    links BLOB NOT NULL,
    text_digest TEXT NOT NULL,
    links_digest TEXT NOT NULL,
    simhash INTEGER NOT NULL
);
