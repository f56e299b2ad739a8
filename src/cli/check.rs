//! `folio check FOLDER`: every problem as `path:line: severity: message`, then a summary.
//! Exits 1 when any error-level problem exists, 0 otherwise.
//!
//! Problems are written as the scan goes (in path order, see [`super::list::stream`]);
//! problems with folders and other paths that are not posts follow the posts' and are
//! counted apart from them in the summary. Paths and messages are escaped
//! ([`super::escape`]): they come from the files.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::escape;
use crate::archive::{self, Article, Problem, ReadScope, Severity};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Archive folder to check.
    pub folder: PathBuf,
}

/// Problems counted so far.
#[derive(Default)]
struct Tally {
    errors: usize,
    warnings: usize,
    posts: usize,
    posts_with_problems: usize,
}

impl Tally {
    fn emit(&mut self, out: &mut impl Write, path: &str, problem: &Problem) -> io::Result<()> {
        match problem.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
        let path = escape::line(path);
        let message = escape::line(&problem.message);
        match problem.line {
            Some(line) => writeln!(out, "{path}:{line}: {}: {message}", problem.severity),
            None => writeln!(out, "{path}: {}: {message}", problem.severity),
        }
    }
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    // Not locked: the scan's workers write, and a lock cannot move between threads.
    let mut out = BufWriter::new(io::stdout());
    let mut tally = Tally::default();
    let mut write = |article: &Article| -> io::Result<()> {
        tally.posts += 1;
        if !article.problems.is_empty() {
            tally.posts_with_problems += 1;
        }
        let path = article.path_display();
        for problem in &article.problems {
            tally.emit(&mut out, &path, problem)?;
        }
        Ok(())
    };
    let path_problems = super::list::stream(&args.folder, ReadScope::Whole, &mut write)?;
    let mut finish = || -> io::Result<()> {
        for p in &path_problems {
            tally.emit(&mut out, &archive::slash_path(&p.path), &p.problem)?;
        }
        let others = match path_problems.len() {
            0 => String::new(),
            n => format!(" and {n} other path(s)"),
        };
        writeln!(
            out,
            "{} error(s), {} warning(s) in {} of {} post(s){others}",
            tally.errors, tally.warnings, tally.posts_with_problems, tally.posts
        )?;
        out.flush()
    };
    finish().map_err(|e| anyhow::Error::new(e).context("cannot write the report"))?;
    Ok(if tally.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
