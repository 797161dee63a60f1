//! One record, one compressed frame.
//!
//! Compressing each record on its own (the `.warc.gz` and IIPC `.warc.zst` conventions) is what
//! lets a reader seek to an index offset and decompress just that record, and what lets crash
//! repair find the last complete record: a frame is either whole or it is the torn tail.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

/// How records are compressed on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "codec")]
pub enum Compression {
    /// One zstd frame per record, no dictionary (`zstd -dc` gives a plain WARC).
    Zstd {
        /// zstd level (1–19); 3 is zstd's default trade-off.
        #[serde(default = "default_zstd_level")]
        level: i32,
    },
    /// One gzip member per record (`.warc.gz`), read by every WARC tool.
    Gzip,
}

fn default_zstd_level() -> i32 {
    3
}

impl Default for Compression {
    fn default() -> Self {
        Compression::Zstd { level: 3 }
    }
}

impl Compression {
    /// File extension after `.warc`.
    pub fn extension(&self) -> &'static str {
        match self {
            Compression::Zstd { .. } => "warc.zst",
            Compression::Gzip => "warc.gz",
        }
    }

    /// The codec a file name implies.
    pub fn from_file_name(name: &str) -> Option<Compression> {
        let name = name.strip_suffix(".open").unwrap_or(name);
        if name.ends_with(".warc.zst") {
            Some(Compression::Zstd { level: 3 })
        } else if name.ends_with(".warc.gz") {
            Some(Compression::Gzip)
        } else {
            None
        }
    }

    /// Compresses one record into one frame. zstd frames carry their content size and a
    /// checksum, as the zstd-WARC convention asks.
    pub fn compress(&self, record: &[u8]) -> io::Result<Vec<u8>> {
        match self {
            Compression::Zstd { level } => zstd_frame(record, *level),
            Compression::Gzip => {
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
                io::Write::write_all(&mut enc, record)?;
                enc.finish()
            }
        }
    }

    /// A frame of exactly `length` bytes that decompresses to nothing, to put in the place of
    /// an erased record's frame so that every other record keeps its offset and the file
    /// stays one a WARC reader walks: for zstd a skippable frame (which `zstd -dc` and the
    /// zstd-WARC convention's readers pass over), for gzip an empty member whose header
    /// comment fills the length (which `gzip -dc` and warcio pass over). It holds `note`
    /// (cut to fit; it must name no erased content) and padding, nothing of the record.
    /// `None` when `length` is too short for any blank frame (no record's frame is).
    pub fn blank_frame(&self, length: u64, note: &str) -> Option<Vec<u8>> {
        let note: Vec<u8> = note
            .bytes()
            .map(|b| if b == 0 || b == b'\r' { b' ' } else { b })
            .collect();
        match self {
            Compression::Zstd { .. } => {
                let size = u32::try_from(length.checked_sub(8)?).ok()?;
                let mut out = Vec::with_capacity(length as usize);
                out.extend_from_slice(&BLANK_ZSTD_MAGIC.to_le_bytes());
                out.extend_from_slice(&size.to_le_bytes());
                let body = size as usize;
                out.extend(note.iter().copied().take(body));
                out.resize(length as usize, 0);
                Some(out)
            }
            Compression::Gzip => {
                // header with FCOMMENT (10) + the comment + its NUL (1) + an empty final
                // fixed-Huffman deflate block (2) + the CRC-32 and size of nothing (8)
                let comment = usize::try_from(length.checked_sub(21)?).ok()?;
                let mut out = Vec::with_capacity(length as usize);
                out.extend_from_slice(&[0x1f, 0x8b, 8, 0x10, 0, 0, 0, 0, 0, 255]);
                out.extend(note.iter().copied().take(comment));
                out.resize(10 + comment, b' ');
                out.push(0);
                out.extend_from_slice(&[0x03, 0x00]);
                out.extend_from_slice(&[0; 8]);
                Some(out)
            }
        }
    }

    /// Decompresses exactly one frame.
    pub fn decompress(&self, frame: &[u8]) -> io::Result<Vec<u8>> {
        let mut reader = CountingReader::new(BufReader::new(frame));
        let out = self.read_frame(&mut reader)?;
        if reader.position() != frame.len() as u64 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "bytes after the end of the frame",
            ));
        }
        Ok(out)
    }

    fn read_frame<R: BufRead>(&self, reader: &mut R) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        match self {
            Compression::Zstd { .. } if is_skippable(reader.fill_buf()?) => {
                // A blank (erased) frame: its size, then that many bytes nobody reads.
                let mut head = [0u8; 8];
                reader.read_exact(&mut head)?;
                let size = u32::from_le_bytes(head[4..8].try_into().expect("4 bytes")) as u64;
                let skipped = io::copy(&mut reader.take(size), &mut io::sink())?;
                if skipped != size {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "a skippable frame cut short",
                    ));
                }
            }
            Compression::Zstd { .. } => {
                zstd::stream::read::Decoder::with_buffer(reader)?
                    .single_frame()
                    .read_to_end(&mut out)?;
            }
            Compression::Gzip => {
                flate2::bufread::GzDecoder::new(reader).read_to_end(&mut out)?;
            }
        }
        Ok(out)
    }
}

/// The zstd skippable-frame magic nightjar's blank frames use (0x184D2A50–5F are all
/// skippable; the zstd-WARC convention's dictionary frame is 0x184D2A5D).
const BLANK_ZSTD_MAGIC: u32 = 0x184D_2A5E;

fn is_skippable(head: &[u8]) -> bool {
    head.len() >= 4
        && u32::from_le_bytes(head[..4].try_into().expect("4 bytes")) & 0xFFFF_FFF0 == 0x184D_2A50
}

/// A `BufRead` that knows how many bytes its consumer has used.
struct CountingReader<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> CountingReader<R> {
    fn new(inner: R) -> Self {
        CountingReader { inner, pos: 0 }
    }
    fn position(&self) -> u64 {
        self.pos
    }
}

impl<R: BufRead> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CountingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt)
    }
}

/// One frame found while walking a file.
#[derive(Debug)]
pub struct Frame {
    /// Offset of the compressed frame in the file.
    pub offset: u64,
    /// Compressed length.
    pub length: u64,
    /// The decompressed record bytes.
    pub record: Vec<u8>,
    /// sha256 of the compressed frame as stored.
    pub frame_digest: String,
}

impl Frame {
    /// A frame that decompresses to nothing: an erased record's blank frame (see
    /// [`Compression::blank_frame`]). No WARC record is empty.
    pub fn is_blank(&self) -> bool {
        self.record.is_empty()
    }
}

/// Walks a WARC file frame by frame. Stops at the end of the file, or with an error naming
/// the offset where the data stops being a whole frame (a torn tail or damage).
pub struct FrameWalker {
    reader: CountingReader<BufReader<File>>,
    /// A second handle for re-reading each frame's stored bytes to hash them.
    raw: File,
    codec: Compression,
    len: u64,
    failed: bool,
}

impl FrameWalker {
    /// Opens `path` with the codec its name implies.
    pub fn open(path: &Path) -> io::Result<FrameWalker> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let codec = Compression::from_file_name(name).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{}: not a .warc.zst or .warc.gz file", path.display()),
            )
        })?;
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(FrameWalker {
            raw: file.try_clone()?,
            reader: CountingReader::new(BufReader::with_capacity(1 << 20, file)),
            codec,
            len,
            failed: false,
        })
    }
}

/// A frame that could not be read, at `offset`.
#[derive(Debug)]
pub struct FrameError {
    /// Where the bad data starts.
    pub offset: u64,
    /// What went wrong.
    pub error: io::Error,
}

impl Iterator for FrameWalker {
    type Item = Result<Frame, FrameError>;

    fn next(&mut self) -> Option<Self::Item> {
        let offset = self.reader.position();
        if self.failed || offset >= self.len {
            return None;
        }
        let frame = self.codec.read_frame(&mut self.reader).and_then(|record| {
            let length = self.reader.position() - offset;
            let mut stored = vec![0; length as usize];
            std::os::unix::fs::FileExt::read_exact_at(&self.raw, &mut stored, offset)?;
            Ok(Frame {
                offset,
                length,
                record,
                frame_digest: crate::digest::sha256_label(&stored),
            })
        });
        match frame {
            Ok(frame) => Some(Ok(frame)),
            Err(error) => {
                self.failed = true;
                Some(Err(FrameError { offset, error }))
            }
        }
    }
}

/// Reads the compressed frame at `offset`/`length` of `path` and decompresses it.
pub fn read_frame_at(path: &Path, offset: u64, length: u64) -> io::Result<Vec<u8>> {
    let codec = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(Compression::from_file_name)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a WARC file name"))?;
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut frame = vec![0; length as usize];
    file.read_exact(&mut frame)?;
    codec.decompress(&frame)
}

/// One zstd frame of `data`, with its content size and a checksum.
///
/// Each thread keeps its compression context: setting one up clears about a megabyte of
/// tables, which cost more than compressing a 20 KB page (a profile of a crawl showed 11%
/// of all instructions there). The frame is the same either way.
pub(crate) fn zstd_frame(data: &[u8], level: i32) -> io::Result<Vec<u8>> {
    thread_local! {
        static CONTEXT: std::cell::RefCell<Option<(i32, zstd::bulk::Compressor<'static>)>> =
            const { std::cell::RefCell::new(None) };
    }
    CONTEXT.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(l, _)| *l != level) {
            let mut c = zstd::bulk::Compressor::new(level)?;
            c.include_checksum(true)?;
            c.include_contentsize(true)?;
            *cell = Some((level, c));
        }
        let (_, c) = cell.as_mut().expect("set above");
        c.compress(data)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_walk() {
        for codec in [Compression::Zstd { level: 3 }, Compression::Gzip] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("x.{}", codec.extension()));
            let a = codec.compress(b"first record").unwrap();
            let b = codec.compress(&vec![7u8; 100_000]).unwrap();
            let mut all = a.clone();
            all.extend_from_slice(&b);
            all.extend_from_slice(&b[..b.len() / 2]); // a torn tail
            std::fs::write(&path, &all).unwrap();
            let frames: Vec<_> = FrameWalker::open(&path).unwrap().collect();
            assert_eq!(frames.len(), 3);
            let f0 = frames[0].as_ref().unwrap();
            assert_eq!((f0.offset, f0.length), (0, a.len() as u64));
            assert_eq!(f0.record, b"first record");
            let f1 = frames[1].as_ref().unwrap();
            assert_eq!(f1.offset, a.len() as u64);
            assert_eq!(f1.record.len(), 100_000);
            let err = frames[2].as_ref().unwrap_err();
            assert_eq!(err.offset, (a.len() + b.len()) as u64);
            let back = read_frame_at(&path, f1.offset, f1.length).unwrap();
            assert_eq!(back, vec![7u8; 100_000]);
        }
    }

    #[test]
    fn a_blank_frame_takes_the_place_of_a_record_and_is_walked_over() {
        for codec in [Compression::Zstd { level: 3 }, Compression::Gzip] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("x.{}", codec.extension()));
            let a = codec.compress(b"first record").unwrap();
            let secret = b"SECRET-MARKER ".repeat(50);
            let b = codec.compress(&secret).unwrap();
            let c = codec.compress(b"third record").unwrap();
            let blank = codec
                .blank_frame(b.len() as u64, "erased by erasure 1\0\r\n")
                .unwrap();
            assert_eq!(blank.len(), b.len());
            assert!(!blank.windows(6).any(|w| w == b"SECRET"));
            let all = [a.clone(), blank, c.clone()].concat();
            std::fs::write(&path, &all).unwrap();
            let frames: Vec<_> = FrameWalker::open(&path)
                .unwrap()
                .map(|f| f.unwrap())
                .collect();
            assert_eq!(frames.len(), 3, "{codec:?}");
            assert!(frames[1].is_blank() && !frames[0].is_blank() && !frames[2].is_blank());
            assert_eq!(frames[1].length, b.len() as u64);
            assert_eq!(frames[2].offset, (a.len() + b.len()) as u64);
            assert_eq!(frames[2].record, b"third record");
            // The whole file decompresses to the two records left, as zstd -dc or gzip -dc
            // would give it.
            let plain = match codec {
                Compression::Zstd { .. } => zstd::stream::decode_all(&all[..]).unwrap(),
                Compression::Gzip => {
                    let mut out = Vec::new();
                    flate2::read::MultiGzDecoder::new(&all[..])
                        .read_to_end(&mut out)
                        .unwrap();
                    out
                }
            };
            assert_eq!(plain, b"first recordthird record");
            assert!(codec.blank_frame(7, "x").is_none());
        }
    }
}
