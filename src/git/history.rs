//! A post's history: the commits that changed it, newest first, streamed; and the post's
//! bytes as they were at one of them.
//!
//! [`History`] is an iterator that walks commits from HEAD by commit date and yields a
//! commit as soon as it is known to have changed the file, so the first entries of a
//! long history arrive at once and the rest follow while the caller reads them; the
//! caller stops it by dropping it, or through a cancel flag that is checked at every
//! commit visited (a long run of commits that do not touch the file yields nothing).
//! Like `git log -- PATH`, a merge whose file equals one parent's follows only that
//! parent, so changes that a merge discarded are not listed. Renames are not followed:
//! the history starts where the file appeared at this path.

use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use gix::ObjectId;
use gix::bstr::{BString, ByteSlice};

use super::{GitArchive, GitError};

/// A commit's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CommitId(ObjectId);

impl std::fmt::Display for CommitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for CommitId {
    type Err = String;

    /// Parses a full hex id.
    fn from_str(hex: &str) -> Result<Self, Self::Err> {
        ObjectId::from_hex(hex.as_bytes())
            .map(Self)
            .map_err(|e| format!("not a commit id: {e}: {hex}"))
    }
}

/// One commit that changed a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub id: CommitId,
    pub author_name: String,
    pub author_email: String,
    /// The author date, seconds since the Unix epoch.
    pub time_secs: i64,
    /// The author's UTC offset in seconds.
    pub offset_secs: i32,
    /// The whole message, lossily decoded as UTF-8.
    pub message: String,
    /// False when the commit removed the file.
    pub file_exists: bool,
}

impl HistoryEntry {
    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or_default()
    }

    /// The author date in the author's own offset.
    pub fn date(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let offset = chrono::FixedOffset::east_opt(self.offset_secs)?;
        chrono::DateTime::from_timestamp(self.time_secs, 0).map(|utc| utc.with_timezone(&offset))
    }
}

/// The blob (id and mode) at the post's path in one commit, `None` when absent.
type Version = Option<(ObjectId, gix::objs::tree::EntryMode)>;

/// The commits that changed one post, newest first. See the module docs.
pub struct History {
    repo: gix::Repository,
    work_tree: PathBuf,
    rela_path: BString,
    /// Commits to visit, newest committer date first.
    queue: BinaryHeap<(i64, ObjectId)>,
    seen: HashSet<ObjectId>,
    /// Commit date and the post's version of commits queued but not yet visited.
    known: HashMap<ObjectId, (i64, Version)>,
    /// The post's version per root tree: most commits share their tree with a neighbour.
    by_tree: HashMap<ObjectId, Version>,
    cancel: Option<Arc<AtomicBool>>,
}

impl GitArchive {
    /// The commits reachable from HEAD that changed the post at `post`
    /// (archive-relative). Empty before the first commit.
    pub fn history(&self, post: &Path) -> Result<History, GitError> {
        let rela_path = self.repo_path(post)?;
        let repo = self.local();
        let mut history = History {
            work_tree: self.work_tree.clone(),
            rela_path,
            queue: BinaryHeap::new(),
            seen: HashSet::new(),
            known: HashMap::new(),
            by_tree: HashMap::new(),
            cancel: None,
            repo,
        };
        let head = history
            .repo
            .head()
            .map_err(|e| GitError::read(&self.work_tree, "HEAD", e))?
            .id()
            .map(gix::Id::detach);
        if let Some(head) = head {
            history.enqueue(head)?;
        }
        Ok(history)
    }

    /// The post's bytes at `commit` as they would be checked out (line endings and other
    /// smudge filters applied); `None` when the post did not exist there.
    pub fn file_at(&self, commit: CommitId, post: &Path) -> Result<Option<Vec<u8>>, GitError> {
        let rela_path = self.repo_path(post)?;
        let repo = self.local();
        let read = |what| move |e: gix::Error| GitError::read(&self.work_tree, what, e);
        let tree = repo
            .find_commit(commit.0)
            .map_err(read("commit"))?
            .tree_id()
            .map_err(read("commit"))?
            .detach();
        blob_at(&repo, tree, &rela_path, &self.work_tree, Filters::Apply)
    }

    /// The post's bytes in HEAD, as [`Self::file_at`]; `None` before the first commit or
    /// when the post is not in HEAD.
    pub fn head_file(&self, post: &Path) -> Result<Option<Vec<u8>>, GitError> {
        self.head_blob(post, Filters::Apply)
    }

    /// The post's bytes in HEAD, with or without the smudge filters (which need the
    /// attributes of the whole index: too slow to set up for each of many posts).
    pub(super) fn head_blob(
        &self,
        post: &Path,
        filters: Filters,
    ) -> Result<Option<Vec<u8>>, GitError> {
        let rela_path = self.repo_path(post)?;
        let repo = self.local();
        let head = repo
            .head()
            .map_err(|e| GitError::read(&self.work_tree, "HEAD", e))?;
        if head.is_unborn() {
            return Ok(None);
        }
        let tree = repo
            .head_tree_id()
            .map_err(|e| GitError::read(&self.work_tree, "HEAD", e))?
            .detach();
        blob_at(&repo, tree, &rela_path, &self.work_tree, filters)
    }
}

/// Whether a blob is converted to its checked-out form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Filters {
    Apply,
    Skip,
}

impl History {
    /// Stops the walk at the next commit visited once `cancel` is set.
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> Self {
        self.cancel = Some(cancel);
        self
    }

    fn is_cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    }

    fn read_error(&self, what: &'static str) -> impl FnOnce(gix::Error) -> GitError + '_ {
        move |e| GitError::read(&self.work_tree, what, e)
    }

    /// The commit date of `id` and the post's version in it, looked up once.
    fn version_of(&mut self, id: ObjectId) -> Result<(i64, Version), GitError> {
        if let Some(known) = self.known.get(&id) {
            return Ok(*known);
        }
        let commit = self
            .repo
            .find_commit(id)
            .map_err(self.read_error("commit"))?;
        let time = commit.time().map_err(self.read_error("commit"))?.seconds;
        let tree = commit
            .tree_id()
            .map_err(self.read_error("commit"))?
            .detach();
        let version = match self.by_tree.get(&tree) {
            Some(version) => *version,
            None => {
                let version = version_at(&self.repo, tree, &self.rela_path)
                    .map_err(self.read_error("tree"))?;
                if self.by_tree.len() > 4096 {
                    self.by_tree.clear();
                }
                self.by_tree.insert(tree, version);
                version
            }
        };
        self.known.insert(id, (time, version));
        Ok((time, version))
    }

    /// Queues a commit to visit, once.
    fn enqueue(&mut self, id: ObjectId) -> Result<(), GitError> {
        if self.seen.insert(id) {
            let (time, _) = self.version_of(id)?;
            self.queue.push((time, id));
        }
        Ok(())
    }

    /// Visits one commit: queues the parents to follow and tells whether it changed the
    /// post.
    fn visit(&mut self, id: ObjectId) -> Result<Option<HistoryEntry>, GitError> {
        let (_, here) = self.version_of(id)?;
        self.known.remove(&id);
        let parents: Vec<ObjectId> = self
            .repo
            .find_commit(id)
            .map_err(self.read_error("commit"))?
            .parent_ids()
            .map(gix::Id::detach)
            .collect();
        let mut same_as = None;
        for parent in &parents {
            if self.version_of(*parent)?.1 == here {
                same_as = Some(*parent);
                break;
            }
        }
        let changed = match same_as {
            // Follow only the parent the post came from, as `git log -- PATH` does.
            Some(parent) => {
                for other in parents.iter().filter(|p| **p != parent) {
                    if !self.seen.contains(other) {
                        self.known.remove(other);
                    }
                }
                self.enqueue(parent)?;
                false
            }
            None => {
                for parent in &parents {
                    self.enqueue(*parent)?;
                }
                !parents.is_empty() || here.is_some()
            }
        };
        if changed {
            self.entry(id, here.is_some()).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The date, author and message of a commit that changed the post.
    fn entry(&self, id: ObjectId, file_exists: bool) -> Result<HistoryEntry, GitError> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(self.read_error("commit"))?;
        let author = commit.author().map_err(self.read_error("commit"))?;
        let time = author.time().map_err(self.read_error("commit"))?;
        Ok(HistoryEntry {
            id: CommitId(id),
            author_name: author.name.to_str_lossy().trim().to_owned(),
            author_email: author.email.to_str_lossy().trim().to_owned(),
            time_secs: time.seconds,
            offset_secs: time.offset,
            message: commit.message_raw_sloppy().to_str_lossy().into_owned(),
            file_exists,
        })
    }
}

impl Iterator for History {
    type Item = Result<HistoryEntry, GitError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.is_cancelled() {
                return None;
            }
            let (_, id) = self.queue.pop()?;
            match self.visit(id) {
                Ok(Some(entry)) => return Some(Ok(entry)),
                Ok(None) => {}
                Err(e) => {
                    // A broken object ends the walk: what follows cannot be trusted.
                    self.queue.clear();
                    return Some(Err(e));
                }
            }
        }
    }
}

/// The post's blob id and mode in the tree `tree`.
fn version_at(
    repo: &gix::Repository,
    tree: ObjectId,
    rela_path: &BString,
) -> Result<Version, gix::Error> {
    let tree = repo.find_tree(tree)?;
    let entry = tree.lookup_entry(rela_path.split(|b| *b == b'/'))?;
    Ok(entry
        .filter(|e| e.mode().is_blob_or_symlink())
        .map(|e| (e.object_id(), e.mode())))
}

/// The blob at `rela_path` in `tree`, converted to its work-tree form.
fn blob_at(
    repo: &gix::Repository,
    tree: ObjectId,
    rela_path: &BString,
    work_tree: &Path,
    filters: Filters,
) -> Result<Option<Vec<u8>>, GitError> {
    let read = |what| move |e: gix::Error| GitError::read(work_tree, what, e);
    let Some((id, _)) = version_at(repo, tree, rela_path).map_err(read("tree"))? else {
        return Ok(None);
    };
    let mut blob = repo.find_blob(id).map_err(read("blob"))?;
    if filters == Filters::Skip {
        return Ok(Some(blob.take_data()));
    }
    let (mut pipeline, _) = repo.filter_pipeline(None).map_err(read("attributes"))?;
    let converted = pipeline
        .convert_to_worktree(&blob.data, rela_path.as_ref(), Default::default())
        .map_err(read("filters"))?;
    use gix::filter::plumbing::driver::apply::MaybeDelayed;
    use gix::filter::plumbing::pipeline::convert::ToWorktreeOutcome;
    let bytes = match converted {
        ToWorktreeOutcome::Unchanged(bytes) | ToWorktreeOutcome::Buffer(bytes) => bytes.to_vec(),
        ToWorktreeOutcome::Process(MaybeDelayed::Immediate(mut process)) => {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut process, &mut out).map_err(|source| GitError::Io {
                path: work_tree.join(gix::path::from_bstr(rela_path.as_bstr()).unwrap_or_default()),
                cause: source,
            })?;
            out
        }
        // Delays were not allowed (the default options), so a driver cannot defer.
        ToWorktreeOutcome::Process(MaybeDelayed::Delayed(_)) => blob.data.clone(),
    };
    Ok(Some(bytes))
}
