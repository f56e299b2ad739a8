//! `folio dups FOLDER [--format tsv|jsonl] [--kind exact|near|url]`: one duplicate group
//! per record, largest first.
//!
//! Groups come from [`crate::dups::find_duplicates`], with the archive's "not
//! duplicates" list respected (a malformed list stops the command, naming the file) and
//! fingerprints cached in the platform cache folder, so a second run reads only changed
//! posts. `--kind` keeps the groups of one kind (the loosest rule that holds a group
//! together: see the `dups` module docs).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::archive::{self, ScanOptions, slash_path};
use crate::dups::{DupGroup, DupKind, DupOptions, DupProgress, Exemptions, find_duplicates};

#[derive(Debug, Args)]
pub struct DupsArgs {
    /// Archive folder to scan.
    pub folder: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DupsFormat::Tsv)]
    pub format: DupsFormat,
    /// Only groups of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<DupKind>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DupsFormat {
    /// A header line, then per group: kind, similarity, post count, then one path per
    /// column.
    Tsv,
    /// One JSON object per group: `{"kind", "similarity", "paths"}`.
    Jsonl,
}

/// One group as written.
#[derive(Debug, Serialize)]
struct Record {
    kind: DupKind,
    similarity: f64,
    paths: Vec<String>,
}

impl Record {
    fn new(group: &DupGroup) -> Self {
        Self {
            kind: group.kind,
            // Three decimals: the estimate is not more precise than that.
            similarity: (f64::from(group.similarity) * 1000.0).round() / 1000.0,
            paths: group.members.iter().map(|m| slash_path(&m.path)).collect(),
        }
    }
}

pub fn run(args: &DupsArgs) -> anyhow::Result<ExitCode> {
    let archive = archive::scan(&args.folder, &ScanOptions::default())?;
    let exemptions = Exemptions::load(&archive.root)?;
    let report = find_duplicates(
        &archive,
        &exemptions,
        &DupOptions::default(),
        &DupProgress::default(),
    );
    for note in &report.cache_notes {
        super::say(note);
    }
    let groups = report
        .groups
        .iter()
        .filter(|g| args.kind.is_none_or(|kind| g.kind == kind));
    let stdout = io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let written = match args.format {
        DupsFormat::Tsv => write_tsv(&mut out, groups),
        DupsFormat::Jsonl => write_jsonl(&mut out, groups),
    };
    written
        .and_then(|()| out.flush())
        .context("cannot write the duplicate groups")?;
    Ok(ExitCode::SUCCESS)
}

fn write_tsv<'a>(
    out: &mut impl Write,
    groups: impl Iterator<Item = &'a DupGroup>,
) -> io::Result<()> {
    writeln!(out, "kind\tsimilarity\tposts\tpaths")?;
    for group in groups {
        let record = Record::new(group);
        write!(
            out,
            "{}\t{:.3}\t{}",
            record.kind.name(),
            record.similarity,
            record.paths.len()
        )?;
        for path in &record.paths {
            write!(out, "\t{}", super::escape::cell(path))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_jsonl<'a>(
    out: &mut impl Write,
    groups: impl Iterator<Item = &'a DupGroup>,
) -> io::Result<()> {
    for group in groups {
        serde_json::to_writer(&mut *out, &Record::new(group))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
