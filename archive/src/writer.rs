//! Appending captures to WARC files.
//!
//! A capture is written as one group (request, response, metadata), each record its own frame,
//! with a single `write_all` and an `fdatasync` before the caller is told where it landed. The
//! caller indexes the group only after that, so an index row never points at bytes that are
//! not on disk. Files are written under a `.open` name and renamed when closed, so a file
//! without `.open` is complete (Heritrix and warcprox do the same).
//!
//! A recrawl whose payload is the one already archived is written as a `revisit` record
//! (WARC 1.1 §6.7.2): the response head as received, no body, and a pointer to the response
//! record that holds the body, so replay tools serve the original. The writer checks the
//! digests itself: a body is left out only when its digest equals the original's.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::custody::chain;
use crate::digest::{sha256_label, Sha256};
use crate::files::next_serial;
use crate::frames::Compression;
use crate::http::HttpMessage;
use crate::record::{new_record_id, warc_fields, RecordType, WarcRecord};
pub use crate::revisit::{revisit_profile, IDENTICAL_PAYLOAD_DIGEST, SERVER_NOT_MODIFIED};

/// Where and how WARC files are written.
#[derive(Clone, Debug)]
pub struct WriterConfig {
    /// Directory of the WARC files.
    pub dir: PathBuf,
    /// File name prefix.
    pub prefix: String,
    /// This machine's name, used in file names and the warcinfo.
    pub hostname: String,
    /// Per-record compression.
    pub compression: Compression,
    /// Rotate once a file would grow past this many bytes.
    pub max_file_size: u64,
    /// Extra `name: value` lines for every warcinfo (operator, robots policy, user agent…).
    pub warcinfo: Vec<(String, String)>,
    /// Write a chain checkpoint record after this many records (0: only at rotation).
    pub checkpoint_every: u64,
    /// Fingerprint of the node key, named in checkpoint records.
    pub node_fingerprint: Option<String>,
}

/// One HTTP exchange as the fetcher saw it, ready to archive.
#[derive(Clone, Debug, Default)]
pub struct Exchange {
    /// The URL fetched.
    pub target_uri: String,
    /// When the capture began; shared by all its records.
    pub date: DateTime<Utc>,
    /// Peer address for direct fetches; `None` through Tor (never guessed).
    pub ip_address: Option<String>,
    /// WARC-Protocol values (`h2`, `http/1.1`, `tls/1.3`).
    pub protocols: Vec<String>,
    /// Negotiated TLS cipher suite (IANA name).
    pub cipher_suite: Option<String>,
    /// The request bytes as sent.
    pub request: Vec<u8>,
    /// The response bytes as received (possibly cut short).
    pub response: Vec<u8>,
    /// `WARC-Truncated` reason when the response was cut short (`length`, `time`).
    pub truncated: Option<String>,
    /// Fields of the capture's metadata record.
    pub metadata: Vec<(String, String)>,
    /// The earlier capture of the same URL this one may be a revisit of.
    pub previous: Option<Original>,
    /// Write a payload identical to `previous`'s in full anyway, not as a revisit (the
    /// operator turned `recrawl.dedup` off). A 304 answering a conditional request is a
    /// revisit regardless: it has no body of its own.
    pub keep_duplicates: bool,
    /// [`response_facts`] of `response`, when the caller has them already (they hash the
    /// whole payload: done once per capture, not once per use).
    pub facts: Option<ResponseFacts>,
}

/// A response record that holds a payload, as a revisit refers to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Original {
    /// Its WARC-Record-ID.
    pub record_id: String,
    /// Its WARC-Target-URI.
    pub target_uri: String,
    /// Its WARC-Date, as written there.
    pub date: String,
    /// Its WARC-Payload-Digest.
    pub payload_digest: String,
}

/// Why a capture was written as a revisit, and of what.
#[derive(Clone, Debug)]
pub struct RevisitFacts {
    /// WARC-Profile.
    pub profile: &'static str,
    /// The record holding the payload.
    pub refers_to: String,
}

/// Where one record landed.
#[derive(Clone, Debug)]
pub struct StoredRecord {
    /// File name (the final name, without `.open`).
    pub file: String,
    /// Offset of the compressed frame.
    pub offset: u64,
    /// Length of the compressed frame.
    pub length: u64,
    /// WARC-Record-ID.
    pub record_id: String,
    /// WARC-Type.
    pub warc_type: RecordType,
    /// sha256 of the uncompressed record bytes.
    pub record_digest: String,
    /// sha256 of the compressed frame as stored (CDXJ `recordDigest`, as cdxj-indexer -d).
    pub frame_digest: String,
    /// Position in the archive's append order (1 for the first record ever).
    pub seq: u64,
    /// The hash chain after this record (see [`crate::custody::chain`]).
    pub chain: String,
}

/// What the index needs to know about an archived response.
#[derive(Clone, Debug)]
pub struct ResponseFacts {
    /// HTTP status, 0 when the block is not a parseable response.
    pub status: u16,
    /// Media type without parameters.
    pub mime: Option<String>,
    /// WARC-Payload-Digest.
    pub payload_digest: Option<String>,
    /// The `ETag` header (a validator for conditional recrawls).
    pub etag: Option<String>,
    /// The `Last-Modified` header (likewise).
    pub last_modified: Option<String>,
    /// The `Location` header (where a redirect points).
    pub location: Option<String>,
    /// The `Retry-After` header (when a 429 or 503 says to come back).
    pub retry_after: Option<String>,
    /// Length of the response head (status line and headers) within the block.
    pub head_len: usize,
    /// Length of the payload.
    pub payload_len: usize,
}

/// Every record written for one exchange.
#[derive(Clone, Debug)]
pub struct StoredExchange {
    /// The capture's records (request, response or revisit, metadata), in file order.
    pub records: Vec<StoredRecord>,
    /// Records written with it that belong to no capture: a new file's warcinfo, chain
    /// checkpoints. They are indexed with the capture.
    pub extra: Vec<StoredRecord>,
    /// Index of the response record in `records`.
    pub response: usize,
    /// Derived from the response block.
    pub facts: ResponseFacts,
    /// WARC-Date shared by the group.
    pub date: DateTime<Utc>,
    /// WARC-Truncated of the response, if any.
    pub truncated: Option<String>,
    /// Set when the response was written as a revisit record.
    pub revisit: Option<RevisitFacts>,
}

impl StoredExchange {
    /// The response record (or the revisit written in its place).
    pub fn response_record(&self) -> &StoredRecord {
        &self.records[self.response]
    }
}

struct OpenFile {
    file: File,
    name: String,
    size: u64,
    warcinfo_id: String,
    /// The warcinfo record until the first group (which indexes it) is written.
    warcinfo: Option<StoredRecord>,
}

/// Appends exchanges to rotating WARC files. Not thread-safe: share it behind a mutex.
///
/// The writer counts, per file, the records written but not yet reported indexed
/// ([`WarcWriter::indexed`]). A file is renamed to its final name only when that count is
/// zero; otherwise it stays `.open`, and crash recovery on the next start indexes what it
/// holds. So a closed file never holds a record the index lacks.
///
/// Every record written extends the archive's hash chain; the writer must be told where
/// the chain stands ([`WarcWriter::set_chain`]) before its first write.
pub struct WarcWriter {
    cfg: WriterConfig,
    current: Option<OpenFile>,
    /// Records awaiting their index rows, per file.
    pending: HashMap<String, usize>,
    /// Files rotated out that are renamed once their pending count reaches zero.
    retiring: Vec<String>,
    /// Every file this writer created, in order.
    files: Vec<String>,
    /// Files renamed closed and not yet reported by [`WarcWriter::take_closed`].
    closed: Vec<String>,
    /// Records written outside a group (a rotation checkpoint) that ride with the next one.
    carry: Vec<StoredRecord>,
    /// The last record's position and the chain after it.
    seq: u64,
    chain: [u8; 32],
    /// Group commit: exchanges appended so far, how many of them are known on disk, and
    /// ranges whose fsync failed (their durability is unknown).
    appended: u64,
    durable: u64,
    failed: Vec<(u64, u64)>,
    /// Held by whoever is fsyncing for the group ([`WarcWriter::make_durable`]).
    syncing: Arc<Mutex<()>>,
}

/// An exchange appended but perhaps not yet on disk; see [`WarcWriter::make_durable`].
#[derive(Clone, Copy, Debug)]
pub struct Ticket(u64);

/// The facts derived from a response block; used when writing and when re-indexing.
pub fn response_facts(block: &[u8]) -> ResponseFacts {
    response_facts_of(HttpMessage::parse_response(block).as_ref().ok())
}

/// The facts of a response already parsed (`None`: the block is no HTTP response), so that
/// a caller that parses the response for its own needs does not parse it twice.
pub fn response_facts_of(msg: Option<&HttpMessage>) -> ResponseFacts {
    match msg {
        Some(msg) => ResponseFacts {
            status: msg.status.unwrap_or(0),
            mime: msg.mime(),
            payload_digest: Some(sha256_label(&msg.payload)),
            etag: msg.header("etag").map(str::to_string),
            last_modified: msg.header("last-modified").map(str::to_string),
            location: msg.header("location").map(str::to_string),
            retry_after: msg.header("retry-after").map(str::to_string),
            head_len: msg.body_offset,
            payload_len: msg.payload.len(),
        },
        None => ResponseFacts {
            status: 0,
            mime: None,
            payload_digest: None,
            etag: None,
            last_modified: None,
            location: None,
            retry_after: None,
            head_len: 0,
            payload_len: 0,
        },
    }
}

/// The facts of a revisit record: those of its head, and the payload digest it declares.
pub fn revisit_facts(block: &[u8], declared_payload_digest: Option<&str>) -> ResponseFacts {
    let mut facts = response_facts(block);
    facts.payload_digest = declared_payload_digest.map(crate::digest::normalise);
    facts.payload_len = 0;
    facts
}

impl WarcWriter {
    /// A writer; no file is created until the first exchange.
    pub fn new(cfg: WriterConfig) -> io::Result<WarcWriter> {
        fs::create_dir_all(&cfg.dir)?;
        Ok(WarcWriter {
            cfg,
            current: None,
            pending: HashMap::new(),
            retiring: Vec::new(),
            files: Vec::new(),
            closed: Vec::new(),
            carry: Vec::new(),
            seq: 0,
            chain: chain::GENESIS,
            appended: 0,
            durable: 0,
            failed: Vec::new(),
            syncing: Arc::new(Mutex::new(())),
        })
    }

    /// Where the archive's chain stands: the last record's position and the value after it.
    pub fn set_chain(&mut self, seq: u64, value: [u8; 32]) {
        self.seq = seq;
        self.chain = value;
    }

    /// Files renamed closed since the last call (to be sealed).
    pub fn take_closed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.closed)
    }

    /// Writes a chain checkpoint into the current file now (before a shutdown). The
    /// returned record must be indexed and reported with [`WarcWriter::indexed_records`].
    pub fn checkpoint(&mut self) -> io::Result<Option<StoredRecord>> {
        if self.current.is_none() {
            return Ok(None);
        }
        self.write_checkpoint().map(Some)
    }

    /// Appends a record about the archive itself (a repair record, say) to the current
    /// file, opening one if none is, fsynced. `make` builds the record from its ID and date.
    /// Returns every record to index, in order (the new file's warcinfo first when one was
    /// opened for it); report them with [`WarcWriter::indexed_records`] once indexed.
    pub fn append_note(
        &mut self,
        make: impl FnOnce(&str, &chrono::DateTime<Utc>) -> Vec<u8>,
    ) -> io::Result<Vec<StoredRecord>> {
        let now = Utc::now();
        if self.current.is_none() {
            self.open_file(&now)?;
        }
        let id = new_record_id();
        let raw = make(&id, &now);
        let frame = self.cfg.compression.compress(&raw)?;
        let mut out = self.appender();
        let rec = out.push(&id, RecordType::Metadata, &raw, &frame);
        self.land(out, true)?;
        let mut all: Vec<StoredRecord> = std::mem::take(&mut self.carry);
        all.extend(self.current.as_mut().and_then(|c| c.warcinfo.take()));
        all.push(rec);
        Ok(all)
    }

    /// Writes a checkpoint record to the current file, fsynced, counted as pending.
    fn write_checkpoint(&mut self) -> io::Result<StoredRecord> {
        let mut out = self.appender();
        let rec = out.checkpoint(&self.cfg)?;
        self.land(out, true)?;
        Ok(rec)
    }

    /// Lays records out after the current file's end, continuing the chain.
    fn appender(&self) -> Appender {
        let cur = self.current.as_ref().expect("a file is open");
        Appender {
            file: cur.name.clone(),
            offset: cur.size,
            seq: self.seq,
            chain: self.chain,
            buf: Vec::new(),
            records: 0,
        }
    }

    /// Writes what `out` laid out to the current file and fsyncs it; only then do the file
    /// size, the chain and the pending count move on. On failure the file is cut back to its
    /// last whole record, or, if even that fails, left `.open` for repair and a new file
    /// started: never append after a failed write.
    /// `sync`: fsync now; otherwise the caller makes it durable later with
    /// [`WarcWriter::make_durable`] (and nothing may be indexed before that).
    fn land(&mut self, out: Appender, sync: bool) -> io::Result<()> {
        let cur = self.current.as_mut().expect("a file is open");
        if let Err(e) =
            cur.file
                .write_all(&out.buf)
                .and_then(|_| if sync { cur.file.sync_data() } else { Ok(()) })
        {
            let rolled_back = cur.file.set_len(cur.size).and_then(|_| cur.file.sync_all());
            if rolled_back.is_err() {
                tracing::error!(file = %cur.name, "cannot roll back a failed write; the file is left .open for repair");
                self.current = None;
            }
            return Err(e);
        }
        cur.size = out.offset;
        self.seq = out.seq;
        self.chain = out.chain;
        *self.pending.entry(out.file).or_insert(0) += out.records;
        if sync {
            // Every earlier file was fsynced when it was retired.
            self.durable = self.appended;
        }
        Ok(())
    }

    /// Returns once the exchange behind `ticket` is on disk (or says it may not be).
    ///
    /// Group commit: one fsync covers every exchange appended before it began, whichever
    /// thread appended it. The writer's lock is held only to read where the file stands,
    /// never during the fsync, so other fetches go on appending meanwhile; an fsync costs
    /// about as much as archiving a whole page, so one per page would cap a crawl at a few
    /// hundred pages a second. If the fsync fails, every exchange it covered gets the error
    /// and the file is left `.open` for the next start to repair and index.
    pub fn make_durable(writer: &Mutex<WarcWriter>, ticket: Ticket) -> io::Result<()> {
        let syncing = writer.lock().expect("writer lock").syncing.clone();
        let _one_at_a_time = syncing.lock().expect("sync lock");
        let (target, handle) = {
            let w = writer.lock().expect("writer lock");
            if let Some(known) = w.durability(ticket) {
                return known;
            }
            (w.appended, w.current.as_ref().map(|c| c.file.try_clone()))
        };
        let result = match handle {
            Some(Ok(file)) => file.sync_data(),
            Some(Err(e)) => Err(e),
            None => Ok(()),
        };
        let mut w = writer.lock().expect("writer lock");
        match &result {
            Ok(()) => w.durable = w.durable.max(target),
            Err(e) => {
                let from = w.durable + 1;
                w.failed.push((from, target));
                if let Some(cur) = w.current.take() {
                    tracing::error!(file = %cur.name, "fsync failed ({e}); the file is left .open for repair");
                }
            }
        }
        w.durability(ticket).unwrap_or(result)
    }

    fn durability(&self, ticket: Ticket) -> Option<io::Result<()>> {
        if self
            .failed
            .iter()
            .any(|(a, b)| (*a..=*b).contains(&ticket.0))
        {
            return Some(Err(io::Error::other(
                "fsync of the WARC file failed: this capture may not be on disk",
            )));
        }
        (ticket.0 <= self.durable).then_some(Ok(()))
    }

    /// Every file this writer created, in order (final names).
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Replaces the extra warcinfo lines; they apply from the next file on.
    pub fn set_warcinfo(&mut self, fields: Vec<(String, String)>) {
        self.cfg.warcinfo = fields;
    }

    /// Reports that an exchange's records are now indexed. A file waiting to be closed is
    /// closed when its last record is indexed.
    pub fn indexed(&mut self, stored: &StoredExchange) -> io::Result<()> {
        self.indexed_records(stored.records.iter().chain(&stored.extra))
    }

    /// Reports that these records are now indexed.
    pub fn indexed_records<'r>(
        &mut self,
        records: impl IntoIterator<Item = &'r StoredRecord>,
    ) -> io::Result<()> {
        for r in records {
            let Some(n) = self.pending.get_mut(&r.file) else {
                continue;
            };
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.pending.remove(&r.file);
                if let Some(i) = self.retiring.iter().position(|f| *f == r.file) {
                    self.retiring.remove(i);
                    self.rename_closed(&r.file)?;
                }
            }
        }
        Ok(())
    }

    fn rename_closed(&mut self, name: &str) -> io::Result<PathBuf> {
        let from = self.cfg.dir.join(format!("{name}.open"));
        let to = self.cfg.dir.join(name);
        fs::rename(&from, &to)?;
        File::open(&self.cfg.dir)?.sync_all()?;
        self.closed.push(name.to_string());
        Ok(to)
    }

    /// Archives one exchange durably (fsynced) and says where each record went.
    pub fn write_exchange(&mut self, ex: &Exchange) -> io::Result<StoredExchange> {
        let (stored, _) = self.append_exchange(ex)?;
        if let Some(cur) = &self.current {
            cur.file.sync_data()?;
        }
        self.durable = self.appended;
        Ok(stored)
    }

    /// Appends one exchange and says where each record went. It is on disk only once
    /// [`WarcWriter::make_durable`] returns for the ticket; index it only then.
    pub fn append_exchange<'a>(
        &mut self,
        ex: &'a Exchange,
    ) -> io::Result<(StoredExchange, Ticket)> {
        let mut facts = ex
            .facts
            .clone()
            .unwrap_or_else(|| response_facts(&ex.response));
        let profile = revisit_profile(ex, &facts);
        if profile == Some(SERVER_NOT_MODIFIED) {
            // A 304 has no payload of its own; the body is the original's.
            facts.payload_digest = None;
        }
        let response_id = new_record_id();
        let request_id = new_record_id();
        let metadata_id = new_record_id();

        // The file's warcinfo is named once per group, on the response (or revisit); request
        // and metadata records reach it through WARC-Concurrent-To. Small records are mostly
        // header, and every byte of them is paid again on each recrawl.
        let with_common = |r: WarcRecord<'a>, warcinfo_id: Option<&str>| -> WarcRecord<'a> {
            let r = r.field("WARC-Target-URI", ex.target_uri.as_str());
            match warcinfo_id {
                Some(id) => r.field("WARC-Warcinfo-ID", id),
                None => r,
            }
        };
        let frames_for = |warcinfo_id: &str| -> io::Result<Vec<(String, RecordType, Vec<u8>)>> {
            let mut req = with_common(
                WarcRecord::new(
                    RecordType::Request,
                    &request_id,
                    &ex.date,
                    ex.request.as_slice(),
                ),
                None,
            )
            .field("WARC-Concurrent-To", response_id.as_str())
            .field("Content-Type", "application/http;msgtype=request");
            let mut resp = match (profile, &ex.previous) {
                (Some(profile), Some(original)) => {
                    // Identical payload: the head only. Not modified: the whole 304 (a head).
                    let block = if profile == IDENTICAL_PAYLOAD_DIGEST {
                        &ex.response[..facts.head_len]
                    } else {
                        ex.response.as_slice()
                    };
                    let r = with_common(
                        WarcRecord::new(RecordType::Revisit, &response_id, &ex.date, block),
                        Some(warcinfo_id),
                    )
                    .field("WARC-Profile", profile)
                    .field("WARC-Refers-To", original.record_id.as_str())
                    .field("WARC-Refers-To-Target-URI", original.target_uri.as_str())
                    .field("WARC-Refers-To-Date", original.date.as_str());
                    if profile == IDENTICAL_PAYLOAD_DIGEST {
                        r.field("WARC-Truncated", "length")
                    } else {
                        r
                    }
                }
                _ => with_common(
                    WarcRecord::new(
                        RecordType::Response,
                        &response_id,
                        &ex.date,
                        ex.response.as_slice(),
                    ),
                    Some(warcinfo_id),
                ),
            }
            .field("Content-Type", "application/http;msgtype=response");
            if let Some(ip) = &ex.ip_address {
                req = req.field("WARC-IP-Address", ip.as_str());
                resp = resp.field("WARC-IP-Address", ip.as_str());
            }
            for p in &ex.protocols {
                req = req.field("WARC-Protocol", p.as_str());
                resp = resp.field("WARC-Protocol", p.as_str());
            }
            if let Some(c) = &ex.cipher_suite {
                req = req.field("WARC-Cipher-Suite", c.as_str());
                resp = resp.field("WARC-Cipher-Suite", c.as_str());
            }
            if let Some(d) = &facts.payload_digest {
                resp = resp.field("WARC-Payload-Digest", d.as_str());
            }
            if let (Some(t), false) = (&ex.truncated, profile == Some(IDENTICAL_PAYLOAD_DIGEST)) {
                resp = resp.field("WARC-Truncated", t.as_str());
            }
            let meta = with_common(
                WarcRecord::new(
                    RecordType::Metadata,
                    &metadata_id,
                    &ex.date,
                    warc_fields(&ex.metadata),
                ),
                None,
            )
            .field("WARC-Concurrent-To", response_id.as_str())
            .field("Content-Type", "application/warc-fields");
            Ok(vec![
                (request_id.clone(), RecordType::Request, req.to_bytes()),
                (
                    response_id.clone(),
                    if profile.is_some() {
                        RecordType::Revisit
                    } else {
                        RecordType::Response
                    },
                    resp.to_bytes(),
                ),
                (metadata_id.clone(), RecordType::Metadata, meta.to_bytes()),
            ])
        };

        // Compress first to know the group's size, then decide about rotation.
        if self.current.is_none() {
            self.open_file(&ex.date)?;
        }
        let mut group = frames_for(&self.current.as_ref().expect("open").warcinfo_id)?;
        let mut compressed = self.compress_all(&group)?;
        let group_size: u64 = compressed.iter().map(|c| c.len() as u64).sum();
        let cur = self.current.as_ref().expect("open");
        if cur.size + group_size > self.cfg.max_file_size && cur.warcinfo.is_none() {
            // The old file ends with the chain head, then a new one begins.
            let checkpoint = self.write_checkpoint()?;
            self.carry.push(checkpoint);
            self.retire_current()?;
            self.open_file(&ex.date)?;
            group = frames_for(&self.current.as_ref().expect("open").warcinfo_id)?;
            compressed = self.compress_all(&group)?;
        }

        let every = self.cfg.checkpoint_every;
        let mut out = self.appender();
        let records: Vec<StoredRecord> = group
            .iter()
            .zip(&compressed)
            .map(|((id, kind, raw), frame)| out.push(id, *kind, raw, frame))
            .collect();
        // Every `checkpoint_every` records, the running chain head goes into the file.
        let mut extra = Vec::new();
        if every > 0 && out.seq / every != self.seq / every {
            extra.push(out.checkpoint(&self.cfg)?);
        }
        self.land(out, false)?;
        self.appended += 1;
        let ticket = Ticket(self.appended);
        let cur = self.current.as_mut().expect("open");
        let mut extras: Vec<StoredRecord> = std::mem::take(&mut self.carry);
        extras.extend(cur.warcinfo.take());
        extras.extend(extra);
        let response = records
            .iter()
            .position(|r| r.record_id == response_id)
            .expect("group has a response");
        let revisit = match (profile, &ex.previous) {
            (Some(profile), Some(original)) => Some(RevisitFacts {
                profile,
                refers_to: original.record_id.clone(),
            }),
            _ => None,
        };
        let stored = StoredExchange {
            records,
            extra: extras,
            response,
            facts,
            date: ex.date,
            truncated: if revisit.is_some() {
                None
            } else {
                ex.truncated.clone()
            },
            revisit,
        };
        Ok((stored, ticket))
    }

    fn compress_all(&self, group: &[(String, RecordType, Vec<u8>)]) -> io::Result<Vec<Vec<u8>>> {
        group
            .iter()
            .map(|(_, _, raw)| self.cfg.compression.compress(raw))
            .collect()
    }

    /// Opens the next file and writes its warcinfo, which waits to be indexed with the
    /// file's first group.
    fn open_file(&mut self, date: &DateTime<Utc>) -> io::Result<()> {
        let serial = next_serial(&self.cfg.dir)?;
        let name = format!(
            "{}-{}-{:05}-{}.{}",
            self.cfg.prefix,
            date.format("%Y%m%d%H%M%S%3f"),
            serial,
            self.cfg.hostname,
            self.cfg.compression.extension()
        );
        let path = self.cfg.dir.join(format!("{name}.open"));
        let mut file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)?;
        let warcinfo_id = new_record_id();
        let mut info =
            vec![
            ("software".to_string(), format!("nightjar/{}", env!("CARGO_PKG_VERSION"))),
            ("format".to_string(), "WARC File Format 1.1".to_string()),
            (
                "conformsTo".to_string(),
                "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
                    .to_string(),
            ),
            ("hostname".to_string(), self.cfg.hostname.clone()),
        ];
        if let Some(f) = &self.cfg.node_fingerprint {
            info.push(("node-key".to_string(), f.clone()));
        }
        info.extend(self.cfg.warcinfo.iter().cloned());
        let rec = WarcRecord::new(
            RecordType::Warcinfo,
            &warcinfo_id,
            &Utc::now(),
            warc_fields(&info),
        )
        .field("WARC-Filename", name.as_str())
        .field("Content-Type", "application/warc-fields");
        let raw = rec.to_bytes();
        let frame = self.cfg.compression.compress(&raw)?;
        file.write_all(&frame)?;
        file.sync_data()?;
        // Make the new directory entry durable too.
        File::open(&self.cfg.dir)?.sync_all()?;
        let digest = Sha256::of(&raw);
        self.chain = chain::extend(&self.chain, &digest);
        self.seq += 1;
        let warcinfo = StoredRecord {
            file: name.clone(),
            offset: 0,
            length: frame.len() as u64,
            record_id: warcinfo_id.clone(),
            warc_type: RecordType::Warcinfo,
            record_digest: digest.to_string(),
            frame_digest: sha256_label(&frame),
            seq: self.seq,
            chain: chain::label(&self.chain),
        };
        self.pending.insert(name.clone(), 1);
        self.files.push(name.clone());
        self.current = Some(OpenFile {
            file,
            name,
            size: frame.len() as u64,
            warcinfo_id,
            warcinfo: Some(warcinfo),
        });
        Ok(())
    }

    /// Takes the current file out of use: fsynced, and renamed now if everything in it is
    /// indexed, else when its last group is.
    fn retire_current(&mut self) -> io::Result<Option<PathBuf>> {
        let Some(cur) = self.current.take() else {
            return Ok(None);
        };
        if let Err(e) = cur.file.sync_all() {
            let from = self.durable + 1;
            self.failed.push((from, self.appended));
            return Err(e);
        }
        self.durable = self.appended;
        drop(cur.file);
        if self.pending.contains_key(&cur.name) {
            self.retiring.push(cur.name);
            return Ok(None);
        }
        self.rename_closed(&cur.name).map(Some)
    }

    /// Closes the current file. Files still holding unindexed records stay `.open` (the
    /// next start indexes them); their names are returned as the second value.
    pub fn close(&mut self) -> io::Result<(Option<PathBuf>, Vec<String>)> {
        let closed = self.retire_current()?;
        if !self.retiring.is_empty() {
            tracing::warn!(
                files = ?self.retiring,
                "WARC files with records not yet indexed are left .open; the next start indexes them"
            );
        }
        Ok((closed, self.retiring.clone()))
    }
}

impl Drop for WarcWriter {
    fn drop(&mut self) {
        if let Err(e) = self.close() {
            tracing::error!("could not close the open WARC file: {e}");
        }
    }
}

/// Lays records out one after another in a file, extending the chain as it goes; nothing
/// is written until [`WarcWriter::land`].
struct Appender {
    file: String,
    offset: u64,
    seq: u64,
    chain: [u8; 32],
    buf: Vec<u8>,
    records: usize,
}

impl Appender {
    /// Appends a checkpoint record stating the chain head so far.
    fn checkpoint(&mut self, cfg: &WriterConfig) -> io::Result<StoredRecord> {
        let id = new_record_id();
        let raw = chain::checkpoint_record(
            &id,
            &Utc::now(),
            self.seq,
            &self.chain,
            cfg.node_fingerprint.as_deref(),
        );
        let frame = cfg.compression.compress(&raw)?;
        Ok(self.push(&id, RecordType::Metadata, &raw, &frame))
    }

    fn push(&mut self, id: &str, kind: RecordType, raw: &[u8], frame: &[u8]) -> StoredRecord {
        let digest = Sha256::of(raw);
        self.chain = chain::extend(&self.chain, &digest);
        self.seq += 1;
        let r = StoredRecord {
            file: self.file.clone(),
            offset: self.offset,
            length: frame.len() as u64,
            record_id: id.to_string(),
            warc_type: kind,
            record_digest: digest.to_string(),
            frame_digest: sha256_label(frame),
            seq: self.seq,
            chain: chain::label(&self.chain),
        };
        self.offset += frame.len() as u64;
        self.buf.extend_from_slice(frame);
        self.records += 1;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::locate;
    use crate::frames::{read_frame_at, FrameWalker};
    use crate::record::ParsedRecord;
    use std::path::Path;

    fn cfg(dir: &Path, max: u64) -> WriterConfig {
        WriterConfig {
            dir: dir.to_path_buf(),
            prefix: "test".into(),
            hostname: "box".into(),
            compression: Compression::default(),
            max_file_size: max,
            warcinfo: vec![("operator".into(), "tests".into())],
            checkpoint_every: 0,
            node_fingerprint: None,
        }
    }

    fn exchange(body: &[u8]) -> Exchange {
        let mut response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        Exchange {
            target_uri: "http://example.com/big".into(),
            date: Utc::now(),
            request: b"GET /big HTTP/1.1\r\nHost: example.com\r\n\r\n".to_vec(),
            response,
            protocols: vec!["http/1.1".into()],
            metadata: vec![("via".into(), "direct".into())],
            ..Default::default()
        }
    }

    #[test]
    fn concurrent_appends_share_fsyncs_and_all_land_whole_and_in_chain_order() {
        let dir = tempfile::tempdir().unwrap();
        // Small files, so that groups also cross rotations while others wait for an fsync.
        let w = Arc::new(Mutex::new(
            WarcWriter::new(cfg(dir.path(), 64 * 1024)).unwrap(),
        ));
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let w = w.clone();
                std::thread::spawn(move || {
                    let mut out = Vec::new();
                    for i in 0..25u32 {
                        let body = format!("thread {t} page {i} ").repeat(200);
                        let (stored, ticket) = w
                            .lock()
                            .unwrap()
                            .append_exchange(&exchange(body.as_bytes()))
                            .unwrap();
                        WarcWriter::make_durable(&w, ticket).unwrap();
                        // Durable means: every record of the group reads back from disk now.
                        for r in &stored.records {
                            let path = locate(&w.lock().unwrap().cfg.dir, &r.file).unwrap();
                            let raw = read_frame_at(&path, r.offset, r.length).unwrap();
                            assert_eq!(sha256_label(&raw), r.record_digest);
                        }
                        out.push(stored);
                    }
                    out
                })
            })
            .collect();
        let stored: Vec<StoredExchange> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        let mut w = w.lock().unwrap();
        assert_eq!(w.appended, 200);
        assert_eq!(w.durable, 200, "every ticket was made durable");
        assert!(w.failed.is_empty());
        // Sequence numbers are unique: the chain was extended once per record.
        let mut seqs: Vec<u64> = stored
            .iter()
            .flat_map(|s| s.records.iter().map(|r| r.seq))
            .collect();
        seqs.sort_unstable();
        seqs.dedup();
        assert_eq!(seqs.len(), 600);
        for s in &stored {
            w.indexed(s).unwrap();
        }
        assert!(w.files().len() > 1, "the test crossed rotations");
    }

    #[test]
    fn ten_mib_body_reads_back_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::new(cfg(dir.path(), 1 << 30)).unwrap();
        let body: Vec<u8> = (0..10 * 1024 * 1024u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let stored = w.write_exchange(&exchange(&body)).unwrap();
        let resp = stored.response_record().clone();
        let path = locate(dir.path(), &resp.file).unwrap();
        assert!(path.to_string_lossy().ends_with(".open"));
        let raw = read_frame_at(&path, resp.offset, resp.length).unwrap();
        assert_eq!(sha256_label(&raw), resp.record_digest);
        let rec = ParsedRecord::parse(&raw).unwrap();
        let msg = HttpMessage::parse_response(&rec.block).unwrap();
        assert!(msg.payload == body, "payload differs");
        assert_eq!(
            rec.get("WARC-Payload-Digest"),
            Some(sha256_label(&body).as_str())
        );
        // Not yet indexed: closing leaves the file `.open` for recovery.
        let (closed, left_open) = w.close().unwrap();
        assert!(closed.is_none());
        assert_eq!(left_open, vec![resp.file.clone()]);
        assert!(path.exists());
        // Indexed: the file gets its final name.
        w.indexed(&stored).unwrap();
        assert!(dir.path().join(&resp.file).exists() && !path.exists());
        let kinds: Vec<String> = FrameWalker::open(&dir.path().join(&resp.file))
            .unwrap()
            .map(|f| {
                ParsedRecord::parse(&f.unwrap().record)
                    .unwrap()
                    .warc_type()
                    .to_string()
            })
            .collect();
        assert_eq!(kinds, ["warcinfo", "request", "response", "metadata"]);
    }

    fn original_of(stored: &StoredExchange, ex: &Exchange) -> Original {
        Original {
            record_id: stored.response_record().record_id.clone(),
            target_uri: ex.target_uri.clone(),
            date: crate::record::warc_date(&ex.date),
            payload_digest: stored.facts.payload_digest.clone().unwrap(),
        }
    }

    #[test]
    fn a_body_is_left_out_only_when_its_digest_equals_the_originals() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::new(cfg(dir.path(), 1 << 30)).unwrap();
        let first = exchange(b"same body");
        let s1 = w.write_exchange(&first).unwrap();
        let original = original_of(&s1, &first);

        let mut again = exchange(b"same body");
        again.previous = Some(original.clone());
        let s2 = w.write_exchange(&again).unwrap();
        assert_eq!(s2.response_record().warc_type, RecordType::Revisit);
        let rev = s2.revisit.as_ref().unwrap();
        assert_eq!(
            (rev.profile, rev.refers_to.as_str()),
            (IDENTICAL_PAYLOAD_DIGEST, original.record_id.as_str())
        );
        assert_eq!(s2.facts.payload_digest, s1.facts.payload_digest);

        let mut other = exchange(b"another body");
        other.previous = Some(original.clone());
        let s3 = w.write_exchange(&other).unwrap();
        assert_eq!(s3.response_record().warc_type, RecordType::Response);
        assert!(s3.revisit.is_none());

        // A body cut short is never deduplicated, even with the same digest so far.
        let mut cut = exchange(b"same body");
        cut.previous = Some(original.clone());
        cut.truncated = Some("length".into());
        let s4 = w.write_exchange(&cut).unwrap();
        assert_eq!(s4.response_record().warc_type, RecordType::Response);

        // The revisit read back: the head only, and verify accepts the archive.
        let r = s2.response_record();
        let path = locate(dir.path(), &r.file).unwrap();
        let raw = read_frame_at(&path, r.offset, r.length).unwrap();
        let rec = ParsedRecord::parse(&raw).unwrap();
        assert!(rec.block.ends_with(b"\r\n\r\n") && !rec.block.ends_with(b"same body"));
        assert_eq!(rec.get("WARC-Refers-To"), Some(original.record_id.as_str()));
        assert_eq!(rec.get("WARC-Refers-To-Date"), Some(original.date.as_str()));
        w.close().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let report = rt
            .block_on(crate::verify::verify(dir.path(), None, &Default::default()))
            .unwrap();
        assert!(report.ok(), "{:?}", report.findings);
    }

    #[test]
    fn verify_names_a_revisit_whose_original_is_missing_or_different() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::new(cfg(dir.path(), 1 << 30)).unwrap();
        let first = exchange(b"payload");
        let s1 = w.write_exchange(&first).unwrap();
        let mut ghost = original_of(&s1, &first);
        ghost.record_id = "<urn:uuid:00000000-0000-4000-8000-000000000000>".into();
        let mut a = exchange(b"payload");
        a.previous = Some(ghost);
        w.write_exchange(&a).unwrap();
        let mut wrong_date = original_of(&s1, &first);
        wrong_date.date = "2001-01-01T00:00:00.000Z".into();
        let mut b = exchange(b"payload");
        b.previous = Some(wrong_date);
        w.write_exchange(&b).unwrap();
        w.close().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let report = rt
            .block_on(crate::verify::verify(dir.path(), None, &Default::default()))
            .unwrap();
        let problems: Vec<&str> = report.findings.iter().map(|f| f.problem.as_str()).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains("not in the archive")
                || problems[1].contains("not in the archive"),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("WARC-Refers-To-Date")),
            "{problems:?}"
        );
    }

    #[test]
    fn rotates_at_the_size_limit_and_serials_increase() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::new(cfg(dir.path(), 2000)).unwrap();
        let mut files = std::collections::BTreeSet::new();
        for i in 0..5u8 {
            let body: Vec<u8> = (0..3000u32)
                .map(|j| ((j ^ u32::from(i)).wrapping_mul(2654435761) >> 11) as u8)
                .collect();
            let s = w.write_exchange(&exchange(&body)).unwrap();
            assert!(
                s.extra.iter().any(|r| r.warc_type == RecordType::Warcinfo),
                "each group opens a file here"
            );
            files.insert(s.response_record().file.clone());
            w.indexed(&s).unwrap();
        }
        w.close().unwrap();
        for f in &files {
            assert!(dir.path().join(f).exists(), "{f} is indexed and closed");
        }
        assert_eq!(
            files.len(),
            5,
            "each oversized group opens a new file: {files:?}"
        );
        let serials: Vec<String> = files
            .iter()
            .map(|f| f.split('-').nth(2).unwrap().to_string())
            .collect();
        assert_eq!(serials, ["00001", "00002", "00003", "00004", "00005"]);
    }
}
