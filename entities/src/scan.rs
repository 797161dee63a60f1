//! Where in a text a pattern can match at all, found by a byte loop, so that the regexes
//! only read those places.
//!
//! A page's text is mostly words. A regex with no literal to look for (a Base58 run, an
//! IBAN, a phone number) reads every byte of it with a lazy DFA, about 35 µs for 20 KB, and
//! there are several of them: that made extraction cost more than a tenth of the crawl's CPU
//! per page. The regex crate's own prefilters need a literal, which these patterns lack, so
//! the narrowing is written here. Each function is exact: a regex run only on the places it
//! returns finds what it would find on the whole text, as the comments argue.

use std::ops::Range;

/// Whitespace-delimited tokens of `text` that hold a run of at least `min_run` ASCII letters
/// and digits, in order and without overlap.
///
/// Exact for a pattern that cannot match whitespace and has its whole match inside such a
/// run or its token (crypto addresses, onion names, e-mail addresses): whitespace is not a
/// word character, so a `\b` at a token's edge holds in the token exactly as in the text.
pub(crate) fn long_tokens(text: &str, min_run: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    if min_run == 0 {
        return out;
    }
    // Looks at the last byte of each window of `min_run` bytes first: most windows of
    // prose end in or reach back to a space within a word's length, so most bytes are
    // never read (the idea of Boyer-Moore's skip).
    let mut i = 0;
    while i + min_run <= bytes.len() {
        let end = i + min_run - 1;
        match (i..=end).rev().find(|&k| !bytes[k].is_ascii_alphanumeric()) {
            Some(k) => i = k + 1,
            None => {
                let token = token_around(text, i);
                out.push(token.clone());
                i = token.end.max(end + 1);
            }
        }
    }
    out
}

/// Whitespace-delimited tokens of `text` that contain the byte `b` (an ASCII character), in
/// order and without overlap; exact in the same way as [`long_tokens`].
pub(crate) fn tokens_with(text: &str, b: u8) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut from = 0;
    while let Some(at) = memchr::memchr(b, &bytes[from..]) {
        let token = token_around(text, from + at);
        from = token.end.max(from + at + 1);
        out.push(token);
    }
    out
}

/// The whitespace-delimited token around byte `at` (which is an ASCII byte, so a character
/// boundary).
fn token_around(text: &str, at: usize) -> Range<usize> {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| at + i);
    start..end
}

/// Stretches of `text` where at least `min_digits` ASCII digits follow one another with at
/// most `max_gap` bytes between neighbours, each widened by `lead` bytes before its first
/// digit (to a character boundary).
///
/// Exact for a pattern whose matches are made of digits at most `max_gap` bytes apart, start
/// at most `lead` bytes before their first digit, end with a digit and hold at least
/// `min_digits` of them (a phone number run): such a match never reaches from one stretch
/// into another, nor outside one, and no other match can start in between.
pub(crate) fn digit_stretches(
    text: &str,
    min_digits: usize,
    max_gap: usize,
    lead: usize,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut first = 0;
    let mut last = 0;
    let mut count = 0;
    let close = |first: usize, last: usize, count: usize, out: &mut Vec<Range<usize>>| {
        if count >= min_digits {
            let mut start = first.saturating_sub(lead);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            out.push(start..last + 1);
        }
    };
    for i in digits(text.as_bytes()) {
        if count > 0 && i - last <= max_gap {
            count += 1;
        } else {
            close(first, last, count, &mut out);
            first = i;
            count = 1;
        }
        last = i;
    }
    close(first, last, count, &mut out);
    out
}

/// The positions of the ASCII digits in `bytes`. Blocks of 32 bytes are first tested for
/// any digit with a loop the compiler turns into vector instructions; prose has few digits,
/// so most blocks are passed over whole.
pub(crate) fn digits(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    const BLOCK: usize = 32;
    bytes
        .chunks(BLOCK)
        .enumerate()
        .filter(|(_, block)| {
            block
                .iter()
                .fold(false, |any, b| any | (b.wrapping_sub(b'0') < 10))
        })
        .flat_map(|(n, block)| {
            block
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_digit())
                .map(move |(i, _)| n * BLOCK + i)
        })
}

/// Whether the character before byte `at` is a word character as the regex crate's `\b`
/// sees it (false at the start of the text).
pub(crate) fn word_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(regex_syntax::is_word_character)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_with_long_runs() {
        let text = "a short text\u{a0}with x:1BoatSLRHtKNngkdXEeobR76b53LETtpyT, then more";
        let t = long_tokens(text, 11);
        assert_eq!(t.len(), 1);
        assert_eq!(&text[t[0].clone()], "x:1BoatSLRHtKNngkdXEeobR76b53LETtpyT,");
        assert!(long_tokens("words only here", 11).is_empty());
        let t = long_tokens("abcdefghijk", 11);
        assert_eq!(t, vec![0..11]);
        let t = long_tokens("ab cdefghijklm, abcdefghijklmnopqrstuvwxyz0123456789 x", 11);
        assert_eq!(t, vec![3..15, 16..52]);
        assert!(long_tokens("abcdefghij", 11).is_empty());
    }

    #[test]
    fn tokens_around_a_byte() {
        let text = "mail a@b.c and (d@e.f) or\tg@h";
        let t: Vec<&str> = tokens_with(text, b'@')
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(t, ["a@b.c", "(d@e.f)", "g@h"]);
        assert_eq!(tokens_with("x@y@z", b'@'), vec![0..5]);
    }

    #[test]
    fn stretches_of_digits() {
        let text = "price 1299, call +7\u{a0}916 123-45-67 today; 12 34";
        let s: Vec<&str> = digit_stretches(text, 7, 7, 3)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(s, ["l +7\u{a0}916 123-45-67"]);
        assert!(digit_stretches("1 2 3 4 5 6", 7, 7, 3).is_empty());
        // Digits far apart are two stretches, neither long enough.
        assert!(digit_stretches("1234        5678", 7, 7, 3).is_empty());
        assert_eq!(digit_stretches("1234567", 7, 7, 3), vec![0..7]);
    }

    #[test]
    fn digits_in_blocks() {
        let text = format!("{}7{}42", "x".repeat(40), "y".repeat(30));
        assert_eq!(
            digits(text.as_bytes()).collect::<Vec<_>>(),
            vec![40, 71, 72]
        );
        assert_eq!(digits(b"").count(), 0);
    }

    #[test]
    fn word_characters_before() {
        assert!(!word_before("DE89", 0));
        assert!(!word_before(" DE89", 1));
        assert!(word_before("яDE89", "я".len()));
    }
}

/// The narrowed searches against the regexes run over the whole text, on many generated
/// texts made of the characters that matter at the edges (digits, separators, capitals,
/// word characters of other scripts, whitespace of several kinds, '@', brackets).
#[cfg(test)]
mod same_as_whole_text {
    use regex::Regex;

    fn texts() -> Vec<String> {
        const PIECES: &[&str] = &[
            "0",
            "1",
            "7",
            "9",
            "42",
            "123",
            "+",
            " ",
            "\u{a0}",
            "\u{2003}",
            "\t",
            "\n",
            "-",
            ".",
            "(",
            ")",
            "/",
            ",",
            "a",
            "q",
            "z",
            "X",
            "DE",
            "DE89",
            "GB29",
            "я",
            "é",
            "_",
            "@",
            "[",
            "]",
            "<at>",
            "(at)",
            "bc1",
            "0x",
            "bitcoincash:",
            ".onion",
            "mail",
            "3704",
            "0044",
            "0532",
            "0130",
            "00",
            "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
            "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
            "2gzyxa5ihm7nsggfxnu52rck2vv4",
            "DE89 3704 0044 0532 0130 00",
            "GB29NWBK60161331926819",
            "info",
            "@",
            "@mail.ru",
            "x@y.com",
            ".com",
            "a.b-c",
            "+7 916 123-45-67",
        ];
        let mut seed: u64 = 15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        (0..4000)
            .map(|_| {
                let n = next(40);
                (0..n).map(|_| PIECES[next(PIECES.len())]).collect()
            })
            .collect()
    }

    fn whole<'t>(r: &Regex, text: &'t str) -> Vec<(usize, &'t str)> {
        r.find_iter(text).map(|m| (m.start(), m.as_str())).collect()
    }

    fn in_tokens<'t>(r: &Regex, text: &'t str) -> Vec<(usize, &'t str)> {
        super::long_tokens(text, 11)
            .into_iter()
            .flat_map(|t| {
                let at = t.start;
                r.find_iter(&text[t])
                    .map(move |m| (at + m.start(), m.as_str()))
            })
            .collect()
    }

    #[test]
    fn addresses_in_long_tokens() {
        use crate::crypto::{BASE58, CASHADDR, ETH, SEGWIT};
        for text in texts() {
            for r in [&*BASE58, &*SEGWIT, &*CASHADDR, &*ETH, &*crate::onion::ONION] {
                assert_eq!(in_tokens(r, &text), whole(r, &text), "{r} in {text:?}");
            }
        }
    }

    #[test]
    fn ibans_from_their_starts() {
        let r = Regex::new(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b").unwrap();
        let mut seen = 0;
        for text in texts() {
            let got = crate::iban::candidates(&text);
            seen += got.len();
            assert_eq!(got, whole(&r, &text), "{text:?}");
        }
        assert!(seen > 50, "the texts hold IBAN-like runs: {seen}");
    }

    #[test]
    fn emails_in_tokens_with_an_at() {
        let mut seen = 0;
        for text in texts() {
            let got = crate::email::candidates(&text);
            seen += got.len();
            assert_eq!(got, whole(&crate::email::EMAIL, &text), "{text:?}");
            assert_eq!(
                crate::email::obfuscated(&text),
                crate::email::OBFUSCATED_AT.is_match(&text),
                "{text:?}"
            );
        }
        assert!(seen > 50, "the texts hold address-like runs: {seen}");
    }

    #[test]
    fn spelled_digits_word_by_word() {
        let mut seen = 0;
        for text in texts() {
            let text = text
                .replace('я', " one, ")
                .replace('é', "SEVEN")
                .replace('q', " plus ")
                .replace('X', "oh,")
                .replace('z', "nines");
            let got = crate::phone::spelled_words(&text);
            seen += got.len();
            let want: Vec<_> = crate::phone::SPELLED
                .find_iter(&text)
                .map(|m| m.range())
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
        assert!(seen > 200, "the texts hold spelled digits: {seen}");
    }

    #[test]
    fn phone_runs_in_digit_stretches() {
        let mut seen = 0;
        for text in texts() {
            let got = crate::phone::runs(&text);
            seen += got.len();
            assert_eq!(got, whole(&crate::phone::RUN, &text), "{text:?}");
        }
        assert!(seen > 200, "the texts hold digit runs: {seen}");
    }
}
