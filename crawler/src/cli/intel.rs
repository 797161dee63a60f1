//! The analyst's questions about entities and text: `entities`, `entity`, `search`, and the
//! backfill that answers them for an older archive (`reindex --entities`). The reads go
//! through `crawler::actions::intel`, audited as the Unix user running them.

use std::io::Write;

use archive::ledger::EntityFilter;
use archive::search::SearchRequest;
use crawler::actions::{intel, watch, Actor};
use crawler::config::Config;
use crawler::data::open_db;
use crawler::monitor::{self, DayEnd};
use crawler::reindex::{self, Step};

use super::flags::{Command, WatchAction};
use super::read::with_ctx;

pub(crate) async fn cmd_entities(cfg: Config, c: &Command) -> anyhow::Result<()> {
    let Command::Entities {
        kind,
        since,
        seed,
        site,
        shared,
        limit,
        json,
    } = c
    else {
        unreachable!("dispatched on Entities")
    };
    let mut filter = EntityFilter {
        kind: kind.as_deref().map(intel::kind).transpose()?,
        since: window(since, &None)?.0,
        seed: seed.clone(),
        seeds: Vec::new(),
        shared: *shared,
        limit: *limit,
        offset: 0,
    };
    let rows = with_ctx(&cfg, async |ctx| {
        if let Some(site) = site {
            filter.seeds = crawler::actions::sites::seeds_of(ctx, site).await?;
        }
        Ok(intel::list_entities(ctx, &Actor::local_user(), &filter).await?)
    })
    .await?;
    let mut out = std::io::stdout().lock();
    if *json {
        for r in &rows {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "no entities match")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<6}  {:<20}  {:<20}  {:>8}  {:>5}  value",
        "kind", "first seen", "last seen", "captures", "hosts"
    )?;
    for r in &rows {
        writeln!(
            out,
            "{:<6}  {:<20}  {:<20}  {:>8}  {:>5}  {}",
            r.kind,
            seconds(&r.first_seen),
            seconds(&r.last_seen),
            r.captures,
            r.hosts,
            r.value
        )?;
    }
    Ok(())
}

pub(crate) async fn cmd_entity(cfg: Config, c: &Command) -> anyhow::Result<()> {
    let Command::Entity {
        value,
        kind,
        limit,
        json,
    } = c
    else {
        unreachable!("dispatched on Entity")
    };
    let kind = kind.as_deref().map(intel::kind).transpose()?;
    let report = with_ctx(&cfg, async |ctx| {
        Ok(intel::entity(ctx, &Actor::local_user(), value, kind, *limit).await?)
    })
    .await?;
    let mut out = std::io::stdout().lock();
    if *json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    let e = &report.entity;
    writeln!(out, "{} {}", e.kind, e.value)?;
    writeln!(
        out,
        "first seen {}, last seen {}, in {} captures on {} hosts",
        seconds(&e.first_seen),
        seconds(&e.last_seen),
        e.captures,
        e.hosts
    )?;
    if let Some(d) = &e.detail {
        writeln!(out, "detail: {d}")?;
    }
    writeln!(out, "\nhosts:")?;
    for h in &report.hosts {
        writeln!(
            out,
            "  {:<40}  {} .. {}  ({} captures)",
            h.host,
            seconds(&h.first_seen),
            seconds(&h.last_seen),
            h.captures
        )?;
    }
    writeln!(out, "\nsightings:")?;
    for s in &report.timeline {
        let flags = entities::Flags::from_bits(s.flags);
        let mut notes = Vec::new();
        if flags.deobfuscated {
            notes.push("deobfuscated");
        }
        if flags.unchecksummed {
            notes.push("unchecksummed");
        }
        if flags.verified_signature {
            notes.push("signature verified");
        }
        writeln!(
            out,
            "  {:<20}  capture {:>6}  {}  {}{}",
            seconds(&s.seen_at),
            s.capture_id,
            s.seed.as_deref().unwrap_or("-"),
            s.url,
            if notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", notes.join(", "))
            }
        )?;
    }
    Ok(())
}

pub(crate) async fn cmd_search(cfg: Config, c: &Command) -> anyhow::Result<()> {
    let Command::Search {
        query,
        seed,
        host,
        since,
        until,
        limit,
        json,
    } = c
    else {
        unreachable!("dispatched on Search")
    };
    let (since, until) = window(since, until)?;
    let req = SearchRequest {
        query: query.clone(),
        seed: seed.clone(),
        host: host.clone(),
        since,
        until,
        limit: *limit,
        offset: 0,
    };
    let hits = with_ctx(&cfg, async |ctx| {
        Ok(intel::search_text(ctx, &Actor::local_user(), &req).await?)
    })
    .await?;
    let mut out = std::io::stdout().lock();
    if *json {
        for h in &hits {
            writeln!(out, "{}", serde_json::to_string(h)?)?;
        }
        return Ok(());
    }
    if hits.is_empty() {
        writeln!(out, "no archived page matches")?;
        return Ok(());
    }
    for h in &hits {
        let times: Vec<String> = h
            .captures
            .iter()
            .take(5)
            .map(|c| format!("{} (capture {})", seconds(&c.captured_at), c.capture_id))
            .collect();
        let more = h.captures.len().saturating_sub(5);
        writeln!(out, "{}", h.url)?;
        writeln!(
            out,
            "  {}{}",
            times.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )?;
        writeln!(out, "  {}", h.snippet)?;
    }
    Ok(())
}

pub(crate) async fn cmd_reindex(cfg: Config) -> anyhow::Result<()> {
    let db = open_db(&cfg, false).await?;
    let warc_dir = cfg.warc_dir();
    let mut last_step = None;
    let summary = reindex::backfill(&db, &warc_dir, |p| {
        if last_step != Some(p.step) {
            last_step = Some(p.step);
        }
        let what = match p.step {
            Step::Text => "page texts indexed for search",
            Step::Entities => "captures looked at for entities",
        };
        eprintln!("{what}: {}/{}", p.done, p.total);
    })
    .await?;
    println!(
        "reindexed: {} page texts, {} captures, {} entity sightings{}",
        summary.texts,
        summary.captures,
        summary.sightings,
        if summary.unreadable > 0 {
            format!(
                "; {} captures could not be read (see the log; run `nightjar verify`, then \
                 reindex again)",
                summary.unreadable
            )
        } else {
            String::new()
        }
    );
    Ok(())
}

pub(crate) async fn cmd_misp(cfg: Config, c: &Command) -> anyhow::Result<()> {
    let Command::Misp {
        case,
        seed,
        since,
        until,
        out,
    } = c
    else {
        unreachable!("dispatched on Misp")
    };
    let (since, until) = window(since, until)?;
    let sel = archive::ledger::Selection {
        captures: vec![],
        seed: seed.clone(),
        since,
        until,
    };
    let event = with_ctx(&cfg, async |ctx| {
        Ok(intel::misp_event(ctx, &Actor::local_user(), case, &sel).await?)
    })
    .await?;
    let text = serde_json::to_string_pretty(&event)? + "\n";
    match out {
        Some(path) => {
            // Written beside, then renamed: a reader never sees half an event.
            let tmp = path.with_extension("partial");
            std::fs::write(&tmp, &text)?;
            std::fs::rename(&tmp, path)?;
            let n = event["Event"]["Attribute"].as_array().map_or(0, Vec::len)
                + event["Event"]["Object"].as_array().map_or(0, Vec::len);
            eprintln!(
                "MISP event written to {} ({n} attributes and objects)",
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}

pub(crate) async fn cmd_watch(cfg: Config, action: &WatchAction) -> anyhow::Result<()> {
    let me = Actor::local_user();
    match action {
        WatchAction::Add {
            name,
            entity,
            text,
            regex,
            seed,
            host,
        } => {
            let rule = watch::rule(entity.as_deref(), text.as_deref(), regex.as_deref())?;
            let new = watch::NewWatch {
                name: name.clone(),
                rule,
                seed: seed.clone(),
                host: host.clone(),
            };
            // A watch may come before the first crawl: the data directory is made if need be.
            let db = open_db(&cfg, true).await?;
            let warc_dir = cfg.warc_dir();
            let ctx = crawler::actions::Ctx {
                db: &db,
                warc_dir: &warc_dir,
            };
            watch::add(&ctx, &me, &new).await?;
            println!(
                "watch '{}' added: {} {}",
                new.name,
                new.rule.name(),
                new.rule.pattern()
            );
        }
        WatchAction::List { all, json } => {
            let rows = with_ctx(&cfg, async |ctx| Ok(watch::list(ctx, &me, *all).await?)).await?;
            let mut out = std::io::stdout().lock();
            if *json {
                for r in &rows {
                    writeln!(out, "{}", serde_json::to_string(r)?)?;
                }
            } else if rows.is_empty() {
                writeln!(out, "no watches (`nightjar watch add` makes one)")?;
            } else {
                for r in &rows {
                    writeln!(
                        out,
                        "{:<24}  {:<6}  {}{}{}{}",
                        r.name,
                        r.rule,
                        r.pattern,
                        r.seed
                            .as_deref()
                            .map(|s| format!("  seed={s}"))
                            .unwrap_or_default(),
                        r.host
                            .as_deref()
                            .map(|h| format!("  host={h}"))
                            .unwrap_or_default(),
                        r.removed_at
                            .as_deref()
                            .map(|t| format!("  (removed {})", seconds(t)))
                            .unwrap_or_default()
                    )?;
                }
            }
        }
        WatchAction::Remove { name } => {
            with_ctx(&cfg, async |ctx| Ok(watch::remove(ctx, &me, name).await?)).await?;
            println!("watch '{name}' removed (its alerts stay)");
        }
    }
    Ok(())
}

pub(crate) async fn cmd_alerts(
    cfg: Config,
    watch_name: Option<&str>,
    limit: i64,
    json: bool,
) -> anyhow::Result<()> {
    let rows = with_ctx(&cfg, async |ctx| {
        Ok(watch::alerts(ctx, &Actor::local_user(), watch_name, None, limit).await?)
    })
    .await?;
    let mut out = std::io::stdout().lock();
    if json {
        for r in &rows {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "no alerts")?;
        return Ok(());
    }
    for r in &rows {
        let delivery = match (&r.last_error, r.gave_up) {
            (_, true) => format!("given up: {}", r.last_error.as_deref().unwrap_or("")),
            (Some(e), false) if r.webhook_at.is_none() && r.command_at.is_none() => {
                format!("not delivered yet ({} attempts): {e}", r.attempts)
            }
            _ => "delivered".to_string(),
        };
        writeln!(
            out,
            "{:>5}  {}  {:<20}  capture {:>6}  {}\n       matched {}  [{delivery}]",
            r.id,
            seconds(&r.raised_at),
            r.watch,
            r.capture_id,
            r.url,
            r.matched
        )?;
    }
    Ok(())
}

/// `--since` and `--until` in the index's time form (a date's until is its whole day).
fn window(
    since: &Option<String>,
    until: &Option<String>,
) -> anyhow::Result<(Option<String>, Option<String>)> {
    let now = chrono::Utc::now();
    let at = |t: &Option<String>, end| {
        t.as_deref()
            .map(|s| monitor::parse_time(s, now, end))
            .transpose()
    };
    Ok((at(since, DayEnd::Start)?, at(until, DayEnd::End)?))
}

/// An index time to the second: `2026-11-01T12:00:00Z`.
fn seconds(t: &str) -> String {
    match t.find('.') {
        Some(dot) if t.ends_with('Z') => format!("{}Z", &t[..dot]),
        _ => t.to_string(),
    }
}
