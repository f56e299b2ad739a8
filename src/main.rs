//! The `folio` binary: parses arguments and hands off to the CLI or the desktop app.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = folio::cli::Cli::parse();
    match folio::cli::run(cli) {
        Ok(code) => code,
        Err(_folder) => {
            eprintln!(
                "folio: the desktop app is not part of this build yet; use a subcommand (see --help)"
            );
            ExitCode::from(folio::cli::EXIT_USAGE)
        }
    }
}
