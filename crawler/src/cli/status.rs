//! `nightjar status`: what the crawler on a data directory is doing, or last did.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use crawler::config::Config;

pub(crate) fn cmd_status(cfg: &Config, json: bool) -> anyhow::Result<()> {
    let path = crawler::status::path(&cfg.data.dir);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "no status in {}: nightjar has not run on this data directory",
            cfg.data.dir.display()
        )
    })?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", text.trim_end())?;
        return Ok(());
    }
    let s: crawler::status::Status = serde_json::from_str(&text)?;
    // The data directory's lock is held while a crawler runs.
    let running = std::fs::File::open(cfg.data.dir.join("lock"))
        .map(|f| f.try_lock().is_err())
        .unwrap_or(false);
    let started = chrono::DateTime::parse_from_rfc3339(&s.started).ok();
    let updated = chrono::DateTime::parse_from_rfc3339(&s.updated).ok();
    let uptime = match (started, updated) {
        (Some(a), _) if running => {
            let secs = (chrono::Utc::now() - a.to_utc()).num_seconds().max(0) as u64;
            format!(
                ", up {}",
                humantime::format_duration(Duration::from_secs(secs))
            )
        }
        (Some(a), Some(b)) => {
            let secs = (b - a).num_seconds().max(0) as u64;
            format!(
                ", ran {}",
                humantime::format_duration(Duration::from_secs(secs))
            )
        }
        _ => String::new(),
    };
    writeln!(
        out,
        "{} (pid {}{uptime}), status of {}",
        if running { "running" } else { "not running" },
        s.pid,
        s.updated
    )?;
    if let Some(why) = &s.paused {
        writeln!(out, "PAUSED: {why}")?;
    }
    writeln!(
        out,
        "pages archived {} ({:.1}/min)  robots.txt archived {}  bytes {}  failed attempts {}  URLs failed {}  robots-skipped {}",
        s.pages,
        s.pages_per_min,
        s.robots_fetched,
        s.bytes,
        s.failed_attempts,
        s.failed_urls,
        s.robots_skipped
    )?;
    let queue: Vec<String> = s.queue.iter().map(|(k, v)| format!("{k} {v}")).collect();
    writeln!(
        out,
        "queue: {}",
        if queue.is_empty() {
            "empty".into()
        } else {
            queue.join(", ")
        }
    )?;
    let shown: Vec<_> = s
        .seed_states
        .iter()
        .filter(|r| r.state != crawler::seed_state::SeedState::Disabled)
        .collect();
    if !s.seeds.is_empty() {
        writeln!(out, "seeds ({}): {}", s.seeds.len(), s.seeds.join(", "))?;
    }
    // Each seed on its own line: what came of it last, why, and when it is tried next.
    for r in shown {
        writeln!(out, "  {}", r.line())?;
    }
    for (route, state) in &s.routes {
        writeln!(out, "route {route}: {state}")?;
    }
    if let Some(m) = &s.metrics {
        writeln!(out, "metrics: http://{m}/metrics")?;
    }
    if let Some(a) = &s.api {
        writeln!(out, "API: http://{a}/api/v1/")?;
    }
    if let Some(r) = &s.reload {
        let what = if r.applied { "applied" } else { "REFUSED" };
        writeln!(out, "last reload {} ({what}): {}", r.at, r.message)?;
    }
    if !s.sessions_lost.is_empty() {
        writeln!(out, "seeds paused, their logged-in session lost:")?;
        for l in &s.sessions_lost {
            writeln!(
                out,
                "  {} since {}: {}; to resume: {}",
                l.seed, l.since, l.why, l.resume
            )?;
        }
    }
    if !s.tasks.is_empty() {
        writeln!(
            out,
            "tasks waiting for a person (console, or the API's /api/v1/tasks):"
        )?;
        for t in &s.tasks {
            writeln!(
                out,
                "  {} [{}] site {} needs a login: {} (expires {})",
                t.id, t.kind, t.seed, t.why, t.expires
            )?;
        }
    }
    if !s.hosts_stopped.is_empty() {
        writeln!(out, "hosts stopped for the rest of a pass:")?;
        for h in &s.hosts_stopped {
            writeln!(
                out,
                "  {} (seed {}) after {} pages: {}",
                h.host, h.seed, h.pages, h.message
            )?;
        }
    }
    if !s.last_errors.is_empty() {
        writeln!(out, "last errors:")?;
        for e in s.last_errors.iter().rev() {
            writeln!(out, "  {} {} [{}] {}", e.at, e.url, e.class, e.message)?;
        }
    }
    Ok(())
}
