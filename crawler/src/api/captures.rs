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
use crate::actions::{self, Ctx};
use crate::monitor::{parse_time, DayEnd};

/// The search's parameters; the last two (page size, reason) do not define what is sought.
const SEARCH_PARAMS: &[&str] = &[
    "url", "prefix", "host", "since", "until", "status", "mime", "cursor", "limit", "reason",
];

/// `GET /api/v1/captures?url=|prefix=|host=&since=&until=&status=&mime=&cursor=&limit=&reason=`
pub(super) async fn search(
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
    // A trailing `*` says "prefix" in the console's search box; here it says the same.
    search.prefix = p
        .text("prefix")
        .map(|x| x.strip_suffix('*').unwrap_or(x).to_string())
        .filter(|x| !x.is_empty());
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
    search.limit = page_size(&p, api.max_page)?;
    let (db, warc_dir) = api.ctx();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let (rows, next) =
        actions::content::search_captures(&ctx, &caller.as_actor(), &search, p.text("reason"))
            .await?;
    Ok(Json(json!({"captures": rows, "next_cursor": next})))
}

/// `GET /api/v1/captures/{id}`: one capture's index entry.
pub(super) async fn one(
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
    let (db, warc_dir) = api.ctx();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let row =
        actions::content::capture_entry(&ctx, &caller.as_actor(), id, p.text("reason")).await?;
    Ok(Json(json!({ "capture": row })))
}
