-- Watchlists and their alerts (nightjar 0.2).

-- What analysts asked to be told about. A removed watch keeps its row (its alerts name it).
CREATE TABLE watches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- entity, text or regex
    rule TEXT NOT NULL,
    -- entity: "KIND:CANONICAL VALUE"; text: the phrase; regex: the expression
    pattern TEXT NOT NULL,
    seed TEXT,
    host TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    removed_at TEXT
);
CREATE UNIQUE INDEX watches_live_name ON watches(name) WHERE removed_at IS NULL;

-- One row per watch and capture that matched; also the delivery outbox: each configured
-- sink's delivery time, the attempts so far and when to try again.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    watch_id INTEGER NOT NULL,
    capture_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    host TEXT NOT NULL,
    seed TEXT,
    captured_at TEXT NOT NULL,
    -- the text digest of the capture's content: one alert per watch, page and content
    content_key TEXT NOT NULL,
    -- JSON array of what matched
    matched TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    -- written to the log, the audit log and the metrics
    announced INTEGER NOT NULL DEFAULT 0,
    webhook_at TEXT,
    command_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    gave_up INTEGER NOT NULL DEFAULT 0,
    UNIQUE (watch_id, capture_id)
);
CREATE INDEX alerts_same_content ON alerts(watch_id, url, content_key);
CREATE INDEX alerts_outbox ON alerts(gave_up, next_attempt_at);
