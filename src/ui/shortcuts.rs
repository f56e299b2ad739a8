//! The app's actions and their keys, from two tables: [`ACTIONS`] names every action the
//! menus and the command palette offer, [`SHORTCUTS`] binds keys to them. The keys are
//! handled, the shortcut sheet (F1 or `?`) is drawn, the menus label their items and
//! the palette (Ctrl+K) lists its commands from these tables, and [`perform`] is the one
//! place that does what an action means, so none of them can drift apart.
//!
//! Undo and redo belong to the draft, also while a field of the editor has the keyboard:
//! the keys are taken here, before the text field could apply its own history (which
//! knows nothing of posts). Only in other text fields (the search box) do they stay the
//! field's. Keys that move through the list act only when no text field has the
//! keyboard.

use egui::{Key, KeyboardShortcut, Modifiers, RichText};

use crate::app::{AppState, Centre, Command, MarkAction, UiState};

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
    Palette,
    OpenPath,
    Export,
    Insights,
    Duplicates,
    Changes,
    History,
    Taxonomy,
    UndoOperation,
    RedoOperation,
    RawSource,
    Offline,
    Quit,
    Table,
    Grid,
    Left,
    Right,
    LeaveView,
    EditCell,
}

/// Every action a person can ask for by name, with that name: the menus' labels and the
/// command palette's list. Moving through the list is left out: it needs its keys.
pub const ACTIONS: &[(Action, &str)] = &[
    (Action::Open, "Open folder…"),
    (Action::OpenPath, "Open path…"),
    (Action::Rescan, "Rescan"),
    (Action::Export, "Export…"),
    (Action::Save, "Save the open post"),
    (Action::Undo, "Undo in the front matter"),
    (Action::Redo, "Redo in the front matter"),
    (Action::EditFrontMatter, "Edit the front matter"),
    (Action::Delete, "Move to the trash"),
    (Action::Find, "Search"),
    (Action::MarkAll, "Select all results"),
    (Action::ClearMarks, "Keep only the open post selected"),
    (Action::UndoOperation, "Undo the last operation"),
    (Action::RedoOperation, "Redo the last undone operation"),
    (Action::History, "History…"),
    (Action::Taxonomy, "Taxonomy…"),
    (Action::Insights, "Insights"),
    (Action::Duplicates, "Duplicates"),
    (Action::Changes, "Changes"),
    (Action::Table, "Table"),
    (Action::Grid, "Card grid"),
    (Action::LeaveView, "Leave the saved view"),
    (Action::EditCell, "Edit a cell of the selected row"),
    (Action::ToggleFacets, "Facet panel"),
    (Action::ToggleEditor, "Front matter panel"),
    (Action::RawSource, "Raw source"),
    (Action::Offline, "Offline (no image downloads)"),
    (Action::Help, "Keyboard shortcuts"),
    (Action::Palette, "Command palette"),
    (Action::Quit, "Quit"),
];

impl Action {
    /// The action's name in the menus and the palette.
    pub fn name(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(a, _)| *a == self)
            .map_or("", |(_, name)| name)
    }

    /// The first key bound to the action, as this platform writes it (`Ctrl+S`).
    pub fn keys(self, ctx: &egui::Context) -> Option<String> {
        SHORTCUTS
            .iter()
            .find(|s| s.action == self)
            .map(|s| ctx.format_shortcut(&s.keys))
    }

    /// Whether the action can do anything now.
    pub fn available(self, state: &AppState) -> bool {
        let open = state.root.is_some();
        match self {
            Action::Save | Action::Undo | Action::Redo | Action::EditFrontMatter => {
                state.open_post().is_some()
            }
            Action::Delete => state.open_post().is_some() || state.marked().len() > 1,
            Action::UndoOperation => state
                .operations()
                .iter()
                .any(|op| op.state == crate::bulk::State::Applied),
            Action::RedoOperation => state
                .operations()
                .iter()
                .any(|op| op.state == crate::bulk::State::Undone),
            Action::Rescan
            | Action::Export
            | Action::MarkAll
            | Action::ClearMarks
            | Action::History
            | Action::Taxonomy
            | Action::Insights
            | Action::Duplicates
            | Action::Find => open,
            Action::Changes => open && state.git().has_repository(),
            Action::Table | Action::Grid => open,
            Action::LeaveView => state.views_state().scope().is_some(),
            Action::EditCell => state.centre() == Centre::Table && state.selected().is_some(),
            _ => true,
        }
    }
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
        key(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::P),
        When::Always,
        Action::Palette,
        "Command palette",
    ),
    entry(
        key(Modifiers::COMMAND, Key::K),
        When::Always,
        Action::Palette,
        "Command palette",
    ),
    entry(
        key(Modifiers::COMMAND, Key::T),
        When::Always,
        Action::Table,
        "Show the result as a table (again: the list)",
    ),
    entry(
        key(Modifiers::COMMAND, Key::G),
        When::Always,
        Action::Grid,
        "Show the result as cards (again: the list)",
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
        key(Modifiers::NONE, Key::ArrowLeft),
        When::NotTyping,
        Action::Left,
        "Previous card (in the grid)",
    ),
    entry(
        key(Modifiers::NONE, Key::ArrowRight),
        When::NotTyping,
        Action::Right,
        "Next card (in the grid)",
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
        "Edit the front matter (in the table or the grid: open the article)",
    ),
    entry(
        key(Modifiers::NONE, Key::F2),
        When::NotTyping,
        Action::EditCell,
        "Edit the first editable cell of the selected row (in the table)",
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
    // A table cell being typed counts as typing also in the frame its field gives up
    // the focus (Esc there cancels the cell, it does not clear the marks).
    let typing = ctx.text_edit_focused() || ui_state.table.editing.is_some();
    let draft_keys = !typing || ui_state.editor_has_focus;
    // The open palette has the keyboard (↑ ↓ Enter Esc are its own); only its own keys
    // close it.
    let palette = ui_state.palette.is_some();
    let pressed: Vec<Action> = ctx.input_mut(|i| {
        let mut pressed = Vec::new();
        for shortcut in SHORTCUTS {
            if palette && shortcut.action != Action::Palette {
                continue;
            }
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

/// Posts one step down moves: a row of cards in the grid, else one.
fn row_step(state: &AppState, ui_state: &UiState) -> i64 {
    if state.centre() == Centre::Grid {
        i64::try_from(ui_state.grid.columns.max(1)).unwrap_or(1)
    } else {
        1
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
        Action::Down => out.push(Command::MoveSelection(row_step(state, ui_state))),
        Action::Up => out.push(Command::MoveSelection(-row_step(state, ui_state))),
        Action::Left | Action::Right if state.centre() == Centre::Grid => {
            out.push(Command::MoveSelection(if action == Action::Left {
                -1
            } else {
                1
            }));
        }
        Action::Left | Action::Right => {}
        Action::First => out.push(Command::MoveSelection(i64::MIN / 2)),
        Action::Last => out.push(Command::MoveSelection(i64::MAX / 2)),
        Action::PageDown => out.push(Command::MoveSelection(
            PAGE_ROWS * row_step(state, ui_state),
        )),
        Action::PageUp => out.push(Command::MoveSelection(
            -PAGE_ROWS * row_step(state, ui_state),
        )),
        Action::EditFrontMatter if state.centre().replaces_list() => {
            if state.selected().is_some() {
                out.push(Command::ShowTable(false));
                out.push(Command::ShowGrid(false));
            }
        }
        Action::EditFrontMatter => {
            if state.open_post().is_some() {
                ui_state.focus_editor = true;
                if !ui_state.layout.is_some_and(|l| l.shows(Side::Editor)) {
                    out.extend(super::layout::toggle(Side::Editor, state, ui_state));
                }
            }
        }
        Action::Palette => {
            ui_state.palette = match ui_state.palette {
                Some(_) => None,
                None => Some((String::new(), 0)),
            };
        }
        Action::OpenPath => out.push(Command::ShowPathPrompt(true)),
        Action::Export => {
            // From the table, a table export has the table's columns.
            if state.centre() == Centre::Table {
                ui_state.export.columns = state
                    .table()
                    .columns
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(",");
            }
            out.push(Command::ShowExport(true));
        }
        Action::Insights => out.push(Command::ShowInsights(!state.shows_insights())),
        Action::Duplicates => out.push(Command::ShowDuplicates(
            state.centre() != crate::app::Centre::Duplicates,
        )),
        Action::Changes => out.push(Command::ShowChanges(
            state.centre() != crate::app::Centre::Changes,
        )),
        Action::History => out.push(Command::ShowHistory(true)),
        Action::Taxonomy => out.push(Command::ShowTaxonomy(true)),
        Action::UndoOperation => out.push(Command::UndoOperation(None)),
        Action::RedoOperation => out.push(Command::RedoOperation(None)),
        Action::RawSource => out.push(Command::ToggleRawSource),
        Action::Offline => out.push(Command::SetOffline(!state.settings.offline)),
        Action::Quit => out.push(Command::Quit),
        Action::Table => out.push(Command::ShowTable(state.centre() != Centre::Table)),
        Action::Grid => out.push(Command::ShowGrid(state.centre() != Centre::Grid)),
        Action::LeaveView => out.push(Command::LeaveView),
        Action::EditCell => {
            if state.centre() == Centre::Table
                && let Some(id) = state.selected()
            {
                super::table::edit_first_cell(state, ui_state, id);
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
    fn every_bound_action_has_a_name_and_names_are_unique() {
        for shortcut in SHORTCUTS {
            let moves = matches!(
                shortcut.action,
                Action::Down
                    | Action::Up
                    | Action::ExtendDown
                    | Action::ExtendUp
                    | Action::First
                    | Action::Last
                    | Action::PageDown
                    | Action::PageUp
                    | Action::Left
                    | Action::Right
            );
            assert!(
                moves || !shortcut.action.name().is_empty(),
                "{:?} has keys but no name",
                shortcut.action
            );
        }
        for (i, (a, name)) in ACTIONS.iter().enumerate() {
            for (b, other) in ACTIONS.iter().skip(i + 1) {
                assert!(a != b && name != other, "{a:?} / {b:?} listed twice");
            }
        }
    }

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
