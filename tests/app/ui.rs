//! The desktop app driven through egui_kittest on a copy of a small real archive:
//! opening, selecting, searching, dropping a folder, and the unsaved-changes prompt.
//! No display, GPU or network: kittest runs egui headless, and the bundled CJK font
//! (not system fonts) draws the Chinese text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use app_support::settle;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::FolioApp;

const BEIJING: &str = "0！北京连续3日无新增新冠肺炎确诊病例";
const ZHONGCHANG: &str = "00后涌向中厂";

/// A temporary copy of the fixtures: `(tempdir, archive root, other archive)`.
fn fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let other = dir.path().join("other");
    (dir, root, other)
}

fn harness(folder: Option<PathBuf>) -> Harness<'static, FolioApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            FolioApp::with_settings(&cc.egui_ctx, app_support::offline_settings(), folder)
        });
    settle(&mut harness);
    harness
}

/// Clicks the search box and types `text` into it.
fn type_search(harness: &mut Harness<'_, FolioApp>, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .type_text(text);
    harness.run_steps(2);
}

fn click_row(harness: &mut Harness<'_, FolioApp>, title: &str) {
    harness.get_by_role_and_label(Role::Button, title).click();
    harness.run_steps(1);
    settle(harness);
}

#[test]
fn opening_a_folder_lists_its_posts() {
    let (_dir, root, _) = fixture();
    let harness = harness(Some(root));
    harness.get_by_label("4 of 4");
    harness.get_by_role_and_label(Role::Button, BEIJING);
    harness.get_by_role_and_label(Role::Button, ZHONGCHANG);
}

#[test]
fn selecting_a_post_shows_its_title_and_body() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    click_row(&mut harness, BEIJING);
    let open = harness
        .state()
        .state()
        .open_post()
        .map(|o| o.post().article.path_display());
    assert_eq!(
        open.as_deref(),
        Some("金融/新浪财经/新浪财经－国內/0！北京连续3日无新增新冠肺炎确诊病例.md")
    );
    // The title is shown as a heading (besides the list row and the editor field).
    assert!(harness.query_all_by_label(BEIJING).count() >= 2);
    harness.get_by_label_contains("11月5日0时至24时，北京无新增本土确诊病例");
}

#[test]
fn keyboard_moves_through_the_list() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    harness.key_press(egui::Key::J);
    harness.run_steps(1);
    settle(&mut harness);
    let first = harness.state().state().visible().first().copied();
    assert_eq!(harness.state().state().selected(), first);
    // Keys still move the selection after a row was clicked (and so has focus).
    click_row(&mut harness, ZHONGCHANG);
    let clicked = harness.state().state().selected_row().unwrap();
    harness.key_press(egui::Key::ArrowUp);
    harness.run_steps(1);
    settle(&mut harness);
    assert_eq!(
        harness.state().state().selected_row(),
        Some(clicked.saturating_sub(1))
    );
    click_row(&mut harness, BEIJING);
    let clicked = harness.state().state().selected_row().unwrap();
    harness.key_press(egui::Key::ArrowDown);
    harness.run_steps(1);
    settle(&mut harness);
    let below = harness.state().state().visible().get(clicked + 1).copied();
    assert_eq!(
        harness.state().state().selected(),
        below.or(Some(harness.state().state().visible()[clicked]))
    );
}

#[test]
fn typing_in_search_narrows_the_list_and_the_count() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    type_search(&mut harness, "00后");
    harness.get_by_label("2 of 4");
    assert!(
        harness
            .query_by_role_and_label(Role::Button, BEIJING)
            .is_none()
    );
    harness.get_by_role_and_label(Role::Button, ZHONGCHANG);
}

#[test]
fn typing_a_field_query_narrows_the_list_and_the_count() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    type_search(&mut harness, "cat:金融");
    harness.get_by_label("1 of 4");
    harness.get_by_role_and_label(Role::Button, BEIJING);
    assert!(
        harness
            .query_by_role_and_label(Role::Button, ZHONGCHANG)
            .is_none()
    );
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_folder_opens() {
    let (_dir, _, other) = fixture();
    let mut harness = harness(None);
    harness.get_by_label("Open folder…");
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(other.clone())));
    harness.run_steps(1);
    settle(&mut harness);
    assert_eq!(harness.state().state().post_count(), 1);
    harness.get_by_label("1 of 1");
    harness.get_by_role_and_label(Role::Button, "10月制造业PMI为49.2");
}

#[test]
fn a_dropped_post_opens_its_archive_with_the_post_selected() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(None);
    let post = root.join("新媒体/36kr/资讯/00后涌向中厂.md");
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(post)));
    harness.run_steps(1);
    settle(&mut harness);
    let state = harness.state().state();
    assert_eq!(state.post_count(), 4);
    let open = state.open_post().map(|o| o.post().article.path_display());
    assert_eq!(open.as_deref(), Some("新媒体/36kr/资讯/00后涌向中厂.md"));
}

#[test]
fn switching_posts_with_unsaved_edits_asks_first() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    click_row(&mut harness, BEIJING);
    let field = harness.get_by_role_and_label(Role::TextInput, "title");
    field.click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .type_text("（更新）");
    harness.run_steps(2);
    assert!(harness.state().state().is_dirty());
    harness.get_by_role_and_label(Role::Label, "Front matter •");

    click_row(&mut harness, ZHONGCHANG);
    harness.get_by_label("Save your changes?");
    // Cancel keeps the post and the edit.
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run_steps(2);
    assert!(harness.query_by_label("Save your changes?").is_none());
    assert!(harness.state().state().is_dirty());

    click_row(&mut harness, ZHONGCHANG);
    harness
        .get_by_role_and_label(Role::Button, "Discard")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    let open = harness
        .state()
        .state()
        .open_post()
        .map(|o| o.post().article.front.display_title().into_owned());
    assert_eq!(open.as_deref(), Some(ZHONGCHANG));
    assert!(!harness.state().state().is_dirty());
}

#[test]
fn the_bodies_toggle_searches_post_text() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    type_search(&mut harness, "无症状感染者");
    harness.get_by_label("0 of 4");
    harness.get_by_label("Bodies").click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("1 of 4");
    harness.get_by_role_and_label(Role::Button, BEIJING);
}

#[test]
fn a_bodies_search_shows_a_snippet_around_the_match_in_the_row() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    harness.get_by_label("Bodies").click();
    harness.run_steps(1);
    type_search(&mut harness, "无症状感染者");
    settle(&mut harness);
    harness.get_by_label("1 of 4");
    let row = harness.get_by_role_and_label(Role::Button, BEIJING);
    let snippet = row.value().unwrap_or_default();
    assert!(snippet.contains("无症状感染者"), "{snippet:?}");
}

#[test]
fn the_relevance_sort_puts_the_best_body_match_first() {
    let (_dir, root, _) = fixture();
    let feed = root.join("新媒体/36kr/资讯");
    let post = |title: &str, date: &str, body: &str| {
        format!("---\ntitle: {title}\ndate: {date}\n---\n<p>{body}</p>\n")
    };
    std::fs::write(
        feed.join("a.md"),
        post(
            "新的一篇",
            "2023-01-02 08:00:00",
            "今天谈一次市场，别的都不谈了，只谈天气和饭菜",
        ),
    )
    .unwrap();
    std::fs::write(
        feed.join("b.md"),
        post("旧的一篇", "2020-01-02 08:00:00", "市场，市场，还是市场"),
    )
    .unwrap();
    let mut harness = harness(Some(root));
    harness.get_by_label("Bodies").click();
    harness.run_steps(1);
    type_search(&mut harness, "市场");
    settle(&mut harness);
    let first_title = |h: &Harness<'_, FolioApp>| {
        let s = h.state().state();
        s.visible()
            .first()
            .and_then(|&id| s.article(id))
            .map(|a| a.display_title().into_owned())
    };
    assert_eq!(
        first_title(&harness).as_deref(),
        Some("新的一篇"),
        "by date"
    );
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        folio::app::Command::SetSort(folio::index::SortKey::Relevance, true),
        &ctx,
    );
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(
        first_title(&harness).as_deref(),
        Some("旧的一篇"),
        "by relevance"
    );
}

#[test]
fn bodies_search_finds_text_not_markup() {
    // Regression: the body search matched the raw HTML, so `div` or `style` found every
    // scraped post by its markup.
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    harness.get_by_label("Bodies").click();
    harness.run_steps(1);
    type_search(&mut harness, "div");
    settle(&mut harness);
    harness.get_by_label("0 of 4");
}

#[test]
fn editing_the_title_and_saving_changes_only_the_title_line() {
    let (_dir, root, _) = fixture();
    let file = root.join("金融/新浪财经/新浪财经－国內/0！北京连续3日无新增新冠肺炎确诊病例.md");
    let before = std::fs::read_to_string(&file).unwrap();
    let mut harness = harness(Some(root));
    click_row(&mut harness, BEIJING);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .click();
    harness.run_steps(1);
    harness.key_press(egui::Key::End);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .type_text("（更新）");
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(1);
    settle(&mut harness);
    let errors: Vec<&str> = harness.state().state().errors().collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(!harness.state().state().is_dirty());
    harness.get_by_role_and_label(Role::Label, "Front matter");
    let after = std::fs::read_to_string(&file).unwrap();
    let expected = before.replacen(
        "title: '0！北京连续3日无新增新冠肺炎确诊病例'",
        "title: '0！北京连续3日无新增新冠肺炎确诊病例（更新）'",
        1,
    );
    assert_eq!(after, expected);
    // The list shows the new title.
    harness.get_by_role_and_label(Role::Button, "0！北京连续3日无新增新冠肺炎确诊病例（更新）");
}

#[test]
fn saving_over_a_file_changed_on_disk_asks_first() {
    let (_dir, root, _) = fixture();
    let file = root.join("新媒体/36kr/资讯/00后涌向中厂.md");
    let mut harness = harness(Some(root));
    click_row(&mut harness, ZHONGCHANG);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .click();
    harness.run_steps(1);
    harness.key_press(egui::Key::End);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .type_text("!");
    harness.run_steps(2);
    let outside = std::fs::read_to_string(&file)
        .unwrap()
        .replace("author: 36kr", "author: 别人");
    std::fs::write(&file, &outside).unwrap();
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(1);
    settle(&mut harness);
    let s = harness.state().state();
    assert_eq!(
        s.dialog(),
        Some(&folio::app::Dialog::ChangedOnDisk),
        "dirty {} errors {:?}",
        s.is_dirty(),
        s.errors().collect::<Vec<_>>()
    );
    // The modal fades in over a few frames before its text is exposed.
    harness.run_steps(4);
    harness.get_by_label("Changed on disk");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), outside);
    harness
        .get_by_role_and_label(Role::Button, "Reload")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    assert!(!harness.state().state().is_dirty());
    let authors = harness
        .state()
        .state()
        .open_post()
        .map(|o| o.post().article.front.authors.clone());
    assert_eq!(authors, Some(vec!["别人".to_owned()]));
}

#[test]
fn the_command_palette_finds_an_action_by_name_and_runs_it() {
    let (_dir, root, _) = fixture();
    let mut harness = harness(Some(root));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    // Every action is listed with its keys; typing narrows the list.
    harness.get_by_label("Export…");
    harness.get_by_label("Save the open post");
    harness
        .get_by_role_and_label(Role::TextInput, "Command")
        .type_text("dupl");
    harness.run_steps(2);
    assert!(harness.query_by_label("Export…").is_none());
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(
        harness.state().state().centre(),
        folio::app::Centre::Duplicates
    );
    // Ctrl+Shift+P opens it too, and Esc closes it without running anything.
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::P,
    );
    harness.run_steps(3);
    harness.get_by_role_and_label(Role::TextInput, "Command");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Command")
            .is_none()
    );
}

#[test]
fn a_saved_view_is_written_with_the_archive_listed_with_its_count_and_applied() {
    let (_dir, root, _) = fixture();
    let mut window = harness(Some(root.clone()));
    type_search(&mut window, "cat:金融");
    settle(&mut window);
    assert_eq!(window.state().state().visible().len(), 1);
    window
        .get_by_role_and_label(Role::Button, "Save current view…")
        .click();
    window.run_steps(2);
    window
        .get_by_role_and_label(Role::TextInput, "View name")
        .type_text("金融 only");
    window.run_steps(1);
    window
        .get_by_role_and_label(Role::Button, "Save view")
        .click();
    window.run_steps(2);
    settle(&mut window);
    let file = std::fs::read_to_string(root.join(".folio/views.toml")).unwrap();
    assert!(
        file.contains("name = \"金融 only\"") && file.contains("query = \"cat:金融\""),
        "{file}"
    );
    // In a new window, after the search is gone, a click on the view brings it back.
    drop(window);
    let mut harness = harness(Some(root.clone()));
    for _ in 0..20 {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(harness.state().state().visible().len(), 4);
    // Counts come once the window is idle (not while typing).
    for _ in 0..200 {
        if harness.query_by_label("金融 only  (1)").is_some() {
            break;
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.get_by_label("金融 only  (1)").click();
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(harness.state().state().visible().len(), 1);
    // The list is inside the view: the search box is the view's own, empty.
    assert_eq!(harness.state().state().query().text, "");
    assert_eq!(
        harness
            .state()
            .state()
            .views_state()
            .scope()
            .map(|s| s.name.as_str()),
        Some("金融 only")
    );
}

#[test]
fn a_malformed_views_file_is_reported_with_its_name_and_left_alone() {
    let (_dir, root, _) = fixture();
    let file = root.join(".folio/views.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "[[view]]\nquery = \"no name\"\n").unwrap();
    let mut harness = harness(Some(root.clone()));
    settle(&mut harness);
    assert!(
        harness
            .query_all_by_label_contains("view 1: `name` is missing")
            .count()
            >= 1
    );
    assert!(harness.query_by_label("Save current view…").is_none());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "[[view]]\nquery = \"no name\"\n"
    );
}

/// Opens 00后涌向中厂, adds `!` to its title, lets another program apply `outside` to
/// the file, and saves: the changed-on-disk question is up.
fn edit_then_change_outside(
    harness: &mut Harness<'_, FolioApp>,
    file: &Path,
    outside: impl Fn(&str) -> String,
) {
    click_row(harness, ZHONGCHANG);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .click();
    harness.run_steps(1);
    harness.key_press(egui::Key::End);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .type_text("!");
    harness.run_steps(2);
    let text = outside(&std::fs::read_to_string(file).unwrap());
    std::fs::write(file, text).unwrap();
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(1);
    settle(harness);
    assert_eq!(
        harness.state().state().dialog(),
        Some(&folio::app::Dialog::ChangedOnDisk)
    );
    harness.run_steps(4);
}

#[test]
fn keep_both_applies_my_edit_onto_the_other_programs_change() {
    let (_dir, root, _) = fixture();
    let file = root.join("新媒体/36kr/资讯/00后涌向中厂.md");
    let mut harness = harness(Some(root));
    edit_then_change_outside(&mut harness, &file, |t| {
        t.replace("author: 36kr", "author: 别人")
    });
    harness
        .get_by_role_and_label(Role::Button, "Keep both")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    assert!(harness.state().state().dialog().is_none());
    assert!(
        harness.state().state().is_dirty(),
        "my edit is still unsaved"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(1);
    settle(&mut harness);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("author: 别人"), "theirs kept: {text}");
    assert!(
        text.contains("title: '00后涌向中厂!'"),
        "mine applied: {text}"
    );
    assert!(!harness.state().state().is_dirty());
}

#[test]
fn keep_both_asks_about_a_key_both_sides_changed() {
    let (_dir, root, _) = fixture();
    let file = root.join("新媒体/36kr/资讯/00后涌向中厂.md");
    let mut harness = harness(Some(root));
    edit_then_change_outside(&mut harness, &file, |t| {
        t.replace("title: '00后涌向中厂'", "title: '他们的标题'")
            .replace("author: 36kr", "author: 别人")
    });
    harness
        .get_by_role_and_label(Role::Button, "Keep both")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.run_steps(4);
    harness.get_by_label("Changed on both sides");
    harness
        .get_by_role_and_label(Role::Button, "Use yours for title")
        .click();
    harness.run_steps(2);
    assert!(harness.state().state().dialog().is_none());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(1);
    settle(&mut harness);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("title: '00后涌向中厂!'"), "{text}");
    assert!(text.contains("author: 别人"), "{text}");
}
