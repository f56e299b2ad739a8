//! Replacing a file's bytes crash-safely, and only when it still holds what the writer
//! expects: the one primitive under every write Folio makes (a saved edit, each file of a
//! bulk operation, an undo).
//!
//! - **Atomic**: the new bytes go to a temporary file in the same folder (so the rename
//!   cannot cross file systems), which is fsynced, given the original's permissions and
//!   owner, and renamed over the original; the folder is fsynced after the rename. A
//!   failure or a kill at any point leaves the file wholly old or wholly new.
//! - **Exclusive**: writers lock the folder (an advisory lock on the directory, held
//!   from the check to the rename), so two Folio processes — two `folio set` runs, the
//!   window and a bulk operation from the command line — never interleave on one file;
//!   the file's content is checked under the lock, right before the rename.
//! - **Links**: a symlinked post is written through to its target (the link stays a
//!   link); a target that is not a regular file is refused; a file with several hard
//!   links is refused, because a rename would silently split them.
//! - **Leftovers**: temporary files are named `.folio-save-<pid>-<random>.tmp`. The
//!   command line removes its own when interrupted (see [`remove_pending_temps`]); a
//!   killed process's are removed the next time Folio writes into that folder, once no
//!   running process has that pid (on Linux) or after an hour. Nothing else is touched.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// Prefix of Folio's temporary files.
const TEMP_PREFIX: &str = ".folio-save-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file older than this is stale even when its pid cannot be checked.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// The length and blake3 hash of some bytes: what a writer expects a file to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub len: u64,
    #[serde(with = "hex_hash")]
    pub hash: [u8; 32],
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            len: bytes.len() as u64,
            hash: *blake3::hash(bytes).as_bytes(),
        }
    }

    /// The hash as 64 hex digits (a content address).
    pub fn hex(&self) -> String {
        blake3::Hash::from_bytes(self.hash).to_hex().to_string()
    }
}

mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(hash: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(blake3::Hash::from_bytes(*hash).to_hex().as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        blake3::Hash::from_hex(text.as_bytes())
            .map(|h| *h.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

/// What the file must hold for the write to go ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Exactly these bytes (the file changed since it was read otherwise).
    Content(Fingerprint),
    /// No file at all (restoring a deleted one).
    Absent,
    /// Whatever is there, or nothing (overwrite, recreate).
    Anything,
}

/// Why a file was not replaced. In every case the file is as it was.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the file changed on disk")]
    Changed,
    #[error("the file was deleted")]
    Missing,
    #[error("a file is already there")]
    Exists,
    #[error("read-only")]
    ReadOnly,
    #[error("the folder does not exist")]
    MissingFolder,
    #[error("not a regular file")]
    NotRegular,
    #[error("the file has {links} hard links; replacing it would split them")]
    HardLinked { links: u64 },
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// A fault-injection hook: gets the temporary file's path, may fail the write.
#[doc(hidden)]
pub type WriteHook = Box<dyn Fn(&Path) -> io::Result<()>>;

/// Fault injection for tests of interrupted writes. Not for normal use.
#[doc(hidden)]
#[derive(Default)]
pub struct SaveHooks {
    /// Called with the temporary file's path after it is written and synced, just before
    /// the rename; an error aborts the write there.
    pub before_rename: Option<WriteHook>,
}

/// Whether [`replace_file`] wrote anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replaced {
    Written,
    /// The file already held exactly the new bytes.
    AlreadyThere,
}

/// The file a write to `path` changes: `path` itself, or a symlink's final target.
pub fn write_target(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
        }
        _ => path.to_owned(),
    }
}

/// An advisory lock on a folder, held while Folio checks and replaces a file in it.
pub struct FolderLock {
    dir: PathBuf,
    _handle: Option<fs::File>,
}

impl FolderLock {
    /// Locks `dir`, waiting for another Folio writer to finish. Where folders cannot be
    /// locked (not on Unix), the writes still are atomic, only not exclusive.
    pub fn acquire(dir: &Path) -> io::Result<Self> {
        let handle = if cfg!(unix) {
            let handle = fs::File::open(dir)?;
            handle.lock()?;
            Some(handle)
        } else {
            None
        };
        Ok(Self {
            dir: dir.to_owned(),
            _handle: handle,
        })
    }

    /// Locks the folder a write to `path` changes (a symlink's target's folder).
    pub fn for_file(path: &Path) -> Result<Self, WriteError> {
        let target = write_target(path);
        let dir = target.parent().unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(WriteError::MissingFolder);
        }
        Ok(Self::acquire(dir)?)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Whether [`replace_file`] makes the rename durable itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirSync {
    /// Sync the folder after the rename (one file saved).
    Now,
    /// The caller syncs the folder once after many files ([`sync_dir`]): a bulk
    /// operation's journal already knows every file's old and new bytes.
    Deferred,
}

/// Replaces the file at `path` with `bytes` when it holds what `expect` says (see the
/// module docs), under `lock` (which must be the lock of the file's folder).
pub fn replace_file(
    lock: &FolderLock,
    path: &Path,
    expect: Expect,
    bytes: &[u8],
    dir_sync: DirSync,
    hooks: &SaveHooks,
) -> Result<Replaced, WriteError> {
    let target = write_target(path);
    let dir = target.parent().unwrap_or(Path::new(".")).to_owned();
    if dir != lock.dir {
        return Err(WriteError::Io(io::Error::other(format!(
            "the lock held is for {}, not this file's folder",
            lock.dir.display()
        ))));
    }
    if !dir.is_dir() {
        return Err(WriteError::MissingFolder);
    }
    let metadata = match fs::symlink_metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    if let Some(m) = &metadata {
        if !m.file_type().is_file() {
            return Err(WriteError::NotRegular);
        }
        let links = hard_links(m);
        if links > 1 {
            return Err(WriteError::HardLinked { links });
        }
    }
    let current = match &metadata {
        Some(_) => Some(fs::read(&target)?),
        None => None,
    };
    match (expect, &current) {
        (Expect::Content(_), None) => return Err(WriteError::Missing),
        (Expect::Content(want), Some(have)) if Fingerprint::of(have) != want => {
            return Err(WriteError::Changed);
        }
        (Expect::Absent, Some(_)) => return Err(WriteError::Exists),
        _ => {}
    }
    if current.as_deref() == Some(bytes) {
        return Ok(Replaced::AlreadyThere);
    }
    if metadata
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        return Err(WriteError::ReadOnly);
    }
    remove_stale_temps(&dir);
    write_atomically(&target, &dir, bytes, metadata.as_ref(), hooks)?;
    if dir_sync == DirSync::Now {
        sync_dir(&dir);
    }
    Ok(Replaced::Written)
}

/// Moves `from` to `to` (same archive) without ever replacing an existing file.
pub fn move_file(from: &Path, to: &Path) -> Result<(), WriteError> {
    let meta = fs::symlink_metadata(from).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => WriteError::Missing,
        _ => WriteError::Io(e),
    })?;
    if !meta.file_type().is_file() && !meta.file_type().is_symlink() {
        return Err(WriteError::NotRegular);
    }
    let dir = to.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    // A hard link fails when `to` exists: no window in which a file could be replaced.
    match fs::hard_link(from, to) {
        Ok(()) => fs::remove_file(from)?,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(WriteError::Exists),
        Err(_) => {
            // File systems without hard links: check, then rename.
            if fs::symlink_metadata(to).is_ok() {
                return Err(WriteError::Exists);
            }
            fs::rename(from, to)?;
        }
    }
    sync_dir(dir);
    if let Some(old_dir) = from.parent() {
        sync_dir(old_dir);
    }
    Ok(())
}

#[cfg(unix)]
fn hard_links(meta: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn hard_links(_meta: &fs::Metadata) -> u64 {
    1
}

/// Temporary files being written right now, for [`remove_pending_temps`].
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Folders whose stale temporary files this process already removed.
static SWEPT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Removes the temporary files this process is writing (called when the process is
/// interrupted, before it exits).
pub fn remove_pending_temps() {
    let pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    for path in pending.iter() {
        let _ = fs::remove_file(path);
    }
}

fn temp_name() -> String {
    let random = blake3::hash(
        format!("{:?}{:?}", SystemTime::now(), std::thread::current().id()).as_bytes(),
    )
    .to_hex();
    format!(
        "{TEMP_PREFIX}{}-{}{TEMP_SUFFIX}",
        std::process::id(),
        random.get(..12).unwrap_or("0")
    )
}

fn write_atomically(
    path: &Path,
    dir: &Path,
    bytes: &[u8],
    original: Option<&fs::Metadata>,
    hooks: &SaveHooks,
) -> Result<(), WriteError> {
    let temp_path = dir.join(temp_name());
    let mut temp = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp_path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                WriteError::ReadOnly
            }
            _ => WriteError::Io(e),
        })?;
    PENDING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(temp_path.clone());
    let result = (|| -> Result<(), WriteError> {
        temp.write_all(bytes)?;
        match original {
            Some(m) => {
                temp.set_permissions(m.permissions())?;
                keep_owner(&temp, m);
            }
            None => set_default_permissions(&temp)?,
        }
        temp.sync_all()?;
        if let Some(hook) = &hooks.before_rename {
            hook(&temp_path)?;
        }
        fs::rename(&temp_path, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp_path);
    }
    PENDING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|p| p != &temp_path);
    result?;
    Ok(())
}

/// Gives the new file the original's owner and group where the process may (root may;
/// others keep their own and may only choose among their groups).
#[cfg(unix)]
fn keep_owner(file: &fs::File, original: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(now) = file.metadata() else { return };
    if now.uid() == original.uid() && now.gid() == original.gid() {
        return;
    }
    if std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(original.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_file: &fs::File, _original: &fs::Metadata) {}

/// Permissions for a file that did not exist: readable by all, like an editor's.
fn set_default_permissions(file: &fs::File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

/// Removes temporary files left in `dir` by Folio processes that were killed.
fn remove_stale_temps(dir: &Path) {
    {
        let mut swept = SWEPT.lock().unwrap_or_else(PoisonError::into_inner);
        if !swept
            .get_or_insert_with(HashSet::new)
            .insert(dir.to_owned())
        {
            return;
        }
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(middle) = name
            .strip_prefix(TEMP_PREFIX)
            .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        else {
            continue;
        };
        let pid = middle.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        let dead = pid.is_some_and(|pid| pid != std::process::id() && !process_runs(pid));
        if dead || old {
            match fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::info!(path = %entry.path().display(), "removed a stale temporary file")
                }
                Err(e) => tracing::debug!("cannot remove {}: {e}", entry.path().display()),
            }
        }
    }
}

/// Whether a process with this pid runs (Linux: `/proc`); elsewhere assume it does and
/// leave the file to the age rule.
fn process_runs(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Makes a rename durable. Best effort: not every platform can sync a folder.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Writes a small file Folio shares with everyone opening an archive (its `.folio`
/// lists): whole or not at all (a temporary file renamed over it), creating its folder,
/// keeping the file's permissions or, for a new file, making it readable by all as an
/// editor would (a temporary file is private to its owner).
pub fn write_shared_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let folder = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(folder)?;
    let mut temp = tempfile::NamedTempFile::new_in(folder)?;
    temp.write_all(bytes)?;
    let permissions = match fs::metadata(path) {
        Ok(meta) => meta.permissions(),
        Err(_) => shared_permissions(temp.as_file())?,
    };
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn shared_permissions(file: &fs::File) -> io::Result<fs::Permissions> {
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
