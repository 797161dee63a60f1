//! `nightjar run` (the daemon) and `nightjar crawl` (a one-shot crawl).

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use crawler::config::{parse_resolve, Config};
use crawler::data::open_for_crawl;
use crawler::engine::{Crawler, Listener, Mode};
use crawler::fetch::{DirectFetcher, Router, TorFetcher};
use crawler::seeds::{read_seed_dir, SeedEntry};
use crawler::service;

use super::flags::{Cli, Command};
use super::ConfigSource;

/// Opens the data directory for crawling and repairs it. The returned lock guard must live as
/// long as the crawl.
pub(crate) async fn start(cfg: Config) -> anyhow::Result<(Arc<Crawler>, std::fs::File)> {
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
    crawler.recovered(&recovery);
    crawler.resume_custody(&recovery).await?;
    Ok((crawler, store.lock))
}

pub(crate) async fn summary(crawler: &Crawler, stopped: bool) -> anyhow::Result<()> {
    crawler.close_archive().await?;
    let files = crawler.files_written();
    let s = crawler.totals();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: {} pages archived, {} robots.txt archived, {} bytes written, {} URLs failed ({} failed attempts), {} skipped by robots.txt",
        if stopped {
            "crawl stopped (start it again to resume)"
        } else {
            "crawl finished"
        },
        s.pages,
        s.robots_fetched,
        s.bytes,
        s.failed_urls,
        s.failed_attempts,
        s.robots_skipped,
    )?;
    if files.is_empty() {
        writeln!(out, "WARC files: none written")?;
        return Ok(());
    }
    writeln!(out, "WARC files:")?;
    let dir = crawler.cfg().warc_dir();
    for f in files {
        match archive::files::locate(&dir, &f) {
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

pub(crate) async fn cmd_crawl(mut cfg: Config, cmd: &Command) -> anyhow::Result<()> {
    let Command::Crawl {
        urls,
        depth,
        max_pages,
        scope,
        rate,
        resolve,
        region,
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
            // Set below from the canonical URL: a command-line seed is named by its URL,
            // which may be longer than the longest label an operator may type.
            label: "cli".into(),
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
            region: region.clone(),
            ..Default::default()
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
        let id = crawler.frontier().register_seed(spec).await?;
        // An interrupted crawl resumes where it stopped; a finished one is crawled again
        // whole (not only the pages that happen to be due).
        if crawler.frontier().pass_unfinished(id).await? {
            crawler.frontier().schedule_seed(id).await?;
        } else {
            crawler.frontier().restart_seed(id).await?;
        }
    }
    crawler.run(Mode::UntilEmpty, stop.clone()).await?;
    // The alerts this crawl raised: announced, and offered once to each sink (those that
    // fail are tried again by the next `run` or `crawl`).
    let (metrics, _) = crawler.metrics();
    crawler::alerts::announce(crawler.db(), Some(&metrics)).await?;
    let (_, failed) =
        crawler::alerts::deliver(crawler.db(), &crawler.cfg().alerts, true, Some(&metrics)).await?;
    if failed > 0 {
        eprintln!(
            "{failed} alerts not delivered yet: they wait in the database for the next run              (`nightjar alerts` lists them with the reason)"
        );
    }
    let stopped = *stop.borrow();
    summary(&crawler, stopped).await
}

pub(crate) async fn cmd_run(cli: &Cli, cfg: Config) -> anyhow::Result<()> {
    let (seeds, problems) = read_seed_dir(&cfg.crawl.seeds_dir, &cfg)?;
    for p in &problems {
        tracing::error!("{p} (this seed is skipped)");
    }
    if seeds.is_empty() && !cfg.witness.logs.is_empty() {
        tracing::info!(
            dir = %cfg.crawl.seeds_dir.display(),
            "no seeds: this node only witnesses other nodes' logs until seeds are added"
        );
    } else if seeds.is_empty() {
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
        crawler.frontier().register_seed(spec).await?;
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
        let (metrics, frontier) = crawler.metrics();
        match crawler::metrics::serve(metrics, frontier, addr).await {
            Ok(bound) => {
                tracing::info!(%bound, "metrics at http://{bound}/metrics");
                crawler.listening(Listener::Metrics, bound);
            }
            Err(e) => tracing::error!(
                "cannot serve metrics on {addr} ({e}): crawling goes on without them; \
                 set metrics.listen to a free loopback address"
            ),
        }
    }
    let mut api = None;
    if let Some(addr) = cfg.api.address()? {
        match crawler::api::serve(crawler.clone(), addr).await {
            Ok(served) => {
                let bound = served.bound;
                tracing::info!(%bound, "API at http://{bound}/api/v1/");
                crawler.listening(Listener::Api, bound);
                api = Some(served);
            }
            Err(e) => tracing::error!(
                "cannot serve the API on {addr} ({e}): crawling goes on without it; \
                 set api.listen to a free loopback address"
            ),
        }
    }
    let source = ConfigSource::of(cli);
    tokio::spawn(crawler::reload::reloads(
        crawler.clone(),
        Arc::new(move || source.load()),
        reload_rx,
    ));
    {
        let (metrics, _) = crawler.metrics();
        let for_alerts = crawler.clone();
        tokio::spawn(crawler::alerts::run_outbox(
            crawler.db().clone(),
            move || for_alerts.cfg().alerts.clone(),
            Some(metrics),
            stop.clone(),
        ));
    }
    tokio::spawn(crawler::retention::run(crawler.clone(), stop.clone()));
    crawler.publish_status().await?;
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
    if let Some(api) = &api {
        api.flush().await;
    }
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
