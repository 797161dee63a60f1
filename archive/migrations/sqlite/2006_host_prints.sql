-- Host fingerprints for look-alike and clone detection (archive::lookalike, issue 22).
--
-- One row per capture of a host's root page (`page`) or its /favicon.ico (`favicon`), with
-- the fingerprints phishing-clone studies use: the sequence of tag names (a hash), the
-- title, the order of the response's header names (a hash), the text's simhash, and the
-- favicon's SHA-256. Written when the capture is indexed.
CREATE TABLE host_prints (
    capture_id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    dom_hash TEXT,
    title TEXT,
    headers_hash TEXT,
    simhash INTEGER,
    favicon_sha256 TEXT
);
CREATE INDEX host_prints_by_host ON host_prints (host, kind, captured_at);
