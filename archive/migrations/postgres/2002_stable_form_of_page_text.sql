-- As migrations/sqlite/2002: the digest of a page text's stable form.
ALTER TABLE capture_text ADD COLUMN stable_digest TEXT;
