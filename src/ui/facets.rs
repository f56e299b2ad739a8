//! The facet panel: the category tree with counts, authors, years and the problems
//! filter. Clicking a facet narrows the list; clicking the active one clears it.
//!
//! The counts are the index's facets over the list as shown, counted in `logic` only when
//! the result changes, so drawing this panel costs nothing per frame beyond its widgets.

use egui::{CollapsingHeader, RichText, ScrollArea};

use crate::app::{AppState, Command, UiState};
use crate::git::ChangeState;
use crate::index::CategoryNode;

/// Authors listed before "and N more".
const MAX_AUTHORS: usize = 40;

pub fn facets_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            views_ui(ui, state, ui_state, out);
            ui.separator();
            let facets = &state.facets;
            let query = &state.query;
            let mut only_problems = query.only_problems;
            if ui
                .checkbox(
                    &mut only_problems,
                    format!("Only posts with problems ({})", state.facet_problems),
                )
                .changed()
            {
                out.push(Command::SetOnlyProblems(only_problems));
            }
            ui.separator();
            if state.git().has_repository() {
                changed_ui(ui, state, out);
            }
            CollapsingHeader::new(RichText::new("Categories").strong())
                .default_open(true)
                .show(ui, |ui| {
                    if ui
                        .selectable_label(query.category_path.is_empty(), "All")
                        .clicked()
                    {
                        out.push(Command::SetCategoryFilter(Vec::new()));
                    }
                    let mut path = Vec::new();
                    for node in &facets.categories.children {
                        category_ui(ui, node, &mut path, &query.category_path, out);
                    }
                });
            CollapsingHeader::new(RichText::new("Authors").strong())
                .default_open(true)
                .show(ui, |ui| {
                    for (author, count) in facets.authors.iter().take(MAX_AUTHORS) {
                        let active = query.authors.contains(author);
                        if ui
                            .selectable_label(active, format!("{author}  ({count})"))
                            .clicked()
                        {
                            out.push(Command::SetAuthorFilter((!active).then(|| author.clone())));
                        }
                    }
                    if facets.authors.len() > MAX_AUTHORS {
                        ui.weak(format!("and {} more", facets.authors.len() - MAX_AUTHORS));
                    }
                });
            CollapsingHeader::new(RichText::new("Years").strong())
                .default_open(true)
                .show(ui, |ui| {
                    for (year, count) in &facets.years {
                        let active = query.years.contains(year);
                        if ui
                            .selectable_label(active, format!("{year}  ({count})"))
                            .clicked()
                        {
                            out.push(Command::SetYearFilter((!active).then_some(*year)));
                        }
                    }
                });
        });
}

/// The "Changed" facet: posts per git state; a click narrows the list to one state.
fn changed_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    CollapsingHeader::new(RichText::new("Changed").strong())
        .default_open(true)
        .show(ui, |ui| {
            let changes = &state.facets.changes;
            if changes.is_empty() {
                ui.weak(if state.git().is_checking() {
                    "Checking git status…"
                } else {
                    "Nothing changed since the last commit"
                });
            }
            for (change, count) in changes {
                let active = state.query.changes.contains(change);
                let name = match change {
                    ChangeState::New => "New",
                    ChangeState::Modified => "Modified",
                    ChangeState::Renamed => "Renamed",
                    ChangeState::Deleted => "Deleted",
                };
                if ui
                    .selectable_label(active, format!("{name}  ({count})"))
                    .on_hover_text(crate::app::state_badge(*change).1)
                    .clicked()
                {
                    out.push(Command::SetChangeFilter((!active).then_some(*change)));
                }
            }
        });
}

fn category_ui(
    ui: &mut egui::Ui,
    node: &CategoryNode,
    path: &mut Vec<String>,
    active: &[String],
    out: &mut Vec<Command>,
) {
    path.push(node.name.clone());
    let is_active = active == path.as_slice();
    let label = format!("{}  ({})", node.name, node.count);
    if node.children.is_empty() {
        if ui.selectable_label(is_active, label).clicked() {
            out.push(Command::SetCategoryFilter(if is_active {
                Vec::new()
            } else {
                path.clone()
            }));
        }
    } else {
        let id = ui.make_persistent_id(("category", path.as_slice()));
        egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, false)
            .show_header(ui, |ui| {
                if ui.selectable_label(is_active, label).clicked() {
                    out.push(Command::SetCategoryFilter(if is_active {
                        Vec::new()
                    } else {
                        path.clone()
                    }));
                }
            })
            .body(|ui| {
                for child in &node.children {
                    category_ui(ui, child, path, active, out);
                }
            });
    }
    path.pop();
}

/// The saved views: each with its count, applied on click; a context menu renames,
/// moves and deletes; "Save current view…" names what the list shows.
fn views_ui(ui: &mut egui::Ui, state: &AppState, ui_state: &mut UiState, out: &mut Vec<Command>) {
    let views = state.views_state();
    CollapsingHeader::new(RichText::new("Views").strong())
        .default_open(true)
        .show(ui, |ui| {
            if let Some(why) = views.failure() {
                ui.colored_label(ui.visuals().error_fg_color, why);
                return;
            }
            if let Some(scope) = views.scope() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("Inside {}", scope.name)).strong())
                        .on_hover_text("The search, the facets and their counts are this view's");
                    if ui
                        .small_button("Leave view")
                        .on_hover_text("Show the whole archive again")
                        .clicked()
                    {
                        out.push(Command::LeaveView);
                    }
                });
            }
            for (i, view) in views.views().iter().enumerate() {
                if let Some((index, name)) = &mut ui_state.rename_view
                    && *index == i
                {
                    let label = ui.label("New name");
                    let field = ui.add(egui::TextEdit::singleline(name)).labelled_by(label.id);
                    field.request_focus();
                    if field.lost_focus() {
                        if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                            out.push(Command::RenameView(i, name.clone()));
                        }
                        ui_state.rename_view = None;
                    }
                    continue;
                }
                let count = views
                    .count(i)
                    .map_or_else(|| "…".to_owned(), super::thousands);
                let response = ui
                    .selectable_label(views.active() == Some(i), format!("{}  ({count})", view.name))
                    .on_hover_text(if view.query.is_empty() {
                        "No search text".to_owned()
                    } else {
                        view.query.clone()
                    });
                if response.clicked() {
                    // Inside the view the search box starts empty: it searches the view.
                    ui_state.search_text.clear();
                    out.push(Command::ApplyView(i));
                }
                response.context_menu(|ui| {
                    if ui.button("Rename…").clicked() {
                        ui_state.rename_view = Some((i, view.name.clone()));
                        ui.close();
                    }
                    if ui.add_enabled(i > 0, egui::Button::new("Move up")).clicked() {
                        out.push(Command::MoveView(i, -1));
                        ui.close();
                    }
                    if ui
                        .add_enabled(i + 1 < views.views().len(), egui::Button::new("Move down"))
                        .clicked()
                    {
                        out.push(Command::MoveView(i, 1));
                        ui.close();
                    }
                    if ui.button("Delete").clicked() {
                        out.push(Command::DeleteView(i));
                        ui.close();
                    }
                });
            }
            match &mut ui_state.new_view {
                Some(name) => {
                    let label = ui.label("View name");
                    let field = ui.add(egui::TextEdit::singleline(name)).labelled_by(label.id);
                    if !field.has_focus() && !field.lost_focus() && name.is_empty() {
                        field.request_focus();
                    }
                    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let mut done = false;
                    ui.horizontal(|ui| {
                        let typed = name.trim().to_owned();
                        if ui
                            .add_enabled(!typed.is_empty(), egui::Button::new("Save view"))
                            .clicked()
                            || (entered && !typed.is_empty())
                        {
                            out.push(Command::SaveView(typed));
                            done = true;
                        }
                        if ui.button("Cancel").clicked() {
                            done = true;
                        }
                    });
                    if done {
                        ui_state.new_view = None;
                    }
                }
                None => {
                    if ui
                        .add_enabled(state.root.is_some(), egui::Button::new("Save current view…"))
                        .on_hover_text(
                            "Name the search, facets and sort shown now; saved in the archive's .folio/views.toml",
                        )
                        .clicked()
                    {
                        ui_state.new_view = Some(String::new());
                    }
                }
            }
        });
}
