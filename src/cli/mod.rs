//! The `folio` command line: headless subcommands on the same core as the app.
//!
//! `main.rs` only calls [`run`]. Each subcommand lives in its own file and returns an
//! exit code; errors that stop a command are reported once, here, on stderr. Output
//! errors are handled here too: a closed pipe (`folio list | head`) ends a command
//! quietly with success, and a closed or full stderr never makes Folio panic.

mod bulk;
mod changes;
mod check;
mod clean;
mod desktop;
mod dups;
mod escape;
mod export;
mod list;
mod search;
mod set;
mod stats;

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
    /// Change many posts at once (a search selects them), with a preview and undo.
    Bulk(bulk::BulkArgs),
    /// List the operations made on an archive, oldest first.
    History(bulk::HistoryArgs),
    /// Undo an operation (by default the latest; an interrupted one is rolled back).
    Undo(bulk::UndoArgs),
    /// Redo an undone operation (an interrupted one is finished).
    Redo(bulk::UndoArgs),
    /// Print the archive's figures: posts over time, gaps, problems, images, sizes.
    Stats(stats::StatsArgs),
    /// Find posts saved twice: one group per record, with why (exact, near, url).
    Dups(dups::DupsArgs),
    /// List the posts that differ from the git HEAD: path, new|modified|deleted|renamed, title.
    Changes(changes::ChangesArgs),
    /// Write the posts of a search as CSV, JSONL, or cleaned Markdown or HTML.
    Export(export::ExportArgs),
    /// Find posts by the words of their title and cleaned body, best first, with snippets.
    Search(search::SearchArgs),
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

/// Runs the command line. `matches` are the parsed arguments `cli` was built from
/// (bulk operations apply in the order they were given).
pub fn run(cli: Cli, matches: &clap::ArgMatches) -> Outcome {
    let sub = |name: &str| {
        matches
            .subcommand_matches(name)
            .cloned()
            .unwrap_or_default()
    };
    let result = match cli.command {
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Set(args)) => {
            exit_cleanly_on_signals();
            set::run_set(&args)
        }
        Some(Command::Unset(args)) => {
            exit_cleanly_on_signals();
            set::run_unset(&args)
        }
        Some(Command::Clean(args)) => clean::run(&args),
        Some(Command::Bulk(args)) => {
            exit_cleanly_on_signals();
            bulk::run(&args, &sub("bulk"))
        }
        Some(Command::History(args)) => bulk::run_history(&args),
        Some(Command::Undo(args)) => {
            exit_cleanly_on_signals();
            bulk::run_undo(&args, false)
        }
        Some(Command::Redo(args)) => {
            exit_cleanly_on_signals();
            bulk::run_undo(&args, true)
        }
        Some(Command::Stats(args)) => stats::run(&args),
        Some(Command::Dups(args)) => dups::run(&args),
        Some(Command::Changes(args)) => changes::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Search(args)) => search::run(&args),
        Some(Command::DesktopInstall(args)) => desktop::run(&args),
        None => return Outcome::OpenWindow(cli.folder),
    };
    Outcome::Exit(report(result))
}

/// For commands that write: on SIGINT, SIGTERM, SIGHUP or SIGXFSZ, removes the
/// temporary file being written and exits with 128 + the signal. The file being saved
/// is then wholly old or wholly new, and no `.folio-save-*.tmp` is left behind.
fn exit_cleanly_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGXFSZ};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGXFSZ])
    else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("folio-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                crate::archive::remove_pending_temps();
                std::process::exit(128 + signal);
            }
        });
    if let Err(e) = spawned {
        tracing::debug!("no signal handler: {e}");
    }
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
