//! Watches: what an analyst wants to be told about when it shows up in a new capture, an
//! entity, a phrase or a pattern, optionally only on one seed or host.
//!
//! A watch is checked against every capture with text as it is indexed, in the same
//! transaction, and a match raises one alert ([`crate::store::watches::raise`]). One per
//! watch and capture, and one per watch, page and content: a page recrawled unchanged does
//! not alert again, a page whose text changed and still matches does, and a page that
//! already matched before the watch existed alerts on its next capture. Delivery is
//! [`crate::alerts`]'s.

use std::sync::LazyLock;

use entities::{Found, Kind};
use regex::Regex;
use serde::Serialize;

use crate::store::watches::WatchRow;

/// What a watch looks for. Stored as [`Rule::name`] and [`Rule::pattern`].
#[derive(Clone, Debug)]
pub enum Rule {
    /// An entity, by kind and canonical value.
    Entity(Kind, String),
    /// A phrase in the visible text, case and spacing aside.
    Text(String),
    /// A regular expression over the visible text.
    Regex(Regex),
    /// Raised by nightjar's own mirror checks (a mirror list signed by another key, a late
    /// canary), never by a page's text: the watch [`MIRROR_WATCH`].
    Mirrors,
}

/// The watch the mirror checks raise their alerts under (made the first time one is
/// raised; removed by an analyst, it comes back with the next).
pub const MIRROR_WATCH: &str = "mirror-checks";

impl Rule {
    /// Reads an analyst's rule: `--entity VALUE` (canonicalized; `kind:value` for a handle
    /// or a value as stored), `--text PHRASE` or `--regex R`.
    pub fn entity(value: &str) -> Result<Rule, String> {
        if let Some(f) = entities::canonical(value) {
            return Ok(Rule::Entity(f.kind, f.value));
        }
        if let Some((kind, v)) = value.split_once(':') {
            if let Ok(kind) = kind.parse::<Kind>() {
                if !v.trim().is_empty() {
                    return Ok(Rule::Entity(kind, v.trim().to_string()));
                }
            }
        }
        Err(format!(
            "'{value}' is not a valid entity (a checksum fails or the form is unknown); for a \
             handle or a value as stored, write KIND:VALUE, e.g. handle:vendor42"
        ))
    }

    /// A phrase rule.
    pub fn text(phrase: &str) -> Result<Rule, String> {
        let p = fold(phrase);
        if p.is_empty() {
            return Err("the phrase is empty".into());
        }
        Ok(Rule::Text(p))
    }

    /// A regex rule.
    pub fn regex(r: &str) -> Result<Rule, String> {
        Regex::new(r)
            .map(Rule::Regex)
            .map_err(|e| format!("'{r}' is not a valid regex: {e}"))
    }

    /// Reads a stored rule.
    pub fn stored(name: &str, pattern: &str) -> Result<Rule, String> {
        match name {
            "entity" => {
                let (kind, value) = pattern
                    .split_once(':')
                    .ok_or_else(|| format!("bad stored entity rule '{pattern}'"))?;
                let kind = kind.parse::<Kind>().map_err(|e| e.to_string())?;
                Ok(Rule::Entity(kind, value.to_string()))
            }
            "text" => Rule::text(pattern),
            "regex" => Rule::regex(pattern),
            "mirrors" => Ok(Rule::Mirrors),
            other => Err(format!("unknown watch rule '{other}'")),
        }
    }

    /// The stored name of the rule's kind.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Entity(..) => "entity",
            Rule::Text(_) => "text",
            Rule::Regex(_) => "regex",
            Rule::Mirrors => "mirrors",
        }
    }

    /// The stored pattern.
    pub fn pattern(&self) -> String {
        match self {
            Rule::Entity(k, v) => format!("{k}:{v}"),
            Rule::Text(p) => p.clone(),
            Rule::Regex(r) => r.as_str().to_string(),
            Rule::Mirrors => String::new(),
        }
    }
}

/// Lowercase with runs of whitespace as one space: how phrases are compared.
fn fold(s: &str) -> String {
    static SPACES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+").expect("regex"));
    SPACES.replace_all(s.trim(), " ").to_lowercase()
}

/// A live watch, ready to match.
#[derive(Clone, Debug)]
pub struct Watch {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What it looks for.
    pub rule: Rule,
    /// Only this seed.
    pub seed: Option<String>,
    /// Only this host (`host` or `host:port`).
    pub host: Option<String>,
}

impl Watch {
    /// A stored watch; `None` (with a warning) if its rule no longer reads.
    pub fn from_row(row: &WatchRow) -> Option<Watch> {
        match Rule::stored(&row.rule, &row.pattern) {
            Ok(rule) => Some(Watch {
                id: row.id,
                name: row.name.clone(),
                rule,
                seed: row.seed.clone(),
                host: row.host.clone(),
            }),
            Err(e) => {
                tracing::warn!(watch = %row.name, "watch skipped: {e}");
                None
            }
        }
    }

    /// What in the page matches, if anything does.
    pub fn matches(&self, page: &Observed<'_>) -> Option<Vec<String>> {
        if self.seed.as_deref().is_some_and(|s| Some(s) != page.seed) {
            return None;
        }
        if self
            .host
            .as_deref()
            .is_some_and(|h| !h.eq_ignore_ascii_case(page.host))
        {
            return None;
        }
        let matched: Vec<String> = match &self.rule {
            Rule::Entity(kind, value) => page
                .entities
                .iter()
                .filter(|f| f.kind == *kind && f.value == *value)
                .map(|f| format!("{}:{}", f.kind, f.value))
                .collect(),
            Rule::Text(phrase) => {
                if fold(page.text).contains(phrase.as_str()) {
                    vec![phrase.clone()]
                } else {
                    vec![]
                }
            }
            Rule::Regex(r) => r
                .find_iter(page.text)
                .take(5)
                .map(|m| m.as_str().chars().take(200).collect())
                .collect(),
            Rule::Mirrors => return None,
        };
        (!matched.is_empty()).then_some(matched)
    }
}

/// A capture as the watches see it.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    /// Its seed.
    pub seed: Option<&'a str>,
    /// Its host (`host` or `host:port`).
    pub host: &'a str,
    /// Its visible text.
    pub text: &'a str,
    /// Its entities.
    pub entities: &'a [Found],
}

/// The JSON document a sink receives for one alert.
#[derive(Clone, Debug, Serialize)]
pub struct AlertDocument<'a> {
    /// Always `nightjar.alert`.
    pub r#type: &'static str,
    /// The alert's ID.
    pub alert_id: i64,
    /// The watch's name.
    pub watch: &'a str,
    /// The capture that matched (`nightjar show ID`).
    pub capture_id: i64,
    /// Its URL.
    pub url: &'a str,
    /// Its host.
    pub host: &'a str,
    /// Its seed.
    pub seed: Option<&'a str>,
    /// When it was captured.
    pub captured_at: &'a str,
    /// When the alert was raised.
    pub raised_at: &'a str,
    /// What matched.
    pub matched: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<'a>(text: &'a str, entities: &'a [Found]) -> Observed<'a> {
        Observed {
            seed: Some("board"),
            host: "board.test",
            text,
            entities,
        }
    }

    fn watch(rule: Rule) -> Watch {
        Watch {
            id: 1,
            name: "w".into(),
            rule,
            seed: None,
            host: None,
        }
    }

    #[test]
    fn rules_match_what_they_name_and_nothing_else() {
        let found = entities::find(
            &entities::Page {
                text: "pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                ..Default::default()
            },
            &Default::default(),
        );
        let text = "New   LISTING today\npay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        let w = watch(Rule::entity("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").unwrap());
        assert_eq!(
            w.matches(&page(text, &found)),
            Some(vec!["btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".to_string()])
        );
        assert_eq!(w.matches(&page(text, &[])), None);
        let w = watch(Rule::text("new listing").unwrap());
        assert!(w.matches(&page(text, &found)).is_some());
        assert!(w.matches(&page("old listing", &found)).is_none());
        let w = watch(Rule::regex(r"(?i)listing\s+\w+").unwrap());
        assert_eq!(
            w.matches(&page(text, &found)),
            Some(vec!["LISTING today".to_string()])
        );
        let mut w = watch(Rule::text("listing").unwrap());
        w.seed = Some("other".into());
        assert!(w.matches(&page(text, &found)).is_none());
        w.seed = None;
        w.host = Some("BOARD.test".into());
        assert!(w.matches(&page(text, &found)).is_some());
    }

    #[test]
    fn bad_rules_say_why() {
        assert!(Rule::entity("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")
            .unwrap_err()
            .contains("not a valid entity"));
        assert!(Rule::regex("(").unwrap_err().contains("not a valid regex"));
        assert!(Rule::text("  ").is_err());
        let r = Rule::entity("handle:vendor42").unwrap();
        assert_eq!(r.pattern(), "handle:vendor42");
        let r = Rule::entity("+7 916 123 45 67").unwrap();
        assert_eq!(r.pattern(), "phone:+79161234567");
        assert_eq!(
            Rule::stored(r.name(), &r.pattern()).unwrap().pattern(),
            r.pattern()
        );
    }
}
