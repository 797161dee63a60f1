//! The analysts' HTTP API (`/api/v1`, JSON), served by the daemon on a loopback address.
//!
//! Every route but `/healthz` needs a bearer token ([`access`]); a missing or unknown token
//! is 401, a token outside the route's roles 403, too many requests 429. Input is parsed by
//! hand from the raw query (not by a framework extractor) so that every malformed request
//! gets a JSON error naming the parameter, never a bare 400 page or a 500. Reads of archived
//! content go to the audit log ([`crate::audit`]) with the caller and their reason.

pub mod access;
mod captures;
mod content;
pub mod exports;
mod intel;
mod refusals;
mod retention;
mod seeds;
mod sites;
mod tasks;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde_json::{json, Value};

use crate::engine::Crawler;
use access::{Caller, Role};

/// What the handlers share.
pub struct Api {
    crawler: Arc<Crawler>,
    limiter: DefaultKeyedRateLimiter<String>,
    /// Requests without a valid token, all together (each costs a database lookup).
    strangers: governor::DefaultDirectRateLimiter,
    max_page: u32,
    /// One seed file edit at a time (read, change, rename).
    seed_edits: tokio::sync::Mutex<()>,
    /// Refused requests, counted for the audit log.
    refusals: refusals::Refusals,
}

/// An error as the API returns it: a status and `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The request's field at fault, when one is (a form shows the error beside it).
    field: Option<&'static str>,
}

impl ApiError {
    /// This error, blaming `field` of the request.
    fn on_field(mut self, field: Option<&'static str>) -> ApiError {
        self.field = field;
        self
    }

    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// A bad parameter (400).
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// Nothing there (404).
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        tracing::error!("API request failed: {e:#}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the request could not be completed; the daemon's log says why",
        )
    }
}

impl From<crate::actions::ActionError> for ApiError {
    fn from(e: crate::actions::ActionError) -> ApiError {
        use crate::actions::ActionError as E;
        match e {
            E::Invalid(m) => ApiError::bad(m),
            E::ReasonRequired => ApiError::new(
                StatusCode::BAD_REQUEST,
                "reason_required",
                "viewing archived content needs a reason: add reason=CASE-NUMBER-OR-JUSTIFICATION",
            ),
            E::NotFound(m) => ApiError::not_found(m),
            E::Forbidden(m) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", m),
            E::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            E::Elsewhere(m) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "held_by_another_node", m)
            }
            E::Failed(e) => e.into(),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        anyhow::Error::from(e).into()
    }
}

/// A request body, or a JSON error for one too large or unreadable (axum's own rejection
/// is plain text).
pub fn body(
    b: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<axum::body::Bytes, ApiError> {
    b.map_err(|r| {
        let status = r.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "too_large"
        } else {
            "bad_request"
        };
        ApiError::new(
            status,
            code,
            format!("{} (bodies are at most 64 KiB)", r.body_text()),
        )
    })
}

/// Archived bytes as a response a browser never runs nor sniffs: `content_type`, `nosniff`,
/// and a sandboxing CSP that allows nothing.
pub fn inert(bytes: Vec<u8>, content_type: &'static str) -> Response {
    use axum::http::{header, HeaderValue};
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    resp
}

/// A path parameter, or a JSON error for one that cannot be decoded (checked after the
/// token, so an anonymous caller learns nothing but 401).
pub fn path<T>(
    p: Result<axum::extract::Path<T>, axum::extract::rejection::PathRejection>,
) -> Result<axum::extract::Path<T>, ApiError> {
    p.map_err(|r| ApiError::bad(format!("bad path: {}", r.body_text())))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": {"code": self.code, "message": self.message}});
        if let Some(field) = self.field {
            body["error"]["field"] = json!(field);
        }
        let mut resp = (self.status, Json(body)).into_response();
        if self.code == "reason_required" {
            resp.extensions_mut().insert(refusals::ReasonMissing);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

/// The query string's parameters. A parameter given twice is an error, not a guess.
pub struct Params(HashMap<String, String>);

impl Params {
    fn parse(raw: Option<String>) -> Result<Params, ApiError> {
        let mut map = HashMap::new();
        for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            if map.insert(k.to_string(), v.to_string()).is_some() {
                return Err(ApiError::bad(format!("parameter '{k}' is given twice")));
            }
        }
        Ok(Params(map))
    }

    /// A text parameter, if given (empty counts as not given).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    /// An integer parameter, if given.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.text(name)
            .map(|s| {
                s.parse()
                    .map_err(|_| ApiError::bad(format!("'{name}' must be an integer, not '{s}'")))
            })
            .transpose()
    }

    /// Refuses parameters the route does not know (a typo must not widen a search).
    pub fn only(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(ApiError::bad(format!(
                "unknown parameter '{k}'; this route takes: {}",
                known.join(", ")
            ))),
            None => Ok(()),
        }
    }
}

impl Api {
    /// Checks the bearer token, its role and its rate.
    async fn authorize(&self, headers: &HeaderMap, allowed: &[Role]) -> Result<Caller, ApiError> {
        let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m);
        let value = headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| {
                unauthorized("send 'Authorization: Bearer TOKEN' (nightjar token create)")
            })?;
        // The scheme is case-insensitive (RFC 9110 §11.1): `bearer` is `Bearer`.
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.trim_start().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unauthorized("the Authorization header must be 'Bearer TOKEN'"))?;
        let caller = match access::check(self.crawler.db(), token).await? {
            Some(c) => c,
            None => {
                if self.strangers.check().is_err() {
                    return Err(ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate_limited",
                        "too many requests with unknown tokens: slow down",
                    ));
                }
                return Err(unauthorized("unknown or revoked token"));
            }
        };
        if self.limiter.check_key(&caller.name).is_err() {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests for this token: slow down (api.rate_per_token)",
            ));
        }
        if !allowed.contains(&caller.role) {
            let roles: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "a {} token cannot do this; it needs the role {}",
                    caller.role,
                    roles.join(" or ")
                ),
            ));
        }
        Ok(caller)
    }

    /// What the actions need: the database and the WARC files.
    fn ctx(&self) -> (db::Db, std::path::PathBuf) {
        (self.crawler.db().clone(), self.crawler.cfg().warc_dir())
    }

    /// Runs an action with the data directory's context.
    async fn act<T>(
        &self,
        f: impl AsyncFnOnce(&crate::actions::Ctx<'_>) -> Result<T, crate::actions::ActionError>,
    ) -> Result<T, ApiError> {
        let (db, warc_dir) = self.ctx();
        let ctx = crate::actions::Ctx {
            db: &db,
            warc_dir: &warc_dir,
        };
        Ok(f(&ctx).await?)
    }

    /// Logs an audited action.
    async fn audit(
        &self,
        caller: &Caller,
        action: &str,
        target: &str,
        reason: &str,
        result: &str,
    ) -> Result<(), ApiError> {
        let (db, warc_dir) = self.ctx();
        let ctx = crate::actions::Ctx {
            db: &db,
            warc_dir: &warc_dir,
        };
        crate::actions::log(&ctx, &caller.as_actor(), action, target, reason, result).await?;
        Ok(())
    }
}

type Shared = State<Arc<Api>>;

async fn healthz() -> &'static str {
    "ok\n"
}

/// The OpenAPI 3 description of this API (kept next to the code; the tests hold the server
/// to it with schemathesis).
const OPENAPI: &str = include_str!("openapi.json");

async fn openapi(State(api): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    api.authorize(&headers, &[Role::Operator, Role::Analyst, Role::Auditor])
        .await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response())
}

async fn status(State(api): Shared, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    api.authorize(&headers, &[Role::Operator, Role::Analyst, Role::Auditor])
        .await?;
    let status = api.crawler.snapshot().await?;
    Ok(Json(
        serde_json::to_value(status).map_err(anyhow::Error::from)?,
    ))
}

async fn audit_log(
    State(api): Shared,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    api.authorize(&headers, &[Role::Auditor]).await?;
    let p = Params::parse(q)?;
    p.only(&["after", "limit"])?;
    let after = p.int("after")?.unwrap_or(0);
    let limit = page_size(&p, api.max_page)?;
    let entries = crate::audit::entries(api.crawler.db(), after, limit + 1).await?;
    let more = entries.len() as i64 > limit;
    let entries: Vec<_> = entries.into_iter().take(limit as usize).collect();
    let next = if more {
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(Json(json!({"entries": entries, "next_after": next})))
}

async fn audit_verify(State(api): Shared, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    api.authorize(&headers, &[Role::Auditor]).await?;
    let report = crate::audit::verify(api.crawler.db()).await?;
    Ok(Json(json!({
        "ok": report.findings.is_empty(),
        "entries": report.entries,
        "head": report.head,
        "findings": report.findings,
    })))
}

/// C2SP add-checkpoint: another node hands this one a head of its log to co-sign.
async fn witness_add(
    State(api): Shared,
    headers: HeaderMap,
    body: String,
) -> Result<Response, ApiError> {
    api.authorize(&headers, &[Role::Witness]).await?;
    let logs = api.crawler.cfg().witness.logs.clone();
    let text = [(
        axum::http::header::CONTENT_TYPE,
        "text/plain; charset=utf-8",
    )];
    match crate::witness::add_checkpoint(api.crawler.db(), api.crawler.key(), &logs, &body).await {
        Ok(note) => Ok((text, note).into_response()),
        Err(crate::witness::Refusal::Conflict(size)) => {
            Ok((StatusCode::CONFLICT, text, format!("{size}\n")).into_response())
        }
        Err(e @ crate::witness::Refusal::Malformed(_)) => Err(ApiError::bad(e.to_string())),
        Err(e @ crate::witness::Refusal::UnknownLog(_)) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "unknown_log",
            e.to_string(),
        )),
        Err(e @ crate::witness::Refusal::NotConsistent(_)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_consistent",
            e.to_string(),
        )),
        Err(crate::witness::Refusal::Failed(e)) => Err(e.into()),
    }
}

/// Every head this node kept as a witness, as a witness file: public, since heads hold no
/// content and anyone checking an archive or a package against them needs them.
async fn witness_heads(State(api): Shared) -> Result<Response, ApiError> {
    let text = crate::witness::heads(api.crawler.db()).await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

/// The `limit` parameter: 1 to `max`, default 50 (or `max` if smaller).
fn page_size(p: &Params, max: u32) -> Result<i64, ApiError> {
    let max = i64::from(max);
    match p.int("limit")? {
        None => Ok(50.min(max)),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad(format!("limit = {n}: use 1 to {max}"))),
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route; the API lives under /api/v1")
}

/// A known route with a method it does not take: 405, but only to a caller with a token
/// (an anonymous one learns nothing of the routes but 401).
async fn wrong_method(State(api): Shared, uri: axum::http::Uri, headers: HeaderMap) -> ApiError {
    if uri.path().starts_with("/api/") {
        if let Err(e) = api.authorize(&headers, &Role::ALL).await {
            return e;
        }
    }
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method (see /api/v1/openapi.json)",
    )
}

/// The routes.
fn router(api: Arc<Api>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/status", get(status))
        .route("/api/v1/seeds", get(seeds::list).post(seeds::add))
        .route(
            "/api/v1/seeds/{label}",
            axum::routing::patch(seeds::update).delete(seeds::remove),
        )
        .route("/api/v1/seeds/{label}/{verb}", post(seeds::pause_or_resume))
        .route("/api/v1/tasks", get(tasks::list))
        .route("/api/v1/tasks/{id}", get(tasks::one))
        .route("/api/v1/tasks/{id}/captcha", get(tasks::captcha))
        .route("/api/v1/tasks/{id}/answer", post(tasks::answer))
        .route("/api/v1/tasks/{id}/skip", post(tasks::skip))
        .route("/api/v1/captures", get(captures::search))
        .route("/api/v1/captures/{id}", get(captures::one))
        .route("/api/v1/captures/{id}/entities", get(intel::of_capture))
        .route("/api/v1/captures/{id}/{part}", get(content::raw))
        .route("/api/v1/records/{id}", get(content::record))
        .route("/api/v1/entities", get(intel::entities))
        .route("/api/v1/entity", get(intel::entity))
        .route("/api/v1/search", get(intel::search))
        .route("/api/v1/misp", get(intel::misp))
        .route(
            "/api/v1/watches",
            get(intel::watches).post(intel::add_watch),
        )
        .route(
            "/api/v1/watches/{name}",
            axum::routing::delete(intel::remove_watch),
        )
        .route("/api/v1/alerts", get(intel::alerts))
        .route(
            "/api/v1/erasures",
            get(retention::list).post(retention::request),
        )
        .route("/api/v1/erasures/{id}/{verb}", post(retention::decide))
        .route("/api/v1/holds", get(retention::holds).post(retention::hold))
        .route("/api/v1/holds/{id}/release", post(retention::release))
        .route("/api/v1/retention", get(retention::standing))
        .route("/api/v1/sites", get(sites::list))
        .route("/api/v1/sites/{name}", get(sites::one))
        .route("/api/v1/changes", get(content::changes))
        .route("/api/v1/history", get(content::history))
        .route("/api/v1/diff", get(content::diff))
        .route("/api/v1/exports", post(exports::start))
        .route("/api/v1/exports/{id}", get(exports::status))
        .route("/api/v1/exports/{id}/download", get(exports::download))
        .route("/api/v1/export-parts", post(exports::part))
        .route("/api/v1/audit", get(audit_log))
        .route("/api/v1/audit/verify", get(audit_verify))
        .route("/api/v1/witness/add-checkpoint", post(witness_add))
        .route("/api/v1/witness/heads", get(witness_heads))
        .merge(crate::console::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(wrong_method)
        // Nothing the API takes is large: seed edits and export requests.
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn_with_state(
            api.clone(),
            refusals::tally,
        ))
        .with_state(api)
}

/// The API being served.
pub struct Served {
    /// The address it listens on.
    pub bound: SocketAddr,
    api: Arc<Api>,
}

impl Served {
    /// Writes what is still counted of refused requests to the audit log (at shutdown).
    pub async fn flush(&self) {
        refusals::flush(&self.api).await;
    }
}

/// Serves the API on `addr` until the process ends.
pub async fn serve(crawler: Arc<Crawler>, addr: SocketAddr) -> anyhow::Result<Served> {
    let cfg = crawler.cfg();
    let rate = NonZeroU32::new(cfg.api.rate_per_token).unwrap_or(NonZeroU32::MIN);
    let burst = rate.saturating_mul(NonZeroU32::new(2).expect("2 > 0"));
    let api = Arc::new(Api {
        crawler,
        limiter: RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
        strangers: RateLimiter::direct(Quota::per_second(rate).allow_burst(burst)),
        max_page: cfg.api.max_page,
        seed_edits: tokio::sync::Mutex::new(()),
        refusals: refusals::Refusals::default(),
    });
    refusals::spawn_flusher(api.clone());
    // Jobs a restart cut short are failed, not left running forever.
    crate::store::export_jobs::fail_interrupted(api.crawler.db()).await?;
    let tls = match cfg.api.tls()? {
        Some((cert, key)) => Some(tls_acceptor(cert, key)?),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = router(api.clone());
    match tls {
        None => {
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    tracing::error!("the API server stopped: {e}");
                }
            });
        }
        Some(acceptor) => {
            tokio::spawn(serve_tls(listener, acceptor, app));
        }
    }
    Ok(Served { bound, api })
}

/// A TLS acceptor from PEM files (rustls, the same stack as the fetcher and Tor client).
fn tls_acceptor(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> anyhow::Result<tokio_rustls::TlsAcceptor> {
    use anyhow::Context;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .with_context(|| format!("cannot read api.tls_cert_file {}", cert.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| {
            format!(
                "api.tls_cert_file {} is not PEM certificates",
                cert.display()
            )
        })?;
    let key = PrivateKeyDer::from_pem_file(key).with_context(|| {
        format!(
            "cannot read a PEM private key from api.tls_key_file {}",
            key.display()
        )
    })?;
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .context("the API's TLS certificate and key do not go together")?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Accepts TLS connections and serves the API on each (HTTP/1.1).
async fn serve_tls(
    listener: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    app: Router,
) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            // Out of descriptors, most likely: try again shortly, not in a tight loop.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        };
        let (acceptor, app) = (acceptor.clone(), app.clone());
        tokio::spawn(async move {
            let handshake =
                tokio::time::timeout(std::time::Duration::from_secs(10), acceptor.accept(tcp));
            let Ok(Ok(stream)) = handshake.await else {
                return;
            };
            let service = hyper_util::service::TowerToHyperService::new(app);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
