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

use crate::store::tokens;

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

pub use crate::store::tokens::TokenInfo;

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
    if !tokens::insert(pool, name, role.as_str(), &digest(&token), &now(), by).await? {
        anyhow::bail!("a token named '{name}' exists: choose another name (or revoke it first)")
    }
    Ok(token)
}

/// Revokes a token by name; false if there is no live token of that name.
pub async fn revoke(pool: &SqlitePool, name: &str) -> anyhow::Result<bool> {
    tokens::revoke(pool, name, &now()).await
}

/// Every token, oldest first.
pub async fn list(pool: &SqlitePool) -> anyhow::Result<Vec<TokenInfo>> {
    tokens::list(pool).await
}

/// The caller a secret belongs to, if it is a live token.
pub async fn check(pool: &SqlitePool, token: &str) -> anyhow::Result<Option<Caller>> {
    let row = tokens::live_by_hash(pool, &digest(token)).await?;
    Ok(row.and_then(|(name, role)| {
        Some(Caller {
            name,
            role: role.parse().ok()?,
        })
    }))
}
