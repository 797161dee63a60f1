-- As migrations/sqlite/3003: the nodes sharing this database and their heartbeats
-- (heartbeat_at in ms since the epoch, by this server's clock).
CREATE TABLE nodes (
    name TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid BIGINT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    data_dir TEXT NOT NULL,
    api TEXT,
    started_at TEXT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    stopped_at TEXT
);
