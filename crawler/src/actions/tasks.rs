//! The tasks a seed's session raises for a person (see [`crate::session::tasks`]): listing
//! them, answering one (a CAPTCHA, fresh cookies, a retry), skipping one, and showing a
//! CAPTCHA image from the archive (never from the site: the browser that shows it makes no
//! request to the site, and the image shown is the one archived).
//!
//! Operators do this. The engine writes each answer to the audit log with who gave it; the
//! value of an answer (cookies above all) is never logged.

use std::sync::Arc;

use super::{ActionError, Actor, Ctx, Role};
use crate::engine::Crawler;
use crate::session::tasks::{Task, TaskKind};
use crate::session::{Answer, Refused};

const ROLES: &[Role] = &[Role::Operator];

impl From<Refused> for ActionError {
    fn from(r: Refused) -> ActionError {
        match r {
            Refused::NotFound(m) => ActionError::NotFound(m),
            Refused::Conflict(m) => ActionError::Conflict(m),
            Refused::Invalid(m) => ActionError::Invalid(m),
        }
    }
}

/// The tasks, newest first.
pub fn list(crawler: &Crawler, actor: &Actor) -> Result<Vec<Task>, ActionError> {
    actor.authorize(ROLES)?;
    Ok(crawler.session_tasks())
}

/// One task.
pub fn one(crawler: &Crawler, actor: &Actor, id: &str) -> Result<Task, ActionError> {
    actor.authorize(ROLES)?;
    crawler
        .session_tasks()
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| ActionError::NotFound(format!("no task {id}")))
}

/// Answers a task.
pub async fn answer(
    crawler: &Arc<Crawler>,
    actor: &Actor,
    id: &str,
    answer: Answer,
) -> Result<Task, ActionError> {
    actor.authorize(ROLES)?;
    Ok(crawler
        .answer_task(id, answer, (actor.id(), actor.role_name()))
        .await?)
}

/// Skips a task: its seed stays paused.
pub async fn skip(crawler: &Crawler, actor: &Actor, id: &str) -> Result<Task, ActionError> {
    actor.authorize(ROLES)?;
    Ok(crawler
        .skip_task(id, (actor.id(), actor.role_name()))
        .await?)
}

/// A CAPTCHA image as archived, and its type when it is a raster image a browser shows
/// inertly (PNG, JPEG, GIF, WebP; anything else is handed over as bytes).
pub async fn captcha(
    crawler: &Crawler,
    ctx: &Ctx<'_>,
    actor: &Actor,
    id: &str,
) -> Result<(Vec<u8>, Option<&'static str>), ActionError> {
    let task = one(crawler, actor, id)?;
    let Some(capture) = task
        .captcha_capture
        .filter(|_| task.kind == TaskKind::Captcha)
    else {
        return Err(ActionError::NotFound(format!("task {id} shows no CAPTCHA")));
    };
    let outcome = async {
        let bytes = super::content::body_of(ctx, capture).await?;
        let kind = raster_type(&bytes);
        Ok::<_, ActionError>((bytes, kind))
    }
    .await;
    super::logged(
        ctx,
        actor,
        "task.captcha",
        &format!("{id} capture {capture}"),
        "a person answers the site's CAPTCHA",
        outcome,
        |(b, _)| format!("ok: {} bytes", b.len()),
    )
    .await
}

/// The image type by the file's own signature (not by what the site said).
fn raster_type(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if b.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if b.len() > 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}
