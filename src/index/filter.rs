//! A [`Query`] resolved against the index once, then tested against each entry.
//!
//! Resolving first (needles into `memchr` finders, the category path into a trie node,
//! author names into ids) keeps the per-article test to a few substring searches over one
//! short string and some integer compares: this is what makes a keystroke over 100,000
//! posts cheap.

use memchr::memmem::Finder;

use super::Query;
use super::entry::{ERRORS, Entry, GIT_CHANGED, PROBLEMS, change_flag};
use super::query::{Scope, Term, parse};
use super::symbols::{CategoryTrie, Symbols};

struct TextTest {
    scope: Scope,
    finder: Finder<'static>,
    negated: bool,
}

/// The tests of one query, ready to run on entries.
pub(crate) struct Filter {
    texts: Vec<TextTest>,
    /// Years from the text and from the facet panel; each list is ORed inside.
    text_years: Vec<i32>,
    facet_years: Vec<i32>,
    excluded_years: Vec<i32>,
    /// Required trie node (the category path's node), `None` for no restriction.
    category: Option<u32>,
    /// Accepted author ids; `None` for no restriction.
    authors: Option<Vec<u32>>,
    /// Flag masks an entry must have at least one bit of, and must have none of
    /// (`PROBLEMS`, `ERRORS`, the git states).
    required_flags: Vec<u8>,
    forbidden_flags: Vec<u8>,
    /// True when the query can match nothing (an unknown category or author).
    impossible: bool,
}

impl Filter {
    pub(crate) fn new(query: &Query, trie: &CategoryTrie, authors: &Symbols) -> Self {
        let mut filter = Self {
            texts: Vec::new(),
            text_years: Vec::new(),
            facet_years: query.years.clone(),
            excluded_years: Vec::new(),
            category: None,
            authors: None,
            required_flags: Vec::new(),
            forbidden_flags: Vec::new(),
            impossible: false,
        };
        for term in parse(&query.text) {
            match term {
                Term::Text {
                    scope,
                    needle,
                    negated,
                } => filter.texts.push(TextTest {
                    scope,
                    finder: Finder::new(needle.as_bytes()).into_owned(),
                    negated,
                }),
                Term::Year { year, negated } => {
                    if negated {
                        filter.excluded_years.push(year);
                    } else {
                        filter.text_years.push(year);
                    }
                }
                Term::Problem {
                    errors_only,
                    negated,
                } => {
                    let flag = if errors_only { ERRORS } else { PROBLEMS };
                    if negated {
                        filter.forbidden_flags.push(flag);
                    } else {
                        filter.required_flags.push(flag);
                    }
                }
                Term::Changed { state, negated } => {
                    let flag = state.map_or(GIT_CHANGED, change_flag);
                    if negated {
                        filter.forbidden_flags.push(flag);
                    } else {
                        // A deleted post has no entry: `is:deleted` is not a term.
                        filter.required_flags.push(flag);
                    }
                }
            }
        }
        if query.only_problems {
            filter.required_flags.push(PROBLEMS);
        }
        if !query.changes.is_empty() {
            let mask = query
                .changes
                .iter()
                .fold(0, |mask, &state| mask | change_flag(state));
            filter.required_flags.push(mask);
        }
        if !query.category_path.is_empty() {
            filter.category = trie.find(&query.category_path);
            filter.impossible |= filter.category.is_none();
        }
        if !query.authors.is_empty() {
            let ids: Vec<u32> = query
                .authors
                .iter()
                .filter_map(|a| authors.get(a))
                .collect();
            filter.impossible |= ids.is_empty();
            filter.authors = Some(ids);
        }
        // Rarest-first would be better still; longest-first is a cheap proxy for it.
        filter
            .texts
            .sort_by_key(|t| std::cmp::Reverse(t.finder.needle().len()));
        filter
    }

    /// The longest plain word that must appear somewhere: the arena is scanned for it
    /// to find candidates, and only they are tested fully.
    pub(crate) fn required_needle(&self) -> Option<&Finder<'static>> {
        self.texts
            .iter()
            .find(|t| t.scope == Scope::Any && !t.negated)
            .map(|t| &t.finder)
    }

    pub(crate) fn is_impossible(&self) -> bool {
        self.impossible
    }

    /// True when nothing at all is filtered (every live entry matches).
    pub(crate) fn is_empty(&self) -> bool {
        !self.impossible
            && self.texts.is_empty()
            && self.text_years.is_empty()
            && self.facet_years.is_empty()
            && self.excluded_years.is_empty()
            && self.category.is_none()
            && self.authors.is_none()
            && self.required_flags.is_empty()
            && self.forbidden_flags.is_empty()
    }

    /// Whether `entry` passes every test. `text_matched` says the plain words were found in
    /// the article's body (see [`super::Index::query_with_body_hits`]).
    pub(crate) fn matches(
        &self,
        entry: &Entry,
        arena: &str,
        trie: &CategoryTrie,
        text_matched: bool,
    ) -> bool {
        if self.impossible || !entry.is_live() {
            return false;
        }
        if self.required_flags.iter().any(|f| entry.flags & f == 0)
            || self.forbidden_flags.iter().any(|f| entry.flags & f != 0)
        {
            return false;
        }
        if !years_pass(&self.text_years, entry.year)
            || !years_pass(&self.facet_years, entry.year)
            || entry.year.is_some_and(|y| self.excluded_years.contains(&y))
        {
            return false;
        }
        if let Some(node) = self.category
            && !trie.is_within(entry.category, node)
        {
            return false;
        }
        if let Some(ids) = &self.authors
            && !entry.authors.iter().any(|a| ids.contains(a))
        {
            return false;
        }
        self.texts_match(entry, arena, text_matched)
    }

    /// With `body_matched`, the plain words were found in the body: only field filters and
    /// exclusions are still tested on the metadata.
    fn texts_match(&self, entry: &Entry, arena: &str, body_matched: bool) -> bool {
        self.texts.iter().all(|t| {
            if body_matched && t.scope == Scope::Any && !t.negated {
                return true;
            }
            let hay = match t.scope {
                Scope::Any => entry.hay(arena),
                Scope::Only(name) => entry.field(arena, name.field()),
            };
            t.finder.find(hay.as_bytes()).is_some() != t.negated
        })
    }
}

fn years_pass(accepted: &[i32], year: Option<i32>) -> bool {
    accepted.is_empty() || year.is_some_and(|y| accepted.contains(&y))
}
