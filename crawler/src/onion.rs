//! Onion addresses: which hosts are onion services, and whether their names are real.
//!
//! A v3 address carries its own checksum (SHA3 over the public key and version); arti's
//! `HsId` parser checks it, so a mistyped or forged address is refused before anything is
//! queued. Subdomains (`www.<v3>.onion`) name the same service. v2 addresses (16 characters)
//! were retired from the Tor network in 2021: they are recorded, never fetched.

use std::str::FromStr;

use tor_hscrypto::pk::HsId;

/// What a host name is, as far as Tor is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnionCheck {
    /// Not an onion name.
    Clearnet,
    /// A valid v3 onion service; `service` is `<56 chars>.onion` without subdomains.
    V3 {
        /// The service's address.
        service: String,
    },
    /// A v2 address: historical, unreachable.
    V2,
    /// Ends in `.onion` but is not a valid address.
    Invalid(String),
}

/// Classifies `host`.
pub fn check(host: &str) -> OnionCheck {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let Some(rest) = host.strip_suffix(".onion") else {
        return if host == "onion" {
            OnionCheck::Invalid("'onion' alone is not an address".into())
        } else {
            OnionCheck::Clearnet
        };
    };
    let label = rest.rsplit('.').next().unwrap_or(rest);
    let service = format!("{label}.onion");
    match label.len() {
        16 if label
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'2'..=b'7')) =>
        {
            OnionCheck::V2
        }
        _ => match HsId::from_str(&service) {
            Ok(_) => OnionCheck::V3 { service },
            Err(e) => OnionCheck::Invalid(format!("{service} is not a valid onion address: {e}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real v3 address (the Tor Project's), and the same with one key character changed,
    // which the checksum catches.
    const GOOD: &str = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
    const BAD: &str = "2gzyxb5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";

    #[test]
    fn v3_checksums_are_checked() {
        assert_eq!(
            check(GOOD),
            OnionCheck::V3 {
                service: GOOD.into()
            }
        );
        match check(BAD) {
            OnionCheck::Invalid(why) => assert!(why.to_lowercase().contains("checksum"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(check("short.onion"), OnionCheck::Invalid(_)));
    }

    #[test]
    fn subdomains_are_the_same_service() {
        assert_eq!(
            check(&format!("www.{}", GOOD.to_uppercase())),
            OnionCheck::V3 {
                service: GOOD.into()
            }
        );
    }

    #[test]
    fn v2_is_historical_and_clearnet_is_clearnet() {
        assert_eq!(check("expyuzz4wqqyqhjn.onion"), OnionCheck::V2);
        assert_eq!(check("example.org"), OnionCheck::Clearnet);
        assert!(matches!(check("onion"), OnionCheck::Invalid(_)));
    }
}
