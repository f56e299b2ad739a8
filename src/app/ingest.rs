//! Taking in a running scan's batches: part of [`super::logic`]'s draining, in its own
//! file because it carries the per-frame time budget that keeps a 100,000-post scan from
//! stalling the window.

use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

use super::disk_watch::WatchMsg;
use super::logic::REQUERY_DURING_SCAN;
use super::scan_task::ScanMsg;
use super::state::AppState;

/// Time per frame spent taking in scan batches, so a frame stays short while a
/// 100,000-post scan pours in; the rest waits for the next frame.
const INGEST_BUDGET: Duration = Duration::from_millis(6);

impl AppState {
    /// Takes in scan batches for up to [`INGEST_BUDGET`]; true when more are waiting.
    pub(super) fn drain_scan(&mut self) -> bool {
        let Some(scan) = &self.scan else {
            return false;
        };
        let root = scan.root.clone();
        let mut finished = None;
        let started = Instant::now();
        // Pushing indexes each post, so the budget is checked after each batch is pushed.
        let mut more = false;
        loop {
            if started.elapsed() >= INGEST_BUDGET {
                more = true;
                break;
            }
            let Some(scan) = &mut self.scan else {
                return false;
            };
            match scan.rx.try_recv() {
                Ok(ScanMsg::Batch(batch)) => self.ingest(batch),
                Ok(ScanMsg::Cached(catalog)) => {
                    scan.from_cache = Some(scan.started.elapsed());
                    self.take_cached(*catalog);
                }
                Ok(ScanMsg::Changed(changed)) => self.disk_changes.extend(changed),
                Ok(ScanMsg::Finished {
                    path_problems,
                    cancelled,
                }) => finished = Some(Ok((path_problems, cancelled))),
                Ok(ScanMsg::Failed(e)) => finished = Some(Err(e)),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    scan.finished = true;
                    break;
                }
            }
        }
        match finished {
            Some(Ok((path_problems, cancelled))) => {
                if let Some(scan) = &mut self.scan {
                    scan.finished = true;
                    scan.took = Some(scan.started.elapsed());
                }
                self.path_problems = path_problems;
                self.catalog.shrink_to_fit();
                if cancelled {
                    self.error(format!(
                        "Scan cancelled: {} posts loaded: {}",
                        self.catalog.len(),
                        root.display()
                    ));
                }
                self.needs_requery = true;
                self.completions_stale = true;
                self.last_requery = Instant::now() - REQUERY_DURING_SCAN;
            }
            Some(Err(e)) => {
                if let Some(scan) = &mut self.scan {
                    scan.finished = true;
                }
                self.error(format!("Cannot scan the folder: {e}"));
            }
            None => {}
        }
        more
    }

    /// Shows the cached list, indexed on the scan's worker, in one step.
    fn take_cached(&mut self, catalog: super::catalog::Catalog) {
        self.catalog.replace_with(catalog);
        if let Some(path) = self.pending_select.take() {
            match self.catalog.id_of(&path) {
                Some(id) => self.select(id),
                // Not in the cache: perhaps a post the check finds.
                None => self.pending_select = Some(path),
            }
        }
        self.needs_requery = true;
        self.facets_stale = true;
        self.completions_stale = true;
        self.last_requery = Instant::now() - REQUERY_DURING_SCAN;
    }

    /// Takes posts changed on disk into the list for up to [`INGEST_BUDGET`]; true when
    /// more are waiting. The open post is read again when it changed and has no unsaved
    /// edits; with unsaved edits, saving asks what to do (the file changed since).
    pub(super) fn drain_disk_changes(&mut self) -> bool {
        if self.disk_changes.is_empty() {
            return false;
        }
        self.catalog.expect_changes(self.disk_changes.len());
        let open_path = self.selection.open().map(|o| o.post.article.path.clone());
        let mut open_changed = false;
        let started = Instant::now();
        while started.elapsed() < INGEST_BUDGET {
            let Some(touched) = self.disk_changes.pop_front() else {
                break;
            };
            if let Some(path) = &self.pending_select
                && touched.now.as_ref().is_some_and(|a| &a.path == path)
            {
                self.pending_select = None;
                let article = touched.now.clone();
                let _ = self.take_on_disk(touched);
                if let Some(id) = article.and_then(|a| self.catalog.id_of(&a.path)) {
                    self.select(id);
                }
                continue;
            }
            let is_open = open_path.as_ref().is_some_and(|p| touched.was.contains(p));
            if is_open && touched.now.is_none() && self.is_dirty() {
                // Deleted or moved away under unsaved edits: the edits stay, and saving
                // asks (Overwrite writes the post back).
                open_changed = true;
                continue;
            }
            open_changed |= self.take_on_disk(touched) && is_open;
        }
        if open_changed && self.is_dirty() {
            if self.dialog.is_none() {
                self.dialog = Some(super::state::Dialog::ChangedOnDisk);
            }
        } else if open_changed && let Some(id) = self.selected() {
            self.selection = super::state::Selection::None;
            self.select(id);
        }
        self.marked.retain(|id| self.catalog.contains(id));
        self.needs_requery = true;
        self.facets_stale = true;
        self.completions_stale = true;
        if self.disk_changes.is_empty() {
            // The whole batch is in: groups lose posts that went, and the git status
            // follows (unless one is running: the next batch will ask again).
            self.dups.forget_missing(&self.catalog);
            if !self.git.is_checking() {
                self.refresh_git();
            }
        }
        !self.disk_changes.is_empty()
    }

    /// Takes what the disk watcher saw into the queue of disk changes, once the scan is
    /// done (a post the scan has yet to deliver must not be listed twice).
    pub(super) fn drain_disk_watch(&mut self) {
        if self.is_scanning() {
            return;
        }
        let Some(watch) = &mut self.disk_watch else {
            return;
        };
        if let Some(reason) = watch.polling.take() {
            self.notice = Some(super::state::Notice {
                text: reason,
                undo: None,
                shown_at: Instant::now(),
            });
        }
        let mut check = false;
        while let Some(msg) = watch.try_recv() {
            match msg {
                WatchMsg::Changed(changed) => self.disk_changes.extend(changed),
                WatchMsg::Checked(changed) => {
                    self.disk_changes.extend(changed);
                    check |= watch.check_done();
                }
                WatchMsg::Rescan => check = true,
            }
        }
        if check {
            let known = self.catalog.stamps();
            watch.check_all(known, &self.ctx_for_workers);
        }
    }

    /// Adds one scan batch to the catalog.
    fn ingest(&mut self, batch: Vec<crate::archive::Article>) {
        for article in batch {
            let is_pending = self.pending_select.as_deref() == Some(article.path.as_path());
            let id = self.catalog.push(article);
            if is_pending {
                self.pending_select = None;
                self.select(id);
            }
        }
        self.needs_requery = true;
        self.completions_stale = true;
    }
}
