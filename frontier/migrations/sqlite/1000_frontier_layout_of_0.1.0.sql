-- The frontier's tables as nightjar 0.1.0 made them (database layout 3). IF NOT EXISTS makes
-- this a no-op on a 0.1.0 data directory, so the first versioned start adopts it unchanged.

-- One row per seed the frontier has seen; `spec` is the seed's rules as JSON.
CREATE TABLE IF NOT EXISTS seeds (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    spec TEXT NOT NULL,
    cycle INTEGER NOT NULL DEFAULT 0,
    cycle_started INTEGER,
    cycle_finished INTEGER
);

-- One row per (seed, URL) ever reached: the queue and the recrawl schedule.
CREATE TABLE IF NOT EXISTS urls (
    id INTEGER PRIMARY KEY,
    seed_id INTEGER NOT NULL REFERENCES seeds(id),
    url TEXT NOT NULL,
    host TEXT NOT NULL,
    depth INTEGER NOT NULL,
    hops INTEGER NOT NULL DEFAULT 0,
    round INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER,
    interval_secs INTEGER,
    due_at INTEGER,
    queue_key INTEGER NOT NULL DEFAULT 0,
    gone_count INTEGER NOT NULL DEFAULT 0,
    via TEXT,
    note TEXT,
    UNIQUE (seed_id, url)
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls(state, seed_id, host, queue_key);
CREATE INDEX IF NOT EXISTS urls_due ON urls(seed_id, state, due_at);

-- The last robots.txt answer per host.
CREATE TABLE IF NOT EXISTS robots (
    host TEXT PRIMARY KEY,
    fetched_at INTEGER NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL
);
