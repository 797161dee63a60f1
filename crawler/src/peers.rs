//! Reading a record another node holds: nodes sharing one PostgreSQL database share the
//! index, but each keeps its WARC files, so a capture held by node A is read on node B by
//! asking A's API for the record (`GET /api/v1/records/{id}`, role `node`) and checking its
//! digest against the index before anything of it is shown. An unreachable node, a refused
//! call or a record that does not match its digest is an error naming the node: never a
//! wrong or partial answer.
//!
//! Each node makes a token of the `node` role for itself when it first starts on a shared
//! database (named `node-NAME`, revocable with `nightjar token revoke`), and keeps its secret
//! in `node.token` in its data directory (mode 0600), beside its signing key.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use db::Db;

/// The file holding this node's token for calls to the other nodes.
pub fn token_path(data_dir: &Path) -> PathBuf {
    data_dir.join("node.token")
}

/// The name of node `node`'s token.
fn token_name(node: &str) -> String {
    format!("node-{node}")
}

/// Makes this node's token if its data directory has none yet (a first start on a shared
/// database, or a data directory made anew: the old token of that name is revoked).
pub async fn ensure_token(db: &Db, data_dir: &Path, node: &str) -> anyhow::Result<()> {
    let path = token_path(data_dir);
    if path.exists() {
        return Ok(());
    }
    let name = token_name(node);
    let at = archive::index::index_time(&chrono::Utc::now());
    crate::store::tokens::revoke(db, &name, &at).await?;
    let ctx = crate::actions::Ctx {
        db,
        warc_dir: &data_dir.join("warcs"),
    };
    let secret = crate::actions::tokens::create(
        &ctx,
        &crate::actions::Actor::local_user(),
        &name,
        crate::actions::Role::Node,
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot make this node's token: {e}"))?;
    write_private(&path, secret.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(token = %name, file = %path.display(), "made this node's token for reads between nodes");
    Ok(())
}

/// Writes `bytes` to a new file only its owner can read.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Why a record held by another node could not be read.
#[derive(Debug)]
pub struct Unavailable(pub String);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Fetches the WARC record `record_id` (its uncompressed bytes) from node `node`, which holds
/// it, for a read on this node with `reason` (audited there too). The caller checks the
/// digest against the index.
pub async fn fetch_record(
    db: &Db,
    data_dir: &Path,
    node: &str,
    record_id: &str,
    reason: &str,
) -> Result<Vec<u8>, Unavailable> {
    let nodes = crate::store::nodes::list(db)
        .await
        .map_err(|e| Unavailable(format!("cannot read the node list: {e:#}")))?;
    let Some(api) = nodes
        .iter()
        .find(|n| n.info.name == node)
        .and_then(|n| n.info.api.clone())
    else {
        return Err(Unavailable(format!(
            "node '{node}' holds it and has no API address registered: read it on that node"
        )));
    };
    let token = std::fs::read_to_string(token_path(data_dir)).map_err(|e| {
        Unavailable(format!(
            "node '{node}' holds it, and this node has no token for reads between nodes \
             ({}: {e}; `nightjar run` makes it at its first start on a shared database)",
            token_path(data_dir).display()
        ))
    })?;
    let mut url = url::Url::parse(&api)
        .map_err(|e| Unavailable(format!("node '{node}' registered the API '{api}': {e}")))?;
    url.set_path(&format!("/api/v1/records/{record_id}"));
    url.query_pairs_mut().append_pair("reason", reason);
    let answer = crate::outbound::send(crate::outbound::Call {
        method: hyper::Method::GET,
        url: url.as_str(),
        content_type: None,
        bearer: Some(token.trim()),
        body: Vec::new(),
        ca_file: None,
        limit: Duration::from_secs(30),
    })
    .await;
    match answer {
        Ok((status, body)) if status.is_success() => Ok(body.to_vec()),
        Ok((status, body)) => Err(Unavailable(format!(
            "node '{node}' holds it and refused to hand it over ({status}: {})",
            String::from_utf8_lossy(&body[..body.len().min(300)]).trim()
        ))),
        Err(e) => Err(Unavailable(format!(
            "node '{node}' holds it and cannot be reached at {api} ({e:#}): try again when it \
             is up (`nightjar nodes`)"
        ))),
    }
}
