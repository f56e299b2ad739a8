//! Folio: a native desktop archive manager for static-site post archives.
//!
//! The egui-free core (`archive`, `clean`, `index`, `thumbs`) is shared by the desktop app
//! (`app`, `ui`) and the `folio` command line.
pub mod app;
pub mod archive;
pub mod clean;
pub mod cli;
pub mod index;
pub mod thumbs;
pub mod ui;
