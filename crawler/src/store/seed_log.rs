//! The `seed_log` table: who changed the seed set, and when. The edits themselves are
//! [`crate::seed_admin`]'s.

use db::Db;

/// One logged change.
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct LoggedChange {
    /// When (RFC 3339).
    pub at: String,
    /// Who: the Unix user (and the one behind sudo).
    pub user: String,
    /// add, remove, enable, disable, import.
    pub action: String,
    /// The seed.
    pub label: String,
    /// The seed file.
    pub file: String,
    /// What changed, in words.
    pub detail: String,
}

/// Logs one change.
pub async fn insert(db: &Db, change: &LoggedChange) -> anyhow::Result<()> {
    db::query(
        "INSERT INTO seed_log (at, \"user\", action, label, file, detail) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&change.at)
    .bind(&change.user)
    .bind(&change.action)
    .bind(&change.label)
    .bind(&change.file)
    .bind(&change.detail)
    .execute(db)
    .await?;
    Ok(())
}

/// The change log, oldest first.
pub async fn all(db: &Db) -> anyhow::Result<Vec<LoggedChange>> {
    Ok(
        db::query("SELECT at, \"user\", action, label, file, detail FROM seed_log ORDER BY id")
            .fetch_all(db)
            .await?,
    )
}
