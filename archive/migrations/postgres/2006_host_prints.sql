-- Host fingerprints for look-alike and clone detection, as migrations/sqlite/2006.
CREATE TABLE host_prints (
    capture_id BIGINT PRIMARY KEY,
    host TEXT NOT NULL,
    captured_at TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    dom_hash TEXT,
    title TEXT,
    headers_hash TEXT,
    simhash BIGINT,
    favicon_sha256 TEXT
);
CREATE INDEX host_prints_by_host ON host_prints (host, kind, captured_at);
