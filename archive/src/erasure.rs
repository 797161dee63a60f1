//! Erasure that the chain of custody survives (the GDPR's and the Police Directive's time
//! limits, and erasure of what was processed unlawfully).
//!
//! An archive that deletes by rewriting history cannot be trusted as evidence, and one that
//! can only grow cannot be run under data-protection law. Erasure here removes the content
//! and keeps the proof:
//! - Each erased record's frame is overwritten in place by a *blank frame* of the same length
//!   ([`crate::Compression::blank_frame`]): a zstd skippable frame or an empty gzip member,
//!   holding a short note and padding. Nothing of the record is left in the file, every
//!   other record keeps its offset (so the index, the seals' record lists and the checkpoints
//!   stay true), and `zstd -dc`/`gzip -dc` still give a plain WARC that public tools read.
//! - The hash chain and the transparency log are computed over each record's SHA-256, not
//!   its bytes: the erased record's digest and chain value stay, as a *tombstone*, in the
//!   record index and in the erasure record, so the chain still proves that every other
//!   record is unchanged and in its place.
//! - Before a byte is touched, a signed **erasure record** (a WARC `metadata` record about
//!   the archive, chained and under the log like a repair record) says what is erased (each
//!   record's ID, type, place, length, chain position and digests), under which policy or
//!   request, by whom, approved by whom, when and why, and each closed file's SHA-256 before
//!   and after, so that a seal made before the erasure is explained. `verify` reads it back
//!   and reports the positions as erased; a crash between the record and the blanking is
//!   finished on the next start ([`unfinished`]).
//!
//! The derived tables (capture rows, the change index, page text and full-text index, entity
//! sightings, host fingerprints) lose the erased captures in the same transaction that
//! records the erasure ([`scrub`]). The erasure record names no URL, text or entity: only
//! IDs, digests and the policy, so that it does not keep what it erased.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::Context;
use db::{Db, Tx};
use serde::Serialize;

use crate::frames::Compression;
use crate::record::{parse_warc_fields, warc_fields, ParsedRecord, RecordType, WarcRecord};

/// The WARC-Target-URI of erasure records.
pub const ERASURE_URI: &str = "urn:nightjar:erasure";

/// Why something was erased.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// It was past its seed's retention period and on no hold.
    Retention,
    /// A person asked for it and a second approved (data processed unlawfully).
    Request,
}

impl Basis {
    /// The name written in the record and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Retention => "retention",
            Basis::Request => "request",
        }
    }

    fn parse(s: &str) -> Option<Basis> {
        match s {
            "retention" => Some(Basis::Retention),
            "request" => Some(Basis::Request),
            _ => None,
        }
    }
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Basis::Retention => "policy",
            Basis::Request => "request",
        })
    }
}

/// What stays of an erased record: everything the chain and the log need, nothing of its
/// content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tombstone {
    /// WARC-Record-ID.
    pub record_id: String,
    /// WARC-Type.
    pub warc_type: String,
    /// The WARC file (final name).
    pub file: String,
    /// Offset of its frame.
    pub offset: u64,
    /// Length of its frame (and of the blank frame in its place).
    pub length: u64,
    /// Chain position.
    pub seq: u64,
    /// SHA-256 of the record as it was (the chain's and the log's input).
    pub record_digest: String,
    /// SHA-256 of its frame as it was.
    pub frame_digest: String,
    /// The capture it belonged to.
    pub capture_id: Option<i64>,
}

/// A WARC file's SHA-256 before and after an erasure blanked frames in it (closed files
/// only: an `.open` file is sealed later, as it then is).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileChange {
    /// The WARC file.
    pub file: String,
    /// `sha256:…` before, when the file was closed.
    pub before: Option<String>,
    /// `sha256:…` after, when the file was closed.
    pub after: Option<String>,
}

/// One erasure: what, why, by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Erasure {
    /// Policy or request.
    pub basis: Basis,
    /// The policy or the request in words (`seed forum keeps captures 30d`, `request 4`).
    pub detail: String,
    /// Who asked (a request) or what (`nightjar retention`).
    pub requested_by: String,
    /// Who approved a request.
    pub approved_by: Option<String>,
    /// Why.
    pub reason: String,
    /// When (RFC 3339).
    pub erased_at: String,
    /// The captures erased, with when each was captured.
    pub captures: Vec<(i64, String)>,
    /// The records erased.
    pub records: Vec<Tombstone>,
    /// The closed files changed.
    pub files: Vec<FileChange>,
}

/// An erasure as read back from the archive, with whether its signature holds.
#[derive(Clone, Debug, Serialize)]
pub struct ErasureSeen {
    /// The erasure record's ID.
    pub record_id: String,
    /// Where it is.
    pub file: String,
    /// Its offset.
    pub offset: u64,
    /// What it says.
    pub erasure: Erasure,
    /// The node key fingerprint it names.
    pub node_key: String,
    /// Whether its signature verifies with the key it names.
    pub signed: bool,
}

impl Erasure {
    /// The erasure record, ready to append: its fields signed with the node key.
    pub fn record(
        &self,
        id: &str,
        date: &chrono::DateTime<chrono::Utc>,
        key: &crate::custody::key::NodeKey,
    ) -> Vec<u8> {
        let mut fields = vec![
            ("erasure".to_string(), self.basis.as_str().to_string()),
            ("detail".to_string(), self.detail.clone()),
            ("requested-by".to_string(), self.requested_by.clone()),
        ];
        if let Some(a) = &self.approved_by {
            fields.push(("approved-by".to_string(), a.clone()));
        }
        fields.push(("reason".to_string(), self.reason.clone()));
        fields.push(("erased-at".to_string(), self.erased_at.clone()));
        for (c, at) in &self.captures {
            fields.push(("capture".to_string(), format!("{c} {at}")));
        }
        for t in &self.records {
            fields.push((
                "record".to_string(),
                format!(
                    "{} {} {} {} {} {} {} {} {}",
                    t.record_id,
                    t.warc_type,
                    t.file,
                    t.offset,
                    t.length,
                    t.seq,
                    t.record_digest,
                    t.frame_digest,
                    t.capture_id.map_or("-".to_string(), |c| c.to_string())
                ),
            ));
        }
        for f in &self.files {
            fields.push((
                "file".to_string(),
                format!(
                    "{} {} {}",
                    f.file,
                    f.before.as_deref().unwrap_or("-"),
                    f.after.as_deref().unwrap_or("-")
                ),
            ));
        }
        fields.push(("node-key".to_string(), key.fingerprint()));
        fields.push(("public-key".to_string(), key.public_hex()));
        let mut block = warc_fields(&fields);
        let signature = key.sign_hex(&block);
        block.extend(warc_fields(&[("signature".to_string(), signature)]));
        WarcRecord::new(RecordType::Metadata, id, date, block)
            .field("WARC-Target-URI", ERASURE_URI)
            .field("Content-Type", "application/warc-fields")
            .to_bytes()
    }

    /// The erasure a record states, if it is an erasure record, with the key it names and
    /// whether the signature over its fields holds with that key.
    pub fn of(rec: &ParsedRecord) -> Option<(Erasure, String, bool)> {
        if rec.record_type() != Some(RecordType::Metadata)
            || rec.get("WARC-Target-URI") != Some(ERASURE_URI)
        {
            return None;
        }
        // Only what the signature covers is read; the signature must be the last field.
        let whole = parse_warc_fields(&rec.block);
        let last_is_signature = whole.last().is_some_and(|(n, _)| n == "signature");
        let signature = whole.last().map(|(_, v)| v.clone());
        let fields = parse_warc_fields(signed_part(&rec.block));
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let all = |k: &'static str| fields.iter().filter(move |(n, _)| n == k).map(|(_, v)| v);
        let records = all("record")
            .filter_map(|v| {
                let p: Vec<&str> = v.split(' ').collect();
                (p.len() == 9).then(|| Tombstone {
                    record_id: p[0].to_string(),
                    warc_type: p[1].to_string(),
                    file: p[2].to_string(),
                    offset: p[3].parse().unwrap_or(u64::MAX),
                    length: p[4].parse().unwrap_or(0),
                    seq: p[5].parse().unwrap_or(0),
                    record_digest: p[6].to_string(),
                    frame_digest: p[7].to_string(),
                    capture_id: p[8].parse().ok(),
                })
            })
            .collect();
        let files = all("file")
            .filter_map(|v| {
                let p: Vec<&str> = v.split(' ').collect();
                let opt = |s: &str| (s != "-").then(|| s.to_string());
                (p.len() == 3).then(|| FileChange {
                    file: p[0].to_string(),
                    before: opt(p[1]),
                    after: opt(p[2]),
                })
            })
            .collect();
        let captures = all("capture")
            .filter_map(|v| {
                let (id, at) = v.split_once(' ')?;
                Some((id.parse().ok()?, at.to_string()))
            })
            .collect();
        let node_key = get("node-key").unwrap_or_default();
        let signed = match (get("public-key"), signature.filter(|_| last_is_signature)) {
            (Some(public), Some(sig)) => {
                let signed_part = signed_part(&rec.block);
                crate::custody::key::public_from_hex(&public).is_ok_and(|k| {
                    crate::custody::key::fingerprint_of(&k) == node_key
                        && crate::custody::key::verify_hex(&k, signed_part, &sig)
                })
            }
            _ => false,
        };
        Some((
            Erasure {
                basis: get("erasure")
                    .as_deref()
                    .and_then(Basis::parse)
                    .unwrap_or(Basis::Request),
                detail: get("detail").unwrap_or_default(),
                requested_by: get("requested-by").unwrap_or_default(),
                approved_by: get("approved-by"),
                reason: get("reason").unwrap_or_default(),
                erased_at: get("erased-at").unwrap_or_default(),
                captures,
                records,
                files,
            },
            node_key,
            signed,
        ))
    }

    /// One line for `verify` and the CLI: "erased by policy (…) on …".
    pub fn summary(&self) -> String {
        let approved = self
            .approved_by
            .as_deref()
            .map(|a| format!(", approved by {a}"))
            .unwrap_or_default();
        format!(
            "erased by {} ({}) on {}: {} capture(s), {} record(s); requested by {}{}; reason: {}",
            self.basis,
            self.detail,
            self.erased_at,
            self.captures.len(),
            self.records.len(),
            self.requested_by,
            approved,
            self.reason
        )
    }
}

impl Erasure {
    /// The chain positions it erased, as ranges (`12-14, 20`).
    pub fn positions(&self) -> String {
        let mut seqs: Vec<u64> = self.records.iter().map(|t| t.seq).collect();
        seqs.sort_unstable();
        ranges(&seqs)
    }
}

/// `1-3, 7` for `[1, 2, 3, 7]`.
fn ranges(seqs: &[u64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < seqs.len() {
        let mut j = i;
        while j + 1 < seqs.len() && seqs[j + 1] == seqs[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            seqs[i].to_string()
        } else {
            format!("{}-{}", seqs[i], seqs[j])
        });
        i = j + 1;
    }
    out.join(", ")
}

/// The bytes of an erasure record's block its signature covers: every field before the
/// `signature` line.
fn signed_part(block: &[u8]) -> &[u8] {
    let needle = b"\r\nsignature: ";
    match block.windows(needle.len()).rposition(|w| w == needle) {
        Some(at) => &block[..at + 2],
        None => block,
    }
}

/// The note a blank frame carries: which record it stands for (its ID only; the erasure
/// record that names the ID says why).
pub fn blank_note(record_id: &str) -> String {
    format!("nightjar: record {record_id} erased; an erasure record names it\n")
}

/// A record row's ID, type, file, offset, length, position and digests.
type TombstoneRow = (String, String, String, i64, i64, i64, String, String);

fn tombstone(r: TombstoneRow, capture_id: Option<i64>) -> Tombstone {
    Tombstone {
        record_id: r.0,
        warc_type: r.1,
        file: r.2,
        offset: r.3 as u64,
        length: r.4 as u64,
        seq: r.5 as u64,
        record_digest: r.6,
        frame_digest: r.7,
        capture_id,
    }
}

/// The records of these captures not erased yet, in chain order, and the captures' times.
pub async fn plan(
    db: &Db,
    captures: &[i64],
) -> anyhow::Result<(Vec<(i64, String)>, Vec<Tombstone>)> {
    let mut times = Vec::new();
    let mut records = Vec::new();
    let captures: std::collections::BTreeSet<i64> = captures.iter().copied().collect();
    for id in captures {
        let at: Option<String> =
            db::query("SELECT captured_at FROM captures WHERE id = ? AND node = ?")
                .bind(id)
                .bind(db.node())
                .scalar_optional(db)
                .await?;
        let Some(at) = at else { continue };
        times.push((id, at));
        let rows: Vec<TombstoneRow> = db::query(
            "SELECT record_id, warc_type, file, file_offset, length, seq, record_digest,
                    frame_digest
             FROM warc_records WHERE capture_id = ? AND node = ? AND erasure_id IS NULL",
        )
        .bind(id)
        .bind(db.node())
        .fetch_all(db)
        .await?;
        records.extend(rows.into_iter().map(|r| tombstone(r, Some(id))));
    }
    records.sort_by_key(|t| t.seq);
    Ok((times, records))
}

/// Each closed file the tombstones are in, with its SHA-256 now and once the frames are
/// blank (computed without writing: the blank frames are known in advance).
pub fn file_changes(warc_dir: &Path, records: &[Tombstone]) -> anyhow::Result<Vec<FileChange>> {
    use sha2::Digest;
    let mut by_file: BTreeMap<&str, Vec<&Tombstone>> = BTreeMap::new();
    for t in records {
        by_file.entry(t.file.as_str()).or_default().push(t);
    }
    let mut out = Vec::new();
    for (file, mut ts) in by_file {
        let closed = warc_dir.join(file);
        if !closed.exists() {
            out.push(FileChange {
                file: file.to_string(),
                before: None,
                after: None,
            });
            continue;
        }
        ts.sort_by_key(|t| t.offset);
        let codec = codec_of(file)?;
        let mut f = std::fs::File::open(&closed)
            .with_context(|| format!("cannot read {}", closed.display()))?;
        let (mut before, mut after) = (sha2::Sha256::new(), sha2::Sha256::new());
        let mut pos = 0u64;
        let mut buf = vec![0u8; 1 << 16];
        // Reads `n` bytes into the "before" hash, and into the "after" one when `both`.
        let mut copy = |f: &mut std::fs::File,
                        n: u64,
                        both: bool,
                        before: &mut sha2::Sha256,
                        after: &mut sha2::Sha256|
         -> std::io::Result<()> {
            let mut left = n;
            while left > 0 {
                let k = left.min(buf.len() as u64) as usize;
                f.read_exact(&mut buf[..k])?;
                before.update(&buf[..k]);
                if both {
                    after.update(&buf[..k]);
                }
                left -= k as u64;
            }
            Ok(())
        };
        for t in ts {
            copy(&mut f, t.offset - pos, true, &mut before, &mut after)?;
            copy(&mut f, t.length, false, &mut before, &mut after)?;
            let blank = codec
                .blank_frame(t.length, &blank_note(&t.record_id))
                .context("a frame too short to blank")?;
            after.update(&blank);
            pos = t.offset + t.length;
        }
        let len = f.metadata()?.len();
        copy(&mut f, len - pos, true, &mut before, &mut after)?;
        out.push(FileChange {
            file: file.to_string(),
            before: Some(crate::digest::Sha256::from_bytes(before.finalize().into()).to_string()),
            after: Some(crate::digest::Sha256::from_bytes(after.finalize().into()).to_string()),
        });
    }
    Ok(out)
}

fn codec_of(file: &str) -> anyhow::Result<Compression> {
    Compression::from_file_name(file)
        .with_context(|| format!("{file} is not a .warc.zst or .warc.gz file"))
}

/// Overwrites each tombstoned record's frame with its blank frame and fsyncs. Before writing,
/// the bytes there must be the record's frame as indexed (its frame digest) or already that
/// blank frame: anything else is refused, so an erasure never blanks a record it does not
/// name. With `resuming` (an erasure a crash interrupted, whose signed record and index row
/// name exactly this place) bytes that are neither (a write the crash tore) are overwritten
/// too: what is there is part of the erased record or of its blank frame.
pub fn blank(warc_dir: &Path, records: &[Tombstone], resuming: bool) -> anyhow::Result<()> {
    use std::os::unix::fs::FileExt;
    for t in records {
        let path = crate::files::locate(warc_dir, &t.file)
            .with_context(|| format!("the WARC file {} is missing", t.file))?;
        let codec = codec_of(&t.file)?;
        let blank = codec
            .blank_frame(t.length, &blank_note(&t.record_id))
            .context("a frame too short to blank")?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {} to erase a record", path.display()))?;
        let mut now = vec![0u8; t.length as usize];
        file.read_exact_at(&mut now, t.offset)
            .with_context(|| format!("cannot read {} at {}", t.file, t.offset))?;
        if now == blank {
            continue;
        }
        if !resuming && crate::digest::sha256_label(&now) != t.frame_digest {
            anyhow::bail!(
                "{} at {} is not the frame of record {} the index names (its digest differs): not erased; run `nightjar verify`",
                t.file,
                t.offset,
                t.record_id
            );
        }
        file.write_all_at(&blank, t.offset)?;
        file.sync_data()?;
    }
    Ok(())
}

/// What to erase and on what authority: the erasure's basis, detail, who, reason and time
/// (its captures, records and files are filled in by [`carry_out`]).
pub struct Order {
    /// Policy or request.
    pub basis: Basis,
    /// The policy or the request in words.
    pub detail: String,
    /// Who asked, or what.
    pub requested_by: String,
    /// Who approved.
    pub approved_by: Option<String>,
    /// Why.
    pub reason: String,
}

/// What an erasure did.
#[derive(Clone, Debug, Serialize)]
pub struct Done {
    /// Its number in the index.
    pub id: i64,
    /// The erasure record's WARC-Record-ID.
    pub record_id: String,
    /// What it says.
    pub erasure: Erasure,
}

/// Erases these captures: writes the signed erasure record (fsynced), indexes it and removes
/// the captures from the derived tables in one transaction, then blanks their frames and
/// marks the erasure done. A crash after the record leaves an erasure that [`unfinished`]
/// lists and [`blank`] finishes; before it, nothing happened. Captures already erased or
/// unknown are passed over; `None` when none is left.
///
/// Records in a file still being written (`.open`) are not erased now: the file's seal,
/// made when it closes, would otherwise race with the blanking. The error says so; the
/// erasure is carried out once the file is closed.
pub async fn carry_out(
    db: &Db,
    writer: &std::sync::Mutex<crate::WarcWriter>,
    key: &crate::custody::key::NodeKey,
    warc_dir: &Path,
    order: Order,
    captures: &[i64],
) -> anyhow::Result<Option<Done>> {
    let (times, records) = plan(db, captures).await?;
    if times.is_empty() {
        return Ok(None);
    }
    if let Some(open) = records.iter().find(|t| !warc_dir.join(&t.file).exists()) {
        anyhow::bail!(
            "capture {} is in {}, which is still being written: it is erased once that file is closed",
            open.capture_id.unwrap_or_default(),
            open.file
        );
    }
    let files = file_changes(warc_dir, &records)?;
    let erasure = Erasure {
        basis: order.basis,
        detail: order.detail,
        requested_by: order.requested_by,
        approved_by: order.approved_by,
        reason: order.reason,
        erased_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        captures: times,
        records,
        files,
    };
    let written = writer
        .lock()
        .expect("writer lock")
        .append_note(|id, date| erasure.record(id, date, key))
        .context("cannot write the erasure record into the archive")?;
    let record_id = written
        .last()
        .expect("the erasure record")
        .record_id
        .clone();
    let mut tx = db.begin().await?;
    for r in &written {
        crate::index::insert_record(&mut tx, r, None).await?;
    }
    let id = scrub(&mut tx, &record_id, &erasure).await?;
    tx.commit().await?;
    writer
        .lock()
        .expect("writer lock")
        .indexed_records(&written)?;
    blank(warc_dir, &erasure.records, false)?;
    // Done means done: the database's copies are gone too.
    compact(db).await?;
    mark_done(db, &record_id).await?;
    Ok(Some(Done {
        id,
        record_id,
        erasure,
    }))
}

/// Records an erasure in the index and removes the erased captures from every derived table,
/// in the caller's transaction (the one that indexes the erasure record). Returns its ID.
pub async fn scrub(tx: &mut Tx, record_id: &str, e: &Erasure) -> Result<i64, sqlx::Error> {
    let node = tx.node().to_string();
    if !tx.conn().is_postgres() {
        // SQLite leaves a deleted row's bytes in the freed page unless told to zero it.
        db::query("PRAGMA secure_delete = ON")
            .execute(&mut *tx)
            .await?;
    }
    let id: i64 = db::query(
        "INSERT INTO erasures (node, record_id, basis, detail, requested_by, approved_by,
            reason, erased_at, captures, records)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(node.as_str())
    .bind(record_id)
    .bind(e.basis.as_str())
    .bind(&e.detail)
    .bind(&e.requested_by)
    .bind(&e.approved_by)
    .bind(&e.reason)
    .bind(&e.erased_at)
    .bind(e.captures.len() as i64)
    .bind(e.records.len() as i64)
    .scalar(&mut *tx)
    .await?;
    for t in &e.records {
        db::query(
            "UPDATE warc_records SET erasure_id = ?, capture_id = NULL
             WHERE record_id = ? AND node = ?",
        )
        .bind(id)
        .bind(&t.record_id)
        .bind(node.as_str())
        .execute(&mut *tx)
        .await?;
    }
    for (c, at) in &e.captures {
        forget_capture(tx, *c).await?;
        db::query(
            "INSERT INTO erased_captures (capture_id, erasure_id, captured_at) VALUES (?, ?, ?)",
        )
        .bind(*c)
        .bind(id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    Ok(id)
}

/// Removes one capture from the capture index, the change index, the page text and the
/// full-text index (unless another capture still shares its text), the entity ledger (the
/// totals of what it held recounted; an entity seen nowhere else goes) and the host
/// fingerprints.
async fn forget_capture(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    let pg = tx.conn().is_postgres();
    let content: Option<Option<i64>> =
        db::query("SELECT content_id FROM changes WHERE capture_id = ?")
            .bind(id)
            .scalar_optional(&mut *tx)
            .await?;
    db::query("DELETE FROM changes WHERE capture_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    db::query("UPDATE changes SET prev_id = NULL WHERE prev_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    db::query("UPDATE changes SET base_id = NULL WHERE base_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // The text this capture's change row pointed at, and the text it holds for others.
    for cid in [content.flatten(), Some(id)].into_iter().flatten() {
        let shared: i64 = db::query("SELECT count(*) FROM changes WHERE content_id = ?")
            .bind(cid)
            .scalar(&mut *tx)
            .await?;
        if shared > 0 {
            continue;
        }
        db::query("DELETE FROM capture_text WHERE capture_id = ?")
            .bind(cid)
            .execute(&mut *tx)
            .await?;
        db::query(if pg {
            "DELETE FROM text_search WHERE content_id = ?"
        } else {
            "DELETE FROM text_search WHERE rowid = ?"
        })
        .bind(cid)
        .execute(&mut *tx)
        .await?;
    }
    let entities: Vec<i64> =
        db::query("SELECT entity_id FROM entity_sightings WHERE capture_id = ?")
            .bind(id)
            .scalars(&mut *tx)
            .await?;
    db::query("DELETE FROM entity_sightings WHERE capture_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for e in entities {
        db::query("DELETE FROM entity_hosts WHERE entity_id = ?")
            .bind(e)
            .execute(&mut *tx)
            .await?;
        db::query(
            "INSERT INTO entity_hosts (entity_id, host, first_seen, last_seen, captures)
             SELECT entity_id, host, min(seen_at), max(seen_at), count(*)
             FROM entity_sightings WHERE entity_id = ? GROUP BY entity_id, host",
        )
        .bind(e)
        .execute(&mut *tx)
        .await?;
        let left: i64 = db::query("SELECT count(*) FROM entity_sightings WHERE entity_id = ?")
            .bind(e)
            .scalar(&mut *tx)
            .await?;
        if left == 0 {
            db::query("DELETE FROM entities WHERE id = ?")
                .bind(e)
                .execute(&mut *tx)
                .await?;
            continue;
        }
        db::query(
            "UPDATE entities SET
                captures = (SELECT count(*) FROM entity_sightings WHERE entity_id = ?),
                hosts = (SELECT count(*) FROM entity_hosts WHERE entity_id = ?),
                first_seen = (SELECT min(seen_at) FROM entity_sightings WHERE entity_id = ?),
                last_seen = (SELECT max(seen_at) FROM entity_sightings WHERE entity_id = ?)
             WHERE id = ?",
        )
        .bind(e)
        .bind(e)
        .bind(e)
        .bind(e)
        .bind(e)
        .execute(&mut *tx)
        .await?;
    }
    for table in [
        "DELETE FROM entity_scans WHERE capture_id = ?",
        "DELETE FROM host_prints WHERE capture_id = ?",
        "DELETE FROM captures WHERE id = ?",
    ] {
        db::query(table).bind(id).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Makes the database's copies of what was erased unrecoverable too, on SQLite: the
/// full-text index keeps a deleted text's terms in its segments until they are merged, so
/// they are merged (`optimize`, with freed pages zeroed), and the write-ahead log, which
/// holds earlier images of the pages, is checkpointed and truncated. The merge costs time
/// in proportion to the index; erasures are rare. (PostgreSQL keeps dead rows until its
/// vacuum reuses their space: see the README's "Retention and erasure".)
pub async fn compact(db: &Db) -> Result<(), sqlx::Error> {
    if db.is_postgres() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    db::query("PRAGMA secure_delete = ON")
        .execute(&mut tx)
        .await?;
    db::query("INSERT INTO text_search (text_search) VALUES ('optimize')")
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    // A reader still on an older snapshot keeps the log from being reset (the checkpoint
    // says busy): wait for it, a few seconds at most; the next erasure's checkpoint, or
    // SQLite's own, takes what is left.
    for _ in 0..50 {
        let (busy, _, _): (i64, i64, i64) = db::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(db)
            .await?;
        if busy == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Marks an erasure's frames all blank.
pub async fn mark_done(db: &Db, record_id: &str) -> Result<(), sqlx::Error> {
    db::query("UPDATE erasures SET done = 1 WHERE record_id = ?")
        .bind(record_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Erasures whose record was written but whose frames may not all be blank yet (a crash in
/// between): each erasure record's ID with its tombstones, for [`blank`] to finish.
pub async fn unfinished(db: &Db) -> anyhow::Result<Vec<(String, Vec<Tombstone>)>> {
    let ids: Vec<(i64, String)> =
        db::query("SELECT id, record_id FROM erasures WHERE done = 0 AND node = ? ORDER BY id")
            .bind(db.node())
            .fetch_all(db)
            .await?;
    let mut out = Vec::new();
    for (id, record) in ids {
        let rows: Vec<TombstoneRow> = db::query(
            "SELECT record_id, warc_type, file, file_offset, length, seq, record_digest,
                    frame_digest
             FROM warc_records WHERE erasure_id = ? ORDER BY seq",
        )
        .bind(id)
        .fetch_all(db)
        .await?;
        out.push((
            record,
            rows.into_iter().map(|r| tombstone(r, None)).collect(),
        ));
    }
    Ok(out)
}

/// An erasure as the index lists it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ErasureRow {
    /// Its number.
    pub id: i64,
    /// The erasure record's WARC-Record-ID.
    pub record_id: String,
    /// `retention` or `request`.
    pub basis: String,
    /// The policy or request.
    pub detail: String,
    /// Who asked.
    pub requested_by: String,
    /// Who approved.
    pub approved_by: Option<String>,
    /// Why.
    pub reason: String,
    /// When.
    pub erased_at: String,
    /// How many captures.
    pub captures: i64,
    /// How many records.
    pub records: i64,
    /// Whether every frame is blank.
    pub done: i64,
}

/// Every erasure of this node, newest first.
pub async fn list(db: &Db) -> Result<Vec<ErasureRow>, sqlx::Error> {
    db::query("SELECT * FROM erasures WHERE node = ? ORDER BY id DESC")
        .bind(db.node())
        .fetch_all(db)
        .await
}

/// Of these capture IDs, those erased, with the erasure that did it.
pub async fn erased_among(db: &Db, ids: &[i64]) -> Result<Vec<(i64, ErasureRow)>, sqlx::Error> {
    let mut out = Vec::new();
    for &id in ids {
        let row: Option<ErasureRow> = db::query(
            "SELECT e.* FROM erased_captures c JOIN erasures e ON e.id = c.erasure_id
             WHERE c.capture_id = ?",
        )
        .bind(id)
        .fetch_optional(db)
        .await?;
        if let Some(r) = row {
            out.push((id, r));
        }
    }
    Ok(out)
}

/// The captures a selection names, with their seeds and times (holds, requests and the
/// retention sweep select with it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// One capture.
    Capture(i64),
    /// Every capture of a URL.
    Url(String),
    /// Every capture of a seed.
    Seed(String),
    /// Every capture an entity (by its value, any kind) was seen in.
    Entity(String),
    /// Every capture (with a time range: those in it).
    All,
}

/// The IDs of the captures `sel` names, captured in `[since, until)` when given: this node's,
/// or with `every_node` those of every node sharing the database.
pub async fn select(
    db: &Db,
    sel: &Selector,
    since: Option<&str>,
    until: Option<&str>,
    every_node: bool,
) -> Result<Vec<i64>, sqlx::Error> {
    let since = since.unwrap_or("");
    let until = until.unwrap_or("9999");
    // `node = coalesce(?, node)`: this node's rows, or with NULL bound every row.
    let node = if every_node {
        None
    } else {
        Some(db.node().to_string())
    };
    let q = match sel {
        Selector::Capture(id) => db::query(
            "SELECT id FROM captures WHERE id = ? AND node = coalesce(?, node) AND captured_at >= ?
                AND captured_at < ?",
        )
        .bind(*id),
        Selector::Url(u) => db::query(
            "SELECT id FROM captures WHERE url = ? AND node = coalesce(?, node) AND captured_at >= ?
                AND captured_at < ? ORDER BY id",
        )
        .bind(u.as_str()),
        Selector::Seed(s) => db::query(
            "SELECT id FROM captures WHERE seed = ? AND node = coalesce(?, node) AND captured_at >= ?
                AND captured_at < ? ORDER BY id",
        )
        .bind(s.as_str()),
        Selector::Entity(v) => db::query(
            "SELECT DISTINCT c.id FROM entities e JOIN entity_sightings s ON s.entity_id = e.id
             JOIN captures c ON c.id = s.capture_id
             WHERE e.value = ? AND c.node = coalesce(?, c.node) AND c.captured_at >= ? AND c.captured_at < ?
             ORDER BY c.id",
        )
        .bind(v.as_str()),
        Selector::All => db::query(
            "SELECT id FROM captures WHERE node = coalesce(?, node) AND captured_at >= ? AND captured_at < ?
             ORDER BY id",
        ),
    };
    q.bind(node).bind(since).bind(until).scalars(db).await
}

/// Per seed (`None`: captures of no seed), how many captures there are and how many were
/// captured before `before`, oldest first — what the retention sweep and review list read.
pub async fn ages(db: &Db, before: &str) -> Result<Vec<(Option<String>, i64, i64)>, sqlx::Error> {
    db::query(
        "SELECT seed, count(*), sum(CASE WHEN captured_at < ? THEN 1 ELSE 0 END)
         FROM captures WHERE node = ? GROUP BY seed ORDER BY seed",
    )
    .bind(before)
    .bind(db.node())
    .fetch_all(db)
    .await
}

/// The captures of a seed (`None`: of no seed) captured before `before`, oldest first, at
/// most `limit`.
pub async fn older_than(
    db: &Db,
    seed: Option<&str>,
    before: &str,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    match seed {
        Some(s) => db::query(
            "SELECT id, captured_at FROM captures
             WHERE seed = ? AND node = ? AND captured_at < ? ORDER BY captured_at, id LIMIT ?",
        )
        .bind(s),
        None => db::query(
            "SELECT id, captured_at FROM captures
             WHERE seed IS NULL AND node = ? AND captured_at < ? ORDER BY captured_at, id
             LIMIT ?",
        ),
    }
    .bind(db.node())
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many captures of a seed (`None`: of no seed) were captured before `before`.
pub async fn count_before(db: &Db, seed: Option<&str>, before: &str) -> Result<i64, sqlx::Error> {
    match seed {
        Some(s) => db::query(
            "SELECT count(*) FROM captures WHERE seed = ? AND node = ? AND captured_at < ?",
        )
        .bind(s),
        None => db::query(
            "SELECT count(*) FROM captures WHERE seed IS NULL AND node = ? AND captured_at < ?",
        ),
    }
    .bind(db.node())
    .bind(before)
    .scalar(db)
    .await
}

/// The seed and capture time of each of these captures (those that exist).
pub async fn seeds_and_times(
    db: &Db,
    ids: &[i64],
) -> Result<Vec<(i64, Option<String>, String)>, sqlx::Error> {
    let mut out = Vec::new();
    for &id in ids {
        let row: Option<(Option<String>, String)> =
            db::query("SELECT seed, captured_at FROM captures WHERE id = ? AND node = ?")
                .bind(id)
                .bind(db.node())
                .fetch_optional(db)
                .await?;
        if let Some((seed, at)) = row {
            out.push((id, seed, at));
        }
    }
    Ok(out)
}

/// The seeds that have captures.
pub async fn seeds_with_captures(db: &Db) -> Result<Vec<Option<String>>, sqlx::Error> {
    db::query("SELECT DISTINCT seed FROM captures WHERE node = ?")
        .bind(db.node())
        .scalars(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::key::NodeKey;
    use crate::{Exchange, WarcWriter, WriterConfig};
    use std::sync::Mutex;

    fn exchange(path: &str, body: &str) -> Exchange {
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes();
        Exchange {
            target_uri: format!("http://example.com/{path}"),
            date: chrono::Utc::now(),
            request: format!("GET /{path} HTTP/1.1\r\nHost: example.com\r\n\r\n").into_bytes(),
            response,
            protocols: vec!["http/1.1".into()],
            metadata: vec![("via".into(), "direct".into())],
            ..Default::default()
        }
    }

    fn plain(dir: &Path) -> Vec<u8> {
        let mut all = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.to_string_lossy().to_string();
            let bytes = std::fs::read(&p).unwrap();
            if name.ends_with(".warc.zst") {
                all.extend(zstd::stream::decode_all(&bytes[..]).unwrap());
            } else if name.ends_with(".warc.gz") {
                std::io::Read::read_to_end(
                    &mut flate2::read::MultiGzDecoder::new(&bytes[..]),
                    &mut all,
                )
                .unwrap();
            }
        }
        all
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    struct Archive {
        dir: tempfile::TempDir,
        warc: std::path::PathBuf,
        db: Db,
        key: NodeKey,
        writer: Mutex<WarcWriter>,
        ids: Vec<i64>,
    }

    /// Three captures (the second with a marker in its URL and body) in a closed, sealed file.
    async fn archive(codec: Compression) -> Archive {
        let dir = tempfile::tempdir().unwrap();
        let warc = dir.path().join("warc");
        let pool = sqlx::SqlitePool::connect(&format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("t.db").display()
        ))
        .await
        .unwrap();
        let db = Db::sqlite(pool);
        crate::schema::migrate(&db).await.unwrap();
        let key = NodeKey::generate();
        let writer = Mutex::new(
            WarcWriter::new(WriterConfig {
                dir: warc.clone(),
                prefix: "t".into(),
                hostname: "box".into(),
                compression: codec,
                max_file_size: 1 << 30,
                warcinfo: vec![],
                checkpoint_every: 0,
                node_fingerprint: Some(key.fingerprint()),
            })
            .unwrap(),
        );
        let mut ids = Vec::new();
        for (path, body) in [
            ("a", "kept page one"),
            ("secret-path-91b", "ERASE-ME-7f3c personal data"),
            ("c", "kept page two"),
        ] {
            let stored = writer
                .lock()
                .unwrap()
                .write_exchange(&exchange(path, body))
                .unwrap();
            let mut tx = db.begin().await.unwrap();
            let row = crate::index::insert_exchange(
                &mut tx,
                &format!("http://example.com/{path}"),
                path,
                &stored,
                Some("s"),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            writer.lock().unwrap().indexed(&stored).unwrap();
            ids.push(row.id);
        }
        writer.lock().unwrap().close().unwrap();
        crate::custody::seal::seal_closed(&warc, &db, &key, None)
            .await
            .unwrap();
        Archive {
            dir,
            warc,
            db,
            key,
            writer,
            ids,
        }
    }

    #[tokio::test]
    async fn an_erased_capture_leaves_tombstones_the_chain_and_seals_still_prove() {
        for codec in [Compression::default(), Compression::Gzip] {
            erased_capture(codec).await;
        }
    }

    async fn erased_capture(codec: Compression) {
        let Archive {
            dir,
            warc,
            db,
            key,
            writer,
            ids,
        } = archive(codec).await;
        assert!(contains(&plain(&warc), b"ERASE-ME-7f3c"));
        let before = std::fs::read(dir.path().join("t.db"))
            .into_iter()
            .chain(std::fs::read(dir.path().join("t.db-wal")))
            .flatten()
            .collect::<Vec<u8>>();
        assert!(
            contains(&before, b"secret-path-91b"),
            "the test would not see it"
        );

        let order = || Order {
            basis: Basis::Request,
            detail: "request 1".into(),
            requested_by: "user:alice".into(),
            approved_by: Some("token:bob".into()),
            reason: "processed unlawfully".into(),
        };
        // The same capture named twice (an entity request can select it twice) is one.
        let done = carry_out(&db, &writer, &key, &warc, order(), &[ids[1], ids[1]])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(done.erasure.captures.len(), 1);
        // Response, request and metadata records, all named.
        assert_eq!(done.erasure.records.len(), 3, "{:?}", done.erasure.records);
        assert_eq!(done.erasure.files.len(), 1);
        assert!(done.erasure.files[0].before != done.erasure.files[0].after);
        // Erasing it again does nothing.
        assert!(carry_out(&db, &writer, &key, &warc, order(), &ids[1..2])
            .await
            .unwrap()
            .is_none());
        writer.lock().unwrap().close().unwrap();
        crate::custody::seal::seal_closed(&warc, &db, &key, None)
            .await
            .unwrap();

        // Nothing of it is left in the files, decompressed, nor in the database.
        let all = plain(&warc);
        assert!(!contains(&all, b"ERASE-ME-7f3c"));
        assert!(contains(&all, b"kept page one") && contains(&all, b"kept page two"));
        for e in std::fs::read_dir(dir.path()).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                let bytes = std::fs::read(&p).unwrap();
                assert!(!contains(&bytes, b"ERASE-ME-7f3c"), "{}", p.display());
                assert!(!contains(&bytes, b"secret-path-91b"), "{}", p.display());
            }
        }
        assert!(crate::index::capture(&db, ids[1]).await.unwrap().is_none());
        assert!(crate::index::capture(&db, ids[0]).await.unwrap().is_some());
        let erased = erased_among(&db, &ids).await.unwrap();
        assert_eq!(erased.len(), 1);
        assert_eq!(erased[0].0, ids[1]);

        // verify: no finding; the erasure is reported with its positions.
        let trust = crate::custody::check::Trust {
            node_key: Some(key.public_hex()),
            ..Default::default()
        };
        let report = crate::verify::verify(&warc, Some(&db), &trust)
            .await
            .unwrap();
        assert!(report.ok(), "{:#?}", report.findings);
        assert_eq!(report.erased, 3);
        assert_eq!(report.erasures.len(), 1);
        assert!(report.erasures[0].signed);
        assert!(
            report.erasures.iter().any(|e| e
                .erasure
                .summary()
                .contains("erased by request (request 1)")
                && e.erasure.summary().contains("approved by token:bob")
                && !e.erasure.positions().is_empty()),
            "{:?}",
            report.erasures
        );

        // A blank frame no erasure names is found: blank capture a's response by hand.
        let a = crate::index::capture(&db, ids[0]).await.unwrap().unwrap();
        let path = warc.join(a.file.as_ref().unwrap());
        let blank = codec.blank_frame(a.length.unwrap() as u64, "x").unwrap();
        std::os::unix::fs::FileExt::write_all_at(
            &std::fs::OpenOptions::new().write(true).open(&path).unwrap(),
            &blank,
            a.file_offset.unwrap() as u64,
        )
        .unwrap();
        let report = crate::verify::verify(&warc, Some(&db), &trust)
            .await
            .unwrap();
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.problem.contains("no erasure record names")),
            "{:#?}",
            report.findings
        );
    }

    #[tokio::test]
    async fn a_crash_between_the_erasure_record_and_the_blanking_is_named_then_finished() {
        for codec in [Compression::default(), Compression::Gzip] {
            crash_before_blanking(codec).await;
        }
    }

    async fn crash_before_blanking(codec: Compression) {
        let Archive {
            dir: _dir,
            warc,
            db,
            key,
            writer,
            ids,
        } = archive(codec).await;
        // carry_out's steps, stopped where a crash would stop them: the erasure record
        // written and indexed, the frames not blanked yet.
        let (captures, records) = plan(&db, &ids[1..2]).await.unwrap();
        let files = file_changes(&warc, &records).unwrap();
        let erasure = Erasure {
            basis: Basis::Retention,
            detail: "seed s keeps captures 1s".into(),
            requested_by: "nightjar retention policy".into(),
            approved_by: None,
            reason: "past retention".into(),
            erased_at: "2026-12-05T00:00:00.000Z".into(),
            captures,
            records,
            files,
        };
        let written = writer
            .lock()
            .unwrap()
            .append_note(|id, date| erasure.record(id, date, &key))
            .unwrap();
        let record_id = written.last().unwrap().record_id.clone();
        let mut tx = db.begin().await.unwrap();
        for r in &written {
            crate::index::insert_record(&mut tx, r, None).await.unwrap();
        }
        scrub(&mut tx, &record_id, &erasure).await.unwrap();
        tx.commit().await.unwrap();
        writer.lock().unwrap().indexed_records(&written).unwrap();
        writer.lock().unwrap().close().unwrap();
        crate::custody::seal::seal_closed(&warc, &db, &key, None)
            .await
            .unwrap();
        let trust = crate::custody::check::Trust {
            node_key: Some(key.public_hex()),
            ..Default::default()
        };
        let report = crate::verify::verify(&warc, Some(&db), &trust)
            .await
            .unwrap();
        assert!(
            !report.findings.is_empty()
                && report
                    .findings
                    .iter()
                    .all(|f| f.problem.contains("the erasure did not finish")
                        || f.problem.contains("after its erasures")),
            "{:#?}",
            report.findings
        );
        // The next start finishes it, even over a blanking the crash tore (half written).
        let left = unfinished(&db).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].0, record_id);
        let t = &left[0].1[0];
        let torn = codec
            .blank_frame(t.length, &blank_note(&t.record_id))
            .unwrap();
        std::os::unix::fs::FileExt::write_all_at(
            &std::fs::OpenOptions::new()
                .write(true)
                .open(warc.join(&t.file))
                .unwrap(),
            &torn[..torn.len() / 2],
            t.offset,
        )
        .unwrap();
        assert!(
            blank(&warc, &left[0].1, false).is_err(),
            "a first blanking refuses bytes it does not know"
        );
        blank(&warc, &left[0].1, true).unwrap();
        mark_done(&db, &record_id).await.unwrap();
        assert!(unfinished(&db).await.unwrap().is_empty());
        // Twice is harmless: the frames are blank already.
        blank(&warc, &left[0].1, true).unwrap();
        let report = crate::verify::verify(&warc, Some(&db), &trust)
            .await
            .unwrap();
        assert!(report.ok(), "{:#?}", report.findings);
        assert_eq!(report.erased, 3);
        assert!(!contains(&plain(&warc), b"ERASE-ME-7f3c"));
    }

    #[test]
    fn an_erasure_record_is_signed_by_the_key_it_names_and_nothing_after_the_signature_counts() {
        let key = NodeKey::generate();
        let e = Erasure {
            basis: Basis::Request,
            detail: "erasure request 7 (url)".into(),
            requested_by: "user:alice".into(),
            approved_by: Some("token:dpo".into()),
            reason: "art. 16".into(),
            erased_at: "2026-12-05T00:00:00.000Z".into(),
            captures: vec![(4, "2026-01-01T00:00:00.000Z".into())],
            records: vec![],
            files: vec![],
        };
        let raw = e.record("<urn:uuid:x>", &chrono::Utc::now(), &key);
        let rec = ParsedRecord::parse(&raw).unwrap();
        let (back, fingerprint, signed) = Erasure::of(&rec).unwrap();
        assert!(signed);
        assert_eq!(back, e);
        assert_eq!(fingerprint, key.fingerprint());
        // A line added after the signature is not signed: the record is refused as unsigned.
        let mut block = rec.block.clone();
        block.extend_from_slice(b"capture: 99 2026-01-01T00:00:00.000Z\r\n");
        let forged = WarcRecord::new(
            RecordType::Metadata,
            "<urn:uuid:y>",
            &chrono::Utc::now(),
            block,
        )
        .field("WARC-Target-URI", ERASURE_URI)
        .to_bytes();
        let (seen, _, signed) = Erasure::of(&ParsedRecord::parse(&forged).unwrap()).unwrap();
        assert!(!signed);
        assert_eq!(
            seen.captures.len(),
            1,
            "what follows the signature is not read"
        );
        // An edited field breaks the signature.
        let edited = String::from_utf8(raw.clone())
            .unwrap()
            .replace("art. 16", "art. 61");
        let (_, _, signed) = Erasure::of(&ParsedRecord::parse(edited.as_bytes()).unwrap()).unwrap();
        assert!(!signed);
    }
}
