//! Git work trees around an archive: which posts differ from the last commit, committing
//! a chosen set of them, and the history of one post.
//!
//! Built on `gix`, a pure-Rust git implementation, so it works where no `git` binary is
//! installed: Folio never spawns `git` (gix's own lookup of the git installation's config
//! is off by default and stays off). Everything is read-only except
//! [`GitArchive::commit`], which writes objects, moves the branch HEAD points to and
//! updates the index entries of the committed posts only.
//!
//! The API speaks archive-relative paths, the same as [`crate::archive::Article::path`],
//! so the app maps results to posts by path; repository paths stay inside this module.
//! A [`GitArchive`] is `Send + Sync` and cheap to clone: the app keeps one per open
//! archive and hands clones to worker threads, each of which opens its own thread-local
//! view of the repository.

mod commit;
mod diff;
mod error;
mod fold;
mod history;
mod paths;
mod status;

use std::path::{Path, PathBuf};

use gix::bstr::{BString, ByteSlice};

pub use commit::CommitOutcome;
pub use diff::unified_diff;
pub use error::{GitError, GixError};
pub use history::{CommitId, History, HistoryEntry};
pub use status::{ChangeState, Changes, PostChange, StatusProgress};

use paths::ArchivePaths;

/// An archive folder inside a git work tree.
#[derive(Clone)]
pub struct GitArchive {
    repo: gix::ThreadSafeRepository,
    work_tree: PathBuf,
    archive_root: PathBuf,
    paths: ArchivePaths,
}

impl std::fmt::Debug for GitArchive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitArchive")
            .field("work_tree", &self.work_tree)
            .field("archive_root", &self.archive_root)
            .finish_non_exhaustive()
    }
}

impl GitArchive {
    /// Finds the git work tree that holds `archive_root` (the folder itself or one above
    /// it). `Ok(None)` when there is none; an error when a repository is there but is
    /// bare, broken or unreadable.
    pub fn discover(archive_root: &Path) -> Result<Option<Self>, GitError> {
        let io = |source| GitError::Io {
            path: archive_root.to_owned(),
            cause: source,
        };
        let root = std::fs::canonicalize(archive_root).map_err(io)?;
        if !root.is_dir() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "not a folder",
            )));
        }
        let repo = match gix::ThreadSafeRepository::discover(&root) {
            Ok(repo) => repo,
            Err(e) if is_no_repository(&e) => return Ok(None),
            Err(e) => {
                return Err(GitError::Open {
                    path: archive_root.to_owned(),
                    cause: Box::new(e),
                });
            }
        };
        let Some(work_tree) = repo.work_dir() else {
            return Err(GitError::Bare {
                repo: repo.git_dir().to_owned(),
            });
        };
        let work_tree = std::fs::canonicalize(work_tree).map_err(|source| GitError::Io {
            path: work_tree.to_owned(),
            cause: source,
        })?;
        // Discovery walks up from the archive, so the archive is inside the work tree;
        // a `.git` file pointing elsewhere cannot move the work tree below it.
        let Ok(relative) = root.strip_prefix(&work_tree) else {
            return Ok(None);
        };
        let prefix = slash_bytes(relative).ok_or_else(|| GitError::NotAPost {
            path: archive_root.to_owned(),
        })?;
        Ok(Some(Self {
            paths: ArchivePaths::new(prefix, &root),
            repo,
            work_tree,
            archive_root: archive_root.to_owned(),
        }))
    }

    /// The top folder of the work tree.
    pub fn work_tree(&self) -> &Path {
        &self.work_tree
    }

    /// The archive folder, as given to [`Self::discover`].
    pub fn archive_root(&self) -> &Path {
        &self.archive_root
    }

    /// The repository's `.git` folder (for messages).
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }

    /// The repository path of an archive-relative post path.
    fn repo_path(&self, post: &Path) -> Result<BString, GitError> {
        self.paths.to_repo(post).ok_or_else(|| GitError::NotAPost {
            path: post.to_owned(),
        })
    }

    /// A thread-local view of the repository, with an object cache sized for walking
    /// trees and histories.
    fn local(&self) -> gix::Repository {
        let mut repo = self.repo.to_thread_local();
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        repo
    }

    /// The title of a changed post as a list shows it: from the file on disk, or for a
    /// deleted post from its last committed version.
    pub fn title_of(&self, change: &PostChange) -> Result<String, GitError> {
        let post = match change.state {
            ChangeState::Deleted => {
                // Line-ending filters do not change a title.
                let bytes = self
                    .head_blob(&change.path, history::Filters::Skip)?
                    .unwrap_or_default();
                crate::archive::parse_bytes(change.path.clone(), None, bytes).article
            }
            _ => crate::archive::inspect_post(
                &self.archive_root,
                &change.path,
                crate::archive::DEFAULT_MAX_FILE_BYTES,
            ),
        };
        Ok(post.display_title().into_owned())
    }
}

/// True when discovery found no repository at all (as opposed to a broken one).
fn is_no_repository(error: &gix::Error) -> bool {
    use gix::discover::upwards::Error;
    matches!(
        error.downcast_any_ref::<Error>(),
        Some(
            Error::NoGitRepository { .. }
                | Error::NoGitRepositoryWithinCeiling { .. }
                | Error::NoGitRepositoryWithinFs { .. }
        )
    )
}

/// A relative path as `/`-separated bytes, or `None` when it has other than plain names.
fn slash_bytes(relative: &Path) -> Option<BString> {
    let mut out = BString::default();
    for component in relative.components() {
        let std::path::Component::Normal(name) = component else {
            return None;
        };
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(gix::path::os_str_into_bstr(name).ok()?.as_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_send<T: Send>() {}

    #[test]
    fn the_handles_move_to_worker_threads() {
        // The app keeps a GitArchive and runs status, commit and history on workers.
        assert_send_sync::<GitArchive>();
        assert_send_sync::<StatusProgress>();
        assert_send::<History>();
        assert_send::<GitError>();
    }
}
