//! Evidence against an insider: what someone with the data directory (and the node key in it)
//! can do, and what catches it. A real archive is written by crawling a site on 127.0.0.1
//! with a witness file outside the data directory; each manipulation is made on a copy, the
//! way an insider would make it (the next start of the daemon re-sealing what was cut), and
//! `nightjar verify` must fail and name it: from the data directory alone where that is
//! possible, with the witness's heads where only they remember what was there.

mod harness;

use std::io::Write;
use std::path::Path;

use harness::evidence::{blob_site as site, closed_warcs as warcs, copy_into, copy_of};
use harness::{stop_cleanly, Workspace};

const HOST: &str = "insider.test";

fn config(witness: Option<&Path>) -> String {
    let mut c = "[archive]\nmax_file_mib = 1\n[politeness]\nrobots = \"ignore\"\nrate_per_sec = 1000.0\n[custody]\ncheckpoint_every = 4\n".to_string();
    if let Some(w) = witness {
        c.push_str(&format!("witness_files = [\"{}\"]\n", w.display()));
    }
    c
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().to_string()
}

/// A workspace (config without a witness: the insider cannot write to it) whose data
/// directory is `data`: its next start is what re-seals a tampered archive.
fn workspace_on(data: &Path) -> Workspace {
    let ws = Workspace::new(&config(None));
    copy_into(data, &ws.data());
    ws
}

/// Runs `nightjar verify ARGS`; returns (passed, output).
fn verify(ws: &Workspace, args: &[&str]) -> (bool, String) {
    let mut all = vec!["verify"];
    all.extend(args);
    let out = ws.run(&all);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => (true, text),
        Some(1) => (false, text),
        other => panic!("verify {args:?} ended with {other:?}:\n{text}"),
    }
}

fn fails_naming(ws: &Workspace, args: &[&str], case: &str, expected: &[&str]) {
    let (ok, text) = verify(ws, args);
    assert!(!ok, "{case}: verify must fail:\n{text}");
    for e in expected {
        assert!(text.contains(e), "{case}: expected '{e}' in:\n{text}");
    }
}

/// (offset, warc_type) of the records of `file`, from the index of a SQLite data directory
/// (a copy).
fn frames(data: &Path, file: &Path) -> Vec<(u64, String)> {
    parse_frames(harness::query_text(data, &frames_query(file)))
}

/// The same from a workspace's own index, whichever engine it is on.
fn frames_of(ws: &Workspace, file: &Path) -> Vec<(u64, String)> {
    parse_frames(ws.query_text(&frames_query(file)))
}

fn frames_query(file: &Path) -> String {
    format!(
        "SELECT CAST(file_offset AS TEXT) || ' ' || warc_type FROM warc_records WHERE file = '{}' ORDER BY file_offset",
        name(file)
    )
}

fn parse_frames(rows: Vec<String>) -> Vec<(u64, String)> {
    rows.iter()
        .map(|r| {
            let (o, t) = r.split_once(' ').unwrap();
            (o.parse().unwrap(), t.to_string())
        })
        .collect()
}

#[test]
fn an_insider_with_the_data_directory_is_caught_and_named() {
    let witness_dir = tempfile::tempdir().unwrap();
    let witness = witness_dir.path().join("heads.witness");
    let witness_arg = witness.to_string_lossy().to_string();
    let site = site(6);
    let ws = Workspace::new(&config(Some(&witness)));
    if ws.sqlite_only(
        "the insider tampers with copies of the data directory, and only on SQLite does a \
         copy carry its index",
    ) {
        return;
    }
    let start = site.url(HOST, "/");
    let resolve = site.resolve(HOST);
    let crawl = ws.run(&["crawl", &start, "--resolve", &resolve, "--depth", "1"]);
    assert!(crawl.status.success());
    // The daemon's log (the journal under systemd) is a witness too.
    let journal = witness_dir.path().join("journal.txt");
    std::fs::write(&journal, &crawl.stderr).unwrap();
    let journal_arg = journal.to_string_lossy().to_string();
    let data = ws.data();
    let files = warcs(&data);
    assert!(files.len() >= 3, "several files: {files:?}");

    // The witness received a signed head at every seal and at shutdown, and the archive
    // extends all of them.
    let held = std::fs::read_to_string(&witness).unwrap();
    let heads = archive::custody::log::notes_in(&held);
    assert!(
        heads.len() >= files.len(),
        "{} heads for {} files:\n{held}",
        heads.len(),
        files.len()
    );
    let (ok, text) = verify(&ws, &["--witness", &witness_arg, "--witness", &journal_arg]);
    assert!(ok, "{text}");
    assert_eq!(
        text.matches("the archive extends all").count(),
        2,
        "both the witness file and the journal: {text}"
    );
    let (ok, text) = verify(&ws, &[]);
    assert!(ok, "{text}");

    // 1. A capture deleted from the capture index, its records left in place.
    let t = copy_of(&data);
    harness::sql(
        t.path(),
        &[
            "DELETE FROM captures WHERE id = (SELECT MAX(id) FROM captures WHERE status = 200)"
                .into(),
        ],
    );
    fails_naming(
        &ws,
        &[&t.path().to_string_lossy()],
        "capture row deleted",
        &[
            "missing from the capture index",
            "response record belongs to capture",
        ],
    );

    // 2. The newest file deleted with its seal, its index rows and the stored heads: the
    // data directory is consistent again, and only the witness remembers.
    let t = copy_of(&data);
    let last = warcs(t.path()).pop().unwrap();
    std::fs::remove_file(&last).unwrap();
    std::fs::remove_file(archive::custody::seal::seal_path(&last)).unwrap();
    harness::sql(
        t.path(),
        &[
            format!("DELETE FROM captures WHERE file = '{}'", name(&last)),
            format!("DELETE FROM warc_records WHERE file = '{}'", name(&last)),
            "DELETE FROM log_checkpoints".into(),
        ],
    );
    fails_naming(
        &ws,
        &[&t.path().to_string_lossy(), "--witness", &witness_arg],
        "newest file deleted",
        &["were cut off since", "witness"],
    );
    fails_naming(
        &ws,
        &[&t.path().to_string_lossy(), "--witness", &journal_arg],
        "newest file deleted, against the journal",
        &["were cut off since", "journal.txt"],
    );

    // 3. The newest records cut off at a frame boundary (the file's closing checkpoint
    // record), their rows and the file's seal deleted; the next start re-seals the shorter
    // file and crawls on, so new records take the old positions.
    let t = copy_of(&data);
    let last = warcs(t.path()).pop().unwrap();
    let fr = frames(t.path(), &last);
    let (cut, ty) = fr.last().unwrap().clone();
    assert_eq!(ty, "metadata", "a file ends with its chain checkpoint");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&last)
        .unwrap()
        .set_len(cut)
        .unwrap();
    std::fs::remove_file(archive::custody::seal::seal_path(&last)).unwrap();
    harness::sql(
        t.path(),
        &[
            format!(
                "DELETE FROM warc_records WHERE file = '{}' AND file_offset >= {cut}",
                name(&last)
            ),
            "DELETE FROM log_checkpoints".into(),
        ],
    );
    let resealed = workspace_on(t.path());
    resealed.crawl(&start, &[site.resolve(HOST)], &["--depth", "1"]);
    assert!(
        archive::custody::seal::seal_path(&resealed.data().join("warcs").join(name(&last)))
            .exists()
    );
    fails_naming(
        &resealed,
        &["--witness", &witness_arg],
        "newest records cut off and re-sealed",
        &["does not extend the head the witness holds"],
    );
    // A package exported from the cut archive, checked by a third party with the witness:
    // its head cannot be shown to extend the heads the witness kept.
    let out_dir = tempfile::tempdir().unwrap();
    let package = out_dir.path().join("cut.wacz");
    let package_arg = package.to_string_lossy().to_string();
    resealed.ok(&[
        "export",
        "--url",
        &start,
        "--case",
        "C-3",
        "--reason",
        "r",
        "--out",
        &package_arg,
    ]);
    let third = Workspace::new("");
    let (ok, text) = verify(&third, &[&package_arg, "--witness", &witness_arg]);
    assert!(
        !ok && (text.contains("does not extend the head of")
            || text.contains("carries no proof that its head extends")),
        "a package from the cut archive against the witness:\n{text}"
    );
    // Even without a witness, the re-seal is in the archive itself, and loud.
    let (_, text) = verify(&resealed, &[]);
    assert!(
        text.contains("REPAIR NOT ACKNOWLEDGED")
            && text.contains(&format!("sealed-late of {}", name(&last))),
        "the late seal is a repair record:\n{text}"
    );

    // 4. The node key replaced: every seal and head made again with a new key on the next
    // start. The records themselves still name the old key.
    let t = copy_of(&data);
    for f in warcs(t.path()) {
        std::fs::remove_file(archive::custody::seal::seal_path(&f)).unwrap();
    }
    std::fs::remove_file(t.path().join("node.key")).unwrap();
    std::fs::remove_file(t.path().join("node.pub")).unwrap();
    harness::sql(t.path(), &["DELETE FROM log_checkpoints".into()]);
    let rekeyed = workspace_on(t.path());
    rekeyed.crawl(&start, &[site.resolve(HOST)], &["--depth", "1"]);
    fails_naming(
        &rekeyed,
        &[],
        "node key replaced",
        &[
            &name(&files[0]),
            "but the file's own records (warcinfo, checkpoints) name",
            "the seal was re-signed with another key",
            "and no key rotation record from",
        ],
    );
    fails_naming(
        &rekeyed,
        &["--witness", &witness_arg],
        "node key replaced, with the witness",
        &[
            "not signed by this node's key",
            "the node key was replaced since",
        ],
    );
}

/// A crash's repairs (a torn tail cut back and moved aside, the file sealed late) are
/// records in the archive: `verify` lists them, loudly, until an operator acknowledges each
/// with a reason, which the audit log keeps.
#[test]
fn a_repair_after_a_crash_is_in_the_archive_and_loud_until_acknowledged() {
    let site = site(3);
    let ws = Workspace::new(&config(None));
    let start = site.url(HOST, "/");
    ws.crawl(&start, &[site.resolve(HOST)], &["--depth", "1"]);
    let (ok, text) = verify(&ws, &[]);
    assert!(
        ok && !text.contains("REPAIR"),
        "a clean archive has no repairs:\n{text}"
    );

    // The state a crash mid-write leaves: the newest file still .open, unsealed, with the
    // first bytes of a frame whose write did not finish at its end.
    let last = warcs(&ws.data()).pop().unwrap();
    std::fs::remove_file(archive::custody::seal::seal_path(&last)).unwrap();
    let open = last.with_file_name(format!("{}.open", name(&last)));
    std::fs::rename(&last, &open).unwrap();
    let size = std::fs::metadata(&open).unwrap().len();
    let torn = b"\x28\xb5\x2f\xfd\x04\x58half a frame";
    std::fs::OpenOptions::new()
        .append(true)
        .open(&open)
        .unwrap()
        .write_all(torn)
        .unwrap();
    ws.crawl(&start, &[site.resolve(HOST)], &["--depth", "1"]);

    let aside = last.with_file_name(format!("{}.torn-{size}", name(&last)));
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        torn,
        "the torn bytes are kept"
    );
    let (ok, text) = verify(&ws, &[]);
    assert!(ok, "a repaired archive is sound:\n{text}");
    let torn_line = text
        .lines()
        .find(|l| l.contains(&format!("torn-tail of {}", name(&last))))
        .unwrap_or_else(|| panic!("the torn tail is a repair record:\n{text}"));
    assert!(
        torn_line.starts_with("REPAIR NOT ACKNOWLEDGED"),
        "{torn_line}"
    );
    assert!(
        torn_line.contains(&format!("{} -> {size} bytes", size + torn.len() as u64))
            && torn_line.contains(&name(&aside)),
        "old and new size, and where the rest went: {torn_line}"
    );
    assert!(
        text.contains(&format!("sealed-late of {}", name(&last))),
        "{text}"
    );
    assert!(
        text.contains("ATTENTION: 2 repair(s) not acknowledged"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&ws.ok(&["verify", "--json"])).unwrap();
    let repairs = json["repairs"].as_array().unwrap();
    assert_eq!(repairs.len(), 2, "{json}");
    let torn_id = repairs
        .iter()
        .find(|r| r["repair"]["kind"] == "torn-tail")
        .unwrap()["record_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(repairs[0]["repair"]["old_size"], size + torn.len() as u64);

    // Acknowledging needs a plain reason, and a repair record.
    let refused = ws.run(&[
        "custody",
        "ack",
        &torn_id,
        "--reason",
        "ok\nacknowledged by: chief",
    ]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("a line feed"),
        "{refused:?}"
    );
    let warcinfo = ws.run(&[
        "custody",
        "ack",
        "<urn:uuid:00000000-0000-0000-0000-000000000000>",
        "--reason",
        "x",
    ]);
    assert!(!warcinfo.status.success());
    assert!(String::from_utf8_lossy(&warcinfo.stderr).contains("is not a repair record"));
    let acked = ws.ok(&[
        "custody",
        "ack",
        &torn_id,
        "--reason",
        "host lost power at 03:12, see ticket 4411",
    ]);
    assert!(acked.contains("torn-tail"), "{acked}");

    let (ok, text) = verify(&ws, &[]);
    assert!(ok, "{text}");
    let torn_line = text.lines().find(|l| l.contains(&torn_id)).unwrap();
    assert!(
        torn_line.starts_with("REPAIR ")
            && !torn_line.contains("NOT ACKNOWLEDGED")
            && torn_line.contains("acknowledged by user:")
            && torn_line.contains("ticket 4411"),
        "{torn_line}"
    );
    assert!(
        text.contains("ATTENTION: 1 repair(s) not acknowledged"),
        "{text}"
    );
    let audit = ws.ok(&["verify", "--audit"]);
    assert!(audit.trim_end().ends_with("OK"), "{audit}");

    // The bytes moved aside are evidence too: verify says when they are gone.
    std::fs::remove_file(&aside).unwrap();
    let (_, text) = verify(&ws, &[]);
    assert!(
        text.contains("which is not in the WARC directory"),
        "{text}"
    );
}

/// `key show`'s line starting with `what`.
fn key_line(ws: &Workspace, what: &str) -> String {
    let shown = ws.ok(&["key", "show"]);
    shown
        .lines()
        .find_map(|l| l.strip_prefix(what))
        .unwrap_or_else(|| panic!("no '{what}' in:\n{shown}"))
        .trim()
        .to_string()
}

/// Another nightjar node as a co-signing witness: it accepts each head only if it extends the
/// last one it accepted, keeps every one, and signs it. An insider who cuts records off
/// cannot get a head of the shortened log signed, and `verify --witness http://…` catches the
/// cut from what the witness kept.
#[test]
fn a_cosigning_witness_node_refuses_a_rewritten_log_and_verify_asks_it() {
    let site = site(4);
    let node_dir = tempfile::tempdir().unwrap();
    // The node, and the witness: a daemon whose [witness] names the node's log key.
    let token_file = node_dir.path().join("witness.token");
    let node = Workspace::new(&config(None));
    let node_log_key = key_line(&node, "log verifier key:");
    let witness = Workspace::new(&format!("[witness]\nlogs = [\"{node_log_key}\"]\n"));
    let witness_key = key_line(&witness, "witness verifier key:");
    let token = witness.ok(&["token", "create", "--role", "witness", "--name", "node-a"]);
    std::fs::write(&token_file, token.trim()).unwrap();
    let analyst = witness.ok(&["token", "create", "--role", "analyst", "--name", "someone"]);
    std::fs::create_dir_all(witness.dir.path().join("seeds")).unwrap();
    let (daemon, log) = witness.spawn(&["run"]);
    // Its log names the API's address as soon as it listens.
    let api_in_log = || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let at = text.find("API at http://")? + "API at http://".len();
        Some(text[at..].split('/').next()?.to_string())
    };
    harness::wait_until(
        "the witness's API",
        std::time::Duration::from_secs(30),
        || api_in_log().is_some(),
    );
    let addr = api_in_log().unwrap();
    let url = format!("http://{addr}");

    let with_cosigner = format!(
        "{}cosigners = [{{ url = \"{url}\", token_file = \"{}\", key = \"{witness_key}\" }}]\n",
        config(None),
        token_file.display()
    );
    merge_config(&node, &with_cosigner);
    let start = site.url(HOST, "/");
    let stderr = crawl_logged(&node, &site, &start);
    assert!(stderr.contains("head co-signed"), "{stderr}");
    assert!(!stderr.contains("did not sign"), "{stderr}");

    let kept = |addr: &str| {
        let (status, _, body) =
            harness::http_request(addr, "GET", "/api/v1/witness/heads", None, None);
        assert_eq!(status, 200);
        archive::custody::log::notes_in(&String::from_utf8_lossy(&body))
    };
    let heads = kept(&addr);
    assert!(heads.len() >= 2, "the witness kept every head: {heads:?}");
    // The node keeps each head as the witness signed it.
    let cosigned = node.query_text("SELECT cosigned FROM log_cosignatures");
    assert!(!cosigned.is_empty());
    for c in &cosigned {
        assert!(archive::custody::log::cosigned_by(c, &witness_key), "{c}");
    }
    assert!(
        !archive::custody::log::cosigned_by(&heads[0], &witness_key),
        "the witness keeps heads as the node signed them"
    );
    let (ok, text) = verify(&node, &["--witness", &url]);
    assert!(ok, "{text}");
    assert!(text.contains("the archive extends all"), "{text}");

    // The witness's API: only a witness token may hand it heads; a wrong 'old' gets the
    // size it has; a head that does not extend the last is refused.
    let last = heads.last().unwrap().clone();
    let (status, _, _) = harness::http_request(
        &addr,
        "POST",
        "/api/v1/witness/add-checkpoint",
        Some(analyst.trim()),
        Some(&format!("old 0\n\n{last}")),
    );
    assert_eq!(status, 403, "an analyst may not hand heads in");
    let size = archive::custody::log::open(&last, &public_of(&node))
        .unwrap()
        .size;
    let (status, _, body) = harness::http_request(
        &addr,
        "POST",
        "/api/v1/witness/add-checkpoint",
        Some(token.trim()),
        Some(&format!("old 1\n\n{last}")),
    );
    assert_eq!(
        (status, String::from_utf8_lossy(&body).trim().to_string()),
        (409, size.to_string())
    );
    let first = heads.first().unwrap().clone();
    let (status, _, body) = harness::http_request(
        &addr,
        "POST",
        "/api/v1/witness/add-checkpoint",
        Some(token.trim()),
        Some(&format!("old {size}\n\n{first}")),
    );
    assert_eq!(
        status,
        422,
        "an older head is not an extension: {}",
        String::from_utf8_lossy(&body)
    );

    // The insider cuts the newest records off, deletes their rows, seals and heads, and
    // starts the node again: the witness signs nothing of the shortened log.
    let last_file = warcs(&node.data()).pop().unwrap();
    let fr = frames_of(&node, &last_file);
    let (cut, ty) = fr.last().unwrap().clone();
    assert_eq!(ty, "metadata", "a file ends with its chain checkpoint");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&last_file)
        .unwrap()
        .set_len(cut)
        .unwrap();
    std::fs::remove_file(archive::custody::seal::seal_path(&last_file)).unwrap();
    node.sql(&[
        format!(
            "DELETE FROM warc_records WHERE file = '{}' AND file_offset >= {cut}",
            name(&last_file)
        ),
        "DELETE FROM log_checkpoints".into(),
        "DELETE FROM log_cosignatures".into(),
    ]);
    let before = kept(&addr).len();
    let again = node.run(&[
        "crawl",
        &start,
        "--resolve",
        &site.resolve(HOST),
        "--depth",
        "1",
    ]);
    let stderr = String::from_utf8_lossy(&again.stderr).to_string();
    assert!(stderr.contains("did not sign"), "{stderr}");
    assert_eq!(
        kept(&addr).len(),
        before,
        "no head of the rewritten log was accepted"
    );
    fails_naming(
        &node,
        &["--witness", &url],
        "records cut off, against a co-signing witness",
        &["does not extend the head the witness holds", &url],
    );
    stop_cleanly(daemon, &log);
}

/// A key rotation is a record in the archive signed by the old key and the new: verify
/// follows the archive from one key to the next (seals, heads and the witness's heads each
/// by the key of their time), a package signed by the new key carries the rotation, a
/// rotation cut short by a crash is finished on the next start, and a head signed by the
/// retired key for a log past the rotation is named.
#[test]
fn a_key_rotation_is_a_signed_record_that_verify_and_packages_follow() {
    let Witnessed {
        _witness_dir: witness_dir,
        witness,
        witness_arg,
        site,
        ws,
        start,
    } = witnessed_crawl(3);
    let old_public = public_of(&ws);

    // A reason is required, on one line.
    let o = ws.run(&["key", "rotate", "--reason", "two\nlines"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("one line"));
    assert_eq!(
        public_of(&ws),
        old_public,
        "a refused rotation changes nothing"
    );

    // The archive as it was before the rotation, kept for an insider's cut below, and a
    // package signed by the old key.
    let before = copy_of(&ws.data());
    let out_dir = tempfile::tempdir().unwrap();
    let old_package = out_dir.path().join("before.wacz");
    let old_package_arg = old_package.to_string_lossy().to_string();
    ws.ok(&[
        "export",
        "--url",
        &start,
        "--case",
        "C-8",
        "--reason",
        "r",
        "--out",
        &old_package_arg,
    ]);
    let shown = ws.ok(&["key", "rotate", "--reason", "yearly rotation"]);
    let new_public = public_of(&ws);
    assert_ne!(new_public, old_public);
    let fp = |hex: &str| {
        archive::custody::key::fingerprint_of(&archive::custody::key::public_from_hex(hex).unwrap())
    };
    assert!(
        shown.contains(&format!("old fingerprint: {}", fp(&old_public))),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("new fingerprint: {}", fp(&new_public))),
        "{shown}"
    );
    let retired: Vec<_> = std::fs::read_dir(ws.data())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("node.key.retired-"))
        .collect();
    assert_eq!(retired.len(), 1, "the old key is kept aside: {retired:?}");
    let audit = ws.query_text("SELECT reason FROM audit_log WHERE action = 'custody.key.rotate'");
    assert_eq!(audit, vec!["yearly rotation".to_string()]);
    // The rotation record's two signatures check with openssl alone, from the WARC file.
    let text: String = ws
        .warc_files()
        .iter()
        .map(|f| std::fs::read_to_string(harness::plain_warc(f)).unwrap_or_default())
        .collect();
    let record = &text[text
        .find("WARC-Target-URI: urn:nightjar:key-rotation")
        .expect("a rotation record in the WARC files")..];
    let field = |name: &str| {
        record
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("no {name} in the rotation record"))
            .trim()
            .to_string()
    };
    let message = format!(
        "nightjar key rotation\nold {}\nnew {}\nat {}\nreason {}\n",
        field("old-key"),
        field("new-key"),
        field("rotated-at"),
        field("reason")
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("msg"), &message).unwrap();
    for (key, sig) in [("old-key", "old-signature"), ("new-key", "new-signature")] {
        // An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte prefix and the 32-byte key.
        let mut der = hex::decode("302a300506032b6570032100").unwrap();
        der.extend(hex::decode(field(key)).unwrap());
        std::fs::write(tmp.path().join("pub.der"), &der).unwrap();
        std::fs::write(tmp.path().join("sig"), hex::decode(field(sig)).unwrap()).unwrap();
        let out = harness::tool(
            "openssl",
            &[
                "pkeyutl",
                "-verify",
                "-pubin",
                "-keyform",
                "DER",
                "-inkey",
                &tmp.path().join("pub.der").to_string_lossy(),
                "-rawin",
                "-in",
                &tmp.path().join("msg").to_string_lossy(),
                "-sigfile",
                &tmp.path().join("sig").to_string_lossy(),
            ],
        );
        assert!(
            out.status.success(),
            "openssl does not verify the {sig}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(fp(&field("old-key")), fp(&old_public));

    // A crash after the record but before the new key took over: the next start finishes.
    std::fs::rename(ws.data().join("node.key"), ws.data().join("node.key.next")).unwrap();
    std::fs::rename(ws.data().join(&retired[0]), ws.data().join("node.key")).unwrap();
    std::fs::write(ws.data().join("node.pub"), format!("{old_public}\n")).unwrap();
    let (ok, text) = verify(&ws, &[]);
    assert!(ok, "a rotation not finished yet is no finding:\n{text}");
    assert!(text.contains("is not finished (node.key.next)"), "{text}");
    let stderr = crawl_logged(&ws, &site, &start);
    assert!(stderr.contains("finished a key rotation"), "{stderr}");
    assert_eq!(public_of(&ws), new_public, "the new key took over");

    let (ok, text) = verify(&ws, &["--witness", &witness_arg]);
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!(
            "{} -> {}, signed by both keys; reason: yearly rotation",
            fp(&old_public),
            fp(&new_public)
        )),
        "{text}"
    );
    assert!(text.contains("the archive extends all"), "{text}");
    // Both keys' heads are in the witness file, each under its own log.
    let notes = archive::custody::log::notes_in(&std::fs::read_to_string(&witness).unwrap());
    for public in [&old_public, &new_public] {
        let origin = archive::custody::log::origin_of(public).unwrap();
        assert!(
            notes
                .iter()
                .any(|n| archive::custody::log::origin_in(n) == Some(origin.as_str())),
            "no head of {origin} in the witness file"
        );
    }

    // The audit log's heads, under both keys, check out too.
    let (ok, text) = verify(&ws, &["--audit", "--witness", &witness_arg]);
    assert!(ok, "{text}");
    assert!(!text.contains("other nightjar logs"), "{text}");

    // The package signed before the rotation is still this node's.
    let (ok, text) = verify(&ws, &[&old_package_arg]);
    assert!(ok, "{text}");

    // A package signed by the new key, with captures from both keys' times.
    let package = out_dir.path().join("rotated.wacz");
    let package_arg = package.to_string_lossy().to_string();
    ws.ok(&[
        "export",
        "--url",
        &start,
        "--case",
        "C-9",
        "--reason",
        "r",
        "--out",
        &package_arg,
    ]);
    let (ok, text) = verify(&ws, &[&package_arg, "--witness", &witness_arg]);
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!(
            "records name node key {}, which handed over to the signer {}",
            fp(&old_public),
            fp(&new_public)
        )),
        "{text}"
    );

    // An insider puts back the archive as it was before the rotation (the retired key, its
    // node.pub, no rotation record), and a witness that missed the old key's last head still
    // holds the new key's: they say the log went on under the new key after a rotation the
    // archive does not hold.
    // (Only on SQLite does the copy carry its index.)
    if !ws.on_postgres() {
        let kept: u64 = harness::query_text(
            before.path(),
            "SELECT CAST(MAX(seq) AS TEXT) FROM warc_records",
        )[0]
        .parse()
        .unwrap();
        let old_origin = archive::custody::log::origin_of(&old_public).unwrap();
        let partial: String = notes
            .iter()
            .filter(|n| {
                archive::custody::log::origin_in(n) != Some(old_origin.as_str())
                    || archive::custody::log::open(n, &old_public).unwrap().size <= kept
            })
            .map(|n| format!("\n\n{n}"))
            .collect();
        let partial_witness = witness_dir.path().join("partial.witness");
        std::fs::write(&partial_witness, partial).unwrap();
        let cut = workspace_on(before.path());
        fails_naming(
            &cut,
            &["--witness", &partial_witness.to_string_lossy()],
            "the archive put back to before a key rotation",
            &["it was cut back past a key rotation"],
        );
    }

    // The retired key signs a head for the whole log after the rotation: named.
    let newest = ws
        .query_text("SELECT note FROM log_checkpoints ORDER BY id DESC LIMIT 1")
        .pop()
        .unwrap();
    let head = archive::custody::log::open(&newest, &new_public).unwrap();
    let retired_key = archive::custody::key::NodeKey::load(&ws.data().join(&retired[0]));
    // (The test moved the retired key back by hand above; the start kept it aside again.)
    let retired_key = retired_key.unwrap_or_else(|_| {
        let name = std::fs::read_dir(ws.data())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .find(|n| n.starts_with("node.key.retired-"))
            .unwrap();
        archive::custody::key::NodeKey::load(&ws.data().join(name)).unwrap()
    });
    assert_eq!(retired_key.public_hex(), old_public);
    let forged = archive::custody::log::sign(
        &retired_key,
        head.size,
        head.root,
        "sha256:00",
        "2026-12-03T00:00:00Z",
        None,
        None,
    )
    .unwrap();
    let mut w = std::fs::OpenOptions::new()
        .append(true)
        .open(&witness)
        .unwrap();
    write!(w, "\n\n{forged}").unwrap();
    drop(w);
    fails_naming(
        &ws,
        &["--witness", &witness_arg],
        "a head signed by the retired key after its rotation",
        &["the retired key was used after its rotation"],
    );
}

/// A workspace whose heads go to a witness file outside its data directory, after one crawl.
struct Witnessed {
    _witness_dir: tempfile::TempDir,
    witness: std::path::PathBuf,
    witness_arg: String,
    site: harness::site::Site,
    ws: Workspace,
    start: String,
}

fn witnessed_crawl(pages: usize) -> Witnessed {
    let witness_dir = tempfile::tempdir().unwrap();
    let witness = witness_dir.path().join("heads.witness");
    let site = site(pages);
    let ws = Workspace::new(&config(Some(&witness)));
    let start = site.url(HOST, "/");
    ws.crawl(&start, &[site.resolve(HOST)], &["--depth", "1"]);
    Witnessed {
        witness_arg: witness.to_string_lossy().to_string(),
        _witness_dir: witness_dir,
        witness,
        site,
        ws,
        start,
    }
}

/// Crawls the site from `start` (depth 1) and returns what the crawl logged; it must succeed.
fn crawl_logged(ws: &Workspace, site: &harness::site::Site, start: &str) -> String {
    let out = ws.run(&[
        "crawl",
        start,
        "--resolve",
        &site.resolve(HOST),
        "--depth",
        "1",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// Adds the tables and keys of `extra` to the workspace's config file.
fn merge_config(ws: &Workspace, extra: &str) {
    let mut t: toml::Table = std::fs::read_to_string(&ws.config)
        .unwrap()
        .parse()
        .unwrap();
    let extra: toml::Table = extra.parse().unwrap();
    for (k, v) in extra {
        match (t.get_mut(&k), v) {
            (Some(toml::Value::Table(base)), toml::Value::Table(add)) => base.extend(add),
            (_, v) => {
                t.insert(k, v);
            }
        }
    }
    std::fs::write(&ws.config, t.to_string()).unwrap();
}

/// A witness node behind TLS with its own certificate: the node co-signs through https://
/// with the `ca_file` that signed it, and `verify --witness https://…` asks it the same way;
/// without that CA the certificate is refused, and no token is sent to an unknown server.
#[test]
fn a_cosigning_witness_behind_tls_is_reached_with_its_ca_only() {
    let site = site(3);
    let node = Workspace::new(&config(None));
    let node_log_key = key_line(&node, "log verifier key:");
    let certs = tempfile::tempdir().unwrap();
    let ck = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let (cert, key) = (certs.path().join("w.pem"), certs.path().join("w.key"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let witness = Workspace::new(&format!(
        "[witness]\nlogs = [\"{node_log_key}\"]\n[api]\ntls_cert_file = \"{}\"\ntls_key_file = \"{}\"\n",
        cert.display(),
        key.display()
    ));
    let witness_key = key_line(&witness, "witness verifier key:");
    let token_file = certs.path().join("witness.token");
    let token = witness.ok(&["token", "create", "--role", "witness", "--name", "node-a"]);
    std::fs::write(&token_file, token.trim()).unwrap();
    std::fs::create_dir_all(witness.dir.path().join("seeds")).unwrap();
    let (daemon, log) = witness.spawn(&["run"]);
    harness::wait_until(
        "the witness's API",
        std::time::Duration::from_secs(30),
        || witness.api_address().is_some(),
    );
    let url = format!("https://{}", witness.api_address().unwrap());
    let start = site.url(HOST, "/");
    // Without the witness's CA: the certificate is refused, the crawl goes on.
    merge_config(
        &node,
        &format!(
            "[custody]\ncosigners = [{{ url = \"{url}\", token_file = \"{}\", key = \"{witness_key}\" }}]\n",
            token_file.display()
        ),
    );
    let stderr = crawl_logged(&node, &site, &start);
    assert!(stderr.contains("did not sign"), "{stderr}");
    assert!(
        stderr.contains("TLS") || stderr.contains("certificate"),
        "the refusal names TLS: {stderr}"
    );
    assert!(!stderr.contains("head co-signed"), "{stderr}");

    // With it: every head co-signed over TLS, and verify reads the witness the same way.
    // Names the witness at `url` with its CA, crawls: every head is co-signed, and verify
    // reads the witness the same way; returns what verify said.
    let cosigned_through = |url: &str| {
        merge_config(
            &node,
            &format!(
                "[custody]\ncosigners = [{{ url = \"{url}\", token_file = \"{}\", key = \"{witness_key}\", ca_file = \"{}\" }}]\n",
                token_file.display(),
                cert.display()
            ),
        );
        let stderr = crawl_logged(&node, &site, &start);
        assert!(stderr.contains("head co-signed"), "{stderr}");
        assert!(!stderr.contains("did not sign"), "{stderr}");
        let (ok, text) = verify(&node, &["--witness", url]);
        assert!(ok, "{text}");
        assert!(text.contains("the archive extends all"), "{text}");
        text
    };
    cosigned_through(&url);

    // The node rotates its key: the rotation's own head (old key) is co-signed; the new
    // key's log is refused until the witness lists it, then co-signed from its first head.
    let rotated = node.ok(&["key", "rotate", "--reason", "planned rotation"]);
    let new_log_key = rotated
        .lines()
        .find_map(|l| l.strip_prefix("new log verifier key: "))
        .unwrap_or_else(|| panic!("{rotated}"))
        .trim()
        .to_string();
    let stderr = crawl_logged(&node, &site, &start);
    assert!(stderr.contains("did not sign"), "{stderr}");
    stop_cleanly(daemon, &log);
    let before = witness.api_address();
    merge_config(
        &witness,
        &format!("[witness]\nlogs = [\"{node_log_key}\", \"{new_log_key}\"]\n"),
    );
    let (daemon, log) = witness.spawn(&["run"]);
    harness::wait_until(
        "the witness's API again",
        std::time::Duration::from_secs(30),
        || {
            witness
                .api_address()
                .is_some_and(|a| Some(&a) != before.as_ref())
        },
    );
    let url = format!("https://{}", witness.api_address().unwrap());
    let text = cosigned_through(&url);
    assert!(text.contains("node key rotated"), "{text}");
    stop_cleanly(daemon, &log);
}

/// The node's public key (hex), from its node.pub.
fn public_of(ws: &Workspace) -> String {
    archive::custody::key::read_public(&ws.data().join("node.key")).unwrap()
}

#[test]
fn the_audit_log_cut_short_behind_dropped_triggers_is_caught() {
    let Witnessed {
        _witness_dir,
        witness: _,
        witness_arg,
        site,
        ws,
        start,
    } = witnessed_crawl(2);
    // Consultations, audited; the next crawl's heads carry the audit log's head.
    let id = ws.ok(&["captures", &start, "--json"]);
    let id = serde_json::from_str::<serde_json::Value>(id.lines().next().unwrap()).unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    for case in ["CASE-1", "CASE-2", "CASE-3"] {
        ws.ok(&["show", &id, "--reason", case]);
    }
    ws.crawl(&start, &[site.resolve(HOST)], &["--depth", "1"]);
    let out = ws.ok(&["verify", "--audit", "--witness", &witness_arg]);
    assert!(out.contains("OK"), "{out}");

    // The insider drops the delete trigger and removes the newest entries.
    // (PostgreSQL names a trigger with its table.)
    let on = if ws.on_postgres() {
        " ON audit_log"
    } else {
        ""
    };
    ws.sql(&[
        format!("DROP TRIGGER audit_log_no_delete{on}"),
        "DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 2 FROM audit_log)".into(),
    ]);
    let (ok, text) = verify(&ws, &["--audit"]);
    assert!(!ok, "{text}");
    assert!(text.contains("audit_log_no_delete"), "{text}");
    let (ok, text) = verify(&ws, &["--audit", "--witness", &witness_arg]);
    assert!(!ok, "{text}");
    assert!(text.contains("were deleted"), "{text}");
    assert!(text.contains(&witness_arg), "names the witness: {text}");

    // The next start puts the trigger back and says so in the log itself.
    ws.crawl(&start, &[site.resolve(HOST)], &["--depth", "1"]);
    let (_, text) = verify(&ws, &["--audit"]);
    assert!(!text.contains("audit_log_no_delete"), "{text}");
    let actions = ws.query_text("SELECT action FROM audit_log");
    assert!(
        actions.iter().any(|a| a == "audit.guards_restored"),
        "{actions:?}"
    );
    let refused = ws
        .try_sql("DELETE FROM audit_log WHERE seq = 1")
        .expect_err("the restored trigger refuses deletes");
    assert!(refused.contains("append-only"), "{refused}");
}

#[test]
fn a_case_or_reason_with_line_breaks_never_reaches_a_signed_report() {
    let site = site(1);
    let ws = Workspace::new(&config(None));
    let start = site.url(HOST, "/");
    ws.crawl(&start, &[site.resolve(HOST)], &["--depth", "0"]);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("x.wacz");
    for (case, reason, field) in [
        (
            "CASE-9\nexported by: chief prosecutor",
            "court order",
            "case",
        ),
        ("CASE-9", "order\r\napproved by: judge", "reason"),
        ("CASE-\u{202E}9", "order", "case"),
    ] {
        let o = ws.run(&[
            "export",
            "--url",
            &start,
            "--case",
            case,
            "--reason",
            reason,
            "--out",
            &out.to_string_lossy(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{case:?}/{reason:?} accepted");
        assert!(
            err.contains(&format!("the {field} must be one line of plain text")),
            "{err}"
        );
        assert!(!out.exists(), "no package is written");
    }
    // The same refusal for a reason given to read content.
    let id = ws.ok(&["captures", &start, "--json"]);
    let id = serde_json::from_str::<serde_json::Value>(id.lines().next().unwrap()).unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let o = ws.run(&["show", &id, "--reason", "CASE-1\nand more"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("must be one line"));
    // And one line in any script is fine.
    ws.ok(&[
        "export",
        "--url",
        &start,
        "--case",
        "Дело № 5 / 事件 7",
        "--reason",
        "court order, section 4",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(out.exists());
}

/// What an insider would make of a package to pass it off: every seal, the custody report's
/// keys and seal hashes, the log head and the package signature done again with `attacker`,
/// the seals' timestamps dropped.
fn resign(package: &Path, out: &Path, attacker: &archive::custody::key::NodeKey) {
    use sha2::Digest;
    let label = |b: &[u8]| format!("sha256:{}", hex::encode(sha2::Sha256::digest(b)));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(package).unwrap()).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut b).unwrap();
        entries.push((f.name().to_string(), b));
    }
    let mut seal_hashes = std::collections::HashMap::new();
    for (name, bytes) in entries.iter_mut().filter(|(n, _)| n.starts_with("seals/")) {
        let mut s: archive::custody::seal::Seal = serde_json::from_slice(bytes).unwrap();
        s.public_key = attacker.public_hex();
        s.timestamp = None;
        s.signature = attacker.sign_hex(&s.signed_bytes());
        *bytes = serde_json::to_vec_pretty(&s).unwrap();
        seal_hashes.insert(name.clone(), label(bytes));
    }
    let (_, custody) = entries
        .iter_mut()
        .find(|(n, _)| n == "custody/custody.json")
        .unwrap();
    let mut c: serde_json::Value = serde_json::from_slice(custody).unwrap();
    c["node_public_key"] = attacker.public_hex().into();
    c["node_fingerprint"] = attacker.fingerprint().into();
    for cap in c["captures"].as_array_mut().unwrap() {
        if let Some(file) = cap["sealed_by"][0].as_str().map(str::to_string) {
            cap["sealed_by"][1] = seal_hashes[&file].clone().into();
        }
    }
    let size = c["log"]["size"].as_u64().unwrap();
    let root = archive::custody::log::parse_b64(c["log"]["root"].as_str().unwrap()).unwrap();
    c["log"]["checkpoint"] = archive::custody::log::sign(
        attacker,
        size,
        root,
        "sha256:00",
        "2026-12-02T00:00:00Z",
        None,
        None,
    )
    .unwrap()
    .into();
    c["log"]["origin"] = archive::custody::log::origin_of(&attacker.public_hex())
        .unwrap()
        .into();
    *custody = serde_json::to_vec_pretty(&c).unwrap();
    let hashes: std::collections::HashMap<String, (String, usize)> = entries
        .iter()
        .map(|(n, b)| (n.clone(), (label(b), b.len())))
        .collect();
    let (_, dp) = entries
        .iter_mut()
        .find(|(n, _)| n == "datapackage.json")
        .unwrap();
    let mut d: serde_json::Value = serde_json::from_slice(dp).unwrap();
    for r in d["resources"].as_array_mut().unwrap() {
        let (h, n) = &hashes[r["path"].as_str().unwrap()];
        r["hash"] = h.clone().into();
        r["bytes"] = (*n as u64).into();
    }
    *dp = serde_json::to_vec_pretty(&d).unwrap();
    let dp_hash = label(dp);
    let (_, digest) = entries
        .iter_mut()
        .find(|(n, _)| n == "datapackage-digest.json")
        .unwrap();
    let mut g: serde_json::Value = serde_json::from_slice(digest).unwrap();
    g["hash"] = dp_hash.clone().into();
    g["signedData"]["hash"] = dp_hash.clone().into();
    g["signedData"]["publicKey"] = attacker.public_hex().into();
    g["signedData"]["fingerprint"] = attacker.fingerprint().into();
    g["signedData"]["signature"] = attacker.sign_hex(dp_hash.as_bytes()).into();
    *digest = serde_json::to_vec_pretty(&g).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for (name, bytes) in &entries {
        w.start_file(
            name.as_str(),
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored),
        )
        .unwrap();
        std::io::Write::write_all(&mut w, bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn a_third_party_checks_a_package_against_the_witness_and_a_resigned_one_fails() {
    let Witnessed {
        _witness_dir: witness_dir,
        witness,
        witness_arg,
        site: _site,
        ws,
        start,
    } = witnessed_crawl(3);
    let out_dir = tempfile::tempdir().unwrap();
    let package = out_dir.path().join("case.wacz");
    let package_arg = package.to_string_lossy().to_string();
    ws.ok(&[
        "export",
        "--url",
        &start,
        "--case",
        "CASE-17",
        "--reason",
        "court order",
        "--out",
        &package_arg,
    ]);
    // A third party: no data directory, no node key; only the package and the witness file.
    let third = Workspace::new("");
    let (ok, text) = verify(&third, &[&package_arg, "--witness", &witness_arg]);
    assert!(ok, "{text}");
    assert!(text.contains("kept the same signed head"), "{text}");
    // A witness that missed the export's head (it holds only the heads before it) is
    // compared through the package's consistency proofs.
    let held = std::fs::read_to_string(&witness).unwrap();
    let mut notes = archive::custody::log::notes_in(&held);
    assert!(notes.len() >= 2, "{held}");
    notes.pop();
    let older = witness_dir.path().join("older.witness");
    std::fs::write(&older, notes.join("\n\n")).unwrap();
    let (ok, text) = verify(
        &third,
        &[&package_arg, "--witness", &older.to_string_lossy()],
    );
    assert!(ok, "{text}");
    assert!(
        text.contains("earlier heads the package's head provably extends"),
        "{text}"
    );
    let custody: serde_json::Value = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&package).unwrap()).unwrap();
        let mut f = z.by_name("custody/custody.json").unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut b).unwrap();
        serde_json::from_slice(&b).unwrap()
    };
    let records = custody["captures"][0]["records"].as_array().unwrap();
    assert!(
        records
            .iter()
            .all(|r| !r["log_proof"].as_array().unwrap().is_empty()),
        "every record carries its inclusion proof: {records:?}"
    );
    // The same package, signed again by an insider's own key.
    let attacker_dir = tempfile::tempdir().unwrap();
    let attacker =
        archive::custody::key::NodeKey::load_or_create(&attacker_dir.path().join("k")).unwrap();
    let forged = out_dir.path().join("forged.wacz");
    let forged_arg = forged.to_string_lossy().to_string();
    resign(&package, &forged, &attacker);
    fails_naming(
        &third,
        &[&forged_arg],
        "package signed again, checked alone",
        &["the package was signed again by someone else"],
    );
    fails_naming(
        &third,
        &[&forged_arg, "--witness", &witness_arg],
        "package signed again, with the witness",
        &["signed by a key the witness never saw"],
    );
}

/// `verify` run again and again while a crawl writes, rotates and seals: never a finding,
/// and the same archive verifies strictly once the crawl has stopped.
#[test]
fn verify_while_the_daemon_writes_never_reports_a_false_failure() {
    let site = harness::site::Site::start();
    let pages = 20_000;
    for i in 0..pages {
        let links: String = (1..=3)
            .map(|k| format!("<a href=\"/p/{}\">next</a>", i + k))
            .collect();
        // Incompressible bytes in a comment: the files fill and rotate within the runs.
        let mut body = format!("<html><body><p>page {i}</p>{links}<!-- ").into_bytes();
        body.extend(harness::evidence::noise(i as u64 + 1, 8000 + i % 2000));
        body.extend(b" --></body></html>");
        site.put(
            &format!("/p/{i}"),
            harness::site::Page {
                status: 200,
                content_type: "text/html".into(),
                body,
                etag: None,
                location: None,
                headers: Vec::new(),
            },
        );
    }
    let ws = Workspace::new(
        "[archive]\nmax_file_mib = 1\n[politeness]\nrobots = \"ignore\"\n[traps]\nnovelty_window = 0\n[custody]\ncheckpoint_every = 16\nlog_every = \"1s\"\n",
    );
    let start = site.url(HOST, "/p/0");
    let resolve = site.resolve(HOST);
    let (mut crawl, log) = ws.spawn(&[
        "crawl",
        &start,
        "--resolve",
        &resolve,
        "--depth",
        "100000",
        "--rate",
        "60",
    ]);
    let records = |text: &str| -> u64 {
        text.split_whitespace()
            .skip_while(|w| *w != "files,")
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    harness::wait_until(
        "the crawl has written its first WARC file",
        std::time::Duration::from_secs(60),
        || {
            std::fs::read_dir(ws.data().join("warcs"))
                .map(|d| d.count() > 0)
                .unwrap_or(false)
        },
    );
    let mut first = None;
    let mut last = 0;
    let mut pending_seen = 0;
    // At least 200 runs, and on until files have rotated and been sealed under them (a slow
    // machine writes less in 200 runs), within a bound.
    let began = std::time::Instant::now();
    let mut run = 0;
    while run < 200
        || (harness::evidence::closed_warcs(&ws.data()).len() < 3
            && began.elapsed() < std::time::Duration::from_secs(180))
    {
        run += 1;
        let (ok, text) = verify(&ws, &[]);
        assert!(
            ok,
            "run {run}: a false failure while the crawl writes:\n{text}"
        );
        assert!(
            text.contains("the daemon is writing"),
            "run {run}: verify knows the crawl holds the data directory:\n{text}"
        );
        let n = records(&text);
        first.get_or_insert(n);
        last = n;
        if !text.contains(" 0 pending") {
            pending_seen += 1;
        }
    }
    let first = first.unwrap();
    assert!(
        last > first + 100,
        "the crawl wrote during the runs ({first} → {last} records); log:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let child = crawl.0.as_mut().unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
    let (ok, text) = verify(&ws, &[]);
    assert!(ok, "after the crawl stopped:\n{text}");
    assert!(!text.contains("the daemon is writing"), "{text}");
    let files = harness::evidence::closed_warcs(&ws.data()).len();
    eprintln!(
        "{run} runs while writing: {first} → {last} records, {files} files, {pending_seen} runs with pending"
    );
    assert!(
        files >= 3,
        "files rotated and sealed during the runs: {files}"
    );
}
