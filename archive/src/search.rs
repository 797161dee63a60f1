//! Full-text search over the visible text of every archived page (SQLite FTS5).
//!
//! Each distinct page text (a row of `capture_text`) is indexed once, under its row id;
//! results are joined to the captures that have that text, newest first, so that an
//! analyst sees where and when a phrase was on a site. The index holds no copy of the text:
//! snippets are cut from `capture_text`.
//!
//! Tokenizing: FTS5's `unicode61` with diacritics removed finds words in every script that
//! separates words with spaces (Latin, Cyrillic, Arabic, Greek…), case- and
//! accent-insensitively. Chinese, Japanese and Korean do not separate words; their runs are
//! indexed as overlapping two-character tokens (as Lucene's CJK analyzer does), and a query
//! term in those scripts becomes the phrase of its bigrams, so any word of two or more
//! characters is found wherever it occurs. One-character CJK queries match as prefixes.
//!
//! Query syntax is FTS5's, which analysts know from SQLite-backed tools: `"exact phrase"`,
//! `AND`, `OR`, `NOT`, parentheses, `prefix*`. A term holding punctuation (`user@mail.ru`,
//! `bc1q…`) is quoted for the analyst so that it is searched as written rather than failing
//! as syntax.

use db::{Db, Tx};
use serde::Serialize;

use crate::changes::ChangeClass;

/// Whether a character belongs to a script written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x20000..=0x2FFFF)
}

/// The text as it is indexed: CJK runs as overlapping bigrams, the rest unchanged.
pub fn indexed_form(text: &str) -> String {
    // Most pages have no CJK text: ASCII is ruled out without decoding a character.
    if text.is_ascii() || !text.chars().any(|c| c >= '\u{3040}' && is_cjk(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        match run.len() {
            0 => {}
            1 => {
                out.push(' ');
                out.push(run[0]);
                out.push(' ');
            }
            _ => {
                for pair in run.windows(2) {
                    out.push(' ');
                    out.push(pair[0]);
                    out.push(pair[1]);
                }
                out.push(' ');
            }
        }
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Text as PostgreSQL indexes and queries it: words of letters and digits only, in lower
/// case, Latin letters without their diacritics (`«Café» don’t` → `cafe don t`). FTS5's
/// `unicode61` tokenizer does all three whatever the system; PostgreSQL's parser, under the
/// C locale, counts every non-ASCII character as a letter (`«звоните»` would be one word
/// with its quotes) and folds case for ASCII only, and its `simple` configuration keeps
/// diacritics. So it is done here, on the way in and in the query alike, and both engines
/// find the same pages.
fn pg_fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    let mut after_latin = false;
    for c in text.nfd() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            // A combining mark: dropped from a Latin letter, kept on any other (as
            // unicode61 does: `й` stays `й`).
            if after_latin {
                continue;
            }
            out.push(c);
        } else if c.is_alphanumeric() {
            after_latin = c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c);
            out.extend(c.to_lowercase());
        } else {
            // Punctuation, symbols, spaces: between words.
            after_latin = false;
            out.push(' ');
        }
    }
    out.nfc().collect()
}

/// A query that FTS5 cannot read, with what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the search query: {0}. Use words, \"exact phrases\", AND, OR, NOT, parentheses and prefix*")]
pub struct QueryError(pub String);

/// One piece of an analyst's query.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    /// A word or "exact phrase", `prefix` when it ends with `*`.
    Term {
        text: String,
        prefix: bool,
    },
}

/// Reads the analyst's query into its pieces, checking what both engines would refuse
/// (unbalanced parentheses or quotes, an operator with a side missing, no words).
fn tokens(query: &str) -> Result<Vec<Tok>, QueryError> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    let mut depth = 0i32;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '(' || c == ')' {
            chars.next();
            depth += if c == '(' { 1 } else { -1 };
            if depth < 0 {
                return Err(QueryError("a ')' without its '('".into()));
            }
            out.push(if c == '(' { Tok::Open } else { Tok::Close });
            continue;
        }
        if c == '"' {
            chars.next();
            let mut phrase = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                phrase.push(c);
            }
            if !closed {
                return Err(QueryError("a '\"' that is not closed".into()));
            }
            let prefix = chars.peek() == Some(&'*');
            if prefix {
                chars.next();
            }
            if phrase.trim().is_empty() {
                return Err(QueryError("an empty phrase".into()));
            }
            out.push(Tok::Term {
                text: phrase,
                prefix,
            });
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                break;
            }
            word.push(c);
            chars.next();
        }
        out.push(match word.as_str() {
            "AND" => Tok::And,
            "OR" => Tok::Or,
            "NOT" => Tok::Not,
            _ => {
                let (bare, prefix) = match word.strip_suffix('*') {
                    Some(b) => (b.to_string(), true),
                    None => (word.clone(), false),
                };
                if bare.is_empty() {
                    return Err(QueryError("a '*' with no word before it".into()));
                }
                Tok::Term { text: bare, prefix }
            }
        });
    }
    if depth != 0 {
        return Err(QueryError("a '(' that is not closed".into()));
    }
    if !out.iter().any(|t| matches!(t, Tok::Term { .. })) {
        return Err(QueryError("no words to search for".into()));
    }
    let op = |t: Option<&Tok>| matches!(t, Some(Tok::And | Tok::Or | Tok::Not));
    if op(out.first()) || op(out.last()) {
        return Err(QueryError(
            "AND, OR and NOT go between two terms (\"a NOT b\")".into(),
        ));
    }
    Ok(out)
}

/// The words and phrases of a query, for snippets.
fn terms_of(toks: &[Tok]) -> Vec<String> {
    toks.iter()
        .filter_map(|t| match t {
            Tok::Term { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The analyst's query in FTS5 syntax: CJK terms as bigram phrases, terms with punctuation
/// quoted. Returns the terms too, for snippets.
pub fn fts_query(query: &str) -> Result<(String, Vec<String>), QueryError> {
    let toks = tokens(query)?;
    let out: Vec<String> = toks
        .iter()
        .map(|t| match t {
            Tok::Open => "(".to_string(),
            Tok::Close => ")".to_string(),
            Tok::And => "AND".to_string(),
            Tok::Or => "OR".to_string(),
            Tok::Not => "NOT".to_string(),
            Tok::Term { text, prefix } => quoted(text, *prefix),
        })
        .collect();
    Ok((out.join(" "), terms_of(&toks)))
}

/// The analyst's query as a PostgreSQL `tsquery` expression (placeholders `?` for each term's
/// indexed form, in order), with FTS5's meaning: NOT binds tightest (`a NOT b` is a and not
/// b), then AND (also between two terms side by side), then OR; a phrase matches its words in
/// order, `word*` any word it begins. PostgreSQL gives its tsquery operators one precedence,
/// so the expression is parenthesised from the parse. Hand-written: no crate translates FTS5
/// syntax, and both engines must read a query alike.
fn pg_query(query: &str) -> Result<(String, Vec<String>, Vec<String>), QueryError> {
    struct Parser<'a> {
        toks: &'a [Tok],
        at: usize,
        binds: Vec<String>,
    }
    impl Parser<'_> {
        fn peek(&self) -> Option<&Tok> {
            self.toks.get(self.at)
        }
        fn or(&mut self) -> Result<String, QueryError> {
            let mut e = self.and()?;
            while self.peek() == Some(&Tok::Or) {
                self.at += 1;
                e = format!("({e} || {})", self.and()?);
            }
            Ok(e)
        }
        fn and(&mut self) -> Result<String, QueryError> {
            let mut e = self.not()?;
            loop {
                match self.peek() {
                    Some(Tok::And) => self.at += 1,
                    Some(Tok::Term { .. } | Tok::Open) => {}
                    _ => return Ok(e),
                }
                e = format!("({e} && {})", self.not()?);
            }
        }
        fn not(&mut self) -> Result<String, QueryError> {
            let mut e = self.primary()?;
            while self.peek() == Some(&Tok::Not) {
                self.at += 1;
                e = format!("({e} && !!{})", self.primary()?);
            }
            Ok(e)
        }
        fn primary(&mut self) -> Result<String, QueryError> {
            let tok = self.peek().cloned();
            self.at += 1;
            match tok {
                Some(Tok::Open) => {
                    let e = self.or()?;
                    if self.peek() != Some(&Tok::Close) {
                        return Err(QueryError("a '(' that is not closed".into()));
                    }
                    self.at += 1;
                    Ok(e)
                }
                Some(Tok::Term { text, prefix }) => {
                    let form = indexed_form(&text);
                    let form = form.split_whitespace().collect::<Vec<_>>().join(" ");
                    let folded = pg_fold(&form);
                    self.binds
                        .push(folded.split_whitespace().collect::<Vec<_>>().join(" "));
                    Ok(if prefix {
                        "to_tsquery('simple', quote_literal(?) || ':*')".to_string()
                    } else {
                        "phraseto_tsquery('simple', ?)".to_string()
                    })
                }
                _ => Err(QueryError(
                    "AND, OR and NOT go between two terms (\"a NOT b\")".into(),
                )),
            }
        }
    }
    let toks = tokens(query)?;
    let mut p = Parser {
        toks: &toks,
        at: 0,
        binds: Vec::new(),
    };
    let expr = p.or()?;
    if p.at != toks.len() {
        return Err(QueryError("a ')' without its '('".into()));
    }
    Ok((expr, p.binds, terms_of(&toks)))
}

/// A term or phrase as an FTS5 string (doubled quotes inside), in its indexed form.
fn quoted(s: &str, prefix: bool) -> String {
    let form = indexed_form(s);
    let form = form.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "\"{}\"{}",
        form.replace('"', "\"\""),
        if prefix { "*" } else { "" }
    )
}

/// Adds a page text, in its [`indexed_form`], to the index under its `capture_text` row,
/// when the transaction that stores the text commits ([`db::Tx::insert_at_commit`]): the
/// texts of a group of captures go into the index in one statement. Nothing searches the
/// index within that transaction.
pub(crate) async fn index_text(
    tx: &mut Tx,
    content_id: i64,
    indexed: &str,
) -> Result<(), sqlx::Error> {
    if tx.conn().is_postgres() {
        tx.insert_at_commit(
            "INSERT INTO text_search (content_id, document) VALUES",
            "(?, to_tsvector('simple', ?))",
            "ON CONFLICT (content_id) DO UPDATE SET document = excluded.document",
            vec![content_id.into(), pg_fold(indexed).into()],
        );
    } else {
        tx.insert_at_commit(
            "INSERT OR REPLACE INTO text_search (rowid, text) VALUES",
            "(?, ?)",
            "",
            vec![content_id.into(), indexed.into()],
        );
    }
    Ok(())
}

/// What to search and where.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// The analyst's query.
    pub query: String,
    /// Only captures of this seed.
    pub seed: Option<String>,
    /// Only captures of this host.
    pub host: Option<String>,
    /// Captured at or after (index time, `YYYY-MM-DDTHH:MM:SSZ`).
    pub since: Option<String>,
    /// Captured at or before.
    pub until: Option<String>,
    /// Most URLs to return.
    pub limit: usize,
    /// URLs to pass over first (the previous pages' count): results are ranked newest
    /// text first, so a page is found by position.
    pub offset: usize,
}

/// One capture of a URL whose text matched.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// The capture.
    pub capture_id: i64,
    /// When.
    pub captured_at: String,
    /// Its class in the change index.
    pub class: ChangeClass,
}

/// A URL whose text matched, with its matching captures (newest first, among the texts the
/// search read) and a snippet of the newest one's text, the matched words between `«` and
/// `»`.
#[derive(Clone, Debug, Serialize)]
pub struct UrlHits {
    /// The page.
    pub url: String,
    /// Its host.
    pub host: String,
    /// The seed of its newest matching capture.
    pub seed: Option<String>,
    /// Matching captures, newest first.
    pub captures: Vec<Hit>,
    /// Where the words are in the newest matching text.
    pub snippet: String,
}

/// Searches the archive's text: the newest matching texts first, grouped by URL.
///
/// The index is read newest text first, a page of row ids at a time (FTS5 streams
/// `ORDER BY rowid DESC` without sorting its matches), and each page is joined to the
/// captures that have those texts, with the filters; this stops as soon as `limit` URLs
/// are found, so a frequent word costs what its first pages cost, not its every match. A
/// filter that rejects nearly everything reads at most [`MAX_SCANNED`] matching texts.
pub async fn search(db: &Db, req: &SearchRequest) -> anyhow::Result<Vec<UrlHits>> {
    // The matching texts, newest first: FTS5's MATCH, or PostgreSQL's tsquery on the GIN
    // index (the statement's only dynamic parts are placeholders and fixed SQL).
    let (matches, match_binds, terms) = if db.is_postgres() {
        let (expr, binds, terms) = pg_query(&req.query)?;
        (
            format!("SELECT content_id FROM text_search WHERE document @@ {expr}"),
            binds,
            terms,
        )
    } else {
        let (fts, terms) = fts_query(&req.query)?;
        (
            "SELECT rowid FROM text_search WHERE text_search MATCH ?".to_string(),
            vec![fts],
            terms,
        )
    };
    let id = if db.is_postgres() {
        "content_id"
    } else {
        "rowid"
    };
    // The URLs of the previous pages are found again and dropped below.
    let limit = req.limit.clamp(1, 1000) + req.offset;
    let mut out: Vec<UrlHits> = Vec::new();
    let mut texts: Vec<i64> = Vec::new();
    let mut before: Option<i64> = None;
    let mut scanned = 0;
    while out.len() < limit && scanned < MAX_SCANNED {
        let mut sql = matches.clone();
        let mut binds: Vec<db::Value> = match_binds.iter().map(|b| b.clone().into()).collect();
        if let Some(b) = before {
            sql.push_str(&format!(" AND {id} < ?"));
            binds.push(b.into());
        }
        sql.push_str(&format!(" ORDER BY {id} DESC LIMIT ?"));
        binds.push(PAGE.into());
        let ids: Vec<i64> = db::query_owned(sql)
            .bind_all(binds)
            .scalars(db)
            .await
            .map_err(query_error)?;
        let Some(&last) = ids.last() else { break };
        before = Some(last);
        scanned += ids.len();
        let mut sql = format!(
            "SELECT url, host, seed, capture_id, captured_at, class, content_id FROM changes
             WHERE content_id IN ({})",
            vec!["?"; ids.len()].join(", ")
        );
        let mut binds: Vec<db::Value> = ids.iter().map(|id| db::Value::from(*id)).collect();
        if let Some(seed) = &req.seed {
            sql.push_str(" AND seed = ?");
            binds.push(seed.clone().into());
        }
        if let Some(host) = &req.host {
            sql.push_str(" AND host = ?");
            binds.push(host.to_ascii_lowercase().into());
        }
        if let Some(since) = &req.since {
            sql.push_str(" AND captured_at >= ?");
            binds.push(since.clone().into());
        }
        if let Some(until) = &req.until {
            sql.push_str(" AND captured_at <= ?");
            binds.push(until.clone().into());
        }
        sql.push_str(" ORDER BY content_id DESC, capture_id DESC");
        /// A capture that has one of the matching texts.
        #[derive(sqlx::FromRow)]
        struct Row {
            url: String,
            host: String,
            seed: Option<String>,
            capture_id: i64,
            captured_at: String,
            class: String,
            content_id: i64,
        }
        let rows: Vec<Row> = db::query_owned(sql).bind_all(binds).fetch_all(db).await?;
        for Row {
            url,
            host,
            seed,
            capture_id,
            captured_at,
            class,
            content_id,
        } in rows
        {
            let hit = Hit {
                capture_id,
                captured_at,
                class: class.parse().unwrap_or(ChangeClass::Changed),
            };
            let full = out.len() >= limit;
            match out.iter_mut().find(|u| u.url == url) {
                Some(u) => u.captures.push(hit),
                None if !full => {
                    texts.push(content_id);
                    out.push(UrlHits {
                        url,
                        host,
                        seed,
                        captures: vec![hit],
                        snippet: String::new(),
                    })
                }
                None => {}
            }
        }
    }
    // Only this page needs snippets.
    let skip = req.offset.min(out.len());
    let mut out = out.split_off(skip);
    let texts = texts.split_off(skip);
    for (u, content_id) in out.iter_mut().zip(texts) {
        u.captures.sort_by_key(|c| std::cmp::Reverse(c.capture_id));
        let blob: Option<Vec<u8>> = db::query("SELECT text FROM capture_text WHERE capture_id = ?")
            .bind(content_id)
            .scalar_optional(db)
            .await?;
        if let Some(blob) = blob {
            let text = String::from_utf8_lossy(&zstd::decode_all(&blob[..])?).into_owned();
            u.snippet = snippet(&text, &terms);
        }
    }
    Ok(out)
}

/// Matching texts read per round of [`search`].
const PAGE: i64 = 200;
/// Most matching texts one search reads (newest first) before it answers with what it found.
pub const MAX_SCANNED: usize = 20_000;

/// An FTS5 error is the analyst's query's; anything else is ours.
fn query_error(e: sqlx::Error) -> anyhow::Error {
    match e {
        sqlx::Error::Database(d)
            if d.message().contains("fts5") || d.message().contains("tsquery") =>
        {
            anyhow::Error::new(QueryError(d.message().to_string()))
        }
        e => e.into(),
    }
}

/// About 160 characters around the first matched term, terms marked `«…»`.
pub fn snippet(text: &str, terms: &[String]) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = flat.to_lowercase();
    // Positions in `lower` map to `flat` only where lowercasing kept byte lengths; work on
    // chars to stay safe.
    let fc: Vec<char> = flat.chars().collect();
    let lc: Vec<char> = lower.chars().collect();
    if fc.len() != lc.len() {
        return fc.iter().take(160).collect();
    }
    let needles: Vec<Vec<char>> = terms
        .iter()
        .map(|t| t.to_lowercase().chars().collect::<Vec<char>>())
        .filter(|t| !t.is_empty())
        .collect();
    let find_at = |from: usize| -> Option<(usize, usize)> {
        (from..lc.len()).find_map(|i| {
            needles
                .iter()
                .find(|n| lc[i..].starts_with(n))
                .map(|n| (i, i + n.len()))
        })
    };
    let Some((first, _)) = find_at(0) else {
        return fc.iter().take(160).collect();
    };
    let start = first.saturating_sub(60);
    let end = (start + 160).min(fc.len());
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    let mut i = start;
    while i < end {
        match find_at(i).filter(|(a, _)| *a == i) {
            Some((a, b)) => {
                s.push('«');
                s.extend(&fc[a..b.min(fc.len())]);
                s.push('»');
                i = b;
            }
            None => {
                s.push(fc[i]);
                i += 1;
            }
        }
    }
    if end < fc.len() {
        s.push('…');
    }
    s
}

/// Indexes up to `batch` page texts stored before the index existed. Returns how many it
/// indexed, and how many are left.
pub async fn backfill(db: &Db, batch: i64) -> anyhow::Result<(u64, u64)> {
    // SQLite's FTS5 table keys its rows by rowid, PostgreSQL's table by content_id.
    let (rows_sql, left_sql) = if db.is_postgres() {
        (
            "SELECT t.capture_id, t.text FROM capture_text t
             WHERE NOT EXISTS (SELECT 1 FROM text_search s WHERE s.content_id = t.capture_id)
             ORDER BY t.capture_id LIMIT ?",
            "SELECT count(*) FROM capture_text t
             WHERE NOT EXISTS (SELECT 1 FROM text_search s WHERE s.content_id = t.capture_id)",
        )
    } else {
        (
            "SELECT t.capture_id, t.text FROM capture_text t
             WHERE NOT EXISTS (SELECT 1 FROM text_search s WHERE s.rowid = t.capture_id)
             ORDER BY t.capture_id LIMIT ?",
            "SELECT count(*) FROM capture_text t
             WHERE NOT EXISTS (SELECT 1 FROM text_search s WHERE s.rowid = t.capture_id)",
        )
    };
    let rows: Vec<(i64, Vec<u8>)> = db::query(rows_sql).bind(batch).fetch_all(db).await?;
    let mut tx = db.begin().await?;
    let mut done = 0;
    for (capture_id, blob) in &rows {
        let text = String::from_utf8_lossy(&zstd::decode_all(&blob[..])?).into_owned();
        index_text(&mut tx, *capture_id, &indexed_form(&text)).await?;
        done += 1;
    }
    tx.commit().await?;
    let left: i64 = db::query(left_sql).scalar(db).await?;
    Ok((done, left as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(indexed_form("東京都 hello"), " 東京 京都  hello");
        assert_eq!(indexed_form("плохо"), "плохо");
        let (q, terms) = fts_query("東京 AND price*").unwrap();
        assert_eq!(q, "\"東京\" AND \"price\"*");
        assert_eq!(terms, vec!["東京", "price"]);
    }

    #[test]
    fn punctuation_is_quoted_and_bad_queries_say_why() {
        assert_eq!(fts_query("user@mail.ru").unwrap().0, "\"user@mail.ru\"");
        assert_eq!(
            fts_query("\"new listing\" OR (bitcoin NOT fee)").unwrap().0,
            "\"new listing\" OR ( \"bitcoin\" NOT \"fee\" )"
        );
        for bad in ["\"open", "(a", "a)", "", "AND a", "a NOT", "*"] {
            let e = fts_query(bad).unwrap_err().to_string();
            assert!(e.starts_with("cannot read the search query"), "{bad}: {e}");
        }
    }

    #[test]
    fn postgresql_reads_a_query_with_fts5s_precedence() {
        let p = "phraseto_tsquery('simple', ?)";
        let (expr, binds, terms) = pg_query("Lena b OR c NOT (d* OR \"e f\")").unwrap();
        let d = "to_tsquery('simple', quote_literal(?) || ':*')";
        assert_eq!(expr, format!("(({p} && {p}) || ({p} && !!({d} || {p})))"));
        assert_eq!(binds, ["lena", "b", "c", "d", "e f"], "folded as indexed");
        assert_eq!(terms, ["Lena", "b", "c", "d", "e f"]);
        for bad in ["", "AND a", "a NOT", "(a", "a)", "\"a", "*"] {
            assert!(pg_query(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn postgresql_gets_text_folded_as_fts5_folds_it() {
        let words = |t: &str| -> Vec<String> {
            pg_fold(t).split_whitespace().map(str::to_string).collect()
        };
        assert_eq!(words("«Звоните» СЕЙЧАС"), ["звоните", "сейчас"]);
        assert_eq!(words("Café CRÈME Straße"), ["cafe", "creme", "straße"]);
        assert_eq!(
            words("don’t — user@mail.ru"),
            ["don", "t", "user", "mail", "ru"]
        );
        // Diacritics go from Latin letters only, as with unicode61.
        assert_eq!(words("Йошкар-Ола"), ["йошкар", "ола"]);
        assert_eq!(words(" 東京 京都  한국"), ["東京", "京都", "한국"]);
    }

    #[test]
    fn snippets_mark_the_terms() {
        let s = snippet(
            "Продам iPhone, звоните. Цена договорная",
            &["звоните".to_string()],
        );
        assert_eq!(s, "Продам iPhone, «звоните». Цена договорная");
    }
}
