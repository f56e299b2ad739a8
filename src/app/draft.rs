//! The front-matter editor's draft: an undo stack over the core's [`Fields`].
//!
//! What a field is, how it is typed and which edits a change means all belong to
//! [`crate::fields`]; the draft only remembers the fields the post was loaded (or last
//! saved) with, the fields being edited, and the steps between. Every change is one
//! undo step, except typing in the same field within a second, which coalesces. The
//! history survives a save: undoing after a save brings back the saved-over values as
//! a new unsaved edit.

use std::time::{Duration, Instant};

use crate::fields::{FieldError, Fields};

/// The draft of the open post.
#[derive(Clone, Debug)]
pub struct Draft {
    original: Fields,
    current: Fields,
    undo: Vec<Fields>,
    redo: Vec<Fields>,
    last_edit: Option<(Instant, usize)>,
}

const COALESCE: Duration = Duration::from_secs(1);

impl Draft {
    pub fn new(fields: Fields) -> Self {
        Self {
            original: fields.clone(),
            current: fields,
            undo: Vec::new(),
            redo: Vec::new(),
            last_edit: None,
        }
    }

    /// The fields as the post on disk has them.
    pub fn original(&self) -> &Fields {
        &self.original
    }

    /// The fields being edited.
    pub fn current(&self) -> &Fields {
        &self.current
    }

    pub fn is_dirty(&self) -> bool {
        self.current != self.original
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The first field that cannot be saved, if any.
    pub fn first_error(&self) -> Option<FieldError> {
        self.current.first_error(&self.original)
    }

    /// Applies an edit from the UI as one undo step (typing in one field coalesces).
    pub fn edit(&mut self, fields: Fields) {
        if fields == self.current {
            return;
        }
        let changed_field = changed_index(&self.current, &fields);
        let now = Instant::now();
        let coalesce = matches!(
            (self.last_edit, changed_field),
            (Some((at, field)), Some(f)) if field == f && now.duration_since(at) < COALESCE
        );
        if !coalesce {
            self.undo.push(self.current.clone());
        }
        self.redo.clear();
        self.current = fields;
        self.last_edit = changed_field.map(|f| (now, f));
    }

    pub fn undo(&mut self) {
        if let Some(prev) = self.undo.pop() {
            self.redo.push(std::mem::replace(&mut self.current, prev));
            self.last_edit = None;
        }
    }

    pub fn redo(&mut self) {
        if let Some(next) = self.redo.pop() {
            self.undo.push(std::mem::replace(&mut self.current, next));
            self.last_edit = None;
        }
    }

    /// Back to the fields on disk, as one undo step.
    pub fn revert(&mut self) {
        if self.is_dirty() {
            self.edit(self.original.clone());
            self.last_edit = None;
        }
    }

    /// Forgets the edits (keeping the history): the answer "Discard".
    pub fn discard(&mut self) {
        self.revert();
    }

    /// The post was saved from `saved` (the fields as they were when the save started)
    /// and now reads back as `on_disk`. Edits made while the save ran stay unsaved.
    pub fn saved(&mut self, saved: &Fields, on_disk: Fields) {
        if self.current == *saved {
            self.current = on_disk.clone();
        }
        self.original = on_disk;
        self.last_edit = None;
    }
}

/// The one field that differs between `a` and `b`, when exactly one does.
fn changed_index(a: &Fields, b: &Fields) -> Option<usize> {
    if a.len() != b.len() {
        return None;
    }
    let mut diffs = a
        .iter()
        .zip(b.iter())
        .enumerate()
        .filter(|(_, (x, y))| x != y);
    let first = diffs.next().map(|(i, _)| i);
    if diffs.next().is_some() { None } else { first }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldValue;

    fn fields(title: &str) -> Fields {
        let mut f = Fields::default();
        f.set("title", FieldValue::Text(title.into()));
        f
    }

    #[test]
    fn undo_redo_and_dirty() {
        let mut d = Draft::new(fields("a"));
        assert!(!d.is_dirty());
        d.edit(fields("ab"));
        d.last_edit = None;
        d.edit(fields("abc"));
        assert!(d.is_dirty());
        d.undo();
        assert_eq!(d.current, fields("ab"));
        d.undo();
        assert!(!d.is_dirty());
        d.redo();
        assert_eq!(d.current, fields("ab"));
    }

    #[test]
    fn typing_in_one_field_coalesces() {
        let mut d = Draft::new(fields("a"));
        d.edit(fields("ab"));
        d.edit(fields("abc"));
        d.undo();
        assert_eq!(d.current, fields("a"));
    }

    #[test]
    fn the_history_survives_a_save() {
        let mut d = Draft::new(fields("a"));
        d.edit(fields("b"));
        let saved = d.current().clone();
        d.saved(&saved, fields("b"));
        assert!(!d.is_dirty());
        assert!(d.can_undo());
        d.undo();
        assert_eq!(d.current, fields("a"));
        assert!(d.is_dirty());
    }

    #[test]
    fn edits_made_during_a_save_stay_unsaved() {
        let mut d = Draft::new(fields("a"));
        d.edit(fields("b"));
        let saved = d.current().clone();
        d.last_edit = None;
        d.edit(fields("bc"));
        d.saved(&saved, fields("b"));
        assert!(d.is_dirty());
        assert_eq!(d.current, fields("bc"));
    }
}
