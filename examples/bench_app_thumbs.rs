//! UI-thread cost of list thumbnails in the desktop app: scroll
//! through 10,000 posts whose images are already in the disk cache and report CPU ms
//! per frame on the UI thread (drain + texture creation + drawing + tessellation).
//!
//! Setup (not timed): an archive of `POSTS` posts sharing `DISTINCT_IMAGES` local
//! 400×300 JPEGs, and one scroll through it with a first app so every thumbnail is in
//! a fresh disk cache. Then a second app (new pool, no textures: as after a restart)
//! scrolls the list top to bottom at `ROWS_PER_FRAME` rows per 60 Hz frame.
//!
//! Run with `cargo build --release --example bench_app_thumbs &&
//! ./target/release/examples/bench_app_thumbs`. Headless: texture uploads are recorded
//! by egui but not sent to a GPU.

use std::path::Path;
use std::time::{Duration, Instant};

mod headless;

use folio::app::FolioApp;
use folio::app::settings::Settings;

const POSTS: usize = 10_000;
const DISTINCT_IMAGES: usize = 1_000;
const ROWS_PER_FRAME: usize = 3;

fn write_archive(root: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(root.join("images"))?;
    for i in 0..DISTINCT_IMAGES {
        let seed = i as u32;
        let img = image::RgbImage::from_fn(400, 300, |x, y| {
            let v = x.wrapping_mul(seed + 3) ^ y.wrapping_mul(7 + seed);
            image::Rgb([(v & 0xff) as u8, (x / 2) as u8, (y / 2) as u8])
        });
        img.save(root.join(format!("images/p{i}.jpg")))?;
    }
    for i in 0..POSTS {
        let dir = root.join(format!("_posts/site{}", i % 6));
        std::fs::create_dir_all(&dir)?;
        let day = 1 + i % 28;
        let text = format!(
            "---\ntitle: '第{i}号文章 Report {i}'\ncategories:\n - 新媒体\n - site{}\nheadimg: '/images/p{}.jpg'\ndate: 2022-03-{day:02} 08:02:32\n---\n\n<p>正文 {i}</p>\n",
            i % 6,
            i % DISTINCT_IMAGES
        );
        std::fs::write(dir.join(format!("post{i}.md")), text)?;
    }
    Ok(())
}

const SIZE: egui::Vec2 = egui::vec2(1440.0, 900.0);

fn frame(ctx: &egui::Context, app: &mut FolioApp) -> Duration {
    headless::frame(ctx, app, SIZE, Vec::new())
}

fn open(ctx: &egui::Context, root: &Path, cache: &Path) -> FolioApp {
    let mut app = FolioApp::with_thumb_cache(
        ctx,
        Settings::default(),
        Some(root.to_owned()),
        Some(cache.to_owned()),
    );
    headless::settle(ctx, &mut app, SIZE);
    app
}

fn main() -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let root = temp.path().join("archive");
    let cache = temp.path().join("cache");
    let t = Instant::now();
    write_archive(&root)?;
    println!(
        "wrote {POSTS} posts and {DISTINCT_IMAGES} JPEGs in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // Warm the disk cache: scroll slowly, letting every row's thumbnail arrive.
    let t = Instant::now();
    {
        let ctx = egui::Context::default();
        let mut app = open(&ctx, &root, &cache);
        let mut row = 0;
        while row < POSTS {
            app.scroll_list_to(row);
            frame(&ctx, &mut app);
            while app.state().thumbs().pending_jobs() > 0 {
                std::thread::sleep(Duration::from_millis(1));
                frame(&ctx, &mut app);
            }
            row += 10;
        }
        println!(
            "warm-up: {} thumbnails decoded into the disk cache in {:.1} s",
            app.state().thumbs().uploads(),
            t.elapsed().as_secs_f64()
        );
    }

    // Measure: a fresh app scrolls top to bottom at 60 Hz.
    let ctx = egui::Context::default();
    let mut app = open(&ctx, &root, &cache);
    let mut times = Vec::new();
    let mut row = 0;
    let start = Instant::now();
    while row < POSTS {
        app.scroll_list_to(row);
        let t = Instant::now();
        let took = frame(&ctx, &mut app);
        times.push(took);
        if let Some(rest) = Duration::from_millis(16).checked_sub(t.elapsed()) {
            std::thread::sleep(rest);
        }
        row += ROWS_PER_FRAME;
    }
    let seconds = start.elapsed().as_secs_f64();
    times.sort();
    let n = times.len().max(1);
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().map(ms).sum::<f64>() / n as f64;
    let pct = |p: f64| times.get(((n - 1) as f64 * p) as usize).map_or(0.0, ms);
    println!(
        "scrolled {POSTS} posts ({ROWS_PER_FRAME} rows/frame) in {seconds:.1} s: {n} frames, {} thumbnails uploaded from the disk cache, {:.1} MiB of textures",
        app.state().thumbs().uploads(),
        app.state().thumbs().texture_bytes() as f64 / (1024.0 * 1024.0)
    );
    let over_budget = times.iter().filter(|d| ms(d) > 8.0).count();
    println!(
        "UI-thread CPU per frame (drain + ui + tessellate): mean {mean:.2} ms, median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {over_budget} of {n} frames over 8 ms",
        pct(0.5),
        pct(0.95),
        pct(0.99),
        pct(1.0)
    );
    Ok(())
}
