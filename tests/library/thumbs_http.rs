//! Thumbnails over HTTP against a local server: real images, every way a host can
//! misbehave, the disk cache, remembered failures, offline mode, one download per
//! URL, and rows scrolled away being dropped.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::thumbs_support;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use folio::thumbs::{
    DecodeError, FetchError, PoolConfig, Priority, ThumbError, ThumbEvent, ThumbPool, ThumbRequest,
    ThumbSize,
};
use image::ImageFormat;
use thumbs_support::{
    Reply, TestServer, collect, encode, gradient, png_bomb, test_config, two_frame_gif,
};

/// The test server listens on a loopback address and a high port, which Folio refuses
/// by default: these tests allow local addresses explicitly.
fn http_config(cache_dir: &Path) -> PoolConfig {
    let mut config = test_config(cache_dir);
    config.fetch.allow_local = true;
    config
}

fn root() -> Arc<Path> {
    Arc::from(Path::new("/nonexistent-archive"))
}

fn request(url: &str, size: ThumbSize) -> ThumbRequest {
    ThumbRequest::new(root(), "source/_posts/a", url, size).unwrap()
}

fn image_server() -> TestServer {
    let mut routes = HashMap::new();
    routes.insert(
        "/photo.jpg",
        Reply::Ok {
            content_type: "image/jpeg",
            body: encode(&gradient(640, 480, 255), ImageFormat::Jpeg),
        },
    );
    routes.insert(
        "/logo.png",
        Reply::Ok {
            content_type: "image/png",
            body: encode(&gradient(300, 100, 128), ImageFormat::Png),
        },
    );
    routes.insert(
        "/pic.webp",
        Reply::Ok {
            content_type: "image/webp",
            body: encode(&gradient(200, 200, 255), ImageFormat::WebP),
        },
    );
    routes.insert(
        "/anim.gif",
        Reply::Ok {
            content_type: "image/gif",
            body: two_frame_gif(),
        },
    );
    routes.insert(
        "/wrong-type.jpg",
        Reply::Ok {
            content_type: "image/jpeg",
            body: encode(&gradient(50, 40, 255), ImageFormat::Png),
        },
    );
    routes.insert("/slow.jpg", Reply::Stall(Duration::from_secs(4)));
    routes.insert("/missing.jpg", Reply::Status(404));
    routes.insert("/loop/a", Reply::Redirect("/loop/b"));
    routes.insert("/loop/b", Reply::Redirect("/loop/a"));
    routes.insert("/huge-declared.jpg", Reply::DeclaredHuge(30 * 1024 * 1024));
    routes.insert("/huge-streamed.png", Reply::StreamedHuge(3 * 1024 * 1024));
    routes.insert(
        "/bomb.png",
        Reply::Ok {
            content_type: "image/png",
            body: png_bomb(),
        },
    );
    routes.insert(
        "/page.html",
        Reply::Ok {
            content_type: "text/html",
            body: b"<html><body>moved</body></html>".to_vec(),
        },
    );
    TestServer::start(routes)
}

fn ready(event: &ThumbEvent) -> &folio::thumbs::Thumbnail {
    match event {
        ThumbEvent::Ready(thumb) => thumb,
        ThumbEvent::Failed { key, error } => panic!("{key:?} failed: {error}"),
    }
}

fn failure(event: &ThumbEvent) -> &ThumbError {
    match event {
        ThumbEvent::Failed { error, .. } => error,
        ThumbEvent::Ready(thumb) => panic!("{:?} unexpectedly succeeded", thumb.key),
    }
}

#[test]
fn real_images_are_decoded_at_every_size_then_served_from_the_disk_cache() {
    let server = image_server();
    let cache = tempfile::tempdir().unwrap();
    let paths = [
        "/photo.jpg",
        "/logo.png",
        "/pic.webp",
        "/anim.gif",
        "/wrong-type.jpg",
    ];
    let requests: Vec<ThumbRequest> = paths
        .iter()
        .flat_map(|path| ThumbSize::ALL.map(|size| request(&server.url(path), size)))
        .collect();

    {
        let pool = ThumbPool::new(http_config(cache.path()));
        for req in &requests {
            pool.request(req, Priority::Visible);
        }
        let events = collect(&pool, requests.len());
        for req in &requests {
            let thumb = ready(&events[req.key()]);
            assert!(!thumb.from_disk_cache);
            assert_eq!(thumb.rgba.len(), (thumb.width * thumb.height * 4) as usize);
            match req.key().size {
                ThumbSize::List => assert_eq!((thumb.width, thumb.height), (96, 72)),
                ThumbSize::List2x => assert_eq!((thumb.width, thumb.height), (192, 144)),
                ThumbSize::Header => assert!(thumb.width <= 1280 && thumb.height <= 720),
            }
        }
        let header = ready(&events[request(&server.url("/photo.jpg"), ThumbSize::Header).key()]);
        assert_eq!((header.width, header.height), (640, 480), "never upscaled");
        let gif = ready(&events[request(&server.url("/anim.gif"), ThumbSize::Header).key()]);
        assert_eq!(
            &gif.rgba[..4],
            &[255, 0, 0, 255],
            "the first GIF frame is red"
        );
        let png = ready(&events[request(&server.url("/logo.png"), ThumbSize::Header).key()]);
        assert_eq!(png.rgba[3], 128, "transparency survives");
        for path in paths {
            assert_eq!(server.hits(path), 1, "{path}: one download for three sizes");
        }
        let expected_agent = format!("Folio/{}", env!("CARGO_PKG_VERSION"));
        for request in server.requests() {
            assert!(request.ends_with(&expected_agent), "{request}");
        }
    }

    // A new pool (as after a restart) on the same cache folder: no request at all.
    let pool = ThumbPool::new(http_config(cache.path()));
    for req in &requests {
        pool.request(req, Priority::Visible);
    }
    let events = collect(&pool, requests.len());
    for req in &requests {
        assert!(ready(&events[req.key()]).from_disk_cache, "{:?}", req.key());
    }
    let png = ready(&events[request(&server.url("/logo.png"), ThumbSize::Header).key()]);
    assert_eq!(png.rgba[3], 128, "transparency survives the cache");
    for path in paths {
        assert_eq!(server.hits(path), 1, "{path}: served from the disk cache");
    }
}

type ErrorCheck = fn(&ThumbError) -> bool;

#[test]
fn misbehaving_hosts_fail_cleanly_and_are_not_asked_again() {
    let server = image_server();
    let cache = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, ErrorCheck)> = vec![
        ("/slow.jpg", |e| {
            matches!(e, ThumbError::Fetch(FetchError::Timeout { .. }))
        }),
        ("/missing.jpg", |e| {
            matches!(e, ThumbError::Fetch(FetchError::Status { status: 404, .. }))
        }),
        ("/loop/a", |e| {
            matches!(e, ThumbError::Fetch(FetchError::TooManyRedirects { .. }))
        }),
        ("/huge-declared.jpg", |e| {
            matches!(e, ThumbError::Fetch(FetchError::TooLarge { .. }))
        }),
        ("/huge-streamed.png", |e| {
            matches!(e, ThumbError::Fetch(FetchError::TooLarge { .. }))
        }),
        ("/bomb.png", |e| {
            matches!(e, ThumbError::Decode(DecodeError::TooLarge(_)))
        }),
        ("/page.html", |e| {
            matches!(e, ThumbError::Decode(DecodeError::NotAnImage))
        }),
        ("/nowhere.jpg", |e| {
            matches!(e, ThumbError::Fetch(FetchError::Status { status: 404, .. }))
        }),
    ];
    let ask_all = |pool: &ThumbPool, size: ThumbSize| {
        for (path, _) in &cases {
            pool.request(&request(&server.url(path), size), Priority::Visible);
        }
        let events = collect(pool, cases.len());
        cases
            .iter()
            .map(|(path, _)| {
                let key = request(&server.url(path), size).key().clone();
                (*path, failure(&events[&key]).clone())
            })
            .collect::<Vec<_>>()
    };
    let is_recent = |error: &ThumbError| matches!(error, ThumbError::RecentFailure { .. });

    let pool = ThumbPool::new(http_config(cache.path()));
    for ((path, error), (_, expected)) in ask_all(&pool, ThumbSize::List).iter().zip(&cases) {
        assert!(expected(error), "{path}: {error:?}");
    }
    let hits_after_first_round = server.total_hits();

    // Asking again (another size, as on a high-DPI screen) does not hammer the hosts.
    for (path, error) in ask_all(&pool, ThumbSize::List2x) {
        assert!(is_recent(&error), "{path}: {error:?}");
    }
    assert_eq!(server.total_hits(), hits_after_first_round);
    drop(pool);

    // After a restart, permanent failures are still remembered (on disk); the timeout
    // may have been the network's fault and is tried once more.
    let pool = ThumbPool::new(http_config(cache.path()));
    for (path, error) in ask_all(&pool, ThumbSize::Header) {
        if path == "/slow.jpg" {
            assert!(
                matches!(error, ThumbError::Fetch(FetchError::Timeout { .. })),
                "{error:?}"
            );
        } else {
            assert!(is_recent(&error), "{path}: {error:?}");
        }
    }
    assert_eq!(server.total_hits(), hits_after_first_round + 1);

    // Until the user asks to retry: one image, then all of them.
    let retry = request(&server.url("/missing.jpg"), ThumbSize::List);
    pool.forget_failure(&retry);
    pool.request(&retry, Priority::Visible);
    assert!(matches!(
        failure(&collect(&pool, 1)[retry.key()]),
        ThumbError::Fetch(FetchError::Status { status: 404, .. })
    ));
    assert_eq!(server.hits("/missing.jpg"), 2);
    pool.retry_failed();
    let html = request(&server.url("/page.html"), ThumbSize::List);
    pool.request(&html, Priority::Visible);
    assert!(matches!(
        failure(&collect(&pool, 1)[html.key()]),
        ThumbError::Decode(DecodeError::NotAnImage)
    ));
    assert_eq!(server.hits("/page.html"), 2);
}

#[test]
fn offline_mode_makes_no_request_but_serves_the_cache() {
    let server = image_server();
    let cache = tempfile::tempdir().unwrap();
    let mut config = http_config(cache.path());
    config.offline = true;
    let pool = ThumbPool::new(config);
    assert!(pool.is_offline());
    let paths = ["/photo.jpg", "/logo.png", "/missing.jpg", "/slow.jpg"];
    for path in paths {
        pool.request(
            &request(&server.url(path), ThumbSize::List),
            Priority::Visible,
        );
    }
    let events = collect(&pool, paths.len());
    for event in events.values() {
        assert_eq!(failure(event), &ThumbError::Offline);
    }
    assert_eq!(server.total_hits(), 0);

    // Back online the same request loads; offline again it comes from the cache.
    pool.set_offline(false);
    let photo = request(&server.url("/photo.jpg"), ThumbSize::List);
    pool.request(&photo, Priority::Visible);
    assert!(!ready(&collect(&pool, 1)[photo.key()]).from_disk_cache);
    pool.set_offline(true);
    pool.request(&photo, Priority::Visible);
    assert!(ready(&collect(&pool, 1)[photo.key()]).from_disk_cache);
    assert_eq!(server.total_hits(), 1);
}

#[test]
fn one_url_shared_by_many_posts_is_downloaded_once() {
    let mut routes = HashMap::new();
    routes.insert(
        "/photo.jpg",
        Reply::GatedImage(encode(&gradient(640, 480, 255), ImageFormat::Png)),
    );
    let server = TestServer::start(routes);
    let cache = tempfile::tempdir().unwrap();
    let pool = ThumbPool::new(http_config(cache.path()));
    let url = server.url("/photo.jpg#pic_center");
    let mut keys = std::collections::HashSet::new();
    for post in 0..200 {
        for size in [ThumbSize::List, ThumbSize::List2x] {
            let req =
                ThumbRequest::new(root(), format!("source/_posts/p{post}"), &url, size).unwrap();
            keys.insert(req.key().clone());
            pool.request(&req, Priority::Visible);
        }
    }
    assert_eq!(keys.len(), 2, "posts share one key per size");
    // The download is held until every post has asked.
    server.wait_until_gate_entered();
    server.open_gate();
    let events = collect(&pool, 2);
    assert!(events.values().all(|e| matches!(e, ThumbEvent::Ready(_))));
    assert_eq!(server.hits("/photo.jpg"), 1);
    assert!(pool.wait_event(200).is_none(), "no duplicate deliveries");
}

#[test]
fn rows_scrolled_away_are_dropped_before_download() {
    let mut routes = HashMap::new();
    routes.insert("/gate", Reply::Gate);
    for path in ["/scrolled-away.png", "/prefetch.png", "/visible.png"] {
        routes.insert(
            path,
            Reply::Ok {
                content_type: "image/png",
                body: encode(&gradient(20, 20, 255), ImageFormat::Png),
            },
        );
    }
    let server = TestServer::start(routes);
    let cache = tempfile::tempdir().unwrap();
    let mut config = http_config(cache.path());
    config.network_threads = 1;
    config.stale_after_frames = 1;
    let pool = ThumbPool::new(config);

    // Occupy the only network worker.
    pool.begin_frame();
    let gate = request(&server.url("/gate"), ThumbSize::List);
    pool.request(&gate, Priority::Visible);
    server.wait_until_gate_entered();

    let away = request(&server.url("/scrolled-away.png"), ThumbSize::List);
    pool.request(&away, Priority::Visible);
    // The user scrolls: two frames in which that row is no longer requested.
    pool.begin_frame();
    pool.begin_frame();
    let prefetch = request(&server.url("/prefetch.png"), ThumbSize::List);
    let visible = request(&server.url("/visible.png"), ThumbSize::List);
    pool.request(&prefetch, Priority::Prefetch);
    pool.request(&visible, Priority::Visible);
    pool.request(&gate, Priority::Visible);
    server.open_gate();

    let events = collect(&pool, 3);
    assert!(events.contains_key(gate.key()));
    assert!(matches!(events[visible.key()], ThumbEvent::Ready(_)));
    assert!(matches!(events[prefetch.key()], ThumbEvent::Ready(_)));
    assert!(!events.contains_key(away.key()));
    assert_eq!(
        server.hits("/scrolled-away.png"),
        0,
        "cancelled before download"
    );
    assert_eq!(server.hits("/visible.png"), 1);
    assert_eq!(server.hits("/prefetch.png"), 1);
    // Which of the two goes first depends on thread timing here; the ranking itself is
    // unit-tested in `pool.rs`.
    assert!(pool.wait_event(200).is_none());
    assert_eq!(pool.pending_jobs(), 0);
}

#[test]
fn the_repaint_callback_runs_after_delivery() {
    let server = image_server();
    let cache = tempfile::tempdir().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let pool = ThumbPool::new(http_config(cache.path())).with_repaint(Box::new(move || {
        let _ = tx.lock().unwrap().send(());
    }));
    let photo = request(&server.url("/photo.jpg"), ThumbSize::List);
    pool.request(&photo, Priority::Visible);
    rx.recv_timeout(Duration::from_secs(20)).unwrap();
    // The event was sent before the callback ran.
    assert!(matches!(pool.poll().next(), Some(ThumbEvent::Ready(_))));
}
