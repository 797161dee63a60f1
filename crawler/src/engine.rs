//! The crawl loop: lease a URL, fetch it, archive it, index it, queue its links.
//!
//! Each capture is archived first (written and fsynced by the archive crate) and then indexed
//! in one database transaction together with its change class and the frontier's bookkeeping:
//! the URL marked done, due again sooner or later depending on whether it changed, and its
//! links queued. A recrawl whose payload is already archived becomes a revisit record; the
//! last capture in the index is the only dedup state. A crash between the two leaves records without index rows, which
//! [`crate::recover`] indexes on the next start from the archived bytes alone, so nothing is
//! fetched twice and nothing archived is lost.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use archive::changes::{Change, ChangeClass, Earlier, PageContent, PreparedContent};
use archive::http::HttpMessage;
use archive::index::FailureClass;
use archive::writer::response_facts_of;
use archive::{Exchange, StoredExchange, WarcWriter};
use db::Db;
use frontier::canon::{canonicalize_url, resolve, surt};
use frontier::{Admission, Finished, Freshness, Frontier, Lease, Next, RobotsPolicy};
use tokio::sync::watch;
use tokio::task::JoinSet;
use url::Url;

use crate::config::{Config, Isolation};
use crate::decode::{decode_content, DecodeLimits};
use crate::extract::{extract_with, Extracted, LinkKind};
use crate::fetch::{FetchError, FetchRequest, Fetched, Fetcher};
use crate::onion::{self, OnionCheck};
use crate::session::Gate;

mod login;
use frontier::retry::{holds_host, AfterAnswer};

/// Running totals, for the summary and status.
#[derive(Debug, Default)]
pub struct Stats {
    /// Pages archived: responses to the seeds' URLs (robots.txt not included).
    pub pages: AtomicU64,
    /// robots.txt responses archived (each redirect hop counts).
    pub robots_fetched: AtomicU64,
    /// Compressed bytes of the records written for both.
    pub bytes: AtomicU64,
    /// Fetch attempts that got no response (each is an error capture), retried or not.
    pub failed_attempts: AtomicU64,
    /// URLs given up for this pass: their last attempt failed and no retry is left.
    pub failed_urls: AtomicU64,
    /// URLs skipped by robots.txt.
    pub robots_skipped: AtomicU64,
    /// Login steps archived (login pages, CAPTCHA images, login forms sent).
    pub login_fetches: AtomicU64,
}

/// What listens beside the crawl, for the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listener {
    /// The Prometheus endpoint.
    Metrics,
    /// The HTTP API.
    Api,
}

/// When the loop ends.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// When nothing is queued or in flight (`nightjar crawl`).
    UntilEmpty,
    /// Until stopped, queueing pages as they come due (`nightjar run`).
    Forever {
        /// How often due pages are looked for.
        reschedule: Duration,
    },
}

/// The crawler: everything the loop needs, shared by its tasks.
///
/// Its parts are its own: the rest of the daemon sees them through the few methods below
/// (the database for the actions, the queue for seed changes, the key for exports) and
/// reads what the loop is doing from [`Crawler::snapshot`], never from its counters.
pub struct Crawler {
    /// The database.
    db: Db,
    /// The seeds' logged-in sessions (their cookie jars).
    sessions: crate::session::Sessions,
    /// The queue.
    frontier: Arc<Frontier>,
    /// The WARC writer.
    pub(crate) writer: Arc<Mutex<WarcWriter>>,
    /// How URLs are fetched.
    fetcher: Arc<dyn Fetcher>,
    /// Settings (a reload swaps them).
    config: RwLock<Arc<Config>>,
    /// Totals.
    stats: Arc<Stats>,
    /// Prometheus instruments.
    metrics: Arc<crate::metrics::Metrics>,
    /// Recent errors, rates, pause and reload state, for the status.
    activity: Mutex<crate::status::Activity>,
    /// This node's signing key (seals).
    key: Arc<archive::custody::key::NodeKey>,
    /// One sealing at a time.
    pub(crate) sealing: tokio::sync::Mutex<()>,
    /// While the archive volume is too full: the free bytes needed to resume.
    disk_full: Mutex<Option<u64>>,
    /// Since when the database server has not answered (crawling pauses meanwhile).
    db_away: Mutex<Option<std::time::Instant>>,
    /// Captures archived and waiting to be indexed; the indexer indexes all of them in one
    /// transaction (see [`Crawler::ingest`]).
    to_index: Mutex<Vec<IndexJob>>,
    /// Whether a task is the indexer now (its turn: [`IndexerTurn`]).
    indexer_busy: std::sync::atomic::AtomicBool,
    /// Wakes a waiting capture's task to become the indexer: the last turn ended with
    /// captures queued.
    indexer_wanted: tokio::sync::Notify,
    /// The live watches, as last read, with when and the table's version then.
    watches: tokio::sync::Mutex<WatchCache>,
    /// Each seed's page rules, compiled once (by label, with what they were made from).
    rules: Mutex<HashMap<String, Arc<PageRules>>>,
    /// Each seed's report as last made, when, and each seed's last settled state (for the
    /// log line when it changes).
    seed_reports: Mutex<SeedReports>,
    /// This node among several sharing a PostgreSQL database (`None` on SQLite).
    node: Option<Arc<crate::data::Node>>,
    /// What the node says of itself changed (its API's address): heartbeat at once.
    node_dirty: std::sync::atomic::AtomicBool,
}

/// The seed reports as last made (see [`Crawler::seed_reports`]).
#[derive(Default)]
struct SeedReports {
    made: Option<std::time::Instant>,
    /// The seeds crawled when they were made: a reload that changes them makes them stale.
    active: Vec<i64>,
    reports: Vec<crate::seed_state::SeedReport>,
    settled: HashMap<String, crate::seed_state::SeedState>,
}

/// The watches as last read from the database (a CLI or the API may change them any time).
#[derive(Default)]
struct WatchCache {
    read_at: Option<std::time::Instant>,
    version: (i64, i64, Option<String>),
    watches: Arc<Vec<crate::watch::Watch>>,
}

const MIB: u64 = 1 << 20;

/// The most captures indexed in one transaction. SQLite writes one transaction at a time:
/// the leases wait for it to commit, and with 600 fetches in flight an unbounded group grew
/// to 450 captures, 0.7 s during which no fetch was handed out. A group of 64 takes about
/// 100 ms.
const GROUP_MAX: usize = 64;

/// How many groups an indexer indexes before it hands over: its own fetch's slot is held
/// meanwhile (its capture is indexed in its first group), so a turn is short; each hand-over
/// waits for the next task's turn on the runtime, so it is not one group either.
const INDEXER_TURN: usize = 8;

/// A task's turn as the indexer ([`Crawler::ingest`]). Ended when dropped, also when the
/// task is cancelled mid-group (the crawl's stop abandons fetches): the next capture's task
/// takes over, and the captures that turn had taken learn that they were not indexed.
struct IndexerTurn<'a>(&'a Crawler);

impl Drop for IndexerTurn<'_> {
    fn drop(&mut self) {
        self.0.indexer_busy.store(false, Ordering::Release);
        // A capture queued after the turn's last look found it busy and is waiting: wake one.
        if !self.0.to_index.lock().expect("index queue lock").is_empty() {
            self.0.indexer_wanted.notify_one();
        }
    }
}

/// A capture waiting for the shared indexing transaction, and where its outcome goes.
struct IndexJob {
    lease: Lease,
    url: Url,
    stored: StoredExchange,
    found: Discovered,
    purpose: Purpose,
    /// The URL's earlier captures as looked up before the fetch.
    earlier: Option<Earlier>,
    done: tokio::sync::oneshot::Sender<Result<(), IndexFailure>>,
}

/// Why a capture was fetched, which decides what indexing it does besides the index rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// The leased URL itself: the lease is completed and its links are queued.
    Page,
    /// A host's robots.txt (or a hop of its redirects), fetched before the leased page: it is
    /// indexed like any capture, and the lease goes back to the queue afterwards.
    Robots,
    /// A step of a session's login (the login page, its CAPTCHA image, the form sent):
    /// indexed like any capture, as what a visitor not logged in is served.
    Login,
}

/// Why a capture indexed in another fetch's transaction was not indexed: the message, and
/// whether the volume was full (which pauses the crawl and is retried, not fatal).
struct IndexFailure {
    message: String,
    disk_full: bool,
    /// The database server could not be reached (also paused and retried).
    unreachable: bool,
}

impl IndexFailure {
    fn of(e: &anyhow::Error) -> IndexFailure {
        IndexFailure {
            message: format!("{e:#}"),
            disk_full: crate::service::is_disk_full(e),
            unreachable: crate::service::is_db_unreachable(e),
        }
    }

    fn dropped() -> IndexFailure {
        IndexFailure {
            message: "the shared indexing transaction was abandoned".into(),
            disk_full: false,
            unreachable: false,
        }
    }

    fn into_error(self) -> anyhow::Error {
        if self.disk_full {
            anyhow::Error::new(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                self.message,
            ))
        } else if self.unreachable {
            anyhow::Error::new(sqlx::Error::PoolTimedOut).context(self.message)
        } else {
            anyhow::anyhow!(self.message)
        }
    }
}

/// Links and redirect found in a response.
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    /// `Location` of a 3xx response.
    pub redirect: Option<Url>,
    /// Links from HTML.
    pub extracted: Extracted,
    /// Why the body could not be examined, if it could not.
    pub problem: Option<String>,
    /// Visible text and links, for HTML and plain text.
    pub content: Option<PageContent>,
    /// The same, compressed and digested for the change index.
    pub prepared: Option<PreparedContent>,
    /// Validated entities in the text and the links (HTML and plain text only).
    pub entities: Vec<entities::Found>,
    /// Links not followed because they would act on the site, each with why.
    pub not_followed: Vec<String>,
    /// For a seed with a session: whether the page was served logged in.
    pub session: Option<crate::session::SessionState>,
    /// For a seed that checks its site's mirror files, one of them: what the check found.
    pub mirror_file: Option<crate::mirrors::Checked>,
    /// For a host's root page or its favicon: the fingerprints look-alikes are found by.
    pub host_print: Option<archive::lookalike::HostPrint>,
}

/// The seed list verified mirrors are added to when their site's `[seed.mirrors]` says
/// `follow`.
pub const FOLLOWED_FILE: &str = "followed-mirrors.toml";

/// What a seed's settings change in how its pages are read: the entity extractor's hints
/// (phone region, handle patterns), the stable form captures are compared in (its
/// `ignore_text`), the elements whose text is not compared (`ignore_selectors`), and the
/// links that act on the site. A pattern or selector that does not compile was refused when
/// the seed was read, and is skipped here.
#[derive(Clone, Debug, Default)]
pub struct PageRules {
    /// For the entity extractor.
    pub hints: entities::Hints,
    /// The stable form of text and links.
    pub volatility: archive::volatile::Volatility,
    /// Elements whose text is not compared.
    pub ignore: Vec<scraper::Selector>,
    /// Links that act on the site, not followed.
    pub actions: frontier::actions::ActionPolicy,
    /// The seed's mirror check, if it asks for one: its pinned keys, parsed once.
    pub mirrors: Option<Arc<crate::mirrors::MirrorRules>>,
    /// The mirror settings they were made from.
    mirrors_source: Option<frontier::seed::MirrorSpec>,
    /// The seed settings they were made from (region, handles, ignore_text,
    /// ignore_selectors, action links).
    source: (
        Option<String>,
        Vec<String>,
        Vec<String>,
        Vec<String>,
        frontier::actions::ActionLinks,
    ),
}

impl PageRules {
    /// The rules of a seed.
    pub fn of(spec: &frontier::SeedSpec) -> PageRules {
        let ignore_text: Vec<String> = spec
            .ignore_text
            .iter()
            .filter(|p| regex::Regex::new(p).is_ok())
            .cloned()
            .collect();
        PageRules {
            hints: entities::Hints {
                skip: spec
                    .drop_entities
                    .iter()
                    .filter_map(|k| k.parse().ok())
                    .collect(),
                region: spec.region.clone(),
                handles: spec
                    .handles
                    .iter()
                    .filter_map(|p| regex::Regex::new(p).ok())
                    .collect(),
            },
            volatility: archive::volatile::Volatility::new(&ignore_text).unwrap_or_default(),
            ignore: spec
                .ignore_selectors
                .iter()
                .filter_map(|s| scraper::Selector::parse(s).ok())
                .collect(),
            actions: frontier::actions::ActionPolicy::of(&spec.actions).unwrap_or_default(),
            mirrors: spec
                .mirrors
                .as_ref()
                .map(|m| Arc::new(crate::mirrors::MirrorRules::of(m))),
            mirrors_source: spec.mirrors.clone(),
            source: (
                spec.region.clone(),
                spec.handles.clone(),
                spec.ignore_text.clone(),
                spec.ignore_selectors.clone(),
                spec.actions.clone(),
            ),
        }
    }

    /// The rules a seed with these `ignore_text` patterns and `ignore_selectors` would
    /// have, and no entity hints; an invalid pattern or selector is an error.
    pub fn for_comparison(
        ignore_text: &[String],
        ignore_selectors: &[String],
    ) -> anyhow::Result<PageRules> {
        Ok(PageRules {
            hints: entities::Hints::default(),
            volatility: archive::volatile::Volatility::new(ignore_text)?,
            ignore: ignore_selectors
                .iter()
                .map(|s| {
                    scraper::Selector::parse(s)
                        .map_err(|e| anyhow::anyhow!("'{s}' is not a CSS selector: {e}"))
                })
                .collect::<anyhow::Result<_>>()?,
            actions: frontier::actions::ActionPolicy::default(),
            mirrors: None,
            mirrors_source: None,
            source: (
                None,
                Vec::new(),
                ignore_text.to_vec(),
                ignore_selectors.to_vec(),
                frontier::actions::ActionLinks::default(),
            ),
        })
    }

    /// Only entity hints; the built-in stable form.
    pub fn with_hints(hints: entities::Hints) -> PageRules {
        PageRules {
            hints,
            ..PageRules::default()
        }
    }

    /// Whether these rules were made from `spec`'s settings as they are now (a reload may
    /// have changed them).
    fn made_from(&self, spec: &frontier::SeedSpec) -> bool {
        let (region, handles, ignore_text, ignore_selectors, actions) = &self.source;
        *region == spec.region
            && *handles == spec.handles
            && *ignore_text == spec.ignore_text
            && *ignore_selectors == spec.ignore_selectors
            && *actions == spec.actions
            && self.mirrors_source == spec.mirrors
    }
}

fn is_html(mime: Option<&str>) -> bool {
    matches!(mime, Some("text/html") | Some("application/xhtml+xml"))
}

/// What a capture means for the page's schedule.
fn freshness(change: Change, status: u16) -> Freshness {
    if matches!(status, 404 | 410) {
        return Freshness::Gone;
    }
    match (change.class, change.moved) {
        (ChangeClass::Changed, _) | (ChangeClass::Back, Some(true)) => Freshness::Changed,
        (ChangeClass::Unchanged | ChangeClass::Cosmetic, _) | (ChangeClass::Back, Some(false)) => {
            Freshness::Unchanged
        }
        _ => Freshness::Unknown,
    }
}

/// The seed's `text_only` pattern the content type matches, if any.
fn keep_text_only(seed: &frontier::SeedSpec, mime: Option<&str>) -> Option<String> {
    let mime = mime?.trim().to_ascii_lowercase();
    seed.text_only
        .iter()
        .find(|p| match p.strip_suffix("/*") {
            Some(kind) => mime.split('/').next() == Some(kind),
            None => **p == mime,
        })
        .cloned()
}

/// An HTTP response without its body: the status line and the headers as received.
fn head_only(response: &[u8]) -> Vec<u8> {
    match response.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(end) => response[..end + 4].to_vec(),
        None => response.to_vec(),
    }
}

/// Finds the redirect target, the links, the text and the entities of an archived response.
pub fn discover(
    url: &Url,
    raw_response: &[u8],
    limits: &DecodeLimits,
    rules: &PageRules,
) -> Discovered {
    discover_in(
        url,
        HttpMessage::parse_response(raw_response).as_ref(),
        limits,
        rules,
    )
}

/// A response parsed once, for everything the crawl loop needs of it: what it links to
/// ([`Discovered`]) and what the archive records of it ([`archive::writer::ResponseFacts`]).
fn examine(
    url: &Url,
    raw_response: &[u8],
    limits: &DecodeLimits,
    rules: &PageRules,
) -> (Discovered, archive::writer::ResponseFacts) {
    let parsed = HttpMessage::parse_response(raw_response);
    let found = discover_in(url, parsed.as_ref(), limits, rules);
    (found, response_facts_of(parsed.as_ref().ok()))
}

/// [`discover`] on a response already parsed.
fn discover_in(
    url: &Url,
    parsed: Result<&HttpMessage, &archive::http::HttpParseError>,
    limits: &DecodeLimits,
    rules: &PageRules,
) -> Discovered {
    let hints = &rules.hints;
    let mut out = Discovered::default();
    let msg = match parsed {
        Ok(m) => m,
        Err(e) => {
            out.problem = Some(e.to_string());
            return out;
        }
    };
    let status = msg.status.unwrap_or(0);
    if let (Some(check), Some(file), false) = (
        &rules.mirrors,
        crate::mirrors::MirrorFile::of(url),
        // Not modified: the earlier check stands.
        status == 304,
    ) {
        // Judged from the payload whatever its type (sites serve these files as text/html
        // or octet-stream too); a body that cannot be decoded is judged empty.
        let body = decode_content(msg.header("content-encoding"), &msg.payload, limits)
            .unwrap_or_default();
        out.mirror_file = Some(check.examine(file, status, &body, chrono::Utc::now()));
    }
    if status == 200 && url.path() == "/favicon.ico" {
        if let Ok(body) = decode_content(msg.header("content-encoding"), &msg.payload, limits) {
            out.host_print = Some(archive::lookalike::HostPrint::of_favicon(&body));
        }
    }
    if (300..400).contains(&status) {
        if let Some(loc) = msg.header("location") {
            match resolve(url, loc) {
                Ok(target) => out.redirect = Some(target),
                Err(e) => out.problem = Some(format!("bad Location '{loc}': {e}")),
            }
        }
        return out;
    }
    let mime = msg.mime();
    if mime.as_deref() == Some("text/plain") {
        if let Ok(body) = decode_content(msg.header("content-encoding"), &msg.payload, limits) {
            let text = String::from_utf8_lossy(&body);
            out.content = Some(PageContent {
                text: text
                    .lines()
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
                links: Default::default(),
            });
            out.prepared = out
                .content
                .as_ref()
                .and_then(|c| c.prepare(&rules.volatility, None).ok());
            let raw = text.contains("-----BEGIN PGP").then_some(&*text);
            if let Some(c) = &out.content {
                out.entities = entities::find(
                    &entities::Page {
                        text: &c.text,
                        raw,
                        ..Default::default()
                    },
                    hints,
                );
            }
        }
        return out;
    }
    if !is_html(mime.as_deref()) {
        return out;
    }
    match decode_content(msg.header("content-encoding"), &msg.payload, limits) {
        Ok(body) => {
            out.extracted = extract_with(&body, msg.header("content-type"), url, &rules.ignore);
            if status == 200 && url.path() == "/" && url.query().is_none() {
                // A host's root page: parsed once more for its structure (one page per host
                // and pass; the other pages do not pay for it).
                let tags = crate::extract::tag_names(&body, msg.header("content-type"));
                out.host_print = Some(archive::lookalike::HostPrint::of_page(
                    tags.iter().map(String::as_str),
                    out.extracted.title.as_deref(),
                    msg.headers.iter().map(|(n, _)| n.as_str()),
                    None,
                ));
            }
        }
        Err(e) => {
            out.problem = Some(format!("body not examined for links: {e}"));
            return out;
        }
    }
    // Links to onion addresses that cannot exist are recorded, never queued.
    let mut invalid = Vec::new();
    out.extracted
        .links
        .retain(|l| match onion::check(l.url.host_str().unwrap_or("")) {
            OnionCheck::Clearnet | OnionCheck::V3 { .. } => true,
            OnionCheck::V2 => {
                invalid.push(format!(
                    "{} (v2 onion address: historical, not fetched)",
                    l.url
                ));
                false
            }
            OnionCheck::Invalid(why) => {
                invalid.push(format!("{} ({why})", l.url));
                false
            }
        });
    out.extracted.invalid.extend(invalid);
    // Links that would act on the site (log out, delete, vote, buy) are recorded, never
    // followed.
    let mut not_followed = Vec::new();
    out.extracted.links.retain(|l| {
        // Every link is judged by its URL (an image pointing at `?mode=logout` in a
        // forum signature logs out as well as an anchor); anchors by their words too.
        let text = match l.kind {
            LinkKind::Anchor | LinkKind::Area => l.text.as_str(),
            _ => "",
        };
        let acts = rules.actions.judge(&l.url, text);
        match acts {
            Some(why) => {
                not_followed.push(format!("{} ({why})", l.url));
                false
            }
            None => true,
        }
    });
    out.not_followed = not_followed;
    out.content = Some(PageContent {
        text: std::mem::take(&mut out.extracted.text),
        links: out
            .extracted
            .links
            .iter()
            .map(|l| l.url.to_string())
            .collect(),
    });
    let compared = out
        .extracted
        .compared_text
        .as_deref()
        .zip(out.extracted.compared_links.as_deref());
    out.prepared = out
        .content
        .as_ref()
        .and_then(|c| c.prepare(&rules.volatility, compared).ok());
    if let (Some(print), Some(c)) = (&mut out.host_print, &out.content) {
        print.simhash = Some(archive::lookalike::text_simhash(&c.text));
    }
    if let Some(c) = &out.content {
        out.entities = entities::find(
            &entities::Page {
                text: &c.text,
                uris: &out.extracted.uris,
                attrs: &out.extracted.attr_text,
                raw: out.extracted.raw_text.as_deref(),
            },
            hints,
        );
    }
    out
}

impl Crawler {
    /// A crawler over an opened store.
    pub fn new(store: &crate::data::Store, fetcher: Arc<dyn Fetcher>, cfg: Arc<Config>) -> Crawler {
        Crawler {
            db: store.db.clone(),
            sessions: Default::default(),
            frontier: store.frontier.clone(),
            writer: store.writer.clone(),
            fetcher,
            config: RwLock::new(cfg),
            stats: Arc::new(Stats::default()),
            metrics: Arc::new(crate::metrics::Metrics::default()),
            activity: Mutex::new(Default::default()),
            seed_reports: Mutex::new(Default::default()),
            key: store.key.clone(),
            sealing: Default::default(),
            disk_full: Mutex::new(None),
            db_away: Mutex::new(None),
            to_index: Mutex::new(Vec::new()),
            indexer_busy: Default::default(),
            indexer_wanted: Default::default(),
            watches: Default::default(),
            rules: Default::default(),
            node: store.node.clone(),
            node_dirty: Default::default(),
        }
    }

    /// Renews, releases and takes host leases and refreshes this node's heartbeat (a node
    /// sharing its database; nothing otherwise). A database that does not answer is logged:
    /// the node goes on with what it holds until its leases run out.
    async fn node_tick(&self) {
        let Some(node) = &self.node else { return };
        let info = node.info.lock().expect("node lock").clone();
        if let Err(e) = crate::store::nodes::heartbeat(&self.db, &info).await {
            tracing::warn!("cannot refresh this node's heartbeat: {e:#}");
        }
        match self.frontier.lease_round().await {
            Ok(round) => self.metrics.lease_round(&round),
            Err(e) => tracing::warn!("cannot renew or take host leases: {e:#}"),
        }
    }

    /// A node stopping cleanly lets its hosts go at once (the others need not wait for the
    /// leases to run out) and says it stopped.
    async fn node_stopped(&self) {
        let Some(node) = &self.node else { return };
        if let Err(e) = self.frontier.release_all().await {
            tracing::warn!("cannot release this node's host leases: {e:#}");
        }
        let at = archive::index::index_time(&chrono::Utc::now());
        let name = node.info.lock().expect("node lock").name.clone();
        if let Err(e) = crate::store::nodes::stopped(&self.db, &name, &at).await {
            tracing::warn!("cannot record that this node stopped: {e:#}");
        }
    }

    /// The page rules of `seed`, compiled when first asked for and again when its settings
    /// change (a reload), not for every page.
    pub(crate) fn rules_of(&self, seed: &frontier::SeedSpec) -> Arc<PageRules> {
        let mut rules = self.rules.lock().expect("rules lock");
        match rules.get(&seed.label) {
            Some(r) if r.made_from(seed) => r.clone(),
            _ => {
                let r = Arc::new(PageRules::of(seed));
                rules.insert(seed.label.clone(), r.clone());
                r
            }
        }
    }

    /// The database, for the actions and the API (the loop's own statements go through the
    /// frontier and the archive).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The queue, for seed changes.
    pub fn frontier(&self) -> &Frontier {
        &self.frontier
    }

    /// This node's signing key (exports are signed with it).
    pub fn key(&self) -> &archive::custody::key::NodeKey {
        &self.key
    }

    /// The Prometheus instruments, and the frontier their queue gauges read.
    pub fn metrics(&self) -> (Arc<crate::metrics::Metrics>, Arc<Frontier>) {
        (self.metrics.clone(), self.frontier.clone())
    }

    /// Totals of this process so far.
    pub fn totals(&self) -> crate::status::Totals {
        let s = &self.stats;
        crate::status::Totals {
            pages: s.pages.load(Ordering::Relaxed),
            robots_fetched: s.robots_fetched.load(Ordering::Relaxed),
            bytes: s.bytes.load(Ordering::Relaxed),
            failed_attempts: s.failed_attempts.load(Ordering::Relaxed),
            failed_urls: s.failed_urls.load(Ordering::Relaxed),
            robots_skipped: s.robots_skipped.load(Ordering::Relaxed),
        }
    }

    /// Names of the WARC files this process wrote.
    pub fn files_written(&self) -> Vec<String> {
        self.writer.lock().expect("writer lock").files().to_vec()
    }

    /// Notes where the metrics endpoint or the API listens, for the status.
    pub fn listening(&self, what: Listener, addr: std::net::SocketAddr) {
        let mut a = self.activity.lock().expect("activity lock");
        let slot = match what {
            Listener::Metrics => &mut a.metrics,
            Listener::Api => &mut a.api,
        };
        *slot = Some(addr.to_string());
        drop(a);
        if let (Listener::Api, Some(node)) = (what, &self.node) {
            // Where the other nodes reach this one's API (the address bound, port included).
            let scheme = if self.cfg().api.tls_cert_file.is_some() {
                "https"
            } else {
                "http"
            };
            node.info.lock().expect("node lock").api = Some(format!("{scheme}://{addr}"));
            self.node_dirty.store(true, Ordering::Relaxed);
        }
    }

    /// Records what crash recovery did at start, for the metrics.
    pub fn recovered(&self, r: &crate::recover::Recovery) {
        self.metrics.recovery(r.files, r.reindexed, r.torn_bytes);
    }

    /// Records a reload's outcome, for the status and the metrics.
    pub fn reloaded(&self, applied: bool, message: String) {
        self.metrics.reload(applied);
        self.activity
            .lock()
            .expect("activity lock")
            .reloaded(applied, message);
    }

    /// What the crawler is doing now: the value the status file, systemd's STATUS line and
    /// `nightjar status` show.
    pub async fn snapshot(&self) -> anyhow::Result<crate::status::Status> {
        let queue = self
            .frontier
            .counts()
            .await?
            .into_iter()
            .map(|(state, n)| (state.as_str().to_string(), n))
            .collect();
        let routes = self.fetcher.routes().into_iter().collect();
        // The seeds this process crawls (as `seeds` lists them); a disabled one is only in
        // the seed list's own view (the API's /seeds).
        let seed_states = self
            .seed_reports(false)
            .await?
            .into_iter()
            .filter(|r| r.state != crate::seed_state::SeedState::Disabled)
            .collect();
        let totals = self.totals();
        let stopped = self
            .frontier
            .stopped_hosts()
            .into_iter()
            .map(|(seed, s)| crate::status::StoppedHost {
                seed,
                host: s.host,
                reason: s.reason.as_str().to_string(),
                message: s.reason.to_string(),
                pages: s.pages,
            })
            .collect();
        let tasks = self
            .sessions
            .tasks()
            .into_iter()
            .filter(|t| t.state == crate::session::tasks::TaskState::Open)
            .map(|t| crate::status::OpenTask {
                kind: t.kind.as_str().to_string(),
                id: t.id,
                seed: t.seed,
                why: t.why,
                expires: t.expires,
            })
            .collect();
        Ok(self
            .activity
            .lock()
            .expect("activity lock")
            .status(crate::status::Facts {
                totals,
                seed_states,
                queue,
                routes,
                hosts_stopped: stopped,
                sessions_lost: self.sessions.lost(),
                tasks,
            }))
    }

    /// What each seed is doing (see [`crate::seed_state`]): made afresh at most every few
    /// seconds (two indexed lookups per seed), unless `fresh`. A seed whose settled state
    /// changed (archived, unreachable, refused, excluded by robots.txt, waiting for Tor…) is
    /// logged, with why and when it is tried next; so is every seed the first time.
    pub async fn seed_reports(
        &self,
        fresh: bool,
    ) -> anyhow::Result<Vec<crate::seed_state::SeedReport>> {
        use crate::seed_state::SeedState;
        let active: Vec<i64> = self
            .frontier
            .active_seeds()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        {
            let cached = self.seed_reports.lock().expect("seed reports lock");
            if !fresh
                && cached.active == active
                && cached
                    .made
                    .is_some_and(|t| t.elapsed() < Duration::from_secs(5))
            {
                return Ok(cached.reports.clone());
            }
        }
        let roots = self.frontier.seed_roots().await?;
        let routes = roots
            .iter()
            .filter_map(|r| Some((r.seed_id, self.frontier.spec(r.seed_id).ok()?.route)))
            .collect();
        let route_states = self.fetcher.routes().into_iter().collect();
        let sessions_lost = self.sessions.lost().into_iter().map(|l| l.seed).collect();
        let reports = crate::seed_state::reports(
            &self.db,
            roots,
            &crate::seed_state::Context {
                routes: &routes,
                route_states: &route_states,
                sessions_lost: &sessions_lost,
            },
        )
        .await?;
        let mut cached = self.seed_reports.lock().expect("seed reports lock");
        for r in &reports {
            if r.state == SeedState::Disabled
                || (matches!(r.state, SeedState::Queued | SeedState::Fetching)
                    && cached.settled.contains_key(&r.seed))
            {
                continue;
            }
            if cached.settled.get(&r.seed) == Some(&r.state) {
                continue;
            }
            cached.settled.insert(r.seed.clone(), r.state);
            match r.state {
                SeedState::Unreachable
                | SeedState::Refused
                | SeedState::Failed
                | SeedState::RobotsExcluded
                | SeedState::SessionLost => tracing::warn!(seed = %r.seed, "seed {}", r.line()),
                _ => tracing::info!(seed = %r.seed, "seed {}", r.line()),
            }
        }
        cached.made = Some(std::time::Instant::now());
        cached.active = active;
        cached.reports = reports.clone();
        Ok(reports)
    }

    /// Writes the current snapshot to the status file and to systemd.
    pub async fn publish_status(&self) -> anyhow::Result<()> {
        let status = self.snapshot().await?;
        crate::status::write(&status, &self.cfg().data.dir).await
    }

    /// The current settings.
    pub fn cfg(&self) -> Arc<Config> {
        self.config.read().expect("config lock").clone()
    }

    /// Replaces the settings (a reload).
    pub fn set_cfg(&self, cfg: Arc<Config>) {
        *self.config.write().expect("config lock") = cfg;
    }

    /// Names the seeds that ignore robots.txt in the warcinfo of the files written from now on.
    pub fn record_robots_policy(&self, cfg: &Config, seeds: &[frontier::SeedSpec]) {
        let ignored: Vec<String> = seeds
            .iter()
            .filter(|s| s.robots == RobotsPolicy::Ignore)
            .map(|s| s.label.clone())
            .collect();
        let fields = crate::data::warcinfo_fields(cfg, &ignored);
        self.writer
            .lock()
            .expect("writer lock")
            .set_warcinfo(fields);
    }

    /// Notes the seeds now crawled, for the status and metrics.
    pub fn seeds_changed(&self, seeds: &[frontier::SeedSpec]) {
        self.metrics.set_seeds(seeds.len());
        self.activity.lock().expect("activity lock").seeds =
            seeds.iter().map(|s| s.label.clone()).collect();
    }

    /// Whether crawling is paused because the archive volume is full.
    pub fn is_paused(&self) -> bool {
        self.disk_full.lock().expect("disk lock").is_some()
            || self.db_away.lock().expect("db lock").is_some()
    }

    /// The database server cannot be reached (PostgreSQL restarting, the network between):
    /// stop taking work until it answers again. Fetches under way keep their captures: they
    /// are archived, and indexed once the database is back.
    fn db_unreachable(&self, e: &anyhow::Error) {
        let mut away = self.db_away.lock().expect("db lock");
        if away.is_none() {
            tracing::error!(
                "the database does not answer ({e:#}): crawling paused; what was fetched is \
                 archived and indexed when it answers again"
            );
            *away = Some(std::time::Instant::now());
            self.metrics.set_paused("database", true);
            self.activity.lock().expect("activity lock").paused =
                Some("database unreachable: crawling resumes when it answers".into());
        }
    }

    /// While the database is away: asks it again, and resumes when it answers.
    async fn check_db(&self) {
        let since = *self.db_away.lock().expect("db lock");
        let Some(since) = since else { return };
        if self.db.ping().await.is_ok() {
            tracing::info!(
                away_secs = since.elapsed().as_secs(),
                "the database answers again: crawling resumes"
            );
            *self.db_away.lock().expect("db lock") = None;
            self.metrics.set_paused("database", false);
            let disk_full = self.disk_full.lock().expect("disk lock").is_some();
            if !disk_full {
                self.activity.lock().expect("activity lock").paused = None;
            }
        }
    }

    /// Waits while the crawl is paused (a full volume, the database away).
    async fn wait_unpaused(&self) {
        while self.is_paused() {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    fn set_pause(&self, need: Option<u64>) {
        *self.disk_full.lock().expect("disk lock") = need;
        self.metrics.set_paused("disk-full", need.is_some());
        self.activity.lock().expect("activity lock").paused = need.map(|n| {
            format!(
                "disk full: the archive volume needs {} KiB free to resume",
                n.div_ceil(1024)
            )
        });
    }

    /// A write failed for want of space: stop taking work until space is back. What was
    /// being written was rolled back by the writer; its URL is queued again.
    fn disk_full(&self, e: &anyhow::Error) {
        let cfg = self.cfg();
        let free = self.free_bytes(&cfg).unwrap_or(0);
        // Resume once a little more than was left is free (a record or two); a write that
        // still does not fit only pauses again, it loses nothing.
        let need = (free + 64 * 1024).max(cfg.archive.min_free_mib * MIB);
        if !self.is_paused() {
            tracing::error!(
                free_bytes = free,
                "the archive volume is full ({e:#}): crawling paused, everything archived is \
                 intact; it resumes when {} KiB are free",
                need.div_ceil(1024)
            );
        }
        self.set_pause(Some(need));
    }

    /// Free bytes of the fuller of the two volumes written: the archive's and the
    /// database's (often the same one).
    fn free_bytes(&self, cfg: &Config) -> std::io::Result<u64> {
        let warcs = crate::service::free_bytes(&cfg.warc_dir())?;
        let db = crate::service::free_bytes(&cfg.data.dir)?;
        Ok(warcs.min(db))
    }

    /// Checks the archive volume's free space: pauses below `archive.min_free_mib`, and
    /// resumes a pause once there is enough again.
    fn check_disk(&self) {
        let cfg = self.cfg();
        let Ok(free) = self.free_bytes(&cfg) else {
            return;
        };
        let min = cfg.archive.min_free_mib * MIB;
        let need = *self.disk_full.lock().expect("disk lock");
        match need {
            None if free < min => {
                tracing::error!(
                    free_bytes = free,
                    "the archive volume has less than archive.min_free_mib = {} MiB free: \
                     crawling paused until space is freed",
                    cfg.archive.min_free_mib
                );
                self.set_pause(Some(min));
            }
            Some(need) if free >= need.max(min) => {
                tracing::info!(
                    free_bytes = free,
                    "space on the archive volume again: crawling resumes"
                );
                self.set_pause(None);
            }
            _ => {}
        }
    }

    fn decode_limits(&self) -> DecodeLimits {
        DecodeLimits {
            max_output: self.cfg().fetch.max_decoded_bytes,
            ..DecodeLimits::default()
        }
    }

    /// Runs the loop until the queue is empty (`UntilEmpty`) or `stop` turns true.
    pub async fn run(
        self: &Arc<Self>,
        mode: Mode,
        mut stop: watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        let mut tasks: JoinSet<()> = JoinSet::new();
        let mut last_schedule = tokio::time::Instant::now();
        let mut last_status: Option<tokio::time::Instant> = None;
        let mut last_head = tokio::time::Instant::now();
        let mut last_node: Option<tokio::time::Instant> = None;
        loop {
            if *stop.borrow() {
                break;
            }
            crate::service::watchdog();
            if let Some(leasing) = self.frontier.leasing() {
                let dirty = self.node_dirty.swap(false, Ordering::Relaxed);
                if dirty || last_node.is_none_or(|t| t.elapsed() >= leasing.renew_every()) {
                    last_node = Some(tokio::time::Instant::now());
                    self.node_tick().await;
                }
            }
            if last_status.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                last_status = Some(tokio::time::Instant::now());
                self.check_db().await;
                self.session_tick().await;
                self.check_disk();
                if let Err(e) = self.publish_status().await {
                    tracing::warn!("cannot write the status file: {e:#}");
                }
            }
            if last_head.elapsed() >= self.cfg().custody.log_every {
                last_head = tokio::time::Instant::now();
                if let Err(e) = self.checkpoint_log().await {
                    tracing::error!("{e:#}");
                }
            }
            let mut pause = Duration::from_secs(1);
            let concurrency = if self.is_paused() {
                0
            } else {
                self.cfg().crawl.concurrency
            };
            // Finished fetches free their slots first (the set counts them until joined).
            while tasks.try_join_next().is_some() {}
            while tasks.len() < concurrency {
                let next = match self.frontier.next().await {
                    Ok(n) => n,
                    Err(e) if crate::service::is_disk_full(&e) => {
                        self.disk_full(&e);
                        break;
                    }
                    Err(e) if crate::service::is_db_unreachable(&e) => {
                        self.db_unreachable(&e);
                        break;
                    }
                    Err(e) => return Err(e),
                };
                match next {
                    Next::Ready(lease) => {
                        let me = self.clone();
                        tasks.spawn(async move { me.process(*lease).await });
                    }
                    Next::Wait(d) => {
                        pause = d.min(Duration::from_secs(1));
                        break;
                    }
                    Next::Idle => break,
                    Next::Empty => {
                        match self.frontier.finish_cycles().await {
                            Err(e) if crate::service::is_db_unreachable(&e) => {
                                self.db_unreachable(&e);
                                break;
                            }
                            other => other?,
                        };
                        if tasks.is_empty() && matches!(mode, Mode::UntilEmpty) {
                            self.publish_status().await.ok();
                            self.node_stopped().await;
                            return Ok(());
                        }
                        break;
                    }
                }
            }
            if let Mode::Forever { reschedule } = mode {
                if last_schedule.elapsed() >= reschedule && !self.is_paused() {
                    last_schedule = tokio::time::Instant::now();
                    let scheduled = async {
                        self.frontier.finish_cycles().await?;
                        self.frontier.promote_due().await
                    };
                    match scheduled.await {
                        Err(e) if crate::service::is_disk_full(&e) => self.disk_full(&e),
                        Err(e) if crate::service::is_db_unreachable(&e) => self.db_unreachable(&e),
                        Err(e) => return Err(e),
                        Ok(_) => {}
                    }
                }
                pause = pause.min(reschedule);
            }
            tokio::select! {
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
        }
        // Stopping: no new leases; give in-flight fetches the grace period, then abandon them.
        // An abandoned fetch has written nothing, or a whole record group that recovery indexes.
        let grace = tokio::time::sleep(self.cfg().crawl.shutdown_grace);
        tokio::pin!(grace);
        while !tasks.is_empty() {
            crate::service::watchdog();
            tokio::select! {
                _ = tasks.join_next() => {}
                _ = &mut grace => {
                    tracing::warn!(abandoned = tasks.len(), "grace period over: abandoning in-flight fetches; they are queued again on the next start");
                    tasks.abort_all();
                    while tasks.join_next().await.is_some() {}
                }
            }
        }
        if let Err(e) = self.frontier.return_reserved().await {
            // They count as interrupted fetches at the next start.
            tracing::warn!("cannot queue again the URLs leased but not yet fetched: {e:#}");
        }
        self.publish_status().await.ok();
        self.node_stopped().await;
        Ok(())
    }

    /// Queues the work of every seed this process crawls: new seed URLs and due pages.
    pub async fn schedule_all(&self) -> anyhow::Result<()> {
        for id in self.frontier.seed_ids().await? {
            if self.frontier.is_active(id) {
                self.frontier.schedule_seed(id).await?;
            }
        }
        Ok(())
    }

    async fn process(self: Arc<Self>, lease: Lease) {
        let host = lease.host.clone();
        if let Err(e) = self.process_inner(&lease).await {
            if crate::service::is_db_unreachable(&e) {
                // The URL is still in flight in the database: back in the queue once the
                // database answers (the slot waits, and the crawl is paused meanwhile).
                self.db_unreachable(&e);
                self.wait_unpaused().await;
                let _ = self.frontier.put_back(&lease).await;
            } else if crate::service::is_disk_full(&e) {
                self.disk_full(&e);
                let _ = self.frontier.put_back(&lease).await;
            } else {
                self.internal_error(&lease, &e).await;
            }
        }
        self.frontier.release_host(&host);
    }

    /// A capture that failed on our side (the database refused a row, say), not the site's:
    /// the URL is tried again after `crawl.retry_backoff`, doubling, within `crawl.retries`,
    /// then given up for the pass with the error as its note. Putting it straight back would
    /// lease it again at once: an error that persists would spin the crawl on one URL.
    async fn internal_error(&self, lease: &Lease, e: &anyhow::Error) {
        let retries = self.cfg().crawl.retries;
        let wait = (self.cfg().crawl.retry_backoff * 2u32.saturating_pow(lease.attempts))
            .min(Duration::from_secs(3600));
        let note = format!("internal error: {e:#}");
        let handled = if lease.attempts < retries {
            tracing::error!(url = %lease.url, "capture failed: {e:#}; the URL is tried again in {wait:?}");
            self.frontier.retry(lease, wait, &note).await
        } else {
            tracing::error!(url = %lease.url, "capture failed: {e:#}; tried {} times, the URL is given up for this pass", lease.attempts + 1);
            self.stats.failed_urls.fetch_add(1, Ordering::Relaxed);
            async {
                let mut tx = self.db.begin().await?;
                self.frontier
                    .complete(
                        &mut tx,
                        lease,
                        Finished::Failed,
                        Some(&note),
                        Freshness::Unknown,
                    )
                    .await?;
                tx.commit().await?;
                anyhow::Ok(())
            }
            .await
        };
        if let Err(e2) = handled {
            // The database cannot even take that: hold this slot a while before the URL goes
            // back, so that the loop does not spin on it.
            tracing::error!(url = %lease.url, "cannot record the failure either: {e2:#}");
            tokio::time::sleep(wait.min(Duration::from_secs(30))).await;
            let _ = self.frontier.put_back(lease).await;
        }
    }

    async fn process_inner(&self, lease: &Lease) -> anyhow::Result<()> {
        let url = Url::parse(&lease.url)?;
        if self.frontier.host_stopped(lease) {
            // Queued after its host was stopped for this pass (a link from another host).
            return self.skip(lease, crate::seed_state::HOST_STOPPED).await;
        }
        if lease.seed.robots == RobotsPolicy::Obey {
            match self.frontier.robots(&lease.host).await? {
                None => return self.fetch_robots(lease, &url).await,
                Some(rules) if !rules.allowed(&url) => {
                    self.skip(lease, crate::seed_state::ROBOTS_DISALLOW).await?;
                    self.stats.robots_skipped.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(url = %url, "robots.txt disallows");
                    return Ok(());
                }
                Some(_) => {}
            }
        }
        let (earlier, previous) = self.look_back(&url).await?;
        let mut req = self.request(lease, &url);
        if self.cfg().recrawl.conditional_requests && previous.original.is_some() {
            // Only when a 304 can point at an archived body.
            if let Some(etag) = &previous.etag {
                req.headers.push(("If-None-Match".into(), etag.clone()));
            }
            if let Some(lm) = &previous.last_modified {
                req.headers.push(("If-Modified-Since".into(), lm.clone()));
            }
        }
        match self.sessions.gate(lease) {
            Gate::Go => {}
            // Logged in now: the page is fetched with the fresh session.
            Gate::Login if self.log_in(lease).await? => {}
            Gate::Login | Gate::Wait => {
                // Paused (a reload may have registered the seed again): not fetched until
                // the session is back. A login that ended meanwhile resumed the seed before
                // this pause: looked at after it, so the seed is never left paused.
                self.frontier.deactivate_seed(lease.seed_id);
                if self.sessions.is_live(&lease.seed.label) {
                    self.frontier.reactivate_seed(lease.seed_id);
                }
                return self.frontier.defer(lease, Duration::from_secs(5)).await;
            }
        }
        let sent_cookies = match self.session_request(lease, &url, &mut req) {
            Ok(sent) => sent,
            Err(e) => return self.failed(lease, &url, e).await,
        };
        match self.fetcher.fetch(&req).await {
            Ok(mut fetched) => {
                self.session_response(lease, &url, &mut fetched);
                let cookie_gone = lease.seed.session.as_ref().and_then(|spec| {
                    self.sessions
                        .login_cookie_gone(&lease.seed.label, spec, &url)
                });
                let (mut found, facts) = examine(
                    &url,
                    &fetched.exchange.response,
                    &self.decode_limits(),
                    &self.rules_of(&lease.seed),
                );
                // Only a page served to the session (its cookies sent) with a 2xx answer
                // says whether the session holds: an error page, another host's page or a
                // robots.txt does not.
                let answered_ok = (200..300).contains(&facts.status) && found.content.is_some();
                let to_login = (300..400).contains(&facts.status)
                    && found
                        .redirect
                        .as_ref()
                        .zip(lease.seed.session.as_ref())
                        .is_some_and(|(target, spec)| crate::session::is_login_page(spec, target));
                let state = match (&lease.seed.session, &found.content) {
                    (Some(_), _) if sent_cookies && cookie_gone.is_some() => {
                        cookie_gone.map(crate::session::SessionState::Lost)
                    }
                    (Some(_), _) if sent_cookies && to_login => Some(
                        crate::session::SessionState::Lost("redirected to the login page".into()),
                    ),
                    (Some(spec), Some(content)) if sent_cookies && answered_ok => {
                        let html = crate::session::needs_html(spec).then(|| {
                            login::page_html(&fetched.exchange.response, &self.decode_limits())
                        });
                        Some(crate::session::state_of(
                            spec,
                            &content.text,
                            html.as_deref(),
                        ))
                    }
                    _ => None,
                };
                if let (Some(spec), Some(state)) = (&lease.seed.session, state) {
                    if let crate::session::SessionState::Lost(why) = &state {
                        tracing::warn!(seed = %lease.seed.label, url = %url, "session lost: {why}; the page is archived, not compared, and fetched again once logged in");
                        let (paused, task) = self.sessions.mark_lost(lease, why);
                        if paused {
                            // Others go on; this seed waits for its session.
                            self.frontier.deactivate_seed(lease.seed_id);
                            self.metrics.session_lost();
                            if spec.form.is_some() {
                                tracing::warn!(seed = %lease.seed.label, "seed paused: its session is lost; nightjar logs in again");
                            }
                        }
                        if let Some(task) = task {
                            self.task_raised(&task).await;
                        }
                    }
                    found.session = Some(state);
                }
                // Minimisation: a content type the seed keeps only the text of is archived
                // without its body (its text was taken above); such a capture is never a
                // revisit of another, nor another's original.
                let minimised = keep_text_only(&lease.seed, facts.mime.as_deref());
                let facts = match &minimised {
                    Some(_) => {
                        fetched.exchange.response = head_only(&fetched.exchange.response);
                        fetched.exchange.truncated = Some("unspecified".into());
                        response_facts_of(
                            HttpMessage::parse_response(&fetched.exchange.response)
                                .as_ref()
                                .ok(),
                        )
                    }
                    None => facts,
                };
                fetched.exchange.facts = Some(facts);
                // Whether it is written as a revisit is the archive's decision
                // (`archive::writer::revisit_profile`).
                fetched.exchange.previous = previous.original;
                fetched.exchange.keep_duplicates = !self.cfg().recrawl.dedup;
                let mut meta = self.metadata(lease, &fetched, &found, None);
                if let Some(pattern) = minimised {
                    meta.push((
                        "minimised".into(),
                        format!(
                            "body not kept: seed {} keeps only the text and metadata of {pattern}",
                            lease.seed.label
                        ),
                    ));
                }
                let (received, took) = (fetched.exchange.response.len(), fetched.timings.total);
                let stored = self.archive(fetched.exchange, meta).await?;
                self.ingest_archived(lease, &url, &stored, &found, Purpose::Page, earlier)
                    .await?;
                self.measure(lease, Purpose::Page, received, &stored, took);
                if !matches!(found.session, Some(crate::session::SessionState::Lost(_))) {
                    // A page served logged out says nothing of the site's pages.
                    self.judge_novelty(lease, &stored, &found).await;
                }
                Ok(())
            }
            Err(e) => self.failed(lease, &url, e).await,
        }
    }

    /// Adds the seed's session cookies to a request (and nothing for a seed without a
    /// session); returns whether any were sent. A session that cannot be used is a policy
    /// error: nothing is fetched without it.
    fn session_request(
        &self,
        lease: &Lease,
        url: &Url,
        req: &mut FetchRequest,
    ) -> Result<bool, FetchError> {
        let Some(spec) = &lease.seed.session else {
            return Ok(false);
        };
        match self.sessions.cookie_header(&lease.seed.label, spec, url) {
            Ok(Some(cookies)) => {
                req.headers.push(("Cookie".into(), cookies));
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(e) => Err(FetchError::Policy(format!(
                "the seed's session cannot be used: {e:#}"
            ))),
        }
    }

    /// Keeps the cookies a session's response set, and takes the session's secrets out of
    /// the exchange before it is archived (see `crate::session`).
    /// Returns the `Set-Cookie` values of the response.
    fn session_response(&self, lease: &Lease, url: &Url, fetched: &mut Fetched) -> Vec<String> {
        let Some(spec) = &lease.seed.session else {
            return Vec::new();
        };
        let (set, response) = crate::session::redact_response(&fetched.exchange.response);
        self.sessions.received(&lease.seed.label, spec, url, &set);
        fetched.exchange.request = crate::session::redact_request(&fetched.exchange.request);
        fetched.exchange.response = response;
        set
    }

    /// Records a leased URL as not fetched this pass, saying why.
    async fn skip(&self, lease: &Lease, why: &str) -> anyhow::Result<()> {
        let mut tx = self.db.begin().await?;
        self.frontier
            .complete(
                &mut tx,
                lease,
                Finished::Skipped,
                Some(why),
                Freshness::Unknown,
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Tells the link-farm policy what a page brought (its text and links in the stable form
    /// the change index compares, so that a rotating token or session ID is not "new"). Only
    /// answers that stand count: an error answer, or one to be asked for again, says nothing
    /// of the site's pages. A failure here is logged, never a reason to fetch the page again.
    async fn judge_novelty(&self, lease: &Lease, stored: &StoredExchange, found: &Discovered) {
        let status = stored.facts.status;
        if status == 429 || status >= 500 || status == 0 {
            return;
        }
        let (text, links) = match &found.prepared {
            Some(p) => (Some(p.stable_text()), p.stable_links()),
            None => (None, &[][..]),
        };
        let page = frontier::novelty::Page { text, links };
        match self.frontier.page_fetched(lease, page).await {
            Ok(Some(reason)) => self.metrics.host_stopped(reason.as_str()),
            Ok(None) => {}
            Err(e) => {
                tracing::error!(host = %lease.host, "cannot set the host's URLs aside: {e:#}")
            }
        }
    }

    /// What the index holds of the URL's earlier captures, looked up once: what the change
    /// index compares the new capture with, and what a revisit or a conditional request may
    /// refer to.
    async fn look_back(&self, url: &Url) -> anyhow::Result<(Earlier, archive::index::Previous)> {
        let mut conn = self.db.connection().await?;
        let earlier = archive::changes::earlier(&mut conn, url.as_str(), None).await?;
        let previous = if self.cfg().recrawl.dedup || self.cfg().recrawl.conditional_requests {
            archive::index::previous(&mut conn, earlier.last_ok.as_ref()).await?
        } else {
            Default::default()
        };
        Ok((earlier, previous))
    }

    /// Fetches and archives a host's robots.txt (following up to five redirects, each hop
    /// archived, as RFC 9309 asks), then puts the lease back to be paced anew.
    async fn fetch_robots(&self, lease: &Lease, page: &Url) -> anyhow::Result<()> {
        let mut robots_url = page.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        let mut outcome = None;
        for _hop in 0..=5 {
            let mut req = self.request(lease, &robots_url);
            if let Err(e) = self.session_request(lease, &robots_url, &mut req) {
                return self.failed(lease, page, e).await;
            }
            let (earlier, previous) = self.look_back(&robots_url).await?;
            let mut fetched = match self.fetcher.fetch(&req).await {
                Ok(mut f) => {
                    self.session_response(lease, &robots_url, &mut f);
                    f
                }
                Err(e) if matches!(e.class(), FailureClass::Permanent | FailureClass::Policy) => {
                    // Unreachable for good (TLS, policy): RFC 9309 says stay out.
                    self.frontier.store_robots(&lease.host, 0, "").await?;
                    return self.failed(lease, page, e).await;
                }
                // Not ready, transient, site down: the page waits or is retried.
                Err(e) => return self.failed(lease, page, e).await,
            };
            // Parsed once: for its links, for the archive's facts, and for the rules.
            let parsed = HttpMessage::parse_response(&fetched.exchange.response);
            let found = discover_in(
                &robots_url,
                parsed.as_ref(),
                &self.decode_limits(),
                &PageRules::default(),
            );
            let facts = response_facts_of(parsed.as_ref().ok());
            fetched.exchange.previous = previous.original;
            fetched.exchange.keep_duplicates = !self.cfg().recrawl.dedup;
            fetched.exchange.facts = Some(facts);
            let meta = self.metadata(lease, &fetched, &found, Some("robots"));
            let (received, took) = (fetched.exchange.response.len(), fetched.timings.total);
            let stored = self.archive(fetched.exchange, meta).await?;
            // The same group commit as every capture (and the same wait on a full volume).
            self.ingest_archived(
                lease,
                &robots_url,
                &stored,
                &found,
                Purpose::Robots,
                earlier,
            )
            .await?;
            self.measure(lease, Purpose::Robots, received, &stored, took);
            match (found.redirect, parsed) {
                (Some(next), _) => robots_url = next,
                (None, Ok(m)) => {
                    let body = decode_content(
                        m.header("content-encoding"),
                        &m.payload,
                        &self.decode_limits(),
                    )
                    .unwrap_or_default();
                    outcome = Some((
                        m.status.unwrap_or(0),
                        String::from_utf8_lossy(&body).into_owned(),
                    ));
                    break;
                }
                (None, Err(_)) => {
                    outcome = Some((0, String::new()));
                    break;
                }
            }
        }
        // More than five redirects: robots.txt is unavailable, which RFC 9309 treats as 4xx.
        let (status, body) = outcome.unwrap_or((404, String::new()));
        self.frontier
            .store_robots(&lease.host, status, &body)
            .await?;
        self.frontier.put_back(lease).await
    }

    /// Tells the writer the group is indexed, so its file may be closed.
    fn acknowledge(&self, stored: &StoredExchange) {
        if let Err(e) = self.writer.lock().expect("writer lock").indexed(stored) {
            tracing::error!("cannot close a finished WARC file: {e}");
        }
    }

    /// The request for `url` on behalf of `lease`: its seed's route and isolation group.
    fn request(&self, lease: &Lease, url: &Url) -> FetchRequest {
        let isolation = match (&lease.seed.session, self.cfg().tor.isolation) {
            // A session's requests share one circuit group: one steady visitor.
            (Some(_), _) => format!("session:{}", lease.seed.label),
            (None, Isolation::PerSeed) => format!("seed:{}", lease.seed.label),
            (None, Isolation::PerHost) => match onion::check(url.host_str().unwrap_or("")) {
                OnionCheck::V3 { service } => service,
                _ => lease.host.clone(),
            },
        };
        FetchRequest {
            url: url.clone(),
            headers: Vec::new(),
            route: lease.seed.route,
            isolation,
            form: None,
            user_agent: lease
                .seed
                .session
                .as_ref()
                .and_then(|s| s.user_agent.clone()),
        }
    }

    /// Counts an archived response (a page or robots.txt) and the compressed bytes its
    /// records took.
    fn count_page(&self, stored: &StoredExchange, purpose: Purpose) {
        let bytes: u64 = stored.records.iter().map(|r| r.length).sum();
        match purpose {
            Purpose::Page => &self.stats.pages,
            Purpose::Robots => &self.stats.robots_fetched,
            Purpose::Login => &self.stats.login_fetches,
        }
        .fetch_add(1, Ordering::Relaxed);
        self.stats.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Feeds the metrics with a capture this process fetched.
    fn measure(
        &self,
        lease: &Lease,
        purpose: Purpose,
        received: usize,
        stored: &StoredExchange,
        took: Duration,
    ) {
        let written: u64 = stored
            .records
            .iter()
            .chain(&stored.extra)
            .map(|r| r.length)
            .sum();
        self.metrics.page(
            lease.seed.route.as_str(),
            purpose != Purpose::Page,
            received as u64,
            written,
            took,
        );
    }

    /// The capture's metadata record: how and why it was fetched, and what it links to.
    fn metadata(
        &self,
        lease: &Lease,
        fetched: &Fetched,
        found: &Discovered,
        purpose: Option<&str>,
    ) -> Vec<(String, String)> {
        let mut m: Vec<(String, String)> = vec![("via".into(), fetched.via.into())];
        m.extend(fetched.route_facts.iter().cloned());
        if let Some(spec) = &lease.seed.session {
            m.push(("session-account".into(), spec.account.clone()));
            match &found.session {
                Some(crate::session::SessionState::LoggedIn) => {
                    m.push(("session".into(), "logged-in".into()))
                }
                Some(crate::session::SessionState::Lost(why)) => {
                    m.push(("session".into(), format!("lost: {why}")));
                }
                None => {}
            }
        }
        m.extend([
            ("seed".into(), lease.seed.label.clone()),
            ("round".into(), lease.round.to_string()),
            ("depth".into(), lease.depth.to_string()),
            ("redirect-hops".into(), lease.hops.to_string()),
            ("robots".into(), lease.seed.robots.as_str().into()),
            (
                "fetch-connect-ms".into(),
                fetched.timings.connect.as_millis().to_string(),
            ),
            (
                "fetch-first-byte-ms".into(),
                fetched.timings.first_byte.as_millis().to_string(),
            ),
            (
                "fetch-total-ms".into(),
                fetched.timings.total.as_millis().to_string(),
            ),
        ]);
        if let Some(p) = purpose {
            m.push(("purpose".into(), p.into()));
        }
        match &fetched.tls_verification {
            Some(Ok(())) => m.push(("tls-verified".into(), "yes".into())),
            Some(Err(why)) => {
                m.push(("tls-verified".into(), "no".into()));
                m.push(("tls-error".into(), why.clone()));
            }
            None => {}
        }
        if let Some(t) = &found.redirect {
            m.push(("redirect-to".into(), t.to_string()));
        }
        // A revisit's payload is its original's, and so are its links: name the capture
        // whose metadata lists them rather than list them again (it keeps revisits small).
        let ex = &fetched.exchange;
        let same_payload = ex.facts.as_ref().is_some_and(|f| {
            archive::writer::revisit_profile(ex, f)
                == Some(archive::writer::IDENTICAL_PAYLOAD_DIGEST)
        });
        match &ex.previous {
            Some(original) if same_payload && !found.extracted.links.is_empty() => {
                m.push(("outlinks-of".into(), original.record_id.clone()));
            }
            _ => {
                for l in &found.extracted.links {
                    m.push(("outlink".into(), format!("{} {:?}", l.url, l.kind)));
                }
            }
        }
        for f in &found.extracted.forms_get {
            m.push(("form-get".into(), f.to_string()));
        }
        for i in &found.extracted.invalid {
            m.push(("invalid-link".into(), i.clone()));
        }
        for a in &found.not_followed {
            m.push(("action-link-not-followed".into(), a.clone()));
        }
        if let Some(p) = &found.problem {
            m.push(("note".into(), p.clone()));
        }
        m
    }

    /// Writes the exchange durably (on a blocking thread: compression and fsync, the fsync
    /// shared with the exchanges other fetches appended meanwhile).
    async fn archive(
        &self,
        mut ex: Exchange,
        metadata: Vec<(String, String)>,
    ) -> anyhow::Result<StoredExchange> {
        ex.metadata = metadata;
        let writer = self.writer.clone();
        let stored = tokio::task::spawn_blocking(move || {
            let (stored, ticket) = writer.lock().expect("writer lock").append_exchange(&ex)?;
            WarcWriter::make_durable(&writer, ticket)?;
            Ok::<_, std::io::Error>(stored)
        })
        .await??;
        Ok(stored)
    }

    /// Indexes a capture just archived. On a full volume it waits for space and tries again
    /// rather than fetch and archive the page a second time (stopped meanwhile, the next
    /// start indexes the record from the archive).
    async fn ingest_archived(
        &self,
        lease: &Lease,
        url: &Url,
        stored: &StoredExchange,
        found: &Discovered,
        purpose: Purpose,
        earlier: Earlier,
    ) -> anyhow::Result<()> {
        loop {
            match self
                .ingest(lease, url, stored, found, purpose, Some(earlier.clone()))
                .await
            {
                Err(e) if crate::service::is_disk_full(&e) => {
                    self.disk_full(&e);
                    tracing::warn!(url = %url, "archived, not yet indexed: indexing waits for space (the page is not fetched again)");
                    self.wait_unpaused().await;
                }
                Err(e) if crate::service::is_db_unreachable(&e) => {
                    self.db_unreachable(&e);
                    tracing::warn!(url = %url, "archived, not yet indexed: indexing waits for the database (the page is not fetched again)");
                    self.wait_unpaused().await;
                }
                other => return other,
            }
        }
    }

    /// Indexes an archived capture and does the frontier's bookkeeping.
    ///
    /// Group commit again: the capture joins a queue, and one fetch's task at a time, the
    /// indexer, indexes every capture queued so far in one transaction, then the next ones,
    /// until the queue is empty or its turn is over ([`INDEXER_TURN`]). Each capture's
    /// statements are the same as alone; what is shared is the transaction's begin and
    /// commit, the wait for SQLite's single writer, which were most of the cost of a
    /// capture, and the rows nothing reads back before the commit (WARC records, full-text
    /// entries, entity scans), inserted together at the commit
    /// ([`db::Tx::insert_at_commit`]). If the shared transaction fails, each capture in it
    /// is indexed again alone, so one bad capture cannot fail the others.
    ///
    /// The others only wait for their outcome. They used to queue on the indexing lock
    /// instead, each to find its capture indexed already and pass the lock on: every
    /// hand-over waited for that task's turn on a busy runtime, and with 600 fetches in
    /// flight (300 onion services) the lock went round the queue for 265 ms on average
    /// before the next group could start; indexing was idle a third of the crawl.
    pub(crate) async fn ingest(
        &self,
        lease: &Lease,
        url: &Url,
        stored: &StoredExchange,
        found: &Discovered,
        purpose: Purpose,
        earlier: Option<Earlier>,
    ) -> anyhow::Result<()> {
        let (done, mut result) = tokio::sync::oneshot::channel();
        let job = IndexJob {
            lease: lease.clone(),
            url: url.clone(),
            stored: stored.clone(),
            found: found.clone(),
            purpose,
            earlier,
            done,
        };
        self.to_index.lock().expect("index queue lock").push(job);
        loop {
            if !self.indexer_busy.swap(true, Ordering::AcqRel) {
                let turn = IndexerTurn(self);
                let mine = self.index_queued(lease, stored).await;
                drop(turn);
                match mine {
                    Some(Ok(())) => return self.indexed(Ok(()), lease, stored, purpose).await,
                    // Its own error as it is, with its whole context.
                    Some(Err(e)) => return Err(e),
                    // Taken by an earlier indexer: its outcome is on its way.
                    None => {}
                }
            }
            tokio::select! {
                r = &mut result => {
                    let r = r.unwrap_or_else(|_| Err(IndexFailure::dropped()));
                    return self.indexed(r, lease, stored, purpose).await;
                }
                // The indexer's turn ended with captures queued: one of their tasks takes over.
                _ = self.indexer_wanted.notified() => {}
            }
        }
    }

    /// The indexer's turn: indexes the queued captures group by group, sends each its
    /// outcome, and returns the outcome of the caller's own capture if it was among them
    /// (found by its lease and response record).
    async fn index_queued(
        &self,
        lease: &Lease,
        stored: &StoredExchange,
    ) -> Option<anyhow::Result<()>> {
        let mut mine = None;
        for _ in 0..INDEXER_TURN {
            let jobs: Vec<IndexJob> = {
                let mut queued = self.to_index.lock().expect("index queue lock");
                let n = queued.len().min(GROUP_MAX);
                queued.drain(..n).collect()
            };
            if jobs.is_empty() {
                break;
            }
            let outcomes = {
                // Taking turns with the leases and failed fetches' error captures.
                let _turn = self.db.write_turn().await;
                self.index_group(&jobs).await
            };
            for (j, outcome) in jobs.into_iter().zip(outcomes) {
                if let (Ok(()), Some(checked)) = (&outcome, &j.found.mirror_file) {
                    self.follow_mirrors(&j.lease, checked);
                }
                let is_mine = j.lease.id == lease.id
                    && j.stored.response_record().record_id == stored.response_record().record_id;
                if is_mine {
                    mine = Some(outcome);
                } else {
                    let _ = j.done.send(outcome.map_err(|e| IndexFailure::of(&e)));
                }
            }
        }
        mine
    }

    /// Indexes `jobs` in one transaction; if it fails, each again alone. One outcome per
    /// job, in order.
    async fn index_group(&self, jobs: &[IndexJob]) -> Vec<anyhow::Result<()>> {
        let together = async {
            let mut tx = self.db.begin().await?;
            for j in jobs {
                self.ingest_in(&mut tx, j).await?;
            }
            tx.commit().await?;
            anyhow::Ok(())
        };
        match together.await {
            Ok(()) => jobs.iter().map(|_| Ok(())).collect(),
            Err(_) if jobs.len() > 1 => {
                let mut alone = Vec::new();
                for j in jobs {
                    alone.push(
                        async {
                            let mut tx = self.db.begin().await?;
                            self.ingest_in(&mut tx, j).await?;
                            tx.commit().await?;
                            anyhow::Ok(())
                        }
                        .await,
                    );
                }
                alone
            }
            Err(e) => vec![Err(e)],
        }
    }

    /// After a capture's indexing transaction: its outcome, and on success the bookkeeping
    /// that follows a commit.
    async fn indexed(
        &self,
        outcome: Result<(), IndexFailure>,
        lease: &Lease,
        stored: &StoredExchange,
        purpose: Purpose,
    ) -> anyhow::Result<()> {
        outcome.map_err(IndexFailure::into_error)?;
        self.acknowledge(stored);
        self.seal_if_closed().await;
        self.count_page(stored, purpose);
        self.answered(lease, stored, purpose).await
    }

    /// After a capture is committed: what its answer asks of the host. A 429 or 503 (or a
    /// `Retry-After`) holds the host, whether the URL is retried or its retries are spent
    /// (the host's other URLs would get the same answer); a retried answer is counted and
    /// logged. Any other answer says the host is up.
    async fn answered(
        &self,
        lease: &Lease,
        stored: &StoredExchange,
        purpose: Purpose,
    ) -> anyhow::Result<()> {
        let facts = &stored.facts;
        let status = facts.status;
        let retry_after = facts.retry_after.as_deref();
        let policy = self.cfg().crawl.retry_policy();
        let now = std::time::SystemTime::now();
        let decision = match purpose {
            Purpose::Page => policy.after_answer(status, retry_after, lease.attempts, now),
            // robots.txt is not retried itself (the page's lease goes back to the queue),
            // but a throttled host still waits.
            Purpose::Robots | Purpose::Login => AfterAnswer::Done,
        };
        match decision {
            AfterAnswer::Retry {
                wait,
                hold_host,
                capped,
            } => {
                if hold_host {
                    self.frontier.hold_host(&lease.host, wait);
                }
                if capped {
                    tracing::warn!(url = %lease.url, retry_after, "HTTP {status} asks to wait longer than crawl.retry_after_max; waiting {wait:?}");
                }
                let reason = if hold_host {
                    "throttled"
                } else {
                    "server-error"
                };
                self.metrics.retry(reason);
                tracing::info!(url = %lease.url, host = %lease.host, reason, "HTTP {status}; asking again in {wait:?}");
                if hold_host {
                    return Ok(());
                }
            }
            AfterAnswer::Done if holds_host(status, retry_after) => {
                self.frontier
                    .hold_host(&lease.host, policy.host_hold(retry_after, now));
                return Ok(());
            }
            AfterAnswer::Done => {}
        }
        self.frontier.host_up(&lease.host).await
    }

    /// The statements that index one capture, in the caller's transaction.
    async fn ingest_in(&self, tx: &mut db::Tx, job: &IndexJob) -> anyhow::Result<()> {
        let IndexJob {
            lease,
            url,
            stored,
            found,
            purpose,
            earlier,
            ..
        } = job;
        let row = archive::index::insert_exchange(
            tx,
            url.as_str(),
            &surt(url),
            stored,
            Some(&lease.seed.label),
        )
        .await?;
        let id = row.id;
        // A login step is what a visitor not logged in is served, too.
        let logged_out = *purpose == Purpose::Login
            || matches!(found.session, Some(crate::session::SessionState::Lost(_)));
        let change = if logged_out {
            // What a logged-out visitor sees is not a change of the members' page.
            archive::changes::record_logged_out(tx, id).await?
        } else {
            archive::changes::record_row(tx, row, found.prepared.as_ref(), earlier.as_ref()).await?
        };
        if *purpose != Purpose::Page {
            return Ok(());
        }
        if logged_out {
            // Nor are its entities, watch matches or links the members' page's: the page is
            // asked for again once the session is back.
            // Not an attempt used up: the site answered, to a visitor it did not know.
            self.frontier
                .defer_in(tx, lease, Duration::from_secs(1))
                .await?;
            return Ok(());
        }
        if let Some(print) = &found.host_print {
            archive::lookalike::record(
                tx,
                id,
                &archive::changes::host_of(url.as_str()),
                &archive::index::index_time(&stored.date),
                print,
            )
            .await?;
        }
        if let Some(checked) = &found.mirror_file {
            self.record_mirror_check(tx, id, url, lease, stored, checked)
                .await?;
        }
        if found.content.is_some() {
            archive::ledger::record_new(tx, id, &found.entities).await?;
            self.check_watches(tx, id, url, lease, stored, found)
                .await?;
        } else if stored.response_record().warc_type == archive::record::RecordType::Revisit {
            // A 304: the payload, and its entities, are the original's.
            archive::ledger::record_revisit(tx, id).await?;
        }
        let facts = &stored.facts;
        let policy = self.cfg().crawl.retry_policy();
        let retry_after = facts.retry_after.as_deref();
        match policy.after_answer(
            facts.status,
            retry_after,
            lease.attempts,
            std::time::SystemTime::now(),
        ) {
            // Only the queue's row here: this transaction may be run again alone (group
            // commit), so the hold, the count and the log come after the commit
            // (`Crawler::answered`).
            AfterAnswer::Retry { wait, .. } => {
                let status = facts.status;
                self.frontier
                    .retry_in(
                        tx,
                        lease,
                        wait,
                        &format!("HTTP {status}: asked again after {wait:?}"),
                    )
                    .await?;
            }
            AfterAnswer::Done => {
                self.frontier
                    .complete(
                        tx,
                        lease,
                        Finished::Done,
                        None,
                        freshness(change, facts.status),
                    )
                    .await?;
            }
        }
        if let Some(target) = &found.redirect {
            if lease.hops + 1 > self.cfg().crawl.max_redirects {
                tracing::info!(url = %url, "redirect not followed: more than {} hops", self.cfg().crawl.max_redirects);
            } else if let Some(why) = self.rules_of(&lease.seed).actions.judge(target, "") {
                tracing::info!(url = %url, target = %target, "redirect not followed: {why}");
            } else if let Ok(target) = canonicalize_url(target) {
                let a = self
                    .frontier
                    .admit(
                        tx,
                        lease.seed_id,
                        &target,
                        lease.depth,
                        lease.hops + 1,
                        Some(url.as_str()),
                    )
                    .await?;
                if a == Admission::Seen {
                    tracing::debug!(url = %url, target = %target, "redirect target already known (a loop or a shared target)");
                }
            }
        }
        // A URL retired after staying gone comes back when a page that changed links to it
        // (an unchanged page linking to a dead ad does not revive it each time).
        let revive = matches!(
            change.class,
            ChangeClass::New | ChangeClass::Changed | ChangeClass::Back
        );
        let links: Vec<Url> = found
            .extracted
            .links
            .iter()
            .filter_map(|link| canonicalize_url(&link.url).ok())
            .collect();
        self.frontier
            .admit_links(
                tx,
                lease.seed_id,
                &links,
                lease.depth + 1,
                Some(url.as_str()),
                revive,
            )
            .await?;
        Ok(())
    }

    /// The live watches, read again when they changed (looked at every two seconds at most).
    async fn live_watches(&self) -> anyhow::Result<Arc<Vec<crate::watch::Watch>>> {
        let mut cache = self.watches.lock().await;
        if cache
            .read_at
            .is_some_and(|t| t.elapsed() < Duration::from_secs(2))
        {
            return Ok(cache.watches.clone());
        }
        let version = crate::store::watches::version(&self.db).await?;
        if cache.read_at.is_none() || version != cache.version {
            let rows = crate::store::watches::list(&self.db, false).await?;
            cache.watches = Arc::new(
                rows.iter()
                    .filter_map(crate::watch::Watch::from_row)
                    .collect(),
            );
            cache.version = version;
        }
        cache.read_at = Some(std::time::Instant::now());
        Ok(cache.watches.clone())
    }

    /// Raises the alerts of the watches that capture `id` matches, in its transaction.
    async fn check_watches(
        &self,
        tx: &mut db::Tx,
        id: i64,
        url: &Url,
        lease: &Lease,
        stored: &StoredExchange,
        found: &Discovered,
    ) -> anyhow::Result<()> {
        let (Some(content), Some(prepared)) = (&found.content, &found.prepared) else {
            return Ok(());
        };
        let watches = self.live_watches().await?;
        if watches.is_empty() {
            return Ok(());
        }
        let host = archive::changes::host_of(url.as_str());
        let page = crate::watch::Observed {
            seed: Some(&lease.seed.label),
            host: &host,
            text: &content.text,
            entities: &found.entities,
        };
        let captured_at = archive::index::index_time(&stored.date);
        let now = archive::index::index_time(&chrono::Utc::now());
        for w in watches.iter() {
            let Some(matched) = w.matches(&page) else {
                continue;
            };
            let matched = serde_json::to_string(&matched)?;
            crate::store::watches::raise(
                tx,
                &crate::store::watches::NewAlert {
                    watch_id: w.id,
                    capture_id: id,
                    url: url.as_str(),
                    host: &host,
                    seed: Some(&lease.seed.label),
                    captured_at: &captured_at,
                    // The stable form: a clock or a counter does not alert again.
                    content_key: prepared.stable_digest(),
                    matched: &matched,
                    raised_at: &now,
                },
            )
            .await?;
        }
        Ok(())
    }

    /// After a verified mirror list of a seed whose `[seed.mirrors]` says `follow`: each
    /// address no seed crawls yet becomes a seed of the same site, written to the seed list
    /// [`FOLLOWED_FILE`] (so the operator sees it, and the seed-list watcher starts it). An
    /// address that cannot be a seed here (the Tor client is off) is logged and left.
    fn follow_mirrors(&self, lease: &Lease, checked: &crate::mirrors::Checked) {
        let follows = lease.seed.mirrors.as_ref().is_some_and(|m| m.follow);
        if !follows
            || checked.file != crate::mirrors::MirrorFile::Mirrors
            || checked.status != crate::mirrors::CheckStatus::Verified
        {
            return;
        }
        let crawled: Vec<String> = self
            .frontier
            .active_seeds()
            .iter()
            .filter_map(|(_, s)| Url::parse(&s.url).ok()?.host_str().map(str::to_string))
            .collect();
        let cfg = self.cfg();
        let site = lease.seed.site().to_string();
        for address in checked.listed.iter().filter(|a| !crawled.contains(a)) {
            let entry = crate::seeds::SeedEntry::following(&site, address);
            match crate::seed_admin::add(&cfg.crawl.seeds_dir, FOLLOWED_FILE, &entry, &cfg) {
                Ok(path) => {
                    tracing::info!(site, address, file = %path.display(), "verified mirror added as a seed of its site")
                }
                // Added before (the list is checked at every pass): nothing to do.
                Err(e) if e.to_string().contains("is already used") => {}
                Err(e) => {
                    tracing::warn!(site, address, "verified mirror not added as a seed: {e:#}")
                }
            }
        }
    }

    /// Records a mirror file's check with its capture, and raises an alert for a problem
    /// (under the watch `mirror-checks`, so that it reaches the same sinks as the others).
    async fn record_mirror_check(
        &self,
        tx: &mut db::Tx,
        id: i64,
        url: &Url,
        lease: &Lease,
        stored: &StoredExchange,
        checked: &crate::mirrors::Checked,
    ) -> anyhow::Result<()> {
        let host = archive::changes::host_of(url.as_str());
        let site = lease.seed.site();
        let file = checked.file.as_str();
        let alert = checked.alerts()
            || (checked.alerts_when_missing()
                && crate::store::mirrors::verified_before(tx, site, file).await?);
        let now = archive::index::index_time(&chrono::Utc::now());
        crate::store::mirrors::record(
            tx,
            &crate::store::mirrors::NewCheck {
                capture_id: id,
                site,
                seed: &lease.seed.label,
                host: &host,
                checked_at: &archive::index::index_time(&stored.date),
                checked,
            },
        )
        .await?;
        if !alert {
            return Ok(());
        }
        let watch_id = crate::store::watches::system_watch(
            tx,
            crate::watch::MIRROR_WATCH,
            crate::watch::Rule::Mirrors,
            &now,
        )
        .await?;
        let matched = serde_json::to_string(&serde_json::json!([{
            "site": site,
            "file": file,
            "status": checked.status.as_str(),
            "problem": checked.problem,
            "signer": checked.signer,
            "canary": checked.canary,
        }]))?;
        crate::store::watches::raise(
            tx,
            &crate::store::watches::NewAlert {
                watch_id,
                capture_id: id,
                url: url.as_str(),
                host: &host,
                seed: Some(&lease.seed.label),
                captured_at: &archive::index::index_time(&stored.date),
                content_key: &checked.alert_key(),
                matched: &matched,
                raised_at: &now,
            },
        )
        .await?;
        Ok(())
    }

    /// Records a failed fetch: retried later if transient, else an error capture.
    async fn failed(&self, lease: &Lease, url: &Url, e: FetchError) -> anyhow::Result<()> {
        let class = e.class();
        if class == FailureClass::Waiting {
            // Nothing was attempted: wait for the route without using up a retry.
            tracing::debug!(url = %url, "{e}");
            return self.frontier.defer(lease, Duration::from_secs(1)).await;
        }
        self.metrics.error(class);
        self.stats.failed_attempts.fetch_add(1, Ordering::Relaxed);
        self.activity
            .lock()
            .expect("activity lock")
            .error(url.as_str(), class, &e.to_string());
        // Every failed attempt is an error capture, so `captures` shows the whole story.
        let _turn = self.db.write_turn().await;
        let mut tx = self.db.begin().await?;
        let id = archive::index::insert_error(
            &mut tx,
            url.as_str(),
            &surt(url),
            &chrono::Utc::now(),
            &e.to_string(),
            class,
            Some(&lease.seed.label),
        )
        .await?;
        archive::changes::record(&mut tx, id, None, None).await?;
        let down_max = self.cfg().crawl.site_down_max;
        let down_too_long = self
            .frontier
            .down_for(&lease.host)
            .is_some_and(|d| d >= down_max);
        if class == FailureClass::SiteDown && !down_too_long {
            // The site is down, not this URL: the whole host waits (×1.5 per failure, with
            // jitter, at most an hour), and its URLs keep their retries for when it is back.
            // While it is down, one request at a time per free slot probes it.
            let hold = self
                .frontier
                .host_down(&lease.host, self.cfg().crawl.retry_backoff);
            tx.commit().await?;
            tracing::info!(url = %url, host = %lease.host, "{e}; the site is held back {hold:?}");
            return self.frontier.defer(lease, hold).await;
        }
        if class == FailureClass::SiteDown {
            // Down longer than crawl.site_down_max: give its URLs up for this pass.
            let note = format!("site down for more than {down_max:?}: {e}");
            let again = self
                .frontier
                .complete(
                    &mut tx,
                    lease,
                    Finished::Unreachable,
                    Some(&note),
                    Freshness::Unknown,
                )
                .await?;
            tx.commit().await?;
            self.seed_url_again(lease, again, &note);
            let others = self.frontier.give_up_host(lease, &note).await?;
            tracing::warn!(host = %lease.host, urls = others + 1, "{note}; its URLs are given up for this pass");
            self.stats
                .failed_urls
                .fetch_add(others + 1, Ordering::Relaxed);
            return Ok(());
        }
        let retry = match class {
            FailureClass::Transient => {
                Some(self.cfg().crawl.retry_backoff * 2u32.saturating_pow(lease.attempts))
            }
            _ => None,
        };
        match retry {
            Some(wait) if lease.attempts < self.cfg().crawl.retries => {
                tx.commit().await?;
                tracing::info!(url = %url, class = class.as_str(), "{e}; retrying in {wait:?}");
                self.frontier.retry(lease, wait, &e.to_string()).await
            }
            _ => {
                // Unreachable now may be reachable soon; a refusal or a rejected certificate
                // will not change by itself.
                let finished = match class {
                    FailureClass::Transient | FailureClass::SiteDown => Finished::Unreachable,
                    _ => Finished::Failed,
                };
                let again = self
                    .frontier
                    .complete(
                        &mut tx,
                        lease,
                        finished,
                        Some(&e.to_string()),
                        Freshness::Unknown,
                    )
                    .await?;
                tx.commit().await?;
                tracing::warn!(url = %url, class = class.as_str(), "{e}");
                self.stats.failed_urls.fetch_add(1, Ordering::Relaxed);
                self.seed_url_again(lease, again, &e.to_string());
                Ok(())
            }
        }
    }

    /// Says when a seed whose own URL could not be reached is tried again (the frontier
    /// set that back-off): without this line the log would fall silent until then.
    fn seed_url_again(&self, lease: &Lease, again: Option<Duration>, why: &str) {
        if let Some(wait) = again {
            let at = chrono::Utc::now() + wait;
            tracing::warn!(
                seed = %lease.seed.label,
                url = %lease.url,
                "the seed's URL could not be reached ({why}); it is tried again in {} (at {}), failed passes in a row: {}",
                humantime::format_duration(Duration::from_secs(wait.as_secs())),
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                lease.failed_passes + 1
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(class: ChangeClass, moved: Option<bool>) -> Change {
        Change { class, moved }
    }

    #[test]
    fn the_schedule_follows_what_changed_not_the_class_name() {
        assert_eq!(
            freshness(change(ChangeClass::Changed, Some(true)), 200),
            Freshness::Changed
        );
        assert_eq!(
            freshness(change(ChangeClass::Cosmetic, Some(false)), 200),
            Freshness::Unchanged
        );
        assert_eq!(
            freshness(change(ChangeClass::Unchanged, Some(false)), 304),
            Freshness::Unchanged
        );
        // Back after an outage, as it was: no reason to come sooner.
        assert_eq!(
            freshness(change(ChangeClass::Back, Some(false)), 200),
            Freshness::Unchanged
        );
        assert_eq!(
            freshness(change(ChangeClass::Back, Some(true)), 200),
            Freshness::Changed
        );
        assert_eq!(
            freshness(change(ChangeClass::New, None), 200),
            Freshness::Unknown
        );
        assert_eq!(
            freshness(change(ChangeClass::Error, None), 0),
            Freshness::Unknown
        );
        assert_eq!(
            freshness(change(ChangeClass::Gone, None), 404),
            Freshness::Gone
        );
        assert_eq!(
            freshness(change(ChangeClass::Unchanged, None), 410),
            Freshness::Gone
        );
    }
}
