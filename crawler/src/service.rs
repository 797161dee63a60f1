//! nightjar as a system service: systemd's notify protocol and watchdog, the signals that
//! stop and reload it, the watch on the seeds directory, and the free-space checks.
//!
//! These are leaves the crawl loop and the command line call; none of them knows the crawl
//! loop. Carrying a reload out is [`crate::reload`]'s.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};

use sd_notify::NotifyState;
use tokio::sync::{mpsc, watch};

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

/// Tells systemd a reload is under way.
pub fn notify_reloading() {
    let _ = sd_notify::notify(false, &[NotifyState::Reloading]);
}

/// Tells systemd a reload is over and the daemon is ready again.
pub fn notify_reloaded() {
    let _ = sd_notify::notify(false, &[NotifyState::Ready]);
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

/// Free space of the volume holding `dir`, in bytes (what an unprivileged writer may use).
pub fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let st = nix::sys::statvfs::statvfs(dir).map_err(std::io::Error::from)?;
    Ok(st.blocks_available() as u64 * st.fragment_size() as u64)
}

/// Whether an error says the database server cannot be reached now (see
/// [`db::is_unreachable`]): the crawl pauses until it answers again.
pub fn is_db_unreachable(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<sqlx::Error>())
        .any(db::is_unreachable)
}

/// Whether an error comes from a full volume (ENOSPC, EDQUOT, or the database engine's own
/// code for it, see [`db::is_disk_full`]).
pub fn is_disk_full(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::StorageFull
                || io.kind() == std::io::ErrorKind::QuotaExceeded
                || io.raw_os_error() == Some(nix::libc::ENOSPC);
        }
        if let Some(e) = c.downcast_ref::<sqlx::Error>() {
            return db::is_disk_full(e);
        }
        false
    })
}
