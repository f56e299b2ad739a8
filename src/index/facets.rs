//! Facet counts (category tree, authors, years) over a result set, and the archive-wide
//! value lists the front-matter editor completes from.
//!
//! Counting uses dense arrays indexed by interned ids and trie nodes rather than hash
//! maps: a facet refresh over 100,000 results is a few linear passes.

use std::collections::BTreeMap;

use super::ArticleId;
use super::entry::Entry;
use super::symbols::{CategoryTrie, ROOT, Symbols};

/// One node of the category facet tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CategoryNode {
    /// The category name (entities decoded); empty for the root.
    pub name: String,
    /// Articles at or below this node. For the root: every counted article, including
    /// those without categories (`root.count - Σ children` of them).
    pub count: usize,
    /// Sorted by count (descending), then name.
    pub children: Vec<CategoryNode>,
}

/// Facet counts over one result set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub categories: CategoryNode,
    /// Sorted by count (descending), then name.
    pub authors: Vec<(String, usize)>,
    /// Newest year first. Articles without a parsed date are not counted.
    pub years: Vec<(i32, usize)>,
    /// Posts per git state (new, modified, renamed, in that order), those with one.
    pub changes: Vec<(crate::git::ChangeState, usize)>,
}

pub(crate) fn count(
    entries: &[Entry],
    ids: &[ArticleId],
    trie: &CategoryTrie,
    authors: &Symbols,
) -> Facets {
    let mut node_counts = vec![0usize; trie.node_count()];
    let mut author_counts = vec![0usize; authors.len()];
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    let mut changes: BTreeMap<crate::git::ChangeState, usize> = BTreeMap::new();
    let mut total = 0;
    for entry in ids
        .iter()
        .filter_map(|&id| entries.get(id as usize))
        .filter(|e| e.is_live())
    {
        total += 1;
        let mut node = entry.category;
        while node != ROOT {
            if let Some(c) = node_counts.get_mut(node as usize) {
                *c += 1;
            }
            node = trie.parent(node);
        }
        for &a in entry.authors.iter() {
            if let Some(c) = author_counts.get_mut(a as usize) {
                *c += 1;
            }
        }
        if let Some(y) = entry.year {
            *years.entry(y).or_default() += 1;
        }
        if let Some(state) = super::entry::change_of_flags(entry.flags) {
            *changes.entry(state).or_default() += 1;
        }
    }
    if let Some(root) = node_counts.get_mut(ROOT as usize) {
        *root = total;
    }
    Facets {
        categories: tree(trie, &node_counts),
        authors: by_count(
            author_counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(id, &c)| (authors.name(id as u32).to_owned(), c)),
        ),
        years: years.into_iter().rev().collect(),
        changes: changes.into_iter().collect(),
    }
}

/// Builds the tree of nodes with a non-zero count.
fn tree(trie: &CategoryTrie, counts: &[usize]) -> CategoryNode {
    let mut children_of: Vec<Vec<u32>> = vec![Vec::new(); counts.len()];
    for (node, &c) in counts.iter().enumerate().skip(1) {
        let node = node as u32;
        if c > 0
            && let Some(list) = children_of.get_mut(trie.parent(node) as usize)
        {
            list.push(node);
        }
    }
    build(trie, counts, &children_of, ROOT)
}

fn build(
    trie: &CategoryTrie,
    counts: &[usize],
    children_of: &[Vec<u32>],
    node: u32,
) -> CategoryNode {
    let mut children: Vec<CategoryNode> = children_of
        .get(node as usize)
        .map(|kids| {
            kids.iter()
                .map(|&k| build(trie, counts, children_of, k))
                .collect()
        })
        .unwrap_or_default();
    children.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    CategoryNode {
        name: trie.node_name(node).to_owned(),
        count: counts.get(node as usize).copied().unwrap_or(0),
        children,
    }
}

/// Distinct values with their live-article counts, most used first, then by name.
/// `ids_of` pushes an entry's value ids (each at most once) into the buffer.
pub(crate) fn values(
    entries: &[Entry],
    symbols: &Symbols,
    ids_of: impl Fn(&Entry, &mut Vec<u32>),
) -> Vec<(String, usize)> {
    let mut counts = vec![0usize; symbols.len()];
    let mut buffer = Vec::new();
    for entry in entries.iter().filter(|e| e.is_live()) {
        buffer.clear();
        ids_of(entry, &mut buffer);
        for &id in &buffer {
            if let Some(c) = counts.get_mut(id as usize) {
                *c += 1;
            }
        }
    }
    by_count(
        counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(id, &c)| (symbols.name(id as u32).to_owned(), c)),
    )
}

fn by_count(items: impl Iterator<Item = (String, usize)>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = items.collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}
