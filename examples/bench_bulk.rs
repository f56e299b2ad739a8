//! Bulk curation at archive scale: one operation touching 10,000 posts of a synthetic
//! 100,000-post archive.
//!
//! 1. The engine alone: preview (time to the first batch of diffs, time to complete),
//!    apply, undo, and the size of the history it leaves.
//! 2. The window: the same kind of operation previewed and applied through the real
//!    app (headless), timing every frame drawn while the files are written.
//!
//! Run with `cargo run --release --example bench_bulk [ARCHIVE] [POSTS]`. Without
//! ARCHIVE a 100,000-post archive is generated into a temporary folder (as
//! `gen_archive` does); the archive is changed and restored, so do not point it at one
//! that matters. The history goes to a temporary folder.

mod headless;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use folio::archive::{ScanOptions, scan};
use folio::bulk::{self, History, Operation, Plan, Preview, Progress};

const SIZE: egui::Vec2 = egui::vec2(1440.0, 900.0);

fn folder_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                total += folder_bytes(&path);
            } else if let Ok(meta) = entry.metadata() {
                total += meta.len();
            }
        }
    }
    total
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let temp = tempfile::tempdir()?;
    let root: PathBuf = match args.next() {
        Some(path) => path.into(),
        None => {
            let root = temp.path().join("archive");
            let status = Command::new(std::env::current_exe()?.with_file_name("gen_archive"))
                .arg("100000")
                .arg(&root)
                .status()?;
            anyhow::ensure!(
                status.success(),
                "gen_archive failed (build it: cargo build --release --example gen_archive)"
            );
            root
        }
    };
    let wanted: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let history_dir = temp.path().join("history");

    let t = Instant::now();
    let archive = scan(&root, &ScanOptions::default())?;
    println!(
        "scanned {} posts in {:.0} ms",
        archive.articles.len(),
        ms(t.elapsed())
    );
    // Every tenth post: 10,000 posts spread over every folder of the archive.
    let step = (archive.articles.len() / wanted).max(1);
    let posts: Vec<PathBuf> = archive
        .articles
        .iter()
        .step_by(step)
        .take(wanted)
        .map(|a| a.path.clone())
        .collect();
    let plan = Plan::new(vec![
        Operation::AddItem {
            key: "tags".into(),
            item: "整理".into(),
        },
        Operation::Set {
            key: "date".into(),
            value: "2022-08-17 10:00:00".into(),
        },
    ])
    .map_err(anyhow::Error::msg)?;

    // 1. The engine.
    let progress = Progress::default();
    let started = Instant::now();
    let mut first = None;
    let mut preview = Preview::default();
    bulk::preview_with(&root, &posts, &plan, &progress, |batch| {
        first.get_or_insert_with(|| started.elapsed());
        preview.extend(batch);
    })
    .map_err(anyhow::Error::msg)?;
    let complete = started.elapsed();
    println!(
        "preview of {} posts: first diffs after {:.0} ms, complete in {:.0} ms ({} change, {} unchanged, {} refused)",
        posts.len(),
        ms(first.unwrap_or_default()),
        ms(complete),
        preview.changes.len(),
        preview.unchanged,
        preview.refused.len()
    );
    let history = History::open(&history_dir, &root)?;
    let changes = preview.changes.len();
    let t = Instant::now();
    let report = bulk::apply(&history, &plan, preview.changes, &Progress::default())?;
    println!(
        "apply: {} files in {:.0} ms ({} skipped)",
        report.done,
        ms(t.elapsed()),
        report.skipped.len()
    );
    println!(
        "history after apply: {:.1} MiB for {changes} files",
        folder_bytes(&history_dir) as f64 / (1024.0 * 1024.0)
    );
    let t = Instant::now();
    let undo = bulk::undo(&history, None, &Progress::default())?;
    println!("undo: {} files in {:.0} ms", undo.done, ms(t.elapsed()));

    // 2. The window: open the archive, mark 10,000 posts with a search, preview, apply.
    let ctx = egui::Context::default();
    let dirs = folio::app::AppDirs {
        thumb_cache: None,
        history: Some(history_dir.clone()),
        ..folio::app::AppDirs::default()
    };
    let settings = folio::app::settings::Settings {
        offline: true,
        ..Default::default()
    };
    let mut app = folio::app::FolioApp::with_dirs(&ctx, settings, Some(root.clone()), dirs);
    headless::settle(&ctx, &mut app, SIZE);
    let query = "cat:金融".to_owned();
    app.apply(
        folio::app::Command::BulkPreview {
            plan: Plan::new(vec![Operation::AddItem {
                key: "tags".into(),
                item: "窗口".into(),
            }])
            .map_err(anyhow::Error::msg)?,
            scope: folio::app::Scope::Query(query.clone()),
        },
        &ctx,
    );
    let mut preview_frames = Vec::new();
    while app.state().is_busy() {
        preview_frames.push(headless::frame(&ctx, &mut app, SIZE, Vec::new()));
    }
    let selected = match app.state().bulk() {
        Some(folio::app::BulkJob::Ready { preview, .. }) => preview.changes.len(),
        _ => 0,
    };
    headless::report(
        &format!("window: frame while previewing `{query}` ({selected} posts change)"),
        preview_frames,
    );
    app.apply(folio::app::Command::BulkApply, &ctx);
    let started = Instant::now();
    let mut frames = Vec::new();
    while app.state().is_busy() {
        let t = Instant::now();
        frames.push(headless::frame(&ctx, &mut app, SIZE, Vec::new()));
        if let Some(rest) = Duration::from_millis(16).checked_sub(t.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    let over = frames.iter().filter(|d| ms(**d) > 16.0).count();
    println!(
        "window: apply of {selected} posts took {:.0} ms; {over} of {} frames over 16 ms",
        ms(started.elapsed()),
        frames.len()
    );
    headless::report("window: frame while applying", frames);
    if let Some(notice) = app.state().notice() {
        println!("window: notice \"{}\"", notice.text);
    }
    // Leave the archive as it was.
    let history = History::open(&history_dir, &root)?;
    let back = bulk::undo(&history, None, &Progress::default())?;
    println!("restored {} files", back.done);
    Ok(())
}
