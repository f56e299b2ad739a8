//! Measuring the cleaner on real bodies: what must never appear in the output, and how
//! much of the article's own paragraph text survives.
//!
//! Lives in the library (not only in tests) because the same audit runs in three
//! places: the fixture test, the `clean_corpus` example over a whole archive, and
//! whoever adds a site rule and wants to see its effect. The "article paragraphs" are
//! the source's `<p>` texts minus those the rule table ([`super::rules`]) removes on
//! purpose; each must appear, whitespace aside, in the text rendering.

use scraper::{ElementRef, Html, Node, Selector};

use super::render::{OutputFormat, render};
use super::rules;
use super::text::is_layout_space;
use super::{CleanContext, clean_body, looks_like_html};

/// The result of auditing one body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    /// Source `<p>`s with text, junk included.
    pub source_paragraphs: usize,
    /// Of those, removed on purpose by a junk rule (text rule or dropped element).
    pub junk_paragraphs: usize,
    /// Article paragraphs (not junk) found in the text output.
    pub kept_paragraphs: usize,
    /// The paragraphs removed on purpose (their source text), for review.
    pub junk: Vec<String>,
    /// Article paragraphs missing from the output (their source text).
    pub missing: Vec<String>,
    /// Forbidden things found in the text or Markdown output: `(check, excerpt)`.
    pub findings: Vec<(&'static str, String)>,
}

impl Audit {
    /// Article paragraphs (source paragraphs that no rule meant to remove).
    pub fn article_paragraphs(&self) -> usize {
        self.source_paragraphs.saturating_sub(self.junk_paragraphs)
    }
}

/// Clean `body`, render it, and audit the result against the source.
pub fn audit(body: &str, ctx: &CleanContext) -> Audit {
    let doc = clean_body(body, ctx);
    let text = render(&doc, OutputFormat::Text);
    let markdown = render(&doc, OutputFormat::Markdown);
    let mut findings = forbidden_findings(&text);
    findings.extend(forbidden_findings(&markdown));
    let haystack = squeeze(&text);

    let mut out = Audit {
        findings,
        ..Audit::default()
    };
    for (paragraph, in_dropped_element) in source_paragraph_texts(body) {
        let trimmed = paragraph.trim_matches(is_layout_space);
        let collapsed = super::text::collapse_whitespace(trimmed);
        let needle = squeeze(trimmed);
        if needle.is_empty() {
            continue;
        }
        out.source_paragraphs += 1;
        if in_dropped_element || rules::is_junk_paragraph(&collapsed, ctx.title) {
            out.junk_paragraphs += 1;
            out.junk.push(collapsed);
        } else if haystack.contains(&needle) {
            out.kept_paragraphs += 1;
        } else {
            out.missing.push(collapsed);
        }
    }
    out
}

/// The visible text of every `<p>` of the body (HTML bodies as they are, Markdown bodies
/// as rendered by CommonMark), each with whether it sits inside an element the rules
/// drop (Sina's `p.article-editor`, a hidden `div` …).
pub fn source_paragraph_texts(body: &str) -> Vec<(String, bool)> {
    let html = if looks_like_html(body) {
        super::hexo::expand_tags(body, false).into_owned()
    } else {
        super::markdown::to_html(body)
    };
    let document = Html::parse_fragment(&html);
    let Ok(selector) = Selector::parse("p") else {
        return Vec::new();
    };
    document
        .select(&selector)
        .map(|p| {
            let dropped = std::iter::successors(Some(p), |e| e.parent().and_then(ElementRef::wrap))
                .any(|e| rules::is_dropped_element(e.value()));
            let mut text = String::new();
            visible_text(p, &mut text);
            (text, dropped)
        })
        .collect()
}

fn visible_text(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        match (child.value(), ElementRef::wrap(child)) {
            (Node::Text(t), _) => out.push_str(t),
            (Node::Element(el), Some(child)) if !rules::is_dropped_element(el) => {
                if el.name() == "br" {
                    out.push(' ');
                }
                visible_text(child, out);
            }
            _ => {}
        }
    }
}

/// Remove all layout whitespace (the cleaner collapses it; the comparison ignores it).
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !is_layout_space(*c)).collect()
}

const TAG_MARKERS: &[&str] = &[
    "<div", "</div", "<p>", "<p ", "</p>", "<span", "</span", "<br", "<img", "<style", "</style",
    "<font", "<script", "<table", "<iframe",
];
const CSS_MARKERS: &[&str] = &[
    "font-size:",
    "line-height:",
    "padding:",
    "padding-left:",
    "margin:",
    "border:",
    "float:",
    "color:#",
    "word-break:",
    "font-weight:",
    "overflow-x:",
    ".appendQr",
];
const NAMED_ENTITIES: &[&str] = &["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&apos;", "&#"];

/// Forbidden things in a rendered output: CSS, tag text, HTML comments, entity codes,
/// the editor credit, Sina's QR promo text. Each finding is `(check, excerpt)`.
pub fn forbidden_findings(output: &str) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    let mut note = |check: &'static str, at: usize| {
        let excerpt: String = output.get(at..).unwrap_or("").chars().take(40).collect();
        found.push((check, excerpt));
    };
    for line in output.lines() {
        if line.contains(['{', '}']) && CSS_MARKERS.iter().any(|m| line.contains(m)) {
            let at = output.find(line).unwrap_or(0);
            note("css", at);
        }
    }
    let lower = output.to_ascii_lowercase();
    for marker in TAG_MARKERS {
        if let Some(at) = lower.find(marker) {
            note("tag", at);
        }
    }
    for marker in ["<!--", "-->"] {
        if let Some(at) = output.find(marker) {
            note("comment", at);
        }
    }
    for marker in NAMED_ENTITIES {
        let mut from = 0;
        while let Some(offset) = output.get(from..).and_then(|s| s.find(marker)) {
            let at = from + offset;
            if is_entity_at(output, at) {
                note("entity", at);
                break;
            }
            from = at + marker.len();
        }
    }
    if let Some(at) = output.find("责任编辑") {
        note("editor-credit", at);
    }
    if let Some(at) = output.find("尽在新浪财经APP") {
        note("qr-promo", at);
    }
    found
}

/// Is there an entity reference (`&name;`, `&#123;`, `&#x7b;`) starting at `at`?
fn is_entity_at(output: &str, at: usize) -> bool {
    let rest = output.get(at + 1..).unwrap_or("");
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !name.is_empty() && rest.get(name.len()..).is_some_and(|r| r.starts_with(';'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_name_what_they_found() {
        let checks: Vec<&str> = forbidden_findings(
            ".a{font-size:12px;}\n<div>x</p> <!-- c --> &#123; 责任编辑：某 尽在新浪财经APP",
        )
        .into_iter()
        .map(|(check, _)| check)
        .collect();
        for expected in [
            "css",
            "tag",
            "comment",
            "entity",
            "editor-credit",
            "qr-promo",
        ] {
            assert!(checks.contains(&expected), "{expected} not in {checks:?}");
        }
        assert!(forbidden_findings("A & B; 1 < 2; fn f() { x }").is_empty());
    }

    #[test]
    fn audit_counts_kept_junk_and_missing() {
        let ctx = CleanContext {
            title: Some("标题"),
            post_dir: "",
        };
        let body = "<div><p>　　原标题：标题</p><p>正文一。</p><p class=\"article-editor\">责任编辑：某</p><p>责任编辑：乙</p></div>";
        let audit = audit(body, &ctx);
        assert_eq!(audit.source_paragraphs, 4);
        assert_eq!(audit.junk_paragraphs, 3);
        assert_eq!(audit.kept_paragraphs, 1);
        assert!(audit.missing.is_empty());
        assert!(audit.findings.is_empty());
    }
}
