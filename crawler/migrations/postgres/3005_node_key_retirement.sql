-- As migrations/sqlite/3005: when a node rotated away from each of its keys.
ALTER TABLE node_keys ADD COLUMN retired_at TEXT;
