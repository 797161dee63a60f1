-- Key rotations (archive::custody::rotation): the rotation records in the archive, by
-- record ID, so that an export can carry them without reading every metadata record. The
-- record itself, chained and under the log, is the evidence; this is only where it is.
CREATE TABLE IF NOT EXISTS key_rotations (
    record_id TEXT PRIMARY KEY,
    old_fingerprint TEXT NOT NULL,
    new_fingerprint TEXT NOT NULL,
    rotated_at TEXT NOT NULL
);
