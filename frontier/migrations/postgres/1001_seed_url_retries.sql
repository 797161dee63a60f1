-- A seed's own URL that fails for good in a pass (its site unreachable) is tried again with
-- back-off before its next recrawl; this counts its failed passes in a row, which sets the
-- back-off. Other URLs keep 0.
ALTER TABLE urls ADD COLUMN failed_passes BIGINT NOT NULL DEFAULT 0;
