//! The capture index: where every capture and every record is.
//!
//! The WARC files are the evidence; this index is how nightjar finds things in them fast. It
//! holds one row per WARC record (so verification and crash repair can tell an indexed record
//! from a stray one) and one row per capture attempt (a response, or a fetch that failed and
//! left no record). Each function takes a [`Db`] or a [`Tx`] and holds its engine's SQL (see
//! the `db` crate); the statements are plain so that a PostgreSQL arm can mostly repeat them.

use chrono::{DateTime, SecondsFormat, Utc};
use db::{AsConn, Db, Tx};
use serde::Serialize;
use sqlx::FromRow;

use crate::record::RecordType;
use crate::writer::{Original, StoredExchange, StoredRecord};

/// Why a fetch left no response: how the crawl loop treats it, and what `captures` shows
/// in `error_class`. Stored as its name; [`FailureClass::as_str`] is the only conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, sqlx::Type)]
#[serde(rename_all = "kebab-case")]
// A TEXT column on both engines (not a PostgreSQL enum type).
#[sqlx(type_name = "text", rename_all = "kebab-case")]
pub enum FailureClass {
    /// Worth retrying soon: DNS, connection, timeout, broken HTTP.
    Transient,
    /// Not worth retrying: TLS failures, a rejected certificate.
    Permanent,
    /// Refused by nightjar's own policy (scope, address, route): never retried.
    Policy,
    /// The site as a whole is unreachable (an onion service that is down): its host waits.
    SiteDown,
    /// Nothing was attempted because the route is not ready; not an attempt.
    Waiting,
}

impl FailureClass {
    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Transient => "transient",
            FailureClass::Permanent => "permanent",
            FailureClass::Policy => "policy",
            FailureClass::SiteDown => "site-down",
            FailureClass::Waiting => "waiting",
        }
    }
}

impl From<FailureClass> for db::Value {
    fn from(v: FailureClass) -> db::Value {
        v.as_str().into()
    }
}

impl std::fmt::Display for FailureClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One capture attempt.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct CaptureRow {
    /// Capture ID (what `nightjar show` takes).
    pub id: i64,
    /// The URL fetched.
    pub url: String,
    /// SURT key of the URL.
    pub surt: String,
    /// RFC 3339 UTC with milliseconds; equals the records' WARC-Date.
    pub captured_at: String,
    /// HTTP status; 0 when the fetch failed.
    pub status: i64,
    /// Media type.
    pub mime: Option<String>,
    /// WARC-Payload-Digest of the response.
    pub payload_digest: Option<String>,
    /// sha256 of the uncompressed response record.
    pub record_digest: Option<String>,
    /// sha256 of the compressed response frame (CDXJ `recordDigest`).
    pub frame_digest: Option<String>,
    /// WARC-Record-ID of the response.
    pub record_id: Option<String>,
    /// WARC file name.
    pub file: Option<String>,
    /// Offset of the compressed response record.
    pub file_offset: Option<i64>,
    /// Length of the compressed response record.
    pub length: Option<i64>,
    /// WARC-Truncated reason, if the body was cut short.
    pub truncated: Option<String>,
    /// Why the fetch failed.
    pub error: Option<String>,
    /// Class of the failure (`transient`, `permanent`, `policy`).
    pub error_class: Option<FailureClass>,
    /// Label of the seed the capture belongs to.
    pub seed: Option<String>,
    /// `response`, or `revisit` when the payload was already archived (none for errors).
    pub warc_type: Option<RecordType>,
    /// For a revisit: the WARC-Record-ID of the response holding the payload.
    pub refers_to: Option<String>,
    /// The response's `ETag`.
    pub etag: Option<String>,
    /// The response's `Last-Modified`.
    pub last_modified: Option<String>,
    /// The response's `Location`.
    pub location: Option<String>,
    /// The node whose WARC files hold the records (empty for a single node).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub node: String,
}

impl CaptureRow {
    /// True for a revisit record.
    pub fn is_revisit(&self) -> bool {
        self.warc_type == Some(RecordType::Revisit)
    }
}

/// One WARC record.
#[derive(Clone, Debug, FromRow)]
pub struct RecordRow {
    /// WARC-Record-ID.
    pub record_id: String,
    /// WARC-Type.
    pub warc_type: RecordType,
    /// File name.
    pub file: String,
    /// Offset of the compressed frame.
    pub file_offset: i64,
    /// Compressed length.
    pub length: i64,
    /// sha256 of the uncompressed record.
    pub record_digest: String,
    /// sha256 of the compressed frame.
    pub frame_digest: String,
    /// The capture this record belongs to.
    pub capture_id: Option<i64>,
    /// Position in the archive's append order.
    pub seq: i64,
    /// The hash chain after this record.
    pub chain: String,
    /// The node whose WARC files hold it, and whose chain it is in (empty for a single
    /// node).
    pub node: String,
}

/// Timestamp form stored in the index.
pub fn index_time(date: &DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The ID of the next capture on SQLite, which would give a deleted row's ID again when it
/// was the highest: an erased capture's ID is never reused (`erased_captures` keeps them),
/// so that no tombstone, alert or mirror check that names it comes to name another capture.
/// PostgreSQL's identity never reuses one. Two index lookups, not a scan.
macro_rules! next_capture_id {
    () => {
        "(SELECT max(coalesce((SELECT max(id) FROM captures), 0),
                     coalesce((SELECT max(capture_id) FROM erased_captures), 0)) + 1)"
    };
}

/// Indexes an archived exchange; call inside the transaction that also updates the frontier.
/// Returns the capture's row as stored (the change index compares it without reading it
/// back).
pub async fn insert_exchange(
    tx: &mut Tx,
    url: &str,
    surt: &str,
    stored: &StoredExchange,
    seed: Option<&str>,
) -> Result<CaptureRow, sqlx::Error> {
    let resp = stored.response_record();
    let row: CaptureRow = db::query(if tx.conn().is_postgres() {
        "INSERT INTO captures (url, surt, captured_at, status, mime, payload_digest, record_digest,
            frame_digest, record_id, file, file_offset, length, truncated, seed, warc_type,
            refers_to, etag, last_modified, location, node)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *"
    } else {
        concat!(
            "INSERT INTO captures (id, url, surt, captured_at, status, mime, payload_digest,
            record_digest, frame_digest, record_id, file, file_offset, length, truncated, seed,
            warc_type, refers_to, etag, last_modified, location, node)
         VALUES (",
            next_capture_id!(),
            ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *"
        )
    })
    .bind(url)
    .bind(surt)
    .bind(index_time(&stored.date))
    .bind(stored.facts.status as i64)
    .bind(&stored.facts.mime)
    .bind(&stored.facts.payload_digest)
    .bind(&resp.record_digest)
    .bind(&resp.frame_digest)
    .bind(&resp.record_id)
    .bind(&resp.file)
    .bind(resp.offset as i64)
    .bind(resp.length as i64)
    .bind(&stored.truncated)
    .bind(seed)
    .bind(resp.warc_type)
    .bind(stored.revisit.as_ref().map(|r| &r.refers_to))
    .bind(&stored.facts.etag)
    .bind(&stored.facts.last_modified)
    .bind(&stored.facts.location)
    .bind(tx.node().to_string())
    .fetch_one(&mut *tx)
    .await?;
    let records = stored.records.iter().map(|r| (r, Some(row.id)));
    let extra = stored.extra.iter().map(|r| (r, None));
    insert_records(tx, records.chain(extra)).await?;
    Ok(row)
}

/// Indexes one record (a warcinfo has no capture).
pub async fn insert_record(
    tx: &mut Tx,
    r: &StoredRecord,
    capture: Option<i64>,
) -> Result<(), sqlx::Error> {
    insert_records(tx, [(r, capture)]).await
}

/// Indexes records when the transaction commits ([`db::Tx::insert_at_commit`]): the records
/// of every capture indexed in the transaction cost one statement, not one per capture
/// (issue 21: round trips to the database, one after another on the indexing connection,
/// were the crawl's ceiling). Nothing reads `warc_records` back in the transaction that
/// indexes them.
async fn insert_records<'r>(
    tx: &mut Tx,
    records: impl IntoIterator<Item = (&'r StoredRecord, Option<i64>)>,
) -> Result<(), sqlx::Error> {
    let node = tx.node().to_string();
    for (r, capture) in records {
        let values: Vec<db::Value> = vec![
            r.record_id.as_str().into(),
            r.warc_type.as_str().into(),
            r.file.as_str().into(),
            (r.offset as i64).into(),
            (r.length as i64).into(),
            r.record_digest.as_str().into(),
            r.frame_digest.as_str().into(),
            capture.into(),
            (r.seq as i64).into(),
            r.chain.as_str().into(),
            node.as_str().into(),
        ];
        tx.insert_at_commit(
            "INSERT INTO warc_records (record_id, warc_type, file, file_offset, length,
                record_digest, frame_digest, capture_id, seq, chain, node) VALUES",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "",
            values,
        );
    }
    Ok(())
}

/// Records a fetch that produced no WARC record (connection refused, timeout, policy).
#[allow(clippy::too_many_arguments)]
pub async fn insert_error(
    tx: &mut Tx,
    url: &str,
    surt: &str,
    date: &DateTime<Utc>,
    error: &str,
    class: FailureClass,
    seed: Option<&str>,
) -> Result<i64, sqlx::Error> {
    db::query(if tx.conn().is_postgres() {
        "INSERT INTO captures (url, surt, captured_at, status, error, error_class, seed)
         VALUES (?, ?, ?, 0, ?, ?, ?) RETURNING id"
    } else {
        concat!(
            "INSERT INTO captures (id, url, surt, captured_at, status, error, error_class, seed)
             VALUES (",
            next_capture_id!(),
            ", ?, ?, ?, 0, ?, ?, ?) RETURNING id"
        )
    })
    .bind(url)
    .bind(surt)
    .bind(index_time(date))
    .bind(error)
    .bind(class)
    .bind(seed)
    .scalar(&mut *tx)
    .await
}

/// What the last successful capture of `url` offers a recrawl: the response record holding
/// its payload (a revisit's original), and the validators for a conditional request. Only a
/// 2xx capture counts: an error page or a redirect must never stand in for the page's body.
#[derive(Clone, Debug, Default)]
pub struct Previous {
    /// The response a new capture with the same payload may refer to.
    pub original: Option<Original>,
    /// `ETag` of the last capture.
    pub etag: Option<String>,
    /// `Last-Modified` of the last capture.
    pub last_modified: Option<String>,
}

/// What the last archived 2xx capture of a URL (`last_ok` of
/// [`crate::changes::earlier`]) offers a recrawl; the dedup state is the index itself.
pub async fn previous(
    on: &mut impl AsConn,
    last_ok: Option<&CaptureRow>,
) -> Result<Previous, sqlx::Error> {
    let Some(last) = last_ok.cloned() else {
        return Ok(Previous::default());
    };
    let holder: Option<CaptureRow> = if last.is_revisit() {
        db::query("SELECT * FROM captures WHERE record_id = ? AND warc_type = 'response'")
            .bind(&last.refers_to)
            .fetch_optional(on.conn())
            .await?
    } else {
        Some(last.clone())
    };
    // A body cut short is no original: the next full one replaces it.
    let original = holder
        .filter(|h| h.truncated.is_none() && (200..300).contains(&h.status))
        .and_then(|h| {
            Some(Original {
                record_id: h.record_id?,
                target_uri: h.url,
                date: h.captured_at,
                payload_digest: h.payload_digest?,
            })
        });
    Ok(Previous {
        original,
        etag: last.etag,
        last_modified: last.last_modified,
    })
}

/// Every capture of `url`, oldest first.
pub async fn captures_of(db: &Db, url: &str) -> Result<Vec<CaptureRow>, sqlx::Error> {
    db::query("SELECT * FROM captures WHERE url = ? ORDER BY captured_at, id")
        .bind(url)
        .fetch_all(db)
        .await
}

/// The newest capture of `url` (an error capture included), if any.
pub async fn last_capture_of(db: &Db, url: &str) -> Result<Option<CaptureRow>, sqlx::Error> {
    db::query("SELECT * FROM captures WHERE url = ? ORDER BY captured_at DESC, id DESC LIMIT 1")
        .bind(url)
        .fetch_optional(db)
        .await
}

/// One capture by ID.
pub async fn capture(db: &Db, id: i64) -> Result<Option<CaptureRow>, sqlx::Error> {
    db::query("SELECT * FROM captures WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The response capture whose record is `record_id` (what a revisit refers to).
pub async fn response_with_record(
    db: &Db,
    record_id: &str,
) -> Result<Option<CaptureRow>, sqlx::Error> {
    db::query("SELECT * FROM captures WHERE record_id = ? AND warc_type = 'response'")
        .bind(record_id)
        .fetch_optional(db)
        .await
}

/// What an analyst searches the capture index for; every part given must hold.
#[derive(Clone, Debug, Default)]
pub struct CaptureSearch {
    /// Exactly this URL (canonical form).
    pub url: Option<String>,
    /// URLs beginning with this text.
    pub prefix: Option<String>,
    /// URLs on this host (`host` or `host:port`, lowercase), over http or https.
    pub host: Option<String>,
    /// Captured at or after (RFC 3339, as the index stores it).
    pub since: Option<String>,
    /// Captured at or before.
    pub until: Option<String>,
    /// HTTP status (0: failed fetches).
    pub status: Option<i64>,
    /// Media type (lowercase).
    pub mime: Option<String>,
    /// Only captures with a smaller ID: the cursor of the previous page.
    pub before_id: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

/// Captures matching `s`, newest (highest ID) first.
pub async fn search(db: &Db, s: &CaptureSearch) -> Result<Vec<CaptureRow>, sqlx::Error> {
    // A URL's first characters are compared with substr, not LIKE: no wildcard escaping.
    fn starts_with(sql: &mut String, binds: &mut Vec<db::Value>, prefixes: &[String]) {
        let tests: Vec<&str> = prefixes
            .iter()
            .map(|_| "substr(url, 1, CAST(? AS INTEGER)) = ?")
            .collect();
        sql.push_str(&format!(" AND ({})", tests.join(" OR ")));
        for p in prefixes {
            binds.push((p.chars().count() as i64).into());
            binds.push(p.clone().into());
        }
    }
    let mut sql = String::from("SELECT * FROM captures WHERE 1 = 1");
    let mut binds: Vec<db::Value> = Vec::new();
    let mut and = |sql: &mut String, clause: &str, v: db::Value| {
        sql.push_str(clause);
        binds.push(v);
    };
    if let Some(u) = &s.url {
        and(&mut sql, " AND url = ?", u.clone().into());
    }
    if let Some(t) = &s.since {
        and(&mut sql, " AND captured_at >= ?", t.clone().into());
    }
    if let Some(t) = &s.until {
        and(&mut sql, " AND captured_at <= ?", t.clone().into());
    }
    if let Some(st) = s.status {
        and(&mut sql, " AND status = ?", st.into());
    }
    if let Some(m) = &s.mime {
        and(&mut sql, " AND mime = ?", m.clone().into());
    }
    if let Some(c) = s.before_id {
        and(&mut sql, " AND id < ?", c.into());
    }
    if let Some(p) = &s.prefix {
        starts_with(&mut sql, &mut binds, std::slice::from_ref(p));
    }
    if let Some(h) = &s.host {
        let forms: Vec<String> = ["http://", "https://"]
            .iter()
            .flat_map(|scheme| [format!("{scheme}{h}/"), format!("{scheme}{h}:")])
            .collect();
        starts_with(&mut sql, &mut binds, &forms);
    }
    sql.push_str(" ORDER BY id DESC LIMIT ?");
    binds.push(s.limit.into());
    db::query_owned(sql).bind_all(binds).fetch_all(db).await
}

/// What an evidence export takes: archived captures by URL, seed, IDs and time range.
#[derive(Clone, Debug, Default)]
pub struct ExportSelection {
    /// Every capture of this URL.
    pub url: Option<String>,
    /// Every capture of this seed.
    pub seed: Option<String>,
    /// Every capture of these seeds (a site's addresses).
    pub seeds: Vec<String>,
    /// These captures.
    pub ids: Vec<i64>,
    /// Captured at or after (RFC 3339).
    pub since: Option<String>,
    /// Captured at or before.
    pub until: Option<String>,
}

/// IDs of the archived captures (with a record) that `sel` selects, oldest first.
pub async fn select_archived(db: &Db, sel: &ExportSelection) -> Result<Vec<i64>, sqlx::Error> {
    let mut sql = String::from("SELECT id FROM captures WHERE file IS NOT NULL");
    let mut binds: Vec<db::Value> = Vec::new();
    if let Some(u) = &sel.url {
        sql.push_str(" AND url = ?");
        binds.push(u.clone().into());
    }
    if let Some(s) = &sel.seed {
        sql.push_str(" AND seed = ?");
        binds.push(s.clone().into());
    }
    if !sel.seeds.is_empty() {
        sql.push_str(&format!(
            " AND seed IN ({})",
            vec!["?"; sel.seeds.len()].join(", ")
        ));
        binds.extend(sel.seeds.iter().map(|s| db::Value::from(s.clone())));
    }
    if !sel.ids.is_empty() {
        sql.push_str(&format!(
            " AND id IN ({})",
            vec!["?"; sel.ids.len()].join(", ")
        ));
        binds.extend(sel.ids.iter().map(|id| db::Value::from(*id)));
    }
    if let Some(s) = &sel.since {
        sql.push_str(" AND captured_at >= ?");
        binds.push(s.clone().into());
    }
    if let Some(u) = &sel.until {
        sql.push_str(" AND captured_at <= ?");
        binds.push(u.clone().into());
    }
    sql.push_str(" ORDER BY captured_at, id");
    db::query_owned(sql).bind_all(binds).scalars(db).await
}

/// The newest capture time of each seed (label, RFC 3339).
pub async fn last_capture_by_seed(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    db::query("SELECT seed, MAX(captured_at) FROM captures WHERE seed IS NOT NULL GROUP BY seed")
        .fetch_all(db)
        .await
}

/// The records of capture `capture` (request, response or revisit, metadata), in file order.
pub async fn records_of_capture(db: &Db, capture: i64) -> Result<Vec<RecordRow>, sqlx::Error> {
    db::query("SELECT * FROM warc_records WHERE capture_id = ? ORDER BY file, file_offset")
        .bind(capture)
        .fetch_all(db)
        .await
}

/// The record with this WARC-Record-ID, if the index has it.
pub async fn record_by_id(db: &Db, record_id: &str) -> Result<Option<RecordRow>, sqlx::Error> {
    db::query("SELECT * FROM warc_records WHERE record_id = ?")
        .bind(record_id)
        .fetch_optional(db)
        .await
}

/// Notes a key rotation record (see [`crate::custody::rotation`]); once per record.
pub async fn insert_key_rotation(
    db: &Db,
    record_id: &str,
    rotation: &crate::custody::rotation::Rotation,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO key_rotations (record_id, old_fingerprint, new_fingerprint, rotated_at, node)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_id) DO NOTHING",
    )
    .bind(record_id)
    .bind(rotation.old_fingerprint())
    .bind(rotation.new_fingerprint())
    .bind(&rotation.at)
    .bind(db.node())
    .execute(db)
    .await?;
    Ok(())
}

/// The key the key `new_fingerprint` took over from, and the log position of that rotation
/// record (the newest one, should a key have come back).
pub async fn rotation_into(
    db: &Db,
    new_fingerprint: &str,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    db::query(
        "SELECT k.old_fingerprint, w.seq FROM key_rotations k
         JOIN warc_records w ON w.record_id = k.record_id
         WHERE k.new_fingerprint = ? AND k.node = ? ORDER BY w.seq DESC LIMIT 1",
    )
    .bind(new_fingerprint)
    .bind(db.node())
    .fetch_optional(db)
    .await
}

/// The indexed records of every key rotation, in log order.
pub async fn key_rotation_records(db: &Db) -> Result<Vec<RecordRow>, sqlx::Error> {
    db::query(
        "SELECT w.* FROM warc_records w JOIN key_rotations k ON k.record_id = w.record_id
         WHERE k.node = ? ORDER BY w.seq",
    )
    .bind(db.node())
    .fetch_all(db)
    .await
}

/// The warcinfo records of WARC file `file`.
pub async fn warcinfo_of(db: &Db, file: &str) -> Result<Vec<RecordRow>, sqlx::Error> {
    db::query("SELECT * FROM warc_records WHERE file = ? AND warc_type = 'warcinfo' AND node = ?")
        .bind(file)
        .bind(db.node())
        .fetch_all(db)
        .await
}

/// Every indexed record of WARC file `file`, in file order, as
/// (record ID, chain position, chain value, offset, length): only what a seal needs, since a
/// file holds tens of thousands of records and whole rows cost 20 MB more at sealing
/// (full-size crawl benchmark, peak RSS).
pub async fn records_in_file(
    db: &Db,
    file: &str,
) -> Result<Vec<(String, i64, String, i64, i64)>, sqlx::Error> {
    db::query(
        "SELECT record_id, seq, chain, file_offset, length FROM warc_records
         WHERE file = ? AND node = ? ORDER BY file_offset",
    )
    .bind(file)
    .bind(db.node())
    .fetch_all(db)
    .await
}

/// Where the indexed records of each WARC file end (file name → end offset of its last
/// indexed frame): what crash repair may keep of a file left `.open`.
pub async fn indexed_ends(db: &Db) -> Result<Vec<(String, u64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = db::query(
        "SELECT file, MAX(file_offset + length) FROM warc_records WHERE node = ? GROUP BY file",
    )
    .bind(db.node())
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(f, e)| (f, e as u64)).collect())
}

/// The indexed records of one file: (offset, chain position, chain value).
pub async fn chain_positions_in(
    db: &Db,
    file: &str,
) -> Result<Vec<(u64, u64, String)>, sqlx::Error> {
    let rows: Vec<(i64, i64, String)> =
        db::query("SELECT file_offset, seq, chain FROM warc_records WHERE file = ? AND node = ?")
            .bind(file)
            .bind(db.node())
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(o, s, c)| (o as u64, s as u64, c))
        .collect())
}

/// The chain value the index holds for record `seq`, if any.
pub async fn chain_value_at(db: &Db, seq: u64) -> Result<Option<String>, sqlx::Error> {
    db::query("SELECT chain FROM warc_records WHERE seq = ? AND node = ?")
        .bind(seq as i64)
        .bind(db.node())
        .scalar_optional(db)
        .await
}

/// How many archived captures each node holds (node name, count; empty name: a single
/// node's).
pub async fn captures_by_node(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    db::query(
        "SELECT node, COUNT(*) FROM captures WHERE file IS NOT NULL GROUP BY node ORDER BY node",
    )
    .fetch_all(db)
    .await
}

/// Every capture this node archived (rows with a record), in file order.
pub async fn archived_captures(db: &Db) -> Result<Vec<CaptureRow>, sqlx::Error> {
    db::query(
        "SELECT * FROM captures WHERE file IS NOT NULL AND node = ? ORDER BY file, file_offset",
    )
    .bind(db.node())
    .fetch_all(db)
    .await
}

/// Where the archive's chain stands: the last record's position and chain value.
pub async fn chain_head(db: &Db) -> anyhow::Result<(u64, [u8; 32])> {
    let row: Option<(i64, String)> =
        db::query("SELECT seq, chain FROM warc_records WHERE node = ? ORDER BY seq DESC LIMIT 1")
            .bind(db.node())
            .fetch_optional(db)
            .await?;
    Ok(match row {
        Some((seq, chain)) => {
            let value = crate::custody::chain::parse(&chain).map_err(|e| {
                anyhow::anyhow!(
                    "the index's chain head (record {seq}) is damaged: {e}; run `nightjar verify`"
                )
            })?;
            (seq as u64, value)
        }
        None => (0, crate::custody::chain::GENESIS),
    })
}

/// Every record this node indexed, in file order.
pub async fn records(db: &Db) -> Result<Vec<RecordRow>, sqlx::Error> {
    db::query("SELECT * FROM warc_records WHERE node = ? ORDER BY file, file_offset")
        .bind(db.node())
        .fetch_all(db)
        .await
}

/// The archive as CDXJ lines (pywb / WACZ form), sorted bytewise.
pub async fn cdxj(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let rows = archived_captures(db).await?;
    let mut lines: Vec<String> = rows.iter().map(cdxj_line).collect();
    lines.sort();
    Ok(lines)
}

/// One capture as a CDXJ line. The timestamp has 14 digits, as pywb and cdxj-indexer write.
pub fn cdxj_line(row: &CaptureRow) -> String {
    let ts: String = row
        .captured_at
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect();
    let mut obj = serde_json::Map::new();
    obj.insert("url".into(), row.url.clone().into());
    // Replay tools recognise a revisit by this mime (pywb, cdxj-indexer).
    let mime = if row.is_revisit() {
        "warc/revisit".to_string()
    } else {
        row.mime.clone().unwrap_or_else(|| "unk".into())
    };
    obj.insert("mime".into(), mime.into());
    obj.insert("status".into(), row.status.to_string().into());
    if let Some(d) = &row.payload_digest {
        obj.insert("digest".into(), d.clone().into());
    }
    obj.insert("length".into(), row.length.unwrap_or(0).to_string().into());
    obj.insert(
        "offset".into(),
        row.file_offset.unwrap_or(0).to_string().into(),
    );
    obj.insert(
        "filename".into(),
        row.file.clone().unwrap_or_default().into(),
    );
    // cdxj-indexer's `recordDigest` hashes the record as stored (the compressed frame).
    if let Some(d) = &row.frame_digest {
        obj.insert("recordDigest".into(), d.clone().into());
    }
    format!("{} {} {}", row.surt, ts, serde_json::Value::Object(obj))
}

/// A stored signed head of the archive's Merkle log ([`crate::custody::heads`]).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredHead {
    /// Leaves.
    pub size: i64,
    /// Root, base64.
    pub root: String,
    /// When made.
    pub made_at: String,
    /// The signed note.
    pub note: String,
    /// The TSA's TimeStampResp over SHA-256 of the note, when one was configured.
    pub tsa_response: Option<Vec<u8>>,
}

/// Stored heads of the Merkle log, oldest first (only the newest with `newest_only`).
pub async fn log_heads(db: &Db, newest_only: bool) -> Result<Vec<StoredHead>, sqlx::Error> {
    if newest_only {
        db::query(
            "SELECT size, root, made_at, note, tsa_response FROM log_checkpoints WHERE node = ?
             ORDER BY id DESC LIMIT 1",
        )
        .bind(db.node())
        .fetch_all(db)
        .await
    } else {
        db::query(
            "SELECT size, root, made_at, note, tsa_response FROM log_checkpoints WHERE node = ?
             ORDER BY id",
        )
        .bind(db.node())
        .fetch_all(db)
        .await
    }
}

/// The newest head's size, compact range, audit position and note.
pub async fn last_log_head_peaks(
    db: &Db,
) -> Result<Option<(i64, Vec<u8>, Option<i64>, String)>, sqlx::Error> {
    db::query(
        "SELECT size, peaks, audit_seq, note FROM log_checkpoints WHERE node = ?
         ORDER BY id DESC LIMIT 1",
    )
    .bind(db.node())
    .fetch_optional(db)
    .await
}

/// The compact range stored with a head of `size` leaves, if one was made at that size.
pub async fn log_peaks_at(db: &Db, size: u64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    db::query(
        "SELECT peaks FROM log_checkpoints WHERE size = ? AND node = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(size as i64)
    .bind(db.node())
    .scalar_optional(db)
    .await
}

/// Position, record digest and chain value of every record after position `seq`, in order.
pub async fn digests_after(db: &Db, seq: u64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    db::query(
        "SELECT seq, record_digest, chain FROM warc_records WHERE seq > ? AND node = ?
         ORDER BY seq",
    )
    .bind(seq as i64)
    .bind(db.node())
    .fetch_all(db)
    .await
}

/// A head to store.
pub struct NewLogHead {
    /// Leaves.
    pub size: u64,
    /// Root, base64.
    pub root: String,
    /// The audit log's position it carries.
    pub audit_seq: Option<i64>,
    /// When made.
    pub made_at: String,
    /// The signed note.
    pub note: String,
    /// Compact range at that size.
    pub peaks: Vec<u8>,
    /// The TSA's answer, if any.
    pub tsa_response: Option<Vec<u8>>,
}

/// Stores a head.
pub async fn insert_log_head(db: &Db, h: &NewLogHead) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO log_checkpoints (size, root, audit_seq, made_at, note, peaks, tsa_response,
            node)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(h.size as i64)
    .bind(&h.root)
    .bind(h.audit_seq)
    .bind(&h.made_at)
    .bind(&h.note)
    .bind(&h.peaks)
    .bind(&h.tsa_response)
    .bind(db.node())
    .execute(db)
    .await?;
    Ok(())
}

/// Every record row and every archived capture row, read in one transaction: a consistent
/// snapshot while the daemon goes on indexing (SQLite's WAL keeps it).
pub async fn snapshot(db: &Db) -> Result<(Vec<RecordRow>, Vec<CaptureRow>), sqlx::Error> {
    let mut tx = db.begin().await?;
    // PostgreSQL reads each statement at its own moment unless asked for one snapshot
    // (SQLite's transaction already is one).
    if db.is_postgres() {
        db::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut tx)
            .await?;
    }
    let records = db::query("SELECT * FROM warc_records WHERE node = ? ORDER BY file, file_offset")
        .bind(db.node())
        .fetch_all(&mut tx)
        .await?;
    let captures = db::query(
        "SELECT * FROM captures WHERE file IS NOT NULL AND node = ? ORDER BY file, file_offset",
    )
    .bind(db.node())
    .fetch_all(&mut tx)
    .await?;
    tx.rollback().await?;
    Ok((records, captures))
}
