//! Folio: a native desktop archive manager for static-site post archives.
//!
//! The egui-free core (`archive`, `clean`, `index`, `thumbs`) is shared by the desktop app
//! and the `folio` command line.
pub mod archive;
pub mod clean;
pub mod cli;
pub mod index;
pub mod thumbs;
