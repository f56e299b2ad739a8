//! Reading one post file into an [`Article`] (metadata) or a [`Post`] (metadata + text).

use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::front::{self, FrontMatter};
use super::problem::{Problem, ProblemKind};
use super::split::{self, FrontMatterKind};
use super::text::{self, LineEnding, TextEncoding};

/// Files larger than this are reported and not loaded.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What the archive knows about one post without keeping its text.
#[derive(Clone, Debug)]
pub struct Article {
    /// Path relative to the archive root.
    pub path: PathBuf,
    pub size: u64,
    pub modified: Option<SystemTime>,
    pub encoding: TextEncoding,
    pub line_ending: LineEnding,
    pub kind: FrontMatterKind,
    /// Byte range of the whole front-matter block (fences included) in the decoded text.
    pub front_span: Option<Range<usize>>,
    /// Byte range of the body in the decoded text.
    pub body_span: Range<usize>,
    pub front: FrontMatter,
    pub problems: Vec<Problem>,
}

impl Article {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// The relative path with `/` separators, for display and output.
    pub fn path_display(&self) -> String {
        slash_path(&self.path)
    }

    /// The post's folder relative to the archive root, `/`-separated (empty at the
    /// root): what relative references in the post are relative to.
    pub fn folder(&self) -> String {
        self.path.parent().map(slash_path).unwrap_or_default()
    }

    /// The title a person sees: the front-matter title (entities decoded, trimmed), or
    /// the file name without its extension when the title is missing or blank.
    pub fn display_title(&self) -> std::borrow::Cow<'_, str> {
        let title = self.front.display_title();
        if !title.trim().is_empty() {
            return title;
        }
        self.path
            .file_stem()
            .map(|stem| stem.to_string_lossy())
            .unwrap_or_default()
    }

    /// The first problem that keeps the text from being shown at all.
    pub fn read_blocker(&self) -> Option<&Problem> {
        self.problems.iter().find(|p| p.kind.blocks_reading())
    }

    /// The first problem that keeps changed text from being saved.
    pub fn save_blocker(&self) -> Option<&Problem> {
        self.problems.iter().find(|p| p.kind.blocks_saving())
    }

    /// The first problem that keeps the front matter from being edited key by key.
    pub fn edit_blocker(&self) -> Option<&Problem> {
        self.problems.iter().find(|p| p.kind.blocks_editing())
    }

    fn unloaded(path: PathBuf, size: u64, modified: Option<SystemTime>, problem: Problem) -> Self {
        Self {
            path,
            size,
            modified,
            encoding: TextEncoding::UTF8,
            line_ending: LineEnding::None,
            kind: FrontMatterKind::None,
            front_span: None,
            body_span: 0..0,
            front: FrontMatter::default(),
            problems: vec![problem],
        }
    }
}

/// A relative path with `/` separators on every platform, for display, output and the
/// `post_dir` of cleaning and thumbnails.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A post with its decoded text, as loaded when an article is opened.
#[derive(Clone, Debug)]
pub struct Post {
    pub article: Article,
    /// The decoded text (without BOM). Empty when the file was not loadable as text.
    pub text: String,
    /// The exact bytes read, to detect changes on disk and to save losslessly.
    pub bytes: Vec<u8>,
}

impl Post {
    pub fn body(&self) -> &str {
        self.text
            .get(self.article.body_span.clone())
            .unwrap_or_default()
    }

    /// The text a reader should see as the body: the body, or for a front-matter block
    /// that is never closed, everything after its opening line (the file's text is
    /// there, only its end marker is missing).
    pub fn readable_body(&self) -> &str {
        if self
            .article
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::Unterminated)
        {
            let layout = split::split(&self.text);
            if let Some(inner) = layout.inner {
                return self.text.get(inner).unwrap_or_default();
            }
        }
        self.body()
    }

    pub fn front_text(&self) -> &str {
        self.article
            .front_span
            .clone()
            .and_then(|span| self.text.get(span))
            .unwrap_or_default()
    }
}

/// Reads and parses the post at `root/rel`. I/O failures become problems, never errors.
pub fn load_post(root: &Path, rel: &Path, max_file_bytes: u64) -> Post {
    match read_file(root, rel, max_file_bytes) {
        Ok((bytes, modified)) => parse_bytes(rel.to_owned(), modified, bytes),
        Err(article) => Post {
            article: *article,
            text: String::new(),
            bytes: Vec::new(),
        },
    }
}

/// Reads and parses the post at `root/rel` keeping only its metadata, as a scan does.
/// The bytes are decoded in place: a UTF-8 post is never copied.
pub fn inspect_post(root: &Path, rel: &Path, max_file_bytes: u64) -> Article {
    match read_file(root, rel, max_file_bytes) {
        Ok((bytes, modified)) => {
            let size = bytes.len() as u64;
            match check_bytes(rel, modified, &bytes) {
                Some(article) => article,
                None => analyse(rel.to_owned(), modified, size, text::decode_owned(bytes)),
            }
        }
        Err(article) => *article,
    }
}

/// Opens, stats and reads a file; a failure is an unloaded article. Only a regular file
/// is read (a FIFO or a device would block or never end), and never more than
/// `max_file_bytes + 1` bytes, whatever its size claims (`/proc` files say 0).
fn read_file(
    root: &Path,
    rel: &Path,
    max_file_bytes: u64,
) -> Result<(Vec<u8>, Option<SystemTime>), Box<Article>> {
    let fail = |size, modified, problem| {
        Box::new(Article::unloaded(rel.to_owned(), size, modified, problem))
    };
    let (file, meta) = open_regular(&root.join(rel)).map_err(|p| fail(0, None, p))?;
    let size = meta.len();
    let modified = meta.modified().ok();
    let too_large = |size: u64| {
        Problem::error(
            ProblemKind::TooLarge,
            None,
            format!(
                "file is {} MiB, over the {} MiB limit; not loaded",
                size / (1024 * 1024),
                max_file_bytes / (1024 * 1024)
            ),
        )
    };
    if size > max_file_bytes {
        return Err(fail(size, modified, too_large(size)));
    }
    let capacity = usize::try_from(size).unwrap_or(0).saturating_add(1);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| fail(size, modified, unreadable(&e)))?;
    let read = bytes.len() as u64;
    if read > max_file_bytes {
        return Err(fail(read, modified, too_large(read)));
    }
    Ok((bytes, modified))
}

/// Opens `path` if it is a regular file (after following links), without ever blocking:
/// the type is checked before opening, and the file is opened non-blocking and checked
/// again, so a FIFO swapped in between is refused too.
fn open_regular(path: &Path) -> Result<(fs::File, fs::Metadata), Problem> {
    let meta = fs::metadata(path).map_err(|e| unreadable(&e))?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    let file = open_nonblocking(path).map_err(|e| unreadable(&e))?;
    let meta = file.metadata().map_err(|e| unreadable(&e))?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    Ok((file, meta))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    fs::File::open(path)
}

fn not_a_file(meta: &fs::Metadata) -> Problem {
    let what = file_kind(&meta.file_type());
    Problem::error(
        ProblemKind::NotAFile,
        None,
        format!("{what}, not a regular file; not read"),
    )
}

/// A short name for what a non-regular path is.
fn file_kind(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

fn unreadable(e: &io::Error) -> Problem {
    Problem::error(ProblemKind::Unreadable, None, format!("cannot read: {e}"))
}

/// Parses a post from its bytes. Never fails: problems are attached to the article.
pub fn parse_bytes(path: PathBuf, modified: Option<SystemTime>, bytes: Vec<u8>) -> Post {
    let size = bytes.len() as u64;
    if let Some(article) = check_bytes(&path, modified, &bytes) {
        return Post {
            article,
            text: String::new(),
            bytes,
        };
    }
    let decoded = text::decode(&bytes);
    let text = decoded.text.clone();
    let article = analyse(path, modified, size, decoded);
    Post {
        article,
        text,
        bytes,
    }
}

/// An unloaded article for bytes that are not a text post (empty or binary).
fn check_bytes(path: &Path, modified: Option<SystemTime>, bytes: &[u8]) -> Option<Article> {
    let size = bytes.len() as u64;
    if bytes.is_empty() {
        let problem = Problem::error(ProblemKind::Empty, None, "the file is empty");
        return Some(Article::unloaded(path.to_owned(), 0, modified, problem));
    }
    if text::looks_binary(bytes) {
        let problem = Problem::error(ProblemKind::Binary, None, "binary file, not a text post");
        return Some(Article::unloaded(path.to_owned(), size, modified, problem));
    }
    None
}

/// Splits and parses decoded text into an article.
fn analyse(
    path: PathBuf,
    modified: Option<SystemTime>,
    size: u64,
    decoded: text::Decoded,
) -> Article {
    let text = decoded.text;
    let mut problems = Vec::new();
    if decoded.invalid_sequences > 0 {
        problems.push(Problem::error(
            ProblemKind::InvalidBytes,
            first_replacement_line(&text),
            format!(
                "{} byte sequence(s) invalid in {}",
                decoded.invalid_sequences,
                decoded.encoding.label()
            ),
        ));
    }
    if decoded.uncertain {
        problems.push(Problem::warning(
            ProblemKind::UncertainEncoding,
            None,
            format!(
                "encoding guessed as {} from little evidence; the text may be misread",
                decoded.encoding.label()
            ),
        ));
    }
    let layout = split::split(&text);
    let mut front = FrontMatter::default();
    if layout.unterminated {
        let fence = if layout.kind == FrontMatterKind::Toml {
            "+++"
        } else {
            "---"
        };
        problems.push(Problem::error(
            ProblemKind::Unterminated,
            Some(layout.inner_first_line.saturating_sub(1)),
            format!("front matter opened with `{fence}` is never closed"),
        ));
    } else if layout.kind == FrontMatterKind::None {
        problems.push(Problem::warning(
            ProblemKind::NoFrontMatter,
            None,
            "no front matter (`---` or `+++` block)",
        ));
    } else if let Some(source) = layout.inner.clone().and_then(|span| text.get(span)) {
        match super::limits::check_front(source, layout.inner_first_line) {
            Some(problem) => problems.push(problem),
            None => {
                let parsed = front::parse(layout.kind, source, layout.inner_first_line);
                front = parsed.front;
                problems.extend(parsed.problems);
            }
        }
    }
    problems.sort_by_key(|p| p.line.unwrap_or(0));
    Article {
        path,
        size,
        modified,
        encoding: decoded.encoding,
        line_ending: LineEnding::detect(&text),
        kind: layout.kind,
        front_span: layout.block,
        body_span: layout.body,
        front,
        problems,
    }
}

fn first_replacement_line(text: &str) -> Option<usize> {
    text.find(char::REPLACEMENT_CHARACTER)
        .map(|offset| split::line_of(text, offset))
}
