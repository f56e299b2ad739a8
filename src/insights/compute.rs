//! One pass over the selection's keys that fills every figure.
//!
//! Counting uses dense arrays indexed by period, group, feed and name id, allocated per
//! computation; only the gap rule sorts (the selection's dated posts by feed and time).

use std::cmp::Reverse;

use chrono::{DateTime, NaiveDateTime};

use super::figures::{
    Count, FeedImages, FeedSize, Gap, Images, Insights, Period, ProblemCount, Problems, Series,
    Timeline, UNCATEGORIZED, Undated, kind_name,
};
use super::gaps;
use super::keys::{Catalog, DateState, FeedName, GroupName, ImageState, Key, PROBLEM_KINDS};
use super::names::Names;
use super::narrow::{Narrow, Narrower};
use super::period::{DayKey, PeriodKind};
use super::{Options, Split};

/// The first and last of some days.
#[derive(Default)]
struct Range(Option<(DayKey, DayKey)>);

impl Range {
    fn add(&mut self, d: DayKey) {
        self.0 = Some(match self.0 {
            None => (d, d),
            Some((lo, hi)) => (
                if d.day < lo.day { d } else { lo },
                if d.day > hi.day { d } else { hi },
            ),
        });
    }
}

/// Per-feed totals.
#[derive(Clone, Copy, Default)]
struct FeedTally {
    posts: u32,
    bytes: u64,
    no_image: u32,
    junk_only: u32,
    undated: u32,
}

/// The timeline's frame: its kind and first slot.
struct Frame {
    kind: PeriodKind,
    first_slot: i64,
    len: usize,
}

impl Frame {
    /// The frame holding every dated post. The kind, when not asked for, is chosen from
    /// the dates up to `not_after`, so that one post dated 2099 adds its period but does
    /// not coarsen the whole chart.
    fn of(keys: &[&Key], by: Option<PeriodKind>, not_after: Option<i64>) -> Self {
        let mut all = Range::default();
        let mut plausible = Range::default();
        for key in keys {
            if let DateState::Dated { wall_secs, day } = key.date {
                all.add(day);
                if not_after.is_none_or(|limit| wall_secs <= limit) {
                    plausible.add(day);
                }
            }
        }
        let Some((first, last)) = all.0 else {
            return Self {
                kind: by.unwrap_or(PeriodKind::Day),
                first_slot: 0,
                len: 0,
            };
        };
        let (auto_first, auto_last) = plausible.0.unwrap_or((first, last));
        let kind = by
            .unwrap_or_else(|| PeriodKind::automatic(auto_first, auto_last))
            .fitting(first, last);
        let first_slot = kind.slot(first);
        let len = usize::try_from(kind.slot(last) - first_slot + 1).unwrap_or(0);
        Self {
            kind,
            first_slot,
            len,
        }
    }

    fn index(&self, day: DayKey) -> Option<usize> {
        usize::try_from(self.kind.slot(day) - self.first_slot)
            .ok()
            .filter(|&i| i < self.len)
    }
}

fn bump(row: &mut [u32], i: usize) {
    if let Some(cell) = row.get_mut(i) {
        *cell += 1;
    }
}

/// A row of counts, allocated the first time it is bumped.
fn bump_lazy(rows: &mut [Option<Vec<u32>>], row: usize, i: usize, len: usize) {
    if let Some(slot) = rows.get_mut(row) {
        bump(slot.get_or_insert_with(|| vec![0; len]), i);
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn compute(
    catalog: &Catalog,
    narrower: &Narrower<'_>,
    keys: &[&Key],
    options: &Options,
) -> Insights {
    let not_after = options.not_after.map(|t| t.and_utc().timestamp());
    let frame = Frame::of(keys, options.by, not_after);
    let len = frame.len;
    let split_len = match options.split {
        Split::Group => catalog.groups.len(),
        Split::Feed => catalog.feeds.len(),
    };
    let mut per_period = vec![0u32; len];
    let mut split_rows: Vec<Option<Vec<u32>>> = vec![None; split_len];
    let mut kind_rows: Vec<Option<Vec<u32>>> = vec![None; PROBLEM_KINDS.len()];
    let mut kind_posts = [0u32; PROBLEM_KINDS.len()];
    let mut no_image_row = vec![0u32; len];
    let mut feeds = vec![FeedTally::default(); catalog.feeds.len()];
    let mut counts = NameCounts::new(catalog);
    let (mut dated, mut missing, mut invalid, mut with_problems) = (0u32, 0u32, 0u32, 0u32);
    let (mut none, mut junk_only) = (0u32, 0u32);
    let mut times: Vec<(u32, i64)> = Vec::new();
    let mut end: Option<i64> = None;

    for key in keys {
        let period = match key.date {
            DateState::Dated { wall_secs, day } => {
                dated += 1;
                times.push((key.feed, wall_secs));
                if not_after.is_none_or(|limit| wall_secs <= limit) {
                    end = Some(end.map_or(wall_secs, |e| e.max(wall_secs)));
                }
                frame.index(day)
            }
            DateState::Missing => {
                missing += 1;
                None
            }
            DateState::Invalid => {
                invalid += 1;
                None
            }
        };
        let feed = feeds.get_mut(key.feed as usize);
        if let Some(f) = feed {
            f.posts += 1;
            f.bytes += key.bytes;
            f.undated += u32::from(period.is_none());
            f.no_image += u32::from(key.image == ImageState::None);
            f.junk_only += u32::from(key.image == ImageState::JunkOnly);
        }
        none += u32::from(key.image == ImageState::None);
        junk_only += u32::from(key.image == ImageState::JunkOnly);
        if key.problems != 0 {
            with_problems += 1;
            for (slot, posts) in kind_posts.iter_mut().enumerate() {
                if key.problems & (1 << slot) != 0 {
                    *posts += 1;
                    if let Some(i) = period {
                        bump_lazy(&mut kind_rows, slot, i, len);
                    }
                }
            }
        }
        counts.add(key);
        let Some(i) = period else { continue };
        bump(&mut per_period, i);
        let split_id = match options.split {
            Split::Group => key.group,
            Split::Feed => key.feed,
        };
        bump_lazy(&mut split_rows, split_id as usize, i, len);
        if key.image != ImageState::Usable {
            bump(&mut no_image_row, i);
        }
    }

    let periods: Vec<Period> = (0..len)
        .filter_map(|i| {
            let slot = frame.first_slot + i as i64;
            let start = frame.kind.start(slot)?;
            let end = frame.kind.start(slot + 1)?;
            Some(Period {
                start,
                end,
                count: per_period.get(i).copied().unwrap_or(0),
                narrow: narrower.period(frame.kind, start, end),
            })
        })
        .collect();
    let series = split_rows.into_iter().enumerate().filter_map(|(id, row)| {
        let id = u32::try_from(id).ok()?;
        let (label, narrow) = match options.split {
            Split::Group => (group_label(catalog, id), narrower.group(id)),
            Split::Feed => (feed_label(catalog, id), narrower.feed(id)),
        };
        Some(series(label, row?, narrow))
    });
    let mut series: Vec<Series> = series.collect();
    series.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.label.cmp(&b.label)));

    let mut kinds: Vec<ProblemCount> = PROBLEM_KINDS
        .into_iter()
        .zip(kind_posts)
        .zip(kind_rows)
        .filter(|((_, posts), _)| *posts > 0)
        .map(|((kind, posts), row)| ProblemCount {
            kind,
            posts,
            series: series_of(
                kind_name(kind),
                row.unwrap_or_else(|| vec![0; len]),
                narrower.problem(),
            ),
        })
        .collect();
    kinds.sort_by_key(|k| Reverse(k.posts));

    let feed_rows = |pick: &dyn Fn(&FeedTally) -> u32| -> Vec<Count> {
        let mut rows: Vec<Count> = feeds
            .iter()
            .enumerate()
            .filter(|(_, f)| pick(f) > 0)
            .filter_map(|(id, f)| {
                let id = u32::try_from(id).ok()?;
                Some(Count {
                    label: feed_label(catalog, id),
                    count: pick(f),
                    narrow: narrower.feed(id),
                })
            })
            .collect();
        sort_counts(&mut rows);
        rows
    };
    let undated = Undated {
        missing,
        invalid,
        by_feed: feed_rows(&|f| f.undated),
    };
    let mut image_feeds: Vec<FeedImages> = feeds
        .iter()
        .enumerate()
        .filter(|(_, f)| f.no_image + f.junk_only > 0)
        .filter_map(|(id, f)| {
            let id = u32::try_from(id).ok()?;
            Some(FeedImages {
                feed: feed_label(catalog, id),
                posts: f.posts,
                none: f.no_image,
                junk_only: f.junk_only,
                narrow: narrower.feed(id),
            })
        })
        .collect();
    image_feeds.sort_by(|a, b| {
        (b.none + b.junk_only)
            .cmp(&(a.none + a.junk_only))
            .then_with(|| a.feed.cmp(&b.feed))
    });
    let mut sizes: Vec<FeedSize> = feeds
        .iter()
        .enumerate()
        .filter(|(_, f)| f.posts > 0)
        .filter_map(|(id, f)| {
            let id = u32::try_from(id).ok()?;
            Some(FeedSize {
                feed: feed_label(catalog, id),
                group: catalog
                    .feed_group(id)
                    .map(|g| group_label(catalog, g))
                    .unwrap_or_default(),
                posts: f.posts,
                bytes: f.bytes,
                narrow: narrower.feed(id),
            })
        })
        .collect();
    sizes.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.feed.cmp(&b.feed)));

    let gaps = end.map_or_else(Vec::new, |end| {
        find_gaps(catalog, narrower, times, end, frame.kind.nominal_secs())
    });
    Insights {
        posts: to_u32(keys.len()),
        dated,
        zone: narrower.zone(),
        end: end.and_then(wall),
        timeline: Timeline {
            kind: frame.kind,
            periods,
            series,
        },
        undated,
        gaps,
        problems: Problems {
            posts: with_problems,
            kinds,
        },
        images: Images {
            none,
            junk_only,
            series: series_of("no_image", no_image_row, Narrow::none()),
            by_feed: image_feeds,
        },
        categories: top(&counts.categories, &catalog.categories, options.top, |id| {
            narrower.category(id)
        }),
        tags: top(&counts.tags, &catalog.tags, options.top, |id| {
            narrower.tag(id)
        }),
        authors: top(&counts.authors, &catalog.authors, options.top, |id| {
            narrower.author(id)
        }),
        feeds: sizes,
    }
}

fn series(label: String, counts: Vec<u32>, narrow: Narrow) -> Series {
    let total = counts.iter().sum();
    Series {
        label,
        counts,
        total,
        narrow,
    }
}

fn series_of(label: &str, counts: Vec<u32>, narrow: Narrow) -> Series {
    series(label.to_owned(), counts, narrow)
}

fn sort_counts(rows: &mut [Count]) {
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
}

fn wall(secs: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp(secs, 0).map(|t| t.naive_utc())
}

pub(crate) fn group_label(catalog: &Catalog, id: u32) -> String {
    match catalog.group(id) {
        Some(GroupName::Category(name)) => name.clone(),
        Some(GroupName::Uncategorized) | None => UNCATEGORIZED.to_owned(),
    }
}

pub(crate) fn feed_label(catalog: &Catalog, id: u32) -> String {
    catalog.feed(id).map(FeedName::label).unwrap_or_default()
}

/// Runs the gap rule on every feed of the selection.
fn find_gaps(
    catalog: &Catalog,
    narrower: &Narrower<'_>,
    mut times: Vec<(u32, i64)>,
    end: i64,
    period_secs: f64,
) -> Vec<Gap> {
    times.sort_unstable();
    let mut gaps: Vec<Gap> = times
        .chunk_by(|a, b| a.0 == b.0)
        .filter_map(|chunk| {
            let feed = chunk.first()?.0;
            let secs: Vec<i64> = chunk.iter().map(|&(_, t)| t).collect();
            let verdict = gaps::judge(&secs, end, period_secs)?;
            let last = *secs.last()?;
            Some(Gap {
                feed: feed_label(catalog, feed),
                kind: verdict.kind,
                last_post: wall(last)?,
                expected_per_period: verdict.expected_per_period,
                recent_posts: verdict.recent_posts,
                expected_recent: verdict.expected_recent,
                silent_days: (end - last).max(0) as f64 / 86_400.0,
                narrow: narrower.feed(feed),
            })
        })
        .collect();
    let shortfall = |g: &Gap| g.expected_recent - f64::from(g.recent_posts);
    gaps.sort_by(|a, b| {
        shortfall(b)
            .total_cmp(&shortfall(a))
            .then_with(|| a.feed.cmp(&b.feed))
    });
    gaps
}

/// Posts per category name, tag and author.
struct NameCounts {
    categories: Vec<u32>,
    tags: Vec<u32>,
    authors: Vec<u32>,
}

impl NameCounts {
    fn new(catalog: &Catalog) -> Self {
        Self {
            categories: vec![0; catalog.categories.len()],
            tags: vec![0; catalog.tags.len()],
            authors: vec![0; catalog.authors.len()],
        }
    }

    fn add(&mut self, key: &Key) {
        for (counts, ids) in [
            (&mut self.categories, &key.categories),
            (&mut self.tags, &key.tags),
            (&mut self.authors, &key.authors),
        ] {
            for &id in ids.iter() {
                bump(counts, id as usize);
            }
        }
    }
}

/// The `n` names with the most posts, then by name.
fn top(counts: &[u32], names: &Names, n: usize, narrow: impl Fn(u32) -> Narrow) -> Vec<Count> {
    let mut used: Vec<(u32, u32)> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .filter_map(|(id, &c)| Some((u32::try_from(id).ok()?, c)))
        .collect();
    used.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| names.name(a.0).cmp(names.name(b.0)))
    });
    used.into_iter()
        .take(n)
        .map(|(id, count)| Count {
            label: names.name(id).to_owned(),
            count,
            narrow: narrow(id),
        })
        .collect()
}
