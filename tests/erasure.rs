//! Retention, legal holds and erasure (issue 23), end to end on a running daemon: captures
//! past their seed's retention are erased and held ones are not; an erasure on request does
//! nothing until a second person approves it; after each erasure `nightjar verify` passes
//! and names it, the erased content is found nowhere in the data directory (the WARC files
//! decompressed, the database, its search index), search, entities and the API no longer
//! show it, and `warcio check` still accepts every rewritten file.

mod harness;

use std::path::Path;
use std::time::Duration;

use harness::site::{Page, Site};
use harness::{http_request, stop_cleanly, wait_until, Workspace};
use serde_json::Value;

/// In the page erased by policy.
const POLICY_MARKER: &str = "ZQXJPOLICYMARKER";
/// In the page erased on request.
const REQUEST_MARKER: &str = "ZQXJREQUESTMARKER";
/// In the page a legal hold keeps.
const HELD_MARKER: &str = "ZQXJHELDMARKER";
/// An email on a page of a seed that does not keep emails (minimisation).
const DROPPED: &str = "not.kept.z4@example.org";
/// A crypto address on the same page, which that seed keeps.
const KEPT_ADDRESS: &str = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";
/// The entity the erasure request names (seen only on the page erased on request).
const PERSON: &str = "jane.victim.q7@example.org";

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every byte in the data directory, with the WARC files decompressed, and the database's
/// content (a dump on PostgreSQL).
fn everything(ws: &Workspace) -> Vec<u8> {
    fn walk(dir: &Path, out: &mut Vec<u8>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
                continue;
            }
            let name = p.to_string_lossy().to_string();
            if name.ends_with(".plain.warc") {
                continue;
            }
            let bytes = std::fs::read(&p).unwrap_or_default();
            if name.ends_with(".warc.zst") || name.ends_with(".warc.zst.open") {
                let plain = harness::tool("zstd", &["-dcq", &name]);
                assert!(plain.status.success(), "zstd -dc {name}");
                out.extend(plain.stdout);
            }
            out.extend(bytes);
        }
    }
    let mut out = Vec::new();
    walk(&ws.data(), &mut out);
    out.extend(ws.database_bytes());
    out
}

fn api(addr: &str, method: &str, path: &str, token: &str, body: Option<&str>) -> (u16, Value) {
    let (code, _, b) = http_request(addr, method, path, Some(token), body);
    (code, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

/// Runs tests/console/retention.test.mjs: what the console's Retention view (and, given a
/// query, its text search) shows, after `action` ("approve N" or "").
fn console(addr: &str, token: &str, action: &str, query: &str) -> String {
    let scratch = tempfile::tempdir().unwrap();
    harness::browser_script(
        scratch.path(),
        "retention.test.mjs",
        &[
            format!("http://{addr}"),
            token.to_string(),
            action.to_string(),
            query.to_string(),
            // NIGHTJAR_RETENTION_SHOT=FILE.png keeps a picture of the view.
            std::env::var("NIGHTJAR_RETENTION_SHOT").unwrap_or_default(),
        ],
        Duration::from_secs(120),
    )
}

/// The line `ID: …` of what a console script printed.
fn line(seen: &str, id: &str) -> String {
    seen.lines()
        .find_map(|l| l.strip_prefix(&format!("{id}: ")))
        .unwrap_or_else(|| panic!("no {id} in {seen}"))
        .to_string()
}

/// Waits until every erasure is done (its frames blank and the database compacted).
fn erasures_done(ws: &Workspace) {
    wait_until("every erasure done", Duration::from_secs(30), || {
        erasure_list(ws)["erasures"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["done"] == 1)
    });
}

fn erasure_list(ws: &Workspace) -> Value {
    serde_json::from_str(&ws.ok(&["erase", "list", "--json"])).unwrap()
}

#[test]
fn retention_holds_and_two_person_erasure_leave_a_verifiable_archive() {
    let site = Site::start();
    let page = |title: &str, text: &str| {
        Page::html(format!(
            "<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"
        ))
    };
    site.put(
        "/",
        Page::html(
            "<html><body><h1>Board</h1><a href=\"/ad-1\">ad 1</a> <a href=\"/ad-2\">ad 2</a></body></html>",
        ),
    );
    site.put(
        "/ad-1",
        page("Ad one", &format!("Rooms for rent. Ref {POLICY_MARKER}.")),
    );
    site.put(
        "/ad-2",
        page(
            "Ad two",
            &format!("Work abroad offered. Ref {HELD_MARKER}."),
        ),
    );
    site.put(
        "/profile",
        page(
            "Profile",
            &format!("Contact {PERSON} for the job. Ref {REQUEST_MARKER}."),
        ),
    );
    site.put(
        "/about",
        page(
            "About",
            &format!("A directory of services. Write to {DROPPED} or {KEPT_ADDRESS}."),
        ),
    );
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\nrate_per_sec = 100.0\n[fetch]\nresolve = [\"{}\", \"{}\"]\n\
         [retention]\ncheck_every = \"1s\"\n",
        site.resolve("board.test"),
        site.resolve("people.test"),
    ));
    ws.write_seeds(
        "s.toml",
        format!(
            "[[seed]]\nlabel = \"board\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 1\nretain = \"25s\"\nreview_after = \"1s\"\n\n\
             [[seed]]\nlabel = \"people\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 0\n\n\
             [[seed]]\nlabel = \"about\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 0\ndrop_entities = [\"email\"]\n",
            site.url("board.test", "/"),
            site.url("people.test", "/profile"),
            site.url("board.test", "/about"),
        ),
    )
    .unwrap();
    // A seed's retention that is not a period is refused when the seeds are read.
    let bad = Workspace::new("");
    bad.write_seeds(
        "b.toml",
        "[[seed]]\nlabel = \"b\"\nurl = \"http://b.test/\"\nretain = \"soon\"\n",
    )
    .unwrap();
    let out = bad.run(&["seeds", "list"]);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("retain") && said.contains("not a period"),
        "{said}"
    );
    bad.write_seeds(
        "b.toml",
        "[[seed]]\nlabel = \"b\"\nurl = \"http://b.test/\"\ndrop_entities = [\"shoe-size\"]\n",
    )
    .unwrap();
    let out = bad.run(&["seeds", "list"]);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("drop_entities") && said.contains("shoe-size"),
        "{said}"
    );

    let (child, log) = ws.spawn(&["run"]);
    let ad1 = site.url("board.test", "/ad-1");
    let ad2 = site.url("board.test", "/ad-2");
    let board = site.url("board.test", "/");
    let profile = site.url("people.test", "/profile");
    let about = site.url("board.test", "/about");
    wait_until("every page captured", Duration::from_secs(60), || {
        [&ad1, &ad2, &board, &profile, &about]
            .iter()
            .all(|u| ws.run(&["captures", u, "--json"]).stdout.len() > 2)
    });
    let before = everything(&ws);
    for m in [POLICY_MARKER, REQUEST_MARKER, HELD_MARKER, PERSON] {
        assert!(contains(&before, m), "{m} is archived before any erasure");
    }
    // Minimisation: the seed that does not keep emails has none in the ledger, but keeps the
    // other kinds; the other seeds' emails are kept.
    let ledger = ws.ok(&["entities", "--json"]);
    assert!(!ledger.contains(DROPPED), "{ledger}");
    assert!(
        ledger.contains(KEPT_ADDRESS) && ledger.contains(PERSON),
        "{ledger}"
    );
    let ad2_id = ws.first_capture(&ad2)["id"].as_i64().unwrap();
    let profile_id = ws.first_capture(&profile)["id"].as_i64().unwrap();

    // An analyst puts ad 2 on hold for a case, within the 25 s the board's captures are kept.
    let placed = ws.ok(&[
        "hold",
        "add",
        "--case",
        "CASE-23",
        "--url",
        &ad2,
        "--reason",
        "victim identified in the ad",
    ]);
    assert!(placed.contains("1 capture(s) now"), "{placed}");
    // A hold by entity selects the captures the entity was seen in; one by a time range alone,
    // those captured in it. (Released at once: this test's figures count one hold.)
    for (args, now) in [
        (vec!["--entity", KEPT_ADDRESS], "1 capture(s) now"),
        (
            vec!["--since", "2000-01-01", "--until", "2000-01-02"],
            "0 capture(s) now",
        ),
    ] {
        let mut cmd = vec!["hold", "add", "--case", "CASE-X", "--reason", "check"];
        cmd.extend(args);
        let out = ws.ok(&cmd);
        assert!(out.contains(now), "{out}");
        let id = out.split_whitespace().nth(1).unwrap().to_string();
        ws.ok(&["hold", "release", &id, "--reason", "placed for the test"]);
    }
    // Listed per case: in force only, or with --all the released ones too.
    let listed = |args: &[&str]| ws.ok(args).lines().count();
    assert_eq!(listed(&["hold", "list", "--case", "CASE-X", "--json"]), 0);
    assert_eq!(
        listed(&["hold", "list", "--case", "CASE-X", "--all", "--json"]),
        2
    );
    assert_eq!(listed(&["hold", "list", "--case", "CASE-23", "--json"]), 1);
    let out = ws.run(&[
        "hold", "add", "--case", "C", "--reason", "r", "--url", &ad1, "--seed", "board",
    ]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("place one hold for each"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Erasure on request: filed on the command line, it erases nothing until a second
    // person approves; the person who asked cannot approve it.
    let filed = ws.ok(&[
        "erase",
        "--entity",
        PERSON,
        "--reason",
        "art. 16: a third party's address, processed unlawfully",
    ]);
    assert!(filed.contains("erasure request 1 filed"), "{filed}");
    let out = ws.run(&["erase", "approve", "1", "--reason", "checked"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a second person must decide it"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(erasure_list(&ws)["requests"][0]["state"], "requested");
    assert!(
        ws.ok(&["show", &profile_id.to_string(), "--body", "--reason", "t"])
            .contains(REQUEST_MARKER),
        "nothing is erased without the second approval"
    );

    // The second person: an auditor, through the API. An analyst may not approve.
    let auditor = ws
        .ok(&["token", "create", "--role", "auditor", "--name", "dpo"])
        .trim()
        .to_string();
    let analyst = ws
        .ok(&["token", "create", "--role", "analyst", "--name", "an"])
        .trim()
        .to_string();
    let addr = ws.api_address().expect("the API address");
    let reason = r#"{"reason": "ground confirmed"}"#;
    let (code, _) = api(
        &addr,
        "POST",
        "/api/v1/erasures/1/approve",
        &analyst,
        Some(reason),
    );
    assert_eq!(code, 403);
    // The auditor approves in the console, in a real browser.
    let seen = console(&addr, &auditor, "approve 1", "");
    let requests = line(&seen, "erasure-requests");
    assert!(
        requests.contains("approved") || requests.contains("done"),
        "{seen}"
    );
    assert!(requests.contains("token:dpo"), "{seen}");
    let (code, _) = api(
        &addr,
        "POST",
        "/api/v1/erasures/1/approve",
        &auditor,
        Some(reason),
    );
    assert_eq!(code, 409, "decided once");
    wait_until(
        "the approved request carried out",
        Duration::from_secs(60),
        || erasure_list(&ws)["requests"][0]["state"] == "done",
    );
    let listed = erasure_list(&ws);
    let request = &listed["requests"][0];
    assert_eq!(request["decided_by"], "token:dpo");
    assert!(
        request["target"].as_str().unwrap().starts_with("sha256:"),
        "the request no longer holds the value it erased: {request}"
    );

    // A request for a held capture waits for the hold, saying which. An operator asks for it
    // in the console (the reason field is its ground).
    let operator = ws
        .ok(&["token", "create", "--role", "operator", "--name", "op"])
        .trim()
        .to_string();
    let seen = console(&addr, &operator, &format!("request capture {ad2_id}"), "");
    assert!(
        line(&seen, "erasure-requests").contains("token:op"),
        "{seen}"
    );
    let (code, body) = api(
        &addr,
        "POST",
        "/api/v1/erasures/2/approve",
        &auditor,
        Some(reason),
    );
    assert_eq!(code, 200, "{body}");
    wait_until(
        "the held request's outcome",
        Duration::from_secs(30),
        || {
            erasure_list(&ws)["requests"][0]["outcome"]
                .as_str()
                .is_some_and(|o| o.contains("kept by legal hold(s) #1"))
        },
    );
    assert_eq!(erasure_list(&ws)["requests"][0]["state"], "approved");

    // Retention: the board's captures past 25 s are erased, the held one is not.
    wait_until(
        "the board's unheld captures erased",
        Duration::from_secs(90),
        || {
            ws.run(&["captures", &ad1, "--json"]).stdout.len() < 3
                && ws.run(&["captures", &board, "--json"]).stdout.len() < 3
        },
    );
    assert!(
        ws.run(&["captures", &ad2, "--json"]).stdout.len() > 2,
        "held"
    );
    let standing: Value = serde_json::from_str(&ws.ok(&["retention", "--json"])).unwrap();
    let board_standing = standing["seeds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["seed"] == "board")
        .unwrap()
        .clone();
    assert_eq!(board_standing["captures"], 1, "{standing}");
    assert_eq!(board_standing["held"], 1, "{standing}");
    assert_eq!(board_standing["due_for_review"], 1, "{standing}");
    assert_eq!(standing["holds"], 1);
    // The same in the metrics.
    let status: Value =
        serde_json::from_str(&std::fs::read_to_string(ws.data().join("status.json")).unwrap())
            .unwrap();
    let metrics = status["metrics"].as_str().expect("the metrics address");
    let gauges = || {
        let (_, _, text) = http_request(metrics, "GET", "/metrics", None, None);
        String::from_utf8_lossy(&text)
            .lines()
            .filter(|l| l.starts_with("nightjar_retention_captures"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let erasures = erasure_list(&ws)["erasures"].as_array().unwrap().len();
    assert!(erasures >= 2, "one on request, one or more by policy");
    let want = [
        "nightjar_retention_captures{what=\"held\"} 1".to_string(),
        "nightjar_retention_captures{what=\"holds\"} 1".to_string(),
        "nightjar_retention_captures{what=\"due_for_review\"} 1".to_string(),
        format!("nightjar_retention_captures{{what=\"erasures\"}} {erasures}"),
    ];
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !want.iter().all(|w| gauges().iter().any(|l| l == w)) {
        assert!(
            std::time::Instant::now() < deadline,
            "retention gauges: {:?}",
            gauges()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // Nothing of what was erased is left anywhere; what is held or kept is still there.
    erasures_done(&ws);
    let after = everything(&ws);
    for m in [POLICY_MARKER, REQUEST_MARKER, PERSON] {
        assert!(!contains(&after, m), "{m} is still in the data directory");
    }
    assert!(contains(&after, HELD_MARKER));
    assert!(contains(&after, "A directory of services"));
    let search = ws.ok(&["search", POLICY_MARKER, "--json"]);
    assert!(
        search.trim().is_empty() || !search.contains("ad-1"),
        "{search}"
    );
    // (Searched by a word of its text: the audit log keeps every query, as it must.)
    assert!(ws.ok(&["search", "abroad", "--json"]).contains("ad-2"));
    assert!(!ws.ok(&["entities", "--json"]).contains(PERSON));
    let (code, body) = api(
        &addr,
        "GET",
        &format!("/api/v1/search?q={REQUEST_MARKER}"),
        &analyst,
        None,
    );
    assert_eq!(code, 200);
    assert!(!body.to_string().contains("profile"), "{body}");
    let (code, body) = api(&addr, "GET", "/api/v1/entities", &analyst, None);
    assert_eq!(code, 200);
    assert!(!body.to_string().contains(PERSON));
    // The console shows the standing, the hold, the request and both erasures, and its text
    // search finds nothing of the erased page.
    let seen = console(&addr, &analyst, "", POLICY_MARKER);
    assert!(
        line(&seen, "text-search").contains("No archived page matches"),
        "{seen}"
    );
    assert!(line(&seen, "retention-seeds").contains("board"), "{seen}");
    assert!(line(&seen, "holds").contains("CASE-23"), "{seen}");
    assert!(line(&seen, "erasure-requests").contains("done"), "{seen}");
    let erasures = line(&seen, "erasures");
    assert!(
        erasures.contains("retention: seed board keeps captures 25s")
            && erasures.contains("request: erasure request 1"),
        "{seen}"
    );
    // An erased capture says so, and an export that names it says so plainly.
    let out = ws.run(&["show", &profile_id.to_string(), "--reason", "t"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && said.contains("was erased by request"),
        "{said}"
    );
    let wacz = ws.dir.path().join("x.wacz");
    let out = ws.run(&[
        "export",
        "--capture",
        &profile_id.to_string(),
        "--case",
        "c",
        "--reason",
        "r",
        "--out",
        &wacz.to_string_lossy(),
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && said.contains("was erased by request")
            && said.contains("cannot be exported"),
        "{said}"
    );

    // verify passes and names both erasures; warcio accepts every file.
    let report = ws.ok(&["verify"]);
    assert!(report.trim_end().ends_with("OK"), "{report}");
    assert!(
        report.contains("ERASED chain positions")
            && report.contains("erased by request (erasure request 1 (entity))")
            && report.contains("approved by token:dpo")
            && report.contains("erased by policy (seed board keeps captures 25s)"),
        "{report}"
    );
    for f in ws.warc_files() {
        harness::warcio_accepts(&f);
    }

    // Releasing the hold lets the policy erase ad 2 too; the audit log has every step.
    let hold_id = ws.ok(&["hold", "list", "--json"]);
    let hold: Value = serde_json::from_str(hold_id.lines().next().unwrap()).unwrap();
    ws.ok(&[
        "hold",
        "release",
        &hold["id"].to_string(),
        "--reason",
        "case closed",
    ]);
    wait_until(
        "the released capture erased",
        Duration::from_secs(60),
        || ws.run(&["captures", &ad2, "--json"]).stdout.len() < 3,
    );
    erasures_done(&ws);
    assert!(!contains(&everything(&ws), HELD_MARKER));
    wait_until(
        "the request waiting for the hold done",
        Duration::from_secs(30),
        || erasure_list(&ws)["requests"][0]["state"] == "done",
    );
    let out = ws.run(&["show", &ad2_id.to_string(), "--reason", "t"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("erased by policy"));
    // Every audit entry, page by page.
    let mut entries: Vec<Value> = Vec::new();
    let mut after = 0;
    loop {
        let (code, body) = api(
            &addr,
            "GET",
            &format!("/api/v1/audit?after={after}&limit=200"),
            &auditor,
            None,
        );
        assert_eq!(code, 200, "{body}");
        entries.extend(body["entries"].as_array().unwrap().iter().cloned());
        match body["next_after"].as_i64() {
            Some(n) => after = n,
            None => break,
        }
    }
    let child_log = stop_cleanly(child, &log);
    let report = ws.ok(&["verify"]);
    assert!(report.trim_end().ends_with("OK"), "{report}\n{child_log}");
    let audit = ws.ok(&["verify", "--audit"]);
    assert!(audit.contains("OK"), "{audit}");
    let actions: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or("").to_string(),
                e["result"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for (action, result) in [
        ("hold.place", "ok"),
        ("erasure.request", "ok"),
        ("erasure.approve", "forbidden"),
        ("erasure.approve", "ok"),
        ("hold.release", "ok"),
    ] {
        assert!(
            actions
                .iter()
                .any(|(a, r)| a == action && r.starts_with(result)),
            "{action} {result} in {actions:?}"
        );
    }
    assert!(
        !Value::from(entries).to_string().contains(PERSON),
        "the audit log names the erased value by its hash only"
    );
}

#[test]
fn an_erasure_stopped_between_its_record_and_its_index_is_taken_up_at_the_next_start() {
    let site = Site::start();
    site.put(
        "/",
        Page::html(format!(
            "<html><body><p>Old ad. Ref {POLICY_MARKER}.</p></body></html>"
        )),
    );
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\n[retention]\nretain = \"2s\"\n[fetch]\nresolve = [\"{}\"]\n",
        site.resolve("old.test")
    ));
    let url = site.url("old.test", "/");
    ws.ok(&["crawl", &url]);
    std::thread::sleep(Duration::from_secs(3));
    // The erasure's index transaction fails after its record is in the archive, as a crash
    // between the two would leave it: the record written, nothing else done.
    let (fail, unfail) = if ws.on_postgres() {
        (
            vec![
                "CREATE FUNCTION fail_erasure() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql".to_string(),
                "CREATE TRIGGER fail_erasure BEFORE INSERT ON erasures FOR EACH ROW EXECUTE FUNCTION fail_erasure()".to_string(),
            ],
            vec!["DROP TRIGGER fail_erasure ON erasures".to_string()],
        )
    } else {
        (
            vec!["CREATE TRIGGER fail_erasure BEFORE INSERT ON erasures BEGIN SELECT RAISE(ABORT, 'injected failure'); END".to_string()],
            vec!["DROP TRIGGER fail_erasure".to_string()],
        )
    };
    ws.sql(&fail);
    let out = ws.ok(&["retention", "--apply"]);
    assert!(
        out.contains("not erased") && out.contains("injected failure"),
        "{out}"
    );
    assert!(
        contains(&everything(&ws), POLICY_MARKER),
        "nothing blanked yet"
    );
    ws.sql(&unfail);
    // The next start takes the erasure up from its record and finishes it; nothing is
    // erased twice.
    let out = ws.ok(&["retention", "--apply"]);
    assert!(out.contains("nothing to erase"), "{out}");
    assert!(!contains(&everything(&ws), POLICY_MARKER));
    assert!(ws.run(&["captures", &url, "--json"]).stdout.len() < 3);
    let report = ws.ok(&["verify"]);
    assert!(report.trim_end().ends_with("OK"), "{report}");
    assert_eq!(
        report.matches("ERASED chain positions").count(),
        1,
        "{report}"
    );
    let listed = erasure_list(&ws);
    assert_eq!(listed["erasures"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["erasures"][0]["done"], 1, "{listed}");
}

#[test]
fn a_seed_that_keeps_only_text_archives_no_body_of_those_types() {
    const PAGE_MARKER: &str = "ZQXJTEXTONLYPAGE";
    const IMAGE_MARKER: &str = "ZQXJTEXTONLYIMAGE";
    let site = Site::start();
    site.put(
        "/",
        Page::html(format!(
            "<html><body><h1>Ads</h1><p>Call us about {PAGE_MARKER} today.</p>\
             <a href=\"/photo.png\">photo</a> <a href=\"/terms.txt\">terms</a></body></html>"
        )),
    );
    site.put(
        "/photo.png",
        Page {
            content_type: "image/png".into(),
            ..Page::html(format!("PNG-BYTES-{IMAGE_MARKER}"))
        },
    );
    site.put(
        "/terms.txt",
        Page {
            content_type: "text/plain".into(),
            ..Page::html("Terms kept in full.")
        },
    );
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\nrate_per_sec = 100.0\n[fetch]\nresolve = [\"{}\"]\n",
        site.resolve("ads.test")
    ));
    ws.write_seeds(
        "s.toml",
        format!(
            "[[seed]]\nlabel = \"ads\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 1\ntext_only = [\"image/*\", \"text/html\"]\n",
            site.url("ads.test", "/")
        ),
    )
    .unwrap();
    let bad = Workspace::new("");
    bad.write_seeds(
        "b.toml",
        "[[seed]]\nlabel = \"b\"\nurl = \"http://b.test/\"\ntext_only = [\"images\"]\n",
    )
    .unwrap();
    let out = bad.run(&["seeds", "list"]);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("text_only") && said.contains("'images'"),
        "{said}"
    );

    let (child, log) = ws.spawn(&["run"]);
    let (page, photo, terms) = (
        site.url("ads.test", "/"),
        site.url("ads.test", "/photo.png"),
        site.url("ads.test", "/terms.txt"),
    );
    wait_until("the three captured", Duration::from_secs(60), || {
        [&page, &photo, &terms]
            .iter()
            .all(|u| ws.run(&["captures", u, "--json"]).stdout.len() > 2)
    });
    stop_cleanly(child, &log);
    // The bodies of those types are in no WARC file (the page's text is kept in the index,
    // the image's nowhere); the text/plain one is whole.
    let mut files = Vec::new();
    for e in std::fs::read_dir(ws.warcs()).unwrap() {
        let name = e.unwrap().path().to_string_lossy().to_string();
        if name.ends_with(".warc.zst") || name.ends_with(".warc.zst.open") {
            files.extend(harness::tool("zstd", &["-dcq", &name]).stdout);
        }
    }
    assert!(
        contains(&files, "Terms kept in full."),
        "the test reads the records"
    );
    assert!(!contains(&files, PAGE_MARKER) && !contains(&files, IMAGE_MARKER));
    assert!(!contains(&everything(&ws), IMAGE_MARKER));
    // The capture and its metadata are kept, and say why the body is not.
    let c = ws.first_capture(&photo);
    assert_eq!(c["status"], 200, "{c}");
    assert_eq!(c["mime"], "image/png", "{c}");
    let body = ws.ok(&["show", &c["id"].to_string(), "--body", "--reason", "t"]);
    assert!(body.is_empty(), "{body}");
    // Its record: the status line and headers as received, no body, marked as cut short.
    let record = ws.ok(&["show", &c["id"].to_string(), "--reason", "t"]);
    assert!(
        record.starts_with("HTTP/1.1 200 OK") && record.ends_with("\r\n\r\n"),
        "{record}"
    );
    let said = String::from_utf8_lossy(&files).to_string();
    assert!(said.contains("WARC-Truncated: unspecified"));
    assert!(
        said.contains(
            "minimised: body not kept: seed ads keeps only the text and metadata of image/*"
        ),
        "the capture's metadata record says why"
    );
    // The page's text is kept: search finds it.
    assert!(ws.ok(&["search", "today", "--json"]).contains("ads.test"));
    let report = ws.ok(&["verify"]);
    assert!(report.trim_end().ends_with("OK"), "{report}");
    for f in ws.warc_files() {
        harness::warcio_accepts(&f);
    }
}
