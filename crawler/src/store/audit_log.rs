//! The `audit_log` table: append-only (its triggers refuse updates and deletes), one entry
//! per row. What an entry says and how it is hashed is [`crate::audit`]'s.

use db::{Db, Pool};

use crate::audit::Entry;

/// Appends the entry `build` makes from the current head (`None` for an empty log: the
/// previous entry's seq and hash), under SQLite's write lock so that two writers never
/// extend the same head.
pub async fn append(
    db: &Db,
    build: impl Fn(Option<(i64, String)>) -> Entry,
) -> anyhow::Result<Entry> {
    let Pool::Sqlite(pool) = db.pool();
    for _attempt in 0..20 {
        // BEGIN IMMEDIATE takes the write lock before the head is read: writers queue (up
        // to the busy timeout) instead of racing for the same head.
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        let entry = build(head);
        let inserted = sqlx::query(
            "INSERT INTO audit_log (seq, prev, at, actor, role, action, target, reason, result, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(entry.seq)
        .bind(entry.prev)
        .bind(&entry.at)
        .bind(&entry.actor)
        .bind(&entry.role)
        .bind(&entry.action)
        .bind(&entry.target)
        .bind(&entry.reason)
        .bind(&entry.result)
        .bind(&entry.hash)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {
                tx.commit().await?;
                return Ok(entry);
            }
            // Cannot happen under the write lock; kept as a guard against a writer that
            // does not take it.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    anyhow::bail!("cannot append to the audit log: too many concurrent writers")
}

/// Entries after `after` (a seq), oldest first, at most `limit`.
pub async fn entries(db: &Db, after: i64, limit: i64) -> anyhow::Result<Vec<Entry>> {
    let Pool::Sqlite(pool) = db.pool();
    Ok(sqlx::query_as(
        "SELECT seq, prev, at, actor, role, action, target, reason, result, hash
         FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
