//! Drawing: one file per panel or widget. Every function here reads [`AppState`],
//! may change widget-only [`UiState`], and pushes [`Command`]s; none of them touches the
//! archive. The layout is a top bar, a status bar, the facet panel and the article list
//! on the left, the front-matter editor on the right and the article in the centre.

mod article;
mod blocks;
mod bulk_editor;
mod bulk_preview;
mod dialogs;
mod editor;
mod facets;
mod fonts;
mod history;
mod list;
mod picture;
mod shortcuts;
mod status;
mod taxonomy;
mod theme;
mod top_bar;
mod welcome;

use crate::app::{AppState, Command, UiState};

pub use fonts::install as install_fonts;
pub use theme::install as install_theme;

/// Draws the whole window.
pub fn app_ui(ui: &mut egui::Ui, state: &AppState, ui_state: &mut UiState, out: &mut Vec<Command>) {
    shortcuts::handle(ui.ctx(), state, ui_state, out);
    ui_state.hovering_files = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
    top_bar::top_bar_ui(ui, state, ui_state, out);
    status::status_bar_ui(ui, state, out);
    if state.root.is_none() {
        egui::CentralPanel::default().show(ui, |ui| welcome::welcome_ui(ui, state, ui_state, out));
    } else {
        if state.settings.show_facets {
            egui::Panel::left("facets")
                .resizable(true)
                .default_size(220.0)
                .size_range(140.0..=480.0)
                .show(ui, |ui| facets::facets_ui(ui, state, out));
        }
        egui::Panel::left("list")
            .resizable(true)
            .default_size(420.0)
            .size_range(240.0..=900.0)
            .show(ui, |ui| list::list_ui(ui, state, ui_state, out));
        egui::Panel::right("editor")
            .resizable(true)
            .default_size(320.0)
            .size_range(220.0..=700.0)
            .show(ui, |ui| editor::editor_ui(ui, state, ui_state, out));
        egui::CentralPanel::default().show(ui, |ui| article::article_ui(ui, state, out));
    }
    bulk_preview::bulk_preview_ui(ui.ctx(), state, ui_state, out);
    if state.show_history {
        history::history_ui(ui.ctx(), state, out);
    }
    if state.show_taxonomy {
        taxonomy::taxonomy_ui(ui.ctx(), state, ui_state, out);
    }
    dialogs::dialogs_ui(ui.ctx(), state, out);
    if ui_state.hovering_files {
        dialogs::drop_highlight_ui(ui.ctx());
    }
}
