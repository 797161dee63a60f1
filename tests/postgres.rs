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

/// Two nodes on one database: a package node a signed before it rotated its key is still
/// the office's on node b (verify there accepts every key a node has registered, old ones
/// included), and so is one signed by the new key before node a started again. A key no
/// node registered is refused.
#[test]
fn a_package_signed_before_a_nodes_key_rotation_verifies_on_another_node() {
    let server = db::testing::Postgres::start();
    let url = server.create_database("nightjar");
    let site = Site::board("Ad 18: write to mira@example.org");
    let node = |name: &str| {
        Workspace::new(&format!(
            "[data]\ndatabase = \"{url}\"\n[node]\nname = \"{name}\"\n[politeness]\nrobots = \"ignore\"\n"
        ))
    };
    let (a, b) = (node("a"), node("b"));
    let root = site.url("board.test", "/");
    let resolve = [site.resolve("board.test")];
    a.crawl(&root, &resolve, &["--depth", "0"]);
    // Node b crawls a site of its own (its key registered, and the packages below hold only
    // node a's captures).
    let other = Site::board("Ad 19");
    b.crawl(
        &other.url("other.test", "/"),
        &[other.resolve("other.test")],
        &["--depth", "0"],
    );
    let out = tempfile::tempdir().unwrap();
    let export = |ws: &Workspace, name: &str| {
        let package = out.path().join(name).to_string_lossy().to_string();
        ws.ok(&[
            "export", "--url", &root, "--case", "C-9", "--reason", "r", "--out", &package,
        ]);
        package
    };
    let verified_on_b = |package: &str| {
        let o = b.run(&["verify", package]);
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr),
        )
    };
    let before = export(&a, "before.wacz");
    let (ok, text) = verified_on_b(&before);
    assert!(ok, "{text}");

    a.ok(&["key", "rotate", "--reason", "yearly rotation"]);
    // Signed by the new key, before node a has started again.
    let after = export(&a, "after.wacz");
    let (ok, text) = verified_on_b(&after);
    assert!(ok, "the new key, recorded at the rotation: {text}");
    // And the old package, after the rotation replaced a's key in its registration.
    a.crawl(&root, &resolve, &["--depth", "0"]);
    let (ok, text) = verified_on_b(&before);
    assert!(ok, "a's key before the rotation: {text}");
    assert!(
        text.contains("is a key node 'a' rotated away from at"),
        "the old key is named with its retirement: {text}"
    );
    let (_, text) = verified_on_b(&after);
    assert!(!text.contains("rotated away from"), "{text}");

    // A package from a machine that is no node of this database (a data directory of its
    // own, on SQLite): refused on b.
    let stranger = Workspace::new("[data]\ndatabase = \"\"\n[politeness]\nrobots = \"ignore\"\n");
    stranger.crawl(&root, &resolve, &["--depth", "0"]);
    let foreign = export(&stranger, "foreign.wacz");
    let (ok, text) = verified_on_b(&foreign);
    assert!(!ok, "a key no node registered: {text}");
}
