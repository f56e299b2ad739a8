//! Measures the table and the card grid headless over a whole archive (100,000 posts
//! from `gen_archive`):
//!
//! 1. a frame of the table with a post in the middle selected, idle and while scrolling
//!    (a wheel event every frame), CPU ms per frame including tessellation;
//! 2. sorting the result by a column the index does not sort (`author`): the first sort
//!    (every post ranked) and a re-sort with the ranks kept (what typing in the search
//!    box costs), and a search keystroke with the column sort on;
//! 3. cell edits saved while sorted by `author` (frames until each save is in);
//! 4. a frame of the card grid, idle and while scrolling.
//!
//! The benchmark edits posts of the archive it is given: use a generated one.
//!
//! `cargo run --release --example gen_archive -- 100000 /tmp/folio-100k`, then
//! `cargo run --release --example bench_table -- /tmp/folio-100k`.

mod headless;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use folio::app::settings::Settings;
use folio::app::{Command, FolioApp};
use folio::table::Column;

const SIZE: egui::Vec2 = egui::vec2(1440.0, 900.0);

fn frame(ctx: &egui::Context, app: &mut FolioApp, events: Vec<egui::Event>) -> Duration {
    headless::frame(ctx, app, SIZE, events)
}

fn frames(ctx: &egui::Context, app: &mut FolioApp, n: usize, scroll: bool) -> Vec<Duration> {
    (0..n)
        .map(|i| {
            let events = if scroll {
                vec![
                    egui::Event::PointerMoved(egui::pos2(700.0, 450.0)),
                    egui::Event::MouseWheel {
                        unit: egui::MouseWheelUnit::Line,
                        delta: egui::vec2(0.0, if i % 100 < 50 { -3.0 } else { 3.0 }),
                        modifiers: egui::Modifiers::NONE,
                        phase: egui::TouchPhase::Move,
                        source: egui::MouseWheelSource::Wheel,
                    },
                ]
            } else {
                Vec::new()
            };
            frame(ctx, app, events)
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: bench_table FOLDER")?;
    let ctx = egui::Context::default();
    let settings = Settings {
        offline: true,
        watch_disk: false,
        ..Settings::default()
    };
    let mut app = FolioApp::with_settings(&ctx, settings, Some(root));
    let t = Instant::now();
    headless::settle(&ctx, &mut app, SIZE);
    let posts = app.state().visible().len();
    println!("{posts} posts listed in {:.1} s", t.elapsed().as_secs_f64());

    app.apply(Command::ShowTable(true), &ctx);
    app.apply(
        Command::SetColumns(
            [
                "title",
                "date",
                "categories",
                "tags",
                "author",
                "path",
                "size",
                "modified",
            ]
            .iter()
            .map(|n| Column::parse(n))
            .collect(),
        ),
        &ctx,
    );
    if let Some(&id) = app.state().visible().get(posts / 2) {
        app.apply(Command::Select(id), &ctx);
    }
    headless::settle(&ctx, &mut app, SIZE);
    frames(&ctx, &mut app, 5, false);
    headless::report("table frame, idle", frames(&ctx, &mut app, 300, false));
    headless::report("table frame, scrolling", frames(&ctx, &mut app, 300, true));

    let t = Instant::now();
    app.apply(Command::SortByColumn(Some((Column::Author, false))), &ctx);
    println!(
        "first sort by author (every post ranked, result re-sorted): {:.1} ms",
        ms(t.elapsed())
    );
    let t = Instant::now();
    app.apply(Command::SortByColumn(Some((Column::Author, true))), &ctx);
    println!(
        "re-sort by author, descending (ranks kept): {:.1} ms",
        ms(t.elapsed())
    );
    let mut keystrokes = Vec::new();
    for text in ["北", "北京", "北", ""] {
        let t = Instant::now();
        app.apply(Command::SetSearch(text.to_owned()), &ctx);
        keystrokes.push(t.elapsed());
    }
    headless::report(
        "search keystroke with the author sort (query + sort)",
        keystrokes,
    );
    headless::report(
        "table frame sorted by author, scrolling",
        frames(&ctx, &mut app, 300, true),
    );

    // 4. Cell edits saved while sorted by author: every frame from the edit until the
    //    save is back and the result re-sorted (only the saved post is ranked again).
    let mut times = Vec::new();
    for i in 0..10 {
        let Some(&id) = app.state().visible().get(posts / 3) else {
            break;
        };
        app.apply(
            Command::EditCell(folio::app::CellEdit {
                id,
                column: Column::Author,
                text: format!("作者{i}"),
            }),
            &ctx,
        );
        times.push(frame(&ctx, &mut app, Vec::new()));
        while app.state().is_busy() {
            times.push(frame(&ctx, &mut app, Vec::new()));
        }
    }
    headless::report("frame while a cell edit saves, sorted by author", times);

    app.apply(Command::ShowGrid(true), &ctx);
    headless::settle(&ctx, &mut app, SIZE);
    frames(&ctx, &mut app, 5, false);
    headless::report("grid frame, idle", frames(&ctx, &mut app, 300, false));
    headless::report("grid frame, scrolling", frames(&ctx, &mut app, 300, true));
    Ok(())
}
