//! Making the log's signed tree heads and handing them to witnesses.
//!
//! A head is made from the record index: the records at chain positions 1..n with no gap
//! (a capture still being indexed ends the run), folded into the compact range kept with the
//! previous head, so each head reads only the records since. It is stored in
//! `log_checkpoints`, appended (and fsynced) to every witness file, and written to the
//! daemon's log — the system journal under systemd — as one line an auditor can extract.
//! None of these is trusted by the node itself: they are there so that someone who does not
//! trust this machine can later check that the archive still extends them.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use base64::Engine as _;
use db::Db;
use sha2::Digest;

use super::key::NodeKey;
use super::log::{self, Head, Peaks, JOURNAL_TAG};
use super::seal::Tsa;
use crate::digest::Sha256;

/// Where heads go besides the database.
#[derive(Clone, Debug, Default)]
pub struct Witnesses {
    /// Append-only files (best on another volume, `chattr +a`), one note after another.
    pub files: Vec<PathBuf>,
    /// An RFC 3161 authority that timestamps each head.
    pub tsa: Option<Tsa>,
}

pub use crate::index::StoredHead as Stored;

/// The newest stored head.
pub async fn latest(db: &Db) -> Result<Option<Stored>, sqlx::Error> {
    crate::index::log_heads(db, true).await.map(|mut v| v.pop())
}

/// Every stored head, oldest first.
pub async fn all(db: &Db) -> Result<Vec<Stored>, sqlx::Error> {
    crate::index::log_heads(db, false).await
}

/// The consistency proof from the head of `old` leaves this node made to the tree of `n`
/// leaves (for a co-signing witness that last saw `old`), from the compact range stored
/// with that head and the records since. `None` when no head of `old` leaves was made here.
pub async fn consistency(db: &Db, old: u64, n: u64) -> anyhow::Result<Option<Vec<log::Hash>>> {
    if old == 0 || old == n {
        return Ok(Some(Vec::new()));
    }
    let Some(bytes) = crate::index::log_peaks_at(db, old).await? else {
        return Ok(None);
    };
    let peaks = Peaks::from_bytes(old, &bytes)
        .context("a stored checkpoint's compact range is damaged: run `nightjar verify`")?;
    let mut later = Vec::new();
    for (seq, digest, _) in crate::index::digests_after(db, old).await? {
        if seq as u64 > n {
            break;
        }
        if seq as u64 != old + later.len() as u64 + 1 {
            anyhow::bail!("the record index has a gap at position {seq}: run `nightjar verify`");
        }
        let d: Sha256 = digest.parse()?;
        later.push(log::leaf(&d));
    }
    if old + later.len() as u64 != n {
        anyhow::bail!("the record index holds fewer than the {n} records of the head");
    }
    Ok(Some(peaks.consistency_to(&later)))
}

/// Makes a head if the log grew, or the audit log's head moved, since the last one (or
/// `None`). `audit`: the audit log's
/// head (position and hash), signed into the checkpoint.
pub async fn make(
    db: &Db,
    key: &NodeKey,
    witnesses: &Witnesses,
    audit: Option<(i64, String)>,
) -> anyhow::Result<Option<Head>> {
    let last = crate::index::last_log_head_peaks(db).await?;
    let mut peaks = match &last {
        Some((size, bytes, _, _)) => Peaks::from_bytes(*size as u64, bytes)
            .context("the newest stored checkpoint is damaged: run `nightjar verify`")?,
        None => Peaks::default(),
    };
    let rows = crate::index::digests_after(db, peaks.size()).await?;
    let mut chain = last.as_ref().and_then(|(_, _, _, note)| chain_in(note));
    let before = peaks.size();
    for (seq, digest, value) in rows {
        if seq as u64 != peaks.size() + 1 {
            break; // a capture still being indexed: the head stops before it
        }
        let d: Sha256 = digest
            .parse()
            .with_context(|| format!("record {seq}'s digest in the index is damaged"))?;
        peaks.push(log::leaf(&d));
        chain = Some(value);
    }
    let audit_moved = audit.as_ref().map(|(s, _)| *s) != last.as_ref().and_then(|l| l.2);
    let Some(chain) = chain.filter(|_| peaks.size() > before || audit_moved) else {
        return Ok(None);
    };
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let root = peaks.root();
    let continues = crate::index::rotation_into(db, &key.fingerprint())
        .await?
        .map(|(old, at)| (log::origin_of_fingerprint(&old), at as u64));
    let note = log::sign(
        key,
        peaks.size(),
        root,
        &chain,
        &now,
        audit.as_ref().map(|(s, h)| (*s, h.as_str())),
        continues.as_ref().map(|(o, a)| (o.as_str(), *a)),
    )?;
    let tsa_response = match &witnesses.tsa {
        Some(tsa) => {
            let hash: [u8; 32] = sha2::Sha256::digest(note.as_bytes()).into();
            match super::timestamp::fetch(&tsa.url, &hash, tsa.timeout).await {
                Ok(r) => Some(r),
                Err(e) => {
                    tracing::error!(
                        size = peaks.size(),
                        "no timestamp for this checkpoint: {e:#}"
                    );
                    None
                }
            }
        }
        None => None,
    };
    crate::index::insert_log_head(
        db,
        &crate::index::NewLogHead {
            size: peaks.size(),
            root: log::b64(&root),
            audit_seq: audit.as_ref().map(|(s, _)| *s),
            made_at: now.clone(),
            note: note.clone(),
            peaks: peaks.to_bytes(),
            tsa_response,
        },
    )
    .await?;
    hand_over(&note, peaks.size(), witnesses);
    Ok(Some(log::open(&note, &key.public_hex())?))
}

/// The chain value a stored note states.
fn chain_in(note: &str) -> Option<String> {
    note.lines()
        .find_map(|l| l.strip_prefix("chain "))
        .map(str::to_string)
}

/// Appends the note to every witness file and writes it to the daemon's log. A witness that
/// cannot be written is an error in the log each time, and never stops the crawl.
fn hand_over(note: &str, size: u64, witnesses: &Witnesses) {
    for file in &witnesses.files {
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .and_then(|mut f| {
                // A line break and a blank line before it: a note torn by a crash mid-append
                // (even mid-line) stays apart from the next one, which is read whole.
                f.write_all(b"\n\n")?;
                f.write_all(note.as_bytes())?;
                f.write_all(b"\n")?;
                f.sync_data()
            });
        if let Err(e) = written {
            tracing::error!(witness = %file.display(), size, "cannot hand the checkpoint to this witness file: {e}");
        }
    }
    tracing::info!(
        target: "nightjar::checkpoint",
        size,
        "{}{}",
        JOURNAL_TAG,
        base64::engine::general_purpose::STANDARD.encode(note)
    );
}
