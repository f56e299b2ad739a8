//! `folio search FOLDER QUERY`: the posts whose title or cleaned body holds the query's
//! words and phrases, best first, with a snippet around the match.
//!
//! The archive is scanned (front matter only) and the full-text index brought up to
//! date first (only new and changed posts are read, so a second search starts at once);
//! the query's field filters (`cat:金融`, `year:2021`, `-广告` on the metadata) then
//! narrow the hits as the window's search box does. When another Folio is updating the
//! index, the search runs on the index as it is and says so.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::escape;
use crate::archive::{self, ScanOptions};
use crate::fulltext::{FullText, FullTextError, SyncProgress};
use crate::index::{Index, Query};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Archive folder to search.
    pub folder: PathBuf,
    /// What to find, in the window's syntax: words, "phrases", -exclusions, field
    /// filters (`cat:金融 央行 降准`).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SearchFormat::Tsv)]
    pub format: SearchFormat,
    /// At most this many posts.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Tab-separated `path title score snippet` with a header line.
    Tsv,
    /// One JSON object per line, with the snippet's matched byte ranges.
    Jsonl,
}

#[derive(Serialize)]
struct Record<'a> {
    path: String,
    title: &'a str,
    score: f32,
    snippet: &'a str,
    /// Byte ranges of `snippet` that matched.
    highlights: Vec<[usize; 2]>,
}

pub fn run(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let scanned = archive::scan(&args.folder, &ScanOptions::listing())?;
    let base = FullText::platform_dir().context("this system has no cache folder")?;
    let fulltext = FullText::open(&base, &args.folder)?;
    let posts: Vec<_> = scanned
        .articles
        .iter()
        .map(|a| (a.path.clone(), a.stamp))
        .collect();
    match fulltext.sync(&args.folder, &posts, &SyncProgress::default()) {
        Ok(report) if report.indexed > 0 || report.removed > 0 => super::say(&format!(
            "full-text index: {} posts indexed, {} removed, {} unchanged",
            report.indexed, report.removed, report.unchanged
        )),
        Ok(_) => {}
        Err(FullTextError::Busy) => super::say(
            "the full-text index is being updated by another Folio: searching it as it is",
        ),
        Err(e) => return Err(e.into()),
    }
    // Every hit, so that field filters leave `limit` of them when enough match.
    let hits = fulltext.search(&args.query, usize::MAX)?;
    let mut index = Index::new();
    let mut id_of = std::collections::HashMap::new();
    for article in &scanned.articles {
        let id = index.push(article);
        id_of.insert(archive::slash_path(&article.path), id);
    }
    let mut body_hits: Vec<_> = hits
        .iter()
        .filter_map(|h| id_of.get(&archive::slash_path(&h.path)).copied())
        .collect();
    body_hits.sort_unstable();
    let query = Query {
        text: args.query.clone(),
        ..Query::default()
    };
    let allowed: std::collections::HashSet<_> = index
        .query_with_body_hits(&query, &body_hits)
        .into_iter()
        .collect();
    let mut out = BufWriter::new(io::stdout().lock());
    if args.format == SearchFormat::Tsv {
        writeln!(out, "path\ttitle\tscore\tsnippet").context("cannot write the results")?;
    }
    let kept = hits.iter().filter(|h| {
        id_of
            .get(&archive::slash_path(&h.path))
            .is_some_and(|id| allowed.contains(id))
    });
    for hit in kept.take(args.limit) {
        let path = archive::slash_path(&hit.path);
        match args.format {
            SearchFormat::Tsv => writeln!(
                out,
                "{}\t{}\t{:.3}\t{}",
                escape::cell(&path),
                escape::cell(&hit.title),
                hit.score,
                escape::cell(&hit.snippet.text)
            ),
            SearchFormat::Jsonl => {
                let record = Record {
                    path,
                    title: &hit.title,
                    score: hit.score,
                    snippet: &hit.snippet.text,
                    highlights: hit
                        .snippet
                        .highlights
                        .iter()
                        .map(|r| [r.start, r.end])
                        .collect(),
                };
                let line = serde_json::to_string(&record).context("cannot write the results")?;
                writeln!(out, "{line}")
            }
        }
        .context("cannot write the results")?;
    }
    out.flush().context("cannot write the results")?;
    Ok(ExitCode::SUCCESS)
}
