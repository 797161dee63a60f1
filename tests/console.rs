//! The web console in a real browser: Debian's headless Chromium, driven by playwright-core
//! (tests/console/console.test.mjs), against `nightjar run` on 127.0.0.1 crawling a real
//! fixture site. An analyst logs in, searches, views an archived page (which tries to load a
//! script, a style sheet and an image from the live web), follows a link, diffs two
//! captures and exports; no request may leave the daemon's origin, and each step that
//! reads archived content is in the audit log.

mod harness;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use harness::site::{Page, Site};
use harness::{browser_script, wait_until, Workspace};
use serde_json::Value;

/// An address on the page, which the console shows as an entity of its captures.
const BTC: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";

fn news(headline: &str) -> Page {
    Page::html(format!(
        r#"<html><head><title>Board</title>
<script src="http://198.51.100.7/track.js"></script>
<link rel="stylesheet" href="http://198.51.100.7/style.css">
<meta http-equiv="refresh" content="0; url=http://198.51.100.7/">
<style>@import url(http://198.51.100.7/i.css); @import "http://198.51.100.7/j.css";
h1 {{ color: rgb(120, 0, 0); background: u\72l(http://198.51.100.7/esc.png) }}
@media screen {{ p {{ background-image: image-set("http://198.51.100.7/set.png" 1x); margin: 2px }} }}
@font-face {{ font-family: x; src: url(http://198.51.100.7/f.woff) }}</style>
</head><body onload="alert(1)"><h1>{headline}</h1>
<img src="http://198.51.100.7/pixel.png" srcset="http://198.51.100.7/p2.png 2x">
<p style="background: url(http://198.51.100.7/bg.png)">Contact +44 7700 900123</p>
<p>Pay to {BTC}</p>
<a href="/other">other ad</a>
<template shadowrootmode="open"><img src="http://198.51.100.7/shadow.png"><a href="http://198.51.100.7/live">live</a></template>
<svg><a href="http://198.51.100.7/svg"><text>svg link</text></a><image href="http://198.51.100.7/i.png"/></svg>
<map name="m"><area href="http://198.51.100.7/area" shape="rect" coords="0,0,1,1"></map>
</body></html>"#
    ))
}

#[test]
fn an_analyst_searches_views_diffs_and_exports_in_the_console_without_touching_the_live_web() {
    let site = Site::start();
    site.put("/news", news("Old headline"));
    site.put("/other", Page::html("another ad"));
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [\"{}\"]\n",
        site.resolve("board.test")
    ));
    let news_url = site.url("board.test", "/news");
    ws.write_seeds(
        "s.toml",
        format!(
            "[[seed]]\nlabel = \"board\"\nurl = \"{news_url}\"\nrecrawl = \"2s\"\nrecrawl_min = \"2s\"\nmax_depth = 1\nrate_per_sec = 20\n"
        ),
    )
    .unwrap();
    let token = ws
        .ok(&["token", "create", "--role", "analyst", "--name", "browser"])
        .trim()
        .to_string();
    let (child, _log) = ws.spawn(&["run"]);
    wait_until("a first capture", Duration::from_secs(60), || {
        ws.capture_counts_if_any().contains_key(&news_url)
    });
    site.put("/news", news("New headline"));
    wait_until(
        "a capture of the new version",
        Duration::from_secs(60),
        || ws.ok(&["history", &news_url]).contains("changed"),
    );
    let api = ws.api_address().expect("the status names the API address");

    // The browser profile and the downloaded package go in a directory the test removes.
    let scratch = tempfile::tempdir().unwrap();
    let stdout = browser_script(
        scratch.path(),
        "console.test.mjs",
        &[
            format!("http://{api}"),
            token.clone(),
            news_url.clone(),
            "Old headline".into(),
            "New headline".into(),
            BTC.into(),
        ],
        Duration::from_secs(180),
    );
    assert!(stdout.contains("all to http://127.0.0.1:"), "{stdout}");

    // The package the browser downloaded verifies.
    let saved = stdout
        .lines()
        .find_map(|l| l.strip_prefix("export: "))
        .expect("the export's path");
    let checked = ws.ok(&["verify", saved]);
    assert!(checked.trim_end().ends_with("OK"), "{checked}");

    // Every read of archived content is in the audit log, with the reason given.
    let auditor = ws
        .ok(&["token", "create", "--role", "auditor", "--name", "audit"])
        .trim()
        .to_string();
    // (Paged: the test's own polling of the index is audited too.)
    let mut entries: Vec<Value> = Vec::new();
    let mut after = 0;
    for _ in 0..1000 {
        let page = Command::new("curl")
            .args(["-s", "-H", &format!("Authorization: Bearer {auditor}")])
            .arg(format!("http://{api}/api/v1/audit?after={after}&limit=500"))
            .output()
            .unwrap();
        let page: Value = serde_json::from_slice(&page.stdout).unwrap();
        entries.extend(page["entries"].as_array().unwrap().iter().cloned());
        match page["next_after"].as_i64() {
            Some(a) => after = a,
            None => break,
        }
    }
    let log = Value::from(entries.clone());
    let by_browser = |action: &str| {
        entries
            .iter()
            .filter(|e| e["actor"] == "token:browser" && e["action"] == action)
            .cloned()
            .collect::<Vec<Value>>()
    };
    for action in [
        "captures.search",
        "capture.read",
        "capture.page",
        "diff",
        "export",
        "export.download",
    ] {
        let entries = by_browser(action);
        assert!(!entries.is_empty(), "no {action} by the browser in {log}");
    }
    assert!(by_browser("capture.page")
        .iter()
        .all(|e| e["reason"] == "case-17"));
    assert!(by_browser("export")
        .iter()
        .all(|e| e["reason"] == "disclosure to the court"));
    drop(child);
}

/// The console's task view in headless Chromium: an operator opens Tasks, sees the CAPTCHA
/// of a members-only forum's login (the archived image, never loaded from the site), types
/// the answer and sends it; nightjar logs in on the session's circuit and the crawl goes on.
#[test]
fn an_operator_answers_a_captcha_in_the_console_and_the_crawl_resumes() {
    use harness::forum::{forum_seed, open_tasks, Forum, Rules, PASSWORD};
    let forum = Forum::start(Rules {
        threads: 2,
        pages_per_session: 100,
        captcha: true,
        ..Rules::default()
    });
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\n[fetch]\nresolve = [\"forum.test:{}:127.0.0.1\"]\n",
        forum.port()
    ));
    let root = format!("http://forum.test:{}/", forum.port());
    forum_seed(&ws, &root, PASSWORD, "");
    let token = ws
        .ok(&[
            "token",
            "create",
            "--role",
            "operator",
            "--name",
            "console-ops",
        ])
        .trim()
        .to_string();
    let (child, _log) = ws.spawn(&["run"]);
    wait_until("the API", Duration::from_secs(30), || {
        ws.api_address().is_some()
    });
    let api = ws.api_address().unwrap();
    wait_until("a task", Duration::from_secs(60), || {
        !open_tasks(&api, &token).is_empty()
    });
    let answer = forum.captcha_answer().expect("the CAPTCHA was fetched");
    let scratch = tempfile::tempdir().unwrap();
    let shot = scratch.path().join("tasks.png");
    let stdout = browser_script(
        scratch.path(),
        "tasks.test.mjs",
        &[
            format!("http://{api}"),
            token.clone(),
            answer.clone(),
            shot.display().to_string(),
        ],
        Duration::from_secs(120),
    );
    assert!(stdout.contains("all to http://127.0.0.1:"), "{stdout}");
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 1000),
        "a screenshot of the task view at 1280x800"
    );
    wait_until("the threads", Duration::from_secs(60), || {
        forum
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/thread/"))
            .count()
            >= 2
    });
    assert_eq!(
        forum.logins(),
        (1, 0),
        "the answer typed in the console was taken"
    );
    let audit = ws.query_text("SELECT action || ' ' || actor FROM audit_log ORDER BY seq");
    assert!(
        audit.contains(&"session.task.answer token:console-ops".to_string())
            && audit.contains(&"task.captcha token:console-ops".to_string()),
        "{audit:?}"
    );
    drop(child);
}

/// One page of the multilingual board: where it is, how it is encoded and declared, what it
/// says, and the word OCR must read back from the console's screenshot (in which of
/// tesseract's languages).
struct Script {
    path: &'static str,
    encoding: &'static encoding_rs::Encoding,
    /// `header`, `meta`, `http-equiv` or `none` (left to detection).
    declared: &'static str,
    headline: &'static str,
    more: &'static str,
    ocr_lang: &'static str,
    ocr_word: &'static str,
}

const SCRIPTS: &[Script] = &[
    Script {
        path: "/ru",
        encoding: encoding_rs::WINDOWS_1251,
        declared: "none",
        headline: "Работа за границей",
        more: "Работа за границей для девушек. Проживание и перелёт бесплатно, \
               документы оформим сами. Звоните менеджеру, количество мест ограничено.",
        ocr_lang: "rus",
        ocr_word: "границей",
    },
    Script {
        path: "/ru-koi8",
        encoding: encoding_rs::KOI8_R,
        declared: "header",
        headline: "Требуются танцовщицы",
        more: "Клуб в Европе, высокая зарплата.",
        ocr_lang: "rus",
        ocr_word: "Требуются",
    },
    Script {
        path: "/ja",
        encoding: encoding_rs::SHIFT_JIS,
        declared: "http-equiv",
        headline: "海外で高収入の仕事",
        more: "寮あり、渡航費無料。",
        ocr_lang: "jpn",
        ocr_word: "海外",
    },
    Script {
        path: "/zh",
        encoding: encoding_rs::GB18030,
        declared: "header",
        headline: "高薪海外工作招聘",
        more: "包吃包住，免费机票。",
        ocr_lang: "chi_sim",
        ocr_word: "高薪",
    },
    Script {
        path: "/ko",
        encoding: encoding_rs::EUC_KR,
        declared: "meta",
        headline: "해외 고수입 일자리",
        more: "숙소 제공, 항공권 무료.",
        ocr_lang: "kor",
        ocr_word: "해외",
    },
    Script {
        path: "/cs",
        encoding: encoding_rs::ISO_8859_2,
        declared: "meta",
        headline: "Práce v zahraničí",
        more: "Ubytování zdarma, řidičský průkaz není potřeba.",
        ocr_lang: "ces",
        ocr_word: "zahraničí",
    },
];

impl Script {
    /// The page as the site serves it: encoded, declared as `declared` says (the KOI8-R page
    /// gzip-compressed besides).
    fn page(&self) -> Page {
        let label = self.encoding.name();
        let meta = match self.declared {
            "meta" => format!("<meta charset=\"{label}\">"),
            "http-equiv" => {
                format!("<meta http-equiv=\"Content-Type\" content=\"text/html; charset={label}\">")
            }
            _ => String::new(),
        };
        let html = format!(
            "<!doctype html><html><head>{meta}<title>{}</title><style>h1 {{ font: 56px sans-serif }} p {{ font: 28px sans-serif }}</style></head><body><h1>{}</h1><p>{}</p></body></html>",
            self.headline, self.headline, self.more
        );
        let (bytes, _, unmappable) = self.encoding.encode(&html);
        assert!(!unmappable, "{} holds {}", label, self.headline);
        let mut page = Page::html("");
        page.body = bytes.into_owned();
        page.content_type = match self.declared {
            "header" => format!("text/html; charset={label}"),
            _ => "text/html".into(),
        };
        if self.encoding == encoding_rs::KOI8_R {
            use std::io::Write;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&page.body).unwrap();
            page.body = gz.finish().unwrap();
            page = page.with_header("Content-Encoding", "gzip");
        }
        page
    }
}

/// Pages in six other encodings and four scripts (declared by the HTTP header, a `<meta
/// charset>`, an `http-equiv`, or not at all; one gzip-compressed) are shown in the console
/// in their own script: the page text has no U+FFFD, the console names the encoding, and
/// tesseract reads each page's words back from the screenshot.
#[test]
fn pages_in_other_scripts_are_shown_in_their_own_script() {
    let site = Site::start();
    let mut index = String::from("<html><body><h1>Boards</h1>");
    for s in SCRIPTS {
        site.put(s.path, s.page());
        index.push_str(&format!("<a href=\"{}\">{}</a> ", s.path, s.path));
    }
    site.put("/", Page::html(index + "</body></html>"));
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [\"{}\"]\n",
        site.resolve("boards.test")
    ));
    let root = site.url("boards.test", "/");
    ws.write_seeds(
        "s.toml",
        format!("[[seed]]\nlabel = \"boards\"\nurl = \"{root}\"\nrecrawl = \"never\"\nmax_depth = 1\nrate_per_sec = 20\n"),
    )
    .unwrap();
    let token = ws
        .ok(&["token", "create", "--role", "analyst", "--name", "reader"])
        .trim()
        .to_string();
    let (child, _log) = ws.spawn(&["run"]);
    let urls: Vec<String> = SCRIPTS
        .iter()
        .map(|s| site.url("boards.test", s.path))
        .collect();
    wait_until("every page captured", Duration::from_secs(60), || {
        let counts = ws.capture_counts_if_any();
        urls.iter().all(|u| counts.contains_key(u))
    });
    let api = ws.api_address().expect("the status names the API address");
    let scratch = tempfile::tempdir().unwrap();
    let pages: Vec<Value> = SCRIPTS
        .iter()
        .zip(&urls)
        .enumerate()
        .map(|(n, (s, url))| {
            let id = ws
                .query_text(&format!(
                    "SELECT CAST(id AS TEXT) FROM captures WHERE url = '{url}' ORDER BY id LIMIT 1"
                ))
                .remove(0);
            serde_json::json!({
                "id": id,
                "encoding": s.encoding.name(),
                "text": s.headline,
                "shot": scratch.path().join(format!("page-{n}.png")),
            })
        })
        .collect();
    let stdout = browser_script(
        scratch.path(),
        "charsets.test.mjs",
        &[
            format!("http://{api}"),
            token.clone(),
            Value::from(pages.clone()).to_string(),
        ],
        Duration::from_secs(180),
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("shown: ")).count(),
        SCRIPTS.len(),
        "{stdout}"
    );
    // What a person sees: the words, read back from the pixels.
    for (s, p) in SCRIPTS.iter().zip(&pages) {
        let shot = p["shot"].as_str().unwrap();
        let ocr = Command::new("tesseract")
            // One uniform block of text: the automatic layout analysis finds no text at all
            // in a framed Korean page.
            .args([shot, "-", "-l", s.ocr_lang, "--psm", "6"])
            .output()
            .expect("tests/run-all.sh installs tesseract-ocr and its language data");
        let read: String = String::from_utf8_lossy(&ocr.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            read.contains(s.ocr_word),
            "{} ({}): OCR read '{read}' from {shot}, not '{}'",
            s.path,
            s.encoding.name(),
            s.ocr_word
        );
    }
    drop(child);
}

/// Every row of a paged API list: `path` (with its filters) asked page by page with
/// `cursor` (or `after` for the audit log) until the next cursor is null.
fn api_rows(api: &str, token: &str, path: &str, key: &str) -> Vec<Value> {
    let (param, next_key) = if key == "entries" {
        ("after", "next_after")
    } else {
        ("cursor", "next_cursor")
    };
    let mut rows = Vec::new();
    let mut cursor: Option<i64> = None;
    for _ in 0..1000 {
        let sep = if path.contains('?') { '&' } else { '?' };
        let at = cursor.map(|c| format!("&{param}={c}")).unwrap_or_default();
        let (status, _, body) = harness::http_request(
            api,
            "GET",
            &format!("{path}{sep}limit=500{at}"),
            Some(token),
            None,
        );
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        let page: Value = serde_json::from_slice(&body).unwrap();
        rows.extend(page[key].as_array().unwrap().iter().cloned());
        match page[next_key].as_i64() {
            Some(c) => cursor = Some(c),
            None => return rows,
        }
    }
    panic!("{path} never ended");
}

/// An operator manages seeds in the console and sees what each really did; an analyst and
/// an auditor page every list to its end and filter it; every view is laid out at
/// 1280x800 and 1920x1080 (checked in the page, and on screenshots read back with OCR).
#[test]
fn operators_edit_seeds_and_every_list_pages_to_its_end_at_two_screen_sizes() {
    const ITEMS: usize = 130;
    let site = Site::start();
    let links: String = (0..ITEMS)
        .map(|i| format!("<a href=\"/item/{i}\">item {i}</a> "))
        .collect();
    site.put(
        "/",
        Page::html(format!(
            "<html><body><h1>Rooms</h1>{links}<a href=\"/item/gone\">gone</a></body></html>"
        )),
    );
    for i in 0..ITEMS {
        site.put(
            &format!("/item/{i}"),
            Page::html(format!(
                "<html><body><h1>Room {i}</h1><p>Rooms to let, listing number {i}, ask for offer {}.</p></body></html>",
                i * 7919
            )),
        );
    }
    // A site that is down: its port refuses connections.
    let mut gone = Site::start();
    gone.down();
    let down_url = gone.url("down.test", "/");
    // No retry within a pass, and ten minutes before the unreachable seed is tried again:
    // nothing is captured while the browser counts.
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\n[traps]\nnovelty_window = 0\n[crawl]\nretries = 0\n\
         retry_backoff = \"10min\"\n[fetch]\nresolve = [\"{}\", \"{}\", \"{}\"]\n",
        site.resolve("shop.test"),
        site.resolve("new.test"),
        gone.resolve("down.test")
    ));
    ws.write_seeds(
        "s.toml",
        format!(
            "[[seed]]\nlabel = \"shop\"\nurl = \"{}\"\nrecrawl = \"1day\"\nmax_depth = 1\nrate_per_sec = 500\nmax_in_flight = 8\n\n\
             [[seed]]\nlabel = \"down\"\nurl = \"{down_url}\"\nrecrawl = \"1day\"\n",
            site.url("shop.test", "/")
        ),
    )
    .unwrap();
    let token = |role: &str| {
        ws.ok(&["token", "create", "--role", role, "--name", role])
            .trim()
            .to_string()
    };
    let (operator, analyst, auditor) = (token("operator"), token("analyst"), token("auditor"));
    let (child, _log) = ws.spawn(&["run"]);
    wait_until("the shop crawled", Duration::from_secs(120), || {
        ws.capture_counts_if_any().len() > ITEMS
    });
    wait_until("both seeds' states", Duration::from_secs(60), || {
        let s = ws.ok(&["status"]);
        s.contains("shop: archived") && s.contains("down: site unreachable")
    });
    let api = ws.api_address().expect("the status names the API address");
    let scratch = tempfile::tempdir().unwrap();
    let shots = scratch.path().join("shots");
    std::fs::create_dir(&shots).unwrap();

    // The operator's part.
    let stdout = browser_script(
        scratch.path(),
        "seeds.test.mjs",
        &[
            format!("http://{api}"),
            operator.clone(),
            shots.display().to_string(),
            site.url("new.test", "/item/1"),
        ],
        Duration::from_secs(180),
    );
    assert!(stdout.contains("all to http://127.0.0.1:"), "{stdout}");
    // The edits went through the API to the seed files, and the seed is gone from them.
    let seeds = ws.ok(&["seeds", "list"]);
    assert!(!seeds.contains("new"), "{seeds}");
    let audit = api_rows(&api, &auditor, "/api/v1/audit", "entries");
    for action in [
        "seeds.add",
        "seeds.update",
        "seeds.disable",
        "seeds.enable",
        "seeds.remove",
    ] {
        assert!(
            audit
                .iter()
                .any(|e| e["action"] == action && e["actor"] == "token:operator"),
            "no {action} by the operator: {:?}",
            audit.iter().map(|e| &e["action"]).collect::<Vec<_>>()
        );
    }

    // What the API holds, counted apart from the console, once nothing changes any more.
    let host = format!("shop.test:{}", site.port());
    let down_host = format!("down.test:{}", gone.port());
    let expect = || {
        let n = |path: &str, key: &str| api_rows(&api, &analyst, path, key).len();
        serde_json::json!({
            "host": host,
            "captures": n(&format!("/api/v1/captures?host={host}&reason=count"), "captures"),
            "status404": n(&format!("/api/v1/captures?host={host}&status=404&reason=count"), "captures"),
            "text": "listing",
            "texts": n("/api/v1/search?q=listing", "results"),
            "changes": n("/api/v1/changes?since=7d", "changes"),
            "downHost": down_host,
            "changesOfDown": n(&format!("/api/v1/changes?since=7d&host={down_host}&class=error"), "changes"),
        })
    };
    let mut counted = expect();
    for _ in 0..30 {
        std::thread::sleep(Duration::from_secs(1));
        let again = expect();
        if again == counted {
            break;
        }
        counted = again;
    }
    for key in ["captures", "texts", "changes"] {
        assert!(
            counted[key].as_u64().unwrap() > 100,
            "{key}: the test needs more than one page of 100: {counted}"
        );
    }
    assert_eq!(counted["status404"], 1, "{counted}");
    assert!(counted["changesOfDown"].as_u64().unwrap() >= 1, "{counted}");
    // More than a page of audit entries (each list of alerts is one), within the API's rate
    // limit: a 429 waits a little.
    let mut listed = 0;
    for _ in 0..2000 {
        if listed == 120 {
            break;
        }
        match harness::http_request(&api, "GET", "/api/v1/alerts", Some(&analyst), None).0 {
            200 => listed += 1,
            429 => std::thread::sleep(Duration::from_millis(100)),
            other => panic!("GET /api/v1/alerts: {other}"),
        }
    }
    assert_eq!(listed, 120);

    let stdout = browser_script(
        scratch.path(),
        "lists.test.mjs",
        &[
            format!("http://{api}"),
            analyst.clone(),
            auditor.clone(),
            shots.display().to_string(),
            counted.to_string(),
        ],
        Duration::from_secs(300),
    );
    assert!(stdout.contains("all to http://127.0.0.1:"), "{stdout}");
    for view in [
        "search", "text", "changes", "entities", "alerts", "export", "tasks", "audit", "seeds",
    ] {
        for size in ["1280x800", "1920x1080"] {
            let shot = shots.join(format!("{view}-{size}.png"));
            assert!(
                std::fs::metadata(&shot).is_ok_and(|m| m.len() > 5000),
                "no screenshot {}",
                shot.display()
            );
        }
    }
    // What a person sees: the seed's trouble on the seeds page, a whole date in the audit log.
    let ocr = |shot: &Path, psm: &str| {
        let out = Command::new("tesseract")
            .arg(shot)
            .args(["-", "-l", "eng", "--psm", psm])
            .output()
            .expect("tests/run-all.sh installs tesseract-ocr");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let seeds_page = ocr(&shots.join("seeds-1280x800.png"), "3");
    assert!(
        seeds_page.contains("site unreachable") && seeds_page.contains("archived"),
        "OCR of the seeds page: {seeds_page}"
    );
    let when = stdout
        .lines()
        .find_map(|l| l.strip_prefix("when: "))
        .expect("the audit date shown");
    let read: String = ocr(&shots.join("audit-when.png"), "7")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // (Tesseract may read the T between date and time as a 7: each half is read whole.)
    let (day, time) = when.split_once('T').expect("an RFC 3339 time");
    assert!(
        read.starts_with(day) && read.ends_with(time),
        "OCR of one audit date cell: '{read}', shown '{when}'"
    );
    drop(child);
}
