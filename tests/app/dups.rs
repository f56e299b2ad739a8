//! The Duplicates view in the real app, driven through egui_kittest on a copy of the app
//! fixtures plus a copy of one post in another folder: the group is found and shown with
//! its texts compared, "keep one" merges the copy's categories and tags into the kept post
//! and trashes the copy as one operation that one Undo reverts, and "not duplicates" is
//! saved with the archive and still holds after a restart.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use app_support::settle;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::{AppDirs, FolioApp};

const ORIGINAL: &str = "新媒体/9To5/9To5 分站/Apple Maps now says Crimea is part of Ukraine – except if you’re in Russia.md";
const COPY: &str = "转载/apple-maps.md";

struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    history: PathBuf,
    cache: PathBuf,
}

/// The app fixtures with the Apple Maps post copied into `转载/`: other categories, a
/// tag, a later date, the same body.
fn setup() -> Setup {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let original = std::fs::read_to_string(root.join(ORIGINAL)).unwrap();
    let copy = original
        .replace(
            "categories: \n - 新媒体\n - 9To5\n - 9To5 分站\n",
            "categories: \n - 转载\n - 科技\ntags: \n - Apple\n",
        )
        .replace(
            "Thu, 03 Mar 2022 23:05:38 GMT",
            "Fri, 04 Mar 2022 08:00:00 GMT",
        );
    assert_ne!(copy, original, "the fixture's front matter changed");
    std::fs::create_dir_all(root.join("转载")).unwrap();
    std::fs::write(root.join(COPY), copy).unwrap();
    Setup {
        history: dir.path().join("history"),
        cache: dir.path().join("dups-cache"),
        _dir: dir,
        root,
    }
}

fn harness(setup: &Setup) -> Harness<'static, FolioApp> {
    let root = setup.root.clone();
    let dirs = AppDirs {
        thumb_cache: None,
        history: Some(setup.history.clone()),
        dups_cache: Some(setup.cache.clone()),
        ..AppDirs::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            FolioApp::with_dirs(
                &cc.egui_ctx,
                app_support::offline_settings(),
                Some(root),
                dirs,
            )
        });
    settle(&mut harness);
    harness
}

fn open_view(harness: &mut Harness<'_, FolioApp>) {
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::CheckBox, "Duplicates")
        .click();
    harness.run_steps(2);
    settle(harness);
}

fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_view_shows_the_group_and_compares_the_texts() {
    let s = setup();
    let mut harness = harness(&s);
    open_view(&mut harness);
    harness.get_by_label("2 posts with the same cleaned text");
    harness.get_by_label("1 group · 2 posts");
    // Both members are listed by path; the earlier one is kept.
    harness.get_by_label(COPY);
    let kept = harness.state().state().dups().kept().unwrap();
    let group = harness.state().state().dups().group().unwrap().clone();
    assert_eq!(group.members[kept].path, Path::new(ORIGINAL));
    harness.get_by_label("The two cleaned texts are the same.");
    harness.get_by_label(&format!("Kept: {ORIGINAL}"));
    harness.get_by_label(&format!("Other: {COPY}"));
    // Picking the copy by hand makes it the kept one.
    harness
        .get_by_role_and_label(Role::RadioButton, &format!("Keep {COPY}"))
        .click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label(&format!("Kept: {COPY}"));
    assert!(harness.state().state().dups().is_picked());
}

#[test]
fn keep_one_merges_the_copys_categories_trashes_it_and_one_undo_restores_both() {
    let s = setup();
    let before = snapshot(&s.root);
    let original_before = std::fs::read_to_string(s.root.join(ORIGINAL)).unwrap();
    let mut harness = harness(&s);
    open_view(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "Keep one…")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("2 files change · 0 already as asked · 0 refused");
    // Nothing is written before Apply.
    assert_eq!(snapshot(&s.root), before);
    harness
        .get_by_role_and_label(Role::Button, "Apply to 2 posts")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    assert!(!s.root.join(COPY).exists(), "the copy went to the trash");
    let kept = std::fs::read_to_string(s.root.join(ORIGINAL)).unwrap();
    // The copy's categories and tag were added; every other byte stayed.
    assert!(
        kept.contains(" - 9To5 分站\n - 转载\n - 科技\n"),
        "categories merged: {kept}"
    );
    assert!(kept.contains("Apple"), "tag merged: {kept}");
    assert_eq!(
        kept.lines()
            .filter(|l| !original_before.contains(*l))
            .count(),
        kept.lines().count() - original_before.lines().count(),
        "only lines were added: {kept}"
    );
    harness.get_by_label("No duplicates in this archive.");
    // The list no longer has the copy.
    let ops = harness.state().state().operations().to_vec();
    assert_eq!(ops.len(), 1, "one operation in the history");
    // One Undo brings back both files, byte for byte, and the group.
    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run_steps(1);
    settle(&mut harness);
    assert_eq!(snapshot(&s.root), before);
    harness.get_by_label("2 posts with the same cleaned text");
}

#[test]
fn not_duplicates_is_saved_in_the_archive_and_holds_after_a_restart() {
    let s = setup();
    {
        let mut harness = harness(&s);
        open_view(&mut harness);
        harness
            .get_by_role_and_label(Role::Button, "Not duplicates")
            .click();
        harness.run_steps(1);
        settle(&mut harness);
        harness.get_by_label("No duplicates in this archive.");
    }
    let list = std::fs::read_to_string(s.root.join(".folio/dups-exempt.toml")).unwrap();
    assert!(list.contains(COPY) && list.contains(ORIGINAL), "{list}");
    // A new window on the same archive (a colleague's, after a restart) keeps them apart.
    let mut harness = harness(&s);
    open_view(&mut harness);
    harness.get_by_label("No duplicates in this archive.");
}
