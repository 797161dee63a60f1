//! The `audit_log` table: append-only (its triggers refuse updates and deletes), one entry
//! per row. What an entry says and how it is hashed is [`crate::audit`]'s.

use db::Db;

use crate::audit::Entry;

/// Appends the entry `build` makes from the current head (`None` for an empty log: the
/// previous entry's seq and hash), under SQLite's write lock so that two writers never
/// extend the same head.
pub async fn append(
    db: &Db,
    build: impl Fn(Option<(i64, String)>) -> Entry,
) -> anyhow::Result<Entry> {
    for _attempt in 0..20 {
        // The write lock is taken before the head is read: writers queue (up to the busy
        // timeout) instead of racing for the same head.
        let mut tx = db.begin_write().await?;
        if tx.conn().is_postgres() {
            db::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut tx)
                .await?;
        }
        let head: Option<(i64, String)> =
            db::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut tx)
                .await?;
        let entry = build(head);
        let inserted = db::query(
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
        .execute(&mut tx)
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
    Ok(db::query(
        "SELECT seq, prev, at, actor, role, action, target, reason, result, hash
         FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Every entry of one action that ended `ok`, oldest first.
pub async fn done(db: &Db, action: &str) -> anyhow::Result<Vec<Entry>> {
    Ok(db::query(
        "SELECT seq, prev, at, actor, role, action, target, reason, result, hash
         FROM audit_log WHERE action = ? AND result = 'ok' ORDER BY seq",
    )
    .bind(action)
    .fetch_all(db)
    .await?)
}

/// The triggers on `audit_log`: name and SQL as SQLite keeps them.
pub async fn triggers(db: &Db) -> anyhow::Result<Vec<(String, String)>> {
    Ok(db::query(
        "SELECT name, COALESCE(sql, '') FROM sqlite_master
         WHERE type = 'trigger' AND tbl_name = 'audit_log' ORDER BY name",
    )
    .fetch_all(db)
    .await?)
}

/// Drops and creates again the named guard triggers (`audit_log_no_update`,
/// `audit_log_no_delete`), as the layout migration first made them.
pub async fn recreate_triggers(db: &Db, names: &[&str]) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for name in names {
        let (drop, create) = match *name {
            "audit_log_no_update" => (
                "DROP TRIGGER IF EXISTS audit_log_no_update",
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            ),
            "audit_log_no_delete" => (
                "DROP TRIGGER IF EXISTS audit_log_no_delete",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            ),
            other => anyhow::bail!("no audit log trigger is called {other}"),
        };
        db::query(drop).execute(&mut tx).await?;
        db::query(create).execute(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The newest entry's position and hash.
pub async fn head(db: &Db) -> anyhow::Result<Option<(i64, String)>> {
    Ok(
        db::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(db)
            .await?,
    )
}
