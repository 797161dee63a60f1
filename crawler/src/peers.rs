//! Reading a record another node holds: nodes sharing one PostgreSQL database share the
//! index, but each keeps its WARC files, so a capture held by node A is read on node B by
//! asking A's API for the record (`GET /api/v1/records/{id}`, role `node`) and checking its
//! digest against the index before anything of it is shown. An unreachable node, a refused
//! call or a record that does not match its digest is an error naming the node: never a
//! wrong or partial answer.
//!
//! An export spanning nodes asks each other node holding some of its captures for its part
//! (`POST /api/v1/export-parts`, role `node`): that node seals the files holding them and
//! signs a fresh head of its log, and hands back its key and those seals ([`Peers`]).
//!
//! Each node makes a token of the `node` role for itself when it first starts on a shared
//! database (named `node-NAME`, revocable with `nightjar token revoke`), and keeps its secret
//! in `node.token` in its data directory (mode 0600), beside its signing key.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use db::Db;

use crate::store::nodes::NodeInfo;

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

/// A node's API address and this node's token for calling it.
async fn reach(db: &Db, data_dir: &Path, node: &str) -> Result<(NodeInfo, String), Unavailable> {
    let nodes = crate::store::nodes::list(db)
        .await
        .map_err(|e| Unavailable(format!("cannot read the node list: {e:#}")))?;
    let Some(info) = nodes
        .into_iter()
        .find(|n| n.info.name == node)
        .map(|n| n.info)
        .filter(|n| n.api.is_some())
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
    Ok((info, token.trim().to_string()))
}

/// A call to another node's API.
struct NodeCall<'a> {
    method: hyper::Method,
    path: &'a str,
    query: &'a [(&'a str, &'a str)],
    /// A JSON body, if any.
    body: Option<Vec<u8>>,
    limit: Duration,
}

/// Makes `c` on node `node`'s API; the node's registration and the body of a successful
/// answer.
async fn call(
    db: &Db,
    data_dir: &Path,
    node: &str,
    c: NodeCall<'_>,
) -> Result<(NodeInfo, Vec<u8>), Unavailable> {
    let NodeCall {
        method,
        path,
        query,
        body,
        limit,
    } = c;
    let (info, token) = reach(db, data_dir, node).await?;
    let api = info.api.clone().unwrap_or_default();
    let mut url = url::Url::parse(&api)
        .map_err(|e| Unavailable(format!("node '{node}' registered the API '{api}': {e}")))?;
    url.set_path(path);
    for (k, v) in query {
        url.query_pairs_mut().append_pair(k, v);
    }
    let answer = crate::outbound::send(crate::outbound::Call {
        method,
        url: url.as_str(),
        content_type: body.as_ref().map(|_| "application/json"),
        bearer: Some(&token),
        body: body.unwrap_or_default(),
        ca_file: None,
        limit,
    })
    .await;
    match answer {
        Ok((status, body)) if status.is_success() => Ok((info, body.to_vec())),
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
    call(
        db,
        data_dir,
        node,
        NodeCall {
            method: hyper::Method::GET,
            path: &format!("/api/v1/records/{record_id}"),
            query: &[("reason", reason)],
            body: None,
            limit: Duration::from_secs(30),
        },
    )
    .await
    .map(|(_, body)| body)
}

/// What a node hands over for an export made on another node (the answer of
/// `POST /api/v1/export-parts`).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Part {
    /// Its key (hex).
    pub public_key: String,
    /// The seals of the files holding the captures asked for: file name, seal (JSON text).
    pub seals: std::collections::BTreeMap<String, String>,
}

/// What another node holds, for a package made on this one: each node's part and records,
/// through its API, for the export `reason`.
pub struct Peers<'a> {
    /// The shared database.
    pub db: &'a Db,
    /// This node's data directory (its node token).
    pub data_dir: &'a Path,
    /// The export's case and reason, forwarded (audited on each node).
    pub case: &'a str,
    /// See `case`.
    pub reason: &'a str,
}

impl archive::export::Holders for Peers<'_> {
    async fn part(
        &self,
        node: &str,
        captures: &[i64],
    ) -> anyhow::Result<archive::export::NodePart> {
        let body = serde_json::to_vec(&serde_json::json!({
            "captures": captures, "case": self.case, "reason": self.reason,
        }))?;
        // Sealing may wait for a file being written to close and its captures to be indexed.
        let (info, answer) = call(
            self.db,
            self.data_dir,
            node,
            NodeCall {
                method: hyper::Method::POST,
                path: "/api/v1/export-parts",
                query: &[],
                body: Some(body),
                limit: Duration::from_secs(120),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let part: Part = serde_json::from_slice(&answer).with_context(|| {
            format!("node '{node}' answered with something other than its part")
        })?;
        // The key the node registered is the key whose seals and heads are packaged.
        let fingerprint = archive::custody::key::public_from_hex(&part.public_key)
            .map(|k| archive::custody::key::fingerprint_of(&k))
            .with_context(|| format!("node '{node}' handed over a key that is not one"))?;
        if fingerprint != info.key_fingerprint {
            anyhow::bail!(
                "node '{node}' handed over the key {fingerprint}, but registered {}: not packaged",
                info.key_fingerprint
            );
        }
        Ok(archive::export::NodePart {
            public_key: part.public_key,
            seals: part
                .seals
                .into_iter()
                .map(|(f, s)| (f, s.into_bytes()))
                .collect(),
        })
    }

    async fn record(&self, r: &archive::index::RecordRow) -> anyhow::Result<Vec<u8>> {
        fetch_record(self.db, self.data_dir, &r.node, &r.record_id, self.reason)
            .await
            .map_err(|e| anyhow::anyhow!("record {}: {e}", r.record_id))
    }
}
