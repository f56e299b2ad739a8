//! The facet panel: the category tree with counts, authors, years and the problems
//! filter. Clicking a facet narrows the list; clicking the active one clears it.
//!
//! The counts are the index's facets over the list as shown, counted in `logic` only when
//! the result changes, so drawing this panel costs nothing per frame beyond its widgets.

use egui::{CollapsingHeader, RichText, ScrollArea};

use crate::app::{AppState, Command};
use crate::git::ChangeState;
use crate::index::CategoryNode;

/// Authors listed before "and N more".
const MAX_AUTHORS: usize = 40;

pub fn facets_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
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
