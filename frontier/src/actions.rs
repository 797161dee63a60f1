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

/// Words and phrases that, in a link's short text, name an action that must never be taken
/// by following a link: logging out and deleting (several languages: the sites watched are
/// not all in English). Matched as whole words, case-insensitively. Buying, reporting or
/// voting words are left to the URL rules: as link texts they also name sections ("Buy &
/// Sell", "Scam reports") that are the content an investigation wants.
static TEXT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(log ?out|log ?off|sign ?out|delete|remove|выйти|выход|удалить|abmelden|ausloggen|löschen|déconnexion|se déconnecter|supprimer|cerrar sesión|eliminar|borrar|esci|elimina|wyloguj|usuń|çıkış yap|sil)\b",
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
    "ログアウト",
    "削除",
    "로그아웃",
    "삭제",
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

/// Query names whose value says what a request does (`?action=delete`, `?mode=logout`).
const ACTION_KEYS: &[&str] = &[
    "action", "act", "mode", "do", "op", "cmd", "command", "task", "func", "method", "a", "m",
];

/// File name endings that are not words of a command (`logout.php` is `logout`).
const EXTENSIONS: &[&str] = &[
    "php", "html", "htm", "asp", "aspx", "jsp", "cgi", "pl", "do",
];

/// The action word a URL's path or query holds, if any: a path segment that is a one-word
/// command (`/logout`, `/delete/5`, `logout.php`, `/logout;jsessionid=…`) or a two- or
/// three-word one (`/log-out`, `/cart/add`, `/add-to-cart`), a query name that is one
/// (`?logout=1`), or any word of the value of a query name that says what the request does
/// (`?mode=logout`, `?action=logout;sesc=…`). A slug of words (`/where-to-buy-x`,
/// `/buy-sell`, `/scam-report`) names a page, not a command.
fn url_action(url: &Url) -> Option<String> {
    let split = |s: &str| -> Vec<String> {
        let mut t: Vec<String> = s
            .to_ascii_lowercase()
            .split(['-', '_', '.', '+', ' ', ';', '='])
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        if t.len() > 1 && t.last().is_some_and(|e| EXTENSIONS.contains(&e.as_str())) {
            t.pop();
        }
        t
    };
    // Single words that may be commands, and runs of words that may be command phrases.
    let mut words: Vec<String> = Vec::new();
    let mut phrases: Vec<Vec<String>> = Vec::new();
    let segments: Vec<Vec<String>> = url
        .path_segments()
        .map(|s| {
            s.map(|x| split(x.split(';').next().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    for t in &segments {
        match t.len() {
            1 => words.push(t[0].clone()),
            2 | 3 => phrases.push(t.clone()),
            _ => {}
        }
    }
    for w in segments.windows(2) {
        if w[0].len() == 1 && w[1].len() == 1 {
            phrases.push(vec![w[0][0].clone(), w[1][0].clone()]);
        }
    }
    for (k, v) in url.query_pairs() {
        let key = split(&k);
        if key.len() == 1 {
            words.push(key[0].clone());
        }
        if ACTION_KEYS.contains(&k.to_ascii_lowercase().as_str()) {
            words.extend(split(&v));
        }
    }
    if let Some(w) = words.iter().find(|w| URL_WORDS.contains(&w.as_str())) {
        return Some(w.clone());
    }
    for p in &phrases {
        for w in p.windows(2) {
            if URL_PAIRS.contains(&(w[0].as_str(), w[1].as_str())) {
                return Some(format!("{} {}", w[0], w[1]));
            }
        }
        if p.as_slice() == ["add", "to", "cart"] {
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
            ("http://f.test/index.php?action=logout;sesc=9f", ""),
            ("http://f.test/logout;jsessionid=AB12", ""),
            ("http://f.test/p/9", "Delete post"),
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
            (
                "http://f.test/threads/where-to-buy-fake-ids.123/",
                "Where to buy fake IDs",
            ),
            ("http://f.test/forum/buy-sell", "Buy & Sell"),
            ("http://f.test/t/scam-report/55", "Scam reports"),
            ("http://f.test/search?q=buy+x", "Search"),
            ("http://f.test/listing?type=buy", "Like new"),
            ("http://explorer.test/block/00000000000000000002", "Block 2"),
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
