//! Scanning an archive on a background thread while the list fills.
//!
//! The scan (`archive::scan_with`, itself parallel on rayon) runs on a named thread
//! and sends each finished batch over a channel; `logic` drains the channel once per
//! frame. Progress counters and the cancel flag are shared atomics, so drawing the
//! progress bar never waits for a worker. Workers request a repaint after sending,
//! never while holding a lock.
//!
//! An archive opened before is first shown from the scan cache (`archive::ScanCache`):
//! the worker reads the cache, indexes it into a whole [`Catalog`] and hands that over,
//! so the list is complete after one swap on the UI thread; then it checks every file's
//! stamp (`archive::changes_since`), reads only what changed and sends those posts as
//! [`Refreshed`] changes. Either way the scan ends by writing the cache afresh.
//!
//! Background work (this scan, body searches) runs on its own rayon pool, not the global
//! one: the index answers queries from the UI thread on the global pool, and a query
//! queued behind scan jobs (each parsing hundreds of posts) froze the window for most of
//! a second during a 100,000-post scan.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

use super::bulk::Refreshed;
use super::catalog::Catalog;
use crate::archive::{
    Article, CacheMiss, FileStamp, PathProblem, ScanCache, ScanOptions, ScanProgress,
    changes_since, encode_chunk, scan_with,
};
use crate::index::{Query, SortKey};

/// A message from the scan thread.
pub enum ScanMsg {
    Batch(Vec<Article>),
    /// The whole list as the scan cache has it, indexed on the worker.
    Cached(Box<Catalog>),
    /// The posts that differ on disk from the cached list (added, changed, gone).
    Changed(Vec<Refreshed>),
    Finished {
        path_problems: Vec<PathProblem>,
        cancelled: bool,
    },
    Failed(String),
}

/// A running (or finished) scan of one folder.
pub struct ScanTask {
    pub root: PathBuf,
    pub progress: Arc<ScanProgress>,
    pub rx: Receiver<ScanMsg>,
    pub finished: bool,
    pub started: std::time::Instant,
    /// How long the scan took, once it finished.
    pub took: Option<std::time::Duration>,
    /// How long the cached list took to show, when there was one: the scan then only
    /// checks it against the files.
    pub from_cache: Option<std::time::Duration>,
    /// Set when the worker has finished, the scan cache written.
    worker_done: Arc<AtomicBool>,
}

impl ScanTask {
    /// Starts scanning `root`, from its cache in `cache_dir` when there is one; a cached
    /// list comes with its `order` (the list's sort key and direction) already sorted.
    pub fn start(
        root: &Path,
        cache_dir: Option<PathBuf>,
        order: (SortKey, bool),
        ctx: &egui::Context,
    ) -> Self {
        let progress = Arc::new(ScanProgress::default());
        let (tx, rx) = channel();
        let worker_progress = Arc::clone(&progress);
        let worker_root = root.to_owned();
        let worker_ctx = ctx.clone();
        let worker_done = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&worker_done);
        let spawned = std::thread::Builder::new()
            .name("folio-scan".into())
            .spawn(move || {
                let cache = cache_dir.map(|dir| ScanCache::new(&dir, &worker_root));
                run(
                    &worker_root,
                    cache,
                    order,
                    &worker_progress,
                    &tx,
                    &worker_ctx,
                );
                done.store(true, Ordering::Release);
                worker_ctx.request_repaint();
            });
        if let Err(e) = spawned {
            let (tx, rx2) = channel();
            let _ = tx.send(ScanMsg::Failed(format!("cannot start the scan: {e}")));
            return Self {
                root: root.to_owned(),
                progress,
                rx: rx2,
                finished: false,
                started: std::time::Instant::now(),
                took: None,
                from_cache: None,
                worker_done: Arc::new(AtomicBool::new(true)),
            };
        }
        Self {
            root: root.to_owned(),
            progress,
            rx,
            finished: false,
            started: std::time::Instant::now(),
            took: None,
            from_cache: None,
            worker_done,
        }
    }

    /// True while the worker still runs (after the last message it writes the cache).
    pub fn worker_running(&self) -> bool {
        !self.worker_done.load(Ordering::Acquire)
    }

    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// `(done, found, walk_finished)`.
    pub fn counts(&self) -> (usize, usize, bool) {
        (
            self.progress.done.load(Ordering::Relaxed),
            self.progress.found.load(Ordering::Relaxed),
            self.progress.walk_finished.load(Ordering::Relaxed),
        )
    }
}

/// Runs `work` on the pool for background work (scans, body searches), or where it is
/// when that pool cannot be built.
pub fn in_background_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            // One more than the cores: a scan's walk keeps one thread busy listing files.
            .num_threads(cores + 1)
            .thread_name(|i| format!("folio-bg-{i}"))
            .build()
            .map_err(|e| tracing::warn!("cannot start the background pool: {e}"))
            .ok()
    });
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

fn run(
    root: &Path,
    cache: Option<ScanCache>,
    order: (SortKey, bool),
    progress: &ScanProgress,
    tx: &Sender<ScanMsg>,
    ctx: &egui::Context,
) {
    tracing::info!(root = %root.display(), "scan started");
    let loading = std::time::Instant::now();
    let mut cache = cache;
    let cached = cache.as_ref().and_then(|cache| match cache.load() {
        Ok(articles) => {
            tracing::info!(
                posts = articles.len(),
                ms = loading.elapsed().as_millis() as u64,
                "scan cache read"
            );
            Some(articles)
        }
        Err(CacheMiss::Missing) => None,
        Err(e) => {
            tracing::info!(cache = %cache.file().display(), "{e}; scanning afresh");
            None
        }
    });
    let chunks = Mutex::new(BTreeMap::new());
    let result = match cached {
        Some(articles) => {
            // Written by the check itself, and only when something changed.
            let cache = cache.take();
            check_cached(root, articles, cache.as_ref(), order, progress, tx, ctx)
        }
        None => {
            let sink_tx = Mutex::new(tx.clone());
            in_background_pool(|| {
                scan_with(
                    root,
                    &ScanOptions::listing(),
                    progress,
                    &|(index, batch)| {
                        if cache.is_some()
                            && let Ok(mut chunks) = chunks.lock()
                        {
                            chunks.insert(index, encode_chunk(&batch));
                        }
                        if let Ok(tx) = sink_tx.lock() {
                            let _ = tx.send(ScanMsg::Batch(batch));
                        }
                        ctx.request_repaint();
                    },
                )
            })
        }
    };
    let mut save = false;
    let msg = match result {
        Ok((path_problems, cancelled)) => {
            tracing::info!(
                root = %root.display(),
                posts = progress.done.load(Ordering::Relaxed),
                cancelled,
                "scan finished"
            );
            save = !cancelled;
            ScanMsg::Finished {
                path_problems,
                cancelled,
            }
        }
        Err(e) => {
            tracing::warn!("scan failed: {e}");
            ScanMsg::Failed(e.to_string())
        }
    };
    let _ = tx.send(msg);
    ctx.request_repaint();
    if let Some(cache) = cache.filter(|_| save) {
        let chunks: Vec<Vec<u8>> = chunks
            .into_inner()
            .unwrap_or_default()
            .into_values()
            .collect();
        if let Err(e) = cache.save(&chunks) {
            tracing::warn!(cache = %cache.file().display(), "cannot write the scan cache: {e}");
        }
    }
}

/// Shows the cached list at once, then checks it against the files: sends what
/// changed and, when anything did, writes the cache afresh.
fn check_cached(
    root: &Path,
    articles: Vec<Article>,
    cache: Option<&ScanCache>,
    (sort, descending): (SortKey, bool),
    progress: &ScanProgress,
    tx: &Sender<ScanMsg>,
    ctx: &egui::Context,
) -> Result<(Vec<PathProblem>, bool), crate::archive::ScanError> {
    let known: HashMap<PathBuf, Option<FileStamp>> =
        articles.iter().map(|a| (a.path.clone(), a.stamp)).collect();
    let indexing = std::time::Instant::now();
    let catalog = in_background_pool(|| {
        let catalog = Catalog::from_articles(root, articles);
        // Sorted here, so the window's first query finds the order made.
        let query = Query {
            sort,
            descending,
            ..Query::default()
        };
        let _ = catalog.query(&query, None);
        catalog
    });
    tracing::info!(
        ms = indexing.elapsed().as_millis() as u64,
        "cached list indexed"
    );
    let _ = tx.send(ScanMsg::Cached(Box::new(catalog)));
    ctx.request_repaint();
    let changes =
        in_background_pool(|| changes_since(root, &ScanOptions::listing(), progress, &known))?;
    if changes.cancelled {
        return Ok((changes.path_problems, true));
    }
    let mut changed = Vec::with_capacity(changes.read.len() + changes.gone.len());
    for path in &changes.gone {
        changed.push(Refreshed {
            was: vec![path.clone()],
            now: None,
        });
    }
    for article in &changes.read {
        let was = if known.contains_key(&article.path) {
            vec![article.path.clone()]
        } else {
            Vec::new()
        };
        changed.push(Refreshed {
            was,
            now: Some(article.clone()),
        });
    }
    tracing::info!(
        changed = changed.len(),
        "cached list checked against the files"
    );
    if changed.is_empty() {
        return Ok((changes.path_problems, false));
    }
    let _ = tx.send(ScanMsg::Changed(changed));
    ctx.request_repaint();
    // The new list, for the cache: the cached one (read again, the first copy went to
    // the window) with the changes applied.
    if let Some(cache) = cache {
        let mut listed: BTreeMap<PathBuf, Article> = cache
            .load()
            .unwrap_or_default()
            .into_iter()
            .map(|article| (article.path.clone(), article))
            .collect();
        for path in &changes.gone {
            listed.remove(path);
        }
        for article in changes.read {
            listed.insert(article.path.clone(), article);
        }
        let listed: Vec<Article> = listed.into_values().collect();
        let chunks: Vec<Vec<u8>> = listed
            .chunks(ScanOptions::default().batch_size)
            .map(encode_chunk)
            .collect();
        if let Err(e) = cache.save(&chunks) {
            tracing::warn!(cache = %cache.file().display(), "cannot write the scan cache: {e}");
        }
    }
    Ok((changes.path_problems, false))
}
