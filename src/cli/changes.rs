//! `folio changes FOLDER [--format tsv|jsonl]`: the posts that differ from HEAD, in path
//! order, for scripts that publish only what changed.
//!
//! The same computation as the window's ([`crate::git::GitArchive::status`]). The title
//! is read from the file on disk, or for a deleted post from its version in HEAD. Exits 1
//! when the folder is not inside a git work tree, so that a script can tell "nothing
//! changed" (0, no rows) from "cannot tell" (1).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use crate::archive::slash_path;
use crate::git::{GitArchive, PostChange, StatusProgress};

/// Exit status when the folder is not inside a git work tree.
const EXIT_NOT_A_WORK_TREE: u8 = 1;

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// Archive folder inside a git work tree.
    pub folder: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ChangesFormat::Tsv)]
    pub format: ChangesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChangesFormat {
    /// Tab-separated values with a header line.
    Tsv,
    /// One JSON object per line.
    Jsonl,
}

/// One changed post as listed.
#[derive(Debug, Serialize)]
struct Record {
    path: String,
    state: &'static str,
    title: String,
    /// Where a renamed post was, relative to the archive.
    from: Option<String>,
}

impl Record {
    fn new(repo: &GitArchive, change: &PostChange) -> anyhow::Result<Self> {
        Ok(Self {
            path: slash_path(&change.path),
            state: change.state.as_str(),
            title: repo.title_of(change)?,
            from: change.renamed_from.as_deref().map(slash_path),
        })
    }
}

pub fn run(args: &ChangesArgs) -> anyhow::Result<ExitCode> {
    let Some(repo) = GitArchive::discover(&args.folder)? else {
        super::say(&format!(
            "not inside a git work tree: {}",
            args.folder.display()
        ));
        return Ok(ExitCode::from(EXIT_NOT_A_WORK_TREE));
    };
    let changes = repo.status(&StatusProgress::default())?;
    let records: Vec<Record> = changes
        .changes
        .par_iter()
        .map(|change| Record::new(&repo, change))
        .collect::<anyhow::Result<_>>()?;
    let mut out = BufWriter::new(io::stdout().lock());
    let written = match args.format {
        ChangesFormat::Tsv => write_tsv(&mut out, &records),
        ChangesFormat::Jsonl => write_jsonl(&mut out, &records),
    };
    written
        .and_then(|()| out.flush())
        .context("cannot write the changes")?;
    Ok(ExitCode::SUCCESS)
}

fn write_tsv(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    use super::escape::cell;
    writeln!(out, "path\tstate\ttitle\tfrom")?;
    for r in records {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            cell(&r.path),
            r.state,
            cell(&r.title),
            cell(r.from.as_deref().unwrap_or_default())
        )?;
    }
    Ok(())
}

fn write_jsonl(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut *out, record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The posts of `articles` (scanned from `folder`) matching `query`, in path order: the
/// `--query` of `folio list`, `stats` and `bulk`. A query about git states (`is:changed`,
/// `is:new`, …) runs one status of the folder's repository first, so the command line
/// answers it as the window does; without a repository no post has a state and the
/// term matches nothing, which is said on stderr.
pub fn select(
    folder: &std::path::Path,
    articles: &[crate::archive::Article],
    query: &str,
) -> anyhow::Result<Vec<crate::index::ArticleId>> {
    if !crate::index::mentions_changes(query) {
        return Ok(crate::index::select(articles, query));
    }
    let Some(repo) = GitArchive::discover(folder)? else {
        super::say(&format!(
            "not inside a git work tree, so no post is changed: {}",
            folder.display()
        ));
        return Ok(crate::index::select(articles, query));
    };
    let changes = repo.status(&StatusProgress::default())?;
    Ok(crate::index::select_with_changes(articles, query, |a| {
        changes.get(&a.path).map(|c| c.state)
    }))
}
