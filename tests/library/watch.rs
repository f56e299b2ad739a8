//! The archive watcher on a temporary folder: each kind of change by another program
//! is reported as the posts it touches, a burst arrives whole, and what is not a post
//! (git's own files, a save's temporary file) is left out.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use folio::watch::{ArchiveWatcher, WatchEvent};

fn post(title: &str) -> String {
    format!("---\ntitle: {title}\n---\n<p>正文</p>\n")
}

fn watch(root: &Path) -> (ArchiveWatcher, Receiver<WatchEvent>) {
    let (tx, rx) = channel();
    let watcher = ArchiveWatcher::start(root, move |event| {
        let _ = tx.send(event);
    })
    .unwrap();
    (watcher, rx)
}

/// The post paths reported until every one of `expect` was, or a rescan was asked for.
fn paths_until(rx: &Receiver<WatchEvent>, expect: &[&str]) -> (BTreeSet<PathBuf>, bool) {
    let want: BTreeSet<PathBuf> = expect.iter().map(PathBuf::from).collect();
    let mut seen = BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !want.is_subset(&seen) && Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(WatchEvent::Paths(paths)) => seen.extend(paths),
            Ok(WatchEvent::Rescan) => return (seen, true),
            Err(_) => {}
        }
    }
    (seen, false)
}

/// Whatever arrives within a few debounce periods.
fn quiet(rx: &Receiver<WatchEvent>) -> Vec<WatchEvent> {
    let mut events = Vec::new();
    let deadline = Instant::now() + folio::watch::DEBOUNCE * 4;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(event) = rx.recv_timeout(left) {
            events.push(event);
        }
    }
    events
}

#[test]
fn added_changed_removed_and_renamed_posts_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("feed")).unwrap();
    fs::write(root.join("feed/old.md"), post("旧")).unwrap();
    fs::write(root.join("feed/gone.md"), post("删")).unwrap();
    let (_watcher, rx) = watch(root);

    fs::write(root.join("feed/new.md"), post("新")).unwrap();
    fs::write(root.join("feed/old.md"), post("改过")).unwrap();
    fs::remove_file(root.join("feed/gone.md")).unwrap();
    let (seen, rescan) = paths_until(&rx, &["feed/new.md", "feed/old.md", "feed/gone.md"]);
    assert!(!rescan);
    assert!(seen.contains(Path::new("feed/gone.md")), "{seen:?}");
    assert!(seen.contains(Path::new("feed/new.md")), "{seen:?}");

    fs::rename(root.join("feed/new.md"), root.join("feed/renamed.md")).unwrap();
    let (seen, rescan) = paths_until(&rx, &["feed/new.md", "feed/renamed.md"]);
    assert!(!rescan);
    assert!(seen.contains(Path::new("feed/renamed.md")), "{seen:?}");
}

#[test]
fn a_burst_of_a_thousand_new_posts_is_reported_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("crawl")).unwrap();
    let (_watcher, rx) = watch(root);
    let names: Vec<String> = (0..1000).map(|i| format!("crawl/{i:04}.md")).collect();
    for name in &names {
        fs::write(root.join(name), post(name)).unwrap();
    }
    let expect: Vec<&str> = names.iter().map(String::as_str).collect();
    let (seen, rescan) = paths_until(&rx, &expect);
    // An overflowing queue may ask for a rescan instead; either way nothing is missed.
    assert!(rescan || seen.len() == 1000, "{} of 1000 seen", seen.len());
}

#[test]
fn a_folder_moved_in_asks_for_a_rescan() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(outside.path().join("feed")).unwrap();
    fs::write(outside.path().join("feed/a.md"), post("甲")).unwrap();
    let (_watcher, rx) = watch(root);
    fs::rename(outside.path().join("feed"), root.join("feed")).unwrap();
    let (_, rescan) = paths_until(&rx, &["feed/a.md"]);
    assert!(rescan, "a folder moved in is reported as a rescan");
}

#[test]
fn what_is_not_a_post_is_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join(".git/objects")).unwrap();
    fs::create_dir_all(root.join("feed")).unwrap();
    let (_watcher, rx) = watch(root);
    fs::write(root.join(".git/objects/abc.md"), "not a post").unwrap();
    fs::write(root.join("feed/.folio-save-1-x.tmp"), "temporary").unwrap();
    fs::write(root.join("feed/notes.txt"), "notes").unwrap();
    assert_eq!(quiet(&rx), []);
    // And a post after all that is still seen.
    fs::write(root.join("feed/real.md"), post("真")).unwrap();
    let (seen, _) = paths_until(&rx, &["feed/real.md"]);
    assert!(seen.contains(Path::new("feed/real.md")));
}
