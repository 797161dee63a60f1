//! Rebuilding what is derived from archived records, without fetching anything again:
//! the full-text index and the entity ledger for captures archived before either existed
//! (`nightjar reindex --entities`).
//!
//! Both steps look only at what is not done yet (texts not in the index, captures without a
//! row in `entity_scans`), in batches of one transaction each, so the backfill can be
//! stopped at any moment and started again, and can run beside the daemon: a capture the
//! daemon indexed meanwhile is simply not there to do.

use std::collections::HashMap;
use std::path::Path;

use archive::index::CaptureRow;
use db::Db;
use url::Url;

use crate::engine::{discover, PageRules};

/// How far the backfill got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Which step.
    pub step: Step,
    /// Done in this run.
    pub done: u64,
    /// Left when this run started.
    pub total: u64,
}

/// The backfill's steps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Step {
    /// Page texts into the full-text index.
    #[default]
    Text,
    /// Captures' payloads into the entity ledger.
    Entities,
}

/// What a backfill did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Page texts indexed.
    pub texts: u64,
    /// Captures looked at for entities.
    pub captures: u64,
    /// Sightings recorded.
    pub sightings: u64,
    /// Captures whose record could not be read (reported, skipped, retried next run).
    pub unreadable: u64,
}

const BATCH: i64 = 200;

/// Runs both steps to the end, reporting progress after each batch.
pub async fn backfill(
    db: &Db,
    warc_dir: &Path,
    mut progress: impl FnMut(Progress),
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();

    let (_, left) = archive::search::backfill(db, 0).await?;
    let total = left;
    loop {
        let (done, left) = archive::search::backfill(db, BATCH).await?;
        summary.texts += done;
        progress(Progress {
            step: Step::Text,
            done: summary.texts,
            total,
        });
        if done == 0 || left == 0 {
            break;
        }
    }

    let hints: HashMap<String, PageRules> = frontier::queue::seed_specs(db)
        .await?
        .iter()
        .map(|s| (s.label.clone(), PageRules::of(s)))
        .collect();
    let none = PageRules::default();
    let total = archive::ledger::unscanned_count(db).await?;
    let mut cursor = 0;
    loop {
        let ids = archive::ledger::unscanned(db, cursor, BATCH).await?;
        let Some(&last) = ids.last() else { break };
        cursor = last;
        // Read and examined outside the transaction; written in one.
        let mut found = Vec::new();
        for id in ids {
            let Some(row) = archive::index::capture(db, id).await? else {
                continue;
            };
            if row.is_revisit() {
                found.push((id, None));
                continue;
            }
            match examine(warc_dir, &row, &hints, &none) {
                Ok(f) => found.push((id, Some(f))),
                Err(e) => {
                    summary.unreadable += 1;
                    tracing::warn!(capture = id, "not read for entities: {e:#}");
                }
            }
        }
        let mut tx = db.begin().await?;
        for (id, f) in &found {
            let new = match f {
                Some(f) => archive::ledger::record(&mut tx, *id, f).await?,
                None => archive::ledger::record_revisit(&mut tx, *id).await?,
            };
            summary.sightings += new.len() as u64;
            summary.captures += 1;
        }
        tx.commit().await?;
        progress(Progress {
            step: Step::Entities,
            done: summary.captures,
            total,
        });
    }
    Ok(summary)
}

/// The entities of one archived response, read back from its WARC record.
fn examine(
    warc_dir: &Path,
    row: &CaptureRow,
    hints: &HashMap<String, PageRules>,
    none: &PageRules,
) -> anyhow::Result<Vec<entities::Found>> {
    let rec = crate::monitor::read_record(warc_dir, row)?;
    let url = Url::parse(&row.url)?;
    let hints = row.seed.as_ref().and_then(|s| hints.get(s)).unwrap_or(none);
    Ok(discover(&url, &rec.block, &Default::default(), hints).entities)
}
