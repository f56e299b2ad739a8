//! The `Command` enum: everything the UI asks the app to do.
//!
//! Panels never touch the archive, the catalog or the draft directly: they push a
//! `Command` and [`super::logic`] applies them after the frame, in order. This keeps
//! drawing free of side effects (a widget can be drawn twice in one frame without
//! doing anything twice) and gives tests and the unsaved-changes prompt one place to
//! intercept actions.

use std::path::PathBuf;

use super::catalog::ArticleId;
use crate::fields::Fields;
use crate::index::SortKey;

/// A request from the UI, applied by [`super::logic::apply`].
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Ask for a folder with the native dialog (on a worker thread).
    PickFolder,
    /// Open an archive folder; a path to a post opens its archive with the post selected.
    OpenPath(PathBuf),
    /// Scan the current archive again (F5).
    Rescan,
    CancelScan,
    /// Select a post by its position in the catalog.
    Select(ArticleId),
    /// Move the selection by this many rows in the visible list.
    MoveSelection(i64),
    SetSearch(String),
    SetSearchBodies(bool),
    SetSort(SortKey, bool),
    /// Filter on a category path prefix (empty clears).
    SetCategoryFilter(Vec<String>),
    SetAuthorFilter(Option<String>),
    SetYearFilter(Option<i32>),
    SetOnlyProblems(bool),
    ToggleFacets,
    /// Offline mode for images on or off.
    SetOffline(bool),
    ToggleRawSource,
    SetTheme(super::settings::ThemeChoice),
    /// Replace the draft of post `id` with new field values (one undo step); ignored
    /// when another post is open by the time it is applied.
    EditDraft {
        id: ArticleId,
        fields: Fields,
    },
    Undo,
    Redo,
    Save,
    /// Save even though the file changed on disk.
    SaveOverwrite,
    Revert,
    /// Reload the open post from disk, dropping the draft (the changed-on-disk answer,
    /// so it does not ask about unsaved edits again).
    Reload,
    /// Ask to move the open post to the trash.
    AskDelete,
    /// Move the open post to the trash (after confirmation).
    Delete,
    OpenUrl(String),
    DismissError(usize),
    /// Answer to the unsaved-changes prompt.
    ResolveUnsaved(UnsavedChoice),
    /// Close the open dialog without doing anything.
    CloseDialog,
    /// Close the window (after the unsaved-changes check).
    Quit,
}

/// The three answers to "save your changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    Save,
    Discard,
    Cancel,
}

impl Command {
    /// Commands that leave the open post and so must ask about unsaved edits first.
    pub fn leaves_post(&self) -> bool {
        matches!(
            self,
            Command::Select(_)
                | Command::MoveSelection(_)
                | Command::OpenPath(_)
                | Command::Rescan
                | Command::Quit
        )
    }
}
