//! The audit log: who consulted, exported or changed what, when, why, and with what result
//! (the Law Enforcement Directive, art. 25, asks this of every consultation and disclosure).
//!
//! Append-only twice over. SQLite triggers refuse to update or delete an entry, and each
//! entry's hash covers the previous entry's hash and its own canonical JSON, as the archive's
//! records are chained: an entry edited, removed or reordered breaks the chain from there on,
//! which `nightjar verify --audit` recomputes. Two writers (the daemon and a command) cannot
//! both extend the same entry: `prev` is unique, and the loser retries on the new head.

use db::Db;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, before it is logged.
#[derive(Clone, Debug)]
pub struct Event<'a> {
    /// Who: a token's name (`token:NAME`) or a Unix user (`user:NAME`).
    pub actor: &'a str,
    /// Their role (operator, analyst, auditor; `cli` for the command line).
    pub role: &'a str,
    /// What (`captures.search`, `capture.read`, `export`, `seeds.add`, …).
    pub action: &'a str,
    /// On what (a capture ID, a URL, a query, a seed label).
    pub target: &'a str,
    /// Why, as given (case number or justification); empty when none was asked for.
    pub reason: &'a str,
    /// How it ended (`ok`, `denied`, `error: …`).
    pub result: &'a str,
}

/// A logged entry.
#[derive(Clone, Debug, Serialize, Deserialize, sqlx::FromRow, PartialEq)]
pub struct Entry {
    /// Position in the log (from 1).
    pub seq: i64,
    /// The entry it follows (0 for the first).
    pub prev: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Their role.
    pub role: String,
    /// What.
    pub action: String,
    /// On what.
    pub target: String,
    /// Why.
    pub reason: String,
    /// How it ended.
    pub result: String,
    /// `sha256:` of the previous hash and this entry's canonical JSON.
    pub hash: String,
}

impl Entry {
    /// The hash this entry must carry, following `prev_hash`.
    pub fn expected_hash(&self, prev_hash: &str) -> String {
        // Canonical form: a JSON array in a fixed field order (no map ordering questions).
        let body = serde_json::json!([
            self.seq,
            self.prev,
            self.at,
            self.actor,
            self.role,
            self.action,
            self.target,
            self.reason,
            self.result
        ]);
        let mut h = Sha256::new();
        h.update(b"nightjar-audit-v1\n");
        h.update(prev_hash.as_bytes());
        h.update(b"\n");
        h.update(body.to_string().as_bytes());
        format!("sha256:{}", hex::encode(h.finalize()))
    }
}

/// Appends an event; returns its entry.
pub async fn append(db: &Db, event: &Event<'_>) -> anyhow::Result<Entry> {
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    crate::store::audit_log::append(db, |head| {
        let (prev, prev_hash) = head.unwrap_or((0, GENESIS.to_string()));
        let mut entry = Entry {
            seq: prev + 1,
            prev,
            at: at.clone(),
            actor: event.actor.to_string(),
            role: event.role.to_string(),
            action: event.action.to_string(),
            target: event.target.to_string(),
            reason: event.reason.to_string(),
            result: event.result.to_string(),
            hash: String::new(),
        };
        entry.hash = entry.expected_hash(&prev_hash);
        entry
    })
    .await
}

/// The newest entry's position and hash, if any (for the archive's signed heads).
pub async fn head(db: &Db) -> anyhow::Result<Option<(i64, String)>> {
    crate::store::audit_log::head(db).await
}

/// Entries after `after` (a seq), oldest first, at most `limit`.
pub async fn entries(db: &Db, after: i64, limit: i64) -> anyhow::Result<Vec<Entry>> {
    crate::store::audit_log::entries(db, after, limit).await
}

/// What checking the log found.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Entries checked.
    pub entries: u64,
    /// The last entry's hash (record it elsewhere to detect a rewritten log later).
    pub head: String,
    /// The last entry's position (0 for an empty log).
    pub head_seq: i64,
    /// Problems, each naming an entry.
    pub findings: Vec<String>,
}

/// Recomputes the chain over the whole log.
pub async fn verify(db: &Db) -> anyhow::Result<Report> {
    let mut report = Report {
        head: GENESIS.to_string(),
        ..Report::default()
    };
    let mut expected_seq = 1;
    let mut after = 0;
    loop {
        let batch = entries(db, after, 1000).await?;
        if batch.is_empty() {
            break;
        }
        for e in batch {
            after = e.seq;
            report.entries += 1;
            if e.seq != expected_seq || e.prev != e.seq - 1 {
                report.findings.push(format!(
                    "entry {}: out of sequence (expected entry {expected_seq} following {})",
                    e.seq,
                    expected_seq - 1
                ));
            }
            let want = e.expected_hash(&report.head);
            if e.hash != want {
                report.findings.push(format!(
                    "entry {}: hash {} does not follow the chain (expected {want}): the entry \
                     or one before it was altered",
                    e.seq, e.hash
                ));
            }
            report.head = e.hash.clone();
            report.head_seq = e.seq;
            expected_seq = e.seq + 1;
        }
    }
    report.findings.extend(missing_guards(db).await?);
    Ok(report)
}

/// Checks audit heads (position, hash) that signed heads of the archive's log carried,
/// kept by `from`: the log must still hold each entry with that hash. Entries cut off the
/// end are caught here and nowhere else.
pub async fn check_witnessed(
    db: &Db,
    heads: &[(i64, String)],
    from: &str,
) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let Some(&(seq, ref hash)) = heads.iter().max_by_key(|(s, _)| *s) else {
        return Ok(out);
    };
    let last = crate::store::audit_log::head(db)
        .await?
        .map(|(s, _)| s)
        .unwrap_or(0);
    for (seq, hash) in heads {
        let found = entries(db, seq - 1, 1).await?.into_iter().next();
        match found {
            Some(e) if e.seq == *seq && e.hash == *hash => {}
            Some(e) if e.seq == *seq => out.push(format!(
                "entry {seq}: {from} saw it with hash {hash}, the log has {}: the entry or one before it was rewritten",
                e.hash
            )),
            _ if *seq > last => {}
            _ => out.push(format!("entry {seq}: {from} saw it, the log has no such entry: it was deleted")),
        }
    }
    if seq > last {
        out.push(format!(
            "{from} saw the audit log reach entry {seq} ({hash}), but it ends at entry {last}: entries {}..{seq} were deleted",
            last + 1
        ));
    }
    Ok(out)
}

/// The statements the log's triggers refuse, with their names.
const GUARDS: [(&str, &str); 2] = [
    ("UPDATE", "audit_log_no_update"),
    ("DELETE", "audit_log_no_delete"),
];

/// The guards not in place, or altered (the store checks each against what the layout made,
/// in its engine's terms, so that a guard weakened with a `WHEN` clause counts as missing).
fn absent_guards(intact: &[String]) -> Vec<(&'static str, &'static str)> {
    GUARDS
        .into_iter()
        .filter(|(_, name)| !intact.iter().any(|n| n == name))
        .collect()
}

/// The triggers that make the log append-only, each checked to exist and to refuse its
/// statement: without them an entry can be deleted from the end, which the chain alone
/// cannot show (only a head recorded elsewhere can; see `verify --witness`).
async fn missing_guards(db: &Db) -> anyhow::Result<Vec<String>> {
    let intact = crate::store::audit_log::intact_guards(db).await?;
    Ok(absent_guards(&intact)
        .into_iter()
        .map(|(statement, name)| {
            format!(
                "the trigger that refuses to {} audit entries ({name}) is missing or no longer refuses: entries can be {} unseen; the daemon restores it (and logs that it did) on its next start, and only a witnessed head shows what was lost meanwhile",
                statement.to_lowercase(),
                if statement == "DELETE" { "deleted" } else { "edited" }
            )
        })
        .collect())
}

/// Puts back guards that were dropped or neutered, and says so in the log itself (an entry
/// by `nightjar`) and in the daemon's log. Returns the guards restored.
pub async fn restore_guards(db: &Db) -> anyhow::Result<Vec<&'static str>> {
    let intact = crate::store::audit_log::intact_guards(db).await?;
    let absent: Vec<&'static str> = absent_guards(&intact).into_iter().map(|(_, n)| n).collect();
    if absent.is_empty() {
        return Ok(absent);
    }
    crate::store::audit_log::recreate_triggers(db, &absent).await?;
    tracing::error!(
        triggers = ?absent,
        "the audit log's append-only triggers were missing or altered: restored; entries may have been deleted or edited meanwhile (`nightjar verify --audit --witness` shows whether any witnessed entry is gone)"
    );
    append(
        db,
        &Event {
            actor: "nightjar",
            role: "daemon",
            action: "audit.guards_restored",
            target: &absent.join(","),
            reason: "the append-only triggers were missing or altered at start",
            result: "ok",
        },
    )
    .await?;
    Ok(absent)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db(dir: &std::path::Path) -> Db {
        // As the daemon opens its database (crate::data): WAL, and a writer waits up to 30 s
        // for the lock. With sqlx's default 5 s, 100 writers queued behind each other's
        // fsyncs on a loaded CI machine timed out ("database is locked").
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.join("a.db"))
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .busy_timeout(std::time::Duration::from_secs(30));
        let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
        crate::store::schema::SQLITE_MIGRATOR
            .run(&pool)
            .await
            .unwrap();
        Db::sqlite(pool)
    }

    /// The tests tamper with the table directly, on the one engine they run on.
    fn sqlite(db: &Db) -> &sqlx::SqlitePool {
        match db.pool() {
            db::Pool::Sqlite(pool) => pool,
            #[cfg(feature = "postgres")]
            _ => unreachable!("a SQLite test"),
        }
    }

    fn event<'a>(action: &'a str, target: &'a str) -> Event<'a> {
        Event {
            actor: "token:alice",
            role: "analyst",
            action,
            target,
            reason: "case 17",
            result: "ok",
        }
    }

    #[tokio::test]
    async fn the_chain_verifies_and_refuses_edits_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path()).await;
        for i in 0..5 {
            append(&db, &event("capture.read", &i.to_string()))
                .await
                .unwrap();
        }
        let r = verify(&db).await.unwrap();
        assert_eq!(r.entries, 5);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert_eq!(r.head, entries(&db, 4, 1).await.unwrap()[0].hash);
        for stmt in [
            "UPDATE audit_log SET reason = 'none' WHERE seq = 2",
            "DELETE FROM audit_log WHERE seq = 5",
        ] {
            let err = sqlx::query(stmt).execute(sqlite(&db)).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{err}");
        }
    }

    #[tokio::test]
    async fn an_entry_altered_behind_the_triggers_breaks_the_chain_from_there() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path()).await;
        for i in 0..4 {
            append(&db, &event("export", &i.to_string())).await.unwrap();
        }
        // Someone with the database file drops the trigger and rewrites a reason.
        sqlx::query("DROP TRIGGER audit_log_no_update")
            .execute(sqlite(&db))
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET reason = 'routine' WHERE seq = 2")
            .execute(sqlite(&db))
            .await
            .unwrap();
        let r = verify(&db).await.unwrap();
        assert_eq!(r.findings.len(), 2, "{:?}", r.findings);
        assert!(r.findings[0].starts_with("entry 2:"), "{:?}", r.findings);
        assert!(
            r.findings[1].contains("(audit_log_no_update) is missing"),
            "{:?}",
            r.findings
        );
        // A guard weakened rather than dropped counts as missing too.
        sqlx::raw_sql(
            "DROP TRIGGER audit_log_no_delete;
             CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN 0
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
        )
        .execute(sqlite(&db))
        .await
        .unwrap();
        let r = verify(&db).await.unwrap();
        assert!(
            r.findings
                .iter()
                .any(|f| f.contains("(audit_log_no_delete) is missing")),
            "{:?}",
            r.findings
        );
        // Restored, and the restoring logged in the log itself.
        assert_eq!(
            restore_guards(&db).await.unwrap(),
            ["audit_log_no_update", "audit_log_no_delete"]
        );
        let r = verify(&db).await.unwrap();
        assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        assert_eq!(r.entries, 5);
        assert!(restore_guards(&db).await.unwrap().is_empty());
        let err = sqlx::query("UPDATE audit_log SET reason = 'x' WHERE seq = 1")
            .execute(sqlite(&db))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }

    #[tokio::test]
    async fn concurrent_writers_each_extend_the_head() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path()).await;
        let mut tasks = Vec::new();
        for i in 0..100 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                append(&db, &event("captures.search", &i.to_string()))
                    .await
                    .unwrap()
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let r = verify(&db).await.unwrap();
        assert_eq!(r.entries, 100);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }
}
