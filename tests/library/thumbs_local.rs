//! Thumbnails from inside the archive folder (Hexo `source/`, post-relative paths,
//! `data:` URIs) and the safety boundary: nothing outside the archive is read.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::thumbs_support;

use std::path::Path;
use std::sync::Arc;

use folio::thumbs::{
    Priority, SourceError, ThumbError, ThumbEvent, ThumbPool, ThumbRequest, ThumbSize,
};
use image::ImageFormat;
use thumbs_support::{collect, encode, gradient, test_config};

struct Archive {
    dir: tempfile::TempDir,
    root: Arc<Path>,
}

const POST_DIR: &str = "source/_posts/新浪财经";

fn archive() -> Archive {
    let dir = tempfile::tempdir().unwrap();
    let root: Arc<Path> = Arc::from(dir.path().canonicalize().unwrap().as_path());
    std::fs::create_dir_all(root.join("source/images")).unwrap();
    std::fs::create_dir_all(root.join(POST_DIR).join("img")).unwrap();
    std::fs::write(
        root.join("source/images/头图.png"),
        encode(&gradient(400, 300, 255), ImageFormat::Png),
    )
    .unwrap();
    std::fs::write(
        root.join(POST_DIR).join("img/cover.webp"),
        encode(&gradient(300, 300, 255), ImageFormat::WebP),
    )
    .unwrap();
    std::fs::write(root.join(POST_DIR).join("img/notes.txt"), b"not an image").unwrap();
    Archive { dir, root }
}

fn request(archive: &Archive, reference: &str) -> Result<ThumbRequest, SourceError> {
    ThumbRequest::new(archive.root.clone(), POST_DIR, reference, ThumbSize::List2x)
}

fn outcome(pool: &ThumbPool, req: &ThumbRequest) -> ThumbEvent {
    pool.request(req, Priority::Visible);
    collect(pool, 1).remove(req.key()).unwrap()
}

#[test]
fn files_inside_the_archive_load() {
    let archive = archive();
    let cache = tempfile::tempdir().unwrap();
    let pool = ThumbPool::new(test_config(cache.path()));
    for reference in [
        "/images/头图.png",
        "/images/%E5%A4%B4%E5%9B%BE.png",
        "/images/头图.png?v=3#top",
        "../../images/头图.png",
        "img/cover.webp",
        "./img/../img/cover.webp",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==",
    ] {
        let req = request(&archive, reference).unwrap();
        match outcome(&pool, &req) {
            ThumbEvent::Ready(thumb) => assert_eq!((thumb.width, thumb.height), (192, 144)),
            ThumbEvent::Failed { error, .. } => panic!("{reference}: {error}"),
        }
    }
    // Both spellings of the site path name one image.
    assert_eq!(
        request(&archive, "/images/头图.png").unwrap().key(),
        request(&archive, "../../images/头图.png").unwrap().key()
    );
}

#[test]
fn an_edited_file_is_decoded_again() {
    let archive = archive();
    let cache = tempfile::tempdir().unwrap();
    let pool = ThumbPool::new(test_config(cache.path()));
    let req = request(&archive, "img/cover.webp").unwrap();
    let ThumbEvent::Ready(first) = outcome(&pool, &req) else {
        panic!("first load failed")
    };
    assert!(!first.from_disk_cache);
    let ThumbEvent::Ready(cached) = outcome(&pool, &req) else {
        panic!("cached load failed")
    };
    assert!(cached.from_disk_cache);
    // Same name, different size on disk: the cache key changes.
    std::fs::write(
        archive.root.join(POST_DIR).join("img/cover.webp"),
        encode(&gradient(500, 100, 255), ImageFormat::Png),
    )
    .unwrap();
    let ThumbEvent::Ready(fresh) = outcome(&pool, &req) else {
        panic!("reload failed")
    };
    assert!(!fresh.from_disk_cache);
}

#[test]
fn missing_and_non_image_files_fail() {
    let archive = archive();
    let cache = tempfile::tempdir().unwrap();
    let pool = ThumbPool::new(test_config(cache.path()));
    let missing = request(&archive, "/images/gone.jpg").unwrap();
    assert!(matches!(
        outcome(&pool, &missing),
        ThumbEvent::Failed {
            error: ThumbError::Source(SourceError::NotFound(_)),
            ..
        }
    ));
    let text = request(&archive, "img/notes.txt").unwrap();
    assert!(matches!(
        outcome(&pool, &text),
        ThumbEvent::Failed {
            error: ThumbError::Decode(_),
            ..
        }
    ));
    let folder = request(&archive, "img").unwrap();
    assert!(matches!(outcome(&pool, &folder), ThumbEvent::Failed { .. }));
}

#[test]
fn references_outside_the_archive_are_refused_before_any_io() {
    let archive = archive();
    assert!(matches!(
        request(&archive, "file:///etc/passwd"),
        Err(SourceError::FileUrlRefused(_))
    ));
    // The post is three folders deep: four `..` leave the archive.
    for reference in [
        "../../../../etc/passwd",
        "../../../../../../../../etc/passwd",
        "/../../etc/passwd",
        "%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "C:\\x.png",
    ] {
        assert!(
            matches!(
                request(&archive, reference),
                Err(SourceError::EscapesArchive(_))
            ),
            "{reference}"
        );
    }
    // From a shallower post folder the brief's `../../../etc/passwd` also escapes.
    assert!(matches!(
        ThumbRequest::new(
            archive.root.clone(),
            "source/_posts",
            "../../../etc/passwd",
            ThumbSize::List
        ),
        Err(SourceError::EscapesArchive(_))
    ));
    for reference in ["ftp://example.com/a.jpg", "javascript:alert(1)"] {
        assert!(
            matches!(
                request(&archive, reference),
                Err(SourceError::UnsupportedScheme { .. })
            ),
            "{reference}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_leading_out_of_the_archive_are_refused() {
    let archive = archive();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.png");
    std::fs::write(&secret, encode(&gradient(10, 10, 255), ImageFormat::Png)).unwrap();
    std::os::unix::fs::symlink(&secret, archive.root.join("source/images/evil.png")).unwrap();
    std::os::unix::fs::symlink(outside.path(), archive.root.join("source/linked")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", archive.root.join("source/images/passwd.jpg"))
        .unwrap();
    // A symlink that stays inside is fine.
    std::os::unix::fs::symlink(
        archive.root.join("source/images/头图.png"),
        archive.root.join("source/images/alias.png"),
    )
    .unwrap();

    let cache = tempfile::tempdir().unwrap();
    let pool = ThumbPool::new(test_config(cache.path()));
    for reference in [
        "/images/evil.png",
        "/linked/secret.png",
        "/images/passwd.jpg",
    ] {
        let req = request(&archive, reference).unwrap();
        match outcome(&pool, &req) {
            ThumbEvent::Failed {
                error: ThumbError::Source(SourceError::EscapesArchive(_)),
                ..
            } => {}
            other => panic!("{reference}: {other:?}"),
        }
    }
    let alias = request(&archive, "/images/alias.png").unwrap();
    assert!(matches!(outcome(&pool, &alias), ThumbEvent::Ready(_)));
    drop(archive.dir);
}
