//! The table, the card grid and saved views that scope the facets, driven through
//! egui_kittest by accessible names on a copy of the app fixtures (four real posts;
//! authors 199IT, 36kr, 9To5, 新浪财经; every post has `comments: false`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use app_support::settle;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use folio::app::{AppDirs, Centre, FolioApp};
use folio::table::Column;

const BEIJING: &str = "0！北京连续3日无新增新冠肺炎确诊病例";
const ZHONGCHANG: &str = "00后涌向中厂";
const DAXUE: &str = "00后大学生进入职场 四大城市群最具吸引力";
const APPLE: &str = "Apple Maps now says Crimea is part of Ukraine – except if you’re in Russia";
const ZHONGCHANG_PATH: &str = "新媒体/36kr/资讯/00后涌向中厂.md";

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
                history: Some(history),
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

/// The titles in the order the result shows them.
fn titles(harness: &Harness<'_, FolioApp>) -> Vec<String> {
    let state = harness.state().state();
    state
        .visible()
        .iter()
        .map(|&id| {
            state
                .article(id)
                .unwrap()
                .front
                .display_title()
                .into_owned()
        })
        .collect()
}

fn show_table(harness: &mut Harness<'_, FolioApp>) {
    harness.get_by_label("Table").click();
    harness.run_steps(2);
    settle(harness);
    assert_eq!(harness.state().state().centre(), Centre::Table);
}

fn click_header(harness: &mut Harness<'_, FolioApp>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run_steps(1);
    settle(harness);
}

/// Shows `name` in the table through the Columns menu.
fn add_column(harness: &mut Harness<'_, FolioApp>, name: &str, count: usize) {
    harness.get_by_label("Columns").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::CheckBox, &format!("{name}  ({count})"))
        .click();
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.run_steps(1);
}

/// Hides `name` through its header's context menu (the fixtures' paths are long: the
/// columns after them would be scrolled out of sight).
fn hide_column(harness: &mut Harness<'_, FolioApp>, name: &str) {
    harness
        .get_by_role_and_label(Role::Button, name)
        .click_secondary();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Hide column")
        .click();
    harness.run_steps(2);
}

#[test]
fn the_table_sorts_by_any_column_both_ways_and_stably() {
    let s = setup();
    let mut harness = harness(&s);
    show_table(&mut harness);
    // The list's order: newest first.
    let by_date = titles(&harness);
    assert_eq!(by_date, [ZHONGCHANG, APPLE, DAXUE, BEIJING]);
    // Authors sort as titles do: digit runs by value (9 < 36 < 199), then pinyin.
    click_header(&mut harness, "author");
    assert_eq!(titles(&harness), [APPLE, ZHONGCHANG, DAXUE, BEIJING]);
    click_header(&mut harness, "author");
    assert_eq!(titles(&harness), [BEIJING, DAXUE, ZHONGCHANG, APPLE]);
    // A column every post has alike keeps the order the posts came in, both ways.
    harness
        .get_by_role_and_label(Role::Button, "Clear sort")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    assert_eq!(titles(&harness), by_date);
    hide_column(&mut harness, "path");
    add_column(&mut harness, "comments", 4);
    let names = |h: &Harness<'_, FolioApp>| -> Vec<String> {
        h.state()
            .state()
            .table()
            .columns
            .iter()
            .map(|c| c.name().to_owned())
            .collect()
    };
    assert_eq!(
        names(&harness),
        ["title", "date", "categories", "author", "comments"]
    );
    // A header's context menu moves it.
    harness
        .get_by_role_and_label(Role::Button, "comments")
        .click_secondary();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Move left")
        .click();
    harness.run_steps(2);
    assert_eq!(
        names(&harness),
        ["title", "date", "categories", "comments", "author"]
    );
    let comments = Column::parse("comments");
    let sort = |h: &Harness<'_, FolioApp>| h.state().state().table().sort.clone();
    click_header(&mut harness, "comments");
    assert_eq!(sort(&harness), Some((comments.clone(), false)));
    assert_eq!(titles(&harness), by_date);
    click_header(&mut harness, "comments");
    assert_eq!(sort(&harness), Some((comments, true)));
    assert_eq!(titles(&harness), by_date);
    // Keys a post does not have are offered only when some post has them; every
    // post's cell shows its value.
    assert!(harness.query_by_label("thumbnail  (4)").is_none());
    assert_eq!(harness.query_all_by_label("false").count(), 4);
    // The title and date are the index's own sorts: the list's sort menu shows them.
    click_header(&mut harness, "title");
    assert_eq!(
        harness.state().state().query().sort,
        folio::index::SortKey::Title
    );
    assert!(harness.state().state().table().sort.is_none());
}

#[test]
fn a_cell_edit_changes_only_that_value_and_undo_saves_the_old_one() {
    let s = setup();
    let path = s.root.join(ZHONGCHANG_PATH);
    let before = std::fs::read(&path).unwrap();
    let mut harness = harness(&s);
    show_table(&mut harness);
    harness
        .get_by_role_and_label(Role::Cell, "36kr")
        .click_secondary();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Edit author")
        .click();
    harness.run_steps(2);
    let field = harness.get_by_role_and_label(Role::TextInput, "author");
    assert_eq!(field.value().as_deref(), Some("36kr"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "author")
        .type_text("三六氪");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    settle(&mut harness);
    // Only the value's bytes changed; the rest of the file is as it was.
    let after = std::fs::read(&path).unwrap();
    let expected = String::from_utf8(before.clone())
        .unwrap()
        .replace("author: 36kr", "author: 三六氪");
    assert_eq!(String::from_utf8(after).unwrap(), expected);
    harness.get_by_role_and_label(Role::Cell, "三六氪");
    assert!(harness.state().state().errors().next().is_none());
    // In the table an undo is saved too: the file is back byte for byte.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    harness.get_by_role_and_label(Role::Cell, "36kr");
    // F2 types into the selected row's first editable cell; Esc leaves it unsaved.
    harness
        .get_by_role_and_label(Role::Cell, ZHONGCHANG)
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    // (The front-matter panel beside it has a title field too.)
    let title_fields = |h: &Harness<'_, FolioApp>| {
        h.query_all_by_role_and_label(Role::TextInput, "title")
            .map(|f| f.value().unwrap_or_default())
            .collect::<Vec<String>>()
    };
    assert_eq!(title_fields(&harness), [ZHONGCHANG]);
    harness.key_press(Key::F2);
    harness.run_steps(2);
    assert_eq!(title_fields(&harness), [ZHONGCHANG, ZHONGCHANG]);
    harness.key_press(Key::End);
    harness.run_steps(1);
    harness
        .query_all_by_role_and_label(Role::TextInput, "title")
        .find(|f| f.is_focused())
        .unwrap()
        .type_text("!");
    harness.run_steps(1);
    assert!(title_fields(&harness).contains(&format!("{ZHONGCHANG}!")));
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(title_fields(&harness), [ZHONGCHANG]);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Path is not front matter: its cells offer no edit.
    harness
        .get_by_role_and_label(Role::Cell, ZHONGCHANG_PATH)
        .click_secondary();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Edit path")
            .is_some_and(|b| b.accesskit_node().is_disabled())
    );
}

#[test]
fn a_bad_cell_value_is_refused_with_the_file_named_and_nothing_written() {
    let s = setup();
    let path = s.root.join(ZHONGCHANG_PATH);
    let before = std::fs::read(&path).unwrap();
    let mut harness = harness(&s);
    show_table(&mut harness);
    hide_column(&mut harness, "path");
    add_column(&mut harness, "comments", 4);
    // Cells of equal text: the second is 36kr's row (newest first).
    let cells: Vec<_> = harness.query_all_by_label("false").collect();
    cells[0].click_secondary();
    drop(cells);
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Edit comments")
        .click();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "comments")
        .type_text("perhaps");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    settle(&mut harness);
    let errors: Vec<String> = harness
        .state()
        .state()
        .errors()
        .map(str::to_owned)
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("comments") && e.contains(ZHONGCHANG_PATH)),
        "{errors:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn marked_rows_of_the_table_take_a_bulk_edit() {
    let s = setup();
    let mut harness = harness(&s);
    show_table(&mut harness);
    harness
        .get_by_role_and_label(Role::Cell, ZHONGCHANG)
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    harness
        .get_by_role_and_label(Role::Cell, BEIJING)
        .click_modifiers(Modifiers::COMMAND);
    harness.run_steps(1);
    settle(&mut harness);
    assert_eq!(harness.state().state().marked().len(), 2);
    // The front-matter panel beside the table is the bulk editor of the marked rows.
    harness.get_by_label("2 posts selected");
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
        .get_by_role_and_label(Role::Button, "Apply to 2 posts")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("2 posts changed");
    let text = |rel: &str| std::fs::read_to_string(s.root.join(rel)).unwrap();
    assert!(text(ZHONGCHANG_PATH).contains("整理"));
    assert!(
        !text("新媒体/199IT/首页更新/00后大学生进入职场 四大城市群最具吸引力.md").contains("整理")
    );
}

#[test]
fn the_grid_moves_by_cards_and_rows_with_the_arrow_keys() {
    let s = setup();
    let mut harness = harness(&s);
    harness.get_by_label("Grid").click();
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(harness.state().state().centre(), Centre::Grid);
    harness
        .get_by_role_and_label(Role::Button, ZHONGCHANG)
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    let row = |h: &Harness<'_, FolioApp>| h.state().state().selected_row();
    assert_eq!(row(&harness), Some(0));
    let press = |h: &mut Harness<'_, FolioApp>, key| {
        h.key_press(key);
        h.run_steps(1);
        settle(h);
    };
    press(&mut harness, Key::ArrowRight);
    assert_eq!(row(&harness), Some(1));
    press(&mut harness, Key::ArrowLeft);
    assert_eq!(row(&harness), Some(0));
    // A row of cards holds more than one at this size: ↓ moves past the next card.
    press(&mut harness, Key::ArrowDown);
    assert!(row(&harness).is_some_and(|r| r >= 2), "{:?}", row(&harness));
    press(&mut harness, Key::Home);
    assert_eq!(row(&harness), Some(0));
    // Enter opens the article in the list's layout.
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().state().centre(), Centre::Article);
    assert!(harness.state().state().open_post().is_some());
}

/// Steps frames (for up to two seconds) until a widget labelled `label` shows.
fn wait_for_label(harness: &mut Harness<'_, FolioApp>, label: &str) {
    for _ in 0..200 {
        if harness.query_by_label(label).is_some() {
            return;
        }
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.get_by_label(label);
}

fn write_views(root: &Path, text: &str) {
    let file = root.join(".folio/views.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

#[test]
fn a_view_scopes_the_facets_and_the_search_and_brings_its_table() {
    let s = setup();
    // Written by hand, as an editor would.
    write_views(
        &s.root,
        "[[view]]\nname = \"新媒体 authors\"\ncategory = [\"新媒体\"]\nsort = \"author\"\n\
         layout = \"table\"\ncolumns = [\"title\", \"author\"]\n",
    );
    let mut harness = harness(&s);
    // Counts come once the window is idle (not while typing).
    wait_for_label(&mut harness, "新媒体 authors  (3)");
    harness.get_by_label("金融  (1)");
    harness.get_by_label("新媒体 authors  (3)").click();
    harness.run_steps(2);
    settle(&mut harness);
    let state = harness.state().state();
    assert_eq!(state.centre(), Centre::Table);
    let columns: Vec<&str> = state.table().columns.iter().map(|c| c.name()).collect();
    assert_eq!(columns, ["title", "author"]);
    assert_eq!(titles(&harness), [APPLE, ZHONGCHANG, DAXUE]);
    // The facets count only the view's posts.
    harness.get_by_label("新媒体  (3)");
    assert!(harness.query_by_label("金融  (1)").is_none());
    assert!(harness.query_by_label("新浪财经  (1)").is_none());
    harness.get_by_label("36kr  (1)");
    // Searching and clicking facets narrow inside the view; clearing them does not
    // leave it.
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .type_text("00后");
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(titles(&harness), [ZHONGCHANG, DAXUE]);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness.key_press(Key::Backspace);
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(titles(&harness).len(), 3);
    harness.get_by_label("Inside 新媒体 authors");
    harness
        .get_by_role_and_label(Role::Button, "Leave view")
        .click();
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(titles(&harness).len(), 4);
    // The facets are counted again after typing pauses.
    wait_for_label(&mut harness, "金融  (1)");
}

#[test]
fn a_cell_edit_cancelled_at_the_unsaved_prompt_is_not_saved_later() {
    let s = setup();
    let path = s.root.join(ZHONGCHANG_PATH);
    let before = std::fs::read(&path).unwrap();
    let mut harness = harness(&s);
    show_table(&mut harness);
    // Another post open with an unsaved edit in the front-matter panel.
    harness.get_by_role_and_label(Role::Cell, BEIJING).click();
    harness.run_steps(1);
    settle(&mut harness);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "title")
        .type_text("!");
    harness.run_steps(2);
    assert!(harness.state().state().is_dirty());
    // A cell of 36kr's row is typed: leaving the open post asks first.
    harness
        .get_by_role_and_label(Role::Cell, "36kr")
        .click_secondary();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Edit author")
        .click();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    // (The panel beside it has the open post's author field too.)
    harness
        .query_all_by_role_and_label(Role::TextInput, "author")
        .find(|f| f.is_focused())
        .unwrap()
        .type_text("三六氪");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run_steps(2);
    settle(&mut harness);
    // Later the person opens that post after all (discarding the other edit): the
    // cancelled cell is not applied behind their back.
    harness
        .get_by_role_and_label(Role::Cell, ZHONGCHANG)
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Discard")
        .click();
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(
        harness
            .state()
            .state()
            .open_post()
            .map(|o| o.post().article.path_display()),
        Some(ZHONGCHANG_PATH.to_owned())
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!harness.state().state().is_dirty());
}

#[test]
fn the_layout_and_the_table_columns_are_remembered_for_the_next_run() {
    let s = setup();
    let mut harness = harness(&s);
    show_table(&mut harness);
    hide_column(&mut harness, "path");
    let settings = harness.state().state().settings().clone();
    assert_eq!(settings.layout, folio::views::ViewLayout::Table);
    assert_eq!(
        settings.table_columns,
        ["title", "date", "categories", "author"]
    );
    // The next run starts with the table and those columns.
    drop(harness);
    let root = s.root.clone();
    let mut next = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| FolioApp::with_settings(&cc.egui_ctx, settings, Some(root)));
    settle(&mut next);
    assert_eq!(next.state().state().centre(), Centre::Table);
    assert!(next.query_by_role_and_label(Role::Button, "path").is_none());
    next.get_by_role_and_label(Role::Button, "author");
    // Back to the list: remembered too.
    next.get_by_label("List").click();
    next.run_steps(2);
    assert_eq!(
        next.state().state().settings().layout,
        folio::views::ViewLayout::List
    );
}
