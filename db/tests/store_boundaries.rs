//! The store boundary, checked on the workspace's sources: SQL and the engine's own types
//! appear only in the store modules of the crate that owns the tables (and where the data
//! directory opens the engine). Everything else goes through `db::Db` and the store
//! functions, so a second engine changes no caller. Test modules (from `#[cfg(test)]` to the
//! end of a file) may reach the engine directly to set up or tamper with rows.

use std::path::{Path, PathBuf};

/// Where the engine may be named, relative to the workspace root.
const STORE_MODULES: &[&str] = &[
    "frontier/src/queue.rs",
    "frontier/src/schema.rs",
    "archive/src/index.rs",
    "archive/src/changes.rs",
    "archive/src/schema.rs",
    "crawler/src/store/",
    // Opens the SQLite pool with its pragmas and wraps it in a `Db`.
    "crawler/src/data.rs",
];

/// What only a store module may write: a statement, or an engine's own type.
const ENGINE_MARKS: &[&str] = &[
    "sqlx::query",
    "QueryBuilder",
    "SqlitePool",
    "SqliteConnection",
    "Pool::Sqlite",
    "Conn::Sqlite",
    "sqlx::Sqlite",
];

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

/// The lines of `text` outside its test module that carry an engine mark.
fn marked_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .filter(|(_, l)| ENGINE_MARKS.iter().any(|m| l.contains(m)))
        .map(|(i, l)| (i + 1, l.trim().to_string()))
        .collect()
}

#[test]
fn only_store_modules_query_tables_or_name_the_engine() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
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
fn the_check_sees_a_query_and_skips_tests_and_comments() {
    let text = "fn a() {}\n// sqlx::query in a comment\nlet r = sqlx::query(\"SELECT 1\");\n\
                #[cfg(test)]\nmod tests { fn t(p: &SqlitePool) {} }\n";
    let found = marked_lines(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 3);
}
