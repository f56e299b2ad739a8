//! In-memory query over many articles: search syntax, filters, sort orders and facets.
//!
//! The app keeps its `Vec<Article>`; the [`Index`] keeps, per article (by position, an
//! [`ArticleId`]), one lowercased search text with entities decoded and the keys it sorts
//! and counts by, computed once when the article is pushed. A query parses the search
//! text, resolves it against the index, then walks a cached sort order and keeps the
//! matching ids, in parallel: no sorting and no allocation per article on a keystroke.
//!
//! # Search syntax
//!
//! - Words are ANDed. Matching is a case-insensitive **substring** match (Chinese has no
//!   spaces between words, so `央行` finds `中国央行宣布`) over the title, authors,
//!   categories, tags and path. Full-width spaces separate words too.
//! - `"quoted phrase"` matches with its spaces; an unclosed quote runs to the end.
//! - `-word` or `-"a phrase"` excludes; any term below can be negated (`-cat:体育`).
//! - `title:`, `author:`, `cat:` / `category:`, `tag:`, `path:` restrict a word or a
//!   phrase to one field (`title:"a b"`). Field names are case-insensitive.
//! - `year:2021` keeps posts whose date (as the list shows it) falls in 2021; several
//!   `year:` terms are ORed; posts without a date never match one.
//! - `is:problem` keeps posts with any problem, `is:error` those with errors.
//! - `is:changed` keeps posts that differ from the last commit of the archive's git
//!   repository, `is:new`, `is:modified`, `is:renamed` those in one state. The index
//!   does not run git: whoever ran the status tells it each post's state
//!   ([`Index::set_change`]); until then no post has one.
//! - Anything else with a colon (`foo:bar`, `year:abc`, `https://…`) is plain text. A term
//!   still being typed (`title:`, a lone `-`, `""`) is ignored. No input makes it panic.
//!
//! The facet panel's selections ([`Query::category_path`], [`Query::authors`],
//! [`Query::years`]) and [`Query::only_problems`] are ANDed with the text; inside each,
//! the chosen values are ORed.
//!
//! Bodies are not in memory: the full-text index ([`crate::fulltext`]) searches them and
//! [`Index::query_with_body_hits`] merges its matches into the metadata query.

mod arena;
mod collate;
mod entry;
mod facets;
mod filter;
mod labels;
mod query;
mod sort;
mod symbols;

use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::archive::Article;
use arena::Arena;
use entry::Entry;
use filter::Filter;
use symbols::{CategoryTrie, Symbols};

pub use collate::title_key;
pub use facets::{CategoryNode, Facets};
pub use labels::{local_date_label, source_label};
pub use query::{
    FieldName, Scope, Term, mentions_changes, notes as search_notes, parse as parse_search,
    parse_spanned,
};

/// An article's position in the app's `Vec<Article>` (and in the index).
pub type ArticleId = u32;

/// What the list shows: search text, facet selections, problem filter and order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Search-box text in the syntax of the [module docs](self).
    pub text: String,
    /// A prefix of the categories list, e.g. `["金融", "新浪财经"]` (names as in
    /// [`Facets::categories`]); empty for all.
    pub category_path: Vec<String>,
    /// Accepted authors (any of them); empty for all.
    pub authors: Vec<String>,
    /// Accepted years (any of them); empty for all.
    pub years: Vec<i32>,
    /// Keep only posts with problems.
    pub only_problems: bool,
    /// Accepted git states (any of them; the facet panel's "Changed"); empty for all.
    pub changes: Vec<crate::git::ChangeState>,
    pub sort: SortKey,
    pub descending: bool,
}

/// The list's sort orders. Ties are broken by path, and missing values sort last.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum SortKey {
    /// Front-matter date.
    #[default]
    Date,
    /// Title (entities decoded): Chinese by pinyin among Latin letters, case ignored,
    /// numbers by value (see `collate.rs`).
    Title,
    /// Category path (or parent folder when none), then title: what the source column shows.
    Source,
    /// File modification time.
    Modified,
    /// Relative path.
    Path,
    /// Best match first in a body search, which the app orders by the full-text rank;
    /// the index itself orders it as [`SortKey::Date`] (posts the search did not rank
    /// follow in that order).
    Relevance,
}

type Order = Arc<Vec<ArticleId>>;

/// A cached sort order and how many ids (`0..covered`) it has seen.
#[derive(Debug)]
struct Cached {
    key: SortKey,
    descending: bool,
    covered: usize,
    order: Order,
}

/// Precomputed search text and keys for every article of an archive.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    /// Every entry's search text, back to back.
    arena: Arena,
    live: usize,
    trie: CategoryTrie,
    authors: Symbols,
    tags: Symbols,
    /// Sort orders built so far, kept up to date by `update` and `remove` and extended
    /// lazily after `push`.
    orders: Mutex<Vec<Cached>>,
}

/// The positions in `articles` of the posts matching `text` (the search syntax above),
/// in path order: how the command line selects posts with `--query`.
pub fn select(articles: &[Article], text: &str) -> Vec<ArticleId> {
    select_with_changes(articles, text, |_| None)
}

/// Like [`select`], with each post's git state from `change_of` (by the article), for
/// `is:changed` and its kin.
pub fn select_with_changes(
    articles: &[Article],
    text: &str,
    change_of: impl Fn(&Article) -> Option<crate::git::ChangeState>,
) -> Vec<ArticleId> {
    let mut index = Index::new();
    for article in articles {
        let id = index.push(article);
        if let Some(state) = change_of(article) {
            index.set_change(id, Some(state));
        }
    }
    index.query(&Query {
        text: text.to_owned(),
        sort: SortKey::Path,
        ..Query::default()
    })
}

impl Index {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an article (as scan batches arrive) and returns its id, the next position.
    /// The app must push articles in the order of its `Vec<Article>`.
    pub fn push(&mut self, article: &Article) -> ArticleId {
        let id = ArticleId::try_from(self.entries.len()).unwrap_or(ArticleId::MAX);
        let (mut entry, hay) =
            Entry::build(article, &mut self.trie, &mut self.authors, &mut self.tags);
        entry.start = self.arena.append(id, &hay);
        self.entries.push(entry);
        self.live += 1;
        id
    }

    /// Adds every article of `articles` in order, as [`Index::push`] one by one would; the
    /// per-article work runs in parallel (a whole cached list at once).
    pub fn extend(&mut self, articles: &[Article]) {
        use rayon::prelude::*;
        let prepared: Vec<entry::Prepared> = articles.par_iter().map(entry::Prepared::of).collect();
        self.entries.reserve(prepared.len());
        for prepared in prepared {
            let id = ArticleId::try_from(self.entries.len()).unwrap_or(ArticleId::MAX);
            let (mut entry, hay) =
                prepared.finish(&mut self.trie, &mut self.authors, &mut self.tags);
            entry.start = self.arena.append(id, &hay);
            self.entries.push(entry);
            self.live += 1;
        }
    }

    /// Replaces an article after an edit is saved. Unknown ids are ignored; a removed id
    /// stays removed.
    pub fn update(&mut self, id: ArticleId, article: &Article) {
        let Some(slot) = self.entries.get_mut(id as usize) else {
            return;
        };
        if !slot.is_live() {
            return;
        }
        let (mut entry, hay) =
            Entry::build(article, &mut self.trie, &mut self.authors, &mut self.tags);
        entry.start = self.arena.append(id, &hay);
        let rebuild = self.arena.forget(slot.len as usize);
        // The git state is the last status's, until the next one says otherwise.
        entry.flags |= slot.flags & entry::GIT_CHANGED;
        *slot = entry;
        if rebuild {
            self.arena.rebuild(&mut self.entries);
        }
        self.reorder(id, true);
    }

    /// Drops every cached sort order; the next query of each order sorts once. Before
    /// thousands of updates or removals (a bulk edit's refresh) this is far cheaper than
    /// moving each post within every cached order.
    pub fn forget_orders(&mut self) {
        self.orders
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Forgets an article (moved to the trash): it never matches again. Its id stays
    /// reserved so the other ids keep pointing into the app's list.
    pub fn remove(&mut self, id: ArticleId) {
        if let Some(slot) = self.entries.get_mut(id as usize)
            && slot.is_live()
        {
            slot.flags &= !entry::LIVE;
            slot.authors = Box::default();
            slot.tags = Box::default();
            if self.arena.forget(slot.len as usize) {
                self.arena.rebuild(&mut self.entries);
            }
            self.live -= 1;
            self.reorder(id, false);
        }
    }

    /// Sets the git state of `id` (`None`: as committed). Deleted posts have no entry;
    /// `Deleted` is taken as `None`. Unknown ids are ignored.
    pub fn set_change(&mut self, id: ArticleId, state: Option<crate::git::ChangeState>) {
        if let Some(slot) = self.entries.get_mut(id as usize) {
            slot.flags &= !entry::GIT_CHANGED;
            slot.flags |= state.map_or(0, entry::change_flag);
        }
    }

    /// Forgets every git state (before a new status is applied, or without a repository).
    pub fn clear_changes(&mut self) {
        for entry in &mut self.entries {
            entry.flags &= !entry::GIT_CHANGED;
        }
    }

    /// The git state of `id` set by the last [`Index::set_change`].
    pub fn change(&self, id: ArticleId) -> Option<crate::git::ChangeState> {
        self.entries
            .get(id as usize)
            .filter(|e| e.is_live())
            .and_then(|e| entry::change_of_flags(e.flags))
    }

    /// Number of live (not removed) articles: the M of "N of M".
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Whether `id` was pushed and not removed.
    pub fn contains(&self, id: ArticleId) -> bool {
        self.entries.get(id as usize).is_some_and(Entry::is_live)
    }

    /// The ids of the live articles matching `query`, in its order.
    pub fn query(&self, query: &Query) -> Vec<ArticleId> {
        self.run(query, None)
    }

    /// Like [`Index::query`], but the articles in `body_hits` (sorted ascending, as found
    /// by the full-text index for the same text) count as matching the plain words; field
    /// filters, exclusions and facets still apply to them.
    pub fn query_with_body_hits(&self, query: &Query, body_hits: &[ArticleId]) -> Vec<ArticleId> {
        self.run(query, Some(body_hits))
    }

    fn run(&self, query: &Query, body_hits: Option<&[ArticleId]>) -> Vec<ArticleId> {
        let filter = Filter::new(query, &self.trie, &self.authors);
        if filter.is_impossible() {
            return Vec::new();
        }
        let order = self.order(query.sort, query.descending);
        if filter.is_empty() {
            return order.as_ref().clone();
        }
        let keep = self.matching(&filter, body_hits);
        order
            .iter()
            .copied()
            .filter(|&id| keep.get(id as usize).is_some_and(|k| *k))
            .collect()
    }

    /// Which ids match, by id. With a plain word to look for, only the articles whose
    /// text contains it (found by one scan of the arena) are tested; otherwise every
    /// entry is, in parallel and in memory order.
    fn matching(&self, filter: &Filter, body_hits: Option<&[ArticleId]>) -> Vec<bool> {
        let text = self.arena.text();
        let in_body = |id: ArticleId| body_hits.is_some_and(|h| h.binary_search(&id).is_ok());
        let test = |id: ArticleId| {
            self.entries
                .get(id as usize)
                .is_some_and(|e| filter.matches(e, text, &self.trie, in_body(id)))
        };
        let Some(needle) = filter.required_needle() else {
            return (0..self.entries.len())
                .into_par_iter()
                .with_min_len(4096)
                .map(|i| test(ArticleId::try_from(i).unwrap_or(ArticleId::MAX)))
                .collect();
        };
        let needle = self.arena.finder(needle.needle());
        let mut candidates = self.arena.candidates(&needle);
        candidates.extend_from_slice(body_hits.unwrap_or_default());
        candidates.par_sort_unstable();
        candidates.dedup();
        let passed: Vec<ArticleId> = candidates
            .into_par_iter()
            .with_min_len(1024)
            .filter(|&id| test(id))
            .collect();
        let mut keep = vec![false; self.entries.len()];
        for id in passed {
            if let Some(k) = keep.get_mut(id as usize) {
                *k = true;
            }
        }
        keep
    }

    /// The cached order for `key` and direction, built when missing.
    fn order(&self, key: SortKey, descending: bool) -> Order {
        let mut orders = self.orders.lock().unwrap_or_else(PoisonError::into_inner);
        let text = self.arena.text();
        let total = self.entries.len();
        if let Some(cached) = orders
            .iter_mut()
            .find(|c| c.key == key && c.descending == descending)
        {
            if cached.covered < total {
                let new = (cached.covered..total).filter_map(|i| ArticleId::try_from(i).ok());
                let merged =
                    sort::merge_new(&cached.order, new, &self.entries, text, key, descending);
                cached.order = Arc::new(merged);
                cached.covered = total;
            }
            return Arc::clone(&cached.order);
        }
        let order: Order = Arc::new(sort::sorted_ids(&self.entries, text, key, descending));
        orders.push(Cached {
            key,
            descending,
            covered: total,
            order: Arc::clone(&order),
        });
        order
    }

    /// Takes `id` out of every cached order and, when it is still `live`, puts it back
    /// at its new place.
    fn reorder(&mut self, id: ArticleId, live: bool) {
        let orders = self
            .orders
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        for cached in orders.iter_mut() {
            if id as usize >= cached.covered {
                continue; // not merged in yet; it will be with its new keys
            }
            let order = Arc::make_mut(&mut cached.order);
            order.retain(|&other| other != id);
            if live {
                let text = self.arena.text();
                sort::insert(
                    order,
                    id,
                    &self.entries,
                    text,
                    cached.key,
                    cached.descending,
                );
            }
        }
    }

    /// Facet counts over a result set (usually the result of [`Index::query`]).
    pub fn facets(&self, ids: &[ArticleId]) -> Facets {
        facets::count(&self.entries, ids, &self.trie, &self.authors)
    }

    /// Every category name in use with its number of posts, most used first, then by
    /// name: what the editor's category field completes from.
    pub fn category_values(&self) -> Vec<(String, usize)> {
        facets::values(&self.entries, &self.trie.names, |e, out| {
            let mut node = e.category;
            while let Some(name) = self.trie.node_name_id(node) {
                if !out.contains(&name) {
                    out.push(name);
                }
                node = self.trie.parent(node);
            }
        })
    }

    /// Every author in use with its number of posts, most used first, then by name.
    pub fn author_values(&self) -> Vec<(String, usize)> {
        facets::values(&self.entries, &self.authors, |e, out| {
            out.extend_from_slice(&e.authors)
        })
    }

    /// Every tag in use with its number of posts, most used first, then by name.
    pub fn tag_values(&self) -> Vec<(String, usize)> {
        facets::values(&self.entries, &self.tags, |e, out| {
            out.extend_from_slice(&e.tags)
        })
    }

    /// Releases the spare capacity left by growing (about a third of the memory after a
    /// scan of 100,000 posts); call it when a scan has finished.
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
        self.arena.shrink_to_fit();
    }

    /// Bytes of lowercased search text held for the live articles (part of
    /// [`Index::memory_bytes`]).
    pub fn search_text_bytes(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.is_live())
            .map(|e| e.len as usize)
            .sum()
    }

    /// An estimate of the heap bytes the index holds (entries, search text, tables),
    /// without the cached sort orders.
    pub fn memory_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.arena.heap_bytes()
            + self.entries.iter().map(Entry::heap_bytes).sum::<usize>()
    }
}

#[cfg(test)]
mod tests;
