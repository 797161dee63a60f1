-- The nodes sharing this database (issue 20), each registered by its daemon at start and
-- kept fresh by its heartbeat: its name, where it runs, its signing key's fingerprint (its
-- WARC records and custody log are its own), its data directory, the address of its API
-- (for reads of its records from another node), and its last heartbeat (ms since the
-- epoch). A single node on SQLite has no row here.
CREATE TABLE nodes (
    name TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    key_fingerprint TEXT NOT NULL,
    data_dir TEXT NOT NULL,
    api TEXT,
    started_at TEXT NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    stopped_at TEXT
);
