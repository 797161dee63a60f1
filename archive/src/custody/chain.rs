//! The hash chain over every record appended to the archive.
//!
//! `chain_0` is 32 zero bytes; `chain_n = SHA-256(chain_{n-1} ‖ d_n)` where `d_n` is the
//! 32-byte SHA-256 of the n-th record's uncompressed bytes, in the order records were
//! appended (files by serial number, records by offset). Anyone can recompute it with
//! `zstd -dc` and `sha256sum`: deleting, inserting, reordering or altering a record changes
//! every value after it.

use sha2::Digest;

use crate::digest::{NotADigest, Sha256};

/// The value before the first record.
pub const GENESIS: [u8; 32] = [0; 32];

/// Extends the chain by one record, given its digest.
pub fn extend(prev: &[u8; 32], record_digest: &Sha256) -> [u8; 32] {
    let mut h = sha2::Sha256::new();
    h.update(prev);
    h.update(record_digest.as_bytes());
    h.finalize().into()
}

/// `sha256:hex` form, as the index and the WARC files carry chain values.
pub fn label(v: &[u8; 32]) -> String {
    format!("sha256:{}", hex::encode(v))
}

/// Parses a `sha256:hex` label.
pub fn parse(label: &str) -> Result<[u8; 32], NotADigest> {
    label.parse::<Sha256>().map(|d| *d.as_bytes())
}

/// A checkpoint `metadata` record: the chain head after record `seq`, written into the
/// WARC file itself so the file carries its own proof of position.
pub fn checkpoint_record(
    id: &str,
    date: &chrono::DateTime<chrono::Utc>,
    seq: u64,
    head: &[u8; 32],
    node_fingerprint: Option<&str>,
) -> Vec<u8> {
    let mut fields = vec![
        ("chain-seq".to_string(), seq.to_string()),
        ("chain-head".to_string(), label(head)),
        (
            "chain-rule".to_string(),
            "chain_n = SHA-256(chain_n-1 || SHA-256(record_n)), chain_0 = 32 zero bytes"
                .to_string(),
        ),
    ];
    if let Some(f) = node_fingerprint {
        fields.push(("node-key".to_string(), f.to_string()));
    }
    crate::record::WarcRecord::new(
        crate::record::RecordType::Metadata,
        id,
        date,
        crate::record::warc_fields(&fields),
    )
    .field("WARC-Target-URI", CHECKPOINT_URI)
    .field("Content-Type", "application/warc-fields")
    .to_bytes()
}

/// The target URI of checkpoint records (a metadata record about the archive itself).
pub const CHECKPOINT_URI: &str = "urn:nightjar:chain-checkpoint";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_depends_on_every_record_before_it_in_order() {
        let a = Sha256::of(b"record a");
        let b = Sha256::of(b"record b");
        let ab = extend(&extend(&GENESIS, &a), &b);
        let ba = extend(&extend(&GENESIS, &b), &a);
        assert_ne!(ab, ba, "order matters");
        assert_eq!(parse(&label(&ab)), Ok(ab));
        assert!(
            parse("sha256:00").is_err(),
            "a damaged label is an error, not zeros"
        );
        // The definition, spelt out: SHA-256 over 64 bytes.
        let mut input = GENESIS.to_vec();
        input.extend(a.as_bytes());
        assert_eq!(
            extend(&GENESIS, &a),
            <[u8; 32]>::from(sha2::Sha256::digest(&input))
        );
    }
}
