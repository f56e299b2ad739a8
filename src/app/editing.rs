//! The open post's draft: edits, undo, saving through the tasks thread, and what the
//! answers of finished tasks do to the window.
//!
//! A save turns the draft into edits with the core model (`fields::Fields::edits_from`:
//! only changed keys, dates in their written format) and hands them to the tasks
//! thread with the post as loaded; the thread applies them losslessly and saves
//! crash-safely, refusing when the file changed on disk since it was opened (the person
//! then chooses Reload, Overwrite or Cancel). While it runs, the editor shows "Saving…"
//! and offers no second Save; edits typed meanwhile stay in the draft, unsaved.

use std::sync::Arc;

use crate::archive::SaveMode;
use crate::fields::Fields;

use super::catalog::ArticleId;
use super::command::{Command, UnsavedChoice};
use super::draft::Draft;
use super::state::{AppState, Dialog, Editor};
use super::tasks::{Done, Job, SaveFailure, SaveJob, Saved};

impl AppState {
    /// The editor changed the fields of post `id`.
    pub(super) fn edit_draft(&mut self, id: ArticleId, fields: Fields) {
        if let Some(open) = self.selection.open_mut()
            && open.id == id
            && let Some(draft) = open.draft_mut()
        {
            draft.edit(fields);
        }
    }

    /// Runs `change` on the open post's draft.
    pub(super) fn with_draft(&mut self, change: impl FnOnce(&mut Draft)) {
        if let Some(draft) = self.selection.open_mut().and_then(|o| o.draft_mut()) {
            change(draft);
        }
    }

    /// Starts saving the open post's draft; `then` runs once it is saved.
    pub(super) fn save(&mut self, overwrite: bool, then: Option<Box<Command>>) {
        let Some(root) = self.root.clone() else {
            return;
        };
        let Some(open) = self.selection.open_mut() else {
            return;
        };
        if open.saving {
            return;
        }
        let path = open.post.article.path_display();
        if !open.is_dirty() {
            if let Some(then) = then {
                self.apply_after_save(*then);
            }
            return;
        }
        let (edits, text, fields) = match (&open.restored, &open.editor) {
            (Some(restored), _) => (Vec::new(), Some(restored.text.clone()), Fields::default()),
            (None, Editor::Draft(draft)) => match draft.current().edits_from(draft.original()) {
                Ok(edits) => (edits, None, draft.current().clone()),
                Err(problem) => {
                    let about = open.post.article.path.clone();
                    self.error_about(about, format!("Cannot save, {problem}: {path}"));
                    return;
                }
            },
            (None, Editor::Raw(raw)) => (Vec::new(), Some(raw.new_text()), Fields::default()),
            (None, Editor::NotEditable(_)) => return,
        };
        let job = SaveJob {
            id: open.id,
            root,
            post: Arc::clone(&open.post),
            edits,
            text,
            mode: if overwrite {
                SaveMode::Overwrite
            } else {
                SaveMode::IfUnchanged
            },
            fields,
            then,
        };
        open.saving = true;
        if !self.tasks.send(Job::Save(job)) {
            if let Some(open) = self.selection.open_mut() {
                open.saving = false;
            }
            self.error(format!("Not saved: the background worker stopped: {path}"));
        }
    }

    /// Runs a command that waited for a save (`then` of the unsaved prompt).
    fn apply_after_save(&mut self, then: Command) {
        if matches!(then, Command::Quit) {
            self.allow_close = true;
        }
        let ctx = self.ctx_for_workers.clone();
        self.apply(then, &ctx);
    }

    /// Applies a finished task's answer.
    pub(super) fn finish_task(&mut self, done: Done) {
        match done {
            Done::Saved(saved) => {
                let Saved {
                    id,
                    post,
                    view,
                    fields,
                    then,
                } = *saved;
                self.insights.update(id, &post.article);
                self.catalog.update(id, post.article.clone());
                self.needs_requery = true;
                self.facets_stale = true;
                self.completions_stale = true;
                let saved_path = post.article.path.clone();
                self.errors
                    .retain(|e| e.about.as_ref() != Some(&saved_path));
                self.notice = Some(super::state::Notice {
                    text: format!("Saved {}", post.article.display_title()),
                    undo: None,
                    shown_at: std::time::Instant::now(),
                });
                if let Some(open) = self.selection.open_mut()
                    && open.id == id
                {
                    open.saving = false;
                    // A restored version replaced the whole file: edit it afresh.
                    let restored = open.restored.take().is_some();
                    match (Fields::of_post(&post), &mut open.editor) {
                        (Ok(on_disk), Editor::Draft(draft)) if !restored => {
                            draft.saved(&fields, on_disk)
                        }
                        (_, editor) => *editor = Editor::for_post(&post),
                    }
                    open.post = Arc::new(post);
                    open.document = view.document;
                    open.header_image = view.header_image;
                    open.source = view.source;
                }
                self.refresh_git();
                if let Some(then) = then {
                    self.apply_after_save(*then);
                }
                self.run_pending_cell();
            }
            Done::SaveFailed { id, failure } => {
                let is_open = self.selection.open().is_some_and(|o| o.id == id);
                let about = self.catalog.article(id).map(|a| a.path.clone());
                if let Some(open) = self.selection.open_mut().filter(|o| o.id == id) {
                    open.saving = false;
                }
                match failure {
                    SaveFailure::ChangedOnDisk if is_open => {
                        self.dialog = Some(Dialog::ChangedOnDisk);
                    }
                    SaveFailure::ChangedOnDisk => {
                        let path = self
                            .catalog
                            .article(id)
                            .map(|a| a.path_display())
                            .unwrap_or_default();
                        self.error(format!("Not saved: the file changed on disk: {path}"));
                    }
                    SaveFailure::Other(message) => match about {
                        Some(path) => self.error_about(path, message),
                        None => self.error(message),
                    },
                }
            }
            Done::ResolveFailed { message } => {
                self.resolving = false;
                self.error(message);
            }
            Done::Resolved { root, select } => {
                self.resolving = false;
                self.open_root(root, select);
            }
            done @ Done::History { .. } => self.finish_history(done),
        }
    }

    pub(super) fn resolve_unsaved(&mut self, choice: UnsavedChoice, ctx: &egui::Context) {
        let Some(Dialog::Unsaved { then }) = self.dialog.take() else {
            return;
        };
        match choice {
            // A cell edit of another post waited for this answer: it is dropped too.
            UnsavedChoice::Cancel => self.table.pending = None,
            UnsavedChoice::Save => self.save(false, Some(then)),
            UnsavedChoice::Discard => {
                self.with_draft(Draft::discard);
                if matches!(*then, Command::Quit) {
                    self.allow_close = true;
                }
                self.apply(*then, ctx);
            }
        }
    }
}
