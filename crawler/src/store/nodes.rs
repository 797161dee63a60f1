//! The `nodes` table: the nodes sharing one PostgreSQL database, registered by their daemons
//! and kept fresh by a heartbeat (what `nightjar nodes` lists); and the claim on a node's
//! name, so that two daemons never run as one node.
//!
//! The claim is a PostgreSQL session advisory lock held on a connection of its own for the
//! daemon's life: the server lets it go the moment that connection ends, however the process
//! ended (a SIGKILL included), so a restarted node never waits for a heartbeat to grow old.

use db::Db;
use serde::Serialize;

/// The database server's clock in ms since the epoch (nodes are registered on PostgreSQL
/// only).
const NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

/// What a node says of itself at each heartbeat.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct NodeInfo {
    /// The node's name (`[node] name`).
    pub name: String,
    /// The machine it runs on.
    pub host: String,
    /// Its process ID.
    pub pid: i64,
    /// Its signing key's fingerprint.
    pub key_fingerprint: String,
    /// Its data directory (WARC files, key, custody log), on its machine.
    pub data_dir: String,
    /// Its API's base URL, if it serves one.
    pub api: Option<String>,
    /// When the daemon started (RFC 3339).
    pub started_at: String,
}

/// A node as the database knows it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct NodeRow {
    /// What it said of itself at its last heartbeat.
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub info: NodeInfo,
    /// When it stopped cleanly, if it did (and has not started since).
    pub stopped_at: Option<String>,
    /// Milliseconds since its last heartbeat, by the database server's clock.
    pub heartbeat_age_ms: i64,
}

/// Registers `info` or refreshes its heartbeat.
pub async fn heartbeat(db: &Db, info: &NodeInfo) -> anyhow::Result<()> {
    db::query_owned(format!(
        "INSERT INTO nodes (name, host, pid, key_fingerprint, data_dir, api, started_at,
            heartbeat_at, stopped_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, {NOW_MS}, NULL)
         ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid,
            key_fingerprint = excluded.key_fingerprint, data_dir = excluded.data_dir,
            api = excluded.api, started_at = excluded.started_at,
            heartbeat_at = excluded.heartbeat_at, stopped_at = NULL"
    ))
    .bind(&info.name)
    .bind(&info.host)
    .bind(info.pid)
    .bind(&info.key_fingerprint)
    .bind(&info.data_dir)
    .bind(&info.api)
    .bind(&info.started_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Adds node `node`'s signing key to the keys it has registered (nothing if it is there).
pub async fn record_key(db: &Db, node: &str, fingerprint: &str, at: &str) -> anyhow::Result<()> {
    insert_key(db, node, fingerprint, at).await?;
    Ok(())
}

async fn insert_key<'a>(
    on: impl Into<db::On<'a>>,
    node: &str,
    fingerprint: &str,
    at: &str,
) -> Result<u64, sqlx::Error> {
    db::query(
        "INSERT INTO node_keys (node, key_fingerprint, registered_at) VALUES (?, ?, ?)
         ON CONFLICT (node, key_fingerprint) DO NOTHING",
    )
    .bind(node)
    .bind(fingerprint)
    .bind(at)
    .execute(on)
    .await
}

/// Records node `node`'s key rotation at `at`: the new key registered, the old one retired.
pub async fn record_rotation(
    db: &Db,
    node: &str,
    old: &str,
    new: &str,
    at: &str,
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    db::query(
        "UPDATE node_keys SET retired_at = ? WHERE node = ? AND key_fingerprint = ?
         AND retired_at IS NULL",
    )
    .bind(at)
    .bind(node)
    .bind(old)
    .execute(&mut tx)
    .await?;
    insert_key(&mut tx, node, new, at).await?;
    tx.commit().await?;
    Ok(())
}

/// A key a node has registered.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NodeKeyRow {
    /// The node.
    pub node: String,
    /// The key's fingerprint (`sha256:…`).
    pub key_fingerprint: String,
    /// When the node rotated away from it (index time), if it did.
    pub retired_at: Option<String>,
}

/// Every key any node has registered, old ones included (none on SQLite).
pub async fn all_keys(db: &Db) -> anyhow::Result<Vec<NodeKeyRow>> {
    if !db.is_postgres() {
        return Ok(Vec::new());
    }
    Ok(db::query(
        "SELECT node, key_fingerprint, retired_at FROM node_keys
         UNION SELECT name, key_fingerprint, NULL FROM nodes
            WHERE NOT EXISTS (SELECT 1 FROM node_keys k
                WHERE k.node = nodes.name AND k.key_fingerprint = nodes.key_fingerprint)
         ORDER BY 1, 2",
    )
    .fetch_all(db)
    .await?)
}

/// Notes that node `name` stopped cleanly at `at` (RFC 3339).
pub async fn stopped(db: &Db, name: &str, at: &str) -> anyhow::Result<()> {
    db::query("UPDATE nodes SET stopped_at = ? WHERE name = ?")
        .bind(at)
        .bind(name)
        .execute(db)
        .await?;
    Ok(())
}

/// Every registered node, by name (none on SQLite).
pub async fn list(db: &Db) -> anyhow::Result<Vec<NodeRow>> {
    if !db.is_postgres() {
        return Ok(Vec::new());
    }
    Ok(db::query_owned(format!(
        "SELECT name, host, pid, key_fingerprint, data_dir, api, started_at, stopped_at,
            {NOW_MS} - heartbeat_at AS heartbeat_age_ms
         FROM nodes ORDER BY name"
    ))
    .fetch_all(db)
    .await?)
}

/// This process's claim on its node name: held while this lives.
#[cfg(feature = "postgres")]
pub struct NameClaim {
    _conn: sqlx::PgConnection,
}

/// Claims the node name `name` on the database at `url` for this process's life, or says
/// that another daemon runs under it.
#[cfg(feature = "postgres")]
pub async fn claim_name(url: &str, name: &str) -> anyhow::Result<NameClaim> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let claimed: bool = sqlx::query_scalar(
        "SELECT pg_try_advisory_lock(hashtextextended('nightjar node ' || $1, 0))",
    )
    .bind(name)
    .fetch_one(&mut conn)
    .await?;
    if !claimed {
        anyhow::bail!(
            "another nightjar daemon runs as node '{name}' on this database: give each node \
             its own [node] name in its config (or stop the other one first)"
        );
    }
    Ok(NameClaim { _conn: conn })
}
