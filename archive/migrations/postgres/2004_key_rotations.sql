-- As migrations/sqlite/2004: where the key rotation records are.
CREATE TABLE key_rotations (
    record_id TEXT PRIMARY KEY,
    old_fingerprint TEXT NOT NULL,
    new_fingerprint TEXT NOT NULL,
    rotated_at TEXT NOT NULL
);
