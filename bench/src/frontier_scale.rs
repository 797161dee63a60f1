//! `nightjar-bench frontier`: the crawl queue at ten million URLs.
//!
//! A monitoring node keeps every URL it has ever found, so the queue must stay fast and
//! small in memory however long it grows: it lives on disk, and only per-host state is
//! kept in memory. This queues URLs across many hosts the way a crawl does (each "page"
//! offers its links to its seed through [`Frontier::admit_links`], in the crawler's
//! transactions), then dequeues under the politeness rules (one request in flight and one
//! request per second per host), completing each lease as a fetch would. It reports both
//! rates, peak RSS and the database's size, and counts politeness violations (two leases
//! of one host closer than nine tenths of its period, as seen by the caller), which must be
//! zero.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use frontier::queue::FrontierConfig;
use frontier::scope::TrapGuard;
use frontier::{Adaptation, Finished, Freshness, Frontier, Next, SeedSpec};
use serde_json::{json, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use url::Url;

use crate::{round, Rng, Scratch};

#[derive(clap::Args)]
pub struct Args {
    /// Small sizes for a smoke run (100,000 URLs over 1,000 hosts, 10,000 dequeued).
    #[arg(long)]
    quick: bool,
    /// URLs queued [default: 10000000, or 100000 with --quick].
    #[arg(long)]
    urls: Option<u64>,
    /// Hosts they spread over [default: 100000, or 1000 with --quick].
    #[arg(long)]
    hosts: Option<u64>,
    /// URLs dequeued afterwards [default: 1000000, or 10000 with --quick].
    #[arg(long)]
    dequeue: Option<u64>,
    /// Scratch directory for the database, kept afterwards [default: a temporary one].
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Seeds the hosts are shared among (each a domain-scope seed over its hosts).
const SEEDS: u64 = 100;
/// Links a page offers at once, and pages per transaction (as in a crawl, batched).
const LINKS_PER_PAGE: usize = 20;
const PAGES_PER_TX: usize = 250;
/// The politeness rules of the dequeue: per host.
const RATE_PER_SEC: f64 = 1.0;

pub async fn run(args: Args) -> anyhow::Result<Value> {
    let (urls, hosts, dequeue) = if args.quick {
        (100_000, 1_000, 10_000)
    } else {
        (10_000_000, 100_000, 1_000_000)
    };
    let urls = args.urls.unwrap_or(urls);
    let hosts = args.hosts.unwrap_or(hosts).max(SEEDS);
    let dequeue = args.dequeue.unwrap_or(dequeue);
    let scratch = Scratch::new(args.dir)?;
    let file = scratch.path().join("frontier.db");
    // As the crawler opens its database (crawler/src/data.rs).
    let opts = SqliteConnectOptions::from_str("sqlite://")?
        .filename(&file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(30));
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts)
        .await?;
    let cfg = frontier_config(None);
    let db = db::Db::sqlite(pool);
    let f = Frontier::open(db.clone(), cfg).await?;
    let mut seeds = Vec::new();
    for s in 0..SEEDS {
        let spec = SeedSpec {
            max_depth: 100,
            max_pages: urls,
            rate_per_sec: RATE_PER_SEC,
            ..SeedSpec::new(&format!("bench-{s}"), &format!("http://s{s}.bench.test/"))
        };
        let id = f.register_seed(&spec).await?;
        f.schedule_seed(id).await?;
        seeds.push(id);
    }

    // Queue: pages of LINKS_PER_PAGE links, each link to a random host of the page's seed.
    eprintln!("queueing {urls} URLs over {hosts} hosts ...");
    let hosts_per_seed = hosts / SEEDS;
    let mut rng = Rng::new(10);
    let started = Instant::now();
    let mut queued = 0u64;
    let mut n = 0u64;
    while queued < urls {
        let mut tx = db.begin().await?;
        for _ in 0..PAGES_PER_TX {
            let s = rng.below(SEEDS);
            let links: Vec<Url> = (0..LINKS_PER_PAGE)
                .map(|_| {
                    n += 1;
                    let h = rng.below(hosts_per_seed);
                    Url::parse(&format!(
                        "http://h{h}.s{s}.bench.test/listing/{n}/{}.html",
                        rng.hex(4)
                    ))
                    .expect("a valid URL")
                })
                .collect();
            queued += f
                .admit_links(&mut tx, seeds[s as usize], &links, 1, None, false)
                .await?;
        }
        tx.commit().await?;
        if queued % 1_000_000 < (PAGES_PER_TX * LINKS_PER_PAGE) as u64 {
            eprintln!(
                "  {queued} queued, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    let insert_s = started.elapsed().as_secs_f64();

    // Dequeue under politeness, completing each lease as a fetch would.
    eprintln!("dequeueing {dequeue} ...");
    let period = Duration::from_secs_f64(1.0 / RATE_PER_SEC);
    let mut last: HashMap<String, Instant> = HashMap::new();
    let mut violations = 0u64;
    let mut min_gap = Duration::MAX;
    let mut got = 0u64;
    let mut waits = 0u64;
    let started = Instant::now();
    loop {
        match f.next().await? {
            Next::Ready(lease) => {
                let now = Instant::now();
                if let Some(prev) = last.insert(lease.host.clone(), now) {
                    // Measured where the lease is handed out, a few database round trips
                    // after the gate opened: allow a tenth of the period for that jitter.
                    let gap = now.duration_since(prev);
                    min_gap = min_gap.min(gap);
                    if gap < period.mul_f64(0.9) {
                        violations += 1;
                    }
                }
                let mut tx = db.begin().await?;
                f.complete(&mut tx, &lease, Finished::Done, None, Freshness::Unknown)
                    .await?;
                tx.commit().await?;
                f.release_host(&lease.host);
                got += 1;
                if got >= dequeue {
                    break;
                }
            }
            Next::Wait(d) => {
                waits += 1;
                tokio::time::sleep(d.min(Duration::from_millis(50))).await;
            }
            Next::Idle | Next::Empty => break,
        }
    }
    let dequeue_s = started.elapsed().as_secs_f64();
    let db_bytes: u64 = ["frontier.db", "frontier.db-wal", "frontier.db-shm"]
        .iter()
        .filter_map(|n| std::fs::metadata(scratch.path().join(n)).ok())
        .map(|m| m.len())
        .sum();
    db.close().await;
    Ok(json!({
        "queued": queued,
        "hosts": hosts,
        "dequeued": got,
        "insert_urls_per_s": round(queued as f64 / insert_s, 0),
        "insert_s": round(insert_s, 1),
        "dequeue_per_s": round(got as f64 / dequeue_s, 0),
        "dequeue_s": round(dequeue_s, 1),
        "waits": waits,
        "politeness_violations": violations,
        "min_same_host_gap_ms": if min_gap == Duration::MAX { 0.0 } else { round(min_gap.as_secs_f64() * 1e3, 1) },
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "db_mb": round(db_bytes as f64 / 1e6, 1),
    }))
}

/// The process's peak resident set, from the kernel.
fn peak_rss_mb() -> f64 {
    // VmHWM in /proc/self/status is the peak RSS in kB (getrusage without a libc binding).
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The frontier's settings in the benchmarks: the crawler's defaults, and `leasing` when
/// several nodes share the frontier.
pub fn frontier_config(leasing: Option<frontier::leases::Leasing>) -> FrontierConfig {
    FrontierConfig {
        user_agent: "nightjar-bench".into(),
        traps: TrapGuard::default(),
        robots_max_age: Duration::from_secs(86_400),
        adapt: Adaptation::default(),
        retire_after_gone: 3,
        seed_retry: Duration::from_secs(40),
        leasing,
    }
}
