-- The daemon's own tables as nightjar 0.1.0 made them (database layout 3). IF NOT EXISTS
-- makes this a no-op on a 0.1.0 data directory, so the first versioned start adopts it.

-- Who changed the seed set, and when.
CREATE TABLE IF NOT EXISTS seed_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    label TEXT NOT NULL,
    file TEXT NOT NULL,
    detail TEXT NOT NULL
);

-- API tokens: only the SHA-256 of each secret is kept.
CREATE TABLE IF NOT EXISTS api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
);

-- The hash-chained audit log; the triggers keep it append-only.
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY,
    prev INTEGER NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL,
    result TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Export jobs started through the API.
CREATE TABLE IF NOT EXISTS export_jobs (
    id INTEGER PRIMARY KEY,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    case_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    captures INTEGER,
    bytes INTEGER,
    error TEXT,
    finished_at TEXT
);
