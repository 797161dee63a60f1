//! pywb, the replay tool, as tests use it: a collection built by pywb's own `wb-manager`
//! from our WARC files or WACZ packages, served by `wayback` on 127.0.0.1.

use std::path::Path;
use std::time::Duration;

use super::{tool, wait_until, KillOnDrop};

/// A pywb collection; `wayback` runs once [`Pywb::serve`] is called, until dropped.
pub struct Pywb {
    root: tempfile::TempDir,
    collection: String,
    server: Option<(KillOnDrop, u16)>,
}

impl Pywb {
    /// An empty collection.
    pub fn new(collection: &str) -> Pywb {
        let p = Pywb {
            root: tempfile::tempdir().unwrap(),
            collection: collection.to_string(),
            server: None,
        };
        p.manage(&["init", collection]);
        p
    }

    fn manage(&self, args: &[&str]) {
        let o = std::process::Command::new("wb-manager")
            .args(args)
            .current_dir(self.root.path())
            .output()
            .expect("wb-manager (pip install pywb; `.ci/run` installs it)");
        assert!(
            o.status.success(),
            "wb-manager {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    /// Adds a WARC file (indexed by pywb itself).
    pub fn add_warc(&self, warc: &Path) {
        self.manage(&["add", &self.collection, &warc.to_string_lossy()]);
    }

    /// Adds a WACZ package, unpacked.
    pub fn add_wacz(&self, wacz: &Path) {
        self.manage(&[
            "add",
            "--unpack-wacz",
            &self.collection,
            &wacz.to_string_lossy(),
        ]);
    }

    /// pywb's own CDXJ index of the collection.
    pub fn cdxj(&self) -> String {
        std::fs::read_dir(
            self.root
                .path()
                .join("collections")
                .join(&self.collection)
                .join("indexes"),
        )
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect()
    }

    /// Serves the collection and fetches `url` as archived at `ts` (14 digits), raw
    /// (`id_`), with the response head: waits (bounded) until pywb answers 200.
    pub fn replay(&mut self, ts: &str, url: &str) -> String {
        if self.server.is_none() {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let child = std::process::Command::new("wayback")
                .args(["--bind", "127.0.0.1", "-p", &port.to_string()])
                .current_dir(self.root.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("wayback (pywb)");
            self.server = Some((KillOnDrop(Some(child)), port));
        }
        let port = self.server.as_ref().unwrap().1;
        let replay = format!("http://127.0.0.1:{port}/{}/{ts}id_/{url}", self.collection);
        let mut got = String::new();
        wait_until("pywb to answer", Duration::from_secs(60), || {
            let o = tool("curl", &["-s", "-i", "--max-time", "5", &replay]);
            got = String::from_utf8_lossy(&o.stdout).to_string();
            got.starts_with("HTTP/1.1 200")
        });
        got
    }
}

/// The 14-digit timestamp of an index time (`2026-11-27T23:07:52.123Z` → `20261127230752`).
pub fn ts14(captured_at: &str) -> String {
    captured_at
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect()
}
