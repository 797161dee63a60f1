//! The revisit decision: when a capture is written as a `revisit` record pointing at an
//! earlier response instead of repeating its payload, and with which WARC 1.1 profile.
//!
//! This is the one place that decides. The crawler hands the writer the URL's last archived
//! response ([`crate::writer::Exchange::previous`]) and the operator's choice
//! ([`crate::writer::Exchange::keep_duplicates`]); the rules here do the rest.

use crate::writer::{Exchange, ResponseFacts};

/// WARC 1.1 profile of a revisit whose payload equals the original's.
pub const IDENTICAL_PAYLOAD_DIGEST: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
/// WARC 1.1 profile of a revisit answering a conditional request with `304 Not Modified`.
pub const SERVER_NOT_MODIFIED: &str = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// Whether a request head asks "only if changed" (If-None-Match or If-Modified-Since).
fn is_conditional(request: &[u8]) -> bool {
    let end = request
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(request.len());
    String::from_utf8_lossy(&request[..end])
        .lines()
        .filter_map(|l| l.split_once(':'))
        .any(|(k, _)| {
            let k = k.trim();
            k.eq_ignore_ascii_case("if-none-match") || k.eq_ignore_ascii_case("if-modified-since")
        })
}

/// Whether `ex` is written as a revisit of its previous capture, and with which profile
/// (`facts` are those of its response, from [`crate::writer::response_facts`]). The one place that decides.
pub fn revisit_profile(ex: &Exchange, facts: &ResponseFacts) -> Option<&'static str> {
    let original = ex.previous.as_ref()?;
    if facts.status == 304 {
        // Only an answer to a conditional request says "the body you have is current".
        return is_conditional(&ex.request).then_some(SERVER_NOT_MODIFIED);
    }
    if ex.keep_duplicates {
        return None;
    }
    let same = facts.payload_digest.as_deref() == Some(original.payload_digest.as_str());
    (same && ex.truncated.is_none() && facts.payload_len > 0).then_some(IDENTICAL_PAYLOAD_DIGEST)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::sha256_label;
    use crate::writer::{response_facts, Original};

    const BODY: &str = "the same listing";

    fn exchange(request: &str, status: &str, body: &str, keep_duplicates: bool) -> Exchange {
        Exchange {
            request: request.as_bytes().to_vec(),
            response: format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
            previous: Some(Original {
                record_id: "<urn:uuid:1>".into(),
                target_uri: "http://a.test/".into(),
                date: "2026-12-01T00:00:00.000Z".into(),
                payload_digest: sha256_label(BODY.as_bytes()),
            }),
            keep_duplicates,
            ..Default::default()
        }
    }

    fn profile(ex: &Exchange) -> Option<&'static str> {
        revisit_profile(ex, &response_facts(&ex.response))
    }

    #[test]
    fn the_same_payload_is_a_revisit_unless_duplicates_are_kept() {
        let plain = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";
        assert_eq!(
            profile(&exchange(plain, "200 OK", BODY, false)),
            Some(IDENTICAL_PAYLOAD_DIGEST)
        );
        assert_eq!(profile(&exchange(plain, "200 OK", BODY, true)), None);
        assert_eq!(profile(&exchange(plain, "200 OK", "new text", false)), None);
        let mut cut = exchange(plain, "200 OK", BODY, false);
        cut.truncated = Some("length".into());
        assert_eq!(
            profile(&cut),
            None,
            "a body cut short is written as it came"
        );
        let mut first = exchange(plain, "200 OK", BODY, false);
        first.previous = None;
        assert_eq!(profile(&first), None);
    }

    #[test]
    fn a_304_is_a_revisit_only_when_the_request_was_conditional() {
        let conditional = "GET / HTTP/1.1\r\nHost: a.test\r\nIf-None-Match: \"x\"\r\n\r\n";
        let plain = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";
        for keep in [false, true] {
            assert_eq!(
                profile(&exchange(conditional, "304 Not Modified", "", keep)),
                Some(SERVER_NOT_MODIFIED)
            );
            assert_eq!(
                profile(&exchange(plain, "304 Not Modified", "", keep)),
                None
            );
        }
    }
}
