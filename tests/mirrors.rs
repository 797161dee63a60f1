//! Signed mirror lists and canaries (issue 22), end to end: keys made and files signed by
//! GnuPG (an independent OpenPGP implementation), served by a real site on 127.0.0.1 and
//! crawled by `nightjar run`; then what `sites`, `site` and `alerts` say.

mod harness;

use std::time::Duration;

use harness::gpg::Gpg;
use harness::site::{Page, Site};
use harness::{browser_script, http_request, stop_cleanly, wait_until, Workspace};
use serde_json::Value;

/// Valid v3 onion addresses (checksum and version right), made for this test.
const MIRROR_A: &str = "s2myolztmfmpp7cwdumpc5t4raien2n4dchn3ks4dxylj3nnyegvx3yd.onion";
const MIRROR_B: &str = "7o7bwirtk34ajuhg6lccetjylohkzygc2hpdmyge7t4vq72tf5gt3did.onion";
const PHISH: &str = "52csmfqrlr6n634angdtarvuvz5zus5nttn7zw3mtkwuuhvadcnwukid.onion";
/// A valid address made to start like `MIRROR_A` (its first 8 characters).
const VANITY: &str = "s2myolztvz75v3apxwooeqhxehlutrhgwswc2q4zrzecauunwfh3geqd.onion";
/// The market's payment address, and the one a phishing clone swaps in.
const BTC: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
const BTC_PHISH: &str = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";
/// The same with its last checksum character changed: an address that cannot exist.
const BROKEN: &str = "6xcuekbpmgklt4izn7mi3zts2xjgh2dxakvvxk46dtaaoqnv4rjf6gae.onion";

fn text(body: impl Into<String>) -> Page {
    Page {
        content_type: "text/plain; charset=utf-8".into(),
        ..Page::html(body)
    }
}

fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

const BLOCK: &str = "00000000000000000002b7c0a2e4e1f0c3d1a6b9e8f7a6b5c4d3e2f1a0b9c8d7";

#[test]
fn gnupg_signatures_verify_against_pinned_keys_only() {
    use crawler::mirrors::{examine, CheckStatus, MirrorFile, PinnedKeys};
    let gpg = Gpg::new();
    let market = gpg.key("Market <market@example.org>", "ed25519");
    let sub = gpg.signing_subkey(&market);
    let rsa = gpg.key("Old market <old@example.org>", "rsa3072");
    let other = gpg.key("Phisher <phish@example.org>", "ed25519");
    let pinned =
        PinnedKeys::parse(&[gpg.export(&market).as_str(), gpg.export(&rsa).as_str()]).unwrap();
    assert_eq!(pinned.fingerprints(), vec![market.clone(), rsa.clone()]);
    let list = format!("Our mirrors:\nhttp://{MIRROR_A}\nhttp://{MIRROR_B}/\nhttp://{BROKEN}\n");
    let max = Duration::from_secs(14 * 86_400);
    let now = chrono::Utc::now();
    let check = |signed: &str| {
        examine(
            MirrorFile::Mirrors,
            200,
            signed.as_bytes(),
            &pinned,
            max,
            now,
        )
    };

    // `FPR!`: exactly the primary key (without the `!`, GnuPG signs with the newest
    // signing subkey, the next case).
    for (signer, named) in [
        (format!("{market}!"), market.clone()),
        (market.clone(), sub.clone()),
        (format!("{sub}!"), sub.clone()),
        (rsa.clone(), rsa.clone()),
    ] {
        let c = check(&gpg.clearsign(&signer, &list));
        assert_eq!(c.status, CheckStatus::Verified, "{signer}: {c:?}");
        assert_eq!(c.signer.as_deref(), Some(named.as_str()));
        assert_eq!(c.listed, vec![MIRROR_A, MIRROR_B]);
        assert_eq!(c.refused.len(), 1, "{:?}", c.refused);
        assert!(c.signed_at.is_some());
        assert!(c.problem.is_none());
    }

    // Another key: refused, and its addresses are not the site's.
    let c = check(&gpg.clearsign(&other, &list));
    assert_eq!(c.status, CheckStatus::OtherKey);
    assert_eq!(c.signer.as_deref(), Some(other.as_str()));
    assert!(c.problem.as_deref().unwrap().contains(&market));
    assert!(c.alerts());

    // Altered after signing: one mirror swapped for the phisher's.
    let signed = gpg.clearsign(&market, &list);
    let c = check(&signed.replace(MIRROR_B, PHISH));
    assert_eq!(c.status, CheckStatus::BadSignature, "{c:?}");
    assert!(c.alerts());

    // No key pinned: nothing verifies, and that is the operator's choice, not an alert.
    let c = examine(
        MirrorFile::Mirrors,
        200,
        signed.as_bytes(),
        &PinnedKeys::default(),
        max,
        now,
    );
    assert_eq!(c.status, CheckStatus::NoPinnedKey);
    assert!(!c.alerts());

    // A canary: fresh, then late, then fresh but by another key.
    let canary = |date: &str, by: &str| {
        examine(
            MirrorFile::Canary,
            200,
            gpg.clearsign(by, &format!("Canary\nDate: {date}\nBlock: {BLOCK}\n"))
                .as_bytes(),
            &pinned,
            max,
            now,
        )
    };
    let fresh = canary(&days_ago(3), &market);
    assert_eq!(fresh.status, CheckStatus::Verified);
    let c = fresh.canary.as_ref().unwrap();
    assert!(!c.late);
    assert_eq!(c.age_days, Some(3));
    assert_eq!(c.block.as_deref(), Some(BLOCK));
    assert!(!fresh.alerts());
    let late = canary(&days_ago(20), &market);
    assert!(late.canary.as_ref().unwrap().late);
    assert!(late.problem.as_deref().unwrap().contains("late"));
    assert!(late.alerts());
    assert_eq!(canary(&days_ago(1), &other).status, CheckStatus::OtherKey);

    // pgp.txt: proof of nothing alone; an alert when the pinned key is gone from it.
    let served = |keys: &str| examine(MirrorFile::Pgp, 200, keys.as_bytes(), &pinned, max, now);
    assert_eq!(served(&gpg.export(&market)).status, CheckStatus::Verified);
    let swapped = served(&gpg.export(&other));
    assert_eq!(swapped.status, CheckStatus::OtherKey);
    assert_eq!(swapped.listed, vec![other.clone()]);
    assert!(swapped.alerts());
}

fn site_json(ws: &Workspace, name: &str) -> Value {
    serde_json::from_str(&ws.ok(&["site", name, "--json"])).unwrap()
}

fn checks_of(report: &Value, host: &str) -> Vec<Value> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["host"].as_str().unwrap().starts_with(host))
        .cloned()
        .collect()
}

#[test]
fn a_crawl_checks_mirror_lists_and_canaries_and_alerts_on_what_is_wrong() {
    let gpg = Gpg::new();
    let market = gpg.key("Market <market@example.org>", "ed25519");
    let phisher = gpg.key("Phisher <phish@example.org>", "ed25519");
    let list = format!("Official mirrors\nhttp://{MIRROR_A}\nhttp://{MIRROR_B}\n");

    let site = Site::start();
    let page = |btc: &str| {
        Page::html(format!(
            "<html><head><title>Dark Market</title></head><body><h1>Dark Market</h1>\
             <p>Welcome to the oldest market. Deposit to {btc} and your balance appears after \
             three confirmations. Vendors are verified by the staff; disputes take three days.</p>\
             <a href=\"/listing\">listing</a></body></html>"
        ))
    };
    site.put("/", page(BTC));
    site.put(
        "/favicon.ico",
        Page {
            content_type: "image/x-icon".into(),
            ..Page::html("ICON-BYTES")
        },
    );
    site.put("/pgp.txt", text(gpg.export(&market)));
    site.put("/mirrors.txt", text(gpg.clearsign(&market, &list)));
    site.put(
        "/canary.txt",
        text(gpg.clearsign(
            &market,
            &format!(
                "We have not been served any warrant.\nDate: {}\nLatest block: {BLOCK}\n",
                days_ago(20)
            ),
        )),
    );
    let clone = Site::start();
    clone.put("/", page(BTC));
    clone.put("/pgp.txt", text(gpg.export(&phisher)));
    clone.put(
        "/mirrors.txt",
        text(gpg.clearsign(
            &phisher,
            &format!("Official mirrors\nhttp://{MIRROR_A}\nhttp://{PHISH}\n"),
        )),
    );
    clone.put(
        "/canary.txt",
        text(
            gpg.clearsign(&market, &format!("Date: {}\n", days_ago(2)))
                .replace("Date:", "Dated:"),
        ),
    );

    // A phishing copy on an address of its own: the same page, the payment address swapped,
    // and a forum-style post naming an address made to look like a mirror's.
    let phish = Site::start();
    phish.put("/", page(BTC_PHISH));
    phish.put(
        "/listing",
        Page::html(format!(
            "<html><body><p>Market moved to http://{VANITY}/ !</p></body></html>"
        )),
    );
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\nrate_per_sec = 100.0\n[fetch]\nresolve = [\"{}\", \"{}\", \"{}\"]\n",
        site.resolve("market.test"),
        clone.resolve("clone.test"),
        phish.resolve("phish.test")
    ));
    let keys = ws.dir.path().join("seeds").join("market.asc");
    std::fs::create_dir_all(keys.parent().unwrap()).unwrap();
    std::fs::write(&keys, gpg.export(&market)).unwrap();
    ws.write_seeds(
        "market.toml",
        format!(
            "[[seed]]\nlabel = \"market-main\"\nsite = \"market\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 1\n\
             [seed.mirrors]\nkeys = [\"market.asc\"]\nfollow = true\n\n\
             [[seed]]\nlabel = \"market-2\"\nsite = \"market\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 1\n\
             [seed.mirrors]\nkeys = [\"market.asc\"]\ncanary_max_age = \"30days\"\n\n\
             [[seed]]\nlabel = \"phish\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 1\n",
            site.url("market.test", "/"),
            clone.url("clone.test", "/"),
            phish.url("phish.test", "/"),
        ),
    )
    .unwrap();

    // A key file that is not a key is refused when the seeds are read, naming the file.
    let bad = Workspace::new("");
    std::fs::create_dir_all(bad.dir.path().join("seeds")).unwrap();
    std::fs::write(bad.dir.path().join("seeds/k.asc"), "not a key").unwrap();
    bad.write_seeds(
        "b.toml",
        "[[seed]]\nlabel = \"b\"\nurl = \"http://b.test/\"\n[seed.mirrors]\nkeys = [\"k.asc\"]\n",
    )
    .unwrap();
    let out = bad.run(&["seeds", "list"]);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("k.asc") && said.contains("no armored OpenPGP public key"),
        "{said}"
    );

    let (child, log) = ws.spawn(&["run"]);
    wait_until(
        "both hosts' mirror files checked",
        Duration::from_secs(60),
        || {
            let out = ws.run(&["site", "market", "--json"]);
            out.status.success()
                && serde_json::from_slice::<Value>(&out.stdout)
                    .map(|r| {
                        r["checks"].as_array().map_or(0, Vec::len) >= 8
                            && !r["impersonations"].as_array().unwrap().is_empty()
                            && !r["lookalikes"].as_array().unwrap().is_empty()
                    })
                    .unwrap_or(false)
        },
    );
    // The same through the API, as the console reads it; an unknown site is a 404.
    let token = ws
        .ok(&["token", "create", "--role", "analyst", "--name", "a"])
        .trim()
        .to_string();
    let addr = ws.api_address().expect("the status names the API address");
    let (code, _, body) = http_request(&addr, "GET", "/api/v1/sites/market", Some(&token), None);
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    let api_report: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        api_report["lookalikes"][0]["verdict"],
        "probable-phishing-clone"
    );
    let (code, _, body) = http_request(&addr, "GET", "/api/v1/sites", Some(&token), None);
    assert_eq!(code, 200);
    let listed: Value = serde_json::from_slice(&body).unwrap();
    assert!(listed["sites"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["site"] == "phish"));
    let (code, _, _) = http_request(&addr, "GET", "/api/v1/sites/nowhere", Some(&token), None);
    assert_eq!(code, 404);
    let (code, _, body) = http_request(
        &addr,
        "GET",
        "/api/v1/entities?site=phish&kind=btc",
        Some(&token),
        None,
    );
    assert_eq!(code, 200);
    let e: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["entities"][0]["value"], BTC_PHISH, "{e}");
    assert_eq!(e["entities"].as_array().unwrap().len(), 1);
    let (code, _, _) = http_request(
        &addr,
        "GET",
        "/api/v1/changes?site=nowhere",
        Some(&token),
        None,
    );
    assert_eq!(code, 404);
    // And in the console, in a real browser: what an analyst opening the site reads.
    let scratch = tempfile::tempdir().unwrap();
    let shot = std::env::var_os("NIGHTJAR_SITE_SHOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| scratch.path().join("site.png"));
    let seen = browser_script(
        scratch.path(),
        "sites.test.mjs",
        &[
            format!("http://{addr}"),
            token.clone(),
            "market".into(),
            shot.display().to_string(),
        ],
        Duration::from_secs(120),
    );
    let line = |id: &str| {
        seen.lines()
            .find_map(|l| l.strip_prefix(&format!("{id}: ")))
            .unwrap_or_else(|| panic!("no {id} in {seen}"))
            .to_string()
    };
    assert!(line("site-addresses").contains(MIRROR_A), "{seen}");
    assert!(line("site-canaries").contains("(late)"), "{seen}");
    let lookalikes = line("site-lookalikes");
    assert!(
        lookalikes.contains("Probable phishing clone")
            && lookalikes.contains(BTC_PHISH)
            && lookalikes.contains("page structure")
            && lookalikes.contains(&format!("{VANITY} imitates {MIRROR_A}")),
        "{seen}"
    );
    assert!(line("site-checks").contains("other-key"), "{seen}");
    assert!(seen.contains("all to http://127.0.0.1:"), "{seen}");
    assert!(std::fs::metadata(&shot).is_ok_and(|m| m.len() > 1000));
    let said = stop_cleanly(child, &log);
    // Following the verified mirrors needs the Tor client, which this test has off: said,
    // and no seed written.
    assert!(
        said.contains("verified mirror not added as a seed") && said.contains("tor.enabled"),
        "{said}"
    );
    assert!(!ws.dir.path().join("seeds/followed-mirrors.toml").exists());

    // Every file was fetched and archived like any capture, /related.txt too (a 404).
    for s in [&site, &clone] {
        for f in ["/pgp.txt", "/mirrors.txt", "/canary.txt", "/related.txt"] {
            assert_eq!(s.hits(f), 1, "{f}");
        }
    }
    let report = site_json(&ws, "market");
    let by = |host: &str, file: &str| {
        checks_of(&report, host)
            .into_iter()
            .find(|c| c["file"] == file)
            .unwrap_or_else(|| panic!("no {file} check of {host}: {report:#}"))
    };
    // The genuine list verified; its addresses are the site's, with the seeds' hosts.
    let main_list = by("market.test", "mirrors");
    assert_eq!(main_list["status"], "verified");
    assert_eq!(main_list["signer"], market.as_str());
    let mut listed: Vec<&str> = main_list["listed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    listed.sort();
    let mut want = vec![MIRROR_A, MIRROR_B];
    want.sort();
    assert_eq!(listed, want);
    let hosts: Vec<&str> = report["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["host"].as_str().unwrap())
        .collect();
    for h in [
        MIRROR_A.to_string(),
        MIRROR_B.to_string(),
        format!("market.test:{}", site.port()),
        format!("clone.test:{}", clone.port()),
    ] {
        assert!(hosts.contains(&h.as_str()), "{h} in {hosts:?}");
    }
    assert!(!hosts.contains(&PHISH), "the phisher's list proves nothing");
    assert_eq!(by("market.test", "pgp")["status"], "verified");
    assert_eq!(by("market.test", "related")["status"], "missing");
    // The canary: verified but 20 days old.
    let canary = by("market.test", "canary");
    assert_eq!(canary["status"], "verified");
    assert_eq!(canary["canary_late"], 1);
    assert_eq!(canary["canary_block"], BLOCK);
    // The other address: a list by another key, and a canary altered after signing.
    assert_eq!(by("clone.test", "mirrors")["status"], "other-key");
    assert_eq!(by("clone.test", "pgp")["status"], "other-key");
    assert_eq!(by("clone.test", "canary")["status"], "bad-signature");

    // The phishing copy: a look-alike of the market (not of its own other address, which
    // the operator put in the site), with the swapped payment address named; the vanity
    // address, seen only in a post, imitates the mirror it starts like.
    let lookalikes = report["lookalikes"].as_array().unwrap();
    assert_eq!(lookalikes.len(), 1, "{lookalikes:#?}");
    let l = &lookalikes[0];
    assert_eq!(l["host"], format!("phish.test:{}", phish.port()));
    assert_eq!(l["verdict"], "probable-phishing-clone");
    assert_eq!(
        l["only_there"],
        serde_json::json!([format!("btc:{BTC_PHISH}")])
    );
    // (With the keys the site's addresses serve in pgp.txt, which the copy does not.)
    let on_site: Vec<&str> = l["only_on_site"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        on_site.contains(&format!("btc:{BTC}").as_str()),
        "{on_site:?}"
    );
    assert!(
        on_site.contains(&format!("pgp:{market}").as_str()),
        "{on_site:?}"
    );
    let shared: Vec<&str> = l["shared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["fingerprint"].as_str().unwrap())
        .collect();
    for f in ["structure", "title", "text"] {
        assert!(shared.contains(&f), "{f} in {shared:?}");
    }
    let imitations = report["impersonations"].as_array().unwrap();
    assert_eq!(imitations.len(), 1, "{imitations:#?}");
    assert_eq!(imitations[0]["address"], VANITY);
    assert_eq!(imitations[0]["like"], MIRROR_A);
    assert_eq!(imitations[0]["prefix"], 8);
    let human = ws.ok(&["site", "market"]);
    assert!(
        human.contains("probable-phishing-clone") && human.contains(BTC_PHISH),
        "{human}"
    );
    assert!(
        human.contains(&format!("{VANITY}  vanity imitation of {MIRROR_A}")),
        "{human}"
    );

    // Alerts: the late canary, the other key's list and pgp.txt, the altered canary; not
    // the verified files, nor the missing related.txt.
    let alerts: Vec<Value> = ws
        .ok(&["alerts", "--watch", "mirror-checks", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut raised: Vec<String> = alerts
        .iter()
        .map(|a| {
            let m: Value = serde_json::from_str(a["matched"].as_str().unwrap()).unwrap();
            format!(
                "{} {} {}",
                a["host"].as_str().unwrap(),
                m[0]["file"].as_str().unwrap(),
                m[0]["status"].as_str().unwrap()
            )
        })
        .collect();
    raised.sort();
    let port = |s: &Site, h: &str| format!("{h}:{}", s.port());
    let mut want = vec![
        format!("{} canary verified", port(&site, "market.test")),
        format!("{} canary bad-signature", port(&clone, "clone.test")),
        format!("{} mirrors other-key", port(&clone, "clone.test")),
        format!("{} pgp other-key", port(&clone, "clone.test")),
    ];
    want.sort();
    assert_eq!(raised, want, "{alerts:#?}");

    // The list of sites shows the problems; the capture of each file is the bytes served.
    let sites: Vec<Value> = ws
        .ok(&["sites", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let market_site = sites.iter().find(|s| s["site"] == "market").unwrap();
    assert_eq!(market_site["verified_mirrors"], 2);
    assert_eq!(market_site["seeds"].as_array().unwrap().len(), 2);
    let human = ws.ok(&["site", "market"]);
    assert!(
        human.contains(&format!(
            "canary of market.test:{}: verified, dated {} (late)",
            site.port(),
            days_ago(20)
        )),
        "{human}"
    );
    assert!(
        human.contains(&format!(
            "canary of clone.test:{}: bad-signature",
            clone.port()
        )),
        "{human}"
    );
    // Per site: the changes and entities of its addresses only (not the copy's).
    let changes: Vec<Value> = ws
        .ok(&[
            "changes", "--site", "market", "--since", "1h", "--class", "new", "--json",
        ])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seeds: std::collections::BTreeSet<&str> = changes
        .iter()
        .map(|c| c["seed"].as_str().unwrap())
        .collect();
    assert_eq!(seeds, ["market-2", "market-main"].into(), "{changes:#?}");
    let entities = ws.ok(&["entities", "--site", "market", "--json"]);
    assert!(
        entities.contains(BTC) && !entities.contains(BTC_PHISH),
        "{entities}"
    );
    let phish_entities = ws.ok(&["entities", "--site", "phish", "--json"]);
    assert!(phish_entities.contains(BTC_PHISH) && !phish_entities.contains(BTC));
    let out = ws.run(&["changes", "--site", "nowhere"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nightjar sites"));
    // A site's evidence package: every capture of its addresses, none of the copy's.
    let wacz = ws.dir.path().join("market.wacz");
    ws.ok(&[
        "export",
        "--site",
        "market",
        "--case",
        "C-22",
        "--reason",
        "the market's addresses",
        "--out",
        wacz.to_str().unwrap(),
    ]);
    ws.ok(&["verify", wacz.to_str().unwrap()]);
    // And by the independent checker (Python's zipfile, warcio, cryptography's Ed25519).
    harness::package_checks_independently(&wacz);
    let unpacked = ws.dir.path().join("market-wacz");
    harness::unzip(&wacz, &unpacked);
    let cdxj = std::fs::read_to_string(unpacked.join("indexes/index.cdx")).unwrap();
    assert!(
        cdxj.contains("test,market:") && cdxj.contains("test,clone:"),
        "{cdxj}"
    );
    assert!(!cdxj.contains("test,phish"), "{cdxj}");
    let id = main_list["capture_id"].as_i64().unwrap().to_string();
    let body = ws.ok(&["show", &id, "--body", "--reason", "test"]);
    assert!(body.contains("BEGIN PGP SIGNED MESSAGE") && body.contains(MIRROR_A));
    ws.verify_ok();
}
