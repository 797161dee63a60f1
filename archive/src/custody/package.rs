//! Checking an evidence package (a WACZ written by [`crate::export`]) on its own, with no
//! access to the archive it came from.
//!
//! The package signs itself from the top down: the Ed25519 signature covers the SHA-256 of
//! `datapackage.json`, which lists the SHA-256 of every other file; the custody report ties
//! each record to its digest and its place in the source archive's hash chain; the seals of
//! the source files are signed by the same key. A finding names the file and what differs.
//!
//! A package made on a database several nodes share may hold other nodes' captures: each
//! such node is a section of its own (its key from `other_nodes`, its warcinfo and key
//! rotation records, its seals, its signed head), and its records are checked under it, as
//! the signer's are under the signer's.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use anyhow::Context;

use super::chain;
use super::key;
use super::seal::Seal;
use crate::digest::sha256_label;
use crate::export::Custody;
use crate::frames::FrameWalker;
use crate::record::ParsedRecord;
use crate::verify::{Finding, Report};

fn finding(file: &str, offset: Option<u64>, problem: String) -> Finding {
    Finding {
        file: file.to_string(),
        offset,
        record_id: None,
        problem,
    }
}

/// Verifies the package at `path`. `node_keys` (hex, or `sha256:` fingerprints): the keys
/// one of which must have signed it, when the verifier knows them (the node's key, the keys
/// it had before a rotation, the keys of the nodes sharing its database);
/// otherwise the signer is reported for the reader to compare with a key obtained elsewhere.
///
/// `witnessed`: heads kept by witnesses (where from, signed notes); the package's signed
/// head must be among them, same size and root.
pub async fn verify_package(
    path: &Path,
    node_keys: &[String],
    witnessed: &[(String, Vec<String>)],
) -> anyhow::Result<Report> {
    let mut zip = zip::ZipArchive::new(
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
    )
    .with_context(|| format!("{} is not a ZIP (WACZ) file", path.display()))?;
    let work = tempfile::tempdir()?;
    let mut entries: HashMap<String, Vec<u8>> = HashMap::new();
    let mut extracted: Vec<String> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i)?;
        let name = f.name().to_string();
        if name.ends_with('/') {
            continue;
        }
        if let Some(file) = name.strip_prefix("archive/") {
            // Only a plain file name inside archive/: a hostile package must not write
            // anywhere else (`../`, absolute paths, sub-folders).
            let plain = std::path::Path::new(file)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
                && !file.contains('/')
                && !file.is_empty();
            if !plain {
                anyhow::bail!(
                    "{}: entry '{name}' is not a plain file name; refusing to read this package",
                    path.display()
                );
            }
            let dest = work.path().join(file);
            let mut out = std::fs::File::create(&dest)?;
            std::io::copy(&mut f, &mut out)?;
            extracted.push(name.clone());
            entries.insert(name, Vec::new());
        } else {
            let mut buf = Vec::new();
            f.read_to_end(&mut buf)?;
            entries.insert(name, buf);
        }
    }
    let mut report = crate::verify::verify_records(work.path()).await?;
    for f in &mut report.findings {
        f.file = format!("archive/{}", f.file);
    }

    // The signature over datapackage.json, and the hashes it lists.
    let dp = entries.get("datapackage.json").cloned().unwrap_or_default();
    let digest: serde_json::Value = entries
        .get("datapackage-digest.json")
        .and_then(|b| serde_json::from_slice(b).ok())
        .unwrap_or_default();
    let dp_hash = sha256_label(&dp);
    let signer = digest["signedData"]["publicKey"]
        .as_str()
        .unwrap_or("")
        .to_string();
    if digest["hash"] != dp_hash.as_str() || digest["signedData"]["hash"] != dp_hash.as_str() {
        report.findings.push(finding("datapackage.json", None, format!(
            "hashes to {dp_hash}, but datapackage-digest.json says {}: the package index was changed",
            digest["hash"]
        )));
    }
    if let Ok(k) = key::public_from_hex(&signer) {
        let unchecked = " (no node key here to compare it with: compare this fingerprint with one obtained from the node)";
        report.notes.push(format!(
            "package signed by node key {}{}",
            key::fingerprint_of(&k),
            if node_keys.is_empty() { unchecked } else { "" }
        ));
    }
    let signer_known = key::public_from_hex(&signer).is_ok_and(|k| {
        let fp = key::fingerprint_of(&k);
        node_keys.iter().any(|n| *n == signer || *n == fp)
    });
    if !node_keys.is_empty() && !signer_known {
        report.findings.push(finding(
            "datapackage-digest.json",
            None,
            "the package is signed by another key than this node's".into(),
        ));
    }
    let signed = key::public_from_hex(&signer).is_ok_and(|k| {
        key::verify_hex(
            &k,
            dp_hash.as_bytes(),
            digest["signedData"]["signature"].as_str().unwrap_or(""),
        )
    });
    if !signed {
        report.findings.push(finding(
            "datapackage-digest.json",
            None,
            "the signature over datapackage.json does not verify".into(),
        ));
    }
    let datapackage: serde_json::Value = serde_json::from_slice(&dp).unwrap_or_default();
    let mut listed = Vec::new();
    for r in datapackage["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let p = r["path"].as_str().unwrap_or("").to_string();
        // Only files read from the package are looked at, never a path it names.
        let actual = if extracted.contains(&p) {
            let f = work.path().join(p.trim_start_matches("archive/"));
            crate::custody::seal::file_sha256(&f)
                .ok()
                .zip(std::fs::metadata(&f).ok().map(|m| m.len()))
        } else if p.starts_with("archive/") {
            None
        } else {
            entries.get(&p).map(|b| (sha256_label(b), b.len() as u64))
        };
        match actual {
            None => report.findings.push(finding(
                &p,
                None,
                "listed in datapackage.json but missing".into(),
            )),
            Some((h, n)) if r["hash"] != h.as_str() || r["bytes"] != n => {
                report.findings.push(finding(
                    &p,
                    None,
                    format!(
                        "hashes to {h} ({n} bytes), listed as {} ({} bytes): the file was changed",
                        r["hash"], r["bytes"]
                    ),
                ))
            }
            Some(_) => {}
        }
        listed.push(p);
    }
    for name in entries.keys() {
        if !listed.contains(name) && !name.starts_with("datapackage") {
            report.findings.push(finding(
                name,
                None,
                "in the package but not listed in datapackage.json".into(),
            ));
        }
    }

    // Each record: its digest and its link in the source archive's chain.
    let custody: Option<Custody> = entries
        .get("custody/custody.json")
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| serde_json::from_value(v).ok());
    let Some(custody) = custody else {
        report.findings.push(finding(
            "custody/custody.json",
            None,
            "missing or unreadable custody report".into(),
        ));
        return Ok(report);
    };
    if custody.node_public_key != signer {
        report.findings.push(finding(
            "custody/custody.json",
            None,
            "names another node key than the one that signed the package".into(),
        ));
    }
    // The nodes whose records the package holds: the signer's own, then any other node
    // sharing its database (each with its own key, rotations, seals and signed head).
    let mut sections = vec![Section::new(
        &custody.node,
        &signer,
        custody.log.as_ref(),
        true,
    )];
    for n in &custody.other_nodes {
        if sections.iter().any(|s| s.name == n.name) {
            report.findings.push(finding(
                "custody/custody.json",
                None,
                format!("lists node '{}' twice", n.name),
            ));
            continue;
        }
        sections.push(Section::new(&n.name, &n.public_key, n.log.as_ref(), false));
        let s = sections.last().expect("just pushed");
        if s.fp.is_empty() {
            report.findings.push(finding(
                "custody/custody.json",
                None,
                format!(
                    "node '{}' is listed with a key that is not an Ed25519 key",
                    n.name
                ),
            ));
        } else if s.fp != n.fingerprint {
            report.findings.push(finding(
                "custody/custody.json",
                None,
                format!(
                    "node '{}' is listed with fingerprint {}, but its key's is {}",
                    n.name, n.fingerprint, s.fp
                ),
            ));
        }
    }
    let multi = sections.len() > 1;
    // Which node each record of the package is, by its offset; a record the report does
    // not place is the signer's.
    let mut owner: HashMap<u64, usize> = HashMap::new();
    for r in custody
        .captures
        .iter()
        .flat_map(|c| c.records.iter())
        .chain(custody.warcinfo.iter())
    {
        match sections.iter().position(|s| s.name == r.node) {
            Some(i) => {
                // One record, one node: a record listed twice may not be claimed for two.
                if owner.insert(r.package_offset, i).is_some_and(|j| j != i) {
                    report.findings.push(finding(
                        "custody/custody.json",
                        Some(r.package_offset),
                        format!("record {} is listed for two different nodes", r.record_id),
                    ));
                }
            }
            None => report.findings.push(finding(
                "custody/custody.json",
                Some(r.package_offset),
                format!(
                    "record {} names node '{}', which the report does not list",
                    r.record_id, r.node
                ),
            )),
        }
    }
    for c in &custody.captures {
        if let Some(r) = c.records.iter().find(|r| r.node != c.node) {
            report.findings.push(finding(
                "custody/custody.json",
                Some(r.package_offset),
                format!(
                    "capture {} is given to node '{}', its record {} to node '{}'",
                    c.capture_id, c.node, r.record_id, r.node
                ),
            ));
        }
    }
    // Sections with records of their own (an exporting node may hold none of them).
    let owning: std::collections::HashSet<usize> = owner.values().copied().collect();
    let mut in_package: HashMap<u64, (String, String)> = HashMap::new();
    let warc = work.path().join("data.warc.gz");
    if warc.exists() {
        for f in FrameWalker::open(&warc)?.flatten() {
            let parsed = ParsedRecord::parse(&f.record).ok();
            let id = parsed
                .as_ref()
                .map(|r| r.record_id().to_string())
                .unwrap_or_default();
            let s = &mut sections[owner.get(&f.offset).copied().unwrap_or(0)];
            // Key rotations the package carries (under the chain and the head like the
            // warcinfo).
            if let Some(rot) = parsed.as_ref().and_then(super::rotation::Rotation::of) {
                match rot.check() {
                    Ok(()) => s.rotations.push(rot),
                    Err(e) => report.findings.push(finding(
                        "archive/data.warc.gz",
                        Some(f.offset),
                        format!(
                            "this key rotation record does not verify ({e}): it hands nothing over"
                        ),
                    )),
                }
            }
            // The node keys the package's warcinfo records name: copies of the source
            // archive's, under its hash chain, so a package re-signed by someone else still
            // names the original.
            if let Some(r) = parsed
                .as_ref()
                .filter(|r| r.record_type() == Some(crate::record::RecordType::Warcinfo))
            {
                s.named.extend(
                    crate::record::parse_warc_fields(&r.block)
                        .into_iter()
                        .filter(|(n, _)| n == "node-key")
                        .map(|(_, v)| (f.offset, v)),
                );
            }
            in_package.insert(f.offset, (id, sha256_label(&f.record)));
        }
    }
    for (i, s) in sections.iter().enumerate() {
        let mut told: Vec<&str> = Vec::new();
        if s.named.is_empty() && (owning.contains(&i) || !multi) {
            let problem = match s.signer {
                true => "the package holds no warcinfo record naming the key that wrote the source archive: nothing in it ties the signer to the archive".to_string(),
                false => format!("the package holds no warcinfo record naming the key that wrote node '{}'s archive: nothing in it ties that node's key to its records", s.name),
            };
            report
                .findings
                .push(finding("archive/data.warc.gz", None, problem));
        }
        for (offset, named) in &s.named {
            if let Some(path) = s.hands_over(named).filter(|p| !p.is_empty()) {
                if !told.contains(&named.as_str()) {
                    told.push(named);
                    let to = match s.signer {
                        true => format!("the signer {}", s.fp),
                        false => format!("node '{}'s key {}", s.name, s.fp),
                    };
                    report.notes.push(format!(
                        "records name node key {named}, which handed over to {to} by {} key rotation record(s) in the package, each signed by the key before and the key after ({})",
                        path.len(),
                        path.iter()
                            .map(|r| format!("{} -> {} at {}", r.old_fingerprint(), r.new_fingerprint(), r.at))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                }
            } else if *named != s.fp {
                let problem = match s.signer {
                    true => format!("this warcinfo record (from the source archive's hash chain) names node key {named}, but the package and its seals are signed by {}: the package was signed again by someone else", s.fp),
                    false => format!("this warcinfo record (from node '{}'s hash chain) names node key {named}, but the package gives that node the key {}: its seals and head are not that node's", s.name, s.fp),
                };
                report
                    .findings
                    .push(finding("archive/data.warc.gz", Some(*offset), problem));
            }
        }
    }
    if multi {
        for s in &sections[1..] {
            // The verifier knows the office's node keys: a node's key must be one of them.
            if !node_keys.is_empty() && !node_keys.iter().any(|k| *k == s.key || *k == s.fp) {
                report.findings.push(finding(
                    "custody/custody.json",
                    None,
                    format!(
                        "node '{}' is given the key {}, which is none of the node keys known here",
                        s.name, s.fp
                    ),
                ));
            }
            report.notes.push(format!(
                "records of node '{}' are under its key {} (its seals and signed head), vouched for by the package's signer: compare that fingerprint with one obtained from the node",
                s.name, s.fp
            ));
        }
    }
    // The signed head each node's records' inclusion proofs lead to.
    for s in &mut sections {
        s.open_head(&mut report);
    }
    let mut witnessed_sections = vec![false; sections.len()];
    for (from, notes) in witnessed {
        let who = format!("witness {from}");
        let mut matched = false;
        for (i, s) in sections.iter().enumerate() {
            let ours: Vec<&String> = notes
                .iter()
                .filter(|n| super::log::origin_in(n) == Some(s.origin.as_str()))
                .collect();
            if ours.is_empty() {
                continue;
            }
            matched = true;
            witnessed_sections[i] = true;
            let by_node: Vec<super::log::Head> = ours
                .iter()
                .filter_map(|n| super::log::open_as(n, &s.origin, &s.key).ok())
                .collect();
            if by_node.is_empty() {
                report.findings.push(finding(&who, None, format!(
                    "the witness holds {} heads of this package's log ({}), none signed by {}: the package was signed by a key the witness never saw",
                    ours.len(), s.origin, s.fp
                )));
            } else if let (Some(h), Some(log)) = (&s.head, s.log) {
                compare_with_witness(&mut report, from, h, log, &by_node);
            } else if s.log.is_none() {
                report.findings.push(finding(
                    "custody/custody.json",
                    None,
                    "a witness was given but the package carries no signed head to compare with it"
                        .into(),
                ));
            }
        }
        if !matched {
            let origins: Vec<&str> = sections.iter().map(|s| s.origin.as_str()).collect();
            report.findings.push(finding(&who, None, format!(
                "the witness holds no head of this package's log ({}): it is not this log's witness, or the package names another log",
                origins.join(", ")
            )));
        }
    }
    // Several nodes, witnesses given: say which nodes' heads none of them vouches for.
    if multi && !witnessed.is_empty() {
        for (s, _) in sections
            .iter()
            .zip(&witnessed_sections)
            .filter(|(_, w)| !**w)
        {
            report.notes.push(format!(
                "no witness given holds heads of node '{}'s log ({}): its head is vouched for only by the package's signer",
                s.name, s.origin
            ));
        }
    }
    report.index_rows = 0;
    let records = custody
        .captures
        .iter()
        .flat_map(|c| c.records.iter())
        .chain(custody.warcinfo.iter());
    for r in records {
        report.index_rows += 1;
        let at = Some(r.package_offset);
        match in_package.get(&r.package_offset) {
            None => report.findings.push(finding("archive/data.warc.gz", at, format!(
                "the custody report puts {} here, but no record starts here", r.record_id
            ))),
            Some((id, d)) if *id != r.record_id || *d != r.record_digest => {
                report.findings.push(finding("archive/data.warc.gz", at, format!(
                    "the custody report lists {} with digest {}, the package holds {id} with digest {d}",
                    r.record_id, r.record_digest
                )))
            }
            Some(_) => {}
        }
        let section = owner.get(&r.package_offset).map(|i| &sections[*i]);
        if let Some(h) = section.and_then(|s| s.head.as_ref()) {
            let of = match multi {
                true => format!(" of node '{}'", r.node),
                false => String::new(),
            };
            let seq = r.chain_seq as u64;
            if r.chain_seq < 1 || seq > h.size {
                report.findings.push(finding("custody/custody.json", at, format!(
                    "record {} is at chain position {}, outside the package's signed head{of} ({} records): every record of a package is under its head",
                    r.record_id, r.chain_seq, h.size
                )));
            } else {
                let proof: Option<Vec<_>> = r
                    .log_proof
                    .iter()
                    .map(|p| super::log::parse_b64(p).ok())
                    .collect();
                let included = match (proof, r.record_digest.parse()) {
                    (Some(p), Ok(d)) => super::log::check_inclusion(
                        &p,
                        h.size,
                        h.root,
                        seq - 1,
                        super::log::leaf(&d),
                    ),
                    _ => false,
                };
                if !included {
                    report.findings.push(finding("custody/custody.json", at, format!(
                        "record {}: its inclusion proof does not lead from its digest at position {seq} to the signed head{of} ({} records): the record, its position or the proof was altered",
                        r.record_id, h.size
                    )));
                }
            }
        }
        let link = match (chain::parse(&r.chain_before), r.record_digest.parse()) {
            (Ok(b), Ok(d)) => Some(chain::label(&chain::extend(&b, &d))),
            _ => None,
        };
        if link.as_deref() != Some(r.chain.as_str()) {
            report.findings.push(finding(
                "custody/custody.json",
                at,
                format!(
                    "record {}: chain {} does not follow from {} and its digest",
                    r.record_id, r.chain, r.chain_before
                ),
            ));
        }
    }
    // The seals of the source files, each by its node's key (or one that key rotated from).
    let mut seals: HashMap<(usize, String), (Seal, String)> = HashMap::new();
    let mut seal_names: Vec<&String> = entries.keys().filter(|n| n.starts_with("seals/")).collect();
    seal_names.sort();
    for name in seal_names {
        let bytes = &entries[name];
        match serde_json::from_slice::<Seal>(bytes) {
            Ok(s) if !s.signature_ok() => report.findings.push(finding(
                name,
                None,
                "seal signature does not verify: the seal was edited after signing".into(),
            )),
            Ok(s) => {
                let fp = key::public_from_hex(&s.public_key)
                    .map(|k| key::fingerprint_of(&k))
                    .unwrap_or_default();
                match sections
                    .iter()
                    .position(|n| n.key == s.public_key || n.hands_over(&fp).is_some())
                {
                    Some(i) => {
                        seals.insert((i, s.file.clone()), (s, sha256_label(bytes)));
                    }
                    None if !multi => report.findings.push(finding(
                        name,
                        None,
                        "seal signed by another key than the package, and no key rotation in it leads from that key to the package's".into(),
                    )),
                    None => report.findings.push(finding(
                        name,
                        None,
                        "seal signed by a key of none of the package's nodes, and no key rotation in it leads from that key to one of theirs".into(),
                    )),
                }
            }
            Err(e) => report
                .findings
                .push(finding(name, None, format!("unreadable seal: {e}"))),
        }
    }
    // Each record lies in the chain range its source file's seal covers, and the report
    // names the seal it was given.
    for c in &custody.captures {
        for r in &c.records {
            let i = owner.get(&r.package_offset).copied().unwrap_or(0);
            match seals.get(&(i, r.source_file.clone())) {
                None => report.findings.push(finding("custody/custody.json", Some(r.package_offset), format!(
                    "record {} comes from {}, whose seal is not in the package", r.record_id, r.source_file
                ))),
                Some((s, _)) if !(s.first_seq..s.first_seq + s.records).contains(&(r.chain_seq as u64)) => {
                    report.findings.push(finding("custody/custody.json", Some(r.package_offset), format!(
                        "record {} is at chain position {}, outside the {} positions sealed for {} from {}",
                        r.record_id, r.chain_seq, s.records, s.file, s.first_seq
                    )))
                }
                Some(_) => {}
            }
        }
        if let (Some((file, hash)), Some(first)) = (&c.sealed_by, c.records.first()) {
            let i = owner.get(&first.package_offset).copied().unwrap_or(0);
            let actual = seals.get(&(i, first.source_file.clone())).map(|(_, h)| h);
            if actual != Some(hash) || !file.ends_with(&format!("{}.seal.json", first.source_file))
            {
                report.findings.push(finding("custody/custody.json", None, format!(
                    "capture {} names seal {file} with hash {hash}, which is not the seal in the package",
                    c.capture_id
                )));
            }
        }
    }
    Ok(report)
}

/// One node's evidence in a package: its key, the key rotations and warcinfo records of its
/// archive that the package carries, and the signed head of its log.
struct Section<'a> {
    /// Its name (empty for a single node).
    name: String,
    /// Its key (hex).
    key: String,
    /// The key's fingerprint (empty when `key` is not one).
    fp: String,
    /// Whether it signed the package.
    signer: bool,
    /// The head the report gives it.
    log: Option<&'a crate::export::LogHead>,
    /// Keys its warcinfo records name, with their offsets in the package.
    named: Vec<(u64, String)>,
    /// Its key rotation records that verify.
    rotations: Vec<super::rotation::Rotation>,
    /// Its log's name.
    origin: String,
    /// Its head, opened with its key.
    head: Option<super::log::Head>,
}

impl<'a> Section<'a> {
    fn new(
        name: &str,
        key: &str,
        log: Option<&'a crate::export::LogHead>,
        signer: bool,
    ) -> Section<'a> {
        Section {
            name: name.to_string(),
            key: key.to_string(),
            fp: key::public_from_hex(key)
                .map(|k| key::fingerprint_of(&k))
                .unwrap_or_default(),
            signer,
            log,
            named: Vec::new(),
            rotations: Vec::new(),
            origin: String::new(),
            head: None,
        }
    }

    /// The rotations by which key `from` (a fingerprint) handed over to this node's key,
    /// each signed by the key before; `None` when it did not.
    fn hands_over(&self, from: &str) -> Option<Vec<&super::rotation::Rotation>> {
        let mut at = from.to_string();
        let mut path = Vec::new();
        while at != self.fp {
            let r = self.rotations.iter().find(|r| r.old_fingerprint() == at)?;
            if path.len() > self.rotations.len() {
                return None;
            }
            path.push(r);
            at = r.new_fingerprint();
        }
        Some(path)
    }

    /// Opens the head the report gives this node with its key. Its log is the key's own when
    /// every key its records name leads to it; else the log of the first key named (under
    /// which a re-signed package's head does not open).
    fn open_head(&mut self, report: &mut Report) {
        let all_lead_here = self.named.iter().all(|(_, k)| self.hands_over(k).is_some());
        self.origin = self
            .named
            .first()
            .filter(|_| !all_lead_here)
            .map(|(_, k)| super::log::origin_of_fingerprint(k))
            .or_else(|| super::log::origin_of(&self.key).ok())
            .unwrap_or_default();
        let of = match self.signer {
            true => "the source archive's log".to_string(),
            false => format!("node '{}'s log", self.name),
        };
        self.head = match self.log {
            None => {
                report.notes.push(format!("the package carries no signed head of {of} (made before nightjar had one): its records are checked against the hash chain only"));
                None
            }
            Some(log) => {
                match super::log::open_as(&log.checkpoint, &self.origin, &self.key) {
                    Ok(h) if h.size == log.size && super::log::b64(&h.root) == log.root => Some(h),
                    Ok(_) => {
                        let problem = match self.signer {
                        true => "the log head's size or root differs from its signed checkpoint".to_string(),
                        false => format!("the head of {of}: its size or root differs from its signed checkpoint"),
                    };
                        report
                            .findings
                            .push(finding("custody/custody.json", None, problem));
                        None
                    }
                    Err(e) => {
                        report.findings.push(finding(
                            "custody/custody.json",
                            None,
                            format!("the signed head of {of} ({}) is {e}", self.origin),
                        ));
                        None
                    }
                }
            }
        };
    }
}

/// Compares the package's signed head with the heads one witness kept: the same head, or
/// earlier ones the package proves its head extends (`log.consistency`).
fn compare_with_witness(
    report: &mut Report,
    from: &str,
    h: &super::log::Head,
    log: &crate::export::LogHead,
    kept: &[super::log::Head],
) {
    let who = format!("witness {from}");
    let proofs: std::collections::HashMap<u64, &crate::export::EarlierHead> =
        log.consistency.iter().map(|e| (e.size, e)).collect();
    let (mut same, mut proved, mut newer) = (false, 0usize, 0usize);
    let mut unproved = Vec::new();
    for w in kept {
        if w.size == h.size {
            if w.root == h.root {
                same = true;
            } else {
                report.findings.push(finding(&who, None, format!(
                    "the witness kept another root for {} records of this log: the package's head is not the one the node handed out",
                    h.size
                )));
            }
        } else if w.size > h.size {
            newer += 1;
        } else {
            let extends = proofs.get(&w.size).map(|e| {
                let proof: Option<Vec<super::log::Hash>> = e
                    .proof
                    .iter()
                    .map(|p| super::log::parse_b64(p).ok())
                    .collect();
                proof.is_some_and(|p| {
                    super::log::check_consistency(&p, h.size, h.root, w.size, w.root)
                })
            });
            match extends {
                Some(true) => proved += 1,
                Some(false) => report.findings.push(finding(&who, None, format!(
                    "the package's head ({} records) does not extend the head of {} records the witness kept (made {}): the records under it were changed, removed or reordered since",
                    h.size,
                    w.size,
                    w.time.as_deref().unwrap_or("?")
                ))),
                None => unproved.push(w.size),
            }
        }
    }
    let newest_before = kept
        .iter()
        .filter(|w| w.size < h.size)
        .map(|w| w.size)
        .max();
    if !same {
        match newest_before {
            None => report.findings.push(finding(&who, None, format!(
                "the witness holds no head of {} records of this log or before: the package's head was made after the fact, or never handed out",
                h.size
            ))),
            Some(s) if unproved.contains(&s) => report.findings.push(finding(&who, None, format!(
                "the package carries no proof that its head extends the newest head the witness kept before it ({s} records): it cannot be compared with the witness"
            ))),
            Some(_) => {}
        }
    }
    let mut said = Vec::new();
    if same {
        said.push(format!(
            "kept the same signed head ({} records, made {})",
            h.size,
            h.time.as_deref().unwrap_or("?")
        ));
    }
    if proved > 0 {
        said.push(format!(
            "kept {proved} earlier heads the package's head provably extends"
        ));
    }
    if !said.is_empty() {
        report.notes.push(format!(
            "witness {from} {}: the records under them cannot have changed since",
            said.join(" and ")
        ));
    }
    if !unproved.is_empty() {
        report.notes.push(format!(
            "witness {from} holds {} older heads this package carries no proof for (sizes {}): check them against the archive on the node with `nightjar verify --witness`",
            unproved.len(),
            unproved.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
        ));
    }
    if newer > 0 {
        report.notes.push(format!(
            "witness {from} holds {newer} heads newer than the package's: the archive went on after the export"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[tokio::test]
    async fn a_hostile_entry_name_is_refused_and_nothing_is_written_outside() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("evil.wacz");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
        z.start_file(
            "archive/../../escaped.warc.gz",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(b"x").unwrap();
        z.finish().unwrap();
        let e = verify_package(&p, &[], &[]).await.unwrap_err().to_string();
        assert!(e.contains("not a plain file name"), "{e}");
        assert!(!dir.path().join("escaped.warc.gz").exists());
        assert!(!std::env::temp_dir().join("escaped.warc.gz").exists());
    }
}
