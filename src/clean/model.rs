//! The block tree a cleaned body becomes.
//!
//! Deliberately small: the article view, the CLI renderers and the thumbnail picker
//! only need these few shapes, and every shape here is one the cleaner can produce
//! from both HTML and Markdown. Inline formatting is a flat list of styled runs
//! (not nested bold/italic nodes) so that merging neighbours, trimming and rendering
//! stay simple loops.

use serde::Serialize;

/// A cleaned article body: readable blocks in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The blocks, top to bottom.
    pub blocks: Vec<Block>,
}

/// One block of a cleaned body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A heading; `level` is 1–6.
    Heading {
        /// 1 (largest) to 6.
        level: u8,
        /// The heading's inline content.
        spans: Vec<Span>,
    },
    /// A paragraph of inline content.
    Paragraph {
        /// The paragraph's inline content.
        spans: Vec<Span>,
    },
    /// An image, its reference typed against the post's folder (see
    /// [`ImageRef`](crate::archive::ImageRef)); serialized as its text.
    Image {
        /// URL, archive-relative path, site-absolute path, or a path outside the archive.
        src: crate::archive::ImageRef,
        /// Alternative text (may be empty).
        alt: String,
        /// Caption shown under the image, if the source had one.
        caption: Option<String>,
    },
    /// A bulleted (`ordered == false`) or numbered list; each item holds blocks.
    List {
        /// Numbered list?
        ordered: bool,
        /// Items, each a list of blocks.
        items: Vec<Vec<Block>>,
    },
    /// A block quotation.
    Quote {
        /// The quoted blocks.
        blocks: Vec<Block>,
    },
    /// Preformatted code, verbatim.
    Code {
        /// Language hint (`rust`, `python` …) if the source named one.
        lang: Option<String>,
        /// The code, lines separated by `\n`, no trailing newline.
        text: String,
    },
    /// A data table: rows of cells, each cell inline content.
    Table {
        /// Rows of cells.
        rows: Vec<Vec<Vec<Span>>>,
    },
    /// A thematic break.
    Rule,
    /// An embedded frame or media element, kept as a link to its URL.
    Embed {
        /// What the frame pointed at.
        url: String,
        /// The element it came from: `iframe`, `video`, `audio`, `embed`, `object`.
        kind: String,
    },
}

/// One inline run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Span {
    /// Plain or styled text (whitespace already collapsed, entities decoded).
    Text {
        /// The characters.
        text: String,
        /// Shown bold.
        #[serde(skip_serializing_if = "is_false")]
        bold: bool,
        /// Shown italic.
        #[serde(skip_serializing_if = "is_false")]
        italic: bool,
    },
    /// A hyperlink around other runs.
    Link {
        /// Where it points (as written in the source).
        url: String,
        /// The link text.
        spans: Vec<Span>,
    },
    /// Inline code.
    Code {
        /// The code text.
        text: String,
    },
    /// A hard line break inside a paragraph.
    LineBreak,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Span {
    /// A plain text run.
    pub fn text(text: impl Into<String>) -> Self {
        Span::Text {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }

    /// A bold text run.
    pub fn bold(text: impl Into<String>) -> Self {
        Span::Text {
            text: text.into(),
            bold: true,
            italic: false,
        }
    }
}

/// The visible characters of some runs, links reduced to their text and line breaks to
/// `\n`.
pub fn plain_text(spans: &[Span]) -> String {
    let mut out = String::new();
    push_plain_text(spans, &mut out);
    out
}

fn push_plain_text(spans: &[Span], out: &mut String) {
    for span in spans {
        match span {
            Span::Text { text, .. } | Span::Code { text } => out.push_str(text),
            Span::Link { spans, .. } => push_plain_text(spans, out),
            Span::LineBreak => out.push('\n'),
        }
    }
}

impl Document {
    /// Every image in reading order, including those inside lists and quotes.
    pub fn images(&self) -> Vec<&Block> {
        let mut out = Vec::new();
        collect_images(&self.blocks, &mut out);
        out
    }
}

fn collect_images<'a>(blocks: &'a [Block], out: &mut Vec<&'a Block>) {
    for block in blocks {
        match block {
            Block::Image { .. } => out.push(block),
            Block::List { items, .. } => items.iter().for_each(|item| collect_images(item, out)),
            Block::Quote { blocks } => collect_images(blocks, out),
            _ => {}
        }
    }
}
