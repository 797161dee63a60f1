//! Archived content and what changed: a capture's headers, body or whole record (raw, as
//! archived), the change feed, a URL's history, and the diff of two captures.
//!
//! Content views and diffs show archived personal data, so they require a `reason` (a case
//! number or justification), which goes to the audit log with the caller. Archived bytes are
//! served as an opaque download (`application/octet-stream`, `nosniff`, a sandboxing CSP):
//! the API's origin never renders archived HTML or runs its scripts.

use std::sync::Arc;

use archive::changes::ChangeClass;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};

use super::access::Role;
use super::{page_size, Api, ApiError, Params};
use crate::actions::content::Part;
use crate::actions::{self, Ctx};
use crate::monitor::{parse_time, DayEnd};

fn capture_id(s: &str) -> Result<i64, ApiError> {
    s.parse()
        .map_err(|_| ApiError::bad(format!("capture ID '{s}' must be an integer")))
}

/// `GET /api/v1/captures/{id}/{part}?reason=`: `headers`, `body` or `record` as archived, or
/// `page`: the body decoded to UTF-8 text for a viewer (its source encoding in
/// `X-Nightjar-Source-Encoding`).
pub(super) async fn raw(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let Path((id, part)) = super::path(path)?;
    let p = Params::parse(q)?;
    p.only(&["reason"])?;
    let id = capture_id(&id)?;
    let Some(which) = Part::parse(&part) else {
        return Err(ApiError::not_found(format!(
            "'{part}': a capture has headers, body, record and page"
        )));
    };
    let (db, warc_dir) = api.ctx();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let read =
        actions::content::read_capture(&ctx, &caller.as_actor(), id, which, p.text("reason"))
            .await?;
    let content_type = match which {
        // Decoded text for the console's viewer, still never rendered on this origin.
        Part::Page => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    let mut resp = super::inert(read.bytes, content_type);
    let h = resp.headers_mut();
    if let Some(encoding) = read.encoding {
        h.insert(
            header::HeaderName::from_static("x-nightjar-source-encoding"),
            HeaderValue::from_static(encoding),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"capture-{id}.{part}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// Another node sharing the database reads a record this node holds (role `node`).
pub(super) async fn record(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, &[Role::Node]).await?;
    let Path(id) = super::path(path)?;
    let p = Params::parse(q)?;
    p.only(&["reason"])?;
    let (db, warc_dir) = api.ctx();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let bytes =
        actions::content::record_for_node(&ctx, &caller.as_actor(), &id, p.text("reason")).await?;
    Ok(super::inert(bytes, "application/warc"))
}

/// The feed's parameters; the last (page size) does not define what is sought.
const CHANGE_PARAMS: &[&str] = &[
    "since", "until", "seed", "site", "host", "class", "cursor", "limit",
];

/// `GET /api/v1/changes?since=&until=&seed=&host=&class=a,b&cursor=&limit=`: newest first;
/// `next_cursor` (the last capture of a full page) asks for the next page.
pub(super) async fn changes(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(CHANGE_PARAMS)?;
    let now = chrono::Utc::now();
    let time = |name: &str, end: DayEnd| {
        p.text(name)
            .map(|t| parse_time(t, now, end).map_err(|e| ApiError::bad(format!("{name}: {e:#}"))))
            .transpose()
    };
    let classes: Vec<ChangeClass> = match p.text("class") {
        None => ChangeClass::NOTEWORTHY.to_vec(),
        Some(list) => list
            .split(',')
            .map(|c| c.trim().parse::<ChangeClass>())
            .collect::<Result<_, _>>()
            .map_err(|e| ApiError::bad(format!("class {e}")))?,
    };
    let mut filter = archive::changes::Filter {
        since: Some(time("since", DayEnd::Start)?.unwrap_or_else(|| {
            parse_time("24h", now, DayEnd::Start).expect("a fixed duration parses")
        })),
        until: time("until", DayEnd::End)?,
        seed: p.text("seed").map(str::to_string),
        seeds: Vec::new(),
        host: p.text("host").map(str::to_string),
        classes,
        limit: page_size(&p, api.max_page)?,
        after_capture: p.int("cursor")?,
    };
    let (db, warc_dir) = api.ctx();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    if let Some(site) = p.text("site") {
        filter.seeds = actions::sites::seeds_of(&ctx, site).await?;
    }
    let rows = actions::content::changes_feed(&ctx, &caller.as_actor(), &filter).await?;
    // A full page may have more behind it: its last capture asks for them.
    let next = (rows.len() as i64 == filter.limit)
        .then(|| rows.last().map(|r| r.capture_id))
        .flatten();
    Ok(Json(json!({ "changes": rows, "next_cursor": next })))
}

/// `GET /api/v1/history?url=`: every capture of a URL, oldest first, with change classes.
pub(super) async fn history(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(&["url", "reason"])?;
    let u = p
        .text("url")
        .ok_or_else(|| ApiError::bad("url is required"))?;
    let (db, warc_dir) = api.ctx();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let (url, rows) =
        actions::content::history(&ctx, &caller.as_actor(), u, p.text("reason")).await?;
    Ok(Json(json!({ "url": url, "history": rows })))
}

/// `GET /api/v1/diff?a=&b=&reason=`: text, links and headers that differ.
pub(super) async fn diff(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(&["a", "b", "reason"])?;
    let (Some(a), Some(b)) = (p.int("a")?, p.int("b")?) else {
        return Err(ApiError::bad("a and b (two capture IDs) are required"));
    };
    let (db, warc_dir) = api.ctx();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let d = actions::content::diff(&ctx, &caller.as_actor(), a, b, p.text("reason")).await?;
    Ok(Json(serde_json::to_value(d).map_err(anyhow::Error::from)?))
}
