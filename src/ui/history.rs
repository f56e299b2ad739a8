//! The operation history window (Edit › History): every bulk operation of the archive,
//! from the window or `folio bulk`, newest first, with Undo, Redo, or for an
//! interrupted one Finish and Roll back.

use egui::{RichText, ScrollArea};

use crate::app::{AppState, Command};
use crate::bulk::{State, Toward};

pub fn history_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    let mut open = true;
    egui::Window::new("History")
        .id(egui::Id::unique("history_window"))
        .open(&mut open)
        .default_size([640.0, 420.0])
        .show(ctx, |ui| {
            let ops = state.operations();
            if ops.is_empty() {
                ui.weak("No bulk operation on this archive yet.");
                return;
            }
            let busy = state.bulk().is_some();
            ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    egui::Grid::new("history_grid")
                        .striped(true)
                        .num_columns(4)
                        .show(ui, |ui| {
                            for op in ops.iter().rev() {
                                ui.label(RichText::new(format!("#{}", op.id)).weak());
                                ui.vertical(|ui| {
                                    ui.label(&op.summary);
                                    ui.weak(format!("{} · {}", op.created, op.state.label()));
                                });
                                ui.add_enabled_ui(!busy, |ui| buttons_ui(ui, op.id, op.state, out));
                                ui.end_row();
                            }
                        });
                });
        });
    if !open {
        out.push(Command::ShowHistory(false));
    }
}

fn buttons_ui(ui: &mut egui::Ui, id: u64, state: State, out: &mut Vec<Command>) {
    ui.horizontal(|ui| match state {
        State::Applied => {
            if ui.button("Undo").clicked() {
                out.push(Command::UndoOperation(Some(id)));
            }
        }
        State::Undone => {
            if ui.button("Redo").clicked() {
                out.push(Command::RedoOperation(Some(id)));
            }
        }
        State::Interrupted(toward) => {
            let (finish, back) = match toward {
                Toward::New => ("Finish applying", "Roll back"),
                Toward::Old => ("Redo", "Finish undoing"),
            };
            if ui.button(finish).clicked() {
                out.push(Command::RedoOperation(Some(id)));
            }
            if ui.button(back).clicked() {
                out.push(Command::UndoOperation(Some(id)));
            }
        }
    });
}
