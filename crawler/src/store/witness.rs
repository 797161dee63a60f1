//! The co-signing witness's tables: other logs' heads this node accepted (`witnessed_heads`,
//! append-only), and this node's heads as its witnesses co-signed them (`log_cosignatures`).

use db::Db;

/// The newest head of `origin` this node accepted: (size, root in base64).
pub async fn latest(db: &Db, origin: &str) -> anyhow::Result<Option<(i64, String)>> {
    Ok(db::query(
        "SELECT size, root FROM witnessed_heads WHERE origin = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(origin)
    .fetch_optional(db)
    .await?)
}

/// Keeps a head of `origin` this node accepted.
pub async fn insert(
    db: &Db,
    origin: &str,
    size: u64,
    root: &str,
    note: &str,
    received_at: &str,
) -> anyhow::Result<()> {
    db::query(
        "INSERT INTO witnessed_heads (origin, size, root, note, received_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(origin)
    .bind(size as i64)
    .bind(root)
    .bind(note)
    .bind(received_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Every head this node accepted, of every log, oldest first.
pub async fn notes(db: &Db) -> anyhow::Result<Vec<String>> {
    Ok(db::query("SELECT note FROM witnessed_heads ORDER BY id")
        .scalars(db)
        .await?)
}

/// The size of this node's log that `witness` last co-signed (0 if none).
pub async fn cosigned_size(db: &Db, witness: &str) -> anyhow::Result<u64> {
    let size: Option<i64> =
        db::query("SELECT size FROM log_cosignatures WHERE witness = ? ORDER BY id DESC LIMIT 1")
            .bind(witness)
            .scalar_optional(db)
            .await?;
    Ok(size.unwrap_or(0) as u64)
}

/// Keeps a head of this node's log as `witness` co-signed it.
pub async fn insert_cosigned(
    db: &Db,
    witness: &str,
    size: u64,
    cosigned: &str,
    at: &str,
) -> anyhow::Result<()> {
    db::query("INSERT INTO log_cosignatures (witness, size, cosigned, at) VALUES (?, ?, ?, ?)")
        .bind(witness)
        .bind(size as i64)
        .bind(cosigned)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// Every co-signed head of this node's log, oldest first: (witness, note).
pub async fn cosigned(db: &Db) -> anyhow::Result<Vec<(String, String)>> {
    Ok(
        db::query("SELECT witness, cosigned FROM log_cosignatures ORDER BY id")
            .fetch_all(db)
            .await?,
    )
}
