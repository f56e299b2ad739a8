//! Bulk curation in the real app, driven through egui_kittest on a copy of the app
//! fixtures with the operation history in a temporary folder: marking posts, the bulk
//! editor's summary, a preview, apply, Undo from the status bar, the history shared
//! with `folio bulk`, and the taxonomy manager's merge.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use app_support::settle;

use std::path::PathBuf;
use std::time::Duration;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::{AppDirs, FolioApp};

const BEIJING: &str = "0！北京连续3日无新增新冠肺炎确诊病例";
const ZHONGCHANG: &str = "00后涌向中厂";
const DAXUE: &str = "00后大学生进入职场 四大城市群最具吸引力";

struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    history: PathBuf,
}

fn setup() -> Setup {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let history = dir.path().join("history");
    Setup {
        _dir: dir,
        root,
        history,
    }
}

fn harness(setup: &Setup) -> Harness<'static, FolioApp> {
    let root = setup.root.clone();
    let history = setup.history.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            let dirs = AppDirs {
                thumb_cache: None,
                history: Some(history),
                dups_cache: None,
                ..AppDirs::default()
            };
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

fn click_row(harness: &mut Harness<'_, FolioApp>, title: &str, modifiers: Modifiers) {
    harness
        .get_by_role_and_label(Role::Button, title)
        .click_modifiers(modifiers);
    harness.run_steps(1);
    settle(harness);
}

#[test]
fn click_ctrl_click_shift_click_ctrl_a_and_esc_mark_posts() {
    let s = setup();
    let mut harness = harness(&s);
    click_row(&mut harness, BEIJING, Modifiers::NONE);
    assert_eq!(harness.state().state().marked().len(), 1);
    click_row(&mut harness, ZHONGCHANG, Modifiers::COMMAND);
    assert_eq!(harness.state().state().marked().len(), 2);
    harness.get_by_label("2 selected");
    harness.get_by_label("2 posts selected");
    // Ctrl+click again unmarks.
    click_row(&mut harness, ZHONGCHANG, Modifiers::COMMAND);
    assert_eq!(harness.state().state().marked().len(), 1);
    // Shift+click marks the range between.
    let visible = harness.state().state().visible().to_vec();
    click_row(&mut harness, DAXUE, Modifiers::SHIFT);
    let open = visible
        .iter()
        .position(|&id| Some(id) == harness.state().state().selected())
        .unwrap();
    let daxue = harness.state().state().marked().len();
    assert!(daxue >= 2, "a range from row {open}");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(2);
    assert_eq!(harness.state().state().marked().len(), 4);
    harness.get_by_label("4 posts selected");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().state().marked().len(), 1);
    assert!(harness.query_by_label("4 posts selected").is_none());
}

#[test]
fn the_bulk_editor_previews_applies_and_undoes_an_added_author() {
    let s = setup();
    let before: Vec<(PathBuf, Vec<u8>)> = snapshot(&s.root);
    let mut harness = harness(&s);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(2);
    // Every post has author; the summary shows the mixed values with counts.
    assert!(harness.query_all_by_label_contains("36kr (1)").count() >= 1);
    // The `author` row adds an author to every post (Enter in its field).
    harness
        .get_by_role_and_label(Role::TextInput, "Add author")
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Add author")
        .type_text("整理");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("4 files change · 0 already as asked · 0 refused");
    // The diff of the first file shows the new author; nothing is written yet.
    assert!(harness.query_all_by_label_contains("整理").count() >= 1);
    assert_eq!(snapshot(&s.root), before);
    harness
        .get_by_role_and_label(Role::Button, "Apply to 4 posts")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    let changed = snapshot(&s.root);
    assert_ne!(changed, before);
    for (path, bytes) in &changed {
        let text = String::from_utf8_lossy(bytes);
        assert!(text.contains("整理"), "{}: {text}", path.display());
    }
    harness.get_by_label("4 posts changed");
    // Undo from the status bar restores every byte.
    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run_steps(1);
    settle(&mut harness);
    assert_eq!(snapshot(&s.root), before);
    harness.get_by_label("4 posts restored");
    // The history knows both runs, as `folio history` would.
    let ops = harness.state().state().operations().to_vec();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].state, folio::bulk::State::Undone);
}

#[test]
fn the_taxonomy_manager_merges_spelling_variants() {
    let s = setup();
    // One post spells the site differently (case and a full-width letter).
    let post = s.root.join("新媒体/36kr/资讯/00后涌向中厂.md");
    let text = std::fs::read_to_string(&post)
        .unwrap()
        .replace(" - 36kr", " - 36Ｋr");
    std::fs::write(&post, text).unwrap();
    let extra = s.root.join("新媒体/36kr/资讯/另一篇.md");
    std::fs::write(
        &extra,
        "---\ntitle: 另一篇\ncategories:\n - 新媒体\n - 36kr\n - 资讯\n---\n正文\n",
    )
    .unwrap();
    let mut harness = harness(&s);
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness.get_by_label("Taxonomy…").click();
    harness.run_steps(3);
    settle(&mut harness);
    harness.get_by_label_contains("Probably the same");
    harness
        .get_by_role_and_label(Role::Button, "Merge into 36kr")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("1 file changes · 0 already as asked · 0 refused");
    harness
        .get_by_role_and_label(Role::Button, "Apply to 1 post")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    let text = std::fs::read_to_string(&post).unwrap();
    assert!(
        text.contains(" - 36kr\n") && !text.contains("36Ｋr"),
        "{text}"
    );
}

fn snapshot(root: &std::path::Path) -> Vec<(PathBuf, Vec<u8>)> {
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
fn a_run_over_many_posts_updates_the_whole_list_after_it() {
    let s = setup();
    // 600 more posts: the refresh after the run takes more than one frame's budget.
    let source = std::fs::read_to_string(s.root.join("新媒体/36kr/资讯/00后涌向中厂.md")).unwrap();
    let many = s.root.join("批量");
    std::fs::create_dir_all(&many).unwrap();
    for i in 0..600 {
        let text = source.replace("title: '00后涌向中厂'", &format!("title: '批量 {i}'"));
        std::fs::write(many.join(format!("{i:03}.md")), text).unwrap();
    }
    let mut harness = harness(&s);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "Add author")
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Add author")
        .type_text("整理");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(1);
    settle(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "Apply to 604 posts")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("604 posts changed");
    // Every post of the list is the file as it is now: the search finds all of them.
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .type_text("author:整理");
    harness.run_steps(2);
    settle(&mut harness);
    for _ in 0..50 {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(harness.state().state().visible().len(), 604);
}
