//! Evidence export: chosen captures as a signed WACZ 1.1.1 package a third party can check.
//!
//! The package holds the captures' records copied byte for byte (each uncompressed record
//! checked against its digest in the index, then gzip-compressed on its own, since most
//! tools read gzip WARCs and not zstd ones: the envelope changes, the record bytes do not),
//! the originals that revisits depend on, the warcinfo records of the files they came from,
//! a CDXJ index, `pages/pages.jsonl`, the seals of the source files, and a custody report
//! (`custody/custody.json`, `custody/custody.md`): for each capture its URL, time, route,
//! digests, chain positions and covering seal, and who exported it, when and why, and
//! `entities/entities.json`: the validated entities of those captures with where and when each was
//! seen (from the entity ledger). `datapackage.json` lists every file with its SHA-256; `datapackage-digest.json` holds the
//! SHA-256 of `datapackage.json` and an Ed25519 signature over it by the node key.
//!
//! Files sit at most one folder deep, because `wacz validate` identifies files by their last
//! two path components.
//!
//! Nodes sharing one PostgreSQL database each keep their own WARC files, key, seals and log,
//! so a package may hold captures of several nodes: the exporting node reads the others'
//! records through [`Holders`] (checking each against the shared index), and each record keeps
//! its own node's evidence: the chain position, seal and signed head of the node that wrote
//! it, under that node's key ([`NodeSection`]). The exporting node signs the package as a
//! whole; the custody report names every node.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use db::Db;
use serde::{Deserialize, Serialize};

use crate::custody::key::NodeKey;
use crate::custody::seal::{file_sha256, seal_path};
use crate::digest::sha256_label;
use crate::frames::{read_frame_at, Compression};
use crate::index::{self, CaptureRow, RecordRow};
use crate::record::{parse_warc_fields, ParsedRecord, RecordType};

/// What to export and why.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    /// Capture IDs chosen by the analyst.
    pub captures: Vec<i64>,
    /// Case identifier.
    pub case: String,
    /// Why (justification, legal basis).
    pub reason: String,
    /// Who exports (Unix user).
    pub exported_by: String,
    /// Where the `.wacz` goes.
    pub out: PathBuf,
}

/// One record in the package, and where it came from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordProvenance {
    /// WARC-Record-ID.
    pub record_id: String,
    /// WARC-Type.
    pub warc_type: String,
    /// SHA-256 of the uncompressed record (the same in the archive and in the package).
    pub record_digest: String,
    /// Position in the source archive's hash chain.
    pub chain_seq: i64,
    /// The chain value before it.
    pub chain_before: String,
    /// The chain value after it: SHA-256(chain_before ‖ record digest).
    pub chain: String,
    /// Source WARC file and offset.
    pub source_file: String,
    /// See `source_file`.
    pub source_offset: i64,
    /// Offset in `archive/data.warc.gz`.
    pub package_offset: u64,
    /// Its Merkle inclusion proof (base64 hashes, RFC 6962) as leaf `chain_seq - 1` of the
    /// signed head in [`Custody::log`]; empty when the head does not reach it yet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_proof: Vec<String>,
    /// The node whose archive holds it (its chain, seal and log), on a shared database;
    /// empty for a single node.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub node: String,
}

/// The signed head of the source archive's Merkle log that the records' proofs lead to.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LogHead {
    /// The log's name (C2SP origin).
    pub origin: String,
    /// Records under the head.
    pub size: u64,
    /// Root hash, base64.
    pub root: String,
    /// When the node made it.
    pub made_at: String,
    /// The signed checkpoint (C2SP signed note), as handed to witnesses.
    pub checkpoint: String,
    /// The node's verifier key for it (`name+id+key`).
    pub verifier_key: String,
    /// An RFC 3161 TimeStampResp over SHA-256 of the checkpoint, hex, when a TSA stamped it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tsa_response: Option<String>,
    /// Consistency proofs (RFC 6962) that this head extends the earlier heads the node made
    /// and handed to its witnesses, smallest first: a witness's older copy can be checked
    /// against the package alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consistency: Vec<EarlierHead>,
}

/// An earlier head of the same log and the proof that the package's head extends it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EarlierHead {
    /// Records under the earlier head.
    pub size: u64,
    /// Its root, base64.
    pub root: String,
    /// The consistency proof from it to the package's head (base64 hashes).
    pub proof: Vec<String>,
}

/// At most this many earlier heads get a consistency proof in a package; past it, the newest
/// half and the last head of each earlier day (see [`earlier_sizes`]).
const MAX_EARLIER_HEADS: usize = 2000;

/// Which earlier heads a package proves its head extends: every one, or for a node with
/// more than [`MAX_EARLIER_HEADS`] of them, the newest half and the last of each earlier
/// UTC day (a witness compares with the newest head it holds; older ones can be checked on
/// the node with `nightjar verify --witness`). Sizes, ascending, distinct, below `n`.
fn earlier_sizes(heads: &[crate::custody::heads::Stored], n: u64) -> Vec<u64> {
    let below: Vec<&crate::custody::heads::Stored> = heads
        .iter()
        .filter(|h| h.size > 0 && (h.size as u64) < n)
        .collect();
    let mut keep: Vec<u64> = if below.len() <= MAX_EARLIER_HEADS {
        below.iter().map(|h| h.size as u64).collect()
    } else {
        let split = below.len() - MAX_EARLIER_HEADS / 2;
        let mut daily: std::collections::BTreeMap<&str, u64> = Default::default();
        for h in &below[..split] {
            daily.insert(h.made_at.get(..10).unwrap_or(""), h.size as u64);
        }
        daily
            .into_values()
            .chain(below[split..].iter().map(|h| h.size as u64))
            .collect()
    };
    keep.sort_unstable();
    keep.dedup();
    keep
}

/// One capture in the custody report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaptureProvenance {
    /// Capture ID in the source index.
    pub capture_id: i64,
    /// URL.
    pub url: String,
    /// WARC-Date.
    pub captured_at: String,
    /// HTTP status.
    pub status: i64,
    /// `response` or `revisit`.
    pub warc_type: String,
    /// WARC-Payload-Digest.
    pub payload_digest: Option<String>,
    /// For a revisit: the response holding the body (also in the package).
    pub refers_to: Option<String>,
    /// Selected by the analyst, or pulled in as a revisit's original.
    pub included_as: String,
    /// Route facts from the capture's metadata record (via, onion service, Tor circuit…).
    pub route: BTreeMap<String, String>,
    /// Seed label.
    pub seed: Option<String>,
    /// Its records.
    pub records: Vec<RecordProvenance>,
    /// The seal of the source file: file name and the seal's SHA-256.
    pub sealed_by: Option<(String, String)>,
    /// The node that captured it and holds its records, on a shared database.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub node: String,
}

/// Another node whose captures a package holds: the key its records, seals and signed head
/// are under. (The exporting node's are [`Custody::node_public_key`] and [`Custody::log`].)
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NodeSection {
    /// The node's name among those sharing the database.
    pub name: String,
    /// Its key (hex), which signed its seals and its head.
    pub public_key: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// The signed head of its log that its records' inclusion proofs lead to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<LogHead>,
}

/// The custody report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Custody {
    /// Format of this document.
    pub format: String,
    /// Case identifier.
    pub case: String,
    /// Why.
    pub reason: String,
    /// Who.
    pub exported_by: String,
    /// When (RFC 3339 UTC).
    pub exported_at: String,
    /// nightjar version.
    pub software: String,
    /// Node key that signed the package and the seals.
    pub node_public_key: String,
    /// Its fingerprint.
    pub node_fingerprint: String,
    /// The exporting node's name, on a database several nodes share.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub node: String,
    /// The other nodes whose captures the package holds, each with its own key and head.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_nodes: Vec<NodeSection>,
    /// The signed head every record's inclusion proof leads to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<LogHead>,
    /// The captures.
    pub captures: Vec<CaptureProvenance>,
    /// Warcinfo records of the source files, and the key rotation records, in log order.
    pub warcinfo: Vec<RecordProvenance>,
    /// How to check this package.
    pub how_to_verify: Vec<String>,
}

/// What an export wrote.
#[derive(Debug)]
pub struct ExportSummary {
    /// Captures in the package (originals included).
    pub captures: usize,
    /// Records in the package.
    pub records: usize,
    /// Package size.
    pub bytes: u64,
}

/// What another node sharing the database hands over for a package made on this one.
#[derive(Clone, Debug)]
pub struct NodePart {
    /// Its key (hex): its seals and signed heads are under it (or under a key it rotated
    /// from, which its key rotation records hand over).
    pub public_key: String,
    /// The seals of the WARC files holding the captures asked for (file name, seal bytes as
    /// that node wrote them).
    pub seals: BTreeMap<String, Vec<u8>>,
}

/// Where a package gets the records other nodes hold: nodes sharing one database share the
/// index but not their WARC files. [`export`] checks everything handed over against the
/// index (record digests, the root of each node's signed head) before packaging it.
pub trait Holders {
    /// Asks `node` to seal the files holding `captures` (its own) and to sign a fresh head
    /// of its log, which the shared index then holds; returns its key and those seals.
    fn part(
        &self,
        node: &str,
        captures: &[i64],
    ) -> impl std::future::Future<Output = anyhow::Result<NodePart>> + Send;
    /// The uncompressed bytes of record `r`, which node `r.node` holds.
    fn record(
        &self,
        r: &RecordRow,
    ) -> impl std::future::Future<Output = anyhow::Result<Vec<u8>>> + Send;
}

async fn capture_rows(db: &Db, ids: &[i64]) -> anyhow::Result<Vec<(CaptureRow, String)>> {
    let mut chosen: BTreeMap<i64, (CaptureRow, String)> = BTreeMap::new();
    for id in ids {
        let row = index::capture(db, *id)
            .await?
            .with_context(|| format!("no capture {id}"))?;
        if row.file.is_none() {
            bail!(
                "capture {id} of {} is a failed fetch with nothing archived; leave it out",
                row.url
            );
        }
        chosen.insert(*id, (row, "selected".into()));
    }
    // A revisit needs the response holding its body.
    let revisits: Vec<CaptureRow> = chosen
        .values()
        .filter(|(r, _)| r.is_revisit())
        .map(|(r, _)| r.clone())
        .collect();
    for r in revisits {
        let original =
            index::response_with_record(db, r.refers_to.as_deref().unwrap_or("")).await?;
        let original = original.with_context(|| {
            format!(
                "capture {} is a revisit of {:?}, which is not in the index: run `nightjar verify`",
                r.id, r.refers_to
            )
        })?;
        chosen
            .entry(original.id)
            .or_insert((original, format!("original of revisit {}", r.id)));
    }
    let mut v: Vec<(CaptureRow, String)> = chosen.into_values().collect();
    v.sort_by(|a, b| (&a.0.captured_at, a.0.id).cmp(&(&b.0.captured_at, b.0.id)));
    Ok(v)
}

async fn records_of(db: &Db, capture: i64) -> anyhow::Result<Vec<RecordRow>> {
    Ok(index::records_of_capture(db, capture).await?)
}

async fn chain_before(db: &Db, seq: i64) -> anyhow::Result<String> {
    if seq <= 1 {
        return Ok(crate::custody::chain::label(
            &crate::custody::chain::GENESIS,
        ));
    }
    index::chain_value_at(db, (seq - 1) as u64)
        .await?
        .with_context(|| {
            format!(
                "the index lacks chain position {}: run `nightjar verify`",
                seq - 1
            )
        })
}

/// Appends records to the package WARC, one gzip member each.
struct PackageWarc {
    file: std::fs::File,
    offset: u64,
}

impl PackageWarc {
    /// Appends a record's uncompressed bytes, after checking them against its digest in the
    /// index; returns (offset, length, member digest).
    fn append(&mut self, r: &RecordRow, raw: &[u8]) -> anyhow::Result<(u64, u64, String)> {
        if sha256_label(raw) != r.record_digest {
            if r.node.is_empty() {
                bail!(
                    "{} at {} no longer matches its digest in the index: run `nightjar verify` before exporting",
                    r.file,
                    r.file_offset
                );
            }
            bail!(
                "record {} of node '{}' ({} at {}) does not match its digest in the index: \
                 nothing of it is packaged; run `nightjar verify` on that node",
                r.record_id,
                r.node,
                r.file,
                r.file_offset
            );
        }
        let member = Compression::Gzip.compress(raw)?;
        self.file.write_all(&member)?;
        let at = self.offset;
        self.offset += member.len() as u64;
        Ok((at, member.len() as u64, sha256_label(&member)))
    }
}

/// A record's uncompressed bytes: from this node's WARC files, or from the node holding it.
async fn raw_record(
    db: &Db,
    warc_dir: &Path,
    holders: &impl Holders,
    r: &RecordRow,
) -> anyhow::Result<Vec<u8>> {
    if r.node != db.node() {
        return holders.record(r).await;
    }
    let path = crate::files::locate(warc_dir, &r.file)
        .with_context(|| format!("WARC file {} is missing", r.file))?;
    read_frame_at(&path, r.file_offset as u64, r.length as u64)
        .with_context(|| format!("cannot read {} at {}", r.file, r.file_offset))
}

/// A seal as the package holds it: its path there and its bytes.
fn seal_entry(
    db: &Db,
    warc_dir: &Path,
    parts: &Parts,
    node: &str,
    file: &str,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    if node == db.node() {
        let Some(p) = crate::files::locate(warc_dir, file)
            .map(|p| seal_path(&p))
            .filter(|p| p.exists())
        else {
            return Ok(None);
        };
        let bytes = std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
        return Ok(Some((format!("seals/{file}.seal.json"), bytes)));
    }
    // One folder deep (see the module doc); `@` is in no node name and no WARC file name.
    Ok(parts
        .get(node)
        .and_then(|p| p.seals.get(file))
        .map(|bytes| (format!("seals/{node}@{file}.seal.json"), bytes.clone())))
}

/// Checks the seals another node handed over before anything of them is packaged: one for
/// each of its files holding exported records, signed, naming that file, and covering those
/// records' chain positions (whose key it is, `verify` checks against the node's rotations).
fn check_seals(node: &str, part: &NodePart, records: &[&RecordRow]) -> anyhow::Result<()> {
    for r in records {
        let bytes = part
            .seals
            .get(&r.file)
            .with_context(|| format!("node '{node}' handed over no seal of its file {}", r.file))?;
        let seal: crate::custody::seal::Seal =
            serde_json::from_slice(bytes).with_context(|| {
                format!("node '{node}' handed over an unreadable seal of {}", r.file)
            })?;
        let seq = r.seq as u64;
        if !seal.signature_ok()
            || seal.file != r.file
            || !(seal.first_seq..seal.first_seq + seal.records).contains(&seq)
        {
            bail!(
                "node '{node}' handed over a seal of {} that is not signed, names another file, \
                 or does not cover record {} (chain position {seq}): not packaged",
                r.file,
                r.record_id
            );
        }
    }
    Ok(())
}

/// The other nodes' parts, by node name.
type Parts = BTreeMap<String, NodePart>;

/// Writes the package. `holders` hands over what other nodes sharing the database hold;
/// `progress(done, total)` is called as records
/// are copied.
pub async fn export(
    db: &Db,
    warc_dir: &Path,
    key: &NodeKey,
    req: &ExportRequest,
    holders: &impl Holders,
    mut progress: impl FnMut(u64, u64),
) -> anyhow::Result<ExportSummary> {
    if req.captures.is_empty() {
        bail!("nothing to export: no capture matches");
    }
    // The signed report quotes these verbatim: refused here too, whoever calls.
    for (field, value) in [
        ("case", &req.case),
        ("reason", &req.reason),
        ("exporter", &req.exported_by),
    ] {
        crate::custody::text::plain_text(field, value)?;
    }
    let captures = capture_rows(db, &req.captures).await?;
    // The index as each node's own (its chain, its log, its key rotations).
    let as_node = |node: &str| db.clone().for_node(node);
    // Every other node holding some of them seals their files and signs a fresh head first.
    let mut by_node: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (c, _) in captures.iter().filter(|(c, _)| c.node != db.node()) {
        by_node.entry(c.node.clone()).or_default().push(c.id);
    }
    let mut parts: Parts = BTreeMap::new();
    for (node, ids) in &by_node {
        let part = holders
            .part(node, ids)
            .await
            .with_context(|| format!("node '{node}' holds captures of this export"))?;
        crate::custody::key::public_from_hex(&part.public_key)
            .with_context(|| format!("node '{node}' handed over a key that is not one"))?;
        parts.insert(node.clone(), part);
    }

    let work = tempfile::tempdir_in(req.out.parent().unwrap_or(Path::new(".")))?;
    let warc_path = work.path().join("data.warc.gz");
    let mut warc = PackageWarc {
        file: std::fs::File::create(&warc_path)?,
        offset: 0,
    };
    let mut all_records: Vec<(i64, Vec<RecordRow>)> = Vec::new();
    for (c, _) in &captures {
        all_records.push((c.id, records_of(db, c.id).await?));
    }
    let total: u64 = all_records
        .iter()
        .flat_map(|(_, rs)| rs.iter().map(|r| r.length as u64))
        .sum();
    let mut done = 0u64;

    // The warcinfo of every source file first: who wrote those files, with which settings.
    // Source files by node (this node first), since two nodes may name files alike.
    let mut files: BTreeSet<(bool, String, String)> = BTreeSet::new();
    for r in all_records.iter().flat_map(|(_, rs)| rs) {
        files.insert((r.node != db.node(), r.node.clone(), r.file.clone()));
    }
    for (node, part) in &parts {
        let held: Vec<&RecordRow> = all_records
            .iter()
            .flat_map(|(_, rs)| rs)
            .filter(|r| &r.node == node)
            .collect();
        check_seals(node, part, &held)?;
    }
    // And every key rotation record of those nodes: how the key that signs each node's
    // seals and heads took over from the keys its warcinfo records name. In log order.
    let mut about = Vec::new();
    let nodes: BTreeSet<(bool, String)> = files.iter().map(|(o, n, _)| (*o, n.clone())).collect();
    for (_, node) in &nodes {
        let view = as_node(node);
        let mut of_node = Vec::new();
        for (_, _, f) in files.iter().filter(|(_, n, _)| n == node) {
            of_node.extend(index::warcinfo_of(&view, f).await?);
        }
        of_node.extend(index::key_rotation_records(&view).await?);
        of_node.sort_by_key(|r| r.seq);
        of_node.dedup_by(|a, b| a.record_id == b.record_id);
        about.extend(of_node);
    }
    let mut warcinfo = Vec::new();
    for r in about {
        let raw = raw_record(db, warc_dir, holders, &r).await?;
        let (at, _, _) = warc.append(&r, &raw)?;
        warcinfo.push(provenance(&as_node(&r.node), &r, at).await?);
    }

    let mut cdxj = Vec::new();
    let mut pages = vec![serde_json::json!({
        "format": "json-pages-1.0", "id": "pages", "title": format!("case {}", req.case)
    })
    .to_string()];
    let mut report = Vec::new();
    for ((c, why), (_, recs)) in captures.iter().zip(&all_records) {
        let mut prov = Vec::new();
        let mut route = BTreeMap::new();
        for r in recs {
            let raw = raw_record(db, warc_dir, holders, r).await?;
            let (at, len, member_digest) = warc.append(r, &raw)?;
            done += r.length as u64;
            progress(done, total);
            if r.warc_type == RecordType::Metadata {
                if let Ok(rec) = ParsedRecord::parse(&raw) {
                    for (k, v) in parse_warc_fields(&rec.block) {
                        if matches!(
                            k.as_str(),
                            "via"
                                | "onion-service"
                                | "tor-client"
                                | "tor-isolation-group"
                                | "tls-verified"
                                | "tls-error"
                                | "fetch-total-ms"
                        ) {
                            route.insert(k, v);
                        }
                    }
                }
            }
            if Some(&r.record_id) == c.record_id.as_ref() {
                let mut row = c.clone();
                row.file = Some("data.warc.gz".into());
                row.file_offset = Some(at as i64);
                row.length = Some(len as i64);
                row.frame_digest = Some(member_digest);
                cdxj.push(index::cdxj_line(&row));
            }
            prov.push(provenance(&as_node(&r.node), r, at).await?);
        }
        if why == "selected" {
            pages.push(
                serde_json::json!({
                    "id": format!("capture-{}", c.id),
                    "url": c.url,
                    "ts": c.captured_at,
                })
                .to_string(),
            );
        }
        let source = c.file.clone().unwrap_or_default();
        let seal = seal_entry(db, warc_dir, &parts, &c.node, &source)?
            .map(|(path, bytes)| (path, sha256_label(&bytes)));
        report.push(CaptureProvenance {
            capture_id: c.id,
            url: c.url.clone(),
            captured_at: c.captured_at.clone(),
            status: c.status,
            warc_type: c.warc_type.map(|t| t.to_string()).unwrap_or_default(),
            payload_digest: c.payload_digest.clone(),
            refers_to: c.refers_to.clone(),
            included_as: why.clone(),
            route,
            seed: c.seed.clone(),
            records: prov,
            sealed_by: seal,
            node: c.node.clone(),
        });
    }
    warc.file.sync_all()?;
    cdxj.sort();

    // Each node's records are proved under its own signed head, checked against the index.
    let log = log_for_export(db, &key.public_hex()).await?;
    let mut other_nodes = Vec::new();
    for (node, part) in &parts {
        let head = log_for_export(&as_node(node), &part.public_key)
            .await
            .with_context(|| format!("node '{node}'s log"))?;
        if let Some((head, _)) = &head {
            crate::custody::log::open_as(&head.checkpoint, &head.origin, &part.public_key)
                .with_context(|| format!("node '{node}'s newest signed head"))?;
        }
        other_nodes.push((node.clone(), part.public_key.clone(), head));
    }
    let heads: BTreeMap<&str, &(LogHead, crate::custody::log::Tree)> = log
        .iter()
        .map(|h| (db.node(), h))
        .chain(
            other_nodes
                .iter()
                .filter_map(|(n, _, h)| h.as_ref().map(|h| (n.as_str(), h))),
        )
        .collect();
    for r in report
        .iter_mut()
        .flat_map(|c| c.records.iter_mut())
        .chain(warcinfo.iter_mut())
    {
        if let Some((head, tree)) = heads.get(r.node.as_str()) {
            prove(std::slice::from_mut(r), head, tree)?;
        } else if r.node != db.node() {
            bail!(
                "node '{}' has signed no head of its log yet: export again once it has",
                r.node
            );
        }
    }
    let other_nodes: Vec<NodeSection> = other_nodes
        .into_iter()
        .map(|(name, public_key, head)| NodeSection {
            fingerprint: crate::custody::key::public_from_hex(&public_key)
                .map(|k| crate::custody::key::fingerprint_of(&k))
                .unwrap_or_default(),
            name,
            public_key,
            log: head.map(|(h, _)| h),
        })
        .collect();
    let mut custody = Custody {
        format: "nightjar-custody/1".into(),
        case: req.case.clone(),
        reason: req.reason.clone(),
        exported_by: req.exported_by.clone(),
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        software: format!("nightjar/{}", env!("CARGO_PKG_VERSION")),
        node_public_key: key.public_hex(),
        node_fingerprint: key.fingerprint(),
        node: db.node().to_string(),
        other_nodes,
        log: log.map(|(head, _)| head),
        captures: report,
        warcinfo,
        how_to_verify: vec![
            "wacz validate -f PACKAGE.wacz (file hashes against datapackage.json)".into(),
            "nightjar verify PACKAGE.wacz (all of the below, with no access to the source archive)".into(),
            "sha256(datapackage.json) equals datapackage-digest.json `hash`; its `signedData.signature` is Ed25519 by `signedData.publicKey` over that hash string".into(),
            "every record in archive/data.warc.gz hashes (uncompressed) to its record_digest here, and chain = SHA-256(chain_before || record digest)".into(),
            "each seal in seals/ is signed by the same key; its chain values bound the source file's records".into(),
            "each record's log_proof is an RFC 6962 inclusion proof of leaf SHA-256(0x00 || record digest) at index chain_seq - 1 under the signed head in `log` (a C2SP checkpoint; any transparency-log tool checks it with `log.verifier_key`)".into(),
            "nightjar verify PACKAGE.wacz --witness FILE compares that head with the copy a witness kept: the same size and root mean the node could not have changed those records since".into(),
        ],
    };
    if !custody.other_nodes.is_empty() {
        custody.how_to_verify.push(
            "records naming a node in `other_nodes` are that node's: their chain, seal and log_proof are checked as above against that node's key and signed head (`other_nodes[].log`), not the exporting node's".into(),
        );
    }
    let custody_json = serde_json::to_vec_pretty(&custody)?;
    // The validated entities of the exported captures, with where each was seen.
    let entities = crate::ledger::evidence(
        db,
        &crate::ledger::Selection {
            captures: req.captures.clone(),
            ..Default::default()
        },
    )
    .await?;
    let entities_json = serde_json::to_vec_pretty(&serde_json::json!({
        "format": "nightjar-entities/1",
        "case": req.case,
        "note": "validated entities found in the exported captures (capture_id as in custody/custody.json); derived from the archived payloads, not evidence themselves",
        "entities": entities,
    }))?;
    let custody_md = custody_markdown(&custody).into_bytes();

    // The package: every file STORED (WACZ asks it for WARCs; it keeps offsets simple).
    let mut files_in: Vec<(String, Vec<u8>)> = vec![
        (
            "indexes/index.cdx".into(),
            (cdxj.join("\n") + "\n").into_bytes(),
        ),
        (
            "pages/pages.jsonl".into(),
            (pages.join("\n") + "\n").into_bytes(),
        ),
        ("custody/custody.json".into(), custody_json),
        ("custody/custody.md".into(), custody_md),
        ("entities/entities.json".into(), entities_json),
    ];
    for (_, node, f) in &files {
        files_in.extend(seal_entry(db, warc_dir, &parts, node, f)?);
    }
    let warc_hash = file_sha256(&warc_path)?;
    let warc_bytes = std::fs::metadata(&warc_path)?.len();
    let created = custody.exported_at.clone();
    let mut resources = vec![serde_json::json!({
        "name": "data.warc.gz", "path": "archive/data.warc.gz",
        "hash": warc_hash, "bytes": warc_bytes,
    })];
    for (path, bytes) in &files_in {
        resources.push(serde_json::json!({
            "name": resource_name(path),
            "path": path,
            "hash": sha256_label(bytes),
            "bytes": bytes.len(),
        }));
    }
    let datapackage = serde_json::to_vec_pretty(&serde_json::json!({
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "title": format!("nightjar evidence export, case {}", req.case),
        "created": created,
        "software": custody.software,
        "resources": resources,
    }))?;
    let dp_hash = sha256_label(&datapackage);
    let digest = serde_json::to_vec_pretty(&serde_json::json!({
        "path": "datapackage.json",
        "hash": dp_hash,
        "signedData": {
            "hash": dp_hash,
            "created": created,
            "software": custody.software,
            "alg": "ed25519",
            "publicKey": key.public_hex(),
            "fingerprint": key.fingerprint(),
            "signature": key.sign_hex(dp_hash.as_bytes()),
        },
    }))?;

    let tmp_out = work.path().join("package.wacz");
    let out = std::fs::File::create(&tmp_out)?;
    let mut zip = zip::ZipWriter::new(out);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(warc_bytes > u32::MAX as u64 / 2);
    zip.start_file("archive/data.warc.gz", stored)?;
    let mut src = std::fs::File::open(&warc_path)?;
    src.rewind()?;
    std::io::copy(&mut src, &mut zip)?;
    for (path, bytes) in files_in.iter().chain([
        &("datapackage.json".to_string(), datapackage),
        &("datapackage-digest.json".to_string(), digest),
    ]) {
        zip.start_file(path.as_str(), stored)?;
        zip.write_all(bytes)?;
    }
    let f = zip.finish()?;
    f.sync_all()?;
    std::fs::rename(&tmp_out, &req.out)
        .with_context(|| format!("cannot move the package to {}", req.out.display()))?;
    let records = custody
        .captures
        .iter()
        .map(|c| c.records.len())
        .sum::<usize>()
        + custody.warcinfo.len();
    Ok(ExportSummary {
        captures: custody.captures.len(),
        records,
        bytes: std::fs::metadata(&req.out)?.len(),
    })
}

/// A Data Package resource name from a path (lowercase, `[a-z0-9._-]`).
fn resource_name(path: &str) -> String {
    path.to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

async fn provenance(db: &Db, r: &RecordRow, at: u64) -> anyhow::Result<RecordProvenance> {
    Ok(RecordProvenance {
        record_id: r.record_id.clone(),
        warc_type: r.warc_type.to_string(),
        record_digest: r.record_digest.clone(),
        chain_seq: r.seq,
        chain_before: chain_before(db, r.seq).await?,
        chain: r.chain.clone(),
        source_file: r.file.clone(),
        source_offset: r.file_offset,
        package_offset: at,
        log_proof: Vec::new(),
        node: r.node.clone(),
    })
}

/// The newest signed head of `db`'s node (whose key is `public_hex`) and the tree under it,
/// for the records' inclusion proofs.
async fn log_for_export(
    db: &Db,
    public_hex: &str,
) -> anyhow::Result<Option<(LogHead, crate::custody::log::Tree)>> {
    let Some(head) = crate::custody::heads::latest(db).await? else {
        return Ok(None);
    };
    let mut tree = crate::custody::log::Tree::default();
    for (seq, digest, _) in index::digests_after(db, 0).await? {
        if seq as u64 > head.size as u64 || seq as u64 != tree.size() + 1 {
            break;
        }
        let d: crate::digest::Sha256 = digest.parse()?;
        tree.push(crate::custody::log::leaf(&d));
    }
    if tree.size() != head.size as u64
        || crate::custody::log::b64(&tree.root(tree.size())?) != head.root
    {
        bail!("the record index does not give the root of the newest signed head: run `nightjar verify`");
    }
    let n = head.size as u64;
    let mut consistency = Vec::new();
    for m in earlier_sizes(&crate::custody::heads::all(db).await?, n) {
        consistency.push(EarlierHead {
            size: m,
            root: crate::custody::log::b64(&tree.root(m)?),
            proof: tree
                .consistency(n, m)?
                .iter()
                .map(crate::custody::log::b64)
                .collect(),
        });
    }
    Ok(Some((
        LogHead {
            origin: crate::custody::log::origin_of(public_hex)?,
            size: n,
            root: head.root,
            made_at: head.made_at,
            checkpoint: head.note,
            verifier_key: crate::custody::log::verifier_key(public_hex)?,
            tsa_response: head.tsa_response.map(hex::encode),
            consistency,
        },
        tree,
    )))
}

/// Adds each record's inclusion proof. A record the head does not reach yet (a capture
/// before it still being indexed) fails the export: every record of a package is proved.
fn prove(
    records: &mut [RecordProvenance],
    head: &LogHead,
    tree: &crate::custody::log::Tree,
) -> anyhow::Result<()> {
    for r in records {
        if r.chain_seq < 1 || r.chain_seq as u64 > head.size {
            bail!(
                "record {} (chain position {}) is not under a signed head yet (the newest covers {} records): try the export again in a moment",
                r.record_id,
                r.chain_seq,
                head.size
            );
        }
        r.log_proof = tree
            .inclusion(r.chain_seq as u64 - 1, head.size)?
            .iter()
            .map(crate::custody::log::b64)
            .collect();
    }
    Ok(())
}

fn custody_markdown(c: &Custody) -> String {
    let mut s = String::new();
    s.push_str(&format!("# Evidence export — case {}\n\n", c.case));
    s.push_str(&format!(
        "- Exported by **{}** at {} with {}\n- Reason: {}\n- Signed by node key `{}`\n\n",
        c.exported_by, c.exported_at, c.software, c.reason, c.node_fingerprint
    ));
    if !c.other_nodes.is_empty() {
        s.push_str(&format!(
            "## Nodes\n\nThese captures were made by {} nodes sharing one database. Each node keeps its own archive, key and log: a record's chain position, seal and inclusion proof are its own node's, under that node's key.\n\n",
            c.other_nodes.len() + 1
        ));
        let line = |name: &str, role: &str, fingerprint: &str, log: Option<&LogHead>| {
            format!(
                "- **{name}**{role}: key `{fingerprint}`, {} captures{}\n",
                c.captures.iter().filter(|cap| cap.node == name).count(),
                log.map(|l| format!(", signed head of {} records at {}", l.size, l.made_at))
                    .unwrap_or_default()
            )
        };
        s.push_str(&line(
            &c.node,
            " (made and signed this package)",
            &c.node_fingerprint,
            c.log.as_ref(),
        ));
        for n in &c.other_nodes {
            s.push_str(&line(&n.name, "", &n.fingerprint, n.log.as_ref()));
        }
        s.push('\n');
    }
    s.push_str("| capture | time (UTC) | status | URL | route | payload digest | included as |\n");
    s.push_str("|---|---|---|---|---|---|---|\n");
    for cap in &c.captures {
        let route = cap
            .route
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "via" | "onion-service"))
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | `{}` | {} |\n",
            cap.capture_id,
            cap.captured_at,
            cap.status,
            cap.url.replace('|', "%7C"),
            route,
            cap.payload_digest.as_deref().unwrap_or("-"),
            cap.included_as
        ));
    }
    s.push_str("\n## Records and their place in the hash chain\n\n");
    for cap in &c.captures {
        for r in &cap.records {
            let node = match r.node.as_str() {
                "" => String::new(),
                n => format!(" of node {n}"),
            };
            s.push_str(&format!(
                "- capture {}{node} `{}` {}: digest `{}`, chain position {} (`{}`), from {} @ {}\n",
                cap.capture_id,
                r.record_id,
                r.warc_type,
                r.record_digest,
                r.chain_seq,
                r.chain,
                r.source_file,
                r.source_offset
            ));
        }
    }
    if let (false, Some(log)) = (c.other_nodes.is_empty(), &c.log) {
        s.push_str(&format!(
            "\n## The signed heads of the nodes' logs\n\nEvery record above was, when this package was made, among the records of its node's archive that the node had signed: its *signed head* (a Merkle root; {} records of {}'s log `{}` at {}{}). Each record carries a short *inclusion proof*: the hashes that, combined with the record's own digest, give its node's root. A matching proof shows that this exact record sits at the stated position in the archive its node signed; anyone can check it with this package alone. A witness that kept a copy of a node's head shows in addition that the node could not have changed, removed or reordered any of those records since.\n",
            log.size,
            c.node,
            log.origin,
            log.made_at,
            c.other_nodes
                .iter()
                .filter_map(|n| n.log.as_ref().map(|l| format!("; {} records of {}'s log `{}` at {}", l.size, n.name, l.origin, l.made_at)))
                .collect::<String>()
        ));
    } else if let Some(log) = &c.log {
        s.push_str(&format!(
            "\n## The signed head of the archive's log\n\nEvery record above was, when this package was made, among the first {} records of the node's archive. The node signed that state of its archive at {} (its *signed head*: Merkle root `{}`, log `{}`), and each record carries a short *inclusion proof*: the hashes that, combined with the record's own digest, give that root. A matching proof shows that this exact record sits at the stated position in the archive the node signed; anyone can check it with this package alone. {}A witness that kept a copy of the same head (the same number of records and the same root) shows in addition that the node could not have changed, removed or reordered any of those records since: it handed the head away at that time.\n",
            log.size,
            log.made_at,
            log.root,
            log.origin,
            if log.tsa_response.is_some() {
                "A timestamping authority stamped the head, which dates it independently of the node's clock. "
            } else {
                ""
            }
        ));
    }
    s.push_str("\n## How to check this package\n\n");
    for h in &c.how_to_verify {
        s.push_str(&format!("- {h}\n"));
    }
    s
}
