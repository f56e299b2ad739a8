//! Folio's git support on repositories the tests create: status of posts against HEAD,
//! committing a selection, a post's history, and `folio changes` as the real binary.
//! One test binary for all of them, so gix is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod cli_changes;
mod commit;
mod history;
mod status;
mod support;
