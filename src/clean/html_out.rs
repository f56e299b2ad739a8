//! Rendering a cleaned [`Document`] as HTML, for `folio clean --format html` and export.
//!
//! Built from the block tree, never from the source: every text is escaped, and only
//! links and images Folio would follow are written as such (`http`, `https`, `mailto`
//! and paths without a scheme); `javascript:` and other schemes become plain text. The
//! result is a fragment (no `<html>` or `<body>`); export wraps it in a page.

use std::fmt::Write;

use super::model::{Block, Document, Span};
use crate::archive::ImageRef;

/// `doc` as an HTML fragment. `image_src` gives each image's `src` (`None`: the image
/// is shown as its alternative text); a caller that knows where the archive is can
/// turn archive paths into URLs that still resolve from elsewhere.
pub fn render_html(doc: &Document, image_src: &dyn Fn(&ImageRef) -> Option<String>) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        block_html(&mut out, block, image_src);
    }
    out
}

/// The `src` an image keeps when nothing better is known: its reference as written.
pub fn image_as_written(image: &ImageRef) -> Option<String> {
    match image {
        ImageRef::Url(url) => safe_url(url).then(|| url.clone()),
        ImageRef::File(path) | ImageRef::Site(path) | ImageRef::Outside(path) => Some(path.clone()),
    }
}

/// Escapes text for an element's content or a quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a link target may be written as a link: a web or mail URL, or a path.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // A colon after a slash, `?` or `#` is inside a path, not a scheme.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

fn block_html(out: &mut String, block: &Block, image_src: &dyn Fn(&ImageRef) -> Option<String>) {
    match block {
        Block::Heading { level, spans } => {
            let level = (*level).clamp(1, 6);
            let _ = write!(out, "<h{level}>");
            spans_html(out, spans);
            let _ = writeln!(out, "</h{level}>");
        }
        Block::Paragraph { spans } => {
            out.push_str("<p>");
            spans_html(out, spans);
            out.push_str("</p>\n");
        }
        Block::Image { src, alt, caption } => {
            out.push_str("<figure>");
            match image_src(src) {
                Some(url) => {
                    let _ = write!(
                        out,
                        "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                        escape_html(&url),
                        escape_html(alt)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "[{}]",
                        escape_html(if alt.is_empty() { "image" } else { alt })
                    );
                }
            }
            if let Some(caption) = caption {
                let _ = write!(out, "<figcaption>{}</figcaption>", escape_html(caption));
            }
            out.push_str("</figure>\n");
        }
        Block::List { ordered, items } => {
            let tag = if *ordered { "ol" } else { "ul" };
            let _ = writeln!(out, "<{tag}>");
            for item in items {
                out.push_str("<li>");
                for block in item {
                    block_html(out, block, image_src);
                }
                out.push_str("</li>\n");
            }
            let _ = writeln!(out, "</{tag}>");
        }
        Block::Quote { blocks } => {
            out.push_str("<blockquote>\n");
            for block in blocks {
                block_html(out, block, image_src);
            }
            out.push_str("</blockquote>\n");
        }
        Block::Code { text, .. } => {
            let _ = writeln!(out, "<pre><code>{}</code></pre>", escape_html(text));
        }
        Block::Table { rows } => {
            out.push_str("<table>\n");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    out.push_str("<td>");
                    spans_html(out, cell);
                    out.push_str("</td>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
        }
        Block::Rule => out.push_str("<hr>\n"),
        Block::Embed { url, kind } => {
            out.push_str("<p>");
            link_html(out, url, &format!("[{kind}: {url}]"));
            out.push_str("</p>\n");
        }
    }
}

fn link_html(out: &mut String, url: &str, text: &str) {
    if safe_url(url) {
        let _ = write!(
            out,
            "<a href=\"{}\">{}</a>",
            escape_html(url),
            escape_html(text)
        );
    } else {
        out.push_str(&escape_html(text));
    }
}

fn spans_html(out: &mut String, spans: &[Span]) {
    for span in spans {
        match span {
            Span::Text { text, bold, italic } => {
                let text = escape_html(text);
                match (bold, italic) {
                    (true, true) => {
                        let _ = write!(out, "<strong><em>{text}</em></strong>");
                    }
                    (true, false) => {
                        let _ = write!(out, "<strong>{text}</strong>");
                    }
                    (false, true) => {
                        let _ = write!(out, "<em>{text}</em>");
                    }
                    (false, false) => out.push_str(&text),
                }
            }
            Span::Link { url, spans } => {
                let mut inner = String::new();
                spans_html(&mut inner, spans);
                if safe_url(url) {
                    let _ = write!(out, "<a href=\"{}\">{inner}</a>", escape_html(url));
                } else {
                    out.push_str(&inner);
                }
            }
            Span::Code { text } => {
                let _ = write!(out, "<code>{}</code>", escape_html(text));
            }
            Span::LineBreak => out.push_str("<br>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_unsafe_links_are_plain_text() {
        let doc = Document {
            blocks: vec![
                Block::Heading {
                    level: 2,
                    spans: vec![Span::text("A <b> & \"c\"")],
                },
                Block::Paragraph {
                    spans: vec![
                        Span::Link {
                            url: "javascript:alert(1)".into(),
                            spans: vec![Span::text("点我")],
                        },
                        Span::text(" · "),
                        Span::Link {
                            url: "https://example.com/?a=1&b=2".into(),
                            spans: vec![Span::bold("原文")],
                        },
                    ],
                },
                Block::Image {
                    src: ImageRef::File("新闻/img/a.png".into()),
                    alt: "图\"".into(),
                    caption: Some("<说明>".into()),
                },
            ],
        };
        let html = render_html(&doc, &image_as_written);
        assert_eq!(
            html,
            "<h2>A &lt;b&gt; &amp; &quot;c&quot;</h2>\n\
             <p>点我 · <a href=\"https://example.com/?a=1&amp;b=2\"><strong>原文</strong></a></p>\n\
             <figure><img src=\"新闻/img/a.png\" alt=\"图&quot;\" loading=\"lazy\"><figcaption>&lt;说明&gt;</figcaption></figure>\n"
        );
    }

    #[test]
    fn schemes_are_judged_before_the_first_slash() {
        assert!(safe_url("HTTPS://x.cn/a"));
        assert!(safe_url("img/a:b.png"));
        assert!(safe_url("/a?x=y:z"));
        assert!(!safe_url(" JavaScript:alert(1)"));
        assert!(!safe_url("data:text/html,<script>"));
        assert!(!safe_url("file:///etc/passwd"));
    }
}
