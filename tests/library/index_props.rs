//! Property tests: no search text makes the index panic, and every query returns exactly
//! the articles a naive reference filter keeps, in the requested order.

use std::collections::BTreeSet;

use folio::archive::{Article, display_text, parse_bytes};
use folio::index::{ArticleId, Index, Query, SortKey};
use proptest::prelude::*;

const WORDS: [&str; 8] = ["新浪", "财经", "央行", "Apple", "ipad", "科技", "a", "新"];
const CATEGORIES: [&str; 4] = ["金融", "新浪财经", "新媒体", "36kr"];
const AUTHORS: [&str; 3] = ["新浪财经", "张三", "Bob"];

#[derive(Debug, Clone)]
struct Spec {
    title: Vec<usize>,
    categories: Vec<usize>,
    author: Option<usize>,
    year: Option<i32>,
    folder: usize,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(0..WORDS.len(), 0..4),
        prop::collection::vec(0..CATEGORIES.len(), 0..3),
        prop::option::of(0..AUTHORS.len()),
        prop::option::of(2019..2023i32),
        0..3usize,
    )
        .prop_map(|(title, categories, author, year, folder)| Spec {
            title,
            categories,
            author,
            year,
            folder,
        })
}

fn build(specs: &[Spec]) -> (Vec<Article>, Index) {
    let mut index = Index::new();
    let articles: Vec<Article> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let title: String = s.title.iter().map(|&w| WORDS[w]).collect();
            let mut front = format!("title: '{title}'\n");
            if !s.categories.is_empty() {
                let cats: Vec<&str> = s.categories.iter().map(|&c| CATEGORIES[c]).collect();
                front += &format!("categories: [{}]\n", cats.join(", "));
            }
            if let Some(a) = s.author {
                front += &format!("author: {}\n", AUTHORS[a]);
            }
            if let Some(y) = s.year {
                front += &format!("date: {y}-0{}-1{} 10:00:00\n", 1 + i % 9, i % 10);
            }
            let path = format!("f{}/p{i}.md", s.folder);
            parse_bytes(
                path.into(),
                None,
                format!("---\n{front}---\nbody").into_bytes(),
            )
            .article
        })
        .collect();
    for a in &articles {
        index.push(a);
    }
    (articles, index)
}

/// The reference: fields as the list shows them, lowercased, searched one value at a time.
fn reference_matches(a: &Article, words: &[(bool, &str)], query: &Query) -> bool {
    let lower = |s: &str| display_text(s.trim()).to_lowercase();
    let mut values = vec![lower(&a.front.display_title())];
    values.extend(a.front.authors.iter().map(|s| lower(s)));
    values.extend(a.front.categories.iter().map(|s| lower(s)));
    values.extend(a.front.tags.iter().map(|s| lower(s)));
    values.push(a.path_display().to_lowercase());
    let text_ok = words.iter().all(|(negated, w)| {
        let w = w.to_lowercase();
        values.iter().any(|v| v.contains(&w)) != *negated
    });
    let cats_ok = a.front.categories.starts_with(&query.category_path);
    let authors_ok =
        query.authors.is_empty() || a.front.authors.iter().any(|x| query.authors.contains(x));
    let year = a
        .front
        .date
        .as_ref()
        .and_then(|d| d.raw.get(..4)?.parse::<i32>().ok());
    let years_ok = query.years.is_empty() || year.is_some_and(|y| query.years.contains(&y));
    text_ok && cats_ok && authors_ok && years_ok
}

fn sort_key() -> impl Strategy<Value = SortKey> {
    prop_oneof![
        Just(SortKey::Date),
        Just(SortKey::Title),
        Just(SortKey::Source),
        Just(SortKey::Modified),
        Just(SortKey::Path),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_never_panics(specs in prop::collection::vec(spec(), 0..20), text in any::<String>(),
                             sort in sort_key(), descending in any::<bool>()) {
        let (_, index) = build(&specs);
        let query = Query { text, sort, descending, ..Query::default() };
        let ids = index.query(&query);
        let distinct: BTreeSet<_> = ids.iter().collect();
        prop_assert_eq!(distinct.len(), ids.len());
        prop_assert!(ids.iter().all(|&id| (id as usize) < specs.len()));
        let _ = index.facets(&ids);
    }

    #[test]
    fn results_are_exactly_the_matching_articles_in_order(
        specs in prop::collection::vec(spec(), 0..40),
        words in prop::collection::vec((any::<bool>(), 0..WORDS.len()), 0..3),
        category_path in prop::collection::vec(0..CATEGORIES.len(), 0..3),
        author in prop::option::of(0..AUTHORS.len()),
        year in prop::option::of(2019..2023i32),
        sort in sort_key(),
        descending in any::<bool>(),
        removed in prop::collection::vec(0..40u32, 0..4),
    ) {
        let (articles, mut index) = build(&specs);
        // Build the cached order first so that removals must keep it right.
        index.query(&Query { sort, descending, ..Query::default() });
        for &id in &removed {
            index.remove(id);
        }
        let words: Vec<(bool, &str)> = words.iter().map(|&(n, w)| (n, WORDS[w])).collect();
        let text = words
            .iter()
            .map(|(n, w)| format!("{}{w}", if *n { "-" } else { "" }))
            .collect::<Vec<_>>()
            .join(" ");
        let query = Query {
            text,
            category_path: category_path.iter().map(|&c| CATEGORIES[c].to_owned()).collect(),
            authors: author.map(|a| vec![AUTHORS[a].to_owned()]).unwrap_or_default(),
            years: year.into_iter().collect(),
            sort,
            descending,
            ..Query::default()
        };
        let ids = index.query(&query);
        let expected: BTreeSet<ArticleId> = articles
            .iter()
            .enumerate()
            .filter(|(i, a)| !removed.contains(&(*i as u32)) && reference_matches(a, &words, &query))
            .map(|(i, _)| i as ArticleId)
            .collect();
        let got: BTreeSet<ArticleId> = ids.iter().copied().collect();
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(got.len(), ids.len());
        if sort == SortKey::Date {
            let stamps: Vec<Option<i64>> = ids
                .iter()
                .map(|&id| articles[id as usize].front.date.as_ref().and_then(|d| d.timestamp()))
                .collect();
            let dated = stamps.iter().take_while(|s| s.is_some()).count();
            prop_assert!(stamps[dated..].iter().all(Option::is_none));
            let in_order = |w: &[Option<i64>]| if descending { w[0] >= w[1] } else { w[0] <= w[1] };
            prop_assert!(stamps[..dated].windows(2).all(in_order));
        }
        let facets = index.facets(&ids);
        prop_assert_eq!(facets.categories.count, ids.len());
    }
}
