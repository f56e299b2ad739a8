//! File › Export… in the window: the list's posts (or the marked ones) written by the
//! core's [`crate::export`] on a worker thread, with progress and cancel; the native
//! save dialog runs on a worker too.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::archive::Article;
use crate::export::{ExportProgress, ExportReport, ExportRequest, export};

use super::state::{AppState, Notice};

/// An export under way.
struct Running {
    progress: Arc<ExportProgress>,
    rx: Receiver<Result<ExportReport, String>>,
}

/// The export window's side of the app.
#[derive(Default)]
pub struct ExportState {
    /// The window is open.
    pub(crate) open: bool,
    running: Option<Running>,
    /// The path the save dialog returned, numbered so the window takes each once.
    chosen: Option<(u64, PathBuf)>,
    choice_count: u64,
    choosing: Option<Receiver<Option<PathBuf>>>,
    /// Why the last export failed.
    failed: Option<String>,
}

impl ExportState {
    /// Posts written and posts in all, while an export runs.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.running.as_ref().map(|r| {
            (
                r.progress.done.load(Ordering::Relaxed),
                r.progress.total.load(Ordering::Relaxed),
            )
        })
    }

    /// The last path chosen in the save dialog, with its number.
    pub fn chosen(&self) -> Option<&(u64, PathBuf)> {
        self.chosen.as_ref()
    }

    pub fn failure(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// Whether the export window is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn is_busy(&self) -> bool {
        self.running.is_some()
    }
}

impl AppState {
    /// The export window's state.
    pub fn export_state(&self) -> &ExportState {
        &self.export
    }

    /// Exports the marked posts (`marked`) or the list's, as `request` says.
    pub(super) fn start_export(&mut self, request: ExportRequest, marked: bool) {
        if self.export.running.is_some() {
            return;
        }
        let Some(root) = self.root.clone() else {
            return;
        };
        let ids: Vec<_> = if marked {
            self.marked.ids().to_vec()
        } else {
            self.visible.clone()
        };
        // Copies for the worker: the catalog stays the UI thread's.
        let articles: Vec<Article> = ids
            .iter()
            .filter_map(|&id| self.catalog.article(id).cloned())
            .collect();
        let progress = Arc::new(ExportProgress::default());
        let (tx, rx) = channel();
        let worker = Arc::clone(&progress);
        let ctx = self.ctx_for_workers.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-export".into())
            .spawn(move || {
                let refs: Vec<&Article> = articles.iter().collect();
                let result = super::scan_task::in_background_pool(|| {
                    export(&root, &refs, &request, &worker).map_err(|e| e.to_string())
                });
                let _ = tx.send(result);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.export.failed = None;
                self.export.running = Some(Running { progress, rx });
            }
            Err(e) => self.export.failed = Some(format!("cannot start the export: {e}")),
        }
    }

    pub(super) fn cancel_export(&mut self) {
        if let Some(running) = &self.export.running {
            running.progress.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Opens the native save dialog (a folder chooser for one file per post).
    pub(super) fn choose_export_path(&mut self, folder: bool, name: String) {
        if self.export.choosing.is_some() {
            return;
        }
        let (tx, rx) = channel();
        let ctx = self.ctx_for_workers.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-export-pick".into())
            .spawn(move || {
                let dialog = rfd::FileDialog::new().set_title("Export to");
                let picked = if folder {
                    dialog.pick_folder()
                } else {
                    dialog.set_file_name(name).save_file()
                };
                let _ = tx.send(picked);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.export.choosing = Some(rx),
            Err(e) => self.export.failed = Some(format!("cannot open the save dialog: {e}")),
        }
    }

    /// Once per frame: takes in the export's result and the dialog's answer.
    pub(super) fn drain_export(&mut self) {
        if let Some(rx) = &self.export.choosing {
            match rx.try_recv() {
                Ok(picked) => {
                    self.export.choosing = None;
                    if let Some(path) = picked {
                        self.export.choice_count += 1;
                        self.export.chosen = Some((self.export.choice_count, path));
                    }
                }
                Err(TryRecvError::Disconnected) => self.export.choosing = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        let Some(running) = &self.export.running else {
            return;
        };
        let result = match running.rx.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err("the export stopped".to_owned()),
        };
        self.export.running = None;
        match result {
            Ok(report) if report.cancelled => {
                self.export.failed = Some("The export was cancelled; nothing was written.".into());
            }
            Ok(report) => {
                self.export.open = false;
                let place = match report.files.as_slice() {
                    [one] => one.display().to_string(),
                    files => format!("{} files", files.len()),
                };
                let mut text = format!(
                    "Exported {} {} to {place}",
                    report.posts,
                    if report.posts == 1 { "post" } else { "posts" }
                );
                if !report.skipped.is_empty() {
                    text.push_str(&format!(
                        " ({} unreadable left out: {})",
                        report.skipped.len(),
                        report.skipped.join("; ")
                    ));
                }
                self.notice = Some(Notice {
                    text,
                    undo: None,
                    shown_at: std::time::Instant::now(),
                });
            }
            Err(e) => self.export.failed = Some(e),
        }
    }
}
