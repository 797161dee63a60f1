//! `sites` and `site`: one site, several addresses; what its signed mirror lists and canary
//! said over time. The reads go through `crawler::actions::sites`, audited as the Unix user
//! running them.

use std::io::Write;

use crawler::actions::{sites, Actor};
use crawler::config::Config;

use super::read::with_ctx;

pub(crate) async fn cmd_sites(cfg: Config, json: bool) -> anyhow::Result<()> {
    let rows = with_ctx(&cfg, async |ctx| {
        Ok(sites::sites(ctx, &Actor::local_user()).await?)
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
        writeln!(out, "no sites (no seeds yet)")?;
        return Ok(());
    }
    for r in &rows {
        writeln!(
            out,
            "{}  seeds: {}  verified mirrors: {}  problems: {}",
            r.site,
            if r.seeds.is_empty() {
                "-".to_string()
            } else {
                r.seeds.join(", ")
            },
            r.verified_mirrors,
            r.problems
        )?;
        for c in &r.latest {
            writeln!(
                out,
                "    {:<8} {:<14} {}  capture {}{}",
                c.file,
                c.status,
                short_time(&c.checked_at),
                c.capture_id,
                c.problem
                    .as_deref()
                    .map(|p| format!("  ({p})"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(())
}

pub(crate) async fn cmd_site(
    cfg: Config,
    name: &str,
    limit: i64,
    json: bool,
) -> anyhow::Result<()> {
    let r = with_ctx(&cfg, async |ctx| {
        Ok(sites::site(ctx, &Actor::local_user(), name, limit).await?)
    })
    .await?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&r)?)?;
        return Ok(());
    }
    writeln!(out, "site {}", r.site)?;
    writeln!(out, "addresses:")?;
    for a in &r.addresses {
        let listed = match &a.listed {
            Some(l) => format!(
                "verified mirror {} .. {} ({} lists){}",
                short_time(&l.first_listed),
                short_time(&l.last_listed),
                l.lists,
                if a.listed_now {
                    ""
                } else {
                    ", no longer listed"
                }
            ),
            None => "not in a verified mirror list".to_string(),
        };
        let seed = a
            .seed
            .as_deref()
            .map(|s| format!("seed {s}"))
            .unwrap_or_else(|| "no seed".to_string());
        writeln!(out, "  {}  {seed}  {listed}", a.host)?;
    }
    if r.canaries.is_empty() {
        writeln!(out, "canary: never checked")?;
    }
    for c in &r.canaries {
        writeln!(
            out,
            "canary of {}: {}{}{}{}",
            c.host,
            c.status,
            c.canary_date
                .as_deref()
                .map(|d| format!(", dated {d}"))
                .unwrap_or_default(),
            match c.canary_late {
                Some(1) => " (late)",
                _ => "",
            },
            c.problem
                .as_deref()
                .map(|p| format!(": {p}"))
                .unwrap_or_default()
        )?;
    }
    if r.lookalikes.is_empty() {
        writeln!(out, "look-alikes: none found")?;
    } else {
        writeln!(out, "look-alikes:")?;
    }
    for l in &r.lookalikes {
        let shared: Vec<String> = l
            .lookalike
            .shared
            .iter()
            .map(|s| match s {
                archive::lookalike::Shared::Structure => "page structure".to_string(),
                archive::lookalike::Shared::Title { title } => format!("title \"{title}\""),
                archive::lookalike::Shared::HeaderOrder => "header order".to_string(),
                archive::lookalike::Shared::Favicon => "favicon".to_string(),
                archive::lookalike::Shared::Text { bits_differ } => {
                    format!("text ({bits_differ} of 64 simhash bits differ)")
                }
            })
            .collect();
        writeln!(
            out,
            "  {}  {}: like {} (shares {}){}",
            l.lookalike.host,
            l.verdict,
            l.lookalike.like,
            shared.join(", "),
            l.lookalike
                .capture_id
                .map(|c| format!("  capture {c}"))
                .unwrap_or_default()
        )?;
        if !l.only_there.is_empty() {
            writeln!(
                out,
                "      shows, the site never did: {}",
                l.only_there.join(", ")
            )?;
        }
        if !l.only_on_site.is_empty() {
            writeln!(
                out,
                "      does not show the site's: {}",
                l.only_on_site.join(", ")
            )?;
        }
    }
    for i in &r.impersonations {
        writeln!(
            out,
            "  {}  vanity imitation of {} ({} leading, {} trailing characters shared)",
            i.address, i.like, i.affix.prefix, i.affix.suffix
        )?;
    }
    writeln!(out, "checks (newest first):")?;
    for c in &r.checks {
        writeln!(
            out,
            "  {}  {:<8} {:<14} {}  capture {}{}{}",
            short_time(&c.check.checked_at),
            c.check.file,
            c.check.status,
            c.check.host,
            c.check.capture_id,
            c.check
                .signer
                .as_deref()
                .map(|s| format!("  signer {s}"))
                .unwrap_or_default(),
            c.check
                .problem
                .as_deref()
                .map(|p| format!("\n      {p}"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// An index time to the second.
fn short_time(t: &str) -> String {
    match t.find('.') {
        Some(dot) if t.ends_with('Z') => format!("{}Z", &t[..dot]),
        _ => t.to_string(),
    }
}
