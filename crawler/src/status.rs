//! What a running crawler is doing, for operators: a small JSON file in the data directory,
//! the same summary as systemd's STATUS line, and the few facts behind both.
//!
//! The crawl loop rewrites `DATA/status.json` about once a second (write to a temporary file,
//! then rename, so a reader never sees half a file); `nightjar status` prints it and says
//! whether the process that wrote it is still running.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use frontier::UrlState;
use serde::{Deserialize, Serialize};

/// How many recent errors the status keeps.
const LAST_ERRORS: usize = 10;

/// A failed fetch, as the status shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorNote {
    /// When (RFC 3339).
    pub at: String,
    /// The URL.
    pub url: String,
    /// Error class (transient, site-down, permanent, policy, …).
    pub class: String,
    /// What went wrong.
    pub message: String,
}

/// A seed whose logged-in session was lost: paused until it is back.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct LostSession {
    /// The seed's label.
    pub seed: String,
    /// Since when (RFC 3339).
    pub since: String,
    /// What showed it.
    pub why: String,
    /// What brings it back (a task to answer, a file to replace, a login under way).
    pub resume: String,
}

/// A task waiting for a person (see `crate::session::tasks`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OpenTask {
    /// Its ID.
    pub id: String,
    /// The seed.
    pub seed: String,
    /// `captcha`, `cookies` or `login-failed`.
    pub kind: String,
    /// What happened.
    pub why: String,
    /// When it expires.
    pub expires: String,
}

/// A host stopped for the rest of a seed's pass (a link farm, or its fetch budget).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoppedHost {
    /// The seed's label.
    pub seed: String,
    /// The host (`host:port`).
    pub host: String,
    /// `link-farm` or `host-budget`.
    pub reason: String,
    /// What the reason says in full.
    pub message: String,
    /// Pages fetched from it in the pass.
    pub pages: u64,
}

/// The last reload of the configuration and seed lists.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReloadNote {
    /// When (RFC 3339).
    pub at: String,
    /// Whether it was applied (false: refused, the previous state kept running).
    pub applied: bool,
    /// What happened.
    pub message: String,
}

/// Running totals of a crawl, as the status and the summary show them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Pages archived (robots.txt not included).
    pub pages: u64,
    /// robots.txt responses archived.
    pub robots_fetched: u64,
    /// Compressed bytes of the records written for both.
    pub bytes: u64,
    /// Fetch attempts that got no response, retried or not.
    pub failed_attempts: u64,
    /// URLs given up for this pass (no retry left).
    pub failed_urls: u64,
    /// URLs skipped by robots.txt.
    pub robots_skipped: u64,
}

/// Facts the loop keeps between status writes.
#[derive(Debug)]
pub struct Activity {
    started: chrono::DateTime<chrono::Utc>,
    errors: VecDeque<ErrorNote>,
    /// (when, pages archived so far): for the pages-per-minute rate.
    samples: VecDeque<(Instant, u64)>,
    /// Why crawling is paused, if it is.
    pub paused: Option<String>,
    /// The last reload.
    pub reload: Option<ReloadNote>,
    /// Labels of the seeds being crawled.
    pub seeds: Vec<String>,
    /// Where the metrics endpoint listens.
    pub metrics: Option<String>,
    /// Where the API listens.
    pub api: Option<String>,
}

impl Default for Activity {
    fn default() -> Self {
        Activity {
            started: chrono::Utc::now(),
            errors: VecDeque::new(),
            samples: VecDeque::new(),
            paused: None,
            reload: None,
            seeds: Vec::new(),
            metrics: None,
            api: None,
        }
    }
}

/// What only the crawler knows, for [`Activity::status`].
pub struct Facts {
    /// Totals of this process.
    pub totals: Totals,
    /// Each seed's state.
    pub seed_states: Vec<crate::seed_state::SeedReport>,
    /// The queue by state.
    pub queue: BTreeMap<String, i64>,
    /// The state of each route.
    pub routes: BTreeMap<String, String>,
    /// The hosts stopped for a pass.
    pub hosts_stopped: Vec<StoppedHost>,
    /// Seeds whose session was lost.
    pub sessions_lost: Vec<LostSession>,
    /// Tasks waiting for a person.
    pub tasks: Vec<OpenTask>,
}

impl Activity {
    /// Remembers a failed fetch.
    pub fn error(&mut self, url: &str, class: archive::index::FailureClass, message: &str) {
        if self.errors.len() == LAST_ERRORS {
            self.errors.pop_front();
        }
        self.errors.push_back(ErrorNote {
            at: now(),
            url: url.to_string(),
            class: class.as_str().to_string(),
            message: message.to_string(),
        });
    }

    /// Records a reload's outcome.
    pub fn reloaded(&mut self, applied: bool, message: String) {
        self.reload = Some(ReloadNote {
            at: now(),
            applied,
            message,
        });
    }

    /// The status, from these facts and the figures only the caller has (see [`Facts`]).
    pub fn status(&mut self, facts: Facts) -> Status {
        let Facts {
            totals,
            seed_states,
            queue,
            routes,
            hosts_stopped,
            sessions_lost,
            tasks,
        } = facts;
        Status {
            updated: now(),
            started: self
                .started
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            pid: std::process::id(),
            pages: totals.pages,
            pages_per_min: self.rate(totals.pages),
            robots_fetched: totals.robots_fetched,
            bytes: totals.bytes,
            failed_attempts: totals.failed_attempts,
            failed_urls: totals.failed_urls,
            robots_skipped: totals.robots_skipped,
            queue,
            routes,
            paused: self.paused.clone(),
            seeds: self.seeds.clone(),
            seed_states,
            last_errors: self.errors.iter().cloned().collect(),
            hosts_stopped,
            sessions_lost,
            tasks,
            reload: self.reload.clone(),
            metrics: self.metrics.clone(),
            api: self.api.clone(),
        }
    }

    /// Pages per minute over the last minute (or since start, if shorter).
    fn rate(&mut self, pages: u64) -> f64 {
        let now = Instant::now();
        self.samples.push_back((now, pages));
        while self
            .samples
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t).as_secs() > 60)
        {
            self.samples.pop_front();
        }
        let (t0, p0) = self.samples.front().copied().unwrap_or((now, pages));
        let secs = now.duration_since(t0).as_secs_f64();
        if secs < 1.0 {
            return 0.0;
        }
        (pages - p0) as f64 * 60.0 / secs
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The status file's content.
#[derive(Debug, Serialize, Deserialize)]
pub struct Status {
    /// When this was written (RFC 3339).
    pub updated: String,
    /// When the process started (RFC 3339).
    #[serde(default)]
    pub started: String,
    /// Process ID of the writer.
    pub pid: u32,
    /// Pages archived by this process (robots.txt not included).
    pub pages: u64,
    /// Archived responses per minute, over the last minute.
    #[serde(default)]
    pub pages_per_min: f64,
    /// robots.txt responses archived by this process.
    #[serde(default)]
    pub robots_fetched: u64,
    /// Bytes written to WARC files by this process.
    pub bytes: u64,
    /// Fetch attempts that got no response (each an error capture), retried or not: the
    /// sum of the `nightjar_fetch_errors_total` metric.
    #[serde(default)]
    pub failed_attempts: u64,
    /// URLs given up for this pass: the last attempt failed and no retry was left. (Called
    /// `errors` before 0.1.0's issue 16; a status file written then still reads.)
    #[serde(alias = "errors")]
    pub failed_urls: u64,
    /// URLs skipped by robots.txt.
    pub robots_skipped: u64,
    /// URLs in the frontier by state (queued, inflight, done, failed, skipped).
    pub queue: BTreeMap<String, i64>,
    /// State of each route (`direct`, `tor`).
    pub routes: BTreeMap<String, String>,
    /// Why crawling is paused (disk full), if it is.
    #[serde(default)]
    pub paused: Option<String>,
    /// Labels of the seeds being crawled.
    #[serde(default)]
    pub seeds: Vec<String>,
    /// What each seed known to the data directory is doing: last outcome, why, next try.
    #[serde(default)]
    pub seed_states: Vec<crate::seed_state::SeedReport>,
    /// The most recent failed fetches, oldest first.
    #[serde(default)]
    pub last_errors: Vec<ErrorNote>,
    /// Hosts stopped for the rest of a pass (link farms, fetch budgets per host).
    #[serde(default)]
    pub hosts_stopped: Vec<StoppedHost>,
    /// Seeds paused because their logged-in session was lost.
    #[serde(default)]
    pub sessions_lost: Vec<LostSession>,
    /// Tasks waiting for a person (a CAPTCHA, fresh cookies, a failed login).
    #[serde(default)]
    pub tasks: Vec<OpenTask>,
    /// The last reload of configuration and seeds.
    #[serde(default)]
    pub reload: Option<ReloadNote>,
    /// Address of the Prometheus endpoint.
    #[serde(default)]
    pub metrics: Option<String>,
    /// Address of the HTTP API.
    #[serde(default)]
    pub api: Option<String>,
}

impl Status {
    /// One line for systemd's STATUS: rate, queue, state.
    pub fn line(&self) -> String {
        let queued = self
            .queue
            .get(UrlState::Queued.as_str())
            .copied()
            .unwrap_or(0);
        let inflight = self
            .queue
            .get(UrlState::Inflight.as_str())
            .copied()
            .unwrap_or(0);
        let state = match &self.paused {
            Some(why) => format!("PAUSED: {why}; "),
            None => String::new(),
        };
        format!(
            "{state}{:.0} pages/min, {} pages archived, {queued} queued, {inflight} in flight, {} failed attempts, {} URLs failed",
            self.pages_per_min, self.pages, self.failed_attempts, self.failed_urls
        )
    }
}

/// Where the status file of a data directory is.
pub fn path(data: &Path) -> PathBuf {
    data.join("status.json")
}

/// Writes `status` to the status file of the data directory `data` and to systemd's STATUS
/// line.
pub async fn write(status: &Status, data: &Path) -> anyhow::Result<()> {
    crate::service::notify_status(&status.line());
    let target = path(data);
    // The crawl loop and a reload may both write: each through its own temporary file.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let tmp = target.with_extension(format!("json.{n}.tmp"));
    tokio::fs::write(&tmp, serde_json::to_vec_pretty(status)?).await?;
    tokio::fs::rename(&tmp, &target).await?;
    Ok(())
}
