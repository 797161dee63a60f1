//! Who may call the API: bearer tokens, each with one role.
//!
//! A token is shown once, when `nightjar token create` makes it; the database keeps only its
//! SHA-256 (tokens are 256 random bits, so a plain hash is as good as a slow one and a
//! lookup is a single indexed query). Revoked tokens stay listed, for the audit trail.

use db::Db;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::store::tokens;

pub use crate::actions::Role;

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

    /// The caller as the actions see it.
    pub fn as_actor(&self) -> crate::actions::Actor {
        crate::actions::Actor::token(&self.name, self.role)
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
pub async fn create(db: &Db, name: &str, role: Role, by: &str) -> anyhow::Result<String> {
    let name = name.trim();
    if name.is_empty() {
        anyhow::bail!("a token needs a name (--name), 1 to 64 characters");
    }
    archive::custody::text::short_text("token name", name, 64)?;
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let token = format!("nj_{}", hex::encode(secret));
    if !tokens::insert(db, name, role.as_str(), &digest(&token), &now(), by).await? {
        anyhow::bail!("a token named '{name}' exists: choose another name (or revoke it first)")
    }
    Ok(token)
}

/// Revokes a token by name; false if there is no live token of that name.
pub async fn revoke(db: &Db, name: &str) -> anyhow::Result<bool> {
    tokens::revoke(db, name, &now()).await
}

/// Every token, oldest first.
pub async fn list(db: &Db) -> anyhow::Result<Vec<TokenInfo>> {
    tokens::list(db).await
}

/// The caller a secret belongs to, if it is a live token.
pub async fn check(db: &Db, token: &str) -> anyhow::Result<Option<Caller>> {
    let row = tokens::live_by_hash(db, &digest(token)).await?;
    Ok(row.and_then(|(name, role)| {
        Some(Caller {
            name,
            role: role.parse().ok()?,
        })
    }))
}
