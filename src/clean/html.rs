//! HTML → blocks: one walk over the `scraper` tree, applying the rule table as it goes.
//!
//! The walker keeps a pending run of inline spans and flushes it into a paragraph
//! whenever a block-level element starts or ends, so the many shapes scraped pages
//! take (`<p>`s, bare text with `<br>`s inside a `<div>`, images inside paragraphs,
//! single-cell layout tables) all come out as the same flat block list. Comments and
//! processing instructions are skipped outright: Sina hides whole ad lists in them.

use scraper::{ElementRef, Html, Node};

use super::CleanContext;
use super::code::{code_block, collect_code_text};
use super::model::{Block, Span};
use super::rules::{self, Action};
use super::text::{self, is_layout_space};
use crate::archive::ImageRef;

/// A bold-only paragraph longer than this (in chars) stays a paragraph: it is emphasis,
/// not a subhead.
const MAX_PROMOTED_HEADING_CHARS: usize = 60;

/// Heading level given to bold-only paragraphs.
const PROMOTED_HEADING_LEVEL: u8 = 3;

/// Clean an HTML body into blocks.
pub fn blocks_from_html(html: &str, ctx: &CleanContext) -> Vec<Block> {
    // Bounded first: the walk below recurses once per level.
    let html = super::depth::cap_nesting(html, super::depth::MAX_NESTING);
    let document = Html::parse_fragment(&html);
    let walker = Walker { ctx };
    let mut sink = Sink::default();
    walker.walk_children(document.root_element(), &mut sink, Style::default());
    walker.flush(&mut sink);
    sink.blocks
}

#[derive(Debug, Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
}

/// A block container being filled: finished blocks plus the pending inline run.
#[derive(Default)]
struct Sink {
    blocks: Vec<Block>,
    inline: Vec<Span>,
}

struct Walker<'c, 'a> {
    ctx: &'c CleanContext<'a>,
}

impl Walker<'_, '_> {
    fn walk_children(&self, element: ElementRef<'_>, sink: &mut Sink, style: Style) {
        for child in element.children() {
            self.walk(child.value(), ElementRef::wrap(child), sink, style);
        }
    }

    /// One child node: text joins the pending run, elements are dispatched, comments
    /// and everything else vanish.
    fn walk(&self, node: &Node, element: Option<ElementRef<'_>>, sink: &mut Sink, style: Style) {
        match (node, element) {
            (Node::Text(text), _) => sink.inline.push(Span::Text {
                text: text.to_string(),
                bold: style.bold,
                italic: style.italic,
            }),
            (Node::Element(_), Some(element)) => self.element(element, sink, style),
            _ => {}
        }
    }

    /// Turn the pending inline run into paragraphs (or promoted headings), dropping
    /// junk paragraphs.
    fn flush(&self, sink: &mut Sink) {
        if sink.inline.is_empty() {
            return;
        }
        let spans = text::normalize_spans(std::mem::take(&mut sink.inline));
        for part in text::split_at_double_breaks(spans) {
            if let Some(block) = self.paragraph(part) {
                sink.blocks.push(block);
            }
        }
    }

    fn paragraph(&self, spans: Vec<Span>) -> Option<Block> {
        if !text::has_visible_text(&spans) {
            return None;
        }
        let plain = super::model::plain_text(&spans);
        let plain = plain.trim_matches(is_layout_space);
        if rules::is_junk_paragraph(plain, self.ctx.title) {
            return None;
        }
        if text::is_all_bold(&spans) && plain.chars().count() <= MAX_PROMOTED_HEADING_CHARS {
            return Some(Block::Heading {
                level: PROMOTED_HEADING_LEVEL,
                spans: text::without_bold(spans),
            });
        }
        Some(Block::Paragraph { spans })
    }

    /// Walk an element's children into a fresh container and return its blocks.
    fn sub_blocks(&self, element: ElementRef<'_>, style: Style) -> Vec<Block> {
        let mut sub = Sink::default();
        self.walk_children(element, &mut sub, style);
        self.flush(&mut sub);
        sub.blocks
    }

    fn element(&self, element: ElementRef<'_>, sink: &mut Sink, mut style: Style) {
        let el = element.value();
        if let Some(rule) = rules::element_rule(el) {
            match rule.action {
                Action::Drop => return,
                Action::Bold => style.bold = true,
                Action::Caption => {
                    if self.attach_caption(element, sink) {
                        return;
                    }
                }
            }
        }
        apply_inline_style(el, &mut style);
        let name = el.name();
        match name {
            "br" => sink.inline.push(Span::LineBreak),
            "hr" => {
                self.flush(sink);
                sink.blocks.push(Block::Rule);
            }
            "img" => self.image(element, sink),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading(element, sink, style),
            "ul" | "ol" => self.list(element, sink, name == "ol", style),
            "blockquote" => {
                self.flush(sink);
                let blocks = self.sub_blocks(element, style);
                if !blocks.is_empty() {
                    sink.blocks.push(Block::Quote { blocks });
                }
            }
            "pre" | "listing" | "xmp" => {
                self.flush(sink);
                if let Some(block) = code_block(element) {
                    sink.blocks.push(block);
                }
            }
            "code" | "kbd" | "samp" | "tt" => {
                let mut code = String::new();
                collect_code_text(element, &mut code);
                sink.inline.push(Span::Code { text: code });
            }
            "table" => self.table(element, sink, style),
            "figcaption" | "caption" => {
                if !self.attach_caption(element, sink) {
                    self.block_container(element, sink, style);
                }
            }
            "iframe" | "video" | "audio" | "embed" | "object" => self.embed(element, sink),
            "a" => self.link(element, sink, style),
            "source" | "track" | "param" | "area" | "map" | "wbr" => {}
            _ if is_block_container(name) => self.block_container(element, sink, style),
            _ => self.walk_children(element, sink, style),
        }
    }

    fn block_container(&self, element: ElementRef<'_>, sink: &mut Sink, style: Style) {
        self.flush(sink);
        self.walk_children(element, sink, style);
        self.flush(sink);
    }

    /// Give the previous image this element's text as its caption. Returns false (and
    /// does nothing) when there is no captionless image right before it.
    fn attach_caption(&self, element: ElementRef<'_>, sink: &mut Sink) -> bool {
        if text::has_visible_text(&sink.inline) {
            return false;
        }
        let caption = text::collapse_whitespace(&element.text().collect::<String>());
        let caption = caption.trim();
        match sink.blocks.last_mut() {
            Some(Block::Image { caption: slot, .. }) if slot.is_none() => {
                if !caption.is_empty() {
                    *slot = Some(caption.to_string());
                }
                sink.inline.clear();
                true
            }
            _ => caption.is_empty(),
        }
    }

    fn image(&self, element: ElementRef<'_>, sink: &mut Sink) {
        let el = element.value();
        if rules::is_tracking_image(el) {
            return;
        }
        let candidates = ["src", "data-src", "data-original", "_src", "data-actualsrc"];
        let src = candidates
            .iter()
            .filter_map(|attr| el.attr(attr))
            .map(str::trim)
            .find(|src| !rules::is_junk_image_url(src));
        let Some(src) = src.and_then(|src| ImageRef::parse(src, self.ctx.post_dir)) else {
            return;
        };
        if rules::is_junk_image_url(src.as_str()) {
            return;
        }
        self.flush(sink);
        let alt = text::collapse_whitespace(el.attr("alt").unwrap_or(""));
        let title = el.attr("title").map(text::collapse_whitespace);
        sink.blocks.push(Block::Image {
            src,
            alt: alt.trim().to_string(),
            caption: title
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
        });
    }

    fn heading(&self, element: ElementRef<'_>, sink: &mut Sink, style: Style) {
        self.flush(sink);
        let level = element
            .value()
            .name()
            .strip_prefix('h')
            .and_then(|n| n.parse::<u8>().ok())
            .unwrap_or(PROMOTED_HEADING_LEVEL);
        let mut sub = Sink::default();
        self.walk_children(element, &mut sub, style);
        let spans = text::without_bold(text::normalize_spans(std::mem::take(&mut sub.inline)));
        let plain = super::model::plain_text(&spans);
        if text::has_visible_text(&spans)
            && !rules::is_junk_paragraph(plain.trim_matches(is_layout_space), self.ctx.title)
        {
            sink.blocks.push(Block::Heading { level, spans });
        }
        sink.blocks.append(&mut sub.blocks);
    }

    fn list(&self, element: ElementRef<'_>, sink: &mut Sink, ordered: bool, style: Style) {
        self.flush(sink);
        let mut items: Vec<Vec<Block>> = Vec::new();
        let mut loose = Sink::default();
        for child in element.children() {
            match ElementRef::wrap(child) {
                Some(item) if item.value().name() == "li" => {
                    self.flush(&mut loose);
                    if !loose.blocks.is_empty() {
                        items.push(std::mem::take(&mut loose.blocks));
                    }
                    let blocks = self.sub_blocks(item, style);
                    if !blocks.is_empty() {
                        items.push(blocks);
                    }
                }
                _ => self.walk(child.value(), ElementRef::wrap(child), &mut loose, style),
            }
        }
        self.flush(&mut loose);
        if !loose.blocks.is_empty() {
            items.push(loose.blocks);
        }
        if !items.is_empty() {
            sink.blocks.push(Block::List { ordered, items });
        }
    }

    fn table(&self, element: ElementRef<'_>, sink: &mut Sink, style: Style) {
        self.flush(sink);
        let mut rows: Vec<Vec<ElementRef<'_>>> = Vec::new();
        let mut captions = Vec::new();
        collect_rows(element, &mut rows, &mut captions);
        let max_cells = rows.iter().map(Vec::len).max().unwrap_or(0);
        let layout = max_cells <= 1
            || rows.iter().flatten().any(|cell| {
                cell.descendent_elements()
                    .any(|d| is_layout_content(d.value().name()))
            });
        for caption in captions {
            self.block_container(caption, sink, style);
        }
        if layout {
            for cell in rows.iter().flatten() {
                self.block_container(*cell, sink, style);
            }
            return;
        }
        let mut out_rows = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut out_row = Vec::with_capacity(row.len());
            for cell in row {
                let mut sub = Sink::default();
                self.walk_children(*cell, &mut sub, style);
                out_row.push(cell_spans(sub));
            }
            if out_row.iter().any(|cell| text::has_visible_text(cell)) {
                out_rows.push(out_row);
            }
        }
        if !out_rows.is_empty() {
            sink.blocks.push(Block::Table { rows: out_rows });
        }
    }

    fn embed(&self, element: ElementRef<'_>, sink: &mut Sink) {
        let el = element.value();
        let attr = if el.name() == "object" { "data" } else { "src" };
        let url = el
            .attr(attr)
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .or_else(|| {
                element
                    .child_elements()
                    .filter(|c| c.value().name() == "source")
                    .find_map(|c| c.value().attr("src"))
                    .map(str::trim)
            });
        let Some(url) = url.filter(|u| !u.is_empty() && !u.starts_with("about:")) else {
            return;
        };
        self.flush(sink);
        sink.blocks.push(Block::Embed {
            url: absolutize_protocol_relative(url),
            kind: el.name().to_string(),
        });
    }

    fn link(&self, element: ElementRef<'_>, sink: &mut Sink, style: Style) {
        let href = element.value().attr("href").map(str::trim).unwrap_or("");
        let usable = !href.is_empty()
            && !href.starts_with('#')
            && !href.to_ascii_lowercase().starts_with("javascript:");
        let wraps_image = element
            .descendent_elements()
            .any(|d| d.value().name() == "img")
            && element
                .text()
                .all(|t| t.trim_matches(is_layout_space).is_empty());
        if !usable || wraps_image {
            self.walk_children(element, sink, style);
            return;
        }
        let outer = std::mem::take(&mut sink.inline);
        self.walk_children(element, sink, style);
        let inner = std::mem::replace(&mut sink.inline, outer);
        sink.inline.push(Span::Link {
            url: absolutize_protocol_relative(href),
            spans: inner,
        });
    }
}

/// Elements that start and end a paragraph.
fn is_block_container(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "center"
            | "figure"
            | "picture"
            | "dl"
            | "dt"
            | "dd"
            | "address"
            | "details"
            | "summary"
            | "li"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "html"
            | "body"
            | "fieldset"
            | "hgroup"
    )
}

/// Content that means a table is page layout, not data.
fn is_layout_content(name: &str) -> bool {
    matches!(
        name,
        "table"
            | "img"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "pre"
            | "blockquote"
            | "iframe"
            | "video"
            | "figure"
    )
}

fn apply_inline_style(el: &scraper::node::Element, style: &mut Style) {
    match el.name() {
        "strong" | "b" => style.bold = true,
        "em" | "i" | "cite" | "dfn" | "var" => style.italic = true,
        _ => {}
    }
    if let Some(css) = el.attr("style") {
        let css: String = css
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        for decl in css.split(';') {
            match decl.split_once(':') {
                Some(("font-weight", "bold" | "bolder" | "600" | "700" | "800" | "900")) => {
                    style.bold = true;
                }
                Some(("font-weight", "normal" | "400" | "300" | "lighter")) => style.bold = false,
                Some(("font-style", "italic" | "oblique")) => style.italic = true,
                Some(("font-style", "normal")) => style.italic = false,
                _ => {}
            }
        }
    }
}

/// `//host/x` → `https://host/x`; everything else unchanged.
fn absolutize_protocol_relative(url: &str) -> String {
    match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    }
}

fn collect_rows<'a>(
    table: ElementRef<'a>,
    rows: &mut Vec<Vec<ElementRef<'a>>>,
    captions: &mut Vec<ElementRef<'a>>,
) {
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => rows.push(
                child
                    .child_elements()
                    .filter(|c| matches!(c.value().name(), "td" | "th"))
                    .collect(),
            ),
            "thead" | "tbody" | "tfoot" => collect_rows(child, rows, captions),
            "caption" => captions.push(child),
            _ => {}
        }
    }
}

/// A data cell's content as one run of spans; paragraphs inside it become line breaks.
fn cell_spans(mut sub: Sink) -> Vec<Span> {
    let mut spans = Vec::new();
    for block in sub.blocks.drain(..) {
        match block {
            Block::Paragraph { spans: s } | Block::Heading { spans: s, .. } => {
                if !spans.is_empty() {
                    spans.push(Span::LineBreak);
                }
                spans.extend(s);
            }
            Block::Image { alt, .. } if !alt.is_empty() => spans.push(Span::text(alt)),
            _ => {}
        }
    }
    if !sub.inline.is_empty() && !spans.is_empty() {
        spans.push(Span::LineBreak);
    }
    spans.append(&mut sub.inline);
    text::normalize_spans(spans)
}
