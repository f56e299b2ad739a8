//! The `folio` command line run as the real binary on temporary copies of fixture
//! archives. One test binary for all commands, so the library is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

#[path = "../dups_support/mod.rs"]
mod dups_support;

mod bulk;
mod clean;
mod desktop;
mod dups;
mod export;
mod hostile;
mod list_check;
mod search;
mod set;
mod stats;
