//! Reading post archives without loss: scanning folders, decoding text, splitting and
//! parsing front matter; and writing edits back without changing any byte the editor
//! did not change (`edit`: lossless front-matter edits, `save`: crash-safe saves).
//!
//! Everything here works on plain data and never touches a UI. A scan keeps one
//! [`Article`] per post (metadata, typed front matter, byte spans and problems) and never
//! the whole text, so that 100,000 posts fit comfortably in memory; [`load_post`] reads a
//! post's text when it is opened. Bad input never aborts anything: it becomes a
//! [`Problem`] attached to the post or to the scan.

mod date;
mod edit;
mod front;
mod image_ref;
mod limits;
mod post;
mod problem;
mod save;
mod scan;
mod scan_cache;
mod shared_toml;
mod split;
mod stamp;
mod text;
mod write;

pub use date::{DateValue, parse_date};
pub use edit::{Edit, EditError, ScalarValue, apply_edits, check_editable, format_like};
pub use front::{
    AliasedKey, FrontMatter, Value as FrontValue, compact, display_text, entries, key_line,
};
pub use image_ref::ImageRef;
pub use post::{
    Article, DEFAULT_MAX_FILE_BYTES, HEAD_BYTES, Post, inspect_head, inspect_post, load_post,
    parse_bytes, slash_path,
};
pub use problem::{Problem, ProblemKind, Severity};
pub use save::{SaveError, SaveMode, lock_post, save_post, save_post_locked, save_post_with_hooks};
pub use scan::{
    Archive, DiskChanges, POST_EXTENSIONS, PathProblem, ReadScope, ScanError, ScanOptions,
    ScanProgress, changes_since, is_post_path, locate_post, locate_posts_folder, scan, scan_with,
};
pub use scan_cache::{CacheMiss, ScanCache, encode_chunk};
pub use shared_toml::{SharedToml, SharedTomlError};
pub use split::{FrontMatterKind, Layout, line_of, split};
pub use stamp::FileStamp;
pub use text::{
    Decoded, LineEnding, TextEncoding, decode, decode_owned, encode, is_han, looks_binary,
};
pub use write::{
    DirSync, Expect, Fingerprint, FolderLock, Replaced, SaveHooks, WriteError, move_file,
    remove_pending_temps, replace_file, sync_dir, write_shared_file, write_target,
};
