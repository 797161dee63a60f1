//! Seals: a signed statement, written next to each closed WARC file, of what it holds.
//!
//! `FILE.seal.json` names the file, its size and SHA-256 (of the bytes on disk), how many
//! records it holds, the first and last record IDs and the chain values before and after
//! them, the SHA-256 of the previous file's seal (so files form a chain too), when and by
//! which software it was sealed, and the node's public key; `signature` is Ed25519 over the
//! canonical JSON of everything else (keys sorted, no spaces: serde_json's `Value` with
//! sorted maps). Anyone can check it with the public key alone.
//!
//! Files are sealed in serial order, each as soon as it is closed and fully indexed; a file
//! closed by crash recovery is sealed on recovery.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use db::Db;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain;
use super::key::{self, NodeKey};
use crate::files::serial_of;

/// The seal of one file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Seal {
    /// Format of this document.
    pub format: String,
    /// WARC file name.
    pub file: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the file as stored (compressed).
    pub sha256: String,
    /// Records in the file.
    pub records: u64,
    /// Position of its first record in the archive's chain.
    pub first_seq: u64,
    /// WARC-Record-ID of the first and last records.
    pub first_record: String,
    /// See `first_record`.
    pub last_record: String,
    /// Chain value before the first record.
    pub chain_start: String,
    /// Chain value after the last record.
    pub chain_end: String,
    /// SHA-256 of the previous file's seal file; none for the archive's first file.
    pub previous_seal: Option<String>,
    /// When sealed (RFC 3339 UTC).
    pub sealed_at: String,
    /// nightjar version that sealed it.
    pub software: String,
    /// Ed25519 public key (hex) that signed it.
    pub public_key: String,
    /// Hex Ed25519 signature over the canonical JSON of every other field (but `timestamp`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub signature: String,
    /// An RFC 3161 timestamp of the signed seal, when a TSA is configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
}

/// A timestamping authority's token for a seal.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Timestamp {
    /// Where it came from.
    pub tsa_url: String,
    /// SHA-256 of the signed seal (canonical JSON with the signature, without `timestamp`),
    /// the message imprint in the token.
    pub hash: String,
    /// The TSA's DER TimeStampResp, hex.
    pub response: String,
}

/// Where seals get their timestamps.
#[derive(Clone, Debug)]
pub struct Tsa {
    /// http:// URL of the RFC 3161 service.
    pub url: String,
    /// How long to wait for it.
    pub timeout: std::time::Duration,
}

const FORMAT: &str = "nightjar-seal/1";

/// The seal file of a WARC file.
pub fn seal_path(warc: &Path) -> PathBuf {
    let mut name = warc.as_os_str().to_owned();
    name.push(".seal.json");
    PathBuf::from(name)
}

/// SHA-256 of a file, `sha256:` label.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(format!("sha256:{}", hex::encode(h.finalize())))
}

impl Seal {
    /// The bytes a timestamp covers: canonical JSON with the signature, without `timestamp`.
    pub fn stamped_bytes(&self) -> Vec<u8> {
        let mut s = self.clone();
        s.timestamp = None;
        let v = serde_json::to_value(&s).expect("a seal is JSON");
        serde_json::to_vec(&v).expect("a seal is JSON")
    }

    /// The bytes the signature covers: canonical JSON without the signature or timestamp.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut unsigned = self.clone();
        unsigned.signature.clear();
        unsigned.timestamp = None;
        // serde_json's Value keeps object keys sorted (no preserve_order feature).
        let v = serde_json::to_value(&unsigned).expect("a seal is JSON");
        serde_json::to_vec(&v).expect("a seal is JSON")
    }

    /// Whether the signature is by `public_key` over the other fields.
    pub fn signature_ok(&self) -> bool {
        match key::public_from_hex(&self.public_key) {
            Ok(k) => key::verify_hex(&k, &self.signed_bytes(), &self.signature),
            Err(_) => false,
        }
    }

    /// Reads a seal file.
    pub fn read(path: &Path) -> anyhow::Result<Seal> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a seal", path.display()))
    }
}

/// Closed WARC files in `dir` in serial order, with whether each is sealed.
fn closed_files(dir: &Path) -> std::io::Result<Vec<(PathBuf, bool)>> {
    let mut files: Vec<(u32, PathBuf)> = crate::files::warc_files(dir)?
        .into_iter()
        .filter(|p| p.extension().is_none_or(|e| e != "open"))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            Some((serial_of(&name)?, p))
        })
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|(_, p)| {
            let sealed = seal_path(&p).exists();
            (p, sealed)
        })
        .collect())
}

/// Seals every closed file that has no seal yet, in serial order, stopping at a file still
/// `.open` (its successors are sealed once it is closed). Returns the files sealed.
pub async fn seal_closed(
    dir: &Path,
    db: &Db,
    key: &NodeKey,
    tsa: Option<&Tsa>,
) -> anyhow::Result<Vec<String>> {
    let mut previous: Option<String> = None;
    let mut sealed = Vec::new();
    for (path, name, has_seal) in sealing_order(dir)? {
        if has_seal {
            previous = Some(file_sha256(&seal_path(&path))?);
            continue;
        }
        let mut seal = make_seal(&path, &name, db, key, previous.clone()).await?;
        if let Some(tsa) = tsa {
            // A TSA that does not answer must not stop the seal: it is written without a
            // timestamp, and `verify` (with a TSA configured) names it.
            let hash: [u8; 32] = Sha256::digest(seal.stamped_bytes()).into();
            match super::timestamp::fetch(&tsa.url, &hash, tsa.timeout).await {
                Ok(resp) => {
                    seal.timestamp = Some(Timestamp {
                        tsa_url: tsa.url.clone(),
                        hash: format!("sha256:{}", hex::encode(hash)),
                        response: hex::encode(resp),
                    })
                }
                Err(e) => tracing::error!(file = %name, "no timestamp for this seal: {e:#}"),
            }
        }
        let seal_file = seal_path(&path);
        let tmp = seal_file.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(&seal)?)?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, &seal_file)?;
        std::fs::File::open(dir)?.sync_all()?;
        previous = Some(file_sha256(&seal_file)?);
        tracing::info!(file = %name, "sealed");
        sealed.push(name);
    }
    Ok(sealed)
}

/// The closed files in serial order with their names and whether each has a seal, up to
/// the first unsealed one after a file still `.open` (each seal names the previous one, so
/// files after an open one wait for it).
fn sealing_order(dir: &Path) -> anyhow::Result<Vec<(PathBuf, String, bool)>> {
    let first_open = crate::files::warc_files(dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "open"))
        .filter_map(|p| serial_of(p.file_name()?.to_str()?))
        .min();
    let mut out = Vec::new();
    for (path, has_seal) in closed_files(dir)? {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !has_seal && first_open.is_some_and(|o| serial_of(&name).is_some_and(|s| s > o)) {
            break;
        }
        out.push((path, name, has_seal));
    }
    Ok(out)
}

/// The closed files [`seal_closed`] would seal now, in order: so that a repair record
/// saying a file is sealed late can be written *before* its seal, and a crash between the
/// two cannot leave a late seal that nothing in the archive mentions.
pub fn unsealed(dir: &Path) -> anyhow::Result<Vec<String>> {
    Ok(sealing_order(dir)?
        .into_iter()
        .filter(|(_, _, has_seal)| !has_seal)
        .map(|(_, name, _)| name)
        .collect())
}

async fn make_seal(
    path: &Path,
    name: &str,
    db: &Db,
    key: &NodeKey,
    previous_seal: Option<String>,
) -> anyhow::Result<Seal> {
    let rows = crate::index::records_in_file(db, name).await?;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        bail!("{name} has no indexed records: it cannot be sealed (run `nightjar verify`)");
    };
    // A seal is forever: only a file whose every byte is an indexed record, in one
    // unbroken run of chain positions, is sealed.
    let size = std::fs::metadata(path)?.len() as i64;
    let contiguous = first.3 == 0
        && rows
            .windows(2)
            .all(|w| w[0].3 + w[0].4 == w[1].3 && w[0].1 + 1 == w[1].1)
        && last.3 + last.4 == size;
    if !contiguous {
        bail!("{name} holds records the index lacks (or the index has gaps): not sealed; run `nightjar verify`");
    }
    let chain_start = if first.1 <= 1 {
        chain::label(&chain::GENESIS)
    } else {
        crate::index::chain_value_at(db, (first.1 - 1) as u64)
            .await?
            .with_context(|| format!("no chain value before {name}: run `nightjar verify`"))?
    };
    let mut seal = Seal {
        format: FORMAT.into(),
        file: name.to_string(),
        size: std::fs::metadata(path)?.len(),
        sha256: file_sha256(path)?,
        records: rows.len() as u64,
        first_seq: first.1 as u64,
        first_record: first.0.clone(),
        last_record: last.0.clone(),
        chain_start,
        chain_end: last.2.clone(),
        previous_seal,
        sealed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        software: format!("nightjar/{}", env!("CARGO_PKG_VERSION")),
        public_key: key.public_hex(),
        signature: String::new(),
        timestamp: None,
    };
    seal.signature = key.sign_hex(&seal.signed_bytes());
    Ok(seal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_verifies_and_any_edit_breaks_it() {
        let dir = tempfile::tempdir().unwrap();
        let key = NodeKey::load_or_create(&dir.path().join("k")).unwrap();
        let mut s = Seal {
            format: FORMAT.into(),
            file: "f.warc.zst".into(),
            size: 10,
            sha256: "sha256:00".into(),
            records: 2,
            first_seq: 1,
            first_record: "<a>".into(),
            last_record: "<b>".into(),
            chain_start: chain::label(&chain::GENESIS),
            chain_end: "sha256:11".into(),
            previous_seal: None,
            sealed_at: "2026-11-28T00:00:00.000Z".into(),
            software: "nightjar/test".into(),
            public_key: key.public_hex(),
            signature: String::new(),
            timestamp: None,
        };
        s.signature = key.sign_hex(&s.signed_bytes());
        assert!(s.signature_ok());
        let text = serde_json::to_string_pretty(&s).unwrap();
        let back: Seal = serde_json::from_str(&text).unwrap();
        assert!(
            back.signature_ok(),
            "survives a round trip through its file"
        );
        let mut edited = s.clone();
        edited.records = 3;
        assert!(!edited.signature_ok());
    }
}
