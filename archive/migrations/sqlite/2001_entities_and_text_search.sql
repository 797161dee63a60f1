-- The entity ledger and the full-text index (nightjar 0.2): what analysts search the
-- archive by. Both are derived from archived records and can be rebuilt from them
-- (`nightjar reindex --entities`); neither is evidence itself.

-- One row per distinct entity (kind and canonical value), with its ledger totals.
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    -- JSON: facts that come with the value (a PGP key's creation time and user IDs).
    detail TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    captures INTEGER NOT NULL DEFAULT 0,
    hosts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, value)
);
CREATE INDEX entities_last_seen ON entities(last_seen);
CREATE INDEX entities_hosts ON entities(hosts, last_seen);

-- One row per entity per capture it appeared in.
CREATE TABLE entity_sightings (
    entity_id INTEGER NOT NULL,
    capture_id INTEGER NOT NULL,
    seen_at TEXT NOT NULL,
    url TEXT NOT NULL,
    host TEXT NOT NULL,
    seed TEXT,
    -- bit 0: written without its checksum (EIP-55); bit 1: found after deobfuscation.
    flags INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, capture_id)
) WITHOUT ROWID;
CREATE INDEX entity_sightings_capture ON entity_sightings(capture_id);
CREATE INDEX entity_sightings_seed ON entity_sightings(seed, entity_id);

-- Per entity and host: when it was first and last seen there.
CREATE TABLE entity_hosts (
    entity_id INTEGER NOT NULL,
    host TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    captures INTEGER NOT NULL,
    PRIMARY KEY (entity_id, host)
) WITHOUT ROWID;

-- Captures whose payload was looked at for entities (with or without a find), so that
-- the backfill resumes where it stopped and never counts a capture twice.
CREATE TABLE entity_scans (
    capture_id INTEGER PRIMARY KEY,
    found INTEGER NOT NULL
);

-- Full-text index of each distinct page text (rowid = capture_text.capture_id). No copy
-- of the text: snippets come from capture_text. CJK runs are indexed as overlapping
-- bigrams (see archive::search), everything else by unicode61 without diacritics.
CREATE VIRTUAL TABLE text_search USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Search results join each indexed text to the captures that have it.
CREATE INDEX changes_content ON changes(content_id);
