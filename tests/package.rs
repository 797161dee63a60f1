//! The Debian package (`debian/`, `[package.metadata.deb]` in crawler/Cargo.toml), built by
//! cargo-deb from the binary under test and checked with Debian's own tools: lintian must
//! pass it, and dpkg installs it into a scratch root (`dpkg --root`; the maintainer scripts
//! run against that root through `DPKG_ROOT`, as they do in image builders), upgrades it
//! over itself, removes and purges it. An archive in /var/lib/nightjar, made by a real
//! crawl, must come through all of that byte for byte, owner and mode included, and
//! still verify.
//!
//! tests/run-all.sh installs cargo-deb and lintian. The debug build is packaged (stripped,
//! with light compression): a release build would double the suite's build time, and the
//! package's contents and scripts are the same.

mod harness;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use harness::evidence::copy_into;
use harness::site::Site;
use harness::Workspace;
use sha2::{Digest, Sha256};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn describe(out: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn run(cmd: &mut Command) -> Output {
    let shown = format!("{cmd:?}");
    cmd.stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e} (tests/run-all.sh installs it)"))
}

/// Builds the package from the binary this test runs against, with Debian revision `rev`.
fn build_deb(out_dir: &Path, rev: &str) -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_nightjar"));
    // …/<target>/debug/nightjar: cargo-deb finds it under the same target directory.
    let target = binary.parent().unwrap().parent().unwrap();
    let deb = out_dir.join(format!("nightjar_{rev}.deb"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = run(Command::new(cargo)
        .current_dir(repo())
        .env("CARGO_TARGET_DIR", target)
        .args([
            "deb",
            "-p",
            "nightjar",
            "--no-build",
            "--profile",
            "dev",
            "--strip",
            "--fast",
            "--deb-revision",
            rev,
            "--output",
        ])
        .arg(&deb));
    assert!(
        out.status.success() && deb.is_file(),
        "cargo deb failed (install it with `cargo install cargo-deb --locked`):\n{}",
        describe(&out)
    );
    deb
}

/// A scratch root dpkg can install into: an empty database whose list of installed
/// packages is the host's, so that dependencies are checked against what this machine
/// has rather than forced.
fn scratch_root(root: &Path) {
    let admin = root.join("var/lib/dpkg");
    for d in ["info", "updates", "triggers"] {
        fs::create_dir_all(admin.join(d)).unwrap();
    }
    fs::copy("/var/lib/dpkg/status", admin.join("status")).unwrap();
    fs::write(admin.join("available"), "").unwrap();
}

/// `dpkg --root ROOT ARGS…` with the maintainer scripts run outside a chroot (the root
/// holds no shell), told the root through DPKG_ROOT.
fn dpkg(root: &Path, args: &[&str]) -> Output {
    let mut root_arg = std::ffi::OsString::from("--root=");
    root_arg.push(root);
    let out = run(Command::new("dpkg")
        .arg(root_arg)
        .arg("--force-script-chrootless")
        .args(args));
    assert!(out.status.success(), "dpkg {args:?}:\n{}", describe(&out));
    out
}

/// Everything under `dir`: path → (kind and mode, owner, group, modification time, SHA-256
/// of a file's bytes or a link's target).
type Snapshot = BTreeMap<PathBuf, (u32, u32, u32, i64, String)>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut out = Snapshot::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let meta = fs::symlink_metadata(&d).unwrap();
        let digest = if meta.is_file() {
            let mut h = Sha256::new();
            let mut f = fs::File::open(&d).unwrap();
            let mut buf = vec![0; 1 << 16];
            loop {
                let n = f.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            hex::encode(h.finalize())
        } else if meta.file_type().is_symlink() {
            fs::read_link(&d).unwrap().display().to_string()
        } else {
            String::new()
        };
        out.insert(
            d.strip_prefix(dir).unwrap().to_path_buf(),
            (meta.mode(), meta.uid(), meta.gid(), meta.mtime(), digest),
        );
        if meta.is_dir() {
            for e in fs::read_dir(&d).unwrap() {
                stack.push(e.unwrap().path());
            }
        }
    }
    out
}

fn user_id(root: &Path, name: &str) -> Option<(u32, u32)> {
    let passwd = fs::read_to_string(root.join("etc/passwd")).ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() == 7 && f[0] == name).then(|| (f[2].parse().unwrap(), f[3].parse().unwrap()))
    })
}

fn mode_owner(path: &Path) -> (u32, u32, u32) {
    let m = fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (m.permissions().mode() & 0o7777, m.uid(), m.gid())
}

/// A real archive: a small site crawled by the binary under test.
fn crawled_archive() -> Workspace {
    let site = Site::board("Ad 17: call +49 30 1234567");
    let ws = Workspace::new("[politeness]\nrobots = \"ignore\"\n");
    ws.crawl(
        &site.url("board.test", "/"),
        &[site.resolve("board.test")],
        &["--depth", "1"],
    );
    ws.verify_ok();
    ws
}

/// Build, lintian, install, upgrade over itself, remove, purge: the package's files land
/// where the unit and the README say, the user and directories exist, the service is not
/// enabled, the operator's edit of the conffile survives the upgrade, and the archive in
/// /var/lib/nightjar is never touched.
#[test]
fn the_debian_package_installs_upgrades_and_purges_without_touching_the_archive() {
    let scratch = tempfile::tempdir().unwrap();
    let debs = scratch.path().join("debs");
    fs::create_dir(&debs).unwrap();
    let first = build_deb(&debs, "1");
    let second = build_deb(&debs, "2");

    // The package's control data and file list.
    let info = run(Command::new("dpkg-deb").arg("--info").arg(&first));
    let control = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(info.status.success(), "{}", describe(&info));
    for field in [
        "Package: nightjar",
        "Version: 0.1.0-1",
        "Section: net",
        "Maintainer: ",
    ] {
        assert!(control.contains(field), "{field} not in:\n{control}");
    }
    assert!(
        control.contains("Depends: ") && control.contains("libc6"),
        "dependencies not computed:\n{control}"
    );

    // lintian: no error, no warning (the accepted tags are overridden in
    // debian/lintian-overrides, each with its reason).
    // One run shows every tag, the overridden ones marked "O:"; errors and warnings that
    // no override covers are "E:" and "W:" lines.
    let lint = run(Command::new("lintian")
        .args([
            "--fail-on",
            "none",
            "--tag-display-limit",
            "0",
            "--display-info",
            "--show-overrides",
        ])
        .arg(&first));
    let said = String::from_utf8_lossy(&lint.stdout).into_owned();
    assert!(lint.status.success(), "lintian:\n{}", describe(&lint));
    let failing: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("E: ") || l.starts_with("W: "))
        .collect();
    assert!(
        failing.is_empty(),
        "lintian errors and warnings (fix them, or override one in debian/lintian-overrides \
         with its reason and list it in debian/README.md):\n{}",
        failing.join("\n")
    );
    // It did read the package: the overrides it shipped were applied.
    assert!(
        said.contains("O: nightjar: "),
        "lintian applied none of debian/lintian-overrides:\n{said}"
    );

    // What the maintainer scripts could leave on this machine instead of in the root.
    let host_traces = [
        Path::new("/var/lib/systemd/deb-systemd-helper-enabled/nightjar.service.dsh-also"),
        Path::new("/var/lib/nightjar"),
    ];
    let host_before: Vec<bool> = host_traces.iter().map(|p| p.exists()).collect();
    let host_user_before = user_id(Path::new("/"), "nightjar");

    // Install into a scratch root.
    let root = scratch.path().join("root");
    scratch_root(&root);
    let first_s = first.to_str().unwrap();
    dpkg(&root, &["--install", first_s]);

    let installed = root.join("usr/bin/nightjar");
    let version = run(Command::new(&installed).arg("--version"));
    assert!(
        version.status.success()
            && String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")),
        "the installed binary: {}",
        describe(&version)
    );
    let unit_dir = ["usr/lib/systemd/system", "lib/systemd/system"]
        .iter()
        .map(|d| root.join(d))
        .find(|d| d.join("nightjar.service").is_file())
        .expect("nightjar.service is in the package");
    for (installed, source) in [
        (
            unit_dir.join("nightjar.service"),
            "systemd/nightjar.service",
        ),
        (
            root.join("usr/lib/sysusers.d/nightjar.conf"),
            "systemd/nightjar.sysusers",
        ),
        (
            root.join("usr/lib/tmpfiles.d/nightjar.conf"),
            "systemd/nightjar.tmpfile",
        ),
        (
            root.join("etc/nightjar/nightjar.toml"),
            "config/nightjar.toml",
        ),
        (
            root.join("usr/share/doc/nightjar/examples/seeds/example.toml"),
            "seeds/example.toml",
        ),
    ] {
        assert_eq!(
            fs::read(&installed).unwrap_or_else(|e| panic!("{}: {e}", installed.display())),
            fs::read(repo().join(source)).unwrap(),
            "{} is not {source}",
            installed.display()
        );
    }
    // The manual page, compressed as Debian wants it.
    let man = run(Command::new("gzip")
        .arg("-dc")
        .arg(root.join("usr/share/man/man1/nightjar.1.gz")));
    assert_eq!(
        String::from_utf8_lossy(&man.stdout),
        fs::read_to_string(repo().join("debian/nightjar.1")).unwrap()
    );
    // The scripts worked in the root, not on this machine.
    let host_after: Vec<bool> = host_traces.iter().map(|p| p.exists()).collect();
    assert_eq!(host_after, host_before, "{host_traces:?} on the host");
    assert_eq!(user_id(Path::new("/"), "nightjar"), host_user_before);
    // dpkg recorded the files' digests (lintian's no-md5sums-control-file is overridden
    // for that reason), and nothing differs from them.
    assert!(root.join("var/lib/dpkg/info/nightjar.md5sums").is_file());
    let verify = dpkg(&root, &["--verify", "nightjar"]);
    assert!(
        verify.stdout.is_empty(),
        "dpkg --verify: {}",
        describe(&verify)
    );
    // The configuration is a conffile.
    let conffiles = fs::read_to_string(root.join("var/lib/dpkg/info/nightjar.conffiles"))
        .expect("the package declares conffiles");
    assert_eq!(conffiles.trim(), "/etc/nightjar/nightjar.toml");

    // postinst: the system user, the directories with the unit's owners and modes, the
    // configuration readable by the daemon's group only; the service is not enabled.
    let (uid, gid) = user_id(&root, "nightjar").expect("postinst creates the user nightjar");
    assert!(uid > 0 && uid < 1000, "not a system user: {uid}");
    for (dir, want) in [
        ("var/lib/nightjar", (0o700, uid, gid)),
        ("var/cache/nightjar", (0o700, uid, gid)),
        ("var/log/nightjar", (0o700, uid, gid)),
        ("etc/nightjar", (0o750, 0, gid)),
        ("etc/nightjar/seeds", (0o2770, 0, gid)),
        ("etc/nightjar/nightjar.toml", (0o640, 0, gid)),
    ] {
        assert_eq!(
            mode_owner(&root.join(dir)),
            want,
            "/{dir}: (mode, uid, gid)"
        );
    }
    assert!(
        !root
            .join("etc/systemd/system/multi-user.target.wants/nightjar.service")
            .exists(),
        "the installation enabled the service; the operator does that"
    );

    // An archive, as the daemon leaves it (owned by nightjar), and an operator's edit of
    // the configuration.
    let ws = crawled_archive();
    let data = root.join("var/lib/nightjar");
    copy_into(&ws.data(), &data);
    let chown = run(Command::new("chown")
        .arg("-R")
        .arg(format!("{uid}:{gid}"))
        .arg(&data));
    assert!(chown.status.success(), "{}", describe(&chown));
    // `cp -a` gave the directory the workspace's mode; the daemon's is the unit's 0700.
    fs::set_permissions(&data, fs::Permissions::from_mode(0o700)).unwrap();
    let seed_file = root.join("etc/nightjar/seeds/board.toml");
    fs::write(&seed_file, "# the operator's seeds\n").unwrap();
    let config = root.join("etc/nightjar/nightjar.toml");
    let mut edited = fs::read_to_string(&config).unwrap();
    edited.push_str("\n# edited by the operator\n");
    fs::write(&config, &edited).unwrap();
    let archive = snapshot(&data);
    assert!(
        archive
            .keys()
            .any(|p| p.to_string_lossy().contains(".warc")),
        "no WARC file in the archive: {archive:?}"
    );

    // Upgrade to the next revision, then reinstall that revision over itself.
    let second_s = second.to_str().unwrap();
    dpkg(&root, &["--install", second_s]);
    dpkg(&root, &["--install", second_s]);
    let status = run(Command::new("dpkg-query")
        .arg(format!(
            "--admindir={}",
            root.join("var/lib/dpkg").display()
        ))
        .args(["-W", "-f", "${Version} ${db:Status-Abbrev}", "nightjar"]));
    assert_eq!(
        String::from_utf8_lossy(&status.stdout).trim(),
        "0.1.0-2 ii",
        "{}",
        describe(&status)
    );
    assert_eq!(snapshot(&data), archive, "an upgrade changed the archive");
    assert_eq!(fs::read_to_string(&config).unwrap(), edited);
    assert_eq!(
        mode_owner(&config),
        (0o640, 0, gid),
        "nightjar.toml after the upgrade"
    );

    // Removal keeps the configuration, the seeds and the archive.
    dpkg(&root, &["--remove", "nightjar"]);
    assert!(!installed.exists(), "the binary stays after removal");
    assert_eq!(fs::read_to_string(&config).unwrap(), edited);
    assert_eq!(snapshot(&data), archive, "removal changed the archive");

    // Purge asks nothing (stdin is closed), removes the conffile, keeps the archive, the
    // seed lists and the user, and says so.
    let purge = dpkg(&root, &["--purge", "nightjar"]);
    assert!(!config.exists(), "purge keeps the conffile");
    assert!(
        seed_file.is_file(),
        "purge removed the operator's seed list"
    );
    assert_eq!(snapshot(&data), archive, "purge changed the archive");
    assert_eq!(user_id(&root, "nightjar"), Some((uid, gid)));
    let said = String::from_utf8_lossy(&purge.stderr);
    assert!(
        said.contains("/var/lib/nightjar") && said.contains("kept"),
        "purge does not say the archive is kept:\n{said}"
    );

    // The archive is still whole: a copy verifies (the original is left as it is).
    let copy = tempfile::tempdir().unwrap();
    copy_into(&data, copy.path());
    let verify = run(Command::new(env!("CARGO_BIN_EXE_nightjar"))
        .arg("--config")
        .arg(&ws.config)
        .arg("--data")
        .arg(copy.path())
        .arg("verify"));
    assert!(verify.status.success(), "{}", describe(&verify));
}
