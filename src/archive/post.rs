//! Reading one post file into an [`Article`] (metadata) or a [`Post`] (metadata + text).

use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::front::{self, FrontMatter};
use super::problem::{Problem, ProblemKind};
use super::split::{self, FrontMatterKind};
use super::stamp::FileStamp;
use super::text::{self, LineEnding, TextEncoding};

/// Files larger than this are reported and not loaded.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What the archive knows about one post without keeping its text.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Path relative to the archive root.
    #[serde(with = "path_bytes")]
    pub path: PathBuf,
    pub size: u64,
    pub modified: Option<SystemTime>,
    /// The file as it was when read (before reading), when it was read from disk.
    pub stamp: Option<FileStamp>,
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
            stamp: None,
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
        Ok((bytes, modified, stamp)) => {
            let mut post = parse_bytes(rel.to_owned(), modified, bytes);
            post.article.stamp = Some(stamp);
            post
        }
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
    inspect_read(rel, read_file(root, rel, max_file_bytes))
}

fn inspect_read(rel: &Path, read: Result<FileRead, Box<Article>>) -> Article {
    match read {
        Ok((bytes, modified, stamp)) => {
            let size = bytes.len() as u64;
            let mut article = match check_bytes(rel, modified, &bytes) {
                Some(article) => article,
                None => analyse(rel.to_owned(), modified, size, text::decode_owned(bytes)),
            };
            article.stamp = Some(stamp);
            article
        }
        Err(article) => *article,
    }
}

/// A file's bytes, its modification time and its stamp taken before reading.
type FileRead = (Vec<u8>, Option<SystemTime>, FileStamp);

/// How many bytes a listing reads first. The front matter of the posts in real archives
/// is a few hundred bytes; [`text::looks_binary`] looks no further than this either, so a
/// file is called binary the same way whether it was read whole or not.
pub const HEAD_BYTES: usize = 8192;

/// Like [`inspect_post`], but reads only what a listing needs: the first [`HEAD_BYTES`],
/// and the whole file when its front-matter block does not close in them, when they are
/// not valid UTF-8 (a legacy encoding is guessed from the whole file) or when the file is
/// UTF-16 (whose line breaks cannot be found byte by byte).
///
/// The front matter, its problems, the size and the time are those of a whole read.
/// What lies past the head is not looked at: invalid bytes there are found when the
/// post is opened or checked, the line ending is that of the head, and `body_span` ends
/// where the read stopped.
pub fn inspect_head(root: &Path, rel: &Path, max_file_bytes: u64) -> Article {
    let fail = |size, modified, problem| Article::unloaded(rel.to_owned(), size, modified, problem);
    let (file, meta) = match open_regular(&root.join(rel)) {
        Ok(opened) => opened,
        Err(problem) => return fail(0, None, problem),
    };
    let size = meta.len();
    let modified = meta.modified().ok();
    if size > max_file_bytes || size <= HEAD_BYTES as u64 {
        return inspect_read(rel, read_opened(rel, file, &meta, max_file_bytes));
    }
    let mut head = Vec::with_capacity(HEAD_BYTES);
    if let Err(e) = file.take(HEAD_BYTES as u64).read_to_end(&mut head) {
        return fail(size, modified, unreadable(&e));
    }
    if let Some(mut article) = check_bytes(rel, modified, &head) {
        article.stamp = Some(FileStamp::of(&meta));
        return article;
    }
    // Whole lines only: a character cut at the end of the head would read as damage.
    // `\n` is never part of a multi-byte character in UTF-8 or the CJK legacy encodings.
    let utf16 = matches!(
        encoding_rs::Encoding::for_bom(&head),
        Some((encoding, _)) if encoding != encoding_rs::UTF_8
    );
    // A head of blank lines may still be followed by a block.
    let blank = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head)
        .iter()
        .all(u8::is_ascii_whitespace);
    let Some(last_newline) = memchr::memrchr(b'\n', &head).filter(|_| !utf16 && !blank) else {
        return inspect_post(root, rel, max_file_bytes);
    };
    head.truncate(last_newline + 1);
    // A legacy encoding is guessed from the whole file's evidence, and a few broken
    // sequences among much UTF-8 are damage, not another encoding: a head that is not
    // valid UTF-8 cannot be decoded on its own.
    if std::str::from_utf8(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head)).is_err() {
        return inspect_post(root, rel, max_file_bytes);
    }
    let mut article = analyse(rel.to_owned(), modified, size, text::decode_owned(head));
    article.stamp = Some(FileStamp::of(&meta));
    let closed = article.kind == FrontMatterKind::None
        || !article
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::Unterminated);
    if closed {
        article
    } else {
        inspect_post(root, rel, max_file_bytes)
    }
}

/// Opens, stats and reads a file; a failure is an unloaded article. Only a regular file
/// is read (a FIFO or a device would block or never end), and never more than
/// `max_file_bytes + 1` bytes, whatever its size claims (`/proc` files say 0).
fn read_file(root: &Path, rel: &Path, max_file_bytes: u64) -> Result<FileRead, Box<Article>> {
    let fail = |size, modified, problem| {
        Box::new(Article::unloaded(rel.to_owned(), size, modified, problem))
    };
    let (file, meta) = open_regular(&root.join(rel)).map_err(|p| fail(0, None, p))?;
    read_opened(rel, file, &meta, max_file_bytes)
}

/// Reads an opened regular file whole (see [`read_file`]).
fn read_opened(
    rel: &Path,
    file: fs::File,
    meta: &fs::Metadata,
    max_file_bytes: u64,
) -> Result<FileRead, Box<Article>> {
    let fail = |size, modified, problem| {
        Box::new(Article::unloaded(rel.to_owned(), size, modified, problem))
    };
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
    Ok((bytes, modified, FileStamp::of(meta)))
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
        stamp: None,
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

/// A path as the bytes the platform gives, so that any file name survives the scan
/// cache (serde's own form refuses names that are not UTF-8).
mod path_bytes {
    use std::path::{Path, PathBuf};

    pub fn serialize<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(path.as_os_str().as_encoded_bytes())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        d.deserialize_byte_buf(Bytes)
    }

    struct Bytes;

    impl serde::de::Visitor<'_> for Bytes {
        type Value = PathBuf;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a path's bytes")
        }

        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<PathBuf, E> {
            self.visit_byte_buf(bytes.to_vec())
        }

        fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<PathBuf, E> {
            from_bytes(bytes).ok_or_else(|| E::custom("not a path"))
        }
    }

    #[cfg(unix)]
    fn from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }

    #[cfg(not(unix))]
    fn from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
        String::from_utf8(bytes).ok().map(PathBuf::from)
    }
}
