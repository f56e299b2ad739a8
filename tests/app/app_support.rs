//! Shared set-up for the desktop-app tests: a temporary copy of `tests/fixtures/app`, so
//! tests may edit, drop and delete posts without touching the repository.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // test helpers may panic

use std::path::Path;

use egui_kittest::Harness;
use folio::app::FolioApp;
use folio::app::settings::Settings;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/app");

/// A temporary folder holding a copy of the app fixtures (`archive/_posts`, `other`).
pub fn copy_fixtures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURES), dir.path());
    dir
}

/// A temporary folder holding a copy of the folder `from` (another fixture archive).
pub fn copy_folder(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(from, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::write(&target, std::fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

/// Settings with offline mode on: the fixture posts point at real image hosts, and tests
/// make no network requests (images inside the archive still load). The disk is not
/// watched, so a test that changes a file behind the app's back decides when the app
/// learns of it (the watcher's own tests turn it on).
pub fn offline_settings() -> Settings {
    Settings {
        offline: true,
        watch_disk: false,
        ..Settings::default()
    }
}

/// Steps frames until the app has nothing running in the background (scan, loads,
/// saves, bulk runs, workers), then a few more so the screen shows the outcome.
pub fn settle(harness: &mut Harness<'_, FolioApp>) {
    for _ in 0..4000 {
        harness.step();
        if !harness.state().state().is_busy() {
            harness.run_steps(3);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the app stayed busy");
}
