//! Benchmarks of nightjar's hot paths, for the figures in issues and release notes.
//!
//! Each subcommand builds its own synthetic input, measures one path of the real code (the
//! `archive` and `frontier` crates, not copies of them), prints one JSON object on stdout and
//! its progress on stderr. Nothing here passes or fails on a number: these are figures to
//! compare across commits and machines, not tests. Run them from a release build:
//!
//! ```text
//! cargo run --release -p nightjar-bench -- archive
//! cargo run --release -p nightjar-bench -- index
//! ```
//!
//! `--quick` shrinks every size so that a debug build finishes in seconds (a smoke run).

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand};

mod archive_write;
mod frontier_scale;
mod index_query;
#[cfg(feature = "postgres")]
mod leases;
mod volatile_text;

#[derive(Parser)]
#[command(name = "nightjar-bench", about = "Figures-only benchmarks of nightjar")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// The WARC write path against the zstd command line and warcio.
    Archive(archive_write::Args),
    /// The crawl queue at millions of URLs: queue, dequeue politely, memory, size.
    Frontier(frontier_scale::Args),
    /// Capture and change-feed queries on a large SQLite index.
    Index(index_query::Args),
    /// The stable form pages are compared in (volatile tokens replaced).
    Volatile(volatile_text::Args),
    /// Host-lease rounds one PostgreSQL server sustains (nodes sharing a frontier).
    #[cfg(feature = "postgres")]
    Leases(leases::Args),
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let report = match Cli::parse().cmd {
        Cmd::Archive(args) => archive_write::run(args)?,
        Cmd::Frontier(args) => frontier_scale::run(args).await?,
        Cmd::Index(args) => index_query::run(args).await?,
        Cmd::Volatile(args) => volatile_text::run(args)?,
        #[cfg(feature = "postgres")]
        Cmd::Leases(args) => leases::run(args).await?,
    };
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// A xorshift64* generator: deterministic inputs without a `rand` dependency, so that two
/// runs (and two machines) measure the same bytes.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value; zero is moved off the fixed point).
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One item of `items`.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len() as u64) as usize]
    }

    /// `n` random bytes as lowercase hex.
    pub fn hex(&mut self, n: usize) -> String {
        let mut s: String = (0..n.div_ceil(8))
            .map(|_| format!("{:016x}", self.next_u64()))
            .collect();
        s.truncate(2 * n);
        s
    }
}

/// Where a benchmark puts its files: `--dir` (kept afterwards), or a temporary directory
/// removed when this is dropped.
pub enum Scratch {
    Kept(PathBuf),
    Temp(tempfile::TempDir),
}

impl Scratch {
    /// `dir` if given (created if missing), else a new temporary directory.
    pub fn new(dir: Option<PathBuf>) -> std::io::Result<Scratch> {
        match dir {
            Some(d) => std::fs::create_dir_all(&d).map(|_| Scratch::Kept(d)),
            None => tempfile::Builder::new()
                .prefix("nightjar-bench-")
                .tempdir()
                .map(Scratch::Temp),
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        match self {
            Scratch::Kept(p) => p,
            Scratch::Temp(t) => t.path(),
        }
    }
}

/// A duration in milliseconds, rounded to the microsecond.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// `x` rounded to `places` decimals (keeps the JSON readable).
pub fn round(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (x * k).round() / k
}
