//! What a file was when it was read, to tell later whether it may have changed.

use std::fs::Metadata;
use std::time::UNIX_EPOCH;

/// A file's size, modification and status-change times and inode number. A post whose
/// stamp is unchanged is taken not to have changed: an editor's save, `git checkout`
/// and a file replaced by another of the same size (a new inode, a new change time)
/// all give a new stamp.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct FileStamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch (0 when the platform gives none).
    pub modified_ns: i128,
    /// Nanoseconds since the Unix epoch of the last status change (Unix only).
    pub changed_ns: i128,
    pub inode: u64,
}

impl FileStamp {
    pub fn of(meta: &Metadata) -> Self {
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        let (changed_ns, inode) = status_change(meta);
        Self {
            size: meta.len(),
            modified_ns,
            changed_ns,
            inode,
        }
    }

    /// The stamp of the file at `path` now (links followed), if it can be read.
    pub fn read(path: &std::path::Path) -> Option<Self> {
        std::fs::metadata(path).ok().map(|meta| Self::of(&meta))
    }
}

#[cfg(unix)]
fn status_change(meta: &Metadata) -> (i128, u64) {
    use std::os::unix::fs::MetadataExt;
    (
        i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
        meta.ino(),
    )
}

#[cfg(not(unix))]
fn status_change(_meta: &Metadata) -> (i128, u64) {
    (0, 0)
}
