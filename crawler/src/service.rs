//! nightjar as a system service: systemd's notify protocol, signals, live reloads of the
//! configuration and seed lists, and the watch on the seeds directory.
//!
//! A reload is all or nothing: the new configuration and every seed file are read and
//! checked first, and a single problem anywhere leaves the running state untouched (reported
//! in the log, the status and the metrics), so a typo in a seed file never stops a crawl.
//! Settings the running daemon cannot change under its own feet (data directory, archive,
//! fetching, Tor, custody, metrics, trap guards, and what the frontier was built with) are
//! kept, and the log names them: they take effect at the next restart.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use sd_notify::NotifyState;
use tokio::sync::{mpsc, watch};

use crate::config::Config;
use crate::engine::Crawler;
use crate::seeds::read_seed_dir;

/// What asks for a reload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reload {
    /// SIGHUP: the configuration file and the seed lists.
    Everything,
    /// A file in the seeds directory changed: the seed lists.
    Seeds,
}

/// Tells systemd the daemon is ready (no-op outside systemd).
pub fn notify_ready(status: &str) {
    let _ = sd_notify::notify(false, &[NotifyState::Ready, NotifyState::Status(status)]);
}

/// Updates the STATUS line `systemctl status` shows.
pub fn notify_status(status: &str) {
    let _ = sd_notify::notify(false, &[NotifyState::Status(status)]);
}

/// Tells systemd the daemon is stopping.
pub fn notify_stopping() {
    let _ = sd_notify::notify(false, &[NotifyState::Stopping]);
}

/// Pings systemd's watchdog, at most once a second. The crawl loop calls it each turn, so a
/// loop that stalls stops pinging and systemd restarts the service (`WatchdogSec=`).
pub fn watchdog() {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = chrono::Utc::now().timestamp_millis();
    if now - LAST.load(Ordering::Relaxed) >= 1000 {
        LAST.store(now, Ordering::Relaxed);
        let _ = sd_notify::notify(false, &[NotifyState::Watchdog]);
    }
}

/// A watch channel that turns true on SIGINT or SIGTERM.
pub fn stop_signals() -> anyhow::Result<watch::Receiver<bool>> {
    use tokio::signal::unix::{signal, SignalKind};
    let (tx, rx) = watch::channel(false);
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM: stopping"),
            _ = int.recv() => tracing::info!("SIGINT: stopping"),
        }
        notify_stopping();
        let _ = tx.send(true);
    });
    Ok(rx)
}

/// Sends [`Reload::Everything`] on each SIGHUP.
pub fn reload_signal(tx: mpsc::UnboundedSender<Reload>) -> anyhow::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the configuration and the seed lists");
            if tx.send(Reload::Everything).is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Watches the seeds directory; an edit to a `*.toml` file there sends [`Reload::Seeds`].
/// The returned watcher must be kept alive.
pub fn watch_seeds(
    dir: &Path,
    tx: mpsc::UnboundedSender<Reload>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        let seed_file = event
            .paths
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "toml"));
        if seed_file && !matches!(event.kind, EventKind::Access(_)) {
            let _ = tx.send(Reload::Seeds);
        }
    })?;
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}

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
        let _ = sd_notify::notify(false, &[NotifyState::Reloading]);
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
                crate::status::reloaded(&crawler, true, message);
            }
            Err(e) => {
                let message = format!("reload refused, the previous state keeps running: {e:#}");
                tracing::error!("{message}");
                crate::status::reloaded(&crawler, false, message);
            }
        }
        let _ = sd_notify::notify(false, &[NotifyState::Ready]);
        if let Err(e) = crate::status::write(&crawler).await {
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
            if format!("{:?}", merged.$($field).+) != format!("{:?}", old.$($field).+) {
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
    let before = crawler.frontier.active_seeds();
    let (mut added, mut changed) = (0, 0);
    let mut ids = Vec::new();
    for spec in &seeds {
        match before.iter().find(|(_, s)| s.label == spec.label) {
            None => added += 1,
            Some((_, old)) if old != spec => changed += 1,
            Some(_) => {}
        }
        ids.push(crawler.frontier.register_seed(spec).await?);
    }
    let mut removed = 0;
    for (id, _) in &before {
        if !ids.contains(id) {
            crawler.frontier.deactivate_seed(*id);
            removed += 1;
        }
    }
    for id in ids {
        crawler.frontier.schedule_seed(id).await?;
    }
    crawler.seeds_changed(&seeds);
    crawler.record_robots_policy(cfg, &seeds);
    Ok(format!(
        "seed lists reloaded: {} seeds ({added} added, {changed} changed, {removed} stopped)",
        seeds.len()
    ))
}

/// Free space of the volume holding `dir`, in bytes (what an unprivileged writer may use).
pub fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let st = nix::sys::statvfs::statvfs(dir).map_err(std::io::Error::from)?;
    Ok(st.blocks_available() as u64 * st.fragment_size() as u64)
}

/// Whether an error comes from a full volume (ENOSPC, EDQUOT, or SQLite's SQLITE_FULL).
pub fn is_disk_full(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::StorageFull
                || io.kind() == std::io::ErrorKind::QuotaExceeded
                || io.raw_os_error() == Some(nix::libc::ENOSPC);
        }
        if let Some(sqlx::Error::Database(db)) = c.downcast_ref::<sqlx::Error>() {
            // SQLITE_FULL is 13; extended codes keep it in the low byte.
            return db
                .code()
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|c| c & 0xff == 13);
        }
        false
    })
}
