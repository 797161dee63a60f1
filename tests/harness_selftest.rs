//! The test harness's own unit tests. The harness is compiled into every integration test
//! binary; its tests live here so that they run (and are counted) once.

mod harness;

use std::time::{Duration, UNIX_EPOCH};

use harness::fixture::{calendar, http_date, split_absolute_form, strip_port, Body, Response};

#[test]
fn http_date_formats_imf_fixdate() {
    let at = |secs| http_date(UNIX_EPOCH + Duration::from_secs(secs));
    assert_eq!(at(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(at(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(at(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(at(1_767_225_599), "Wed, 31 Dec 2025 23:59:59 GMT");
}

#[test]
fn strip_port_handles_names_and_ipv6() {
    assert_eq!(strip_port("site.test:8080"), "site.test");
    assert_eq!(strip_port("site.test"), "site.test");
    assert_eq!(strip_port("[::1]:80"), "[::1]");
    assert_eq!(strip_port(""), "");
}

#[test]
fn absolute_form_targets_are_split() {
    assert_eq!(
        split_absolute_form("http://site.test:1/a?b"),
        Some(("site.test:1", "/a?b"))
    );
    assert_eq!(
        split_absolute_form("HTTP://site.test"),
        Some(("site.test", "/"))
    );
    assert_eq!(split_absolute_form("/a"), None);
}

#[test]
fn calendar_rolls_over_years() {
    let body = |r: Response| match r.body {
        Body::Full(b) => String::from_utf8(b.into_owned()).unwrap(),
        Body::Chunked(_) => unreachable!(),
    };
    let dec = body(calendar("2026/12"));
    assert!(dec.contains("href=\"/calendar/2027/01\""), "{dec}");
    assert!(dec.contains("href=\"/calendar/2026/11\""), "{dec}");
    let jan = body(calendar("2026/1"));
    assert!(jan.contains("href=\"/calendar/2025/12\""), "{jan}");
    assert!(jan.contains("href=\"/calendar/2026/02\""), "{jan}");
    assert_eq!(calendar("2026/13").status, 404);
    assert_eq!(calendar("2026").status, 404);
    assert_eq!(calendar("2026/01/").status, 404);
    assert_eq!(calendar("+2026/01").status, 404);
}
