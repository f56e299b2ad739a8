//! A bulk plan and its preview: what every selected post would become, computed before
//! anything is written.
//!
//! Each post is read, its fields changed by the plan's operations in order (through
//! the editing model, as the single-post editor does), the differences turned into
//! lossless edits and applied to the text, and the result checked the way a save would
//! check it (encodable in the file's encoding, writable, not a hard link, a move target
//! that is free). The preview keeps only what a person needs to judge and what the apply
//! step needs to verify: the changed part of each file (the text up to the end of its
//! front matter, before and after), the edits, and fingerprints of the old and new
//! bytes. Bodies are not kept, so a preview of 10,000 posts stays small.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::archive::{
    DEFAULT_MAX_FILE_BYTES, Edit, Fingerprint, Post, apply_edits, encode, load_post, split,
    write_target,
};
use crate::fields::Fields;

use super::op::{Compiled, Operation};
use super::paths::{check_folder, moved_path};

/// Posts planned per batch handed to the caller (the first diffs show after one).
const BATCH: usize = 256;

/// The operations of one bulk edit, in the order they apply.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    ops: Vec<Operation>,
}

/// One operation as a person asks for it: what it is called and which plan applies to
/// which posts. Most have one plan over the selected posts; keeping one of a group of
/// duplicates has two (a merge into the kept post, the others to the trash), previewed
/// ([`preview_batch`]) and applied ([`super::apply_parts`]) as one, with one undo.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub summary: String,
    pub parts: Vec<(Plan, Vec<PathBuf>)>,
}

impl Batch {
    /// `plan` over `posts`, described as the plan describes itself.
    pub fn single(plan: Plan, posts: Vec<PathBuf>) -> Self {
        Self {
            summary: plan.describe(),
            parts: vec![(plan, posts)],
        }
    }

    /// The plans, in order.
    pub fn plans(&self) -> Vec<Plan> {
        self.parts.iter().map(|(plan, _)| plan.clone()).collect()
    }
}

impl Plan {
    /// A plan of `ops`; refused when empty, when an operation is invalid, or when it
    /// both trashes posts and does anything else.
    pub fn new(ops: Vec<Operation>) -> Result<Self, String> {
        if ops.is_empty() {
            return Err("no operation given".to_owned());
        }
        for op in &ops {
            op.validate()?;
        }
        let files = ops.iter().filter(|op| op.is_file_operation()).count();
        if files > 1 {
            return Err("only one --move or --trash per operation".to_owned());
        }
        if ops.contains(&Operation::Trash) && ops.len() > 1 {
            return Err("posts moved to the trash are not edited too".to_owned());
        }
        Ok(Self { ops })
    }

    pub fn operations(&self) -> &[Operation] {
        &self.ops
    }

    /// A one-line description, for the history.
    pub fn describe(&self) -> String {
        self.ops
            .iter()
            .map(Operation::describe)
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn move_folder(&self) -> Option<PathBuf> {
        self.ops.iter().find_map(|op| match op {
            Operation::Move { folder } => check_folder(folder).ok(),
            _ => None,
        })
    }

    fn trashes(&self) -> bool {
        self.ops.contains(&Operation::Trash)
    }
}

/// What the plan does to one post.
#[derive(Clone, Debug)]
pub enum Outcome {
    Change(Box<Change>),
    /// The post is already as asked.
    Unchanged,
    /// The post cannot be changed as asked, and why.
    Refused(String),
}

/// A post the plan changes.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    /// The post, relative to the archive root.
    pub path: PathBuf,
    /// The bytes the file holds now.
    pub old: Fingerprint,
    /// The bytes it will hold (`None`: the content stays, the file moves or goes).
    pub new: Option<Fingerprint>,
    /// The lossless edits that turn the old text into the new one.
    pub edits: Vec<Edit>,
    /// The file's text up to the end of its front matter, before and after.
    pub head_before: String,
    pub head_after: String,
    /// Where the file moves to, relative to the root.
    pub move_to: Option<PathBuf>,
    /// Whether the file goes to the trash.
    pub trash: bool,
}

impl Change {
    /// A unified diff of the change, as `folio bulk --dry-run` prints it.
    pub fn unified_diff(&self) -> String {
        let from = crate::archive::slash_path(&self.path);
        let to = self
            .move_to
            .as_deref()
            .map_or_else(|| from.clone(), crate::archive::slash_path);
        let mut out = String::new();
        if self.trash {
            out.push_str(&format!("deleted file (to the trash) {from}\n"));
            return out;
        }
        if to != from {
            out.push_str(&format!("rename from {from}\nrename to {to}\n"));
        }
        if self.head_before != self.head_after {
            let diff = similar::TextDiff::from_lines(&self.head_before, &self.head_after);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{from}"), &format!("b/{to}"))
                    .to_string(),
            );
        }
        out
    }
}

/// One post of a preview.
#[derive(Clone, Debug)]
pub struct Planned {
    pub path: PathBuf,
    pub outcome: Outcome,
    /// Occurrences of the find-and-replace pattern in the post (0 without one).
    pub matches: usize,
}

/// Shared progress of a preview (or an apply), readable from another thread.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
    pub cancel: AtomicBool,
}

impl Progress {
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The whole preview of a plan.
#[derive(Clone, Debug, Default)]
pub struct Preview {
    pub changes: Vec<Change>,
    pub unchanged: usize,
    pub refused: Vec<(PathBuf, String)>,
    /// Occurrences of the find-and-replace pattern in all posts read.
    pub matches: usize,
    /// True when the preview was cancelled before every post was read.
    pub cancelled: bool,
}

impl Preview {
    /// Adds a batch of planned posts.
    pub fn extend(&mut self, batch: Vec<Planned>) {
        for planned in batch {
            self.matches += planned.matches;
            match planned.outcome {
                Outcome::Change(change) => self.changes.push(*change),
                Outcome::Unchanged => self.unchanged += 1,
                Outcome::Refused(reason) => self.refused.push((planned.path, reason)),
            }
        }
    }
}

/// Plans `plan` for every post of `posts` (relative to `root`), in order, in parallel,
/// handing each finished batch to `sink` (so a window can show the first diffs while
/// the rest is read). Stops early when `progress` is cancelled.
pub fn preview_with(
    root: &Path,
    posts: &[PathBuf],
    plan: &Plan,
    progress: &Progress,
    sink: impl FnMut(Vec<Planned>),
) -> Result<(), String> {
    progress.total.store(posts.len(), Ordering::Relaxed);
    preview_part(root, posts, plan, progress, sink)
}

/// Plans a [`Batch`], several plans each over its own posts, as one operation (keeping one of a
/// group of duplicates merges into one post and trashes the others): every part's posts
/// in order, the progress counting all of them. Refused when a post is in two parts,
/// since one operation changes a file once.
pub fn preview_batch(
    root: &Path,
    batch: &Batch,
    progress: &Progress,
    mut sink: impl FnMut(Vec<Planned>),
) -> Result<(), String> {
    let parts = &batch.parts;
    let mut seen: HashSet<&Path> = HashSet::new();
    for posts in parts.iter().map(|(_, posts)| posts) {
        if let Some(twice) = posts.iter().find(|p| !seen.insert(p.as_path())) {
            return Err(format!(
                "{} is in two parts of one operation",
                crate::archive::slash_path(twice)
            ));
        }
    }
    progress.total.store(seen.len(), Ordering::Relaxed);
    for (plan, posts) in parts {
        preview_part(root, posts, plan, progress, &mut sink)?;
    }
    Ok(())
}

fn preview_part(
    root: &Path,
    posts: &[PathBuf],
    plan: &Plan,
    progress: &Progress,
    mut sink: impl FnMut(Vec<Planned>),
) -> Result<(), String> {
    let compiled: Vec<Compiled<'_>> = plan
        .ops
        .iter()
        .filter(|op| !op.is_file_operation())
        .map(Compiled::new)
        .collect::<Result<_, _>>()?;
    let folder = plan.move_folder();
    let mut targets: HashSet<PathBuf> = HashSet::new();
    for chunk in posts.chunks(BATCH) {
        if progress.is_cancelled() {
            break;
        }
        let mut batch: Vec<Planned> = chunk
            .par_iter()
            .map(|rel| {
                let (outcome, matches) =
                    plan_post(root, rel, &compiled, folder.as_deref(), plan.trashes());
                Planned {
                    path: rel.clone(),
                    outcome,
                    matches,
                }
            })
            .collect();
        // Two posts of one name moved into one folder: the second is refused.
        for planned in &mut batch {
            if let Outcome::Change(change) = &planned.outcome
                && let Some(to) = &change.move_to
                && !targets.insert(to.clone())
            {
                planned.outcome = Outcome::Refused(format!(
                    "another selected post is moved to {} too",
                    crate::archive::slash_path(to)
                ));
            }
        }
        progress.done.fetch_add(chunk.len(), Ordering::Relaxed);
        sink(batch);
    }
    Ok(())
}

/// [`preview_with`] gathered into one [`Preview`].
pub fn preview(root: &Path, posts: &[PathBuf], plan: &Plan) -> Result<Preview, String> {
    let mut all = Preview::default();
    preview_with(root, posts, plan, &Progress::default(), |batch| {
        all.extend(batch)
    })?;
    Ok(all)
}

fn plan_post(
    root: &Path,
    rel: &Path,
    ops: &[Compiled<'_>],
    folder: Option<&Path>,
    trash: bool,
) -> (Outcome, usize) {
    let mut matches = 0;
    let outcome = match try_plan_post(root, rel, ops, folder, trash, &mut matches) {
        Ok(Some(change)) => Outcome::Change(Box::new(change)),
        Ok(None) => Outcome::Unchanged,
        Err(reason) => Outcome::Refused(reason),
    };
    (outcome, matches)
}

fn try_plan_post(
    root: &Path,
    rel: &Path,
    ops: &[Compiled<'_>],
    folder: Option<&Path>,
    trash: bool,
    matches: &mut usize,
) -> Result<Option<Change>, String> {
    let post = load_post(root, rel, DEFAULT_MAX_FILE_BYTES);
    if let Some(problem) = post.article.read_blocker() {
        return Err(problem.message.clone());
    }
    let (edits, new_text) = if ops.is_empty() {
        (Vec::new(), None)
    } else {
        edit_post(&post, ops, matches)?
    };
    let move_to = match folder.and_then(|f| moved_path(rel, f)) {
        Some(to) if to != rel => {
            if root.join(&to).exists() {
                return Err(format!(
                    "{} already exists",
                    crate::archive::slash_path(&to)
                ));
            }
            Some(to)
        }
        _ => None,
    };
    if new_text.is_none() && move_to.is_none() && !trash {
        return Ok(None);
    }
    check_writable(&root.join(rel))?;
    let head_before = head(&post.text).to_owned();
    let (new, head_after) = match &new_text {
        Some((text, bytes)) => (Some(Fingerprint::of(bytes)), head(text).to_owned()),
        None => (None, head_before.clone()),
    };
    Ok(Some(Change {
        path: rel.to_owned(),
        old: Fingerprint::of(&post.bytes),
        new,
        edits,
        head_before,
        head_after,
        move_to,
        trash,
    }))
}

/// The edits the operations make to `post` and the new text and bytes, when any.
type Edited = (Vec<Edit>, Option<(String, Vec<u8>)>);

fn edit_post(post: &Post, ops: &[Compiled<'_>], matches: &mut usize) -> Result<Edited, String> {
    let original = Fields::of_post(post).map_err(|e| e.reason())?;
    let mut fields = original.clone();
    for op in ops {
        *matches += op.count_matches(&fields);
        op.apply(&mut fields)?;
    }
    let edits = fields.edits_from(&original).map_err(|e| e.to_string())?;
    if edits.is_empty() {
        return Ok((edits, None));
    }
    let text = apply_edits(post, &edits).map_err(|e| e.reason())?;
    if text == post.text {
        return Ok((Vec::new(), None));
    }
    let bytes = encode(&text, post.article.encoding).map_err(|ch| {
        format!(
            "`{ch}` (U+{:04X}) cannot be written in {}",
            u32::from(ch),
            post.article.encoding.label()
        )
    })?;
    Ok((edits, Some((text, bytes))))
}

/// The text up to the end of the front matter (what an edit can change).
fn head(text: &str) -> &str {
    let end = split(text).block.map_or(0, |block| block.end);
    text.get(..end).unwrap_or_default()
}

/// Refuses files Folio would not replace: read-only, hard-linked, not regular.
fn check_writable(path: &Path) -> Result<(), String> {
    let target = write_target(path);
    let meta = std::fs::symlink_metadata(&target).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.file_type().is_file() {
        return Err("not a regular file".to_owned());
    }
    if meta.permissions().readonly() {
        return Err("read-only".to_owned());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(format!(
                "the file has {} hard links; replacing it would split them",
                meta.nlink()
            ));
        }
    }
    Ok(())
}
