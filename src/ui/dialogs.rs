//! Modal questions (unsaved changes, delete, changed on disk, an interrupted operation)
//! and the drop highlight.

use egui::{Align2, Color32, Id, Modal, Stroke};

use crate::app::{AppState, Command, Dialog, UnsavedChoice};

pub fn dialogs_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    let Some(dialog) = &state.dialog else { return };
    let file = state.open_path_display();
    let response = Modal::new(Id::unique("folio_dialog")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        match dialog {
            Dialog::Unsaved { .. } => {
                ui.heading("Save your changes?");
                ui.label(format!("The front matter of {file} has unsaved edits."));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        out.push(Command::ResolveUnsaved(UnsavedChoice::Save));
                    }
                    if ui.button("Discard").clicked() {
                        out.push(Command::ResolveUnsaved(UnsavedChoice::Discard));
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Command::ResolveUnsaved(UnsavedChoice::Cancel));
                    }
                });
            }
            Dialog::ConfirmDelete => {
                ui.heading("Move to trash?");
                ui.label(format!(
                    "{file} will be moved to the system trash. Undo (in the status bar or Edit › History) brings it back."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Move to trash").clicked() {
                        out.push(Command::Delete);
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Command::CloseDialog);
                    }
                });
            }
            Dialog::ChangedOnDisk => {
                ui.heading("Changed on disk");
                ui.label(format!(
                    "{file} was changed by another program since Folio opened it."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui
                        .button("Keep both")
                        .on_hover_text("Apply your edits to the file as it is now, keeping the other program's changes; keys you both changed are shown to pick from. Nothing is saved until you save.")
                        .clicked()
                    {
                        out.push(Command::KeepBoth);
                    }
                    if ui
                        .button("Reload")
                        .on_hover_text("Drop your edits and read the file again")
                        .clicked()
                    {
                        out.push(Command::Reload);
                    }
                    if ui
                        .button("Overwrite")
                        .on_hover_text("Save your version of the whole front matter: the other program's changes to it are lost")
                        .clicked()
                    {
                        out.push(Command::SaveOverwrite);
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Command::CloseDialog);
                    }
                });
            }
            Dialog::MergeConflicts(conflicts) => {
                ui.heading("Changed on both sides");
                ui.label(format!(
                    "Your edits were applied to the new version of {file}, except where the other program changed the same key. Those keep the file's value unless you take yours:"
                ));
                ui.add_space(6.0);
                let shown = |value: &Option<crate::fields::FieldValue>| {
                    value
                        .as_ref()
                        .map_or_else(|| "(removed)".to_owned(), |v| v.summary())
                };
                egui::Grid::new("merge_conflicts")
                    .num_columns(4)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        ui.strong("Key");
                        ui.strong("Yours");
                        ui.strong("On disk");
                        ui.label("");
                        ui.end_row();
                        for conflict in conflicts {
                            ui.label(&conflict.key);
                            ui.label(shown(&conflict.mine));
                            ui.label(shown(&conflict.theirs));
                            if ui
                                .button(format!("Use yours for {}", conflict.key))
                                .clicked()
                            {
                                out.push(Command::TakeMine(conflict.key.clone()));
                            }
                            ui.end_row();
                        }
                    });
                ui.add_space(8.0);
                if ui
                    .button("Keep the file's values")
                    .on_hover_text("The other keys keep your edits; save when ready")
                    .clicked()
                {
                    out.push(Command::CloseDialog);
                }
            }
            Dialog::Interrupted { id, summary } => {
                ui.heading("An operation did not finish");
                ui.label(format!(
                    "Operation {id} ({summary}) stopped half-way, when Folio was closed or killed. Every file is either as it was or as the operation made it."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui
                        .button("Finish it")
                        .on_hover_text("Apply the operation to the files it had not reached")
                        .clicked()
                    {
                        out.push(Command::RedoOperation(Some(*id)));
                    }
                    if ui
                        .button("Roll it back")
                        .on_hover_text("Give every file back the bytes it had before")
                        .clicked()
                    {
                        out.push(Command::UndoOperation(Some(*id)));
                    }
                    if ui.button("Later").clicked() {
                        out.push(Command::CloseDialog);
                    }
                });
            }
        }
    });
    if response.should_close() && !matches!(dialog, Dialog::Unsaved { .. }) {
        out.push(Command::CloseDialog);
    } else if response.should_close() {
        out.push(Command::ResolveUnsaved(UnsavedChoice::Cancel));
    }
}

/// Tints the window and frames it while files are dragged over it.
pub fn drop_highlight_ui(ctx: &egui::Context) {
    let rect = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        Id::unique("drop_highlight"),
    ));
    let accent = ctx.global_style().visuals.selection.bg_fill;
    painter.rect_filled(rect, 0.0, Color32::from_black_alpha(120));
    painter.rect_stroke(
        rect.shrink(6.0),
        12.0,
        Stroke::new(4.0, accent),
        egui::StrokeKind::Inside,
    );
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        "Drop a folder (or a post) to open it",
        egui::FontId::proportional(24.0),
        Color32::WHITE,
    );
}

/// The in-window "Open a folder" field: for typing or pasting a path, and where no
/// native folder dialog exists.
pub fn path_prompt_ui(
    ctx: &egui::Context,
    state: &AppState,
    ui_state: &mut crate::app::UiState,
    out: &mut Vec<Command>,
) {
    let Some(reason) = &state.path_prompt else {
        return;
    };
    let mut open = true;
    egui::Window::new("Open a folder")
        .id(Id::unique("path_prompt"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.label(reason);
            ui.horizontal(|ui| {
                let label = ui.label("Path");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut ui_state.path_text)
                            .hint_text("/path/to/blog/source/_posts")
                            .desired_width(380.0),
                    )
                    .labelled_by(label.id);
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let path = ui_state.path_text.trim().to_owned();
                if (ui
                    .add_enabled(!path.is_empty(), egui::Button::new("Open"))
                    .clicked()
                    || entered)
                    && !path.is_empty()
                {
                    out.push(Command::OpenPath(path.into()));
                }
            });
        });
    if !open {
        out.push(Command::ShowPathPrompt(false));
    }
}
