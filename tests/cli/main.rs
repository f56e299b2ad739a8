//! The `folio` command line run as the real binary on temporary copies of fixture
//! archives. One test binary for all commands, so the library is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

#[path = "../dups_support/mod.rs"]
mod dups_support;

/// Copies the folder `from` into `to`, recursively.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

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
