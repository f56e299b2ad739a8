//! `folio stats FOLDER [--query QUERY] [--by day|week|month] --format json|tsv`: the
//! archive's figures (posts over time by group, gaps, problems, images, top names, feed
//! sizes) for scripts and cron reports, computed by [`crate::insights`].
//!
//! Zoned dates are placed at `--offset` (UTC unless given), never at the machine's
//! zone, so that two machines print the same figures; floating dates are taken as
//! written. The selection's end, which gaps are measured to, ignores posts dated more
//! than a day after now.
//!
//! TSV is sectioned: each section is a `# name` line, a header line and its rows, and
//! sections are separated by a blank line (`awk '/^# gaps$/{f=1;next} /^$/{f=0} f'`
//! prints one).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{FixedOffset, Utc};
use clap::{Args, ValueEnum};

use crate::archive::{self, ScanOptions};
use crate::index::ArticleId;
use crate::insights::{
    DateZone, Insights, InsightsIndex, Narrow, Options, PeriodKind, Report, Split, kind_name,
};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Archive folder to scan.
    pub folder: PathBuf,
    /// Count only the posts matching this search (the app's search syntax).
    #[arg(long, allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Period length [default: days up to 3 months, weeks up to 2 years, else months].
    #[arg(long, value_enum)]
    pub by: Option<By>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: StatsFormat,
    /// Offset zoned dates are counted at (`+08:00`, `-0500`, `UTC`); floating dates
    /// are never shifted.
    #[arg(long, default_value = "UTC", value_parser = parse_offset, allow_hyphen_values = true)]
    pub offset: FixedOffset,
    /// How many categories, tags and authors to list.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum By {
    Day,
    Week,
    Month,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// One JSON object.
    Json,
    /// Sections of tab-separated values.
    Tsv,
}

/// Reads `UTC`, `Z`, `+08:00`, `+0800` or `+08`.
fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    let bad = || format!("`{text}` is not an offset like +08:00, -0500 or UTC");
    if matches!(text.to_ascii_uppercase().as_str(), "UTC" | "Z" | "GMT") {
        return FixedOffset::east_opt(0).ok_or_else(bad);
    }
    let (sign, rest) = match text.split_at_checked(1) {
        Some(("+", rest)) => (1, rest),
        Some(("-", rest)) => (-1, rest),
        _ => return Err(bad()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    let number = |s: Option<&str>| s.and_then(|s| s.parse::<i32>().ok());
    let (hours, minutes) = match digits.len() {
        2 if digits.chars().all(|c| c.is_ascii_digit()) => (number(Some(&digits)), Some(0)),
        4 if digits.chars().all(|c| c.is_ascii_digit()) => {
            (number(digits.get(..2)), number(digits.get(2..)))
        }
        _ => (None, None),
    };
    match (hours, minutes) {
        (Some(h), Some(m)) if h <= 23 && m <= 59 => {
            FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let archive = archive::scan(&args.folder, &ScanOptions::default())?;
    let ids: Vec<ArticleId> = match &args.query {
        Some(query) => super::changes::select(&args.folder, &archive.articles, query)?,
        None => (0..archive.articles.len())
            .filter_map(|i| ArticleId::try_from(i).ok())
            .collect(),
    };
    let index = InsightsIndex::build(&archive.articles, DateZone::Fixed(args.offset));
    let now = Utc::now().with_timezone(&args.offset).naive_local();
    let options = Options {
        by: args.by.map(|by| match by {
            By::Day => PeriodKind::Day,
            By::Week => PeriodKind::Week,
            By::Month => PeriodKind::Month,
        }),
        split: Split::Group,
        top: args.top,
        not_after: now.checked_add_signed(chrono::TimeDelta::days(1)),
    };
    let insights = index.compute(&ids, &options);
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let written = match args.format {
        StatsFormat::Json => write_json(&mut out, &insights),
        StatsFormat::Tsv => write_tsv(&mut out, &insights, args.offset),
    };
    written
        .and_then(|()| out.flush())
        .context("cannot write the figures")?;
    Ok(ExitCode::SUCCESS)
}

/// Wall-clock times as the figures print them.
const WALL: &str = crate::insights::WALL_FORMAT;

/// The count in period `n` of a row.
fn at(counts: &[u32], n: usize) -> u32 {
    counts.get(n).copied().unwrap_or(0)
}

fn write_json(out: &mut impl Write, i: &Insights) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Report::new(i))?;
    out.write_all(b"\n")
}

/// Writes one TSV line of already safe cells.
fn line<S: AsRef<str>>(out: &mut impl Write, cells: impl IntoIterator<Item = S>) -> io::Result<()> {
    let mut first = true;
    for c in cells {
        if !first {
            out.write_all(b"\t")?;
        }
        first = false;
        out.write_all(c.as_ref().as_bytes())?;
    }
    out.write_all(b"\n")
}

/// Starts a section: a blank line after the previous one, `# name`, the header.
fn section<S: AsRef<str>>(
    out: &mut impl Write,
    name: &str,
    header: impl IntoIterator<Item = S>,
) -> io::Result<()> {
    if name != "summary" {
        out.write_all(b"\n")?;
    }
    writeln!(out, "# {name}")?;
    line(out, header)
}

fn write_tsv(out: &mut impl Write, i: &Insights, offset: FixedOffset) -> io::Result<()> {
    let cell = |value: &str| super::escape::cell(value).into_owned();
    let t = &i.timeline;
    let n = |x: u32| x.to_string();
    let exact = |x: &Narrow| x.exact.to_string();
    section(
        out,
        "summary",
        [
            "posts",
            "dated",
            "missing_date",
            "invalid_date",
            "problems",
            "no_image",
            "junk_image",
            "by",
            "zone",
            "end",
        ],
    )?;
    let end = i
        .end
        .map(|e| e.format(WALL).to_string())
        .unwrap_or_default();
    line(
        out,
        [
            n(i.posts),
            n(i.dated),
            n(i.undated.missing),
            n(i.undated.invalid),
            n(i.problems.posts),
            n(i.images.none),
            n(i.images.junk_only),
            t.kind.name().into(),
            offset.to_string(),
            end,
        ],
    )?;

    let groups = t.series.iter().map(|s| cell(&s.label));
    let header = ["start".to_owned(), "count".to_owned()].into_iter();
    section(out, "periods", header.chain(groups))?;
    for (k, p) in t.periods.iter().enumerate() {
        let cells = t.series.iter().map(|s| n(at(&s.counts, k)));
        line(
            out,
            [p.start.to_string(), n(p.count)].into_iter().chain(cells),
        )?;
    }

    section(
        out,
        "gaps",
        [
            "feed",
            "kind",
            "last_post",
            "expected_per_period",
            "recent_posts",
            "expected_recent",
            "silent_days",
            "query",
            "exact",
        ],
    )?;
    for g in &i.gaps {
        let f2 = |x: f64| format!("{x:.2}");
        line(
            out,
            [
                cell(&g.feed),
                g.kind.name().into(),
                g.last_post.format(WALL).to_string(),
                f2(g.expected_per_period),
                n(g.recent_posts),
                f2(g.expected_recent),
                f2(g.silent_days),
                cell(&g.narrow.query),
                exact(&g.narrow),
            ],
        )?;
    }

    section(
        out,
        "problems",
        ["kind", "posts", "dated", "query", "exact"],
    )?;
    for k in &i.problems.kinds {
        let q = &k.series.narrow;
        line(
            out,
            [
                kind_name(k.kind).into(),
                n(k.posts),
                n(k.series.total),
                cell(&q.query),
                exact(q),
            ],
        )?;
    }

    let kinds = i
        .problems
        .kinds
        .iter()
        .map(|k| kind_name(k.kind).to_owned());
    let header = ["start".to_owned(), "no_image".to_owned()].into_iter();
    section(out, "problems by period", header.chain(kinds))?;
    for (k, p) in t.periods.iter().enumerate() {
        let cells = i
            .problems
            .kinds
            .iter()
            .map(|kind| n(at(&kind.series.counts, k)));
        line(
            out,
            [p.start.to_string(), n(at(&i.images.series.counts, k))]
                .into_iter()
                .chain(cells),
        )?;
    }

    section(
        out,
        "images",
        ["feed", "posts", "none", "junk_only", "query", "exact"],
    )?;
    for f in &i.images.by_feed {
        line(
            out,
            [
                cell(&f.feed),
                n(f.posts),
                n(f.none),
                n(f.junk_only),
                cell(&f.narrow.query),
                exact(&f.narrow),
            ],
        )?;
    }

    for (name, first, counts) in [
        ("undated", "feed", &i.undated.by_feed),
        ("categories", "name", &i.categories),
        ("tags", "name", &i.tags),
        ("authors", "name", &i.authors),
    ] {
        section(out, name, [first, "posts", "query", "exact"])?;
        for c in counts {
            line(
                out,
                [
                    cell(&c.label),
                    n(c.count),
                    cell(&c.narrow.query),
                    exact(&c.narrow),
                ],
            )?;
        }
    }

    section(
        out,
        "feeds",
        ["feed", "group", "posts", "bytes", "query", "exact"],
    )?;
    for f in &i.feeds {
        line(
            out,
            [
                cell(&f.feed),
                cell(&f.group),
                n(f.posts),
                f.bytes.to_string(),
                cell(&f.narrow.query),
                exact(&f.narrow),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_offset;

    #[test]
    fn offsets() {
        let secs = |s: &str| parse_offset(s).map(|o| o.local_minus_utc());
        assert_eq!(secs("UTC"), Ok(0));
        assert_eq!(secs("+08:00"), Ok(8 * 3600));
        assert_eq!(secs("+0800"), Ok(8 * 3600));
        assert_eq!(secs("-05"), Ok(-5 * 3600));
        assert_eq!(secs("+05:30"), Ok(5 * 3600 + 1800));
        for bad in ["", "8", "+8:00", "+24:00", "+08:60", "east", "+08:00:00"] {
            assert!(parse_offset(bad).is_err(), "{bad}");
        }
    }
}
