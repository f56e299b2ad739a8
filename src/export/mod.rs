//! Export: a list of posts handed to others, as a table (CSV, JSONL) or as readable
//! articles (cleaned Markdown or HTML, one file per post or one digest).
//!
//! Egui-free: `folio export` and the window's File › Export… call [`export`] with the
//! posts of a search and get the same files.
//!
//! # Tables
//!
//! One row per post, with [`Column`]s chosen by name: `path`, `folder`, `title`,
//! `date` (as written), `date_utc`, `categories`, `tags`, `author`, `image`, `size`,
//! `modified`, `problems`, or any other front-matter key as the post writes it. Lists are
//! joined with `;` in CSV and are arrays in JSONL; a key a post does not have is empty
//! (`null` in JSONL).
//!
//! CSV follows RFC 4180 (fields with commas, quotes or line breaks quoted, quotes
//! doubled, CRLF between records) and starts with a UTF-8 byte order mark: Excel reads a
//! CSV without one in the machine's legacy code page (GBK on a Chinese Windows), which
//! turns every Chinese title into mojibake, while LibreOffice, Numbers, Python's
//! `utf-8-sig` and pandas all recognise and drop the mark.
//!
//! # Articles
//!
//! Each post is read and cleaned as the article view shows it ([`crate::clean`]), headed
//! by its title and a line of date, categories and author. When `out` is a folder (one
//! that exists, or a path ending in `/`) every post becomes one file there, at its path
//! in the archive with `.md` or `.html`; otherwise `out` is one digest file with a table
//! of contents. Images stored in the archive are linked by absolute `file://` URL, so
//! they still show from wherever the export is opened. Articles are never written
//! inside the archive, where they would be read as posts.
//!
//! Every file is written to a temporary file and renamed into place, so an interrupted
//! export never leaves a half-written file under the chosen name.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::archive::{
    Article, DEFAULT_MAX_FILE_BYTES, DirSync, Expect, FolderLock, ImageRef, SaveHooks, load_post,
    replace_file,
};
use crate::clean::{self, OutputFormat, escape_html, render_html};

pub use crate::table::{Cell, Column, DEFAULT_COLUMNS};

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A CSV table (UTF-8 with a byte order mark, RFC 4180 quoting).
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// Cleaned Markdown: one file per post into a folder, or one digest file.
    Markdown,
    /// Cleaned HTML: one file per post into a folder, or one digest page.
    Html,
}

impl ExportFormat {
    /// Whether this format writes articles rather than a table.
    pub fn is_articles(self) -> bool {
        matches!(self, Self::Markdown | Self::Html)
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
            Self::Markdown => "md",
            Self::Html => "html",
        }
    }
}

/// Writes `articles` as a CSV table (with the byte order mark) to `out`.
pub fn write_csv(out: &mut dyn Write, articles: &[&Article], columns: &[Column]) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(columns.iter().map(Column::name))?;
    for article in articles {
        writer.write_record(columns.iter().map(|c| c.value(article).csv_text()))?;
    }
    writer.flush()
}

/// Writes `articles` as JSON lines (one object per post, keys in column order) to `out`.
pub fn write_jsonl(
    out: &mut dyn Write,
    articles: &[&Article],
    columns: &[Column],
) -> io::Result<()> {
    for article in articles {
        let object: serde_json::Map<String, serde_json::Value> = columns
            .iter()
            .map(|c| (c.name().to_owned(), c.value(article).json()))
            .collect();
        serde_json::to_writer(&mut *out, &object)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// What to export and where.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// A file, or for articles a folder (see the module docs).
    pub out: PathBuf,
    /// The table's columns (ignored for articles).
    pub columns: Vec<Column>,
}

/// Progress counters and a cancel flag, readable from another thread.
#[derive(Debug, Default)]
pub struct ExportProgress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
    pub cancel: AtomicBool,
}

/// What an export did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportReport {
    /// Posts written.
    pub posts: usize,
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Posts left out, with why (unreadable), naming the file.
    pub skipped: Vec<String>,
    /// The export was cancelled before it finished (nothing was renamed into place).
    pub cancelled: bool,
}

/// Why nothing was exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("articles are not written inside the archive, where they would be read as posts: {0}")]
    InsideArchive(PathBuf),
    #[error("{0} is a folder; a {1} export is one file")]
    IsFolder(PathBuf, &'static str),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Exports `articles` of the archive at `root` as `request` says.
pub fn export(
    root: &Path,
    articles: &[&Article],
    request: &ExportRequest,
    progress: &ExportProgress,
) -> Result<ExportReport, ExportError> {
    progress.total.store(articles.len(), Ordering::Relaxed);
    let out = &request.out;
    let into_folder = out.is_dir() || out.as_os_str().to_string_lossy().ends_with(['/', '\\']);
    if !request.format.is_articles() {
        if into_folder {
            return Err(ExportError::IsFolder(
                out.clone(),
                request.format.extension(),
            ));
        }
        let mut bytes = Vec::new();
        match request.format {
            ExportFormat::Csv => write_csv(&mut bytes, articles, &request.columns),
            _ => write_jsonl(&mut bytes, articles, &request.columns),
        }
        .map_err(io_at(out))?;
        progress.done.store(articles.len(), Ordering::Relaxed);
        write_file(out, &bytes)?;
        return Ok(ExportReport {
            posts: articles.len(),
            files: vec![out.clone()],
            ..ExportReport::default()
        });
    }
    if is_inside(out, root) {
        return Err(ExportError::InsideArchive(out.clone()));
    }
    let format = request.format;
    let rendered: Vec<Result<Rendered, String>> = articles
        .par_iter()
        .map(|article| {
            if progress.cancel.load(Ordering::Relaxed) {
                return Err(String::new());
            }
            let done = render_article(root, article, format);
            progress.done.fetch_add(1, Ordering::Relaxed);
            done
        })
        .collect();
    if progress.cancel.load(Ordering::Relaxed) {
        return Ok(ExportReport {
            cancelled: true,
            ..ExportReport::default()
        });
    }
    let mut report = ExportReport::default();
    let mut pieces = Vec::new();
    for result in rendered {
        match result {
            Ok(piece) => pieces.push(piece),
            Err(why) => report.skipped.push(why),
        }
    }
    report.posts = pieces.len();
    if into_folder {
        for piece in &pieces {
            let mut path = out.join(&piece.path);
            path.set_extension(format.extension());
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io_at(parent))?;
            }
            write_file(&path, page(format, &piece.title, &piece.body).as_bytes())?;
            report.files.push(path);
        }
    } else {
        write_file(out, digest(format, &pieces).as_bytes())?;
        report.files.push(out.clone());
    }
    Ok(report)
}

/// One post, cleaned and rendered.
struct Rendered {
    path: PathBuf,
    title: String,
    /// The header line and the body, in the export's format.
    body: String,
}

fn render_article(
    root: &Path,
    article: &Article,
    format: ExportFormat,
) -> Result<Rendered, String> {
    let post = load_post(root, &article.path, DEFAULT_MAX_FILE_BYTES);
    if let Some(problem) = post.article.read_blocker() {
        return Err(format!("{}: {}", problem.message, article.path_display()));
    }
    let document = clean::clean_post(&post);
    let front = &post.article.front;
    let title = match front.display_title() {
        t if t.is_empty() => article.path_display(),
        t => t.into_owned(),
    };
    let mut meta: Vec<String> = Vec::new();
    if let Some(date) = &front.date {
        meta.push(date.raw.clone());
    }
    if !front.categories.is_empty() {
        meta.push(front.categories.join(" › "));
    }
    if !front.authors.is_empty() {
        meta.push(front.authors.join(", "));
    }
    let meta = meta.join(" · ");
    let body = match format {
        ExportFormat::Html => {
            let image_src = |image: &ImageRef| match image {
                ImageRef::File(path) => Some(file_url(&root.join(path))),
                other => clean::image_as_written(other),
            };
            let mut html = String::new();
            if !meta.is_empty() {
                let _ = writeln!(html, "<p class=\"meta\">{}</p>", escape_html(&meta));
            }
            html.push_str(&render_html(&document, &image_src));
            html
        }
        _ => {
            let mut markdown = String::new();
            if !meta.is_empty() {
                let _ = writeln!(markdown, "*{}*\n", meta.replace('*', "\\*"));
            }
            markdown.push_str(&clean::render(&document, OutputFormat::Markdown));
            markdown
        }
    };
    Ok(Rendered {
        path: article.path.clone(),
        title,
        body,
    })
}

/// A `file://` URL for an absolute path, percent-encoded.
fn file_url(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let text = absolute.to_string_lossy();
    let text = if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    };
    let encoded: String = text
        .split('/')
        .map(|part| percent_encoding::utf8_percent_encode(part, PATH_PART).to_string())
        .collect::<Vec<_>>()
        .join("/");
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// What is percent-encoded in a path segment of a URL.
const PATH_PART: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

const STYLE: &str = "body{max-width:42em;margin:2em auto;padding:0 1em;font:16px/1.7 system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif}img{max-width:100%}figure{margin:1em 0}.meta{color:#555}nav li{margin:.2em 0}article{margin-bottom:3em}";

/// One post's own file.
fn page(format: ExportFormat, title: &str, body: &str) -> String {
    match format {
        ExportFormat::Html => format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{0}</title><style>{STYLE}</style></head>\n<body><article><h1>{0}</h1>\n{body}</article></body></html>\n",
            escape_html(title)
        ),
        _ => format!("# {}\n\n{body}", markdown_line(title)),
    }
}

/// Every post in one file, after a table of contents.
fn digest(format: ExportFormat, pieces: &[Rendered]) -> String {
    let mut out = String::new();
    match format {
        ExportFormat::Html => {
            let _ = write!(
                out,
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{} posts</title><style>{STYLE}</style></head>\n<body><nav><h1>{} posts</h1><ol>\n",
                pieces.len(),
                pieces.len()
            );
            for (i, piece) in pieces.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "<li><a href=\"#post-{}\">{}</a></li>",
                    i + 1,
                    escape_html(&piece.title)
                );
            }
            out.push_str("</ol></nav>\n");
            for (i, piece) in pieces.iter().enumerate() {
                let _ = write!(
                    out,
                    "<article id=\"post-{}\"><h1>{}</h1>\n{}</article>\n",
                    i + 1,
                    escape_html(&piece.title),
                    piece.body
                );
            }
            out.push_str("</body></html>\n");
        }
        _ => {
            let _ = writeln!(out, "# {} posts\n", pieces.len());
            for (i, piece) in pieces.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{}. [{}](#post-{})",
                    i + 1,
                    markdown_line(&piece.title).replace(['[', ']'], ""),
                    i + 1
                );
            }
            for (i, piece) in pieces.iter().enumerate() {
                let _ = write!(
                    out,
                    "\n<a id=\"post-{}\"></a>\n\n## {}\n\n{}",
                    i + 1,
                    markdown_line(&piece.title),
                    piece.body
                );
            }
        }
    }
    out
}

/// A title on one Markdown line, its syntax characters escaped.
fn markdown_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '#' | '<' | '>' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether `path` is `root` or inside it (compared as absolute paths; links resolved
/// where the path exists).
fn is_inside(path: &Path, root: &Path) -> bool {
    let resolve = |p: &Path| {
        let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
        // The deepest existing ancestor resolves links; the rest is appended as is.
        let mut existing = absolute.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut resolved = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_owned());
        for name in rest.iter().rev() {
            resolved.push(name);
        }
        resolved
    };
    resolve(path).starts_with(resolve(root))
}

/// Writes `bytes` to `path` through a temporary file renamed into place.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let lock = FolderLock::for_file(path).map_err(|e| ExportError::Io {
        path: path.to_owned(),
        source: io::Error::other(e.to_string()),
    })?;
    replace_file(
        &lock,
        path,
        Expect::Anything,
        bytes,
        DirSync::Now,
        &SaveHooks::default(),
    )
    .map(|_| ())
    .map_err(|e| ExportError::Io {
        path: path.to_owned(),
        source: io::Error::other(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_parse_and_unknown_names_are_keys() {
        let columns = Column::parse_list("title, date,source,,category");
        assert_eq!(
            columns,
            [
                Column::Title,
                Column::Date,
                Column::Key("source".into()),
                Column::Categories
            ]
        );
        assert_eq!(Column::parse_list(" ").len(), DEFAULT_COLUMNS.len());
    }

    #[test]
    fn markdown_titles_stay_on_one_line_and_escape_syntax() {
        assert_eq!(markdown_line("a*b\n[c]#"), "a\\*b \\[c\\]\\#");
    }

    #[test]
    fn inside_is_judged_on_resolved_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        std::fs::create_dir_all(&root).unwrap();
        assert!(is_inside(&root.join("new/out.md"), &root));
        assert!(!is_inside(&root.join("../out"), &root));
        assert!(!is_inside(&dir.path().join("out"), &root));
    }
}
