//! Digests in the one form nightjar writes everywhere: `sha256:` and lowercase hex.
//!
//! Browsertrix and WACZ use this form; keeping one form means a third party can compare our
//! digests with `sha256sum` output by eye.

use sha2::{Digest, Sha256};

/// `sha256:<lowercase hex>` of `bytes`.
pub fn sha256_label(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// Normalises a digest label for comparison: lowercase algorithm, lowercase hex.
///
/// Older tools write sha1 as uppercase base32; we only ever compare our own sha256 labels, so
/// lowercasing is enough here.
pub fn normalise(label: &str) -> String {
    label.trim().to_ascii_lowercase()
}
