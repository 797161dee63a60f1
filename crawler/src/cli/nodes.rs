//! `nightjar nodes`: the nodes sharing this PostgreSQL database.

use std::io::Write;
use std::time::Duration;

use crawler::config::Config;
use crawler::data::open_db;

pub(crate) async fn cmd_nodes(cfg: &Config, json: bool) -> anyhow::Result<()> {
    if cfg.data.postgres_url().is_none() {
        anyhow::bail!(
            "this node keeps its database in the SQLite file {}: it is the only node. Several \
             nodes share a PostgreSQL database: set data.database = \"postgres://…\" in each \
             node's config (README: \"Several nodes\")",
            cfg.db_path().display()
        );
    }
    let db = open_db(cfg, false).await?;
    let nodes = crawler::nodes::report(&db, cfg.node.lease).await?;
    let mut out = std::io::stdout().lock();
    if json {
        for n in &nodes {
            writeln!(out, "{}", serde_json::to_string(n)?)?;
        }
        return Ok(());
    }
    if nodes.is_empty() {
        writeln!(out, "no node has started on this database yet")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<20} {:<8} {:>10} {:>6} {:>8} {:>9}  {:<24} API",
        "NODE", "STATE", "HEARTBEAT", "HOSTS", "QUEUED", "CAPTURES", "MACHINE/PID"
    )?;
    for n in &nodes {
        let age = Duration::from_secs((n.node.heartbeat_age_ms.max(0) / 1000) as u64);
        writeln!(
            out,
            "{:<20} {:<8} {:>10} {:>6} {:>8} {:>9}  {:<24} {}",
            n.node.info.name,
            serde_json::to_value(n.state)?.as_str().unwrap_or("?"),
            format!("{} ago", humantime::format_duration(age)),
            n.hosts,
            n.queued,
            n.captures,
            format!("{}/{}", n.node.info.host, n.node.info.pid),
            n.node.info.api.as_deref().unwrap_or("-"),
        )?;
    }
    Ok(())
}
