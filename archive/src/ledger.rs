//! The entity ledger: every validated entity found in the archive, where and when.
//!
//! The questions of an investigation are about identifiers across sites and time: where
//! else does this address appear, since when, which hosts share this phone number. So each
//! capture's entities (found by the `entities` crate) are recorded as sightings, and the
//! ledger keeps per entity its first and last time seen, its number of captures and hosts,
//! and per host its own first and last time. Recording is idempotent per capture
//! (`entity_scans`), so a backfill over an archive can stop and resume, or run beside the
//! daemon, without counting a capture twice.

use db::{AsConn, Db, Tx};
use entities::{Flags, Found, Kind};
use serde::Serialize;
use sqlx::FromRow;

/// One entity with its ledger totals.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct EntityRow {
    /// Row id.
    pub id: i64,
    /// Kind (`btc`, `phone`, …).
    pub kind: String,
    /// Canonical value.
    pub value: String,
    /// JSON facts that come with the value (PGP: creation time, user IDs).
    pub detail: Option<String>,
    /// First capture time it was seen in (`YYYY-MM-DDTHH:MM:SSZ`).
    pub first_seen: String,
    /// Last capture time.
    pub last_seen: String,
    /// Captures it appeared in.
    pub captures: i64,
    /// Distinct hosts it appeared on.
    pub hosts: i64,
}

/// One appearance of an entity.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Sighting {
    /// The capture.
    pub capture_id: i64,
    /// Its capture time.
    pub seen_at: String,
    /// Its URL.
    pub url: String,
    /// Its host.
    pub host: String,
    /// Its seed.
    pub seed: Option<String>,
    /// How it was written there ([`Flags::bits`]).
    pub flags: i64,
}

/// An entity's time on one host.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct HostSpan {
    /// The host.
    pub host: String,
    /// First seen there.
    pub first_seen: String,
    /// Last seen there.
    pub last_seen: String,
    /// Captures there.
    pub captures: i64,
}

/// Whether a capture's payload was already looked at for entities.
pub async fn scanned(conn: &mut impl AsConn, capture_id: i64) -> Result<bool, sqlx::Error> {
    let n: Option<i64> = db::query("SELECT capture_id FROM entity_scans WHERE capture_id = ?")
        .bind(capture_id)
        .scalar_optional(conn.conn())
        .await?;
    Ok(n.is_some())
}

/// Records what was found in capture `capture_id` (an indexed capture), in the caller's
/// transaction. Does nothing if the capture was recorded before. Returns the entities that
/// are new sightings, for the watchers.
pub async fn record(
    tx: &mut Tx,
    capture_id: i64,
    found: &[Found],
) -> Result<Vec<(i64, Found)>, sqlx::Error> {
    let first = db::query(
        "INSERT INTO entity_scans (capture_id, found) VALUES (?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(capture_id)
    .bind(found.len() as i64)
    .execute(&mut *tx)
    .await?;
    if first == 0 || found.is_empty() {
        return Ok(vec![]);
    }
    record_found(tx, capture_id, found).await
}

/// [`record`] for a capture indexed in the same transaction, so never recorded before: its
/// scan row goes in when the transaction commits, with those of the other captures indexed
/// in it (one statement for a crawl's group of captures, not one each;
/// [`db::Tx::insert_at_commit`]).
pub async fn record_new(
    tx: &mut Tx,
    capture_id: i64,
    found: &[Found],
) -> Result<Vec<(i64, Found)>, sqlx::Error> {
    tx.insert_at_commit(
        "INSERT INTO entity_scans (capture_id, found) VALUES",
        "(?, ?)",
        "ON CONFLICT DO NOTHING",
        vec![capture_id.into(), (found.len() as i64).into()],
    );
    if found.is_empty() {
        return Ok(vec![]);
    }
    record_found(tx, capture_id, found).await
}

/// The sightings of what was found in a capture not recorded before.
async fn record_found(
    tx: &mut Tx,
    capture_id: i64,
    found: &[Found],
) -> Result<Vec<(i64, Found)>, sqlx::Error> {
    let (url, at, seed): (String, String, Option<String>) =
        db::query("SELECT url, captured_at, seed FROM captures WHERE id = ?")
            .bind(capture_id)
            .fetch_one(&mut *tx)
            .await?;
    let host = crate::changes::host_of(&url);
    let mut out = Vec::new();
    for f in found {
        let mut f = f.clone();
        if f.kind == Kind::Pgp {
            check_signature(tx, &mut f).await?;
        }
        let detail = f.detail.as_ref().map(|d| d.to_string());
        // The first detail stays, except that a key's own (with its armor, from the key
        // block) replaces what a signature had said of the key.
        // JSON is read by each engine's own function.
        let upsert = if tx.conn().is_postgres() {
            "INSERT INTO entities (kind, value, detail, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (kind, value) DO UPDATE SET
                first_seen = LEAST(entities.first_seen, excluded.first_seen),
                last_seen = GREATEST(entities.last_seen, excluded.last_seen),
                detail = CASE
                    WHEN excluded.detail::jsonb ->> 'armor' IS NOT NULL
                     AND coalesce(entities.detail, '{}')::jsonb ->> 'armor' IS NULL
                    THEN excluded.detail
                    ELSE coalesce(entities.detail, excluded.detail) END
             RETURNING id"
        } else {
            "INSERT INTO entities (kind, value, detail, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (kind, value) DO UPDATE SET
                first_seen = min(first_seen, excluded.first_seen),
                last_seen = max(last_seen, excluded.last_seen),
                detail = CASE
                    WHEN json_extract(excluded.detail, '$.armor') IS NOT NULL
                     AND json_extract(coalesce(detail, '{}'), '$.armor') IS NULL
                    THEN excluded.detail
                    ELSE coalesce(detail, excluded.detail) END
             RETURNING id"
        };
        let id: i64 = db::query(upsert)
            .bind(f.kind.as_str())
            .bind(&f.value)
            .bind(&detail)
            .bind(&at)
            .bind(&at)
            .scalar(&mut *tx)
            .await?;
        let new = db::query(
            "INSERT INTO entity_sightings (entity_id, capture_id, seen_at, url, host, seed, flags)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(capture_id)
        .bind(&at)
        .bind(&url)
        .bind(&host)
        .bind(&seed)
        .bind(f.flags.bits())
        .execute(&mut *tx)
        .await?;
        if new == 0 {
            continue;
        }
        let new_host = db::query(
            "INSERT INTO entity_hosts (entity_id, host, first_seen, last_seen, captures)
             VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(&host)
        .bind(&at)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        db::query(
            "UPDATE entity_hosts SET captures = captures + 1,
                first_seen = CASE WHEN ? < first_seen THEN ? ELSE first_seen END,
                last_seen = CASE WHEN ? > last_seen THEN ? ELSE last_seen END
             WHERE entity_id = ? AND host = ?",
        )
        .bind(&at)
        .bind(&at)
        .bind(&at)
        .bind(&at)
        .bind(id)
        .bind(&host)
        .execute(&mut *tx)
        .await?;
        db::query("UPDATE entities SET captures = captures + 1, hosts = hosts + ? WHERE id = ?")
            .bind(new_host as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        out.push((id, f));
    }
    Ok(out)
}

/// A signer that no key on its page verified (its detail carries the signed message):
/// checked against the key, if the archive has seen that key before (a key's detail keeps
/// its armor). The message itself is not kept in the ledger; the capture holds it.
async fn check_signature(tx: &mut Tx, f: &mut Found) -> Result<(), sqlx::Error> {
    let Some(detail) = f.detail.as_mut().and_then(|d| d.as_object_mut()) else {
        return Ok(());
    };
    let Some(message) = detail.remove("message") else {
        return Ok(());
    };
    let key: Option<Option<String>> = db::query(if tx.conn().is_postgres() {
        "SELECT detail::jsonb ->> 'armor' FROM entities WHERE kind = 'pgp' AND value = ?"
    } else {
        "SELECT json_extract(detail, '$.armor') FROM entities WHERE kind = 'pgp' AND value = ?"
    })
    .bind(&f.value)
    .scalar_optional(&mut *tx)
    .await?;
    if let (Some(Some(key)), Some(message)) = (key, message.as_str()) {
        if entities::verify_signed_message(message, &key) {
            f.flags.verified_signature = true;
            detail.insert("verified".into(), true.into());
        }
    }
    Ok(())
}

/// Records a capture that repeats an archived payload (a revisit: a 304, or a 200 whose
/// payload was the same) with the entities of the capture it repeats. A capture that is
/// not a revisit is recorded as looked at with nothing found.
pub async fn record_revisit(
    tx: &mut Tx,
    capture_id: i64,
) -> Result<Vec<(i64, Found)>, sqlx::Error> {
    let original: Option<i64> = db::query(
        "SELECT o.id FROM captures c JOIN captures o
           ON o.record_id = c.refers_to AND o.warc_type = 'response'
         WHERE c.id = ? AND c.warc_type = 'revisit'",
    )
    .bind(capture_id)
    .scalar_optional(&mut *tx)
    .await?;
    let found = match original {
        Some(o) => found_in(tx, o).await?,
        None => vec![],
    };
    record(tx, capture_id, &found).await
}

/// The entities sighted in `capture_id`, as [`Found`] values (detail left out), to record
/// them again for a capture that repeats its payload (a revisit, a 304).
pub async fn found_in(conn: &mut impl AsConn, capture_id: i64) -> Result<Vec<Found>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = db::query(
        "SELECT e.kind, e.value, s.flags FROM entity_sightings s JOIN entities e ON e.id = s.entity_id
         WHERE s.capture_id = ? ORDER BY e.kind, e.value",
    )
    .bind(capture_id)
    .fetch_all(conn.conn())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, value, flags)| {
            Some(Found {
                kind: kind.parse::<Kind>().ok()?,
                value,
                flags: Flags::from_bits(flags),
                detail: None,
            })
        })
        .collect())
}

/// Which entities a listing shows.
#[derive(Clone, Debug, Default)]
pub struct EntityFilter {
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only entities last seen at or after this time.
    pub since: Option<String>,
    /// Only entities seen on this seed.
    pub seed: Option<String>,
    /// Only entities seen on one of these seeds (a site's addresses); empty: no such limit.
    pub seeds: Vec<String>,
    /// Only entities seen on more than one host.
    pub shared: bool,
    /// Most rows.
    pub limit: usize,
    /// Rows to pass over first (the previous pages' count).
    pub offset: usize,
}

/// Entities, most widely seen first when `shared`, else most recently seen first.
pub async fn list(db: &Db, f: &EntityFilter) -> Result<Vec<EntityRow>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT id, kind, value, detail, first_seen, last_seen, captures, hosts FROM entities WHERE 1 = 1",
    );
    let mut binds: Vec<db::Value> = Vec::new();
    if let Some(k) = f.kind {
        sql.push_str(" AND kind = ?");
        binds.push(k.as_str().into());
    }
    if let Some(s) = &f.since {
        sql.push_str(" AND last_seen >= ?");
        binds.push(s.clone().into());
    }
    if let Some(seed) = &f.seed {
        sql.push_str(" AND id IN (SELECT entity_id FROM entity_sightings WHERE seed = ?)");
        binds.push(seed.clone().into());
    }
    if !f.seeds.is_empty() {
        let marks = vec!["?"; f.seeds.len()].join(", ");
        sql.push_str(&format!(
            " AND id IN (SELECT entity_id FROM entity_sightings WHERE seed IN ({marks}))"
        ));
        binds.extend(f.seeds.iter().map(|s| s.clone().into()));
    }
    if f.shared {
        sql.push_str(" AND hosts > 1 ORDER BY hosts DESC, last_seen DESC, id");
    } else {
        // Ties broken by id, so that pages by offset are stable.
        sql.push_str(" ORDER BY last_seen DESC, kind, value, id");
    }
    sql.push_str(" LIMIT ? OFFSET ?");
    binds.push((f.limit.clamp(1, 100_000) as i64).into());
    binds.push((f.offset.min(i64::MAX as usize) as i64).into());
    db::query_owned(sql).bind_all(binds).fetch_all(db).await
}

/// The entity of this kind and canonical value.
pub async fn lookup(db: &Db, kind: Kind, value: &str) -> Result<Option<EntityRow>, sqlx::Error> {
    db::query(
        "SELECT id, kind, value, detail, first_seen, last_seen, captures, hosts FROM entities
         WHERE kind = ? AND value = ?",
    )
    .bind(kind.as_str())
    .bind(value)
    .fetch_optional(db)
    .await
}

/// Where and when an entity appeared, oldest first.
pub async fn timeline(db: &Db, entity_id: i64, limit: usize) -> Result<Vec<Sighting>, sqlx::Error> {
    db::query(
        "SELECT capture_id, seen_at, url, host, seed, flags FROM entity_sightings
         WHERE entity_id = ? ORDER BY seen_at, capture_id LIMIT ?",
    )
    .bind(entity_id)
    .bind(limit.clamp(1, 1_000_000) as i64)
    .fetch_all(db)
    .await
}

/// The hosts an entity appeared on, first seen first.
pub async fn hosts(db: &Db, entity_id: i64) -> Result<Vec<HostSpan>, sqlx::Error> {
    db::query(
        "SELECT host, first_seen, last_seen, captures FROM entity_hosts
         WHERE entity_id = ? ORDER BY first_seen, host",
    )
    .bind(entity_id)
    .fetch_all(db)
    .await
}

/// The entities of `kinds` seen on each of `hosts`: (host, kind, value), for comparing what
/// two hosts ask to be paid to or sign with.
pub async fn on_hosts(
    db: &Db,
    hosts: &[String],
    kinds: &[Kind],
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    if hosts.is_empty() || kinds.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let kind_marks = vec!["?"; kinds.len()].join(", ");
    for chunk in hosts.chunks(400) {
        let host_marks = vec!["?"; chunk.len()].join(", ");
        let rows: Vec<(String, String, String)> = db::query_owned(format!(
            "SELECT h.host, e.kind, e.value FROM entity_hosts h JOIN entities e ON e.id = h.entity_id
             WHERE h.host IN ({host_marks}) AND e.kind IN ({kind_marks})
             ORDER BY h.host, e.kind, e.value"
        ))
        .bind_all(chunk.iter().map(|h| h.as_str().into()))
        .bind_all(kinds.iter().map(|k| k.as_str().into()))
        .fetch_all(db)
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Every value of `kind` the ledger holds.
pub async fn values_of(db: &Db, kind: Kind) -> Result<Vec<String>, sqlx::Error> {
    db::query("SELECT value FROM entities WHERE kind = ? ORDER BY value")
        .bind(kind.as_str())
        .scalars(db)
        .await
}

/// The entities found in one capture.
pub async fn of_capture(db: &Db, capture_id: i64) -> Result<Vec<EntityRow>, sqlx::Error> {
    db::query(
        "SELECT e.id, e.kind, e.value, e.detail, e.first_seen, e.last_seen, e.captures, e.hosts
         FROM entity_sightings s JOIN entities e ON e.id = s.entity_id
         WHERE s.capture_id = ? ORDER BY e.kind, e.value",
    )
    .bind(capture_id)
    .fetch_all(db)
    .await
}

/// Captures with an archived HTML or text payload (responses, and revisits) after
/// `after_id` that were not yet looked at for entities, oldest first: the backfill's work.
pub async fn unscanned(db: &Db, after_id: i64, batch: i64) -> Result<Vec<i64>, sqlx::Error> {
    db::query(
        "SELECT c.id FROM captures c
         WHERE c.id > ? AND c.record_id IS NOT NULL
           AND (c.warc_type = 'revisit' OR (c.warc_type = 'response' AND c.mime IN
                ('text/html', 'application/xhtml+xml', 'text/plain')))
           AND NOT EXISTS (SELECT 1 FROM entity_scans s WHERE s.capture_id = c.id)
         ORDER BY c.id LIMIT ?",
    )
    .bind(after_id)
    .bind(batch)
    .scalars(db)
    .await
}

/// How many captures the backfill still has to look at.
pub async fn unscanned_count(db: &Db) -> Result<u64, sqlx::Error> {
    let n: i64 = db::query(
        "SELECT count(*) FROM captures c
         WHERE c.record_id IS NOT NULL
           AND (c.warc_type = 'revisit' OR (c.warc_type = 'response' AND c.mime IN
                ('text/html', 'application/xhtml+xml', 'text/plain')))
           AND NOT EXISTS (SELECT 1 FROM entity_scans s WHERE s.capture_id = c.id)",
    )
    .scalar(db)
    .await?;
    Ok(n as u64)
}

/// An entity with its sightings in a selection: what an export hands over.
#[derive(Clone, Debug, Serialize)]
pub struct EntityEvidence {
    /// Kind.
    pub kind: String,
    /// Canonical value.
    pub value: String,
    /// Facts that come with the value.
    pub detail: Option<serde_json::Value>,
    /// First sighting in the selection.
    pub first_seen: String,
    /// Last sighting in the selection.
    pub last_seen: String,
    /// Sightings in the selection.
    pub sightings_total: usize,
    /// Hosts in the selection.
    pub hosts: Vec<String>,
    /// The sightings, oldest first (at most [`MAX_LISTED_SIGHTINGS`]).
    pub sightings: Vec<Sighting>,
}

/// Most sightings an export lists per entity (the count is always complete).
pub const MAX_LISTED_SIGHTINGS: usize = 1000;

/// Which sightings an export takes.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only these captures (empty: any).
    pub captures: Vec<i64>,
    /// Only this seed.
    pub seed: Option<String>,
    /// Seen at or after.
    pub since: Option<String>,
    /// Seen at or before.
    pub until: Option<String>,
}

/// The entities sighted in a selection, each with its sightings there, by kind and value.
pub async fn evidence(db: &Db, sel: &Selection) -> Result<Vec<EntityEvidence>, sqlx::Error> {
    let mut rows: Vec<(i64, String, String, Option<String>, Sighting)> = Vec::new();
    let chunks: Vec<&[i64]> = if sel.captures.is_empty() {
        vec![&[]]
    } else {
        sel.captures.chunks(500).collect()
    };
    for chunk in chunks {
        let mut sql = String::from(
            "SELECT e.id, e.kind, e.value, e.detail, s.capture_id, s.seen_at, s.url, s.host,
                    s.seed, s.flags
             FROM entity_sightings s JOIN entities e ON e.id = s.entity_id WHERE 1 = 1",
        );
        let mut binds: Vec<db::Value> = Vec::new();
        if !chunk.is_empty() {
            sql.push_str(&format!(
                " AND s.capture_id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            ));
            binds.extend(chunk.iter().map(|id| db::Value::from(*id)));
        }
        if let Some(seed) = &sel.seed {
            sql.push_str(" AND s.seed = ?");
            binds.push(seed.clone().into());
        }
        if let Some(t) = &sel.since {
            sql.push_str(" AND s.seen_at >= ?");
            binds.push(t.clone().into());
        }
        if let Some(t) = &sel.until {
            sql.push_str(" AND s.seen_at <= ?");
            binds.push(t.clone().into());
        }
        /// One sighting with its entity.
        #[derive(FromRow)]
        struct Row {
            id: i64,
            kind: String,
            value: String,
            detail: Option<String>,
            #[sqlx(flatten)]
            sighting: Sighting,
        }
        let found: Vec<Row> = db::query_owned(sql).bind_all(binds).fetch_all(db).await?;
        rows.extend(
            found
                .into_iter()
                .map(|r| (r.id, r.kind, r.value, r.detail, r.sighting)),
        );
    }
    let mut by_entity: std::collections::BTreeMap<(String, String), EntityEvidence> =
        Default::default();
    for (_, kind, value, detail, s) in rows {
        let e = by_entity
            .entry((kind.clone(), value.clone()))
            .or_insert_with(|| EntityEvidence {
                kind,
                value,
                detail: detail.and_then(|d| serde_json::from_str(&d).ok()),
                first_seen: s.seen_at.clone(),
                last_seen: s.seen_at.clone(),
                sightings_total: 0,
                hosts: vec![],
                sightings: vec![],
            });
        e.first_seen = e.first_seen.clone().min(s.seen_at.clone());
        e.last_seen = e.last_seen.clone().max(s.seen_at.clone());
        e.sightings_total += 1;
        if !e.hosts.contains(&s.host) {
            e.hosts.push(s.host.clone());
        }
        e.sightings.push(s);
    }
    Ok(by_entity
        .into_values()
        .map(|mut e| {
            e.hosts.sort();
            e.sightings
                .sort_by(|a, b| (&a.seen_at, a.capture_id).cmp(&(&b.seen_at, b.capture_id)));
            e.sightings.truncate(MAX_LISTED_SIGHTINGS);
            e
        })
        .collect())
}
