//! The fetch path beyond plain HTTP: TLS (verified or not, recorded either way), h2 and
//! HTTP/1.1 over TLS with WARC-Protocol and WARC-Cipher-Suite, timeouts and redirect limits.
//! Servers are real, on 127.0.0.1: an hyper server behind rustls with a self-signed
//! certificate, and raw TCP listeners that misbehave on purpose.

mod harness;

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use harness::tls_server::https_server;
use harness::{tool, warcio_accepts, Workspace};

/// The plain-text WARC of every file in the archive.
fn warc_text(ws: &Workspace) -> String {
    let mut all = String::new();
    for f in ws.warc_files() {
        let o = tool("zstd", &["-dcq", &f.to_string_lossy()]);
        all.push_str(&String::from_utf8_lossy(&o.stdout));
    }
    all
}

#[test]
fn untrusted_certificate_is_refused_by_default_and_recorded() {
    let (port, _rt) = https_server(&[b"h2", b"http/1.1"]);
    let ws = Workspace::new("");
    let url = format!("https://secure.test:{port}/");
    let out = ws.crawl(
        &url,
        &[format!("secure.test:{port}:127.0.0.1")],
        &["--rate", "50"],
    );
    assert!(out.contains("1 URLs failed"), "{out}");
    let row = ws.first_capture(&url);
    assert_eq!(row["error_class"], "permanent");
    assert!(
        row["error"].as_str().unwrap().contains("certificate"),
        "{row}"
    );
}

fn accepted_anyway(alpn: &[&[u8]], protocol: &str) {
    let (port, _rt) = https_server(alpn);
    let ws = Workspace::new("[fetch]\naccept_invalid_certs = true\n");
    let url = format!("https://secure.test:{port}/");
    let out = ws.crawl(
        &url,
        &[format!("secure.test:{port}:127.0.0.1")],
        &["--rate", "50"],
    );
    assert!(
        out.contains("2 pages archived, 1 robots.txt archived"),
        "/ and /page2, and robots.txt: {out}"
    );
    let text = warc_text(&ws);
    assert!(
        text.contains(&format!("WARC-Protocol: {protocol}\r\n")),
        "no WARC-Protocol: {protocol}"
    );
    assert!(text.contains("WARC-Protocol: tls/1.3\r\n"));
    // IANA names: TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256.
    let cipher = text
        .lines()
        .find_map(|l| l.strip_prefix("WARC-Cipher-Suite: "))
        .expect("a cipher suite is recorded");
    assert!(
        [
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256"
        ]
        .contains(&cipher.trim()),
        "cipher suite {cipher:?} is not an IANA TLS 1.3 name"
    );
    assert!(
        text.contains("tls-verified: no\r\n") && text.contains("tls-error: "),
        "the failed verification must be recorded"
    );
    let rows = ws.ok(&[
        "captures",
        &format!("https://secure.test:{port}/page2"),
        "--json",
    ]);
    let row: serde_json::Value = serde_json::from_str(rows.lines().next().unwrap()).unwrap();
    let body = ws.ok(&["show", "--reason", "test", &row["id"].to_string(), "--body"]);
    assert!(body.contains("second page"), "{body}");
    for f in ws.warc_files() {
        warcio_accepts(&f);
    }
    ws.verify_ok();
}

#[test]
fn h2_over_tls_is_archived_with_protocol_and_cipher() {
    accepted_anyway(&[b"h2", b"http/1.1"], "h2");
}

#[test]
fn http11_over_tls_is_archived_with_protocol_and_cipher() {
    accepted_anyway(&[b"http/1.1"], "http/1.1");
}

type Log = Arc<std::sync::Mutex<Vec<String>>>;

/// A listener that answers every request after `delay` with `response(path)`; returns its
/// port and the paths requested.
fn raw_server_logged(delay: Duration, response: fn(&str) -> String) -> (u16, Log) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let log: Log = Arc::default();
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut s) = stream else { return };
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let n = s.read(&mut buf).unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                seen.lock().unwrap().push(path.clone());
                std::thread::sleep(delay);
                let _ = s.write_all(response(&path).as_bytes());
            });
        }
    });
    (port, log)
}

fn raw_server(delay: Duration, response: fn(&str) -> String) -> u16 {
    raw_server_logged(delay, response).0
}

fn reply(status: &str, mime: &str, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
        body.len()
    )
}

fn html(status: &str, extra: &str, body: &str) -> String {
    reply(status, "text/html", extra, body)
}

#[test]
fn robots_txt_redirects_are_followed_and_archived() {
    let (port, log) = raw_server_logged(Duration::ZERO, |path| match path {
        "/robots.txt" => html(
            "301 Moved Permanently",
            "Location: /real-robots.txt\r\n",
            "",
        ),
        "/real-robots.txt" => reply(
            "200 OK",
            "text/plain",
            "",
            "User-agent: *\nDisallow: /secret\n",
        ),
        "/" => html("200 OK", "", "<a href=/secret>s</a><a href=/ok>o</a>"),
        _ => html("200 OK", "", "page"),
    });
    let ws = Workspace::new("");
    let url = format!("http://r.test:{port}/");
    let out = ws.crawl(
        &url,
        &[format!("r.test:{port}:127.0.0.1")],
        &["--rate", "50"],
    );
    assert!(out.contains("1 skipped by robots.txt"), "{out}");
    let paths = log.lock().unwrap().clone();
    assert!(paths.contains(&"/ok".to_string()), "{paths:?}");
    assert!(
        !paths.contains(&"/secret".to_string()),
        "robots.txt behind a redirect must be obeyed: {paths:?}"
    );
    let counts = ws.capture_counts();
    assert_eq!(
        counts.get(&format!("http://r.test:{port}/robots.txt")),
        Some(&1),
        "each robots hop is archived"
    );
    assert_eq!(
        counts.get(&format!("http://r.test:{port}/real-robots.txt")),
        Some(&1)
    );
}

#[test]
fn robots_txt_server_error_keeps_the_crawler_out() {
    let (port, log) = raw_server_logged(Duration::ZERO, |path| match path {
        "/robots.txt" => html("503 Service Unavailable", "", "later"),
        _ => html("200 OK", "", "page"),
    });
    let ws = Workspace::new("");
    let url = format!("http://down.test:{port}/");
    let out = ws.crawl(
        &url,
        &[format!("down.test:{port}:127.0.0.1")],
        &["--rate", "50"],
    );
    assert!(out.contains("1 skipped by robots.txt"), "{out}");
    assert_eq!(
        log.lock().unwrap().clone(),
        vec!["/robots.txt".to_string()],
        "RFC 9309: a 5xx robots.txt means stay out"
    );
}

#[test]
fn first_byte_timeout_is_an_error_capture_after_retries() {
    let port = raw_server(Duration::from_secs(3), |_| {
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".into()
    });
    let ws = Workspace::new(
        "[fetch]\nfirst_byte_timeout = \"300ms\"\n[politeness]\nrobots = \"ignore\"\n",
    );
    let url = format!("http://slow.test:{port}/");
    let out = ws.crawl(
        &url,
        &[format!("slow.test:{port}:127.0.0.1")],
        &["--rate", "50"],
    );
    assert!(out.contains("1 URLs failed"), "{out}");
    let row = ws.first_capture(&url);
    assert_eq!(row["error_class"], "transient");
    assert!(
        row["error"]
            .as_str()
            .unwrap()
            .contains("first byte timed out"),
        "{row}"
    );
}

#[test]
fn redirect_chains_stop_at_the_hop_limit() {
    // /r/N redirects to /r/N+1 forever.
    let port = raw_server(Duration::ZERO, |path| {
        let n: u32 = path.trim_start_matches("/r/").parse().unwrap_or(0);
        format!("HTTP/1.1 302 Found\r\nLocation: /r/{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", n + 1)
    });
    let ws = Workspace::new("[crawl]\nmax_redirects = 3\n[politeness]\nrobots = \"ignore\"\n");
    let url = format!("http://hops.test:{port}/r/0");
    ws.crawl(
        &url,
        &[format!("hops.test:{port}:127.0.0.1")],
        &["--rate", "50"],
    );
    let mut urls: Vec<String> = ws.capture_counts().into_keys().collect();
    urls.sort();
    let expected: Vec<String> = (0..=3)
        .map(|n| format!("http://hops.test:{port}/r/{n}"))
        .collect();
    assert_eq!(
        urls, expected,
        "the start URL and three redirect hops, each archived once"
    );
}

#[test]
fn page_budget_caps_a_crawl() {
    let fx = harness::fixture::Fixture::start();
    let ws = Workspace::new("");
    let mut args = vec![
        "crawl".to_string(),
        fx.url("site.test", "/"),
        "--max-pages".into(),
        "5".into(),
        "--rate".into(),
        "50".into(),
    ];
    for r in fx.resolve_args() {
        args.push("--resolve".into());
        args.push(r);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ws.ok(&args);
    let pages: Vec<String> = ws
        .capture_counts()
        .into_keys()
        .filter(|u| !u.ends_with("/robots.txt"))
        .collect();
    assert_eq!(pages.len(), 5, "{pages:?}");
}
