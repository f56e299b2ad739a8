//! `folio check FOLDER`: every problem as `path:line: severity: message`, then a summary.
//! Exits 1 when any error-level problem exists, 0 otherwise.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::archive::{self, Problem, ScanOptions, Severity};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Archive folder to check.
    pub folder: PathBuf,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let archive = archive::scan(&args.folder, &ScanOptions::default())?;
    let mut errors = 0usize;
    let mut warnings = 0usize;
    let mut files_with_problems = 0usize;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut emit = |out: &mut dyn Write, path: &str, problem: &Problem| -> io::Result<()> {
        match problem.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        match problem.line {
            Some(line) => writeln!(
                out,
                "{path}:{line}: {}: {}",
                problem.severity, problem.message
            ),
            None => writeln!(out, "{path}: {}: {}", problem.severity, problem.message),
        }
    };
    let mut write_all = || -> io::Result<()> {
        for p in &archive.path_problems {
            files_with_problems += 1;
            emit(&mut out, &archive::slash_path(&p.path), &p.problem)?;
        }
        for article in &archive.articles {
            if !article.problems.is_empty() {
                files_with_problems += 1;
            }
            let path = article.path_display();
            for problem in &article.problems {
                emit(&mut out, &path, problem)?;
            }
        }
        Ok(())
    };
    let written = write_all();
    let summary = writeln!(
        out,
        "{errors} error(s), {warnings} warning(s) in {files_with_problems} of {} post(s)",
        archive.articles.len()
    )
    .and_then(|()| out.flush());
    written
        .and(summary)
        .map_err(|e| anyhow::Error::new(e).context("cannot write the report"))?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
