//! Putting things right after a crash, before crawling resumes.
//!
//! The archive crate mends `.open` files (whole frames kept, a torn tail moved aside). Here the
//! records those files hold but the index lacks (archived, then the process died before the
//! index transaction) are indexed from their own bytes, and the frontier is told the URL was
//! captured and what it links to, exactly as if the crawl had not stopped. Nothing is fetched
//! twice and nothing archived goes unindexed.

use std::collections::{HashMap, HashSet};

use archive::record::{parse_warc_fields, ParsedRecord};
use archive::repair::repair_open_files;
use archive::writer::{
    response_facts, revisit_facts, RevisitFacts, StoredExchange, StoredRecord,
    IDENTICAL_PAYLOAD_DIGEST, SERVER_NOT_MODIFIED,
};
use frontier::canon::surt;
use url::Url;

use crate::engine::{discover, Crawler};

/// What recovery did.
#[derive(Debug, Default)]
pub struct Recovery {
    /// `.open` files closed.
    pub files: usize,
    /// Torn tails moved aside (bytes).
    pub torn_bytes: u64,
    /// Records indexed that the crash had left unindexed.
    pub reindexed: usize,
    /// Files found damaged (not torn) and left alone.
    pub damaged: Vec<String>,
}

impl Crawler {
    /// Repairs `.open` files and indexes what the crash left unindexed.
    pub async fn recover(&self) -> anyhow::Result<Recovery> {
        let dir = self.cfg.warc_dir();
        let ends: Vec<(String, i64)> = sqlx::query_as(
            "SELECT file, MAX(file_offset + length) FROM warc_records GROUP BY file",
        )
        .fetch_all(&self.pool)
        .await?;
        let ends: HashMap<String, u64> = ends.into_iter().map(|(f, e)| (f, e as u64)).collect();
        let repaired =
            tokio::task::spawn_blocking(move || repair_open_files(&dir, &ends)).await??;
        let mut out = Recovery::default();
        for file in repaired {
            if let Some(at) = file.damaged_at {
                tracing::error!(
                    file = %file.file,
                    offset = at,
                    "WARC file is damaged before its last indexed record; left .open and untouched: run `nightjar verify`"
                );
                out.damaged.push(file.file.clone());
                continue;
            }
            out.files += 1;
            if let Some((aside, bytes)) = &file.torn {
                out.torn_bytes += bytes;
                tracing::warn!(file = %file.file, bytes, aside = %aside.display(), "torn tail of an unfinished write moved aside");
            }
            let indexed: HashSet<i64> =
                sqlx::query_scalar("SELECT file_offset FROM warc_records WHERE file = ?")
                    .bind(&file.file)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .collect();
            let mut orphans = Vec::new();
            for f in &file.frames {
                if indexed.contains(&(f.offset as i64)) {
                    continue;
                }
                let rec = ParsedRecord::parse(&f.record).map_err(|e| anyhow::anyhow!(e))?;
                let stored = StoredRecord {
                    file: file.file.clone(),
                    offset: f.offset,
                    length: f.length,
                    record_id: rec.record_id().to_string(),
                    warc_type: rec.warc_type().to_string(),
                    record_digest: archive::digest::sha256_label(&f.record),
                    frame_digest: f.frame_digest.clone(),
                };
                orphans.push((stored, rec));
            }
            out.reindexed += orphans.len();
            self.reindex(orphans).await?;
            tracing::info!(file = %file.file, "closed a WARC file left open by a crash");
        }
        if out.files > 0 {
            tracing::info!(
                files = out.files,
                reindexed = out.reindexed,
                torn_bytes = out.torn_bytes,
                "crash recovery done"
            );
        }
        Ok(out)
    }

    async fn reindex(&self, orphans: Vec<(StoredRecord, ParsedRecord)>) -> anyhow::Result<()> {
        // Group request and metadata records with the response they are concurrent to.
        let mut by_response: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, rec)) in orphans.iter().enumerate() {
            if let Some(to) = rec.get("WARC-Concurrent-To") {
                by_response.entry(to.to_string()).or_default().push(i);
            }
        }
        let mut used = HashSet::new();
        for (i, (stored, rec)) in orphans.iter().enumerate() {
            if !matches!(rec.warc_type(), "response" | "revisit") {
                continue;
            }
            let Ok(url) = Url::parse(rec.get("WARC-Target-URI").unwrap_or("")) else {
                tracing::warn!(record = %stored.record_id, "response record without a usable WARC-Target-URI; indexed as a bare record");
                continue;
            };
            let mut members = vec![i];
            members.extend(
                by_response
                    .get(stored.record_id.as_str())
                    .into_iter()
                    .flatten(),
            );
            members.sort();
            used.extend(members.iter().copied());
            let meta: Vec<(String, String)> = members
                .iter()
                .map(|&m| &orphans[m].1)
                .find(|r| r.warc_type() == "metadata")
                .map(|r| parse_warc_fields(&r.block))
                .unwrap_or_default();
            let field = |k: &str| meta.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            let exchange = StoredExchange {
                records: members.iter().map(|&m| orphans[m].0.clone()).collect(),
                response: members.iter().position(|&m| m == i).expect("member"),
                facts: if rec.warc_type() == "revisit" {
                    revisit_facts(&rec.block, rec.get("WARC-Payload-Digest"))
                } else {
                    response_facts(&rec.block)
                },
                date: rec
                    .get("WARC-Date")
                    .and_then(|d| d.parse().ok())
                    .unwrap_or_else(chrono::Utc::now),
                truncated: rec
                    .get("WARC-Truncated")
                    .filter(|_| rec.warc_type() == "response")
                    .map(str::to_string),
                revisit: revisit_of(rec),
            };
            let seed = field("seed");
            let round = field("round").and_then(|c| c.parse::<i64>().ok());
            let lease = match (&seed, round, field("purpose")) {
                (Some(label), Some(round), None) => {
                    self.frontier.lease_for(label, url.as_str(), round).await?
                }
                _ => None,
            };
            match lease {
                Some(lease) => {
                    let found = discover(&url, &rec.block, &Default::default());
                    self.ingest(&lease, &url, &exchange, &found).await?;
                }
                None => {
                    let found = discover(&url, &rec.block, &Default::default());
                    let mut tx = self.pool.begin().await?;
                    let id = archive::index::insert_exchange(
                        &mut tx,
                        url.as_str(),
                        &surt(&url),
                        &exchange,
                        seed.as_deref(),
                    )
                    .await?;
                    archive::changes::record(&mut tx, id, found.content.as_ref()).await?;
                    tx.commit().await?;
                }
            }
        }
        // Anything else (a warcinfo, a request whose response never made it) is indexed as a
        // record with no capture, so verify can account for every byte.
        let mut tx = self.pool.begin().await?;
        for (i, (stored, _)) in orphans.iter().enumerate() {
            if !used.contains(&i) {
                archive::index::insert_record(&mut tx, stored, None).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The revisit facts of a record read back, if it is a revisit nightjar knows how to index.
fn revisit_of(rec: &ParsedRecord) -> Option<RevisitFacts> {
    if rec.warc_type() != "revisit" {
        return None;
    }
    let profile = match rec.get("WARC-Profile")? {
        p if p == IDENTICAL_PAYLOAD_DIGEST => IDENTICAL_PAYLOAD_DIGEST,
        p if p == SERVER_NOT_MODIFIED => SERVER_NOT_MODIFIED,
        _ => return None,
    };
    Some(RevisitFacts {
        profile,
        refers_to: rec.get("WARC-Refers-To")?.to_string(),
    })
}
