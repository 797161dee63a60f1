//! Key rotation: a signed record in the archive, made by the old key for the new one.
//!
//! The node key names the log (its origin), signs seals and heads, and is named by every
//! warcinfo record. Replacing it silently is what an insider re-signing the archive would do,
//! so verification treats a second key as a finding, unless the archive itself holds a
//! rotation record at that point: a `metadata` record, chained and under the log like any
//! other, stating the old and the new public key, when and why, signed by the old key (it
//! hands over) and by the new one (whoever rotated holds it). Records before it name the
//! old key, records after it the new one; a head signed by the old key for a log longer than
//! the point where the new key took over is the retired key used afterwards.
//!
//! The signatures are Ed25519 over a fixed text (see [`Rotation::message`]), so a third
//! party checks a rotation with the public keys in the record and any Ed25519 tool.

use serde::Serialize;

use super::key::{self, NodeKey};
use crate::record::{parse_warc_fields, warc_fields, ParsedRecord, RecordType, WarcRecord};

/// The target URI of key rotation records.
pub const ROTATION_URI: &str = "urn:nightjar:key-rotation";

/// One key rotation, as its record states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rotation {
    /// The key handing over (hex Ed25519 public key).
    pub old_key: String,
    /// The key taking over (hex).
    pub new_key: String,
    /// When (RFC 3339).
    pub at: String,
    /// Why, in the operator's words (one line of plain text).
    pub reason: String,
    /// The old key's signature over [`Rotation::message`] (hex).
    pub old_signature: String,
    /// The new key's signature over the same (hex).
    pub new_signature: String,
}

impl Rotation {
    /// A rotation from `old` to `new`, signed by both.
    pub fn make(old: &NodeKey, new: &NodeKey, at: &str, reason: &str) -> Rotation {
        let mut r = Rotation {
            old_key: old.public_hex(),
            new_key: new.public_hex(),
            at: at.to_string(),
            reason: reason.to_string(),
            old_signature: String::new(),
            new_signature: String::new(),
        };
        let m = r.message();
        r.old_signature = old.sign_hex(&m);
        r.new_signature = new.sign_hex(&m);
        r
    }

    /// The text both keys sign: five lines, each `name value`.
    pub fn message(&self) -> Vec<u8> {
        format!(
            "nightjar key rotation\nold {}\nnew {}\nat {}\nreason {}\n",
            self.old_key, self.new_key, self.at, self.reason
        )
        .into_bytes()
    }

    /// The old key's fingerprint (as warcinfo records name keys).
    pub fn old_fingerprint(&self) -> String {
        fingerprint(&self.old_key)
    }

    /// The new key's fingerprint.
    pub fn new_fingerprint(&self) -> String {
        fingerprint(&self.new_key)
    }

    /// Whether both signatures verify; the reason if not.
    pub fn check(&self) -> Result<(), String> {
        let m = self.message();
        for (who, hex_key, sig) in [
            ("old", &self.old_key, &self.old_signature),
            ("new", &self.new_key, &self.new_signature),
        ] {
            let k = key::public_from_hex(hex_key)
                .map_err(|e| format!("the {who} key is not an Ed25519 public key: {e}"))?;
            if !key::verify_hex(&k, &m, sig) {
                return Err(format!(
                    "the {who} key's signature over the rotation does not verify"
                ));
            }
        }
        if key::public_from_hex(&self.new_key).is_ok_and(|k| k.is_weak()) {
            return Err("the new key is a weak (small-order) Ed25519 key".into());
        }
        if self.old_key == self.new_key {
            return Err("the old and the new key are the same".into());
        }
        Ok(())
    }

    /// The rotation record, ready to append.
    pub fn record(&self, id: &str, date: &chrono::DateTime<chrono::Utc>) -> Vec<u8> {
        let fields = vec![
            ("old-key".to_string(), self.old_key.clone()),
            ("old-fingerprint".to_string(), self.old_fingerprint()),
            ("new-key".to_string(), self.new_key.clone()),
            ("new-fingerprint".to_string(), self.new_fingerprint()),
            ("rotated-at".to_string(), self.at.clone()),
            ("reason".to_string(), self.reason.clone()),
            ("old-signature".to_string(), self.old_signature.clone()),
            ("new-signature".to_string(), self.new_signature.clone()),
        ];
        WarcRecord::new(RecordType::Metadata, id, date, warc_fields(&fields))
            .field("WARC-Target-URI", ROTATION_URI)
            .field("Content-Type", "application/warc-fields")
            .to_bytes()
    }

    /// The rotation a record states, if it is a rotation record (whether or not it checks).
    pub fn of(rec: &ParsedRecord) -> Option<Rotation> {
        if rec.record_type() != Some(RecordType::Metadata)
            || rec.get("WARC-Target-URI") != Some(ROTATION_URI)
        {
            return None;
        }
        let fields = parse_warc_fields(&rec.block);
        let get = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Some(Rotation {
            old_key: get("old-key"),
            new_key: get("new-key"),
            at: get("rotated-at"),
            reason: get("reason"),
            old_signature: get("old-signature"),
            new_signature: get("new-signature"),
        })
    }
}

fn fingerprint(hex_key: &str) -> String {
    key::public_from_hex(hex_key)
        .map(|k| key::fingerprint_of(&k))
        .unwrap_or_else(|_| format!("(not a key: {hex_key})"))
}

/// Every rotation the index knows of, read from the archive, in log order; only those
/// whose signatures check.
pub async fn recorded(db: &db::Db, warc_dir: &std::path::Path) -> anyhow::Result<Vec<Rotation>> {
    use anyhow::Context as _;
    let mut out = Vec::new();
    for row in crate::index::key_rotation_records(db).await? {
        // A record that cannot be read hands nothing over; `verify` names what is missing.
        let read = crate::files::locate(warc_dir, &row.file)
            .with_context(|| format!("the WARC file {} is missing", row.file))
            .and_then(|path| {
                crate::frames::read_frame_at(&path, row.file_offset as u64, row.length as u64)
                    .with_context(|| format!("cannot read {} at {}", row.file, row.file_offset))
            });
        let raw = match read {
            Ok(raw) => raw,
            Err(e) => {
                tracing::warn!(record = %row.record_id, "a key rotation record cannot be read: {e:#}");
                continue;
            }
        };
        let rotation = ParsedRecord::parse(&raw)
            .ok()
            .as_ref()
            .and_then(Rotation::of)
            .filter(|r| r.check().is_ok());
        out.extend(rotation);
    }
    Ok(out)
}

/// The newest rotation record in the newest two WARC files of `dir` (closed or `.open`),
/// with its record ID: where a rotation that was cut short by a crash left its record.
pub fn newest_in(dir: &std::path::Path) -> std::io::Result<Option<(String, Rotation)>> {
    let mut files = crate::files::warc_files(dir)?;
    files.sort_by_key(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .and_then(crate::files::serial_of)
            .unwrap_or(0)
    });
    for path in files.iter().rev().take(2) {
        let mut found = None;
        for f in crate::frames::FrameWalker::open(path)?.flatten() {
            if let Ok(rec) = ParsedRecord::parse(&f.record) {
                if let Some(r) = Rotation::of(&rec) {
                    found = Some((rec.record_id().to_string(), r));
                }
            }
        }
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rotation_reads_back_and_checks_only_as_signed() {
        let dir = tempfile::tempdir().unwrap();
        let old = NodeKey::load_or_create(&dir.path().join("a.key")).unwrap();
        let new = NodeKey::load_or_create(&dir.path().join("b.key")).unwrap();
        let r = Rotation::make(&old, &new, "2026-12-03T07:00:00Z", "yearly rotation");
        assert_eq!(r.check(), Ok(()));
        let raw = r.record("<urn:uuid:1>", &chrono::Utc::now());
        let back = Rotation::of(&ParsedRecord::parse(&raw).unwrap()).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.old_fingerprint(), old.fingerprint());
        assert_eq!(back.new_fingerprint(), new.fingerprint());
        // Any changed field breaks both signatures; a signature by one key alone is not one.
        let mut bent = r.clone();
        bent.reason = "compromise".into();
        assert!(bent.check().unwrap_err().contains("old key"));
        let mut one = r.clone();
        one.new_signature = one.old_signature.clone();
        assert!(one.check().unwrap_err().contains("new key"));
        let mut swapped = r.clone();
        swapped.new_key = old.public_hex();
        assert!(swapped.check().is_err());
    }
}
