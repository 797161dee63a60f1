//! IBANs (ISO 13616), by the country's length and the mod-97 check (the `iban_validate`
//! crate holds the registry's per-country formats).

use std::sync::LazyLock;

use regex::Regex;

use crate::{Collector, Flags, Kind};

/// A country code, two check digits and up to 30 more characters, in groups of four or not.
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b").expect("regex"));

/// Every valid IBAN in `text`, compact and upper case.
pub(crate) fn find(text: &str, out: &mut Collector) {
    for m in IBAN.find_iter(text) {
        // The regex is greedy and may have run into the next word ("… 0130 00 BIC"): try the
        // longest prefix that ends where a character ends, then shorter ones.
        let compact: Vec<char> = m.as_str().chars().filter(|c| *c != ' ').collect();
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
