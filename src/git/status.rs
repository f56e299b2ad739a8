//! Each post's state against HEAD: new, modified, deleted or renamed.
//!
//! Git compares in two layers, HEAD↔index and index↔work tree; a person asks one
//! question, "does this post differ from the last commit?". So both layers run at once
//! (gix runs the tree↔index diff, the stat-based index↔work-tree check and the walk for
//! untracked files on their own threads) and are then folded per path into one state
//! against HEAD (`fold.rs`). Where the work tree differs from the index the file
//! is hashed, after the same clean filters `git add` applies, and compared with HEAD's
//! blob: a post staged and then edited back, or rewritten with CRLF where git stores LF,
//! is unchanged. Nothing is written: gix's refreshed stat data is dropped rather than
//! saved to the index, because a status must not change the repository.
//!
//! For the app: run [`GitArchive::status`] on a worker with a [`StatusProgress`] (cancel
//! it when a newer request supersedes it), then map the result to the scanned articles
//! with [`Changes::get`] by their archive-relative path; deleted posts have no article
//! and are listed from [`Changes`] itself.
//!
//! Renames come from gix's rename tracking in both layers (exact and 50 % similar, like
//! git's default), chained when a post was moved twice. Submodules and nested
//! repositories are skipped: their files are not posts of this archive.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use gix::bstr::{BStr, BString};
use gix::{ObjectId, status};

use super::fold::Fold;
use super::{GitArchive, GitError};

/// How a post differs from its version in HEAD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeState {
    /// Not in HEAD: untracked, or added to the index.
    New,
    /// In HEAD with other content (or another file mode).
    Modified,
    /// In HEAD, gone from the work tree.
    Deleted,
    /// Moved from another path of the archive (its content may have changed too).
    Renamed,
}

impl ChangeState {
    /// The word used by `folio changes`: `new`, `modified`, `deleted` or `renamed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Modified => "modified",
            Self::Deleted => "deleted",
            Self::Renamed => "renamed",
        }
    }
}

impl std::fmt::Display for ChangeState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One post that differs from HEAD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostChange {
    /// Path relative to the archive root; for a deleted post, where it was.
    pub path: PathBuf,
    pub state: ChangeState,
    /// For a renamed post, its path in HEAD (relative to the archive root).
    pub renamed_from: Option<PathBuf>,
}

impl PostChange {
    /// The paths a commit of this change must include: both sides of a rename.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.path.as_path()).chain(self.renamed_from.as_deref())
    }
}

/// Every post of the archive that differs from HEAD, in path order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub changes: Vec<PostChange>,
}

impl Changes {
    /// The change of the post at `path` (archive-relative), if it differs from HEAD.
    pub fn get(&self, path: &Path) -> Option<&PostChange> {
        self.changes
            .binary_search_by(|c| c.path.as_path().cmp(path))
            .ok()
            .and_then(|i| self.changes.get(i))
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.changes.len()
    }
}

/// Progress of a status and a cancel flag, shared with the thread that runs it.
#[derive(Clone, Debug, Default)]
pub struct StatusProgress {
    checked: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
}

impl StatusProgress {
    /// Tracked files compared with the work tree so far.
    pub fn checked_files(&self) -> usize {
        self.checked.load(Ordering::Relaxed)
    }

    /// Tracked files to compare (0 until the index is read).
    pub fn total_files(&self) -> usize {
        self.total.load(Ordering::Relaxed)
    }

    /// Asks the status to stop; it then returns [`GitError::Cancelled`].
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

impl GitArchive {
    /// Every post of the archive that differs from HEAD. Runs for a while on a large
    /// repository: call it on a worker thread, read `progress` from another, and cancel
    /// through it. A repository without commits reports every post as new.
    pub fn status(&self, progress: &StatusProgress) -> Result<Changes, GitError> {
        let repo = self.local();
        let read = |what| {
            let work_tree = self.work_tree.clone();
            move |e: gix::Error| GitError::read(&work_tree, what, e)
        };
        let rewrites = gix::diff::Rewrites::default();
        // Every untracked file, one by one (not collapsed into its folder), whatever
        // `status.showUntrackedFiles` says: a new post is a change even where git hides it.
        let dirwalk = repo
            .dirwalk_options()
            .map_err(read("config"))?
            .emit_untracked(gix::dir::walk::EmissionMode::Matching);
        let items = repo
            .status(CountingProgress::from(progress))
            .map_err(read("status"))?
            .index_worktree_options_mut(|options| options.dirwalk_options = Some(dirwalk))
            .index_worktree_submodules(None)
            .index_worktree_rewrites(rewrites)
            .tree_index_track_renames(status::tree_index::TrackRenames::Given(rewrites))
            .should_interrupt_owned(Arc::clone(&progress.cancel))
            .into_iter(self.paths.pathspec())
            .map_err(read("status"))?;
        let mut fold = Fold::default();
        for item in items {
            if progress.is_cancelled() {
                return Err(GitError::Cancelled);
            }
            fold.add(item.map_err(read("status"))?);
        }
        if progress.is_cancelled() {
            return Err(GitError::Cancelled);
        }
        let mut hasher = WorktreeHasher::new(&repo, &self.work_tree);
        Ok(self.resolve(fold, &mut hasher))
    }

    /// Turns the folded layers into post changes, pairing renames.
    fn resolve(&self, fold: Fold, hasher: &mut WorktreeHasher<'_>) -> Changes {
        let mut states: BTreeMap<BString, ChangeState> = BTreeMap::new();
        for (path, layers) in &fold.paths {
            if let Some(state) = layers.state(|| hasher.blob_id(path.as_ref())) {
                states.insert(path.clone(), state);
            }
        }
        let mut renamed: HashMap<BString, BString> = HashMap::new();
        let mut sources: HashSet<BString> = HashSet::new();
        for (dest, state) in &states {
            if *state != ChangeState::New || self.paths.to_archive(dest.as_ref()).is_none() {
                continue;
            }
            if let Some(source) = fold.rename_source(dest, &states)
                && self.paths.to_archive(source.as_ref()).is_some()
                && sources.insert(source.clone())
            {
                renamed.insert(dest.clone(), source);
            }
        }
        let mut changes = Vec::new();
        for (path, state) in &states {
            let Some(archive_path) = self.paths.to_archive(path.as_ref()) else {
                continue;
            };
            let renamed_from = renamed.get(path);
            if *state == ChangeState::Deleted && sources.contains(path) {
                continue;
            }
            changes.push(PostChange {
                path: archive_path,
                state: if renamed_from.is_some() {
                    ChangeState::Renamed
                } else {
                    *state
                },
                renamed_from: renamed_from.and_then(|s| self.paths.to_archive(s.as_ref())),
            });
        }
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        Changes { changes }
    }
}

/// Hashes work-tree files as `git add` would store them (after the clean filters:
/// line endings, `ident`), without writing anything.
struct WorktreeHasher<'repo> {
    repo: &'repo gix::Repository,
    work_tree: &'repo Path,
    pipeline: Option<(
        gix::filter::Pipeline<'repo>,
        gix::worktree::IndexPersistedOrInMemory,
    )>,
}

impl<'repo> WorktreeHasher<'repo> {
    fn new(repo: &'repo gix::Repository, work_tree: &'repo Path) -> Self {
        Self {
            repo,
            work_tree,
            pipeline: None,
        }
    }

    /// The blob id of the file at `rela_path`, or `None` when it cannot be read.
    fn blob_id(&mut self, rela_path: &BStr) -> Option<ObjectId> {
        let relative = gix::path::from_bstr(rela_path).ok()?;
        let path = self.work_tree.join(&relative);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        let hash_kind = self.repo.object_hash();
        if meta.is_symlink() {
            let target = std::fs::read_link(&path).ok()?;
            let target = gix::path::into_bstr(target).ok()?;
            return gix::objs::compute_hash(hash_kind, gix::objs::Kind::Blob, &target).ok();
        }
        if self.pipeline.is_none() {
            self.pipeline = self.repo.filter_pipeline(None).ok();
        }
        let (pipeline, index) = self.pipeline.as_mut()?;
        let file = std::fs::File::open(&path).ok()?;
        let bytes = super::commit::clean_bytes(pipeline, file, &relative, index).ok()?;
        gix::objs::compute_hash(hash_kind, gix::objs::Kind::Blob, &bytes).ok()
    }
}

/// Counts the tracked files gix has compared, for [`StatusProgress`].
struct CountingProgress {
    checked: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
}

impl From<&StatusProgress> for CountingProgress {
    fn from(progress: &StatusProgress) -> Self {
        Self {
            checked: Arc::clone(&progress.checked),
            total: Arc::clone(&progress.total),
        }
    }
}

impl gix::Count for CountingProgress {
    fn set(&self, step: usize) {
        self.checked.store(step, Ordering::Relaxed);
    }

    fn step(&self) -> usize {
        self.checked.load(Ordering::Relaxed)
    }

    fn inc_by(&self, step: usize) {
        self.checked.fetch_add(step, Ordering::Relaxed);
    }

    fn counter(&self) -> gix::progress::StepShared {
        Arc::clone(&self.checked)
    }
}

impl gix::Progress for CountingProgress {
    fn init(&mut self, max: Option<usize>, _unit: Option<gix::progress::Unit>) {
        self.total.store(max.unwrap_or(0), Ordering::Relaxed);
    }

    fn set_name(&mut self, _name: String) {}

    fn name(&self) -> Option<String> {
        None
    }

    fn id(&self) -> gix::progress::Id {
        gix::progress::UNKNOWN
    }

    fn message(&self, _level: gix::progress::MessageLevel, _message: String) {}
}
