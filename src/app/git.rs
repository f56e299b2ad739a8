//! The window's side of git: the archive's status, the Changes view's diff and commit,
//! and the open post's history, each computed on a worker thread.
//!
//! - **Status** runs when an archive opens (discovering its repository first) and again
//!   after every save, bulk run, commit and rescan. A newer request cancels the running
//!   one; a stale answer is dropped by its generation. The answer goes to the catalog
//!   ([`super::catalog::Catalog::set_changes`]), which is the one place that tells the
//!   index each post's state, so the list badge, the facet and `is:changed` agree.
//!   Without a repository nothing is shown and nothing is said.
//! - **Diff**: the Changes view's chosen post against HEAD (front matter and body).
//! - **Commit**: the ticked posts, with the repository's own author; a refusal (no
//!   author, detached HEAD, a merge in progress) is shown in the view, in git's terms.
//! - **History**: the commits that changed the open post arrive one by one; a chosen
//!   commit's version is read with its diff to the file on disk, and "Restore this
//!   version" makes it the open post's unsaved edit (see [`super::state::OpenPost`]), so
//!   it is written by the normal save with its changed-on-disk check.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::git::{
    ChangeState, Changes, CommitId, GitArchive, HistoryEntry, PostChange, StatusProgress,
    unified_diff,
};

use super::state::{AppState, Centre, Notice, Restored};

/// History entries taken in per frame (a long history streams in over a few frames).
const HISTORY_PER_FRAME: usize = 200;

/// Commits listed in a post's history before the walk stops.
const MAX_HISTORY: usize = 2000;

/// One changed post as the Changes view lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedPost {
    pub change: PostChange,
    /// For a deleted post, its title in HEAD (the others' titles are the catalog's,
    /// see [`AppState::change_title`]).
    deleted_title: Option<String>,
}

/// What a status run found.
struct StatusAnswer {
    generation: u64,
    /// The repository found (on the first run of an archive) and its changes, or why
    /// not (naming the folder); `Ok(None)`: no repository.
    result: Result<Option<Status>, String>,
}

/// A repository and its status.
struct Status {
    repo: GitArchive,
    changes: Changes,
    /// Per change, the title of a deleted post (read from HEAD).
    deleted_titles: Vec<Option<String>>,
}

struct RunningStatus {
    progress: StatusProgress,
    rx: Receiver<StatusAnswer>,
}

/// The Changes view's diff of one post against HEAD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostDiff {
    pub path: PathBuf,
    /// The unified diff (empty when the texts are the same), or why it cannot be shown.
    pub diff: Result<String, String>,
}

/// The open post's history, streaming in.
pub struct PostHistory {
    pub path: PathBuf,
    pub entries: Vec<HistoryEntry>,
    /// Why the walk stopped early, naming the file.
    pub error: Option<String>,
    rx: Option<Receiver<Result<HistoryEntry, String>>>,
    cancel: Arc<AtomicBool>,
    /// The commit chosen, and its version once read.
    pub chosen: Option<CommitId>,
    pub version: Option<Version>,
    version_rx: Option<Receiver<Version>>,
}

impl PostHistory {
    /// True while commits are still arriving.
    pub fn is_streaming(&self) -> bool {
        self.rx.is_some()
    }

    /// True while the chosen version is being read.
    pub fn is_reading(&self) -> bool {
        self.version_rx.is_some()
    }
}

/// The post at one commit, and its diff to the file on disk.
#[derive(Clone, Debug)]
pub struct Version {
    pub commit: CommitId,
    /// The bytes at that commit (`None`: the commit removed the post), or why they
    /// cannot be read.
    pub bytes: Result<Option<Vec<u8>>, String>,
    /// From that version to the file on disk.
    pub diff: String,
}

/// The app's git state for the open archive.
#[derive(Default)]
pub struct GitState {
    repo: Option<GitArchive>,
    generation: u64,
    running: Option<RunningStatus>,
    /// A status is wanted once the running one (for an older request) is replaced.
    changes: Option<Vec<ChangedPost>>,
    /// The posts ticked in the Changes view, by path.
    checked: BTreeSet<PathBuf>,
    /// The post whose diff the Changes view shows.
    shown: Option<PathBuf>,
    diff: Option<PostDiff>,
    diff_rx: Option<(PathBuf, Receiver<PostDiff>)>,
    pub(crate) message: String,
    committing: Option<Receiver<Result<String, CommitFailure>>>,
    /// The last commit's refusal or failure, shown in the view until the next try.
    pub(crate) commit_error: Option<String>,
    history: Option<PostHistory>,
}

/// Why a commit did not happen.
#[derive(Debug)]
struct CommitFailure {
    message: String,
}

impl GitState {
    /// Whether the open archive is in a git work tree (known after the first status).
    pub fn has_repository(&self) -> bool {
        self.repo.is_some()
    }

    /// The changed posts of the last status, in path order (`None` before one finished).
    pub fn changes(&self) -> Option<&[ChangedPost]> {
        self.changes.as_deref()
    }

    /// Whether a status is running.
    pub fn is_checking(&self) -> bool {
        self.running.is_some()
    }

    pub fn is_committing(&self) -> bool {
        self.committing.is_some()
    }

    /// The commit message being typed.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn commit_error(&self) -> Option<&str> {
        self.commit_error.as_deref()
    }

    pub fn is_checked(&self, path: &Path) -> bool {
        self.checked.contains(path)
    }

    /// How many changed posts are ticked.
    pub fn checked_count(&self) -> usize {
        self.checked.len()
    }

    /// The post whose diff is shown, and the diff once read.
    pub fn shown(&self) -> Option<&Path> {
        self.shown.as_deref()
    }

    pub fn diff(&self) -> Option<&PostDiff> {
        self.diff
            .as_ref()
            .filter(|d| Some(d.path.as_path()) == self.shown.as_deref())
    }

    /// The open post's history, when its window is open.
    pub fn history(&self) -> Option<&PostHistory> {
        self.history.as_ref()
    }

    /// True while a git worker runs.
    pub fn is_busy(&self) -> bool {
        self.running.is_some()
            || self.diff_rx.is_some()
            || self.committing.is_some()
            || self
                .history
                .as_ref()
                .is_some_and(|h| h.is_streaming() || h.is_reading())
    }

    /// Forgets everything (another archive opens).
    fn reset(&mut self) {
        if let Some(running) = &self.running {
            running.progress.cancel();
        }
        self.close_history();
        let generation = self.generation;
        *self = Self {
            generation,
            ..Self::default()
        };
    }

    fn close_history(&mut self) {
        if let Some(history) = self.history.take() {
            history.cancel.store(true, Ordering::Relaxed);
        }
    }
}

impl AppState {
    /// The window's git state.
    pub fn git(&self) -> &GitState {
        &self.git
    }

    /// The title a changed post is listed with: the list's, or for a deleted post (or
    /// one the scan has not delivered yet) its title in HEAD or its path.
    pub fn change_title(&self, changed: &ChangedPost) -> String {
        if let Some(title) = &changed.deleted_title {
            return title.clone();
        }
        self.catalog
            .id_of(&changed.change.path)
            .and_then(|id| self.catalog.row(id))
            .map(|row| row.title.clone())
            .unwrap_or_else(|| crate::archive::slash_path(&changed.change.path))
    }

    /// How post `id` differs from the last commit, as of the last status.
    pub fn change_of(&self, id: super::catalog::ArticleId) -> Option<ChangeState> {
        self.catalog.change(id)
    }

    /// Forgets the last archive's repository and starts looking for this one's.
    pub(super) fn open_git(&mut self, root: &Path) {
        self.git.reset();
        self.start_status(Some(root.to_owned()));
    }

    /// Runs the status again (after a save, a bulk run, a commit), when the archive is
    /// in a repository.
    pub(super) fn refresh_git(&mut self) {
        if self.git.repo.is_some() {
            self.start_status(None);
        }
    }

    /// Starts a status on a worker; with `discover`, finds the repository first.
    fn start_status(&mut self, discover: Option<PathBuf>) {
        if let Some(running) = self.git.running.take() {
            running.progress.cancel();
        }
        let repo = self.git.repo.clone();
        if discover.is_none() && repo.is_none() {
            return;
        }
        self.git.generation += 1;
        let generation = self.git.generation;
        let progress = StatusProgress::default();
        let worker_progress = progress.clone();
        let (tx, rx) = channel();
        let ctx = self.ctx_for_workers.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-git-status".into())
            .spawn(move || {
                let result = status_of(discover.as_deref(), repo, &worker_progress);
                let _ = tx.send(StatusAnswer { generation, result });
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.git.running = Some(RunningStatus { progress, rx }),
            Err(e) => self.error(format!("Cannot start the git status: {e}")),
        }
    }

    /// Takes in the git workers' answers.
    pub(super) fn drain_git(&mut self) {
        self.drain_status();
        if let Some((path, rx)) = &self.git.diff_rx {
            match rx.try_recv() {
                Ok(diff) => {
                    self.git.diff = Some(diff);
                    self.git.diff_rx = None;
                }
                Err(TryRecvError::Disconnected) => {
                    let path = path.clone();
                    self.git.diff = Some(PostDiff {
                        diff: Err(format!("The diff could not be read: {}", path.display())),
                        path,
                    });
                    self.git.diff_rx = None;
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        if let Some(rx) = &self.git.committing {
            match rx.try_recv() {
                Ok(Ok(notice)) => {
                    self.git.committing = None;
                    self.git.message.clear();
                    self.git.checked.clear();
                    self.notice = Some(Notice {
                        text: notice,
                        undo: None,
                        shown_at: std::time::Instant::now(),
                    });
                    self.refresh_git();
                }
                Ok(Err(failure)) => {
                    self.git.committing = None;
                    tracing::warn!("{}", failure.message);
                    self.git.commit_error = Some(failure.message);
                    self.refresh_git();
                }
                Err(TryRecvError::Disconnected) => {
                    self.git.committing = None;
                    self.git.commit_error = Some("The commit stopped unexpectedly".to_owned());
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        self.drain_history();
    }

    fn drain_status(&mut self) {
        let Some(running) = &self.git.running else {
            return;
        };
        let answer = match running.rx.try_recv() {
            Ok(answer) => answer,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                self.git.running = None;
                return;
            }
        };
        self.git.running = None;
        if answer.generation != self.git.generation {
            return;
        }
        match answer.result {
            Ok(Some(Status {
                repo,
                changes,
                deleted_titles: titles,
            })) => {
                self.git.repo = Some(repo);
                let listed: Vec<ChangedPost> = changes
                    .changes
                    .iter()
                    .zip(titles)
                    .map(|(change, deleted_title)| ChangedPost {
                        change: change.clone(),
                        deleted_title,
                    })
                    .collect();
                // Ticks and the shown diff stay on posts that still differ.
                self.git.checked.retain(|p| changes.get(p).is_some());
                if self
                    .git
                    .shown
                    .as_ref()
                    .is_some_and(|p| changes.get(p).is_none())
                {
                    self.git.shown = None;
                }
                self.git.changes = Some(listed);
                self.catalog.set_changes(Some(changes));
                self.needs_requery = true;
                self.facets_stale = true;
                // The diff shown may be older than the file now.
                if let Some(path) = self.git.shown.clone() {
                    self.show_change(path);
                }
            }
            Ok(None) => {
                self.git.repo = None;
                self.git.changes = None;
                self.catalog.set_changes(None);
            }
            Err(message) => {
                self.git.changes = None;
                self.error(message);
            }
        }
    }

    /// Shows the Changes view (or the article again).
    pub(super) fn show_changes(&mut self, on: bool) {
        self.show_view(Centre::Changes, on);
        if on && self.git.running.is_none() {
            self.refresh_git();
        }
    }

    /// Ticks or unticks changed posts for the next commit.
    pub(super) fn check_changes(&mut self, paths: Vec<PathBuf>, on: bool) {
        for path in paths {
            if on {
                self.git.checked.insert(path);
            } else {
                self.git.checked.remove(&path);
            }
        }
    }

    /// Shows the diff of the changed post at `path` against HEAD.
    pub(super) fn show_change(&mut self, path: PathBuf) {
        let (Some(repo), Some(root)) = (self.git.repo.clone(), self.root.clone()) else {
            return;
        };
        let Some(change) = self
            .git
            .changes
            .as_ref()
            .and_then(|c| c.iter().find(|c| c.change.path == path))
            .map(|c| c.change.clone())
        else {
            return;
        };
        self.git.shown = Some(path.clone());
        let (tx, rx) = channel();
        let ctx = self.ctx_for_workers.clone();
        let worker_path = path.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-git-diff".into())
            .spawn(move || {
                let diff = diff_against_head(&repo, &root, &change);
                let _ = tx.send(PostDiff {
                    path: worker_path,
                    diff,
                });
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.git.diff_rx = Some((path, rx)),
            Err(e) => self.error(format!("Cannot start the diff: {e}")),
        }
    }

    /// Commits the ticked posts with `message` on a worker.
    pub(super) fn commit_checked(&mut self) {
        let Some(repo) = self.git.repo.clone() else {
            return;
        };
        if self.git.committing.is_some() {
            return;
        }
        let message = self.git.message.trim().to_owned();
        let Some(changes) = self.git.changes.as_ref() else {
            return;
        };
        let posts: Vec<PathBuf> = changes
            .iter()
            .filter(|c| self.git.checked.contains(&c.change.path))
            .flat_map(|c| c.change.paths().map(Path::to_path_buf))
            .collect();
        let count = changes
            .iter()
            .filter(|c| self.git.checked.contains(&c.change.path))
            .count();
        if count == 0 {
            self.git.commit_error = Some("Tick the posts to commit first".to_owned());
            return;
        }
        if message.is_empty() {
            self.git.commit_error = Some("Write a commit message first".to_owned());
            return;
        }
        self.git.commit_error = None;
        let (tx, rx) = channel();
        let ctx = self.ctx_for_workers.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-git-commit".into())
            .spawn(move || {
                let result = repo
                    .commit(&posts, &message)
                    .map(|outcome| {
                        let short = outcome.id.get(..7).unwrap_or(&outcome.id).to_owned();
                        let posts = if count == 1 { "post" } else { "posts" };
                        format!("Committed {count} {posts} to {} ({short})", outcome.branch)
                    })
                    .map_err(|e| CommitFailure {
                        message: if e.is_refusal() {
                            format!("Not committed: {e}")
                        } else {
                            format!("The commit failed: {e}")
                        },
                    });
                let _ = tx.send(result);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.git.committing = Some(rx),
            Err(e) => self.error(format!("Cannot start the commit: {e}")),
        }
    }

    /// Opens (or closes) the history of the open post.
    pub(super) fn show_post_history(&mut self, on: bool) {
        self.git.close_history();
        if !on {
            return;
        }
        let (Some(repo), Some(path)) = (
            self.git.repo.clone(),
            self.selection.open().map(|o| o.post.article.path.clone()),
        ) else {
            return;
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let ctx = self.ctx_for_workers.clone();
        let worker = (path.clone(), Arc::clone(&cancel));
        let spawned = std::thread::Builder::new()
            .name("folio-git-history".into())
            .spawn(move || {
                let (path, cancel) = worker;
                stream_history(&repo, &path, cancel, &tx, &ctx);
            });
        match spawned {
            Ok(_) => {
                self.git.history = Some(PostHistory {
                    path,
                    entries: Vec::new(),
                    error: None,
                    rx: Some(rx),
                    cancel,
                    chosen: None,
                    version: None,
                    version_rx: None,
                });
            }
            Err(e) => self.error(format!("Cannot start reading the history: {e}")),
        }
    }

    fn drain_history(&mut self) {
        let open_path = self.selection.open().map(|o| &o.post.article.path);
        if self
            .git
            .history
            .as_ref()
            .is_some_and(|h| open_path != Some(&h.path))
            && !matches!(self.selection, super::state::Selection::Loading(_))
        {
            // Another post (or none) is open: the history was of the one before.
            self.git.close_history();
        }
        let Some(history) = &mut self.git.history else {
            return;
        };
        if let Some(rx) = &history.rx {
            for _ in 0..HISTORY_PER_FRAME {
                match rx.try_recv() {
                    Ok(Ok(entry)) => history.entries.push(entry),
                    Ok(Err(message)) => history.error = Some(message),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        history.rx = None;
                        break;
                    }
                }
            }
            if history.rx.is_some() {
                self.ctx_for_workers.request_repaint();
            }
        }
        if let Some(rx) = &history.version_rx {
            match rx.try_recv() {
                Ok(version) => {
                    if history.chosen == Some(version.commit) {
                        history.version = Some(version);
                    }
                    history.version_rx = None;
                }
                Err(TryRecvError::Disconnected) => history.version_rx = None,
                Err(TryRecvError::Empty) => {}
            }
        }
    }

    /// Reads the open post's version at `commit` and its diff to the file on disk.
    pub(super) fn choose_version(&mut self, commit: CommitId) {
        let (Some(repo), Some(root)) = (self.git.repo.clone(), self.root.clone()) else {
            return;
        };
        let Some(history) = &mut self.git.history else {
            return;
        };
        history.chosen = Some(commit);
        history.version = None;
        let path = history.path.clone();
        let (tx, rx) = channel();
        let ctx = self.ctx_for_workers.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-git-version".into())
            .spawn(move || {
                let _ = tx.send(version_at(&repo, &root, &path, commit));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => history.version_rx = Some(rx),
            Err(e) => self.error(format!("Cannot start reading the version: {e}")),
        }
    }

    /// Makes the chosen version the open post's unsaved edit.
    pub(super) fn restore_version(&mut self) {
        let Some(history) = &self.git.history else {
            return;
        };
        let Some(version) = history.version.as_ref() else {
            return;
        };
        let path = history.path.clone();
        let Some(open) = self.selection.open() else {
            return;
        };
        if open.post.article.path != path {
            self.error(format!(
                "Cannot restore: the history is of another post: {}",
                path.display()
            ));
            return;
        }
        if open.is_dirty() {
            self.error(format!(
                "Cannot restore: save or revert the edits first: {}",
                path.display()
            ));
            return;
        }
        let bytes = match &version.bytes {
            Ok(Some(bytes)) => bytes.clone(),
            Ok(None) => {
                self.error(format!(
                    "Cannot restore: the post did not exist in that commit: {}",
                    path.display()
                ));
                return;
            }
            Err(message) => {
                self.error(message.clone());
                return;
            }
        };
        if let Some(problem) = open.post.article.save_blocker() {
            self.error(format!(
                "Cannot restore: {}: {}",
                problem.message,
                path.display()
            ));
            return;
        }
        let old = crate::archive::parse_bytes(path.clone(), None, bytes);
        if let Some(problem) = old.article.read_blocker() {
            self.error(format!(
                "Cannot restore that version: {}: {}",
                problem.message,
                path.display()
            ));
            return;
        }
        let label = history
            .entries
            .iter()
            .find(|e| e.id == version.commit)
            .map(version_label)
            .unwrap_or_else(|| version.commit.to_string());
        if let Some(open) = self.selection.open_mut() {
            open.restored = Some(Restored {
                text: old.text,
                label,
            });
        }
    }
}

/// `abc1234 · 2021-06-17 · message`: how a restored version is named.
pub fn version_label(entry: &HistoryEntry) -> String {
    let id = entry.id.to_string();
    let date = entry
        .date()
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    format!(
        "{} · {date} · {}",
        id.get(..7).unwrap_or(&id),
        entry.summary()
    )
}

/// The short state letter a list row shows, and its hover text.
pub fn state_badge(state: ChangeState) -> (&'static str, &'static str) {
    match state {
        ChangeState::New => ("N", "New: not in the last commit"),
        ChangeState::Modified => ("M", "Modified since the last commit"),
        ChangeState::Renamed => ("R", "Renamed (moved) since the last commit"),
        ChangeState::Deleted => ("D", "Deleted since the last commit"),
    }
}

/// Discovery (when asked) and a status, with the titles of the deleted posts (read from
/// HEAD; the others are in the catalog, and reading them again would cost a read per
/// post of an archive that was never committed).
fn status_of(
    discover: Option<&Path>,
    repo: Option<GitArchive>,
    progress: &StatusProgress,
) -> Result<Option<Status>, String> {
    let repo = match (discover, repo) {
        (Some(root), _) => match GitArchive::discover(root) {
            Ok(Some(repo)) => repo,
            Ok(None) => return Ok(None),
            Err(e) => return Err(format!("Git status not shown: {e}")),
        },
        (None, Some(repo)) => repo,
        (None, None) => return Ok(None),
    };
    let changes = repo
        .status(progress)
        .map_err(|e| format!("Git status not shown: {e}"))?;
    let titles = changes
        .changes
        .iter()
        .map(|c| {
            (c.state == ChangeState::Deleted).then(|| {
                repo.title_of(c)
                    .unwrap_or_else(|_| crate::archive::slash_path(&c.path))
            })
        })
        .collect();
    Ok(Some(Status {
        repo,
        changes,
        deleted_titles: titles,
    }))
}

/// The diff of a changed post from HEAD to the file on disk.
fn diff_against_head(
    repo: &GitArchive,
    root: &Path,
    change: &PostChange,
) -> Result<String, String> {
    let head_path = change.renamed_from.as_deref().unwrap_or(&change.path);
    let old = match change.state {
        ChangeState::New => Vec::new(),
        _ => repo
            .head_file(head_path)
            .map_err(|e| e.to_string())?
            .unwrap_or_default(),
    };
    let new = match change.state {
        ChangeState::Deleted => Vec::new(),
        _ => read_post(root, &change.path)?,
    };
    // As git names the missing side of a new or deleted file.
    let old_label = match change.state {
        ChangeState::New => "/dev/null".to_owned(),
        _ => format!("a/{}", crate::archive::slash_path(head_path)),
    };
    let new_label = match change.state {
        ChangeState::Deleted => "/dev/null".to_owned(),
        _ => format!("b/{}", crate::archive::slash_path(&change.path)),
    };
    Ok(unified_diff(&old, &new, &old_label, &new_label))
}

/// A post's bytes on disk, bounded like a scan's read.
fn read_post(root: &Path, path: &Path) -> Result<Vec<u8>, String> {
    let full = root.join(path);
    let size = std::fs::metadata(&full)
        .map_err(|e| format!("Cannot read {e}: {}", full.display()))?
        .len();
    if size > crate::archive::DEFAULT_MAX_FILE_BYTES {
        return Err(format!("Too large to diff: {}", full.display()));
    }
    std::fs::read(&full).map_err(|e| format!("Cannot read {e}: {}", full.display()))
}

/// Sends the commits that changed `path`, newest first, until done or cancelled.
fn stream_history(
    repo: &GitArchive,
    path: &Path,
    cancel: Arc<AtomicBool>,
    tx: &std::sync::mpsc::Sender<Result<HistoryEntry, String>>,
    ctx: &egui::Context,
) {
    let history = match repo.history(path) {
        Ok(history) => history.with_cancel(Arc::clone(&cancel)),
        Err(e) => {
            let _ = tx.send(Err(e.to_string()));
            ctx.request_repaint();
            return;
        }
    };
    for (i, entry) in history.enumerate() {
        if i >= MAX_HISTORY || cancel.load(Ordering::Relaxed) {
            break;
        }
        let sent = tx.send(entry.map_err(|e| e.to_string()));
        if sent.is_err() {
            break;
        }
        if i < 8 || i % 64 == 0 {
            ctx.request_repaint();
        }
    }
    ctx.request_repaint();
}

/// The post at `commit` and the diff from it to the file on disk.
fn version_at(repo: &GitArchive, root: &Path, path: &Path, commit: CommitId) -> Version {
    let bytes = repo.file_at(commit, path).map_err(|e| e.to_string());
    let current = read_post(root, path).unwrap_or_default();
    let old = bytes.as_ref().ok().and_then(Option::as_ref);
    let short = commit.to_string();
    let diff = unified_diff(
        old.map_or(&[][..], Vec::as_slice),
        &current,
        &format!(
            "{} (commit {})",
            crate::archive::slash_path(path),
            short.get(..7).unwrap_or(&short)
        ),
        &format!("{} (on disk)", crate::archive::slash_path(path)),
    );
    Version {
        commit,
        bytes,
        diff,
    }
}
