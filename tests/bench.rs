//! The benchmark suite, end to end at its reduced size (`bench/run.sh --quick`).
//!
//! Nothing here is timed: the figures are for people. What is asserted is that the suite
//! still measures what it claims to: every crawler (nightjar, wget, Scrapy) fetched every
//! page, image and redirect of the fixture web, nightjar and curl (through C tor) fetched
//! every page of every onion service of a private Tor network, each part wrote every figure
//! the README's table shows, and the frontier never broke its politeness rules while being
//! dequeued. It needs root (the fixture's host names go into /etc/hosts, as in CI) and the
//! Debian and PyPI packages `bench/run.sh` installs.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `nightjar` binary built beside this crate's (by `cargo test --workspace`).
fn nightjar_bin() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_nightjar-bench")).with_file_name("nightjar");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo test --workspace`, which builds it",
        bin.display()
    );
    bin
}

fn field<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .try_fold(v, |v, k| match k.parse::<usize>() {
            Ok(i) if v.is_array() => v.get(i),
            _ => v.get(k),
        })
        .unwrap_or_else(|| panic!("the benchmark JSON has no {path}: {v:#}"))
}

fn number(v: &Value, path: &str) -> f64 {
    let x = field(v, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"));
    assert!(x.is_finite() && x >= 0.0, "{path} = {x}");
    x
}

#[test]
fn quick_benchmark_crawls_everything_with_every_tool_and_reports_every_figure() {
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("bench.json");
    let status = Command::new("bash")
        .arg(workspace().join("bench/run.sh"))
        .arg("--quick")
        .arg("--out")
        .arg(&json)
        .env("NIGHTJAR_BIN", nightjar_bin())
        .env("NIGHTJAR_BENCH_BIN", env!("CARGO_BIN_EXE_nightjar-bench"))
        .current_dir(workspace())
        .status()
        .expect("bash runs");
    assert!(status.success(), "bench/run.sh --quick failed: {status}");
    let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();

    // Crawl, on both page shapes: each tool fetched the whole fixture (crawl.py checks
    // every URL; the count says it did so here too) and has every column of the table.
    for (shape, least_pages, least_bytes) in
        [("crawl", 1000.0, 15000.0), ("crawl_large", 300.0, 60000.0)]
    {
        let pages = number(&v, &format!("{shape}.pages"));
        assert!(pages >= least_pages, "{shape}: {pages} pages");
        assert!(
            number(&v, &format!("{shape}.page_bytes.0")) >= least_bytes,
            "{shape}: pages too small"
        );
        let expected = pages + number(&v, &format!("{shape}.images"));
        for tool in ["nightjar", "wget", "scrapy"] {
            assert_eq!(
                number(&v, &format!("{shape}.tools.{tool}.fetched")),
                expected,
                "{shape} {tool}"
            );
            for f in [
                "wall_s",
                "cpu_s",
                "cores_busy",
                "peak_rss_mb",
                "pages_per_s",
                "cpu_s_per_1000",
                "archive_bytes",
                "archive_bytes_per_page",
            ] {
                assert!(
                    number(&v, &format!("{shape}.tools.{tool}.{f}")) > 0.0,
                    "{shape} {tool}.{f}"
                );
            }
        }
        for f in [
            "nginx_wrk_requests_per_s",
            "speedup_vs_wget",
            "speedup_vs_scrapy",
            "cpu_ratio_vs_wget",
            "cpu_ratio_vs_scrapy",
        ] {
            assert!(number(&v, &format!("{shape}.{f}")) > 0.0, "{shape}.{f}");
        }
    }

    // Onion services at scale, on a private Tor network: both service counts crawled by
    // nightjar and by curl through C tor, every page of every service fetched (onions.py
    // checks each URL; `missing` says so here), with the table's figures, and nightjar's
    // fetches in flight over time recomputed from its captures.
    let runs = field(&v, "onions.runs").as_array().unwrap();
    let counts: Vec<f64> = runs.iter().map(|r| number(r, "services")).collect();
    assert_eq!(counts, [4.0, 8.0]);
    for r in runs {
        let services = number(r, "services");
        assert_eq!(number(r, "urls"), services * 6.0, "index + 5 pages each");
        for tool in ["nightjar", "curl"] {
            let m = field(r, &format!("tools.{tool}"));
            assert_eq!(number(m, "missing"), 0.0, "{tool}: {m}");
            assert_eq!(number(m, "pages"), services * 6.0, "{tool}");
            for f in [
                "pages_per_s",
                "latency_ms_p50",
                "latency_ms_p99",
                "cpu_s_per_1000",
                "peak_rss_mb",
                "cores_busy",
                "network_tors_cpu_s",
            ] {
                assert!(number(m, f) > 0.0, "{tool}.{f}: {m}");
            }
            // CPU seconds per wall second: at most every core (with a little skew between
            // the two clocks).
            let cores = std::thread::available_parallelism().unwrap().get() as f64;
            assert!(number(m, "cores_busy") <= cores + 0.5, "{tool}: {m}");
        }
        let nj = field(r, "tools.nightjar");
        // Every attempt is in the timeline (a failed one and its retry are two), and the
        // ones that answered are at least the pages.
        assert!(
            number(nj, "fetches") - number(nj, "failed_fetches") >= services * 6.0,
            "{nj}"
        );
        let busy = number(nj, "slots_busy");
        assert!(busy > 0.0 && busy <= 1.0, "slots busy {busy}");
        // nightjar keeps to its slots: 2 per service.
        assert!(number(nj, "in_flight_max") <= number(r, "slots"), "{nj}");
        // One sample a second over the crawl, each with something in flight at some point.
        let series = field(nj, "per_second").as_array().unwrap();
        assert!(series.len() as f64 >= number(nj, "crawl_s").floor(), "{nj}");
        assert!(series.iter().any(|s| number(s, "fetches") > 0.0), "{nj}");
        assert!(number(r, "speedup_vs_curl") > 0.0);
    }

    // Archive write path: nightjar at three zstd levels and gzip, zstd alone, warcio.
    let rows = field(&v, "archive.rows").as_array().unwrap();
    let writers: Vec<&str> = rows.iter().map(|r| r["writer"].as_str().unwrap()).collect();
    for w in [
        "level 1", "level 3", "level 9", ".warc.gz", "zstd -1", "zstd -3", "zstd -9", "warcio",
    ] {
        assert!(
            writers.iter().any(|x| x.contains(w)),
            "no {w} row in {writers:?}"
        );
    }
    for r in rows {
        for f in ["records_per_s", "mb_per_s", "ratio"] {
            assert!(number(r, f) > 0.0, "{f} of {r}");
        }
    }
    for level in ["1", "3", "9"] {
        number(&v, &format!("archive.nightjar_vs_zstd.{level}"));
    }

    // Frontier: everything asked for was queued and dequeued, and politely.
    assert_eq!(number(&v, "frontier.queued"), 100_000.0);
    assert_eq!(number(&v, "frontier.dequeued"), 10_000.0);
    assert_eq!(number(&v, "frontier.politeness_violations"), 0.0);
    for f in ["insert_urls_per_s", "dequeue_per_s", "peak_rss_mb", "db_mb"] {
        assert!(number(&v, &format!("frontier.{f}")) > 0.0, "{f}");
    }

    // Index: the capture, change-feed and full-text queries timed; the search finds pages.
    let queries = field(&v, "index.queries").as_array().unwrap();
    assert_eq!(queries.len(), 3);
    for q in queries {
        for f in ["median_ms", "p99_ms", "max_ms"] {
            assert!(number(q, f) > 0.0, "{f} of {q}");
        }
    }
    assert_eq!(queries[2]["query"], "search two words");
    assert!(number(&queries[2], "mean_rows") > 1.0, "{}", queries[2]);
    assert!(number(&v, "index.captures") >= 20_000.0);
    assert!(number(&v, "index.page_texts") > 5_000.0);
}
