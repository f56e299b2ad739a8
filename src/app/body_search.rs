//! The "Bodies" search (the toggle next to the search box): the archive's full-text
//! index ([`crate::fulltext`]) of the text Folio shows, kept by one worker thread.
//!
//! When an archive opens, the worker (`folio-fulltext`) opens its index (in the platform
//! cache folder, or in memory when the app keeps no files; an index in memory is built
//! only once Bodies is switched on). Whenever the list changed and the worker is idle,
//! the UI hands it the list's paths and stamps and the worker
//! reads, cleans and indexes what is new or changed ([`FullTextWorker::sync`]), with its
//! progress in shared counters for the status bar. A search is a job for the same
//! worker; its answer is every matching post (for the list, which applies the field
//! filters) and the best ones' snippets. While the first indexing runs, searches answer
//! from what is indexed so far and run again when it is done.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender, channel};

use super::catalog::ArticleId;
use crate::archive::FileStamp;
use crate::fulltext::{FullText, FullTextError, Hit, Snippet, SyncProgress, SyncReport};

/// Snippets are made for this many of the best hits (a screenful many times over).
const SNIPPETS: usize = 100;

enum Job {
    Sync(Vec<(PathBuf, Option<FileStamp>)>),
    Search { generation: u64, text: String },
}

enum Answer {
    Opened(Result<(), String>),
    Synced(Result<SyncReport, String>),
    Found {
        generation: u64,
        /// Every match, best first.
        ranked: Vec<Arc<Path>>,
        best: Vec<Hit>,
    },
}

/// A body search's answer, as the list uses it.
pub struct BodySearch {
    /// Ids whose title or body matched, sorted ascending.
    pub matches: Vec<ArticleId>,
    /// The best matches' snippets.
    pub snippets: HashMap<ArticleId, Snippet>,
    /// Each match's place in the ranking (0 is the best), for the Relevance sort.
    pub rank: HashMap<ArticleId, u32>,
    pub done: bool,
    generation: u64,
}

/// The full-text worker of the open archive.
pub struct FullTextWorker {
    jobs: Sender<Job>,
    answers: Receiver<Answer>,
    progress: Arc<SyncProgress>,
    /// A sync is running.
    syncing: bool,
    /// The catalog generation the last sync was asked for.
    synced_generation: Option<u64>,
    /// The first sync finished: the index holds the whole list (as it was then).
    pub complete: bool,
    /// Why the index cannot be used, once it failed.
    pub failed: Option<String>,
    /// The index is kept on disk: worth building before anyone searches.
    pub persistent: bool,
    generation: u64,
}

impl FullTextWorker {
    /// Starts the worker for the archive at `root`, its index kept under `base` (in
    /// memory when `None`).
    pub fn start(root: &Path, base: Option<PathBuf>, ctx: &egui::Context) -> Self {
        let persistent = base.is_some();
        let (jobs, job_rx) = channel::<Job>();
        let (answer_tx, answers) = channel();
        let progress = Arc::new(SyncProgress::default());
        let worker_progress = Arc::clone(&progress);
        let worker_root = root.to_owned();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-fulltext".into())
            .spawn(move || {
                let send = |answer| {
                    let _ = answer_tx.send(answer);
                    ctx.request_repaint();
                };
                let opened = match &base {
                    Some(base) => FullText::open(base, &worker_root),
                    None => FullText::in_memory(),
                };
                let fulltext = match opened {
                    Ok(fulltext) => {
                        send(Answer::Opened(Ok(())));
                        fulltext
                    }
                    Err(e) => {
                        send(Answer::Opened(Err(e.to_string())));
                        return;
                    }
                };
                while let Ok(job) = job_rx.recv() {
                    match job {
                        Job::Sync(posts) => {
                            worker_progress.done.store(0, Ordering::Relaxed);
                            let report = super::scan_task::in_background_pool(|| {
                                fulltext.sync(&worker_root, &posts, &worker_progress)
                            });
                            send(Answer::Synced(report.map_err(|e| match e {
                                FullTextError::Busy => e.to_string(),
                                e => format!("Bodies cannot be indexed: {e}"),
                            })));
                        }
                        Job::Search { generation, text } => {
                            // Only the latest search matters.
                            let ranked = fulltext
                                .ranked_paths(&text)
                                .unwrap_or_default()
                                .into_iter()
                                .map(|(path, _)| path)
                                .collect();
                            let best = fulltext.search(&text, SNIPPETS).unwrap_or_default();
                            send(Answer::Found {
                                generation,
                                ranked,
                                best,
                            });
                        }
                    }
                }
            });
        let mut worker = Self {
            persistent,
            jobs,
            answers,
            progress,
            syncing: false,
            synced_generation: None,
            complete: false,
            failed: None,
            generation: 0,
        };
        if let Err(e) = spawned {
            worker.failed = Some(format!("cannot start the full-text worker: {e}"));
        }
        worker
    }

    /// Asks for the index to follow the list as it is at `generation`, unless a sync
    /// is running or the index already follows it.
    pub fn sync(
        &mut self,
        generation: u64,
        posts: impl FnOnce() -> Vec<(PathBuf, Option<FileStamp>)>,
    ) {
        if self.syncing || self.failed.is_some() || self.synced_generation == Some(generation) {
            return;
        }
        self.syncing = self.jobs.send(Job::Sync(posts())).is_ok();
        self.synced_generation = Some(generation);
    }

    /// Whether the index follows a list of `generation` (or is working on it).
    pub fn wants_sync(&self, generation: u64) -> bool {
        !self.syncing && self.failed.is_none() && self.synced_generation != Some(generation)
    }

    /// `(indexed, to index)` while a sync runs.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.syncing.then(|| {
            (
                self.progress.done.load(Ordering::Relaxed),
                self.progress.todo.load(Ordering::Relaxed),
            )
        })
    }

    pub fn is_syncing(&self) -> bool {
        self.syncing
    }

    /// Starts a search for search-box `text`; its answer fills the returned search.
    pub fn search(&mut self, text: &str) -> BodySearch {
        self.generation += 1;
        let sent = self
            .jobs
            .send(Job::Search {
                generation: self.generation,
                text: text.to_owned(),
            })
            .is_ok();
        BodySearch {
            matches: Vec::new(),
            snippets: HashMap::new(),
            rank: HashMap::new(),
            done: !sent,
            generation: self.generation,
        }
    }

    /// Takes in the worker's answers: fills `search` when its answer came (ids from
    /// `id_of`). Returns `(search answered, a sync finished)`.
    pub fn drain(
        &mut self,
        search: Option<&mut BodySearch>,
        id_of: impl Fn(&Path) -> Option<ArticleId>,
        errors: &mut Vec<String>,
    ) -> (bool, bool) {
        let mut answered = false;
        let mut synced = false;
        let mut search = search;
        while let Ok(answer) = self.answers.try_recv() {
            match answer {
                Answer::Opened(Ok(())) => {}
                Answer::Opened(Err(e)) => {
                    errors.push(format!("Bodies cannot be searched: {e}"));
                    self.failed = Some(e);
                }
                Answer::Synced(result) => {
                    self.syncing = false;
                    synced = true;
                    match result {
                        Ok(report) => {
                            self.complete |= !report.cancelled;
                            tracing::info!(?report, "bodies indexed");
                        }
                        Err(e) => errors.push(e),
                    }
                }
                Answer::Found {
                    generation,
                    ranked,
                    best,
                } => {
                    let Some(search) = search.as_deref_mut().filter(|s| s.generation == generation)
                    else {
                        continue;
                    };
                    search.rank = ranked.iter().filter_map(|p| id_of(p)).zip(0u32..).collect();
                    search.matches = search.rank.keys().copied().collect();
                    search.matches.sort_unstable();
                    search.matches.dedup();
                    search.snippets = best
                        .into_iter()
                        .filter_map(|hit| Some((id_of(&hit.path)?, hit.snippet)))
                        .collect();
                    search.done = true;
                    answered = true;
                }
            }
        }
        (answered, synced)
    }
}
