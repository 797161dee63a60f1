//! `nightjar`: the command line of the crawler and daemon.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use crawler::config::{parse_resolve, Config};
use crawler::data::{open_db, open_for_crawl};
use crawler::engine::{Crawler, Mode};
use crawler::fetch::tor::TorFetcher;
use crawler::fetch::{DirectFetcher, Router};
use crawler::seeds::{read_seed_dir, SeedEntry};
use crawler::{monitor, service};
use frontier::scope::ScopeKind;

const DEFAULT_CONFIG: &str = "config/nightjar.toml";

/// nightjar keeps watch over web sites and archives every capture as WARC evidence.
#[derive(Parser)]
#[command(name = "nightjar", version, about)]
struct Cli {
    /// Configuration file.
    #[arg(long, global = true, default_value = DEFAULT_CONFIG)]
    config: PathBuf,
    /// Data directory (archive and database); overrides `data.dir` of the config.
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    /// Directory of seed lists; overrides `crawl.seeds_dir` of the config.
    #[arg(long, global = true)]
    seeds: Option<PathBuf>,
    /// Log filter (error, warn, info, debug, or tracing directives).
    #[arg(long, global = true, default_value = "info", env = "NIGHTJAR_LOG")]
    log: String,
    /// Log format: text (under systemd, without timestamps: journald adds them) or json
    /// (one object per line).
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        env = "NIGHTJAR_LOG_FORMAT"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    /// unchanged, gone (404/410 after it answered), back (answers again), error. Without
    /// --class, unchanged and cosmetic captures are left out.
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
    /// This node's signing key (seals and exports), created on first use.
    Key {
        #[command(subcommand)]
        action: KeyAction,
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
    },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Make a token for the API; it is printed once and only its hash is kept.
    Create {
        /// operator (seeds, crawl control), analyst (read, export) or auditor (audit log).
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
enum SeedsAction {
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
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum KeyAction {
    /// Print the public key and its fingerprint (the private key never leaves its file).
    Show,
}

/// Where the configuration comes from: the file and the command line's overrides (kept so
/// that a reload reads it the same way).
#[derive(Clone)]
struct ConfigSource {
    file: PathBuf,
    data: Option<PathBuf>,
    seeds: Option<PathBuf>,
}

impl ConfigSource {
    fn of(cli: &Cli) -> ConfigSource {
        ConfigSource {
            file: cli.config.clone(),
            data: cli.data.clone(),
            seeds: cli.seeds.clone(),
        }
    }

    fn load(&self) -> anyhow::Result<Config> {
        let must_exist = self.file != Path::new(DEFAULT_CONFIG);
        let mut cfg = Config::load(&self.file, must_exist)?;
        if let Some(d) = &self.data {
            cfg.data.dir = d.clone();
        }
        if let Some(s) = &self.seeds {
            cfg.crawl.seeds_dir = s.clone();
        }
        Ok(cfg)
    }
}

/// Opens the data directory for crawling and repairs it. The returned lock guard must live as
/// long as the crawl.
async fn start(cfg: Config) -> anyhow::Result<(Arc<Crawler>, std::fs::File)> {
    let cfg = Arc::new(cfg);
    let store = open_for_crawl(&cfg).await?;
    let tor = if cfg.tor.enabled {
        Some(TorFetcher::start(&cfg)?)
    } else {
        None
    };
    let fetcher = Arc::new(Router::new(DirectFetcher::from_config(&cfg)?, tor));
    let crawler = Arc::new(Crawler::new(&store, fetcher, cfg));
    let recovery = crawler.recover().await?;
    crawler
        .metrics
        .recovery(recovery.files, recovery.reindexed, recovery.torn_bytes);
    crawler.resume_custody().await?;
    Ok((crawler, store.lock))
}

async fn summary(crawler: &Crawler, stopped: bool) -> anyhow::Result<()> {
    crawler.close_archive().await?;
    let files = crawler.writer.lock().expect("writer lock").files().to_vec();
    let s = &crawler.stats;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: {} pages archived, {} bytes written, {} errors, {} skipped by robots.txt",
        if stopped {
            "crawl stopped (start it again to resume)"
        } else {
            "crawl finished"
        },
        s.pages.load(Ordering::Relaxed),
        s.bytes.load(Ordering::Relaxed),
        s.errors.load(Ordering::Relaxed),
        s.robots_skipped.load(Ordering::Relaxed),
    )?;
    if files.is_empty() {
        writeln!(out, "WARC files: none written")?;
        return Ok(());
    }
    writeln!(out, "WARC files:")?;
    let dir = crawler.cfg().warc_dir();
    for f in files {
        match archive::writer::locate(&dir, &f) {
            Some(p) if p.extension().is_some_and(|e| e == "open") => writeln!(
                out,
                "  {} (holds records not yet indexed; the next start indexes and closes it)",
                p.display()
            )?,
            Some(p) => writeln!(out, "  {}", p.display())?,
            None => {}
        }
    }
    Ok(())
}

async fn cmd_crawl(mut cfg: Config, cmd: &Command) -> anyhow::Result<()> {
    let Command::Crawl {
        urls,
        depth,
        max_pages,
        scope,
        rate,
        resolve,
    } = cmd
    else {
        unreachable!()
    };
    for r in resolve {
        parse_resolve(r)?;
        cfg.fetch.resolve.push(r.clone());
    }
    let mut specs = Vec::new();
    for u in urls {
        let entry = SeedEntry {
            label: format!("cli:{u}"),
            url: u.clone(),
            scope: *scope,
            include: vec![],
            exclude: vec![],
            max_depth: *depth,
            max_pages: *max_pages,
            recrawl: Some("never".into()),
            recrawl_min: None,
            recrawl_max: None,
            rate_per_sec: *rate,
            max_in_flight: None,
            robots: None,
            route: None,
            enabled: None,
        };
        let mut spec = entry
            .to_spec(&cfg)
            .with_context(|| format!("cannot crawl '{u}'"))?;
        spec.label = format!("cli:{}", spec.url);
        specs.push(spec);
    }
    let stop = service::stop_signals()?;
    let (crawler, _lock) = start(cfg).await?;
    crawler.record_robots_policy(&crawler.cfg(), &specs);
    for spec in &specs {
        let id = crawler.frontier.register_seed(spec).await?;
        if !crawler.frontier.schedule_seed(id).await? {
            crawler.frontier.restart_seed(id).await?;
        }
    }
    crawler.run(Mode::UntilEmpty, stop.clone()).await?;
    let stopped = *stop.borrow();
    summary(&crawler, stopped).await
}

async fn cmd_run(cli: &Cli, cfg: Config) -> anyhow::Result<()> {
    let (seeds, problems) = read_seed_dir(&cfg.crawl.seeds_dir, &cfg)?;
    for p in &problems {
        tracing::error!("{p} (this seed is skipped)");
    }
    if seeds.is_empty() {
        bail!(
            "no usable seeds in {}: add a [[seed]] to a .toml file there (see seeds/example.toml)",
            cfg.crawl.seeds_dir.display()
        );
    }
    let stop = service::stop_signals()?;
    let (reload_tx, reload_rx) = tokio::sync::mpsc::unbounded_channel();
    service::reload_signal(reload_tx.clone())?;
    let (crawler, _lock) = start(cfg).await?;
    let cfg = crawler.cfg();
    crawler.record_robots_policy(&cfg, &seeds);
    for spec in &seeds {
        crawler.frontier.register_seed(spec).await?;
    }
    crawler.seeds_changed(&seeds);
    crawler.schedule_all().await?;
    let _watcher = match service::watch_seeds(&cfg.crawl.seeds_dir, reload_tx) {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!(dir = %cfg.crawl.seeds_dir.display(), "cannot watch the seeds directory ({e}): edits there take effect on SIGHUP (systemctl reload nightjar)");
            None
        }
    };
    if let Some(addr) = cfg.metrics.address()? {
        match crawler::metrics::serve(crawler.clone(), addr).await {
            Ok(bound) => {
                tracing::info!(%bound, "metrics at http://{bound}/metrics");
                crawler.activity.lock().expect("activity lock").metrics = Some(bound.to_string());
            }
            Err(e) => tracing::error!(
                "cannot serve metrics on {addr} ({e}): crawling goes on without them; \
                 set metrics.listen to a free loopback address"
            ),
        }
    }
    if let Some(addr) = cfg.api.address()? {
        match crawler::api::serve(crawler.clone(), addr).await {
            Ok(bound) => {
                tracing::info!(%bound, "API at http://{bound}/api/v1/");
                crawler.activity.lock().expect("activity lock").api = Some(bound.to_string());
            }
            Err(e) => tracing::error!(
                "cannot serve the API on {addr} ({e}): crawling goes on without it; \
                 set api.listen to a free loopback address"
            ),
        }
    }
    let source = ConfigSource::of(cli);
    tokio::spawn(service::reloads(
        crawler.clone(),
        Arc::new(move || source.load()),
        reload_rx,
    ));
    crawler::status::write(&crawler).await?;
    service::notify_ready(&format!("crawling {} seeds", seeds.len()));
    tracing::info!(seeds = seeds.len(), data = %cfg.data.dir.display(), "nightjar is running");
    crawler
        .run(
            Mode::Forever {
                reschedule: Duration::from_millis(250),
            },
            stop,
        )
        .await?;
    match summary(&crawler, true).await {
        // Nothing is lost: the open file is closed at the next start.
        Err(e) if service::is_disk_full(&e) => {
            tracing::error!(
                "stopped on a full volume; the WARC file stays open until the next start: {e:#}"
            );
            Ok(())
        }
        other => other,
    }
}

async fn cmd_captures(cfg: Config, url: &str, json: bool) -> anyhow::Result<()> {
    let pool = open_db(&cfg.db_path(), false).await?;
    let canonical = frontier::canon::canonicalize(url)?;
    let rows = archive::index::captures_of(&pool, canonical.as_str()).await?;
    let result = format!("ok: {} captures", rows.len());
    audit_cli(
        &pool,
        "captures.search",
        &format!("url={canonical}"),
        "",
        &result,
    )
    .await?;
    let mut out = std::io::stdout().lock();
    if json {
        for r in &rows {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "no captures of {canonical}")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:>6}  {:<24}  {:>6}  {:<24}  {:<71}  location",
        "id", "time", "status", "mime", "payload digest"
    )?;
    for r in &rows {
        match &r.error {
            Some(e) => writeln!(
                out,
                "{:>6}  {:<24}  {:>6}  error ({}): {e}",
                r.id,
                r.captured_at,
                "-",
                r.error_class.map_or("?", |c| c.as_str())
            )?,
            None => writeln!(
                out,
                "{:>6}  {:<24}  {:>6}  {:<24}  {:<71}  {}@{}{}",
                r.id,
                r.captured_at,
                r.status,
                r.mime.as_deref().unwrap_or("-"),
                r.payload_digest.as_deref().unwrap_or("-"),
                r.file.as_deref().unwrap_or("-"),
                r.file_offset.unwrap_or(0),
                match (&r.truncated, r.is_revisit()) {
                    (Some(t), _) => format!(" (truncated: {t})"),
                    (None, true) => " (revisit: body as archived before)".into(),
                    _ => String::new(),
                },
            )?,
        }
    }
    Ok(())
}

/// Records a command-line action in the audit log, as the Unix user running it.
async fn audit_cli(
    pool: &sqlx::SqlitePool,
    action: &str,
    target: &str,
    reason: &str,
    result: &str,
) -> anyhow::Result<()> {
    let actor = format!("user:{}", crawler::seed_admin::who());
    let event = crawler::audit::Event {
        actor: &actor,
        role: "cli",
        action,
        target,
        reason,
        result,
    };
    crawler::audit::append(pool, &event).await?;
    Ok(())
}

/// A reason that is not blank.
fn given(reason: &str) -> anyhow::Result<&str> {
    let r = reason.trim();
    if r.is_empty() {
        bail!("--reason must say why (a case number or justification): it goes to the audit log");
    }
    Ok(r)
}

async fn cmd_show(
    cfg: Config,
    id: i64,
    headers: bool,
    body: bool,
    reason: &str,
) -> anyhow::Result<()> {
    let reason = given(reason)?;
    let pool = open_db(&cfg.db_path(), false).await?;
    let part = match (headers, body) {
        (true, _) => "capture.headers",
        (_, true) => "capture.body",
        _ => "capture.record",
    };
    let row = archive::index::capture(&pool, id).await?;
    let result = if row.is_some() { "ok" } else { "not found" };
    audit_cli(&pool, part, &id.to_string(), reason, result).await?;
    let row =
        row.with_context(|| format!("no capture {id}; `nightjar captures URL` lists capture IDs"))?;
    let rec = monitor::read_record(&cfg.warc_dir(), &row)?;
    let mut out = std::io::stdout().lock();
    if body && row.is_revisit() {
        // A revisit's body is its original's, byte for byte (the digests say so).
        let original = monitor::payload_holder(&pool, &row).await?;
        eprintln!(
            "capture {id} is a revisit: the body is that of capture {} ({})",
            original.id, original.captured_at
        );
        let rec = monitor::read_record(&cfg.warc_dir(), &original)?;
        let msg = archive::http::HttpMessage::parse_response(&rec.block)?;
        out.write_all(&msg.payload)?;
    } else if headers || body {
        let msg = archive::http::HttpMessage::parse_response(&rec.block)?;
        if headers {
            out.write_all(&rec.block[..msg.body_offset])?;
        } else {
            out.write_all(&msg.payload)?;
        }
    } else {
        out.write_all(&rec.block)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn cmd_changes(cfg: Config, cmd: &Command) -> anyhow::Result<()> {
    let Command::Changes {
        since,
        until,
        seed,
        host,
        class,
        limit,
        json,
    } = cmd
    else {
        unreachable!()
    };
    let now = chrono::Utc::now();
    let filter = archive::changes::Filter {
        since: Some(monitor::parse_time(since, now, monitor::DayEnd::Start)?),
        until: until
            .as_deref()
            .map(|u| monitor::parse_time(u, now, monitor::DayEnd::End))
            .transpose()?,
        seed: seed.clone(),
        host: host.clone(),
        classes: if class.is_empty() {
            archive::changes::ChangeClass::NOTEWORTHY.to_vec()
        } else {
            class.clone()
        },
        limit: *limit,
    };
    let pool = open_db(&cfg.db_path(), false).await?;
    let rows = archive::changes::feed(&pool, &filter).await?;
    let target = format!(
        "since={}{}{}",
        filter.since.as_deref().unwrap_or(""),
        seed.as_ref()
            .map(|s| format!("&seed={s}"))
            .unwrap_or_default(),
        host.as_ref()
            .map(|h| format!("&host={h}"))
            .unwrap_or_default()
    );
    let result = format!("ok: {} changes", rows.len());
    audit_cli(&pool, "changes.feed", &target, "", &result).await?;
    let empty = format!("no changes since {}", filter.since.unwrap_or_default());
    monitor::print_changes(&rows, *json, &empty)
}

async fn cmd_history(cfg: Config, url: &str, json: bool) -> anyhow::Result<()> {
    let pool = open_db(&cfg.db_path(), false).await?;
    let canonical = frontier::canon::canonicalize(url)?;
    let rows = archive::changes::history(&pool, canonical.as_str()).await?;
    let result = format!("ok: {} captures", rows.len());
    audit_cli(&pool, "history", canonical.as_str(), "", &result).await?;
    monitor::print_changes(&rows, json, &format!("no captures of {canonical}"))
}

async fn cmd_diff(cfg: Config, a: i64, b: i64, json: bool, reason: &str) -> anyhow::Result<()> {
    let reason = given(reason)?;
    let pool = open_db(&cfg.db_path(), false).await?;
    let d = monitor::diff(&pool, &cfg.warc_dir(), a, b).await;
    let result = match &d {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("error: {e:#}"),
    };
    audit_cli(&pool, "diff", &format!("{a}..{b}"), reason, &result).await?;
    let d = d?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?;
    } else {
        out.write_all(monitor::render_diff(&d).as_bytes())?;
    }
    Ok(())
}

async fn cmd_export(cfg: Config, cmd: &Command) -> anyhow::Result<()> {
    let Command::Export {
        url,
        seed,
        captures,
        since,
        until,
        case,
        reason,
        out,
    } = cmd
    else {
        unreachable!()
    };
    if url.is_none() && seed.is_none() && captures.is_empty() {
        bail!("say what to export: --url URL, --seed LABEL or --capture ID");
    }
    if case.trim().is_empty() || reason.trim().is_empty() {
        bail!("--case and --reason must not be empty: they are recorded with the evidence");
    }
    let pool = open_db(&cfg.db_path(), false).await?;
    let now = chrono::Utc::now();
    let since = since
        .as_deref()
        .map(|s| monitor::parse_time(s, now, monitor::DayEnd::Start))
        .transpose()?;
    let until = until
        .as_deref()
        .map(|s| monitor::parse_time(s, now, monitor::DayEnd::End))
        .transpose()?;
    let url = url
        .as_deref()
        .map(|u| frontier::canon::canonicalize(u).map(|u| u.to_string()))
        .transpose()?;
    let selection = archive::index::ExportSelection {
        url: url.clone(),
        seed: seed.clone(),
        ids: captures.clone(),
        since: since.clone(),
        until: until.clone(),
    };
    let ids = monitor::select_captures(&pool, &selection).await?;
    let key = archive::custody::key::NodeKey::load(&cfg.key_path()).with_context(|| {
        "exports are signed with this node's key: run `nightjar key show` on the node that made the archive"
    })?;
    let exported_by = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| format!("uid {}", nix::unistd::getuid()));
    let req = archive::export::ExportRequest {
        captures: ids,
        case: case.clone(),
        reason: reason.clone(),
        exported_by,
        out: out.clone(),
    };
    let what = match (&url, seed) {
        (Some(u), _) => format!("url={u}"),
        (None, Some(s)) => format!("seed={s}"),
        _ => format!("captures={captures:?}"),
    };
    let what = format!(
        "{what}{}{} (case {})",
        since
            .as_ref()
            .map(|s| format!("&since={s}"))
            .unwrap_or_default(),
        until
            .as_ref()
            .map(|u| format!("&until={u}"))
            .unwrap_or_default(),
        case.trim()
    );
    // Logged before the package exists, so no package exists unlogged.
    let started = format!(
        "started: {} captures to {}",
        req.captures.len(),
        out.display()
    );
    audit_cli(&pool, "export", &what, reason.trim(), &started).await?;
    let mut last_shown = 0u64;
    let summary = archive::export::export(&pool, &cfg.warc_dir(), &key, &req, |done, total| {
        // Progress for packages of more than a couple of MB, every tenth.
        if total > 2 << 20 && done * 10 / total > last_shown {
            last_shown = done * 10 / total;
            eprintln!("exporting: {}% of {} MB", last_shown * 10, total >> 20);
        }
    })
    .await;
    let result = match &summary {
        Ok(s) => format!(
            "ok: {} captures, {} bytes, to {}",
            s.captures,
            s.bytes,
            out.display()
        ),
        Err(e) => format!("error: {e:#}"),
    };
    audit_cli(&pool, "export.finished", &what, reason.trim(), &result).await?;
    let summary = summary?;
    println!(
        "exported {} captures ({} records, {} bytes) to {}",
        summary.captures,
        summary.records,
        summary.bytes,
        out.display()
    );
    Ok(())
}

fn cmd_status(cfg: &Config, json: bool) -> anyhow::Result<()> {
    let path = crawler::status::path(&cfg.data.dir);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "no status in {}: nightjar has not run on this data directory",
            cfg.data.dir.display()
        )
    })?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", text.trim_end())?;
        return Ok(());
    }
    let s: crawler::status::Status = serde_json::from_str(&text)?;
    // The data directory's lock is held while a crawler runs.
    let running = std::fs::File::open(cfg.data.dir.join("lock"))
        .map(|f| f.try_lock().is_err())
        .unwrap_or(false);
    let started = chrono::DateTime::parse_from_rfc3339(&s.started).ok();
    let updated = chrono::DateTime::parse_from_rfc3339(&s.updated).ok();
    let uptime = match (started, updated) {
        (Some(a), _) if running => {
            let secs = (chrono::Utc::now() - a.to_utc()).num_seconds().max(0) as u64;
            format!(
                ", up {}",
                humantime::format_duration(Duration::from_secs(secs))
            )
        }
        (Some(a), Some(b)) => {
            let secs = (b - a).num_seconds().max(0) as u64;
            format!(
                ", ran {}",
                humantime::format_duration(Duration::from_secs(secs))
            )
        }
        _ => String::new(),
    };
    writeln!(
        out,
        "{} (pid {}{uptime}), status of {}",
        if running { "running" } else { "not running" },
        s.pid,
        s.updated
    )?;
    if let Some(why) = &s.paused {
        writeln!(out, "PAUSED: {why}")?;
    }
    writeln!(
        out,
        "pages {} ({:.1}/min)  bytes {}  errors {}  robots-skipped {}",
        s.pages, s.pages_per_min, s.bytes, s.errors, s.robots_skipped
    )?;
    let queue: Vec<String> = s.queue.iter().map(|(k, v)| format!("{k} {v}")).collect();
    writeln!(
        out,
        "queue: {}",
        if queue.is_empty() {
            "empty".into()
        } else {
            queue.join(", ")
        }
    )?;
    if !s.seeds.is_empty() {
        writeln!(out, "seeds ({}): {}", s.seeds.len(), s.seeds.join(", "))?;
    }
    for (route, state) in &s.routes {
        writeln!(out, "route {route}: {state}")?;
    }
    if let Some(m) = &s.metrics {
        writeln!(out, "metrics: http://{m}/metrics")?;
    }
    if let Some(a) = &s.api {
        writeln!(out, "API: http://{a}/api/v1/")?;
    }
    if let Some(r) = &s.reload {
        let what = if r.applied { "applied" } else { "REFUSED" };
        writeln!(out, "last reload {} ({what}): {}", r.at, r.message)?;
    }
    if !s.last_errors.is_empty() {
        writeln!(out, "last errors:")?;
        for e in s.last_errors.iter().rev() {
            writeln!(out, "  {} {} [{}] {}", e.at, e.url, e.class, e.message)?;
        }
    }
    Ok(())
}

async fn cmd_verify(cfg: Config, dir: Option<&Path>, json: bool) -> anyhow::Result<bool> {
    if let Some(p) = dir.filter(|p| p.is_file()) {
        let expected = archive::custody::key::read_public(&cfg.key_path());
        let report = archive::custody::package::verify_package(p, expected.as_deref()).await?;
        return print_report(&report, json, &format!(" in package {}", p.display()));
    }
    let (warc_dir, db) = match dir {
        None => (cfg.warc_dir(), Some(cfg.db_path())),
        Some(d) if d.join("nightjar.db").exists() => (d.join("warcs"), Some(d.join("nightjar.db"))),
        Some(d) if d.join("warcs").is_dir() => (d.join("warcs"), None),
        Some(d) => (d.to_path_buf(), None),
    };
    if !warc_dir.is_dir() {
        bail!("{} is not a directory of WARC files", warc_dir.display());
    }
    let pool = match &db {
        Some(p) if p.exists() => Some(open_db(p, false).await?),
        _ => None,
    };
    // Seals must be signed by this node's key when it is at hand (the data directory's, or
    // custody.key_file); otherwise all by one key.
    let key_file = match dir {
        Some(d) if d.join("node.pub").exists() => Some(d.join("node.key")),
        Some(_) => None,
        None => Some(cfg.key_path()),
    };
    // The public half (node.pub) is enough: verify needs no access to the private key.
    let expected = key_file.and_then(|k| archive::custody::key::read_public(&k));
    let trust = archive::custody::check::Trust {
        node_key: expected,
        tsa_ca: cfg.custody.tsa_ca_file.clone(),
    };
    let report = archive::verify::verify(&warc_dir, pool.as_ref(), &trust).await?;
    let what = if pool.is_none() {
        " (no index found: files only)"
    } else {
        ""
    };
    print_report(&report, json, what)
}

/// Prints a verification report; returns whether it found nothing wrong.
fn print_report(report: &archive::verify::Report, json: bool, what: &str) -> anyhow::Result<bool> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(report)?)?;
    } else {
        writeln!(
            out,
            "verified {} WARC files, {} records, {} index rows, {} pending{what}",
            report.files, report.records, report.index_rows, report.pending,
        )?;
        for n in &report.notes {
            writeln!(out, "NOTE {n}")?;
        }
        for f in &report.findings {
            writeln!(out, "FAIL {f}")?;
        }
        writeln!(out, "{}", if report.ok() { "OK" } else { "FAILED" })?;
    }
    Ok(report.ok())
}

async fn dispatch(cli: Cli) -> anyhow::Result<bool> {
    let cfg = ConfigSource::of(&cli).load()?;
    match &cli.command {
        Command::Run => cmd_run(&cli, cfg).await?,
        c @ Command::Crawl { .. } => cmd_crawl(cfg, c).await?,
        Command::Captures { url, json } => cmd_captures(cfg, url, *json).await?,
        Command::Show {
            id,
            headers,
            body,
            reason,
        } => cmd_show(cfg, *id, *headers, *body, reason).await?,
        Command::Index { .. } => {
            let pool = open_db(&cfg.db_path(), false).await?;
            let lines = archive::index::cdxj(&pool).await?;
            // The whole index names every URL captured: a disclosure like any other.
            let result = format!("ok: {} lines", lines.len());
            audit_cli(&pool, "index.cdxj", "all", "", &result).await?;
            let mut out = std::io::stdout().lock();
            for line in lines {
                writeln!(out, "{line}")?;
            }
        }
        Command::Verify {
            audit: true, json, ..
        } => return cmd_verify_audit(cfg, *json).await,
        Command::Verify { dir, json, .. } => return cmd_verify(cfg, dir.as_deref(), *json).await,
        Command::Token { action } => cmd_token(cfg, action).await?,
        Command::Status { json } => cmd_status(&cfg, *json)?,
        c @ Command::Changes { .. } => cmd_changes(cfg, c).await?,
        Command::History { url, json } => cmd_history(cfg, url, *json).await?,
        Command::Diff { a, b, json, reason } => cmd_diff(cfg, *a, *b, *json, reason).await?,
        c @ Command::Export { .. } => cmd_export(cfg, c).await?,
        Command::Seeds { action } => cmd_seeds(cfg, action).await?,
        Command::Key {
            action: KeyAction::Show,
        } => {
            let path = cfg.key_path();
            let key = archive::custody::key::NodeKey::load_or_create(&path)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "key file: {}", path.display())?;
            writeln!(out, "public key: {}", key.public_hex())?;
            writeln!(out, "fingerprint: {}", key.fingerprint())?;
        }
    }
    Ok(true)
}

async fn cmd_token(cfg: Config, action: &TokenAction) -> anyhow::Result<()> {
    use crawler::api::access;
    std::fs::create_dir_all(&cfg.data.dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            cfg.data.dir.display()
        )
    })?;
    let pool = open_db(&cfg.db_path(), true).await?;
    let who = crawler::seed_admin::who();
    let actor = format!("user:{who}");
    let audit = |action: &'static str, target: String, result: String| {
        let (pool, actor) = (pool.clone(), actor.clone());
        async move {
            let event = crawler::audit::Event {
                actor: &actor,
                role: "cli",
                action,
                target: &target,
                reason: "",
                result: &result,
            };
            crawler::audit::append(&pool, &event).await
        }
    };
    let mut out = std::io::stdout().lock();
    match action {
        TokenAction::Create { role, name } => {
            let token = access::create(&pool, name, *role, &who).await?;
            audit("token.create", name.clone(), format!("ok: role {role}")).await?;
            writeln!(out, "{token}")?;
            eprintln!(
                "token '{name}' ({role}) created; it is shown this once: send it as \
                 'Authorization: Bearer TOKEN'"
            );
        }
        TokenAction::List => {
            for t in access::list(&pool).await? {
                writeln!(
                    out,
                    "{:<24} {:<9} created {} by {}{}",
                    t.name,
                    t.role,
                    t.created_at,
                    t.created_by,
                    t.revoked_at
                        .map(|r| format!(", REVOKED {r}"))
                        .unwrap_or_default()
                )?;
            }
        }
        TokenAction::Revoke { name } => {
            if !access::revoke(&pool, name).await? {
                bail!("no live token named '{name}' (`nightjar token list` shows them)");
            }
            audit("token.revoke", name.clone(), "ok".into()).await?;
            writeln!(out, "token '{name}' revoked")?;
        }
    }
    Ok(())
}

async fn cmd_verify_audit(cfg: Config, json: bool) -> anyhow::Result<bool> {
    let pool = open_db(&cfg.db_path(), false).await?;
    let report = crawler::audit::verify(&pool).await?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        writeln!(out, "verified {} audit log entries", report.entries)?;
        writeln!(out, "head {}", report.head)?;
        for f in &report.findings {
            writeln!(out, "FAIL {f}")?;
        }
        writeln!(
            out,
            "{}",
            if report.findings.is_empty() {
                "OK"
            } else {
                "FAILED"
            }
        )?;
    }
    Ok(report.findings.is_empty())
}

async fn cmd_seeds(cfg: Config, action: &SeedsAction) -> anyhow::Result<()> {
    use crawler::seed_admin;
    let dir = cfg.crawl.seeds_dir.clone();
    let mut out = std::io::stdout().lock();
    let db = || async {
        std::fs::create_dir_all(&cfg.data.dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                cfg.data.dir.display()
            )
        })?;
        open_db(&cfg.db_path(), true).await
    };
    // A change is logged or not made: the log must be writable before a file is touched.
    let log = match action {
        SeedsAction::List { .. } | SeedsAction::Export { .. } | SeedsAction::Log { .. } => None,
        _ => Some(db().await?),
    };
    let pool = || log.as_ref().expect("opened for changes");
    let me = seed_admin::Editor::me();
    match action {
        SeedsAction::List { json } => {
            let (seeds, problems) = crawler::seeds::list_seed_dir(&dir, &cfg)?;
            let (pages_by_seed, last_by_seed) = if cfg.db_path().exists() {
                let pool = open_db(&cfg.db_path(), false).await?;
                (
                    frontier::queue::urls_per_seed(&pool).await?,
                    archive::index::last_capture_by_seed(&pool).await?,
                )
            } else {
                (Vec::new(), Vec::new())
            };
            for s in &seeds {
                let pages = pages_by_seed
                    .iter()
                    .find(|k| k.0 == s.spec.label)
                    .map_or(0, |k| k.1);
                let last = last_by_seed
                    .iter()
                    .find(|k| k.0 == s.spec.label)
                    .map(|k| k.1.clone());
                let recrawl = s
                    .spec
                    .recrawl_secs
                    .map(|r| humantime::format_duration(Duration::from_secs(r)).to_string())
                    .unwrap_or_else(|| "never".into());
                if *json {
                    let v = serde_json::json!({
                        "label": s.spec.label, "url": s.spec.url, "enabled": s.enabled,
                        "recrawl": recrawl, "route": s.spec.route.as_str(),
                        "file": s.file, "line": s.line, "pages_known": pages,
                        "last_capture": last,
                    });
                    writeln!(out, "{v}")?;
                } else {
                    writeln!(
                        out,
                        "{:<24} {:<8} {:<6} {:<10} {:>6} pages  last {:<20}  {} ({}:{})",
                        s.spec.label,
                        if s.enabled { "enabled" } else { "disabled" },
                        s.spec.route.as_str(),
                        recrawl,
                        pages,
                        last.as_deref().unwrap_or("never"),
                        s.spec.url,
                        s.file.display(),
                        s.line
                    )?;
                }
            }
            for p in &problems {
                writeln!(out, "BROKEN {p}")?;
            }
            if seeds.is_empty() && problems.is_empty() {
                writeln!(out, "no seeds in {}", dir.display())?;
            }
        }
        SeedsAction::Add {
            url,
            label,
            scope,
            recrawl,
            max_depth,
            max_pages,
            route,
            disabled,
            file,
        } => {
            let label = match label {
                Some(l) => l.clone(),
                None => frontier::canon::canonicalize(url)?
                    .host_str()
                    .unwrap_or(url)
                    .to_string(),
            };
            let entry = SeedEntry {
                label: label.clone(),
                url: url.clone(),
                scope: *scope,
                include: vec![],
                exclude: vec![],
                max_depth: *max_depth,
                max_pages: *max_pages,
                recrawl: recrawl.clone(),
                recrawl_min: None,
                recrawl_max: None,
                rate_per_sec: None,
                max_in_flight: None,
                robots: None,
                route: *route,
                enabled: disabled.then_some(false),
            };
            let path = seed_admin::add(&dir, file, &entry, &cfg)?;
            seed_admin::log_change(pool(), &me, "add", &label, &path, url).await?;
            writeln!(out, "added seed '{label}' to {}", path.display())?;
        }
        SeedsAction::Remove { label } => {
            let path = seed_admin::remove(&dir, label, &cfg)?;
            seed_admin::log_change(pool(), &me, "remove", label, &path, "").await?;
            writeln!(
                out,
                "removed seed '{label}' from {} (its captures stay in the archive)",
                path.display()
            )?;
        }
        SeedsAction::Enable { label } | SeedsAction::Disable { label } => {
            let enable = matches!(action, SeedsAction::Enable { .. });
            let word = if enable { "enable" } else { "disable" };
            let (path, changed) = seed_admin::set_enabled(&dir, label, enable, &cfg)?;
            if changed {
                seed_admin::log_change(pool(), &me, word, label, &path, "").await?;
                writeln!(out, "{word}d seed '{label}' in {}", path.display())?;
            } else {
                writeln!(out, "seed '{label}' was already {word}d")?;
            }
        }
        SeedsAction::Import { file } => {
            let (path, labels) = seed_admin::import(&dir, file, &cfg)?;
            for l in &labels {
                let from = format!("from {}", file.display());
                seed_admin::log_change(pool(), &me, "import", l, &path, &from).await?;
            }
            writeln!(
                out,
                "imported {} seeds into {}: {}",
                labels.len(),
                path.display(),
                labels.join(", ")
            )?;
        }
        SeedsAction::Export { out: to } => {
            let text = seed_admin::export(&dir)?;
            match to {
                Some(p) => std::fs::write(p, text)
                    .with_context(|| format!("cannot write {}", p.display()))?,
                None => write!(out, "{text}")?,
            }
        }
        SeedsAction::Log { json } => {
            if !cfg.db_path().exists() {
                writeln!(out, "no changes logged: there is no database yet")?;
                return Ok(());
            }
            let pool = open_db(&cfg.db_path(), false).await?;
            for c in seed_admin::changes(&pool).await? {
                if *json {
                    writeln!(out, "{}", serde_json::to_string(&c)?)?;
                } else {
                    writeln!(
                        out,
                        "{} {} {} '{}' {} {}",
                        c.at, c.user, c.action, c.label, c.file, c.detail
                    )?;
                }
            }
        }
    }
    if log.is_some() {
        let blockers = seed_admin::reload_blockers(&dir, &cfg);
        if !blockers.is_empty() {
            eprintln!(
                "warning: a running daemon refuses to reload the seed lists, and keeps crawling \
                 the previous set, until this is fixed: {}",
                blockers.join("; ")
            );
        }
    }
    Ok(())
}

/// Logs go to stderr: a terminal, a file, or journald (which timestamps lines itself).
fn init_logging(cli: &Cli) {
    let filter = tracing_subscriber::EnvFilter::try_new(&cli.log).unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    match cli.log_format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text if journald => builder.without_time().with_ansi(false).init(),
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // arti's rustls needs a process-wide crypto provider before its runtime starts.
    let _ = rustls::crypto::ring::default_provider().install_default();
    init_logging(&cli);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match rt.block_on(dispatch(cli)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
