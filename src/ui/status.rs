//! The status bar: scan progress with Cancel, the number of marked posts, the notice
//! of the last finished operation (with its Undo), the git status, the archive folder,
//! and every error the app hit (each naming its file) until dismissed.

use crate::app::{AppState, Command};

pub fn status_bar_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        for (i, error) in state.errors.iter().enumerate().rev().take(4) {
            ui.horizontal(|ui| {
                if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                    out.push(Command::DismissError(i));
                }
                ui.colored_label(ui.visuals().error_fg_color, &error.message);
            });
        }
        ui.horizontal(|ui| {
            if let Some(notice) = state.notice() {
                ui.label(egui::RichText::new(&notice.text).strong());
                if let Some(id) = notice.undo
                    && ui
                        .button("Undo")
                        .on_hover_text("Give every file back the bytes it had before")
                        .clicked()
                {
                    out.push(Command::UndoOperation(Some(id)));
                }
                if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                    out.push(Command::DismissNotice);
                }
                ui.separator();
            }
            let marked = state.marked().len();
            if marked > 1 {
                ui.label(format!("{} selected", super::thousands(marked)))
                    .on_hover_text("Esc keeps only the open post");
                ui.separator();
            }
            if let Some(scan) = state.scan.as_ref().filter(|s| !s.finished) {
                let (done, found, walk_finished) = scan.counts();
                let fraction = if found == 0 {
                    0.0
                } else {
                    done as f32 / found as f32
                };
                let text = if scan.from_cache.is_some() {
                    format!("Checking for changes… {done} / {found}")
                } else if walk_finished {
                    format!("Reading {done} / {found}")
                } else {
                    format!("Finding posts… {done} / {found}")
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(280.0)
                        .text(text)
                        .animate(true),
                );
                if ui.button("Cancel").clicked() {
                    out.push(Command::CancelScan);
                }
            }
            if let Some(scan) = state.scan.as_ref()
                && let Some(took) = scan.took
            {
                let posts = super::thousands(state.post_count());
                ui.weak(match scan.from_cache {
                    Some(listed) => format!(
                        "{posts} posts, listed in {:.2} s, checked in {:.1} s",
                        listed.as_secs_f64(),
                        took.as_secs_f64()
                    ),
                    None => format!("{posts} posts, read in {:.1} s", took.as_secs_f64()),
                });
                ui.separator();
            }
            if let Some((done, todo)) = state.fulltext.as_ref().and_then(|f| f.progress())
                && todo > 0
            {
                ui.add(
                    egui::ProgressBar::new(done as f32 / todo as f32)
                        .desired_width(200.0)
                        .text(format!("Indexing bodies {done} / {todo}")),
                )
                .on_hover_text("Bodies searches find what is indexed so far");
                ui.separator();
            }
            let git = state.git();
            if git.is_checking() {
                ui.spinner();
                ui.weak("git status…");
                ui.separator();
            } else if let Some(changes) = git.changes() {
                let text = match changes.len() {
                    0 => "git: as committed".to_owned(),
                    n => format!("git: {} changed", super::thousands(n)),
                };
                if ui
                    .add(
                        egui::Label::new(egui::RichText::new(text).weak())
                            .sense(egui::Sense::click()),
                    )
                    .on_hover_text(
                        "Posts that differ from the last commit; click for View › Changes",
                    )
                    .clicked()
                {
                    out.push(Command::ShowChanges(true));
                }
                ui.separator();
            }
            if let Some(root) = &state.root {
                ui.weak(root.display().to_string());
            }
            if !state.path_problems.is_empty() {
                ui.weak(format!(
                    "· {} unreadable entries",
                    state.path_problems.len()
                ));
            }
        });
    });
}
