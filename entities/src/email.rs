//! E-mail addresses, also written to fool harvesters (`name [at] domain [dot] com`).
//!
//! A domain counts only if it ends in a public suffix, checked against the public suffix
//! list compiled into the `psl` crate: `image@2x.png` is a file name, not an address. No
//! DNS lookup is ever made (an MX query from an investigator's machine tells the domain's
//! owner that someone is looking).

use std::sync::LazyLock;

use regex::Regex;

use crate::{Collector, Flags, Kind};

pub(crate) static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b[a-z0-9][a-z0-9._%+\-]{0,63}@(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\b",
    )
    .expect("regex")
});
/// `[at]` and its siblings where they begin, to decide cheaply whether [`OBFUSCATED_AT`] has
/// anything to replace.
static OBFUSCATED_AT_HERE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^[\[\(\{<]\s*(?:at|@|собака)\s*[\]\)\}>]").expect("regex"));
/// `[at]`, `(at)`, `{at}`, `<at>`, `[@]` and the Russian `(собака)`.
pub(crate) static OBFUSCATED_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\[\(\{<]\s*(?:at|@|собака)\s*[\]\)\}>]\s*").expect("regex")
});
/// `[dot]`, `(dot)`, `{.}`, `(точка)`.
static OBFUSCATED_DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\[\(\{<]\s*(?:dot|\.|точка)\s*[\]\)\}>]\s*").expect("regex")
});

/// Every address in `text`, lowercase.
pub(crate) fn find(text: &str, out: &mut Collector) {
    scan(text, Flags::default(), out);
    if obfuscated(text) {
        let plain = OBFUSCATED_AT.replace_all(text, "@");
        let plain = OBFUSCATED_DOT.replace_all(&plain, ".");
        let flags = Flags {
            unchecksummed: false,
            deobfuscated: true,
            verified_signature: false,
        };
        scan(&plain, flags, out);
    }
}

/// Whether an obfuscated `@` is anywhere: tried only where an opening bracket is, instead of
/// running the unanchored regex over the whole text.
pub(crate) fn obfuscated(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr3_iter(b'[', b'(', b'{', b)
        .chain(memchr::memchr_iter(b'<', b))
        .any(|i| OBFUSCATED_AT_HERE.is_match(&text[i..]))
}

fn scan(text: &str, flags: Flags, out: &mut Collector) {
    for (at, m) in candidates(text) {
        // Not the tail of a longer token (`a.b@c` inside `x/a.b@c` is fine; `foo@bar@baz` is
        // not an address).
        let before = text[..at].chars().next_back();
        let after = text[at + m.len()..].chars().next();
        if before == Some('@') || after == Some('@') {
            continue;
        }
        if let Some(addr) = valid(m) {
            out.add(Kind::Email, addr, flags);
        }
    }
}

/// What [`EMAIL`] matches in `text`, with the byte offsets of the matches. An address has
/// no whitespace in it: only the tokens holding an '@' are read.
pub(crate) fn candidates(text: &str) -> Vec<(usize, &str)> {
    crate::scan::tokens_with(text, b'@')
        .into_iter()
        .flat_map(|t| {
            let at = t.start;
            EMAIL
                .find_iter(&text[t])
                .map(move |m| (at + m.start(), m.as_str()))
        })
        .collect()
}

fn valid(addr: &str) -> Option<String> {
    let addr = addr.to_ascii_lowercase();
    let (local, domain) = addr.rsplit_once('@')?;
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return None;
    }
    let suffix = psl::suffix(domain.as_bytes())?;
    if !suffix.is_known() {
        return None;
    }
    // A registrable name under the suffix: `user@co.uk` is not an address.
    psl::domain(domain.as_bytes())?;
    Some(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, bool)> {
        let mut c = Collector::default();
        find(text, &mut c);
        c.finish()
            .into_iter()
            .map(|f| (f.value, f.flags.deobfuscated))
            .collect()
    }

    #[test]
    fn plain_and_obfuscated() {
        assert_eq!(
            found("Write to Anna.K@Example.CO.UK or bob [at] mail [dot] ru, eve(at)gmx.de"),
            vec![
                ("anna.k@example.co.uk".to_string(), false),
                ("bob@mail.ru".to_string(), true),
                ("eve@gmx.de".to_string(), true),
            ]
        );
    }

    #[test]
    fn file_names_and_unknown_suffixes_are_not_addresses() {
        assert!(found("logo@2x.png user@host.invalidtld a@co.uk x@localhost").is_empty());
    }
}
