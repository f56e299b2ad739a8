//! The figures, as a UI draws them: periods and series for charts, counts for bars and
//! tables, each with the [`Narrow`] that puts its posts in the list.

use chrono::{NaiveDate, NaiveDateTime};

use super::gaps::GapKind;
use super::keys::DateZone;
use super::narrow::Narrow;
use super::period::PeriodKind;
use crate::archive::ProblemKind;

/// Every figure over one selection of posts.
#[derive(Clone, Debug, PartialEq)]
pub struct Insights {
    /// Posts in the selection.
    pub posts: u32,
    /// Posts with a parseable date: each is counted in exactly one period.
    pub dated: u32,
    /// How zoned dates were placed in periods.
    pub zone: DateZone,
    /// The selection's end, which gaps are measured to (see [`super::gaps`]).
    pub end: Option<NaiveDateTime>,
    pub timeline: Timeline,
    pub undated: Undated,
    /// Feeds that stopped or dropped, the largest shortfall first.
    pub gaps: Vec<Gap>,
    pub problems: Problems,
    pub images: Images,
    /// The most used category names (at any level), tags and authors, most posts first.
    pub categories: Vec<Count>,
    pub tags: Vec<Count>,
    pub authors: Vec<Count>,
    /// Every feed with posts in the selection, the most bytes first.
    pub feeds: Vec<FeedSize>,
}

/// Posts over time.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The periods' length: as asked, chosen from the range, or coarsened to fit.
    pub kind: PeriodKind,
    /// Every period from the first dated post's to the last one's, empty ones included.
    pub periods: Vec<Period>,
    /// The posts of each period split by group or feed (as asked), the most posts
    /// first; each series' counts line up with `periods`.
    pub series: Vec<Series>,
}

/// One period of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Period {
    /// First day of the period.
    pub start: NaiveDate,
    /// The day after the period's last day.
    pub end: NaiveDate,
    /// Dated posts in the period.
    pub count: u32,
    pub narrow: Narrow,
}

/// A named row of counts, one per period: a group's or feed's posts, or posts with one
/// kind of problem. A cell's posts are `series.narrow.and(&period.narrow)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub counts: Vec<u32>,
    /// The sum of `counts`.
    pub total: u32,
    pub narrow: Narrow,
}

/// A label with a number of posts.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    pub label: String,
    pub count: u32,
    pub narrow: Narrow,
}

/// Posts without a parseable date: in no period.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Undated {
    /// No `date` key.
    pub missing: u32,
    /// A `date` that is not a date (`Invalid Date`).
    pub invalid: u32,
    /// Undated posts per feed, the most first.
    pub by_feed: Vec<Count>,
}

/// A feed that stopped or fell sharply (the rule is in [`super::gaps`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    pub feed: String,
    pub kind: GapKind,
    /// Its newest dated post, in wall-clock time.
    pub last_post: NaiveDateTime,
    /// Its pace, in posts per timeline period.
    pub expected_per_period: f64,
    /// Posts in the silence (0) or in the recent window.
    pub recent_posts: u32,
    /// Posts its pace predicts for the silence or the recent window.
    pub expected_recent: f64,
    /// Days from its last post to the selection's end.
    pub silent_days: f64,
    pub narrow: Narrow,
}

/// Problems over time.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Problems {
    /// Posts with at least one problem.
    pub posts: u32,
    /// One entry per kind that occurs, the most posts first.
    pub kinds: Vec<ProblemCount>,
}

/// Posts with one kind of problem.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemCount {
    pub kind: ProblemKind,
    /// All posts with this kind, undated ones included.
    pub posts: u32,
    /// Dated posts with this kind per period (label: the kind's name, as in JSON).
    pub series: Series,
}

/// Posts without an image the list can show.
#[derive(Clone, Debug, PartialEq)]
pub struct Images {
    /// Posts with no image key.
    pub none: u32,
    /// Posts whose every image is junk (QR-code promo, placeholder, unloadable).
    pub junk_only: u32,
    /// Dated posts without a usable image per period.
    pub series: Series,
    /// Feeds with posts without a usable image, the most first.
    pub by_feed: Vec<FeedImages>,
}

/// One feed's posts without a usable image.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedImages {
    pub feed: String,
    /// All of the feed's posts in the selection.
    pub posts: u32,
    pub none: u32,
    pub junk_only: u32,
    pub narrow: Narrow,
}

/// One feed's size.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedSize {
    pub feed: String,
    /// Its group's label.
    pub group: String,
    pub posts: u32,
    /// File sizes added up.
    pub bytes: u64,
    pub narrow: Narrow,
}

/// The label of a group for posts without categories.
pub const UNCATEGORIZED: &str = "(no category)";

/// The name of a problem kind as JSON writes it (`bad_date`).
pub fn kind_name(kind: ProblemKind) -> &'static str {
    match kind {
        ProblemKind::Unreadable => "unreadable",
        ProblemKind::Empty => "empty",
        ProblemKind::Binary => "binary",
        ProblemKind::TooLarge => "too_large",
        ProblemKind::NotAFile => "not_a_file",
        ProblemKind::OutsideArchive => "outside_archive",
        ProblemKind::TooComplex => "too_complex",
        ProblemKind::UncertainEncoding => "uncertain_encoding",
        ProblemKind::InvalidBytes => "invalid_bytes",
        ProblemKind::NoFrontMatter => "no_front_matter",
        ProblemKind::Unterminated => "unterminated",
        ProblemKind::Syntax => "syntax",
        ProblemKind::NotAMapping => "not_a_mapping",
        ProblemKind::BadDate => "bad_date",
        ProblemKind::MissingTitle => "missing_title",
        ProblemKind::BadValue => "bad_value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_the_serialized_names() {
        for kind in super::super::keys::PROBLEM_KINDS {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json.as_str(), Some(kind_name(kind)));
        }
    }
}
