//! Saving an edited post: text back to bytes in the file's own encoding, then a
//! crash-safe, exclusive replacement of the file (see [`super::write`]).
//!
//! Before writing, the file on disk is compared with the bytes the post was loaded from
//! (size, then a blake3 hash), under the folder's lock, right before the rename. If they
//! differ, another program changed the file and the save is refused with
//! [`SaveError::ChangedOnDisk`]; the caller reloads or saves again with
//! [`SaveMode::Overwrite`]. A changed modification time with identical bytes is not a
//! conflict: overwriting it loses nothing (sync tools and `touch` do this).
//!
//! Text is encoded back with the file's own encoding and BOM; a character the encoding
//! cannot hold is refused by name. A save whose bytes equal the file's writes nothing;
//! a save of unchanged text writes the exact bytes that were loaded. A post whose bytes
//! do not survive decoding (invalid sequences) cannot be saved with changed text.

use std::io;
use std::path::{Path, PathBuf};

use super::post::{DEFAULT_MAX_FILE_BYTES, Post, load_post};
use super::text;
use super::write::{
    DirSync, Expect, Fingerprint, FolderLock, SaveHooks, WriteError, replace_file, write_target,
};

/// What to do when the file changed on disk since it was loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveMode {
    /// Refuse with [`SaveError::ChangedOnDisk`] (or [`SaveError::Deleted`]).
    IfUnchanged,
    /// Write anyway, replacing whatever is on disk (recreating a deleted file).
    Overwrite,
}

/// Why a save did not happen. In every case the file on disk is as it was.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("not saved: the file changed on disk since it was opened (reload it, or overwrite): {}", path.display())]
    ChangedOnDisk { path: PathBuf },
    #[error("not saved: the file was deleted since it was opened: {}", path.display())]
    Deleted { path: PathBuf },
    #[error("not saved: read-only: {}", path.display())]
    ReadOnly { path: PathBuf },
    #[error("not saved: the folder does not exist: {}", path.display())]
    MissingFolder { path: PathBuf },
    #[error("not saved: `{ch}` (U+{:04X}) cannot be written in {encoding}: {}", u32::from(*ch), path.display())]
    Unencodable {
        ch: char,
        encoding: String,
        path: PathBuf,
    },
    #[error("not saved: {reason}: {}", path.display())]
    NotSavable { reason: String, path: PathBuf },
    #[error("not saved: {source}: {}", path.display())]
    Io { source: io::Error, path: PathBuf },
}

impl SaveError {
    fn from_write(error: WriteError, path: &Path) -> Self {
        let path = path.to_owned();
        match error {
            WriteError::Changed | WriteError::Exists => Self::ChangedOnDisk { path },
            WriteError::Missing => Self::Deleted { path },
            WriteError::ReadOnly => Self::ReadOnly { path },
            WriteError::MissingFolder => Self::MissingFolder {
                path: path.parent().map(Path::to_owned).unwrap_or(path),
            },
            e @ (WriteError::NotRegular | WriteError::HardLinked { .. }) => Self::NotSavable {
                reason: e.to_string(),
                path,
            },
            WriteError::Io(source) => Self::Io { source, path },
        }
    }
}

/// Writes `new_text` to the post's file (see the module docs) and returns the post as
/// read back from disk. `root` is the archive root the post's path is relative to.
pub fn save_post(
    root: &Path,
    post: &Post,
    new_text: &str,
    mode: SaveMode,
) -> Result<Post, SaveError> {
    save_post_with_hooks(root, post, new_text, mode, &SaveHooks::default())
}

/// [`save_post`] for a caller that already holds the lock of the post's folder (it read
/// the post under it, so nobody can change the file in between).
pub fn save_post_locked(
    lock: &FolderLock,
    root: &Path,
    post: &Post,
    new_text: &str,
    mode: SaveMode,
) -> Result<Post, SaveError> {
    save_with(
        Some(lock),
        root,
        post,
        new_text,
        mode,
        &SaveHooks::default(),
    )
}

/// [`save_post`] with fault injection.
#[doc(hidden)]
pub fn save_post_with_hooks(
    root: &Path,
    post: &Post,
    new_text: &str,
    mode: SaveMode,
    hooks: &SaveHooks,
) -> Result<Post, SaveError> {
    save_with(None, root, post, new_text, mode, hooks)
}

/// The lock of the folder a post's file is in, for reading and saving it under.
pub fn lock_post(root: &Path, rel: &Path) -> Result<FolderLock, SaveError> {
    let path = root.join(rel);
    FolderLock::for_file(&path).map_err(|e| SaveError::from_write(e, &path))
}

fn save_with(
    held: Option<&FolderLock>,
    root: &Path,
    post: &Post,
    new_text: &str,
    mode: SaveMode,
    hooks: &SaveHooks,
) -> Result<Post, SaveError> {
    let rel = &post.article.path;
    let path = root.join(rel);
    let text_changed = new_text != post.text;
    if let (Some(problem), true) = (post.article.save_blocker(), text_changed) {
        return Err(SaveError::NotSavable {
            reason: format!("{} (it would not round-trip through text)", problem.message),
            path,
        });
    }
    // Unchanged text is written back as the exact bytes it was read from: decoding is
    // not always reversible (damaged bytes became U+FFFD).
    let new_bytes = if text_changed {
        text::encode(new_text, post.article.encoding).map_err(|ch| SaveError::Unencodable {
            ch,
            encoding: post.article.encoding.label(),
            path: path.clone(),
        })?
    } else {
        post.bytes.clone()
    };
    let expect = match mode {
        SaveMode::IfUnchanged => Expect::Content(Fingerprint::of(&post.bytes)),
        SaveMode::Overwrite => Expect::Anything,
    };
    let acquired;
    let lock = match held {
        Some(lock) => lock,
        None => {
            acquired = FolderLock::for_file(&path).map_err(|e| SaveError::from_write(e, &path))?;
            &acquired
        }
    };
    replace_file(lock, &path, expect, &new_bytes, DirSync::Now, hooks)
        .map_err(|e| SaveError::from_write(e, &write_target(&path)))?;
    Ok(reload(root, rel, new_bytes.len()))
}

fn reload(root: &Path, rel: &Path, len_bytes: usize) -> Post {
    let max_bytes = DEFAULT_MAX_FILE_BYTES.max(len_bytes as u64);
    load_post(root, rel, max_bytes)
}
