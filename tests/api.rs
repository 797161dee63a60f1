//! The analysts' HTTP API of `nightjar run`, over real HTTP on 127.0.0.1: the auth matrix of
//! every route, search filters and cursor pagination, JSON errors for malformed input, the
//! per-token rate limit, and the audit log of what was read (checked by `verify --audit`).

mod harness;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::time::Duration;

use harness::site::{Page, Site};
use harness::{wait_until, Workspace};
use serde_json::Value;

/// One request; returns the status, the headers (lower-cased) and the body as JSON (Null if
/// it is not JSON).
fn call(addr: &str, path: &str, token: Option<&str>) -> (u16, String, Value) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect to the API");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
    let status = head[9..12].parse().unwrap();
    (
        status,
        head.to_ascii_lowercase(),
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

fn token(ws: &Workspace, role: &str, name: &str) -> String {
    ws.ok(&["token", "create", "--role", role, "--name", name])
        .trim()
        .to_string()
}

#[test]
fn the_api_checks_tokens_and_roles_pages_searches_and_audits_every_read() {
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
    assert!(
        analyst.starts_with("nj_") && analyst.len() > 60,
        "{analyst}"
    );
    let listed = ws.ok(&["token", "list"]);
    assert!(!listed.contains(&analyst), "secrets are never listed");

    let (child, log) = ws.spawn(&["run"]);
    wait_until("the crawl", Duration::from_secs(60), || {
        ws.capture_counts_if_any().len() >= 9
    });
    let addr = std::fs::read_to_string(ws.data().join("status.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|s| s["api"].as_str().map(str::to_string))
        .expect("the status names the API address");

    // /healthz is the one route without a token.
    assert_eq!(call(&addr, "/healthz", None).0, 200);

    // The auth matrix: every route, no token, a wrong token, each role.
    let routes: &[(&str, &[&str])] = &[
        ("/api/v1/status", &["operator", "analyst", "auditor"]),
        ("/api/v1/seeds", &["operator", "analyst"]),
        ("/api/v1/captures", &["analyst"]),
        ("/api/v1/captures/1", &["analyst"]),
        ("/api/v1/audit", &["auditor"]),
        ("/api/v1/audit/verify", &["auditor"]),
    ];
    let tokens = [
        ("operator", operator.as_str()),
        ("analyst", analyst.as_str()),
        ("auditor", auditor.as_str()),
    ];
    for (route, allowed) in routes {
        let (status, head, body) = call(&addr, route, None);
        assert_eq!(status, 401, "{route} without a token");
        assert_eq!(body["error"]["code"], "unauthorized", "{route}");
        assert!(head.contains("www-authenticate: bearer"), "{route}: {head}");
        let forged = format!("nj_{}", "0".repeat(64));
        assert_eq!(call(&addr, route, Some(&forged)).0, 401, "{route} forged");
        for (role, t) in tokens {
            let (status, _, body) = call(&addr, route, Some(t));
            if allowed.contains(&role) {
                assert_eq!(status, 200, "{route} as {role}: {body}");
            } else {
                assert_eq!(status, 403, "{route} as {role}: {body}");
                assert_eq!(body["error"]["code"], "forbidden");
            }
        }
    }

    // Cursor pagination walks every capture once, newest first.
    let all = call(&addr, "/api/v1/captures?limit=500", Some(&analyst)).2;
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
        let (status, _, page) = call(&addr, &path, Some(&analyst));
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
        let (status, _, body) = call(&addr, &format!("/api/v1/captures?{q}"), Some(&analyst));
        assert_eq!(status, 200, "{q}: {body}");
        body["captures"].as_array().unwrap().len()
    };
    let page3 = site.url("api.test", "/p/3");
    assert_eq!(count(&format!("url={page3}")), 1);
    // 404s: /p/6 and robots.txt.
    assert_eq!(count("status=404"), 2);
    assert_eq!(
        count(&format!(
            "status=404&prefix={}",
            site.url("api.test", "/p/")
        )),
        1
    );
    assert_eq!(count(&format!("prefix={}", site.url("api.test", "/p/"))), 7);
    assert_eq!(
        count(&format!("host=api.test:{}", site.port())),
        every.len()
    );
    assert_eq!(count("host=elsewhere.test"), 0);
    assert_eq!(count("since=1h&until=2099-01-01"), every.len());
    assert_eq!(count("mime=text/html&status=200"), 7);
    let one = call(
        &addr,
        &format!("/api/v1/captures/{}", every[0]),
        Some(&analyst),
    )
    .2;
    assert_eq!(one["capture"]["id"], every[0]);

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
        ("/api/v1/captures/99999999", 404),
        ("/api/v1/nothing-here", 404),
    ] {
        let (got, head, body) = call(&addr, q, Some(&analyst));
        assert_eq!(got, status, "{q}: {body}");
        assert!(head.contains("content-type: application/json"), "{q}");
        assert!(body["error"]["message"].as_str().is_some(), "{q}: {body}");
    }

    // A revoked token is refused at once.
    ws.ok(&["token", "revoke", "ops"]);
    assert_eq!(call(&addr, "/api/v1/status", Some(&operator)).0, 401);

    // The rate limit: 100 a second, bursts of 200.
    let statuses: BTreeSet<u16> = (0..400)
        .map(|_| call(&addr, "/api/v1/status", Some(&auditor)).0)
        .collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    std::thread::sleep(Duration::from_secs(3));

    // The audit log has every read, with who and why, and its chain verifies.
    let mut entries = Vec::new();
    let mut after = 0;
    for _ in 0..100 {
        let (status, _, page) = call(
            &addr,
            &format!("/api/v1/audit?after={after}&limit=100"),
            Some(&auditor),
        );
        assert_eq!(status, 200, "{page}");
        entries.extend(page["entries"].as_array().unwrap().iter().cloned());
        match page["next_after"].as_i64() {
            Some(a) => after = a,
            None => break,
        }
    }
    let actions = |action: &str, actor: &str| {
        entries
            .iter()
            .filter(|e| e["action"] == action && e["actor"] == actor)
            .count()
    };
    assert_eq!(actions("token.create", &format!("user:{}", whoami())), 3);
    assert_eq!(actions("token.revoke", &format!("user:{}", whoami())), 1);
    assert!(actions("captures.search", "token:alice") >= walked.len() / 2);
    assert!(actions("capture.read", "token:alice") >= 3);
    assert!(entries
        .iter()
        .any(|e| e["action"] == "captures.search" && e["reason"] == "case-17"));
    assert!(entries.iter().any(|e| e["action"] == "captures.search"
        && e["target"] == format!("url={page3}")
        && e["result"] == "ok: 1 captures"));
    let remote = call(&addr, "/api/v1/audit/verify", Some(&auditor)).2;
    assert_eq!(remote["ok"], true, "{remote}");
    let local = ws.ok(&["verify", "--audit"]);
    assert!(local.trim_end().ends_with("OK"), "{local}");
    assert!(
        local.contains(remote["head"].as_str().unwrap()),
        "the same head from the API and the command line:\n{local}\n{remote}"
    );

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = harness::wait_bounded(child.take(), Duration::from_secs(30));
    assert!(
        out.status.success(),
        "{}",
        std::fs::read_to_string(log).unwrap()
    );
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
