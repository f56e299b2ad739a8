//! The `folio` command line: headless subcommands on the same core as the app.
//!
//! `main.rs` only calls [`run`]. Each subcommand lives in its own file and returns an
//! exit code; errors that stop a command are reported once, here, on stderr. Output
//! errors are handled here too: a closed pipe (`folio list | head`) ends a command
//! quietly with success, and a closed or full stderr never makes Folio panic.

mod check;
mod clean;
mod desktop;
mod escape;
mod list;
mod set;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use set::normalize_args;

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
    /// Put Folio in the desktop's application menu and "Open with" for folders.
    DesktopInstall(desktop::DesktopInstallArgs),
}

/// What the command line asks for once the arguments are read.
#[derive(Debug)]
pub enum Outcome {
    /// A subcommand ran; exit with this status.
    Exit(ExitCode),
    /// No subcommand: open the desktop app, on this folder (or post) if given.
    OpenWindow(Option<PathBuf>),
}

/// Runs the command line.
pub fn run(cli: Cli) -> Outcome {
    let result = match cli.command {
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Set(args)) => set::run_set(&args),
        Some(Command::Unset(args)) => set::run_unset(&args),
        Some(Command::Clean(args)) => clean::run(&args),
        Some(Command::DesktopInstall(args)) => desktop::run(&args),
        None => return Outcome::OpenWindow(cli.folder),
    };
    Outcome::Exit(report(result))
}

/// The exit status for a subcommand's result; reports the error that stopped it.
fn report(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        // A closed pipe (`folio list | head`) is the reader's choice, not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("{e:#}"));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Writes `folio: message` to stderr. A closed or full stderr is ignored: there is
/// nowhere left to report to, and the exit status still tells.
pub(crate) fn say(message: &str) {
    let _ = writeln!(io::stderr().lock(), "folio: {message}");
}
