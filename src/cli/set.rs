//! `folio set FILE KEY VALUE...` and `folio unset FILE KEY`: one front-matter edit from
//! the command line, through the same lossless editor and crash-safe save as the app.
//!
//! Exit status: 0 when the post was saved or nothing needed to change, 1 when the edit
//! or the save was refused (the reason, naming the file, goes to stderr), 2 for usage
//! errors. `--dry-run` prints the unified diff that a save would make and writes nothing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::archive::{
    self, DEFAULT_MAX_FILE_BYTES, Edit, Post, ProblemKind, SaveMode, ScalarValue, apply_edits,
    format_like, parse_date, save_post,
};

use super::EXIT_USAGE;

const EXIT_REFUSED: u8 = 1;

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The post to edit.
    pub file: PathBuf,
    /// The top-level front-matter key.
    pub key: String,
    /// The value; several values with --list. Use `--` before values that start with `-`.
    pub values: Vec<String>,
    /// Write the values as a list (no value: an empty list).
    #[arg(long, conflicts_with_all = ["bool", "date"])]
    pub list: bool,
    /// Write `true` or `false` as a boolean.
    #[arg(long, conflicts_with = "date")]
    pub bool: bool,
    /// Write a date, in the format of the date the key already holds.
    #[arg(long)]
    pub date: bool,
    /// Print the diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct UnsetArgs {
    /// The post to edit.
    pub file: PathBuf,
    /// The top-level front-matter key to remove.
    pub key: String,
    /// Print the diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `folio set`.
pub fn run_set(args: &SetArgs) -> ExitCode {
    let Some((root, rel)) = split_path(&args.file) else {
        return usage(&format!("not a file path: {}", args.file.display()));
    };
    let post = archive::load_post(&root, &rel, DEFAULT_MAX_FILE_BYTES);
    let edit = match build_edit(args, &post) {
        Ok(edit) => edit,
        Err(message) => return usage(&message),
    };
    edit_and_save(&root, &post, &edit, args.dry_run, &args.file)
}

/// Runs `folio unset`.
pub fn run_unset(args: &UnsetArgs) -> ExitCode {
    let Some((root, rel)) = split_path(&args.file) else {
        return usage(&format!("not a file path: {}", args.file.display()));
    };
    let post = archive::load_post(&root, &rel, DEFAULT_MAX_FILE_BYTES);
    let edit = Edit::RemoveKey {
        key: args.key.clone(),
    };
    edit_and_save(&root, &post, &edit, args.dry_run, &args.file)
}

fn split_path(file: &Path) -> Option<(PathBuf, PathBuf)> {
    let name = file.file_name()?;
    let root = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    Some((root, PathBuf::from(name)))
}

fn build_edit(args: &SetArgs, post: &Post) -> Result<Edit, String> {
    let key = args.key.clone();
    if key.trim().is_empty() {
        return Err("the key is empty".to_owned());
    }
    if args.list {
        return Ok(Edit::SetList {
            key,
            items: args.values.clone(),
        });
    }
    let value = match args.values.as_slice() {
        [one] => one.clone(),
        [] => return Err("a value is required (or --list for an empty list)".to_owned()),
        _ => return Err("several values need --list".to_owned()),
    };
    let scalar = if args.bool {
        match value.as_str() {
            "true" => ScalarValue::Bool(true),
            "false" => ScalarValue::Bool(false),
            other => return Err(format!("--bool takes true or false, not `{other}`")),
        }
    } else if args.date {
        let Some((instant, _)) = parse_date(&value) else {
            return Err(format!("`{value}` is not a date"));
        };
        let front = &post.article.front;
        let existing = match key.as_str() {
            "date" => front.date.as_ref(),
            "updated" | "lastmod" => front.updated.as_ref(),
            _ => None,
        };
        match existing {
            Some(old) if old.parsed.is_some() => ScalarValue::Date(format_like(&old.raw, instant)),
            _ => ScalarValue::Date(value),
        }
    } else {
        ScalarValue::Str(value)
    };
    Ok(Edit::SetScalar { key, value: scalar })
}

fn edit_and_save(root: &Path, post: &Post, edit: &Edit, dry_run: bool, shown: &Path) -> ExitCode {
    let unreadable = post
        .article
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::Unreadable);
    if let Some(problem) = unreadable {
        return refused(&format!("{}: {}", problem.message, shown.display()));
    }
    let new_text = match apply_edits(post, std::slice::from_ref(edit)) {
        Ok(text) => text,
        Err(e) => return refused(&e.to_string()),
    };
    if new_text == post.text {
        eprintln!("folio: nothing to change: {}", shown.display());
        return ExitCode::SUCCESS;
    }
    if dry_run {
        let name = shown.display().to_string();
        let diff = similar::TextDiff::from_lines(&post.text, &new_text);
        print!(
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
        );
        return ExitCode::SUCCESS;
    }
    match save_post(root, post, &new_text, SaveMode::IfUnchanged) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => refused(&e.to_string()),
    }
}

fn refused(message: &str) -> ExitCode {
    eprintln!("folio: {message}");
    ExitCode::from(EXIT_REFUSED)
}

fn usage(message: &str) -> ExitCode {
    eprintln!("folio: {message}");
    ExitCode::from(EXIT_USAGE)
}
