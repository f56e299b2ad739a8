//! The desktop app: the eframe [`App`](eframe::App) that ties the archive core to the
//! panels in [`crate::ui`].
//!
//! Per frame, [`eframe::App::logic`] drains worker channels into [`AppState`], then
//! [`eframe::App::ui`] draws every panel from that state, collecting [`Command`]s, and
//! applies them once drawing is done. Nothing here blocks or touches the file system:
//! scanning, loading a post, saving, trashing, looking at a dropped path and the folder
//! dialog run on worker threads ([`scan_task`], [`loader`], [`tasks`]).
//!
//! The domain model of editing (fields, typing, which edits a change means) is the
//! core's [`crate::fields`]; the app keeps a draft over it ([`draft`]).

mod body_search;
mod bulk;
mod catalog;
mod command;
mod curate;
mod disk_watch;
mod draft;
mod dups;
mod editing;
mod export;
mod git;
mod ingest;
mod insights;
mod loader;
pub mod log;
mod logic;
mod marked;
mod raw_draft;
mod scan_task;
pub mod settings;
mod source_rows;
mod state;
mod table;
mod tasks;
mod thumbs;
mod views;

use std::path::PathBuf;

pub use bulk::{BulkJob, RunKind};
pub use catalog::{ArticleId, Completions, Row, Taxonomy};
pub use command::{Command, MarkAction, Scope, UnsavedChoice};
pub use draft::Draft;
pub use dups::{Comparison, DupsState, Found};
pub use export::ExportState;
pub use git::{ChangedPost, GitState, PostDiff, PostHistory, Version, state_badge, version_label};
pub use insights::{InsightsChoice, InsightsState};
pub use raw_draft::RawDraft;
pub use source_rows::SourceRows;
pub use state::{
    AppState, CellEditing, Centre, Dialog, Editor, ExportForm, FindState, GridUi, Notice, OpenPost,
    Restored, Selection, TableUi, TaxonomyState, TaxonomyTab, UiState,
};
pub use table::{CellEdit, TableState};
pub use thumbs::{AppThumbs, ThumbState, list_size};
pub use views::ViewsState;

use settings::Settings;

/// The window icon (drawn by `examples/make_icon.rs`).
const ICON_PNG: &[u8] = include_bytes!("../../assets/folio.png");

/// Opens the Folio window; returns when it is closed.
pub fn run(folder: Option<PathBuf>) -> anyhow::Result<()> {
    let log_file = log::init();
    tracing::info!(log = ?log_file, "Folio starting");
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Folio")
        .with_app_id("folio")
        .with_inner_size([1440.0, 900.0])
        .with_min_inner_size([640.0, 400.0])
        .with_drag_and_drop(true);
    if let Some(icon) = icon_data() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "Folio",
        options,
        Box::new(move |cc| Ok(Box::new(FolioApp::new(cc, folder)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

/// The app icon as RGBA pixels.
pub fn icon_data() -> Option<egui::IconData> {
    let image = image::load_from_memory_with_format(ICON_PNG, image::ImageFormat::Png).ok()?;
    let rgba = image.to_rgba8();
    Some(egui::IconData {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

/// Where the app keeps its files; `None` turns a feature's disk storage off.
#[derive(Clone, Debug, Default)]
pub struct AppDirs {
    /// The thumbnail cache.
    pub thumb_cache: Option<PathBuf>,
    /// Operation histories (bulk edits, their undo and redo).
    pub history: Option<PathBuf>,
    /// The Duplicates view's fingerprint cache.
    pub dups_cache: Option<PathBuf>,
    /// The scan cache, which lists an archive opened before at once.
    pub scan_cache: Option<PathBuf>,
    /// The full-text index of bodies (`None`: kept in memory, built at each open).
    pub fulltext: Option<PathBuf>,
}

/// The Folio application.
pub struct FolioApp {
    state: AppState,
    ui_state: UiState,
}

impl FolioApp {
    /// Builds the app for eframe: fonts, theme, stored settings, then the folder given
    /// on the command line or the last one opened.
    pub fn new(cc: &eframe::CreationContext<'_>, folder: Option<PathBuf>) -> Self {
        let settings = Settings::load(cc.storage);
        let reopen = folder.or_else(|| settings.last_folder.clone());
        let dirs = AppDirs {
            thumb_cache: crate::thumbs::CacheConfig::platform_dir(),
            history: crate::bulk::History::default_dir(),
            dups_cache: crate::dups::CacheLocation::platform_dir(),
            scan_cache: crate::archive::ScanCache::platform_dir(),
            fulltext: crate::fulltext::FullText::platform_dir(),
        };
        Self::with_dirs(&cc.egui_ctx, settings, reopen, dirs)
    }

    /// Builds the app with explicit settings, no thumbnail or scan cache and no
    /// operation history (tests and benchmarks that make no bulk edits).
    pub fn with_settings(ctx: &egui::Context, settings: Settings, folder: Option<PathBuf>) -> Self {
        Self::with_dirs(ctx, settings, folder, AppDirs::default())
    }

    /// Builds the app with thumbnails cached on disk in `thumb_cache` (`None`: no cache).
    pub fn with_thumb_cache(
        ctx: &egui::Context,
        settings: Settings,
        folder: Option<PathBuf>,
        thumb_cache: Option<PathBuf>,
    ) -> Self {
        let dirs = AppDirs {
            thumb_cache,
            ..AppDirs::default()
        };
        Self::with_dirs(ctx, settings, folder, dirs)
    }

    /// Builds the app with its folders for thumbnails and operation histories.
    pub fn with_dirs(
        ctx: &egui::Context,
        settings: Settings,
        folder: Option<PathBuf>,
        dirs: AppDirs,
    ) -> Self {
        crate::ui::install_fonts(ctx);
        crate::ui::install_theme(ctx);
        ctx.set_theme(settings.theme.preference());
        let mut state = AppState::new(
            settings,
            ctx,
            dirs.thumb_cache,
            dirs.history,
            dirs.dups_cache,
            dirs.scan_cache,
            dirs.fulltext,
        );
        if let Some(folder) = folder {
            state.resolve_path(folder);
        }
        Self {
            state,
            ui_state: UiState::default(),
        }
    }

    /// The app's state, for tests and benchmarks to look at.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Applies a command as if a panel had emitted it (benchmarks drive the app so).
    pub fn apply(&mut self, command: Command, ctx: &egui::Context) {
        self.state.apply(command, ctx);
    }

    /// One frame without eframe: drain the workers, draw, apply the commands. What
    /// eframe's `logic` and `ui` do, for benchmarks that time frames.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.state.drain(&ctx);
        self.ui(ui);
    }

    /// Scrolls the list so `row` is at the top on the next frame.
    pub fn scroll_list_to(&mut self, row: usize) {
        self.ui_state.list_scroll_to_row = Some(row);
    }

    /// `• 标题 — archive — Folio`: the open post (with `•` when it has unsaved edits).
    pub fn window_title(&self) -> String {
        let state = &self.state;
        let mut parts = Vec::new();
        if let Some(open) = state.open_post() {
            let dot = if open.is_dirty() { "• " } else { "" };
            parts.push(format!("{dot}{}", open.post().article.display_title()));
        }
        if let Some(name) = state.root.as_ref().and_then(|r| r.file_name()) {
            parts.push(name.to_string_lossy().into_owned());
        }
        parts.push("Folio".to_owned());
        parts.join(" — ")
    }

    fn ui(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        crate::ui::app_ui(ui, &self.state, &mut self.ui_state, &mut commands);
        let ctx = ui.ctx().clone();
        let title = self.window_title();
        if title != self.ui_state.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.ui_state.window_title = title;
        }
        self.state.apply_all(commands, &ctx);
    }
}

impl eframe::App for FolioApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.state.drain(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        FolioApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.state.settings.store(storage);
    }
}
