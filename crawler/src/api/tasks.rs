//! `/api/v1/tasks`: what a seed's session asks of a person, for operators. The console's
//! task view uses these routes: it lists the open tasks, shows a CAPTCHA image from the
//! archive, and sends the answer.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::Role;
use super::{Api, ApiError, Params};
use crate::actions;
use crate::session::Answer;

/// `GET /api/v1/tasks`: newest first; `state=open` for the open ones only.
pub(super) async fn list(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let p = Params::parse(q)?;
    p.only(&["state"])?;
    let state = p.text("state");
    if let Some(s) = state {
        if !["open", "answered", "done", "skipped", "expired"].contains(&s) {
            return Err(ApiError::bad(format!(
                "state = '{s}': use open, answered, done, skipped or expired"
            )));
        }
    }
    let tasks: Vec<_> = actions::tasks::list(&api.crawler, &caller.as_actor())?
        .into_iter()
        .filter(|t| state.is_none_or(|s| serde_json::to_value(t.state).ok() == Some(json!(s))))
        .collect();
    Ok(Json(json!({ "tasks": tasks })))
}

/// `GET /api/v1/tasks/{id}`
pub(super) async fn one(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let Path(id) = super::path(path)?;
    let task = actions::tasks::one(&api.crawler, &caller.as_actor(), &id)?;
    Ok(Json(json!(task)))
}

/// `GET /api/v1/tasks/{id}/captcha`: the CAPTCHA image as archived.
pub(super) async fn captcha(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let Path(id) = super::path(path)?;
    let crawler = api.crawler.clone();
    let actor = caller.as_actor();
    let (bytes, kind) = api
        .act(async |ctx| actions::tasks::captcha(&crawler, ctx, &actor, &id).await)
        .await?;
    let mut resp = super::inert(bytes, kind.unwrap_or("application/octet-stream"));
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// An answer: exactly one of the three.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerBody {
    captcha: Option<String>,
    cookies: Option<String>,
    retry: Option<bool>,
}

/// `POST /api/v1/tasks/{id}/answer` with `{"captcha": "…"}`, `{"cookies": "…"}` or
/// `{"retry": true}`.
pub(super) async fn answer(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let Path(id) = super::path(path)?;
    let body = super::body(body)?;
    let b: AnswerBody = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad(format!(
            "the body is not an answer ({e}): send {{\"captcha\": \"TEXT\"}}, {{\"cookies\": \"COOKIES.TXT OR JSON\"}} or {{\"retry\": true}}"
        ))
    })?;
    let answer = match (b.captcha, b.cookies, b.retry) {
        (Some(c), None, None) => Answer::Captcha(c),
        (None, Some(c), None) => Answer::Cookies(c),
        (None, None, Some(true)) => Answer::Retry,
        _ => {
            return Err(ApiError::bad(
                "give exactly one of captcha, cookies or retry: true",
            ))
        }
    };
    let task = actions::tasks::answer(&api.crawler, &caller.as_actor(), &id, answer).await?;
    Ok(Json(json!(task)))
}

/// `POST /api/v1/tasks/{id}/skip`: the seed stays paused.
pub(super) async fn skip(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Operator]).await?;
    let Path(id) = super::path(path)?;
    let task = actions::tasks::skip(&api.crawler, &caller.as_actor(), &id).await?;
    Ok(Json(json!(task)))
}
