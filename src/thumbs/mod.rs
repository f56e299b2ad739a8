//! Thumbnails: from an image reference written in a post to RGBA pixels the UI can upload.
//!
//! This module owns everything between "the post says `headimg: …`" and "here are
//! width × height RGBA pixels": parsing and confining the reference ([`source`]),
//! fetching it over HTTP ([`fetch`]), decoding and downscaling ([`decode`]), the disk
//! cache ([`cache`]), the worker pool ([`pool`]) and a small helper for the UI ([`lru`],
//! to bound texture memory).
//!
//! It never imports egui: the app drains [`ThumbEvent`]s from [`ThumbPool::poll`] in its
//! `logic` step and turns the pixels into textures. All I/O and decoding happens on the
//! pool's named worker threads; what the UI thread calls ([`ThumbRequest::new`],
//! [`ThumbPool::request`], [`ThumbPool::poll`]) only does string work and takes one
//! short lock, so it stays cheap when called for every visible row on every frame.
//!
//! Sketch of the intended use from an eframe app:
//!
//! ```no_run
//! use std::sync::Arc;
//! use folio::thumbs::{PoolConfig, Priority, ThumbEvent, ThumbPool, ThumbRequest, ThumbSize};
//!
//! let mut config = PoolConfig::default();
//! config.cache.dir = folio::thumbs::CacheConfig::platform_dir();
//! let pool = ThumbPool::new(config).with_repaint(Box::new(|| { /* ctx.request_repaint() */ }));
//! let root: Arc<std::path::Path> = Arc::from(std::path::Path::new("/archive"));
//!
//! // every frame:
//! pool.begin_frame();
//! if let Ok(req) = ThumbRequest::new(root.clone(), "source/_posts/a", "/images/x.jpg", ThumbSize::List2x) {
//!     // if the texture LRU has no entry for req.key():
//!     pool.request(&req, Priority::Visible);
//! }
//! for event in pool.poll() {
//!     match event {
//!         ThumbEvent::Ready(thumb) => { /* upload thumb.rgba, insert into the LRU under thumb.key */ }
//!         ThumbEvent::Failed { key, error } => { /* remember: draw the placeholder for key */ let _ = (key, error); }
//!     }
//! }
//! ```

mod cache;
mod choose;
mod decode;
mod fetch;
mod lru;
mod pool;
mod source;
mod worker;

use std::sync::Arc;

pub use cache::{CacheConfig, CacheKey, DiskCache};
pub use choose::best_image;
pub use decode::{DecodeError, DecodeLimits, Downscaler, decode_rgba};
pub use fetch::{
    ALLOW_LOCAL_ENV, FetchConfig, FetchError, Fetcher, allow_local_from_env, is_public_address,
    join_location,
};
pub use lru::BoundedLru;
pub use pool::{PoolConfig, Priority, ThumbEvent, ThumbPool, ThumbRequest};
pub use source::{ImageSource, ParsedRef, SourceError, parse_reference};

/// The sizes Folio draws images at. Pixel sizes are physical pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ThumbSize {
    /// A list row thumbnail, cropped to fill [`ThumbSize::box_px`] exactly.
    List,
    /// The list row thumbnail for high-DPI screens (twice [`ThumbSize::List`]).
    List2x,
    /// The article header image: the whole image, scaled down to fit its box.
    Header,
}

impl ThumbSize {
    /// Every size, in a fixed order.
    pub const ALL: [ThumbSize; 3] = [ThumbSize::List, ThumbSize::List2x, ThumbSize::Header];

    /// The bounding box `(width_px, height_px)` of this size.
    pub fn box_px(self) -> (u32, u32) {
        match self {
            ThumbSize::List => (96, 72),
            ThumbSize::List2x => (192, 144),
            ThumbSize::Header => (1280, 720),
        }
    }

    /// Whether the image is cropped to fill the box (list rows look tidy when every
    /// thumbnail has the same shape) rather than shown whole.
    pub fn fills_box(self) -> bool {
        matches!(self, ThumbSize::List | ThumbSize::List2x)
    }

    /// A short stable name, used in cache keys.
    pub fn name(self) -> &'static str {
        match self {
            ThumbSize::List => "list",
            ThumbSize::List2x => "list2x",
            ThumbSize::Header => "header",
        }
    }

    pub(crate) fn bit(self) -> u8 {
        match self {
            ThumbSize::List => 1,
            ThumbSize::List2x => 2,
            ThumbSize::Header => 4,
        }
    }
}

/// Identity of one image source as far as the UI is concerned: two posts that
/// reference the same URL (or the same file) share one key, one fetch and one texture.
///
/// Computed from strings only (no file system access), so it is cheap on the UI thread.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub(crate) Arc<str>);

impl SourceId {
    /// The id as text (a normalized URL, `data:<hash>` or `local:<root>|<path>`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a finished thumbnail (or failure) is delivered under; use it as the texture key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThumbKey {
    /// Which image.
    pub source: SourceId,
    /// At which size.
    pub size: ThumbSize,
}

/// A finished thumbnail: tightly packed, non-premultiplied RGBA8 rows.
#[derive(Clone, Debug)]
pub struct Thumbnail {
    /// What was requested.
    pub key: ThumbKey,
    /// `width * height * 4` bytes, row-major, RGBA.
    pub rgba: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// True when the pixels came from the disk cache rather than a fresh decode.
    pub from_disk_cache: bool,
}

impl Thumbnail {
    /// Bytes of pixel memory this thumbnail takes once uploaded (for the texture LRU).
    pub fn byte_size(&self) -> usize {
        self.rgba.len()
    }
}

/// Why a thumbnail could not be produced. Cloneable: one failure may answer several
/// requests (every size wanted from one dead URL).
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThumbError {
    /// The reference is not something Folio will load.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The download failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The bytes are not a usable image.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Offline mode is on and the image is not in the disk cache.
    #[error("offline: the image is not in the cache")]
    Offline,
    /// This source failed recently; it is not retried until the failure expires.
    #[error("failed recently, not retried yet: {reason}")]
    RecentFailure {
        /// The original failure's message.
        reason: String,
    },
    /// Reading a local file failed.
    #[error("cannot read image: {message}")]
    Io {
        /// The I/O error's message, naming the file last.
        message: String,
    },
}
