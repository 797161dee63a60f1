//! A real PostgreSQL server for tests (feature `testing`): Debian's own server binaries
//! (`initdb`, `pg_ctl`, from the `postgresql` package tests/run-all.sh installs) run a fresh
//! cluster in a temporary directory, listening on a free port of 127.0.0.1 only, and are
//! stopped when the value is dropped. The server refuses to run as root, so when the tests run as root
//! (as in CI) every server command runs as the unprivileged `postgres` user Debian's package
//! creates. Authentication is `trust`: the socket is on loopback and the cluster is thrown
//! away with the directory.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The superuser the cluster is created with, and the owner of its databases.
pub const USER: &str = "nightjar";

/// A running PostgreSQL cluster in a temporary directory.
pub struct Postgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// (uid, gid) the server runs as, when the tests run as root.
    run_as: Option<(u32, u32)>,
    running: bool,
}

/// Debian installs each major version's server binaries under /usr/lib/postgresql/N/bin;
/// the newest is used.
fn server_bin() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((major, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b).unwrap_or_else(|| {
        panic!(
            "PostgreSQL's server binaries (/usr/lib/postgresql/N/bin/initdb) not found: \
             install the Debian package `postgresql` (tests/run-all.sh does)"
        )
    })
}

fn ids_of(user: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() == 7 && f[0] == user).then(|| (f[2].parse().unwrap(), f[3].parse().unwrap()))
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

fn describe(out: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

impl Postgres {
    /// Creates a cluster and starts it; panics with the server's log if it cannot.
    #[allow(clippy::new_without_default)]
    pub fn start() -> Postgres {
        let bin = server_bin();
        let dir = tempfile::tempdir().expect("tempdir");
        let run_as = if nix::unistd::geteuid().is_root() {
            Some(ids_of("postgres").expect(
                "no user `postgres`: install the Debian package `postgresql`, which creates it",
            ))
        } else {
            None
        };
        if let Some((uid, gid)) = run_as {
            // The server's user must reach its directory (the temporary directory's parent
            // is world-searchable /tmp).
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .expect("chmod");
        let pg = Postgres {
            dir,
            bin,
            port: free_port(),
            run_as,
            running: false,
        };
        let out = pg
            .server_cmd("initdb")
            .arg("-D")
            .arg(pg.data_dir())
            .args([
                "-U",
                USER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .expect("run initdb");
        assert!(out.status.success(), "initdb:\n{}", describe(&out));
        let mut pg = pg;
        // The port was free when picked, but another test's server (or any process) may
        // take it before this one binds it: a new port then, a few times (a suite that
        // starts dozens of servers on 2 cores met this once in CI).
        for attempt in 1.. {
            match pg.try_resume() {
                Ok(()) => break,
                Err(e) if attempt < 5 && e.contains("Address already in use") => {
                    pg.port = free_port();
                }
                Err(e) => panic!("{e}"),
            }
        }
        pg
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn server_cmd(&self, tool: &str) -> Command {
        let mut c = Command::new(self.bin.join(tool));
        c.stdin(Stdio::null()).env("LC_ALL", "C");
        if let Some((uid, gid)) = self.run_as {
            c.uid(uid).gid(gid);
        }
        c
    }

    /// Starts the server again after [`Postgres::stop`] (same port, same data).
    pub fn resume(&mut self) {
        if let Err(e) = self.try_resume() {
            panic!("{e}");
        }
    }

    /// Starts the server; the tool's output and the server's log if it cannot.
    fn try_resume(&mut self) -> Result<(), String> {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.dir.path().display()
        );
        let out = self
            .server_cmd("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(self.log_path())
            .args(["-w", "-t", "60", "-o", &opts, "start"])
            .output()
            .expect("run pg_ctl start");
        if !out.status.success() {
            return Err(format!(
                "pg_ctl start:\n{}\nserver log:\n{}",
                describe(&out),
                self.log()
            ));
        }
        self.running = true;
        Ok(())
    }

    /// Stops the server the way a crash or an operator would: `immediate` (no checkpoint,
    /// connections cut) or `fast` (connections closed, a clean shutdown).
    pub fn stop(&mut self, mode: &str) {
        let out = self
            .server_cmd("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-w", "-t", "60", "-m", mode, "stop"])
            .output()
            .expect("run pg_ctl stop");
        assert!(out.status.success(), "pg_ctl stop:\n{}", describe(&out));
        self.running = false;
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Creates database `name` (owned by [`USER`]) and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let out = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                name,
            ])
            .stdin(Stdio::null())
            .output()
            .expect("run createdb");
        assert!(out.status.success(), "createdb {name}:\n{}", describe(&out));
        self.url(name)
    }

    /// `postgres://nightjar@127.0.0.1:PORT/NAME`
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Runs one SQL statement with `psql` (PostgreSQL's own client) and returns its
    /// unaligned output.
    pub fn psql(&self, database: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", USER])
            .args([
                "-d",
                database,
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ])
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        assert!(out.status.success(), "psql {sql}:\n{}", describe(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Everything database `name` holds, as `pg_dump` writes it (SQL text).
    pub fn dump(&self, database: &str) -> Vec<u8> {
        let out = Command::new(self.bin.join("pg_dump"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", USER])
            .arg(database)
            .stdin(Stdio::null())
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump {database}:\n{}",
            describe(&out)
        );
        out.stdout
    }

    /// The directory holding the cluster.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if self.running {
            let _ = self
                .server_cmd("pg_ctl")
                .arg("-D")
                .arg(self.data_dir())
                .args(["-w", "-t", "30", "-m", "immediate", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}
