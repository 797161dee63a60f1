//! Chain of custody, against a real archive written by crawling a site on 127.0.0.1: the
//! tamper suite (each kind of tampering is named by `nightjar verify`), and a crash during
//! rotation (the interrupted file is sealed on recovery and the chain stays continuous).

mod harness;

use std::path::Path;
use std::time::Duration;

use archive::custody::key::NodeKey;
use archive::custody::seal::{seal_path, Seal};
use harness::evidence::{blob_site as site, closed_warcs as warcs, copy_of};
use harness::site::{Page, Site};
use harness::{warcio_accepts, Workspace};

const HOST: &str = "evidence.test";

const CONFIG: &str = "[archive]\nmax_file_mib = 1\n[politeness]\nrobots = \"ignore\"\nrate_per_sec = 1000.0\n[custody]\ncheckpoint_every = 4\n";

/// `nightjar verify` on `data`: it must fail, and name `expected`.
fn verify_names(ws: &Workspace, data: &Path, case: &str, expected: &[&str]) {
    let out = ws.run(&["verify", &data.to_string_lossy()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{case}: verify must fail:\n{text}"
    );
    for e in expected {
        assert!(text.contains(e), "{case}: expected '{e}' in:\n{text}");
    }
}

/// Why the tampering checks on copies of a data directory run on SQLite only: the copy
/// carries the index (nightjar.db) there, while on PostgreSQL the index stays on the server.
const COPIES: &str = "the tampering is done on copies of the data directory, and only on \
     SQLite does a copy carry its index";

/// (offset, length, warc_type) of the records of `file`, from the index.
fn frames(data: &Path, file: &Path) -> Vec<(u64, u64, String)> {
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!(
            "sqlite://{}",
            data.join("nightjar.db").display()
        ))
        .await
        .unwrap();
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT file_offset, length, warc_type FROM warc_records WHERE file = ? ORDER BY file_offset",
        )
        .bind(&name)
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        rows.into_iter()
            .map(|(o, l, t)| (o as u64, l as u64, t))
            .collect()
    })
}

#[test]
fn every_kind_of_tampering_is_named_by_verify() {
    let site = site(8);
    let ws = Workspace::new(CONFIG);
    if ws.sqlite_only(COPIES) {
        return;
    }
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "1"],
    );
    let data = ws.data();
    let files = warcs(&data);
    assert!(files.len() >= 3, "several files: {files:?}");
    for f in &files {
        assert!(seal_path(f).exists(), "{} is sealed", f.display());
        warcio_accepts(f);
    }
    ws.verify_ok();
    // The node key: private to its owner, named in every warcinfo.
    let key_out = ws.ok(&["key", "show"]);
    let fingerprint = key_out
        .lines()
        .find_map(|l| l.strip_prefix("fingerprint: "))
        .expect("key show prints the fingerprint")
        .to_string();
    let plain = harness::plain_warc(&files[0]);
    let text = String::from_utf8_lossy(&std::fs::read(&plain).unwrap()).to_string();
    assert!(
        text.contains(&format!("node-key: {fingerprint}")),
        "warcinfo names the key"
    );
    assert!(
        text.contains("chain-head: sha256:"),
        "checkpoints in the file"
    );

    let second = |d: &Path| warcs(d)[1].clone();
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().to_string();

    // 1. A flipped byte in the middle of a file.
    let t = copy_of(&data);
    let f = second(t.path());
    let mut bytes = std::fs::read(&f).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&f, &bytes).unwrap();
    verify_names(
        &ws,
        t.path(),
        "flipped byte",
        &[&name(&f), "its bytes changed"],
    );

    // 2. A record deleted (a metadata record from the middle of the file).
    let t = copy_of(&data);
    let f = second(t.path());
    let fr = frames(t.path(), &f);
    let (off, len, _) = fr.iter().find(|x| x.2 == "metadata").cloned().unwrap();
    let mut bytes = std::fs::read(&f).unwrap();
    bytes.drain(off as usize..(off + len) as usize);
    std::fs::write(&f, &bytes).unwrap();
    verify_names(
        &ws,
        t.path(),
        "deleted record",
        &[
            "1 record(s) before it are missing or were moved",
            "records in the file",
        ],
    );

    // 3. A record inserted (a copy of a request record, right after it).
    let t = copy_of(&data);
    let f = second(t.path());
    let fr = frames(t.path(), &f);
    let (off, len, _) = fr.iter().find(|x| x.2 == "request").cloned().unwrap();
    let mut bytes = std::fs::read(&f).unwrap();
    let copy = bytes[off as usize..(off + len) as usize].to_vec();
    let at = (off + len) as usize;
    bytes.splice(at..at, copy);
    std::fs::write(&f, &bytes).unwrap();
    verify_names(
        &ws,
        t.path(),
        "inserted record",
        &["1 record(s) before it were added", "not in the index"],
    );

    // 4. Two records swapped (a request and the response after it).
    let t = copy_of(&data);
    let f = second(t.path());
    let fr = frames(t.path(), &f);
    let i = fr.iter().position(|x| x.2 == "request").unwrap();
    let (a, b) = (fr[i].clone(), fr[i + 1].clone());
    let mut bytes = std::fs::read(&f).unwrap();
    let (ra, rb) = (
        bytes[a.0 as usize..(a.0 + a.1) as usize].to_vec(),
        bytes[b.0 as usize..(b.0 + b.1) as usize].to_vec(),
    );
    let mut swapped = rb;
    swapped.extend(ra);
    bytes.splice(a.0 as usize..(b.0 + b.1) as usize, swapped);
    std::fs::write(&f, &bytes).unwrap();
    verify_names(
        &ws,
        t.path(),
        "swapped records",
        &["chain broken here", "records were reordered"],
    );

    // 5. A truncated file.
    let t = copy_of(&data);
    let f = second(t.path());
    let len = std::fs::metadata(&f).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&f)
        .unwrap()
        .set_len(len - 100)
        .unwrap();
    verify_names(&ws, t.path(), "truncated file", &["truncated or extended"]);

    // 6. A file deleted from the middle of the chain (with its seal).
    let t = copy_of(&data);
    let f = second(t.path());
    std::fs::remove_file(&f).unwrap();
    std::fs::remove_file(seal_path(&f)).unwrap();
    verify_names(
        &ws,
        t.path(),
        "deleted file",
        &["a file between them was removed", "before it are missing"],
    );

    // 7. An edited seal (one more record claimed).
    let t = copy_of(&data);
    let sp = seal_path(&warcs(t.path())[0]);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&sp).unwrap()).unwrap();
    v["records"] = (v["records"].as_u64().unwrap() + 1).into();
    std::fs::write(&sp, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    verify_names(&ws, t.path(), "edited seal", &["edited after signing"]);

    // 8. An edited index row (a capture's status).
    let t = copy_of(&data);
    harness::sql(
        t.path(),
        &["UPDATE captures SET status = 404 WHERE id = (SELECT MIN(id) FROM captures WHERE status = 200)".into()],
    );
    verify_names(&ws, t.path(), "edited index row", &["indexed status 404"]);

    // 9. A seal signed by another key (re-signed, so its signature is valid).
    let t = copy_of(&data);
    let sp = seal_path(&warcs(t.path())[0]);
    let other = NodeKey::load_or_create(&t.path().join("other.key")).unwrap();
    let mut seal = Seal::read(&sp).unwrap();
    seal.public_key = other.public_hex();
    seal.signature = other.sign_hex(&seal.signed_bytes());
    std::fs::write(&sp, serde_json::to_vec_pretty(&seal).unwrap()).unwrap();
    verify_names(&ws, t.path(), "foreign key", &["signed by another key"]);
}

#[test]
fn a_kill_during_rotation_leaves_a_sealed_continuous_chain_after_restart() {
    let site = site(12);
    // Four pages a second: the crawl is still writing when it is killed.
    let ws = Workspace::new(&CONFIG.replace("rate_per_sec = 1000.0", "rate_per_sec = 4.0"));
    let args = |ws: &Workspace| {
        let mut c = ws.cmd(&[
            "crawl",
            &site.url(HOST, "/"),
            "--resolve",
            &site.resolve(HOST),
            "--depth",
            "1",
        ]);
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    // Kill -9 once several files exist, while more are being written.
    let child = harness::KillOnDrop(Some(args(&ws).spawn().unwrap()));
    harness::wait_until("a second file", Duration::from_secs(60), || {
        std::fs::read_dir(ws.warcs())
            .map(|d| d.count() >= 3)
            .unwrap_or(false)
    });
    let mut child = child.take();
    assert!(
        child.try_wait().unwrap().is_none(),
        "the crawl is still running when it is killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    // The next run recovers, seals what was interrupted, and finishes the crawl.
    let out = harness::wait_bounded(args(&ws).spawn().unwrap(), Duration::from_secs(120));
    assert!(out.status.success());
    for f in warcs(&ws.data()) {
        assert!(seal_path(&f).exists(), "{} sealed", f.display());
    }
    assert!(!std::fs::read_dir(ws.warcs()).unwrap().any(|e| e
        .unwrap()
        .path()
        .to_string_lossy()
        .ends_with(".open")));
    ws.verify_ok();
    for i in 0..12 {
        assert!(
            !ws.ok(&["captures", &site.url(HOST, &format!("/blob/{i}"))])
                .starts_with("no captures"),
            "/blob/{i} captured"
        );
    }
}

#[test]
fn an_export_is_a_valid_signed_wacz_that_replays_and_verifies_on_its_own() {
    let site = Site::start();
    let body = "<html><head><title>Ad</title></head><body><p>Room, ask for Ana</p></body></html>";
    site.put("/ad.html", Page::html(body));
    let ws =
        Workspace::new("[archive]\ncompression = \"zstd\"\n[politeness]\nrobots = \"ignore\"\n");
    let url = site.url(HOST, "/ad.html");
    let crawl = || ws.crawl(&url, &[site.resolve(HOST)], &["--depth", "0"]);
    crawl();
    std::thread::sleep(Duration::from_millis(1100));
    crawl();
    let caps: Vec<serde_json::Value> = ws
        .ok(&["captures", &url, "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(caps[1]["warc_type"], "revisit");
    let revisit = caps[1]["id"].as_i64().unwrap().to_string();

    // Export only the revisit: its original comes along.
    let out = ws.dir.path().join("case.wacz");
    let msg = ws.ok(&[
        "export",
        "--capture",
        &revisit,
        "--case",
        "CASE-2026-17",
        "--reason",
        "warrant 4711: advert offering a room",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(msg.contains("exported 2 captures"), "{msg}");

    // Independent checks: wacz validate, warcio on the WARC inside, pywb replay.
    let v = harness::tool("wacz", &["validate", "-f", &out.to_string_lossy()]);
    let vt = String::from_utf8_lossy(&v.stdout);
    assert!(
        v.status.success() && vt.contains("Validation succeeded"),
        "wacz validate:\n{vt}{}",
        String::from_utf8_lossy(&v.stderr)
    );
    let x = tempfile::tempdir().unwrap();
    harness::unzip(&out, x.path());
    warcio_accepts(&x.path().join("archive/data.warc.gz"));
    let checked = harness::package_checks_independently(&out);
    // One node: unnamed on SQLite, named after the node on a shared database.
    let nodes = checked["nodes"].as_object().unwrap();
    assert_eq!(nodes.len(), 1, "{checked}");
    assert_eq!(nodes.values().next().unwrap()["captures"], 2, "{checked}");
    let custody: serde_json::Value =
        serde_json::from_slice(&std::fs::read(x.path().join("custody/custody.json")).unwrap())
            .unwrap();
    assert_eq!(custody["case"], "CASE-2026-17");
    assert_eq!(custody["reason"], "warrant 4711: advert offering a room");
    assert!(!custody["exported_by"].as_str().unwrap().is_empty());
    let included: Vec<&str> = custody["captures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["included_as"].as_str().unwrap())
        .collect();
    assert!(included.contains(&"selected"));
    assert!(included
        .iter()
        .any(|i| i.starts_with("original of revisit")));
    let md = std::fs::read_to_string(x.path().join("custody/custody.md")).unwrap();
    assert!(md.contains("CASE-2026-17") && md.contains(&url), "{md}");
    assert!(
        std::fs::read_dir(x.path().join("seals")).unwrap().count() >= 2,
        "the seals of both source files"
    );

    // pywb replays the revisit from the package with the original's body.
    let mut pywb = harness::pywb::Pywb::new("case");
    pywb.add_wacz(&out);
    let got = pywb.replay(
        &harness::pywb::ts14(caps[1]["captured_at"].as_str().unwrap()),
        &url,
    );
    assert!(got.ends_with(body), "{got}");

    // nightjar verifies the package alone, and names a changed file.
    let ok = ws.ok(&["verify", &out.to_string_lossy()]);
    assert!(ok.trim_end().ends_with("OK"), "{ok}");
    let fingerprint = ws
        .ok(&["key", "show"])
        .lines()
        .find_map(|l| l.strip_prefix("fingerprint: ").map(str::to_string))
        .unwrap();
    assert!(
        ok.contains(&format!("NOTE package signed by node key {fingerprint}")),
        "{ok}"
    );
    // Another node (its own key) does not take the package for its own.
    let elsewhere = Workspace::new("");
    elsewhere.ok(&["key", "show"]);
    let foreign = elsewhere.run(&["verify", &out.to_string_lossy()]);
    let text = String::from_utf8_lossy(&foreign.stdout);
    assert_eq!(foreign.status.code(), Some(1), "{text}");
    assert!(
        text.contains("signed by another key than this node's"),
        "{text}"
    );
    let edited = ws.dir.path().join("edited.wacz");
    let o = harness::tool(
        "python3",
        &[
            "-c",
            "import sys, zipfile\n\
             src, dst = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], 'w')\n\
             for i in src.infolist():\n\
             \x20   data = src.read(i)\n\
             \x20   if i.filename == 'custody/custody.json': data = data.replace(b'warrant 4711', b'warrant 4712')\n\
             \x20   dst.writestr(i, data)\n\
             dst.close()",
            &out.to_string_lossy(),
            &edited.to_string_lossy(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bad = ws.run(&["verify", &edited.to_string_lossy()]);
    let text = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{text}");
    assert!(
        text.contains("custody/custody.json") && text.contains("the file was changed"),
        "{text}"
    );
}

#[test]
fn a_large_export_shows_progress() {
    let site = site(8);
    let ws = Workspace::new(CONFIG);
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "1"],
    );
    let out = ws.dir.path().join("all.wacz");
    let o = ws.run(&[
        "export",
        "--url",
        &site.url(HOST, "/blob/1"),
        "--case",
        "C",
        "--reason",
        "r",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(o.status.success());
    let seed = format!("cli:{}", site.url(HOST, "/"));
    let o = ws.run(&[
        "export",
        "--seed",
        &seed,
        "--since",
        "1h",
        "--case",
        "C",
        "--reason",
        "r",
        "--out",
        &out.to_string_lossy(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("exporting: 50%"), "progress on stderr: {err}");
    let ok = ws.ok(&["verify", &out.to_string_lossy()]);
    assert!(ok.trim_end().ends_with("OK"), "{ok}");
    // Bad requests get clear errors and write nothing.
    let none = ws.run(&[
        "export",
        "--case",
        "C",
        "--reason",
        "r",
        "--out",
        "/tmp/never.wacz",
    ]);
    assert_eq!(none.status.code(), Some(2));
    let said = String::from_utf8_lossy(&none.stderr);
    assert!(
        said.contains("--url URL, --seed LABEL, --site NAME or --capture ID"),
        "{said}"
    );
    let missing = ws.run(&[
        "export",
        "--capture",
        "99999",
        "--case",
        "C",
        "--reason",
        "r",
        "--out",
        "/tmp/never.wacz",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(!Path::new("/tmp/never.wacz").exists());
}

#[test]
fn seals_carry_rfc3161_timestamps_from_a_tsa_and_verify_checks_them() {
    // A local TSA built from `openssl ts` (tests/tools/tsa.py).
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/tools/tsa.py");
    // Its keys and certificates go in a directory this test removes, even when the TSA is
    // killed rather than stopped.
    let tsa_tmp = tempfile::tempdir().unwrap();
    let mut tsa = std::process::Command::new("python3")
        .arg(script)
        .env("TMPDIR", tsa_tmp.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(tsa.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let _tsa = harness::KillOnDrop(Some(tsa));
    let parts: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(parts.first(), Some(&"ready"), "{line}");
    let (port, ca) = (parts[1], parts[2]);

    let site = site(4);
    let ws = Workspace::new(&format!(
        "{CONFIG}tsa_url = \"http://127.0.0.1:{port}/tsr\"\ntsa_ca_file = \"{ca}\"\n"
    ));
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "1"],
    );
    let files = warcs(&ws.data());
    assert!(files.len() >= 2);
    for f in &files {
        let seal = Seal::read(&seal_path(f)).unwrap();
        let t = seal.timestamp.expect("every seal is timestamped");
        assert!(t.tsa_url.contains(port));
        // openssl itself, outside nightjar, accepts the token for the seal's hash.
        let dir = tempfile::tempdir().unwrap();
        let token = dir.path().join("t.tsr");
        std::fs::write(&token, hex::decode(&t.response).unwrap()).unwrap();
        let o = harness::tool(
            "openssl",
            &[
                "ts",
                "-verify",
                "-digest",
                t.hash.trim_start_matches("sha256:"),
                "-in",
                &token.to_string_lossy(),
                "-CAfile",
                ca,
            ],
        );
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Verification: OK"),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    ws.verify_ok();
    if ws.sqlite_only(COPIES) {
        return;
    }

    // A token that is not for this seal (another seal's) is named.
    let t = copy_of(&ws.data());
    let all = warcs(t.path());
    let (a, b) = (seal_path(&all[0]), seal_path(&all[1]));
    let mut sa = Seal::read(&a).unwrap();
    let sb = Seal::read(&b).unwrap();
    sa.timestamp = sb.timestamp.clone();
    std::fs::write(&a, serde_json::to_vec_pretty(&sa).unwrap()).unwrap();
    verify_names(
        &ws,
        t.path(),
        "swapped timestamp",
        &["timestamp is for another version"],
    );
    // A forged token (one byte changed in the TSA's signature area) fails openssl's check.
    let t = copy_of(&ws.data());
    let a = seal_path(&warcs(t.path())[0]);
    let mut sa = Seal::read(&a).unwrap();
    let mut ts = sa.timestamp.clone().unwrap();
    let mut der = hex::decode(&ts.response).unwrap();
    let n = der.len();
    der[n - 10] ^= 0x55;
    ts.response = hex::encode(der);
    sa.timestamp = Some(ts);
    std::fs::write(&a, serde_json::to_vec_pretty(&sa).unwrap()).unwrap();
    verify_names(
        &ws,
        t.path(),
        "forged timestamp",
        &["timestamp does not verify"],
    );
    // The signed heads of the log are stamped too; a head given another head's token is named.
    let t = copy_of(&ws.data());
    harness::sql(
        t.path(),
        &["UPDATE log_checkpoints SET tsa_response = (SELECT tsa_response FROM log_checkpoints ORDER BY id LIMIT 1) WHERE id = (SELECT MAX(id) FROM log_checkpoints)".into()],
    );
    verify_names(
        &ws,
        t.path(),
        "a head's token swapped",
        &[
            "log_checkpoints",
            "timestamp of the signed head of",
            "does not verify",
        ],
    );
    // A seal signed again later, with the node's own key and a fresh token from the same TSA,
    // claiming its old time: the TSA's time gives it away.
    let t = copy_of(&ws.data());
    let a = seal_path(&warcs(t.path())[0]);
    let key = NodeKey::load(&t.path().join("node.key")).unwrap();
    let mut sa = Seal::read(&a).unwrap();
    let claimed = chrono::Utc::now() - chrono::TimeDelta::minutes(10);
    sa.sealed_at = claimed.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sa.timestamp = None;
    sa.signature = key.sign_hex(&sa.signed_bytes());
    let hash: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(sa.stamped_bytes()).into();
    let response = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(archive::custody::timestamp::fetch(
            &format!("http://127.0.0.1:{port}/tsr"),
            &hash,
            Duration::from_secs(10),
        ))
        .unwrap();
    sa.timestamp = Some(archive::custody::seal::Timestamp {
        tsa_url: format!("http://127.0.0.1:{port}/tsr"),
        hash: format!("sha256:{}", hex::encode(hash)),
        response: hex::encode(response),
    });
    std::fs::write(&a, serde_json::to_vec_pretty(&sa).unwrap()).unwrap();
    verify_names(
        &ws,
        t.path(),
        "seal signed again later",
        &["stamped this seal at", "s after the time the seal states"],
    );
}
