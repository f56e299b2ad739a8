//! Filter, sort and facet behaviour of [`Index`] on small hand-built archives.

use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::archive::parse_bytes;

fn article(path: &str, front: &str) -> Article {
    parse_bytes(
        path.into(),
        None,
        format!("---\n{front}---\nbody\n").into_bytes(),
    )
    .article
}

fn with_modified(mut a: Article, secs: u64) -> Article {
    a.modified = Some(UNIX_EPOCH + Duration::from_secs(secs));
    a
}

/// Five posts: two 新浪财经 (one with a zoned date), one 36kr, one without categories
/// and date, one with a broken date.
fn sample() -> (Index, Vec<Article>) {
    let articles = vec![
        with_modified(
            article(
                "金融/新浪财经/央行降准.md",
                "title: '央行宣布降准 0.5 个百分点'\ncategories:\n - 金融\n - 新浪财经\n - 新浪财经－国內\nauthor: 新浪财经\ndate: 2021-06-17 16:02:00\n",
            ),
            300,
        ),
        with_modified(
            article(
                "金融/新浪财经/券茅.md",
                "title: '\"券茅\"业绩一枝独秀 &#123;x&#125;'\ncategories: [金融, 新浪财经]\nauthor: 新浪财经\ndate: 2022-07-17 01:07:57\ntags: [券商]\n",
            ),
            100,
        ),
        with_modified(
            article(
                "新媒体/36kr/Apple.md",
                "title: Apple 发布新款 iPad\ncategories: [新媒体, 36kr]\nauthor: [张三, 李四]\ndate: 2021-01-02 10:00:00\ntags: [Apple, 科技]\n",
            ),
            200,
        ),
        article("misc/Notes.md", "title: notes\n"),
        article(
            "金融/bad.md",
            "title: 坏日期\ncategories: [金融]\nauthor: 新浪财经\ndate: Invalid Date\n",
        ),
    ];
    let mut index = Index::new();
    for (i, a) in articles.iter().enumerate() {
        assert_eq!(index.push(a), i as ArticleId);
    }
    (index, articles)
}

fn q(text: &str) -> Query {
    Query {
        text: text.to_owned(),
        sort: SortKey::Path,
        ..Query::default()
    }
}

#[test]
fn plain_words_are_anded_substrings_over_all_fields() {
    let (index, _) = sample();
    assert_eq!(index.query(&q("")).len(), 5);
    assert_eq!(index.query(&q("央行")), [0]);
    assert_eq!(index.query(&q("新浪财经")), [4, 1, 0]); // path order: bad, 券茅, 央行
    assert_eq!(index.query(&q("新浪财经 降准")), [0]);
    assert_eq!(index.query(&q("IPAD")), [2]); // case-insensitive
    assert_eq!(index.query(&q("李四")), [2]); // second author
    assert_eq!(index.query(&q("科技")), [2]); // tag
    assert_eq!(index.query(&q("misc/")), [3]); // path
    assert_eq!(index.query(&q("{x}")), [1]); // entities decoded
    assert_eq!(index.query(&q("张三李四")), Vec::<ArticleId>::new()); // not across values
    assert_eq!(index.query(&q("36kr apple 新媒体")), [2]);
}

#[test]
fn phrases_negation_and_fields() {
    let (index, _) = sample();
    assert_eq!(index.query(&q("\"0.5 个\"")), [0]);
    assert_eq!(index.query(&q("\"5  个\"")), Vec::<ArticleId>::new());
    assert_eq!(index.query(&q("金融 -央行")), [4, 1]);
    assert_eq!(index.query(&q("title:新浪")), Vec::<ArticleId>::new());
    assert_eq!(index.query(&q("author:新浪")), [4, 1, 0]);
    assert_eq!(index.query(&q("cat:国內")), [0]);
    assert_eq!(index.query(&q("category:36KR")), [2]);
    assert_eq!(index.query(&q("tag:券商")), [1]);
    assert_eq!(index.query(&q("path:misc")), [3]);
    assert_eq!(index.query(&q("-cat:金融")), [3, 2]);
    assert_eq!(index.query(&q("foo:bar")), Vec::<ArticleId>::new());
}

#[test]
fn years_and_problems() {
    let (index, _) = sample();
    assert_eq!(index.query(&q("year:2021")), [2, 0]);
    assert_eq!(index.query(&q("year:2021 year:2022")), [2, 1, 0]);
    assert_eq!(index.query(&q("-year:2021")).len(), 3); // undated posts are not excluded
    assert_eq!(index.query(&q("is:problem")), [4]);
    assert_eq!(index.query(&q("-is:problem")), [3, 2, 1, 0]);
    let mut problems = q("");
    problems.only_problems = true;
    assert_eq!(index.query(&problems), [4]);
    let mut facet = q("");
    facet.years = vec![2022, 2020];
    assert_eq!(index.query(&facet), [1]);
}

#[test]
fn sort_orders_both_directions_with_missing_last() {
    let (index, _) = sample();
    let sorted = |sort: SortKey, descending: bool| {
        index.query(&Query {
            sort,
            descending,
            ..Query::default()
        })
    };
    // Dates: 2021-01-02 (2), 2021-06-17 (0), 2022-07-17 (1); 3 and 4 have none (path order).
    assert_eq!(sorted(SortKey::Date, false), [2, 0, 1, 3, 4]);
    assert_eq!(sorted(SortKey::Date, true), [1, 0, 2, 3, 4]);
    assert_eq!(sorted(SortKey::Modified, false), [1, 2, 0, 3, 4]);
    assert_eq!(sorted(SortKey::Modified, true), [0, 2, 1, 3, 4]);
    // Titles in pinyin order among Latin letters: "\"券茅…" (punctuation first) <
    // "apple…" < "坏日期" (huai) < "notes" < "央行…" (yang).
    assert_eq!(sorted(SortKey::Title, false), [1, 2, 4, 3, 0]);
    assert_eq!(sorted(SortKey::Title, true), [0, 3, 4, 2, 1]);
    assert_eq!(sorted(SortKey::Path, false), [3, 2, 4, 1, 0]);
    assert_eq!(sorted(SortKey::Path, true), [0, 1, 4, 2, 3]);
    // Source: "misc" (folder) < 新媒体›36kr < 金融 < 金融›新浪财经 < 金融›新浪财经›…国內.
    assert_eq!(sorted(SortKey::Source, false), [3, 2, 4, 1, 0]);
    assert_eq!(sorted(SortKey::Source, true), [0, 1, 4, 2, 3]);
}

#[test]
fn ties_are_broken_by_path_in_both_directions() {
    let mut index = Index::new();
    for path in ["c.md", "a.md", "b.md"] {
        index.push(&article(path, "title: same\ndate: 2021-01-01\n"));
    }
    for descending in [false, true] {
        for sort in [SortKey::Date, SortKey::Title, SortKey::Source] {
            let query = Query {
                sort,
                descending,
                ..Query::default()
            };
            assert_eq!(index.query(&query), [1, 2, 0], "{sort:?} {descending}");
        }
    }
}

#[test]
fn facets_count_the_result_set() {
    let (index, _) = sample();
    let all = index.query(&q(""));
    let f = index.facets(&all);
    assert_eq!(f.categories.count, 5);
    let top: Vec<(&str, usize)> = f
        .categories
        .children
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(top, [("金融", 3), ("新媒体", 1)]);
    let finance = &f.categories.children[0];
    assert_eq!(finance.children.len(), 1);
    assert_eq!(finance.children[0].name, "新浪财经");
    assert_eq!(finance.children[0].count, 2);
    assert_eq!(finance.children[0].children[0].name, "新浪财经－国內");
    assert_eq!(
        f.authors,
        [
            ("新浪财经".to_owned(), 3),
            ("张三".to_owned(), 1),
            ("李四".to_owned(), 1)
        ]
    );
    assert_eq!(f.years, [(2022, 1), (2021, 2)]);

    let narrowed = index.facets(&index.query(&q("央行")));
    assert_eq!(narrowed.categories.count, 1);
    assert_eq!(narrowed.authors, [("新浪财经".to_owned(), 1)]);
    assert_eq!(narrowed.years, [(2021, 1)]);
}

#[test]
fn facet_selections_narrow() {
    let (index, _) = sample();
    let mut query = q("");
    query.category_path = vec!["金融".into(), "新浪财经".into()];
    assert_eq!(index.query(&query), [1, 0]);
    query.category_path = vec!["金融".into()];
    assert_eq!(index.query(&query), [4, 1, 0]);
    query.authors = vec!["新浪财经".into(), "nobody".into()];
    query.years = vec![2022];
    assert_eq!(index.query(&query), [1]);
    query.category_path = vec!["新浪财经".into()]; // not a top-level category
    assert_eq!(index.query(&query), Vec::<ArticleId>::new());
    let mut query = q("");
    query.authors = vec!["nobody".into()];
    assert_eq!(index.query(&query), Vec::<ArticleId>::new());
}

#[test]
fn update_and_remove() {
    let (mut index, _) = sample();
    assert_eq!(index.len(), 5);
    index.update(
        0,
        &article(
            "金融/新浪财经/央行降准.md",
            "title: 改过的标题\ncategories: [体育]\n",
        ),
    );
    assert_eq!(index.query(&q("title:央行")), Vec::<ArticleId>::new());
    assert_eq!(index.query(&q("改过")), [0]);
    assert_eq!(
        index.facets(&index.query(&q(""))).categories.children.len(),
        3
    );
    index.remove(2);
    index.remove(2);
    assert_eq!(index.len(), 4);
    assert!(!index.contains(2));
    assert_eq!(index.query(&q("apple")), Vec::<ArticleId>::new());
    assert!(!index.query(&q("")).contains(&2));
    assert_eq!(index.facets(&[2]).categories.count, 0);
    index.update(2, &article("x.md", "title: apple\n"));
    assert_eq!(index.query(&q("apple")), Vec::<ArticleId>::new());
    index.update(99, &article("x.md", "title: apple\n"));
    index.remove(99);
    assert_eq!(index.len(), 4);
}

#[test]
fn values_for_completion() {
    let (mut index, _) = sample();
    assert_eq!(
        index.category_values(),
        [
            ("金融".to_owned(), 3),
            ("新浪财经".to_owned(), 2),
            ("36kr".to_owned(), 1),
            ("新媒体".to_owned(), 1),
            ("新浪财经－国內".to_owned(), 1),
        ]
    );
    assert_eq!(index.author_values()[0], ("新浪财经".to_owned(), 3));
    assert_eq!(
        index.tag_values(),
        [
            ("Apple".to_owned(), 1),
            ("券商".to_owned(), 1),
            ("科技".to_owned(), 1)
        ]
    );
    index.remove(1);
    assert_eq!(
        index.tag_values(),
        [("Apple".to_owned(), 1), ("科技".to_owned(), 1)]
    );
}

#[test]
fn body_hits_replace_plain_words_only() {
    let (index, _) = sample();
    let query = q("人民银行 -notes");
    assert_eq!(index.query(&query), Vec::<ArticleId>::new());
    assert_eq!(index.query_with_body_hits(&query, &[0, 3]), [0]);
    let fielded = q("人民银行 title:券茅");
    assert_eq!(index.query_with_body_hits(&fielded, &[0, 1]), [1]);
}

#[test]
fn many_updates_rebuild_the_arena_without_losing_articles() {
    let (mut index, _) = sample();
    let long = "长".repeat(40_000);
    for round in 0..20 {
        let front = format!("title: {long}{round}\ncategories: [体育]\n");
        index.update(1, &article("金融/新浪财经/券茅.md", &front));
    }
    index.remove(3);
    assert_eq!(index.query(&q("长长19")), [1]);
    assert_eq!(index.query(&q("长长18")), Vec::<ArticleId>::new());
    assert_eq!(index.query(&q("央行")), [0]);
    assert_eq!(index.query(&q("apple")), [2]);
    assert_eq!(index.query(&q("")), [2, 4, 1, 0]);
    assert!(index.memory_bytes() < 2 * 1024 * 1024);
}

#[test]
fn cached_orders_follow_pushes_updates_and_removals() {
    let (mut index, _) = sample();
    let by = |index: &Index, sort: SortKey, descending: bool| {
        index.query(&Query {
            sort,
            descending,
            ..Query::default()
        })
    };
    let keys = [
        SortKey::Date,
        SortKey::Title,
        SortKey::Source,
        SortKey::Path,
    ];
    for key in keys {
        by(&index, key, false);
        by(&index, key, true);
    }
    index.push(&article(
        "a/early.md",
        "title: 0 early\ndate: 2000-01-01 00:00:00\n",
    ));
    index.update(
        1,
        &article(
            "金融/新浪财经/券茅.md",
            "title: zz\ndate: 1999-01-01 00:00:00\n",
        ),
    );
    index.remove(2);
    index.push(&article(
        "b/late.md",
        "title: late\ndate: 2030-01-01 00:00:00\n",
    ));
    for key in keys {
        for descending in [false, true] {
            let cached = by(&index, key, descending);
            let fresh = sort::sorted_ids(&index.entries, index.arena.text(), key, descending);
            assert_eq!(cached, fresh, "{key:?} {descending}");
        }
    }
    assert_eq!(by(&index, SortKey::Date, false)[..2], [1, 5]);
}

#[test]
fn git_states_filter_count_and_survive_an_edit() {
    use crate::git::ChangeState;
    let (mut index, articles) = sample();
    assert!(index.query(&q("is:changed")).is_empty(), "no status yet");
    index.set_change(0, Some(ChangeState::Modified));
    index.set_change(2, Some(ChangeState::New));
    index.set_change(3, Some(ChangeState::Renamed));
    index.set_change(4, Some(ChangeState::Deleted)); // has no entry state
    assert_eq!(index.query(&q("is:changed")), [3, 2, 0]);
    assert_eq!(index.query(&q("is:new")), [2]);
    assert_eq!(index.query(&q("is:modified 央行")), [0]);
    assert_eq!(index.query(&q("is:renamed")), [3]);
    assert_eq!(index.query(&q("-is:changed")), [4, 1]);
    let mut facet = q("");
    facet.changes = vec![ChangeState::New, ChangeState::Renamed];
    assert_eq!(index.query(&facet), [3, 2]);
    let all = index.query(&q(""));
    assert_eq!(
        index.facets(&all).changes,
        [
            (ChangeState::New, 1),
            (ChangeState::Modified, 1),
            (ChangeState::Renamed, 1)
        ]
    );
    // A save keeps the state until the next status replaces it.
    index.update(0, &articles[0]);
    assert_eq!(index.change(0), Some(ChangeState::Modified));
    index.set_change(0, None);
    assert_eq!(index.query(&q("is:changed")), [3, 2]);
    index.clear_changes();
    assert!(index.query(&q("is:changed")).is_empty());
    let selected = select_with_changes(&articles, "is:changed", |a| {
        (a.path.starts_with("misc")).then_some(ChangeState::New)
    });
    assert_eq!(selected, [3]);
}

#[test]
fn orders_forgotten_before_many_updates_are_rebuilt_sorted() {
    let (mut index, _) = sample();
    let by_title = Query {
        sort: SortKey::Title,
        ..Query::default()
    };
    assert_eq!(index.query(&by_title), [1, 2, 4, 3, 0]);
    index.forget_orders();
    // "央行…" (yang) becomes "aaa" and moves first; 券茅 (quan) is removed.
    index.update(0, &article("金融/新浪财经/央行降准.md", "title: aaa\n"));
    index.remove(1);
    assert_eq!(index.query(&by_title), [0, 2, 4, 3]);
}

#[test]
fn extending_with_a_list_is_pushing_it_one_by_one() {
    let (pushed, articles) = sample();
    let mut extended = Index::new();
    extended.extend(&articles);
    let queries = [
        "",
        "央行",
        "cat:金融",
        "author:新浪财经",
        "tag:apple",
        "year:2021",
        "is:problem",
        "-新浪财经",
        "\"降准 0.5\"",
        "path:misc",
    ];
    for sort in [SortKey::Path, SortKey::Date, SortKey::Title] {
        for text in queries {
            let query = Query { sort, ..q(text) };
            assert_eq!(
                extended.query(&query),
                pushed.query(&query),
                "{text} by {sort:?}"
            );
        }
    }
    let all: Vec<ArticleId> = (0..articles.len() as ArticleId).collect();
    assert_eq!(
        format!("{:?}", extended.facets(&all)),
        format!("{:?}", pushed.facets(&all))
    );
}
