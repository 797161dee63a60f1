-- Legal holds and erasure requests (crawler::store::erasure, issue 23).
--
-- holds: a case's captures kept from erasure until the hold is released. A hold selects by
-- one of capture, url, seed or entity (`value`), within an optional time range
-- (`since`/`until`, captured_at), or by the time range alone (`range`). Released holds stay,
-- with who released them and why.
CREATE TABLE holds (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT,
    since TEXT,
    until TEXT,
    placed_by TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    released_by TEXT,
    released_at TEXT,
    release_reason TEXT
);
CREATE INDEX holds_by_case ON holds (case_id);

-- erasure_requests: an erasure asked for by one person and carried out only once a second
-- approves it. `target` is what was named (a capture ID, a URL, an entity value) until the
-- erasure is carried out or rejected; then a URL's or an entity's value is replaced by its
-- SHA-256, so that the request does not keep what it had erased.
CREATE TABLE erasure_requests (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_role TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    -- requested, approved, done, rejected
    state TEXT NOT NULL,
    decided_by TEXT,
    decided_role TEXT,
    decided_at TEXT,
    erasure_record TEXT,
    outcome TEXT
);
