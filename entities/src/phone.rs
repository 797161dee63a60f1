//! Phone numbers, normalized to E.164 by libphonenumber's metadata (the `phonenumber` crate).
//!
//! Escort and classified ads write numbers to get past filters: spelled out ("nine one
//! six…"), split by dots or spaces one digit at a time, in fullwidth or other scripts'
//! digits. Those are undone first and the number flagged `deobfuscated`. What decides is
//! the metadata: a run of digits is a phone number only if libphonenumber calls it valid,
//! written with `+` or `00`, or nationally where the seed names the region. Before that,
//! what is obviously something else is set aside: a run next to a currency sign or a unit,
//! after `#`, `№`, "order" or "ISBN", a date, more than 15 digits.

use std::sync::LazyLock;

use phonenumber::country::Id;
use phonenumber::Mode;
use regex::Regex;

use crate::digits::{other_digit, spelled, SPELLED_WORDS};
use crate::{Collector, Flags, Hints, Kind};

/// A run of at least seven digits, with the separators numbers are written with between
/// them (spelled-out digits and other digit forms are made ASCII digits first).
static RUN: LazyLock<Regex> = LazyLock::new(|| {
    // Separators never include a line break: the visible text puts each block on its own
    // line, and digits on two lines (a phone in one table cell, a postcode in the next)
    // are two things.
    Regex::new(r"(?:\+[ \t\u{A0}]?)?(?:[0-9][ \t\u{A0}\-\.\(\)/]{0,3}){6,24}[0-9]").expect("regex")
});
/// A spelled-out digit, and the comma or "plus" that may go with it.
static SPELLED: LazyLock<Regex> = LazyLock::new(|| {
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
    let Some((normalized, undone)) = normalize(text) else {
        return;
    };
    let region = hints.region.as_deref().and_then(|r| region(r).ok());
    for m in RUN.find_iter(&normalized) {
        let run = m.as_str().trim_end_matches([' ', '-', '.', '(', '/']);
        if !plausible(&normalized, m.start(), m.start() + run.len(), run) {
            continue;
        }
        let span = m.start()..m.start() + run.len();
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
                },
            );
        }
    }
}

/// The text with every digit as an ASCII digit: spelled-out digits ("nine, one six"), other
/// scripts' and fullwidth digits, fullwidth plus and dashes. Also the byte offsets (in the
/// new text) of what had to be undone. `None` if there are no digits at all.
fn normalize(text: &str) -> Option<(String, Vec<usize>)> {
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    let has_word = SPELLED.is_match(text);
    if !has_digit && !has_word && !text.chars().any(|c| other_digit(c).is_some()) {
        return None;
    }
    let mut undone = Vec::new();
    let mut out = String::with_capacity(text.len());
    let push_chars = |s: &str, out: &mut String, undone: &mut Vec<usize>| {
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
        for w in SPELLED.find_iter(text) {
            push_chars(&text[last..w.start()], &mut out, &mut undone);
            last = w.end();
            let word = w.as_str().trim_end_matches(',');
            if word.eq_ignore_ascii_case("plus") || word.to_lowercase() == "плюс" {
                undone.push(out.len());
                out.push('+');
            } else if let Some(d) = spelled(word) {
                undone.push(out.len());
                out.push(char::from(b'0' + d));
            } else {
                push_chars(w.as_str(), &mut out, &mut undone);
            }
        }
    }
    push_chars(&text[last..], &mut out, &mut undone);
    Some((out, undone))
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
        };
        let mut c = Collector::default();
        find(text, &hints, &mut c);
        c.finish()
            .into_iter()
            .map(|f| (f.value, f.flags.deobfuscated))
            .collect()
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
