//! Operators' edits to the seed set: add, remove, enable, disable, import, export.
//!
//! The seed files stay the operator's own: edits go through `toml_edit`, so comments, order
//! and layout survive, and each file is replaced in one rename (a reader, or the daemon's
//! watcher, never sees half a file). Every change is checked before it is written (scope,
//! intervals, onion checksums, unique labels) and logged in the database with the Unix
//! user who made it; the running daemon picks the change up from its watch on the
//! directory.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use db::Db;
use toml_edit::{value, ArrayOfTables, DocumentMut, Item, Table};

use crate::config::Config;
use crate::seeds::{list_seed_dir, parse_seed_text, seed_files, SeedEntry};

pub use crate::store::seed_log::LoggedChange;

/// The Unix user running this command, and the user who logged in, when another (the
/// kernel's login UID, which sudo and su do not change and a user cannot set).
pub fn who() -> String {
    let name_of = |uid: nix::unistd::Uid| {
        nix::unistd::User::from_uid(uid)
            .ok()
            .flatten()
            .map(|u| u.name)
            .unwrap_or_else(|| format!("uid {uid}"))
    };
    let uid = nix::unistd::getuid();
    let login = std::fs::read_to_string("/proc/self/loginuid")
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        // 4294967295: no login session (a service, a container).
        .filter(|&l| l != u32::MAX && l != uid.as_raw())
        .map(nix::unistd::Uid::from_raw);
    match login {
        Some(l) => format!("{} (logged in as {})", name_of(uid), name_of(l)),
        None => name_of(uid),
    }
}

/// Who changed the seed set, for the logs.
#[derive(Clone, Debug)]
pub enum Editor {
    /// A Unix user at the command line.
    User(String),
    /// An API token with the operator role.
    Token(String),
}

impl Editor {
    /// The Unix user running this command.
    pub fn me() -> Editor {
        Editor::User(who())
    }

    fn name(&self) -> String {
        match self {
            Editor::User(u) => u.clone(),
            Editor::Token(t) => format!("token:{t}"),
        }
    }

    fn actor_role(&self) -> (String, &'static str) {
        match self {
            Editor::User(u) => (format!("user:{u}"), "cli"),
            Editor::Token(t) => (format!("token:{t}"), "operator"),
        }
    }
}

/// Records a change in the seed log, the audit log and the process log.
pub async fn log_change(
    db: &Db,
    by: &Editor,
    action: &str,
    label: &str,
    file: &Path,
    detail: &str,
) -> anyhow::Result<()> {
    let user = by.name();
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    crate::store::seed_log::insert(
        db,
        &LoggedChange {
            at,
            user: user.clone(),
            action: action.to_string(),
            label: label.to_string(),
            file: file.display().to_string(),
            detail: detail.to_string(),
        },
    )
    .await?;
    tracing::info!(%user, action, label, file = %file.display(), detail, "seed set changed");
    let (actor, role) = by.actor_role();
    let result = if detail.is_empty() {
        format!("ok: {}", file.display())
    } else {
        format!("ok: {} ({detail})", file.display())
    };
    let event = crate::audit::Event {
        actor: &actor,
        role,
        action: &format!("seeds.{action}"),
        target: label,
        reason: "",
        result: &result,
    };
    crate::audit::append(db, &event).await?;
    Ok(())
}

/// The change log, oldest first.
pub async fn changes(db: &Db) -> anyhow::Result<Vec<LoggedChange>> {
    crate::store::seed_log::all(db).await
}

fn read_doc(path: &Path) -> anyhow::Result<DocumentMut> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.parse().with_context(|| {
        format!(
            "{} is not valid TOML: fix it by hand first (nightjar never rewrites a file it cannot read)",
            path.display()
        )
    })
}

fn seed_tables<'a>(doc: &'a mut DocumentMut, path: &Path) -> anyhow::Result<&'a mut ArrayOfTables> {
    let item = doc
        .entry("seed")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    item.as_array_of_tables_mut().with_context(|| {
        format!(
            "{}: `seed` is not written as [[seed]] tables; edit this file by hand",
            path.display()
        )
    })
}

/// Writes `text` to `path` durably in one rename. The temporary file has a fresh random
/// name (created exclusively, so a planted symlink cannot redirect it) that is not a
/// `.toml`, so the daemon's watcher ignores it.
fn replace_file(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = path.parent().context("a seed file needs a directory")?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".nightjar-seeds-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(text.as_bytes())?;
    // The daemon must read what the operator writes: keep the file's mode (a new file:
    // owner read-write, group read).
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o7777)
        .unwrap_or(0o640);
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Finds the file and table index of a seed by label.
fn locate(dir: &Path, label: &str) -> anyhow::Result<(PathBuf, DocumentMut, usize)> {
    for file in seed_files(dir)? {
        let mut doc = read_doc(&file)?;
        if doc.get("seed").is_none() {
            continue;
        }
        let tables = seed_tables(&mut doc, &file)?;
        let found = tables
            .iter()
            .position(|t| t.get("label").and_then(|l| l.as_str()).map(str::trim) == Some(label));
        if let Some(i) = found {
            return Ok((file, doc, i));
        }
    }
    bail!(
        "no seed labelled '{label}' in {}: `nightjar seeds list` shows the labels",
        dir.display()
    )
}

/// Checks a seed file's new text: it must hold `label`, valid, and no problem it did not
/// have before.
fn check_new_text(
    path: &Path,
    old: Option<&str>,
    new: &str,
    cfg: &Config,
    label: Option<&str>,
) -> anyhow::Result<()> {
    let (seeds, problems) = parse_seed_text(path, new, cfg);
    let before = old
        .map(|t| parse_seed_text(path, t, cfg).1.len())
        .unwrap_or(0);
    if problems.len() > before {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        bail!("the change would break the seed list: {}", list.join("; "));
    }
    if let Some(label) = label {
        if !seeds.iter().any(|s| s.spec.label == label) {
            bail!("seed '{label}' did not survive the edit; nothing was written");
        }
    }
    Ok(())
}

/// Adds a seed to `file` (a name in the seeds directory; created if missing). Returns the
/// file written.
pub fn add(dir: &Path, file: &str, entry: &SeedEntry, cfg: &Config) -> anyhow::Result<PathBuf> {
    if file.contains('/') || !file.ends_with(".toml") || file.starts_with('.') {
        bail!("--file '{file}': give a file name ending in .toml (it goes in the seeds directory)");
    }
    let spec = entry
        .to_spec(cfg)
        .with_context(|| format!("seed '{}' is not valid", entry.label))?;
    let (existing, _) = list_seed_dir(dir, cfg)?;
    if let Some(s) = existing.iter().find(|s| s.spec.label == spec.label) {
        bail!(
            "label '{}' is already used ({}:{}): choose another with --label",
            spec.label,
            s.file.display(),
            s.line
        );
    }
    let path = dir.join(file);
    let old = path
        .exists()
        .then(|| std::fs::read_to_string(&path))
        .transpose()?;
    let mut doc: DocumentMut = match &old {
        Some(_) => read_doc(&path)?,
        None => DocumentMut::new(),
    };
    let mut t = Table::new();
    t["label"] = value(spec.label.clone());
    t["url"] = value(entry.url.trim());
    if let Some(s) = entry.scope {
        t["scope"] = value(s.as_str());
    }
    if let Some(d) = entry.max_depth {
        t["max_depth"] = value(i64::from(d));
    }
    if let Some(p) = entry.max_pages {
        t["max_pages"] = value(p as i64);
    }
    if let Some(r) = &entry.recrawl {
        t["recrawl"] = value(r.as_str());
    }
    if let Some(r) = &entry.recrawl_min {
        t["recrawl_min"] = value(r.as_str());
    }
    if let Some(r) = &entry.recrawl_max {
        t["recrawl_max"] = value(r.as_str());
    }
    if let Some(r) = entry.rate_per_sec {
        t["rate_per_sec"] = value(r);
    }
    if let Some(n) = entry.max_in_flight {
        t["max_in_flight"] = value(i64::from(n));
    }
    if let Some(r) = entry.route {
        t["route"] = value(r.as_str());
    }
    if let Some(r) = entry.robots {
        t["robots"] = value(r.as_str());
    }
    if entry.enabled == Some(false) {
        t["enabled"] = value(false);
    }
    if let Some(site) = &entry.site {
        t["site"] = value(site.trim());
    }
    let tables = seed_tables(&mut doc, &path)?;
    if old.is_none() {
        t.decor_mut()
            .set_prefix("# Seeds added with `nightjar seeds add`.\n\n");
    } else {
        t.decor_mut().set_prefix("\n");
    }
    tables.push(t);
    let text = doc.to_string();
    check_new_text(&path, old.as_deref(), &text, cfg, Some(&spec.label))?;
    replace_file(&path, &text)?;
    Ok(path)
}

/// Removes a seed from its file. Its pages and captures stay in the archive.
pub fn remove(dir: &Path, label: &str, cfg: &Config) -> anyhow::Result<PathBuf> {
    let (path, mut doc, i) = locate(dir, label)?;
    let old = std::fs::read_to_string(&path)?;
    seed_tables(&mut doc, &path)?.remove(i);
    let text = doc.to_string();
    check_new_text(&path, Some(&old), &text, cfg, None)?;
    replace_file(&path, &text)?;
    Ok(path)
}

/// Enables or disables a seed (`enabled = false` in its table). Returns the file and
/// whether anything changed.
pub fn set_enabled(
    dir: &Path,
    label: &str,
    enabled: bool,
    cfg: &Config,
) -> anyhow::Result<(PathBuf, bool)> {
    let (path, mut doc, i) = locate(dir, label)?;
    let old = std::fs::read_to_string(&path)?;
    let table = seed_tables(&mut doc, &path)?
        .get_mut(i)
        .expect("located table");
    let was = table
        .get("enabled")
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    if was == enabled {
        return Ok((path, false));
    }
    if enabled {
        table.remove("enabled");
    } else {
        table["enabled"] = value(false);
    }
    let text = doc.to_string();
    check_new_text(&path, Some(&old), &text, cfg, Some(label))?;
    replace_file(&path, &text)?;
    Ok((path, true))
}

/// Changes to a seed's rules (`None` leaves a key as it is).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUpdate {
    /// `host`, `domain` or `prefix`.
    pub scope: Option<frontier::scope::ScopeKind>,
    /// Recrawl interval (`"6h"`, `"never"`).
    pub recrawl: Option<String>,
    /// Link hops from the seed.
    pub max_depth: Option<u32>,
    /// URLs the seed keeps track of.
    pub max_pages: Option<u64>,
    /// Shortest interval a page adapts down to.
    pub recrawl_min: Option<String>,
    /// Longest interval a page adapts up to.
    pub recrawl_max: Option<String>,
    /// Requests per second per host.
    pub rate_per_sec: Option<f64>,
    /// Requests in flight per host.
    pub max_in_flight: Option<u32>,
}

/// Changes some rules of a seed in its file, checked like any edit. Returns the file.
pub fn update(
    dir: &Path,
    label: &str,
    change: &SeedUpdate,
    cfg: &Config,
) -> anyhow::Result<PathBuf> {
    let (path, mut doc, i) = locate(dir, label)?;
    let old = std::fs::read_to_string(&path)?;
    let table = seed_tables(&mut doc, &path)?
        .get_mut(i)
        .expect("located table");
    if let Some(s) = change.scope {
        table["scope"] = value(s.as_str());
    }
    if let Some(r) = &change.recrawl {
        table["recrawl"] = value(r.as_str());
    }
    if let Some(d) = change.max_depth {
        table["max_depth"] = value(i64::from(d));
    }
    if let Some(p) = change.max_pages {
        // Checked before it is written: TOML integers are signed.
        crate::seeds::check_count("max_pages", p)?;
        table["max_pages"] = value(p as i64);
    }
    if let Some(r) = &change.recrawl_min {
        table["recrawl_min"] = value(r.as_str());
    }
    if let Some(r) = &change.recrawl_max {
        table["recrawl_max"] = value(r.as_str());
    }
    if let Some(r) = change.rate_per_sec {
        table["rate_per_sec"] = value(r);
    }
    if let Some(n) = change.max_in_flight {
        table["max_in_flight"] = value(i64::from(n));
    }
    let text = doc.to_string();
    let (seeds, problems) = parse_seed_text(&path, &text, cfg);
    if let Some(p) = problems.iter().find(|p| {
        !parse_seed_text(&path, &old, cfg)
            .1
            .iter()
            .any(|q| q.message == p.message)
    }) {
        bail!("the change is not valid: {}", p.message);
    }
    if !seeds.iter().any(|s| s.spec.label == label) {
        bail!("seed '{label}' did not survive the edit; nothing was written");
    }
    replace_file(&path, &text)?;
    Ok(path)
}

/// Imports the seeds of `source` into the seeds directory (a file of the same name: created,
/// or appended to). All or nothing: one invalid seed or taken label and nothing is written.
/// Returns the file written and the labels imported.
pub fn import(dir: &Path, source: &Path, cfg: &Config) -> anyhow::Result<(PathBuf, Vec<String>)> {
    let text = std::fs::read_to_string(source)
        .with_context(|| format!("cannot read {}", source.display()))?;
    let (seeds, problems) = parse_seed_text(source, &text, cfg);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        bail!("nothing imported: {}", list.join("; "));
    }
    if seeds.is_empty() {
        bail!(
            "nothing imported: {} has no [[seed]] table",
            source.display()
        );
    }
    let (existing, _) = list_seed_dir(dir, cfg)?;
    let taken: Vec<String> = seeds
        .iter()
        .filter_map(|s| {
            existing
                .iter()
                .find(|e| e.spec.label == s.spec.label)
                .map(|e| format!("'{}' ({})", s.spec.label, e.file.display()))
        })
        .collect();
    if !taken.is_empty() {
        bail!(
            "nothing imported: labels already in use: {}",
            taken.join(", ")
        );
    }
    let name = source
        .file_name()
        .filter(|n| n.to_string_lossy().ends_with(".toml"))
        .with_context(|| format!("{}: a seed file's name ends in .toml", source.display()))?;
    let target = dir.join(name);
    let labels: Vec<String> = seeds.iter().map(|s| s.spec.label.clone()).collect();
    if !target.exists() {
        replace_file(&target, &text)?;
        return Ok((target, labels));
    }
    let old = std::fs::read_to_string(&target)?;
    let mut doc = read_doc(&target)?;
    let mut incoming: DocumentMut = text.parse()?;
    let incoming = seed_tables(&mut incoming, source)?.clone();
    let tables = seed_tables(&mut doc, &target)?;
    for t in incoming.iter() {
        tables.push(t.clone());
    }
    let new = doc.to_string();
    check_new_text(&target, Some(&old), &new, cfg, None)?;
    replace_file(&target, &new)?;
    Ok((target, labels))
}

/// What the daemon would say of the seed directory as it now stands: the problems that make
/// it refuse a reload (it keeps the previous seed set until they are fixed).
pub fn reload_blockers(dir: &Path, cfg: &Config) -> Vec<String> {
    match list_seed_dir(dir, cfg) {
        Err(e) => vec![format!("{e:#}")],
        Ok((seeds, problems)) => {
            let mut out: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            if !seeds.iter().any(|s| s.enabled) {
                out.push("no enabled seed is left".into());
            }
            out
        }
    }
}

/// Every seed of the directory, enabled or not, as one seed file (which `import` takes).
pub fn export(dir: &Path) -> anyhow::Result<String> {
    let mut out: DocumentMut = DocumentMut::new();
    let mut all = ArrayOfTables::new();
    for file in seed_files(dir)? {
        let mut doc = read_doc(&file)?;
        if doc.get("seed").is_none() {
            continue;
        }
        for (i, t) in seed_tables(&mut doc, &file)?.iter().enumerate() {
            let mut t = t.clone();
            if i == 0 {
                t.decor_mut()
                    .set_prefix(format!("\n# from {}\n", file.display()));
            }
            all.push(t);
        }
    }
    out.insert("seed", Item::ArrayOfTables(all));
    let header = format!(
        "# nightjar seed set exported by {} at {} from {}\n",
        who(),
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        dir.display()
    );
    Ok(header + &out.to_string())
}
