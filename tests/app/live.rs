//! The open archive follows other programs' changes (the disk watcher on): new posts
//! appear, the open post reloads in place or asks when it has unsaved edits, and
//! Folio's own saves are not taken for someone else's.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::FolioApp;
use folio::app::settings::Settings;

use crate::app_support::{self, settle};

const ZHONGCHANG: &str = "00后涌向中厂";

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    (dir, root)
}

fn harness(root: &Path) -> Harness<'static, FolioApp> {
    let root = root.to_owned();
    let settings = Settings {
        watch_disk: true,
        ..app_support::offline_settings()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| FolioApp::with_settings(&cc.egui_ctx, settings, Some(root)));
    settle(&mut harness);
    harness
}

/// Steps frames until `done` holds (the watcher's events take a moment to arrive).
fn wait_for(
    harness: &mut Harness<'_, FolioApp>,
    what: &str,
    done: impl Fn(&Harness<'_, FolioApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        harness.step();
        if done(harness) && !harness.state().state().is_busy() {
            harness.run_steps(3);
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("waited in vain for {what}");
}

/// Steps frames for a few of the watcher's debounce periods.
fn idle(harness: &mut Harness<'_, FolioApp>) {
    let until = Instant::now() + folio::watch::DEBOUNCE * 5;
    while Instant::now() < until {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    settle(harness);
}

fn open_post(harness: &mut Harness<'_, FolioApp>, title: &str) {
    harness.get_by_role_and_label(Role::Button, title).click();
    harness.run_steps(1);
    settle(harness);
}

fn edit_title(harness: &mut Harness<'_, FolioApp>, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .click();
    harness.run_steps(1);
    harness.key_press(egui::Key::End);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .type_text(text);
    harness.run_steps(2);
}

#[test]
fn a_post_written_by_another_program_appears_and_a_deleted_one_goes() {
    let (_dir, root) = fixture();
    let mut harness = harness(&root);
    harness.get_by_label("4 of 4");
    let feed = root.join("新媒体/36kr/资讯");
    std::fs::write(
        feed.join("爬虫刚写的.md"),
        "---\ntitle: 爬虫刚写的文章\ndate: 2021-06-18 09:00:00\n---\n<p>正文</p>\n",
    )
    .unwrap();
    wait_for(&mut harness, "the new post", |h| {
        h.query_by_label("爬虫刚写的文章").is_some()
    });
    harness.get_by_label("5 of 5");

    std::fs::remove_file(feed.join("爬虫刚写的.md")).unwrap();
    wait_for(&mut harness, "the post to go", |h| {
        h.query_by_label("爬虫刚写的文章").is_none()
    });
    harness.get_by_label("4 of 4");
}

#[test]
fn the_open_post_changed_elsewhere_reloads_in_place() {
    let (_dir, root) = fixture();
    let file = root.join("新媒体/36kr/资讯/00后涌向中厂.md");
    let mut harness = harness(&root);
    open_post(&mut harness, ZHONGCHANG);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("author: 36kr", "author: 别人")).unwrap();
    wait_for(&mut harness, "the reload", |h| {
        h.state()
            .state()
            .open_post()
            .is_some_and(|o| o.post().article.front.authors == ["别人"])
    });
    assert!(harness.state().state().dialog().is_none());
}

#[test]
fn unsaved_edits_under_a_change_elsewhere_ask_what_to_do() {
    let (_dir, root) = fixture();
    let file = root.join("新媒体/36kr/资讯/00后涌向中厂.md");
    let mut harness = harness(&root);
    open_post(&mut harness, ZHONGCHANG);
    edit_title(&mut harness, "!");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("author: 36kr", "author: 别人")).unwrap();
    wait_for(&mut harness, "the question", |h| {
        h.state().state().dialog() == Some(&folio::app::Dialog::ChangedOnDisk)
    });
    assert!(harness.state().state().is_dirty(), "the edits are kept");
}

#[test]
fn the_app_s_own_save_is_not_taken_for_another_program_s() {
    let (_dir, root) = fixture();
    let mut harness = harness(&root);
    open_post(&mut harness, ZHONGCHANG);
    edit_title(&mut harness, "（一）");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(1);
    settle(&mut harness);
    // Editing on at once: the watcher's echo of the save must not ask about it.
    edit_title(&mut harness, "（二）");
    idle(&mut harness);
    let s = harness.state().state();
    assert!(s.dialog().is_none(), "{:?}", s.dialog());
    assert!(s.is_dirty(), "the new edit is kept");
    harness.get_by_label("4 of 4");
}
