//! `nightjar export`: a signed evidence package, through `crawler::actions::export` (the
//! same action as the API's export jobs).

use anyhow::{bail, Context};
use crawler::actions::export::ExportOrder;
use crawler::actions::{self, Actor};
use crawler::config::Config;
use crawler::monitor;

use super::flags::Command;
use super::read::with_ctx;

pub(crate) async fn cmd_export(cfg: Config, cmd: &Command) -> anyhow::Result<()> {
    let Command::Export {
        url,
        seed,
        site,
        captures,
        since,
        until,
        case,
        reason,
        out,
    } = cmd
    else {
        unreachable!("dispatch hands only `export` here")
    };
    if url.is_none() && seed.is_none() && site.is_none() && captures.is_empty() {
        bail!("say what to export: --url URL, --seed LABEL, --site NAME or --capture ID");
    }
    if case.trim().is_empty() || reason.trim().is_empty() {
        bail!("--case and --reason must not be empty: they are recorded with the evidence");
    }
    let now = chrono::Utc::now();
    let order = ExportOrder {
        selection: archive::index::ExportSelection {
            url: url
                .as_deref()
                .map(actions::content::canonical_url)
                .transpose()?,
            seed: seed.clone(),
            seeds: Vec::new(),
            ids: captures.clone(),
            since: since
                .as_deref()
                .map(|s| monitor::parse_time(s, now, monitor::DayEnd::Start))
                .transpose()?,
            until: until
                .as_deref()
                .map(|s| monitor::parse_time(s, now, monitor::DayEnd::End))
                .transpose()?,
        },
        site: site.clone(),
        case: case.clone(),
        reason: reason.clone(),
    };
    let key = archive::custody::key::NodeKey::load(&cfg.key_path()).with_context(|| {
        "exports are signed with this node's key: run `nightjar key show` on the node that made the archive"
    })?;
    let exported_by = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| format!("uid {}", nix::unistd::getuid()));
    let summary = with_ctx(&cfg, async |ctx| {
        let actor = Actor::local_user();
        let chosen = actions::export::choose(ctx, &actor, order).await?;
        // Logged before the package exists, so no package exists unlogged.
        chosen.log_start(ctx, &actor).await?;
        let mut last_shown = 0u64;
        let progress = |done: u64, total: u64| {
            // Progress for packages of more than a couple of MB, every tenth.
            if total > 2 << 20 && done * 10 / total > last_shown {
                last_shown = done * 10 / total;
                eprintln!("exporting: {}% of {} MB", last_shown * 10, total >> 20);
            }
        };
        Ok(actions::export::write(
            ctx,
            &actor,
            chosen,
            &actions::export::Custodian {
                key: &key,
                witnesses: crawler::custody::witnesses(&cfg),
            },
            out.clone(),
            exported_by,
            progress,
        )
        .await?)
    })
    .await?;
    println!(
        "exported {} captures ({} records, {} bytes) to {}",
        summary.captures,
        summary.records,
        summary.bytes,
        out.display()
    );
    Ok(())
}
