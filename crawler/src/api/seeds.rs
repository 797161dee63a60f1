//! `/api/v1/seeds`: the seed set, read by operators and analysts, changed by operators.
//!
//! Changes go through the same checked, comment-preserving edits of the seed files as
//! `nightjar seeds` (new seeds land in `api.toml`), are logged in the seed and audit logs
//! with the token's name, and reach the crawl through the daemon's watch on the directory.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::{Caller, Role};
use super::{Api, ApiError, Params};
use crate::seed_admin::{self, Editor, SeedUpdate};
use crate::seeds::SeedEntry;

/// The file in the seeds directory that seeds added through the API go to.
const API_FILE: &str = "api.toml";

/// `GET /api/v1/seeds`
pub(super) async fn list(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    api.authorize(&headers, &[Role::Operator, Role::Analyst])
        .await?;
    Params::parse(q)?.only(&[])?;
    let cfg = api.crawler.cfg();
    let (seeds, problems) = crate::seeds::list_seed_dir(&cfg.crawl.seeds_dir, &cfg)?;
    let crawled: Vec<String> = api
        .crawler
        .frontier()
        .active_seeds()
        .into_iter()
        .map(|(_, s)| s.label)
        .collect();
    let reports = api.crawler.seed_reports(false).await?;
    let seeds: Vec<Value> = seeds
        .iter()
        .map(|s| {
            let report = reports.iter().find(|r| r.seed == s.spec.label);
            json!({
                "label": s.spec.label, "url": s.spec.url, "enabled": s.enabled,
                "crawled": crawled.contains(&s.spec.label),
                "state": report.map(|r| r.state), "state_text": report.map(|r| r.state.describe()),
                "why": report.and_then(|r| r.why.clone()),
                "next_try": report.and_then(|r| r.next_try.clone()),
                "last": report.and_then(|r| r.last.clone()),
                "last_at": report.and_then(|r| r.last_at.clone()),
                "failed_passes": report.map(|r| r.failed_passes),
                "recrawl_min_secs": s.spec.recrawl_min_secs, "recrawl_max_secs": s.spec.recrawl_max_secs,
                "rate_per_sec": s.spec.rate_per_sec, "max_in_flight": s.spec.max_in_flight,
                "robots": s.spec.robots,
                "recrawl_secs": s.spec.recrawl_secs, "route": s.spec.route.as_str(),
                "scope": s.spec.scope.as_str(), "max_depth": s.spec.max_depth,
                "max_pages": s.spec.max_pages,
                "file": s.file.file_name().map(|f| f.to_string_lossy().into_owned()),
            })
        })
        .collect();
    let problems: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    Ok(Json(json!({"seeds": seeds, "problems": problems})))
}

/// A new seed, as an operator sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSeed {
    label: Option<String>,
    url: String,
    scope: Option<frontier::scope::ScopeKind>,
    recrawl: Option<String>,
    max_depth: Option<u32>,
    max_pages: Option<u64>,
    recrawl_min: Option<String>,
    recrawl_max: Option<String>,
    rate_per_sec: Option<f64>,
    max_in_flight: Option<u32>,
    robots: Option<frontier::RobotsPolicy>,
    route: Option<frontier::Route>,
    enabled: Option<bool>,
}

/// A refused edit is the caller's to fix (400, naming the setting at fault when the
/// message does); a file that cannot be written is ours.
fn edit_error(e: anyhow::Error) -> ApiError {
    if e.chain()
        .any(|c| c.downcast_ref::<std::io::Error>().is_some())
    {
        ApiError::from(e.context("the seeds directory cannot be written"))
    } else {
        let message = format!("{e:#}");
        let field = setting_named(&message);
        ApiError::bad(message).on_field(field)
    }
}

/// The seed settings a request may carry, longest first where one name starts another.
const SETTINGS: &[&str] = &[
    "recrawl_min",
    "recrawl_max",
    "recrawl",
    "label",
    "url",
    "scope",
    "max_depth",
    "max_pages",
    "rate_per_sec",
    "max_in_flight",
    "robots",
    "route",
    "enabled",
];

/// The setting a refusal is about: the first setting named as a word in its message (the
/// checks in `crate::seeds` start their messages with it: `recrawl = '0s' is too short…`,
/// `the label is 80 characters long…`). `None` when the message names none.
fn setting_named(message: &str) -> Option<&'static str> {
    let words = message.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
    for word in words {
        if let Some(s) = SETTINGS.iter().find(|s| **s == word) {
            return Some(s);
        }
    }
    None
}

async fn logged(
    api: &Api,
    caller: &Caller,
    action: &str,
    label: &str,
    path: &std::path::Path,
    detail: &str,
) -> Result<(), ApiError> {
    let by = Editor::Token(caller.name.clone());
    seed_admin::log_change(api.crawler.db(), &by, action, label, path, detail).await?;
    Ok(())
}

/// `POST /api/v1/seeds` with a JSON seed: adds it (201).
pub(super) async fn add(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let new: NewSeed = serde_json::from_slice(&super::body(body)?)
        .map_err(|e| ApiError::bad(format!("the body must be a JSON seed: {e}")))?;
    let label = match &new.label {
        Some(l) => l.clone(),
        None => frontier::canon::canonicalize(&new.url)
            .map_err(|e| ApiError::bad(format!("url '{}': {e}", new.url)).on_field(Some("url")))?
            .host_str()
            .unwrap_or_default()
            .to_string(),
    };
    let entry = SeedEntry {
        label: label.clone(),
        url: new.url.clone(),
        scope: new.scope,
        include: vec![],
        exclude: vec![],
        max_depth: new.max_depth,
        max_pages: new.max_pages,
        recrawl: new.recrawl,
        recrawl_min: new.recrawl_min,
        recrawl_max: new.recrawl_max,
        rate_per_sec: new.rate_per_sec,
        max_in_flight: new.max_in_flight,
        robots: new.robots,
        route: new.route,
        enabled: new.enabled,
        region: None,
        ..Default::default()
    };
    let cfg = api.crawler.cfg();
    let _one_edit = api.seed_edits.lock().await;
    let path = seed_admin::add(&cfg.crawl.seeds_dir, API_FILE, &entry, &cfg).map_err(edit_error)?;
    logged(&api, &caller, "add", &label, &path, &new.url).await?;
    Ok((StatusCode::CREATED, Json(json!({"label": label}))).into_response())
}

/// `PATCH /api/v1/seeds/{label}` with any of `scope`, `recrawl`, `recrawl_min`,
/// `recrawl_max`, `max_depth`, `max_pages`, `rate_per_sec`, `max_in_flight`.
pub(super) async fn update(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    label: Result<Path<String>, PathRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let Path(label) = super::path(label)?;
    let change: SeedUpdate = serde_json::from_slice(&super::body(body)?).map_err(|e| {
        ApiError::bad(format!(
            "the body must be JSON with scope, recrawl, recrawl_min, recrawl_max, max_depth, max_pages, rate_per_sec or max_in_flight: {e}"
        ))
    })?;
    let cfg = api.crawler.cfg();
    let _one_edit = api.seed_edits.lock().await;
    let path =
        seed_admin::update(&cfg.crawl.seeds_dir, &label, &change, &cfg).map_err(edit_error)?;
    logged(
        &api,
        &caller,
        "update",
        &label,
        &path,
        &format!("{change:?}"),
    )
    .await?;
    Ok(Json(json!({"label": label})))
}

/// `DELETE /api/v1/seeds/{label}`: out of its file (its captures stay).
pub(super) async fn remove(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    label: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let Path(label) = super::path(label)?;
    let cfg = api.crawler.cfg();
    let _one_edit = api.seed_edits.lock().await;
    let path = seed_admin::remove(&cfg.crawl.seeds_dir, &label, &cfg).map_err(edit_error)?;
    logged(&api, &caller, "remove", &label, &path, "").await?;
    Ok(Json(json!({"label": label})))
}

/// `POST /api/v1/seeds/{label}/pause` and `/resume`.
pub(super) async fn pause_or_resume(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let Path((label, verb)) = super::path(path)?;
    let enable = match verb.as_str() {
        "pause" => false,
        "resume" => true,
        _ => {
            return Err(ApiError::not_found(format!(
                "'{verb}': use pause or resume"
            )))
        }
    };
    let cfg = api.crawler.cfg();
    let _one_edit = api.seed_edits.lock().await;
    let (path, changed) =
        seed_admin::set_enabled(&cfg.crawl.seeds_dir, &label, enable, &cfg).map_err(edit_error)?;
    if changed {
        let action = if enable { "enable" } else { "disable" };
        logged(&api, &caller, action, &label, &path, "").await?;
    }
    Ok(Json(
        json!({"label": label, "enabled": enable, "changed": changed}),
    ))
}

#[cfg(test)]
mod tests {
    use super::setting_named;

    #[test]
    fn a_refusal_names_the_setting_its_message_names_first() {
        let at = |m: &str| setting_named(m);
        assert_eq!(
            at("recrawl = '0s' is too short: at least 1s"),
            Some("recrawl")
        );
        assert_eq!(
            at("recrawl_min is longer than recrawl_max"),
            Some("recrawl_min")
        );
        assert_eq!(
            at("the label is 80 characters long; it may be at most 64"),
            Some("label")
        );
        assert_eq!(at("max_pages = 0 is out of range"), Some("max_pages"));
        assert_eq!(at("a.onion is a retired v2 onion address"), None);
    }
}
