//! Loading the opened post and cleaning its body off the UI thread.
//!
//! Each request carries a generation number; the app keeps only the answer for the
//! latest request, so holding ↓ through the list never shows a stale post and never
//! queues work the UI waits on.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use crate::archive::{DEFAULT_MAX_FILE_BYTES, Post, load_post};
use crate::clean::{CleanContext, Document, clean_body};

use super::catalog::ArticleId;

/// A loaded post, ready to show.
pub struct Loaded {
    pub generation: u64,
    pub id: ArticleId,
    pub post: Post,
    /// The body cleaned into readable blocks.
    pub document: Document,
}

/// Reads `root/rel` on a short-lived worker and sends the result to `tx`.
pub fn spawn_load(
    root: &Path,
    rel: &Path,
    id: ArticleId,
    generation: u64,
    tx: Sender<Loaded>,
    ctx: &egui::Context,
) {
    let root: PathBuf = root.to_owned();
    let rel: PathBuf = rel.to_owned();
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("folio-load".into())
        .spawn(move || {
            let post = load_post(&root, &rel, DEFAULT_MAX_FILE_BYTES);
            let document = clean_document(&post);
            let _ = tx.send(Loaded {
                generation,
                id,
                post,
                document,
            });
            ctx.request_repaint();
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot start a loader thread: {e}");
    }
}

/// Cleans a post's body into blocks (run off the UI thread: big bodies take a while).
pub fn clean_document(post: &Post) -> Document {
    let title = post.article.front.display_title();
    let post_dir = post
        .article
        .path
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let ctx = CleanContext {
        title: Some(title.as_ref()).filter(|t| !t.is_empty()),
        post_dir: &post_dir,
    };
    clean_body(post.body(), &ctx)
}
