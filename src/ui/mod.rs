//! Drawing: one file per panel or widget. Every function here reads [`AppState`],
//! may change widget-only [`UiState`], and pushes [`Command`]s; none of them touches the
//! archive. The layout is a top bar, a status bar, the facet panel and the article list
//! on the left, the front-matter editor on the right and the article in the centre (or,
//! in the list's and the article's place, the result as a table or a card grid);
//! [`layout`] decides which side panels fit and how wide they may be.

mod article;
mod blocks;
mod bulk_editor;
mod bulk_preview;
mod changes;
mod dialogs;
mod diff_view;
mod dups;
mod editor;
mod export;
mod facets;
mod fonts;
mod grid;
mod history;
mod insights;
mod insights_chart;
mod insights_rows;
mod layout;
mod list;
mod palette;
mod picture;
mod post_history;
mod raw_editor;
mod shortcuts;
mod status;
mod table;
mod taxonomy;
mod theme;
mod top_bar;
mod welcome;

use crate::app::{AppState, Centre, Command, UiState};

pub use fonts::install as install_fonts;
pub use theme::install as install_theme;

pub use layout::{Layout, Side};

/// Draws the whole window.
pub fn app_ui(ui: &mut egui::Ui, state: &AppState, ui_state: &mut UiState, out: &mut Vec<Command>) {
    let centre = state.centre();
    // The front-matter panel belongs to the article and to the views of the result
    // (table, grid), not to Insights, Duplicates or Changes.
    let want_editor = state.settings.show_editor && centre.has_editor();
    let layout = if centre.replaces_list() {
        Layout::plan_without_list(
            ui.available_width(),
            state.settings.show_facets,
            want_editor,
            ui_state.last_side,
        )
    } else {
        Layout::plan(
            ui.available_width(),
            state.settings.show_facets,
            want_editor,
            ui_state.last_side,
        )
    };
    ui_state.layout = Some(layout);
    if centre != Centre::Table {
        // A cell being typed belongs to the table on screen.
        ui_state.table.editing = None;
    }
    shortcuts::handle(ui.ctx(), state, ui_state, out);
    ui_state.hovering_files = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
    top_bar::top_bar_ui(ui, state, ui_state, out);
    status::status_bar_ui(ui, state, out);
    if state.root.is_none() {
        egui::CentralPanel::default().show(ui, |ui| welcome::welcome_ui(ui, state, ui_state, out));
    } else {
        if let Some(max) = layout.facets {
            egui::Panel::left("facets")
                .resizable(true)
                .default_size(Layout::FACETS_DEFAULT.min(max))
                .size_range(Layout::FACETS_MIN..=max)
                .show(ui, |ui| facets::facets_ui(ui, state, ui_state, out));
        }
        if !centre.replaces_list() {
            egui::Panel::left("list")
                .resizable(true)
                .default_size(Layout::LIST_DEFAULT.min(layout.list))
                .size_range(Layout::LIST_MIN..=layout.list)
                .show(ui, |ui| list::list_ui(ui, state, ui_state, out));
        }
        if let Some(max) = layout.editor {
            egui::Panel::right("editor")
                .resizable(true)
                .default_size(Layout::EDITOR_DEFAULT.min(max))
                .size_range(Layout::EDITOR_MIN..=max)
                .show(ui, |ui| editor::editor_ui(ui, state, ui_state, out));
        }
        egui::CentralPanel::default().show(ui, |ui| match state.centre() {
            Centre::Article => article::article_ui(ui, state, out),
            Centre::Insights => insights::insights_ui(ui, state, ui_state, out),
            Centre::Duplicates => dups::dups_ui(ui, state, ui_state, out),
            Centre::Changes => changes::changes_ui(ui, state, out),
            Centre::Table => table::table_ui(ui, state, ui_state, out),
            Centre::Grid => grid::grid_ui(ui, state, ui_state, out),
        });
    }
    bulk_preview::bulk_preview_ui(ui.ctx(), state, ui_state, out);
    if state.export_state().is_open() {
        export::export_ui(ui.ctx(), state, ui_state, out);
    }
    if state.show_history {
        history::history_ui(ui.ctx(), state, out);
    }
    post_history::post_history_ui(ui.ctx(), state, out);
    if state.show_taxonomy {
        taxonomy::taxonomy_ui(ui.ctx(), state, ui_state, out);
    }
    palette::palette_ui(ui.ctx(), state, ui_state, out);
    if ui_state.show_shortcuts {
        shortcuts::sheet_ui(ui.ctx(), ui_state);
    }
    dialogs::path_prompt_ui(ui.ctx(), state, ui_state, out);
    dialogs::dialogs_ui(ui.ctx(), state, out);
    if ui_state.hovering_files {
        dialogs::drop_highlight_ui(ui.ctx());
    }
}

/// A count with thousands separators: `100,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(100_000), "100,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
