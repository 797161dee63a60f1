//! Signed evidence packages (WACZ with a custody report), for `nightjar export` and the
//! API's export jobs.
//!
//! A package may hold captures of several nodes sharing one database: the exporting node
//! asks each other holder for its part ([`hand_part`] on that node) and its records, through
//! [`crate::peers::Peers`].
//!
//! An export is logged twice: when its captures are chosen, before any package exists (so
//! no package exists unlogged), and when the package is written or fails.

use std::path::PathBuf;

use archive::custody::key::NodeKey;
use archive::export::{ExportRequest, ExportSummary};
use archive::index::ExportSelection;

use super::{log, logged, ActionError, Actor, Ctx, Role};

/// What an analyst asks to export, and why.
#[derive(Clone, Debug, Default)]
pub struct ExportOrder {
    /// Which captures (URL, seed, IDs, time range).
    pub selection: ExportSelection,
    /// Every capture of this site's seeds (resolved by [`choose`]).
    pub site: Option<String>,
    /// The case it is for; recorded in the package.
    pub case: String,
    /// Why it is made; recorded in the package and the audit log.
    pub reason: String,
}

impl ExportOrder {
    /// How the audit log names the export: the whole selection and the case.
    fn described(&self, job: Option<i64>) -> String {
        let s = &self.selection;
        let mut parts = Vec::new();
        if let Some(u) = &s.url {
            parts.push(format!("url={u}"));
        }
        if let Some(v) = &s.seed {
            parts.push(format!("seed={v}"));
        }
        if let Some(v) = &self.site {
            parts.push(format!("site={v}"));
        }
        if !s.ids.is_empty() {
            parts.push(format!("captures={:?}", s.ids));
        }
        for (k, v) in [("since", &s.since), ("until", &s.until)] {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        }
        let job = job.map(|j| format!("job {j}, ")).unwrap_or_default();
        format!("{} ({job}case {})", parts.join("&"), self.case.trim())
    }
}

/// An export whose captures are chosen and logged; [`write()`] makes its package.
#[derive(Clone, Debug)]
pub struct Chosen {
    order: ExportOrder,
    /// The captures, oldest first.
    pub captures: Vec<i64>,
    job: Option<i64>,
}

/// Checks an order and chooses its captures. A selection that matches nothing, or names a
/// capture that is not archived, is the caller's to fix ([`ActionError::NotFound`]) and is
/// logged as such.
pub async fn choose(
    ctx: &Ctx<'_>,
    actor: &Actor,
    mut order: ExportOrder,
) -> Result<Chosen, ActionError> {
    actor.authorize(&[Role::Analyst])?;
    if order.case.trim().is_empty() || order.reason.trim().is_empty() {
        return Err(ActionError::Invalid(
            "the case and the reason must not be empty: they are recorded with the evidence".into(),
        ));
    }
    for (field, value, max) in [
        ("case", &order.case, super::MAX_CASE),
        ("reason", &order.reason, super::MAX_REASON),
    ] {
        archive::custody::text::short_text(field, value, max)
            .map_err(|e| ActionError::Invalid(e.to_string()))?;
    }
    if let Some(site) = &order.site {
        order.selection.seeds = super::sites::seeds_of(ctx, site).await?;
    }
    let s = &order.selection;
    if s.url.is_none() && s.seed.is_none() && s.seeds.is_empty() && s.ids.is_empty() {
        return Err(ActionError::Invalid(
            "say what to export: a URL, a seed, a site or capture IDs".into(),
        ));
    }
    let found = async {
        let found = archive::index::select_archived(ctx.db, s).await?;
        let missing: Vec<i64> = s.ids.iter().copied().filter(|i| !found.contains(i)).collect();
        if let Some((id, e)) = archive::erasure::erased_among(ctx.db, &missing)
            .await?
            .into_iter()
            .next()
        {
            return Err(ActionError::NotFound(format!(
                "capture {id} was erased by {} ({}) on {}, reason: {} (erasure record {}): it is no longer in the archive and cannot be exported; `nightjar verify` shows the erasure",
                if e.basis == "retention" { "policy" } else { "request" },
                e.detail,
                e.erased_at,
                e.reason,
                e.record_id
            )));
        }
        if let Some(missing) = missing.first() {
            return Err(ActionError::NotFound(format!(
                "capture {missing} is not an archived capture in that range: `nightjar history URL` lists them"
            )));
        }
        if found.is_empty() {
            return Err(ActionError::NotFound(
                "no archived capture matches: nothing to export".into(),
            ));
        }
        Ok(found)
    }
    .await;
    let target = order.described(None);
    let reason = order.reason.trim().to_string();
    match found {
        Ok(captures) => Ok(Chosen {
            order,
            captures,
            job: None,
        }),
        Err(e) => {
            logged(ctx, actor, "export", &target, &reason, Err(e), |_| {
                String::new()
            })
            .await
        }
    }
}

impl Chosen {
    /// Logs that the export failed before its package could be written (its files could not
    /// be sealed, say), and hands the error on.
    pub async fn log_failure(
        &self,
        ctx: &Ctx<'_>,
        actor: &Actor,
        error: ActionError,
    ) -> ActionError {
        let target = self.finished_target();
        let result = format!("{}: {error}", error.code());
        if let Err(e) = log(
            ctx,
            actor,
            "export.finished",
            &target,
            self.order.reason.trim(),
            &result,
        )
        .await
        {
            tracing::error!("cannot log the export's failure ({result}): {e}");
        }
        error
    }

    /// How the audit log names the end of this export.
    fn finished_target(&self) -> String {
        match self.job {
            Some(j) => format!("job {j}"),
            None => self.order.described(None),
        }
    }

    /// Names the API job that will write the package (it appears in the audit log).
    pub fn for_job(mut self, job: i64) -> Chosen {
        self.job = Some(job);
        self
    }

    /// Logs the start of the export, before any package exists.
    pub async fn log_start(&self, ctx: &Ctx<'_>, actor: &Actor) -> Result<(), ActionError> {
        log(
            ctx,
            actor,
            "export",
            &self.order.described(self.job),
            self.order.reason.trim(),
            &format!("started: {} captures", self.captures.len()),
        )
        .await
    }
}

/// Who signs a package, and where the signed head its proofs lead to is handed.
pub struct Custodian<'a> {
    /// The node key.
    pub key: &'a NodeKey,
    /// The witnesses of the node's signed heads.
    pub witnesses: archive::custody::heads::Witnesses,
}

/// Writes the package of a chosen (and started) export to `out`, signed by `custodian`, and
/// logs how it ended. `progress` gets (bytes done, bytes in all).
pub async fn write(
    ctx: &Ctx<'_>,
    actor: &Actor,
    chosen: Chosen,
    custodian: &Custodian<'_>,
    out: PathBuf,
    exported_by: String,
    progress: impl FnMut(u64, u64),
) -> Result<ExportSummary, ActionError> {
    let target = chosen.finished_target();
    let for_job = chosen.job.is_some();
    let reason = chosen.order.reason.trim().to_string();
    let req = ExportRequest {
        captures: chosen.captures,
        case: chosen.order.case.trim().to_string(),
        reason: reason.clone(),
        exported_by,
        out: out.clone(),
    };
    // A fresh signed head, handed to the witnesses, for the records' inclusion proofs.
    let summary = async {
        let audit = crate::audit::head(ctx.db).await?;
        archive::custody::heads::make(ctx.db, custodian.key, &custodian.witnesses, audit).await?;
        let peers = crate::peers::Peers {
            db: ctx.db,
            data_dir: ctx.warc_dir.parent().unwrap_or(ctx.warc_dir),
            case: &req.case,
            reason: &req.reason,
        };
        archive::export::export(ctx.db, ctx.warc_dir, custodian.key, &req, &peers, progress).await
    }
    .await
    .map_err(ActionError::from);
    // A job's package stays on the server for its requester; a local export names its file.
    let done = |s: &ExportSummary| match for_job {
        true => format!("ok: {} captures, {} bytes", s.captures, s.bytes),
        false => format!(
            "ok: {} captures, {} bytes, to {}",
            s.captures,
            s.bytes,
            out.display()
        ),
    };
    logged(
        ctx,
        actor,
        "export.finished",
        &target,
        &reason,
        summary,
        done,
    )
    .await
}

/// What another node's export asks of this one: the captures it holds, and why.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartOrder {
    /// Captures this node holds.
    pub captures: Vec<i64>,
    /// The case of the export.
    pub case: String,
    /// Its reason.
    pub reason: String,
}

/// This node's part of a package another node sharing the database makes: the files
/// holding `order.captures` sealed (a file still being written is closed first), a fresh
/// signed head of this node's log in the shared index (handed to its witnesses), and its
/// key and those seals. Audited here as `export.part`; the records themselves are read one
/// by one ([`super::content::record_for_node`]).
pub async fn hand_part(
    crawler: &crate::engine::Crawler,
    actor: &Actor,
    order: PartOrder,
) -> Result<crate::peers::Part, ActionError> {
    actor.authorize(&[Role::Node])?;
    let reason = super::reason_given(Some(&order.reason))?;
    archive::custody::text::short_text("case", order.case.trim(), super::MAX_CASE)
        .map_err(|e| ActionError::Invalid(e.to_string()))?;
    let db = crawler.db();
    let warc_dir = crawler.cfg().warc_dir();
    let ctx = Ctx {
        db,
        warc_dir: &warc_dir,
    };
    let outcome = async {
        if order.captures.is_empty() || order.captures.len() > 100_000 {
            return Err(ActionError::Invalid(
                "name from 1 to 100000 captures this node holds".into(),
            ));
        }
        let mut files: Vec<String> = Vec::new();
        for id in &order.captures {
            let held = archive::index::capture(db, *id)
                .await?
                .filter(|c| c.node == db.node() && c.file.is_some());
            if held.is_none() {
                return Err(ActionError::NotFound(format!(
                    "this node holds no archived capture {id}"
                )));
            }
            files.extend(
                archive::index::records_of_capture(db, *id)
                    .await?
                    .into_iter()
                    .map(|r| r.file),
            );
        }
        files.sort();
        files.dedup();
        crawler
            .sealed(&files, std::time::Duration::from_secs(60))
            .await?;
        let audit = crate::audit::head(db).await?;
        archive::custody::heads::make(
            db,
            crawler.key(),
            &crate::custody::witnesses(&crawler.cfg()),
            audit,
        )
        .await?;
        let mut seals = std::collections::BTreeMap::new();
        for f in files {
            let path = archive::files::locate(&warc_dir, &f)
                .map(|p| archive::custody::seal::seal_path(&p))
                .ok_or_else(|| anyhow::anyhow!("WARC file {f} is missing"))?;
            let seal = std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            seals.insert(f, seal);
        }
        Ok(crate::peers::Part {
            public_key: crawler.key().public_hex(),
            seals,
        })
    }
    .await;
    let target = format!(
        "captures={:?} (case {})",
        &order.captures[..order.captures.len().min(50)],
        order.case.trim()
    );
    logged(&ctx, actor, "export.part", &target, reason, outcome, |p| {
        format!("ok: {} files sealed", p.seals.len())
    })
    .await
}
