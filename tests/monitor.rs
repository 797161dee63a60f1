//! Monitoring over time, against a real site on 127.0.0.1 that the test edits between
//! recrawls: change classes, revisit records (checked by our reader, warcio and pywb), the
//! change feed, history and diffs, conditional requests, and what an unchanged recrawl costs.

mod harness;

use std::collections::HashMap;
use std::path::Path;

use archive::frames::FrameWalker;
use archive::record::ParsedRecord;
use harness::site::{Page, Site};
use harness::{tool, warcio_accepts, Workspace};
use serde_json::Value;

const HOST: &str = "watch.test";

fn index_page(site: &Site, links: &[&str]) -> Page {
    let items: String = links
        .iter()
        .map(|p| format!("<li><a href=\"{}\">{p}</a></li>", site.url(HOST, p)))
        .collect();
    Page::html(format!(
        "<html><head><title>Board</title></head><body><h1>Board</h1><ul>{items}</ul></body></html>"
    ))
}

fn article(lines: &[&str], links: &[&str]) -> String {
    let ps: String = lines.iter().map(|l| format!("<p>{l}</p>")).collect();
    let ls: String = links
        .iter()
        .map(|l| format!("<a href=\"{l}\">{l}</a>"))
        .collect();
    format!("<html><head><title>News</title><script>var t=1</script></head><body>{ps}{ls}</body></html>")
}

fn token_page(token: &str, clock: u32) -> Page {
    Page::html(format!(
        "<html><head><title>Login</title><script>var now={clock}</script></head><body>\
         <form method=post action=/login><input type=hidden name=csrf value=\"{token}\">\
         <p>Members only</p></form></body></html>"
    ))
}

/// Every record in the archive, by record ID.
fn records(dir: &Path) -> HashMap<String, ParsedRecord> {
    let mut out = HashMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.to_string_lossy().to_string();
        if !(name.ends_with(".warc.zst") || name.ends_with(".warc.gz")) {
            continue;
        }
        for f in FrameWalker::open(&p).unwrap() {
            let rec = ParsedRecord::parse(&f.unwrap().record).unwrap();
            out.insert(rec.record_id().to_string(), rec);
        }
    }
    out
}

fn crawl(ws: &Workspace, site: &Site) -> String {
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "2", "--rate", "100"],
    )
}

#[test]
fn a_changing_site_gets_the_right_classes_revisits_feed_history_and_diffs() {
    let mut site = Site::start();
    let pages = ["/news.html", "/login.html", "/old.html", "/static.html"];
    site.put("/", index_page(&site, &pages));
    site.put(
        "/news.html",
        Page::html(article(
            &["Vendor A lists 10 lots.", "Shipping to EU."],
            &["/static.html"],
        ))
        .with_etag("n1"),
    );
    site.put("/login.html", token_page("tok-1", 1));
    site.put("/old.html", Page::html(article(&["An old ad."], &[])));
    site.put(
        "/static.html",
        Page::html(article(&["Rules of the board."], &[])),
    );
    let ws = Workspace::new("[crawl]\nretries = 0\n[politeness]\nrobots = \"ignore\"\n");
    let port = site.port();
    let u = |p: &str| format!("http://{HOST}:{port}{p}");

    // 1. First crawl: everything is new.
    crawl(&ws, &site);
    for p in ["/"].iter().chain(&pages) {
        assert_eq!(ws.classes(&u(p)), ["new"], "{p}");
    }

    // 2. Edit the news, rotate the login token and clock, delete the old ad.
    site.put(
        "/news.html",
        Page::html(article(
            &["Vendor A lists 12 lots.", "Shipping to EU."],
            &["/static.html", "/new-vendor.html"],
        ))
        .with_etag("n2"),
    );
    site.put("/login.html", token_page("tok-2", 2));
    site.remove("/old.html");
    crawl(&ws, &site);
    assert_eq!(ws.classes(&u("/")), ["new", "unchanged"]);
    assert_eq!(ws.classes(&u("/static.html")), ["new", "unchanged"]);
    assert_eq!(ws.classes(&u("/news.html")), ["new", "changed"]);
    assert_eq!(ws.classes(&u("/login.html")), ["new", "cosmetic"]);
    assert_eq!(ws.classes(&u("/old.html")), ["new", "gone"]);
    assert_eq!(
        ws.classes(&u("/new-vendor.html")),
        ["new"],
        "a link found in a recrawl is crawled (here a 404 at its first capture)"
    );

    // The unchanged page was written as a revisit: headers right, body absent.
    let st = ws.captures(&u("/static.html"));
    assert_eq!(st[0]["warc_type"], "response");
    assert_eq!(st[1]["warc_type"], "revisit");
    assert_eq!(st[1]["refers_to"], st[0]["record_id"]);
    assert_eq!(st[1]["payload_digest"], st[0]["payload_digest"]);
    let recs = records(&ws.warcs());
    let revisit = &recs[st[1]["record_id"].as_str().unwrap()];
    assert_eq!(revisit.warc_type(), "revisit");
    assert_eq!(
        revisit.get("WARC-Profile"),
        Some("http://netpreserve.org/warc/1.1/revisit/identical-payload-digest")
    );
    assert_eq!(revisit.get("WARC-Refers-To"), st[0]["record_id"].as_str());
    assert_eq!(
        revisit.get("WARC-Refers-To-Target-URI"),
        Some(u("/static.html").as_str())
    );
    assert_eq!(
        revisit.get("WARC-Refers-To-Date"),
        st[0]["captured_at"].as_str()
    );
    assert_eq!(revisit.get("WARC-Truncated"), Some("length"));
    assert_eq!(
        revisit.get("WARC-Payload-Digest"),
        st[0]["payload_digest"].as_str()
    );
    let block = String::from_utf8(revisit.block.clone()).unwrap();
    assert!(
        block.starts_with("HTTP/1.1 200 OK\r\n") && block.ends_with("\r\n\r\n"),
        "the block is the response head: {block:?}"
    );
    assert!(
        !block.contains("Rules of the board"),
        "no body in a revisit"
    );
    // The request record is still written, concurrent to the revisit.
    assert!(recs
        .values()
        .any(|r| r.warc_type() == "request"
            && r.get("WARC-Concurrent-To") == Some(revisit.record_id())));
    // `show --body` of the revisit gives the original body.
    let id = st[1]["id"].as_i64().unwrap().to_string();
    let body = ws.ok(&["show", "--reason", "test", &id, "--body"]);
    assert!(body.contains("Rules of the board"), "{body}");
    // The cosmetic page changed bytes but kept its payload as a full response.
    let login = ws.captures(&u("/login.html"));
    assert_eq!(login[1]["warc_type"], "response");
    assert_ne!(login[0]["payload_digest"], login[1]["payload_digest"]);

    // The diff of the news: text lines, links and headers.
    let news = ws.captures(&u("/news.html"));
    let (a, b) = (
        news[0]["id"].as_i64().unwrap().to_string(),
        news[1]["id"].as_i64().unwrap().to_string(),
    );
    let d = ws.ok(&["diff", "--reason", "test", &a, &b]);
    assert!(d.contains("-Vendor A lists 10 lots."), "{d}");
    assert!(d.contains("+Vendor A lists 12 lots."), "{d}");
    assert!(
        !d.contains("-Shipping to EU."),
        "unchanged lines are context: {d}"
    );
    assert!(
        d.contains(&format!("link added: {}", u("/new-vendor.html"))),
        "{d}"
    );
    assert!(d.contains("header changed: etag: \"n1\" → \"n2\""), "{d}");
    let dj: Value =
        serde_json::from_str(&ws.ok(&["diff", "--reason", "test", &a, &b, "--json"])).unwrap();
    assert_eq!(
        dj["links_added"],
        serde_json::json!([u("/new-vendor.html")])
    );
    assert_eq!(dj["links_removed"], serde_json::json!([]));
    assert_eq!(dj["same_payload"], false);
    let sim = dj["similarity"].as_f64().unwrap();
    assert!(sim > 0.0 && sim < 1.0, "similarity {sim}");
    // A cosmetic change has no text diff and similarity 1.
    let login_d: Value = serde_json::from_str(&ws.ok(&[
        "diff",
        "--reason",
        "test",
        &login[0]["id"].as_i64().unwrap().to_string(),
        &login[1]["id"].as_i64().unwrap().to_string(),
        "--json",
    ]))
    .unwrap();
    assert_eq!(login_d["text_diff"], "");
    assert_eq!(login_d["similarity"], 1.0);

    // 3. The host goes down: every page is an error.
    site.down();
    crawl(&ws, &site);
    assert_eq!(ws.classes(&u("/news.html")), ["new", "changed", "error"]);
    // 4. It comes back: pages answer again.
    site.up();
    crawl(&ws, &site);
    assert_eq!(
        ws.classes(&u("/news.html")),
        ["new", "changed", "error", "back"]
    );
    assert_eq!(
        ws.classes(&u("/static.html")),
        ["new", "unchanged", "error", "back"]
    );
    assert_eq!(
        ws.classes(&u("/old.html")),
        ["new", "gone", "error", "unchanged"],
        "still gone after the outage"
    );

    // The feed: newest first, unchanged and cosmetic left out unless asked for.
    let feed: Vec<Value> = ws
        .ok(&["changes", "--since", "1h", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let times: Vec<&str> = feed
        .iter()
        .map(|v| v["captured_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(feed
        .iter()
        .all(|v| !matches!(v["class"].as_str(), Some("unchanged" | "cosmetic"))));
    for class in ["new", "changed", "gone", "error", "back"] {
        assert!(
            feed.iter().any(|v| v["class"] == class),
            "{class} in the feed"
        );
    }
    let gone = ws.ok(&[
        "changes",
        "--since",
        "1h",
        "--class",
        "gone,cosmetic",
        "--json",
    ]);
    let gone: Vec<Value> = gone
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(gone.len(), 2, "{gone:?}");
    let by_host = ws.ok(&[
        "changes",
        "--since",
        "1h",
        "--host",
        &format!("{HOST}:{}", site.port()),
        "--class",
        "back",
    ]);
    assert!(by_host.contains(&u("/news.html")), "{by_host}");
    let none = ws.ok(&["changes", "--since", "1h", "--host", "elsewhere.test"]);
    assert!(none.starts_with("no changes"), "{none}");
    let future = ws.ok(&["changes", "--since", "2999-01-01"]);
    assert!(future.starts_with("no changes"), "{future}");
    let bad = ws.run(&["changes", "--class", "weird"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cosmetic"));
    let history = ws.ok(&["history", &u("/news.html")]);
    assert!(
        history.contains("changed") && history.contains("back"),
        "{history}"
    );

    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
    ws.verify_ok();
}

#[test]
fn a_304_to_a_conditional_recrawl_is_a_server_not_modified_revisit() {
    let site = Site::start();
    site.put(
        "/",
        Page::html("<html><body><p>Price list</p></body></html>").with_etag("v1"),
    );
    let ws = Workspace::new(
        "[recrawl]\nconditional_requests = true\n[politeness]\nrobots = \"ignore\"\n",
    );
    let url = site.url(HOST, "/");
    crawl(&ws, &site);
    crawl(&ws, &site);
    let reqs = site.requests();
    assert!(!reqs[0].contains("If-None-Match"), "{}", reqs[0]);
    assert!(
        reqs[1].contains("If-None-Match: \"v1\""),
        "the recrawl is conditional: {}",
        reqs[1]
    );
    let caps = ws.captures(&url);
    assert_eq!(caps[1]["status"], 304);
    assert_eq!(caps[1]["warc_type"], "revisit");
    assert_eq!(caps[1]["refers_to"], caps[0]["record_id"]);
    let recs = records(&ws.warcs());
    let r = &recs[caps[1]["record_id"].as_str().unwrap()];
    assert_eq!(
        r.get("WARC-Profile"),
        Some("http://netpreserve.org/warc/1.1/revisit/server-not-modified")
    );
    assert_eq!(r.get("WARC-Refers-To"), caps[0]["record_id"].as_str());
    assert!(String::from_utf8_lossy(&r.block).starts_with("HTTP/1.1 304 Not Modified"));
    assert_eq!(ws.classes(&url), ["new", "unchanged"]);
    let body = ws.ok(&[
        "show",
        "--reason",
        "test",
        &caps[1]["id"].as_i64().unwrap().to_string(),
        "--body",
    ]);
    assert!(body.contains("Price list"), "{body}");
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
    ws.verify_ok();
}

#[test]
fn pywb_replays_the_original_body_at_the_revisit_timestamp() {
    let site = Site::start();
    let body = "<html><body><p>Escrow terms, version 1</p></body></html>";
    site.put("/terms.html", Page::html(body));
    // gzip per record: pywb (through warcio) does not read zstd WARCs.
    let ws =
        Workspace::new("[archive]\ncompression = \"gzip\"\n[politeness]\nrobots = \"ignore\"\n");
    let url = site.url(HOST, "/terms.html");
    let args = |ws: &Workspace| {
        ws.crawl(&url, &[site.resolve(HOST)], &["--depth", "0"]);
    };
    args(&ws);
    // CDXJ timestamps have one-second resolution: the revisit must fall in another second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    args(&ws);
    let caps = ws.captures(&url);
    assert_eq!(caps[1]["warc_type"], "revisit");
    let ts = harness::pywb::ts14(caps[1]["captured_at"].as_str().unwrap());

    // Our CDXJ line for the revisit agrees with cdxj-indexer's on what replay needs.
    let ours = ws
        .cdxj()
        .into_iter()
        .find(|(u, v)| u == &url && v["timestamp"] == ts.as_str())
        .expect("our CDXJ has the revisit")
        .1;
    assert_eq!(ours["mime"], "warc/revisit");
    let mut theirs = None;
    for f in ws.warc_files() {
        let o = tool("cdxj-indexer", &[&f.to_string_lossy()]);
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            let mut parts = line.splitn(3, ' ');
            let (_, t, json) = (parts.next(), parts.next(), parts.next());
            if t == Some(ts.as_str()) {
                theirs = Some(serde_json::from_str::<Value>(json.unwrap()).unwrap());
            }
        }
    }
    let theirs = theirs.expect("cdxj-indexer lists the revisit");
    for key in ["mime", "status", "digest", "offset", "length", "filename"] {
        assert_eq!(ours[key], theirs[key], "{key}: ours {ours} theirs {theirs}");
    }

    // A pywb collection built by pywb's own indexer from our WARC files.
    let mut pywb = harness::pywb::Pywb::new("evidence");
    for f in ws.warc_files() {
        pywb.add_warc(&f);
    }
    let got = pywb.replay(&ts, &url);
    assert!(got.contains(body), "pywb served the original body: {got}");
    // And it served it for the revisit: pywb's CDXJ (its own indexer) marks the capture at
    // that timestamp as a revisit.
    let cdxj = pywb.cdxj();
    assert!(
        cdxj.lines()
            .any(|l| l.contains(&format!(" {ts} ")) && l.contains("warc/revisit")),
        "{cdxj}"
    );
}

#[test]
fn the_daemon_recrawls_a_changing_page_more_often_than_a_stable_one() {
    let site = Site::start();
    site.put("/", index_page(&site, &["/live.html", "/still.html"]));
    site.put(
        "/live.html",
        Page::html("<html><body><p>Listings: {hits}</p></body></html>"),
    );
    site.put(
        "/still.html",
        Page::html("<html><body><p>Board rules</p></body></html>"),
    );
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [\"{}\"]\n[politeness]\nrobots = \"ignore\"\n",
        site.resolve(HOST)
    ));
    ws.write_seeds(
        "watch.toml",
        format!(
            "[[seed]]\nlabel = \"board\"\nurl = \"{}\"\nrecrawl = \"2s\"\nrecrawl_min = \"1s\"\nrecrawl_max = \"30s\"\nrate_per_sec = 50\n",
            site.url(HOST, "/")
        ),
    )
    .unwrap();
    let (child, log) = ws.spawn(&["run"]);
    harness::wait_until(
        "12 s of crawling",
        std::time::Duration::from_secs(60),
        || site.hits("/") >= 7,
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = harness::wait_bounded(child.take(), std::time::Duration::from_secs(30));
    assert!(
        out.status.success(),
        "{}",
        std::fs::read_to_string(&log).unwrap()
    );
    let (live, still) = (site.hits("/live.html"), site.hits("/still.html"));
    eprintln!("fetches: live {live}, still {still}");
    // live: 2 s, then 1 s (changed every time); still: 2 s, then 3, 4.5, 6.75 s.
    assert!(
        live >= still + 3,
        "the changing page came back more often: live {live}, still {still}"
    );
    let still_classes = ws.classes(&site.url(HOST, "/still.html"));
    assert!(still_classes.len() >= 2, "{still_classes:?}");
    assert!(still_classes[1..].iter().all(|c| c == "unchanged"));
    let live_classes = ws.classes(&site.url(HOST, "/live.html"));
    assert!(
        live_classes[1..].iter().all(|c| c == "changed"),
        "{live_classes:?}"
    );
    // Every recrawl of the stable page is a revisit.
    let caps = ws.captures(&site.url(HOST, "/still.html"));
    assert!(caps[1..].iter().all(|c| c["warc_type"] == "revisit"));
    ws.verify_ok();
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

#[test]
fn recrawling_an_unchanged_1000_page_site_adds_at_most_1_5_kib_per_page() {
    const PAGES: usize = 1000;
    let site = Site::start();
    let links: Vec<String> = (0..PAGES).map(|i| format!("/item/{i}.html")).collect();
    let refs: Vec<&str> = links.iter().map(String::as_str).collect();
    site.put("/", index_page(&site, &refs));
    for i in 0..PAGES {
        // ~4 KB pages with 20 links each, like a listing on an ad board.
        let related: String = (1..=20)
            .map(|k| {
                format!(
                    "<li><a href=\"/item/{}.html\">Related ad {}</a></li>",
                    (i + k * 37) % PAGES,
                    k
                )
            })
            .collect();
        let text: String = (0..12)
            .map(|p| format!("<p>Ad {i}, paragraph {p}: room available, contact the agent by phone or message, references required, deposit negotiable.</p>"))
            .collect();
        site.put(
            &format!("/item/{i}.html"),
            Page::html(format!(
                "<html><head><title>Ad {i}</title></head><body>{text}<ul>{related}</ul></body></html>"
            )),
        );
    }
    let ws = Workspace::new(
        "[politeness]\nrobots = \"ignore\"\nmax_in_flight = 16\nrate_per_sec = 10000.0\n",
    );
    let crawl = |ws: &Workspace| {
        ws.crawl(
            &site.url(HOST, "/"),
            &[site.resolve(HOST)],
            &["--depth", "1", "--max-pages", "5000"],
        )
    };
    crawl(&ws);
    let first = dir_bytes(&ws.warcs());
    crawl(&ws);
    let added = dir_bytes(&ws.warcs()) - first;
    if std::env::var_os("NIGHTJAR_KEEP_TMP").is_some() {
        eprintln!("{}", ws.data().display());
    }
    let per_page = added as f64 / (PAGES + 1) as f64;
    eprintln!(
        "first crawl {first} bytes ({:.0} per page); unchanged recrawl added {added} bytes, {per_page:.0} per page",
        first as f64 / (PAGES + 1) as f64
    );
    assert!(
        per_page <= 1536.0,
        "an unchanged recrawl costs {per_page:.0} bytes per page"
    );
    let caps = ws.captures(&site.url(HOST, "/item/7.html"));
    assert_eq!(caps.len(), 2);
    assert_eq!(caps[1]["warc_type"], "revisit");
    assert_eq!(site.hits("/item/7.html"), 2);
}

#[test]
fn redirects_error_pages_and_dead_links_are_judged_by_what_they_say() {
    let site = Site::start();
    site.put("/", index_page(&site, &["/ad.html", "/go", "/dead.html"]));
    let ad = "<html><body><p>Room to let, ask for Ana</p></body></html>";
    site.put("/ad.html", Page::html(ad));
    site.put("/go", Page::redirect(&site.url(HOST, "/ad.html")));
    let ws = Workspace::new(
        "[crawl]\nretries = 0\n[politeness]\nrobots = \"ignore\"\n[recrawl]\nretire_after_gone = 2\n",
    );
    let u = |p: &str| site.url(HOST, p);
    crawl(&ws, &site);
    assert_eq!(
        ws.classes(&u("/dead.html")),
        ["new"],
        "a 404 from the start"
    );

    // The ad is replaced by a maintenance page (503); the redirect points elsewhere with the
    // very same body.
    site.put(
        "/ad.html",
        Page::status(503, "<html><body>Maintenance</body></html>"),
    );
    site.put("/go", Page::redirect(&site.url(HOST, "/other.html")));
    crawl(&ws, &site);
    assert_eq!(ws.classes(&u("/ad.html")), ["new", "error"]);
    assert_eq!(
        ws.classes(&u("/go")),
        ["new", "changed"],
        "same body, new Location: the redirect changed"
    );

    // The ad is back as it was: `back`, and a revisit of the first capture, not of the 503.
    site.put("/ad.html", Page::html(ad));
    crawl(&ws, &site);
    assert_eq!(ws.classes(&u("/ad.html")), ["new", "error", "back"]);
    let caps = ws.captures(&u("/ad.html"));
    assert_eq!(caps[2]["warc_type"], "revisit");
    assert_eq!(caps[2]["refers_to"], caps[0]["record_id"]);
    let history: Vec<Value> = ws
        .ok(&["history", &u("/ad.html"), "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(history[2]["similarity"], 1.0, "back as it was");

    // /dead.html was 404 in the first two crawls; with retire_after_gone = 2 it was retired
    // then, and the unchanged index page linking to it does not revive it.
    let before = site.hits("/dead.html");
    crawl(&ws, &site);
    assert_eq!(
        site.hits("/dead.html"),
        before,
        "a retired URL is not fetched"
    );
    // A changed page linking to it brings it back.
    site.put(
        "/",
        index_page(&site, &["/ad.html", "/go", "/dead.html", "/fresh.html"]),
    );
    crawl(&ws, &site);
    assert_eq!(
        site.hits("/dead.html"),
        before + 1,
        "revived by a changed page"
    );
    ws.verify_ok();
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
}

#[test]
fn a_revisit_archived_but_not_indexed_before_a_crash_is_recovered_as_a_revisit() {
    let site = Site::start();
    site.put(
        "/",
        Page::html("<html><body><p>Vendor list</p></body></html>"),
    );
    let ws = Workspace::new("[politeness]\nrobots = \"ignore\"\n");
    let url = site.url(HOST, "/");
    let run = || ws.crawl(&url, &[site.resolve(HOST)], &["--depth", "0"]);
    run();
    run();
    let caps = ws.captures(&url);
    assert_eq!(caps[1]["warc_type"], "revisit");
    let revisit_id = caps[1]["id"].as_i64().unwrap();

    // The crash: the revisit's index transaction never committed, its file is still `.open`.
    ws.forget_indexing_of(revisit_id);
    let file = ws.warc_files().pop().unwrap();
    let open = file.with_file_name(format!(
        "{}.open",
        file.file_name().unwrap().to_string_lossy()
    ));
    std::fs::rename(&file, &open).unwrap();

    let hits = site.hits("/");
    run();
    assert_eq!(site.hits("/"), hits, "recovery fetches nothing again");
    let after = ws.captures(&url);
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(after[1]["warc_type"], "revisit");
    assert_eq!(after[1]["refers_to"], caps[0]["record_id"]);
    assert_eq!(after[1]["record_id"], caps[1]["record_id"]);
    assert_eq!(ws.classes(&url), ["new", "unchanged"]);
    assert!(file.exists() && !open.exists());
    ws.verify_ok();
}
