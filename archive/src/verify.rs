//! Re-reading the archive to prove it is what the index says it is.
//!
//! Verification trusts nothing it wrote itself: every frame is decompressed again, parsed by
//! the `warc` crate, and its block and payload digests recomputed; the fields every record
//! must carry are checked, and so is the grouping of each capture (request and metadata
//! records point at an existing response with the same WARC-Date). A revisit must name a
//! response in the archive with the payload digest, URL and date it states, or replay would
//! serve the wrong body, or none. Then every index row is
//! checked against the record actually found at its file and offset, and every record found
//! is checked to have an index row. Each finding names file, offset and record ID.
//!
//! A data directory may be verified while the daemon writes to it: in a file still `.open`,
//! records after the last indexed one (and a frame still being written) are counted as
//! pending, not as findings.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use db::Db;
use serde::Serialize;

use crate::custody::{chain, check};
use crate::digest::{normalise, sha256_label};
use crate::files::{index_name, warc_files};
use crate::frames::FrameWalker;
use crate::http::HttpMessage;
use crate::index;
use crate::record::{ParsedRecord, RecordType};
use crate::writer::response_facts;

/// One problem found.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// WARC file (name only).
    pub file: String,
    /// Offset of the frame concerned.
    pub offset: Option<u64>,
    /// WARC-Record-ID concerned.
    pub record_id: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(o) = self.offset {
            write!(f, " @ {o}")?;
        }
        if let Some(id) = &self.record_id {
            write!(f, " {id}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// What verification saw.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// WARC files read.
    pub files: usize,
    /// Records read and digest-checked.
    pub records: usize,
    /// Index rows (records and captures) checked against the files.
    pub index_rows: usize,
    /// Records (or a frame being written) at the end of `.open` files, not yet indexed.
    pub pending: usize,
    /// Everything wrong.
    pub findings: Vec<Finding>,
    /// What was (not) checked and against what, for the reader.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Repair records found in the archive, in archive order (see
    /// [`crate::custody::repairs`]): not findings, but each wants an operator's
    /// acknowledgement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<RepairSeen>,
    /// Erasure records found in the archive, in archive order (see [`crate::erasure`]): what
    /// each erased, under which policy or request, when and by whom. Not findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erasures: Vec<crate::erasure::ErasureSeen>,
    /// Records whose place holds the blank frame an erasure record explains.
    pub erased: usize,
}

/// A repair record, where it was found.
#[derive(Clone, Debug, Serialize)]
pub struct RepairSeen {
    /// WARC file holding the repair record.
    pub file: String,
    /// Its offset.
    pub offset: u64,
    /// Its WARC-Record-ID (what `nightjar custody ack` takes).
    pub record_id: String,
    /// Its WARC-Date.
    pub date: String,
    /// What it says was done.
    pub repair: crate::custody::repairs::Repair,
    /// Who accepted it, if anyone has (filled in by the caller, from the audit log).
    pub acknowledged: Option<crate::custody::repairs::Acknowledgement>,
}

impl Report {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }
}

/// A record as found on disk.
#[derive(Clone, Debug)]
struct Found {
    length: u64,
    record_id: String,
    record_digest: String,
    frame_digest: String,
    target_uri: Option<String>,
    payload_digest: Option<String>,
    date: String,
    status: u16,
    mime: Option<String>,
    /// Still `.open`.
    open: bool,
    /// WARC-Type.
    warc_type: String,
    /// Has WARC-Truncated.
    truncated: bool,
    /// A chain checkpoint's stated position and head.
    checkpoint: Option<(u64, String)>,
    /// The node key a warcinfo or checkpoint record names (its fingerprint).
    node_key: Option<String>,
    /// A key rotation record's rotation.
    rotation: Option<crate::custody::rotation::Rotation>,
}

/// A revisit's pointer to its original, checked once every record is known.
struct RefersTo {
    file: String,
    offset: u64,
    id: String,
    profile: String,
    to: Option<String>,
    uri: Option<String>,
    date: Option<String>,
    payload_digest: Option<String>,
}

/// Concurrent-To links seen, checked once every record is known.
struct Link {
    file: String,
    offset: u64,
    id: String,
    to: String,
    date: String,
}

/// Checks one record on its own; returns what the index checks need.
fn check_record(
    raw: &[u8],
    file: &str,
    offset: u64,
    report: &mut Report,
    links: &mut Vec<Link>,
    revisits: &mut Vec<RefersTo>,
) -> Option<Found> {
    let mut problems = Vec::new();
    let rec = match ParsedRecord::parse(raw) {
        Ok(r) => r,
        Err(e) => {
            report.findings.push(Finding {
                file: file.to_string(),
                offset: Some(offset),
                record_id: None,
                problem: e,
            });
            return None;
        }
    };
    let id = rec.record_id().to_string();
    for field in ["WARC-Record-ID", "WARC-Date", "WARC-Type"] {
        if rec.get(field).is_none_or(str::is_empty) {
            problems.push(format!("mandatory field {field} is missing"));
        }
    }
    let kind = rec.record_type();
    match (kind, rec.get("WARC-Target-URI")) {
        (Some(RecordType::Warcinfo), Some(_)) => {
            problems.push("a warcinfo record must not have WARC-Target-URI".into())
        }
        (
            Some(
                t @ (RecordType::Request
                | RecordType::Response
                | RecordType::Revisit
                | RecordType::Resource),
            ),
            None,
        ) => problems.push(format!("a {t} record must have WARC-Target-URI")),
        _ => {}
    }
    match rec.get("WARC-Block-Digest") {
        Some(d) if normalise(d) == sha256_label(&rec.block) => {}
        Some(d) => problems.push(format!(
            "block digest mismatch: header says {d}, block hashes to {}",
            sha256_label(&rec.block)
        )),
        None => problems.push("no WARC-Block-Digest".into()),
    }
    let mut payload_digest = None;
    if kind == Some(RecordType::Response) {
        match (
            rec.get("WARC-Payload-Digest"),
            HttpMessage::parse_response(&rec.block),
        ) {
            (Some(d), Ok(msg)) => {
                payload_digest = Some(normalise(d));
                if normalise(d) != sha256_label(&msg.payload) {
                    problems.push(format!(
                        "payload digest mismatch: header says {d}, payload hashes to {}",
                        sha256_label(&msg.payload)
                    ));
                }
            }
            (None, Ok(_)) => problems.push("response without WARC-Payload-Digest".into()),
            (Some(d), Err(e)) => {
                payload_digest = Some(normalise(d));
                problems.push(format!("payload digest {d} given, but {e}"));
            }
            (None, Err(_)) => {}
        }
    }
    if kind == Some(RecordType::Revisit) {
        payload_digest = rec.get("WARC-Payload-Digest").map(normalise);
        match rec.get("WARC-Profile") {
            None => problems.push("a revisit record must have WARC-Profile".into()),
            Some(profile) => revisits.push(RefersTo {
                file: file.to_string(),
                offset,
                id: id.clone(),
                profile: profile.to_string(),
                to: rec.get("WARC-Refers-To").map(str::to_string),
                uri: rec.get("WARC-Refers-To-Target-URI").map(str::to_string),
                date: rec.get("WARC-Refers-To-Date").map(str::to_string),
                payload_digest: payload_digest.clone(),
            }),
        }
    }
    let date = rec.get("WARC-Date").unwrap_or("").to_string();
    if let Some(repair) = crate::custody::repairs::Repair::of(&rec) {
        report.repairs.push(RepairSeen {
            file: file.to_string(),
            offset,
            record_id: id.clone(),
            date: date.clone(),
            repair,
            acknowledged: None,
        });
    }
    if let Some((erasure, node_key, signed)) = crate::erasure::Erasure::of(&rec) {
        if !signed {
            problems.push(
                "this erasure record's signature does not verify with the key it names: it was altered or forged".into(),
            );
        }
        report.erasures.push(crate::erasure::ErasureSeen {
            record_id: id.clone(),
            file: file.to_string(),
            offset,
            erasure,
            node_key,
            signed,
        });
    }
    if let Some(to) = rec.get("WARC-Concurrent-To") {
        links.push(Link {
            file: file.to_string(),
            offset,
            id: id.clone(),
            to: to.to_string(),
            date: date.clone(),
        });
    }
    for problem in problems {
        report.findings.push(Finding {
            file: file.to_string(),
            offset: Some(offset),
            record_id: Some(id.clone()),
            problem,
        });
    }
    let facts = matches!(kind, Some(RecordType::Response | RecordType::Revisit))
        .then(|| response_facts(&rec.block));
    Some(Found {
        length: 0,
        record_id: id,
        record_digest: sha256_label(raw),
        frame_digest: String::new(),
        target_uri: rec.get("WARC-Target-URI").map(str::to_string),
        payload_digest,
        date,
        status: facts.as_ref().map_or(0, |f| f.status),
        mime: facts.and_then(|f| f.mime),
        open: false,
        warc_type: rec.warc_type().to_string(),
        truncated: rec.get("WARC-Truncated").is_some(),
        checkpoint: checkpoint_of(&rec),
        node_key: node_key_of(&rec),
        rotation: crate::custody::rotation::Rotation::of(&rec),
    })
}

/// The node key fingerprint a warcinfo or chain checkpoint record names, if any.
fn node_key_of(rec: &ParsedRecord) -> Option<String> {
    let about_archive = match rec.record_type() {
        Some(RecordType::Warcinfo) => true,
        Some(RecordType::Metadata) => matches!(
            rec.get("WARC-Target-URI"),
            Some(chain::CHECKPOINT_URI | crate::erasure::ERASURE_URI)
        ),
        _ => false,
    };
    if !about_archive {
        return None;
    }
    crate::record::parse_warc_fields(&rec.block)
        .into_iter()
        .find(|(n, _)| n == "node-key")
        .map(|(_, v)| v)
}

/// The position and head a chain checkpoint record states.
fn checkpoint_of(rec: &ParsedRecord) -> Option<(u64, String)> {
    if rec.record_type() != Some(RecordType::Metadata)
        || rec.get("WARC-Target-URI") != Some(chain::CHECKPOINT_URI)
    {
        return None;
    }
    let fields = crate::record::parse_warc_fields(&rec.block);
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    Some((get("chain-seq")?.parse().ok()?, get("chain-head")?))
}

/// The bytes a repair moved aside are evidence too (what was received, unfinished): each
/// repair record's `moved-to` file should still be there, with the size the record implies.
/// A note, not a finding: an operator may have taken the tail elsewhere after examining it.
fn check_moved_aside(warc_dir: &Path, report: &mut Report) {
    let mut notes = Vec::new();
    for r in &report.repairs {
        let Some(m) = &r.repair.moved_to else {
            continue;
        };
        let expected = r.repair.old_size.saturating_sub(r.repair.new_size);
        let path = warc_dir.join(m);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.len() == expected => {}
            Ok(meta) => notes.push(format!(
                "repair record {} says {expected} bytes were kept in {m}, which holds {}",
                r.record_id,
                meta.len()
            )),
            Err(_) => notes.push(format!(
                "repair record {} says {expected} bytes were kept in {m}, which is not in the WARC directory",
                r.record_id
            )),
        }
    }
    report.notes.extend(notes);
}

/// Verifies every WARC file in `warc_dir` and, when given, the index against them, and the
/// chain of custody (chain, checkpoints, seals and their timestamps, against `trust`).
pub async fn verify(
    warc_dir: &Path,
    db: Option<&Db>,
    trust: &check::Trust,
) -> anyhow::Result<Report> {
    verify_inner(warc_dir, db, trust, true).await
}

/// Checks the records of the WARC files in `dir` on their own (digests, fields, revisits),
/// without an index or a chain of custody: for WARC files taken out of an archive.
pub async fn verify_records(dir: &Path) -> anyhow::Result<Report> {
    verify_inner(dir, None, &check::Trust::default(), false).await
}

async fn verify_inner(
    warc_dir: &Path,
    db: Option<&Db>,
    trust: &check::Trust,
    custody: bool,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let mut found: HashMap<(String, u64), Found> = HashMap::new();
    let mut links = Vec::new();
    let mut revisits = Vec::new();
    let mut custody_files: Vec<check::FileInfo> = Vec::new();
    // Unreadable tails of `.open` files: (file, offset), judged once the index is known.
    let mut open_tails: Vec<(String, u64, String)> = Vec::new();
    // How far each file was read: index rows past it were written after.
    let mut read_end: HashMap<String, u64> = HashMap::new();
    // Blank frames (erased records' places): file, offset, length, and where their chain
    // link is (file index, link index), filled in from the erasure records once all are read.
    let mut blanks: Vec<(String, u64, u64, usize, usize)> = Vec::new();
    for path in warc_files(warc_dir)? {
        report.files += 1;
        let name = index_name(&path);
        let open = path.extension().is_some_and(|e| e == "open");
        let mut chain_links = Vec::new();
        let (path, walker) = match FrameWalker::open(&path) {
            Ok(w) => (path, w),
            // Closed (renamed) between listing and opening: read it under its final name.
            Err(e) if open && e.kind() == std::io::ErrorKind::NotFound => {
                let closed = path.with_extension("");
                let w = FrameWalker::open(&closed)?;
                (closed, w)
            }
            Err(e) => return Err(e.into()),
        };
        for frame in walker {
            match frame {
                Ok(frame) if frame.is_blank() => {
                    report.records += 1;
                    read_end.insert(name.clone(), frame.offset + frame.length);
                    blanks.push((
                        name.clone(),
                        frame.offset,
                        frame.length,
                        custody_files.len(),
                        chain_links.len(),
                    ));
                    chain_links.push(check::Link {
                        file: name.clone(),
                        offset: frame.offset,
                        record_id: String::new(),
                        record_digest: String::new(),
                        checkpoint: None,
                        node_key: None,
                        rotation: None,
                    });
                }
                Ok(frame) => {
                    report.records += 1;
                    read_end.insert(name.clone(), frame.offset + frame.length);
                    let mut link = check::Link {
                        file: name.clone(),
                        offset: frame.offset,
                        record_id: String::new(),
                        record_digest: sha256_label(&frame.record),
                        checkpoint: None,
                        node_key: None,
                        rotation: None,
                    };
                    if let Some(mut f) = check_record(
                        &frame.record,
                        &name,
                        frame.offset,
                        &mut report,
                        &mut links,
                        &mut revisits,
                    ) {
                        f.length = frame.length;
                        f.frame_digest = frame.frame_digest;
                        f.open = open;
                        link.record_id = f.record_id.clone();
                        link.checkpoint = f.checkpoint.clone();
                        link.node_key = f.node_key.clone();
                        link.rotation = f.rotation.clone();
                        found.insert((name.clone(), frame.offset), f);
                    }
                    chain_links.push(link);
                }
                Err(e) if open => open_tails.push((name.clone(), e.offset, e.error.to_string())),
                Err(e) => report.findings.push(Finding {
                    file: name.clone(),
                    offset: Some(e.offset),
                    record_id: None,
                    problem: format!(
                        "unreadable data from here to the end of the file ({}); a damaged frame",
                        e.error
                    ),
                }),
            }
        }
        custody_files.push(check::FileInfo {
            name: name.clone(),
            path: path.clone(),
            open,
            records: chain_links,
            rewrites: Vec::new(),
        });
    }
    check_moved_aside(warc_dir, &mut report);
    let seen = report.erasures.clone();
    let erased = explain_erasures(&mut report, &seen, &blanks, &mut custody_files, &found);
    let dates: HashMap<&str, (&str, &Found)> = found
        .values()
        .map(|f| (f.record_id.as_str(), (f.date.as_str(), f)))
        .collect();
    for l in &links {
        let problem = match dates.get(l.to.as_str()) {
            None => Some(format!(
                "WARC-Concurrent-To {} names no record in the archive",
                l.to
            )),
            Some((date, _)) if *date != l.date => Some(format!(
                "WARC-Date {} differs from {} of the record it is concurrent to",
                l.date, date
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            report.findings.push(Finding {
                file: l.file.clone(),
                offset: Some(l.offset),
                record_id: Some(l.id.clone()),
                problem,
            });
        }
    }
    for r in &revisits {
        if let Some((t, e)) = r.to.as_deref().and_then(|to| erased.by_id.get(to)) {
            report.notes.push(format!(
                "revisit {} ({} at {}) refers to {}, {}",
                r.id,
                r.file,
                r.offset,
                t.record_id,
                e.erasure.summary()
            ));
            continue;
        }
        if let Some(problem) = revisit_problem(r, &dates) {
            report.findings.push(Finding {
                file: r.file.clone(),
                offset: Some(r.offset),
                record_id: Some(r.id.clone()),
                problem,
            });
        }
    }
    let Some(db) = db else {
        if custody {
            let (findings, summary) = check::check(warc_dir, &custody_files, None, trust);
            report.findings.extend(findings);
            report.notes.extend(summary.notes);
        }
        for (file, offset, error) in open_tails {
            report.findings.push(Finding {
                file,
                offset: Some(offset),
                record_id: None,
                problem: format!("unreadable data at the end of an .open file ({error})"),
            });
        }
        return Ok(report);
    };

    // The index is read after the files, in one transaction: every row it holds for a record
    // the files had when read is there, and rows past what was read are pending.
    let (record_rows, captures) = index::snapshot(db).await?;
    let live = trust.live;
    // A file the index names but that was not read is pending only if it is newer than
    // every file read (created after the listing); a missing older file is a finding.
    let newest_read = custody_files
        .iter()
        .filter_map(|f| crate::files::serial_of(&f.name))
        .max()
        .unwrap_or(0);
    let past_read = |file: &str, offset: i64| {
        live && match read_end.get(file) {
            Some(end) => offset as u64 >= *end,
            None => crate::files::serial_of(file).is_some_and(|s| s > newest_read),
        }
    };
    let positions: HashMap<String, (u64, String)> = record_rows
        .iter()
        .map(|r| (r.record_id.clone(), (r.seq as u64, r.chain.clone())))
        .collect();
    let (findings, summary) = check::check(warc_dir, &custody_files, Some(&positions), trust);
    report.findings.extend(findings);
    report.notes.extend(summary.notes);
    report.pending += summary.pending_seals;
    // Append order of what was read, and the first record the index does not have yet: while
    // the daemon writes, records from there on may still be on their way into the index.
    let mut ordered: Vec<&check::FileInfo> = custody_files.iter().collect();
    ordered.sort_by_key(|f| {
        (
            crate::files::serial_of(&f.name).unwrap_or(u32::MAX),
            f.name.clone(),
        )
    });
    let mut position: HashMap<(String, u64), usize> = HashMap::new();
    for (i, r) in ordered.iter().flat_map(|f| f.records.iter()).enumerate() {
        position.insert((r.file.clone(), r.offset), i);
    }
    // Only after the last record the index has: an unindexed record with indexed ones after
    // it was not merely late.
    let first_unindexed = ordered
        .iter()
        .flat_map(|f| f.records.iter())
        .enumerate()
        .filter(|(_, r)| positions.contains_key(&r.record_id))
        .map(|(i, _)| i + 1)
        .max()
        .unwrap_or(0);
    let mut indexed_end: HashMap<String, u64> = HashMap::new();
    let mut indexed: HashMap<(String, u64), ()> = HashMap::new();
    for row in &record_rows {
        report.index_rows += 1;
        let key = (row.file.clone(), row.file_offset as u64);
        indexed.insert(key.clone(), ());
        // A checkpoint written at shutdown may follow groups abandoned unindexed: they
        // are still pending (the next start indexes them), so it does not move the end.
        if row.capture_id.is_some() || row.warc_type == RecordType::Warcinfo {
            let end = indexed_end.entry(row.file.clone()).or_insert(0);
            *end = (*end).max((row.file_offset + row.length) as u64);
        }
        if let Some((t, _)) = erased.at.get(&key) {
            let problem = if t.record_id != row.record_id {
                Some(format!(
                    "index names this record but the erasure record blanked {} here",
                    t.record_id
                ))
            } else if t.record_digest != row.record_digest || t.frame_digest != row.frame_digest {
                Some("the index's digests differ from the erasure record's tombstone".into())
            } else {
                None
            };
            if let Some(problem) = problem {
                report.findings.push(Finding {
                    file: row.file.clone(),
                    offset: Some(row.file_offset as u64),
                    record_id: Some(row.record_id.clone()),
                    problem,
                });
            }
            continue;
        }
        let problem = match found.get(&key) {
            None if past_read(&row.file, row.file_offset) => {
                report.pending += 1;
                None
            }
            None => Some(format!(
                "index row for a {} record points at an offset where no readable record starts",
                row.warc_type
            )),
            Some(f) if f.record_id != row.record_id => Some(format!(
                "index names this record but the file holds {}",
                f.record_id
            )),
            Some(f) if f.length != row.length as u64 => Some(format!(
                "index length {} but the frame is {} bytes",
                row.length, f.length
            )),
            Some(f) if f.record_digest != row.record_digest => Some(format!(
                "record digest in the index {} but the record hashes to {}",
                row.record_digest, f.record_digest
            )),
            Some(f) if f.frame_digest != row.frame_digest => Some(format!(
                "frame digest in the index {} but the stored frame hashes to {}",
                row.frame_digest, f.frame_digest
            )),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            report.findings.push(Finding {
                file: row.file.clone(),
                offset: Some(row.file_offset as u64),
                record_id: Some(row.record_id.clone()),
                problem,
            });
        }
    }
    report
        .findings
        .extend(captures_against_records(&captures, &record_rows));
    for cap in captures {
        report.index_rows += 1;
        let (Some(file), Some(offset)) = (&cap.file, cap.file_offset) else {
            continue;
        };
        let problem = match found.get(&(file.clone(), offset as u64)) {
            None if past_read(file, offset) => None,
            None => Some("no readable record at the indexed offset".to_string()),
            Some(f) => capture_mismatch(&cap, f),
        };
        if let Some(problem) = problem {
            report.findings.push(Finding {
                file: file.clone(),
                offset: Some(offset as u64),
                record_id: cap.record_id.clone(),
                problem: format!("capture {}: {problem}", cap.id),
            });
        }
    }
    let mut strays: Vec<_> = found
        .iter()
        .filter(|(k, _)| !indexed.contains_key(*k))
        .collect();
    strays.sort_by(|a, b| a.0.cmp(b.0));
    for ((file, offset), f) in strays {
        let at_end = position
            .get(&(file.clone(), *offset))
            .is_some_and(|p| *p >= first_unindexed);
        if (f.open && *offset >= indexed_end.get(file).copied().unwrap_or(0)) || (live && at_end) {
            report.pending += 1;
            continue;
        }
        report.findings.push(Finding {
            file: file.clone(),
            offset: Some(*offset),
            record_id: Some(f.record_id.clone()),
            problem: "record is not in the index".into(),
        });
    }
    for (file, offset, error) in open_tails {
        if live || offset >= indexed_end.get(&file).copied().unwrap_or(0) {
            report.pending += 1;
        } else {
            report.findings.push(Finding {
                file,
                offset: Some(offset),
                record_id: None,
                problem: format!("unreadable data before indexed records ({error})"),
            });
        }
    }
    Ok(report)
}

/// The erasures read from the archive, by the place and by the ID of each record they name.
#[derive(Default)]
struct Erased<'a> {
    at: HashMap<
        (String, u64),
        (
            &'a crate::erasure::Tombstone,
            &'a crate::erasure::ErasureSeen,
        ),
    >,
    by_id: HashMap<
        &'a str,
        (
            &'a crate::erasure::Tombstone,
            &'a crate::erasure::ErasureSeen,
        ),
    >,
}

/// Ties each blank frame to the erasure record that names its place, and gives its chain
/// link the tombstone's record ID and digest, so that the chain, the seals' record lists
/// and the log are checked across it as if the record were there: they prove every other
/// record unchanged. A blank frame no erasure names is a record removed without one; a named
/// record still there is an erasure that did not finish. Each file an erasure changed gets
/// its before and after hashes, for the seal check.
fn explain_erasures<'a>(
    report: &mut Report,
    seen: &'a [crate::erasure::ErasureSeen],
    blanks: &[(String, u64, u64, usize, usize)],
    files: &mut [check::FileInfo],
    found: &HashMap<(String, u64), Found>,
) -> Erased<'a> {
    let mut erased = Erased::default();
    for e in seen {
        for t in &e.erasure.records {
            erased.at.insert((t.file.clone(), t.offset), (t, e));
            erased.by_id.insert(t.record_id.as_str(), (t, e));
        }
        for change in &e.erasure.files {
            if let Some(f) = files.iter_mut().find(|f| f.name == change.file) {
                f.rewrites
                    .push((change.before.clone(), change.after.clone()));
            }
        }
    }
    for (file, offset, length, fi, li) in blanks {
        match erased.at.get(&(file.clone(), *offset)) {
            Some((t, _)) if t.length == *length => {
                report.erased += 1;
                let link = &mut files[*fi].records[*li];
                link.record_id = t.record_id.clone();
                link.record_digest = t.record_digest.clone();
            }
            _ => report.findings.push(Finding {
                file: file.clone(),
                offset: Some(*offset),
                record_id: None,
                problem: "a blank frame that no erasure record names: a record was removed here without an erasure record".into(),
            }),
        }
    }
    for ((file, offset), (t, e)) in &erased.at {
        if found
            .get(&(file.clone(), *offset))
            .is_some_and(|f| f.record_id == t.record_id)
        {
            report.findings.push(Finding {
                file: file.clone(),
                offset: Some(*offset),
                record_id: Some(t.record_id.clone()),
                problem: format!(
                    "erasure record {} names this record, but its bytes are still here: the erasure did not finish (starting nightjar finishes it)",
                    e.record_id
                ),
            });
        }
    }
    erased
}

/// The two halves of the index, each against the other: every record row that belongs to a
/// capture names one that exists, and every archived capture's record row names it back.
/// A capture row deleted (or added) behind the daemon's back is found here even when the
/// WARC files and the record rows are intact.
fn captures_against_records(
    captures: &[index::CaptureRow],
    records: &[index::RecordRow],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let by_id: HashMap<i64, &index::CaptureRow> = captures.iter().map(|c| (c.id, c)).collect();
    let by_record: HashMap<&str, &index::RecordRow> =
        records.iter().map(|r| (r.record_id.as_str(), r)).collect();
    let mut missing: Vec<&index::RecordRow> = records
        .iter()
        .filter(|r| r.capture_id.is_some_and(|c| !by_id.contains_key(&c)))
        .collect();
    missing.sort_by_key(|r| r.seq);
    for r in missing {
        out.push(Finding {
            file: r.file.clone(),
            offset: Some(r.file_offset as u64),
            record_id: Some(r.record_id.clone()),
            problem: format!(
                "this {} record belongs to capture {}, which is missing from the capture index: the capture was deleted from the index (its records are intact; `nightjar reindex` does not restore a deleted capture row, restore the database from a backup)",
                r.warc_type,
                r.capture_id.unwrap_or_default()
            ),
        });
    }
    for c in captures {
        let Some(id) = c.record_id.as_deref() else {
            continue;
        };
        let problem = match by_record.get(id) {
            None => Some("its record has no row in the record index".to_string()),
            Some(r) if r.capture_id != Some(c.id) => Some(format!(
                "the record index gives its record to {}",
                r.capture_id
                    .map(|o| format!("capture {o}"))
                    .unwrap_or_else(|| "no capture".into())
            )),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            out.push(Finding {
                file: c.file.clone().unwrap_or_default(),
                offset: c.file_offset.map(|o| o as u64),
                record_id: Some(id.to_string()),
                problem: format!("capture {}: {problem}", c.id),
            });
        }
    }
    out
}

/// What is wrong with a revisit's reference to its original, if anything.
fn revisit_problem(r: &RefersTo, records: &HashMap<&str, (&str, &Found)>) -> Option<String> {
    let Some(to) = &r.to else {
        return Some("a revisit without WARC-Refers-To cannot be replayed by this archive".into());
    };
    let Some((date, original)) = records.get(to.as_str()) else {
        return Some(format!(
            "revisit refers to {to}, which is not in the archive"
        ));
    };
    if original.warc_type != RecordType::Response.as_str() {
        return Some(format!(
            "revisit refers to {to}, a {} record, not a response",
            original.warc_type
        ));
    }
    if original.truncated || !(200..300).contains(&original.status) {
        return Some(format!(
            "revisit refers to {to}, a response with status {} {}, which cannot stand for a full body",
            original.status,
            if original.truncated { "cut short" } else { "" }
        ));
    }
    if r.uri.as_deref() != original.target_uri.as_deref() {
        return Some(format!(
            "WARC-Refers-To-Target-URI {:?} but the original is for {:?}",
            r.uri, original.target_uri
        ));
    }
    if r.date.as_deref() != Some(*date) {
        return Some(format!(
            "WARC-Refers-To-Date {:?} but the original's WARC-Date is {date}",
            r.date
        ));
    }
    if r.profile.ends_with("/identical-payload-digest")
        && r.payload_digest != original.payload_digest
    {
        return Some(format!(
            "revisit says payload {:?} but the original's is {:?}",
            r.payload_digest, original.payload_digest
        ));
    }
    None
}

/// How an index capture row disagrees with the response record it points at, if it does.
fn capture_mismatch(cap: &index::CaptureRow, f: &Found) -> Option<String> {
    let date_matches = f
        .date
        .parse::<chrono::DateTime<chrono::Utc>>()
        .ok()
        .map(|d| index::index_time(&d))
        == Some(cap.captured_at.clone());
    if cap.record_id.as_deref() != Some(f.record_id.as_str()) {
        Some(format!("the record there is {}", f.record_id))
    } else if cap.length != Some(f.length as i64) {
        Some(format!(
            "indexed length {:?} but the frame is {} bytes",
            cap.length, f.length
        ))
    } else if f.target_uri.as_deref() != Some(cap.url.as_str()) {
        Some(format!(
            "indexed URL {} but the record is for {:?}",
            cap.url, f.target_uri
        ))
    } else if cap.payload_digest.as_deref().map(normalise) != f.payload_digest {
        Some(format!(
            "indexed payload digest {:?} but the record says {:?}",
            cap.payload_digest, f.payload_digest
        ))
    } else if cap.record_digest.as_deref() != Some(f.record_digest.as_str()) {
        Some("indexed record digest differs from the record's".into())
    } else if cap.frame_digest.as_deref() != Some(f.frame_digest.as_str()) {
        Some("indexed frame digest differs from the stored frame's".into())
    } else if cap.status != f.status as i64 || cap.mime != f.mime {
        Some(format!(
            "indexed status {} / mime {:?} but the record has {} / {:?}",
            cap.status, cap.mime, f.status, f.mime
        ))
    } else if !date_matches {
        Some(format!(
            "indexed time {} but WARC-Date is {}",
            cap.captured_at, f.date
        ))
    } else {
        None
    }
}
