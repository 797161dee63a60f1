//! Outgoing links of an HTML page.
//!
//! Why this exists: the crawler's frontier grows from the links of the pages
//! it archives, and what counts as "a link" must match what a browser would
//! follow or fetch, or the archive misses resources (images, scripts, frames)
//! or invents URLs. This module turns the raw (already `Content-Encoding`
//! decoded, see [`crate::decode`]) bytes of a page into absolute, fragment-free
//! `http`/`https` URLs, tagged with the element kind they came from.
//!
//! Choices made here, following browsers (the WHATWG HTML and URL specs):
//! - The character encoding is sniffed in the HTML spec's order (BOM, then the
//!   `Content-Type` charset, then a `<meta>` prescan, then a guess) and the
//!   page decoded with `encoding_rs`, replacing undecodable bytes.
//! - Parsing is html5ever's (through `scraper`): the same tree-building
//!   algorithm browsers use, so malformed markup yields the same tree, and it
//!   never panics on bad input.
//! - The first `<base href>` sets the base URL of every other reference.
//! - As in browsers, the *query* of a resolved URL is percent-encoded in the
//!   page's encoding (a Shift_JIS page linking to `?q=東京` yields
//!   `?q=%93%8C%8B%9E`), while the path and host are always UTF-8. `Url::join`
//!   always encodes queries as UTF-8; the `url` crate's
//!   `ParseOptions::encoding_override` hook is used instead, fed by
//!   `encoding_rs`. A character the page's encoding cannot represent becomes
//!   a percent-encoded character reference (`%26%2326481%3B`), as the URL
//!   spec says. Limitations: the override only applies while *this* module
//!   resolves a link; any later `Url::join`/`Url::parse` elsewhere in the
//!   crawler (redirect `Location` headers, say) is UTF-8 only, unlike a
//!   browser that keeps the document's encoding. And pages in different
//!   encodings linking to "the same" non-ASCII query get different URLs,
//!   exactly as in a browser.
//! - GET form actions are recorded separately ([`Extracted::forms_get`]) and
//!   never put among the links: a crawler that submitted forms could trigger
//!   actions or crawl an infinite search space.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use encoding_rs::{
    EncoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED,
};
use regex::bytes::Regex as BytesRegex;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use url::Url;

/// The element (and attribute) a link was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `<a href>`
    Anchor,
    /// `<area href>` (image maps)
    Area,
    /// `<link href>` (stylesheets, icons, alternates, …)
    Link,
    /// `<img src>`, `<img srcset>`, `<source srcset>`
    Image,
    /// `<script src>`
    Script,
    /// `<iframe src>`, `<frame src>`
    Frame,
    /// Form actions. Never produced in [`Extracted::links`] by [`extract`]:
    /// GET actions go to [`Extracted::forms_get`] as plain URLs. Kept for
    /// callers that decide to turn those into links.
    Form,
    /// `<meta http-equiv="refresh" content="N; url=…">`
    MetaRefresh,
}

/// One outgoing link: an absolute `http`/`https` URL without fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Where it points.
    pub url: Url,
    /// What kind of element it came from.
    pub kind: LinkKind,
    /// For `<a>` and `<area>`: what a reader sees of the link (its text, else its `title`,
    /// `aria-label` or an image's `alt`), whitespace collapsed; the texts of every anchor to
    /// the same URL, joined with " | ". Empty when there is none.
    pub text: String,
}

/// Everything [`extract`] found in a page.
#[derive(Clone, Debug, Default)]
pub struct Extracted {
    /// Links in document order, each (url, kind) pair once.
    pub links: Vec<Link>,
    /// Attribute values (trimmed) that did not resolve to a URL, each once.
    pub invalid: Vec<String>,
    /// GET form actions: recorded, never submitted. Each once.
    pub forms_get: Vec<Url>,
    /// Text of the first `<title>`, whitespace collapsed; `None` if absent or
    /// blank.
    pub title: Option<String>,
    /// `encoding_rs` name of the encoding the page was decoded with.
    pub encoding: &'static str,
    /// The visible text, one block per line (see [`crate::text`]).
    pub text: String,
    /// The visible text without the elements a seed ignores ([`extract_with`]); `None`
    /// when it ignores none.
    pub compared_text: Option<String>,
    /// Likewise the links found outside the ignored elements.
    pub compared_links: Option<Vec<String>>,
    /// `href`s of links that name something other than a web page and may carry an entity
    /// (`mailto:`, `tel:`, `bitcoin:`, …), as written, each once.
    pub uris: Vec<String>,
    /// Attribute values that may hold an entity (`href`, `src`, `data-*`, `value`, `title`,
    /// `alt`, `content`), one per line.
    pub attr_text: String,
    /// Every text node, one per line, with its line breaks: only for a page that holds an
    /// armored PGP block, which the visible text's whitespace folding would break.
    pub raw_text: Option<String>,
}

/// How many leading bytes the `<meta>` prescan looks at (the HTML spec's
/// number).
const PRESCAN_LEN: usize = 1024;

/// `charset=` parameter of a `Content-Type` value, quoted or not.
static CONTENT_TYPE_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:^|[;\s])charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))"#)
        .expect("valid regex")
});

/// A `charset=` inside a `<meta …>` tag: covers both `<meta charset=x>` and
/// `<meta http-equiv="Content-Type" content="text/html; charset=x">`.
///
/// Hand-written rather than using html5ever: its tokenizer takes decoded
/// text, so it cannot tell us how to decode in the first place, and the HTML
/// spec itself specifies a byte-level prescan for this. This regex is a
/// simplification of that prescan (it would also accept `charset=` inside an
/// unrelated `<meta content>`, which real pages do not do).
static META_CHARSET: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(r#"(?i-u)<meta[\s/][^>]*?charset\s*=\s*["']?\s*([^\s"'/>;]+)"#)
        .expect("valid regex")
});

/// `content` of a meta refresh: a time, an optional `;` or `,`, an optional
/// `url=`, then the URL (possibly quoted). Follows the HTML spec's "shared
/// declarative refresh steps" closely enough for crawling.
static META_REFRESH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^\s*[0-9.]+\s*[;,]?\s*(?:url\s*=\s*)?(.*)$").expect("valid regex")
});

static BASE: LazyLock<Selector> = LazyLock::new(|| selector("base[href]"));
static ANCHORS: LazyLock<Selector> = LazyLock::new(|| selector("a[href], area[href]"));

/// Schemes of link targets that carry an entity rather than a page.
const ENTITY_SCHEMES: [&str; 12] = [
    "mailto:",
    "tel:",
    "callto:",
    "sms:",
    "whatsapp:",
    "viber:",
    "bitcoin:",
    "ethereum:",
    "monero:",
    "litecoin:",
    "bitcoincash:",
    "tron:",
];
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
/// Every element that can carry a link, so that one pass yields them in
/// document order.
static LINKING: LazyLock<Selector> = LazyLock::new(|| {
    selector(
        "a[href], area[href], link[href], img[src], img[srcset], source[srcset], \
         script[src], iframe[src], frame[src], form[action], meta[http-equiv][content], \
         noscript",
    )
});

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

/// Picks the encoding to decode `body` with.
///
/// Order, as in the HTML spec's encoding sniffing: a byte-order mark
/// (UTF-8, UTF-16LE, UTF-16BE); the `charset=` of `content_type` (the
/// `Content-Type` header value); a `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…charset=…">` within the first
/// 1024 bytes; UTF-8 if the bytes are valid UTF-8 (a multi-byte sequence cut
/// off at the very end is tolerated, as bodies may be truncated); otherwise
/// a guess from the bytes by `chardetng` (Firefox's detector, by the author of
/// `encoding_rs`: an undeclared Russian page is windows-1251, not the
/// windows-1252 the spec's last resort would give). Labels are resolved with [`Encoding::for_label`], so e.g.
/// `iso-8859-1` means windows-1252, as on the web. A label that
/// `for_label` does not know is ignored and the next step is tried.
pub fn sniff_encoding(body: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((encoding, _bom_len)) = Encoding::for_bom(body) {
        return encoding;
    }
    if let Some(encoding) = content_type.and_then(charset_from_content_type) {
        return encoding;
    }
    if let Some(encoding) = prescan_meta(&body[..body.len().min(PRESCAN_LEN)]) {
        return encoding;
    }
    match std::str::from_utf8(body) {
        Ok(_) => UTF_8,
        // `error_len() == None`: only an incomplete sequence at the end.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(&body[..body.len().min(DETECT_LEN)], true);
            detector.guess(None, false)
        }
    }
}

/// Bytes of an undeclared page the encoding detector reads (enough for any guess; bounds
/// its cost on a large page).
const DETECT_LEN: usize = 64 * 1024;

fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    let caps = CONTENT_TYPE_CHARSET.captures(content_type)?;
    let label = caps.get(1).or(caps.get(2)).or(caps.get(3))?.as_str();
    Encoding::for_label(label.trim().as_bytes())
}

fn prescan_meta(head: &[u8]) -> Option<&'static Encoding> {
    META_CHARSET.captures_iter(head).find_map(|caps| {
        let encoding = Encoding::for_label(caps.get(1)?.as_bytes())?;
        // The HTML spec: a page cannot declare itself UTF-16 in its own
        // ASCII-compatible bytes, so that means UTF-8; and x-user-defined
        // from a meta means windows-1252.
        Some(if encoding == UTF_16LE || encoding == UTF_16BE {
            UTF_8
        } else if encoding == X_USER_DEFINED {
            WINDOWS_1252
        } else {
            encoding
        })
    })
}

/// Extracts the outgoing links, GET form actions and title of an HTML page.
///
/// `body` is the page as bytes (content-decoded, not charset-decoded),
/// `content_type` the `Content-Type` header value if any, `page_url` the URL
/// the page was fetched from (after redirects). Never panics on malformed
/// markup or arbitrary bytes.
///
/// Collected: `a[href]`, `area[href]`, `link[href]`, `img[src]`,
/// `img[srcset]`, `source[srcset]`, `script[src]`, `iframe[src]`,
/// `frame[src]`, `meta[http-equiv=refresh]`, and `form[action]` for GET
/// forms (into `forms_get`; POST and `dialog` forms are ignored), including
/// those inside `<noscript>` (a crawler is a client without JavaScript).
/// `javascript:`, `mailto:`, `tel:`, `data:`, fragment-only and empty values
/// are skipped silently, as are URLs that resolve to a scheme other than
/// `http`/`https`; values that do not resolve at all go to `invalid`.
pub fn extract(body: &[u8], content_type: Option<&str>, page_url: &Url) -> Extracted {
    extract_with(body, content_type, page_url, &[])
}

/// The element names of an HTML document in document order, as the parser builds it
/// (implied `html`, `head` and `body` included): its structure, for look-alike detection.
pub fn tag_names(body: &[u8], content_type: Option<&str>) -> Vec<String> {
    let (text, _, _) = sniff_encoding(body, content_type).decode(body);
    let document = Html::parse_document(&text);
    document
        .tree
        .values()
        .filter_map(|n| n.as_element().map(|e| e.name().to_string()))
        .collect()
}

/// [`extract`], also giving the visible text without the elements `ignore` selects
/// ([`Extracted::compared_text`]), when it selects any.
pub fn extract_with(
    body: &[u8],
    content_type: Option<&str>,
    page_url: &Url,
    ignore: &[Selector],
) -> Extracted {
    let sniffed = sniff_encoding(body, content_type);
    // `decode` strips a BOM (and would switch encoding on one, which cannot
    // happen here since a BOM already decided `sniffed`).
    let (text, encoding, _had_errors) = sniffed.decode(body);
    let document = Html::parse_document(&text);

    let mut out = Collector {
        resolver: Resolver {
            base: page_url.clone(),
            query_encoding: encoding.output_encoding(),
        },
        extracted: Extracted {
            encoding: encoding.name(),
            ..Extracted::default()
        },
        seen_links: HashMap::new(),
        seen_invalid: HashSet::new(),
        seen_forms: HashSet::new(),
    };

    // The first <base href> wins, resolved against the page URL; an
    // unresolvable or non-http(s) one (e.g. `javascript:`) is ignored, as
    // browsers refuse those too.
    if let Some(href) = document.select(&BASE).next().and_then(|b| b.attr("href")) {
        if let Resolution::Url(base) = out.resolver.resolve(href) {
            out.resolver.base = base;
        }
    }

    for element in document.select(&LINKING) {
        out.element(element, page_url, 0);
    }

    out.extracted.title = document
        .select(&TITLE)
        .next()
        .map(|t| collapse_whitespace(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    out.extracted.text = crate::text::visible_text(&document);
    if !ignore.is_empty() {
        let skip: HashSet<ego_tree::NodeId> = ignore
            .iter()
            .flat_map(|s| document.select(s).map(|e| e.id()))
            .collect();
        out.extracted.compared_text = Some(crate::text::visible_text_skipping(&document, &skip));
        // The same collector again, over the linking elements outside the ignored ones.
        let mut outside = Collector {
            resolver: Resolver {
                base: out.resolver.base.clone(),
                query_encoding: out.resolver.query_encoding,
            },
            extracted: Extracted::default(),
            seen_links: HashMap::new(),
            seen_invalid: HashSet::new(),
            seen_forms: HashSet::new(),
        };
        for element in document.select(&LINKING) {
            let ignored = std::iter::once(*element)
                .chain(element.ancestors())
                .any(|n| skip.contains(&n.id()));
            if !ignored {
                outside.element(element, page_url, 0);
            }
        }
        out.extracted.compared_links = Some(
            outside
                .extracted
                .links
                .iter()
                .map(|l| l.url.to_string())
                .collect(),
        );
    }
    for node in document.tree.nodes() {
        if let scraper::Node::Element(el) = node.value() {
            for (name, value) in el.attrs() {
                let wanted = matches!(
                    name,
                    "href" | "src" | "value" | "title" | "alt" | "content" | "action"
                ) || name.starts_with("data-");
                if wanted && value.len() >= 14 {
                    out.extracted.attr_text.push_str(value);
                    out.extracted.attr_text.push('\n');
                }
            }
        }
    }
    let mut uris = HashSet::new();
    for a in document.select(&ANCHORS) {
        let href = a.attr("href").unwrap_or("").trim_matches(is_c0_or_space);
        let is_entity = ENTITY_SCHEMES.iter().any(|scheme| {
            href.get(..scheme.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(scheme))
        });
        if is_entity && uris.insert(href.to_string()) {
            out.extracted.uris.push(href.to_string());
        }
    }
    if text.contains("-----BEGIN PGP") {
        let nodes: Vec<&str> = document.root_element().text().collect();
        out.extracted.raw_text = Some(nodes.join("\n"));
    }
    out.extracted
}

/// Accumulates results, deduplicating as it goes.
struct Collector {
    resolver: Resolver,
    extracted: Extracted,
    // `LinkKind` as `u8` so that the public type need not derive `Hash`.
    seen_links: HashMap<(String, u8), usize>,
    seen_invalid: HashSet<String>,
    seen_forms: HashSet<String>,
}

impl Collector {
    fn element(&mut self, element: ElementRef<'_>, page_url: &Url, depth: u8) {
        let el = element.value();
        match el.name() {
            "noscript" => self.noscript(element, page_url, depth),
            "a" => self.anchor(element, LinkKind::Anchor),
            "area" => self.anchor(element, LinkKind::Area),
            "link" => self.attr(el.attr("href"), LinkKind::Link),
            "img" => {
                self.attr(el.attr("src"), LinkKind::Image);
                self.srcset(el.attr("srcset"));
            }
            "source" => self.srcset(el.attr("srcset")),
            "script" => self.attr(el.attr("src"), LinkKind::Script),
            "iframe" | "frame" => self.attr(el.attr("src"), LinkKind::Frame),
            "form" => self.form(el.attr("action"), el.attr("method"), page_url),
            "meta" => {
                let is_refresh = el
                    .attr("http-equiv")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
                if is_refresh {
                    if let Some(target) = el.attr("content").and_then(refresh_target) {
                        self.link(target, LinkKind::MetaRefresh);
                    }
                }
            }
            _ => {}
        }
    }

    /// Links inside `<noscript>`.
    ///
    /// `scraper` parses with scripting enabled (as a browser running
    /// JavaScript would) and offers no switch, so a `<noscript>`'s content is
    /// one raw text node. A crawler that does not run JavaScript is exactly
    /// the client that content is for (fallback navigation, tracking pixels,
    /// no-JS stylesheets), so the text is parsed again as an HTML fragment and
    /// searched like the page. The depth limit stops adversarial nesting
    /// (`<noscript><noscript>…`) from costing quadratic time.
    fn noscript(&mut self, element: ElementRef<'_>, page_url: &Url, depth: u8) {
        const MAX_DEPTH: u8 = 2;
        if depth >= MAX_DEPTH {
            return;
        }
        let markup: String = element.text().collect();
        if !markup.contains('<') {
            return;
        }
        let fragment = Html::parse_fragment(&markup);
        for inner in fragment.select(&LINKING) {
            self.element(inner, page_url, depth + 1);
        }
    }

    fn attr(&mut self, value: Option<&str>, kind: LinkKind) {
        if let Some(value) = value {
            self.link(value, kind);
        }
    }

    /// An `<a>` or `<area>`, with what a reader sees of it (so that a link can be judged by
    /// its words as well as its URL: "Log out", "Delete").
    fn anchor(&mut self, element: ElementRef<'_>, kind: LinkKind) {
        let Some(href) = element.value().attr("href") else {
            return;
        };
        let Some(i) = self.link(href, kind) else {
            return;
        };
        let mut text = collapse_whitespace(&element.text().collect::<String>());
        if text.is_empty() {
            let el = element.value();
            let alt = element
                .descendants()
                .filter_map(ElementRef::wrap)
                .find_map(|e| e.value().attr("alt"));
            text = [el.attr("title"), el.attr("aria-label"), alt]
                .into_iter()
                .flatten()
                .map(collapse_whitespace)
                .find(|t| !t.is_empty())
                .unwrap_or_default();
        }
        const MAX_TEXT: usize = 300;
        let link = &mut self.extracted.links[i];
        if text.is_empty() || link.text.split(" | ").any(|t| t == text) {
            return;
        }
        if link.text.len() + text.len() < MAX_TEXT {
            if !link.text.is_empty() {
                link.text.push_str(" | ");
            }
            link.text.push_str(&text);
        }
    }

    fn srcset(&mut self, srcset: Option<&str>) {
        for candidate in srcset.map(srcset_urls).unwrap_or_default() {
            self.link(candidate, LinkKind::Image);
        }
    }

    /// Adds the link once; returns its index in the links, if it is one.
    fn link(&mut self, raw: &str, kind: LinkKind) -> Option<usize> {
        match self.resolver.resolve(raw) {
            Resolution::Skip => None,
            Resolution::Invalid(value) => {
                self.invalid(value);
                None
            }
            Resolution::Url(url) => {
                let next = self.extracted.links.len();
                let i = *self
                    .seen_links
                    .entry((url.as_str().to_owned(), kind as u8))
                    .or_insert(next);
                if i == next {
                    self.extracted.links.push(Link {
                        url,
                        kind,
                        text: String::new(),
                    });
                }
                Some(i)
            }
        }
    }

    fn form(&mut self, action: Option<&str>, method: Option<&str>, page_url: &Url) {
        // HTML's `method` has GET as its missing *and* invalid value default;
        // only `post` and `dialog` are something else.
        let method = method.map(str::trim).unwrap_or("get");
        if method.eq_ignore_ascii_case("post") || method.eq_ignore_ascii_case("dialog") {
            return;
        }
        let Some(action) = action else { return };
        // An empty action submits to the document's URL (not the base URL).
        let resolution = if action.trim_matches(is_c0_or_space).is_empty() {
            let mut url = page_url.clone();
            url.set_fragment(None);
            Resolution::Url(url)
        } else {
            self.resolver.resolve(action)
        };
        match resolution {
            Resolution::Skip => {}
            Resolution::Invalid(value) => self.invalid(value),
            Resolution::Url(url) => {
                if self.seen_forms.insert(url.as_str().to_owned()) {
                    self.extracted.forms_get.push(url);
                }
            }
        }
    }

    fn invalid(&mut self, value: String) {
        if self.seen_invalid.insert(value.clone()) {
            self.extracted.invalid.push(value);
        }
    }
}

enum Resolution {
    /// Not something to crawl: skipped silently.
    Skip,
    /// Did not parse as a URL; holds the trimmed value.
    Invalid(String),
    /// An absolute http(s) URL without fragment.
    Url(Url),
}

struct Resolver {
    base: Url,
    /// Encoding for the query part of resolved URLs (the page's output
    /// encoding: UTF-16 pages use UTF-8 here, as the URL spec says).
    query_encoding: &'static Encoding,
}

/// Schemes skipped without even trying to resolve them.
const SKIPPED_SCHEMES: [&str; 4] = ["javascript:", "mailto:", "tel:", "data:"];

impl Resolver {
    fn resolve(&self, raw: &str) -> Resolution {
        // The URL parser strips these too; trimming first lets the checks
        // below see the real start of the value.
        let value = raw.trim_matches(is_c0_or_space);
        if value.is_empty() || value.starts_with('#') {
            return Resolution::Skip;
        }
        let has_skipped_scheme = SKIPPED_SCHEMES.iter().any(|scheme| {
            value
                .get(..scheme.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(scheme))
        });
        if has_skipped_scheme {
            return Resolution::Skip;
        }
        match self.parse(value) {
            Err(_) => Resolution::Invalid(value.to_owned()),
            Ok(mut url) => {
                if !matches!(url.scheme(), "http" | "https") {
                    // e.g. ftp:, about:, or `java\nscript:` (the URL parser
                    // removes tabs and newlines, so it ends up here).
                    return Resolution::Skip;
                }
                url.set_fragment(None);
                Resolution::Url(url)
            }
        }
    }

    /// `Url::join`, but with the query encoded like a browser would.
    fn parse(&self, value: &str) -> Result<Url, url::ParseError> {
        let options = Url::options().base_url(Some(&self.base));
        if self.query_encoding == UTF_8 {
            return options.parse(value);
        }
        let encoding = self.query_encoding;
        let encode = query_encoder(move |query: &str| encode_query(encoding, query));
        options.encoding_override(Some(&encode)).parse(value)
    }
}

/// Pins a closure to the higher-ranked signature `url` expects (closures do
/// not infer a return lifetime tied to their argument on their own).
fn query_encoder<F>(f: F) -> F
where
    F: for<'s> Fn(&'s str) -> Cow<'s, [u8]>,
{
    f
}

/// Encodes a URL query in a legacy encoding, for `url`'s encoding override.
///
/// Hand-written around `encoding_rs`'s encoder because of unmappable
/// characters: the URL spec ("percent-encode after encoding") turns one into
/// `%26%23NNNN%3B`, i.e. an HTML numeric character reference whose `&`, `#`
/// and `;` are all percent-encoded. `Encoding::encode` yields the bare
/// `&#NNNN;`, and `url` would then leave the `&` and `;` alone (they are not
/// in the query percent-encode set), changing the query's meaning. We emit
/// the already percent-encoded form; `url` leaves `%` untouched.
fn encode_query<'s>(encoding: &'static Encoding, query: &'s str) -> Cow<'s, [u8]> {
    let (bytes, _, had_unmappable) = encoding.encode(query);
    if !had_unmappable {
        return bytes;
    }
    let mut encoder = encoding.new_encoder();
    let mut out = Vec::with_capacity(query.len() * 2);
    let mut buffer = [0u8; 1024];
    let mut rest = query;
    loop {
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut buffer, true);
        out.extend_from_slice(&buffer[..written]);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => break,
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(c) => {
                out.extend_from_slice(format!("%26%23{}%3B", u32::from(c)).as_bytes());
            }
        }
    }
    Cow::Owned(out)
}

fn is_c0_or_space(c: char) -> bool {
    c <= ' '
}

/// The URL of a meta refresh `content` value, if it names one.
fn refresh_target(content: &str) -> Option<&str> {
    let rest = META_REFRESH.captures(content)?.get(1)?.as_str();
    // An optional quote, matched up to the same quote or the end.
    let target = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let inner = &rest[1..];
            inner.find(q).map_or(inner, |end| &inner[..end])
        }
        _ => rest,
    };
    let target = target.trim_matches(is_c0_or_space);
    (!target.is_empty()).then_some(target)
}

/// The URLs of a `srcset` value.
///
/// Hand-written because no allowed crate parses `srcset`. This follows the
/// HTML spec's candidate parsing rather than a plain split on commas: a URL
/// is a run of non-whitespace (so it may contain commas, as in
/// `img.jpg?w=1,2 1x` or `data:` URLs), trailing commas end a candidate, and
/// descriptors run to the next comma outside parentheses. For ordinary
/// values (`a.jpg 1x, b.jpg 2x`) this is the same as splitting on commas and
/// taking the first token.
fn srcset_urls(srcset: &str) -> Vec<&str> {
    let bytes = srcset.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    let mut urls = Vec::new();
    let mut pos = 0;
    loop {
        while pos < bytes.len() && (is_space(bytes[pos]) || bytes[pos] == b',') {
            pos += 1;
        }
        if pos >= bytes.len() {
            break;
        }
        let start = pos;
        while pos < bytes.len() && !is_space(bytes[pos]) {
            pos += 1;
        }
        // All delimiters are ASCII, so these are char boundaries.
        let mut url = &srcset[start..pos];
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            let mut in_parens = false;
            while pos < bytes.len() {
                match bytes[pos] {
                    b'(' => in_parens = true,
                    b')' => in_parens = false,
                    b',' if !in_parens => {
                        pos += 1;
                        break;
                    }
                    _ => {}
                }
                pos += 1;
            }
        }
        if !url.is_empty() {
            urls.push(url);
        }
    }
    urls
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::SHIFT_JIS;

    fn page() -> Url {
        Url::parse("https://example.com/dir/page.html?x=1").unwrap()
    }

    fn run(html: &str) -> Extracted {
        extract(html.as_bytes(), Some("text/html"), &page())
    }

    fn pairs(ex: &Extracted) -> Vec<(String, LinkKind)> {
        ex.links
            .iter()
            .map(|l| (l.url.to_string(), l.kind))
            .collect()
    }

    fn urls(ex: &Extracted) -> Vec<String> {
        ex.links.iter().map(|l| l.url.to_string()).collect()
    }

    #[test]
    fn every_element_kind() {
        let ex = run(r#"<!doctype html>
            <html><head>
              <title>All kinds</title>
              <link rel=stylesheet href="/style.css">
              <script src="app.js"></script>
              <meta http-equiv="refresh" content="5; url=/next">
            </head><body>
              <a href="a.html">a</a>
              <map><area href="area.html"></map>
              <img src="img.png" srcset="img-2x.png 2x, img-3x.png 3x">
              <picture><source srcset="pic.webp 1x,pic-2x.webp 2x"><img src="pic.jpg"></picture>
              <iframe src="//other.example/frame"></iframe>
              <form action="/search"><input name=q></form>
            </body></html>"#);
        use LinkKind::*;
        let expected = [
            ("https://example.com/style.css", Link),
            ("https://example.com/dir/app.js", Script),
            ("https://example.com/next", MetaRefresh),
            ("https://example.com/dir/a.html", Anchor),
            ("https://example.com/dir/area.html", Area),
            ("https://example.com/dir/img.png", Image),
            ("https://example.com/dir/img-2x.png", Image),
            ("https://example.com/dir/img-3x.png", Image),
            ("https://example.com/dir/pic.webp", Image),
            ("https://example.com/dir/pic-2x.webp", Image),
            ("https://example.com/dir/pic.jpg", Image),
            ("https://other.example/frame", Frame),
        ];
        let expected: Vec<_> = expected.iter().map(|(u, k)| (u.to_string(), *k)).collect();
        assert_eq!(pairs(&ex), expected);
        assert_eq!(
            ex.forms_get,
            vec![Url::parse("https://example.com/search").unwrap()]
        );
        assert!(ex.invalid.is_empty());
        assert_eq!(ex.title.as_deref(), Some("All kinds"));
        assert_eq!(ex.encoding, "UTF-8");
    }

    #[test]
    fn links_inside_noscript() {
        let ex = run(concat!(
            "<head><noscript><link rel=stylesheet href=/nojs.css></noscript></head>",
            "<body><a href=before>b</a>",
            "<noscript><img src=/pixel.gif><a href=/nojs>plain</a></noscript>",
            "<a href=after>a</a></body>",
        ));
        assert_eq!(
            pairs(&ex),
            vec![
                ("https://example.com/nojs.css".into(), LinkKind::Link),
                ("https://example.com/dir/before".into(), LinkKind::Anchor),
                ("https://example.com/pixel.gif".into(), LinkKind::Image),
                ("https://example.com/nojs".into(), LinkKind::Anchor),
                ("https://example.com/dir/after".into(), LinkKind::Anchor),
            ]
        );
        // Deep nesting is cut off rather than re-parsed over and over.
        let nested = format!("{}<a href=/deep>x</a>", "<noscript>".repeat(5000));
        let ex = run(&nested);
        assert!(ex.links.is_empty(), "{:?}", ex.links);
    }

    #[test]
    fn frames_in_a_frameset() {
        let ex = run(r#"<html><frameset cols="50%,50%">
            <frame src="left.html"><frame src="right.html"></frameset></html>"#);
        assert_eq!(
            pairs(&ex),
            vec![
                ("https://example.com/dir/left.html".into(), LinkKind::Frame),
                ("https://example.com/dir/right.html".into(), LinkKind::Frame),
            ]
        );
    }

    #[test]
    fn forms() {
        let ex = run(r#"
            <form action="get1" method="GET"></form>
            <form action="get2"></form>
            <form action="get3" method="bogus"></form>
            <form action="post" method="post"></form>
            <form action="post2" method=" POST "></form>
            <form action="dialog" method="dialog"></form>
            <form action="get1#frag" method="get"></form>
            <form action="javascript:void(0)"></form>
            <form action="" method="get"></form>
            <form method="get"></form>
        "#);
        let got: Vec<String> = ex.forms_get.iter().map(Url::to_string).collect();
        assert_eq!(
            got,
            vec![
                "https://example.com/dir/get1",
                "https://example.com/dir/get2",
                "https://example.com/dir/get3",
                "https://example.com/dir/page.html?x=1",
            ]
        );
        assert!(ex.links.is_empty(), "{:?}", ex.links);
    }

    #[test]
    fn meta_refresh_variants() {
        for (content, expected) in [
            ("0; url=/a", Some("https://example.com/a")),
            ("0;URL='/b'", Some("https://example.com/b")),
            ("0; url=\"/c d\"", Some("https://example.com/c%20d")),
            ("  3 , Url = e.html", Some("https://example.com/dir/e.html")),
            ("1.5;f.html", Some("https://example.com/dir/f.html")),
            ("0; url='g.html", Some("https://example.com/dir/g.html")),
            ("5", None),
            ("5; url=", None),
            ("soon; url=/x", None),
        ] {
            let html = format!(
                r#"<meta http-equiv="Refresh" content="{}">"#,
                content.replace('"', "&quot;")
            );
            let got = urls(&run(&html));
            let expected: Vec<String> = expected.into_iter().map(String::from).collect();
            assert_eq!(got, expected, "content {content:?}");
        }
        // Only http-equiv=refresh counts.
        assert!(run(r#"<meta name="refresh" content="0; url=/x">"#)
            .links
            .is_empty());
    }

    #[test]
    fn base_href_applies_to_relative_links() {
        let ex = run(r#"<head><base href="https://cdn.example.net/root/">
            <base href="https://ignored.example/"></head>
            <a href="x.html">x</a><a href="/abs">abs</a><img src="../up.png">
            <a href="https://elsewhere.example/z">z</a>"#);
        assert_eq!(
            urls(&ex),
            vec![
                "https://cdn.example.net/root/x.html",
                "https://cdn.example.net/abs",
                "https://cdn.example.net/up.png",
                "https://elsewhere.example/z",
            ]
        );
    }

    #[test]
    fn relative_base_is_resolved_against_page_url() {
        let ex = run(r#"<base href="/other/"><a href="x">x</a>"#);
        assert_eq!(urls(&ex), vec!["https://example.com/other/x"]);
    }

    #[test]
    fn unusable_base_is_ignored() {
        let ex = run(r#"<base href="javascript:alert(1)"><a href="x">x</a>"#);
        assert_eq!(urls(&ex), vec!["https://example.com/dir/x"]);
        let ex = run(r#"<base href="http://[::1"><a href="x">x</a>"#);
        assert_eq!(urls(&ex), vec!["https://example.com/dir/x"]);
    }

    #[test]
    fn skipped_schemes_and_fragments() {
        let ex = run(r##"
            <a href="javascript:void(0)">js</a>
            <a href=" JavaScript:alert(1)">js2</a>
            <a href="java&#10;script:alert(1)">js3</a>
            <a href="mailto:someone@example.com">mail</a>
            <a href="tel:+123">tel</a>
            <img src="data:image/png;base64,AAAA">
            <a href="#top">top</a>
            <a href="">empty</a>
            <a href="ftp://files.example/x">ftp</a>
            <a href="about:blank">about</a>
            <a href="kept.html#section">kept</a>
        "##);
        assert_eq!(urls(&ex), vec!["https://example.com/dir/kept.html"]);
        assert!(ex.invalid.is_empty(), "{:?}", ex.invalid);
    }

    #[test]
    fn unresolvable_hrefs_go_to_invalid() {
        let ex = run(r#"
            <a href="http://[::1">v6</a>
            <a href="http://[::1">again</a>
            <img src="https://exa mple.com/">
            <a href="http://ok.example/">ok</a>
        "#);
        assert_eq!(ex.invalid, vec!["http://[::1", "https://exa mple.com/"]);
        assert_eq!(urls(&ex), vec!["http://ok.example/"]);
    }

    #[test]
    fn fragments_dropped_and_pairs_deduplicated() {
        let ex = run(r#"
            <a href="p.html#one">1</a>
            <a href="p.html#two">2</a>
            <a href="P.html">different path case</a>
            <img src="p.html">
            <a href="https://EXAMPLE.com:443/dir/p.html">same after normalisation</a>
        "#);
        assert_eq!(
            pairs(&ex),
            vec![
                ("https://example.com/dir/p.html".into(), LinkKind::Anchor),
                ("https://example.com/dir/P.html".into(), LinkKind::Anchor),
                ("https://example.com/dir/p.html".into(), LinkKind::Image),
            ]
        );
    }

    #[test]
    fn srcset_parsing() {
        assert_eq!(srcset_urls("a.jpg 1x, b.jpg 2x"), vec!["a.jpg", "b.jpg"]);
        // No whitespace after the comma: per the HTML spec (and browsers)
        // this is one URL, since a URL is a run of non-whitespace.
        assert_eq!(srcset_urls("a.jpg,b.jpg"), vec!["a.jpg,b.jpg"]);
        assert_eq!(srcset_urls("a.jpg 1x,b.jpg 2x"), vec!["a.jpg", "b.jpg"]);
        assert_eq!(srcset_urls("a.jpg, b.jpg"), vec!["a.jpg", "b.jpg"]);
        assert_eq!(srcset_urls("  a.jpg  "), vec!["a.jpg"]);
        assert_eq!(
            srcset_urls("a.jpg?w=1,2 100w, b.jpg 200w"),
            vec!["a.jpg?w=1,2", "b.jpg"]
        );
        assert_eq!(srcset_urls("a.jpg (x,y) 1x, b.jpg"), vec!["a.jpg", "b.jpg"]);
        assert_eq!(srcset_urls(",,, ,"), Vec::<&str>::new());
        assert_eq!(srcset_urls(""), Vec::<&str>::new());
        assert_eq!(srcset_urls("é.jpg 1x,ü.jpg"), vec!["é.jpg", "ü.jpg"]);
    }

    #[test]
    fn title_whitespace_collapsed() {
        let ex = run("<title>\n  Hello \t\n  <b>World</b>  </title><title>second</title>");
        assert_eq!(ex.title.as_deref(), Some("Hello <b>World</b>"));
        assert_eq!(run("<title>  \n </title>").title, None);
        assert_eq!(run("<p>no title").title, None);
    }

    #[test]
    fn windows_1252_via_meta() {
        let mut body = b"<html><head><meta charset=\"windows-1252\"><title>Caf".to_vec();
        body.extend(b"\xe9</title></head><a href=\"/caf\xe9?q=caf\xe9\">x</a>");
        let ex = extract(&body, Some("text/html"), &page());
        assert_eq!(ex.encoding, "windows-1252");
        assert_eq!(ex.title.as_deref(), Some("Café"));
        // Path: UTF-8. Query: the page's encoding (é = 0xE9), as browsers do.
        assert_eq!(urls(&ex), vec!["https://example.com/caf%C3%A9?q=caf%E9"]);
    }

    #[test]
    fn latin1_label_means_windows_1252() {
        let body = b"<a href=\"/x?q=\x80\">euro</a>";
        let ex = extract(body, Some("text/html; charset=ISO-8859-1"), &page());
        assert_eq!(ex.encoding, "windows-1252");
        // 0x80 is the euro sign in windows-1252, and encodes back to 0x80.
        assert_eq!(urls(&ex), vec!["https://example.com/x?q=%80"]);
    }

    fn shift_jis_page(head: &str) -> Vec<u8> {
        let html = format!("<html><head>{head}<title>東京</title></head><body><a href=\"/検索?q=東京\">x</a></body></html>");
        let (bytes, _, unmappable) = SHIFT_JIS.encode(&html);
        assert!(!unmappable);
        bytes.into_owned()
    }

    const SJIS_LINK: &str = "https://example.com/%E6%A4%9C%E7%B4%A2?q=%93%8C%8B%9E";

    #[test]
    fn shift_jis_via_header() {
        let body = shift_jis_page("");
        let ex = extract(&body, Some("text/html; charset=Shift_JIS"), &page());
        assert_eq!(ex.encoding, "Shift_JIS");
        assert_eq!(ex.title.as_deref(), Some("東京"));
        assert_eq!(urls(&ex), vec![SJIS_LINK]);
    }

    #[test]
    fn shift_jis_via_meta_http_equiv() {
        let body = shift_jis_page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">"#,
        );
        let ex = extract(&body, None, &page());
        assert_eq!(ex.encoding, "Shift_JIS");
        assert_eq!(ex.title.as_deref(), Some("東京"));
        assert_eq!(urls(&ex), vec![SJIS_LINK]);
    }

    #[test]
    fn utf8_page_queries_are_utf8() {
        let ex = run(r#"<a href="/検索?q=東京">x</a>"#);
        assert_eq!(
            urls(&ex),
            vec!["https://example.com/%E6%A4%9C%E7%B4%A2?q=%E6%9D%B1%E4%BA%AC"]
        );
    }

    #[test]
    fn unmappable_query_characters_become_ncrs() {
        // '東' does not exist in windows-1252: browsers (and we) send &#26481;.
        let body = b"<meta charset=windows-1252><a href=\"/x?q=&#26481;\">x</a>";
        let ex = extract(body, None, &page());
        assert_eq!(urls(&ex), vec!["https://example.com/x?q=%26%2326481%3B"]);
    }

    #[test]
    fn query_encoding_of_unmappable_characters() {
        assert_eq!(
            encode_query(WINDOWS_1252, "a=é&b=東").as_ref(),
            b"a=\xe9&b=%26%2326481%3B"
        );
        // Stateful encoding: the escape back to ASCII precedes the reference.
        assert_eq!(
            encode_query(encoding_rs::ISO_2022_JP, "東€").as_ref(),
            b"\x1b$BEl\x1b(B%26%238364%3B"
        );
        // Nothing unmappable in ASCII: borrowed as is.
        assert!(matches!(
            encode_query(SHIFT_JIS, "q=1"),
            Cow::Borrowed(b"q=1")
        ));
    }

    #[test]
    fn utf16_page_with_bom() {
        let html = "<title>t</title><a href=\"/ü?q=ü\">x</a>";
        let mut body = vec![0xff, 0xfe];
        for unit in html.encode_utf16() {
            body.extend(unit.to_le_bytes());
        }
        // The BOM beats the header.
        let ex = extract(&body, Some("text/html; charset=windows-1252"), &page());
        assert_eq!(ex.encoding, "UTF-16LE");
        assert_eq!(ex.title.as_deref(), Some("t"));
        // UTF-16's output encoding is UTF-8, so the query is UTF-8.
        assert_eq!(urls(&ex), vec!["https://example.com/%C3%BC?q=%C3%BC"]);
    }

    #[test]
    fn sniffing_order() {
        let meta_sjis = b"<meta charset=\"Shift_JIS\"><p>\x82\xa0";
        // BOM first.
        assert_eq!(
            sniff_encoding(b"\xef\xbb\xbf<p>x", Some("text/html; charset=shift_jis")),
            UTF_8
        );
        assert_eq!(sniff_encoding(b"\xfe\xff\x00<", None), UTF_16BE);
        assert_eq!(sniff_encoding(b"\xff\xfe<\x00", None), UTF_16LE);
        // Then the header, quoted or not, any case.
        assert_eq!(
            sniff_encoding(meta_sjis, Some("text/html; charset=\"EUC-JP\"")),
            encoding_rs::EUC_JP
        );
        assert_eq!(
            sniff_encoding(b"x", Some("text/html;CHARSET=koi8-r")),
            encoding_rs::KOI8_R
        );
        // An unknown header label falls through to the meta.
        assert_eq!(
            sniff_encoding(meta_sjis, Some("text/html; charset=bogus")),
            SHIFT_JIS
        );
        // Then the meta prescan.
        assert_eq!(sniff_encoding(meta_sjis, Some("text/html")), SHIFT_JIS);
        assert_eq!(
            sniff_encoding(b"<META CHARSET=gbk>", None),
            encoding_rs::GBK
        );
        assert_eq!(sniff_encoding(b"<meta charset='utf-16'>\xff", None), UTF_8);
        assert_eq!(
            sniff_encoding(b"<meta charset=x-user-defined>", None),
            WINDOWS_1252
        );
        // ... only within the first 1024 bytes.
        let mut late = vec![b' '; 1100];
        late.extend(b"<meta charset=\"KOI8-R\"><p>caf\xe9 ok");
        assert_eq!(sniff_encoding(&late, None), WINDOWS_1252);
        // Then valid UTF-8 (tolerating a sequence cut off at the end).
        assert_eq!(sniff_encoding("<p>é".as_bytes(), None), UTF_8);
        assert_eq!(sniff_encoding(b"<p>\xe6\x9d", None), UTF_8);
        assert_eq!(sniff_encoding(b"", None), UTF_8);
        // Else a guess from the bytes: windows-1252 for French, windows-1251 for Russian.
        assert_eq!(sniff_encoding(b"<p>caf\xe9 ok", None), WINDOWS_1252);
        let (russian, _, _) = encoding_rs::WINDOWS_1251
            .encode("<p>Объявления о работе за границей, проживание бесплатно</p>");
        assert_eq!(sniff_encoding(&russian, None), encoding_rs::WINDOWS_1251);
    }

    #[test]
    fn broken_html_still_yields_links() {
        let ex = run(concat!(
            "<html><body><div><p><a href=one.html>one<table><tr><td>",
            "<a href='two.html'>two</td></p></div>",
            "<<<>>> </a></b></i><a href=\"three.html\"<img src=four.png>",
            "<a href=five.html <a href=six.html>",
            "<!-- unclosed comment <a href=hidden.html>",
        ));
        let got = urls(&ex);
        assert!(
            got.contains(&"https://example.com/dir/one.html".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"https://example.com/dir/two.html".to_string()),
            "{got:?}"
        );
        assert!(!got.iter().any(|u| u.contains("hidden")), "{got:?}");
    }

    #[test]
    fn random_bytes_do_not_panic() {
        // A small xorshift generator: deterministic, no extra dependency.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"<>/=\"' abhref:src#?&;\n\x00\xff\xe9\x82metacharsetbaseformactiontitle";
        for round in 0..300 {
            let len = (next() % 3000) as usize;
            let body: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if round % 2 == 0 {
                        r as u8
                    } else {
                        alphabet[(r % alphabet.len() as u64) as usize]
                    }
                })
                .collect();
            let ex = extract(&body, None, &page());
            for link in &ex.links {
                assert!(matches!(link.url.scheme(), "http" | "https"));
                assert!(link.url.fragment().is_none());
            }
        }
    }

    #[test]
    fn default_extracted_is_empty() {
        let ex = Extracted::default();
        assert!(ex.links.is_empty() && ex.invalid.is_empty() && ex.forms_get.is_empty());
        assert_eq!(ex.title, None);
        assert_eq!(ex.encoding, "");
    }
}
