//! The Insights view in the real app, driven through egui_kittest on a copy of
//! `tests/fixtures/insights/feeds` (48 posts with known dates: `科技/示例站/每日` posts
//! daily from 1 to 14 March 2022 and stops, 36kr daily to 28 March, `杂项` has one
//! `Invalid Date` and one post without a date; see `tests/cli/stats.rs`): the view
//! opens from the View menu, shows the figures, and a click on a row or a bar narrows
//! the list through the search box.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use app_support::settle;

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::FolioApp;
use folio::index::{Term, parse_search};

const FEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/insights/feeds");

fn harness(size: egui::Vec2) -> (tempfile::TempDir, Harness<'static, FolioApp>) {
    let dir = app_support::copy_folder(Path::new(FEEDS));
    let root = dir.path().to_owned();
    let mut harness = Harness::builder().with_size(size).build_eframe(move |cc| {
        FolioApp::with_settings(&cc.egui_ctx, app_support::offline_settings(), Some(root))
    });
    settle(&mut harness);
    (dir, harness)
}

fn open_insights(harness: &mut Harness<'_, FolioApp>) {
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::CheckBox, "Insights")
        .click();
    harness.run_steps(1);
    settle(harness);
    assert!(harness.state().state().shows_insights());
}

fn search_text(harness: &Harness<'_, FolioApp>) -> String {
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .value()
        .unwrap_or_default()
}

#[test]
fn the_view_opens_over_the_result_and_shows_its_figures() {
    let (_dir, mut harness) = harness(egui::vec2(1440.0, 900.0));
    assert_eq!(harness.state().state().visible().len(), 48);
    open_insights(&mut harness);
    let figures = harness.state().state().insights().figures().unwrap();
    assert_eq!((figures.posts, figures.dated), (48, 46));
    harness.get_by_label("48 posts, 46 dated");
    harness.get_by_label("Posts over time chart");
    // The feed that stopped on 14 March, with its last post date.
    harness.get_by_label_contains("科技/示例站/每日 · stopped · 2022-03-14");
    harness.get_by_label("Without a date (2 posts)");
    // Closing brings the article area back.
    harness.get_by_role_and_label(Role::Button, "Close").click();
    harness.run_steps(2);
    assert!(!harness.state().state().shows_insights());
    assert!(harness.query_by_label("Posts over time chart").is_none());
}

#[test]
fn a_click_on_a_row_narrows_the_list_through_the_search_box() {
    let (_dir, mut harness) = harness(egui::vec2(1024.0, 700.0));
    open_insights(&mut harness);
    harness
        .get_by_label_contains("科技/示例站/每日 · stopped")
        .click();
    harness.run_steps(1);
    settle(&mut harness);
    assert_eq!(search_text(&harness), "cat:科技 cat:示例站 cat:每日");
    assert_eq!(harness.state().state().visible().len(), 14);
    harness.get_by_label("14 of 48");
    // The figures follow the narrowed list.
    let figures = harness.state().state().insights().figures().unwrap();
    assert_eq!(figures.posts, 14);
    assert_eq!(figures.timeline.series.len(), 1);
}

#[test]
fn a_click_on_a_bar_narrows_the_list_to_its_period_and_series() {
    let (_dir, mut harness) = harness(egui::vec2(1440.0, 900.0));
    open_insights(&mut harness);
    let before = harness.state().state().visible().len();
    // Every day of March has a 36kr post, the biggest series, at the bottom of the
    // stack: a click just above the axis in the middle of the chart is on one.
    let chart = harness.get_by_label("Posts over time chart").rect();
    let at = egui::pos2(chart.center().x, chart.bottom() - 24.0);
    harness.hover_at(at);
    harness.run_steps(1);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run_steps(1);
    }
    settle(&mut harness);
    let text = search_text(&harness);
    let terms = parse_search(&text);
    assert!(
        terms.contains(&Term::Year {
            year: 2022,
            negated: false
        }),
        "{text}"
    );
    assert!(text.starts_with("cat:新媒体"), "{text}");
    let state = harness.state().state();
    assert!(state.visible().len() < before, "{text}");
    // Only the dated posts of 新媒体 are left: 36kr's 29 and 虎嗅's 3.
    assert_eq!(state.visible().len(), 32, "{text}");
}
