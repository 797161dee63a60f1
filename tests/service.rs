//! The systemd unit and its companion files (`systemd/`), checked with systemd's own tools:
//! `systemd-analyze security --offline=yes` must rate the unit 2.0 or lower ("OK" or
//! better), `systemd-analyze verify` must accept it in a root holding the real `nightjar`
//! binary where the unit expects it, and `systemd-sysusers` and `systemd-tmpfiles`, run
//! into a scratch root, must create the user, the group and the directories the unit
//! relies on, with the owners and modes it expects.
//!
//! The tools come with Debian's `systemd` package (tests/run-all.sh installs it). Nothing
//! here needs a running systemd: every check works on files.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::ErrorKind;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Highest acceptable overall exposure ("OK" ends at 2.0 in systemd-analyze's scale).
const MAX_EXPOSURE: f64 = 2.0;

/// Where the unit finds the binary: a manual install (systemd/README.md) puts it in
/// /usr/local/bin, the Debian package in /usr/bin; the unit names it without a directory
/// and systemd looks in both.
const INSTALLED_BINARIES: [&str; 2] = ["/usr/local/bin/nightjar", "/usr/bin/nightjar"];

/// The exposures the unit accepts, and why: anything else `systemd-analyze security` flags
/// is a regression, even while the overall score stays under the limit.
const ACCEPTED_EXPOSURES: &[(&str, &str)] = &[
    (
        "PrivateNetwork=",
        "a crawler has to reach web sites and Tor relays",
    ),
    (
        "IPAddressDeny=",
        "it must reach any address, and the resolver itself may be link-local",
    ),
    (
        "RestrictAddressFamilies=~AF_(INET|INET6)",
        "outbound TCP and the 127.0.0.1 metrics listener",
    ),
    (
        "RestrictAddressFamilies=~AF_UNIX",
        "the notify socket and the journal",
    ),
    (
        "RootDirectory=/RootImage=",
        "one binary in the host's tree, made read-only by ProtectSystem=strict",
    ),
    ("DeviceAllow=", "ProtectClock= itself adds char-rtc:r"),
];

/// Checks the unit must pass: the hardening the issue asks for by name.
const REQUIRED_PASSES: &[&str] = &[
    "User=/DynamicUser=",
    "ProtectSystem=",
    "ProtectHome=",
    "PrivateTmp=",
    "PrivateDevices=",
    "PrivateUsers=",
    "NoNewPrivileges=",
    "CapabilityBoundingSet=~CAP_SYS_ADMIN",
    "CapabilityBoundingSet=~CAP_NET_ADMIN",
    "CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)",
    "AmbientCapabilities=",
    "RestrictAddressFamilies=~AF_PACKET",
    "RestrictAddressFamilies=~AF_NETLINK",
    "SystemCallFilter=~@privileged",
    "SystemCallFilter=~@mount",
    "SystemCallFilter=~@debug",
    "SystemCallArchitectures=",
    "MemoryDenyWriteExecute=",
    "ProtectKernelTunables=",
    "ProtectKernelModules=",
    "ProtectKernelLogs=",
    "ProtectControlGroups=",
    "ProtectClock=",
    "ProtectHostname=",
    "ProtectProc=",
    "ProcSubset=",
    "RestrictNamespaces=~user",
    "RestrictRealtime=",
    "RestrictSUIDSGID=",
    "LockPersonality=",
    "RemoveIPC=",
    "KeyringMode=",
    "NotifyAccess=",
    "UMask=",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crawler/ has a parent")
        .to_path_buf()
}

fn systemd_file(name: &str) -> PathBuf {
    repo().join("systemd").join(name)
}

/// Runs one of systemd's tools. A missing tool fails the test and says what to install.
fn run<I, S>(tool: &str, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    match Command::new(tool)
        .args(args)
        .env("SYSTEMD_PAGER", "")
        .output()
    {
        Ok(out) => out,
        Err(e) if e.kind() == ErrorKind::NotFound => panic!(
            "`{tool}` not found: install the Debian package `systemd` \
             (`apt-get install systemd`; tests/run-all.sh does)"
        ),
        Err(e) => panic!("cannot run {tool}: {e}"),
    }
}

fn describe(out: &Output) -> String {
    format!(
        "{}\n--- stdout\n{}--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The `Key=value` settings of one section of a unit file, in order (comments and blank
/// lines skipped; the unit uses no line continuations, which this asserts).
fn settings(unit: &str, section: &str) -> Vec<(String, String)> {
    let mut current = String::new();
    let mut out = Vec::new();
    for line in unit.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        assert!(
            !line.ends_with('\\'),
            "line continuation in the unit: {line}"
        );
        if line.starts_with('[') && line.ends_with(']') {
            current = line[1..line.len() - 1].to_string();
        } else if current == section {
            let (key, value) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("not a setting: {line}"));
            out.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    out
}

fn unit_text() -> String {
    fs::read_to_string(systemd_file("nightjar.service")).expect("systemd/nightjar.service")
}

/// The value of a [Service] setting that must be set exactly once.
fn service_setting(unit: &str, key: &str) -> String {
    let values: Vec<String> = settings(unit, "Service")
        .into_iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v)
        .collect();
    assert_eq!(values.len(), 1, "{key}= set {} times", values.len());
    values.into_iter().next().unwrap()
}

/// A command line of the unit, split on white space (it uses no quoting), without the
/// special executable prefixes (`-`, `@`, `:`, `+`, `!`).
fn command_line(unit: &str, key: &str) -> Vec<String> {
    let value = service_setting(unit, key);
    let value = value.trim_start_matches(['-', '@', ':', '+', '!']);
    assert!(
        !value.contains(['"', '\'']),
        "{key}= uses quoting, which this test does not parse: {value}"
    );
    value.split_whitespace().map(str::to_string).collect()
}

/// The value following `flag` on a command line.
fn flag_value<'a>(argv: &'a [String], flag: &str) -> &'a str {
    let i = argv
        .iter()
        .position(|a| a == flag)
        .unwrap_or_else(|| panic!("{flag} missing from {argv:?}"));
    argv.get(i + 1)
        .unwrap_or_else(|| panic!("{flag} without a value in {argv:?}"))
}

/// "Overall exposure level for nightjar.service: 1.1 OK …" → 1.1.
fn overall_exposure(report: &str, unit_name: &str) -> Option<f64> {
    let marker = format!("Overall exposure level for {unit_name}:");
    let line = report.lines().find(|l| l.contains(&marker))?;
    let rest = &line[line.find(&marker)? + marker.len()..];
    rest.split_whitespace().next()?.parse().ok()
}

/// One row of the security table: its name and, when it is flagged, its exposure.
#[derive(Debug)]
struct Check {
    name: String,
    exposure: Option<f64>,
}

/// The rows of `systemd-analyze security`'s table. A row starts with ✓ (or `+` outside a
/// UTF-8 locale) when the unit passes the check, with ✗ (`-`) when it does not, followed by
/// the name; a flagged row ends with its exposure.
fn checks(report: &str) -> Vec<Check> {
    let mut out = Vec::new();
    for line in report.lines() {
        if line.contains("Overall exposure level") {
            continue;
        }
        let mut words = line.split_whitespace();
        let passed = match words.next() {
            Some("✓") | Some("+") => true,
            Some("✗") | Some("-") => false,
            _ => continue,
        };
        let words: Vec<&str> = words.collect();
        let name = words.first().expect("a check row has a name").to_string();
        let exposure = if passed {
            None
        } else {
            let last = words.last().unwrap();
            Some(
                last.parse()
                    .unwrap_or_else(|_| panic!("flagged row without an exposure: {line}")),
            )
        };
        out.push(Check { name, exposure });
    }
    out
}

fn security_report(unit_path: &Path) -> Output {
    run(
        "systemd-analyze",
        [
            OsStr::new("security"),
            OsStr::new("--offline=yes"),
            OsStr::new("--no-pager"),
            // The same limit on systemd-analyze's own 0-100 scale: the command itself
            // fails above it.
            OsStr::new("--threshold=20"),
            unit_path.as_os_str(),
        ],
    )
}

#[test]
fn security_exposure_is_ok_or_better() {
    let out = security_report(&systemd_file("nightjar.service"));
    let report = String::from_utf8_lossy(&out.stdout);
    let score = overall_exposure(&report, "nightjar.service")
        .unwrap_or_else(|| panic!("no overall exposure line:\n{}", describe(&out)));
    println!("systemd-analyze security --offline=yes: overall exposure {score:.1}");
    assert!(
        score <= MAX_EXPOSURE,
        "exposure {score} is above {MAX_EXPOSURE}:\n{}",
        describe(&out)
    );
    assert!(
        out.status.success(),
        "systemd-analyze security --threshold=20 failed:\n{}",
        describe(&out)
    );

    let checks = checks(&report);
    assert!(
        checks.len() >= 60,
        "only {} rows parsed from the security table:\n{report}",
        checks.len()
    );
    let unexpected: Vec<&Check> = checks
        .iter()
        .filter(|c| c.exposure.is_some())
        .filter(|c| !ACCEPTED_EXPOSURES.iter().any(|(name, _)| *name == c.name))
        .collect();
    assert!(
        unexpected.is_empty(),
        "exposures the unit does not accept: {unexpected:?}\n{report}"
    );
    for name in REQUIRED_PASSES {
        let check = checks
            .iter()
            .find(|c| c.name == *name)
            .unwrap_or_else(|| panic!("no `{name}` row in the security table:\n{report}"));
        assert!(
            check.exposure.is_none(),
            "`{name}` is flagged: {check:?}\n{report}"
        );
    }
    assert!(
        report
            .lines()
            .any(|l| l.contains("ProtectSystem=") && l.contains("strict")),
        "ProtectSystem= is not strict:\n{report}"
    );
}

/// The analysis reads the file it is given: without its sandbox the same unit scores far
/// worse (and the threshold makes the command fail), so the score above is the unit's.
#[test]
fn security_analysis_rates_the_unit_without_its_sandbox_as_exposed() {
    let unit = unit_text();
    let sandbox_keys = [
        "Protect",
        "Private",
        "Restrict",
        "SystemCall",
        "Capability",
        "NoNewPrivileges",
        "MemoryDenyWriteExecute",
        "LockPersonality",
        "ProcSubset",
        "DevicePolicy",
        "RemoveIPC",
        "KeyringMode",
        "UMask",
    ];
    let stripped: String = unit
        .lines()
        .filter(|l| !sandbox_keys.iter().any(|k| l.trim_start().starts_with(k)))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        stripped.len() < unit.len(),
        "no sandbox setting found to remove"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nightjar.service");
    fs::write(&path, stripped).unwrap();

    let out = security_report(&path);
    let report = String::from_utf8_lossy(&out.stdout);
    let score = overall_exposure(&report, "nightjar.service")
        .unwrap_or_else(|| panic!("no overall exposure line:\n{}", describe(&out)));
    assert!(
        score > 5.0,
        "the unit without its sandbox scored {score}:\n{}",
        describe(&out)
    );
    assert!(
        !out.status.success(),
        "--threshold=20 did not fail at exposure {score}:\n{}",
        describe(&out)
    );
}

/// Hard-links (or, across file systems, copies) an executable to `to`.
fn place_executable(from: &Path, to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    if fs::hard_link(from, to).is_err() {
        fs::copy(from, to)
            .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
    }
    assert!(fs::metadata(to).unwrap().permissions().mode() & 0o111 != 0);
}

/// Copies a directory of unit files, keeping symbolic links as links.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `--root=DIR`.
fn root_arg(root: &Path) -> OsString {
    let mut arg = OsString::from("--root=");
    arg.push(root);
    arg
}

fn verify(root: &Path) -> Output {
    run(
        "systemd-analyze",
        [
            OsString::from("verify"),
            OsString::from("--no-pager"),
            // Judge this unit only, not the host's units it pulls in (multi-user.target,
            // network-online.target, …); in this mode a warning about the unit (an unknown
            // key, a bad value) also makes the command fail.
            OsString::from("--recursive-errors=no"),
            // Documentation=man:nightjar(1) is looked up with the host's `man`, not in the
            // root; the Debian package's test (tests/package.rs) checks that page.
            OsString::from("--man=no"),
            root_arg(root),
            OsString::from("nightjar.service"),
        ],
    )
}

/// `systemd-analyze verify` checks that every command of the unit exists and is executable
/// (on the machine it runs on), so it is run with `--root` on a scratch root laid out like
/// an installation: the unit in /etc/systemd/system, the host's own units (for the targets
/// it is ordered against), the freshly built `nightjar` (at /usr/local/bin, then at /usr/bin) and the
/// host's `kill` where ExecReload= expects it.
#[test]
fn unit_verifies_in_a_root_holding_its_executables() {
    let unit = unit_text();
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();

    let host_units = ["/usr/lib/systemd/system", "/lib/systemd/system"]
        .iter()
        .map(Path::new)
        .find(|d| d.join("multi-user.target").exists())
        .unwrap_or_else(|| {
            panic!(
                "systemd's unit files (multi-user.target) not found: install the Debian \
                 package `systemd`"
            )
        });
    copy_tree(host_units, &root.join("usr/lib/systemd/system"));
    // Merged /usr, as on Debian 12: links into /lib/systemd/system resolve in the root.
    std::os::unix::fs::symlink("usr/lib", root.join("lib")).unwrap();
    let unit_dir = root.join("etc/systemd/system");
    fs::create_dir_all(&unit_dir).unwrap();
    fs::write(unit_dir.join("nightjar.service"), &unit).unwrap();

    let start = command_line(&unit, "ExecStart");
    assert_eq!(
        start[0], "nightjar",
        "ExecStart= names the binary without a directory, so that systemd finds a manual \
         install and the Debian package's alike"
    );
    let reload = command_line(&unit, "ExecReload");
    let reload_tool = Path::new(&reload[0]);
    assert!(reload_tool.is_absolute(), "ExecReload= {reload:?}");
    let host_tool = fs::canonicalize(reload_tool).unwrap_or_else(|e| {
        panic!(
            "{} (ExecReload=) not found on this machine: {e}; it comes with the Debian \
             package `procps`",
            reload_tool.display()
        )
    });
    place_executable(
        &host_tool,
        &root.join(reload_tool.strip_prefix("/").unwrap()),
    );

    // Without the binary verify must fail and say so: it really checks the root.
    let out = verify(root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("nightjar"),
        "verify did not notice that nightjar is missing:\n{}",
        describe(&out)
    );

    // Found where a manual install puts it, and where the package does.
    let built = Path::new(env!("CARGO_BIN_EXE_nightjar"));
    for installed in INSTALLED_BINARIES {
        let at = root.join(installed.trim_start_matches('/'));
        place_executable(built, &at);
        let out = verify(root);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let complaints: Vec<&str> = stderr.lines().filter(|l| l.contains("nightjar")).collect();
        assert!(
            out.status.success() && complaints.is_empty(),
            "systemd-analyze verify rejects the unit with the binary at {installed}:\n{}",
            describe(&out)
        );
        fs::remove_file(&at).unwrap();
    }

    // The binary accepts the unit's command line (global options and subcommand): with
    // --help appended it prints the subcommand's help instead of starting the daemon.
    let out = Command::new(built)
        .args(&start[1..])
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "nightjar rejects the command line of ExecStart= {start:?}:\n{}",
        describe(&out)
    );
}

/// (uid, gid, home, shell) of `name` in a passwd file.
fn passwd_entry(passwd: &str, name: &str) -> Option<(u32, u32, String, String)> {
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() == 7 && f[0] == name).then(|| {
            (
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                f[5].to_string(),
                f[6].to_string(),
            )
        })
    })
}

fn group_id(group: &str, name: &str) -> Option<u32> {
    group.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() == 4 && f[0] == name).then(|| f[2].parse().unwrap())
    })
}

/// The directories the unit relies on, with mode, owner and group: its own directories
/// (created by systemd too, with the unit's modes) and the seeds directory.
fn expected_directories(unit: &str) -> Vec<(String, u32, String, String)> {
    let user = service_setting(unit, "User");
    let group = service_setting(unit, "Group");
    let mode = |key: &str| {
        u32::from_str_radix(&service_setting(unit, &format!("{key}Mode")), 8)
            .unwrap_or_else(|e| panic!("{key}Mode=: {e}"))
    };
    let mut dirs = Vec::new();
    for (key, base) in [
        ("StateDirectory", "/var/lib"),
        ("CacheDirectory", "/var/cache"),
        ("LogsDirectory", "/var/log"),
    ] {
        let path = format!("{base}/{}", service_setting(unit, key));
        dirs.push((path, mode(key), user.clone(), group.clone()));
    }
    // Configuration: root's, readable by the service's group (systemd never chowns it).
    let config = format!("/etc/{}", service_setting(unit, "ConfigurationDirectory"));
    dirs.push((
        config.clone(),
        mode("ConfigurationDirectory"),
        "root".into(),
        group.clone(),
    ));

    // The command line uses exactly these paths.
    let start = command_line(unit, "ExecStart");
    assert_eq!(flag_value(&start, "--data"), dirs[0].0, "--data");
    let config_file = Path::new(flag_value(&start, "--config"));
    assert_eq!(config_file.parent(), Some(Path::new(&config)), "--config");
    let seeds = flag_value(&start, "--seeds");
    assert_eq!(
        Path::new(seeds).parent(),
        Some(Path::new(&config)),
        "--seeds"
    );
    // Seeds: group-writable for `nightjar seeds` run as the service user, set-group-ID so
    // every seed file belongs to the group (see systemd/nightjar.tmpfile).
    dirs.push((seeds.to_string(), 0o2770, "root".into(), group));
    dirs
}

/// `systemd-sysusers` and `systemd-tmpfiles`, run on the files as shipped into a scratch
/// root, create the service's user and group and every directory the unit needs, with its
/// owners and modes; a second run of systemd-tmpfiles repairs a directory whose mode was
/// loosened.
#[test]
fn sysusers_and_tmpfiles_create_the_user_and_its_directories() {
    let unit = unit_text();
    let root_dir = tempfile::tempdir().unwrap();
    let root = root_dir.path();
    fs::create_dir(root.join("etc")).unwrap();
    let as_root = fs::metadata(root).unwrap().uid() == 0;

    let root_arg = root_arg(root);
    let sysusers = systemd_file("nightjar.sysusers");
    let out = run(
        "systemd-sysusers",
        [root_arg.as_os_str(), sysusers.as_os_str()],
    );
    assert!(
        out.status.success(),
        "systemd-sysusers failed:\n{}",
        describe(&out)
    );

    let user = service_setting(&unit, "User");
    let group = service_setting(&unit, "Group");
    let passwd = fs::read_to_string(root.join("etc/passwd")).unwrap();
    let groups = fs::read_to_string(root.join("etc/group")).unwrap();
    let (uid, gid, home, shell) = passwd_entry(&passwd, &user)
        .unwrap_or_else(|| panic!("no user {user} in the root's passwd:\n{passwd}"));
    assert!(
        uid > 0 && uid < 1000,
        "{user} is not a system user: uid {uid}"
    );
    assert_eq!(
        group_id(&groups, &group),
        Some(gid),
        "group {group} (primary group of {user}):\n{groups}"
    );
    assert_eq!(
        home,
        format!("/var/lib/{}", service_setting(&unit, "StateDirectory")),
        "home directory"
    );
    assert!(
        shell.ends_with("/nologin"),
        "{user} has a login shell: {shell}"
    );

    let tmpfiles = systemd_file("nightjar.tmpfile");
    let create = || {
        run(
            "systemd-tmpfiles",
            [
                root_arg.as_os_str(),
                OsStr::new("--create"),
                tmpfiles.as_os_str(),
            ],
        )
    };
    let check_created = |out: &Output| {
        if as_root {
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "systemd-tmpfiles:\n{}",
                describe(out)
            );
        } else {
            // Only root can hand files to another user: everything but the chown must work.
            let stderr = String::from_utf8_lossy(&out.stderr);
            let other: Vec<&str> = stderr
                .lines()
                .filter(|l| !(l.contains("chown") && l.contains("Operation not permitted")))
                .collect();
            assert!(other.is_empty(), "systemd-tmpfiles:\n{}", describe(out));
            eprintln!("not root: owners and set-group-ID bits not checked");
        }
    };
    let id_of = |name: &str| if name == "root" { 0 } else { uid };
    let gid_of = |name: &str| if name == "root" { 0 } else { gid };
    let check_dirs = || {
        for (path, mode, owner, group) in expected_directories(&unit) {
            let meta = fs::metadata(root.join(path.trim_start_matches('/')))
                .unwrap_or_else(|e| panic!("{path} not created: {e}"));
            assert!(meta.is_dir(), "{path} is not a directory");
            let got = meta.permissions().mode() & 0o7777;
            if as_root {
                assert_eq!(got, mode, "{path}: mode {got:04o}, want {mode:04o}");
                assert_eq!(meta.uid(), id_of(&owner), "{path}: owner, want {owner}");
                assert_eq!(meta.gid(), gid_of(&group), "{path}: group, want {group}");
            } else {
                assert_eq!(got & 0o777, mode & 0o777, "{path}: mode {got:04o}");
            }
        }
    };

    let out = create();
    check_created(&out);
    check_dirs();

    // Loosen two modes; the next run (as at every boot) puts them back.
    let state = root
        .join("var/lib")
        .join(service_setting(&unit, "StateDirectory"));
    fs::set_permissions(&state, fs::Permissions::from_mode(0o755)).unwrap();
    let config = root
        .join("etc")
        .join(service_setting(&unit, "ConfigurationDirectory"));
    fs::set_permissions(&config, fs::Permissions::from_mode(0o755)).unwrap();
    let out = create();
    check_created(&out);
    check_dirs();
}
