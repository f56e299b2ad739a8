//! Thumbnail benchmark driver: `cargo run --release --example bench_thumbs`.
//!
//! Reports, on this machine:
//! - decode + downscale time of one 1600×1200 JPEG (the size of a typical news photo)
//!   to each thumbnail size;
//! - disk-cache hit latency (read + decode of a stored thumbnail) at list and header
//!   size;
//! - the UI-thread cost per frame of driving the pool while scrolling through 10,000
//!   posts whose images are all cached (the `request`/`poll` calls only; drawing and
//!   texture upload belong to the app and are measured there).
//!
//! Everything runs in a temporary folder; no network is used.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use folio::thumbs::{CacheConfig, CacheKey, DecodeLimits, DiskCache, Downscaler, decode_rgba};
use folio::thumbs::{PoolConfig, Priority, ThumbEvent, ThumbPool, ThumbRequest, ThumbSize};
use image::{ImageFormat, Rgb, RgbImage};

const PHOTO_WIDTH_PX: u32 = 1600;
const PHOTO_HEIGHT_PX: u32 = 1200;
const POSTS: usize = 10_000;
const DISTINCT_IMAGES: usize = 2_000;
const VISIBLE_ROWS: usize = 30;
const ROWS_SCROLLED_PER_FRAME: usize = 3;

/// A photo-like image: smooth gradients plus deterministic noise, so JPEG has real work.
fn photo(width: u32, height: u32, seed: u32) -> anyhow::Result<Vec<u8>> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let image = RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 32) as u8;
        Rgb([
            ((x * 200 / width) as u8).saturating_add(noise),
            ((y * 200 / height) as u8).saturating_add(noise),
            (((x + y) * 100 / (width + height)) as u8).saturating_add(noise),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Jpeg)?;
    Ok(out.into_inner())
}

struct Stats {
    samples: Vec<Duration>,
}

impl Stats {
    fn new() -> Self {
        Self {
            samples: Vec::new(),
        }
    }
    fn add(&mut self, sample: Duration) {
        self.samples.push(sample);
    }
    fn percentile(&mut self, fraction: f64) -> Duration {
        self.samples.sort();
        let index = ((self.samples.len() as f64 - 1.0) * fraction).round() as usize;
        self.samples.get(index).copied().unwrap_or_default()
    }
    fn line(&mut self, label: &str, unit: &str) -> String {
        let scale = |d: Duration| match unit {
            "ms" => d.as_secs_f64() * 1e3,
            _ => d.as_secs_f64() * 1e6,
        };
        let median = scale(self.percentile(0.5));
        let p95 = scale(self.percentile(0.95));
        let max = scale(self.percentile(1.0));
        format!(
            "{label:<44} median {median:>8.3} {unit}   p95 {p95:>8.3} {unit}   max {max:>8.3} {unit}   (n={})",
            self.samples.len()
        )
    }
}

fn main() -> anyhow::Result<()> {
    println!(
        "bench_thumbs — {} threads available",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let jpeg = photo(PHOTO_WIDTH_PX, PHOTO_HEIGHT_PX, 7)?;
    println!(
        "source image: {PHOTO_WIDTH_PX}×{PHOTO_HEIGHT_PX} JPEG, {} KiB",
        jpeg.len() / 1024
    );
    let limits = DecodeLimits::default();
    let mut scaler = Downscaler::new();

    // 1. Decode + downscale.
    let iterations = 30;
    let mut decode = Stats::new();
    let mut per_size: Vec<(ThumbSize, Stats)> =
        ThumbSize::ALL.iter().map(|&s| (s, Stats::new())).collect();
    let mut decode_and_list2x = Stats::new();
    for _ in 0..iterations {
        let start = Instant::now();
        let rgba = decode_rgba(&jpeg, &limits)?;
        let decoded = start.elapsed();
        decode.add(decoded);
        for (size, stats) in &mut per_size {
            let start = Instant::now();
            let _ = scaler.thumbnail(&rgba, *size)?;
            let scaled = start.elapsed();
            stats.add(scaled);
            if *size == ThumbSize::List2x {
                decode_and_list2x.add(decoded + scaled);
            }
        }
    }
    println!("\n== decode + downscale (per image) ==");
    println!("{}", decode.line("decode 1600×1200 JPEG → RGBA", "ms"));
    for (size, stats) in &mut per_size {
        let (w, h) = size.box_px();
        println!(
            "{}",
            stats.line(&format!("downscale to {} ({w}×{h} box)", size.name()), "ms")
        );
    }
    println!(
        "{}",
        decode_and_list2x.line("decode + downscale to list2x", "ms")
    );

    // 2. Disk-cache hits.
    let temp = tempfile::tempdir()?;
    let cache_config = CacheConfig {
        dir: Some(temp.path().join("cache")),
        ..CacheConfig::default()
    };
    let cache = DiskCache::open(&temp.path().join("cache"), &cache_config)?;
    let entries = 200;
    let rgba = decode_rgba(&jpeg, &limits)?;
    let mut stored = Vec::new();
    for size in ThumbSize::ALL {
        let (pixels, w, h) = scaler.thumbnail(&rgba, size)?;
        for i in 0..entries {
            let key = CacheKey::thumbnail(&format!("url:https://bench/{i}.jpg"), size);
            cache.put(&key, &pixels, w, h)?;
            stored.push((size, key));
        }
    }
    println!("\n== disk-cache hit (read + decode stored thumbnail, warm OS cache) ==");
    for size in ThumbSize::ALL {
        let mut stats = Stats::new();
        for _ in 0..3 {
            for (_, key) in stored.iter().filter(|(s, _)| *s == size) {
                let start = Instant::now();
                let hit = cache.get(key);
                stats.add(start.elapsed());
                anyhow::ensure!(hit.is_some(), "cache miss in benchmark");
            }
        }
        let unit = if size == ThumbSize::Header {
            "ms"
        } else {
            "µs"
        };
        println!(
            "{}",
            stats.line(&format!("cache hit {}", size.name()), unit)
        );
    }
    let miss_key = CacheKey::thumbnail("url:https://bench/absent.jpg", ThumbSize::List);
    let mut miss = Stats::new();
    for _ in 0..200 {
        let start = Instant::now();
        let _ = cache.get(&miss_key);
        miss.add(start.elapsed());
    }
    println!("{}", miss.line("cache miss (lookup only)", "µs"));
    println!(
        "cache folder: {} KiB for {} thumbnails",
        cache.total_bytes() / 1024,
        stored.len()
    );

    // 3. Scrolling 10,000 cached posts: UI-thread time per frame.
    scroll_benchmark(temp.path(), &jpeg)?;
    Ok(())
}

fn scroll_benchmark(temp: &Path, jpeg: &[u8]) -> anyhow::Result<()> {
    let archive = temp.join("archive");
    std::fs::create_dir_all(archive.join("source/images"))?;
    let small = photo(400, 300, 3)?;
    for i in 0..DISTINCT_IMAGES {
        let bytes = if i == 0 { jpeg } else { &small };
        std::fs::write(archive.join(format!("source/images/{i}.jpg")), bytes)?;
    }
    let root: Arc<Path> = Arc::from(archive.as_path());
    let requests: Vec<ThumbRequest> = (0..POSTS)
        .map(|post| {
            ThumbRequest::new(
                root.clone(),
                format!("source/_posts/{post}"),
                &format!("/images/{}.jpg", post % DISTINCT_IMAGES),
                ThumbSize::List2x,
            )
        })
        .collect::<Result<_, _>>()?;

    let config = PoolConfig {
        cache: CacheConfig {
            dir: Some(temp.join("scroll-cache")),
            ..CacheConfig::default()
        },
        offline: true,
        ..PoolConfig::default()
    };

    // Warm the disk cache (not timed as UI work).
    let warm_start = Instant::now();
    {
        let pool = ThumbPool::new(config.clone());
        for (i, req) in requests.iter().take(DISTINCT_IMAGES).enumerate() {
            let priority = if i < VISIBLE_ROWS {
                Priority::Visible
            } else {
                Priority::Prefetch
            };
            pool.request(req, priority);
        }
        let mut received = 0;
        while received < DISTINCT_IMAGES {
            match pool.wait_event(30_000) {
                Some(ThumbEvent::Ready(_)) => received += 1,
                Some(ThumbEvent::Failed { key, error }) => {
                    anyhow::bail!("warm-up failed for {}: {error}", key.source.as_str())
                }
                None => anyhow::bail!("warm-up stalled at {received}"),
            }
        }
    }
    println!(
        "\n== scrolling {POSTS} posts ({DISTINCT_IMAGES} distinct images, all cached) ==\nwarm-up: {DISTINCT_IMAGES} local 400×300 JPEGs decoded + cached in {:.2} s",
        warm_start.elapsed().as_secs_f64()
    );

    // A fresh pool, as after a restart: everything comes from the disk cache.
    let pool = ThumbPool::new(config);
    let mut have = std::collections::HashSet::new();
    let mut frame_cost = Stats::new();
    let mut delivered = 0usize;
    let mut top = 0;
    let scroll_start = Instant::now();
    let mut frames = 0;
    let mut row_frames = 0usize;
    let mut placeholder_row_frames = 0usize;
    while top + VISIBLE_ROWS <= POSTS {
        let start = Instant::now();
        pool.begin_frame();
        for event in pool.poll() {
            if let ThumbEvent::Ready(thumb) = event {
                delivered += 1;
                have.insert(thumb.key);
            }
        }
        for req in requests.iter().skip(top).take(VISIBLE_ROWS) {
            row_frames += 1;
            if !have.contains(req.key()) {
                placeholder_row_frames += 1;
                pool.request(req, Priority::Visible);
            }
        }
        frame_cost.add(start.elapsed());
        frames += 1;
        top += ROWS_SCROLLED_PER_FRAME;
        // Pace like a 60 Hz display so workers get the time they would really have.
        std::thread::sleep(Duration::from_micros(16_667).saturating_sub(start.elapsed()));
    }
    let seconds = scroll_start.elapsed().as_secs_f64();
    println!(
        "{frames} frames ({ROWS_SCROLLED_PER_FRAME} rows/frame at 60 Hz, {VISIBLE_ROWS} rows visible) in {seconds:.1} s; {delivered} thumbnails delivered from the disk cache"
    );
    println!(
        "{}",
        frame_cost.line("UI-thread pool calls per frame", "µs")
    );
    println!(
        "visible rows drawn with a placeholder: {placeholder_row_frames} of {row_frames} row-frames ({:.2} %)",
        placeholder_row_frames as f64 * 100.0 / row_frames.max(1) as f64
    );
    Ok(())
}
