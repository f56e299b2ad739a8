//! The front-matter editor (right panel): a typed widget per key, as the file spells it
//! and in file order; chips for lists with completion from the archive's existing
//! values; inline notes for dates (an error, or the text the date will be saved as);
//! read-only maps and nested lists; Add field and remove field; Save / Revert / Undo /
//! Redo; and a small preview beside image fields (through the same thumbnail pool as the
//! list).
//!
//! It edits a copy of the draft's fields and emits one `EditDraft` command (naming the
//! post) when anything changed, so undo, dirty state and saving stay in `app`, and what
//! a change means stays in the core's `fields`. Widget ids include the post, so no text
//! field carries its state (or its own undo history) from one post to another.

use egui::{Id, RichText, ScrollArea, TextEdit};

use crate::app::{AppState, ArticleId, Command, Draft, Editor, OpenPost, UiState};
use crate::archive::ImageRef;
use crate::fields::{Field, FieldKind, FieldNote, FieldValue, Fields, SUGGESTED_KEYS};

/// Completion suggestions shown under a chip field.
const MAX_SUGGESTIONS: usize = 8;

pub fn editor_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    ui_state.editor_has_focus = false;
    if let Some(summary) = &state.summary {
        if let Some(error) = ui_state.bulk_error.clone() {
            ui.horizontal(|ui| {
                ui.colored_label(ui.visuals().error_fg_color, error);
                if ui.small_button("×").clicked() {
                    ui_state.bulk_error = None;
                }
            });
        }
        super::bulk_editor::bulk_editor_ui(ui, state, summary, ui_state, out);
        return;
    }
    let Some(open) = state.open_post() else {
        ui.add_space(8.0);
        ui.weak("Front matter appears here when a post is open.");
        return;
    };
    if open.restored().is_some() {
        ui.add_space(6.0);
        ui.label(RichText::new("Front matter").strong().size(16.0));
        ui.separator();
        super::post_history::restored_note_ui(ui, state, out);
        return;
    }
    let draft = match &open.editor {
        Editor::Draft(draft) => draft,
        Editor::Raw(raw) => {
            super::raw_editor::raw_editor_ui(ui, open, raw, out);
            return;
        }
        Editor::NotEditable(reason) => {
            ui.add_space(6.0);
            ui.label(RichText::new("Front matter").strong().size(16.0));
            ui.separator();
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Cannot be edited here: {reason}"),
            );
            return;
        }
    };
    ui.add_space(6.0);
    let dirty = if draft.is_dirty() { " •" } else { "" };
    ui.label(
        RichText::new(format!("Front matter{dirty}"))
            .strong()
            .size(16.0),
    );
    buttons_ui(ui, open, draft, out);
    ui.separator();
    let mut fields = draft.current().clone();
    let mut changed = false;
    let mut remove = None;
    let mut focused = false;
    ScrollArea::vertical()
        .id_salt(("editor", open.id))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let notes: Vec<Option<FieldNote>> = fields
                .iter()
                .map(|f| fields.note(f, draft.original()))
                .collect();
            for (index, field) in fields.as_mut_slice().iter_mut().enumerate() {
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
                let widget = FieldWidget {
                    post: open.id,
                    index,
                    label: key_label.inner,
                    focus: index == 0 && std::mem::take(&mut ui_state.focus_editor),
                };
                let result = value_ui(ui, field, &widget, state, ui_state);
                changed |= result.changed;
                focused |= result.focused;
                match notes.get(index).cloned().flatten() {
                    Some(FieldNote::Error(message)) => {
                        ui.colored_label(ui.visuals().error_fg_color, message);
                    }
                    Some(FieldNote::SavedAs(text)) => {
                        ui.weak(format!("will be saved as {text}"));
                    }
                    None => {}
                }
                ui.add_space(6.0);
            }
            ui.separator();
            changed |= add_field_ui(ui, &mut fields, ui_state);
        });
    if let Some(index) = remove {
        fields.remove_at(index);
        changed = true;
    }
    ui_state.editor_has_focus = focused;
    if changed {
        out.push(Command::EditDraft {
            id: open.id,
            fields,
        });
    }
}

fn buttons_ui(ui: &mut egui::Ui, open: &OpenPost, draft: &Draft, out: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let can_save = draft.is_dirty() && !open.saving;
        let save = ui
            .add_enabled(can_save, egui::Button::new("Save"))
            .on_hover_text("Save the changed keys, keeping the rest of the file as it is (Ctrl+S)");
        if save.clicked() {
            out.push(Command::Save);
        }
        if open.saving {
            ui.spinner();
            ui.weak("Saving…");
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
    });
    // Apart from Save, on its own line at the far side, in the colour of a warning.
    ui.add_space(6.0);
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
        let color = ui.visuals().error_fg_color;
        if ui
            .add(egui::Button::new(
                egui::RichText::new("Delete…").color(color),
            ))
            .on_hover_text("Move this post to the trash (Delete)")
            .clicked()
        {
            out.push(Command::AskDelete);
        }
    });
}

/// Where a field's widget is: its post and position give it an id of its own.
struct FieldWidget {
    post: ArticleId,
    index: usize,
    label: Id,
    focus: bool,
}

impl FieldWidget {
    fn id(&self, part: &str) -> Id {
        Id::unique(("folio_field", self.post, self.index, part))
    }
}

struct ValueResult {
    changed: bool,
    focused: bool,
}

fn value_ui(
    ui: &mut egui::Ui,
    field: &mut Field,
    widget: &FieldWidget,
    state: &AppState,
    ui_state: &mut UiState,
) -> ValueResult {
    let key = field.key.clone();
    let response = match &mut field.value {
        FieldValue::Image(text) => {
            let r = ui.horizontal(|ui| {
                if let Some(image) = ImageRef::parse(text, &open_folder(state)) {
                    let images = super::picture::PostImages {
                        thumbs: state.thumbs(),
                    };
                    super::picture::preview_ui(ui, images, &image);
                }
                ui.add(
                    TextEdit::singleline(text)
                        .id(widget.id("value"))
                        .desired_width(f32::INFINITY),
                )
            });
            r.inner.labelled_by(widget.label).on_hover_text(key)
        }
        FieldValue::Text(text) | FieldValue::Date(text) => ui
            .add(
                TextEdit::singleline(text)
                    .id(widget.id("value"))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(widget.label)
            .on_hover_text(key),
        FieldValue::Raw(text) => ui
            .add(
                TextEdit::multiline(text)
                    .id(widget.id("value"))
                    .code_editor()
                    .desired_rows(1)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(widget.label),
        FieldValue::Bool(on) => {
            let label = if *on { "true" } else { "false" };
            ui.checkbox(on, label).labelled_by(widget.label)
        }
        FieldValue::Structured(text) => {
            ui.add(egui::Label::new(RichText::new(text.as_str()).monospace()).wrap())
                .labelled_by(widget.label);
            ui.weak("A map or nested list: edit it in the source.");
            return ValueResult {
                changed: false,
                focused: false,
            };
        }
        FieldValue::List(items) => return chips_ui(ui, &key, items, widget, state, ui_state),
    };
    if widget.focus {
        response.request_focus();
    }
    ValueResult {
        changed: response.changed(),
        focused: response.has_focus(),
    }
}

/// The open post's folder, which relative image references are relative to.
fn open_folder(state: &AppState) -> String {
    state
        .open_post()
        .map(|o| o.post().article.folder())
        .unwrap_or_default()
}

fn chips_ui(
    ui: &mut egui::Ui,
    key: &str,
    items: &mut Vec<String>,
    widget: &FieldWidget,
    state: &AppState,
    ui_state: &mut UiState,
) -> ValueResult {
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
    let slot = format!("{}\u{0}{key}", widget.post);
    let input_id = widget.id("add");
    let typed = ui_state.chip_input.get(&slot).cloned().unwrap_or_default();
    let needle = typed.trim().to_lowercase();
    let suggestions: Vec<String> = if needle.is_empty() {
        Vec::new()
    } else {
        state
            .completions
            .for_key(key)
            .iter()
            .filter(|v| v.to_lowercase().contains(&needle) && !items.contains(v))
            .take(MAX_SUGGESTIONS)
            .cloned()
            .collect()
    };
    // ↑/↓ pick a suggestion, Tab or Enter take it; taken before the field sees them.
    let has_focus = ui.memory(|m| m.has_focus(input_id));
    let mut take = None;
    if has_focus && !suggestions.is_empty() {
        let last = suggestions.len() - 1;
        let current = ui_state
            .suggestion
            .as_ref()
            .filter(|(s, _)| *s == slot)
            .map(|(_, i)| *i);
        ui.input_mut(|i| {
            if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown) {
                let next = current.map_or(0, |c| (c + 1).min(last));
                ui_state.suggestion = Some((slot.clone(), next));
            }
            if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp) {
                ui_state.suggestion = current
                    .and_then(|c| c.checked_sub(1))
                    .map(|c| (slot.clone(), c));
            }
            if i.consume_key(egui::Modifiers::NONE, egui::Key::Tab) {
                take = Some(current.unwrap_or(0));
            }
            if current.is_some() && i.consume_key(egui::Modifiers::NONE, egui::Key::Enter) {
                take = current;
            }
        });
    }
    let highlighted = ui_state
        .suggestion
        .clone()
        .filter(|(s, _)| *s == slot)
        .map(|(_, i)| i);
    let input = ui_state.chip_input.entry(slot.clone()).or_default();
    let label = ui.label(RichText::new(format!("Add to {key}")).small().weak());
    let response = ui
        .add(
            TextEdit::singleline(input)
                .id(input_id)
                .hint_text("type, ↓ for suggestions, Enter to add")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if widget.focus {
        response.request_focus();
    }
    if let Some(index) = take
        && let Some(value) = suggestions.get(index)
    {
        items.push(value.clone());
        input.clear();
        ui_state.suggestion = None;
        response.request_focus();
        changed = true;
    } else {
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if entered && !input.trim().is_empty() {
            items.push(input.trim().to_owned());
            input.clear();
            ui_state.suggestion = None;
            changed = true;
        } else if !suggestions.is_empty() {
            ui.horizontal_wrapped(|ui| {
                for (i, s) in suggestions.iter().enumerate() {
                    if ui.selectable_label(highlighted == Some(i), s).clicked() {
                        items.push(s.clone());
                        changed = true;
                    }
                }
            });
            if changed {
                input.clear();
                ui_state.suggestion = None;
            }
        }
    }
    ValueResult {
        changed,
        focused: response.has_focus(),
    }
}

/// The Add field row and the suggested keys the post does not have; true when a field
/// was added.
fn add_field_ui(ui: &mut egui::Ui, fields: &mut Fields, ui_state: &mut UiState) -> bool {
    let mut added = false;
    ui.horizontal(|ui| {
        let label = ui.label("Add field");
        ui.add(
            TextEdit::singleline(&mut ui_state.new_field_key)
                .hint_text("key")
                .desired_width(110.0),
        )
        .labelled_by(label.id);
        let key = ui_state.new_field_key.trim().to_owned();
        let valid = !key.is_empty()
            && !key.contains([':', ' ', '\n', '#'])
            && fields.get(fields.key_as_written(&key)).is_none();
        if ui.add_enabled(valid, egui::Button::new("Add")).clicked() {
            fields.set(&key, FieldKind::of_key(&key).empty());
            ui_state.new_field_key.clear();
            added = true;
        }
    });
    ui.horizontal_wrapped(|ui| {
        for key in SUGGESTED_KEYS {
            let has = fields.get(fields.key_as_written(key)).is_some();
            if !has && ui.small_button(format!("+ {key}")).clicked() {
                fields.set(key, FieldKind::of_key(key).empty());
                added = true;
            }
        }
    });
    added
}
