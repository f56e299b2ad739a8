//! The operation history of an archive: a journal on disk that outlives Folio, shared
//! by the window and the command line.
//!
//! One folder per archive under the platform data folder
//! (`~/.local/share/folio/history/<id>/` on Linux, `<id>` a hash of the archive's
//! path, whose `root.txt` names the archive), one folder per operation in it:
//!
//! - `op.json`: the plan, its description, the time, and every changed file with the
//!   fingerprints of its old and new bytes and the edits between them;
//! - `old.pack` + `old.idx`: the old bytes of each file, stored before the file is
//!   touched (data first, fsynced, then its index line, fsynced);
//! - `state.json`: which way the operation was last driven (to the new bytes: applied
//!   or redone; to the old: undone) and whether that finished.
//!
//! The new bytes are never stored: they are the old bytes with the recorded edits
//! applied, which is deterministic and checked against the recorded fingerprint. A run
//! that did not finish (a crash, `kill -9`, power loss) shows as interrupted, and the
//! next run finishes it or rolls it back (see [`super::drive`]).
//!
//! The history keeps the newest [`MAX_OPERATIONS`] operations and at most
//! [`MAX_BYTES`] of stored bytes; older finished ones are pruned, interrupted ones
//! never. A lock file keeps two Folio processes from driving one archive's operations
//! at once.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::archive::Fingerprint;

use super::plan::{Change, Plan};

/// Operations kept per archive.
pub const MAX_OPERATIONS: usize = 100;
/// Stored bytes kept per archive (old contents of changed files).
pub const MAX_BYTES: u64 = 1 << 30;

const FORMAT_VERSION: u32 = 1;

/// Why the history could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("another Folio is running an operation on this archive; try again when it is done: {}", .0.display())]
    Busy(PathBuf),
    #[error("no such operation: {0}")]
    NoSuchOperation(u64),
    #[error("{what}: {}", path.display())]
    Corrupt { what: String, path: PathBuf },
    #[error("{source}: {}", path.display())]
    Io { source: io::Error, path: PathBuf },
}

fn io_at(path: &Path) -> impl Fn(io::Error) -> HistoryError + '_ {
    move |source| HistoryError::Io {
        source,
        path: path.to_owned(),
    }
}

/// Which way an operation was last driven.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Toward {
    /// To the new bytes: applied, redone or finished.
    New,
    /// To the old bytes: undone or rolled back.
    Old,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct StateFile {
    toward: Toward,
    finished: bool,
}

/// Where an operation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Applied,
    Undone,
    /// A run stopped half-way; the direction it was going.
    Interrupted(Toward),
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Undone => "undone",
            Self::Interrupted(Toward::New) => "interrupted while applying",
            Self::Interrupted(Toward::Old) => "interrupted while undoing",
        }
    }
}

/// What `op.json` holds.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub version: u32,
    pub id: u64,
    pub summary: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// The plans applied (several when one operation changed posts in different ways;
    /// journals written before that hold one, as `plan`).
    #[serde(alias = "plan", deserialize_with = "one_or_many")]
    pub plans: Vec<Plan>,
    pub changes: Vec<Change>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Plan>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Plan),
        Many(Vec<Plan>),
    }
    Ok(match serde::Deserialize::deserialize(d)? {
        OneOrMany::One(plan) => vec![plan],
        OneOrMany::Many(plans) => plans,
    })
}

/// One operation as listed.
#[derive(Clone, Debug)]
pub struct Operation {
    pub id: u64,
    pub summary: String,
    pub created: String,
    pub files: usize,
    pub state: State,
    /// Bytes stored for it.
    pub stored_bytes: u64,
}

/// The history of one archive.
#[derive(Clone, Debug)]
pub struct History {
    dir: PathBuf,
    root: PathBuf,
}

/// Held while an operation of the archive is driven.
pub struct HistoryLock {
    _file: File,
}

impl History {
    /// Where histories live unless told otherwise: the platform data folder.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Folio", "folio")
            .map(|dirs| dirs.data_dir().join("history"))
    }

    /// The history of the archive at `root` (canonicalized), under `base`.
    pub fn open(base: &Path, root: &Path) -> Result<Self, HistoryError> {
        let root = root.canonicalize().map_err(io_at(root))?;
        let id = blake3::hash(root.to_string_lossy().as_bytes()).to_hex();
        let dir = base.join(id.get(..16).unwrap_or("archive"));
        fs::create_dir_all(&dir).map_err(io_at(&dir))?;
        let name = dir.join("root.txt");
        if !name.exists() {
            fs::write(&name, format!("{}\n", root.display())).map_err(io_at(&name))?;
        }
        Ok(Self { dir, root })
    }

    /// The archive root this history is of.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder the history is stored in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the archive's operation lock, or says another process holds it.
    pub fn lock(&self) -> Result<HistoryLock, HistoryError> {
        let path = self.dir.join("lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_at(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(HistoryLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(HistoryError::Busy(self.root.clone())),
            Err(fs::TryLockError::Error(e)) => Err(io_at(&path)(e)),
        }
    }

    /// Every operation, oldest first.
    pub fn operations(&self) -> Result<Vec<Operation>, HistoryError> {
        let mut out = Vec::new();
        for id in self.ids()? {
            let record = self.record(id)?;
            let state = self.state(id)?;
            out.push(Operation {
                id,
                summary: record.summary,
                created: record.created,
                files: record.changes.len(),
                state,
                stored_bytes: self.stored_bytes(id),
            });
        }
        Ok(out)
    }

    /// The operations that did not finish.
    pub fn interrupted(&self) -> Result<Vec<Operation>, HistoryError> {
        Ok(self
            .operations()?
            .into_iter()
            .filter(|op| matches!(op.state, State::Interrupted(_)))
            .collect())
    }

    fn ids(&self) -> Result<Vec<u64>, HistoryError> {
        let mut ids: Vec<u64> = fs::read_dir(&self.dir)
            .map_err(io_at(&self.dir))?
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse().ok())
            .filter(|id| self.op_dir(*id).join("state.json").exists())
            .collect();
        ids.sort_unstable();
        Ok(ids)
    }

    fn op_dir(&self, id: u64) -> PathBuf {
        self.dir.join(format!("{id:06}"))
    }

    /// The stored record of operation `id`.
    pub fn record(&self, id: u64) -> Result<Record, HistoryError> {
        let path = self.op_dir(id).join("op.json");
        if !path.exists() {
            return Err(HistoryError::NoSuchOperation(id));
        }
        let text = fs::read(&path).map_err(io_at(&path))?;
        let record: Record = serde_json::from_slice(&text).map_err(|e| HistoryError::Corrupt {
            what: format!("unreadable operation record ({e})"),
            path: path.clone(),
        })?;
        if record.version != FORMAT_VERSION {
            return Err(HistoryError::Corrupt {
                what: format!(
                    "written by another version of Folio (format {})",
                    record.version
                ),
                path,
            });
        }
        Ok(record)
    }

    /// Where operation `id` stands.
    pub fn state(&self, id: u64) -> Result<State, HistoryError> {
        let path = self.op_dir(id).join("state.json");
        let text = fs::read(&path).map_err(io_at(&path))?;
        let state: StateFile =
            serde_json::from_slice(&text).map_err(|e| HistoryError::Corrupt {
                what: format!("unreadable operation state ({e})"),
                path,
            })?;
        Ok(match (state.toward, state.finished) {
            (_, false) => State::Interrupted(state.toward),
            (Toward::New, true) => State::Applied,
            (Toward::Old, true) => State::Undone,
        })
    }

    /// Records a new operation (nothing is touched yet) and marks it as being applied.
    pub(super) fn create(
        &self,
        _lock: &HistoryLock,
        summary: &str,
        plans: &[Plan],
        changes: Vec<Change>,
    ) -> Result<Record, HistoryError> {
        let id = self.ids()?.last().map_or(1, |last| last + 1);
        let dir = self.op_dir(id);
        fs::create_dir_all(&dir).map_err(io_at(&dir))?;
        let record = Record {
            version: FORMAT_VERSION,
            id,
            summary: format!("{summary} ({} posts)", changes.len()),
            created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            plans: plans.to_vec(),
            changes,
        };
        let json = serde_json::to_vec(&record).map_err(|e| io_at(&dir)(io::Error::other(e)))?;
        write_durably(&dir.join("op.json"), &json)?;
        self.set_state(id, Toward::New, false)?;
        Ok(record)
    }

    /// Marks which way operation `id` is being (or was) driven.
    pub(super) fn set_state(
        &self,
        id: u64,
        toward: Toward,
        finished: bool,
    ) -> Result<(), HistoryError> {
        let json = serde_json::to_vec(&StateFile { toward, finished })
            .map_err(|e| io_at(&self.dir)(io::Error::other(e)))?;
        write_durably(&self.op_dir(id).join("state.json"), &json)
    }

    /// The stored old bytes of operation `id`, by hash.
    pub(super) fn blobs(&self, id: u64) -> Result<Blobs, HistoryError> {
        Blobs::open(&self.op_dir(id))
    }

    fn stored_bytes(&self, id: u64) -> u64 {
        fs::metadata(self.op_dir(id).join("old.pack")).map_or(0, |m| m.len())
    }

    /// Drops the oldest finished operations beyond [`MAX_OPERATIONS`] and
    /// [`MAX_BYTES`]; the newest one and interrupted ones always stay.
    pub(super) fn prune(&self, _lock: &HistoryLock) -> Result<usize, HistoryError> {
        let ops = self.operations()?;
        let mut total: u64 = ops.iter().map(|op| op.stored_bytes).sum();
        let mut count = ops.len();
        let mut removed = 0;
        for op in ops.iter().take(ops.len().saturating_sub(1)) {
            if count <= MAX_OPERATIONS && total <= MAX_BYTES {
                break;
            }
            if matches!(op.state, State::Interrupted(_)) {
                continue;
            }
            let dir = self.op_dir(op.id);
            // The state file goes first: a half-removed folder is no operation.
            let _ = fs::remove_file(dir.join("state.json"));
            fs::remove_dir_all(&dir).map_err(io_at(&dir))?;
            total = total.saturating_sub(op.stored_bytes);
            count -= 1;
            removed += 1;
        }
        Ok(removed)
    }
}

/// Writes a small file so that it is either wholly there or not at all.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), HistoryError> {
    let temp = path.with_extension("tmp");
    let result = (|| -> io::Result<()> {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        if let Some(dir) = path.parent() {
            crate::archive::sync_dir(dir);
        }
        Ok(())
    })();
    result.map_err(io_at(path))
}

/// The old bytes of an operation's files: an append-only pack and its index.
pub(super) struct Blobs {
    pack: PathBuf,
    index: PathBuf,
    known: HashMap<Fingerprint, (u64, u64)>,
}

impl Blobs {
    fn open(dir: &Path) -> Result<Self, HistoryError> {
        let pack = dir.join("old.pack");
        let index = dir.join("old.idx");
        let mut known = HashMap::new();
        if let Ok(file) = File::open(&index) {
            for line in io::BufReader::new(file).lines() {
                let line = line.map_err(io_at(&index))?;
                // `<hash> <len> <offset>`; a torn last line (a crash) is ignored.
                let mut parts = line.split(' ');
                let (Some(hash), Some(len), Some(offset)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    continue;
                };
                let (Ok(hash), Ok(len), Ok(offset)) = (
                    blake3::Hash::from_hex(hash.as_bytes()),
                    len.parse::<u64>(),
                    offset.parse::<u64>(),
                ) else {
                    continue;
                };
                let fingerprint = Fingerprint {
                    len,
                    hash: *hash.as_bytes(),
                };
                known.insert(fingerprint, (offset, len));
            }
        }
        Ok(Self { pack, index, known })
    }

    pub fn contains(&self, fingerprint: &Fingerprint) -> bool {
        self.known.contains_key(fingerprint)
    }

    /// Stores several files' bytes durably: the data is synced before the index
    /// lines that point at it.
    pub fn store(&mut self, items: &[(Fingerprint, &[u8])]) -> Result<(), HistoryError> {
        let fresh: Vec<&(Fingerprint, &[u8])> =
            items.iter().filter(|(fp, _)| !self.contains(fp)).collect();
        if fresh.is_empty() {
            return Ok(());
        }
        let mut pack = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.pack)
            .map_err(io_at(&self.pack))?;
        let mut offset = pack.metadata().map_err(io_at(&self.pack))?.len();
        let mut lines = String::new();
        let mut placed = Vec::new();
        for (fp, bytes) in fresh {
            pack.write_all(bytes).map_err(io_at(&self.pack))?;
            lines.push_str(&format!("{} {} {offset}\n", fp.hex(), fp.len));
            placed.push((*fp, (offset, fp.len)));
            offset += fp.len;
        }
        pack.sync_all().map_err(io_at(&self.pack))?;
        let mut index = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.index)
            .map_err(io_at(&self.index))?;
        index
            .write_all(lines.as_bytes())
            .map_err(io_at(&self.index))?;
        index.sync_all().map_err(io_at(&self.index))?;
        self.known.extend(placed);
        Ok(())
    }

    /// The bytes stored for `fingerprint`, checked against it.
    pub fn read(&self, fingerprint: &Fingerprint) -> Result<Option<Vec<u8>>, HistoryError> {
        let Some(&(offset, len)) = self.known.get(fingerprint) else {
            return Ok(None);
        };
        let mut pack = File::open(&self.pack).map_err(io_at(&self.pack))?;
        pack.seek(SeekFrom::Start(offset))
            .map_err(io_at(&self.pack))?;
        let mut bytes = vec![0; usize::try_from(len).unwrap_or(0)];
        pack.read_exact(&mut bytes).map_err(io_at(&self.pack))?;
        if Fingerprint::of(&bytes) != *fingerprint {
            return Err(HistoryError::Corrupt {
                what: "stored bytes do not match their hash".to_owned(),
                path: self.pack.clone(),
            });
        }
        Ok(Some(bytes))
    }
}
