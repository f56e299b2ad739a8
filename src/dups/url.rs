//! The source URL a post was saved from, normalized so that two crawls of one page
//! compare equal.
//!
//! Archives write the source under many keys ([`SOURCE_KEYS`], as they occur in
//! [`FrontMatter::extra`](crate::archive::FrontMatter)); the first absolute `http(s)`
//! URL among them is the post's. Normalizing drops what does not name the page: the
//! scheme (`http` = `https`), a leading `www.`, default ports, the fragment, trailing
//! slashes, and tracking parameters ([`TRACKING_PARAMS`], `utm_*`); the remaining query
//! parameters are sorted. A URL with no path (a site's home page) names no article and is
//! ignored: crawlers that write the feed's address into every post would otherwise make
//! the whole feed one group.

use crate::archive::FrontMatter;

/// Front-matter keys that hold the source URL, compared case-insensitively, in order of
/// preference.
pub const SOURCE_KEYS: &[&str] = &[
    "link",
    "url",
    "source",
    "source_url",
    "original",
    "original_url",
    "originalurl",
    "origin",
    "origin_url",
    "from",
    "canonical",
    "canonical_url",
    "permalink",
    "via",
    "href",
];

/// Query parameters that track a visit rather than name a page (besides `utm_*`).
pub const TRACKING_PARAMS: &[&str] = &[
    "spm",
    "from",
    "src",
    "ref",
    "ref_src",
    "referrer",
    "source",
    "share",
    "share_token",
    "share_source",
    "share_from",
    "sharer",
    "shareid",
    "scene",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "cmpid",
    "wt.mc_id",
    "isappinstalled",
    "tt_from",
    "vd_source",
    "timestamp",
    "_t",
    "t",
    "sf_rand",
    "chksm",
    "sessionid",
    "subscene",
    "clicktime",
    "enterid",
    "sharer_sharetime",
    "sharer_shareid",
    "utm",
];

/// The post's normalized source URL, if its front matter names one.
pub fn source_url(front: &FrontMatter) -> Option<String> {
    SOURCE_KEYS.iter().find_map(|key| {
        front
            .extra
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .find_map(|(_, value)| normalize_url(value))
    })
}

/// A URL as compared (see the module docs), or `None` for text that is not an absolute
/// `http(s)` URL with a path.
pub fn normalize_url(raw: &str) -> Option<String> {
    let raw = raw
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '<' || c == '>');
    let lower = raw.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        raw.get(8..)?
    } else if lower.starts_with("http://") {
        raw.get(7..)?
    } else if lower.starts_with("//") {
        raw.get(2..)?
    } else {
        return None;
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = match before_query.find('/') {
        Some(at) => before_query.split_at(at),
        None => (before_query, ""),
    };
    let host = authority
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(&host);
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .trim_end_matches('.');
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    let path = path.trim_end_matches('/');
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !is_tracking(p))
        .collect();
    params.sort_unstable();
    if path.is_empty() && params.is_empty() {
        return None;
    }
    let mut out = format!("{host}{path}");
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    Some(out)
}

fn is_tracking(param: &str) -> bool {
    let name = param
        .split('=')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING_PARAMS.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_scheme_www_slashes_tracking_and_order() {
        let want = Some("finance.sina.com.cn/china/2021-08-19/doc-1.shtml?id=7&page=2".to_owned());
        for url in [
            "https://finance.sina.com.cn/china/2021-08-19/doc-1.shtml?id=7&page=2",
            "http://www.finance.sina.com.cn/china/2021-08-19/doc-1.shtml/?page=2&id=7",
            "HTTPS://Finance.Sina.com.cn:443/china/2021-08-19/doc-1.shtml?utm_source=rss&id=7&spm=a.b&page=2&from=timeline#comments",
            "  'https://finance.sina.com.cn/china/2021-08-19/doc-1.shtml?id=7&page=2&utm_medium=x'  ",
        ] {
            assert_eq!(normalize_url(url), want, "{url}");
        }
        assert_ne!(
            normalize_url("https://36kr.com/p/1"),
            normalize_url("https://36kr.com/p/2")
        );
    }

    #[test]
    fn rejects_what_names_no_article() {
        for text in [
            "新浪财经",
            "/2021/06/post/",
            "https://36kr.com/",
            "https://www.36kr.com/?utm_source=x",
            "ftp://x/y",
            "",
        ] {
            assert_eq!(normalize_url(text), None, "{text}");
        }
    }

    #[test]
    fn source_url_reads_the_keys_archives_use() {
        let post = crate::archive::parse_bytes(
            "p.md".into(),
            None,
            b"---\ntitle: t\nsource: 36kr\nOriginal_URL: https://36kr.com/p/9?from=rss\n---\nbody\n".to_vec(),
        );
        assert_eq!(
            source_url(&post.article.front).as_deref(),
            Some("36kr.com/p/9")
        );
    }
}
