//! GnuPG, an OpenPGP implementation other than the one nightjar uses: keys made and texts
//! clear-signed the way a site's operators do it, for the mirror-check tests.

use std::process::{Command, Stdio};

/// A GnuPG home of its own, with keys made in it.
pub struct Gpg {
    home: tempfile::TempDir,
}

impl Gpg {
    pub fn new() -> Gpg {
        Gpg {
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn run(&self, args: &[&str], input: Option<&str>) -> String {
        use std::io::Write;
        let mut child = Command::new("gpg")
            .arg("--homedir")
            .arg(self.home.path())
            .args([
                "--batch",
                "--yes",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
            ])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gpg (Debian's gnupg) must be installed: tests/run-all.sh installs it");
        let mut stdin = child.stdin.take().unwrap();
        if let Some(text) = input {
            stdin.write_all(text.as_bytes()).unwrap();
        }
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "gpg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Makes a key for `uid` (`algo`: `ed25519`, `rsa3072`) that can sign; returns its
    /// fingerprint.
    pub fn key(&self, uid: &str, algo: &str) -> String {
        self.run(&["--quick-gen-key", uid, algo, "sign", "never"], None);
        self.fingerprint(uid)
    }

    pub fn fingerprint(&self, uid: &str) -> String {
        let listing = self.run(&["--with-colons", "--list-keys", uid], None);
        listing
            .lines()
            .find(|l| l.starts_with("fpr:"))
            .and_then(|l| l.split(':').nth(9))
            .unwrap()
            .to_string()
    }

    /// Adds a signing subkey to `fpr`; returns the subkey's fingerprint.
    pub fn signing_subkey(&self, fpr: &str) -> String {
        self.run(&["--quick-add-key", fpr, "ed25519", "sign", "never"], None);
        let listing = self.run(&["--with-colons", "--list-keys", fpr], None);
        listing
            .lines()
            .filter(|l| l.starts_with("fpr:"))
            .nth(1)
            .and_then(|l| l.split(':').nth(9))
            .unwrap()
            .to_string()
    }

    pub fn export(&self, fpr: &str) -> String {
        self.run(&["--armor", "--export", fpr], None)
    }

    /// `text` clear-signed by `signer` (a fingerprint; `FPR!` for exactly that subkey).
    pub fn clearsign(&self, signer: &str, text: &str) -> String {
        self.run(&["--local-user", signer, "--clearsign"], Some(text))
    }
}
