//! What the archive tells analysts beyond captures, end to end through the `nightjar`
//! binary against a real site on 127.0.0.1: validated entities and their ledger across
//! hosts and recrawls, full-text search in Russian, English and Japanese, clear errors for
//! bad input, and the backfill that rebuilds both from the archived records alone.

mod harness;

use std::collections::BTreeSet;

use harness::site::{Page, Site};
use harness::Workspace;
use serde_json::Value;

const BTC: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
const BTC_BAD: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb";

fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn entity_set(ws: &Workspace) -> BTreeSet<String> {
    json_lines(&ws.ok(&["entities", "--json"]))
        .into_iter()
        .map(|mut e| {
            // Row ids depend on the order of the backfill; the rest must be the same.
            e.as_object_mut().unwrap().remove("id");
            e.to_string()
        })
        .collect()
}

fn site() -> Site {
    let site = Site::start();
    site.put(
        "/a/index.html",
        Page::html(format!(
            "<html><head><title>Market</title></head><body><h1>Vendor shop</h1>\
             <p>Pay to {BTC} (not {BTC_BAD}). Order #89161234567, price 1 299 000 ₽.</p>\
             <p>Звоните: восемь девять один шесть один два три четыре пять шесть семь</p>\
             <a href=\"/a/item.html\">item</a> <a href=\"mailto:sales@example.org\">mail</a></body></html>"
        )),
    );
    site.put(
        "/a/item.html",
        Page::html(
            "<html><body><p>Delivery in Moscow. IBAN DE89 3704 0044 0532 0130 00</p>\
             <p>東京都の物件もあります</p></body></html>",
        ),
    );
    site.put(
        "/b/index.html",
        Page::html(format!(
            "<html><body><p>Forum: the vendor asks for <span data-addr=\"{BTC}\">this address</span>.</p>\
             <p>Write to vendor [at] protonmail [dot] com. Fresh listing every week.</p></body></html>"
        )),
    );
    site
}

fn crawl_both(ws: &Workspace, site: &Site) {
    ws.ok(&[
        "crawl",
        &site.url("market.test", "/a/index.html"),
        &site.url("forum.test", "/b/index.html"),
        "--region",
        "RU",
        "--resolve",
        &site.resolve("market.test"),
        "--resolve",
        &site.resolve("forum.test"),
    ]);
}

#[test]
fn entities_are_followed_across_hosts_and_recrawls() {
    let site = site();
    let ws = Workspace::new("");
    crawl_both(&ws, &site);

    let all = json_lines(&ws.ok(&["entities", "--json"]));
    let find = |kind: &str, value: &str| {
        all.iter()
            .find(|e| e["kind"] == kind && e["value"] == value)
            .unwrap_or_else(|| panic!("no {kind} {value} in {all:#?}"))
            .clone()
    };
    let btc = find("btc", BTC);
    assert_eq!(
        (btc["captures"].as_i64(), btc["hosts"].as_i64()),
        (Some(2), Some(2))
    );
    find("phone", "+79161234567");
    find("email", "sales@example.org");
    find("email", "vendor@protonmail.com");
    find("iban", "DE89370400440532013000");
    // A bad checksum, an order number and a price are not entities.
    assert!(!all.iter().any(|e| e["value"] == BTC_BAD), "{all:#?}");
    assert_eq!(
        all.iter().filter(|e| e["kind"] == "phone").count(),
        1,
        "{all:#?}"
    );

    // Shared by two hosts: the lead.
    let shared = json_lines(&ws.ok(&["entities", "--shared", "--json"]));
    assert_eq!(shared.len(), 1, "{shared:#?}");
    assert_eq!(shared[0]["value"], BTC);
    let phones = json_lines(&ws.ok(&["entities", "--kind", "phone", "--json"]));
    assert_eq!(phones.len(), 1);

    // The timeline, looked up as an analyst types the value.
    let report: Value = serde_json::from_str(&ws.ok(&["entity", BTC, "--json"])).unwrap();
    let hosts: BTreeSet<&str> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect();
    let port = site.port();
    assert_eq!(
        hosts,
        BTreeSet::from([
            format!("forum.test:{port}").as_str(),
            format!("market.test:{port}").as_str()
        ])
    );
    assert_eq!(report["timeline"].as_array().unwrap().len(), 2);
    for s in report["timeline"].as_array().unwrap() {
        let capture = s["capture_id"].as_i64().unwrap();
        let shown = ws.ok(&["show", &capture.to_string(), "--body", "--reason", "case 7"]);
        assert!(
            shown.contains(BTC),
            "capture {capture} does not hold the address"
        );
    }
    let phone: Value =
        serde_json::from_str(&ws.ok(&["entity", "+7 916 123-45-67", "--json"])).unwrap();
    assert_eq!(phone["entity"]["value"], "+79161234567");
    assert_eq!(
        phone["timeline"][0]["flags"], 2,
        "the spelled-out number is flagged as deobfuscated"
    );
    let text = ws.ok(&["entity", BTC]);
    assert!(
        text.contains("on 2 hosts") && text.contains("market.test"),
        "{text}"
    );

    // A recrawl is a new sighting: counted, last seen moves, first seen stays.
    crawl_both(&ws, &site);
    let again: Value = serde_json::from_str(&ws.ok(&["entity", BTC, "--json"])).unwrap();
    assert_eq!(again["entity"]["captures"], 4, "{again:#}");
    assert_eq!(
        again["entity"]["first_seen"],
        report["entity"]["first_seen"]
    );
    assert!(again["entity"]["last_seen"].as_str() > report["entity"]["last_seen"].as_str());

    // Bad input: a clear error, nothing lost.
    for (args, says) in [
        (
            vec!["entities", "--kind", "bitcoin"],
            "unknown entity kind 'bitcoin'",
        ),
        (vec!["entity", BTC_BAD], "is not a valid entity"),
        (
            vec!["entity", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"],
            "was not seen",
        ),
        (vec!["search", "\"unclosed"], "cannot read the search query"),
        (
            vec!["crawl", "http://x.test/", "--region", "XX"],
            "unknown region 'XX'",
        ),
    ] {
        let out = ws.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    ws.verify_ok();
}

#[test]
fn search_finds_phrases_in_any_script_and_the_backfill_rebuilds_everything() {
    let site = site();
    let ws = Workspace::new("");
    crawl_both(&ws, &site);

    let hits = |q: &str| -> Vec<Value> { json_lines(&ws.ok(&["search", q, "--json"])) };
    let urls = |v: &[Value]| -> BTreeSet<String> {
        v.iter()
            .map(|h| h["url"].as_str().unwrap().to_string())
            .collect()
    };
    let ru = hits("звоните");
    assert_eq!(
        urls(&ru),
        BTreeSet::from([site.url("market.test", "/a/index.html")])
    );
    assert!(
        ru[0]["snippet"].as_str().unwrap().contains("«Звоните»"),
        "{ru:#?}"
    );
    assert_eq!(
        urls(&hits("\"fresh listing\"")),
        BTreeSet::from([site.url("forum.test", "/b/index.html")])
    );
    assert_eq!(urls(&hits("vendor NOT forum")).len(), 1);
    assert_eq!(urls(&hits("vendor OR delivery")).len(), 3);
    assert_eq!(urls(&hits("deliv*")).len(), 1);
    assert_eq!(
        urls(&hits("東京")).len(),
        1,
        "Japanese without spaces is searchable"
    );
    assert_eq!(
        urls(&json_lines(&ws.ok(&[
            "search",
            "vendor",
            "--host",
            &format!("forum.test:{}", site.port()),
            "--json"
        ]))),
        BTreeSet::from([site.url("forum.test", "/b/index.html")])
    );
    let plain = ws.ok(&["search", "Moscow"]);
    assert!(
        plain.contains("«Moscow»") && plain.contains("capture"),
        "{plain}"
    );

    // Forget everything derived, as an archive from before extraction would be; the
    // backfill rebuilds it from the WARC records, fetching nothing.
    let before = entity_set(&ws);
    assert!(before.len() >= 5, "{before:#?}");
    let requests = site.requests().len();
    ws.sql(&[
        "DELETE FROM entity_sightings".into(),
        "DELETE FROM entity_hosts".into(),
        "DELETE FROM entity_scans".into(),
        "DELETE FROM entities".into(),
        "DELETE FROM text_search".into(),
    ]);
    assert!(hits("звоните").is_empty());
    assert_eq!(ws.ok(&["entities"]).trim(), "no entities match");
    let out = ws.run(&["reindex", "--entities"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("captures looked at for entities: "),
        "{stderr}"
    );
    assert!(stdout.contains("reindexed:"), "{stdout}");
    assert_eq!(
        entity_set(&ws),
        before,
        "the backfill found what the crawl found"
    );
    assert_eq!(urls(&hits("звоните")).len(), 1);
    assert_eq!(
        site.requests().len(),
        requests,
        "the backfill fetched something"
    );

    // Again: nothing left to do, nothing counted twice.
    let again = ws.ok(&["reindex", "--entities"]);
    assert!(
        again.contains("0 page texts, 0 captures, 0 entity sightings"),
        "{again}"
    );
    assert_eq!(entity_set(&ws), before);
    ws.verify_ok();
}

/// A webhook receiver on 127.0.0.1: answers 503 until `up`, then 200, and keeps every
/// document it accepted.
struct Receiver {
    port: u16,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    got: std::sync::Arc<std::sync::Mutex<Vec<Value>>>,
    refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Receiver {
    fn start() -> Receiver {
        use std::io::{BufRead, BufReader, Read, Write};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let r = Receiver {
            port: listener.local_addr().unwrap().port(),
            up: Default::default(),
            got: Default::default(),
            refused: Default::default(),
        };
        let (up, got, refused) = (r.up.clone(), r.got.clone(), r.refused.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let status = if up.load(Ordering::SeqCst) {
                    got.lock()
                        .unwrap()
                        .push(serde_json::from_slice(&body).unwrap());
                    "200 OK"
                } else {
                    refused.fetch_add(1, Ordering::SeqCst);
                    "503 Service Unavailable"
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        r
    }
}

#[test]
fn watches_raise_one_alert_per_new_match_and_none_is_lost_while_the_webhook_is_down() {
    use std::sync::atomic::Ordering;
    let mut site = site();
    let hook = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let command_out = dir.path().join("alerts.jsonl");
    let ws = Workspace::new(&format!(
        "[alerts]\nwebhook = \"http://127.0.0.1:{}/hook\"\ncommand = [\"sh\", \"-c\", \"cat >> {}\"]\nretry_backoff = \"100ms\"\n",
        hook.port,
        command_out.display()
    ));
    ws.ok(&["watch", "add", "vendor-btc", "--entity", BTC]);
    ws.ok(&["watch", "add", "listing", "--text", "Fresh   LISTING"]);
    for (args, says) in [
        (
            vec!["watch", "add", "x", "--regex", "("],
            "not a valid regex",
        ),
        (
            vec!["watch", "add", "x", "--entity", BTC_BAD],
            "not a valid entity",
        ),
        (vec!["watch", "add", "listing", "--text", "y"], "exists"),
        (vec!["watch", "remove", "nope"], "no watch named 'nope'"),
    ] {
        let out = ws.run(&args);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let listed = json_lines(&ws.ok(&["watch", "list", "--json"]));
    assert_eq!(listed.len(), 2);

    // The webhook is down: the alerts are raised, the command takes them, the webhook's wait.
    crawl_both(&ws, &site);
    let alerts = json_lines(&ws.ok(&["alerts", "--json"]));
    assert_eq!(alerts.len(), 3, "{alerts:#?}");
    let by_watch = |w: &str| alerts.iter().filter(|a| a["watch"] == w).count();
    assert_eq!((by_watch("vendor-btc"), by_watch("listing")), (2, 1));
    for a in &alerts {
        assert!(
            a["webhook_at"].is_null() && a["command_at"].is_string(),
            "{a:#}"
        );
        assert!(a["last_error"].as_str().unwrap().contains("503"), "{a:#}");
    }
    assert!(hook.refused.load(Ordering::SeqCst) >= 3);
    let lines =
        || -> Vec<Value> { json_lines(&std::fs::read_to_string(&command_out).unwrap_or_default()) };
    assert_eq!(lines().len(), 3);
    assert_eq!(lines()[0]["type"], "nightjar.alert");

    // Up again; an unchanged recrawl raises nothing new, and the waiting alerts go out once.
    hook.up.store(true, Ordering::SeqCst);
    crawl_both(&ws, &site);
    assert_eq!(json_lines(&ws.ok(&["alerts", "--json"])).len(), 3);
    let got: Vec<i64> = hook
        .got
        .lock()
        .unwrap()
        .iter()
        .map(|d| d["alert_id"].as_i64().unwrap())
        .collect();
    let ids: BTreeSet<i64> = alerts.iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got.iter().copied().collect::<BTreeSet<_>>(), ids);
    assert_eq!(lines().len(), 3, "the command got an alert twice");
    let doc = hook.got.lock().unwrap()[0].clone();
    for key in [
        "watch",
        "capture_id",
        "url",
        "host",
        "seed",
        "captured_at",
        "matched",
    ] {
        assert!(!doc[key].is_null(), "{key} missing in {doc:#}");
    }

    // The forum page changes and still matches both: one new alert each.
    site.put(
        "/b/index.html",
        Page::html(format!(
            "<html><body><p>Forum: pay {BTC} now.</p><p>Another fresh listing arrived.</p></body></html>"
        )),
    );
    crawl_both(&ws, &site);
    let after = json_lines(&ws.ok(&["alerts", "--json"]));
    assert_eq!(after.len(), 5, "{after:#?}");
    assert_eq!(hook.got.lock().unwrap().len(), 5);
    assert_eq!(lines().len(), 5);

    // Removing a watch keeps its alerts.
    ws.ok(&["watch", "remove", "vendor-btc"]);
    assert_eq!(json_lines(&ws.ok(&["watch", "list", "--json"])).len(), 1);
    assert_eq!(
        json_lines(&ws.ok(&["alerts", "--watch", "vendor-btc", "--json"])).len(),
        3
    );
    let audit = ws.ok(&["verify", "--audit"]);
    assert!(audit.trim_end().ends_with("OK"), "{audit}");
    site.down();
}

#[test]
fn entities_go_to_partners_as_a_misp_event_and_into_the_evidence_package() {
    let site = site();
    let ws = Workspace::new("");
    crawl_both(&ws, &site);

    // A MISP event of one seed's entities, read back by the public pymisp library.
    let seed = format!("cli:{}", site.url("market.test", "/a/index.html"));
    let event = ws.dir.path().join("event.json");
    ws.ok(&[
        "misp",
        "--case",
        "OP-7",
        "--seed",
        &seed,
        "--out",
        &event.to_string_lossy(),
    ]);
    let script = r#"
import json, sys
from pymisp import MISPEvent
e = MISPEvent()
e.load(open(sys.argv[1]).read())
out = {"info": e.info, "attributes": [[a.type, a.category, a.value, str(a.first_seen)] for a in e.attributes],
       "objects": [[o.name, [[a.object_relation, a.type, str(a.value)] for a in o.attributes]] for o in e.objects]}
print(json.dumps(out))
"#;
    let loaded = harness::tool("python3", &["-c", script, &event.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&loaded.stderr);
    assert!(
        loaded.status.success(),
        "pymisp could not load the event: {stderr}"
    );
    let m: Value = serde_json::from_slice(&loaded.stdout).unwrap();
    assert!(m["info"].as_str().unwrap().contains("OP-7"), "{m:#}");
    let attrs = m["attributes"].as_array().unwrap();
    let has = |t: &str, v: &str| attrs.iter().any(|a| a[0] == t && a[2] == v);
    assert!(has("phone-number", "+79161234567"), "{m:#}");
    assert!(has("email", "sales@example.org"), "{m:#}");
    assert!(has("iban", "DE89370400440532013000"), "{m:#}");
    assert!(
        has("url", &site.url("market.test", "/a/index.html")),
        "{m:#}"
    );
    // Only the seed's: the forum's obfuscated address is not in it.
    assert!(!has("email", "vendor@protonmail.com"), "{m:#}");
    let coin = &m["objects"][0];
    assert_eq!(coin[0], "coin-address", "{m:#}");
    assert!(coin[1]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a[0] == "address" && a[1] == "btc" && a[2] == BTC));
    let phone_first = attrs.iter().find(|a| a[0] == "phone-number").unwrap()[3]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        phone_first.starts_with("20"),
        "first_seen is a time: {phone_first}"
    );

    // The WACZ evidence package lists an entities.json, and stays valid.
    let wacz = ws.dir.path().join("case.wacz");
    ws.ok(&[
        "export",
        "--seed",
        &seed,
        "--case",
        "OP-7",
        "--reason",
        "test",
        "--out",
        &wacz.to_string_lossy(),
    ]);
    let v = harness::tool("wacz", &["validate", "-f", &wacz.to_string_lossy()]);
    assert!(
        v.status.success(),
        "wacz validate: {}",
        String::from_utf8_lossy(&v.stdout)
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&wacz).unwrap()).unwrap();
    let datapackage: Value =
        serde_json::from_reader(zip.by_name("datapackage.json").unwrap()).unwrap();
    assert!(datapackage["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["path"] == "entities/entities.json"));
    let entities: Value =
        serde_json::from_reader(zip.by_name("entities/entities.json").unwrap()).unwrap();
    let list = entities["entities"].as_array().unwrap();
    let btc = list.iter().find(|e| e["value"] == BTC).unwrap();
    assert_eq!(
        btc["sightings_total"], 1,
        "only the exported seed's capture: {btc:#}"
    );
    assert!(!list.iter().any(|e| e["value"] == "vendor@protonmail.com"));

    // A selection without a case is refused with the reason.
    let out = ws.run(&["misp", "--case", " "]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--case is empty"));
}

fn api(addr: &str, method: &str, path: &str, token: &str, body: Option<&str>) -> (u16, Value) {
    let (status, _, b) = harness::http_request(addr, method, path, Some(token), body);
    (status, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

#[test]
fn the_daemon_answers_over_the_api_and_delivers_alerts_as_it_crawls() {
    use std::sync::atomic::Ordering;
    let site = site();
    let hook = Receiver::start();
    hook.up.store(true, Ordering::SeqCst);
    let ws = Workspace::new(&format!(
        "[fetch]\nresolve = [\"{}\", \"{}\"]\n[alerts]\nwebhook = \"http://127.0.0.1:{}/hook\"\n",
        site.resolve("market.test"),
        site.resolve("forum.test"),
        hook.port
    ));
    // The region comes from the seeds file, for both seeds.
    ws.write_seeds(
        "s.toml",
        format!(
            "region = \"RU\"\n[[seed]]\nlabel = \"market\"\nurl = \"{}\"\n[[seed]]\nlabel = \"forum\"\nurl = \"{}\"\n",
            site.url("market.test", "/a/index.html"),
            site.url("forum.test", "/b/index.html")
        ),
    )
    .unwrap();
    let analyst = ws
        .ok(&["token", "create", "--role", "analyst", "--name", "alice"])
        .trim()
        .to_string();
    let operator = ws
        .ok(&["token", "create", "--role", "operator", "--name", "ops"])
        .trim()
        .to_string();
    ws.ok(&["watch", "add", "vendor-btc", "--entity", BTC]);
    let (child, log) = ws.spawn(&["run"]);
    // The daemon's outbox delivers as it goes: one alert per page with the address.
    harness::wait_until(
        "two alerts at the webhook",
        std::time::Duration::from_secs(60),
        || hook.got.lock().unwrap().len() >= 2,
    );
    let addr = ws.api_address().expect("the status names the API address");
    let a = addr.as_str();

    let (status, shared) = api(a, "GET", "/api/v1/entities?shared=true", &analyst, None);
    assert_eq!(status, 200, "{shared}");
    assert_eq!(shared["entities"][0]["value"], BTC, "{shared:#}");
    let (status, phone) = api(
        a,
        "GET",
        "/api/v1/entity?value=%2B7%20916%20123%2045%2067",
        &analyst,
        None,
    );
    assert_eq!(status, 200, "{phone}");
    assert_eq!(phone["entity"]["value"], "+79161234567");
    let capture = phone["timeline"][0]["capture_id"].as_i64().unwrap();
    let (_, of) = api(
        a,
        "GET",
        &format!("/api/v1/captures/{capture}/entities"),
        &analyst,
        None,
    );
    assert!(
        of["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["value"] == BTC),
        "{of:#}"
    );
    let (status, found) = api(
        a,
        "GET",
        "/api/v1/search?q=%D0%B7%D0%B2%D0%BE%D0%BD%D0%B8%D1%82%D0%B5",
        &analyst,
        None,
    );
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["results"].as_array().unwrap().len(), 1, "{found:#}");
    let (status, bad) = api(a, "GET", "/api/v1/search?q=%22open", &analyst, None);
    assert_eq!(status, 400);
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not closed"),
        "{bad}"
    );
    let (status, bad) = api(a, "GET", "/api/v1/entities?kind=coin", &analyst, None);
    assert_eq!(status, 400);
    assert!(bad["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unknown entity kind"));
    assert_eq!(api(a, "GET", "/api/v1/entities", &operator, None).0, 403);

    let (status, made) = api(
        a,
        "POST",
        "/api/v1/watches",
        &analyst,
        Some(r#"{"name":"moscow","text":"delivery in moscow"}"#),
    );
    assert_eq!(status, 201, "{made}");
    let (status, _) = api(
        a,
        "POST",
        "/api/v1/watches",
        &analyst,
        Some(r#"{"name":"two","text":"a","regex":"b"}"#),
    );
    assert_eq!(status, 400);
    let (_, listed) = api(a, "GET", "/api/v1/watches", &analyst, None);
    assert_eq!(listed["watches"].as_array().unwrap().len(), 2);
    assert_eq!(
        api(a, "DELETE", "/api/v1/watches/moscow", &analyst, None).0,
        200
    );
    assert_eq!(
        api(a, "DELETE", "/api/v1/watches/moscow", &analyst, None).0,
        404
    );
    let (_, alerts) = api(a, "GET", "/api/v1/alerts", &analyst, None);
    let alerts = alerts["alerts"].as_array().unwrap().clone();
    assert_eq!(alerts.len(), 2, "{alerts:#?}");
    assert!(alerts.iter().all(|x| x["webhook_at"].is_string()));
    // Pages of one row, cursor after cursor, make up the same lists, and end.
    for (path, key) in [
        ("/api/v1/alerts", "alerts"),
        ("/api/v1/entities", "entities"),
    ] {
        let (_, whole) = api(a, "GET", &format!("{path}?limit=500"), &analyst, None);
        assert!(whole["next_cursor"].is_null(), "{whole}");
        let whole = whole[key].as_array().unwrap().clone();
        assert!(whole.len() >= 2, "{path}: {whole:?}");
        let mut paged: Vec<Value> = Vec::new();
        let mut cursor = String::new();
        for _ in 0..=whole.len() {
            let (status, page) = api(a, "GET", &format!("{path}?limit=1{cursor}"), &analyst, None);
            assert_eq!(status, 200, "{page}");
            paged.extend(page[key].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_i64() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(paged, whole, "{path} paged one by one");
    }
    // Counted in the metrics, by watch.
    let status: Value =
        serde_json::from_str(&std::fs::read_to_string(ws.data().join("status.json")).unwrap())
            .unwrap();
    let metrics = status["metrics"]
        .as_str()
        .expect("the status names the metrics address");
    let (_, _, text) = harness::http_request(metrics, "GET", "/metrics", None, None);
    let text = String::from_utf8_lossy(&text);
    assert!(
        text.lines()
            .any(|l| l == "nightjar_alerts_total{watch=\"vendor-btc\"} 2"),
        "{text}"
    );
    let (status, event) = api(a, "GET", "/api/v1/misp?case=OP-9", &analyst, None);
    assert_eq!(status, 200);
    assert!(event["Event"]["info"].as_str().unwrap().contains("OP-9"));

    let stderr = harness::stop_cleanly(child, &log);
    assert!(
        stderr.contains("alert: watch 'vendor-btc' matched"),
        "{stderr}"
    );
    let audit = ws.ok(&["verify", "--audit"]);
    assert!(audit.trim_end().ends_with("OK"), "{audit}");
}

/// The held-out corpus's PGP material: (signer's armored key, its fingerprint, a message it
/// clear-signed, another key).
fn pgp_material() -> (String, String, String, String) {
    let m: Value =
        serde_json::from_str(include_str!("entity-corpus-heldout/pgp_material.json")).unwrap();
    let signed = &m["signed"]["tg"];
    let signer = &m["keys"][signed["key"].as_str().unwrap()];
    (
        signer["armored"].as_str().unwrap().to_string(),
        signer["fpr"].as_str().unwrap().to_string(),
        signed["armored"].as_str().unwrap().to_string(),
        m["keys"]["vendor"]["armored"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_signature_is_verified_against_the_key_seen_on_another_page_before() {
    let (key, fpr, message, other_key) = pgp_material();
    let forged = message.replacen("Менеджер", "Manager", 1);
    assert_ne!(forged, message);
    let site = Site::start();
    let pre = |s: &str| Page::html(format!("<html><body><pre>{s}</pre></body></html>"));
    site.put("/key.html", pre(&key));
    site.put("/other.html", pre(&other_key));
    site.put("/post.html", pre(&message));
    site.put("/forged.html", pre(&forged));
    let ws = Workspace::new("");
    let crawl = |host: &str, paths: &[&str]| {
        let mut args = vec!["crawl".to_string()];
        args.extend(paths.iter().map(|p| site.url(host, p)));
        args.extend(["--resolve".to_string(), site.resolve(host)]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ws.ok(&args);
    };
    // The message first, before its key is known: the signer is recorded, not verified.
    crawl("early.test", &["/post.html"]);
    crawl("keys.test", &["/key.html", "/other.html"]);
    crawl("forum.test", &["/post.html", "/forged.html"]);

    let report: Value = serde_json::from_str(&ws.ok(&["entity", &fpr, "--json"])).unwrap();
    let detail = &report["entity"]["detail"];
    let detail: Value = match detail {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        d => d.clone(),
    };
    assert!(
        detail["armor"]
            .as_str()
            .is_some_and(|a| a.contains("BEGIN PGP PUBLIC KEY BLOCK")),
        "the key's own detail replaced the signature's: {detail:#}"
    );
    assert!(detail["user_ids"].as_array().is_some_and(|u| !u.is_empty()));
    let flags_of = |path: &str| -> Vec<i64> {
        report["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["url"].as_str().unwrap().ends_with(path))
            .map(|s| s["flags"].as_i64().unwrap())
            .collect()
    };
    let verified = |flags: &[i64]| flags.iter().any(|f| f & 4 != 0);
    assert_eq!(flags_of("/key.html").len(), 1);
    assert!(
        !verified(&flags_of("/key.html")),
        "a key alone signs nothing"
    );
    let post = report["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["url"].as_str().unwrap().ends_with("/post.html"))
        .map(|s| {
            (
                s["host"].as_str().unwrap().to_string(),
                s["flags"].as_i64().unwrap() & 4 != 0,
            )
        })
        .collect::<BTreeSet<_>>();
    assert!(
        post.iter().any(|(h, v)| h.starts_with("early.test") && !v)
            && post.iter().any(|(h, v)| h.starts_with("forum.test") && *v),
        "verified once the key had been seen, not before: {post:?}"
    );
    // A tampered message names the same signer but does not verify.
    let forged_flags = flags_of("/forged.html");
    assert_eq!(forged_flags.len(), 1, "{report:#}");
    assert!(!verified(&forged_flags));
    let text = ws.ok(&["entity", &fpr]);
    assert!(text.contains("signature verified"), "{text}");

    // Partners get the key itself in MISP, its fingerprint in the comment.
    let event: Value = serde_json::from_str(&ws.ok(&["misp", "--case", "OP-PGP"])).unwrap();
    let attrs = event["Event"]["Attribute"].as_array().unwrap();
    let keys: Vec<&Value> = attrs
        .iter()
        .filter(|a| a["type"] == "pgp-public-key")
        .collect();
    let signer = keys
        .iter()
        .find(|a| a["comment"].as_str().unwrap().contains(&fpr))
        .expect("the signer's key is in the event");
    assert!(signer["value"]
        .as_str()
        .unwrap()
        .contains("BEGIN PGP PUBLIC KEY BLOCK"));
}
