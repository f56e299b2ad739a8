//! Cleaned article bodies: scraped HTML or Markdown → a small tree of readable blocks.
//!
//! Owns everything between "the body text of a post" and "what a person should read":
//! detecting HTML vs Markdown, parsing (`scraper` for HTML, `pulldown-cmark` for
//! Markdown, whose raw HTML then goes through the same HTML walker), removing junk with
//! a data-driven rule table ([`rules`]), normalizing text, resolving image paths against
//! the post's folder, choosing a post's best image, and rendering the result as text,
//! Markdown or JSON ([`render`]).
//!
//! Design: real archives are scraped news pages made of many short Chinese paragraphs,
//! where readability-style scoring throws the article away with the chrome. So nothing
//! here guesses what the article is; instead, explicit rules (generic and per site) say
//! what is *not* article, and everything else is kept. Pure functions, no egui, no I/O:
//! the UI calls [`clean_body`] on a worker thread, the CLI calls it directly.
//!
//! ```
//! use folio::clean::{clean_body, render, CleanContext, OutputFormat};
//! let ctx = CleanContext { title: Some("标题"), post_dir: "source/_posts/x" };
//! let doc = clean_body("<div><p>　　正文&#123;一&#125;</p><p>责任编辑：某</p></div>", &ctx);
//! assert_eq!(render(&doc, OutputFormat::Text), "正文{一}\n");
//! ```

mod code;
mod depth;
mod hexo;
mod html;
mod html_out;
mod markdown;
mod model;
pub mod quality;
mod render;
pub mod rules;
mod text;

pub use html_out::{escape_html, image_as_written, render_html};
pub use model::{Block, Document, Span, plain_text};
pub use render::{OutputFormat, render};
pub use rules::is_junk_image_url;

/// Where a body comes from, for rules that need more than the body itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct CleanContext<'a> {
    /// The post's title, used to drop an `原标题：` line that merely repeats it.
    pub title: Option<&'a str>,
    /// The post's folder relative to the archive root, `/`-separated
    /// (e.g. `source/_posts/金融/新浪财经/x`); relative image paths resolve against it.
    pub post_dir: &'a str,
}

/// Cleans a loaded post's body in its own context (its title, its folder): the one way
/// the app, the CLI and every other reader turn a post into readable blocks.
pub fn clean_post(post: &crate::archive::Post) -> Document {
    let article = &post.article;
    let title = article.front.display_title();
    let post_dir = article
        .path
        .parent()
        .map(crate::archive::slash_path)
        .unwrap_or_default();
    let ctx = CleanContext {
        title: Some(title.as_ref()).filter(|t| !t.is_empty()),
        post_dir: &post_dir,
    };
    clean_body(post.readable_body(), &ctx)
}

/// Clean a post body (HTML or Markdown, detected) into readable blocks.
pub fn clean_body(body: &str, ctx: &CleanContext) -> Document {
    let blocks = if looks_like_html(body) {
        let source = hexo::expand_tags(body, false);
        html::blocks_from_html(&source, ctx)
    } else {
        markdown::blocks_from_markdown(body, ctx)
    };
    Document { blocks }
}

/// Is this body HTML (as opposed to Markdown)?
///
/// Scraped bodies start with a tag (the crawler wraps them in `<div>`); a Markdown body
/// starts with text, `#`, `!`, `[`, … Markdown that opens with raw HTML is still
/// handled correctly by the Markdown path's HTML pass-through, but indented HTML would
/// turn into code there, so a leading tag decides for HTML.
pub fn looks_like_html(body: &str) -> bool {
    let trimmed = body.trim_start_matches(text::is_layout_space);
    let mut chars = trimmed.chars();
    if chars.next() != Some('<') {
        return false;
    }
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '!')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_html_and_markdown() {
        assert!(looks_like_html("\n<div>   \n<p>x</p></div>"));
        assert!(looks_like_html("<!-- c --><p>x</p>"));
        assert!(!looks_like_html("# Title\n\ntext"));
        assert!(!looks_like_html("a < b"));
        assert!(!looks_like_html(""));
    }
}
