//! The `watches` and `alerts` tables: what analysts asked to be told about, each match, and
//! the delivery of each alert to the configured sinks (an outbox: an alert is raised in the
//! transaction that indexes its capture, and delivered after, so none is lost to a crash
//! or a sink that is down).

use db::{Db, Tx};
use serde::Serialize;

/// A watch as stored.
#[derive(Clone, Debug, sqlx::FromRow, Serialize)]
pub struct WatchRow {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `entity`, `text` or `regex`.
    pub rule: String,
    /// What it looks for (see the migration).
    pub pattern: String,
    /// Only this seed.
    pub seed: Option<String>,
    /// Only this host.
    pub host: Option<String>,
    /// When it was made.
    pub created_at: String,
    /// By whom.
    pub created_by: String,
    /// When it was removed, if it was.
    pub removed_at: Option<String>,
}

/// An alert as listed.
#[derive(Clone, Debug, sqlx::FromRow, Serialize)]
pub struct AlertRow {
    /// Row id.
    pub id: i64,
    /// The watch's name.
    pub watch: String,
    /// The capture that matched.
    pub capture_id: i64,
    /// Its URL.
    pub url: String,
    /// Its host.
    pub host: String,
    /// Its seed.
    pub seed: Option<String>,
    /// Its capture time.
    pub captured_at: String,
    /// JSON array of what matched.
    pub matched: String,
    /// When it was raised.
    pub raised_at: String,
    /// When the webhook took it.
    pub webhook_at: Option<String>,
    /// When the command took it.
    pub command_at: Option<String>,
    /// Delivery attempts.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Whether delivery was given up.
    pub gave_up: bool,
}

const ALERT_COLUMNS: &str = "a.id, w.name AS watch, a.capture_id, a.url, a.host, a.seed, \
     a.captured_at, a.matched, a.raised_at, a.webhook_at, a.command_at, a.attempts, \
     a.last_error, a.gave_up <> 0 AS gave_up";

/// A watch to store.
pub struct NewWatchRow<'a> {
    /// Name.
    pub name: &'a str,
    /// `entity`, `text` or `regex`.
    pub rule: &'a str,
    /// What it looks for.
    pub pattern: &'a str,
    /// Only this seed.
    pub seed: Option<&'a str>,
    /// Only this host.
    pub host: Option<&'a str>,
    /// Now.
    pub at: &'a str,
    /// Who.
    pub by: &'a str,
}

/// Adds a watch; false if a live watch has that name.
pub async fn insert(db: &Db, w: &NewWatchRow<'_>) -> anyhow::Result<bool> {
    let done = db::query(
        "INSERT INTO watches (name, rule, pattern, seed, host, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(w.name)
    .bind(w.rule)
    .bind(w.pattern)
    .bind(w.seed)
    .bind(w.host)
    .bind(w.at)
    .bind(w.by)
    .execute(db)
    .await;
    match done {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Removes the live watch `name`; false if there is none.
pub async fn remove(db: &Db, name: &str, at: &str) -> anyhow::Result<bool> {
    let done = db::query("UPDATE watches SET removed_at = ? WHERE name = ? AND removed_at IS NULL")
        .bind(at)
        .bind(name)
        .execute(db)
        .await?;
    Ok(done == 1)
}

/// Live watches (or all, with removed ones), oldest first.
pub async fn list(db: &Db, with_removed: bool) -> anyhow::Result<Vec<WatchRow>> {
    let sql = if with_removed {
        "SELECT * FROM watches ORDER BY id"
    } else {
        "SELECT * FROM watches WHERE removed_at IS NULL ORDER BY id"
    };
    Ok(db::query(sql).fetch_all(db).await?)
}

/// The number of live watches and the highest row id and removal time: what tells the
/// crawl loop its cached watches are stale.
pub async fn version(db: &Db) -> anyhow::Result<(i64, i64, Option<String>)> {
    Ok(db::query(
        "SELECT count(*) FILTER (WHERE removed_at IS NULL), coalesce(max(id), 0), max(removed_at)
         FROM watches",
    )
    .fetch_one(db)
    .await?)
}

/// What a new alert says.
pub struct NewAlert<'a> {
    /// The watch.
    pub watch_id: i64,
    /// The capture.
    pub capture_id: i64,
    /// Its URL.
    pub url: &'a str,
    /// Its host.
    pub host: &'a str,
    /// Its seed.
    pub seed: Option<&'a str>,
    /// Its capture time.
    pub captured_at: &'a str,
    /// Its content's stable digest (text and links without volatile tokens): the same
    /// page re-rendered with a new clock does not alert twice.
    pub content_key: &'a str,
    /// JSON array of what matched.
    pub matched: &'a str,
    /// Now.
    pub raised_at: &'a str,
}

/// The live watch `name` that nightjar's own checks raise alerts under, made now (by
/// `nightjar`) if there is none. Returns its id.
pub async fn system_watch(
    tx: &mut Tx,
    name: &str,
    rule: crate::watch::Rule,
    at: &str,
) -> anyhow::Result<i64> {
    let live: Option<i64> =
        db::query("SELECT id FROM watches WHERE name = ? AND removed_at IS NULL")
            .bind(name)
            .scalar_optional(&mut *tx)
            .await?;
    if let Some(id) = live {
        return Ok(id);
    }
    Ok(db::query(
        "INSERT INTO watches (name, rule, pattern, seed, host, created_at, created_by)
         VALUES (?, ?, ?, NULL, NULL, ?, 'nightjar') RETURNING id",
    )
    .bind(name)
    .bind(rule.name())
    .bind(rule.pattern())
    .bind(at)
    .scalar(&mut *tx)
    .await?)
}

/// Raises an alert in the indexing transaction, unless this watch already alerted on this
/// capture, or on the same content of the same page (an unchanged recrawl). True if raised.
pub async fn raise(tx: &mut Tx, a: &NewAlert<'_>) -> anyhow::Result<bool> {
    let done = db::query(
        "INSERT INTO alerts (watch_id, capture_id, url, host, seed, captured_at,
             content_key, matched, raised_at, next_attempt_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
         WHERE NOT EXISTS (SELECT 1 FROM alerts
                           WHERE watch_id = ? AND url = ? AND content_key = ?)
         ON CONFLICT DO NOTHING",
    )
    .bind(a.watch_id)
    .bind(a.capture_id)
    .bind(a.url)
    .bind(a.host)
    .bind(a.seed)
    .bind(a.captured_at)
    .bind(a.content_key)
    .bind(a.matched)
    .bind(a.raised_at)
    .bind(a.raised_at)
    .bind(a.watch_id)
    .bind(a.url)
    .bind(a.content_key)
    .execute(&mut *tx)
    .await?;
    Ok(done == 1)
}

/// Alerts, newest first; only those of watch `name` if given.
pub async fn alerts(
    db: &Db,
    watch: Option<&str>,
    before_id: Option<i64>,
    limit: i64,
) -> anyhow::Result<Vec<AlertRow>> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM alerts a JOIN watches w ON w.id = a.watch_id
         WHERE (?1 IS NULL OR w.name = ?1) AND (?2 IS NULL OR a.id < ?2)
         ORDER BY a.id DESC LIMIT ?3"
    );
    Ok(db::query_owned(sql)
        .bind(watch)
        .bind(before_id)
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// Alerts not yet announced (logged, audited, counted), oldest first.
pub async fn unannounced(db: &Db) -> anyhow::Result<Vec<AlertRow>> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM alerts a JOIN watches w ON w.id = a.watch_id
         WHERE a.announced = 0 ORDER BY a.id LIMIT 500"
    );
    Ok(db::query_owned(sql).fetch_all(db).await?)
}

/// Marks an alert announced.
pub async fn announced(db: &Db, id: i64) -> anyhow::Result<()> {
    db::query("UPDATE alerts SET announced = 1 WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Alerts that a sink still has to take and whose next attempt is due at `now`, oldest
/// first. `webhook`/`command`: whether that sink is configured.
pub async fn due(
    db: &Db,
    now: &str,
    webhook: bool,
    command: bool,
    every: bool,
) -> anyhow::Result<Vec<AlertRow>> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM alerts a JOIN watches w ON w.id = a.watch_id
         WHERE a.gave_up = 0
           AND ((?1 AND a.webhook_at IS NULL) OR (?2 AND a.command_at IS NULL))
           AND (?4 OR a.next_attempt_at IS NULL OR a.next_attempt_at <= ?3)
         ORDER BY a.id LIMIT 100"
    );
    Ok(db::query_owned(sql)
        .bind(webhook)
        .bind(command)
        .bind(now)
        .bind(every)
        .fetch_all(db)
        .await?)
}

/// Which sink took an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sink {
    /// The webhook.
    Webhook,
    /// The command.
    Command,
}

/// Records that `sink` took alert `id` at `at`.
pub async fn delivered(db: &Db, id: i64, sink: Sink, at: &str) -> anyhow::Result<()> {
    let sql = match sink {
        Sink::Webhook => "UPDATE alerts SET webhook_at = ? WHERE id = ?",
        Sink::Command => "UPDATE alerts SET command_at = ? WHERE id = ?",
    };
    db::query(sql).bind(at).bind(id).execute(db).await?;
    Ok(())
}

/// Records a failed attempt: when to try again, or that delivery is given up.
pub async fn failed(
    db: &Db,
    id: i64,
    error: &str,
    next_attempt_at: Option<&str>,
) -> anyhow::Result<()> {
    db::query(
        "UPDATE alerts SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
             gave_up = CASE WHEN ? IS NULL THEN 1 ELSE 0 END
         WHERE id = ?",
    )
    .bind(error)
    .bind(next_attempt_at)
    .bind(next_attempt_at)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Removes the alerts raised on erased captures: what matched is the erased content.
pub async fn forget_alerts(db: &Db, captures: &[i64]) -> anyhow::Result<()> {
    for c in captures {
        db::query("DELETE FROM alerts WHERE capture_id = ?")
            .bind(*c)
            .execute(db)
            .await?;
    }
    Ok(())
}
