//! PGP public keys and the signers of clear-signed messages, parsed with the `pgp` crate.
//!
//! A key ID (the last 8 or 16 hex digits) is cheap to forge a collision for; the full
//! fingerprint is not, so the fingerprint is the value. The key's creation time and user
//! IDs (names, e-mail addresses) come along as detail (an e-mail address inside a key is
//! not written on the page, so it is not a sighting of its own). A clear-signed message
//! adds its signer's fingerprint (from the signature's issuer fingerprint subpacket), and
//! whether the signature verifies against a key on the same page.

use std::sync::LazyLock;

use pgp::composed::{CleartextSignedMessage, Deserializable, SignedPublicKey};
use pgp::types::KeyDetails;
use regex::Regex;

use crate::{Collector, Flags, Kind};

static KEY_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----")
        .expect("regex")
});
static SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)-----BEGIN PGP SIGNED MESSAGE-----.*?-----END PGP SIGNATURE-----")
        .expect("regex")
});

/// Armored keys and signed messages in `text` (whose line breaks must be kept).
pub(crate) fn find(text: &str, out: &mut Collector) {
    if !text.contains("-----BEGIN PGP") {
        return;
    }
    let mut keys = Vec::new();
    for m in KEY_BLOCK.find_iter(text) {
        let armored = tidy(m.as_str());
        let Ok((key, _headers)) = SignedPublicKey::from_string(&armored) else {
            continue;
        };
        let fingerprint = format!("{:X}", key.fingerprint());
        let mut users = Vec::new();
        for user in &key.details.users {
            users.push(String::from_utf8_lossy(user.id.id()).into_owned());
        }
        let created = chrono::DateTime::from_timestamp(i64::from(key.created_at().as_secs()), 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        let detail = serde_json::json!({ "created": created, "user_ids": users, "armor": armored });
        out.add_with(Kind::Pgp, fingerprint, Flags::default(), Some(detail));
        keys.push(key);
    }
    for m in SIGNED.find_iter(text) {
        let armored = tidy(m.as_str());
        let Ok((msg, _)) = CleartextSignedMessage::from_string(&armored) else {
            continue;
        };
        for sig in msg.signatures() {
            for fp in sig.issuer_fingerprint() {
                let fingerprint = format!("{fp:X}");
                let verified = keys
                    .iter()
                    .filter(|k| format!("{:X}", k.fingerprint()) == fingerprint)
                    .any(|k| msg.verify(k).is_ok());
                // Unverified here, the message goes along, so that the archive can check it
                // against the key if it has seen that key elsewhere.
                let detail = if verified {
                    serde_json::json!({ "signed_message": true, "verified": true })
                } else {
                    serde_json::json!({ "signed_message": true, "verified": false, "message": armored })
                };
                let flags = Flags {
                    verified_signature: verified,
                    ..Flags::default()
                };
                out.add_with(Kind::Pgp, fingerprint, flags, Some(detail));
            }
        }
    }
}

/// Whether the armored clear-signed `message` verifies against the armored public `key`.
pub(crate) fn verify(message: &str, key: &str) -> bool {
    let Ok((msg, _)) = CleartextSignedMessage::from_string(message) else {
        return false;
    };
    let Ok((key, _)) = SignedPublicKey::from_string(key) else {
        return false;
    };
    msg.verify(&key).is_ok()
}

/// An armor block as pages show it: lines may carry the page's indentation or trailing
/// spaces, or end in `\r`. The armor's line structure itself is kept.
fn tidy(block: &str) -> String {
    let mut s: String = block
        .lines()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_message_verifies_only_against_its_own_key() {
        let m: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/entity-corpus-heldout/pgp_material.json"
        ))
        .unwrap();
        let message = m["signed"]["tg"]["armored"].as_str().unwrap();
        let signer = m["keys"]["tgsigner"]["armored"].as_str().unwrap();
        let other = m["keys"]["vendor"]["armored"].as_str().unwrap();
        assert!(verify(message, signer));
        assert!(!verify(message, other));
        assert!(!verify(&message.replacen("Почта", "Mail", 1), signer));
        assert!(!verify("not a message", signer));

        // Alone on a page: the signer, unverified, with the message for the archive to check.
        let mut c = Collector::default();
        find(message, &mut c);
        let f = c.finish();
        assert_eq!(f.len(), 1);
        assert!(!f[0].flags.verified_signature);
        assert_eq!(f[0].detail.as_ref().unwrap()["message"], message);
        // With its key: verified on the spot, and the key's detail keeps its armor.
        let mut c = Collector::default();
        find(&format!("{signer}\n{message}"), &mut c);
        let f = c.finish();
        assert_eq!(f.len(), 1);
        assert!(f[0].flags.verified_signature);
        assert!(f[0].detail.as_ref().unwrap()["armor"]
            .as_str()
            .unwrap()
            .contains("BEGIN PGP PUBLIC KEY BLOCK"));
    }
}
