-- Host leases (issue 20): when several nodes share one frontier (PostgreSQL), a node fetches
-- from a host only while it holds the host's lease, so politeness holds across nodes. One row
-- per host that has had queued work: the holder (NULL: nobody), the fencing token (raised by
-- one each time the lease changes hands, and checked by every write the holder makes for a
-- URL of the host), and when the lease runs out unless renewed (ms since the epoch, by the
-- database server's clock). A single node on SQLite holds every host and never uses it; the
-- table is here so that both engines have one layout.
CREATE TABLE host_leases (
    host TEXT PRIMARY KEY,
    node TEXT,
    token INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX host_leases_node ON host_leases(node);
