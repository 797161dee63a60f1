//! Logged-in crawling: a seed's session.
//!
//! Forums and markets show their listings, profiles and threads only to members. A person
//! logs in once in a browser and exports its cookies; the seed's `[seed.session]` names that
//! file and an account label. Every request of the seed then carries the session's cookies
//! from one jar (RFC 6265 matching and expiry, `cookie_store`), cookies the site sets are
//! kept in it, and over Tor the session's requests share one isolation group, so that the
//! site sees one steady visitor.
//!
//! The secrets stay secret: the cookie values the crawler sends and the ones the site sets
//! for the session are replaced in the archived header blocks by the SHA-256 of the value
//! (`[redacted sha256:…]`), so that records show which cookie was sent and that it was the
//! same one each time, never the value; the payload (the page) is archived byte for byte.
//! Each capture's metadata record names the account label and whether the page was served
//! logged in.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context};
use cookie_store::CookieStore;
use frontier::seed::SessionSpec;
use sha2::Digest;
use url::Url;

/// The sessions of the seeds this process crawls, each loaded from its cookies file (again
/// when the file changes), and the ones lost.
#[derive(Default)]
pub struct Sessions {
    jars: Mutex<HashMap<String, Arc<Mutex<CookieStore>>>>,
    lost: Mutex<HashMap<String, Lost>>,
}

/// A session found lost: its seed waits for fresh cookies.
#[derive(Clone, Debug)]
struct Lost {
    seed_id: i64,
    since: String,
    why: String,
    file: std::path::PathBuf,
    /// The cookies file's modification time when the loss was seen: a newer file is fresh
    /// cookies.
    modified: Option<std::time::SystemTime>,
}

fn modified(file: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(file).and_then(|m| m.modified()).ok()
}

/// Whether a page was served to the session's member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// The page shows what members see (or nothing says otherwise).
    LoggedIn,
    /// The page is what a visitor who is not logged in sees; why.
    Lost(String),
}

impl Sessions {
    /// Notes the seed's session as lost (its seed is to pause until the cookies file
    /// changes). Returns whether it was not lost already.
    pub fn mark_lost(&self, seed_id: i64, label: &str, spec: &SessionSpec, why: &str) -> bool {
        let mut lost = self.lost.lock().expect("sessions lock");
        if lost.contains_key(label) {
            return false;
        }
        lost.insert(
            label.to_string(),
            Lost {
                seed_id,
                since: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                why: why.to_string(),
                file: spec.cookies_file.clone(),
                modified: modified(&spec.cookies_file),
            },
        );
        true
    }

    /// Whether the seed `label`'s session is lost (its seed paused).
    pub fn is_lost(&self, label: &str) -> bool {
        self.lost.lock().expect("sessions lock").contains_key(label)
    }

    /// The lost sessions whose cookies file changed since: they are taken as found again
    /// (their jar is read afresh at the next request); returns their seeds' IDs and labels.
    pub fn refreshed(&self) -> Vec<(i64, String)> {
        let mut lost = self.lost.lock().expect("sessions lock");
        let fresh: Vec<String> = lost
            .iter()
            .filter(|(_, l)| modified(&l.file).is_some_and(|m| Some(m) != l.modified))
            .map(|(label, _)| label.clone())
            .collect();
        let mut jars = self.jars.lock().expect("sessions lock");
        fresh
            .into_iter()
            .filter_map(|label| {
                let l = lost.remove(&label)?;
                jars.remove(&label);
                Some((l.seed_id, label))
            })
            .collect()
    }

    /// The lost sessions, for the status: seed label, since when, why, the cookies file.
    pub fn lost(&self) -> Vec<crate::status::LostSession> {
        let mut out: Vec<_> = self
            .lost
            .lock()
            .expect("sessions lock")
            .iter()
            .map(|(label, l)| crate::status::LostSession {
                seed: label.clone(),
                since: l.since.clone(),
                why: l.why.clone(),
                cookies_file: l.file.display().to_string(),
            })
            .collect();
        out.sort_by(|a, b| a.seed.cmp(&b.seed));
        out
    }

    /// The jar of the seed `label`'s session, read from its cookies file the first time.
    fn jar(&self, label: &str, spec: &SessionSpec) -> anyhow::Result<Arc<Mutex<CookieStore>>> {
        let mut jars = self.jars.lock().expect("sessions lock");
        if let Some(j) = jars.get(label) {
            return Ok(j.clone());
        }
        let jar = Arc::new(Mutex::new(read_cookies(&spec.cookies_file)?));
        jars.insert(label.to_string(), jar.clone());
        Ok(jar)
    }

    /// The `Cookie` header value for `url` in the seed's session (`None`: no cookie
    /// applies).
    pub fn cookie_header(
        &self,
        label: &str,
        spec: &SessionSpec,
        url: &Url,
    ) -> anyhow::Result<Option<String>> {
        let jar = self.jar(label, spec)?;
        let jar = jar.lock().expect("jar lock");
        let pairs: Vec<String> = jar
            .get_request_values(&jar_url(url))
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        Ok((!pairs.is_empty()).then(|| pairs.join("; ")))
    }

    /// Keeps the cookies a response to `url` set (its `Set-Cookie` header values).
    pub fn received(&self, label: &str, spec: &SessionSpec, url: &Url, set_cookies: &[String]) {
        let Ok(jar) = self.jar(label, spec) else {
            return;
        };
        let mut jar = jar.lock().expect("jar lock");
        for c in set_cookies {
            // A cookie the jar refuses (another domain, say) is not kept, as a browser would.
            let _ = jar.parse(c, &jar_url(url));
        }
    }
}

/// Reads a cookies file: Netscape `cookies.txt` (what browser extensions and `curl -c`
/// write), or JSON (a list of objects: `name`, `value`, `domain`, `path`, `secure`,
/// `hostOnly` or `includeSubdomains`, `expirationDate` or `expires` in Unix seconds).
pub fn read_cookies(path: &Path) -> anyhow::Result<CookieStore> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the session's cookies file {}", path.display()))?;
    let cookies = if text.trim_start().starts_with('[') {
        from_json(&text)
            .with_context(|| format!("{} is not a JSON list of cookies", path.display()))?
    } else {
        from_netscape(&text)
            .with_context(|| format!("{} is not a Netscape cookies.txt", path.display()))?
    };
    if cookies.is_empty() {
        // Not an error: the seed's pages will show the session lost, and its status says
        // which file to refresh.
        tracing::warn!(file = %path.display(), "the session's cookies have all expired");
    }
    let mut jar = CookieStore::default();
    for c in cookies {
        let url = jar_url(&c.url()?);
        jar.parse(&c.set_cookie(), &url).map_err(|e| {
            anyhow::anyhow!(
                "{}: the cookie '{}' is refused: {e}",
                path.display(),
                c.name
            )
        })?;
    }
    Ok(jar)
}

/// One imported cookie, in the terms both file forms share.
struct Imported {
    name: String,
    value: String,
    domain: String,
    subdomains: bool,
    path: String,
    secure: bool,
    /// Unix seconds; `None` for a cookie that lasts the browser session.
    expires: Option<i64>,
}

impl Imported {
    /// A URL the cookie may be set from.
    fn url(&self) -> anyhow::Result<Url> {
        let host = self.domain.trim_start_matches('.');
        let scheme = if self.secure { "https" } else { "http" };
        Url::parse(&format!("{scheme}://{host}{}", self.path)).with_context(|| {
            format!(
                "the cookie '{}' has the domain '{}'",
                self.name, self.domain
            )
        })
    }

    /// The cookie as a `Set-Cookie` value (a host-only cookie has no `Domain`).
    fn set_cookie(&self) -> String {
        let mut s = format!("{}={}; Path={}", self.name, self.value, self.path);
        if self.subdomains {
            s.push_str(&format!("; Domain={}", self.domain.trim_start_matches('.')));
        }
        if self.secure {
            s.push_str("; Secure");
        }
        if let Some(t) = self.expires {
            let left = t - chrono::Utc::now().timestamp();
            s.push_str(&format!("; Max-Age={}", left.max(0)));
        }
        s
    }

    fn expired(&self) -> bool {
        self.expires
            .is_some_and(|t| t <= chrono::Utc::now().timestamp())
    }
}

fn from_netscape(text: &str) -> anyhow::Result<Vec<Imported>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        // `#HttpOnly_` marks an HttpOnly cookie; other `#` lines are comments.
        let line = line.strip_prefix("#HttpOnly_").unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 7 {
            bail!("line {}: {} tab-separated fields, not 7", i + 1, f.len());
        }
        let expires: i64 = f[4]
            .trim()
            .parse()
            .with_context(|| format!("line {}: the expiry '{}' is not a number", i + 1, f[4]))?;
        let c = Imported {
            domain: f[0].trim().to_string(),
            subdomains: f[1].trim().eq_ignore_ascii_case("TRUE"),
            path: f[2].trim().to_string(),
            secure: f[3].trim().eq_ignore_ascii_case("TRUE"),
            expires: (expires > 0).then_some(expires),
            name: f[5].to_string(),
            value: f[6].trim_end_matches('\r').to_string(),
        };
        if !c.expired() {
            out.push(c);
        }
    }
    Ok(out)
}

fn from_json(text: &str) -> anyhow::Result<Vec<Imported>> {
    let list: Vec<serde_json::Value> = serde_json::from_str(text)?;
    let mut out = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let s = |k: &str| v[k].as_str().map(str::to_string);
        let name = s("name").with_context(|| format!("cookie {} has no name", i + 1))?;
        let domain = s("domain").with_context(|| format!("the cookie '{name}' has no domain"))?;
        let subdomains = match (v["hostOnly"].as_bool(), v["includeSubdomains"].as_bool()) {
            (Some(host_only), _) => !host_only,
            (None, Some(sub)) => sub,
            (None, None) => domain.starts_with('.'),
        };
        let expires = v["expirationDate"]
            .as_f64()
            .or_else(|| v["expires"].as_f64())
            .map(|t| t as i64);
        let c = Imported {
            value: s("value").unwrap_or_default(),
            path: s("path").unwrap_or_else(|| "/".into()),
            secure: v["secure"].as_bool().unwrap_or(false),
            name,
            domain,
            subdomains,
            expires,
        };
        if !c.expired() {
            out.push(c);
        }
    }
    Ok(out)
}

/// Whether `text` (a page's visible text) was served to the session's member.
pub fn state_of(spec: &SessionSpec, text: &str) -> SessionState {
    if let Some(t) = spec
        .logged_out_text
        .iter()
        .find(|t| text.contains(t.as_str()))
    {
        return SessionState::Lost(format!("the page says \"{t}\""));
    }
    match &spec.logged_in_text {
        Some(t) if !text.contains(t.as_str()) => {
            SessionState::Lost(format!("the page does not say \"{t}\""))
        }
        _ => SessionState::LoggedIn,
    }
}

/// Whether a redirect to `target` sends the session's visitor to the site's login page
/// (same host, and its path; the query, which often carries where to come back to, aside).
pub fn is_login_page(spec: &SessionSpec, target: &Url) -> bool {
    let Some(login) = spec.login_url.as_deref().and_then(|u| Url::parse(u).ok()) else {
        return false;
    };
    login.host_str() == target.host_str()
        && login.path().trim_end_matches('/') == target.path().trim_end_matches('/')
}

/// A session's response as archived: its `Set-Cookie` values (for the jar), and the bytes
/// with every cookie value replaced by its SHA-256 (see [`redact`]). One parse, with the
/// archive's own HTTP reader, which skips interim `1xx` heads as the records do.
pub fn redact_response(raw: &[u8]) -> (Vec<String>, Vec<u8>) {
    match archive::http::HttpMessage::parse_response(raw) {
        Ok(msg) => {
            let set = msg
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
                .map(|(_, v)| v.trim().to_string())
                .collect();
            (set, redact(raw, msg.body_offset))
        }
        // Not a response the reader takes: nothing is kept, and every head-like line up to
        // the first blank line is redacted all the same.
        Err(_) => (Vec::new(), redact(raw, first_blank_line(raw))),
    }
}

/// A request as archived, with its `Cookie` values replaced by their SHA-256.
pub fn redact_request(raw: &[u8]) -> Vec<u8> {
    redact(raw, first_blank_line(raw))
}

/// `raw` with the values of the `Cookie`, `Set-Cookie` and `Set-Cookie2` header lines before
/// `end` (the body's offset) replaced by their SHA-256 (`name=[redacted sha256:…]`); every
/// other byte, the body included, as it was.
fn redact(raw: &[u8], end: usize) -> Vec<u8> {
    let end = end.min(raw.len());
    let mut out = Vec::with_capacity(raw.len());
    for line in raw[..end].split_inclusive(|b| *b == b'\n') {
        let colon = line.iter().position(|b| *b == b':');
        let name = colon.map(|c| line[..c].trim_ascii()).unwrap_or_default();
        let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
        let Some(c) = colon.filter(|_| is("cookie") || is("set-cookie") || is("set-cookie2"))
        else {
            out.extend_from_slice(line);
            continue;
        };
        let body_end = line.len()
            - line
                .iter()
                .rev()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        let value = &line[c + 1..body_end];
        out.extend_from_slice(&line[..=c]);
        out.push(b' ');
        if is("cookie") {
            let pairs: Vec<Vec<u8>> = value
                .split(|b| *b == b';')
                .map(|p| redact_pair(p.trim_ascii()))
                .collect();
            out.extend_from_slice(&pairs.join(&b"; "[..]));
        } else {
            // The first pair is the cookie; its attributes stay as they were.
            let v = value.trim_ascii();
            let semi = v.iter().position(|b| *b == b';').unwrap_or(v.len());
            out.extend_from_slice(&redact_pair(v[..semi].trim_ascii()));
            out.extend_from_slice(&v[semi..]);
        }
        out.extend_from_slice(&line[body_end..]);
    }
    out.extend_from_slice(&raw[end..]);
    out
}

/// Where the first head ends (after its blank line, CRLF or LF), or the whole message.
fn first_blank_line(raw: &[u8]) -> usize {
    let crlf = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = raw.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    [crlf, lf].into_iter().flatten().min().unwrap_or(raw.len())
}

fn redact_pair(pair: &[u8]) -> Vec<u8> {
    match pair.iter().position(|b| *b == b'=') {
        Some(eq) => {
            let mut v = pair[..eq].to_vec();
            v.extend_from_slice(
                format!(
                    "=[redacted sha256:{}]",
                    hex::encode(sha2::Sha256::digest(&pair[eq + 1..]))
                )
                .as_bytes(),
            );
            v
        }
        None => pair.to_vec(),
    }
}

/// The URL a cookie jar matches `url` as: an onion service over plain http is a secure
/// context (its transport is Tor's), so `Secure` cookies apply to it, as in Tor Browser.
pub fn jar_url(url: &Url) -> Url {
    let onion = url.host_str().is_some_and(|h| h.ends_with(".onion"));
    if onion && url.scheme() == "http" {
        let mut u = url.clone();
        if u.set_scheme("https").is_ok() {
            if url.port().is_none() {
                let _ = u.set_port(Some(80));
            }
            return u;
        }
    }
    url.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_file_forms_fill_a_jar_that_matches_by_domain_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let future = chrono::Utc::now().timestamp() + 3600;
        let past = chrono::Utc::now().timestamp() - 3600;
        let txt = dir.path().join("c.txt");
        std::fs::write(
            &txt,
            format!(
                "# Netscape HTTP Cookie File\n.forum.test\tTRUE\t/\tFALSE\t{future}\tsid\tS3CRET\n#HttpOnly_forum.test\tFALSE\t/members\tFALSE\t0\tmember\tM1\nforum.test\tFALSE\t/\tFALSE\t{past}\told\tgone\n"
            ),
        )
        .unwrap();
        let jar = read_cookies(&txt).unwrap();
        let at = |u: &str| {
            let mut v: Vec<String> = jar
                .get_request_values(&Url::parse(u).unwrap())
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            at("http://forum.test/members/1"),
            ["member=M1", "sid=S3CRET"]
        );
        assert_eq!(at("http://www.forum.test/"), ["sid=S3CRET"]);
        assert_eq!(at("http://forum.test/"), ["sid=S3CRET"]);
        assert!(at("http://other.test/").is_empty());
        let json = dir.path().join("c.json");
        std::fs::write(
            &json,
            format!(r#"[{{"name":"sid","value":"J","domain":"forum.test","hostOnly":true,"path":"/","expirationDate":{future}}}]"#),
        )
        .unwrap();
        let jar = read_cookies(&json).unwrap();
        assert_eq!(
            jar.get_request_values(&Url::parse("http://forum.test/x").unwrap())
                .count(),
            1
        );
        assert_eq!(
            jar.get_request_values(&Url::parse("http://www.forum.test/x").unwrap())
                .count(),
            0
        );
        std::fs::write(&txt, "forum.test\tFALSE\t/\n").unwrap();
        assert!(read_cookies(&txt)
            .unwrap_err()
            .to_string()
            .contains("not a Netscape"));
    }

    #[test]
    fn cookie_values_are_redacted_and_the_rest_is_kept() {
        let req = b"GET / HTTP/1.1\r\nHost: f\r\nCookie: sid=S3CRET; lang=en\r\n\r\n";
        let r = String::from_utf8(redact_request(req)).unwrap();
        assert!(!r.contains("S3CRET"), "{r}");
        assert!(r.contains("Cookie: sid=[redacted sha256:"), "{r}");
        assert!(r.starts_with("GET / HTTP/1.1\r\nHost: f\r\n") && r.ends_with("\r\n\r\n"));
        let resp = b"HTTP/1.1 200 OK\r\nSet-Cookie: sid=NEW; Path=/; HttpOnly\r\nContent-Length: 9\r\n\r\nsid=NEW!!";
        let (set, r) = redact_response(resp);
        let r = String::from_utf8(r).unwrap();
        assert!(r.contains("; Path=/; HttpOnly\r\n"), "{r}");
        assert!(
            r.ends_with("\r\n\r\nsid=NEW!!"),
            "the body is as received: {r}"
        );
        assert_eq!(r.matches("NEW").count(), 1, "{r}");
        assert_eq!(set, ["sid=NEW; Path=/; HttpOnly"]);
        // An interim head first; header bytes that are not UTF-8 stay as they were.
        let resp = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nX-Name: \xe9t\xe9\r\nset-cookie: sid=LATE\r\n\r\nbody";
        let (set, r) = redact_response(resp);
        assert!(!r.windows(4).any(|w| w == b"LATE"));
        assert!(r.windows(5).any(|w| w == b"\xe9t\xe9\r\n"));
        assert_eq!(set, ["sid=LATE"]);
        assert!(r.ends_with(b"\r\n\r\nbody"));
    }

    #[test]
    fn an_onion_service_over_http_gets_its_secure_cookies() {
        let onion = "http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz23.onion/x";
        let mut jar = CookieStore::default();
        let u = Url::parse(onion).unwrap();
        jar.parse("sid=1; Secure; Path=/", &jar_url(&u)).unwrap();
        assert_eq!(jar.get_request_values(&jar_url(&u)).count(), 1);
        assert_eq!(
            jar_url(&Url::parse("http://f.test/").unwrap()).scheme(),
            "http"
        );
    }

    #[test]
    fn a_page_says_whether_it_was_served_logged_in() {
        let spec = SessionSpec {
            account: "a".into(),
            cookies_file: "x".into(),
            logged_in_text: Some("Logged in as".into()),
            logged_out_text: vec!["Please log in".into()],
            login_url: Some("http://f.test/login".into()),
        };
        assert!(is_login_page(
            &spec,
            &Url::parse("http://f.test/login?next=/t/1").unwrap()
        ));
        assert!(!is_login_page(
            &spec,
            &Url::parse("http://f.test/t/1").unwrap()
        ));
        assert_eq!(
            state_of(&spec, "Logged in as a. Threads"),
            SessionState::LoggedIn
        );
        assert!(matches!(
            state_of(&spec, "Please log in to see this"),
            SessionState::Lost(_)
        ));
        assert!(matches!(
            state_of(&spec, "Welcome, guest"),
            SessionState::Lost(_)
        ));
    }
}
