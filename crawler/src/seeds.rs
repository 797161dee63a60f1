//! Seed lists: the operator's `seeds/*.toml` files, and seeds given on the command line.
//!
//! A bad entry must not stop the good ones: each `[[seed]]` table is checked on its own, and a
//! broken one is reported with its file and line and skipped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use frontier::canon::canonicalize;
use frontier::scope::{Scope, ScopeKind};
use frontier::{RobotsPolicy, Route, SeedSpec};
use serde::Deserialize;

use crate::config::Config;
use crate::onion::{self, OnionCheck};

/// One `[[seed]]` table as written by an operator.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedEntry {
    /// Unique name.
    pub label: String,
    /// Start URL.
    pub url: String,
    /// `host`, `domain` or `prefix`.
    pub scope: Option<ScopeKind>,
    /// Regexes a URL must match (one of).
    #[serde(default)]
    pub include: Vec<String>,
    /// Regexes that exclude a URL.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Link hops from the seed.
    pub max_depth: Option<u32>,
    /// URLs the seed keeps track of.
    pub max_pages: Option<u64>,
    /// Recrawl interval of the seed URL and starting interval of its pages (`"6h"`, `"7d"`);
    /// `"never"` crawls once.
    pub recrawl: Option<String>,
    /// Shortest interval a page adapts down to (`"1h"`).
    pub recrawl_min: Option<String>,
    /// Longest interval a page adapts up to (`"30d"`).
    pub recrawl_max: Option<String>,
    /// Requests per second per host (politeness override).
    pub rate_per_sec: Option<f64>,
    /// Requests in flight per host (politeness override).
    pub max_in_flight: Option<u32>,
    /// `obey` or `ignore` robots.txt.
    pub robots: Option<RobotsPolicy>,
    /// `direct` or `tor` for clearnet seeds (onion seeds always use Tor).
    pub route: Option<Route>,
    /// `false` keeps the seed in its file without crawling it.
    pub enabled: Option<bool>,
    /// ISO 3166 region of phone numbers written without a country code (`"RU"`); a seeds
    /// file's top-level `region` applies to the seeds that do not set their own.
    pub region: Option<String>,
    /// Regexes of handles to record as entities (first group, or the whole match).
    #[serde(default)]
    pub handles: Vec<String>,
    /// Regexes of text that changes without the page changing; removed before captures
    /// are compared (`"Mirror status: .*"`).
    #[serde(default)]
    pub ignore_text: Vec<String>,
    /// CSS selectors of elements whose text is not compared (`".ad"`, `"#random-vendor"`).
    #[serde(default)]
    pub ignore_selectors: Vec<String>,
    /// Most pages fetched from one host in one pass (a budget against link farms).
    pub max_fetches_per_host: Option<u64>,
    /// Follow links that look like actions (log out, delete, report, vote, buy) anyway.
    #[serde(default)]
    pub follow_actions: bool,
    /// More regexes of URLs never followed.
    #[serde(default)]
    pub never_follow: Vec<String>,
    /// More regexes of link texts never followed.
    #[serde(default)]
    pub never_follow_text: Vec<String>,
    /// Regexes of URLs followed even when they look like actions.
    #[serde(default)]
    pub always_follow: Vec<String>,
    /// Crawl logged in (`[seed.session]`).
    #[serde(default)]
    pub session: Option<SessionEntry>,
    /// The site this address belongs to (seeds naming the same site are its mirrors).
    #[serde(default)]
    pub site: Option<String>,
    /// Check the site's signed mirror list and canary (`[seed.mirrors]`).
    #[serde(default)]
    pub mirrors: Option<MirrorsEntry>,
    /// How long this seed's captures are kept (`"90d"`, `"forever"`); absent:
    /// `retention.retain`.
    pub retain: Option<String>,
    /// When this seed's captures come up for review; absent: `retention.review_after`.
    pub review_after: Option<String>,
    /// Entity kinds not extracted or kept for this seed (`["phone", "email"]`).
    #[serde(default)]
    pub drop_entities: Vec<String>,
    /// Content types archived without their body (`["image/*", "text/html"]`).
    #[serde(default)]
    pub text_only: Vec<String>,
}

/// How long a seed's captures are kept and when they come up for review, resolved against
/// `[retention]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedRetention {
    /// Kept this long after capture, then erased unless on hold.
    pub retain: crate::config::Period,
    /// Due for review this long after capture.
    pub review_after: crate::config::Period,
}

impl SeedEntry {
    /// The seed's retention, its own or `[retention]`'s.
    pub fn retention(&self, cfg: &Config) -> anyhow::Result<SeedRetention> {
        let period = |key: &str, given: &Option<String>, default| match given {
            None => Ok(default),
            Some(s) => s
                .parse::<crate::config::Period>()
                .map_err(|e| anyhow::anyhow!("{key}: {e}")),
        };
        Ok(SeedRetention {
            retain: period("retain", &self.retain, cfg.retention.retain)?,
            review_after: period(
                "review_after",
                &self.review_after,
                cfg.retention.review_after,
            )?,
        })
    }
}

/// `[seed.mirrors]`: fetch the site's `/pgp.txt`, `/mirrors.txt`, `/canary.txt` and
/// `/related.txt` with each pass and check the signed ones against pinned keys.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MirrorsEntry {
    /// Files holding the site's OpenPGP public keys (armored), as the operator obtained
    /// them from a source they trust (relative paths: the seeds directory).
    #[serde(default)]
    pub keys: Vec<PathBuf>,
    /// Verified mirrors become seeds of the same site.
    #[serde(default)]
    pub follow: bool,
    /// A canary older than this is late (`"14days"`; the guidelines re-sign every 14 days).
    pub canary_max_age: Option<String>,
}

/// `[seed.session]`: crawl logged in, with cookies a person exported from a browser, or by
/// filling in the site's login form (a person answers its CAPTCHA when it has one).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SessionEntry {
    /// The account's label, recorded with every capture (not the user name).
    pub account: String,
    /// The cookies file (Netscape cookies.txt or JSON), relative to the seeds directory;
    /// readable by nightjar's user only.
    pub cookies_file: Option<std::path::PathBuf>,
    /// Text only a logged-in member's pages show.
    pub logged_in_text: Option<String>,
    /// Texts only a logged-out visitor's pages show.
    #[serde(default)]
    pub logged_out_text: Vec<String>,
    /// A CSS selector only a logged-in member's pages match.
    pub logged_in_selector: Option<String>,
    /// The login page: a redirect there means the session is lost; a form login starts
    /// there.
    pub login_url: Option<String>,
    /// The credentials for a form login: a systemd credential's name (in
    /// `$CREDENTIALS_DIRECTORY`) or a file (relative to the seeds directory, mode 600)
    /// holding the user name on its first line and the password on its second.
    pub credentials: Option<std::path::PathBuf>,
    /// The login form's user name field.
    pub username_field: Option<String>,
    /// The login form's password field.
    pub password_field: Option<String>,
    /// The login form's CAPTCHA answer field.
    pub captcha_field: Option<String>,
    /// Cookies whose loss means the session was logged out.
    #[serde(default)]
    pub login_cookies: Vec<String>,
    /// The session's User-Agent.
    pub user_agent: Option<String>,
    /// Renew the session after this long (`"6h"`).
    pub max_session_age: Option<String>,
    /// The wait after a failed login (doubling with each failure in a row).
    pub relogin_backoff: Option<String>,
    /// Login attempts allowed per hour.
    pub max_logins_per_hour: Option<u32>,
    /// How long a task waits for a person before it expires.
    pub task_expiry: Option<String>,
}

/// A valid seed read from a file, enabled or not.
#[derive(Clone, Debug)]
pub struct ListedSeed {
    /// The seed's rules.
    pub spec: SeedSpec,
    /// Whether it is crawled.
    pub enabled: bool,
    /// Its file.
    pub file: PathBuf,
    /// Line of its `[[seed]]` table.
    pub line: usize,
    /// How long its captures are kept.
    pub retention: SeedRetention,
}

/// A seed entry that could not be used.
#[derive(Debug)]
pub struct SeedProblem {
    /// File.
    pub file: PathBuf,
    /// Line of the entry (1-based).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for SeedProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// The longest seed label, in characters (it names the seed in the CLI, the API's paths,
/// status lines and every capture).
const MAX_LABEL: usize = 64;

/// The most pages a seed keeps track of, or fetches from one host in a pass.
const MAX_COUNT: u64 = 10_000_000;

/// The most link hops from a seed: far beyond any site's structure, but a chain of pages
/// (page n links to page n+1: a forum's "next", a paginated listing) may need a deep crawl;
/// the page budget bounds it anyway.
const MAX_DEPTH: u32 = 1_000_000;

/// The most requests in flight to one host.
const MAX_IN_FLIGHT: u32 = 256;

/// The most requests per second to one host.
const MAX_RATE: f64 = 100_000.0;

/// The shortest recrawl interval: a page is not fetched more than once a second (the
/// politeness rate applies as well); and the longest, ten years.
const MIN_INTERVAL: Duration = Duration::from_secs(1);
const MAX_INTERVAL: Duration = Duration::from_secs(10 * 365 * 86_400);

/// A count of pages (`max_pages`, `max_fetches_per_host`), range-checked.
pub(crate) fn check_count(key: &str, v: u64) -> anyhow::Result<()> {
    if !(1..=MAX_COUNT).contains(&v) {
        bail!("{key} = {v} is out of range: it must be between 1 and {MAX_COUNT}");
    }
    Ok(())
}

/// A recrawl interval (`recrawl`, `recrawl_min`, `recrawl_max`), range-checked.
fn interval(key: &str, s: &str) -> anyhow::Result<Duration> {
    let d = humantime::parse_duration(s)
        .with_context(|| format!("{key} = '{s}' is not a duration like '12h'"))?;
    if d < MIN_INTERVAL {
        bail!("{key} = '{s}' is too short: at least 1s (recrawl = \"never\" crawls once)");
    }
    if d > MAX_INTERVAL {
        bail!("{key} = '{s}' is too long: at most ten years (recrawl = \"never\" crawls once)");
    }
    Ok(d)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    /// The phone region of every seed in the file that does not name its own.
    region: Option<String>,
    #[serde(default)]
    seed: Vec<toml::Spanned<toml::Table>>,
}

impl SeedEntry {
    /// A seed of the onion `address`, a verified mirror of `site`, with the defaults: its
    /// label is the site's and the address's first 16 characters.
    pub fn following(site: &str, address: &str) -> SeedEntry {
        SeedEntry {
            label: format!("{site}-{}", &address[..address.len().min(16)]),
            url: format!("http://{address}/"),
            site: Some(site.to_string()),
            ..SeedEntry::default()
        }
    }

    /// Validates the entry and fills in defaults.
    pub fn to_spec(&self, cfg: &Config) -> anyhow::Result<SeedSpec> {
        if self.label.trim().is_empty() {
            bail!("label is empty");
        }
        archive::custody::text::short_text("label", self.label.trim(), MAX_LABEL)?;
        let url = canonicalize(&self.url)?;
        let route = match onion::check(url.host_str().unwrap_or("")) {
            OnionCheck::Clearnet => self.route.unwrap_or(cfg.tor.default_route),
            OnionCheck::V3 { .. } if !cfg.tor.enabled => bail!(
                "'{}' is an onion service and the Tor client is disabled: set tor.enabled = true",
                self.url
            ),
            OnionCheck::V3 { .. } if self.route == Some(Route::Direct) => {
                bail!("route = \"direct\" is impossible for an onion service")
            }
            OnionCheck::V3 { .. } => Route::Tor,
            OnionCheck::V2 => bail!(
                "'{}' is a v2 onion address; v2 services were retired from Tor in 2021",
                self.url
            ),
            OnionCheck::Invalid(why) => bail!("{why}"),
        };
        if route == Route::Tor && !cfg.tor.enabled {
            bail!("route = \"tor\" needs the Tor client: set tor.enabled = true");
        }
        let scope = self.scope.unwrap_or(cfg.seed_defaults.scope);
        Scope::new(scope, &url, &self.include, &self.exclude)?;
        let recrawl = match self.recrawl.as_deref() {
            None => cfg.seed_defaults.recrawl,
            Some("never") => None,
            Some(s) => Some(interval("recrawl", s)?),
        };
        let bound =
            |key: &str, given: &Option<String>, default: Option<Duration>| match given.as_deref() {
                None => Ok(default),
                Some(s) => interval(key, s).map(Some),
            };
        let min = bound(
            "recrawl_min",
            &self.recrawl_min,
            cfg.seed_defaults.recrawl_min,
        )?;
        let max = bound(
            "recrawl_max",
            &self.recrawl_max,
            cfg.seed_defaults.recrawl_max,
        )?;
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                bail!("recrawl_min is longer than recrawl_max");
            }
        }
        if let Some(region) = &self.region {
            entities::check_region(region).map_err(anyhow::Error::msg)?;
        }
        for pattern in &self.handles {
            regex::Regex::new(pattern)
                .with_context(|| format!("handles: '{pattern}' is not a valid regex"))?;
        }
        for pattern in &self.ignore_text {
            regex::Regex::new(pattern)
                .with_context(|| format!("ignore_text: '{pattern}' is not a valid regex"))?;
        }
        for selector in &self.ignore_selectors {
            scraper::Selector::parse(selector).map_err(|e| {
                anyhow::anyhow!("ignore_selectors: '{selector}' is not a CSS selector: {e}")
            })?;
        }
        if self.max_fetches_per_host == Some(0) {
            bail!("max_fetches_per_host must be at least 1 (leave it out for no limit)");
        }
        for (key, value) in [
            ("max_pages", self.max_pages),
            ("max_fetches_per_host", self.max_fetches_per_host),
        ] {
            if let Some(v) = value {
                check_count(key, v)?;
            }
        }
        if let Some(d) = self.max_depth.filter(|d| *d > MAX_DEPTH) {
            bail!("max_depth = {d} is out of range: it must be at most {MAX_DEPTH}");
        }
        if let Some(n) = self
            .max_in_flight
            .filter(|n| !(1..=MAX_IN_FLIGHT).contains(n))
        {
            bail!("max_in_flight = {n} is out of range: it must be between 1 and {MAX_IN_FLIGHT}");
        }
        let actions = frontier::actions::ActionLinks {
            follow_actions: self.follow_actions,
            never_follow: self.never_follow.clone(),
            never_follow_text: self.never_follow_text.clone(),
            always_follow: self.always_follow.clone(),
        };
        frontier::actions::ActionPolicy::of(&actions).map_err(anyhow::Error::msg)?;
        let session = self
            .session
            .as_ref()
            .map(|e| session_spec(e, cfg))
            .transpose()?;
        if let Some(site) = &self.site {
            if site.trim().is_empty() {
                bail!("site is empty: name the site, or leave the key out (the label names it)");
            }
            archive::custody::text::short_text("site", site.trim(), MAX_LABEL)?;
        }
        let mirrors = self
            .mirrors
            .as_ref()
            .map(|e| mirror_spec(e, cfg))
            .transpose()?;
        let drop_entities = self
            .drop_entities
            .iter()
            .map(|k| {
                k.parse::<entities::Kind>()
                    .map(|kind| kind.as_str().to_string())
                    .map_err(|e| anyhow::anyhow!("drop_entities: {e}"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let text_only = self
            .text_only
            .iter()
            .map(|t| {
                let t = t.trim().to_ascii_lowercase();
                let ok = t.split_once('/').is_some_and(|(a, b)| {
                    let token = |s: &str| {
                        !s.is_empty()
                            && s.chars()
                                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
                    };
                    token(a) && (b == "*" || token(b))
                });
                if ok {
                    Ok(t)
                } else {
                    Err(anyhow::anyhow!(
                        "text_only: '{t}' is not a content type: write type/subtype or type/* (\"image/*\", \"application/pdf\")"
                    ))
                }
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let rate = self.rate_per_sec.unwrap_or(cfg.politeness.rate_per_sec);
        if !(rate > 0.0 && rate <= MAX_RATE) {
            bail!(
                "rate_per_sec = {rate} is out of range: it must be above 0 and at most {MAX_RATE}"
            );
        }
        Ok(SeedSpec {
            label: self.label.trim().to_string(),
            url: url.to_string(),
            scope,
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            max_depth: self.max_depth.unwrap_or(cfg.seed_defaults.max_depth),
            max_pages: self.max_pages.unwrap_or(cfg.seed_defaults.max_pages),
            recrawl_secs: recrawl.map(|d: Duration| d.as_secs().max(1)),
            recrawl_min_secs: min.map(|d| d.as_secs().max(1)),
            recrawl_max_secs: max.map(|d| d.as_secs().max(1)),
            rate_per_sec: rate,
            max_in_flight: {
                let wanted = self.max_in_flight.unwrap_or(cfg.politeness.max_in_flight);
                // Onion services are slow and fragile: a hard cap on parallel streams.
                let cap = match onion::check(url.host_str().unwrap_or("")) {
                    OnionCheck::V3 { .. } => cfg.tor.max_streams_per_onion,
                    _ => u32::MAX,
                };
                wanted.min(cap).max(1)
            },
            robots: self.robots.unwrap_or(cfg.politeness.robots),
            route,
            region: self.region.as_ref().map(|r| r.trim().to_ascii_uppercase()),
            handles: self.handles.clone(),
            ignore_text: self.ignore_text.clone(),
            ignore_selectors: self.ignore_selectors.clone(),
            max_fetches_per_host: self.max_fetches_per_host.or(cfg.traps.max_fetches_per_host),
            actions,
            session,
            site: self.site.as_ref().map(|s| s.trim().to_string()),
            mirrors,
            drop_entities,
            text_only,
        })
    }
}

/// A canary is re-signed every 14 days under the Onion Mirror Guidelines; a day's grace.
const CANARY_MAX_AGE: Duration = Duration::from_secs(15 * 86_400);

/// `[seed.mirrors]` checked: every key file read and parsed, so that a bad key is an
/// error when the seeds are read, not a failed check at each pass.
fn mirror_spec(e: &MirrorsEntry, cfg: &Config) -> anyhow::Result<frontier::seed::MirrorSpec> {
    let mut keys = Vec::new();
    for f in &e.keys {
        let file = if f.is_absolute() {
            f.clone()
        } else {
            cfg.crawl.seeds_dir.join(f)
        };
        let armored = std::fs::read_to_string(&file)
            .with_context(|| format!("mirrors: cannot read the key file {}", file.display()))?;
        crate::mirrors::PinnedKeys::parse(&[armored.as_str()])
            .map_err(|why| anyhow::anyhow!("mirrors: the key file {}: {why}", file.display()))?;
        keys.push(armored);
    }
    let canary_max_age = match e.canary_max_age.as_deref() {
        None => CANARY_MAX_AGE,
        Some(s) => interval("mirrors: canary_max_age", s)?,
    };
    Ok(frontier::seed::MirrorSpec {
        keys,
        follow: e.follow,
        canary_max_age_secs: canary_max_age.as_secs(),
    })
}

/// Reads one seed file: good seeds and the problems of bad ones.
pub fn read_seed_file(path: &Path, cfg: &Config) -> (Vec<SeedSpec>, Vec<SeedProblem>) {
    let (all, problems) = list_seed_file(path, cfg);
    let enabled = all.into_iter().filter(|s| s.enabled).map(|s| s.spec);
    (enabled.collect(), problems)
}

/// Reads one seed file: every valid seed, enabled or not, and the problems of bad ones.
pub fn list_seed_file(path: &Path, cfg: &Config) -> (Vec<ListedSeed>, Vec<SeedProblem>) {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_seed_text(path, &text, cfg),
        Err(e) => (
            vec![],
            vec![SeedProblem {
                file: path.to_path_buf(),
                line: 0,
                message: format!("cannot read: {e}"),
            }],
        ),
    }
}

/// Parses the text of a seed file (named `path` in problems).
pub fn parse_seed_text(
    path: &Path,
    text: &str,
    cfg: &Config,
) -> (Vec<ListedSeed>, Vec<SeedProblem>) {
    let problem = |line: usize, message: String| SeedProblem {
        file: path.to_path_buf(),
        line,
        message,
    };
    let line_of = |pos: usize| text[..pos.min(text.len())].matches('\n').count() + 1;
    let file: SeedFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let line = e.span().map(|s| line_of(s.start)).unwrap_or(0);
            return (vec![], vec![problem(line, e.message().to_string())]);
        }
    };
    let mut seeds: Vec<ListedSeed> = Vec::new();
    let mut problems = Vec::new();
    for table in file.seed {
        let line = line_of(table.span().start);
        let entry: Result<SeedEntry, _> = toml::Value::Table(table.into_inner()).try_into();
        let entry = entry.map(|mut e| {
            if e.region.is_none() {
                e.region = file.region.clone();
            }
            e
        });
        match entry.map_err(|e| e.message().to_string()).and_then(|e| {
            e.to_spec(cfg)
                .and_then(|spec| Ok((spec, e.retention(cfg)?)))
                .map(|(spec, retention)| (spec, retention, e.enabled.unwrap_or(true)))
                .map_err(|err| format!("seed '{}': {err:#}", e.label))
        }) {
            Ok((spec, ..)) if seeds.iter().any(|s| s.spec.label == spec.label) => problems.push(
                problem(line, format!("label '{}' is used twice", spec.label)),
            ),
            Ok((spec, retention, enabled)) => seeds.push(ListedSeed {
                spec,
                enabled,
                file: path.to_path_buf(),
                line,
                retention,
            }),
            Err(message) => problems.push(problem(line, message)),
        }
    }
    (seeds, problems)
}

/// Reads every `*.toml` in the seeds directory, in name order: the enabled seeds.
pub fn read_seed_dir(
    dir: &Path,
    cfg: &Config,
) -> anyhow::Result<(Vec<SeedSpec>, Vec<SeedProblem>)> {
    let (all, problems) = list_seed_dir(dir, cfg)?;
    let enabled = all.into_iter().filter(|s| s.enabled).map(|s| s.spec);
    Ok((enabled.collect(), problems))
}

/// The seed files of a directory, in name order.
pub fn seed_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the seeds directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        // Editors' lock and backup files (.#x.toml) are not seed lists.
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads every `*.toml` in the seeds directory: all valid seeds, enabled or not (labels are
/// unique across files), and the problems.
pub fn list_seed_dir(
    dir: &Path,
    cfg: &Config,
) -> anyhow::Result<(Vec<ListedSeed>, Vec<SeedProblem>)> {
    let mut seeds: Vec<ListedSeed> = Vec::new();
    let mut problems = Vec::new();
    for f in seed_files(dir)? {
        let (s, p) = list_seed_file(&f, cfg);
        for seed in s {
            if seeds.iter().any(|x| x.spec.label == seed.spec.label) {
                problems.push(SeedProblem {
                    file: f.clone(),
                    line: seed.line,
                    message: format!(
                        "label '{}' is already used in another seed file",
                        seed.spec.label
                    ),
                });
            } else {
                seeds.push(seed);
            }
        }
        problems.extend(p);
    }
    Ok((seeds, problems))
}

/// A seed's session as the crawler uses it: the cookies file and credentials found
/// (relative to the seeds directory, or in systemd's `$CREDENTIALS_DIRECTORY`), private to
/// their owner, and readable now rather than at the first fetch.
fn session_spec(e: &SessionEntry, cfg: &Config) -> anyhow::Result<frontier::seed::SessionSpec> {
    archive::custody::text::plain_text("session account", &e.account)?;
    if e.account.trim().is_empty() {
        bail!("session: account must name the account (a label, not the user name)");
    }
    let cookies_file = match &e.cookies_file {
        Some(f) => {
            let file = private_file(cfg, f, "cookies file", "a logged-in session")?;
            crate::session::read_cookies(&file).map_err(|e| anyhow::anyhow!("session: {e:#}"))?;
            Some(file)
        }
        None => None,
    };
    let login_url = match &e.login_url {
        Some(u) => Some(
            url::Url::parse(u)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .with_context(|| format!("session: login_url '{u}' is not an http(s) URL"))?
                .to_string(),
        ),
        None => None,
    };
    let form = match &e.credentials {
        Some(c) => {
            if login_url.is_none() {
                bail!("session: a form login (credentials) needs login_url, the page with the login form");
            }
            let file = credentials_file(cfg, c)?;
            crate::session::login::read_credentials(&file)
                .map_err(|e| anyhow::anyhow!("session: {e:#}"))?;
            let field = |v: &Option<String>, default: &str, key: &str| -> anyhow::Result<String> {
                let f = v.clone().unwrap_or_else(|| default.to_string());
                archive::custody::text::plain_text(key, &f)?;
                if f.trim().is_empty() {
                    bail!("session: {key} is empty");
                }
                Ok(f)
            };
            Some(frontier::seed::LoginForm {
                username_field: field(&e.username_field, "username", "username_field")?,
                password_field: field(&e.password_field, "password", "password_field")?,
                captcha_field: match &e.captcha_field {
                    Some(_) => Some(field(&e.captcha_field, "", "captcha_field")?),
                    None => None,
                },
                credentials: file,
            })
        }
        None => {
            for (key, set) in [
                ("username_field", e.username_field.is_some()),
                ("password_field", e.password_field.is_some()),
                ("captcha_field", e.captcha_field.is_some()),
            ] {
                if set {
                    bail!("session: {key} is set but credentials is not: a form login needs the credentials file");
                }
            }
            None
        }
    };
    if cookies_file.is_none() && form.is_none() {
        bail!("session: give cookies_file (cookies exported from a browser) or credentials and login_url (a form login)");
    }
    let duration = |key: &str, v: &Option<String>| -> anyhow::Result<Option<u64>> {
        match v.as_deref() {
            None => Ok(None),
            Some(s) => {
                let d = humantime::parse_duration(s).with_context(|| {
                    format!("session: {key} = '{s}' is not a duration like '6h'")
                })?;
                if d < std::time::Duration::from_secs(1) {
                    bail!("session: {key} = '{s}' is shorter than one second");
                }
                Ok(Some(d.as_secs()))
            }
        }
    };
    let max_logins_per_hour = e.max_logins_per_hour.unwrap_or(4);
    if !(1..=60).contains(&max_logins_per_hour) {
        bail!("session: max_logins_per_hour = {max_logins_per_hour}: use 1 to 60");
    }
    if let Some(ua) = &e.user_agent {
        archive::custody::text::plain_text("session user_agent", ua)?;
    }
    for c in &e.login_cookies {
        archive::custody::text::plain_text("session login_cookies", c)?;
    }
    Ok(frontier::seed::SessionSpec {
        account: e.account.trim().to_string(),
        cookies_file,
        logged_in_text: e.logged_in_text.clone().filter(|t| !t.is_empty()),
        logged_out_text: e.logged_out_text.clone(),
        logged_in_selector: match &e.logged_in_selector {
            Some(css) => {
                scraper::Selector::parse(css).map_err(|err| {
                    anyhow::anyhow!(
                        "session: logged_in_selector '{css}' is not a CSS selector: {err}"
                    )
                })?;
                Some(css.clone())
            }
            None => None,
        },
        login_url,
        form,
        login_cookies: e.login_cookies.clone(),
        user_agent: e.user_agent.clone().filter(|u| !u.trim().is_empty()),
        max_session_age_secs: duration("max_session_age", &e.max_session_age)?,
        relogin_backoff_secs: duration("relogin_backoff", &e.relogin_backoff)?.unwrap_or(60),
        max_logins_per_hour,
        task_expiry_secs: duration("task_expiry", &e.task_expiry)?.unwrap_or(24 * 3600),
    })
}

/// A file holding a secret, relative to the seeds directory, that only its owner may read.
fn private_file(
    cfg: &Config,
    f: &std::path::Path,
    what: &str,
    holds: &str,
) -> anyhow::Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let file = if f.is_absolute() {
        f.to_path_buf()
    } else {
        cfg.crawl.seeds_dir.join(f)
    };
    let mode = std::fs::metadata(&file)
        .with_context(|| format!("session: cannot read the {what} {}", file.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        bail!(
            "session: the {what} {} is readable by others (mode {:o}): it holds {holds}; run `chmod 600 {}`",
            file.display(),
            mode & 0o777,
            file.display()
        );
    }
    Ok(file)
}

/// The credentials file: a plain name is looked up first among systemd's credentials
/// (`LoadCredential=NAME:…` puts it in `$CREDENTIALS_DIRECTORY`, readable by the service
/// only), then as a file of the seeds directory.
fn credentials_file(cfg: &Config, c: &std::path::Path) -> anyhow::Result<PathBuf> {
    if c.components().count() == 1 && !c.is_absolute() {
        if let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY") {
            let file = PathBuf::from(dir).join(c);
            if file.is_file() {
                return Ok(file);
            }
        }
    }
    private_file(cfg, c, "credentials file", "a password")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_entries_are_reported_with_line_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.toml");
        std::fs::write(
            &p,
            r#"
[[seed]]
label = "good"
url = "https://Example.org"
recrawl = "6h"

[[seed]]
label = "bad-scope"
url = "https://example.net/"
scope = "planet"

[[seed]]
label = "bad-url"
url = "ftp://example.net/"

[[seed]]
label = "bad-regex"
url = "https://example.com/"
include = ["(unclosed"]
"#,
        )
        .unwrap();
        let (seeds, problems) = read_seed_file(&p, &Config::default());
        assert_eq!(seeds.len(), 1);
        assert_eq!(seeds[0].url, "https://example.org/");
        assert_eq!(seeds[0].recrawl_secs, Some(6 * 3600));
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [7, 12, 16], "{problems:?}");
        assert!(problems[0].message.contains("planet"), "{}", problems[0]);
        assert!(problems[1].message.contains("ftp"), "{}", problems[1]);
        assert!(problems[2].message.contains("(unclosed"), "{}", problems[2]);
    }

    #[test]
    fn the_file_region_applies_unless_a_seed_names_its_own_and_bad_ones_are_refused() {
        let text = r#"
region = "ru"

[[seed]]
label = "ru-board"
url = "https://board.example/"

[[seed]]
label = "de-board"
url = "https://anzeigen.example/"
region = "DE"
handles = ["vendor:([a-z]+)"]

[[seed]]
label = "nowhere"
url = "https://x.example/"
region = "XX"

[[seed]]
label = "bad-handle"
url = "https://y.example/"
handles = ["(unclosed"]
"#;
        let (seeds, problems) = parse_seed_text(Path::new("s.toml"), text, &Config::default());
        let region = |label: &str| {
            seeds
                .iter()
                .find(|s| s.spec.label == label)
                .and_then(|s| s.spec.region.clone())
        };
        assert_eq!(region("ru-board").as_deref(), Some("RU"));
        assert_eq!(region("de-board").as_deref(), Some("DE"));
        assert_eq!(seeds.len(), 2);
        let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            messages[0].contains("s.toml:14") && messages[0].contains("unknown region 'XX'"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("handles: '(unclosed' is not a valid regex"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_followed_mirror_is_a_tor_seed_of_its_site_written_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = Config::default();
        cfg.crawl.seeds_dir = dir.path().to_path_buf();
        let address = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
        let entry = SeedEntry::following("market", address);
        let file = crate::engine::FOLLOWED_FILE;
        // Without the Tor client an onion seed is refused, and nothing is written.
        assert!(crate::seed_admin::add(dir.path(), file, &entry, &cfg).is_err());
        assert!(!dir.path().join(file).exists());
        cfg.tor.enabled = true;
        crate::seed_admin::add(dir.path(), file, &entry, &cfg).unwrap();
        let (seeds, problems) = read_seed_file(&dir.path().join(file), &cfg);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(seeds.len(), 1);
        assert_eq!(seeds[0].label, "market-2gzyxa5ihm7nsggf");
        assert_eq!(seeds[0].site(), "market");
        assert_eq!(seeds[0].route, Route::Tor);
        assert_eq!(seeds[0].url, format!("http://{address}/"));
        // The list is checked at every pass: the second time the label is taken.
        let again = crate::seed_admin::add(dir.path(), file, &entry, &cfg).unwrap_err();
        assert!(again.to_string().contains("is already used"), "{again}");
    }

    #[test]
    fn onion_seeds_need_tor_go_through_it_and_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o.toml");
        std::fs::write(
            &p,
            r#"[[seed]]
label = "market"
url = "http://www.2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/"
max_in_flight = 8

[[seed]]
label = "forged"
url = "http://2gzyxb5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/"

[[seed]]
label = "v2"
url = "http://expyuzz4wqqyqhjn.onion/"
"#,
        )
        .unwrap();
        let (seeds, problems) = read_seed_file(&p, &Config::default());
        assert!(seeds.is_empty());
        assert!(
            problems[0].message.contains("tor.enabled"),
            "{}",
            problems[0]
        );
        let mut cfg = Config::default();
        cfg.tor.enabled = true;
        let (seeds, problems) = read_seed_file(&p, &cfg);
        assert_eq!(seeds.len(), 1);
        assert_eq!(seeds[0].route, Route::Tor);
        assert_eq!(
            seeds[0].max_in_flight, 2,
            "tor.max_streams_per_onion caps it"
        );
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [6, 10], "{problems:?}");
        assert!(
            problems[0].message.to_lowercase().contains("checksum"),
            "{}",
            problems[0]
        );
        assert!(problems[1].message.contains("v2"), "{}", problems[1]);
    }

    #[test]
    fn a_session_marker_selector_is_checked_when_the_seeds_are_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cookies = dir.path().join("f.cookies.txt");
        std::fs::write(&cookies, "f.test\tFALSE\t/\tFALSE\t0\tsid\tabc\n").unwrap();
        std::fs::set_permissions(&cookies, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut cfg = Config::default();
        cfg.crawl.seeds_dir = dir.path().to_path_buf();
        let seed = |selector: &str| {
            format!(
                "[[seed]]\nlabel = \"f\"\nurl = \"http://f.test/\"\n[seed.session]\naccount = \"a\"\ncookies_file = \"f.cookies.txt\"\nlogged_in_selector = \"{selector}\"\n"
            )
        };
        let (seeds, problems) =
            parse_seed_text(Path::new("s.toml"), &seed("a[href*='logout']"), &cfg);
        assert!(problems.is_empty(), "{problems:?}");
        let spec = seeds[0].spec.session.clone().unwrap();
        assert_eq!(
            spec.logged_in_selector.as_deref(),
            Some("a[href*='logout']")
        );
        let (seeds, problems) = parse_seed_text(Path::new("s.toml"), &seed("a[[x"), &cfg);
        assert!(seeds.is_empty());
        assert!(
            problems[0]
                .message
                .contains("logged_in_selector 'a[[x' is not a CSS selector"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_shipped_seed_list_is_valid() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
        let (seeds, problems) = read_seed_dir(&dir, &Config::default()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!seeds.is_empty());
    }
}
