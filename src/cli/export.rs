//! `folio export FOLDER [--query QUERY] --format csv|jsonl|markdown|html --out PATH
//! [--columns a,b,c]`: the posts of a search (every post without one), in path order,
//! as a table or as readable articles ([`crate::export`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::escape;
use crate::archive::{self, Article, ScanOptions};
use crate::export::{Column, DEFAULT_COLUMNS, ExportFormat, ExportProgress, ExportRequest, export};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Archive folder to scan.
    pub folder: PathBuf,
    /// Only the posts matching this search, in the window's syntax.
    #[arg(long, allow_hyphen_values = true)]
    pub query: Option<String>,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The file to write; for markdown and html, a folder (existing, or ending in `/`)
    /// gets one file per post, anything else one digest file.
    #[arg(long)]
    pub out: PathBuf,
    /// Table columns, comma-separated: path, folder, title, date, date_utc, categories,
    /// tags, author, image, size, modified, problems, or any front-matter key.
    #[arg(long, default_value_t = DEFAULT_COLUMNS.join(","))]
    pub columns: String,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let archive = archive::scan(&args.folder, &ScanOptions::default())?;
    let selected: Vec<&Article> = match &args.query {
        Some(query) => crate::index::select(&archive.articles, query)
            .into_iter()
            .filter_map(|id| archive.articles.get(id as usize))
            .collect(),
        None => archive.articles.iter().collect(),
    };
    let request = ExportRequest {
        format: args.format,
        out: args.out.clone(),
        columns: Column::parse_list(&args.columns),
    };
    let report = export(
        &archive.root,
        &selected,
        &request,
        &ExportProgress::default(),
    )?;
    for why in &report.skipped {
        super::say(&format!("skipped: {}", escape::line(why)));
    }
    let files = report.files.len();
    super::say(&format!(
        "exported {} {} to {}",
        report.posts,
        if report.posts == 1 { "post" } else { "posts" },
        if files == 1 {
            escape::line(&report.files[0].to_string_lossy()).into_owned()
        } else {
            format!(
                "{files} files in {}",
                escape::line(&args.out.to_string_lossy())
            )
        }
    ));
    Ok(ExitCode::SUCCESS)
}
