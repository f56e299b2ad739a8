//! `folio bulk`, `folio history`, `folio undo`, `folio redo`: bulk edits from the
//! command line on the same engine and journal as the window ([`crate::bulk`]), so an
//! operation made in one can be undone in the other.
//!
//! `folio bulk FOLDER [--query QUERY] OPERATION… [--dry-run]` selects posts with the
//! window's search syntax (every post without `--query`), previews the operations in
//! the order given, and applies them (or, with `--dry-run`, prints the unified diffs and
//! writes nothing). The summary goes to stderr. Exit status: 0 when everything asked was
//! done, 1 when a post was refused or skipped (each is listed with its reason), 2 on
//! usage errors.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{ArgMatches, Args};

use crate::archive::{self, ScanOptions};
use crate::bulk::{self, History, Operation, Plan, Preview, Progress, Report};

use super::EXIT_USAGE;

const EXIT_REFUSED: u8 = 1;

#[derive(Debug, Args)]
pub struct BulkArgs {
    /// Archive folder.
    pub folder: PathBuf,
    /// The posts to change, in the window's search syntax (default: every post).
    #[arg(long, allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Set KEY to VALUE, typed like each post's key (dates keep each post's format).
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Remove KEY.
    #[arg(long, value_name = "KEY")]
    pub unset: Vec<String>,
    /// Add VALUE to the list KEY.
    #[arg(long, value_name = "KEY=VALUE")]
    pub add: Vec<String>,
    /// Remove VALUE from the list KEY.
    #[arg(long, value_name = "KEY=VALUE")]
    pub remove: Vec<String>,
    /// Rename the item OLD of KEY to NEW, everywhere.
    #[arg(long, num_args = 3, value_names = ["KEY", "OLD", "NEW"])]
    pub rename: Vec<String>,
    /// Merge the items OLD… of KEY into NEW (the last value).
    #[arg(long, num_args = 3.., value_names = ["KEY", "OLD", "NEW"])]
    pub merge: Vec<String>,
    /// Replace PATTERN by REPLACEMENT in the text of KEY.
    #[arg(long, num_args = 3, value_names = ["KEY", "PATTERN", "REPLACEMENT"])]
    pub replace: Vec<String>,
    /// Read the patterns of --replace as regular expressions.
    #[arg(long)]
    pub regex: bool,
    /// Move the posts into DIR (relative to the archive).
    #[arg(long = "move", value_name = "DIR")]
    pub move_to: Option<PathBuf>,
    /// Move the posts to the trash.
    #[arg(long)]
    pub trash: bool,
    /// Print the diffs and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Archive folder.
    pub folder: PathBuf,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// Archive folder.
    pub folder: PathBuf,
    /// The operation (default: an interrupted one, else the latest).
    pub id: Option<u64>,
}

/// The operations in the order they were given on the command line.
fn operations(args: &BulkArgs, matches: &ArgMatches) -> Result<Vec<Operation>, String> {
    let mut ops: Vec<(usize, Operation)> = Vec::new();
    let key_value = |text: &str, flag: &str| -> Result<(String, String), String> {
        text.split_once('=')
            .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
            .ok_or_else(|| format!("--{flag} takes KEY=VALUE, not `{text}`"))
    };
    // The command-line position of each occurrence of `id` (its first value).
    let single = |id: &str| -> Vec<usize> {
        matches
            .indices_of(id)
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let first_indices = |id: &str| -> Vec<usize> {
        let counts: Vec<usize> = matches
            .get_occurrences::<String>(id)
            .map(|occ| occ.map(Iterator::count).collect())
            .unwrap_or_default();
        let indices = single(id);
        let mut firsts = Vec::new();
        let mut at = 0;
        for count in counts {
            if let Some(&i) = indices.get(at) {
                firsts.push(i);
            }
            at += count;
        }
        firsts
    };
    for (value, index) in args.set.iter().zip(single("set")) {
        let (key, value) = key_value(value, "set")?;
        ops.push((index, Operation::Set { key, value }));
    }
    for (key, index) in args.unset.iter().zip(single("unset")) {
        ops.push((index, Operation::Unset { key: key.clone() }));
    }
    for (value, index) in args.add.iter().zip(single("add")) {
        let (key, item) = key_value(value, "add")?;
        ops.push((index, Operation::AddItem { key, item }));
    }
    for (value, index) in args.remove.iter().zip(single("remove")) {
        let (key, item) = key_value(value, "remove")?;
        ops.push((index, Operation::RemoveItem { key, item }));
    }
    let groups = |id: &str| -> Vec<Vec<String>> {
        matches
            .get_occurrences::<String>(id)
            .map(|occ| occ.map(|values| values.cloned().collect()).collect())
            .unwrap_or_default()
    };
    for (values, index) in groups("rename").into_iter().zip(first_indices("rename")) {
        if let [key, from, to] = values.as_slice() {
            ops.push((
                index,
                Operation::ReplaceItems {
                    key: key.clone(),
                    from: vec![from.clone()],
                    to: to.clone(),
                },
            ));
        }
    }
    for (values, index) in groups("merge").into_iter().zip(first_indices("merge")) {
        if let [key, from @ .., to] = values.as_slice() {
            ops.push((
                index,
                Operation::ReplaceItems {
                    key: key.clone(),
                    from: from.to_vec(),
                    to: to.clone(),
                },
            ));
        }
    }
    for (values, index) in groups("replace").into_iter().zip(first_indices("replace")) {
        if let [key, pattern, replacement] = values.as_slice() {
            ops.push((
                index,
                Operation::FindReplace {
                    key: key.clone(),
                    pattern: pattern.clone(),
                    replacement: replacement.clone(),
                    regex: args.regex,
                },
            ));
        }
    }
    if let (Some(folder), Some(index)) = (&args.move_to, single("move_to").first()) {
        ops.push((
            *index,
            Operation::Move {
                folder: folder.clone(),
            },
        ));
    }
    if args.trash {
        let index = matches.index_of("trash").unwrap_or(usize::MAX);
        ops.push((index, Operation::Trash));
    }
    ops.sort_by_key(|(index, _)| *index);
    Ok(ops.into_iter().map(|(_, op)| op).collect())
}

/// Runs `folio bulk`.
pub fn run(args: &BulkArgs, matches: &ArgMatches) -> anyhow::Result<ExitCode> {
    let plan = match operations(args, matches).and_then(Plan::new) {
        Ok(plan) => plan,
        Err(message) => return Ok(usage(&message)),
    };
    let root = &args.folder;
    let archive = archive::scan(root, &ScanOptions::default())?;
    let ids = match &args.query {
        Some(query) => super::changes::select(root, &archive.articles, query)?,
        None => (0..archive.articles.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect(),
    };
    let posts: Vec<PathBuf> = ids
        .iter()
        .filter_map(|&id| archive.articles.get(id as usize))
        .map(|a| a.path.clone())
        .collect();
    let preview = bulk::preview(root, &posts, &plan).map_err(anyhow::Error::msg)?;
    if args.dry_run {
        print_diffs(&preview)?;
        summarize_preview(&preview);
        return Ok(exit_for(&preview.refused, &[]));
    }
    let history = open_history(root)?;
    let refused = preview.refused.clone();
    let unchanged = preview.unchanged;
    if preview.changes.is_empty() {
        summarize_preview(&preview);
        return Ok(exit_for(&refused, &[]));
    }
    let report = match bulk::apply(&history, &plan, preview.changes, &Progress::default()) {
        Ok(report) => report,
        Err(e) => return Ok(refuse(&format!("{e}: {}", root.display()))),
    };
    for (path, reason) in &refused {
        super::say(&format!("refused: {reason}: {}", archive::slash_path(path)));
    }
    say_report(&report, root);
    super::say(&format!(
        "{} changed, {unchanged} unchanged, {} refused (operation {}; `folio undo {} {}` undoes it)",
        report.done,
        refused.len() + report.skipped.len(),
        report.id,
        root.display(),
        report.id
    ));
    Ok(exit_for(&refused, &report.skipped))
}

/// Runs `folio history`: one line per operation, oldest first.
pub fn run_history(args: &HistoryArgs) -> anyhow::Result<ExitCode> {
    let history = open_history(&args.folder)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "id\tstate\tcreated\tposts\tsummary").context("cannot write the history")?;
    for op in history.operations()? {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            op.id,
            op.state.label(),
            op.created,
            op.files,
            super::escape::cell(&op.summary)
        )
        .context("cannot write the history")?;
    }
    out.flush().context("cannot write the history")?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `folio undo` (`redo` false) or `folio redo`.
pub fn run_undo(args: &UndoArgs, redo: bool) -> anyhow::Result<ExitCode> {
    let history = open_history(&args.folder)?;
    let progress = Progress::default();
    let result = if redo {
        bulk::redo(&history, args.id, &progress)
    } else {
        bulk::undo(&history, args.id, &progress)
    };
    let report = match result {
        Ok(report) => report,
        Err(e) => return Ok(refuse(&format!("{e}: {}", args.folder.display()))),
    };
    say_report(&report, &args.folder);
    super::say(&format!(
        "{} operation {} ({}): {} posts {}, {} already so, {} left as they are",
        if redo { "redid" } else { "undid" },
        report.id,
        report.summary,
        report.done,
        if redo { "changed" } else { "restored" },
        report.already,
        report.skipped.len()
    ));
    Ok(exit_for(&[], &report.skipped))
}

fn open_history(root: &Path) -> anyhow::Result<History> {
    let base = History::default_dir().context("no data folder to keep the history in")?;
    Ok(History::open(&base, root)?)
}

fn print_diffs(preview: &Preview) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    for change in &preview.changes {
        out.write_all(change.unified_diff().as_bytes())
            .context("cannot write the diff")?;
    }
    out.flush().context("cannot write the diff")?;
    Ok(())
}

fn summarize_preview(preview: &Preview) {
    for (path, reason) in &preview.refused {
        super::say(&format!("refused: {reason}: {}", archive::slash_path(path)));
    }
    super::say(&format!(
        "{} would change, {} unchanged, {} refused",
        preview.changes.len(),
        preview.unchanged,
        preview.refused.len()
    ));
}

fn say_report(report: &Report, root: &Path) {
    for (path, reason) in &report.skipped {
        super::say(&format!(
            "left as it is: {reason}: {}",
            root.join(path).display()
        ));
    }
    for note in &report.notes {
        super::say(note);
    }
}

fn exit_for(refused: &[(PathBuf, String)], skipped: &[(PathBuf, String)]) -> ExitCode {
    if refused.is_empty() && skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REFUSED)
    }
}

fn refuse(message: &str) -> ExitCode {
    super::say(message);
    ExitCode::from(EXIT_REFUSED)
}

fn usage(message: &str) -> ExitCode {
    super::say(message);
    ExitCode::from(EXIT_USAGE)
}
