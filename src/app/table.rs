//! The table and the card grid's side of the app: which columns the table shows, the
//! column the result is sorted by, and cell edits.
//!
//! The table, the grid and the list show one result in one order, `AppState::visible`:
//! a column sort is applied in [`AppState::requery`] over the index's order, so moving
//! with the keyboard, Shift+click ranges, Ctrl+A, bulk edits and export all follow what
//! the table shows. Sorting by `title`, `date`, `path` or `modified` is the index's own
//! sort (the list's sort menu shows it); any other column is sorted here with
//! [`crate::table::Ranks`], kept across queries so that typing in the search box
//! re-sorts by integers only; a save or a few posts changed on disk place only those
//! posts again (the catalog's change log says which).
//!
//! A cell edit is an edit of the post's draft followed by its save: the lossless
//! single-post path of the front-matter editor. A post that is not open yet is opened
//! first and the edit waits for it (and for a save already running). In the table every
//! edit is saved as it is made, so Undo and Redo there save too.

use crate::index::{ArticleId, SortKey};
use crate::table::{Column, DEFAULT_COLUMNS};

use super::command::Command;
use super::state::{AppState, Centre};

/// The table's choices.
#[derive(Clone, Debug)]
pub struct TableState {
    /// The columns shown, in order.
    pub columns: Vec<Column>,
    /// The column the result is sorted by when it is not one of the index's sort keys,
    /// and whether descending.
    pub sort: Option<(Column, bool)>,
    /// Ranks of every post by `sort`'s column, for the catalog generation they are of.
    ranks: Option<KeptRanks>,
    /// A cell edit waiting for its post to open or for its post's save to finish.
    pub(super) pending: Option<CellEdit>,
    /// Every column the archive's posts have, for the catalog generation they are of.
    available: Option<(u64, ColumnCounts)>,
}

impl Default for TableState {
    fn default() -> Self {
        Self {
            columns: ["title", "date", "categories", "author", "path"]
                .iter()
                .map(|n| Column::parse(n))
                .collect(),
            sort: None,
            ranks: None,
            pending: None,
            available: None,
        }
    }
}

impl TableState {
    /// The table with these columns (by name; none: the default columns).
    pub fn with_columns(names: &[String]) -> Self {
        let mut table = Self::default();
        if !names.is_empty() {
            table.columns = names.iter().map(|n| Column::parse(n)).collect();
        }
        table
    }
}

/// Every column the archive can show, with how many posts have a value.
type ColumnCounts = Vec<(Column, usize)>;

/// A typed cell, to be applied to its post's draft.
#[derive(Clone, Debug, PartialEq)]
pub struct CellEdit {
    pub id: ArticleId,
    pub column: Column,
    pub text: String,
}

/// Ranks of every post by the sort column, and the catalog generation they are of.
#[derive(Clone, Debug)]
struct KeptRanks {
    ranks: crate::table::Ranks,
    generation: u64,
}

/// A column the index sorts by itself.
pub fn index_sort(column: &Column) -> Option<SortKey> {
    Some(match column {
        Column::Title => SortKey::Title,
        Column::Date => SortKey::Date,
        Column::Path => SortKey::Path,
        Column::Modified => SortKey::Modified,
        _ => return None,
    })
}

impl AppState {
    pub fn table(&self) -> &TableState {
        &self.table
    }

    /// The column the result is sorted by, and whether descending: a column sort, or
    /// the index's sort when it is a column.
    pub fn sorted_column(&self) -> Option<(Column, bool)> {
        if let Some(sort) = &self.table.sort {
            return Some(sort.clone());
        }
        let column = match self.query.sort {
            SortKey::Title => Column::Title,
            SortKey::Date => Column::Date,
            SortKey::Path => Column::Path,
            SortKey::Modified => Column::Modified,
            SortKey::Source | SortKey::Relevance => return None,
        };
        Some((column, self.query.descending))
    }

    /// Whether the columns were counted since the archive last changed.
    pub fn columns_counted(&self) -> bool {
        let generation = self.catalog.generation();
        self.table
            .available
            .as_ref()
            .is_some_and(|(at, _)| *at == generation)
    }

    /// Counts every column the table can show, when the archive changed since they were
    /// counted: asked for by the open Columns menu, so a save does not pay for it. While
    /// a scan runs, counts once and then waits for the end.
    pub(super) fn count_columns(&mut self) {
        if self.columns_counted() || (self.is_scanning() && self.table.available.is_some()) {
            return;
        }
        let generation = self.catalog.generation();
        let catalog = &self.catalog;
        let columns = crate::table::available(
            (0..catalog.id_count())
                .filter_map(|i| ArticleId::try_from(i).ok())
                .filter(|&id| catalog.contains(id))
                .filter_map(|id| catalog.article(id)),
        );
        self.table.available = Some((generation, columns));
    }

    /// The columns last counted, without counting (for drawing).
    pub fn counted_columns(&self) -> Option<&[(Column, usize)]> {
        self.table.available.as_ref().map(|(_, c)| c.as_slice())
    }

    /// Sorts the result by `column` (`None`: back to the index's sort).
    pub(super) fn sort_by_column(&mut self, sort: Option<(Column, bool)>) {
        match sort {
            Some((column, descending)) => match index_sort(&column) {
                Some(key) => {
                    self.table.sort = None;
                    self.set_sort(key, descending);
                }
                None => {
                    self.table.sort = Some((column, descending));
                    self.requery();
                }
            },
            None => {
                self.table.sort = None;
                self.requery();
            }
        }
    }

    /// Orders `visible` by the column sort, if there is one: stable, so posts with
    /// equal values keep the index's order.
    pub(super) fn apply_column_sort(&mut self, visible: &mut [ArticleId]) {
        let Some((column, descending)) = self.table.sort.clone() else {
            return;
        };
        let generation = self.catalog.generation();
        // While a scan delivers posts, the ranks wait for its end (posts not ranked yet
        // come last meanwhile) rather than ranking every post again each batch.
        let scanning = self.is_scanning();
        let catalog = &self.catalog;
        let kept = match &mut self.table.ranks {
            Some(kept) if kept.ranks.column() == &column => {
                kept.generation == generation
                    || scanning
                    || Self::rerank_changed(kept, catalog, generation)
            }
            _ => false,
        };
        if !kept {
            self.table.ranks = Some(KeptRanks {
                ranks: crate::table::Ranks::new(catalog.id_count(), &column, |id| {
                    catalog.article(id)
                }),
                generation,
            });
        }
        if let Some(kept) = &self.table.ranks {
            kept.ranks.sort(visible, descending);
        }
    }

    /// Places again only the posts changed since the ranks were made (a save, a few
    /// posts changed on disk); false when too many changed or the catalog cannot say.
    fn rerank_changed(kept: &mut KeptRanks, catalog: &super::catalog::Catalog, now: u64) -> bool {
        const FEW: usize = 1024;
        let Some(changed) = catalog.changed_since(kept.generation) else {
            return false;
        };
        if changed.len() > FEW {
            return false;
        }
        for &id in changed {
            let article = catalog.article(id).filter(|_| catalog.contains(id));
            if !kept.ranks.update(id, article) {
                return false;
            }
        }
        kept.generation = now;
        true
    }

    /// Shows `columns` in the table.
    pub(super) fn set_columns(&mut self, columns: Vec<Column>) {
        let mut seen = std::collections::HashSet::new();
        let columns: Vec<Column> = columns
            .into_iter()
            .filter(|c| seen.insert(c.clone()))
            .collect();
        self.table.columns = if columns.is_empty() {
            DEFAULT_COLUMNS.iter().map(|n| Column::parse(n)).collect()
        } else {
            columns
        };
        self.settings.table_columns = self
            .table
            .columns
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
    }

    /// Applies a typed cell to its post: now when the post is open and not saving,
    /// else once it is.
    pub(super) fn edit_cell(&mut self, edit: CellEdit) {
        let open_here = self.selection.open().is_some_and(|o| o.id == edit.id);
        if !open_here {
            self.table.pending = Some(edit.clone());
            let ctx = self.ctx_for_workers.clone();
            self.apply(Command::Select(edit.id), &ctx);
            return;
        }
        if self.selection.open().is_some_and(|o| o.saving) {
            self.table.pending = Some(edit);
            return;
        }
        let path = self.open_path_display();
        let Some(open) = self.selection.open_mut() else {
            return;
        };
        let Some(draft) = open.draft_mut() else {
            let why = match &open.editor {
                super::state::Editor::NotEditable(why) => why.clone(),
                _ => "its front matter is broken; fix it in the front-matter panel".to_owned(),
            };
            self.error(format!("Cannot edit the cell: {why}: {path}"));
            return;
        };
        let mut fields = draft.current().clone();
        match crate::table::edit_cell(&mut fields, &edit.column, &edit.text) {
            Ok(()) if fields == *draft.current() => {}
            Ok(()) => {
                draft.edit(fields);
                self.save(false, None);
            }
            Err(e) => self.error(format!("Cannot edit the cell, {e}: {path}")),
        }
    }

    /// Runs the cell edit that waited for `id` to open or to finish saving.
    pub(super) fn run_pending_cell(&mut self) {
        let Some(pending) = &self.table.pending else {
            return;
        };
        match self.selection.id() {
            Some(id) if id == pending.id => {
                let ready = self.selection.open().is_some_and(|o| !o.saving);
                if ready && let Some(edit) = self.table.pending.take() {
                    self.edit_cell(edit);
                }
            }
            // Another post was chosen (or the unsaved prompt was cancelled).
            _ if !matches!(self.dialog, Some(super::state::Dialog::Unsaved { .. })) => {
                self.table.pending = None;
            }
            _ => {}
        }
    }

    /// In the table every edit is saved as it is made: after an undo or redo of the
    /// open post's draft there, save it.
    pub(super) fn save_if_table(&mut self) {
        if self.centre == Centre::Table && self.is_dirty() {
            self.save(false, None);
        }
    }
}
