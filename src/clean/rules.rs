//! The junk rules: what in a scraped body is not the article.
//!
//! Kept as data (tables of matchers with a reason each) rather than `if`s scattered over
//! the walker, so that adding a site is one table row, the rules can be listed and
//! audited, and the quality check (`quality.rs`) can ask the very same predicates which
//! source paragraphs were *meant* to go. Generic readability scoring is deliberately not
//! used: on pages of many short Chinese paragraphs it throws away the article.
//!
//! Three kinds of rule:
//! - [`ELEMENT_RULES`]: an element (with its subtree) is dropped, or re-styled;
//! - [`TEXT_RULES`]: a whole paragraph whose text matches is dropped;
//! - [`JUNK_IMAGE_URLS`]: image URLs that are never article pictures.
//!
//! Comments (including Sina's `<!--article_adlist[…]article_adlist-->`, which hides a
//! whole ad list inside one comment) are never content and are skipped by the walker,
//! as are `data:` images and images declared 1×1 (see [`is_tracking_image`]).

use scraper::node::Element;

/// What a matching element rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Drop the element and everything inside it.
    Drop,
    /// Keep the element's content but show it bold (Sina's `<font … strong-Bold>`
    /// subheads).
    Bold,
    /// The element's text is the caption of the image just before it.
    Caption,
}

/// How an element rule recognises its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matcher {
    /// The tag name (lower case).
    Tag(&'static str),
    /// One of the `class` tokens equals this.
    Class(&'static str),
    /// The `id` equals this.
    Id(&'static str),
    /// The attribute is present (any value).
    HasAttr(&'static str),
    /// The attribute's value, lower-cased with spaces removed, contains this.
    AttrContains(&'static str, &'static str),
}

/// One row of the element rule table.
#[derive(Debug, Clone, Copy)]
pub struct ElementRule {
    /// Short name, used in tests and reports.
    pub name: &'static str,
    /// The site the rule was written for, or `None` for a generic rule.
    pub site: Option<&'static str>,
    /// What it matches.
    pub matcher: Matcher,
    /// What happens to a match.
    pub action: Action,
}

const fn rule(
    name: &'static str,
    site: Option<&'static str>,
    matcher: Matcher,
    action: Action,
) -> ElementRule {
    ElementRule {
        name,
        site,
        matcher,
        action,
    }
}

/// Element rules, checked in order; the first match wins.
pub const ELEMENT_RULES: &[ElementRule] = &[
    // Generic: never readable content.
    rule("style", None, Matcher::Tag("style"), Action::Drop),
    rule("script", None, Matcher::Tag("script"), Action::Drop),
    rule("noscript", None, Matcher::Tag("noscript"), Action::Drop),
    rule("template", None, Matcher::Tag("template"), Action::Drop),
    rule("head-meta", None, Matcher::Tag("meta"), Action::Drop),
    rule("head-link", None, Matcher::Tag("link"), Action::Drop),
    rule("button", None, Matcher::Tag("button"), Action::Drop),
    rule("form", None, Matcher::Tag("form"), Action::Drop),
    rule("input", None, Matcher::Tag("input"), Action::Drop),
    rule("select", None, Matcher::Tag("select"), Action::Drop),
    rule("textarea", None, Matcher::Tag("textarea"), Action::Drop),
    rule("svg-icon", None, Matcher::Tag("svg"), Action::Drop),
    // Generic: hidden elements.
    rule(
        "hidden-attr",
        None,
        Matcher::HasAttr("hidden"),
        Action::Drop,
    ),
    rule(
        "aria-hidden",
        None,
        Matcher::AttrContains("aria-hidden", "true"),
        Action::Drop,
    ),
    rule(
        "display-none",
        None,
        Matcher::AttrContains("style", "display:none"),
        Action::Drop,
    ),
    rule(
        "visibility-hidden",
        None,
        Matcher::AttrContains("style", "visibility:hidden"),
        Action::Drop,
    ),
    rule("hidden-class", None, Matcher::Class("hidden"), Action::Drop),
    rule(
        "screen-reader-only",
        None,
        Matcher::Class("sr-only"),
        Action::Drop,
    ),
    rule(
        "visually-hidden",
        None,
        Matcher::Class("visually-hidden"),
        Action::Drop,
    ),
    // Generic: share widgets.
    rule("share-class", None, Matcher::Class("share"), Action::Drop),
    rule(
        "social-share",
        None,
        Matcher::Class("social-share"),
        Action::Drop,
    ),
    // 新浪财经.
    rule(
        "sina-qr-promo",
        Some("新浪财经"),
        Matcher::Class("appendQr_wrap"),
        Action::Drop,
    ),
    rule(
        "sina-editor-credit",
        Some("新浪财经"),
        Matcher::Class("article-editor"),
        Action::Drop,
    ),
    rule(
        "sina-bold-subhead",
        Some("新浪财经"),
        Matcher::AttrContains("cms-style", "strong-bold"),
        Action::Bold,
    ),
    rule(
        "sina-image-caption",
        Some("新浪财经"),
        Matcher::Class("img_descr"),
        Action::Caption,
    ),
    // 掘金: the "复制代码" button inside every code block, the image viewer shell.
    rule(
        "juejin-copy-button",
        Some("掘金"),
        Matcher::Class("copy-code-btn"),
        Action::Drop,
    ),
    rule(
        "juejin-image-viewer",
        Some("掘金"),
        Matcher::Class("image-viewer-box"),
        Action::Drop,
    ),
    // 36kr: captions under images.
    rule(
        "36kr-image-caption",
        Some("36kr"),
        Matcher::Class("img-desc"),
        Action::Caption,
    ),
    // 9To5Mac/9To5Google: the affiliate disclaimer and the ad image inside it.
    rule(
        "9to5-affiliate-disclaimer",
        Some("9To5"),
        Matcher::Class("ad-disclaimer-container"),
        Action::Drop,
    ),
    rule(
        "9to5-after-disclaimer",
        Some("9To5"),
        Matcher::Id("after_disclaimer_placement"),
        Action::Drop,
    ),
    // WordPress captions.
    rule(
        "wp-caption-text",
        None,
        Matcher::Class("wp-caption-text"),
        Action::Caption,
    ),
];

impl Matcher {
    /// Does this matcher accept the element?
    pub fn matches(&self, element: &Element) -> bool {
        match *self {
            Matcher::Tag(name) => element.name() == name,
            Matcher::Class(class) => element.classes().any(|c| c == class),
            Matcher::Id(id) => element.id() == Some(id),
            Matcher::HasAttr(attr) => element.attr(attr).is_some(),
            Matcher::AttrContains(attr, needle) => element
                .attr(attr)
                .is_some_and(|value| squeeze_lower(value).contains(needle)),
        }
    }
}

fn squeeze_lower(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first element rule that matches, if any.
pub fn element_rule(element: &Element) -> Option<&'static ElementRule> {
    ELEMENT_RULES
        .iter()
        .find(|rule| rule.matcher.matches(element))
}

/// Is this element dropped with its subtree (by a rule or as a tracking image)?
pub fn is_dropped_element(element: &Element) -> bool {
    element_rule(element).is_some_and(|rule| rule.action == Action::Drop)
        || (element.name() == "img" && is_tracking_image(element))
}

/// An `<img>` declared 1×1 (or 0×0): a tracking pixel, not a picture. (`data:` sources,
/// Sina's 1×1 base64 GIFs, are caught by [`is_junk_image_url`], after lazy-loading
/// attributes such as `data-src` have had their chance.)
pub fn is_tracking_image(element: &Element) -> bool {
    let tiny = |attr: &str| {
        element
            .attr(attr)
            .map(|v| v.trim().trim_end_matches("px").trim())
            .is_some_and(|v| v == "0" || v == "1")
    };
    tiny("width") && tiny("height")
}

/// How a paragraph text rule matches (on the paragraph's trimmed plain text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMatch {
    /// The text starts with this.
    StartsWith(&'static str),
    /// The text contains this.
    Contains(&'static str),
}

/// One row of the paragraph text rule table.
#[derive(Debug, Clone, Copy)]
pub struct TextRule {
    /// Short name, used in tests and reports.
    pub name: &'static str,
    /// The site the rule was written for, or `None` for a generic rule.
    pub site: Option<&'static str>,
    /// What it matches.
    pub matcher: TextMatch,
}

/// Paragraphs dropped by their text.
pub const TEXT_RULES: &[TextRule] = &[
    TextRule {
        name: "editor-credit",
        site: Some("新浪财经"),
        matcher: TextMatch::StartsWith("责任编辑："),
    },
    TextRule {
        name: "editor-credit-ascii-colon",
        site: Some("新浪财经"),
        matcher: TextMatch::StartsWith("责任编辑:"),
    },
    TextRule {
        name: "sina-app-promo",
        site: Some("新浪财经"),
        matcher: TextMatch::Contains("尽在新浪财经APP"),
    },
    TextRule {
        name: "juejin-copy-code",
        site: Some("掘金"),
        matcher: TextMatch::StartsWith("复制代码"),
    },
];

/// Image URLs (substrings) that are never the article's picture.
pub const JUNK_IMAGE_URLS: &[(&str, &str)] = &[
    (
        "n.sinaimg.cn/finance/cece9e13/20200514/343233024.png",
        "新浪财经 app QR code, used as every post's headimg",
    ),
    (
        "picsum.photos/",
        "random placeholder the crawler used as headimg",
    ),
    ("://pixel.wp.com/", "WordPress stats pixel"),
    ("://stats.wordpress.com/", "WordPress stats pixel"),
    ("feeds.feedburner.com/~r/", "FeedBurner tracking pixel"),
    ("://www.google-analytics.com/", "analytics beacon"),
];

/// File names that are tracking pixels or spacers wherever they live.
const JUNK_IMAGE_FILE_NAMES: &[&str] = &[
    "1x1.gif",
    "1x1.png",
    "pixel.gif",
    "pixel.png",
    "spacer.gif",
    "blank.gif",
    "transparent.gif",
    "clear.gif",
];

/// Is this image URL junk (QR promo, placeholder, tracker, `data:`), never worth showing
/// or using as a thumbnail?
pub fn is_junk_image_url(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty()
        || url
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
    {
        return true;
    }
    let lower = url.to_ascii_lowercase();
    if JUNK_IMAGE_URLS
        .iter()
        .any(|(needle, _)| lower.contains(needle))
    {
        return true;
    }
    let path = lower.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or("");
    JUNK_IMAGE_FILE_NAMES.contains(&file)
}

/// The text rule that drops this paragraph text, if any. `text` is the paragraph's plain
/// text, already trimmed.
pub fn text_rule(text: &str) -> Option<&'static TextRule> {
    TEXT_RULES.iter().find(|rule| match rule.matcher {
        TextMatch::StartsWith(prefix) => text.starts_with(prefix),
        TextMatch::Contains(needle) => text.contains(needle),
    })
}

/// Is this paragraph an `原标题：…` line that merely repeats the post's title?
///
/// Compared on letters and digits only: Sina writes `1—4月` where the title has `1-4月`,
/// and the crawler replaced `*/:` in titles by `_`. A repeated title that was shortened
/// (one contains the other) also counts.
pub fn is_repeated_original_title(text: &str, title: Option<&str>) -> bool {
    let Some(rest) = text
        .strip_prefix("原标题：")
        .or_else(|| text.strip_prefix("原标题:"))
    else {
        return false;
    };
    let Some(title) = title else {
        return false;
    };
    let rest = letters_and_digits(rest);
    let title = letters_and_digits(title);
    !rest.is_empty() && !title.is_empty() && (rest.contains(&title) || title.contains(&rest))
}

fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Is a paragraph with this (trimmed) text junk, by a text rule or as a repeated title?
pub fn is_junk_paragraph(text: &str, title: Option<&str>) -> bool {
    text_rule(text).is_some() || is_repeated_original_title(text, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_element(html: &str) -> Element {
        let doc = scraper::Html::parse_fragment(html);
        let found = doc
            .root_element()
            .child_elements()
            .next()
            .map(|e| e.value().clone());
        found.unwrap_or_else(|| panic!("no element in {html}"))
    }

    #[test]
    fn element_rules_match_what_they_say() {
        let cases = [
            ("<style>a{}</style>", Some("style")),
            ("<div hidden>x</div>", Some("hidden-attr")),
            ("<div style=\"DISPLAY: none\">x</div>", Some("display-none")),
            (
                "<div class=\"clearfix appendQr_wrap\"></div>",
                Some("sina-qr-promo"),
            ),
            (
                "<font cms-style=\"font-L strong-Bold align-Center\">x</font>",
                Some("sina-bold-subhead"),
            ),
            (
                "<p class=\"article-editor\">x</p>",
                Some("sina-editor-credit"),
            ),
            ("<p class=\"intro\">x</p>", None),
        ];
        for (html, expected) in cases {
            let element = first_element(html);
            assert_eq!(element_rule(&element).map(|r| r.name), expected, "{html}");
        }
    }

    #[test]
    fn tracking_images_are_recognised() {
        assert!(is_tracking_image(&first_element(
            "<img src=\"x.gif\" width=\"1\" height=\"1\">"
        )));
        assert!(!is_tracking_image(&first_element(
            "<img src=\"data:image/gif;base64,R0lG\">"
        )));
        assert!(!is_tracking_image(&first_element(
            "<img src=\"x.jpg\" width=\"1\" height=\"300\">"
        )));
    }

    #[test]
    fn junk_image_urls() {
        assert!(is_junk_image_url(
            "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png"
        ));
        assert!(is_junk_image_url("https://picsum.photos/400/300?random=68"));
        assert!(is_junk_image_url("data:image/gif;base64,AAAA"));
        assert!(is_junk_image_url("https://example.com/img/spacer.gif?x=1"));
        assert!(is_junk_image_url("  "));
        assert!(!is_junk_image_url(
            "https://n.sinaimg.cn/finance/crawl/575/w550h825/20220307/05ef.jpg"
        ));
        assert!(!is_junk_image_url("source/_posts/x/a.png"));
    }

    #[test]
    fn original_title_matches_loosely() {
        let title = Some("1-4月份全国房地产开发投资下降2.7%");
        assert!(is_repeated_original_title(
            "原标题：1—4月份全国房地产开发投资下降2.7%",
            title
        ));
        assert!(!is_repeated_original_title("原标题：完全不同的标题", title));
        assert!(!is_repeated_original_title("原标题：x", None));
        assert!(!is_repeated_original_title("正文第一句。", title));
    }

    #[test]
    fn text_rules() {
        assert_eq!(
            text_rule("责任编辑：王蒙").map(|r| r.name),
            Some("editor-credit")
        );
        assert_eq!(
            text_rule("海量资讯、精准解读，尽在新浪财经APP").map(|r| r.name),
            Some("sina-app-promo")
        );
        assert!(text_rule("据国家统计局消息").is_none());
    }
}
