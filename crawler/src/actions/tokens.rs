//! API tokens: made and revoked at the command line (only someone who can write the data
//! directory may), each change audited.

use super::{log, ActionError, Actor, Ctx, Role};
use crate::api::access::{self, TokenInfo};

/// Makes a token for `name` with `role`; returns the secret, which is shown once.
pub async fn create(
    ctx: &Ctx<'_>,
    actor: &Actor,
    name: &str,
    role: Role,
) -> Result<String, ActionError> {
    actor.authorize(&[])?;
    let by = actor.id().strip_prefix("user:").unwrap_or(actor.id());
    let token = access::create(ctx.db, name, role, by).await.map_err(|e| {
        match e.downcast_ref::<sqlx::Error>() {
            Some(_) => ActionError::Failed(e),
            None => ActionError::Invalid(format!("{e:#}")),
        }
    })?;
    log(
        ctx,
        actor,
        "token.create",
        name,
        "",
        &format!("ok: role {role}"),
    )
    .await?;
    Ok(token)
}

/// Every token (never the secrets).
pub async fn list(ctx: &Ctx<'_>, actor: &Actor) -> Result<Vec<TokenInfo>, ActionError> {
    actor.authorize(&[])?;
    Ok(access::list(ctx.db).await?)
}

/// Revokes the live token `name`.
pub async fn revoke(ctx: &Ctx<'_>, actor: &Actor, name: &str) -> Result<(), ActionError> {
    actor.authorize(&[])?;
    if !access::revoke(ctx.db, name).await? {
        return Err(ActionError::NotFound(format!(
            "no live token named '{name}' (`nightjar token list` shows them)"
        )));
    }
    log(ctx, actor, "token.revoke", name, "", "ok").await
}
