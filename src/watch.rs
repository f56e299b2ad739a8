//! Watching an archive folder for changes made by other programs (an editor, a crawler,
//! `git pull`).
//!
//! The OS's notifications (inotify, FSEvents, ReadDirectoryChangesW through `notify`)
//! are debounced (`notify-debouncer-full`, [`DEBOUNCE`]) and reduced to what a list
//! needs: the post paths that may have changed ([`WatchEvent::Paths`]: added, modified,
//! removed, or either side of a rename), or "look at everything again"
//! ([`WatchEvent::Rescan`]: the OS queue overflowed, the watcher says it lost events,
//! or a folder came, went or moved, which the OS reports as one event for the folder).
//! Whoever receives the paths stats and reads them again; nothing here reads a post.
//!
//! When the OS refuses more watches (inotify's `max_user_watches`), the watcher falls
//! back to polling the folder's metadata every [`POLL_EVERY`] and says so once
//! ([`Watching::Polling`]).
//!
//! Folio's own saves are seen like anyone's; they are told apart by the receiver, whose
//! list already has the stamp of the file Folio wrote (see `FileStamp`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::RecursiveMode;
use notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, new_debouncer_opt};

use crate::archive::{POST_EXTENSIONS, is_post_path};

/// How long events are gathered before they are handed over: a `git checkout` of a
/// thousand files arrives as one batch.
pub const DEBOUNCE: Duration = Duration::from_millis(300);
/// How often the folder is polled when the OS cannot watch it.
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// What the watcher saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WatchEvent {
    /// These posts (relative to the root, sorted) may have been added, changed or
    /// removed.
    Paths(Vec<PathBuf>),
    /// Events were lost or a folder changed: the whole folder must be looked at again.
    Rescan,
}

/// How the folder is being watched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Watching {
    /// By the OS's notifications.
    Native,
    /// By polling, because the OS refused (the message says why).
    Polling { reason: String },
}

/// The running debouncer, kept only to be dropped (which stops it).
#[allow(dead_code)]
enum Inner {
    Native(Debouncer<notify::RecommendedWatcher, NoCache>),
    Polling(Debouncer<notify::PollWatcher, NoCache>),
}

/// A running watch of one archive folder; dropping it stops the watch.
pub struct ArchiveWatcher {
    _inner: Inner,
    watching: Watching,
}

impl ArchiveWatcher {
    /// Watches `root` and everything below it, calling `on_event` from the watcher's
    /// thread. Fails only when neither notifications nor polling can start.
    pub fn start(
        root: &Path,
        on_event: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<Self, String> {
        let on_event = std::sync::Arc::new(on_event);
        let handler =
            |root: PathBuf, on_event: std::sync::Arc<dyn Fn(WatchEvent) + Send + Sync>| {
                move |result: DebounceEventResult| {
                    if let Some(event) = reduce(&root, result) {
                        on_event(event);
                    }
                }
            };
        let native = new_debouncer_opt::<_, notify::RecommendedWatcher, NoCache>(
            DEBOUNCE,
            None,
            handler(root.to_owned(), on_event.clone()),
            NoCache,
            notify::Config::default(),
        )
        .and_then(|mut debouncer| {
            debouncer.watch(root, RecursiveMode::Recursive)?;
            Ok(debouncer)
        });
        let reason = match native {
            Ok(debouncer) => {
                return Ok(Self {
                    _inner: Inner::Native(debouncer),
                    watching: Watching::Native,
                });
            }
            Err(e) => match e.kind {
                notify::ErrorKind::MaxFilesWatch => format!(
                    "the system's limit of watched folders is reached (on Linux, fs.inotify.max_user_watches); changes by other programs are found by looking every {} s",
                    POLL_EVERY.as_secs()
                ),
                _ => format!(
                    "the folder cannot be watched ({e}); changes by other programs are found by looking every {} s",
                    POLL_EVERY.as_secs()
                ),
            },
        };
        tracing::info!(root = %root.display(), "{reason}");
        let config = notify::Config::default().with_poll_interval(POLL_EVERY);
        let mut polling = new_debouncer_opt::<_, notify::PollWatcher, NoCache>(
            DEBOUNCE,
            None,
            handler(root.to_owned(), on_event),
            NoCache,
            config,
        )
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        polling
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        Ok(Self {
            _inner: Inner::Polling(polling),
            watching: Watching::Polling { reason },
        })
    }

    /// How the folder is being watched.
    pub fn watching(&self) -> &Watching {
        &self.watching
    }
}

/// Turns a debounced batch into what a list needs, or nothing when no post is involved.
fn reduce(root: &Path, result: DebounceEventResult) -> Option<WatchEvent> {
    let events = match result {
        Ok(events) => events,
        Err(errors) => {
            for e in &errors {
                tracing::warn!(root = %root.display(), "watching: {e}");
            }
            return Some(WatchEvent::Rescan);
        }
    };
    let mut paths = BTreeSet::new();
    for event in &events {
        if event.need_rescan() {
            return Some(WatchEvent::Rescan);
        }
        // Reading a file or a folder changes nothing (the watcher's own walk opens
        // every folder).
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        let moves_things = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in &event.paths {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            if rel.as_os_str().is_empty() {
                continue;
            }
            if is_post_path(root, rel) {
                paths.insert(rel.to_owned());
            } else if moves_things
                && is_folder_change(path)
                && is_post_path(root, &rel.join("x.md"))
            {
                // A folder appeared, went or moved: its posts come with no events.
                return Some(WatchEvent::Rescan);
            }
        }
    }
    (!paths.is_empty()).then(|| WatchEvent::Paths(paths.into_iter().collect()))
}

/// Whether an event's path is (or, now gone, probably was) a folder: it is one now, or it
/// no longer exists and has no file extension of a post.
fn is_folder_change(path: &Path) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.is_dir(),
        Err(_) => !path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|ext| POST_EXTENSIONS.iter().any(|p| p.eq_ignore_ascii_case(ext))),
    }
}
