//! Measures the desktop app headless on 100,000 synthetic posts (issue 5, item 9):
//!
//! 1. one frame of the main screen (list scrolled to the middle, a post open), CPU ms
//!    per frame including tessellation;
//! 2. search-as-you-type: apply one keystroke and draw the next frame;
//! 3. frame time while a real 100,000-file scan runs on the worker threads.
//!
//! Run with `cargo run --release --example bench_ui [POSTS]`. No window or GPU: egui's
//! `Context` runs the same `ui::app_ui` the window does.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::app::settings::Settings;
use folio::app::{Command, FolioApp};
use folio::archive::parse_bytes;

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

fn frame(ctx: &egui::Context, app: &mut FolioApp, events: Vec<egui::Event>) -> Duration {
    let raw = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1440.0, 900.0),
        )),
        events,
        ..Default::default()
    };
    let start = Instant::now();
    app.state.drain(ctx);
    let mut commands = Vec::new();
    let output = ctx.run_ui(raw, |ui| {
        folio::ui::app_ui(ui, &app.state, &mut app.ui_state, &mut commands);
    });
    for c in commands {
        app.state.apply(c, ctx);
    }
    let mut output = output;
    let shapes = std::mem::take(&mut output.shapes);
    let _meshes = ctx.tessellate(shapes, output.pixels_per_point);
    let elapsed = start.elapsed();
    // No GPU: texture updates (the font atlas) are dropped unapplied on purpose.
    output.textures_delta.clear();
    elapsed
}

fn stats(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len().max(1);
    let mean = times.iter().sum::<Duration>().as_secs_f64() * 1000.0 / n as f64;
    let pct = |p: f64| {
        times
            .get(((n as f64 - 1.0) * p) as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{label}: n={n} mean {mean:.2} ms, median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let posts: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let ctx = egui::Context::default();
    let mut app = FolioApp::with_settings(&ctx, Settings::default(), None);

    // 1. Main screen with `posts` posts loaded, list in the middle, a post open.
    let t = Instant::now();
    let mut open_post = None;
    for i in 0..posts {
        let (path, text) = post_text(i);
        let post = parse_bytes(path, None, text.into_bytes());
        if i == posts / 2 {
            open_post = Some(post.clone());
        }
        app.state.catalog.push(post.article);
    }
    println!(
        "built {posts} posts in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    app.state.root = Some(PathBuf::from("/synthetic"));
    let t = Instant::now();
    app.state.catalog.shrink_to_fit();
    app.state.requery();
    // Facets and completions are counted in `drain`, as after a real scan.
    app.state.completions_stale = true;
    app.state.drain(&ctx);
    println!(
        "first query (sort by date) + facets: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    if let Some(post) = open_post {
        let id = u32::try_from(posts / 2)?;
        let fields =
            folio::app::draft::DraftFields::from_front(&post.article.front, post.front_text());
        app.state.draft = Some(folio::app::draft::Draft::new(fields));
        app.state.selected = Some(id);
        let document = folio::app::loader::clean_document(&post);
        app.state.open = Some(folio::app::state::OpenPost { id, post, document });
    }
    app.ui_state.list_scroll_to_row = Some(posts / 2);
    app.ui_state.list_seen_selection = app.state.selected;
    for _ in 0..5 {
        frame(&ctx, &mut app, Vec::new());
    }
    let times: Vec<Duration> = (0..200)
        .map(|_| frame(&ctx, &mut app, Vec::new()))
        .collect();
    stats("main screen frame (ui + tessellate)", times);

    // 2. Search as you type: each keystroke = SetSearch + the next frame.
    let mut times = Vec::new();
    let mut query_times = Vec::new();
    for word in ["北京新增", "report 5", "开源中国", "xyz"] {
        let mut typed = String::new();
        for ch in word.chars() {
            typed.push(ch);
            app.ui_state.search_text = typed.clone();
            let t = Instant::now();
            app.state.apply(Command::SetSearch(typed.clone()), &ctx);
            query_times.push(t.elapsed());
            let f = frame(&ctx, &mut app, Vec::new());
            times.push(t.elapsed());
            let _ = f;
        }
        app.ui_state.search_text.clear();
        app.state.apply(Command::SetSearch(String::new()), &ctx);
        frame(&ctx, &mut app, Vec::new());
    }
    stats("search keystroke: query only", query_times);
    stats("search keystroke: query + next frame", times);

    // 3. Frames while a scan of `posts` real files runs.
    let dir = tempfile::tempdir()?;
    let t = Instant::now();
    for i in 0..posts {
        let (rel, text) = post_text(i);
        let path = dir.path().join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    println!(
        "wrote {posts} files in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    scan_frames(&ctx, dir.path())?;
    Ok(())
}

fn scan_frames(ctx: &egui::Context, root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut app = FolioApp::with_settings(ctx, Settings::default(), None);
    let start = Instant::now();
    app.state.open_path(root);
    let mut times = Vec::new();
    let mut frames = 0;
    while app.state.is_scanning() {
        let t = Instant::now();
        frame(ctx, &mut app, Vec::new());
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
        app.state.catalog.len(),
        elapsed,
        frames as f64 / elapsed
    );
    stats("frame while scanning (drain + ui + tessellate)", times);
    Ok(())
}
