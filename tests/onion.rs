//! Onion crawling end to end: the `nightjar run` daemon, with its embedded Tor client pointed
//! at a private Tor network on 127.0.0.1, crawls a fixture market published as an onion
//! service and a clearnet fixture through an exit. Run under strace, it must never look a
//! name up: no resolver files read, no packet to port 53. Onion services that go down (the
//! web server behind one stopped, or the service gone from its Tor process) make their
//! site down: the host is held back and its URLs wait, while other services go on.
//!
//! Every test of this binary shares one private network, started once
//! ([`TorNet::shared`]); each has its own onion services, servers and data directory.

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
    let net = TorNet::shared();
    net.backend("market", 80).forward_to(fx.port);
    net.backend("market", 443).forward_to(tls_port);
    let onion = net.onion("market");
    let onion_root = format!("http://{onion}/");
    let tls_root = format!("https://{onion}/");
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
    // The network is ready (every relay bootstrapped, every descriptor stored): seconds,
    // and generous for a daemon under strace.
    wait_until(
        "the onion market and the exit page",
        Duration::from_secs(120),
        || {
            let hits = fx.hits();
            hits.iter()
                .any(|h| h.host == onion && h.path == "/vendor/nightowl")
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
    assert!(text.contains(&format!("onion-service: {onion}\r\n")));
    assert!(text.contains("via: tor\r\n") && !text.contains("via: direct\r\n"));
    assert!(text.contains("tor-client: arti-client"));
    // One isolation group per site: the onion service, and the clearnet host reached by exit.
    assert!(text.contains(&format!("tor-isolation-group: {onion}\r\n")));
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
    let onion_prefix = &onion[..16];
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

/// One capture of a URL, as the index records it (an error capture has `error`).
#[derive(Debug)]
struct Capture {
    url: String,
    status: i64,
    error: Option<String>,
    class: Option<String>,
    at: chrono::DateTime<chrono::FixedOffset>,
}

/// Runs `query` against a workspace's database, opened read-only (the daemon may be
/// running); `None` while there is no database yet.
fn read_db<T>(
    ws: &Workspace,
    query: impl AsyncFnOnce(&sqlx::SqlitePool) -> Result<T, sqlx::Error>,
) -> Option<T> {
    let db = ws.data().join("nightjar.db");
    if !db.exists() {
        return None;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
            .await
            .ok()?;
        let out = query(&pool).await.ok();
        pool.close().await;
        out
    })
}

/// A row of `captures`: url, status, error, error_class, captured_at.
type CaptureRow = (String, i64, Option<String>, Option<String>, String);

/// Every capture of the URLs under `prefix`, oldest first.
fn captures(ws: &Workspace, prefix: &str) -> Vec<Capture> {
    let rows: Vec<CaptureRow> = read_db(ws, async |pool| {
        sqlx::query_as(
            "SELECT url, status, error, error_class, captured_at FROM captures
             WHERE substr(url, 1, length(?)) = ? ORDER BY id",
        )
        .bind(prefix)
        .bind(prefix)
        .fetch_all(pool)
        .await
    })
    .unwrap_or_default();
    rows.into_iter()
        .map(|(url, status, error, class, at)| Capture {
            url,
            status,
            error,
            class,
            at: chrono::DateTime::parse_from_rfc3339(&at).expect("captured_at is RFC 3339"),
        })
        .collect()
}

/// The error captures of the URLs under `prefix`, oldest first.
fn failures(ws: &Workspace, prefix: &str) -> Vec<Capture> {
    captures(ws, prefix)
        .into_iter()
        .filter(|c| c.error.is_some())
        .collect()
}

/// (URL, state, attempts) of every frontier URL under `prefix`.
fn frontier(ws: &Workspace, prefix: &str) -> Vec<(String, String, i64)> {
    read_db(ws, async |pool| {
        sqlx::query_as(
            "SELECT url, state, attempts FROM urls WHERE substr(url, 1, length(?)) = ? ORDER BY id",
        )
        .bind(prefix)
        .bind(prefix)
        .fetch_all(pool)
        .await
    })
    .unwrap_or_default()
}

/// The most error captures a host that is down can have within `window` of its first one.
/// After its k-th consecutive failure the host is held back `backoff` × 1.5^(k−1) × a jitter
/// of at least 0.8, and with one request in flight to it (`max_in_flight = 1`) one URL at a
/// time probes it, so n failures take at least Σ_{k=1}^{n−1} 0.8·b·1.5^(k−1)
/// = 1.6·b·(1.5^(n−1) − 1).
fn most_failures_while_down(window: Duration, backoff: Duration) -> usize {
    let ratio = 1.0 + window.as_secs_f64() / (1.6 * backoff.as_secs_f64());
    1 + (ratio.ln() / 1.5f64.ln()).floor() as usize
}

/// The longest a host is held back after its n-th consecutive failure (jitter at most 1.2).
fn longest_hold(n: usize, backoff: Duration) -> Duration {
    backoff.mul_f64(1.2 * 1.5f64.powi(n.saturating_sub(1) as i32))
}

/// What a host that is down must look like after `window`: every failure classed
/// site-down, few of them (the host is held back), and its URLs waiting with their retries
/// intact, none failed.
fn assert_held_back(ws: &Workspace, root: &str, window: Duration, backoff: Duration) {
    let fails = failures(ws, root);
    let first = fails.first().expect("a failure").at;
    let classes: Vec<(&str, &str, &str)> = fails
        .iter()
        .map(|f| {
            let class = f.class.as_deref().unwrap_or("");
            (class, f.url.as_str(), f.error.as_deref().unwrap_or(""))
        })
        .collect();
    assert!(
        classes.iter().all(|(c, _, _)| *c == "site-down"),
        "{root}: a service that is down makes its site down: {classes:#?}"
    );
    let within = fails
        .iter()
        .filter(|f| (f.at - first).to_std().unwrap_or_default() <= window)
        .count();
    let most = most_failures_while_down(window, backoff);
    assert!(
        within <= most,
        "{root}: {within} failures within {window:?} of the first, where holding the host \
         back allows at most {most}: {classes:#?}"
    );
    let urls = frontier(ws, root);
    for (url, state, attempts) in &urls {
        assert!(
            state != "failed" && (state == "done" || *attempts == 0),
            "{url} is {state} after {attempts} attempts: while its site is down a URL waits \
             without using up its retries ({urls:?})"
        );
    }
}

/// Two ways an onion service goes down, on the private network, while a third service goes
/// on: (a) the web server behind `refusing` stops after its front page, so its Tor answers
/// and refuses the streams; (b) `gone` leaves the network (its Tor process stops; its
/// descriptor stays on the HSDirs, its introduction points are gone). Both make their site
/// down: every failure is classed site-down, the host is held back (far fewer attempts
/// than retrying each URL), its URLs wait in the queue with their retries intact, and once
/// the server of (a) is back its pages are captured.
#[test]
fn onion_services_that_go_down_are_site_down_and_wait_while_others_go_on() {
    const BACKOFF: Duration = Duration::from_secs(1);
    const WINDOW: Duration = Duration::from_secs(10);
    let fx = Fixture::start();
    let net = TorNet::shared();
    for service in ["refusing", "gone", "bystander"] {
        net.backend(service, 80).forward_to(fx.port);
    }
    net.backend("refusing", 80).stop_after("/");
    net.remove_service("gone");
    let root = |service: &str| format!("http://{}/", net.onion(service));
    let (refusing, gone, bystander) = (root("refusing"), root("gone"), root("bystander"));
    // A gone service's introduction may be acknowledged by an introduction point that has
    // not yet noticed, and then waits for a rendezvous that never comes (arti gives up after
    // ~40 s): the stream set-up timeout ends such an attempt sooner.
    let ws = Workspace::new(&format!(
        "{}[crawl]\nretries = 2\nretry_backoff = \"{}s\"\n",
        net.nightjar_toml_with("10s"),
        BACKOFF.as_secs()
    ));
    // The bystander is crawled slowly (robots.txt and four pages, 5 s apart), so that it is
    // still being crawled while the others are down.
    ws.write_seeds(
        "s.toml",
        format!(
            r#"[[seed]]
label = "refusing"
url = "{refusing}"
max_depth = 2
rate_per_sec = 20
max_in_flight = 1
recrawl = "never"

[[seed]]
label = "gone"
url = "{gone}"
max_depth = 2
rate_per_sec = 20
max_in_flight = 1
recrawl = "never"

[[seed]]
label = "bystander"
url = "{bystander}"
max_depth = 2
rate_per_sec = 0.2
recrawl = "never"
"#
        ),
    )
    .unwrap();
    let (child, log) = ws.spawn(&["run"]);
    let host_hits = |service: &str| -> Vec<String> {
        fx.hits_for(net.onion(service))
            .into_iter()
            .map(|h| h.path)
            .collect()
    };
    // Each service that is down is watched for WINDOW after its first failure.
    let watch = |site: &str| {
        wait_until(
            &format!("a failure of {site}"),
            Duration::from_secs(60),
            || !failures(&ws, site).is_empty(),
        );
        let first = failures(&ws, site)[0].at;
        while chrono::Utc::now() < first + WINDOW + Duration::from_millis(300) {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_held_back(&ws, site, WINDOW, BACKOFF);
        first
    };
    let refusing_down = watch(&refusing);
    // (a) found its links before its server stopped: they wait, and none reached it.
    let waiting: Vec<(String, String, i64)> = frontier(&ws, &refusing)
        .into_iter()
        .filter(|(_, state, _)| state != "done")
        .collect();
    assert_eq!(waiting.len(), 3, "{waiting:?}");
    assert_eq!(host_hits("refusing"), ["/robots.txt", "/"]);
    // Its server is back: its pages are captured once the hold ends.
    net.backend("refusing", 80).start();
    let back = chrono::Utc::now();
    let gone_down = watch(&gone);
    assert!(host_hits("gone").is_empty());
    // The bystander went on meanwhile.
    let bystander_ok = |from, to| {
        captures(&ws, &bystander)
            .iter()
            .filter(|c| c.error.is_none() && c.status == 200 && c.at > from && c.at < to)
            .count()
    };
    assert!(
        bystander_ok(refusing_down, back.fixed_offset()) > 0
            && bystander_ok(gone_down, chrono::Utc::now().fixed_offset()) > 0,
        "the bystander was crawled while each of the others was down: {:?}",
        captures(&ws, &bystander)
    );
    let hold = longest_hold(failures(&ws, &refusing).len(), BACKOFF);
    wait_until(
        "the pages of the service whose server is back",
        hold + Duration::from_secs(30),
        || {
            let hits = host_hits("refusing");
            ["/listing/1", "/listing/2", "/vendor/nightowl"]
                .iter()
                .all(|p| hits.iter().any(|h| h == p))
        },
    );
    wait_until("the bystander's pages", Duration::from_secs(60), || {
        let counts = ws.capture_counts_if_any();
        ["", "listing/1", "listing/2", "vendor/nightowl"]
            .iter()
            .all(|p| counts.contains_key(&format!("{bystander}{p}")))
    });
    std::thread::sleep(Duration::from_secs(1));
    harness::stop_cleanly(child, &log);

    let counts = ws.capture_counts();
    for site in [&refusing, &bystander] {
        for path in ["", "listing/1", "listing/2", "vendor/nightowl"] {
            let url = format!("{site}{path}");
            assert_eq!(counts.get(&url), Some(&1), "{url}: {counts:?}");
        }
    }
    assert!(!counts.keys().any(|u| u.starts_with(&gone)), "{counts:?}");
    for site in [&refusing, &gone] {
        let fails = failures(&ws, site);
        assert!(
            fails
                .iter()
                .all(|f| f.class.as_deref() == Some("site-down")),
            "{fails:#?}"
        );
        let errors: std::collections::BTreeSet<&str> =
            fails.iter().filter_map(|f| f.error.as_deref()).collect();
        eprintln!("{site}: {} failures: {errors:?}", fails.len());
    }
    for (url, state, attempts) in frontier(&ws, &gone) {
        assert!(
            (state == "queued" || state == "inflight") && attempts == 0,
            "{url} is {state} after {attempts} attempts"
        );
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
fn direct_seeds_go_on_and_onion_seeds_wait_without_a_reachable_tor_network() {
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

/// A members-only forum published as an onion service: nightjar logs in through its form on
/// the session's own circuit group, a person answers the CAPTCHA (through the API, as the
/// console does, the image shown from the archive), and the members' threads are captured
/// over Tor. Every request of the session (login page, CAPTCHA image, login form, pages)
/// went in one isolation group, with one User-Agent; no logout link was requested; no secret
/// reached the archive, the log or the API's answers.
#[test]
fn a_members_only_onion_forum_is_crawled_logged_in_on_one_circuit_group() {
    use harness::forum::{
        answer_captchas, classes_by_url, everything_written, forum_seed, Forum, Rules, PASSWORD,
    };
    let forum = Forum::start(Rules {
        threads: 4,
        pages_per_session: 100,
        captcha: true,
        ..Rules::default()
    });
    let net = TorNet::shared();
    net.backend("forum", 80).forward_to(forum.port());
    let root = format!("http://{}/", net.onion("forum"));
    let ws = Workspace::new(&format!(
        "{}[politeness]\nrobots = \"ignore\"\nrate_per_sec = 20.0\n",
        net.nightjar_toml()
    ));
    forum_seed(&ws, &root, PASSWORD, "");
    let token = ws
        .ok(&["token", "create", "--role", "operator", "--name", "ops"])
        .trim()
        .to_string();
    let (child, log) = ws.spawn(&["run"]);
    wait_until("the API", Duration::from_secs(30), || {
        ws.api_address().is_some()
    });
    let addr = ws.api_address().unwrap();
    let pages: Vec<String> = std::iter::once(root.clone())
        .chain((1..=forum.threads).map(|n| format!("{root}thread/{n}")))
        .collect();
    let answered = answer_captchas(&forum, &addr, &token, Duration::from_secs(240), || {
        let c = classes_by_url(&ws);
        pages
            .iter()
            .all(|u| c.get(u).is_some_and(|c| c.iter().any(|c| c == "new")))
    });
    let tasks = String::from_utf8_lossy(
        &harness::http_request(&addr, "GET", "/api/v1/tasks", Some(&token), None).2,
    )
    .into_owned();
    let logged = harness::stop_cleanly(child, &log);
    assert_eq!(answered, 1, "one login for the whole crawl");
    assert_eq!(forum.logins(), (1, 0));
    for r in forum.requests() {
        assert!(!r.path.starts_with("/logout") && !r.path.starts_with("/post/delete"));
        assert!(r
            .head
            .contains("User-Agent: Mozilla/5.0 (one steady visitor)"));
    }
    let all = everything_written(&ws, &logged, &[tasks]);
    forum.assert_no_secret_in(&all);
    // One isolation group for every request of the session, the login's among them.
    let groups: std::collections::BTreeSet<&str> = all
        .lines()
        .filter_map(|l| l.strip_prefix("tor-isolation-group: "))
        .map(str::trim)
        .collect();
    assert_eq!(groups.into_iter().collect::<Vec<_>>(), ["session:forum"]);
    assert!(all.contains("purpose: login-page") && all.contains("purpose: captcha"));
    assert!(all.contains("session-login-captcha-by: token:ops"));
}

/// Issue 22 on the private Tor network: a market on three onion addresses publishes a
/// mirror list and a canary clear-signed by its key (made by GnuPG); the operator seeds one
/// address with the key pinned and `follow = true`. The other two become seeds of the site
/// and are crawled; an address whose list is signed by another key is refused and alerted;
/// a copy on its own address with the payment address swapped is flagged with the swapped
/// address named; the canary, 20 days old, is late and alerted.
#[test]
fn onion_mirrors_are_followed_into_one_site_and_a_copy_is_flagged() {
    use harness::gpg::Gpg;
    use harness::site::{Page, Site};
    const BTC: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
    const BTC_PHISH: &str = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";
    let net = TorNet::shared();
    let gpg = Gpg::new();
    let market = gpg.key("Market <market@example.org>", "ed25519");
    let phisher = gpg.key("Phisher <phish@example.org>", "ed25519");
    let mirrors: Vec<String> = ["mirror1", "mirror2", "mirror3"]
        .iter()
        .map(|m| net.onion(m).to_string())
        .collect();
    let list: String = std::iter::once("Our mirrors:".to_string())
        .chain(mirrors.iter().map(|m| format!("http://{m}/")))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let text = |body: String| Page {
        content_type: "text/plain; charset=utf-8".into(),
        ..Page::html(body)
    };
    let home = |btc: &str| {
        Page::html(format!(
            "<html><head><title>Onion Market</title></head><body><h1>Onion Market</h1>\
             <p>Deposit to {btc}; balances appear after three confirmations. Every vendor is \
             checked by the staff and disputes are settled within three days.</p>\
             <a href=\"/rules\">rules</a></body></html>"
        ))
    };
    let genuine = Site::start();
    genuine.put("/", home(BTC));
    genuine.put(
        "/rules",
        Page::html("<html><body><p>Be nice.</p></body></html>"),
    );
    genuine.put("/pgp.txt", text(gpg.export(&market)));
    genuine.put("/mirrors.txt", text(gpg.clearsign(&market, &list)));
    let dated = (chrono::Utc::now() - chrono::Duration::days(20)).format("%Y-%m-%d");
    genuine.put(
        "/canary.txt",
        text(gpg.clearsign(&market, &format!("No warrants as of {dated}.\n"))),
    );
    for m in ["mirror1", "mirror2", "mirror3"] {
        net.backend(m, 80).forward_to(genuine.port());
    }
    let copy = Site::start();
    copy.put("/", home(BTC_PHISH));
    copy.put(
        "/rules",
        Page::html("<html><body><p>Be nice.</p></body></html>"),
    );
    net.backend("copy", 80).forward_to(copy.port());
    let wrong = Site::start();
    wrong.put(
        "/",
        Page::html("<html><body><p>Market mirror</p></body></html>"),
    );
    wrong.put("/mirrors.txt", text(gpg.clearsign(&phisher, &list)));
    net.backend("wrongkey", 80).forward_to(wrong.port());

    let ws = Workspace::new(&format!(
        "{}[politeness]\nrobots = \"ignore\"\nrate_per_sec = 20.0\n",
        net.nightjar_toml()
    ));
    std::fs::create_dir_all(ws.dir.path().join("seeds")).unwrap();
    std::fs::write(ws.dir.path().join("seeds/market.asc"), gpg.export(&market)).unwrap();
    ws.write_seeds(
        "market.toml",
        format!(
            "[[seed]]\nlabel = \"market\"\nurl = \"http://{}/\"\nrecrawl = \"never\"\nmax_depth = 1\n\
             [seed.mirrors]\nkeys = [\"market.asc\"]\nfollow = true\n\n\
             [[seed]]\nlabel = \"said-to-be-a-mirror\"\nsite = \"market\"\nurl = \"http://{}/\"\nrecrawl = \"never\"\nmax_depth = 1\n\
             [seed.mirrors]\nkeys = [\"market.asc\"]\n\n\
             [[seed]]\nlabel = \"copy\"\nurl = \"http://{}/\"\nrecrawl = \"never\"\nmax_depth = 1\n",
            mirrors[0],
            net.onion("wrongkey"),
            net.onion("copy"),
        ),
    )
    .unwrap();
    let (child, log) = ws.spawn(&["run"]);
    let report = || -> serde_json::Value {
        let out = ws.run(&["site", "market", "--json"]);
        serde_json::from_slice(&out.stdout).unwrap_or_default()
    };
    wait_until(
        "the followed mirrors crawled and the copy flagged",
        Duration::from_secs(240),
        || {
            let r = report();
            let seeded = r["addresses"]
                .as_array()
                .map_or(0, |a| a.iter().filter(|a| !a["seed"].is_null()).count());
            seeded >= 4
                && r["lookalikes"].as_array().is_some_and(|l| !l.is_empty())
                && ws
                    .run(&[
                        "changes", "--site", "market", "--since", "1h", "--class", "new", "--json",
                    ])
                    .stdout
                    .split(|b| *b == b'\n')
                    .filter(|l| l.windows(7).any(|w| w == b"/rules\""))
                    .count()
                    >= 3
        },
    );
    let said = harness::stop_cleanly(child, &log);
    let r = report();
    // The two other mirrors were added to the seed list as seeds of the site.
    let followed =
        std::fs::read_to_string(ws.dir.path().join("seeds/followed-mirrors.toml")).unwrap();
    for m in &mirrors[1..] {
        assert!(followed.contains(m.as_str()), "{followed}");
    }
    assert!(followed.contains("site = \"market\""), "{followed}");
    assert!(said.contains("verified mirror added as a seed"), "{said}");
    // Every address of the site: the three mirrors (seeds now, each verified) and the one
    // whose list another key signed (a seed the operator put in the site).
    let addresses: Vec<(&str, bool)> = r["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["host"].as_str().unwrap(), !a["listed"].is_null()))
        .collect();
    for m in &mirrors {
        assert!(addresses.contains(&(m.as_str(), true)), "{addresses:?}");
    }
    assert!(
        addresses.contains(&(net.onion("wrongkey"), false)),
        "{addresses:?}"
    );
    let checks = r["checks"].as_array().unwrap();
    let wrong_list = checks
        .iter()
        .find(|c| c["host"] == net.onion("wrongkey") && c["file"] == "mirrors")
        .expect("the other key's list checked");
    assert_eq!(wrong_list["status"], "other-key");
    assert_eq!(wrong_list["signer"], phisher.as_str());
    // The copy: a probable phishing clone, the swapped address named.
    let l = &r["lookalikes"][0];
    assert_eq!(l["host"], net.onion("copy"));
    assert_eq!(l["verdict"], "probable-phishing-clone");
    assert_eq!(
        l["only_there"],
        serde_json::json!([format!("btc:{BTC_PHISH}")])
    );
    // The late canary and the other key's list are alerts.
    let alerts = ws.ok(&["alerts", "--watch", "mirror-checks", "--json"]);
    assert!(alerts.contains("the canary is late"), "{alerts}");
    assert!(alerts.contains(&format!("signed by {phisher}")), "{alerts}");
}
