//! Problems found in a post or a folder while reading an archive.
//!
//! A problem never stops a scan: it is attached to the article (or, for folders and
//! unreadable entries, to the scan report) so that the app and `folio check` can show it.

use std::fmt;

/// How bad a problem is. `folio check` exits with status 1 when any `Error` exists.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The post is readable but something in it is doubtful (e.g. an unparseable date).
    Warning,
    /// The post cannot be read or parsed as intended (e.g. a YAML syntax error).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// What kind of problem this is, so that callers can filter without parsing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The file or folder could not be read (permissions, vanished, symlink loop…).
    Unreadable,
    /// The file is empty.
    Empty,
    /// The file holds binary data (NUL bytes), not text.
    Binary,
    /// The file is larger than the scan's size cap and was not loaded.
    TooLarge,
    /// The path is not a regular file (a FIFO, a device, a socket): never read, since
    /// reading one can block forever or never end.
    NotAFile,
    /// A symbolic link leads outside the opened folder and was not followed.
    OutsideArchive,
    /// The front matter is too large, has too many lines or nests too deeply to be
    /// parsed in bounded time; it was not parsed.
    TooComplex,
    /// The file's encoding was guessed with low confidence: the text may be misread.
    UncertainEncoding,
    /// Some bytes are not valid in the file's encoding.
    InvalidBytes,
    /// The file has no `---` or `+++` front-matter block.
    NoFrontMatter,
    /// The front-matter block is opened but never closed.
    Unterminated,
    /// The YAML or TOML inside the block does not parse.
    Syntax,
    /// The front matter parses but is not a key/value mapping.
    NotAMapping,
    /// A date value cannot be understood as a date.
    BadDate,
    /// The title is missing or blank.
    MissingTitle,
    /// A known key holds a value of an unexpected type (e.g. `comments: maybe`).
    BadValue,
}

impl ProblemKind {
    /// The post's text is not available at all (nothing to show, clean or edit).
    pub fn blocks_reading(self) -> bool {
        matches!(
            self,
            Self::Unreadable
                | Self::Binary
                | Self::TooLarge
                | Self::NotAFile
                | Self::OutsideArchive
        )
    }

    /// Changed text could not be written back without loss: the file's bytes do not
    /// survive decoding (U+FFFD would be written over damaged bytes), or there is no text.
    pub fn blocks_saving(self) -> bool {
        self.blocks_reading() || self == Self::InvalidBytes
    }

    /// The front matter cannot be edited key by key: it cannot be saved, or it does not
    /// parse as a mapping, so there is no key to edit safely.
    pub fn blocks_editing(self) -> bool {
        self.blocks_saving()
            || matches!(
                self,
                Self::Unterminated | Self::Syntax | Self::NotAMapping | Self::TooComplex
            )
    }
}

/// One problem, with the 1-based line it was found on when that is known.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub severity: Severity,
    pub kind: ProblemKind,
    /// 1-based line in the file, when the problem has a place.
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn error(kind: ProblemKind, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            kind,
            line,
            message: message.into(),
        }
    }

    pub fn warning(kind: ProblemKind, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            kind,
            line,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
