//! v3 onion addresses in text, by their checksum (arti's `HsId` parser checks it).

use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use tor_hscrypto::pk::HsId;

use crate::{Collector, Flags, Kind};

pub(crate) static ONION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b[a-z2-7]{56}\.onion\b").expect("regex"));

/// Every valid v3 address in `text`, lowercase, without scheme or path.
pub(crate) fn find(text: &str, out: &mut Collector) {
    if !text.contains(".onion") && !text.contains(".ONION") {
        return;
    }
    for m in ONION.find_iter(text) {
        let service = m.as_str().to_ascii_lowercase();
        if HsId::from_str(&service).is_ok() {
            out.add(Kind::Onion, service, Flags::default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_checksum_valid_v3_addresses() {
        let good = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
        let bad = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wie.onion";
        let text = format!(
            "see http://{}/market and {bad} and expyuzz4wqqyqhjn.onion",
            good.to_uppercase()
        );
        let mut c = Collector::default();
        find(&text, &mut c);
        let f = c.finish();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].value, good);
    }
}
