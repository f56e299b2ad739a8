//! Sort orders of the whole index, computed once per key and direction and cached.
//!
//! A keystroke never sorts: the query walks the cached order of every live article and
//! keeps the ones that match, which yields the results already sorted. The cache is
//! dropped when an article is added, changed or removed, and rebuilt (one parallel sort of
//! `u32` ids over precomputed keys) by the next query that needs it.
//!
//! Articles without the key (no date, no title, no modification time) come last in both
//! directions; ties are broken by path (ascending, case-insensitive) then by id, so the
//! order is total and stable across rebuilds.

use std::cmp::Ordering;

use rayon::slice::ParallelSliceMut;

use super::entry::{Entry, Field};
use super::{ArticleId, SortKey};

/// Ids of the live entries in `key` order.
pub(crate) fn sorted_ids(
    entries: &[Entry],
    arena: &str,
    key: SortKey,
    descending: bool,
) -> Vec<ArticleId> {
    let mut ids: Vec<ArticleId> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_live())
        .filter_map(|(i, _)| ArticleId::try_from(i).ok())
        .collect();
    let entry = |id: ArticleId| entries.get(id as usize);
    ids.par_sort_unstable_by(|&a, &b| {
        let (Some(ea), Some(eb)) = (entry(a), entry(b)) else {
            return a.cmp(&b);
        };
        compare(arena, ea, eb, key, descending)
            .then_with(|| {
                ea.field(arena, Field::Path)
                    .cmp(eb.field(arena, Field::Path))
            })
            .then_with(|| a.cmp(&b))
    });
    ids
}

fn compare(arena: &str, a: &Entry, b: &Entry, key: SortKey, descending: bool) -> Ordering {
    match key {
        SortKey::Date => missing_last(a.date, b.date, descending),
        SortKey::Modified => missing_last(a.modified, b.modified, descending),
        SortKey::Title => missing_last(title(arena, a), title(arena, b), descending),
        SortKey::Source => {
            let order = source(arena, a).cmp(source(arena, b)).then_with(|| {
                a.field(arena, Field::Title)
                    .cmp(b.field(arena, Field::Title))
            });
            if descending { order.reverse() } else { order }
        }
        SortKey::Path => {
            let order = a.field(arena, Field::Path).cmp(b.field(arena, Field::Path));
            if descending { order.reverse() } else { order }
        }
    }
}

fn missing_last<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if descending => y.cmp(&x),
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn title<'a>(arena: &'a str, e: &Entry) -> Option<&'a str> {
    Some(e.field(arena, Field::Title)).filter(|t| !t.is_empty())
}

/// What the list's source column shows, lowercased: the category path (values separated
/// by a control character that sorts before any text, so `a` < `a › b` < `ab`), or the
/// parent folder when there are no categories.
fn source<'a>(arena: &'a str, e: &Entry) -> &'a str {
    let categories = e.field(arena, Field::Category);
    if !categories.is_empty() {
        return categories;
    }
    let path = e.field(arena, Field::Path);
    path.rfind('/').and_then(|i| path.get(..i)).unwrap_or("")
}
