//! `/api/v1/captures`: searching the capture index, and one capture's metadata.
//!
//! Pages go newest first by capture ID; `next_cursor` is the ID to pass as `cursor` for the
//! next page, so a page never shifts when new captures arrive meanwhile.

use std::sync::Arc;

use archive::index::CaptureRow;
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

/// A condition on the URL's first characters (no LIKE, so no wildcard escaping).
fn starts_with(sql: &mut Vec<String>, binds: &mut Vec<Bind>, prefixes: &[String]) {
    let any: Vec<&str> = prefixes.iter().map(|_| "substr(url, 1, ?) = ?").collect();
    sql.push(format!("({})", any.join(" OR ")));
    for p in prefixes {
        binds.push(Bind::Int(p.chars().count() as i64));
        binds.push(Bind::Text(p.clone()));
    }
}

enum Bind {
    Int(i64),
    Text(String),
}

/// `GET /api/v1/captures?url=|prefix=|host=&since=&until=&status=&mime=&cursor=&limit=&reason=`
pub async fn search(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let p = Params::parse(q)?;
    p.only(SEARCH_PARAMS)?;
    let mut sql: Vec<String> = Vec::new();
    let mut binds: Vec<Bind> = Vec::new();
    if let Some(u) = p.text("url") {
        let canonical = frontier::canon::canonicalize(u)
            .map_err(|e| ApiError::bad(format!("url '{u}': {e}")))?;
        sql.push("url = ?".into());
        binds.push(Bind::Text(canonical.to_string()));
    }
    if let Some(prefix) = p.text("prefix") {
        starts_with(&mut sql, &mut binds, &[prefix.to_string()]);
    }
    if let Some(host) = p.text("host") {
        let host = host.to_ascii_lowercase();
        if host.contains(['/', '?', '#', '@']) {
            return Err(ApiError::bad(format!(
                "host '{host}' must be a host name (and port), not a URL"
            )));
        }
        let forms: Vec<String> = ["http://", "https://"]
            .iter()
            .flat_map(|s| [format!("{s}{host}/"), format!("{s}{host}:")])
            .collect();
        starts_with(&mut sql, &mut binds, &forms);
    }
    let now = chrono::Utc::now();
    for (name, op, end) in [("since", ">=", DayEnd::Start), ("until", "<=", DayEnd::End)] {
        if let Some(t) = p.text(name) {
            let t = parse_time(t, now, end).map_err(|e| ApiError::bad(format!("{name}: {e:#}")))?;
            sql.push(format!("captured_at {op} ?"));
            binds.push(Bind::Text(t));
        }
    }
    if let Some(s) = p.int("status")? {
        sql.push("status = ?".into());
        binds.push(Bind::Int(s));
    }
    if let Some(m) = p.text("mime") {
        sql.push("mime = ?".into());
        binds.push(Bind::Text(m.to_ascii_lowercase()));
    }
    if let Some(c) = p.int("cursor")? {
        sql.push("id < ?".into());
        binds.push(Bind::Int(c));
    }
    let limit = page_size(&p, api.max_page)?;
    let filter = if sql.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", sql.join(" AND "))
    };
    // Only fixed SQL fragments are joined; every value is bound.
    let text = format!("SELECT * FROM captures {filter} ORDER BY id DESC LIMIT ?");
    let mut query = sqlx::query_as::<_, CaptureRow>(sqlx::AssertSqlSafe(text));
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(i),
            Bind::Text(t) => query.bind(t),
        };
    }
    let mut rows = query.bind(limit + 1).fetch_all(&api.crawler.pool).await?;
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
