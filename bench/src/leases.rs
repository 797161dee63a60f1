//! `nightjar-bench leases`: how many host-lease rounds one PostgreSQL server sustains.
//!
//! Nodes sharing a frontier coordinate through host leases only ([`frontier::leases`]): each
//! node runs one round (renew what it holds, release idle hosts, take free ones) every third
//! of the lease period, 10 s by default, whatever the number of URLs it fetches. So how many
//! nodes one server can coordinate is the number of rounds per second it sustains, times
//! that interval. This starts a throwaway server (Debian's initdb and pg_ctl, loopback),
//! queues one URL on each of `hosts` hosts, lets `nodes` frontiers take them (timed), then
//! runs rounds from every node at once, back to back, for `seconds`, and reports rounds and
//! renewed host leases per second, the round latency, and the estimate. Figures only.

use std::time::{Duration, Instant};

use db::Db;
use frontier::leases::Leasing;
use frontier::{Frontier, SeedSpec};
use serde_json::{json, Value};
use url::Url;

use crate::round;

#[derive(clap::Args)]
pub struct Args {
    /// Small sizes for a smoke run (1,000 hosts, 3 nodes, 3 s).
    #[arg(long)]
    quick: bool,
    /// Hosts with queued work [default: 20000, or 1000 with --quick].
    #[arg(long)]
    hosts: Option<usize>,
    /// Nodes taking rounds at once [default: 8, or 3 with --quick].
    #[arg(long)]
    nodes: Option<usize>,
    /// How long the rounds run [default: 20, or 3 with --quick].
    #[arg(long)]
    seconds: Option<u64>,
}

/// The lease period the estimate assumes (the default `node.lease`): a node runs one round
/// every third of it.
const LEASE: Duration = Duration::from_secs(30);

pub async fn run(args: Args) -> anyhow::Result<Value> {
    let (hosts, nodes, seconds) = if args.quick {
        (1_000, 3, 3)
    } else {
        (20_000, 8, 20)
    };
    let hosts = args.hosts.unwrap_or(hosts).max(1);
    let nodes = args.nodes.unwrap_or(nodes).max(1);
    let seconds = args.seconds.unwrap_or(seconds).max(1);
    let server = db::testing::Postgres::start();
    let url = server.create_database("leases");
    let open = |name: String| {
        let url = url.clone();
        async move {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(2)
                .connect(&url)
                .await?;
            let cfg = crate::frontier_scale::frontier_config(Some(Leasing {
                node: name,
                period: LEASE,
                max_hosts: hosts.div_ceil(nodes),
            }));
            let db = Db::postgres(pool);
            anyhow::Ok((Frontier::open(db.clone(), cfg).await?, db))
        }
    };
    let mut frontiers = Vec::new();
    let mut first_db = None;
    for n in 0..nodes {
        let (f, db) = open(format!("bench-{n}")).await?;
        first_db.get_or_insert(db);
        frontiers.push(f);
    }
    let spec = SeedSpec {
        max_pages: hosts as u64 + 10,
        ..SeedSpec::new("bench", "http://bench.test/")
    };
    let mut seed = 0;
    for f in &frontiers {
        seed = f.register_seed(&spec).await?;
    }
    eprintln!("leases: queueing one URL on each of {hosts} hosts");
    let links: Vec<Url> = (0..hosts)
        .map(|h| Url::parse(&format!("http://h{h}.bench.test/")))
        .collect::<Result<_, _>>()?;
    let first = &frontiers[0];
    let mut tx = first_db.expect("one node at least").begin().await?;
    for chunk in links.chunks(500) {
        first
            .admit_links(&mut tx, seed, chunk, 1, None, false)
            .await?;
    }
    tx.commit().await?;

    // Taking: every node takes its share, one after the other.
    eprintln!("leases: {nodes} nodes take the hosts");
    let started = Instant::now();
    let mut taken = 0;
    for f in &frontiers {
        taken += f.lease_round().await?.taken;
    }
    let take_secs = started.elapsed().as_secs_f64();

    // Renewing: every node runs rounds back to back, all at once.
    eprintln!("leases: rounds from {nodes} nodes at once for {seconds} s");
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let per_node = frontiers.iter().map(|f| async move {
        let mut latencies = Vec::new();
        let mut renewed = 0usize;
        while Instant::now() < until {
            let t = Instant::now();
            renewed += f.lease_round().await?.held;
            latencies.push(t.elapsed());
        }
        anyhow::Ok((latencies, renewed))
    });
    // One thread: the rounds wait on the server, not on this process's CPU.
    let results = futures_util::future::join_all(per_node).await;
    let wall = started.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    let mut renewed = 0;
    for r in results {
        let (l, n) = r?;
        latencies.extend(l);
        renewed += n;
    }
    latencies.sort();
    let rounds = latencies.len();
    let pct = |p: f64| {
        latencies
            .get(((rounds as f64 * p) as usize).min(rounds.saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let rounds_per_sec = rounds as f64 / wall;
    let interval = (LEASE / 3).as_secs_f64();
    Ok(json!({
        "hosts": hosts,
        "nodes": nodes,
        "taken": taken,
        "take_hosts_per_sec": round(taken as f64 / take_secs, 0),
        "rounds": rounds,
        "rounds_per_sec": round(rounds_per_sec, 1),
        "renewed_leases_per_sec": round(renewed as f64 / wall, 0),
        "round_ms_p50": round(pct(0.5), 2),
        "round_ms_p99": round(pct(0.99), 2),
        "renew_interval_secs": interval,
        // Each node runs one round per interval: the rounds a second this server sustains,
        // times the interval, is how many nodes it could keep (at this many hosts each).
        "nodes_one_server_could_coordinate": (rounds_per_sec * interval).floor(),
    }))
}
