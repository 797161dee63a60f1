//! The analysts' HTTP API of `nightjar run`, over real HTTP on 127.0.0.1: the auth matrix of
//! every route, search filters and cursor pagination, JSON errors for malformed input, the
//! per-token rate limit, and the audit log of what was read (checked by `verify --audit`).

mod harness;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use harness::site::{Page, Site};
use harness::{http_request as request, wait_until, KillOnDrop, Workspace};
use serde_json::Value;

/// A GET whose body is read as JSON (Null if it is not JSON).
fn call(addr: &str, path: &str, token: Option<&str>) -> (u16, String, Value) {
    let (status, head, body) = request(addr, "GET", path, token, None);
    (
        status,
        head,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

fn token(ws: &Workspace, role: &str, name: &str) -> String {
    ws.ok(&["token", "create", "--role", role, "--name", name])
        .trim()
        .to_string()
}

/// A running `nightjar run` of its own: a site of 7 pages (`/p/6` is gone) crawled from one
/// seed, and a token of each role (`ops`, `alice`, `audrey`). Each test starts its own.
struct Daemon {
    // Declared first so a failing test kills the daemon before its workspace goes.
    child: KillOnDrop,
    log: PathBuf,
    ws: Workspace,
    site: Site,
    addr: String,
    operator: String,
    analyst: String,
    auditor: String,
}

impl Daemon {
    fn start() -> Daemon {
        let site = Site::start();
        let links: String = (0..7)
            .map(|i| format!(r#"<a href="/p/{i}">{i}</a> "#))
            .collect();
        site.put("/", Page::html(links));
        for i in 0..7 {
            site.put(&format!("/p/{i}"), Page::html(format!("page {i}")));
        }
        site.put("/p/6", Page::status(404, "gone"));
        let ws = Workspace::new(&format!(
            "[fetch]\nresolve = [\"{}\"]\n[api]\nrate_per_token = 100\n",
            site.resolve("api.test")
        ));
        ws.write_seeds(
            "s.toml",
            format!(
                "[[seed]]\nlabel = \"s\"\nurl = \"{}\"\nrecrawl = \"1d\"\nrate_per_sec = 50\n",
                site.url("api.test", "/")
            ),
        )
        .unwrap();
        let operator = token(&ws, "operator", "ops");
        let analyst = token(&ws, "analyst", "alice");
        let auditor = token(&ws, "auditor", "audrey");

        let (child, log) = ws.spawn(&["run"]);
        wait_until("the crawl", Duration::from_secs(60), || {
            ws.capture_counts_if_any().len() >= 9
        });
        let addr = ws.api_address().expect("the status names the API address");
        Daemon {
            child,
            log,
            ws,
            site,
            addr,
            operator,
            analyst,
            auditor,
        }
    }

    /// The URL of `path` on the crawled site.
    fn url(&self, path: &str) -> String {
        self.site.url("api.test", path)
    }

    /// The ID of the first capture of `path` on the crawled site.
    fn capture_id(&self, path: &str) -> i64 {
        self.ws.first_capture(&self.url(path))["id"]
            .as_i64()
            .unwrap()
    }

    /// Every entry of the audit log, paged through as the auditor.
    fn audit_entries(&self) -> Vec<Value> {
        let mut entries = Vec::new();
        let mut after = 0;
        for _ in 0..100 {
            let (status, _, page) = call(
                &self.addr,
                &format!("/api/v1/audit?after={after}&limit=100"),
                Some(&self.auditor),
            );
            assert_eq!(status, 200, "{page}");
            entries.extend(page["entries"].as_array().unwrap().iter().cloned());
            match page["next_after"].as_i64() {
                Some(a) => after = a,
                None => break,
            }
        }
        entries
    }

    fn stop(self) {
        harness::stop_cleanly(self.child, &self.log);
    }
}

/// How many audit entries record `action` by `actor`.
fn actions(entries: &[Value], action: &str, actor: &str) -> usize {
    entries
        .iter()
        .filter(|e| e["action"] == action && e["actor"] == actor)
        .count()
}

#[test]
fn tokens_are_secret_and_every_route_checks_the_token_and_the_role() {
    let d = Daemon::start();
    let (ws, addr, analyst) = (&d.ws, d.addr.as_str(), d.analyst.as_str());
    assert!(
        analyst.starts_with("nj_") && analyst.len() > 60,
        "{analyst}"
    );
    let listed = ws.ok(&["token", "list"]);
    assert!(!listed.contains(analyst), "secrets are never listed");

    // /healthz is the one route without a token.
    assert_eq!(call(addr, "/healthz", None).0, 200);

    // The auth matrix: every route, no token, a wrong token, each role.
    let page3 = d.url("/p/3");
    let p3 = d.capture_id("/p/3");
    let p4 = d.capture_id("/p/4");
    let content = |part: &str| format!("/api/v1/captures/{p3}/{part}?reason=case-17");
    let history = format!("/api/v1/history?url={page3}");
    let diff = format!("/api/v1/diff?a={p3}&b={p4}&reason=case-17");
    // (method, path, body, roles allowed). Writes use targets that change nothing (an
    // unknown seed, an export of nothing), so an allowed role gets a 4xx of its own but
    // never 401 or 403.
    let all_roles: &[&str] = &["operator", "analyst", "auditor"];
    let routes: Vec<(&str, String, Option<&str>, &[&str])> = vec![
        ("GET", "/api/v1/openapi.json".into(), None, all_roles),
        ("GET", "/api/v1/status".into(), None, all_roles),
        (
            "GET",
            "/api/v1/seeds".into(),
            None,
            &["operator", "analyst"],
        ),
        ("POST", "/api/v1/seeds".into(), Some("{}"), &["operator"]),
        (
            "PATCH",
            "/api/v1/seeds/none".into(),
            Some("{}"),
            &["operator"],
        ),
        ("DELETE", "/api/v1/seeds/none".into(), None, &["operator"]),
        (
            "POST",
            "/api/v1/seeds/none/pause".into(),
            None,
            &["operator"],
        ),
        ("GET", "/api/v1/captures".into(), None, &["analyst"]),
        ("GET", format!("/api/v1/captures/{p3}"), None, &["analyst"]),
        ("GET", content("headers"), None, &["analyst"]),
        ("GET", content("body"), None, &["analyst"]),
        ("GET", content("record"), None, &["analyst"]),
        ("GET", "/api/v1/changes".into(), None, &["analyst"]),
        ("GET", history.clone(), None, &["analyst"]),
        ("GET", diff.clone(), None, &["analyst"]),
        ("POST", "/api/v1/exports".into(), Some("{}"), &["analyst"]),
        (
            "GET",
            "/api/v1/exports/999999".into(),
            None,
            &["analyst", "auditor"],
        ),
        (
            "GET",
            "/api/v1/exports/999999/download".into(),
            None,
            &["analyst"],
        ),
        ("GET", "/api/v1/entities".into(), None, &["analyst"]),
        (
            "GET",
            "/api/v1/entity?value=999999".into(),
            None,
            &["analyst"],
        ),
        (
            "GET",
            format!("/api/v1/captures/{p3}/entities"),
            None,
            &["analyst"],
        ),
        ("GET", "/api/v1/search?q=page".into(), None, &["analyst"]),
        ("GET", "/api/v1/misp?case=c-1".into(), None, &["analyst"]),
        ("GET", "/api/v1/watches".into(), None, &["analyst"]),
        ("POST", "/api/v1/watches".into(), Some("{}"), &["analyst"]),
        (
            "DELETE",
            "/api/v1/watches/none999999".into(),
            None,
            &["analyst"],
        ),
        ("GET", "/api/v1/alerts".into(), None, &["analyst"]),
        ("GET", "/api/v1/audit".into(), None, all_roles[2..].as_ref()),
        (
            "GET",
            "/api/v1/audit/verify".into(),
            None,
            all_roles[2..].as_ref(),
        ),
    ];
    let tokens = [
        ("operator", d.operator.as_str()),
        ("analyst", analyst),
        ("auditor", d.auditor.as_str()),
    ];
    for (method, route, body, allowed) in &routes {
        let (method, route) = (*method, route.as_str());
        let what = format!("{method} {route}");
        let (status, head, b) = request(addr, method, route, None, *body);
        assert_eq!(status, 401, "{what} without a token");
        let b: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(b["error"]["code"], "unauthorized", "{what}");
        assert!(head.contains("www-authenticate: bearer"), "{what}: {head}");
        let forged = format!("nj_{}", "0".repeat(64));
        assert_eq!(
            request(addr, method, route, Some(&forged), *body).0,
            401,
            "{what} forged"
        );
        for (role, t) in tokens {
            let (status, _, b) = request(addr, method, route, Some(t), *body);
            let b = String::from_utf8_lossy(&b);
            if !allowed.contains(&role) {
                assert_eq!(status, 403, "{what} as {role}: {b}");
                assert!(b.contains("\"forbidden\""), "{b}");
            } else if method == "GET" && !route.contains("999999") {
                assert_eq!(status, 200, "{what} as {role}: {b}");
            } else {
                assert!(
                    (400..500).contains(&status) && status != 401 && status != 403,
                    "{what} as {role}: {status} {b}"
                );
            }
        }
    }

    d.stop();
}

#[test]
fn capture_search_filters_and_pages_with_a_cursor_and_every_search_is_audited() {
    let d = Daemon::start();
    let (addr, analyst) = (d.addr.as_str(), d.analyst.as_str());
    let page3 = d.url("/p/3");

    // Cursor pagination walks every capture once, newest first.
    let all = call(addr, "/api/v1/captures?limit=500", Some(analyst)).2;
    let every: Vec<i64> = all["captures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(every.len() >= 9, "{all}");
    let mut walked = Vec::new();
    let mut path = "/api/v1/captures?limit=2&reason=case-17".to_string();
    for _ in 0..100 {
        let (status, _, page) = call(addr, &path, Some(analyst));
        assert_eq!(status, 200, "{page}");
        let ids: Vec<i64> = page["captures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert!(ids.len() <= 2);
        walked.extend(ids);
        match page["next_cursor"].as_i64() {
            Some(c) => path = format!("/api/v1/captures?limit=2&cursor={c}&reason=case-17"),
            None => break,
        }
    }
    assert_eq!(walked, every, "pages are disjoint, complete and in order");

    // Filters.
    let count = |q: &str| {
        let (status, _, body) = call(addr, &format!("/api/v1/captures?{q}"), Some(analyst));
        assert_eq!(status, 200, "{q}: {body}");
        body["captures"].as_array().unwrap().len()
    };
    assert_eq!(count(&format!("url={page3}")), 1);
    // 404s: /p/6 and robots.txt.
    assert_eq!(count("status=404"), 2);
    assert_eq!(count(&format!("status=404&prefix={}", d.url("/p/"))), 1);
    assert_eq!(count(&format!("prefix={}", d.url("/p/"))), 7);
    assert_eq!(
        count(&format!("host=api.test:{}", d.site.port())),
        every.len()
    );
    assert_eq!(count("host=elsewhere.test"), 0);
    assert_eq!(count("since=1h&until=2099-01-01"), every.len());
    assert_eq!(count("mime=text/html&status=200"), 7);
    let one = call(
        addr,
        &format!("/api/v1/captures/{}", every[0]),
        Some(analyst),
    )
    .2;
    assert_eq!(one["capture"]["id"], every[0]);

    // The audit log has every search, with who and why, and what it found.
    let entries = d.audit_entries();
    assert!(actions(&entries, "captures.search", "token:alice") >= walked.len() / 2);
    assert!(entries
        .iter()
        .any(|e| e["action"] == "captures.search" && e["reason"] == "case-17"));
    assert!(entries.iter().any(|e| e["action"] == "captures.search"
        && e["target"] == format!("url={page3}")
        && e["result"] == "ok: 1 captures"));

    d.stop();
}

#[test]
fn archived_content_is_served_raw_and_what_changed_is_listed_and_diffed() {
    let d = Daemon::start();
    let (ws, addr, analyst) = (&d.ws, d.addr.as_str(), d.analyst.as_str());
    let page3 = d.url("/p/3");
    let p3 = d.capture_id("/p/3");
    let p4 = d.capture_id("/p/4");
    let content = |part: &str| format!("/api/v1/captures/{p3}/{part}?reason=case-17");
    let history = format!("/api/v1/history?url={page3}");
    let diff = format!("/api/v1/diff?a={p3}&b={p4}&reason=case-17");

    // Archived content: raw, as archived, as an opaque download.
    let (status, head, body) = request(addr, "GET", &content("body"), Some(analyst), None);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        ws.run(&["show", "--reason", "test", &p3.to_string(), "--body"])
            .stdout
    );
    for h in [
        "content-type: application/octet-stream",
        "x-content-type-options: nosniff",
        "content-security-policy: sandbox; default-src 'none'",
    ] {
        assert!(head.contains(h), "{h} in {head}");
    }
    let (_, _, record) = request(addr, "GET", &content("record"), Some(analyst), None);
    assert!(
        record.starts_with(b"HTTP/1.1 200"),
        "the record block is the response"
    );
    assert_eq!(
        call(
            addr,
            &format!("/api/v1/captures/{p3}/thumbnail?reason=x"),
            Some(analyst)
        )
        .0,
        404
    );

    // What changed: the feed, a URL's history, a diff.
    let feed = call(addr, "/api/v1/changes?since=1h&class=new", Some(analyst)).2;
    assert!(feed["changes"].as_array().unwrap().len() >= 8, "{feed}");
    let h = call(addr, &history, Some(analyst)).2;
    assert_eq!(h["history"].as_array().unwrap().len(), 1, "{h}");
    let diffed = call(addr, &diff, Some(analyst)).2;
    assert!(
        diffed["text_diff"].as_str().unwrap().contains("-page 3"),
        "{diffed}"
    );
    assert!(
        diffed["text_diff"].as_str().unwrap().contains("+page 4"),
        "{diffed}"
    );
    assert_eq!(
        call(addr, "/api/v1/diff?a=1&b=99999999&reason=x", Some(analyst)).0,
        404
    );

    d.stop();
}

#[test]
fn malformed_input_gets_a_json_error_and_content_needs_a_reason() {
    let d = Daemon::start();
    let (addr, analyst) = (d.addr.as_str(), d.analyst.as_str());
    let p3 = d.capture_id("/p/3");

    // Archived content only with a reason.
    let (status, _, refused) = call(addr, &format!("/api/v1/captures/{p3}/body"), Some(analyst));
    assert_eq!(status, 400);
    assert_eq!(refused["error"]["code"], "reason_required");

    // Malformed input: a JSON error naming the problem, never a 5xx.
    for (q, status) in [
        ("/api/v1/captures?limit=0", 400),
        ("/api/v1/captures?limit=100000", 400),
        ("/api/v1/captures?limit=ten", 400),
        ("/api/v1/captures?cursor=1&cursor=2", 400),
        ("/api/v1/captures?colour=red", 400),
        ("/api/v1/captures?url=ftp%3A%2F%2Fx", 400),
        ("/api/v1/captures?url=%ZZ%00", 400),
        ("/api/v1/captures?since=yesterday-ish", 400),
        ("/api/v1/captures?host=http://x/", 400),
        ("/api/v1/captures/abc", 400),
        ("/api/v1/captures/%FF", 400),
        ("/api/v1/captures/%FF/body?reason=x", 400),
        ("/api/v1/captures/99999999", 404),
        ("/api/v1/nothing-here", 404),
    ] {
        let (got, head, body) = call(addr, q, Some(analyst));
        assert_eq!(got, status, "{q}: {body}");
        assert!(head.contains("content-type: application/json"), "{q}");
        assert!(body["error"]["message"].as_str().is_some(), "{q}: {body}");
    }

    d.stop();
}

/// Free text and seed settings are checked where they enter (a clear 400 naming the field and
/// what to do), the bearer scheme is case-insensitive, a wrong method is 401 before it is
/// 405, a prefix search ending in `*` means what it means in the console, and refused
/// requests reach the audit log counted per caller, kind and minute (a flood is one entry).
#[test]
fn free_text_and_seed_settings_are_checked_and_refusals_are_audited_in_bulk() {
    let d = Daemon::start();
    let (addr, operator, analyst) = (d.addr.as_str(), d.operator.as_str(), d.analyst.as_str());
    let send = |method: &str, path: &str, t: &str, body: Option<&str>| {
        let (status, _, b) = request(addr, method, path, Some(t), body);
        (status, String::from_utf8_lossy(&b).into_owned())
    };
    let site = d.url("/p/5");
    // Seed labels and settings.
    for (fields, needle) in [
        (r#""label": "two\nlines""#.to_string(), "a line feed"),
        (r#""label": "bell\u0007""#.to_string(), "U+0007"),
        (format!(r#""label": "{}""#, "x".repeat(65)), "at most 64"),
        (r#""label": "z", "recrawl": "0s""#.to_string(), "too short"),
        (
            r#""label": "z", "recrawl_min": "0s""#.to_string(),
            "too short",
        ),
        (
            r#""label": "z", "recrawl": "20000d""#.to_string(),
            "too long",
        ),
        (
            r#""label": "z", "max_pages": 18446744073709551615"#.to_string(),
            "between 1 and 10000000",
        ),
        (
            r#""label": "z", "max_pages": 0"#.to_string(),
            "between 1 and",
        ),
        (
            r#""label": "z", "rate_per_sec": 1e9"#.to_string(),
            "at most 1000",
        ),
        (
            r#""label": "z", "max_in_flight": 0"#.to_string(),
            "between 1 and 256",
        ),
    ] {
        // (Each also through PATCH, where the key is one PATCH takes.)
        if let Some((_, rest)) = fields.split_once(r#""label": "z", "#) {
            let (status, b) = send(
                "PATCH",
                "/api/v1/seeds/s",
                operator,
                Some(&format!("{{{rest}}}")),
            );
            assert_eq!(status, 400, "PATCH {rest}: {b}");
            assert!(b.contains(needle), "PATCH {rest}: {b}");
            assert!(!b.contains("-1"), "PATCH {rest}: {b}");
        }
        let body = format!(r#"{{{fields}, "url": "{site}"}}"#);
        let (status, b) = send("POST", "/api/v1/seeds", operator, Some(&body));
        assert_eq!(status, 400, "{body}: {b}");
        assert!(b.contains(needle), "{body}: {b}");
        assert!(!b.contains("-1"), "{body}: {b}");
    }
    // The command line says the same.
    let out = d.ws.run(&["seeds", "add", &site, "--label", "a\u{1b}[2Jb"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("U+001B"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Reasons and cases.
    let p3 = d.capture_id("/p/3");
    for reason in [
        "%00",
        "%1B%5B2J",
        "a%0Aexported%20by%3A%20x",
        &"r".repeat(501),
    ] {
        let (status, b) = send(
            "GET",
            &format!("/api/v1/captures/{p3}/body?reason={reason}"),
            analyst,
            None,
        );
        assert_eq!(status, 400, "reason {reason}: {b}");
    }
    let (status, b) = send(
        "POST",
        "/api/v1/exports",
        analyst,
        Some(&format!(
            r#"{{"url": "{}", "case": "{}", "reason": "r"}}"#,
            d.url("/p/3"),
            "c".repeat(201)
        )),
    );
    assert_eq!(status, 400, "{b}");
    assert!(b.contains("at most 200"), "{b}");

    // `bearer` is `Bearer`; a wrong method is 401 before it is 405.
    let curl = |auth: &str, method: &str, path: &str| {
        let out = std::process::Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", method])
            .args(["-H", &format!("Authorization: {auth}")])
            .arg(format!("http://{addr}{path}"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        curl(&format!("bearer {analyst}"), "GET", "/api/v1/changes"),
        "200"
    );
    assert_eq!(
        curl(&format!("BEARER  {analyst}"), "GET", "/api/v1/changes"),
        "200"
    );
    assert_eq!(curl("Basic eDp5", "GET", "/api/v1/changes"), "401");
    assert_eq!(curl("", "DELETE", "/api/v1/changes"), "401");
    assert_eq!(
        curl(&format!("Bearer {analyst}"), "DELETE", "/api/v1/changes"),
        "405"
    );

    // A prefix ending in `*` is that prefix.
    let prefix = d.url("/p/");
    let ids = |q: &str| -> Vec<i64> {
        let (status, _, v) = call(
            addr,
            &format!("/api/v1/captures?prefix={q}&limit=100"),
            Some(analyst),
        );
        assert_eq!(status, 200, "{v}");
        v["captures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let plain = ids(&prefix);
    assert!(plain.len() >= 6, "{plain:?}");
    assert_eq!(ids(&format!("{prefix}*")), plain);
    assert_eq!(ids(&format!("{prefix}%2A")), plain);

    // Refusals: 40 anonymous, 3 forbidden, 2 without a reason; one entry per caller and kind.
    for _ in 0..40 {
        assert_eq!(call(addr, "/api/v1/changes", None).0, 401);
    }
    for _ in 0..3 {
        assert_eq!(call(addr, "/api/v1/audit", Some(analyst)).0, 403);
    }
    for _ in 0..2 {
        assert_eq!(
            call(addr, &format!("/api/v1/captures/{p3}/body"), Some(analyst)).0,
            400
        );
    }
    // Stopped, so that the last minute's tallies are written; the workspace stays.
    let Daemon { child, log, ws, .. } = d;
    harness::stop_cleanly(child, &log);
    let refused = ws.query_text("SELECT actor || ' | ' || target || ' | ' || result FROM audit_log WHERE action = 'api.refused' ORDER BY seq",
    );
    let count = |actor: &str, kind: &str| -> u64 {
        refused
            .iter()
            .filter(|r| r.starts_with(&format!("{actor} | {kind} |")))
            .map(|r| {
                r.split("refused: ")
                    .nth(1)
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()
            })
            .sum()
    };
    assert!(count("anonymous", "401 unauthorized") >= 42, "{refused:#?}");
    assert_eq!(count("token:alice", "403 forbidden"), 3, "{refused:#?}");
    assert_eq!(
        count("token:alice", "400 reason_required"),
        2,
        "{refused:#?}"
    );
    assert!(
        refused.len() <= 12,
        "counted per caller, kind and minute, not one entry each: {refused:#?}"
    );
    assert!(
        refused
            .iter()
            .any(|r| r.contains("first GET /api/v1/audit")),
        "{refused:#?}"
    );
}

#[test]
fn an_export_job_runs_downloads_to_its_requester_only_and_its_package_verifies() {
    let d = Daemon::start();
    let (ws, addr, analyst) = (&d.ws, d.addr.as_str(), d.analyst.as_str());
    let page3 = d.url("/p/3");

    // An export job: started, finished, downloaded, and a package that verifies.
    let (status, _, started) = request(
        addr,
        "POST",
        "/api/v1/exports",
        Some(analyst),
        Some(&format!(
            r#"{{"url": "{page3}", "case": "case-17", "reason": "disclosure to the court"}}"#
        )),
    );
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&started));
    let job: Value = serde_json::from_slice(&started).unwrap();
    let job_url = format!("/api/v1/exports/{}", job["id"]);
    wait_until("the export job", Duration::from_secs(60), || {
        call(addr, &job_url, Some(analyst)).2["state"] != "running"
    });
    let done = call(addr, &job_url, Some(analyst)).2;
    assert_eq!(done["state"], "done", "{done}");
    let download = done["download"].as_str().unwrap().to_string();
    assert_eq!(call(addr, &download, Some(&d.auditor)).0, 403);
    let colleague = token(ws, "analyst", "bob");
    let (status, _, refused) = call(addr, &download, Some(&colleague));
    assert_eq!(status, 403, "only the requester downloads: {refused}");
    // Nor does another analyst see the job; an auditor does.
    let (status, _, hidden) = call(addr, &job_url, Some(&colleague));
    assert_eq!(status, 404, "{hidden}");
    let (status, _, seen) = call(addr, &job_url, Some(&d.auditor));
    assert_eq!(
        (status, &seen["state"]),
        (200, &Value::from("done")),
        "{seen}"
    );
    let (status, head, wacz) = request(addr, "GET", &download, Some(analyst), None);
    assert_eq!(status, 200);
    assert!(head.contains("content-disposition: attachment"), "{head}");
    let saved = ws.dir.path().join("from-api.wacz");
    std::fs::write(&saved, &wacz).unwrap();
    let checked = ws.ok(&["verify", saved.to_str().unwrap()]);
    assert!(checked.trim_end().ends_with("OK"), "{checked}");
    for (body, why) in [
        ("{}", "missing case"),
        (r#"{"url": "x", "case": "", "reason": "r"}"#, "empty case"),
        (
            r#"{"seed": "s", "case": "c", "reason": "r", "colour": 1}"#,
            "unknown field",
        ),
        ("not json", "not JSON"),
    ] {
        let (status, _, b) = request(addr, "POST", "/api/v1/exports", Some(analyst), Some(body));
        assert_eq!(status, 400, "{why}: {}", String::from_utf8_lossy(&b));
    }
    assert_eq!(
        request(addr, "DELETE", "/api/v1/exports", Some(analyst), None).0,
        405
    );
    let huge = format!(r#"{{"case": "c", "reason": "{}"}}"#, "x".repeat(100_000));
    let (status, _, b) = request(addr, "POST", "/api/v1/exports", Some(analyst), Some(&huge));
    let b: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(
        (status, b["error"]["code"].as_str()),
        (413, Some("too_large"))
    );

    // The audit log has the tokens made, the export with who and why, and each download
    // (the refusal too); the malformed requests started no export.
    let entries = d.audit_entries();
    let user = format!("user:{}", whoami());
    // (On a shared database the node also made its own token, of role node, at its start.)
    let by_hand = entries
        .iter()
        .filter(|e| e["action"] == "token.create" && e["actor"] == user.as_str())
        .filter(|e| e["result"] != "ok: role node")
        .count();
    assert_eq!(by_hand, 4);
    assert_eq!(
        actions(&entries, "token.create", &user) - by_hand,
        usize::from(ws.on_postgres())
    );
    assert_eq!(actions(&entries, "export", "token:alice"), 1);
    assert_eq!(actions(&entries, "export.finished", "token:alice"), 1);
    assert_eq!(
        actions(&entries, "export.download", "token:bob"),
        1,
        "the refusal is logged too"
    );
    assert_eq!(actions(&entries, "export.download", "token:alice"), 1);
    assert!(entries.iter().any(|e| e["action"] == "export"
        && e["reason"] == "disclosure to the court"
        && e["target"].as_str().unwrap().contains("case-17")));

    d.stop();
}

#[test]
fn operators_edit_seeds_through_the_api_and_the_daemon_follows() {
    let d = Daemon::start();
    let (ws, addr) = (&d.ws, d.addr.as_str());
    let (operator, analyst) = (d.operator.as_str(), d.analyst.as_str());

    // Operators change the seed set; the daemon picks the change up by itself.
    let send = |method: &str, path: &str, t: &str, body: Option<&str>| {
        let (status, _, b) = request(addr, method, path, Some(t), body);
        (status, String::from_utf8_lossy(&b).into_owned())
    };
    let board = d.url("/p/5");
    let new_seed = format!(r#"{{"label": "board", "url": "{board}", "recrawl": "6h"}}"#);
    assert_eq!(
        send("POST", "/api/v1/seeds", analyst, Some(&new_seed)).0,
        403
    );
    let (status, body) = send("POST", "/api/v1/seeds", operator, Some(&new_seed));
    assert_eq!(status, 201, "{body}");
    assert!(ws.dir.path().join("seeds/api.toml").exists());
    wait_until(
        "the daemon crawls the new seed",
        Duration::from_secs(30),
        || {
            std::fs::read_to_string(ws.data().join("status.json"))
                .is_ok_and(|s| s.contains("\"board\""))
        },
    );
    for (body, why) in [
        (new_seed.clone(), "a label in use"),
        (
            r#"{"url": "http://2gzyxb5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/"}"#
                .to_string(),
            "a forged onion address",
        ),
        (
            r#"{"url": "http://x.test/", "recrawl": "soon"}"#.to_string(),
            "a bad interval",
        ),
        (
            r#"{"url": "http://x.test/", "colour": "red"}"#.to_string(),
            "an unknown field",
        ),
    ] {
        let (status, b) = send("POST", "/api/v1/seeds", operator, Some(&body));
        assert_eq!(status, 400, "{why}: {b}");
    }
    let (status, body) = send(
        "PATCH",
        "/api/v1/seeds/board",
        operator,
        Some(r#"{"recrawl": "12h", "max_depth": 2}"#),
    );
    assert_eq!(status, 200, "{body}");
    let file = std::fs::read_to_string(ws.dir.path().join("seeds/api.toml")).unwrap();
    assert!(
        file.contains("recrawl = \"12h\"") && file.contains("max_depth = 2"),
        "{file}"
    );
    assert_eq!(
        send(
            "PATCH",
            "/api/v1/seeds/board",
            operator,
            Some(r#"{"recrawl": "soon"}"#)
        )
        .0,
        400
    );
    assert_eq!(
        send("POST", "/api/v1/seeds/board/pause", operator, None).0,
        200
    );
    wait_until("the paused seed stops", Duration::from_secs(30), || {
        std::fs::read_to_string(ws.data().join("status.json"))
            .is_ok_and(|s| !s.contains("\"board\""))
    });
    assert_eq!(
        send("POST", "/api/v1/seeds/board/resume", operator, None).0,
        200
    );
    assert_eq!(
        send("POST", "/api/v1/seeds/board/launch", operator, None).0,
        404
    );
    assert_eq!(send("DELETE", "/api/v1/seeds/board", operator, None).0, 200);
    assert_eq!(send("DELETE", "/api/v1/seeds/board", operator, None).0, 400);
    let changes = ws.ok(&["seeds", "log"]);
    for action in [
        "add 'board'",
        "update 'board'",
        "disable 'board'",
        "enable 'board'",
        "remove 'board'",
    ] {
        assert!(
            changes.contains(&format!("token:ops {action}")),
            "{action}:\n{changes}"
        );
    }

    // The audit log has each change once, by the operator's token (the refused ones not).
    let entries = d.audit_entries();
    for action in [
        "seeds.add",
        "seeds.update",
        "seeds.disable",
        "seeds.enable",
        "seeds.remove",
    ] {
        assert_eq!(actions(&entries, action, "token:ops"), 1, "{action}");
    }

    d.stop();
}

#[test]
fn a_revoked_token_is_refused_at_once_and_a_burst_meets_the_rate_limit() {
    let d = Daemon::start();
    let addr = d.addr.as_str();

    // A revoked token is refused at once.
    d.ws.ok(&["token", "revoke", "ops"]);
    assert_eq!(call(addr, "/api/v1/status", Some(&d.operator)).0, 401);

    // The rate limit: 100 a second, bursts of 200.
    let statuses: BTreeSet<u16> = (0..400)
        .map(|_| call(addr, "/api/v1/status", Some(&d.auditor)).0)
        .collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    std::thread::sleep(Duration::from_secs(3));

    // Once the auditor's allowance is back: the revocation is in the audit log.
    let entries = d.audit_entries();
    assert_eq!(
        actions(&entries, "token.revoke", &format!("user:{}", whoami())),
        1
    );

    d.stop();
}

#[test]
fn the_audit_log_has_every_read_with_who_and_why_and_its_chain_verifies() {
    let d = Daemon::start();
    let (ws, addr, analyst) = (&d.ws, d.addr.as_str(), d.analyst.as_str());
    let root = d.capture_id("/");
    let p3 = d.capture_id("/p/3");
    let p4 = d.capture_id("/p/4");

    // An analyst reads: index entries, archived bodies and a diff, with a reason.
    for id in [root, p3, p4] {
        call(addr, &format!("/api/v1/captures/{id}"), Some(analyst));
    }
    for id in [p3, p4] {
        request(
            addr,
            "GET",
            &format!("/api/v1/captures/{id}/body?reason=case-17"),
            Some(analyst),
            None,
        );
    }
    call(
        addr,
        &format!("/api/v1/diff?a={p3}&b={p4}&reason=case-17"),
        Some(analyst),
    );

    // The audit log has every read, with who and why, and its chain verifies.
    let entries = d.audit_entries();
    assert!(actions(&entries, "capture.read", "token:alice") >= 3);
    assert!(actions(&entries, "capture.body", "token:alice") >= 2);
    assert!(entries
        .iter()
        .any(|e| e["action"] == "capture.body" && e["result"] == "ok" && e["reason"] == "case-17"));
    assert!(entries
        .iter()
        .any(|e| e["action"] == "diff" && e["reason"] == "case-17"));
    let remote = call(addr, "/api/v1/audit/verify", Some(&d.auditor)).2;
    assert_eq!(remote["ok"], true, "{remote}");
    let local = ws.ok(&["verify", "--audit"]);
    assert!(local.trim_end().ends_with("OK"), "{local}");
    assert!(
        local.contains(remote["head"].as_str().unwrap()),
        "the same head from the API and the command line:\n{local}\n{remote}"
    );

    d.stop();
}

fn whoami() -> String {
    String::from_utf8(
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string()
}

/// Runs schemathesis against the live API with `token`; it must find nothing.
fn schemathesis(addr: &str, token: &str, only: Option<&str>) {
    // schemathesis keeps a cache (`.schemathesis/`) in its working directory: not the clone.
    let scratch = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new("schemathesis");
    cmd.current_dir(scratch.path());
    cmd.args(["run", &format!("http://{addr}/api/v1/openapi.json")])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args([
            "-c",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        .args(["-n", "50", "--seed", "17", "--request-timeout", "10"]);
    if let Some(re) = only {
        cmd.args(["--include-path-regex", re]);
    }
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run schemathesis ({e}); tests/run-all.sh installs it from PyPI")
        });
    let out = harness::wait_bounded(child, Duration::from_secs(300));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "schemathesis found problems:\n{text}");
    assert!(
        text.contains("passed") || text.contains("No issues found"),
        "{text}"
    );
}

#[test]
fn schemathesis_finds_no_server_error_and_no_response_outside_the_openapi_document() {
    let site = Site::start();
    site.put("/", Page::html(r#"<a href="/a">a</a> <a href="/b">b</a>"#));
    site.put("/a", Page::html("a"));
    site.put("/b", Page::html("b"));
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [\"{}\"]\n[api]\nrate_per_token = 100000\n",
        site.resolve("st.test")
    ));
    ws.write_seeds(
        "s.toml",
        format!(
            "[[seed]]\nlabel = \"s\"\nurl = \"{}\"\nrate_per_sec = 50\n",
            site.url("st.test", "/")
        ),
    )
    .unwrap();
    let analyst = token(&ws, "analyst", "fuzz");
    let auditor = token(&ws, "auditor", "fuzz-audit");
    let (child, log) = ws.spawn(&["run"]);
    wait_until("the crawl", Duration::from_secs(60), || {
        ws.capture_counts_if_any().len() >= 4
    });
    let addr = ws.api_address().expect("the status names the API address");
    schemathesis(&addr, &analyst, None);
    schemathesis(&addr, &auditor, Some("^/api/v1/audit"));
    let stderr = harness::stop_cleanly(child, &log);
    assert!(!stderr.contains("API request failed"), "{stderr}");
    // The fuzzing is itself audited, and the log still verifies.
    assert!(ws.ok(&["verify", "--audit"]).trim_end().ends_with("OK"));
}

#[test]
fn the_api_speaks_https_with_a_certificate_and_refuses_clear_text_off_loopback() {
    // Off loopback without TLS: the daemon will not start.
    let plain = Workspace::new("[api]\nlisten = \"192.0.2.1:8470\"\n");
    plain
        .write_seeds(
            "s.toml",
            "[[seed]]\nlabel = \"s\"\nurl = \"http://s.test/\"\n",
        )
        .unwrap();
    let out = plain.run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("clear text"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let site = Site::start();
    site.put("/", Page::html("hello"));
    let ck = rcgen::generate_simple_self_signed(vec!["api.test".to_string()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("api.pem"), dir.path().join("api.key"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [\"{}\"]\n[api]\ntls_cert_file = \"{}\"\ntls_key_file = \"{}\"\n",
        site.resolve("tls.test"),
        cert.display(),
        key.display()
    ));
    ws.write_seeds(
        "s.toml",
        format!(
            "[[seed]]\nlabel = \"s\"\nurl = \"{}\"\n",
            site.url("tls.test", "/")
        ),
    )
    .unwrap();
    let analyst = token(&ws, "analyst", "alice");
    let (child, log) = ws.spawn(&["run"]);
    wait_until("the API", Duration::from_secs(60), || {
        ws.api_address().is_some()
    });
    let addr = ws.api_address().unwrap();
    let port = addr.rsplit(':').next().unwrap();
    let curl = |scheme: &str| {
        std::process::Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--max-time",
                "10",
            ])
            .args(["--cacert", cert.to_str().unwrap()])
            .args(["--resolve", &format!("api.test:{port}:127.0.0.1")])
            .args(["-H", &format!("Authorization: Bearer {analyst}")])
            .arg(format!("{scheme}://api.test:{port}/api/v1/status"))
            .output()
            .unwrap()
    };
    let https = curl("https");
    assert_eq!(String::from_utf8_lossy(&https.stdout), "200", "{https:?}");
    let http = curl("http");
    assert_ne!(
        String::from_utf8_lossy(&http.stdout),
        "200",
        "clear text is not served"
    );
    harness::stop_cleanly(child, &log);
}
