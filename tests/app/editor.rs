//! The front-matter editor in the real app, driven through egui_kittest on a small
//! hand-made archive: each test is named after a bug seen in the window.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use app_support::settle;

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::FolioApp;

const ALIAS: &str = "---\ntitle: Alias post\ncategory: news\ntags: [a]\nlastmod: 2021-01-02\nauthors: [x]\n---\nbody of the alias post\n";
const GMT: &str =
    "---\ntitle: GMT post\ndate: Tue, 16 Aug 2022 05:47:27 GMT\n---\n<p>a dated post</p>\n";
const BROKEN: &str = "---\ntitle: [broken\ndate: 2021-01-01\n---\n<p>the body is fine</p>\n";
const PICTURES: &str = "---\ntitle: Pictures\nheadimg: img/blue.png\n---\n<div><p>正文</p><img src=\"img/red.png\" alt=\"red\"></div>\n";

/// `source/_posts` with three posts in two feeds and the pictures' PNGs.
fn archive() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("source/_posts");
    let feed = root.join("news/feed");
    std::fs::create_dir_all(feed.join("img")).unwrap();
    std::fs::create_dir_all(root.join("news/other")).unwrap();
    std::fs::write(feed.join("alias.md"), ALIAS).unwrap();
    std::fs::write(feed.join("pictures.md"), PICTURES).unwrap();
    std::fs::write(root.join("news/other/gmt.md"), GMT).unwrap();
    std::fs::write(root.join("news/other/broken.md"), BROKEN).unwrap();
    for (name, rgba) in [
        ("red.png", [220, 30, 30, 255]),
        ("blue.png", [30, 30, 220, 255]),
    ] {
        image::RgbaImage::from_pixel(64, 48, image::Rgba(rgba))
            .save(feed.join("img").join(name))
            .unwrap();
    }
    (dir, root)
}

fn harness(root: &Path) -> Harness<'static, FolioApp> {
    let root = root.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            FolioApp::with_settings(&cc.egui_ctx, app_support::offline_settings(), Some(root))
        });
    settle(&mut harness);
    harness
}

fn open(harness: &mut Harness<'_, FolioApp>, title: &str) {
    harness.get_by_role_and_label(Role::Button, title).click();
    harness.run_steps(1);
    settle(harness);
}

/// Replaces the text of the editor field labelled `key` by typing `text`.
fn retype(harness: &mut Harness<'_, FolioApp>, key: &str, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, key).click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, key)
        .type_text(text);
    harness.run_steps(2);
}

fn save(harness: &mut Harness<'_, FolioApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(1);
    settle(harness);
    let errors: Vec<&str> = harness.state().state().errors().collect();
    assert!(errors.is_empty(), "{errors:?}");
}

fn title_of_open_post(harness: &Harness<'_, FolioApp>) -> Option<String> {
    let draft = harness.state().state().open_post()?.draft()?;
    Some(draft.current().value("title")?.summary())
}

#[test]
fn alias_keys_are_shown_and_saved_under_their_own_key() {
    let (_dir, root) = archive();
    let file = root.join("news/feed/alias.md");
    let mut harness = harness(&root);
    open(&mut harness, "Alias post");
    let keys: Vec<String> = {
        let open = harness.state().state().open_post().unwrap();
        open.draft()
            .unwrap()
            .current()
            .iter()
            .map(|f| f.key.clone())
            .collect()
    };
    assert_eq!(keys, ["title", "category", "tags", "lastmod", "authors"]);
    retype(&mut harness, "lastmod", "2021-01-03");
    save(&mut harness);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        ALIAS.replace("lastmod: 2021-01-02", "lastmod: 2021-01-03")
    );
}

#[test]
fn a_relative_body_image_in_a_subfolder_loads() {
    let (_dir, root) = archive();
    let mut harness = harness(&root);
    open(&mut harness, "Pictures");
    let mut drawn = false;
    for _ in 0..600 {
        harness.step();
        if harness
            .query_by_role_and_label(Role::Image, "red")
            .is_some()
        {
            drawn = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(drawn, "the body image img/red.png never loaded");
    harness.get_by_role_and_label(Role::Image, "Header image");
    // Not the placeholder with the doubled path.
    assert!(
        harness
            .query_by_label_contains("news/feed/news/feed")
            .is_none()
    );
}

#[test]
fn a_date_typed_in_the_editor_keeps_the_fields_format() {
    let (_dir, root) = archive();
    let file = root.join("news/other/gmt.md");
    let mut harness = harness(&root);
    open(&mut harness, "GMT post");
    retype(&mut harness, "date", "2022-08-17 10:00:00");
    harness.get_by_label("will be saved as Wed, 17 Aug 2022 10:00:00 GMT");
    save(&mut harness);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        GMT.replace(
            "Tue, 16 Aug 2022 05:47:27 GMT",
            "Wed, 17 Aug 2022 10:00:00 GMT"
        )
    );
    assert!(!harness.state().state().is_dirty());
}

#[test]
fn a_keystroke_and_ctrl_s_in_the_same_frame_save_the_keystroke() {
    let (_dir, root) = archive();
    let file = root.join("news/other/gmt.md");
    let mut harness = harness(&root);
    open(&mut harness, "GMT post");
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .click();
    harness.run_steps(1);
    harness.key_press(Key::End);
    harness.run_steps(1);
    {
        let input = harness.input_mut();
        input.events.push(Event::Text("!".into()));
        input.events.push(Event::Key {
            key: Key::S,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::COMMAND,
        });
    }
    harness.run_steps(1);
    settle(&mut harness);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("title: GMT post!\n"),
        "the keystroke typed with Ctrl+S was not saved"
    );
    assert!(!harness.state().state().is_dirty());
}

#[test]
fn reclicking_the_open_post_keeps_its_dirty_draft() {
    let (_dir, root) = archive();
    let mut harness = harness(&root);
    open(&mut harness, "GMT post");
    // Clicked again, then edited at once: nothing may reload the post over the edit.
    harness
        .get_by_role_and_label(Role::Button, "GMT post")
        .click();
    harness.run_steps(1);
    retype(&mut harness, "title", "Renamed");
    settle(&mut harness);
    assert!(harness.state().state().is_dirty());
    assert_eq!(title_of_open_post(&harness).as_deref(), Some("Renamed"));
    // And clicked again while dirty: no prompt, the draft stays.
    harness
        .get_by_role_and_label(Role::Button, "GMT post")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    assert!(harness.query_by_label("Save your changes?").is_none());
    assert_eq!(title_of_open_post(&harness).as_deref(), Some("Renamed"));
}

#[test]
fn ctrl_z_in_a_field_after_switching_posts_keeps_the_other_posts_text_out() {
    let (_dir, root) = archive();
    let mut harness = harness(&root);
    open(&mut harness, "GMT post");
    retype(&mut harness, "title", "Text of the first post");
    save(&mut harness);
    open(&mut harness, "Alias post");
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(title_of_open_post(&harness).as_deref(), Some("Alias post"));
    assert!(!harness.state().state().is_dirty());
}

#[test]
fn undo_history_survives_a_save() {
    let (_dir, root) = archive();
    let file = root.join("news/other/gmt.md");
    let mut harness = harness(&root);
    open(&mut harness, "GMT post");
    retype(&mut harness, "title", "Second title");
    save(&mut harness);
    assert!(!harness.state().state().is_dirty());
    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run_steps(2);
    assert_eq!(title_of_open_post(&harness).as_deref(), Some("GMT post"));
    assert!(harness.state().state().is_dirty());
    save(&mut harness);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), GMT);
}

#[test]
fn broken_front_matter_is_fixed_as_text_and_the_form_comes_back() {
    let (_dir, root) = archive();
    let file = root.join("news/other/broken.md");
    let mut harness = harness(&root);
    open(&mut harness, "broken");
    harness.get_by_label("Front matter (as text)");
    // In the article header and in the editor.
    assert_eq!(
        harness
            .query_all_by_label_contains("line 3: front matter is not valid YAML")
            .count(),
        2
    );
    // The body shows although the front matter is broken.
    harness.get_by_label("the body is fine");
    let field = harness.get_by_role_and_label(Role::MultilineTextInput, "Front matter text");
    field.click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    for line in ["title: fixed", "date: 2021-01-01"] {
        harness
            .get_by_role_and_label(Role::MultilineTextInput, "Front matter text")
            .type_text(line);
        harness.key_press(Key::Enter);
    }
    harness.run_steps(2);
    harness.get_by_label("The front matter reads now: save to get the form back.");
    save(&mut harness);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "---\ntitle: fixed\ndate: 2021-01-01\n---\n<p>the body is fine</p>\n"
    );
    // The typed form is back.
    harness.get_by_role_and_label(Role::TextInput, "title");
}
