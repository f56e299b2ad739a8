//! The desktop app: the eframe [`App`](eframe::App) that ties the archive core to the
//! panels in [`crate::ui`].
//!
//! Per frame, [`eframe::App::logic`] drains worker channels into [`AppState`], then
//! [`eframe::App::ui`] draws every panel from that state, collecting [`Command`]s, and
//! applies them once drawing is done. Nothing here blocks: scanning, loading a post,
//! the folder dialog and saving run on worker threads.

mod body_search;
pub mod catalog;
pub mod command;
pub mod draft;
mod ingest;
pub mod loader;
pub mod log;
mod logic;
mod save;
pub mod scan_task;
pub mod settings;
pub mod state;
pub mod thumbs;

use std::path::PathBuf;

pub use command::{Command, UnsavedChoice};
pub use state::{AppState, Dialog, UiState};

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

/// The Folio application.
pub struct FolioApp {
    pub state: AppState,
    pub ui_state: UiState,
}

impl FolioApp {
    /// Builds the app for eframe: fonts, theme, stored settings, then the folder given
    /// on the command line or the last one opened.
    pub fn new(cc: &eframe::CreationContext<'_>, folder: Option<PathBuf>) -> Self {
        let settings = Settings::load(cc.storage);
        let reopen = folder.or_else(|| settings.last_folder.clone().filter(|p| p.is_dir()));
        let cache = crate::thumbs::CacheConfig::platform_dir();
        Self::with_thumb_cache(&cc.egui_ctx, settings, reopen, cache)
    }

    /// Builds the app with explicit settings (tests use this with defaults).
    pub fn with_settings(ctx: &egui::Context, settings: Settings, folder: Option<PathBuf>) -> Self {
        Self::with_thumb_cache(ctx, settings, folder, None)
    }

    /// Builds the app with thumbnails cached on disk in `thumb_cache` (`None`: no cache).
    pub fn with_thumb_cache(
        ctx: &egui::Context,
        settings: Settings,
        folder: Option<PathBuf>,
        thumb_cache: Option<PathBuf>,
    ) -> Self {
        crate::ui::fonts::install(ctx);
        crate::ui::theme::install(ctx);
        ctx.set_theme(settings.theme.preference());
        let mut state = AppState::with_thumb_cache(settings, ctx, thumb_cache);
        if let Some(folder) = folder {
            state.open_path(&folder);
        }
        let ui_state = UiState {
            path_text: String::new(),
            ..UiState::default()
        };
        Self { state, ui_state }
    }

    /// `• 标题 — archive — Folio`: the open post (with `•` when it has unsaved edits).
    pub fn window_title(&self) -> String {
        let state = &self.state;
        let mut parts = Vec::new();
        if let Some(open) = &state.open {
            let dot = if state.is_dirty() { "• " } else { "" };
            let title = open.post.article.front.display_title();
            parts.push(format!("{dot}{title}"));
        }
        if let Some(name) = state.root.as_ref().and_then(|r| r.file_name()) {
            parts.push(name.to_string_lossy().into_owned());
        }
        parts.push("Folio".to_owned());
        parts.join(" — ")
    }

    /// Waits (in tests and benchmarks) until the scan has delivered everything.
    pub fn wait_for_scan(&mut self, ctx: &egui::Context) {
        while self.state.is_scanning() {
            std::thread::sleep(std::time::Duration::from_millis(5));
            self.state.drain(ctx);
        }
        self.state.drain(ctx);
    }
}

impl eframe::App for FolioApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.state.drain(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let mut commands = Vec::new();
        crate::ui::app_ui(ui, &self.state, &mut self.ui_state, &mut commands);
        let ctx = ui.ctx().clone();
        let title = self.window_title();
        if title != self.ui_state.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.ui_state.window_title = title;
        }
        for command in commands {
            self.state.apply(command, &ctx);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.state.settings.store(storage);
    }
}
