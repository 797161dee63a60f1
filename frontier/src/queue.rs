//! The crawl queue, persisted in the database.
//!
//! Every URL a seed reaches is a row keyed by (seed, URL). A row remembers the crawl cycle it
//! was last queued in, so "seen" means "seen in this cycle": a recrawl re-queues the row
//! instead of adding a new one, and nothing is fetched twice within one cycle. Rows in flight
//! when the process dies go back to the queue on the next start. The statements are plain
//! SQL that PostgreSQL also accepts (upsert with `ON CONFLICT`, no SQLite-only columns).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use sqlx::{Row, SqliteConnection, SqlitePool};
use url::Url;

use crate::politeness::{Gate, Politeness};
use crate::robots::RobotsRules;
use crate::scope::{Scope, TrapGuard, TrapReason};
use crate::seed::SeedSpec;

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS seeds (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        spec TEXT NOT NULL,
        cycle INTEGER NOT NULL DEFAULT 0,
        cycle_started INTEGER,
        cycle_finished INTEGER
    )",
    "CREATE TABLE IF NOT EXISTS urls (
        id INTEGER PRIMARY KEY,
        seed_id INTEGER NOT NULL REFERENCES seeds(id),
        url TEXT NOT NULL,
        host TEXT NOT NULL,
        depth INTEGER NOT NULL,
        hops INTEGER NOT NULL DEFAULT 0,
        cycle INTEGER NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER,
        via TEXT,
        note TEXT,
        UNIQUE (seed_id, url)
    )",
    "CREATE INDEX IF NOT EXISTS urls_queue ON urls(state, host, id)",
    "CREATE INDEX IF NOT EXISTS urls_cycle ON urls(seed_id, cycle)",
    "CREATE TABLE IF NOT EXISTS robots (
        host TEXT PRIMARY KEY,
        fetched_at INTEGER NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL
    )",
];

/// Frontier-wide settings.
#[derive(Clone, Debug)]
pub struct FrontierConfig {
    /// The crawler's User-Agent (its product token selects robots.txt groups).
    pub user_agent: String,
    /// Trap guards applied to every URL.
    pub traps: TrapGuard,
    /// How long fetched robots.txt rules stay valid.
    pub robots_max_age: Duration,
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
    /// Crawl cycle.
    pub cycle: i64,
    /// Earlier failed attempts.
    pub attempts: u32,
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

/// What happened to a URL offered to the queue.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    /// Queued for this cycle.
    Queued,
    /// Already queued or fetched in this cycle.
    Seen,
    /// Outside the seed's scope.
    OutOfScope,
    /// Beyond the seed's depth.
    TooDeep,
    /// The seed's page budget for this cycle is spent.
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
}

/// The queue plus the in-memory state that paces it.
pub struct Frontier {
    pool: SqlitePool,
    cfg: FrontierConfig,
    seeds: Mutex<HashMap<i64, SeedRuntime>>,
    pace: Mutex<Politeness>,
    robots: Mutex<HashMap<String, CachedRobots>>,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
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
    /// Opens the queue: creates tables and puts URLs left in flight back in the queue.
    pub async fn open(pool: SqlitePool, cfg: FrontierConfig) -> anyhow::Result<Frontier> {
        for stmt in SCHEMA {
            sqlx::query(*stmt).execute(&pool).await?;
        }
        // An interrupted fetch counts as an attempt, so a URL that kills the process every
        // time cannot loop forever.
        let resumed = sqlx::query(
            "UPDATE urls SET state = 'queued', attempts = attempts + 1 WHERE state = 'inflight'",
        )
        .execute(&pool)
        .await?
        .rows_affected();
        if resumed > 0 {
            tracing::info!(
                resumed,
                "URLs that were in flight when nightjar stopped are queued again"
            );
        }
        let mut seeds = HashMap::new();
        for row in sqlx::query("SELECT id, spec FROM seeds")
            .fetch_all(&pool)
            .await?
        {
            let id: i64 = row.get(0);
            let spec: SeedSpec = serde_json::from_str(row.get::<&str, _>(1))?;
            let seed_url = Url::parse(&spec.url)?;
            let scope = Scope::new(spec.scope, &seed_url, &spec.include, &spec.exclude)?;
            seeds.insert(
                id,
                SeedRuntime {
                    spec,
                    scope,
                    active: false,
                },
            );
        }
        Ok(Frontier {
            pool,
            cfg,
            seeds: Mutex::new(seeds),
            pace: Mutex::new(Politeness::default()),
            robots: Mutex::new(HashMap::new()),
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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO seeds (label, url, spec) VALUES (?, ?, ?)
             ON CONFLICT (label) DO UPDATE SET url = excluded.url, spec = excluded.spec
             RETURNING id",
        )
        .bind(&spec.label)
        .bind(&spec.url)
        .bind(json)
        .fetch_one(&self.pool)
        .await?;
        self.seeds.lock().expect("seeds lock").insert(
            id,
            SeedRuntime {
                spec: spec.clone(),
                scope,
                active: true,
            },
        );
        Ok(id)
    }

    /// Starts the seed's first cycle, resumes an unfinished one, or starts the next one when
    /// its recrawl interval has passed. Returns true when the seed has work in a cycle.
    pub async fn schedule_seed(&self, seed_id: i64) -> anyhow::Result<bool> {
        let row = sqlx::query("SELECT cycle, cycle_finished FROM seeds WHERE id = ?")
            .bind(seed_id)
            .fetch_one(&self.pool)
            .await?;
        let cycle: i64 = row.get(0);
        let finished: Option<i64> = row.get(1);
        let spec = self.spec(seed_id)?;
        let due = match (cycle, finished) {
            (0, _) => true,
            (_, None) => return Ok(true), // unfinished: resume
            (_, Some(at)) => match spec.recrawl() {
                Some(every) => now_ms() >= at + every.as_millis() as i64,
                None => false,
            },
        };
        if !due {
            return Ok(false);
        }
        let mut tx = self.pool.begin().await?;
        let cycle: i64 = sqlx::query_scalar(
            "UPDATE seeds SET cycle = cycle + 1, cycle_started = ?, cycle_finished = NULL
             WHERE id = ? RETURNING cycle",
        )
        .bind(now_ms())
        .bind(seed_id)
        .fetch_one(&mut *tx)
        .await?;
        let url = Url::parse(&spec.url)?;
        self.admit(&mut tx, seed_id, cycle, &url, 0, 0, None)
            .await?;
        tx.commit().await?;
        tracing::info!(seed = %spec.label, cycle, "crawl cycle started");
        Ok(true)
    }

    /// Starts a new cycle now, whatever the schedule says.
    pub async fn restart_seed(&self, seed_id: i64) -> anyhow::Result<()> {
        sqlx::query("UPDATE seeds SET cycle_finished = 0 WHERE id = ? AND cycle > 0")
            .bind(seed_id)
            .execute(&self.pool)
            .await?;
        let spec = self.spec(seed_id)?;
        let mut forced = spec.clone();
        forced.recrawl_secs = Some(0);
        self.seeds
            .lock()
            .expect("seeds lock")
            .get_mut(&seed_id)
            .expect("seed")
            .spec = forced;
        let r = self.schedule_seed(seed_id).await;
        self.seeds
            .lock()
            .expect("seeds lock")
            .get_mut(&seed_id)
            .expect("seed")
            .spec = spec;
        r.map(|_| ())
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

    /// Offers a URL to a seed's queue for `cycle`.
    #[allow(clippy::too_many_arguments)]
    pub async fn admit(
        &self,
        conn: &mut SqliteConnection,
        seed_id: i64,
        cycle: i64,
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
            if hops == 0 && !seed.scope.contains(url) {
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
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT cycle FROM urls WHERE seed_id = ? AND url = ?")
                .bind(seed_id)
                .bind(url.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_some_and(|c| c >= cycle) {
            return Ok(Admission::Seen);
        }
        let used: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM urls WHERE seed_id = ? AND cycle = ?")
                .bind(seed_id)
                .bind(cycle)
                .fetch_one(&mut *conn)
                .await?;
        if used as u64 >= max_pages {
            return Ok(Admission::OverBudget);
        }
        sqlx::query(
            "INSERT INTO urls (seed_id, url, host, depth, hops, cycle, state, via)
             VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)
             ON CONFLICT (seed_id, url) DO UPDATE SET
                cycle = excluded.cycle, state = 'queued', depth = excluded.depth,
                hops = excluded.hops, attempts = 0, not_before = NULL, via = excluded.via,
                note = NULL
             WHERE urls.cycle < excluded.cycle",
        )
        .bind(seed_id)
        .bind(url.as_str())
        .bind(host_key(url))
        .bind(depth as i64)
        .bind(hops as i64)
        .bind(cycle)
        .bind(via)
        .execute(&mut *conn)
        .await?;
        Ok(Admission::Queued)
    }

    /// Hands out the next URL whose host may be sent a request now.
    pub async fn next(&self) -> anyhow::Result<Next> {
        let now = now_ms();
        let active = self.active_seeds_sql();
        // The only dynamic part is a list of integer seed IDs (see `active_seeds_sql`).
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT u.id, u.seed_id, u.url, u.host, u.depth, u.hops, u.cycle, u.attempts
             FROM urls u JOIN (
                SELECT MIN(id) AS id FROM urls
                WHERE state = 'queued' AND (not_before IS NULL OR not_before <= ?) AND {active}
                GROUP BY host
             ) m ON u.id = m.id
             ORDER BY u.id"
        )))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let mut soonest: Option<Duration> = None;
        let mut chosen = None;
        {
            let mut pace = self.pace.lock().expect("pace lock");
            let seeds = self.seeds.lock().expect("seeds lock");
            for row in &rows {
                let host: String = row.get("host");
                let seed_id: i64 = row.get("seed_id");
                let Some(seed) = seeds.get(&seed_id) else {
                    continue;
                };
                // Seeds sharing a host share its pacing: the strictest of their settings.
                let delay = self.cached_crawl_delay(&host);
                pace.tighten(
                    &host,
                    seed.spec.rate_per_sec,
                    seed.spec.max_in_flight,
                    delay,
                );
                match pace.try_acquire(&host) {
                    Gate::Open => {
                        chosen = Some(Lease {
                            id: row.get("id"),
                            seed_id,
                            seed: seed.spec.clone(),
                            url: row.get("url"),
                            host,
                            depth: row.get::<i64, _>("depth") as u32,
                            hops: row.get::<i64, _>("hops") as u32,
                            cycle: row.get("cycle"),
                            attempts: row.get::<i64, _>("attempts") as u32,
                        });
                        break;
                    }
                    Gate::Busy => {}
                    Gate::Wait(d) => soonest = Some(soonest.map_or(d, |s| s.min(d))),
                }
            }
        }
        if let Some(lease) = chosen {
            let marked = sqlx::query("UPDATE urls SET state = 'inflight' WHERE id = ?")
                .bind(lease.id)
                .execute(&self.pool)
                .await;
            if let Err(e) = marked {
                self.release_host(&lease.host);
                return Err(e.into());
            }
            return Ok(Next::Ready(Box::new(lease)));
        }
        if let Some(d) = soonest {
            return Ok(Next::Wait(d));
        }
        if !rows.is_empty() {
            // Every candidate host is busy: a finishing fetch will free one.
            return Ok(Next::Wait(Duration::from_millis(250)));
        }
        let later: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT MIN(not_before) FROM urls WHERE state = 'queued' AND {active}"
        )))
        .fetch_one(&self.pool)
        .await?;
        if let Some(at) = later {
            return Ok(Next::Wait(Duration::from_millis((at - now).max(1) as u64)));
        }
        let inflight: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM urls WHERE state = 'inflight' AND {active}"
        )))
        .fetch_one(&self.pool)
        .await?;
        Ok(if inflight > 0 {
            Next::Idle
        } else {
            Next::Empty
        })
    }

    /// The lease of a URL still queued or in flight in `cycle` of the seed labelled
    /// `label` (crash recovery: a capture archived but not yet recorded as done).
    pub async fn lease_for(
        &self,
        label: &str,
        url: &str,
        cycle: i64,
    ) -> anyhow::Result<Option<Lease>> {
        let row = sqlx::query(
            "SELECT u.id, u.seed_id, u.url, u.host, u.depth, u.hops, u.cycle, u.attempts
             FROM urls u JOIN seeds s ON s.id = u.seed_id
             WHERE s.label = ? AND u.url = ? AND u.cycle = ? AND u.state IN ('queued', 'inflight')",
        )
        .bind(label)
        .bind(url)
        .bind(cycle)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let seed_id: i64 = row.get("seed_id");
        let Ok(seed) = self.spec(seed_id) else {
            return Ok(None);
        };
        Ok(Some(Lease {
            id: row.get("id"),
            seed_id,
            seed,
            url: row.get("url"),
            host: row.get("host"),
            depth: row.get::<i64, _>("depth") as u32,
            hops: row.get::<i64, _>("hops") as u32,
            cycle: row.get("cycle"),
            attempts: row.get::<i64, _>("attempts") as u32,
        }))
    }

    /// Marks a leased URL fetched (`note` says how, e.g. a failure that will not be retried).
    pub async fn complete(
        &self,
        conn: &mut SqliteConnection,
        lease: &Lease,
        state: &str,
        note: Option<&str>,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE urls SET state = ?, note = ?, attempts = attempts + 1 WHERE id = ?")
            .bind(state)
            .bind(note)
            .bind(lease.id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Puts a leased URL back to be tried again after `after`.
    pub async fn retry(&self, lease: &Lease, after: Duration, note: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE urls SET state = 'queued', attempts = attempts + 1, not_before = ?, note = ?
             WHERE id = ?",
        )
        .bind(now_ms() + after.as_millis() as i64)
        .bind(note)
        .bind(lease.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Puts a leased URL back to wait `after`, without counting an attempt.
    pub async fn defer(&self, lease: &Lease, after: Duration) -> anyhow::Result<()> {
        sqlx::query("UPDATE urls SET state = 'queued', not_before = ? WHERE id = ?")
            .bind(now_ms() + after.as_millis() as i64)
            .bind(lease.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Puts a leased URL back unchanged (it was not fetched).
    pub async fn put_back(&self, lease: &Lease) -> anyhow::Result<()> {
        sqlx::query("UPDATE urls SET state = 'queued' WHERE id = ?")
            .bind(lease.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The host is down: hold it (growing back-off with jitter); returns how long.
    pub fn host_down(&self, host: &str, base: Duration) -> Duration {
        self.pace.lock().expect("pace lock").host_down(host, base)
    }

    /// The host answered: reset its back-off.
    pub fn host_up(&self, host: &str) {
        self.pace.lock().expect("pace lock").host_up(host);
    }

    /// Frees the host slot a lease held (call after every lease, whatever the outcome).
    pub fn release_host(&self, host: &str) {
        self.pace.lock().expect("pace lock").release(host);
    }

    /// Marks cycles with nothing left queued or in flight as finished; returns their labels.
    pub async fn finish_cycles(&self) -> anyhow::Result<Vec<String>> {
        let labels: Vec<String> = sqlx::query_scalar(
            "UPDATE seeds SET cycle_finished = ?
             WHERE cycle > 0 AND cycle_finished IS NULL AND NOT EXISTS (
                SELECT 1 FROM urls WHERE urls.seed_id = seeds.id AND urls.cycle = seeds.cycle
                AND urls.state IN ('queued', 'inflight'))
             RETURNING label",
        )
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await?;
        for l in &labels {
            tracing::info!(seed = %l, "crawl cycle finished");
        }
        Ok(labels)
    }

    /// Robots rules for `host` if known and fresh.
    pub async fn robots(&self, host: &str) -> anyhow::Result<Option<RobotsRules>> {
        if let Some(c) = self.robots.lock().expect("robots lock").get(host) {
            if now_ms() - c.fetched_at < self.expiry_for(c.status) {
                return Ok(Some(c.rules.clone()));
            }
        }
        let row = sqlx::query("SELECT fetched_at, status, body FROM robots WHERE host = ?")
            .bind(host)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let at: i64 = row.get(0);
        let status: i64 = row.get(1);
        let body: String = row.get(2);
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
        sqlx::query(
            "INSERT INTO robots (host, fetched_at, status, body) VALUES (?, ?, ?, ?)
             ON CONFLICT (host) DO UPDATE SET fetched_at = excluded.fetched_at,
                status = excluded.status, body = excluded.body",
        )
        .bind(host)
        .bind(at)
        .bind(status as i64)
        .bind(body)
        .execute(&self.pool)
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

    /// Counts of URLs by state, for summaries and status.
    pub async fn counts(&self) -> anyhow::Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT state, COUNT(*) FROM urls GROUP BY state ORDER BY state")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}
