//! Committing a chosen set of posts, and nothing else.
//!
//! The commit is HEAD's tree with only the selected paths replaced by their work-tree
//! content (or removed when the file is gone), like `git commit --only -- PATHS`: other
//! staged changes are neither committed nor lost, since the index keeps every entry
//! outside the selection as it was, and the selected entries are set to what was
//! committed. The index is locked before it is read, rewritten into its lock file before
//! the branch moves, and swapped in after, so a failure on the way leaves the index as it
//! was (a lost race on the branch is refused by the reference update itself).
//!
//! Refused up front, each with its own [`GitError`]: no configured author, a detached
//! HEAD, an unfinished merge, rebase, cherry-pick, revert or mailbox apply, unmerged
//! index entries, a locked index, a split or sparse index. Hooks are not run: committing
//! from Folio is for posts, and a repository that needs hooks is committed from git.

use std::io::Read;
use std::path::{Path, PathBuf};

use gix::bstr::{BString, ByteSlice};
use gix::index::entry::{Flags, Mode, Stat};
use gix::objs::tree::EntryKind;
use gix::state::InProgress;

use super::{GitArchive, GitError, GixError};

/// What a commit made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitOutcome {
    /// The new commit's id, in hex.
    pub id: String,
    /// The branch that now points at it (`main`, not `refs/heads/main`).
    pub branch: String,
    /// True when this is the branch's first commit.
    pub first: bool,
}

impl GitArchive {
    /// Commits the posts at `posts` (archive-relative: the paths of
    /// [`super::PostChange::paths`], so both sides of a rename) with `message`, using the
    /// repository's configured author and committer.
    pub fn commit(&self, posts: &[PathBuf], message: &str) -> Result<CommitOutcome, GitError> {
        let work_tree = self.work_tree.as_path();
        let message = clean_message(message).ok_or_else(|| GitError::EmptyMessage {
            repo: work_tree.to_owned(),
        })?;
        let mut selected: Vec<BString> = posts
            .iter()
            .map(|post| self.repo_path(post))
            .collect::<Result<_, _>>()?;
        selected.sort();
        selected.dedup();
        // Opened afresh so that the identity, HEAD and state are today's, not those of
        // when the archive was opened.
        let repo = gix::open(work_tree).map_err(|e| GitError::Open {
            path: work_tree.to_owned(),
            cause: Box::new(e),
        })?;
        let (branch, parent) = check_ready(&repo, work_tree)?;
        let read = |what| move |e: gix::Error| GitError::read(work_tree, what, e);
        let write = |what| move |e: gix::Error| GitError::write(work_tree, what, e);
        let author = repo
            .author()
            .ok_or_else(|| GitError::NoAuthor {
                repo: work_tree.to_owned(),
            })?
            .map_err(read("author"))?;
        let committer = repo
            .committer()
            .ok_or_else(|| GitError::NoAuthor {
                repo: work_tree.to_owned(),
            })?
            .map_err(read("committer"))?;

        let index_path = repo.index_path();
        let mut lock = lock_index(&index_path, work_tree)?;
        let mut index = if index_path.exists() {
            repo.open_index().map_err(read("index"))?
        } else {
            gix::index::File::from_state(gix::index::State::new(repo.object_hash()), index_path)
        };
        check_index(&index, work_tree)?;

        let head_tree = repo.head_tree_id_or_empty().map_err(read("HEAD"))?.detach();
        let mut editor = repo.edit_tree(head_tree).map_err(read("HEAD tree"))?;
        let file_mode_matters = repo
            .config_snapshot()
            .boolean("core.fileMode")
            .unwrap_or(true);
        let (mut pipeline, _) = repo.filter_pipeline(None).map_err(read("attributes"))?;
        let mut updates = Vec::with_capacity(selected.len());
        for rela_path in &selected {
            let update = stage_path(&mut pipeline, &index, work_tree, rela_path)?;
            match &update {
                Some((id, kind, _)) => {
                    let kind = if file_mode_matters {
                        *kind
                    } else {
                        editor
                            .get(rela_path)
                            .map(|e| e.mode().kind())
                            .filter(|k| matches!(k, EntryKind::Blob | EntryKind::BlobExecutable))
                            .unwrap_or(*kind)
                    };
                    editor.upsert(rela_path, kind, *id).map_err(write("tree"))?;
                }
                None => {
                    editor.remove(rela_path).map_err(write("tree"))?;
                }
            }
            updates.push((rela_path, update));
        }
        let tree = editor.write().map_err(write("tree"))?.detach();
        if tree == head_tree {
            return Err(GitError::NothingToCommit {
                repo: work_tree.to_owned(),
            });
        }

        // Existing entries are found by binary search, so they are updated and removed
        // before new entries are appended and the whole list sorted again.
        let mut additions = Vec::new();
        for (rela_path, update) in updates {
            if let Some(addition) = update_entry(&mut index, rela_path, update) {
                additions.push((rela_path, addition));
            }
        }
        for (rela_path, (id, kind, stat)) in additions {
            index.dangerously_push_entry(
                stat,
                id,
                Flags::empty(),
                mode_of(kind),
                rela_path.as_ref(),
            );
        }
        index.sort_entries();
        index
            .write_to(&mut lock, gix::index::write::Options::default())
            .map_err(write("index"))?;
        let id = repo
            .commit_as(committer, author, "HEAD", &message, tree, parent)
            .map_err(write("commit"))?
            .detach();
        lock.commit()
            .map_err(|e| GitError::write(work_tree, "index", e.error))?;
        Ok(CommitOutcome {
            id: id.to_string(),
            branch,
            first: parent.is_none(),
        })
    }
}

/// Refuses a detached HEAD and unfinished operations; returns the branch's short name
/// and its current commit (`None` before the first commit).
fn check_ready(
    repo: &gix::Repository,
    work_tree: &Path,
) -> Result<(String, Option<gix::ObjectId>), GitError> {
    if let Some(state) = repo.state() {
        let operation = match state {
            InProgress::Merge => Some("merge"),
            InProgress::Rebase | InProgress::RebaseInteractive => Some("rebase"),
            InProgress::CherryPick | InProgress::CherryPickSequence => Some("cherry-pick"),
            InProgress::Revert | InProgress::RevertSequence => Some("revert"),
            InProgress::ApplyMailbox | InProgress::ApplyMailboxRebase => Some("mailbox apply"),
            // git commits during a bisect too.
            InProgress::Bisect => None,
        };
        if let Some(operation) = operation {
            return Err(GitError::OperationInProgress {
                repo: work_tree.to_owned(),
                operation,
            });
        }
    }
    let head = repo
        .head()
        .map_err(|e| GitError::read(work_tree, "HEAD", e))?;
    if head.is_detached() {
        return Err(GitError::DetachedHead {
            repo: work_tree.to_owned(),
        });
    }
    let name = head
        .referent_name()
        .map(|name| name.shorten().to_string())
        .unwrap_or_default();
    let parent = head.id().map(gix::Id::detach);
    Ok((name, parent))
}

/// Takes `index.lock`, as git does before it reads the index to change it.
fn lock_index(index_path: &Path, work_tree: &Path) -> Result<gix::lock::File, GitError> {
    gix::lock::File::acquire_to_update_resource(
        index_path,
        gix::lock::acquire::Fail::Immediately,
        None,
        Default::default(),
    )
    .map_err(|e| {
        if index_path.with_extension("lock").exists() {
            GitError::IndexLocked {
                repo: work_tree.to_owned(),
            }
        } else {
            GitError::write(work_tree, "index lock", e)
        }
    })
}

/// Refuses index states that this module does not rewrite faithfully.
fn check_index(index: &gix::index::File, work_tree: &Path) -> Result<(), GitError> {
    let repo = || work_tree.to_owned();
    if index.link().is_some() {
        return Err(GitError::UnsupportedIndex {
            repo: repo(),
            kind: "split",
        });
    }
    if index.is_sparse() {
        return Err(GitError::UnsupportedIndex {
            repo: repo(),
            kind: "sparse",
        });
    }
    if index
        .entries()
        .iter()
        .any(|e| e.stage() != gix::index::entry::Stage::Unconflicted)
    {
        return Err(GitError::Unmerged { repo: repo() });
    }
    Ok(())
}

/// A selected path as it is in the work tree: its blob (written to the object database),
/// tree kind and index stat, or `None` when the file is gone.
type Staged = Option<(gix::ObjectId, EntryKind, Stat)>;

fn stage_path(
    pipeline: &mut gix::filter::Pipeline<'_>,
    index: &gix::index::File,
    work_tree: &Path,
    rela_path: &BString,
) -> Result<Staged, GitError> {
    let path = work_tree.join(gix::path::from_bstr(rela_path.as_bstr()).unwrap_or_default());
    let io = |source| GitError::Io {
        path: path.clone(),
        cause: source,
    };
    // The stat is taken before the content is read: if the file changes in between, the
    // index records the older stat and git sees the file as modified, never the reverse.
    let meta = match gix::index::fs::Metadata::from_path_no_follow(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    if !(meta.is_file() || meta.is_symlink()) {
        return Err(GitError::NotAPost { path });
    }
    let stat = Stat::from_fs(&meta).map_err(|e| io(std::io::Error::other(e)))?;
    let staged = pipeline
        .worktree_file_to_object(rela_path.as_ref(), index)
        .map_err(|e| GitError::write(work_tree, "blob", e))?;
    Ok(staged.and_then(|(id, kind, _)| match kind {
        EntryKind::Blob | EntryKind::BlobExecutable | EntryKind::Link => Some((id, kind, stat)),
        EntryKind::Tree | EntryKind::Commit => None,
    }))
}

/// Sets the index entry of a committed path to what was committed, or removes it;
/// returns what to append when the path has no entry yet.
fn update_entry(index: &mut gix::index::File, rela_path: &BString, staged: Staged) -> Staged {
    let position = index
        .entry_index_by_path_and_stage(rela_path.as_ref(), gix::index::entry::Stage::Unconflicted);
    match (staged, position) {
        (Some((id, kind, stat)), Some(position)) => {
            if let Some(entry) = index.entries_mut().get_mut(position) {
                entry.id = id;
                entry.stat = stat;
                entry.mode = mode_of(kind);
                entry
                    .flags
                    .remove(Flags::INTENT_TO_ADD | Flags::SKIP_WORKTREE);
            }
            None
        }
        (Some(addition), None) => Some(addition),
        (None, Some(position)) => {
            index.remove_entry_at_index(position);
            None
        }
        (None, None) => None,
    }
}

fn mode_of(kind: EntryKind) -> Mode {
    match kind {
        EntryKind::BlobExecutable => Mode::FILE_EXECUTABLE,
        EntryKind::Link => Mode::SYMLINK,
        EntryKind::Blob | EntryKind::Tree | EntryKind::Commit => Mode::FILE,
    }
}

/// The message as git stores it: trailing spaces and blank lines removed, one final
/// newline; `None` when nothing is left.
fn clean_message(message: &str) -> Option<String> {
    let lines: Vec<&str> = message.lines().map(str::trim_end).collect();
    let text = lines.join("\n");
    let text = text.trim_matches('\n');
    (!text.trim().is_empty()).then(|| format!("{text}\n"))
}

/// A work-tree file's bytes as `git add` would store them (after the clean filters).
pub(super) fn clean_bytes(
    pipeline: &mut gix::filter::Pipeline<'_>,
    file: std::fs::File,
    rela_path: &Path,
    index: &gix::index::State,
) -> Result<Vec<u8>, GixError> {
    use gix::filter::plumbing::pipeline::convert::ToGitOutcome;
    let mut out = Vec::new();
    match pipeline.convert_to_git(file, rela_path, index)? {
        ToGitOutcome::Unchanged(mut file) => {
            file.read_to_end(&mut out)?;
        }
        ToGitOutcome::Process(mut read) => {
            read.read_to_end(&mut out)?;
        }
        ToGitOutcome::Buffer(buffer) => out.extend_from_slice(buffer),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_cleaned_like_git_does() {
        assert_eq!(clean_message("  \n"), None);
        assert_eq!(clean_message(""), None);
        assert_eq!(clean_message("Fix title  \n\n").unwrap(), "Fix title\n");
        assert_eq!(
            clean_message("\nSubject\n\nBody line \n").unwrap(),
            "Subject\n\nBody line\n"
        );
    }
}
