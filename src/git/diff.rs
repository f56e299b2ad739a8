//! A unified diff between two versions of a post.
//!
//! Posts are not always UTF-8 (GBK archives exist), so both sides are decoded the way
//! the archive decodes a post ([`crate::archive::decode`]) before the lines are compared;
//! a side that looks binary gives a one-line note instead of a diff.

use crate::archive::{decode, looks_binary};

/// The unified diff (3 lines of context, `--- old_label` / `+++ new_label` headers)
/// from `old` to `new`; empty when their text is the same.
pub fn unified_diff(old: &[u8], new: &[u8], old_label: &str, new_label: &str) -> String {
    if old == new {
        return String::new();
    }
    if looks_binary(old) || looks_binary(new) {
        return format!("Binary files {old_label} and {new_label} differ\n");
    }
    let old_text = decode(old).text;
    let new_text = decode(new).text;
    if old_text == new_text {
        return String::new();
    }
    similar::TextDiff::from_lines(&old_text, &new_text)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_changed_lines_with_headers() {
        let diff = unified_diff(
            b"---\ntitle: a\n---\nbody\n",
            b"---\ntitle: b\n---\nbody\n",
            "a/x.md",
            "b/x.md",
        );
        assert!(diff.starts_with("--- a/x.md\n+++ b/x.md\n"), "{diff}");
        assert!(diff.contains("-title: a\n+title: b\n"), "{diff}");
    }

    #[test]
    fn same_bytes_give_no_diff() {
        assert_eq!(unified_diff(b"same\n", b"same\n", "a", "b"), "");
    }

    #[test]
    fn gbk_posts_are_decoded_before_diffing() {
        let (old, _, _) = encoding_rs::GBK.encode("标题：旧\n正文\n");
        let (new, _, _) = encoding_rs::GBK.encode("标题：新\n正文\n");
        let diff = unified_diff(&old, &new, "a", "b");
        assert!(diff.contains("-标题：旧\n+标题：新\n"), "{diff}");
    }

    #[test]
    fn binary_sides_are_named_not_diffed() {
        let diff = unified_diff(b"\0\x01\x02", b"text\n", "a/x.md", "b/x.md");
        assert_eq!(diff, "Binary files a/x.md and b/x.md differ\n");
    }
}
