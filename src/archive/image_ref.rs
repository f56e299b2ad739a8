//! Image references as written in posts, resolved once against the post's place.
//!
//! A post names an image by URL (`https://…`, `//host/…`, `data:…`), by a path relative
//! to its own folder (`img/a.png`) or by a site-absolute path (`/images/a.png`, meant
//! for the site's `source/` or `static/` folder). The same text names different files
//! in posts of different folders, so a reference is typed the moment it is read:
//! [`ImageRef::parse`] takes the post's folder and says which kind the reference is and,
//! for a post-relative path, where it is from the archive root. Nothing downstream joins
//! a post's folder again: `thumbs` loads a [`ImageRef::File`] from the archive root and
//! a [`ImageRef::Site`] from the site's root folders, `clean` shows what it is given.
//!
//! A relative path that climbs above the archive root (`../../x.png` in a top-level
//! post) is kept as [`ImageRef::Outside`]: shown as written, never loaded.

use std::fmt;

/// Where an image reference written in a post points.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImageRef {
    /// A URL with a scheme, as written (a protocol-relative `//host/x` gets `https:`;
    /// an `http(s)` URL loses its `#fragment`, which is never sent). Which schemes may
    /// be loaded is for `thumbs` to judge: `file://` never is.
    Url(String),
    /// A file inside the archive: a normalized, `/`-separated path from the archive
    /// root, without `?query` or `#fragment`.
    File(String),
    /// A site-absolute path as written (`/images/a.png`, normalized, without query),
    /// looked up under the site's root folders.
    Site(String),
    /// A relative path that leaves the archive, as written: shown, never loaded.
    Outside(String),
}

impl ImageRef {
    /// Types `written` (trimmed) for a post in `post_dir` (the post's folder relative to
    /// the archive root, `/`-separated). `None` for an empty reference.
    pub fn parse(written: &str, post_dir: &str) -> Option<Self> {
        let written = written.trim();
        if written.is_empty() {
            return None;
        }
        if let Some(rest) = written.strip_prefix("//") {
            return Some(Self::Url(strip_fragment(&format!("https://{rest}"))));
        }
        if has_scheme(written) {
            return Some(Self::Url(strip_fragment(written)));
        }
        let slashed = written.replace('\\', "/");
        let path = slashed.split(['?', '#']).next().unwrap_or_default();
        if is_drive_path(path) {
            // `C:/x.png`: an absolute Windows path, outside any archive.
            return Some(Self::Outside(written.to_owned()));
        }
        if path.starts_with('/') {
            return Some(match normalize("", path) {
                Some(parts) if !parts.is_empty() => Self::Site(format!("/{parts}")),
                _ => Self::Outside(written.to_owned()),
            });
        }
        match normalize(post_dir, path) {
            Some(parts) if !parts.is_empty() => Some(Self::File(parts)),
            _ => Some(Self::Outside(written.to_owned())),
        }
    }

    /// The reference as Folio shows and prints it: the URL, the archive-relative path,
    /// the site-absolute path, or the text as written.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Url(s) | Self::File(s) | Self::Site(s) | Self::Outside(s) => s,
        }
    }

    /// Whether the reference could name a loadable image: not outside the archive, and
    /// not a URL scheme Folio never loads (`file:`, `javascript:`, …).
    pub fn may_load(&self) -> bool {
        match self {
            Self::Url(url) => {
                let scheme = url.split(':').next().unwrap_or_default();
                ["http", "https", "data"]
                    .iter()
                    .any(|s| scheme.eq_ignore_ascii_case(s))
            }
            Self::File(_) | Self::Site(_) => true,
            Self::Outside(_) => false,
        }
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ImageRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// `base` joined with `path`, `.`/`..` applied; `None` when `..` climbs above the root.
fn normalize(base: &str, path: &str) -> Option<String> {
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
    Some(parts.join("/"))
}

fn is_drive_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.next() == Some(':')
        && matches!(chars.next(), Some('/') | None)
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
        url.split('#').next().unwrap_or(url).to_owned()
    } else {
        url.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(written: &str, dir: &str) -> Option<ImageRef> {
        ImageRef::parse(written, dir)
    }

    #[test]
    fn post_relative_paths_become_archive_paths() {
        let dir = "news/feed";
        assert_eq!(
            parse("img/red.png", dir),
            Some(ImageRef::File("news/feed/img/red.png".into()))
        );
        assert_eq!(
            parse("./img/../a.jpg?x=1", dir),
            Some(ImageRef::File("news/feed/a.jpg".into()))
        );
        assert_eq!(
            parse("../a.jpg", dir),
            Some(ImageRef::File("news/a.jpg".into()))
        );
        assert_eq!(
            parse("c:\\img\\a.png", ""),
            Some(ImageRef::Outside("c:\\img\\a.png".into()))
        );
    }

    #[test]
    fn site_paths_and_escapes_stay_as_written() {
        assert_eq!(
            parse("/images/a.jpg", "source/_posts/x"),
            Some(ImageRef::Site("/images/a.jpg".into()))
        );
        let escape = parse("../../../i/a.png", "x");
        assert_eq!(escape, Some(ImageRef::Outside("../../../i/a.png".into())));
        assert!(!escape.is_some_and(|r| r.may_load()));
        assert_eq!(
            parse("/../../a.jpg", "x"),
            Some(ImageRef::Outside("/../../a.jpg".into()))
        );
        assert_eq!(parse("  ", "x"), None);
    }

    #[test]
    fn urls_keep_their_text_and_file_urls_never_load() {
        assert_eq!(
            parse("//n.sinaimg.cn/a.jpg", "x"),
            Some(ImageRef::Url("https://n.sinaimg.cn/a.jpg".into()))
        );
        assert_eq!(
            parse("https://img-blog.csdnimg.cn/a.png#pic_center", "x"),
            Some(ImageRef::Url("https://img-blog.csdnimg.cn/a.png".into()))
        );
        let proxy = "https://cors.zfour.workers.dev/?http://a.com/b.jpg";
        assert_eq!(parse(proxy, "x"), Some(ImageRef::Url(proxy.into())));
        let file = parse("file:///etc/shadow", "x");
        assert_eq!(file, Some(ImageRef::Url("file:///etc/shadow".into())));
        assert!(!file.is_some_and(|r| r.may_load()));
        assert!(parse("data:image/png;base64,AAAA", "x").is_some_and(|r| r.may_load()));
    }
}
