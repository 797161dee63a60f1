//! `nightjar run` as a system service, against real HTTP sites on 127.0.0.1: systemd's notify
//! protocol (on a real datagram socket, as systemd listens), Prometheus metrics, reloads by
//! SIGHUP and by editing the seeds directory (with `nightjar seeds`), the status, a clean
//! stop; then crash torture (SIGKILL at random moments, 50 times) and a full volume (a real
//! tmpfs that runs out of space).

mod harness;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use harness::site::{Page, Site};
use harness::{stop_cleanly, wait_bounded, wait_until, warcio_accepts, KillOnDrop, Workspace};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

fn signal(child: &KillOnDrop, sig: Signal) {
    kill(Pid::from_raw(child.id() as i32), sig).expect("signal nightjar");
}

fn spawn_daemon(ws: &Workspace, env: &[(&str, &Path)]) -> (KillOnDrop, PathBuf) {
    let log = ws.dir.path().join("stderr.log");
    let mut cmd = ws.cmd(&["run"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log)
                .unwrap(),
        )
        .spawn()
        .expect("start nightjar run");
    (KillOnDrop(Some(child)), log)
}

fn status(ws: &Workspace) -> serde_json::Value {
    std::fs::read_to_string(ws.data().join("status.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null)
}

fn seeds_in_status(ws: &Workspace) -> Vec<String> {
    status(ws)["seeds"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// GET /metrics from the daemon's endpoint at `addr`, naming `host`: the whole response.
fn get_metrics(addr: &str, host: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).expect("connect to the metrics endpoint");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /metrics HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// The metrics, which must be served.
fn scrape(addr: &str) -> String {
    let out = get_metrics(addr, addr);
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    out
}

/// The value of the first metric line starting with `prefix`.
fn metric(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

/// Datagrams systemd would receive on its notify socket.
struct NotifySocket {
    path: PathBuf,
    got: Arc<Mutex<Vec<String>>>,
}

impl NotifySocket {
    fn bind(dir: &Path) -> NotifySocket {
        let path = dir.join("notify.sock");
        let sock = UnixDatagram::bind(&path).expect("bind the notify socket");
        sock.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let got: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = got.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Bounded: the test ends long before, and the thread ends with the process.
            for _ in 0..3000 {
                if let Ok(n) = sock.recv(&mut buf) {
                    let msg = String::from_utf8_lossy(&buf[..n]).into_owned();
                    sink.lock().unwrap().push(msg);
                }
            }
        });
        NotifySocket { path, got }
    }

    fn count(&self, what: &str) -> usize {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.lines().any(|l| l.starts_with(what)))
            .count()
    }
}

fn seed_toml(label: &str, url: &str) -> String {
    format!(
        "[[seed]]\nlabel = \"{label}\"\nurl = \"{url}\"\nrecrawl = \"1h\"\nrate_per_sec = 50\n\n"
    )
}

#[test]
fn the_service_notifies_systemd_serves_metrics_reloads_and_stops_cleanly() {
    let site = Site::start();
    site.put(
        "/",
        Page::html(r#"<a href="/one">1</a> <a href="/two">2</a>"#),
    );
    site.put("/one", Page::html("one"));
    site.put("/two", Page::html("two"));
    let hosts = ["a.test", "b.test", "c.test"];
    let resolve: Vec<String> = hosts
        .iter()
        .map(|h| format!("\"{}\"", site.resolve(h)))
        .collect();
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [{}]\n[archive]\nmin_free_mib = 1\n",
        resolve.join(", ")
    ));
    ws.write_seeds("a.toml", seed_toml("a", &site.url("a.test", "/")))
        .unwrap();
    let notify = NotifySocket::bind(ws.dir.path());
    let (child, log) = spawn_daemon(&ws, &[("NOTIFY_SOCKET", &notify.path)]);

    wait_until(
        "READY=1 on the notify socket",
        Duration::from_secs(60),
        || notify.count("READY=1") >= 1,
    );
    assert!(
        ws.database_exists() && ws.warcs().is_dir(),
        "READY comes after the database and the archive are open"
    );
    let counts = |ws: &Workspace| ws.capture_counts_if_any();
    wait_until("seed a crawled", Duration::from_secs(60), || {
        counts(&ws).contains_key(&site.url("a.test", "/two"))
    });
    wait_until(
        "watchdog pings and a STATUS line",
        Duration::from_secs(30),
        || notify.count("WATCHDOG=1") >= 2 && notify.count("STATUS=") >= 2,
    );
    assert!(
        notify
            .got
            .lock()
            .unwrap()
            .iter()
            .any(|m| m.contains("pages/min") && m.contains("queued")),
        "STATUS carries the rate and the queue: {:?}",
        notify.got.lock().unwrap()
    );

    // Metrics, on the loopback address the status names.
    let addr = status(&ws)["metrics"].as_str().unwrap().to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let m = scrape(&addr);
    assert!(
        metric(&m, "nightjar_pages_fetched_total{route=\"direct\"}").unwrap() >= 3.0,
        "{m}"
    );
    assert!(metric(&m, "nightjar_warc_bytes_written_total").unwrap() > 0.0);
    assert!(metric(&m, "nightjar_response_bytes_total{route=\"direct\"}").unwrap() > 0.0);
    assert!(
        metric(
            &m,
            "nightjar_fetch_duration_seconds_count{route=\"direct\"}"
        )
        .unwrap()
            >= 3.0,
        "{m}"
    );
    assert_eq!(
        metric(&m, "nightjar_crawl_paused{reason=\"disk-full\"}"),
        Some(0.0)
    );
    assert_eq!(metric(&m, "nightjar_seeds_active"), Some(1.0));
    assert!(m.contains("nightjar_frontier_urls{state=\"done\"}"), "{m}");
    // A page in a local browser reaching the port through DNS rebinding names its own host.
    let refused = get_metrics(&addr, "rebind.example:9464");
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");

    // An operator adds a seed with the CLI: the daemon sees the file change by itself.
    let out = ws.ok(&[
        "seeds",
        "add",
        &site.url("b.test", "/"),
        "--label",
        "b",
        "--recrawl",
        "1h",
    ]);
    assert!(out.contains("added seed 'b'"), "{out}");
    wait_until(
        "seed b crawled after `seeds add`",
        Duration::from_secs(60),
        || counts(&ws).contains_key(&site.url("b.test", "/one")),
    );
    assert_eq!(seeds_in_status(&ws), ["a", "b"]);
    assert_eq!(status(&ws)["reload"]["applied"], true);

    // A broken seed file is refused; what ran keeps running.
    ws.write_seeds("broken.toml", "[[seed]]\nlabel = \"x\"\nurl = \n")
        .unwrap();
    wait_until("the broken file refused", Duration::from_secs(30), || {
        let s = status(&ws);
        s["reload"]["applied"] == false
            && s["reload"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("broken.toml"))
    });
    assert_eq!(seeds_in_status(&ws), ["a", "b"]);
    std::fs::remove_file(ws.dir.path().join("seeds/broken.toml")).unwrap();
    wait_until("reload applied again", Duration::from_secs(30), || {
        status(&ws)["reload"]["applied"] == true
    });

    // SIGHUP with a broken configuration: refused, the crawl goes on.
    let good_config = std::fs::read_to_string(&ws.config).unwrap();
    std::fs::write(&ws.config, format!("bogus_key = 1\n{good_config}")).unwrap();
    signal(&child, Signal::SIGHUP);
    wait_until("the broken config refused", Duration::from_secs(30), || {
        let s = status(&ws);
        s["reload"]["applied"] == false
            && s["reload"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("bogus_key"))
    });
    // (The CLI reads the same broken file, so the operator edits the seed list by hand.)
    ws.write_seeds("more.toml", seed_toml("c", &site.url("c.test", "/")))
        .unwrap();
    let spare = ws.dir.path().join("good.toml");
    std::fs::write(&spare, &good_config).unwrap();
    wait_until(
        "seed c crawled while the bad config is refused",
        Duration::from_secs(60),
        || {
            let out = Command::new(env!("CARGO_BIN_EXE_nightjar"))
                .arg("--config")
                .arg(&spare)
                .args(["index", "--cdxj"])
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).contains(&site.url("c.test", "/two"))
        },
    );

    // A valid configuration: what can change live does; the rest is named.
    std::fs::write(
        &ws.config,
        format!("{good_config}\n[politeness]\nrate_per_sec = 20.0\n")
            .replace("[fetch]\n", "[fetch]\ntotal_timeout = \"1m\"\n"),
    )
    .unwrap();
    signal(&child, Signal::SIGHUP);
    wait_until("the new config applied", Duration::from_secs(30), || {
        let s = status(&ws);
        s["reload"]["applied"] == true
            && s["reload"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("configuration reloaded") && m.contains("[fetch]"))
    });
    assert!(notify.count("RELOADING=1") >= 1);

    // Disabling a seed stops it; the file keeps it.
    ws.ok(&["seeds", "disable", "b"]);
    wait_until("seed b stopped", Duration::from_secs(30), || {
        seeds_in_status(&ws) == ["a", "c"]
    });
    let listed = ws.ok(&["seeds", "list"]);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("b ") && l.contains("disabled")),
        "{listed}"
    );
    let who = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    let changes = ws.ok(&["seeds", "log"]);
    for action in ["add 'b'", "disable 'b'"] {
        assert!(
            changes
                .lines()
                .any(|l| l.contains(&format!("{who} {action}"))),
            "{action} by {who} in:\n{changes}"
        );
    }

    let st = ws.ok(&["status"]);
    assert!(st.starts_with("running (pid"), "{st}");
    for part in [
        "up ",
        "/min)",
        "seeds (2): a, c",
        "metrics: http://127.0.0.1:",
        "last reload",
    ] {
        assert!(st.contains(part), "{part} in:\n{st}");
    }

    let stderr = stop_cleanly(child, &log);
    assert!(stderr.contains("SIGTERM: stopping"), "{stderr}");
    assert!(notify.count("STOPPING=1") >= 1);
    assert!(ws.ok(&["status"]).starts_with("not running"));
    ws.verify_ok();
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
}

#[test]
fn the_seeds_cli_edits_files_in_place_checks_first_and_logs_who_did_it() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new("");
    let ops = ws.dir.path().join("seeds/ops.toml");
    ws.write_seeds(
        "ops.toml",
        "# Watched for case 17: keep this comment.\n[[seed]]\nlabel = \"board\"\nurl = \"http://board.test/\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&ops, std::fs::Permissions::from_mode(0o640)).unwrap();

    // Added into the operator's file: comment, order and mode kept; logged as JSON.
    let out = ws
        .cmd(&[
            "--log-format",
            "json",
            "seeds",
            "add",
            "http://market.test/",
            "--label",
            "market",
            "--recrawl",
            "6h",
            "--file",
            "ops.toml",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&ops).unwrap();
    assert!(
        text.starts_with("# Watched for case 17: keep this comment.\n[[seed]]\nlabel = \"board\""),
        "{text}"
    );
    assert!(
        text.contains("label = \"market\"\nurl = \"http://market.test/\"\nrecrawl = \"6h\""),
        "{text}"
    );
    assert_eq!(
        std::fs::metadata(&ops).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let logged: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        logged
            .iter()
            .any(|v| v["action"] == "add" && v["label"] == "market"),
        "{logged:?}"
    );

    // Checked before anything is written: a forged onion address, a taken label, a bad
    // interval; the file is untouched each time.
    for bad in [
        vec![
            "seeds",
            "add",
            "http://2gzyxb5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/",
            "--label",
            "forged",
        ],
        vec!["seeds", "add", "http://other.test/", "--label", "board"],
        vec!["seeds", "add", "http://other.test/", "--recrawl", "soon"],
    ] {
        let out = ws.run(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!out.stderr.is_empty());
        assert_eq!(std::fs::read_to_string(&ops).unwrap(), text, "{bad:?}");
    }

    // Export, then import into an empty seed directory: the same seeds come back.
    ws.ok(&["seeds", "disable", "board"]);
    let exported = ws.dir.path().join("exported.toml");
    ws.ok(&["seeds", "export", "--out", exported.to_str().unwrap()]);
    let other = Workspace::new("");
    std::fs::create_dir_all(other.dir.path().join("seeds")).unwrap();
    let out = other.ok(&["seeds", "import", exported.to_str().unwrap()]);
    assert!(out.contains("imported 2 seeds"), "{out}");
    let listing = |w: &Workspace| -> Vec<(String, bool, String)> {
        w.ok(&["seeds", "list", "--json"])
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["label"].as_str().unwrap().to_string(),
                    v["enabled"].as_bool().unwrap(),
                    v["recrawl"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(listing(&ws), listing(&other));
    assert_eq!(
        listing(&ws)[0],
        ("board".to_string(), false, "1day".to_string())
    );

    // An import is all or nothing.
    let mixed = ws.dir.path().join("mixed.toml");
    std::fs::write(
        &mixed,
        "[[seed]]\nlabel = \"fine\"\nurl = \"http://fine.test/\"\n\n[[seed]]\nlabel = \"broken\"\nurl = \"ftp://x.test/\"\n",
    )
    .unwrap();
    let out = other.run(&["seeds", "import", mixed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing imported"));
    assert!(!other.dir.path().join("seeds/mixed.toml").exists());

    // A broken file elsewhere: the edit is made, with a warning that the daemon will hold
    // the previous seed set until the file is fixed.
    ws.write_seeds("typo.toml", "[[seed]]\nlabel = \n").unwrap();
    let out = ws.run(&["seeds", "enable", "board"]);
    assert!(out.status.success());
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains("refuses to reload") && warning.contains("typo.toml"),
        "{warning}"
    );

    let who = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    let log: Vec<serde_json::Value> = ws
        .ok(&["seeds", "log", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|v| (v["action"].as_str().unwrap(), v["label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [("add", "market"), ("disable", "board"), ("enable", "board")]
    );
    assert!(log
        .iter()
        .all(|v| v["user"].as_str().unwrap().starts_with(&who)));
}

/// `nightjar verify` and `warcio check` pass, and each URL of `urls` (and no other) has
/// exactly one capture in the index and one response or revisit record in the WARC files.
fn sound_with_one_capture_each(ws: &Workspace, urls: &[String]) {
    ws.verify_ok();
    let files = ws.warc_files();
    for f in &files {
        warcio_accepts(f);
    }
    let index = ws.capture_counts();
    let records = records_per_uri(&files);
    for u in urls {
        assert_eq!(index.get(u), Some(&1), "index captures of {u}: {index:?}");
        assert_eq!(records.get(u), Some(&1), "WARC records of {u}: {records:?}");
    }
    assert_eq!(records.len(), urls.len(), "{records:?}");
}

/// Response and revisit records per target URI, counted by warcio in every WARC file.
fn records_per_uri(files: &[PathBuf]) -> HashMap<String, usize> {
    let script = r#"
import sys, subprocess, io
from warcio.archiveiterator import ArchiveIterator
for f in sys.argv[1:]:
    data = subprocess.run(["zstd", "-dc", f], capture_output=True, check=True).stdout
    for r in ArchiveIterator(io.BytesIO(data)):
        if r.rec_type in ("response", "revisit"):
            print(r.rec_headers.get_header("WARC-Target-URI"))
"#;
    let mut args: Vec<String> = vec!["-c".into(), script.into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let out = Command::new("python3").args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut m = HashMap::new();
    for uri in String::from_utf8_lossy(&out.stdout).lines() {
        *m.entry(uri.to_string()).or_insert(0) += 1;
    }
    m
}

/// A deterministic, seedable sequence of kill delays (printed, so a failure can be replayed
/// with NIGHTJAR_TORTURE_SEED).
struct Delays(u64);

impl Delays {
    fn next_ms(&mut self, lo: u64, hi: u64) -> u64 {
        // xorshift64*: a few lines where a crate would add nothing.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        lo + self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % (hi - lo)
    }
}

#[test]
fn fifty_kills_at_random_moments_lose_and_duplicate_nothing() {
    const PAGES: usize = 80;
    let site = Site::start();
    let links: String = (0..PAGES)
        .map(|i| format!(r#"<a href="/p/{i}">{i}</a> "#))
        .collect();
    site.put("/", Page::html(links));
    for i in 0..PAGES {
        site.put(
            &format!("/p/{i}"),
            Page::html(format!(
                r#"page {i} {} <a href="/p/{}">next</a>"#,
                "text ".repeat(200),
                (i + 1) % PAGES
            )),
        );
    }
    site.put(
        "/robots.txt",
        Page::status(200, "User-agent: *\nDisallow: /private/\n"),
    );
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [\"{}\"]\n[crawl]\nconcurrency = 4\n[archive]\nmin_free_mib = 1\n",
        site.resolve("torture.test")
    ));
    ws.write_seeds(
        "t.toml",
        format!(
            "[[seed]]\nlabel = \"t\"\nurl = \"{}\"\nrecrawl = \"1d\"\nrate_per_sec = 2\nmax_in_flight = 2\n",
            site.url("torture.test", "/")
        ),
    )
    .unwrap();
    let seed = std::env::var("NIGHTJAR_TORTURE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill delays from NIGHTJAR_TORTURE_SEED={seed}");
    let mut delays = Delays(seed);
    let mut mid_crawl = 0;
    for round in 0..50 {
        let (child, _log) = spawn_daemon(&ws, &[]);
        std::thread::sleep(Duration::from_millis(delays.next_ms(150, 900)));
        signal(&child, Signal::SIGKILL);
        let out = wait_bounded(child.take(), Duration::from_secs(10));
        assert!(!out.status.success(), "round {round}: killed, not exited");
        if ws.capture_counts_if_any().len() < PAGES + 2 {
            mid_crawl += 1;
        }
    }
    let captured_before = ws.capture_counts_if_any().len();
    eprintln!(
        "{captured_before} URLs captured during the 50 killed runs; {mid_crawl} kills before the crawl was complete"
    );
    assert!(
        mid_crawl >= 40,
        "the kills must land during the crawl, not after it: {mid_crawl} of 50 did"
    );

    let (child, log) = spawn_daemon(&ws, &[]);
    let all: Vec<String> = std::iter::once(site.url("torture.test", "/"))
        .chain((0..PAGES).map(|i| site.url("torture.test", &format!("/p/{i}"))))
        .collect();
    wait_until("every page captured", Duration::from_secs(120), || {
        let c = ws.capture_counts_if_any();
        all.iter().all(|u| c.contains_key(u))
    });
    let stderr = stop_cleanly(child, &log);
    assert!(
        stderr.contains("crash recovery done") || stderr.contains("queued again"),
        "the restarts repaired something:\n{stderr}"
    );

    // One crawl cycle (recrawl is a day): every URL captured exactly once, in the index
    // and in the WARC files.
    let mut expected = all.clone();
    expected.push(site.url("torture.test", "/robots.txt"));
    sound_with_one_capture_each(&ws, &expected);
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs as the archive volume and needs root (CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(at.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A site of `pages` pages that do not compress much (so a volume fills after a few), and
/// a workspace crawling it once with seed `f` at `rate` pages a second.
fn incompressible_site(pages: usize, rate: u32) -> (Site, Workspace, Vec<String>) {
    let site = Site::start();
    let links: String = (0..pages)
        .map(|i| format!(r#"<a href="/p/{i}">{i}</a> "#))
        .collect();
    site.put("/", Page::html(links));
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..pages {
        let noise: String = (0..6000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                char::from(b'a' + (state % 26) as u8)
            })
            .collect();
        site.put(&format!("/p/{i}"), Page::html(format!("page {i} {noise}")));
    }
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [\"{}\"]\n[archive]\nmin_free_mib = 0\n[politeness]\nrobots = \"ignore\"\n",
        site.resolve("full.test")
    ));
    ws.write_seeds(
        "f.toml",
        format!(
            "[[seed]]\nlabel = \"f\"\nurl = \"{}\"\nrecrawl = \"1d\"\nrate_per_sec = {rate}\n",
            site.url("full.test", "/")
        ),
    )
    .unwrap();
    let all = std::iter::once(site.url("full.test", "/"))
        .chain((0..pages).map(|i| site.url("full.test", &format!("/p/{i}"))))
        .collect();
    (site, ws, all)
}

/// Fills the volume at `dir` up to `leave` free bytes with one file, returned.
fn fill(dir: &Path, leave: u64) -> PathBuf {
    let st = nix::sys::statvfs::statvfs(dir).unwrap();
    let free = st.blocks_available() as u64 * st.fragment_size() as u64;
    let filler = dir.join("filler");
    std::fs::write(&filler, vec![0u8; free.saturating_sub(leave) as usize]).unwrap();
    filler
}

#[test]
fn a_full_archive_volume_pauses_the_crawl_and_space_resumes_it() {
    const PAGES: usize = 30;
    let (_site, ws, all) = incompressible_site(PAGES, 20);
    let volume = Tmpfs::mount(&ws.warcs(), "1m");
    // Leave about 60 KiB: room for the file's first records and a few pages.
    let filler = fill(&volume.0, 60 * 1024);

    let (child, log) = spawn_daemon(&ws, &[]);
    wait_until(
        "the crawl paused on a full volume",
        Duration::from_secs(60),
        || {
            status(&ws)["paused"]
                .as_str()
                .is_some_and(|p| p.contains("disk full"))
        },
    );
    let before = ws.capture_counts_if_any().len();
    assert!(
        before < PAGES + 1,
        "the volume filled before the crawl ended"
    );
    let addr = status(&ws)["metrics"].as_str().unwrap().to_string();
    assert_eq!(
        metric(
            &scrape(&addr),
            "nightjar_crawl_paused{reason=\"disk-full\"}"
        ),
        Some(1.0)
    );
    let st = ws.ok(&["status"]);
    assert!(st.contains("PAUSED: disk full"), "{st}");
    // Paused means paused: nothing more is archived while the volume is full.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(ws.capture_counts_if_any().len(), before);

    std::fs::remove_file(&filler).unwrap();
    wait_until(
        "every page captured after space came back",
        Duration::from_secs(90),
        || {
            let c = ws.capture_counts_if_any();
            all.iter().all(|u| c.contains_key(u))
        },
    );
    assert!(status(&ws)["paused"].is_null());
    let stderr = stop_cleanly(child, &log);
    assert!(stderr.contains("archive volume is full"), "{stderr}");
    assert!(stderr.contains("crawling resumes"), "{stderr}");

    sound_with_one_capture_each(&ws, &all);
    drop(volume);
}

#[test]
fn a_full_volume_under_the_database_too_loses_and_duplicates_nothing() {
    // The database and the archive on one small volume that fills mid-crawl: whichever
    // write fails first (a WARC record, or the index transaction after it), the crawl
    // pauses, and a capture already archived is indexed once space is back rather than
    // fetched and archived again.
    let (site, ws, all) = incompressible_site(40, 5);
    let volume = Tmpfs::mount(&ws.data(), "16m");
    let (child, log) = spawn_daemon(&ws, &[]);
    wait_until("a few pages captured", Duration::from_secs(60), || {
        ws.capture_counts_if_any().len() >= 3
    });
    let addr = status(&ws)["metrics"].as_str().unwrap().to_string();
    let filler = fill(&volume.0, 48 * 1024);
    // The status file is on the full volume too: the metrics (in memory) tell.
    wait_until("the crawl paused", Duration::from_secs(60), || {
        metric(
            &scrape(&addr),
            "nightjar_crawl_paused{reason=\"disk-full\"}",
        ) == Some(1.0)
    });
    std::fs::remove_file(&filler).unwrap();
    wait_until(
        "every page captured after space came back",
        Duration::from_secs(90),
        || {
            let c = ws.capture_counts_if_any();
            all.iter().all(|u| c.contains_key(u))
        },
    );
    assert_eq!(
        metric(
            &scrape(&addr),
            "nightjar_crawl_paused{reason=\"disk-full\"}"
        ),
        Some(0.0)
    );
    let stderr = stop_cleanly(child, &log);
    assert!(stderr.contains("crawling resumes"), "{stderr}");
    sound_with_one_capture_each(&ws, &all);
    drop(site);
    drop(volume);
}
