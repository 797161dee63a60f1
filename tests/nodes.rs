//! Several nodes on one frontier (issue 20): three `nightjar run` daemons share a real
//! PostgreSQL server (Debian's initdb and pg_ctl, on loopback) and crawl a fixture web of 20
//! hosts, each its own HTTP server on 127.0.0.1, whose request logs say what each host saw.
//! Built only with `--features postgres` (tests/run-all.sh runs it). Also runs the multi-node
//! crawl benchmark (bench/crawl/nodes.py) at its quick size.
#![cfg(feature = "postgres")]

mod harness;

use std::collections::HashMap;
use std::time::Duration;

use harness::site::{Page, Site};
use harness::{wait_until, KillOnDrop, Workspace};

const HOSTS: usize = 20;
const PAGES: usize = 5;
/// Each seed's rate: a host sees requests at least this far apart.
const RATE: f64 = 4.0;

/// The fixture web: host `hN.test` serves `/`, linking to `/p1` … `/p4`.
fn web() -> Vec<Site> {
    (0..HOSTS)
        .map(|_| {
            let site = Site::start();
            let links: String = (1..PAGES)
                .map(|p| format!("<a href=\"/p{p}\">page {p}</a>"))
                .collect();
            site.put(
                "/",
                Page::html(format!("<html><body>{links}</body></html>")),
            );
            for p in 1..PAGES {
                site.put(
                    &format!("/p{p}"),
                    Page::html(format!("<html><body>page {p} of its host</body></html>")),
                );
            }
            site
        })
        .collect()
}

/// A node's workspace: its own data directory, the shared database, every host's seed.
fn node(name: &str, database: &str, web: &[Site]) -> Workspace {
    let resolve: Vec<String> = web
        .iter()
        .enumerate()
        .map(|(i, s)| format!("\"{}\"", s.resolve(&format!("h{i}.test"))))
        .collect();
    let ws = Workspace::new(&format!(
        "[data]\ndatabase = \"{database}\"\n\
         [node]\nname = \"{name}\"\nlease = \"3s\"\nmax_hosts = 4\n\
         [crawl]\nconcurrency = 4\n\
         [politeness]\nrobots = \"ignore\"\n\
         [fetch]\nresolve = [{}]\n",
        resolve.join(", ")
    ));
    let seeds: String = web
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "[[seed]]\nlabel = \"h{i}\"\nurl = \"{}\"\nmax_depth = 1\nrate_per_sec = {RATE}\n\n",
                s.url(&format!("h{i}.test"), "/")
            )
        })
        .collect();
    ws.write_seeds("web.toml", seeds).unwrap();
    ws
}

fn count(server: &db::testing::Postgres, sql: &str) -> usize {
    server.psql("nightjar", sql).trim().parse().unwrap_or(0)
}

#[test]
fn three_nodes_share_the_web_keep_each_hosts_pace_and_finish_a_killed_nodes_hosts() {
    let server = db::testing::Postgres::start();
    let database = server.create_database("nightjar");
    let web = web();
    let nodes: Vec<Workspace> = ["n1", "n2", "n3"]
        .iter()
        .map(|n| node(n, &database, &web))
        .collect();
    let mut running: Vec<Option<(KillOnDrop, std::path::PathBuf)>> =
        nodes.iter().map(|ws| Some(ws.spawn(&["run"]))).collect();
    // The first node to start creates the layout; all three register.
    wait_until("the layout made", Duration::from_secs(60), || {
        count(
            &server,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'nodes'",
        ) == 1
    });
    wait_until("three nodes registered", Duration::from_secs(60), || {
        count(&server, "SELECT count(*) FROM nodes") == 3
    });
    let archived = || {
        count(
            &server,
            "SELECT count(*) FROM captures WHERE file IS NOT NULL",
        )
    };

    // n1 dies (SIGKILL) once the crawl is under way.
    wait_until(
        "a third of the web archived",
        Duration::from_secs(90),
        || archived() >= HOSTS * PAGES / 3,
    );
    let n1_held: Vec<String> = server
        .psql("nightjar", "SELECT host FROM host_leases WHERE node = 'n1'")
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let n1_hosts = n1_held.len();
    let (n1, _) = running[0].take().unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(n1.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    drop(n1);

    // The others finish the web, n1's hosts included.
    wait_until("the whole web archived", Duration::from_secs(180), || {
        count(
            &server,
            "SELECT count(DISTINCT url) FROM captures WHERE file IS NOT NULL",
        ) >= HOSTS * PAGES
    });

    // The hosts n1 held (each with work left) were finished by the others.
    for host in &n1_held {
        let by_others = count(
            &server,
            &format!(
                "SELECT count(*) FROM captures WHERE node <> 'n1' AND file IS NOT NULL
                 AND url LIKE 'http://{host}/%'"
            ),
        );
        assert!(by_others > 0, "n1's host {host} was not taken over");
    }

    // Every page captured once; a page n1 had in flight when it died may be captured (and
    // requested) a second time by the node that took its host, no other.
    let twice = count(
        &server,
        "SELECT count(*) FROM (SELECT url FROM captures WHERE file IS NOT NULL
            GROUP BY url HAVING count(*) > 1) t",
    );
    assert!(
        twice <= n1_hosts,
        "{twice} pages captured twice; n1 held {n1_hosts} hosts when it died"
    );
    // Each node's captures are its own; all three took part.
    let by_node = server.psql(
        "nightjar",
        "SELECT node || '=' || count(*) FROM captures WHERE file IS NOT NULL GROUP BY node",
    );
    let by_node: HashMap<String, usize> = by_node
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(n, c)| (n.to_string(), c.parse().unwrap()))
        .collect();
    for n in ["n1", "n2", "n3"] {
        assert!(by_node.get(n).copied().unwrap_or(0) > 0, "{by_node:?}");
    }
    eprintln!("captures by node {by_node:?}; n1 held {n1_hosts} hosts when killed; {twice} pages captured twice");

    // Search is one, whichever node asks: every page's text, captured by all three nodes.
    let found = nodes[2].ok(&["search", "\"of its host\"", "--limit", "500", "--json"]);
    let hits: Vec<serde_json::Value> = found
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits.len(), HOSTS * (PAGES - 1), "{found}");
    let ids: Vec<String> = hits
        .iter()
        .flat_map(|h| h["captures"].as_array().unwrap().iter())
        .map(|c| c["capture_id"].to_string())
        .collect();
    let nodes_found = count(
        &server,
        &format!(
            "SELECT count(DISTINCT node) FROM captures WHERE id IN ({})",
            ids.join(",")
        ),
    );
    assert_eq!(nodes_found, 3, "search found the captures of every node");

    // Politeness across nodes: no host ever saw two requests closer than its pace, whichever
    // nodes sent them (10 ms for the fixture's accept loop, which polls every 5 ms).
    let period = Duration::from_secs_f64(1.0 / RATE);
    let mut refetched = 0;
    for (i, site) in web.iter().enumerate() {
        let times = site.request_times();
        for pair in times.windows(2) {
            let gap = pair[1].0.duration_since(pair[0].0);
            assert!(
                gap + Duration::from_millis(10) >= period,
                "h{i}.test saw {} then {} only {gap:?} apart (pace {period:?})",
                pair[0].1,
                pair[1].1
            );
        }
        for p in std::iter::once("/".to_string()).chain((1..PAGES).map(|p| format!("/p{p}"))) {
            let hits = site.hits(&p);
            assert!(hits >= 1, "h{i}.test{p} never requested");
            refetched += hits - 1;
        }
    }
    assert!(
        refetched <= n1_hosts,
        "{refetched} pages requested again; n1 held {n1_hosts} hosts when it died"
    );

    // `nightjar nodes`: n1 silent (its heartbeat older than a lease), the others up.
    wait_until("n1 silent", Duration::from_secs(20), || {
        nodes[1]
            .ok(&["nodes", "--json"])
            .lines()
            .any(|l| l.contains("\"name\":\"n1\"") && l.contains("\"state\":\"silent\""))
    });
    let listed = nodes[1].ok(&["nodes", "--json"]);
    let states: HashMap<String, String> = listed
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_string(),
                v["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(states.len(), 3, "{listed}");
    assert_eq!(states["n2"], "up", "{listed}");
    assert_eq!(states["n3"], "up", "{listed}");
    let table = nodes[2].ok(&["nodes"]);
    assert!(table.contains("silent") && table.contains("n3"), "{table}");

    // Each node's own metrics count its leases: n2 took hosts, n1's among them.
    let status: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(nodes[1].data().join("status.json")).unwrap(),
    )
    .unwrap();
    let metrics = status["metrics"].as_str().expect("n2's metrics address");
    let (_, _, text) = harness::http_request(metrics, "GET", "/metrics", None, None);
    let text = String::from_utf8_lossy(&text);
    let taken: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("nightjar_node_host_leases_total{event=\"taken\"} "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no lease counter in n2's metrics:\n{text}"));
    assert!(taken > 0, "{text}");
    assert!(text.contains("nightjar_node_hosts_held "), "{text}");

    // A capture held by a node that is down: refused by name, never answered wrongly.
    let foreign: i64 = server
        .psql(
            "nightjar",
            "SELECT min(id) FROM captures WHERE node = 'n1' AND file IS NOT NULL",
        )
        .trim()
        .parse()
        .unwrap();
    let out = nodes[1].run(&["show", "--reason", "test", &foreign.to_string(), "--body"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("node 'n1' holds it and cannot be reached"),
        "{said}"
    );

    // The survivors stop cleanly and each verifies its own archive; n1 comes back (its name
    // is free the moment its process died), repairs what the kill left and verifies too.
    for i in [1, 2] {
        let (child, log) = running[i].take().unwrap();
        harness::stop_cleanly(child, &log);
        nodes[i].verify_ok();
    }
    let (child, log) = nodes[0].spawn(&["run"]);
    wait_until(
        "n1 up again, its API known",
        Duration::from_secs(30),
        || {
            nodes[0].ok(&["nodes", "--json"]).lines().any(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["name"] == "n1"
                    && v["state"] == "up"
                    && v["api"]
                        .as_str()
                        .is_some_and(|a| a.starts_with("http://127.0.0.1:") && !a.ends_with(":0"))
            })
        },
    );
    // n2 reads n1's capture through n1's API (its node token), checked against the index:
    // the same bytes n1 reads from its own files; the hand-over is audited under n2's token.
    let show = ["show", "--reason", "case 7", &foreign.to_string(), "--body"];
    let remote = nodes[1].ok(&show);
    let local = nodes[0].ok(&show);
    assert!(remote.contains("<html>"), "{remote}");
    assert_eq!(remote, local);
    let handed = count(
        &server,
        "SELECT count(*) FROM audit_log WHERE action = 'record.fetch'
         AND actor = 'token:node-n2' AND reason = 'case 7' AND result LIKE 'ok%'",
    );
    assert_eq!(handed, 1, "the hand-over to n2 is audited on n1");

    // One package spanning all three nodes, made on n2: the others seal their files, sign a
    // fresh head and hand over their records; each record keeps its own node's evidence.
    running[0] = Some((child, log));
    for i in [1, 2] {
        running[i] = Some(nodes[i].spawn(&["run"]));
    }
    wait_until(
        "all three nodes up, their APIs known",
        Duration::from_secs(30),
        || {
            nodes[1]
                .ok(&["nodes", "--json"])
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
                .filter(|v| {
                    v["state"] == "up"
                        && v["api"].as_str().is_some_and(|a| {
                            a.starts_with("http://127.0.0.1:") && !a.ends_with(":0")
                        })
                })
                .count()
                == 3
        },
    );
    let first_of = |node: &str| -> String {
        server
            .psql(
                "nightjar",
                &format!("SELECT min(id) FROM captures WHERE node = '{node}' AND file IS NOT NULL"),
            )
            .trim()
            .to_string()
    };
    let chosen: Vec<String> = ["n1", "n2", "n3"].iter().map(|n| first_of(n)).collect();
    let package = nodes[1].dir.path().join("three-nodes.wacz");
    let package_s = package.to_string_lossy().to_string();
    let mut export = vec![
        "export",
        "--case",
        "case 7",
        "--reason",
        "all three nodes",
        "--out",
    ];
    export.push(&package_s);
    for c in &chosen {
        export.extend(["--capture", c.as_str()]);
    }
    let said = nodes[1].ok(&export);
    assert!(said.contains("exported 3 captures"), "{said}");
    // Third parties: wacz validate, warcio, and a checker sharing no code with nightjar.
    let v = harness::tool("wacz", &["validate", "-f", &package_s]);
    assert!(
        v.status.success() && String::from_utf8_lossy(&v.stdout).contains("Validation succeeded"),
        "wacz validate: {}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
    let x = tempfile::tempdir().unwrap();
    harness::unzip(&package, x.path());
    harness::warcio_accepts(&x.path().join("archive/data.warc.gz"));
    let checked = harness::package_checks_independently(&package);
    assert_eq!(checked["signer"], "n2", "{checked}");
    for n in ["n1", "n2", "n3"] {
        assert_eq!(checked["nodes"][n]["captures"], 1, "{checked}");
    }
    // The custody report names every node, each with its key.
    let custody: serde_json::Value =
        serde_json::from_slice(&std::fs::read(x.path().join("custody/custody.json")).unwrap())
            .unwrap();
    let others: Vec<&str> = custody["other_nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(others, ["n1", "n3"], "{custody}");
    let md = std::fs::read_to_string(x.path().join("custody/custody.md")).unwrap();
    for n in ["**n1**", "**n2**", "**n3**"] {
        assert!(md.contains(n), "{md}");
    }
    // nightjar's own check, where no node key is at hand (as a court's expert would).
    let outsider = Workspace::new("");
    let verified = outsider.ok(&["verify", &package_s]);
    assert!(verified.trim_end().ends_with("OK"), "{verified}");
    assert!(verified.contains("records of node 'n1'"), "{verified}");
    // With a witness of n1's log (its heads, as a witness of n1 kept them): n1's head in the
    // package is one it handed out; the other nodes' heads are said to be unwitnessed.
    let n1_heads = server.psql(
        "nightjar",
        "SELECT note FROM log_checkpoints WHERE node = 'n1' ORDER BY size",
    );
    let n1_witness = outsider.dir.path().join("n1-witness.txt");
    std::fs::write(&n1_witness, &n1_heads).unwrap();
    let witnessed = outsider.ok(&[
        "verify",
        &package_s,
        "--witness",
        &n1_witness.to_string_lossy(),
    ]);
    assert!(witnessed.trim_end().ends_with("OK"), "{witnessed}");
    assert!(
        witnessed.contains("kept the same signed head"),
        "{witnessed}"
    );
    for n in ["n2", "n3"] {
        assert!(
            witnessed.contains(&format!("no witness given holds heads of node '{n}'s log")),
            "{witnessed}"
        );
    }
    assert!(!witnessed.contains("node 'n1's log"), "{witnessed}");
    // A node's own captures alone, and only another node's: packages that verify as well.
    for (name, capture) in [("own", &chosen[1]), ("foreign", &chosen[0])] {
        let p = nodes[1].dir.path().join(format!("{name}.wacz"));
        let p_s = p.to_string_lossy().to_string();
        nodes[1].ok(&[
            "export",
            "--case",
            "case 7",
            "--reason",
            name,
            "--out",
            &p_s,
            "--capture",
            capture,
        ]);
        let v = outsider.ok(&["verify", &p_s]);
        assert!(v.trim_end().ends_with("OK"), "{name}: {v}");
        harness::package_checks_independently(&p);
    }
    // And on any node of the office: n1 knows n2's key from the nodes' registrations.
    let on_n1 = nodes[0].ok(&["verify", &package_s]);
    assert!(on_n1.trim_end().ends_with("OK"), "{on_n1}");
    // A package that gives n1's records another node's key (n3's; the package index fixed
    // up after the edit): its records, head and seals are not that key's, and both checks
    // say so.
    let edited = nodes[1].dir.path().join("edited.wacz");
    let o = harness::tool(
        "python3",
        &[
            "-c",
            "import sys, zipfile, json, hashlib\n\
             src, dst = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], 'w')\n\
             label = lambda b: 'sha256:' + hashlib.sha256(b).hexdigest()\n\
             c = json.loads(src.read('custody/custody.json'))\n\
             n = {s['name']: s for s in c['other_nodes']}\n\
             n['n1']['public_key'], n['n1']['fingerprint'] = n['n3']['public_key'], n['n3']['fingerprint']\n\
             cj = json.dumps(c).encode()\n\
             dp = json.loads(src.read('datapackage.json'))\n\
             for r in dp['resources']:\n\
             \x20   if r['path'] == 'custody/custody.json': r['hash'], r['bytes'] = label(cj), len(cj)\n\
             dpj = json.dumps(dp).encode()\n\
             d = json.loads(src.read('datapackage-digest.json'))\n\
             d['hash'] = d['signedData']['hash'] = label(dpj)\n\
             new = {'custody/custody.json': cj, 'datapackage.json': dpj, 'datapackage-digest.json': json.dumps(d).encode()}\n\
             for i in src.infolist(): dst.writestr(i, new.get(i.filename, src.read(i)))\n\
             dst.close()",
            &package_s,
            &edited.to_string_lossy(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bad = outsider.run(&["verify", &edited.to_string_lossy()]);
    let text = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{text}");
    assert!(
        text.contains("the signature over datapackage.json does not verify"),
        "{text}"
    );
    assert!(
        text.contains("from node 'n1's hash chain) names node key")
            && text.contains("the signed head of node 'n1's log"),
        "{text}"
    );
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/tools/check_package.py"
    );
    let o = harness::tool("python3", &[script, &edited.to_string_lossy()]);
    let refused = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && refused.contains("node 'n1': its checkpoint does not verify"),
        "{refused}"
    );

    // Each holder audited its part.
    let parts = count(
        &server,
        "SELECT count(*) FROM audit_log WHERE action = 'export.part'
         AND actor = 'token:node-n2' AND reason = 'all three nodes' AND result LIKE 'ok%'",
    );
    assert_eq!(parts, 2, "n1 and n3 each handed over their part");

    // The same as an analyst's export job on another node's API (n1 makes it; the token
    // is the office's, in the shared database).
    let analyst = nodes[2]
        .ok(&["token", "create", "--role", "analyst", "--name", "ana"])
        .trim()
        .to_string();
    let n1_api = nodes[1]
        .ok(&["nodes", "--json"])
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["name"] == "n1")
        .and_then(|v| {
            v["api"]
                .as_str()
                .map(|a| a.trim_start_matches("http://").to_string())
        })
        .expect("n1's API address");
    let body = format!(
        r#"{{"captures": [{}], "case": "case 7", "reason": "through the API"}}"#,
        chosen.join(", ")
    );
    let (status, _, started) = harness::http_request(
        &n1_api,
        "POST",
        "/api/v1/exports",
        Some(&analyst),
        Some(&body),
    );
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&started));
    let job: serde_json::Value = serde_json::from_slice(&started).unwrap();
    let job_url = format!("/api/v1/exports/{}", job["id"]);
    let state = || -> serde_json::Value {
        let (_, _, b) = harness::http_request(&n1_api, "GET", &job_url, Some(&analyst), None);
        serde_json::from_slice(&b).unwrap()
    };
    wait_until("the export job", Duration::from_secs(120), || {
        state()["state"] != "running"
    });
    let done = state();
    assert_eq!(done["state"], "done", "{done}");
    let (status, _, wacz) = harness::http_request(
        &n1_api,
        "GET",
        done["download"].as_str().unwrap(),
        Some(&analyst),
        None,
    );
    assert_eq!(status, 200);
    let from_api = nodes[0].dir.path().join("from-api.wacz");
    std::fs::write(&from_api, &wacz).unwrap();
    let checked = harness::package_checks_independently(&from_api);
    assert_eq!(checked["signer"], "n1", "{checked}");
    for n in ["n1", "n2", "n3"] {
        assert_eq!(checked["nodes"][n]["captures"], 1, "{checked}");
    }

    // A holder that is down: the export fails naming it, and leaves no package.
    let (n3, log3) = running[2].take().unwrap();
    harness::stop_cleanly(n3, &log3);
    let missing = nodes[1].dir.path().join("never.wacz");
    let mut export = vec![
        "export",
        "--case",
        "case 7",
        "--reason",
        "n3 is down",
        "--out",
    ];
    let missing_s = missing.to_string_lossy().to_string();
    export.push(&missing_s);
    for c in &chosen {
        export.extend(["--capture", c.as_str()]);
    }
    let out = nodes[1].run(&export);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("node 'n3'"), "{said}");
    assert!(!missing.exists());
    let (n2, log2) = running[1].take().unwrap();
    harness::stop_cleanly(n2, &log2);
    let (child, log) = running[0].take().unwrap();
    harness::stop_cleanly(child, &log);
    nodes[0].verify_ok();
    nodes[1].verify_ok();
    nodes[2].verify_ok();

    // A node that hands over bytes other than the indexed record is not believed: a rogue
    // "node" answering every request with a forged record, made the holder of one capture.
    let rogue = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let rogue_at = rogue.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in rogue.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            use std::io::{Read, Write};
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head);
            let body = b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 0\r\n\r\n\r\n\r\n";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
    });
    server.psql(
        "nightjar",
        &format!(
            "INSERT INTO nodes (name, host, pid, key_fingerprint, data_dir, api, started_at,
                heartbeat_at) VALUES ('rogue', 'x', 1, 'x', '/x', 'http://{rogue_at}', 'x', 0);
             UPDATE captures SET node = 'rogue' WHERE id = {foreign}"
        ),
    );
    let out = nodes[1].run(&show);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("node 'rogue' handed over a record whose digest is"),
        "{said}"
    );
    assert!(
        out.stdout.is_empty(),
        "something of a forged record was shown"
    );
}

/// PostgreSQL stopped in the middle of a crawl and started again: the nodes pause (they do
/// not exit), keep what they fetched, and resume when it answers; every page ends up
/// captured once.
/// PostgreSQL stopped mid-crawl: the nodes pause, keeping what they fetched. One of them is
/// SIGKILLed while paused (what it archived but could not index is only in its WARC files)
/// and started again once the server is back: it indexes those records from their bytes,
/// and every page ends up captured, once but for what was in flight at the kill.
#[test]
fn nodes_pause_while_postgresql_is_down_and_one_killed_meanwhile_loses_nothing() {
    let mut server = db::testing::Postgres::start();
    let database = server.create_database("nightjar");
    let web = web();
    // Leases longer than the outage: nobody's hosts change hands meanwhile.
    let nodes: Vec<Workspace> = ["p1", "p2"]
        .iter()
        .map(|n| node(n, &database, &web))
        .collect();
    for ws in &nodes {
        let cfg = std::fs::read_to_string(&ws.config).unwrap();
        std::fs::write(&ws.config, cfg.replace("lease = \"3s\"", "lease = \"20s\"")).unwrap();
    }
    let mut running: Vec<(KillOnDrop, std::path::PathBuf)> =
        nodes.iter().map(|ws| ws.spawn(&["run"])).collect();
    wait_until("the layout made", Duration::from_secs(60), || {
        count(
            &server,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'nodes'",
        ) == 1
    });
    let archived = |server: &db::testing::Postgres| {
        count(
            server,
            "SELECT count(*) FROM captures WHERE file IS NOT NULL",
        )
    };
    wait_until(
        "a fifth of the web archived",
        Duration::from_secs(90),
        || archived(&server) >= HOSTS * PAGES / 5,
    );
    // Longer than a node waits for a connection (5 s) before it calls the database away.
    server.stop("fast");
    // Waited for, not slept on: a loaded machine (CI's two cores) may take longer to notice.
    let paused = |log: &std::path::Path| {
        std::fs::read_to_string(log)
            .unwrap_or_default()
            .contains("the database does not answer")
    };
    let mut victim = None;
    wait_until("a node pausing", Duration::from_secs(60), || {
        victim = running.iter().position(|(_, log)| paused(log));
        victim.is_some()
    });
    let victim = victim.unwrap();
    for (child, log) in &mut running {
        let still = child.0.as_mut().unwrap().try_wait().unwrap();
        assert!(
            still.is_none(),
            "a node exited while PostgreSQL was down: {}",
            std::fs::read_to_string(&*log).unwrap_or_default()
        );
    }
    // The paused node dies (SIGKILL) while the server is away.
    let (mut killed, _) = running.remove(victim);
    let mut child = killed.0.take().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    server.resume();
    // Started again once the server is back (its log file starts afresh).
    let restarted = nodes[victim].spawn(&["run"]);
    running.insert(victim, restarted);
    wait_until("the whole web archived", Duration::from_secs(180), || {
        count(
            &server,
            "SELECT count(DISTINCT url) FROM captures WHERE file IS NOT NULL",
        ) >= HOSTS * PAGES
    });
    // Captured twice at most: what the killed node had in flight (its concurrency, 4), if
    // another node fetched it first.
    let twice = count(
        &server,
        "SELECT count(*) FROM (SELECT url FROM captures WHERE file IS NOT NULL
         GROUP BY url HAVING count(*) > 1) t",
    );
    assert!(twice <= 4, "{twice} pages captured more than once");
    assert!(
        archived(&server) <= HOSTS * PAGES + 4,
        "{} captures",
        archived(&server)
    );
    for (n, ((child, log), ws)) in running.into_iter().zip(&nodes).enumerate() {
        let said = harness::stop_cleanly(child, &log);
        if n == victim {
            // The killed node's open file was closed and checked at its restart.
            assert!(said.contains("left open by a crash"), "{said}");
        }
        // Every record in the node's files is indexed (the killed node's included), and
        // every chain and seal holds.
        ws.verify_ok();
        if paused(&log) {
            assert!(said.contains("the database answers again"), "{said}");
        }
    }
}

/// The multi-node crawl benchmark (`bench/run.sh --only nodes`) at its quick size, with this
/// build: figures are for people, but every run it reports must have crawled the whole
/// fixture web once, with every node count and in both regimes.
#[test]
fn the_nodes_benchmark_crawls_the_whole_fixture_with_one_two_and_three_nodes() {
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("nodes.json");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/crawl/nodes.py");
    let o = harness::tool(
        "python3",
        &[
            script,
            "--quick",
            "--nightjar",
            env!("CARGO_BIN_EXE_nightjar"),
            "--out",
            &json.to_string_lossy(),
        ],
    );
    assert!(
        o.status.success(),
        "nodes.py failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let want = ["pages", "images", "redirects"]
        .iter()
        .map(|k| v[k].as_u64().unwrap())
        .sum::<u64>();
    for regime in ["paced", "unpaced"] {
        let runs = v["regimes"][regime]["runs"].as_array().unwrap();
        let counts: Vec<u64> = runs.iter().map(|r| r["nodes"].as_u64().unwrap()).collect();
        assert_eq!(counts, [1, 2, 3], "{v:#}");
        for r in runs {
            assert_eq!(r["captures"].as_u64(), Some(want), "{r:#}");
            assert_eq!(r["captured_twice"].as_u64(), Some(0), "{r:#}");
            assert!(r["pages_per_s"].as_f64().unwrap() > 0.0, "{r:#}");
            assert!(r["cpu_s"].as_f64().unwrap() > 0.0, "{r:#}");
        }
    }
}
