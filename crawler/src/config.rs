//! nightjar's configuration: one TOML file, every key optional, every default documented in
//! `config/nightjar.toml`.
//!
//! Unknown keys are errors (a typo must not silently fall back to a default), and every error
//! names the file and line.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use frontier::scope::{ScopeKind, TrapGuard};
use frontier::RobotsPolicy;
use serde::Deserialize;

/// The whole configuration file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the archive and the database live.
    pub data: DataConfig,
    /// This node among several sharing one PostgreSQL database.
    pub node: NodeConfig,
    /// WARC output.
    pub archive: ArchiveConfig,
    /// The crawl loop.
    pub crawl: CrawlConfig,
    /// Per-host pacing and robots.txt.
    pub politeness: PolitenessConfig,
    /// HTTP fetching.
    pub fetch: FetchConfig,
    /// Trap guards.
    pub traps: TrapGuard,
    /// Defaults for seeds that do not say otherwise.
    pub seed_defaults: SeedDefaults,
    /// The embedded Tor client.
    pub tor: TorConfig,
    /// Recrawls: adaptive intervals, revisit records, conditional requests.
    pub recrawl: RecrawlConfig,
    /// Chain of custody: the node key, chain checkpoints, seals.
    pub custody: CustodyConfig,
    /// The Prometheus endpoint.
    pub metrics: MetricsConfig,
    /// The analysts' HTTP API.
    pub api: ApiConfig,
    /// Where watch alerts go.
    pub alerts: AlertsConfig,
    /// Co-signing other nodes' log heads as their witness.
    pub witness: WitnessConfig,
    /// How long captures are kept, when they come up for review, and who may erase.
    pub retention: RetentionConfig,
}

/// How long something is kept: for ever, or for a time.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(try_from = "String")]
pub enum Period {
    /// Never erased (or never due).
    #[default]
    Forever,
    /// This long after capture.
    For(Duration),
}

impl std::str::FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Period, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("forever") {
            return Ok(Period::Forever);
        }
        let d = humantime::parse_duration(s).map_err(|e| {
            format!("'{s}' is not a period: write \"forever\" or a duration such as \"90d\" ({e})")
        })?;
        if d < Duration::from_secs(1) {
            return Err(format!("'{s}' is too short: at least 1s, or \"forever\""));
        }
        Ok(Period::For(d))
    }
}

impl TryFrom<String> for Period {
    type Error = String;

    fn try_from(s: String) -> Result<Period, String> {
        s.parse()
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Forever => f.write_str("forever"),
            // In the unit it was most likely written in: 365d, not "11months 30days 3h…".
            Period::For(d) => {
                let secs = d.as_secs();
                match secs {
                    s if s % 86_400 == 0 => write!(f, "{}d", s / 86_400),
                    s if s % 3_600 == 0 => write!(f, "{}h", s / 3_600),
                    s if s % 60 == 0 => write!(f, "{}m", s / 60),
                    _ => write!(f, "{}", humantime::format_duration(*d)),
                }
            }
        }
    }
}

/// `[retention]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionConfig {
    /// How long a capture is kept unless its seed says otherwise (`retain`): "forever" or a
    /// duration after capture. Past it, a capture on no legal hold is erased.
    pub retain: Period,
    /// When a capture comes up for review of the need to keep it, unless its seed says
    /// otherwise (`review_after`).
    pub review_after: Period,
    /// How often the daemon erases what is past retention and carries out approved erasure
    /// requests.
    #[serde(with = "humantime_serde")]
    pub check_every: Duration,
    /// The roles whose tokens may request an erasure (the command line always may).
    pub requesters: Vec<crate::actions::Role>,
    /// The roles whose tokens may approve one (the command line always may). The approver
    /// is never the person who asked.
    pub approvers: Vec<crate::actions::Role>,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            retain: Period::Forever,
            review_after: Period::For(Duration::from_secs(365 * 86_400)),
            check_every: Duration::from_secs(3600),
            requesters: vec![crate::actions::Role::Operator],
            approvers: vec![crate::actions::Role::Auditor],
        }
    }
}

/// `[node]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NodeConfig {
    /// This node's name among the nodes sharing the database: letters, digits, `-`, `_`,
    /// `.`, at most 63. Empty: the machine's host name.
    pub name: String,
    /// How long a host lease lasts unless renewed (renewed every third of it): a node that
    /// dies gives its hosts up to the others after at most this long.
    #[serde(with = "humantime_serde")]
    pub lease: Duration,
    /// The most hosts this node holds at once.
    pub max_hosts: usize,
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            name: String::new(),
            lease: Duration::from_secs(30),
            max_hosts: 256,
        }
    }
}

impl NodeConfig {
    /// The node's name: as configured, or the machine's host name.
    pub fn name(&self) -> String {
        if !self.name.is_empty() {
            return self.name.clone();
        }
        nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok())
            .filter(|h| valid_node_name(h))
            .unwrap_or_else(|| "node".into())
    }
}

/// Whether `name` may name a node: letters, digits, `-`, `_`, `.`, 1 to 63 of them.
pub fn valid_node_name(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `[witness]`
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WitnessConfig {
    /// The logs this node co-signs, by their verifier keys (`nightjar key show` on each
    /// node prints its own); a head of any other log is refused.
    pub logs: Vec<String>,
}

/// One co-signing witness of this node's heads (`custody.cosigners`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Cosigner {
    /// The witness node's API (`https://HOST:PORT`, or `http://` on a trusted network).
    pub url: String,
    /// A CA certificate (PEM) that signed the witness's TLS certificate, beside the public
    /// roots; for a witness on an internal network with its own CA.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// A file holding the API token (role `witness`) the witness node made for this one.
    pub token_file: PathBuf,
    /// The witness's own verifier key (`nightjar key show` on the witness prints it): its
    /// signature on each head is checked against it.
    pub key: String,
}

/// `[alerts]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// URL that receives each alert as a JSON document by HTTP POST; empty: none.
    pub webhook: String,
    /// Program and arguments run with each alert as JSON on standard input; empty: none.
    pub command: Vec<String>,
    /// Longest wait for the webhook's answer or the command's exit.
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    /// Wait before the second attempt; doubled for each next one (at most an hour).
    #[serde(with = "humantime_serde")]
    pub retry_backoff: Duration,
    /// Attempts before delivery is given up (the alert stays listed).
    pub max_attempts: u32,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            webhook: String::new(),
            command: vec![],
            timeout: Duration::from_secs(10),
            retry_backoff: Duration::from_secs(30),
            max_attempts: 10,
        }
    }
}

/// `[api]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// Address of the HTTP API of `nightjar run`; empty: no API.
    pub listen: String,
    /// Requests per second each token may make (bursts of twice that).
    pub rate_per_token: u32,
    /// Most items one page of a listing returns.
    pub max_page: u32,
    /// TLS certificate chain (PEM); with `tls_key_file`, the API speaks HTTPS.
    pub tls_cert_file: Option<PathBuf>,
    /// TLS private key (PEM).
    pub tls_key_file: Option<PathBuf>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            listen: "127.0.0.1:8470".into(),
            rate_per_token: 20,
            max_page: 500,
            tls_cert_file: None,
            tls_key_file: None,
        }
    }
}

impl ApiConfig {
    /// Whether the API speaks HTTPS.
    pub fn tls(&self) -> anyhow::Result<Option<(&Path, &Path)>> {
        match (&self.tls_cert_file, &self.tls_key_file) {
            (Some(c), Some(k)) => Ok(Some((c.as_path(), k.as_path()))),
            (None, None) => Ok(None),
            _ => bail!("api.tls_cert_file and api.tls_key_file go together: set both or neither"),
        }
    }

    /// The address to listen on, if any. Without TLS only loopback addresses are accepted:
    /// tokens must not cross a network in clear text.
    pub fn address(&self) -> anyhow::Result<Option<SocketAddr>> {
        if self.listen.trim().is_empty() {
            return Ok(None);
        }
        let addr: SocketAddr = self.listen.trim().parse().with_context(|| {
            format!(
                "api.listen = '{}' is not an address like 127.0.0.1:8470",
                self.listen
            )
        })?;
        if !addr.ip().is_loopback() && self.tls()?.is_none() {
            bail!(
                "api.listen = '{}' is not a loopback address and the API has no TLS: bearer \
                 tokens would cross the network in clear text; set api.tls_cert_file and \
                 api.tls_key_file",
                self.listen
            );
        }
        if self.rate_per_token == 0 || self.max_page == 0 {
            bail!("api.rate_per_token and api.max_page must be at least 1");
        }
        Ok(Some(addr))
    }
}

/// `[metrics]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Loopback address of the Prometheus endpoint (`GET /metrics`) of `nightjar run`;
    /// empty: no endpoint.
    pub listen: String,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            listen: "127.0.0.1:9464".into(),
        }
    }
}

impl MetricsConfig {
    /// The address to listen on, if any; only loopback addresses are accepted.
    pub fn address(&self) -> anyhow::Result<Option<SocketAddr>> {
        if self.listen.trim().is_empty() {
            return Ok(None);
        }
        let addr: SocketAddr = self.listen.trim().parse().with_context(|| {
            format!(
                "metrics.listen = '{}' is not an address like 127.0.0.1:9464",
                self.listen
            )
        })?;
        if !addr.ip().is_loopback() {
            bail!(
                "metrics.listen = '{}' is not a loopback address: metrics stay on this machine \
                 (put a reverse proxy with access control in front to expose them)",
                self.listen
            );
        }
        Ok(Some(addr))
    }
}

/// `[custody]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CustodyConfig {
    /// This node's Ed25519 signing key (PKCS#8 PEM, mode 0600); created on first start.
    /// Empty: DATA/node.key.
    pub key_file: Option<PathBuf>,
    /// Write the running chain head into the WARC file every this many records (and
    /// always when a file is closed).
    pub checkpoint_every: u64,
    /// RFC 3161 timestamping authority (http://) that timestamps every seal; none: seals
    /// are not timestamped.
    pub tsa_url: Option<String>,
    /// The TSA's CA certificate (PEM), which `nightjar verify` checks timestamps against.
    pub tsa_ca_file: Option<PathBuf>,
    /// How long to wait for the TSA.
    #[serde(with = "humantime_serde")]
    pub tsa_timeout: Duration,
    /// A signed head of the archive's Merkle log is made when a file is sealed, at shutdown,
    /// and at least this often while records are written.
    #[serde(with = "humantime_serde")]
    pub log_every: Duration,
    /// Append-only files that receive every signed head (witnesses the node cannot rewrite
    /// once they are on another volume, another machine or `chattr +a`).
    pub witness_files: Vec<PathBuf>,
    /// Other nightjar nodes that co-sign every head (see [`Cosigner`]).
    pub cosigners: Vec<Cosigner>,
}

impl Default for CustodyConfig {
    fn default() -> Self {
        CustodyConfig {
            key_file: None,
            checkpoint_every: 1000,
            tsa_url: None,
            tsa_ca_file: None,
            tsa_timeout: Duration::from_secs(30),
            log_every: Duration::from_secs(300),
            witness_files: Vec::new(),
            cosigners: Vec::new(),
        }
    }
}

/// `[recrawl]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RecrawlConfig {
    /// A page whose content changed comes back after its interval × this (at most 1).
    pub changed_factor: f64,
    /// A page whose content stayed the same comes back after its interval × this (at least 1).
    pub unchanged_factor: f64,
    /// Write a payload already archived for the URL as a `revisit` record (headers only).
    pub dedup: bool,
    /// Send `If-None-Match` / `If-Modified-Since` on recrawls; a `304` becomes a
    /// `server-not-modified` revisit.
    pub conditional_requests: bool,
    /// Stop recrawling a URL gone (404/410) this many captures in a row; 0: never.
    pub retire_after_gone: u32,
}

impl Default for RecrawlConfig {
    fn default() -> Self {
        let a = frontier::Adaptation::default();
        RecrawlConfig {
            changed_factor: a.changed_factor,
            unchanged_factor: a.unchanged_factor,
            dedup: true,
            conditional_requests: false,
            retire_after_gone: 3,
        }
    }
}

impl RecrawlConfig {
    /// The frontier's adaptation factors.
    pub fn adaptation(&self) -> frontier::Adaptation {
        frontier::Adaptation {
            changed_factor: self.changed_factor,
            unchanged_factor: self.unchanged_factor,
        }
    }
}

/// How streams through Tor are grouped onto circuits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Isolation {
    /// One isolation group per onion service (and per clearnet host routed through Tor):
    /// a site's requests share circuits, different sites never do.
    #[default]
    PerHost,
    /// One isolation group per seed.
    PerSeed,
}

/// `[tor]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TorConfig {
    /// Start the embedded Tor client (needed for `.onion` seeds and `route = "tor"`).
    pub enabled: bool,
    /// Route of clearnet seeds that do not choose one: `direct` or `tor`.
    pub default_route: frontier::Route,
    /// `per-host` or `per-seed` circuit isolation.
    pub isolation: Isolation,
    /// Stream set-up through Tor (circuit, onion descriptor, introduction, rendezvous).
    #[serde(with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// Most requests in flight to one onion service, whatever a seed asks for.
    pub max_streams_per_onion: u32,
    /// arti's state and cache directories; empty means DATA/tor/state and DATA/tor/cache.
    pub state_dir: Option<PathBuf>,
    /// See `state_dir`.
    pub cache_dir: Option<PathBuf>,
    /// arti's own configuration (its `arti.toml` keys: `tor_network`, `path_rules`,
    /// `address_filter`, `override_net_params`, …), passed through unchanged. Empty: the
    /// public Tor network with arti's defaults.
    pub arti: toml::Table,
}

impl Default for TorConfig {
    fn default() -> Self {
        TorConfig {
            enabled: false,
            default_route: frontier::Route::Direct,
            isolation: Isolation::PerHost,
            connect_timeout: Duration::from_secs(60),
            max_streams_per_onion: 2,
            state_dir: None,
            cache_dir: None,
            arti: toml::Table::new(),
        }
    }
}

/// `[data]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// Data directory: `warcs/` and `nightjar.db` go here. Relative paths are relative to the
    /// working directory.
    pub dir: PathBuf,
    /// The database: empty for the SQLite file in the data directory (the embedded
    /// default), or a PostgreSQL URL (`postgres://USER@HOST:PORT/DB`) for a database
    /// several nodes share (a build with the `postgres` feature).
    pub database: String,
}

impl DataConfig {
    /// The PostgreSQL URL, if the database is one.
    pub fn postgres_url(&self) -> Option<&str> {
        let d = self.database.trim();
        (d.starts_with("postgres://") || d.starts_with("postgresql://")).then_some(d)
    }
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            dir: PathBuf::from("data"),
            database: String::new(),
        }
    }
}

/// `[archive]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ArchiveConfig {
    /// File name prefix.
    pub prefix: String,
    /// `zstd` or `gzip`.
    pub compression: String,
    /// zstd level.
    pub zstd_level: i32,
    /// Rotate files at this size, in MiB.
    pub max_file_mib: u64,
    /// Who runs this crawler (written into every warcinfo).
    pub operator: String,
    /// Machine name for file names and warcinfo; empty: the system host name.
    pub hostname: String,
    /// Stop crawling while the archive volume has less free space than this (MiB), and
    /// resume when it has more again.
    pub min_free_mib: u64,
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        ArchiveConfig {
            prefix: "nightjar".into(),
            compression: "zstd".into(),
            zstd_level: 3,
            max_file_mib: 1024,
            operator: String::new(),
            hostname: String::new(),
            min_free_mib: 64,
        }
    }
}

/// `[crawl]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CrawlConfig {
    /// Directory of seed lists (`*.toml`), relative to the config file.
    pub seeds_dir: PathBuf,
    /// User-Agent header; its first word is the robots.txt product token.
    pub user_agent: String,
    /// Fetches in flight at once, across all hosts.
    pub concurrency: usize,
    /// Redirect hops followed from one URL.
    pub max_redirects: u32,
    /// Retries of a URL within a pass: after a transient failure (connection refused,
    /// timeout) or an error answer (429, 5xx).
    pub retries: u32,
    /// Wait before the first retry; doubles each time.
    #[serde(with = "humantime_serde")]
    pub retry_backoff: Duration,
    /// The longest wait a `Retry-After` header (or a 429/503 back-off) can impose on a host.
    #[serde(with = "humantime_serde")]
    pub retry_after_max: Duration,
    /// How long a site may stay down (onion service unreachable) before its URLs are given
    /// up for the pass; until then they wait without using up their retries.
    #[serde(with = "humantime_serde")]
    pub site_down_max: Duration,
    /// On SIGINT/SIGTERM, how long in-flight fetches may take to finish.
    #[serde(with = "humantime_serde")]
    pub shutdown_grace: Duration,
}

impl CrawlConfig {
    /// The retry policy these settings describe.
    pub fn retry_policy(&self) -> frontier::retry::RetryPolicy {
        frontier::retry::RetryPolicy {
            retries: self.retries,
            backoff: self.retry_backoff,
            max_wait: self.retry_after_max,
        }
    }
}

impl Default for CrawlConfig {
    fn default() -> Self {
        CrawlConfig {
            seeds_dir: PathBuf::from("../seeds"),
            user_agent: format!("nightjar/{}", env!("CARGO_PKG_VERSION")),
            concurrency: 16,
            max_redirects: 10,
            retries: 2,
            retry_backoff: Duration::from_secs(5),
            retry_after_max: Duration::from_secs(3600),
            site_down_max: Duration::from_secs(3600),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// `[politeness]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PolitenessConfig {
    /// Requests per second per host.
    pub rate_per_sec: f64,
    /// Requests in flight per host.
    pub max_in_flight: u32,
    /// `obey` or `ignore` robots.txt.
    pub robots: RobotsPolicy,
    /// How long robots.txt rules are kept before fetching them again.
    #[serde(with = "humantime_serde")]
    pub robots_max_age: Duration,
}

impl Default for PolitenessConfig {
    fn default() -> Self {
        PolitenessConfig {
            rate_per_sec: 1.0,
            max_in_flight: 1,
            robots: RobotsPolicy::Obey,
            robots_max_age: Duration::from_secs(24 * 3600),
        }
    }
}

/// `[fetch]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// TCP (and TLS) connection set-up.
    #[serde(with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// From request sent to response head received.
    #[serde(with = "humantime_serde")]
    pub first_byte_timeout: Duration,
    /// Whole exchange; a body still arriving then is archived as truncated.
    #[serde(with = "humantime_serde")]
    pub total_timeout: Duration,
    /// Largest body archived, in bytes; the rest is cut off (`WARC-Truncated: length`).
    pub max_body_bytes: u64,
    /// Largest decoded body handed to link extraction (gzip/br bomb guard).
    pub max_decoded_bytes: usize,
    /// Fetch anyway when a TLS certificate does not verify (the failure is recorded).
    pub accept_invalid_certs: bool,
    /// curl-style `host:port:address` overrides. The only way to reach loopback, private
    /// or link-local addresses.
    pub resolve: Vec<String>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            connect_timeout: Duration::from_secs(10),
            first_byte_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(300),
            max_body_bytes: 64 * 1024 * 1024,
            max_decoded_bytes: 64 * 1024 * 1024,
            accept_invalid_certs: false,
            resolve: Vec::new(),
        }
    }
}

/// `[seed_defaults]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SeedDefaults {
    /// `host`, `domain` or `prefix`.
    pub scope: ScopeKind,
    /// Link hops from the seed.
    pub max_depth: u32,
    /// URLs a seed keeps track of.
    pub max_pages: u64,
    /// Recrawl interval of the seed URL and starting interval of its pages; absent: crawl
    /// once.
    #[serde(with = "humantime_serde")]
    pub recrawl: Option<Duration>,
    /// Shortest interval a page adapts down to; absent: a quarter of `recrawl`.
    #[serde(with = "humantime_serde")]
    pub recrawl_min: Option<Duration>,
    /// Longest interval a page adapts up to; absent: eight times `recrawl`.
    #[serde(with = "humantime_serde")]
    pub recrawl_max: Option<Duration>,
}

impl Default for SeedDefaults {
    fn default() -> Self {
        SeedDefaults {
            scope: ScopeKind::Host,
            max_depth: 5,
            max_pages: 10_000,
            recrawl: Some(Duration::from_secs(24 * 3600)),
            recrawl_min: None,
            recrawl_max: None,
        }
    }
}

/// One resolver override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveOverride {
    /// Host name (lowercase).
    pub host: String,
    /// Port.
    pub port: u16,
    /// Address to connect to.
    pub addr: SocketAddr,
}

/// Parses `host:port:address` (IPv6 addresses may be bracketed).
pub fn parse_resolve(s: &str) -> anyhow::Result<ResolveOverride> {
    let mut parts = s.splitn(3, ':');
    let (Some(host), Some(port), Some(addr)) = (parts.next(), parts.next(), parts.next()) else {
        bail!("resolver override '{s}' is not HOST:PORT:ADDRESS (like curl's --resolve)");
    };
    let port: u16 = port
        .parse()
        .with_context(|| format!("resolver override '{s}': '{port}' is not a port number"))?;
    let ip: std::net::IpAddr = addr
        .trim_matches(|c| c == '[' || c == ']')
        .parse()
        .with_context(|| format!("resolver override '{s}': '{addr}' is not an IP address"))?;
    if host.is_empty() {
        bail!("resolver override '{s}' has an empty host name");
    }
    Ok(ResolveOverride {
        host: host.to_ascii_lowercase(),
        port,
        addr: SocketAddr::new(ip, port),
    })
}

impl Config {
    /// Reads a config file. A missing file at the default path means all defaults.
    pub fn load(path: &Path, must_exist: bool) -> anyhow::Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return Ok(Config::default())
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read config {}", path.display()))
            }
        };
        let mut cfg: Config = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start].matches('\n').count() + 1)
                .unwrap_or(0);
            anyhow::anyhow!("{}:{line}: {}", path.display(), e.message())
        })?;
        if cfg.crawl.seeds_dir.is_relative() {
            let base = path.parent().unwrap_or(Path::new("."));
            cfg.crawl.seeds_dir = base.join(&cfg.crawl.seeds_dir);
        }
        cfg.validate()
            .with_context(|| format!("invalid config {}", path.display()))?;
        crate::fetch::check_arti_config(&cfg, path, &text)?;
        Ok(cfg)
    }

    /// Checks values serde cannot.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.retention.check_every < Duration::from_secs(1) {
            bail!(
                "retention.check_every = {:?}: at least 1s",
                self.retention.check_every
            );
        }
        if self.retention.requesters.is_empty() || self.retention.approvers.is_empty() {
            bail!("retention.requesters and retention.approvers each need a role (operator, analyst or auditor)");
        }
        if !self.node.name.is_empty() && !valid_node_name(&self.node.name) {
            bail!(
                "node.name = {:?}: use letters, digits, '-', '_' and '.', at most 63 of them",
                self.node.name
            );
        }
        if self.node.lease < Duration::from_secs(1) || self.node.lease > Duration::from_secs(3600) {
            bail!("node.lease = {:?}: use between 1s and 1h", self.node.lease);
        }
        if !(1..=100_000).contains(&self.node.max_hosts) {
            bail!(
                "node.max_hosts = {}: use between 1 and 100000",
                self.node.max_hosts
            );
        }
        if !self.data.database.trim().is_empty() && self.data.postgres_url().is_none() {
            bail!(
                "data.database = '{}': leave it empty for the SQLite file in the data \
                 directory, or give a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)",
                self.data.database
            );
        }
        match self.archive.compression.as_str() {
            "zstd" | "gzip" => {}
            other => bail!("archive.compression = '{other}': use 'zstd' or 'gzip'"),
        }
        if !(1..=22).contains(&self.archive.zstd_level) {
            bail!(
                "archive.zstd_level = {}: use 1 to 22",
                self.archive.zstd_level
            );
        }
        if self.traps.max_fetches_per_host == Some(0) {
            bail!("traps.max_fetches_per_host must be at least 1 (leave it out for no limit)");
        }
        if self.crawl.concurrency == 0 {
            bail!("crawl.concurrency must be at least 1");
        }
        if !self.politeness.rate_per_sec.is_finite() || self.politeness.rate_per_sec <= 0.0 {
            bail!("politeness.rate_per_sec must be above 0");
        }
        for r in &self.fetch.resolve {
            parse_resolve(r)?;
        }
        self.metrics.address()?;
        self.api.address()?;
        for c in &self.custody.cosigners {
            match url::Url::parse(&c.url) {
                Ok(u) if (u.scheme() == "https" || u.scheme() == "http") && u.host().is_some() => {}
                _ => bail!(
                    "custody.cosigners url = '{}': use https://HOST:PORT (or http://HOST:PORT on a network you trust)",
                    c.url
                ),
            }
            if let Some(ca) = &c.ca_file {
                if !ca.is_file() {
                    bail!(
                        "custody.cosigners ca_file = '{}' does not exist",
                        ca.display()
                    );
                }
            }
            archive::custody::log::parse_verifier_key(&c.key)
                .map_err(|e| anyhow::anyhow!("custody.cosigners key: {e:#}"))?;
        }
        for k in &self.witness.logs {
            archive::custody::log::parse_verifier_key(k)
                .map_err(|e| anyhow::anyhow!("witness.logs: {e:#}"))?;
        }
        self.recrawl
            .adaptation()
            .validate()
            .map_err(|e| anyhow::anyhow!("recrawl.{e}"))?;
        Ok(())
    }

    /// The archive compression.
    pub fn compression(&self) -> archive::Compression {
        match self.archive.compression.as_str() {
            "gzip" => archive::Compression::Gzip,
            _ => archive::Compression::Zstd {
                level: self.archive.zstd_level,
            },
        }
    }

    /// The WARC directory inside the data directory.
    pub fn warc_dir(&self) -> PathBuf {
        self.data.dir.join("warcs")
    }

    /// The node key file.
    pub fn key_path(&self) -> PathBuf {
        self.custody
            .key_file
            .clone()
            .unwrap_or_else(|| self.data.dir.join("node.key"))
    }

    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.data.dir.join(crate::data::DB_FILE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_is_the_default() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/nightjar.toml");
        let shipped = Config::load(&path, true).unwrap();
        let default = Config::default();
        assert_eq!(
            format!("{:?}", shipped.fetch),
            format!("{:?}", default.fetch)
        );
        assert_eq!(
            format!("{:?}", shipped.politeness),
            format!("{:?}", default.politeness)
        );
        assert_eq!(
            format!("{:?}", shipped.archive),
            format!("{:?}", default.archive)
        );
        assert_eq!(
            format!("{:?}", shipped.traps),
            format!("{:?}", default.traps)
        );
        assert_eq!(
            format!("{:?}", shipped.seed_defaults),
            format!("{:?}", default.seed_defaults)
        );
        assert_eq!(
            format!("{:?}", shipped.recrawl),
            format!("{:?}", default.recrawl)
        );
        assert_eq!(
            format!("{:?}", shipped.custody),
            format!("{:?}", default.custody)
        );
        assert_eq!(
            format!("{:?}", shipped.alerts),
            format!("{:?}", default.alerts)
        );
        assert_eq!(shipped.retention, default.retention);
        assert_eq!(shipped.crawl.concurrency, default.crawl.concurrency);
        assert_eq!(shipped.crawl.user_agent, default.crawl.user_agent);
    }

    #[test]
    fn unknown_keys_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "[fetch]\nconnect_timeout = \"5s\"\nconect = 1\n").unwrap();
        let err = Config::load(&p, true).unwrap_err().to_string();
        assert!(err.contains("c.toml:3"), "{err}");
        assert!(err.contains("conect"), "{err}");
    }

    #[test]
    fn resolve_overrides() {
        let r = parse_resolve("Site.test:8080:127.0.0.1").unwrap();
        assert_eq!(r.host, "site.test");
        assert_eq!(r.addr, "127.0.0.1:8080".parse().unwrap());
        assert!(parse_resolve("site.test:80").is_err());
        assert!(parse_resolve("site.test:x:127.0.0.1").is_err());
        assert!(parse_resolve("a:1:[::1]").is_ok());
    }
}
