//! Opening an archive seen before: the list comes from the scan cache at once, then
//! the files are checked and what changed while Folio was closed is taken in.

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::{AppDirs, FolioApp};

use crate::app_support::{self, settle};

const BEIJING: &str = "0！北京连续3日无新增新冠肺炎确诊病例";
const ZHONGCHANG: &str = "00后涌向中厂";

fn harness(root: &Path, cache: &Path) -> Harness<'static, FolioApp> {
    let root = root.to_owned();
    let dirs = AppDirs {
        scan_cache: Some(cache.to_owned()),
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

/// The post file whose title line is `title: <title>` (quoted or not).
fn post_titled(root: &Path, title: &str) -> PathBuf {
    walk(root)
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(p).is_ok_and(|text| {
                text.lines()
                    .any(|l| l.starts_with("title:") && l.contains(title))
            })
        })
        .unwrap_or_else(|| panic!("no post titled {title}"))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn reopening_lists_from_the_cache_and_takes_in_what_changed_while_closed() {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let cache = tempfile::tempdir().unwrap();

    let first = harness(&root, cache.path());
    first.get_by_label("4 of 4");
    first.get_by_label_contains("read in");
    drop(first);
    assert_eq!(
        std::fs::read_dir(cache.path()).unwrap().count(),
        1,
        "one cache file"
    );

    // While Folio is closed: one post retitled, one deleted, one added.
    let beijing = post_titled(&root, BEIJING);
    let text = std::fs::read_to_string(&beijing).unwrap();
    std::fs::write(&beijing, text.replacen(BEIJING, "北京今日无新增", 1)).unwrap();
    std::fs::remove_file(post_titled(&root, ZHONGCHANG)).unwrap();
    let added = beijing.with_file_name("新来的.md");
    std::fs::write(
        &added,
        "---\ntitle: 关机时写的新文章\ndate: 2021-06-18 09:00:00\n---\n<p>正文</p>\n",
    )
    .unwrap();

    let second = harness(&root, cache.path());
    second.get_by_label_contains("listed in");
    second.get_by_label("4 of 4");
    second.get_by_role_and_label(Role::Button, "北京今日无新增");
    second.get_by_role_and_label(Role::Button, "关机时写的新文章");
    assert!(second.query_by_label(BEIJING).is_none());
    assert!(second.query_by_label(ZHONGCHANG).is_none());
}

#[test]
fn a_damaged_cache_is_rebuilt_from_the_files() {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let cache = tempfile::tempdir().unwrap();
    drop(harness(&root, cache.path()));
    let file = std::fs::read_dir(cache.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&file, b"FOLIOSCN not a cache at all").unwrap();

    let again = harness(&root, cache.path());
    again.get_by_label("4 of 4");
    again.get_by_label_contains("read in");
    drop(again);
    // Written afresh: the third opening lists from it.
    let third = harness(&root, cache.path());
    third.get_by_label_contains("listed in");
    third.get_by_label("4 of 4");
}
