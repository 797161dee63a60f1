-- Signed tree heads of the archive's Merkle log (archive::custody::heads), newest last. A
-- new head is made when the log grew or the audit log's head moved. `peaks` is the log's
-- compact range at that size (32-byte hashes, left to right), from which the next head
-- extends the tree without reading every record again.
CREATE TABLE IF NOT EXISTS log_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    size INTEGER NOT NULL,
    root TEXT NOT NULL,
    audit_seq INTEGER,
    made_at TEXT NOT NULL,
    note TEXT NOT NULL,
    peaks BLOB NOT NULL,
    tsa_response BLOB
);
