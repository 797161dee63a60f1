//! What a seed is allowed to reach, and guards against crawler traps.
//!
//! Why this module exists: without a scope a crawl started from one site
//! follows links across the whole web, and without trap guards a single site
//! can keep it busy forever with endlessly generated URLs (calendars,
//! `/a/a/a/...` relative-link loops, ever-growing query strings). Every
//! discovered link passes [`Scope::contains`] and [`TrapGuard::check`]
//! before it enters the frontier.
//!
//! Both expect URLs that went through `crate::canon::canonicalize` (lower-case
//! host, no fragment, normalised escapes); neither canonicalizes by itself,
//! so seed and candidate must be in the same form.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use regex::Regex;
use serde::{Deserialize, Serialize};
use url::Url;

/// How far from its seed a crawl may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    /// The seed's host only (any scheme, any port).
    Host,
    /// The seed's host without a leading `www.`, and all its subdomains.
    Domain,
    /// URLs whose text starts with the seed URL's text.
    Prefix,
}

impl ScopeKind {
    /// The word used in seed files.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Host => "host",
            ScopeKind::Domain => "domain",
            ScopeKind::Prefix => "prefix",
        }
    }
}

impl fmt::Display for ScopeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ScopeKind {
    type Err = ScopeError;

    /// Parses the CLI spelling: `host`, `domain` or `prefix` (any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "host" => Ok(ScopeKind::Host),
            "domain" => Ok(ScopeKind::Domain),
            "prefix" => Ok(ScopeKind::Prefix),
            _ => Err(ScopeError::UnknownKind(s.to_string())),
        }
    }
}

/// Why a scope could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    /// A scope kind that is not `host`, `domain` or `prefix` (the word as given).
    #[error("unknown scope kind '{0}' (expected host, domain or prefix)")]
    UnknownKind(String),
    /// An include pattern is not a valid regular expression.
    #[error("invalid include pattern '{pattern}': {source}")]
    BadInclude {
        /// The pattern as given, so the operator can find it in the seed file.
        pattern: String,
        /// What the `regex` crate found wrong with it.
        #[source]
        source: regex::Error,
    },
    /// An exclude pattern is not a valid regular expression.
    #[error("invalid exclude pattern '{pattern}': {source}")]
    BadExclude {
        /// The pattern as given, so the operator can find it in the seed file.
        pattern: String,
        /// What the `regex` crate found wrong with it.
        #[source]
        source: regex::Error,
    },
}

/// The set of URLs a seed may reach.
#[derive(Clone, Debug)]
pub struct Scope {
    kind: ScopeKind,
    seed: Url,
    /// `Domain` scope: the seed host without a leading `www.`.
    domain: String,
    include: Vec<Regex>,
    exclude: Vec<Regex>,
}

impl Scope {
    /// Builds the scope of `seed`. `include` and `exclude` are regular
    /// expressions (`regex` crate syntax, unanchored: use `^`/`$` as
    /// needed) matched against the whole URL string.
    pub fn new(
        kind: ScopeKind,
        seed: &Url,
        include: &[String],
        exclude: &[String],
    ) -> Result<Scope, ScopeError> {
        let include = include
            .iter()
            .map(|p| {
                Regex::new(p).map_err(|source| ScopeError::BadInclude {
                    pattern: p.clone(),
                    source,
                })
            })
            .collect::<Result<_, _>>()?;
        let exclude = exclude
            .iter()
            .map(|p| {
                Regex::new(p).map_err(|source| ScopeError::BadExclude {
                    pattern: p.clone(),
                    source,
                })
            })
            .collect::<Result<_, _>>()?;
        let host = seed.host_str().unwrap_or_default();
        let domain = host.strip_prefix("www.").unwrap_or(host).to_string();
        Ok(Scope {
            kind,
            seed: seed.clone(),
            domain,
            include,
            exclude,
        })
    }

    /// How far the scope reaches.
    pub fn kind(&self) -> ScopeKind {
        self.kind
    }

    /// The seed URL the scope is measured from.
    pub fn seed(&self) -> &Url {
        &self.seed
    }

    /// Whether `url` is in scope.
    ///
    /// Only `http`/`https` URLs can be in scope. Then, by kind:
    /// * `Host`: same host as the seed; scheme and port are ignored, so
    ///   `http://` and `https://` of one host are both in scope;
    /// * `Domain`: the host equals the seed host minus a leading `www.`, or
    ///   ends with `.` + it (`www.example.com` → `example.com`,
    ///   `a.b.example.com`);
    /// * `Prefix`: the URL string starts with the seed URL string (scheme,
    ///   port and all).
    ///
    /// Then, if include patterns were given, one must match; no exclude
    /// pattern may match.
    pub fn contains(&self, url: &Url) -> bool {
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        let Some(host) = url.host_str() else {
            return false;
        };
        let in_kind = match self.kind {
            ScopeKind::Host => Some(host) == self.seed.host_str(),
            ScopeKind::Domain => {
                !self.domain.is_empty()
                    && (host == self.domain
                        || host
                            .strip_suffix(self.domain.as_str())
                            .is_some_and(|sub| sub.ends_with('.')))
            }
            ScopeKind::Prefix => url.as_str().starts_with(self.seed.as_str()),
        };
        let s = url.as_str();
        in_kind
            && (self.include.is_empty() || self.include.iter().any(|re| re.is_match(s)))
            && !self.exclude.iter().any(|re| re.is_match(s))
    }
}

/// Limits that catch URLs generated without end by a site.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct TrapGuard {
    /// Longest URL (serialized, so ASCII: bytes = characters).
    pub max_url_length: usize,
    /// Most path segments; a trailing `/` adds none, but empty segments
    /// inside the path (`//`) count, since slash loops are a classic trap.
    pub max_path_depth: usize,
    /// Most non-empty `&`-separated query parameters.
    pub max_query_params: usize,
    /// Most times one non-empty path segment may appear anywhere in a path.
    pub max_repeated_segments: usize,
    /// Link farms: a host whose last `novelty_window` pages (in one pass of a seed) added
    /// no new text and no new kind of link is stopped for the rest of the pass; 0 turns
    /// this off (see [`crate::novelty`]).
    pub novelty_window: usize,
    /// Most pages one seed fetches from one host in one pass; seeds may set their own.
    /// `None`: no limit but the seed's page budget.
    pub max_fetches_per_host: Option<u64>,
}

impl Default for TrapGuard {
    fn default() -> Self {
        TrapGuard {
            max_url_length: 2048,
            max_path_depth: 32,
            max_query_params: 20,
            max_repeated_segments: 3,
            novelty_window: 100,
            max_fetches_per_host: None,
        }
    }
}

/// Which trap guard a URL tripped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TrapReason {
    /// The URL is longer than [`TrapGuard::max_url_length`].
    #[error("URL longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
        /// The URL's length.
        length: usize,
    },
    /// The path has more segments than [`TrapGuard::max_path_depth`].
    #[error("path deeper than {max} segments")]
    TooDeep {
        /// The limit.
        max: usize,
        /// The path's number of segments.
        depth: usize,
    },
    /// The query has more parameters than [`TrapGuard::max_query_params`].
    #[error("more than {max} query parameters")]
    TooManyQueryParams {
        /// The limit.
        max: usize,
        /// The query's number of parameters.
        count: usize,
    },
    /// One path segment appears more often than [`TrapGuard::max_repeated_segments`], the
    /// mark of a relative-link loop (`/a/b/a/b/...`).
    #[error("path segment '{segment}' repeated more than {max} times")]
    RepeatedSegment {
        /// The segment that repeats.
        segment: String,
        /// The limit.
        max: usize,
        /// How many times it had appeared when the check stopped (one over the limit).
        count: usize,
    },
}

impl TrapGuard {
    /// `Ok` if `url` trips none of the limits, else the first one it trips,
    /// checked in field order.
    pub fn check(&self, url: &Url) -> Result<(), TrapReason> {
        let length = url.as_str().len();
        if length > self.max_url_length {
            return Err(TrapReason::TooLong {
                max: self.max_url_length,
                length,
            });
        }

        let mut segments: Vec<&str> = url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        if segments.last() == Some(&"") {
            segments.pop();
        }
        if segments.len() > self.max_path_depth {
            return Err(TrapReason::TooDeep {
                max: self.max_path_depth,
                depth: segments.len(),
            });
        }

        let count = url
            .query()
            .map_or(0, |q| q.split('&').filter(|p| !p.is_empty()).count());
        if count > self.max_query_params {
            return Err(TrapReason::TooManyQueryParams {
                max: self.max_query_params,
                count,
            });
        }

        let mut seen: HashMap<&str, usize> = HashMap::new();
        for segment in segments.iter().filter(|s| !s.is_empty()) {
            let n = seen.entry(segment).or_default();
            *n += 1;
            if *n > self.max_repeated_segments {
                return Err(TrapReason::RepeatedSegment {
                    segment: (*segment).to_string(),
                    max: self.max_repeated_segments,
                    count: *n,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error as DeError, MapDeserializer};
    use serde::de::IntoDeserializer;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn scope(kind: ScopeKind, seed: &str) -> Scope {
        Scope::new(kind, &url(seed), &[], &[]).unwrap()
    }

    #[test]
    fn scope_kind_from_str() {
        assert_eq!("host".parse::<ScopeKind>().unwrap(), ScopeKind::Host);
        assert_eq!("Domain".parse::<ScopeKind>().unwrap(), ScopeKind::Domain);
        assert_eq!("prefix".parse::<ScopeKind>().unwrap(), ScopeKind::Prefix);
        let e = "site".parse::<ScopeKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown scope kind 'site' (expected host, domain or prefix)"
        );
        assert_eq!(ScopeKind::Domain.to_string(), "domain");
    }

    #[test]
    fn scope_kind_serde_is_lowercase() {
        let kind = ScopeKind::deserialize(IntoDeserializer::<DeError>::into_deserializer("prefix"));
        assert_eq!(kind.unwrap(), ScopeKind::Prefix);
        let bad = ScopeKind::deserialize(IntoDeserializer::<DeError>::into_deserializer("Host"));
        assert!(bad.is_err());
    }

    #[test]
    fn host_scope() {
        let s = scope(ScopeKind::Host, "http://www.example.com/start");
        assert!(s.contains(&url("http://www.example.com/other")));
        assert!(s.contains(&url("https://www.example.com/")));
        assert!(s.contains(&url("http://www.example.com:8080/")));
        assert!(!s.contains(&url("http://example.com/")));
        assert!(!s.contains(&url("http://sub.www.example.com/")));
        assert!(!s.contains(&url("ftp://www.example.com/")));
    }

    #[test]
    fn domain_scope() {
        let s = scope(ScopeKind::Domain, "https://www.example.com/");
        assert!(s.contains(&url("http://example.com/")));
        assert!(s.contains(&url("http://www.example.com/a")));
        assert!(s.contains(&url("https://a.b.example.com/")));
        assert!(!s.contains(&url("http://badexample.com/")));
        assert!(!s.contains(&url("http://example.com.evil.org/")));
        assert!(!s.contains(&url("http://example.org/")));
    }

    #[test]
    fn prefix_scope() {
        let s = scope(ScopeKind::Prefix, "https://example.com/docs/");
        assert!(s.contains(&url("https://example.com/docs/")));
        assert!(s.contains(&url("https://example.com/docs/a/b?x=1")));
        assert!(!s.contains(&url("https://example.com/docs")));
        assert!(!s.contains(&url("http://example.com/docs/a")));
        assert!(!s.contains(&url("https://example.com/blog/")));
    }

    #[test]
    fn include_and_exclude() {
        let s = Scope::new(
            ScopeKind::Domain,
            &url("http://example.com/"),
            &[r"/blog/".to_string(), r"/news/".to_string()],
            &[r"\.pdf$".to_string(), r"[?&]print=".to_string()],
        )
        .unwrap();
        assert!(s.contains(&url("http://example.com/blog/post")));
        assert!(s.contains(&url("http://www.example.com/news/1")));
        assert!(!s.contains(&url("http://example.com/shop/")));
        assert!(!s.contains(&url("http://example.com/blog/a.pdf")));
        assert!(!s.contains(&url("http://example.com/blog/a?x=1&print=1")));
        // Patterns never widen the scope kind.
        assert!(!s.contains(&url("http://other.org/blog/")));
    }

    #[test]
    fn bad_regex_names_the_pattern() {
        let seed = url("http://example.com/");
        let e = Scope::new(ScopeKind::Host, &seed, &["(unclosed".into()], &[]).unwrap_err();
        assert!(matches!(e, ScopeError::BadInclude { ref pattern, .. } if pattern == "(unclosed"));
        assert!(e
            .to_string()
            .starts_with("invalid include pattern '(unclosed': "));
        let e = Scope::new(ScopeKind::Host, &seed, &[], &["a{2,1}".into()]).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("invalid exclude pattern 'a{2,1}': "));
    }

    #[test]
    fn trap_guard_defaults_and_serde_default() {
        let g = TrapGuard::default();
        assert_eq!(
            (
                g.max_url_length,
                g.max_path_depth,
                g.max_query_params,
                g.max_repeated_segments
            ),
            (2048, 32, 20, 3)
        );
        let partial = MapDeserializer::<_, DeError>::new([("max_path_depth", 5usize)].into_iter());
        let g = TrapGuard::deserialize(partial).unwrap();
        assert_eq!(
            g,
            TrapGuard {
                max_path_depth: 5,
                ..TrapGuard::default()
            }
        );
    }

    #[test]
    fn trap_guard_accepts_ordinary_urls() {
        let g = TrapGuard::default();
        assert_eq!(g.check(&url("http://example.com/")), Ok(()));
        assert_eq!(
            g.check(&url("http://example.com/a/b/a/b/a/b/?x=1&y=2")),
            Ok(())
        );
    }

    #[test]
    fn trap_too_long() {
        let g = TrapGuard::default();
        let long = format!("http://example.com/{}", "x".repeat(2048));
        let e = g.check(&url(&long)).unwrap_err();
        assert!(matches!(e, TrapReason::TooLong { max: 2048, .. }));
        assert_eq!(e.to_string(), "URL longer than 2048 characters");
        let exact = format!("http://example.com/{}", "x".repeat(2048 - 19));
        assert_eq!(url(&exact).as_str().len(), 2048);
        assert_eq!(g.check(&url(&exact)), Ok(()));
    }

    #[test]
    fn trap_too_deep() {
        let g = TrapGuard::default();
        let path: String = (0..33).map(|i| format!("/d{i}")).collect();
        let e = g
            .check(&url(&format!("http://example.com{path}")))
            .unwrap_err();
        assert_eq!(e, TrapReason::TooDeep { max: 32, depth: 33 });
        assert_eq!(e.to_string(), "path deeper than 32 segments");
        // 32 segments plus a trailing slash is still fine.
        let path: String = (0..32).map(|i| format!("/d{i}")).collect();
        assert_eq!(g.check(&url(&format!("http://example.com{path}/"))), Ok(()));
        // Empty segments count.
        let slashes = format!("http://example.com/{}x", "/".repeat(40));
        assert!(matches!(
            g.check(&url(&slashes)),
            Err(TrapReason::TooDeep { .. })
        ));
    }

    #[test]
    fn trap_too_many_query_params() {
        let g = TrapGuard::default();
        let q: Vec<String> = (0..21).map(|i| format!("p{i}=1")).collect();
        let e = g
            .check(&url(&format!("http://example.com/?{}", q.join("&"))))
            .unwrap_err();
        assert_eq!(e, TrapReason::TooManyQueryParams { max: 20, count: 21 });
        assert_eq!(e.to_string(), "more than 20 query parameters");
        // Empty pieces (`&&`) are not parameters.
        let q20 = format!("http://example.com/?{}&&&", q[..20].join("&"));
        assert_eq!(g.check(&url(&q20)), Ok(()));
    }

    #[test]
    fn trap_repeated_segments() {
        let g = TrapGuard::default();
        let e = g.check(&url("http://example.com/a/a/a/a/")).unwrap_err();
        assert_eq!(
            e,
            TrapReason::RepeatedSegment {
                segment: "a".into(),
                max: 3,
                count: 4
            }
        );
        assert_eq!(e.to_string(), "path segment 'a' repeated more than 3 times");
        // Not necessarily adjacent.
        assert!(g.check(&url("http://example.com/x/a/y/a/z/a/a")).is_err());
        assert_eq!(g.check(&url("http://example.com/a/a/a/")), Ok(()));
    }

    #[test]
    fn trap_custom_limits() {
        let g = TrapGuard {
            max_url_length: 30,
            max_path_depth: 2,
            max_query_params: 1,
            max_repeated_segments: 1,
            ..TrapGuard::default()
        };
        assert!(matches!(
            g.check(&url("http://example.com/aaaaaaaaaaaaaa")),
            Err(TrapReason::TooLong { max: 30, .. })
        ));
        assert!(matches!(
            g.check(&url("http://e.com/a/b/c")),
            Err(TrapReason::TooDeep { .. })
        ));
        assert!(matches!(
            g.check(&url("http://e.com/?a&b")),
            Err(TrapReason::TooManyQueryParams { .. })
        ));
        assert!(matches!(
            g.check(&url("http://e.com/a/a")),
            Err(TrapReason::RepeatedSegment { .. })
        ));
    }
}
