//! Links that act on a site rather than show a page: log out, delete, report, vote, buy.
//!
//! A crawler follows every link it may; on a forum or a market some links *do* something
//! when fetched with GET, however wrongly: `/logout` ends the session the crawl depends on,
//! `?action=delete` removes a post, `/vote/up/17` votes, `/cart/add?item=3` puts goods in a
//! basket. Following them would log the crawler out, alter the site it documents, and leave
//! traces an investigator must not leave. So such links are not followed by default, judged
//! by their URL (path segments, query names and values) and by what a reader sees of them
//! (the anchor's text, title or image alt). A seed can add its own patterns, exempt URLs, or
//! turn the built-in ones off.
//!
//! Kept apart from [`crate::scope`] (what a seed may reach): scope is about where a URL
//! points, this is about what fetching it would do, and it needs the link's words.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use url::Url;

/// A seed's settings for action links (all empty: the built-in rules alone).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionLinks {
    /// Follow links that look like actions anyway (the built-in rules off; the seed's own
    /// `never_follow` patterns still apply).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow_actions: bool,
    /// More regexes of URLs never followed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub never_follow: Vec<String>,
    /// More regexes of link texts never followed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub never_follow_text: Vec<String>,
    /// Regexes of URLs followed even when they look like actions (`/reports/annual`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub always_follow: Vec<String>,
}

/// The compiled rules of one seed.
#[derive(Clone, Debug, Default)]
pub struct ActionPolicy {
    builtin: bool,
    urls: Vec<Regex>,
    texts: Vec<Regex>,
    allow: Vec<Regex>,
}

/// URL tokens (path segments and query names and values, split at `-`, `_`, `.`, `+`) that
/// name an action, and pairs of adjacent tokens that do.
const URL_WORDS: &[&str] = &[
    "logout",
    "logoff",
    "signout",
    "delete",
    "remove",
    "destroy",
    "trash",
    "erase",
    "report",
    "flag",
    "abuse",
    "vote",
    "upvote",
    "downvote",
    "like",
    "unlike",
    "dislike",
    "buy",
    "purchase",
    "checkout",
    "addtocart",
    "subscribe",
    "unsubscribe",
    "block",
    "ban",
    "kick",
];
const URL_PAIRS: &[(&str, &str)] = &[
    ("log", "out"),
    ("log", "off"),
    ("sign", "out"),
    ("cart", "add"),
    ("add", "cart"),
];

/// Words and phrases that, in a link's short text, name an action (several languages:
/// the sites watched are not all in English). Matched as whole words, case-insensitively.
static TEXT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(log ?out|log ?off|sign ?out|delete|remove|report|flag|vote|upvote|downvote|like|dislike|buy|buy now|purchase|checkout|add to (cart|basket)|order now|pay now|unsubscribe|subscribe|block|ban|выйти|выход|удалить|пожаловаться|жалоба|купить|голосовать|abmelden|ausloggen|löschen|melden|kaufen|déconnexion|se déconnecter|supprimer|signaler|acheter|cerrar sesión|salir|eliminar|borrar|denunciar|comprar|esci|elimina|segnala|acquista|wyloguj|usuń|zgłoś|kup|çıkış|sil|şikayet|satın al)\b",
    )
    .expect("valid regex")
});

/// The same for scripts without spaces between words (matched anywhere in the text).
const TEXT_CJK: &[&str] = &[
    "退出",
    "注销",
    "登出",
    "删除",
    "刪除",
    "举报",
    "舉報",
    "购买",
    "購買",
    "ログアウト",
    "削除",
    "通報",
    "購入",
    "로그아웃",
    "삭제",
    "신고",
    "구매",
];

/// Texts longer than this many words are titles and sentences, not action buttons.
const MAX_ACTION_WORDS: usize = 5;

impl ActionPolicy {
    /// Compiles a seed's settings; a pattern that is not a regex is an error naming it.
    pub fn of(links: &ActionLinks) -> Result<ActionPolicy, String> {
        let compile = |key: &str, patterns: &[String]| {
            patterns
                .iter()
                .map(|p| Regex::new(p).map_err(|e| format!("{key}: '{p}' is not a regex: {e}")))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(ActionPolicy {
            builtin: !links.follow_actions,
            urls: compile("never_follow", &links.never_follow)?,
            texts: compile("never_follow_text", &links.never_follow_text)?,
            allow: compile("always_follow", &links.always_follow)?,
        })
    }

    /// Why the link to `url` whose reader-visible text is `text` is not followed, or `None`
    /// when it may be.
    pub fn judge(&self, url: &Url, text: &str) -> Option<String> {
        if self.allow.iter().any(|r| r.is_match(url.as_str())) {
            return None;
        }
        if let Some(r) = self.urls.iter().find(|r| r.is_match(url.as_str())) {
            return Some(format!("its URL matches never_follow '{}'", r.as_str()));
        }
        if let Some(r) = self.texts.iter().find(|r| r.is_match(text)) {
            return Some(format!(
                "its text \"{text}\" matches never_follow_text '{}'",
                r.as_str()
            ));
        }
        if !self.builtin {
            return None;
        }
        if let Some(word) = url_action(url) {
            return Some(format!("its URL names an action ({word})"));
        }
        text_action(text).map(|word| format!("its text \"{text}\" names an action ({word})"))
    }
}

/// The action word a URL's path or query holds, if any.
fn url_action(url: &Url) -> Option<String> {
    // The path's words in order (so that `/cart/add` reads "cart add"), then each query
    // name and value on its own.
    let path: Vec<String> = url
        .path_segments()
        .map(|s| s.map(|x| x.to_string()).collect::<Vec<_>>().join("/"))
        .into_iter()
        .collect();
    let query = url
        .query_pairs()
        .flat_map(|(k, v)| [k.into_owned(), v.into_owned()]);
    for part in path.into_iter().chain(query) {
        let part = part.to_ascii_lowercase();
        // A file name's extension is a word of its own (`logout.php` holds `logout`).
        let tokens: Vec<&str> = part
            .split(['-', '_', '.', '+', ' ', '/'])
            .filter(|t| !t.is_empty())
            .collect();
        if let Some(t) = tokens.iter().find(|t| URL_WORDS.contains(t)) {
            return Some((*t).to_string());
        }
        for w in tokens.windows(2) {
            if URL_PAIRS.contains(&(w[0], w[1])) {
                return Some(format!("{} {}", w[0], w[1]));
            }
        }
        if tokens.windows(3).any(|w| w == ["add", "to", "cart"]) {
            return Some("add to cart".into());
        }
    }
    None
}

/// The action word a link's short text holds, if any.
fn text_action(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    // A link may carry several texts (" | "): each is judged on its own.
    for t in text.split(" | ") {
        if let Some(w) = TEXT_CJK.iter().find(|w| t.contains(*w)) {
            return Some((*w).to_string());
        }
        if t.split_whitespace().count() > MAX_ACTION_WORDS {
            continue;
        }
        if let Some(m) = TEXT_WORDS.find(t) {
            return Some(m.as_str().to_lowercase());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(p: &ActionPolicy, url: &str, text: &str) -> Option<String> {
        p.judge(&Url::parse(url).unwrap(), text)
    }

    #[test]
    fn actions_are_known_by_url_and_by_text_and_pages_are_not() {
        let p = ActionPolicy::of(&ActionLinks::default()).unwrap();
        for (url, text) in [
            ("http://f.test/logout", ""),
            ("http://f.test/ucp.php?mode=logout&sid=1", "x"),
            ("http://f.test/log-out", ""),
            ("http://f.test/account/sign_out", ""),
            ("http://f.test/logout.php", ""),
            ("http://f.test/post/17?action=delete", ""),
            ("http://f.test/vote/up/17", ""),
            ("http://f.test/cart/add?item=3", ""),
            ("http://f.test/add-to-cart/3", ""),
            ("http://f.test/p/9", "Log out"),
            ("http://f.test/p/9", "Report post"),
            ("http://f.test/p/9", "Удалить"),
            ("http://f.test/p/9", "Abmelden"),
            ("http://f.test/p/9", "退出登录"),
            ("http://f.test/p/9", "Thread title | Delete"),
        ] {
            assert!(judge(&p, url, text).is_some(), "{url} {text:?} followed");
        }
        for (url, text) in [
            (
                "http://f.test/thread/17",
                "Selling: how to report a scam in five easy steps here",
            ),
            ("http://f.test/forum?order=desc&page=2", "Next"),
            ("http://f.test/members/logan", "logan"),
            ("http://f.test/catalogue", "Catalogue"),
            ("http://f.test/t/deleted-users-list-archive", "Archive"),
            (
                "http://f.test/thread/17",
                "Vendors I would buy from again: a review of the last year",
            ),
        ] {
            assert_eq!(judge(&p, url, text), None, "{url} {text:?} not followed");
        }
    }

    #[test]
    fn a_seed_adds_exempts_or_turns_the_built_in_rules_off() {
        let p = ActionPolicy::of(&ActionLinks {
            never_follow: vec!["/ban/".into()],
            never_follow_text: vec!["(?i)^mark all read$".into()],
            always_follow: vec!["/reports/annual".into()],
            ..ActionLinks::default()
        })
        .unwrap();
        assert!(judge(&p, "http://f.test/ban/7", "").is_some());
        assert!(judge(&p, "http://f.test/x", "Mark all read").is_some());
        assert_eq!(judge(&p, "http://f.test/reports/annual", "Report"), None);
        let off = ActionPolicy::of(&ActionLinks {
            follow_actions: true,
            never_follow: vec!["/ban/".into()],
            ..ActionLinks::default()
        })
        .unwrap();
        assert_eq!(judge(&off, "http://f.test/logout", "Log out"), None);
        assert!(judge(&off, "http://f.test/ban/7", "").is_some());
        let bad = ActionPolicy::of(&ActionLinks {
            never_follow: vec!["(".into()],
            ..ActionLinks::default()
        });
        assert!(bad.unwrap_err().contains("never_follow: '('"));
    }
}
