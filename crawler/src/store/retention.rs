//! Legal holds and erasure requests (`holds`, `erasure_requests`): what keeps captures from
//! erasure, and erasures asked for by one person and approved by another.

use db::Db;
use serde::Serialize;

/// What a hold or a request selects by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// One capture, by ID.
    Capture,
    /// Every capture of a URL.
    Url,
    /// Every capture of a seed.
    Seed,
    /// Every capture an entity was seen in (by its value).
    Entity,
    /// Every capture in a time range.
    Range,
}

impl Target {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Capture => "capture",
            Target::Url => "url",
            Target::Seed => "seed",
            Target::Entity => "entity",
            Target::Range => "range",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<Target> {
        [
            Target::Capture,
            Target::Url,
            Target::Seed,
            Target::Entity,
            Target::Range,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// A legal hold.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Hold {
    /// Its number.
    pub id: i64,
    /// The case it is for.
    pub case_id: String,
    /// Why.
    pub reason: String,
    /// capture, url, seed, entity or range.
    pub kind: String,
    /// The capture ID, URL, seed label or entity value (none for a range).
    pub value: Option<String>,
    /// Captured at or after (RFC 3339), if limited.
    pub since: Option<String>,
    /// Captured before, if limited.
    pub until: Option<String>,
    /// Who placed it.
    pub placed_by: String,
    /// When.
    pub placed_at: String,
    /// Who released it.
    pub released_by: Option<String>,
    /// When.
    pub released_at: Option<String>,
    /// Why it was released.
    pub release_reason: Option<String>,
}

/// A hold to place.
pub struct NewHold<'a> {
    /// The case.
    pub case_id: &'a str,
    /// Why.
    pub reason: &'a str,
    /// What it selects by.
    pub kind: Target,
    /// The value it selects.
    pub value: Option<&'a str>,
    /// From.
    pub since: Option<&'a str>,
    /// Until.
    pub until: Option<&'a str>,
    /// By whom.
    pub placed_by: &'a str,
    /// When.
    pub at: &'a str,
}

/// Places a hold; returns it.
pub async fn place(db: &Db, h: &NewHold<'_>) -> Result<Hold, sqlx::Error> {
    db::query(
        "INSERT INTO holds (case_id, reason, kind, value, since, until, placed_by, placed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(h.case_id)
    .bind(h.reason)
    .bind(h.kind.as_str())
    .bind(h.value.map(str::to_string))
    .bind(h.since.map(str::to_string))
    .bind(h.until.map(str::to_string))
    .bind(h.placed_by)
    .bind(h.at)
    .fetch_one(db)
    .await
}

/// Releases a hold still in force; `None` when there is no such hold in force.
pub async fn release(
    db: &Db,
    id: i64,
    by: &str,
    at: &str,
    reason: &str,
) -> Result<Option<Hold>, sqlx::Error> {
    db::query(
        "UPDATE holds SET released_by = ?, released_at = ?, release_reason = ?
         WHERE id = ? AND released_at IS NULL RETURNING *",
    )
    .bind(by)
    .bind(at)
    .bind(reason)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Holds, newest first: those in force only, or all; of one case when given.
pub async fn list(db: &Db, case: Option<&str>, all: bool) -> Result<Vec<Hold>, sqlx::Error> {
    db::query(
        "SELECT * FROM holds WHERE (? = '' OR case_id = ?)
            AND (? = 1 OR released_at IS NULL) ORDER BY id DESC",
    )
    .bind(case.unwrap_or(""))
    .bind(case.unwrap_or(""))
    .bind(all as i64)
    .fetch_all(db)
    .await
}

/// An erasure request.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Request {
    /// Its number.
    pub id: i64,
    /// capture, url or entity.
    pub kind: String,
    /// What it names; once decided, a URL's or an entity's SHA-256 instead.
    pub target: String,
    /// Why.
    pub reason: String,
    /// Who asked.
    pub requested_by: String,
    /// In which role.
    pub requested_role: String,
    /// When.
    pub requested_at: String,
    /// requested, approved, done or rejected.
    pub state: String,
    /// Who approved or rejected it.
    pub decided_by: Option<String>,
    /// In which role.
    pub decided_role: Option<String>,
    /// When.
    pub decided_at: Option<String>,
    /// The erasure record that carried it out.
    pub erasure_record: Option<String>,
    /// What happened (how many captures were erased, or why nothing was).
    pub outcome: Option<String>,
}

/// Files a request; returns it.
pub async fn request(
    db: &Db,
    kind: Target,
    target: &str,
    reason: &str,
    by: &str,
    role: &str,
    at: &str,
) -> Result<Request, sqlx::Error> {
    db::query(
        "INSERT INTO erasure_requests (kind, target, reason, requested_by, requested_role,
            requested_at, state)
         VALUES (?, ?, ?, ?, ?, ?, 'requested') RETURNING *",
    )
    .bind(kind.as_str())
    .bind(target)
    .bind(reason)
    .bind(by)
    .bind(role)
    .bind(at)
    .fetch_one(db)
    .await
}

/// One request.
pub async fn get(db: &Db, id: i64) -> Result<Option<Request>, sqlx::Error> {
    db::query("SELECT * FROM erasure_requests WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Every request, newest first.
pub async fn requests(db: &Db) -> Result<Vec<Request>, sqlx::Error> {
    db::query("SELECT * FROM erasure_requests ORDER BY id DESC")
        .fetch_all(db)
        .await
}

/// Approved requests not carried out yet, oldest first.
pub async fn approved(db: &Db) -> Result<Vec<Request>, sqlx::Error> {
    db::query("SELECT * FROM erasure_requests WHERE state = 'approved' ORDER BY id")
        .fetch_all(db)
        .await
}

/// Decides a request still waiting (`approved` or `rejected`); `None` when it is not
/// waiting any more (someone else decided first).
pub async fn decide(
    db: &Db,
    id: i64,
    state: &str,
    by: &str,
    role: &str,
    at: &str,
) -> Result<Option<Request>, sqlx::Error> {
    db::query(
        "UPDATE erasure_requests SET state = ?, decided_by = ?, decided_role = ?, decided_at = ?
         WHERE id = ? AND state = 'requested' RETURNING *",
    )
    .bind(state)
    .bind(by)
    .bind(role)
    .bind(at)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Records what carrying out an approved request did: `done` with the erasure record, or
/// an outcome for a request that stays approved (to be tried again). A done or rejected
/// request's target (URL or entity value) is replaced by `forget_as`.
pub async fn finish(
    db: &Db,
    id: i64,
    state: &str,
    erasure_record: Option<&str>,
    outcome: &str,
    forget_as: Option<&str>,
) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE erasure_requests SET state = ?, erasure_record = ?, outcome = ?,
            target = coalesce(?, target)
         WHERE id = ?",
    )
    .bind(state)
    .bind(erasure_record.map(str::to_string))
    .bind(outcome)
    .bind(forget_as.map(str::to_string))
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// How many holds are in force, and how many requests wait for approval.
pub async fn counts(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    let holds = db::query("SELECT count(*) FROM holds WHERE released_at IS NULL")
        .scalar(db)
        .await?;
    let waiting = db::query("SELECT count(*) FROM erasure_requests WHERE state = 'requested'")
        .scalar(db)
        .await?;
    Ok((holds, waiting))
}
