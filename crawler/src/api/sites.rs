//! `GET /api/v1/sites` and `GET /api/v1/sites/{name}`: sites, their addresses over time, the
//! mirror checks and canaries, and their look-alikes (through `actions::sites`).

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use super::access::Role;
use super::{page_size, Api, ApiError, Params};
use crate::actions;

/// `GET /api/v1/sites`
pub(super) async fn list(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api
        .authorize(&headers, &[Role::Analyst, Role::Operator])
        .await?;
    Params::parse(q)?.only(&[])?;
    let rows = api
        .act(async |ctx| actions::sites::sites(ctx, &caller.as_actor()).await)
        .await?;
    Ok(Json(json!({ "sites": rows })))
}

/// `GET /api/v1/sites/{name}?limit=` (the newest `limit` mirror checks)
pub(super) async fn one(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    name: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api
        .authorize(&headers, &[Role::Analyst, Role::Operator])
        .await?;
    let Path(name) = super::path(name)?;
    let p = Params::parse(q)?;
    p.only(&["limit"])?;
    let limit = page_size(&p, api.max_page)?;
    let report = api
        .act(async |ctx| actions::sites::site(ctx, &caller.as_actor(), &name, limit).await)
        .await?;
    Ok(Json(
        serde_json::to_value(report).map_err(|e| ApiError::from(anyhow::Error::from(e)))?,
    ))
}
