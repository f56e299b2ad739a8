//! Lossless edits of one post's front matter.
//!
//! The promise: a save changes only the edited value's bytes. Folio never re-serialises
//! a front-matter block. For YAML it finds the lines of the edited top-level key in the
//! source (see [`yaml`]) and replaces only those; for TOML it edits a `toml_edit`
//! document, which keeps every other byte. Everything else — other keys, their order and
//! quoting, comments, blank lines, list indentation, the body, BOM, encoding and line
//! endings — stays as it was.
//!
//! Every result is checked before it is handed back: the new front matter is parsed with
//! the real parser and must equal the old one with exactly the intended change (the
//! edited key holds the intended typed value, every other key is unchanged, key order is
//! kept). Anything else is refused with [`EditError`] and nothing is produced to save.
//! An edit to the value a key already holds is a no-op, so setting a value back gives
//! the original bytes.
//!
//! Posts that cannot round-trip through text are refused: invalid bytes in their
//! encoding (U+FFFD would be written over the damaged bytes), YAML or TOML syntax
//! errors, unterminated blocks, binary or unreadable files. A post without front matter
//! gets a new `---` block at the top; its body stays byte-identical.

mod date_like;
mod quote;
mod toml;
mod yaml;
mod yaml_list;

use std::path::{Path, PathBuf};

pub use date_like::format_like;

use super::post::Post;
use super::split::{self, FrontMatterKind};

/// A typed scalar value to write.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ScalarValue {
    /// Text; quoted only when YAML needs it or the key was already quoted.
    Str(String),
    Bool(bool),
    Int(i64),
    /// Must be finite or infinite; NaN is refused because it never equals itself.
    Float(f64),
    /// A date as text, already in the format it should be written in (see
    /// [`format_like`]). Written and checked as a string in YAML, as a TOML datetime when
    /// the text is one.
    Date(String),
}

/// One change to a post's front matter. Keys are top-level keys.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum Edit {
    /// Sets (or adds) a key to a scalar.
    SetScalar { key: String, value: ScalarValue },
    /// Sets (or adds) a key to a list of strings. Items equal to the old ones keep their
    /// original text.
    SetList { key: String, items: Vec<String> },
    /// Appends one string to a list (creating the list when the key is missing or null).
    AddItem { key: String, item: String },
    /// Removes the list item at `index` (0-based).
    RemoveItem { key: String, index: usize },
    /// Removes a key and its lines. Removing a missing key changes nothing.
    RemoveKey { key: String },
}

impl Edit {
    /// The key this edit changes.
    pub fn key(&self) -> &str {
        match self {
            Self::SetScalar { key, .. }
            | Self::SetList { key, .. }
            | Self::AddItem { key, .. }
            | Self::RemoveItem { key, .. }
            | Self::RemoveKey { key } => key,
        }
    }
}

/// Why an edit was refused. Nothing is written when an edit is refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The post cannot be edited at all (invalid bytes, syntax error, binary…).
    #[error("cannot edit this post: {reason}: {}", path.display())]
    NotEditable { reason: String, path: PathBuf },
    /// The key is written with YAML Folio does not edit safely (anchors, aliases, tags,
    /// duplicate keys, a top-level flow mapping…).
    #[error("cannot edit `{key}` safely: {reason}: {}", path.display())]
    Unsupported {
        key: String,
        reason: String,
        path: PathBuf,
    },
    /// The edit itself is not possible (empty key, index out of range, NaN…).
    #[error("cannot set `{key}`: {reason}: {}", path.display())]
    BadValue {
        key: String,
        reason: String,
        path: PathBuf,
    },
    /// The edited text did not read back as intended; this is a bug guard.
    #[error("refused to save `{key}`: the edited front matter would read back differently ({detail}): {}", path.display())]
    Verify {
        key: String,
        detail: String,
        path: PathBuf,
    },
}

impl EditError {
    /// Why, without the file's path: for lists that show the path beside it.
    pub fn reason(&self) -> String {
        match self {
            Self::NotEditable { reason, .. } => format!("cannot edit this post: {reason}"),
            Self::Unsupported { key, reason, .. } => {
                format!("cannot edit `{key}` safely: {reason}")
            }
            Self::BadValue { key, reason, .. } => format!("cannot set `{key}`: {reason}"),
            Self::Verify { key, detail, .. } => format!(
                "refused to save `{key}`: the edited front matter would read back differently ({detail})"
            ),
        }
    }
}

/// An error from the syntax-specific editors, before the file path is attached.
#[derive(Debug)]
pub(crate) enum Refusal {
    Unsupported { key: String, reason: String },
    BadValue { key: String, reason: String },
    Verify { key: String, detail: String },
}

impl Refusal {
    fn with_path(self, path: &Path) -> EditError {
        let path = path.to_owned();
        match self {
            Self::Unsupported { key, reason } => EditError::Unsupported { key, reason, path },
            Self::BadValue { key, reason } => EditError::BadValue { key, reason, path },
            Self::Verify { key, detail } => EditError::Verify { key, detail, path },
        }
    }
}

/// Applies `edits` in order to the post's text and returns the new text (equal to
/// `post.text` when nothing changes). The result has been reparsed and verified; hand
/// it to [`save_post`](super::save_post).
pub fn apply_edits(post: &Post, edits: &[Edit]) -> Result<String, EditError> {
    let path = &post.article.path;
    check_editable(post)?;
    for edit in edits {
        if edit.key().trim().is_empty() {
            return Err(EditError::BadValue {
                key: edit.key().to_owned(),
                reason: "the key is empty".to_owned(),
                path: path.clone(),
            });
        }
        if let Edit::SetScalar {
            value: ScalarValue::Float(f),
            key,
        } = edit
            && f.is_nan()
        {
            return Err(EditError::BadValue {
                key: key.clone(),
                reason: "NaN cannot be stored".to_owned(),
                path: path.clone(),
            });
        }
    }
    let text = &post.text;
    let layout = split::split(text);
    let eol = post.article.line_ending.as_str();
    match (layout.kind, layout.inner) {
        (FrontMatterKind::None, _) | (_, None) => {
            let inner = yaml::apply("", edits, eol).map_err(|r| r.with_path(path))?;
            if inner.is_empty() {
                return Ok(text.clone());
            }
            Ok(format!("---{eol}{inner}---{eol}{text}"))
        }
        (kind, Some(inner)) => {
            let source = text.get(inner.clone()).unwrap_or_default();
            let edited = match kind {
                FrontMatterKind::Toml => toml::apply(source, edits),
                _ => yaml::apply(source, edits, eol),
            }
            .map_err(|r| r.with_path(path))?;
            let (Some(head), Some(tail)) = (text.get(..inner.start), text.get(inner.end..)) else {
                return Ok(text.clone());
            };
            Ok(format!("{head}{edited}{tail}"))
        }
    }
}

/// Whether the post's front matter may be edited key by key: the one place that
/// decides it, for the editing model ([`crate::fields::Fields::of_post`]) and for
/// [`apply_edits`]. Refused (naming the reason and the file) for CR-only line ends and
/// for every problem that blocks editing ([`super::ProblemKind::blocks_editing`]).
pub fn check_editable(post: &Post) -> Result<(), EditError> {
    if has_cr_only_line_ends(&post.text) {
        // Lines end in a lone CR (classic Mac OS): the front matter is not found where
        // its lines are, and an edit would add a second block in front of the first.
        return Err(EditError::NotEditable {
            reason:
                "its lines end in CR only (classic Mac OS line endings), which Folio does not edit"
                    .to_owned(),
            path: post.article.path.clone(),
        });
    }
    match post.article.edit_blocker() {
        Some(problem) => Err(EditError::NotEditable {
            reason: problem.message.clone(),
            path: post.article.path.clone(),
        }),
        None => Ok(()),
    }
}

/// Whether the file's first line ends in a CR that no LF follows: the classic Mac OS
/// convention (a stray CR further down, as scraped HTML has, does not count).
fn has_cr_only_line_ends(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2(b'\r', b'\n', bytes)
        .is_some_and(|i| bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) != Some(&b'\n'))
}
