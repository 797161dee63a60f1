//! The web console in a real browser: Debian's headless Chromium, driven by playwright-core
//! (tests/console/console.test.mjs), against `nightjar run` on 127.0.0.1 crawling a real
//! fixture site. An analyst logs in, searches, views an archived page (which tries to load a
//! script, a style sheet and an image from the live web), follows a link, diffs two
//! captures and exports; no request may leave the daemon's origin, and each step that
//! reads archived content is in the audit log.

mod harness;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use harness::site::{Page, Site};
use harness::{wait_bounded, wait_until, Workspace};
use serde_json::Value;

/// An address on the page, which the console shows as an entity of its captures.
const BTC: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";

fn news(headline: &str) -> Page {
    Page::html(format!(
        r#"<html><head><title>Board</title>
<script src="http://198.51.100.7/track.js"></script>
<link rel="stylesheet" href="http://198.51.100.7/style.css">
<meta http-equiv="refresh" content="0; url=http://198.51.100.7/">
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

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/console");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "tests/run-all.sh installs playwright-core (npm ci in tests/console)"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "tests/run-all.sh installs Debian's chromium"
    );
    // The browser profile and the downloaded package go in a directory the test removes.
    let scratch = tempfile::tempdir().unwrap();
    let run = Command::new("node")
        .current_dir(&dir)
        .env("TMPDIR", scratch.path())
        .arg("console.test.mjs")
        .arg(format!("http://{api}"))
        .arg(&token)
        .arg(&news_url)
        .args(["Old headline", "New headline", BTC])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    let out = wait_bounded(run, Duration::from_secs(180));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(out.status.success(), "{stdout}\n{stderr}");
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
        "capture.body",
        "diff",
        "export",
        "export.download",
    ] {
        let entries = by_browser(action);
        assert!(!entries.is_empty(), "no {action} by the browser in {log}");
    }
    assert!(by_browser("capture.body")
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/console");
    let scratch = tempfile::tempdir().unwrap();
    let shot = scratch.path().join("tasks.png");
    let run = Command::new("node")
        .current_dir(&dir)
        .env("TMPDIR", scratch.path())
        .arg("tasks.test.mjs")
        .arg(format!("http://{api}"))
        .arg(&token)
        .arg(&answer)
        .arg(&shot)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    let out = wait_bounded(run, Duration::from_secs(120));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(out.status.success(), "{stdout}\n{stderr}");
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
    let audit = harness::query_text(
        &ws.data(),
        "SELECT action || ' ' || actor FROM audit_log ORDER BY seq",
    );
    assert!(
        audit.contains(&"session.task.answer token:console-ops".to_string())
            && audit.contains(&"task.captcha token:console-ops".to_string()),
        "{audit:?}"
    );
    drop(child);
}
