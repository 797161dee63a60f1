//! Look-alikes: hosts that serve what another site serves, and onion addresses made to look
//! like a site's.
//!
//! Phishing operators clone onion markets by the hundred: the same pages on another
//! address, with the payment addresses swapped. Measurements of such clones fingerprint a
//! host by its root page's structure (the sequence of tag names), its title, the order of
//! its response header names, its text (a simhash), and its favicon; two hosts that agree on
//! several of these serve the same site, or a copy of it. This module keeps those
//! fingerprints per capture ([`record`]) and compares hosts ([`compare`]); which hosts are
//! a site's own (its seeds and verified mirrors) and which entities differ is the caller's
//! knowledge (the crawler's site report).
//!
//! A vanity address shares a long prefix with the address it imitates (generating a v3
//! address with 8 chosen leading characters takes hours on a GPU; a reader checks only the
//! first few): [`shared_affix`].

use std::collections::{BTreeMap, HashSet};

use db::{Db, Tx};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// What a fingerprint was taken of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrintKind {
    /// The host's root page.
    Page,
    /// The host's `/favicon.ico`.
    Favicon,
}

impl PrintKind {
    fn as_str(self) -> &'static str {
        match self {
            PrintKind::Page => "page",
            PrintKind::Favicon => "favicon",
        }
    }
}

/// The fingerprints of one capture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HostPrint {
    /// What of.
    pub kind: PrintKind,
    /// SHA-256 (hex, first 16 bytes) of the tag names in document order.
    pub dom_hash: Option<String>,
    /// The title, whitespace folded.
    pub title: Option<String>,
    /// SHA-256 (hex, first 16 bytes) of the response's header names in order, lower case.
    pub headers_hash: Option<String>,
    /// The simhash of the visible text without its long tokens ([`text_simhash`]).
    pub simhash: Option<u64>,
    /// SHA-256 (hex) of the favicon's bytes.
    pub favicon_sha256: Option<String>,
}

fn short_hash<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(b"\n");
    }
    hex::encode(&h.finalize()[..16])
}

impl HostPrint {
    /// A root page's fingerprints: its tag names in document order, its title, its response
    /// header names in order, and its text's simhash.
    pub fn of_page<'a>(
        tags: impl IntoIterator<Item = &'a str>,
        title: Option<&str>,
        header_names: impl IntoIterator<Item = &'a str>,
        simhash: Option<u64>,
    ) -> HostPrint {
        let names: Vec<String> = header_names
            .into_iter()
            .map(|n| n.to_ascii_lowercase())
            .collect();
        HostPrint {
            kind: PrintKind::Page,
            dom_hash: Some(short_hash(tags)),
            title: title
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|t| !t.is_empty()),
            headers_hash: Some(short_hash(names.iter().map(String::as_str))),
            simhash,
            favicon_sha256: None,
        }
    }

    /// A favicon's fingerprint: its bytes' SHA-256.
    pub fn of_favicon(body: &[u8]) -> HostPrint {
        HostPrint {
            kind: PrintKind::Favicon,
            dom_hash: None,
            title: None,
            headers_hash: None,
            simhash: None,
            favicon_sha256: Some(hex::encode(Sha256::digest(body))),
        }
    }
}

/// Tokens this long or longer (letters and digits) are left out of a look-alike's text
/// fingerprint: payment addresses, keys and hashes, what a clone swaps.
const LONG_TOKEN: usize = 24;

/// The simhash of a page's visible text without its long tokens ([`LONG_TOKEN`]): a copy
/// that swaps the payment address reads as the same text.
pub fn text_simhash(text: &str) -> u64 {
    let kept: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphanumeric()).count() < LONG_TOKEN)
        .collect();
    crate::changes::simhash(&kept.join(" "))
}

/// Records a capture's fingerprints, in its indexing transaction.
pub async fn record(
    tx: &mut Tx,
    capture_id: i64,
    host: &str,
    captured_at: &str,
    p: &HostPrint,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO host_prints (capture_id, host, captured_at, kind, dom_hash, title,
             headers_hash, simhash, favicon_sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(capture_id)
    .bind(host)
    .bind(captured_at)
    .bind(p.kind.as_str())
    .bind(p.dom_hash.as_deref())
    .bind(p.title.as_deref())
    .bind(p.headers_hash.as_deref())
    .bind(p.simhash.map(|s| s as i64))
    .bind(p.favicon_sha256.as_deref())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A host's newest fingerprints.
#[derive(Clone, Debug, Default, FromRow, Serialize)]
pub struct PrintRow {
    /// The host (with its port when not the default).
    pub host: String,
    /// The newest root page's capture, and when.
    pub capture_id: Option<i64>,
    /// When.
    pub captured_at: Option<String>,
    /// Its structure hash.
    pub dom_hash: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its header order hash.
    pub headers_hash: Option<String>,
    /// Its text's simhash.
    pub simhash: Option<i64>,
    /// The newest favicon's SHA-256.
    pub favicon_sha256: Option<String>,
}

/// A row of `host_prints`.
#[derive(FromRow)]
struct StoredPrint {
    host: String,
    capture_id: i64,
    captured_at: String,
    kind: String,
    dom_hash: Option<String>,
    title: Option<String>,
    headers_hash: Option<String>,
    simhash: Option<i64>,
    favicon_sha256: Option<String>,
}

/// Every host's newest root page and favicon fingerprints.
pub async fn latest(db: &Db) -> Result<Vec<PrintRow>, sqlx::Error> {
    let rows: Vec<StoredPrint> = db::query(
        "SELECT host, capture_id, captured_at, kind, dom_hash, title, headers_hash, simhash,
                favicon_sha256
         FROM host_prints p
         WHERE capture_id = (SELECT max(capture_id) FROM host_prints q
                             WHERE q.host = p.host AND q.kind = p.kind)
         ORDER BY host",
    )
    .fetch_all(db)
    .await?;
    let mut by_host: BTreeMap<String, PrintRow> = BTreeMap::new();
    for r in rows {
        let row = by_host.entry(r.host.clone()).or_insert_with(|| PrintRow {
            host: r.host,
            ..PrintRow::default()
        });
        if r.kind == "favicon" {
            row.favicon_sha256 = r.favicon_sha256;
        } else {
            row.capture_id = Some(r.capture_id);
            row.captured_at = Some(r.captured_at);
            row.dom_hash = r.dom_hash;
            row.title = r.title;
            row.headers_hash = r.headers_hash;
            row.simhash = r.simhash;
        }
    }
    Ok(by_host.into_values().collect())
}

/// Texts whose simhashes differ in at most this many of 64 bits read as the same page (the
/// change index calls 0.9 agreement, about 6 bits, a small edit).
pub const SIMILAR_TEXT_BITS: u32 = 6;

/// One fingerprint two hosts share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "fingerprint")]
pub enum Shared {
    /// The same sequence of tag names.
    Structure,
    /// The same title.
    Title {
        /// It.
        title: String,
    },
    /// The same header names in the same order (weak alone: one server software).
    HeaderOrder,
    /// The same favicon.
    Favicon,
    /// Texts within [`SIMILAR_TEXT_BITS`] of each other.
    Text {
        /// Bits of 64 that differ.
        bits_differ: u32,
    },
}

impl Shared {
    /// Whether this fingerprint alone is enough, with one more, to call two hosts alike
    /// (the header order and the title are not: one server software, one common word).
    fn is_strong(&self) -> bool {
        matches!(
            self,
            Shared::Structure | Shared::Favicon | Shared::Text { .. }
        )
    }
}

/// A host that looks like one of a site's.
#[derive(Clone, Debug, Serialize)]
pub struct Lookalike {
    /// The look-alike host.
    pub host: String,
    /// The site's host it looks like.
    pub like: String,
    /// What they share.
    pub shared: Vec<Shared>,
    /// The look-alike's newest root page capture.
    pub capture_id: Option<i64>,
}

/// The fingerprints `a` and `b` share.
pub fn shared(a: &PrintRow, b: &PrintRow) -> Vec<Shared> {
    let mut out = Vec::new();
    if a.dom_hash.is_some() && a.dom_hash == b.dom_hash {
        out.push(Shared::Structure);
    }
    if let (Some(x), Some(y)) = (&a.title, &b.title) {
        if x.eq_ignore_ascii_case(y) {
            out.push(Shared::Title { title: x.clone() });
        }
    }
    if a.headers_hash.is_some() && a.headers_hash == b.headers_hash {
        out.push(Shared::HeaderOrder);
    }
    if a.favicon_sha256.is_some() && a.favicon_sha256 == b.favicon_sha256 {
        out.push(Shared::Favicon);
    }
    if let (Some(x), Some(y)) = (a.simhash, b.simhash) {
        let bits = ((x as u64) ^ (y as u64)).count_ones();
        if bits <= SIMILAR_TEXT_BITS {
            out.push(Shared::Text { bits_differ: bits });
        }
    }
    out
}

/// The hosts among `prints` that look like one of `own` (a site's hosts) without being one
/// of them or of `known` (hosts the site vouches for: its verified mirrors): two shared
/// fingerprints or more, one of them strong (structure, favicon or text). Each look-alike
/// once, with the site's host it shares most with.
pub fn compare(own: &[String], known: &HashSet<String>, prints: &[PrintRow]) -> Vec<Lookalike> {
    let originals: Vec<&PrintRow> = prints.iter().filter(|p| own.contains(&p.host)).collect();
    let mut out = Vec::new();
    for p in prints {
        if own.contains(&p.host) || known.contains(&p.host) {
            continue;
        }
        let best = originals
            .iter()
            .map(|o| (o, shared(o, p)))
            .filter(|(_, s)| s.len() >= 2 && s.iter().any(Shared::is_strong))
            .max_by_key(|(_, s)| s.len());
        if let Some((o, s)) = best {
            out.push(Lookalike {
                host: p.host.clone(),
                like: o.host.clone(),
                shared: s,
                capture_id: p.capture_id,
            });
        }
    }
    out
}

/// How two v3 onion addresses' names resemble each other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Affix {
    /// Leading characters in common.
    pub prefix: usize,
    /// Trailing characters in common, the version character (`d`) aside.
    pub suffix: usize,
}

/// Characters a vanity imitation shares at least, at the start or the end.
pub const VANITY_CHARS: usize = 5;

/// Whether onion host `a` imitates `b` (or the reverse): two different v3 names sharing at
/// least [`VANITY_CHARS`] leading or trailing characters (by chance, five shared leading
/// characters happen once in 33 million pairs).
pub fn shared_affix(a: &str, b: &str) -> Option<Affix> {
    let name = |h: &str| {
        let h = h.trim_end_matches('.').to_ascii_lowercase();
        let label = h.strip_suffix(".onion")?.rsplit('.').next()?.to_string();
        (label.len() == 56).then_some(label)
    };
    let (a, b) = (name(a)?, name(b)?);
    if a == b {
        return None;
    }
    let prefix = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let suffix = a[..55]
        .bytes()
        .rev()
        .zip(b[..55].bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (prefix >= VANITY_CHARS || suffix >= VANITY_CHARS).then_some(Affix { prefix, suffix })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(host: &str, tags: &[&str], title: &str, headers: &[&str], simhash: u64) -> PrintRow {
        let p = HostPrint::of_page(
            tags.iter().copied(),
            Some(title),
            headers.iter().copied(),
            Some(simhash),
        );
        PrintRow {
            host: host.into(),
            capture_id: Some(1),
            captured_at: None,
            dom_hash: p.dom_hash,
            title: p.title,
            headers_hash: p.headers_hash,
            simhash: Some(simhash as i64),
            favicon_sha256: None,
        }
    }

    #[test]
    fn look_alikes_share_a_strong_fingerprint_and_one_more() {
        let tags = ["html", "head", "title", "body", "h1", "p", "a"];
        let headers = ["Server", "Date", "Content-Type"];
        let market = page(
            "market.onion",
            &tags,
            "Market",
            &headers,
            0xF0F0_F0F0_0000_FFFF,
        );
        // The same page, a few words changed: structure, title, headers, text.
        let clone = page(
            "clone.onion",
            &tags,
            "market",
            &headers,
            0xF0F0_F0F0_0000_FFF0,
        );
        // Another site behind the same server software with the same title word.
        let other = page(
            "other.onion",
            &["html", "body", "div"],
            "Market",
            &headers,
            0x0F0F_0F0F_FFFF_0000,
        );
        // A mirror the site vouches for.
        let mirror = page(
            "mirror.onion",
            &tags,
            "Market",
            &headers,
            0xF0F0_F0F0_0000_FFFF,
        );
        let prints = vec![market, clone, other, mirror];
        let known: HashSet<String> = ["mirror.onion".to_string()].into();
        let found = compare(&["market.onion".into()], &known, &prints);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].host, "clone.onion");
        assert_eq!(found[0].like, "market.onion");
        assert!(found[0].shared.contains(&Shared::Structure));
        assert!(found[0].shared.contains(&Shared::Text { bits_differ: 4 }));
        assert!(found[0].shared.contains(&Shared::HeaderOrder));
        assert_eq!(found[0].shared.len(), 4);
        // Without the vouching, the mirror is a look-alike too.
        assert_eq!(
            compare(&["market.onion".into()], &HashSet::new(), &prints).len(),
            2
        );
    }

    #[test]
    fn a_favicon_and_a_title_are_enough_and_header_order_and_title_are_not() {
        let mut a = page("a.onion", &["html"], "Shop", &["Server"], 0);
        let mut b = page("b.onion", &["html", "body"], "Shop", &["Server"], u64::MAX);
        assert!(compare(
            &["a.onion".into()],
            &HashSet::new(),
            &[a.clone(), b.clone()]
        )
        .is_empty());
        a.favicon_sha256 = Some(hex::encode(Sha256::digest(b"icon")));
        b.favicon_sha256 = a.favicon_sha256.clone();
        let found = compare(&["a.onion".into()], &HashSet::new(), &[a, b]);
        assert_eq!(found.len(), 1);
        assert!(found[0].shared.contains(&Shared::Favicon));
    }

    #[test]
    fn a_swapped_payment_address_leaves_the_text_print_alone() {
        let text = "Deposit to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa and wait for three confirmations";
        let swapped = text.replace(
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        );
        assert_eq!(text_simhash(text), text_simhash(&swapped));
        assert_ne!(
            text_simhash(text),
            text_simhash("Something else entirely, a forum")
        );
    }

    #[test]
    fn vanity_imitations_share_a_long_prefix_or_suffix() {
        let real = "s2myolztmfmpp7cwdumpc5t4raien2n4dchn3ks4dxylj3nnyegvx3yd.onion";
        let vanity = format!("s2myol{}d.onion", "h".repeat(49));
        let tail = format!("{}nyegvx3yd.onion", "a".repeat(47));
        let other = "7o7bwirtk34ajuhg6lccetjylohkzygc2hpdmyge7t4vq72tf5gt3did.onion";
        assert_eq!(
            shared_affix(&vanity, real),
            Some(Affix {
                prefix: 6,
                suffix: 0
            })
        );
        assert_eq!(
            shared_affix(&format!("www.{}", tail.to_uppercase()), real),
            Some(Affix {
                prefix: 0,
                suffix: 8
            })
        );
        assert_eq!(shared_affix(other, real), None);
        assert_eq!(shared_affix(real, real), None);
        assert_eq!(shared_affix("market.test", real), None);
    }
}
