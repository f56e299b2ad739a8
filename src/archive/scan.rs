//! Walking an archive folder and reading every post in parallel.
//!
//! The walk (`walkdir`, sorted by name) only lists files; reading and parsing them runs
//! on the rayon pool in chunks, each chunk handed to a sink as soon as it is done so
//! that a UI can fill its list while the scan goes on. Only metadata and spans are kept:
//! bodies are read again when a post is opened.
//!
//! Symbolic links never take the scan out of the folder that was opened, nor round in
//! circles: the opened folder itself may be a link, but a link inside it to a folder is
//! not followed (a folder inside the archive is listed under its own path once; one
//! outside it is reported, and opened by opening it), a link to a post outside the
//! archive is reported and not read, and each real folder (device and inode) is visited
//! once, so bind mounts and chains of links list every post once. Only regular files
//! are read (see [`inspect_post`]). A listing reads only the front matter of each file
//! ([`ReadScope::FrontMatter`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use walkdir::WalkDir;

use super::post::{Article, DEFAULT_MAX_FILE_BYTES, inspect_head, inspect_post};
use super::problem::{Problem, ProblemKind};
use super::stamp::FileStamp;

/// File extensions that hold posts.
pub const POST_EXTENSIONS: [&str; 3] = ["md", "markdown", "html"];

/// How much of each file a scan reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadScope {
    /// Every byte, so that a problem anywhere in a file is found (`folio check`).
    #[default]
    Whole,
    /// What a listing needs: the front matter (see [`inspect_head`]). Problems in the
    /// rest of a large file are found when it is opened or checked.
    FrontMatter,
}

/// Options for a scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    pub max_file_bytes: u64,
    /// Posts per batch handed to the sink.
    pub batch_size: usize,
    pub read: ReadScope,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            batch_size: 512,
            read: ReadScope::Whole,
        }
    }
}

impl ScanOptions {
    /// The options of a listing: front matter only.
    pub fn listing() -> Self {
        Self {
            read: ReadScope::FrontMatter,
            ..Self::default()
        }
    }
}

/// Shared progress counters and a cancel flag, readable from another thread.
#[derive(Debug, Default)]
pub struct ScanProgress {
    pub found: AtomicUsize,
    pub done: AtomicUsize,
    /// True once the walk has listed every file (so `found` is final).
    pub walk_finished: AtomicBool,
    pub cancel: AtomicBool,
}

impl ScanProgress {
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A problem with a path that is not a post (an unreadable folder, a symlink loop).
#[derive(Clone, Debug)]
pub struct PathProblem {
    /// Path relative to the archive root.
    pub path: PathBuf,
    pub problem: Problem,
}

/// Why a scan could not start.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot open archive folder: {source}: {}", path.display())]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("not a folder: {}", path.display())]
    NotAFolder { path: PathBuf },
}

/// A whole scanned archive.
#[derive(Debug)]
pub struct Archive {
    pub root: PathBuf,
    /// Every post, in path order.
    pub articles: Vec<Article>,
    /// Problems with folders and entries that are not posts.
    pub path_problems: Vec<PathProblem>,
    /// True when the scan was cancelled before it finished.
    pub cancelled: bool,
}

/// Scans `root` and returns every post in path order.
pub fn scan(root: &Path, options: &ScanOptions) -> Result<Archive, ScanError> {
    let progress = ScanProgress::default();
    let batches = std::sync::Mutex::new(Vec::new());
    let (path_problems, cancelled) = scan_with(root, options, &progress, &|batch| {
        if let Ok(mut all) = batches.lock() {
            all.push(batch);
        }
    })?;
    let mut batches = batches.into_inner().unwrap_or_default();
    batches.sort_by_key(|(index, _)| *index);
    let articles = batches.into_iter().flat_map(|(_, b)| b).collect();
    Ok(Archive {
        root: root.to_owned(),
        articles,
        path_problems,
        cancelled,
    })
}

/// Scans `root`, handing each finished batch `(batch index, articles in path order)` to
/// `sink` from a worker thread. Batches arrive in any order; concatenating them by index
/// gives path order. Returns the path problems and whether the scan was cancelled.
pub fn scan_with(
    root: &Path,
    options: &ScanOptions,
    progress: &ScanProgress,
    sink: &(dyn Fn((usize, Vec<Article>)) + Sync),
) -> Result<(Vec<PathProblem>, bool), ScanError> {
    scan_inner(root, options, progress, None, sink, None)
}

/// What changed on disk since an earlier scan: see [`changes_since`].
#[derive(Debug, Default)]
pub struct DiskChanges {
    /// Posts that are new or whose file's stamp changed, read again, in path order.
    pub read: Vec<Article>,
    /// Posts of the earlier scan that are gone (deleted, renamed away, or no longer
    /// posts), in path order.
    pub gone: Vec<PathBuf>,
    /// Problems with folders and entries that are not posts, as a scan reports them.
    pub path_problems: Vec<PathProblem>,
    /// True when the check was cancelled before it finished (the rest is then partial).
    pub cancelled: bool,
}

/// Walks `root` as a scan does and stats every post, given the stamps an earlier scan
/// saw (by path; `None`: read it again whatever its stamp): only posts whose stamp
/// changed, and new ones, are read. Applying the answer to the earlier scan's list
/// gives exactly what a new scan would, when the stamps tell the truth.
pub fn changes_since(
    root: &Path,
    options: &ScanOptions,
    progress: &ScanProgress,
    known: &HashMap<PathBuf, Option<FileStamp>>,
) -> Result<DiskChanges, ScanError> {
    let seen = std::sync::Mutex::new(Vec::new());
    let read = std::sync::Mutex::new(Vec::new());
    let (path_problems, cancelled) = scan_inner(
        root,
        options,
        progress,
        Some(known),
        &|batch| {
            let (index, articles) = batch;
            if let Ok(mut read) = read.lock() {
                read.push((index, articles));
            }
        },
        Some(&seen),
    )?;
    let mut read = read.into_inner().unwrap_or_default();
    read.sort_by_key(|(index, _)| *index);
    let seen: std::collections::HashSet<PathBuf> =
        seen.into_inner().unwrap_or_default().into_iter().collect();
    let mut gone: Vec<PathBuf> = if cancelled {
        Vec::new()
    } else {
        known
            .keys()
            .filter(|p| !seen.contains(*p))
            .cloned()
            .collect()
    };
    gone.sort();
    Ok(DiskChanges {
        read: read.into_iter().flat_map(|(_, b)| b).collect(),
        gone,
        path_problems,
        cancelled,
    })
}

/// The scan; with `known`, a post whose file still has its known stamp is left out of
/// the batches (and only stat'ed), and every walked path is added to `seen`.
fn scan_inner(
    root: &Path,
    options: &ScanOptions,
    progress: &ScanProgress,
    known: Option<&HashMap<PathBuf, Option<FileStamp>>>,
    sink: &(dyn Fn((usize, Vec<Article>)) + Sync),
    seen: Option<&std::sync::Mutex<Vec<PathBuf>>>,
) -> Result<(Vec<PathProblem>, bool), ScanError> {
    let meta = std::fs::metadata(root).map_err(|source| ScanError::Root {
        path: root.to_owned(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(ScanError::NotAFolder {
            path: root.to_owned(),
        });
    }
    let batch_size = options.batch_size.max(1);
    // The walk runs on this thread and hands each full batch of paths to the pool, so
    // parsing starts with the first files found instead of after the whole walk.
    let path_problems = rayon::in_place_scope(|scope| {
        let mut next_index = 0usize;
        walk(root, progress, batch_size, &mut |paths| {
            if let Some(seen) = seen
                && let Ok(mut seen) = seen.lock()
            {
                seen.extend(paths.iter().cloned());
            }
            let index = next_index;
            next_index += 1;
            scope.spawn(move |_| {
                if progress.is_cancelled() {
                    return;
                }
                let inspect = match options.read {
                    ReadScope::Whole => inspect_post,
                    ReadScope::FrontMatter => inspect_head,
                };
                let unchanged = |rel: &PathBuf| {
                    known.and_then(|known| known.get(rel)).is_some_and(|stamp| {
                        stamp.is_some() && *stamp == FileStamp::read(&root.join(rel))
                    })
                };
                let batch: Vec<Article> = paths
                    .iter()
                    .filter(|rel| !unchanged(rel))
                    .map(|rel| inspect(root, rel, options.max_file_bytes))
                    .collect();
                progress.done.fetch_add(paths.len(), Ordering::Relaxed);
                sink((index, batch));
            });
        })
    });
    progress.walk_finished.store(true, Ordering::Relaxed);
    Ok((path_problems, progress.is_cancelled()))
}

/// Files whose presence at the root marks a Hexo, Jekyll or Hugo site folder.
const SITE_CONFIGS: [&str; 7] = [
    "_config.yml",
    "_config.yaml",
    "config.toml",
    "config.yaml",
    "hugo.toml",
    "hugo.yaml",
    "hugo.json",
];

/// Top-level folders of a site that hold generated output, themes or templates, not posts
/// (Hexo `public/` and `scaffolds/`, Jekyll `_site/`, Hugo `public/` and `resources/`).
const SITE_NON_POST_DIRS: [&str; 5] = ["public", "_site", "resources", "scaffolds", "themes"];

/// Lists post files under `root` in sorted path order, handing them to `on_batch` in
/// batches of `batch_size`. Returns the problems met on the way.
fn walk(
    root: &Path,
    progress: &ScanProgress,
    batch_size: usize,
    on_batch: &mut dyn FnMut(Vec<PathBuf>),
) -> Vec<PathProblem> {
    let mut paths = Vec::with_capacity(batch_size);
    let mut problems = Vec::new();
    let site_root = is_site_root(root);
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let mut visited = std::collections::HashSet::new();
    let mut revisits = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0
                && e.file_type().is_dir()
                && skips_folder(e.file_name(), e.depth(), site_root)
            {
                return false;
            }
            if !e.file_type().is_dir() {
                return true;
            }
            match folder_identity(e.path()) {
                Some(id) if !visited.insert(id) => {
                    revisits.push(e.path().to_owned());
                    false
                }
                _ => true,
            }
        });
    for entry in walker {
        if progress.is_cancelled() {
            break;
        }
        let e = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(walk_error(root, &e));
                continue;
            }
        };
        let is_post_file = if e.path_is_symlink() {
            match linked_post(&real_root, e.path()) {
                Ok(is_post) => is_post,
                Err(problem) => {
                    problems.push(PathProblem {
                        path: relative(root, e.path()),
                        problem,
                    });
                    false
                }
            }
        } else {
            e.file_type().is_file() && is_post(e.path())
        };
        if is_post_file && let Ok(rel) = e.path().strip_prefix(root) {
            paths.push(rel.to_owned());
            progress.found.fetch_add(1, Ordering::Relaxed);
            if paths.len() >= batch_size {
                on_batch(std::mem::replace(
                    &mut paths,
                    Vec::with_capacity(batch_size),
                ));
            }
        }
    }
    if !paths.is_empty() {
        on_batch(paths);
    }
    for path in revisits {
        problems.push(PathProblem {
            path: relative(root, &path),
            problem: Problem::warning(
                ProblemKind::Unreadable,
                None,
                "the same folder as one already scanned (a bind mount?); listed once",
            ),
        });
    }
    problems
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_owned)
        .unwrap_or_default()
}

fn walk_error(root: &Path, e: &walkdir::Error) -> PathProblem {
    let path = e.path().map(|p| relative(root, p)).unwrap_or_default();
    let message = if e.loop_ancestor().is_some() {
        "symlink loop, not followed".to_owned()
    } else {
        match e.io_error() {
            Some(io) => format!("cannot read: {io}"),
            None => format!("cannot read: {e}"),
        }
    };
    PathProblem {
        path,
        problem: Problem::error(ProblemKind::Unreadable, None, message),
    }
}

/// What identifies a real folder, so that it is visited once whatever path reaches it.
#[cfg(unix)]
fn folder_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    // Followed: the opened folder itself may be a link.
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Whether the link at `link` is a post to read: a link to a post file inside the
/// archive is; a link to a folder is not followed (a folder inside the archive is
/// scanned under its own path); anything that leads outside is a problem.
fn linked_post(real_root: &Path, link: &Path) -> Result<bool, Problem> {
    let target = match std::fs::canonicalize(link) {
        Ok(target) => target,
        Err(e) => {
            // A dangling link to something that is not a post is not worth a word.
            if !is_post(link) {
                return Ok(false);
            }
            return Err(Problem::error(
                ProblemKind::Unreadable,
                None,
                format!("cannot read: {e}"),
            ));
        }
    };
    let inside = target.starts_with(real_root);
    let is_dir = target.is_dir();
    if inside && is_dir {
        // A link up to an enclosing folder would walk in circles if it were followed.
        let enclosing = link
            .parent()
            .and_then(|p| std::fs::canonicalize(p).ok())
            .is_some_and(|parent| parent.starts_with(&target));
        if enclosing {
            return Err(Problem::error(
                ProblemKind::Unreadable,
                None,
                "symlink loop, not followed",
            ));
        }
        return Ok(false);
    }
    if inside {
        return Ok(is_post(link));
    }
    if !is_dir && !is_post(link) {
        return Ok(false);
    }
    let what = if is_dir { "folder" } else { "file" };
    Err(Problem::error(
        ProblemKind::OutsideArchive,
        None,
        format!(
            "link to a {what} outside the archive ({}), not followed; open that {what} to see it",
            target.display()
        ),
    ))
}

fn is_site_root(root: &Path) -> bool {
    SITE_CONFIGS.iter().any(|name| root.join(name).is_file())
}

/// Whether a scan leaves out the folder `name` at `depth` (1: directly in the root):
/// hidden folders (`.git`), `node_modules`, and a site's generated output.
fn skips_folder(name: &std::ffi::OsStr, depth: usize, site_root: bool) -> bool {
    let text = name.to_string_lossy();
    text.starts_with('.')
        || text == "node_modules"
        || (site_root && depth == 1 && SITE_NON_POST_DIRS.iter().any(|dir| name == *dir))
}

/// Whether a scan of `root` would list the file at `rel` (relative to it) as a post,
/// by its path alone: a post extension, and no folder on the way that a scan leaves
/// out. For a file watcher's events; the file itself may be gone.
pub fn is_post_path(root: &Path, rel: &Path) -> bool {
    let site_root = is_site_root(root);
    let folders: Vec<_> = rel.parent().map(|p| p.iter().collect()).unwrap_or_default();
    is_post(rel)
        && !folders
            .iter()
            .enumerate()
            .any(|(i, name)| skips_folder(name, i + 1, site_root))
}

fn is_post(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|ext| POST_EXTENSIONS.iter().any(|p| p.eq_ignore_ascii_case(ext)))
}

/// The archive a post file belongs to, and the post's path relative to it.
///
/// The root is the nearest ancestor holding a site config (`_config.yml`, `hugo.toml`…);
/// failing that, the folder holding `source/` for a Hexo `source/_posts/…` path, the folder
/// holding `_posts/` for a Jekyll one, or `content/` for a Hugo one; failing all, the
/// file's own folder. Returns `None` for a path without a file name.
pub fn locate_post(file: &Path) -> Option<(PathBuf, PathBuf)> {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let folder = file.parent()?.to_owned();
    file.file_name()?;
    let root = folder
        .ancestors()
        .find(|dir| SITE_CONFIGS.iter().any(|name| dir.join(name).is_file()))
        .or_else(|| {
            folder.ancestors().find_map(|dir| {
                let name = dir.file_name()?;
                if name == "_posts" {
                    let parent = dir.parent()?;
                    Some(if parent.file_name()? == "source" {
                        parent.parent()?
                    } else {
                        parent
                    })
                } else if name == "content" {
                    dir.parent()
                } else {
                    None
                }
            })
        })
        .unwrap_or(&folder)
        .to_owned();
    let rel = file.strip_prefix(&root).ok()?.to_owned();
    Some((root, rel))
}

/// The posts folder a post file belongs to, and the post's path relative to it: what the
/// app opens when a post file is dropped on it, so the list shows posts only (no pages,
/// themes or README) with the same relative paths as when the person opens that folder.
///
/// The folder is the nearest ancestor named `_posts`, `posts` or `content`; failing that,
/// the file's own folder. Unlike [`locate_post`] it never returns the site root (which
/// the cleaner needs to resolve `/image.jpg`). Returns `None` for a path without a file
/// name.
pub fn locate_posts_folder(file: &Path) -> Option<(PathBuf, PathBuf)> {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let folder = file.parent()?;
    file.file_name()?;
    let root = folder
        .ancestors()
        .find(|dir| {
            dir.file_name()
                .is_some_and(|n| n == "_posts" || n == "posts" || n == "content")
        })
        .unwrap_or(folder)
        .to_owned();
    let rel = file.strip_prefix(&root).ok()?.to_owned();
    Some((root, rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_posts_folder_of_a_post() {
        let found = |p: &str| locate_posts_folder(Path::new(p)).unwrap();
        assert_eq!(
            found("/a/blog/source/_posts/金融/x.md"),
            ("/a/blog/source/_posts".into(), "金融/x.md".into())
        );
        assert_eq!(
            found("/a/hugo/content/posts/x.md"),
            ("/a/hugo/content/posts".into(), "x.md".into())
        );
        assert_eq!(
            found("/a/hugo/content/about.md"),
            ("/a/hugo/content".into(), "about.md".into())
        );
        assert_eq!(found("/notes/x.md"), ("/notes".into(), "x.md".into()));
        assert!(locate_posts_folder(Path::new("/")).is_none());
    }

    #[test]
    fn locates_the_archive_of_a_post() {
        let (root, rel) = locate_post(Path::new("/a/blog/source/_posts/金融/x.md")).unwrap();
        assert_eq!(root, Path::new("/a/blog"));
        assert_eq!(rel, Path::new("source/_posts/金融/x.md"));
        let (root, rel) = locate_post(Path::new("/a/site/_posts/2021-06-17-x.md")).unwrap();
        assert_eq!(
            (root.as_path(), rel.as_path()),
            (Path::new("/a/site"), Path::new("_posts/2021-06-17-x.md"))
        );
        let (root, rel) = locate_post(Path::new("/a/hugo/content/posts/x.md")).unwrap();
        assert_eq!(
            (root.as_path(), rel.as_path()),
            (Path::new("/a/hugo"), Path::new("content/posts/x.md"))
        );
        let (root, rel) = locate_post(Path::new("/notes/x.md")).unwrap();
        assert_eq!(
            (root.as_path(), rel.as_path()),
            (Path::new("/notes"), Path::new("x.md"))
        );
    }
}
