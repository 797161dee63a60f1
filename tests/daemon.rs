//! `nightjar run`, the daemon: seed files (good and broken), recrawl on interval, and a clean
//! stop on SIGTERM, against the real HTTP fixture on 127.0.0.1.

mod harness;

use std::time::Duration;

use harness::fixture::Fixture;
use harness::{wait_until, warcio_accepts, Workspace};

#[test]
fn daemon_crawls_valid_seeds_reports_bad_ones_recrawls_and_stops_cleanly() {
    let fx = Fixture::start();
    let resolve: Vec<String> = fx
        .resolve_args()
        .iter()
        .map(|r| format!("\"{r}\""))
        .collect();
    let ws = Workspace::new(&format!("[fetch]\nresolve = [{}]\n", resolve.join(", ")));
    ws.write_seeds(
        "a.toml",
        format!(
            r#"[[seed]]
label = "fixture-b"
url = "{}"
max_depth = 1
recrawl = "2s"
rate_per_sec = 50

[[seed]]
label = "bad-scope"
url = "{}"
scope = "planet"
"#,
            fx.url("site.test", "/b/"),
            fx.url("site.test", "/latin1.html")
        ),
    )
    .unwrap();
    ws.write_seeds("broken.toml", "[[seed]]\nlabel = \"x\"\nurl = \n")
        .unwrap();

    let (child, log) = ws.spawn(&["run"]);
    // The seed is crawled, then crawled again once its 2 s interval has passed.
    wait_until("a recrawl of /b/", Duration::from_secs(60), || {
        fx.hits_for("site.test")
            .iter()
            .filter(|h| h.path == "/b/")
            .count()
            >= 2
    });
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = harness::wait_bounded(child.take(), Duration::from_secs(30));
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(
        out.status.success(),
        "SIGTERM must stop the daemon cleanly: {}\n{stderr}",
        out.status
    );
    assert!(
        stderr.contains("a.toml:8"),
        "the bad seed must be reported with file and line:\n{stderr}"
    );
    assert!(stderr.contains("planet"), "{stderr}");
    assert!(
        stderr.contains("broken.toml:3"),
        "a broken file must be reported with its line:\n{stderr}"
    );

    let hits = fx.hits_for("site.test");
    assert!(!hits
        .iter()
        .any(|h| h.path == "/a.html" && h.headers.is_empty()));
    let counts = ws.capture_counts();
    assert!(counts[&fx.url("site.test", "/b/")] >= 2, "{counts:?}");
    // robots.txt is cached across cycles: fetched once.
    assert_eq!(counts[&fx.url("site.test", "/robots.txt")], 1, "{counts:?}");
    // The seed URL keeps the seed's 2 s interval; its pages do not change, so they back off
    // (×1.5 each time): each is captured, and never more often than the seed URL.
    let seed_captures = counts[&fx.url("site.test", "/b/")];
    for path in ["/a.html", "/b/c.html"] {
        let n = counts.get(&fx.url("site.test", path)).copied().unwrap_or(0);
        assert!(
            n >= 1 && n <= seed_captures,
            "{path}: {n} captures, the seed URL {seed_captures}"
        );
    }
    assert!(!std::fs::read_dir(ws.warcs()).unwrap().any(|e| e
        .unwrap()
        .path()
        .to_string_lossy()
        .ends_with(".open")));
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
    ws.verify_ok();
}

#[test]
fn daemon_without_usable_seeds_says_what_to_do() {
    let ws = Workspace::new("");
    std::fs::create_dir(ws.dir.path().join("seeds")).unwrap();
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no usable seeds") && stderr.contains("[[seed]]"),
        "{stderr}"
    );
}
