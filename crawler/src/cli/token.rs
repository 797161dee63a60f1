//! `nightjar token` (API tokens, through `crawler::actions::tokens`) and `nightjar key`.

use std::io::Write;

use anyhow::Context;
use crawler::actions::{tokens, Actor, Ctx};
use crawler::config::Config;
use crawler::data::open_db;

use super::flags::TokenAction;

pub(crate) async fn cmd_token(cfg: Config, action: &TokenAction) -> anyhow::Result<()> {
    std::fs::create_dir_all(&cfg.data.dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            cfg.data.dir.display()
        )
    })?;
    let db = open_db(&cfg, true).await?;
    let warc_dir = cfg.warc_dir();
    let ctx = Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let me = Actor::local_user();
    let mut out = std::io::stdout().lock();
    match action {
        TokenAction::Create { role, name } => {
            let token = tokens::create(&ctx, &me, name, *role).await?;
            writeln!(out, "{token}")?;
            eprintln!(
                "token '{name}' ({role}) created; it is shown this once: send it as \
                 'Authorization: Bearer TOKEN'"
            );
        }
        TokenAction::List => {
            for t in tokens::list(&ctx, &me).await? {
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
            tokens::revoke(&ctx, &me, name).await?;
            writeln!(out, "token '{name}' revoked")?;
        }
    }
    Ok(())
}

pub(crate) fn cmd_key_show(cfg: &Config) -> anyhow::Result<()> {
    let path = cfg.key_path();
    let key = archive::custody::key::NodeKey::load_or_create(&path)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "key file: {}", path.display())?;
    writeln!(out, "public key: {}", key.public_hex())?;
    writeln!(out, "fingerprint: {}", key.fingerprint())?;
    writeln!(
        out,
        "log verifier key: {}",
        archive::custody::log::verifier_key(&key.public_hex())?
    )?;
    writeln!(
        out,
        "witness verifier key: {}",
        archive::custody::log::witness_verifier_key(&key.public_hex())?
    )?;
    Ok(())
}

/// `nightjar key rotate --reason …`: with the data directory locked (no daemon), the archive
/// opened as for a crawl (recovered, sealed), the rotation written, and the new key shown.
pub(crate) async fn cmd_key_rotate(mut cfg: Config, reason: &str) -> anyhow::Result<()> {
    // Nothing is fetched: no Tor client is started for this.
    cfg.tor.enabled = false;
    let (crawler, _lock) = super::crawl::start(cfg).await?;
    let me = crawler::actions::Actor::local_user();
    let r = crawler::actions::custody::rotate_key(&crawler, &me, Some(reason)).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "node key rotated")?;
    writeln!(out, "old fingerprint: {}", r.old_fingerprint())?;
    writeln!(out, "new fingerprint: {}", r.new_fingerprint())?;
    writeln!(
        out,
        "new log verifier key: {}",
        archive::custody::log::verifier_key(&r.new_key)?
    )?;
    writeln!(
        out,
        "add the new log verifier key to the [witness] logs of every co-signing witness; the old key is kept as node.key.retired-… beside node.key: move it offline or destroy it"
    )?;
    Ok(())
}
