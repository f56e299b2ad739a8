//! Searching post bodies on a worker thread (the "Bodies" toggle next to the search box).
//!
//! Titles, authors, categories and paths are in memory; bodies are not (100,000 bodies
//! would not fit comfortably), so a body search reads the files again. It runs on a
//! worker, reports matches in chunks as it goes, and is cancelled when the search text
//! changes, so typing never waits for the disk.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use super::catalog::ArticleId;

/// Matches reported per message.
const CHUNK: usize = 256;

pub enum BodyMsg {
    Matches(Vec<ArticleId>),
    Done,
}

/// A running body search.
pub struct BodySearch {
    pub needle: String,
    pub matches: HashSet<ArticleId>,
    pub done: bool,
    rx: Receiver<BodyMsg>,
    cancel: Arc<AtomicBool>,
}

impl BodySearch {
    /// Starts searching `files` (id, absolute path) for `needle`, case-insensitively.
    pub fn start(needle: &str, files: Vec<(ArticleId, PathBuf)>, ctx: &egui::Context) -> Self {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let worker_cancel = Arc::clone(&cancel);
        let lower = needle.to_lowercase();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-body-search".into())
            .spawn(move || {
                let mut found = Vec::new();
                for (id, path) in files {
                    if worker_cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let Ok(bytes) = std::fs::read(&path) else {
                        continue;
                    };
                    let text = String::from_utf8_lossy(&bytes).to_lowercase();
                    if text.contains(&lower) {
                        found.push(id);
                        if found.len() >= CHUNK {
                            let _ = tx.send(BodyMsg::Matches(std::mem::take(&mut found)));
                            ctx.request_repaint();
                        }
                    }
                }
                let _ = tx.send(BodyMsg::Matches(found));
                let _ = tx.send(BodyMsg::Done);
                ctx.request_repaint();
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot start the body search: {e}");
        }
        Self {
            needle: needle.to_owned(),
            matches: HashSet::new(),
            done: false,
            rx,
            cancel,
        }
    }

    /// Takes in new matches; true when something arrived.
    pub fn drain(&mut self) -> bool {
        let mut changed = false;
        while let Ok(msg) = self.rx.try_recv() {
            match msg {
                BodyMsg::Matches(ids) => {
                    changed |= !ids.is_empty();
                    self.matches.extend(ids);
                }
                BodyMsg::Done => {
                    self.done = true;
                    changed = true;
                }
            }
        }
        changed
    }
}

impl Drop for BodySearch {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
