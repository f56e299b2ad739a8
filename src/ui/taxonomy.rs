//! The taxonomy manager (View › Taxonomy): every category (as its tree), tag and author
//! of the archive with its number of posts; rename, merge and delete through the bulk
//! engine (a preview first, one undo after); and spellings that are probably one item,
//! offered for a merge.

use egui::{RichText, ScrollArea, TextEdit};

use crate::app::{AppState, Command, Scope, TaxonomyTab, UiState};
use crate::bulk::{Operation, Plan};
use crate::index::CategoryNode;

/// Rows listed per tab before "and N more" (the filter narrows them).
const MAX_ROWS: usize = 400;

pub fn taxonomy_ui(
    ctx: &egui::Context,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let Some(taxonomy) = state.taxonomy() else {
        return;
    };
    let mut open = true;
    let mut action: Option<(&'static str, Operation, Vec<String>)> = None;
    egui::Window::new("Taxonomy")
        .id(egui::Id::unique("taxonomy_window"))
        .open(&mut open)
        .default_size([560.0, 620.0])
        .show(ctx, |ui| {
            let tax = &mut ui_state.taxonomy;
            ui.horizontal(|ui| {
                for (tab, label) in [
                    (
                        TaxonomyTab::Categories,
                        format!("Categories ({})", taxonomy.categories.len()),
                    ),
                    (TaxonomyTab::Tags, format!("Tags ({})", taxonomy.tags.len())),
                    (
                        TaxonomyTab::Authors,
                        format!("Authors ({})", taxonomy.authors.len()),
                    ),
                ] {
                    if ui.selectable_label(tax.tab == tab, label).clicked() {
                        tax.tab = tab;
                        tax.checked.clear();
                    }
                }
            });
            let key = tax.tab.key();
            let suggestions: Vec<_> = taxonomy
                .variants
                .iter()
                .filter(|(k, _)| *k == key)
                .collect();
            if !suggestions.is_empty() {
                egui::CollapsingHeader::new(RichText::new(format!(
                    "Probably the same ({} groups)",
                    suggestions.len()
                )))
                .id_salt(("variants", key))
                .default_open(true)
                .show(ui, |ui| {
                    for (_, variant) in suggestions.iter().take(50) {
                        ui.horizontal_wrapped(|ui| {
                            let names: Vec<String> = variant
                                .names
                                .iter()
                                .map(|(n, c)| format!("{n} ({c})"))
                                .collect();
                            ui.label(names.join(" · "));
                            let target = variant.suggested().to_owned();
                            if ui.small_button(format!("Merge into {target}")).clicked() {
                                let from: Vec<String> = variant
                                    .names
                                    .iter()
                                    .map(|(n, _)| n.clone())
                                    .filter(|n| *n != target)
                                    .collect();
                                action = Some((
                                    key,
                                    Operation::ReplaceItems {
                                        key: key.to_owned(),
                                        from: from.clone(),
                                        to: target,
                                    },
                                    from,
                                ));
                            }
                        });
                    }
                });
            }
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label("Filter");
                ui.add(TextEdit::singleline(&mut tax.filter).desired_width(200.0))
                    .labelled_by(label.id);
            });
            let filter = tax.filter.to_lowercase();
            let height = (ui.available_height() - 90.0).max(120.0);
            ScrollArea::vertical()
                .id_salt(("taxonomy_rows", key))
                .max_height(height)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if tax.tab == TaxonomyTab::Categories && filter.is_empty() {
                        for node in &taxonomy.tree.children {
                            if let Some(a) = tree_ui(ui, node, tax) {
                                action = Some(a);
                            }
                        }
                    } else {
                        let values = match tax.tab {
                            TaxonomyTab::Categories => &taxonomy.categories,
                            TaxonomyTab::Tags => &taxonomy.tags,
                            TaxonomyTab::Authors => &taxonomy.authors,
                        };
                        let shown = values.iter().filter(|(name, _)| {
                            filter.is_empty() || name.to_lowercase().contains(&filter)
                        });
                        for (name, count) in shown.take(MAX_ROWS) {
                            if let Some(a) = row_ui(ui, key, name, *count, tax) {
                                action = Some(a);
                            }
                        }
                    }
                });
            ui.separator();
            if let Some(a) = rename_and_merge_ui(ui, key, tax) {
                action = Some(a);
            }
        });
    if !open {
        out.push(Command::ShowTaxonomy(false));
    }
    if let Some((key, op, items)) = action
        && let Ok(plan) = Plan::new(vec![op])
    {
        out.push(Command::BulkPreview {
            plan,
            scope: Scope::Having {
                key: key.to_owned(),
                items,
            },
        });
    }
}

type Action = (&'static str, Operation, Vec<String>);

fn row_ui(
    ui: &mut egui::Ui,
    key: &'static str,
    name: &str,
    count: usize,
    tax: &mut crate::app::TaxonomyState,
) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        let mut checked = tax.checked.contains(name);
        if ui
            .checkbox(&mut checked, "")
            .on_hover_text("Select for a merge")
            .changed()
        {
            if checked {
                tax.checked.insert(name.to_owned());
            } else {
                tax.checked.remove(name);
            }
        }
        ui.label(format!("{name}  ({count})"));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("Delete")
                .on_hover_text(format!("Remove {name} from the {count} posts that have it"))
                .clicked()
            {
                action = Some((
                    key,
                    Operation::RemoveItem {
                        key: key.to_owned(),
                        item: name.to_owned(),
                    },
                    vec![name.to_owned()],
                ));
            }
            if ui.small_button("Rename…").clicked() {
                tax.renaming = Some((name.to_owned(), name.to_owned()));
            }
        });
    });
    action
}

fn tree_ui(
    ui: &mut egui::Ui,
    node: &CategoryNode,
    tax: &mut crate::app::TaxonomyState,
) -> Option<Action> {
    let mut action = None;
    if node.children.is_empty() {
        return row_ui(ui, "categories", &node.name, node.count, tax);
    }
    let id = ui.make_persistent_id(("taxonomy_tree", &node.name, node.count));
    egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, false)
        .show_header(ui, |ui| {
            if let Some(a) = row_ui(ui, "categories", &node.name, node.count, tax) {
                action = Some(a);
            }
        })
        .body(|ui| {
            for child in &node.children {
                if let Some(a) = tree_ui(ui, child, tax) {
                    action = Some(a);
                }
            }
        });
    action
}

fn rename_and_merge_ui(
    ui: &mut egui::Ui,
    key: &'static str,
    tax: &mut crate::app::TaxonomyState,
) -> Option<Action> {
    let mut action = None;
    if let Some((from, to)) = &mut tax.renaming {
        let mut close = false;
        ui.horizontal(|ui| {
            let label = ui.label(format!("Rename {from} to"));
            ui.add(TextEdit::singleline(to).desired_width(180.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    !to.trim().is_empty() && to != from,
                    egui::Button::new("Rename"),
                )
                .clicked()
            {
                action = Some((
                    key,
                    Operation::ReplaceItems {
                        key: key.to_owned(),
                        from: vec![from.clone()],
                        to: to.trim().to_owned(),
                    },
                    vec![from.clone()],
                ));
                close = true;
            }
            if ui.small_button("Cancel").clicked() {
                close = true;
            }
        });
        if close {
            tax.renaming = None;
        }
    }
    if tax.checked.len() >= 2 {
        ui.horizontal(|ui| {
            let label = ui.label(format!("Merge {} selected into", tax.checked.len()));
            ui.add(TextEdit::singleline(&mut tax.merge_into).desired_width(160.0))
                .labelled_by(label.id);
            let target = tax.merge_into.trim().to_owned();
            if ui
                .add_enabled(!target.is_empty(), egui::Button::new("Merge"))
                .clicked()
            {
                let from: Vec<String> = tax
                    .checked
                    .iter()
                    .filter(|n| **n != target)
                    .cloned()
                    .collect();
                action = Some((
                    key,
                    Operation::ReplaceItems {
                        key: key.to_owned(),
                        from: from.clone(),
                        to: target,
                    },
                    from,
                ));
                tax.checked.clear();
            }
        });
    }
    action
}
