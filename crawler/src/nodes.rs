//! The nodes sharing one PostgreSQL database, as an operator sees them (`nightjar nodes`):
//! each node's heartbeat, the hosts it holds and their queued URLs, and the captures its
//! WARC files hold. The rows are the `nodes` table's ([`crate::store::nodes`]), the leases
//! the frontier's ([`frontier::leases`]) and the counts the archive's index's.

use std::collections::HashMap;
use std::time::Duration;

use db::Db;
use serde::Serialize;

/// Whether a node is working, by its heartbeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeState {
    /// Its heartbeat is fresh.
    Up,
    /// It stopped cleanly.
    Stopped,
    /// Its heartbeat is older than a lease: it died, or cannot reach the database. Its
    /// leases have run out and other nodes take its hosts.
    Silent,
}

/// One node's line.
#[derive(Clone, Debug, Serialize)]
pub struct NodeReport {
    /// The node as registered.
    #[serde(flatten)]
    pub node: crate::store::nodes::NodeRow,
    /// What its heartbeat says.
    pub state: NodeState,
    /// Hosts it holds an unexpired lease on.
    pub hosts: i64,
    /// URLs queued on those hosts.
    pub queued: i64,
    /// Captures its WARC files hold.
    pub captures: i64,
}

/// Every node sharing `db`, by name; `lease` is the lease period (a heartbeat older than
/// that marks a node silent). Empty on SQLite.
pub async fn report(db: &Db, lease: Duration) -> anyhow::Result<Vec<NodeReport>> {
    let nodes = crate::store::nodes::list(db).await?;
    if nodes.is_empty() {
        return Ok(Vec::new());
    }
    let load: HashMap<String, (i64, i64)> = frontier::leases::load_by_node(db)
        .await?
        .into_iter()
        .map(|(n, h, q)| (n, (h, q)))
        .collect();
    let captures: HashMap<String, i64> = archive::index::captures_by_node(db)
        .await?
        .into_iter()
        .collect();
    let lease_ms = lease.as_millis().min(i64::MAX as u128) as i64;
    Ok(nodes
        .into_iter()
        .map(|node| {
            let state = if node.stopped_at.is_some() {
                NodeState::Stopped
            } else if node.heartbeat_age_ms <= lease_ms {
                NodeState::Up
            } else {
                NodeState::Silent
            };
            let (hosts, queued) = load.get(&node.info.name).copied().unwrap_or_default();
            let captures = captures.get(&node.info.name).copied().unwrap_or_default();
            NodeReport {
                node,
                state,
                hosts,
                queued,
                captures,
            }
        })
        .collect())
}
