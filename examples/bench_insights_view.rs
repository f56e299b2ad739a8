//! Measures the window's Insights view on a 100,000-post archive (the synthetic one by
//! default), driving the real app headless (`headless::frame`: drain + ui + apply +
//! tessellate on this thread, no GPU):
//!
//! 1. opening the view the first time: every post copied to the insights worker over
//!    the frames (a few milliseconds of each), its keys built there, the first figures;
//! 2. a steady frame with the view open (drawing the charts and tables);
//! 3. facet clicks (金融, 编程, all, alternating): the time from the click until the
//!    frame that shows the new figures, the worker's compute time, and every frame's
//!    CPU time in between — the frame never waits for the figures.
//!
//! ```text
//! cargo run --release --example gen_archive -- 100000 /tmp/folio-100k   # once
//! cargo run --release --example bench_insights_view [DIR] [CLICKS]
//! ```

mod headless;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use folio::app::settings::Settings;
use folio::app::{Command, FolioApp};

const SIZE: egui::Vec2 = egui::vec2(1440.0, 900.0);

/// Pause between frames, as a window waiting for the next vsync would.
const BETWEEN_FRAMES: Duration = Duration::from_millis(4);

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn frame(ctx: &egui::Context, app: &mut FolioApp) -> Duration {
    headless::frame(ctx, app, SIZE, Vec::new())
}

/// Draws frames until the figures are those of the current result; returns the time
/// until then and every frame's CPU time.
fn until_figures(
    ctx: &egui::Context,
    app: &mut FolioApp,
    started: Instant,
) -> (Duration, Vec<Duration>) {
    let mut frames = Vec::new();
    loop {
        frames.push(frame(ctx, app));
        if !app.state().insights().is_updating() {
            return (started.elapsed(), frames);
        }
        std::thread::sleep(BETWEEN_FRAMES);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/folio-100k".to_owned()));
    let clicks: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let ctx = egui::Context::default();
    let settings = Settings {
        offline: true,
        show_facets: true,
        ..Settings::default()
    };
    let mut app = FolioApp::with_settings(&ctx, settings, Some(dir.clone()));
    let started = Instant::now();
    headless::settle(&ctx, &mut app, SIZE);
    println!(
        "scanned {} posts of {} in {:.0} ms (not part of the figures)",
        app.state().post_count(),
        dir.display(),
        ms(started.elapsed())
    );

    // 1. The first opening.
    let started = Instant::now();
    app.apply(Command::ShowInsights(true), &ctx);
    let (first, frames) = until_figures(&ctx, &mut app, started);
    let figures = app.state().insights().figures().ok_or("no figures")?;
    println!(
        "\nfirst opening: figures of {} posts after {:.0} ms over {} frames ({} periods, {} series, {} gaps)",
        figures.posts,
        ms(first),
        frames.len(),
        figures.timeline.periods.len(),
        figures.timeline.series.len(),
        figures.gaps.len()
    );
    headless::report("  frame while the posts are handed over", frames);

    // 2. Steady frames with the view open.
    let steady: Vec<Duration> = (0..60).map(|_| frame(&ctx, &mut app)).collect();
    headless::report(
        "\nsteady frame, Insights view open (ui + tessellate)",
        steady,
    );

    // 3. Facet clicks.
    let paths: [&[&str]; 3] = [&["金融"], &["编程"], &[]];
    let mut latencies = Vec::new();
    let mut computes = Vec::new();
    let mut requeries = Vec::new();
    let mut frames = Vec::new();
    for i in 0..clicks {
        let path = paths.get(i % paths.len()).copied().unwrap_or_default();
        let filter = path.iter().map(|s| (*s).to_owned()).collect();
        let started = Instant::now();
        // What the facet panel's click does after its frame: the list's own query runs
        // here, on the UI thread, as before this view existed.
        app.apply(Command::SetCategoryFilter(filter), &ctx);
        requeries.push(started.elapsed());
        let (latency, click_frames) = until_figures(&ctx, &mut app, started);
        latencies.push(latency);
        frames.extend(click_frames);
        if let Some(time) = app.state().insights().compute_time() {
            computes.push(time);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    println!("\n{clicks} facet clicks alternating 金融 / 编程 / all:");
    headless::report(
        "  click to new figures shown (wall clock)",
        latencies.clone(),
    );
    headless::report("  the worker's computation", computes);
    headless::report(
        "  the list's requery in the click (UI thread, not the view's)",
        requeries,
    );
    headless::report("  every frame until then (CPU, UI thread)", frames);
    let mut sorted = latencies;
    sorted.sort();
    let worst = sorted.last().copied().unwrap_or_default();
    println!(
        "\nworst click to figures: {:.1} ms (budget 50 ms): {}",
        ms(worst),
        if worst <= Duration::from_millis(50) {
            "within"
        } else {
            "OVER"
        }
    );
    Ok(())
}
