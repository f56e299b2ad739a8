//! `folio list FOLDER [--format tsv|jsonl]`: one record per post, in path order.
//!
//! The image is the post's best front-matter image as the app's list chooses it
//! ([`crate::thumbs::best_image`]): a URL, or a path from the archive root for an image
//! stored beside the post.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::archive::{self, Article, ScanOptions, display_text};

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Archive folder to scan.
    pub folder: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Tsv)]
    pub format: ListFormat,
    /// Only the posts matching this search, in the window's syntax
    /// (`cat:金融 year:2021 -广告 "央行 降准"`).
    #[arg(long)]
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
    let archive = archive::scan(&args.folder, &ScanOptions::default())?;
    let selected: Vec<&Article> = match &args.query {
        Some(query) => crate::index::select(&archive.articles, query)
            .into_iter()
            .filter_map(|id| archive.articles.get(id as usize))
            .collect(),
        None => archive.articles.iter().collect(),
    };
    let stdout = io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let written = match args.format {
        ListFormat::Tsv => write_tsv(&mut out, &selected),
        ListFormat::Jsonl => write_jsonl(&mut out, &selected),
    };
    written
        .and_then(|()| out.flush())
        .context("cannot write the list")?;
    Ok(ExitCode::SUCCESS)
}

fn write_tsv(out: &mut impl Write, articles: &[&Article]) -> io::Result<()> {
    use super::tsv_cell as cell;
    writeln!(
        out,
        "path\ttitle\tdate\tdate_utc\tcategories\tauthor\timage\tproblems"
    )?;
    for article in articles {
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
        )?;
    }
    Ok(())
}

fn write_jsonl(out: &mut impl Write, articles: &[&Article]) -> io::Result<()> {
    for article in articles {
        serde_json::to_writer(&mut *out, &Record::new(article))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
