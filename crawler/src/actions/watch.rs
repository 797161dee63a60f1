//! Watches and their alerts: added, listed and removed by analysts, each change audited.

use crate::store::watches::{self as store, AlertRow, WatchRow};
use crate::watch::Rule;

use super::{log, logged, ActionError, Actor, Ctx, Role};

/// What a new watch looks for and where.
#[derive(Clone, Debug)]
pub struct NewWatch {
    /// Its name (unique among live watches).
    pub name: String,
    /// What it looks for.
    pub rule: Rule,
    /// Only this seed.
    pub seed: Option<String>,
    /// Only this host (`host` or `host:port`).
    pub host: Option<String>,
}

/// A watch's rule from the three ways an analyst can give one: exactly one of them.
pub fn rule(
    entity: Option<&str>,
    text: Option<&str>,
    regex: Option<&str>,
) -> Result<Rule, ActionError> {
    let r = match (entity, text, regex) {
        (Some(e), None, None) => Rule::entity(e),
        (None, Some(t), None) => Rule::text(t),
        (None, None, Some(r)) => Rule::regex(r),
        _ => {
            return Err(ActionError::Invalid(
                "give exactly one of --entity VALUE, --text PHRASE or --regex R".into(),
            ))
        }
    };
    r.map_err(ActionError::Invalid)
}

/// Adds a watch.
pub async fn add(ctx: &Ctx<'_>, actor: &Actor, w: &NewWatch) -> Result<(), ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let name = w.name.trim();
    if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(ActionError::Invalid(
            "a watch name is 1 to 100 printable characters".into(),
        ));
    }
    let by = actor.id().to_string();
    let at = archive::index::index_time(&chrono::Utc::now());
    let pattern = w.rule.pattern();
    let described = format!(
        "{name}: {} {pattern}{}{}",
        w.rule.name(),
        w.seed
            .as_deref()
            .map(|s| format!(" seed={s}"))
            .unwrap_or_default(),
        w.host
            .as_deref()
            .map(|h| format!(" host={h}"))
            .unwrap_or_default()
    );
    let host = w.host.as_deref().map(str::to_ascii_lowercase);
    let row = store::NewWatchRow {
        name,
        rule: w.rule.name(),
        pattern: &pattern,
        seed: w.seed.as_deref(),
        host: host.as_deref(),
        at: &at,
        by: &by,
    };
    let outcome = match store::insert(ctx.db, &row).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(ActionError::Invalid(format!(
            "a watch named '{name}' exists: remove it first or choose another name"
        ))),
        Err(e) => Err(ActionError::Failed(e)),
    };
    logged(ctx, actor, "watch.add", &described, "", outcome, |_| {
        "ok".into()
    })
    .await
}

/// Removes a live watch; its alerts stay.
pub async fn remove(ctx: &Ctx<'_>, actor: &Actor, name: &str) -> Result<(), ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let at = archive::index::index_time(&chrono::Utc::now());
    let outcome = match store::remove(ctx.db, name, &at).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(ActionError::NotFound(format!(
            "no watch named '{name}' (`nightjar watch list` shows them)"
        ))),
        Err(e) => Err(ActionError::Failed(e)),
    };
    logged(ctx, actor, "watch.remove", name, "", outcome, |_| {
        "ok".into()
    })
    .await
}

/// The live watches (and removed ones, if asked).
pub async fn list(
    ctx: &Ctx<'_>,
    actor: &Actor,
    with_removed: bool,
) -> Result<Vec<WatchRow>, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let rows = store::list(ctx.db, with_removed).await?;
    log(
        ctx,
        actor,
        "watch.list",
        "",
        "",
        &format!("ok: {} watches", rows.len()),
    )
    .await?;
    Ok(rows)
}

/// Alerts, newest first; with `before_id`, those older than that alert (the next page).
pub async fn alerts(
    ctx: &Ctx<'_>,
    actor: &Actor,
    watch: Option<&str>,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AlertRow>, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let rows = store::alerts(ctx.db, watch, before_id, limit.clamp(1, 100_000)).await;
    logged(
        ctx,
        actor,
        "alerts.list",
        watch.unwrap_or(""),
        "",
        rows.map_err(ActionError::Failed),
        |r| format!("ok: {} alerts", r.len()),
    )
    .await
}
