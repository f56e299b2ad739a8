//! Keyboard shortcuts, from one table ([`SHORTCUTS`]) that both handles the keys and
//! draws the shortcut sheet (F1 or `?`), so the two cannot drift apart.
//!
//! Undo and redo belong to the draft, also while a field of the editor has the keyboard:
//! the keys are taken here, before the text field could apply its own history (which
//! knows nothing of posts). Only in other text fields (the search box) do they stay the
//! field's. Keys that move through the list act only when no text field has the
//! keyboard.

use egui::{Key, KeyboardShortcut, Modifiers, RichText};

use crate::app::{AppState, Command, MarkAction, UiState};

use super::layout::Side;

/// What a shortcut does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Save,
    Undo,
    Redo,
    Find,
    Open,
    Rescan,
    ToggleFacets,
    ToggleEditor,
    MarkAll,
    ClearMarks,
    ExtendDown,
    ExtendUp,
    Down,
    Up,
    First,
    Last,
    PageDown,
    PageUp,
    EditFrontMatter,
    Delete,
    Help,
}

/// When a shortcut is live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum When {
    /// Always (outside dialogs).
    Always,
    /// Unless a text field outside the editor has the keyboard.
    DraftKeys,
    /// Only when no text field has the keyboard.
    NotTyping,
}

/// One key of the table: the keys, when they work, what they do, and how the shortcut
/// sheet describes them.
pub struct Shortcut {
    pub keys: KeyboardShortcut,
    when: When,
    pub action: Action,
    pub what: &'static str,
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const fn entry(keys: KeyboardShortcut, when: When, action: Action, what: &'static str) -> Shortcut {
    Shortcut {
        keys,
        when,
        action,
        what,
    }
}

/// Every shortcut, in the order they are tried (more modifiers first: Ctrl+Shift+Z also
/// matches Ctrl+Z, Shift+↓ also ↓).
pub const SHORTCUTS: &[Shortcut] = &[
    entry(
        key(Modifiers::COMMAND, Key::S),
        When::Always,
        Action::Save,
        "Save the open post",
    ),
    entry(
        key(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z),
        When::DraftKeys,
        Action::Redo,
        "Redo in the front matter",
    ),
    entry(
        key(Modifiers::COMMAND, Key::Z),
        When::DraftKeys,
        Action::Undo,
        "Undo in the front matter",
    ),
    entry(
        key(Modifiers::COMMAND, Key::F),
        When::Always,
        Action::Find,
        "Search",
    ),
    entry(
        key(Modifiers::COMMAND, Key::O),
        When::Always,
        Action::Open,
        "Open a folder",
    ),
    entry(
        key(Modifiers::NONE, Key::F5),
        When::Always,
        Action::Rescan,
        "Rescan the archive",
    ),
    entry(
        key(Modifiers::COMMAND, Key::B),
        When::Always,
        Action::ToggleFacets,
        "Show or hide the facets",
    ),
    entry(
        key(Modifiers::COMMAND, Key::E),
        When::Always,
        Action::ToggleEditor,
        "Show or hide the front matter",
    ),
    entry(
        key(Modifiers::NONE, Key::F1),
        When::Always,
        Action::Help,
        "This list of shortcuts",
    ),
    entry(
        key(Modifiers::NONE, Key::Questionmark),
        When::NotTyping,
        Action::Help,
        "This list of shortcuts",
    ),
    entry(
        key(Modifiers::COMMAND, Key::A),
        When::NotTyping,
        Action::MarkAll,
        "Mark every post of the result",
    ),
    entry(
        key(Modifiers::NONE, Key::Escape),
        When::NotTyping,
        Action::ClearMarks,
        "Keep only the open post marked",
    ),
    entry(
        key(Modifiers::SHIFT, Key::ArrowDown),
        When::NotTyping,
        Action::ExtendDown,
        "Mark the next post too",
    ),
    entry(
        key(Modifiers::SHIFT, Key::ArrowUp),
        When::NotTyping,
        Action::ExtendUp,
        "Mark the previous post too",
    ),
    entry(
        key(Modifiers::NONE, Key::ArrowDown),
        When::NotTyping,
        Action::Down,
        "Next post",
    ),
    entry(
        key(Modifiers::NONE, Key::J),
        When::NotTyping,
        Action::Down,
        "Next post",
    ),
    entry(
        key(Modifiers::NONE, Key::ArrowUp),
        When::NotTyping,
        Action::Up,
        "Previous post",
    ),
    entry(
        key(Modifiers::NONE, Key::K),
        When::NotTyping,
        Action::Up,
        "Previous post",
    ),
    entry(
        key(Modifiers::NONE, Key::Home),
        When::NotTyping,
        Action::First,
        "First post",
    ),
    entry(
        key(Modifiers::NONE, Key::End),
        When::NotTyping,
        Action::Last,
        "Last post",
    ),
    entry(
        key(Modifiers::NONE, Key::PageDown),
        When::NotTyping,
        Action::PageDown,
        "A page down the list",
    ),
    entry(
        key(Modifiers::NONE, Key::PageUp),
        When::NotTyping,
        Action::PageUp,
        "A page up the list",
    ),
    entry(
        key(Modifiers::NONE, Key::Enter),
        When::NotTyping,
        Action::EditFrontMatter,
        "Edit the front matter",
    ),
    entry(
        key(Modifiers::NONE, Key::Delete),
        When::NotTyping,
        Action::Delete,
        "Move the post (or the marked posts) to the trash",
    ),
];

/// Rows a page key moves.
const PAGE_ROWS: i64 = 20;

pub fn handle(
    ctx: &egui::Context,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if state.dialog.is_some() {
        return;
    }
    let typing = ctx.text_edit_focused();
    let draft_keys = !typing || ui_state.editor_has_focus;
    let pressed: Vec<Action> = ctx.input_mut(|i| {
        let mut pressed = Vec::new();
        for shortcut in SHORTCUTS {
            let live = match shortcut.when {
                When::Always => true,
                When::DraftKeys => draft_keys,
                When::NotTyping => !typing,
            };
            if live && i.consume_shortcut(&shortcut.keys) {
                pressed.push(shortcut.action);
            }
        }
        pressed
    });
    for action in pressed {
        perform(action, state, ui_state, out);
    }
}

/// Does what `action` means now.
pub fn perform(action: Action, state: &AppState, ui_state: &mut UiState, out: &mut Vec<Command>) {
    match action {
        Action::Save => out.push(Command::Save),
        Action::Undo => out.push(Command::Undo),
        Action::Redo => out.push(Command::Redo),
        Action::Find => ui_state.focus_search = true,
        Action::Open => out.push(Command::PickFolder),
        Action::Rescan => out.push(Command::Rescan),
        Action::ToggleFacets => out.extend(super::layout::toggle(Side::Facets, state, ui_state)),
        Action::ToggleEditor => out.extend(super::layout::toggle(Side::Editor, state, ui_state)),
        Action::Help => ui_state.show_shortcuts = !ui_state.show_shortcuts,
        Action::MarkAll => out.push(Command::Mark(MarkAction::All)),
        Action::ClearMarks => {
            if state.marked().len() > 1 {
                out.push(Command::Mark(MarkAction::Clear));
            } else {
                ui_state.show_shortcuts = false;
            }
        }
        Action::ExtendDown => out.push(Command::Mark(MarkAction::ExtendBy(1))),
        Action::ExtendUp => out.push(Command::Mark(MarkAction::ExtendBy(-1))),
        Action::Down => out.push(Command::MoveSelection(1)),
        Action::Up => out.push(Command::MoveSelection(-1)),
        Action::First => out.push(Command::MoveSelection(i64::MIN / 2)),
        Action::Last => out.push(Command::MoveSelection(i64::MAX / 2)),
        Action::PageDown => out.push(Command::MoveSelection(PAGE_ROWS)),
        Action::PageUp => out.push(Command::MoveSelection(-PAGE_ROWS)),
        Action::EditFrontMatter => {
            if state.open_post().is_some() {
                ui_state.focus_editor = true;
                if !ui_state.layout.is_some_and(|l| l.shows(Side::Editor)) {
                    out.extend(super::layout::toggle(Side::Editor, state, ui_state));
                }
            }
        }
        Action::Delete => {
            if state.marked().len() > 1 {
                // Many posts: the preview is the confirmation.
                if let Ok(plan) = crate::bulk::Plan::new(vec![crate::bulk::Operation::Trash]) {
                    out.push(Command::BulkPreview {
                        plan,
                        scope: crate::app::Scope::Marked,
                    });
                }
            } else if state.open_post().is_some() {
                out.push(Command::AskDelete);
            }
        }
    }
}

/// The shortcut sheet: every entry of [`SHORTCUTS`], as the keys read on this platform.
pub fn sheet_ui(ctx: &egui::Context, ui_state: &mut UiState) {
    let mut open = ui_state.show_shortcuts;
    egui::Window::new("Keyboard shortcuts")
        .id(egui::Id::unique("shortcut_sheet"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcut_grid")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    for shortcut in SHORTCUTS {
                        ui.label(RichText::new(ctx.format_shortcut(&shortcut.keys)).monospace());
                        ui.label(shortcut.what);
                        ui.end_row();
                    }
                    for (keys, what) in [
                        ("Ctrl+click", "Mark or unmark a post"),
                        ("Shift+click", "Mark a range of posts"),
                        ("↑ ↓ Tab Enter", "Pick a completion under a list field"),
                        ("↓ Enter", "From the search box to the results"),
                    ] {
                        ui.label(RichText::new(keys).monospace());
                        ui.label(what);
                        ui.end_row();
                    }
                });
        });
    ui_state.show_shortcuts = open;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_shortcuts_share_keys() {
        for (i, a) in SHORTCUTS.iter().enumerate() {
            for b in SHORTCUTS.iter().skip(i + 1) {
                assert!(
                    a.keys != b.keys,
                    "{:?} and {:?} share {:?}",
                    a.action,
                    b.action,
                    a.keys
                );
            }
        }
    }
}
