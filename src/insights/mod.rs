//! Archive insights: figures over a selection of posts, for the window's Insights view
//! and `folio stats`.
//!
//! This module owns the questions a list cannot answer: posts over time, feeds that
//! stopped or fell ([`gaps`]), problems over time, posts without a usable image or a
//! date, the most used names and each feed's size. It is egui-free: a UI draws
//! [`Insights`] as it comes (periods and [`Series`] with labels for charts, [`Count`]s
//! for bars and rows), and every clickable figure carries a [`Narrow`], the search text
//! that puts its posts in the list.
//!
//! # What is counted
//!
//! - **Group**: a post's top-level category (`金融`); posts without categories form one
//!   group, [`UNCATEGORIZED`]. **Feed**: the category path down to the third level
//!   (`金融/新浪财经/新浪财经－国內`, group / site / feed, as the crawler lays out
//!   `source/_posts/<group>/<site>/<feed>/`), shorter when a post has fewer levels; for a
//!   post without categories, its folder relative to the archive root (`.` for the
//!   root). Names are cleaned as the list shows them (entities decoded, trimmed).
//! - **Dates**: the front-matter `date`, placed at a wall-clock time by [`DateZone`]:
//!   floating dates (no zone) and bare days are taken as written and never shifted;
//!   zoned dates with a time are shifted to the machine's local zone for the window
//!   (so periods agree with the list and with `year:`) or to a fixed offset for the
//!   command line (UTC by default, the same on every machine). A missing `date` and an
//!   unparseable one (`Invalid Date`) are counted apart, in [`Undated`]; every other
//!   post is in exactly one period.
//! - **Periods**: days, ISO weeks (from Monday) or calendar months, asked for or chosen
//!   from the selection's range (days up to three months, weeks up to two years, months
//!   beyond); every period from the first dated post's to the last one's is listed,
//!   empty ones included, so that a silence shows.
//! - **Problems**: the kinds of [`crate::archive::Problem`] found while reading, per
//!   period: a site that changed its markup shows as a step in one kind.
//! - **Images**: a post has a usable image when [`crate::thumbs::best_image`] finds one
//!   in its front matter (as the list does, without reading the body); otherwise it has
//!   none at all, or only junk (QR-code promos, placeholders).
//!
//! # Speed
//!
//! [`InsightsIndex`] computes each post's keys once (its wall-clock day, group, feed,
//! problem bits, image state, interned names); [`InsightsIndex::compute`] then makes one
//! pass over the selection with dense counters and one sort for the gap rule, a few
//! milliseconds for 100,000 posts (`examples/bench_insights.rs`).

mod compute;
mod figures;
pub mod gaps;
mod keys;
mod names;
mod narrow;
mod period;
mod report;

use std::sync::Mutex;

use chrono::NaiveDateTime;

use crate::archive::Article;
use crate::index::ArticleId;
use keys::{Catalog, Key};
use narrow::{ExactCache, Narrower};

pub use figures::{
    Count, FeedImages, FeedSize, Gap, Images, Insights, Period, ProblemCount, Problems, Series,
    Timeline, UNCATEGORIZED, Undated, kind_name,
};
pub use gaps::GapKind;
pub use keys::{DateZone, FEED_DEPTH, PROBLEM_KINDS, wall_time};
pub use narrow::Narrow;
pub use period::{MAX_PERIODS, PeriodKind};
pub use report::{Report, WALL_FORMAT};

/// What the timeline's series split posts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Split {
    /// Top-level category.
    #[default]
    Group,
    /// Feed (category path to the third level, or folder).
    Feed,
}

/// Choices for one computation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The periods' length; `None` chooses it from the range.
    pub by: Option<PeriodKind>,
    pub split: Split,
    /// How many categories, tags and authors to list.
    pub top: usize,
    /// Dates after this (wall-clock) still count in periods but do not move the
    /// selection's end that gaps are measured to: pass "now" plus a day, so that a post
    /// dated 2099 does not make every feed look silent.
    pub not_after: Option<NaiveDateTime>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            by: None,
            split: Split::Group,
            top: 20,
            not_after: None,
        }
    }
}

/// Every article's keys, computed once, for figures over any selection of them.
#[derive(Debug)]
pub struct InsightsIndex {
    zone: DateZone,
    catalog: Catalog,
    keys: Vec<Key>,
    exact: Mutex<ExactCache>,
}

impl InsightsIndex {
    /// An empty index placing zoned dates in `zone`.
    pub fn new(zone: DateZone) -> Self {
        Self {
            zone,
            catalog: Catalog::default(),
            keys: Vec::new(),
            exact: Mutex::new(ExactCache::default()),
        }
    }

    /// An index of `articles`, their ids being their positions.
    pub fn build(articles: &[Article], zone: DateZone) -> Self {
        let mut index = Self::new(zone);
        index.keys.reserve(articles.len());
        for article in articles {
            index.push(article);
        }
        index
    }

    /// Adds an article (as scan batches arrive) and returns its id, the next position:
    /// push in the order of the app's `Vec<Article>`, as for [`crate::index::Index`].
    pub fn push(&mut self, article: &Article) -> ArticleId {
        let id = ArticleId::try_from(self.keys.len()).unwrap_or(ArticleId::MAX);
        let key = self.catalog.key(article, self.zone);
        self.keys.push(key);
        id
    }

    /// Replaces an article's keys after an edit; unknown ids are ignored.
    pub fn update(&mut self, id: ArticleId, article: &Article) {
        let key = self.catalog.key(article, self.zone);
        if let Some(slot) = self.keys.get_mut(id as usize) {
            *slot = key;
        }
    }

    /// Number of articles pushed.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The zone dates are placed in.
    pub fn zone(&self) -> DateZone {
        self.zone
    }

    /// Every figure over the articles `ids` (the current result; unknown ids are
    /// skipped, a repeated id counts twice).
    pub fn compute(&self, ids: &[ArticleId], options: &Options) -> Insights {
        let keys: Vec<&Key> = ids
            .iter()
            .filter_map(|&id| self.keys.get(id as usize))
            .collect();
        let narrower = Narrower::new(&self.catalog, &self.exact, self.zone);
        compute::compute(&self.catalog, &narrower, &keys, options)
    }

    /// Every figure over all articles.
    pub fn compute_all(&self, options: &Options) -> Insights {
        let ids: Vec<ArticleId> = (0..self.keys.len())
            .filter_map(|i| ArticleId::try_from(i).ok())
            .collect();
        self.compute(&ids, options)
    }
}

#[cfg(test)]
mod tests;
