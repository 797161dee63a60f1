//! Validated entities in archived page text: what analysts search the archive by.
//!
//! Investigations into trafficking in human beings follow identifiers across sites: the
//! bitcoin address an ad asks to be paid to, the phone number on an escort ad, the PGP key a
//! vendor signs with. This crate finds such identifiers in the text of a page (and in the
//! attributes that carry them, `mailto:`, `tel:`, `bitcoin:`) and reports only those whose
//! own check holds, in one canonical written form, so that "where else does this appear"
//! is an exact lookup and not a flood of look-alikes:
//!
//! * crypto addresses by their checksum: Base58Check with the right version byte (Bitcoin,
//!   Litecoin, Tron), bech32/bech32m with the witness version each requires (BIP-173/350),
//!   EIP-55 for Ethereum, Monero's Keccak checksum, CashAddr's polymod;
//! * PGP public keys parsed into their full fingerprint, creation time and user IDs, and the
//!   signers of clear-signed messages;
//! * IBANs by their country's length and the ISO 7064 mod-97 check;
//! * e-mail addresses (also written `name [at] domain [dot] com`) whose domain ends in a
//!   public suffix, checked against the compiled-in public suffix list: never a DNS lookup;
//! * phone numbers by libphonenumber's metadata, written internationally or nationally with
//!   the seed's region, also when spelled out or split to fool filters;
//! * v3 onion addresses by their checksum, and handles where a seed names their pattern.
//!
//! It does no I/O and keeps no state: the archive stores what [`find`] returns.

#![warn(missing_docs)]
#![warn(unreachable_pub)]

mod cashaddr;
mod crypto;
mod digits;
mod email;
mod iban;
mod onion;
mod pgp;
mod phone;
mod scan;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What an entity is. Stored as its lowercase name ([`Kind::as_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A Bitcoin address (P2PKH, P2SH, segwit v0, taproot and later).
    Btc,
    /// An Ethereum address.
    Eth,
    /// A Monero address (standard, subaddress, integrated).
    Xmr,
    /// A Litecoin address (legacy or `ltc1`).
    Ltc,
    /// A Bitcoin Cash address in CashAddr form.
    Bch,
    /// A Tron address.
    Trx,
    /// A PGP public key, by its fingerprint.
    Pgp,
    /// An International Bank Account Number.
    Iban,
    /// An e-mail address.
    Email,
    /// A phone number, in E.164.
    Phone,
    /// A v3 onion service address.
    Onion,
    /// A user name or handle matched by a pattern a seed configured.
    Handle,
}

impl Kind {
    /// Every kind, in the order listings show them.
    pub const ALL: [Kind; 12] = [
        Kind::Btc,
        Kind::Eth,
        Kind::Xmr,
        Kind::Ltc,
        Kind::Bch,
        Kind::Trx,
        Kind::Pgp,
        Kind::Iban,
        Kind::Email,
        Kind::Phone,
        Kind::Onion,
        Kind::Handle,
    ];

    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Btc => "btc",
            Kind::Eth => "eth",
            Kind::Xmr => "xmr",
            Kind::Ltc => "ltc",
            Kind::Bch => "bch",
            Kind::Trx => "trx",
            Kind::Pgp => "pgp",
            Kind::Iban => "iban",
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Onion => "onion",
            Kind::Handle => "handle",
        }
    }

    /// Whether the kind is a crypto-currency address.
    pub fn is_crypto(self) -> bool {
        matches!(
            self,
            Kind::Btc | Kind::Eth | Kind::Xmr | Kind::Ltc | Kind::Bch | Kind::Trx
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind name that is not one of [`Kind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        write!(
            f,
            "unknown entity kind '{}': use one of {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownKind {}

impl FromStr for Kind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Kind, UnknownKind> {
        let lower = s.trim().to_ascii_lowercase();
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == lower)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// How an entity was written, when that matters to whoever weighs it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Flags {
    /// An Ethereum address written all in one case, so without its EIP-55 checksum: valid
    /// in form, but a typo would not have been caught.
    pub unchecksummed: bool,
    /// Found only after undoing an obfuscation: spelled digits, digits split by dots or
    /// letters, other digit forms, `[at]`/`[dot]`.
    pub deobfuscated: bool,
    /// A PGP key seen as the signer of a clear-signed message whose signature verified
    /// against the key itself (on the same page, or a key the archive had seen before: see
    /// [`verify_signed_message`]).
    pub verified_signature: bool,
}

impl Flags {
    /// The flags as one small integer, as the ledger stores them (bit 0: unchecksummed,
    /// bit 1: deobfuscated, bit 2: verified signature).
    pub fn bits(self) -> i64 {
        i64::from(self.unchecksummed)
            | (i64::from(self.deobfuscated) << 1)
            | (i64::from(self.verified_signature) << 2)
    }

    /// The flags of [`Flags::bits`].
    pub fn from_bits(bits: i64) -> Flags {
        Flags {
            unchecksummed: bits & 1 != 0,
            deobfuscated: bits & 2 != 0,
            verified_signature: bits & 4 != 0,
        }
    }

    /// Seen once as written plainly: the plain sighting wins over an obfuscated one; one
    /// verified signature is enough.
    fn merge(self, other: Flags) -> Flags {
        Flags {
            unchecksummed: self.unchecksummed && other.unchecksummed,
            deobfuscated: self.deobfuscated && other.deobfuscated,
            verified_signature: self.verified_signature || other.verified_signature,
        }
    }
}

/// One entity found in a page: its kind and canonical value, with what was learnt of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Found {
    /// What it is.
    pub kind: Kind,
    /// Its canonical form: E.164 for phones, the EIP-55 form for Ethereum, lowercase for
    /// bech32, CashAddr (with its `bitcoincash:` prefix), e-mail and onion addresses, the
    /// upper-case fingerprint for PGP keys, the compact upper-case IBAN; as written for
    /// Base58 addresses, whose case is part of the value.
    pub value: String,
    /// How it was written.
    pub flags: Flags,
    /// Facts that come with the value: a PGP key's creation time and user IDs, whether a
    /// clear-signed message verifies.
    pub detail: Option<serde_json::Value>,
}

/// What a page offers to look in.
#[derive(Clone, Copy, Debug, Default)]
pub struct Page<'a> {
    /// The visible text, as a reader sees it.
    pub text: &'a str,
    /// Link targets that are not web pages (`mailto:`, `tel:`, `bitcoin:`, …), as written.
    pub uris: &'a [String],
    /// Attribute values (links, `data-*`, `value`, `title`, `alt`), one per line: addresses
    /// kept for a copy button or in a link's host. Only what a checksum or the public suffix
    /// list vouches for is taken from here (no phone numbers: attributes are full of IDs).
    pub attrs: &'a str,
    /// The text with its line breaks kept (every text node, one per line), where armored
    /// PGP blocks survive; `None` when it is the same as `text` or holds no armor.
    pub raw: Option<&'a str>,
}

/// What the seed tells the extractor about a page.
#[derive(Clone, Debug, Default)]
pub struct Hints {
    /// The ISO 3166 region a phone number written without a country code belongs to
    /// (`RU`: "8 916 123-45-67" is +7 916 123 45 67). Without one, only numbers written
    /// internationally are reported.
    pub region: Option<String>,
    /// Patterns of handles the seed names: a regex whose first group (or whole match) is the
    /// handle.
    pub handles: Vec<regex::Regex>,
    /// Kinds the seed does not keep (data minimisation): never reported.
    pub skip: Vec<Kind>,
}

/// A region name that libphonenumber does not know.
pub fn check_region(region: &str) -> Result<(), String> {
    phone::region(region).map(|_| ())
}

/// Every validated entity in a page, each (kind, value) once.
pub fn find(page: &Page<'_>, hints: &Hints) -> Vec<Found> {
    let mut out = Collector::default();
    let text = page.text;
    addresses(text, &mut out);
    iban::find(text, &mut out);
    email::find(text, &mut out);
    phone::find(text, hints, &mut out);
    for uri in page.uris {
        from_uri(uri, hints, &mut out);
    }
    if !page.attrs.is_empty() {
        addresses(page.attrs, &mut out);
        iban::find(page.attrs, &mut out);
        email::find(page.attrs, &mut out);
    }
    if let Some(raw) = page.raw {
        pgp::find(raw, &mut out);
    } else if text.contains("-----BEGIN PGP") {
        pgp::find(text, &mut out);
    }
    for pattern in &hints.handles {
        for c in pattern.captures_iter(text) {
            let m = c.get(1).or_else(|| c.get(0)).expect("whole match");
            if !m.as_str().is_empty() {
                out.add(Kind::Handle, m.as_str().to_string(), Flags::default());
            }
        }
    }
    let mut found = out.finish();
    found.retain(|f| !hints.skip.contains(&f.kind));
    found
}

/// Crypto addresses and onion names, looked for only in the tokens long enough to hold one
/// (the shortest, a segwit address, has eleven letters and digits in a row: `bc1` and
/// eight more).
fn addresses(text: &str, out: &mut Collector) {
    for token in scan::long_tokens(text, 11) {
        crypto::find(&text[token.clone()], out);
        onion::find(&text[token], out);
    }
}

/// Whether the clear-signed message `message` (as [`find`] leaves it in a signer's detail,
/// under `"message"`, when no key on the page verified it) verifies against the armored
/// public key `key` (as a key's detail holds it, under `"armor"`): for a signature whose key
/// was published on another page, or earlier.
pub fn verify_signed_message(message: &str, key: &str) -> bool {
    pgp::verify(message, key)
}

/// A non-web link target: `mailto:`, `tel:`, and the payment URIs of BIP-21 and its
/// siblings (`bitcoin:ADDR?amount=…`).
fn from_uri(uri: &str, hints: &Hints, out: &mut Collector) {
    let Some((scheme, rest)) = uri.trim().split_once(':') else {
        return;
    };
    let body = rest.split(['?', '#']).next().unwrap_or("");
    let body = percent_decoded(body);
    match scheme.to_ascii_lowercase().as_str() {
        "mailto" => {
            for addr in body.split(',') {
                email::find(addr.trim(), out);
            }
        }
        "tel" | "callto" | "sms" | "whatsapp" | "viber" => phone::find_tel(&body, hints, out),
        "bitcoin" | "ethereum" | "monero" | "litecoin" | "bitcoincash" | "tron" => {
            let body = body.trim_start_matches('/');
            // `ethereum:0xADDR@1/transfer`: the address ends at '@' or '/'.
            let addr = body.split(['@', '/']).next().unwrap_or("");
            if scheme.eq_ignore_ascii_case("bitcoincash") {
                crypto::find(&format!("bitcoincash:{addr}"), out);
            } else {
                crypto::find(addr, out);
            }
        }
        _ => {}
    }
}

/// `%40` → `@` in a URI's path, byte-wise; an invalid escape stays as written.
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Found entities, one per (kind, value).
#[derive(Default)]
struct Collector {
    found: BTreeMap<(Kind, String), (Flags, Option<serde_json::Value>)>,
}

impl Collector {
    fn add(&mut self, kind: Kind, value: String, flags: Flags) {
        self.add_with(kind, value, flags, None);
    }

    fn add_with(
        &mut self,
        kind: Kind,
        value: String,
        flags: Flags,
        detail: Option<serde_json::Value>,
    ) {
        match self.found.entry((kind, value)) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert((flags, detail));
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                let (f, d) = o.get_mut();
                *f = f.merge(flags);
                if d.is_none() {
                    *d = detail;
                } else if let (
                    Some(serde_json::Value::Object(have)),
                    Some(serde_json::Value::Object(more)),
                ) = (d.as_mut(), detail)
                {
                    for (k, v) in more {
                        have.entry(k).or_insert(v);
                    }
                }
            }
        }
    }

    fn finish(self) -> Vec<Found> {
        self.found
            .into_iter()
            .map(|((kind, value), (flags, detail))| Found {
                kind,
                value,
                flags,
                detail,
            })
            .collect()
    }
}

/// The canonical form of a value an analyst typed, if it is a valid entity of some kind:
/// what `nightjar entity VALUE` and a watch on an entity look up. Phone numbers need a `+`.
pub fn canonical(value: &str) -> Option<Found> {
    let value = value.trim();
    let hints = Hints::default();
    let mut uris = Vec::new();
    if value.starts_with('+') {
        uris.push(format!("tel:{value}"));
    }
    let found = find(
        &Page {
            text: value,
            uris: &uris,
            ..Page::default()
        },
        &hints,
    );
    if let Some(f) = found.into_iter().next() {
        return Some(f);
    }
    // A PGP fingerprint typed as hex, with or without spaces.
    let hexed: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let hexed = hexed.trim_start_matches("0x").trim_start_matches("0X");
    if matches!(hexed.len(), 40 | 64) && hexed.chars().all(|c| c.is_ascii_hexdigit()) {
        return Some(Found {
            kind: Kind::Pgp,
            value: hexed.to_ascii_uppercase(),
            flags: Flags::default(),
            detail: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_names_say_what_is_known() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>(), Ok(k));
        }
        let e = "bitcoin".parse::<Kind>().unwrap_err().to_string();
        assert!(
            e.contains("unknown entity kind 'bitcoin'") && e.contains("btc, eth"),
            "{e}"
        );
    }

    #[test]
    fn flags_round_trip() {
        for bits in 0..4 {
            assert_eq!(Flags::from_bits(bits).bits(), bits);
        }
    }

    #[test]
    fn payment_uris_and_mailto_are_read() {
        let uris = vec![
            "bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2?amount=0.1".to_string(),
            "mailto:Someone%40Example.com?subject=hi".to_string(),
            "ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@1".to_string(),
        ];
        let found = find(
            &Page {
                uris: &uris,
                ..Page::default()
            },
            &Hints::default(),
        );
        let got: Vec<(Kind, &str)> = found.iter().map(|f| (f.kind, f.value.as_str())).collect();
        assert!(
            got.contains(&(Kind::Btc, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")),
            "{got:?}"
        );
        assert!(
            got.contains(&(Kind::Email, "someone@example.com")),
            "{got:?}"
        );
        assert!(
            got.contains(&(Kind::Eth, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")),
            "{got:?}"
        );
    }

    #[test]
    fn canonical_reads_what_an_analyst_types() {
        let f = canonical("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4").unwrap();
        assert_eq!(
            (f.kind, f.value.as_str()),
            (Kind::Btc, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
        );
        let f = canonical("+7 916 123-45-67").unwrap();
        assert_eq!((f.kind, f.value.as_str()), (Kind::Phone, "+79161234567"));
        assert!(canonical("hello").is_none());
    }
}
