//! Applying commands and draining worker channels: the only code that changes
//! [`AppState`].
//!
//! `drain` runs at the start of each frame (scan batches, loaded posts, finished tasks,
//! the folder picker's answer, dropped files, close requests); `apply` runs each
//! [`Command`] the panels emitted, after the frame is drawn. Nothing here touches the
//! file system: reading, saving, trashing and looking at paths are jobs for the loader
//! and tasks threads (see [`super::tasks`]), whose answers come back through `drain`.

use std::path::PathBuf;
use std::sync::mpsc::{TryRecvError, channel};
use std::time::{Duration, Instant};

use super::catalog::ArticleId;
use super::command::Command;
use super::loader::Loaded;
use super::scan_task::ScanTask;
use super::state::{AppState, Centre, Dialog, Editor, OpenPost, Selection};
use super::tasks::Job;

/// How often the list is re-filtered while a scan is still delivering posts.
pub(super) const REQUERY_DURING_SCAN: Duration = Duration::from_millis(300);

/// A folder dialog answering "cancelled" sooner than this was never shown.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// How often the facet counts are recomputed while a scan is running.
const FACETS_DURING_SCAN: Duration = Duration::from_millis(1500);

/// How long typing in the search box pauses before the facets are counted again:
/// counting them over a large result costs several milliseconds, which a keystroke
/// should not pay.
const FACETS_AFTER_TYPING: Duration = Duration::from_millis(250);

impl AppState {
    /// Takes in whatever the workers and the window delivered since the last frame.
    pub fn drain(&mut self, ctx: &egui::Context) {
        self.thumbs.drain(ctx);
        self.drain_disk_watch();
        if self.drain_scan() | self.drain_disk_changes() {
            // Batches left for the next frame; the scan may have stopped asking.
            ctx.request_repaint();
        }
        self.drain_loaded();
        while let Some(done) = self.tasks.try_recv() {
            self.finish_task(done);
        }
        self.drain_bulk();
        self.drain_insights(ctx);
        self.drain_dups();
        self.drain_export();
        self.drain_views();
        self.drain_git();
        self.clear_stale_errors();
        self.drain_picker(ctx);
        if let Some(message) = self.reveal_rx.as_ref().and_then(|rx| rx.try_recv().ok()) {
            self.reveal_rx = None;
            self.error(message);
        }
        self.drain_fulltext();
        if self.body_search.as_ref().is_some_and(|b| !b.done) {
            // Matches arrive without a repaint each; show them as they come.
            ctx.request_repaint_after(REQUERY_DURING_SCAN);
        }
        let dropped: Option<PathBuf> =
            ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_owned()));
        if let Some(path) = dropped {
            self.apply(Command::OpenPath(path), ctx);
        }
        if ctx.input(|i| i.viewport().close_requested()) && self.is_dirty() && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved {
                then: Box::new(Command::Quit),
            });
        }
        self.refresh_result(ctx);
    }

    /// Re-runs the query, recounts facets and relists completions when they are due.
    fn refresh_result(&mut self, ctx: &egui::Context) {
        let scanning = self.is_scanning();
        let streaming = scanning || self.body_search.as_ref().is_some_and(|b| !b.done);
        let due = !streaming || self.last_requery.elapsed() >= REQUERY_DURING_SCAN;
        if self.needs_requery && due {
            self.requery();
        } else if self.needs_requery {
            ctx.request_repaint_after(REQUERY_DURING_SCAN);
        }
        let typing_pause = FACETS_AFTER_TYPING.saturating_sub(self.last_typed.elapsed());
        let facets_due = (!scanning || self.last_facets.elapsed() >= FACETS_DURING_SCAN)
            && typing_pause.is_zero();
        if self.facets_stale && !typing_pause.is_zero() {
            ctx.request_repaint_after(typing_pause);
        }
        if self.facets_stale && facets_due {
            self.last_facets = Instant::now();
            self.facets = self.catalog.facets(&self.visible);
            self.facet_problems = self.catalog.problem_count(&self.visible);
            self.facets_stale = false;
        }
        if self.completions_stale && !scanning {
            self.completions = self.catalog.completions();
            self.completions_stale = false;
            self.taxonomy = None;
        }
        if self.show_taxonomy && self.taxonomy.is_none() && !scanning {
            self.taxonomy = Some(self.catalog.taxonomy());
        }
        if scanning {
            // Keep the progress bar moving even between batches.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    /// Starts (or stops) the body search for the current text and toggle.
    pub(super) fn restart_body_search(&mut self) {
        self.body_search = None;
        let needle = self.query.text.trim();
        if !self.settings.search_bodies || needle.is_empty() {
            return;
        }
        if let Some(fulltext) = &mut self.fulltext {
            self.body_search = Some(fulltext.search(needle));
        }
    }

    /// Takes in the full-text worker's answers, and asks it to follow the list when the
    /// list changed and nothing else is changing it (a scan, disk changes, a bulk run).
    fn drain_fulltext(&mut self) {
        let Some(fulltext) = &mut self.fulltext else {
            return;
        };
        let catalog = &self.catalog;
        let mut errors = Vec::new();
        let (answered, synced) =
            fulltext.drain(self.body_search.as_mut(), |p| catalog.id_of(p), &mut errors);
        let settled = self.scan.as_ref().is_none_or(|s| s.finished)
            && self.disk_changes.is_empty()
            && self.refreshing.is_none()
            && (fulltext.persistent || self.settings.search_bodies);
        let generation = catalog.generation();
        if settled && fulltext.wants_sync(generation) {
            fulltext.sync(generation, || catalog.stamps().into_iter().collect());
        }
        for e in errors {
            self.error(e);
        }
        if answered {
            self.needs_requery = true;
        }
        if synced && self.body_search.is_some() {
            // More is indexed now: the same search may find more.
            self.restart_body_search();
        }
    }

    fn drain_loaded(&mut self) {
        while let Some(Loaded {
            generation,
            id,
            post,
            view,
        }) = self.loader.try_recv()
        {
            if generation != self.load_generation || self.selection.id() != Some(id) {
                continue;
            }
            // The list read only the head of a large file: a whole read can find more
            // (invalid bytes further down), and the list must say what the article says.
            if self
                .catalog
                .article(id)
                .is_some_and(|listed| listed.problems != post.article.problems)
            {
                self.insights.update(id, &post.article);
                self.catalog.update(id, post.article.clone());
                self.needs_requery = true;
                self.facets_stale = true;
            }
            let mut editor = Editor::for_post(&post);
            if let Some((merge_id, original, mine)) = self.pending_merge.take() {
                match (&mut editor, merge_id == id) {
                    (Editor::Draft(draft), true) => {
                        let (merged, conflicts) =
                            crate::fields::merge(&original, &mine, draft.original());
                        draft.edit(merged);
                        if !conflicts.is_empty() {
                            self.dialog = Some(Dialog::MergeConflicts(conflicts));
                        }
                    }
                    (_, true) => self.error(
                        "Your edits could not be applied: the file's new front matter cannot be edited key by key",
                    ),
                    // Another post came first: keep the edits for when this one loads.
                    (_, false) => self.pending_merge = Some((merge_id, original, mine)),
                }
            }
            self.selection = Selection::Open(Box::new(OpenPost {
                id,
                post: post.into(),
                document: view.document,
                header_image: view.header_image,
                source: view.source,
                editor,
                saving: false,
                restored: None,
            }));
            self.run_pending_cell();
        }
    }

    fn drain_picker(&mut self, ctx: &egui::Context) {
        let Some(rx) = &self.pick_rx else { return };
        match rx.try_recv() {
            Ok((Some(path), _)) => {
                self.pick_rx = None;
                self.apply(Command::OpenPath(path), ctx);
            }
            Ok((None, took)) => {
                self.pick_rx = None;
                // Nobody closes a real dialog this fast: there was none to show.
                if took < NO_DIALOG_WITHIN {
                    self.path_prompt = Some(
                        "No folder dialog is available here (no desktop portal or file chooser is installed). Type or paste the folder's path:".to_owned(),
                    );
                }
            }
            Err(TryRecvError::Disconnected) => self.pick_rx = None,
            Err(TryRecvError::Empty) => {}
        }
    }

    /// Sorts the list by one of the index's keys (and remembers it for the next start).
    pub(super) fn set_sort(&mut self, key: crate::index::SortKey, descending: bool) {
        self.query.sort = key;
        self.query.descending = descending;
        self.settings.sort = key;
        self.settings.descending = descending;
        self.requery();
    }

    /// Re-runs the query now; the facets follow the new result.
    pub(crate) fn requery(&mut self) {
        let body = self.body_search.as_ref().map(|b| b.matches.as_slice());
        let mut visible = self.catalog.query(&self.query, body);
        self.restrict_to_view(&mut visible);
        if self.query.sort == crate::index::SortKey::Relevance
            && let Some(search) = &self.body_search
        {
            // Best match first; the rest (metadata matches) keep their date order.
            visible.sort_by_key(|id| search.rank.get(id).copied().unwrap_or(u32::MAX));
        }
        self.apply_column_sort(&mut visible);
        if visible != self.visible {
            self.visible = visible;
            self.facets_stale = true;
        }
        self.needs_requery = false;
        self.last_requery = Instant::now();
    }

    /// Applies the commands of one frame. Edits typed into the editor land first: a
    /// keystroke and Ctrl+S in the same frame save the keystroke.
    pub fn apply_all(&mut self, commands: Vec<Command>, ctx: &egui::Context) {
        let (edits, others): (Vec<Command>, Vec<Command>) = commands
            .into_iter()
            .partition(|c| matches!(c, Command::EditDraft { .. } | Command::EditRaw { .. }));
        for command in edits.into_iter().chain(others) {
            self.apply(command, ctx);
        }
    }

    /// Applies one command from the UI (or from a dialog answer).
    pub fn apply(&mut self, command: Command, ctx: &egui::Context) {
        if command.leaves_post()
            && self.is_dirty()
            && !matches!(command, Command::Quit if self.allow_close)
        {
            if matches!(&command, Command::Select(id) if Some(*id) == self.selected()) {
                return;
            }
            self.dialog = Some(Dialog::Unsaved {
                then: Box::new(command),
            });
            return;
        }
        match command {
            Command::PickFolder => self.pick_folder(ctx),
            Command::OpenPath(path) => {
                self.path_prompt = None;
                self.resolve_path(path);
            }
            Command::ShowPathPrompt(on) => {
                self.path_prompt = on.then(|| "Type or paste the folder's path:".to_owned());
            }
            Command::Rescan => {
                if let Some(root) = self.root.clone() {
                    let keep = self.selection.open().map(|o| o.post.article.path.clone());
                    self.open_root(root, keep);
                }
            }
            Command::CancelScan => {
                if let Some(scan) = &self.scan {
                    scan.cancel();
                }
            }
            Command::Select(id) => self.select(id),
            Command::MoveSelection(delta) => self.move_selection(delta),
            Command::SetSearch(text) => {
                self.query.text = text;
                self.last_typed = Instant::now();
                self.restart_body_search();
                self.requery();
            }
            Command::SetSearchBodies(on) => {
                self.settings.search_bodies = on;
                self.restart_body_search();
                self.requery();
            }
            Command::SetSort(key, descending) => {
                self.table.sort = None;
                self.set_sort(key, descending);
            }
            Command::SortByColumn(sort) => self.sort_by_column(sort),
            Command::SetColumns(columns) => self.set_columns(columns),
            Command::EditCell(edit) => self.edit_cell(edit),
            Command::ShowTable(on) => self.show_view(Centre::Table, on),
            Command::ShowGrid(on) => self.show_view(Centre::Grid, on),
            Command::LeaveView => self.leave_view(),
            Command::CountColumns => self.count_columns(),
            Command::SetCategoryFilter(path) => {
                self.query.category_path = path;
                self.requery();
            }
            Command::SetAuthorFilter(author) => {
                self.query.authors = author.into_iter().collect();
                self.requery();
            }
            Command::SetYearFilter(year) => {
                self.query.years = year.into_iter().collect();
                self.requery();
            }
            Command::SetOnlyProblems(on) => {
                self.query.only_problems = on;
                self.requery();
            }
            Command::ToggleFacets => self.settings.show_facets = !self.settings.show_facets,
            Command::ToggleEditor => self.settings.show_editor = !self.settings.show_editor,
            Command::SetOffline(offline) => {
                self.settings.offline = offline;
                self.thumbs.set_offline(offline);
            }
            Command::ToggleRawSource => self.raw_source = !self.raw_source,
            Command::SetTheme(theme) => {
                self.settings.theme = theme;
                ctx.set_theme(theme.preference());
            }
            Command::EditDraft { id, fields } => self.edit_draft(id, fields),
            Command::EditRaw { id, text } => {
                if let Some(open) = self.selection.open_mut()
                    && open.id == id
                    && let Editor::Raw(raw) = &mut open.editor
                {
                    raw.edit(text);
                }
            }
            Command::Undo => {
                // A restored version is the latest edit: undo drops it first.
                if let Some(open) = self.selection.open_mut()
                    && open.restored.take().is_some()
                {
                    return;
                }
                self.with_draft(super::draft::Draft::undo);
                self.save_if_table();
            }
            Command::Redo => {
                self.with_draft(super::draft::Draft::redo);
                self.save_if_table();
            }
            Command::Revert => {
                if let Some(open) = self.selection.open_mut() {
                    open.restored = None;
                }
                self.with_draft(super::draft::Draft::revert);
                if let Some(Editor::Raw(raw)) = self.selection.open_mut().map(|o| &mut o.editor) {
                    raw.revert();
                }
            }
            Command::Save => self.save(false, None),
            Command::SaveOverwrite => {
                self.dialog = None;
                self.save(true, None);
            }
            Command::KeepBoth => {
                self.dialog = None;
                if let Some(open) = self.selection.open()
                    && let Some(draft) = open.draft()
                {
                    self.pending_merge =
                        Some((open.id, draft.original().clone(), draft.current().clone()));
                    let id = open.id;
                    self.selection = Selection::None;
                    self.select(id);
                }
            }
            Command::TakeMine(key) => {
                if let Some(Dialog::MergeConflicts(conflicts)) = &mut self.dialog
                    && let Some(at) = conflicts.iter().position(|c| c.key == key)
                {
                    let conflict = conflicts.remove(at);
                    if conflicts.is_empty() {
                        self.dialog = None;
                    }
                    self.with_draft(|draft| {
                        let mut fields = draft.current().clone();
                        crate::fields::take(&mut fields, &conflict.key, conflict.mine);
                        draft.edit(fields);
                    });
                }
            }
            Command::Reload => {
                self.dialog = None;
                if let Some(id) = self.selected() {
                    self.selection = Selection::None;
                    self.select(id);
                }
            }
            Command::AskDelete => {
                if self.selection.open().is_some() {
                    self.dialog = Some(Dialog::ConfirmDelete);
                }
            }
            Command::Delete => {
                self.dialog = None;
                self.delete_open();
            }
            Command::OpenUrl(url) => ctx.open_url(egui::OpenUrl::new_tab(url)),
            Command::ShowInFolder(path) => self.show_in_folder(&path),
            Command::DismissError(i) => {
                if i < self.errors.len() {
                    self.errors.remove(i);
                }
            }
            Command::ResolveUnsaved(choice) => self.resolve_unsaved(choice, ctx),
            Command::CloseDialog => {
                if matches!(self.dialog, Some(Dialog::Unsaved { .. })) {
                    self.table.pending = None;
                }
                self.dialog = None;
            }
            Command::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Mark(action) => self.mark(action),
            Command::BulkPreview { plan, scope } => self.start_bulk_preview(plan, scope, false),
            Command::BulkApply => self.apply_bulk(),
            Command::BulkCancel => self.cancel_bulk(),
            Command::BulkClose => {
                if matches!(self.bulk, Some(super::bulk::BulkJob::Ready { .. })) {
                    self.bulk = None;
                }
            }
            Command::UndoOperation(id) => self.run_history(super::bulk::RunKind::Undo, id),
            Command::RedoOperation(id) => self.run_history(super::bulk::RunKind::Redo, id),
            Command::ShowHistory(on) => {
                self.show_history = on;
                if on {
                    self.list_history();
                }
            }
            Command::ShowTaxonomy(on) => self.show_taxonomy = on,
            Command::DismissNotice => self.notice = None,
            Command::ShowInsights(on) => self.show_insights(on),
            Command::ShowDuplicates(on) => {
                self.show_view(super::state::Centre::Duplicates, on);
                if on && self.dups.found().is_none() && self.dups.finding().is_none() {
                    self.find_duplicates();
                }
            }
            Command::FindDuplicates => self.find_duplicates(),
            Command::SelectDupGroup(index) => self.select_dup_group(index),
            Command::KeepRule(rule) => self.set_keep_rule(rule),
            Command::PickKept(path) => self.pick_kept(path),
            Command::CompareWith(path) => self.compare_with(path),
            Command::KeepOne => self.keep_one(),
            Command::NotDuplicates => self.mark_not_duplicates(),
            Command::ApplyView(index) => self.apply_view(index),
            Command::SaveView(name) => self.save_current_view(name),
            Command::RenameView(index, name) => {
                self.change_views(move |views| views.rename(index, &name));
            }
            Command::DeleteView(index) => self.change_views(move |views| {
                views.remove(index);
                Ok(())
            }),
            Command::MoveView(index, by) => self.change_views(move |views| {
                views.shift(index, by);
                Ok(())
            }),
            Command::ShowExport(on) => self.export.open = on && self.root.is_some(),
            Command::Export {
                request,
                marked_only,
            } => self.start_export(request, marked_only),
            Command::CancelExport => self.cancel_export(),
            Command::ChooseExportPath { folder, name } => self.choose_export_path(folder, name),
            Command::InsightsOptions(choice) => self.set_insights_choice(choice),
            Command::SetChangeFilter(state) => {
                self.query.changes = state.into_iter().collect();
                self.requery();
            }
            Command::ShowChanges(on) => self.show_changes(on),
            Command::RefreshChanges => self.refresh_git(),
            Command::CheckChanges { paths, on } => self.check_changes(paths, on),
            Command::ShowChange(path) => self.show_change(path),
            Command::SetCommitMessage(text) => self.git.message = text,
            Command::Commit => self.commit_checked(),
            Command::ShowPostHistory(on) => self.show_post_history(on),
            Command::ChooseVersion(commit) => self.choose_version(commit),
            Command::RestoreVersion => self.restore_version(),
        }
    }

    /// Opens the folder holding `post` in the desktop's file manager, on a worker (the
    /// opener may take a while to start); a failure is reported.
    fn show_in_folder(&mut self, post: &std::path::Path) {
        let Some(root) = &self.root else {
            return;
        };
        let file = root.join(post);
        let folder = file.parent().unwrap_or(root).to_owned();
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("folio-reveal".into())
            .spawn(move || {
                let opener = if cfg!(target_os = "macos") {
                    std::process::Command::new("open")
                        .arg("-R")
                        .arg(&file)
                        .status()
                } else if cfg!(windows) {
                    std::process::Command::new("explorer")
                        .arg(format!("/select,{}", file.display()))
                        .status()
                } else {
                    std::process::Command::new("xdg-open").arg(&folder).status()
                };
                let failed = match opener {
                    Ok(status) if status.success() || cfg!(windows) => None,
                    Ok(status) => Some(format!("the file manager exited with {status}")),
                    Err(e) => Some(e.to_string()),
                };
                if let Some(why) = failed {
                    let _ = tx.send(format!(
                        "Cannot show the folder ({why}): {}",
                        folder.display()
                    ));
                }
            });
        match spawned {
            Ok(_) => self.reveal_rx = Some(rx),
            Err(e) => self.error(format!("Cannot show the folder: {e}")),
        }
    }

    fn pick_folder(&mut self, ctx: &egui::Context) {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let start = self.root.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-pick".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new().set_title("Open archive folder");
                if let Some(dir) = start {
                    dialog = dialog.set_directory(dir);
                }
                let asked = Instant::now();
                let picked = dialog.pick_folder();
                let _ = tx.send((picked, asked.elapsed()));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.pick_rx = Some(rx),
            Err(e) => self.error(format!("Cannot open the folder dialog: {e}")),
        }
    }

    /// Asks the tasks thread which archive `path` opens (see [`super::tasks::resolve`]).
    pub(crate) fn resolve_path(&mut self, path: PathBuf) {
        if self.tasks.send(Job::Resolve { path }) {
            self.resolving = true;
        } else {
            self.error("Cannot open: the background worker stopped");
        }
    }

    /// Opens the archive at `root` (already resolved), selecting `select` once the scan
    /// delivers it.
    pub(crate) fn open_root(&mut self, root: PathBuf, select: Option<PathBuf>) {
        if let Some(scan) = &self.scan {
            scan.cancel();
        }
        self.catalog.reset(&root);
        self.insights.reset();
        self.dups.reset();
        self.open_git(&root);
        self.body_search = None;
        self.visible.clear();
        self.facets = Default::default();
        self.facet_problems = 0;
        self.completions = Default::default();
        self.path_problems.clear();
        self.selection = Selection::None;
        self.dialog = None;
        self.query.category_path.clear();
        self.query.authors.clear();
        self.query.years.clear();
        self.query.changes.clear();
        self.pending_select = select;
        self.settings.remember_folder(&root);
        self.disk_changes.clear();
        // Watching starts with the scan, so that nothing changed meanwhile is missed;
        // what it sees is taken in once the scan is done.
        self.disk_watch = None;
        self.fulltext = Some(super::body_search::FullTextWorker::start(
            &root,
            self.fulltext_dir.clone(),
            &self.ctx_for_workers,
        ));
        if self.settings.watch_disk {
            self.disk_watch = super::disk_watch::DiskWatch::start(&root, &self.ctx_for_workers);
        }
        self.scan = Some(ScanTask::start(
            &root,
            self.scan_cache.clone(),
            (self.query.sort, self.query.descending),
            &self.ctx_for_workers,
        ));
        self.thumbs.open_archive(&root);
        self.root = Some(root);
        self.load_views();
        self.needs_requery = true;
        self.marked.clear();
        self.summary = None;
        self.bulk = None;
        self.history = None;
        self.operations.clear();
        self.notice = None;
        self.list_history();
    }

    /// Selects post `id` and asks the loader for it. Selecting the open post again
    /// changes nothing (its draft stays as it is).
    pub(super) fn select(&mut self, id: ArticleId) {
        if self.selection.open().is_some_and(|o| o.id == id) {
            return;
        }
        let (Some(root), Some(article)) = (self.root.clone(), self.catalog.article(id)) else {
            return;
        };
        let rel = article.path.clone();
        self.load_generation += 1;
        self.selection = Selection::Loading(id);
        if !self.marked.contains(id) || self.marked.len() < 2 {
            self.marked.only(id);
            self.summary = None;
        }
        self.loader.request(self.load_generation, id, root, rel);
    }

    fn move_selection(&mut self, delta: i64) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        let target = match self.selected_row() {
            Some(row) => {
                let row = i64::try_from(row).unwrap_or(0).saturating_add(delta);
                usize::try_from(row.max(0)).unwrap_or(0).min(last)
            }
            // From above the first row: ↓ takes the first, End the last.
            None => usize::try_from(delta.saturating_sub(1).max(0))
                .unwrap_or(usize::MAX)
                .min(last),
        };
        if let Some(&id) = self.visible.get(target)
            && Some(id) != self.selected()
        {
            self.select(id);
        }
    }

    /// Moves the open post to the trash through the bulk engine, so that it is one
    /// operation of the history: the notice offers Undo, and undo brings it back.
    fn delete_open(&mut self) {
        let Some(id) = self.selected() else { return };
        if self.history.is_none() {
            self.error("Cannot move to the trash here: the operation history is not available");
            return;
        }
        match crate::bulk::Plan::new(vec![crate::bulk::Operation::Trash]) {
            Ok(plan) => {
                self.marked.only(id);
                self.start_bulk_preview(plan, super::command::Scope::Marked, true);
            }
            Err(e) => self.error(e),
        }
    }
}
