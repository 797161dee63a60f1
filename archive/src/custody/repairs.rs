//! Repairs are evidence too.
//!
//! After a crash the daemon mends what it finds before crawling on: it moves a torn tail
//! aside and cuts the file back to its last whole record, and it seals files that were
//! closed but never sealed. Each is legitimate after a crash, and each is also what an
//! insider would do to cut records off quietly. So every repair is written into the archive
//! itself, as a `metadata` record about the archive (what, why, the file, its size before and
//! after, where a tail went), chained and under the transparency log like any record: it
//! cannot be removed without breaking the chain or a witnessed head. `verify` lists every
//! repair record until an operator acknowledges it (`nightjar custody ack`, which goes to the
//! audit log with their reason).

use std::fmt;

use serde::Serialize;

use crate::record::{parse_warc_fields, warc_fields, ParsedRecord, RecordType, WarcRecord};

/// The target URI of repair records (a `metadata` record about the archive itself).
pub const REPAIR_URI: &str = "urn:nightjar:repair";

/// What was repaired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RepairKind {
    /// The end of a `.open` file held a frame whose write did not finish: the bytes were
    /// moved aside and the file cut back to its last whole record.
    TornTail,
    /// A closed file had no seal when the daemon started, and was sealed then.
    SealedLate,
}

impl RepairKind {
    /// The name repair records carry.
    pub fn as_str(self) -> &'static str {
        match self {
            RepairKind::TornTail => "torn-tail",
            RepairKind::SealedLate => "sealed-late",
        }
    }

    fn parse(s: &str) -> Option<RepairKind> {
        [RepairKind::TornTail, RepairKind::SealedLate]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

impl fmt::Display for RepairKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One repair, as the daemon made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Repair {
    /// What was done.
    pub kind: RepairKind,
    /// The WARC file concerned (final name).
    pub file: String,
    /// Its size before, in bytes.
    pub old_size: u64,
    /// Its size after, in bytes (0: nothing whole was left and the file was removed).
    pub new_size: u64,
    /// Where the bytes cut off were kept (a file name in the WARC directory).
    pub moved_to: Option<String>,
    /// Why, in words.
    pub why: String,
}

impl Repair {
    /// A torn tail moved aside: `old_size` bytes before, `new_size` kept.
    pub fn torn_tail(file: &str, old_size: u64, new_size: u64, moved_to: &str) -> Repair {
        Repair {
            kind: RepairKind::TornTail,
            file: file.to_string(),
            old_size,
            new_size,
            moved_to: Some(moved_to.to_string()),
            why: if new_size == 0 {
                "the file held no whole record (a crash before its first write finished): its bytes were moved aside and the file removed".into()
            } else {
                "a write the crash interrupted left an incomplete record at the end: its bytes were moved aside and the file cut back to its last whole record".into()
            },
        }
    }

    /// A closed file sealed at start.
    pub fn sealed_late(file: &str, size: u64) -> Repair {
        Repair {
            kind: RepairKind::SealedLate,
            file: file.to_string(),
            old_size: size,
            new_size: size,
            moved_to: None,
            why: "the file was closed but had no seal when the daemon started (a crash between closing and sealing, or a seal removed): it was sealed then, with the key of that time".into(),
        }
    }

    /// The repair record, ready to append.
    pub fn record(
        &self,
        id: &str,
        date: &chrono::DateTime<chrono::Utc>,
        node_fingerprint: Option<&str>,
    ) -> Vec<u8> {
        let mut fields = vec![
            ("repair".to_string(), self.kind.as_str().to_string()),
            ("file".to_string(), self.file.clone()),
            ("old-size".to_string(), self.old_size.to_string()),
            ("new-size".to_string(), self.new_size.to_string()),
        ];
        if let Some(m) = &self.moved_to {
            fields.push(("moved-to".to_string(), m.clone()));
        }
        fields.push(("reason".to_string(), self.why.clone()));
        if let Some(f) = node_fingerprint {
            fields.push(("node-key".to_string(), f.to_string()));
        }
        WarcRecord::new(RecordType::Metadata, id, date, warc_fields(&fields))
            .field("WARC-Target-URI", REPAIR_URI)
            .field("Content-Type", "application/warc-fields")
            .to_bytes()
    }

    /// The repair a record states, if it is a repair record. A repair record that cannot be
    /// read whole is still a repair: its fields say what they can.
    pub fn of(rec: &ParsedRecord) -> Option<Repair> {
        if rec.record_type() != Some(RecordType::Metadata)
            || rec.get("WARC-Target-URI") != Some(REPAIR_URI)
        {
            return None;
        }
        let fields = parse_warc_fields(&rec.block);
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let size = |k: &str| get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
        Some(Repair {
            kind: get("repair")
                .as_deref()
                .and_then(RepairKind::parse)
                .unwrap_or(RepairKind::TornTail),
            file: get("file").unwrap_or_default(),
            old_size: size("old-size"),
            new_size: size("new-size"),
            moved_to: get("moved-to"),
            why: get("reason").unwrap_or_default(),
        })
    }
}

/// Who acknowledged a repair record, when and why (kept in the audit log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Acknowledgement {
    /// Who (as the audit log names them).
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
    /// Why they accept it.
    pub reason: String,
}

/// The repair record with this WARC-Record-ID, read from the archive (`None` when the index
/// has no such record or it is not a repair record).
pub async fn find(
    db: &db::Db,
    warc_dir: &std::path::Path,
    record_id: &str,
) -> anyhow::Result<Option<Repair>> {
    use anyhow::Context;
    let Some(row) = crate::index::record_by_id(db, record_id).await? else {
        return Ok(None);
    };
    if row.warc_type != RecordType::Metadata {
        return Ok(None);
    }
    let path = crate::files::locate(warc_dir, &row.file)
        .with_context(|| format!("the WARC file {} is missing", row.file))?;
    let raw = crate::frames::read_frame_at(&path, row.file_offset as u64, row.length as u64)
        .with_context(|| format!("cannot read {} at {}", row.file, row.file_offset))?;
    let rec = ParsedRecord::parse(&raw).map_err(|e| {
        anyhow::anyhow!(
            "{} at {} is not a readable record: {e}",
            row.file,
            row.file_offset
        )
    })?;
    Ok(Repair::of(&rec))
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}", self.kind, self.file)?;
        if self.old_size != self.new_size {
            write!(f, " ({} -> {} bytes", self.old_size, self.new_size)?;
            if let Some(m) = &self.moved_to {
                write!(f, ", the rest kept in {m}")?;
            }
            write!(f, ")")?;
        }
        write!(f, ": {}", self.why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repair_reads_back_from_its_record() {
        let r = Repair::torn_tail("a.warc.zst", 900, 640, "a.warc.zst.torn-640");
        let raw = r.record("<urn:uuid:1>", &chrono::Utc::now(), Some("abcd"));
        let rec = ParsedRecord::parse(&raw).unwrap();
        assert_eq!(Repair::of(&rec), Some(r));
        let late = Repair::sealed_late("b.warc.zst", 77);
        let rec =
            ParsedRecord::parse(&late.record("<urn:uuid:2>", &chrono::Utc::now(), None)).unwrap();
        assert_eq!(Repair::of(&rec), Some(late));
        // A checkpoint is not a repair.
        let cp = crate::custody::chain::checkpoint_record(
            "<urn:uuid:3>",
            &chrono::Utc::now(),
            1,
            &[0; 32],
            None,
        );
        assert_eq!(Repair::of(&ParsedRecord::parse(&cp).unwrap()), None);
    }
}
