//! The command line's arguments: every subcommand and flag, kept apart from the code that
//! carries them out (the other `cli` modules), as ripgrep keeps its flags apart.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use frontier::scope::ScopeKind;

/// The configuration file read when `--config` is not given; it may be missing.
pub(crate) const DEFAULT_CONFIG: &str = "config/nightjar.toml";

/// nightjar keeps watch over web sites and archives every capture as WARC evidence.
#[derive(Parser)]
#[command(name = "nightjar", version, about)]
pub(crate) struct Cli {
    /// Configuration file.
    #[arg(long, global = true, default_value = DEFAULT_CONFIG)]
    pub(crate) config: PathBuf,
    /// Data directory (archive and database); overrides `data.dir` of the config.
    #[arg(long, global = true)]
    pub(crate) data: Option<PathBuf>,
    /// Directory of seed lists; overrides `crawl.seeds_dir` of the config.
    #[arg(long, global = true)]
    pub(crate) seeds: Option<PathBuf>,
    /// Log filter (error, warn, info, debug, or tracing directives). With info or warn, the
    /// embedded Tor client logs errors only (name its crates, e.g. `info,tor_netdir=warn`,
    /// to see more).
    #[arg(long, global = true, default_value = "info", env = "NIGHTJAR_LOG")]
    pub(crate) log: String,
    /// Log format: text (under systemd, without timestamps: journald adds them) or json
    /// (one object per line).
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        env = "NIGHTJAR_LOG_FORMAT"
    )]
    pub(crate) log_format: LogFormat,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Run the daemon: crawl the seed lists and recrawl them on schedule until stopped.
    Run,
    /// Crawl the given URLs once and exit when nothing is left.
    Crawl {
        /// Start URLs.
        #[arg(required = true)]
        urls: Vec<String>,
        /// Link hops from each start URL.
        #[arg(long)]
        depth: Option<u32>,
        /// Most URLs per start URL.
        #[arg(long)]
        max_pages: Option<u64>,
        /// How far to reach: host, domain or prefix.
        #[arg(long)]
        scope: Option<ScopeKind>,
        /// Requests per second per host.
        #[arg(long)]
        rate: Option<f64>,
        /// Map HOST:PORT to ADDR, like curl's --resolve (repeatable).
        #[arg(long, value_name = "HOST:PORT:ADDR")]
        resolve: Vec<String>,
        /// ISO 3166 region of phone numbers the pages write without a country code (RU).
        #[arg(long)]
        region: Option<String>,
    },
    /// List every capture of a URL.
    Captures {
        /// The URL.
        url: String,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Print an archived HTTP response, read back from its WARC record.
    Show {
        /// Capture ID (from `nightjar captures`).
        id: i64,
        /// Only the response head.
        #[arg(long, conflicts_with = "body")]
        headers: bool,
        /// Only the body, as archived (transfer-coding removed, content-coding kept).
        #[arg(long)]
        body: bool,
        /// Why you view it (case number or justification): recorded in the audit log.
        #[arg(long)]
        reason: String,
    },
    /// What changed: a feed of change events, newest first.
    ///
    /// Classes: new, changed, cosmetic (bytes differ, visible text and links do not),
    /// unchanged, gone (404/410 after it answered), back (answers again), error, logged-out
    /// (served while a seed's session was lost: not compared). Without --class, unchanged,
    /// cosmetic and logged-out captures are left out.
    Changes {
        /// From this time: a duration ago (24h, 7d), a date or an RFC 3339 time.
        #[arg(long, default_value = "24h")]
        since: String,
        /// Up to this time (same forms; a date includes that whole day).
        #[arg(long)]
        until: Option<String>,
        /// Only this seed (its label).
        #[arg(long)]
        seed: Option<String>,
        /// Only the seeds of this site (every address of it that is crawled).
        #[arg(long)]
        site: Option<String>,
        /// Only this host (host, or host:port for a non-default port).
        #[arg(long)]
        host: Option<String>,
        /// Only these classes, comma-separated (changed,gone,…).
        #[arg(long, value_delimiter = ',')]
        class: Vec<archive::changes::ChangeClass>,
        /// At most this many events.
        #[arg(long, default_value_t = 1000)]
        limit: i64,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Validated entities found in the archive (crypto addresses, PGP keys, IBANs, e-mails,
    /// phone numbers, onions), most recently seen first.
    Entities {
        /// Only this kind: btc, eth, xmr, ltc, bch, trx, pgp, iban, email, phone, onion,
        /// handle.
        #[arg(long)]
        kind: Option<String>,
        /// Only entities seen since this time: a duration ago (24h, 7d), a date or an
        /// RFC 3339 time.
        #[arg(long)]
        since: Option<String>,
        /// Only entities seen on this seed (its label).
        #[arg(long)]
        seed: Option<String>,
        /// Only entities seen on the seeds of this site (every address of it that is crawled).
        #[arg(long)]
        site: Option<String>,
        /// Only entities seen on more than one host, the most widely seen first: the leads.
        #[arg(long)]
        shared: bool,
        /// At most this many entities.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Where and when one entity appeared: its hosts and every capture it was in.
    Entity {
        /// The value as written (an address, +7 916 123-45-67, an e-mail, a fingerprint).
        value: String,
        /// Its kind, for a value that is not checked by its form (a handle).
        #[arg(long)]
        kind: Option<String>,
        /// At most this many sightings.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over the visible text of every archived page: words, "phrases",
    /// AND, OR, NOT, parentheses, prefix*.
    Search {
        /// The query.
        query: String,
        /// Only captures of this seed.
        #[arg(long)]
        seed: Option<String>,
        /// Only captures of this host (host, or host:port for a non-default port).
        #[arg(long)]
        host: Option<String>,
        /// From this time (a duration ago, a date or an RFC 3339 time).
        #[arg(long)]
        since: Option<String>,
        /// Up to this time.
        #[arg(long)]
        until: Option<String>,
        /// At most this many URLs.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Builds what is derived from archived records for captures that predate it, without
    /// fetching anything again. Resumable: stopped, it goes on where it was.
    Reindex {
        /// Extract entities and index page text for full-text search.
        #[arg(long, required = true)]
        entities: bool,
    },
    /// The entities of a selection as a MISP event (JSON), for partners who use MISP.
    Misp {
        /// Case identifier, in the event's title.
        #[arg(long)]
        case: String,
        /// Only entities seen on this seed.
        #[arg(long)]
        seed: Option<String>,
        /// Only sightings from this time (a duration ago, a date or RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// Only sightings up to this time.
        #[arg(long)]
        until: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Watches: be told when an entity, a phrase or a pattern shows up in a new capture.
    Watch {
        #[command(subcommand)]
        action: WatchAction,
    },
    /// Alerts raised by watches, newest first, with their delivery to the sinks.
    Alerts {
        /// Only this watch's.
        #[arg(long)]
        watch: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Sites: each with its seeds (addresses), the mirrors its signed lists verified, and
    /// the newest check of each mirror file.
    Sites {
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// One site: its addresses over time (seeds and verified mirrors), its canary, and its
    /// mirror checks, newest first.
    Site {
        /// The site (a seed's `site`, else its label).
        name: String,
        /// At most this many checks.
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The capture timeline of one URL, with change classes and text similarity.
    History {
        /// The URL.
        url: String,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// What differs between two captures: text (unified diff), links, response headers.
    Diff {
        /// The earlier capture's ID.
        a: i64,
        /// The later capture's ID.
        b: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Why you compare them (case number or justification): recorded in the audit log.
        #[arg(long)]
        reason: String,
    },
    /// Export captures as a signed WACZ evidence package (with a custody report).
    Export {
        /// Every capture of this URL.
        #[arg(long, group = "what")]
        url: Option<String>,
        /// Every capture of this seed (its label).
        #[arg(long, group = "what")]
        seed: Option<String>,
        /// Every capture of this site's seeds (every crawled address of it).
        #[arg(long, group = "what")]
        site: Option<String>,
        /// These captures (repeatable).
        #[arg(long = "capture", group = "what")]
        captures: Vec<i64>,
        /// From this time (a duration ago like 7d, a date, or RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// Up to this time (same forms; a date includes that day).
        #[arg(long)]
        until: Option<String>,
        /// Case identifier, recorded in the package.
        #[arg(long)]
        case: String,
        /// Why the export is made (justification), recorded in the package.
        #[arg(long)]
        reason: String,
        /// Where to write the package (.wacz).
        #[arg(long)]
        out: PathBuf,
    },
    /// Manage the seed set: the seed files in the seeds directory, edited in place.
    ///
    /// Every change is checked first and logged with the Unix user who made it; a running
    /// daemon picks it up by itself.
    Seeds {
        #[command(subcommand)]
        action: SeedsAction,
    },
    /// API tokens: create (shown once), list, revoke.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// The archive's chain of custody: acknowledging its repair records.
    Custody {
        #[command(subcommand)]
        action: CustodyAction,
    },
    /// Erasure on request (data processed unlawfully): one person asks, with a reason; a
    /// second approves (`nightjar erase approve`), and only then are the captures erased.
    ///
    /// Give one of --capture, --url or --entity to ask; the subcommands decide and list.
    #[command(args_conflicts_with_subcommands = true)]
    Erase {
        #[command(subcommand)]
        action: Option<EraseAction>,
        /// A capture's ID.
        #[arg(long, conflicts_with_all = ["url", "entity"])]
        capture: Option<i64>,
        /// Every capture of this URL.
        #[arg(long, conflicts_with = "entity")]
        url: Option<String>,
        /// Every capture this entity (a phone number, an email, an address…) was seen in.
        #[arg(long)]
        entity: Option<String>,
        /// Why (the legal ground): it goes into the audit log and the erasure record.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Legal holds: a case's captures kept from any erasure until the hold is released.
    Hold {
        #[command(subcommand)]
        action: HoldAction,
    },
    /// Retention per seed: how long captures are kept, what is due for erasure, what is
    /// held, what is due for review.
    Retention {
        /// One JSON object.
        #[arg(long)]
        json: bool,
        /// Erase what is due now, and carry out approved erasure requests (only while no
        /// daemon runs on the data directory; a daemon does it every retention.check_every).
        #[arg(long)]
        apply: bool,
    },
    /// This node's signing key (seals and exports), created on first use.
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
    /// List the nodes sharing this PostgreSQL database: heartbeat, hosts held, queued URLs,
    /// captures.
    Nodes {
        /// One JSON object per node, one per line.
        #[arg(long)]
        json: bool,
    },
    /// Show what the crawler working on this data directory is doing (or last did).
    Status {
        /// Print the status file as it is (JSON).
        #[arg(long)]
        json: bool,
    },
    /// Print an index of the archive.
    Index {
        /// CDXJ (pywb/WACZ form), sorted.
        #[arg(long, required = true)]
        cdxj: bool,
    },
    /// Re-read every WARC file, recompute every digest, and check the index against them.
    Verify {
        /// Check the audit log's hash chain instead.
        #[arg(long, conflicts_with = "dir")]
        audit: bool,
        /// A data directory, or a directory of WARC files (default: the configured data dir).
        dir: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// A witness's copy of the log's signed heads (a witness file, the daemon's journal
        /// saved with `journalctl -u nightjar -o cat`, or a co-signing witness node's API as
        /// http://HOST:PORT): the archive (or, with --audit, the audit log) must extend every
        /// head in it. Repeatable.
        #[arg(long, value_name = "FILE|URL")]
        witness: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
pub(crate) enum EraseAction {
    /// Approve a waiting erasure request (you may not approve your own). Carried out at once
    /// when no daemon runs on the data directory; otherwise the daemon does it at its next
    /// retention check.
    Approve {
        /// The request's number.
        id: i64,
        /// Why it is approved: it goes into the audit log.
        #[arg(long)]
        reason: String,
    },
    /// Reject a waiting erasure request.
    Reject {
        /// The request's number.
        id: i64,
        /// Why: it goes into the audit log.
        #[arg(long)]
        reason: String,
    },
    /// List the erasure requests and the erasures carried out.
    List {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum HoldAction {
    /// Put a case's captures on hold: by one capture, URL, seed or entity, and/or a time
    /// range (captured since/until).
    Add {
        /// The case's ID.
        #[arg(long)]
        case: String,
        /// Why: it goes into the audit log.
        #[arg(long)]
        reason: String,
        /// A capture's ID.
        #[arg(long)]
        capture: Option<i64>,
        /// Every capture of this URL.
        #[arg(long)]
        url: Option<String>,
        /// Every capture of this seed.
        #[arg(long)]
        seed: Option<String>,
        /// Every capture this entity was seen in.
        #[arg(long)]
        entity: Option<String>,
        /// Captured at or after (2026-03-01 or an RFC 3339 time).
        #[arg(long)]
        since: Option<String>,
        /// Captured before.
        #[arg(long)]
        until: Option<String>,
    },
    /// Release a hold.
    Release {
        /// The hold's number.
        id: i64,
        /// Why: it goes into the audit log.
        #[arg(long)]
        reason: String,
    },
    /// List the holds in force (with --all, released ones too).
    List {
        /// Only this case's.
        #[arg(long)]
        case: Option<String>,
        /// Released holds too.
        #[arg(long)]
        all: bool,
        /// One JSON object per hold, one per line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum CustodyAction {
    /// Acknowledge a repair record that `nightjar verify` lists (a torn tail cut back, a
    /// file sealed late), once you have checked it: the acknowledgement, with your reason,
    /// goes to the audit log, and verify shows it beside the repair.
    Ack {
        /// The repair record's WARC-Record-ID, as `nightjar verify` prints it.
        record_id: String,
        /// Why the repair is sound (what you checked): it goes into the audit log.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum TokenAction {
    /// Make a token for the API; it is printed once and only its hash is kept.
    Create {
        /// operator (seeds, crawl control), analyst (read, export), auditor (audit log) or
        /// witness (another node handing its log heads to this one to co-sign).
        #[arg(long)]
        role: crawler::api::access::Role,
        /// A unique name (who or what uses it); it names the caller in the audit log.
        #[arg(long)]
        name: String,
    },
    /// Every token (never the secrets).
    List,
    /// Revoke a token by name.
    Revoke {
        /// The token's name.
        name: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum WatchAction {
    /// Add a watch: each new capture that matches raises one alert.
    Add {
        /// A unique name.
        name: String,
        /// An entity, as written (an address, +7 916 …, an e-mail); KIND:VALUE for a handle.
        #[arg(long, group = "rule")]
        entity: Option<String>,
        /// A phrase in the visible text (case and spacing aside).
        #[arg(long, group = "rule")]
        text: Option<String>,
        /// A regular expression over the visible text.
        #[arg(long, group = "rule")]
        regex: Option<String>,
        /// Only captures of this seed.
        #[arg(long)]
        seed: Option<String>,
        /// Only captures of this host (host, or host:port for a non-default port).
        #[arg(long)]
        host: Option<String>,
    },
    /// The live watches.
    List {
        /// Removed ones too.
        #[arg(long)]
        all: bool,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Remove a watch (its alerts stay).
    Remove {
        /// Its name.
        name: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum SeedsAction {
    /// Every seed: enabled or not, its file, and what the database knows of it.
    List {
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Add a seed (checked first: URL, scope, interval, onion address checksum).
    Add {
        /// Start URL.
        url: String,
        /// Unique name (default: the URL's host).
        #[arg(long)]
        label: Option<String>,
        /// host, domain or prefix.
        #[arg(long)]
        scope: Option<ScopeKind>,
        /// Recrawl interval ("6h", "7d", "never").
        #[arg(long)]
        recrawl: Option<String>,
        /// Link hops from the seed.
        #[arg(long)]
        max_depth: Option<u32>,
        /// URLs the seed keeps track of.
        #[arg(long)]
        max_pages: Option<u64>,
        /// direct or tor (clearnet seeds; onion seeds always use Tor).
        #[arg(long)]
        route: Option<frontier::Route>,
        /// Add it disabled.
        #[arg(long)]
        disabled: bool,
        /// Seed file (a name in the seeds directory).
        #[arg(long, default_value = "added.toml")]
        file: String,
    },
    /// Remove a seed from its file (its captures stay in the archive).
    Remove {
        /// The seed's label.
        label: String,
    },
    /// Crawl a disabled seed again.
    Enable {
        /// The seed's label.
        label: String,
    },
    /// Stop crawling a seed but keep it in its file (`enabled = false`).
    Disable {
        /// The seed's label.
        label: String,
    },
    /// Copy a seed file's seeds into the seeds directory (all of them, or none on a problem).
    Import {
        /// The seed file.
        file: PathBuf,
    },
    /// Print every seed as one seed file (which `seeds import` takes back).
    Export {
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Who changed the seed set, and when.
    Log {
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
pub(crate) enum KeyAction {
    /// Print the public key and its fingerprint (the private key never leaves its file).
    Show,
    /// Replace the node key: a rotation record signed by the old key (and the new) goes into
    /// the archive, which is closed and sealed with the old key; then the new key takes
    /// over. The daemon must be stopped. Witnesses that co-sign this node's heads need the
    /// new log verifier key (printed) in their [witness] logs.
    Rotate {
        /// Why (one line; it goes into the archive and the audit log).
        #[arg(long)]
        reason: String,
    },
}
