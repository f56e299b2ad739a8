//! Loading the selected post off the UI thread: one loader thread that keeps only the
//! latest request.
//!
//! Holding ↓ through the list selects a post per frame. Each selection replaces the
//! pending request (there is at most one waiting and one being read), so the loader
//! never queues work nobody will look at, and never starts a thread per click. Each
//! request carries a generation number and the app keeps only the answer for the
//! latest one. The thread reads the file, cleans the body, picks the header image and
//! cuts the source into rows: everything the article view needs, ready to draw.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use crate::archive::{DEFAULT_MAX_FILE_BYTES, ImageRef, Post, load_post};
use crate::clean::{Document, clean_post};

use super::catalog::ArticleId;
use super::source_rows::SourceRows;

/// What to load.
struct Request {
    generation: u64,
    id: ArticleId,
    root: PathBuf,
    rel: PathBuf,
}

/// A loaded post, ready to show.
pub struct Loaded {
    pub generation: u64,
    pub id: ArticleId,
    pub post: Post,
    pub view: PostView,
}

/// What the article view shows of a post besides the post itself, computed off the UI
/// thread after a load and after a save.
pub struct PostView {
    /// The body cleaned into readable blocks.
    pub document: Document,
    /// The post's best image, body images included.
    pub header_image: Option<ImageRef>,
    /// The raw text in rows for the Source view.
    pub source: SourceRows,
}

impl PostView {
    pub fn of(post: &Post) -> Self {
        let document = clean_post(post);
        let header_image =
            crate::thumbs::best_image(&post.article.front, &post.article.folder(), Some(&document));
        Self {
            document,
            header_image,
            source: SourceRows::new(&post.text),
        }
    }
}

#[derive(Default)]
struct Pending {
    request: Option<Request>,
    closed: bool,
}

type Shared = Arc<(Mutex<Pending>, Condvar)>;

/// The loader thread and its answers.
pub struct Loader {
    shared: Shared,
    rx: Receiver<Loaded>,
}

impl Loader {
    /// Starts the loader thread; it repaints `ctx` when a post is ready.
    pub fn start(ctx: &egui::Context) -> Self {
        let shared: Shared = Arc::default();
        let (tx, rx) = channel();
        let worker = Arc::clone(&shared);
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-load".into())
            .spawn(move || run(&worker, &tx, &ctx));
        if let Err(e) = spawned {
            tracing::warn!("cannot start the loader thread: {e}");
        }
        Self { shared, rx }
    }

    /// Asks for `root/rel`, replacing any request not yet started.
    pub fn request(&self, generation: u64, id: ArticleId, root: PathBuf, rel: PathBuf) {
        let (lock, ready) = &*self.shared;
        let mut pending = lock.lock().unwrap_or_else(PoisonError::into_inner);
        pending.request = Some(Request {
            generation,
            id,
            root,
            rel,
        });
        ready.notify_one();
    }

    /// The next loaded post, if one arrived.
    pub fn try_recv(&self) -> Option<Loaded> {
        self.rx.try_recv().ok()
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        let (lock, ready) = &*self.shared;
        lock.lock().unwrap_or_else(PoisonError::into_inner).closed = true;
        ready.notify_one();
    }
}

fn run(shared: &Shared, tx: &Sender<Loaded>, ctx: &egui::Context) {
    let (lock, ready) = &**shared;
    loop {
        let request = {
            let mut pending = lock.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if pending.closed {
                    return;
                }
                if let Some(request) = pending.request.take() {
                    break request;
                }
                pending = ready.wait(pending).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let post = load_post(&request.root, &request.rel, DEFAULT_MAX_FILE_BYTES);
        let view = PostView::of(&post);
        let sent = tx.send(Loaded {
            generation: request.generation,
            id: request.id,
            post,
            view,
        });
        if sent.is_err() {
            return;
        }
        ctx.request_repaint();
    }
}
