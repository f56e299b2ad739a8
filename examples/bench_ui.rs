//! Measures the desktop app headless on 100,000 synthetic posts:
//!
//! 1. one frame of the main screen (list scrolled to the middle, a post open), CPU ms
//!    per frame including tessellation;
//! 2. search-as-you-type: the frame that takes one typed character (query included);
//! 3. frame time while a real 100,000-file scan runs on the worker threads.
//!
//! The posts are written to a temporary folder and opened as a person would; then the
//! app is driven by input events only. Run with
//! `cargo run --release --example bench_ui [POSTS]`. No window or GPU: egui's `Context`
//! runs the same app the window does.

mod headless;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::app::settings::Settings;
use folio::app::{Command, FolioApp};

const SITES: [(&str, &str, &str); 6] = [
    ("金融", "新浪财经", "新浪财经－国內"),
    ("新媒体", "36kr", "快讯"),
    ("新媒体", "cnBeta", "最新"),
    ("编程", "开源中国", "资讯"),
    ("二次元", "Bangumi", "放送列表"),
    ("设计", "Dribbble", "Popular"),
];
const WORDS: [&str; 12] = [
    "北京", "上海", "新增", "确诊", "基金", "市场", "发布", "苹果", "开源", "增长", "报告", "游戏",
];

fn post_text(i: usize) -> (PathBuf, String) {
    let (a, b, c) = SITES[i % SITES.len()];
    let w1 = WORDS[i % WORDS.len()];
    let w2 = WORDS[(i / 7) % WORDS.len()];
    let title = format!("{w1}{w2}第{i}号文章 Report {i}");
    let day = 1 + i % 28;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"][i % 6];
    let year = 2021 + i % 2;
    let text = format!(
        "\n---\ntitle: '{title}'\ncategories: \n - {a}\n - {b}\n - {c}\nheadimg: 'https://picsum.photos/400/300?random={i}'\nauthor: {b}\ncomments: false\ndate: Thu, {day:02} {month} {year} 08:02:32 GMT\nthumbnail: ''\n---\n\n<div>   \n<p>　　{w1}{w2}，这是第{i}篇合成文章的正文。</p>\n<p>Body text for post {i}.</p>\n</div>\n            "
    );
    (PathBuf::from(format!("{a}/{b}/{c}/{title}.md")), text)
}

const SIZE: egui::Vec2 = egui::vec2(1440.0, 900.0);

fn frame(ctx: &egui::Context, app: &mut FolioApp, events: Vec<egui::Event>) -> Duration {
    headless::frame(ctx, app, SIZE, events)
}

fn write_archive(root: &Path, posts: usize) -> Result<(), Box<dyn std::error::Error>> {
    for i in 0..posts {
        let (rel, text) = post_text(i);
        let path = root.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

fn key(key: egui::Key, modifiers: egui::Modifiers) -> egui::Event {
    egui::Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let posts: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let t = Instant::now();
    write_archive(dir.path(), posts)?;
    println!(
        "wrote {posts} files in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    // 3 first: frames while the scan of the files runs, as a person opening it sees.
    let ctx = egui::Context::default();
    let mut app = FolioApp::with_settings(&ctx, Settings::default(), Some(dir.path().into()));
    let start = Instant::now();
    let mut times = Vec::new();
    let mut frames = 0;
    while app.state().is_busy() || frames == 0 {
        let t = Instant::now();
        frame(&ctx, &mut app, Vec::new());
        times.push(t.elapsed());
        frames += 1;
        // A 60 Hz display: wait out the rest of the frame budget.
        if let Some(rest) = Duration::from_millis(16).checked_sub(t.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "scan of {} posts: {:.1} s, {frames} frames drawn meanwhile ({:.0} fps)",
        app.state().post_count(),
        elapsed,
        frames as f64 / elapsed
    );
    headless::report("frame while scanning (drain + ui + tessellate)", times);

    // 1. The main screen with the middle post open.
    let middle = posts / 2;
    if let Some(&id) = app.state().visible().get(middle) {
        app.apply(Command::Select(id), &ctx);
    }
    app.scroll_list_to(middle);
    headless::settle(&ctx, &mut app, SIZE);
    for _ in 0..5 {
        frame(&ctx, &mut app, Vec::new());
    }
    let times: Vec<Duration> = (0..200)
        .map(|_| frame(&ctx, &mut app, Vec::new()))
        .collect();
    headless::report("main screen frame (ui + tessellate)", times);

    // 2. Search as you type: Ctrl+F, then one character per frame.
    frame(
        &ctx,
        &mut app,
        vec![key(egui::Key::F, egui::Modifiers::COMMAND)],
    );
    frame(&ctx, &mut app, Vec::new());
    let mut times = Vec::new();
    for word in ["北京新增", "report 5", "开源中国", "xyz"] {
        for ch in word.chars() {
            times.push(frame(
                &ctx,
                &mut app,
                vec![egui::Event::Text(ch.to_string())],
            ));
        }
        for _ in word.chars() {
            frame(
                &ctx,
                &mut app,
                vec![key(egui::Key::Backspace, egui::Modifiers::NONE)],
            );
        }
    }
    headless::report("search keystroke: the frame that takes it", times);

    // 4. Saving: Enter focuses the first field (the title), type, Ctrl+S; every frame
    //    from the keystroke until the save is back is timed.
    frame(
        &ctx,
        &mut app,
        vec![key(egui::Key::Escape, egui::Modifiers::NONE)],
    );
    frame(
        &ctx,
        &mut app,
        vec![key(egui::Key::Enter, egui::Modifiers::NONE)],
    );
    frame(
        &ctx,
        &mut app,
        vec![key(egui::Key::End, egui::Modifiers::NONE)],
    );
    let mut times = Vec::new();
    let mut saves = 0;
    let started = Instant::now();
    for _ in 0..20 {
        times.push(frame(
            &ctx,
            &mut app,
            vec![
                egui::Event::Text("!".into()),
                key(egui::Key::S, egui::Modifiers::COMMAND),
            ],
        ));
        while app.state().is_busy() {
            times.push(frame(&ctx, &mut app, Vec::new()));
        }
        saves += usize::from(!app.state().is_dirty());
    }
    println!(
        "{saves} of 20 saves done in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    headless::report(
        "frame while saving (keystroke + Ctrl+S, until saved)",
        times,
    );
    Ok(())
}
