//! What a running crawler is doing, for operators: a small JSON file in the data directory.
//!
//! The crawl loop rewrites `DATA/status.json` about once a second (write to a temporary file,
//! then rename, so a reader never sees half a file); `nightjar status` prints it and says
//! whether the process that wrote it is still running.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};

use crate::engine::Crawler;

/// The status file's content.
#[derive(Debug, Serialize, Deserialize)]
pub struct Status {
    /// When this was written (RFC 3339).
    pub updated: String,
    /// Process ID of the writer.
    pub pid: u32,
    /// Responses archived by this process.
    pub pages: u64,
    /// Bytes written to WARC files by this process.
    pub bytes: u64,
    /// Fetches that failed for good.
    pub errors: u64,
    /// URLs skipped by robots.txt.
    pub robots_skipped: u64,
    /// URLs in the frontier by state (queued, inflight, done, failed, skipped).
    pub queue: BTreeMap<String, i64>,
    /// State of each route (`direct`, `tor`).
    pub routes: BTreeMap<String, String>,
}

/// Where the status file of a data directory is.
pub fn path(data: &Path) -> PathBuf {
    data.join("status.json")
}

/// Writes the current status.
pub async fn write(crawler: &Crawler) -> anyhow::Result<()> {
    let s = &crawler.stats;
    let status = Status {
        updated: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        pid: std::process::id(),
        pages: s.pages.load(Ordering::Relaxed),
        bytes: s.bytes.load(Ordering::Relaxed),
        errors: s.errors.load(Ordering::Relaxed),
        robots_skipped: s.robots_skipped.load(Ordering::Relaxed),
        queue: crawler.frontier.counts().await?.into_iter().collect(),
        routes: crawler.fetcher.routes().into_iter().collect(),
    };
    let target = path(&crawler.cfg.data.dir);
    let tmp = target.with_extension("json.tmp");
    tokio::fs::write(&tmp, serde_json::to_vec_pretty(&status)?).await?;
    tokio::fs::rename(&tmp, &target).await?;
    Ok(())
}
