//! Rendering a cleaned [`Document`] for `folio clean` and for export: plain text,
//! CommonMark (plus GFM tables), the block tree as JSON, or HTML (`html_out.rs`).
//!
//! Text output is for reading and searching: link text without URLs, paragraphs
//! separated by blank lines. Markdown output escapes everything that would otherwise be
//! read as syntax, so that the rendered Markdown shows exactly the cleaned text.

use super::model::{Block, Document, Span, plain_text};

/// Output formats of [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Plain text, paragraphs separated by blank lines.
    #[default]
    Text,
    /// CommonMark.
    Markdown,
    /// The block tree as pretty-printed JSON.
    Json,
    /// An HTML fragment, every text escaped ([`super::render_html`]).
    Html,
}

/// Render a document. Text and Markdown end with a newline unless empty.
pub fn render(doc: &Document, format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => join_blocks(doc.blocks.iter().map(text_block)),
        OutputFormat::Markdown => join_blocks(doc.blocks.iter().map(markdown_block)),
        OutputFormat::Html => super::render_html(doc, &super::image_as_written),
        OutputFormat::Json => serde_json::to_string_pretty(doc)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}\n")),
    }
}

fn join_blocks(parts: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for part in parts.filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&part);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// A list with `1. ` or `- ` markers, each item's blocks rendered by `block` and its
/// continuation lines indented under the marker.
fn list(
    items: &[Vec<Block>],
    ordered: bool,
    separator: &str,
    block: fn(&Block) -> String,
) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let marker = if ordered {
                format!("{}. ", i + 1)
            } else {
                "- ".into()
            };
            let body = join_blocks(item.iter().map(block));
            prefix_lines(body.trim_end(), &marker, &" ".repeat(marker.len()))
        })
        .collect::<Vec<_>>()
        .join(separator)
}

fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let prefix = if i == 0 { first } else { rest };
        if line.is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
            out.push_str(line);
        }
    }
    out
}

fn text_block(block: &Block) -> String {
    match block {
        Block::Heading { spans, .. } | Block::Paragraph { spans } => plain_text(spans),
        Block::Image { src, alt, caption } => {
            let mut out = if alt.is_empty() {
                format!("[image: {src}]")
            } else {
                format!("[image: {alt}]")
            };
            if let Some(caption) = caption {
                out.push('\n');
                out.push_str(caption);
            }
            out
        }
        Block::List { ordered, items } => list(items, *ordered, "\n", text_block),
        Block::Quote { blocks } => {
            let body = join_blocks(blocks.iter().map(text_block));
            prefix_lines(body.trim_end(), "> ", "> ")
        }
        Block::Code { text, .. } => text.clone(),
        Block::Table { rows } => rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| plain_text(cell).replace('\n', " "))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Rule => "* * *".into(),
        Block::Embed { url, kind } => format!("[{kind}: {url}]"),
    }
}

fn markdown_block(block: &Block) -> String {
    match block {
        Block::Heading { level, spans } => {
            let hashes = "#".repeat(usize::from((*level).clamp(1, 6)));
            format!(
                "{hashes} {}",
                markdown_spans(spans)
                    .replace("\\\n", " ")
                    .replace('\n', " ")
            )
        }
        Block::Paragraph { spans } => markdown_spans(spans),
        Block::Image { src, alt, caption } => {
            let mut out = format!("![{}]({})", escape_markdown(alt), link_target(src.as_str()));
            if let Some(caption) = caption {
                out.push_str("\n\n*");
                out.push_str(&escape_markdown(caption));
                out.push('*');
            }
            out
        }
        Block::List { ordered, items } => {
            let tight = items.iter().all(|item| {
                item.len() <= 1 && matches!(item.first(), Some(Block::Paragraph { .. }))
            });
            let separator = if tight { "\n" } else { "\n\n" };
            list(items, *ordered, separator, markdown_block)
        }
        Block::Quote { blocks } => {
            let body = join_blocks(blocks.iter().map(markdown_block));
            prefix_lines(body.trim_end(), "> ", "> ")
        }
        Block::Code { lang, text } => {
            let longest = longest_run(text, '`');
            let fence = "`".repeat(longest.max(2) + 1);
            format!("{fence}{}\n{text}\n{fence}", lang.as_deref().unwrap_or(""))
        }
        Block::Table { rows } => markdown_table(rows),
        Block::Rule => "---".into(),
        Block::Embed { url, kind } => {
            format!(
                "[{}]({})",
                escape_markdown(&format!("{kind}: {url}")),
                link_target(url)
            )
        }
    }
}

fn markdown_table(rows: &[Vec<Vec<Span>>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return String::new();
    }
    let mut lines = Vec::with_capacity(rows.len() + 1);
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = row
            .iter()
            .map(|cell| markdown_spans(cell).replace("\\\n", " ").replace('\n', " "))
            .collect();
        cells.resize(width, String::new());
        lines.push(format!("| {} |", cells.join(" | ")));
        if i == 0 {
            lines.push(format!("|{}", " --- |".repeat(width)));
        }
    }
    lines.join("\n")
}

fn longest_run(text: &str, wanted: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for c in text.chars() {
        if c == wanted {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

fn link_target(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

fn markdown_spans(spans: &[Span]) -> String {
    let mut out = String::new();
    for span in spans {
        match span {
            Span::Text { text, bold, italic } => {
                let core = text.trim();
                if core.is_empty() {
                    out.push_str(text);
                    continue;
                }
                let lead = text
                    .get(..text.len() - text.trim_start().len())
                    .unwrap_or("");
                let trail = text.get(text.trim_end().len()..).unwrap_or("");
                let marker = match (bold, italic) {
                    (true, true) => "***",
                    (true, false) => "**",
                    (false, true) => "*",
                    (false, false) => "",
                };
                out.push_str(lead);
                out.push_str(marker);
                out.push_str(&escape_markdown(core));
                out.push_str(marker);
                out.push_str(trail);
            }
            Span::Link { url, spans } => {
                out.push('[');
                out.push_str(&markdown_spans(spans));
                out.push_str("](");
                out.push_str(&link_target(url));
                out.push(')');
            }
            Span::Code { text } => {
                let ticks = "`".repeat(longest_run(text, '`') + 1);
                let pad = if text.starts_with('`') || text.ends_with('`') {
                    " "
                } else {
                    ""
                };
                out.push_str(&format!("{ticks}{pad}{text}{pad}{ticks}"));
            }
            Span::LineBreak => out.push_str("\\\n"),
        }
    }
    out
}

/// Backslash-escape characters CommonMark would read as syntax; `&` only where it would
/// start an entity reference.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '&' if starts_entity(chars.get(i + 1..).unwrap_or(&[])) => out.push_str("\\&"),
            '#' | '-' | '+' | '=' if line_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if line_start_number(&out) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        line_start = c == '\n' || (line_start && c == ' ');
    }
    out
}

fn starts_entity(rest: &[char]) -> bool {
    let name: Vec<&char> = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !name.is_empty() && rest.get(name.len()) == Some(&';')
}

/// Is everything after the last newline of `out` a run of digits (so that `.`/`)` would
/// make an ordered list marker)?
fn line_start_number(out: &str) -> bool {
    let line = out.rsplit('\n').next().unwrap_or("");
    !line.is_empty() && line.len() <= 9 && line.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(blocks: Vec<Block>) -> Document {
        Document { blocks }
    }

    #[test]
    fn text_separates_paragraphs_with_blank_lines() {
        let d = doc(vec![
            Block::Heading {
                level: 3,
                spans: vec![Span::text("小标题")],
            },
            Block::Paragraph {
                spans: vec![
                    Span::text("见"),
                    Span::Link {
                        url: "https://a.example".into(),
                        spans: vec![Span::text("链接")],
                    },
                    Span::text("。"),
                ],
            },
        ]);
        assert_eq!(render(&d, OutputFormat::Text), "小标题\n\n见链接。\n");
    }

    #[test]
    fn markdown_escapes_and_styles() {
        let d = doc(vec![
            Block::Heading {
                level: 2,
                spans: vec![Span::text("A*B")],
            },
            Block::Paragraph {
                spans: vec![Span::bold("粗体"), Span::text(" 1 < 2 & x &amp; [y]")],
            },
            Block::Paragraph {
                spans: vec![Span::text("1. not a list")],
            },
            Block::Code {
                lang: Some("rust".into()),
                text: "fn main() {}".into(),
            },
            Block::List {
                ordered: true,
                items: vec![
                    vec![Block::Paragraph {
                        spans: vec![Span::text("one")],
                    }],
                    vec![Block::Paragraph {
                        spans: vec![Span::text("two")],
                    }],
                ],
            },
            Block::Table {
                rows: vec![
                    vec![vec![Span::text("h1")], vec![Span::text("h|2")]],
                    vec![vec![Span::text("a")], vec![Span::text("b")]],
                ],
            },
        ]);
        let md = render(&d, OutputFormat::Markdown);
        assert_eq!(
            md,
            "## A\\*B\n\n**粗体** 1 \\< 2 & x \\&amp; \\[y\\]\n\n1\\. not a list\n\n```rust\nfn main() {}\n```\n\n1. one\n2. two\n\n| h1 | h\\|2 |\n| --- | --- |\n| a | b |\n"
        );
    }

    #[test]
    fn json_is_the_block_tree() {
        let d = doc(vec![
            Block::Paragraph {
                spans: vec![Span::bold("x")],
            },
            Block::Rule,
        ]);
        let json = render(&d, OutputFormat::Json);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["blocks"][0]["type"], "paragraph");
        assert_eq!(value["blocks"][0]["spans"][0]["bold"], true);
        assert_eq!(value["blocks"][1]["type"], "rule");
    }
}
