//! The front-matter editor (right panel): a typed widget per key, chips for lists with
//! completion from the archive's existing values, inline date validation, Add field and
//! remove field, Save / Revert / Undo / Redo, and a small preview beside image-URL
//! fields (through the same thumbnail pool as the list).
//!
//! It edits a copy of the draft's fields and emits one `EditDraft` command when
//! anything changed, so undo, dirty state and saving stay in `app::draft`.

use egui::{RichText, ScrollArea, TextEdit};

use crate::app::draft::{DraftFields, FieldValue, KNOWN_KEYS, validate};
use crate::app::{AppState, Command, UiState};

/// Completion suggestions shown under a chip field.
const MAX_SUGGESTIONS: usize = 8;

pub fn editor_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let Some(draft) = &state.draft else {
        ui.add_space(8.0);
        ui.weak("Front matter appears here when a post is open.");
        return;
    };
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let dirty = if draft.is_dirty() { " •" } else { "" };
        ui.label(
            RichText::new(format!("Front matter{dirty}"))
                .strong()
                .size(16.0),
        );
    });
    ui.horizontal_wrapped(|ui| {
        let save = ui
            .add_enabled(draft.is_dirty(), egui::Button::new("Save"))
            .on_hover_text("Save the changed keys, keeping the rest of the file as it is (Ctrl+S)");
        if save.clicked() {
            out.push(Command::Save);
        }
        if ui
            .add_enabled(draft.is_dirty(), egui::Button::new("Revert"))
            .clicked()
        {
            out.push(Command::Revert);
        }
        if ui
            .add_enabled(draft.can_undo(), egui::Button::new("Undo"))
            .on_hover_text("Undo (Ctrl+Z)")
            .clicked()
        {
            out.push(Command::Undo);
        }
        if ui
            .add_enabled(draft.can_redo(), egui::Button::new("Redo"))
            .on_hover_text("Redo (Ctrl+Shift+Z)")
            .clicked()
        {
            out.push(Command::Redo);
        }
        if ui
            .button("Delete…")
            .on_hover_text("Move this post to the trash (Delete)")
            .clicked()
        {
            out.push(Command::AskDelete);
        }
    });
    ui.separator();
    let mut fields = draft.current.clone();
    let mut changed = false;
    let mut remove = None;
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (index, field) in fields.fields.iter_mut().enumerate() {
                let key_label = ui.horizontal(|ui| {
                    let key_label = ui.label(RichText::new(&field.key).strong());
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .small_button("×")
                            .on_hover_text(format!("Remove {}", field.key))
                            .clicked()
                        {
                            remove = Some(index);
                        }
                    });
                    key_label.id
                });
                let key_id = ui.make_persistent_id(("field", &field.key));
                let focus = index == 0 && std::mem::take(&mut ui_state.focus_editor);
                changed |= value_ui(
                    ui,
                    &field.key,
                    &mut field.value,
                    (key_label.inner, key_id),
                    focus,
                    state,
                    ui_state,
                );
                if let Some(message) = validate(&field.value) {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                ui.add_space(6.0);
            }
            ui.separator();
            add_field_ui(ui, &mut fields, ui_state, &mut changed);
        });
    if let Some(index) = remove
        && index < fields.fields.len()
    {
        fields.fields.remove(index);
        changed = true;
    }
    if changed {
        out.push(Command::EditDraft(fields));
    }
}

fn value_ui(
    ui: &mut egui::Ui,
    key: &str,
    value: &mut FieldValue,
    (label_id, id): (egui::Id, egui::Id),
    focus: bool,
    state: &AppState,
    ui_state: &mut UiState,
) -> bool {
    let response = match value {
        FieldValue::Image(text) => {
            let images = state.open.as_ref().map(|open| super::picture::PostImages {
                thumbs: &state.thumbs,
                post_path: &open.post.article.path,
            });
            let r = ui.horizontal(|ui| {
                if let Some(images) = images {
                    super::picture::preview_ui(ui, images, text);
                }
                ui.add(
                    TextEdit::singleline(text)
                        .id(id)
                        .desired_width(f32::INFINITY),
                )
            });
            Some(r.inner.labelled_by(label_id).on_hover_text(key.to_owned()))
        }
        FieldValue::Text(text) | FieldValue::Date(text) => {
            let r = ui.add(
                TextEdit::singleline(text)
                    .id(id)
                    .desired_width(f32::INFINITY),
            );
            Some(r.labelled_by(label_id).on_hover_text(key.to_owned()))
        }
        FieldValue::Raw(text) => {
            let r = ui.add(
                TextEdit::multiline(text)
                    .id(id)
                    .code_editor()
                    .desired_rows(1)
                    .desired_width(f32::INFINITY),
            );
            Some(r.labelled_by(label_id))
        }
        FieldValue::Bool(on) => {
            let r = ui.checkbox(on, if *on { "true" } else { "false" });
            Some(r.labelled_by(label_id))
        }
        FieldValue::List(items) => return chips_ui(ui, key, items, state, ui_state, focus),
    };
    let Some(response) = response else {
        return false;
    };
    if focus {
        response.request_focus();
    }
    response.changed()
}

fn chips_ui(
    ui: &mut egui::Ui,
    key: &str,
    items: &mut Vec<String>,
    state: &AppState,
    ui_state: &mut UiState,
    focus: bool,
) -> bool {
    let mut changed = false;
    let mut remove = None;
    ui.horizontal_wrapped(|ui| {
        for (i, item) in items.iter().enumerate() {
            if ui
                .button(format!("{item}  ×"))
                .on_hover_text(format!("Remove {item}"))
                .clicked()
            {
                remove = Some(i);
            }
        }
    });
    if let Some(i) = remove
        && i < items.len()
    {
        items.remove(i);
        changed = true;
    }
    let input = ui_state.chip_input.entry(key.to_owned()).or_default();
    let label = ui.label(RichText::new(format!("Add to {key}")).small().weak());
    let response = ui
        .add(
            TextEdit::singleline(input)
                .hint_text("type and press Enter")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if focus {
        response.request_focus();
    }
    let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if entered && !input.trim().is_empty() {
        items.push(input.trim().to_owned());
        input.clear();
        changed = true;
    } else if !input.trim().is_empty() {
        let needle = input.trim().to_lowercase();
        let suggestions: Vec<&String> = state
            .completions
            .for_key(key)
            .iter()
            .filter(|v| v.to_lowercase().contains(&needle) && !items.contains(v))
            .take(MAX_SUGGESTIONS)
            .collect();
        ui.horizontal_wrapped(|ui| {
            for s in suggestions {
                if ui.small_button(s).clicked() {
                    items.push(s.clone());
                    input.clear();
                    changed = true;
                }
            }
        });
    }
    changed
}

fn add_field_ui(
    ui: &mut egui::Ui,
    fields: &mut DraftFields,
    ui_state: &mut UiState,
    changed: &mut bool,
) {
    ui.horizontal(|ui| {
        let label = ui.label("Add field");
        ui.add(
            TextEdit::singleline(&mut ui_state.new_field_key)
                .hint_text("key")
                .desired_width(110.0),
        )
        .labelled_by(label.id);
        let key = ui_state.new_field_key.trim().to_owned();
        let valid =
            !key.is_empty() && !key.contains([':', ' ', '\n']) && fields.get(&key).is_none();
        if ui.add_enabled(valid, egui::Button::new("Add")).clicked() {
            fields.fields.push(crate::app::draft::Field {
                value: DraftFields::empty_value_for(&key),
                key,
            });
            ui_state.new_field_key.clear();
            *changed = true;
        }
    });
    ui.horizontal_wrapped(|ui| {
        for key in KNOWN_KEYS {
            if fields.get(key).is_none() && ui.small_button(format!("+ {key}")).clicked() {
                fields.fields.push(crate::app::draft::Field {
                    key: key.to_owned(),
                    value: DraftFields::empty_value_for(key),
                });
                *changed = true;
            }
        }
    });
}
