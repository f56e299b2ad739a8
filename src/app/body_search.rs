//! Running the core's body search (the "Bodies" toggle next to the search box) on a
//! worker thread.
//!
//! Bodies are not in memory, so `index::search_bodies` reads the files again. It runs on
//! a named thread (itself fanning out on rayon), streams matches back over a channel, and
//! is cancelled when the search text changes, so typing never waits for the disk. The
//! matches are kept sorted, as `Index::query_with_body_hits` wants them. Like a scan, it
//! runs on the background rayon pool so the UI thread's queries never wait behind it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use super::catalog::ArticleId;

pub enum BodyMsg {
    Match(ArticleId),
    Done,
}

/// A running body search.
pub struct BodySearch {
    /// Ids whose body matched, sorted ascending.
    pub matches: Vec<ArticleId>,
    pub done: bool,
    rx: Receiver<BodyMsg>,
    cancel: Arc<AtomicBool>,
}

impl BodySearch {
    /// Starts searching the bodies of `files` (id, path relative to `root`) for the plain
    /// words of `needle` (search-box text).
    pub fn start(
        root: PathBuf,
        needle: &str,
        files: Vec<(ArticleId, PathBuf)>,
        ctx: &egui::Context,
    ) -> Self {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let worker_cancel = Arc::clone(&cancel);
        let worker_needle = needle.to_owned();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-body-search".into())
            .spawn(move || {
                super::scan_task::in_background_pool(|| {
                    let on_match = |id| {
                        let _ = tx.send(BodyMsg::Match(id));
                    };
                    crate::index::search_bodies(
                        &root,
                        &files,
                        &worker_needle,
                        &worker_cancel,
                        on_match,
                    );
                });
                let _ = tx.send(BodyMsg::Done);
                ctx.request_repaint();
            });
        let mut search = Self {
            matches: Vec::new(),
            done: false,
            rx,
            cancel,
        };
        if let Err(e) = spawned {
            tracing::warn!("cannot start the body search: {e}");
            search.done = true;
        }
        search
    }

    /// Takes in new matches; true when something arrived.
    pub fn drain(&mut self) -> bool {
        let before = self.matches.len();
        let mut finished = false;
        while let Ok(msg) = self.rx.try_recv() {
            match msg {
                BodyMsg::Match(id) => self.matches.push(id),
                BodyMsg::Done => finished = true,
            }
        }
        let arrived = self.matches.len() > before;
        if arrived {
            self.matches.sort_unstable();
            self.matches.dedup();
        }
        self.done |= finished;
        arrived || finished
    }
}

impl Drop for BodySearch {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
