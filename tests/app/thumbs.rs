//! Thumbnails in the desktop app, driven through egui_kittest on a copy of the app
//! fixtures: a post whose image is a PNG inside the archive gets a list thumbnail and
//! a header image (textures really uploaded), and offline mode makes no network
//! request (a local listener counts connections). No internet, no display.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::FolioApp;
use folio::app::settings::Settings;

const ZHONGCHANG: &str = "00后涌向中厂";
const ZHONGCHANG_FILE: &str = "新媒体/36kr/资讯/00后涌向中厂.md";

/// A copy of the fixture archive whose 中厂 post's image is `reference`.
fn fixture_with_image(reference: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let post = root.join(ZHONGCHANG_FILE);
    let text = std::fs::read_to_string(&post).unwrap();
    let text: Vec<String> = text
        .lines()
        .map(|line| {
            if let Some((key @ ("headimg" | "thumbnail"), _)) = line.split_once(':') {
                format!("{key}: '{reference}'")
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::fs::write(&post, text.join("\n") + "\n").unwrap();
    (dir, root)
}

fn harness(settings: Settings, folder: PathBuf) -> Harness<'static, FolioApp> {
    Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| FolioApp::with_settings(&cc.egui_ctx, settings, Some(folder)))
}

/// Steps frames (with real time passing for the workers) until `done` or a timeout.
fn step_until(harness: &mut Harness<'_, FolioApp>, done: impl Fn(&FolioApp) -> bool) -> bool {
    for _ in 0..600 {
        harness.step();
        if done(harness.state()) {
            harness.run_steps(2);
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

fn uploads(app: &FolioApp) -> u64 {
    app.state().thumbs().uploads()
}

#[test]
fn a_local_image_becomes_the_list_thumbnail_and_the_header_image() {
    let (_dir, root) = fixture_with_image("cover.png");
    let post_dir = root.join(ZHONGCHANG_FILE);
    let png = post_dir.parent().unwrap().join("cover.png");
    image::RgbaImage::from_pixel(320, 240, image::Rgba([30, 120, 200, 255]))
        .save(&png)
        .unwrap();
    // Offline still loads images inside the archive, and keeps the fixture's remote
    // images from reaching for the network.
    let mut harness = harness(app_support::offline_settings(), root);
    assert!(
        step_until(&mut harness, |app| uploads(app) >= 1),
        "the list thumbnail was never uploaded"
    );
    let textures_before = harness.ctx.tex_manager().read().num_allocated();
    assert!(textures_before >= 2, "font atlas and the thumbnail");

    harness
        .get_by_role_and_label(Role::Button, ZHONGCHANG)
        .click();
    assert!(
        step_until(&mut harness, |app| app.state().open_post().is_some()
            && uploads(app) >= 2),
        "the header image was never uploaded"
    );
    // The picture is drawn (an image named by its alt text), not the placeholder.
    harness.get_by_role_and_label(Role::Image, "Header image");
}

#[test]
fn offline_mode_makes_no_network_request() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let counter = {
        let (connections, stop) = (Arc::clone(&connections), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    // Dropping the stream closes it: the fetch fails at once.
                    Ok(_) => drop(connections.fetch_add(1, Ordering::Relaxed)),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        })
    };
    let (_dir, root) = fixture_with_image(&format!("http://127.0.0.1:{port}/cover.png"));
    let settings = Settings {
        offline: true,
        // The stand-in server is on this machine, which image fetches refuse otherwise.
        allow_local_images: true,
        ..Settings::default()
    };
    let mut harness = harness(settings, root);
    step_until(&mut harness, |app| !app.state().is_busy());
    harness
        .get_by_role_and_label(Role::Button, ZHONGCHANG)
        .click();
    step_until(&mut harness, |app| app.state().open_post().is_some());
    for _ in 0..40 {
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        connections.load(Ordering::Relaxed),
        0,
        "offline made a request"
    );
    assert_eq!(uploads(harness.state()), 0);

    // Turning offline mode off (View menu) lets the image be fetched.
    harness.get_by_label("View").click();
    harness.run_steps(3);
    harness.get_by_label("Offline (no image downloads)").click();
    harness.run_steps(3);
    assert!(!harness.state().state().settings().offline);
    let fetched = step_until(&mut harness, |_| connections.load(Ordering::Relaxed) > 0);
    stop.store(true, Ordering::Relaxed);
    counter.join().unwrap();
    assert!(fetched, "going online never fetched the image");
}
