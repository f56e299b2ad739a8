//! File › Export… in the real app, driven through egui_kittest on a copy of the app
//! fixtures: the list's posts as CSV into a typed path, and the marked posts as one
//! HTML file per post into a folder.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use app_support::settle;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::FolioApp;

fn open_export(harness: &mut Harness<'_, FolioApp>) {
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Export…")
        .click();
    harness.run_steps(3);
    assert!(harness.state().state().export_state().is_open());
}

fn type_into(harness: &mut Harness<'_, FolioApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    harness.run_steps(1);
}

#[test]
fn the_lists_posts_export_as_csv_to_a_typed_path() {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let out = dir.path().join("out/posts.csv");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            FolioApp::with_settings(&cc.egui_ctx, app_support::offline_settings(), Some(root))
        });
    settle(&mut harness);
    open_export(&mut harness);
    harness.get_by_label("The list's 4 posts");
    type_into(&mut harness, "Columns", "path,title,author");
    type_into(&mut harness, "To file", out.to_str().unwrap());
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    let text = std::fs::read_to_string(&out).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["path", "title", "author"]);
    let authors: Vec<String> = reader.records().map(|r| r.unwrap()[2].to_owned()).collect();
    assert_eq!(authors.len(), 4);
    assert!(authors.contains(&"36kr".to_owned()), "{authors:?}");
    harness.get_by_label_contains("Exported 4 posts to");
    assert!(!harness.state().state().export_state().is_open());
}

#[test]
fn the_marked_posts_export_as_html_pages_into_a_folder() {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let folder = dir.path().join("pages");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            FolioApp::with_settings(&cc.egui_ctx, app_support::offline_settings(), Some(root))
        });
    settle(&mut harness);
    for title in ["00后涌向中厂", "0！北京连续3日无新增新冠肺炎确诊病例"] {
        harness
            .get_by_role_and_label(Role::Button, title)
            .click_modifiers(Modifiers::COMMAND);
        harness.run_steps(1);
        settle(&mut harness);
    }
    open_export(&mut harness);
    harness
        .get_by_role_and_label(Role::RadioButton, "The 2 marked posts")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::RadioButton, "HTML")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::RadioButton, "One file per post, into a folder")
        .click();
    harness.run_steps(2);
    type_into(&mut harness, "Into folder", folder.to_str().unwrap());
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    let page = std::fs::read_to_string(folder.join("新媒体/36kr/资讯/00后涌向中厂.html")).unwrap();
    assert!(page.contains("<h1>00后涌向中厂</h1>"), "{page}");
    assert!(
        folder
            .join("金融/新浪财经/新浪财经－国內/0！北京连续3日无新增新冠肺炎确诊病例.html")
            .is_file()
    );
    let written = walk(&folder);
    assert_eq!(written, 2, "only the marked posts");
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            if path.is_dir() { walk(&path) } else { 1 }
        })
        .sum()
}
