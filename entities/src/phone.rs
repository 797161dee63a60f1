//! Phone numbers, normalized to E.164 by libphonenumber's metadata (the `phonenumber` crate).
//!
//! Escort and classified ads write numbers to get past filters: spelled out ("nine one
//! six…"), split by dots or spaces one digit at a time, in fullwidth or other scripts'
//! digits. Those are undone first and the number flagged `deobfuscated`. What decides is
//! the metadata: a run of digits is a phone number only if libphonenumber calls it valid,
//! written with `+` or `00`, or nationally where the seed names the region. Before that,
//! what is obviously something else is set aside: a run next to a currency sign or a unit,
//! after `#`, `№`, "order" or "ISBN", a date, more than 15 digits.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use phonenumber::country::Id;
use phonenumber::Mode;
use regex::Regex;

use crate::digits::{other_digit, spelled, SPELLED_WORDS};
use crate::{Collector, Flags, Hints, Kind};

/// A run of at least seven digits, with the separators numbers are written with between
/// them (spelled-out digits and other digit forms are made ASCII digits first).
pub(crate) static RUN: LazyLock<Regex> = LazyLock::new(|| {
    // Separators never include a line break: the visible text puts each block on its own
    // line, and digits on two lines (a phone in one table cell, a postcode in the next)
    // are two things.
    Regex::new(r"(?:\+[ \t\u{A0}]?)?(?:[0-9][ \t\u{A0}\-\.\(\)/]{0,3}){6,24}[0-9]").expect("regex")
});
/// A spelled-out digit, and the comma or "plus" that may go with it.
pub(crate) static SPELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?:{SPELLED_WORDS})\b,?|plus\b,?|плюс\b,?)"
    ))
    .expect("regex")
});
/// Dates as a whole run: 2024-03-15, 15.03.2024, 03/15/2024.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4})(?:\s|$)")
        .expect("regex")
});

/// Words just before a run that say it is not a phone number.
const NOT_PHONE_BEFORE: &[&str] = &[
    "#",
    "№",
    "order",
    "isbn",
    "invoice",
    "tracking",
    "ref",
    "id",
    "заказ",
    "артикул",
    "sku",
    "$",
    "€",
    "£",
    "₽",
    "¥",
    "usd",
    "eur",
    "rub",
    "btc",
    "price",
    "цена",
];
/// Words just after a run that say it is an amount or a size.
const NOT_PHONE_AFTER: &[&str] = &[
    "$", "€", "£", "₽", "¥", "%", "usd", "eur", "rub", "руб", "р.", "btc", "xmr", "eth", "ml",
    "kg", "mg", "cm", "mm", "km", "px", "gb", "mb", "kb", "g ", "pcs", "шт",
];

pub(crate) fn region(name: &str) -> Result<Id, String> {
    name.trim().to_ascii_uppercase().parse::<Id>().map_err(|_| {
        format!("unknown region '{name}': use a two-letter ISO 3166 code such as RU, DE, US")
    })
}

/// Every valid number in `text`.
pub(crate) fn find(text: &str, hints: &Hints, out: &mut Collector) {
    let Some((normalized, mut undone)) = normalize(text) else {
        return;
    };
    let normalized = unsplit_letters(normalized, &mut undone);
    let region = hints.region.as_deref().and_then(|r| region(r).ok());
    for (start, run) in runs(&normalized) {
        let run = run.trim_end_matches([' ', '-', '.', '(', '/']);
        if !plausible(&normalized, start, start + run.len(), run) {
            continue;
        }
        let span = start..start + run.len();
        let deobfuscated = undone.iter().any(|at| span.contains(at)) || split_one_by_one(run);
        let digits: String = run.chars().filter(|c| c.is_ascii_digit()).collect();
        let plus = run.trim_start().starts_with('+');
        if let Some(e164) = parse(&digits, plus, region) {
            out.add(
                Kind::Phone,
                e164,
                Flags {
                    unchecksummed: false,
                    deobfuscated,
                    verified_signature: false,
                },
            );
        }
    }
}

/// What [`SPELLED`] matches in `text`. ASCII text is read by a loop over its words instead
/// of the regex (a third of the time: the regex has no literal to look for, and English
/// pages are full of "one"); the result is the same, since there a word character is
/// `[A-Za-z0-9_]` and `\b…\b` asks for a whole word.
pub(crate) fn spelled_words(text: &str) -> Vec<Range<usize>> {
    if !text.is_ascii() {
        return SPELLED.find_iter(text).map(|m| m.range()).collect();
    }
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        if (2..=5).contains(&(i - start)) && spelled_ascii(&b[start..i]) {
            let end = if b.get(i) == Some(&b',') { i + 1 } else { i };
            out.push(start..end);
        }
    }
    out
}

/// Whether an ASCII word of two to five letters is a spelled digit or "plus": the word,
/// lowercased, packed into an integer and compared with the packed spellings (a slice
/// comparison per spelling was a `memcmp` call each, for every short word of every page).
fn spelled_ascii(w: &[u8]) -> bool {
    const fn pack(w: &[u8]) -> u64 {
        let mut x = 0u64;
        let mut i = 0;
        while i < w.len() {
            x = x << 8 | w[i].to_ascii_lowercase() as u64;
            i += 1;
        }
        x
    }
    const WORDS: [u64; 12] = [
        pack(b"zero"),
        pack(b"oh"),
        pack(b"one"),
        pack(b"two"),
        pack(b"three"),
        pack(b"four"),
        pack(b"five"),
        pack(b"six"),
        pack(b"seven"),
        pack(b"eight"),
        pack(b"nine"),
        pack(b"plus"),
    ];
    WORDS.contains(&pack(w))
}

/// What [`RUN`] matches in `text`, with the byte offsets of the matches.
pub(crate) fn runs(text: &str) -> Vec<(usize, &str)> {
    // RUN's matches hold seven digits or more, at most three one- or two-byte separators
    // apart, and begin at most three bytes (`+` and a no-break space) before their first
    // digit: only the stretches of text like that are read (see `scan`).
    crate::scan::digit_stretches(text, 7, 7, 3)
        .into_iter()
        .flat_map(|s| {
            let at = s.start;
            RUN.find_iter(&text[s])
                .map(move |m| (at + m.start(), m.as_str()))
        })
        .collect()
}

/// The text with every digit as an ASCII digit: spelled-out digits ("nine, one six"), other
/// scripts' and fullwidth digits, fullwidth plus and dashes. Also the byte offsets (in the
/// new text) of what had to be undone. `None` if there are no digits at all.
fn normalize(text: &str) -> Option<(Cow<'_, str>, Vec<usize>)> {
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    let words = spelled_words(text);
    let has_word = !words.is_empty();
    if !has_word && text.is_ascii() {
        // Nothing to undo: ASCII has no other digit forms.
        return has_digit.then_some((Cow::Borrowed(text), Vec::new()));
    }
    if !has_digit && !has_word && !text.chars().any(|c| other_digit(c).is_some()) {
        return None;
    }
    let mut undone = Vec::new();
    let mut out = String::with_capacity(text.len());
    let push_chars = |s: &str, out: &mut String, undone: &mut Vec<usize>| {
        if s.is_ascii() {
            out.push_str(s);
            return;
        }
        for c in s.chars() {
            match (other_digit(c), c) {
                (Some(d), _) => {
                    undone.push(out.len());
                    out.push(char::from(b'0' + d));
                }
                (None, '\u{FF0B}') => out.push('+'),
                // Fullwidth and typographic dashes and the katakana long sound mark, which
                // Japanese pages use between digit groups.
                (None, '\u{FF0D}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}') => {
                    out.push('-')
                }
                (None, c) => out.push(c),
            }
        }
    };
    let mut last = 0;
    if has_word {
        for w in words {
            push_chars(&text[last..w.start], &mut out, &mut undone);
            last = w.end;
            let word = text[w.clone()].trim_end_matches(',');
            if word.eq_ignore_ascii_case("plus") || word.to_lowercase() == "плюс" {
                undone.push(out.len());
                out.push('+');
            } else if let Some(d) = spelled(word) {
                undone.push(out.len());
                out.push(char::from(b'0' + d));
            } else {
                push_chars(&text[w], &mut out, &mut undone);
            }
        }
    }
    push_chars(&text[last..], &mut out, &mut undone);
    Some((Cow::Owned(out), undone))
}

/// Digits split by single letters to get past filters (`8x916x123x45x67`, `9o1o6…`): the
/// letters become spaces and their offsets are added to `undone`. Only where the whole
/// word is such a run: at least seven digits, at most one character between neighbours, at
/// least three of those letters, nothing alphanumeric before or after (`id12a34b56c78` and
/// `1920x1080` stay as they are). A word whose letters are all `a`–`f` is left alone too:
/// that is a hexadecimal string (a hash, a colour), which no one can tell from a number
/// split with those letters.
fn unsplit_letters<'t>(text: Cow<'t, str>, undone: &mut Vec<usize>) -> Cow<'t, str> {
    let mut letters = Vec::new();
    for span in crate::scan::digit_stretches(&text, 7, 2, 0) {
        let b = text.as_bytes();
        let start = if span.start > 0 && b[span.start - 1] == b'+' {
            span.start - 1
        } else {
            span.start
        };
        let bounded = |i: Option<&u8>| !i.is_some_and(u8::is_ascii_alphanumeric);
        if !bounded(start.checked_sub(1).map(|i| &b[i])) || !bounded(b.get(span.end)) {
            continue;
        }
        let here: Vec<usize> = span
            .clone()
            .filter(|&i| b[i].is_ascii_alphabetic())
            .collect();
        let hex = here.iter().all(|&i| b[i].is_ascii_hexdigit());
        if here.len() >= 3 && !hex {
            letters.extend(here);
        }
    }
    if letters.is_empty() {
        return text;
    }
    let mut bytes = text.into_owned().into_bytes();
    for &i in &letters {
        bytes[i] = b' ';
    }
    undone.extend(letters);
    // Only ASCII letters were replaced by an ASCII space: still UTF-8.
    Cow::Owned(String::from_utf8(bytes).expect("ASCII for ASCII"))
}

/// A `tel:` link: one number, as written.
pub(crate) fn find_tel(body: &str, hints: &Hints, out: &mut Collector) {
    let region = hints.region.as_deref().and_then(|r| region(r).ok());
    let plus = body.trim_start().starts_with('+');
    let digits: String = body.chars().filter(|c| c.is_ascii_digit()).collect();
    if let Some(e164) = parse(&digits, plus, region) {
        out.add(Kind::Phone, e164, Flags::default());
    }
}

/// Whether the run is worth asking libphonenumber about.
fn plausible(text: &str, start: usize, end: usize, run: &str) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    // Part of a longer token: `id12345678`, `1920x1080`, `12:30`, `3,5`.
    if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | ',' | '@'))
        || after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '@'))
    {
        return false;
    }
    // The tail of a code: `KS-4471-0093`, `v2/4471 0093`.
    if before.is_some_and(|c| matches!(c, '-' | '/' | '.')) {
        let two_back = text[..start].chars().rev().nth(1);
        if two_back.is_some_and(|c| c.is_alphanumeric()) {
            return false;
        }
    }
    if after == Some(',') && text[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        return false; // 1 299,00
    }
    let head: String = text[..start]
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    let head = head.trim_end();
    if NOT_PHONE_BEFORE.iter().any(|w| ends_with_word(head, w)) {
        return false;
    }
    let tail: String = text[end..]
        .chars()
        .take(6)
        .collect::<String>()
        .to_lowercase();
    let tail = tail.trim_start();
    if NOT_PHONE_AFTER.iter().any(|w| tail.starts_with(w)) {
        return false;
    }
    if DATE.is_match(run.trim()) {
        return false;
    }
    true
}

/// Whether `head` ends with the word `w` (alone, or followed by `:` or `.`): "Order:" and
/// "ID." but not "Madrid:".
fn ends_with_word(head: &str, w: &str) -> bool {
    let head = head.trim_end_matches([':', '.']).trim_end();
    let Some(rest) = head.strip_suffix(w) else {
        return false;
    };
    let starts_with_letter = w.chars().next().is_some_and(char::is_alphanumeric);
    !starts_with_letter || !rest.chars().next_back().is_some_and(char::is_alphanumeric)
}

/// "9 1 6 1 2 3 4 5 6 7" or "9.1.6.1.2.3": every digit on its own, which no one writes a
/// number as except to get past a filter.
fn split_one_by_one(run: &str) -> bool {
    let groups: Vec<&str> = run
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() >= 7 && groups.iter().filter(|g| g.len() == 1).count() * 10 >= groups.len() * 8
}

/// E.164 of a number libphonenumber calls valid.
fn parse(digits: &str, plus: bool, region: Option<Id>) -> Option<String> {
    if digits.len() < 7 || digits.len() > 15 {
        return None;
    }
    let number = if plus {
        phonenumber::parse(None, format!("+{digits}")).ok()?
    } else if let Some(international) = digits.strip_prefix("00") {
        phonenumber::parse(None, format!("+{international}")).ok()?
    } else {
        let region = region?;
        let number = phonenumber::parse(Some(region), digits).ok()?;
        if !trunk_prefix_as_required(region, digits, &number) {
            return None;
        }
        number
    };
    if !phonenumber::is_valid(&number) {
        return None;
    }
    Some(number.format().mode(Mode::E164).to_string())
}

/// Whether a number written nationally carries the country's trunk prefix (0 in most of
/// Europe, 8 in Russia) where its format requires it, as libphonenumber's VALID matcher
/// checks: "4471 0093" on a German page is an article number, "089 4471 0093" a phone,
/// while Chinese mobiles ("138 9036 7367") and North American numbers are written without.
fn trunk_prefix_as_required(region: Id, digits: &str, number: &phonenumber::PhoneNumber) -> bool {
    let Some(meta) = phonenumber::metadata::DATABASE.by_id(region.as_ref()) else {
        return true;
    };
    let Some(prefix) = meta.national_prefix() else {
        return true;
    };
    if digits.starts_with(prefix) {
        return true;
    }
    let national = number.national().value().to_string();
    let format = meta.formats().iter().find(|f| {
        let leading = f
            .leading_digits()
            .last()
            .is_none_or(|l| l.find(&national).is_some_and(|m| m.start() == 0));
        leading
            && f.pattern()
                .find(&national)
                .is_some_and(|m| m.start() == 0 && m.end() == national.len())
    });
    match format {
        Some(f) => {
            f.is_national_prefix_optional()
                || !f
                    .national_prefix()
                    .is_some_and(|rule| rule.contains("$NP") || rule.contains(prefix))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, region: Option<&str>) -> Vec<(String, bool)> {
        let hints = Hints {
            region: region.map(str::to_string),
            handles: vec![],
            skip: vec![],
        };
        let mut c = Collector::default();
        find(text, &hints, &mut c);
        c.finish()
            .into_iter()
            .map(|f| (f.value, f.flags.deobfuscated))
            .collect()
    }

    #[test]
    fn digits_split_by_letters() {
        let want = vec![("+79161234567".to_string(), true)];
        assert_eq!(found("звони 8x916x123x45x67 сейчас", Some("RU")), want);
        assert_eq!(found("call 9o1o6o1o2o3o4o5o6o7!", Some("RU")), want);
        assert_eq!(found("WA +7z916z123z45z67", None), want);
        // Not where the word goes on, nor a resolution, nor hexadecimal.
        assert!(found("id12x34y56z78w90", Some("RU")).is_empty());
        assert!(found("screen 1920x1080 and 2560x1440", Some("RU")).is_empty());
        assert!(found("sha 3a4b5c6d7e8f9a0b1c2d", Some("RU")).is_empty());
        assert!(found("8x916x123x45x67y", Some("RU")).is_empty());
    }

    #[test]
    fn international_and_national_with_region() {
        assert_eq!(
            found("Call +7 916 123-45-67 today", None),
            vec![("+79161234567".to_string(), false)]
        );
        assert!(found("Call 8 916 123-45-67 today", None).is_empty());
        assert_eq!(
            found("Call 8 916 123-45-67 today", Some("RU")),
            vec![("+79161234567".to_string(), false)]
        );
        assert_eq!(
            found("UK office: +44 20 7946 0958.", None),
            vec![("+442079460958".to_string(), false)]
        );
    }

    #[test]
    fn obfuscations_are_undone_and_flagged() {
        assert_eq!(
            found(
                "звони: восемь девять один шесть один два три четыре пять шесть семь",
                Some("RU")
            ),
            vec![("+79161234567".to_string(), true)]
        );
        assert_eq!(
            found(
                "text me nine one six one two three four five six seven",
                Some("RU")
            ),
            vec![("+79161234567".to_string(), true)]
        );
        assert_eq!(
            found("+7 9.1.6.1.2.3.4.5.6.7", None),
            vec![("+79161234567".to_string(), true)]
        );
        assert_eq!(
            found("＋７ ９１６ １２３ ４５ ６７", None),
            vec![("+79161234567".to_string(), true)]
        );
    }

    #[test]
    fn amounts_dates_and_ids_are_not_numbers() {
        assert!(found("Artikel KS-4471-0093, 4471 0093", Some("DE")).is_empty());
        assert_eq!(
            found("Tel. 089 4471 0093", Some("DE")),
            vec![("+498944710093".to_string(), false)]
        );
        assert_eq!(
            found("手机：138 9036 7367", Some("CN")),
            vec![("+8613890367367".to_string(), false)]
        );
        assert_eq!(
            found("Oficina Madrid: +34 91 242 07 05", None),
            vec![("+34912420705".to_string(), false)]
        );
        assert_eq!(
            found("+49 160 4741525\n10115 Berlin", None),
            vec![("+491604741525".to_string(), false)]
        );
        for text in [
            "Price: 1 299 000 ₽",
            "€ 9161234567",
            "Order #89161234567",
            "ISBN 978-5-17-118366-5",
            "2024-03-15 12:30",
            "15.03.2024",
            "1920x1080",
            "4111 1111 1111 1111",
            "id89161234567",
            "ts 1700000000",
        ] {
            assert!(found(text, Some("RU")).is_empty(), "{text}");
        }
    }
}
