//! The index over real posts (copied from the crawler archive into
//! `tests/fixtures/index/`): scan, search, facets, sort, and body search.

use std::path::{Path, PathBuf};

use folio::archive::{Archive, ScanOptions, scan};
use folio::fulltext::{FullText, SyncProgress};
use folio::index::{ArticleId, Index, Query, SortKey, local_date_label};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/index")
}

fn load() -> (Archive, Index) {
    let archive = match scan(&fixture_root(), &ScanOptions::default()) {
        Ok(archive) => archive,
        Err(e) => panic!("cannot scan the fixtures: {e}"),
    };
    let mut index = Index::new();
    for (i, a) in archive.articles.iter().enumerate() {
        assert_eq!(index.push(a), i as ArticleId);
    }
    (archive, index)
}

fn titles(archive: &Archive, ids: &[ArticleId]) -> Vec<String> {
    ids.iter()
        .map(|&id| {
            archive.articles[id as usize]
                .front
                .display_title()
                .into_owned()
        })
        .collect()
}

fn search(index: &Index, text: &str) -> Vec<ArticleId> {
    index.query(&Query {
        text: text.to_owned(),
        ..Query::default()
    })
}

#[test]
fn every_post_is_indexed_and_listed() {
    let (archive, index) = load();
    assert_eq!(archive.articles.len(), 12);
    assert_eq!(index.len(), 12);
    assert_eq!(search(&index, "").len(), 12);
}

#[test]
fn chinese_substrings_fields_and_paths() {
    let (archive, index) = load();
    assert_eq!(
        titles(&archive, &search(&index, "消费价格")),
        ["1-4月份全国居民消费价格（CPI）同比上涨1.4%"]
    );
    // Author, category and path all hold 新浪财经; the title holds it in neither post.
    assert_eq!(search(&index, "新浪财经").len(), 2);
    assert_eq!(search(&index, "title:新浪财经").len(), 0);
    assert_eq!(search(&index, "cat:36kr").len(), 2);
    assert_eq!(search(&index, "cat:36kr -快讯").len(), 1);
    assert_eq!(search(&index, "author:\"paul graham\"").len(), 1);
    assert_eq!(search(&index, "path:other/").len(), 1);
    assert_eq!(search(&index, "bläck & nål").len(), 1);
}

#[test]
fn problems_years_and_dates() {
    let (archive, index) = load();
    let problems = search(&index, "is:problem");
    assert!(!problems.is_empty());
    for &id in &problems {
        assert!(!archive.articles[id as usize].problems.is_empty());
    }
    // "Invalid Date" is a problem, has no year and shows as written.
    let dribbble = search(&index, "dribbble");
    assert_eq!(dribbble.len(), 1);
    assert!(problems.contains(&dribbble[0]));
    let date = archive.articles[dribbble[0] as usize]
        .front
        .date
        .as_ref()
        .unwrap();
    assert_eq!(local_date_label(date), "Invalid Date");

    let facets = index.facets(&search(&index, ""));
    let year_total: usize = facets.years.iter().map(|(_, n)| n).sum();
    assert_eq!(year_total, 11);
    assert!(facets.years.windows(2).all(|w| w[0].0 > w[1].0));
    let y2022 = index.query(&Query {
        years: vec![2022],
        ..Query::default()
    });
    assert_eq!(
        y2022.len(),
        facets.years.iter().find(|(y, _)| *y == 2022).unwrap().1
    );
}

#[test]
fn category_tree_counts_and_narrowing() {
    let (_, index) = load();
    let facets = index.facets(&search(&index, ""));
    assert_eq!(facets.categories.count, 12);
    let top = &facets.categories.children[0];
    assert_eq!((top.name.as_str(), top.count), ("新媒体", 4));
    for node in &facets.categories.children {
        let below: usize = node.children.iter().map(|c| c.count).sum();
        assert!(below <= node.count, "{}", node.name);
    }
    assert!(
        facets
            .categories
            .children
            .windows(2)
            .all(|w| w[0].count >= w[1].count)
    );
    let narrowed = index.query(&Query {
        category_path: vec!["新媒体".into(), "36kr".into()],
        ..Query::default()
    });
    assert_eq!(narrowed.len(), 2);
    assert_eq!(index.facets(&narrowed).authors, [("36kr".to_owned(), 2)]);
}

#[test]
fn sorted_by_date_both_ways() {
    let (archive, index) = load();
    let by_date = |descending| {
        index.query(&Query {
            sort: SortKey::Date,
            descending,
            ..Query::default()
        })
    };
    let stamp = |id: &ArticleId| {
        archive.articles[*id as usize]
            .front
            .date
            .as_ref()
            .and_then(|d| d.timestamp())
    };
    let ascending: Vec<_> = by_date(false).iter().map(stamp).collect();
    let descending: Vec<_> = by_date(true).iter().map(stamp).collect();
    assert_eq!(ascending.last(), Some(&None)); // the invalid date comes last
    assert_eq!(descending.last(), Some(&None));
    let dated: Vec<i64> = ascending.iter().flatten().copied().collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]));
    let dated_desc: Vec<i64> = descending.iter().flatten().copied().collect();
    assert!(dated_desc.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn body_search_finds_words_only_in_bodies() {
    let (archive, index) = load();
    let cache = tempfile::tempdir().unwrap();
    let fulltext = FullText::open(cache.path(), &fixture_root()).unwrap();
    let posts: Vec<_> = archive
        .articles
        .iter()
        .map(|a| (a.path.clone(), a.stamp))
        .collect();
    fulltext
        .sync(&fixture_root(), &posts, &SyncProgress::default())
        .unwrap();
    let found = fulltext.matching_paths("国家统计局").unwrap();
    let hits: Vec<ArticleId> = archive
        .articles
        .iter()
        .enumerate()
        .filter(|(_, a)| found.contains(&a.path))
        .map(|(i, _)| i as ArticleId)
        .collect();
    assert_eq!(hits.len(), 1);
    let query = Query {
        text: "国家统计局".into(),
        ..Query::default()
    };
    assert!(index.query(&query).is_empty());
    assert_eq!(index.query_with_body_hits(&query, &hits), hits);
}
