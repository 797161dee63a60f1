//! `nightjar-bench index`: capture and change-feed queries at a million captures.
//!
//! Analysts ask an index that only grows two questions most: every capture of a URL
//! (`nightjar captures`) and what changed since a time (`nightjar changes --since`). The
//! issue's target is under 5 ms at the 99th percentile with a million captures, so this
//! builds such an index and times the real query functions on it.
//!
//! The database is a real SQLite file opened as the crawler opens it (WAL,
//! `synchronous = NORMAL`) and laid out by the real migrations. It is filled with
//! multi-row INSERTs (1,000 captures each, 10,000 per transaction) holding, column for
//! column, the rows the crawler's indexing writes for each capture: those of
//! [`index::insert_exchange`] (a `captures` row, three `warc_records` rows) or
//! [`index::insert_error`], and the `changes` row of [`changes::record`], classed by the same
//! rules ([`changes::classify`], fed by [`History::add`]). Calling those functions per capture gives the same
//! tables byte for byte (checked at `--quick` size) but managed only 1,000–2,500 captures/s
//! on a 2-core machine, 7 to 13 minutes for a million; this takes two or three. Like the
//! crawler, it never runs `ANALYZE`.
//!
//! Full-text search is timed on the same index: every capture with a payload of its own
//! (classed new, changed, cosmetic or back) gets a synthetic page text of 120 words drawn
//! from a 20,000-word vocabulary (a third Cyrillic) with a skewed, Zipf-like frequency,
//! stored as the crawler stores it (`capture_text`, zstd) and indexed in `text_search` in
//! its [`archive::search::indexed_form`]. The timed call is [`archive::search::search`]
//! for two words of middling frequency (ranks 50 to 2,000), 50 URLs a page.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use archive::changes::{self, Filter};
use archive::index::{self, index_time};
use archive::record::RecordType;
use archive::writer::{
    ResponseFacts, RevisitFacts, StoredExchange, StoredRecord, IDENTICAL_PAYLOAD_DIGEST,
};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use crate::{ms, round, Rng, Scratch};

#[derive(clap::Args)]
pub struct Args {
    /// Small sizes for a smoke run (20,000 captures of 2,000 URLs, 200 queries).
    #[arg(long)]
    quick: bool,
    /// Captures in the index [default: 1000000, or 20000 with --quick].
    #[arg(long)]
    captures: Option<u64>,
    /// Distinct URLs [default: 100000, or 2000 with --quick].
    #[arg(long)]
    urls: Option<u64>,
    /// Timed queries of each kind [default: 2000, or 200 with --quick].
    #[arg(long)]
    queries: Option<usize>,
    /// Scratch directory for the database, kept afterwards [default: a temporary one].
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Time the queries on the database an earlier run left in --dir (built with the same
    /// --captures and --urls), not on a new one: to compare query changes, or the queries
    /// in a process that has not just written gigabytes.
    #[arg(long, requires = "dir")]
    reuse: bool,
}

/// `nightjar changes --limit` by default. (Without `--class` the command also leaves out
/// `unchanged` and `cosmetic`; that filter made no difference to the timings, so the feed is
/// timed as `changes::feed` with a `since` and a limit only.)
const CLI_LIMIT: i64 = 1000;
/// Captures per transaction while populating.
const BATCH: u64 = 10_000;
/// Capture times span this many days.
const DAYS: i64 = 90;
/// The statements behind the timed calls, for `EXPLAIN QUERY PLAN`: [`index::captures_of`],
/// and what [`changes::feed`] builds for a `since` and a limit.
const CAPTURES_SQL: &str = "SELECT * FROM captures WHERE url = ? ORDER BY captured_at, id";
const FEED_SQL: &str = "SELECT * FROM changes WHERE 1 = 1 AND captured_at >= ? \
    ORDER BY captured_at DESC, capture_id DESC LIMIT ?";
/// The first statement of [`archive::search::search`], for its plan.
const SEARCH_SQL: &str =
    "SELECT rowid FROM text_search WHERE text_search MATCH ? ORDER BY rowid DESC LIMIT 200";
/// Words per synthetic page text.
const PAGE_WORDS: usize = 120;

pub async fn run(args: Args) -> anyhow::Result<Value> {
    let c = args
        .captures
        .unwrap_or(if args.quick { 20_000 } else { 1_000_000 });
    let u = args
        .urls
        .unwrap_or(if args.quick { 2_000 } else { 100_000 });
    let q = args.queries.unwrap_or(if args.quick { 200 } else { 2_000 });
    anyhow::ensure!(
        u > 0 && c >= u && q > 0,
        "need --queries > 0 and --captures >= --urls > 0"
    );
    let scratch = Scratch::new(args.dir)?;
    let path = scratch.path().join("nightjar.db");
    let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let urls = url_list(u);
    let vocab = vocabulary();
    let (texts, populate_per_s) = if args.reuse {
        let db = open(&path).await?;
        let (captures, distinct, texts): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM captures), (SELECT count(DISTINCT url) FROM captures), \
             (SELECT count(*) FROM capture_text)",
        )
        .fetch_one(&db)
        .await?;
        db.close().await;
        anyhow::ensure!(
            captures as u64 == c && distinct as u64 == u,
            "{} holds {captures} captures of {distinct} URLs, not {c} of {u}: build it again \
             without --reuse",
            path.display()
        );
        (texts as u64, None)
    } else {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
        }
        eprintln!("populating {c} captures of {u} URLs");
        let t = Instant::now();
        let db = open(&path).await?;
        archive::schema::migrate(&db::Db::sqlite(db.clone())).await?;
        populate(&db, &urls, c, start).await?;
        let t_text = Instant::now();
        let texts = add_text(&db, &vocab).await?;
        eprintln!(
            "  {texts} page texts indexed in {:.1} s",
            t_text.elapsed().as_secs_f64()
        );
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&db)
            .await?;
        db.close().await;
        let populate_per_s = c as f64 / t.elapsed().as_secs_f64();
        eprintln!(
            "  {:.1} s, {populate_per_s:.0} captures/s",
            t.elapsed().as_secs_f64()
        );
        (texts, Some(round(populate_per_s, 0)))
    };
    let db_bytes = std::fs::metadata(&path)?.len();
    eprintln!("  database: {:.1} MB", db_bytes as f64 / 1e6);

    // Queried through a fresh pool, as `nightjar captures` and `nightjar changes` open it.
    let db = open(&path).await?;
    let pool = &db;
    let store = &db::Db::sqlite(db.clone());
    let mut rng = Rng::new(7);
    let mut since = move || {
        index_time(&(start + chrono::Duration::seconds(rng.below(DAYS as u64 * 86_400) as i64)))
    };
    let mut pick = Rng::new(11);
    let mut words = Rng::new(13);
    let queries = vec![
        bench(pool, "captures URL", CAPTURES_SQL, q, || {
            let (url, _) = &urls[pick.below(u) as usize];
            async move { Ok(index::captures_of(store, url).await?.len()) }
        })
        .await?,
        bench(pool, "changes --since", FEED_SQL, q, || {
            let f = Filter {
                since: Some(since()),
                limit: CLI_LIMIT,
                ..Default::default()
            };
            async move { Ok(changes::feed(store, &f).await?.len()) }
        })
        .await?,
        bench(pool, "search two words", SEARCH_SQL, q, || {
            let pair = format!(
                "{} {}",
                vocab[50 + words.below(1950) as usize],
                vocab[50 + words.below(1950) as usize]
            );
            async move {
                let req = archive::search::SearchRequest {
                    query: pair,
                    limit: 50,
                    ..Default::default()
                };
                Ok(archive::search::search(store, &req).await?.len())
            }
        })
        .await?,
    ];
    db.close().await;
    Ok(json!({
        "captures": c,
        "page_texts": texts,
        "urls": u,
        "db_bytes": db_bytes,
        "populate_per_s": populate_per_s,
        "queries": queries,
    }))
}

/// The pool as `crawler::data::open_db` opens it.
async fn open(path: &std::path::Path) -> anyhow::Result<SqlitePool> {
    let opts = SqliteConnectOptions::from_str("sqlite://")?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(30))
        .row_buffer_size(1024);
    Ok(SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts)
        .await?)
}

/// `n` canonical URLs spread over about 1,000 hosts, with their SURT keys.
fn url_list(n: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(3);
    let sections = ["news", "forum", "market", "vendors", "wiki", "blog"];
    (0..n)
        .map(|i| {
            let raw = format!(
                "http://site{:04}.example/{}/page-{i}.html?ref={}",
                i % 1000,
                rng.pick(&sections),
                rng.below(100)
            );
            let url = frontier::canon::canonicalize(&raw).expect("a valid URL");
            let surt = frontier::canon::surt(&url);
            (url.to_string(), surt)
        })
        .collect()
}

/// The last response holding each URL's payload (what a revisit refers to).
#[derive(Clone)]
struct Original {
    capture_id: i64,
    record_id: String,
    payload_digest: String,
}

/// One capture, queued for the next multi-row INSERTs.
struct Capture {
    id: i64,
    url: usize,
    captured_at: String,
    seed: String,
    /// `None` for a fetch that failed (an `index::insert_error` row).
    stored: Option<StoredExchange>,
    change: Change,
}

/// The `changes` row `changes::record` writes for a capture without page content.
struct Change {
    class: changes::ChangeClass,
    prev_id: Option<i64>,
    base_id: Option<i64>,
    similarity: Option<f64>,
    content_id: Option<i64>,
}

/// What `changes::record` looks up about a URL's earlier captures.
#[derive(Clone, Default)]
struct History {
    /// The last capture: id and status.
    prev: Option<(i64, i64)>,
    /// Status of the last capture that answered (not an error or a 5xx).
    last_answer: Option<i64>,
    /// The last capture that answered with the page: id, status, payload, location.
    base: Option<(i64, i64, Option<String>, Option<String>)>,
    /// The last 200 with a payload of its own (what a revisit points at).
    original: Option<Original>,
}

impl History {
    /// The class `changes::record` gives a capture, by its own rules ([`changes::classify`];
    /// no stored text, so never `cosmetic`), and the history with it added.
    fn add(&mut self, id: i64, s: Option<&StoredExchange>) -> Change {
        let (status, payload, location) = match s {
            Some(s) => (
                i64::from(s.facts.status),
                s.facts.payload_digest.clone(),
                s.facts.location.clone(),
            ),
            None => (0, None, None),
        };
        let observed = |status, payload, location| changes::Observed {
            status,
            payload,
            location,
            text: None,
        };
        let base = self
            .base
            .as_ref()
            .map(|(_, st, p, l)| observed(*st, p.clone(), l.clone()));
        let verdict = changes::classify(
            &observed(status, payload.clone(), location.clone()),
            s.is_some_and(|s| s.revisit.is_some()),
            self.prev.map(|p| p.1),
            self.last_answer,
            base.as_ref(),
        );
        let revisit = s.and_then(|s| s.revisit.as_ref());
        let change = Change {
            class: verdict.class,
            prev_id: self.prev.map(|p| p.0),
            base_id: self.base.as_ref().map(|b| b.0),
            similarity: verdict.similarity,
            content_id: revisit.and(self.original.as_ref().map(|o| o.capture_id)),
        };
        // As `changes::record` looks them up: the last capture that answered (not a
        // failure or a 5xx), and the last that answered with the page (not a 404/410).
        let answered = status != 0 && !(500..=599).contains(&status);
        self.prev = Some((id, status));
        if answered {
            self.last_answer = Some(status);
        }
        if answered && !matches!(status, 404 | 410) {
            self.base = Some((id, status, payload, location));
        }
        change
    }
}

/// Fills the index: the first capture of every URL, then recaptures of random URLs, in
/// time order over `DAYS` days. Of the captures 1% fail, 2% are 404s, 1% redirect, and a
/// 200 repeats its URL's last payload (a revisit) half the time.
async fn populate(
    pool: &SqlitePool,
    urls: &[(String, String)],
    c: u64,
    start: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut rng = Rng::new(5);
    let mut history: Vec<History> = vec![History::default(); urls.len()];
    let step = DAYS * 86_400_000 / c as i64;
    let (mut seq, mut offset) = (0, 0);
    let t = Instant::now();
    // A 2 GB page cache for this connection only (the crawler's is SQLite's default 2 MB):
    // the random keys of the record-ID indexes miss a small one on nearly every insert.
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA cache_size = -2000000")
        .execute(&mut *conn)
        .await?;
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let mut batch = Vec::with_capacity(ROWS);
    for i in 0..c {
        let n = if i < urls.len() as u64 {
            i as usize
        } else {
            rng.below(urls.len() as u64) as usize
        };
        let id = i as i64 + 1;
        let date = start + chrono::Duration::milliseconds(step * i as i64 + rng.below(1000) as i64);
        let stored = (!rng.percent(1)).then(|| {
            // ~40,000 captures fill a 1 GiB file.
            if i % 40_000 == 0 {
                offset = 0;
            }
            let file = format!(
                "nightjar-20250101000000000-{:05}-node.warc.zst",
                1 + i / 40_000
            );
            let h = &mut history[n];
            stored_exchange(
                &mut rng,
                id,
                &mut h.original,
                file,
                &mut offset,
                &mut seq,
                date,
            )
        });
        let change = history[n].add(id, stored.as_ref());
        batch.push(Capture {
            id,
            url: n,
            captured_at: index_time(&date),
            seed: format!("seed{}", n % 1000 / 10),
            stored,
            change,
        });
        if batch.len() == ROWS || i + 1 == c {
            insert(&mut tx, urls, &batch).await?;
            batch.clear();
        }
        if (i + 1) % BATCH == 0 {
            tx.commit().await?;
            tx = sqlx::Connection::begin(&mut *conn).await?;
            if (i + 1) % (BATCH * 10) == 0 {
                let rate = (i + 1) as f64 / t.elapsed().as_secs_f64();
                eprintln!("  {} captures, {rate:.0}/s", i + 1);
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The synthetic vocabulary: 20,000 distinct words built from syllables, every third one
/// Cyrillic, most frequent first.
fn vocabulary() -> Vec<String> {
    let latin = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ber", "dan", "fel", "gor", "hun", "jor",
        "kel", "mar", "nor", "pel", "ros", "tin",
    ];
    let cyrillic = [
        "ка", "ло", "ми", "не", "ру", "са", "то", "ви", "бер", "дан", "фел", "гор", "хун", "йор",
        "кел", "мар", "нор", "пел", "рос", "тин",
    ];
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(20_000);
    let mut rng = Rng::new(17);
    while out.len() < 20_000 {
        let parts = if out.len() % 3 == 2 {
            &cyrillic
        } else {
            &latin
        };
        let n = 2 + rng.below(3) as usize;
        let w: String = (0..n).map(|_| parts[rng.below(20) as usize]).collect();
        if seen.insert(w.clone()) {
            out.push(w);
        }
    }
    out
}

/// A page text of [`PAGE_WORDS`] words in lines of 12, skewed towards the first words of
/// `vocab` (rank r has probability about proportional to r^(-2/3)).
fn page_text(rng: &mut Rng, vocab: &[String]) -> String {
    let mut text = String::with_capacity(PAGE_WORDS * 8);
    for i in 0..PAGE_WORDS {
        let u = (rng.below(1_000_000) as f64 + 0.5) / 1_000_000.0;
        let rank = ((vocab.len() as f64) * u * u * u) as usize;
        text.push_str(&vocab[rank.min(vocab.len() - 1)]);
        text.push(if i % 12 == 11 { '\n' } else { ' ' });
    }
    text
}

/// Gives every capture with a payload of its own a page text, stored and indexed as the
/// crawler does. Returns how many.
async fn add_text(pool: &SqlitePool, vocab: &[String]) -> anyhow::Result<u64> {
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA cache_size = -2000000")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE changes SET content_id = capture_id
         WHERE content_id IS NULL AND class IN ('new', 'changed', 'cosmetic', 'back')",
    )
    .execute(&mut *conn)
    .await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT capture_id FROM changes WHERE content_id = capture_id ORDER BY capture_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut rng = Rng::new(19);
    let empty = zstd::encode_all(&b""[..], 3)?;
    for chunk in ids.chunks(BATCH as usize) {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        for rows in chunk.chunks(500) {
            let texts: Vec<String> = rows.iter().map(|_| page_text(&mut rng, vocab)).collect();
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO capture_text (capture_id, text, links, text_digest, links_digest, simhash) ",
            );
            q.push_values(rows.iter().zip(&texts), |mut b, (id, text)| {
                b.push_bind(*id)
                    .push_bind(zstd::encode_all(text.as_bytes(), 3).unwrap_or_default())
                    .push_bind(empty.clone())
                    .push_bind(archive::digest::sha256_label(text.as_bytes()))
                    .push_bind(archive::digest::sha256_label(b""))
                    .push_bind(archive::changes::simhash(text) as i64);
            });
            q.build().execute(&mut *tx).await?;
            let mut q: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO text_search (rowid, text) ");
            q.push_values(rows.iter().zip(&texts), |mut b, (id, text)| {
                b.push_bind(*id)
                    .push_bind(archive::search::indexed_form(text));
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(ids.len() as u64)
}

/// Captures per multi-row INSERT (3,000 `warc_records` rows of 10 values stay under
/// SQLite's 32,766 bound parameters).
const ROWS: usize = 1000;

/// Inserts a batch of captures: the rows `index::insert_exchange` (or `insert_error`) and
/// `changes::record` would write for each, column for column.
async fn insert(
    conn: &mut SqliteConnection,
    urls: &[(String, String)],
    batch: &[Capture],
) -> Result<(), sqlx::Error> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "INSERT INTO captures (id, url, surt, captured_at, status, mime, payload_digest, \
         record_digest, frame_digest, record_id, file, file_offset, length, truncated, error, \
         error_class, seed, warc_type, refers_to, etag, last_modified, location) ",
    );
    q.push_values(batch, |mut b, c| {
        let (url, surt) = &urls[c.url];
        b.push_bind(c.id).push_bind(url).push_bind(surt);
        b.push_bind(&c.captured_at);
        match &c.stored {
            Some(s) => {
                let (r, f) = (s.response_record(), &s.facts);
                b.push_bind(i64::from(f.status))
                    .push_bind(&f.mime)
                    .push_bind(&f.payload_digest);
                b.push_bind(&r.record_digest)
                    .push_bind(&r.frame_digest)
                    .push_bind(&r.record_id);
                b.push_bind(&r.file)
                    .push_bind(r.offset as i64)
                    .push_bind(r.length as i64);
                b.push_bind(&s.truncated)
                    .push_bind(None::<&str>)
                    .push_bind(None::<&str>);
                b.push_bind(&c.seed).push_bind(r.warc_type);
                b.push_bind(s.revisit.as_ref().map(|v| &v.refers_to));
                b.push_bind(&f.etag)
                    .push_bind(&f.last_modified)
                    .push_bind(&f.location);
            }
            None => {
                b.push_bind(0i64);
                for _ in 0..9 {
                    b.push_bind(None::<&str>);
                }
                b.push_bind("connection timed out").push_bind("transient");
                b.push_bind(&c.seed);
                for _ in 0..5 {
                    b.push_bind(None::<&str>);
                }
            }
        }
    });
    q.build().execute(&mut *conn).await?;

    let records = batch.iter().flat_map(|c| {
        let records = c.stored.iter().flat_map(|s| &s.records);
        records.map(move |r| (r, c.id))
    });
    let mut q = QueryBuilder::<Sqlite>::new(
        "INSERT INTO warc_records (record_id, warc_type, file, file_offset, length, \
         record_digest, frame_digest, capture_id, seq, chain) ",
    );
    q.push_values(records, |mut b, (r, id)| {
        b.push_bind(&r.record_id)
            .push_bind(r.warc_type)
            .push_bind(&r.file);
        b.push_bind(r.offset as i64).push_bind(r.length as i64);
        b.push_bind(&r.record_digest).push_bind(&r.frame_digest);
        b.push_bind(id).push_bind(r.seq as i64).push_bind(&r.chain);
    });
    q.build().execute(&mut *conn).await?;

    let mut q = QueryBuilder::<Sqlite>::new(
        "INSERT INTO changes (capture_id, url, host, seed, captured_at, status, class, \
         prev_id, base_id, similarity, content_id) ",
    );
    q.push_values(batch, |mut b, c| {
        let url = &urls[c.url].0;
        let host = url.split('/').nth(2).unwrap_or_default();
        let status = c.stored.as_ref().map_or(0, |s| i64::from(s.facts.status));
        b.push_bind(c.id)
            .push_bind(url)
            .push_bind(host)
            .push_bind(&c.seed);
        b.push_bind(&c.captured_at)
            .push_bind(status)
            .push_bind(c.change.class);
        b.push_bind(c.change.prev_id).push_bind(c.change.base_id);
        b.push_bind(c.change.similarity)
            .push_bind(c.change.content_id);
    });
    q.build().execute(&mut *conn).await?;
    Ok(())
}

/// A capture as the writer reports it: request, response (or revisit), metadata.
fn stored_exchange(
    rng: &mut Rng,
    id: i64,
    original: &mut Option<Original>,
    file: String,
    offset: &mut u64,
    seq: &mut u64,
    date: DateTime<Utc>,
) -> StoredExchange {
    let roll = rng.below(100);
    let status = match roll {
        0..2 => 404,
        2..3 => 301,
        _ => 200,
    };
    let revisit = status == 200 && original.is_some() && rng.percent(50);
    let mut record = |rng: &mut Rng, kind: RecordType, length: u64| {
        *seq += 1;
        let r = StoredRecord {
            file: file.clone(),
            offset: *offset,
            length,
            record_id: record_id(rng),
            warc_type: kind,
            record_digest: format!("sha256:{}", rng.hex(32)),
            frame_digest: format!("sha256:{}", rng.hex(32)),
            seq: *seq,
            chain: format!("sha256:{}", rng.hex(32)),
        };
        *offset += length;
        r
    };
    let lengths = [
        300 + rng.below(100),
        if revisit {
            600
        } else {
            4_000 + rng.below(8_000)
        },
        800 + rng.below(1_500),
    ];
    let request = record(rng, RecordType::Request, lengths[0]);
    let kind = if revisit {
        RecordType::Revisit
    } else {
        RecordType::Response
    };
    let response = record(rng, kind, lengths[1]);
    let metadata = record(rng, RecordType::Metadata, lengths[2]);
    let payload_digest = match (revisit, original.as_ref()) {
        (true, Some(o)) => o.payload_digest.clone(),
        _ => format!("sha256:{}", rng.hex(32)),
    };
    let refers_to = original.as_ref().map(|o| o.record_id.clone());
    if status == 200 && !revisit {
        *original = Some(Original {
            capture_id: id,
            record_id: response.record_id.clone(),
            payload_digest: payload_digest.clone(),
        });
    }
    StoredExchange {
        records: vec![request, response, metadata],
        extra: Vec::new(),
        response: 1,
        facts: ResponseFacts {
            status,
            mime: Some("text/html".into()),
            payload_digest: Some(payload_digest),
            etag: Some(format!("\"{}\"", rng.hex(8))),
            last_modified: Some(date.format("%a, %d %b %Y %H:%M:%S GMT").to_string()),
            location: (status == 301).then(|| "http://elsewhere.example/".to_string()),
            retry_after: None,
            head_len: 300,
            payload_len: if revisit { 0 } else { 20_000 },
        },
        date,
        truncated: None,
        revisit: revisit.then(|| RevisitFacts {
            profile: IDENTICAL_PAYLOAD_DIGEST,
            refers_to: refers_to.expect("a revisit has an original"),
        }),
    }
}

fn record_id(rng: &mut Rng) -> String {
    let h = rng.hex(16);
    format!(
        "<urn:uuid:{}-{}-4{}-8{}-{}>",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..]
    )
}

/// Times `n` calls of `query` (after `n / 10` untimed ones), which return row counts, and
/// reports their latencies with the plan of `sql`.
async fn bench<F, Fut>(
    pool: &SqlitePool,
    name: &str,
    sql: &str,
    n: usize,
    mut query: F,
) -> anyhow::Result<Value>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    let plan = explain(pool, sql).await?;
    for _ in 0..n / 10 {
        query().await?;
    }
    let mut times = Vec::with_capacity(n);
    let mut rows = 0;
    for _ in 0..n {
        let t = Instant::now();
        rows += query().await?;
        times.push(t.elapsed());
    }
    times.sort();
    let p99 = times[(n * 99).div_ceil(100) - 1];
    let median = if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2
    };
    eprintln!(
        "{name}: median {:.3} ms, p99 {:.3} ms; plan: {plan}",
        ms(median),
        ms(p99)
    );
    Ok(json!({
        "query": name,
        "median_ms": ms(median),
        "p99_ms": ms(p99),
        "max_ms": ms(times[n - 1]),
        "mean_rows": round(rows as f64 / n as f64, 1),
        "plan": plan,
    }))
}

/// SQLite's plan for `sql` (parameters unbound), one step per `; `.
async fn explain(pool: &SqlitePool, sql: &str) -> anyhow::Result<String> {
    let rows: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("; "))
}
