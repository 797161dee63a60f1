-- As migrations/sqlite/2005: each node keeps its own WARC files, hash chain, Merkle log and
-- key, so what is a node's is stored under its name (empty for a single node).
ALTER TABLE warc_records ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE captures ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE log_checkpoints ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE key_rotations ADD COLUMN node TEXT NOT NULL DEFAULT '';
DROP INDEX warc_records_seq;
CREATE UNIQUE INDEX warc_records_seq ON warc_records(node, seq);
DROP INDEX warc_records_place;
CREATE UNIQUE INDEX warc_records_place ON warc_records(node, file, file_offset);
CREATE INDEX log_checkpoints_node ON log_checkpoints(node, id);
