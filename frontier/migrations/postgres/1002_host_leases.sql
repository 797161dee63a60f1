-- As migrations/sqlite/1002: one lease per host, held by one node at a time, with a fencing
-- token and an expiry (ms since the epoch, by this server's clock).
CREATE TABLE host_leases (
    host TEXT PRIMARY KEY,
    node TEXT,
    token BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX host_leases_node ON host_leases(node);
