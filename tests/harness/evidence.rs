//! An archive worth tampering with: a site of incompressible blobs that fills several small
//! WARC files, and the helpers the custody and insider tests share to copy and read it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use super::site::{Page, Site};

/// Incompressible bytes, so that a few pages fill several 1 MiB files.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A site whose front page links `pages` blobs of 400 KiB each.
pub fn blob_site(pages: usize) -> Site {
    let site = Site::start();
    let links: String = (0..pages)
        .map(|i| format!("<a href=\"/blob/{i}\">{i}</a>"))
        .collect();
    site.put(
        "/",
        Page::html(format!("<html><body>{links}</body></html>")),
    );
    for i in 0..pages {
        site.put(
            &format!("/blob/{i}"),
            Page {
                status: 200,
                content_type: "application/octet-stream".into(),
                body: noise(i as u64 + 1, 400 * 1024),
                etag: None,
                location: None,
                headers: Vec::new(),
            },
        );
    }
    site
}

/// Closed WARC files of a data directory, in name (= serial) order.
pub fn closed_warcs(data: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data.join("warcs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.zst"))
        .collect();
    v.sort();
    v
}

/// A copy of the data directory to tamper with.
pub fn copy_of(data: &Path) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_into(data, t.path());
    t
}

/// Copies the contents of `from` into `to` (`cp -a`, keeping modes and times).
pub fn copy_into(from: &Path, to: &Path) {
    let ok = std::process::Command::new("cp")
        .args(["-a", &format!("{}/.", from.display())])
        .arg(to)
        .status()
        .unwrap()
        .success();
    assert!(ok, "cp -a {} {}", from.display(), to.display());
}
