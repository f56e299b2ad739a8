//! Folio: a native desktop archive manager for static-site post archives.
//!
//! The egui-free core (`archive`, `fields`, `bulk`, `clean`, `index`, `insights`,
//! `thumbs`) is shared by the desktop app (`app`, `ui`, behind the default `gui` feature)
//! and the `folio` command line. Building with `--no-default-features` leaves egui out
//! entirely, so the compiler checks that no core module depends on the window.
#[cfg(feature = "gui")]
pub mod app;
pub mod archive;
pub mod bulk;
pub mod clean;
pub mod cli;
pub mod dups;
pub mod export;
pub mod fields;
pub mod fulltext;
pub mod git;
pub mod index;
pub mod insights;
pub mod table;
pub mod thumbs;
#[cfg(feature = "gui")]
pub mod ui;
pub mod views;
pub mod watch;
