//! The command palette (Ctrl+K or Ctrl+Shift+P): every action of [`ACTIONS`] found by
//! typing part of its name, shown with its keys; ↑/↓ pick, Enter runs, Esc closes.
//! Actions that can do nothing now are listed dimmed and do not run.

use egui::{Key, RichText};

use super::shortcuts::{ACTIONS, Action, perform};
use crate::app::{AppState, Command, UiState};

/// The actions whose names hold every word of `query` (case-insensitive), in table order.
pub fn matching(query: &str) -> Vec<Action> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    ACTIONS
        .iter()
        .filter(|(_, name)| {
            let name = name.to_lowercase();
            words.iter().all(|w| name.contains(w.as_str()))
        })
        .map(|(action, _)| *action)
        .collect()
}

pub fn palette_ui(
    ctx: &egui::Context,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let Some((mut query, mut index)) = ui_state.palette.clone() else {
        return;
    };
    let found = matching(&query);
    let mut run: Option<Action> = None;
    let mut close = false;
    let (up, down, enter, escape) = ctx.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, Key::Enter),
            i.consume_key(egui::Modifiers::NONE, Key::Escape),
        )
    });
    if down && index + 1 < found.len() {
        index += 1;
    }
    if up {
        index = index.saturating_sub(1);
    }
    index = index.min(found.len().saturating_sub(1));
    if enter && let Some(action) = found.get(index) {
        run = Some(*action);
    }
    close |= escape;
    let width = (ctx.content_rect().width() - 40.0).clamp(240.0, 520.0);
    egui::Window::new("Command palette")
        .id(egui::Id::unique("command_palette"))
        .title_bar(false)
        .collapsible(false)
        .resizable(false)
        .fixed_size([width, 0.0])
        .anchor(egui::Align2::CENTER_TOP, [0.0, 48.0])
        .show(ctx, |ui| {
            let label = ui.label("Command");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut query)
                        .hint_text("Type to find an action…")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            field.request_focus();
            if field.changed() {
                index = 0;
            }
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    if found.is_empty() {
                        ui.weak("No action has that name.");
                    }
                    for (i, action) in found.iter().enumerate() {
                        let available = action.available(state);
                        let name = if available {
                            RichText::new(action.name())
                        } else {
                            RichText::new(action.name()).weak()
                        };
                        let row = ui
                            .horizontal(|ui| {
                                let response = ui.selectable_label(i == index, name);
                                if let Some(keys) = action.keys(ctx) {
                                    ui.with_layout(
                                        egui::Layout::right_to_left(egui::Align::Center),
                                        |ui| ui.weak(RichText::new(keys).monospace()),
                                    );
                                }
                                response
                            })
                            .inner;
                        if i == index && (up || down) {
                            row.scroll_to_me(None);
                        }
                        if row.clicked() {
                            run = Some(*action);
                        }
                    }
                });
        });
    ui_state.palette = Some((query, index));
    if let Some(action) = run {
        ui_state.palette = None;
        if action.available(state) && action != Action::Palette {
            perform(action, state, ui_state, out);
        }
    } else if close {
        ui_state.palette = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_match_and_an_empty_query_lists_all() {
        assert_eq!(matching("").len(), ACTIONS.len());
        assert_eq!(matching("dup"), [Action::Duplicates]);
        assert_eq!(matching("REDO last"), [Action::RedoOperation]);
        assert!(matching("export nothing").is_empty());
    }
}
