//! The `export_jobs` table: evidence packages requested through the API, and how each
//! ended. The packages themselves are written by `archive::export`; the requests are
//! [`crate::api`]'s.

use db::Db;

/// Where a job stands. Stored as its name; [`JobState::as_str`] is the only conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum JobState {
    /// The package is being written.
    Running,
    /// Written; it can be downloaded.
    Done,
    /// It failed (`error` says why), or the daemon stopped while it ran.
    Failed,
}

impl JobState {
    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }
}

impl std::fmt::Display for JobState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job as its requester sees it.
#[derive(Debug, sqlx::FromRow, serde::Serialize)]
pub struct Job {
    /// Job ID.
    pub id: i64,
    /// The caller who asked (`token:NAME`).
    pub requested_by: String,
    /// When (RFC 3339).
    pub requested_at: String,
    /// The case it is for.
    pub case_id: String,
    /// Where it stands.
    pub state: JobState,
    /// Captures in the package, once done.
    pub captures: Option<i64>,
    /// Size of the package, once done.
    pub bytes: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// When it ended.
    pub finished_at: Option<String>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Marks jobs a restart cut short as failed.
pub async fn fail_interrupted(db: &Db) -> anyhow::Result<()> {
    db::query(
        "UPDATE export_jobs SET state = 'failed', error = 'the daemon stopped during the export: ask again',
         finished_at = ? WHERE state = 'running'",
    )
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}

/// Records a new running job; returns its ID.
pub async fn start(
    db: &Db,
    requested_by: &str,
    case_id: &str,
    reason: &str,
) -> anyhow::Result<i64> {
    Ok(db::query(
        "INSERT INTO export_jobs (requested_by, requested_at, case_id, reason, state)
         VALUES (?, ?, ?, ?, 'running') RETURNING id",
    )
    .bind(requested_by)
    .bind(now())
    .bind(case_id)
    .bind(reason)
    .scalar(db)
    .await?)
}

/// Records that job `id` wrote its package.
pub async fn finish_done(db: &Db, id: i64, captures: u64, bytes: u64) -> anyhow::Result<()> {
    db::query(
        "UPDATE export_jobs SET state = 'done', captures = ?, bytes = ?, finished_at = ? WHERE id = ?",
    )
    .bind(captures as i64)
    .bind(bytes as i64)
    .bind(now())
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records that job `id` failed, and why.
pub async fn finish_failed(db: &Db, id: i64, error: &str) -> anyhow::Result<()> {
    db::query("UPDATE export_jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ?")
        .bind(error)
        .bind(now())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// One job.
pub async fn get(db: &Db, id: i64) -> anyhow::Result<Option<Job>> {
    Ok(db::query(
        "SELECT id, requested_by, requested_at, case_id, state, captures, bytes, error, finished_at
         FROM export_jobs WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// The reason given when job `id` was asked for.
pub async fn reason(db: &Db, id: i64) -> anyhow::Result<String> {
    Ok(db::query("SELECT reason FROM export_jobs WHERE id = ?")
        .bind(id)
        .scalar(db)
        .await?)
}
