//! The crawl queue, persisted in the database.
//!
//! Every URL a seed reaches is a row keyed by (seed, URL), found once and then kept: the row
//! carries the page's own recrawl interval and the time it is due again ([`crate::schedule`]).
//! A link to a known URL adds nothing; the schedule puts the row back in the queue when it is
//! due, and each time it does so the row's round goes up by one, so nothing is fetched twice
//! in one round. Rows in flight when the process dies go back to the queue on the next start.
//!
//! Which queued URL goes next is fair: seeds take turns, and within a seed its hosts do, so a
//! seed with a million pages cannot starve one with ten. Each statement is written once, for
//! SQLite and PostgreSQL alike (`db::query`: upsert with `ON CONFLICT`, `RETURNING`, no
//! engine's own functions).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use db::{Db, Tx};
use url::Url;

use crate::lanes::{Lane, Lanes};
use crate::leases::{Held, HeldHost, LeaseRound, Leasing, NOW_MS};
use crate::novelty::{self, Novelty, StopReason, Stopped};
use crate::politeness::{Gate, Politeness};
use crate::robots::RobotsRules;
use crate::schedule::{next_interval, Adaptation, Freshness};
use crate::scope::{Scope, TrapGuard, TrapReason};
use crate::seed::SeedSpec;

/// Frontier-wide settings.
#[derive(Clone, Debug)]
pub struct FrontierConfig {
    /// The crawler's User-Agent (its product token selects robots.txt groups).
    pub user_agent: String,
    /// Trap guards applied to every URL.
    pub traps: TrapGuard,
    /// How long fetched robots.txt rules stay valid.
    pub robots_max_age: Duration,
    /// How page intervals adapt to change.
    pub adapt: Adaptation,
    /// A URL gone (404/410) this many captures in a row is retired: no longer recrawled and
    /// no longer counted in its seed's budget, until a page links to it again. 0: never.
    pub retire_after_gone: u32,
    /// A seed's own URL that failed for good in a pass because its site could not be
    /// reached is due again after this long, doubling with each such pass in a row (see
    /// [`crate::schedule::seed_retry_wait`]), rather than only at the seed's next recrawl.
    pub seed_retry: Duration,
    /// Several nodes share this frontier (PostgreSQL): this node fetches only from the hosts
    /// it holds a lease on ([`crate::leases`]). `None`: one node, every host its own.
    pub leasing: Option<Leasing>,
}

/// A URL handed out for fetching; give it back with `complete`, `retry` or `put_back`.
#[derive(Clone, Debug)]
pub struct Lease {
    /// Row ID.
    pub id: i64,
    /// Seed the URL belongs to.
    pub seed_id: i64,
    /// The seed's rules.
    pub seed: SeedSpec,
    /// The URL (canonical).
    pub url: String,
    /// Politeness key (`host:port`).
    pub host: String,
    /// Link hops from the seed.
    pub depth: u32,
    /// Redirect hops that led here.
    pub hops: u32,
    /// How many times the row has been queued (1 for a new URL).
    pub round: i64,
    /// Earlier failed attempts.
    pub attempts: u32,
    /// The page's recrawl interval before this fetch (`None`: never fetched).
    pub interval_secs: Option<u64>,
    /// Passes in a row that ended with the URL failed (see [`Finished::Unreachable`]).
    pub failed_passes: u32,
    /// The fencing token of the host's lease it was handed under (0 for a single node).
    pub fence: i64,
}

impl Lease {
    /// Whether this is the seed's own URL, or where its redirects lead (depth 0): it keeps
    /// the seed's interval, since new pages are found through it.
    pub fn is_seed_url(&self) -> bool {
        self.depth == 0
    }

    fn from_row(row: LeaseRow, seed: SeedSpec) -> Lease {
        Lease {
            id: row.id,
            seed_id: row.seed_id,
            seed,
            url: row.url,
            host: row.host,
            depth: row.depth.clamp(0, i64::from(u32::MAX)) as u32,
            hops: row.hops.clamp(0, i64::from(u32::MAX)) as u32,
            round: row.round,
            attempts: row.attempts.clamp(0, i64::from(u32::MAX)) as u32,
            interval_secs: row.interval_secs.map(|i| i.max(0) as u64),
            failed_passes: row.failed_passes.clamp(0, i64::from(u32::MAX)) as u32,
            fence: 0,
        }
    }
}

/// The columns a [`Lease`] is read from.
#[derive(sqlx::FromRow)]
struct LeaseRow {
    id: i64,
    seed_id: i64,
    url: String,
    host: String,
    depth: i64,
    hops: i64,
    round: i64,
    attempts: i64,
    interval_secs: Option<i64>,
    failed_passes: i64,
}

/// Where a seed's own URL stands (see [`Frontier::seed_roots`]).
#[derive(sqlx::FromRow)]
struct RootRow {
    state: String,
    attempts: i64,
    note: Option<String>,
    not_before: Option<i64>,
    due_at: Option<i64>,
    failed_passes: i64,
}

/// The columns of a [`LeaseRow`] (a macro, so that statements stay literals).
macro_rules! lease_columns {
    () => {
        "u.id, u.seed_id, u.url, u.host, u.depth, u.hops, u.round, u.attempts, \
         u.interval_secs, u.failed_passes"
    };
}

/// The condition that a write for a leased URL is still its host's lease holder's (binds: no
/// leasing, node, fencing token; see [`crate::leases`]). A single node passes it at once.
macro_rules! fenced {
    () => {
        "(? OR EXISTS (SELECT 1 FROM host_leases l
            WHERE l.host = urls.host AND l.node = ? AND l.token = ?))"
    };
}

/// What to do next.
#[derive(Debug)]
pub enum Next {
    /// Fetch this.
    Ready(Box<Lease>),
    /// Something is queued but its host is not ready; ask again after this long (or sooner,
    /// when a fetch finishes).
    Wait(Duration),
    /// Nothing queued, but URLs are in flight (they may add more).
    Idle,
    /// Nothing queued and nothing in flight.
    Empty,
}

/// Where a URL stands in the queue. Stored as its name in `urls.state`; the statements of
/// this module spell the same names, and [`UrlState::as_str`] and [`UrlState::parse`] are the
/// only conversions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UrlState {
    /// Waiting to be leased.
    Queued,
    /// Leased to a fetch (back to `Queued` if the process stops).
    Inflight,
    /// Fetched and archived this round.
    Done,
    /// The fetch failed for good this round (an error capture says why).
    Failed,
    /// Not fetched this round: robots.txt disallowed it, or its host was stopped for the
    /// pass (a link farm, a fetch budget per host).
    Skipped,
    /// Gone so many times in a row that it is no longer recrawled, until linked again.
    Retired,
}

impl UrlState {
    /// Every state, in the order a URL goes through them.
    pub const ALL: [UrlState; 6] = [
        UrlState::Queued,
        UrlState::Inflight,
        UrlState::Done,
        UrlState::Failed,
        UrlState::Skipped,
        UrlState::Retired,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlState::Queued => "queued",
            UrlState::Inflight => "inflight",
            UrlState::Done => "done",
            UrlState::Failed => "failed",
            UrlState::Skipped => "skipped",
            UrlState::Retired => "retired",
        }
    }

    /// The state a stored name stands for; an unknown name is an error that names it.
    pub fn parse(name: &str) -> anyhow::Result<UrlState> {
        UrlState::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| anyhow::anyhow!("the queue holds a URL in an unknown state {name:?}: was the database written by a newer nightjar?"))
    }
}

/// How a leased URL's round ended, for [`Frontier::complete`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finished {
    /// Fetched and archived.
    Done,
    /// Failed for good this round, and trying again soon would not help (refused by policy,
    /// a rejected certificate): due again on its schedule.
    Failed,
    /// Failed for good this round because the site could not be reached (no name, no
    /// connection, down): it may be back soon. A seed's own URL is then due again after a
    /// back-off ([`FrontierConfig::seed_retry`]), not only at its next recrawl; once it
    /// answers again, every URL of the seed that failed meanwhile is queued again.
    Unreachable,
    /// Skipped (robots.txt, or its host stopped for the pass).
    Skipped,
}

impl Finished {
    /// The state the URL is left in (unless it is retired).
    pub fn state(self) -> UrlState {
        match self {
            Finished::Done => UrlState::Done,
            Finished::Failed | Finished::Unreachable => UrlState::Failed,
            Finished::Skipped => UrlState::Skipped,
        }
    }
}

/// Where a seed's own URL stands: what [`Frontier::seed_roots`] reports for each seed, from
/// which the daemon says what each seed is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedRoot {
    /// The seed's ID.
    pub seed_id: i64,
    /// Its label.
    pub label: String,
    /// Whether this process crawls it.
    pub active: bool,
    /// Its URL as queued (canonical); `None` before its first pass.
    pub url: Option<String>,
    /// Where the URL stands.
    pub state: Option<UrlState>,
    /// Attempts in the current pass.
    pub attempts: u32,
    /// Why it stands there: the last failure, or why it was skipped.
    pub note: Option<String>,
    /// When it may be fetched next (ms since the epoch): `not_before` while it is queued,
    /// `due_at` once its pass is over; `None` for never (recrawl never, or retired).
    pub next_ms: Option<i64>,
    /// Passes in a row it failed.
    pub failed_passes: u32,
}

/// What happened to a URL offered to the queue.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    /// Queued, to be fetched for the first time.
    Queued,
    /// Known already: it is fetched on its own schedule.
    Seen,
    /// Known, and retired after staying gone; [`Frontier::revive`] brings it back.
    Retired,
    /// Outside the seed's scope.
    OutOfScope,
    /// Beyond the seed's depth.
    TooDeep,
    /// The seed's page budget is spent.
    OverBudget,
    /// A trap guard refused it.
    Trap(TrapReason),
}

/// robots.txt rules in memory: when fetched and with what status (which sets the expiry).
struct CachedRobots {
    fetched_at: i64,
    status: i64,
    rules: RobotsRules,
}

struct SeedRuntime {
    spec: SeedSpec,
    scope: Scope,
    /// Registered by this process (from its seed files or command line). Only active seeds'
    /// URLs are handed out; the others are known so that crash recovery can finish their
    /// bookkeeping.
    active: bool,
    /// How many of its URLs count against its page budget, once counted.
    used: Option<Used>,
}

/// A seed's count of budgeted URLs, kept in memory so that admitting a link does not count
/// the seed's URLs in the database each time. It may run high (a transaction rolled back, a
/// URL retired) but never low: at the budget it is counted again, unless `exact`.
#[derive(Clone, Copy)]
struct Used {
    count: u64,
    exact: bool,
}

/// The queue plus the in-memory state that paces it.
pub struct Frontier {
    db: Db,
    cfg: FrontierConfig,
    seeds: Mutex<HashMap<i64, SeedRuntime>>,
    pace: Mutex<Politeness>,
    robots: Mutex<HashMap<String, CachedRobots>>,
    lanes: Mutex<Lanes>,
    /// URLs already marked in flight by a batch lease, not yet handed out, per lane (see
    /// [`Frontier::batch_size`]).
    reserve: Mutex<HashMap<Lane, Kept>>,
    novelty: Mutex<Novelty>,
    held: Mutex<Held>,
}

/// URLs of one lane marked in flight under one fencing token (0 without leasing), not yet
/// handed out. Handed out only while the host is held with that token: a host lost and
/// taken again had them queued again by the taking (`requeue_left_in_flight`).
#[derive(Default)]
struct Kept {
    fence: i64,
    rows: VecDeque<LeaseRow>,
}

/// The most URLs one lease query takes from a lane. Each lease costs the database two
/// statements (the lane's oldest URL, then marking it in flight), one after another on the
/// loop that hands out work: at a few hundred fetches a second that loop, not the network,
/// was the ceiling (issue 21). A batch of up to this many costs the same two statements.
const MAX_BATCH: usize = 8;

/// The most lanes one hand-out round reads and marks at once (see `Frontier::round`): the
/// URLs of 64 lanes at most [`MAX_BATCH`] each, 512, a few milliseconds of SQLite's time
/// and far below its limit of bound values.
const ROUND_LANES: usize = 64;

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Where a URL queued now stands in its host's line: seconds since the epoch, then a tiebreak
/// below 10^9 (the row ID, or a counter for a row not yet inserted). The oldest key goes
/// first, so URLs due again queue behind, not ahead of, URLs found earlier.
const KEY_SCALE: i64 = 1_000_000_000;

/// Whether a seed has work: queued or in flight, or a pass not yet marked finished (binds
/// the seed ID twice).
const BUSY_SQL: &str =
    "SELECT EXISTS (SELECT 1 FROM urls WHERE seed_id = ? AND state IN ('queued', 'inflight'))
    OR EXISTS (SELECT 1 FROM seeds WHERE id = ? AND cycle > 0 AND cycle_finished IS NULL)";

/// `n` placeholders for an `IN (…)` list of values bound one by one.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn queue_key(tiebreak: i64) -> i64 {
    Utc::now().timestamp() * KEY_SCALE + tiebreak.rem_euclid(KEY_SCALE)
}

/// How many URLs each seed the database knows has reached (label, count), retired ones
/// included. A read for reports: it needs no open [`Frontier`], which would requeue what a
/// running daemon has in flight.
pub async fn urls_per_seed(db: &Db) -> anyhow::Result<Vec<(String, i64)>> {
    Ok(db::query(
        "SELECT s.label, (SELECT COUNT(*) FROM urls u WHERE u.seed_id = s.id) FROM seeds s",
    )
    .fetch_all(db)
    .await?)
}

/// The rules of every seed the database knows, as last registered. A read that needs no
/// open [`Frontier`] (the entity backfill reads each seed's phone region from it).
pub async fn seed_specs(db: &Db) -> anyhow::Result<Vec<SeedSpec>> {
    let rows: Vec<String> = db::query("SELECT spec FROM seeds ORDER BY id")
        .scalars(db)
        .await?;
    rows.iter().map(|s| Ok(serde_json::from_str(s)?)).collect()
}

/// The politeness key of a URL: host and effective port.
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl Frontier {
    /// Opens the queue: brings its tables up to date ([`crate::schema`]) and puts URLs left
    /// in flight back in the queue.
    pub async fn open(db: Db, cfg: FrontierConfig) -> anyhow::Result<Frontier> {
        crate::schema::migrate(&db).await?;
        // An interrupted fetch counts as an attempt, so a URL that kills the process every
        // time cannot loop forever. Sharing the frontier, a node takes back only what it
        // held itself, and lets its leases go: the others' URLs in flight are theirs.
        let resumed = match &cfg.leasing {
            None => {
                db::query(
                    "UPDATE urls SET state = 'queued', attempts = attempts + 1
                     WHERE state = 'inflight'",
                )
                .execute(&db)
                .await?
            }
            Some(l) => {
                let mut tx = db.begin().await?;
                let n = db::query(
                    "UPDATE urls SET state = 'queued', attempts = attempts + 1
                     WHERE state = 'inflight'
                     AND host IN (SELECT host FROM host_leases WHERE node = ?)",
                )
                .bind(&l.node)
                .execute(&mut tx)
                .await?;
                db::query("UPDATE host_leases SET node = NULL, expires_at = 0 WHERE node = ?")
                    .bind(&l.node)
                    .execute(&mut tx)
                    .await?;
                tx.commit().await?;
                n
            }
        };
        if resumed > 0 {
            tracing::info!(
                resumed,
                "URLs that were in flight when nightjar stopped are queued again"
            );
        }
        let mut seeds = HashMap::new();
        let rows: Vec<(i64, String)> = db::query("SELECT id, spec FROM seeds")
            .fetch_all(&db)
            .await?;
        for (id, spec) in rows {
            let spec: SeedSpec = serde_json::from_str(&spec)?;
            let seed_url = Url::parse(&spec.url)?;
            let scope = Scope::new(spec.scope, &seed_url, &spec.include, &spec.exclude)?;
            seeds.insert(
                id,
                SeedRuntime {
                    spec,
                    scope,
                    active: false,
                    used: None,
                },
            );
        }
        Ok(Frontier {
            db,
            cfg,
            seeds: Mutex::new(seeds),
            pace: Mutex::new(Politeness::default()),
            robots: Mutex::new(HashMap::new()),
            lanes: Mutex::new(Lanes::stale()),
            reserve: Mutex::new(HashMap::new()),
            novelty: Mutex::new(Novelty::default()),
            held: Mutex::new(Held::default()),
        })
    }

    /// SQL condition selecting URLs of active seeds (IDs are integers we produced).
    fn active_seeds_sql(&self) -> String {
        let seeds = self.seeds.lock().expect("seeds lock");
        let ids: Vec<String> = seeds
            .iter()
            .filter(|(_, s)| s.active)
            .map(|(id, _)| id.to_string())
            .collect();
        if ids.is_empty() {
            "1 = 0".into()
        } else {
            format!("seed_id IN ({})", ids.join(", "))
        }
    }

    /// Registers or updates a seed by label; returns its ID.
    pub async fn register_seed(&self, spec: &SeedSpec) -> anyhow::Result<i64> {
        let seed_url = Url::parse(&spec.url)?;
        let scope = Scope::new(spec.scope, &seed_url, &spec.include, &spec.exclude)?;
        let json = serde_json::to_string(spec)?;
        let before: Option<String> = db::query("SELECT spec FROM seeds WHERE label = ?")
            .bind(&spec.label)
            .scalar_optional(&self.db)
            .await?;
        let before: Option<SeedSpec> = before.and_then(|j| serde_json::from_str(&j).ok());
        let mut tx = self.db.begin().await?;
        let id: i64 = db::query(
            "INSERT INTO seeds (label, url, spec) VALUES (?, ?, ?)
             ON CONFLICT (label) DO UPDATE SET url = excluded.url, spec = excluded.spec
             RETURNING id",
        )
        .bind(&spec.label)
        .bind(&spec.url)
        .bind(json)
        .scalar(&mut tx)
        .await?;
        let schedule = |s: &SeedSpec| (s.recrawl_secs, s.recrawl_min_secs, s.recrawl_max_secs);
        let pace = |s: &SeedSpec| (s.rate_per_sec, s.max_in_flight);
        let repace = before.as_ref().is_some_and(|b| pace(b) != pace(spec));
        if let Some(old) = before.filter(|b| schedule(b) != schedule(spec)) {
            // The operator changed the schedule: pages start over at the new interval, and
            // none waits longer than it for its next fetch (a seed that recrawled "never"
            // is due at once).
            let q = match spec.recrawl_secs {
                None => db::query(
                    "UPDATE urls SET due_at = NULL, interval_secs = NULL WHERE seed_id = ?",
                ),
                Some(base) => {
                    // Due at the earlier of its due time and one new interval from now.
                    let now = now_ms();
                    let cap = now.saturating_add((base as i64).saturating_mul(1000));
                    db::query(
                        "UPDATE urls SET interval_secs = NULL, due_at = CASE
                            WHEN due_at IS NULL THEN ? WHEN due_at < ? THEN due_at ELSE ? END
                         WHERE seed_id = ?",
                    )
                    .bind(now)
                    .bind(cap)
                    .bind(cap)
                }
            };
            let n = q.bind(id).execute(&mut tx).await?;
            tracing::info!(seed = %spec.label, pages = n, before = ?old.recrawl_secs, after = ?spec.recrawl_secs, "recrawl schedule changed");
        }
        tx.commit().await?;
        if repace {
            // The operator changed the seed's politeness: its hosts take the new pace now,
            // looser as well as stricter (seeds sharing a host tighten it again on their
            // next lease).
            let hosts: Vec<String> = db::query("SELECT DISTINCT host FROM urls WHERE seed_id = ?")
                .bind(id)
                .scalars(&self.db)
                .await?;
            for host in hosts {
                let delay = self.cached_crawl_delay(&host);
                self.pace.lock().expect("pace lock").configure(
                    &host,
                    spec.rate_per_sec,
                    spec.max_in_flight,
                    delay,
                );
            }
        }
        self.seeds.lock().expect("seeds lock").insert(
            id,
            SeedRuntime {
                spec: spec.clone(),
                scope,
                active: true,
                used: None,
            },
        );
        self.lanes.lock().expect("lanes lock").stale = true;
        Ok(id)
    }

    /// Queues the seed's work: its URL the first time, then every page whose due time has
    /// come. Returns true when the seed has work: queued, in flight, or a pass unfinished.
    pub async fn schedule_seed(&self, seed_id: i64) -> anyhow::Result<bool> {
        self.requeue(seed_id, false).await
    }

    /// True while the seed's pass is unfinished: work queued or in flight, or a pass not
    /// yet marked finished (an interrupted one-shot crawl resumes it rather than starting
    /// over).
    pub async fn pass_unfinished(&self, seed_id: i64) -> anyhow::Result<bool> {
        Ok(db::query(BUSY_SQL)
            .bind(seed_id)
            .bind(seed_id)
            .scalar(&self.db)
            .await?)
    }

    /// Queues every page of the seed now, due or not (an operator's explicit recrawl).
    pub async fn restart_seed(&self, seed_id: i64) -> anyhow::Result<()> {
        self.novelty
            .lock()
            .expect("novelty lock")
            .finish_pass(seed_id);
        self.requeue(seed_id, true).await.map(|_| ())
    }

    async fn requeue(&self, seed_id: i64, everything: bool) -> anyhow::Result<bool> {
        let spec = self.spec(seed_id)?;
        let now = now_ms();
        let mut tx = self.db.begin().await?;
        // The seed's row locked first: nodes sharing the frontier schedule a seed one at a
        // time, each seeing what the one before did (a pass starts once, not per node).
        db::query("UPDATE seeds SET cycle = cycle WHERE id = ?")
            .bind(seed_id)
            .execute(&mut tx)
            .await?;
        let promoted = db::query(
            "UPDATE urls SET state = 'queued', round = round + 1, attempts = 0, not_before = NULL,
                note = NULL, queue_key = ? + id % ?
             WHERE seed_id = ? AND state IN ('done', 'failed', 'skipped')
             AND (? OR (due_at IS NOT NULL AND due_at <= ?))",
        )
        .bind(queue_key(0))
        .bind(KEY_SCALE)
        .bind(seed_id)
        .bind(everything)
        .bind(now)
        .execute(&mut tx)
        .await?;
        // The seed URL is always known (it may be new: the operator changed the seed).
        let url = Url::parse(&spec.url)?;
        let first = self.admit(&mut tx, seed_id, &url, 0, 0, None).await? == Admission::Queued;
        // With it, the files the seed asks for at each pass (its site's mirror list and
        // canary): queued the first time, then due with the seed's other pages.
        for companion in spec.companion_urls() {
            self.admit(&mut tx, seed_id, &companion, 0, 0, Some(url.as_str()))
                .await?;
        }
        // Busy: work queued or in flight, or a pass not yet marked finished (it finishes
        // when the loop finds nothing left).
        let busy: bool = db::query(BUSY_SQL)
            .bind(seed_id)
            .bind(seed_id)
            .scalar(&mut tx)
            .await?;
        if promoted > 0 || first {
            // A new pass over the seed begins when work arrives after it had none.
            let cycle: Option<i64> = db::query(
                "UPDATE seeds SET cycle = cycle + 1, cycle_started = ?, cycle_finished = NULL
                 WHERE id = ? AND (cycle = 0 OR cycle_finished IS NOT NULL) RETURNING cycle",
            )
            .bind(now)
            .bind(seed_id)
            .scalar_optional(&mut tx)
            .await?;
            if let Some(cycle) = cycle {
                tracing::info!(seed = %spec.label, cycle, pages = promoted + u64::from(first), "crawl pass started");
            }
        }
        tx.commit().await?;
        self.lanes.lock().expect("lanes lock").stale = true;
        Ok(busy)
    }

    /// Queues every page of an active seed whose due time has come, in one statement for all
    /// seeds (the daemon calls this several times a second). Returns how many.
    pub async fn promote_due(&self) -> anyhow::Result<u64> {
        let now = now_ms();
        let active = self.active_seeds_sql();
        let mut tx = self.db.begin().await?;
        // The only dynamic part is a list of integer seed IDs (see `active_seeds_sql`).
        let promoted: Vec<(i64, String)> = db::query_owned(format!(
            "UPDATE urls SET state = 'queued', round = round + 1, attempts = 0, not_before = NULL,
                note = NULL, queue_key = ? + id % ?
             WHERE state IN ('done', 'failed', 'skipped') AND due_at IS NOT NULL AND due_at <= ?
             AND {active}
             RETURNING seed_id, host"
        ))
        .bind(queue_key(0))
        .bind(KEY_SCALE)
        .bind(now)
        .fetch_all(&mut tx)
        .await?;
        let mut distinct: Vec<i64> = promoted.iter().map(|(seed, _)| *seed).collect();
        distinct.sort_unstable();
        distinct.dedup();
        for seed in distinct {
            db::query(
                "UPDATE seeds SET cycle = cycle + 1, cycle_started = ?, cycle_finished = NULL
                 WHERE id = ? AND cycle_finished IS NOT NULL",
            )
            .bind(now)
            .bind(seed)
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        for (seed, host) in &promoted {
            self.queued(*seed, host);
        }
        Ok(promoted.len() as u64)
    }

    /// The seeds this process crawls: ID and rules.
    pub fn active_seeds(&self) -> Vec<(i64, SeedSpec)> {
        let seeds = self.seeds.lock().expect("seeds lock");
        let mut out: Vec<(i64, SeedSpec)> = seeds
            .iter()
            .filter(|(_, s)| s.active)
            .map(|(id, s)| (*id, s.spec.clone()))
            .collect();
        out.sort_by_key(|(id, _)| *id);
        out
    }

    /// Stops handing out the seed's URLs (the operator removed or disabled it). Its pages
    /// and captures stay; fetches in flight finish; registering it again resumes it.
    pub fn deactivate_seed(&self, seed_id: i64) {
        if let Some(s) = self.seeds.lock().expect("seeds lock").get_mut(&seed_id) {
            s.active = false;
        }
    }

    /// Hands out the seed's URLs again after [`Frontier::deactivate_seed`] (a paused seed
    /// resumed); nothing for a seed not registered.
    pub fn reactivate_seed(&self, seed_id: i64) {
        if let Some(s) = self.seeds.lock().expect("seeds lock").get_mut(&seed_id) {
            s.active = true;
        }
        // Its URLs join the lanes again at the next lease, even while others wait.
        self.lanes.lock().expect("lanes lock").stale = true;
    }

    /// Whether this process crawls the seed.
    pub fn is_active(&self, seed_id: i64) -> bool {
        self.seeds
            .lock()
            .expect("seeds lock")
            .get(&seed_id)
            .is_some_and(|s| s.active)
    }

    /// The rules of a registered seed.
    pub fn spec(&self, seed_id: i64) -> anyhow::Result<SeedSpec> {
        self.seeds
            .lock()
            .expect("seeds lock")
            .get(&seed_id)
            .map(|s| s.spec.clone())
            .ok_or_else(|| anyhow::anyhow!("seed {seed_id} is not registered"))
    }

    /// Offers a URL to a seed: queued when new and allowed, else why not.
    pub async fn admit(
        &self,
        tx: &mut Tx,
        seed_id: i64,
        url: &Url,
        depth: u32,
        hops: u32,
        via: Option<&str>,
    ) -> anyhow::Result<Admission> {
        let max_pages = {
            let seeds = self.seeds.lock().expect("seeds lock");
            let seed = seeds
                .get(&seed_id)
                .ok_or_else(|| anyhow::anyhow!("seed {seed_id} is not registered"))?;
            // A redirect hop is followed wherever it leads (http to https, to www.): the
            // chain of an admitted URL is part of its capture. Its links obey the scope.
            // So does everything else but what the seed itself names at depth 0 (its URL,
            // and its site's mirror files at the origin's root, which a prefix scope or an
            // include pattern would leave out).
            if hops == 0 && depth > 0 && !seed.scope.contains(url) {
                return Ok(Admission::OutOfScope);
            }
            if depth > seed.spec.max_depth {
                return Ok(Admission::TooDeep);
            }
            seed.spec.max_pages
        };
        if let Err(reason) = self.cfg.traps.check(url) {
            return Ok(Admission::Trap(reason));
        }
        let exists: Option<(i64, String)> =
            db::query("SELECT id, state FROM urls WHERE seed_id = ? AND url = ?")
                .bind(seed_id)
                .bind(url.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        match exists {
            Some((_, state)) if UrlState::parse(&state)? == UrlState::Retired => {
                return Ok(Admission::Retired)
            }
            Some(_) => return Ok(Admission::Seen),
            None => {}
        }
        // The seed URL itself is always admitted.
        let is_seed_url = depth == 0 && hops == 0;
        if !is_seed_url && self.over_budget(tx, seed_id, max_pages).await? {
            return Ok(Admission::OverBudget);
        }
        static TIEBREAK: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
        let tiebreak = TIEBREAK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Another node sharing the frontier may queue the same URL at the same moment.
        let inserted = db::query(
            "INSERT INTO urls (seed_id, url, host, depth, hops, round, state, via, queue_key)
             VALUES (?, ?, ?, ?, ?, 1, 'queued', ?, ?) ON CONFLICT (seed_id, url) DO NOTHING",
        )
        .bind(seed_id)
        .bind(url.as_str())
        .bind(host_key(url))
        .bind(depth as i64)
        .bind(hops as i64)
        .bind(via)
        .bind(queue_key(tiebreak))
        .execute(&mut *tx)
        .await?;
        if inserted == 0 {
            return Ok(Admission::Seen);
        }
        self.counted(seed_id, 1);
        self.queued(seed_id, &host_key(url));
        Ok(Admission::Queued)
    }

    /// Offers a page's links to its seed at once: the same rules as [`Frontier::admit`]
    /// for each, but new URLs go in with one statement per 500 links instead of several
    /// per link. With `revive`, links to retired URLs queue them again (see
    /// [`Frontier::revive`]). Returns how many URLs were queued.
    pub async fn admit_links(
        &self,
        tx: &mut Tx,
        seed_id: i64,
        links: &[Url],
        depth: u32,
        via: Option<&str>,
        revive: bool,
    ) -> anyhow::Result<u64> {
        let max_pages = {
            let seeds = self.seeds.lock().expect("seeds lock");
            let seed = seeds
                .get(&seed_id)
                .ok_or_else(|| anyhow::anyhow!("seed {seed_id} is not registered"))?;
            if depth > seed.spec.max_depth {
                return Ok(0);
            }
            seed.spec.max_pages
        };
        let mut seen = std::collections::HashSet::new();
        let candidates: Vec<&Url> = {
            let seeds = self.seeds.lock().expect("seeds lock");
            let scope = &seeds.get(&seed_id).expect("checked above").scope;
            links
                .iter()
                .filter(|u| scope.contains(u) && self.cfg.traps.check(u).is_ok())
                .filter(|u| seen.insert(u.as_str()))
                .collect()
        };
        if candidates.is_empty() {
            return Ok(0);
        }
        let room = match self.seed_used(seed_id) {
            Some(u) => max_pages.saturating_sub(u.count),
            None => 0,
        };
        if (candidates.len() as u64) > room {
            // Near the budget (or not yet counted): one at a time, exactly.
            let mut queued = 0;
            for u in candidates {
                match self.admit(tx, seed_id, u, depth, 0, via).await? {
                    Admission::Queued => queued += 1,
                    Admission::Retired if revive => self.revive(tx, seed_id, u).await?,
                    _ => {}
                }
            }
            return Ok(queued);
        }
        static TIEBREAK: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
        let mut queued = 0;
        for chunk in candidates.chunks(500) {
            // One statement per chunk: a row of nine placeholders per link.
            let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
            let mut q = db::query_owned(format!(
                "INSERT INTO urls (seed_id, url, host, depth, hops, round, state, via, queue_key)
                 VALUES {rows} ON CONFLICT (seed_id, url) DO NOTHING RETURNING host"
            ));
            for u in chunk {
                let tiebreak = TIEBREAK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                q = q
                    .bind(seed_id)
                    .bind(u.as_str())
                    .bind(host_key(u))
                    .bind(depth as i64)
                    .bind(0i64)
                    .bind(1i64)
                    .bind(UrlState::Queued.as_str())
                    .bind(via)
                    .bind(queue_key(tiebreak));
            }
            let hosts: Vec<String> = q.scalars(&mut *tx).await?;
            let inserted = hosts.len();
            queued += inserted as u64;
            self.counted(seed_id, inserted as u64);
            for host in hosts {
                self.queued(seed_id, &host);
            }
            // Only links already known can be retired: none when every one was new.
            if revive && inserted < chunk.len() {
                let list = marks(chunk.len());
                let mut q = db::query_owned(format!(
                    "SELECT url FROM urls WHERE state = 'retired' AND seed_id = ? AND url IN ({list})"
                ))
                .bind(seed_id);
                for u in chunk {
                    q = q.bind(u.as_str());
                }
                let retired: Vec<String> = q.scalars(&mut *tx).await?;
                for u in retired {
                    self.revive(tx, seed_id, &Url::parse(&u)?).await?;
                }
            }
        }
        Ok(queued)
    }

    /// Whether the seed's page budget is spent (retired URLs do not count). Exact at the
    /// budget; below it, answered from memory (see [`Used`]).
    async fn over_budget(&self, tx: &mut Tx, seed_id: i64, max_pages: u64) -> anyhow::Result<bool> {
        let cached = self.seed_used(seed_id);
        match cached {
            Some(u) if u.count < max_pages => return Ok(false),
            Some(u) if u.exact => return Ok(true),
            _ => {}
        }
        let used: i64 =
            db::query("SELECT COUNT(*) FROM urls WHERE seed_id = ? AND state <> 'retired'")
                .bind(seed_id)
                .scalar(&mut *tx)
                .await?;
        let used = used.max(0) as u64;
        if let Some(s) = self.seeds.lock().expect("seeds lock").get_mut(&seed_id) {
            s.used = Some(Used {
                count: used,
                exact: true,
            });
        }
        Ok(used >= max_pages)
    }

    fn seed_used(&self, seed_id: i64) -> Option<Used> {
        let seeds = self.seeds.lock().expect("seeds lock");
        seeds.get(&seed_id).and_then(|s| s.used)
    }

    /// `added` more URLs of the seed count against its budget (0: some may have stopped
    /// counting).
    fn counted(&self, seed_id: i64, added: u64) {
        if let Some(s) = self.seeds.lock().expect("seeds lock").get_mut(&seed_id) {
            if let Some(u) = s.used.as_mut() {
                u.count += added;
                u.exact = false;
            }
        }
    }

    /// Queues a retired URL again (a page that changed links to it: it may be back).
    pub async fn revive(&self, tx: &mut Tx, seed_id: i64, url: &Url) -> anyhow::Result<()> {
        db::query(
            "UPDATE urls SET state = 'queued', round = round + 1, attempts = 0, gone_count = 0,
                not_before = NULL, note = NULL, queue_key = ? + id % ?
             WHERE seed_id = ? AND url = ? AND state = 'retired'",
        )
        .bind(queue_key(0))
        .bind(KEY_SCALE)
        .bind(seed_id)
        .bind(url.as_str())
        .execute(&mut *tx)
        .await?;
        self.counted(seed_id, 1);
        self.queued(seed_id, &host_key(url));
        Ok(())
    }

    /// Hands out the next URL whose host may be sent a request now.
    ///
    /// The lane whose turn it is (`crate::lanes`) is asked in turn order: a host that must
    /// wait is snoozed, a busy one parked, and the first open one hands out its oldest URL
    /// (one indexed query). Each step settles one lane, so this ends within as many steps as
    /// there are lanes.
    pub async fn next(&self) -> anyhow::Result<Next> {
        let mut rebuilt = false;
        if std::mem::take(&mut self.lanes.lock().expect("lanes lock").stale) {
            self.rebuild_lanes().await?;
            rebuilt = true;
        }
        loop {
            let now = Instant::now();
            let front = self.lanes.lock().expect("lanes lock").front(now);
            let Some(lane) = front else {
                let (soonest, parked) = self.lanes.lock().expect("lanes lock").waiting();
                if let Some(at) = soonest {
                    let wait = at.saturating_duration_since(now);
                    return Ok(Next::Wait(wait.max(Duration::from_millis(1))));
                }
                if parked {
                    // Every candidate host is busy: a finishing fetch will free one.
                    return Ok(Next::Wait(Duration::from_millis(250)));
                }
                if !rebuilt {
                    // The lanes are a cache: before saying the queue is empty, ask the
                    // database (cheap when nothing is queued, and it is the safety net).
                    self.rebuild_lanes().await?;
                    rebuilt = true;
                    continue;
                }
                return self.idle_or_empty().await;
            };
            let (seed_id, host) = (lane.0, lane.1.as_str());
            let spec = {
                let seeds = self.seeds.lock().expect("seeds lock");
                seeds
                    .get(&seed_id)
                    .filter(|s| s.active)
                    .map(|s| s.spec.clone())
            };
            let Some(spec) = spec else {
                self.lanes.lock().expect("lanes lock").remove(&lane);
                self.return_reserve(&lane).await?;
                continue;
            };
            // Sharing the frontier: only hosts this node holds (the lane comes back when
            // the lanes are rebuilt after the host is taken).
            let fence = match &self.cfg.leasing {
                None => 0,
                Some(_) => match self.held.lock().expect("held lock").token(host, now) {
                    Some(token) => token,
                    None => {
                        // Kept URLs stay: if the renewal finds the host still this node's
                        // (same token), they are handed out; if not, its new holder queues
                        // them again.
                        self.lanes.lock().expect("lanes lock").remove(&lane);
                        continue;
                    }
                },
            };
            // The lane's oldest URL first, then the host's gate: between the gate and the
            // request only the lease's own update runs, so requests leave as evenly spaced
            // as the gate opens.
            let kept = {
                let mut reserve = self.reserve.lock().expect("reserve lock");
                match reserve.get_mut(&lane) {
                    Some(k) if k.fence == fence => k.rows.pop_front(),
                    Some(_) => {
                        // Marked under an earlier lease of the host, since queued again.
                        reserve.remove(&lane);
                        None
                    }
                    None => None,
                }
            };
            // Marked in flight already (kept), or read now: for a single node, in one round
            // with the lanes whose turns come next, marked at once; sharing the frontier, or
            // for a host held (down, or asking us to wait: nothing is marked for it until it
            // may be sent a request), this lane's alone, marked once the gate opens.
            let held = self.pace.lock().expect("pace lock").held(host);
            let (kept, rows) = match kept {
                Some(row) => (true, vec![row]),
                None if self.cfg.leasing.is_none() && !held => match self.round(&lane).await? {
                    Some(row) => (true, vec![row]),
                    None => (false, Vec::new()),
                },
                None => {
                    let batch = self.batch_size(&spec, host);
                    (false, self.heads(seed_id, host, batch).await?)
                }
            };
            if rows.is_empty() {
                let later: Option<i64> = db::query(
                    "SELECT MIN(not_before) FROM urls
                     WHERE state = 'queued' AND seed_id = ? AND host = ?",
                )
                .bind(seed_id)
                .bind(host)
                .scalar(&self.db)
                .await?;
                let mut lanes = self.lanes.lock().expect("lanes lock");
                match later {
                    Some(at) => {
                        let wait = Duration::from_millis((at - now_ms()).max(1) as u64);
                        lanes.snooze(lane, now + wait);
                    }
                    None => lanes.looked_empty(lane, now),
                }
                continue;
            }
            let gate = {
                // Seeds sharing a host share its pacing: the strictest of their settings.
                let delay = self.cached_crawl_delay(host);
                let mut pace = self.pace.lock().expect("pace lock");
                pace.tighten(host, spec.rate_per_sec, spec.max_in_flight, delay);
                if self.cfg.leasing.is_some() {
                    let mut held = self.held.lock().expect("held lock");
                    if let Some(h) = held.hosts.get_mut(host).filter(|h| h.fresh) {
                        // Just taken over: the previous holder may have sent its last
                        // request a moment ago.
                        h.fresh = false;
                        pace.rest(host);
                    }
                }
                let gate = pace.try_acquire(host);
                if !matches!(gate, Gate::Open) {
                    // Parked (or snoozed) while the host's pacing is still locked: a request
                    // to the host that ends meanwhile gives its slot back only after this
                    // ([`Frontier::release_host`] takes the pacing first, then wakes the
                    // host's parked lanes), so it finds the lane parked and wakes it. Parked
                    // after the lock was let go, the lane could miss that wake-up and stay
                    // parked with its host idle: a one-shot crawl hung that way in CI.
                    let mut lanes = self.lanes.lock().expect("lanes lock");
                    match &gate {
                        Gate::Wait(d) => lanes.snooze(lane.clone(), now + *d),
                        _ => lanes.park(lane.clone()),
                    }
                }
                gate
            };
            if !matches!(gate, Gate::Open) {
                if kept {
                    // Still first in line for its lane's next turn.
                    self.keep(&lane, fence, rows);
                }
                continue;
            }
            let mut rows = VecDeque::from(rows);
            if !kept {
                let marked = self.mark_inflight(&rows, fence).await;
                match marked {
                    Ok(ids) if ids.is_empty() => {
                        // The rows changed meanwhile (set aside), or the lease passed to
                        // another node.
                        self.release_host(host);
                        if !self.still_holds(host, fence).await? {
                            self.lost_host(host);
                        }
                        continue;
                    }
                    Ok(ids) => rows.retain(|r| ids.contains(&r.id)),
                    Err(e) => {
                        self.release_host(host);
                        return Err(e);
                    }
                }
            }
            let first = rows.pop_front().expect("at least one URL marked");
            if !rows.is_empty() {
                self.keep(&lane, fence, rows.into());
            }
            let mut lease = Lease::from_row(first, spec);
            lease.fence = fence;
            self.lanes.lock().expect("lanes lock").served(&lane);
            return Ok(Next::Ready(Box::new(lease)));
        }
    }

    /// Reads and marks in flight the URLs of the front lane and of the lanes whose turns
    /// come next (at most [`ROUND_LANES`], those with none kept and whose hosts are not
    /// held), each lane's batch as
    /// [`Frontier::batch_size`] sizes it, in one query and one update; keeps them, and
    /// returns the front lane's first URL (none if it has nothing due).
    ///
    /// Why: one read and one update per lease, one after another on the loop that hands
    /// out work and each waiting for the writer's turn behind the indexing, capped the crawl
    /// at about 300 fetches a second however many onion services had slots free (issue 21).
    /// A round costs the same two statements for up to [`ROUND_LANES`] lanes. Only for a
    /// single node: sharing the frontier, each host's update is fenced by its own token.
    async fn round(&self, front: &Lane) -> anyhow::Result<Option<LeaseRow>> {
        let upcoming = self.lanes.lock().expect("lanes lock").upcoming(ROUND_LANES);
        let lanes: Vec<(Lane, usize)> = {
            let seeds = self.seeds.lock().expect("seeds lock");
            let reserve = self.reserve.lock().expect("reserve lock");
            let pace = self.pace.lock().expect("pace lock");
            std::iter::once(front.clone())
                .chain(
                    upcoming
                        .into_iter()
                        .filter(|l| l != front && !pace.held(&l.1)),
                )
                .filter(|l| reserve.get(l).is_none_or(|k| k.rows.is_empty()))
                .filter_map(|l| {
                    let spec = seeds.get(&l.0).filter(|s| s.active)?;
                    Some((l, spec.spec.clone()))
                })
                .take(ROUND_LANES)
                .collect::<Vec<_>>()
        }
        .into_iter()
        .map(|(l, spec)| {
            let batch = self.batch_size(&spec, &l.1);
            (l, batch)
        })
        .collect();
        if lanes.first().is_none_or(|(l, _)| l != front) {
            // Its seed is no longer crawled here: `next` finds that out itself.
            return Ok(None);
        }
        // One indexed read per lane, joined: only placeholders are spliced in.
        let one = concat!(
            "SELECT * FROM (SELECT ",
            lease_columns!(),
            " FROM urls u
             WHERE u.state = 'queued' AND u.seed_id = ? AND u.host = ?
             AND (u.not_before IS NULL OR u.not_before <= ?)
             ORDER BY u.queue_key, u.id LIMIT ?) h"
        );
        let sql = vec![one; lanes.len()].join(" UNION ALL ");
        let at = now_ms();
        let rows: Vec<LeaseRow> = db::query_owned(sql)
            .bind_all(lanes.iter().flat_map(|((seed, host), batch)| {
                [
                    db::Value::from(*seed),
                    db::Value::from(host.clone()),
                    db::Value::from(at),
                    db::Value::from(*batch as i64),
                ]
            }))
            .fetch_all(&self.db)
            .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let rows = VecDeque::from(rows);
        let marked = self.mark_inflight(&rows, 0).await?;
        let mut by_lane: HashMap<Lane, Vec<LeaseRow>> = HashMap::new();
        for r in rows.into_iter().filter(|r| marked.contains(&r.id)) {
            by_lane
                .entry((r.seed_id, r.host.clone()))
                .or_default()
                .push(r);
        }
        let mine = by_lane.remove(front);
        for (lane, rows) in by_lane {
            self.keep(&lane, 0, rows);
        }
        let Some(mut mine) = mine else {
            return Ok(None);
        };
        let first = mine.remove(0);
        if !mine.is_empty() {
            self.keep(front, 0, mine);
        }
        Ok(Some(first))
    }

    /// The lane's URLs queued longest ago whose time has come, at most `n`.
    async fn heads(&self, seed_id: i64, host: &str, n: usize) -> anyhow::Result<Vec<LeaseRow>> {
        Ok(db::query(concat!(
            "SELECT ",
            lease_columns!(),
            " FROM urls u
             WHERE u.state = 'queued' AND u.seed_id = ? AND u.host = ?
             AND (u.not_before IS NULL OR u.not_before <= ?)
             ORDER BY u.queue_key, u.id LIMIT ?"
        ))
        .bind(seed_id)
        .bind(host)
        .bind(now_ms())
        .bind(n as i64)
        .fetch_all(&self.db)
        .await?)
    }

    /// How many URLs a lease of this lane takes from the database at once: as many as the
    /// host may be sent within about a second at its pace (the strictest of the seeds on
    /// it, and its robots.txt crawl delay), so that a kept URL waits at most that long and
    /// the queue's order is hardly changed. One for a host paced at one request a second or
    /// slower (the default), and while its robots.txt, which may ask for a delay, is not
    /// yet read.
    fn batch_size(&self, spec: &SeedSpec, host: &str) -> usize {
        let robots_unread = spec.robots == crate::seed::RobotsPolicy::Obey
            && !self.robots.lock().expect("robots lock").contains_key(host);
        if robots_unread || self.cached_crawl_delay(host).is_some() {
            return 1;
        }
        let mut per_second = spec.rate_per_sec;
        if let Some(period) = self.pace.lock().expect("pace lock").period(host) {
            per_second = per_second.min(1.0 / period.as_secs_f64().max(1e-6));
        }
        let per_second = per_second.floor().clamp(1.0, MAX_BATCH as f64) as usize;
        per_second.min(spec.max_in_flight.max(1) as usize)
    }

    /// Marks these URLs in flight in one statement; returns the IDs it marked (none if the
    /// host's lease passed to another node).
    async fn mark_inflight(
        &self,
        rows: &VecDeque<LeaseRow>,
        fence: i64,
    ) -> anyhow::Result<Vec<i64>> {
        // The list padded to a power of two with its last ID (each row is marked once
        // whatever the list): a round marks 1 to 512 URLs, and one statement shape per
        // count would crowd the others out of the connection's cache of prepared statements.
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let last = *ids.last().expect("at least one row to mark");
        let padded = ids.len().next_power_of_two();
        let marks = marks(padded);
        // The crawl's indexing writes often too: taking turns, not sleeping on SQLite's lock.
        let _turn = self.db.write_turn().await;
        // Only placeholders are spliced in; the IDs are bound.
        let ids: Vec<i64> = db::query_owned(format!(
            "UPDATE urls SET state = 'inflight' WHERE id IN ({marks}) AND state = 'queued' AND {}
             RETURNING id",
            fenced!()
        ))
        .bind_all(
            ids.into_iter()
                .chain(std::iter::repeat(last))
                .take(padded)
                .map(db::Value::from),
        )
        .bind_fence_token(self, fence)
        .scalars(&self.db)
        .await?;
        Ok(ids)
    }

    /// Keeps URLs marked in flight under `fence` for the lane's next turns (ahead of any
    /// kept before under the same token; those of an earlier token are dropped).
    fn keep(&self, lane: &Lane, fence: i64, rows: Vec<LeaseRow>) {
        let mut reserve = self.reserve.lock().expect("reserve lock");
        let kept = reserve.entry(lane.clone()).or_default();
        if kept.fence != fence {
            *kept = Kept {
                fence,
                rows: VecDeque::new(),
            };
        }
        for row in rows.into_iter().rev() {
            kept.rows.push_front(row);
        }
    }

    /// Whether the host's lease is still this node's with token `fence` (always, without
    /// leasing).
    async fn still_holds(&self, host: &str, fence: i64) -> anyhow::Result<bool> {
        let Some(l) = &self.cfg.leasing else {
            return Ok(true);
        };
        Ok(db::query(
            "SELECT EXISTS (SELECT 1 FROM host_leases WHERE host = ? AND node = ? AND token = ?)",
        )
        .bind(host)
        .bind(l.node.as_str())
        .bind(fence)
        .scalar(&self.db)
        .await?)
    }

    /// Puts the URLs kept for a lane back in the queue (its seed stopped being crawled here).
    async fn return_reserve(&self, lane: &Lane) -> anyhow::Result<()> {
        let Some(kept) = self.reserve.lock().expect("reserve lock").remove(lane) else {
            return Ok(());
        };
        self.put_back_kept(lane, kept).await
    }

    /// Puts every kept URL back in the queue: called when the crawl stops, so that URLs
    /// never handed out do not count as interrupted fetches at the next start. Every lane
    /// is tried; the first error is returned, and what failed stays kept.
    pub async fn return_reserved(&self) -> anyhow::Result<()> {
        let all: Vec<(Lane, Kept)> = self.reserve.lock().expect("reserve lock").drain().collect();
        let mut first_error = None;
        for (lane, kept) in all {
            if let Err(e) = self.put_back_kept(&lane, kept).await {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Queues kept URLs again (fenced by the token they were marked under: if the host
    /// passed to another node, that node queued them again already). On failure they are
    /// kept, as they were.
    async fn put_back_kept(&self, lane: &Lane, kept: Kept) -> anyhow::Result<()> {
        if kept.rows.is_empty() {
            return Ok(());
        }
        let marks = marks(kept.rows.len());
        // Only placeholders are spliced in; the IDs are bound.
        let done = db::query_owned(format!(
            "UPDATE urls SET state = 'queued' WHERE id IN ({marks}) AND state = 'inflight' AND {}",
            fenced!()
        ))
        .bind_all(kept.rows.iter().map(|r| db::Value::from(r.id)))
        .bind_fence_token(self, kept.fence)
        .execute(&self.db)
        .await;
        if let Err(e) = done {
            let fence = kept.fence;
            self.keep(lane, fence, kept.rows.into());
            return Err(e.into());
        }
        self.lanes.lock().expect("lanes lock").add(lane.0, &lane.1);
        Ok(())
    }

    /// Forgets what was kept for a host this node no longer holds (its new holder queued
    /// the URLs again when it took the host).
    fn forget_kept(&self, host: &str) {
        self.reserve
            .lock()
            .expect("reserve lock")
            .retain(|(_, h), _| h != host);
    }

    /// Reads every lane with URLs queued from the database (at start, after a seed comes or
    /// goes, and whenever the lanes run out).
    async fn rebuild_lanes(&self) -> anyhow::Result<()> {
        let active = self.active_seeds_sql();
        // The only dynamic part is a list of integer seed IDs (see `active_seeds_sql`).
        let lanes: Vec<(i64, String)> = db::query_owned(format!(
            "SELECT DISTINCT seed_id, host FROM urls WHERE state = 'queued' AND {active}"
        ))
        .fetch_all(&self.db)
        .await?;
        let held = self.held.lock().expect("held lock");
        let mut set = self.lanes.lock().expect("lanes lock");
        set.clear();
        for (seed, host) in lanes {
            if self.cfg.leasing.is_none() || held.hosts.contains_key(&host) {
                set.add(seed, &host);
            }
        }
        // Lanes with kept URLs only: nothing queued, but work to hand out.
        for ((seed, host), kept) in self.reserve.lock().expect("reserve lock").iter() {
            if !kept.rows.is_empty()
                && (self.cfg.leasing.is_none() || held.hosts.contains_key(host))
            {
                set.add(*seed, host);
            }
        }
        Ok(())
    }

    /// Nothing queued: in flight elsewhere (more may come), or all done.
    async fn idle_or_empty(&self) -> anyhow::Result<Next> {
        let active = self.active_seeds_sql();
        if self.cfg.leasing.is_some() {
            // Work on hosts this node does not hold: another node's, or free to take.
            // EXISTS, not COUNT: asked every idle second, it must not scan the queue.
            let queued: bool = db::query_owned(format!(
                "SELECT EXISTS (SELECT 1 FROM urls WHERE state = 'queued' AND {active})"
            ))
            .scalar(&self.db)
            .await?;
            if queued {
                let due = self
                    .held
                    .lock()
                    .expect("held lock")
                    .last_round
                    .is_none_or(|t| t.elapsed() >= Duration::from_secs(1));
                if due {
                    self.lease_round().await?;
                }
                return Ok(Next::Idle);
            }
        }
        let inflight: i64 = db::query_owned(format!(
            "SELECT COUNT(*) FROM urls WHERE state = 'inflight' AND {active}"
        ))
        .scalar(&self.db)
        .await?;
        Ok(if inflight > 0 {
            Next::Idle
        } else {
            Next::Empty
        })
    }

    /// The lane of a URL just queued (committed) may have work.
    fn queued(&self, seed_id: i64, host: &str) {
        self.lanes.lock().expect("lanes lock").add(seed_id, host);
    }

    /// The lease of a URL still queued or in flight in `round` of the seed labelled `label`
    /// (crash recovery: a capture archived but not yet recorded as done).
    pub async fn lease_for(
        &self,
        label: &str,
        url: &str,
        round: i64,
    ) -> anyhow::Result<Option<Lease>> {
        let read = || async {
            db::query(concat!(
                "SELECT ",
                lease_columns!(),
                " FROM urls u JOIN seeds s ON s.id = u.seed_id
                 WHERE s.label = ? AND u.url = ? AND u.round = ?
                 AND u.state IN ('queued', 'inflight')"
            ))
            .bind(label)
            .bind(url)
            .bind(round)
            .fetch_optional::<LeaseRow>(&self.db)
            .await
        };
        let Some(mut row) = read().await? else {
            return Ok(None);
        };
        let mut fence = 0;
        if self.cfg.leasing.is_some() {
            // Sharing the frontier, the URL's progress is ours to record only under the
            // host's lease. Held by another node, the capture is indexed without it and the
            // holder fetches the URL (or has fetched it) itself.
            let Some(token) = self.take_lease_of(&row.host).await? else {
                return Ok(None);
            };
            fence = token;
            // Read again under the lease: until it was taken, the previous holder could
            // still finish the URL, or a new pass queue it again.
            let Some(again) = read().await? else {
                return Ok(None);
            };
            row = again;
        }
        let Ok(seed) = self.spec(row.seed_id) else {
            return Ok(None);
        };
        let mut lease = Lease::from_row(row, seed);
        lease.fence = fence;
        Ok(Some(lease))
    }

    /// Takes the lease of `host` for this node if it is free, expired or already ours,
    /// queueing again what an earlier holder left in flight there (as [`Self::lease_round`]
    /// does); `None` while another node holds it. For crash recovery, before the first
    /// lease round.
    async fn take_lease_of(&self, host: &str) -> anyhow::Result<Option<i64>> {
        let Some(cfg) = self.cfg.leasing.clone() else {
            return Ok(Some(0));
        };
        if let Some(token) = self
            .held
            .lock()
            .expect("held lock")
            .token(host, Instant::now())
        {
            return Ok(Some(token));
        }
        let period_ms = cfg.period.as_millis().min(i64::MAX as u128) as i64;
        let valid_until = Instant::now() + cfg.period.mul_f64(0.9);
        let mut tx = self.db.begin().await?;
        db::query("INSERT INTO host_leases (host) VALUES (?) ON CONFLICT (host) DO NOTHING")
            .bind(host)
            .execute(&mut tx)
            .await?;
        let token: Option<i64> = db::query_owned(format!(
            "UPDATE host_leases SET node = ?, token = token + 1, expires_at = {NOW_MS} + ?
             WHERE host = ? AND (node IS NULL OR node = ? OR expires_at < {NOW_MS})
             RETURNING token"
        ))
        .bind(&cfg.node)
        .bind(period_ms)
        .bind(host)
        .bind(&cfg.node)
        .scalar_optional(&mut tx)
        .await?;
        let Some(token) = token else {
            return Ok(None);
        };
        requeue_left_in_flight(&mut tx, host).await?;
        tx.commit().await?;
        self.held
            .lock()
            .expect("held lock")
            .taken(host.to_string(), token, valid_until);
        self.lanes.lock().expect("lanes lock").stale = true;
        Ok(Some(token))
    }

    /// Marks a leased URL fetched (`note` says how, e.g. a failure that will not be retried)
    /// and sets when it is due again, from how its content compared with the last capture.
    /// Returns the back-off when a seed's own URL was [`Finished::Unreachable`] and is due
    /// again after it, before its next recrawl.
    pub async fn complete(
        &self,
        tx: &mut Tx,
        lease: &Lease,
        finished: Finished,
        note: Option<&str>,
        freshness: Freshness,
    ) -> anyhow::Result<Option<Duration>> {
        let interval = next_interval(
            &lease.seed,
            lease.is_seed_url(),
            lease.interval_secs,
            freshness,
            &self.cfg.adapt,
        );
        let retry = (finished == Finished::Unreachable && lease.is_seed_url()).then(|| {
            crate::schedule::seed_retry_wait(self.cfg.seed_retry, lease.failed_passes, interval)
        });
        let due = match retry {
            Some(wait) => {
                Some(now_ms().saturating_add(wait.as_millis().min(i64::MAX as u128) as i64))
            }
            None => interval.map(|i| now_ms().saturating_add((i as i64).saturating_mul(1000))),
        };
        let failed = finished.state() == UrlState::Failed;
        let gone = freshness == Freshness::Gone;
        if gone {
            // It may be retired below, and stop counting against the budget.
            self.counted(lease.seed_id, 0);
        }
        let retire_at = match self.cfg.retire_after_gone {
            0 => i64::MAX,
            n => i64::from(n),
        };
        let updated = db::query(concat!(
            "UPDATE urls SET
                state = CASE WHEN ? AND gone_count + 1 >= ? THEN 'retired' ELSE ? END,
                due_at = CASE WHEN ? AND gone_count + 1 >= ? THEN NULL ELSE ? END,
                gone_count = CASE WHEN ? THEN gone_count + 1 ELSE 0 END,
                failed_passes = CASE WHEN ? THEN failed_passes + 1 ELSE 0 END,
                note = ?, attempts = attempts + 1, interval_secs = ?
             WHERE id = ? AND ",
            fenced!()
        ))
        .bind(gone)
        .bind(retire_at)
        .bind(finished.state().as_str())
        .bind(gone)
        .bind(retire_at)
        .bind(due)
        .bind(gone)
        .bind(failed)
        .bind(note)
        .bind(interval.map(|i| i as i64))
        .bind(lease.id)
        .bind_fence(self, lease)
        .execute(&mut *tx)
        .await?;
        if updated == 0 && self.cfg.leasing.is_some() {
            self.lost_host(&lease.host);
            anyhow::bail!(
                "{}: the lease on {} passed to another node while it was fetched; what was \
                 written for it is rolled back (the new holder fetches it again)",
                lease.url,
                lease.host
            );
        }
        if lease.is_seed_url() && lease.failed_passes > 0 && !failed {
            // The seed's site answers again after an outage: what failed with it is
            // fetched again now, not only at its next recrawl.
            let hosts: Vec<String> = db::query(
                "UPDATE urls SET state = 'queued', round = round + 1, attempts = 0,
                    not_before = NULL, note = NULL, queue_key = ? + id % ?
                 WHERE seed_id = ? AND state = 'failed' AND id <> ?
                 RETURNING host",
            )
            .bind(queue_key(0))
            .bind(KEY_SCALE)
            .bind(lease.seed_id)
            .bind(lease.id)
            .scalars(&mut *tx)
            .await?;
            if !hosts.is_empty() {
                tracing::info!(seed = %lease.seed.label, pages = hosts.len(),
                    "the seed answers again: pages that failed meanwhile are fetched again");
            }
            for host in hosts {
                self.queued(lease.seed_id, &host);
            }
        }
        Ok(retry)
    }

    /// Puts a leased URL back to be tried again after `after`.
    pub async fn retry(&self, lease: &Lease, after: Duration, note: &str) -> anyhow::Result<()> {
        let mut tx = self.db.begin().await?;
        self.retry_in(&mut tx, lease, after, note).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Frontier::retry`] in the caller's transaction (with the capture that answered).
    pub async fn retry_in(
        &self,
        tx: &mut Tx,
        lease: &Lease,
        after: Duration,
        note: &str,
    ) -> anyhow::Result<()> {
        db::query(concat!(
            "UPDATE urls SET state = 'queued', attempts = attempts + 1, not_before = ?, note = ?
             WHERE id = ? AND ",
            fenced!()
        ))
        .bind(now_ms().saturating_add(after.as_millis().min(i64::MAX as u128) as i64))
        .bind(note)
        .bind(lease.id)
        .bind_fence(self, lease)
        .execute(&mut *tx)
        .await?;
        self.queued(lease.seed_id, &lease.host);
        Ok(())
    }

    /// Records a page fetched for `lease` (see [`crate::novelty`]). When this stops its host
    /// for the rest of the seed's pass (a link farm, or the seed's fetch budget per host),
    /// the seed's URLs still queued on that host are skipped, due again with the seed's
    /// next pass, and the reason is returned.
    pub async fn page_fetched(
        &self,
        lease: &Lease,
        page: novelty::Page<'_>,
    ) -> anyhow::Result<Option<StopReason>> {
        let reason = self.novelty.lock().expect("novelty lock").observe(
            lease.seed_id,
            &lease.host,
            page,
            self.cfg.traps.novelty_window,
            lease.seed.max_fetches_per_host,
        );
        let Some(reason) = reason else {
            return Ok(None);
        };
        let skipped = self
            .set_aside(lease, UrlState::Skipped, &format!("host stopped: {reason}"))
            .await?;
        tracing::warn!(
            seed = %lease.seed.label,
            host = %lease.host,
            skipped,
            "host stopped for the rest of the pass: {reason}"
        );
        Ok(Some(reason))
    }

    /// Takes the URLs of `lease`'s seed still queued on its host out of this pass, as
    /// `state` with `note`; they are due again when the seed's next pass begins. Returns how
    /// many.
    async fn set_aside(&self, lease: &Lease, state: UrlState, note: &str) -> anyhow::Result<u64> {
        let due = lease
            .seed
            .recrawl_secs
            .map(|s| now_ms().saturating_add((s as i64).saturating_mul(1000)));
        let queued = db::query(
            "UPDATE urls SET state = ?, note = ?, due_at = ?
             WHERE seed_id = ? AND host = ? AND state = 'queued'",
        )
        .bind(state.as_str())
        .bind(note)
        .bind(due)
        .bind(lease.seed_id)
        .bind(&lease.host)
        .execute(&self.db)
        .await?;
        // And those a batch lease marked in flight but did not hand out yet.
        let lane = (lease.seed_id, lease.host.clone());
        let Some(kept) = self.reserve.lock().expect("reserve lock").remove(&lane) else {
            return Ok(queued);
        };
        if kept.rows.is_empty() {
            return Ok(queued);
        }
        let marks = marks(kept.rows.len());
        // Only placeholders are spliced in; every value is bound.
        let kept_too = db::query_owned(format!(
            "UPDATE urls SET state = ?, note = ?, due_at = ?
             WHERE id IN ({marks}) AND state = 'inflight' AND {}",
            fenced!()
        ))
        .bind(state.as_str())
        .bind(note)
        .bind(due)
        .bind_all(kept.rows.iter().map(|r| db::Value::from(r.id)))
        .bind_fence_token(self, kept.fence)
        .execute(&self.db)
        .await;
        match kept_too {
            Ok(n) => Ok(queued + n),
            Err(e) => {
                let fence = kept.fence;
                self.keep(&lane, fence, kept.rows.into());
                Err(e.into())
            }
        }
    }

    /// How long the host of `lease` has been site-down without answering in between.
    pub fn down_for(&self, host: &str) -> Option<Duration> {
        self.pace.lock().expect("pace lock").down_for(host)
    }

    /// The site has been down too long: the seed's URLs still queued on the host fail for
    /// this pass (due again with the next). Returns how many.
    pub async fn give_up_host(&self, lease: &Lease, note: &str) -> anyhow::Result<u64> {
        self.set_aside(lease, UrlState::Failed, note).await
    }

    /// Whether the host of `lease` is stopped in its seed's pass: a URL of it queued after
    /// the stop is skipped, not fetched.
    pub fn host_stopped(&self, lease: &Lease) -> bool {
        self.novelty
            .lock()
            .expect("novelty lock")
            .is_stopped(lease.seed_id, &lease.host)
    }

    /// The hosts stopped in the passes this process has crawled, with their seed's label.
    pub fn stopped_hosts(&self) -> Vec<(String, Stopped)> {
        let stopped = self.novelty.lock().expect("novelty lock").stopped();
        let seeds = self.seeds.lock().expect("seeds lock");
        stopped
            .into_iter()
            .map(|s| {
                let label = seeds
                    .get(&s.seed_id)
                    .map(|r| r.spec.label.clone())
                    .unwrap_or_else(|| s.seed_id.to_string());
                (label, s)
            })
            .collect()
    }

    /// The server asked us to wait (429, 503, `Retry-After`): nothing goes to `host` for
    /// `hold`, whichever seed's URL it is.
    pub fn hold_host(&self, host: &str, hold: Duration) {
        self.pace.lock().expect("pace lock").hold(host, hold);
    }

    /// Puts a leased URL back to wait `after`, without counting an attempt.
    pub async fn defer(&self, lease: &Lease, after: Duration) -> anyhow::Result<()> {
        db::query(concat!(
            "UPDATE urls SET state = 'queued', not_before = ? WHERE id = ? AND ",
            fenced!()
        ))
        .bind(now_ms() + after.as_millis() as i64)
        .bind(lease.id)
        .bind_fence(self, lease)
        .execute(&self.db)
        .await?;
        self.queued(lease.seed_id, &lease.host);
        Ok(())
    }

    /// [`Frontier::defer`] in the caller's transaction.
    pub async fn defer_in(
        &self,
        tx: &mut Tx,
        lease: &Lease,
        after: Duration,
    ) -> anyhow::Result<()> {
        db::query(concat!(
            "UPDATE urls SET state = 'queued', not_before = ? WHERE id = ? AND ",
            fenced!()
        ))
        .bind(now_ms() + after.as_millis() as i64)
        .bind(lease.id)
        .bind_fence(self, lease)
        .execute(&mut *tx)
        .await?;
        self.queued(lease.seed_id, &lease.host);
        Ok(())
    }

    /// Puts a leased URL back unchanged (it was not fetched).
    pub async fn put_back(&self, lease: &Lease) -> anyhow::Result<()> {
        db::query(concat!(
            "UPDATE urls SET state = 'queued' WHERE id = ? AND ",
            fenced!()
        ))
        .bind(lease.id)
        .bind_fence(self, lease)
        .execute(&self.db)
        .await?;
        self.queued(lease.seed_id, &lease.host);
        Ok(())
    }

    /// The host is down: hold it (growing back-off with jitter); returns how long.
    pub fn host_down(&self, host: &str, base: Duration) -> Duration {
        self.pace.lock().expect("pace lock").host_down(host, base)
    }

    /// The host answered: reset its back-off. If it was down, the URLs that were waiting
    /// for it are due at once (it is re-probed now, not when each retry time comes).
    pub async fn host_up(&self, host: &str) -> anyhow::Result<()> {
        let was_down = self.pace.lock().expect("pace lock").host_up(host);
        if was_down {
            let seeds: Vec<i64> = db::query(
                "UPDATE urls SET not_before = NULL WHERE host = ? AND state = 'queued'
                 AND not_before IS NOT NULL RETURNING seed_id",
            )
            .bind(host)
            .scalars(&self.db)
            .await?;
            tracing::info!(host, waiting = seeds.len(), "host answers again");
            for seed in seeds {
                self.queued(seed, host);
            }
        }
        Ok(())
    }

    /// Frees the host slot a lease held (call after every lease, whatever the outcome).
    pub fn release_host(&self, host: &str) {
        self.pace.lock().expect("pace lock").release(host);
        self.lanes.lock().expect("lanes lock").release(host);
    }

    /// Whether this node shares the frontier with others ([`crate::leases`]).
    pub fn leasing(&self) -> Option<&Leasing> {
        self.cfg.leasing.as_ref()
    }

    /// A held host turned out to be another node's: forget it.
    fn lost_host(&self, host: &str) {
        if self
            .held
            .lock()
            .expect("held lock")
            .hosts
            .remove(host)
            .is_some()
        {
            tracing::warn!(host, "the lease on this host passed to another node");
        }
        self.forget_kept(host);
    }

    /// One round of host leasing (see [`crate::leases`]): renews this node's leases, lets
    /// go of hosts with no work left, and takes free or expired hosts with queued URLs of
    /// this node's seeds, up to its maximum. Call it every [`Leasing::renew_every`]; the
    /// queue also calls it when it runs out of hosts. Does nothing for a single node.
    pub async fn lease_round(&self) -> anyhow::Result<LeaseRound> {
        let Some(cfg) = self.cfg.leasing.clone() else {
            return Ok(LeaseRound::default());
        };
        let period_ms = cfg.period.as_millis().min(i64::MAX as u128) as i64;
        let sent = Instant::now();
        self.held.lock().expect("held lock").last_round = Some(sent);
        // The deadline by our clock: the server set expiry after we sent, so this is early.
        let valid_until = sent + cfg.period.mul_f64(0.9);
        let mut round = LeaseRound::default();

        // Renew. A lease another node has taken is no longer ours (its node changed).
        let renewed: Vec<(String, i64)> = db::query_owned(format!(
            "UPDATE host_leases SET expires_at = {NOW_MS} + ? WHERE node = ?
             RETURNING host, token"
        ))
        .bind(period_ms)
        .bind(&cfg.node)
        .fetch_all(&self.db)
        .await?;
        let gone: Vec<String> = {
            let mut held = self.held.lock().expect("held lock");
            let before = held.hosts.len();
            let mut hosts = HashMap::new();
            for (host, token) in renewed {
                let fresh = held.hosts.get(&host).is_some_and(|h| h.fresh);
                if held.hosts.get(&host).is_some_and(|h| h.token == token) {
                    hosts.insert(
                        host,
                        HeldHost {
                            token,
                            valid_until,
                            fresh,
                        },
                    );
                }
            }
            round.lost = before.saturating_sub(hosts.len());
            let gone = held
                .hosts
                .keys()
                .filter(|h| !hosts.contains_key(*h))
                .cloned()
                .collect();
            held.hosts = hosts;
            gone
        };
        for host in &gone {
            self.forget_kept(host);
        }

        // Let go of hosts with nothing in flight and nothing queued for this node's seeds:
        // another node's seeds may have work there (a host two seed lists share, or one
        // taken for crash recovery of a seed this node no longer crawls), and only the
        // holder may fetch from it. (The only dynamic part is the list of integer seed IDs,
        // see `active_seeds_sql`.)
        let active = self.active_seeds_sql();
        let released: Vec<String> = db::query_owned(format!(
            "UPDATE host_leases SET node = NULL, expires_at = 0
             WHERE node = ? AND NOT EXISTS (SELECT 1 FROM urls u
                WHERE u.host = host_leases.host
                AND (u.state = 'inflight' OR (u.state = 'queued' AND {active})))
             RETURNING host"
        ))
        .bind(&cfg.node)
        .scalars(&self.db)
        .await?;
        round.released = released.len();
        {
            let mut held = self.held.lock().expect("held lock");
            for host in &released {
                held.hosts.remove(host);
            }
        }

        // Take more, if there is room: hosts whose lease is free or expired, with queued
        // URLs of this node's seeds or URLs a dead holder left in flight (handed out, or
        // marked in a batch and kept: without a new holder they would wait for that node's
        // restart). SKIP LOCKED: nodes taking at the same moment take different hosts
        // instead of waiting on each other.
        let room = cfg
            .max_hosts
            .saturating_sub(self.held.lock().expect("held lock").hosts.len());
        if room > 0 {
            let active = self.active_seeds_sql();
            let mut tx = self.db.begin().await?;
            // Hosts seen for the first time get a row (the only dynamic part of these
            // statements is the list of integer seed IDs, see `active_seeds_sql`).
            db::query_owned(format!(
                "INSERT INTO host_leases (host)
                 SELECT DISTINCT host FROM urls WHERE state = 'queued' AND {active}
                 ON CONFLICT (host) DO NOTHING"
            ))
            .execute(&mut tx)
            .await?;
            let taken: Vec<(String, i64)> = db::query_owned(format!(
                "WITH free AS (
                    SELECT l.host FROM host_leases l
                    WHERE (l.node IS NULL OR l.expires_at < {NOW_MS})
                    AND EXISTS (SELECT 1 FROM urls WHERE urls.host = l.host
                        AND (urls.state = 'inflight' OR (urls.state = 'queued' AND {active})))
                    ORDER BY l.expires_at, l.host LIMIT ?
                    FOR UPDATE OF l SKIP LOCKED)
                 UPDATE host_leases SET node = ?, token = host_leases.token + 1,
                    expires_at = {NOW_MS} + ?
                 FROM free WHERE host_leases.host = free.host
                 RETURNING host_leases.host, host_leases.token"
            ))
            .bind(room as i64)
            .bind(&cfg.node)
            .bind(period_ms)
            .fetch_all(&mut tx)
            .await?;
            for (host, _) in &taken {
                round.requeued += requeue_left_in_flight(&mut tx, host).await?;
            }
            tx.commit().await?;
            round.taken = taken.len();
            if !taken.is_empty() {
                let mut held = self.held.lock().expect("held lock");
                for (host, token) in taken {
                    held.taken(host, token, valid_until);
                }
                drop(held);
                self.lanes.lock().expect("lanes lock").stale = true;
            }
        }
        round.held = self.held.lock().expect("held lock").hosts.len();
        if round.taken + round.released + round.lost > 0 || round.requeued > 0 {
            tracing::debug!(
                held = round.held,
                taken = round.taken,
                released = round.released,
                lost = round.lost,
                requeued = round.requeued,
                "host leases"
            );
        }
        Ok(round)
    }

    /// Lets go of every lease this node holds (a clean stop: the other nodes take its hosts
    /// at once instead of after the lease period).
    pub async fn release_all(&self) -> anyhow::Result<()> {
        let Some(cfg) = &self.cfg.leasing else {
            return Ok(());
        };
        db::query(
            "UPDATE host_leases SET node = NULL, expires_at = 0
             WHERE node = ? AND NOT EXISTS (SELECT 1 FROM urls u
                WHERE u.host = host_leases.host AND u.state = 'inflight')",
        )
        .bind(&cfg.node)
        .execute(&self.db)
        .await?;
        self.held.lock().expect("held lock").hosts.clear();
        Ok(())
    }

    /// Marks passes with nothing left queued or in flight as finished; returns their labels.
    pub async fn finish_cycles(&self) -> anyhow::Result<Vec<String>> {
        let finished: Vec<(i64, String)> = db::query(
            "UPDATE seeds SET cycle_finished = ?
             WHERE cycle > 0 AND cycle_finished IS NULL AND NOT EXISTS (
                SELECT 1 FROM urls WHERE urls.seed_id = seeds.id
                AND urls.state IN ('queued', 'inflight'))
             RETURNING id, label",
        )
        .bind(now_ms())
        .fetch_all(&self.db)
        .await?;
        let mut novelty = self.novelty.lock().expect("novelty lock");
        for (id, l) in &finished {
            novelty.finish_pass(*id);
            tracing::info!(seed = %l, "crawl pass finished");
        }
        Ok(finished.into_iter().map(|(_, l)| l).collect())
    }

    /// Robots rules for `host` if known and fresh.
    pub async fn robots(&self, host: &str) -> anyhow::Result<Option<RobotsRules>> {
        if let Some(c) = self.robots.lock().expect("robots lock").get(host) {
            if now_ms() - c.fetched_at < self.expiry_for(c.status) {
                return Ok(Some(c.rules.clone()));
            }
        }
        let row: Option<(i64, i64, String)> =
            db::query("SELECT fetched_at, status, body FROM robots WHERE host = ?")
                .bind(host)
                .fetch_optional(&self.db)
                .await?;
        let Some((at, status, body)) = row else {
            return Ok(None);
        };
        let rules = self.rules_from(status, &body);
        let fresh = now_ms() - at < self.expiry_for(status);
        self.remember_robots(host, at, status, rules.clone());
        Ok(fresh.then_some(rules))
    }

    /// Stores the outcome of fetching `host`'s robots.txt (status 0: unreachable).
    pub async fn store_robots(
        &self,
        host: &str,
        status: u16,
        body: &str,
    ) -> anyhow::Result<RobotsRules> {
        let at = now_ms();
        db::query(
            "INSERT INTO robots (host, fetched_at, status, body) VALUES (?, ?, ?, ?)
             ON CONFLICT (host) DO UPDATE SET fetched_at = excluded.fetched_at,
                status = excluded.status, body = excluded.body",
        )
        .bind(host)
        .bind(at)
        .bind(status as i64)
        .bind(body)
        .execute(&self.db)
        .await?;
        let rules = self.rules_from(status as i64, body);
        self.remember_robots(host, at, status as i64, rules.clone());
        Ok(rules)
    }

    /// RFC 9309: 2xx are the rules; 4xx (and a redirect that leads nowhere) mean
    /// "unavailable", so no rules; 5xx and unreachable mean stay out for now.
    fn rules_from(&self, status: i64, body: &str) -> RobotsRules {
        match status {
            200..=299 => RobotsRules::parse(body, &self.cfg.user_agent),
            300..=499 => RobotsRules::allow_all(),
            _ => RobotsRules::disallow_all(),
        }
    }

    /// Unreachable robots.txt is asked again sooner than good rules expire.
    fn expiry_for(&self, status: i64) -> i64 {
        let full = self.cfg.robots_max_age.as_millis() as i64;
        if (200..500).contains(&status) {
            full
        } else {
            full.min(10 * 60 * 1000)
        }
    }

    fn remember_robots(&self, host: &str, at: i64, status: i64, rules: RobotsRules) {
        let delay = rules.crawl_delay();
        self.robots.lock().expect("robots lock").insert(
            host.to_string(),
            CachedRobots {
                fetched_at: at,
                status,
                rules,
            },
        );
        // Keeps the host's rate and in-flight limit, applies the new Crawl-delay.
        self.pace
            .lock()
            .expect("pace lock")
            .set_crawl_delay(host, delay);
    }

    fn cached_crawl_delay(&self, host: &str) -> Option<Duration> {
        self.robots
            .lock()
            .expect("robots lock")
            .get(host)
            .and_then(|c| c.rules.crawl_delay())
    }

    /// Queued URLs per politeness key (`host:port`), for the metrics.
    pub async fn queued_by_host(&self) -> anyhow::Result<Vec<(String, i64)>> {
        Ok(
            db::query("SELECT host, COUNT(*) FROM urls WHERE state = 'queued' GROUP BY host")
                .fetch_all(&self.db)
                .await?,
        )
    }

    /// The IDs of every seed the database knows, active or not.
    pub async fn seed_ids(&self) -> anyhow::Result<Vec<i64>> {
        Ok(db::query("SELECT id FROM seeds").scalars(&self.db).await?)
    }

    /// Where each known seed's own URL stands, in seed order: one lookup by the queue's
    /// unique (seed, URL) key per seed, cheap enough for every status report.
    pub async fn seed_roots(&self) -> anyhow::Result<Vec<SeedRoot>> {
        let mut seeds: Vec<(i64, String, String, bool)> = self
            .seeds
            .lock()
            .expect("seeds lock")
            .iter()
            .map(|(id, s)| (*id, s.spec.label.clone(), s.spec.url.clone(), s.active))
            .collect();
        seeds.sort_by_key(|(id, ..)| *id);
        let mut out = Vec::with_capacity(seeds.len());
        for (seed_id, label, url, active) in seeds {
            // Stored as the queue stores it (see `requeue`).
            let url = Url::parse(&url).map(|u| u.to_string()).unwrap_or(url);
            let row: Option<RootRow> = db::query(
                "SELECT state, attempts, note, not_before, due_at, failed_passes FROM urls
                 WHERE seed_id = ? AND url = ?",
            )
            .bind(seed_id)
            .bind(&url)
            .fetch_optional(&self.db)
            .await?;
            let mut root = SeedRoot {
                seed_id,
                label,
                active,
                url: None,
                state: None,
                attempts: 0,
                note: None,
                next_ms: None,
                failed_passes: 0,
            };
            if let Some(row) = row {
                let state = UrlState::parse(&row.state)?;
                root.next_ms = match state {
                    UrlState::Queued | UrlState::Inflight => row.not_before,
                    _ => row.due_at,
                };
                root.url = Some(url);
                root.state = Some(state);
                root.attempts = row.attempts.clamp(0, i64::from(u32::MAX)) as u32;
                root.note = row.note;
                root.failed_passes = row.failed_passes.clamp(0, i64::from(u32::MAX)) as u32;
            }
            out.push(root);
        }
        Ok(out)
    }

    /// Counts of URLs by state, for summaries and status.
    pub async fn counts(&self) -> anyhow::Result<Vec<(UrlState, i64)>> {
        let rows: Vec<(String, i64)> =
            db::query("SELECT state, COUNT(*) FROM urls GROUP BY state ORDER BY state")
                .fetch_all(&self.db)
                .await?;
        rows.into_iter()
            .map(|(state, n)| Ok((UrlState::parse(&state)?, n)))
            .collect()
    }
}

/// Queues again the URLs of `host` an earlier holder left in flight (it died, or was cut
/// off): fetched again by the node that has just taken the host.
async fn requeue_left_in_flight(tx: &mut Tx, host: &str) -> Result<u64, sqlx::Error> {
    db::query(
        "UPDATE urls SET state = 'queued', attempts = attempts + 1
         WHERE state = 'inflight' AND host = ?",
    )
    .bind(host)
    .execute(tx)
    .await
}

/// Binds the three values of [`fenced!`] for a URL handed out as `lease`.
trait BindFence {
    fn bind_fence(self, frontier: &Frontier, lease: &Lease) -> Self;
    /// The same for a fencing token not yet in a lease.
    fn bind_fence_token(self, frontier: &Frontier, fence: i64) -> Self;
}

impl BindFence for db::Query {
    fn bind_fence(self, frontier: &Frontier, lease: &Lease) -> Self {
        self.bind_fence_token(frontier, lease.fence)
    }

    fn bind_fence_token(self, frontier: &Frontier, fence: i64) -> Self {
        match &frontier.cfg.leasing {
            None => self.bind(true).bind("").bind(0i64),
            Some(l) => self.bind(false).bind(l.node.as_str()).bind(fence),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(label: &str, url: &str, recrawl: Option<u64>) -> SeedSpec {
        SeedSpec {
            recrawl_secs: recrawl,
            rate_per_sec: 1000.0,
            max_in_flight: 100,
            ..SeedSpec::new(label, url)
        }
    }

    /// A frontier for one test, on SQLite; on PostgreSQL instead when the crate is built
    /// with the `postgres` feature and `NIGHTJAR_TEST_DATABASE=postgres` (tests/run-all.sh
    /// runs these tests both ways), each test on a cluster of its own.
    struct TestFrontier {
        frontier: Frontier,
        #[cfg(feature = "postgres")]
        _server: Option<db::testing::Postgres>,
    }

    impl std::ops::Deref for TestFrontier {
        type Target = Frontier;
        fn deref(&self) -> &Frontier {
            &self.frontier
        }
    }

    fn config() -> FrontierConfig {
        FrontierConfig {
            user_agent: "test".into(),
            traps: TrapGuard::default(),
            robots_max_age: Duration::from_secs(3600),
            adapt: Adaptation::default(),
            retire_after_gone: 2,
            seed_retry: Duration::from_secs(40),
            leasing: None,
        }
    }

    async fn frontier(dir: &std::path::Path) -> TestFrontier {
        #[cfg(feature = "postgres")]
        if std::env::var("NIGHTJAR_TEST_DATABASE").as_deref() == Ok("postgres") {
            let server = db::testing::Postgres::start();
            let url = server.create_database("frontier");
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            return TestFrontier {
                frontier: Frontier::open(Db::postgres(pool), config()).await.unwrap(),
                _server: Some(server),
            };
        }
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.join("f.db"))
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
        TestFrontier {
            frontier: Frontier::open(Db::sqlite(pool), config()).await.unwrap(),
            #[cfg(feature = "postgres")]
            _server: None,
        }
    }

    #[tokio::test]
    async fn a_pages_links_are_admitted_together_within_scope_and_budget() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let mut small = spec("s", "http://a.test/", None);
        small.max_pages = 8;
        let s = f.register_seed(&small).await.unwrap();
        assert!(f.schedule_seed(s).await.unwrap());
        let urls = |v: &[&str]| -> Vec<Url> { v.iter().map(|u| Url::parse(u).unwrap()).collect() };
        let mut tx = f.db.begin().await.unwrap();
        let page = urls(&[
            "http://a.test/1",
            "http://a.test/2",
            "http://a.test/1",
            "http://elsewhere.test/x",
            "http://a.test/",
        ]);
        // The seed URL is known, the duplicate and the out-of-scope link are not queued.
        let n = f
            .admit_links(&mut tx, s, &page, 1, None, false)
            .await
            .unwrap();
        assert_eq!(n, 2);
        // Ten more links, room for six: the budget holds exactly (1 seed URL + 2 + 5 = 8).
        let more: Vec<Url> = (10..20)
            .map(|i| Url::parse(&format!("http://a.test/{i}")).unwrap())
            .collect();
        let n = f
            .admit_links(&mut tx, s, &more, 1, None, false)
            .await
            .unwrap();
        assert_eq!(n, 5);
        tx.commit().await.unwrap();
        let count: i64 = db::query("SELECT COUNT(*) FROM urls WHERE seed_id = ?")
            .bind(s)
            .scalar(&f.db)
            .await
            .unwrap();
        assert_eq!(count, 8);
        // Every queued URL is handed out (the lanes learned of them), then nothing. The
        // host's pace (1,000 requests a second) may ask for a wait of a millisecond between
        // two leases: waited out, within a bound.
        let mut leased = std::collections::HashSet::new();
        for _ in 0..1000 {
            match f.next().await.unwrap() {
                Next::Ready(l) => {
                    assert!(leased.insert(l.url.clone()), "{} handed out twice", l.url);
                    done(&f, &l, Freshness::Unknown).await;
                }
                Next::Wait(d) => tokio::time::sleep(d.min(Duration::from_millis(50))).await,
                Next::Idle | Next::Empty => break,
            }
        }
        assert_eq!(leased.len(), 8);
    }

    #[tokio::test]
    async fn a_fast_host_is_leased_in_batches_and_what_was_kept_goes_back_at_the_stop() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        // 1,000 requests a second, 100 in flight, robots.txt not asked: a batch of MAX_BATCH.
        let s = f.register_seed(&fast("s", "http://a.test/")).await.unwrap();
        let urls: Vec<String> = (0..20).map(|i| format!("http://a.test/{i}")).collect();
        admit_all(&f, s, &urls).await;
        let first = lease(&f).await;
        assert_eq!(first.url, urls[0]);
        assert_eq!(
            in_state(&f, "inflight").await,
            MAX_BATCH as i64,
            "one statement marked a batch"
        );
        // The kept URLs come next, in the queue's order, with no more marked meanwhile.
        let mut handed = vec![first];
        for want in &urls[1..3] {
            let l = lease(&f).await;
            assert_eq!(&l.url, want);
            handed.push(l);
        }
        assert_eq!(in_state(&f, "inflight").await, MAX_BATCH as i64);
        // Stopping: the URLs kept but never handed out are queued again, unchanged.
        f.return_reserved().await.unwrap();
        assert_eq!(in_state(&f, "inflight").await, 3);
        let attempts: i64 = db::query("SELECT MAX(attempts) FROM urls WHERE state = 'queued'")
            .scalar(&f.db)
            .await
            .unwrap();
        assert_eq!(attempts, 0, "a kept URL was not an attempt");
        for l in &handed {
            done(&f, l, Freshness::Unknown).await;
        }
        // They are handed out again, each once, after the ones handed out before.
        let mut again = std::collections::HashSet::new();
        for _ in 0..17 {
            let l = lease(&f).await;
            assert!(again.insert(l.url.clone()), "{} handed out twice", l.url);
            assert!(
                !handed.iter().any(|h| h.url == l.url),
                "{} fetched twice",
                l.url
            );
            done(&f, &l, Freshness::Unknown).await;
        }
        assert_eq!(again.len(), 17);
        assert_eq!(in_state(&f, "inflight").await, 0);
    }

    #[tokio::test]
    async fn one_round_reads_and_marks_the_next_lanes_urls_together() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        // Three seeds on hosts of their own, and one more host on the first seed whose
        // robots.txt is not read yet (one URL at a time).
        let seeds = [
            f.register_seed(&fast("a", "http://a.test/")).await.unwrap(),
            f.register_seed(&fast("b", "http://b.test/")).await.unwrap(),
            f.register_seed(&fast("c", "http://c.test/")).await.unwrap(),
        ];
        let mut urls: Vec<Vec<String>> = Vec::new();
        for (seed, host) in seeds.iter().zip(["a", "b", "c"]) {
            let mine: Vec<String> = (0..12).map(|i| format!("http://{host}.test/{i}")).collect();
            admit_all(&f, *seed, &mine).await;
            urls.push(mine);
        }
        let polite = f
            .register_seed(&spec("d", "http://d.test/", None))
            .await
            .unwrap();
        admit_all(&f, polite, &["http://d.test/1".to_string()]).await;
        let first = lease(&f).await;
        // One lease marked the batches of every ready lane: MAX_BATCH for each fast host,
        // one for the host whose robots.txt is unread.
        assert_eq!(in_state(&f, "inflight").await, 3 * MAX_BATCH as i64 + 1);
        // Every URL is handed out once, each lane's in its queue order, by this round and
        // the next ones (how many more depends on when each lane's turn comes: a lane that
        // looked empty is looked at again 200 ms later, and its round fills the others).
        let mut handed: HashMap<String, Vec<String>> = HashMap::new();
        handed
            .entry(first.host.clone())
            .or_default()
            .push(first.url);
        for _ in 1..(3 * 12 + 1) {
            let l = lease(&f).await;
            handed.entry(l.host.clone()).or_default().push(l.url);
        }
        for (i, host) in ["a.test:80", "b.test:80", "c.test:80"].iter().enumerate() {
            assert_eq!(handed[*host], urls[i], "{host}");
        }
        assert_eq!(handed["d.test:80"], ["http://d.test/1"]);
        assert_eq!(in_state(&f, "inflight").await, 3 * 12 + 1, "none left kept");
        assert_eq!(in_state(&f, "queued").await, 0);
    }

    #[tokio::test]
    async fn a_round_marks_nothing_for_a_held_host() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        for host in ["a", "b"] {
            let s = f
                .register_seed(&fast(host, &format!("http://{host}.test/")))
                .await
                .unwrap();
            let urls: Vec<String> = (0..20).map(|i| format!("http://{host}.test/{i}")).collect();
            admit_all(&f, s, &urls).await;
        }
        // A first round: both hosts' batches, handed out.
        for _ in 0..2 * MAX_BATCH {
            lease(&f).await;
        }
        assert_eq!(in_state(&f, "inflight").await, 2 * MAX_BATCH as i64);
        // b asks us to wait: the next round takes a's batch only, whichever lane is first.
        f.hold_host("b.test:80", Duration::from_secs(60));
        let l = lease(&f).await;
        assert_eq!(l.host, "a.test:80");
        assert_eq!(in_state(&f, "inflight").await, 3 * MAX_BATCH as i64);
    }

    /// A fast seed that does not ask robots.txt: its hosts are leased in batches.
    fn fast(label: &str, url: &str) -> SeedSpec {
        SeedSpec {
            robots: crate::seed::RobotsPolicy::Ignore,
            ..spec(label, url, None)
        }
    }

    #[tokio::test]
    async fn a_host_given_up_takes_its_kept_urls_with_it_and_a_fast_host_asks_robots_first() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let s = f.register_seed(&fast("s", "http://a.test/")).await.unwrap();
        let urls: Vec<String> = (0..6).map(|i| format!("http://a.test/{i}")).collect();
        admit_all(&f, s, &urls).await;
        let first = lease(&f).await;
        assert_eq!(in_state(&f, "inflight").await, 6);
        // The site is down too long: what is queued and what was kept fail for the pass;
        // only the lease in hand stays in flight, and nothing more is handed out.
        assert_eq!(f.give_up_host(&first, "site down").await.unwrap(), 5);
        assert_eq!(in_state(&f, "failed").await, 5);
        assert_eq!(in_state(&f, "inflight").await, 1);
        f.release_host(&first.host);
        assert!(!matches!(f.next().await.unwrap(), Next::Ready(_)));

        // The same rate, obeying robots.txt: one URL until the host's robots.txt is read.
        let polite = f
            .register_seed(&spec("p", "http://b.test/", None))
            .await
            .unwrap();
        admit_all(
            &f,
            polite,
            &["http://b.test/1".into(), "http://b.test/2".into()],
        )
        .await;
        let l = lease(&f).await;
        assert_eq!(l.host, "b.test:80");
        assert_eq!(
            in_state(&f, "inflight").await,
            2,
            "the first lease and b's one"
        );
    }

    #[tokio::test]
    async fn a_host_paced_at_one_request_a_second_is_leased_one_url_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let slow = SeedSpec {
            rate_per_sec: 1.0,
            max_in_flight: 1,
            ..SeedSpec::new("slow", "http://b.test/")
        };
        let s = f.register_seed(&slow).await.unwrap();
        admit_all(&f, s, &["http://b.test/1".into(), "http://b.test/2".into()]).await;
        let Next::Ready(_) = f.next().await.unwrap() else {
            panic!("the host's first request waits for nothing");
        };
        assert_eq!(in_state(&f, "inflight").await, 1);
    }

    #[tokio::test]
    async fn kept_urls_of_a_seed_paused_meanwhile_go_back_to_the_queue() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let s = f.register_seed(&fast("s", "http://a.test/")).await.unwrap();
        let urls: Vec<String> = (0..4).map(|i| format!("http://a.test/{i}")).collect();
        admit_all(&f, s, &urls).await;
        let first = lease(&f).await;
        f.release_host(&first.host);
        f.deactivate_seed(s);
        // Its lane is dropped at its next turn, and what it kept is queued again.
        assert!(!matches!(f.next().await.unwrap(), Next::Ready(_)));
        assert_eq!(in_state(&f, "queued").await, 3);
        f.reactivate_seed(s);
        let next = lease(&f).await;
        assert_eq!(next.url, urls[1]);
    }

    #[tokio::test]
    async fn a_changed_page_revives_the_retired_urls_it_links_to() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let s = f
            .register_seed(&spec("s", "http://a.test/", None))
            .await
            .unwrap();
        admit_all(&f, s, &["http://a.test/gone".to_string()]).await;
        db::query("UPDATE urls SET state = 'retired' WHERE url = 'http://a.test/gone'")
            .execute(&f.db)
            .await
            .unwrap();
        let link = [Url::parse("http://a.test/gone").unwrap()];
        let mut tx = f.db.begin().await.unwrap();
        f.admit_links(&mut tx, s, &link, 1, None, false)
            .await
            .unwrap();
        let state: String = db::query("SELECT state FROM urls WHERE url = ?")
            .bind(link[0].as_str())
            .scalar(&mut tx)
            .await
            .unwrap();
        assert_eq!(state, "retired", "an unchanged page does not revive");
        f.admit_links(&mut tx, s, &link, 1, None, true)
            .await
            .unwrap();
        let state: String = db::query("SELECT state FROM urls WHERE url = ?")
            .bind(link[0].as_str())
            .scalar(&mut tx)
            .await
            .unwrap();
        assert_eq!(state, "queued");
        tx.commit().await.unwrap();
    }

    async fn admit_all(f: &Frontier, seed: i64, urls: &[String]) {
        let mut tx = f.db.begin().await.unwrap();
        for u in urls {
            let a = f
                .admit(&mut tx, seed, &Url::parse(u).unwrap(), 1, 0, None)
                .await
                .unwrap();
            assert_eq!(a, Admission::Queued, "{u}");
        }
        tx.commit().await.unwrap();
    }

    /// How many URLs are in `state`.
    async fn in_state(f: &Frontier, state: &str) -> i64 {
        db::query("SELECT COUNT(*) FROM urls WHERE state = ?")
            .bind(state)
            .scalar(&f.db)
            .await
            .unwrap()
    }

    /// The next lease; a wait of a few milliseconds for the host's pace (1,000 requests a
    /// second in these tests) is waited out, anything longer is a failure.
    async fn lease(f: &Frontier) -> Lease {
        for _ in 0..20 {
            match f.next().await.unwrap() {
                Next::Ready(l) => return *l,
                Next::Wait(d) if d <= Duration::from_millis(5) => tokio::time::sleep(d).await,
                other => panic!("expected a lease, got {other:?}"),
            }
        }
        panic!("no lease after 20 short waits")
    }

    async fn done(f: &Frontier, l: &Lease, freshness: Freshness) {
        let mut tx = f.db.begin().await.unwrap();
        f.complete(&mut tx, l, Finished::Done, None, freshness)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        f.release_host(&l.host);
    }

    /// Node `name` of a frontier shared on the PostgreSQL database at `url`.
    #[cfg(feature = "postgres")]
    async fn node_on(url: &str, name: &str, period: Duration, max_hosts: usize) -> Frontier {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let mut cfg = config();
        cfg.leasing = Some(crate::leases::Leasing {
            node: name.to_string(),
            period,
            max_hosts,
        });
        Frontier::open(Db::postgres(pool), cfg).await.unwrap()
    }

    /// Two nodes on one PostgreSQL frontier (issue 20): each fetches only from the hosts it
    /// holds; when one stops renewing (it died), the other takes its hosts once the leases
    /// run out, fetches again the URL it had in flight, and the dead node's late write is
    /// refused by the fence.
    #[cfg(feature = "postgres")]
    #[tokio::test]
    async fn nodes_fetch_only_their_hosts_and_take_over_a_dead_nodes_hosts() {
        let server = db::testing::Postgres::start();
        let url = server.create_database("leases");
        let period = Duration::from_millis(1500);
        let a = node_on(&url, "a", period, 2).await;
        let b = node_on(&url, "b", period, 4).await;
        let seed = spec("s", "http://site.test/", None);
        let s = a.register_seed(&seed).await.unwrap();
        assert_eq!(b.register_seed(&seed).await.unwrap(), s);
        let urls: Vec<String> = (0..4)
            .flat_map(|h| (0..3).map(move |p| format!("http://h{h}.site.test/{p}")))
            .collect();
        admit_all(&a, s, &urls).await;

        // Nobody holds anything yet: nothing is handed out (asking takes leases).
        assert!(!matches!(a.next().await.unwrap(), Next::Ready(_)));
        let ra = a.lease_round().await.unwrap();
        let rb = b.lease_round().await.unwrap();
        assert_eq!((ra.held, rb.taken), (2, 2), "{ra:?} {rb:?}");
        let held = |f: &Frontier| -> std::collections::BTreeSet<String> {
            f.held.lock().unwrap().hosts.keys().cloned().collect()
        };
        let (ha, hb) = (held(&a), held(&b));
        assert!(ha.is_disjoint(&hb), "{ha:?} {hb:?}");

        // Node a fetches one URL of its hosts and dies with a second one in flight.
        let first = lease(&a).await;
        assert!(ha.contains(&first.host), "{} is not a's", first.host);
        done(&a, &first, Freshness::Unknown).await;
        let in_flight = lease(&a).await;
        assert!(ha.contains(&in_flight.host));

        // What a left in flight: the URL handed out, and those its batches kept.
        let left: i64 = db::query("SELECT COUNT(*) FROM urls WHERE state = 'inflight'")
            .scalar(&b.db)
            .await
            .unwrap();
        assert!(left >= 1);
        // Node b, renewing, takes a's hosts once their leases have run out.
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(
            b.lease_round().await.unwrap().taken,
            0,
            "a's leases still run"
        );
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let rb = b.lease_round().await.unwrap();
        assert_eq!(
            (rb.taken, rb.requeued, rb.held),
            (2, left as u64, 4),
            "{rb:?}"
        );

        // a's late write is refused, and a hands out nothing more.
        let mut tx = a.db.begin().await.unwrap();
        let late = a
            .complete(
                &mut tx,
                &in_flight,
                Finished::Done,
                None,
                Freshness::Unknown,
            )
            .await;
        assert!(late.is_err(), "a dead node's write went through");
        drop(tx);
        assert!(!matches!(a.next().await.unwrap(), Next::Ready(_)));

        // b fetches everything else, the URL a had in flight included, each once.
        let mut fetched = vec![first.url.clone()];
        for _ in 0..200 {
            match b.next().await.unwrap() {
                Next::Ready(l) => {
                    done(&b, &l, Freshness::Unknown).await;
                    fetched.push(l.url.clone());
                }
                Next::Wait(d) => tokio::time::sleep(d.min(Duration::from_millis(50))).await,
                Next::Idle | Next::Empty => break,
            }
        }
        fetched.sort();
        let mut all = urls.clone();
        all.sort();
        assert_eq!(fetched, all);
        // With nothing left, b lets its hosts go.
        assert_eq!(b.lease_round().await.unwrap().held, 0);
    }

    /// A host two nodes' seed lists share: the holder lets it go once its own seeds have
    /// nothing left there, though the other node's seed still has, and that node takes it.
    #[cfg(feature = "postgres")]
    #[tokio::test]
    async fn a_host_is_let_go_when_the_holders_own_seeds_are_done_there() {
        let server = db::testing::Postgres::start();
        let url = server.create_database("shared_host");
        let period = Duration::from_secs(60);
        let a = node_on(&url, "a", period, 4).await;
        let b = node_on(&url, "b", period, 4).await;
        let sa = a
            .register_seed(&spec("sa", "http://shared.test/a/", None))
            .await
            .unwrap();
        let sb = b
            .register_seed(&spec("sb", "http://shared.test/b/", None))
            .await
            .unwrap();
        admit_all(&a, sa, &["http://shared.test/a/1".to_string()]).await;
        admit_all(&b, sb, &["http://shared.test/b/1".to_string()]).await;
        assert_eq!(a.lease_round().await.unwrap().taken, 1);
        assert_eq!(b.lease_round().await.unwrap().taken, 0, "a holds the host");
        let l = lease(&a).await;
        assert_eq!(l.url, "http://shared.test/a/1");
        done(&a, &l, Freshness::Unknown).await;
        // Nothing of a's seeds is left on the host: a lets it go, b's seed still has a page.
        assert_eq!(a.lease_round().await.unwrap().released, 1);
        assert_eq!(b.lease_round().await.unwrap().taken, 1);
        assert_eq!(lease(&b).await.url, "http://shared.test/b/1");
    }

    /// Crash recovery on a shared frontier: a restarted node records the progress of a URL
    /// it archived before it died under the host's lease, taken again for the purpose; while
    /// another node holds that host, it leaves the URL to the holder.
    #[cfg(feature = "postgres")]
    #[tokio::test]
    async fn a_restarted_node_recovers_its_capture_under_the_hosts_lease_or_leaves_it() {
        let server = db::testing::Postgres::start();
        let url = server.create_database("recovery");
        let period = Duration::from_secs(60);
        let seed = spec("s", "http://site.test/", None);
        let a = node_on(&url, "a", period, 4).await;
        let s = a.register_seed(&seed).await.unwrap();
        let urls = ["http://one.site.test/", "http://two.site.test/"].map(String::from);
        admit_all(&a, s, &urls).await;
        a.lease_round().await.unwrap();
        let first = lease(&a).await;
        let second = lease(&a).await;
        // Node a dies with both in flight (archived, not yet recorded); it comes back.
        drop(a);
        let a = node_on(&url, "a", period, 4).await;
        a.register_seed(&seed).await.unwrap();
        let back = a
            .lease_for("s", &first.url, first.round)
            .await
            .unwrap()
            .expect("the host is free again: a takes its lease back");
        assert!(back.fence > first.fence, "a new token: {back:?}");
        let mut tx = a.db.begin().await.unwrap();
        a.complete(&mut tx, &back, Finished::Done, None, Freshness::Unknown)
            .await
            .expect("recorded under the lease taken for it");
        tx.commit().await.unwrap();
        // Meanwhile node b took the other host: a records nothing for it.
        let b = node_on(&url, "b", period, 4).await;
        b.register_seed(&seed).await.unwrap();
        assert_eq!(b.lease_round().await.unwrap().taken, 1);
        assert!(
            a.lease_for("s", &second.url, second.round)
                .await
                .unwrap()
                .is_none(),
            "b holds {}",
            second.host
        );
        let l = lease(&b).await;
        assert_eq!(l.url, second.url, "b fetches it itself");
    }

    #[tokio::test]
    async fn a_small_seed_is_not_starved_by_a_large_one() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let big = f
            .register_seed(&spec("big", "http://big.test/", None))
            .await
            .unwrap();
        let small = f
            .register_seed(&spec("small", "http://small.test/", None))
            .await
            .unwrap();
        // The large seed queued first: 300 pages over 10 hosts of its domain.
        let big_urls: Vec<String> = (0..300)
            .map(|i| format!("http://h{}.big.test/p{i}", i % 10))
            .collect();
        admit_all(&f, big, &big_urls).await;
        let small_urls: Vec<String> = (0..3).map(|i| format!("http://small.test/p{i}")).collect();
        admit_all(&f, small, &small_urls).await;
        let mut order = Vec::new();
        for _ in 0..8 {
            let l = lease(&f).await;
            order.push(l.seed.label.clone());
            done(&f, &l, Freshness::Unknown).await;
        }
        // Seeds take turns: the small seed's three pages are among the first six.
        let small_served = order[..6].iter().filter(|s| *s == "small").count();
        assert_eq!(small_served, 3, "{order:?}");
    }

    #[tokio::test]
    async fn a_seed_slowed_down_and_sped_up_again_paces_its_hosts_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let mut slow = spec("s", "http://a.test/", None);
        slow.rate_per_sec = 0.01;
        slow.max_in_flight = 1;
        let s = f.register_seed(&slow).await.unwrap();
        let urls: Vec<String> = (0..3).map(|i| format!("http://a.test/{i}")).collect();
        admit_all(&f, s, &urls).await;
        let l = lease(&f).await;
        done(&f, &l, Freshness::Unknown).await;
        // One request per 100 s: the next must wait.
        assert!(matches!(f.next().await.unwrap(), Next::Wait(d) if d > Duration::from_secs(60)));
        // The operator speeds the seed up (a reload): the host follows without a restart.
        f.register_seed(&spec("s", "http://a.test/", None))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        let l = lease(&f).await;
        done(&f, &l, Freshness::Unknown).await;
    }

    #[tokio::test]
    async fn hosts_of_a_seed_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let s = f
            .register_seed(&spec("s", "http://a.test/", None))
            .await
            .unwrap();
        let mut urls: Vec<String> = (0..50).map(|i| format!("http://x.a.test/{i}")).collect();
        urls.push("http://y.a.test/1".into());
        admit_all(&f, s, &urls).await;
        let first: Vec<String> = {
            let mut v = Vec::new();
            for _ in 0..2 {
                let l = lease(&f).await;
                v.push(l.host.clone());
                done(&f, &l, Freshness::Unknown).await;
            }
            v
        };
        assert!(first.contains(&"y.a.test:80".to_string()), "{first:?}");
    }

    #[tokio::test]
    async fn pages_come_due_on_their_own_schedule_and_a_recovered_host_is_reprobed_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let s = f
            .register_seed(&spec("s", "http://a.test/", Some(3600)))
            .await
            .unwrap();
        assert!(f.schedule_seed(s).await.unwrap());
        let seed_lease = lease(&f).await;
        assert!(seed_lease.is_seed_url());
        admit_all(&f, s, &["http://a.test/page".to_string()]).await;
        done(&f, &seed_lease, Freshness::Changed).await;
        let page = lease(&f).await;
        done(&f, &page, Freshness::Changed).await;
        let rows: Vec<(String, i64, i64)> =
            db::query("SELECT url, interval_secs, due_at - ? FROM urls ORDER BY id")
                .bind(now_ms())
                .fetch_all(&f.db)
                .await
                .unwrap();
        assert_eq!(rows[0].1, 3600, "the seed URL keeps the seed's interval");
        assert_eq!(rows[1].1, 1800, "a changed page comes back sooner");
        assert!((1_700_000..=1_800_000).contains(&rows[1].2), "{rows:?}");
        // Nothing is due yet, so nothing is queued; once due, the schedule requeues it.
        f.finish_cycles().await.unwrap();
        assert!(!f.schedule_seed(s).await.unwrap());
        db::query("UPDATE urls SET due_at = 0 WHERE url = 'http://a.test/page'")
            .execute(&f.db)
            .await
            .unwrap();
        assert!(f.schedule_seed(s).await.unwrap());
        let again = lease(&f).await;
        assert_eq!((again.url.as_str(), again.round), ("http://a.test/page", 2));

        // The host goes down: the page waits with a growing hold…
        let hold = f.host_down(&again.host, Duration::from_secs(60));
        assert!(hold >= Duration::from_secs(48), "{hold:?}");
        f.retry(&again, hold, "connection refused").await.unwrap();
        f.release_host(&again.host);
        assert!(matches!(f.next().await.unwrap(), Next::Wait(_)));
        // …and answers again (another page of it was fetched): it is due at once.
        f.host_up(&again.host).await.unwrap();
        let back = lease(&f).await;
        assert_eq!(back.url, "http://a.test/page");
    }

    async fn finish(f: &Frontier, l: &Lease, how: Finished) {
        let mut tx = f.db.begin().await.unwrap();
        f.complete(&mut tx, l, how, Some("down"), Freshness::Unknown)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        f.release_host(&l.host);
    }

    #[tokio::test]
    async fn pages_that_failed_in_an_outage_are_fetched_again_once_the_seed_answers() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let s = f
            .register_seed(&spec("s", "http://a.test/", Some(86_400)))
            .await
            .unwrap();
        assert!(f.schedule_seed(s).await.unwrap());
        let root = lease(&f).await;
        admit_all(&f, s, &["http://a.test/page".to_string()]).await;
        done(&f, &root, Freshness::Changed).await;
        let page = lease(&f).await;
        done(&f, &page, Freshness::Changed).await;
        f.finish_cycles().await.unwrap();
        // The next pass: the site is down, the seed URL and the page fail.
        f.restart_seed(s).await.unwrap();
        for _ in 0..2 {
            let l = lease(&f).await;
            finish(&f, &l, Finished::Unreachable).await;
        }
        f.finish_cycles().await.unwrap();
        assert!(!f.pass_unfinished(s).await.unwrap());
        let due_in = |url: &'static str| {
            let f = &f;
            async move {
                db::query("SELECT due_at - ? FROM urls WHERE url = ?")
                    .bind(now_ms())
                    .bind(url)
                    .scalar::<i64>(&f.db)
                    .await
                    .unwrap()
            }
        };
        assert!(
            due_in("http://a.test/").await <= 40_000,
            "the seed URL is retried soon"
        );
        assert!(
            due_in("http://a.test/page").await > 3_600_000,
            "the page waits"
        );
        // The seed URL's retry comes due and fails again: the page still waits.
        db::query("UPDATE urls SET due_at = 0 WHERE url = 'http://a.test/'")
            .execute(&f.db)
            .await
            .unwrap();
        assert!(f.schedule_seed(s).await.unwrap());
        let retry = lease(&f).await;
        assert_eq!(retry.url, "http://a.test/");
        finish(&f, &retry, Finished::Unreachable).await;
        assert!(matches!(
            f.next().await.unwrap(),
            Next::Empty | Next::Idle | Next::Wait(_)
        ));
        f.finish_cycles().await.unwrap();
        // The next retry gets an answer: the page that failed is queued again at once.
        db::query("UPDATE urls SET due_at = 0 WHERE url = 'http://a.test/'")
            .execute(&f.db)
            .await
            .unwrap();
        assert!(f.schedule_seed(s).await.unwrap());
        let back = lease(&f).await;
        assert_eq!(
            (back.url.as_str(), back.failed_passes),
            ("http://a.test/", 2)
        );
        done(&f, &back, Freshness::Unchanged).await;
        let page = lease(&f).await;
        assert_eq!(page.url, "http://a.test/page");
        done(&f, &page, Freshness::Unchanged).await;
        // Nothing else: a seed URL that never failed requeues nothing.
        assert!(!matches!(f.next().await.unwrap(), Next::Ready(_)));
    }

    #[tokio::test]
    async fn a_changed_schedule_reaches_pages_already_known() {
        let dir = tempfile::tempdir().unwrap();
        let f = frontier(dir.path()).await;
        let s = f
            .register_seed(&spec("s", "http://a.test/", None))
            .await
            .unwrap();
        assert!(f.schedule_seed(s).await.unwrap());
        let l = lease(&f).await;
        done(&f, &l, Freshness::Unknown).await;
        f.finish_cycles().await.unwrap();
        assert!(
            !f.schedule_seed(s).await.unwrap(),
            "crawl once: nothing due"
        );
        // The operator turns on a daily recrawl: the pages crawled once are due at once.
        f.register_seed(&spec("s", "http://a.test/", Some(86_400)))
            .await
            .unwrap();
        assert!(f.schedule_seed(s).await.unwrap());
        assert_eq!(lease(&f).await.round, 2);
    }
}
