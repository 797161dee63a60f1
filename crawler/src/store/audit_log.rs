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

/// The append-only guards on `audit_log` that are in place and refuse their statement
/// exactly as the layout made them (`audit_log_no_update`, `audit_log_no_delete`).
///
/// SQLite keeps a trigger's SQL: each must be the statement the migration wrote, whitespace
/// and case aside. PostgreSQL keeps a trigger's kind and function: each must be an enabled
/// BEFORE … FOR EACH ROW trigger calling `nightjar_append_only`, whose body still raises;
/// and since TRUNCATE bypasses row triggers, `audit_log_no_delete` counts only together with
/// `audit_log_no_truncate`.
pub async fn intact_guards(db: &Db) -> anyhow::Result<Vec<String>> {
    if db.is_postgres() {
        // pg_trigger.tgtype bits: 1 row, 2 before, 8 delete, 16 update, 32 truncate.
        let names: Vec<String> = db::query(
            "SELECT t.tgname::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
             WHERE t.tgrelid = 'audit_log'::regclass AND NOT t.tgisinternal
               AND t.tgenabled <> 'D' AND t.tgqual IS NULL
               AND p.proname = 'nightjar_append_only' AND p.prosrc LIKE '%RAISE EXCEPTION%'
               AND ((t.tgname = 'audit_log_no_update' AND t.tgtype = 19)
                 OR (t.tgname = 'audit_log_no_delete' AND t.tgtype = 11)
                 OR (t.tgname = 'audit_log_no_truncate' AND t.tgtype = 34))",
        )
        .scalars(db)
        .await?;
        let truncate = names.iter().any(|n| n == "audit_log_no_truncate");
        return Ok(names
            .into_iter()
            .filter(|n| n == "audit_log_no_update" || (n == "audit_log_no_delete" && truncate))
            .collect());
    }
    let present: Vec<(String, String)> = db::query(
        "SELECT name, COALESCE(sql, '') FROM sqlite_master
         WHERE type = 'trigger' AND tbl_name = 'audit_log' ORDER BY name",
    )
    .fetch_all(db)
    .await?;
    let normal = |sql: &str| {
        sql.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    Ok([("update", "audit_log_no_update"), ("delete", "audit_log_no_delete")]
        .into_iter()
        .filter(|(statement, name)| {
            let expected = format!(
                "create trigger {name} before {statement} on audit_log begin select raise(abort, 'the audit log is append-only'); end"
            );
            present
                .iter()
                .any(|(n, sql)| n == name && normal(sql) == expected)
        })
        .map(|(_, name)| name.to_string())
        .collect())
}

/// Drops and creates again the named guard triggers (`audit_log_no_update`,
/// `audit_log_no_delete`), as the layout migration first made them.
pub async fn recreate_triggers(db: &Db, names: &[&str]) -> anyhow::Result<()> {
    let postgres = db.is_postgres();
    let mut tx = db.begin().await?;
    if postgres {
        db::query(
            "CREATE OR REPLACE FUNCTION nightjar_append_only() RETURNS trigger LANGUAGE plpgsql
             AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
        )
        .execute(&mut tx)
        .await?;
    }
    for name in names {
        let statements: &[&'static str] = match (*name, postgres) {
            ("audit_log_no_update", false) => &[
                "DROP TRIGGER IF EXISTS audit_log_no_update",
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            ],
            ("audit_log_no_delete", false) => &[
                "DROP TRIGGER IF EXISTS audit_log_no_delete",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            ],
            ("audit_log_no_update", true) => &[
                "DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log",
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                 FOR EACH ROW EXECUTE FUNCTION nightjar_append_only()",
            ],
            ("audit_log_no_delete", true) => &[
                "DROP TRIGGER IF EXISTS audit_log_no_delete ON audit_log",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                 FOR EACH ROW EXECUTE FUNCTION nightjar_append_only()",
                "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
                "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                 FOR EACH STATEMENT EXECUTE FUNCTION nightjar_append_only()",
            ],
            (other, _) => anyhow::bail!("no audit log trigger is called {other}"),
        };
        for statement in statements {
            db::query(statement).execute(&mut tx).await?;
        }
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
