//! Retention, legal holds and erasure, as the daemon carries them out.
//!
//! Every `retention.check_every` (and at each start) the daemon erases each capture past its
//! seed's retention period that no legal hold keeps, and carries out the erasure requests a
//! second person approved. The erasing itself, and what it leaves for `verify`, is
//! `archive::erasure`'s; here are the policies: which captures are due, which are held,
//! and which request selects what. The command line does the same when no daemon holds the
//! data directory (`nightjar erase approve`, `nightjar retention --apply`).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use archive::erasure::{Basis, Done, Order, Selector};
use db::Db;
use serde::Serialize;

use crate::config::{Config, Period};
use crate::engine::Crawler;
use crate::store::retention::{self as store, Target};

/// Who the erasure record names as asking for a retention erasure.
pub const RETENTION_ACTOR: &str = "nightjar retention policy";

/// The most captures one erasure record names (a sweep writes as many as it needs).
const BATCH: i64 = 500;

/// This node's captures every hold in force keeps, with the holds' IDs by capture.
pub async fn held(db: &Db) -> anyhow::Result<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for h in store::list(db, None, false).await? {
        let range = (h.since.as_deref(), h.until.as_deref());
        for c in select(db, &h.kind, h.value.as_deref(), range, false).await? {
            out.entry(c).or_default().push(h.id);
        }
    }
    Ok(out)
}

/// The captures a hold's or request's selection names, captured in `(since, until)`: this
/// node's, or with `every_node` those of every node sharing the database.
pub async fn select(
    db: &Db,
    kind: &str,
    value: Option<&str>,
    (since, until): (Option<&str>, Option<&str>),
    every_node: bool,
) -> anyhow::Result<Vec<i64>> {
    let value = value.unwrap_or_default().to_string();
    let sel = match Target::parse(kind) {
        Some(Target::Capture) => match value.parse() {
            Ok(id) => Selector::Capture(id),
            Err(_) => return Ok(vec![]),
        },
        Some(Target::Url) => Selector::Url(value),
        Some(Target::Seed) => Selector::Seed(value),
        Some(Target::Entity) => Selector::Entity(value),
        Some(Target::Range) => Selector::All,
        None => anyhow::bail!("'{kind}' is not a selection (capture, url, seed, entity, range)"),
    };
    Ok(archive::erasure::select(db, &sel, since, until, every_node).await?)
}

/// `since`/`until` given on the command line or the API: an RFC 3339 time or a date,
/// in the index's form.
pub fn index_time(s: &str) -> Result<String, String> {
    let t = s.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(archive::index::index_time(&d.with_timezone(&chrono::Utc)));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let dt = d.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        return Ok(archive::index::index_time(&dt));
    }
    Err(format!(
        "'{s}' is not a time: write 2026-03-01 or 2026-03-01T12:00:00Z"
    ))
}

/// One seed's retention standing.
#[derive(Clone, Debug, Serialize)]
pub struct SeedStanding {
    /// The seed (`None`: captures of no seed listed now, under the default policy).
    pub seed: Option<String>,
    /// Its retention period.
    pub retain: String,
    /// Its review period.
    pub review_after: String,
    /// Its captures.
    pub captures: i64,
    /// Past retention and on no hold: erased at the next check.
    pub due_for_erasure: i64,
    /// Past retention but held.
    pub held: i64,
    /// Past the review period (and kept).
    pub due_for_review: i64,
}

/// What is kept, what is due for erasure and what for review, per seed.
#[derive(Clone, Debug, Serialize)]
pub struct Standing {
    /// Per seed.
    pub seeds: Vec<SeedStanding>,
    /// Holds in force.
    pub holds: i64,
    /// Captures they keep.
    pub held_captures: i64,
    /// Erasure requests waiting for a second person.
    pub requests_waiting: i64,
    /// Erasures carried out.
    pub erasures: i64,
}

/// Every seed's policy, from the seed files, and whether every seed file was read without a
/// problem. A seed whose entry has a problem is not in the list: while there is one, the
/// sweep erases only the captures of seeds it knows the policy of (never a broken seed's
/// under the default policy).
fn policies(cfg: &Config) -> (HashMap<String, (Period, Period)>, bool) {
    if !cfg.crawl.seeds_dir.exists() {
        // No seed files at all (a data directory only ever crawled from the command line).
        return (HashMap::new(), true);
    }
    let Ok((listed, problems)) = crate::seeds::list_seed_dir(&cfg.crawl.seeds_dir, cfg) else {
        return (HashMap::new(), false);
    };
    let all = listed
        .into_iter()
        .map(|s| (s.spec.label, (s.retention.retain, s.retention.review_after)))
        .collect();
    (all, problems.is_empty())
}

fn cutoff(p: Period, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    match p {
        Period::Forever => None,
        Period::For(d) => {
            let back = chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
            Some(archive::index::index_time(
                &now.checked_sub_signed(back)
                    .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC),
            ))
        }
    }
}

/// The retention standing now.
pub async fn standing(db: &Db, cfg: &Config) -> anyhow::Result<Standing> {
    let now = chrono::Utc::now();
    let (policies, _) = policies(cfg);
    let held = held(db).await?;
    let held_ids: Vec<i64> = held.keys().copied().collect();
    let held_times = archive::erasure::seeds_and_times(db, &held_ids).await?;
    let mut seeds = Vec::new();
    // Every listed seed, captures or not, and every seed with captures.
    let mut all_seeds: Vec<Option<String>> = archive::erasure::seeds_with_captures(db).await?;
    for label in policies.keys() {
        if !all_seeds
            .iter()
            .any(|s| s.as_deref() == Some(label.as_str()))
        {
            all_seeds.push(Some(label.clone()));
        }
    }
    all_seeds.sort();
    for seed in all_seeds {
        let (retain, review) = seed
            .as_ref()
            .and_then(|s| policies.get(s).copied())
            .unwrap_or((cfg.retention.retain, cfg.retention.review_after));
        // Counted in the database; only the held captures are looked at one by one.
        let erase_before = cutoff(retain, now);
        let review_before = cutoff(review, now);
        let count = |before: Option<String>| {
            let seed = seed.clone();
            async move {
                match before {
                    Some(b) => archive::erasure::count_before(db, seed.as_deref(), &b).await,
                    None => Ok(0),
                }
            }
        };
        let total = count(Some("9999".into())).await?;
        let past = count(erase_before.clone()).await?;
        let both = match (&erase_before, &review_before) {
            (Some(e), Some(r)) => count(Some(e.min(r).clone())).await?,
            _ => 0,
        };
        let review_past = count(review_before.clone()).await?;
        let mine: Vec<&String> = held_times
            .iter()
            .filter(|(_, s, _)| *s == seed)
            .map(|(_, _, at)| at)
            .collect();
        let before = |c: &Option<String>, at: &str| c.as_deref().is_some_and(|c| at < c);
        let kept = mine.iter().filter(|at| before(&erase_before, at)).count() as i64;
        let kept_both = mine
            .iter()
            .filter(|at| before(&erase_before, at) && before(&review_before, at))
            .count() as i64;
        let (all, due, review_due) = (total, past - kept, review_past - (both - kept_both));
        seeds.push(SeedStanding {
            seed,
            retain: retain.to_string(),
            review_after: review.to_string(),
            captures: all,
            due_for_erasure: due,
            held: kept,
            due_for_review: review_due,
        });
    }
    let (holds, requests_waiting) = store::counts(db).await?;
    Ok(Standing {
        seeds,
        holds,
        held_captures: held.len() as i64,
        requests_waiting,
        erasures: archive::erasure::list(db).await?.len() as i64,
    })
}

/// What one round of erasing did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Round {
    /// The erasures carried out.
    pub erasures: Vec<Done>,
    /// Captures past retention kept by a hold.
    pub held: usize,
    /// Why something was not erased this round (it is tried again at the next).
    pub problems: Vec<String>,
}

impl Crawler {
    /// Erases these captures under `order` (see `archive::erasure::carry_out`), removes the
    /// alerts raised on them, and makes a signed head of the log that covers the erasure
    /// record.
    pub async fn erase(&self, order: Order, captures: &[i64]) -> anyhow::Result<Option<Done>> {
        let warc_dir = self.cfg().warc_dir();
        // The files holding them closed and sealed first: a file still being written would
        // be sealed later, racing with the blanking.
        let (_, records) = archive::erasure::plan(self.db(), captures).await?;
        let mut files: Vec<String> = records.into_iter().map(|t| t.file).collect();
        files.sort();
        files.dedup();
        self.sealed(&files, Duration::from_secs(30)).await?;
        // Sealing may have waited: a hold placed meanwhile is honoured.
        let held = held(self.db()).await?;
        let captures: Vec<i64> = captures
            .iter()
            .copied()
            .filter(|c| !held.contains_key(c))
            .collect();
        let done = archive::erasure::carry_out(
            self.db(),
            &self.writer,
            self.key(),
            &warc_dir,
            order,
            &captures,
        )
        .await?;
        if let Some(d) = &done {
            let ids: Vec<i64> = d.erasure.captures.iter().map(|(c, _)| *c).collect();
            crate::store::watches::forget_alerts(self.db(), &ids).await?;
            self.checkpoint_log().await?;
            tracing::warn!(
                erasure = %d.record_id,
                captures = ids.len(),
                records = d.erasure.records.len(),
                "{}",
                d.erasure.summary()
            );
        }
        Ok(done)
    }

    /// Finishes erasures a crash interrupted between the erasure record and the blanking.
    pub async fn finish_erasures(&self) -> anyhow::Result<()> {
        let warc_dir = self.cfg().warc_dir();
        for (record, tombstones) in archive::erasure::unfinished(self.db()).await? {
            archive::erasure::blank(&warc_dir, &tombstones, true)?;
            archive::erasure::compact(self.db()).await?;
            archive::erasure::mark_done(self.db(), &record).await?;
            tracing::warn!(erasure = %record, "an erasure a crash interrupted was finished");
        }
        Ok(())
    }

    /// One round: every capture past its retention and on no hold is erased (one erasure
    /// record per seed and batch), then every approved request is carried out.
    pub async fn erase_due(&self) -> anyhow::Result<Round> {
        let cfg = self.cfg();
        let mut round = Round::default();
        let now = chrono::Utc::now();
        let (policies, complete) = policies(&cfg);
        if !complete {
            round.problems.push(
                "the seed files have problems (`nightjar seeds list`): only the captures of seeds whose retention is known are erased until they are mended".into(),
            );
        }
        let held = held(self.db()).await?;
        for seed in archive::erasure::seeds_with_captures(self.db()).await? {
            let retain = match seed.as_ref().map(|s| policies.get(s).map(|p| p.0)) {
                Some(Some(p)) => p,
                // A seed no file lists (removed), or captures of no seed: the default.
                Some(None) if complete => cfg.retention.retain,
                None => cfg.retention.retain,
                // A seed that may be one of the broken entries: left alone.
                Some(None) => continue,
            };
            let Some(before) = cutoff(retain, now) else {
                continue;
            };
            let due: Vec<i64> =
                archive::erasure::older_than(self.db(), seed.as_deref(), &before, i64::MAX)
                    .await?
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
            let (kept, due): (Vec<i64>, Vec<i64>) =
                due.into_iter().partition(|c| held.contains_key(c));
            round.held += kept.len();
            for batch in due.chunks(BATCH as usize) {
                let order = Order {
                    basis: Basis::Retention,
                    detail: format!(
                        "seed {} keeps captures {retain}",
                        seed.as_deref().unwrap_or("(none)")
                    ),
                    requested_by: RETENTION_ACTOR.into(),
                    approved_by: None,
                    reason: format!(
                        "captured before {before}, past the retention period, on no legal hold"
                    ),
                };
                match self.erase(order, batch).await {
                    Ok(Some(d)) => round.erasures.push(d),
                    Ok(None) => {}
                    Err(e) => {
                        round.problems.push(format!("{e:#}"));
                        break;
                    }
                }
            }
        }
        self.carry_out_requests(&mut round).await?;
        Ok(round)
    }

    /// Carries out every approved erasure request (what holds keep excepted).
    pub async fn carry_out_requests(&self, round: &mut Round) -> anyhow::Result<()> {
        let held = held(self.db()).await?;
        for r in store::approved(self.db()).await? {
            self.carry_out_request(&r, &held, round).await?;
        }
        self.metrics_retention().await;
        Ok(())
    }

    async fn carry_out_request(
        &self,
        r: &store::Request,
        held: &HashMap<i64, Vec<i64>>,
        round: &mut Round,
    ) -> anyhow::Result<()> {
        // What was named when it was approved: a capture made later is not part of it.
        let until = r.decided_at.as_deref();
        let ids = select(self.db(), &r.kind, Some(&r.target), (None, until), false).await?;
        // On a database several nodes share, each node erases its own captures; the request
        // is done once none is left on any node.
        let elsewhere = select(self.db(), &r.kind, Some(&r.target), (None, until), true)
            .await?
            .len()
            .saturating_sub(ids.len());
        let forget = (r.kind != Target::Capture.as_str())
            .then(|| archive::digest::sha256_label(r.target.as_bytes()));
        if ids.is_empty() && elsewhere > 0 {
            let why =
                format!("{elsewhere} capture(s) it names are other nodes' (each erases its own)");
            store::finish(self.db(), r.id, "approved", None, &why, None).await?;
            return Ok(());
        }
        if ids.is_empty() {
            let why = "nothing was left to erase: what it named had been erased already";
            store::finish(self.db(), r.id, "done", None, why, forget.as_deref()).await?;
            return Ok(());
        }
        let (kept, free): (Vec<i64>, Vec<i64>) =
            ids.into_iter().partition(|c| held.contains_key(c));
        let order = Order {
            basis: Basis::Request,
            detail: format!("erasure request {} ({})", r.id, r.kind),
            requested_by: r.requested_by.clone(),
            approved_by: r.decided_by.clone(),
            reason: r.reason.clone(),
        };
        let done = if free.is_empty() {
            None
        } else {
            match self.erase(order, &free).await {
                Ok(d) => d,
                Err(e) => {
                    let why = format!("{e:#}");
                    store::finish(self.db(), r.id, "approved", None, &why, None).await?;
                    round.problems.push(format!("request {}: {why}", r.id));
                    return Ok(());
                }
            }
        };
        let record = done.as_ref().map(|d| d.record_id.clone());
        let erased = done.as_ref().map_or(0, |d| d.erasure.captures.len());
        if let Some(d) = done {
            round.erasures.push(d);
        }
        if elsewhere > 0 {
            let why = format!(
                "{erased} capture(s) erased here; {elsewhere} are other nodes' (each erases its own)"
            );
            store::finish(self.db(), r.id, "approved", record.as_deref(), &why, None).await?;
        }
        if !kept.is_empty() {
            let holds: HashSet<i64> = kept.iter().flat_map(|c| held[c].iter().copied()).collect();
            let mut holds: Vec<i64> = holds.into_iter().collect();
            holds.sort_unstable();
            let why = format!(
                "{erased} capture(s) erased; {} kept by legal hold(s) {}: erased once released",
                kept.len(),
                holds
                    .iter()
                    .map(|h| format!("#{h}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            store::finish(self.db(), r.id, "approved", record.as_deref(), &why, None).await?;
            round.held += kept.len();
            return Ok(());
        }
        if elsewhere > 0 {
            return Ok(());
        }
        store::finish(
            self.db(),
            r.id,
            "done",
            record.as_deref(),
            &format!("{erased} capture(s) erased"),
            forget.as_deref(),
        )
        .await?;
        Ok(())
    }

    /// Updates the retention gauges.
    async fn metrics_retention(&self) {
        match standing(self.db(), &self.cfg()).await {
            Ok(s) => self.metrics().0.retention(&s),
            Err(e) => tracing::warn!("retention figures not updated: {e:#}"),
        }
    }
}

/// The daemon's retention loop: a round at start and every `retention.check_every`, until
/// `stop`.
pub async fn run(crawler: std::sync::Arc<Crawler>, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        match crawler.erase_due().await {
            Ok(round) => {
                for p in &round.problems {
                    tracing::error!("not erased this round (tried again at the next): {p}");
                }
            }
            Err(e) => tracing::error!("the retention round failed: {e:#}"),
        }
        let every = crawler
            .cfg()
            .retention
            .check_every
            .max(Duration::from_secs(1));
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}
