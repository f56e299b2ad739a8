//! The top bar: File and View menus, the search box, sort and the "N of M" count.
//!
//! The search box text is the index's query text as typed, so its whole syntax works
//! here; the box's hover text lists it.

use egui::{Id, TextEdit};

use crate::app::settings::ThemeChoice;
use crate::app::{AppState, Command, UiState};
use crate::index::SortKey;

use super::layout::Side;
use super::shortcuts::{Action, perform};

pub fn top_bar_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.add_space(2.0);
        ui.horizontal(|ui| {
            file_menu_ui(ui, state, ui_state, out);
            edit_menu_ui(ui, state, ui_state, out);
            view_menu_ui(ui, state, ui_state, out);
            if state.root.is_none() {
                return;
            }
            ui.separator();
            // What follows the box (Bodies, sort, the count, the panel toggles) keeps its
            // room: the box gives way in a narrow window.
            let width = (ui.available_width() - 700.0).clamp(120.0, 320.0);
            search_ui(ui, state, ui_state, out, width);
            sort_ui(ui, state, out);
            ui.separator();
            let shown = state.visible.len();
            let total = state.catalog.len();
            ui.label(format!(
                "{} of {}",
                super::thousands(shown),
                super::thousands(total)
            ))
            .on_hover_text("Posts shown of posts in the archive");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                layout_switch_ui(ui, state, out);
                ui.separator();
                for (side, label, tip) in [
                    (
                        Side::Editor,
                        "Front matter",
                        "Show or hide the front-matter panel (Ctrl+E)",
                    ),
                    (
                        Side::Facets,
                        "Facets",
                        "Show or hide the facet panel (Ctrl+B)",
                    ),
                ] {
                    let mut shown = ui_state.layout.is_some_and(|l| l.shows(side));
                    if ui
                        .toggle_value(&mut shown, label)
                        .on_hover_text(tip)
                        .clicked()
                        && let Some(command) = super::layout::toggle(side, state, ui_state)
                    {
                        out.push(command);
                    }
                }
            });
        });
        ui.add_space(2.0);
    });
}

/// List, Table, Grid: how the result is shown (right to left).
fn layout_switch_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    use crate::app::Centre;
    let centre = state.centre();
    for (view, label, tip) in [
        (
            Centre::Grid,
            "Grid",
            "The result as cards with large thumbnails (Ctrl+G)",
        ),
        (
            Centre::Table,
            "Table",
            "The result as a table of front-matter columns (Ctrl+T)",
        ),
        (Centre::Article, "List", "The list beside the article"),
    ] {
        let on = centre == view || (view == Centre::Article && !centre.replaces_list());
        if ui.selectable_label(on, label).on_hover_text(tip).clicked() && !on {
            out.push(match view {
                Centre::Grid => Command::ShowGrid(true),
                Centre::Table => Command::ShowTable(true),
                _ if centre == Centre::Grid => Command::ShowGrid(false),
                _ => Command::ShowTable(false),
            });
        }
    }
}

/// An action's label in a menu: its name, and its keys when it has some.
fn menu_label(ui: &egui::Ui, action: Action) -> String {
    match action.keys(ui.ctx()) {
        Some(keys) => format!("{}  ({keys})", action.name()),
        None => action.name().to_owned(),
    }
}

/// A menu item for `action`, named and enabled as the action table says.
fn action_item(
    ui: &mut egui::Ui,
    action: Action,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let button = egui::Button::new(menu_label(ui, action));
    if ui.add_enabled(action.available(state), button).clicked() {
        perform(action, state, ui_state, out);
        ui.close();
    }
}

fn file_menu_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    ui.menu_button("File", |ui| {
        action_item(ui, Action::Open, state, ui_state, out);
        action_item(ui, Action::OpenPath, state, ui_state, out);
        ui.menu_button("Recent folders", |ui| {
            if state.settings.recent.is_empty() {
                ui.label("None yet");
            }
            for path in &state.settings.recent {
                if ui.button(path.display().to_string()).clicked() {
                    out.push(Command::OpenPath(path.clone()));
                }
            }
        });
        action_item(ui, Action::Rescan, state, ui_state, out);
        action_item(ui, Action::Export, state, ui_state, out);
        ui.separator();
        action_item(ui, Action::Quit, state, ui_state, out);
    });
}

fn edit_menu_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    use crate::bulk::State;
    ui.menu_button("Edit", |ui| {
        let idle = state.bulk().is_none();
        let last_applied = state
            .operations()
            .iter()
            .rev()
            .find(|op| op.state == State::Applied);
        let last_undone = state
            .operations()
            .iter()
            .rev()
            .find(|op| op.state == State::Undone);
        let undo = match last_applied {
            Some(op) => format!("Undo operation: {}", op.summary),
            None => "Undo operation".to_owned(),
        };
        if ui
            .add_enabled(idle && last_applied.is_some(), egui::Button::new(undo))
            .clicked()
        {
            out.push(Command::UndoOperation(last_applied.map(|op| op.id)));
        }
        let redo = match last_undone {
            Some(op) => format!("Redo operation: {}", op.summary),
            None => "Redo operation".to_owned(),
        };
        if ui
            .add_enabled(idle && last_undone.is_some(), egui::Button::new(redo))
            .clicked()
        {
            out.push(Command::RedoOperation(last_undone.map(|op| op.id)));
        }
        ui.separator();
        action_item(ui, Action::MarkAll, state, ui_state, out);
        action_item(ui, Action::History, state, ui_state, out);
        action_item(ui, Action::Taxonomy, state, ui_state, out);
    });
}

fn view_menu_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    ui.menu_button("View", |ui| {
        for (side, action) in [
            (Side::Facets, Action::ToggleFacets),
            (Side::Editor, Action::ToggleEditor),
        ] {
            let mut shown = ui_state.layout.is_some_and(|l| l.shows(side));
            if ui.checkbox(&mut shown, menu_label(ui, action)).changed()
                && let Some(command) = super::layout::toggle(side, state, ui_state)
            {
                out.push(command);
            }
        }
        let mut insights = state.shows_insights();
        if ui
            .add_enabled(
                state.root.is_some(),
                egui::Checkbox::new(&mut insights, Action::Insights.name()),
            )
            .on_hover_text("Figures over the list: posts over time, feeds that stopped, problems")
            .changed()
        {
            out.push(Command::ShowInsights(insights));
        }
        let mut dups = state.centre() == crate::app::Centre::Duplicates;
        if ui
            .add_enabled(
                state.root.is_some(),
                egui::Checkbox::new(&mut dups, Action::Duplicates.name()),
            )
            .on_hover_text(
                "Posts saved twice: compare them, keep one, or mark them as not duplicates",
            )
            .changed()
        {
            out.push(Command::ShowDuplicates(dups));
        }
        for (view, action) in [
            (crate::app::Centre::Table, Action::Table),
            (crate::app::Centre::Grid, Action::Grid),
        ] {
            let mut on = state.centre() == view;
            if ui
                .add_enabled(
                    state.root.is_some(),
                    egui::Checkbox::new(&mut on, menu_label(ui, action)),
                )
                .changed()
            {
                out.push(match view {
                    crate::app::Centre::Table => Command::ShowTable(on),
                    _ => Command::ShowGrid(on),
                });
            }
        }
        let mut changes = state.centre() == crate::app::Centre::Changes;
        if ui
            .add_enabled(
                state.root.is_some(),
                egui::Checkbox::new(&mut changes, Action::Changes.name()),
            )
            .on_hover_text("Posts that differ from the last git commit: diffs and commit")
            .changed()
        {
            out.push(Command::ShowChanges(changes));
        }
        action_item(ui, Action::Help, state, ui_state, out);
        action_item(ui, Action::Palette, state, ui_state, out);
        let mut raw = state.raw_source;
        if ui.checkbox(&mut raw, Action::RawSource.name()).changed() {
            out.push(Command::ToggleRawSource);
        }
        let mut offline = state.settings.offline;
        if ui.checkbox(&mut offline, Action::Offline.name()).changed() {
            out.push(Command::SetOffline(offline));
        }
        ui.separator();
        for (choice, label) in [
            (ThemeChoice::System, "Follow system theme"),
            (ThemeChoice::Light, "Light"),
            (ThemeChoice::Dark, "Dark"),
        ] {
            if ui.radio(state.settings.theme == choice, label).clicked() {
                out.push(Command::SetTheme(choice));
            }
        }
    });
}

/// The sort orders offered, with their labels.
const SORT_KEYS: [(SortKey, &str); 6] = [
    (SortKey::Relevance, "Relevance"),
    (SortKey::Date, "Date"),
    (SortKey::Title, "Title"),
    (SortKey::Source, "Source"),
    (SortKey::Modified, "Modified"),
    (SortKey::Path, "Path"),
];

/// The search syntax, shown when hovering the search box.
const SEARCH_HELP: &str = "Words must all match (title, author, category, tag, path).\n\
    \"a phrase\"   -word excludes\n\
    title:  author:  cat:  tag:  path:   restrict a word to one field\n\
    year:2021   is:problem   is:error\n\
    is:changed   is:new   is:modified   is:renamed   (against the last git commit)\n\
    Ctrl+F focuses this box.";

/// Id of the search box, for focus requests and tests.
pub fn search_id() -> Id {
    Id::unique("folio_search")
}

fn search_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
    width: f32,
) {
    let notes = crate::index::search_notes(&ui_state.search_text);
    let label = ui.label("Search");
    let response = ui
        .add(
            TextEdit::singleline(&mut ui_state.search_text)
                .id(search_id())
                .hint_text("Search, e.g. 央行 cat:金融 year:2021  (Ctrl+F)")
                .desired_width(width),
        )
        .labelled_by(label.id)
        .on_hover_text(SEARCH_HELP);
    if ui_state.focus_search {
        response.request_focus();
        ui_state.focus_search = false;
    }
    // ↓ (or Enter) goes from the search box to the results.
    if response.has_focus()
        && ui.input_mut(|i| {
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown)
                || i.consume_key(egui::Modifiers::NONE, egui::Key::Enter)
        })
    {
        response.surrender_focus();
        // The first result when nothing is selected; the selection stays otherwise.
        out.push(Command::MoveSelection(0));
    }
    if ui_state.search_text != state.query.text {
        out.push(Command::SetSearch(ui_state.search_text.clone()));
    }
    let mut bodies = state.settings.search_bodies;
    let searching = state.body_search.as_ref().is_some_and(|b| !b.done);
    let toggle = ui
        .toggle_value(&mut bodies, if searching { "Bodies…" } else { "Bodies" })
        .on_hover_text(
            "Also search the title and text of every post as Folio shows it (a full-text index, kept up to date in the background)",
        );
    if toggle.changed() {
        out.push(Command::SetSearchBodies(bodies));
    }
    if !ui_state.search_text.is_empty()
        && ui.small_button("×").on_hover_text("Clear search").clicked()
    {
        ui_state.search_text.clear();
        out.push(Command::SetSearch(String::new()));
    }
    if let Some(first) = notes.first() {
        ui.label(
            egui::RichText::new(first)
                .small()
                .color(ui.visuals().warn_fg_color),
        )
        .on_hover_text(notes.join("\n"));
    }
}

fn sort_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let label = ui.label("Sort");
    let current = state.query.sort;
    // A table column the result is sorted by shows in place of the list's sort.
    if let Some((column, descending)) = &state.table().sort {
        egui::ComboBox::from_id_salt("sort")
            .selected_text(column.name())
            .show_ui(ui, |ui| {
                for (key, label) in SORT_KEYS {
                    if ui.selectable_label(false, label).clicked() {
                        out.push(Command::SetSort(key, *descending));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let arrow = if *descending { "↓" } else { "↑" };
        if ui
            .button(arrow)
            .on_hover_text("Click for the other direction")
            .clicked()
        {
            out.push(Command::SortByColumn(Some((column.clone(), !descending))));
        }
        return;
    }
    let current_label = SORT_KEYS
        .iter()
        .find(|(key, _)| *key == current)
        .map_or("", |(_, label)| *label);
    egui::ComboBox::from_id_salt("sort")
        .selected_text(current_label)
        .show_ui(ui, |ui| {
            for (key, label) in SORT_KEYS {
                if ui.selectable_label(key == current, label).clicked() {
                    out.push(Command::SetSort(key, state.query.descending));
                }
            }
        })
        .response
        .labelled_by(label.id);
    let (arrow, tip) = if state.query.descending {
        ("↓", "Descending (newest or Z first); click for ascending")
    } else {
        ("↑", "Ascending (oldest or A first); click for descending")
    };
    if ui.button(arrow).on_hover_text(tip).clicked() {
        out.push(Command::SetSort(current, !state.query.descending));
    }
}
