//! Folio: a native desktop archive manager for static-site post archives.
pub mod app;
pub mod archive;
pub mod cli;
pub mod ui;
