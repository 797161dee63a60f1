-- Several nodes sharing one database (issue 20): each keeps its own WARC files, its own
-- hash chain and Merkle log and its own key, so what is a node's is stored under its name.
-- A single node's name is empty, which is what every row written before this had.
ALTER TABLE warc_records ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE captures ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE log_checkpoints ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE key_rotations ADD COLUMN node TEXT NOT NULL DEFAULT '';
-- Chain positions and file places are unique per node.
DROP INDEX warc_records_seq;
CREATE UNIQUE INDEX warc_records_seq ON warc_records(node, seq);
DROP INDEX warc_records_place;
CREATE UNIQUE INDEX warc_records_place ON warc_records(node, file, file_offset);
CREATE INDEX log_checkpoints_node ON log_checkpoints(node, id);
