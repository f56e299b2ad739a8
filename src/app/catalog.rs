//! The app's in-memory catalog of scanned posts: display rows, filtering, sorting, facets.
//!
//! Stand-in for the core `index` module (same vocabulary: `Query`, `SortKey`, facets)
//! until it lands; the UI only talks to this type, so swapping the engine is local.
//! Everything a row shows (title, local date label, source) and the lower-cased search
//! text is computed once when a post is added, so a frame or a keystroke never formats
//! or lower-cases 100,000 strings. The sorted order is cached per sort key; a query
//! filters that order, so typing in the search box costs one linear pass.

use std::collections::BTreeMap;

use chrono::{Datelike, Local};
use serde::{Deserialize, Serialize};

use crate::archive::{Article, DateValue};

/// Position of a post in the catalog.
pub type ArticleId = u32;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    Date,
    Title,
    Source,
    Modified,
    Path,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Date,
        SortKey::Title,
        SortKey::Source,
        SortKey::Modified,
        SortKey::Path,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Date => "Date",
            SortKey::Title => "Title",
            SortKey::Source => "Source",
            SortKey::Modified => "Modified",
            SortKey::Path => "Path",
        }
    }
}

/// What the list shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Whitespace-separated terms, all of which must occur (case-insensitive) in the
    /// title, authors, categories or path.
    pub text: String,
    /// Category path prefix, e.g. `["金融", "新浪财经"]`.
    pub category_path: Vec<String>,
    pub author: Option<String>,
    pub year: Option<i32>,
    pub only_problems: bool,
    pub sort: SortKey,
    pub descending: bool,
}

/// What a list row shows, computed once per post.
#[derive(Clone, Debug)]
pub struct Row {
    pub title: String,
    /// Local date, `2021-06-17 16:02`, or the raw value when it does not parse.
    pub date_label: String,
    /// Category path joined with ` › `, or the post's folder.
    pub source: String,
    pub problem_count: usize,
    pub has_errors: bool,
    haystack: String,
    timestamp: Option<i64>,
    modified_secs: i64,
    year: Option<i32>,
}

/// One level of the category tree with the number of posts under it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CategoryNode {
    pub name: String,
    pub count: usize,
    pub children: Vec<CategoryNode>,
}

/// Counts for the facet panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facets {
    pub categories: Vec<CategoryNode>,
    /// Most frequent first.
    pub authors: Vec<(String, usize)>,
    /// Newest first.
    pub years: Vec<(i32, usize)>,
    pub with_problems: usize,
}

#[derive(Default)]
pub struct Catalog {
    articles: Vec<Article>,
    rows: Vec<Row>,
    sorted: Option<(SortKey, bool, Vec<ArticleId>)>,
}

/// The list label for a date: local time when it has a zone, as written otherwise.
pub fn local_date_label(date: &DateValue) -> String {
    match date.parsed {
        Some(dt) if date.has_zone => dt
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Some(dt) => dt.naive_local().format("%Y-%m-%d %H:%M").to_string(),
        None => date.raw.trim().to_owned(),
    }
}

impl Catalog {
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    pub fn article(&self, id: ArticleId) -> Option<&Article> {
        self.articles.get(id as usize)
    }

    pub fn row(&self, id: ArticleId) -> Option<&Row> {
        self.rows.get(id as usize)
    }

    /// `(id, absolute path)` of every post, for a body search.
    pub fn files(&self, root: &std::path::Path) -> Vec<(ArticleId, std::path::PathBuf)> {
        self.articles
            .iter()
            .zip(&self.rows)
            .enumerate()
            .filter(|(_, (_, row))| !Self::is_removed(row))
            .filter_map(|(i, (a, _))| Some((ArticleId::try_from(i).ok()?, root.join(&a.path))))
            .collect()
    }

    pub fn find_path(&self, rel: &std::path::Path) -> Option<ArticleId> {
        self.articles
            .iter()
            .position(|a| a.path == rel)
            .and_then(|i| ArticleId::try_from(i).ok())
    }

    pub fn push(&mut self, article: Article) -> ArticleId {
        let id = ArticleId::try_from(self.articles.len()).unwrap_or(ArticleId::MAX);
        self.rows.push(make_row(&article));
        self.articles.push(article);
        self.sorted = None;
        id
    }

    /// Replaces a post after it was saved or reloaded.
    pub fn update(&mut self, id: ArticleId, article: Article) {
        let index = id as usize;
        if let (Some(slot), Some(row)) = (self.articles.get_mut(index), self.rows.get_mut(index)) {
            *row = make_row(&article);
            *slot = article;
            self.sorted = None;
        }
    }

    /// Drops a post from every query (its slot stays so ids remain stable).
    pub fn remove(&mut self, id: ArticleId) {
        if let Some(row) = self.rows.get_mut(id as usize) {
            row.haystack.clear();
            row.title.clear();
            row.problem_count = usize::MAX;
            self.sorted = None;
        }
    }

    fn is_removed(row: &Row) -> bool {
        row.problem_count == usize::MAX
    }

    /// Every post matching `query`, in its sort order.
    pub fn query(&mut self, query: &Query) -> Vec<ArticleId> {
        self.query_with(query, None)
    }

    /// Like [`Self::query`], also keeping posts whose body matched (`body_matches`).
    pub fn query_with(
        &mut self,
        query: &Query,
        body_matches: Option<&std::collections::HashSet<ArticleId>>,
    ) -> Vec<ArticleId> {
        let terms: Vec<String> = query
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.ensure_sorted(query.sort, query.descending);
        let Some((_, _, order)) = &self.sorted else {
            return Vec::new();
        };
        order
            .iter()
            .copied()
            .filter(|&id| {
                let (Some(row), Some(article)) =
                    (self.rows.get(id as usize), self.articles.get(id as usize))
                else {
                    return false;
                };
                !Self::is_removed(row)
                    && (terms.iter().all(|t| row.haystack.contains(t.as_str()))
                        || body_matches.is_some_and(|m| m.contains(&id)))
                    && (!query.only_problems || row.problem_count > 0)
                    && query.year.is_none_or(|y| row.year == Some(y))
                    && query
                        .author
                        .as_ref()
                        .is_none_or(|a| article.front.authors.iter().any(|x| x == a))
                    && article
                        .front
                        .categories
                        .starts_with(query.category_path.as_slice())
            })
            .collect()
    }

    /// Narrows `ids` (a previous result, in order) to those whose text matches `text`:
    /// typing one more character only has to look at what is already shown.
    pub fn refine(&self, ids: &[ArticleId], text: &str) -> Vec<ArticleId> {
        let terms: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        ids.iter()
            .copied()
            .filter(|&id| {
                self.rows
                    .get(id as usize)
                    .is_some_and(|row| terms.iter().all(|t| row.haystack.contains(t.as_str())))
            })
            .collect()
    }

    fn ensure_sorted(&mut self, key: SortKey, descending: bool) {
        if matches!(&self.sorted, Some((k, d, _)) if *k == key && *d == descending) {
            return;
        }
        let mut order: Vec<ArticleId> = (0..self.rows.len())
            .filter_map(|i| ArticleId::try_from(i).ok())
            .collect();
        let rows = &self.rows;
        let articles = &self.articles;
        let row = |id: &ArticleId| rows.get(*id as usize);
        match key {
            SortKey::Date => order.sort_by_key(|id| row(id).and_then(|r| r.timestamp)),
            SortKey::Modified => order.sort_by_key(|id| row(id).map(|r| r.modified_secs)),
            SortKey::Title => order.sort_by(|a, b| {
                let ta = row(a).map(|r| r.title.as_str());
                let tb = row(b).map(|r| r.title.as_str());
                ta.cmp(&tb)
            }),
            SortKey::Source => order.sort_by(|a, b| {
                let sa = row(a).map(|r| r.source.as_str());
                let sb = row(b).map(|r| r.source.as_str());
                sa.cmp(&sb)
            }),
            SortKey::Path => order.sort_by(|a, b| {
                let pa = articles.get(*a as usize).map(|r| &r.path);
                let pb = articles.get(*b as usize).map(|r| &r.path);
                pa.cmp(&pb)
            }),
        }
        if descending {
            order.reverse();
        }
        self.sorted = Some((key, descending, order));
    }

    /// Facet counts over the whole catalog.
    pub fn facets(&self) -> Facets {
        let mut tree = Tree::default();
        let mut authors: BTreeMap<&str, usize> = BTreeMap::new();
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        let mut with_problems = 0;
        for (article, row) in self.articles.iter().zip(&self.rows) {
            if Self::is_removed(row) {
                continue;
            }
            tree.add(&article.front.categories);
            for a in &article.front.authors {
                *authors.entry(a.as_str()).or_default() += 1;
            }
            if let Some(y) = row.year {
                *years.entry(y).or_default() += 1;
            }
            if row.problem_count > 0 {
                with_problems += 1;
            }
        }
        let mut authors: Vec<(String, usize)> = authors
            .into_iter()
            .map(|(a, n)| (a.to_owned(), n))
            .collect();
        authors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Facets {
            categories: tree.into_nodes(),
            authors,
            years: years.into_iter().rev().collect(),
            with_problems,
        }
    }

    /// Every distinct category and tag, for completion in the editor.
    pub fn category_values(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .articles
            .iter()
            .flat_map(|a| a.front.categories.iter().chain(&a.front.tags))
            .cloned()
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

#[derive(Default)]
struct Tree {
    count: usize,
    children: BTreeMap<String, Tree>,
}

impl Tree {
    fn add(&mut self, path: &[String]) {
        let mut node = self;
        for part in path {
            node = node.children.entry(part.clone()).or_default();
            node.count += 1;
        }
    }

    fn into_nodes(self) -> Vec<CategoryNode> {
        self.children
            .into_iter()
            .map(|(name, t)| CategoryNode {
                name,
                count: t.count,
                children: t.into_nodes(),
            })
            .collect()
    }
}

fn make_row(article: &Article) -> Row {
    let front = &article.front;
    let title = {
        let t = front.display_title();
        if t.is_empty() {
            article
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            t.into_owned()
        }
    };
    let source = if front.categories.is_empty() {
        article
            .path
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        front.categories.join(" › ")
    };
    let mut haystack = title.to_lowercase();
    for part in front
        .authors
        .iter()
        .chain(&front.categories)
        .chain(&front.tags)
    {
        haystack.push('\n');
        haystack.push_str(&part.to_lowercase());
    }
    haystack.push('\n');
    haystack.push_str(&article.path_display().to_lowercase());
    let parsed = front.date.as_ref().and_then(|d| d.parsed);
    Row {
        date_label: front
            .date
            .as_ref()
            .map(local_date_label)
            .unwrap_or_default(),
        timestamp: parsed.map(|d| d.timestamp()),
        year: parsed.map(|d| d.year()),
        modified_secs: article
            .modified
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        problem_count: article.problems.len(),
        has_errors: article.has_errors(),
        title,
        source,
        haystack,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse_bytes;

    fn post(path: &str, title: &str, cats: &[&str], date: &str) -> Article {
        let cats: String = cats.iter().map(|c| format!(" - {c}\n")).collect();
        let text = format!(
            "---\ntitle: '{title}'\ncategories:\n{cats}author: 作者\ndate: {date}\n---\nbody\n"
        );
        parse_bytes(path.into(), None, text.into_bytes()).article
    }

    fn catalog() -> Catalog {
        let mut c = Catalog::default();
        c.push(post(
            "a.md",
            "北京新增",
            &["金融", "新浪财经"],
            "Thu, 17 Jun 2021 08:02:32 GMT",
        ));
        c.push(post(
            "b.md",
            "Apple Maps",
            &["新媒体", "9To5"],
            "2022-03-03 23:05:38",
        ));
        c.push(post(
            "c.md",
            "上海新增",
            &["金融", "财联社"],
            "Invalid Date",
        ));
        c
    }

    #[test]
    fn search_terms_must_all_match_case_insensitively() {
        let mut c = catalog();
        let q = |text: &str| Query {
            text: text.into(),
            ..Query::default()
        };
        assert_eq!(c.query(&q("新增")).len(), 2);
        assert_eq!(c.query(&q("apple maps")), vec![1]);
        assert_eq!(c.query(&q("新增 北京")), vec![0]);
        assert_eq!(c.query(&q("9to5")), vec![1], "categories are searched");
    }

    #[test]
    fn sorts_by_date_with_unparsed_dates_first_ascending() {
        let mut c = catalog();
        let q = Query {
            sort: SortKey::Date,
            descending: true,
            ..Query::default()
        };
        assert_eq!(c.query(&q), vec![1, 0, 2]);
        let q = Query {
            sort: SortKey::Title,
            descending: false,
            ..Query::default()
        };
        assert_eq!(c.query(&q), vec![1, 2, 0]);
    }

    #[test]
    fn facets_count_category_paths_and_filters_narrow() {
        let mut c = catalog();
        let f = c.facets();
        let finance = f
            .categories
            .iter()
            .find(|n| n.name == "金融")
            .map(|n| n.count);
        assert_eq!(finance, Some(2));
        assert_eq!(f.years, vec![(2022, 1), (2021, 1)]);
        let q = Query {
            category_path: vec!["金融".into()],
            ..Query::default()
        };
        assert_eq!(c.query(&q).len(), 2);
        let q = Query {
            year: Some(2022),
            ..Query::default()
        };
        assert_eq!(c.query(&q), vec![1]);
    }

    #[test]
    fn refining_a_result_equals_querying_again() {
        let mut c = catalog();
        let all = c.query(&Query::default());
        let narrowed = c.refine(&all, "新增 上");
        let fresh = c.query(&Query {
            text: "新增 上".into(),
            ..Query::default()
        });
        assert_eq!(narrowed, fresh);
    }

    #[test]
    fn removed_posts_leave_every_query() {
        let mut c = catalog();
        c.remove(0);
        assert_eq!(c.query(&Query::default()).len(), 2);
    }
}
