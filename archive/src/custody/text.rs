//! Free text that goes into a signed document (a case, a reason, an operator's name).
//!
//! A signed document is read by people: a newline in a case number would let whoever asks
//! for an export add a line of their own ("exported by: …") under the node's signature, and
//! a bidirectional override can make a line read differently from its bytes. Such text is
//! refused where it enters, with the field named, rather than escaped on the way out: an
//! escaped value is still not what the requester meant.

/// Why a free-text value was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "the {field} must be one line of plain text: it contains {what} at character {at}; remove it"
)]
pub struct NotPlainText {
    /// Which field.
    pub field: String,
    /// The character, described.
    pub what: String,
    /// Its position (from 1).
    pub at: usize,
}

/// Checks that `value` holds no control characters (newlines and tabs included), no line or
/// paragraph separators and no bidirectional controls.
pub fn plain_text(field: &str, value: &str) -> Result<(), NotPlainText> {
    for (i, c) in value.chars().enumerate() {
        let what = match c {
            '\n' => Some("a line feed".to_string()),
            '\r' => Some("a carriage return".to_string()),
            '\t' => Some("a tab".to_string()),
            c if c.is_control() => Some(format!("the control character U+{:04X}", c as u32)),
            '\u{2028}' | '\u{2029}' | '\u{0085}' => {
                Some(format!("the line separator U+{:04X}", c as u32))
            }
            '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => {
                Some(format!("the bidirectional control U+{:04X}", c as u32))
            }
            _ => None,
        };
        if let Some(what) = what {
            return Err(NotPlainText {
                field: field.to_string(),
                what,
                at: i + 1,
            });
        }
    }
    Ok(())
}

/// Why a short free-text value was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TextRefused {
    /// A character that does not belong in one line of text.
    #[error(transparent)]
    NotPlain(#[from] NotPlainText),
    /// Longer than the field holds.
    #[error("the {field} is {chars} characters long; it may be at most {max}: shorten it")]
    TooLong {
        /// Which field.
        field: String,
        /// Its length, in characters.
        chars: usize,
        /// The most it may have.
        max: usize,
    },
}

/// [`plain_text`], and at most `max` characters: a label, a case number, a reason. Bounded
/// so that one request cannot fill the audit log, a status line or an export's manifest.
pub fn short_text(field: &str, value: &str, max: usize) -> Result<(), TextRefused> {
    plain_text(field, value)?;
    let chars = value.chars().count();
    if chars > max {
        return Err(TextRefused::TooLong {
            field: field.to_string(),
            chars,
            max,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_of_text_in_any_script_passes_and_line_breaks_do_not() {
        for ok in [
            "CASE-2026/114",
            "Дело № 5",
            "事件 7 — 審査",
            "Ünïcødé reason, with commas",
        ] {
            assert_eq!(plain_text("case", ok), Ok(()));
        }
        for (bad, what) in [
            ("A\nexported by: chief prosecutor", "a line feed"),
            ("A\r\nB", "a carriage return"),
            ("A\tB", "a tab"),
            ("A\u{7}", "U+0007"),
            ("A\u{1b}[2J", "U+001B"),
            ("A\u{2028}B", "U+2028"),
            ("A\u{85}B", "U+0085"),
            ("A\u{202E}B", "U+202E"),
            ("A\u{2067}B", "U+2067"),
        ] {
            let e = plain_text("reason", bad).expect_err(bad);
            assert!(e.what.contains(what), "{bad:?}: {e}");
            assert_eq!(
                e.at,
                bad.chars().position(|c| !c.is_alphabetic()).unwrap() + 1
            );
            assert!(
                e.to_string().starts_with("the reason must be one line"),
                "{e}"
            );
        }
    }

    #[test]
    fn short_text_is_bounded_in_characters_not_bytes() {
        assert_eq!(short_text("label", "Дело № 5", 8), Ok(()));
        let e = short_text("label", "Дело № 55", 8).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the label is 9 characters long; it may be at most 8: shorten it"
        );
        assert!(matches!(
            short_text("label", "a\nb", 8),
            Err(TextRefused::NotPlain(_))
        ));
    }
}
