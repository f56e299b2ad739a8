//! Text normalization for inline runs, and source-level rewrites done before parsing.
//!
//! Scraped paragraphs carry source-code whitespace (newlines, runs of spaces), Sina's
//! full-width indentation `　　`, non-breaking spaces, and the crawler's `&#123;`/`&#125;`
//! for braces. All of it is normalized here, once, after the walker has produced the
//! runs, so both the HTML and the Markdown paths get the same treatment. CJK punctuation
//! is left exactly as written.

use std::borrow::Cow;

use super::model::Span;

/// Whitespace that only separates words: ASCII whitespace, NBSP and the ideographic
/// (full-width) space Sina indents paragraphs with.
pub fn is_layout_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{200b}' || c == '\u{feff}'
}

/// Replace the crawler's brace entities (`&#123;`, `&#125;`) that survived one round of
/// HTML decoding (they were written on top of already-escaped text).
pub fn decode_crawler_braces(text: &str) -> Cow<'_, str> {
    if text.contains("&#12") {
        Cow::Owned(text.replace("&#123;", "{").replace("&#125;", "}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Collapse each run of layout whitespace to one ASCII space.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at_space = false;
    for c in text.chars() {
        if is_layout_space(c) {
            if !at_space {
                out.push(' ');
            }
            at_space = true;
        } else {
            out.push(c);
            at_space = false;
        }
    }
    out
}

/// Normalize a paragraph's runs: collapse whitespace (also across run boundaries), trim
/// it at the edges and around line breaks, drop empty runs and merge neighbours of the
/// same style. Leading, trailing and repeated line breaks are reduced.
pub fn normalize_spans(spans: Vec<Span>) -> Vec<Span> {
    let mut at_space = true;
    let mut out = collapse_runs(spans, &mut at_space);
    trim_end(&mut out);
    tidy(out)
}

fn collapse_runs(spans: Vec<Span>, at_space: &mut bool) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match span {
            Span::Text { text, bold, italic } => {
                let text = decode_crawler_braces(&text);
                let mut collapsed = String::with_capacity(text.len());
                for c in text.chars() {
                    if is_layout_space(c) {
                        if !*at_space {
                            collapsed.push(' ');
                        }
                        *at_space = true;
                    } else {
                        collapsed.push(c);
                        *at_space = false;
                    }
                }
                if !collapsed.is_empty() {
                    out.push(Span::Text {
                        text: collapsed,
                        bold,
                        italic,
                    });
                }
            }
            Span::LineBreak => {
                trim_end(&mut out);
                out.push(Span::LineBreak);
                *at_space = true;
            }
            Span::Code { text } => {
                let text = decode_crawler_braces(&text).replace(['\n', '\r'], " ");
                if !text.trim().is_empty() {
                    out.push(Span::Code { text });
                    *at_space = false;
                }
            }
            Span::Link { url, spans } => {
                let inner = collapse_runs(spans, at_space);
                out.push(Span::Link { url, spans: inner });
            }
        }
    }
    out
}

/// Remove trailing whitespace from the last visible run (looking into a trailing link).
fn trim_end(spans: &mut Vec<Span>) {
    while let Some(last) = spans.last_mut() {
        match last {
            Span::Text { text, .. } => {
                let trimmed_len = text.trim_end_matches(is_layout_space).len();
                text.truncate(trimmed_len);
                if text.is_empty() {
                    spans.pop();
                    continue;
                }
                return;
            }
            Span::Link { spans: inner, .. } => {
                trim_end(inner);
                if inner.is_empty() {
                    spans.pop();
                    continue;
                }
                return;
            }
            Span::Code { .. } | Span::LineBreak => return,
        }
    }
}

/// Drop empty runs and links, merge same-style neighbours, and keep line breaks only
/// between content (at most two in a row, which the walker reads as a paragraph split).
fn tidy(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    let mut breaks = 0usize;
    for span in spans {
        match span {
            Span::LineBreak => {
                if !out.is_empty() && breaks < 2 {
                    out.push(Span::LineBreak);
                }
                breaks += 1;
                continue;
            }
            Span::Text { text, bold, italic } => {
                if text.is_empty() {
                    continue;
                }
                if let Some(Span::Text {
                    text: prev,
                    bold: prev_bold,
                    italic: prev_italic,
                }) = out.last_mut()
                    && *prev_bold == bold
                    && *prev_italic == italic
                {
                    prev.push_str(&text);
                } else {
                    out.push(Span::Text { text, bold, italic });
                }
            }
            Span::Link { url, spans } => {
                let inner = tidy(spans);
                if has_visible_text(&inner) {
                    out.push(Span::Link { url, spans: inner });
                }
            }
            code @ Span::Code { .. } => out.push(code),
        }
        breaks = 0;
    }
    while matches!(out.last(), Some(Span::LineBreak)) {
        out.pop();
    }
    out
}

/// Does any run show a non-space character?
pub fn has_visible_text(spans: &[Span]) -> bool {
    spans.iter().any(|span| match span {
        Span::Text { text, .. } | Span::Code { text } => {
            !text.trim_matches(is_layout_space).is_empty()
        }
        Span::Link { spans, .. } => has_visible_text(spans),
        Span::LineBreak => false,
    })
}

/// Are all visible runs bold (links count by their text)?
pub fn is_all_bold(spans: &[Span]) -> bool {
    spans.iter().all(|span| match span {
        Span::Text { text, bold, .. } => *bold || text.trim_matches(is_layout_space).is_empty(),
        Span::Link { spans, .. } => is_all_bold(spans),
        Span::Code { .. } => false,
        Span::LineBreak => true,
    })
}

/// Split runs at each double line break (two `<br>` in a row separate paragraphs in
/// scraped pages that never used `<p>`).
pub fn split_at_double_breaks(spans: Vec<Span>) -> Vec<Vec<Span>> {
    let mut parts = Vec::new();
    let mut current: Vec<Span> = Vec::new();
    for span in spans {
        if matches!(span, Span::LineBreak) && matches!(current.last(), Some(Span::LineBreak)) {
            current.pop();
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(span);
        }
    }
    parts.push(current);
    parts.retain(|part| !part.is_empty());
    parts
}

/// Un-bold runs (a bold-only paragraph promoted to a heading does not need the flag).
pub fn without_bold(spans: Vec<Span>) -> Vec<Span> {
    spans
        .into_iter()
        .map(|span| match span {
            Span::Text { text, italic, .. } => Span::Text {
                text,
                bold: false,
                italic,
            },
            Span::Link { url, spans } => Span::Link {
                url,
                spans: without_bold(spans),
            },
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::model::plain_text;

    #[test]
    fn full_width_indent_and_whitespace_are_collapsed() {
        let spans = vec![
            Span::text("\n　　据国家统计局消息，\n  1—4月份"),
            Span::bold("  投资 "),
            Span::text(" 下降。 "),
        ];
        let out = normalize_spans(spans);
        assert_eq!(plain_text(&out), "据国家统计局消息， 1—4月份 投资 下降。");
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn braces_written_as_entities_are_decoded() {
        let out = normalize_spans(vec![Span::text("json.dumps(&#123;'sum':c&#125;)")]);
        assert_eq!(plain_text(&out), "json.dumps({'sum':c})");
    }

    #[test]
    fn line_breaks_are_trimmed_and_split() {
        let spans = vec![
            Span::LineBreak,
            Span::text("one "),
            Span::LineBreak,
            Span::text(" two"),
            Span::LineBreak,
            Span::LineBreak,
            Span::LineBreak,
            Span::text("three"),
            Span::LineBreak,
        ];
        let out = normalize_spans(spans);
        let parts = split_at_double_breaks(out);
        let texts: Vec<String> = parts.iter().map(|p| plain_text(p)).collect();
        assert_eq!(texts, vec!["one\ntwo", "three"]);
    }

    #[test]
    fn same_style_neighbours_merge_and_bold_only_is_detected() {
        let out = normalize_spans(vec![
            Span::bold("天价"),
            Span::bold("荔枝"),
            Span::text(" "),
        ]);
        assert_eq!(out, vec![Span::bold("天价荔枝")]);
        assert!(is_all_bold(&out));
        assert!(!is_all_bold(&[Span::bold("a"), Span::text("b")]));
    }
}
