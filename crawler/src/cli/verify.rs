//! `nightjar verify`: the archive, a package, or the audit log, checked from scratch.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use crawler::config::Config;
use crawler::data;

/// The signed heads each witness holds: a witness file (or a saved journal), or a co-signing
/// witness node (`http://HOST:PORT`), asked for every head it kept.
/// An `https://` witness that is one of `custody.cosigners` is trusted with its `ca_file`.
async fn witnessed(
    cfg: &Config,
    witnesses: &[PathBuf],
) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let mut out = Vec::new();
    for w in witnesses {
        let name = w.display().to_string();
        if name.starts_with("http://") || name.starts_with("https://") {
            let ca = cfg
                .custody
                .cosigners
                .iter()
                .find(|c| c.url.trim_end_matches('/') == name.trim_end_matches('/'))
                .and_then(|c| c.ca_file.as_deref());
            let notes = crawler::witness::fetch_heads(&name, ca)
                .await
                .with_context(|| format!("cannot read the heads the witness {name} kept"))?;
            out.push((name, notes));
            continue;
        }
        let text = std::fs::read_to_string(w)
            .with_context(|| format!("cannot read the witness file {name}"))?;
        out.push((name, archive::custody::log::notes_in(&text)));
    }
    Ok(out)
}

pub(crate) async fn cmd_verify(
    cfg: Config,
    dir: Option<&Path>,
    json: bool,
    witness: &[PathBuf],
) -> anyhow::Result<bool> {
    let witnessed = witnessed(&cfg, witness).await?;
    if let Some(p) = dir.filter(|p| p.is_file()) {
        // This node's key, and every key it had before (a package exported before a key
        // rotation is signed by the key of its time).
        let mut expected: Vec<String> = archive::custody::key::read_public(&cfg.key_path())
            .into_iter()
            .collect();
        let mut node_keys = Vec::new();
        if !expected.is_empty() && data::db_exists(&cfg) {
            let db = data::open_db(&cfg, false).await?;
            for r in archive::custody::rotation::recorded(&db, &cfg.warc_dir()).await? {
                expected.push(r.old_key);
            }
            // On a database several nodes share, a package another of them signed is as much
            // the office's: every key the nodes registered (by fingerprint), those they
            // rotated away from included (a package is signed by the key of its time).
            node_keys = crawler::store::nodes::all_keys(&db).await?;
            expected.extend(node_keys.iter().map(|k| k.key_fingerprint.clone()));
        }
        let mut report =
            archive::custody::package::verify_package(p, &expected, &witnessed).await?;
        // A package signed by a retired key is named with the retirement: what the key
        // signed later is not its node's (a leaked key is rotated away from), and the heads'
        // time stamps and witnesses say when the package was signed.
        for k in &node_keys {
            if let Some(at) = &k.retired_at {
                let signer = format!("package signed by node key {}", k.key_fingerprint);
                if report.notes.iter().any(|n| n.starts_with(&signer)) {
                    report.notes.push(format!(
                        "{} is a key node '{}' rotated away from at {at}: the package is that \
                         node's only if it was signed before then (see its heads' time stamps \
                         and witnesses)",
                        k.key_fingerprint, k.node
                    ));
                }
            }
        }
        return print_report(&report, json, &format!(" in package {}", p.display()));
    }
    // Which index to check the files against: this data directory's, another data
    // directory's (a copy), or none (a bare directory of WARC files).
    enum Index<'a> {
        Configured,
        In(&'a Path),
        Without,
    }
    let (warc_dir, index) = match dir {
        None => (cfg.warc_dir(), Index::Configured),
        Some(d) if data::has_db(d) => (d.join("warcs"), Index::In(d)),
        Some(d) if d.join("warcs").is_dir() => (d.join("warcs"), Index::Without),
        Some(d) => (d.to_path_buf(), Index::Without),
    };
    if !warc_dir.is_dir() {
        bail!("{} is not a directory of WARC files", warc_dir.display());
    }
    let db = match index {
        Index::Configured if data::db_exists(&cfg) => Some(data::open_db(&cfg, false).await?),
        Index::In(d) => Some(data::open_db_in(d).await?),
        Index::Configured | Index::Without => None,
    };
    // Seals must be signed by this node's key when it is at hand (the data directory's, or
    // custody.key_file); otherwise all by one key.
    let key_file = match dir {
        Some(d) if d.join("node.pub").exists() => Some(d.join("node.key")),
        Some(_) => None,
        None => Some(cfg.key_path()),
    };
    // The public half (node.pub) is enough: verify needs no access to the private key.
    // A key rotation cut short (its new key waiting in node.key.next) is finished on the next
    // start: until then the archive may already name the new key.
    let pending_key = key_file
        .as_ref()
        .map(|k| archive::custody::key::next_path(k))
        .filter(|n| n.exists())
        .and_then(|n| archive::custody::key::NodeKey::load(&n).ok())
        .map(|k| k.public_hex());
    let expected = key_file.and_then(|k| archive::custody::key::read_public(&k));
    let stored = match &db {
        Some(db) => archive::custody::heads::all(db).await?,
        None => Vec::new(),
    };
    let head_stamps = stored
        .iter()
        .filter_map(|h| Some((h.note.clone(), h.tsa_response.clone()?)))
        .collect();
    let own_heads = stored.into_iter().map(|h| h.note).collect();
    let trust = archive::custody::check::Trust {
        node_key: expected,
        pending_key,
        tsa_ca: cfg.custody.tsa_ca_file.clone(),
        own_heads,
        head_stamps,
        witnessed,
        live: match (dir, &index) {
            (None, _) => data::is_being_written(&cfg.data.dir),
            (Some(d), Index::In(_)) => data::is_being_written(d),
            _ => false,
        },
    };
    let mut report = archive::verify::verify(&warc_dir, db.as_ref(), &trust).await?;
    if let (Some(db), false) = (&db, report.repairs.is_empty()) {
        let acks = crawler::actions::custody::acknowledged(db).await?;
        for r in &mut report.repairs {
            r.acknowledged = acks.get(&r.record_id).cloned();
        }
    }
    let what = match (db.is_none(), trust.live) {
        (true, _) => " (no index found: files only)",
        (false, true) => {
            " (the daemon is writing: what it has not indexed or sealed yet is pending)"
        }
        (false, false) => "",
    };
    print_report(&report, json, what)
}

/// Prints a verification report; returns whether it found nothing wrong.
pub(crate) fn print_report(
    report: &archive::verify::Report,
    json: bool,
    what: &str,
) -> anyhow::Result<bool> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(report)?)?;
    } else {
        writeln!(
            out,
            "verified {} WARC files, {} records ({} erased), {} index rows, {} pending{what}",
            report.files, report.records, report.erased, report.index_rows, report.pending,
        )?;
        for n in &report.notes {
            writeln!(out, "NOTE {n}")?;
        }
        for e in &report.erasures {
            writeln!(
                out,
                "ERASED chain positions {}: {} (erasure record {} in {} @ {}, signed by node key {}{})",
                e.erasure.positions(),
                e.erasure.summary(),
                e.record_id,
                e.file,
                e.offset,
                e.node_key,
                if e.signed { "" } else { ": SIGNATURE DOES NOT VERIFY" }
            )?;
        }
        for r in &report.repairs {
            match &r.acknowledged {
                Some(a) => writeln!(
                    out,
                    "REPAIR {} @ {} {} ({}): {}; acknowledged by {} at {}: {}",
                    r.file, r.offset, r.record_id, r.date, r.repair, a.by, a.at, a.reason
                )?,
                None => writeln!(
                    out,
                    "REPAIR NOT ACKNOWLEDGED {} @ {} {} ({}): {}",
                    r.file, r.offset, r.record_id, r.date, r.repair
                )?,
            }
        }
        for f in &report.findings {
            writeln!(out, "FAIL {f}")?;
        }
        let waiting = report
            .repairs
            .iter()
            .filter(|r| r.acknowledged.is_none())
            .count();
        if waiting > 0 {
            writeln!(
                out,
                "ATTENTION: {waiting} repair(s) not acknowledged: check each, then `nightjar custody ack RECORD-ID --reason \"what you checked\"`"
            )?;
        }
        writeln!(out, "{}", if report.ok() { "OK" } else { "FAILED" })?;
    }
    Ok(report.ok())
}

pub(crate) async fn cmd_verify_audit(
    cfg: Config,
    json: bool,
    witness: &[PathBuf],
) -> anyhow::Result<bool> {
    let db = data::open_db(&cfg, false).await?;
    let mut report = crawler::audit::verify(&db).await?;
    // The audit heads the log's signed heads carry, from the database and each witness.
    let public = archive::custody::key::read_public(&cfg.key_path());
    let mut sources = vec![(
        "the database".to_string(),
        archive::custody::heads::all(&db)
            .await?
            .into_iter()
            .map(|h| h.note)
            .collect::<Vec<_>>(),
    )];
    sources.extend(witnessed(&cfg, witness).await?);
    if let Some(public) = public {
        let origin = archive::custody::log::origin_of(&public)?;
        // This node's log under each key it had: the key at hand and every key a rotation
        // record in the archive hands over from or to.
        let mut keys = vec![(origin.clone(), public.clone())];
        for r in archive::custody::rotation::recorded(&db, &cfg.warc_dir()).await? {
            for k in [r.old_key, r.new_key] {
                let o = archive::custody::log::origin_of(&k)?;
                if !keys.iter().any(|(known, _)| *known == o) {
                    keys.push((o, k));
                }
            }
        }
        let key_of = |note: &str| {
            let o = archive::custody::log::origin_in(note)?;
            keys.iter().find(|(known, _)| known == o)
        };
        for (from, notes) in sources {
            let ours = notes.iter().filter(|n| key_of(n).is_some()).count();
            let foreign = notes
                .iter()
                .filter(|n| {
                    key_of(n).is_none()
                        && archive::custody::log::origin_in(n)
                            .is_some_and(|o| o.starts_with("nightjar/"))
                })
                .count();
            if ours == 0 && foreign > 0 {
                report.findings.push(format!(
                    "{from} holds {foreign} heads of other nightjar logs and none of this node's ({origin}): node.pub was replaced since, or the witness is another node's"
                ));
            }
            let mut heads = Vec::new();
            for (note, (o, k)) in notes.iter().filter_map(|n| Some((n, key_of(n)?))) {
                match archive::custody::log::open_as(note, o, k) {
                    Ok(h) => heads.extend(h.audit),
                    Err(e) => report.findings.push(format!(
                        "{from} holds a head of this node's log that is {e}: the node key was replaced since, or the head was forged"
                    )),
                }
            }
            report
                .findings
                .extend(crawler::audit::check_witnessed(&db, &heads, &from).await?);
        }
    } else if !witness.is_empty() {
        bail!("no node.pub at hand: the witnessed heads cannot be checked (set custody.key_file)");
    }
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        writeln!(out, "verified {} audit log entries", report.entries)?;
        writeln!(out, "head {}", report.head)?;
        for f in &report.findings {
            writeln!(out, "FAIL {f}")?;
        }
        writeln!(
            out,
            "{}",
            if report.findings.is_empty() {
                "OK"
            } else {
                "FAILED"
            }
        )?;
    }
    Ok(report.findings.is_empty())
}

pub(crate) async fn cmd_custody_ack(
    cfg: Config,
    record_id: &str,
    reason: &str,
) -> anyhow::Result<()> {
    let db = data::open_db(&cfg, false).await?;
    let warc_dir = cfg.warc_dir();
    let ctx = crawler::actions::Ctx {
        db: &db,
        warc_dir: &warc_dir,
    };
    let me = crawler::actions::Actor::local_user();
    let repair = crawler::actions::custody::acknowledge(&ctx, &me, record_id, Some(reason)).await?;
    writeln!(
        std::io::stdout().lock(),
        "acknowledged {record_id}: {repair}"
    )?;
    Ok(())
}
