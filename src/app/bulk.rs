//! Bulk edits in the window: the preview, the apply and the undo of an operation run on
//! a worker thread of their own, with progress and cancel, on the core's engine
//! ([`crate::bulk`]) and the archive's history (shared with `folio bulk`).
//!
//! The preview streams in batches, so its first diffs show while the rest is read; the
//! window keeps drawing while thousands of files are written (`logic` only drains the
//! channel). When a run ends, the worker re-reads the files it touched so that the list
//! shows them as they are now; a post moved to the trash leaves the list, one brought
//! back by an undo comes back.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::archive::{Article, DEFAULT_MAX_FILE_BYTES, inspect_post};
use crate::bulk::{self, Batch, Change, History, Planned, Preview, Progress, Report};

/// What the bulk worker sends back.
pub enum BulkMsg {
    Batch(Vec<Planned>),
    PreviewDone(Result<(), String>),
    Finished(Result<Finished, String>),
}

/// A finished apply, undo or redo, and the touched posts as they are on disk now.
pub struct Finished {
    pub report: Report,
    pub kind: RunKind,
    pub refreshed: Vec<Refreshed>,
}

/// Which run finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    Apply,
    Undo,
    Redo,
}

/// A touched post: where it was listed, and what is on disk now (`None`: gone).
pub struct Refreshed {
    /// Its paths before the run (where the list may have it), relative to the root.
    pub was: Vec<PathBuf>,
    pub now: Option<Article>,
}

/// The bulk editor's running (or finished) preview or run.
pub enum BulkJob {
    /// Reading the selected posts; `preview` fills as batches arrive.
    Previewing {
        batch: Batch,
        preview: Preview,
        progress: Arc<Progress>,
        rx: Receiver<BulkMsg>,
        /// Apply as soon as the preview is complete (a confirmed Delete).
        apply_when_ready: bool,
    },
    /// The preview is complete; nothing is written until Apply.
    Ready { batch: Batch, preview: Preview },
    /// Applying, undoing or redoing.
    Running {
        kind: RunKind,
        summary: String,
        progress: Arc<Progress>,
        rx: Receiver<BulkMsg>,
    },
}

impl BulkJob {
    /// Starts previewing `batch` (its posts relative to `root`).
    pub fn preview(root: &Path, batch: Batch, apply_when_ready: bool, ctx: &egui::Context) -> Self {
        let progress = Arc::new(Progress::default());
        let (tx, rx) = channel();
        let worker = (
            root.to_owned(),
            batch.clone(),
            Arc::clone(&progress),
            ctx.clone(),
        );
        spawn("folio-bulk-preview", tx.clone(), move || {
            let (root, batch, progress, ctx) = worker;
            let result = super::scan_task::in_background_pool(|| {
                bulk::preview_batch(&root, &batch, &progress, |planned| {
                    let _ = tx.send(BulkMsg::Batch(planned));
                    ctx.request_repaint();
                })
            });
            let _ = tx.send(BulkMsg::PreviewDone(result));
            ctx.request_repaint();
        });
        Self::Previewing {
            batch,
            preview: Preview::default(),
            progress,
            rx,
            apply_when_ready,
        }
    }

    /// Starts applying a previewed batch.
    pub fn apply(
        history: History,
        batch: Batch,
        changes: Vec<Change>,
        ctx: &egui::Context,
    ) -> Self {
        let summary = batch.summary.clone();
        Self::run(RunKind::Apply, summary.clone(), ctx, move |progress| {
            let touched = touched_paths(&changes);
            let report = bulk::apply_parts(&history, &summary, &batch.plans(), changes, progress)
                .map_err(|e| e.to_string())?;
            Ok((report, touched, history))
        })
    }

    /// Starts undoing (`kind` Undo) or redoing an operation (`id`, or the default one).
    pub fn undo_or_redo(
        history: History,
        kind: RunKind,
        id: Option<u64>,
        ctx: &egui::Context,
    ) -> Self {
        let summary = match kind {
            RunKind::Undo => "Undoing",
            _ => "Redoing",
        }
        .to_owned();
        Self::run(kind, summary, ctx, move |progress| {
            let report = match kind {
                RunKind::Undo => bulk::undo(&history, id, progress),
                _ => bulk::redo(&history, id, progress),
            }
            .map_err(|e| e.to_string())?;
            let record = history.record(report.id).map_err(|e| e.to_string())?;
            Ok((report, touched_paths(&record.changes), history))
        })
    }

    fn run(
        kind: RunKind,
        summary: String,
        ctx: &egui::Context,
        work: impl FnOnce(&Progress) -> Result<(Report, Vec<Vec<PathBuf>>, History), String>
        + Send
        + 'static,
    ) -> Self {
        let progress = Arc::new(Progress::default());
        let (tx, rx) = channel();
        let worker_progress = Arc::clone(&progress);
        let ctx_worker = ctx.clone();
        spawn("folio-bulk-run", tx.clone(), move || {
            let result = work(&worker_progress).map(|(report, touched, history)| Finished {
                refreshed: refresh(history.root(), touched),
                report,
                kind,
            });
            let _ = tx.send(BulkMsg::Finished(result));
            ctx_worker.request_repaint();
        });
        Self::Running {
            kind,
            summary,
            progress,
            rx,
        }
    }

    /// The progress of what runs now (none once the preview is ready).
    pub fn progress(&self) -> Option<&Progress> {
        match self {
            Self::Previewing { progress, .. } | Self::Running { progress, .. } => Some(progress),
            Self::Ready { .. } => None,
        }
    }

    /// The preview so far (none while running).
    pub fn preview_so_far(&self) -> Option<(&Batch, &Preview)> {
        match self {
            Self::Previewing { batch, preview, .. } | Self::Ready { batch, preview } => {
                Some((batch, preview))
            }
            Self::Running { .. } => None,
        }
    }
}

/// The paths a change touches, before and after.
fn touched_paths(changes: &[Change]) -> Vec<Vec<PathBuf>> {
    changes
        .iter()
        .map(|c| {
            let mut paths = vec![c.path.clone()];
            paths.extend(c.move_to.clone());
            paths
        })
        .collect()
}

/// Reads each touched post where it is now.
fn refresh(root: &Path, touched: Vec<Vec<PathBuf>>) -> Vec<Refreshed> {
    touched
        .into_iter()
        .map(|was| {
            let now = was
                .iter()
                .find(|p| root.join(p).is_file())
                .map(|p| inspect_post(root, p, DEFAULT_MAX_FILE_BYTES));
            Refreshed { was, now }
        })
        .collect()
}

fn spawn(name: &str, tx: Sender<BulkMsg>, work: impl FnOnce() + Send + 'static) {
    let spawned = std::thread::Builder::new().name(name.into()).spawn(work);
    if let Err(e) = spawned {
        let _ = tx.send(BulkMsg::Finished(Err(format!(
            "cannot start a worker: {e}"
        ))));
    }
}
