-- The stable form of a page's text and links (nightjar 0.2, issue 16): volatile tokens
-- (clocks, counters, session IDs, a seed's ignore patterns) replaced or removed, digested.
-- Two captures with the same stable digest differ only in such tokens and are `cosmetic`.
-- Rows written before have none and are compared by their exact digests, as then.
ALTER TABLE capture_text ADD COLUMN stable_digest TEXT;
