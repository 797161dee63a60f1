//! The engine's side of a seed's session: logging in through the site's form, raising the
//! tasks a person answers, and resuming the seed.
//!
//! Every step of a login is fetched on the session's own route and isolation group (the
//! circuit the crawl then uses), archived as captured, and indexed as what a visitor not
//! logged in is served (never compared with the members' pages). Each step, task and answer
//! is written to the audit log; the answer's value never is.

use std::sync::Arc;

use frontier::Lease;
use url::Url;

use super::{Crawler, Discovered, Purpose};
use crate::session::login::{self as form, FoundForm};
use crate::session::tasks::Task;
use crate::session::{Answer, Answered, PendingLogin, Refused};

/// What one login step got back.
struct Step {
    status: u16,
    redirect: Option<Url>,
    html: String,
    text: String,
    set_cookies: Vec<String>,
    capture: Option<i64>,
}

/// How the audit log names the daemon when it acts by itself.
const SYSTEM: (&str, &str) = ("system:nightjar", "system");

impl Crawler {
    /// Logs the lease's seed in (the gate chose this fetch to): fetches the login page, and
    /// either sends its form at once or, when it shows a CAPTCHA, archives the image and
    /// raises a task. Returns whether the session is live now.
    pub(super) async fn log_in(&self, lease: &Lease) -> anyhow::Result<bool> {
        let Some(spec) = &lease.seed.session else {
            return Ok(true);
        };
        let (Some(fspec), Some(page)) = (
            &spec.form,
            spec.login_url.as_deref().and_then(|u| Url::parse(u).ok()),
        ) else {
            return self
                .login_failure(lease, "the seed's session has no form login")
                .await;
        };
        tracing::info!(seed = %lease.seed.label, account = %spec.account, login = %page, "logging in");
        let got = match self
            .login_step(lease, &page, None, "login-page", Vec::new())
            .await?
        {
            Ok(s) if (200..300).contains(&s.status) => s,
            Ok(s) => {
                let why = format!("the login page answered HTTP {}", s.status);
                return self.login_failure(lease, &why).await;
            }
            Err(why) => return self.login_failure(lease, &why).await,
        };
        let found = match form::find_form(&got.html, &page, fspec) {
            Ok(f) => f,
            Err(e) => return self.login_failure(lease, &format!("{e:#}")).await,
        };
        let Some(image) = found.captcha_image.clone() else {
            return self.submit_login(lease, &found, None, SYSTEM.0).await;
        };
        let shot = match self
            .login_step(lease, &image, None, "captcha", Vec::new())
            .await?
        {
            Ok(s) if (200..300).contains(&s.status) && s.capture.is_some() => s,
            Ok(s) => {
                let why = format!("the CAPTCHA image answered HTTP {}", s.status);
                return self.login_failure(lease, &why).await;
            }
            Err(why) => return self.login_failure(lease, &why).await,
        };
        let pending = PendingLogin {
            lease: lease.clone(),
            page,
            form: found,
        };
        let task = self.sessions.captcha_needed(pending, shot.capture);
        self.metrics.login("captcha");
        self.task_raised(&task).await;
        Ok(false)
    }

    /// Sends the login form (with a person's CAPTCHA answer, if any) and judges the answer.
    async fn submit_login(
        &self,
        lease: &Lease,
        found: &FoundForm,
        captcha: Option<&str>,
        who: &str,
    ) -> anyhow::Result<bool> {
        let Some(spec) = &lease.seed.session else {
            return Ok(true);
        };
        let Some(fspec) = &spec.form else {
            return Ok(true);
        };
        let creds = match form::read_credentials(&fspec.credentials) {
            Ok(c) => c,
            Err(e) => return self.login_failure(lease, &format!("{e:#}")).await,
        };
        let (sent, archived) = form::form_body(found, fspec, &creds, captcha);
        drop(creds);
        let mut meta = vec![
            (
                "session-login".to_string(),
                format!("the login of account {}", spec.account),
            ),
            (
                "session-login-secret-fields".to_string(),
                format!(
                    "{}, {} (values not archived: {})",
                    fspec.username_field,
                    fspec.password_field,
                    form::REDACTED
                ),
            ),
        ];
        if captcha.is_some() {
            meta.push(("session-login-captcha-by".to_string(), who.to_string()));
        }
        let got = match self
            .login_step(lease, &found.action, Some((sent, archived)), "login", meta)
            .await?
        {
            Ok(s) => s,
            Err(why) => return self.login_failure(lease, &why).await,
        };
        let verdict = form::accepted(
            spec,
            got.status,
            got.redirect.as_ref(),
            Some((&got.html, &got.text)),
        );
        if let Err(why) = verdict {
            return self.login_failure(lease, &why).await;
        }
        let done = self
            .sessions
            .login_succeeded(&lease.seed.label, &got.set_cookies);
        self.metrics.login("ok");
        tracing::info!(seed = %lease.seed.label, account = %spec.account, "logged in: the seed's crawl resumes");
        self.audit(
            SYSTEM,
            "session.login",
            &lease.seed.label,
            &format!("ok: account {}", spec.account),
        )
        .await;
        for t in done {
            self.audit(SYSTEM, "session.task.done", &t.id, "done: logged in")
                .await;
        }
        self.frontier.reactivate_seed(lease.seed_id);
        Ok(true)
    }

    /// A login failed: it is tried again later within the seed's limits, or a person is
    /// asked. Returns `false` (the session is not live).
    async fn login_failure(&self, lease: &Lease, why: &str) -> anyhow::Result<bool> {
        let (task, wait) = self.sessions.login_failed(&lease.seed.label, why);
        self.metrics.login("failed");
        tracing::warn!(seed = %lease.seed.label, "login failed: {why}; the next attempt no sooner than in {} s", wait.as_secs());
        self.audit(
            SYSTEM,
            "session.login",
            &lease.seed.label,
            &format!("failed: {why}"),
        )
        .await;
        if let Some(t) = task {
            self.task_raised(&t).await;
        }
        self.frontier.deactivate_seed(lease.seed_id);
        Ok(false)
    }

    /// Fetches, archives and indexes one login step; `Err` is why the step failed (for the
    /// operator), an outer error is nightjar's own (the archive, the index).
    async fn login_step(
        &self,
        lease: &Lease,
        url: &Url,
        form_body: Option<(Vec<u8>, Vec<u8>)>,
        purpose: &str,
        extra: Vec<(String, String)>,
    ) -> anyhow::Result<Result<Step, String>> {
        let mut req = self.request(lease, url);
        if let Err(e) = self.session_request(lease, url, &mut req) {
            return Ok(Err(e.to_string()));
        }
        let archived_body = form_body.map(|(sent, archived)| {
            req.form = Some(sent);
            if let Some(page) = lease
                .seed
                .session
                .as_ref()
                .and_then(|s| s.login_url.clone())
            {
                req.headers.push(("Referer".into(), page));
            }
            req.headers
                .push(("Origin".into(), url.origin().ascii_serialization()));
            archived
        });
        let mut fetched = match self.fetcher.fetch(&req).await {
            Ok(f) => f,
            Err(e) => return Ok(Err(format!("the {purpose} could not be fetched: {e}"))),
        };
        drop(req);
        let sent_request = std::mem::take(&mut fetched.exchange.request);
        fetched.exchange.request = sent_request.clone();
        let set_cookies = self.session_response(lease, url, &mut fetched);
        if let Some(body) = &archived_body {
            // The form as archived: the user name and password values redacted.
            fetched.exchange.request = form::archived_request(&sent_request, body);
        }
        drop(sent_request);
        let (found, facts) = super::examine(
            url,
            &fetched.exchange.response,
            &self.decode_limits(),
            &Default::default(),
        );
        let html = page_html(&fetched.exchange.response, &self.decode_limits());
        let found = Discovered {
            session: None,
            ..found
        };
        let status = facts.status;
        fetched.exchange.facts = Some(facts);
        fetched.exchange.keep_duplicates = true;
        let mut meta = self.metadata(lease, &fetched, &found, Some(purpose));
        meta.extend(extra);
        let (received, took) = (fetched.exchange.response.len(), fetched.timings.total);
        let stored = self.archive(fetched.exchange, meta).await?;
        let (earlier, _) = self.look_back(url).await?;
        self.ingest_archived(lease, url, &stored, &found, Purpose::Login, earlier)
            .await?;
        self.measure(lease, Purpose::Login, received, &stored, took);
        let capture =
            archive::index::response_with_record(&self.db, &stored.response_record().record_id)
                .await?
                .map(|c| c.id);
        Ok(Ok(Step {
            status,
            redirect: found.redirect.clone(),
            text: found.content.map(|c| c.text).unwrap_or_default(),
            html,
            set_cookies,
            capture,
        }))
    }

    /// Writes a task's raising to the log and the audit log.
    pub(super) async fn task_raised(&self, t: &Task) {
        tracing::warn!(task = %t.id, seed = %t.seed, kind = t.kind.as_str(), "site {} needs a login: {} (answer task {} in the console or the API)", t.seed, t.why, t.id);
        self.audit(
            SYSTEM,
            "session.task.raised",
            &t.id,
            &format!("open: seed {} ({}): {}", t.seed, t.kind.as_str(), t.why),
        )
        .await;
    }

    /// The sessions' second tick: seeds to resume, tasks expired, the gauges.
    pub(super) async fn session_tick(&self) {
        let tick = self.sessions.tick();
        for (id, label, why) in tick.resume {
            self.frontier.reactivate_seed(id);
            tracing::debug!(seed = %label, "{why}: the seed's crawl resumes");
        }
        for t in tick.expired {
            tracing::warn!(task = %t.id, seed = %t.seed, "task expired unanswered: the seed stays paused");
            self.audit(
                SYSTEM,
                "session.task.expired",
                &t.id,
                "expired: the seed stays paused",
            )
            .await;
        }
        let open = self
            .sessions
            .tasks()
            .iter()
            .filter(|t| t.state == crate::session::tasks::TaskState::Open)
            .count();
        self.metrics.set_sessions(open, self.sessions.lost().len());
    }

    /// A person's answer to task `id` (`who` as the audit log names them): fresh cookies or a
    /// retry resume the seed; a CAPTCHA answer sends the waiting login, on the session's
    /// circuit, in the background. The answer's value is never logged.
    pub async fn answer_task(
        self: &Arc<Self>,
        id: &str,
        answer: Answer,
        who: (&str, &str),
    ) -> Result<Task, Refused> {
        let kind = answer.kind();
        let outcome = self.sessions.answer(id, answer, who.0);
        let result = match &outcome {
            Ok(_) => format!("answered: {kind}"),
            Err(Refused::NotFound(m) | Refused::Conflict(m) | Refused::Invalid(m)) => {
                format!("refused ({kind}): {m}")
            }
        };
        self.audit(who, "session.task.answer", id, &result).await;
        match outcome? {
            Answered::Resume(seed_id) => {
                tracing::info!(task = %id, by = who.0, "task answered ({kind}): the seed's crawl resumes");
                self.frontier.reactivate_seed(seed_id);
            }
            Answered::Submit(pending, text) => {
                tracing::info!(task = %id, by = who.0, "CAPTCHA answered: sending the login");
                let me = self.clone();
                let by = who.0.to_string();
                tokio::spawn(async move {
                    let PendingLogin { lease, form, .. } = *pending;
                    if let Err(e) = me.submit_login(&lease, &form, Some(&text), &by).await {
                        tracing::error!(seed = %lease.seed.label, "the login could not be archived: {e:#}");
                        let _ = me.login_failure(&lease, &format!("{e:#}")).await;
                    }
                });
            }
        }
        self.sessions
            .task(id)
            .ok_or_else(|| Refused::NotFound(format!("no task {id}")))
    }

    /// Task `id` skipped by `who`: the seed stays paused.
    pub async fn skip_task(&self, id: &str, who: (&str, &str)) -> Result<Task, Refused> {
        let outcome = self.sessions.skip(id, who.0);
        let result = match &outcome {
            Ok(_) => "skipped: the seed stays paused".to_string(),
            Err(Refused::NotFound(m) | Refused::Conflict(m) | Refused::Invalid(m)) => {
                format!("refused: {m}")
            }
        };
        self.audit(who, "session.task.skip", id, &result).await;
        outcome
    }

    /// The tasks, newest first.
    pub fn session_tasks(&self) -> Vec<Task> {
        self.sessions.tasks()
    }

    async fn audit(&self, who: (&str, &str), action: &str, target: &str, result: &str) {
        let event = crate::audit::Event {
            actor: who.0,
            role: who.1,
            action,
            target,
            reason: "",
            result,
        };
        if let Err(e) = crate::audit::append(&self.db, &event).await {
            tracing::error!("cannot write the audit log ({action} {target}): {e:#}");
        }
    }
}

/// A login page's HTML as text, decoded as the page says (for its form).
pub(super) fn page_html(response: &[u8], limits: &crate::decode::DecodeLimits) -> String {
    let Ok(msg) = archive::http::HttpMessage::parse_response(response) else {
        return String::new();
    };
    let body = crate::decode::decode_content(msg.header("content-encoding"), &msg.payload, limits)
        .unwrap_or_default();
    let enc = crate::extract::sniff_encoding(&body, msg.header("content-type"));
    enc.decode(&body).0.into_owned()
}
