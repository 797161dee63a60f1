//! Legal holds, erasure requests and the retention standing (through
//! `actions::erasure`): `/api/v1/holds`, `/api/v1/erasures`, `/api/v1/retention`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::Role;
use super::{Api, ApiError, Params};
use crate::actions::erasure::{self, EraseTarget, HoldSelection};

/// Every person's role: what each may do is the action's (and `[retention]`'s) to say.
const PEOPLE: &[Role] = &[Role::Operator, Role::Analyst, Role::Auditor];

fn parse<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
    shape: &str,
) -> Result<T, ApiError> {
    let body = super::body(body)?;
    serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad(format!("the body is not {shape} ({e})")))
}

fn id(p: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Path(id) = super::path(p)?;
    id.parse()
        .map_err(|_| ApiError::bad(format!("'{id}' is not a number")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EraseBody {
    capture: Option<i64>,
    url: Option<String>,
    entity: Option<String>,
    reason: Option<String>,
}

/// `POST /api/v1/erasures`: ask for an erasure (a requester role; nothing is erased until
/// another person approves).
pub(super) async fn request(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, PEOPLE).await?;
    let b: EraseBody = parse(body, "an erasure request: {\"capture\": ID | \"url\": URL | \"entity\": VALUE, \"reason\": TEXT}")?;
    let target = match (b.capture, b.url, b.entity) {
        (Some(c), None, None) => EraseTarget::Capture(c),
        (None, Some(u), None) => EraseTarget::Url(u),
        (None, None, Some(e)) => EraseTarget::Entity(e),
        _ => return Err(ApiError::bad("give exactly one of capture, url or entity")),
    };
    let policy = api.crawler.cfg().retention.clone();
    let r = api
        .act(async |ctx| {
            erasure::request(
                ctx,
                &caller.as_actor(),
                &policy,
                &target,
                b.reason.as_deref(),
            )
            .await
        })
        .await?;
    Ok((StatusCode::CREATED, Json(json!(r))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonBody {
    reason: Option<String>,
}

/// `POST /api/v1/erasures/{id}/approve` and `…/reject` (an approver role, not the person
/// who asked).
pub(super) async fn decide(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, PEOPLE).await?;
    let Path((id, verb)) = super::path(path)?;
    let approve = match verb.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(ApiError::not_found(format!(
                "no such action '{verb}': use approve or reject"
            )))
        }
    };
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad(format!("'{id}' is not a number")))?;
    let b: ReasonBody = parse(body, "{\"reason\": TEXT}")?;
    let policy = api.crawler.cfg().retention.clone();
    let r = api
        .act(async |ctx| {
            erasure::decide(
                ctx,
                &caller.as_actor(),
                &policy,
                id,
                approve,
                b.reason.as_deref(),
            )
            .await
        })
        .await?;
    Ok(Json(json!(r)))
}

/// `GET /api/v1/erasures`: the requests and the erasures carried out.
pub(super) async fn list(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, PEOPLE).await?;
    Params::parse(q)?.only(&[])?;
    let l = api
        .act(async |ctx| erasure::list(ctx, &caller.as_actor()).await)
        .await?;
    Ok(Json(json!(l)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HoldBody {
    case: String,
    reason: Option<String>,
    capture: Option<i64>,
    url: Option<String>,
    seed: Option<String>,
    entity: Option<String>,
    since: Option<String>,
    until: Option<String>,
}

/// `POST /api/v1/holds`: put a case's captures on hold (analyst or operator).
pub(super) async fn hold(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, PEOPLE).await?;
    let b: HoldBody = parse(body, "a hold: {\"case\": ID, \"reason\": TEXT, and one of capture, url, seed, entity, and/or since and until}")?;
    let sel = HoldSelection {
        capture: b.capture,
        url: b.url,
        seed: b.seed,
        entity: b.entity,
        since: b.since,
        until: b.until,
    };
    let (h, n) = api
        .act(async |ctx| {
            erasure::hold(ctx, &caller.as_actor(), &b.case, &sel, b.reason.as_deref()).await
        })
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"hold": h, "captures": n}))).into_response())
}

/// `POST /api/v1/holds/{id}/release`
pub(super) async fn release(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, PEOPLE).await?;
    let id = id(path)?;
    let b: ReasonBody = parse(body, "{\"reason\": TEXT}")?;
    let h = api
        .act(async |ctx| erasure::release(ctx, &caller.as_actor(), id, b.reason.as_deref()).await)
        .await?;
    Ok(Json(json!(h)))
}

/// `GET /api/v1/holds?case=&all=true`
pub(super) async fn holds(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, PEOPLE).await?;
    let p = Params::parse(q)?;
    p.only(&["case", "all"])?;
    let case = p.text("case").map(str::to_string);
    let all = match p.text("all") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => return Err(ApiError::bad(format!("all={other}: use true or false"))),
    };
    let h = api
        .act(async |ctx| erasure::holds(ctx, &caller.as_actor(), case.as_deref(), all).await)
        .await?;
    Ok(Json(json!({ "holds": h })))
}

/// `GET /api/v1/retention`: per seed, what is kept, due for erasure, held and due for review.
pub(super) async fn standing(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, PEOPLE).await?;
    Params::parse(q)?.only(&[])?;
    let cfg = api.crawler.cfg();
    let s = api
        .act(async |ctx| erasure::standing(ctx, &caller.as_actor(), &cfg).await)
        .await?;
    Ok(Json(json!(s)))
}
