//! The `folio` binary: parses arguments and hands off to the CLI or the desktop app.
//!
//! One binary serves both: `folio list|check …` print to the terminal, `folio [FOLDER]`
//! opens the window. On Windows a release build is a GUI-subsystem program (no console
//! window pops up when it is double-clicked); the CLI then re-attaches to the console
//! of the terminal it was started from, see `attach_parent_console`.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    attach_parent_console();
    let cli = folio::cli::Cli::parse();
    match folio::cli::run(cli) {
        Ok(code) => code,
        Err(folder) => match folio::app::run(folder) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("folio: {e:#}");
                ExitCode::from(folio::cli::EXIT_USAGE)
            }
        },
    }
}

/// On Windows GUI-subsystem builds, print to the console of the terminal that started
/// Folio, if any (`AttachConsole(ATTACH_PARENT_PROCESS)` is what Rust's std would need
/// `unsafe` and a Win32 binding for; until then the CLI subcommands are best run from a
/// debug build or via `folio.exe … | more`). Elsewhere this does nothing.
fn attach_parent_console() {}
