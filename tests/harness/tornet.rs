//! A private Tor network on 127.0.0.1 for the onion tests, run by `tests/tor/tornet.sh`
//! (Debian's `tor`): three authorities, two exits, two middles and an onion service whose
//! port 80 forwards to a fixture server. Starting takes about a minute (voting schedule);
//! every tor process is stopped by PID when the value is dropped, even after a failed test.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

/// Only one private network runs at a time: two would compete for the machine's two cores
/// and make each other's timings meaningless.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A running private Tor network.
pub struct TorNet {
    _turn: std::sync::MutexGuard<'static, ()>,
    dir: tempfile::TempDir,
    /// The onion service's address (`<56 chars>.onion`).
    pub onion: String,
    /// arti's settings for this network, in arti.toml form.
    pub arti: String,
}

fn script() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/tor/tornet.sh"
    ))
}

/// A port base whose ORPorts (base+1..+7) and DirPorts (base+101..+103) are all free.
fn free_base() -> u16 {
    // Never the same range twice in one test process: a client left over from an earlier
    // network must not find a new relay where an old one was.
    static STARTED: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
    let nth = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let seed = (std::process::id() as u16).wrapping_add(nth.wrapping_mul(97));
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
    /// Starts the network; its onion service forwards to 127.0.0.1:`target_port`.
    pub fn start(target_port: u16) -> TorNet {
        Self::start_with(target_port, None)
    }

    /// Like [`TorNet::start`], with the service's port 443 forwarded to `tls_port` too.
    pub fn start_with(target_port: u16, tls_port: Option<u16>) -> TorNet {
        let turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A fresh private network sometimes fails to publish its onion descriptor in time
        // (the service picks directories before the consensus lists them): a second,
        // fresh network is tried before the test gives up.
        let mut attempt = 0;
        let (dir, net, up) = loop {
            attempt += 1;
            let dir = tempfile::tempdir().expect("tempdir");
            let net = dir.path().join("net");
            let base = free_base().to_string();
            let up = Command::new("bash")
                .arg(script())
                .args([
                    "up",
                    &net.to_string_lossy(),
                    &base,
                    &target_port.to_string(),
                ])
                .args(tls_port.map(|p| p.to_string()))
                .output()
                .unwrap_or_else(|e| {
                    panic!("cannot run tornet.sh ({e}); `tests/run-all.sh` installs tor")
                });
            if up.status.success() || attempt == 2 {
                break (dir, net, up);
            }
            eprintln!(
                "tornet: the private Tor network did not come up ({}); trying a fresh one",
                String::from_utf8_lossy(&up.stderr).trim()
            );
            let _ = Command::new("bash")
                .arg(script())
                .args(["down", &net.to_string_lossy()])
                .output();
        };
        if !up.status.success() {
            let logs: String = ["a1", "x1", "hs"]
                .iter()
                .map(|n| {
                    std::fs::read_to_string(net.join(n).join("notice.log")).unwrap_or_default()
                })
                .collect();
            panic!(
                "the private Tor network did not come up:\n{}{}\n{logs}",
                String::from_utf8_lossy(&up.stdout),
                String::from_utf8_lossy(&up.stderr)
            );
        }
        let onion = std::fs::read_to_string(net.join("onion"))
            .expect("onion name")
            .trim()
            .to_string();
        let arti = Command::new("bash")
            .arg(script())
            .args(["arti", &net.to_string_lossy()])
            .output()
            .expect("tornet.sh arti");
        TorNet {
            _turn: turn,
            dir,
            onion,
            arti: String::from_utf8_lossy(&arti.stdout).into_owned(),
        }
    }

    /// Takes the onion service down (its tor process stops).
    pub fn stop_onion(&self) {
        self.run(&["hs-stop"]);
    }

    /// Brings the onion service back; returns once its descriptor is stored again.
    pub fn start_onion(&self) {
        self.run(&["hs-start"]);
    }

    fn run(&self, cmd: &[&str]) {
        let out = Command::new("bash")
            .arg(script())
            .arg(cmd[0])
            .arg(self.dir.path().join("net"))
            .args(&cmd[1..])
            .output()
            .expect("tornet.sh");
        assert!(
            out.status.success(),
            "tornet.sh {cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// nightjar config lines that enable Tor on this network.
    pub fn nightjar_toml(&self) -> String {
        let mut out =
            String::from("[tor]\nenabled = true\nconnect_timeout = \"30s\"\n[tor.arti]\n");
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

impl Drop for TorNet {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .args(["down", &self.dir.path().join("net").to_string_lossy()])
            .status();
    }
}
