//! Turning a host name into addresses nightjar may connect to.
//!
//! A seed list must not become a way into the operator's own network (SSRF): addresses that
//! are loopback, private, link-local, shared, multicast or unspecified are refused unless the
//! operator mapped that name explicitly with a curl-style override. Onion names are refused
//! here before any lookup, so they can never reach the system resolver.

use std::net::{IpAddr, SocketAddr};

use super::FetchError;
use crate::config::ResolveOverride;

/// Resolves names, honouring overrides and refusing internal addresses.
#[derive(Clone, Debug, Default)]
pub(super) struct Resolver {
    overrides: Vec<ResolveOverride>,
}

/// Why an address is not for crawling, if it is not.
///
/// Besides the usual private ranges this covers IPv6 forms that embed an IPv4 address
/// (mapped, compatible, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`), whose embedded address is
/// judged instead, and the special-purpose IPv4 blocks of RFC 6890.
pub(super) fn internal_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            if v4.is_loopback() {
                Some("loopback")
            } else if v4.is_private() {
                Some("private")
            } else if v4.is_link_local() {
                Some("link-local")
            } else if v4.is_unspecified() || o[0] == 0 {
                Some("unspecified")
            } else if v4.is_multicast() || v4.is_broadcast() || o[0] >= 240 {
                Some("multicast or reserved")
            } else if o[0] == 100 && (64..128).contains(&o[1]) {
                Some("shared (carrier-grade NAT)")
            } else if o[0] == 192 && o[1] == 0 && o[2] == 0 {
                Some("IETF protocol assignment")
            } else if o[0] == 198 && (18..20).contains(&o[1]) {
                Some("benchmarking")
            } else if matches!(
                (o[0], o[1], o[2]),
                (192, 0, 2) | (198, 51, 100) | (203, 0, 113)
            ) {
                Some("documentation")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let embedded = |hi: u16, lo: u16| {
                std::net::Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)
            };
            if let Some(v4) = v6.to_ipv4_mapped() {
                return internal_kind(IpAddr::V4(v4));
            }
            if s[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified() {
                // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks).
                return internal_kind(IpAddr::V4(embedded(s[6], s[7])));
            }
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] {
                return internal_kind(IpAddr::V4(embedded(s[6], s[7])));
            }
            if s[0] == 0x2002 {
                return internal_kind(IpAddr::V4(embedded(s[1], s[2])));
            }
            if v6.is_loopback() {
                Some("loopback")
            } else if v6.is_unspecified() {
                Some("unspecified")
            } else if v6.is_multicast() {
                Some("multicast")
            } else if (s[0] & 0xfe00) == 0xfc00 {
                Some("private (unique local)")
            } else if (s[0] & 0xffc0) == 0xfe80 {
                Some("link-local")
            } else if (s[0] & 0xffc0) == 0xfec0 {
                Some("site-local")
            } else if s[0] == 0x2001 && s[1] == 0 {
                Some("Teredo tunnel")
            } else if s[0] == 0x2001 && s[1] == 0xdb8 {
                Some("documentation")
            } else {
                None
            }
        }
    }
}

impl Resolver {
    /// A resolver with these overrides.
    pub(super) fn new(overrides: Vec<ResolveOverride>) -> Self {
        Resolver { overrides }
    }

    /// Addresses to try for `host:port`.
    pub(super) async fn resolve(
        &self,
        host: &str,
        port: u16,
    ) -> Result<Vec<SocketAddr>, FetchError> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host.ends_with(".onion") || host == "onion" {
            return Err(FetchError::Policy(format!(
                "{host} is an onion service: it is only reachable through Tor, and nightjar \
                 never looks onion names up in DNS"
            )));
        }
        if let Some(o) = self
            .overrides
            .iter()
            .find(|o| o.host == host && o.port == port)
        {
            return Ok(vec![o.addr]);
        }
        let bare = host.trim_matches(|c| c == '[' || c == ']');
        let addrs: Vec<SocketAddr> = if let Ok(ip) = bare.parse::<IpAddr>() {
            vec![SocketAddr::new(ip, port)]
        } else {
            tokio::net::lookup_host((bare, port))
                .await
                .map_err(|e| FetchError::Dns {
                    host: host.clone(),
                    reason: e.to_string(),
                })?
                .collect()
        };
        if addrs.is_empty() {
            return Err(FetchError::Dns {
                host,
                reason: "no addresses".into(),
            });
        }
        for a in &addrs {
            if let Some(kind) = internal_kind(a.ip()) {
                return Err(FetchError::Policy(format!(
                    "refusing to fetch {host}:{port}: it resolves to {}, a {kind} address; \
                     map it with a resolver override (fetch.resolve or --resolve \
                     {host}:{port}:{}) if you mean to crawl it",
                    a.ip(),
                    a.ip()
                )));
            }
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_resolve;

    #[tokio::test]
    async fn internal_addresses_need_an_override() {
        let r = Resolver::default();
        for host in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.1.1",
            "[::1]",
            "[fd00::1]",
            "0.0.0.0",
        ] {
            let err = r.resolve(host, 80).await.unwrap_err();
            assert!(matches!(err, FetchError::Policy(_)), "{host}: {err}");
        }
        for public in ["93.184.215.14", "[2606:4700::1]", "[64:ff9b::5db8:d70e]"] {
            assert!(
                r.resolve(public, 80).await.is_ok(),
                "{public} is a public address"
            );
        }
        let r = Resolver::new(vec![parse_resolve("site.test:80:127.0.0.1").unwrap()]);
        assert_eq!(
            r.resolve("site.test", 80).await.unwrap(),
            vec!["127.0.0.1:80".parse().unwrap()]
        );
        // Overrides are per port, like curl's.
        assert!(r.resolve("site.test", 81).await.is_err());
    }

    #[tokio::test]
    async fn onion_names_are_refused_before_any_lookup() {
        let r = Resolver::new(vec![parse_resolve("x.onion:80:127.0.0.1").unwrap()]);
        let err = r.resolve("x.onion", 80).await.unwrap_err();
        assert!(err.to_string().contains("Tor"), "{err}");
    }
}
