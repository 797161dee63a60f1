//! Co-signing witnesses: nightjar nodes that keep, check and sign each other's log heads.
//!
//! A witness file on another volume remembers heads, but cannot say whether a new head
//! extends the last one. A co-signing witness can: this node, listed in another node's
//! `custody.cosigners`, accepts a head of that node's log only with a consistency proof from
//! the last head it accepted, keeps every head (append-only), and returns the head with its
//! own signature. A node that rewrote its archive can then never get a witness to sign a head
//! of the rewritten log, and `nightjar verify --witness http://…` checks the archive against
//! every head the witness kept.
//!
//! The exchange follows C2SP `tlog-witness` (`add-checkpoint`: `old SIZE`, the proof's
//! hashes, a blank line, the signed checkpoint; `409 Conflict` with the witness's size when
//! the node's idea of it is wrong). The witness signs with an ordinary Ed25519 note
//! signature under its own name (`nightjar-witness/…`) rather than a timestamped
//! `cosignature/v1`: each head already carries its time, and `signed_note` verifies it.

use std::time::Duration;

use anyhow::{bail, Context};
use archive::custody::key::NodeKey;
use archive::custody::log;
use db::Db;

/// Why a head was not co-signed; each maps to the HTTP status C2SP gives it.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The request is not an add-checkpoint body.
    #[error("{0}")]
    Malformed(String),
    /// The head is of a log this node does not witness, or not signed by its key.
    #[error("{0}")]
    UnknownLog(String),
    /// The node's idea of what this witness last saw is wrong: the witness's size.
    #[error(
        "this witness last accepted {0} records of that log: send `old {0}` and a proof from there"
    )]
    Conflict(u64),
    /// The proof does not show the new head extending the last one: a fork.
    #[error("{0}")]
    NotConsistent(String),
    /// Something failed on this node's side.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// One request at a time: the check against the last head and the insert must not
/// interleave (two heads both accepted as extending the same one). Heads come every few
/// minutes per node, so a process-wide lock costs nothing.
static ACCEPTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Handles a C2SP add-checkpoint `body`: checks the head against the logs this node
/// witnesses (`logs`: verifier keys) and the last head it accepted of that log, keeps it,
/// and returns the head with this node's signature added.
pub async fn add_checkpoint(
    db: &Db,
    key: &NodeKey,
    logs: &[String],
    body: &str,
) -> Result<String, Refusal> {
    let (old, proof, note) = parse_request(body)?;
    let origin = log::origin_in(note)
        .ok_or_else(|| Refusal::Malformed("the checkpoint has no origin line".into()))?
        .to_string();
    let public = logs
        .iter()
        .filter_map(|k| log::parse_verifier_key(k).ok())
        .find(|(name, _)| *name == origin)
        .map(|(_, public)| public)
        .ok_or_else(|| {
            Refusal::UnknownLog(format!(
                "this node does not witness the log {origin}: add its verifier key to [witness] logs"
            ))
        })?;
    let head = log::open_as(note, &origin, &public)
        .map_err(|e| Refusal::UnknownLog(format!("the checkpoint of {origin} is {e}")))?;
    let _one = ACCEPTING.lock().await;
    let (last_size, last_root) = match crate::store::witness::latest(db, &origin).await? {
        Some((size, root)) => (size as u64, Some(log::parse_b64(&root)?)),
        None => (0, None),
    };
    if old != last_size {
        return Err(Refusal::Conflict(last_size));
    }
    if head.size < last_size {
        return Err(Refusal::NotConsistent(format!(
            "the head has {} records, fewer than the {last_size} this witness accepted: a log never shrinks",
            head.size
        )));
    }
    if let Some(last_root) = last_root {
        let consistent = if head.size == last_size {
            head.root == last_root
        } else {
            log::check_consistency(&proof, head.size, head.root, last_size, last_root)
        };
        if !consistent {
            return Err(Refusal::NotConsistent(format!(
                "the head of {} records does not extend the head of {last_size} records this witness accepted: the log was rewritten, or the proof is wrong",
                head.size
            )));
        }
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    crate::store::witness::insert(db, &origin, head.size, &log::b64(&head.root), note, &now)
        .await?;
    tracing::info!(log = %origin, size = head.size, "witnessed a head");
    Ok(log::cosign(note, key)?)
}

/// Every head this node accepted as a witness, of every log, as one text: each signed note
/// followed by a blank line (the form of a witness file).
pub async fn heads(db: &Db) -> anyhow::Result<String> {
    Ok(crate::store::witness::notes(db)
        .await?
        .iter()
        .map(|n| format!("{}\n", n.trim_end()))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Splits an add-checkpoint body: `old N`, base64 proof hashes one per line, a blank line,
/// the signed note.
fn parse_request(body: &str) -> Result<(u64, Vec<log::Hash>, &str), Refusal> {
    let bad = |m: &str| Refusal::Malformed(format!("not an add-checkpoint request: {m}"));
    let (head, note) = body
        .split_once("\n\n")
        .ok_or_else(|| bad("no blank line before the checkpoint"))?;
    let mut lines = head.lines();
    let old = lines
        .next()
        .and_then(|l| l.strip_prefix("old "))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| bad("the first line must be 'old SIZE'"))?;
    let proof = lines
        .map(|l| log::parse_b64(l).map_err(|e| bad(&format!("{e:#}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if proof.len() > 63 {
        return Err(bad("a consistency proof has at most 63 hashes"));
    }
    Ok((old, proof, note))
}

/// The node's side: hands the newest stored head (signed with `key`) to each of
/// `custody.cosigners` and keeps what they sign. A witness that fails is logged and tried again with the next head.
pub async fn hand_to_cosigners(db: &Db, cfg: &crate::config::Config, key: &NodeKey) {
    if cfg.custody.cosigners.is_empty() {
        return;
    }
    let head = match archive::custody::heads::latest(db).await {
        Ok(Some(h)) => h,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!("cannot read the newest head for the co-signing witnesses: {e}");
            return;
        }
    };
    for c in &cfg.custody.cosigners {
        if let Err(e) = cosign_with(db, c, &head, &key.public_hex()).await {
            tracing::warn!(witness = %c.url, "the co-signing witness did not sign the newest head (tried again with the next one): {e:#}");
        }
    }
}

async fn cosign_with(
    db: &Db,
    c: &crate::config::Cosigner,
    head: &archive::custody::heads::Stored,
    public: &str,
) -> anyhow::Result<()> {
    let n = head.size as u64;
    let mut old = crate::store::witness::cosigned_size(db, &c.url).await?;
    if old == n {
        return Ok(());
    }
    let token = std::fs::read_to_string(&c.token_file)
        .with_context(|| format!("cannot read the token file {}", c.token_file.display()))?;
    // At most twice: the second time from the size the witness says it has (a 409).
    for _ in 0..2 {
        let proof = archive::custody::heads::consistency(db, old, n)
            .await?
            .with_context(|| format!("this node made no head of {old} records to prove from"))?;
        let mut body = format!("old {old}\n");
        for h in &proof {
            body.push_str(&log::b64(h));
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&head.note);
        let (status, answer) = http(
            hyper::Method::POST,
            &c.url,
            "/api/v1/witness/add-checkpoint",
            Some(token.trim()),
            body.as_bytes(),
            c.ca_file.as_deref(),
        )
        .await?;
        let text = String::from_utf8_lossy(&answer).to_string();
        match status {
            200 => {
                if !log::cosigned_by(&text, &c.key) || log::open(&text, public).is_err() {
                    bail!(
                        "the witness answered, but not with this head signed by its key {}",
                        c.key
                    );
                }
                let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                crate::store::witness::insert_cosigned(db, &c.url, n, &text, &now).await?;
                tracing::info!(witness = %c.url, size = n, "head co-signed");
                return Ok(());
            }
            409 => {
                old = text.trim().parse().with_context(|| {
                    format!("the witness answered 409 without its size: {text}")
                })?;
                if old > n {
                    bail!("the witness holds {old} records of this log, more than the {n} of the newest head: the archive lost records, run `nightjar verify --witness {}`", c.url);
                }
            }
            s => bail!("the witness answered {s}: {}", text.trim()),
        }
    }
    bail!("the witness kept answering 409")
}

/// The heads a witness node published (`GET /api/v1/witness/heads`), as notes.
/// `ca_file` adds a private CA for an `https://` witness.
pub async fn fetch_heads(
    url: &str,
    ca_file: Option<&std::path::Path>,
) -> anyhow::Result<Vec<String>> {
    let (status, body) = http(
        hyper::Method::GET,
        url,
        "/api/v1/witness/heads",
        None,
        b"",
        ca_file,
    )
    .await?;
    if status != 200 {
        bail!(
            "the witness at {url} answered {status}: {}",
            String::from_utf8_lossy(&body).trim()
        );
    }
    Ok(log::notes_in(&String::from_utf8_lossy(&body)))
}

/// One request to a witness node, with a 30 s limit; returns the status and body. The
/// body is text whose integrity rests on signatures; TLS (with the cosigner's `ca_file`)
/// keeps the token private and the witness's answers from being withheld by a middlebox.
async fn http(
    method: hyper::Method,
    base: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
    ca_file: Option<&std::path::Path>,
) -> anyhow::Result<(u16, Vec<u8>)> {
    let u = url::Url::parse(base).with_context(|| format!("'{base}' is not a URL"))?;
    let url = u.join(path)?;
    let (status, answer) = crate::outbound::send(crate::outbound::Call {
        method,
        url: url.as_str(),
        content_type: Some("text/plain"),
        bearer: token,
        body: body.to_vec(),
        ca_file,
        limit: Duration::from_secs(30),
    })
    .await
    .with_context(|| format!("the witness at {base} did not answer"))?;
    Ok((status.as_u16(), answer.to_vec()))
}
