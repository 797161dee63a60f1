//! Putting things right after a crash, before crawling resumes.
//!
//! The archive crate mends `.open` files (whole frames kept, a torn tail moved aside). Here the
//! records those files hold but the index lacks (archived, then the process died before the
//! index transaction) are indexed from their own bytes, and the frontier is told the URL was
//! captured and what it links to, exactly as if the crawl had not stopped. Nothing is fetched
//! twice and nothing archived goes unindexed.

use std::collections::{HashMap, HashSet};

use anyhow::Context;

use archive::record::{parse_warc_fields, ParsedRecord, RecordType};
use archive::repair::repair_open_files;
use archive::writer::{
    response_facts, revisit_facts, RevisitFacts, StoredExchange, StoredRecord,
    IDENTICAL_PAYLOAD_DIGEST, SERVER_NOT_MODIFIED,
};
use frontier::canon::surt;
use url::Url;

use crate::engine::{discover, Crawler, Purpose};

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
    /// What was cut back, for the archive's repair records.
    pub repairs: Vec<archive::custody::repairs::Repair>,
}

impl Crawler {
    /// Repairs `.open` files and indexes what the crash left unindexed.
    pub async fn recover(&self) -> anyhow::Result<Recovery> {
        let dir = self.cfg().warc_dir();
        let ends: HashMap<String, u64> = archive::index::indexed_ends(self.db())
            .await?
            .into_iter()
            .collect();
        let repaired =
            tokio::task::spawn_blocking(move || repair_open_files(&dir, &ends)).await??;
        let mut out = Recovery::default();
        let mut carry: Option<(u64, [u8; 32])> = None;
        // Append order: files by serial (a name's timestamp is when its first fetch began).
        let mut repaired = repaired;
        repaired.sort_by_key(|r| archive::files::serial_of(&r.file).unwrap_or(u32::MAX));
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
                let kept = file.frames.last().map_or(0, |f| f.offset + f.length);
                out.repairs
                    .push(archive::custody::repairs::Repair::torn_tail(
                        &file.file,
                        kept + bytes,
                        kept,
                        &aside
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    ));
                tracing::warn!(file = %file.file, bytes, aside = %aside.display(), "torn tail of an unfinished write moved aside");
            }
            let indexed: HashMap<u64, (u64, String)> =
                archive::index::chain_positions_in(self.db(), &file.file)
                    .await?
                    .into_iter()
                    .map(|(o, s, c)| (o, (s, c)))
                    .collect();
            // A file holds a contiguous run of the archive's records: its first position
            // follows from any indexed record in it, else it continues the chain.
            let first_seq = match file
                .frames
                .iter()
                .enumerate()
                .find_map(|(i, f)| indexed.get(&f.offset).map(|(s, _)| s - i as u64))
            {
                Some(s) => s,
                None => match carry {
                    Some((s, _)) => s + 1,
                    None => archive::index::chain_head(self.db()).await?.0 + 1,
                },
            };
            let mut value = match carry {
                Some((s, v)) if s + 1 == first_seq => v,
                _ => self.chain_at(first_seq - 1).await?,
            };
            let mut orphans = Vec::new();
            for (j, f) in file.frames.iter().enumerate() {
                if let Some((_, c)) = indexed.get(&f.offset) {
                    value = archive::custody::chain::parse(c).with_context(|| {
                        format!("the index's chain value for {} at {} is damaged: run `nightjar verify`", file.file, f.offset)
                    })?;
                    continue;
                }
                let digest = archive::digest::Sha256::of(&f.record);
                value = archive::custody::chain::extend(&value, &digest);
                let rec = ParsedRecord::parse(&f.record).map_err(|e| anyhow::anyhow!(e))?;
                let stored = StoredRecord {
                    file: file.file.clone(),
                    offset: f.offset,
                    length: f.length,
                    record_id: rec.record_id().to_string(),
                    warc_type: rec.record_type().with_context(|| {
                        format!(
                            "{} at {} has WARC-Type {:?}, which nightjar never writes: run `nightjar verify`",
                            file.file,
                            f.offset,
                            rec.warc_type()
                        )
                    })?,
                    record_digest: digest.to_string(),
                    frame_digest: f.frame_digest.clone(),
                    seq: first_seq + j as u64,
                    chain: archive::custody::chain::label(&value),
                };
                orphans.push((stored, rec));
            }
            carry = Some((first_seq + file.frames.len() as u64 - 1, value));
            out.reindexed += orphans.len();
            self.reindex(orphans).await?;
            if !file.frames.is_empty() {
                let dir = self.cfg().warc_dir();
                let name = file.file.clone();
                tokio::task::spawn_blocking(move || archive::repair::close_repaired(&dir, &name))
                    .await??;
            }
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

    /// Stores robots.txt rules read back from an archived response.
    async fn recover_robots(&self, url: &Url, raw: &[u8]) -> anyhow::Result<()> {
        let Ok(msg) = archive::http::HttpMessage::parse_response(raw) else {
            return Ok(());
        };
        let body = crate::decode::decode_content(
            msg.header("content-encoding"),
            &msg.payload,
            &Default::default(),
        )
        .unwrap_or_default();
        let host = frontier::queue::host_key(url);
        self.frontier()
            .store_robots(
                &host,
                msg.status.unwrap_or(0),
                &String::from_utf8_lossy(&body),
            )
            .await?;
        Ok(())
    }

    /// The chain value after record `seq` (the genesis value before the first).
    async fn chain_at(&self, seq: u64) -> anyhow::Result<[u8; 32]> {
        if seq == 0 {
            return Ok(archive::custody::chain::GENESIS);
        }
        let c = archive::index::chain_value_at(self.db(), seq)
            .await?
            .with_context(|| {
                format!("the index has no chain value for record {seq}: run `nightjar verify`")
            })?;
        archive::custody::chain::parse(&c).with_context(|| {
            format!("the index's chain value for record {seq} is damaged: run `nightjar verify`")
        })
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
            if !matches!(
                rec.record_type(),
                Some(RecordType::Response | RecordType::Revisit)
            ) {
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
                .find(|r| r.record_type() == Some(RecordType::Metadata))
                .map(|r| parse_warc_fields(&r.block))
                .unwrap_or_default();
            let field = |k: &str| meta.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            let exchange = StoredExchange {
                records: members.iter().map(|&m| orphans[m].0.clone()).collect(),
                extra: Vec::new(),
                response: members.iter().position(|&m| m == i).expect("member"),
                facts: if rec.record_type() == Some(RecordType::Revisit) {
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
                    .filter(|_| rec.record_type() == Some(RecordType::Response))
                    .map(str::to_string),
                revisit: revisit_of(rec),
            };
            let seed = field("seed");
            let round = field("round").and_then(|c| c.parse::<i64>().ok());
            // A page served while its session was lost is indexed as such, as when it was
            // fetched (see `crate::session`).
            let logged_out = field("session").and_then(|v| {
                v.strip_prefix("lost")
                    .map(|why| why.trim_start_matches(':').trim().to_string())
            });
            let lease = match (&seed, round, field("purpose")) {
                (Some(label), Some(round), None) => {
                    self.frontier()
                        .lease_for(label, url.as_str(), round)
                        .await?
                }
                _ => None,
            };
            match lease {
                Some(lease) => {
                    let rules = self.rules_of(&lease.seed);
                    let mut found = discover(&url, &rec.block, &Default::default(), &rules);
                    found.session = logged_out.clone().map(crate::session::SessionState::Lost);
                    self.ingest(&lease, &url, &exchange, &found, Purpose::Page, None)
                        .await?;
                }
                None => {
                    let found =
                        discover(&url, &rec.block, &Default::default(), &Default::default());
                    if field("purpose").as_deref() == Some("robots") && found.redirect.is_none() {
                        // The rules were archived but not stored: store them from the
                        // archived bytes, or the next lease would fetch them again.
                        self.recover_robots(&url, &rec.block).await?;
                    }
                    let mut tx = self.db().begin().await?;
                    let row = archive::index::insert_exchange(
                        &mut tx,
                        url.as_str(),
                        &surt(&url),
                        &exchange,
                        seed.as_deref(),
                    )
                    .await?;
                    if logged_out.is_some() {
                        archive::changes::record_logged_out(&mut tx, row.id).await?;
                    } else {
                        archive::changes::record_row(&mut tx, row, found.prepared.as_ref(), None)
                            .await?;
                    }
                    tx.commit().await?;
                }
            }
        }
        // Anything else (a warcinfo, a request whose response never made it) is indexed as a
        // record with no capture, so verify can account for every byte.
        // An erasure record among them was written by an erasure the crash stopped before its
        // index transaction: that transaction is done now, and the start blanks its frames
        // (`finish_erasures`), as for one stopped later.
        let mut tx = self.db().begin().await?;
        for (i, (stored, rec)) in orphans.iter().enumerate() {
            if !used.contains(&i) {
                archive::index::insert_record(&mut tx, stored, None).await?;
                if let Some((erasure, _, true)) = archive::erasure::Erasure::of(rec) {
                    archive::erasure::scrub(&mut tx, &stored.record_id, &erasure).await?;
                    tracing::warn!(erasure = %stored.record_id, "an erasure the crash interrupted is taken up again");
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The revisit facts of a record read back, if it is a revisit nightjar knows how to index.
fn revisit_of(rec: &ParsedRecord) -> Option<RevisitFacts> {
    if rec.record_type() != Some(RecordType::Revisit) {
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
