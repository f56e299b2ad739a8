//! Code blocks: `<pre>` (and friends) to a verbatim [`Block::Code`].
//!
//! Separate from the walker because code is the one place where whitespace is kept
//! exactly, `<br>` means newline, and syntax-highlighting markup (`<strong>`, coloured
//! `<span>`s, 掘金's copy button) must vanish without leaving a trace in the text.

use scraper::{ElementRef, Node};

use super::model::Block;
use super::{rules, text};

/// Text of a code element: verbatim, `<br>` as newline, junk (copy buttons) left out.
pub(super) fn collect_code_text(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        match (child.value(), ElementRef::wrap(child)) {
            (Node::Text(t), _) => out.push_str(t),
            (Node::Element(el), Some(child)) => {
                if el.name() == "br" {
                    out.push('\n');
                } else if !rules::is_dropped_element(el) {
                    collect_code_text(child, out);
                }
            }
            _ => {}
        }
    }
}

pub(super) fn code_block(element: ElementRef<'_>) -> Option<Block> {
    let mut raw = String::new();
    collect_code_text(element, &mut raw);
    let raw = text::decode_crawler_braces(&raw).replace("\r\n", "\n");
    let trimmed = raw.trim_start_matches('\n').trim_end();
    if trimmed.trim().is_empty() {
        return None;
    }
    let lang = std::iter::once(element)
        .chain(
            element
                .child_elements()
                .filter(|c| c.value().name() == "code"),
        )
        .flat_map(|e| e.value().classes().collect::<Vec<_>>())
        .find_map(|class| {
            class
                .strip_prefix("language-")
                .or_else(|| class.strip_prefix("lang-"))
                .map(str::to_string)
        })
        .filter(|l| !l.is_empty());
    Some(Block::Code {
        lang,
        text: trimmed.to_string(),
    })
}
