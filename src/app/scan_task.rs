//! Scanning an archive on a background thread while the list fills.
//!
//! The scan (`archive::scan_with`, itself parallel on rayon) runs on a named thread
//! and sends each finished batch over a channel; `logic` drains the channel once per
//! frame. Progress counters and the cancel flag are shared atomics, so drawing the
//! progress bar never waits for a worker. Workers request a repaint after sending,
//! never while holding a lock.
//!
//! Background work (this scan, body searches) runs on its own rayon pool, not the global
//! one: the index answers queries from the UI thread on the global pool, and a query
//! queued behind scan jobs (each parsing hundreds of posts) froze the window for most of
//! a second during a 100,000-post scan.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, OnceLock};

use crate::archive::{Article, PathProblem, ScanOptions, ScanProgress, scan_with};

/// A message from the scan thread.
pub enum ScanMsg {
    Batch(Vec<Article>),
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
}

impl ScanTask {
    pub fn start(root: &Path, ctx: &egui::Context) -> Self {
        let progress = Arc::new(ScanProgress::default());
        let (tx, rx) = channel();
        let worker_progress = Arc::clone(&progress);
        let worker_root = root.to_owned();
        let worker_ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-scan".into())
            .spawn(move || run(&worker_root, &worker_progress, &tx, &worker_ctx));
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
            };
        }
        Self {
            root: root.to_owned(),
            progress,
            rx,
            finished: false,
            started: std::time::Instant::now(),
            took: None,
        }
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

fn run(root: &Path, progress: &ScanProgress, tx: &Sender<ScanMsg>, ctx: &egui::Context) {
    tracing::info!(root = %root.display(), "scan started");
    let sink_tx = std::sync::Mutex::new(tx.clone());
    let result = in_background_pool(|| {
        scan_with(root, &ScanOptions::default(), progress, &|(_, batch)| {
            if let Ok(tx) = sink_tx.lock() {
                let _ = tx.send(ScanMsg::Batch(batch));
            }
            ctx.request_repaint();
        })
    });
    let msg = match result {
        Ok((path_problems, cancelled)) => {
            tracing::info!(
                root = %root.display(),
                posts = progress.done.load(Ordering::Relaxed),
                cancelled,
                "scan finished"
            );
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
}
