//! Digests in the one form nightjar writes everywhere: `sha256:` and lowercase hex.
//!
//! Browsertrix and WACZ use this form; keeping one form means a third party can compare our
//! digests with `sha256sum` output by eye.

use std::fmt;
use std::str::FromStr;

use sha2::Digest;

/// A SHA-256 digest. Written as `sha256:<lowercase hex>`; parsing anything else fails with
/// the text that was given, so a damaged digest is reported instead of read as some value.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256([u8; 32]);

impl Sha256 {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256 {
        Sha256(sha2::Sha256::digest(bytes).into())
    }

    /// A digest from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Sha256 {
        Sha256(bytes)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", hex::encode(self.0))
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A text that is not a `sha256:` digest.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a SHA-256 digest (sha256: and 64 hex digits)")]
pub struct NotADigest(pub String);

impl FromStr for Sha256 {
    type Err = NotADigest;

    fn from_str(text: &str) -> Result<Sha256, NotADigest> {
        let hex_part = text
            .trim()
            .strip_prefix("sha256:")
            .ok_or_else(|| NotADigest(text.to_string()))?;
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex_part, &mut bytes).map_err(|_| NotADigest(text.to_string()))?;
        Ok(Sha256(bytes))
    }
}

/// `sha256:<lowercase hex>` of `bytes`.
pub fn sha256_label(bytes: &[u8]) -> String {
    Sha256::of(bytes).to_string()
}

/// Normalises a digest label for comparison: lowercase algorithm, lowercase hex.
///
/// Older tools write sha1 as uppercase base32; we only ever compare our own sha256 labels, so
/// lowercasing is enough here.
pub fn normalise(label: &str) -> String {
    label.trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_reads_back_what_it_writes_and_refuses_anything_else() {
        let d = Sha256::of(b"abc");
        assert_eq!(
            d.to_string(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(d.to_string().parse::<Sha256>(), Ok(d));
        for bad in [
            "",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "sha1:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "sha256:ba7816bf",
            "sha256:zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ] {
            let err = bad.parse::<Sha256>().unwrap_err();
            assert!(err.to_string().contains("not a SHA-256 digest"), "{err}");
        }
    }
}
