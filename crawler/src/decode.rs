//! `Content-Encoding` decoding for link extraction, with a decompression-bomb
//! guard.
//!
//! Why this exists: nightjar archives response bodies byte-for-byte as they
//! came off the wire (a WARC `response` record keeps the original
//! `Content-Encoding`), so archived bytes are never decoded. To find the
//! outgoing links of a compressed HTML page, however, the crawler needs the
//! plain bytes, and a hostile or broken server can send a few kilobytes that
//! inflate to gigabytes. This module undoes the encoding into a *separate*
//! buffer, used only for link extraction, and refuses output that is too
//! large in absolute terms ([`DecodeLimits::max_output`]) or suspiciously
//! compressible ([`DecodeLimits::max_ratio`]) before it is ever fully
//! allocated.
//!
//! The codecs themselves come from `flate2` and `brotli`; what is hand-written
//! here is only the glue those crates do not offer: parsing the header's list
//! of codings, the browser-compatible `deflate` fallback, and the capped,
//! ratio-checked read loop.

use std::borrow::Cow;
use std::io::{self, Read};

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

/// Output size below which the compression ratio is not checked: small pages
/// routinely compress better than 100:1 (e.g. a page of repeated markup), and
/// a megabyte is harmless anyway.
pub const RATIO_CHECK_THRESHOLD: usize = 1 << 20;

/// Size of the chunks read from a decoder; the limits are checked after each.
const CHUNK: usize = 64 * 1024;

/// Buffer size handed to the brotli decoder (its internal input buffer).
const BROTLI_BUFFER: usize = 4096;

/// Why a body could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// A coding in `Content-Encoding` that this module does not know
    /// (e.g. `compress`, `zstd`). Holds the coding as sent.
    #[error("unsupported content-encoding {0:?}")]
    Unsupported(String),
    /// The decoded body would exceed [`DecodeLimits::max_output`] bytes.
    #[error("decoded body exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Decoded size divided by encoded size exceeded
    /// [`DecodeLimits::max_ratio`]: most likely a decompression bomb.
    #[error("decompression ratio {ratio}:1 exceeds the limit of {limit}:1 (likely a decompression bomb)")]
    RatioExceeded {
        /// Decoded bytes per encoded byte, so far.
        ratio: u64,
        /// The limit.
        limit: u64,
    },
    /// The compressed stream is malformed or truncated.
    #[error("corrupt {encoding} stream: {reason}")]
    Corrupt {
        /// The coding whose stream is broken.
        encoding: String,
        /// What the decoder said.
        reason: String,
    },
}

/// Limits applied while decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest decoded body accepted, in bytes (applies to each decoding step
    /// of a multi-coding header).
    pub max_output: usize,
    /// Largest accepted ratio of decoded bytes to the bytes received on the
    /// wire. Only checked once the output exceeds [`RATIO_CHECK_THRESHOLD`].
    pub max_ratio: u64,
}

impl Default for DecodeLimits {
    /// 64 MiB of output, at most 100:1.
    fn default() -> Self {
        DecodeLimits {
            max_output: 64 * 1024 * 1024,
            max_ratio: 100,
        }
    }
}

/// One content coding that we know how to undo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coding {
    Identity,
    Gzip,
    Deflate,
    Brotli,
}

impl Coding {
    fn parse(token: &str) -> Result<Coding, DecodeError> {
        // Content codings are case-insensitive (RFC 9110 §8.4.1).
        match token.to_ascii_lowercase().as_str() {
            "identity" => Ok(Coding::Identity),
            // `x-gzip` is the legacy alias that RFC 9110 says to treat as gzip.
            "gzip" | "x-gzip" => Ok(Coding::Gzip),
            "deflate" => Ok(Coding::Deflate),
            "br" => Ok(Coding::Brotli),
            _ => Err(DecodeError::Unsupported(token.to_owned())),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Coding::Identity => "identity",
            Coding::Gzip => "gzip",
            Coding::Deflate => "deflate",
            Coding::Brotli => "br",
        }
    }
}

/// Undoes the `Content-Encoding` of `body`.
///
/// `content_encoding` is the header value as received (`None` when absent).
/// A comma-separated list names the codings in the order they were applied,
/// so they are undone from last to first. Known codings: `gzip`/`x-gzip`,
/// `deflate` (zlib-wrapped or, as browsers also accept, raw deflate), `br`
/// and `identity`; anything else gives [`DecodeError::Unsupported`] before
/// any decoding work is done.
///
/// The compression ratio is measured against `body.len()`, the bytes actually
/// received, across the whole chain of codings, so stacking codings does not
/// evade the ratio check.
pub fn decode_content(
    content_encoding: Option<&str>,
    body: &[u8],
    limits: &DecodeLimits,
) -> Result<Vec<u8>, DecodeError> {
    let Some(header) = content_encoding else {
        return Ok(body.to_vec());
    };
    // Parse the whole list first so that an unknown coding anywhere is
    // reported without decompressing anything.
    let codings = header
        .split(',')
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(Coding::parse)
        .collect::<Result<Vec<_>, _>>()?;

    let mut data: Cow<'_, [u8]> = Cow::Borrowed(body);
    for &coding in codings.iter().rev() {
        if coding == Coding::Identity {
            continue;
        }
        data = Cow::Owned(decode_one(coding, &data, body.len(), limits)?);
    }
    Ok(data.into_owned())
}

/// Undoes a single (non-identity) coding.
fn decode_one(
    coding: Coding,
    input: &[u8],
    wire_len: usize,
    limits: &DecodeLimits,
) -> Result<Vec<u8>, DecodeError> {
    // An empty body with a Content-Encoding header is common (HEAD-like
    // responses, 204/304 passed through, servers that label every response);
    // the decoders would report a missing header, browsers show an empty page.
    if input.is_empty() {
        return Ok(Vec::new());
    }
    match coding {
        Coding::Identity => Ok(input.to_vec()),
        // MultiGzDecoder rather than GzDecoder: a gzip body may consist of
        // several concatenated members (RFC 1952 §2.2), and browsers decode
        // all of them.
        Coding::Gzip => read_capped(MultiGzDecoder::new(input), coding, wire_len, limits),
        Coding::Deflate => {
            // RFC 9110 says `deflate` is zlib-wrapped, but some servers send
            // raw deflate; browsers try zlib and fall back to raw, and so do
            // we. Only a corrupt-stream error triggers the fallback: a size
            // or ratio refusal stands.
            match read_capped(ZlibDecoder::new(input), coding, wire_len, limits) {
                Err(DecodeError::Corrupt { .. }) => {
                    read_capped(DeflateDecoder::new(input), coding, wire_len, limits)
                }
                other => other,
            }
        }
        Coding::Brotli => read_capped(
            brotli::Decompressor::new(input, BROTLI_BUFFER),
            coding,
            wire_len,
            limits,
        ),
    }
}

/// Reads `decoder` to the end, refusing more than `limits.max_output` bytes
/// or a ratio above `limits.max_ratio`.
///
/// Hand-written instead of `read_to_end` because the limits must be checked
/// while the output grows: `Read::take` bounds the total at
/// `max_output + 1` bytes (one more than allowed, so that "exactly at the
/// limit" and "over it" can be told apart), and the ratio is checked after
/// every chunk, so a bomb is refused as soon as it shows itself rather than
/// after the full output has been allocated.
fn read_capped<R: Read>(
    decoder: R,
    coding: Coding,
    wire_len: usize,
    limits: &DecodeLimits,
) -> Result<Vec<u8>, DecodeError> {
    let cap = (limits.max_output as u64).saturating_add(1);
    let mut limited = decoder.take(cap);
    let mut out = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match limited.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(DecodeError::Corrupt {
                    encoding: coding.name().to_owned(),
                    reason: e.to_string(),
                })
            }
        };
        out.extend_from_slice(&chunk[..n]);
        if out.len() > limits.max_output {
            return Err(DecodeError::TooLarge {
                limit: limits.max_output,
            });
        }
        check_ratio(out.len(), wire_len, limits)?;
    }
    Ok(out)
}

fn check_ratio(
    output_len: usize,
    wire_len: usize,
    limits: &DecodeLimits,
) -> Result<(), DecodeError> {
    if output_len <= RATIO_CHECK_THRESHOLD {
        return Ok(());
    }
    let ratio = output_len as u64 / (wire_len as u64).max(1);
    if ratio > limits.max_ratio {
        return Err(DecodeError::RatioExceeded {
            ratio,
            limit: limits.max_ratio,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
    use flate2::Compression;
    use std::io::Write;

    const MIB: usize = 1024 * 1024;

    fn sample() -> Vec<u8> {
        let mut page = b"<!doctype html><title>t</title>".to_vec();
        for i in 0..2000 {
            page.extend_from_slice(format!("<a href=\"/page/{i}\">link {i}</a>\n").as_bytes());
        }
        page
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut enc = ZlibEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn raw_deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn brotli(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            enc.write_all(data).unwrap();
        }
        out
    }

    fn decode(enc: Option<&str>, body: &[u8]) -> Result<Vec<u8>, DecodeError> {
        decode_content(enc, body, &DecodeLimits::default())
    }

    #[test]
    fn default_limits() {
        let l = DecodeLimits::default();
        assert_eq!(l.max_output, 64 * MIB);
        assert_eq!(l.max_ratio, 100);
    }

    #[test]
    fn no_header_and_identity_pass_through() {
        let page = sample();
        assert_eq!(decode(None, &page).unwrap(), page);
        assert_eq!(decode(Some("identity"), &page).unwrap(), page);
        assert_eq!(decode(Some(""), &page).unwrap(), page);
        assert_eq!(decode(Some(" , identity ,"), &page).unwrap(), page);
    }

    #[test]
    fn gzip_roundtrip() {
        let page = sample();
        assert_eq!(decode(Some("gzip"), &gzip(&page)).unwrap(), page);
        assert_eq!(decode(Some("x-gzip"), &gzip(&page)).unwrap(), page);
        assert_eq!(decode(Some(" GZip "), &gzip(&page)).unwrap(), page);
    }

    #[test]
    fn gzip_multiple_members_are_all_decoded() {
        let mut body = gzip(b"first,");
        body.extend(gzip(b"second"));
        assert_eq!(decode(Some("gzip"), &body).unwrap(), b"first,second");
    }

    #[test]
    fn deflate_zlib_roundtrip() {
        let page = sample();
        assert_eq!(decode(Some("deflate"), &zlib(&page)).unwrap(), page);
    }

    #[test]
    fn deflate_raw_fallback() {
        let page = sample();
        assert_eq!(decode(Some("deflate"), &raw_deflate(&page)).unwrap(), page);
    }

    #[test]
    fn brotli_roundtrip() {
        let page = sample();
        assert_eq!(decode(Some("br"), &brotli(&page)).unwrap(), page);
    }

    #[test]
    fn chained_codings_are_undone_in_reverse() {
        let page = sample();
        // "gzip, br": gzip was applied first, then brotli.
        let body = brotli(&gzip(&page));
        assert_eq!(decode(Some("gzip, br"), &body).unwrap(), page);
        assert!(decode(Some("br, gzip"), &body).is_err());
        let body = gzip(&zlib(&page));
        assert_eq!(decode(Some("deflate,identity,gzip"), &body).unwrap(), page);
    }

    #[test]
    fn empty_body_with_encoding_is_empty() {
        for enc in ["gzip", "deflate", "br", "gzip, br"] {
            assert_eq!(decode(Some(enc), b"").unwrap(), b"", "{enc}");
        }
    }

    #[test]
    fn unknown_coding_is_unsupported() {
        let err = decode(Some("gzip, zstd"), b"whatever").unwrap_err();
        assert!(
            matches!(&err, DecodeError::Unsupported(c) if c == "zstd"),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "unsupported content-encoding \"zstd\"");
        assert!(matches!(
            decode(Some("compress"), b"x"),
            Err(DecodeError::Unsupported(_))
        ));
    }

    #[test]
    fn corrupt_input_is_corrupt() {
        let garbage = [0xffu8; 64];
        for enc in ["gzip", "deflate", "br"] {
            match decode(Some(enc), &garbage) {
                Err(DecodeError::Corrupt { encoding, reason }) => {
                    assert_eq!(encoding, enc);
                    assert!(!reason.is_empty());
                }
                other => panic!("{enc}: expected Corrupt, got {other:?}"),
            }
        }
    }

    #[test]
    fn truncated_gzip_is_corrupt() {
        let body = gzip(&sample());
        let err = decode(Some("gzip"), &body[..body.len() / 2]).unwrap_err();
        assert!(matches!(err, DecodeError::Corrupt { .. }), "{err:?}");
        assert!(err.to_string().starts_with("corrupt gzip stream: "));
    }

    #[test]
    fn small_pages_may_compress_very_well() {
        // 1 MiB of one byte compresses far beyond 100:1, but stays under the
        // ratio-check threshold, so it is accepted.
        let page = vec![b'a'; RATIO_CHECK_THRESHOLD];
        let body = gzip(&page);
        assert!(page.len() / body.len() > 100);
        assert_eq!(decode(Some("gzip"), &body).unwrap(), page);
    }

    #[test]
    fn output_exactly_at_limit_is_accepted() {
        let page = sample();
        let limits = DecodeLimits {
            max_output: page.len(),
            max_ratio: 100,
        };
        assert_eq!(
            decode_content(Some("gzip"), &gzip(&page), &limits).unwrap(),
            page
        );
        let limits = DecodeLimits {
            max_output: page.len() - 1,
            ..limits
        };
        assert!(matches!(
            decode_content(Some("gzip"), &gzip(&page), &limits),
            Err(DecodeError::TooLarge { limit }) if limit == page.len() - 1
        ));
    }

    /// Gzip of `total` zero bytes, compressed in 1 MiB pieces so that the
    /// test never holds the uncompressed data.
    fn gzip_zeros_streaming(total: usize) -> Vec<u8> {
        let zeros = vec![0u8; MIB];
        let mut enc = GzEncoder::new(Vec::new(), Compression::best());
        let mut left = total;
        while left > 0 {
            let n = left.min(MIB);
            enc.write_all(&zeros[..n]).unwrap();
            left -= n;
        }
        enc.finish().unwrap()
    }

    #[test]
    fn gzip_bomb_is_refused_by_ratio() {
        // 200 MiB of zeros: about 200 KiB on the wire.
        let bomb = gzip_zeros_streaming(200 * MIB);
        assert!(bomb.len() < 2 * MIB, "{}", bomb.len());
        let err = decode(Some("gzip"), &bomb).unwrap_err();
        match err {
            DecodeError::RatioExceeded { ratio, limit } => {
                assert_eq!(limit, 100);
                // Refused as soon as the ratio crossed the limit, i.e. after
                // about 100 × input bytes, far short of 200 MiB.
                assert!(ratio > 100 && ratio < 150, "ratio {ratio}");
            }
            other => panic!("expected RatioExceeded, got {other:?}"),
        }
    }

    #[test]
    fn bomb_is_refused_by_size_cap() {
        // A bomb made of 4096 concatenated gzip members of 1 MiB each: 4 GiB
        // if decoded in full, cheap to build. With the ratio check disabled
        // the size cap must stop it; if it did not, this test would try to
        // allocate 4 GiB.
        let member = gzip_zeros_streaming(MIB);
        let bomb = member.repeat(4096);
        let limits = DecodeLimits {
            max_output: 8 * MIB,
            max_ratio: u64::MAX,
        };
        let err = decode_content(Some("gzip"), &bomb, &limits).unwrap_err();
        assert!(matches!(err, DecodeError::TooLarge { limit } if limit == 8 * MIB));
        assert_eq!(
            err.to_string(),
            format!("decoded body exceeds the limit of {} bytes", 8 * MIB)
        );
    }

    #[test]
    fn stacked_codings_bomb_is_refused() {
        // gzip inside gzip: the outer layer is small, the inner one explodes.
        // The ratio is measured against the bytes received, which are even
        // fewer than the inner layer's input.
        let inner = gzip_zeros_streaming(50 * MIB);
        let body = gzip(&inner);
        assert!(body.len() < inner.len());
        let err = decode(Some("gzip, gzip"), &body).unwrap_err();
        assert!(matches!(err, DecodeError::RatioExceeded { .. }), "{err:?}");
    }

    #[test]
    fn brotli_bomb_is_refused() {
        let zeros = vec![0u8; MIB];
        let mut bomb = Vec::new();
        {
            let mut enc = brotli::CompressorWriter::new(&mut bomb, 4096, 1, 22);
            for _ in 0..100 {
                enc.write_all(&zeros).unwrap();
            }
        }
        let err = decode(Some("br"), &bomb).unwrap_err();
        assert!(matches!(err, DecodeError::RatioExceeded { .. }), "{err:?}");
    }
}
