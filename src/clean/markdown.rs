//! Markdown → blocks, by way of HTML.
//!
//! The Markdown is rendered to HTML with `pulldown-cmark` and that HTML goes through the
//! same walker and junk rules as scraped bodies. Raw HTML inside Markdown (common in
//! Jekyll/Hugo archives) is therefore cleaned by exactly the same rules, and there is a
//! single place where blocks are built.

use pulldown_cmark::{Options, Parser, html};

use super::CleanContext;
use super::model::Block;

/// Clean a Markdown body into blocks.
pub fn blocks_from_markdown(markdown: &str, ctx: &CleanContext) -> Vec<Block> {
    super::html::blocks_from_html(&to_html(markdown), ctx)
}

/// Render a Markdown body (Hexo tags expanded) to HTML, raw HTML passed through.
pub fn to_html(markdown: &str) -> String {
    // The crawler wrote braces as entities everywhere, including code, where CommonMark
    // would not decode them.
    let source = markdown.replace("&#123;", "{").replace("&#125;", "}");
    let source = super::hexo::expand_tags(&source, true);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let parser = Parser::new_ext(&source, options);
    let mut rendered = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut rendered, parser);
    rendered
}
