//! Bitcoin Cash's CashAddr format.
//!
//! Written by hand: the crates that decode CashAddr are unmaintained (the newest is from
//! 2019), and the format is one 40-bit BCH polymod over the prefix and the payload, given in
//! full in the specification (github.com/bitcoincashorg/bitcoincash.org, spec/cashaddr.md).

const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const PREFIX: &str = "bitcoincash";

/// The spec's polymod over 5-bit values.
fn polymod(values: impl Iterator<Item = u8>) -> u64 {
    const GEN: [u64; 5] = [
        0x98f2bc8e61,
        0x79b76d99e2,
        0xf33e5fb3c4,
        0xae2eabe2a8,
        0x1e4f43e470,
    ];
    let mut c: u64 = 1;
    for d in values {
        let c0 = (c >> 35) as u8;
        c = ((c & 0x07_ffff_ffff) << 5) ^ u64::from(d);
        for (i, g) in GEN.iter().enumerate() {
            if c0 & (1 << i) != 0 {
                c ^= g;
            }
        }
    }
    c ^ 1
}

/// `bitcoincash:q…` (prefix optional, one case) as `bitcoincash:` and the lowercase
/// payload, if its checksum holds and it carries a 160-bit hash (P2PKH or P2SH).
pub(crate) fn canonical(s: &str) -> Option<String> {
    let lower_ok = s.bytes().all(|b| !b.is_ascii_uppercase());
    let upper_ok = s.bytes().all(|b| !b.is_ascii_lowercase());
    if !lower_ok && !upper_ok {
        return None;
    }
    let s = s.to_ascii_lowercase();
    let payload = s.strip_prefix("bitcoincash:").unwrap_or(&s);
    let mut values = Vec::with_capacity(payload.len());
    for b in payload.bytes() {
        values.push(CHARSET.iter().position(|&c| c == b)? as u8);
    }
    // 42 characters: 34 of data (version byte and 20-byte hash, 168 bits padded to 170)
    // and 8 of checksum.
    if values.len() != 42 {
        return None;
    }
    let prefix = PREFIX.bytes().map(|b| b & 0x1f);
    let all = prefix
        .chain(std::iter::once(0))
        .chain(values.iter().copied());
    if polymod(all) != 0 {
        return None;
    }
    // The version byte's top bits: 0 = P2PKH, 1 = P2SH; its size bits: 0 = 160 bits.
    let version = (values[0] << 3) | (values[1] >> 2);
    if version & 0x80 != 0 || version & 0x07 != 0 || (version >> 3) > 1 {
        return None;
    }
    Some(format!("{PREFIX}:{payload}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vectors() {
        // From the CashAddr specification's examples (legacy 1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu).
        for (written, canonical_form) in [
            (
                "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
                "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
            ),
            (
                "qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy",
                "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy",
            ),
            (
                "BITCOINCASH:PPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVN0H829PQ",
                "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq",
            ),
        ] {
            assert_eq!(canonical(written).as_deref(), Some(canonical_form));
        }
        assert_eq!(
            canonical("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6b"),
            None
        );
        assert_eq!(
            canonical("bitcoincash:Qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"),
            None
        );
    }
}
