//! IBANs (ISO 13616), by the country's length and the mod-97 check (the `iban_validate`
//! crate holds the registry's per-country formats).

use std::sync::LazyLock;

use regex::Regex;

use crate::{Collector, Flags, Kind};

/// A country code, two check digits and up to 30 more characters, in groups of four or not.
/// Anchored: it is tried only where two capital letters and two digits begin a word (see
/// [`starts`]), which is where `\b[A-Z]{2}[0-9]{2}` would match.
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b").expect("regex"));

/// Every valid IBAN in `text`, compact and upper case.
pub(crate) fn find(text: &str, out: &mut Collector) {
    for (_, m) in candidates(text) {
        // The regex is greedy and may have run into the next word ("… 0130 00 BIC"): try the
        // longest prefix that ends where a character ends, then shorter ones.
        let compact: Vec<char> = m.chars().filter(|c| *c != ' ').collect();
        for len in (15..=compact.len().min(34)).rev() {
            let candidate: String = compact[..len].iter().collect();
            if let Ok(iban) = candidate.parse::<iban::Iban>() {
                use iban::IbanLike;
                out.add(
                    Kind::Iban,
                    iban.electronic_str().to_string(),
                    Flags::default(),
                );
                break;
            }
        }
    }
}

/// What `\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b` matches in `text`, with the byte
/// offsets of the matches.
pub(crate) fn candidates(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut after = 0;
    for at in starts(text) {
        if at < after {
            continue;
        }
        if let Some(m) = IBAN.find(&text[at..]) {
            after = at + m.end();
            out.push((at, m.as_str()));
        }
    }
    out
}

/// Where a word begins with two capital letters and two digits (`DE89`): the only places an
/// IBAN can start. The anchored regex run from each, skipping those inside the previous
/// match, finds what the unanchored one would find in the whole text, without reading every
/// byte of it (see `scan`).
fn starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let b = text.as_bytes();
    // From each digit that has a digit after it and two capitals before.
    crate::scan::digits(b).filter_map(move |d| {
        let i = d.checked_sub(2)?;
        (b.get(d + 1).is_some_and(u8::is_ascii_digit)
            && b[i].is_ascii_uppercase()
            && b[i + 1].is_ascii_uppercase()
            && !crate::scan::word_before(text, i))
        .then_some(i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let mut c = Collector::default();
        find(text, &mut c);
        c.finish().into_iter().map(|f| f.value).collect()
    }

    #[test]
    fn valid_ibans_in_any_grouping() {
        assert_eq!(
            found("Konto: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX"),
            vec!["DE89370400440532013000"]
        );
        assert_eq!(
            found("GB29NWBK60161331926819."),
            vec!["GB29NWBK60161331926819"]
        );
        // One digit changed: mod-97 fails.
        assert!(found("DE89 3704 0044 0532 0130 01").is_empty());
        // Wrong length for the country.
        assert!(found("DE89 3704 0044 0532 0130").is_empty());
    }
}
