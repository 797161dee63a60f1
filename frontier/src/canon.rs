//! URL canonical form and SURT keys.
//!
//! Why this module exists: the crawler sees the same resource spelled many
//! ways (`HTTP://Example.COM:80/a/../b#top`, `http://example.com/b`, ...).
//! The frontier must collapse those spellings to one *fetchable* URL so it
//! neither fetches a page twice nor misses a duplicate, and the WARC/CDXJ
//! index must key every capture by the exact SURT string that replay tools
//! (pywb, cdxj-indexer, both built on the Python `surt` package) compute for
//! a lookup, or archived pages cannot be found again.
//!
//! Two different normal forms are therefore produced:
//!
//! * [`canonicalize`] keeps the URL fetchable: it only applies changes that
//!   are semantics-preserving for HTTP servers (RFC 3986 §6.2.2 plus dropping
//!   the fragment). Query parameter order and path case are left alone.
//! * [`surt`] produces the lossy, sort-friendly index key, reproducing the
//!   Python `surt` package's default output (lower-casing, `www` stripping,
//!   query reordering, session-id stripping, ...). It is never fetched.
//!
//! Parsing, IDNA, dot-segment removal and default-port removal are done by
//! the `url` crate (WHATWG URL Standard). Only what that crate does not do is
//! written by hand here, each time with a comment saying why.

use std::sync::LazyLock;

use regex::Regex;
use url::{Host, Url};

/// Why a string could not be turned into a canonical crawlable URL.
#[derive(Debug, thiserror::Error)]
pub enum CanonError {
    /// The `url` crate rejected the input (or a relative reference).
    #[error("cannot parse URL '{input}': {reason}")]
    Parse {
        /// The string as given (trimmed), so the message shows what was refused.
        input: String,
        /// The `url` crate's explanation.
        reason: String,
    },
    /// Parsed fine, but the scheme is not one the crawler fetches.
    #[error("unsupported scheme '{0}' (only http and https are crawled)")]
    Scheme(String),
    /// The URL has no (or an empty) host, so there is nothing to fetch from.
    #[error("URL has no host")]
    NoHost,
}

/// Parses `input` and returns its canonical, still fetchable form.
///
/// Rules (see the module docs for why):
/// * surrounding whitespace is trimmed; the input must be an absolute URL
///   (no `http://` is guessed for `example.com`);
/// * via the `url` crate: scheme and host lower-cased, IDNA hosts converted
///   to punycode, IPv4 numbers normalised, default port dropped, `.`/`..`
///   path segments resolved, an empty path becomes `/`;
/// * only `http` and `https` are accepted;
/// * the fragment is removed, a trailing dot on the host is removed;
/// * in path and query, percent-escapes of unreserved characters
///   (`A-Z a-z 0-9 - . _ ~`) are decoded and all other escapes get upper-case
///   hex digits (`%7e` → `~`, `%2f` → `%2F`);
/// * a `?` followed by an empty query is dropped.
///
/// Query parameters are *not* reordered: servers may depend on their order.
/// User info (`user:pass@`) is kept as given.
pub fn canonicalize(input: &str) -> Result<Url, CanonError> {
    let trimmed = input.trim();
    let url = Url::parse(trimmed).map_err(|e| CanonError::Parse {
        input: trimmed.to_string(),
        reason: e.to_string(),
    })?;
    canonicalize_url(&url)
}

/// Same as [`canonicalize`] for an already parsed URL.
pub fn canonicalize_url(url: &Url) -> Result<Url, CanonError> {
    let mut url = url.clone();
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(CanonError::Scheme(other.to_string())),
    }

    // `url` keeps a trailing dot on a domain ("example.com." is a distinct
    // host string per WHATWG), but for crawling it is the same host.
    let trimmed_domain = match url.host() {
        None => return Err(CanonError::NoHost),
        Some(Host::Domain(d)) if d.ends_with('.') => Some(d.trim_end_matches('.').to_string()),
        Some(Host::Domain("")) => return Err(CanonError::NoHost),
        Some(_) => None,
    };
    if let Some(domain) = trimmed_domain {
        if domain.is_empty() {
            return Err(CanonError::NoHost);
        }
        url.set_host(Some(&domain)).map_err(|e| CanonError::Parse {
            input: url.to_string(),
            reason: e.to_string(),
        })?;
    }

    url.set_fragment(None);

    // `url` never decodes or re-cases existing percent-escapes, and the
    // `percent-encoding` crate it uses only offers all-or-nothing decoding,
    // so the selective RFC 3986 §6.2.2.2 normalisation is done by hand.
    let path = normalize_escapes(url.path());
    if path.is_empty() {
        url.set_path("/");
    } else if path != url.path() {
        url.set_path(&path);
    }
    match url.query() {
        Some("") => url.set_query(None),
        Some(q) => {
            let query = normalize_escapes(q);
            if query != q {
                url.set_query(Some(&query));
            }
        }
        None => {}
    }
    Ok(url)
}

/// Resolves `href` (as found in a page) against `base`, then canonicalizes.
pub fn resolve(base: &Url, href: &str) -> Result<Url, CanonError> {
    let href = href.trim();
    let url = base.join(href).map_err(|e| CanonError::Parse {
        input: href.to_string(),
        reason: e.to_string(),
    })?;
    canonicalize_url(&url)
}

/// RFC 3986 unreserved characters: ALPHA / DIGIT / "-" / "." / "_" / "~".
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b).to_digit(16).map(|d| d as u8)
}

/// Decodes the byte encoded by the two hex digits at the start of `s`.
fn decode_pair(s: &[u8]) -> Option<u8> {
    match s {
        [h, l, ..] => Some(hex_value(*h)? << 4 | hex_value(*l)?),
        _ => None,
    }
}

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether appending `b` to `out` would turn a stray `%` already there into
/// a valid escape (`%` + `%41` + `e` decoding to `%Ae`). Such an escape stays
/// encoded: decoding it would change what the server receives and would make
/// canonicalization non-idempotent.
fn completes_escape(out: &str, b: u8) -> bool {
    if !b.is_ascii_hexdigit() {
        return false;
    }
    let tail = out.as_bytes();
    match tail {
        [.., b'%'] => true,
        [.., b'%', h] => h.is_ascii_hexdigit(),
        _ => false,
    }
}

/// Decodes escapes of unreserved characters and upper-cases the hex digits
/// of every other valid escape. Invalid escapes (`%zz`, a lone `%`) are left
/// untouched, as the `url` crate does.
fn normalize_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        match decode_pair(after.as_bytes()) {
            Some(b) => {
                if is_unreserved(b) && !completes_escape(&out, b) {
                    out.push(char::from(b));
                } else {
                    out.push('%');
                    out.push(char::from(UPPER_HEX[usize::from(b >> 4)]));
                    out.push(char::from(UPPER_HEX[usize::from(b & 0xF)]));
                }
                // The two hex digits are ASCII, so this is a char boundary.
                rest = &after[2..];
            }
            None => {
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------
// SURT
//
// There is no maintained SURT crate, and the key has to be byte-identical to
// what the Python `surt` package (0.3.1) produces with its defaults, which is
// `DefaultIAURLCanonicalizer` (= GoogleURLCanonicalizer, then
// IAURLCanonicalizer) followed by `geturl(surt=True, with_scheme=False)`.
// The functions below are a port of exactly those steps; each names the
// Python function it mirrors. Steps that cannot change a URL the `url` crate
// has already parsed (whitespace/`\t\r\n` stripping, doubled `http://`
// prefixes, guessing a scheme, numeric-IPv4 forms, which WHATWG parsing has
// already turned into dotted quads) are omitted.
// ---------------------------------------------------------------------------

/// SURT key of `url`, byte-identical to Python `surt.surt(url.as_str())`
/// with default options (as pywb and cdxj-indexer use it).
///
/// What that means (checked against surt 0.3.1, see the unit tests):
/// * the scheme is dropped, user info is dropped;
/// * host labels are reversed and joined with `,`; a leading `www.`,
///   `www1.`, `www42.`... (regex `www\d*\.`) is stripped first;
/// * IP addresses are **reversed too**: `surt` defaults to
///   `reverse_ipaddr=True`, so `http://127.0.0.1:8080/x` gives
///   `1,0,0,127:8080)/x`; IPv6 hosts appear unbracketed (`::1:8080)/x`);
/// * a non-default port follows the host as `:8080`, then `)`;
/// * path and query are percent-decoded repeatedly, then only bytes outside
///   printable ASCII, `#` and `%` are re-escaped (so `%2F` becomes `/`,
///   `%3F` becomes `?`, `%20` stays), `.`/`..` and empty segments are
///   collapsed, everything is lower-cased (escapes included: `%c3%a9`);
/// * a trailing `/` is removed unless the path is just `/`;
/// * session ids (`jsessionid=`, `phpsessid=`, `sid=` + 32 alphanumerics,
///   `ASPSESSIONIDxxxxxxxx=`, `cfid=..&cftoken=..`, ASP.NET `(S(...))` path
///   ids) are removed;
/// * query parameters are sorted by `(key, value)` pairs of bytes, not by the
///   whole `k=v` string: `?a-b=1&a=2` gives `?a=2&a-b=1`; an empty query
///   (`?`) is dropped.
pub fn surt(url: &Url) -> String {
    let host = surt_host(url);
    let path = surt_path(url.path());
    let query = url.query().and_then(surt_query);

    let mut key = String::with_capacity(url.as_str().len());
    if host.is_empty() {
        // handyurl.geturl_bytes: without a host the scheme is kept.
        key.push_str(url.scheme());
        key.push(':');
    } else {
        key.push_str(&host_to_surt(&host));
        // Python keeps the port only if it is truthy (`o.port or None`), and
        // `url` already omits the scheme's default port.
        if let Some(port) = url.port().filter(|&p| p != 0) {
            key.push(':');
            key.push_str(&port.to_string());
        }
        key.push(')');
    }
    if !path.is_empty() {
        key.push_str(&path);
    } else if query.is_some() {
        key.push('/');
    }
    if let Some(q) = query {
        key.push('?');
        key.push_str(&q);
    }
    key
}

/// Host as GoogleURLCanonicalizer + IAURLCanonicalizer leave it.
fn surt_host(url: &Url) -> String {
    // urllib's `hostname` drops the brackets of IPv6 literals; `url` formats
    // IPv4/IPv6 exactly as Python's inet_ntoa / urllib would show them.
    let host = match url.host() {
        Some(Host::Domain(d)) => d.to_string(),
        Some(Host::Ipv4(a)) => a.to_string(),
        Some(Host::Ipv6(a)) => a.to_string(),
        None => String::new(),
    };
    // GoogleURLCanonicalizer: `host.replace(b'..', b'.').strip(b'.')`
    // (str::replace is the same single non-overlapping pass), then lower().
    // Unescaping and IDNA are no-ops: `url` hosts are ASCII without `%`.
    let host = host.replace("..", ".");
    let host = host.trim_matches('.').to_ascii_lowercase();
    // IAURLCanonicalizer.massageHost: strip a leading `www\d*\.`.
    static WWW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^www[0-9]*\.").expect("valid"));
    match WWW.find(&host) {
        Some(m) => host[m.end()..].to_string(),
        None => host,
    }
}

/// URLRegexTransformer.hostToSURT with reverse_ipaddr=True (the default).
fn host_to_surt(host: &str) -> String {
    host.split('.').rev().collect::<Vec<_>>().join(",")
}

/// Path as GoogleURLCanonicalizer + IAURLCanonicalizer leave it.
fn surt_path(path: &str) -> String {
    let path = normalize_path(&unescape_repeatedly(path.as_bytes()));
    let path = escape_once(&path).to_ascii_lowercase();
    let mut path = strip_path_session_id(path);
    // path_strip_trailing_slash_unless_empty
    if path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    path
}

/// Query as GoogleURLCanonicalizer + IAURLCanonicalizer leave it; `None`
/// when it ends up empty (query_strip_empty).
fn surt_query(query: &str) -> Option<String> {
    if query.is_empty() {
        return None;
    }
    // GoogleURLCanonicalizer.minimalEscape
    let query = escape_once(&unescape_repeatedly(query.as_bytes()));
    let query = strip_query_session_id(query).to_ascii_lowercase();
    let query = alpha_reorder_query(&query);
    (!query.is_empty()).then_some(query)
}

/// GoogleURLCanonicalizer.unescapeRepeatedly: apply Python's
/// `unquote_to_bytes` (decode every `%XX` with two hex digits, keep anything
/// else literally) until nothing changes.
fn unescape_repeatedly(input: &[u8]) -> Vec<u8> {
    let mut current = input.to_vec();
    loop {
        let mut out = Vec::with_capacity(current.len());
        let mut i = 0;
        while i < current.len() {
            if current[i] == b'%' {
                if let Some(b) = decode_pair(&current[i + 1..]) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(current[i]);
            i += 1;
        }
        if out == current {
            return out;
        }
        current = out;
    }
}

/// GoogleURLCanonicalizer.escapeOnce: Python `quote_from_bytes` with
/// safe=`!"$&'()*+,-./:;<=>?@[\]^_`{|}~`, i.e. everything printable except
/// `#` and `%` stays, the rest becomes `%XX` (upper-case hex).
fn escape_once(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len());
    for &b in input {
        if b <= b' ' || b >= 0x7F || b == b'#' || b == b'%' {
            out.push('%');
            out.push(char::from(UPPER_HEX[usize::from(b >> 4)]));
            out.push(char::from(UPPER_HEX[usize::from(b & 0xF)]));
        } else {
            out.push(char::from(b));
        }
    }
    out
}

/// GoogleURLCanonicalizer.normalizePath: resolve `.`/`..`, drop empty
/// segments except a trailing one; a `..` above the root is kept.
fn normalize_path(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b"/".to_vec();
    }
    let mut kept: Vec<&[u8]> = Vec::new();
    for segment in path.split(|&b| b == b'/').skip(1) {
        match segment {
            b"." => {}
            b".." => {
                if kept.pop().is_none() {
                    kept.push(segment);
                }
            }
            _ => kept.push(segment),
        }
    }
    let mut out = b"/".to_vec();
    if let Some((last, init)) = kept.split_last() {
        for segment in init.iter().filter(|s| !s.is_empty()) {
            out.extend_from_slice(segment);
            out.push(b'/');
        }
        out.extend_from_slice(last);
    }
    out
}

/// URLRegexTransformer.stripPathSessionID (ASP.NET cookieless session ids).
fn strip_path_session_id(mut path: String) -> String {
    static PATTERNS: LazyLock<[Regex; 2]> = LazyLock::new(|| {
        [
            r"(?i)^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^\?]+\.aspx.*)$",
            r"(?i)^(.*/)(\([0-9a-z]{24}\)/)([^\?]+\.aspx.*)$",
        ]
        .map(|p| Regex::new(p).expect("valid session-id regex"))
    });
    for re in PATTERNS.iter() {
        if let Some(c) = re.captures(&path) {
            path = format!("{}{}", &c[1], &c[3]);
        }
    }
    path
}

/// URLRegexTransformer.stripQuerySessionID.
fn strip_query_session_id(mut query: String) -> String {
    static PATTERNS: LazyLock<[Regex; 5]> = LazyLock::new(|| {
        [
            r"(?i)^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$",
            r"(?i)^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$",
            r"(?i)^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$",
            r"(?i)^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$",
            r"(?i)^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$",
        ]
        .map(|p| Regex::new(p).expect("valid session-id regex"))
    });
    for re in PATTERNS.iter() {
        if let Some(c) = re.captures(&query) {
            // Python: `group(1) + group(2)` only if group 2 is non-empty.
            query = match c.get(2).map(|m| m.as_str()).filter(|s| !s.is_empty()) {
                Some(rest) => format!("{}{}", &c[1], rest),
                None => c[1].to_string(),
            };
        }
    }
    query
}

/// IAURLCanonicalizer.alphaReorderQuery: sort the `&`-separated arguments as
/// Python sorts the tuples `arg.split(b'=', 1)`, i.e. by key bytes, then a
/// value-less `k` before any `k=v`, then by value bytes.
fn alpha_reorder_query(query: &str) -> String {
    if query.len() <= 1 {
        return query.to_string();
    }
    let mut args: Vec<(&str, Option<&str>)> = query
        .split('&')
        .map(|arg| match arg.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (arg, None),
        })
        .collect();
    // `str` orders by bytes and `None < Some(_)`, exactly like the tuples.
    args.sort();
    args.iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => (*k).to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonicalize(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .to_string()
    }

    fn surt_of(s: &str) -> String {
        surt(&canonicalize(s).unwrap_or_else(|e| panic!("{s}: {e}")))
    }

    #[test]
    fn case_default_port_dot_segments_and_fragment() {
        assert_eq!(
            canon("HTTP://EXAMPLE.COM:80/a/../b/./c#frag"),
            "http://example.com/b/c"
        );
        assert_eq!(canon("https://example.com:443/"), "https://example.com/");
        assert_eq!(
            canon("https://example.com:8443/"),
            "https://example.com:8443/"
        );
    }

    #[test]
    fn trims_whitespace_and_adds_root_path() {
        assert_eq!(canon("  http://example.com \n"), "http://example.com/");
    }

    #[test]
    fn idna_host_becomes_punycode() {
        assert_eq!(
            canon("http://bücher.example/"),
            "http://xn--bcher-kva.example/"
        );
        assert_eq!(
            canon("http://BÜCHER.example/"),
            "http://xn--bcher-kva.example/"
        );
    }

    #[test]
    fn host_trailing_dot_removed() {
        assert_eq!(canon("http://example.com./a"), "http://example.com/a");
        assert_eq!(
            canon("http://example.com.:8080/"),
            "http://example.com:8080/"
        );
    }

    #[test]
    fn unreserved_escapes_decoded_others_uppercased() {
        assert_eq!(
            canon("http://example.com/%7euser"),
            "http://example.com/~user"
        );
        assert_eq!(
            canon("http://example.com/a%2fb"),
            "http://example.com/a%2Fb"
        );
        assert_eq!(
            canon("http://example.com/%41%2d%2E%5f%7E%30"),
            "http://example.com/A-._~0"
        );
        assert_eq!(
            canon("http://example.com/p?q=%7e%2f%c3%a9&r=%41"),
            "http://example.com/p?q=~%2F%C3%A9&r=A"
        );
        // Invalid escapes are left alone.
        assert_eq!(canon("http://example.com/%zz%"), "http://example.com/%zz%");
        // Decoding must not turn a stray `%` into a new escape.
        assert_eq!(
            canon("http://example.com/%%41e%4%31?%%6a"),
            "http://example.com/%%41e%4%31?%j"
        );
        assert_eq!(canon("http://example.com/%%7e"), "http://example.com/%~");
    }

    #[test]
    fn empty_query_dropped_but_order_kept() {
        assert_eq!(canon("http://example.com/a?"), "http://example.com/a");
        assert_eq!(canon("http://example.com/a?#x"), "http://example.com/a");
        assert_eq!(
            canon("http://example.com/?b=2&a=1"),
            "http://example.com/?b=2&a=1"
        );
    }

    #[test]
    fn canonical_form_is_idempotent() {
        for s in [
            "HTTP://EXAMPLE.COM:80/a/../b/./c#frag",
            "http://bücher.example./%7e?q=%2f",
            "http://example.com/a b?c d",
            "http://example.com/!%7e27(%3ü%%250%6%4191?1=%e%41+7%>%7e",
        ] {
            let once = canonicalize(s).unwrap();
            let twice = canonicalize_url(&once).unwrap();
            assert_eq!(once, twice);
        }
    }

    #[test]
    fn errors_are_clear() {
        let e = canonicalize("ftp://example.com/").unwrap_err();
        assert!(matches!(e, CanonError::Scheme(ref s) if s == "ftp"));
        assert_eq!(
            e.to_string(),
            "unsupported scheme 'ftp' (only http and https are crawled)"
        );

        let e = canonicalize("example.com/x").unwrap_err();
        assert!(matches!(e, CanonError::Parse { ref input, .. } if input == "example.com/x"));
        assert!(e
            .to_string()
            .starts_with("cannot parse URL 'example.com/x': "));

        assert!(matches!(
            canonicalize("http://exa mple.com/"),
            Err(CanonError::Parse { .. })
        ));
        assert!(matches!(
            canonicalize("mailto:a@example.com"),
            Err(CanonError::Scheme(_))
        ));
        assert_eq!(CanonError::NoHost.to_string(), "URL has no host");
        // A host made only of dots is empty once the trailing dot goes.
        assert!(matches!(canonicalize("http://./"), Err(CanonError::NoHost)));
        assert!(matches!(
            canonicalize("http://../x"),
            Err(CanonError::NoHost)
        ));
    }

    #[test]
    fn resolve_joins_then_canonicalizes() {
        let base = canonicalize("http://example.com/dir/page.html").unwrap();
        assert_eq!(
            resolve(&base, "../Other/%7eX?#f").unwrap().as_str(),
            "http://example.com/Other/~X"
        );
        assert_eq!(
            resolve(&base, " //EXAMPLE.org:80/ ").unwrap().as_str(),
            "http://example.org/"
        );
        assert_eq!(
            resolve(&base, "https://b.example/x#y").unwrap().as_str(),
            "https://b.example/x"
        );
        assert!(matches!(
            resolve(&base, "javascript:void(0)"),
            Err(CanonError::Scheme(_))
        ));
        assert!(matches!(
            resolve(&base, "http://[::1"),
            Err(CanonError::Parse { .. })
        ));
    }

    /// Expected values produced by Python `surt.surt(canonical_url)` from
    /// surt 0.3.1 (`pip install surt`), for the canonical form of each input.
    #[test]
    fn surt_matches_python_surt() {
        let cases = [
            // (input, python surt of canonicalize(input))
            (
                "http://www.Example.com/Path/A?b=2&a=1",
                "com,example)/path/a?a=1&b=2",
            ),
            ("https://example.com/", "com,example)/"),
            ("http://127.0.0.1:8080/x", "1,0,0,127:8080)/x"),
            ("http://[::1]:8080/x", "::1:8080)/x"),
            ("http://www1.example.com/a/", "com,example)/a"),
            ("http://www.example.com", "com,example)/"),
            ("http://wwwexample.com/", "com,wwwexample)/"),
            ("http://example.com/?a-b=1&a=2", "com,example)/?a=2&a-b=1"),
            ("http://example.com/?b&a=1&a&a=", "com,example)/?a&a=&a=1&b"),
            (
                "http://example.com/a%2Fb%7e?x=%2F%41",
                "com,example)/a/b~?x=/a",
            ),
            ("http://example.com/a%20b", "com,example)/a%20b"),
            (
                "http://example.com/?jsessionid=0123456789abcdef0123456789ABCDEF&x=1",
                "com,example)/?x=1",
            ),
            ("http://example.com/%252e%252e/x", "com,example)/../x"),
            ("http://example.com/a/%3Fb", "com,example)/a/?b"),
            (
                "http://example.com/caf%C3%A9?q=%C3%A9",
                "com,example)/caf%c3%a9?q=%c3%a9",
            ),
            ("http://example.com/?", "com,example)/"),
            ("http://www2.example.com/a//b/../c/", "com,example)/a/c"),
            (
                "http://WWW.EXAMPLE.COM/INDEX.HTML?B=1&A=2",
                "com,example)/index.html?a=2&b=1",
            ),
            ("http://www123.example.com/", "com,example)/"),
            ("http://www.www.example.com/", "com,example,www)/"),
            ("http://www.com/", "com)/"),
            ("http://a..b.example/", "example,b,a)/"),
            ("http://0x7f.1/x", "1,0,0,127)/x"),
            ("http://[2001:DB8::1]:8080/?b&a", "2001:db8::1:8080)/?a&b"),
            (
                "http://user:pass@example.com:8080/x?y",
                "com,example:8080)/x?y",
            ),
            ("https://example.com:80/a", "com,example:80)/a"),
            ("http://example.com:0/", "com,example)/"),
            (
                "http://bücher.example/straße?ü=ö",
                "example,xn--bcher-kva)/stra%c3%9fe?%c3%bc=%c3%b6",
            ),
            (
                "http://example.com/a/(S(abcdefghijklmnopqrstuvwx))/page.aspx?x",
                "com,example)/a/page.aspx?x",
            ),
            (
                "http://example.com/a/(abcdefghijklmnopqrstuvwx)/Page.ASPX",
                "com,example)/a/page.aspx",
            ),
            (
                "http://example.com/?a=1&sid=0123456789abcdef0123456789ABCDEF&b=2",
                "com,example)/?a=1&b=2",
            ),
            (
                "http://example.com/?q=1&jsessionid=0123456789abcdef0123456789ABCDEF&",
                "com,example)/?&q=1",
            ),
            (
                "http://example.com/?ASPSESSIONIDabcdefgh=abcdefghijklmnopqrstuvwx&z=1",
                "com,example)/?z=1",
            ),
            (
                "http://example.com/?cfid=123&cftoken=456&q=1",
                "com,example)/?q=1",
            ),
            ("http://example.com/%25%32%35", "com,example)/%25"),
            ("http://example.com/a%23b?c%23d", "com,example)/a%23b?c%23d"),
            (
                "http://example.com/%00%01%7f%80%ff",
                "com,example)/%00%01%7f%80%ff",
            ),
            ("http://example.com/?%26=%3D", "com,example)/?&=="),
            ("http://example.com/?=&=x&&a", "com,example)/?&=&=x&a"),
            ("http://example.com/?a=b=c&a=b", "com,example)/?a=b&a=b=c"),
            (
                "http://example.com/?b=%zz&a=%",
                "com,example)/?a=%25&b=%25zz",
            ),
            ("http://example.com/a%2Fb%2F/", "com,example)/a/b"),
            ("http://example.com//", "com,example)/"),
        ];
        for (input, expected) in cases {
            assert_eq!(surt_of(input), expected, "surt of {input}");
        }
    }

    #[test]
    fn surt_of_idna_host_uses_punycode() {
        assert_eq!(
            surt_of("http://www.bücher.example/"),
            "example,xn--bcher-kva)/"
        );
    }

    #[test]
    fn python_helpers_behave_like_python() {
        assert_eq!(unescape_repeatedly(b"%2541%%41%4"), b"A%A%4".to_vec());
        assert_eq!(escape_once(b"a b#%\x7f\xc3/?~"), "a%20b%23%25%7F%C3/?~");
        assert_eq!(normalize_path(b"/a//b/./c/../d/"), b"/a/b/d/".to_vec());
        assert_eq!(normalize_path(b"/../a"), b"/../a".to_vec());
        assert_eq!(normalize_path(b""), b"/".to_vec());
        assert_eq!(alpha_reorder_query("b=1&a"), "a&b=1");
        assert_eq!(alpha_reorder_query("x"), "x");
    }
}
