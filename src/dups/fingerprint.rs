//! A post's fingerprint: everything duplicate detection needs to know about its text,
//! small enough to keep 100,000 of them in memory and on disk.
//!
//! The text is the cleaned body rendered as plain text ([`crate::clean::clean_post`],
//! then [`crate::clean::render`]), never the raw HTML, so that ads, styles and markup
//! neither make copies look different nor strangers look alike. Images and embeds are
//! left out (their captions stay): a copy that re-hosts its pictures is still a copy,
//! and two image-only posts have no text to be alike in. It is then normalized
//! ([`normalize`]): full-width ASCII folded to ASCII, lowercased, whitespace collapsed.
//! The exact rule compares a hash of that; the near rule compares a sketch of its
//! character shingles (letters and digits only, so punctuation edits do not count); the
//! news rule compares its facts ([`super::facts`]).

use std::io::Read as _;
use std::path::Path;

use crate::archive::{Article, DEFAULT_MAX_FILE_BYTES, Post, decode, parse_bytes};
use crate::clean::{self, Block, Document, OutputFormat, Span};

use super::facts::{self, Fact};
use super::sketch::{self, NearMethod, Sketch};

/// What is kept of one post's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// BLAKE3 of the normalized text, truncated: equal for exact copies.
    pub(crate) text_hash: [u8; 16],
    /// Letters and digits in the normalized text (what shingles are made of).
    pub(crate) content_chars: u32,
    /// Whether the post has an image a list would show (front matter or body).
    pub(crate) has_image: bool,
    /// The near-duplicate sketch of the text's shingles.
    pub(crate) sketch: Sketch,
    /// The numbers, dates and places of the text with the wording around each.
    pub(crate) facts: Box<[Fact]>,
}

impl Fingerprint {
    /// Fingerprints a loaded post's cleaned body.
    pub fn of_post(post: &Post, method: NearMethod) -> Self {
        let document = clean::clean_post(post);
        let has_image =
            crate::thumbs::best_image(&post.article.front, &post.article.folder(), Some(&document))
                .is_some();
        Self::of_text(&text_of(&document), has_image, method)
    }

    /// Fingerprints cleaned text (as [`crate::clean::render`] writes it).
    pub fn of_text(cleaned_text: &str, has_image: bool, method: NearMethod) -> Self {
        let (normalized, chars) = normalize_with_chars(cleaned_text);
        let hash = blake3::hash(normalized.as_bytes());
        let mut text_hash = [0u8; 16];
        for (to, from) in text_hash.iter_mut().zip(hash.as_bytes()) {
            *to = *from;
        }
        let content: Vec<char> = chars.iter().copied().filter(|c| is_content(*c)).collect();
        Self {
            text_hash,
            content_chars: u32::try_from(content.len()).unwrap_or(u32::MAX),
            has_image,
            sketch: sketch::sketch(&content, method),
            facts: facts::extract(&chars).into_boxed_slice(),
        }
    }

    /// The number of letters and digits in the post's normalized text: the body length
    /// a keep rule compares.
    pub fn content_chars(&self) -> usize {
        self.content_chars as usize
    }

    /// Whether the post has an image a list would show.
    pub fn has_image(&self) -> bool {
        self.has_image
    }
}

/// Reads a scanned post's text for fingerprinting; `None` when it cannot be read as text.
///
/// When the file still has the size and time the scan saw, its scanned metadata (front
/// matter, body span) is reused and only the text decoded: parsing the front matter
/// again would cost as much as fingerprinting. Otherwise the file is parsed afresh, as
/// [`crate::archive::load_post`] does.
pub(crate) fn read_post(root: &Path, article: &Article) -> Option<Post> {
    if article.read_blocker().is_some() {
        return None;
    }
    let mut file = std::fs::File::open(root.join(&article.path)).ok()?;
    let meta = file.metadata().ok()?;
    if meta.len() > DEFAULT_MAX_FILE_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes).ok()?;
    let modified = meta.modified().ok();
    let unchanged = bytes.len() as u64 == article.size && modified == article.modified;
    let decoded = if unchanged {
        Some(decode(&bytes))
    } else {
        None
    };
    let post = match decoded {
        Some(decoded) if decoded.encoding == article.encoding => Post {
            article: article.clone(),
            text: decoded.text,
            bytes,
        },
        _ => parse_bytes(article.path.clone(), modified, bytes),
    };
    post.article.read_blocker().is_none().then_some(post)
}

/// A post's compared text: its cleaned body as plain text without images and embeds.
pub fn compared_text(post: &Post) -> String {
    text_of(&clean::clean_post(post))
}

fn text_of(document: &Document) -> String {
    let blocks = without_media(&document.blocks);
    clean::render(&Document { blocks }, OutputFormat::Text)
}

/// The blocks without images (a caption becomes a paragraph) and embeds, in lists and
/// quotes too.
fn without_media(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .filter_map(|block| match block {
            Block::Image { caption, .. } => caption.as_ref().map(|caption| Block::Paragraph {
                spans: vec![Span::text(caption.clone())],
            }),
            Block::Embed { .. } => None,
            Block::List { ordered, items } => Some(Block::List {
                ordered: *ordered,
                items: items.iter().map(|item| without_media(item)).collect(),
            }),
            Block::Quote { blocks } => Some(Block::Quote {
                blocks: without_media(blocks),
            }),
            other => Some(other.clone()),
        })
        .collect()
}

/// Characters that shingles are made of: letters and digits of any script.
pub(crate) fn is_content(c: char) -> bool {
    c.is_alphanumeric()
}

/// The text as compared: full-width ASCII (`０-９`, `Ａ-Ｚ`, `，`…) folded to ASCII,
/// lowercased, every run of whitespace one space, trimmed.
pub fn normalize(text: &str) -> String {
    normalize_with_chars(text).0
}

/// [`normalize`], and the result as characters (what shingles and facts are made of),
/// in one pass.
fn normalize_with_chars(text: &str) -> (String, Vec<char>) {
    let mut out = String::with_capacity(text.len());
    let mut chars = Vec::with_capacity(text.len() / 2);
    let mut pending_space = false;
    for c in text.chars() {
        // The common cases first: ASCII, then characters without case.
        let c = if c.is_ascii() { c } else { fold_width(c) };
        let visible = if c.is_ascii() {
            (!c.is_ascii_whitespace()).then(|| c.to_ascii_lowercase())
        } else if is_caseless(c) {
            Some(c)
        } else if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            None
        } else {
            if pending_space {
                out.push(' ');
                chars.push(' ');
                pending_space = false;
            }
            for lower in c.to_lowercase() {
                out.push(lower);
                chars.push(lower);
            }
            continue;
        };
        match visible {
            None => pending_space = !out.is_empty(),
            Some(c) => {
                if pending_space {
                    out.push(' ');
                    chars.push(' ');
                    pending_space = false;
                }
                out.push(c);
                chars.push(c);
            }
        }
    }
    (out, chars)
}

/// CJK punctuation, kana and ideographs, and Hangul have no case: most characters of a
/// Chinese archive skip the case tables.
fn is_caseless(c: char) -> bool {
    // U+3000, the ideographic space, is folded to a space before this is asked.
    matches!(c, '\u{2e80}'..='\u{2fff}' | '\u{3001}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}')
}

/// Full-width forms U+FF01–U+FF5E to ASCII, the ideographic space to a space.
fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_width_case_and_space() {
        assert_eq!(
            normalize("　　ＰＭＩ为４９.２%，\n\n  比上月 Down"),
            "pmi为49.2%, 比上月 down"
        );
        assert_eq!(normalize("\n\n"), "");
        assert_eq!(normalize("a\u{a0}\u{200b} b\u{3000}ΣΑ\u{feff}"), "a b σα");
    }

    #[test]
    fn exact_hash_ignores_layout_but_not_words() {
        let m = NearMethod::default();
        let a = Fingerprint::of_text("央行：5月末M2同比增长11%\n\n责任", false, m);
        let b = Fingerprint::of_text("  央行：5月末m2同比增长11%   责任", false, m);
        let c = Fingerprint::of_text("央行：5月末M2同比增长12%\n\n责任", false, m);
        assert_eq!(a.text_hash, b.text_hash);
        assert_ne!(a.text_hash, c.text_hash);
        assert_eq!(a.content_chars, 15);
    }
}
