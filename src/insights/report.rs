//! The figures as one serializable document: what `folio stats --format json` prints,
//! and what any other export of the figures should write, so that there is one shape.
//!
//! Keys: `posts`, `dated`, `by` (`day`/`week`/`month`, or `year` when a range is too long),
//! `zone` (the offset zoned dates were placed at, or `local`), `end` (the selection's end
//! that gaps are measured to), `periods` (`start`, `end` exclusive, `count`, `by_group`),
//! `groups`, `undated`, `gaps`, `problems` (`by_kind`, `periods`), `images`, `categories`,
//! `tags`, `authors` and `feeds`. Every clickable row has `query` and `exact` (see
//! [`super::Narrow`]). Wall-clock times are written `YYYY-MM-DD HH:MM:SS` (see
//! [`WALL_FORMAT`]); rates are rounded to two decimals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::figures::{Count, Insights, kind_name};
use super::keys::DateZone;

/// How the figures write a wall-clock time: no zone, since floating dates have none.
pub const WALL_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Two decimals are plenty for a rate, and keep the output stable to read.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A name or feed with its posts and the search that lists them.
#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    count: u32,
    query: &'a str,
    exact: bool,
}

fn rows(counts: &[Count]) -> Vec<Row<'_>> {
    counts
        .iter()
        .map(|c| Row {
            name: &c.label,
            count: c.count,
            query: &c.narrow.query,
            exact: c.narrow.exact,
        })
        .collect()
}

/// The figures as one document, in the order a reader looks for things: `posts`,
/// `dated`, `by`, `zone`, `end`, `periods`, `groups`, `undated`, `gaps`, `problems`,
/// `images`, `categories`, `tags`, `authors`, `feeds`.
#[derive(Serialize)]
pub struct Report<'a> {
    posts: u32,
    dated: u32,
    by: &'static str,
    zone: String,
    end: Option<String>,
    periods: Vec<JsonPeriod<'a>>,
    groups: Vec<Row<'a>>,
    undated: JsonUndated<'a>,
    gaps: Vec<JsonGap<'a>>,
    problems: JsonProblems<'a>,
    images: JsonImages<'a>,
    categories: Vec<Row<'a>>,
    tags: Vec<Row<'a>>,
    authors: Vec<Row<'a>>,
    feeds: Vec<JsonFeed<'a>>,
}

#[derive(Serialize)]
struct JsonPeriod<'a> {
    start: String,
    end: String,
    count: u32,
    by_group: BTreeMap<&'a str, u32>,
    query: &'a str,
    exact: bool,
}

#[derive(Serialize)]
struct JsonUndated<'a> {
    count: u32,
    missing: u32,
    invalid: u32,
    by_feed: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct JsonGap<'a> {
    feed: &'a str,
    kind: &'static str,
    last_post: String,
    expected_per_period: f64,
    recent_posts: u32,
    expected_recent: f64,
    silent_days: f64,
    query: &'a str,
    exact: bool,
}

#[derive(Serialize)]
struct JsonProblems<'a> {
    posts: u32,
    query: &'static str,
    by_kind: Vec<JsonKind<'a>>,
    periods: Vec<JsonKindPeriod>,
}

#[derive(Serialize)]
struct JsonKind<'a> {
    kind: &'static str,
    posts: u32,
    dated: u32,
    query: &'a str,
    exact: bool,
}

#[derive(Serialize)]
struct JsonKindPeriod {
    start: String,
    by_kind: BTreeMap<&'static str, u32>,
}

#[derive(Serialize)]
struct JsonImages<'a> {
    without: u32,
    none: u32,
    junk_only: u32,
    periods: Vec<JsonImagePeriod>,
    by_feed: Vec<JsonFeedImages<'a>>,
}

#[derive(Serialize)]
struct JsonImagePeriod {
    start: String,
    without: u32,
}

#[derive(Serialize)]
struct JsonFeedImages<'a> {
    feed: &'a str,
    posts: u32,
    none: u32,
    junk_only: u32,
    query: &'a str,
    exact: bool,
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    feed: &'a str,
    group: &'a str,
    posts: u32,
    bytes: u64,
    query: &'a str,
    exact: bool,
}

/// The count in period `n` of a row.
fn at(counts: &[u32], n: usize) -> u32 {
    counts.get(n).copied().unwrap_or(0)
}

impl<'a> Report<'a> {
    pub fn new(i: &'a Insights) -> Self {
        let t = &i.timeline;
        let periods = t.periods.iter().enumerate().map(|(n, p)| JsonPeriod {
            start: p.start.to_string(),
            end: p.end.to_string(),
            count: p.count,
            by_group: t
                .series
                .iter()
                .filter(|s| at(&s.counts, n) > 0)
                .map(|s| (s.label.as_str(), at(&s.counts, n)))
                .collect(),
            query: &p.narrow.query,
            exact: p.narrow.exact,
        });
        let groups = t.series.iter().map(|s| Row {
            name: &s.label,
            count: s.total,
            query: &s.narrow.query,
            exact: s.narrow.exact,
        });
        let gaps = i.gaps.iter().map(|g| JsonGap {
            feed: &g.feed,
            kind: g.kind.name(),
            last_post: g.last_post.format(WALL_FORMAT).to_string(),
            expected_per_period: round2(g.expected_per_period),
            recent_posts: g.recent_posts,
            expected_recent: round2(g.expected_recent),
            silent_days: round2(g.silent_days),
            query: &g.narrow.query,
            exact: g.narrow.exact,
        });
        let kinds = &i.problems.kinds;
        let problems = JsonProblems {
            posts: i.problems.posts,
            query: "is:problem",
            by_kind: kinds
                .iter()
                .map(|k| JsonKind {
                    kind: kind_name(k.kind),
                    posts: k.posts,
                    dated: k.series.total,
                    query: &k.series.narrow.query,
                    exact: k.series.narrow.exact,
                })
                .collect(),
            periods: t
                .periods
                .iter()
                .enumerate()
                .map(|(n, p)| JsonKindPeriod {
                    start: p.start.to_string(),
                    by_kind: kinds
                        .iter()
                        .filter(|k| at(&k.series.counts, n) > 0)
                        .map(|k| (kind_name(k.kind), at(&k.series.counts, n)))
                        .collect(),
                })
                .collect(),
        };
        let images = JsonImages {
            without: i.images.none + i.images.junk_only,
            none: i.images.none,
            junk_only: i.images.junk_only,
            periods: t
                .periods
                .iter()
                .enumerate()
                .map(|(n, p)| JsonImagePeriod {
                    start: p.start.to_string(),
                    without: at(&i.images.series.counts, n),
                })
                .collect(),
            by_feed: i
                .images
                .by_feed
                .iter()
                .map(|f| JsonFeedImages {
                    feed: &f.feed,
                    posts: f.posts,
                    none: f.none,
                    junk_only: f.junk_only,
                    query: &f.narrow.query,
                    exact: f.narrow.exact,
                })
                .collect(),
        };
        let feeds = i.feeds.iter().map(|f| JsonFeed {
            feed: &f.feed,
            group: &f.group,
            posts: f.posts,
            bytes: f.bytes,
            query: &f.narrow.query,
            exact: f.narrow.exact,
        });
        Self {
            posts: i.posts,
            dated: i.dated,
            by: t.kind.name(),
            zone: match i.zone {
                DateZone::Fixed(offset) => offset.to_string(),
                DateZone::Local => "local".to_owned(),
            },
            end: i.end.map(|e| e.format(WALL_FORMAT).to_string()),
            periods: periods.collect(),
            groups: groups.collect(),
            undated: JsonUndated {
                count: i.undated.missing + i.undated.invalid,
                missing: i.undated.missing,
                invalid: i.undated.invalid,
                by_feed: rows(&i.undated.by_feed),
            },
            gaps: gaps.collect(),
            problems,
            images,
            categories: rows(&i.categories),
            tags: rows(&i.tags),
            authors: rows(&i.authors),
            feeds: feeds.collect(),
        }
    }
}
