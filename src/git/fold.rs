//! Folding gix's two status layers into one state per path against HEAD.
//!
//! gix reports HEAD↔index changes and index↔work-tree changes as separate items, in any
//! order. [`Fold`] gathers both per repository path; [`Layers::state`] then answers "how
//! does this path differ from HEAD", asking for a hash of the work-tree file only where
//! the layers cannot tell; renames found by either layer are kept to be paired later.

use std::collections::{BTreeMap, HashMap};

use gix::ObjectId;
use gix::bstr::BString;
use gix::index::entry::Mode;
use gix::status;
use gix::status::index_worktree::{Item as WorktreeItem, RewriteSource};
use gix::status::plumbing::index_as_worktree::{Change, EntryStatus};

use super::ChangeState;

/// What the HEAD↔index diff said about a path.
#[derive(Clone, Copy, Debug)]
enum Staged {
    Added,
    Deleted { head: ObjectId },
    Modified { head: ObjectId },
}

/// What the index↔work-tree check said about a path.
#[derive(Clone, Copy, Debug)]
enum Worktree {
    /// The tracked file is gone from disk.
    Removed,
    /// The tracked file's stat data or content differ from its index entry (the content
    /// may still convert to the same blob: CRLF on disk, LF in git).
    Changed,
    /// Only the executable bit differs from the index entry.
    ModeChanged,
    /// The file is on disk but not (really) in the index: untracked or intent-to-add;
    /// its blob id when the rename tracker already hashed it.
    Present(Option<ObjectId>),
    /// The path has conflicting index entries.
    Conflict,
}

/// Both layers' word on one path. A missing layer means "no change in that layer".
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Layers {
    staged: Option<Staged>,
    worktree: Option<Worktree>,
    /// The index entry's id when the work-tree check named a tracked entry.
    index_id: Option<ObjectId>,
}

impl Layers {
    /// The state against HEAD; `worktree_id` hashes the file on disk when the layers
    /// alone cannot tell.
    pub(super) fn state(
        &self,
        worktree_id: impl FnOnce() -> Option<ObjectId>,
    ) -> Option<ChangeState> {
        use ChangeState::{Deleted, Modified, New};
        if let Some(Worktree::Conflict) = self.worktree {
            return Some(Modified);
        }
        let head = match self.staged {
            Some(Staged::Added) => None,
            Some(Staged::Deleted { head } | Staged::Modified { head }) => Some(head),
            // No staged change: the index entry is HEAD's, and a path the index does not
            // hold is not in HEAD either.
            None => match self.worktree {
                Some(Worktree::Present(_)) => None,
                _ => self.index_id,
            },
        };
        match (head, self.worktree) {
            (None, Some(Worktree::Removed)) => None,
            (None, Some(_)) => Some(New),
            (None, None) => matches!(self.staged, Some(Staged::Added)).then_some(New),
            (Some(_), Some(Worktree::Removed)) => Some(Deleted),
            (Some(_), None) => match self.staged {
                Some(Staged::Deleted { .. }) => Some(Deleted),
                Some(_) => Some(Modified),
                None => None,
            },
            (Some(_), Some(Worktree::ModeChanged)) => Some(Modified),
            (Some(head), Some(Worktree::Present(Some(id)))) => (id != head).then_some(Modified),
            (Some(head), Some(_)) => (worktree_id() != Some(head)).then_some(Modified),
        }
    }
}

/// The status items gathered per repository path, with the renames gix found.
#[derive(Default)]
pub(super) struct Fold {
    pub(super) paths: BTreeMap<BString, Layers>,
    /// Rename destination → source, from either layer.
    rewrites: HashMap<BString, BString>,
}

impl Fold {
    pub(super) fn add(&mut self, item: status::Item) {
        match item {
            status::Item::TreeIndex(change) => self.add_staged(change),
            status::Item::IndexWorktree(item) => self.add_worktree(item),
        }
    }

    fn add_staged(&mut self, change: gix::diff::index::Change) {
        use gix::diff::index::ChangeRef;
        match change {
            ChangeRef::Addition {
                location,
                entry_mode,
                ..
            } if is_file(entry_mode) => self.layers(&location).staged = Some(Staged::Added),
            ChangeRef::Deletion {
                location,
                entry_mode,
                id,
                ..
            } if is_file(entry_mode) => {
                self.layers(&location).staged = Some(Staged::Deleted {
                    head: id.into_owned(),
                });
            }
            ChangeRef::Modification {
                location,
                previous_entry_mode,
                previous_id,
                entry_mode,
                ..
            } => {
                // A post replaced by a submodule (or back) is a deletion (or an addition).
                let staged = match (is_file(previous_entry_mode), is_file(entry_mode)) {
                    (true, true) => Staged::Modified {
                        head: previous_id.into_owned(),
                    },
                    (true, false) => Staged::Deleted {
                        head: previous_id.into_owned(),
                    },
                    (false, true) => Staged::Added,
                    (false, false) => return,
                };
                self.layers(&location).staged = Some(staged);
            }
            ChangeRef::Rewrite {
                source_location,
                source_entry_mode,
                source_id,
                location,
                entry_mode,
                copy,
                ..
            } if is_file(source_entry_mode) && is_file(entry_mode) => {
                if !copy {
                    self.layers(&source_location).staged = Some(Staged::Deleted {
                        head: source_id.into_owned(),
                    });
                    self.rewrites
                        .insert(location.clone().into_owned(), source_location.into_owned());
                }
                self.layers(&location).staged = Some(Staged::Added);
            }
            _ => {}
        }
    }

    fn add_worktree(&mut self, item: WorktreeItem) {
        match item {
            WorktreeItem::Modification {
                entry,
                rela_path,
                status,
                ..
            } => {
                if !is_file(entry.mode) {
                    return;
                }
                let worktree = match status {
                    EntryStatus::Conflict { .. } => Worktree::Conflict,
                    EntryStatus::Change(Change::Removed) => Worktree::Removed,
                    EntryStatus::Change(Change::SubmoduleModification(_)) => return,
                    EntryStatus::Change(Change::Modification {
                        executable_bit_changed: true,
                        content_change: None,
                        ..
                    }) => Worktree::ModeChanged,
                    EntryStatus::Change(Change::Type { .. } | Change::Modification { .. }) => {
                        Worktree::Changed
                    }
                    EntryStatus::IntentToAdd => Worktree::Present(None),
                    EntryStatus::NeedsUpdate(_) => return,
                };
                let layers = self.layers(&rela_path);
                layers.worktree = Some(worktree);
                layers.index_id = Some(entry.id);
            }
            WorktreeItem::DirectoryContents { entry, .. } => {
                if is_untracked_file(&entry) {
                    self.layers(&entry.rela_path).worktree = Some(Worktree::Present(None));
                }
            }
            WorktreeItem::Rewrite {
                source,
                dirwalk_entry,
                dirwalk_entry_id,
                copy,
                ..
            } => {
                if !is_untracked_file(&dirwalk_entry) {
                    return;
                }
                if let RewriteSource::RewriteFromIndex {
                    source_entry,
                    source_rela_path,
                    ..
                } = source
                    && !copy
                    && is_file(source_entry.mode)
                {
                    let layers = self.layers(&source_rela_path);
                    layers.worktree = Some(Worktree::Removed);
                    layers.index_id = Some(source_entry.id);
                    self.rewrites
                        .insert(dirwalk_entry.rela_path.clone(), source_rela_path);
                }
                self.layers(&dirwalk_entry.rela_path).worktree =
                    Some(Worktree::Present(dirwalk_entry_id));
            }
        }
    }

    fn layers(&mut self, path: &[u8]) -> &mut Layers {
        self.paths.entry(BString::from(path)).or_default()
    }

    /// The deleted post a new post was renamed from, following a chain of renames
    /// (`git mv a b`, then `mv b c`) through paths that no longer differ from HEAD.
    pub(super) fn rename_source(
        &self,
        dest: &BString,
        states: &BTreeMap<BString, ChangeState>,
    ) -> Option<BString> {
        let mut current = dest;
        for _ in 0..8 {
            let source = self.rewrites.get(current)?;
            match states.get(source) {
                Some(ChangeState::Deleted) => return Some(source.clone()),
                Some(_) => return None,
                None => current = source,
            }
        }
        None
    }
}

/// True for index modes that hold a file (not a submodule or a sparse directory).
fn is_file(mode: Mode) -> bool {
    mode == Mode::FILE || mode == Mode::FILE_EXECUTABLE || mode == Mode::SYMLINK
}

/// True for an untracked file or symlink found by the walk (not a nested repository).
fn is_untracked_file(entry: &gix::dir::Entry) -> bool {
    use gix::dir::entry::{Kind, Status};
    entry.status == Status::Untracked && matches!(entry.disk_kind, Some(Kind::File | Kind::Symlink))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(byte: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[byte; 20])
    }

    fn state(
        staged: Option<Staged>,
        worktree: Option<Worktree>,
        index: Option<u8>,
    ) -> Option<ChangeState> {
        let layers = Layers {
            staged,
            worktree,
            index_id: index.map(id),
        };
        layers.state(|| Some(id(1)))
    }

    #[test]
    fn one_layer_alone_decides() {
        use ChangeState::{Deleted, Modified, New};
        assert_eq!(state(Some(Staged::Added), None, None), Some(New));
        assert_eq!(state(None, Some(Worktree::Present(None)), None), Some(New));
        assert_eq!(state(None, Some(Worktree::Removed), Some(1)), Some(Deleted));
        assert_eq!(
            state(Some(Staged::Deleted { head: id(1) }), None, None),
            Some(Deleted)
        );
        assert_eq!(
            state(Some(Staged::Modified { head: id(1) }), None, Some(2)),
            Some(Modified)
        );
        assert_eq!(
            state(None, Some(Worktree::ModeChanged), Some(1)),
            Some(Modified)
        );
        assert_eq!(
            state(None, Some(Worktree::Conflict), Some(1)),
            Some(Modified)
        );
    }

    #[test]
    fn the_work_tree_hash_settles_what_the_layers_cannot() {
        use ChangeState::Modified;
        // The work-tree file hashes to id(1) in these tests.
        assert_eq!(state(None, Some(Worktree::Changed), Some(1)), None);
        assert_eq!(
            state(None, Some(Worktree::Changed), Some(2)),
            Some(Modified)
        );
        assert_eq!(
            state(
                Some(Staged::Modified { head: id(1) }),
                Some(Worktree::Changed),
                Some(3)
            ),
            None
        );
        assert_eq!(
            state(
                Some(Staged::Deleted { head: id(2) }),
                Some(Worktree::Present(None)),
                None
            ),
            Some(Modified)
        );
        assert_eq!(
            state(
                Some(Staged::Deleted { head: id(3) }),
                Some(Worktree::Present(Some(id(3)))),
                None
            ),
            None
        );
    }

    #[test]
    fn added_then_deleted_from_disk_is_no_change() {
        assert_eq!(
            state(Some(Staged::Added), Some(Worktree::Removed), Some(1)),
            None
        );
    }
}
