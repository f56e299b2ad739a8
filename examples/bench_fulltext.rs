//! Measures the full-text index on an archive: `bench_fulltext DIR [QUERIES]`
//! (make one with `cargo run --release --example gen_archive -- 100000 DIR`).
//!
//! 1. Builds the index from nothing (in a temporary folder) as the app's worker does:
//!    time, posts per second, size on disk, peak memory (from `/proc/self/status`).
//! 2. A second sync with nothing changed (what every later open costs).
//! 3. Query latency over a mixed set: Chinese runs of 1 to 4 characters and English
//!    words sampled from the cleaned texts of posts spread over the archive, each run
//!    as the window runs it (every match ranked, and the best 100 with snippets).
//! 4. Frames of the real app (headless) while it indexes the archive in the
//!    background.

mod headless;

use std::path::Path;
use std::time::{Duration, Instant};

use folio::app::settings::Settings;
use folio::app::{AppDirs, FolioApp};
use folio::archive::{self, DEFAULT_MAX_FILE_BYTES, ScanOptions, load_post};
use folio::clean::{self, OutputFormat};
use folio::fulltext::tokenizer::is_cjk;
use folio::fulltext::{FullText, SyncProgress};

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn queries(root: &Path, paths: &[std::path::PathBuf], count: usize) -> Vec<String> {
    let mut out = Vec::new();
    let step = (paths.len() / 100).max(1);
    for (n, path) in paths.iter().step_by(step).enumerate() {
        let post = load_post(root, path, DEFAULT_MAX_FILE_BYTES);
        let text = clean::render(&clean::clean_post(&post), OutputFormat::Text);
        let chars: Vec<char> = text.chars().collect();
        // A Chinese run and an English word from each post, where it has them.
        let len = 1 + n % 4;
        let start = (n * 131) % chars.len().max(1);
        if let Some(run) = chars
            .get(start..)
            .and_then(|rest| rest.windows(len).find(|w| w.iter().all(|c| is_cjk(*c))))
        {
            out.push(run.iter().collect());
        }
        if let Some(word) = text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 4)
            .nth(n % 5)
        {
            out.push(word.to_owned());
        }
        if out.len() >= count {
            break;
        }
    }
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1).map(std::path::PathBuf::from) else {
        return Err("usage: bench_fulltext DIR [QUERIES]".into());
    };
    let count: usize = args.get(2).map_or(Ok(200), |c| c.parse())?;
    let scanned = archive::scan(&root, &ScanOptions::listing())?;
    let posts: Vec<_> = scanned
        .articles
        .iter()
        .map(|a| (a.path.clone(), a.stamp))
        .collect();
    println!("posts: {}", posts.len());

    let base = tempfile::tempdir()?;
    let index = FullText::open(base.path(), &root)?;
    let t = Instant::now();
    let report = index.sync(&root, &posts, &SyncProgress::default())?;
    let took = t.elapsed();
    println!(
        "build: {} posts in {:.1} s ({:.0} posts/s), index {:.1} MiB on disk, peak RSS {:.0} MiB",
        report.indexed,
        took.as_secs_f64(),
        report.indexed as f64 / took.as_secs_f64(),
        dir_size(index.dir()) as f64 / (1024.0 * 1024.0),
        peak_rss_mib()
    );
    let t = Instant::now();
    let again = index.sync(&root, &posts, &SyncProgress::default())?;
    println!(
        "sync with nothing changed: {:.0} ms ({} unchanged)",
        ms(t.elapsed()),
        again.unchanged
    );

    let paths: Vec<_> = posts.iter().map(|(p, _)| p.clone()).collect();
    let queries = queries(&root, &paths, count);
    let mut times = Vec::new();
    let mut matching = Vec::new();
    let mut ranking = Vec::new();
    let mut total_hits = 0usize;
    for query in &queries {
        let t = Instant::now();
        // What the window asks for: every match ranked, then the best with snippets.
        let all = index.ranked_paths(query)?;
        let between = Instant::now();
        let best = index.search(query, 100)?;
        matching.push(between - t);
        ranking.push(between.elapsed());
        times.push(t.elapsed());
        total_hits += all.len();
        assert!(best.len() <= all.len().max(100));
    }
    println!(
        "{} queries ({} Chinese, {} English), {:.0} hits each on average",
        queries.len(),
        queries.iter().filter(|q| q.chars().all(is_cjk)).count(),
        queries.iter().filter(|q| !q.chars().all(is_cjk)).count(),
        total_hits as f64 / queries.len().max(1) as f64
    );
    headless::report("query (every match + best 100 with snippets)", times);
    headless::report("  of which every match, ranked (paths)", matching);
    headless::report("  of which the best 100, ranked, with snippets", ranking);
    drop(index);

    // The app indexing the archive in the background.
    let app_base = tempfile::tempdir()?;
    let ctx = egui::Context::default();
    let dirs = AppDirs {
        fulltext: Some(app_base.path().to_owned()),
        ..AppDirs::default()
    };
    let settings = Settings {
        offline: true,
        watch_disk: false,
        ..Settings::default()
    };
    let mut app = FolioApp::with_dirs(&ctx, settings, Some(root.clone()), dirs);
    let size = egui::vec2(1440.0, 900.0);
    let mut frames = Vec::new();
    let t = Instant::now();
    while app.state().is_busy() || frames.is_empty() {
        let start = Instant::now();
        frames.push(headless::frame(&ctx, &mut app, size, Vec::new()));
        if let Some(rest) = Duration::from_millis(16).checked_sub(start.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    println!(
        "app: scanned and indexed in {:.1} s, {} frames",
        t.elapsed().as_secs_f64(),
        frames.len()
    );
    headless::report("frames while scanning and indexing", frames);
    println!("peak RSS {:.0} MiB", peak_rss_mib());
    Ok(())
}
