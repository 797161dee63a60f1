-- As migrations/sqlite/3004: every signing key each node has registered.
CREATE TABLE node_keys (
    node TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    PRIMARY KEY (node, key_fingerprint)
);
