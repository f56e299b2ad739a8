//! Everything the app knows between frames.
//!
//! [`AppState`] is the domain side (archive, catalog, query, open post, draft,
//! dialogs, errors) and changes only in [`super::logic`]. [`UiState`] holds what only
//! the widgets care about (text being typed into the search box or the path field,
//! focus requests), which panels may change directly like any egui widget state.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

use crate::archive::{PathProblem, Post};

use crate::index::{Facets, Query};

use super::catalog::{ArticleId, Catalog, Completions};
use super::command::Command;
use super::draft::Draft;
use super::loader::Loaded;
use super::scan_task::ScanTask;
use super::settings::Settings;

/// The post shown in the article view.
pub struct OpenPost {
    pub id: ArticleId,
    pub post: Post,
    /// The cleaned body.
    pub document: crate::clean::Document,
}

/// A question the window is asking; everything else waits for the answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// The draft has unsaved edits; `then` runs after Save or Discard.
    Unsaved { then: Box<Command> },
    /// Move the open post to the trash?
    ConfirmDelete,
    /// The file changed since it was opened; Reload / Overwrite / Cancel.
    ChangedOnDisk,
}

/// An error shown in the window until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownError {
    pub message: String,
}

pub struct AppState {
    pub settings: Settings,
    pub root: Option<PathBuf>,
    pub catalog: Catalog,
    /// The rows the list shows, in order.
    pub visible: Vec<ArticleId>,
    pub query: Query,
    /// Facet counts over `visible`, recomputed when the result changes.
    pub facets: Facets,
    /// How many of `visible` have problems (counted with the facets).
    pub facet_problems: usize,
    /// Every category, tag and author in the archive, for completion in the editor.
    pub completions: Completions,
    pub scan: Option<ScanTask>,
    /// The body search for the current search text, when the Bodies toggle is on.
    pub body_search: Option<super::body_search::BodySearch>,
    pub path_problems: Vec<PathProblem>,
    pub selected: Option<ArticleId>,
    pub open: Option<OpenPost>,
    pub draft: Option<Draft>,
    pub dialog: Option<Dialog>,
    pub errors: Vec<ShownError>,
    pub raw_source: bool,
    /// A post to select once the scan delivers it (path relative to the root).
    pub pending_select: Option<PathBuf>,
    pub needs_requery: bool,
    pub last_requery: Instant,
    /// The result changed since the facets were counted.
    pub facets_stale: bool,
    pub last_facets: Instant,
    /// The archive changed since the editor's completions were listed.
    pub completions_stale: bool,
    /// When the search text last changed (facets wait for a pause in typing).
    pub last_typed: Instant,
    pub load_generation: u64,
    pub load_tx: Sender<Loaded>,
    pub load_rx: Receiver<Loaded>,
    pub pick_rx: Option<Receiver<Option<PathBuf>>>,
    /// True once the person agreed to close (or nothing was unsaved).
    pub allow_close: bool,
    /// Handed to workers so they can request a repaint when they deliver.
    pub ctx_for_workers: egui::Context,
    /// Thumbnail pool and textures.
    pub thumbs: super::thumbs::AppThumbs,
}

impl AppState {
    /// State without a disk cache for thumbnails (tests, benchmarks).
    pub fn new(settings: Settings, ctx: &egui::Context) -> Self {
        Self::with_thumb_cache(settings, ctx, None)
    }

    /// State whose thumbnails are cached on disk in `thumb_cache`.
    pub fn with_thumb_cache(
        settings: Settings,
        ctx: &egui::Context,
        thumb_cache: Option<PathBuf>,
    ) -> Self {
        let (load_tx, load_rx) = channel();
        let thumbs = super::thumbs::AppThumbs::new(ctx, thumb_cache, settings.offline);
        let query = Query {
            sort: settings.sort,
            descending: settings.descending,
            ..Query::default()
        };
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
            selected: None,
            open: None,
            draft: None,
            dialog: None,
            errors: Vec::new(),
            raw_source: false,
            pending_select: None,
            needs_requery: false,
            last_requery: Instant::now(),
            facets_stale: false,
            last_facets: Instant::now(),
            completions_stale: false,
            last_typed: Instant::now(),
            load_generation: 0,
            load_tx,
            load_rx,
            pick_rx: None,
            allow_close: false,
            ctx_for_workers: ctx.clone(),
            thumbs,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.draft.as_ref().is_some_and(Draft::is_dirty)
    }

    pub fn is_scanning(&self) -> bool {
        self.scan.as_ref().is_some_and(|s| !s.finished)
    }

    /// True while a scan runs or the selected post is still loading.
    pub fn is_busy(&self) -> bool {
        self.is_scanning()
            || self.pick_rx.is_some()
            || self.body_search.as_ref().is_some_and(|b| !b.done)
            || self
                .selected
                .is_some_and(|id| self.open.as_ref().is_none_or(|o| o.id != id))
    }

    /// Shows an error in the window and logs it.
    pub fn error(&mut self, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        self.errors.push(ShownError { message });
    }

    /// Path of the open post relative to the root, for messages.
    pub fn open_path_display(&self) -> String {
        self.open
            .as_ref()
            .map(|o| o.post.article.path_display())
            .unwrap_or_default()
    }

    /// Position of the selection in the visible list.
    pub fn selected_row(&self) -> Option<usize> {
        let selected = self.selected?;
        self.visible.iter().position(|&id| id == selected)
    }
}

/// Widget-only state: typed text not yet applied, focus requests.
#[derive(Default)]
pub struct UiState {
    pub search_text: String,
    pub path_text: String,
    pub focus_search: bool,
    pub focus_editor: bool,
    pub hovering_files: bool,
    /// Text being typed into a chip list's add field, per key.
    pub chip_input: std::collections::HashMap<String, String>,
    pub new_field_key: String,
    /// The selection the list last made sure was visible.
    pub list_seen_selection: Option<super::catalog::ArticleId>,
    /// Rows the list showed last frame.
    pub list_visible_rows: std::ops::Range<usize>,
    /// Scroll the list so this row is at the top next frame.
    pub list_scroll_to_row: Option<usize>,
    /// The window title last sent, so it is only sent when it changes.
    pub window_title: String,
    /// The app icon as a texture, for the welcome screen.
    pub icon: Option<egui::TextureHandle>,
}
