//! Measures re-opening an archive in the app headless: `bench_reopen DIR [RUNS]`
//! (make one with `cargo run --release --example gen_archive -- 100000 DIR`).
//!
//! The archive is opened once to write the scan cache (a temporary folder), then opened
//! again `RUNS` times in a fresh app each: the first frame's time, the time until the
//! list is complete (every post listed, sorted and faceted, from the cache), the
//! time until the check of every file against the cache is done, and the frame times
//! meanwhile. A 60 Hz display is imitated (frames 16 ms apart at most).

mod headless;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::app::settings::Settings;
use folio::app::{AppDirs, FolioApp};

const SIZE: egui::Vec2 = egui::vec2(1440.0, 900.0);

fn open(root: &Path, cache: &Path) -> (egui::Context, FolioApp) {
    let ctx = egui::Context::default();
    let dirs = AppDirs {
        scan_cache: Some(cache.to_owned()),
        ..AppDirs::default()
    };
    let settings = Settings {
        offline: true,
        ..Settings::default()
    };
    let app = FolioApp::with_dirs(&ctx, settings, Some(root.to_owned()), dirs);
    (ctx, app)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1).map(PathBuf::from) else {
        return Err("usage: bench_reopen DIR [RUNS]".into());
    };
    let runs: usize = args.get(2).map_or(Ok(3), |r| r.parse())?;
    // `RUST_LOG=info` shows the app's own timings (cache read, indexing) on stderr.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .try_init();
    let cache = tempfile::tempdir()?;

    let (ctx, mut app) = open(&root, cache.path());
    let t = Instant::now();
    headless::settle(&ctx, &mut app, SIZE);
    let posts = app.state().post_count();
    println!(
        "first open (no cache): {posts} posts in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    drop(app);
    let cache_bytes: u64 = std::fs::read_dir(cache.path())?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "scan cache: {:.1} MiB",
        cache_bytes as f64 / (1024.0 * 1024.0)
    );

    let mut frames = Vec::new();
    for run in 0..runs {
        let (ctx, mut app) = open(&root, cache.path());
        let start = Instant::now();
        let first = headless::frame(&ctx, &mut app, SIZE, Vec::new());
        let mut complete = None;
        while app.state().is_busy() {
            let t = Instant::now();
            frames.push(headless::frame(&ctx, &mut app, SIZE, Vec::new()));
            if complete.is_none()
                && app.state().post_count() == posts
                && app.state().visible().len() == posts
            {
                complete = Some(start.elapsed());
            }
            if let Some(rest) = Duration::from_millis(16).checked_sub(t.elapsed()) {
                std::thread::sleep(rest);
            }
        }
        let checked = start.elapsed();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "re-open {}: first frame {:.1} ms, complete list {:.0} ms, checked {:.0} ms",
            run + 1,
            ms(first),
            complete.map_or(f64::NAN, ms),
            ms(checked)
        );
    }
    headless::report("frames while re-opening and checking", frames);
    Ok(())
}
