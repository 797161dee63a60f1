//! Reading the archive: `captures`, `show`, `changes`, `history`, `diff` and `index`. Each
//! goes through `crawler::actions::content`, which audits it as the Unix user running it.

use std::io::Write;

use crawler::actions::content::{self, Part};
use crawler::actions::{Actor, Ctx};
use crawler::config::Config;
use crawler::data::open_db;
use crawler::monitor;

use super::flags::Command;

/// Opens the data directory's database for reading, and runs `f` with the actions' context.
pub(crate) async fn with_ctx<T>(
    cfg: &Config,
    f: impl AsyncFnOnce(&Ctx<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let db = open_db(cfg, false).await?;
    let warc_dir = cfg.warc_dir();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    f(&ctx).await
}

pub(crate) async fn cmd_captures(cfg: Config, url: &str, json: bool) -> anyhow::Result<()> {
    let (canonical, rows) = with_ctx(&cfg, async |ctx| {
        Ok(content::captures_of(ctx, &Actor::local_user(), url).await?)
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

pub(crate) async fn cmd_show(
    cfg: Config,
    id: i64,
    headers: bool,
    body: bool,
    reason: &str,
) -> anyhow::Result<()> {
    crawler::actions::reason_given(Some(reason))?;
    let part = match (headers, body) {
        (true, _) => Part::Headers,
        (_, true) => Part::Body,
        _ => Part::Record,
    };
    let read = with_ctx(&cfg, async |ctx| {
        Ok(content::read_capture(ctx, &Actor::local_user(), id, part, Some(reason)).await?)
    })
    .await?;
    if let Some(original) = &read.from_original {
        eprintln!(
            "capture {id} is a revisit: the body is that of capture {} ({})",
            original.id, original.captured_at
        );
    }
    std::io::stdout().lock().write_all(&read.bytes)?;
    Ok(())
}

pub(crate) async fn cmd_changes(cfg: Config, cmd: &Command) -> anyhow::Result<()> {
    let Command::Changes {
        since,
        until,
        seed,
        site,
        host,
        class,
        limit,
        json,
    } = cmd
    else {
        unreachable!("dispatch hands only `changes` here")
    };
    let now = chrono::Utc::now();
    let mut filter = archive::changes::Filter {
        since: Some(monitor::parse_time(since, now, monitor::DayEnd::Start)?),
        until: until
            .as_deref()
            .map(|u| monitor::parse_time(u, now, monitor::DayEnd::End))
            .transpose()?,
        seed: seed.clone(),
        seeds: Vec::new(),
        host: host.clone(),
        classes: if class.is_empty() {
            archive::changes::ChangeClass::NOTEWORTHY.to_vec()
        } else {
            class.clone()
        },
        limit: *limit,
        after_capture: None,
    };
    let rows = with_ctx(&cfg, async |ctx| {
        if let Some(site) = site {
            filter.seeds = crawler::actions::sites::seeds_of(ctx, site).await?;
        }
        Ok(content::changes_feed(ctx, &Actor::local_user(), &filter).await?)
    })
    .await?;
    let empty = format!("no changes since {}", filter.since.unwrap_or_default());
    monitor::print_changes(&rows, *json, &empty)
}

pub(crate) async fn cmd_history(cfg: Config, url: &str, json: bool) -> anyhow::Result<()> {
    let (canonical, rows) = with_ctx(&cfg, async |ctx| {
        Ok(content::history(ctx, &Actor::local_user(), url, None).await?)
    })
    .await?;
    monitor::print_changes(&rows, json, &format!("no captures of {canonical}"))
}

pub(crate) async fn cmd_diff(
    cfg: Config,
    a: i64,
    b: i64,
    json: bool,
    reason: &str,
) -> anyhow::Result<()> {
    crawler::actions::reason_given(Some(reason))?;
    let d = with_ctx(&cfg, async |ctx| {
        Ok(content::diff(ctx, &Actor::local_user(), a, b, Some(reason)).await?)
    })
    .await?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?;
    } else {
        out.write_all(monitor::render_diff(&d).as_bytes())?;
    }
    Ok(())
}

pub(crate) async fn cmd_index(cfg: Config) -> anyhow::Result<()> {
    let lines = with_ctx(&cfg, async |ctx| {
        Ok(content::cdxj_index(ctx, &Actor::local_user()).await?)
    })
    .await?;
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
