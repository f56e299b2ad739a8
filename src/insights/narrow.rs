//! The search text that narrows the list to a figure's posts (a bar, a series, a row).
//!
//! A figure's posts are a subset of the current result, so its [`Narrow`] is ANDed with
//! the search that made the result. The text is in the app's search syntax (see
//! [`crate::index`]) and is the closest that syntax allows; [`Narrow::exact`] says
//! whether it picks out exactly the figure's posts. Today it can be exact for groups,
//! feeds, category names, tags and authors, when no other name in the archive contains
//! the name (`cat:` and `tag:` match substrings); it cannot be for a day, week or month
//! (only `year:` exists), a problem kind (only `is:problem`), posts without a date or
//! without an image, or posts without categories. Those are the places to change when
//! the syntax learns a date range, a category path or those `is:` words.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{Datelike, NaiveDate};

use super::keys::{Catalog, DateZone, FEED_DEPTH, FeedName, GroupName};
use super::names::Names;
use super::period::PeriodKind;

/// How a UI narrows the list to a figure's posts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrow {
    /// Search text in the app's syntax, to AND with the search of the current result.
    /// Empty when the syntax has no term for these posts.
    pub query: String,
    /// True when `query` picks out exactly this figure's posts of the current result;
    /// false when it picks out more (the closest the syntax allows) or is empty.
    pub exact: bool,
}

impl Narrow {
    /// The posts of both: the texts joined, exact when both are.
    pub fn and(&self, other: &Self) -> Self {
        let query = match (self.query.is_empty(), other.query.is_empty()) {
            (true, _) => other.query.clone(),
            (_, true) => self.query.clone(),
            _ => format!("{} {}", self.query, other.query),
        };
        Self {
            query,
            exact: self.exact && other.exact,
        }
    }

    /// The search that narrows a result made by `search` to this figure's posts:
    /// `search` with this narrow's terms appended, leaving out those it already has.
    /// Its `year:` terms are left out too when `search` already has one: years are
    /// ORed, so a second one would widen the result, and the figure's posts are in the
    /// years `search` picks out anyway.
    pub fn applied_to(&self, search: &str) -> String {
        use crate::index::{Term, parse_search, parse_spanned};
        let have = parse_search(search);
        let is_year = |t: &Term| matches!(t, Term::Year { negated: false, .. });
        let has_year = have.iter().any(is_year);
        let mut out = search.trim().to_owned();
        for (span, term) in parse_spanned(&self.query) {
            if have.contains(&term) || (has_year && is_year(&term)) {
                continue;
            }
            if let Some(text) = self.query.get(span) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(text);
            }
        }
        out
    }

    /// No term narrows to these posts.
    pub(crate) fn none() -> Self {
        Self::default()
    }
}

/// `field:value` in the syntax: bare when it is one word (not starting with `"`), quoted
/// when it has spaces. A value with both a space and a `"` cannot be written: its pieces
/// are searched one by one, and the second value is false.
pub(crate) fn field_terms(field: &str, value: &str) -> (String, bool) {
    let spaced = value.contains(char::is_whitespace);
    if value.is_empty() {
        (String::new(), false)
    } else if !spaced && !value.starts_with('"') {
        (format!("{field}:{value}"), true)
    } else if !value.contains('"') {
        (format!("{field}:\"{value}\""), true)
    } else {
        let pieces: Vec<String> = value
            .split(|c: char| c.is_whitespace() || c == '"')
            .filter(|p| !p.is_empty())
            .map(|p| format!("{field}:{p}"))
            .collect();
        (pieces.join(" "), false)
    }
}

/// What an exactness answer was about, for the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Subject {
    Group(u32),
    Feed(u32),
    Category(u32),
    Tag(u32),
    Author(u32),
}

/// Exactness answers, valid while the catalog has the same numbers of names and paths
/// (they only change when new ones arrive).
#[derive(Debug, Default)]
pub(crate) struct ExactCache {
    sizes: [usize; 4],
    answers: HashMap<Subject, bool>,
}

/// Builds narrows for one figure computation.
pub(crate) struct Narrower<'a> {
    catalog: &'a Catalog,
    cache: &'a Mutex<ExactCache>,
    zone: DateZone,
}

impl<'a> Narrower<'a> {
    pub(crate) fn new(catalog: &'a Catalog, cache: &'a Mutex<ExactCache>, zone: DateZone) -> Self {
        let narrower = Self {
            catalog,
            cache,
            zone,
        };
        let sizes = narrower.sizes();
        let mut cache = narrower.lock();
        if cache.sizes != sizes {
            cache.sizes = sizes;
            cache.answers.clear();
        }
        drop(cache);
        narrower
    }

    /// The zone the figures place dates in.
    pub(crate) fn zone(&self) -> DateZone {
        self.zone
    }

    fn sizes(&self) -> [usize; 4] {
        let c = self.catalog;
        [
            c.paths.len(),
            c.categories.len(),
            c.tags.len(),
            c.authors.len(),
        ]
    }

    fn lock(&self) -> std::sync::MutexGuard<'a, ExactCache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn exact(&self, subject: Subject, compute: impl FnOnce() -> bool) -> bool {
        if let Some(&known) = self.lock().answers.get(&subject) {
            return known;
        }
        let answer = compute();
        self.lock().answers.insert(subject, answer);
        answer
    }

    /// A top-level category (`cat:金融`); nothing for posts without categories.
    pub(crate) fn group(&self, id: u32) -> Narrow {
        let Some(GroupName::Category(name)) = self.catalog.group(id) else {
            return Narrow::none();
        };
        let (query, writable) = field_terms("cat", name);
        let exact = writable
            && self.exact(Subject::Group(id), || {
                let needle = name.to_lowercase();
                self.catalog.paths.iter().all(|(path, lower)| {
                    let matches = lower.iter().any(|c| c.contains(&needle));
                    !matches || path.first() == Some(name)
                })
            });
        Narrow { query, exact }
    }

    /// A feed: one `cat:` term per level, or `path:` for a folder.
    pub(crate) fn feed(&self, id: u32) -> Narrow {
        match self.catalog.feed(id) {
            Some(FeedName::Categories(levels)) => {
                let terms: Vec<(String, bool)> =
                    levels.iter().map(|l| field_terms("cat", l)).collect();
                let writable = terms.iter().all(|(_, w)| *w);
                let query = terms
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect::<Vec<_>>()
                    .join(" ");
                let exact = writable
                    && self.exact(Subject::Feed(id), || {
                        let needles: Vec<String> =
                            levels.iter().map(|l| l.to_lowercase()).collect();
                        self.catalog.paths.iter().all(|(path, lower)| {
                            let matches = needles
                                .iter()
                                .all(|n| lower.iter().any(|c| c.contains(n.as_str())));
                            let belongs = path.iter().take(FEED_DEPTH).eq(levels.iter());
                            !matches || belongs
                        })
                    });
                Narrow { query, exact }
            }
            // A folder's posts include those with categories and those in subfolders.
            Some(FeedName::Folder(folder)) if folder != "." => Narrow {
                query: field_terms("path", &format!("{folder}/")).0,
                exact: false,
            },
            _ => Narrow::none(),
        }
    }

    pub(crate) fn category(&self, id: u32) -> Narrow {
        self.name(&self.catalog.categories, "cat", id, Subject::Category(id))
    }

    pub(crate) fn tag(&self, id: u32) -> Narrow {
        self.name(&self.catalog.tags, "tag", id, Subject::Tag(id))
    }

    pub(crate) fn author(&self, id: u32) -> Narrow {
        self.name(&self.catalog.authors, "author", id, Subject::Author(id))
    }

    fn name(&self, names: &Names, field: &str, id: u32, subject: Subject) -> Narrow {
        let (query, writable) = field_terms(field, names.name(id));
        let exact = writable && self.exact(subject, || names.is_unambiguous(id));
        Narrow { query, exact }
    }

    /// The days `start..end`: only whole years can be said (`year:2022`), and only the
    /// list's zone counts years as these figures do.
    pub(crate) fn period(&self, kind: PeriodKind, start: NaiveDate, end: NaiveDate) -> Narrow {
        let last = end.pred_opt().unwrap_or(start);
        let query = (start.year()..=last.year())
            .map(|y| format!("year:{y}"))
            .collect::<Vec<_>>()
            .join(" ");
        Narrow {
            query,
            exact: kind == PeriodKind::Year && self.zone == DateZone::Local,
        }
    }

    /// Posts with one kind of problem: only "any problem" can be said.
    pub(crate) fn problem(&self) -> Narrow {
        Narrow {
            query: "is:problem".into(),
            exact: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_so_the_parser_reads_them_back() {
        for (value, expected) in [
            ("金融", "cat:金融"),
            ("Paul Graham 博客", "cat:\"Paul Graham 博客\""),
            ("新浪财经－国內", "cat:新浪财经－国內"),
            ("a\"b", "cat:a\"b"),
        ] {
            let (query, exact) = field_terms("cat", value);
            assert_eq!(query, expected);
            assert!(exact);
            let terms = crate::index::parse_search(&query);
            assert_eq!(
                terms,
                [crate::index::Term::Text {
                    scope: crate::index::Scope::Only(crate::index::FieldName::Category),
                    needle: value.to_lowercase(),
                    negated: false,
                }]
            );
        }
        assert_eq!(
            field_terms("tag", "say \"hi\" now"),
            ("tag:say tag:hi tag:now".into(), false)
        );
    }

    #[test]
    fn applied_to_a_search_adds_only_what_it_lacks() {
        let narrow = |query: &str| Narrow {
            query: query.into(),
            exact: false,
        };
        let feed = narrow("cat:金融 cat:新浪财经 cat:\"A B\"");
        assert_eq!(feed.applied_to(""), "cat:金融 cat:新浪财经 cat:\"A B\"");
        assert_eq!(
            feed.applied_to(" 央行 CAT:金融 "),
            "央行 CAT:金融 cat:新浪财经 cat:\"A B\""
        );
        assert_eq!(feed.applied_to(&feed.query), feed.query);
        let month = narrow("cat:金融 year:2021 year:2022");
        assert_eq!(
            month.applied_to("央行"),
            "央行 cat:金融 year:2021 year:2022"
        );
        // A second year would widen a search that already names one.
        assert_eq!(month.applied_to("year:2021"), "year:2021 cat:金融");
        assert_eq!(
            month.applied_to("-year:2020"),
            "-year:2020 cat:金融 year:2021 year:2022"
        );
        assert_eq!(narrow("").applied_to("央行"), "央行");
        // What it gives narrows the list as both did.
        let joined = month.applied_to("央行");
        let mut both = crate::index::parse_search("央行");
        both.extend(crate::index::parse_search(&month.query));
        assert_eq!(crate::index::parse_search(&joined), both);
    }

    #[test]
    fn and_joins_texts() {
        let a = Narrow {
            query: "cat:a".into(),
            exact: true,
        };
        let b = Narrow {
            query: "year:2021".into(),
            exact: false,
        };
        assert_eq!(
            a.and(&b),
            Narrow {
                query: "cat:a year:2021".into(),
                exact: false
            }
        );
        // `none` cannot narrow: the text stays, but it picks out more than asked.
        assert_eq!(
            a.and(&Narrow::none()),
            Narrow {
                query: "cat:a".into(),
                exact: false
            }
        );
    }
}
