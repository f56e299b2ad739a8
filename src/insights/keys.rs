//! What the insights keep per article, computed once: its wall-clock date, group and
//! feed, problem kinds, image state, size and interned names.
//!
//! Building these keys is the only per-article string work; a figure over 100,000 posts
//! then only reads integers.

use std::collections::HashMap;

use chrono::{FixedOffset, Local, NaiveDateTime, Offset, Utc};

use super::names::{Names, clean_values};
use super::period::DayKey;
use crate::archive::{Article, DateValue, ProblemKind};

/// How zoned dates become the wall-clock dates that periods count.
///
/// Floating dates (no zone, `2021-12-20 14:08:19`) and bare days (`2018-03-01 +0800`)
/// are always taken as written: they name a wall-clock time or a day, and shifting them
/// would invent an hour nobody wrote. This is the rule the list uses to show dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateZone {
    /// Zoned dates with a time of day in the machine's local zone, as the list shows
    /// them and as `year:` counts them: what the window uses, so that a period agrees
    /// with the dates beside it.
    Local,
    /// Zoned dates with a time of day at this offset: the same figures on every machine,
    /// what the command line uses (UTC unless told otherwise).
    Fixed(FixedOffset),
}

impl DateZone {
    /// UTC.
    pub fn utc() -> Self {
        Self::Fixed(Utc.fix())
    }
}

/// The wall-clock date and time `date` counts at in `zone`, `None` when unparseable.
pub fn wall_time(date: &DateValue, zone: DateZone) -> Option<NaiveDateTime> {
    let parsed = date.parsed?;
    // The list's rule (`index::local_date_label`): only zoned dates with a time shift.
    let shifts = date.has_zone && date.raw.contains(':');
    Some(match (shifts, zone) {
        (false, _) => parsed.naive_local(),
        (true, DateZone::Local) => parsed.with_timezone(&Local).naive_local(),
        (true, DateZone::Fixed(offset)) => parsed.with_timezone(&offset).naive_local(),
    })
}

/// Every problem kind, in the order figures list them.
pub const PROBLEM_KINDS: [ProblemKind; 16] = [
    ProblemKind::Unreadable,
    ProblemKind::Empty,
    ProblemKind::Binary,
    ProblemKind::TooLarge,
    ProblemKind::NotAFile,
    ProblemKind::OutsideArchive,
    ProblemKind::TooComplex,
    ProblemKind::UncertainEncoding,
    ProblemKind::InvalidBytes,
    ProblemKind::NoFrontMatter,
    ProblemKind::Unterminated,
    ProblemKind::Syntax,
    ProblemKind::NotAMapping,
    ProblemKind::BadDate,
    ProblemKind::MissingTitle,
    ProblemKind::BadValue,
];

/// The position of `kind` in [`PROBLEM_KINDS`]. Exhaustive, so a new kind fails to
/// compile until it has a place.
pub(crate) fn kind_slot(kind: ProblemKind) -> usize {
    match kind {
        ProblemKind::Unreadable => 0,
        ProblemKind::Empty => 1,
        ProblemKind::Binary => 2,
        ProblemKind::TooLarge => 3,
        ProblemKind::NotAFile => 4,
        ProblemKind::OutsideArchive => 5,
        ProblemKind::TooComplex => 6,
        ProblemKind::UncertainEncoding => 7,
        ProblemKind::InvalidBytes => 8,
        ProblemKind::NoFrontMatter => 9,
        ProblemKind::Unterminated => 10,
        ProblemKind::Syntax => 11,
        ProblemKind::NotAMapping => 12,
        ProblemKind::BadDate => 13,
        ProblemKind::MissingTitle => 14,
        ProblemKind::BadValue => 15,
    }
}

/// Why a post has no period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateState {
    Dated {
        wall_secs: i64,
        day: DayKey,
    },
    /// No `date` key (or no front matter at all).
    Missing,
    /// A `date` that is not a date (`Invalid Date`, `None`, `2021-13-45`).
    Invalid,
}

/// Whether a post has an image the list can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImageState {
    Usable,
    /// No image key at all (or only blank ones).
    None,
    /// Image keys, but every one is junk: a QR-code promo, a placeholder, unloadable.
    JunkOnly,
}

/// One article's keys.
#[derive(Debug)]
pub(crate) struct Key {
    pub(crate) date: DateState,
    pub(crate) group: u32,
    pub(crate) feed: u32,
    /// One bit per [`kind_slot`].
    pub(crate) problems: u16,
    pub(crate) image: ImageState,
    pub(crate) bytes: u64,
    pub(crate) categories: Box<[u32]>,
    pub(crate) tags: Box<[u32]>,
    pub(crate) authors: Box<[u32]>,
}

/// A top-level category, or the group of posts without categories.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum GroupName {
    Category(String),
    Uncategorized,
}

/// Where a feed's posts are: a category path of one to three levels, or a folder for
/// posts without categories.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum FeedName {
    Categories(Vec<String>),
    /// The folder relative to the archive root, `/`-separated, `.` for the root.
    Folder(String),
}

impl FeedName {
    /// The feed's label: category names joined with `/`, or the folder.
    pub(crate) fn label(&self) -> String {
        match self {
            Self::Categories(path) => path.join("/"),
            Self::Folder(folder) => folder.clone(),
        }
    }
}

/// Everything the keys point into: groups, feeds and names.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub(crate) groups: Vec<GroupName>,
    group_ids: HashMap<GroupName, u32>,
    pub(crate) feeds: Vec<(FeedName, u32)>,
    feed_ids: HashMap<FeedName, u32>,
    pub(crate) categories: Names,
    pub(crate) tags: Names,
    pub(crate) authors: Names,
    /// Every distinct whole category path, as written and lowercased, to tell whether a
    /// `cat:` query picks out exactly one group or feed.
    pub(crate) paths: Vec<(Vec<String>, Vec<String>)>,
    path_ids: HashMap<Vec<String>, u32>,
}

/// How many category levels make a feed: group / site / feed.
pub const FEED_DEPTH: usize = 3;

impl Catalog {
    pub(crate) fn key(&mut self, article: &Article, zone: DateZone) -> Key {
        let front = &article.front;
        let date = match &front.date {
            None => DateState::Missing,
            Some(value) => match wall_time(value, zone) {
                Some(wall) => DateState::Dated {
                    wall_secs: wall.and_utc().timestamp(),
                    day: DayKey::of(wall.date()),
                },
                None => DateState::Invalid,
            },
        };
        let categories = clean_values(&front.categories, false);
        let (group, feed) = match categories.first() {
            Some(top) => (
                GroupName::Category(top.clone()),
                FeedName::Categories(categories.iter().take(FEED_DEPTH).cloned().collect()),
            ),
            None => {
                let folder = article.folder();
                let folder = if folder.is_empty() {
                    ".".into()
                } else {
                    folder
                };
                (GroupName::Uncategorized, FeedName::Folder(folder))
            }
        };
        self.note_path(&categories);
        let group = self.group_id(group);
        let feed = self.feed_id(feed, group);
        let problems = article
            .problems
            .iter()
            .fold(0u16, |bits, p| bits | 1 << kind_slot(p.kind));
        let image = if crate::thumbs::best_image(front, &article.folder(), None).is_some() {
            ImageState::Usable
        } else if front.image_candidates().any(|c| !c.trim().is_empty()) {
            ImageState::JunkOnly
        } else {
            ImageState::None
        };
        let mut category_ids: Vec<u32> = categories
            .iter()
            .map(|c| self.categories.intern(c))
            .collect();
        category_ids.sort_unstable();
        category_ids.dedup(); // a name counts once per post, at whatever level
        Key {
            date,
            group,
            feed,
            problems,
            image,
            bytes: article.size,
            categories: category_ids.into(),
            tags: intern_all(&mut self.tags, &clean_values(&front.tags, true)),
            authors: intern_all(&mut self.authors, &clean_values(&front.authors, true)),
        }
    }

    fn group_id(&mut self, group: GroupName) -> u32 {
        if let Some(&id) = self.group_ids.get(&group) {
            return id;
        }
        let id = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        self.groups.push(group.clone());
        self.group_ids.insert(group, id);
        id
    }

    fn feed_id(&mut self, feed: FeedName, group: u32) -> u32 {
        if let Some(&id) = self.feed_ids.get(&feed) {
            return id;
        }
        let id = u32::try_from(self.feeds.len()).unwrap_or(u32::MAX);
        self.feeds.push((feed.clone(), group));
        self.feed_ids.insert(feed, id);
        id
    }

    fn note_path(&mut self, categories: &[String]) {
        if !self.path_ids.contains_key(categories) {
            let id = u32::try_from(self.paths.len()).unwrap_or(u32::MAX);
            let lower = categories.iter().map(|c| c.to_lowercase()).collect();
            self.paths.push((categories.to_vec(), lower));
            self.path_ids.insert(categories.to_vec(), id);
        }
    }

    pub(crate) fn group(&self, id: u32) -> Option<&GroupName> {
        self.groups.get(id as usize)
    }

    pub(crate) fn feed(&self, id: u32) -> Option<&FeedName> {
        self.feeds.get(id as usize).map(|(feed, _)| feed)
    }

    pub(crate) fn feed_group(&self, id: u32) -> Option<u32> {
        self.feeds.get(id as usize).map(|(_, group)| *group)
    }
}

fn intern_all(names: &mut Names, values: &[String]) -> Box<[u32]> {
    values.iter().map(|v| names.intern(v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(raw: &str, zone: DateZone) -> String {
        wall_time(&DateValue::parse(raw), zone).unwrap().to_string()
    }

    #[test]
    fn kinds_and_slots_agree() {
        for (i, kind) in PROBLEM_KINDS.into_iter().enumerate() {
            assert_eq!(kind_slot(kind), i);
        }
    }

    #[test]
    fn floating_dates_and_bare_days_are_never_shifted() {
        let plus8 = DateZone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap());
        for zone in [DateZone::utc(), plus8, DateZone::Local] {
            assert_eq!(wall("2021-12-31 23:30:00", zone), "2021-12-31 23:30:00");
            assert_eq!(wall("2018-03-01 +0800", zone), "2018-03-01 00:00:00");
            assert_eq!(wall("2018-03-01", zone), "2018-03-01 00:00:00");
        }
        assert_eq!(
            wall("Fri, 31 Dec 2021 20:00:00 GMT", DateZone::utc()),
            "2021-12-31 20:00:00"
        );
        assert_eq!(
            wall("Fri, 31 Dec 2021 20:00:00 GMT", plus8),
            "2022-01-01 04:00:00"
        );
        assert_eq!(
            wall("2022-01-01T04:00:00+08:00", DateZone::utc()),
            "2021-12-31 20:00:00"
        );
        assert_eq!(wall_time(&DateValue::parse("Invalid Date"), plus8), None);
    }
}
