//! The store boundary, checked on the workspace's sources: SQL and the engine's own types
//! appear only in the store modules of the crate that owns the tables (and where the data
//! directory opens the engine). Everything else goes through `db::Db` and the store
//! functions, so a second engine changes no caller. Test modules (from a `#[cfg(test)]`
//! `mod` to the end of a file) may reach the engine directly to set up or tamper with rows.
//! The benchmark binary (`bench/`) is not checked: it fills a database in bulk with its own
//! statements and opens SQLite with the daemon's settings, on purpose.

use std::path::{Path, PathBuf};

/// Where the engine may be named, relative to the workspace root.
const STORE_MODULES: &[&str] = &[
    "frontier/src/queue.rs",
    "frontier/src/leases.rs",
    "frontier/src/schema.rs",
    "archive/src/index.rs",
    "archive/src/changes.rs",
    "archive/src/ledger.rs",
    // host_prints: the look-alike fingerprints, stored beside the rules that compare them.
    "archive/src/lookalike.rs",
    "archive/src/erasure.rs",
    "archive/src/search.rs",
    "archive/src/schema.rs",
    "crawler/src/store/",
    // Opens the SQLite pool with its pragmas and wraps it in a `Db`.
    "crawler/src/data.rs",
];

/// The parts of sqlx any module may name: they say nothing about the engine.
const NEUTRAL_SQLX: &[&str] = &["sqlx::Error", "sqlx::FromRow", "sqlx::Type"];

/// Whether a line does what only a store module may: runs a statement (`db::query`), names
/// sqlx beyond its engine-neutral parts (a statement, a query builder, an engine's types),
/// or an engine by name.
fn names_the_engine(line: &str) -> bool {
    let mut rest = line;
    while let Some(at) = rest.find("sqlx::") {
        let tail = &rest[at..];
        if !NEUTRAL_SQLX.iter().any(|n| {
            tail.starts_with(n)
                && !tail[n.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        }) {
            return true;
        }
        rest = &tail["sqlx::".len()..];
    }
    // A statement for any engine is SQL too.
    line.contains("db::query(")
        || line.contains("db::query_owned(")
        || line.contains("use sqlx") && !line.contains("use sqlx::")
        || line.contains("use sqlx::{")
        || line.contains("Sqlite")
        || line.contains("Postgres")
        || line.contains("Pool::")
        || line.contains("Conn::")
        || line.contains("Db::sqlite")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether line `i` opens a test module: `#[cfg(test)]` then `mod name {` (on the same line
/// or the next non-empty one). Returns the indentation its closing brace has.
fn test_module_at(lines: &[&str], i: usize) -> Option<usize> {
    let line = lines[i].trim_start();
    let rest = line.strip_prefix("#[cfg(test)]")?;
    let module = if rest.trim().is_empty() {
        lines[i + 1..].iter().find(|l| !l.trim().is_empty())?
    } else {
        rest
    };
    let m = module.trim();
    (m.starts_with("mod ") && m.ends_with('{'))
        .then(|| lines[i].len() - lines[i].trim_start().len())
}

/// The lines of `text` that name the engine, outside comments and test modules (a
/// `#[cfg(test)]` `mod … {` up to its closing brace, as rustfmt indents it; a single
/// test-only item is checked like any other line, and so is a test module in its own file).
fn marked_lines(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut in_test: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(close) = &in_test {
            if line.trim_end() == close {
                in_test = None;
            }
            continue;
        }
        if let Some(indent) = test_module_at(&lines, i) {
            in_test = Some(format!("{}}}", " ".repeat(indent)));
            continue;
        }
        if !line.trim_start().starts_with("//") && names_the_engine(line) {
            found.push((i + 1, line.trim().to_string()));
        }
    }
    found
}

#[test]
fn only_store_modules_query_tables_or_name_the_engine() {
    // Where cargo runs the test from, not where the binary was built: a build directory
    // shared by several checkouts (CARGO_TARGET_DIR) may run a binary built in another.
    let manifest = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    let root = Path::new(&manifest).parent().unwrap();
    let mut files = Vec::new();
    for krate in ["frontier", "archive", "crawler"] {
        rust_files(&root.join(krate).join("src"), &mut files);
    }
    assert!(
        files.len() > 30,
        "the sources were not found under {root:?}"
    );
    let mut stray = Vec::new();
    let mut in_stores = 0;
    for file in &files {
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let marked = marked_lines(&std::fs::read_to_string(file).unwrap());
        if STORE_MODULES.iter().any(|s| rel.starts_with(s)) {
            in_stores += marked.len();
        } else {
            stray.extend(marked.into_iter().map(|(n, l)| format!("{rel}:{n}: {l}")));
        }
    }
    assert!(
        stray.is_empty(),
        "SQL or the engine's types outside the store modules (move the query into the \
         owning crate's store module and call it with a db::Db):\n{}",
        stray.join("\n")
    );
    // The check sees the queries where they are, so it would see them elsewhere.
    assert!(
        in_stores > 100,
        "only {in_stores} marked lines in the store modules"
    );
}

#[test]
fn the_check_sees_a_query_and_skips_test_modules_and_comments() {
    let text = "fn a() {}\n// sqlx::query in a comment\nlet r = sqlx::query(\"SELECT 1\");\n\
                fn e() -> Result<(), sqlx::Error> { Ok(()) }\n\
                #[cfg(test)]\nfn helper() {}\n\
                let o = sqlx::sqlite::SqliteConnectOptions::new();\n\
                use sqlx::{query, Row};\nlet Pool::Sqlite(p) = db.pool();\n\
                fn f(e: &sqlx::ErrorKind) {}\n\
                #[cfg(test)]\n\nmod tests {\n    fn t(p: &SqlitePool) {}\n}\n\
                let d = Db::sqlite(pool);\n\
                #[cfg(test)] mod more {\n    fn u(p: &SqlitePool) {}\n}\n\
                #[cfg(test)]\nmod elsewhere;\nfn g(p: &SqlitePool) {}\n";
    let found: Vec<usize> = marked_lines(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        found,
        vec![3, 7, 8, 9, 10, 16, 22],
        "{:?}",
        marked_lines(text)
    );
}
