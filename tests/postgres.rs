//! The daemon's commands on a PostgreSQL database (issue 20): `[data] database =
//! "postgres://…"` puts the frontier, the capture and change index, the entity ledger and
//! the audit log there, against a real server the test starts (Debian's initdb and pg_ctl);
//! the WARC files stay in the data directory. Built only with `--features postgres`
//! (tests/run-all.sh runs it).
#![cfg(feature = "postgres")]

mod harness;

use harness::site::Site;
use harness::Workspace;

#[test]
fn a_crawl_on_postgresql_is_indexed_recrawled_read_back_and_verified() {
    let server = db::testing::Postgres::start();
    let url = server.create_database("nightjar");
    let site = Site::board("Ad 17: write to lena@example.org");
    let ws = Workspace::new(&format!(
        "[data]\ndatabase = \"{url}\"\n[politeness]\nrobots = \"ignore\"\n"
    ));
    let root = site.url("board.test", "/");
    let resolve = [site.resolve("board.test")];
    ws.crawl(&root, &resolve, &["--depth", "1"]);
    ws.crawl(&root, &resolve, &["--depth", "1"]);

    // Indexed in PostgreSQL, not in a SQLite file.
    assert!(
        !ws.data().join("nightjar.db").exists(),
        "a SQLite database was made beside the PostgreSQL one"
    );
    let ad = site.url("board.test", "/ad.html");
    assert_eq!(ws.classes(&ad), ["new", "unchanged"]);
    assert_eq!(ws.classes(&root), ["new", "unchanged"]);
    let rows = server.psql("nightjar", "SELECT count(*) FROM captures");
    assert_eq!(rows.trim(), "4", "captures in PostgreSQL");
    let entity = server.psql(
        "nightjar",
        "SELECT value || ' ' || captures FROM entities WHERE kind = 'email'",
    );
    assert_eq!(entity.trim(), "lena@example.org 2", "the entity ledger");
    let body = ws.ok(&[
        "show",
        "--reason",
        "test",
        &ws.captures(&ad)[1]["id"].as_i64().unwrap().to_string(),
        "--body",
    ]);
    assert!(body.contains("lena@example.org"), "{body}");
    // Full-text search on PostgreSQL's tsquery, with the query language SQLite's FTS5 reads.
    let found = |q: &str| -> Vec<String> {
        let mut urls: Vec<String> = ws
            .ok(&["search", q, "--json"])
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| v["url"].as_str().unwrap_or("").to_string())
            .collect();
        urls.sort();
        urls
    };
    assert_eq!(found("lena@example.org"), [ad.as_str()]);
    assert_eq!(found("Ad 17"), [ad.as_str()]);
    assert_eq!(found("writ*"), [ad.as_str()]);
    assert_eq!(found("board OR lena@example.org").len(), 2);
    assert!(!found("ad NOT lena@example.org").contains(&ad));
    assert_eq!(found("\"17 write\""), [ad.as_str()]);
    assert!(found("\"write 17\"").is_empty());
    let bad = ws.run(&["search", "(lena"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not closed"));
    ws.verify_ok();
}
