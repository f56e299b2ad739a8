//! The bulk editor: the right panel while several posts are marked. Each key with its
//! common value, or "mixed (N values)" with the values and their post counts; list
//! items as chips that can be removed from every post or renamed everywhere; set,
//! unset and add to all; find and replace with a live count; move to a folder; trash.
//!
//! Nothing here writes: every action asks for a preview (`Command::BulkPreview`) that
//! shows the diffs of every file before the editor confirms.

use egui::{RichText, ScrollArea, TextEdit};

use crate::app::{AppState, Command, Scope, UiState};
use crate::bulk::{KeySummary, Operation, Plan, Summary};

/// Values listed under a mixed key before the list is cut.
const MAX_SHOWN_VALUES: usize = 12;

pub fn bulk_editor_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    summary: &Summary,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let n = summary.selected;
    ui.add_space(6.0);
    ui.label(
        RichText::new(format!("{n} posts selected"))
            .strong()
            .size(16.0),
    );
    ui.weak("Every change is previewed, file by file, before anything is written. Esc keeps only the open post.");
    ui.separator();
    let busy = state.bulk().is_some();
    let mut plan: Option<Vec<Operation>> = None;
    ScrollArea::vertical()
        .id_salt("bulk_editor")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_enabled_ui(!busy, |ui| {
                for key in &summary.keys {
                    if let Some(ops) = key_ui(ui, key, n, ui_state) {
                        plan = Some(ops);
                    }
                    ui.add_space(6.0);
                }
                ui.separator();
                if let Some(ops) = add_key_ui(ui, ui_state) {
                    plan = Some(ops);
                }
                ui.separator();
                if let Some(ops) = find_replace_ui(ui, state, summary, ui_state) {
                    plan = Some(ops);
                }
                ui.separator();
                if let Some(ops) = move_ui(ui, ui_state) {
                    plan = Some(ops);
                }
                ui.add_space(8.0);
                let trash = egui::Button::new(
                    RichText::new(format!("Move {n} posts to the trash…"))
                        .color(ui.visuals().error_fg_color),
                );
                if ui.add(trash).clicked() {
                    plan = Some(vec![Operation::Trash]);
                }
            });
        });
    if let Some(ops) = plan {
        match Plan::new(ops) {
            Ok(plan) => out.push(Command::BulkPreview {
                plan,
                scope: Scope::Marked,
            }),
            Err(e) => ui_state.bulk_error = Some(e),
        }
    }
}

/// One key: its values across the selection and the actions on it.
fn key_ui(
    ui: &mut egui::Ui,
    key: &KeySummary,
    selected: usize,
    ui_state: &mut UiState,
) -> Option<Vec<Operation>> {
    let mut ops = None;
    let name = key.key.as_str();
    ui.horizontal(|ui| {
        ui.label(RichText::new(name).strong());
        if key.posts < selected {
            ui.weak(format!("in {} of {selected} posts", key.posts));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("Unset")
                .on_hover_text(format!("Remove {name} from every selected post"))
                .clicked()
            {
                ops = Some(vec![Operation::Unset {
                    key: name.to_owned(),
                }]);
            }
        });
    });
    match key.common(selected) {
        Some(value) if !key.is_list => {
            ui.label(value);
        }
        _ if key.is_list => {
            ui.horizontal_wrapped(|ui| {
                for (item, count) in key.values.iter().take(MAX_SHOWN_VALUES * 2) {
                    let chip = ui
                        .button(format!("{item} ({count})  ×"))
                        .on_hover_text(format!(
                            "Remove {item} from the {count} posts that have it"
                        ));
                    if chip.clicked() {
                        ops = Some(vec![Operation::RemoveItem {
                            key: name.to_owned(),
                            item: item.clone(),
                        }]);
                    }
                    chip.context_menu(|ui| {
                        if ui.button(format!("Rename {item} everywhere…")).clicked() {
                            ui_state.rename = Some((name.to_owned(), item.clone(), item.clone()));
                            ui.close();
                        }
                    });
                }
                if key.distinct > key.values.len() {
                    ui.weak(format!("and {} more", key.distinct - key.values.len()));
                }
            });
            if let Some(rename) = rename_ui(ui, name, ui_state) {
                ops = Some(rename);
            }
        }
        _ => {
            egui::CollapsingHeader::new(format!("mixed ({} values)", key.distinct))
                .id_salt(("mixed", name))
                .show(ui, |ui| {
                    for (value, count) in key.values.iter().take(MAX_SHOWN_VALUES) {
                        ui.horizontal(|ui| {
                            ui.weak(format!("{count}×"));
                            ui.label(value);
                        });
                    }
                    if key.distinct > MAX_SHOWN_VALUES {
                        ui.weak(format!("and {} more", key.distinct - MAX_SHOWN_VALUES));
                    }
                });
        }
    }
    let verb = if key.is_list { "Add" } else { "Set" };
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new(format!("{verb} {name}")).small().weak());
        let text = ui_state.bulk_values.entry(name.to_owned()).or_default();
        let field = ui
            .add(
                TextEdit::singleline(text)
                    .id_salt(("bulk_value", name))
                    .hint_text(if key.is_list {
                        "item for every post"
                    } else {
                        "value for every post"
                    })
                    .desired_width(ui.available_width() - 60.0),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui
            .add_enabled(!text.trim().is_empty(), egui::Button::new(verb))
            .clicked()
            || entered)
            && !text.trim().is_empty()
        {
            let value = text.trim().to_owned();
            ops = Some(vec![if key.is_list {
                Operation::AddItem {
                    key: name.to_owned(),
                    item: value,
                }
            } else {
                Operation::Set {
                    key: name.to_owned(),
                    value,
                }
            }]);
            text.clear();
        }
    });
    ops
}

/// The rename field under a list key, when an item's "Rename…" was chosen.
fn rename_ui(ui: &mut egui::Ui, key: &str, ui_state: &mut UiState) -> Option<Vec<Operation>> {
    let (rename_key, from, to) = ui_state.rename.as_mut()?;
    if rename_key != key {
        return None;
    }
    let mut ops = None;
    let mut close = false;
    ui.horizontal(|ui| {
        let label = ui.label(format!("Rename {from} to"));
        ui.add(TextEdit::singleline(to).desired_width(140.0))
            .labelled_by(label.id);
        if ui
            .add_enabled(
                !to.trim().is_empty() && to != from,
                egui::Button::new("Rename"),
            )
            .clicked()
        {
            ops = Some(vec![Operation::ReplaceItems {
                key: key.to_owned(),
                from: vec![from.clone()],
                to: to.trim().to_owned(),
            }]);
            close = true;
        }
        if ui.small_button("Cancel").clicked() {
            close = true;
        }
    });
    if close {
        ui_state.rename = None;
    }
    ops
}

fn add_key_ui(ui: &mut egui::Ui, ui_state: &mut UiState) -> Option<Vec<Operation>> {
    let mut ops = None;
    ui.label(RichText::new("Set a key on every post").strong());
    ui.horizontal(|ui| {
        let label = ui.label("Key");
        ui.add(
            TextEdit::singleline(&mut ui_state.bulk_new_key)
                .hint_text("key")
                .desired_width(90.0),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label("Value");
        // A share of the row, not "what is left": the panel grows to fit its widest
        // row, and a row sized from the space left would grow with it.
        ui.add(
            TextEdit::singleline(&mut ui_state.bulk_new_value)
                .hint_text("value")
                .desired_width(ui.available_width() * 0.55),
        )
        .labelled_by(label.id);
        let key = ui_state.bulk_new_key.trim().to_owned();
        if ui
            .add_enabled(!key.is_empty(), egui::Button::new("Set on every post"))
            .clicked()
        {
            ops = Some(vec![Operation::Set {
                key,
                value: ui_state.bulk_new_value.clone(),
            }]);
        }
    });
    ops
}

fn find_replace_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    summary: &Summary,
    ui_state: &mut UiState,
) -> Option<Vec<Operation>> {
    let mut ops = None;
    ui.label(RichText::new("Find and replace").strong());
    let find = &mut ui_state.find;
    if find.key.is_empty() {
        find.key = "title".to_owned();
    }
    ui.horizontal(|ui| {
        let label = ui.label("In");
        egui::ComboBox::from_id_salt("find_key")
            .selected_text(find.key.as_str())
            .show_ui(ui, |ui| {
                for key in &summary.keys {
                    ui.selectable_value(&mut find.key, key.key.clone(), key.key.as_str());
                }
            })
            .response
            .labelled_by(label.id);
        ui.checkbox(&mut find.regex, "Regular expression");
    });
    ui.horizontal(|ui| {
        let label = ui.label("Find");
        ui.add(TextEdit::singleline(&mut find.pattern).desired_width(ui.available_width()))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label("Replace with");
        ui.add(TextEdit::singleline(&mut find.replacement).desired_width(ui.available_width()))
            .labelled_by(label.id);
    });
    let count = live_count(state, find);
    ui.horizontal(|ui| {
        match count {
            Some(n) => ui.weak(format!("{n} matches in the selected posts")),
            None => ui.weak(""),
        };
        if ui
            .add_enabled(count.is_some_and(|n| n > 0), egui::Button::new("Preview"))
            .clicked()
        {
            ops = Some(vec![Operation::FindReplace {
                key: find.key.clone(),
                pattern: find.pattern.clone(),
                replacement: find.replacement.clone(),
                regex: find.regex,
            }]);
        }
    });
    ops
}

/// The live count of the find field, recounted only when its inputs change.
fn live_count(state: &AppState, find: &mut crate::app::FindState) -> Option<usize> {
    if find.pattern.is_empty() {
        return None;
    }
    let inputs = (
        find.key.clone(),
        find.pattern.clone(),
        find.regex,
        state.marked().len(),
        state.post_count(),
    );
    if find.counted_for.as_ref() != Some(&inputs) {
        let fronts = state
            .marked()
            .iter()
            .filter_map(|&id| state.catalog.article(id))
            .map(|a| &a.front);
        find.count = crate::bulk::live_count(fronts, &find.key, &find.pattern, find.regex);
        find.counted_for = Some(inputs);
    }
    Some(find.count)
}

fn move_ui(ui: &mut egui::Ui, ui_state: &mut UiState) -> Option<Vec<Operation>> {
    let mut ops = None;
    ui.label(RichText::new("Move to a folder").strong());
    ui.horizontal(|ui| {
        let label = ui.label("Folder");
        ui.add(
            TextEdit::singleline(&mut ui_state.move_folder)
                .hint_text("e.g. 归档/2021 (inside the archive)")
                .desired_width(ui.available_width() - 60.0),
        )
        .labelled_by(label.id);
        let folder = ui_state.move_folder.trim().to_owned();
        if ui
            .add_enabled(!folder.is_empty(), egui::Button::new("Move"))
            .clicked()
        {
            ops = Some(vec![Operation::Move {
                folder: folder.into(),
            }]);
        }
    });
    ops
}
