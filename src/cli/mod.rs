//! The `folio` command line: headless subcommands on the same core as the app.
//!
//! `main.rs` only calls [`main`]. Each subcommand lives in its own file and returns an
//! exit code; errors that stop a command are reported once, here, on stderr.

mod check;
mod clean;
mod list;
mod set;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for usage and I/O errors (clap also exits with 2 on bad arguments).
pub const EXIT_USAGE: u8 = 2;

/// Folio: browse, clean and curate static-site post archives.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Archive folder (or a post inside it) to open in the desktop app.
    pub folder: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every post: path, title, dates, categories, author, image, problem count.
    List(list::ListArgs),
    /// Report every problem as `path:line: error|warning: message`.
    Check(check::CheckArgs),
    /// Set one front-matter key of a post, changing only that key's lines.
    Set(set::SetArgs),
    /// Remove one front-matter key of a post.
    Unset(set::UnsetArgs),
    /// Print a post's body cleaned of scraped junk, as text, Markdown or JSON.
    Clean(clean::CleanArgs),
}

/// Runs the command line; `None` means "open the desktop app" with the given folder.
pub fn run(cli: Cli) -> Result<ExitCode, Option<PathBuf>> {
    match cli.command {
        Some(Command::List(args)) => Ok(report(list::run(&args))),
        Some(Command::Check(args)) => Ok(report(check::run(&args))),
        Some(Command::Set(args)) => Ok(set::run_set(&args)),
        Some(Command::Unset(args)) => Ok(set::run_unset(&args)),
        Some(Command::Clean(args)) => Ok(report(clean::run(&args))),
        None => Err(cli.folder),
    }
}

fn report(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("folio: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Makes a value safe for one TSV cell: tabs and line breaks become spaces.
pub(crate) fn tsv_cell(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}
