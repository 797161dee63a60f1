//! `/api/v1/exports`: signed WACZ evidence packages, made in the background.
//!
//! A request names what to export (capture IDs, a URL or a seed, and a time range) with a
//! case and a reason, and gets a job; the package is written to `DATA/exports/JOB.wacz` by
//! the same code as `nightjar export`, and downloaded when the job is done. Jobs live in the
//! database, so their state survives a restart (a job cut short by one is marked failed).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::Role;
use super::{Api, ApiError, Params};
use crate::actions::export::ExportOrder;
use crate::actions::{self, ActionError, Ctx};
use crate::monitor::{parse_time, DayEnd};
use crate::store::export_jobs::{self, Job, JobState};

/// What an analyst asks to export.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportBody {
    #[serde(default)]
    captures: Vec<i64>,
    url: Option<String>,
    seed: Option<String>,
    site: Option<String>,
    since: Option<String>,
    until: Option<String>,
    case: String,
    reason: String,
}

fn package(api: &Api, id: i64) -> std::path::PathBuf {
    api.crawler
        .cfg()
        .data
        .dir
        .join("exports")
        .join(format!("export-{id}.wacz"))
}

/// `POST /api/v1/exports` with a JSON body: starts a job (202).
pub async fn start(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let req: ExportBody = serde_json::from_slice(&super::body(body)?)
        .map_err(|e| ApiError::bad(format!("the body must be a JSON export request: {e}")))?;
    let now_t = chrono::Utc::now();
    let time = |v: &Option<String>, name: &str, end: DayEnd| {
        v.as_deref()
            .map(|t| parse_time(t, now_t, end).map_err(|e| ApiError::bad(format!("{name}: {e:#}"))))
            .transpose()
    };
    let order = ExportOrder {
        selection: archive::index::ExportSelection {
            url: req
                .url
                .as_deref()
                .map(actions::content::canonical_url)
                .transpose()?,
            seed: req.seed.clone(),
            seeds: Vec::new(),
            ids: req.captures.clone(),
            since: time(&req.since, "since", DayEnd::Start)?,
            until: time(&req.until, "until", DayEnd::End)?,
        },
        site: req.site.clone(),
        case: req.case.clone(),
        reason: req.reason.clone(),
    };
    let actor = caller.as_actor();
    let (db, warc_dir) = api.ctx();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    // What matches nothing is the caller's to fix (404, logged); a database failure is ours.
    let chosen = actions::export::choose(&ctx, &actor, order).await?;
    let id = export_jobs::start(&db, actor.id(), req.case.trim(), req.reason.trim()).await?;
    let chosen = chosen.for_job(id);
    chosen.log_start(&ctx, &actor).await?;
    let out = package(&api, id);
    let crawler = api.crawler.clone();
    tokio::spawn(async move {
        let (db, warc_dir) = (crawler.db().clone(), crawler.cfg().warc_dir());
        let ctx = Ctx {
            db: &db,
            warc_dir: &warc_dir,
        };
        let prepared: Result<(), ActionError> = async {
            std::fs::create_dir_all(out.parent().expect("exports dir"))
                .map_err(anyhow::Error::from)?;
            // A package carries the seals of the files its records come from: a file still
            // being written is closed and sealed first.
            // (Only this node's: the others seal theirs when asked for their part.)
            let mut files: Vec<String> = Vec::new();
            let own = |r: &archive::index::CaptureRow| r.node == db.node();
            for id in &chosen.captures {
                let Some(row) = archive::index::capture(&db, *id).await? else {
                    continue;
                };
                // A revisit travels with the response holding its body.
                if row.is_revisit() {
                    let original = crate::monitor::payload_holder(&db, &row).await?;
                    files.extend(Some(original).filter(own).and_then(|o| o.file));
                }
                files.extend(Some(row).filter(own).and_then(|r| r.file));
            }
            files.sort();
            files.dedup();
            crawler
                .sealed(&files, std::time::Duration::from_secs(60))
                .await?;
            Ok(())
        }
        .await;
        let done = match prepared {
            Ok(()) => {
                actions::export::write(
                    &ctx,
                    &actor,
                    chosen,
                    &actions::export::Custodian {
                        key: crawler.key(),
                        witnesses: crate::custody::witnesses(&crawler.cfg()),
                    },
                    out,
                    actor.id().to_string(),
                    |_, _| {},
                )
                .await
            }
            Err(e) => Err(chosen.log_failure(&ctx, &actor, e).await),
        };
        let update = match done {
            Ok(s) => export_jobs::finish_done(&db, id, s.captures as u64, s.bytes).await,
            Err(e) => {
                tracing::error!(job = id, "export failed: {e:#}");
                export_jobs::finish_failed(&db, id, &format!("{e:#}")).await
            }
        };
        if let Err(e) = update {
            tracing::error!(job = id, "cannot record the export's outcome: {e}");
        }
    });
    let mut resp = (
        StatusCode::ACCEPTED,
        Json(json!({"id": id, "state": "running", "status": format!("/api/v1/exports/{id}")})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/exports/{id}")) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

async fn job(api: &Api, id: &str) -> Result<Job, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad(format!("export job '{id}' must be an integer")))?;
    export_jobs::get(api.crawler.db(), id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no export job {id}")))
}

/// `GET /api/v1/exports/{id}`: the job's state, for the analyst who asked for it or an
/// auditor.
pub async fn status(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = api
        .authorize(&headers, &[Role::Analyst, Role::Auditor])
        .await?;
    let Path(id) = super::path(id)?;
    Params::parse(q)?.only(&[])?;
    let job = job(&api, &id).await?;
    // An analyst sees her own jobs (their cases are hers); an auditor sees every job.
    if caller.role == Role::Analyst && job.requested_by != caller.actor() {
        return Err(ApiError::not_found(format!("no export job {id}")));
    }
    let download =
        (job.state == JobState::Done).then(|| format!("/api/v1/exports/{}/download", job.id));
    let mut v = serde_json::to_value(&job).map_err(anyhow::Error::from)?;
    v["download"] = json!(download);
    Ok(Json(v))
}

/// `GET /api/v1/exports/{id}/download`: the package, for the analyst who asked for it
/// (audited with the export's reason), streamed from disk.
pub async fn download(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let caller = api.authorize(&headers, &[Role::Analyst]).await?;
    let Path(id) = super::path(id)?;
    Params::parse(q)?.only(&[])?;
    let job = job(&api, &id).await?;
    if job.requested_by != caller.actor() {
        api.audit(
            &caller,
            "export.download",
            &format!("job {}", job.id),
            "",
            "denied: not the requester",
        )
        .await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "export job {} belongs to {}: only they may download it",
                job.id, job.requested_by
            ),
        ));
    }
    if job.state != JobState::Done {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_ready",
            format!("export job {} is {}", job.id, job.state),
        ));
    }
    let reason = export_jobs::reason(api.crawler.db(), job.id).await?;
    let target = format!("job {} (case {})", job.id, job.case_id);
    let file = match tokio::fs::File::open(package(&api, job.id)).await {
        Ok(f) => f,
        Err(e) => {
            api.audit(
                &caller,
                "export.download",
                &target,
                &reason,
                &format!("error: {e}"),
            )
            .await?;
            return Err(ApiError::not_found(format!(
                "the package of export job {} is gone from the exports directory",
                job.id
            )));
        }
    };
    let size = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    api.audit(
        &caller,
        "export.download",
        &target,
        &reason,
        &format!("ok: {size} bytes"),
    )
    .await?;
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/wacz+zip"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"export-{}.wacz\"", job.id))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// `POST /api/v1/export-parts` (role `node`): this node's part of a package another node
/// sharing the database makes (see [`actions::export::hand_part`]).
pub async fn part(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = api.authorize(&headers, &[Role::Node]).await?;
    let order: actions::export::PartOrder = serde_json::from_slice(&super::body(body)?)
        .map_err(|e| ApiError::bad(format!("the body must be a JSON part request: {e}")))?;
    let part = actions::export::hand_part(&api.crawler, &caller.as_actor(), order).await?;
    Ok(Json(
        serde_json::to_value(part).map_err(anyhow::Error::from)?,
    ))
}
