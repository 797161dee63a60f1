//! What a person does with nightjar, written once for the command line and the API.
//!
//! Each action checks that its caller may do it, does it, and writes its audit entry (the
//! log of every consultation and disclosure the Law Enforcement Directive asks for) with
//! the outcome, also when it fails. The command line (`nightjar show`, `diff`, `export`, …)
//! and the API's handlers only parse their input, call an action and render its result;
//! neither builds an audit entry itself, so both are logged alike.
//!
//! - [`content`]: searching captures, reading an archived capture, the change feed, a URL's
//!   history, the diff of two captures.
//! - [`export`]: signed evidence packages.
//! - [`tokens`]: API tokens.
//! - [`custody`]: acknowledging the archive's repair records.
//! - [`sites`]: sites and their addresses (mirrors), mirror checks and canaries.
//! - [`tasks`]: what a seed's session asks of a person (a CAPTCHA, fresh cookies).
//! - [`erasure`]: legal holds, and erasure on request (one person asks, another approves).
//!
//! Seed edits have their own module ([`crate::seed_admin`]), which logs them the same way.

pub mod content;
pub mod custody;
pub mod erasure;
pub mod export;
pub mod intel;
pub mod sites;
pub mod tasks;
pub mod tokens;
pub mod watch;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use db::Db;
use serde::Serialize;

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Seeds and crawl control.
    Operator,
    /// Reading captures, changes and diffs; exports.
    Analyst,
    /// Reading the audit log.
    Auditor,
    /// Another nightjar node handing its log heads to this one to co-sign (and nothing else).
    Witness,
    /// Another node sharing this node's database, fetching a WARC record this node holds
    /// for an analyst reading it there (and nothing else). Each node makes its own token of
    /// this role when it first starts on a shared database.
    Node,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Operator,
        Role::Analyst,
        Role::Auditor,
        Role::Witness,
        Role::Node,
    ];

    /// The role's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
            Role::Witness => "witness",
            Role::Node => "node",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "operator" => Ok(Role::Operator),
            "analyst" => Ok(Role::Analyst),
            "auditor" => Ok(Role::Auditor),
            "witness" => Ok(Role::Witness),
            "node" => Ok(Role::Node),
            _ => Err(format!(
                "'{s}' is not a role: use operator, analyst, auditor, witness or node"
            )),
        }
    }
}

/// Who acts: an API token with its role, or the Unix user at the command line (who can read
/// the data directory, and so may do anything the API's roles allow).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    id: String,
    role: Option<Role>,
}

impl Actor {
    /// The Unix user running this command (`user:NAME` in the audit log, role `cli`).
    pub fn local_user() -> Actor {
        Actor {
            id: format!("user:{}", crate::seed_admin::who()),
            role: None,
        }
    }

    /// An API token (`token:NAME` in the audit log) with its role.
    pub fn token(name: &str, role: Role) -> Actor {
        Actor {
            id: format!("token:{name}"),
            role: Some(role),
        }
    }

    /// How the audit log names this actor.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The role the audit log records (`cli` for the command line).
    pub fn role_name(&self) -> &'static str {
        self.role.map_or("cli", Role::as_str)
    }

    /// Refuses an actor whose role is not among `allowed`; the command line may do anything.
    pub fn authorize(&self, allowed: &[Role]) -> Result<(), ActionError> {
        match self.role {
            Some(r) if !allowed.contains(&r) => Err(ActionError::Forbidden(format!(
                "the {r} role may not do this: it needs {}",
                allowed
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))),
            _ => Ok(()),
        }
    }
}

/// Why an action did not happen. Each front end turns it into its own form (an exit status
/// and a message, an HTTP status and a JSON error); the audit log records
/// `code: message`.
#[derive(Debug)]
pub enum ActionError {
    /// The input is wrong; the message says how.
    Invalid(String),
    /// Viewing archived content needs a reason, and none was given.
    ReasonRequired,
    /// Nothing there.
    NotFound(String),
    /// The actor's role may not do this.
    Forbidden(String),
    /// Not now: the thing is in another state (a task already answered).
    Conflict(String),
    /// What was asked for is held by another node sharing the database, and this node
    /// cannot read it (the message names the node).
    Elsewhere(String),
    /// Something failed on nightjar's side (the database, the archive).
    Failed(anyhow::Error),
}

impl ActionError {
    /// A short, stable name for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            ActionError::Invalid(_) => "bad_request",
            ActionError::ReasonRequired => "reason_required",
            ActionError::NotFound(_) => "not_found",
            ActionError::Forbidden(_) => "forbidden",
            ActionError::Conflict(_) => "conflict",
            ActionError::Elsewhere(_) => "held_by_another_node",
            ActionError::Failed(_) => "internal",
        }
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::Invalid(m)
            | ActionError::NotFound(m)
            | ActionError::Forbidden(m)
            | ActionError::Conflict(m)
            | ActionError::Elsewhere(m) => f.write_str(m),
            ActionError::ReasonRequired => f.write_str(
                "viewing archived content needs a reason (a case number or justification): \
                 it goes to the audit log",
            ),
            ActionError::Failed(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for ActionError {}

impl From<anyhow::Error> for ActionError {
    fn from(e: anyhow::Error) -> ActionError {
        ActionError::Failed(e)
    }
}

impl From<sqlx::Error> for ActionError {
    fn from(e: sqlx::Error) -> ActionError {
        ActionError::Failed(e.into())
    }
}

/// What actions need of the data directory.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The database.
    pub db: &'a Db,
    /// The WARC files.
    pub warc_dir: &'a Path,
}

/// The longest reason (characters) an action takes: a case number and a sentence.
pub const MAX_REASON: usize = 500;

/// The longest case name (characters) an export takes.
pub const MAX_CASE: usize = 200;

/// A reason that is not blank, one line of plain text, at most [`MAX_REASON`] characters.
pub fn reason_given(reason: Option<&str>) -> Result<&str, ActionError> {
    match reason.map(str::trim) {
        Some(r) if !r.is_empty() => {
            archive::custody::text::short_text("reason", r, MAX_REASON)
                .map_err(|e| ActionError::Invalid(e.to_string()))?;
            Ok(r)
        }
        _ => Err(ActionError::ReasonRequired),
    }
}

/// An optional reason, checked as [`reason_given`] checks one (it goes into the audit log,
/// whose head is signed).
pub fn reason_if_any(reason: Option<&str>) -> Result<Option<&str>, ActionError> {
    match reason.map(str::trim) {
        Some(r) if !r.is_empty() => reason_given(Some(r)).map(Some),
        _ => Ok(None),
    }
}

/// Writes one audit entry (for what the API does beside the actions: downloads).
pub(crate) async fn log(
    ctx: &Ctx<'_>,
    actor: &Actor,
    action: &str,
    target: &str,
    reason: &str,
    result: &str,
) -> Result<(), ActionError> {
    crate::audit::append(
        ctx.db,
        &crate::audit::Event {
            actor: actor.id(),
            role: actor.role_name(),
            action,
            target,
            reason,
            result,
        },
    )
    .await?;
    Ok(())
}

/// Logs how an action ended (`ok(value)` when it succeeded, `code: message` when not) and
/// hands the outcome on.
async fn logged<T>(
    ctx: &Ctx<'_>,
    actor: &Actor,
    action: &str,
    target: &str,
    reason: &str,
    outcome: Result<T, ActionError>,
    ok: impl FnOnce(&T) -> String,
) -> Result<T, ActionError> {
    let result = match &outcome {
        Ok(v) => ok(v),
        Err(e) => format!("{}: {e}", e.code()),
    };
    log(ctx, actor, action, target, reason, &result).await?;
    outcome
}
