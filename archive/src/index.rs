//! The capture index: where every capture and every record is, in SQLite.
//!
//! The WARC files are the evidence; this index is how nightjar finds things in them fast. It
//! holds one row per WARC record (so verification and crash repair can tell an indexed record
//! from a stray one) and one row per capture attempt (a response, or a fetch that failed and
//! left no record). All SQL is plain and portable so that a PostgreSQL backend can take the
//! same statements when several nodes share one index.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use crate::writer::{Original, StoredExchange, StoredRecord};

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS warc_records (
        record_id TEXT PRIMARY KEY,
        warc_type TEXT NOT NULL,
        file TEXT NOT NULL,
        file_offset INTEGER NOT NULL,
        length INTEGER NOT NULL,
        record_digest TEXT NOT NULL,
        frame_digest TEXT NOT NULL,
        capture_id INTEGER,
        seq INTEGER NOT NULL,
        chain TEXT NOT NULL
    )",
    "CREATE UNIQUE INDEX IF NOT EXISTS warc_records_place ON warc_records(file, file_offset)",
    "CREATE UNIQUE INDEX IF NOT EXISTS warc_records_seq ON warc_records(seq)",
    "CREATE TABLE IF NOT EXISTS captures (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        surt TEXT NOT NULL,
        captured_at TEXT NOT NULL,
        status INTEGER NOT NULL,
        mime TEXT,
        payload_digest TEXT,
        record_digest TEXT,
        frame_digest TEXT,
        record_id TEXT,
        file TEXT,
        file_offset INTEGER,
        length INTEGER,
        truncated TEXT,
        error TEXT,
        error_class TEXT,
        seed TEXT,
        warc_type TEXT,
        refers_to TEXT,
        etag TEXT,
        last_modified TEXT,
        location TEXT
    )",
    "CREATE INDEX IF NOT EXISTS captures_url ON captures(url, captured_at)",
    "CREATE INDEX IF NOT EXISTS captures_surt ON captures(surt, captured_at)",
    "CREATE INDEX IF NOT EXISTS captures_record ON captures(record_id)",
];

/// Creates the index tables if they are missing.
pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    for stmt in SCHEMA {
        sqlx::query(*stmt).execute(pool).await?;
    }
    Ok(())
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
    pub error_class: Option<String>,
    /// Label of the seed the capture belongs to.
    pub seed: Option<String>,
    /// `response`, or `revisit` when the payload was already archived (none for errors).
    pub warc_type: Option<String>,
    /// For a revisit: the WARC-Record-ID of the response holding the payload.
    pub refers_to: Option<String>,
    /// The response's `ETag`.
    pub etag: Option<String>,
    /// The response's `Last-Modified`.
    pub last_modified: Option<String>,
    /// The response's `Location`.
    pub location: Option<String>,
}

impl CaptureRow {
    /// True for a revisit record.
    pub fn is_revisit(&self) -> bool {
        self.warc_type.as_deref() == Some("revisit")
    }
}

/// One WARC record.
#[derive(Clone, Debug, FromRow)]
pub struct RecordRow {
    /// WARC-Record-ID.
    pub record_id: String,
    /// WARC-Type.
    pub warc_type: String,
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
}

/// Timestamp form stored in the index.
pub fn index_time(date: &DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Indexes an archived exchange; call inside the transaction that also updates the frontier.
pub async fn insert_exchange(
    conn: &mut SqliteConnection,
    url: &str,
    surt: &str,
    stored: &StoredExchange,
    seed: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let resp = stored.response_record();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO captures (url, surt, captured_at, status, mime, payload_digest, record_digest,
            frame_digest, record_id, file, file_offset, length, truncated, seed, warc_type,
            refers_to, etag, last_modified, location)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
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
    .bind(&resp.warc_type)
    .bind(stored.revisit.as_ref().map(|r| &r.refers_to))
    .bind(&stored.facts.etag)
    .bind(&stored.facts.last_modified)
    .bind(&stored.facts.location)
    .fetch_one(&mut *conn)
    .await?;
    for r in &stored.records {
        insert_record(conn, r, Some(id)).await?;
    }
    for r in &stored.extra {
        insert_record(conn, r, None).await?;
    }
    Ok(id)
}

/// Indexes one record (a warcinfo has no capture).
pub async fn insert_record(
    conn: &mut SqliteConnection,
    r: &StoredRecord,
    capture: Option<i64>,
) -> Result<(), sqlx::Error> {
    {
        sqlx::query(
            "INSERT INTO warc_records (record_id, warc_type, file, file_offset, length, record_digest,
                frame_digest, capture_id, seq, chain)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&r.record_id)
        .bind(&r.warc_type)
        .bind(&r.file)
        .bind(r.offset as i64)
        .bind(r.length as i64)
        .bind(&r.record_digest)
        .bind(&r.frame_digest)
        .bind(capture)
        .bind(r.seq as i64)
        .bind(&r.chain)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Records a fetch that produced no WARC record (connection refused, timeout, policy).
#[allow(clippy::too_many_arguments)]
pub async fn insert_error(
    conn: &mut SqliteConnection,
    url: &str,
    surt: &str,
    date: &DateTime<Utc>,
    error: &str,
    class: &str,
    seed: Option<&str>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO captures (url, surt, captured_at, status, error, error_class, seed)
         VALUES (?, ?, ?, 0, ?, ?, ?) RETURNING id",
    )
    .bind(url)
    .bind(surt)
    .bind(index_time(date))
    .bind(error)
    .bind(class)
    .bind(seed)
    .fetch_one(&mut *conn)
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

/// The last archived capture of `url` (the dedup state is the index itself).
pub async fn previous(conn: &mut SqliteConnection, url: &str) -> Result<Previous, sqlx::Error> {
    let last: Option<CaptureRow> = sqlx::query_as(
        "SELECT * FROM captures WHERE url = ? AND record_id IS NOT NULL
         AND status BETWEEN 200 AND 299 ORDER BY id DESC LIMIT 1",
    )
    .bind(url)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(last) = last else {
        return Ok(Previous::default());
    };
    let holder: Option<CaptureRow> = if last.is_revisit() {
        sqlx::query_as("SELECT * FROM captures WHERE record_id = ? AND warc_type = 'response'")
            .bind(&last.refers_to)
            .fetch_optional(&mut *conn)
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
pub async fn captures_of(pool: &SqlitePool, url: &str) -> Result<Vec<CaptureRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM captures WHERE url = ? ORDER BY captured_at, id")
        .bind(url)
        .fetch_all(pool)
        .await
}

/// One capture by ID.
pub async fn capture(pool: &SqlitePool, id: i64) -> Result<Option<CaptureRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM captures WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Every archived capture (rows with a record), in file order.
pub async fn archived_captures(pool: &SqlitePool) -> Result<Vec<CaptureRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM captures WHERE file IS NOT NULL ORDER BY file, file_offset")
        .fetch_all(pool)
        .await
}

/// Where the archive's chain stands: the last record's position and chain value.
pub async fn chain_head(pool: &SqlitePool) -> Result<(u64, [u8; 32]), sqlx::Error> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, chain FROM warc_records ORDER BY seq DESC LIMIT 1")
            .fetch_optional(pool)
            .await?;
    Ok(match row {
        Some((seq, chain)) => (
            seq as u64,
            crate::custody::chain::parse(&chain).unwrap_or(crate::custody::chain::GENESIS),
        ),
        None => (0, crate::custody::chain::GENESIS),
    })
}

/// Every indexed record, in file order.
pub async fn records(pool: &SqlitePool) -> Result<Vec<RecordRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM warc_records ORDER BY file, file_offset")
        .fetch_all(pool)
        .await
}

/// The archive as CDXJ lines (pywb / WACZ form), sorted bytewise.
pub async fn cdxj(pool: &SqlitePool) -> Result<Vec<String>, sqlx::Error> {
    let rows = archived_captures(pool).await?;
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
