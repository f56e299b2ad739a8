//! What the pool's threads do with a job, stage by stage.
//!
//! Split from [`super::pool`], which owns the job table and the public API, so that
//! each file holds one concern. A decode worker takes a queued job, resolves it, serves
//! what the disk cache has, and either decodes (local files, `data:` URIs, downloaded
//! bytes) or hands the job to the network workers; a network worker only downloads and
//! hands the bytes back. Every result goes out through [`Shared::deliver`] or
//! [`Shared::fail`], which update the table before sending and call the repaint
//! callback with no lock held.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::UNIX_EPOCH;

use super::cache::CacheKey;
use super::decode::{DecodeError, Downscaler, decode_rgba};
use super::fetch::FetchError;
use super::pool::ThumbEvent;
use super::pool::{Shared, Stage, sizes_in, take_best};
use super::source::{ParsedRef, decode_data_uri, resolve_local};
use super::{SourceId, ThumbError, ThumbKey, Thumbnail};

/// Work a decode worker takes from the table.
enum DecodeTask {
    Start {
        root: Arc<Path>,
        parsed: ParsedRef,
    },
    Decode {
        bytes: Arc<[u8]>,
        identity: Arc<str>,
    },
}

pub(super) fn decode_worker(shared: &Shared) {
    let mut downscaler = Downscaler::new();
    loop {
        let (id, sizes, task) = {
            let mut state = shared.lock();
            loop {
                if state.shutdown {
                    return;
                }
                let taken = take_best(&mut state, shared.stale_after_frames, |stage| {
                    matches!(stage, Stage::Queued | Stage::Downloaded { .. })
                });
                if let Some((id, sizes, stage)) = taken {
                    let root = state
                        .jobs
                        .get(&id)
                        .map(|job| (Arc::clone(&job.archive_root), job.parsed.clone()));
                    let task = match (stage, root) {
                        (Stage::Downloaded { bytes, identity }, _) => {
                            DecodeTask::Decode { bytes, identity }
                        }
                        (_, Some((root, parsed))) => DecodeTask::Start { root, parsed },
                        (_, None) => continue,
                    };
                    break (id, sizes, task);
                }
                state = shared
                    .decode_ready
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| match task {
            DecodeTask::Start { root, parsed } => {
                start_job(shared, &mut downscaler, &id, sizes, &root, &parsed);
            }
            DecodeTask::Decode { bytes, identity } => {
                decode_downloaded(shared, &mut downscaler, &id, sizes, bytes, identity);
            }
        }));
        if outcome.is_err() {
            tracing::error!("thumbnail decoder panicked: {}", id.as_str());
            downscaler = Downscaler::new();
            shared.fail(
                &id,
                sizes,
                ThumbError::Decode(DecodeError::Corrupt("decoder panicked".to_owned())),
            );
        }
    }
}

pub(super) fn http_identity(url: &str) -> String {
    format!("url:{url}")
}

/// Serves what the disk cache has; returns the sizes still missing.
fn serve_from_cache(shared: &Shared, id: &SourceId, sizes: u8, identity: &str) -> u8 {
    let Some(cache) = &shared.cache else {
        return sizes;
    };
    let mut missing = 0;
    let mut events = Vec::new();
    for size in sizes_in(sizes) {
        match cache.get(&CacheKey::thumbnail(identity, size)) {
            Some(pixels) => events.push(ThumbEvent::Ready(Thumbnail {
                key: ThumbKey {
                    source: id.clone(),
                    size,
                },
                rgba: pixels.rgba,
                width: pixels.width,
                height: pixels.height,
                from_disk_cache: true,
            })),
            None => missing |= size.bit(),
        }
    }
    shared.deliver(id, events);
    missing
}

fn start_job(
    shared: &Shared,
    downscaler: &mut Downscaler,
    id: &SourceId,
    sizes: u8,
    root: &Path,
    parsed: &ParsedRef,
) {
    match parsed {
        ParsedRef::Http { url } => {
            let identity = http_identity(url);
            let missing = serve_from_cache(shared, id, sizes, &identity);
            if missing == 0 {
                shared.finish(id, None);
                return;
            }
            if let Some(failure) = shared.cache.as_ref().and_then(|cache| {
                cache.get_failure(&CacheKey::failure(&identity), &shared.failure_cutoff())
            }) {
                shared.fail(
                    id,
                    missing,
                    ThumbError::RecentFailure {
                        reason: failure.reason,
                    },
                );
                return;
            }
            if shared.offline.load(Ordering::Acquire) {
                shared.fail(id, missing, ThumbError::Offline);
                return;
            }
            let mut state = shared.lock();
            if let Some(job) = state.jobs.get_mut(id) {
                job.sizes = missing | job.late_sizes;
                job.late_sizes = 0;
                job.stage = Stage::WaitingNetwork {
                    url: Arc::clone(url),
                };
            }
            drop(state);
            shared.network_ready.notify_one();
        }
        ParsedRef::Data { uri } => {
            let bytes = match decode_data_uri(uri, shared.max_source_bytes) {
                Ok(bytes) => bytes,
                Err(err) => return shared.fail(id, sizes, err.into()),
            };
            let identity = format!("data:{}", blake3::hash(&bytes).to_hex());
            let missing = serve_from_cache(shared, id, sizes, &identity);
            if produce(shared, downscaler, id, missing, &bytes, &identity, false) {
                shared.finish(id, None);
            }
        }
        ParsedRef::Local { candidates } => {
            let path = match resolve_local(root, candidates) {
                Ok(path) => path,
                Err(err) => return shared.fail(id, sizes, err.into()),
            };
            let metadata = match std::fs::metadata(&path) {
                Ok(metadata) => metadata,
                Err(err) => {
                    let message = format!("{err}: {}", path.display());
                    return shared.fail(id, sizes, ThumbError::Io { message });
                }
            };
            let modified_ns = metadata
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let identity = format!("file:{}|{modified_ns}|{}", path.display(), metadata.len());
            let missing = serve_from_cache(shared, id, sizes, &identity);
            if missing == 0 {
                shared.finish(id, None);
                return;
            }
            if metadata.len() > shared.max_source_bytes {
                let error = DecodeError::TooLarge(format!(
                    "file of {} bytes: {}",
                    metadata.len(),
                    path.display()
                ));
                return shared.fail(id, missing, error.into());
            }
            match std::fs::read(&path) {
                Ok(bytes) => {
                    if produce(shared, downscaler, id, missing, &bytes, &identity, false) {
                        shared.finish(id, None);
                    }
                }
                Err(err) => {
                    let message = format!("{err}: {}", path.display());
                    shared.fail(id, missing, ThumbError::Io { message });
                }
            }
        }
    }
}

fn decode_downloaded(
    shared: &Shared,
    downscaler: &mut Downscaler,
    id: &SourceId,
    sizes: u8,
    bytes: Arc<[u8]>,
    identity: Arc<str>,
) {
    // A requeued job (sizes asked for while it ran) may find them cached already.
    let missing = serve_from_cache(shared, id, sizes, &identity);
    if produce(shared, downscaler, id, missing, &bytes, &identity, true) {
        shared.finish(id, Some((bytes, identity)));
    }
}

/// Decodes `bytes`, stores and delivers each wanted size. On failure delivers the
/// error (remembering it in the cache when `remember_failure`) and returns false; the
/// job is then already finished.
fn produce(
    shared: &Shared,
    downscaler: &mut Downscaler,
    id: &SourceId,
    sizes: u8,
    bytes: &[u8],
    identity: &str,
    remember_failure: bool,
) -> bool {
    if sizes == 0 {
        return true;
    }
    let image = match decode_rgba(bytes, &shared.decode_limits) {
        Ok(image) => image,
        Err(err) => {
            if remember_failure && let Some(cache) = &shared.cache {
                let _ = cache.put_failure(&CacheKey::failure(identity), &err.to_string(), true);
            }
            shared.fail(id, sizes, err.into());
            return false;
        }
    };
    for size in sizes_in(sizes) {
        let key = ThumbKey {
            source: id.clone(),
            size,
        };
        let event = match downscaler.thumbnail(&image, size) {
            Ok((rgba, width, height)) => {
                if let Some(cache) = &shared.cache
                    && let Err(err) =
                        cache.put(&CacheKey::thumbnail(identity, size), &rgba, width, height)
                {
                    tracing::warn!("cannot write thumbnail cache ({err}): {}", id.as_str());
                }
                ThumbEvent::Ready(Thumbnail {
                    key,
                    rgba,
                    width,
                    height,
                    from_disk_cache: false,
                })
            }
            Err(err) => ThumbEvent::Failed {
                key,
                error: err.into(),
            },
        };
        // One event at a time, so the first size shows while the next is scaled.
        shared.deliver(id, vec![event]);
    }
    true
}

pub(super) fn network_worker(shared: &Shared) {
    loop {
        let (id, sizes, url) = {
            let mut state = shared.lock();
            loop {
                if state.shutdown {
                    return;
                }
                let taken = take_best(&mut state, shared.stale_after_frames, |stage| {
                    matches!(stage, Stage::WaitingNetwork { .. })
                });
                if let Some((id, sizes, Stage::WaitingNetwork { url })) = taken {
                    break (id, sizes, url);
                }
                state = shared
                    .network_ready
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        if shared.offline.load(Ordering::Acquire) {
            shared.fail(&id, sizes, ThumbError::Offline);
            continue;
        }
        let identity: Arc<str> = Arc::from(http_identity(&url));
        let fetched =
            catch_unwind(AssertUnwindSafe(|| shared.fetcher.fetch(&url))).unwrap_or_else(|_| {
                Err(FetchError::Network {
                    message: "HTTP client panicked".to_owned(),
                    url: url.to_string(),
                })
            });
        match fetched {
            Ok(bytes) => {
                let mut state = shared.lock();
                if let Some(job) = state.jobs.get_mut(&id) {
                    job.sizes = sizes | job.late_sizes;
                    job.late_sizes = 0;
                    job.stage = Stage::Downloaded {
                        bytes: Arc::from(bytes),
                        identity,
                    };
                }
                drop(state);
                shared.decode_ready.notify_one();
            }
            Err(err) => {
                tracing::debug!("thumbnail download failed: {err}");
                if let Some(cache) = &shared.cache {
                    let key = CacheKey::failure(&identity);
                    let _ = cache.put_failure(&key, &err.to_string(), err.is_permanent());
                }
                shared.fail(&id, sizes, err.into());
            }
        }
    }
}
