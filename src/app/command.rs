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
    /// Show or hide the in-window field for typing a folder's path.
    ShowPathPrompt(bool),
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
    /// Sort the result by a table column, descending when `true` (`None`: by the
    /// list's sort again).
    SortByColumn(Option<(crate::table::Column, bool)>),
    /// The table's columns, in order.
    SetColumns(Vec<crate::table::Column>),
    /// Count the columns the table can offer (the Columns menu is open).
    CountColumns,
    /// A cell of the table was typed: edit that key of the post and save it.
    EditCell(super::table::CellEdit),
    /// Show or hide the table (it takes the list's and the article's place).
    ShowTable(bool),
    /// Show or hide the card grid (it takes the list's and the article's place).
    ShowGrid(bool),
    /// Leave the saved view the list is inside of: every post again.
    LeaveView,
    /// Filter on a category path prefix (empty clears).
    SetCategoryFilter(Vec<String>),
    SetAuthorFilter(Option<String>),
    SetYearFilter(Option<i32>),
    SetOnlyProblems(bool),
    ToggleFacets,
    /// Show or hide the front-matter editor panel.
    ToggleEditor,
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
    /// Replace the broken front matter of post `id`, edited as text.
    EditRaw {
        id: ArticleId,
        text: String,
    },
    Undo,
    Redo,
    Save,
    /// Save even though the file changed on disk.
    SaveOverwrite,
    /// Apply the draft's changes onto the file's new version (it changed on disk).
    KeepBoth,
    /// In a merge, take the editor's value of this key over the file's.
    TakeMine(String),
    Revert,
    /// Reload the open post from disk, dropping the draft (the changed-on-disk answer,
    /// so it does not ask about unsaved edits again).
    Reload,
    /// Ask to move the open post to the trash.
    AskDelete,
    /// Move the open post to the trash (after confirmation).
    Delete,
    OpenUrl(String),
    /// Open the folder of this post (relative to the root) in the file manager.
    ShowInFolder(PathBuf),
    DismissError(usize),
    /// Answer to the unsaved-changes prompt.
    ResolveUnsaved(UnsavedChoice),
    /// Close the open dialog without doing anything.
    CloseDialog,
    /// Close the window (after the unsaved-changes check).
    Quit,
    /// Change which posts are marked for a bulk edit.
    Mark(MarkAction),
    /// Preview a bulk plan on `scope`; nothing is written.
    BulkPreview {
        plan: crate::bulk::Plan,
        scope: Scope,
    },
    /// Apply the previewed plan.
    BulkApply,
    /// Stop the preview or the run (files already written stay; undo restores them).
    BulkCancel,
    /// Close a finished preview without applying it.
    BulkClose,
    /// Undo an operation of the history (`None`: the latest applied one).
    UndoOperation(Option<u64>),
    /// Redo an operation of the history (`None`: the latest undone one).
    RedoOperation(Option<u64>),
    /// Show or hide the operation history window.
    ShowHistory(bool),
    /// Show or hide the taxonomy manager.
    ShowTaxonomy(bool),
    /// Hide the notice in the status bar.
    DismissNotice,
    /// Show or hide the Insights view (it takes the article's place).
    ShowInsights(bool),
    /// Show or hide the Duplicates view (it takes the article's place); the first
    /// showing searches the archive.
    ShowDuplicates(bool),
    /// Search the archive for duplicates again.
    FindDuplicates,
    /// Show this group of the Duplicates view (by position).
    SelectDupGroup(usize),
    /// Choose the post to keep in each group by this rule.
    KeepRule(crate::dups::KeepRule),
    /// Keep this member of the shown group (picked by hand).
    PickKept(std::path::PathBuf),
    /// Compare this member of the shown group with the kept one.
    CompareWith(std::path::PathBuf),
    /// Preview keeping one post of the shown group: the others' categories and tags
    /// merged into it, the others moved to the trash.
    KeepOne,
    /// Save the shown group as not duplicates, for everyone opening the archive.
    NotDuplicates,
    /// Show the saved view at this position.
    ApplyView(usize),
    /// Save what the list shows as a view of this name (replacing one of that name).
    SaveView(String),
    RenameView(usize, String),
    DeleteView(usize),
    /// Move a view one place up (`-1`) or down (`1`).
    MoveView(usize, isize),
    /// Show or hide the export window.
    ShowExport(bool),
    /// Export the list's posts, or only the marked ones.
    Export {
        request: crate::export::ExportRequest,
        marked_only: bool,
    },
    CancelExport,
    /// Ask for the export's target with the native dialog (a folder when `folder`).
    ChooseExportPath {
        folder: bool,
        name: String,
    },
    /// The Insights view's period length and split.
    InsightsOptions(super::insights::InsightsChoice),
    /// Narrow the list to posts in this git state (the facet panel's "Changed"; `None`
    /// clears).
    SetChangeFilter(Option<crate::git::ChangeState>),
    /// Show or hide the Changes view (it takes the article's place).
    ShowChanges(bool),
    /// Run the git status again.
    RefreshChanges,
    /// Tick (`on`) or untick changed posts, by path, for the next commit.
    CheckChanges {
        paths: Vec<PathBuf>,
        on: bool,
    },
    /// Show the diff of this changed post against the last commit.
    ShowChange(PathBuf),
    SetCommitMessage(String),
    /// Commit the ticked posts with the message typed.
    Commit,
    /// Show or hide the open post's git history.
    ShowPostHistory(bool),
    /// Read the open post as it was at this commit, with its diff to the file.
    ChooseVersion(crate::git::CommitId),
    /// Make the chosen version the open post's unsaved edit.
    RestoreVersion,
}

/// A change of the marked posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkAction {
    /// Ctrl+click: add or remove one post.
    Toggle(ArticleId),
    /// Shift+click: the range from the anchor to this post.
    ExtendTo(ArticleId),
    /// Shift+↑/↓: move the cursor by this many rows, extending the range.
    ExtendBy(i64),
    /// Ctrl+A: every post of the current result.
    All,
    /// Esc: back to the open post alone.
    Clear,
}

/// Which posts a bulk plan applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The marked posts.
    Marked,
    /// The posts matching a search.
    Query(String),
    /// The posts whose `key` holds any of `items` (the taxonomy manager's "every post
    /// with X").
    Having { key: String, items: Vec<String> },
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
                | Command::Mark(
                    MarkAction::Toggle(_)
                        | MarkAction::ExtendTo(_)
                        | MarkAction::ExtendBy(_)
                        | MarkAction::All
                )
        )
    }
}
