-- Every signing key each node sharing this database has registered (issue 20): a node's
-- row in `nodes` names its key of the moment, and a key rotation replaces it there; a
-- package that node signed before the rotation is still the office's, so verify on any
-- node accepts the keys listed here (by fingerprint). Appended at each start whose key is
-- new; never changed. A single node on SQLite has no row here.
CREATE TABLE node_keys (
    node TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    PRIMARY KEY (node, key_fingerprint)
);
