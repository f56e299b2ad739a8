//! Curation in the window: the marked posts, their summary, and the bulk preview, apply,
//! undo and redo (on the worker of [`super::bulk`]), with what their answers do to the
//! list.

use std::path::PathBuf;
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

use crate::bulk::{Batch, Plan, State};
use crate::index::Query;

use super::bulk::{BulkJob, BulkMsg, Finished, RunKind};

/// UI-thread time per frame spent taking in the posts a finished run touched.
const REFRESH_BUDGET: Duration = Duration::from_millis(6);

/// A finished run whose touched posts are being taken into the list.
pub(crate) struct Refreshing {
    report: crate::bulk::Report,
    kind: RunKind,
    /// The open post's path when the run finished, and whether the run touched it.
    open_path: Option<std::path::PathBuf>,
    reload_open: bool,
    pending: std::vec::IntoIter<super::bulk::Refreshed>,
}
use super::catalog::ArticleId;
use super::command::{MarkAction, Scope};
use super::state::{AppState, Dialog, Notice};
use super::tasks::{Done, Job};

/// How long a notice stays in the status bar.
const NOTICE_FOR: Duration = Duration::from_secs(12);

impl AppState {
    /// Changes the marked posts (see [`super::marked`]).
    pub(super) fn mark(&mut self, action: MarkAction) {
        match action {
            MarkAction::Toggle(id) => {
                if self.marked.is_empty()
                    && let Some(open) = self.selected()
                {
                    self.marked.only(open);
                }
                self.marked.toggle(id);
            }
            MarkAction::ExtendTo(id) => self.marked.extend_to(id, &self.visible),
            MarkAction::ExtendBy(delta) => {
                if let Some(row) = self.selected_row() {
                    if self.marked.is_empty()
                        && let Some(open) = self.selected()
                    {
                        self.marked.only(open);
                    }
                    let last = self.visible.len().saturating_sub(1);
                    let target = i64::try_from(row)
                        .unwrap_or(0)
                        .saturating_add(delta)
                        .clamp(0, i64::try_from(last).unwrap_or(0));
                    if let Some(&id) = usize::try_from(target)
                        .ok()
                        .and_then(|t| self.visible.get(t))
                    {
                        self.marked.extend_to(id, &self.visible);
                        self.select(id);
                    }
                }
            }
            MarkAction::All => self.marked.all(&self.visible),
            MarkAction::Clear => match self.selected() {
                Some(id) => self.marked.only(id),
                None => self.marked.clear(),
            },
        }
        self.refresh_summary();
    }

    /// Recounts what the marked posts have in common (only when several are marked).
    pub(super) fn refresh_summary(&mut self) {
        self.summary = (self.marked.len() > 1).then(|| {
            let fronts = self
                .marked
                .ids()
                .iter()
                .filter_map(|&id| self.catalog.article(id))
                .map(|a| &a.front);
            crate::bulk::summarize(fronts)
        });
    }

    /// Starts the preview of `plan` on `scope`; `apply_when_ready` applies it as soon as
    /// the preview is complete (a single post's Delete, already confirmed).
    pub(super) fn start_bulk_preview(&mut self, plan: Plan, scope: Scope, apply_when_ready: bool) {
        if self.bulk.as_ref().is_some_and(|b| b.progress().is_some()) || self.refreshing.is_some() {
            return;
        }
        let Some(root) = self.root.clone() else {
            return;
        };
        let ids: Vec<ArticleId> = match scope {
            Scope::Marked if self.marked.is_empty() => self.selected().into_iter().collect(),
            Scope::Marked => self.marked.ids().to_vec(),
            Scope::Having { key, items } => self.catalog.having(&key, &items),
            Scope::Query(text) => self.catalog.query(
                &Query {
                    text,
                    sort: crate::index::SortKey::Path,
                    ..Query::default()
                },
                None,
            ),
        };
        let posts: Vec<PathBuf> = ids
            .iter()
            .filter_map(|&id| self.catalog.article(id))
            .map(|a| a.path.clone())
            .collect();
        self.bulk = Some(BulkJob::preview(
            &root,
            Batch::single(plan, posts),
            apply_when_ready,
            &self.ctx_for_workers,
        ));
    }

    /// Applies a preview that was asked to apply itself, or says why it cannot.
    fn apply_bulk_or_report(&mut self) {
        if let Some(BulkJob::Ready { preview, .. }) = &self.bulk
            && preview.changes.is_empty()
        {
            let reasons: Vec<String> = preview
                .refused
                .iter()
                .map(|(path, reason)| format!("{reason}: {}", crate::archive::slash_path(path)))
                .collect();
            self.bulk = None;
            self.error(format!("Not moved to the trash: {}", reasons.join("; ")));
            return;
        }
        self.apply_bulk();
    }

    /// Applies the finished preview.
    pub(super) fn apply_bulk(&mut self) {
        let Some(history) = self.history.clone() else {
            self.error("Bulk edits need the operation history, which is not available");
            return;
        };
        let Some(BulkJob::Ready { batch, preview }) = self.bulk.take() else {
            return;
        };
        if preview.changes.is_empty() {
            return;
        }
        self.bulk = Some(BulkJob::apply(
            history,
            batch,
            preview.changes,
            &self.ctx_for_workers,
        ));
    }

    /// Undoes or redoes an operation of the history.
    pub(super) fn run_history(&mut self, kind: RunKind, id: Option<u64>) {
        if self.bulk.as_ref().is_some_and(|b| b.progress().is_some()) || self.refreshing.is_some() {
            return;
        }
        if self.is_dirty() {
            self.error("Save or revert the open post first: an undo may change its file");
            return;
        }
        let Some(history) = self.history.clone() else {
            self.error("There is no operation history for this archive");
            return;
        };
        self.dialog = None;
        self.bulk = Some(BulkJob::undo_or_redo(
            history,
            kind,
            id,
            &self.ctx_for_workers,
        ));
    }

    pub(super) fn cancel_bulk(&mut self) {
        match &self.bulk {
            Some(BulkJob::Previewing { progress, .. } | BulkJob::Running { progress, .. }) => {
                progress.cancel();
            }
            Some(BulkJob::Ready { .. }) | None => self.bulk = None,
        }
    }

    /// Takes in what the bulk worker sent.
    pub(super) fn drain_bulk(&mut self) {
        self.continue_refresh();
        /// What the drained messages mean for the job, decided while it is borrowed.
        enum Next {
            Keep,
            Ready,
            Failed(String),
            Finished(Box<Finished>),
        }
        let next = match &mut self.bulk {
            Some(BulkJob::Previewing {
                preview,
                progress,
                rx,
                ..
            }) => loop {
                match rx.try_recv() {
                    Ok(BulkMsg::Batch(batch)) => preview.extend(batch),
                    Ok(BulkMsg::PreviewDone(Ok(()))) => {
                        preview.cancelled = progress.is_cancelled();
                        break Next::Ready;
                    }
                    Ok(BulkMsg::PreviewDone(Err(e)) | BulkMsg::Finished(Err(e))) => {
                        break Next::Failed(e);
                    }
                    Ok(BulkMsg::Finished(Ok(_))) | Err(TryRecvError::Empty) => break Next::Keep,
                    Err(TryRecvError::Disconnected) => {
                        break Next::Failed("the preview stopped".to_owned());
                    }
                }
            },
            Some(BulkJob::Running { rx, .. }) => match rx.try_recv() {
                Ok(BulkMsg::Finished(Ok(done))) => Next::Finished(Box::new(done)),
                Ok(BulkMsg::Finished(Err(e))) => Next::Failed(e),
                Ok(_) | Err(TryRecvError::Empty) => Next::Keep,
                Err(TryRecvError::Disconnected) => Next::Failed("the operation stopped".to_owned()),
            },
            Some(BulkJob::Ready { .. }) | None => Next::Keep,
        };
        match next {
            Next::Keep => {}
            Next::Ready => {
                if let Some(BulkJob::Previewing {
                    batch,
                    preview,
                    apply_when_ready,
                    ..
                }) = self.bulk.take()
                {
                    self.bulk = Some(BulkJob::Ready { batch, preview });
                    if apply_when_ready {
                        self.apply_bulk_or_report();
                    }
                }
            }
            Next::Failed(e) => {
                self.bulk = None;
                self.error(format!("Bulk edit stopped: {e}"));
            }
            Next::Finished(done) => {
                self.bulk = None;
                self.finish_run(*done);
            }
        }
        if self
            .notice
            .as_ref()
            .is_some_and(|n| n.shown_at.elapsed() > NOTICE_FOR)
        {
            self.notice = None;
        }
    }

    /// Starts taking in what a finished run touched: the list is updated from the
    /// files over as many frames as it takes ([`REFRESH_BUDGET`] each), then the run's
    /// notice is shown.
    fn finish_run(&mut self, done: Finished) {
        let Finished {
            report,
            kind,
            refreshed,
        } = done;
        self.refreshing = Some(Refreshing {
            report,
            kind,
            open_path: self.selection.open().map(|o| o.post.article.path.clone()),
            reload_open: false,
            pending: refreshed.into_iter(),
        });
        self.continue_refresh();
    }

    /// Takes in refreshed posts for up to [`REFRESH_BUDGET`]; once all are in, shows
    /// what the run did.
    pub(super) fn continue_refresh(&mut self) {
        let Some(mut refreshing) = self.refreshing.take() else {
            return;
        };
        // Many updates at once: the index's orders are rebuilt once afterwards rather
        // than kept up to date post by post.
        self.catalog.expect_changes(refreshing.pending.len());
        let started = Instant::now();
        while started.elapsed() < REFRESH_BUDGET {
            let Some(touched) = refreshing.pending.next() else {
                break;
            };
            self.take_refreshed(touched, &mut refreshing);
        }
        if refreshing.pending.len() > 0 {
            self.refreshing = Some(refreshing);
            self.ctx_for_workers.request_repaint();
            return;
        }
        let Refreshing {
            report,
            kind,
            reload_open,
            ..
        } = refreshing;
        self.finish_refresh(report, kind, reload_open);
    }

    /// Updates the list from one touched post as it is on disk now.
    fn take_refreshed(&mut self, touched: super::bulk::Refreshed, refreshing: &mut Refreshing) {
        if refreshing
            .open_path
            .as_ref()
            .is_some_and(|p| touched.was.contains(p))
        {
            refreshing.reload_open = true;
        }
        let _ = self.take_on_disk(touched);
    }

    /// Updates the list from one post as it is on disk now: changed, new, or gone.
    ///
    /// Taking the same post twice changes nothing: a post already listed under its new
    /// path is updated, and one whose file has the stamp the list already has (Folio's
    /// own save seen again by the watcher) is left as it is. True when the list changed.
    pub(super) fn take_on_disk(&mut self, touched: super::bulk::Refreshed) -> bool {
        let id = touched
            .was
            .iter()
            .chain(touched.now.as_ref().map(|a| &a.path))
            .find_map(|p| self.catalog.id_of(p));
        if let (Some(id), Some(now)) = (id, &touched.now)
            && now.stamp.is_some()
            && self
                .catalog
                .article(id)
                .is_some_and(|listed| listed.path == now.path && listed.stamp == now.stamp)
        {
            return false;
        }
        match (id, touched.now) {
            (Some(id), Some(article)) => {
                self.insights.update(id, &article);
                self.catalog.update(id, article);
            }
            (Some(id), None) => {
                self.catalog.remove(id);
                if self.selected() == Some(id) {
                    self.selection = super::state::Selection::None;
                }
            }
            (None, Some(article)) => {
                self.catalog.push(article);
            }
            (None, None) => return false,
        }
        true
    }

    /// Shows what a run did, once the list has every touched post as it is now.
    fn finish_refresh(&mut self, report: crate::bulk::Report, kind: RunKind, reload_open: bool) {
        self.marked.retain(|id| self.catalog.contains(id));
        self.dups.forget_missing(&self.catalog);
        self.refresh_git();
        // An undo may bring back posts a "keep one" trashed: search again (the
        // fingerprints are cached, so this reads only what changed).
        if kind == RunKind::Undo && self.dups.found().is_some() {
            self.find_duplicates();
        }
        self.needs_requery = true;
        self.facets_stale = true;
        self.completions_stale = true;
        if reload_open && let Some(id) = self.selected() {
            self.selection = super::state::Selection::None;
            self.select(id);
        }
        self.refresh_summary();
        let verb = match kind {
            RunKind::Apply => "changed",
            RunKind::Undo => "restored",
            RunKind::Redo => "changed again",
        };
        let mut text = format!("{} {verb}", posts(report.done));
        if !report.skipped.is_empty() {
            text.push_str(&format!(
                ", {} left as they are (changed since)",
                report.skipped.len()
            ));
        }
        if report.cancelled {
            text.push_str(" before Cancel; undo restores them");
        }
        for (path, reason) in &report.skipped {
            tracing::warn!(path = %path.display(), "left as it is: {reason}");
        }
        for note in &report.notes {
            self.error(note.clone());
        }
        self.notice = Some(Notice {
            text,
            undo: (kind != RunKind::Undo).then_some(report.id),
            shown_at: Instant::now(),
        });
        self.list_history();
    }

    /// Asks the tasks thread for the archive's history (opening it the first time).
    pub(super) fn list_history(&mut self) {
        let (Some(base), Some(root)) = (self.history_base.clone(), self.root.clone()) else {
            return;
        };
        if !self.tasks.send(Job::OpenHistory { base, root }) {
            self.error("The operation history cannot be read: the background worker stopped");
        }
    }

    /// The history's answer: keep it, and ask about an interrupted operation.
    pub(super) fn finish_history(&mut self, done: Done) {
        let Done::History { root, result } = done else {
            return;
        };
        if self.root.as_ref() != Some(&root) {
            return;
        }
        match result {
            Ok((history, operations)) => {
                let interrupted = operations
                    .iter()
                    .find(|op| matches!(op.state, State::Interrupted(_)));
                if let Some(op) = interrupted
                    && self.dialog.is_none()
                {
                    self.dialog = Some(Dialog::Interrupted {
                        id: op.id,
                        summary: op.summary.clone(),
                    });
                }
                self.history = Some(history);
                self.operations = operations;
            }
            Err(message) => self.error(message),
        }
    }
}

/// "1 post", "37 posts".
fn posts(n: usize) -> String {
    if n == 1 {
        "1 post".to_owned()
    } else {
        format!("{n} posts")
    }
}
