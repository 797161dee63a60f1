//! What analysts ask of the change index: what changed (a feed), how one URL evolved (its
//! history), and what exactly differs between two captures (a diff).
//!
//! Everything here reads; nothing fetches. Text and links come from the change index (kept
//! when each capture was made), headers from the WARC records themselves, so a diff shows the
//! response heads exactly as archived.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};
use archive::changes::{self, ChangeRow};
use archive::http::HttpMessage;
use archive::index::{self, CaptureRow};
use archive::record::ParsedRecord;
use chrono::{DateTime, NaiveDate, Utc};
use db::Db;
use serde::Serialize;

/// Which end of a day a bare date means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayEnd {
    /// Its first millisecond (`--since 2026-11-01`).
    Start,
    /// Its last millisecond (`--until 2026-11-01` includes that day).
    End,
}

/// Turns `24h`, `7d` (that long ago), a date (`2026-11-01`, UTC) or an RFC 3339 time into
/// the index's time form.
pub fn parse_time(s: &str, now: DateTime<Utc>, day: DayEnd) -> anyhow::Result<String> {
    let s = s.trim();
    if let Ok(d) = humantime::parse_duration(s) {
        let t = chrono::Duration::from_std(d)
            .ok()
            .and_then(|ago| now.checked_sub_signed(ago))
            .with_context(|| format!("'{s}' ago is before any date nightjar can handle"))?;
        return Ok(index::index_time(&t));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(index::index_time(&t.with_timezone(&Utc)));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = match day {
            DayEnd::Start => d.and_hms_milli_opt(0, 0, 0, 0),
            DayEnd::End => d.and_hms_milli_opt(23, 59, 59, 999),
        };
        return Ok(index::index_time(
            &t.expect("a valid time of day").and_utc(),
        ));
    }
    bail!("'{s}' is not a time: use a duration ago (24h, 7d), a date (2026-11-01) or RFC 3339 (2026-11-01T12:00:00Z)")
}

/// Reads the WARC record an index row points at, checking it is the one indexed.
pub fn read_record(warc_dir: &Path, row: &CaptureRow) -> anyhow::Result<ParsedRecord> {
    let (Some(file), Some(offset), Some(length)) = (&row.file, row.file_offset, row.length) else {
        bail!(
            "capture {} of {} has no archived response: {}",
            row.id,
            row.url,
            row.error.as_deref().unwrap_or("unknown error")
        );
    };
    let path = archive::files::locate(warc_dir, file)
        .with_context(|| format!("WARC file {file} is missing from {}", warc_dir.display()))?;
    let raw = archive::frames::read_frame_at(&path, offset as u64, length as u64)
        .with_context(|| format!("cannot read {file} at offset {offset}"))?;
    let rec = ParsedRecord::parse(&raw).map_err(|e| anyhow::anyhow!("{file} @ {offset}: {e}"))?;
    if rec.record_id() != row.record_id.as_deref().unwrap_or("") {
        bail!(
            "{file} @ {offset} holds {}, not the indexed {:?}: run `nightjar verify`",
            rec.record_id(),
            row.record_id
        );
    }
    Ok(rec)
}

/// The capture that holds `row`'s payload: itself, or the original a revisit refers to.
pub async fn payload_holder(db: &Db, row: &CaptureRow) -> anyhow::Result<CaptureRow> {
    if !row.is_revisit() {
        return Ok(row.clone());
    }
    let to = row.refers_to.as_deref().unwrap_or("");
    let original = archive::index::response_with_record(db, to).await?;
    original.with_context(|| {
        format!(
            "capture {} is a revisit of {to}, which is not in the index: run `nightjar verify`",
            row.id
        )
    })
}

/// One header that differs between two captures.
#[derive(Debug, Serialize)]
pub struct HeaderChange {
    /// Header name, lowercase.
    pub name: String,
    /// Value(s) in the first capture (joined by ", "), if present.
    pub before: Option<String>,
    /// Value(s) in the second capture, if present.
    pub after: Option<String>,
}

/// What differs between two captures.
#[derive(Debug, Serialize)]
pub struct Diff {
    /// First capture.
    pub a: ChangeRow,
    /// Second capture.
    pub b: ChangeRow,
    /// Unified diff of the visible text (empty: same text).
    pub text_diff: String,
    /// Links in `b` but not in `a`.
    pub links_added: Vec<String>,
    /// Links in `a` but not in `b`.
    pub links_removed: Vec<String>,
    /// Response headers that differ.
    pub headers: Vec<HeaderChange>,
    /// Text similarity 0 to 1 (from the fingerprints), when both have text.
    pub similarity: Option<f64>,
    /// Whether the payloads are byte-identical.
    pub same_payload: bool,
}

async fn change_row(db: &Db, id: i64) -> anyhow::Result<(ChangeRow, CaptureRow)> {
    let cap = index::capture(db, id)
        .await?
        .with_context(|| format!("no capture {id}; `nightjar history URL` lists capture IDs"))?;
    let change = changes::of_capture(db, id)
        .await?
        .with_context(|| format!("capture {id} is not in the change index"))?;
    Ok((change, cap))
}

fn headers_of(warc_dir: &Path, cap: &CaptureRow) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    if cap.file.is_none() {
        return Ok(out);
    }
    let rec = read_record(warc_dir, cap)?;
    if let Ok(msg) = HttpMessage::parse_response(&rec.block) {
        for (k, v) in msg.headers {
            out.entry(k.to_ascii_lowercase())
                .and_modify(|e| {
                    e.push_str(", ");
                    e.push_str(&v);
                })
                .or_insert(v);
        }
    }
    Ok(out)
}

/// Compares capture `a` with capture `b`.
pub async fn diff(db: &Db, warc_dir: &Path, a: i64, b: i64) -> anyhow::Result<Diff> {
    let (ca, ra) = change_row(db, a).await?;
    let (cb, rb) = change_row(db, b).await?;
    let ta = changes::content(db, a).await?.unwrap_or_default();
    let tb = changes::content(db, b).await?.unwrap_or_default();
    let text_diff = if ta.text == tb.text {
        String::new()
    } else {
        similar::TextDiff::from_lines(&ta.text, &tb.text)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("capture {a} {} {}", ra.captured_at, ra.url),
                &format!("capture {b} {} {}", rb.captured_at, rb.url),
            )
            .to_string()
    };
    let ha = headers_of(warc_dir, &ra)?;
    let hb = headers_of(warc_dir, &rb)?;
    let mut names: Vec<&String> = ha.keys().chain(hb.keys()).collect();
    names.sort();
    names.dedup();
    let headers = names
        .into_iter()
        .filter(|n| ha.get(*n) != hb.get(*n))
        .map(|n| HeaderChange {
            name: n.clone(),
            before: ha.get(n).cloned(),
            after: hb.get(n).cloned(),
        })
        .collect();
    let pa = payload_holder(db, &ra)
        .await
        .ok()
        .and_then(|h| h.payload_digest);
    let pb = payload_holder(db, &rb)
        .await
        .ok()
        .and_then(|h| h.payload_digest);
    let fingerprints = (
        changes::fingerprint(db, a).await?,
        changes::fingerprint(db, b).await?,
    );
    Ok(Diff {
        text_diff,
        links_added: tb.links.difference(&ta.links).cloned().collect(),
        links_removed: ta.links.difference(&tb.links).cloned().collect(),
        headers,
        similarity: match fingerprints {
            (Some(x), Some(y)) => Some(changes::agreement(x, y)),
            _ => None,
        },
        same_payload: pa.is_some() && pa == pb,
        a: ca,
        b: cb,
    })
}

/// The diff as an analyst reads it in a terminal.
pub fn render_diff(d: &Diff) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "capture {} ({}, {}, {}) → capture {} ({}, {}, {})\n",
        d.a.capture_id,
        d.a.captured_at,
        d.a.status,
        d.a.class,
        d.b.capture_id,
        d.b.captured_at,
        d.b.status,
        d.b.class
    ));
    if d.same_payload {
        out.push_str("payload: identical\n");
    }
    if let Some(s) = d.similarity {
        out.push_str(&format!("text similarity: {s:.2}\n"));
    }
    if d.text_diff.is_empty() {
        out.push_str("text: no change\n");
    } else {
        out.push_str(&d.text_diff);
        if !d.text_diff.ends_with('\n') {
            out.push('\n');
        }
    }
    for l in &d.links_added {
        out.push_str(&format!("link added: {l}\n"));
    }
    for l in &d.links_removed {
        out.push_str(&format!("link removed: {l}\n"));
    }
    for h in &d.headers {
        match (&h.before, &h.after) {
            (Some(x), Some(y)) => out.push_str(&format!("header changed: {}: {x} → {y}\n", h.name)),
            (None, Some(y)) => out.push_str(&format!("header added: {}: {y}\n", h.name)),
            (Some(x), None) => out.push_str(&format!("header removed: {}: {x}\n", h.name)),
            (None, None) => {}
        }
    }
    out
}

/// One line of the change feed or a history.
pub fn render_change(c: &ChangeRow) -> String {
    format!(
        "{:>7}  {:<24}  {:<9}  {:>6}  {:>5}  {}",
        c.capture_id,
        c.captured_at,
        c.class,
        if c.status == 0 {
            "-".to_string()
        } else {
            c.status.to_string()
        },
        c.similarity
            .map(|s| format!("{s:.2}"))
            .unwrap_or_else(|| "-".into()),
        c.url
    )
}

/// Prints change rows to stdout: JSON lines, or a table (`empty` when there are none).
pub fn print_changes(rows: &[ChangeRow], json: bool, empty: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if json {
        for r in rows {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
    } else if rows.is_empty() {
        writeln!(out, "{empty}")?;
    } else {
        writeln!(out, "{CHANGE_HEADER}")?;
        for r in rows {
            writeln!(out, "{}", render_change(r))?;
        }
    }
    Ok(())
}

/// The header line of [`render_change`] tables.
pub const CHANGE_HEADER: &str = "     id  time                      class      status   sim  url";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_as_ago_dates_or_rfc3339() {
        let now: DateTime<Utc> = "2026-11-27T12:00:00Z".parse().unwrap();
        let p = |s: &str| parse_time(s, now, DayEnd::Start);
        assert_eq!(p("24h").unwrap(), "2026-11-26T12:00:00.000Z");
        assert_eq!(p("7d").unwrap(), "2026-11-20T12:00:00.000Z");
        assert_eq!(p("2026-11-01").unwrap(), "2026-11-01T00:00:00.000Z");
        assert_eq!(
            parse_time("2026-11-01", now, DayEnd::End).unwrap(),
            "2026-11-01T23:59:59.999Z"
        );
        assert_eq!(
            p("2026-11-01T13:00:00+01:00").unwrap(),
            "2026-11-01T12:00:00.000Z"
        );
        let e = p("yesterday").unwrap_err().to_string();
        assert!(e.contains("24h"), "{e}");
        let e = p("1000000years").unwrap_err().to_string();
        assert!(e.contains("before any date"), "{e}");
    }
}
