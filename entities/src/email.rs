//! E-mail addresses, also written to fool harvesters (`name [at] domain [dot] com`).
//!
//! A domain counts only if it ends in a public suffix, checked against the public suffix
//! list compiled into the `psl` crate: `image@2x.png` is a file name, not an address. No
//! DNS lookup is ever made (an MX query from an investigator's machine tells the domain's
//! owner that someone is looking).

use std::sync::LazyLock;

use regex::Regex;

use crate::{Collector, Flags, Kind};

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b[a-z0-9][a-z0-9._%+\-]{0,63}@(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\b",
    )
    .expect("regex")
});
/// `[at]`, `(at)`, `{at}`, `<at>`, `[@]` and the Russian `(собака)`.
static OBFUSCATED_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\[\(\{<]\s*(?:at|@|собака)\s*[\]\)\}>]\s*").expect("regex")
});
/// `[dot]`, `(dot)`, `{.}`, `(точка)`.
static OBFUSCATED_DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\[\(\{<]\s*(?:dot|\.|точка)\s*[\]\)\}>]\s*").expect("regex")
});

/// Every address in `text`, lowercase.
pub(crate) fn find(text: &str, out: &mut Collector) {
    if text.contains('@') {
        scan(text, Flags::default(), out);
    }
    if OBFUSCATED_AT.is_match(text) {
        let plain = OBFUSCATED_AT.replace_all(text, "@");
        let plain = OBFUSCATED_DOT.replace_all(&plain, ".");
        let flags = Flags {
            unchecksummed: false,
            deobfuscated: true,
        };
        scan(&plain, flags, out);
    }
}

fn scan(text: &str, flags: Flags, out: &mut Collector) {
    for m in EMAIL.find_iter(text) {
        // Not the tail of a longer token (`a.b@c` inside `x/a.b@c` is fine; `foo@bar@baz` is
        // not an address).
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before == Some('@') || after == Some('@') {
            continue;
        }
        if let Some(addr) = valid(m.as_str()) {
            out.add(Kind::Email, addr, flags);
        }
    }
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
