-- Erasure that the chain of custody survives (archive::erasure, issue 23).
--
-- erasures: one row per erasure carried out (or under way), with the WARC-Record-ID of the
-- signed erasure record it wrote into the archive. `done` is 0 from the moment that record
-- is written until every frame it names is blank; a start finishes what a crash left.
CREATE TABLE erasures (
    id INTEGER PRIMARY KEY,
    node TEXT NOT NULL DEFAULT '',
    record_id TEXT NOT NULL UNIQUE,
    -- retention or request
    basis TEXT NOT NULL,
    -- the policy or the request, in words
    detail TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    approved_by TEXT,
    reason TEXT NOT NULL,
    erased_at TEXT NOT NULL,
    captures INTEGER NOT NULL,
    records INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0
);

-- Each erased capture, so that its ID is never given to another capture (SQLite would reuse
-- the highest ID once deleted) and an export or a link that names it can say it was erased.
CREATE TABLE erased_captures (
    capture_id INTEGER PRIMARY KEY,
    erasure_id INTEGER NOT NULL,
    captured_at TEXT NOT NULL
);
CREATE INDEX erased_captures_by_erasure ON erased_captures (erasure_id);

-- A record row stays as the erased record's tombstone: its ID, digests and chain position,
-- which the chain and the transparency log are computed over. `erasure_id` says which
-- erasure blanked its frame.
ALTER TABLE warc_records ADD COLUMN erasure_id INTEGER;
