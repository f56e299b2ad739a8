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
mod hexo;
mod html;
mod markdown;
mod model;
pub mod quality;
mod render;
pub mod rules;
mod text;

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

/// Resolve an image `src` from a post body to what Folio stores.
///
/// - URLs with a scheme stay as written; protocol-relative `//host/x` gets `https:`;
///   an `http(s)` URL loses its `#fragment` (never sent to the server; CSDN's
///   `#pic_center` layout hints). Proxy URLs (`https://cors.zfour.workers.dev/?http://…`)
///   are kept as-is for the thumbnail module to judge.
/// - `/x.jpg` is relative to the site root: `source/` for Hexo (`post_dir` under
///   `source/`), `static/` for Hugo (`post_dir` under `content/`), else the archive root.
/// - anything else is relative to `post_dir`.
///
/// Returns a normalized archive-relative path, or `None` for an empty `src` or a
/// relative path that climbs above the archive root (never resolved outside it).
pub fn resolve_src(src: &str, post_dir: &str) -> Option<String> {
    let src = src.trim();
    if src.is_empty() {
        return None;
    }
    if let Some(rest) = src.strip_prefix("//") {
        return Some(strip_fragment(&format!("https://{rest}")));
    }
    if has_scheme(src) {
        return Some(strip_fragment(src));
    }
    let src = src.replace('\\', "/");
    let path = src.split(['?', '#']).next().unwrap_or("");
    let base = if path.starts_with('/') {
        site_root(post_dir)
    } else {
        post_dir
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in base.split('/').chain(path.split('/')) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

fn site_root(post_dir: &str) -> &'static str {
    let first = post_dir
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    match first {
        "source" => "source",
        "content" => "static",
        _ => "",
    }
}

fn has_scheme(src: &str) -> bool {
    let Some((scheme, _)) = src.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        // A Windows drive letter is a path, not a scheme.
        && scheme.len() > 1
}

fn strip_fragment(url: &str) -> String {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        url.split('#').next().unwrap_or(url).to_string()
    } else {
        url.to_string()
    }
}

/// The post's best image for thumbnails: the first front-matter candidate (pass them in
/// `headimg`, `thumbnail`, `cover`, `image` order) that is not junk, else the first real
/// image of the cleaned body, else `None`.
pub fn best_image<'a>(
    front_matter_candidates: impl IntoIterator<Item = &'a str>,
    doc: &Document,
) -> Option<String> {
    front_matter_candidates
        .into_iter()
        .map(str::trim)
        .find(|c| !is_junk_image_url(c))
        .map(str::to_string)
        .or_else(|| {
            doc.images().into_iter().find_map(|block| match block {
                Block::Image { src, .. } if !is_junk_image_url(src) => Some(src.clone()),
                _ => None,
            })
        })
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

    #[test]
    fn resolves_image_sources() {
        let dir = "source/_posts/金融/新浪财经/x";
        assert_eq!(
            resolve_src("a.jpg", dir).as_deref(),
            Some("source/_posts/金融/新浪财经/x/a.jpg")
        );
        assert_eq!(
            resolve_src("./img/../a.jpg", dir).as_deref(),
            Some("source/_posts/金融/新浪财经/x/a.jpg")
        );
        assert_eq!(
            resolve_src("../a.jpg", dir).as_deref(),
            Some("source/_posts/金融/新浪财经/a.jpg")
        );
        assert_eq!(
            resolve_src("/images/a.jpg", dir).as_deref(),
            Some("source/images/a.jpg")
        );
        assert_eq!(
            resolve_src("/images/a.jpg", "content/posts/x").as_deref(),
            Some("static/images/a.jpg")
        );
        assert_eq!(resolve_src("/a.jpg", "_posts").as_deref(), Some("a.jpg"));
        assert_eq!(resolve_src("../../../../../../etc/passwd", dir), None);
        assert_eq!(resolve_src("/../../a.jpg", dir), None);
        assert_eq!(resolve_src("  ", dir), None);
        assert_eq!(
            resolve_src("//n.sinaimg.cn/a.jpg", dir).as_deref(),
            Some("https://n.sinaimg.cn/a.jpg")
        );
        assert_eq!(
            resolve_src("https://img-blog.csdnimg.cn/a.png#pic_center", dir).as_deref(),
            Some("https://img-blog.csdnimg.cn/a.png")
        );
        let proxy = "https://cors.zfour.workers.dev/?http://example.com/a.png";
        assert_eq!(resolve_src(proxy, dir).as_deref(), Some(proxy));
        assert_eq!(
            resolve_src("c:\\img\\a.png", "").as_deref(),
            Some("c:/img/a.png")
        );
    }

    #[test]
    fn best_image_skips_junk_candidates() {
        let doc = Document {
            blocks: vec![
                Block::Image {
                    src: "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png".into(),
                    alt: String::new(),
                    caption: None,
                },
                Block::Image {
                    src: "https://example.com/real.jpg".into(),
                    alt: String::new(),
                    caption: None,
                },
            ],
        };
        let qr = "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png";
        assert_eq!(
            best_image([qr, "https://picsum.photos/400/300?random=1", ""], &doc).as_deref(),
            Some("https://example.com/real.jpg")
        );
        assert_eq!(
            best_image([qr, "https://example.com/cover.png"], &doc).as_deref(),
            Some("https://example.com/cover.png")
        );
        assert_eq!(best_image([qr], &Document::default()), None);
    }
}
