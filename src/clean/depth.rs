//! Bounding how deeply a body's elements nest, before the HTML parser sees them.
//!
//! The tree walker recurses once per level and some of its checks look at all of an
//! element's descendants, and the HTML parser itself scans its stack of open elements
//! for many start tags: 100,000 nested `<span>`s overflowed the stack and 100,000
//! `<div>`s took minutes. Real articles nest a few dozen levels at most. So one linear
//! pass over the source counts open elements and drops the tags (never the text) of
//! every element that would open deeper than [`MAX_NESTING`], with their end tags:
//! what is too deep is flattened into its ancestor.
//!
//! Only elements that can really nest are counted: void elements (`<br>`, `<img>` …)
//! never open a level, and elements whose end tag is optional (`<p>`, `<li>`, `<td>` …)
//! are closed by the parser when the next one starts, so a page of unclosed `<p>`s is
//! not "deep". An end tag closes a level only when it matches an element counted as
//! open (a stray `</span>` closes nothing for the parser either). Raw text elements
//! (`<script>`, `<style>`, `<textarea>` …) hold no elements and are never dropped (their
//! text would turn into markup); their text and comments are skipped.

use std::borrow::Cow;

/// The deepest nesting of counted elements kept; deeper tags are dropped.
pub const MAX_NESTING: usize = 128;

/// `html` with the tags of elements nested deeper than `max_depth` removed; borrowed
/// when nothing is that deep.
pub fn cap_nesting(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut open: Vec<&str> = Vec::new();
    let mut dropped = 0usize;
    let mut at = 0usize;
    while let Some(offset) = memchr::memchr(b'<', bytes.get(at..).unwrap_or_default()) {
        let start = at + offset;
        let Some(tag) = read_tag(html, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        let mut drop_tag = false;
        match tag.kind {
            TagKind::Skip => {}
            TagKind::Start { name, raw_text } => {
                if is_counted(name) {
                    if open.len() >= max_depth {
                        dropped += 1;
                        drop_tag = true;
                    } else {
                        open.push(name);
                    }
                }
                if raw_text {
                    at = end_of_raw_text(html, at, name);
                }
            }
            TagKind::End { name } => {
                if is_counted(name) {
                    if dropped > 0 {
                        dropped -= 1;
                        drop_tag = true;
                    } else if let Some(i) = open.iter().rposition(|o| o.eq_ignore_ascii_case(name))
                    {
                        open.truncate(i);
                    }
                }
            }
        }
        if drop_tag {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(html.get(copied..start).unwrap_or_default());
            copied = tag.end;
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(html.get(copied..).unwrap_or_default());
            Cow::Owned(out)
        }
    }
}

enum TagKind<'a> {
    /// A comment, doctype or processing instruction.
    Skip,
    Start {
        name: &'a str,
        raw_text: bool,
    },
    End {
        name: &'a str,
    },
}

struct Tag<'a> {
    kind: TagKind<'a>,
    /// Byte offset just after the tag.
    end: usize,
}

/// The tag starting at the `<` at `start`, or `None` when that `<` is text.
fn read_tag(html: &str, start: usize) -> Option<Tag<'_>> {
    let rest = html.get(start..)?;
    let after = rest.as_bytes().get(1).copied()?;
    if rest.starts_with("<!--") {
        return Some(Tag {
            kind: TagKind::Skip,
            end: end_of_comment(html, start + 4),
        });
    }
    if after == b'!' || after == b'?' {
        let end = memchr::memchr(b'>', rest.as_bytes()).map_or(html.len(), |i| start + i + 1);
        return Some(Tag {
            kind: TagKind::Skip,
            end,
        });
    }
    let (closing, name_at) = if after == b'/' { (true, 2) } else { (false, 1) };
    let name_part = rest.get(name_at..)?;
    if !name_part.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = name_part
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(name_part.len());
    let name = name_part.get(..name_len)?;
    let end = start + name_at + name_len + end_of_attributes(name_part.get(name_len..)?);
    let kind = if closing {
        TagKind::End { name }
    } else {
        TagKind::Start {
            name,
            raw_text: is_raw_text(name),
        }
    };
    Some(Tag { kind, end })
}

/// Bytes up to and including the `>` that ends a tag's attributes; the whole rest when
/// the tag is never closed. As in the HTML tokenizer, a quote starts a quoted value only
/// right after `=` (a stray `'` in a name is part of the name, and must not hide the
/// tags that follow).
fn end_of_attributes(attributes: &str) -> usize {
    let bytes = attributes.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return i + 1,
            b'=' => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = bytes.get(i) {
                    let value = bytes.get(i + 1..).unwrap_or_default();
                    match memchr::memchr(quote, value) {
                        Some(end) => i += end + 2,
                        None => return attributes.len(),
                    }
                }
            }
            _ => i += 1,
        }
    }
    attributes.len()
}

/// Where a comment whose text starts at `from` (just after `<!--`) ends, as the HTML
/// tokenizer sees it: `<!-->` and `<!--->` are whole comments, and `--!>` ends one too.
fn end_of_comment(html: &str, from: usize) -> usize {
    let rest = html.get(from..).unwrap_or_default();
    if rest.starts_with('>') {
        return from + 1;
    }
    if rest.starts_with("->") {
        return from + 2;
    }
    let close = rest.find("-->").map(|i| i + 3);
    let bang = rest.find("--!>").map(|i| i + 4);
    let end = match (close, bang) {
        (Some(a), Some(b)) => {
            if a - 3 <= b - 4 {
                a
            } else {
                b
            }
        }
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => rest.len(),
    };
    from + end
}

/// Where the text of a raw text element that starts at `from` ends: at its end tag.
fn end_of_raw_text(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memmem::find(bytes.get(at..).unwrap_or_default(), b"</") {
        let candidate = at + i + 2;
        let matches = bytes
            .get(candidate..candidate + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if matches {
            return at + i;
        }
        at = candidate;
    }
    html.len()
}

fn is_raw_text(name: &str) -> bool {
    [
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
    ]
    .iter()
    .any(|raw| raw.eq_ignore_ascii_case(name))
}

/// Elements that open a level: everything but void elements and those the parser
/// closes by itself when a sibling starts.
fn is_counted(name: &str) -> bool {
    !is_raw_text(name)
        && ![
            // Void elements.
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
            "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image",
            // Optional end tags, and the document's own elements.
            "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th",
            "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
        ]
        .iter()
        .any(|other| other.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_html_is_untouched() {
        let html = "<div><p>a<p>b<ul><li>c<li>d</ul><img src=x><br></div><!-- <div> -->";
        assert!(matches!(cap_nesting(html, 3), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_elements_lose_their_tags_not_their_text() {
        let html = "<div><span><b>x</b></span></div>";
        assert_eq!(cap_nesting(html, 2), "<div><span>x</span></div>");
        let deep = "<span>".repeat(1000) + "t" + &"</span>".repeat(1000);
        let capped = cap_nesting(&deep, 10);
        assert_eq!(capped, "<span>".repeat(10) + "t" + &"</span>".repeat(10));
    }

    #[test]
    fn stray_end_tags_close_nothing() {
        let html = "<div></span><div></span><div>x";
        assert_eq!(cap_nesting(html, 2), "<div></span><div></span>x");
    }

    #[test]
    fn stray_quotes_and_short_comments_hide_no_tags() {
        // Found by the fuzzer: a `'` outside an attribute value hid 77,000 `<div>`s.
        let deep = format!("<d'x>{}", "<div>".repeat(50));
        assert_eq!(
            cap_nesting(&deep, 10),
            format!("<d'x>{}", "<div>".repeat(9))
        );
        for comment in ["<!-->", "<!--->", "<!-- a --!>"] {
            let deep = format!("{comment}{}-->", "<div>".repeat(50));
            assert_eq!(
                cap_nesting(&deep, 10),
                format!("{comment}{}-->", "<div>".repeat(10))
            );
        }
        let quoted = "<div a = \"x>y\" b='<div>'>t</div>";
        assert!(matches!(cap_nesting(quoted, 1), Cow::Borrowed(_)));
    }

    #[test]
    fn raw_text_and_quoted_attributes_are_not_tags() {
        let html = "<div title='a>b<div>'><script>'<div><div>'</script>x</div>";
        assert!(matches!(cap_nesting(html, 2), Cow::Borrowed(_)));
        // A raw text element is never dropped (its text would become markup), and holds
        // no elements, so it is no level.
        assert!(matches!(cap_nesting(html, 1), Cow::Borrowed(_)));
    }
}
