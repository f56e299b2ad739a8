//! Applying, undoing, redoing and recovering operations: every file brought to one
//! side of its change, whichever side it is on now.
//!
//! Each file of an operation has two sides: as it was (old bytes, at its old path) and
//! as the operation made it (new bytes, at its new path; gone, for the trash). Driving
//! an operation toward a side looks at each file as it is on disk and takes the steps
//! left to reach that side — each one an atomic write, a no-clobber move or a trash
//! move, under the folder's lock. So applying, undoing, redoing, finishing an
//! interrupted apply and rolling it back are one procedure, and running it twice does
//! nothing the second time. A file that is on neither side (someone changed it since)
//! is left alone and reported, never overwritten.
//!
//! Order on disk, for a crash at any moment: the operation's record is written first,
//! each file's old bytes are stored (fsynced) before that file is touched, the state is
//! marked finished last. A file is never half-written (see `archive::write`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use crate::archive::{
    DirSync, Expect, Fingerprint, FolderLock, SaveHooks, WriteError, apply_edits, encode,
    move_file, parse_bytes, replace_file, sync_dir,
};

use super::history::{Blobs, History, HistoryError, Record, State, Toward};
use super::plan::{Change, Plan, Progress};

/// Files driven per batch: their old bytes are stored with one sync.
const BATCH: usize = 256;

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub id: u64,
    pub summary: String,
    /// Files brought to the asked side by this run.
    pub done: usize,
    /// Files that were on that side already.
    pub already: usize,
    /// Files left as they are, and why (changed since, a file in the way…).
    pub skipped: Vec<(PathBuf, String)>,
    /// Things a person should know (e.g. the system trash was not available).
    pub notes: Vec<String>,
    /// The run was cancelled before every file was looked at.
    pub cancelled: bool,
}

/// Why an operation cannot run.
#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(
        "operation {id} ({summary}) was interrupted: finish it (redo) or roll it back (undo) first"
    )]
    Interrupted { id: u64, summary: String },
    #[error("nothing to {0}")]
    Nothing(&'static str),
}

/// Records and applies a previewed plan.
pub fn apply(
    history: &History,
    plan: &Plan,
    changes: Vec<Change>,
    progress: &Progress,
) -> Result<Report, DriveError> {
    apply_parts(
        history,
        &plan.describe(),
        std::slice::from_ref(plan),
        changes,
        progress,
    )
}

/// Records and applies, as one operation with one undo, the changes of several plans
/// previewed together ([`super::preview_batch`]), described by `summary`.
pub fn apply_parts(
    history: &History,
    summary: &str,
    plans: &[Plan],
    changes: Vec<Change>,
    progress: &Progress,
) -> Result<Report, DriveError> {
    let lock = history.lock()?;
    if let Some(op) = history.interrupted()?.into_iter().next() {
        return Err(DriveError::Interrupted {
            id: op.id,
            summary: op.summary,
        });
    }
    let record = history.create(&lock, summary, plans, changes)?;
    let report = drive(history, &record, Toward::New, progress)?;
    history.prune(&lock)?;
    Ok(report)
}

/// Undoes operation `id`, or (none given) an interrupted one, else the latest applied.
pub fn undo(history: &History, id: Option<u64>, progress: &Progress) -> Result<Report, DriveError> {
    run_toward(history, id, Toward::Old, progress)
}

/// Redoes operation `id`, or (none given) finishes an interrupted one, else redoes the
/// latest undone.
pub fn redo(history: &History, id: Option<u64>, progress: &Progress) -> Result<Report, DriveError> {
    run_toward(history, id, Toward::New, progress)
}

fn run_toward(
    history: &History,
    id: Option<u64>,
    toward: Toward,
    progress: &Progress,
) -> Result<Report, DriveError> {
    let _lock = history.lock()?;
    let ops = history.operations()?;
    let interrupted = ops
        .iter()
        .find(|op| matches!(op.state, State::Interrupted(_)));
    let target = match (id, interrupted) {
        (Some(id), Some(op)) if op.id != id => {
            return Err(DriveError::Interrupted {
                id: op.id,
                summary: op.summary.clone(),
            });
        }
        (Some(id), _) => id,
        (None, Some(op)) => op.id,
        (None, None) => {
            let wanted = match toward {
                Toward::Old => State::Applied,
                Toward::New => State::Undone,
            };
            ops.iter()
                .rev()
                .find(|op| op.state == wanted)
                .map(|op| op.id)
                .ok_or(DriveError::Nothing(match toward {
                    Toward::Old => "undo",
                    Toward::New => "redo",
                }))?
        }
    };
    let record = history.record(target)?;
    Ok(drive(history, &record, toward, progress)?)
}

/// Brings every file of `record` to the `toward` side (see the module docs).
fn drive(
    history: &History,
    record: &Record,
    toward: Toward,
    progress: &Progress,
) -> Result<Report, HistoryError> {
    history.set_state(record.id, toward, false)?;
    let mut blobs = history.blobs(record.id)?;
    let root = history.root();
    let mut report = Report {
        id: record.id,
        summary: record.summary.clone(),
        ..Report::default()
    };
    progress
        .total
        .store(record.changes.len(), Ordering::Relaxed);
    progress.done.store(0, Ordering::Relaxed);
    for chunk in record.changes.chunks(BATCH) {
        if progress.is_cancelled() {
            report.cancelled = true;
            break;
        }
        if toward == Toward::New {
            keep_old_bytes(root, chunk, &mut blobs)?;
        }
        let mut folders = BTreeSet::new();
        for change in chunk {
            let outcome = drive_file(root, change, toward, &blobs);
            match outcome {
                Ok(Step::Done(note)) => {
                    report.done += 1;
                    report.notes.extend(note);
                }
                Ok(Step::Already) => report.already += 1,
                Err(reason) => report.skipped.push((change.path.clone(), reason)),
            }
            for path in [Some(&change.path), change.move_to.as_ref()]
                .into_iter()
                .flatten()
            {
                if let Some(dir) = root.join(path).parent() {
                    folders.insert(dir.to_owned());
                }
            }
            progress.done.fetch_add(1, Ordering::Relaxed);
        }
        for dir in &folders {
            sync_dir(dir);
        }
    }
    report.notes.dedup();
    history.set_state(record.id, toward, true)?;
    Ok(report)
}

/// Stores the old bytes of the files of `chunk` that still hold them, before any is
/// touched.
fn keep_old_bytes(root: &Path, chunk: &[Change], blobs: &mut Blobs) -> Result<(), HistoryError> {
    let mut read: Vec<(Fingerprint, Vec<u8>)> = Vec::new();
    for change in chunk {
        if blobs.contains(&change.old) {
            continue;
        }
        let Ok(bytes) = fs::read(root.join(&change.path)) else {
            continue;
        };
        if Fingerprint::of(&bytes) == change.old {
            read.push((change.old, bytes));
        }
    }
    let items: Vec<(Fingerprint, &[u8])> = read.iter().map(|(f, b)| (*f, b.as_slice())).collect();
    blobs.store(&items)
}

enum Step {
    Done(Option<String>),
    Already,
}

fn fingerprint_at(path: &Path) -> Option<Fingerprint> {
    fs::read(path).ok().map(|bytes| Fingerprint::of(&bytes))
}

fn drive_file(root: &Path, change: &Change, toward: Toward, blobs: &Blobs) -> Result<Step, String> {
    if change.trash {
        return drive_trash(root, change, toward, blobs);
    }
    let here = root.join(&change.path);
    let there = change.move_to.as_ref().map(|to| root.join(to));
    let new = change.new.unwrap_or(change.old);
    let (goal_fp, other_fp) = match toward {
        Toward::New => (new, change.old),
        Toward::Old => (change.old, new),
    };
    let (goal_path, other_path) = match (&there, toward) {
        (None, _) => (here.clone(), None),
        (Some(there), Toward::New) => (there.clone(), Some(here.clone())),
        (Some(there), Toward::Old) => (here.clone(), Some(there.clone())),
    };
    let at_goal = fingerprint_at(&goal_path);
    let at_other = other_path.as_deref().and_then(fingerprint_at);
    // Where the file's content is now.
    let (current_path, current) = match (at_goal, at_other) {
        (Some(fp), Some(same)) if fp == same && fp == goal_fp => {
            // Half a move (linked, not yet unlinked): finish it.
            if let Some(other) = &other_path {
                fs::remove_file(other).map_err(|e| format!("cannot remove {e}"))?;
            }
            return Ok(Step::Done(None));
        }
        (Some(_), Some(_)) => return Err("files at both places; left as they are".to_owned()),
        (Some(fp), None) => (goal_path.clone(), fp),
        (None, Some(fp)) => match &other_path {
            Some(other) => (other.clone(), fp),
            None => return Err("the file is gone".to_owned()),
        },
        (None, None) => return Err("the file is gone".to_owned()),
    };
    if current != goal_fp && current != other_fp {
        return Err("the file changed since; left as it is".to_owned());
    }
    if current == goal_fp && current_path == goal_path {
        return Ok(Step::Already);
    }
    if current != goal_fp {
        let bytes = goal_bytes(change, toward, &current_path, blobs)?;
        let lock = FolderLock::for_file(&current_path).map_err(|e| e.to_string())?;
        replace_file(
            &lock,
            &current_path,
            Expect::Content(current),
            &bytes,
            DirSync::Deferred,
            &SaveHooks::default(),
        )
        .map_err(|e| match e {
            WriteError::Changed => "the file changed since; left as it is".to_owned(),
            other => other.to_string(),
        })?;
    }
    if current_path != goal_path {
        move_file(&current_path, &goal_path).map_err(|e| match e {
            WriteError::Exists => format!(
                "{} is taken by another file",
                crate::archive::slash_path(goal_path.strip_prefix(root).unwrap_or(&goal_path))
            ),
            other => other.to_string(),
        })?;
    }
    Ok(Step::Done(None))
}

/// The bytes of the `toward` side: the stored old bytes, or those with the recorded
/// edits applied (checked against the recorded fingerprint).
fn goal_bytes(
    change: &Change,
    toward: Toward,
    current_path: &Path,
    blobs: &Blobs,
) -> Result<Vec<u8>, String> {
    let old = match blobs.read(&change.old).map_err(|e| e.to_string())? {
        Some(bytes) => bytes,
        None => {
            let bytes = fs::read(current_path).map_err(|e| format!("cannot read: {e}"))?;
            if Fingerprint::of(&bytes) != change.old {
                return Err("the old version is not stored; left as it is".to_owned());
            }
            bytes
        }
    };
    if toward == Toward::Old {
        return Ok(old);
    }
    let post = parse_bytes(change.path.clone(), None, old);
    let text = apply_edits(&post, &change.edits).map_err(|e| e.reason())?;
    let bytes = encode(&text, post.article.encoding).map_err(|ch| {
        format!(
            "`{ch}` cannot be written in {}",
            post.article.encoding.label()
        )
    })?;
    if Some(Fingerprint::of(&bytes)) != change.new {
        return Err("the edit does not give the previewed result; left as it is".to_owned());
    }
    Ok(bytes)
}

fn drive_trash(
    root: &Path,
    change: &Change,
    toward: Toward,
    blobs: &Blobs,
) -> Result<Step, String> {
    let path = root.join(&change.path);
    let current = fingerprint_at(&path);
    match (toward, current) {
        (Toward::New, None) => Ok(Step::Already),
        (Toward::New, Some(fp)) if fp == change.old => {
            if !blobs.contains(&change.old) {
                return Err("its bytes could not be kept for undo; left as it is".to_owned());
            }
            match trash::delete(&path) {
                Ok(()) => Ok(Step::Done(None)),
                Err(e) => {
                    // No trash here (a headless server, another file system): the bytes
                    // are in the history, so undo still brings the file back.
                    fs::remove_file(&path).map_err(|e| format!("cannot remove: {e}"))?;
                    Ok(Step::Done(Some(format!(
                        "the system trash is not available ({e}); removed posts are kept in Folio's history, and undo brings them back"
                    ))))
                }
            }
        }
        (Toward::Old, Some(fp)) if fp == change.old => Ok(Step::Already),
        (Toward::Old, None) => {
            let bytes = blobs
                .read(&change.old)
                .map_err(|e| e.to_string())?
                .ok_or("its old bytes are not stored")?;
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| format!("cannot recreate its folder: {e}"))?;
            }
            let lock = FolderLock::for_file(&path).map_err(|e| e.to_string())?;
            replace_file(
                &lock,
                &path,
                Expect::Absent,
                &bytes,
                DirSync::Deferred,
                &SaveHooks::default(),
            )
            .map_err(|e| e.to_string())?;
            Ok(Step::Done(None))
        }
        (_, Some(_)) => Err("a different file is there now; left as it is".to_owned()),
    }
}
