//! Folio: a native desktop archive manager for static-site post archives.
pub mod archive;
pub mod thumbs;
