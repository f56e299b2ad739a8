//! Why a git operation on an archive could not be done.
//!
//! Every refusal that a person can act on has its own variant (no author, a detached
//! HEAD, a merge in progress, a locked index), so the window can explain it and the CLI
//! can choose an exit status; failures inside the repository keep the library's error as
//! their cause. Messages name the repository or the file last, as the rest of Folio does,
//! and carry the cause in their text (not as `Error::source`), so that a chain printed by
//! the CLI does not repeat it after the file.

use std::path::PathBuf;

/// An error from `gix`, kept as the source of a [`GitError`].
pub type GixError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a git operation on an archive failed or was refused.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The folder is inside a bare repository, which has no work tree to compare posts with.
    #[error("a bare git repository has no work tree: {}", repo.display())]
    Bare { repo: PathBuf },
    /// The repository was found but could not be opened (broken config, unreadable files).
    #[error("cannot open the git repository: {cause}: {}", path.display())]
    Open { path: PathBuf, cause: GixError },
    /// Reading from the repository failed (a missing object, a corrupt index or pack).
    #[error("cannot read the git repository ({what}): {cause}: {}", repo.display())]
    Read {
        repo: PathBuf,
        what: &'static str,
        cause: GixError,
    },
    /// Writing objects, the index or a reference failed.
    #[error("cannot write to the git repository ({what}): {cause}: {}", repo.display())]
    Write {
        repo: PathBuf,
        what: &'static str,
        cause: GixError,
    },
    /// A file of the work tree could not be read.
    #[error("cannot read: {cause}: {}", path.display())]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// A status was cancelled before it finished.
    #[error("cancelled")]
    Cancelled,
    /// No author name or email is configured (`user.name`, `user.email`).
    #[error(
        "no commit author is configured; set user.name and user.email (git config user.name \"Your Name\"): {}",
        repo.display()
    )]
    NoAuthor { repo: PathBuf },
    /// HEAD points at a commit, not at a branch.
    #[error("HEAD is detached; check out a branch before committing: {}", repo.display())]
    DetachedHead { repo: PathBuf },
    /// A merge, rebase, cherry-pick, revert or mailbox apply is unfinished.
    #[error("a {operation} is in progress; finish or abort it before committing: {}", repo.display())]
    OperationInProgress {
        repo: PathBuf,
        operation: &'static str,
    },
    /// The index holds conflicted (unmerged) entries.
    #[error("the index has unmerged paths; resolve them before committing: {}", repo.display())]
    Unmerged { repo: PathBuf },
    /// Another git process holds `index.lock`.
    #[error("the index is locked by another git process (index.lock exists): {}", repo.display())]
    IndexLocked { repo: PathBuf },
    /// The index uses a format Folio does not update (split or sparse index).
    #[error("the index is a {kind} index, which Folio does not update: {}", repo.display())]
    UnsupportedIndex { repo: PathBuf, kind: &'static str },
    /// The commit message is empty or only whitespace.
    #[error("the commit message is empty: {}", repo.display())]
    EmptyMessage { repo: PathBuf },
    /// The selection is empty, or every selected post already matches HEAD.
    #[error("nothing to commit: the selected posts match HEAD: {}", repo.display())]
    NothingToCommit { repo: PathBuf },
    /// A path given to commit or history is not a post inside the archive.
    #[error("not a post inside the archive: {}", path.display())]
    NotAPost { path: PathBuf },
}

impl GitError {
    pub(super) fn read(
        repo: &std::path::Path,
        what: &'static str,
        source: impl Into<GixError>,
    ) -> Self {
        Self::Read {
            repo: repo.to_owned(),
            what,
            cause: source.into(),
        }
    }

    pub(super) fn write(
        repo: &std::path::Path,
        what: &'static str,
        source: impl Into<GixError>,
    ) -> Self {
        Self::Write {
            repo: repo.to_owned(),
            what,
            cause: source.into(),
        }
    }

    /// True for refusals a person resolves in their git tools or settings (an author to
    /// configure, a branch to check out, an operation to finish), as opposed to failures.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::NoAuthor { .. }
                | Self::DetachedHead { .. }
                | Self::OperationInProgress { .. }
                | Self::Unmerged { .. }
                | Self::IndexLocked { .. }
                | Self::UnsupportedIndex { .. }
                | Self::EmptyMessage { .. }
                | Self::NothingToCommit { .. }
                | Self::NotAPost { .. }
        )
    }
}
