//! Crypto-currency addresses, each kept only if its own checksum holds.
//!
//! Regexes only find candidates; the decision is the checksum's. A Base58Check address
//! carries four bytes of double SHA-256 (one false match in four billion look-alikes) and a
//! version byte that says whose address it is; bech32 has a BCH code that also fixes which
//! witness versions may use which variant (BIP-350: v0 bech32, v1+ bech32m); EIP-55 hides a
//! Keccak checksum in the letters' case; Monero appends four bytes of Keccak-256.

use std::sync::LazyLock;

use regex::Regex;
use sha3::{Digest, Keccak256};

use crate::{Collector, Flags, Kind};

/// Base58 runs long enough to be an address (Bitcoin's shortest is 26, Monero's
/// integrated address 106).
pub(crate) static BASE58: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[1-9A-HJ-NP-Za-km-z]{25,106}\b").expect("regex"));
/// Segwit addresses of Bitcoin and Litecoin, in either case (mixed case is invalid and
/// rejected by the decoder).
pub(crate) static SEGWIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:bc|ltc)1[02-9ac-hj-np-z]{8,87}\b").expect("regex"));
/// CashAddr, with or without its prefix.
pub(crate) static CASHADDR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:bitcoincash:)?[qp][02-9ac-hj-np-z]{41}\b").expect("regex")
});
/// `0x` and 40 hex digits, not part of a longer hex run.
pub(crate) static ETH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b0x[0-9a-fA-F]{40}\b").expect("regex"));

/// Every valid address in `text`.
pub(crate) fn find(text: &str, out: &mut Collector) {
    for m in BASE58.find_iter(text) {
        if let Some((kind, value)) = base58_address(m.as_str()) {
            out.add(kind, value, Flags::default());
        }
    }
    for m in SEGWIT.find_iter(text) {
        if let Some((kind, value)) = segwit_address(m.as_str()) {
            out.add(kind, value, Flags::default());
        }
    }
    for m in CASHADDR.find_iter(text) {
        if let Some(value) = crate::cashaddr::canonical(m.as_str()) {
            out.add(Kind::Bch, value, Flags::default());
        }
    }
    for m in ETH.find_iter(text) {
        if let Some((value, flags)) = eth_address(m.as_str()) {
            out.add(Kind::Eth, value, flags);
        }
    }
}

/// A Base58 address of Bitcoin, Litecoin, Tron (Base58Check) or Monero (its own Base58).
fn base58_address(s: &str) -> Option<(Kind, String)> {
    match s.len() {
        95 | 106 => return monero_address(s).map(|v| (Kind::Xmr, v)),
        25..=35 => {}
        _ => return None,
    }
    let payload = bs58::decode(s).with_check(None).into_vec().ok()?;
    if payload.len() != 21 {
        return None;
    }
    let kind = match payload[0] {
        0x00 | 0x05 => Kind::Btc,
        // Litecoin P2PKH (L…) and its current P2SH (M…); 0x05 P2SH is Bitcoin's form too
        // and is reported as Bitcoin.
        0x30 | 0x32 => Kind::Ltc,
        0x41 => Kind::Trx,
        _ => return None,
    };
    Some((kind, s.to_string()))
}

/// A segwit address on Bitcoin's or Litecoin's main network, lowercase.
fn segwit_address(s: &str) -> Option<(Kind, String)> {
    // `segwit::decode` checks the checksum variant against the witness version and the
    // program length against BIP-141.
    let (hrp, _version, _program) = bech32::segwit::decode(s).ok()?;
    let kind = if hrp == bech32::hrp::BC {
        Kind::Btc
    } else if hrp.as_str().eq_ignore_ascii_case("ltc") {
        Kind::Ltc
    } else {
        return None;
    };
    Some((kind, s.to_ascii_lowercase()))
}

/// Monero's main-network prefixes: standard (18), integrated (19), subaddress (42).
fn monero_address(s: &str) -> Option<String> {
    let bytes = base58_monero::decode_check(s).ok()?;
    let (prefix, len) = match bytes.first()? {
        18 => (18, 1 + 64),
        19 => (19, 1 + 64 + 8),
        42 => (42, 1 + 64),
        _ => return None,
    };
    let _ = prefix;
    (bytes.len() == len).then(|| s.to_string())
}

/// An Ethereum address in its EIP-55 form: written in mixed case, the case must be the
/// checksum's (else it is a typo and rejected); written in one case, it is accepted and
/// flagged as unchecksummed.
fn eth_address(s: &str) -> Option<(String, Flags)> {
    let hex = &s[2..];
    let checksummed = eip55(hex);
    let lower = hex.bytes().all(|b| !b.is_ascii_uppercase());
    let upper = hex.bytes().all(|b| !b.is_ascii_lowercase());
    if lower || upper {
        // All digits is both: the case carries no checksum either way.
        let flags = Flags {
            unchecksummed: true,
            deobfuscated: false,
            verified_signature: false,
        };
        return Some((format!("0x{checksummed}"), flags));
    }
    (hex == checksummed).then(|| (format!("0x{checksummed}"), Flags::default()))
}

/// EIP-55: a letter is upper case where the matching nibble of Keccak-256 of the lowercase
/// hex is 8 or more.
fn eip55(hex: &str) -> String {
    let lower = hex.to_ascii_lowercase();
    let hash = Keccak256::digest(lower.as_bytes());
    lower
        .char_indices()
        .map(|(i, c)| {
            let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0xf;
            if c.is_ascii_alphabetic() && nibble >= 8 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Kind, String)> {
        let mut c = Collector::default();
        find(text, &mut c);
        c.finish().into_iter().map(|f| (f.kind, f.value)).collect()
    }

    #[test]
    fn base58check_addresses_need_checksum_and_version() {
        // Bitcoin's genesis coinbase address and a P2SH address.
        assert_eq!(
            found("pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa now"),
            vec![(Kind::Btc, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".into())]
        );
        assert_eq!(
            found("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
            vec![(Kind::Btc, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy".into())]
        );
        // One character changed: the checksum fails.
        assert!(found("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb").is_empty());
        // A testnet address (version 0x6f) is not a main-network one.
        assert!(found("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn").is_empty());
    }

    #[test]
    fn bip173_and_bip350_vectors() {
        for valid in [
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
            "BC1SW50QGDZ25J",
            "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        ] {
            assert_eq!(
                found(valid),
                vec![(Kind::Btc, valid.to_ascii_lowercase())],
                "{valid}"
            );
        }
        for invalid in [
            // BIP-350's invalid vectors: wrong variant for the version, bad checksums,
            // mixed case, bad program lengths.
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
            "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
            "bc1rw5uspcuh",
            "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
            "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
            "bc1gmk9yu",
            // A flipped character in a valid address.
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
        ] {
            assert!(found(invalid).is_empty(), "{invalid}");
        }
    }

    #[test]
    fn eip55_vectors_and_flipped_case() {
        for valid in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ] {
            let mut c = Collector::default();
            find(valid, &mut c);
            let f = c.finish();
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].value, valid);
            assert!(!f[0].flags.unchecksummed);
        }
        // One letter's case flipped: EIP-55 says reject.
        assert!(found("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").is_empty());
        // All lowercase: accepted, canonical in checksum case, flagged.
        let mut c = Collector::default();
        find("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", &mut c);
        let f = c.finish();
        assert_eq!(f[0].value, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        assert!(f[0].flags.unchecksummed);
        // A 64-digit hash is not an address.
        assert!(found(&format!("0x{}", "ab".repeat(32))).is_empty());
    }

    #[test]
    fn monero_checksum() {
        // The Monero project's donation address (standard, prefix 18).
        let addr = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
        assert_eq!(found(addr), vec![(Kind::Xmr, addr.to_string())]);
        let mut bad = addr.to_string();
        bad.replace_range(10..11, "T");
        assert!(found(&bad).is_empty());
    }

    #[test]
    fn litecoin_and_tron() {
        assert_eq!(
            found("LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9"),
            vec![(Kind::Ltc, "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9".into())]
        );
        assert_eq!(
            found("TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"),
            vec![(Kind::Trx, "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL".into())]
        );
    }

    #[test]
    fn css_and_hashes_are_not_addresses() {
        let css = ".a{color:#3F3F3F} .b{background:url(data:image/png;base64,3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F)} 4111111111111111";
        assert!(found(css).is_empty());
        assert!(found("sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709").is_empty());
    }
}
