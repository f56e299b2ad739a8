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

/// Every counter of one computation, filled by [`Tally::add`].
struct Tally {
    frame: Frame,
    split: Split,
    not_after: Option<i64>,
    posts: u32,
    dated: u32,
    missing: u32,
    invalid: u32,
    with_problems: u32,
    no_image: u32,
    junk_only: u32,
    per_period: Vec<u32>,
    /// Per group or feed (as split), per period.
    split_rows: Vec<Option<Vec<u32>>>,
    /// Per problem kind: all posts, and dated posts per period.
    kind_posts: [u32; PROBLEM_KINDS.len()],
    kind_rows: Vec<Option<Vec<u32>>>,
    no_image_row: Vec<u32>,
    feeds: Vec<FeedTally>,
    categories: Vec<u32>,
    tags: Vec<u32>,
    authors: Vec<u32>,
    /// `(feed, wall seconds)` of every dated post, for the gap rule.
    times: Vec<(u32, i64)>,
    /// The newest dated post not after `not_after`.
    end: Option<i64>,
}

impl Tally {
    fn new(catalog: &Catalog, frame: Frame, options: &Options, not_after: Option<i64>) -> Self {
        let len = frame.len;
        let split_len = match options.split {
            Split::Group => catalog.groups.len(),
            Split::Feed => catalog.feeds.len(),
        };
        Self {
            frame,
            split: options.split,
            not_after,
            posts: 0,
            dated: 0,
            missing: 0,
            invalid: 0,
            with_problems: 0,
            no_image: 0,
            junk_only: 0,
            per_period: vec![0; len],
            split_rows: vec![None; split_len],
            kind_posts: [0; PROBLEM_KINDS.len()],
            kind_rows: vec![None; PROBLEM_KINDS.len()],
            no_image_row: vec![0; len],
            feeds: vec![FeedTally::default(); catalog.feeds.len()],
            categories: vec![0; catalog.categories.len()],
            tags: vec![0; catalog.tags.len()],
            authors: vec![0; catalog.authors.len()],
            times: Vec::new(),
            end: None,
        }
    }

    fn add(&mut self, key: &Key) {
        let len = self.frame.len;
        self.posts += 1;
        let period = match key.date {
            DateState::Dated { wall_secs, day } => {
                self.dated += 1;
                self.times.push((key.feed, wall_secs));
                if self.not_after.is_none_or(|limit| wall_secs <= limit) {
                    self.end = Some(self.end.map_or(wall_secs, |e| e.max(wall_secs)));
                }
                self.frame.index(day)
            }
            DateState::Missing => {
                self.missing += 1;
                None
            }
            DateState::Invalid => {
                self.invalid += 1;
                None
            }
        };
        let (none, junk) = (
            u32::from(key.image == ImageState::None),
            u32::from(key.image == ImageState::JunkOnly),
        );
        self.no_image += none;
        self.junk_only += junk;
        if let Some(f) = self.feeds.get_mut(key.feed as usize) {
            f.posts += 1;
            f.bytes += key.bytes;
            f.undated += u32::from(!matches!(key.date, DateState::Dated { .. }));
            f.no_image += none;
            f.junk_only += junk;
        }
        if key.problems != 0 {
            self.with_problems += 1;
            for (slot, posts) in self.kind_posts.iter_mut().enumerate() {
                if key.problems & (1 << slot) != 0 {
                    *posts += 1;
                    if let Some(i) = period {
                        bump_lazy(&mut self.kind_rows, slot, i, len);
                    }
                }
            }
        }
        for (counts, ids) in [
            (&mut self.categories, &key.categories),
            (&mut self.tags, &key.tags),
            (&mut self.authors, &key.authors),
        ] {
            for &id in ids.iter() {
                bump(counts, id as usize);
            }
        }
        let Some(i) = period else { return };
        bump(&mut self.per_period, i);
        let split_id = match self.split {
            Split::Group => key.group,
            Split::Feed => key.feed,
        };
        bump_lazy(&mut self.split_rows, split_id as usize, i, len);
        if key.image != ImageState::Usable {
            bump(&mut self.no_image_row, i);
        }
    }
}

pub(crate) fn compute(
    catalog: &Catalog,
    narrower: &Narrower<'_>,
    keys: &[&Key],
    options: &Options,
) -> Insights {
    let not_after = options.not_after.map(|t| t.and_utc().timestamp());
    let frame = Frame::of(keys, options.by, not_after);
    let mut tally = Tally::new(catalog, frame, options, not_after);
    for key in keys {
        tally.add(key);
    }
    let timeline = timeline(catalog, narrower, &mut tally);
    let len = tally.frame.len;
    let mut kinds: Vec<ProblemCount> = PROBLEM_KINDS
        .into_iter()
        .zip(tally.kind_posts)
        .zip(std::mem::take(&mut tally.kind_rows))
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
    let end = tally.end;
    let gaps = end.map_or_else(Vec::new, |end| {
        let times = std::mem::take(&mut tally.times);
        find_gaps(catalog, narrower, times, end, timeline.kind.nominal_secs())
    });
    let top_of = |counts: &[u32], names: &Names, narrow: &dyn Fn(u32) -> Narrow| {
        top(counts, names, options.top, narrow)
    };
    Insights {
        posts: tally.posts,
        dated: tally.dated,
        zone: narrower.zone(),
        end: end.and_then(wall),
        undated: Undated {
            missing: tally.missing,
            invalid: tally.invalid,
            by_feed: feed_counts(catalog, narrower, &tally.feeds, |f| f.undated),
        },
        gaps,
        problems: Problems {
            posts: tally.with_problems,
            kinds,
        },
        images: Images {
            none: tally.no_image,
            junk_only: tally.junk_only,
            series: series_of(
                "no_image",
                std::mem::take(&mut tally.no_image_row),
                Narrow::none(),
            ),
            by_feed: feed_images(catalog, narrower, &tally.feeds),
        },
        categories: top_of(&tally.categories, &catalog.categories, &|id| {
            narrower.category(id)
        }),
        tags: top_of(&tally.tags, &catalog.tags, &|id| narrower.tag(id)),
        authors: top_of(&tally.authors, &catalog.authors, &|id| narrower.author(id)),
        feeds: feed_sizes(catalog, narrower, &tally.feeds),
        timeline,
    }
}

/// The periods and the series of the split, the most posts first.
fn timeline(catalog: &Catalog, narrower: &Narrower<'_>, tally: &mut Tally) -> Timeline {
    let frame = &tally.frame;
    let periods: Vec<Period> = (0..frame.len)
        .filter_map(|i| {
            let slot = frame.first_slot + i as i64;
            let start = frame.kind.start(slot)?;
            let end = frame.kind.start(slot + 1)?;
            Some(Period {
                start,
                end,
                count: tally.per_period.get(i).copied().unwrap_or(0),
                narrow: narrower.period(frame.kind, start, end),
            })
        })
        .collect();
    let split = tally.split;
    let rows = std::mem::take(&mut tally.split_rows);
    let mut series: Vec<Series> = rows
        .into_iter()
        .enumerate()
        .filter_map(|(id, row)| {
            let id = u32::try_from(id).ok()?;
            let (label, narrow) = match split {
                Split::Group => (group_label(catalog, id), narrower.group(id)),
                Split::Feed => (feed_label(catalog, id), narrower.feed(id)),
            };
            Some(series(label, row?, narrow))
        })
        .collect();
    series.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.label.cmp(&b.label)));
    Timeline {
        kind: frame.kind,
        periods,
        series,
    }
}

/// The feeds with posts, with their tallies and ids.
fn used_feeds(feeds: &[FeedTally]) -> impl Iterator<Item = (u32, &FeedTally)> {
    feeds
        .iter()
        .enumerate()
        .filter(|(_, f)| f.posts > 0)
        .filter_map(|(id, f)| Some((u32::try_from(id).ok()?, f)))
}

fn feed_counts(
    catalog: &Catalog,
    narrower: &Narrower<'_>,
    feeds: &[FeedTally],
    pick: impl Fn(&FeedTally) -> u32,
) -> Vec<Count> {
    let mut rows: Vec<Count> = used_feeds(feeds)
        .filter(|(_, f)| pick(f) > 0)
        .map(|(id, f)| Count {
            label: feed_label(catalog, id),
            count: pick(f),
            narrow: narrower.feed(id),
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    rows
}

fn feed_images(catalog: &Catalog, narrower: &Narrower<'_>, feeds: &[FeedTally]) -> Vec<FeedImages> {
    let mut rows: Vec<FeedImages> = used_feeds(feeds)
        .filter(|(_, f)| f.no_image + f.junk_only > 0)
        .map(|(id, f)| FeedImages {
            feed: feed_label(catalog, id),
            posts: f.posts,
            none: f.no_image,
            junk_only: f.junk_only,
            narrow: narrower.feed(id),
        })
        .collect();
    let without = |f: &FeedImages| f.none + f.junk_only;
    rows.sort_by(|a, b| {
        without(b)
            .cmp(&without(a))
            .then_with(|| a.feed.cmp(&b.feed))
    });
    rows
}

fn feed_sizes(catalog: &Catalog, narrower: &Narrower<'_>, feeds: &[FeedTally]) -> Vec<FeedSize> {
    let mut rows: Vec<FeedSize> = used_feeds(feeds)
        .map(|(id, f)| FeedSize {
            feed: feed_label(catalog, id),
            group: catalog
                .feed_group(id)
                .map(|g| group_label(catalog, g))
                .unwrap_or_default(),
            posts: f.posts,
            bytes: f.bytes,
            narrow: narrower.feed(id),
        })
        .collect();
    rows.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.feed.cmp(&b.feed)));
    rows
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

/// The `n` names with the most posts, then by name.
fn top(counts: &[u32], names: &Names, n: usize, narrow: &dyn Fn(u32) -> Narrow) -> Vec<Count> {
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
