//! The export window (File › Export…): which posts (the list's or the marked ones), the
//! format, the table's columns or the articles' layout, and where to write; a progress
//! bar with Cancel while the worker writes.

use egui::RichText;

use crate::app::{AppState, Command, UiState};
use crate::export::{Column, ExportFormat, ExportRequest};

pub fn export_ui(
    ctx: &egui::Context,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let export = state.export_state();
    let form = &mut ui_state.export;
    // A path chosen in the save dialog goes into the field once.
    if let Some((n, path)) = export.chosen()
        && *n != form.seen_choice
    {
        form.seen_choice = *n;
        form.path = path.display().to_string();
    }
    let mut open = true;
    egui::Window::new("Export")
        .id(egui::Id::unique("export_window"))
        .collapsible(false)
        .resizable(false)
        .open(&mut open)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.set_max_width(520.0);
            let listed = state.visible().len();
            let marked = state.marked().len();
            ui.horizontal(|ui| {
                ui.label("Posts");
                ui.radio_value(
                    &mut form.marked_only,
                    false,
                    format!("The list's {} posts", super::thousands(listed)),
                );
                if marked > 1 {
                    ui.radio_value(
                        &mut form.marked_only,
                        true,
                        format!("The {} marked posts", super::thousands(marked)),
                    );
                } else {
                    form.marked_only = false;
                }
            });
            ui.horizontal(|ui| {
                ui.label("Format");
                for (format, name) in [
                    (ExportFormat::Csv, "CSV"),
                    (ExportFormat::Jsonl, "JSONL"),
                    (ExportFormat::Markdown, "Markdown"),
                    (ExportFormat::Html, "HTML"),
                ] {
                    ui.radio_value(&mut form.format, format, name);
                }
            });
            if form.format.is_articles() {
                ui.horizontal(|ui| {
                    ui.label("As");
                    ui.radio_value(&mut form.per_post, false, "One digest file");
                    ui.radio_value(&mut form.per_post, true, "One file per post, into a folder");
                });
            } else {
                ui.horizontal(|ui| {
                    let label = ui.label("Columns");
                    ui.add(egui::TextEdit::singleline(&mut form.columns).desired_width(380.0))
                        .labelled_by(label.id)
                        .on_hover_text(
                            "Comma-separated: path, folder, title, date, date_utc, categories, tags, author, image, size, modified, problems, or any front-matter key",
                        );
                });
            }
            let folder = form.format.is_articles() && form.per_post;
            ui.horizontal(|ui| {
                let label = ui.label(if folder { "Into folder" } else { "To file" });
                ui.add(egui::TextEdit::singleline(&mut form.path).desired_width(330.0))
                    .labelled_by(label.id);
                if ui.button("Choose…").clicked() {
                    let name = match form.format {
                        ExportFormat::Csv => "posts.csv",
                        ExportFormat::Jsonl => "posts.jsonl",
                        ExportFormat::Markdown => "posts.md",
                        ExportFormat::Html => "posts.html",
                    };
                    out.push(Command::ChooseExportPath {
                        folder,
                        name: name.to_owned(),
                    });
                }
            });
            if let Some(message) = export.failure() {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
            ui.separator();
            match export.progress() {
                Some((done, total)) => {
                    ui.horizontal(|ui| {
                        let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
                        ui.add(
                            egui::ProgressBar::new(fraction)
                                .desired_width(360.0)
                                .text(format!("{} of {}", super::thousands(done), super::thousands(total))),
                        );
                        if ui.button("Cancel").clicked() {
                            out.push(Command::CancelExport);
                        }
                    });
                }
                None => {
                    ui.horizontal(|ui| {
                        let count = if form.marked_only { marked } else { listed };
                        let path = form.path.trim();
                        let ready = count > 0 && !path.is_empty();
                        let button = egui::Button::new(RichText::new("Export").strong());
                        if ui.add_enabled(ready, button).clicked() {
                            let mut target = std::path::PathBuf::from(path);
                            if folder && !path.ends_with(['/', '\\']) {
                                // A folder, even one that does not exist yet.
                                target.push("");
                            }
                            out.push(Command::Export {
                                request: ExportRequest {
                                    format: form.format,
                                    out: target,
                                    columns: Column::parse_list(&form.columns),
                                },
                                marked_only: form.marked_only,
                            });
                        }
                        if ui.button("Close").clicked() {
                            out.push(Command::ShowExport(false));
                        }
                    });
                }
            }
        });
    if !open {
        out.push(Command::ShowExport(false));
    }
}
