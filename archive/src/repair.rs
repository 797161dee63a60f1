//! Mending `.open` files left by a crash.
//!
//! A crash can leave a WARC file under its `.open` name with a torn frame at the end: bytes of
//! a group whose `write_all` did not finish, never fsynced and never indexed. Repair keeps
//! every whole frame, moves the torn tail aside into `NAME.torn-OFFSET` (so nothing received
//! is silently destroyed and `verify` has nothing to explain), and returns the records it
//! kept, so the caller can index any the crash left unindexed; only then does the caller
//! close the file under its final name ([`close_repaired`]), so a file is never closed while
//! the index lacks some of its records. A closed file is never touched.

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::files::{index_name, warc_files};
use crate::frames::{Frame, FrameWalker};

/// What repair did to one file.
#[derive(Debug)]
pub struct Repaired {
    /// Final name of the file (without `.open`).
    pub file: String,
    /// Whole frames kept.
    pub frames: Vec<Frame>,
    /// Where the torn tail was moved, with its length.
    pub torn: Option<(PathBuf, u64)>,
    /// Unreadable data before the end of indexed records: the file is damaged, not torn,
    /// and was left untouched (still `.open`) for an operator to examine with `verify`.
    pub damaged_at: Option<u64>,
}

/// Gives a repaired file its final name, once everything in it is indexed.
pub fn close_repaired(dir: &Path, name: &str) -> std::io::Result<()> {
    let open = dir.join(format!("{name}.open"));
    if !open.exists() {
        return Ok(());
    }
    fs::rename(&open, dir.join(name))?;
    fs::File::open(dir)?.sync_all()
}

/// Repairs every `.open` file in `dir`. `indexed_end` gives, per file name, the end of the
/// last record the index knows: repair never cuts below it.
pub fn repair_open_files(
    dir: &Path,
    indexed_end: &HashMap<String, u64>,
) -> std::io::Result<Vec<Repaired>> {
    let mut out = Vec::new();
    for path in warc_files(dir)? {
        if path.extension().and_then(|e| e.to_str()) != Some("open") {
            continue;
        }
        let end = indexed_end.get(&index_name(&path)).copied().unwrap_or(0);
        out.push(repair_file(&path, end)?);
    }
    Ok(out)
}

fn repair_file(path: &Path, indexed_end: u64) -> std::io::Result<Repaired> {
    let name = index_name(path);
    let mut frames = Vec::new();
    let mut good_end = 0;
    for frame in FrameWalker::open(path)? {
        match frame {
            Ok(f) if crate::record::ParsedRecord::parse(&f.record).is_ok() => {
                good_end = f.offset + f.length;
                frames.push(f);
            }
            _ => break,
        }
    }
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let len = file.metadata()?.len();
    if good_end < indexed_end.min(len) {
        return Ok(Repaired {
            file: name,
            frames,
            torn: None,
            damaged_at: Some(good_end),
        });
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut torn = None;
    if good_end < len {
        let mut tail = Vec::new();
        file.seek(SeekFrom::Start(good_end))?;
        file.read_to_end(&mut tail)?;
        let aside = path.with_file_name(format!("{name}.torn-{good_end}"));
        fs::write(&aside, &tail)?;
        fs::File::open(&aside)?.sync_all()?;
        // The copy must be durable before the original bytes go.
        fs::File::open(dir)?.sync_all()?;
        file.set_len(good_end)?;
        torn = Some((aside, len - good_end));
    }
    file.sync_all()?;
    drop(file);
    if good_end == 0 {
        // Not even a warcinfo made it: there is no WARC file to keep.
        fs::remove_file(path)?;
        fs::File::open(dir)?.sync_all()?;
    }
    Ok(Repaired {
        file: name,
        frames,
        torn,
        damaged_at: None,
    })
}
