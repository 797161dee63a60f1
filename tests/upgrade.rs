//! Upgrading a data directory written by nightjar 0.1.0, the last version before versioned
//! migrations. `tests/upgrade/v0.1.0/` was made once by that version's binary with
//! `tests/upgrade/make-v0.1.0.sh` (three crawls with revisits, a changed and a gone page,
//! seals, tokens, audit entries, an export job), and holds what 0.1.0 itself listed. The
//! current build opens a copy: nothing may be lost, everything must verify, the tokens must
//! still work, and crawling must go on. A data directory from a newer nightjar is refused and
//! left exactly as it was.

mod harness;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use harness::site::{Page, Site};
use harness::Workspace;
use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/upgrade/v0.1.0");

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A workspace whose data directory is a fresh copy of the 0.1.0 fixture.
fn upgraded_workspace(extra_toml: &str) -> Workspace {
    let ws = Workspace::new(extra_toml);
    copy_dir(&Path::new(FIXTURE).join("data"), &ws.data());
    // git keeps no 0600 mode: give the node key back the mode nightjar gave it (and insists
    // on), as it has in a real data directory.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        ws.data().join("node.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    ws
}

fn fixture_file(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURE).join(name)).unwrap()
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            for (k, v) in snapshot(&entry.path()) {
                out.insert(format!("{}/{k}", entry.file_name().to_string_lossy()), v);
            }
        } else {
            out.insert(
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    out
}

/// One GET with a bearer token; the status and the body as JSON (Null if not JSON).
fn get(addr: &str, path: &str, token: &str) -> (u16, Value) {
    let (status, _, body) = harness::http_request(addr, "GET", path, Some(token), None);
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn json_lines(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .expect("a JSON line")
                .to_string()
        })
        .collect()
}

#[test]
fn a_0_1_0_data_directory_is_upgraded_and_loses_nothing() {
    let ws = upgraded_workspace("");
    let start = fixture_file("start-url").trim().to_string();
    if ws.on_postgres() {
        // 0.1.0 knew SQLite only. Pointed at PostgreSQL, the old data directory is refused,
        // by name and untouched, rather than crawled on with its captures out of sight.
        let before = snapshot(&ws.data());
        for args in [
            vec!["captures", start.as_str()],
            vec!["crawl", start.as_str()],
        ] {
            let out = ws.run(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{args:?} went on");
            assert!(
                stderr.contains("holds a SQLite index")
                    && stderr.contains("nightjar.db")
                    && stderr.contains("does not move an archive between engines"),
                "{args:?}: {stderr}"
            );
        }
        assert_eq!(snapshot(&ws.data()), before, "nothing changed");
        return;
    }

    // Everything 0.1.0 indexed is still there, as it was.
    let cdxj = ws.ok(&["index", "--cdxj"]);
    assert_eq!(
        cdxj,
        fixture_file("expected.cdxj"),
        "the CDXJ index changed"
    );
    assert!(
        cdxj.lines().count() >= 8,
        "the fixture holds too little:\n{cdxj}"
    );
    let mut listed = String::new();
    for page in ["", "a.html", "b.html", "c.html"] {
        listed.push_str(&ws.ok(&["captures", &format!("{start}{page}"), "--json"]));
    }
    assert_eq!(
        json_lines(&listed),
        json_lines(&fixture_file("expected-captures.json")),
        "`captures` lists something else than 0.1.0 did"
    );
    // The change index kept its classes: a revisit, a change and a page gone.
    let history_b = ws.ok(&["history", &format!("{start}b.html")]);
    assert!(history_b.contains("changed"), "{history_b}");
    let history_c = ws.ok(&["history", &format!("{start}c.html")]);
    assert!(history_c.contains("gone"), "{history_c}");

    ws.verify_ok();
    let audit = ws.ok(&["verify", "--audit"]);
    assert!(audit.trim_end().ends_with("OK"), "{audit}");
    let copies: Vec<String> = std::fs::read_dir(ws.data())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("nightjar.db.before-0.1.0-") && !n.ends_with(".partial"))
        .collect();
    assert_eq!(
        copies.len(),
        1,
        "one copy of the 0.1.0 database is kept before the upgrade"
    );
}

#[test]
fn tokens_exports_and_crawling_carry_on_after_the_upgrade() {
    let site = Site::start();
    site.put("/", Page::html(r#"<a href="/new">new</a>"#));
    site.put("/new", Page::html("a page found after the upgrade"));
    let ws = upgraded_workspace(&format!(
        "[fetch]\nresolve = [\"{}\"]\n",
        site.resolve("after.test")
    ));
    if ws.sqlite_only("0.1.0 data directories are SQLite (the refusal on PostgreSQL is above)") {
        return;
    }
    ws.write_seeds(
        "after.toml",
        format!(
            "[[seed]]\nlabel = \"after\"\nurl = \"{}\"\nrate_per_sec = 50\n",
            site.url("after.test", "/")
        ),
    )
    .unwrap();
    let tokens: Value = serde_json::from_str(&fixture_file("tokens.json")).unwrap();
    let start = fixture_file("start-url").trim().to_string();
    let before = fixture_file("expected.cdxj").lines().count();

    let (child, log) = ws.spawn(&["run"]);
    let crawled = || {
        ws.capture_counts_if_any()
            .contains_key(&site.url("after.test", "/new"))
    };
    let began = std::time::Instant::now();
    while !crawled() {
        assert!(
            began.elapsed() < Duration::from_secs(60),
            "the daemon did not crawl after the upgrade; its log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let addr = ws.api_address().expect("the status names the API address");

    // Tokens made by 0.1.0 still work, with their roles; the revoked one stays revoked.
    let analyst = tokens["analyst"].as_str().unwrap();
    let url = format!("{start}a.html");
    let (status, found) = get(&addr, &format!("/api/v1/captures?url={url}"), analyst);
    assert_eq!(status, 200, "{found}");
    assert!(!found["captures"].as_array().unwrap().is_empty(), "{found}");
    let (status, _) = get(&addr, "/api/v1/audit", tokens["auditor"].as_str().unwrap());
    assert_eq!(status, 200);
    let (status, _) = get(&addr, "/api/v1/audit", analyst);
    assert_eq!(status, 403, "roles are kept");
    // The export job 0.1.0 finished is still listed and downloadable by its requester.
    let (status, job) = get(&addr, "/api/v1/exports/1", analyst);
    assert_eq!(status, 200, "{job}");
    assert_eq!(job["state"], "done", "{job}");
    let (status, _) = get(&addr, job["download"].as_str().unwrap(), analyst);
    assert_eq!(status, 200);
    let stderr = harness::stop_cleanly(child, &log);
    assert!(!stderr.contains("ERROR"), "{stderr}");

    // The chain goes on from where 0.1.0 left it, and the new reads are audited.
    assert!(ws.cdxj().len() > before);
    ws.verify_ok();
    // The files 0.1.0 wrote and those written since read alike to a public tool.
    let files = ws.warc_files();
    assert!(
        files.len() > 4,
        "a new file after the four of 0.1.0: {files:?}"
    );
    for f in &files {
        harness::warcio_accepts(f);
    }
    let audit = ws.ok(&["verify", "--audit"]);
    assert!(audit.trim_end().ends_with("OK"), "{audit}");
}

#[test]
fn a_data_directory_from_a_newer_nightjar_is_refused_and_left_untouched() {
    // On PostgreSQL, a database of its own (0.1.0 data directories are SQLite).
    let ws = Workspace::new("");
    let ws = if ws.on_postgres() {
        ws
    } else {
        upgraded_workspace("")
    };
    let start = fixture_file("start-url").trim().to_string();
    ws.write_seeds(
        "s.toml",
        format!("[[seed]]\nlabel = \"s\"\nurl = \"{start}\"\n"),
    )
    .unwrap();
    ws.ok(&["captures", &start]);
    // What a later nightjar would leave: a migration this build does not know.
    ws.sql(&[if ws.on_postgres() {
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (2999, 'a later layout', TRUE, '\\x00'::bytea, 0)"
    } else {
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (2999, 'a later layout', 1, x'00', 0)"
    }
    .to_string()]);
    std::fs::create_dir_all(ws.data()).unwrap();
    let before = snapshot(&ws.data());
    let migrations =
        "SELECT CAST(version AS TEXT) || ' ' || description FROM _sqlx_migrations ORDER BY version";
    let layout = ws.query_text(migrations);
    for args in [
        vec!["captures", start.as_str()],
        vec!["crawl", start.as_str()],
        vec!["run"],
    ] {
        let out = ws.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} accepted a newer layout");
        assert!(
            stderr.contains("newer nightjar") && stderr.contains("2999"),
            "{args:?}: {stderr}"
        );
    }
    let after = snapshot(&ws.data());
    let changed: Vec<&String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, _)| k)
        .chain(before.keys().filter(|k| !after.contains_key(*k)))
        // SQLite's shared-memory index and an empty write-ahead log are no change.
        .filter(|k| !k.ends_with("-shm") && *k != "lock")
        .filter(|k| !(k.ends_with("-wal") && after.get(*k).is_some_and(|v| v.is_empty())))
        .collect();
    assert!(changed.is_empty(), "files changed: {changed:?}");
    assert_eq!(ws.query_text(migrations), layout, "the layout is untouched");
}
