//! Reading an archived HTTP message back out of a WARC block.
//!
//! The crawler archives the bytes exactly as they came off the wire, so everything derived
//! from a response (status, mime, payload digest, the body handed to link extraction) is
//! computed from those bytes by this one parser, for fresh captures, for verification and for
//! crash recovery alike. The payload is the entity body after removing chunked
//! transfer-coding but before removing any content-coding (WARC 1.1, and warcio's rule).

use std::fmt;

/// An HTTP/1.x response head plus its payload as archived.
#[derive(Clone, Debug)]
pub struct HttpMessage {
    /// Status code.
    pub status: Option<u16>,
    /// Header fields in wire order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Offset of the body within the block.
    pub body_offset: usize,
    /// Entity body with chunking removed (content-coding kept).
    pub payload: Vec<u8>,
    /// The block ended before the declared body did (truncated capture).
    pub incomplete: bool,
}

/// Why a block is not an HTTP message.
#[derive(Debug)]
pub struct HttpParseError(pub String);

impl fmt::Display for HttpParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid HTTP message: {}", self.0)
    }
}
impl std::error::Error for HttpParseError {}

const MAX_HEADERS: usize = 256;

impl HttpMessage {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Media type without parameters, lowercased (`text/html`).
    pub fn mime(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }

    fn is_chunked(&self) -> bool {
        self.header("transfer-encoding")
            .map(|v| v.to_ascii_lowercase().contains("chunked"))
            .unwrap_or(false)
    }

    /// Parses a response block. Interim 1xx responses (`103 Early Hints`, `100 Continue`)
    /// that precede the final response on the wire are skipped: the facts are those of the
    /// final response.
    pub fn parse_response(block: &[u8]) -> Result<HttpMessage, HttpParseError> {
        let mut start = 0;
        loop {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut resp = httparse::Response::new(&mut headers);
            let head_len = match resp.parse(&block[start..]) {
                Ok(httparse::Status::Complete(n)) => n,
                Ok(httparse::Status::Partial) => {
                    return Err(HttpParseError("the response head is incomplete".into()))
                }
                Err(e) => return Err(HttpParseError(e.to_string())),
            };
            let code = resp.code.unwrap_or(0);
            if (100..200).contains(&code) && code != 101 && start + head_len < block.len() {
                start += head_len;
                continue;
            }
            let mut msg = HttpMessage {
                status: resp.code,
                headers: collect(resp.headers),
                body_offset: start + head_len,
                payload: Vec::new(),
                incomplete: false,
            };
            msg.fill_payload(&block[start + head_len..]);
            return Ok(msg);
        }
    }

    fn fill_payload(&mut self, body: &[u8]) {
        if self.is_chunked() {
            let (payload, complete) = dechunk(body);
            self.payload = payload;
            self.incomplete = !complete;
        } else {
            if let Some(len) = self
                .header("content-length")
                .and_then(|v| v.trim().parse::<usize>().ok())
            {
                self.incomplete = body.len() < len;
            }
            self.payload = body.to_vec();
        }
    }
}

fn collect(headers: &[httparse::Header<'_>]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect()
}

/// Removes chunked transfer-coding. Returns the data and whether the terminating chunk was
/// seen. httparse parses each chunk-size line; the loop around it is ours because no crate
/// de-chunks a byte slice that may be cut short (a truncated capture must still yield what
/// arrived).
pub fn dechunk(mut body: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(body.len());
    loop {
        match httparse::parse_chunk_size(body) {
            Ok(httparse::Status::Complete((consumed, size))) => {
                body = &body[consumed..];
                if size == 0 {
                    return (out, true);
                }
                let size = size as usize;
                if body.len() < size {
                    out.extend_from_slice(body);
                    return (out, false);
                }
                out.extend_from_slice(&body[..size]);
                body = &body[size..];
                // Each chunk's data is followed by CRLF.
                if body.starts_with(b"\r\n") {
                    body = &body[2..];
                } else if body.starts_with(b"\n") {
                    body = &body[1..];
                } else {
                    return (out, false);
                }
            }
            _ => return (out, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunks_with_extensions() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        let m = HttpMessage::parse_response(raw).unwrap();
        assert_eq!(m.status, Some(200));
        assert_eq!(m.payload, b"hello world");
        assert!(!m.incomplete);
    }

    #[test]
    fn truncated_chunked_body_keeps_what_arrived() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nhello";
        let m = HttpMessage::parse_response(raw).unwrap();
        assert_eq!(m.payload, b"hello");
        assert!(m.incomplete);
    }

    #[test]
    fn content_length_body() {
        let raw = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/HTML; charset=utf-8\r\nContent-Length: 4\r\n\r\nnope";
        let m = HttpMessage::parse_response(raw).unwrap();
        assert_eq!(m.status, Some(404));
        assert_eq!(m.mime().as_deref(), Some("text/html"));
        assert_eq!(m.payload, b"nope");
        assert!(!m.incomplete);
    }

    #[test]
    fn interim_responses_are_skipped() {
        let raw = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi";
        let m = HttpMessage::parse_response(raw).unwrap();
        assert_eq!(m.status, Some(200));
        assert_eq!(m.mime().as_deref(), Some("text/html"));
        assert_eq!(m.payload, b"hi");
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(HttpMessage::parse_response(b"\x00\x01garbage").is_err());
    }
}
