//! Reading the archive: searching captures, reading one, the change feed, a URL's history
//! and the diff of two captures. Each is an analyst's action and is audited; reading
//! archived content (a capture's bytes, a diff) needs a reason.

use archive::changes::{ChangeRow, Filter};
use archive::index::{CaptureRow, CaptureSearch};

use super::{logged, reason_given, reason_if_any, ActionError, Actor, Ctx, Role};
use crate::monitor::{self, Diff};

/// A URL as the index keys it, or why it is no URL.
pub fn canonical_url(url: &str) -> Result<String, ActionError> {
    frontier::canon::canonicalize(url)
        .map(|u| u.to_string())
        .map_err(|e| ActionError::Invalid(format!("url '{url}': {e}")))
}

/// How a search is named in the audit log: its conditions, in a fixed order.
fn described(s: &CaptureSearch) -> String {
    let mut parts = Vec::new();
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    };
    add("url", s.url.clone());
    add("prefix", s.prefix.clone());
    add("host", s.host.clone());
    add("since", s.since.clone());
    add("until", s.until.clone());
    add("status", s.status.map(|v| v.to_string()));
    add("mime", s.mime.clone());
    add("cursor", s.before_id.map(|v| v.to_string()));
    parts.join("&")
}

/// One page (`search.limit` captures) of the captures matching `search`, newest first, and
/// the cursor of the next page if there is one (the API's capture search).
pub async fn search_captures(
    ctx: &Ctx<'_>,
    actor: &Actor,
    search: &CaptureSearch,
    reason: Option<&str>,
) -> Result<(Vec<CaptureRow>, Option<i64>), ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let reason = reason_if_any(reason)?;
    // One more than a page: whether there is a next page.
    let one_more = CaptureSearch {
        limit: search.limit.saturating_add(1),
        ..search.clone()
    };
    let page = archive::index::search(ctx.db, &one_more)
        .await
        .map_err(ActionError::from)
        .map(|mut rows| {
            let next = if rows.len() as i64 > search.limit {
                rows.truncate(search.limit.max(0) as usize);
                rows.last().map(|r| r.id)
            } else {
                None
            };
            (rows, next)
        });
    let found = |page: &(Vec<CaptureRow>, Option<i64>)| format!("ok: {} captures", page.0.len());
    logged(
        ctx,
        actor,
        "captures.search",
        &described(search),
        reason.unwrap_or(""),
        page,
        found,
    )
    .await
}

/// Every capture of a URL, oldest first (`nightjar captures URL`).
pub async fn captures_of(
    ctx: &Ctx<'_>,
    actor: &Actor,
    url: &str,
) -> Result<(String, Vec<CaptureRow>), ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let url = canonical_url(url)?;
    let rows = archive::index::captures_of(ctx.db, &url)
        .await
        .map_err(ActionError::from);
    let found = |rows: &Vec<CaptureRow>| format!("ok: {} captures", rows.len());
    let rows = logged(
        ctx,
        actor,
        "captures.search",
        &format!("url={url}"),
        "",
        rows,
        found,
    )
    .await?;
    Ok((url, rows))
}

/// Why there is no capture `id`: it was erased (by what, when), or there never was one.
pub(super) async fn no_capture(ctx: &Ctx<'_>, id: i64) -> ActionError {
    match archive::erasure::erased_among(ctx.db, &[id]).await {
        Ok(found) if !found.is_empty() => {
            let e = &found[0].1;
            ActionError::NotFound(format!(
                "capture {id} was erased by {} ({}) on {} (erasure record {})",
                if e.basis == "retention" {
                    "policy"
                } else {
                    "request"
                },
                e.detail,
                e.erased_at,
                e.record_id
            ))
        }
        Ok(_) => ActionError::NotFound(format!(
            "no capture {id}; `nightjar captures URL` lists capture IDs"
        )),
        Err(e) => e.into(),
    }
}

/// One capture's index entry (its metadata, not its content).
pub async fn capture_entry(
    ctx: &Ctx<'_>,
    actor: &Actor,
    id: i64,
    reason: Option<&str>,
) -> Result<CaptureRow, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let reason = reason_if_any(reason)?;
    let row = match archive::index::capture(ctx.db, id).await {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err(no_capture(ctx, id).await),
        Err(e) => Err(e.into()),
    };
    let target = id.to_string();
    logged(
        ctx,
        actor,
        "capture.read",
        &target,
        reason.unwrap_or(""),
        row,
        |_| "ok".into(),
    )
    .await
}

/// Which part of an archived response to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The status line and headers, as received.
    Headers,
    /// The body, as archived: transfer-coding removed, content-coding kept.
    Body,
    /// The whole WARC record block (the HTTP response as received).
    Record,
    /// The body as a reader sees it, for a viewer: content-coding undone and the text
    /// decoded into UTF-8 from the encoding the page declares (BOM, `Content-Type`,
    /// `<meta charset>`, else a guess from the bytes, as a browser and the indexer do).
    /// Not evidence: the archived bytes are [`Part::Body`].
    Page,
}

impl Part {
    /// The part's name (`capture.NAME` in the audit log, the API's path segment).
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Headers => "headers",
            Part::Body => "body",
            Part::Record => "record",
            Part::Page => "page",
        }
    }

    /// The part a name stands for.
    pub fn parse(name: &str) -> Option<Part> {
        [Part::Headers, Part::Body, Part::Record, Part::Page]
            .into_iter()
            .find(|p| p.as_str() == name)
    }
}

/// Bytes of an archived capture.
#[derive(Debug)]
pub struct CaptureBytes {
    /// The bytes asked for.
    pub bytes: Vec<u8>,
    /// For the body of a revisit: the capture whose record holds it (the digests say it is
    /// the same payload).
    pub from_original: Option<CaptureRow>,
    /// For [`Part::Page`]: the encoding the page was decoded from (`windows-1251`).
    pub encoding: Option<&'static str>,
}

/// Reads part of an archived capture back from its WARC record (`nightjar show`, the API's
/// `captures/{id}/{part}`). Needs a reason.
pub async fn read_capture(
    ctx: &Ctx<'_>,
    actor: &Actor,
    id: i64,
    part: Part,
    reason: Option<&str>,
) -> Result<CaptureBytes, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let reason = reason_given(reason)?;
    let outcome = read_part(ctx, id, part, reason).await;
    let action = format!("capture.{}", part.as_str());
    logged(
        ctx,
        actor,
        &action,
        &id.to_string(),
        reason,
        outcome,
        |_| "ok".into(),
    )
    .await
}

/// A capture's payload (a revisit's from its original), for an action that logs its own
/// reading.
pub(super) async fn body_of(ctx: &Ctx<'_>, id: i64) -> Result<Vec<u8>, ActionError> {
    Ok(read_part(ctx, id, Part::Body, "a read that logs itself")
        .await?
        .bytes)
}

async fn read_part(
    ctx: &Ctx<'_>,
    id: i64,
    part: Part,
    reason: &str,
) -> Result<CaptureBytes, ActionError> {
    let Some(row) = archive::index::capture(ctx.db, id).await? else {
        return Err(no_capture(ctx, id).await);
    };
    if row.file.is_none() {
        return Err(ActionError::NotFound(format!(
            "capture {id} is a failed fetch: nothing was archived"
        )));
    }
    // A revisit's body is its original's, byte for byte (the digests say so).
    let original = if matches!(part, Part::Body | Part::Page) && row.is_revisit() {
        Some(monitor::payload_holder(ctx.db, &row).await?)
    } else {
        None
    };
    let holder = original.clone().unwrap_or(row);
    // Held by another node sharing the database: fetched from it, checked against the
    // index's digest (never a wrong or partial answer).
    let remote = if holder.node != ctx.db.node() {
        Some(remote_record(ctx, &holder, reason).await?)
    } else {
        None
    };
    let dir = ctx.warc_dir.to_path_buf();
    type Read = Result<(Vec<u8>, Option<&'static str>), ActionError>;
    let (bytes, encoding) = tokio::task::spawn_blocking(move || -> Read {
        let rec = match remote {
            Some(rec) => rec,
            None => monitor::read_record(&dir, &holder)?,
        };
        if part == Part::Record {
            return Ok((rec.block, None));
        }
        let msg =
            archive::http::HttpMessage::parse_response(&rec.block).map_err(anyhow::Error::from)?;
        Ok(match part {
            Part::Headers => (rec.block[..msg.body_offset].to_vec(), None),
            Part::Page => {
                let (text, encoding) = readable_page(&msg, id)?;
                (text.into_bytes(), Some(encoding))
            }
            Part::Body | Part::Record => (msg.payload, None),
        })
    })
    .await
    .map_err(anyhow::Error::from)??;
    Ok(CaptureBytes {
        bytes,
        from_original: original,
        encoding,
    })
}

/// The response record of `holder`, which another node holds: fetched from that node and
/// checked against the index (its digest, its record ID).
async fn remote_record(
    ctx: &Ctx<'_>,
    holder: &CaptureRow,
    reason: &str,
) -> Result<archive::record::ParsedRecord, ActionError> {
    let (Some(record_id), Some(digest)) = (&holder.record_id, &holder.record_digest) else {
        return Err(ActionError::NotFound(format!(
            "capture {} has no archived record",
            holder.id
        )));
    };
    let data_dir = ctx.warc_dir.parent().unwrap_or(ctx.warc_dir);
    let bytes = crate::peers::fetch_record(ctx.db, data_dir, &holder.node, record_id, reason)
        .await
        .map_err(|e| ActionError::Elsewhere(format!("capture {}: {e}", holder.id)))?;
    let got = archive::digest::Sha256::of(&bytes).to_string();
    if got != *digest {
        return Err(ActionError::Elsewhere(format!(
            "capture {}: node '{}' handed over a record whose digest is {got}, not the \
             indexed {digest}: not shown; run `nightjar verify` on that node",
            holder.id, holder.node
        )));
    }
    let rec = archive::record::ParsedRecord::parse(&bytes)
        .map_err(|e| anyhow::anyhow!("the record node '{}' handed over: {e}", holder.node))?;
    if rec.record_id() != record_id {
        return Err(ActionError::Elsewhere(format!(
            "capture {}: node '{}' handed over {}, not {record_id}",
            holder.id,
            holder.node,
            rec.record_id()
        )));
    }
    Ok(rec)
}

/// A WARC record this node holds, uncompressed as it was written, for another node sharing
/// the database that reads it for an analyst there (whose read is audited on that node; this
/// hand-over is audited here, under the node's token, with the reason it forwarded).
pub async fn record_for_node(
    ctx: &Ctx<'_>,
    actor: &Actor,
    record_id: &str,
    reason: Option<&str>,
) -> Result<Vec<u8>, ActionError> {
    actor.authorize(&[Role::Node])?;
    let reason = reason_given(reason)?;
    let outcome = async {
        let row = archive::index::record_by_id(ctx.db, record_id)
            .await?
            .filter(|r| r.node == ctx.db.node())
            .ok_or_else(|| {
                ActionError::NotFound(format!("this node holds no record {record_id}"))
            })?;
        let dir = ctx.warc_dir.to_path_buf();
        tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ActionError> {
            let path = archive::files::locate(&dir, &row.file).ok_or_else(|| {
                anyhow::anyhow!("WARC file {} is missing from {}", row.file, dir.display())
            })?;
            let raw =
                archive::frames::read_frame_at(&path, row.file_offset as u64, row.length as u64)
                    .map_err(anyhow::Error::from)?;
            if archive::digest::Sha256::of(&raw).to_string() != row.record_digest {
                return Err(anyhow::anyhow!(
                    "{} at {} no longer matches its digest in the index: run `nightjar verify`",
                    row.file,
                    row.file_offset
                )
                .into());
            }
            Ok(raw)
        })
        .await
        .map_err(anyhow::Error::from)?
    }
    .await;
    logged(
        ctx,
        actor,
        "record.fetch",
        record_id,
        reason,
        outcome,
        |r| format!("ok: {} bytes", r.len()),
    )
    .await
}

/// A response's body as text: its content-coding undone (within the crawler's default
/// decompression limits) and decoded from the encoding it declares or that its bytes
/// suggest, undecodable bytes shown as U+FFFD.
fn readable_page(
    msg: &archive::http::HttpMessage,
    id: i64,
) -> Result<(String, &'static str), ActionError> {
    let plain = crate::decode::decode_content(
        msg.header("content-encoding"),
        &msg.payload,
        &crate::decode::DecodeLimits::default(),
    )
    .map_err(|e| {
        ActionError::Conflict(format!(
            "capture {id} cannot be shown as a page ({e}); its archived bytes are its body"
        ))
    })?;
    let encoding = crate::extract::sniff_encoding(&plain, msg.header("content-type"));
    let (text, _, _) = encoding.decode(&plain);
    Ok((text.into_owned(), encoding.name()))
}

/// How a change feed is named in the audit log.
fn described_filter(f: &Filter) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("since", &f.since),
        ("until", &f.until),
        ("seed", &f.seed),
        ("host", &f.host),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    if !f.classes.is_empty() {
        let classes: Vec<&str> = f.classes.iter().map(|c| c.as_str()).collect();
        parts.push(format!("class={}", classes.join(",")));
    }
    parts.join("&")
}

/// The change feed, newest first (`nightjar changes`, the API's `changes`).
pub async fn changes_feed(
    ctx: &Ctx<'_>,
    actor: &Actor,
    filter: &Filter,
) -> Result<Vec<ChangeRow>, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let rows = archive::changes::feed(ctx.db, filter)
        .await
        .map_err(ActionError::from);
    let found = |rows: &Vec<ChangeRow>| format!("ok: {} changes", rows.len());
    logged(
        ctx,
        actor,
        "changes.feed",
        &described_filter(filter),
        "",
        rows,
        found,
    )
    .await
}

/// Every capture of a URL with its change class, oldest first (`nightjar history`).
pub async fn history(
    ctx: &Ctx<'_>,
    actor: &Actor,
    url: &str,
    reason: Option<&str>,
) -> Result<(String, Vec<ChangeRow>), ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let reason = reason_if_any(reason)?;
    let url = canonical_url(url)?;
    let rows = archive::changes::history(ctx.db, &url)
        .await
        .map_err(ActionError::from);
    let found = |rows: &Vec<ChangeRow>| format!("ok: {} captures", rows.len());
    let rows = logged(
        ctx,
        actor,
        "history",
        &url,
        reason.unwrap_or(""),
        rows,
        found,
    )
    .await?;
    Ok((url, rows))
}

/// What differs between two captures: text, links, headers (`nightjar diff`). Needs a
/// reason.
pub async fn diff(
    ctx: &Ctx<'_>,
    actor: &Actor,
    a: i64,
    b: i64,
    reason: Option<&str>,
) -> Result<Diff, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let reason = reason_given(reason)?;
    let outcome = async {
        for id in [a, b] {
            if archive::index::capture(ctx.db, id).await?.is_none() {
                return Err(ActionError::NotFound(format!(
                    "no capture {id}; `nightjar history URL` lists a URL's captures"
                )));
            }
        }
        Ok(monitor::diff(ctx.db, ctx.warc_dir, a, b).await?)
    }
    .await;
    logged(
        ctx,
        actor,
        "diff",
        &format!("{a}..{b}"),
        reason,
        outcome,
        |_| "ok".into(),
    )
    .await
}

/// The whole capture index in CDXJ form (`nightjar index --cdxj`). It names every URL
/// captured: a disclosure like any other, so it is audited.
pub async fn cdxj_index(ctx: &Ctx<'_>, actor: &Actor) -> Result<Vec<String>, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    let lines = archive::index::cdxj(ctx.db)
        .await
        .map_err(ActionError::from);
    let found = |l: &Vec<String>| format!("ok: {} lines", l.len());
    logged(ctx, actor, "index.cdxj", "all", "", lines, found).await
}
