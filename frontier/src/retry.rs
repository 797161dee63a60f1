//! What a server's answer asks of the crawler: come back later, and when.
//!
//! A `429 Too Many Requests` or `503 Service Unavailable` is the server telling us to slow
//! down; with `Retry-After` (seconds, or an HTTP-date) it also says until when. Heritrix and
//! warcprox-based crawlers honour it per host, and so does nightjar: the whole host is held
//! back until then (never longer than a configured maximum, so a hostile `Retry-After:
//! 99999999` cannot park a host for years), and the URL is asked for again then. Any other
//! `5xx` is an error of that URL only: it is retried with doubling back-off, and the host
//! goes on. Both spend the URL's retry budget for the pass; the responses themselves are
//! archived like any other (each attempt is a capture), only what comes next is decided
//! here.
//!
//! These are policies, kept apart from the queue that carries them out (as Heritrix keeps
//! its politeness and retry policies apart from its frontier's queues).

use std::time::{Duration, SystemTime};

/// How the crawl reacts to error answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries of one URL within a pass.
    pub retries: u32,
    /// Wait before the first retry when the server gives no time; it doubles each attempt.
    pub backoff: Duration,
    /// The longest wait honoured, whatever `Retry-After` asks.
    pub max_wait: Duration,
}

/// What to do after an answer (see [`RetryPolicy::after_answer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterAnswer {
    /// The answer stands: record the capture as done.
    Done,
    /// Ask for the URL again after `wait`.
    Retry {
        /// How long to wait.
        wait: Duration,
        /// Hold the whole host for `wait` (the server asked us to slow down).
        hold_host: bool,
        /// The server's `Retry-After` asked for longer than the policy's maximum.
        capped: bool,
    },
}

/// Whether the answer asks the whole host to wait: 429, 503, or any 5xx that says when to
/// come back. Holding the host then is not a retry decision: it holds even when the URL has
/// no retries left, since the other URLs of the host would get the same answer.
pub fn holds_host(status: u16, retry_after: Option<&str>) -> bool {
    matches!(status, 429 | 503)
        || ((500..=599).contains(&status) && retry_after.is_some_and(|v| !v.trim().is_empty()))
}

impl RetryPolicy {
    /// The decision for an answer with `status` and the `Retry-After` header's value, to a
    /// URL already tried `attempts` times in this pass, at `now`.
    pub fn after_answer(
        &self,
        status: u16,
        retry_after: Option<&str>,
        attempts: u32,
        now: SystemTime,
    ) -> AfterAnswer {
        if !(status == 429 || (500..=599).contains(&status)) || attempts >= self.retries {
            return AfterAnswer::Done;
        }
        let hold_host = holds_host(status, retry_after);
        let asked = retry_after.and_then(|v| parse_retry_after(v, now));
        let wait = asked.unwrap_or_else(|| self.backoff.saturating_mul(1 << attempts.min(20)));
        AfterAnswer::Retry {
            wait: wait.min(self.max_wait),
            hold_host,
            capped: asked.is_some_and(|a| a > self.max_wait),
        }
    }

    /// How long a host is held after an answer that [`holds_host`], when no retry follows.
    pub fn host_hold(&self, retry_after: Option<&str>, now: SystemTime) -> Duration {
        retry_after
            .and_then(|v| parse_retry_after(v, now))
            .unwrap_or(self.backoff)
            .min(self.max_wait)
    }
}

/// Reads `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date (IMF-fixdate, and
/// the obsolete RFC 850 and asctime forms). A date in the past means now; anything else
/// unreadable is `None` (the caller falls back to its back-off).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Delay-seconds; an absurd number is simply very long (capped by the caller).
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        retries: 2,
        backoff: Duration::from_secs(5),
        max_wait: Duration::from_secs(600),
    };

    fn at(s: &str) -> SystemTime {
        httpdate::parse_http_date(s).unwrap()
    }

    #[test]
    fn retry_after_reads_seconds_and_all_three_date_forms() {
        let now = at("Sun, 06 Nov 1994 08:49:37 GMT");
        let secs = |v| parse_retry_after(v, now).map(|d| d.as_secs());
        assert_eq!(secs("120"), Some(120));
        assert_eq!(secs(" 7 "), Some(7));
        assert_eq!(secs("Sun, 06 Nov 1994 08:51:37 GMT"), Some(120));
        assert_eq!(secs("Sunday, 06-Nov-94 08:50:37 GMT"), Some(60));
        assert_eq!(secs("Sun Nov  6 08:50:07 1994"), Some(30));
        // In the past: now.
        assert_eq!(secs("Sun, 06 Nov 1994 08:00:00 GMT"), Some(0));
        assert_eq!(secs("soon"), None);
        assert_eq!(secs("-5"), None);
        assert_eq!(secs("1.5"), None);
        assert_eq!(secs(""), None);
        assert_eq!(secs("99999999999999999999999"), Some(u64::MAX));
    }

    #[test]
    fn throttling_holds_the_host_for_the_time_asked_within_the_maximum() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            POLICY.after_answer(429, Some("30"), 0, now),
            AfterAnswer::Retry {
                wait: Duration::from_secs(30),
                hold_host: true,
                capped: false
            }
        );
        assert_eq!(
            POLICY.after_answer(503, Some("86400"), 1, now),
            AfterAnswer::Retry {
                wait: Duration::from_secs(600),
                hold_host: true,
                capped: true
            }
        );
        // 503 without a time: the host still waits, by the back-off.
        assert_eq!(
            POLICY.after_answer(503, None, 1, now),
            AfterAnswer::Retry {
                wait: Duration::from_secs(10),
                hold_host: true,
                capped: false
            }
        );
        // An unreadable Retry-After falls back to the back-off.
        assert_eq!(
            POLICY.after_answer(429, Some("later"), 0, now),
            AfterAnswer::Retry {
                wait: Duration::from_secs(5),
                hold_host: true,
                capped: false
            }
        );
    }

    #[test]
    fn other_server_errors_retry_the_url_with_doubling_back_off() {
        let now = SystemTime::now();
        for (attempts, secs) in [(0, 5), (1, 10)] {
            assert_eq!(
                POLICY.after_answer(500, None, attempts, now),
                AfterAnswer::Retry {
                    wait: Duration::from_secs(secs),
                    hold_host: false,
                    capped: false
                }
            );
        }
        assert_eq!(POLICY.after_answer(502, None, 2, now), AfterAnswer::Done);
        // A 5xx that says when to come back holds the host like a 503.
        assert!(matches!(
            POLICY.after_answer(502, Some("3"), 0, now),
            AfterAnswer::Retry {
                hold_host: true,
                ..
            }
        ));
    }

    #[test]
    fn success_client_errors_and_redirects_are_done_whatever_they_say() {
        let now = SystemTime::now();
        for status in [200, 301, 304, 404, 410, 0] {
            assert_eq!(
                POLICY.after_answer(status, Some("10"), 0, now),
                AfterAnswer::Done
            );
        }
        assert!(!holds_host(200, Some("10")));
        assert!(!holds_host(500, None));
        assert!(holds_host(429, None));
        assert!(holds_host(500, Some("10")));
    }

    #[test]
    fn the_retry_budget_is_not_exceeded() {
        let now = SystemTime::now();
        assert_eq!(
            POLICY.after_answer(429, Some("1"), 2, now),
            AfterAnswer::Done
        );
        assert_eq!(POLICY.after_answer(503, None, 5, now), AfterAnswer::Done);
        assert_eq!(
            POLICY.host_hold(Some("86400"), now),
            Duration::from_secs(600)
        );
        assert_eq!(POLICY.host_hold(None, now), Duration::from_secs(5));
    }
}
