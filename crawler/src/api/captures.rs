//! `/api/v1/captures`: searching the capture index, and one capture's metadata.
//!
//! Pages go newest first by capture ID; `next_cursor` is the ID to pass as `cursor` for the
//! next page, so a page never shifts when new captures arrive meanwhile.

use std::sync::Arc;

use archive::index::CaptureSearch;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use super::access::Role;
use super::{page_size, Api, ApiError, Params};
use crate::monitor::{parse_time, DayEnd};

/// The search's parameters; the last two (page size, reason) do not define what is sought.
const SEARCH_PARAMS: &[&str] = &[
    "url", "prefix", "host", "since", "until", "status", "mime", "cursor", "limit", "reason",
];

/// `GET /api/v1/captures?url=|prefix=|host=&since=&until=&status=&mime=&cursor=&limit=&reason=`
pub async fn search(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(SEARCH_PARAMS)?;
    let mut search = CaptureSearch::default();
    if let Some(u) = p.text("url") {
        let canonical = frontier::canon::canonicalize(u)
            .map_err(|e| ApiError::bad(format!("url '{u}': {e}")))?;
        search.url = Some(canonical.to_string());
    }
    search.prefix = p.text("prefix").map(str::to_string);
    if let Some(host) = p.text("host") {
        let host = host.to_ascii_lowercase();
        if host.contains(['/', '?', '#', '@']) {
            return Err(ApiError::bad(format!(
                "host '{host}' must be a host name (and port), not a URL"
            )));
        }
        search.host = Some(host);
    }
    let now = chrono::Utc::now();
    let time = |name: &str, end| {
        p.text(name)
            .map(|t| parse_time(t, now, end).map_err(|e| ApiError::bad(format!("{name}: {e:#}"))))
            .transpose()
    };
    search.since = time("since", DayEnd::Start)?;
    search.until = time("until", DayEnd::End)?;
    search.status = p.int("status")?;
    search.mime = p.text("mime").map(str::to_ascii_lowercase);
    search.before_id = p.int("cursor")?;
    let limit = page_size(&p, api.max_page)?;
    // One more than a page: whether there is a next page.
    search.limit = limit + 1;
    let mut rows = archive::index::search(&api.crawler.pool, &search).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let target = p.described(&SEARCH_PARAMS[..SEARCH_PARAMS.len() - 2]);
    api.audit(
        &caller,
        "captures.search",
        &target,
        p.text("reason").unwrap_or(""),
        &format!("ok: {} captures", rows.len()),
    )
    .await?;
    Ok(Json(json!({"captures": rows, "next_cursor": next})))
}

/// `GET /api/v1/captures/{id}`: one capture's index entry.
pub async fn one(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let Path(id) = super::path(id)?;
    let p = Params::parse(q)?;
    p.only(&["reason"])?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad(format!("capture ID '{id}' must be an integer")))?;
    let row = archive::index::capture(&api.crawler.pool, id).await?;
    let reason = p.text("reason").unwrap_or("");
    let result = if row.is_some() { "ok" } else { "not found" };
    api.audit(&caller, "capture.read", &id.to_string(), reason, result)
        .await?;
    match row {
        Some(r) => Ok(Json(json!({ "capture": r }))),
        None => Err(ApiError::not_found(format!("no capture {id}"))),
    }
}
