//! The on-disk thumbnail cache: finished thumbnails and remembered failures.
//!
//! Scrolling an archive should cost a network request once per image, ever. Each
//! thumbnail is stored as a small image file named by a BLAKE3 hash of its source
//! identity (the URL; for local files the canonical path plus modification time and
//! length, so an edited file is decoded again) and size. Opaque thumbnails are stored as
//! JPEG (quality 90: about a tenth of PNG for photos, so a 512 MiB cap holds tens of
//! thousands of rows), thumbnails with transparency as PNG. Writes go to a temporary
//! file that is renamed into place, so a crash never leaves a torn entry.
//!
//! The cap is enforced least-recently-used by file modification time: a hit refreshes
//! the time (at most once an hour per file, to avoid a write per hit), and when the
//! running total passes the cap the folder is scanned once and the oldest files go
//! until it is back under 90 % of the cap. Failures are small `.fail` files whose age
//! says when they expire: a 404 is not asked again for a day, a timeout for minutes
//! (and only within the run that saw it: see [`FailureCutoff`]).
//!
//! The folder is injectable ([`CacheConfig::dir`]) so tests use a temporary one;
//! [`CacheConfig::platform_dir`] gives the platform cache folder for the app.

use std::fs;
use std::io::{self, Cursor, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use image::ImageEncoder as _;

use super::ThumbSize;
use super::decode::{DecodeLimits, decode_rgba};

const THUMB_EXTENSION: &str = "thumb";
const FAILURE_EXTENSION: &str = "fail";
const FORMAT_VERSION: &str = "v1";
const TOUCH_INTERVAL: Duration = Duration::from_secs(3600);
const JPEG_QUALITY: u8 = 90;

/// Where the cache lives and how much it may hold.
#[derive(Clone, Debug)]
pub struct CacheConfig {
    /// The cache folder; `None` disables the disk cache.
    pub dir: Option<PathBuf>,
    /// Total size of cached files before the least recently used are deleted.
    pub max_bytes: u64,
    /// How long a failure that may pass (timeout, connection refused) is remembered.
    pub transient_failure_ttl_secs: u64,
    /// How long a failure that will not pass soon (404, not an image) is remembered.
    pub permanent_failure_ttl_secs: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            dir: None,
            max_bytes: 512 * 1024 * 1024,
            transient_failure_ttl_secs: 10 * 60,
            permanent_failure_ttl_secs: 24 * 3600,
        }
    }
}

impl CacheConfig {
    /// Folio's thumbnail folder inside the platform cache folder
    /// (`~/.cache/folio/thumbs` on Linux), if the platform has one.
    pub fn platform_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Folio", "folio")
            .map(|dirs| dirs.cache_dir().join("thumbs"))
    }
}

/// A cache entry's name: a hex BLAKE3 hash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey(String);

impl CacheKey {
    /// The key of a thumbnail of `source_identity` at `size`.
    pub fn thumbnail(source_identity: &str, size: ThumbSize) -> Self {
        Self::hashed(&["thumb", source_identity, size.name()])
    }

    /// The key of a remembered failure of `source_identity` (at every size).
    pub fn failure(source_identity: &str) -> Self {
        Self::hashed(&["fail", source_identity])
    }

    fn hashed(parts: &[&str]) -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(FORMAT_VERSION.as_bytes());
        for part in parts {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        Self(hasher.finalize().to_hex().to_string())
    }

    /// The hash as hex text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Pixels read back from the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedPixels {
    /// RGBA8 rows.
    pub rgba: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Which remembered failures to still believe: those recorded at or after these times.
///
/// Transient failures (timeouts, refused connections) say as much about the network
/// at the time as about the host; the pool believes only those recorded since it
/// started, so a laptop that woke up without Wi-Fi does not keep placeholders for ten
/// minutes after the next launch. Both times move to "now" when the user asks to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureCutoff {
    /// Transient failures older than this are ignored.
    pub transient_since: SystemTime,
    /// Permanent failures older than this are ignored.
    pub permanent_since: SystemTime,
}

impl FailureCutoff {
    /// Believe every failure that has not expired.
    pub const ALL: FailureCutoff = FailureCutoff {
        transient_since: SystemTime::UNIX_EPOCH,
        permanent_since: SystemTime::UNIX_EPOCH,
    };
}

/// A remembered failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedFailure {
    /// The failure's message.
    pub reason: String,
}

/// The disk cache. Shared by all workers (`&self` methods, internally synchronized).
#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
    max_bytes: u64,
    transient_failure_ttl: Duration,
    permanent_failure_ttl: Duration,
    total_bytes: AtomicU64,
    total_known: AtomicBool,
    evicting: Mutex<()>,
}

impl DiskCache {
    /// Opens (creating if needed) the cache folder. Does not scan it: the first write
    /// does, on a worker thread.
    pub fn open(dir: &Path, config: &CacheConfig) -> io::Result<Self> {
        let dir = dir.join(FORMAT_VERSION);
        fs::create_dir_all(&dir)?;
        Ok(Self {
            dir,
            max_bytes: config.max_bytes,
            transient_failure_ttl: Duration::from_secs(config.transient_failure_ttl_secs),
            permanent_failure_ttl: Duration::from_secs(config.permanent_failure_ttl_secs),
            total_bytes: AtomicU64::new(0),
            total_known: AtomicBool::new(false),
            evicting: Mutex::new(()),
        })
    }

    /// The folder entries are stored in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, key: &CacheKey, extension: &str) -> PathBuf {
        let fan_out = key.0.get(..2).unwrap_or("00");
        self.dir
            .join(fan_out)
            .join(format!("{}.{extension}", key.0))
    }

    /// The thumbnail stored under `key`, if any. A damaged entry is deleted and
    /// reported as a miss.
    pub fn get(&self, key: &CacheKey) -> Option<CachedPixels> {
        let path = self.path_of(key, THUMB_EXTENSION);
        let bytes = fs::read(&path).ok()?;
        let limits = DecodeLimits::default();
        match decode_rgba(&bytes, &limits) {
            Ok(image) => {
                touch_if_stale(&path);
                let (width, height) = image.dimensions();
                Some(CachedPixels {
                    rgba: image.into_raw(),
                    width,
                    height,
                })
            }
            Err(err) => {
                tracing::warn!("dropping damaged cache entry ({err}): {}", path.display());
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores a thumbnail under `key`, then trims the cache if it went over its cap.
    pub fn put(&self, key: &CacheKey, rgba: &[u8], width: u32, height: u32) -> io::Result<()> {
        let encoded = encode_thumbnail(rgba, width, height)?;
        let path = self.path_of(key, THUMB_EXTENSION);
        self.write_atomically(&path, &encoded)?;
        self.account(encoded.len() as u64);
        Ok(())
    }

    /// The failure remembered for `key`, unless it has expired (then it is deleted) or
    /// was recorded before `cutoff` says to stop believing it.
    pub fn get_failure(&self, key: &CacheKey, cutoff: &FailureCutoff) -> Option<CachedFailure> {
        let path = self.path_of(key, FAILURE_EXTENSION);
        let text = fs::read_to_string(&path).ok()?;
        let (kind, reason) = text.split_once('\n').unwrap_or((text.as_str(), ""));
        let (ttl, believed_since) = if kind == "permanent" {
            (self.permanent_failure_ttl, cutoff.permanent_since)
        } else {
            (self.transient_failure_ttl, cutoff.transient_since)
        };
        let recorded = fs::metadata(&path)
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let age = SystemTime::now()
            .duration_since(recorded)
            .unwrap_or(Duration::ZERO);
        if age >= ttl || recorded < believed_since {
            let _ = fs::remove_file(&path);
            return None;
        }
        Some(CachedFailure {
            reason: reason.to_owned(),
        })
    }

    /// Remembers that `key` failed with `reason`; `permanent` picks the longer expiry.
    pub fn put_failure(&self, key: &CacheKey, reason: &str, permanent: bool) -> io::Result<()> {
        let kind = if permanent { "permanent" } else { "transient" };
        let text = format!("{kind}\n{reason}");
        let path = self.path_of(key, FAILURE_EXTENSION);
        self.write_atomically(&path, text.as_bytes())?;
        self.account(text.len() as u64);
        Ok(())
    }

    /// Forgets a remembered failure (e.g. when the user asks to retry).
    pub fn forget_failure(&self, key: &CacheKey) {
        let _ = fs::remove_file(self.path_of(key, FAILURE_EXTENSION));
    }

    fn write_atomically(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let folder = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(folder)?;
        let mut temp = tempfile::NamedTempFile::new_in(folder)?;
        temp.write_all(bytes)?;
        temp.persist(path).map_err(|err| err.error)?;
        Ok(())
    }

    fn account(&self, added_bytes: u64) {
        if !self.total_known.load(Ordering::Acquire) {
            self.rescan_and_trim();
            return;
        }
        let total = self.total_bytes.fetch_add(added_bytes, Ordering::AcqRel) + added_bytes;
        if total > self.max_bytes {
            self.rescan_and_trim();
        }
    }

    /// Current total size of the cache folder, scanning it if not yet known.
    pub fn total_bytes(&self) -> u64 {
        if !self.total_known.load(Ordering::Acquire) {
            self.rescan_and_trim();
        }
        self.total_bytes.load(Ordering::Acquire)
    }

    /// Scans the folder, and if it holds more than the cap deletes the least recently
    /// used files until it holds at most 90 % of it. One thread at a time; others skip.
    pub fn rescan_and_trim(&self) {
        let Ok(_guard) = self.evicting.try_lock() else {
            return;
        };
        let mut files = scan(&self.dir);
        let mut total: u64 = files.iter().map(|f| f.byte_size).sum();
        if total > self.max_bytes {
            let target = self.max_bytes / 10 * 9;
            files.sort_by_key(|f| f.modified);
            for file in &files {
                if total <= target {
                    break;
                }
                if fs::remove_file(&file.path).is_ok() {
                    total = total.saturating_sub(file.byte_size);
                }
            }
            tracing::debug!("thumbnail cache trimmed to {total} bytes");
        }
        self.total_bytes.store(total, Ordering::Release);
        self.total_known.store(true, Ordering::Release);
    }
}

struct ScannedFile {
    path: PathBuf,
    byte_size: u64,
    modified: SystemTime,
}

fn scan(dir: &Path) -> Vec<ScannedFile> {
    let mut files = Vec::new();
    let Ok(fan_outs) = fs::read_dir(dir) else {
        return files;
    };
    for fan_out in fan_outs.flatten() {
        let Ok(entries) = fs::read_dir(fan_out.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            if metadata.is_file() {
                files.push(ScannedFile {
                    path: entry.path(),
                    byte_size: metadata.len(),
                    modified: metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                });
            }
        }
    }
    files
}

fn touch_if_stale(path: &Path) {
    let now = SystemTime::now();
    let stale = fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| now.duration_since(modified).ok())
        .is_some_and(|age| age > TOUCH_INTERVAL);
    if stale && let Ok(file) = fs::File::options().write(true).open(path) {
        let _ = file.set_modified(now);
    }
}

fn encode_thumbnail(rgba: &[u8], width: u32, height: u32) -> io::Result<Vec<u8>> {
    let expected = width as usize * height as usize * 4;
    if rgba.len() != expected || expected == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "pixel buffer does not match its size",
        ));
    }
    let to_io = |err: image::ImageError| io::Error::other(err.to_string());
    let mut out = Cursor::new(Vec::new());
    let opaque = rgba.chunks_exact(4).all(|px| px.get(3) == Some(&255));
    if opaque {
        let rgb: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|px| px.iter().take(3).copied())
            .collect();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
            .map_err(to_io)?;
    } else {
        image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(rgba, width, height, image::ExtendedColorType::Rgba8)
        .map_err(to_io)?;
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path, max_bytes: u64) -> DiskCache {
        let config = CacheConfig {
            dir: Some(dir.to_path_buf()),
            max_bytes,
            ..CacheConfig::default()
        };
        DiskCache::open(dir, &config).unwrap()
    }

    fn pixels(width: u32, height: u32, alpha: u8) -> Vec<u8> {
        (0..width * height)
            .flat_map(|i| [(i % 251) as u8, (i % 13) as u8 * 10, 90, alpha])
            .collect()
    }

    #[test]
    fn round_trips_opaque_and_transparent_thumbnails() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path(), 1 << 30);
        let opaque = CacheKey::thumbnail("url:https://a/b.jpg", ThumbSize::List);
        let clear = CacheKey::thumbnail("url:https://a/b.png", ThumbSize::List);
        assert_eq!(cache.get(&opaque), None);
        cache.put(&opaque, &pixels(96, 72, 255), 96, 72).unwrap();
        cache.put(&clear, &pixels(20, 10, 100), 20, 10).unwrap();
        let back = cache.get(&opaque).unwrap();
        assert_eq!(
            (back.width, back.height, back.rgba.len()),
            (96, 72, 96 * 72 * 4)
        );
        let back = cache.get(&clear).unwrap();
        assert_eq!(back.rgba, pixels(20, 10, 100), "PNG is lossless");
    }

    #[test]
    fn keys_differ_by_size_and_source() {
        assert_ne!(
            CacheKey::thumbnail("a", ThumbSize::List),
            CacheKey::thumbnail("a", ThumbSize::List2x)
        );
        assert_ne!(
            CacheKey::thumbnail("a", ThumbSize::List),
            CacheKey::thumbnail("b", ThumbSize::List)
        );
        assert_ne!(
            CacheKey::thumbnail("a", ThumbSize::List),
            CacheKey::failure("a")
        );
    }

    #[test]
    fn damaged_entries_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path(), 1 << 30);
        let key = CacheKey::thumbnail("x", ThumbSize::List);
        cache.put(&key, &pixels(4, 4, 255), 4, 4).unwrap();
        fs::write(cache.path_of(&key, THUMB_EXTENSION), b"garbage").unwrap();
        assert_eq!(cache.get(&key), None);
        assert!(!cache.path_of(&key, THUMB_EXTENSION).exists());
    }

    #[test]
    fn failures_expire() {
        let dir = tempfile::tempdir().unwrap();
        let config = CacheConfig {
            dir: Some(dir.path().to_path_buf()),
            transient_failure_ttl_secs: 0,
            ..CacheConfig::default()
        };
        let cache = DiskCache::open(dir.path(), &config).unwrap();
        let key = CacheKey::failure("url:https://dead.example/x.jpg");
        let all = FailureCutoff::ALL;
        cache.put_failure(&key, "HTTP status 404", true).unwrap();
        assert_eq!(
            cache.get_failure(&key, &all).unwrap().reason,
            "HTTP status 404"
        );
        cache.put_failure(&key, "timed out", false).unwrap();
        assert_eq!(
            cache.get_failure(&key, &all),
            None,
            "a zero TTL expires at once"
        );
        cache.put_failure(&key, "HTTP status 404", true).unwrap();
        cache.forget_failure(&key);
        assert_eq!(cache.get_failure(&key, &all), None);
    }

    #[test]
    fn failures_recorded_before_the_cutoff_are_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path(), 1 << 30);
        let key = CacheKey::failure("url:https://flaky.example/x.jpg");
        cache.put_failure(&key, "timed out", false).unwrap();
        let later = SystemTime::now() + Duration::from_secs(5);
        let cutoff = FailureCutoff {
            transient_since: later,
            permanent_since: SystemTime::UNIX_EPOCH,
        };
        assert_eq!(cache.get_failure(&key, &cutoff), None);
        cache.put_failure(&key, "HTTP status 410", true).unwrap();
        assert!(cache.get_failure(&key, &cutoff).is_some());
    }

    #[test]
    fn evicts_least_recently_used_past_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        // Each PNG of 64×64 noisy transparent pixels is several KiB.
        let cache = cache(dir.path(), 60_000);
        let keys: Vec<CacheKey> = (0..40)
            .map(|i| CacheKey::thumbnail(&format!("k{i}"), ThumbSize::List))
            .collect();
        let old = SystemTime::now() - Duration::from_secs(7200);
        for (i, key) in keys.iter().enumerate() {
            let image: Vec<u8> = (0..64 * 64 * 4u32)
                .map(|j| (j.wrapping_mul(2654435761).wrapping_add(i as u32 * 97) >> 13) as u8)
                .collect();
            cache.put(key, &image, 64, 64).unwrap();
            // Make the first entries look old, as if written long ago.
            if i < 5 {
                let path = cache.path_of(key, THUMB_EXTENSION);
                if let Ok(file) = fs::File::options().write(true).open(&path) {
                    file.set_modified(old - Duration::from_secs(100 - i as u64))
                        .unwrap();
                }
            }
            assert!(cache.total_bytes() <= 60_000 + 20_000);
        }
        cache.rescan_and_trim();
        assert!(cache.total_bytes() <= 60_000);
        assert_eq!(cache.get(&keys[0]), None, "the oldest entry went first");
        assert!(cache.get(&keys[39]).is_some(), "the newest entry stays");
    }
}
