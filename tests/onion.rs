//! Onion crawling end to end: the `nightjar run` daemon, with its embedded Tor client pointed
//! at a private Tor network on 127.0.0.1, crawls a fixture market published as an onion
//! service and a clearnet fixture through an exit. Run under strace, it must never look a
//! name up: no resolver files read, no packet to port 53.

mod harness;

use std::process::Stdio;
use std::time::Duration;

use harness::fixture::Fixture;
use harness::tls_server::https_server;
use harness::tornet::TorNet;
use harness::{tool, wait_until, warcio_accepts, Workspace};

#[test]
fn daemon_crawls_an_onion_market_and_clearnet_through_tor_without_dns() {
    let fx = Fixture::start();
    let (tls_port, _tls_rt) = https_server(&[b"h2", b"http/1.1"]);
    let net = TorNet::start_with(fx.port, Some(tls_port));
    let onion_root = format!("http://{}/", net.onion);
    let tls_root = format!("https://{}/", net.onion);
    let exit_root = format!("http://127.0.0.1:{}/", fx.port);
    // The TLS server's certificate names secure.test: fetched anyway, the mismatch recorded.
    let ws = Workspace::new(&format!(
        "{}[fetch]\naccept_invalid_certs = true\n",
        net.nightjar_toml()
    ));
    ws.write_seeds(
        "dark.toml",
        format!(
            r#"[[seed]]
label = "market"
url = "{onion_root}"
max_depth = 2
rate_per_sec = 20
recrawl = "never"

[[seed]]
label = "clearnet-via-exit"
url = "{exit_root}"
route = "tor"
max_depth = 1
rate_per_sec = 20
recrawl = "never"

[[seed]]
label = "market-tls"
url = "{tls_root}"
max_depth = 1
rate_per_sec = 20
recrawl = "never"

[[seed]]
label = "forged"
url = "http://2gzyxb5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/"
"#
        ),
    )
    .unwrap();

    // strace records every network call and every file the process opens.
    let trace = ws.dir.path().join("strace.log");
    let mut cmd = std::process::Command::new("strace");
    cmd.args([
        "-f",
        "-qq",
        "-e",
        "trace=connect,sendto,sendmsg,openat,open",
        "-o",
    ])
    .arg(&trace)
    .arg(env!("CARGO_BIN_EXE_nightjar"))
    .arg("--config")
    .arg(&ws.config)
    .arg("run")
    .stdout(Stdio::null())
    // A file, not a pipe: nobody reads a pipe while the daemon runs, and a full one
    // would block its logging.
    .stderr(std::fs::File::create(ws.dir.path().join("stderr.log")).unwrap());
    let child = harness::KillOnDrop(Some(
        cmd.spawn()
            .expect("strace is installed by tests/run-all.sh"),
    ));
    // Generous: the daemon runs under strace here, and a fresh private Tor network is
    // sometimes slow to build its first circuits (a clean-clone CI run once took over 180 s).
    wait_until(
        "the onion market and the exit page",
        Duration::from_secs(360),
        || {
            let hits = fx.hits();
            hits.iter()
                .any(|h| h.host == net.onion && h.path == "/vendor/nightowl")
                && hits
                    .iter()
                    .any(|h| h.host == "127.0.0.1" && h.path == "/x.html")
        },
    );
    // Let the last captures be indexed, then stop nightjar itself (strace's child: a signal
    // to strace would only detach it).
    std::thread::sleep(Duration::from_secs(2));
    let children =
        std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", child.id())).unwrap();
    let nightjar: i32 = children
        .split_whitespace()
        .next()
        .expect("nightjar runs under strace")
        .parse()
        .unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(nightjar),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = harness::wait_bounded(child.take(), Duration::from_secs(60));
    let stderr = std::fs::read_to_string(ws.dir.path().join("stderr.log")).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("dark.toml:23"),
        "the forged onion seed is reported with file and line:\n{stderr}"
    );
    assert!(stderr.contains("not a valid onion address"), "{stderr}");

    // Everything landed in the index, through Tor.
    let counts = ws.capture_counts();
    for path in ["", "listing/1", "listing/2", "vendor/nightowl"] {
        let url = format!("{onion_root}{path}");
        assert_eq!(counts.get(&url), Some(&1), "{url}: {counts:?}");
    }
    assert_eq!(
        counts.get(&format!("{exit_root}x.html")),
        Some(&1),
        "{counts:?}"
    );
    // The forged and the retired onion links were recorded, never fetched.
    let text = warc_text(&ws);
    assert!(
        text.contains(
            "invalid-link: http://2gzyxb5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/"
        ),
        "forged link recorded"
    );
    assert!(
        text.contains("invalid-link: http://expyuzz4wqqyqhjn.onion/ (v2"),
        "v2 link recorded"
    );
    assert!(!counts
        .keys()
        .any(|u| u.contains("expyuzz4wqqyqhjn") || u.contains("2gzyxb5")));
    // Route facts in the metadata records, and no WARC-IP-Address for anything via Tor.
    assert!(text.contains(&format!("onion-service: {}\r\n", net.onion)));
    assert!(text.contains("via: tor\r\n") && !text.contains("via: direct\r\n"));
    assert!(text.contains("tor-client: arti-client"));
    // One isolation group per site: the onion service, and the clearnet host reached by exit.
    assert!(text.contains(&format!("tor-isolation-group: {}\r\n", net.onion)));
    assert!(text.contains(&format!("tor-isolation-group: 127.0.0.1:{}\r\n", fx.port)));
    assert!(
        !text.contains("WARC-IP-Address"),
        "a Tor capture has no peer address to record"
    );
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
    ws.verify_ok();

    // No name was ever looked up: the resolver's files were not read, nothing went to port 53.
    let trace = std::fs::read_to_string(&trace).unwrap();
    assert!(
        trace.contains("connect("),
        "strace saw the process connect at all"
    );
    // (nsswitch.conf and passwd may be read for user lookups; hosts, resolv.conf and
    // gai.conf only by the resolver.)
    let onion_prefix = &net.onion[..16];
    let offending: Vec<&str> = trace
        .lines()
        .filter(|l| {
            [
                "/etc/resolv.conf",
                "/etc/hosts",
                "/etc/gai.conf",
                "htons(53)",
            ]
            .iter()
            .any(|f| l.contains(f))
                || (l.contains("connect(") || l.contains("sendto(") || l.contains("sendmsg("))
                    && l.contains(onion_prefix)
        })
        .take(5)
        .collect();
    assert!(
        offending.is_empty(),
        "name resolution attempted: {offending:?}"
    );

    // Monitoring works through Tor as it does directly: a recrawl of the unchanged market
    // is a run of revisits, classed unchanged.
    ws.ok(&["crawl", &onion_root, "--depth", "2"]);
    for path in ["", "vendor/nightowl"] {
        let url = format!("{onion_root}{path}");
        let history: Vec<serde_json::Value> = ws
            .ok(&["history", &url, "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let classes: Vec<&str> = history
            .iter()
            .map(|h| h["class"].as_str().unwrap())
            .collect();
        assert_eq!(classes, ["new", "unchanged"], "{url}");
        let caps = ws.ok(&["captures", &url, "--json"]);
        let last: serde_json::Value = serde_json::from_str(caps.lines().last().unwrap()).unwrap();
        assert_eq!(last["warc_type"], "revisit", "{url}");
    }
    ws.verify_ok();
}

/// Error classes of the failed attempts recorded for URLs starting with `prefix`.
fn error_classes(ws: &Workspace, prefix: &str) -> Vec<String> {
    let db = ws.data().join("nightjar.db");
    if !db.exists() {
        return Vec::new();
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT error_class FROM captures WHERE error IS NOT NULL AND substr(url, 1, length(?)) = ?",
        )
        .bind(prefix)
        .bind(prefix)
        .fetch_all(&pool)
        .await
        .unwrap_or_default();
        pool.close().await;
        rows
    })
}

#[test]
fn an_onion_service_that_goes_down_is_retried_while_others_go_on() {
    let fx = Fixture::start();
    let net = TorNet::start(fx.port);
    let onion_root = format!("http://{}/", net.onion);
    let exit_root = format!("http://127.0.0.1:{}/", fx.port);
    let ws = Workspace::new(&format!(
        "{}[crawl]\nretries = 40\nretry_backoff = \"1s\"\n",
        net.nightjar_toml()
    ));
    ws.write_seeds(
        "s.toml",
        format!(
            r#"[[seed]]
label = "market"
url = "{onion_root}"
max_depth = 2
rate_per_sec = 0.25
recrawl = "never"

[[seed]]
label = "clearnet-via-exit"
url = "{exit_root}"
route = "tor"
max_depth = 1
rate_per_sec = 0.25
recrawl = "never"
"#
        ),
    )
    .unwrap();
    let (child, log) = ws.spawn(&["run"]);
    let market_hits = || fx.hits().iter().filter(|h| h.host == net.onion).count();
    wait_until("the market's front page", Duration::from_secs(120), || {
        fx.hits()
            .iter()
            .any(|h| h.host == net.onion && h.path == "/")
    });
    net.stop_onion();
    let down_at = market_hits();
    // While the service is down its fetches fail and are retried; the exit seed goes on.
    wait_until(
        "a failed attempt on the downed service",
        Duration::from_secs(120),
        || !error_classes(&ws, &onion_root).is_empty(),
    );
    wait_until(
        "the clearnet seed to progress",
        Duration::from_secs(60),
        || {
            fx.hits()
                .iter()
                .any(|h| h.host == "127.0.0.1" && h.path == "/x.html")
        },
    );
    assert_eq!(
        market_hits(),
        down_at,
        "nothing reaches a service that is down"
    );
    net.start_onion();
    wait_until(
        "the market to be captured after it returns",
        Duration::from_secs(180),
        || {
            fx.hits()
                .iter()
                .any(|h| h.host == net.onion && h.path == "/vendor/nightowl")
        },
    );
    std::thread::sleep(Duration::from_secs(2));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = harness::wait_bounded(child.take(), Duration::from_secs(60));
    assert!(
        out.status.success(),
        "{}",
        std::fs::read_to_string(&log).unwrap()
    );
    let classes = error_classes(&ws, &onion_root);
    assert!(
        classes.iter().all(|c| c == "site-down" || c == "transient"),
        "a downed service is site-down or a transient failure, never permanent: {classes:?}"
    );
    let counts = ws.capture_counts();
    for path in ["", "listing/1", "listing/2", "vendor/nightowl"] {
        let url = format!("{onion_root}{path}");
        assert_eq!(counts.get(&url), Some(&1), "{url}: {counts:?}");
    }
    ws.verify_ok();
}

fn warc_text(ws: &Workspace) -> String {
    ws.warc_files()
        .iter()
        .map(|f| {
            String::from_utf8_lossy(&tool("zstd", &["-dcq", &f.to_string_lossy()]).stdout)
                .into_owned()
        })
        .collect()
}

/// With Tor enabled but no Tor network to be had, direct seeds crawl on, onion seeds wait
/// (no attempt is used up, nothing is written for them), and `nightjar status` says why.
#[test]
fn without_a_reachable_tor_network_direct_seeds_go_on_and_onion_seeds_wait() {
    let fx = Fixture::start();
    // An authority and a fallback cache on a port where nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let resolve: Vec<String> = fx
        .resolve_args()
        .iter()
        .map(|r| format!("\"{r}\""))
        .collect();
    let ws = Workspace::new(&format!(
        r#"[fetch]
resolve = [{}]
[tor]
enabled = true
[tor.arti.tor_network]
fallback_caches = [{{ rsa_identity = "{zero}", ed_identity = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", orports = ["127.0.0.1:{closed}"] }}]
[tor.arti.tor_network.authorities]
v3idents = ["{zero}"]
uploads = [["127.0.0.1:{closed}"]]
downloads = [["127.0.0.1:{closed}"]]
votes = [["127.0.0.1:{closed}"]]
"#,
        resolve.join(", "),
        zero = "0".repeat(40),
    ));
    let onion = "http://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/";
    ws.write_seeds("s.toml",
        format!(
            "[[seed]]\nlabel = \"direct\"\nurl = \"{}\"\nmax_depth = 1\nrate_per_sec = 20\n\n[[seed]]\nlabel = \"onion\"\nurl = \"{onion}\"\n",
            fx.url("site.test", "/b/")
        ),
    )
    .unwrap();
    let (child, log) = ws.spawn(&["run"]);
    wait_until(
        "the direct seed to be crawled",
        Duration::from_secs(60),
        || {
            fx.hits_for("site.test")
                .iter()
                .any(|h| h.path == "/b/c.html")
        },
    );
    std::thread::sleep(Duration::from_secs(2));
    let status = ws.ok(&["status"]);
    assert!(status.starts_with("running"), "{status}");
    assert!(status.contains("route tor: bootstrapping"), "{status}");
    assert!(
        status.contains("queued 1"),
        "the onion seed waits in the queue: {status}"
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = harness::wait_bounded(child.take(), Duration::from_secs(60));
    assert!(
        out.status.success(),
        "{}",
        std::fs::read_to_string(&log).unwrap()
    );
    assert_eq!(
        ws.ok(&["captures", onion]).trim(),
        format!("no captures of {onion}")
    );
    assert!(ws.ok(&["status"]).starts_with("not running"));
    ws.verify_ok();
}
