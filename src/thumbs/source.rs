//! Image references as written in posts: which ones Folio will load, and from where.
//!
//! A post may name its image by `http(s)` URL, by `data:` URI, or by a path inside the
//! site (`/images/x.jpg` from the site root, `x.jpg` next to the post). Because posts are
//! untrusted text, this file is the security boundary of the thumbnail pipeline: only
//! those three kinds are accepted (`file://` and every other scheme are refused), and a
//! local path must stay inside the archive folder twice over — lexically when the
//! reference is parsed (no `..` climbing out, even percent-encoded) and again after the
//! file system has resolved symlinks ([`resolve_local`] canonicalizes and re-checks).
//!
//! Parsing ([`parse_reference`]) is pure string work so the UI thread can do it for
//! every visible row; resolving a local path touches the disk and runs on a worker.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::archive::ImageRef;

/// Folders under the archive root that a site-absolute path (`/images/x.jpg`) may live
/// in: Hexo's `source/`, Hugo's `static/`, and the root itself (Jekyll).
pub const SITE_ROOT_FOLDERS: [&str; 3] = ["source", "static", ""];

/// Characters percent-encoded in URLs before they are sent: controls, space, non-ASCII
/// (Chinese file names are common) and the ASCII characters an HTTP URI may not carry.
const URL_ENCODE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Why an image reference is refused or cannot be found.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum SourceError {
    /// The reference is empty.
    #[error("empty image reference")]
    Empty,
    /// `file://` URLs could point anywhere on the disk; posts may not use them.
    #[error("file:// URLs are refused: {0}")]
    FileUrlRefused(String),
    /// A scheme other than http, https and data.
    #[error("unsupported scheme {scheme:?}: {reference}")]
    UnsupportedScheme {
        /// The scheme as written.
        scheme: String,
        /// The whole reference.
        reference: String,
    },
    /// An http(s) URL that cannot be sent.
    #[error("malformed URL: {0}")]
    BadUrl(String),
    /// A local path that leaves the archive folder (by `..` or through a symlink).
    #[error("path leaves the archive folder: {0}")]
    EscapesArchive(String),
    /// A local path that names no file inside the archive.
    #[error("image file not found: {0}")]
    NotFound(String),
    /// A `data:` URI that cannot be decoded.
    #[error("malformed data: URI: {0}")]
    BadDataUri(String),
    /// A `data:` URI whose media type is not an image.
    #[error("data: URI is not an image ({0})")]
    NotAnImageDataUri(String),
    /// A `data:` URI larger than the download cap.
    #[error("data: URI larger than {max_bytes} bytes")]
    DataUriTooLarge {
        /// The cap.
        max_bytes: u64,
    },
}

/// A reference that passed the string checks. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParsedRef {
    /// An `http` or `https` URL, normalized (scheme lower-cased, `//host` made https,
    /// fragment dropped, unsafe characters percent-encoded).
    Http {
        /// The URL to request.
        url: Arc<str>,
    },
    /// A `data:` URI, kept whole; its payload is decoded on a worker.
    Data {
        /// The URI as written (trimmed).
        uri: Arc<str>,
    },
    /// A path inside the archive. Each candidate is a lexically normalized list of
    /// components relative to the archive root, tried in order.
    Local {
        /// Where the file may be, most likely first.
        candidates: Arc<[Vec<OsString>]>,
    },
}

/// A resolved source, ready to be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource {
    /// Download this URL.
    Http(Arc<str>),
    /// These bytes came from a `data:` URI.
    Data(Arc<[u8]>),
    /// This canonical path, known to be a file inside the archive.
    File(PathBuf),
}

/// Splits off a URI scheme (`http:` …) if the reference starts with one. A single
/// letter followed by `:` is a Windows drive, reported as the scheme `"c"` etc.
fn scheme_of(reference: &str) -> Option<&str> {
    let colon = reference.find(':')?;
    let scheme = reference.get(..colon)?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    if chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        Some(scheme)
    } else {
        None
    }
}

/// Checks a post's image reference (typed by [`ImageRef::parse`] against the post's
/// folder) and says where it points. Only `http`, `https` and `data:` URLs and paths
/// inside the archive pass.
pub fn parse_reference(image: &ImageRef) -> Result<ParsedRef, SourceError> {
    match image {
        ImageRef::Url(reference) => match scheme_of(reference) {
            Some(scheme) => match scheme.to_ascii_lowercase().as_str() {
                "http" | "https" => parse_http(reference),
                "data" => Ok(ParsedRef::Data {
                    uri: Arc::from(reference.as_str()),
                }),
                "file" => Err(SourceError::FileUrlRefused(reference.clone())),
                _ => Err(SourceError::UnsupportedScheme {
                    scheme: scheme.to_owned(),
                    reference: reference.clone(),
                }),
            },
            None => Err(SourceError::BadUrl(reference.clone())),
        },
        ImageRef::File(path) => parse_local(path, false),
        ImageRef::Site(path) => parse_local(path, true),
        ImageRef::Outside(written) => Err(SourceError::EscapesArchive(written.clone())),
    }
}

fn parse_http(reference: &str) -> Result<ParsedRef, SourceError> {
    let without_fragment = reference.split('#').next().unwrap_or(reference);
    let colon = without_fragment
        .find(':')
        .ok_or_else(|| SourceError::BadUrl(reference.to_owned()))?;
    let (scheme, rest) = without_fragment.split_at(colon);
    let after_slashes = rest
        .strip_prefix("://")
        .ok_or_else(|| SourceError::BadUrl(reference.to_owned()))?;
    let host_end = after_slashes
        .find(['/', '?'])
        .unwrap_or(after_slashes.len());
    let authority = after_slashes.get(..host_end).unwrap_or("");
    if authority.is_empty() || authority.starts_with(':') || authority.ends_with('@') {
        return Err(SourceError::BadUrl(reference.to_owned()));
    }
    let encoded = utf8_percent_encode(after_slashes, URL_ENCODE).to_string();
    let url = format!("{}://{}", scheme.to_ascii_lowercase(), encoded);
    if ureq::http::Uri::try_from(url.as_str()).is_err() {
        return Err(SourceError::BadUrl(reference.to_owned()));
    }
    Ok(ParsedRef::Http {
        url: Arc::from(url),
    })
}

/// The candidates for an archive path (`site`: a site-absolute one, tried under each
/// of [`SITE_ROOT_FOLDERS`]), as written and percent-decoded, each confined lexically.
fn parse_local(path: &str, site: bool) -> Result<ParsedRef, SourceError> {
    let escapes = || SourceError::EscapesArchive(path.to_owned());
    let decoded = percent_decode_str(path).decode_utf8_lossy().into_owned();
    let mut candidates: Vec<Vec<OsString>> = Vec::new();
    for spelling in [path, decoded.as_str()] {
        let relative = normalize_components(&[], spelling).ok_or_else(escapes)?;
        if relative.is_empty() {
            continue;
        }
        let prefixes: &[&str] = if site { &SITE_ROOT_FOLDERS } else { &[""] };
        for prefix in prefixes {
            let mut candidate: Vec<OsString> = Vec::new();
            if !prefix.is_empty() {
                candidate.push(OsString::from(prefix));
            }
            candidate.extend(relative.iter().cloned());
            if !candidates.contains(&candidate) {
                candidates.push(candidate);
            }
        }
    }
    if candidates.is_empty() {
        return Err(SourceError::NotFound(path.to_owned()));
    }
    Ok(ParsedRef::Local {
        candidates: Arc::from(candidates),
    })
}

/// Applies `path` to `base` component by component; `None` if `..` climbs above the
/// archive root or a component could not be a plain file name here.
fn normalize_components(base: &[OsString], path: &str) -> Option<Vec<OsString>> {
    let mut out = base.to_vec();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            name => {
                if name.contains('\0') || (cfg!(windows) && name.contains(':')) {
                    return None;
                }
                out.push(OsString::from(name));
            }
        }
    }
    Some(out)
}

/// Finds the first candidate that is a file inside the archive, after the file system
/// has resolved symlinks. A candidate that resolves outside the archive is refused
/// outright rather than skipped, so a planted symlink is reported, not worked around.
pub fn resolve_local(
    archive_root: &Path,
    candidates: &[Vec<OsString>],
) -> Result<PathBuf, SourceError> {
    let canonical_root = std::fs::canonicalize(archive_root).map_err(|err| {
        SourceError::NotFound(format!(
            "archive folder ({err}): {}",
            archive_root.display()
        ))
    })?;
    let mut first_tried = None;
    for candidate in candidates {
        let path: PathBuf = candidate
            .iter()
            .fold(archive_root.to_path_buf(), |p, c| p.join(c));
        if first_tried.is_none() {
            first_tried = Some(path.clone());
        }
        let Ok(canonical) = std::fs::canonicalize(&path) else {
            continue;
        };
        if !canonical.starts_with(&canonical_root) {
            return Err(SourceError::EscapesArchive(path.display().to_string()));
        }
        if canonical.is_file() {
            return Ok(canonical);
        }
    }
    Err(SourceError::NotFound(
        first_tried
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    ))
}

/// Decodes the payload of a `data:` URI, refusing non-image media types and payloads
/// larger than `max_bytes`.
pub fn decode_data_uri(uri: &str, max_bytes: u64) -> Result<Vec<u8>, SourceError> {
    let bad = |why: &str| SourceError::BadDataUri(why.to_owned());
    let rest = uri
        .get(5..)
        .filter(|_| {
            uri.get(..5)
                .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
        })
        .ok_or_else(|| bad("missing data: prefix"))?;
    let (meta, payload) = rest.split_once(',').ok_or_else(|| bad("missing ','"))?;
    let mut params = meta.split(';');
    let mime = params.next().unwrap_or("").trim().to_ascii_lowercase();
    if !mime.is_empty() && !mime.starts_with("image/") {
        return Err(SourceError::NotAnImageDataUri(mime));
    }
    let is_base64 = params.any(|p| p.trim().eq_ignore_ascii_case("base64"));
    // Base64 takes 4 characters per 3 bytes; percent-encoding at least 1 per byte.
    let estimated_bytes = if is_base64 {
        payload.len() as u64 / 4 * 3
    } else {
        payload.len() as u64 / 3
    };
    if estimated_bytes > max_bytes {
        return Err(SourceError::DataUriTooLarge { max_bytes });
    }
    let unescaped: Vec<u8> = percent_decode_str(payload).collect();
    let bytes = if is_base64 {
        let compact: Vec<u8> = unescaped
            .into_iter()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT
            .decode(&compact)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_PAD_INDIFFERENT.decode(&compact))
            .map_err(|err| bad(&err.to_string()))?
    } else {
        unescaped
    };
    if bytes.len() as u64 > max_bytes {
        return Err(SourceError::DataUriTooLarge { max_bytes });
    }
    if bytes.is_empty() {
        return Err(bad("empty payload"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post() -> &'static str {
        "source/_posts/新浪财经"
    }

    /// A reference as written in a post in `post_dir`, typed and then checked.
    fn parse(reference: &str, post_dir: &str) -> Result<ParsedRef, SourceError> {
        let image = ImageRef::parse(reference, post_dir).ok_or(SourceError::Empty)?;
        parse_reference(&image)
    }

    fn local(reference: &str) -> Vec<String> {
        match parse(reference, post()) {
            Ok(ParsedRef::Local { candidates }) => candidates
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|s| s.to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .collect(),
            other => panic!("{reference}: {other:?}"),
        }
    }

    fn url(reference: &str) -> String {
        match parse(reference, post()) {
            Ok(ParsedRef::Http { url }) => url.to_string(),
            other => panic!("{reference}: {other:?}"),
        }
    }

    #[test]
    fn http_urls_are_normalized() {
        assert_eq!(
            url("HTTPS://n.sinaimg.cn/a.jpg#pic_center"),
            "https://n.sinaimg.cn/a.jpg"
        );
        assert_eq!(url("//n.sinaimg.cn/a.jpg"), "https://n.sinaimg.cn/a.jpg");
        assert_eq!(
            url(" http://x.cn/图 片.png "),
            "http://x.cn/%E5%9B%BE%20%E7%89%87.png"
        );
        assert_eq!(
            url("https://picsum.photos/400/300?random=7"),
            "https://picsum.photos/400/300?random=7"
        );
        assert_eq!(
            url("https://a.b/%E5%9B%BE.jpg"),
            "https://a.b/%E5%9B%BE.jpg"
        );
    }

    #[test]
    fn malformed_urls_are_refused() {
        for bad in ["http://", "https:///x.jpg", "http:x.jpg", "https://:80/x"] {
            assert!(
                matches!(parse(bad, post()), Err(SourceError::BadUrl(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            parse("file:///etc/passwd", post()),
            Err(SourceError::FileUrlRefused(_))
        ));
        assert!(matches!(
            parse("FILE:/etc/passwd", post()),
            Err(SourceError::FileUrlRefused(_))
        ));
        for other in ["ftp://x/y.jpg", "javascript:alert(1)", "smb://h/s"] {
            assert!(
                matches!(
                    parse(other, post()),
                    Err(SourceError::UnsupportedScheme { .. })
                ),
                "{other}"
            );
        }
        assert_eq!(parse("  ", post()), Err(SourceError::Empty));
    }

    #[test]
    fn relative_paths_resolve_against_the_post_folder() {
        assert_eq!(local("a.jpg")[0], "source/_posts/新浪财经/a.jpg");
        assert_eq!(local("./img/../a.jpg")[0], "source/_posts/新浪财经/a.jpg");
        assert_eq!(local("../../images/a.jpg")[0], "source/images/a.jpg");
        assert_eq!(local("img\\a.jpg")[0], "source/_posts/新浪财经/img/a.jpg");
    }

    #[test]
    fn site_absolute_paths_try_hexo_hugo_and_jekyll_roots() {
        assert_eq!(
            local("/images/a.jpg"),
            ["source/images/a.jpg", "static/images/a.jpg", "images/a.jpg"]
        );
    }

    #[test]
    fn percent_encoding_and_queries_give_extra_spellings() {
        let c = local("/img/%E5%9B%BE.jpg?v=2");
        assert!(c.contains(&"source/img/图.jpg".to_owned()), "{c:?}");
        assert!(c.contains(&"source/img/%E5%9B%BE.jpg".to_owned()), "{c:?}");
    }

    #[test]
    fn climbing_out_of_the_archive_is_refused() {
        for bad in [
            "../../../../etc/passwd",
            "/../etc/passwd",
            "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "..\\..\\..\\..\\etc\\passwd",
        ] {
            assert!(
                matches!(parse(bad, post()), Err(SourceError::EscapesArchive(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            parse("x.jpg", "../other"),
            Err(SourceError::EscapesArchive(_))
        ));
    }

    #[test]
    fn data_uris_decode() {
        let uri = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
        let bytes = decode_data_uri(uri, 1 << 20).unwrap();
        assert!(bytes.starts_with(b"GIF89a"));
        let spaced =
            "data:image/gif;base64,R0lGODlh\n AQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
        assert_eq!(decode_data_uri(spaced, 1 << 20).unwrap(), bytes);
        assert_eq!(decode_data_uri("data:,GIF8%39a", 100).unwrap(), b"GIF89a");
    }

    #[test]
    fn bad_data_uris_are_refused() {
        assert!(matches!(
            decode_data_uri("data:text/html,<script>", 100),
            Err(SourceError::NotAnImageDataUri(_))
        ));
        assert!(matches!(
            decode_data_uri("data:image/png;base64", 100),
            Err(SourceError::BadDataUri(_))
        ));
        assert!(matches!(
            decode_data_uri("data:image/png;base64,!!!!", 100),
            Err(SourceError::BadDataUri(_))
        ));
        let big = format!("data:image/png;base64,{}", "A".repeat(400));
        assert!(matches!(
            decode_data_uri(&big, 100),
            Err(SourceError::DataUriTooLarge { .. })
        ));
    }
}
