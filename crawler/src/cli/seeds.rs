//! `nightjar seeds`: the seed files, edited in place and logged.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use crawler::config::Config;
use crawler::data::{db_exists, open_db};
use crawler::seeds::SeedEntry;

use super::flags::SeedsAction;

pub(crate) async fn cmd_seeds(cfg: Config, action: &SeedsAction) -> anyhow::Result<()> {
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
        open_db(&cfg, true).await
    };
    // A change is logged or not made: the log must be writable before a file is touched.
    let log = match action {
        SeedsAction::List { .. } | SeedsAction::Export { .. } | SeedsAction::Log { .. } => None,
        _ => Some(db().await?),
    };
    let db = || log.as_ref().expect("opened for changes");
    let me = seed_admin::Editor::me();
    match action {
        SeedsAction::List { json } => {
            let (seeds, problems) = crawler::seeds::list_seed_dir(&dir, &cfg)?;
            let (pages_by_seed, last_by_seed) = if db_exists(&cfg) {
                let db = open_db(&cfg, false).await?;
                (
                    frontier::queue::urls_per_seed(&db).await?,
                    archive::index::last_capture_by_seed(&db).await?,
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
                region: None,
                ..Default::default()
            };
            let path = seed_admin::add(&dir, file, &entry, &cfg)?;
            seed_admin::log_change(db(), &me, "add", &label, &path, url).await?;
            writeln!(out, "added seed '{label}' to {}", path.display())?;
        }
        SeedsAction::Remove { label } => {
            let path = seed_admin::remove(&dir, label, &cfg)?;
            seed_admin::log_change(db(), &me, "remove", label, &path, "").await?;
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
                seed_admin::log_change(db(), &me, word, label, &path, "").await?;
                writeln!(out, "{word}d seed '{label}' in {}", path.display())?;
            } else {
                writeln!(out, "seed '{label}' was already {word}d")?;
            }
        }
        SeedsAction::Import { file } => {
            let (path, labels) = seed_admin::import(&dir, file, &cfg)?;
            for l in &labels {
                let from = format!("from {}", file.display());
                seed_admin::log_change(db(), &me, "import", l, &path, &from).await?;
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
            if !db_exists(&cfg) {
                writeln!(out, "no changes logged: there is no database yet")?;
                return Ok(());
            }
            let db = open_db(&cfg, false).await?;
            for c in seed_admin::changes(&db).await? {
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
