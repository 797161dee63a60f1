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
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::access::{Caller, Role};
use super::{page_size, Api, ApiError, Params};
use crate::monitor::{self, parse_time, DayEnd};

/// The `reason` parameter, which content views require.
fn reason(p: &Params) -> Result<String, ApiError> {
    p.text("reason").map(str::to_string).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "reason_required",
            "viewing archived content needs a reason: add reason=CASE-NUMBER-OR-JUSTIFICATION",
        )
    })
}

fn capture_id(s: &str) -> Result<i64, ApiError> {
    s.parse()
        .map_err(|_| ApiError::bad(format!("capture ID '{s}' must be an integer")))
}

async fn audited<T>(
    api: &Api,
    caller: &Caller,
    action: &str,
    target: &str,
    reason: &str,
    outcome: Result<T, ApiError>,
) -> Result<T, ApiError> {
    let result = match &outcome {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("{}: {}", e.code, e.message),
    };
    api.audit(caller, action, target, reason, &result).await?;
    outcome
}

/// `GET /api/v1/captures/{id}/{part}?reason=`: `headers`, `body` or `record`.
pub async fn raw(
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
    if !matches!(part.as_str(), "headers" | "body" | "record") {
        return Err(ApiError::not_found(format!(
            "'{part}': a capture has headers, body and record"
        )));
    }
    let why = reason(&p)?;
    let bytes = read_part(&api, id, &part).await;
    let bytes = audited(
        &api,
        &caller,
        &format!("capture.{part}"),
        &id.to_string(),
        &why,
        bytes,
    )
    .await?;
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"capture-{id}.{part}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

async fn read_part(api: &Api, id: i64, part: &str) -> Result<Vec<u8>, ApiError> {
    let pool = &api.crawler.pool;
    let row = archive::index::capture(pool, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no capture {id}")))?;
    if row.file.is_none() {
        return Err(ApiError::not_found(format!(
            "capture {id} is a failed fetch: nothing was archived"
        )));
    }
    // A revisit's body is its original's, byte for byte (the digests say so).
    let holder = if part == "body" && row.is_revisit() {
        monitor::payload_holder(pool, &row).await?
    } else {
        row
    };
    let dir = api.crawler.cfg().warc_dir();
    let part = part.to_string();
    let bytes = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<u8>> {
        let rec = monitor::read_record(&dir, &holder)?;
        if part == "record" {
            return Ok(rec.block);
        }
        let msg = archive::http::HttpMessage::parse_response(&rec.block)?;
        Ok(match part.as_str() {
            "headers" => rec.block[..msg.body_offset].to_vec(),
            _ => msg.payload,
        })
    })
    .await
    .map_err(anyhow::Error::from)??;
    Ok(bytes)
}

/// The feed's parameters; the last (page size) does not define what is sought.
const CHANGE_PARAMS: &[&str] = &["since", "until", "seed", "host", "class", "limit"];

/// `GET /api/v1/changes?since=&until=&seed=&host=&class=a,b&limit=`: newest first.
pub async fn changes(
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
    let filter = archive::changes::Filter {
        since: Some(time("since", DayEnd::Start)?.unwrap_or_else(|| {
            parse_time("24h", now, DayEnd::Start).expect("a fixed duration parses")
        })),
        until: time("until", DayEnd::End)?,
        seed: p.text("seed").map(str::to_string),
        host: p.text("host").map(str::to_string),
        classes,
        limit: page_size(&p, api.max_page)?,
    };
    let rows = archive::changes::feed(&api.crawler.pool, &filter).await?;
    let target = p.described(&CHANGE_PARAMS[..CHANGE_PARAMS.len() - 1]);
    let result = format!("ok: {} changes", rows.len());
    api.audit(&caller, "changes.feed", &target, "", &result)
        .await?;
    Ok(Json(json!({ "changes": rows })))
}

/// `GET /api/v1/history?url=`: every capture of a URL, oldest first, with change classes.
pub async fn history(
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
    let canonical =
        frontier::canon::canonicalize(u).map_err(|e| ApiError::bad(format!("url '{u}': {e}")))?;
    let rows = archive::changes::history(&api.crawler.pool, canonical.as_str()).await?;
    let why = p.text("reason").unwrap_or("");
    let result = format!("ok: {} captures", rows.len());
    api.audit(&caller, "history", canonical.as_str(), why, &result)
        .await?;
    Ok(Json(json!({ "url": canonical.as_str(), "history": rows })))
}

/// `GET /api/v1/diff?a=&b=&reason=`: text, links and headers that differ.
pub async fn diff(
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
    let why = reason(&p)?;
    let pool = api.crawler.pool.clone();
    let dir = api.crawler.cfg().warc_dir();
    let mut outcome = Ok(());
    for id in [a, b] {
        if archive::index::capture(&pool, id).await?.is_none() {
            outcome = Err(ApiError::not_found(format!("no capture {id}")));
        }
    }
    let outcome = match outcome {
        Ok(()) => monitor::diff(&pool, &dir, a, b)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    let d = audited(&api, &caller, "diff", &format!("{a}..{b}"), &why, outcome).await?;
    Ok(Json(serde_json::to_value(d).map_err(anyhow::Error::from)?))
}
