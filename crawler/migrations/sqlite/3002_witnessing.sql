-- Co-signing witnesses (crawler::witness).
--
-- witnessed_heads: the heads of other nodes' logs this node accepted as their witness, every
-- one kept, append-only: each new head was checked to extend the one before it.
CREATE TABLE IF NOT EXISTS witnessed_heads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    size INTEGER NOT NULL,
    root TEXT NOT NULL,
    note TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS witnessed_heads_by_origin ON witnessed_heads (origin, id);
CREATE TRIGGER IF NOT EXISTS witnessed_heads_no_update BEFORE UPDATE ON witnessed_heads
BEGIN
    SELECT RAISE(ABORT, 'witnessed_heads is append-only');
END;
CREATE TRIGGER IF NOT EXISTS witnessed_heads_no_delete BEFORE DELETE ON witnessed_heads
BEGIN
    SELECT RAISE(ABORT, 'witnessed_heads is append-only');
END;

-- log_cosignatures: this node's heads as its co-signing witnesses returned them (the note
-- with the witness's signature added), and the size each witness has seen.
CREATE TABLE IF NOT EXISTS log_cosignatures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    witness TEXT NOT NULL,
    size INTEGER NOT NULL,
    cosigned TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_cosignatures_by_witness ON log_cosignatures (witness, id);
