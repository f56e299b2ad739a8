//! The one home of the window's small background file work: saving a post, looking at a
//! path someone dropped, typed or passed on the command line, and reading the
//! archive's operation history. (Bulk operations, long by nature, have their own worker:
//! [`super::bulk`].)
//!
//! The UI thread never touches the file system. `logic` hands a [`Job`] to the tasks
//! thread and goes on drawing; the thread does the work in order (two saves of one post
//! can never overtake each other), sends a [`Done`] back and requests a repaint, and
//! `logic` applies it on a later frame. While a save runs the window shows it and
//! offers no second Save.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::archive::{Edit, POST_EXTENSIONS, Post, SaveError, SaveMode, apply_edits, save_post};
use crate::bulk::{History, Recorded};
use crate::fields::Fields;

use super::catalog::ArticleId;
use super::command::Command;
use super::loader::PostView;

/// Work for the tasks thread.
pub enum Job {
    Save(SaveJob),
    /// Find the archive for a path: a folder, or a post inside one.
    Resolve {
        path: PathBuf,
    },
    /// Open (creating if needed) the operation history of the archive at `root`, kept
    /// under `base`, and list its operations.
    OpenHistory {
        base: PathBuf,
        root: PathBuf,
    },
}

/// A save of the open post's draft.
pub struct SaveJob {
    pub id: ArticleId,
    pub root: PathBuf,
    /// The post as loaded: the base the edits apply to and the bytes the file must
    /// still have.
    pub post: Arc<Post>,
    pub edits: Vec<Edit>,
    /// The whole new text instead of edits (broken front matter fixed as text).
    pub text: Option<String>,
    pub mode: SaveMode,
    /// The draft's fields when the save started.
    pub fields: Fields,
    /// What to do once the save succeeded (the "Save" answer to an unsaved prompt).
    pub then: Option<Box<Command>>,
}

/// Why a save did not happen.
pub enum SaveFailure {
    /// The file changed on disk: the person chooses Reload, Overwrite or Cancel.
    ChangedOnDisk,
    /// Anything else, as a message naming the file.
    Other(String),
}

/// A finished job.
pub enum Done {
    Saved(Box<Saved>),
    SaveFailed {
        id: ArticleId,
        failure: SaveFailure,
    },
    /// The archive root for the path, and the post to select in it.
    Resolved {
        root: PathBuf,
        select: Option<PathBuf>,
    },
    ResolveFailed {
        message: String,
    },
    /// The archive's history and its operations, oldest first.
    History {
        root: PathBuf,
        result: Result<(History, Vec<Recorded>), String>,
    },
}

/// A post saved: as it reads back from disk, ready to show.
pub struct Saved {
    pub id: ArticleId,
    pub post: Post,
    pub view: PostView,
    /// The draft's fields when the save started.
    pub fields: Fields,
    pub then: Option<Box<Command>>,
}

/// The tasks thread's inbox and outbox.
pub struct Tasks {
    tx: Option<Sender<Job>>,
    rx: Receiver<Done>,
    in_flight: usize,
}

impl Tasks {
    /// Starts the tasks thread; it repaints `ctx` after each finished job.
    pub fn start(ctx: &egui::Context) -> Self {
        let (job_tx, job_rx) = channel::<Job>();
        let (done_tx, done_rx) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-tasks".into())
            .spawn(move || {
                for job in job_rx {
                    if done_tx.send(run(job)).is_err() {
                        return;
                    }
                    ctx.request_repaint();
                }
            });
        let tx = match spawned {
            Ok(_) => Some(job_tx),
            Err(e) => {
                tracing::warn!("cannot start the tasks thread: {e}");
                None
            }
        };
        Self {
            tx,
            rx: done_rx,
            in_flight: 0,
        }
    }

    /// Queues `job`; false when the thread is gone (the caller reports it).
    pub fn send(&mut self, job: Job) -> bool {
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(job).is_ok());
        if sent {
            self.in_flight += 1;
        }
        sent
    }

    /// The next finished job, if any.
    pub fn try_recv(&mut self) -> Option<Done> {
        let done = self.rx.try_recv().ok()?;
        self.in_flight = self.in_flight.saturating_sub(1);
        Some(done)
    }

    /// Whether a job is queued or running.
    pub fn is_busy(&self) -> bool {
        self.in_flight > 0
    }
}

fn run(job: Job) -> Done {
    match job {
        Job::Save(save) => run_save(save),
        Job::Resolve { path } => match resolve(&path) {
            Ok((root, select)) => Done::Resolved { root, select },
            Err(message) => Done::ResolveFailed { message },
        },
        Job::OpenHistory { base, root } => {
            let result = History::open(&base, &root)
                .and_then(|history| {
                    let ops = history.operations()?;
                    Ok((history, ops))
                })
                .map_err(|e| format!("The operation history cannot be read: {e}"));
            Done::History { root, result }
        }
    }
}

fn run_save(job: SaveJob) -> Done {
    let SaveJob {
        id,
        root,
        post,
        edits,
        text,
        mode,
        fields,
        then,
    } = job;
    let failed = |failure| Done::SaveFailed { id, failure };
    let new_text = match text {
        Some(text) => text,
        None => match apply_edits(&post, &edits) {
            Ok(text) => text,
            Err(e) => return failed(SaveFailure::Other(format!("Not saved: {e}"))),
        },
    };
    match save_post(&root, &post, &new_text, mode) {
        Ok(saved) => {
            tracing::info!(path = %saved.article.path.display(), keys = edits.len(), "saved");
            let view = PostView::of(&saved);
            Done::Saved(Box::new(Saved {
                id,
                post: saved,
                view,
                fields,
                then,
            }))
        }
        Err(SaveError::ChangedOnDisk { .. }) => failed(SaveFailure::ChangedOnDisk),
        Err(e) => failed(SaveFailure::Other(e.to_string())),
    }
}

/// The archive a path opens: a folder is the archive itself; a post file opens its
/// posts folder (see [`crate::archive::locate_posts_folder`]) with the post selected.
/// Anything else is refused with a message naming the path.
pub fn resolve(path: &Path) -> Result<(PathBuf, Option<PathBuf>), String> {
    if !path.exists() {
        return Err(format!("No such file or folder: {}", path.display()));
    }
    let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    if path.is_dir() {
        return Ok((path, None));
    }
    let is_post = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| POST_EXTENSIONS.iter().any(|p| p.eq_ignore_ascii_case(e)));
    if !is_post {
        return Err(format!(
            "Not a folder or a post (.md, .markdown, .html): {}",
            path.display()
        ));
    }
    crate::archive::locate_posts_folder(&path)
        .map(|(root, rel)| (root, Some(rel)))
        .ok_or_else(|| format!("Cannot find the archive of: {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_to_archives_or_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("source/_posts/news");
        std::fs::create_dir_all(&posts).unwrap();
        std::fs::write(posts.join("a.md"), "---\ntitle: a\n---\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(resolve(dir.path()).unwrap(), (root.clone(), None));
        assert_eq!(
            resolve(&posts.join("a.md")).unwrap(),
            (root.join("source/_posts"), Some(PathBuf::from("news/a.md")))
        );
        assert!(
            resolve(&dir.path().join("notes.txt"))
                .unwrap_err()
                .contains("notes.txt")
        );
        assert!(
            resolve(&dir.path().join("missing"))
                .unwrap_err()
                .contains("missing")
        );
    }
}
