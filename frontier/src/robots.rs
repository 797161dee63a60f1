//! robots.txt rules for one host.
//!
//! Why this module exists: a polite crawler must not fetch what a site's
//! robots.txt disallows for it, and should space its requests as the site's
//! `Crawl-delay` asks. The frontier keeps one [`RobotsRules`] per host and
//! asks it before every fetch.
//!
//! Allow/Disallow matching is delegated to the `robotstxt` crate, a port of
//! Google's reference parser and matcher (RFC 9309 semantics, longest match
//! wins, the many typos real files contain). That crate ignores
//! `Crawl-delay` (Google does not honour it), so that one directive is
//! collected here by hand, on top of the crate's own tokenizer so that both
//! see the same lines and the same groups.

use std::time::Duration;

use robotstxt::{parse_robotstxt, DefaultMatcher, RobotsParseHandler};

/// Largest crawl delay honoured. A site asking for more than a day between
/// requests is capped to one day rather than ignored: ignoring it would make
/// us crawl faster than the site asked, while a one-day gap already means
/// "practically do not crawl" and keeps `Duration` arithmetic sane.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(24 * 60 * 60);

/// Agent used for the constant rule sets; it never equals a real product
/// token, see [`product_token`].
const NO_SPECIFIC_AGENT: &str = "*";

/// The robots.txt of one host, ready to answer for one user agent.
#[derive(Clone, Debug)]
pub struct RobotsRules {
    body: String,
    /// Product token matched against `User-agent` lines, e.g. `nightjar`.
    agent: String,
    crawl_delay: Option<Duration>,
}

impl RobotsRules {
    /// Rules from a robots.txt `body`, as they apply to `user_agent`.
    ///
    /// `user_agent` may be the full `User-Agent` header value, e.g.
    /// `nightjar/0.1 (+https://example.org/bot)`. Only its product token,
    /// the leading run of `[A-Za-z_-]` (`nightjar`), is matched,
    /// case-insensitively, against `User-agent` lines, as RFC 9309 §2.2.1
    /// and Google's matcher do. If the string has no such token (it starts
    /// with another character), only the `*` group applies.
    pub fn parse(body: &str, user_agent: &str) -> Self {
        let agent = match product_token(user_agent) {
            "" => NO_SPECIFIC_AGENT,
            token => token,
        }
        .to_string();
        let crawl_delay = find_crawl_delay(body, &agent);
        RobotsRules {
            body: body.to_string(),
            agent,
            crawl_delay,
        }
    }

    /// Everything allowed, no delay: for a robots.txt that is missing
    /// (4xx), as RFC 9309 §2.3.1.3 prescribes.
    pub fn allow_all() -> Self {
        Self::parse("", NO_SPECIFIC_AGENT)
    }

    /// Everything disallowed: for a robots.txt that could not be fetched
    /// (5xx, network error), as RFC 9309 §2.3.1.4 prescribes.
    pub fn disallow_all() -> Self {
        Self::parse("User-agent: *\nDisallow: /\n", NO_SPECIFIC_AGENT)
    }

    /// Whether `url` may be fetched. The URL should be percent-encoded as
    /// `url::Url` leaves it; only its path and query are looked at.
    pub fn allowed(&self, url: &url::Url) -> bool {
        DefaultMatcher::default().one_agent_allowed_by_robots(&self.body, &self.agent, url.as_str())
    }

    /// The `Crawl-delay` that applies to us, if any, at most
    /// [`MAX_CRAWL_DELAY`].
    ///
    /// Groups are formed as in the `robotstxt` matcher: consecutive
    /// `User-agent` lines open one group, which lasts until the next
    /// `User-agent` line that follows some other directive. If any group
    /// names our product token, only such groups count (the first valid
    /// `Crawl-delay` among them, or none), exactly as such a group overrides
    /// `*` for Allow/Disallow; otherwise the first valid `Crawl-delay` of a
    /// `*` group is used. Values are seconds and may be fractional (`0.5`);
    /// negative, NaN, infinite or unparsable values are ignored.
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }
}

/// Leading `[A-Za-z_-]` run of a user-agent string: `nightjar/0.1 (...)`
/// gives `nightjar`. Same rule as the (private) extraction `robotstxt` applies
/// to `User-agent` lines, so both sides compare like with like.
fn product_token(user_agent: &str) -> &str {
    let ua = user_agent.trim();
    let end = ua
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
        .unwrap_or(ua.len());
    &ua[..end]
}

/// Parses a `Crawl-delay` value in seconds. Hand-written because no crate
/// handles this directive (see the module docs).
fn parse_delay(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    // Compare before converting: `from_secs_f64` panics on overflow.
    if secs >= MAX_CRAWL_DELAY.as_secs_f64() {
        return Some(MAX_CRAWL_DELAY);
    }
    Some(Duration::from_secs_f64(secs))
}

/// Collects `Crawl-delay` from the `robotstxt` tokenizer's callbacks, with
/// the same group bookkeeping as `robotstxt::matcher::RobotsMatcher`.
struct CrawlDelayCollector<'a> {
    agent: &'a str,
    /// Inside a group that names `*`.
    in_global: bool,
    /// Inside a group that names our product token.
    in_specific: bool,
    /// Some directive followed the current group's `User-agent` lines, so
    /// the next `User-agent` line opens a new group.
    seen_separator: bool,
    ever_seen_specific: bool,
    global_delay: Option<Duration>,
    specific_delay: Option<Duration>,
}

impl<'a> CrawlDelayCollector<'a> {
    fn new(agent: &'a str) -> Self {
        CrawlDelayCollector {
            agent,
            in_global: false,
            in_specific: false,
            seen_separator: false,
            ever_seen_specific: false,
            global_delay: None,
            specific_delay: None,
        }
    }

    fn result(&self) -> Option<Duration> {
        if self.ever_seen_specific {
            self.specific_delay
        } else {
            self.global_delay
        }
    }
}

impl RobotsParseHandler for CrawlDelayCollector<'_> {
    fn handle_robots_start(&mut self) {}

    fn handle_robots_end(&mut self) {}

    fn handle_user_agent(&mut self, _line_num: u32, user_agent: &str) {
        if self.seen_separator {
            self.in_global = false;
            self.in_specific = false;
            self.seen_separator = false;
        }
        // As in the matcher: `*`, or `*` followed by whitespace, is global.
        let rest = user_agent.strip_prefix('*');
        if rest.is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace)) {
            self.in_global = true;
        } else if product_token(user_agent).eq_ignore_ascii_case(self.agent) {
            self.in_specific = true;
            self.ever_seen_specific = true;
        }
    }

    fn handle_allow(&mut self, _line_num: u32, _value: &str) {
        if self.in_global || self.in_specific {
            self.seen_separator = true;
        }
    }

    fn handle_disallow(&mut self, _line_num: u32, _value: &str) {
        if self.in_global || self.in_specific {
            self.seen_separator = true;
        }
    }

    fn handle_sitemap(&mut self, _line_num: u32, _value: &str) {
        self.seen_separator = true;
    }

    fn handle_unknown_action(&mut self, _line_num: u32, action: &str, value: &str) {
        self.seen_separator = true;
        // Accept the common spellings `Crawl-delay`, `Crawl_delay`,
        // `Crawldelay`, in any case, in the spirit of the parser's typo
        // tolerance for the other keys.
        let key: String = action
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect();
        if !key.eq_ignore_ascii_case("crawldelay") {
            return;
        }
        let Some(delay) = parse_delay(value) else {
            return;
        };
        if self.in_specific {
            self.specific_delay.get_or_insert(delay);
        } else if self.in_global {
            self.global_delay.get_or_insert(delay);
        }
    }
}

fn find_crawl_delay(body: &str, agent: &str) -> Option<Duration> {
    let mut collector = CrawlDelayCollector::new(agent);
    parse_robotstxt(body, &mut collector);
    collector.result()
}

#[cfg(test)]
mod tests {
    use super::*;

    const UA: &str = "nightjar/0.1 (+https://example.org/nightjar)";

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    fn allowed(body: &str, u: &str) -> bool {
        RobotsRules::parse(body, UA).allowed(&url(u))
    }

    #[test]
    fn product_token_is_extracted() {
        assert_eq!(product_token(UA), "nightjar");
        assert_eq!(product_token("Nightjar"), "Nightjar");
        assert_eq!(product_token("night_jar-bot/2"), "night_jar-bot");
        assert_eq!(product_token("1bot"), "");
    }

    #[test]
    fn disallow_for_our_agent() {
        let body = "User-agent: nightjar\nDisallow: /private\n";
        assert!(!allowed(body, "http://example.com/private/x"));
        assert!(allowed(body, "http://example.com/public"));
        // Matching is case-insensitive and ignores the version in the file.
        let body = "User-agent: NightJar/2.0\nDisallow: /\n";
        assert!(!allowed(body, "http://example.com/"));
    }

    #[test]
    fn disallow_for_star() {
        let body = "User-agent: *\nDisallow: /tmp/\nAllow: /tmp/ok\n";
        assert!(!allowed(body, "http://example.com/tmp/x"));
        assert!(allowed(body, "http://example.com/tmp/ok"));
        assert!(allowed(body, "http://example.com/index.html"));
    }

    #[test]
    fn other_agents_rules_do_not_apply() {
        let body = "User-agent: otherbot\nDisallow: /\n";
        assert!(allowed(body, "http://example.com/"));
    }

    #[test]
    fn specific_group_overrides_star() {
        let body = "User-agent: *\nDisallow: /\nCrawl-delay: 10\n\n\
                    User-agent: nightjar\nDisallow: /secret\n";
        assert!(allowed(body, "http://example.com/page"));
        assert!(!allowed(body, "http://example.com/secret"));
        // A group of our own without Crawl-delay means no delay for us.
        assert_eq!(RobotsRules::parse(body, UA).crawl_delay(), None);
        // Other agents get the `*` rules.
        let other = RobotsRules::parse(body, "otherbot/1.0");
        assert!(!other.allowed(&url("http://example.com/page")));
        assert_eq!(other.crawl_delay(), Some(Duration::from_secs(10)));
    }

    #[test]
    fn consecutive_user_agent_lines_share_a_group() {
        let body = "User-agent: a\nUser-agent: nightjar\nUser-agent: b\n\
                    Crawl-delay: 3\nDisallow: /x\n\
                    User-agent: *\nCrawl-delay: 9\n";
        let rules = RobotsRules::parse(body, UA);
        assert_eq!(rules.crawl_delay(), Some(Duration::from_secs(3)));
        assert!(!rules.allowed(&url("http://example.com/x")));
    }

    #[test]
    fn crawl_delay_from_star_when_no_specific_group() {
        let body = "User-agent: *\r\nCrawl-delay: 5 # be nice\r\n\r\nUser-agent: other\r\nCrawl-delay: 60\r\n";
        assert_eq!(
            RobotsRules::parse(body, UA).crawl_delay(),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn crawl_delay_fractional_and_spellings() {
        let rules = RobotsRules::parse("User-agent: nightjar\ncrawl-delay: 0.5\n", UA);
        assert_eq!(rules.crawl_delay(), Some(Duration::from_millis(500)));
        let rules = RobotsRules::parse("user-agent: NIGHTJAR\nCRAWL_DELAY: 2.25\n", UA);
        assert_eq!(rules.crawl_delay(), Some(Duration::from_millis(2250)));
    }

    #[test]
    fn crawl_delay_missing_or_garbage() {
        assert_eq!(RobotsRules::parse("", UA).crawl_delay(), None);
        assert_eq!(
            RobotsRules::parse("User-agent: *\nDisallow: /a\n", UA).crawl_delay(),
            None
        );
        for garbage in ["abc", "-1", "NaN", "inf", "1s", "", "1,5"] {
            let body = format!("User-agent: *\nCrawl-delay: {garbage}\n");
            assert_eq!(
                RobotsRules::parse(&body, UA).crawl_delay(),
                None,
                "{garbage}"
            );
        }
        // A bad value does not hide a later good one in the same group.
        let body = "User-agent: *\nCrawl-delay: soon\nCrawl-delay: 7\n";
        assert_eq!(
            RobotsRules::parse(body, UA).crawl_delay(),
            Some(Duration::from_secs(7))
        );
        // Lines before any User-agent belong to no group.
        let body = "Crawl-delay: 4\nUser-agent: *\nDisallow:\n";
        assert_eq!(RobotsRules::parse(body, UA).crawl_delay(), None);
    }

    #[test]
    fn crawl_delay_capped_at_one_day() {
        for huge in ["86401", "1e9", "1e300"] {
            let body = format!("User-agent: *\nCrawl-delay: {huge}\n");
            assert_eq!(
                RobotsRules::parse(&body, UA).crawl_delay(),
                Some(MAX_CRAWL_DELAY),
                "{huge}"
            );
        }
    }

    #[test]
    fn constant_rule_sets() {
        let u = url("http://example.com/anything?x=1");
        assert!(RobotsRules::allow_all().allowed(&u));
        assert!(!RobotsRules::disallow_all().allowed(&u));
        assert!(!RobotsRules::disallow_all().allowed(&url("http://example.com/")));
        assert_eq!(RobotsRules::allow_all().crawl_delay(), None);
        assert_eq!(RobotsRules::disallow_all().crawl_delay(), None);
    }

    #[test]
    fn agent_without_product_token_gets_star_rules_only() {
        let body = "User-agent: *\nDisallow: /a\n\nUser-agent: 1\nDisallow: /\n";
        let rules = RobotsRules::parse(body, "1bot");
        assert!(rules.allowed(&url("http://example.com/b")));
        assert!(!rules.allowed(&url("http://example.com/a")));
    }
}
