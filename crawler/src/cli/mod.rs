//! The `nightjar` command: what each subcommand does, on top of the library's actions.
//!
//! [`flags`] holds the arguments; each other module carries out a group of subcommands:
//! [`crawl`] (`run`, `crawl`), [`read`] (`captures`, `show`, `changes`, `history`, `diff`,
//! `index`), [`export`], [`seeds`], [`retention`] (`erase`, `hold`, `retention`), [`sites`] (`sites`, `site`), [`token`] (and `key`), [`status`], [`nodes`] and
//! [`verify`]. The
//! reads, exports and token changes go through `crawler::actions`, which the API calls too,
//! so both are authorized and audited alike.

pub(crate) mod crawl;
pub(crate) mod export;
pub(crate) mod flags;
pub(crate) mod intel;
#[cfg(test)]
mod manual;
pub(crate) mod nodes;
pub(crate) mod read;
pub(crate) mod retention;
pub(crate) mod seeds;
pub(crate) mod sites;
pub(crate) mod status;
pub(crate) mod token;
pub(crate) mod verify;

use std::path::{Path, PathBuf};

use crawler::config::Config;

use flags::{Cli, Command, CustodyAction, KeyAction, DEFAULT_CONFIG};

/// Where the configuration comes from: the file and the command line's overrides (kept so
/// that a reload reads it the same way).
#[derive(Clone)]
pub(crate) struct ConfigSource {
    file: PathBuf,
    data: Option<PathBuf>,
    seeds: Option<PathBuf>,
}

impl ConfigSource {
    pub(crate) fn of(cli: &Cli) -> ConfigSource {
        ConfigSource {
            file: cli.config.clone(),
            data: cli.data.clone(),
            seeds: cli.seeds.clone(),
        }
    }

    pub(crate) fn load(&self) -> anyhow::Result<Config> {
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

/// Carries out the command line's subcommand; false when a check it ran found problems.
pub(crate) async fn dispatch(cli: Cli) -> anyhow::Result<bool> {
    let cfg = ConfigSource::of(&cli).load()?;
    match &cli.command {
        Command::Run => crawl::cmd_run(&cli, cfg).await?,
        c @ Command::Crawl { .. } => crawl::cmd_crawl(cfg, c).await?,
        Command::Captures { url, json } => read::cmd_captures(cfg, url, *json).await?,
        Command::Show {
            id,
            headers,
            body,
            reason,
        } => read::cmd_show(cfg, *id, *headers, *body, reason).await?,
        Command::Index { .. } => read::cmd_index(cfg).await?,
        Command::Verify {
            audit: true,
            json,
            witness,
            ..
        } => return verify::cmd_verify_audit(cfg, *json, witness).await,
        Command::Verify {
            dir, json, witness, ..
        } => return verify::cmd_verify(cfg, dir.as_deref(), *json, witness).await,
        Command::Token { action } => token::cmd_token(cfg, action).await?,
        Command::Status { json } => status::cmd_status(&cfg, *json)?,
        Command::Nodes { json } => nodes::cmd_nodes(&cfg, *json).await?,
        c @ Command::Changes { .. } => read::cmd_changes(cfg, c).await?,
        c @ Command::Entities { .. } => intel::cmd_entities(cfg, c).await?,
        c @ Command::Entity { .. } => intel::cmd_entity(cfg, c).await?,
        c @ Command::Search { .. } => intel::cmd_search(cfg, c).await?,
        Command::Reindex { .. } => intel::cmd_reindex(cfg).await?,
        c @ Command::Misp { .. } => intel::cmd_misp(cfg, c).await?,
        Command::Watch { action } => intel::cmd_watch(cfg, action).await?,
        Command::Alerts { watch, limit, json } => {
            intel::cmd_alerts(cfg, watch.as_deref(), *limit, *json).await?
        }
        Command::Sites { json } => sites::cmd_sites(cfg, *json).await?,
        Command::Site { name, limit, json } => sites::cmd_site(cfg, name, *limit, *json).await?,
        Command::History { url, json } => read::cmd_history(cfg, url, *json).await?,
        Command::Diff { a, b, json, reason } => read::cmd_diff(cfg, *a, *b, *json, reason).await?,
        c @ Command::Export { .. } => export::cmd_export(cfg, c).await?,
        Command::Seeds { action } => seeds::cmd_seeds(cfg, action).await?,
        Command::Key {
            action: KeyAction::Show,
        } => token::cmd_key_show(&cfg)?,
        Command::Key {
            action: KeyAction::Rotate { reason },
        } => token::cmd_key_rotate(cfg, reason).await?,
        Command::Custody {
            action: CustodyAction::Ack { record_id, reason },
        } => verify::cmd_custody_ack(cfg, record_id, reason).await?,
        c @ Command::Erase { .. } => retention::cmd_erase(cfg, c).await?,
        Command::Hold { action } => retention::cmd_hold(cfg, action).await?,
        Command::Retention { json, apply } => retention::cmd_retention(cfg, *json, *apply).await?,
    }
    Ok(true)
}
