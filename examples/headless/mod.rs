//! Driving the real app headless for benchmarks: one frame is what eframe does per
//! frame (drain the workers, draw every panel, apply the commands) plus tessellation,
//! timed on the calling thread; no window or GPU.
#![allow(dead_code)] // each benchmark uses part of it

use std::time::{Duration, Instant};

use folio::app::FolioApp;

/// Draws one frame of `app` at `size` with `events` as input; returns the CPU time of
/// drain + ui + apply + tessellate.
pub fn frame(
    ctx: &egui::Context,
    app: &mut FolioApp,
    size: egui::Vec2,
    events: Vec<egui::Event>,
) -> Duration {
    let raw = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
        events,
        ..Default::default()
    };
    let start = Instant::now();
    let mut output = ctx.run_ui(raw, |ui| app.frame(ui));
    let shapes = std::mem::take(&mut output.shapes);
    let _meshes = ctx.tessellate(shapes, output.pixels_per_point);
    let elapsed = start.elapsed();
    output.textures_delta.clear();
    elapsed
}

/// Draws frames until nothing the window waits for is running.
pub fn settle(ctx: &egui::Context, app: &mut FolioApp, size: egui::Vec2) {
    loop {
        frame(ctx, app, size, Vec::new());
        if !app.state().is_busy() {
            frame(ctx, app, size, Vec::new());
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Mean, median, p95 and max of `times`, printed under `label`.
pub fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len().max(1);
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().map(ms).sum::<f64>() / n as f64;
    let pct = |p: f64| times.get(((n - 1) as f64 * p) as usize).map_or(0.0, ms);
    println!(
        "{label}: n={n} mean {mean:.2} ms, median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
}
