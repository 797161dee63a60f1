//! Digits as ads write them to get past filters: other scripts' digit forms, fullwidth and
//! circled digits, and digits spelled out in English or Russian.

/// The value of a digit in any of Unicode's decimal digit blocks (Arabic-Indic, Devanagari,
/// fullwidth, mathematical, …) or a circled digit; `None` for ASCII digits and the rest.
pub(crate) fn other_digit(c: char) -> Option<u8> {
    // The first code point ('0') of each decimal-digit run in the Basic Multilingual Plane
    // and the mathematical alphanumerics that ads use.
    const ZEROS: &[u32] = &[
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6,
    ];
    let cp = c as u32;
    if cp < ZEROS[0] {
        return None;
    }
    for &z in ZEROS {
        if (z..z + 10).contains(&cp) {
            return Some((cp - z) as u8);
        }
    }
    match cp {
        0x2460..=0x2468 => Some((cp - 0x2460 + 1) as u8), // ① … ⑨
        0x24EA => Some(0),                                // ⓪
        0x2776..=0x277E => Some((cp - 0x2776 + 1) as u8), // ❶ … ❾
        _ => None,
    }
}

/// The digit a spelled-out word stands for.
pub(crate) fn spelled(word: &str) -> Option<u8> {
    let w = word.to_lowercase();
    let d = match w.as_str() {
        "zero" | "oh" | "ноль" | "нуль" => 0,
        "one" | "один" | "одна" => 1,
        "two" | "два" | "две" => 2,
        "three" | "три" => 3,
        "four" | "четыре" => 4,
        "five" | "пять" => 5,
        "six" | "шесть" => 6,
        "seven" | "семь" => 7,
        "eight" | "восемь" => 8,
        "nine" | "девять" => 9,
        _ => return None,
    };
    Some(d)
}

/// The words [`spelled`] knows, for a regex alternation.
pub(crate) const SPELLED_WORDS: &str = "zero|oh|one|two|three|four|five|six|seven|eight|nine|ноль|нуль|один|одна|два|две|три|четыре|пять|шесть|семь|восемь|девять";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_forms() {
        assert_eq!(other_digit('٣'), Some(3));
        assert_eq!(other_digit('９'), Some(9));
        assert_eq!(other_digit('④'), Some(4));
        assert_eq!(other_digit('𝟕'), Some(7));
        assert_eq!(other_digit('7'), None);
        assert_eq!(other_digit('a'), None);
        assert_eq!(spelled("Seven"), Some(7));
        assert_eq!(spelled("восемь"), Some(8));
        assert_eq!(spelled("someone"), None);
    }
}
