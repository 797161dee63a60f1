-- When a node rotated away from each of its keys (index time; NULL while the key is its
-- node's own): verify on any node names a package signed by a retired key with the time of
-- its retirement. Set once, at the rotation; a row is never changed otherwise.
ALTER TABLE node_keys ADD COLUMN retired_at TEXT;
