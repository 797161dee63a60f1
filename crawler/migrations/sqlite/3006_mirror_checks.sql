-- Signed mirror lists and canaries (crawler::mirrors, issue 22).
--
-- mirror_checks: one row per fetched mirror file of a seed that checks them (its capture
-- holds the bytes), with what the check found. Append-only: a site's mirrors and canary
-- over time are its checks in order.
CREATE TABLE mirror_checks (
    id INTEGER PRIMARY KEY,
    capture_id INTEGER NOT NULL UNIQUE,
    -- the site (the seed's `site`, else its label), the seed, and the host served from
    site TEXT NOT NULL,
    seed TEXT NOT NULL,
    host TEXT NOT NULL,
    -- pgp, mirrors, canary or related
    file TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    -- verified, unsigned, other-key, bad-signature, no-pinned-key or missing
    status TEXT NOT NULL,
    -- the signer's fingerprint, and the signature's time
    signer TEXT,
    signed_at TEXT,
    -- a canary's date, block hash, age in days and lateness (0 or 1)
    canary_date TEXT,
    canary_block TEXT,
    canary_age_days INTEGER,
    canary_late INTEGER,
    -- why this is a problem (NULL when it is not one)
    problem TEXT,
    -- JSON array of lines of the list refused (invalid addresses)
    refused TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX mirror_checks_by_site ON mirror_checks (site, checked_at);
CREATE TRIGGER mirror_checks_no_update BEFORE UPDATE ON mirror_checks
BEGIN
    SELECT RAISE(ABORT, 'mirror_checks is append-only');
END;

-- mirror_listed: what each checked list names (onion hosts; for pgp.txt, fingerprints).
-- The addresses of a check whose status is `verified` are the site's mirrors at that time.
CREATE TABLE mirror_listed (
    check_id INTEGER NOT NULL REFERENCES mirror_checks (id),
    value TEXT NOT NULL,
    PRIMARY KEY (check_id, value)
);
CREATE INDEX mirror_listed_by_value ON mirror_listed (value);
