//! Acknowledging the archive's repair records, and rotating the node key.
//!
//! A repair (a torn tail cut back after a crash, a file sealed late) is written into the
//! archive as a repair record, and `verify` lists it until an operator has looked at it and
//! says why it is sound. The acknowledgement goes to the audit log, whose entries are
//! chained and whose head the archive's signed heads carry: the repair record stays, and who
//! accepted it, when and why is on record beside it.

use std::collections::HashMap;

use archive::custody::repairs::{Acknowledgement, Repair};

use super::{log, ActionError, Actor, Ctx, Role};

/// The audit log's action name for an acknowledged repair.
pub const ACK_ACTION: &str = "custody.repair.ack";

/// Acknowledges the repair record `record_id` with the operator's reason.
pub async fn acknowledge(
    ctx: &Ctx<'_>,
    actor: &Actor,
    record_id: &str,
    reason: Option<&str>,
) -> Result<Repair, ActionError> {
    actor.authorize(&[Role::Operator])?;
    let reason = super::reason_given(reason)?;
    let repair = archive::custody::repairs::find(ctx.db, ctx.warc_dir, record_id)
        .await?
        .ok_or_else(|| {
            ActionError::NotFound(format!(
                "{record_id} is not a repair record of this archive (`nightjar verify` lists them with their record IDs)"
            ))
        })?;
    log(ctx, actor, ACK_ACTION, record_id, reason, "ok").await?;
    Ok(repair)
}

/// Every acknowledged repair record, by record ID (the first acknowledgement of each).
pub async fn acknowledged(db: &db::Db) -> anyhow::Result<HashMap<String, Acknowledgement>> {
    let mut out = HashMap::new();
    for e in crate::store::audit_log::done(db, ACK_ACTION).await? {
        out.entry(e.target).or_insert(Acknowledgement {
            by: e.actor,
            at: e.at,
            reason: e.reason,
        });
    }
    Ok(out)
}

/// The audit log's action name for a key rotation.
pub const ROTATE_ACTION: &str = "custody.key.rotate";

/// Rotates the node key (see `Crawler::rotate_key`) with the operator's reason, and puts
/// the rotation in the audit log as well.
pub async fn rotate_key(
    crawler: &crate::engine::Crawler,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<archive::custody::rotation::Rotation, ActionError> {
    actor.authorize(&[Role::Operator])?;
    let reason = super::reason_given(reason)?;
    let rotation = crawler.rotate_key(reason).await?;
    let warc_dir = crawler.cfg().warc_dir();
    let ctx = Ctx {
        db: crawler.db(),
        warc_dir: &warc_dir,
    };
    let target = format!(
        "{} -> {}",
        rotation.old_fingerprint(),
        rotation.new_fingerprint()
    );
    log(&ctx, actor, ROTATE_ACTION, &target, reason, "ok").await?;
    Ok(rotation)
}
