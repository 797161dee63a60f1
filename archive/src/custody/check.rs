//! Checking the chain of custody: the hash chain recomputed from the records themselves,
//! against the index, the checkpoints inside the files and the seals beside them.
//!
//! Each kind of tampering leaves its own mark, and the finding says which: a record
//! removed, added or moved breaks the chain at the next record (and the index and seal
//! disagree with the file); a file removed leaves a gap in the positions and a seal whose
//! predecessor is missing; an edited seal fails its signature; a seal made with another key
//! is named as such.

use std::collections::HashMap;
use std::path::Path;

use super::chain;
use super::key;
use super::seal::{file_sha256, seal_path, Seal};
use crate::files::serial_of;
use crate::verify::Finding;

/// One record as verification read it, in file order.
#[derive(Clone, Debug)]
pub struct Link {
    /// File (final name).
    pub file: String,
    /// Offset of its frame.
    pub offset: u64,
    /// WARC-Record-ID.
    pub record_id: String,
    /// SHA-256 of the uncompressed record.
    pub record_digest: String,
    /// For a checkpoint record: the position and chain head it states.
    pub checkpoint: Option<(u64, String)>,
    /// For a warcinfo or checkpoint record: the node key fingerprint it names.
    pub node_key: Option<String>,
    /// For a key rotation record: the rotation it states.
    pub rotation: Option<super::rotation::Rotation>,
}

/// Files as verification found them.
#[derive(Clone, Debug)]
pub struct FileInfo {
    /// Final name.
    pub name: String,
    /// Path on disk.
    pub path: std::path::PathBuf,
    /// Still `.open`.
    pub open: bool,
    /// Its records, in offset order.
    pub records: Vec<Link>,
    /// Each erasure that blanked frames in it after it was closed, in order: the file's
    /// SHA-256 before and after (see [`crate::erasure`]); its seal names the first "before".
    pub rewrites: Vec<(Option<String>, Option<String>)>,
}

fn finding(file: &str, offset: Option<u64>, id: Option<&str>, problem: String) -> Finding {
    Finding {
        file: file.to_string(),
        offset,
        record_id: id.map(str::to_string),
        problem,
    }
}

/// How far a TSA's time may lie from the time a seal states: the token is fetched right
/// after signing, so a larger gap means the seal was signed again later (with the stamp
/// fetched anew), or the node's clock was wrong.
pub const TSA_SKEW: chrono::TimeDelta = chrono::TimeDelta::seconds(120);

/// A problem if the token's time is not within [`TSA_SKEW`] of `sealed_at`.
fn stamped_late(response: &[u8], sealed_at: &str) -> Option<String> {
    let stamped = match super::timestamp::time_of(response) {
        Ok(t) => t,
        Err(e) => {
            return Some(format!(
                "the seal's RFC 3161 timestamp states no readable time: {e}"
            ))
        }
    };
    let Ok(sealed) = chrono::DateTime::parse_from_rfc3339(sealed_at) else {
        return Some(format!(
            "the seal's time {sealed_at:?} is not an RFC 3339 time"
        ));
    };
    let gap = stamped.signed_duration_since(sealed.with_timezone(&chrono::Utc));
    (gap.abs() > TSA_SKEW).then(|| {
        format!(
            "the timestamping authority stamped this seal at {}, {} s {} the time the seal states ({sealed_at}): the seal was signed again later, or the node's clock was wrong",
            stamped.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            gap.num_seconds().abs(),
            if gap > chrono::TimeDelta::zero() { "after" } else { "before" }
        )
    })
}

/// What is wrong with a stored head's TSA token, if anything: it must be for this note and
/// verify, and its time must be within [`TSA_SKEW`] of the time the head states.
fn head_stamp_problem(note: &str, token: &[u8], ca: &Path) -> Option<String> {
    let size = note.lines().nth(1).unwrap_or("?");
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(note.as_bytes()));
    if let Err(e) = super::timestamp::verify(token, &hash, ca) {
        return Some(format!(
            "the RFC 3161 timestamp of the signed head of {size} records does not verify for that head: {e}"
        ));
    }
    let time = note.lines().find_map(|l| l.strip_prefix("time "))?;
    stamped_late(token, time).map(|p| {
        format!(
            "the signed head of {size} records: {}",
            p.replace("this seal", "this head")
                .replace("the seal", "the head")
        )
    })
}

/// The node keys of the archive, in order, as its own records state them.
struct KeyWalk {
    /// Each key's epoch, in order: the first key named, then each one a rotation handed to.
    epochs: Vec<Epoch>,
    /// Per file: every key in effect while it was written (its seal must be by one).
    in_file: HashMap<String, std::collections::BTreeSet<String>>,
    /// The key in effect at the end of the archive.
    last: Option<String>,
    /// Records naming a key out of turn, rotations that do not check.
    findings: Vec<Finding>,
    /// Each rotation, in words.
    notes: Vec<String>,
}

/// One key's time as the node key.
struct Epoch {
    /// Its fingerprint.
    fp: String,
    /// Its public key (hex), when a rotation record states it.
    public: Option<String>,
    /// The log size when the first record naming it was written (the key took over).
    took_over: Option<u64>,
}

/// Follows the node key through the archive: the first key a record names, then each key a
/// valid rotation record (signed by the key in effect) hands over to. A record naming any
/// other key, or a rotation that does not check or does not start from the key in effect, is
/// a finding.
fn walk_keys(files: &[&FileInfo]) -> KeyWalk {
    let mut w = KeyWalk {
        epochs: Vec::new(),
        in_file: HashMap::new(),
        last: None,
        findings: Vec::new(),
        notes: Vec::new(),
    };
    let mut pos = 0u64;
    for f in files {
        let mut keys: std::collections::BTreeSet<String> = w.last.iter().cloned().collect();
        let mut out_of_turn = false;
        // The records that close the file a rotation is written in (its chain checkpoint)
        // are still the old key's writer's.
        let mut handed_over_here: Option<String> = None;
        for r in &f.records {
            if let Some(k) = &r.node_key {
                match &w.last {
                    _ if handed_over_here.as_ref() == Some(k) => {}
                    None => {
                        w.epochs.push(Epoch {
                            fp: k.clone(),
                            public: None,
                            took_over: Some(pos),
                        });
                        w.last = Some(k.clone());
                    }
                    Some(c) if c == k => {
                        if let Some(e) = w.epochs.last_mut().filter(|e| e.took_over.is_none()) {
                            e.took_over = Some(pos);
                        }
                    }
                    Some(c) if !out_of_turn => {
                        out_of_turn = true;
                        w.findings.push(finding(&f.name, Some(r.offset), Some(&r.record_id), format!(
                            "this record names node key {k}, but the archive's key here is {c} and no key rotation record from {c} to {k} comes before it: the node key was changed without a rotation, or records were rewritten with another key"
                        )));
                    }
                    Some(_) => {}
                }
            }
            if let Some(rot) = &r.rotation {
                let old = rot.old_fingerprint();
                let problem = match (rot.check(), &w.last) {
                    (Err(e), _) => Some(format!("this key rotation record does not verify ({e}): it hands nothing over")),
                    (Ok(()), Some(c)) if *c != old => Some(format!(
                        "this key rotation hands over from {old}, but the archive's key here is {c}: it hands nothing over"
                    )),
                    _ => None,
                };
                if let Some(p) = problem {
                    w.findings
                        .push(finding(&f.name, Some(r.offset), Some(&r.record_id), p));
                } else {
                    match w.epochs.last_mut() {
                        Some(e) => e.public = Some(rot.old_key.clone()),
                        None => w.epochs.push(Epoch {
                            fp: old.clone(),
                            public: Some(rot.old_key.clone()),
                            took_over: Some(pos),
                        }),
                    }
                    w.epochs.push(Epoch {
                        fp: rot.new_fingerprint(),
                        public: Some(rot.new_key.clone()),
                        took_over: None,
                    });
                    w.last = Some(rot.new_fingerprint());
                    handed_over_here = Some(old.clone());
                    w.notes.push(format!(
                        "node key rotated at record {} ({} at offset {}, {}): {old} -> {}, signed by both keys; reason: {}",
                        r.record_id,
                        f.name,
                        r.offset,
                        rot.at,
                        rot.new_fingerprint(),
                        rot.reason
                    ));
                }
            }
            keys.extend(w.last.iter().cloned());
            pos += 1;
        }
        w.in_file.insert(f.name.clone(), keys);
    }
    w
}

/// Heads of a log that says it continues this one after a key rotation the archive does not
/// hold (see [`super::log::continuation_of`]): the archive was cut back past a rotation,
/// and the new key's heads are what is left of it.
fn cut_past_rotation(notes: &[String], keys: &[super::log::LogKey], who: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for h in notes
        .iter()
        .filter_map(|n| super::log::continuation_of(n, keys))
    {
        let (old, at) = h.continues.clone().unwrap_or_default();
        if seen.insert((h.origin.clone(), old.clone(), at)) {
            out.push(format!(
                "{who} holds a head of the log {} ({} records), signed by the key it names, which continues this log ({old}) after a key rotation at record {at}; the archive holds no rotation to that key: it was cut back past a key rotation, or its rotation record was removed",
                h.origin, h.size
            ));
        }
    }
    out
}

/// What verification trusts.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    /// This node's public key (hex): every seal must be signed by it. Unknown: all seals
    /// by one key.
    pub node_key: Option<String>,
    /// The new key of a key rotation not finished yet (`node.key.next`): the archive may
    /// name it already.
    pub pending_key: Option<String>,
    /// The timestamping authority's CA certificate (PEM): every seal must carry a timestamp
    /// that verifies against it. Unknown: timestamps are not checked.
    pub tsa_ca: Option<std::path::PathBuf>,
    /// The log's own stored heads (signed notes, from the database).
    pub own_heads: Vec<String>,
    /// The TSA tokens of stored heads: (signed note, TimeStampResp). Checked against
    /// `tsa_ca` when it is known.
    pub head_stamps: Vec<(String, Vec<u8>)>,
    /// Heads kept by witnesses: (where from, the signed notes found there). The archive must
    /// extend every one of them that names this log.
    pub witnessed: Vec<(String, Vec<String>)>,
    /// The daemon is writing the data directory while it is verified: what it has not
    /// finished yet at the archive's end (records not indexed yet, a file closed but not
    /// sealed yet) is pending, not a finding. A later verify checks it.
    pub live: bool,
}

/// What the log check found, for the report's notes.
#[derive(Clone, Debug, Default)]
pub struct LogSummary {
    /// Records in the archive (leaves of its tree).
    pub size: u64,
    /// Lines for the reader: what each witness showed.
    pub notes: Vec<String>,
    /// Closed files at the archive's end not sealed yet while the daemon writes.
    pub pending_seals: usize,
}

/// Whether a file that no longer hashes as sealed was changed only by the erasures that
/// say so: each erasure's "before" is the hash the file had (the seal's, then the previous
/// erasure's "after"), and the last "after" is the hash it has now.
fn rewritten(
    now: &str,
    sealed: &str,
    rewrites: &[(Option<String>, Option<String>)],
) -> Option<String> {
    let mut expected = sealed.to_string();
    let mut any = false;
    let mut last: Option<(&String, &String)> = None;
    for (before, after) in rewrites {
        let (Some(before), Some(after)) = (before, after) else {
            continue;
        };
        // The same change stated twice (an erasure written again after a crash).
        if last == Some((before, after)) {
            continue;
        }
        last = Some((before, after));
        if *before != expected {
            return Some(format!(
                "an erasure record says the file hashed to {before} before it blanked frames, but it hashed to {expected}: its bytes changed outside the erasures"
            ));
        }
        expected = after.clone();
        any = true;
    }
    (now != expected).then(|| {
        if any {
            format!("file hashes to {now}, but after its erasures it hashed to {expected}: its bytes changed since")
        } else {
            format!("file hashes to {now}, sealed as {sealed}: its bytes changed")
        }
    })
}

/// Checks the chain, the checkpoints and the seals. `index` maps record IDs to the
/// position and chain value the index recorded.
pub fn check(
    dir: &Path,
    files: &[FileInfo],
    index: Option<&HashMap<String, (u64, String)>>,
    trust: &Trust,
) -> (Vec<Finding>, LogSummary) {
    let expected_key = trust.node_key.as_deref();
    let mut out = Vec::new();
    let mut files: Vec<&FileInfo> = files.iter().collect();
    files.sort_by_key(|f| (serial_of(&f.name).unwrap_or(u32::MAX), f.name.clone()));

    // Recompute the chain in append order. Where the index disagrees, say so once and
    // carry on from the index's value, so one break is one finding.
    let mut value = chain::GENESIS;
    let mut tree = super::log::Tree::default();
    let mut seq = 0u64;
    let mut highest_indexed = 0u64;
    let mut per_file: HashMap<String, (String, String, u64)> = HashMap::new();
    for f in &files {
        let start = chain::label(&value);
        for r in &f.records {
            if let Some((n, head)) = &r.checkpoint {
                if *n != seq || *head != chain::label(&value) {
                    out.push(finding(&f.name, Some(r.offset), Some(&r.record_id), format!(
                        "chain checkpoint says record {n} ends at {head}, but the records before it give record {seq} at {}: records before it were removed, added, reordered or altered",
                        chain::label(&value)
                    )));
                }
            }
            let next = match r.record_digest.parse() {
                Ok(d) => {
                    tree.push(super::log::leaf(&d));
                    chain::extend(&value, &d)
                }
                Err(e) => {
                    out.push(finding(&f.name, Some(r.offset), Some(&r.record_id), format!(
                        "the record's digest cannot be read ({e}): the chain cannot be checked past it"
                    )));
                    chain::GENESIS
                }
            };
            seq += 1;
            let indexed = index.and_then(|i| i.get(&r.record_id));
            let latest_seen = highest_indexed;
            if let Some((s, _)) = indexed {
                highest_indexed = highest_indexed.max(*s);
            }
            match indexed {
                Some((s, c)) if *s != seq || *c != chain::label(&next) => {
                    let what = if *s < latest_seen {
                        "it comes after a record the index puts later: records were reordered"
                            .to_string()
                    } else {
                        match (*s).cmp(&seq) {
                            std::cmp::Ordering::Greater => {
                                format!("{} record(s) before it are missing or were moved", s - seq)
                            }
                            std::cmp::Ordering::Less => {
                                format!("{} record(s) before it were added", seq - s)
                            }
                            std::cmp::Ordering::Equal => "a record before it was altered".into(),
                        }
                    };
                    out.push(finding(&f.name, Some(r.offset), Some(&r.record_id), format!(
                        "chain broken here: the index puts this record at position {s}, the archive's records at {seq}: {what}"
                    )));
                    seq = *s;
                    value = match chain::parse(c) {
                        Ok(v) => v,
                        Err(e) => {
                            out.push(finding(
                                &f.name,
                                Some(r.offset),
                                Some(&r.record_id),
                                format!(
                                    "the index's chain value for this record cannot be read ({e})"
                                ),
                            ));
                            next
                        }
                    };
                }
                _ => value = next,
            }
        }
        per_file.insert(f.name.clone(), (start, chain::label(&value), seq));
    }

    // Seals, in serial order; each names the one before. An archive written before nightjar
    // sealed files (no seal, no checkpoint anywhere) has none to check.
    let custody_in_use = files
        .iter()
        .any(|f| seal_path(&f.path).exists() || f.records.iter().any(|r| r.checkpoint.is_some()));
    let mut summary = LogSummary {
        size: tree.size(),
        notes: Vec::new(),
        pending_seals: 0,
    };
    // The unsealed end of the archive: files still open, or closed and not sealed yet.
    let unsealed_tail: Vec<&str> = files
        .iter()
        .rev()
        .take_while(|f| f.open || !seal_path(&f.path).exists())
        .map(|f| f.name.as_str())
        .collect();
    if !custody_in_use {
        return (out, summary);
    }
    let keys = walk_keys(&files);
    let rotated = keys.epochs.len() > 1;
    out.extend(keys.findings.iter().cloned());
    summary.notes.extend(keys.notes.iter().cloned());
    let mut previous_seal: Option<String> = None;
    let mut first_key: Option<String> = None;
    for f in files.iter().filter(|f| !f.open) {
        let sp = seal_path(&f.path);
        let seal = match Seal::read(&sp) {
            Ok(s) => s,
            Err(_) if !sp.exists() && trust.live && unsealed_tail.contains(&f.name.as_str()) => {
                summary.pending_seals += 1;
                previous_seal = None;
                continue;
            }
            Err(_) if !sp.exists() => {
                out.push(finding(&f.name, None, None, "closed file without a seal (FILE.seal.json): sealing was interrupted; the next start seals it".into()));
                previous_seal = None;
                continue;
            }
            Err(e) => {
                out.push(finding(
                    &f.name,
                    None,
                    None,
                    format!("unreadable seal: {e:#}"),
                ));
                previous_seal = None;
                continue;
            }
        };
        let mut problems = Vec::new();
        if !seal.signature_ok() {
            problems.push(
                "seal signature does not verify: the seal was edited after signing".to_string(),
            );
        }
        let fp = key::public_from_hex(&seal.public_key)
            .map(|k| key::fingerprint_of(&k))
            .unwrap_or_else(|_| seal.public_key.clone());
        // With rotations, the key at hand is the newest one, and older files were sealed by
        // the key of their time: the records' own keys decide (below).
        match (expected_key, &first_key) {
            (Some(k), _) if k != seal.public_key && !rotated => problems.push(format!(
                "seal signed by another key ({fp}), not this node's"
            )),
            (None, Some(k)) if *k != seal.public_key && !rotated => problems.push(format!(
                "seal signed by another key ({fp}) than the archive's other seals"
            )),
            _ => {}
        }
        first_key.get_or_insert(seal.public_key.clone());
        // The records themselves name the key that wrote them (warcinfo, checkpoints, key
        // rotations), under the chain: a seal re-signed with another key, and node.pub
        // replaced to match, still disagrees with them.
        let named = keys.in_file.get(&f.name).cloned().unwrap_or_default();
        if !named.is_empty() && !named.contains(fp.as_str()) {
            problems.push(format!(
                "seal signed by key {fp}, but the file's own records (warcinfo, checkpoints) name {}: the seal was re-signed with another key",
                named.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if let Some(ca) = &trust.tsa_ca {
            match &seal.timestamp {
                None => problems
                    .push("seal has no RFC 3161 timestamp, though a TSA is configured".into()),
                Some(t) => {
                    let hash = format!(
                        "sha256:{}",
                        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(seal.stamped_bytes()))
                    );
                    let response = hex::decode(&t.response).unwrap_or_default();
                    if t.hash != hash {
                        problems.push("the timestamp is for another version of this seal".into());
                    } else if let Err(e) =
                        super::timestamp::verify(&response, hash.trim_start_matches("sha256:"), ca)
                    {
                        problems.push(format!(
                            "the seal's RFC 3161 timestamp does not verify: {e}"
                        ));
                    } else if let Some(p) = stamped_late(&response, &seal.sealed_at) {
                        problems.push(p);
                    }
                }
            }
        }
        if seal.file != f.name {
            problems.push(format!("seal is for {}, not this file", seal.file));
        }
        match (std::fs::metadata(&f.path), file_sha256(&f.path)) {
            (Ok(m), Ok(h)) => {
                if m.len() != seal.size {
                    problems.push(format!(
                        "file is {} bytes, sealed at {} (truncated or extended since)",
                        m.len(),
                        seal.size
                    ));
                } else if h != seal.sha256 {
                    problems.extend(rewritten(&h, &seal.sha256, &f.rewrites));
                }
            }
            _ => problems.push("cannot read the file to check its seal".into()),
        }
        if seal.records != f.records.len() as u64 {
            problems.push(format!(
                "{} records in the file, {} sealed",
                f.records.len(),
                seal.records
            ));
        }
        if let (Some(first), Some(last)) = (f.records.first(), f.records.last()) {
            if first.record_id != seal.first_record || last.record_id != seal.last_record {
                problems.push("first or last record differs from the sealed ones".into());
            }
        }
        if let Some((start, end, _)) = per_file.get(&f.name) {
            if *start != seal.chain_start || *end != seal.chain_end {
                problems.push(format!(
                    "chain runs {start} → {end} through this file, sealed as {} → {}",
                    seal.chain_start, seal.chain_end
                ));
            }
        }
        if seal.previous_seal != previous_seal {
            problems.push(match &previous_seal {
                None if seal.previous_seal.is_some() => "seal names a previous file's seal, but no sealed file comes before it: a file before it was removed".into(),
                _ => "seal names a previous seal that is not the seal of the file before it: a file between them was removed or replaced".into(),
            });
        }
        for p in problems {
            out.push(finding(&f.name, None, None, p));
        }
        previous_seal = file_sha256(&sp).ok();
    }
    // The key at hand (node.pub) must be the one the newest records name: replacing it
    // (with every seal re-signed) leaves the records naming the old one.
    if let Some(expected) = expected_key {
        let fp = key::public_from_hex(expected)
            .map(|k| key::fingerprint_of(&k))
            .unwrap_or_else(|_| expected.to_string());
        // The key in effect at the end: the newest one named, or the one the last rotation
        // handed over to.
        let newest = files
            .iter()
            .rev()
            .find(|f| {
                f.records
                    .iter()
                    .any(|r| r.node_key.is_some() || r.rotation.is_some())
            })
            .zip(keys.last.as_deref());
        let pending = trust.pending_key.as_deref().and_then(|k| {
            key::public_from_hex(k)
                .ok()
                .map(|k| key::fingerprint_of(&k))
        });
        if let Some((_, named)) = newest.filter(|(_, n)| pending.as_deref() == Some(*n)) {
            summary.notes.push(format!(
                "a key rotation to {named} is not finished (node.key.next): the next start finishes it, and node.pub then names that key"
            ));
        } else if let Some((f, named)) = newest {
            if named != fp {
                out.push(finding(&f.name, None, None, format!(
                    "the node key at hand ({fp}) is not the key this archive's newest records name ({named}): node.pub was replaced, or this is another node's archive"
                )));
            }
        }
    }
    // The log's heads: its own, then each witness's. They are checked with the key at
    // hand, or else the one the seals share.
    if let Some(public) = expected_key.map(str::to_string).or(first_key.clone()) {
        // The log is known by the key of each epoch (each checked with its own key, a
        // retired one only up to where the next took over), by any other key its records
        // name and by the key at hand (those heads must be signed by the key at hand).
        let named: std::collections::BTreeSet<&str> = files
            .iter()
            .flat_map(|f| f.records.iter().filter_map(|r| r.node_key.as_deref()))
            .collect();
        let mut log_keys: Vec<super::log::LogKey> = keys
            .epochs
            .iter()
            .enumerate()
            .map(|(i, e)| super::log::LogKey {
                origin: super::log::origin_of_fingerprint(&e.fp),
                public: e.public.clone().unwrap_or_else(|| public.clone()),
                until: keys.epochs.get(i + 1).and_then(|n| n.took_over),
            })
            .collect();
        let others = named
            .iter()
            .map(|k| super::log::origin_of_fingerprint(k))
            .chain(super::log::origin_of(&public).ok());
        for origin in others {
            if !log_keys.iter().any(|k| k.origin == origin) {
                log_keys.push(super::log::LogKey {
                    origin,
                    public: public.clone(),
                    until: None,
                });
            }
        }
        let origin = log_keys
            .iter()
            .map(|k| k.origin.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let (good, problems, _) =
            super::log::check_heads(&tree, &log_keys, &trust.own_heads, "the database");
        for p in problems.into_iter().chain(cut_past_rotation(
            &trust.own_heads,
            &log_keys,
            "the database",
        )) {
            out.push(finding("log_checkpoints", None, None, p));
        }
        if let Some(newest) = good.iter().max_by_key(|h| h.size) {
            summary.notes.push(format!(
                "the archive extends its {} stored signed heads (newest: {} records, {})",
                good.len(),
                newest.size,
                newest.time.as_deref().unwrap_or("?")
            ));
        }
        if let Some(ca) = &trust.tsa_ca {
            for (note, token) in &trust.head_stamps {
                if let Some(p) = head_stamp_problem(note, token, ca) {
                    out.push(finding("log_checkpoints", None, None, p));
                }
            }
        }
        for (from, notes) in &trust.witnessed {
            let (good, mut problems, others) =
                super::log::check_heads(&tree, &log_keys, notes, "the witness");
            problems.extend(cut_past_rotation(notes, &log_keys, "the witness"));
            for p in &problems {
                out.push(finding(&format!("witness {from}"), None, None, p.clone()));
            }
            // Heads of other nightjar logs only: the witness saw this archive under another
            // key (the archive was rewritten with a new one), or it is another node's.
            let foreign = notes
                .iter()
                .filter(|n| super::log::origin_in(n).is_some_and(|o| o.starts_with("nightjar/")))
                .count();
            if good.is_empty() && problems.is_empty() && foreign > 0 {
                out.push(finding(&format!("witness {from}"), None, None, format!(
                    "the witness holds {foreign} heads of other nightjar logs and none of this one ({origin}): this archive was rewritten under another key since, or the witness is another node's"
                )));
            }
            let newest = good.iter().max_by_key(|h| h.size);
            summary.notes.push(match newest {
                Some(h) if problems.is_empty() => format!(
                    "witness {from}: the archive extends all {} heads of this log it holds (consistency proofs checked; newest {} records, {}){}",
                    good.len(),
                    h.size,
                    h.time.as_deref().unwrap_or("?"),
                    if others > 0 { format!("; {others} heads of other logs ignored") } else { String::new() }
                ),
                None if problems.is_empty() => format!(
                    "witness {from}: holds no head of this log ({origin}): nothing to compare"
                ),
                _ => format!(
                    "witness {from}: {} of {} heads of this log check out",
                    good.len(),
                    good.len() + problems.len()
                ),
            });
        }
    }
    // Seals whose file is gone.
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(warc) = name.strip_suffix(".seal.json") {
                if !files.iter().any(|f| f.name == warc) {
                    out.push(finding(
                        warc,
                        None,
                        None,
                        "the file this seal is for is missing from the archive".into(),
                    ));
                }
            }
        }
    }
    (out, summary)
}

#[cfg(test)]
mod rewrite_tests {
    use super::rewritten;

    fn pair(a: &str, b: &str) -> (Option<String>, Option<String>) {
        (Some(a.into()), Some(b.into()))
    }

    #[test]
    fn a_file_changed_only_by_its_erasures_matches_its_seal_through_them() {
        assert_eq!(rewritten("h1", "h0", &[pair("h0", "h1")]), None);
        assert_eq!(
            rewritten("h2", "h0", &[pair("h0", "h1"), pair("h1", "h2")]),
            None
        );
        // The same change stated twice (an erasure written again after a crash).
        assert_eq!(
            rewritten("h1", "h0", &[pair("h0", "h1"), pair("h0", "h1")]),
            None
        );
        // Changed outside the erasures: before, between, or after them.
        assert!(rewritten("h0", "h0", &[pair("h0", "h1")]).is_some());
        assert!(rewritten("h2", "h0", &[pair("hx", "h2")]).is_some());
        assert!(rewritten("h9", "h0", &[pair("h0", "h1")]).is_some());
        // An erasure of a file still open when it ran (no hashes) explains nothing.
        assert!(rewritten("h1", "h0", &[(None, None)]).is_some());
    }
}
