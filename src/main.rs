//! The `folio` binary: parses arguments and hands off to the CLI or the desktop app.
//!
//! One binary serves both: `folio list|check …` print to the terminal, `folio [FOLDER]`
//! opens the window. On Windows, release builds use the GUI subsystem so that a
//! double-clicked Folio opens no console window; the price is that the subcommands'
//! output is not shown in a terminal from such a build (re-attaching to the parent
//! console needs `unsafe` Win32 calls, which this crate forbids). Debug builds keep the
//! console subsystem for command-line use. See `docs/desktop.md`.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use folio::cli::{Cli, Outcome};

fn main() -> ExitCode {
    let args = folio::cli::normalize_args(std::env::args_os().collect());
    let matches = Cli::command().get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match folio::cli::run(cli, &matches) {
        Outcome::Exit(code) => code,
        Outcome::OpenWindow(folder) => open_window(folder),
    }
}

#[cfg(feature = "gui")]
fn open_window(folder: Option<PathBuf>) -> ExitCode {
    match folio::app::run(folder) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("folio: {e:#}");
            ExitCode::from(folio::cli::EXIT_USAGE)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_folder: Option<PathBuf>) -> ExitCode {
    eprintln!(
        "folio: this build has no desktop window (built without the `gui` feature); see `folio --help` for the subcommands"
    );
    ExitCode::from(folio::cli::EXIT_USAGE)
}
