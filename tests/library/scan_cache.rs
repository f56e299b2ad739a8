//! The scan cache and the stamp check that lets a second scan skip unchanged files:
//! every way a file can change is seen, and a damaged or foreign cache is refused.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use folio::archive::{
    self, Article, CacheMiss, FileStamp, ScanCache, ScanOptions, ScanProgress, changes_since,
    encode_chunk,
};

fn post(title: &str) -> String {
    format!(
        "---\ntitle: {title}\ncategories:\n- 金融\ndate: 2021-06-17 08:02:32\n---\n<p>正文</p>\n"
    )
}

fn archive_with(posts: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, title) in posts {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, post(title)).unwrap();
    }
    dir
}

fn listing(root: &Path) -> Vec<Article> {
    archive::scan(root, &ScanOptions::listing())
        .unwrap()
        .articles
}

/// A second scan given what `previous` saw: the changes applied to `previous`, in path
/// order.
fn rescan(root: &Path, previous: &[Article]) -> Vec<Article> {
    let known: HashMap<PathBuf, Option<FileStamp>> =
        previous.iter().map(|a| (a.path.clone(), a.stamp)).collect();
    let changes = changes_since(
        root,
        &ScanOptions::listing(),
        &ScanProgress::default(),
        &known,
    )
    .unwrap();
    assert!(!changes.cancelled);
    let mut listed: BTreeMap<PathBuf, Article> = previous
        .iter()
        .map(|a| (a.path.clone(), a.clone()))
        .collect();
    for path in &changes.gone {
        listed.remove(path);
    }
    for article in changes.read {
        listed.insert(article.path.clone(), article);
    }
    listed.into_values().collect()
}

fn titles(articles: &[Article]) -> Vec<(String, String)> {
    articles
        .iter()
        .map(|a| (a.path_display(), a.display_title().into_owned()))
        .collect()
}

/// The cached articles with every title replaced by `cached`, so that a post taken
/// from the cache (not read again) shows it.
fn marked(articles: &[Article]) -> Vec<Article> {
    let mut marked = articles.to_vec();
    for a in &mut marked {
        a.front.title = Some("cached".to_owned());
    }
    marked
}

#[test]
fn an_unchanged_file_is_taken_from_the_cache_and_every_change_is_read_again() {
    let dir = archive_with(&[
        ("a/same.md", "不变"),
        ("a/edited.md", "旧"),
        ("a/replaced.md", "甲甲"),
        ("a/touched.md", "旧时"),
        ("a/deleted.md", "删"),
        ("a/renamed.md", "改名"),
    ]);
    let root = dir.path();
    let before = marked(&listing(root));

    fs::write(root.join("a/edited.md"), post("新的标题")).unwrap();
    // Another file of the same size put in place (a new inode).
    let tmp = root.join("a/.replacement");
    fs::write(&tmp, post("乙乙")).unwrap();
    fs::rename(&tmp, root.join("a/replaced.md")).unwrap();
    // Rewritten in place, same size, modification time put back: the change time moves.
    let path = root.join("a/touched.md");
    let mtime = fs::metadata(&path).unwrap().modified().unwrap();
    fs::write(&path, post("新时")).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    fs::remove_file(root.join("a/deleted.md")).unwrap();
    fs::rename(root.join("a/renamed.md"), root.join("a/moved.md")).unwrap();
    fs::write(root.join("a/added.md"), post("新增")).unwrap();

    let after = rescan(root, &before);
    let expect: Vec<(String, String)> = [
        ("a/added.md", "新增"),
        ("a/edited.md", "新的标题"),
        ("a/moved.md", "改名"),
        ("a/replaced.md", "乙乙"),
        ("a/same.md", "cached"),
        ("a/touched.md", "新时"),
    ]
    .iter()
    .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
    .collect();
    assert_eq!(titles(&after), expect);
}

#[test]
fn the_cache_reads_back_what_the_scan_found() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive");
    let scanned = listing(&fixtures);
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = ScanCache::new(cache_dir.path(), &fixtures);
    let chunks: Vec<Vec<u8>> = scanned.chunks(5).map(encode_chunk).collect();
    cache.save(&chunks).unwrap();
    let loaded = cache.load().unwrap();
    assert_eq!(format!("{loaded:?}"), format!("{scanned:?}"));
    assert!(loaded.iter().any(|a| a.stamp.is_some()));
    // Nothing changed: a second scan from the cache gives the same list.
    assert_eq!(
        format!("{:?}", rescan(&fixtures, &loaded)),
        format!("{scanned:?}")
    );
}

fn saved_cache(root: &Path, cache_dir: &Path) -> ScanCache {
    let cache = ScanCache::new(cache_dir, root);
    cache.save(&[encode_chunk(&listing(root))]).unwrap();
    cache
}

#[test]
fn a_missing_damaged_truncated_or_foreign_cache_is_refused() {
    let dir = archive_with(&[("p.md", "一")]);
    let other = archive_with(&[("q.md", "二")]);
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = ScanCache::new(cache_dir.path(), dir.path());
    assert!(matches!(cache.load(), Err(CacheMiss::Missing)));

    saved_cache(dir.path(), cache_dir.path());
    let good = fs::read(cache.file()).unwrap();
    assert_eq!(cache.load().unwrap().len(), 1);

    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    fs::write(cache.file(), &flipped).unwrap();
    assert!(
        matches!(cache.load(), Err(CacheMiss::Damaged(_))),
        "flipped byte"
    );

    fs::write(cache.file(), &good[..good.len() / 2]).unwrap();
    assert!(
        matches!(cache.load(), Err(CacheMiss::Damaged(_))),
        "truncated"
    );
    fs::write(cache.file(), &good[..10]).unwrap();
    assert!(
        matches!(cache.load(), Err(CacheMiss::Damaged(_))),
        "header cut"
    );

    let mut older = good.clone();
    older[8] = older[8].wrapping_add(1);
    fs::write(cache.file(), &older).unwrap();
    assert!(
        matches!(cache.load(), Err(CacheMiss::OtherBuild)),
        "version"
    );

    // Another archive's cache file under this archive's name.
    let other_cache = saved_cache(other.path(), cache_dir.path());
    fs::copy(other_cache.file(), cache.file()).unwrap();
    assert!(matches!(cache.load(), Err(CacheMiss::OtherFolder)));

    // Deleting the cache loses nothing: the next scan lists everything.
    cache.clear().unwrap();
    assert!(matches!(cache.load(), Err(CacheMiss::Missing)));
    assert_eq!(
        titles(&listing(dir.path())),
        [("p.md".to_owned(), "一".to_owned())]
    );
}
