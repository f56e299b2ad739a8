//! Everything the app knows between frames.
//!
//! [`AppState`] is the domain side (archive, catalog, query, the selected post and its
//! draft, dialogs, errors) and changes only in [`super::logic`]; panels read it through
//! `pub(crate)` fields and the accessors below. [`UiState`] holds what only the widgets
//! care about (text being typed into the search box or the path field, focus requests),
//! which panels may change directly like any egui widget state.
//!
//! The selection is one value, [`Selection`]: nothing, a post being loaded, or an open
//! post together with its draft, so a draft can never outlive or belong to another post.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use crate::archive::{ImageRef, PathProblem, Post};
use crate::clean::Document;
use crate::index::{Facets, Query};

use crate::bulk::{History, Recorded, Summary};

use super::body_search::BodySearch;
use super::bulk::BulkJob;
use super::catalog::{ArticleId, Catalog, Completions, Taxonomy};
use super::command::Command;
use super::draft::Draft;
use super::dups::DupsState;
use super::export::ExportState;
use super::git::GitState;
use super::insights::InsightsState;
use super::loader::Loader;
use super::marked::Marked;
use super::raw_draft::RawDraft;
use super::scan_task::ScanTask;
use super::settings::Settings;
use super::source_rows::SourceRows;
use super::tasks::Tasks;
use super::thumbs::AppThumbs;
use super::views::ViewsState;
use crate::fields::Fields;

/// What the list has selected.
pub enum Selection {
    None,
    /// Selected; its file is being read and cleaned on the loader thread.
    Loading(ArticleId),
    /// Shown in the article view, with its draft in the editor.
    Open(Box<OpenPost>),
}

impl Selection {
    pub fn id(&self) -> Option<ArticleId> {
        match self {
            Self::None => None,
            Self::Loading(id) => Some(*id),
            Self::Open(open) => Some(open.id),
        }
    }

    pub fn open(&self) -> Option<&OpenPost> {
        match self {
            Self::Open(open) => Some(open),
            _ => None,
        }
    }

    pub(crate) fn open_mut(&mut self) -> Option<&mut OpenPost> {
        match self {
            Self::Open(open) => Some(open),
            _ => None,
        }
    }
}

/// The post shown in the article view.
pub struct OpenPost {
    pub(crate) id: ArticleId,
    pub(crate) post: Arc<Post>,
    /// The cleaned body.
    pub(crate) document: Document,
    /// The post's image for the header (front matter, else the body's first image).
    pub(crate) header_image: Option<ImageRef>,
    /// The raw text cut into rows for the Source view.
    pub(crate) source: SourceRows,
    /// The front matter being edited, or why it cannot be.
    pub(crate) editor: Editor,
    /// A save of this post is running on the tasks worker.
    pub(crate) saving: bool,
    /// A version from the post's git history, restored as an unsaved edit of the whole
    /// file: Save writes it (with the changed-on-disk check), Revert drops it.
    pub(crate) restored: Option<Restored>,
}

/// A whole-file version waiting to be saved over the open post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    /// The file's text as it was at that commit.
    pub text: String,
    /// Which version it is (`abc1234 · date · message`).
    pub label: String,
}

impl OpenPost {
    /// The post as loaded (or as last saved).
    pub fn post(&self) -> &Post {
        &self.post
    }

    pub fn draft(&self) -> Option<&Draft> {
        match &self.editor {
            Editor::Draft(draft) => Some(draft),
            Editor::Raw(_) | Editor::NotEditable(_) => None,
        }
    }

    pub(crate) fn draft_mut(&mut self) -> Option<&mut Draft> {
        match &mut self.editor {
            Editor::Draft(draft) => Some(draft),
            Editor::Raw(_) | Editor::NotEditable(_) => None,
        }
    }

    /// The broken front matter being edited as text, if that is the editor.
    pub fn raw(&self) -> Option<&RawDraft> {
        match &self.editor {
            Editor::Raw(raw) => Some(raw),
            _ => None,
        }
    }

    /// The restored version waiting to be saved, if any.
    pub fn restored(&self) -> Option<&Restored> {
        self.restored.as_ref()
    }

    pub fn is_dirty(&self) -> bool {
        if self.restored.is_some() {
            return true;
        }
        match &self.editor {
            Editor::Draft(draft) => draft.is_dirty(),
            Editor::Raw(raw) => raw.is_dirty(),
            Editor::NotEditable(_) => false,
        }
    }
}

/// The editor's side of an open post.
pub enum Editor {
    Draft(Draft),
    /// Broken front matter, edited as text until it parses (see [`RawDraft`]).
    Raw(RawDraft),
    /// The front matter cannot be edited here at all; the reason, naming the file.
    NotEditable(String),
}

impl Editor {
    /// The editor for a loaded post: its fields, else its broken front matter as
    /// text, else why it cannot be edited.
    pub fn for_post(post: &Post) -> Self {
        match crate::fields::Fields::of_post(post) {
            Ok(fields) => Self::Draft(Draft::new(fields)),
            Err(e) => match RawDraft::of_post(post) {
                Some(raw) => Self::Raw(raw),
                None => Self::NotEditable(e.to_string()),
            },
        }
    }
}

/// A question the window is asking; everything else waits for the answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// The draft has unsaved edits; `then` runs after Save or Discard.
    Unsaved { then: Box<Command> },
    /// Move the open post to the trash?
    ConfirmDelete,
    /// The file changed since it was opened; Keep both / Reload / Overwrite / Cancel.
    ChangedOnDisk,
    /// The editor's changes were applied onto the new version of the file, except for
    /// these keys, which the other program changed too: pick a value for each.
    MergeConflicts(Vec<crate::fields::Conflict>),
    /// An operation of the history did not finish (Folio was killed while applying or
    /// undoing it): finish it or roll it back.
    Interrupted { id: u64, summary: String },
}

/// An error shown in the window until dismissed, or until its cause is gone.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownError {
    pub message: String,
    /// The post whose draft or save it is about: it goes once that post is saved, its
    /// draft is valid again, or another post is open.
    pub about: Option<PathBuf>,
}

pub struct AppState {
    pub(crate) settings: Settings,
    pub(crate) root: Option<PathBuf>,
    pub(crate) catalog: Catalog,
    /// The rows the list shows, in order.
    pub(crate) visible: Vec<ArticleId>,
    pub(crate) query: Query,
    /// Facet counts over `visible`, recomputed when the result changes.
    pub(crate) facets: Facets,
    /// How many of `visible` have problems (counted with the facets).
    pub(crate) facet_problems: usize,
    /// Every category, tag and author in the archive, for completion in the editor.
    pub(crate) completions: Completions,
    pub(crate) scan: Option<ScanTask>,
    /// The body search for the current search text, when the Bodies toggle is on.
    pub(crate) body_search: Option<BodySearch>,
    pub(crate) path_problems: Vec<PathProblem>,
    pub(crate) selection: Selection,
    pub(crate) dialog: Option<Dialog>,
    pub(crate) errors: Vec<ShownError>,
    pub(crate) raw_source: bool,
    /// A post to select once the scan delivers it (path relative to the root).
    pub(crate) pending_select: Option<PathBuf>,
    /// "Keep both": the draft's fields (as loaded, as edited) to apply onto the post
    /// once its new version is loaded.
    pub(crate) pending_merge: Option<(ArticleId, Fields, Fields)>,
    /// Why "Show in folder" failed, from its worker.
    pub(crate) reveal_rx: Option<std::sync::mpsc::Receiver<String>>,
    pub(crate) needs_requery: bool,
    pub(crate) last_requery: Instant,
    /// The result changed since the facets were counted.
    pub(crate) facets_stale: bool,
    pub(crate) last_facets: Instant,
    /// The archive changed since the editor's completions were listed.
    pub(crate) completions_stale: bool,
    /// When the search text last changed (facets wait for a pause in typing).
    pub(crate) last_typed: Instant,
    pub(crate) load_generation: u64,
    pub(crate) loader: Loader,
    /// Saves, trash moves and path lookups, off the UI thread.
    pub(crate) tasks: Tasks,
    /// A dropped, typed or given path is being looked at by the tasks worker.
    pub(crate) resolving: bool,
    /// The folder dialog's answer and how long it was open.
    pub(crate) pick_rx: Option<Receiver<(Option<PathBuf>, std::time::Duration)>>,
    /// The in-window "Open a folder" field is shown, with this explanation.
    pub(crate) path_prompt: Option<String>,
    /// True once the person agreed to close (or nothing was unsaved).
    pub(crate) allow_close: bool,
    /// Handed to workers so they can request a repaint when they deliver.
    pub(crate) ctx_for_workers: egui::Context,
    /// Thumbnail pool and textures.
    pub(crate) thumbs: AppThumbs,
    /// The posts marked for a bulk edit (the open post alone, or many).
    pub(crate) marked: Marked,
    /// What the marked posts have in common, when more than one is marked.
    pub(crate) summary: Option<Summary>,
    /// The bulk preview or run, if one is open.
    pub(crate) bulk: Option<BulkJob>,
    /// Where operation histories are kept (`None`: no history, no bulk edits).
    pub(crate) history_base: Option<PathBuf>,
    /// The open archive's history, once the tasks thread opened it.
    pub(crate) history: Option<History>,
    /// Its operations, oldest first (refreshed after every run).
    pub(crate) operations: Vec<Recorded>,
    pub(crate) show_history: bool,
    pub(crate) show_taxonomy: bool,
    /// A short message in the status bar ("37 posts changed — Undo").
    pub(crate) notice: Option<Notice>,
    /// The archive's categories, tags and authors, while the taxonomy manager is open.
    pub(crate) taxonomy: Option<Taxonomy>,
    /// What the centre shows: the article, or a view that replaces it.
    pub(crate) centre: Centre,
    /// The Insights view's choices, figures and worker.
    pub(crate) insights: InsightsState,
    /// The Duplicates view's groups, choices and workers.
    pub(crate) dups: DupsState,
    /// File › Export…: its window, worker and save dialog.
    pub(crate) export: ExportState,
    /// The archive's saved views.
    pub(crate) views: ViewsState,
    /// The table's columns, column sort and pending cell edit.
    pub(crate) table: super::table::TableState,
    /// A finished bulk run's touched posts, being taken into the list over frames.
    pub(crate) refreshing: Option<super::curate::Refreshing>,
    /// The archive's git repository, its status, the Changes view and post history.
    pub(crate) git: GitState,
    /// Where scans are cached (`None`: every open reads every file).
    pub(crate) scan_cache: Option<PathBuf>,
    /// Posts found changed on disk by someone else, taken into the list over frames.
    pub(crate) disk_changes: std::collections::VecDeque<super::bulk::Refreshed>,
    /// The watch of the open archive for other programs' changes.
    pub(crate) disk_watch: Option<super::disk_watch::DiskWatch>,
    /// The open archive's full-text index worker (the "Bodies" search).
    pub(crate) fulltext: Option<super::body_search::FullTextWorker>,
    /// Where full-text indexes are kept (`None`: in memory).
    pub(crate) fulltext_dir: Option<PathBuf>,
}

/// The export window's fields, kept while it is closed.
#[derive(Clone, Debug)]
pub struct ExportForm {
    pub format: crate::export::ExportFormat,
    /// Markdown and HTML: one file per post into a folder (else one digest file).
    pub per_post: bool,
    /// Only the marked posts (else the list's).
    pub marked_only: bool,
    pub columns: String,
    pub path: String,
    /// The save dialog's answer last copied into `path`.
    pub seen_choice: u64,
}

impl Default for ExportForm {
    fn default() -> Self {
        Self {
            format: crate::export::ExportFormat::Csv,
            per_post: false,
            marked_only: false,
            columns: crate::export::DEFAULT_COLUMNS.join(","),
            path: String::new(),
            seen_choice: 0,
        }
    }
}

/// What the centre of the window shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Centre {
    /// The selected article (and the front-matter panel beside it).
    #[default]
    Article,
    Insights,
    Duplicates,
    /// The posts that differ from the last git commit, their diffs and the commit form.
    Changes,
    /// The result as a table (in the list's place, beside the front-matter panel).
    Table,
    /// The result as a grid of cards with large thumbnails (in the list's place).
    Grid,
}

impl Centre {
    /// Whether this view shows the result itself, in the list's place.
    pub fn replaces_list(self) -> bool {
        matches!(self, Self::Table | Self::Grid)
    }

    /// Whether the front-matter panel belongs beside this view.
    pub fn has_editor(self) -> bool {
        matches!(self, Self::Article | Self::Table | Self::Grid)
    }
}

/// A message about a finished action, with the operation it can undo.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub undo: Option<u64>,
    pub shown_at: Instant,
}

impl AppState {
    /// State whose thumbnails are cached on disk in `thumb_cache` (`None`: no cache).
    pub(crate) fn new(
        settings: Settings,
        ctx: &egui::Context,
        thumb_cache: Option<PathBuf>,
        history_base: Option<PathBuf>,
        dups_cache: Option<PathBuf>,
        scan_cache: Option<PathBuf>,
        fulltext_dir: Option<PathBuf>,
    ) -> Self {
        let thumbs = AppThumbs::new(
            ctx,
            thumb_cache,
            settings.offline,
            settings.allow_local_images,
        );
        let query = Query {
            sort: settings.sort,
            descending: settings.descending,
            ..Query::default()
        };
        // The result is shown as it was last time.
        let centre = match settings.layout {
            crate::views::ViewLayout::List => Centre::Article,
            crate::views::ViewLayout::Table => Centre::Table,
            crate::views::ViewLayout::Grid => Centre::Grid,
        };
        let table = super::table::TableState::with_columns(&settings.table_columns);
        Self {
            settings,
            root: None,
            catalog: Catalog::default(),
            visible: Vec::new(),
            query,
            facets: Facets::default(),
            facet_problems: 0,
            completions: Completions::default(),
            scan: None,
            body_search: None,
            path_problems: Vec::new(),
            selection: Selection::None,
            dialog: None,
            errors: Vec::new(),
            raw_source: false,
            pending_select: None,
            pending_merge: None,
            reveal_rx: None,
            needs_requery: false,
            last_requery: Instant::now(),
            facets_stale: false,
            last_facets: Instant::now(),
            completions_stale: false,
            last_typed: Instant::now(),
            load_generation: 0,
            loader: Loader::start(ctx),
            tasks: Tasks::start(ctx),
            resolving: false,
            pick_rx: None,
            path_prompt: None,
            allow_close: false,
            ctx_for_workers: ctx.clone(),
            thumbs,
            marked: Marked::default(),
            summary: None,
            bulk: None,
            history_base,
            history: None,
            operations: Vec::new(),
            show_history: false,
            show_taxonomy: false,
            notice: None,
            taxonomy: None,
            centre,
            insights: InsightsState::default(),
            dups: DupsState::new(dups_cache),
            export: ExportState::default(),
            views: ViewsState::default(),
            table,
            refreshing: None,
            git: GitState::default(),
            scan_cache,
            disk_changes: std::collections::VecDeque::new(),
            disk_watch: None,
            fulltext: None,
            fulltext_dir,
        }
    }

    /// Whether the open post has unsaved edits.
    pub fn is_dirty(&self) -> bool {
        self.selection.open().is_some_and(OpenPost::is_dirty)
    }

    pub fn is_scanning(&self) -> bool {
        self.scan.as_ref().is_some_and(|s| !s.finished)
    }

    /// True while anything the window waits for is running: a scan, a path lookup,
    /// the folder dialog, a body search, loading the selected post or saving it.
    pub fn is_busy(&self) -> bool {
        self.is_scanning()
            || self.scan.as_ref().is_some_and(ScanTask::worker_running)
            || !self.disk_changes.is_empty()
            || self.disk_watch.as_ref().is_some_and(|w| w.is_checking())
            || self.fulltext.as_ref().is_some_and(|f| f.is_syncing())
            || self.resolving
            || self.pick_rx.is_some()
            || self.body_search.as_ref().is_some_and(|b| !b.done)
            || matches!(self.selection, Selection::Loading(_))
            || self.selection.open().is_some_and(|o| o.saving)
            || self.tasks.is_busy()
            || self.bulk.as_ref().is_some_and(|b| b.progress().is_some())
            || (self.centre == Centre::Insights && self.insights.is_updating())
            || self.dups.is_busy()
            || self.export.is_busy()
            || self.views.is_busy()
            || self.refreshing.is_some()
            || self.git.is_busy()
    }

    /// What the centre of the window shows.
    pub fn centre(&self) -> Centre {
        self.centre
    }

    /// Shows `view` in the centre (`on`), or the article again when it is shown.
    pub(super) fn show_view(&mut self, view: Centre, on: bool) {
        if on {
            self.set_centre(view);
        } else if self.centre == view {
            self.set_centre(Centre::Article);
        }
    }

    /// Shows `centre`; the list, the table and the grid are remembered for the next run.
    pub(super) fn set_centre(&mut self, centre: Centre) {
        use crate::views::ViewLayout;
        self.centre = centre;
        self.settings.layout = match centre {
            Centre::Article => ViewLayout::List,
            Centre::Table => ViewLayout::Table,
            Centre::Grid => ViewLayout::Grid,
            Centre::Insights | Centre::Duplicates | Centre::Changes => return,
        };
    }

    /// The selected post's id.
    pub fn selected(&self) -> Option<ArticleId> {
        self.selection.id()
    }

    /// The open post, once it is loaded.
    pub fn open_post(&self) -> Option<&OpenPost> {
        self.selection.open()
    }

    /// The list's query: the search text, facet choices and sort.
    pub fn query(&self) -> &crate::index::Query {
        &self.query
    }

    /// The ids the list shows, in order.
    pub fn visible(&self) -> &[ArticleId] {
        &self.visible
    }

    /// Posts in the archive.
    /// A listed post's metadata.
    pub fn article(&self, id: ArticleId) -> Option<&crate::archive::Article> {
        self.catalog.article(id)
    }

    pub fn post_count(&self) -> usize {
        self.catalog.len()
    }

    /// The errors shown in the window, oldest first.
    pub fn errors(&self) -> impl Iterator<Item = &str> {
        self.errors.iter().map(|e| e.message.as_str())
    }

    /// The posts marked for a bulk edit, ascending.
    pub fn marked(&self) -> &[ArticleId] {
        self.marked.ids()
    }

    /// The bulk preview or run that is open, if any.
    pub fn bulk(&self) -> Option<&BulkJob> {
        self.bulk.as_ref()
    }

    /// The open archive's operations, oldest first.
    pub fn operations(&self) -> &[Recorded] {
        &self.operations
    }

    /// The notice in the status bar, if any.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Whether bulk edits can be applied (the archive's history is open).
    pub fn history_available(&self) -> bool {
        self.history.is_some()
    }

    /// The taxonomy manager's lists, once counted.
    pub fn taxonomy(&self) -> Option<&Taxonomy> {
        self.taxonomy.as_ref()
    }

    /// The question the window is asking, if any.
    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    /// The settings as they will be stored.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The app's thumbnails (textures uploaded so far, for tests and benchmarks).
    pub fn thumbs(&self) -> &AppThumbs {
        &self.thumbs
    }

    /// Shows an error in the window and logs it.
    pub(crate) fn error(&mut self, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        self.errors.push(ShownError {
            message,
            about: None,
        });
    }

    /// Shows an error about the open post's draft or save (see [`ShownError::about`]).
    pub(crate) fn error_about(&mut self, path: PathBuf, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        self.errors.retain(|e| e.message != message);
        self.errors.push(ShownError {
            message,
            about: Some(path),
        });
    }

    /// Drops the errors whose cause is gone: their post is no longer open, or its draft
    /// can be saved now.
    pub(crate) fn clear_stale_errors(&mut self) {
        let open = self.selection.open().map(|o| {
            let valid = o.draft().is_none_or(|d| d.first_error().is_none());
            (o.post.article.path.clone(), valid)
        });
        self.errors.retain(|e| match (&e.about, &open) {
            (None, _) => true,
            (Some(_), None) => false,
            // A draft's validation error goes once the draft is valid; a failed save's
            // stays until the post is saved or left.
            (Some(about), Some((path, valid))) => {
                about == path && !(*valid && e.message.starts_with("Cannot save"))
            }
        });
    }

    /// Path of the open post relative to the root, for messages.
    pub(crate) fn open_path_display(&self) -> String {
        self.selection
            .open()
            .map(|o| o.post.article.path_display())
            .unwrap_or_default()
    }

    /// Position of the selection in the visible list.
    pub fn selected_row(&self) -> Option<usize> {
        let selected = self.selected()?;
        self.visible.iter().position(|&id| id == selected)
    }
}

/// Widget-only state: typed text not yet applied, focus requests.
#[derive(Default)]
pub struct UiState {
    pub(crate) search_text: String,
    pub(crate) path_text: String,
    pub(crate) focus_search: bool,
    pub(crate) focus_editor: bool,
    /// A field of the front-matter editor had the keyboard last frame, so Ctrl+Z is the
    /// draft's, not the text field's.
    pub(crate) editor_has_focus: bool,
    pub(crate) hovering_files: bool,
    /// Text being typed into a chip list's add field, per post and key.
    pub(crate) chip_input: std::collections::HashMap<String, String>,
    /// The completion picked with ↑/↓ under a chip field: (its field, index).
    pub(crate) suggestion: Option<(String, usize)>,
    pub(crate) new_field_key: String,
    /// The selection the list last made sure was visible.
    pub(crate) list_seen_selection: Option<ArticleId>,
    /// Rows the list showed last frame.
    pub(crate) list_visible_rows: std::ops::Range<usize>,
    /// The list's scroll offset and viewport height last frame, in points.
    pub(crate) list_view: (f32, f32),
    /// Scroll the list so this row is at the top next frame.
    pub(crate) list_scroll_to_row: Option<usize>,
    /// The window title last sent, so it is only sent when it changes.
    pub(crate) window_title: String,
    /// The app icon as a texture, for the welcome screen.
    pub(crate) icon: Option<egui::TextureHandle>,
    /// The bulk editor's fields: a value to set or an item to add, per key.
    pub(crate) bulk_values: std::collections::HashMap<String, String>,
    /// An item being renamed in the bulk editor: `(key, item, new name)`.
    pub(crate) rename: Option<(String, String, String)>,
    pub(crate) bulk_new_key: String,
    pub(crate) bulk_new_value: String,
    pub(crate) find: FindState,
    pub(crate) move_folder: String,
    /// Why the last bulk action could not be planned.
    pub(crate) bulk_error: Option<String>,
    /// The file whose diff the preview shows.
    pub(crate) preview_row: usize,
    pub(crate) taxonomy: TaxonomyState,
    /// The export window's fields.
    pub(crate) export: ExportForm,
    /// The name typed for a new saved view, while its field is open.
    pub(crate) new_view: Option<String>,
    /// A saved view being renamed: its position and the name typed.
    pub(crate) rename_view: Option<(usize, String)>,
    /// This frame's panel layout.
    pub(crate) layout: Option<crate::ui::Layout>,
    /// The side panel opened last, which wins when only one fits.
    pub(crate) last_side: Option<crate::ui::Side>,
    /// The shortcut sheet is open (F1, `?`).
    pub(crate) show_shortcuts: bool,
    /// The command palette is open (Ctrl+K, Ctrl+Shift+P), with what is typed in it and
    /// the highlighted row.
    pub(crate) palette: Option<(String, usize)>,
    /// A path was submitted from the welcome screen; its field refocuses if it fails.
    pub(crate) path_submitted: bool,
    /// The table's widgets: column widths, the cell being typed, scrolling.
    pub(crate) table: TableUi,
    /// The card grid's widgets.
    pub(crate) grid: GridUi,
}

/// The table view's widget state.
#[derive(Default)]
pub struct TableUi {
    /// Widths a person dragged columns to, by column name.
    pub widths: std::collections::HashMap<String, f32>,
    /// The cell being typed into.
    pub editing: Option<CellEditing>,
    /// The selection the table last scrolled to.
    pub seen_selection: Option<ArticleId>,
    /// Scroll offset and viewport height last frame, in points.
    pub view: (f32, f32),
    /// A header being dragged to another place: its position.
    pub dragging: Option<usize>,
}

/// A table cell being typed into.
#[derive(Clone, Debug, PartialEq)]
pub struct CellEditing {
    pub id: ArticleId,
    pub column: crate::table::Column,
    pub text: String,
    /// Focus was given to the field (once).
    pub focused: bool,
}

/// The card grid's widget state.
#[derive(Default)]
pub struct GridUi {
    /// Cards per row last frame (↑ and ↓ move by a row).
    pub columns: usize,
    pub seen_selection: Option<ArticleId>,
    pub view: (f32, f32),
}

/// The bulk editor's find and replace, with the live count of its last inputs.
#[derive(Clone, Debug, Default)]
pub struct FindState {
    pub key: String,
    pub pattern: String,
    pub replacement: String,
    pub regex: bool,
    pub count: usize,
    /// The inputs `count` is for: key, pattern, regex, marked and archive sizes.
    pub counted_for: Option<(String, String, bool, usize, usize)>,
}

/// Which list the taxonomy manager shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaxonomyTab {
    #[default]
    Categories,
    Tags,
    Authors,
}

impl TaxonomyTab {
    /// The key its items live in.
    pub fn key(self) -> &'static str {
        match self {
            Self::Categories => "categories",
            Self::Tags => "tags",
            Self::Authors => "author",
        }
    }
}

/// The taxonomy manager's widgets.
#[derive(Clone, Debug, Default)]
pub struct TaxonomyState {
    pub tab: TaxonomyTab,
    pub filter: String,
    /// Names ticked for a merge.
    pub checked: std::collections::BTreeSet<String>,
    /// A name being renamed: `(name, new name)`.
    pub renaming: Option<(String, String)>,
    pub merge_into: String,
}
