//! Shared helpers for nightjar's integration tests: a real HTTP fixture on 127.0.0.1, a way to
//! run the real `nightjar` binary against it, and the public tools (zstd, warcio,
//! cdxj-indexer) that check what it wrote.

#![allow(dead_code)]

pub mod evidence;
pub mod fixture;
pub mod forum;
pub mod gpg;
pub mod pywb;
pub mod site;
pub mod tls_server;
pub mod tornet;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A data directory and config file for one nightjar run.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    /// With `NIGHTJAR_TEST_DATABASE=postgres` (and the `postgres` feature), the workspace's
    /// database is on a throwaway PostgreSQL server of its own, stopped with it.
    #[cfg(feature = "postgres")]
    pub postgres: Option<db::testing::Postgres>,
}

impl Workspace {
    /// A fresh workspace whose config file holds `extra_toml`.
    pub fn new(extra_toml: &str) -> Workspace {
        let mut dir = tempfile::tempdir().expect("tempdir");
        // NIGHTJAR_KEEP_TMP=1 keeps the data directories for a post-mortem.
        if std::env::var_os("NIGHTJAR_KEEP_TMP").is_some() {
            dir.disable_cleanup(true);
            eprintln!("keeping {}", dir.path().display());
        }
        let config = dir.path().join("nightjar.toml");
        // Test defaults, then the test's own settings merged over them, table by table.
        let mut toml: toml::Table = format!(
            "[data]\ndir = \"{}\"\n[crawl]\nseeds_dir = \"seeds\"\nretry_backoff = \"200ms\"\nshutdown_grace = \"5s\"\n[metrics]\nlisten = \"127.0.0.1:0\"\n[api]\nlisten = \"127.0.0.1:0\"\n",
            dir.path().join("data").display()
        )
        .parse()
        .expect("base config");
        let extra: toml::Table = extra_toml.parse().expect("test config is TOML");
        for (section, values) in extra {
            match (toml.get_mut(&section), values) {
                (Some(toml::Value::Table(base)), toml::Value::Table(add)) => base.extend(add),
                (_, v) => {
                    toml.insert(section, v);
                }
            }
        }
        // The integration tests again on the second engine (tests/run-all.sh): the same
        // workspace, its index and frontier on a real PostgreSQL server.
        #[cfg(feature = "postgres")]
        let postgres = {
            let on_postgres = std::env::var("NIGHTJAR_TEST_DATABASE").as_deref() == Ok("postgres");
            let data = toml.get_mut("data").and_then(|d| d.as_table_mut());
            match (on_postgres, data) {
                (true, Some(data)) if !data.contains_key("database") => {
                    let server = db::testing::Postgres::start();
                    let url = server.create_database("nightjar");
                    data.insert("database".into(), toml::Value::String(url));
                    Some(server)
                }
                _ => None,
            }
        };
        let toml = toml.to_string();
        std::fs::write(&config, toml).expect("write config");
        Workspace {
            dir,
            config,
            #[cfg(feature = "postgres")]
            postgres,
        }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn warcs(&self) -> PathBuf {
        self.data().join("warcs")
    }

    /// Writes `seeds/NAME` (the config's seeds directory).
    pub fn write_seeds(&self, name: &str, toml: impl AsRef<[u8]>) -> std::io::Result<()> {
        let dir = self.dir.path().join("seeds");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(name), toml)
    }

    /// Starts `nightjar ARGS…` in the background with stderr in a file (a pipe nobody reads
    /// while it runs could fill and block its logging). Killed if the test fails first.
    pub fn spawn(&self, args: &[&str]) -> (KillOnDrop, PathBuf) {
        let log = self.dir.path().join("stderr.log");
        let child = self
            .cmd(args)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start nightjar");
        (KillOnDrop(Some(child)), log)
    }

    /// `nightjar --config CONFIG ARGS…`
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_nightjar"));
        c.arg("--config").arg(&self.config).args(args);
        c.env("NIGHTJAR_LOG", "info");
        c
    }

    /// Runs nightjar to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args)
            .stdin(Stdio::null())
            .output()
            .expect("run nightjar")
    }

    /// Runs nightjar and insists on success.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "nightjar {args:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `nightjar crawl START --resolve R… EXTRA…`, which must succeed; returns its stdout.
    pub fn crawl(&self, start: &str, resolve: &[String], extra: &[&str]) -> String {
        let mut args = vec!["crawl", start];
        for r in resolve {
            args.push("--resolve");
            args.push(r);
        }
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// The first capture of `url`, as `nightjar captures URL --json` prints it.
    pub fn first_capture(&self, url: &str) -> serde_json::Value {
        let rows = self.ok(&["captures", url, "--json"]);
        let first = rows
            .lines()
            .next()
            .unwrap_or_else(|| panic!("no capture of {url}"));
        serde_json::from_str(first).expect("captures --json prints JSON lines")
    }

    /// All captures of `url`, as `nightjar captures URL --json` prints them, oldest first.
    pub fn captures(&self, url: &str) -> Vec<serde_json::Value> {
        self.ok(&["captures", url, "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).expect("captures --json prints JSON lines"))
            .collect()
    }

    /// The change classes of `url`'s captures, oldest first (`nightjar history URL --json`).
    pub fn classes(&self, url: &str) -> Vec<String> {
        self.ok(&["history", url, "--json"])
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("history --json");
                v["class"].as_str().expect("a class").to_string()
            })
            .collect()
    }

    /// `nightjar verify` must pass.
    pub fn verify_ok(&self) {
        let v = self.ok(&["verify"]);
        assert!(v.trim_end().ends_with("OK"), "{v}");
    }

    /// The CDXJ index as (url, line-json) pairs.
    pub fn cdxj(&self) -> Vec<(String, serde_json::Value)> {
        self.ok(&["index", "--cdxj"])
            .lines()
            .map(|l| {
                let mut parts = l.splitn(3, ' ');
                let _surt = parts.next().unwrap();
                let ts = parts.next().unwrap().to_string();
                let mut v: serde_json::Value = serde_json::from_str(parts.next().unwrap()).unwrap();
                v["timestamp"] = ts.into();
                (v["url"].as_str().unwrap().to_string(), v)
            })
            .collect()
    }

    /// Like [`Workspace::capture_counts`], but empty (not a failure) while no database
    /// exists or the index cannot be read yet: for polling a running daemon.
    pub fn capture_counts_if_any(&self) -> HashMap<String, usize> {
        let out = self.run(&["index", "--cdxj"]);
        let mut m = HashMap::new();
        if out.status.success() {
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                if let Some(v) = line
                    .splitn(3, ' ')
                    .nth(2)
                    .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                {
                    *m.entry(v["url"].as_str().unwrap_or("").to_string())
                        .or_insert(0) += 1;
                }
            }
        }
        m
    }

    /// How many archived captures each URL has.
    pub fn capture_counts(&self) -> HashMap<String, usize> {
        let mut m = HashMap::new();
        for (url, _) in self.cdxj() {
            *m.entry(url).or_insert(0) += 1;
        }
        m
    }

    /// The address of the running daemon's API, as its status file names it.
    pub fn api_address(&self) -> Option<String> {
        std::fs::read_to_string(self.data().join("status.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|s| s["api"].as_str().map(str::to_string))
    }

    /// WARC files in the archive (closed ones).
    pub fn warc_files(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.warcs())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.to_string_lossy().ends_with(".warc.zst")
                    || p.to_string_lossy().ends_with(".warc.gz")
            })
            .collect();
        v.sort();
        v
    }
}

/// Runs an external tool, failing the test with install advice when it is missing.
pub fn tool(program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {program} ({e}); the test prerequisites are installed by `.ci/run` (see README)")
    })
}

/// `zstd -dc FILE > FILE.warc` (gzip files are returned as they are: warcio reads them).
pub fn plain_warc(file: &Path) -> PathBuf {
    let name = file.to_string_lossy();
    if name.ends_with(".warc.gz") {
        return file.to_path_buf();
    }
    let out = PathBuf::from(format!("{}.plain.warc", name.trim_end_matches(".warc.zst")));
    let o = tool("zstd", &["-dcq", "-f", &name, "-o", &out.to_string_lossy()]);
    assert!(
        o.status.success(),
        "zstd -dc {name} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// Extracts a ZIP file with Python's zipfile (no unzip on a bare machine).
pub fn unzip(zip: &Path, dest: &Path) {
    let o = tool(
        "python3",
        &[
            "-c",
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
            &zip.to_string_lossy(),
            &dest.to_string_lossy(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Checks an evidence package with `tests/tools/check_package.py`, a checker sharing no code
/// with nightjar (signature, record digests, chains, each node's signed head and inclusion
/// proofs); its summary (per node: records and captures).
pub fn package_checks_independently(wacz: &Path) -> serde_json::Value {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/tools/check_package.py"
    );
    let o = tool("python3", &[script, &wacz.to_string_lossy()]);
    assert!(
        o.status.success(),
        "check_package.py refused {}:\n{}{}",
        wacz.display(),
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    serde_json::from_slice(&o.stdout).expect("check_package.py prints JSON")
}

/// `warcio check` and `warcio index` must both accept the file.
///
/// One known disagreement is tolerated, and only after a second opinion: warcio hashes a
/// chunked body with its chunk framing, while WARC 1.1 (and nightjar) hash the de-chunked
/// entity body. A payload-digest failure is accepted only for a chunked response whose
/// digest `tests/tools/chunked_payload.py` (warcio's own de-chunker) confirms.
pub fn warcio_accepts(file: &Path) {
    let plain = plain_warc(file);
    let p = plain.to_string_lossy().to_string();
    let check = tool("warcio", &["check", "-v", &p]);
    let report = String::from_utf8_lossy(&check.stdout).to_string();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/tools/chunked_payload.py"
    );
    let second = tool("python3", &[script, &p]);
    assert!(
        second.status.success(),
        "chunked_payload.py failed: {}",
        String::from_utf8_lossy(&second.stderr)
    );
    let confirmed: Vec<String> = String::from_utf8_lossy(&second.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(" ok").map(str::to_string))
        .collect();
    let mut offset = String::new();
    let mut unexplained = Vec::new();
    let mut explained = 0;
    for line in report.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("offset ") {
            offset = rest.split_whitespace().next().unwrap_or("").to_string();
        } else if t.contains("failed") || t.contains("problem") {
            if t.starts_with("payload digest failed") && confirmed.contains(&offset) {
                explained += 1;
                continue;
            }
            unexplained.push(format!("offset {offset}: {t}"));
        }
    }
    // A non-zero exit is accepted only when every failure it reported was explained.
    assert!(
        unexplained.is_empty()
            && (check.status.success() || explained > 0)
            && check.stderr.is_empty(),
        "warcio check {p} failed:\n{}\n{report}{}",
        unexplained.join("\n"),
        String::from_utf8_lossy(&check.stderr)
    );
    let index = tool("warcio", &["index", &p]);
    assert!(
        index.status.success(),
        "warcio index {p} failed: {}",
        String::from_utf8_lossy(&index.stderr)
    );
    assert!(!index.stdout.is_empty(), "warcio index {p} printed nothing");
}

/// A child process that is killed if the test fails before it was waited for.
pub struct KillOnDrop(pub Option<std::process::Child>);

impl KillOnDrop {
    /// The child's PID.
    pub fn id(&self) -> u32 {
        self.0.as_ref().expect("child").id()
    }

    /// Hands the child back for a normal wait.
    pub fn take(mut self) -> std::process::Child {
        self.0.take().expect("child")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            // A traced child (strace) has a child of its own: kill the whole process group
            // would be wider than ours, so kill the descendants we know.
            if let Ok(kids) =
                std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", c.id()))
            {
                for pid in kids
                    .split_whitespace()
                    .filter_map(|p| p.parse::<i32>().ok())
                {
                    let _ = nix::sys::signal::kill(
                        nix::unistd::Pid::from_raw(pid),
                        nix::sys::signal::Signal::SIGKILL,
                    );
                }
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// One HTTP/1.1 request to the API at `addr` (with a bearer token if given); returns the status, the headers (lower-cased) and the body as raw bytes.
pub fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect to the API");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP response");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head[9..12].parse().unwrap();
    assert!(
        !head.contains("transfer-encoding: chunked"),
        "this client reads whole bodies only"
    );
    (status, head, raw[split + 4..].to_vec())
}

/// Waits for a child to exit, killing it (and failing) if it takes longer than `limit`.
/// Stops a daemon with SIGTERM; it must exit 0. Returns its log.
pub fn stop_cleanly(child: KillOnDrop, log: &Path) -> String {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("signal nightjar");
    let out = wait_bounded(child.take(), std::time::Duration::from_secs(30));
    let stderr = std::fs::read_to_string(log).unwrap_or_default();
    assert!(out.status.success(), "{:?}\n{stderr}", out.status);
    stderr
}

pub fn wait_bounded(mut child: std::process::Child, limit: std::time::Duration) -> Output {
    let start = std::time::Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("process {} did not exit within {limit:?}", child.id());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().expect("collect output")
}

/// Waits (bounded) until `cond` holds.
pub fn wait_until(what: &str, timeout: std::time::Duration, mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

impl Workspace {
    /// Whether the workspace's database is on PostgreSQL (`NIGHTJAR_TEST_DATABASE=postgres`).
    pub fn on_postgres(&self) -> bool {
        #[cfg(feature = "postgres")]
        if self.postgres.is_some() {
            return true;
        }
        false
    }

    /// The workspace's database on PostgreSQL: its server and the URL of its database.
    #[cfg(feature = "postgres")]
    fn postgres_url(&self) -> Option<String> {
        self.postgres.as_ref()?;
        let toml: toml::Table = std::fs::read_to_string(&self.config).ok()?.parse().ok()?;
        Some(toml.get("data")?.get("database")?.as_str()?.to_string())
    }

    /// Runs SQL statements against the workspace's database, whichever engine it is on
    /// (tests that tamper with it, or stand in for a crash).
    pub fn sql(&self, statements: &[String]) {
        for s in statements {
            if let Err(e) = self.try_sql(s) {
                panic!("{s}: {e}");
            }
        }
    }

    /// Runs one SQL statement against the workspace's database; the database's error if it
    /// refuses it.
    pub fn try_sql(&self, statement: &str) -> Result<(), String> {
        #[cfg(feature = "postgres")]
        if let Some(url) = self.postgres_url() {
            return on_runtime(async {
                let pool = sqlx::PgPool::connect(&url).await.unwrap();
                let done = sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
                    .execute(&pool)
                    .await;
                pool.close().await;
                done.map(|_| ()).map_err(|e| e.to_string())
            });
        }
        sqlite_exec(&self.data(), statement)
    }

    /// The first column of every row a query gives, as text (NULL as ""), from the
    /// workspace's database, whichever engine it is on.
    pub fn query_text(&self, query: &str) -> Vec<String> {
        #[cfg(feature = "postgres")]
        if let Some(url) = self.postgres_url() {
            return on_runtime(async {
                use sqlx::Row;
                let pool = sqlx::PgPool::connect(&url).await.unwrap();
                let rows = sqlx::query(sqlx::AssertSqlSafe(query.to_string()))
                    .fetch_all(&pool)
                    .await
                    .unwrap_or_else(|e| panic!("{query}: {e}"));
                pool.close().await;
                rows.iter()
                    .map(|r| {
                        None.or_else(|| r.try_get::<Option<String>, _>(0).ok())
                            .or_else(|| {
                                r.try_get::<Option<i64>, _>(0)
                                    .ok()
                                    .map(|v| v.map(|v| v.to_string()))
                            })
                            .or_else(|| {
                                r.try_get::<Option<i32>, _>(0)
                                    .ok()
                                    .map(|v| v.map(|v| v.to_string()))
                            })
                            .or_else(|| {
                                r.try_get::<Option<bool>, _>(0)
                                    .ok()
                                    .map(|v| v.map(|v| v.to_string()))
                            })
                            .unwrap_or_else(|| panic!("{query}: a column of another type"))
                            .unwrap_or_default()
                    })
                    .collect()
            });
        }
        query_text(&self.data(), query)
    }

    /// Makes the index look as if the transaction that indexed capture `id` never committed
    /// (a crash between archiving and indexing): its rows are gone (records, capture, change
    /// index), its URL is in flight again and its seed's pass unfinished.
    pub fn forget_indexing_of(&self, id: i64) {
        self.sql(&[
            format!("UPDATE urls SET state = 'inflight' WHERE url = (SELECT url FROM captures WHERE id = {id})"),
            format!("DELETE FROM warc_records WHERE capture_id = {id}"),
            format!("DELETE FROM changes WHERE capture_id = {id}"),
            format!("DELETE FROM capture_text WHERE capture_id = {id}"),
            format!("DELETE FROM captures WHERE id = {id}"),
            "UPDATE seeds SET cycle_finished = NULL".into(),
        ]);
    }

    /// Everything the workspace's database holds, as bytes to search: the SQLite file, or
    /// a `pg_dump` of its database on PostgreSQL.
    pub fn database_bytes(&self) -> Vec<u8> {
        #[cfg(feature = "postgres")]
        if let Some(server) = &self.postgres {
            return server.dump("nightjar");
        }
        std::fs::read(self.data().join("nightjar.db")).unwrap_or_default()
    }

    /// Whether the workspace's database has been created (its layout in place).
    pub fn database_exists(&self) -> bool {
        if self.on_postgres() {
            return self
                .try_sql("SELECT 1 FROM _sqlx_migrations LIMIT 1")
                .is_ok();
        }
        self.data().join("nightjar.db").exists()
    }

    /// Says why a test that needs the database in the data directory (a copy of the
    /// directory tampered with, or an old SQLite layout) does not run on PostgreSQL, and
    /// returns true there.
    pub fn sqlite_only(&self, why: &str) -> bool {
        if self.on_postgres() {
            eprintln!("not run on PostgreSQL: {why}");
        }
        self.on_postgres()
    }
}

#[cfg(feature = "postgres")]
fn on_runtime<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Runs SQL statements against a SQLite data directory's database (tests that tamper with a
/// copy of one; [`Workspace::sql`] for a workspace's own database).
pub fn sql(data: &Path, statements: &[String]) {
    for s in statements {
        if let Err(e) = sqlite_exec(data, s) {
            panic!("{s}: {e}");
        }
    }
}

/// Runs one statement against a SQLite data directory's database.
fn sqlite_exec(data: &Path, statement: &str) -> Result<(), String> {
    let db = data.join("nightjar.db");
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
                .await
                .map_err(|e| e.to_string())?;
            let done = sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
                .execute(&pool)
                .await;
            pool.close().await;
            done.map(|_| ()).map_err(|e| e.to_string())
        })
}

/// The first column of every row a query gives, as text, from a SQLite data directory's
/// database ([`Workspace::query_text`] for a workspace's own).
pub fn query_text(data: &Path, query: &str) -> Vec<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool =
            sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("nightjar.db").display()))
                .await
                .unwrap();
        let rows = sqlx::query_scalar(sqlx::AssertSqlSafe(query.to_string()))
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        rows
    })
}

/// Runs `script` (in tests/console) in Debian's headless Chromium with `args`, its browser
/// profile and downloads in `scratch`; returns its standard output once it succeeded.
pub fn browser_script(
    scratch: &Path,
    script: &str,
    args: &[String],
    limit: std::time::Duration,
) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/console");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "tests/run-all.sh installs playwright-core (npm ci in tests/console)"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "tests/run-all.sh installs Debian's chromium"
    );
    let run = Command::new("node")
        .current_dir(&dir)
        .env("TMPDIR", scratch)
        .arg(script)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    let out = wait_bounded(run, limit);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(out.status.success(), "{stdout}\n{stderr}");
    stdout
}
