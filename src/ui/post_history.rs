//! The open post's git history (the article header's "History"): the commits that
//! changed it, newest first, as they stream in; the chosen commit's version with its
//! diff to the file on disk; and "Restore this version", which makes that version the
//! post's unsaved edit (saved, or dropped with Revert, like any edit).

use egui::{RichText, ScrollArea};

use crate::app::{AppState, Command};
use crate::archive::slash_path;

pub fn post_history_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    let Some(history) = state.git().history() else {
        return;
    };
    let mut open = true;
    egui::Window::new(format!("History of {}", slash_path(&history.path)))
        .id(egui::Id::unique("post_history_window"))
        .open(&mut open)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .default_size([720.0, 520.0])
        .min_width(360.0)
        .max_width(ctx.content_rect().width() - 40.0)
        .max_height(ctx.content_rect().height() - 60.0)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let n = history.entries.len();
                ui.label(match n {
                    0 if history.is_streaming() => "Reading the history…".to_owned(),
                    0 => "No commit has this post yet.".to_owned(),
                    1 => "1 commit changed this post".to_owned(),
                    n => format!("{n} commits changed this post"),
                });
                if history.is_streaming() {
                    ui.spinner();
                }
            });
            if let Some(error) = &history.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ScrollArea::vertical()
                .id_salt("post_history_commits")
                .max_height(180.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for entry in &history.entries {
                        let chosen = history.chosen == Some(entry.id);
                        let date = entry
                            .date()
                            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                            .unwrap_or_default();
                        let id = entry.id.to_string();
                        let gone = if entry.file_exists { "" } else { " (removed)" };
                        let text = format!(
                            "{date}  {}  {}{gone}  {}",
                            id.get(..7).unwrap_or(&id),
                            entry.author_name,
                            entry.summary()
                        );
                        if ui
                            .add(egui::Button::selectable(chosen, text).truncate())
                            .on_hover_text(format!(
                                "{}\n{} <{}>\n\n{}",
                                id, entry.author_name, entry.author_email, entry.message
                            ))
                            .clicked()
                        {
                            out.push(Command::ChooseVersion(entry.id));
                        }
                    }
                });
            ui.separator();
            let Some(chosen) = history.chosen else {
                ui.weak("Choose a commit to see the post as it was then.");
                return;
            };
            let Some(version) = &history.version else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("Reading that version…");
                });
                return;
            };
            if version.commit != chosen {
                return;
            }
            ui.horizontal(|ui| {
                let restorable = matches!(version.bytes, Ok(Some(_)));
                let dirty = state.is_dirty();
                if ui
                    .add_enabled(restorable && !dirty, egui::Button::new("Restore this version"))
                    .on_hover_text(
                        "Make this version the post's unsaved edit; Save writes it, Revert drops it",
                    )
                    .on_disabled_hover_text(if dirty {
                        "Save or revert the post's edits first"
                    } else {
                        "The post did not exist in this commit"
                    })
                    .clicked()
                {
                    out.push(Command::RestoreVersion);
                }
                ui.weak("Diff from this version to the file on disk:");
            });
            match &version.bytes {
                Err(message) => {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                Ok(_) => {
                    // A fixed height: a window's room grows with what it holds.
                    let height = (ctx.content_rect().height() * 0.45).clamp(160.0, 420.0);
                    super::diff_view::diff_ui(ui, "post_history_diff", &version.diff, height);
                }
            }
        });
    if !open {
        out.push(Command::ShowPostHistory(false));
    }
}

/// The editor's note about a restored version waiting to be saved.
pub fn restored_note_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let Some(restored) = state.open_post().and_then(|o| o.restored()) else {
        return;
    };
    let width = ui.available_width() - 16.0;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_max_width(width);
        ui.label(RichText::new("Restored version, not saved yet").strong());
        ui.add(egui::Label::new(RichText::new(&restored.label).small()).wrap());
        ui.weak("Save writes the whole file as it was then; Revert keeps the file as it is.");
        ui.horizontal(|ui| {
            let saving = state.open_post().is_some_and(|o| o.saving);
            if ui.add_enabled(!saving, egui::Button::new("Save")).clicked() {
                out.push(Command::Save);
            }
            if ui.button("Revert").clicked() {
                out.push(Command::Revert);
            }
        });
    });
}
