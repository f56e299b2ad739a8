//! The Changes view (View › Changes): every post that differs from the last git commit
//! with its state and title, a tick per post (and all / none) for the next commit, the
//! chosen post's diff against the commit (front matter and body), and the commit form.
//!
//! Like the Insights and Duplicates views it takes the article's place in the centre;
//! the status, the diff and the commit run on workers (`app::git`), so this only draws.
//! Below 760 points the list stacks above the diff instead of standing beside it.

use egui::{Align, RichText, ScrollArea, TextEdit};

use crate::app::{AppState, ChangedPost, Command, state_badge};
use crate::archive::slash_path;

/// The list's width beside the diff.
const LIST_WIDTH: f32 = 300.0;
/// Below this width the list and the diff stack.
const SIDE_BY_SIDE_MIN: f32 = 760.0;

pub fn changes_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let git = state.git();
    ui.set_max_width(ui.available_width());
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading("Changes");
        if let Some(changes) = git.changes() {
            let n = changes.len();
            ui.weak(match n {
                0 => "nothing differs from the last commit".to_owned(),
                1 => "1 post differs from the last commit".to_owned(),
                n => format!("{} posts differ from the last commit", super::thousands(n)),
            });
        }
        ui.with_layout(egui::Layout::right_to_left(Align::Center), |ui| {
            if ui.button("Close").clicked() {
                out.push(Command::ShowChanges(false));
            }
            if ui
                .add_enabled(
                    git.has_repository() && !git.is_checking(),
                    egui::Button::new("Refresh"),
                )
                .on_hover_text("Compare the archive with the last commit again")
                .clicked()
            {
                out.push(Command::RefreshChanges);
            }
            if git.is_checking() {
                ui.spinner();
            }
        });
    });
    ui.separator();
    let Some(changes) = git.changes() else {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            if git.is_checking() {
                ui.spinner();
                ui.weak("Comparing the archive with the last commit…");
            } else {
                ui.label("This archive is not in a git repository.");
                ui.weak("Folio shows changes and history for archives kept in git.");
            }
        });
        return;
    };
    if changes.is_empty() {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.label("Every post is as in the last commit.");
        });
        commit_error_ui(ui, state);
        return;
    }
    if ui.available_width() < SIDE_BY_SIDE_MIN {
        let height = (ui.available_height() * 0.28).max(100.0);
        list_ui(ui, state, changes, height, out);
        ui.separator();
        detail_ui(ui, state, out);
    } else {
        ui.horizontal_top(|ui| {
            let height = ui.available_height();
            ui.allocate_ui_with_layout(
                egui::vec2(LIST_WIDTH, height),
                egui::Layout::top_down(Align::Min),
                |ui| {
                    ui.set_width(LIST_WIDTH);
                    list_ui(ui, state, changes, height - 40.0, out);
                },
            );
            ui.separator();
            let width = ui.available_width();
            ui.allocate_ui_with_layout(
                egui::vec2(width, height),
                egui::Layout::top_down(Align::Min),
                |ui| {
                    ui.set_max_width(width);
                    detail_ui(ui, state, out);
                },
            );
        });
    }
}

/// The changed posts with their ticks, and all / none.
fn list_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    changes: &[ChangedPost],
    height: f32,
    out: &mut Vec<Command>,
) {
    let git = state.git();
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} of {} ticked",
            git.checked_count(),
            changes.len()
        ));
        let paths = || changes.iter().map(|c| c.change.path.clone()).collect();
        if ui.small_button("Tick all").clicked() {
            out.push(Command::CheckChanges {
                paths: paths(),
                on: true,
            });
        }
        if ui.small_button("Tick none").clicked() {
            out.push(Command::CheckChanges {
                paths: paths(),
                on: false,
            });
        }
    });
    let row_height = ui.spacing().interact_size.y;
    ScrollArea::vertical()
        .id_salt("changes_list")
        .max_height(height.max(80.0))
        .auto_shrink([false, true])
        .show_rows(ui, row_height, changes.len(), |ui, range| {
            let dark = ui.visuals().dark_mode;
            for changed in changes.get(range).unwrap_or_default() {
                let title_text = state.change_title(changed);
                let path = &changed.change.path;
                ui.horizontal(|ui| {
                    let mut on = git.is_checked(path);
                    let tick = ui.checkbox(&mut on, "");
                    let (letter, hover) = state_badge(changed.change.state);
                    ui.label(
                        RichText::new(letter)
                            .monospace()
                            .color(super::theme::change_color(changed.change.state, dark)),
                    )
                    .on_hover_text(hover);
                    let shown = git.shown() == Some(path.as_path());
                    let title =
                        ui.add(egui::Button::selectable(shown, title_text.as_str()).truncate());
                    let tip = match &changed.change.renamed_from {
                        Some(from) => format!("{}\nfrom {}", slash_path(path), slash_path(from)),
                        None => slash_path(path),
                    };
                    let title = title.on_hover_text(tip);
                    if tick.labelled_by(title.id).changed() {
                        out.push(Command::CheckChanges {
                            paths: vec![path.clone()],
                            on,
                        });
                    }
                    if title.clicked() {
                        out.push(Command::ShowChange(path.clone()));
                    }
                });
            }
        });
}

/// The shown post's diff and the commit form.
fn detail_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let git = state.git();
    let moved_from = git.shown().and_then(|shown| {
        git.changes()?
            .iter()
            .find(|c| c.change.path == shown)?
            .change
            .renamed_from
            .as_deref()
    });
    if let Some(from) = moved_from {
        ui.label(format!("Moved from {}", slash_path(from)));
    }
    let form_height = 170.0;
    let diff_height = (ui.available_height() - form_height).max(120.0);
    let placeholder = |ui: &mut egui::Ui, add: &dyn Fn(&mut egui::Ui)| {
        ui.allocate_ui(egui::vec2(ui.available_width(), diff_height), |ui| {
            ui.set_min_height(diff_height);
            add(ui);
        });
    };
    match (git.shown(), git.diff()) {
        (None, _) => placeholder(ui, &|ui| {
            ui.weak("Click a post to see what changed since the last commit.");
        }),
        (Some(path), None) => placeholder(ui, &|ui| {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak(format!("Reading the diff of {}", slash_path(path)));
            });
        }),
        (Some(_), Some(diff)) => match &diff.diff {
            Ok(text) => super::diff_view::diff_ui(ui, "changes_diff", text, diff_height),
            Err(message) => {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
        },
    }
    ui.separator();
    let label = ui.label("Commit message");
    let mut message = git.message().to_owned();
    if ui
        .add(
            TextEdit::multiline(&mut message)
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .hint_text("What changed, for the repository's log"),
        )
        .labelled_by(label.id)
        .changed()
    {
        out.push(Command::SetCommitMessage(message));
    }
    ui.horizontal(|ui| {
        let ready = git.checked_count() > 0
            && !git.message().trim().is_empty()
            && !git.is_committing()
            && !git.is_checking();
        let posts = match git.checked_count() {
            1 => "1 post".to_owned(),
            n => format!("{n} posts"),
        };
        if ui
            .add_enabled(ready, egui::Button::new(format!("Commit {posts}")))
            .on_hover_text("Commit the ticked posts with the repository's author")
            .on_disabled_hover_text("Tick posts and write a message to commit")
            .clicked()
        {
            out.push(Command::Commit);
        }
        if git.is_committing() {
            ui.spinner();
            ui.weak("Committing…");
        }
    });
    commit_error_ui(ui, state);
}

fn commit_error_ui(ui: &mut egui::Ui, state: &AppState) {
    if let Some(error) = state.git().commit_error() {
        ui.add(egui::Label::new(RichText::new(error).color(ui.visuals().error_fg_color)).wrap());
    }
}
