//! Searching post bodies, which the index does not hold.
//!
//! A scan keeps no bodies (100,000 of them would not fit comfortably), so a body search
//! reads the files again, in parallel on the rayon pool, and reports each match as soon
//! as it is found: the app runs it on a worker thread, streams the ids into the list and
//! can cancel it when the search text changes. The files are decoded like any post
//! (`archive::load_post`), entities are decoded and the text lowercased, so the body
//! matches like the metadata does.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use memchr::memmem::Finder;
use rayon::prelude::*;

use super::ArticleId;
use super::query::parse;
use crate::archive::{DEFAULT_MAX_FILE_BYTES, display_text, load_post};

/// Calls `on_match` (from rayon worker threads, in no particular order) for every article
/// whose body contains all the plain words and phrases of `needle`, case-insensitively.
///
/// `needle` is search-box text: its field filters (`title:…`, `year:…`) and exclusions
/// (`-word`) are ignored here, since [`super::Index::query_with_body_hits`] applies them
/// to the metadata. Text with no plain word matches nothing. Stops early once `cancel` is
/// set. Unreadable files simply do not match.
pub fn search_bodies(
    root: &Path,
    articles: &[(ArticleId, PathBuf)],
    needle: &str,
    cancel: &AtomicBool,
    on_match: impl Fn(ArticleId) + Sync,
) {
    let finders: Vec<Finder<'static>> = parse(needle)
        .iter()
        .filter_map(|t| t.body_needle())
        .map(|n| Finder::new(n.as_bytes()).into_owned())
        .collect();
    if finders.is_empty() {
        return;
    }
    articles.par_iter().for_each(|(id, rel)| {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let post = load_post(root, rel, DEFAULT_MAX_FILE_BYTES);
        let body = display_text(post.body()).to_lowercase();
        if finders.iter().all(|f| f.find(body.as_bytes()).is_some())
            && !cancel.load(Ordering::Relaxed)
        {
            on_match(*id);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn finds_bodies_with_all_words_and_stops_when_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &str| {
            std::fs::write(dir.path().join(name), format!("---\ntitle: t\n---\n{body}")).unwrap();
        };
        write("a.md", "<p>中国人民银行 &amp; Central Bank</p>");
        write("b.md", "<p>中国人民银行</p>");
        write("c.md", "nothing");
        let articles: Vec<(ArticleId, PathBuf)> = ["a.md", "b.md", "c.md", "missing.md"]
            .iter()
            .enumerate()
            .map(|(i, p)| (i as ArticleId, PathBuf::from(p)))
            .collect();
        let found = Mutex::new(Vec::new());
        let cancel = AtomicBool::new(false);
        let run = |needle: &str| {
            found.lock().unwrap().clear();
            search_bodies(dir.path(), &articles, needle, &cancel, |id| {
                found.lock().unwrap().push(id)
            });
            let mut ids = found.lock().unwrap().clone();
            ids.sort_unstable();
            ids
        };
        assert_eq!(run("人民银行"), [0, 1]);
        assert_eq!(run("人民银行 \"& central\""), [0]);
        assert_eq!(run("title:t -x"), Vec::<ArticleId>::new());
        cancel.store(true, Ordering::Relaxed);
        assert_eq!(run("人民银行"), Vec::<ArticleId>::new());
    }
}
