//! The analyst's questions about entities and text: which entities the archive holds, where
//! and when one appeared, and where a phrase was written. Each is an audited read.

use archive::ledger::{EntityFilter, EntityRow, HostSpan, Sighting};
use archive::search::{SearchRequest, UrlHits};
use entities::Kind;
use serde::Serialize;

use super::{logged, ActionError, Actor, Ctx, Role};

/// An entity kind named by an analyst.
pub fn kind(name: &str) -> Result<Kind, ActionError> {
    name.parse::<Kind>()
        .map_err(|e| ActionError::Invalid(e.to_string()))
}

/// Entities matching `filter` (`nightjar entities`).
pub async fn list_entities(
    ctx: &Ctx<'_>,
    actor: &Actor,
    filter: &EntityFilter,
) -> Result<Vec<EntityRow>, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let mut target = Vec::new();
    if let Some(k) = filter.kind {
        target.push(format!("kind={k}"));
    }
    if let Some(s) = &filter.since {
        target.push(format!("since={s}"));
    }
    if let Some(s) = &filter.seed {
        target.push(format!("seed={s}"));
    }
    if filter.shared {
        target.push("shared".into());
    }
    let rows = archive::ledger::list(ctx.db, filter)
        .await
        .map_err(ActionError::from);
    logged(
        ctx,
        actor,
        "entities.list",
        &target.join("&"),
        "",
        rows,
        |r| format!("ok: {} entities", r.len()),
    )
    .await
}

/// One entity's record: the ledger's row, its hosts and its sightings.
#[derive(Clone, Debug, Serialize)]
pub struct EntityReport {
    /// The ledger's row.
    pub entity: EntityRow,
    /// Per host, first and last seen.
    pub hosts: Vec<HostSpan>,
    /// Every sighting, oldest first (at most `limit`).
    pub timeline: Vec<Sighting>,
}

/// Where and when an entity appeared (`nightjar entity VALUE`). `value` is read as the
/// analyst wrote it (`+7 916 …`, a lowercase Ethereum address, a spaced fingerprint) and
/// looked up in its canonical form.
pub async fn entity(
    ctx: &Ctx<'_>,
    actor: &Actor,
    value: &str,
    kind_hint: Option<Kind>,
    limit: usize,
) -> Result<EntityReport, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let outcome = async {
        let (kind, canonical) = match (kind_hint, entities::canonical(value)) {
            (Some(k), Some(f)) if f.kind == k => (k, f.value),
            (Some(k), _) => (k, value.trim().to_string()),
            (None, Some(f)) => (f.kind, f.value),
            (None, None) => {
                return Err(ActionError::Invalid(format!(
                    "'{value}' is not a valid entity of any kind (a checksum fails or the form is \
                     unknown); give --kind to look up a value as stored, e.g. a handle"
                )))
            }
        };
        let row = archive::ledger::lookup(ctx.db, kind, &canonical)
            .await?
            .ok_or_else(|| {
                ActionError::NotFound(format!(
                    "{kind} {canonical} was not seen in any capture (run `nightjar reindex \
                     --entities` if the archive predates entity extraction)"
                ))
            })?;
        let hosts = archive::ledger::hosts(ctx.db, row.id).await?;
        let timeline = archive::ledger::timeline(ctx.db, row.id, limit).await?;
        Ok(EntityReport {
            entity: row,
            hosts,
            timeline,
        })
    }
    .await;
    logged(
        ctx,
        actor,
        "entities.show",
        value.trim(),
        "",
        outcome,
        |r| format!("ok: {} sightings", r.timeline.len()),
    )
    .await
}

/// The entities found in one capture.
pub async fn entities_of_capture(
    ctx: &Ctx<'_>,
    actor: &Actor,
    capture_id: i64,
) -> Result<Vec<EntityRow>, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let rows = archive::ledger::of_capture(ctx.db, capture_id)
        .await
        .map_err(ActionError::from);
    logged(
        ctx,
        actor,
        "entities.of_capture",
        &capture_id.to_string(),
        "",
        rows,
        |r| format!("ok: {} entities", r.len()),
    )
    .await
}

/// Full-text search (`nightjar search QUERY`).
pub async fn search_text(
    ctx: &Ctx<'_>,
    actor: &Actor,
    req: &SearchRequest,
) -> Result<Vec<UrlHits>, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let outcome = archive::search::search(ctx.db, req).await.map_err(|e| {
        match e.downcast_ref::<archive::search::QueryError>() {
            Some(q) => ActionError::Invalid(q.to_string()),
            None => ActionError::Failed(e),
        }
    });
    let mut target = format!("q={}", req.query);
    for (k, v) in [
        ("seed", &req.seed),
        ("host", &req.host),
        ("since", &req.since),
        ("until", &req.until),
    ] {
        if let Some(v) = v {
            target.push_str(&format!("&{k}={v}"));
        }
    }
    logged(ctx, actor, "text.search", &target, "", outcome, |r| {
        format!("ok: {} urls", r.len())
    })
    .await
}

/// Entities of a selection as a MISP event (`nightjar misp`).
pub async fn misp_event(
    ctx: &Ctx<'_>,
    actor: &Actor,
    case: &str,
    sel: &archive::ledger::Selection,
) -> Result<serde_json::Value, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let mut target = format!("case={case}");
    for (k, v) in [
        ("seed", &sel.seed),
        ("since", &sel.since),
        ("until", &sel.until),
    ] {
        if let Some(v) = v {
            target.push_str(&format!("&{k}={v}"));
        }
    }
    let outcome = async {
        if case.trim().is_empty() {
            return Err(ActionError::Invalid(
                "--case is empty: name the case the event belongs to".into(),
            ));
        }
        let entities = archive::ledger::evidence(ctx.db, sel).await?;
        let mut info = format!("nightjar: entities of case {case}");
        if let Some(seed) = &sel.seed {
            info.push_str(&format!(", seed {seed}"));
        }
        if sel.since.is_some() || sel.until.is_some() {
            info.push_str(&format!(
                ", seen {} to {}",
                sel.since.as_deref().unwrap_or("the start"),
                sel.until.as_deref().unwrap_or("now")
            ));
        }
        Ok((entities.len(), archive::misp::event(&info, &entities)))
    }
    .await;
    logged(
        ctx,
        actor,
        "entities.misp",
        &target,
        "",
        outcome,
        |(n, _)| format!("ok: {n} entities"),
    )
    .await
    .map(|(_, event)| event)
}
