//! Crash-safe saving of an edited post, with changed-on-disk conflict detection.
//!
//! A save never truncates the original in place: the new bytes go to a temporary file in
//! the same folder (so the rename cannot cross file systems), which is fsynced, given the
//! original's permissions and renamed over the original; the folder is fsynced after the
//! rename. Any failure before the rename removes the temporary file and leaves the
//! original as it was, so an interrupted save loses nothing.
//!
//! Before writing, the file on disk is compared with the bytes the post was loaded from
//! (size, then a blake3 hash). If they differ, another program changed the file and the
//! save is refused with [`SaveError::ChangedOnDisk`]; the caller reloads or saves again
//! with [`SaveMode::Overwrite`]. A changed modification time with identical bytes is not
//! a conflict: overwriting it loses nothing (sync tools and `touch` do this). The check
//! and the rename are not atomic together; the window is the few milliseconds between
//! them.
//!
//! Text is encoded back with the file's own encoding and BOM; a character the encoding
//! cannot hold is refused by name. A save whose bytes equal the file's writes nothing;
//! a save of unchanged text writes the exact bytes that were loaded. A post whose bytes
//! do not survive decoding (invalid sequences) cannot be saved with changed text.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::post::{DEFAULT_MAX_FILE_BYTES, Post, load_post};
use super::text;

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

/// A fault-injection hook: gets the temporary file's path, may fail the save.
#[doc(hidden)]
pub type SaveHook = Box<dyn Fn(&Path) -> io::Result<()>>;

/// Fault injection for tests of interrupted saves. Not for normal use.
#[doc(hidden)]
#[derive(Default)]
pub struct SaveHooks {
    /// Called with the temporary file's path after it is written and synced, just before
    /// the rename; an error aborts the save there.
    pub before_rename: Option<SaveHook>,
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

/// [`save_post`] with fault injection.
#[doc(hidden)]
pub fn save_post_with_hooks(
    root: &Path,
    post: &Post,
    new_text: &str,
    mode: SaveMode,
    hooks: &SaveHooks,
) -> Result<Post, SaveError> {
    let rel = &post.article.path;
    let path = root.join(rel);
    let io_error = |source: io::Error| SaveError::Io {
        source,
        path: path.clone(),
    };
    let text_changed = new_text != post.text;
    if let (Some(problem), true) = (post.article.save_blocker(), text_changed) {
        return Err(SaveError::NotSavable {
            reason: format!("{} (it would not round-trip through text)", problem.message),
            path,
        });
    }
    let dir = path.parent().unwrap_or(root).to_owned();
    if !dir.is_dir() {
        return Err(SaveError::MissingFolder { path: dir });
    }
    let metadata = match fs::metadata(&path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(e)),
    };
    let on_disk = match &metadata {
        Some(_) => Some(fs::read(&path).map_err(io_error)?),
        None => None,
    };
    if mode == SaveMode::IfUnchanged {
        match &on_disk {
            None => return Err(SaveError::Deleted { path }),
            Some(bytes) if !same_bytes(bytes, &post.bytes) => {
                return Err(SaveError::ChangedOnDisk { path });
            }
            Some(_) => {}
        }
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
    if on_disk.as_deref() == Some(new_bytes.as_slice()) {
        return Ok(reload(root, rel, new_bytes.len()));
    }
    if metadata
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        return Err(SaveError::ReadOnly { path });
    }
    write_atomically(&path, &dir, &new_bytes, metadata.as_ref(), hooks)?;
    Ok(reload(root, rel, new_bytes.len()))
}

fn same_bytes(on_disk: &[u8], loaded: &[u8]) -> bool {
    on_disk.len() == loaded.len() && blake3::hash(on_disk) == blake3::hash(loaded)
}

fn reload(root: &Path, rel: &Path, len_bytes: usize) -> Post {
    let max_bytes = DEFAULT_MAX_FILE_BYTES.max(len_bytes as u64);
    load_post(root, rel, max_bytes)
}

fn write_atomically(
    path: &Path,
    dir: &Path,
    bytes: &[u8],
    original: Option<&fs::Metadata>,
    hooks: &SaveHooks,
) -> Result<(), SaveError> {
    let io_error = |source: io::Error| SaveError::Io {
        source,
        path: path.to_owned(),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".folio-save-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| match e.kind() {
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                SaveError::ReadOnly {
                    path: dir.to_owned(),
                }
            }
            _ => io_error(e),
        })?;
    temp.write_all(bytes).map_err(io_error)?;
    let permissions = match original {
        Some(m) => m.permissions(),
        None => default_permissions(temp.as_file()).map_err(io_error)?,
    };
    temp.as_file()
        .set_permissions(permissions)
        .map_err(io_error)?;
    temp.as_file().sync_all().map_err(io_error)?;
    if let Some(hook) = &hooks.before_rename {
        hook(temp.path()).map_err(io_error)?;
    }
    temp.persist(path).map_err(|e| io_error(e.error))?;
    sync_dir(dir);
    Ok(())
}

/// Permissions for a file that did not exist: readable by all, like an editor's.
fn default_permissions(file: &fs::File) -> io::Result<fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file;
        Ok(fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        file.metadata().map(|m| m.permissions())
    }
}

/// Makes the rename durable. Best effort: not every platform can sync a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
