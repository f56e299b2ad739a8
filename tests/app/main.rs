//! The desktop app driven through egui_kittest on copies of small real archives: the
//! editor, bulk curation, duplicates, export, git, insights, thumbnails and the window.
//! One test binary for all of them, so the app and egui are linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod app_support;

mod bulk;
mod dups;
mod editor;
mod export;
mod git;
mod insights;
mod live;
mod reopen;
mod table;
mod thumbs;
mod ui;
