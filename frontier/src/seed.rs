//! A seed: where a crawl starts and the rules it keeps.
//!
//! The crawler's config layer reads seed files and CLI flags into [`SeedSpec`]; the frontier
//! stores it with the seed so that a resumed crawl keeps the rules it was started with.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::scope::ScopeKind;

/// Whether a seed obeys robots.txt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RobotsPolicy {
    /// Obey robots.txt (the default).
    #[default]
    Obey,
    /// Ignore robots.txt (an investigative opt-out, recorded with every capture).
    Ignore,
}

impl RobotsPolicy {
    /// The word written into WARC metadata.
    pub fn as_str(&self) -> &'static str {
        match self {
            RobotsPolicy::Obey => "obey",
            RobotsPolicy::Ignore => "ignore",
        }
    }
}

/// How a seed's requests leave this machine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// A TCP connection from this machine.
    #[default]
    Direct,
    /// Through the embedded Tor client (always so for `.onion` hosts); never falls back.
    Tor,
}

impl Route {
    /// The word written into WARC metadata (`via:`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Route::Direct => "direct",
            Route::Tor => "tor",
        }
    }
}

impl std::str::FromStr for Route {
    type Err = String;

    /// Parses the CLI spelling: `direct` or `tor`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "direct" => Ok(Route::Direct),
            "tor" => Ok(Route::Tor),
            _ => Err(format!("'{s}' is not a route: use direct or tor")),
        }
    }
}

/// Everything the frontier needs to know about one seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedSpec {
    /// Unique, human-chosen name.
    pub label: String,
    /// Canonical start URL.
    pub url: String,
    /// How far the crawl may reach.
    pub scope: ScopeKind,
    /// URLs must match one of these regexes (when any are given).
    pub include: Vec<String>,
    /// URLs matching any of these regexes are skipped.
    pub exclude: Vec<String>,
    /// Link hops from the seed (the seed is depth 0; redirects do not add depth).
    pub max_depth: u32,
    /// Most URLs the seed keeps track of (its page budget).
    pub max_pages: u64,
    /// Recrawl interval of the seed URL, and the starting interval of every page found from
    /// it; `None`: crawl once.
    pub recrawl_secs: Option<u64>,
    /// Shortest interval a page adapts down to; `None`: a quarter of `recrawl_secs`.
    #[serde(default)]
    pub recrawl_min_secs: Option<u64>,
    /// Longest interval a page adapts up to; `None`: eight times `recrawl_secs`.
    #[serde(default)]
    pub recrawl_max_secs: Option<u64>,
    /// Requests per second per host.
    pub rate_per_sec: f64,
    /// Concurrent requests per host.
    pub max_in_flight: u32,
    /// robots.txt policy.
    pub robots: RobotsPolicy,
    /// Route of the seed's requests (`.onion` hosts always go through Tor).
    #[serde(default)]
    pub route: Route,
    /// ISO 3166 region of phone numbers its pages write without a country code (`RU`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Regexes of user names or handles worth following on its pages (first group, or the
    /// whole match, is the handle).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handles: Vec<String>,
    /// Regexes of text that changes without the page changing (`"Mirror status: .*"`):
    /// removed before captures are compared (the stored text keeps it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_text: Vec<String>,
    /// CSS selectors of elements whose text is not compared (a rotating ad, a "featured
    /// vendor" box).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_selectors: Vec<String>,
    /// Most pages fetched from one host in one pass; `None`: no limit but the seed's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_fetches_per_host: Option<u64>,
    /// Which links that act on the site (log out, delete, vote, buy) are not followed.
    #[serde(default)]
    pub actions: crate::actions::ActionLinks,
    /// A logged-in session the seed's requests carry, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionSpec>,
    /// The site this seed's address belongs to: seeds naming the same site are addresses
    /// (mirrors) of one site. `None`: the seed is a site of its own, named by its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The site's signed mirror list and canary, checked with each pass, if asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirrors: Option<MirrorSpec>,
    /// Entity kinds not extracted or kept for this seed's captures (data minimisation):
    /// `phone`, `email`, … as the entity ledger names them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drop_entities: Vec<String>,
    /// Content types (`image/*`, `text/html`) whose responses are archived without their
    /// body (data minimisation): the status, the headers, the page's text in the index and
    /// the capture's metadata are kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text_only: Vec<String>,
}

/// What a seed asks of its site's mirror files (the Onion Mirror Guidelines): fetch
/// `/pgp.txt`, `/mirrors.txt`, `/canary.txt` and `/related.txt` with each pass, archived like
/// any capture, and check the signed ones against keys the operator pinned. A key served by
/// the same host proves nothing, so only pinned keys can make a list verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MirrorSpec {
    /// The OpenPGP public keys (ASCII-armored) allowed to sign the site's mirror list and
    /// canary. Empty: the files are archived, and every check says no key is pinned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Verified mirrors become seeds of the same site (with this seed's settings).
    #[serde(default)]
    pub follow: bool,
    /// A canary whose date (or, without one, its signature) is older than this is late.
    pub canary_max_age_secs: u64,
}

/// The files a mirror check fetches, in the order they are queued: the mirror files, and
/// the favicon (a fingerprint look-alikes are compared by).
pub const MIRROR_FILES: [&str; 5] = [
    "/pgp.txt",
    "/mirrors.txt",
    "/canary.txt",
    "/related.txt",
    "/favicon.ico",
];

/// A seed's logged-in session: where its cookies come from (a file a person exported, or a
/// form login), which account it is, how a page shows whether it was served logged in, and
/// the limits that keep a failing login from hammering the site. The secrets stay in their
/// files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSpec {
    /// The account's label, recorded with every capture (never the user name itself).
    pub account: String,
    /// Cookies exported from a browser where a person logged in: Netscape `cookies.txt`, or
    /// JSON (a list of objects with `name`, `value`, `domain`, `path`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies_file: Option<std::path::PathBuf>,
    /// Text a page shows only to a logged-in member ("Logged in as").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logged_in_text: Option<String>,
    /// Texts a page shows only to a visitor who is not logged in ("Please log in").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logged_out_text: Vec<String>,
    /// A CSS selector only a logged-in member's pages match (`a[href*="logout"]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logged_in_selector: Option<String>,
    /// The site's login page: a redirect there means the session is lost, and a form login
    /// starts there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_url: Option<String>,
    /// How nightjar logs in by itself (the login form), if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<LoginForm>,
    /// Cookies whose loss means the site logged the session out (besides the ones the
    /// login itself set).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub login_cookies: Vec<String>,
    /// The session's User-Agent (else the crawl's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// A session older than this is renewed (form login) or asked of a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_session_age_secs: Option<u64>,
    /// The wait after a failed login; it doubles with each failure in a row.
    pub relogin_backoff_secs: u64,
    /// At most this many login attempts in any hour.
    pub max_logins_per_hour: u32,
    /// A task nobody answers expires after this long (the seed stays paused).
    pub task_expiry_secs: u64,
}

/// A login form nightjar fills in: the fields the user name, password and CAPTCHA answer
/// go in (every other field, hidden CSRF tokens among them, is carried over from the login
/// page as served), and where the credentials are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginForm {
    /// The user name's field.
    pub username_field: String,
    /// The password's field.
    pub password_field: String,
    /// The CAPTCHA answer's field: when the form has it, a person is asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha_field: Option<String>,
    /// The credentials file: the user name on its first line, the password on its second;
    /// readable by nightjar's user only (or a systemd credential).
    pub credentials: std::path::PathBuf,
}

impl SeedSpec {
    /// A seed of `url` with fixed fallbacks (domain scope, depth 5, 10,000 pages, one
    /// request a second and one in flight, no recrawl), for callers without a configuration
    /// (benchmarks, tests); the crawler makes its seeds from the config's `seed_defaults`.
    pub fn new(label: &str, url: &str) -> SeedSpec {
        SeedSpec {
            label: label.into(),
            url: url.into(),
            scope: crate::scope::ScopeKind::Domain,
            include: vec![],
            exclude: vec![],
            max_depth: 5,
            max_pages: 10_000,
            recrawl_secs: None,
            recrawl_min_secs: None,
            recrawl_max_secs: None,
            rate_per_sec: 1.0,
            max_in_flight: 1,
            robots: Default::default(),
            route: Default::default(),
            region: None,
            handles: vec![],
            ignore_text: vec![],
            ignore_selectors: vec![],
            max_fetches_per_host: None,
            actions: Default::default(),
            session: None,
            site: None,
            mirrors: None,
            drop_entities: Vec::new(),
            text_only: Vec::new(),
        }
    }

    /// The site the seed's address belongs to: its `site`, else its label.
    pub fn site(&self) -> &str {
        self.site.as_deref().unwrap_or(&self.label)
    }

    /// The URLs queued with the seed URL at each pass: its site's mirror files when it
    /// checks them (at the root of the seed URL's origin), else none.
    pub fn companion_urls(&self) -> Vec<url::Url> {
        let Some(_) = &self.mirrors else {
            return Vec::new();
        };
        let Ok(base) = url::Url::parse(&self.url) else {
            return Vec::new();
        };
        MIRROR_FILES
            .iter()
            .filter_map(|path| base.join(path).ok())
            .collect()
    }

    /// The recrawl interval.
    pub fn recrawl(&self) -> Option<Duration> {
        self.recrawl_secs.map(Duration::from_secs)
    }

    /// The shortest and longest interval a page of this seed may adapt to; they always
    /// include the seed's own interval. `None` when the seed never recrawls.
    pub fn recrawl_bounds(&self) -> Option<(Duration, Duration)> {
        let base = self.recrawl_secs?;
        let min = self.recrawl_min_secs.unwrap_or(base / 4).clamp(1, base);
        let max = self
            .recrawl_max_secs
            .unwrap_or(base.saturating_mul(8))
            .max(base);
        Some((Duration::from_secs(min), Duration::from_secs(max)))
    }
}
