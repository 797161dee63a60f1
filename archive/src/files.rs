//! The WARC file set of an archive directory: which files belong to it, how they are named
//! and numbered, and where a file is while it is still being written.
//!
//! Files are named `PREFIX-TIMESTAMP-SERIAL-HOST.warc.zst` (or `.warc.gz`), with `.open`
//! appended while the writer holds them. The serial, not the name or the time, is the
//! archive's append order: the hash chain and the seals follow it, and it goes on across a
//! change of prefix.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::frames::Compression;

/// WARC files in `dir` (closed and `.open`), sorted by name.
pub fn warc_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(Compression::from_file_name)
                .is_some()
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The file name an index row uses for `path` (without `.open`).
pub fn index_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.strip_suffix(".open").unwrap_or(name).to_string()
}

/// Serial number in a nightjar WARC file name (`PREFIX-TIMESTAMP-SERIAL-HOST.ext`).
/// The host part never holds a dash (nightjar replaces it), so the serial is the part
/// before the last dash, whatever the prefix holds.
pub fn serial_of(name: &str) -> Option<u32> {
    let mut parts = name.rsplit('-');
    let _host = parts.next()?;
    let serial = parts.next()?;
    let _timestamp = parts.next()?;
    (serial.len() >= 5 && serial.bytes().all(|b| b.is_ascii_digit()))
        .then(|| serial.parse().ok())
        .flatten()
}

/// The serial for the next file: one more than the highest serial of any WARC file in the
/// directory, whatever its prefix, so that serial order stays append order (the hash chain
/// and the seals follow it) when the operator changes `archive.prefix`.
pub fn next_serial(dir: &Path) -> io::Result<u32> {
    let mut max = 0;
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name();
        if let Some(serial) = serial_of(&name.to_string_lossy()) {
            max = max.max(serial);
        }
    }
    Ok(max + 1)
}

/// The path of `file` in `dir`, whether it is closed or still `.open`.
pub fn locate(dir: &Path, file: &str) -> Option<PathBuf> {
    let closed = dir.join(file);
    if closed.exists() {
        return Some(closed);
    }
    let open = dir.join(format!("{file}.open"));
    open.exists().then_some(open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_come_from_nightjar_file_names() {
        assert_eq!(
            serial_of("nightjar-20261127232318176-00012-vm.warc.zst"),
            Some(12)
        );
        assert_eq!(serial_of("other.warc.gz"), None);
        assert_eq!(
            serial_of("my-prefix-20261127232318176-123456-vm.warc.zst"),
            Some(123_456)
        );
    }

    #[test]
    fn serials_continue_across_a_prefix_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path()
                .join("old-prefix-20261101000000000-00007-box.warc.zst"),
            b"",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"").unwrap();
        assert_eq!(next_serial(dir.path()).unwrap(), 8);
    }
}
