//! `folio set FILE KEY VALUE...` and `folio unset FILE KEY`: one front-matter edit from
//! the command line, through the same editing model ([`crate::fields`]), lossless
//! editor and crash-safe save as the window.
//!
//! The value is typed like the key it replaces, exactly as the window's editor types
//! it: a date is written in the key's own format, `comments` stays a boolean, a list key
//! a list; `--list`, `--bool` and `--date` say the type outright. A key is edited as the
//! post spells it (`categories` edits a Jekyll post's `category`).
//!
//! Values often start with `-` (`-10°C 街头实测`), which an argument parser takes for a
//! flag; [`normalize_args`] lets them through without `--`.
//!
//! Exit status: 0 when the post was saved or nothing needed to change, 1 when the edit
//! or the save was refused (the reason, naming the file, goes to stderr), 2 for usage
//! errors. `--dry-run` prints the unified diff that a save would make and writes nothing.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use crate::archive::{
    self, DEFAULT_MAX_FILE_BYTES, Edit, FolderLock, Post, SaveMode, apply_edits, save_post_locked,
};
use crate::fields::{Field, FieldKind, FieldValue, Fields, parse_bool};

use super::EXIT_USAGE;

const EXIT_REFUSED: u8 = 1;

/// The flags of `folio set`, recognised anywhere before `--` (see [`normalize_args`]).
const SET_FLAGS: [&str; 6] = ["--list", "--bool", "--date", "--dry-run", "--help", "-h"];

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The post to edit.
    pub file: PathBuf,
    /// The top-level front-matter key.
    pub key: String,
    /// The value; several values with --list. Values may start with `-`.
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

/// Rewrites `folio set …` arguments so that values starting with `-` are values: the
/// flags of `set` are moved before the positionals wherever they appear (up to a `--`
/// the person typed), and a `--` is put before the positionals. Other command lines are
/// returned unchanged.
pub fn normalize_args(args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_none_or(|sub| sub != "set") {
        return args;
    }
    let mut head: Vec<OsString> = args.iter().take(2).cloned().collect();
    let mut positionals = Vec::new();
    let mut rest = args.into_iter().skip(2);
    for arg in rest.by_ref() {
        if arg == "--" {
            break;
        }
        if arg.to_str().is_some_and(|a| SET_FLAGS.contains(&a)) {
            head.push(arg);
        } else {
            positionals.push(arg);
        }
    }
    positionals.extend(rest);
    head.push(OsString::from("--"));
    head.extend(positionals);
    head
}

/// Runs `folio set`.
pub fn run_set(args: &SetArgs) -> anyhow::Result<ExitCode> {
    let Some((root, rel)) = split_path(&args.file) else {
        return Ok(usage(&format!("not a file path: {}", args.file.display())));
    };
    // Held from reading the post to renaming the new file over it: two writers of one
    // file run one after the other, and neither loses the other's edit.
    let lock = match archive::lock_post(&root, &rel) {
        Ok(lock) => lock,
        Err(e) => return Ok(refused(&e.to_string())),
    };
    let post = archive::load_post(&root, &rel, DEFAULT_MAX_FILE_BYTES);
    let original = match Fields::of_post(&post) {
        Ok(fields) => fields,
        Err(e) => return Ok(refused(&e.to_string())),
    };
    let key = original.key_as_written(&args.key).to_owned();
    let value = match typed_value(args, original.get(&key)) {
        Ok(value) => value,
        Err(message) => return Ok(usage(&message)),
    };
    let mut fields = original.clone();
    fields.set(&key, value);
    let edits = match fields.edits_from(&original) {
        Ok(edits) => edits,
        Err(e) => return Ok(usage(&format!("{e}: {}", args.file.display()))),
    };
    edit_and_save(&lock, &root, &post, &edits, args.dry_run, &args.file)
}

/// Runs `folio unset`.
pub fn run_unset(args: &UnsetArgs) -> anyhow::Result<ExitCode> {
    let Some((root, rel)) = split_path(&args.file) else {
        return Ok(usage(&format!("not a file path: {}", args.file.display())));
    };
    let lock = match archive::lock_post(&root, &rel) {
        Ok(lock) => lock,
        Err(e) => return Ok(refused(&e.to_string())),
    };
    let post = archive::load_post(&root, &rel, DEFAULT_MAX_FILE_BYTES);
    let original = match Fields::of_post(&post) {
        Ok(fields) => fields,
        Err(e) => return Ok(refused(&e.to_string())),
    };
    let mut fields = original.clone();
    fields.remove(original.key_as_written(&args.key));
    let edits = match fields.edits_from(&original) {
        Ok(edits) => edits,
        Err(e) => return Ok(refused(&format!("{e}: {}", args.file.display()))),
    };
    edit_and_save(&lock, &root, &post, &edits, args.dry_run, &args.file)
}

fn split_path(file: &Path) -> Option<(PathBuf, PathBuf)> {
    let name = file.file_name()?;
    let root = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    Some((root, PathBuf::from(name)))
}

/// The value the arguments ask for, typed like `existing` (the key as the post has it).
fn typed_value(args: &SetArgs, existing: Option<&Field>) -> Result<FieldValue, String> {
    if args.key.trim().is_empty() {
        return Err("the key is empty".to_owned());
    }
    if args.list {
        return Ok(FieldValue::List(args.values.clone()));
    }
    let value = match args.values.as_slice() {
        [one] => one.as_str(),
        [] => return Err("a value is required (or --list for an empty list)".to_owned()),
        _ => return Err("several values need --list".to_owned()),
    };
    if args.bool {
        return parse_bool(value)
            .map(FieldValue::Bool)
            .map_err(|e| format!("--bool takes {e}"));
    }
    if args.date {
        return Ok(FieldValue::Date(value.to_owned()));
    }
    let kind = match existing.map(|f| &f.value) {
        Some(FieldValue::Structured(_)) => {
            return Err(format!(
                "`{}` holds a map or a nested list, which Folio does not rewrite; edit it in the file",
                args.key
            ));
        }
        Some(v) => v.kind().unwrap_or(FieldKind::Text),
        None => FieldKind::of_key(&args.key),
    };
    kind.value_from_text(value)
        .map_err(|e| format!("`{}` takes {e}", args.key))
}

fn edit_and_save(
    lock: &FolderLock,
    root: &Path,
    post: &Post,
    edits: &[Edit],
    dry_run: bool,
    shown: &Path,
) -> anyhow::Result<ExitCode> {
    let new_text = match apply_edits(post, edits) {
        Ok(text) => text,
        Err(e) => return Ok(refused(&e.to_string())),
    };
    if new_text == post.text {
        super::say(&format!("nothing to change: {}", shown.display()));
        return Ok(ExitCode::SUCCESS);
    }
    if dry_run {
        let name = shown.display().to_string();
        let diff = similar::TextDiff::from_lines(&post.text, &new_text);
        let mut stdout = std::io::stdout().lock();
        write!(
            stdout,
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
        )
        .and_then(|()| stdout.flush())
        .context("cannot write the diff")?;
        return Ok(ExitCode::SUCCESS);
    }
    Ok(
        match save_post_locked(lock, root, post, &new_text, SaveMode::IfUnchanged) {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => refused(&e.to_string()),
        },
    )
}

fn refused(message: &str) -> ExitCode {
    super::say(message);
    ExitCode::from(EXIT_REFUSED)
}

fn usage(message: &str) -> ExitCode {
    super::say(message);
    ExitCode::from(EXIT_USAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(OsString::from).collect();
        normalize_args(args)
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn values_starting_with_a_dash_are_values() {
        assert_eq!(
            normalized(&[
                "folio",
                "set",
                "p.md",
                "title",
                "-10°C 街头实测",
                "--dry-run"
            ]),
            [
                "folio",
                "set",
                "--dry-run",
                "--",
                "p.md",
                "title",
                "-10°C 街头实测"
            ]
        );
        assert_eq!(
            normalized(&[
                "folio", "set", "--list", "p.md", "tags", "-a", "--", "--bool"
            ]),
            [
                "folio", "set", "--list", "--", "p.md", "tags", "-a", "--bool"
            ]
        );
        assert_eq!(
            normalized(&["folio", "list", "-x"]),
            ["folio", "list", "-x"]
        );
    }
}
