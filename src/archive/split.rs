//! Finding the front-matter block in a post's text.
//!
//! A post is optional blank lines, an opening fence (`---` for YAML, `+++` for TOML) on a
//! line of its own, the front matter, a closing fence (`---` or `...` for YAML, `+++` for
//! TOML), then the body. The real archives start every post with a blank line, so
//! leading blank lines are allowed. All spans are byte ranges into the decoded text (for a
//! UTF-8 file without BOM these are also the file's byte offsets).

use std::ops::Range;

/// Which front-matter syntax a post uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterKind {
    /// `---` … `---`
    Yaml,
    /// `+++` … `+++`
    Toml,
    /// No front-matter block.
    None,
}

/// Where the parts of a post are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub kind: FrontMatterKind,
    /// The whole block, from the opening fence to the end of the closing fence's line.
    pub block: Option<Range<usize>>,
    /// The YAML/TOML source between the fences.
    pub inner: Option<Range<usize>>,
    /// Everything after the block (the whole text when there is no block).
    pub body: Range<usize>,
    /// True when the block is opened but never closed.
    pub unterminated: bool,
    /// 1-based line of the first line of `inner`.
    pub inner_first_line: usize,
}

/// Splits `text` into front matter and body.
pub fn split(text: &str) -> Layout {
    let no_block = Layout {
        kind: FrontMatterKind::None,
        block: None,
        inner: None,
        body: 0..text.len(),
        unterminated: false,
        inner_first_line: 1,
    };
    let mut lines = Lines::new(text);
    let mut line_no = 0usize;
    let (open_start, kind) = loop {
        let Some(line) = lines.next() else {
            return no_block;
        };
        line_no += 1;
        let content = line.content.trim_end();
        if content.is_empty() {
            continue;
        }
        match content {
            "---" => break (line.start, FrontMatterKind::Yaml),
            "+++" => break (line.start, FrontMatterKind::Toml),
            _ => return no_block,
        }
    };
    let inner_start = lines.pos;
    let inner_first_line = line_no + 1;
    for line in lines.by_ref() {
        let content = line.content.trim_end();
        let closes = match kind {
            FrontMatterKind::Yaml => content == "---" || content == "...",
            _ => content == "+++",
        };
        if closes {
            return Layout {
                kind,
                block: Some(open_start..line.end),
                inner: Some(inner_start..line.start),
                body: line.end..text.len(),
                unterminated: false,
                inner_first_line,
            };
        }
    }
    Layout {
        kind,
        block: Some(open_start..text.len()),
        inner: Some(inner_start..text.len()),
        body: text.len()..text.len(),
        unterminated: true,
        inner_first_line,
    }
}

struct Line<'a> {
    start: usize,
    /// End including the line break.
    end: usize,
    /// The line without its line break.
    content: &'a str,
}

struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let rest = self.text.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let start = self.pos;
        let (content_len, end) = match rest.find('\n') {
            Some(i) => (i, start + i + 1),
            None => (rest.len(), self.text.len()),
        };
        let content = rest.get(..content_len).unwrap_or_default();
        let content = content.strip_suffix('\r').unwrap_or(content);
        self.pos = end;
        Some(Line {
            start,
            end,
            content,
        })
    }
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let prefix = text.get(..offset.min(text.len())).unwrap_or(text);
    prefix.bytes().filter(|b| *b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_blank_line_then_yaml() {
        let text = "\n---\ntitle: x\n---\n\nbody\n";
        let l = split(text);
        assert_eq!(l.kind, FrontMatterKind::Yaml);
        assert_eq!(&text[l.block.clone().unwrap()], "---\ntitle: x\n---\n");
        assert_eq!(&text[l.inner.clone().unwrap()], "title: x\n");
        assert_eq!(&text[l.body.clone()], "\nbody\n");
        assert_eq!(l.inner_first_line, 3);
        assert!(!l.unterminated);
    }

    #[test]
    fn crlf_and_toml() {
        let text = "+++\r\ntitle = \"x\"\r\n+++\r\nbody";
        let l = split(text);
        assert_eq!(l.kind, FrontMatterKind::Toml);
        assert_eq!(&text[l.inner.clone().unwrap()], "title = \"x\"\r\n");
        assert_eq!(&text[l.body], "body");
    }

    #[test]
    fn unterminated() {
        let l = split("---\ntitle: x\nbody");
        assert!(l.unterminated);
        assert_eq!(l.kind, FrontMatterKind::Yaml);
    }

    #[test]
    fn no_front_matter() {
        let l = split("# Heading\n---\n");
        assert_eq!(l.kind, FrontMatterKind::None);
        assert_eq!(l.body, 0.."# Heading\n---\n".len());
    }

    #[test]
    fn horizontal_rule_in_body_is_not_a_fence() {
        let text = "---\na: 1\n---\nx\n---\ny\n";
        let l = split(text);
        assert_eq!(&text[l.body], "x\n---\ny\n");
    }

    #[test]
    fn empty_block() {
        let text = "---\n---\nbody";
        let l = split(text);
        assert_eq!(l.inner, Some(4..4));
        assert_eq!(&text[l.body], "body");
    }
}
