//! Behaviour under real-world trouble, against real servers on 127.0.0.1: servers that ask
//! the crawler to wait (429, 503, `Retry-After`) or fail (5xx), hosts that are link farms,
//! and pages whose only changes are noise (clocks, counters, tokens).

mod harness;

use std::time::{Duration, Instant};

use sha2::Digest;

use harness::site::{Page, Site};
use harness::{warcio_accepts, Workspace};
use serde_json::Value;

fn statuses(ws: &Workspace, url: &str) -> Vec<i64> {
    ws.captures(url)
        .iter()
        .map(|c| c["status"].as_i64().unwrap())
        .collect()
}

/// The requests to `site` after the first request for `path`, with how long after it each
/// came.
fn after_first(site: &Site, path: &str) -> Vec<(Duration, String)> {
    let times = site.request_times();
    let start = times
        .iter()
        .position(|(_, p)| p == path)
        .unwrap_or_else(|| panic!("{path} was never requested"));
    let t0: Instant = times[start].0;
    times[start + 1..]
        .iter()
        .map(|(t, p)| (t.duration_since(t0), p.clone()))
        .collect()
}

fn links(paths: &[&str]) -> Page {
    let a: String = paths
        .iter()
        .map(|p| format!("<a href=\"{p}\">{p}</a> "))
        .collect();
    Page::html(format!("<html><body><p>Index</p>{a}</body></html>"))
}

fn page(text: &str) -> Page {
    Page::html(format!("<html><body><p>{text}</p></body></html>"))
}

const HOST: &str = "busy.test";

#[test]
fn a_503_with_retry_after_holds_the_host_and_the_url_is_asked_again_then() {
    let site = Site::start();
    site.put("/", links(&["/a", "/b", "/c", "/d", "/e"]));
    site.put_sequence(
        "/a",
        vec![
            Page::status(503, "<html><body>Busy</body></html>").with_header("Retry-After", "2"),
            page("Listing A"),
        ],
    );
    for p in ["/b", "/c", "/d", "/e"] {
        site.put(p, page(p));
    }
    // A back-off far longer than the 2 s asked: only Retry-After can make it 2 s.
    let ws =
        Workspace::new("[politeness]\nrobots = \"ignore\"\n[crawl]\nretry_backoff = \"30s\"\n");
    let out = ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "1", "--rate", "50"],
    );
    // Every attempt is a capture: the 503, then the page.
    let a = site.url(HOST, "/a");
    assert_eq!(statuses(&ws, &a), [503, 200], "{out}");
    assert_eq!(site.hits("/a"), 2);
    // Nothing went to the host for the 2 s it asked for; then /a was asked for again.
    let later = after_first(&site, "/a");
    assert!(!later.is_empty(), "the other pages were fetched after /a");
    for (after, path) in &later {
        assert!(
            *after >= Duration::from_millis(1950),
            "{path} requested {after:?} after a 503 that asked for 2 s: {later:?}"
        );
    }
    let again = later.iter().find(|(_, p)| p == "/a").expect("/a again").0;
    assert!(
        again < Duration::from_secs(10),
        "asked again after {again:?}, not 2 s"
    );
    for p in ["/b", "/c", "/d", "/e"] {
        assert_eq!(site.hits(p), 1, "{p}");
    }
    ws.verify_ok();
    // Both attempts are valid WARC to an independent reader.
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
}

#[test]
fn a_429_with_an_http_date_and_a_huge_retry_after_are_honoured_within_the_maximum() {
    // The workspace first: the date below is counted from the crawl's start (a workspace on
    // PostgreSQL starts its server, which takes a moment).
    let ws = Workspace::new(
        "[politeness]\nrobots = \"ignore\"\n[crawl]\nretry_after_max = \"2s\"\nretry_backoff = \"30s\"\n",
    );
    // An HTTP-date 3 s ahead (whole seconds: at least 2 s after the answer).
    let site = Site::start();
    site.put("/", links(&["/x", "/y"]));
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3));
    site.put_sequence(
        "/x",
        vec![
            Page::status(429, "<html><body>Slow down</body></html>")
                .with_header("Retry-After", &at),
            page("X"),
        ],
    );
    // A server asking for a day: held for retry_after_max (2 s) only.
    site.put_sequence(
        "/y",
        vec![
            Page::status(503, "<html><body>Down for a day</body></html>")
                .with_header("Retry-After", "86400"),
            page("Y"),
        ],
    );
    let started = Instant::now();
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "1", "--rate", "50"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "a day's Retry-After is capped"
    );
    assert_eq!(statuses(&ws, &site.url(HOST, "/x")), [429, 200]);
    assert_eq!(statuses(&ws, &site.url(HOST, "/y")), [503, 200]);
    let times = site.request_times();
    let when = |path: &str, nth: usize| {
        times
            .iter()
            .filter(|(_, p)| p == path)
            .nth(nth)
            .unwrap_or_else(|| panic!("request {nth} of {path}"))
            .0
    };
    let x_gap = when("/x", 1).duration_since(when("/x", 0));
    assert!(
        x_gap >= Duration::from_secs(1) && x_gap < Duration::from_secs(10),
        "HTTP-date honoured, not the 30 s back-off: {x_gap:?}"
    );
    let y_gap = when("/y", 1).duration_since(when("/y", 0));
    assert!(
        y_gap >= Duration::from_millis(1950) && y_gap < Duration::from_secs(30),
        "held for retry_after_max: {y_gap:?}"
    );
}

#[test]
fn a_500_is_retried_with_back_off_and_the_retry_budget_holds() {
    let site = Site::start();
    site.put("/", links(&["/flaky", "/broken", "/ok1", "/ok2"]));
    let err = || Page::status(500, "<html><body>Oops</body></html>");
    site.put_sequence("/flaky", vec![err(), err(), page("Flaky, then fine")]);
    // Always throttled: asked for once and retried twice (retries = 2), no more.
    site.put(
        "/broken",
        Page::status(503, "<html><body>Busy</body></html>").with_header("Retry-After", "1"),
    );
    site.put("/ok1", page("one"));
    site.put("/ok2", page("two"));
    let ws = Workspace::new(
        "[politeness]\nrobots = \"ignore\"\n[crawl]\nretries = 2\nretry_backoff = \"300ms\"\n",
    );
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "1", "--rate", "50"],
    );
    assert_eq!(statuses(&ws, &site.url(HOST, "/flaky")), [500, 500, 200]);
    assert_eq!(statuses(&ws, &site.url(HOST, "/broken")), [503, 503, 503]);
    assert_eq!(
        site.hits("/broken"),
        3,
        "1 + retries, then the answer stands"
    );
    // Back-off: 300 ms, then 600 ms between the attempts of /flaky.
    let times: Vec<Instant> = site
        .request_times()
        .into_iter()
        .filter(|(_, p)| p == "/flaky")
        .map(|(t, _)| t)
        .collect();
    assert!(times[1].duration_since(times[0]) >= Duration::from_millis(290));
    assert!(times[2].duration_since(times[1]) >= Duration::from_millis(590));
    // The URL is done, not failed: its last answer stands (the change index says error).
    let status: Value = serde_json::from_str(&ws.ok(&["status", "--json"])).unwrap();
    assert!(status["queue"]["done"].as_i64().unwrap() >= 5, "{status}");
    assert!(status["queue"].get("failed").is_none(), "{status}");
    ws.verify_ok();
}

/// An error on our side that persists (here the database refuses every change row, as a
/// damaged or tampered index would) is not the site's fault and must not spin the crawl on
/// one URL: it is tried again after the back-off, within the retry budget, then given up
/// for the pass with the error as its note; the other pages are crawled, and the crawl ends.
#[test]
fn a_persistent_error_on_our_side_is_retried_with_back_off_then_given_up() {
    let site = Site::start();
    site.put("/", links(&["/a", "/b"]));
    site.put("/a", page("A"));
    site.put("/b", page("B"));
    let ws = Workspace::new(
        "[politeness]\nrobots = \"ignore\"\n[crawl]\nretries = 2\nretry_backoff = \"300ms\"\n",
    );
    let start = site.url(HOST, "/");
    ws.crawl(&start, &[site.resolve(HOST)], &["--depth", "0"]);
    if ws.on_postgres() {
        ws.sql(&[
            "CREATE FUNCTION refuse_changes() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
                .into(),
            "CREATE TRIGGER refuse_changes BEFORE INSERT ON changes \
             FOR EACH ROW EXECUTE FUNCTION refuse_changes()"
                .into(),
        ]);
    } else {
        ws.sql(&["CREATE TRIGGER refuse_changes BEFORE INSERT ON changes BEGIN SELECT RAISE(ABORT, 'refused by the test'); END".into()]);
    }
    let began = Instant::now();
    let out = ws.run(&[
        "crawl",
        &site.url(HOST, "/a"),
        "--resolve",
        &site.resolve(HOST),
        "--depth",
        "0",
    ]);
    let took = began.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    let failures = stderr.matches("capture failed").count();
    assert_eq!(failures, 3, "1 + retries, then given up:\n{stderr}");
    assert!(stderr.contains("given up for this pass"), "{stderr}");
    assert_eq!(site.hits("/a"), 3, "one request per attempt");
    // Back-off: 300 ms, then 600 ms between the attempts.
    let times: Vec<Instant> = site
        .request_times()
        .into_iter()
        .filter(|(_, p)| p == "/a")
        .map(|(t, _)| t)
        .collect();
    assert!(times[1].duration_since(times[0]) >= Duration::from_millis(290));
    assert!(times[2].duration_since(times[1]) >= Duration::from_millis(590));
    assert!(took < Duration::from_secs(60), "the crawl ended: {took:?}");
    let status: Value = serde_json::from_str(&ws.ok(&["status", "--json"])).unwrap();
    assert!(status["queue"]["failed"].as_i64().unwrap() >= 1, "{status}");
    // What the failed attempts wrote stays in the archive (left for the next start's
    // recovery to index), and verify explains it.
    let v = ws.run(&["verify"]);
    let text = String::from_utf8_lossy(&v.stdout).to_string();
    assert!(v.status.success(), "{text}");
}

#[test]
fn a_misspelt_arti_table_is_refused_with_its_line_before_anything_runs() {
    let ws = Workspace::new(
        "[tor]\nenabled = true\n[tor.arti.path_rulez]\nipv4_subnet_family_prefix = 33\n",
    );
    let text = std::fs::read_to_string(&ws.config).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("path_rulez"))
        .expect("the table is in the config")
        + 1;
    let out = ws.run(&["status"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!(
            "nightjar.toml:{line}: tor.arti.path_rulez is not an arti-client setting"
        )),
        "{stderr}"
    );
}

#[test]
fn each_counter_says_one_thing() {
    let site = Site::start();
    site.put(
        "/robots.txt",
        Page {
            content_type: "text/plain".into(),
            ..Page::html("User-agent: *\nAllow: /\n")
        },
    );
    site.put("/", links(&["/a", "/b"]));
    site.put("/a", page("a"));
    site.put("/b", page("b"));
    // A second start URL on a host that refuses connections: 1 + 2 retries, then given up.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("http://dead.test:{closed}/");
    let ws = Workspace::new("[crawl]\nretries = 2\nretry_backoff = \"100ms\"\n");
    let out = ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST), format!("dead.test:{closed}:127.0.0.1")],
        &["--depth", "1", "--rate", "50", &dead],
    );
    assert!(
        out.contains("3 pages archived, 1 robots.txt archived"),
        "{out}"
    );
    assert!(out.contains("1 URLs failed (3 failed attempts)"), "{out}");
    let status: Value = serde_json::from_str(&ws.ok(&["status", "--json"])).unwrap();
    assert_eq!(status["pages"], 3, "{status}");
    assert_eq!(status["robots_fetched"], 1, "{status}");
    assert_eq!(status["failed_attempts"], 3, "{status}");
    assert_eq!(status["failed_urls"], 1, "{status}");
    // Every failed attempt is an error capture.
    assert_eq!(ws.captures(&dead).len(), 3);
    let text = ws.ok(&["status"]);
    assert!(
        text.contains("failed attempts 3") && text.contains("URLs failed 1"),
        "{text}"
    );
}

/// The labelled corpus of tests/change-corpus (see its README): page pairs whose only
/// difference is noise (`cosmetic`) or a real edit (`changed`), in many languages and page
/// types. Each pair is read as the crawl reads a response (the crawler's own extraction, a
/// case's seed settings) and classed by the change index's own rules.
fn corpus_accuracy(corpus: &str) {
    use archive::changes::{classify, ChangeClass, Observed};
    use crawler::engine::{discover, PageRules};

    let path = format!(
        "{}/../tests/{corpus}/cases.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(cases.len() >= 100, "the corpus is there");
    let list = |c: &Value, key: &str| -> Vec<String> {
        c["seed"][key]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let response = |html: &str| {
        let mut r = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            html.len()
        )
        .into_bytes();
        r.extend_from_slice(html.as_bytes());
        r
    };
    let mut wrong = Vec::new();
    let mut by_label: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for c in &cases {
        let rules =
            PageRules::for_comparison(&list(c, "ignore_text"), &list(c, "ignore_selectors"))
                .unwrap();
        let url = url::Url::parse(c["url"].as_str().unwrap()).unwrap();
        let observe = |html: &str| {
            let found = discover(&url, &response(html), &Default::default(), &rules);
            let prepared = found.prepared.expect("an HTML page has content");
            Observed {
                status: 200,
                // The bytes differ in every pair (hidden tokens at least).
                payload: Some(hex::encode(sha2::Sha256::digest(html.as_bytes()))),
                location: None,
                text: Some(prepared.print()),
            }
        };
        let (before, after) = (
            observe(c["before"].as_str().unwrap()),
            observe(c["after"].as_str().unwrap()),
        );
        // What differs in the stable form, to name in a failure.
        let stable = |html: &str| {
            let found = discover(&url, &response(html), &Default::default(), &rules);
            let content = found.content.unwrap();
            let text = found.extracted.compared_text.unwrap_or(content.text);
            let links: Vec<String> = found
                .extracted
                .compared_links
                .unwrap_or_else(|| content.links.into_iter().collect())
                .iter()
                .map(|l| rules.volatility.link(l))
                .collect();
            (rules.volatility.text(&text), links)
        };
        let diff = || {
            let (a, al) = stable(c["before"].as_str().unwrap());
            let (b, bl) = stable(c["after"].as_str().unwrap());
            let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
            let only_a: Vec<&&str> = a.iter().filter(|l| !b.contains(l)).collect();
            let only_b: Vec<&&str> = b.iter().filter(|l| !a.contains(l)).collect();
            let links_a: Vec<&String> = al.iter().filter(|l| !bl.contains(l)).collect();
            let links_b: Vec<&String> = bl.iter().filter(|l| !al.contains(l)).collect();
            format!("\n    before: {only_a:?} {links_a:?}\n    after:  {only_b:?} {links_b:?}")
        };
        let verdict = classify(&after, false, Some(200), Some(200), Some(&before));
        let expected = c["expected"].as_str().unwrap();
        let got = match verdict.class {
            ChangeClass::Cosmetic => "cosmetic",
            ChangeClass::Changed => "changed",
            other => panic!("{}: {other:?}", c["name"]),
        };
        let tally = by_label.entry(expected.to_string()).or_default();
        tally.1 += 1;
        if got == expected {
            tally.0 += 1;
        } else {
            wrong.push(format!(
                "{} ({}): expected {expected}, got {got}{}",
                c["name"].as_str().unwrap(),
                c["category"].as_str().unwrap(),
                diff()
            ));
        }
    }
    let right = cases.len() - wrong.len();
    let accuracy = right as f64 / cases.len() as f64;
    eprintln!(
        "change classes on {corpus}: {right}/{} right ({:.1} %); by label: {by_label:?}",
        cases.len(),
        accuracy * 100.0
    );
    assert!(
        accuracy >= 0.99,
        "{corpus}: accuracy {accuracy:.3}; wrong:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_change_classes_are_right_on_the_labelled_noise_corpus() {
    corpus_accuracy("change-corpus");
}

/// A second corpus, written apart from the rules by someone who had seen neither them nor
/// the first corpus: other software, other languages, other formats.
#[test]
fn the_change_classes_are_right_on_the_held_out_noise_corpus() {
    corpus_accuracy("change-corpus-heldout");
}

/// Deterministic prose for page `p`, from 8,000 made-up words.
fn prose(p: u64, words: usize) -> String {
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "mi", "ne", "ru", "ta", "vo", "ze", "pa", "si", "do", "be", "gu", "fa", "ho",
        "ji", "wu", "xe", "yo", "qi",
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

/// A site whose pages form a binary tree under `/{kind}/N` (N links to 2N and 2N+1), `n`
/// pages, each page's text made by `text`.
fn tree_site(kind: &str, n: u64, text: impl Fn(u64) -> String) -> Site {
    let site = Site::start();
    site.put("/", links(&[&format!("/{kind}/1")]));
    for i in 1..=n {
        let mut body = format!(
            "<html><head><title>Shop</title></head><body><nav><a href=\"/\">Home</a></nav><p>{}</p>",
            text(i)
        );
        for child in [2 * i, 2 * i + 1] {
            if child <= n {
                body.push_str(&format!("<a href=\"/{kind}/{child}\">more</a> "));
            }
        }
        body.push_str("<footer>Copyright</footer></body></html>");
        site.put(&format!("/{kind}/{i}"), Page::html(body));
    }
    site
}

fn fetched_under(site: &Site, prefix: &str) -> usize {
    site.request_times()
        .iter()
        .filter(|(_, p)| p.starts_with(prefix))
        .count()
}

#[test]
fn a_link_farm_is_stopped_early_and_reported() {
    // 6,000 templated item pages: the same text but for the item number.
    let site = tree_site("item", 6_000, |i| {
        format!("Item {i}. Best item {i} at the best price. Buy item {i} now. Related items:")
    });
    let ws = Workspace::new("[politeness]\nrobots = \"ignore\"\n");
    let out = ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "30", "--rate", "1000", "--max-pages", "10000"],
    );
    let fetched = fetched_under(&site, "/item/");
    // Stopped after the 100-page window (and what was in flight), not after 6,000 pages.
    assert!(
        (100..=130).contains(&fetched),
        "fetched {fetched} item pages\n{out}"
    );
    let status: Value = serde_json::from_str(&ws.ok(&["status", "--json"])).unwrap();
    let stopped = status["hosts_stopped"].as_array().unwrap();
    assert_eq!(stopped.len(), 1, "{status}");
    assert_eq!(stopped[0]["reason"], "link-farm");
    assert_eq!(stopped[0]["host"], format!("{HOST}:{}", site.port()));
    assert!(status["queue"]["skipped"].as_i64().unwrap() > 0, "{status}");
    let text = ws.ok(&["status"]);
    assert!(text.contains("link farm"), "{text}");
}

#[test]
fn a_real_5000_page_site_of_distinct_pages_is_crawled_completely() {
    let site = tree_site("p", 5_000, |i| prose(i, 150));
    let ws = Workspace::new("[politeness]\nrobots = \"ignore\"\n");
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "30", "--rate", "1000", "--max-pages", "10000"],
    );
    assert_eq!(fetched_under(&site, "/p/"), 5_000);
    let status: Value = serde_json::from_str(&ws.ok(&["status", "--json"])).unwrap();
    assert_eq!(
        status["hosts_stopped"].as_array().unwrap().len(),
        0,
        "{status}"
    );
    assert_eq!(status["pages"], 5_001, "{status}");
}

#[test]
fn the_fetch_budget_per_host_stops_a_host_the_same_way() {
    let site = tree_site("p", 200, |i| prose(i, 100));
    let ws =
        Workspace::new("[politeness]\nrobots = \"ignore\"\n[traps]\nmax_fetches_per_host = 40\n");
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "30", "--rate", "1000"],
    );
    // The index page and 39 pages: 40 from the host.
    assert_eq!(site.request_times().len(), 40);
    let status: Value = serde_json::from_str(&ws.ok(&["status", "--json"])).unwrap();
    assert_eq!(
        status["hosts_stopped"][0]["reason"], "host-budget",
        "{status}"
    );
}

#[test]
fn a_recrawl_that_differs_only_in_clock_counter_and_tokens_is_cosmetic_and_a_price_edit_is_not() {
    let listing = |generated: &str, views: u32, token: &str, price: &str| {
        Page::html(format!(
            "<html><head><title>Listing 7</title></head><body>\
             <p>Generated at {generated} by market engine</p>\
             <h1>Passport scans, 5 pcs</h1><p>Price: {price} USD</p><p>Views: {views}</p>\
             <p>Contact vendor via Telegram @docs_vendor</p>\
             <a href=\"/cart?item=7&csrf={token}\">Add to cart</a>\
             <a href=\"/vendor/docs_vendor?sid={token}\">Vendor</a>\
             <input type=hidden name=csrf value=\"{token}\"></body></html>"
        ))
    };
    let site = Site::start();
    site.put(
        "/item/7",
        listing(
            "2026-12-01 14:03:07 UTC",
            1234,
            "a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "120",
        ),
    );
    let ws = Workspace::new("[politeness]\nrobots = \"ignore\"\n");
    ws.ok(&["watch", "add", "scans", "--text", "Passport scans"]);
    let url = site.url(HOST, "/item/7");
    let crawl = || {
        ws.crawl(
            &url,
            &[site.resolve(HOST)],
            &["--depth", "0", "--rate", "50"],
        )
    };
    crawl();
    site.put(
        "/item/7",
        listing(
            "2026-12-01 14:09:51 UTC",
            1301,
            "f9e8d7c6b5a49382716f5e4d3c2b1a09",
            "120",
        ),
    );
    crawl();
    site.put(
        "/item/7",
        listing(
            "2026-12-01 15:00:00 UTC",
            1400,
            "0a9b8c7d6e5f40312a1b2c3d4e5f6a7b",
            "125",
        ),
    );
    crawl();
    assert_eq!(ws.classes(&url), ["new", "cosmetic", "changed"]);
    // The watch alerted on the first capture and on the price edit, not on the noise.
    let alerts: Vec<Value> = ws
        .ok(&["alerts", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    let history: Vec<Value> = ws
        .ok(&["history", &url, "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(history[1]["similarity"], 1.0, "{:?}", history[1]);
}

/// A fresh install whose one seed cannot be reached: the daemon says, in its log and in
/// `nightjar status`, what came of the seed, why and when it is tried next (again after a
/// restart), tries it again with a growing back-off instead of waiting for its day-long
/// recrawl, and archives it once the site is back, without a restart.
#[test]
fn a_seed_that_cannot_be_reached_says_why_and_is_tried_again_with_back_off() {
    let mut site = Site::start();
    site.put("/", page("Open for business"));
    site.down();
    let url = site.url(HOST, "/");
    // One retry within a pass, 200 ms apart: a failed pass is then retried after 400 ms,
    // 800 ms, 1.6 s… (retry_backoff × 2^retries, doubling).
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\n[crawl]\nretries = 1\nretry_backoff = \"200ms\"\n\
         [fetch]\nresolve = [\"{}\"]\n",
        site.resolve(HOST)
    ));
    ws.write_seeds(
        "shop.toml",
        format!("[[seed]]\nlabel = \"shop\"\nurl = \"{url}\"\nrecrawl = \"1day\"\n"),
    )
    .unwrap();
    let (child, log) = ws.spawn(&["run"]);
    let mut status = String::new();
    harness::wait_until(
        "the status to call the seed unreachable",
        Duration::from_secs(60),
        || {
            let now = String::from_utf8_lossy(&ws.run(&["status"]).stdout).into_owned();
            if now != status {
                eprintln!("{now}");
                status = now;
            }
            // With its next try: the status is written every second, and one written
            // between the failed fetch and the pass's retry schedule has none yet.
            status.contains("shop: site unreachable (cannot connect")
                && status.contains("; next try 20")
        },
    );
    eprintln!("{status}");
    assert!(status.contains("; next try 20"), "{status}");
    assert!(status.contains("; last tried 20"), "{status}");
    // Tried pass after pass, each wait longer than the last.
    harness::wait_until("three failed passes", Duration::from_secs(60), || {
        ws.captures(&url).len() >= 6
    });
    let stderr = harness::stop_cleanly(child, &log);
    assert!(
        stderr.contains("the seed's URL could not be reached")
            && stderr.contains("it is tried again in"),
        "{stderr}"
    );
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = ws
        .captures(&url)
        .iter()
        .map(|c| chrono::DateTime::parse_from_rfc3339(c["captured_at"].as_str().unwrap()).unwrap())
        .collect();
    assert!(
        ws.captures(&url).iter().all(|c| !c["error"].is_null()),
        "the site was down"
    );
    // Passes are two attempts each: the gap between passes (attempt 2 → next attempt 1)
    // grows.
    let gaps: Vec<i64> = times
        .windows(2)
        .skip(1)
        .step_by(2)
        .map(|w| (w[1] - w[0]).num_milliseconds())
        .collect();
    assert!(
        gaps.windows(2).all(|g| g[1] + 150 >= g[0]) && gaps.last() > gaps.first(),
        "the back-off between passes must grow: {gaps:?} ms"
    );
    let attempts_before = times.len();
    assert!(
        attempts_before < 30,
        "a down site must not be hammered: {attempts_before} attempts"
    );

    // After a restart the log says at once what came of the seed and when it is next tried.
    let (child, log) = ws.spawn(&["run"]);
    harness::wait_until(
        "the seed's state in the log",
        Duration::from_secs(30),
        || {
            std::fs::read_to_string(&log)
                .unwrap_or_default()
                .contains("seed shop: site unreachable (cannot connect")
        },
    );
    // The site comes back: archived on the next try, not a day later.
    site.up();
    harness::wait_until("the seed archived", Duration::from_secs(90), || {
        statuses(&ws, &url).contains(&200)
    });
    harness::wait_until("the status to say so", Duration::from_secs(30), || {
        ws.ok(&["status"])
            .contains("shop: archived; last capture 20")
    });
    harness::stop_cleanly(child, &log);
}

/// A command-line crawl names its seed after the URL, however long (an onion address alone
/// is 62 characters): the bound on labels an operator types does not refuse it, and the
/// same command run again recrawls the same seed.
#[test]
fn a_command_line_crawl_of_a_long_url_is_named_by_it() {
    let site = Site::start();
    let path = format!("/{}/index.html", "listing-".repeat(12));
    site.put(&path, page("a page behind a long address"));
    let ws = Workspace::new("[politeness]\nrobots = \"ignore\"\n");
    let url = site.url("a-rather-long-host-name-for-a-board.test", &path);
    assert!(url.len() > 100, "{url}");
    let resolve = [site.resolve("a-rather-long-host-name-for-a-board.test")];
    ws.crawl(&url, &resolve, &[]);
    ws.crawl(&url, &resolve, &[]);
    assert_eq!(statuses(&ws, &url), [200, 200]);
    let seeds = ws.ok(&["status"]);
    assert!(seeds.contains(&format!("cli:{url}")), "{seeds}");
}
