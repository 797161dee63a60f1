-- Every signing key each node sharing this database has registered (issue 20): a node's
-- row in `nodes` names its key of the moment, and a key rotation replaces it there; a
-- package that node signed before the rotation is still the office's, so verify on any
-- node accepts the keys listed here (by fingerprint), and names a retired key with the
-- time its node rotated away from it (retired_at, index time). A row is added at each
-- start whose key is new and at each rotation; only retired_at is ever set later. A
-- single node on SQLite has no row here.
CREATE TABLE node_keys (
    node TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    retired_at TEXT,
    PRIMARY KEY (node, key_fingerprint)
);
