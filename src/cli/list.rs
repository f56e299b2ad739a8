//! `folio list FOLDER [--format tsv|jsonl]`: one record per post, in path order.
//!
//! The image is the post's best front-matter image as the app's list chooses it
//! ([`crate::thumbs::best_image`]): a URL, or a path from the archive root for an image
//! stored beside the post.
//!
//! Records are written as soon as a post and every post before it are parsed
//! ([`stream`]), so a slow post holds back only what follows it, never the whole list;
//! folders and entries that could not be read are reported on stderr.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::escape;
use crate::archive::{
    self, Article, PathProblem, ReadScope, ScanOptions, ScanProgress, display_text,
};

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Archive folder to scan.
    pub folder: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Tsv)]
    pub format: ListFormat,
    /// Only the posts matching this search, in the window's syntax
    /// (`cat:金融 year:2021 -广告 "央行 降准"`).
    #[arg(long, allow_hyphen_values = true)]
    pub query: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Tab-separated values with a header line; list values joined with `;`.
    Tsv,
    /// One JSON object per line.
    Jsonl,
}

/// One post as listed.
#[derive(Debug, Serialize)]
struct Record<'a> {
    path: String,
    title: String,
    date: &'a str,
    date_utc: Option<String>,
    categories: Vec<String>,
    authors: Vec<String>,
    image: String,
    problems: usize,
}

impl<'a> Record<'a> {
    fn new(article: &'a Article) -> Self {
        let front = &article.front;
        Self {
            path: article.path_display(),
            title: front.display_title().into_owned(),
            date: front.date.as_ref().map_or("", |d| d.raw.as_str()),
            date_utc: front.date.as_ref().and_then(|d| d.to_rfc3339_utc()),
            categories: front
                .categories
                .iter()
                .map(|c| display_text(c).into_owned())
                .collect(),
            authors: front
                .authors
                .iter()
                .map(|a| display_text(a).into_owned())
                .collect(),
            image: crate::thumbs::best_image(front, &article.folder(), None)
                .map(|image| image.as_str().to_owned())
                .unwrap_or_default(),
            problems: article.problems.len(),
        }
    }
}

pub fn run(args: &ListArgs) -> anyhow::Result<ExitCode> {
    // Not locked: the scan's workers write, and a lock cannot move between threads.
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout());
    let format = args.format;
    if format == ListFormat::Tsv {
        writeln!(
            out,
            "path\ttitle\tdate\tdate_utc\tcategories\tauthor\timage\tproblems"
        )
        .context("cannot write the list")?;
    }
    let mut write = |article: &Article| match format {
        ListFormat::Tsv => write_tsv(&mut out, article),
        ListFormat::Jsonl => write_jsonl(&mut out, article),
    };
    let path_problems = match &args.query {
        // A search needs the whole archive before it can answer, so nothing streams.
        Some(query) => {
            let archive = archive::scan(&args.folder, &ScanOptions::listing())?;
            for id in super::changes::select(&args.folder, &archive.articles, query)? {
                if let Some(article) = archive.articles.get(id as usize) {
                    write(article).context("cannot write the list")?;
                }
            }
            archive.path_problems
        }
        None => stream(&args.folder, ReadScope::FrontMatter, &mut write)?,
    };
    out.flush().context("cannot write the list")?;
    for p in &path_problems {
        super::say(&format!(
            "{}: {}",
            escape::line(&p.problem.message),
            escape::line(&archive::slash_path(&p.path))
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Posts per batch when streaming: small, so output starts at once and a slow post
/// holds back few others.
const STREAM_BATCH: usize = 32;

/// What the scan's workers share while streaming.
struct Stream<'w> {
    /// Index of the next batch to write.
    next: usize,
    /// Batches finished before an earlier one.
    waiting: BTreeMap<usize, Vec<Article>>,
    write: &'w mut (dyn FnMut(&Article) -> io::Result<()> + Send),
    failed: Option<io::Error>,
}

/// Scans `folder` reading `read` of each file, calling `write` for every post in path
/// order as soon as the post and all before it are parsed. A write error cancels the scan and is returned; otherwise
/// returns the problems with folders and other paths that are not posts.
pub(super) fn stream(
    folder: &Path,
    read: ReadScope,
    write: &mut (dyn FnMut(&Article) -> io::Result<()> + Send),
) -> anyhow::Result<Vec<PathProblem>> {
    let options = ScanOptions {
        batch_size: STREAM_BATCH,
        read,
        ..ScanOptions::default()
    };
    let progress = ScanProgress::default();
    let state = Mutex::new(Stream {
        next: 0,
        waiting: BTreeMap::new(),
        write,
        failed: None,
    });
    let sink = |(index, batch): (usize, Vec<Article>)| {
        let Ok(mut state) = state.lock() else {
            return;
        };
        state.waiting.insert(index, batch);
        while state.failed.is_none() {
            let next = state.next;
            let Some(batch) = state.waiting.remove(&next) else {
                break;
            };
            state.next += 1;
            for article in &batch {
                if let Err(e) = (state.write)(article) {
                    state.failed = Some(e);
                    progress.cancel();
                    break;
                }
            }
        }
    };
    let (path_problems, _cancelled) = archive::scan_with(folder, &options, &progress, &sink)?;
    let state = state
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a scan worker failed"))?;
    if let Some(e) = state.failed {
        return Err(anyhow::Error::new(e).context("cannot write the output"));
    }
    Ok(path_problems)
}

fn write_tsv(out: &mut impl Write, article: &Article) -> io::Result<()> {
    use escape::cell;
    let r = Record::new(article);
    writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        cell(&r.path),
        cell(&r.title),
        cell(r.date),
        r.date_utc.as_deref().unwrap_or_default(),
        cell(&r.categories.join(";")),
        cell(&r.authors.join(";")),
        cell(&r.image),
        r.problems
    )
}

fn write_jsonl(out: &mut impl Write, article: &Article) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Record::new(article))?;
    out.write_all(b"\n")
}
