//! The worker pool: turns requests from the UI into [`ThumbEvent`]s, off the UI thread.
//!
//! Two sets of named threads share one job table. *Decode workers* resolve references,
//! look in the disk cache, read local files and decode; *network workers* only
//! download. A host that takes thirty seconds to time out therefore occupies a network
//! worker, never a decode worker, and local or cached thumbnails keep flowing.
//!
//! Jobs are keyed by [`SourceId`], so a URL that a thousand posts share is one job and
//! one download; the sizes wanted are a bit set on the job. Workers take the best
//! queued job: visible before prefetch, then the most recent frame, then the order the
//! UI asked in (top row first). The UI calls [`ThumbPool::begin_frame`] once per frame
//! and re-requests what it still shows; a queued job nobody asked for during the last
//! [`PoolConfig::stale_after_frames`] frames is dropped, which is how rows scrolled
//! away are cancelled without the UI tracking anything. Work already downloaded is
//! still decoded into the cache, since it is cheap and the user may scroll back.
//!
//! Workers send events and only then call the repaint callback, never while holding
//! the job-table lock (egui's `request_repaint` takes the context lock; calling it with
//! ours held is how image loaders deadlock). Waiting is on condition variables, never
//! by sleeping. This file owns the job table and the API; what a thread does with a
//! job is in `worker.rs`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use super::cache::{CacheConfig, CacheKey, DiskCache, FailureCutoff};
use super::decode::DecodeLimits;
use super::fetch::{FetchConfig, Fetcher};
use super::source::{ParsedRef, SourceError, parse_reference};
use super::worker;
use super::{SourceId, ThumbError, ThumbKey, ThumbSize, Thumbnail};
use crate::archive::ImageRef;

/// How urgently a thumbnail is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// Just outside the screen: load if there is nothing better to do.
    Prefetch,
    /// On screen now.
    Visible,
}

/// How the pool is set up.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// Threads that resolve, read the cache, read files and decode.
    pub decode_threads: usize,
    /// Threads that only download.
    pub network_threads: usize,
    /// Download limits.
    pub fetch: FetchConfig,
    /// Decode limits.
    pub decode_limits: DecodeLimits,
    /// Disk cache location and size.
    pub cache: CacheConfig,
    /// Start in offline mode (no network request at all).
    pub offline: bool,
    /// A queued job not requested during this many frames is dropped.
    pub stale_after_frames: u64,
}

impl Default for PoolConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            // Leave a core for the UI thread.
            decode_threads: cores.saturating_sub(1).clamp(1, 4),
            network_threads: 4,
            fetch: FetchConfig::default(),
            decode_limits: DecodeLimits::default(),
            cache: CacheConfig::default(),
            offline: false,
            stale_after_frames: 2,
        }
    }
}

/// One image wanted at one size, checked and keyed. Build it once per row (it does
/// string work only) and pass it to [`ThumbPool::request`] every frame the row shows.
#[derive(Clone, Debug)]
pub struct ThumbRequest {
    key: ThumbKey,
    archive_root: Arc<Path>,
    parsed: ParsedRef,
}

impl ThumbRequest {
    /// Checks `reference` as written in the post whose folder, relative to
    /// `archive_root`, is `post_dir` (see [`ThumbRequest::for_image`]).
    pub fn new(
        archive_root: Arc<Path>,
        post_dir: impl AsRef<Path>,
        reference: &str,
        size: ThumbSize,
    ) -> Result<Self, SourceError> {
        let post_dir = crate::archive::slash_path(post_dir.as_ref());
        let image = ImageRef::parse(reference, &post_dir).ok_or(SourceError::Empty)?;
        Self::for_image(archive_root, &image, size)
    }

    /// Checks a post's image reference. Refused references (`file://`, other schemes,
    /// paths climbing out of the archive) fail here, before any I/O.
    pub fn for_image(
        archive_root: Arc<Path>,
        image: &ImageRef,
        size: ThumbSize,
    ) -> Result<Self, SourceError> {
        let parsed = parse_reference(image)?;
        let id = match &parsed {
            ParsedRef::Http { url } => url.to_string(),
            ParsedRef::Data { uri } => {
                format!("data:{}", blake3::hash(uri.as_bytes()).to_hex())
            }
            ParsedRef::Local { candidates } => {
                let first = candidates
                    .first()
                    .map(|c| {
                        c.iter()
                            .map(|part| part.to_string_lossy())
                            .collect::<Vec<_>>()
                            .join("/")
                    })
                    .unwrap_or_default();
                format!("local:{}|{first}", archive_root.display())
            }
        };
        Ok(Self {
            key: ThumbKey {
                source: SourceId(Arc::from(id)),
                size,
            },
            archive_root,
            parsed,
        })
    }

    /// The key the result will be delivered under.
    pub fn key(&self) -> &ThumbKey {
        &self.key
    }

    /// The same image at another size (no re-parsing).
    pub fn with_size(&self, size: ThumbSize) -> Self {
        let mut other = self.clone();
        other.key.size = size;
        other
    }
}

/// What the pool hands back.
#[derive(Debug)]
pub enum ThumbEvent {
    /// Pixels are ready.
    Ready(Thumbnail),
    /// This key will not get pixels (the UI keeps its placeholder).
    Failed {
        /// What was requested.
        key: ThumbKey,
        /// Why it failed.
        error: ThumbError,
    },
}

impl ThumbEvent {
    /// The key this event answers.
    pub fn key(&self) -> &ThumbKey {
        match self {
            ThumbEvent::Ready(thumb) => &thumb.key,
            ThumbEvent::Failed { key, .. } => key,
        }
    }
}

/// Where a job is.
pub(super) enum Stage {
    /// Waiting for a decode worker to resolve it and look in the cache.
    Queued,
    /// Waiting for a network worker.
    WaitingNetwork {
        /// The URL to download.
        url: Arc<str>,
    },
    /// Downloaded, waiting for a decode worker.
    Downloaded {
        /// The response body.
        bytes: Arc<[u8]>,
        /// The cache identity of the source.
        identity: Arc<str>,
    },
    /// A worker has it.
    Running,
}

pub(super) struct Job {
    pub(super) archive_root: Arc<Path>,
    pub(super) parsed: ParsedRef,
    /// Bit set of [`ThumbSize::bit`]s to produce.
    pub(super) sizes: u8,
    /// Sizes asked for while a worker already had the job.
    pub(super) late_sizes: u8,
    pub(super) priority: Priority,
    pub(super) last_frame: u64,
    pub(super) order: u64,
    pub(super) stage: Stage,
}

impl Job {
    fn rank(&self) -> (Priority, u64, std::cmp::Reverse<u64>) {
        (
            self.priority,
            self.last_frame,
            std::cmp::Reverse(self.order),
        )
    }
}

#[derive(Default)]
pub(super) struct State {
    pub(super) jobs: HashMap<SourceId, Job>,
    pub(super) frame: u64,
    pub(super) next_order: u64,
    pub(super) shutdown: bool,
}

type Repaint = Arc<dyn Fn() + Send + Sync>;

pub(super) struct Shared {
    pub(super) state: Mutex<State>,
    pub(super) decode_ready: Condvar,
    pub(super) network_ready: Condvar,
    pub(super) events: Mutex<Sender<ThumbEvent>>,
    pub(super) repaint: RwLock<Option<Repaint>>,
    pub(super) offline: AtomicBool,
    pub(super) cache: Option<DiskCache>,
    pub(super) fetcher: Fetcher,
    pub(super) decode_limits: DecodeLimits,
    pub(super) max_source_bytes: u64,
    pub(super) failure_cutoff: Mutex<FailureCutoff>,
    pub(super) stale_after_frames: u64,
}

impl Shared {
    pub(super) fn failure_cutoff(&self) -> FailureCutoff {
        *self
            .failure_cutoff
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn send(&self, events: Vec<ThumbEvent>) {
        if events.is_empty() {
            return;
        }
        {
            let sender = self.events.lock().unwrap_or_else(PoisonError::into_inner);
            for event in events {
                // The pool (receiver) is gone: nothing to do.
                let _ = sender.send(event);
            }
        }
        let repaint = self
            .repaint
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(repaint) = repaint {
            repaint();
        }
    }

    /// Sends results of a running job, first striking their sizes off the job so that
    /// a request arriving after delivery (say the texture was evicted at once) is
    /// recorded as a new wish instead of being absorbed by the finishing job.
    pub(super) fn deliver(&self, id: &SourceId, events: Vec<ThumbEvent>) {
        if events.is_empty() {
            return;
        }
        {
            let mut state = self.lock();
            if let Some(job) = state.jobs.get_mut(id) {
                for event in &events {
                    job.sizes &= !event.key().size.bit();
                }
            }
        }
        self.send(events);
    }

    /// Ends a worker's turn on `id`: requeues it if sizes were asked for meanwhile
    /// (reusing downloaded bytes), otherwise forgets it.
    pub(super) fn finish(&self, id: &SourceId, downloaded: Option<(Arc<[u8]>, Arc<str>)>) {
        let mut state = self.lock();
        let requeue = match state.jobs.get_mut(id) {
            Some(job) if job.late_sizes != 0 => {
                job.sizes = job.late_sizes;
                job.late_sizes = 0;
                job.stage = match downloaded {
                    Some((bytes, identity)) => Stage::Downloaded { bytes, identity },
                    None => Stage::Queued,
                };
                true
            }
            _ => false,
        };
        if requeue {
            drop(state);
            self.decode_ready.notify_one();
        } else {
            state.jobs.remove(id);
        }
    }

    /// Ends a job with the same error for every size it wanted.
    pub(super) fn fail(&self, id: &SourceId, sizes: u8, error: ThumbError) {
        let all_sizes = {
            let mut state = self.lock();
            let late = state.jobs.remove(id).map_or(0, |job| job.late_sizes);
            sizes | late
        };
        let events = sizes_in(all_sizes)
            .map(|size| ThumbEvent::Failed {
                key: ThumbKey {
                    source: id.clone(),
                    size,
                },
                error: error.clone(),
            })
            .collect();
        self.send(events);
    }
}

pub(super) fn sizes_in(bits: u8) -> impl Iterator<Item = ThumbSize> {
    ThumbSize::ALL
        .into_iter()
        .filter(move |size| bits & size.bit() != 0)
}

/// The thumbnail worker pool. Owned by the UI thread; dropping it stops the workers.
pub struct ThumbPool {
    shared: Arc<Shared>,
    events: Receiver<ThumbEvent>,
}

impl std::fmt::Debug for ThumbPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThumbPool")
            .field("offline", &self.is_offline())
            .field(
                "disk_cache",
                &self.shared.cache.as_ref().map(DiskCache::dir),
            )
            .finish_non_exhaustive()
    }
}

impl ThumbPool {
    /// Starts the workers. If the cache folder cannot be created the pool runs without
    /// a disk cache (and says so in the log) rather than without thumbnails.
    pub fn new(config: PoolConfig) -> Self {
        let cache = config.cache.dir.as_ref().and_then(|dir| {
            DiskCache::open(dir, &config.cache)
                .map_err(|err| {
                    tracing::warn!("thumbnail cache disabled ({err}): {}", dir.display());
                })
                .ok()
        });
        let (sender, receiver) = channel();
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            decode_ready: Condvar::new(),
            network_ready: Condvar::new(),
            events: Mutex::new(sender),
            repaint: RwLock::new(None),
            offline: AtomicBool::new(config.offline),
            cache,
            fetcher: Fetcher::new(&config.fetch),
            decode_limits: config.decode_limits,
            max_source_bytes: config.fetch.max_bytes,
            failure_cutoff: Mutex::new(FailureCutoff {
                transient_since: SystemTime::now(),
                permanent_since: SystemTime::UNIX_EPOCH,
            }),
            stale_after_frames: config.stale_after_frames,
        });
        for index in 0..config.decode_threads.max(1) {
            let worker = Arc::clone(&shared);
            spawn_named(format!("folio-thumb-decode-{index}"), move || {
                worker::decode_worker(&worker);
            });
        }
        for index in 0..config.network_threads.max(1) {
            let worker = Arc::clone(&shared);
            spawn_named(format!("folio-thumb-net-{index}"), move || {
                worker::network_worker(&worker);
            });
        }
        Self {
            shared,
            events: receiver,
        }
    }

    /// Sets the callback workers call after delivering results (the app passes
    /// `move || ctx.request_repaint()`). Called without any pool lock held.
    pub fn with_repaint(self, repaint: Box<dyn Fn() + Send + Sync>) -> Self {
        *self
            .shared
            .repaint
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(Arc::from(repaint));
        self
    }

    /// Whether offline mode is on.
    pub fn is_offline(&self) -> bool {
        self.shared.offline.load(Ordering::Acquire)
    }

    /// Turns offline mode on or off. When on, no network request is made: images not
    /// in the disk cache fail with [`ThumbError::Offline`] (not remembered as failures,
    /// so they load once the mode is off and the UI asks again).
    pub fn set_offline(&self, offline: bool) {
        self.shared.offline.store(offline, Ordering::Release);
    }

    /// Whether a disk cache is in use.
    pub fn has_disk_cache(&self) -> bool {
        self.shared.cache.is_some()
    }

    /// Marks the start of a UI frame; queued jobs not requested again soon are dropped.
    pub fn begin_frame(&self) {
        self.shared.lock().frame += 1;
    }

    /// Asks for a thumbnail. Cheap and idempotent: call it every frame for each row
    /// shown that has no texture yet. The answer arrives once, from [`Self::poll`].
    pub fn request(&self, request: &ThumbRequest, priority: Priority) {
        let bit = request.key.size.bit();
        let mut state = self.shared.lock();
        let frame = state.frame;
        let order = state.next_order;
        let mut created = false;
        let job = state
            .jobs
            .entry(request.key.source.clone())
            .or_insert_with(|| {
                created = true;
                Job {
                    archive_root: Arc::clone(&request.archive_root),
                    parsed: request.parsed.clone(),
                    sizes: 0,
                    late_sizes: 0,
                    priority,
                    last_frame: frame,
                    order,
                    stage: Stage::Queued,
                }
            });
        match job.stage {
            // A running job still owes the sizes in `sizes`; anything else (including
            // a size it already delivered) must wait for its next turn.
            Stage::Running => job.late_sizes |= bit & !job.sizes,
            _ => job.sizes |= bit,
        }
        job.priority = if job.last_frame < frame {
            priority
        } else {
            job.priority.max(priority)
        };
        job.last_frame = frame;
        if created {
            state.next_order += 1;
            drop(state);
            self.shared.decode_ready.notify_one();
        }
    }

    /// Drops every queued job (e.g. when another archive is opened). Jobs a worker has
    /// already started still deliver.
    pub fn cancel_all(&self) {
        self.shared
            .lock()
            .jobs
            .retain(|_, job| matches!(job.stage, Stage::Running));
    }

    /// Finished thumbnails and failures since the last call. Never blocks.
    pub fn poll(&self) -> impl Iterator<Item = ThumbEvent> + '_ {
        self.events.try_iter()
    }

    /// Waits up to `timeout_ms` for the next event (for headless use and tests; the UI
    /// uses [`Self::poll`]).
    pub fn wait_event(&self, timeout_ms: u64) -> Option<ThumbEvent> {
        self.events
            .recv_timeout(Duration::from_millis(timeout_ms))
            .ok()
    }

    /// Number of jobs queued or in progress.
    pub fn pending_jobs(&self) -> usize {
        self.shared.lock().jobs.len()
    }

    /// Stops believing every failure remembered so far, so images that failed are
    /// tried again when next requested (a "retry images" action, or when the network
    /// comes back).
    pub fn retry_failed(&self) {
        let now = SystemTime::now();
        *self
            .shared
            .failure_cutoff
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = FailureCutoff {
            transient_since: now,
            permanent_since: now,
        };
    }

    /// Forgets a remembered failure of `request`'s source so the next request tries
    /// again (a "retry" button).
    pub fn forget_failure(&self, request: &ThumbRequest) {
        if let (Some(cache), ParsedRef::Http { url }) = (&self.shared.cache, &request.parsed) {
            cache.forget_failure(&CacheKey::failure(&worker::http_identity(url)));
        }
    }
}

impl Drop for ThumbPool {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.decode_ready.notify_all();
        self.shared.network_ready.notify_all();
    }
}

fn spawn_named(name: String, body: impl FnOnce() + Send + 'static) {
    if let Err(err) = std::thread::Builder::new().name(name.clone()).spawn(body) {
        tracing::error!("cannot start thumbnail worker {name}: {err}");
    }
}

/// Removes stale queued jobs, then takes the best job for which `eligible` is true.
pub(super) fn take_best(
    state: &mut State,
    stale_after_frames: u64,
    eligible: impl Fn(&Stage) -> bool,
) -> Option<(SourceId, u8, Stage)> {
    let frame = state.frame;
    state.jobs.retain(|_, job| {
        let droppable = matches!(job.stage, Stage::Queued | Stage::WaitingNetwork { .. });
        !(droppable && job.last_frame.saturating_add(stale_after_frames) < frame)
    });
    // Unsorted iteration; the maximum rank is unique because `order` is.
    let id = state
        .jobs
        .iter()
        .filter(|(_, job)| eligible(&job.stage))
        .max_by_key(|(_, job)| job.rank())
        .map(|(id, _)| id.clone())?;
    let job = state.jobs.get_mut(&id)?;
    let stage = std::mem::replace(&mut job.stage, Stage::Running);
    let sizes = job.sizes | job.late_sizes;
    job.late_sizes = 0;
    job.sizes = sizes;
    Some((id, sizes, stage))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(state: &mut State, url: &str, priority: Priority, stage: Stage) -> SourceId {
        let id = SourceId(Arc::from(url));
        let order = state.next_order;
        state.next_order += 1;
        state.jobs.insert(
            id.clone(),
            Job {
                archive_root: Arc::from(Path::new("/a")),
                parsed: ParsedRef::Http {
                    url: Arc::from(url),
                },
                sizes: ThumbSize::List.bit(),
                late_sizes: 0,
                priority,
                last_frame: state.frame,
                order,
                stage,
            },
        );
        id
    }

    fn queued() -> Stage {
        Stage::Queued
    }

    fn next(state: &mut State) -> Option<String> {
        take_best(state, 1, |stage| matches!(stage, Stage::Queued))
            .map(|(id, _, _)| id.as_str().to_owned())
    }

    #[test]
    fn visible_rows_go_before_prefetch_then_in_request_order() {
        let mut state = State::default();
        add(&mut state, "prefetch", Priority::Prefetch, queued());
        add(&mut state, "top", Priority::Visible, queued());
        add(&mut state, "bottom", Priority::Visible, queued());
        assert_eq!(next(&mut state).as_deref(), Some("top"));
        assert_eq!(next(&mut state).as_deref(), Some("bottom"));
        assert_eq!(next(&mut state).as_deref(), Some("prefetch"));
        assert_eq!(next(&mut state), None);
    }

    #[test]
    fn the_latest_frame_wins_and_stale_jobs_are_dropped() {
        let mut state = State::default();
        add(&mut state, "long-gone", Priority::Visible, queued());
        state.frame = 1;
        add(&mut state, "older", Priority::Visible, queued());
        state.frame = 2;
        add(&mut state, "newer", Priority::Visible, queued());
        assert_eq!(next(&mut state).as_deref(), Some("newer"));
        assert_eq!(next(&mut state).as_deref(), Some("older"));
        assert_eq!(next(&mut state), None, "frame 0 is stale at frame 2");
        assert!(!state.jobs.contains_key(&SourceId(Arc::from("long-gone"))));
    }

    #[test]
    fn downloaded_and_running_jobs_are_never_dropped() {
        let mut state = State::default();
        let bytes: Arc<[u8]> = Arc::from(&b"x"[..]);
        add(
            &mut state,
            "downloaded",
            Priority::Prefetch,
            Stage::Downloaded {
                bytes,
                identity: Arc::from("url:downloaded"),
            },
        );
        add(&mut state, "running", Priority::Visible, Stage::Running);
        state.frame = 10;
        let taken = take_best(&mut state, 1, |stage| {
            matches!(stage, Stage::Downloaded { .. })
        });
        assert!(taken.is_some());
        assert_eq!(state.jobs.len(), 2);
    }

    #[test]
    fn a_size_asked_for_after_delivery_is_requeued() {
        let pool_config = PoolConfig {
            decode_threads: 1,
            network_threads: 1,
            offline: true,
            ..PoolConfig::default()
        };
        let pool = ThumbPool::new(pool_config);
        let data = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==";
        let req =
            ThumbRequest::new(Arc::from(Path::new("/a")), "p", data, ThumbSize::List).unwrap();
        pool.request(&req, Priority::Visible);
        let first = pool.wait_event(10_000);
        assert!(matches!(first, Some(ThumbEvent::Ready(_))), "{first:?}");
        pool.request(&req, Priority::Visible);
        let second = pool.wait_event(10_000);
        assert!(matches!(second, Some(ThumbEvent::Ready(_))), "{second:?}");
    }
}
