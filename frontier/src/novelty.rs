//! Link farms: hosts whose new pages stop adding anything.
//!
//! A host can offer an endless or huge set of near-identical pages: tens of thousands of
//! templated item pages, a calendar with a next-day link forever, the same page under every
//! session ID. URL-level trap guards ([`crate::scope::TrapGuard`]) cannot see these: each URL
//! looks ordinary. What gives them away is that their pages stop *adding* anything. So for
//! each host in each pass of a seed, the text the pages show and the kinds of links they
//! hold are remembered, and each page that has content is judged *novel* when it adds new
//! text (word trigrams not seen on the host this pass, with runs of digits folded so that item
//! 48213 reads as item 7) or a new kind of link (a link's host and path with digits and hex
//! IDs folded, and its query's parameter names without their values). When `window` pages in
//! a row are not novel, the host is stopped for the rest of the pass. A real site whose
//! pages differ in their text is never stopped this way, however large.
//!
//! A fetch budget per host and pass stops a host the same way, whatever its pages say.
//!
//! This is a policy kept apart from the queue: it decides, the queue skips the host's URLs.
//! It lives in memory and starts afresh with each pass and after a restart (a restarted
//! daemon may fetch up to `window` more pages of a farm before stopping it again).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Trigrams kept per host and pass, at most: a bound on memory for huge real sites (past
/// it, pages are still compared with what was kept, and judged novel if they add to it).
const MAX_SHINGLES: usize = 250_000;

/// One trigram in `SAMPLE` is kept (chosen by its hash, so the same ones on every page).
const SAMPLE: u64 = 4;

/// New kept trigrams that make a page's text novel (about `NEW_TEXT * SAMPLE` new trigrams).
const NEW_TEXT: usize = 2;

/// Why a host was stopped for the rest of a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// `window` pages in a row added no new text and no new kind of link.
    LinkFarm {
        /// The window.
        window: usize,
    },
    /// The seed's fetch budget per host and pass is spent.
    HostBudget {
        /// The budget.
        budget: u64,
    },
}

impl StopReason {
    /// The name in metrics and the status (`link-farm`, `host-budget`).
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::LinkFarm { .. } => "link-farm",
            StopReason::HostBudget { .. } => "host-budget",
        }
    }
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StopReason::LinkFarm { window } => write!(
                f,
                "link farm: the last {window} pages added no new text and no new kind of link"
            ),
            StopReason::HostBudget { budget } => {
                write!(f, "fetch budget of {budget} pages per host and pass spent")
            }
        }
    }
}

/// A host stopped in a pass, for the status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// The seed.
    pub seed_id: i64,
    /// The host (`host:port`).
    pub host: String,
    /// Why.
    pub reason: StopReason,
    /// Pages fetched from it in the pass before it stopped.
    pub pages: u64,
}

/// What a page brought (see [`Novelty::observe`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Page<'a> {
    /// Its visible text; `None` for a response without text (an image, a PDF).
    pub text: Option<&'a str>,
    /// Its links.
    pub links: &'a [String],
}

#[derive(Default)]
struct HostPass {
    pages: u64,
    shingles: HashSet<u64>,
    shapes: HashSet<u64>,
    /// Pages with content in a row that were not novel.
    since_novel: usize,
    stopped: Option<StopReason>,
}

/// The novelty of every host in the current pass of every seed.
#[derive(Default)]
pub struct Novelty {
    /// By seed and host, for the seed's current pass.
    hosts: HashMap<(i64, String), HostPass>,
    /// The hosts stopped in each seed's last finished pass, for the status.
    last: HashMap<i64, Vec<Stopped>>,
}

impl Novelty {
    /// Records a page fetched from `host` for `seed_id` in its current pass; returns why the
    /// host is now stopped, the first time it is.
    pub fn observe(
        &mut self,
        seed_id: i64,
        host: &str,
        page: Page<'_>,
        window: usize,
        budget: Option<u64>,
    ) -> Option<StopReason> {
        let pass = self.hosts.entry((seed_id, host.to_string())).or_default();
        if pass.stopped.is_some() {
            return None;
        }
        pass.pages += 1;
        // Without a window, nothing reads what was new: the page is only counted.
        if let Some(text) = page.text.filter(|_| window > 0) {
            let new_text = add_shingles(&mut pass.shingles, text);
            let mut new_shapes = 0;
            for link in page.links {
                if pass.shapes.insert(shape(link)) {
                    new_shapes += 1;
                }
            }
            if new_text >= NEW_TEXT || new_shapes > 0 {
                pass.since_novel = 0;
            } else {
                pass.since_novel += 1;
            }
        }
        let reason = if window > 0 && pass.since_novel >= window {
            Some(StopReason::LinkFarm { window })
        } else {
            budget
                .filter(|b| pass.pages >= *b)
                .map(|budget| StopReason::HostBudget { budget })
        };
        if reason.is_some() {
            pass.stopped = reason;
            // What was remembered is not needed any more.
            pass.shingles = HashSet::new();
            pass.shapes = HashSet::new();
        }
        reason
    }

    /// Whether `host` is stopped in the current pass of `seed_id`.
    pub fn is_stopped(&self, seed_id: i64, host: &str) -> bool {
        self.hosts
            .get(&(seed_id, host.to_string()))
            .is_some_and(|p| p.stopped.is_some())
    }

    fn current(&self, seed: Option<i64>) -> Vec<Stopped> {
        self.hosts
            .iter()
            .filter(|((s, _), _)| seed.is_none_or(|want| *s == want))
            .filter_map(|((seed_id, host), p)| {
                p.stopped.map(|reason| Stopped {
                    seed_id: *seed_id,
                    host: host.clone(),
                    reason,
                    pages: p.pages,
                })
            })
            .collect()
    }

    /// The hosts stopped in each seed's current pass, or if it has none yet, in its last
    /// finished pass.
    pub fn stopped(&self) -> Vec<Stopped> {
        let mut out = self.current(None);
        for (seed, stops) in &self.last {
            if !out.iter().any(|s| s.seed_id == *seed) {
                out.extend(stops.iter().cloned());
            }
        }
        out.sort_by(|a, b| (a.seed_id, &a.host).cmp(&(b.seed_id, &b.host)));
        out
    }

    /// A pass of `seed_id` is over (finished, or the seed restarted): what was remembered of
    /// its hosts goes, the hosts it stopped are kept for the status, and its next pass
    /// judges afresh.
    pub fn finish_pass(&mut self, seed_id: i64) {
        let stops = self.current(Some(seed_id));
        self.hosts.retain(|(s, _), _| *s != seed_id);
        self.last.insert(seed_id, stops);
    }
}

fn hash_of(parts: impl Hash) -> u64 {
    // SipHash with fixed keys: the same value in every process, no seed to manage.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// Adds the sampled word trigrams of `text` (each run of digits folded to 0) to `seen`; returns how
/// many were new.
fn add_shingles(seen: &mut HashSet<u64>, text: &str) -> usize {
    // Each word as a hash of its folded form, with no string made per word (a crawl's
    // hottest loop after compression: issue 21).
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(word_hash)
        .collect();
    let mut new = 0;
    for tri in words.windows(3) {
        let h = hash_of(tri);
        if h % SAMPLE != 0 {
            continue;
        }
        if seen.contains(&h) {
            continue;
        }
        new += 1;
        if seen.len() < MAX_SHINGLES {
            seen.insert(h);
        }
    }
    new
}

/// A word's hash, in lower case with each run of digits as one 0 (what [`fold_digits`]
/// then lower case would give), fed to the hasher character by character.
fn word_hash(word: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for c in digits_folded(word).flat_map(char::to_lowercase) {
        h.write_u32(c as u32);
    }
    h.finish()
}

/// The characters of `s` with each run of digits as one 0.
fn digits_folded(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut in_digits = false;
    s.chars().filter_map(move |c| {
        let numeric = c.is_numeric();
        let continues_run = numeric && in_digits;
        in_digits = numeric;
        (!continues_run).then_some(if numeric { '0' } else { c })
    })
}

/// `s` with each run of digits as one 0: item 7 and item 48213 read the same.
fn fold_digits(s: &str) -> String {
    digits_folded(s).collect()
}

/// A link's kind: its host and path with runs of digits and long hex IDs folded, and its
/// query's parameter names (values dropped).
fn shape(link: &str) -> u64 {
    let Ok(url) = url::Url::parse(link) else {
        return hash_of(link);
    };
    let path: Vec<String> = url
        .path()
        .split('/')
        .map(|seg| {
            let hexish = seg.len() >= 8 && seg.chars().all(|c| c.is_ascii_hexdigit());
            if hexish {
                return "x".to_string();
            }
            fold_digits(seg)
        })
        .collect();
    let mut keys: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    keys.sort();
    keys.dedup();
    hash_of((url.host_str(), path, keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic prose for page `p`, from a vocabulary of 8,000 made-up words (real
    /// prose draws on thousands of words too).
    fn prose(p: u64, words: usize) -> String {
        const SYLLABLES: [&str; 20] = [
            "ka", "lo", "mi", "ne", "ru", "ta", "vo", "ze", "pa", "si", "do", "be", "gu", "fa",
            "ho", "ji", "wu", "xe", "yo", "qi",
        ];
        let mut x = p.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..words)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let w = x % 8000;
                format!(
                    "{}{}{}",
                    SYLLABLES[(w % 20) as usize],
                    SYLLABLES[(w / 20 % 20) as usize],
                    SYLLABLES[(w / 400) as usize]
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn item_page(n: u64) -> (String, Vec<String>) {
        let text = format!(
            "Mega Shop. Item {n}. Best item {n} at the best price of {} USD. Buy item {n} now. Related items below. Copyright shop.",
            n % 97
        );
        let links = (1..=10)
            .map(|k| format!("http://farm.test/item/{}", n * 10 + k))
            .collect();
        (text, links)
    }

    #[test]
    fn an_endless_item_farm_is_stopped_after_the_window() {
        let mut n = Novelty::default();
        let mut stopped_at = None;
        for i in 0..5_000u64 {
            let (text, links) = item_page(i);
            let page = Page {
                text: Some(&text),
                links: &links,
            };
            if let Some(r) = n.observe(1, "farm.test:80", page, 50, None) {
                assert_eq!(r, StopReason::LinkFarm { window: 50 });
                stopped_at = Some(i);
                break;
            }
        }
        let at = stopped_at.expect("the farm is stopped");
        assert!(at < 60, "stopped after {at} pages");
        assert!(n.is_stopped(1, "farm.test:80"));
        assert_eq!(n.stopped()[0].reason.as_str(), "link-farm");
        // The pass ends: the stop is still reported, and the next pass judges afresh.
        n.finish_pass(1);
        assert!(!n.is_stopped(1, "farm.test:80"));
        assert_eq!(n.stopped()[0].host, "farm.test:80");
        let (text, links) = item_page(1);
        let page = Page {
            text: Some(&text),
            links: &links,
        };
        assert_eq!(n.observe(1, "farm.test:80", page, 50, None), None);
    }

    #[test]
    fn session_variants_and_calendars_are_stopped_too() {
        let mut n = Novelty::default();
        let mut stopped = false;
        for i in 0..200u64 {
            let text = format!(
                "Events on 2026-12-{:02}: none. Previous day, next day.",
                i % 28 + 1
            );
            let links = vec![
                format!(
                    "http://cal.test/day?date=2026-12-{:02}&sid={i:032x}",
                    i % 28 + 2
                ),
                "http://cal.test/".to_string(),
            ];
            let page = Page {
                text: Some(&text),
                links: &links,
            };
            if n.observe(1, "cal.test:80", page, 50, None).is_some() {
                stopped = true;
                assert!(i < 60, "{i}");
                break;
            }
        }
        assert!(stopped);
    }

    #[test]
    fn a_large_site_of_distinct_pages_is_never_stopped() {
        let mut n = Novelty::default();
        for i in 0..5_000u64 {
            let text = format!("Site header. {} Site footer.", prose(i, 120));
            let links = vec![
                format!("http://real.test/article/{}", i + 1),
                "http://real.test/".to_string(),
            ];
            let page = Page {
                text: Some(&text),
                links: &links,
            };
            assert_eq!(
                n.observe(1, "real.test:80", page, 50, None),
                None,
                "page {i}"
            );
        }
    }

    #[test]
    fn the_host_budget_stops_a_host_whatever_its_pages_say() {
        let mut n = Novelty::default();
        for i in 0..9u64 {
            let text = prose(i, 80);
            let page = Page {
                text: Some(&text),
                links: &[],
            };
            assert_eq!(n.observe(1, "h:80", page, 50, Some(10)), None);
        }
        let text = prose(9, 80);
        let page = Page {
            text: Some(&text),
            links: &[],
        };
        assert_eq!(
            n.observe(1, "h:80", page, 50, Some(10)),
            Some(StopReason::HostBudget { budget: 10 })
        );
        // Other hosts and seeds are not touched.
        assert!(!n.is_stopped(1, "other:80"));
        assert!(!n.is_stopped(2, "h:80"));
    }

    #[test]
    fn pages_without_text_neither_count_as_novel_nor_as_stale() {
        let mut n = Novelty::default();
        for _ in 0..500 {
            let page = Page {
                text: None,
                links: &[],
            };
            assert_eq!(n.observe(1, "img:80", page, 50, None), None);
        }
    }
}
