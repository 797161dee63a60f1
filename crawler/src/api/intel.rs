//! Entities, full-text search, watches and alerts, and MISP events: the analyst's questions
//! of [`crate::actions::intel`] and [`crate::actions::watch`] over HTTP. Every route is the
//! analyst's and audited.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::Role;
use super::{page_size, Api, ApiError, Params};
use crate::actions;
use crate::monitor::{parse_time, DayEnd};

/// A time parameter in any of the forms the CLI takes.
fn time(p: &Params, name: &str, end: DayEnd) -> Result<Option<String>, ApiError> {
    let now = chrono::Utc::now();
    p.text(name)
        .map(|t| parse_time(t, now, end).map_err(|e| ApiError::bad(format!("{name}: {e:#}"))))
        .transpose()
}

/// `cursor` of a list paged by position: how many rows the previous pages held.
fn offset(p: &Params) -> Result<usize, ApiError> {
    match p.int("cursor")? {
        None => Ok(0),
        Some(n) if n >= 0 => Ok(n as usize),
        Some(n) => Err(ApiError::bad(format!(
            "cursor {n}: use the next_cursor of the previous page"
        ))),
    }
}

/// The cursor of the page after a full one (`None` after a short page: the end).
fn next_offset(offset: &usize, limit: usize, got: usize) -> Option<usize> {
    (got >= limit).then(|| offset + got)
}

/// `GET /api/v1/entities?kind=&since=&seed=&shared=&cursor=&limit=`
pub(super) async fn entities(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(&["kind", "since", "seed", "site", "shared", "cursor", "limit"])?;
    let shared = match p.text("shared") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad(format!(
                "shared = '{other}': use true or false"
            )))
        }
    };
    let mut filter = archive::ledger::EntityFilter {
        kind: p.text("kind").map(actions::intel::kind).transpose()?,
        since: time(&p, "since", DayEnd::Start)?,
        seed: p.text("seed").map(str::to_string),
        seeds: Vec::new(),
        shared,
        limit: page_size(&p, api.max_page)? as usize,
        offset: offset(&p)?,
    };
    let site = p.text("site");
    let rows = api
        .act(async |ctx| {
            if let Some(site) = site {
                filter.seeds = actions::sites::seeds_of(ctx, site).await?;
            }
            actions::intel::list_entities(ctx, &caller.as_actor(), &filter).await
        })
        .await?;
    let next = next_offset(&filter.offset, filter.limit, rows.len());
    Ok(Json(json!({ "entities": rows, "next_cursor": next })))
}

/// `GET /api/v1/entity?value=&kind=&limit=`: where and when one entity appeared.
pub(super) async fn entity(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(&["value", "kind", "limit"])?;
    let value = p
        .text("value")
        .ok_or_else(|| ApiError::bad("value is required"))?;
    let kind = p.text("kind").map(actions::intel::kind).transpose()?;
    let limit = page_size(&p, api.max_page)? as usize;
    let report = api
        .act(async |ctx| actions::intel::entity(ctx, &caller.as_actor(), value, kind, limit).await)
        .await?;
    Ok(Json(
        serde_json::to_value(report).map_err(anyhow::Error::from)?,
    ))
}

/// `GET /api/v1/captures/{id}/entities`
pub(super) async fn of_capture(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let Path(id) = super::path(id)?;
    Params::parse(q)?.only(&[])?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad(format!("capture ID '{id}' must be an integer")))?;
    let rows = api
        .act(async |ctx| actions::intel::entities_of_capture(ctx, &caller.as_actor(), id).await)
        .await?;
    Ok(Json(json!({ "capture_id": id, "entities": rows })))
}

/// `GET /api/v1/search?q=&seed=&host=&since=&until=&cursor=&limit=`
pub(super) async fn search(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(&["q", "seed", "host", "since", "until", "cursor", "limit"])?;
    let req = archive::search::SearchRequest {
        query: p
            .text("q")
            .ok_or_else(|| ApiError::bad("q (the query) is required"))?
            .to_string(),
        seed: p.text("seed").map(str::to_string),
        host: p.text("host").map(str::to_string),
        since: time(&p, "since", DayEnd::Start)?,
        until: time(&p, "until", DayEnd::End)?,
        limit: page_size(&p, api.max_page)? as usize,
        offset: offset(&p)?,
    };
    let hits = api
        .act(async |ctx| actions::intel::search_text(ctx, &caller.as_actor(), &req).await)
        .await?;
    let next = next_offset(&req.offset, req.limit, hits.len());
    Ok(Json(json!({ "results": hits, "next_cursor": next })))
}

/// `GET /api/v1/misp?case=&seed=&since=&until=`: a MISP event.
pub(super) async fn misp(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(&["case", "seed", "since", "until"])?;
    let case = p
        .text("case")
        .ok_or_else(|| ApiError::bad("case is required"))?;
    let sel = archive::ledger::Selection {
        captures: vec![],
        seed: p.text("seed").map(str::to_string),
        since: time(&p, "since", DayEnd::Start)?,
        until: time(&p, "until", DayEnd::End)?,
    };
    let event = api
        .act(async |ctx| actions::intel::misp_event(ctx, &caller.as_actor(), case, &sel).await)
        .await?;
    Ok(Json(event))
}

/// `GET /api/v1/watches`
pub(super) async fn watches(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    Params::parse(q)?.only(&[])?;
    let rows = api
        .act(async |ctx| actions::watch::list(ctx, &caller.as_actor(), false).await)
        .await?;
    Ok(Json(json!({ "watches": rows })))
}

/// The body of `POST /api/v1/watches`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewWatch {
    name: String,
    entity: Option<String>,
    text: Option<String>,
    regex: Option<String>,
    seed: Option<String>,
    host: Option<String>,
}

/// `POST /api/v1/watches` with `{name, entity | text | regex, seed?, host?}`.
pub(super) async fn add_watch(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let new: NewWatch = serde_json::from_slice(&super::body(body)?).map_err(|e| {
        ApiError::bad(format!(
            "the body must be JSON with name and one of entity, text, regex: {e}"
        ))
    })?;
    let rule = actions::watch::rule(
        new.entity.as_deref(),
        new.text.as_deref(),
        new.regex.as_deref(),
    )?;
    let w = actions::watch::NewWatch {
        name: new.name.clone(),
        rule,
        seed: new.seed,
        host: new.host,
    };
    api.act(async |ctx| actions::watch::add(ctx, &caller.as_actor(), &w).await)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"name": new.name.trim(), "rule": w.rule.name(), "pattern": w.rule.pattern()})),
    )
        .into_response())
}

/// `DELETE /api/v1/watches/{name}`
pub(super) async fn remove_watch(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let Path(name) = super::path(name)?;
    api.act(async |ctx| actions::watch::remove(ctx, &caller.as_actor(), &name).await)
        .await?;
    Ok(Json(json!({ "name": name })))
}

/// `GET /api/v1/alerts?watch=&cursor=&limit=`
pub(super) async fn alerts(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(&["watch", "cursor", "limit"])?;
    let limit = page_size(&p, api.max_page)?;
    let before = p.int("cursor")?;
    let rows = api
        .act(async |ctx| {
            actions::watch::alerts(ctx, &caller.as_actor(), p.text("watch"), before, limit).await
        })
        .await?;
    // A full page may have more behind it: the last alert's ID asks for them.
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|a| a.id))
        .flatten();
    Ok(Json(json!({ "alerts": rows, "next_cursor": next })))
}
