//! `nightjar-bench archive`: the WARC write path against the physical limit.
//!
//! Every capture passes through [`WarcWriter::append_exchange`] on its way to disk, and the
//! issue asks that nightjar stay within 2x of what compression alone costs. So the same
//! synthetic captures are written by nightjar with each codec; the plain WARC that results is
//! then compressed by the `zstd` command line (one frame over the whole file: no per-record
//! frames, no digests, no fsync) and re-written by warcio, the Python library most WARC users
//! know. Only the writes are timed; the inputs are built first.
//!
//! The captures mirror a crawl: HTML pages of 15–30 KB served without content encoding,
//! request heads as nightjar sends them, a metadata record with timings and outlinks, and
//! response facts computed before the write (the engine computes them for link extraction).
//! Every capture is new (no revisits). As in a crawl, 16 threads write at once, each waiting
//! until its capture is on disk; their fsyncs are shared (group commit).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context};
use archive::frames::FrameWalker;
use archive::writer::response_facts;
use archive::{Compression, Exchange, WarcWriter, WriterConfig};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Map, Value};

use crate::{round, Rng, Scratch};

/// Captures written at once: the crawler's default `crawl.concurrency`.
const WRITERS: usize = 16;

#[derive(clap::Args)]
pub struct Args {
    /// Small sizes for a smoke run (500 captures).
    #[arg(long)]
    quick: bool,
    /// Captures to write [default: 20000, or 500 with --quick].
    #[arg(long)]
    captures: Option<usize>,
    /// Scratch directory, kept afterwards [default: a temporary one, removed].
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// What one writer did.
#[derive(Clone, Copy)]
struct Run {
    records: u64,
    time: Duration,
    /// Bytes on disk.
    bytes: u64,
    /// Uncompressed WARC bytes (what the rates are measured in).
    warc_bytes: u64,
}

impl Run {
    fn row(&self, writer: &str) -> Value {
        let s = self.time.as_secs_f64();
        json!({
            "writer": writer,
            "records_per_s": round(self.records as f64 / s, 1),
            "mb_per_s": round(self.warc_bytes as f64 / 1e6 / s, 2),
            "bytes": self.bytes,
            "ratio": round(self.warc_bytes as f64 / self.bytes as f64, 3),
        })
    }
}

pub fn run(args: Args) -> anyhow::Result<Value> {
    let n = args
        .captures
        .unwrap_or(if args.quick { 500 } else { 20_000 });
    let scratch = Scratch::new(args.dir)?;
    let dir = scratch.path();
    eprintln!("generating {n} captures in memory");
    let captures = synthetic_captures(n);

    let mut rows = Vec::new();
    let mut nightjar_mbps = Vec::new();
    let plain = dir.join("plain.warc");
    let codecs = [
        ("nightjar .warc.zst level 1", Compression::Zstd { level: 1 }),
        ("nightjar .warc.zst level 3", Compression::Zstd { level: 3 }),
        ("nightjar .warc.zst level 9", Compression::Zstd { level: 9 }),
        ("nightjar .warc.gz", Compression::Gzip),
    ];
    let mut reference: Option<Run> = None;
    for (i, (label, codec)) in codecs.into_iter().enumerate() {
        eprintln!("{label}: writing {n} captures");
        let out = dir.join(format!("nightjar-{i}"));
        let keep_plain = (codec == Compression::Zstd { level: 3 }).then_some(plain.as_path());
        let run = write_nightjar(&captures, codec, &out, keep_plain)?;
        eprintln!("  {:.2} s, {} records", run.time.as_secs_f64(), run.records);
        if let Compression::Zstd { level } = codec {
            nightjar_mbps.push((level, run.warc_bytes as f64 / run.time.as_secs_f64()));
        }
        rows.push(run.row(label));
        if keep_plain.is_some() {
            reference = Some(run);
        }
    }
    drop(captures);
    let reference = reference.expect("the zstd level 3 run");

    let mut versus = Map::new();
    for (level, mbps) in nightjar_mbps {
        eprintln!("zstd -{level} on the plain WARC");
        let out = dir.join(format!("plain-{level}.warc.zst"));
        let Some(time) = zstd_cli(level, &plain, &out)? else {
            continue;
        };
        let cli = Run {
            time,
            bytes: std::fs::metadata(&out)?.len(),
            ..reference
        };
        let cli_mbps = cli.warc_bytes as f64 / time.as_secs_f64();
        versus.insert(level.to_string(), json!(round(mbps / cli_mbps, 3)));
        rows.push(cli.row(&format!("zstd -{level} (CLI, same bytes, one frame)")));
    }

    eprintln!("warcio: writing the plain WARC as .warc.gz");
    if let Some(run) = warcio(&plain, &dir.join("warcio.warc.gz"), reference.warc_bytes)? {
        ensure!(
            run.records == reference.records,
            "warcio wrote {} records, nightjar {}",
            run.records,
            reference.records
        );
        rows.push(run.row("warcio .warc.gz"));
    }

    Ok(json!({
        "records": reference.records,
        "captures": n,
        "warc_mb": round(reference.warc_bytes as f64 / 1e6, 2),
        "rows": rows,
        "nightjar_vs_zstd": versus,
    }))
}

/// Writes every capture with nightjar's writer into `dir` (timed: the writes, the shutdown
/// checkpoint and close), then reads the files back to count records and uncompressed bytes,
/// copying the plain WARC to `plain` if asked.
fn write_nightjar(
    captures: &[Exchange],
    compression: Compression,
    dir: &Path,
    plain: Option<&Path>,
) -> anyhow::Result<Run> {
    let w = WarcWriter::new(WriterConfig {
        dir: dir.to_path_buf(),
        prefix: "bench".into(),
        hostname: "bench".into(),
        compression,
        // The crawler's defaults: 1 GiB files, a checkpoint every 1000 records.
        max_file_size: 1024 * 1024 * 1024,
        warcinfo: vec![("operator".into(), "nightjar-bench".into())],
        checkpoint_every: 1000,
        node_fingerprint: Some(format!("sha256:{}", "ab".repeat(32))),
    })?;
    let start = Instant::now();
    // As in a crawl: WRITERS fetches at once, each appending its capture and waiting for the
    // fsync that makes it durable (shared by whatever the others appended meanwhile).
    let w = std::sync::Mutex::new(w);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let written = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let workers: Vec<_> = (0..WRITERS)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    use std::sync::atomic::Ordering::Relaxed;
                    while let Some(ex) = captures.get(next.fetch_add(1, Relaxed)) {
                        let (stored, ticket) = w.lock().expect("writer").append_exchange(ex)?;
                        WarcWriter::make_durable(&w, ticket)?;
                        written
                            .fetch_add((stored.records.len() + stored.extra.len()) as u64, Relaxed);
                        // As the crawler does once the capture is in the index: lets close()
                        // rename the file.
                        w.lock().expect("writer").indexed(&stored)?;
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("a writer thread panicked")?;
        }
        Ok(())
    })?;
    let mut w = w.into_inner().expect("writer");
    let mut records = written.into_inner();
    if let Some(r) = w.checkpoint()? {
        records += 1;
        w.indexed_records([&r])?;
    }
    w.close()?;
    let time = start.elapsed();

    let mut out = plain.map(File::create).transpose()?.map(BufWriter::new);
    let (mut frames, mut bytes, mut warc_bytes) = (0, 0, 0);
    for name in w.files() {
        let path = dir.join(name);
        bytes += std::fs::metadata(&path)?.len();
        for frame in FrameWalker::open(&path)? {
            let frame =
                frame.map_err(|e| anyhow::anyhow!("{name} at {}: {}", e.offset, e.error))?;
            frames += 1;
            warc_bytes += frame.record.len() as u64;
            if let Some(out) = out.as_mut() {
                out.write_all(&frame.record)?;
            }
        }
    }
    if let Some(mut out) = out {
        out.flush()?;
    }
    ensure!(
        frames == records,
        "{frames} frames on disk, {records} records written"
    );
    Ok(Run {
        records,
        time,
        bytes,
        warc_bytes,
    })
}

/// Times `zstd -LEVEL` compressing `input` alone; `None` (with a note) without the tool.
fn zstd_cli(level: i32, input: &Path, out: &Path) -> anyhow::Result<Option<Duration>> {
    let start = Instant::now();
    let status = Command::new("zstd")
        .args(["-q", "-f", &format!("-{level}"), "-o"])
        .arg(out)
        .arg(input)
        .status();
    let time = start.elapsed();
    match status {
        Ok(s) if s.success() => Ok(Some(time)),
        Ok(s) => bail!("zstd -{level} failed: {s}"),
        Err(e) => {
            eprintln!("  skipped: cannot run zstd ({e})");
            Ok(None)
        }
    }
}

/// Runs `warcio_write.py` on the plain WARC; `None` (with a note) if warcio is missing.
fn warcio(plain: &Path, out: &Path, warc_bytes: u64) -> anyhow::Result<Option<Run>> {
    let script = std::env::var_os("NIGHTJAR_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("warcio_write.py");
    let output = match Command::new("python3")
        .arg(&script)
        .arg(plain)
        .arg(out)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("  skipped: cannot run python3 ({e})");
            return Ok(None);
        }
    };
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        if err.contains("No module named 'warcio'") {
            eprintln!("  skipped: warcio is not installed");
            return Ok(None);
        }
        bail!("{} failed: {err}", script.display());
    }
    let v: Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("{} printed no JSON", script.display()))?;
    Ok(Some(Run {
        records: v["records"].as_u64().context("records")?,
        time: Duration::from_secs_f64(v["seconds"].as_f64().context("seconds")?),
        bytes: v["bytes_out"].as_u64().context("bytes_out")?,
        warc_bytes,
    }))
}

const WORDS: &[&str] = &[
    "market",
    "vendor",
    "listing",
    "shipping",
    "escrow",
    "review",
    "quality",
    "price",
    "order",
    "forum",
    "thread",
    "reply",
    "member",
    "account",
    "update",
    "service",
    "network",
    "release",
    "security",
    "policy",
    "support",
    "message",
    "report",
    "notice",
    "today",
    "week",
    "month",
    "new",
    "old",
    "fast",
    "slow",
    "secure",
    "private",
    "public",
    "open",
    "closed",
    "available",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "this",
    "that",
    "we",
    "you",
    "they",
    "will",
    "can",
    "not",
    "all",
    "more",
    "about",
    "after",
    "before",
    "should",
    "would",
    "please",
    "read",
    "rules",
    "contact",
    "admin",
    "moderator",
    "payment",
    "bitcoin",
    "monero",
    "wallet",
    "address",
    "key",
    "signed",
    "verify",
    "mirror",
    "link",
    "page",
    "site",
    "down",
    "back",
    "online",
    "offline",
    "status",
    "stock",
    "item",
    "product",
    "package",
    "tracking",
    "country",
    "europe",
    "worldwide",
    "refund",
    "dispute",
    "feedback",
    "rating",
    "trusted",
    "level",
    "points",
    "banned",
    "warning",
    "scam",
    "exit",
    "news",
    "announcement",
    "maintenance",
    "server",
    "upgrade",
    "database",
    "backup",
    "login",
];
const SECTIONS: &[&str] = &[
    "news", "forum", "market", "vendors", "reviews", "support", "wiki", "blog",
];
const USERS: &[&str] = &[
    "nightowl",
    "greyfox",
    "darkstar",
    "quietriver",
    "coldwave",
    "bluefern",
    "ironleaf",
    "redkite",
    "stonegate",
    "silverpine",
    "mossback",
    "northwind",
];

/// `min` to `min + spread` words, with a link now and then (pushed to `links`).
fn sentence(rng: &mut Rng, min: u64, spread: u64, base: &str, links: &mut Vec<String>) -> String {
    let n = min + rng.below(spread);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = rng.pick(WORDS);
        if rng.percent(4) {
            let href = format!("/{}/{w}-{}.html", rng.pick(SECTIONS), rng.below(100_000));
            let _ = write!(s, "<a href=\"{href}\">{w}</a>");
            links.push(format!("{base}{href} Anchor"));
        } else if rng.percent(5) {
            let _ = write!(s, "{}", rng.below(10_000));
        } else {
            s.push_str(w);
        }
    }
    s
}

/// An HTML page of 15–30 KB: a site template around paragraphs, listings and comments.
fn html_page(rng: &mut Rng, host: &str, id: usize, links: &mut Vec<String>) -> String {
    let base = format!("https://{host}");
    let target = 15_000 + rng.below(15_000) as usize;
    let title = sentence(rng, 4, 5, &base, &mut Vec::new());
    let (css, js) = (rng.hex(4), rng.hex(4));
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} | {host}</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"stylesheet\" href=\"/static/css/main.{css}.css\">\n\
         <script src=\"/static/js/app.{js}.js\" defer></script>\n</head>\n\
         <body class=\"page page-article\">\n<header class=\"site-header\">\
         <div class=\"container\"><a class=\"logo\" href=\"/\">{host}</a>\n\
         <nav class=\"main-nav\"><ul>\n"
    );
    links.push(format!("{base}/static/css/main.{css}.css Link"));
    links.push(format!("{base}/static/js/app.{js}.js Script"));
    for s in SECTIONS {
        let _ = writeln!(
            h,
            "<li class=\"nav-item\"><a class=\"nav-link\" href=\"/{s}/\">{s}</a></li>"
        );
        links.push(format!("{base}/{s}/ Anchor"));
    }
    let user = rng.pick(USERS);
    let _ = write!(
        h,
        "</ul></nav></div></header>\n<main class=\"container\">\n\
         <article class=\"post\" id=\"post-{id}\">\n<h1 class=\"post-title\">{title}</h1>\n\
         <div class=\"post-meta\">Posted by <a href=\"/user/{user}\">{user}</a> on \
         <time datetime=\"2025-{:02}-{:02}\">{} days ago</time> &middot; {} views</div>\n",
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(400),
        rng.below(100_000)
    );
    while h.len() < target {
        match rng.below(4) {
            0 | 1 => {
                let text = sentence(rng, 20, 50, &base, links);
                let _ = writeln!(h, "<p>{text}</p>");
            }
            2 => {
                h.push_str(
                    "<table class=\"listing\">\n\
                     <thead><tr><th>Item</th><th>Price</th><th>Stock</th></tr></thead>\n<tbody>\n",
                );
                for _ in 0..3 + rng.below(6) {
                    let item = rng.below(1_000_000);
                    let name = sentence(rng, 2, 3, &base, &mut Vec::new());
                    let _ = writeln!(
                        h,
                        "<tr><td><a href=\"/item/{item}\">{name}</a></td>\
                         <td class=\"price\">{}.{:02}</td><td>{}</td></tr>",
                        rng.below(500),
                        rng.below(100),
                        rng.below(50)
                    );
                    links.push(format!("{base}/item/{item} Anchor"));
                }
                h.push_str("</tbody>\n</table>\n");
            }
            _ => {
                let (c, u) = (rng.below(10_000_000), rng.pick(USERS));
                let text = sentence(rng, 10, 30, &base, links);
                let _ = writeln!(
                    h,
                    "<div class=\"comment\" id=\"comment-{c}\"><div class=\"comment-author\">\
                     <img class=\"avatar\" src=\"/avatars/{u}.png\" alt=\"\"> \
                     <a href=\"/user/{u}\">{u}</a></div>\n\
                     <div class=\"comment-body\"><p>{text}</p></div></div>"
                );
            }
        }
    }
    let _ = write!(
        h,
        "</article>\n</main>\n<footer class=\"site-footer\">\
         <p>&copy; 2025 {host}. All rights reserved.</p>\n\
         <ul class=\"footer-links\"><li><a href=\"/rules\">Rules</a></li>\
         <li><a href=\"/contact\">Contact</a></li>\
         <li><a href=\"/mirrors\">Mirrors</a></li></ul></footer>\n</body>\n</html>\n"
    );
    h
}

fn http_date(d: &DateTime<Utc>) -> String {
    d.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// `n` captures as the fetcher hands them to the writer; a fixed seed, so the same bytes
/// on every run.
fn synthetic_captures(n: usize) -> Vec<Exchange> {
    let mut rng = Rng::new(20_000);
    let start = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let host = format!("www.site{:03}.example", rng.below(200));
            let path = format!("/{}/{}-{i}.html", rng.pick(SECTIONS), rng.pick(WORDS));
            let date = start + chrono::Duration::seconds(i as i64);
            let mut links = Vec::new();
            let body = html_page(&mut rng, &host, i, &mut links);
            let request = format!(
                "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: nightjar/0.1.0\r\n\
                 Accept: */*\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: close\r\n\r\n"
            );
            let modified = date - chrono::Duration::hours(rng.below(24 * 30) as i64);
            let mut response = format!(
                "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: {}\r\n\
                 Content-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
                 Connection: close\r\nVary: Accept-Encoding\r\nLast-Modified: {}\r\n\
                 ETag: \"{}-{}\"\r\nCache-Control: public, max-age=600\r\nX-Request-Id: {}\r\n\
                 Strict-Transport-Security: max-age=31536000\r\n\r\n",
                http_date(&date),
                body.len(),
                http_date(&modified),
                rng.hex(4),
                rng.hex(2),
                rng.hex(8)
            )
            .into_bytes();
            response.extend_from_slice(body.as_bytes());
            links.sort();
            links.dedup();
            let (connect, first) = (20 + rng.below(200), 50 + rng.below(400));
            let mut metadata: Vec<(String, String)> = [
                ("via", "direct".to_string()),
                ("seed", host.clone()),
                ("round", (1 + rng.below(20)).to_string()),
                ("depth", rng.below(4).to_string()),
                ("redirect-hops", "0".to_string()),
                ("robots", "obey".to_string()),
                ("fetch-connect-ms", connect.to_string()),
                ("fetch-first-byte-ms", (connect + first).to_string()),
                (
                    "fetch-total-ms",
                    (connect + first + rng.below(300)).to_string(),
                ),
                ("tls-verified", "yes".to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            metadata.extend(links.into_iter().map(|l| ("outlink".to_string(), l)));
            let facts = Some(response_facts(&response));
            Exchange {
                target_uri: format!("https://{host}{path}"),
                date,
                ip_address: Some(format!("203.0.113.{}", rng.below(250) + 1)),
                protocols: vec!["http/1.1".into(), "tls/1.3".into()],
                cipher_suite: Some("TLS13_AES_128_GCM_SHA256".into()),
                request: request.into_bytes(),
                response,
                metadata,
                facts,
                ..Default::default()
            }
        })
        .collect()
}
