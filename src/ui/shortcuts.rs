//! Keyboard shortcuts: ↑/↓ and j/k move through the list (when no text field has the
//! keyboard), Ctrl+F focuses search, Enter focuses the editor, Ctrl+S saves, Ctrl+Z /
//! Ctrl+Shift+Z undo and redo, Delete asks to trash the post, F5 rescans, Ctrl+O opens.
//! Ctrl+A marks every post of the result, Shift+↑/↓ extend the marked range, Esc keeps
//! only the open post marked.
//!
//! Undo and redo belong to the draft, also while a field of the editor has the keyboard:
//! the keys are taken here, before the text field could apply its own history (which
//! knows nothing of posts). Only in other text fields (the search box) do they stay the
//! field's.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::app::{AppState, Command, MarkAction, UiState};

pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SELECT_ALL: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::A);

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
    ctx.input_mut(|i| {
        if i.consume_shortcut(&SAVE) {
            out.push(Command::Save);
        }
        // Redo before undo: Ctrl+Shift+Z also matches Ctrl+Z's logical shortcut.
        if draft_keys && i.consume_shortcut(&REDO) {
            out.push(Command::Redo);
        }
        if draft_keys && i.consume_shortcut(&UNDO) {
            out.push(Command::Undo);
        }
        if i.consume_shortcut(&FIND) {
            ui_state.focus_search = true;
        }
        if i.consume_shortcut(&OPEN) {
            out.push(Command::PickFolder);
        }
        if i.consume_key(Modifiers::NONE, Key::F5) {
            out.push(Command::Rescan);
        }
        if typing {
            return;
        }
        if i.consume_shortcut(&SELECT_ALL) {
            out.push(Command::Mark(MarkAction::All));
        }
        if i.consume_key(Modifiers::NONE, Key::Escape) && state.marked().len() > 1 {
            out.push(Command::Mark(MarkAction::Clear));
        }
        if i.consume_key(Modifiers::SHIFT, Key::ArrowDown) {
            out.push(Command::Mark(MarkAction::ExtendBy(1)));
        }
        if i.consume_key(Modifiers::SHIFT, Key::ArrowUp) {
            out.push(Command::Mark(MarkAction::ExtendBy(-1)));
        }
        if i.consume_key(Modifiers::NONE, Key::ArrowDown) || i.consume_key(Modifiers::NONE, Key::J)
        {
            out.push(Command::MoveSelection(1));
        }
        if i.consume_key(Modifiers::NONE, Key::ArrowUp) || i.consume_key(Modifiers::NONE, Key::K) {
            out.push(Command::MoveSelection(-1));
        }
        if i.consume_key(Modifiers::NONE, Key::PageDown) {
            out.push(Command::MoveSelection(20));
        }
        if i.consume_key(Modifiers::NONE, Key::PageUp) {
            out.push(Command::MoveSelection(-20));
        }
        if i.consume_key(Modifiers::NONE, Key::Enter) && state.open_post().is_some() {
            ui_state.focus_editor = true;
        }
        if i.consume_key(Modifiers::NONE, Key::Delete) && state.marked().len() > 1 {
            // Many posts: the preview is the confirmation.
            if let Ok(plan) = crate::bulk::Plan::new(vec![crate::bulk::Operation::Trash]) {
                out.push(Command::BulkPreview {
                    plan,
                    scope: crate::app::Scope::Marked,
                });
            }
        } else if i.consume_key(Modifiers::NONE, Key::Delete) && state.open_post().is_some() {
            out.push(Command::AskDelete);
        }
    });
}
