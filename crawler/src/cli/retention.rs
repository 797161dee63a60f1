//! `nightjar erase`, `nightjar hold` and `nightjar retention`: erasure on request, legal
//! holds and the retention standing, through `crawler::actions::erasure`.

use std::io::Write;

use anyhow::bail;
use crawler::actions::erasure::{self, EraseTarget, HoldSelection};
use crawler::actions::{Actor, Ctx};
use crawler::config::Config;
use crawler::data;

use super::flags::{Command, EraseAction, HoldAction};

/// Carries out approved requests (and, with `sweep`, what retention has made due) now, when
/// no daemon holds the data directory; says so when one does.
async fn carry_out_now(cfg: Config, sweep: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if data::in_use(&cfg) {
        writeln!(
            out,
            "the daemon running on {} carries it out at its next retention check (every {})",
            cfg.data.dir.display(),
            humantime::format_duration(cfg.retention.check_every)
        )?;
        return Ok(());
    }
    let mut cfg = cfg;
    cfg.tor.enabled = false;
    let (crawler, _lock) = super::crawl::start(cfg).await?;
    let round = if sweep {
        crawler.erase_due().await?
    } else {
        let mut round = crawler::retention::Round::default();
        crawler.carry_out_requests(&mut round).await?;
        round
    };
    crawler.close_archive().await?;
    for d in &round.erasures {
        writeln!(
            out,
            "{} (erasure record {})",
            d.erasure.summary(),
            d.record_id
        )?;
    }
    if round.held > 0 {
        writeln!(out, "{} capture(s) kept by legal holds", round.held)?;
    }
    for p in &round.problems {
        writeln!(out, "not erased: {p}")?;
    }
    if round.erasures.is_empty() && round.problems.is_empty() {
        writeln!(out, "nothing to erase")?;
    }
    Ok(())
}

pub(crate) async fn cmd_erase(cfg: Config, c: &Command) -> anyhow::Result<()> {
    let Command::Erase {
        action,
        capture,
        url,
        entity,
        reason,
    } = c
    else {
        unreachable!("dispatched on Erase")
    };
    let db = data::open_db(&cfg, false).await?;
    let warc_dir = cfg.warc_dir();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let me = Actor::local_user();
    let mut out = std::io::stdout().lock();
    match action {
        None => {
            let target = match (capture, url, entity) {
                (Some(id), None, None) => EraseTarget::Capture(*id),
                (None, Some(u), None) => EraseTarget::Url(u.clone()),
                (None, None, Some(v)) => EraseTarget::Entity(v.clone()),
                _ => bail!(
                    "say what to erase: --capture ID, --url URL or --entity VALUE (with --reason); `nightjar erase list` lists the requests"
                ),
            };
            let r = erasure::request(&ctx, &me, &cfg.retention, &target, reason.as_deref()).await?;
            writeln!(
                out,
                "erasure request {} filed; nothing is erased until another person approves it: `nightjar erase approve {}` (or POST /api/v1/erasures/{}/approve with an {} token)",
                r.id,
                r.id,
                r.id,
                cfg.retention
                    .approvers
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )?;
        }
        Some(EraseAction::Approve { id, reason }) => {
            erasure::decide(&ctx, &me, &cfg.retention, *id, true, Some(reason)).await?;
            writeln!(out, "erasure request {id} approved")?;
            drop(out);
            db.close().await;
            carry_out_now(cfg, false).await?;
        }
        Some(EraseAction::Reject { id, reason }) => {
            erasure::decide(&ctx, &me, &cfg.retention, *id, false, Some(reason)).await?;
            writeln!(out, "erasure request {id} rejected")?;
        }
        Some(EraseAction::List { json }) => {
            let l = erasure::list(&ctx, &me).await?;
            if *json {
                writeln!(out, "{}", serde_json::to_string(&l)?)?;
                return Ok(());
            }
            writeln!(out, "requests:")?;
            for r in &l.requests {
                writeln!(
                    out,
                    "  {}  {}  {} {}  asked by {} at {}{}  reason: {}{}",
                    r.id,
                    r.state,
                    r.kind,
                    r.target,
                    r.requested_by,
                    r.requested_at,
                    r.decided_by
                        .as_deref()
                        .map(|d| format!(", decided by {d}"))
                        .unwrap_or_default(),
                    r.reason,
                    r.outcome
                        .as_deref()
                        .map(|o| format!("  ({o})"))
                        .unwrap_or_default()
                )?;
            }
            writeln!(out, "erasures:")?;
            for e in &l.erasures {
                writeln!(
                    out,
                    "  {}  {}  {} ({}): {} capture(s), {} record(s); requested by {}{}; reason: {}; erasure record {}{}",
                    e.id,
                    e.erased_at,
                    e.basis,
                    e.detail,
                    e.captures,
                    e.records,
                    e.requested_by,
                    e.approved_by
                        .as_deref()
                        .map(|a| format!(", approved by {a}"))
                        .unwrap_or_default(),
                    e.reason,
                    e.record_id,
                    if e.done == 0 { " (unfinished: the next start finishes it)" } else { "" }
                )?;
            }
        }
    }
    Ok(())
}

pub(crate) async fn cmd_hold(cfg: Config, action: &HoldAction) -> anyhow::Result<()> {
    let db = data::open_db(&cfg, false).await?;
    let warc_dir = cfg.warc_dir();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let me = Actor::local_user();
    let mut out = std::io::stdout().lock();
    match action {
        HoldAction::Add {
            case,
            reason,
            capture,
            url,
            seed,
            entity,
            since,
            until,
        } => {
            let sel = HoldSelection {
                capture: *capture,
                url: url.clone(),
                seed: seed.clone(),
                entity: entity.clone(),
                since: since.clone(),
                until: until.clone(),
            };
            let (h, n) = erasure::hold(&ctx, &me, case, &sel, Some(reason)).await?;
            writeln!(
                out,
                "hold {} placed for case {}: {n} capture(s) now, and every later one it selects, are kept from erasure until `nightjar hold release {}`",
                h.id, h.case_id, h.id
            )?;
        }
        HoldAction::Release { id, reason } => {
            let h = erasure::release(&ctx, &me, *id, Some(reason)).await?;
            writeln!(out, "hold {} of case {} released", h.id, h.case_id)?;
        }
        HoldAction::List { case, all, json } => {
            for h in erasure::holds(&ctx, &me, case.as_deref(), *all).await? {
                if *json {
                    writeln!(out, "{}", serde_json::to_string(&h)?)?;
                    continue;
                }
                writeln!(
                    out,
                    "{}  case {}  {} {}{}{}  placed by {} at {}  reason: {}{}",
                    h.id,
                    h.case_id,
                    h.kind,
                    h.value.as_deref().unwrap_or(""),
                    h.since
                        .as_deref()
                        .map(|s| format!(" since {s}"))
                        .unwrap_or_default(),
                    h.until
                        .as_deref()
                        .map(|s| format!(" until {s}"))
                        .unwrap_or_default(),
                    h.placed_by,
                    h.placed_at,
                    h.reason,
                    match (&h.released_by, &h.released_at) {
                        (Some(b), Some(a)) => format!(
                            "  released by {b} at {a}: {}",
                            h.release_reason.as_deref().unwrap_or("")
                        ),
                        _ => String::new(),
                    }
                )?;
            }
        }
    }
    Ok(())
}

pub(crate) async fn cmd_retention(cfg: Config, json: bool, apply: bool) -> anyhow::Result<()> {
    if apply {
        return carry_out_now(cfg, true).await;
    }
    let db = data::open_db(&cfg, false).await?;
    let warc_dir = cfg.warc_dir();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let s = erasure::standing(&ctx, &Actor::local_user(), &cfg).await?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<24} {:>10} {:>12} {:>9} {:>15} {:>6} {:>14}",
        "seed", "retain", "review after", "captures", "due for erasure", "held", "due for review"
    )?;
    for x in &s.seeds {
        writeln!(
            out,
            "{:<24} {:>10} {:>12} {:>9} {:>15} {:>6} {:>14}",
            x.seed.as_deref().unwrap_or("(no seed)"),
            x.retain,
            x.review_after,
            x.captures,
            x.due_for_erasure,
            x.held,
            x.due_for_review
        )?;
    }
    writeln!(
        out,
        "{} hold(s) in force keep {} capture(s); {} erasure request(s) wait for approval; {} erasure(s) carried out",
        s.holds, s.held_captures, s.requests_waiting, s.erasures
    )?;
    Ok(())
}
