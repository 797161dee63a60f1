//! Re-reading the archive to prove it is what the index says it is.
//!
//! Verification trusts nothing it wrote itself: every frame is decompressed again, parsed by
//! the `warc` crate, and its block and payload digests recomputed; then every index row is
//! checked against the record actually found at its file and offset, and every record found
//! is checked to have an index row. Each finding names file, offset and record ID.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::SqlitePool;

use crate::digest::{normalise, sha256_label};
use crate::frames::{Compression, FrameWalker};
use crate::http::HttpMessage;
use crate::index;
use crate::record::ParsedRecord;

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
    /// Everything wrong.
    pub findings: Vec<Finding>,
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
    target_uri: Option<String>,
    payload_digest: Option<String>,
}

/// WARC files in `dir` (closed and `.open`), sorted by name.
pub fn warc_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(Compression::from_file_name)
                .is_some()
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The file name an index row uses for `path` (without `.open`).
pub fn index_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.strip_suffix(".open").unwrap_or(name).to_string()
}

/// Checks one record's own digests; returns what the index needs to compare.
fn check_record(raw: &[u8], file: &str, offset: u64, report: &mut Report) -> Option<Found> {
    let finding = |problem: String, id: Option<String>| Finding {
        file: file.to_string(),
        offset: Some(offset),
        record_id: id,
        problem,
    };
    let rec = match ParsedRecord::parse(raw) {
        Ok(r) => r,
        Err(e) => {
            report.findings.push(finding(e, None));
            return None;
        }
    };
    let id = rec.record_id().to_string();
    match rec.get("WARC-Block-Digest") {
        Some(d) if normalise(d) == sha256_label(&rec.block) => {}
        Some(d) => report.findings.push(finding(
            format!(
                "block digest mismatch: header says {d}, block hashes to {}",
                sha256_label(&rec.block)
            ),
            Some(id.clone()),
        )),
        None => report
            .findings
            .push(finding("no WARC-Block-Digest".into(), Some(id.clone()))),
    }
    let mut payload_digest = None;
    if rec.warc_type() == "response" {
        if let Some(d) = rec.get("WARC-Payload-Digest") {
            payload_digest = Some(normalise(d));
            match HttpMessage::parse_response(&rec.block) {
                Ok(msg) if normalise(d) == sha256_label(&msg.payload) => {}
                Ok(msg) => report.findings.push(finding(
                    format!(
                        "payload digest mismatch: header says {d}, payload hashes to {}",
                        sha256_label(&msg.payload)
                    ),
                    Some(id.clone()),
                )),
                Err(e) => report
                    .findings
                    .push(finding(e.to_string(), Some(id.clone()))),
            }
        }
    }
    Some(Found {
        length: 0,
        record_id: id,
        record_digest: sha256_label(raw),
        target_uri: rec.get("WARC-Target-URI").map(str::to_string),
        payload_digest,
    })
}

/// Verifies every WARC file in `warc_dir` and, when given, the index against them.
pub async fn verify(warc_dir: &Path, pool: Option<&SqlitePool>) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let mut found: HashMap<(String, u64), Found> = HashMap::new();
    for path in warc_files(warc_dir)? {
        report.files += 1;
        let name = index_name(&path);
        let walker = FrameWalker::open(&path)?;
        for frame in walker {
            match frame {
                Ok(frame) => {
                    report.records += 1;
                    if let Some(mut f) = check_record(&frame.record, &name, frame.offset, &mut report) {
                        f.length = frame.length;
                        found.insert((name.clone(), frame.offset), f);
                    }
                }
                Err(e) => report.findings.push(Finding {
                    file: name.clone(),
                    offset: Some(e.offset),
                    record_id: None,
                    problem: format!(
                        "unreadable data from here to the end of the file ({}); a torn or damaged frame",
                        e.error
                    ),
                }),
            }
        }
    }
    let Some(pool) = pool else {
        return Ok(report);
    };

    let mut indexed: HashMap<(String, u64), ()> = HashMap::new();
    for row in index::records(pool).await? {
        report.index_rows += 1;
        let key = (row.file.clone(), row.file_offset as u64);
        indexed.insert(key.clone(), ());
        let mut finding = |problem: String| {
            report.findings.push(Finding {
                file: row.file.clone(),
                offset: Some(row.file_offset as u64),
                record_id: Some(row.record_id.clone()),
                problem,
            })
        };
        match found.get(&key) {
            None => finding(format!(
                "index row for a {} record points at an offset where no readable record starts",
                row.warc_type
            )),
            Some(f) => {
                if f.record_id != row.record_id {
                    finding(format!(
                        "index names this record but the file holds {}",
                        f.record_id
                    ));
                } else if f.length != row.length as u64 {
                    finding(format!(
                        "index length {} but the frame is {} bytes",
                        row.length, f.length
                    ));
                } else if f.record_digest != row.record_digest {
                    finding(format!(
                        "record digest in the index {} but the record hashes to {}",
                        row.record_digest, f.record_digest
                    ));
                }
            }
        }
    }
    for cap in index::archived_captures(pool).await? {
        report.index_rows += 1;
        let (Some(file), Some(offset)) = (&cap.file, cap.file_offset) else {
            continue;
        };
        let mut finding = |problem: String| {
            report.findings.push(Finding {
                file: file.clone(),
                offset: Some(offset as u64),
                record_id: cap.record_id.clone(),
                problem: format!("capture {}: {problem}", cap.id),
            })
        };
        match found.get(&(file.clone(), offset as u64)) {
            None => finding("no readable record at the indexed offset".into()),
            Some(f) => {
                if cap.record_id.as_deref() != Some(f.record_id.as_str()) {
                    finding(format!("the record there is {}", f.record_id));
                } else if cap.length != Some(f.length as i64) {
                    finding(format!(
                        "indexed length {:?} but the frame is {} bytes",
                        cap.length, f.length
                    ));
                } else if f.target_uri.as_deref() != Some(cap.url.as_str()) {
                    finding(format!(
                        "indexed URL {} but the record is for {:?}",
                        cap.url, f.target_uri
                    ));
                } else if cap.payload_digest.as_deref().map(normalise) != f.payload_digest {
                    finding(format!(
                        "indexed payload digest {:?} but the record says {:?}",
                        cap.payload_digest, f.payload_digest
                    ));
                } else if cap.record_digest.as_deref() != Some(f.record_digest.as_str()) {
                    finding("indexed record digest differs from the record's".into());
                }
            }
        }
    }
    let mut strays: Vec<_> = found
        .iter()
        .filter(|(k, _)| !indexed.contains_key(*k))
        .collect();
    strays.sort_by(|a, b| a.0.cmp(b.0));
    for ((file, offset), f) in strays {
        report.findings.push(Finding {
            file: file.clone(),
            offset: Some(*offset),
            record_id: Some(f.record_id.clone()),
            problem: "record is not in the index".into(),
        });
    }
    Ok(report)
}
