//! Changing many posts at once, safely: the engine under the window's bulk editor, the
//! taxonomy manager, duplicates' "keep one" and `folio bulk`.
//!
//! A bulk edit is a [`Plan`] of [`Operation`]s (set, unset, add or remove a list item,
//! rename or merge items, find and replace, move, trash). It runs in three steps:
//!
//! 1. **Preview** ([`preview_with`]): every selected post is read and planned through
//!    the same editing model and lossless editor as a single edit; nothing is written.
//!    Each post changes, is already as asked, or is refused with its reason.
//! 2. **Apply** ([`apply`]): the operation is recorded in the archive's [`History`]
//!    (each file's old bytes stored before it is touched), then each file is written
//!    with the same atomic, locked replacement as a save; a file that changed since the
//!    preview is skipped and reported, never overwritten.
//! 3. **Undo / redo** ([`undo`], [`redo`]): the history survives restarts and crashes;
//!    an interrupted run is finished or rolled back by the next one.
//!
//! Nothing here knows about a window: the app and the CLI call the same functions.

mod drive;
mod history;
mod op;
mod paths;
mod plan;
mod summary;
mod taxonomy;

pub use drive::{DriveError, Report, apply, apply_parts, redo, undo};
pub use history::{
    History, HistoryError, MAX_BYTES, MAX_OPERATIONS, Operation as Recorded, State, Toward,
};
pub use op::Operation;
pub use paths::check_folder;
pub use plan::{
    Batch, Change, Outcome, Plan, Planned, Preview, Progress, preview, preview_batch, preview_with,
};
pub use summary::{KeySummary, Summary, summarize};
pub use taxonomy::{Variant, live_count, spelling_key, values_of, variants};
