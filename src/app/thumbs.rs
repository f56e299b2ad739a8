//! The app's side of thumbnails: the [`ThumbPool`], the textures it produced and the
//! images that failed.
//!
//! Panels draw from `&AppState`, so everything they call here takes `&self`: asking
//! for an image peeks at the texture map and, when nothing is there yet, queues a
//! request with the pool (one short lock, string work only). Which textures were drawn
//! is noted in a `RefCell` and applied to the LRU's recency in [`AppThumbs::drain`],
//! which runs in `logic` with the pool's finished pixels: that is the only place
//! textures are created, so uploads happen once per thumbnail, never per frame.
//!
//! Texture memory is bounded by a byte-accounted [`BoundedLru`] (256 MiB); dropping an
//! evicted `TextureHandle` frees the texture. A failed image is remembered for the
//! session so its placeholder stays without asking again; failures caused only by
//! offline mode are kept apart and forgotten when offline mode is turned off.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::ImageRef;
use crate::thumbs::{
    BoundedLru, CacheConfig, FetchConfig, PoolConfig, Priority, ThumbError, ThumbEvent, ThumbKey,
    ThumbPool, ThumbRequest, ThumbSize,
};

/// Most texture memory thumbnails may hold.
pub const MAX_TEXTURE_BYTES: usize = 256 * 1024 * 1024;

/// What a panel gets back when it asks for an image.
pub enum ThumbState<'a> {
    /// Uploaded: draw it.
    Ready(&'a egui::TextureHandle),
    /// Queued or being fetched/decoded: draw the placeholder.
    Loading,
    /// Will not load: keep the placeholder.
    Failed,
}

/// The thumbnail pool, the textures it produced and what failed.
pub struct AppThumbs {
    pool: ThumbPool,
    textures: BoundedLru<ThumbKey, egui::TextureHandle>,
    failed: HashSet<ThumbKey>,
    failed_offline: HashSet<ThumbKey>,
    drawn: RefCell<Vec<ThumbKey>>,
    root: Option<Arc<Path>>,
    uploads: u64,
}

impl AppThumbs {
    /// Starts the pool's workers. `cache_dir` is the disk cache folder (`None`: no disk
    /// cache, as in tests); workers repaint `ctx` when they deliver. `allow_local_images`
    /// lets image fetches reach local addresses (see [`crate::thumbs::FetchConfig`]).
    pub fn new(
        ctx: &egui::Context,
        cache_dir: Option<PathBuf>,
        offline: bool,
        allow_local_images: bool,
    ) -> Self {
        let config = PoolConfig {
            fetch: FetchConfig {
                allow_local: allow_local_images,
                ..FetchConfig::default()
            },
            cache: CacheConfig {
                dir: cache_dir,
                ..CacheConfig::default()
            },
            offline,
            ..PoolConfig::default()
        };
        let repaint_ctx = ctx.clone();
        let pool = ThumbPool::new(config).with_repaint(Box::new(move || {
            repaint_ctx.request_repaint();
        }));
        Self::with_pool(pool, MAX_TEXTURE_BYTES)
    }

    fn with_pool(pool: ThumbPool, max_texture_bytes: usize) -> Self {
        Self {
            pool,
            textures: BoundedLru::new(max_texture_bytes),
            failed: HashSet::new(),
            failed_offline: HashSet::new(),
            drawn: RefCell::new(Vec::new()),
            root: None,
            uploads: 0,
        }
    }

    /// Another archive was opened: drop queued work for the old one.
    pub fn open_archive(&mut self, root: &Path) {
        self.pool.cancel_all();
        // A new archive gets a fresh try; the pool's disk cache still remembers dead
        // hosts, so this does not hammer them.
        self.failed.clear();
        self.failed_offline.clear();
        self.root = Some(Arc::from(root));
    }

    /// Turns offline mode on or off; turning it off lets images that failed only
    /// because of it load again.
    pub fn set_offline(&mut self, offline: bool) {
        self.pool.set_offline(offline);
        if !offline {
            self.failed_offline.clear();
        }
    }

    /// Whether offline mode is on.
    pub fn is_offline(&self) -> bool {
        self.pool.is_offline()
    }

    /// Textures created so far (a hook for tests and benchmarks).
    pub fn uploads(&self) -> u64 {
        self.uploads
    }

    /// Bytes of texture memory held.
    pub fn texture_bytes(&self) -> usize {
        self.textures.total_bytes()
    }

    /// Queued or running jobs in the pool.
    pub fn pending_jobs(&self) -> usize {
        self.pool.pending_jobs()
    }

    /// Builds the request for a post's image. `None` when no archive is open or the
    /// reference is one Folio will not load.
    pub fn request(&self, image: &ImageRef, size: ThumbSize) -> Option<ThumbRequest> {
        let root = self.root.as_ref()?;
        ThumbRequest::for_image(Arc::clone(root), image, size).ok()
    }

    /// The image for `request`: its texture, or a request queued with the pool.
    pub fn image(&self, request: &ThumbRequest, priority: Priority) -> ThumbState<'_> {
        let key = request.key();
        if let Some(texture) = self.textures.peek(key) {
            self.drawn.borrow_mut().push(key.clone());
            return ThumbState::Ready(texture);
        }
        if self.failed.contains(key) || self.failed_offline.contains(key) {
            return ThumbState::Failed;
        }
        self.pool.request(request, priority);
        ThumbState::Loading
    }

    /// Per frame, before drawing: mark the frame for the pool's cancellation, refresh
    /// the recency of textures drawn last frame, and upload finished pixels.
    pub fn drain(&mut self, ctx: &egui::Context) {
        self.pool.begin_frame();
        for key in self.drawn.get_mut().drain(..) {
            let _ = self.textures.get(&key);
        }
        let events: Vec<ThumbEvent> = self.pool.poll().collect();
        for event in events {
            match event {
                // A second answer for a key already shown (asked again while the
                // first was on its way) is not uploaded twice.
                ThumbEvent::Ready(thumb) if self.textures.contains(&thumb.key) => {}
                ThumbEvent::Ready(thumb) => {
                    let image = egui::ColorImage::from_rgba_unmultiplied(
                        [thumb.width as usize, thumb.height as usize],
                        &thumb.rgba,
                    );
                    let name = format!(
                        "thumb:{}:{}",
                        thumb.key.size.name(),
                        thumb.key.source.as_str()
                    );
                    let texture = ctx.load_texture(name, image, egui::TextureOptions::LINEAR);
                    self.uploads += 1;
                    self.failed.remove(&thumb.key);
                    let byte_size = thumb.byte_size();
                    // Evicted handles are dropped here, which frees their textures.
                    drop(self.textures.insert(thumb.key, texture, byte_size));
                }
                ThumbEvent::Failed { key, error } => {
                    tracing::debug!(source = key.source.as_str(), "thumbnail failed: {error}");
                    if error == ThumbError::Offline {
                        self.failed_offline.insert(key);
                    } else {
                        self.failed.insert(key);
                    }
                }
            }
        }
    }
}

/// The list-row size for this screen: twice the pixels on high-DPI screens.
pub fn list_size(pixels_per_point: f32) -> ThumbSize {
    if pixels_per_point > 1.0 {
        ThumbSize::List2x
    } else {
        ThumbSize::List
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solid_png(dir: &Path, name: &str) {
        let img = image::RgbaImage::from_pixel(64, 48, image::Rgba([200, 40, 40, 255]));
        img.save(dir.join(name)).expect("write png");
    }

    fn drain_until(thumbs: &mut AppThumbs, ctx: &egui::Context, done: impl Fn(&AppThumbs) -> bool) {
        for _ in 0..400 {
            thumbs.drain(ctx);
            if done(thumbs) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn textures_stay_within_the_byte_budget() {
        let dir = tempfile::tempdir().expect("tempdir");
        for i in 0..4 {
            solid_png(dir.path(), &format!("{i}.png"));
        }
        let ctx = egui::Context::default();
        // Room for two 96×72 list thumbnails only.
        let budget = 2 * 96 * 72 * 4;
        let mut thumbs = AppThumbs::with_pool(ThumbPool::new(PoolConfig::default()), budget);
        thumbs.open_archive(dir.path());
        for i in 0..4 {
            let request = thumbs
                .request(&ImageRef::File(format!("{i}.png")), ThumbSize::List)
                .expect("request");
            let _ = thumbs.image(&request, Priority::Visible);
            drain_until(&mut thumbs, &ctx, |t| t.uploads() > i);
        }
        assert_eq!(thumbs.uploads(), 4);
        assert!(thumbs.texture_bytes() <= budget);
        assert_eq!(thumbs.textures.len(), 2);
    }

    #[test]
    fn offline_failures_are_forgotten_when_going_online() {
        let ctx = egui::Context::default();
        let mut thumbs = AppThumbs::new(&ctx, None, true, false);
        thumbs.open_archive(Path::new("/nonexistent-archive"));
        let request = thumbs
            .request(
                &ImageRef::Url("http://127.0.0.1:9/x.png".into()),
                ThumbSize::List,
            )
            .expect("request");
        let _ = thumbs.image(&request, Priority::Visible);
        drain_until(&mut thumbs, &ctx, |t| !t.failed_offline.is_empty());
        assert!(matches!(
            thumbs.image(&request, Priority::Visible),
            ThumbState::Failed
        ));
        thumbs.set_offline(false);
        thumbs.pool.set_offline(true); // keep the test off the network
        assert!(matches!(
            thumbs.image(&request, Priority::Visible),
            ThumbState::Loading
        ));
    }
}
