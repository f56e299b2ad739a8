//! Keeping the open archive's list in step with changes other programs make.
//!
//! The core watcher ([`crate::watch`]) reports post paths; its callback, on the
//! watcher's own thread, reads each again (`archive::inspect_head`) and sends the posts
//! as [`Refreshed`] changes. When the watcher says events were lost, the UI hands the
//! list's stamps to a worker that checks the whole folder (`archive::changes_since`).
//! Either way the changes join the queue the list takes in over frames
//! (`AppState::drain_disk_changes`), which leaves out what the list already has — so
//! Folio's own saves, seen by the watcher like anyone's, change nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

use super::bulk::Refreshed;
use crate::archive::{
    DEFAULT_MAX_FILE_BYTES, FileStamp, ScanOptions, ScanProgress, changes_since, inspect_head,
};
use crate::watch::{ArchiveWatcher, WatchEvent, Watching};

/// What the watcher's side sends to the UI.
pub enum WatchMsg {
    Changed(Vec<Refreshed>),
    /// A whole-folder check's answer.
    Checked(Vec<Refreshed>),
    /// Events were lost: the whole folder must be checked.
    Rescan,
}

/// The watch of the open archive.
pub struct DiskWatch {
    root: PathBuf,
    _watcher: ArchiveWatcher,
    tx: Sender<WatchMsg>,
    rx: Receiver<WatchMsg>,
    /// Why the folder is polled instead of watched, until the user was told.
    pub(crate) polling: Option<String>,
    /// A whole-folder check is running.
    checking: bool,
    /// Another was asked for while one ran.
    check_again: bool,
}

impl DiskWatch {
    /// Starts watching `root`; `None` (logged) when it cannot be watched at all.
    pub fn start(root: &Path, ctx: &egui::Context) -> Option<Self> {
        let (tx, rx) = channel();
        let events_tx = tx.clone();
        let events_root = root.to_owned();
        let events_ctx = ctx.clone();
        let watcher = ArchiveWatcher::start(root, move |event| {
            let msg = match event {
                WatchEvent::Paths(paths) => WatchMsg::Changed(read_again(&events_root, paths)),
                WatchEvent::Rescan => WatchMsg::Rescan,
            };
            let _ = events_tx.send(msg);
            events_ctx.request_repaint();
        });
        let watcher = match watcher {
            Ok(watcher) => watcher,
            Err(e) => {
                tracing::warn!("{e}");
                return None;
            }
        };
        let polling = match watcher.watching() {
            Watching::Native => None,
            Watching::Polling { reason } => Some(reason.clone()),
        };
        Some(Self {
            root: root.to_owned(),
            _watcher: watcher,
            tx,
            rx,
            polling,
            checking: false,
            check_again: false,
        })
    }

    /// The next message, if one is waiting.
    pub fn try_recv(&mut self) -> Option<WatchMsg> {
        self.rx.try_recv().ok()
    }

    /// Checks the whole folder against `known` (the list's paths and stamps) on a
    /// worker; a check asked for while one runs waits for it.
    pub fn check_all(&mut self, known: HashMap<PathBuf, Option<FileStamp>>, ctx: &egui::Context) {
        if self.checking {
            self.check_again = true;
            return;
        }
        self.checking = true;
        let root = self.root.clone();
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-recheck".into())
            .spawn(move || {
                let changes = super::scan_task::in_background_pool(|| {
                    changes_since(
                        &root,
                        &ScanOptions::listing(),
                        &ScanProgress::default(),
                        &known,
                    )
                });
                let changed = match changes {
                    Ok(changes) => changes
                        .gone
                        .into_iter()
                        .map(|path| Refreshed {
                            was: vec![path],
                            now: None,
                        })
                        .chain(changes.read.into_iter().map(|article| Refreshed {
                            was: vec![article.path.clone()],
                            now: Some(article),
                        }))
                        .collect(),
                    Err(e) => {
                        tracing::warn!("cannot check the folder: {e}");
                        Vec::new()
                    }
                };
                let _ = tx.send(WatchMsg::Checked(changed));
                ctx.request_repaint();
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot start the folder check: {e}");
            self.checking = false;
        }
    }

    /// Notes that a whole-folder check's answer arrived; true when another is due.
    pub fn check_done(&mut self) -> bool {
        self.checking = false;
        std::mem::take(&mut self.check_again)
    }

    pub fn is_checking(&self) -> bool {
        self.checking
    }
}

/// The posts at `paths` as they are now: read again, or gone.
fn read_again(root: &Path, paths: Vec<PathBuf>) -> Vec<Refreshed> {
    paths
        .into_iter()
        .map(|rel| {
            let now = root
                .join(&rel)
                .is_file()
                .then(|| inspect_head(root, &rel, DEFAULT_MAX_FILE_BYTES));
            Refreshed {
                was: vec![rel],
                now,
            }
        })
        .collect()
}
