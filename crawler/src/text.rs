//! The visible text of a page, as the change index keeps it.
//!
//! Two captures of a market listing differ in a hundred bytes every time (a CSRF token, a
//! server clock, a view counter in a script) while what a reader sees is the same. Comparing
//! the text a browser would show, rather than the bytes, is what lets the change index call
//! such a capture `cosmetic` and diff real edits line by line. So: scripts, styles, templates
//! and everything in `<head>` but the title are dropped; each block element starts a new line;
//! runs of whitespace become one space; empty lines go.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements whose content is never shown as text.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "math", "object", "iframe",
];

/// Elements that start a new line of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

/// The visible text of a parsed document, one block per line.
pub fn visible_text(document: &Html) -> String {
    visible_text_skipping(document, &Default::default())
}

/// [`visible_text`] without the text of the elements in `skip` (and of their content): what
/// a seed's `ignore_selectors` leave for the comparison of captures.
pub fn visible_text_skipping(
    document: &Html,
    skip: &std::collections::HashSet<ego_tree::NodeId>,
) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut hidden = 0usize;
    let flush = |line: &mut String, lines: &mut Vec<String>| {
        let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            lines.push(collapsed);
        }
        line.clear();
    };
    // An explicit traversal, not recursion: a hostile page can nest elements deeply.
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    // The title is in <head> but shown in every tab: keep it.
                    if name == "title" && hidden == 1 && in_head(node) {
                        hidden = 0;
                        flush(&mut line, &mut lines);
                        continue;
                    }
                    if hidden > 0 || HIDDEN.contains(&name) || skip.contains(&node.id()) {
                        if hidden == 0 && skip.contains(&node.id()) {
                            // What a seed ignores separates the text around it.
                            flush(&mut line, &mut lines);
                        }
                        hidden += 1;
                    } else if BLOCKS.contains(&name) {
                        flush(&mut line, &mut lines);
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    line.push_str(t);
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if name == "title" && hidden == 0 && in_head(node) {
                        flush(&mut line, &mut lines);
                        hidden = 1;
                        continue;
                    }
                    if hidden > 0 {
                        hidden -= 1;
                        if hidden == 0 && skip.contains(&node.id()) {
                            flush(&mut line, &mut lines);
                        }
                    } else if BLOCKS.contains(&name) {
                        flush(&mut line, &mut lines);
                    }
                }
            }
        }
    }
    flush(&mut line, &mut lines);
    lines.join("\n")
}

fn in_head(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.ancestors()
        .any(|a| matches!(a.value(), Node::Element(e) if e.name() == "head"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        visible_text(&Html::parse_document(html))
    }

    #[test]
    fn keeps_what_a_reader_sees_one_block_per_line() {
        let t = text(
            "<html><head><title> Vendor  shop </title><style>p{}</style>\
             <script>var csrf='x1'</script></head><body><h1>Listings</h1>\
             <p>Ten   lots\n available <b>now</b></p><script>clock()</script>\
             <ul><li>one</li><li>two</li></ul><noscript>enable js</noscript>\
             <div>Contact<br>us</div></body></html>",
        );
        assert_eq!(
            t,
            "Vendor shop\nListings\nTen lots available now\none\ntwo\nContact\nus"
        );
    }

    #[test]
    fn a_rotating_token_does_not_change_the_text() {
        let a = "<html><body><form><input type=hidden name=t value=abc></form><p>Hi</p>\
                 <script>var now=1</script></body></html>";
        let b = "<html><body><form><input type=hidden name=t value=xyz></form><p>Hi</p>\
                 <script>var now=2</script></body></html>";
        assert_eq!(text(a), text(b));
        assert_eq!(text(a), "Hi");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(50_000) + "deep" + &"</div>".repeat(50_000);
        assert_eq!(text(&html), "deep");
    }
}
