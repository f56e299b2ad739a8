//! `folio clean FILE [--format text|markdown|json|html]`: prints a post's cleaned body.
//!
//! The post is read through the archive core (any encoding, front matter split off) and
//! its body cleaned with the same rules the app's article view uses. The file itself is
//! never changed. Text and Markdown output show control characters from the post as
//! visible escapes ([`super::escape`]); JSON is exact.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;

use super::escape;
use crate::archive::{self, DEFAULT_MAX_FILE_BYTES};
use crate::clean::{self, OutputFormat};

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// The post to clean.
    pub file: PathBuf,
    /// Output format: plain text, CommonMark, the block tree as JSON, or HTML.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub fn run(args: &CleanArgs) -> anyhow::Result<ExitCode> {
    let Some((root, rel)) = archive::locate_post(&args.file) else {
        bail!("not a file: {}", args.file.display());
    };
    let post = archive::load_post(&root, &rel, DEFAULT_MAX_FILE_BYTES);
    if let Some(problem) = post.article.read_blocker() {
        bail!(
            "{}: {}",
            problem.message,
            escape::line(&args.file.to_string_lossy())
        );
    }
    let document = clean::clean_post(&post);
    let rendered = clean::render(&document, args.format);
    let mut output = match args.format {
        OutputFormat::Json => rendered,
        OutputFormat::Text | OutputFormat::Markdown | OutputFormat::Html => {
            escape::text(&rendered).into_owned()
        }
    };
    if !output.ends_with('\n') {
        output.push('\n');
    }
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write the cleaned body")?;
    Ok(ExitCode::SUCCESS)
}
