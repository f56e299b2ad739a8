//! The preview of a bulk edit, and its progress while it runs: counts (change, already
//! as asked, refused with reasons), every changed file in a virtualized list, the
//! unified diff of the chosen one, Apply and Cancel.

use egui::{Color32, RichText, ScrollArea, TextStyle};

use crate::app::{AppState, BulkJob, Command, RunKind, UiState};
use crate::bulk::{Batch, Preview, Progress};

pub fn bulk_preview_ui(
    ctx: &egui::Context,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let Some(job) = state.bulk() else {
        return;
    };
    let size = ctx.content_rect().size();
    egui::Window::new("Bulk edit")
        .id(egui::Id::unique("bulk_preview"))
        .collapsible(false)
        .resizable(true)
        .default_size([(size.x * 0.8).min(1100.0), (size.y * 0.75).min(720.0)])
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| match job {
            BulkJob::Previewing {
                batch,
                preview,
                progress,
                ..
            } => {
                header_ui(ui, batch, preview);
                progress_ui(ui, "Reading posts", progress, out);
                changes_ui(ui, preview, ui_state);
            }
            BulkJob::Ready { batch, preview } => {
                header_ui(ui, batch, preview);
                if preview.cancelled {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "The preview was cancelled: only the posts read so far would change.",
                    );
                }
                ui.horizontal(|ui| {
                    let n = preview.changes.len();
                    let posts = if n == 1 { "post" } else { "posts" };
                    let apply =
                        egui::Button::new(RichText::new(format!("Apply to {n} {posts}")).strong());
                    if ui
                        .add_enabled(n > 0 && state.history_available(), apply)
                        .on_hover_text("Write the changes; one Undo restores every file")
                        .clicked()
                    {
                        out.push(Command::BulkApply);
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Command::BulkClose);
                    }
                });
                changes_ui(ui, preview, ui_state);
            }
            BulkJob::Running {
                kind,
                summary,
                progress,
                ..
            } => {
                let verb = match kind {
                    RunKind::Apply => "Applying",
                    RunKind::Undo => "Undoing",
                    RunKind::Redo => "Redoing",
                };
                ui.label(RichText::new(format!("{verb}: {summary}")).strong());
                progress_ui(ui, "Files", progress, out);
                ui.weak("Each file is written whole or not at all; Cancel stops between files, and undo restores the ones written.");
            }
        });
}

fn header_ui(ui: &mut egui::Ui, batch: &Batch, preview: &Preview) {
    ui.label(RichText::new(&batch.summary).strong());
    let changes = preview.changes.len();
    let mut line = format!(
        "{changes} {} · {} already as asked · {} refused",
        if changes == 1 {
            "file changes"
        } else {
            "files change"
        },
        preview.unchanged,
        preview.refused.len()
    );
    if preview.matches > 0 {
        line.push_str(&format!(" · {} matches", preview.matches));
    }
    ui.label(line);
}

fn progress_ui(ui: &mut egui::Ui, what: &str, progress: &Progress, out: &mut Vec<Command>) {
    use std::sync::atomic::Ordering;
    let done = progress.done.load(Ordering::Relaxed);
    let total = progress.total.load(Ordering::Relaxed).max(1);
    ui.horizontal(|ui| {
        ui.add(
            egui::ProgressBar::new(done as f32 / total as f32)
                .desired_width(360.0)
                .text(format!("{what}: {done} / {total}")),
        );
        if ui.button("Cancel").clicked() {
            out.push(Command::BulkCancel);
        }
    });
}

/// The changed files (left) and the diff of the chosen one (right); the refusals below.
fn changes_ui(ui: &mut egui::Ui, preview: &Preview, ui_state: &mut UiState) {
    ui.separator();
    let height = (ui.available_height() - 120.0).max(160.0);
    ui.horizontal_top(|ui| {
        let list_width = (ui.available_width() * 0.38).max(200.0);
        ui.vertical(|ui| {
            ui.set_width(list_width);
            ui.set_height(height);
            let row_height = ui.text_style_height(&TextStyle::Body) + 4.0;
            ScrollArea::vertical()
                .id_salt("bulk_changes")
                .auto_shrink([false, false])
                .show_rows(ui, row_height, preview.changes.len(), |ui, rows| {
                    for index in rows {
                        let Some(change) = preview.changes.get(index) else {
                            continue;
                        };
                        let label = crate::archive::slash_path(&change.path);
                        let chosen = ui_state.preview_row == index;
                        if ui
                            .add(egui::Button::selectable(chosen, label).truncate())
                            .clicked()
                        {
                            ui_state.preview_row = index;
                        }
                    }
                });
        });
        ui.separator();
        ui.vertical(|ui| {
            ui.set_height(height);
            ScrollArea::both()
                .id_salt("bulk_diff")
                .auto_shrink([false, false])
                .show(ui, |ui| match preview.changes.get(ui_state.preview_row) {
                    Some(change) => diff_ui(ui, &change.unified_diff()),
                    None if preview.changes.is_empty() => {
                        ui.weak("No file changes.");
                    }
                    None => {
                        ui.weak("Choose a file to see its diff.");
                    }
                });
        });
    });
    if !preview.refused.is_empty() {
        ui.separator();
        egui::CollapsingHeader::new(format!("{} refused", preview.refused.len()))
            .id_salt("bulk_refused")
            .default_open(preview.changes.is_empty())
            .show(ui, |ui| {
                let row_height = ui.text_style_height(&TextStyle::Body) + 4.0;
                ScrollArea::vertical()
                    .id_salt("bulk_refused_rows")
                    .max_height(160.0)
                    .show_rows(ui, row_height, preview.refused.len(), |ui, rows| {
                        for index in rows {
                            if let Some((path, reason)) = preview.refused.get(index) {
                                ui.label(format!("{}: {reason}", crate::archive::slash_path(path)));
                            }
                        }
                    });
            });
    }
}

/// A unified diff with removed lines red and added lines green.
fn diff_ui(ui: &mut egui::Ui, diff: &str) {
    let dark = ui.visuals().dark_mode;
    let (removed, added) = if dark {
        (
            Color32::from_rgb(0xF2, 0x8B, 0x82),
            Color32::from_rgb(0x81, 0xC9, 0x95),
        )
    } else {
        (
            Color32::from_rgb(0xB3, 0x26, 0x1E),
            Color32::from_rgb(0x1E, 0x7B, 0x34),
        )
    };
    for line in diff.lines() {
        let text = RichText::new(line).monospace();
        let text = if line.starts_with("+++") || line.starts_with("---") || line.starts_with("@@") {
            text.weak()
        } else if line.starts_with('+') {
            text.color(added)
        } else if line.starts_with('-') {
            text.color(removed)
        } else {
            text
        };
        ui.add(egui::Label::new(text).extend());
    }
}
