//! The spine, end to end: the real `nightjar` binary crawls a real HTTP fixture on 127.0.0.1,
//! and what it archives is checked by public tools (zstd, warcio, cdxj-indexer) as well as by
//! `nightjar verify`.

mod harness;

use std::collections::HashMap;
use std::time::Duration;

use harness::fixture::{big_body, Fixture};
use harness::{tool, wait_until, warcio_accepts, Workspace};
use sha2::{Digest, Sha256};

fn crawl_args<'a>(
    fx: &'a Fixture,
    resolve: &'a [String],
    start: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let _ = fx;
    let mut args = vec!["crawl", start];
    for r in resolve {
        args.push("--resolve");
        args.push(r);
    }
    args.extend_from_slice(extra);
    args
}

fn sha256_label(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// One full crawl of the fixture site, shared by the checks below.
/// How often a page of the fixture is fetched in one pass: once, but a 500 is asked for
/// again within the retry budget (1 + `crawl.retries`, 2 by default), each time archived.
fn attempts(path: &str) -> usize {
    if path == "/error" {
        3
    } else {
        1
    }
}

#[test]
fn full_crawl_captures_every_page_once_politely_and_validly() {
    let fx = Fixture::start();
    let ws = Workspace::new("");
    let resolve = fx.resolve_args();
    let start = fx.url("site.test", "/");
    let out = ws.crawl(&start, &resolve, &["--depth", "4", "--rate", "40"]);
    assert!(out.contains("crawl finished"), "{out}");
    assert!(out.contains("WARC files:"), "{out}");

    // Every in-scope page archived exactly once, and fetched exactly once.
    let counts = ws.capture_counts();
    let hits = fx.hits_for("site.test");
    let mut fetched: HashMap<String, usize> = HashMap::new();
    for h in &hits {
        *fetched.entry(h.path.clone()).or_insert(0) += 1;
    }
    for path in Fixture::in_scope_pages() {
        let url = fx.url("site.test", path);
        let times = attempts(path);
        assert_eq!(
            counts.get(&url),
            Some(&times),
            "{url} should be captured {times} times; captures: {counts:#?}"
        );
        assert_eq!(
            fetched.get(path),
            Some(&times),
            "{path} should be fetched {times} times"
        );
    }
    // robots.txt obeyed, other hosts untouched, the calendar trap bounded by depth.
    assert!(
        !hits.iter().any(|h| h.path.starts_with("/private/")),
        "a disallowed page was fetched"
    );
    assert!(
        fx.hits_for("other.test").is_empty(),
        "an out-of-scope host was contacted"
    );
    // The calendar starts at depth 1 and links both ways: at depth 4 it reaches three months
    // forward and three back, and no further.
    let mut calendar: Vec<&str> = hits
        .iter()
        .map(|h| h.path.as_str())
        .filter(|p| p.starts_with("/calendar/"))
        .collect();
    calendar.sort();
    assert_eq!(
        calendar,
        [
            "/calendar/2025/10",
            "/calendar/2025/11",
            "/calendar/2025/12",
            "/calendar/2026/01",
            "/calendar/2026/02",
            "/calendar/2026/03",
            "/calendar/2026/04"
        ],
        "the calendar trap must be bounded by depth"
    );
    // Per-host spacing: 40 requests/s, one in flight, means 25 ms from the end of one answer
    // to the next request, so the server sees at least 25 ms between two request heads
    // (it read the first before it answered), whatever the scheduling on either side.
    for pair in hits.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap >= Duration::from_millis(25),
            "requests {} and {} only {gap:?} apart",
            pair[0].path,
            pair[1].path
        );
    }

    // The 10 MiB body reads back byte-identical through the index.
    let cdxj = ws.cdxj();
    let capture_of = |path: &str| {
        let url = fx.url("site.test", path);
        let (_, v) = cdxj
            .iter()
            .find(|(u, _)| *u == url)
            .unwrap_or_else(|| panic!("{url} not indexed"));
        v.clone()
    };
    let big = capture_of("/big.bin");
    let captures = ws.ok(&["captures", &fx.url("site.test", "/big.bin"), "--json"]);
    let row: serde_json::Value = serde_json::from_str(captures.lines().next().unwrap()).unwrap();
    let body = ws
        .cmd(&["show", "--reason", "test", &row["id"].to_string(), "--body"])
        .output()
        .unwrap();
    assert!(body.status.success());
    assert!(
        body.stdout == big_body(),
        "the archived 10 MiB body differs from what was served"
    );
    assert_eq!(big["digest"], sha256_label(&big_body()));

    // Statuses and payload digests: chunking removed, content-coding kept.
    assert_eq!(capture_of("/missing")["status"], "404");
    assert_eq!(capture_of("/error")["status"], "500");
    assert_eq!(capture_of("/redirect/1")["status"], "302");
    let head = ws.ok(&[
        "show",
        "--reason",
        "test",
        &ws.ok(&["captures", &fx.url("site.test", "/chunked.html"), "--json"])
            .lines()
            .next()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .unwrap(),
        "--headers",
    ]);
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );

    // Public tools agree: warcio check (recomputes digests) and warcio index on every file.
    let files = ws.warc_files();
    assert!(!files.is_empty());
    for f in &files {
        warcio_accepts(f);
    }
    // cdxj-indexer agrees with our CDXJ on URL, timestamp, status and offset.
    let mut theirs: Vec<(String, String, String, String)> = Vec::new();
    for f in &files {
        let plain = harness::plain_warc(f);
        let o = tool("cdxj-indexer", &[&plain.to_string_lossy()]);
        assert!(
            o.status.success(),
            "cdxj-indexer failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            let mut parts = line.splitn(3, ' ');
            let (_, ts, json) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            if v.get("mime").and_then(|m| m.as_str()) == Some("request")
                || v.get("status").is_none()
            {
                continue; // request and metadata records: we index responses only
            }
            theirs.push((
                v["url"].as_str().unwrap().to_string(),
                ts[..14].to_string(),
                v["status"].to_string(),
                String::new(),
            ));
        }
    }
    let mut ours: Vec<(String, String, String, String)> = cdxj
        .iter()
        .map(|(u, v)| {
            (
                u.clone(),
                v["timestamp"].as_str().unwrap()[..14].to_string(),
                v["status"].to_string(),
                String::new(),
            )
        })
        .collect();
    ours.sort();
    theirs.sort();
    assert_eq!(
        ours, theirs,
        "our CDXJ and cdxj-indexer's disagree on url/timestamp/status"
    );
    // Offsets: cdxj-indexer reads the plain WARC, so compare offsets on a gzip archive in
    // `gzip_archive_offsets_match_cdxj_indexer`.

    // nightjar verify agrees too.
    ws.verify_ok();
}

#[test]
fn gzip_archive_offsets_match_cdxj_indexer() {
    let fx = Fixture::start();
    let ws = Workspace::new("[archive]\ncompression = \"gzip\"\n");
    let resolve = fx.resolve_args();
    let start = fx.url("site.test", "/b/");
    ws.crawl(
        &start,
        &resolve,
        &["--depth", "1", "--rate", "50", "--scope", "prefix"],
    );
    let ours: Vec<(String, String, String)> = ws
        .cdxj()
        .into_iter()
        .map(|(u, v)| {
            (
                u,
                v["offset"].as_str().unwrap().to_string(),
                v["length"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(ours.len() >= 2, "{ours:?}");
    let mut theirs = Vec::new();
    for f in ws.warc_files() {
        warcio_accepts(&f);
        let o = tool("cdxj-indexer", &[&f.to_string_lossy()]);
        assert!(o.status.success());
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            let v: serde_json::Value =
                serde_json::from_str(line.splitn(3, ' ').nth(2).unwrap()).unwrap();
            if v.get("status").is_some()
                && v.get("mime").and_then(|m| m.as_str()) != Some("request")
            {
                theirs.push((
                    v["url"].as_str().unwrap().to_string(),
                    v["offset"].as_str().unwrap().to_string(),
                    v["length"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    let mut ours = ours;
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);
}

#[test]
fn crawl_delay_spaces_requests_and_other_limits_hold() {
    let fx = Fixture::start();
    let ws = Workspace::new("[fetch]\nmax_body_bytes = 1048576\n");
    let resolve = fx.resolve_args();
    let start = fx.url("slow.test", "/");
    ws.crawl(&start, &resolve, &["--rate", "50"]);
    let hits = fx.hits_for("slow.test");
    assert_eq!(hits.len(), 6, "robots.txt, / and four pages: {hits:?}");
    for pair in hits.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap >= Duration::from_secs(1),
            "Crawl-delay 1 not honoured: {gap:?} between {} and {}",
            pair[0].path,
            pair[1].path
        );
    }

    // A body over max_body_bytes is archived cut short and marked, and still passes warcio.
    let ws2 = Workspace::new("[fetch]\nmax_body_bytes = 1048576\n");
    let big = fx.url("site.test", "/big.bin");
    ws2.crawl(&big, &resolve, &["--depth", "0", "--rate", "50"]);
    let row = ws2.first_capture(&big);
    assert_eq!(row["truncated"], "length");
    for f in ws2.warc_files() {
        warcio_accepts(&f);
    }
    ws2.verify_ok();
}

#[test]
fn private_addresses_need_a_resolver_override() {
    let fx = Fixture::start();
    let ws = Workspace::new("");
    let url = format!("http://127.0.0.1:{}/", fx.port);
    let out = ws.ok(&["crawl", &url]);
    assert!(out.contains("1 URLs failed"), "{out}");
    assert!(
        fx.hits().is_empty(),
        "nothing may be sent to a loopback address without an override"
    );
    let row = ws.first_capture(&url);
    assert_eq!(row["error_class"], "policy");
    assert!(row["error"].as_str().unwrap().contains("loopback"), "{row}");
}

#[test]
fn verify_catches_a_flipped_byte_and_a_wrong_index_offset() {
    let fx = Fixture::start();
    let ws = Workspace::new("");
    let resolve = fx.resolve_args();
    let start = fx.url("site.test", "/b/");
    ws.crawl(&start, &resolve, &["--depth", "1", "--rate", "50"]);
    ws.verify_ok();
    let file = ws.warc_files().pop().unwrap();
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let original = std::fs::read(&file).unwrap();

    // 1. A flipped byte in the middle of the file.
    let mut bytes = original.clone();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();
    let out = ws.run(&["verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(&name) && text.contains("FAIL"), "{text}");
    std::fs::write(&file, &original).unwrap();
    ws.verify_ok();

    // 2. A record altered and recompressed, so every frame is whole and only the WARC
    //    block digest can tell: the finding names the record.
    let mut frames: Vec<archive::frames::Frame> = archive::frames::FrameWalker::open(&file)
        .unwrap()
        .map(|f| f.unwrap())
        .collect();
    let victim = frames
        .iter()
        .position(|f| String::from_utf8_lossy(&f.record).contains("WARC-Type: response"))
        .unwrap();
    let text = String::from_utf8_lossy(&frames[victim].record).to_string();
    let victim_id = text
        .lines()
        .find_map(|l| l.strip_prefix("WARC-Record-ID: "))
        .unwrap()
        .trim()
        .to_string();
    let last = frames[victim].record.len() - 5;
    frames[victim].record[last] ^= 0x20;
    let codec = archive::Compression::Zstd { level: 3 };
    let mut rebuilt = Vec::new();
    for f in &frames {
        rebuilt.extend_from_slice(&codec.compress(&f.record).unwrap());
    }
    std::fs::write(&file, &rebuilt).unwrap();
    let out = ws.run(&["verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains(&victim_id) && l.contains("block digest mismatch")),
        "the altered record must be named with a block digest mismatch: {text}"
    );
    std::fs::write(&file, &original).unwrap();
    ws.verify_ok();

    // 3. An index row pointing at the wrong offset.
    let record_id = ws
        .query_text("SELECT record_id FROM captures WHERE file IS NOT NULL ORDER BY id LIMIT 1")
        .remove(0);
    ws.sql(&[format!(
        "UPDATE captures SET file_offset = file_offset + 7 WHERE record_id = '{record_id}'"
    )]);
    let out = ws.run(&["verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&record_id) && text.contains(&name),
        "the finding must name the record and file: {text}"
    );
}

fn signal_midway(signal: nix::sys::signal::Signal) {
    let fx = Fixture::start();
    let ws = Workspace::new("");
    let resolve = fx.resolve_args();
    let start = fx.url("site.test", "/");
    let args = crawl_args(&fx, &resolve, &start, &["--depth", "4", "--rate", "8"]);
    let mut child = ws
        .cmd(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_until("a third of the site", Duration::from_secs(60), || {
        fx.hits_for("site.test").len() >= 10
    });
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
    let status = child.wait().unwrap();
    if signal == nix::sys::signal::Signal::SIGTERM {
        assert!(
            status.success(),
            "SIGTERM must end the crawl cleanly: {status}"
        );
        let mut out = String::new();
        std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
        assert!(out.contains("crawl stopped"), "{out}");
        assert!(
            !std::fs::read_dir(ws.warcs()).unwrap().any(|e| e
                .unwrap()
                .path()
                .to_string_lossy()
                .ends_with(".open")),
            "a clean stop closes its WARC file"
        );
    }
    // Start again: the crawl resumes and completes.
    let out = ws.ok(&args);
    assert!(out.contains("crawl finished"), "{out}");
    let counts = ws.capture_counts();
    for path in Fixture::in_scope_pages() {
        let url = fx.url("site.test", path);
        assert_eq!(
            counts.get(&url),
            Some(&attempts(path)),
            "{url} must be captured {} times after a {signal} and restart",
            attempts(path)
        );
    }
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
    ws.verify_ok();
}

#[test]
fn sigterm_midway_then_restart_completes_without_duplicates() {
    signal_midway(nix::sys::signal::Signal::SIGTERM);
}

#[test]
fn sigkill_midway_then_restart_repairs_and_completes() {
    signal_midway(nix::sys::signal::Signal::SIGKILL);
}

/// A crash between archiving a capture and indexing it: the next start closes the `.open`
/// file, moves the torn tail aside, and indexes the whole records from their own bytes,
/// without fetching the page again.
#[test]
fn records_archived_but_not_indexed_are_recovered_without_refetching() {
    let fx = Fixture::start();
    let ws = Workspace::new("");
    let resolve = fx.resolve_args();
    let start = fx.url("site.test", "/b/");
    let args = crawl_args(&fx, &resolve, &start, &["--depth", "1", "--rate", "50"]);
    ws.ok(&args);
    let victim = fx.url("site.test", "/b/c.html");
    assert_eq!(ws.capture_counts().get(&victim), Some(&1));

    // Simulate the crash: the capture's index rows never committed, the URL still in flight,
    // the cycle unfinished, the file still `.open` with half a frame at its end.
    let id = ws.first_capture(&victim)["id"].as_i64().unwrap();
    ws.forget_indexing_of(id);
    let file = ws.warc_files().pop().unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let torn = bytes[..40].to_vec();
    bytes.extend_from_slice(&torn);
    let open = file.with_file_name(format!(
        "{}.open",
        file.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&open, &bytes).unwrap();
    std::fs::remove_file(&file).unwrap();
    // verify sees what the crash left: unindexed records as findings, or, at the end of an
    // .open file, as pending (a live daemon's file looks the same).
    let out = ws.run(&["verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("not in the index") || !text.contains(" 0 pending"),
        "{text}"
    );

    let before = fx.hits_for("site.test").len();
    let out = ws.ok(&args);
    assert!(out.contains("crawl finished"), "{out}");
    assert_eq!(
        fx.hits_for("site.test").len(),
        before,
        "recovery must not fetch anything again"
    );
    assert_eq!(ws.capture_counts().get(&victim), Some(&1));
    assert!(
        file.exists() && !open.exists(),
        "the repaired file is closed under its final name"
    );
    let aside: Vec<_> = std::fs::read_dir(ws.warcs())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".torn-"))
        .collect();
    assert_eq!(aside.len(), 1, "the torn tail is kept aside: {aside:?}");
    assert_eq!(std::fs::read(ws.warcs().join(&aside[0])).unwrap(), torn);
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
    ws.verify_ok();
}
