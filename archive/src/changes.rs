//! The change index: how each capture of a URL differs from the one before.
//!
//! Analysts watching a site over months ask "what changed since yesterday", not "what did we
//! fetch". So every capture gets a class relative to the previous capture of its URL when it
//! is indexed, in the same transaction: `new`, `unchanged` (same payload), `changed`,
//! `cosmetic` (the bytes differ but the visible text and the links do not: a rotating token,
//! a clock, a view counter), `gone` (404/410 after it answered), `error` (the fetch failed or
//! the server erred) and `back` (it answers again after being gone or down).
//!
//! For HTML and plain text the visible text and the outgoing links of each distinct payload
//! are kept here, zstd-compressed, with a 64-bit simhash of the text, so that "how much
//! changed" is a number (the share of fingerprint bits that agree) and two captures can be
//! diffed without reading the WARC files. A revisit stores nothing new: it points at the
//! capture whose payload it repeats.

use std::borrow::Cow;
use std::collections::BTreeSet;

use db::{AsConn, Db, Tx};
use serde::Serialize;
use sqlx::FromRow;

use crate::digest::sha256_label;
use crate::index::CaptureRow;
use crate::volatile::Volatility;

/// How a capture differs from the capture of its URL before it. Stored as its lowercase
/// name in `changes.class`; [`ChangeClass::as_str`] and [`FromStr`](std::str::FromStr) are
/// the only conversions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
// A TEXT column on both engines (not a PostgreSQL enum type).
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum ChangeClass {
    /// The first capture that answered with the page.
    New,
    /// The visible text, the links, the status or the redirect target differ.
    Changed,
    /// The bytes differ but the visible text and the links do not.
    Cosmetic,
    /// The same payload (a revisit).
    Unchanged,
    /// 404 or 410 after it answered.
    Gone,
    /// It answers again after being gone or down.
    Back,
    /// The fetch failed or the server erred (5xx).
    Error,
    /// Served while the seed's session was lost (a page for a visitor who is not logged
    /// in): archived, never compared; the URL's next capture is compared with the last one
    /// served logged in.
    #[serde(rename = "logged-out")]
    #[sqlx(rename = "logged-out")]
    LoggedOut,
}

impl ChangeClass {
    /// Every class, in the order `nightjar changes --help` lists them.
    pub const ALL: [ChangeClass; 8] = [
        ChangeClass::New,
        ChangeClass::Changed,
        ChangeClass::Cosmetic,
        ChangeClass::Unchanged,
        ChangeClass::Gone,
        ChangeClass::Back,
        ChangeClass::Error,
        ChangeClass::LoggedOut,
    ];

    /// The classes a change feed shows unless asked for others: what an analyst acts on.
    pub const NOTEWORTHY: [ChangeClass; 5] = [
        ChangeClass::New,
        ChangeClass::Changed,
        ChangeClass::Gone,
        ChangeClass::Back,
        ChangeClass::Error,
    ];

    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeClass::New => "new",
            ChangeClass::Changed => "changed",
            ChangeClass::Cosmetic => "cosmetic",
            ChangeClass::Unchanged => "unchanged",
            ChangeClass::Gone => "gone",
            ChangeClass::Back => "back",
            ChangeClass::Error => "error",
            ChangeClass::LoggedOut => "logged-out",
        }
    }
}

impl From<ChangeClass> for db::Value {
    fn from(v: ChangeClass) -> db::Value {
        v.as_str().into()
    }
}

impl std::fmt::Display for ChangeClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ChangeClass {
    type Err = String;

    fn from_str(s: &str) -> Result<ChangeClass, String> {
        ChangeClass::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ChangeClass::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "'{s}' is not a change class: use one or more of {}",
                    names.join(", ")
                )
            })
    }
}

/// What an analyst reads of a page: its visible text and where it links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageContent {
    /// Visible text, one block per line, whitespace collapsed.
    pub text: String,
    /// Outgoing links, each once, sorted.
    pub links: BTreeSet<String>,
}

impl PageContent {
    /// The 64-bit simhash of the text.
    pub fn simhash(&self) -> u64 {
        simhash(&self.text)
    }

    /// Compresses, digests and fingerprints the content for [`record`]. Done before the
    /// indexing transaction, so that this work does not hold the database's write lock
    /// (which every fetch's indexing waits for).
    ///
    /// `volatility` gives the stable form the comparison uses (see [`crate::volatile`]);
    /// `compared` is the visible text and the links without the elements a seed ignores,
    /// when it ignores some (the stored text and links keep them). The simhash is of the stable form, so
    /// that the similarity of two captures measures what changed, not the clock.
    pub fn prepare(
        &self,
        volatility: &Volatility,
        compared: Option<(&str, &[String])>,
    ) -> std::io::Result<PreparedContent> {
        let links = links_blob(&self.links);
        let stable_text = volatility.text(compared.map_or(&self.text, |c| c.0));
        let stable_links: BTreeSet<String> = match compared {
            Some((_, links)) => links.iter().map(|l| volatility.link(l)).collect(),
            None => self.links.iter().map(|l| volatility.link(l)).collect(),
        };
        let mut stable = stable_text.clone();
        stable.push('\u{0}');
        stable.push_str(&links_blob(&stable_links));
        let stable_links: Vec<String> = stable_links.into_iter().collect();
        Ok(PreparedContent {
            text_z: crate::frames::zstd_frame(self.text.as_bytes(), 3)?,
            links_z: crate::frames::zstd_frame(links.as_bytes(), 3)?,
            text_digest: sha256_label(self.text.as_bytes()),
            links_digest: sha256_label(links.as_bytes()),
            stable_digest: sha256_label(stable.as_bytes()),
            simhash: simhash(&stable_text),
            stable_text,
            stable_links,
            search_form: crate::search::indexed_form(&self.text),
        })
    }
}

/// A page's content ready to be stored ([`PageContent::prepare`]).
#[derive(Clone, Debug)]
pub struct PreparedContent {
    text_z: Vec<u8>,
    links_z: Vec<u8>,
    text_digest: String,
    links_digest: String,
    /// Of the stable form of text and links ([`crate::volatile`]).
    stable_digest: String,
    /// The stable form itself (not stored: for the crawler's link-farm policy).
    stable_text: String,
    stable_links: Vec<String>,
    simhash: u64,
    /// The text as the full-text index takes it ([`crate::search::indexed_form`]).
    search_form: String,
}

impl PreparedContent {
    /// The SHA-256 label of the visible text: the same text, the same digest.
    pub fn text_digest(&self) -> &str {
        &self.text_digest
    }

    /// The SHA-256 label of the stable form of text and links: two captures with the same
    /// differ at most in volatile tokens ([`crate::volatile`]).
    pub fn stable_digest(&self) -> &str {
        &self.stable_digest
    }

    /// The visible text in its stable form ([`crate::volatile`]).
    pub fn stable_text(&self) -> &str {
        &self.stable_text
    }

    /// The links in their stable form, each once.
    pub fn stable_links(&self) -> &[String] {
        &self.stable_links
    }

    /// The fingerprints the classing rules compare ([`classify`]), as they will be stored.
    pub fn print(&self) -> TextPrint {
        TextPrint {
            text_digest: self.text_digest.clone(),
            links_digest: self.links_digest.clone(),
            simhash: self.simhash,
            stable_digest: Some(self.stable_digest.clone()),
        }
    }
}

/// One capture in the change index.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct ChangeRow {
    /// The capture.
    pub capture_id: i64,
    /// Its URL.
    pub url: String,
    /// Its host (`host:port` for non-default ports).
    pub host: String,
    /// The seed it was captured for.
    pub seed: Option<String>,
    /// When (RFC 3339, UTC).
    pub captured_at: String,
    /// HTTP status; 0 when the fetch failed.
    pub status: i64,
    /// Change class.
    pub class: ChangeClass,
    /// The capture of the URL just before this one.
    pub prev_id: Option<i64>,
    /// The last capture that answered, which the content was compared with.
    pub base_id: Option<i64>,
    /// Text similarity with `base_id`, 0 to 1 (1: same fingerprint); none for non-text.
    pub similarity: Option<f64>,
    /// The capture whose stored text stands for this one (itself, or the original it repeats).
    pub content_id: Option<i64>,
}

/// How a capture answered, for classing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Up,
    Gone,
    Down,
}

fn answer(status: i64) -> Answer {
    match status {
        0 | 500..=599 => Answer::Down,
        404 | 410 => Answer::Gone,
        _ => Answer::Up,
    }
}

/// The host part of a URL as the change feed, the entity ledger and search filter it: the
/// host, with its port when that is not the scheme's default.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_default()
}

/// The fingerprints of a capture's stored text.
async fn stored(tx: &mut Tx, id: i64) -> Result<Option<TextPrint>, sqlx::Error> {
    let row: Option<(String, String, i64, Option<String>)> = db::query(
        "SELECT text_digest, links_digest, simhash, stable_digest FROM capture_text
         WHERE capture_id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(
        |(text_digest, links_digest, simhash, stable_digest)| TextPrint {
            text_digest,
            links_digest,
            simhash: simhash as u64,
            stable_digest,
        },
    ))
}

fn links_blob(links: &BTreeSet<String>) -> String {
    links
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

/// What [`record`] decided for a capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// The change class.
    pub class: ChangeClass,
    /// Whether the content differs from the last capture that answered (for a `back`: did
    /// the page come back as it was?). `None` when there is nothing to compare.
    pub moved: Option<bool>,
}

/// What a URL's earlier captures say, looked up once per capture: before the fetch (for
/// the revisit decision and conditional requests) and handed to [`record`] after it.
#[derive(Clone, Debug, Default)]
pub struct Earlier {
    /// The capture just before.
    pub prev: Option<CaptureRow>,
    /// The last capture that answered at all (not a failed fetch, not a 5xx).
    pub last_answer: Option<CaptureRow>,
    /// The last that answered with the page (not a 404 or 410 either): what the content is
    /// compared with.
    pub base: Option<CaptureRow>,
    /// The last archived 2xx: what a new capture with the same payload may be a revisit of.
    pub last_ok: Option<CaptureRow>,
}

/// The SQL form of [`answer`]: not down, up.
const ANSWERED: &str = "status <> 0 AND (status < 500 OR status > 599)";
const UP: &str = "status <> 0 AND (status < 500 OR status > 599) AND status NOT IN (404, 410)";
const OK: &str = "record_id IS NOT NULL AND status BETWEEN 200 AND 299";
/// Captures served while a session was lost are never what another is compared with.
const NOT_LOGGED_OUT: &str =
    "NOT EXISTS (SELECT 1 FROM changes x WHERE x.capture_id = captures.id \
     AND x.class = 'logged-out')";

/// The earlier captures of `url` (before capture `before`, or all of them), in one
/// statement: four index lookups, one round trip.
/// On a transaction (as [`record`] does) or on a plain [`db::Connection`] (before a fetch).
pub async fn earlier(
    on: &mut impl AsConn,
    url: &str,
    before: Option<i64>,
) -> Result<Earlier, sqlx::Error> {
    // Built once: the same text each time also lets sqlx reuse its prepared statement.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let latest = |n: usize, cond: &str| {
            format!(
                "SELECT CAST({n} AS BIGINT) AS which, c.* FROM (SELECT * FROM captures \
                 WHERE url = ?1 AND id < ?2 AND ({cond}) AND {NOT_LOGGED_OUT} \
                 ORDER BY id DESC LIMIT 1) c"
            )
        };
        [
            latest(0, "1 = 1"),
            latest(1, ANSWERED),
            latest(2, UP),
            latest(3, OK),
        ]
        .join(" UNION ALL ")
    });
    /// A capture and which of the four it is.
    #[derive(FromRow)]
    struct Which {
        which: i64,
        #[sqlx(flatten)]
        capture: CaptureRow,
    }
    let rows: Vec<Which> = db::query_owned(SQL.clone())
        .bind(url)
        .bind(before.unwrap_or(i64::MAX))
        .fetch_all(on.conn())
        .await?;
    let mut out = Earlier::default();
    for Which { which, capture } in rows {
        match which {
            0 => out.prev = Some(capture),
            1 => out.last_answer = Some(capture),
            2 => out.base = Some(capture),
            _ => out.last_ok = Some(capture),
        }
    }
    Ok(out)
}

/// Classes capture `capture_id` against the URL's earlier captures and stores the result
/// (and `content`, when the capture has a payload of its own). Call in the transaction that
/// indexed the capture. `known`: the earlier captures as looked up before the fetch; they
/// are used if no capture of the URL was indexed since, else looked up again.
pub async fn record(
    tx: &mut Tx,
    capture_id: i64,
    content: Option<&PreparedContent>,
    known: Option<&Earlier>,
) -> Result<Change, sqlx::Error> {
    let cur = capture_row(tx, capture_id).await?;
    record_row(tx, cur, content, known).await
}

/// [`record`] for a capture whose row the caller holds, as [`crate::index::insert_exchange`]
/// returned it: one statement fewer for each capture a crawl indexes.
pub async fn record_row(
    tx: &mut Tx,
    cur: CaptureRow,
    content: Option<&PreparedContent>,
    known: Option<&Earlier>,
) -> Result<Change, sqlx::Error> {
    let capture_id = cur.id;
    let known = match known {
        // Another seed may have captured the same URL meanwhile.
        Some(k)
            if latest_before(tx, &cur.url, capture_id).await? == k.prev.as_ref().map(|p| p.id) =>
        {
            Some(k)
        }
        _ => None,
    };
    let fresh;
    let Earlier {
        prev,
        last_answer,
        base,
        ..
    } = match known {
        Some(k) => k,
        None => {
            fresh = earlier(tx, &cur.url, Some(capture_id)).await?;
            &fresh
        }
    };

    // The capture holding the payload this one has (a revisit's original), for the content.
    let holder: Option<i64> = match (&cur.refers_to, cur.is_revisit()) {
        (Some(to), true) => response_capture_id(tx, to).await?,
        _ => None,
    };
    let content_id = match (holder, content) {
        (Some(h), _) => Some(h),
        (None, Some(c)) => {
            store_content(tx, capture_id, c).await?;
            Some(capture_id)
        }
        (None, None) => None,
    };

    // Compare with the last capture that answered with the page.
    let observed = |c: &CaptureRow, payload: Option<String>, text: Option<TextPrint>| Observed {
        status: c.status,
        payload,
        location: c.location.clone(),
        text,
    };
    let verdict = match (base, answer(cur.status)) {
        (Some(b), Answer::Up) => {
            let base_content = b_content_id(tx, b).await?;
            let (mine, theirs) = match (content_id, base_content) {
                (Some(a), Some(t)) => (stored(tx, a).await?, stored(tx, t).await?),
                _ => (None, None),
            };
            let cur_payload = effective_payload(tx, &cur).await?;
            let base_payload = effective_payload(tx, b).await?;
            classify(
                &observed(&cur, cur_payload, mine),
                holder.is_some(),
                prev.as_ref().map(|p| p.status),
                last_answer.as_ref().map(|c| c.status),
                Some(&observed(b, base_payload, theirs)),
            )
        }
        _ => classify(
            &observed(&cur, None, None),
            holder.is_some(),
            prev.as_ref().map(|p| p.status),
            last_answer.as_ref().map(|c| c.status),
            None,
        ),
    };
    finish(tx, &cur, verdict, prev.as_ref(), base.as_ref(), content_id).await
}

/// Records capture `capture_id` as served while its seed's session was lost
/// ([`ChangeClass::LoggedOut`]): not compared, and never compared with.
pub async fn record_logged_out(tx: &mut Tx, capture_id: i64) -> Result<Change, sqlx::Error> {
    let cur = capture_row(tx, capture_id).await?;
    let prev = match latest_before(tx, &cur.url, capture_id).await? {
        Some(id) => Some(capture_row(tx, id).await?),
        None => None,
    };
    let verdict = Verdict {
        class: ChangeClass::LoggedOut,
        moved: None,
        similarity: None,
    };
    finish(tx, &cur, verdict, prev.as_ref(), None, None).await
}

/// The visible text's and the links' fingerprints of a capture's stored content.
#[derive(Clone, Debug, PartialEq)]
pub struct TextPrint {
    /// `sha256:` of the visible text.
    pub text_digest: String,
    /// `sha256:` of the sorted links.
    pub links_digest: String,
    /// 64-bit simhash of the text's stable form ([`simhash`]).
    pub simhash: u64,
    /// `sha256:` of the stable form of text and links ([`crate::volatile`]); none for
    /// content stored before it was kept.
    pub stable_digest: Option<String>,
}

impl TextPrint {
    /// Whether the two differ at most in volatile tokens: the same text and links, or the
    /// same stable form of them.
    pub fn same_but_for_volatile(&self, other: &TextPrint) -> bool {
        (self.text_digest == other.text_digest && self.links_digest == other.links_digest)
            || (self.stable_digest.is_some() && self.stable_digest == other.stable_digest)
    }
}

/// What the classing rules look at in a capture.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// HTTP status; 0 when the fetch failed.
    pub status: i64,
    /// The payload digest it stands for (its own, or for a 304 its original's).
    pub payload: Option<String>,
    /// The response's `Location`.
    pub location: Option<String>,
    /// Its stored content's fingerprints, when it has text.
    pub text: Option<TextPrint>,
}

/// The class of a capture and how much it moved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// The change class.
    pub class: ChangeClass,
    /// Whether the content differs from `base` (see [`Change::moved`]).
    pub moved: Option<bool>,
    /// Text similarity with `base`, 0 to 1.
    pub similarity: Option<f64>,
}

/// The classing rules, apart from the lookups that feed them: `cur` against the URL's last
/// capture that answered with the page (`base`), knowing the status of the capture just
/// before (`prev_status`) and of the last that answered at all (`last_answer_status`).
/// `cur_repeats_indexed`: `cur` is a revisit whose original is in the index (a 304 then
/// stands for the original's status).
pub fn classify(
    cur: &Observed,
    cur_repeats_indexed: bool,
    prev_status: Option<i64>,
    last_answer_status: Option<i64>,
    base: Option<&Observed>,
) -> Verdict {
    let plain = |class| Verdict {
        class,
        moved: None,
        similarity: None,
    };
    match (base, answer(cur.status)) {
        (Some(b), Answer::Up) => {
            let same_payload = cur.payload.is_some() && cur.payload == b.payload;
            // A redirect's content is where it points, which lives in the head.
            let same_status = cur.status == b.status
                || (cur.status == 304 && cur_repeats_indexed && same_payload);
            let same_target = cur.location == b.location;
            let verdict = if same_payload && same_status && same_target {
                ChangeClass::Unchanged
            } else {
                match (&cur.text, &b.text) {
                    (Some(a), Some(t))
                        if a.same_but_for_volatile(t) && cur.status == b.status && same_target =>
                    {
                        ChangeClass::Cosmetic
                    }
                    _ => ChangeClass::Changed,
                }
            };
            let similarity = match (&cur.text, &b.text) {
                _ if same_payload => Some(1.0),
                (Some(a), Some(t)) => Some(agreement(a.simhash, t.simhash)),
                _ => None,
            };
            let class = match prev_status.map(answer) {
                Some(Answer::Down | Answer::Gone) => ChangeClass::Back,
                _ => verdict,
            };
            Verdict {
                class,
                moved: Some(verdict == ChangeClass::Changed),
                similarity,
            }
        }
        (_, Answer::Down) => plain(ChangeClass::Error),
        (_, Answer::Gone) => plain(match last_answer_status.map(answer) {
            None => ChangeClass::New,
            Some(Answer::Up) => ChangeClass::Gone,
            _ => ChangeClass::Unchanged,
        }),
        // Up, and it never answered with the page before.
        (None, Answer::Up) => plain(ChangeClass::New),
    }
}

/// One capture's row.
async fn capture_row(tx: &mut Tx, id: i64) -> Result<CaptureRow, sqlx::Error> {
    db::query("SELECT * FROM captures WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
}

/// The newest capture of `url` indexed before capture `id`.
async fn latest_before(tx: &mut Tx, url: &str, id: i64) -> Result<Option<i64>, sqlx::Error> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!("SELECT MAX(id) FROM captures WHERE url = ? AND id < ? AND {NOT_LOGGED_OUT}")
    });
    db::query_owned(SQL.clone())
        .bind(url)
        .bind(id)
        .scalar(&mut *tx)
        .await
}

/// The response capture whose record is `record_id` (a revisit's original).
async fn response_capture_id(tx: &mut Tx, record_id: &str) -> Result<Option<i64>, sqlx::Error> {
    db::query("SELECT id FROM captures WHERE record_id = ? AND warc_type = 'response'")
        .bind(record_id)
        .scalar_optional(&mut *tx)
        .await
}

async fn store_content(
    tx: &mut Tx,
    capture_id: i64,
    c: &PreparedContent,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO capture_text (capture_id, text, links, text_digest, links_digest, simhash,
            stable_digest)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(capture_id)
    .bind(&c.text_z)
    .bind(&c.links_z)
    .bind(&c.text_digest)
    .bind(&c.links_digest)
    .bind(c.simhash as i64)
    .bind(&c.stable_digest)
    .execute(&mut *tx)
    .await?;
    crate::search::index_text(tx, capture_id, &c.search_form).await
}

async fn finish(
    tx: &mut Tx,
    cur: &CaptureRow,
    verdict: Verdict,
    prev: Option<&CaptureRow>,
    base: Option<&CaptureRow>,
    content_id: Option<i64>,
) -> Result<Change, sqlx::Error> {
    db::query(
        "INSERT INTO changes (capture_id, url, host, seed, captured_at, status, class, prev_id,
            base_id, similarity, content_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(cur.id)
    .bind(&cur.url)
    .bind(host_of(&cur.url))
    .bind(&cur.seed)
    .bind(&cur.captured_at)
    .bind(cur.status)
    .bind(verdict.class)
    .bind(prev.map(|p| p.id))
    .bind(base.map(|b| b.id))
    .bind(verdict.similarity)
    .bind(content_id)
    .execute(&mut *tx)
    .await?;
    Ok(Change {
        class: verdict.class,
        moved: verdict.moved,
    })
}

/// The capture whose stored text stands for `b`.
async fn b_content_id(tx: &mut Tx, b: &CaptureRow) -> Result<Option<i64>, sqlx::Error> {
    db::query("SELECT content_id FROM changes WHERE capture_id = ?")
        .bind(b.id)
        .scalar_optional(&mut *tx)
        .await
        .map(Option::flatten)
}

/// The payload digest a capture stands for: its own, or (a 304) its original's.
async fn effective_payload(tx: &mut Tx, c: &CaptureRow) -> Result<Option<String>, sqlx::Error> {
    if c.payload_digest.is_some() {
        return Ok(c.payload_digest.clone());
    }
    match &c.refers_to {
        Some(to) => db::query("SELECT payload_digest FROM captures WHERE record_id = ?")
            .bind(to)
            .scalar_optional(&mut *tx)
            .await
            .map(Option::flatten),
        None => Ok(None),
    }
}

/// Share of agreeing bits between two fingerprints, 0 to 1.
pub fn agreement(a: u64, b: u64) -> f64 {
    1.0 - f64::from((a ^ b).count_ones()) / 64.0
}

/// 64-bit simhash (Charikar) of a text over word trigrams.
///
/// Written here because the simhash crates on crates.io are small and unmaintained, and a
/// stored fingerprint must never change with a dependency update: the feature hash is
/// FNV-1a 64, fixed by its specification.
pub fn simhash(text: &str) -> u64 {
    // Each trigram's hash is FNV-1a over "w1 w2 w3", streamed word by word rather than
    // joined into a new string: the same value, without an allocation per trigram.
    let words: Vec<Cow<str>> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            }
        })
        .collect();
    if words.is_empty() {
        return 0;
    }
    // A bit's weight is (grams with it set) - (grams without): positive when set in more
    // than half. Counting each hash byte's value (8 counters per gram, not 64) and summing
    // the bits once at the end gives the same counts.
    let n = 3.min(words.len());
    let mut byte_counts = vec![[0u32; 256]; 8];
    let mut grams = 0u64;
    for gram in words.windows(n) {
        let mut h = FNV_OFFSET;
        for (i, w) in gram.iter().enumerate() {
            if i > 0 {
                h = fnv1a_more(h, b" ");
            }
            h = fnv1a_more(h, w.as_bytes());
        }
        for (pos, counts) in byte_counts.iter_mut().enumerate() {
            counts[(h >> (8 * pos)) as u8 as usize] += 1;
        }
        grams += 1;
    }
    let mut fingerprint = 0u64;
    for (pos, counts) in byte_counts.iter().enumerate() {
        for bit in 0..8 {
            let ones: u64 = counts
                .iter()
                .enumerate()
                .filter(|(value, _)| value >> bit & 1 == 1)
                .map(|(_, c)| u64::from(*c))
                .sum();
            if 2 * ones > grams {
                fingerprint |= 1 << (8 * pos + bit);
            }
        }
    }
    fingerprint
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a_more(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_more(FNV_OFFSET, bytes)
}

/// Which change events to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// From this time on (RFC 3339, inclusive).
    pub since: Option<String>,
    /// Up to this time (inclusive).
    pub until: Option<String>,
    /// Only this seed.
    pub seed: Option<String>,
    /// Only these seeds (a site's addresses); empty: no such limit.
    pub seeds: Vec<String>,
    /// Only this host.
    pub host: Option<String>,
    /// Only these classes (empty: all).
    pub classes: Vec<ChangeClass>,
    /// At most this many, newest first.
    pub limit: i64,
    /// Only those after this capture in the feed's order (the last capture ID of the
    /// previous page): the feed pages by position, so rows arriving meanwhile are neither
    /// repeated nor skipped.
    pub after_capture: Option<i64>,
}

/// Change events matching `f`, newest first.
pub async fn feed(db: &Db, f: &Filter) -> Result<Vec<ChangeRow>, sqlx::Error> {
    let (sql, binds) = feed_sql(f);
    if db.is_postgres() {
        return db::query_owned(sql).bind_all(binds).fetch_all(db).await;
    }
    // SQLite: the page as one JSON value. The driver hands each row from its worker thread
    // to ours with a copy of every column, and decodes columns by name: for a 1,000-row page
    // at a million captures that was 3.3 ms of a 3.5 ms median (SQLite reads the rows in
    // 1 ms), 8.8 ms at the 99th percentile. One value crossing once, parsed by serde, is
    // 1.9 ms and 3.4 ms (`nightjar-bench index`). Every value stays exact: integers as
    // written, text escaped, and the similarity as `quote()` spells a REAL (JSON's own 15
    // digits would not always read back the same double).
    let json = format!("SELECT json_group_array(json_array({FEED_JSON})) FROM ({sql})");
    let (page,): (String,) = db::query_owned(json).bind_all(binds).fetch_one(db).await?;
    let mut rows = serde_json::from_str::<Vec<FeedTuple>>(&page)
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))?
        .into_iter()
        .map(ChangeRow::try_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| sqlx::Error::Decode(e.into()))?;
    // An aggregate's input order is not promised; the feed's order is.
    rows.sort_by(|a, b| (&b.captured_at, b.capture_id).cmp(&(&a.captured_at, a.capture_id)));
    Ok(rows)
}

/// The feed's statement (`SELECT *` from `changes`) and its values.
fn feed_sql(f: &Filter) -> (String, Vec<db::Value>) {
    let mut sql = String::from("SELECT * FROM changes WHERE 1 = 1");
    let mut binds: Vec<db::Value> = Vec::new();
    let mut and = |clause: &str, v: db::Value| {
        sql.push_str(clause);
        binds.push(v);
    };
    if let Some(s) = &f.since {
        and(" AND captured_at >= ?", s.clone().into());
    }
    if let Some(u) = &f.until {
        and(" AND captured_at <= ?", u.clone().into());
    }
    if let Some(s) = &f.seed {
        and(" AND seed = ?", s.clone().into());
    }
    let n = f.seeds.len();
    for (i, s) in f.seeds.iter().enumerate() {
        let open = if i == 0 { " AND seed IN (" } else { ", " };
        let close = if i + 1 == n { ")" } else { "" };
        and(&format!("{open}?{close}"), s.clone().into());
    }
    if let Some(h) = &f.host {
        and(" AND host = ?", h.to_ascii_lowercase().into());
    }
    if let Some(after) = f.after_capture {
        and(
            " AND (captured_at, capture_id) < \
             (SELECT captured_at, capture_id FROM changes WHERE capture_id = ?)",
            after.into(),
        );
    }
    if !f.classes.is_empty() {
        sql.push_str(&format!(
            " AND class IN ({})",
            vec!["?"; f.classes.len()].join(", ")
        ));
        binds.extend(f.classes.iter().map(|c| db::Value::from(*c)));
    }
    sql.push_str(" ORDER BY captured_at DESC, capture_id DESC LIMIT ?");
    binds.push(f.limit.into());
    (sql, binds)
}

/// The columns of [`ChangeRow`] as JSON array elements, in the order of [`FeedTuple`].
const FEED_JSON: &str = "capture_id, url, host, seed, captured_at, status, class, \
    prev_id, base_id, iif(similarity IS NULL, NULL, quote(similarity)), content_id";

/// One row of the feed's JSON page, in the order of [`FEED_JSON`].
type FeedTuple = (
    i64,
    String,
    String,
    Option<String>,
    String,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

impl TryFrom<FeedTuple> for ChangeRow {
    type Error = String;

    fn try_from(t: FeedTuple) -> Result<ChangeRow, String> {
        let (capture_id, url, host, seed, captured_at, status, class) =
            (t.0, t.1, t.2, t.3, t.4, t.5, t.6);
        let similarity = match t.9 {
            Some(s) => Some(s.parse().map_err(|e| format!("similarity '{s}': {e}"))?),
            None => None,
        };
        Ok(ChangeRow {
            capture_id,
            url,
            host,
            seed,
            captured_at,
            status,
            class: class.parse()?,
            prev_id: t.7,
            base_id: t.8,
            similarity,
            content_id: t.10,
        })
    }
}

/// The change rows of every capture of `url`, oldest first.
pub async fn history(db: &Db, url: &str) -> Result<Vec<ChangeRow>, sqlx::Error> {
    db::query("SELECT * FROM changes WHERE url = ? ORDER BY capture_id")
        .bind(url)
        .fetch_all(db)
        .await
}

/// The change row of one capture.
pub async fn of_capture(db: &Db, id: i64) -> Result<Option<ChangeRow>, sqlx::Error> {
    db::query("SELECT * FROM changes WHERE capture_id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The simhash of the text that stands for capture `id`, if it has text.
pub async fn fingerprint(db: &Db, id: i64) -> Result<Option<u64>, sqlx::Error> {
    let v: Option<i64> = db::query(
        "SELECT t.simhash FROM changes c JOIN capture_text t ON t.capture_id = c.content_id
         WHERE c.capture_id = ?",
    )
    .bind(id)
    .scalar_optional(db)
    .await?;
    Ok(v.map(|v| v as u64))
}

/// The text and links that stand for capture `id` (its own or its original's), if any.
pub async fn content(db: &Db, id: i64) -> anyhow::Result<Option<PageContent>> {
    let content_id: Option<i64> = db::query("SELECT content_id FROM changes WHERE capture_id = ?")
        .bind(id)
        .scalar_optional(db)
        .await?
        .flatten();
    let Some(cid) = content_id else {
        return Ok(None);
    };
    let row: Option<(Vec<u8>, Vec<u8>)> =
        db::query("SELECT text, links FROM capture_text WHERE capture_id = ?")
            .bind(cid)
            .fetch_optional(db)
            .await?;
    let Some((text, links)) = row else {
        return Ok(None);
    };
    let text = String::from_utf8(zstd::decode_all(&text[..])?)?;
    let links = String::from_utf8(zstd::decode_all(&links[..])?)?;
    Ok(Some(PageContent {
        text,
        links: links
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simhash_is_stable_and_close_texts_agree_more_than_different_ones() {
        let a = "Fresh listings today: ten kilo lots, shipping worldwide, escrow accepted.";
        let b = "Fresh listings today: ten kilo lots, shipping worldwide, escrow accepted!!";
        let c = "The forum is closed for maintenance; come back in a week.";
        assert_eq!(simhash(a), simhash(a));
        assert_eq!(simhash(a), simhash(b), "punctuation is not a word");
        let long_a = a.repeat(3) + " new vendor added";
        assert!(agreement(simhash(a), simhash(&long_a)) > agreement(simhash(a), simhash(c)));
        assert_eq!(simhash(""), 0);
        // FNV-1a 64 of "a" (published test vector): the fingerprint never drifts.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    /// The fingerprint as first written (a string per word and per trigram): stored
    /// fingerprints must not change when the computation gets faster.
    fn simhash_reference(text: &str) -> u64 {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return 0;
        }
        let mut weights = [0i64; 64];
        for gram in words.windows(3.min(words.len())) {
            let h = fnv1a(gram.join(" ").as_bytes());
            for (bit, w) in weights.iter_mut().enumerate() {
                *w += if h >> bit & 1 == 1 { 1 } else { -1 };
            }
        }
        (0..64)
            .filter(|b| weights[*b] > 0)
            .fold(0, |acc, b| acc | 1 << b)
    }

    #[test]
    fn simhash_is_unchanged_from_the_first_definition() {
        for text in [
            "",
            "one",
            "Two Words",
            "Vendor ÉLITE sells 3 items; ships ΣΟΦΟΣ worldwide, ǅemal and İstanbul.",
            "the quick brown fox jumps over the lazy dog THE QUICK BROWN FOX 42",
        ] {
            assert_eq!(simhash(text), simhash_reference(text), "{text:?}");
        }
        // A page-sized text: thousands of trigrams, every bit's vote close.
        let words = [
            "Escrow",
            "vendor",
            "ships",
            "BTC",
            "42",
            "Ünïcode",
            "listing",
            "x",
        ];
        let long: Vec<&str> = (0..5000u64)
            .map(|i| words[(i.wrapping_mul(2654435761) >> 7) as usize % words.len()])
            .collect();
        let long = long.join(" ");
        assert_eq!(simhash(&long), simhash_reference(&long));
    }

    #[test]
    fn statuses_map_to_answers() {
        assert_eq!(answer(0), Answer::Down);
        assert_eq!(answer(503), Answer::Down);
        assert_eq!(answer(404), Answer::Gone);
        assert_eq!(answer(410), Answer::Gone);
        assert_eq!(answer(200), Answer::Up);
        assert_eq!(answer(301), Answer::Up);
        assert_eq!(host_of("http://a.test:8080/x"), "a.test:8080");
        assert_eq!(host_of("https://B.test/"), "b.test");
    }

    /// A database for one test: SQLite, or with the `postgres` feature and
    /// `NIGHTJAR_TEST_DATABASE=postgres`, a PostgreSQL cluster of its own.
    struct TestDb {
        db: Db,
        #[cfg(feature = "postgres")]
        _server: Option<db::testing::Postgres>,
    }

    impl std::ops::Deref for TestDb {
        type Target = Db;
        fn deref(&self) -> &Db {
            &self.db
        }
    }

    async fn db(dir: &std::path::Path) -> TestDb {
        #[cfg(feature = "postgres")]
        if std::env::var("NIGHTJAR_TEST_DATABASE").as_deref() == Ok("postgres") {
            let server = db::testing::Postgres::start();
            let url = server.create_database("archive");
            let db = Db::postgres(sqlx::PgPool::connect(&url).await.unwrap());
            crate::schema::migrate(&db).await.unwrap();
            return TestDb {
                db,
                _server: Some(server),
            };
        }
        let pool =
            sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", dir.join("t.db").display()))
                .await
                .unwrap();
        let db = Db::sqlite(pool);
        crate::schema::migrate(&db).await.unwrap();
        TestDb {
            db,
            #[cfg(feature = "postgres")]
            _server: None,
        }
    }

    /// [`record`] in a transaction of its own.
    async fn record_now(db: &Db, id: i64, known: Option<&Earlier>) -> Change {
        let mut tx = db.begin().await.unwrap();
        let change = record(&mut tx, id, None, known).await.unwrap();
        tx.commit().await.unwrap();
        change
    }

    /// [`earlier`] in a transaction of its own.
    async fn earlier_now(db: &Db, url: &str) -> Earlier {
        let mut tx = db.begin().await.unwrap();
        let found = earlier(&mut tx, url, None).await.unwrap();
        tx.commit().await.unwrap();
        found
    }

    async fn capture(db: &Db, url: &str, status: i64, payload: &str) -> i64 {
        let record = format!("<urn:uuid:{}>", uuid::Uuid::new_v4());
        db::query(
            "INSERT INTO captures (url, surt, captured_at, status, payload_digest, record_id,
                file, file_offset, length, warc_type)
             VALUES (?, ?, '2026-12-01T00:00:00.000Z', ?, ?, ?, 'f.warc.zst', 0, 1, 'response')
             RETURNING id",
        )
        .bind(url)
        .bind(url)
        .bind(status)
        .bind(payload)
        .bind(record)
        .scalar(db)
        .await
        .unwrap()
    }

    /// The feed reads a page as one JSON value on SQLite: it must give exactly the rows, in
    /// exactly the order, that the statement gives row by row, for every filter.
    #[tokio::test]
    async fn the_feed_page_is_the_statement_s_rows_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path()).await;
        // Doubles that 15 digits do not give back, and the edges of the range.
        let similarities = [
            Some(0.1 + 0.2),
            Some(1.0 / 3.0),
            Some(0.0),
            Some(1.0),
            Some(5e-324),
            Some(0.987_654_321_012_345_6),
            None,
        ];
        let urls = [
            "http://a.test/",
            "http://a.test/q?x=\"quoted\"&y=back\\slash",
            "http://b.test/\u{0436}\u{0443}\u{0440}\u{043d}\u{0430}\u{043b}",
            "http://xmrmarketmarketmarketmarketmarketmarketmarketmarketmar.onion/",
        ];
        let seeds = [Some("forum"), None, Some("s\u{00e9}ed \"two\"")];
        for i in 0..120i64 {
            let url = urls[i as usize % urls.len()];
            let host = url::Url::parse(url)
                .unwrap()
                .host_str()
                .unwrap()
                .to_string();
            // Several captures share a second, so the capture ID breaks the tie.
            let at = format!("2026-12-01T00:{:02}:{:02}.000Z", i / 60, (i / 3) % 60);
            let class = ChangeClass::ALL[i as usize % ChangeClass::ALL.len()];
            db::query(
                "INSERT INTO changes (capture_id, url, host, seed, captured_at, status, class,
                    prev_id, base_id, similarity, content_id)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(1000 - i * 7)
            .bind(url)
            .bind(host)
            .bind(seeds[i as usize % seeds.len()].map(str::to_string))
            .bind(at)
            .bind(if i % 5 == 0 { 0 } else { 200 })
            .bind(class)
            .bind((i % 2 == 0).then_some(i * 3))
            .bind((i % 4 != 0).then_some(i64::MAX - i))
            .bind(similarities[i as usize % similarities.len()])
            .bind((i % 3 != 0).then_some(-i))
            .execute(&*db)
            .await
            .unwrap();
        }
        let filters = [
            Filter {
                limit: 1000,
                ..Default::default()
            },
            Filter {
                since: Some("2026-12-01T00:00:20.000Z".into()),
                limit: 50,
                ..Default::default()
            },
            Filter {
                until: Some("2026-12-01T00:01:05.000Z".into()),
                seed: Some("forum".into()),
                limit: 1000,
                ..Default::default()
            },
            Filter {
                host: Some("A.TEST".into()),
                classes: vec![ChangeClass::Changed, ChangeClass::New, ChangeClass::Gone],
                limit: 1000,
                ..Default::default()
            },
            Filter {
                after_capture: Some(1000 - 40 * 7),
                limit: 30,
                ..Default::default()
            },
            Filter {
                since: Some("2027-01-01T00:00:00.000Z".into()),
                limit: 1000,
                ..Default::default()
            },
        ];
        let mut seen = 0;
        for f in &filters {
            let (sql, binds) = feed_sql(f);
            let rows: Vec<ChangeRow> = db::query_owned(sql)
                .bind_all(binds)
                .fetch_all(&*db)
                .await
                .unwrap();
            let page = feed(&db, f).await.unwrap();
            // Debug prints each double in its shortest exact form: equal text, equal bits.
            assert_eq!(format!("{page:#?}"), format!("{rows:#?}"), "{f:?}");
            seen += page.len();
        }
        assert!(seen > 200, "the filters matched rows: {seen}");
        assert!(feed(&db, &filters[5]).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn earlier_captures_are_found_in_one_lookup_and_a_stale_one_is_looked_up_again() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path()).await;
        let url = "http://a.test/";
        let first = capture(&db, url, 200, "sha256:aa").await;
        record_now(&db, first, None).await;

        let known = earlier_now(&db, url).await;
        let id = |c: &Option<CaptureRow>| c.as_ref().map(|c| c.id);
        assert_eq!(id(&known.prev), Some(first));
        assert_eq!(id(&known.last_answer), Some(first));
        assert_eq!(id(&known.base), Some(first));
        assert_eq!(id(&known.last_ok), Some(first));

        // Another seed captures the URL meanwhile: it is gone.
        let gone = capture(&db, url, 404, "sha256:bb").await;
        assert_eq!(record_now(&db, gone, None).await.class, ChangeClass::Gone);
        let after_gone = earlier_now(&db, url).await;
        assert_eq!(id(&after_gone.prev), Some(gone));
        assert_eq!(id(&after_gone.last_answer), Some(gone));
        assert_eq!(id(&after_gone.base), Some(first), "a 404 is not the page");
        assert_eq!(id(&after_gone.last_ok), Some(first));

        // The page answers again with other content. Classed with the stale lookup it would
        // be "changed" against the first capture; the gone capture in between makes it "back".
        let again = capture(&db, url, 200, "sha256:cc").await;
        let change = record_now(&db, again, Some(&known)).await;
        assert_eq!(change.class, ChangeClass::Back);
        assert_eq!(change.moved, Some(true));

        // A lookup that is still current is used as it is, with the same result as without.
        let current = earlier_now(&db, url).await;
        let same = capture(&db, url, 200, "sha256:cc").await;
        assert_eq!(
            record_now(&db, same, Some(&current)).await.class,
            ChangeClass::Unchanged
        );
    }
}
