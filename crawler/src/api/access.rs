//! Who may call the API: bearer tokens, each with one role.
//!
//! A token is shown once, when `nightjar token create` makes it; the database keeps only its
//! SHA-256 (tokens are 256 random bits, so a plain hash is as good as a slow one and a
//! lookup is a single indexed query). Revoked tokens stay listed, for the audit trail.

use std::fmt;
use std::str::FromStr;

use rand_core::{OsRng, RngCore};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

/// The tokens' table.
pub const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
)";

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Seeds and crawl control.
    Operator,
    /// Reading captures, changes and diffs; exports.
    Analyst,
    /// Reading the audit log.
    Auditor,
}

impl Role {
    /// The role's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "operator" => Ok(Role::Operator),
            "analyst" => Ok(Role::Analyst),
            "auditor" => Ok(Role::Auditor),
            _ => Err(format!(
                "'{s}' is not a role: use operator, analyst or auditor"
            )),
        }
    }
}

/// A caller whose token checked out.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The token's name.
    pub name: String,
    /// Its role.
    pub role: Role,
}

impl Caller {
    /// How the audit log names this caller.
    pub fn actor(&self) -> String {
        format!("token:{}", self.name)
    }
}

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

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Makes a token; returns the secret (shown once).
pub async fn create(pool: &SqlitePool, name: &str, role: Role, by: &str) -> anyhow::Result<String> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
        anyhow::bail!("a token name is 1 to 64 printable characters");
    }
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let token = format!("nj_{}", hex::encode(secret));
    let inserted = sqlx::query(
        "INSERT INTO api_tokens (name, role, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(name)
    .bind(role.as_str())
    .bind(digest(&token))
    .bind(now())
    .bind(by)
    .execute(pool)
    .await;
    match inserted {
        Ok(_) => Ok(token),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            anyhow::bail!("a token named '{name}' exists: choose another name (or revoke it first)")
        }
        Err(e) => Err(e.into()),
    }
}

/// Revokes a token by name; false if there is no live token of that name.
pub async fn revoke(pool: &SqlitePool, name: &str) -> anyhow::Result<bool> {
    let done =
        sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
            .bind(now())
            .bind(name)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Every token, oldest first.
pub async fn list(pool: &SqlitePool) -> anyhow::Result<Vec<TokenInfo>> {
    Ok(sqlx::query_as(
        "SELECT name, role, created_at, created_by, revoked_at FROM api_tokens ORDER BY id",
    )
    .fetch_all(pool)
    .await?)
}

/// The caller a secret belongs to, if it is a live token.
pub async fn check(pool: &SqlitePool, token: &str) -> anyhow::Result<Option<Caller>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name, role FROM api_tokens WHERE hash = ? AND revoked_at IS NULL")
            .bind(digest(token))
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(name, role)| {
        Some(Caller {
            name,
            role: role.parse().ok()?,
        })
    }))
}
