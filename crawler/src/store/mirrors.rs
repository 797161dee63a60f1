//! The `mirror_checks` and `mirror_listed` tables: each fetched mirror file of a seed that
//! checks them, what the check found, and what the file lists. Written in the transaction
//! that indexes the file's capture; never updated.

use db::{Db, Tx};
use serde::Serialize;

/// A check to record.
pub struct NewCheck<'a> {
    /// The capture of the file.
    pub capture_id: i64,
    /// The site (the seed's `site`, else its label).
    pub site: &'a str,
    /// The seed.
    pub seed: &'a str,
    /// The host it was served from.
    pub host: &'a str,
    /// When it was checked (index time format).
    pub checked_at: &'a str,
    /// What the check found.
    pub checked: &'a crate::mirrors::Checked,
}

/// Records a check and what its file lists. Returns its row id.
pub async fn record(tx: &mut Tx, c: &NewCheck<'_>) -> anyhow::Result<i64> {
    let k = c.checked;
    let canary = k.canary.as_ref();
    let id: i64 = db::query(
        "INSERT INTO mirror_checks (capture_id, site, seed, host, file, checked_at, status,
             signer, signed_at, canary_date, canary_block, canary_age_days, canary_late,
             problem, refused)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(c.capture_id)
    .bind(c.site)
    .bind(c.seed)
    .bind(c.host)
    .bind(k.file.as_str())
    .bind(c.checked_at)
    .bind(k.status.as_str())
    .bind(k.signer.as_deref())
    .bind(
        k.signed_at
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    )
    .bind(canary.and_then(|c| c.date).map(|d| d.to_string()))
    .bind(canary.and_then(|c| c.block.clone()))
    .bind(canary.and_then(|c| c.age_days))
    .bind(canary.map(|c| i64::from(c.late)))
    .bind(k.problem.as_deref())
    .bind(serde_json::to_string(&k.refused)?)
    .scalar(&mut *tx)
    .await?;
    // What the file lists, in one statement per 400 values (a list is a few dozen).
    for chunk in k.listed.chunks(400) {
        let rows = vec!["(?, ?)"; chunk.len()].join(", ");
        db::query_owned(format!(
            "INSERT INTO mirror_listed (check_id, value) VALUES {rows} ON CONFLICT DO NOTHING"
        ))
        .bind_all(
            chunk
                .iter()
                .flat_map(|v| [db::Value::from(id), db::Value::from(v.clone())]),
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(id)
}

/// Whether the site's `file` ever verified before (a canary that stops being served after
/// it had been is an alert; one a site never published is not).
pub async fn verified_before(tx: &mut Tx, site: &str, file: &str) -> anyhow::Result<bool> {
    Ok(db::query(
        "SELECT EXISTS (SELECT 1 FROM mirror_checks
                        WHERE site = ? AND file = ? AND status = 'verified')",
    )
    .bind(site)
    .bind(file)
    .scalar(&mut *tx)
    .await?)
}

/// A check as stored.
#[derive(Clone, Debug, sqlx::FromRow, Serialize)]
pub struct CheckRow {
    /// Row id.
    pub id: i64,
    /// The capture of the file.
    pub capture_id: i64,
    /// The site.
    pub site: String,
    /// The seed.
    pub seed: String,
    /// The host.
    pub host: String,
    /// `pgp`, `mirrors`, `canary` or `related`.
    pub file: String,
    /// When.
    pub checked_at: String,
    /// What the check found (see [`crate::mirrors::CheckStatus`]).
    pub status: String,
    /// The signer's fingerprint.
    pub signer: Option<String>,
    /// The signature's time.
    pub signed_at: Option<String>,
    /// A canary's date.
    pub canary_date: Option<String>,
    /// A canary's block hash.
    pub canary_block: Option<String>,
    /// A canary's age in days at the check.
    pub canary_age_days: Option<i64>,
    /// Whether the canary was late (1) or not (0).
    pub canary_late: Option<i64>,
    /// Why this is a problem.
    pub problem: Option<String>,
    /// JSON array of refused lines.
    pub refused: String,
}

const CHECK_COLUMNS: &str = "id, capture_id, site, seed, host, file, checked_at, status, \
    signer, signed_at, canary_date, canary_block, canary_age_days, canary_late, problem, refused";

/// The site's checks, newest first, at most `limit`.
pub async fn checks(db: &Db, site: &str, limit: i64) -> anyhow::Result<Vec<CheckRow>> {
    Ok(db::query_owned(format!(
        "SELECT {CHECK_COLUMNS} FROM mirror_checks WHERE site = ? ORDER BY checked_at DESC, id DESC LIMIT ?"
    ))
    .bind(site)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The newest check of each file of each site.
pub async fn latest(db: &Db) -> anyhow::Result<Vec<CheckRow>> {
    Ok(db::query_owned(format!(
        "SELECT {CHECK_COLUMNS} FROM mirror_checks c
         WHERE id = (SELECT max(id) FROM mirror_checks d WHERE d.site = c.site AND d.file = c.file)
         ORDER BY site, file"
    ))
    .fetch_all(db)
    .await?)
}

/// What the given checks list, as (check id, value).
pub async fn listed(db: &Db, check_ids: &[i64]) -> anyhow::Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in check_ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let rows: Vec<(i64, String)> = db::query_owned(format!(
            "SELECT check_id, value FROM mirror_listed WHERE check_id IN ({marks}) ORDER BY check_id, value"
        ))
        .bind_all(chunk.iter().map(|&i| i.into()))
        .fetch_all(db)
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// One address a site's verified mirror lists named: when first and last, in how many
/// verified lists.
#[derive(Clone, Debug, sqlx::FromRow, Serialize)]
pub struct ListedAddress {
    /// The onion host.
    pub address: String,
    /// The first verified list naming it.
    pub first_listed: String,
    /// The last.
    pub last_listed: String,
    /// How many verified lists named it.
    pub lists: i64,
}

/// Every address the site's verified `mirrors.txt` named, oldest first.
pub async fn verified_addresses(db: &Db, site: &str) -> anyhow::Result<Vec<ListedAddress>> {
    Ok(db::query(
        "SELECT l.value AS address, min(c.checked_at) AS first_listed,
                max(c.checked_at) AS last_listed, count(*) AS lists
         FROM mirror_checks c JOIN mirror_listed l ON l.check_id = c.id
         WHERE c.site = ? AND c.file = 'mirrors' AND c.status = 'verified'
         GROUP BY l.value ORDER BY min(c.checked_at), l.value",
    )
    .bind(site)
    .fetch_all(db)
    .await?)
}
