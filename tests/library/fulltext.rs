//! The full-text index over real fixture posts: every Chinese run sampled from the texts
//! finds exactly the posts a substring scan of the cleaned text finds, English words
//! find every post holding them, and the index follows changed and deleted files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use folio::archive::{self, DEFAULT_MAX_FILE_BYTES, ScanOptions, load_post};
use folio::clean::{self, OutputFormat};
use folio::fulltext::tokenizer::is_cjk;
use folio::fulltext::{FullText, SyncProgress};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// An archive of every fixture folder's posts (copied, so files can change).
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in [
        "archive", "app", "clean", "dups", "edit", "index", "insights",
    ] {
        copy(&fixtures().join(folder), &dir.path().join(folder));
    }
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn posts(root: &Path) -> Vec<(PathBuf, Option<archive::FileStamp>)> {
    archive::scan(root, &ScanOptions::listing())
        .unwrap()
        .articles
        .into_iter()
        .map(|a| (a.path, a.stamp))
        .collect()
}

/// What the index holds of each post, lowercased: title and cleaned body.
fn texts(root: &Path) -> Vec<(String, String)> {
    posts(root)
        .into_iter()
        .map(|(path, _)| {
            let post = load_post(root, &path, DEFAULT_MAX_FILE_BYTES);
            let body = if post.article.read_blocker().is_some() {
                String::new()
            } else {
                clean::render(&clean::clean_post(&post), OutputFormat::Text)
            };
            let text = format!("{}\n{}", post.article.display_title(), body).to_lowercase();
            (archive::slash_path(&path), text)
        })
        .collect()
}

/// Brings `index` in step with the posts under `root`.
fn sync(index: &FullText, root: &Path) -> folio::fulltext::SyncReport {
    index
        .sync(root, &posts(root), &SyncProgress::default())
        .unwrap()
}

fn found(index: &FullText, query: &str) -> BTreeSet<String> {
    index
        .matching_paths(query)
        .unwrap()
        .iter()
        .map(|p| archive::slash_path(p))
        .collect()
}

/// Runs of 1 to 4 CJK characters taken at a stride through every text.
fn cjk_samples(texts: &[(String, String)], count: usize) -> Vec<String> {
    let runs: Vec<Vec<char>> = texts
        .iter()
        .flat_map(|(_, t)| {
            t.split(|c: char| !is_cjk(c))
                .filter(|r| !r.is_empty())
                .map(|r| r.chars().collect::<Vec<_>>())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut out = BTreeSet::new();
    let mut i = 0usize;
    while out.len() < count && i < runs.len() * 8 {
        let run = &runs[(i * 7919) % runs.len()];
        let len = 1 + i % 4;
        if run.len() >= len {
            let start = (i * 31) % (run.len() - len + 1);
            out.insert(run[start..start + len].iter().collect::<String>());
        }
        i += 1;
    }
    out.into_iter().collect()
}

#[test]
fn every_sampled_chinese_run_finds_exactly_what_a_substring_scan_finds() {
    let corpus = corpus();
    let root = corpus.path();
    let cache = tempfile::tempdir().unwrap();
    let index = FullText::open(cache.path(), root).unwrap();
    let report = sync(&index, root);
    assert!(report.indexed >= 70, "{report:?}");
    let texts = texts(root);
    let samples = cjk_samples(&texts, 300);
    assert!(samples.len() >= 250, "{} samples", samples.len());
    for query in &samples {
        let expect: BTreeSet<String> = texts
            .iter()
            .filter(|(_, t)| t.contains(query.as_str()))
            .map(|(p, _)| p.clone())
            .collect();
        assert_eq!(found(&index, query), expect, "query {query}");
    }
}

#[test]
fn english_words_match_whole_words_in_any_case() {
    let corpus = corpus();
    let root = corpus.path();
    let cache = tempfile::tempdir().unwrap();
    let index = FullText::open(cache.path(), root).unwrap();
    sync(&index, root);
    let texts = texts(root);
    let words: BTreeSet<String> = texts
        .iter()
        .flat_map(|(_, t)| {
            t.split(|c: char| !c.is_alphanumeric() || is_cjk(c))
                .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let sampled: Vec<&String> = words.iter().step_by((words.len() / 100).max(1)).collect();
    assert!(sampled.len() >= 50, "{} words", sampled.len());
    for word in sampled {
        let expect: BTreeSet<String> = texts
            .iter()
            .filter(|(_, t)| {
                t.split(|c: char| !c.is_alphanumeric() || is_cjk(c))
                    .any(|w| w == word.as_str())
            })
            .map(|(p, _)| p.clone())
            .collect();
        assert_eq!(found(&index, word), expect, "word {word}");
        assert_eq!(found(&index, &word.to_uppercase()), expect, "WORD {word}");
    }
    // Markup is not text: a scraped post's raw HTML is full of these.
    for tag in ["div", "span", "style"] {
        let in_text = texts
            .iter()
            .any(|(_, t)| t.split(|c: char| !c.is_alphanumeric()).any(|w| w == tag));
        assert_eq!(!found(&index, tag).is_empty(), in_text, "{tag}");
    }
}

#[test]
fn the_index_follows_changed_and_deleted_posts_and_reads_nothing_else() {
    let corpus = corpus();
    let root = corpus.path();
    let cache = tempfile::tempdir().unwrap();
    let index = FullText::open(cache.path(), root).unwrap();
    let first = sync(&index, root);
    let again = sync(&index, root);
    assert_eq!((again.indexed, again.removed), (0, 0));
    assert_eq!(again.unchanged, first.indexed);

    let file = root
        .join("archive/source/_posts/金融/新浪财经/新浪财经－国內/1-7月全国财政收入同比增20%.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n<p>独一无二的新句子</p>\n")).unwrap();
    let victim = posts(root)
        .into_iter()
        .map(|(p, _)| p)
        .find(|p| p.starts_with("dups"))
        .unwrap();
    std::fs::remove_file(root.join(&victim)).unwrap();
    let report = sync(&index, root);
    assert_eq!((report.indexed, report.removed), (1, 1), "{report:?}");
    assert_eq!(
        found(&index, "独一无二的新句子"),
        BTreeSet::from([archive::slash_path(file.strip_prefix(root).unwrap())])
    );
    let hits = index.search("独一无二", 5).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].snippet.text.contains("独一无二的新句子"),
        "{:?}",
        hits[0].snippet
    );
    let marked: Vec<&str> = hits[0]
        .snippet
        .highlights
        .iter()
        .map(|r| &hits[0].snippet.text[r.clone()])
        .collect();
    assert_eq!(marked, ["独一无二"]);
}

#[test]
fn an_index_of_another_version_is_rebuilt() {
    let corpus = corpus();
    let root = corpus.path();
    let cache = tempfile::tempdir().unwrap();
    let index = FullText::open(cache.path(), root).unwrap();
    sync(&index, root);
    let dir = index.dir().to_owned();
    drop(index);
    std::fs::write(dir.join("folio-fulltext-version"), "0").unwrap();
    let reopened = FullText::open(cache.path(), root).unwrap();
    assert!(reopened.is_empty(), "an old index is not trusted");
}
