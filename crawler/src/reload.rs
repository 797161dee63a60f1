//! Live reloads of the configuration and the seed lists (SIGHUP, or an edit in the seeds
//! directory), carried out on a running crawler.
//!
//! A reload is all or nothing: the new configuration and every seed file are read and
//! checked first, and a single problem anywhere leaves the running state untouched (reported
//! in the log, the status and the metrics), so a typo in a seed file never stops a crawl.
//! Settings the running daemon cannot change under its own feet (data directory, archive,
//! fetching, Tor, custody, metrics, trap guards, and what the frontier was built with) are
//! kept, and the log names them: they take effect at the next restart.

use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use tokio::sync::mpsc;

use crate::config::Config;
use crate::engine::Crawler;
use crate::seeds::read_seed_dir;
use crate::service::Reload;

/// Carries out reloads as they are asked for, until the sender side is gone. Requests that
/// arrive together (an editor writes a file in several steps) are handled once.
pub async fn reloads(
    crawler: Arc<Crawler>,
    load: Arc<dyn Fn() -> anyhow::Result<Config> + Send + Sync>,
    mut rx: mpsc::UnboundedReceiver<Reload>,
) {
    while let Some(mut what) = rx.recv().await {
        tokio::time::sleep(Duration::from_millis(300)).await;
        while let Ok(more) = rx.try_recv() {
            if more == Reload::Everything {
                what = Reload::Everything;
            }
        }
        crate::service::notify_reloading();
        let outcome = match what {
            Reload::Everything => reload_everything(&crawler, load.as_ref()).await,
            Reload::Seeds => {
                let cfg = crawler.cfg();
                apply_seeds(&crawler, &cfg).await
            }
        };
        match outcome {
            Ok(message) => {
                tracing::info!("{message}");
                crawler.reloaded(true, message);
            }
            Err(e) => {
                let message = format!("reload refused, the previous state keeps running: {e:#}");
                tracing::error!("{message}");
                crawler.reloaded(false, message);
            }
        }
        crate::service::notify_reloaded();
        if let Err(e) = crawler.publish_status().await {
            tracing::warn!("cannot write the status file: {e:#}");
        }
    }
}

async fn reload_everything(
    crawler: &Crawler,
    load: &(dyn Fn() -> anyhow::Result<Config> + Send + Sync),
) -> anyhow::Result<String> {
    let old = crawler.cfg();
    let new = load()?;
    let (merged, kept) = merge_live(&old, new);
    let seeds = match apply_seeds(crawler, &merged).await {
        Err(e) if kept.contains(&"[tor]") => {
            return Err(e.context(
                "[tor] changed, which needs a restart; until then the seed lists are \
                 checked against the running Tor settings",
            ))
        }
        other => other?,
    };
    crawler.set_cfg(Arc::new(merged));
    if kept.is_empty() {
        Ok(format!("configuration reloaded; {seeds}"))
    } else {
        tracing::warn!(
            "configuration changes to {} take effect at the next restart",
            kept.join(", ")
        );
        Ok(format!(
            "configuration reloaded ({} changed: restart to apply); {seeds}",
            kept.join(", ")
        ))
    }
}

/// The new configuration with the settings that need a restart taken from the running one,
/// and the names of those that differed.
fn merge_live(old: &Config, new: Config) -> (Config, Vec<&'static str>) {
    let mut kept = Vec::new();
    let mut merged = new;
    macro_rules! keep {
        ($name:literal, $($field:ident).+) => {
            if merged.$($field).+ != old.$($field).+ {
                kept.push($name);
                merged.$($field).+ = old.$($field).+.clone();
            }
        };
    }
    keep!("[data]", data);
    keep!("[archive]", archive);
    keep!("[fetch]", fetch);
    keep!("[tor]", tor);
    keep!("[custody]", custody);
    keep!("[metrics]", metrics);
    keep!("[traps]", traps);
    keep!("crawl.user_agent", crawl.user_agent);
    keep!("crawl.seeds_dir", crawl.seeds_dir);
    keep!("politeness.robots_max_age", politeness.robots_max_age);
    keep!("recrawl.changed_factor", recrawl.changed_factor);
    keep!("recrawl.unchanged_factor", recrawl.unchanged_factor);
    keep!("recrawl.retire_after_gone", recrawl.retire_after_gone);
    (merged, kept)
}

/// Reads the seed lists with `cfg` and makes them the crawled set: new seeds start, changed
/// ones take their new rules, removed or disabled ones stop. Nothing changes on any problem.
pub async fn apply_seeds(crawler: &Crawler, cfg: &Config) -> anyhow::Result<String> {
    let (seeds, problems) = read_seed_dir(&cfg.crawl.seeds_dir, cfg)?;
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        bail!(
            "{} problem(s) in the seed lists: {}",
            problems.len(),
            list.join("; ")
        );
    }
    if seeds.is_empty() {
        bail!(
            "the seed lists in {} hold no enabled seed (to stop crawling, stop the service)",
            cfg.crawl.seeds_dir.display()
        );
    }
    let before = crawler.frontier().active_seeds();
    let (mut added, mut changed) = (0, 0);
    let mut ids = Vec::new();
    for spec in &seeds {
        match before.iter().find(|(_, s)| s.label == spec.label) {
            None => added += 1,
            Some((_, old)) if old != spec => changed += 1,
            Some(_) => {}
        }
        ids.push(crawler.frontier().register_seed(spec).await?);
    }
    let mut removed = 0;
    for (id, _) in &before {
        if !ids.contains(id) {
            crawler.frontier().deactivate_seed(*id);
            removed += 1;
        }
    }
    for id in ids {
        crawler.frontier().schedule_seed(id).await?;
    }
    crawler.seeds_changed(&seeds);
    crawler.record_robots_policy(cfg, &seeds);
    Ok(format!(
        "seed lists reloaded: {} seeds ({added} added, {changed} changed, {removed} stopped)",
        seeds.len()
    ))
}
