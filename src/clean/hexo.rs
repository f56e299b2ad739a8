//! Hexo tag plugins (`{% link text url %}`, `{% img … %}`, …) rewritten to plain HTML
//! before parsing, so they become links and images instead of raw text.
//!
//! Done on the source string because the tags appear both in Markdown bodies and in
//! raw HTML, and because the crawler wrote their braces as `&#123;%`/`%&#125;`, which
//! must be undone first. Only tags we know are rewritten; an unknown `{% … %}` is left
//! as written, because it may be template code quoted in a programming article.
//! Pure wrapper tags (`{% raw %}`, `{% note %}` …) are removed and their content kept.

use std::borrow::Cow;

use html_escape::{encode_double_quoted_attribute, encode_text};

/// Rewrite every `{% … %}` tag in `source` to HTML (or nothing). `markdown` selects how
/// code blocks are rewritten (a fence in Markdown, `<pre>` in HTML).
pub fn expand_tags(source: &str, markdown: bool) -> Cow<'_, str> {
    let source: Cow<'_, str> = if source.contains("&#123;%") || source.contains("%&#125;") {
        Cow::Owned(source.replace("&#123;%", "{%").replace("%&#125;", "%}"))
    } else {
        Cow::Borrowed(source)
    };
    if !source.contains("{%") {
        return source;
    }
    let mut out = String::with_capacity(source.len());
    let mut rest: &str = &source;
    while let Some(start) = rest.find("{%") {
        let (before, tail) = rest.split_at(start);
        out.push_str(before);
        let Some(end) = tail.find("%}") else {
            out.push_str(tail);
            rest = "";
            break;
        };
        let inner = tail.get(2..end).unwrap_or("").trim();
        match tag_to_html(inner, markdown) {
            Some(html) => out.push_str(&html),
            None => out.push_str(tail.get(..end + 2).unwrap_or("")),
        }
        rest = tail.get(end + 2..).unwrap_or("");
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn looks_like_target(token: &str) -> bool {
    token.contains("://")
        || token.starts_with('/')
        || token.starts_with("./")
        || token.starts_with("../")
        || token.starts_with("mailto:")
        || token.starts_with('#')
}

fn tag_to_html(inner: &str, markdown: bool) -> Option<String> {
    let mut words = inner.split_whitespace();
    let name = words.next().unwrap_or("");
    let args: Vec<&str> = words.collect();
    let html = match name {
        "link" => {
            let Some(at) = args.iter().position(|a| looks_like_target(a)) else {
                return Some(encode_text(&args.join(" ")).into_owned());
            };
            let url = args.get(at).copied().unwrap_or("");
            let text = args.get(..at).map(|t| t.join(" ")).unwrap_or_default();
            let text = if text.is_empty() {
                url.to_string()
            } else {
                text
            };
            format!(
                "<a href=\"{}\">{}</a>",
                encode_double_quoted_attribute(url),
                encode_text(&text)
            )
        }
        "img" | "image" => {
            let Some(at) = args
                .iter()
                .position(|a| looks_like_target(a) || a.contains('.'))
            else {
                return Some(String::new());
            };
            let src = args.get(at).copied().unwrap_or("");
            let rest = args.get(at + 1..).unwrap_or(&[]);
            let alt: Vec<&str> = rest
                .iter()
                .copied()
                .filter(|a| a.parse::<u32>().is_err())
                .collect();
            let alt = alt.join(" ");
            let alt = alt.trim_matches(|c| c == '"' || c == '\'');
            format!(
                "<img src=\"{}\" alt=\"{}\">",
                encode_double_quoted_attribute(src),
                encode_double_quoted_attribute(alt)
            )
        }
        "asset_img" | "asset_image" => {
            let src = args.first().copied().unwrap_or("");
            let alt = args.get(1..).map(|t| t.join(" ")).unwrap_or_default();
            format!(
                "<img src=\"{}\" alt=\"{}\">",
                encode_double_quoted_attribute(src),
                encode_double_quoted_attribute(alt.trim_matches('"'))
            )
        }
        "youtube" => match args.first() {
            Some(id) => format!(
                "<iframe src=\"https://www.youtube.com/embed/{}\"></iframe>",
                encode_double_quoted_attribute(id)
            ),
            None => String::new(),
        },
        "codeblock" | "code" => {
            let lang = args
                .iter()
                .find_map(|a| a.strip_prefix("lang:"))
                .unwrap_or("");
            if markdown {
                format!("\n```{lang}\n")
            } else {
                format!(
                    "<pre><code class=\"language-{}\">",
                    encode_double_quoted_attribute(lang)
                )
            }
        }
        "endcodeblock" | "endcode" => {
            if markdown {
                "\n```\n".to_string()
            } else {
                "</code></pre>".to_string()
            }
        }
        "blockquote" | "quote" => "\n<blockquote>\n".to_string(),
        "endblockquote" | "endquote" => "\n</blockquote>\n".to_string(),
        "raw" | "endraw" | "note" | "endnote" | "center" | "endcenter" | "cq" | "endcq" => {
            String::new()
        }
        _ => return None,
    };
    Some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tag_becomes_anchor() {
        let out = expand_tags("见 {% link 少数派 首页 https://sspai.com/ %} 。", true);
        assert_eq!(out, "见 <a href=\"https://sspai.com/\">少数派 首页</a> 。");
    }

    #[test]
    fn crawler_encoded_braces_are_undone_first() {
        let out = expand_tags("&#123;% link Rust https://www.rust-lang.org %&#125;", false);
        assert_eq!(out, "<a href=\"https://www.rust-lang.org\">Rust</a>");
    }

    #[test]
    fn wrapper_tags_vanish_but_their_text_stays() {
        let out = expand_tags("{% note info %}注意{% endnote %}", true);
        assert_eq!(out, "注意");
    }

    #[test]
    fn unknown_tags_are_kept_verbatim() {
        let out = expand_tags("{% for post in site.posts %}x{% endfor %}", false);
        assert_eq!(out, "{% for post in site.posts %}x{% endfor %}");
    }

    #[test]
    fn image_and_youtube_tags() {
        assert_eq!(
            expand_tags("{% img left /images/a.png 300 200 Alt text %}", true),
            "<img src=\"/images/a.png\" alt=\"Alt text\">"
        );
        assert_eq!(
            expand_tags("{% youtube abc123 %}", true),
            "<iframe src=\"https://www.youtube.com/embed/abc123\"></iframe>"
        );
    }

    #[test]
    fn unterminated_tag_is_left_alone() {
        assert_eq!(expand_tags("a {% link b", true), "a {% link b");
    }
}
