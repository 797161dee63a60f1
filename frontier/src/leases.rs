//! Host leases: several nodes crawling from one frontier.
//!
//! When nodes share a PostgreSQL frontier, each fetches only from the hosts it holds a lease
//! on. Leasing *hosts*, not URLs, is what keeps politeness across nodes (only the holder
//! sends a host requests, so its in-memory pacing is the host's whole pacing) and keeps the
//! shared database off the per-URL hot path: a node renews, releases and takes leases in
//! three statements every few seconds, however many URLs it fetches meanwhile (Brozzler
//! leases whole sites for the same reasons).
//!
//! A lease carries a fencing token, raised each time the lease changes hands. Every write a
//! node makes for a URL of a leased host checks that it still holds the lease with the token
//! it was handed (`fenced!`): a node that was paused past its lease and comes back finds its
//! writes refused and the capture rolled back, instead of writing over the new holder's work.
//! Before it hands out a URL, a node also checks its own clock against the lease's local
//! deadline (a fraction of the lease period after the renewal was sent), so it does not send a
//! request on a lease that may already have passed to another node.
//!
//! Expiry is judged by the database server's clock (one clock for every node); a taken-over
//! host's URLs left in flight by the dead holder are queued again in the statement's
//! transaction, and its first request waits one full period, since the previous holder's last
//! request may have been a moment ago.
//!
//! A single node on SQLite holds every host without asking: nothing here runs.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How a node takes part in a shared frontier.
#[derive(Clone, Debug)]
pub struct Leasing {
    /// The node's name (unique among the nodes sharing the database).
    pub node: String,
    /// How long a lease lasts unless renewed; it is renewed every third of it.
    pub period: Duration,
    /// The most hosts the node holds at once.
    pub max_hosts: usize,
}

impl Leasing {
    /// How often the holder renews its leases (and takes new ones).
    pub fn renew_every(&self) -> Duration {
        self.period / 3
    }
}

/// One host this node holds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HeldHost {
    /// The fencing token it was handed.
    pub(crate) token: i64,
    /// After this, by our clock, the lease may have passed on: hand out nothing more.
    pub(crate) valid_until: Instant,
    /// Taken and not yet sent a request: the first one waits a full period.
    pub(crate) fresh: bool,
}

/// The hosts this node holds, and when it last asked for more.
#[derive(Default)]
pub(crate) struct Held {
    pub(crate) hosts: HashMap<String, HeldHost>,
    pub(crate) last_round: Option<Instant>,
}

impl Held {
    /// The token of `host` if it is held and its lease still valid by our clock.
    pub(crate) fn token(&self, host: &str, now: Instant) -> Option<i64> {
        self.hosts
            .get(host)
            .filter(|h| h.valid_until > now)
            .map(|h| h.token)
    }

    /// Records a host just taken, with its token: its first request waits a full period.
    pub(crate) fn taken(&mut self, host: String, token: i64, valid_until: Instant) {
        self.hosts.insert(
            host,
            HeldHost {
                token,
                valid_until,
                fresh: true,
            },
        );
    }
}

/// What one round of [`crate::Frontier::lease_round`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeaseRound {
    /// Hosts held after the round.
    pub held: usize,
    /// Hosts taken in this round.
    pub taken: usize,
    /// Hosts released (no work left on them).
    pub released: usize,
    /// Hosts lost: found held by another node at renewal.
    pub lost: usize,
    /// URLs a dead holder had left in flight, queued again.
    pub requeued: u64,
}

/// The database server's clock in ms since the epoch (PostgreSQL; leases never run on
/// SQLite).
pub(crate) const NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

/// Per node: hosts held (unexpired leases) and URLs queued on them.
pub async fn load_by_node(db: &db::Db) -> anyhow::Result<Vec<(String, i64, i64)>> {
    let now: i64 = if db.is_postgres() {
        db::query_owned(format!("SELECT {NOW_MS}"))
            .scalar(db)
            .await?
    } else {
        chrono::Utc::now().timestamp_millis()
    };
    Ok(db::query(
        "SELECT l.node, COUNT(DISTINCT l.host),
            COUNT(u.id)
         FROM host_leases l LEFT JOIN urls u ON u.host = l.host AND u.state = 'queued'
         WHERE l.node IS NOT NULL AND l.expires_at > ?
         GROUP BY l.node ORDER BY l.node",
    )
    .bind(now)
    .fetch_all(db)
    .await?)
}
