//! Logged-in crawling: a seed's session.
//!
//! Forums and markets show their listings, profiles and threads only to members. A seed's
//! `[seed.session]` says how nightjar becomes one: cookies a person exported from a browser
//! where they logged in, or the site's login form filled in with credentials from a file
//! only the service reads ([`login`]), a person typing the CAPTCHA when there is one. Every
//! request of the seed then carries the session's cookies from one jar (RFC 6265 matching
//! and expiry, `cookie_store`) and one User-Agent, cookies the site sets are kept in it, and
//! over Tor the session's requests share one isolation group, so that the site sees one
//! steady visitor.
//!
//! A session is lost when a page says so (a logged-out text, the logged-in text missing, a
//! redirect to the login page) or a login cookie disappears. Its seed then pauses (others go
//! on): a form login is tried again within the seed's limits (back-off, attempts per hour),
//! and when a person is needed, a [`tasks::Task`] says what to do.
//!
//! The secrets stay secret: the cookie values the crawler sends and the ones the site sets
//! for the session are replaced in the archived header blocks by the SHA-256 of the value
//! (`[redacted sha256:…]`), so that records show which cookie was sent and that it was the
//! same one each time, never the value; the payload (the page) is archived byte for byte.
//! Each capture's metadata record names the account label and whether the page was served
//! logged in.

pub mod login;
pub mod tasks;

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context};
use cookie_store::CookieStore;
use frontier::seed::SessionSpec;
use frontier::Lease;
use sha2::Digest;
use url::Url;

use tasks::{Task, TaskKind, TaskState};

/// The sessions of the seeds this process crawls, and the tasks they raised.
#[derive(Default)]
pub struct Sessions {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    seeds: HashMap<String, Entry>,
    tasks: Vec<Held>,
    raised: u64,
}

/// A task with what only the engine needs of it (never shown).
struct Held {
    task: Task,
    expires: SystemTime,
    pending: Option<PendingLogin>,
}

/// A login waiting for a person's CAPTCHA answer: the form as found, and the lease whose
/// seed it logs in (the context its captures are archived in).
#[derive(Clone, Debug)]
pub struct PendingLogin {
    /// The lease that started the login.
    pub lease: Lease,
    /// The login page.
    pub page: Url,
    /// Its form.
    pub form: login::FoundForm,
}

/// One seed's session.
struct Entry {
    seed_id: i64,
    spec: SessionSpec,
    jar: Option<Arc<Mutex<CookieStore>>>,
    phase: Phase,
    /// When the session began (a login, or its cookies read).
    since: Instant,
    /// Cookies whose loss means the site logged the session out.
    login_cookies: Vec<String>,
    /// Login attempts in the last hour.
    attempts: VecDeque<Instant>,
    /// Failed logins in a row.
    failures: u32,
    /// No login before this.
    next_login: Instant,
    /// Why and since when the session is lost (for the status), while it is.
    lost: Option<(String, String)>,
    /// The cookies file's modification time when the loss was seen: a newer file is fresh
    /// cookies.
    cookies_modified: Option<SystemTime>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Crawling.
    Live,
    /// A form login is to run (when `next_login` has come).
    NeedsLogin,
    /// A login is running.
    LoggingIn,
    /// Waiting for a person (a task) or for fresh cookies in the cookies file.
    Waiting,
}

fn modified(file: &Path) -> Option<SystemTime> {
    std::fs::metadata(file).and_then(|m| m.modified()).ok()
}

fn rfc3339(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Whether a page was served to the session's member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// The page shows what members see (or nothing says otherwise).
    LoggedIn,
    /// The page is what a visitor who is not logged in sees; why.
    Lost(String),
}

/// What a seed's next fetch may do.
#[derive(Debug, PartialEq, Eq)]
pub enum Gate {
    /// Fetch, logged in.
    Go,
    /// Log in first: this fetch runs the login (no other does meanwhile).
    Login,
    /// Wait: a login runs, backs off, or a person is needed.
    Wait,
}

/// A person's answer to a task.
#[derive(Debug)]
pub enum Answer {
    /// The CAPTCHA's text.
    Captcha(String),
    /// Fresh cookies (Netscape cookies.txt or JSON).
    Cookies(String),
    /// Try the login again (the credentials file was fixed).
    Retry,
}

impl Answer {
    /// The answer's kind, as tasks list them.
    pub fn kind(&self) -> &'static str {
        match self {
            Answer::Captcha(_) => "captcha",
            Answer::Cookies(_) => "cookies",
            Answer::Retry => "retry",
        }
    }
}

/// What an answer sets going.
#[derive(Debug)]
pub enum Answered {
    /// The seed crawls again (cookies taken, or a login to retry): reactivate it.
    Resume(i64),
    /// Submit this login with the CAPTCHA answer.
    Submit(Box<PendingLogin>, String),
}

/// Why an answer was not taken.
#[derive(Debug)]
pub enum Refused {
    /// No such task.
    NotFound(String),
    /// The task does not take this answer now.
    Conflict(String),
    /// The answer is malformed.
    Invalid(String),
}

/// What the engine's second tick found.
#[derive(Debug, Default)]
pub struct Tick {
    /// Seeds to crawl again: a login is due, or their cookies file was replaced.
    pub resume: Vec<(i64, String, &'static str)>,
    /// Tasks that expired now.
    pub expired: Vec<Task>,
}

const HOUR: Duration = Duration::from_secs(3600);

impl Entry {
    fn new(seed_id: i64, spec: &SessionSpec) -> Entry {
        let now = Instant::now();
        Entry {
            seed_id,
            spec: spec.clone(),
            jar: None,
            // Cookies a person exported are used at once; a form login comes first.
            phase: if spec.cookies_file.is_some() {
                Phase::Live
            } else {
                Phase::NeedsLogin
            },
            since: now,
            login_cookies: spec.login_cookies.clone(),
            attempts: VecDeque::new(),
            failures: 0,
            next_login: now,
            lost: None,
            cookies_modified: spec.cookies_file.as_deref().and_then(modified),
        }
    }

    fn attempts_this_hour(&mut self) -> u32 {
        while self.attempts.front().is_some_and(|t| t.elapsed() >= HOUR) {
            self.attempts.pop_front();
        }
        self.attempts.len() as u32
    }

    /// When the hourly cap lets the next login in.
    fn cap_frees_at(&mut self) -> Instant {
        if self.attempts_this_hour() < self.spec.max_logins_per_hour {
            Instant::now()
        } else {
            self.attempts
                .front()
                .map_or_else(Instant::now, |t| *t + HOUR)
        }
    }
}

impl Inner {
    fn raise(
        &mut self,
        label: &str,
        kind: TaskKind,
        why: &str,
        pending: Option<PendingLogin>,
        captcha_capture: Option<i64>,
    ) -> Task {
        let Some(e) = self.seeds.get(label) else {
            unreachable!("a task is raised for a known session")
        };
        // One open task per seed: an older one is superseded.
        for h in self.tasks.iter_mut() {
            if h.task.seed == label && h.task.state == TaskState::Open {
                h.task.state = TaskState::Expired;
                h.pending = None;
            }
        }
        self.raised += 1;
        let now = SystemTime::now();
        let expires = now + Duration::from_secs(e.spec.task_expiry_secs);
        let mut answers = Vec::new();
        if kind == TaskKind::Captcha {
            answers.push("captcha");
        }
        answers.push("cookies");
        if e.spec.form.is_some() {
            answers.push("retry");
        }
        let task = Task {
            id: format!(
                "t{}-{}",
                now.duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_secs(),
                self.raised
            ),
            seed: label.to_string(),
            account: e.spec.account.clone(),
            kind,
            state: TaskState::Open,
            why: why.to_string(),
            raised: rfc3339(now),
            expires: rfc3339(expires),
            captcha_capture,
            by: None,
            answers,
        };
        self.tasks.push(Held {
            task: task.clone(),
            expires,
            pending,
        });
        // Closed tasks are kept for the console a while; the audit log keeps them all.
        while self.tasks.len() > 200 {
            match self
                .tasks
                .iter()
                .position(|h| h.task.state != TaskState::Open)
            {
                Some(i) => {
                    self.tasks.remove(i);
                }
                None => break,
            }
        }
        task
    }

    /// The seed's open (or answered) tasks are done: its session is back.
    fn close_tasks(&mut self, label: &str) -> Vec<Task> {
        let mut done = Vec::new();
        for h in self.tasks.iter_mut() {
            if h.task.seed == label
                && matches!(
                    h.task.state,
                    TaskState::Open | TaskState::Answered | TaskState::Skipped | TaskState::Expired
                )
            {
                let was_waiting = matches!(h.task.state, TaskState::Open | TaskState::Answered);
                h.task.state = TaskState::Done;
                h.pending = None;
                if was_waiting {
                    done.push(h.task.clone());
                }
            }
        }
        done
    }
}

impl Sessions {
    /// What the seed's next fetch may do; the first call registers the session.
    pub fn gate(&self, lease: &Lease) -> Gate {
        let Some(spec) = &lease.seed.session else {
            return Gate::Go;
        };
        let mut inner = self.inner.lock().expect("sessions lock");
        let e = inner
            .seeds
            .entry(lease.seed.label.clone())
            .or_insert_with(|| Entry::new(lease.seed_id, spec));
        if e.spec != *spec {
            // The seed's session was edited (a reload): its settings apply from now on.
            e.spec = spec.clone();
        }
        e.seed_id = lease.seed_id;
        if e.phase == Phase::Live {
            let too_old = spec
                .max_session_age_secs
                .is_some_and(|s| e.since.elapsed() >= Duration::from_secs(s));
            if !too_old {
                return Gate::Go;
            }
            let why = "the session is older than max_session_age";
            tracing::info!(seed = %lease.seed.label, "{why}: it is renewed");
            drop(inner);
            self.mark_lost(lease, why);
            inner = self.inner.lock().expect("sessions lock");
        }
        let Some(e) = inner.seeds.get_mut(&lease.seed.label) else {
            return Gate::Wait;
        };
        if e.phase == Phase::NeedsLogin
            && Instant::now() >= e.next_login
            && e.attempts_this_hour() < e.spec.max_logins_per_hour
        {
            e.phase = Phase::LoggingIn;
            e.attempts.push_back(Instant::now());
            return Gate::Login;
        }
        Gate::Wait
    }

    /// Whether the seed's session is live (crawling).
    pub fn is_live(&self, label: &str) -> bool {
        let inner = self.inner.lock().expect("sessions lock");
        inner
            .seeds
            .get(label)
            .is_some_and(|e| e.phase == Phase::Live)
    }

    /// Notes the seed's session as lost: a form login is tried again (within the seed's
    /// limits), or a person is asked for fresh cookies. Returns whether it was live until
    /// now (the caller pauses the seed and says so), and the task raised, if any.
    pub fn mark_lost(&self, lease: &Lease, why: &str) -> (bool, Option<Task>) {
        let Some(spec) = &lease.seed.session else {
            return (false, None);
        };
        let mut inner = self.inner.lock().expect("sessions lock");
        let label = lease.seed.label.as_str();
        let e = inner
            .seeds
            .entry(label.to_string())
            .or_insert_with(|| Entry::new(lease.seed_id, spec));
        if e.phase != Phase::Live {
            return (false, None);
        }
        e.lost = Some((rfc3339(SystemTime::now()), why.to_string()));
        e.cookies_modified = e.spec.cookies_file.as_deref().and_then(modified);
        if e.spec.form.is_some() {
            e.phase = Phase::NeedsLogin;
            e.next_login = e.next_login.max(Instant::now());
            // A fresh jar for the new login: the old session's cookies are dead.
            e.jar = Some(Arc::new(Mutex::new(CookieStore::default())));
            return (true, None);
        }
        e.phase = Phase::Waiting;
        let file = e
            .spec
            .cookies_file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let task = inner.raise(
            label,
            TaskKind::Cookies,
            &format!("session lost ({why}): log in in a browser and paste its cookies, or put them in {file}"),
            None,
            None,
        );
        (true, Some(task))
    }

    /// The login found a CAPTCHA: the seed waits for a person's answer.
    pub fn captcha_needed(&self, pending: PendingLogin, capture: Option<i64>) -> Task {
        let mut inner = self.inner.lock().expect("sessions lock");
        let label = pending.lease.seed.label.clone();
        if let Some(e) = inner.seeds.get_mut(&label) {
            e.phase = Phase::Waiting;
            if e.lost.is_none() {
                e.lost = Some((rfc3339(SystemTime::now()), "not logged in yet".into()));
            }
        }
        inner.raise(
            &label,
            TaskKind::Captcha,
            "the login form shows a CAPTCHA: type its answer",
            Some(pending),
            capture,
        )
    }

    /// The site took the login: the session is live (it began now), its open tasks are
    /// done. `set` are the cookies the login's answer set: losing them is a logout.
    pub fn login_succeeded(&self, label: &str, set: &[String]) -> Vec<Task> {
        let mut inner = self.inner.lock().expect("sessions lock");
        if let Some(e) = inner.seeds.get_mut(label) {
            e.phase = Phase::Live;
            e.since = Instant::now();
            e.failures = 0;
            e.lost = None;
            let mut names: Vec<String> = set
                .iter()
                .filter_map(|c| {
                    let (n, v) = c.split(';').next()?.split_once('=')?;
                    (!v.trim().is_empty()).then(|| n.trim().to_string())
                })
                .collect();
            names.extend(e.spec.login_cookies.iter().cloned());
            names.sort();
            names.dedup();
            e.login_cookies = names;
        }
        inner.close_tasks(label)
    }

    /// The login failed: it is tried again after the back-off (doubling each time), or,
    /// once the hourly cap is spent, a person is asked. Returns the task raised, if any, and
    /// when the next attempt may come.
    pub fn login_failed(&self, label: &str, why: &str) -> (Option<Task>, Duration) {
        let mut inner = self.inner.lock().expect("sessions lock");
        let Some(e) = inner.seeds.get_mut(label) else {
            return (None, Duration::ZERO);
        };
        e.failures += 1;
        if e.lost.is_none() {
            e.lost = Some((rfc3339(SystemTime::now()), why.to_string()));
        }
        let backoff = Duration::from_secs(e.spec.relogin_backoff_secs)
            .saturating_mul(1 << (e.failures - 1).min(10))
            .min(6 * HOUR);
        e.next_login = (Instant::now() + backoff).max(e.cap_frees_at());
        let wait = e.next_login.saturating_duration_since(Instant::now());
        if e.attempts_this_hour() >= e.spec.max_logins_per_hour || e.spec.form.is_none() {
            e.phase = Phase::Waiting;
            let n = e.attempts_this_hour();
            let task = inner.raise(
                label,
                TaskKind::LoginFailed,
                &format!("{n} login attempts failed in the last hour (the last: {why}); check the credentials file, then retry, or paste cookies"),
                None,
                None,
            );
            return (Some(task), wait);
        }
        e.phase = Phase::NeedsLogin;
        (None, wait)
    }

    /// The seeds to crawl again, and the tasks that expired; called about once a second.
    pub fn tick(&self) -> Tick {
        let mut out = Tick::default();
        let mut inner = self.inner.lock().expect("sessions lock");
        let now = SystemTime::now();
        for h in inner.tasks.iter_mut() {
            if h.task.state == TaskState::Open && now >= h.expires {
                h.task.state = TaskState::Expired;
                h.pending = None;
                out.expired.push(h.task.clone());
            }
        }
        let mut refreshed = Vec::new();
        for (label, e) in inner.seeds.iter_mut() {
            let under_cap = e.attempts_this_hour() < e.spec.max_logins_per_hour;
            match e.phase {
                Phase::NeedsLogin if Instant::now() >= e.next_login && under_cap => {
                    out.resume
                        .push((e.seed_id, label.clone(), "a login is due"));
                }
                Phase::Waiting => {
                    let fresh = e.spec.cookies_file.as_deref().and_then(modified);
                    if fresh.is_some() && fresh != e.cookies_modified {
                        e.jar = None;
                        e.phase = Phase::Live;
                        e.since = Instant::now();
                        e.lost = None;
                        refreshed.push(label.clone());
                        out.resume.push((
                            e.seed_id,
                            label.clone(),
                            "fresh cookies in the cookies file",
                        ));
                    }
                }
                _ => {}
            }
        }
        for label in refreshed {
            inner.close_tasks(&label);
        }
        out
    }

    /// A person's answer to task `id`, by `who`.
    pub fn answer(&self, id: &str, answer: Answer, who: &str) -> Result<Answered, Refused> {
        let mut inner = self.inner.lock().expect("sessions lock");
        let Some(i) = inner.tasks.iter().position(|h| h.task.id == id) else {
            return Err(Refused::NotFound(format!("no task {id}")));
        };
        let task = inner.tasks[i].task.clone();
        if !task.takes(answer.kind()) {
            return Err(Refused::Conflict(format!(
                "task {id} is {:?} and takes {}",
                task.state,
                if task.state == TaskState::Open {
                    task.answers.join(", ")
                } else {
                    "no answer of that kind now (a CAPTCHA is answered only while its task is open)"
                        .into()
                }
            )));
        }
        // Only the seed's latest task may bring the session back.
        let latest = inner
            .tasks
            .iter()
            .rev()
            .find(|h| h.task.seed == task.seed)
            .map(|h| h.task.id.clone());
        if latest.as_deref() != Some(id) {
            return Err(Refused::Conflict(format!(
                "task {id} was superseded by a newer task of seed '{}'",
                task.seed
            )));
        }
        let Some(e) = inner.seeds.get_mut(&task.seed) else {
            return Err(Refused::NotFound(format!(
                "seed '{}' is not crawled now",
                task.seed
            )));
        };
        let outcome = match answer {
            Answer::Cookies(text) => {
                let jar = jar_from_text(&text).map_err(|e| Refused::Invalid(format!("{e:#}")))?;
                e.jar = Some(Arc::new(Mutex::new(jar)));
                e.phase = Phase::Live;
                e.since = Instant::now();
                e.lost = None;
                e.failures = 0;
                Answered::Resume(e.seed_id)
            }
            Answer::Retry => {
                let at = e.cap_frees_at();
                if at > Instant::now() {
                    return Err(Refused::Conflict(format!(
                        "the seed's {} logins this hour are spent; retry in {} s",
                        e.spec.max_logins_per_hour,
                        at.saturating_duration_since(Instant::now()).as_secs() + 1
                    )));
                }
                e.phase = Phase::NeedsLogin;
                e.next_login = Instant::now();
                Answered::Resume(e.seed_id)
            }
            Answer::Captcha(text) => {
                let text = text.trim().to_string();
                if text.is_empty() || text.len() > 200 || text.chars().any(char::is_control) {
                    return Err(Refused::Invalid(
                        "the CAPTCHA answer must be 1 to 200 characters, without control characters".into(),
                    ));
                }
                let Some(pending) = inner.tasks[i].pending.take() else {
                    return Err(Refused::Conflict(format!("task {id} has no login waiting")));
                };
                if let Some(e) = inner.seeds.get_mut(&task.seed) {
                    // The attempt was counted when the login page was fetched.
                    e.phase = Phase::LoggingIn;
                }
                Answered::Submit(Box::new(pending), text)
            }
        };
        let h = &mut inner.tasks[i];
        h.task.state = TaskState::Answered;
        h.task.by = Some(who.to_string());
        if matches!(outcome, Answered::Resume(_)) {
            h.task.state = TaskState::Done;
            h.pending = None;
        }
        Ok(outcome)
    }

    /// Task `id` is skipped by `who`: the seed stays paused.
    pub fn skip(&self, id: &str, who: &str) -> Result<Task, Refused> {
        let mut inner = self.inner.lock().expect("sessions lock");
        let Some(h) = inner.tasks.iter_mut().find(|h| h.task.id == id) else {
            return Err(Refused::NotFound(format!("no task {id}")));
        };
        if h.task.state != TaskState::Open {
            return Err(Refused::Conflict(format!(
                "task {id} is {:?}: only an open task is skipped",
                h.task.state
            )));
        }
        h.task.state = TaskState::Skipped;
        h.task.by = Some(who.to_string());
        h.pending = None;
        Ok(h.task.clone())
    }

    /// The tasks, newest first.
    pub fn tasks(&self) -> Vec<Task> {
        let inner = self.inner.lock().expect("sessions lock");
        inner.tasks.iter().rev().map(|h| h.task.clone()).collect()
    }

    /// One task.
    pub fn task(&self, id: &str) -> Option<Task> {
        let inner = self.inner.lock().expect("sessions lock");
        inner
            .tasks
            .iter()
            .find(|h| h.task.id == id)
            .map(|h| h.task.clone())
    }

    /// The lost sessions, for the status: seed label, since when, why, what brings it back.
    pub fn lost(&self) -> Vec<crate::status::LostSession> {
        let inner = self.inner.lock().expect("sessions lock");
        let mut out: Vec<_> = inner
            .seeds
            .iter()
            .filter(|(_, e)| e.phase != Phase::Live)
            .filter_map(|(label, e)| {
                let (since, why) = e.lost.clone()?;
                let task = inner
                    .tasks
                    .iter()
                    .rev()
                    .find(|h| &h.task.seed == label && h.task.state == TaskState::Open);
                let file = e
                    .spec
                    .cookies_file
                    .as_ref()
                    .map(|f| format!(", or put fresh cookies in {}", f.display()))
                    .unwrap_or_default();
                let resume = match (task, e.phase) {
                    (Some(h), _) => {
                        format!("answer task {} in the console or the API{file}", h.task.id)
                    }
                    (None, Phase::NeedsLogin | Phase::LoggingIn) => {
                        "nightjar logs in again by itself".to_string()
                    }
                    (None, _) => match &e.spec.cookies_file {
                        Some(f) => format!("put fresh cookies in {}", f.display()),
                        None => "retry its last task, or restart the daemon".to_string(),
                    },
                };
                Some(crate::status::LostSession {
                    seed: label.clone(),
                    since,
                    why,
                    resume,
                })
            })
            .collect();
        out.sort_by(|a, b| a.seed.cmp(&b.seed));
        out
    }

    /// The jar of the seed `label`'s session: its cookies file read the first time, or
    /// empty for a form login.
    fn jar(&self, label: &str, spec: &SessionSpec) -> anyhow::Result<Arc<Mutex<CookieStore>>> {
        let mut inner = self.inner.lock().expect("sessions lock");
        let e = inner.seeds.get_mut(label);
        if let Some(j) = e.as_ref().and_then(|e| e.jar.clone()) {
            return Ok(j);
        }
        let jar = Arc::new(Mutex::new(match &spec.cookies_file {
            Some(f) => read_cookies(f)?,
            None => CookieStore::default(),
        }));
        if let Some(e) = e {
            e.jar = Some(jar.clone());
        }
        Ok(jar)
    }

    /// The `Cookie` header value for `url` in the seed's session (`None`: no cookie
    /// applies).
    pub fn cookie_header(
        &self,
        label: &str,
        spec: &SessionSpec,
        url: &Url,
    ) -> anyhow::Result<Option<String>> {
        let jar = self.jar(label, spec)?;
        let jar = jar.lock().expect("jar lock");
        let pairs: Vec<String> = jar
            .get_request_values(&jar_url(url))
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        Ok((!pairs.is_empty()).then(|| pairs.join("; ")))
    }

    /// Keeps the cookies a response to `url` set (its `Set-Cookie` header values).
    pub fn received(&self, label: &str, spec: &SessionSpec, url: &Url, set_cookies: &[String]) {
        let Ok(jar) = self.jar(label, spec) else {
            return;
        };
        let mut jar = jar.lock().expect("jar lock");
        for c in set_cookies {
            // A cookie the jar refuses (another domain, say) is not kept, as a browser would.
            let _ = jar.parse(c, &jar_url(url));
        }
    }

    /// The login cookie the site took away (expired or deleted), if it did: the session is
    /// then logged out, whatever the page says.
    pub fn login_cookie_gone(&self, label: &str, spec: &SessionSpec, url: &Url) -> Option<String> {
        let names = {
            let inner = self.inner.lock().expect("sessions lock");
            let e = inner.seeds.get(label)?;
            if e.phase != Phase::Live {
                return None;
            }
            e.login_cookies.clone()
        };
        if names.is_empty() {
            return None;
        }
        let jar = self.jar(label, spec).ok()?;
        let jar = jar.lock().expect("jar lock");
        let present: Vec<&str> = jar
            .get_request_values(&jar_url(url))
            .map(|(n, _)| n)
            .collect();
        names
            .iter()
            .find(|n| !present.contains(&n.as_str()))
            .map(|n| format!("the login cookie '{n}' is gone"))
    }
}

/// A jar from cookies pasted by a person (either file form).
fn jar_from_text(text: &str) -> anyhow::Result<CookieStore> {
    if text.len() > 60 * 1024 {
        bail!("the cookies are longer than 60 KiB");
    }
    let jar = cookies_from(text, Path::new("the pasted cookies"))?;
    if jar.iter_unexpired().next().is_none() {
        bail!("the pasted cookies are all expired (or there are none)");
    }
    Ok(jar)
}

/// Reads a cookies file: Netscape `cookies.txt` (what browser extensions and `curl -c`
/// write), or JSON (a list of objects: `name`, `value`, `domain`, `path`, `secure`,
/// `hostOnly` or `includeSubdomains`, `expirationDate` or `expires` in Unix seconds).
pub fn read_cookies(path: &Path) -> anyhow::Result<CookieStore> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the session's cookies file {}", path.display()))?;
    cookies_from(&text, path)
}

fn cookies_from(text: &str, path: &Path) -> anyhow::Result<CookieStore> {
    let cookies = if text.trim_start().starts_with('[') {
        from_json(text)
            .with_context(|| format!("{} is not a JSON list of cookies", path.display()))?
    } else {
        from_netscape(text)
            .with_context(|| format!("{} is not a Netscape cookies.txt", path.display()))?
    };
    if cookies.is_empty() {
        // Not an error: the seed's pages will show the session lost, and its status says
        // which file to refresh.
        tracing::warn!(file = %path.display(), "the session's cookies have all expired");
    }
    let mut jar = CookieStore::default();
    for c in cookies {
        let url = jar_url(&c.url()?);
        jar.parse(&c.set_cookie(), &url).map_err(|e| {
            anyhow::anyhow!(
                "{}: the cookie '{}' is refused: {e}",
                path.display(),
                c.name
            )
        })?;
    }
    Ok(jar)
}

/// One imported cookie, in the terms both file forms share.
struct Imported {
    name: String,
    value: String,
    domain: String,
    subdomains: bool,
    path: String,
    secure: bool,
    /// Unix seconds; `None` for a cookie that lasts the browser session.
    expires: Option<i64>,
}

impl Imported {
    /// A URL the cookie may be set from.
    fn url(&self) -> anyhow::Result<Url> {
        let host = self.domain.trim_start_matches('.');
        let scheme = if self.secure { "https" } else { "http" };
        Url::parse(&format!("{scheme}://{host}{}", self.path)).with_context(|| {
            format!(
                "the cookie '{}' has the domain '{}'",
                self.name, self.domain
            )
        })
    }

    /// The cookie as a `Set-Cookie` value (a host-only cookie has no `Domain`).
    fn set_cookie(&self) -> String {
        let mut s = format!("{}={}; Path={}", self.name, self.value, self.path);
        if self.subdomains {
            s.push_str(&format!("; Domain={}", self.domain.trim_start_matches('.')));
        }
        if self.secure {
            s.push_str("; Secure");
        }
        if let Some(t) = self.expires {
            let left = t - chrono::Utc::now().timestamp();
            s.push_str(&format!("; Max-Age={}", left.max(0)));
        }
        s
    }

    fn expired(&self) -> bool {
        self.expires
            .is_some_and(|t| t <= chrono::Utc::now().timestamp())
    }
}

fn from_netscape(text: &str) -> anyhow::Result<Vec<Imported>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        // `#HttpOnly_` marks an HttpOnly cookie; other `#` lines are comments.
        let line = line.strip_prefix("#HttpOnly_").unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 7 {
            bail!("line {}: {} tab-separated fields, not 7", i + 1, f.len());
        }
        let expires: i64 = f[4]
            .trim()
            .parse()
            .with_context(|| format!("line {}: the expiry '{}' is not a number", i + 1, f[4]))?;
        let c = Imported {
            domain: f[0].trim().to_string(),
            subdomains: f[1].trim().eq_ignore_ascii_case("TRUE"),
            path: f[2].trim().to_string(),
            secure: f[3].trim().eq_ignore_ascii_case("TRUE"),
            expires: (expires > 0).then_some(expires),
            name: f[5].to_string(),
            value: f[6].trim_end_matches('\r').to_string(),
        };
        if !c.expired() {
            out.push(c);
        }
    }
    Ok(out)
}

fn from_json(text: &str) -> anyhow::Result<Vec<Imported>> {
    let list: Vec<serde_json::Value> = serde_json::from_str(text)?;
    let mut out = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let s = |k: &str| v[k].as_str().map(str::to_string);
        let name = s("name").with_context(|| format!("cookie {} has no name", i + 1))?;
        let domain = s("domain").with_context(|| format!("the cookie '{name}' has no domain"))?;
        let subdomains = match (v["hostOnly"].as_bool(), v["includeSubdomains"].as_bool()) {
            (Some(host_only), _) => !host_only,
            (None, Some(sub)) => sub,
            (None, None) => domain.starts_with('.'),
        };
        let expires = v["expirationDate"]
            .as_f64()
            .or_else(|| v["expires"].as_f64())
            .map(|t| t as i64);
        let c = Imported {
            value: s("value").unwrap_or_default(),
            path: s("path").unwrap_or_else(|| "/".into()),
            secure: v["secure"].as_bool().unwrap_or(false),
            name,
            domain,
            subdomains,
            expires,
        };
        if !c.expired() {
            out.push(c);
        }
    }
    Ok(out)
}

/// Whether a page was served to the session's member, from its visible `text` and, when
/// the seed asks for it (a `logged_in_selector`, or a form login whose form may show up on
/// any page), its `html`.
pub fn state_of(spec: &SessionSpec, text: &str, html: Option<&str>) -> SessionState {
    if let Some(t) = spec
        .logged_out_text
        .iter()
        .find(|t| text.contains(t.as_str()))
    {
        return SessionState::Lost(format!("the page says \"{t}\""));
    }
    if let Some(t) = spec
        .logged_in_text
        .as_ref()
        .filter(|t| !text.contains(t.as_str()))
    {
        return SessionState::Lost(format!("the page does not say \"{t}\""));
    }
    let Some(html) = html else {
        return SessionState::LoggedIn;
    };
    let doc = scraper::Html::parse_document(html);
    if let Some(form) = &spec.form {
        // The login form itself (its user name and password fields together; a
        // change-password form has no user name field).
        let named = |n: &str| {
            let css = format!("form input[name=\"{}\"]", n.replace(['\\', '"'], ""));
            scraper::Selector::parse(&css)
                .ok()
                .is_some_and(|s| doc.select(&s).next().is_some())
        };
        if named(&form.username_field) && named(&form.password_field) {
            return SessionState::Lost("the page shows the login form".into());
        }
    }
    if let Some(css) = &spec.logged_in_selector {
        let matched = scraper::Selector::parse(css)
            .ok()
            .is_some_and(|s| doc.select(&s).next().is_some());
        if !matched {
            return SessionState::Lost(format!("nothing on the page matches {css}"));
        }
    }
    SessionState::LoggedIn
}

/// Whether judging a page of this session needs its HTML (see [`state_of`]).
pub fn needs_html(spec: &SessionSpec) -> bool {
    spec.form.is_some() || spec.logged_in_selector.is_some()
}

/// Whether a redirect to `target` sends the session's visitor to the site's login page
/// (same host, and its path; the query, which often carries where to come back to, aside).
pub fn is_login_page(spec: &SessionSpec, target: &Url) -> bool {
    let Some(login) = spec.login_url.as_deref().and_then(|u| Url::parse(u).ok()) else {
        return false;
    };
    login.host_str() == target.host_str()
        && login.path().trim_end_matches('/') == target.path().trim_end_matches('/')
}

/// A session's response as archived: its `Set-Cookie` values (for the jar), and the bytes
/// with every cookie value replaced by its SHA-256 (see [`redact`]). One parse, with the
/// archive's own HTTP reader, which skips interim `1xx` heads as the records do.
pub fn redact_response(raw: &[u8]) -> (Vec<String>, Vec<u8>) {
    match archive::http::HttpMessage::parse_response(raw) {
        Ok(msg) => {
            let set = msg
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
                .map(|(_, v)| v.trim().to_string())
                .collect();
            (set, redact(raw, msg.body_offset))
        }
        // Not a response the reader takes: nothing is kept, and every head-like line up to
        // the first blank line is redacted all the same.
        Err(_) => (Vec::new(), redact(raw, first_blank_line(raw))),
    }
}

/// A request as archived, with its `Cookie` values replaced by their SHA-256.
pub fn redact_request(raw: &[u8]) -> Vec<u8> {
    redact(raw, first_blank_line(raw))
}

/// `raw` with the values of the `Cookie`, `Set-Cookie` and `Set-Cookie2` header lines before
/// `end` (the body's offset) replaced by their SHA-256 (`name=[redacted sha256:…]`); every
/// other byte, the body included, as it was.
fn redact(raw: &[u8], end: usize) -> Vec<u8> {
    let end = end.min(raw.len());
    let mut out = Vec::with_capacity(raw.len());
    for line in raw[..end].split_inclusive(|b| *b == b'\n') {
        let colon = line.iter().position(|b| *b == b':');
        let name = colon.map(|c| line[..c].trim_ascii()).unwrap_or_default();
        let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
        let Some(c) = colon.filter(|_| is("cookie") || is("set-cookie") || is("set-cookie2"))
        else {
            out.extend_from_slice(line);
            continue;
        };
        let body_end = line.len()
            - line
                .iter()
                .rev()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        let value = &line[c + 1..body_end];
        out.extend_from_slice(&line[..=c]);
        out.push(b' ');
        if is("cookie") {
            let pairs: Vec<Vec<u8>> = value
                .split(|b| *b == b';')
                .map(|p| redact_pair(p.trim_ascii()))
                .collect();
            out.extend_from_slice(&pairs.join(&b"; "[..]));
        } else {
            // The first pair is the cookie; its attributes stay as they were.
            let v = value.trim_ascii();
            let semi = v.iter().position(|b| *b == b';').unwrap_or(v.len());
            out.extend_from_slice(&redact_pair(v[..semi].trim_ascii()));
            out.extend_from_slice(&v[semi..]);
        }
        out.extend_from_slice(&line[body_end..]);
    }
    out.extend_from_slice(&raw[end..]);
    out
}

/// Where the first head ends (after its blank line, CRLF or LF), or the whole message.
fn first_blank_line(raw: &[u8]) -> usize {
    let crlf = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = raw.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    [crlf, lf].into_iter().flatten().min().unwrap_or(raw.len())
}

fn redact_pair(pair: &[u8]) -> Vec<u8> {
    match pair.iter().position(|b| *b == b'=') {
        Some(eq) => {
            let mut v = pair[..eq].to_vec();
            v.extend_from_slice(
                format!(
                    "=[redacted sha256:{}]",
                    hex::encode(sha2::Sha256::digest(&pair[eq + 1..]))
                )
                .as_bytes(),
            );
            v
        }
        None => pair.to_vec(),
    }
}

/// The URL a cookie jar matches `url` as: an onion service over plain http is a secure
/// context (its transport is Tor's), so `Secure` cookies apply to it, as in Tor Browser.
pub fn jar_url(url: &Url) -> Url {
    let onion = url.host_str().is_some_and(|h| h.ends_with(".onion"));
    if onion && url.scheme() == "http" {
        let mut u = url.clone();
        if u.set_scheme("https").is_ok() {
            if url.port().is_none() {
                let _ = u.set_port(Some(80));
            }
            return u;
        }
    }
    url.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_file_forms_fill_a_jar_that_matches_by_domain_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let future = chrono::Utc::now().timestamp() + 3600;
        let past = chrono::Utc::now().timestamp() - 3600;
        let txt = dir.path().join("c.txt");
        std::fs::write(
            &txt,
            format!(
                "# Netscape HTTP Cookie File\n.forum.test\tTRUE\t/\tFALSE\t{future}\tsid\tS3CRET\n#HttpOnly_forum.test\tFALSE\t/members\tFALSE\t0\tmember\tM1\nforum.test\tFALSE\t/\tFALSE\t{past}\told\tgone\n"
            ),
        )
        .unwrap();
        let jar = read_cookies(&txt).unwrap();
        let at = |u: &str| {
            let mut v: Vec<String> = jar
                .get_request_values(&Url::parse(u).unwrap())
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            at("http://forum.test/members/1"),
            ["member=M1", "sid=S3CRET"]
        );
        assert_eq!(at("http://www.forum.test/"), ["sid=S3CRET"]);
        assert_eq!(at("http://forum.test/"), ["sid=S3CRET"]);
        assert!(at("http://other.test/").is_empty());
        let json = dir.path().join("c.json");
        std::fs::write(
            &json,
            format!(r#"[{{"name":"sid","value":"J","domain":"forum.test","hostOnly":true,"path":"/","expirationDate":{future}}}]"#),
        )
        .unwrap();
        let jar = read_cookies(&json).unwrap();
        assert_eq!(
            jar.get_request_values(&Url::parse("http://forum.test/x").unwrap())
                .count(),
            1
        );
        assert_eq!(
            jar.get_request_values(&Url::parse("http://www.forum.test/x").unwrap())
                .count(),
            0
        );
        std::fs::write(&txt, "forum.test\tFALSE\t/\n").unwrap();
        assert!(read_cookies(&txt)
            .unwrap_err()
            .to_string()
            .contains("not a Netscape"));
    }

    #[test]
    fn cookie_values_are_redacted_and_the_rest_is_kept() {
        let req = b"GET / HTTP/1.1\r\nHost: f\r\nCookie: sid=S3CRET; lang=en\r\n\r\n";
        let r = String::from_utf8(redact_request(req)).unwrap();
        assert!(!r.contains("S3CRET"), "{r}");
        assert!(r.contains("Cookie: sid=[redacted sha256:"), "{r}");
        assert!(r.starts_with("GET / HTTP/1.1\r\nHost: f\r\n") && r.ends_with("\r\n\r\n"));
        let resp = b"HTTP/1.1 200 OK\r\nSet-Cookie: sid=NEW; Path=/; HttpOnly\r\nContent-Length: 9\r\n\r\nsid=NEW!!";
        let (set, r) = redact_response(resp);
        let r = String::from_utf8(r).unwrap();
        assert!(r.contains("; Path=/; HttpOnly\r\n"), "{r}");
        assert!(
            r.ends_with("\r\n\r\nsid=NEW!!"),
            "the body is as received: {r}"
        );
        assert_eq!(r.matches("NEW").count(), 1, "{r}");
        assert_eq!(set, ["sid=NEW; Path=/; HttpOnly"]);
        // An interim head first; header bytes that are not UTF-8 stay as they were.
        let resp = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nX-Name: \xe9t\xe9\r\nset-cookie: sid=LATE\r\n\r\nbody";
        let (set, r) = redact_response(resp);
        assert!(!r.windows(4).any(|w| w == b"LATE"));
        assert!(r.windows(5).any(|w| w == b"\xe9t\xe9\r\n"));
        assert_eq!(set, ["sid=LATE"]);
        assert!(r.ends_with(b"\r\n\r\nbody"));
    }

    #[test]
    fn an_onion_service_over_http_gets_its_secure_cookies() {
        let onion = "http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz23.onion/x";
        let mut jar = CookieStore::default();
        let u = Url::parse(onion).unwrap();
        jar.parse("sid=1; Secure; Path=/", &jar_url(&u)).unwrap();
        assert_eq!(jar.get_request_values(&jar_url(&u)).count(), 1);
        assert_eq!(
            jar_url(&Url::parse("http://f.test/").unwrap()).scheme(),
            "http"
        );
    }

    fn form_lease(max_logins: u32) -> Lease {
        let session = SessionSpec {
            account: "a".into(),
            cookies_file: None,
            logged_in_text: None,
            logged_out_text: Vec::new(),
            logged_in_selector: Some("a.logout".into()),
            login_url: Some("http://f.test/login".into()),
            form: Some(frontier::seed::LoginForm {
                username_field: "u".into(),
                password_field: "p".into(),
                captcha_field: None,
                credentials: "c".into(),
            }),
            login_cookies: Vec::new(),
            user_agent: None,
            max_session_age_secs: None,
            relogin_backoff_secs: 0,
            max_logins_per_hour: max_logins,
            task_expiry_secs: 3600,
        };
        let seed = frontier::SeedSpec {
            max_depth: 1,
            max_pages: 10,
            session: Some(session),
            ..frontier::SeedSpec::new("forum", "http://f.test/")
        };
        Lease {
            id: 1,
            seed_id: 7,
            seed,
            url: "http://f.test/".into(),
            host: "f.test:80".into(),
            depth: 0,
            hops: 0,
            round: 1,
            attempts: 0,
            interval_secs: None,
            failed_passes: 0,
            fence: 0,
        }
    }

    /// A form login runs once at a time, a deleted login cookie is a logout, and failures
    /// stop at the hourly cap with a task that fresh cookies answer.
    #[test]
    fn a_form_session_logs_in_once_loses_its_cookie_and_stops_at_the_cap() {
        let s = Sessions::default();
        let lease = form_lease(2);
        let url = Url::parse("http://f.test/t/1").unwrap();
        let spec = lease.seed.session.clone().unwrap();
        assert_eq!(s.gate(&lease), Gate::Login);
        assert_eq!(s.gate(&lease), Gate::Wait, "one login at a time");
        s.received("forum", &spec, &url, &["sid=S1; Path=/".into()]);
        assert!(s
            .login_succeeded("forum", &["sid=S1; Path=/".into()])
            .is_empty());
        assert_eq!(s.gate(&lease), Gate::Go);
        assert_eq!(s.login_cookie_gone("forum", &spec, &url), None);
        // The site deletes the login cookie.
        s.received("forum", &spec, &url, &["sid=; Path=/; Max-Age=0".into()]);
        let gone = s.login_cookie_gone("forum", &spec, &url).unwrap();
        assert!(gone.contains("'sid' is gone"), "{gone}");
        let (paused, task) = s.mark_lost(&lease, &gone);
        assert!(
            paused && task.is_none(),
            "a form login is tried again by itself"
        );
        assert_eq!(
            s.gate(&lease),
            Gate::Login,
            "the second attempt of the hour"
        );
        let (task, _) = s.login_failed("forum", "refused");
        let task = task.expect("the cap is reached: a person is asked");
        assert_eq!(task.kind, TaskKind::LoginFailed);
        assert_eq!(s.gate(&lease), Gate::Wait);
        assert!(s.tick().resume.is_empty(), "no login past the cap");
        assert!(matches!(
            s.answer(&task.id, Answer::Retry, "ops"),
            Err(Refused::Conflict(_))
        ));
        assert!(matches!(
            s.answer(&task.id, Answer::Cookies("junk".into()), "ops"),
            Err(Refused::Invalid(_))
        ));
        let future = chrono::Utc::now().timestamp() + 600;
        let pasted = format!("f.test\tFALSE\t/\tFALSE\t{future}\tsid\tS2\n");
        assert!(matches!(
            s.answer(&task.id, Answer::Cookies(pasted), "ops"),
            Ok(Answered::Resume(7))
        ));
        assert_eq!(s.gate(&lease), Gate::Go);
        assert_eq!(
            s.cookie_header("forum", &spec, &url).unwrap().as_deref(),
            Some("sid=S2")
        );
        assert_eq!(s.task(&task.id).unwrap().state, TaskState::Done);
        assert!(matches!(s.skip(&task.id, "ops"), Err(Refused::Conflict(_))));
    }

    #[test]
    fn a_page_says_whether_it_was_served_logged_in() {
        let spec = SessionSpec {
            account: "a".into(),
            cookies_file: Some("x".into()),
            logged_in_text: Some("Logged in as".into()),
            logged_out_text: vec!["Please log in".into()],
            logged_in_selector: None,
            login_url: Some("http://f.test/login".into()),
            form: None,
            login_cookies: Vec::new(),
            user_agent: None,
            max_session_age_secs: None,
            relogin_backoff_secs: 60,
            max_logins_per_hour: 4,
            task_expiry_secs: 3600,
        };
        assert!(is_login_page(
            &spec,
            &Url::parse("http://f.test/login?next=/t/1").unwrap()
        ));
        assert!(!is_login_page(
            &spec,
            &Url::parse("http://f.test/t/1").unwrap()
        ));
        assert_eq!(
            state_of(&spec, "Logged in as a. Threads", None),
            SessionState::LoggedIn
        );
        assert!(matches!(
            state_of(&spec, "Please log in to see this", None),
            SessionState::Lost(_)
        ));
        assert!(matches!(
            state_of(&spec, "Welcome, guest", None),
            SessionState::Lost(_)
        ));
        // The HTML markers: a selector only members' pages match, and the login form itself.
        let form = form_lease(1).seed.session.unwrap();
        let member = r#"<p>Hi</p><a class="logout" href="/bye">x</a><form><input name="p"></form>"#;
        assert_eq!(state_of(&form, "Hi", Some(member)), SessionState::LoggedIn);
        let visitor =
            r#"<form method="post"><input name="u"><input name="p" type="password"></form>"#;
        assert_eq!(
            state_of(&form, "", Some(visitor)),
            SessionState::Lost("the page shows the login form".into())
        );
        assert!(matches!(
            state_of(&form, "Hi", Some("<p>Hi</p>")),
            SessionState::Lost(why) if why.contains("a.logout")
        ));
    }
}
