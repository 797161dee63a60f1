//! A private Tor network on 127.0.0.1 for the onion tests, run by `tests/tor/tornet.sh`
//! (Debian's `tor`; the recipe is `../shared/tor-lab/RECIPE.md`): three authorities, two
//! exits, two middles, and the onion services of [`SERVICES`] on two service tors.
//!
//! One network per test process: [`TorNet::shared`] starts it on first use (25–40 s on an
//! idle 2-core machine: the authorities vote on a 20 s schedule) and every test of the
//! binary uses it. Each service
//! port forwards to a [`Backend`], a port of this process that a test points at its own
//! server, stops (connections refused, as when a web server is stopped) and starts again.
//!
//! Ready means what the recipe lists: an authority's consensus lists every relay, every tor
//! logged `Bootstrapped 100%`, and every service's descriptor is stored — counted per
//! service from its tor's `HS_DESC` control events, not from log lines.
//!
//! The tors never outlive the test process, although a static is never dropped: each one
//! is owned by a control connection of this process (`TAKEOWNERSHIP`: tor exits when the
//! connection closes, which the kernel does when the process ends, however it ends), each
//! one also polls this process (`__OwningControllerProcess`), and an exit handler stops
//! them by PID (TERM, then KILL) and removes their directory.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The onion services of the shared network: (service tor, service name, virtual ports).
/// `hs` carries the services that stay up (or whose backend a test stops); `hsgone`
/// carries a single service, so that stopping that tor removes the service and nothing else;
/// `hsmirror` the mirror test's five.
pub const SERVICES: &[(&str, &str, &[u16])] = &[
    ("hs", "market", &[80, 443]),
    ("hs", "refusing", &[80]),
    ("hs", "bystander", &[80]),
    ("hs", "forum", &[80]),
    ("hsgone", "gone", &[80]),
    // A market with three mirrors, a phishing copy and an address whose mirror list is
    // signed by another key (tests/onion.rs, the mirror checks): a tor of their own.
    ("hsmirror", "mirror1", &[80]),
    ("hsmirror", "mirror2", &[80]),
    ("hsmirror", "mirror3", &[80]),
    ("hsmirror", "copy", &[80]),
    ("hsmirror", "wrongkey", &[80]),
];

/// How long the network may take to be ready before the test process gives up on it.
const READY_WITHIN: Duration = Duration::from_secs(150);

/// The running private network.
pub struct TorNet {
    dir: PathBuf,
    /// arti's settings for this network, in arti.toml form.
    pub arti: String,
    services: HashMap<&'static str, Service>,
    /// The control connections that own the tors: closed, the tors exit.
    _owners: Vec<UnixStream>,
}

struct Service {
    tor: &'static str,
    onion: String,
    backends: Vec<(u16, Backend)>,
}

/// Descriptor uploads of one service, from its tor's `HS_DESC` events.
#[derive(Clone, Copy, Debug, Default)]
struct Uploads {
    /// `UPLOAD`: uploads started (one per HSDir and descriptor, current and next).
    started: u32,
    /// `UPLOADED`: descriptors an HSDir stored.
    stored: u32,
    /// `FAILED`: uploads that failed.
    failed: u32,
}

impl Uploads {
    /// Every upload started has ended, and most were stored.
    fn ready(&self) -> bool {
        self.started > 0
            && self.stored + self.failed >= self.started
            && self.stored * 2 >= self.started
    }
}

static SHARED: OnceLock<Result<TorNet, String>> = OnceLock::new();
static NET_DIR: OnceLock<PathBuf> = OnceLock::new();

fn script() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/tor/tornet.sh"
    ))
}

/// A port base whose ORPorts (base+1..+7) and DirPorts (base+101..+103) are all free.
fn free_base() -> u16 {
    let seed = std::process::id() as u16;
    for attempt in 0..200u16 {
        let base = 20_000 + (seed.wrapping_add(attempt.wrapping_mul(211)) % 400) * 100;
        let ports = (1..=7).chain(101..=103).map(|o| base + o);
        if ports
            .clone()
            .all(|p| TcpListener::bind(("127.0.0.1", p)).is_ok())
        {
            return base;
        }
    }
    panic!("no free port range for the Tor test network");
}

impl TorNet {
    /// The network of this test process, started on first use; every caller waits for it.
    /// Panics, in every test that asks, if it could not be started or was not ready in time.
    pub fn shared() -> &'static TorNet {
        match SHARED.get_or_init(|| TorNet::start(SERVICES)) {
            Ok(net) => net,
            Err(e) => panic!("{e}"),
        }
    }

    fn start(services: &[(&'static str, &'static str, &[u16])]) -> Result<TorNet, String> {
        let started = Instant::now();
        let deadline = started + READY_WITHIN;
        let left = || deadline.saturating_duration_since(Instant::now()).as_secs() + 1;
        let dir = tempfile::Builder::new()
            .prefix("nightjar-tornet-")
            .tempdir()
            .map_err(|e| format!("tempdir: {e}"))?
            .keep();
        if std::env::var_os("NIGHTJAR_KEEP_TMP").is_some() {
            eprintln!("tornet: keeping {}", dir.display());
        }
        // Before the first tor starts, so that even a start that fails half-way is cleaned up.
        NET_DIR
            .set(dir.clone())
            .expect("one network per test process");
        // SAFETY: registers a plain `extern "C" fn` without arguments, as atexit expects.
        unsafe { nix::libc::atexit(stop_at_exit) };

        let mut specs = Vec::new();
        let mut table = HashMap::new();
        for &(tor, name, ports) in services {
            let backends: Vec<(u16, Backend)> =
                ports.iter().map(|&p| (p, Backend::new())).collect();
            let maps: Vec<String> = backends
                .iter()
                .map(|(p, b)| format!("{p}:{}", b.port))
                .collect();
            specs.push(format!("{tor}/{name}={}", maps.join(",")));
            table.insert(
                name,
                Service {
                    tor,
                    onion: String::new(),
                    backends,
                },
            );
        }
        let base = free_base();
        tornet(
            &dir,
            "start",
            &[&base.to_string(), &std::process::id().to_string()],
            &specs,
        )
        .map_err(|e| format!("the private Tor network did not start: {e}"))?;

        // Take ownership of every tor; follow the uploads of the service tors.
        let uploads: Arc<Mutex<HashMap<String, Uploads>>> = Arc::default();
        let mut owners = Vec::new();
        let mut service_tors = Vec::new();
        let pids = std::fs::read_to_string(dir.join("pids")).map_err(|e| format!("pids: {e}"))?;
        for name in pids.lines().filter_map(|l| l.split_whitespace().next()) {
            let is_service = services.iter().any(|s| s.0 == name);
            let conn = own(&dir, name, is_service)
                .map_err(|e| format!("control connection to tor {name}: {e}"))?;
            if is_service {
                let reader = conn.try_clone().map_err(|e| e.to_string())?;
                let uploads = Arc::clone(&uploads);
                std::thread::spawn(move || follow_uploads(reader, uploads));
                service_tors.push(conn.try_clone().map_err(|e| e.to_string())?);
            }
            owners.push(conn);
        }

        let not_ready = |e: String| {
            format!(
                "the private Tor network is not ready after {:?}: {e}\n{}",
                started.elapsed(),
                log_tails(&dir)
            )
        };
        tornet(&dir, "wait-consensus", &[&left().to_string()], &[]).map_err(not_ready)?;
        let relays = [left().to_string(), "relays".to_string()];
        tornet(&dir, "wait-bootstrap", &[&relays[0], &relays[1]], &[]).map_err(not_ready)?;
        // The service tors start now, with a consensus and every microdescriptor to fetch at
        // once.
        for mut conn in service_tors {
            conn.write_all(b"SETCONF DisableNetwork=0\r\n")
                .map_err(|e| format!("enabling a service tor's network: {e}"))?;
        }
        tornet(&dir, "wait-bootstrap", &[&left().to_string()], &[]).map_err(not_ready)?;

        for (name, service) in table.iter_mut() {
            let file = dir.join(service.tor).join(name).join("hostname");
            service.onion = std::fs::read_to_string(&file)
                .map_err(|e| format!("{}: {e}", file.display()))?
                .trim()
                .to_string();
        }
        loop {
            let counts = uploads.lock().expect("uploads lock").clone();
            let pending: Vec<String> = table
                .iter()
                .filter_map(|(name, s)| {
                    let key = s.onion.trim_end_matches(".onion");
                    let u = counts.get(key).copied().unwrap_or_default();
                    (!u.ready()).then(|| format!("{name} ({}): {u:?}", s.onion))
                })
                .collect();
            if pending.is_empty() {
                break;
            }
            if Instant::now() > deadline {
                let pending = pending.join("; ");
                return Err(not_ready(format!("descriptors not stored for {pending}")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let arti = tornet(&dir, "arti", &[], &[])?;
        eprintln!(
            "tornet: ready after {:.1} s",
            started.elapsed().as_secs_f64()
        );
        Ok(TorNet {
            dir,
            arti,
            services: table,
            _owners: owners,
        })
    }

    fn service(&self, name: &str) -> &Service {
        self.services
            .get(name)
            .unwrap_or_else(|| panic!("no onion service {name} on the test network"))
    }

    /// The onion name (`<56 chars>.onion`) of the service `name`.
    pub fn onion(&self, name: &str) -> &str {
        &self.service(name).onion
    }

    /// The backend behind port `port` of the service `name`.
    pub fn backend(&self, name: &str, port: u16) -> &Backend {
        self.service(name)
            .backends
            .iter()
            .find(|(p, _)| *p == port)
            .map(|(_, b)| b)
            .unwrap_or_else(|| panic!("service {name} has no port {port}"))
    }

    /// Removes the service `name` from the network: its tor process (which carries no other
    /// service) stops. Its descriptor stays on the HSDirs; its introduction points are gone.
    pub fn remove_service(&self, name: &str) {
        let tor = self.service(name).tor;
        let others: Vec<&&str> = self
            .services
            .iter()
            .filter(|(n, s)| s.tor == tor && *n != &name)
            .map(|(n, _)| n)
            .collect();
        assert!(others.is_empty(), "tor {tor} also carries {others:?}");
        tornet(&self.dir, "hs-stop", &[tor], &[]).unwrap();
    }

    /// nightjar config lines that enable Tor on this network.
    pub fn nightjar_toml(&self) -> String {
        self.nightjar_toml_with("30s")
    }

    /// Like [`TorNet::nightjar_toml`], with `tor.connect_timeout` set to `connect_timeout`.
    pub fn nightjar_toml_with(&self, connect_timeout: &str) -> String {
        let mut out =
            format!("[tor]\nenabled = true\nconnect_timeout = \"{connect_timeout}\"\n[tor.arti]\n");
        for line in self.arti.lines() {
            match line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                Some(table) => out.push_str(&format!("[tor.arti.{table}]\n")),
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// Runs `tornet.sh CMD DIR ARGS… MORE…`; its stdout, or its stderr as the error.
fn tornet(dir: &Path, cmd: &str, args: &[&str], more: &[String]) -> Result<String, String> {
    let out = Command::new("bash")
        .arg(script())
        .arg(cmd)
        .arg(dir)
        .args(args)
        .args(more)
        .output()
        .map_err(|e| format!("cannot run tornet.sh ({e}); `tests/run-all.sh` installs tor"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.is_empty() {
        eprint!("{stderr}");
    }
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("tornet.sh {cmd}: {}", stderr.trim()))
    }
}

/// The last lines of every tor's log, for a network that did not come up.
fn log_tails(dir: &Path) -> String {
    let pids = std::fs::read_to_string(dir.join("pids")).unwrap_or_default();
    let mut out = String::new();
    for name in pids.lines().filter_map(|l| l.split_whitespace().next()) {
        let log = std::fs::read_to_string(dir.join(name).join("notice.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        out.push_str(&format!("--- {name}/notice.log (end)\n"));
        for l in &lines[lines.len().saturating_sub(4)..] {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// Connects to tor `name`'s control socket and takes ownership of it; for a service tor,
/// subscribes to its descriptor events too (its network is still disabled: no upload can
/// have been missed).
fn own(dir: &Path, name: &str, events: bool) -> std::io::Result<UnixStream> {
    let path = dir.join(name).join("control");
    let since = Instant::now();
    let mut conn = loop {
        match UnixStream::connect(&path) {
            Ok(c) => break c,
            Err(e) if since.elapsed() > Duration::from_secs(15) => return Err(e),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    conn.set_read_timeout(Some(Duration::from_secs(15)))?;
    let mut commands = vec!["AUTHENTICATE", "TAKEOWNERSHIP"];
    if events {
        commands.push("SETEVENTS HS_DESC");
    }
    let mut reader = BufReader::new(conn.try_clone()?);
    for c in commands {
        conn.write_all(format!("{c}\r\n").as_bytes())?;
        let mut reply = String::new();
        reader.read_line(&mut reply)?;
        if !reply.starts_with("250") {
            return Err(std::io::Error::other(format!("{c}: {}", reply.trim())));
        }
    }
    conn.set_read_timeout(None)?;
    Ok(conn)
}

/// Counts a service tor's `HS_DESC` events per onion address until the connection closes.
fn follow_uploads(conn: UnixStream, uploads: Arc<Mutex<HashMap<String, Uploads>>>) {
    for line in BufReader::new(conn).lines() {
        let Ok(line) = line else { break };
        let mut words = line.split_whitespace();
        if words.next() != Some("650") || words.next() != Some("HS_DESC") {
            continue;
        }
        let (Some(action), Some(address)) = (words.next(), words.next()) else {
            continue;
        };
        let mut map = uploads.lock().expect("uploads lock");
        let u = map.entry(address.to_string()).or_default();
        match action {
            "UPLOAD" => u.started += 1,
            "UPLOADED" => u.stored += 1,
            "FAILED" => u.failed += 1,
            _ => {}
        }
    }
}

/// Stops every tor of the network by PID (TERM, up to 5 s, then KILL), checking first
/// that the PID is still the tor started with that torrc; then removes the directory.
extern "C" fn stop_at_exit() {
    let Some(dir) = NET_DIR.get() else { return };
    let pids = std::fs::read_to_string(dir.join("pids")).unwrap_or_default();
    let ours: Vec<(String, i32)> = pids
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.to_string(), w.next()?.parse().ok()?))
        })
        .collect();
    let alive = |name: &str, pid: i32| {
        std::fs::read(format!("/proc/{pid}/cmdline"))
            .map(|c| {
                String::from_utf8_lossy(&c)
                    .replace('\0', " ")
                    .contains(&format!("-f {}/{name}/torrc", dir.display()))
            })
            .unwrap_or(false)
    };
    let signal = |sig| {
        for (name, pid) in &ours {
            if alive(name, *pid) {
                let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(*pid), sig);
            }
        }
    };
    signal(nix::sys::signal::Signal::SIGTERM);
    let since = Instant::now();
    while ours.iter().any(|(n, p)| alive(n, *p)) && since.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    signal(nix::sys::signal::Signal::SIGKILL);
    if std::env::var_os("NIGHTJAR_KEEP_TMP").is_none() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The server behind an onion service's port: a port on 127.0.0.1 that forwards each
/// connection to a test's server. Stopped, the port is closed and connections are refused,
/// as when the web server behind a service is stopped; started again, it listens on the
/// same port.
pub struct Backend {
    /// The port the service forwards to.
    pub port: u16,
    inner: Arc<BackendInner>,
}

#[derive(Default)]
struct BackendInner {
    target: Mutex<Option<u16>>,
    listener: Mutex<Option<TcpListener>>,
    stop_after: Mutex<Option<String>>,
}

impl Backend {
    fn new() -> Backend {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind a backend port");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("backend address").port();
        let inner = Arc::new(BackendInner::default());
        *inner.listener.lock().expect("listener lock") = Some(listener);
        let accepting = Arc::clone(&inner);
        std::thread::Builder::new()
            .name(format!("backend-{port}"))
            .spawn(move || loop {
                let accepted = match &*accepting.listener.lock().expect("listener lock") {
                    Some(l) => l.accept().ok(),
                    None => None,
                };
                match accepted {
                    Some((conn, _)) => {
                        let inner = Arc::clone(&accepting);
                        std::thread::spawn(move || forward(conn, &inner));
                    }
                    None => std::thread::sleep(Duration::from_millis(10)),
                }
            })
            .expect("spawn a backend thread");
        Backend { port, inner }
    }

    /// Forwards every connection to 127.0.0.1:`port` from now on.
    pub fn forward_to(&self, port: u16) {
        *self.inner.target.lock().expect("target lock") = Some(port);
    }

    /// Stops listening: connections to the port are refused.
    pub fn stop(&self) {
        self.inner.listener.lock().expect("listener lock").take();
    }

    /// Stops listening as soon as a request for `path` arrives (that request is served):
    /// the next request finds the server stopped, however fast it follows.
    pub fn stop_after(&self, path: &str) {
        *self.inner.stop_after.lock().expect("stop_after lock") = Some(path.to_string());
    }

    /// Listens again, on the same port.
    pub fn start(&self) {
        let mut slot = self.inner.listener.lock().expect("listener lock");
        if slot.is_some() {
            return;
        }
        let since = Instant::now();
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)) {
                Ok(l) => break l,
                Err(e) if since.elapsed() > Duration::from_secs(10) => {
                    panic!("backend port {} cannot be bound again: {e}", self.port)
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        listener.set_nonblocking(true).expect("nonblocking");
        *slot = Some(listener);
    }
}

/// Copies one connection to the backend's target and back.
fn forward(mut client: TcpStream, inner: &BackendInner) {
    let _ = client.set_nonblocking(false);
    let Some(port) = *inner.target.lock().expect("target lock") else {
        return;
    };
    // The request line, to know whether this request stops the server.
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(2).any(|w| w == b"\r\n") && head.len() < 8192 {
        match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&head);
    let path = line.split_whitespace().nth(1).unwrap_or("");
    {
        let mut trip = inner.stop_after.lock().expect("stop_after lock");
        if trip.as_deref() == Some(path) {
            *trip = None;
            inner.listener.lock().expect("listener lock").take();
        }
    }
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    if server.write_all(&head).is_err() {
        return;
    }
    let (Ok(mut c_read), Ok(mut s_write)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let upstream = std::thread::spawn(move || {
        let _ = std::io::copy(&mut c_read, &mut s_write);
        let _ = s_write.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(Shutdown::Write);
    let _ = upstream.join();
}
