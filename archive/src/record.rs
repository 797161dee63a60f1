//! WARC 1.1 records: serialising the ones we write and parsing the ones we read back.
//!
//! Writing is done here rather than with the `warc` crate's writer: its records keep their
//! fields in a `HashMap`, so field order is random and a field cannot repeat (WARC-Protocol
//! does, `http/1.1` and `tls/1.3`), and its `write_raw` ignores short writes. Reading uses the
//! `warc` crate's parser, so what we verify is parsed by code we did not write.

use std::borrow::Cow;
use std::io::BufReader;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::digest::sha256_label;

/// The WARC 1.1 record types (WARC-Type). Stored as their names in the index's `warc_type`
/// columns; [`RecordType::as_str`] and [`RecordType::parse`] are the only conversions. A record
/// read from a file may carry a type outside this set: [`ParsedRecord::record_type`] then says
/// `None` and the caller reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
// A TEXT column on both engines (not a PostgreSQL enum type).
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum RecordType {
    /// Describes the file and the crawl that wrote it; first in every file.
    Warcinfo,
    /// An HTTP response as received.
    Response,
    /// A resource captured without a protocol exchange.
    Resource,
    /// The HTTP request as sent.
    Request,
    /// Facts about another record (crawl metadata, chain checkpoints).
    Metadata,
    /// A response whose payload repeats one already archived.
    Revisit,
    /// A transformed copy of another record.
    Conversion,
    /// A segment of a record split across files.
    Continuation,
}

impl RecordType {
    /// Every type WARC 1.1 defines.
    pub const ALL: [RecordType; 8] = [
        RecordType::Warcinfo,
        RecordType::Response,
        RecordType::Resource,
        RecordType::Request,
        RecordType::Metadata,
        RecordType::Revisit,
        RecordType::Conversion,
        RecordType::Continuation,
    ];

    /// The WARC-Type value.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Warcinfo => "warcinfo",
            RecordType::Response => "response",
            RecordType::Resource => "resource",
            RecordType::Request => "request",
            RecordType::Metadata => "metadata",
            RecordType::Revisit => "revisit",
            RecordType::Conversion => "conversion",
            RecordType::Continuation => "continuation",
        }
    }

    /// The type a WARC-Type value names (WARC 1.1 compares them case-sensitively).
    pub fn parse(name: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl From<RecordType> for db::Value {
    fn from(v: RecordType) -> db::Value {
        v.as_str().into()
    }
}

impl std::fmt::Display for RecordType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record about to be written: named fields in order, then the block.
#[derive(Clone, Debug)]
pub struct WarcRecord<'a> {
    fields: Vec<(String, String)>,
    /// Borrowed when it can be: a capture's body is not copied just to be framed.
    block: Cow<'a, [u8]>,
}

/// A fresh `<urn:uuid:…>` record ID.
pub fn new_record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

/// WARC-Date form: UTC, millisecond precision (WARC 1.1 allows fractions).
pub fn warc_date(date: &DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl<'a> WarcRecord<'a> {
    /// A record of `warc_type` with its ID and date; the block digest and Content-Length are
    /// added by [`WarcRecord::to_bytes`].
    pub fn new(
        warc_type: RecordType,
        record_id: &str,
        date: &DateTime<Utc>,
        block: impl Into<Cow<'a, [u8]>>,
    ) -> Self {
        WarcRecord {
            fields: vec![
                ("WARC-Type".into(), warc_type.as_str().into()),
                ("WARC-Record-ID".into(), record_id.into()),
                ("WARC-Date".into(), warc_date(date)),
            ],
            block: block.into(),
        }
    }

    /// Appends a field (fields may repeat).
    pub fn field(mut self, name: &str, value: impl Into<String>) -> Self {
        let value: String = value.into();
        // Never fold or break a header line: strip CR/LF that a value could smuggle in.
        let value = value.replace(['\r', '\n'], " ");
        self.fields.push((name.into(), value));
        self
    }

    /// The uncompressed record bytes: version line, fields, block digest, Content-Length,
    /// blank line, block, and the two CRLFs that end a record.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.block.len() + 1024);
        out.extend_from_slice(b"WARC/1.1\r\n");
        for (k, v) in &self.fields {
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"WARC-Block-Digest: ");
        out.extend_from_slice(sha256_label(&self.block).as_bytes());
        out.extend_from_slice(b"\r\nContent-Length: ");
        out.extend_from_slice(self.block.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }
}

/// A record read back from disk.
#[derive(Clone, Debug)]
pub struct ParsedRecord {
    fields: Vec<(String, String)>,
    /// The record block.
    pub block: Vec<u8>,
}

impl ParsedRecord {
    /// Parses exactly one record from uncompressed bytes with the `warc` crate.
    pub fn parse(bytes: &[u8]) -> Result<ParsedRecord, String> {
        let reader = warc::WarcReader::new(BufReader::new(bytes));
        let mut iter = reader.iter_raw_records();
        let (header, block) = match iter.next() {
            Some(Ok(r)) => r,
            Some(Err(e)) => return Err(format!("unparseable WARC record: {e}")),
            None => return Err("no WARC record here".into()),
        };
        if iter.next().is_some() {
            return Err("more than one WARC record in one frame".into());
        }
        let fields = header
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v).into_owned()))
            .collect();
        Ok(ParsedRecord { fields, block })
    }

    /// A field's value (names compare case-insensitively).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    /// WARC-Type, as written in the record.
    pub fn warc_type(&self) -> &str {
        self.get("WARC-Type").unwrap_or("")
    }

    /// WARC-Type as one of the types WARC 1.1 defines; `None` for anything else.
    pub fn record_type(&self) -> Option<RecordType> {
        RecordType::parse(self.warc_type())
    }

    /// WARC-Record-ID.
    pub fn record_id(&self) -> &str {
        self.get("WARC-Record-ID").unwrap_or("")
    }
}

/// Parses an `application/warc-fields` block (`name: value` lines) into pairs.
pub fn parse_warc_fields(block: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(block)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Serialises pairs as an `application/warc-fields` block.
pub fn warc_fields(pairs: &[(String, String)]) -> Vec<u8> {
    let mut out = String::new();
    for (k, v) in pairs {
        out.push_str(k);
        out.push_str(": ");
        out.push_str(&v.replace(['\r', '\n'], " "));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_records_parse_back_with_the_warc_crate() {
        let date = Utc::now();
        let id = new_record_id();
        let rec = WarcRecord::new(RecordType::Resource, &id, &date, b"hello".to_vec())
            .field("WARC-Target-URI", "http://example.com/")
            .field("WARC-Protocol", "http/1.1")
            .field("WARC-Protocol", "tls/1.3");
        let bytes = rec.to_bytes();
        let parsed = ParsedRecord::parse(&bytes).unwrap();
        assert_eq!(parsed.record_id(), id);
        assert_eq!(parsed.block, b"hello");
        assert_eq!(
            parsed.get("warc-block-digest"),
            Some(sha256_label(b"hello").as_str())
        );
        assert!(String::from_utf8_lossy(&bytes)
            .contains("WARC-Protocol: http/1.1\r\nWARC-Protocol: tls/1.3\r\n"));
    }

    #[test]
    fn header_injection_is_neutralised() {
        let rec = WarcRecord::new(RecordType::Metadata, &new_record_id(), &Utc::now(), vec![])
            .field("X-Note", "a\r\nWARC-Type: response");
        let text = String::from_utf8(rec.to_bytes()).unwrap();
        assert_eq!(
            text.lines().filter(|l| l.starts_with("WARC-Type:")).count(),
            1
        );
    }
}
