//! Legal holds and erasure on request, for the command line and the API alike.
//!
//! An erasure on request (data processed unlawfully: the Police Directive's art. 16) takes
//! two people: one asks, with a reason; another, of a role `[retention]` allows, approves,
//! and only then is anything erased (by the daemon at its next check, or at once by the
//! command line when no daemon runs). The person who asked can never approve. A hold keeps
//! a case's captures from any erasure, by policy or on request, until it is released. Every
//! step goes to the audit log; a URL or an entity value that was asked to be erased is
//! logged as its SHA-256, so that the log does not keep what was erased.

use serde::Serialize;

use super::{logged, ActionError, Actor, Ctx, Role};

/// The reason an erasure, a decision or a hold needs (it goes to the audit log).
fn reason_given(reason: Option<&str>) -> Result<&str, ActionError> {
    super::reason_given(reason).map_err(|e| match e {
        ActionError::ReasonRequired => ActionError::Invalid(
            "give a reason (the legal ground, a case number): it goes to the audit log".into(),
        ),
        other => other,
    })
}
use crate::config::RetentionConfig;
use crate::store::retention::{self as store, Hold, NewHold, Request, Target};

/// What an erasure request names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EraseTarget {
    /// One capture.
    Capture(i64),
    /// Every capture of a URL.
    Url(String),
    /// Every capture an entity (by value) was seen in.
    Entity(String),
}

impl EraseTarget {
    fn kind(&self) -> Target {
        match self {
            EraseTarget::Capture(_) => Target::Capture,
            EraseTarget::Url(_) => Target::Url,
            EraseTarget::Entity(_) => Target::Entity,
        }
    }

    fn value(&self) -> String {
        match self {
            EraseTarget::Capture(id) => id.to_string(),
            EraseTarget::Url(u) | EraseTarget::Entity(u) => u.trim().to_string(),
        }
    }

    /// How the audit log names it: a capture by ID, a URL or a value by its SHA-256.
    fn logged(&self) -> String {
        match self {
            EraseTarget::Capture(id) => format!("capture {id}"),
            other => format!(
                "{} {}",
                other.kind().as_str(),
                archive::digest::sha256_label(other.value().as_bytes())
            ),
        }
    }
}

fn now() -> String {
    archive::index::index_time(&chrono::Utc::now())
}

/// Files an erasure request. It selects at least one capture now, or it is refused.
pub async fn request(
    ctx: &Ctx<'_>,
    actor: &Actor,
    policy: &RetentionConfig,
    target: &EraseTarget,
    reason: Option<&str>,
) -> Result<Request, ActionError> {
    actor.authorize(&policy.requesters)?;
    let reason = reason_given(reason)?;
    let outcome = async {
        let value = target.value();
        if value.is_empty() {
            return Err(ActionError::Invalid("say what to erase".into()));
        }
        let ids = crate::retention::select(
            ctx.db,
            target.kind().as_str(),
            Some(&value),
            (None, None),
            true,
        )
        .await?;
        if ids.is_empty() {
            return Err(ActionError::NotFound(format!(
                "no capture matches this {}: nothing to erase (`nightjar captures` and `nightjar entities` list what is archived)",
                target.kind().as_str()
            )));
        }
        Ok(store::request(
            ctx.db,
            target.kind(),
            &value,
            reason,
            actor.id(),
            actor.role_name(),
            &now(),
        )
        .await?)
    }
    .await;
    logged(
        ctx,
        actor,
        "erasure.request",
        &target.logged(),
        reason,
        outcome,
        |r| format!("ok: request {}", r.id),
    )
    .await
}

/// Approves (or, with `approve` false, rejects) a waiting erasure request. The approver is
/// never the person who asked.
pub async fn decide(
    ctx: &Ctx<'_>,
    actor: &Actor,
    policy: &RetentionConfig,
    id: i64,
    approve: bool,
    reason: Option<&str>,
) -> Result<Request, ActionError> {
    actor.authorize(&policy.approvers)?;
    let reason = reason_given(reason)?;
    let action = if approve {
        "erasure.approve"
    } else {
        "erasure.reject"
    };
    let outcome = async {
        let r = store::get(ctx.db, id).await?.ok_or_else(|| {
            ActionError::NotFound(format!(
                "there is no erasure request {id} (`nightjar erase list` lists them)"
            ))
        })?;
        if r.state != "requested" {
            return Err(ActionError::Conflict(format!(
                "erasure request {id} is {} already",
                r.state
            )));
        }
        if r.requested_by == actor.id() {
            return Err(ActionError::Forbidden(format!(
                "{} asked for erasure request {id}: a second person must decide it",
                actor.id()
            )));
        }
        let state = if approve { "approved" } else { "rejected" };
        let decided = store::decide(ctx.db, id, state, actor.id(), actor.role_name(), &now())
            .await?
            .ok_or_else(|| {
                ActionError::Conflict(format!("erasure request {id} was decided meanwhile"))
            })?;
        if !approve && decided.kind != Target::Capture.as_str() {
            let hashed = archive::digest::sha256_label(decided.target.as_bytes());
            store::finish(ctx.db, id, "rejected", None, "rejected", Some(&hashed)).await?;
        }
        Ok(decided)
    }
    .await;
    logged(
        ctx,
        actor,
        action,
        &format!("erasure request {id}"),
        reason,
        outcome,
        |_| "ok".into(),
    )
    .await
}

/// Erasure requests and the erasures carried out.
#[derive(Clone, Debug, Serialize)]
pub struct Erasures {
    /// Requests, newest first.
    pub requests: Vec<Request>,
    /// Erasures carried out (by policy or on request), newest first.
    pub erasures: Vec<archive::erasure::ErasureRow>,
}

/// Lists requests and erasures.
pub async fn list(ctx: &Ctx<'_>, actor: &Actor) -> Result<Erasures, ActionError> {
    actor.authorize(&[Role::Operator, Role::Auditor, Role::Analyst])?;
    Ok(Erasures {
        requests: store::requests(ctx.db).await?,
        erasures: archive::erasure::list(ctx.db).await?,
    })
}

/// What a hold selects.
#[derive(Clone, Debug, Default)]
pub struct HoldSelection {
    /// One capture.
    pub capture: Option<i64>,
    /// A URL's captures.
    pub url: Option<String>,
    /// A seed's captures.
    pub seed: Option<String>,
    /// An entity's captures.
    pub entity: Option<String>,
    /// Captured at or after.
    pub since: Option<String>,
    /// Captured before.
    pub until: Option<String>,
}

/// Places a legal hold for a case.
pub async fn hold(
    ctx: &Ctx<'_>,
    actor: &Actor,
    case: &str,
    sel: &HoldSelection,
    reason: Option<&str>,
) -> Result<(Hold, usize), ActionError> {
    actor.authorize(&[Role::Analyst, Role::Operator])?;
    let reason = reason_given(reason)?;
    let case = case.trim();
    let outcome = async {
        archive::custody::text::short_text("case", case, super::MAX_CASE)
            .map_err(|e| ActionError::Invalid(e.to_string()))?;
        let chosen: Vec<(Target, String)> = [
            (Target::Capture, sel.capture.map(|c| c.to_string())),
            (Target::Url, sel.url.clone()),
            (Target::Seed, sel.seed.clone()),
            (Target::Entity, sel.entity.clone()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v.trim().to_string())))
        .collect();
        let time = |t: &Option<String>| {
            t.as_deref()
                .map(crate::retention::index_time)
                .transpose()
                .map_err(ActionError::Invalid)
        };
        let (since, until) = (time(&sel.since)?, time(&sel.until)?);
        let (kind, value) = match chosen.as_slice() {
            [(k, v)] => (*k, Some(v.clone())),
            [] if since.is_some() || until.is_some() => (Target::Range, None),
            [] => {
                return Err(ActionError::Invalid(
                    "say what to hold: a capture, a URL, a seed, an entity or a time range".into(),
                ))
            }
            _ => {
                return Err(ActionError::Invalid(
                    "a hold selects by one of capture, URL, seed or entity (with a time range if need be): place one hold for each".into(),
                ))
            }
        };
        let h = store::place(
            ctx.db,
            &NewHold {
                case_id: case,
                reason,
                kind,
                value: value.as_deref(),
                since: since.as_deref(),
                until: until.as_deref(),
                placed_by: actor.id(),
                at: &now(),
            },
        )
        .await?;
        let n = crate::retention::select(
            ctx.db,
            kind.as_str(),
            value.as_deref(),
            (since.as_deref(), until.as_deref()),
            true,
        )
        .await?
        .len();
        Ok((h, n))
    }
    .await;
    logged(
        ctx,
        actor,
        "hold.place",
        &format!("case {case}"),
        reason,
        outcome,
        |(h, n)| format!("ok: hold {} ({n} captures now)", h.id),
    )
    .await
}

/// Releases a hold.
pub async fn release(
    ctx: &Ctx<'_>,
    actor: &Actor,
    id: i64,
    reason: Option<&str>,
) -> Result<Hold, ActionError> {
    actor.authorize(&[Role::Analyst, Role::Operator])?;
    let reason = reason_given(reason)?;
    let outcome = async {
        store::release(ctx.db, id, actor.id(), &now(), reason)
            .await?
            .ok_or_else(|| {
                ActionError::NotFound(format!(
                    "there is no hold {id} in force (`nightjar hold list --all` lists them)"
                ))
            })
    }
    .await;
    logged(
        ctx,
        actor,
        "hold.release",
        &format!("hold {id}"),
        reason,
        outcome,
        |h| format!("ok: case {}", h.case_id),
    )
    .await
}

/// Holds: in force, or all; of one case when given.
pub async fn holds(
    ctx: &Ctx<'_>,
    actor: &Actor,
    case: Option<&str>,
    all: bool,
) -> Result<Vec<Hold>, ActionError> {
    actor.authorize(&[Role::Analyst, Role::Operator, Role::Auditor])?;
    Ok(store::list(ctx.db, case, all).await?)
}

/// The retention standing (what is kept, due for erasure, held, due for review).
pub async fn standing(
    ctx: &Ctx<'_>,
    actor: &Actor,
    cfg: &crate::config::Config,
) -> Result<crate::retention::Standing, ActionError> {
    actor.authorize(&[Role::Analyst, Role::Operator, Role::Auditor])?;
    Ok(crate::retention::standing(ctx.db, cfg).await?)
}
