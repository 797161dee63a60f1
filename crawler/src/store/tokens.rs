//! The `api_tokens` table: each token's name, role and the SHA-256 of its secret (never the
//! secret). What a token may do is [`crate::api::access`]'s.

use db::Db;
use serde::Serialize;

/// A token as listed (never the secret).
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct TokenInfo {
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
    /// When it was made.
    pub created_at: String,
    /// By whom (Unix user).
    pub created_by: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// Stores a new token; false if a token of that name exists (revoked or not).
pub async fn insert(
    db: &Db,
    name: &str,
    role: &str,
    hash: &str,
    created_at: &str,
    created_by: &str,
) -> anyhow::Result<bool> {
    let inserted = db::query(
        "INSERT INTO api_tokens (name, role, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(name)
    .bind(role)
    .bind(hash)
    .bind(created_at)
    .bind(created_by)
    .execute(db)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Marks the live token `name` revoked at `at`; false if there is none.
pub async fn revoke(db: &Db, name: &str, at: &str) -> anyhow::Result<bool> {
    let done =
        db::query("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
            .bind(at)
            .bind(name)
            .execute(db)
            .await?;
    Ok(done == 1)
}

/// Every token, oldest first.
pub async fn list(db: &Db) -> anyhow::Result<Vec<TokenInfo>> {
    Ok(db::query(
        "SELECT name, role, created_at, created_by, revoked_at FROM api_tokens ORDER BY id",
    )
    .fetch_all(db)
    .await?)
}

/// The name and role of the live token whose secret hashes to `hash`.
pub async fn live_by_hash(db: &Db, hash: &str) -> anyhow::Result<Option<(String, String)>> {
    Ok(
        db::query("SELECT name, role FROM api_tokens WHERE hash = ? AND revoked_at IS NULL")
            .bind(hash)
            .fetch_optional(db)
            .await?,
    )
}
