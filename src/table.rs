//! Posts as a table: the columns a person can choose, what a cell holds, how a column
//! sorts and how a typed cell becomes a front-matter edit.
//!
//! Egui-free, shared by the window's table view and by export (`folio export
//! --columns`), so a column shows, sorts and exports the same value everywhere.
//!
//! A [`Column`] is named as in `--columns`: `path`, `folder`, `title`, `date` (as
//! written), `date_utc`, `categories`, `tags`, `author`, `image` (the post's image, as
//! the list's thumbnail picks it), `size`, `modified`, `problems`, or any other
//! front-matter key as the post writes it (`headimg`, `comments`, `source`, …).
//!
//! # Sorting
//!
//! [`sort`] orders posts by one column, stably both ways: posts with equal values keep
//! the order they came in (the list's order), ascending or descending, and posts
//! without a value come last either way. Text sorts as titles do
//! ([`crate::index::title_key`]: Chinese by pinyin among Latin letters, case ignored,
//! numbers by value), dates by instant, sizes and counts by number.
//!
//! # Editing
//!
//! [`edit_cell`] types a cell's text as the key's value in the post's [`Fields`], the
//! same model the front-matter editor uses, so the save that follows is the lossless
//! single-post save: only that key's bytes change. List cells are items separated by
//! `;` (or a full-width `；`), as they are shown.

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::archive::{Article, display_text};
use crate::fields::{FieldKind, FieldValue, Fields};
use crate::index::ArticleId;

/// The columns a table has when none are asked for.
pub const DEFAULT_COLUMNS: [&str; 6] = ["path", "title", "date", "categories", "tags", "author"];

/// Columns every post has, offered first when choosing columns.
pub const BUILT_IN: [&str; 12] = [
    "title",
    "date",
    "categories",
    "tags",
    "author",
    "image",
    "path",
    "folder",
    "size",
    "modified",
    "problems",
    "date_utc",
];

/// One column of a table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Path,
    Folder,
    Title,
    Date,
    DateUtc,
    Categories,
    Tags,
    Author,
    Image,
    Size,
    Modified,
    Problems,
    /// Any other front-matter key, as the post writes it.
    Key(String),
}

/// A cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    List(Vec<String>),
    Number(u64),
    Missing,
}

impl Column {
    /// The column named `name` (every name not listed is a front-matter key).
    pub fn parse(name: &str) -> Self {
        match name.trim() {
            "path" => Self::Path,
            "folder" => Self::Folder,
            "title" => Self::Title,
            "date" => Self::Date,
            "date_utc" => Self::DateUtc,
            "categories" | "category" => Self::Categories,
            "tags" | "tag" => Self::Tags,
            "author" | "authors" => Self::Author,
            "image" => Self::Image,
            "size" => Self::Size,
            "modified" => Self::Modified,
            "problems" => Self::Problems,
            other => Self::Key(other.to_owned()),
        }
    }

    /// Columns from a comma-separated list (`title,date,source`); empty names are
    /// skipped, and an empty list gives [`DEFAULT_COLUMNS`].
    pub fn parse_list(list: &str) -> Vec<Self> {
        let columns: Vec<Self> = list
            .split(',')
            .filter(|n| !n.trim().is_empty())
            .map(Self::parse)
            .collect();
        if columns.is_empty() {
            DEFAULT_COLUMNS.iter().map(|n| Self::parse(n)).collect()
        } else {
            columns
        }
    }

    /// The column's name, as in a header and in `--columns`.
    pub fn name(&self) -> &str {
        match self {
            Self::Path => "path",
            Self::Folder => "folder",
            Self::Title => "title",
            Self::Date => "date",
            Self::DateUtc => "date_utc",
            Self::Categories => "categories",
            Self::Tags => "tags",
            Self::Author => "author",
            Self::Image => "image",
            Self::Size => "size",
            Self::Modified => "modified",
            Self::Problems => "problems",
            Self::Key(key) => key,
        }
    }

    /// This column's value for `article`.
    pub fn value(&self, article: &Article) -> Cell {
        let front = &article.front;
        let list = |items: &[String]| {
            Cell::List(items.iter().map(|s| display_text(s).into_owned()).collect())
        };
        let text = |value: Option<&String>| value.map_or(Cell::Missing, |v| Cell::Text(v.clone()));
        match self {
            Self::Path => Cell::Text(article.path_display()),
            Self::Folder => Cell::Text(article.folder()),
            Self::Title => Cell::Text(front.display_title().into_owned()),
            Self::Date => front
                .date
                .as_ref()
                .map_or(Cell::Missing, |d| Cell::Text(d.raw.clone())),
            Self::DateUtc => front
                .date
                .as_ref()
                .and_then(|d| d.to_rfc3339_utc())
                .map_or(Cell::Missing, Cell::Text),
            Self::Categories => list(&front.categories),
            Self::Tags => list(&front.tags),
            Self::Author => list(&front.authors),
            Self::Image => crate::thumbs::best_image(front, &article.folder(), None)
                .map_or(Cell::Missing, |image| Cell::Text(image.as_str().to_owned())),
            Self::Size => Cell::Number(article.size),
            Self::Modified => article.modified.map_or(Cell::Missing, |t| {
                Cell::Text(
                    chrono::DateTime::<chrono::Utc>::from(t)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                )
            }),
            Self::Problems => Cell::Number(article.problems.len() as u64),
            // Keys the scan types have their own fields; every other key is in `extra`.
            Self::Key(key) => match key.as_str() {
                "headimg" => text(front.headimg.as_ref()),
                "thumbnail" => text(front.thumbnail.as_ref()),
                "cover" => text(front.cover.as_ref()),
                "comments" => front
                    .comments
                    .map_or(Cell::Missing, |c| Cell::Text(c.to_string())),
                "updated" | "lastmod" if front.key_as_written("updated") == key.as_str() => front
                    .updated
                    .as_ref()
                    .map_or(Cell::Missing, |d| Cell::Text(d.raw.clone())),
                _ => front
                    .extra
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or(Cell::Missing, |(_, v)| Cell::Text(v.clone())),
            },
        }
    }

    /// The cell as a table shows it: dates in local time like the list, sizes in
    /// KB, list items joined with `; ` (which is also how a list cell is typed).
    pub fn display(&self, article: &Article) -> String {
        match self {
            Self::Date => article
                .front
                .date
                .as_ref()
                .map(crate::index::local_date_label)
                .unwrap_or_default(),
            Self::Modified => article
                .modified
                .map(|t| {
                    chrono::DateTime::<chrono::Local>::from(t)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default(),
            Self::Size => human_size(article.size),
            Self::Problems if article.problems.is_empty() => String::new(),
            _ => match self.value(article) {
                Cell::Text(text) => text,
                Cell::List(items) => items.join("; "),
                Cell::Number(n) => n.to_string(),
                Cell::Missing => String::new(),
            },
        }
    }

    /// The text a cell edit starts from: the value as written (a date's raw text, a
    /// list's items joined with `; `), or `None` when the column cannot be edited.
    pub fn edit_text(&self, fields: &Fields) -> Option<String> {
        let key = self.key()?;
        let key = fields.key_as_written(key);
        Some(match fields.value(key) {
            None => String::new(),
            Some(FieldValue::List(items)) => items.join("; "),
            Some(FieldValue::Structured(_)) => return None,
            Some(value) => value.summary(),
        })
    }

    /// The front-matter key a cell of this column edits (`None`: path, size and other
    /// columns that are not written in the front matter).
    pub fn key(&self) -> Option<&str> {
        match self {
            Self::Title => Some("title"),
            Self::Date => Some("date"),
            Self::Categories => Some("categories"),
            Self::Tags => Some("tags"),
            Self::Author => Some("author"),
            Self::Key(key) => Some(key),
            Self::Path
            | Self::Folder
            | Self::DateUtc
            | Self::Image
            | Self::Size
            | Self::Modified
            | Self::Problems => None,
        }
    }

    /// Whether values of this column are numbers (aligned right in a table).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Self::Size | Self::Problems)
    }

    /// The value `sort` orders by (`None`: no value, sorted last).
    fn sort_value(&self, article: &Article) -> Option<SortValue> {
        let date = |d: Option<&crate::archive::DateValue>| {
            let d = d?;
            Some(match d.timestamp() {
                Some(t) => SortValue::Number(i128::from(t)),
                None => SortValue::Text(crate::index::title_key(&d.raw)),
            })
        };
        match self {
            Self::Date | Self::DateUtc => date(article.front.date.as_ref()),
            Self::Size => Some(SortValue::Number(i128::from(article.size))),
            Self::Problems => Some(SortValue::Number(article.problems.len() as i128)),
            Self::Modified => article.modified.map(|t| {
                let nanos = match t.duration_since(std::time::UNIX_EPOCH) {
                    Ok(d) => d.as_nanos() as i128,
                    Err(e) => -(e.duration().as_nanos() as i128),
                };
                SortValue::Number(nanos)
            }),
            _ => {
                let shown = match self.value(article) {
                    Cell::Text(text) => text,
                    Cell::List(items) => items.join("; "),
                    Cell::Number(n) => n.to_string(),
                    Cell::Missing => return None,
                };
                (!shown.trim().is_empty()).then(|| SortValue::Text(crate::index::title_key(&shown)))
            }
        }
    }
}

/// What a column sorts by: numbers before text when a column mixes them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    Number(i128),
    Text(Box<[u8]>),
}

impl Cell {
    pub(crate) fn csv_text(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::List(items) => items.join(";"),
            Self::Number(n) => n.to_string(),
            Self::Missing => String::new(),
        }
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        match self {
            Self::Text(text) => serde_json::Value::String(text.clone()),
            Self::List(items) => items.clone().into(),
            Self::Number(n) => (*n).into(),
            Self::Missing => serde_json::Value::Null,
        }
    }
}

/// `1234` → `1.2 KB`.
fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

/// Orders `ids` by `column` (see the module docs): stable both ways, posts without a
/// value last. `article` finds a post by id; ids it does not know go last too.
pub fn sort<'a>(
    ids: &mut [ArticleId],
    column: &Column,
    descending: bool,
    article: impl Fn(ArticleId) -> Option<&'a Article> + Sync,
) {
    let keys: Vec<Option<SortValue>> = ids
        .par_iter()
        .map(|&id| article(id).and_then(|a| column.sort_value(a)))
        .collect();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| compare(&keys[a], &keys[b], descending));
    let sorted: Vec<ArticleId> = order.iter().map(|&i| ids[i]).collect();
    ids.copy_from_slice(&sorted);
}

/// Values first (ascending or descending), no value last.
fn compare(a: &Option<SortValue>, b: &Option<SortValue>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if descending => y.cmp(x),
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Every post's place in the order of one column, kept so that a changing result is
/// re-sorted by integers alone ([`Ranks::sort`], stable like [`sort`]) and a changed
/// post is placed again without ranking every post ([`Ranks::update`]).
///
/// Ranks are spaced [`RANK_GAP`] apart in ascending value order (equal values share a
/// rank); a new value takes the middle of the gap between its neighbours' ranks.
#[derive(Clone, Debug)]
pub struct Ranks {
    column: Column,
    /// Each post's rank by id ([`NO_RANK`]: no value).
    rank: Vec<u64>,
    /// Every value ranked so far with its rank, ascending.
    values: Vec<(SortValue, u64)>,
}

/// The rank of a post without a value.
pub const NO_RANK: u64 = u64::MAX;
/// The room between two neighbouring values' ranks when they are first ranked.
pub const RANK_GAP: u64 = 1 << 20;

impl Ranks {
    /// Ranks every post `0..count` by `column`; `article` finds a post by id.
    pub fn new<'a>(
        count: usize,
        column: &Column,
        article: impl Fn(ArticleId) -> Option<&'a Article> + Sync,
    ) -> Self {
        let values: Vec<Option<SortValue>> = (0..count)
            .into_par_iter()
            .map(|i| {
                let id = ArticleId::try_from(i).ok()?;
                article(id).and_then(|a| column.sort_value(a))
            })
            .collect();
        let mut order: Vec<usize> = (0..count).filter(|&i| values[i].is_some()).collect();
        order.par_sort_by(|&a, &b| compare(&values[a], &values[b], false));
        let mut rank = vec![NO_RANK; count];
        let mut distinct: Vec<(SortValue, u64)> = Vec::new();
        for &i in &order {
            let Some(value) = &values[i] else { continue };
            if distinct.last().is_none_or(|(last, _)| last != value) {
                let next = (distinct.len() as u64 + 1) * RANK_GAP;
                distinct.push((value.clone(), next));
            }
            if let Some((_, r)) = distinct.last() {
                rank[i] = *r;
            }
        }
        Self {
            column: column.clone(),
            rank,
            values: distinct,
        }
    }

    /// The column these ranks are of.
    pub fn column(&self) -> &Column {
        &self.column
    }

    /// Post `id`'s rank ([`NO_RANK`] for a post without a value or not ranked).
    pub fn get(&self, id: ArticleId) -> u64 {
        self.rank.get(id as usize).copied().unwrap_or(NO_RANK)
    }

    /// Places post `id` as it is now (`None`: gone). False when its value falls between
    /// two ranks with no room left: the ranks must then be made anew.
    pub fn update(&mut self, id: ArticleId, article: Option<&Article>) -> bool {
        let i = id as usize;
        if i >= self.rank.len() {
            self.rank.resize(i + 1, NO_RANK);
        }
        let Some(value) = article.and_then(|a| self.column.sort_value(a)) else {
            self.rank[i] = NO_RANK;
            return true;
        };
        let at = match self.values.binary_search_by(|(v, _)| v.cmp(&value)) {
            Ok(found) => self.values[found].1,
            Err(place) => {
                let below = place.checked_sub(1).map_or(0, |p| self.values[p].1);
                let above = self
                    .values
                    .get(place)
                    .map_or(below.saturating_add(2 * RANK_GAP), |(_, r)| *r);
                if above - below < 2 {
                    return false;
                }
                let middle = below + (above - below) / 2;
                self.values.insert(place, (value, middle));
                middle
            }
        };
        self.rank[i] = at;
        true
    }

    /// Orders `ids` by these ranks: stable both ways, posts without a value last.
    pub fn sort(&self, ids: &mut [ArticleId], descending: bool) {
        if descending {
            ids.sort_by_key(|&id| match self.get(id) {
                NO_RANK => (1, 0),
                r => (0, u64::MAX - r),
            });
        } else {
            ids.sort_by_key(|&id| self.get(id));
        }
    }
}

/// Every column a table of `articles` can show, with how many posts have a value:
/// the built-in columns first, then every other front-matter key, most used first.
pub fn available<'a>(articles: impl Iterator<Item = &'a Article>) -> Vec<(Column, usize)> {
    use std::collections::HashMap;
    let mut total = 0;
    let mut keys: HashMap<&str, usize> = HashMap::new();
    for article in articles {
        total += 1;
        let front = &article.front;
        let typed = [
            ("headimg", front.headimg.is_some()),
            ("thumbnail", front.thumbnail.is_some()),
            ("cover", front.cover.is_some()),
            ("comments", front.comments.is_some()),
            (front.key_as_written("updated"), front.updated.is_some()),
        ];
        for (key, present) in typed {
            if present {
                *keys.entry(key).or_default() += 1;
            }
        }
        for (key, _) in &front.extra {
            *keys.entry(key.as_str()).or_default() += 1;
        }
    }
    let mut columns: Vec<(Column, usize)> = BUILT_IN
        .iter()
        .map(|name| (Column::parse(name), total))
        .collect();
    let mut other: Vec<(&str, usize)> = keys
        .into_iter()
        .filter(|(key, _)| matches!(Column::parse(key), Column::Key(_)))
        .collect();
    other.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    columns.extend(
        other
            .into_iter()
            .map(|(key, n)| (Column::Key(key.to_owned()), n)),
    );
    columns
}

/// Why a cell could not be edited.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    #[error("the {0} column is not part of the front matter and cannot be edited")]
    NotEditable(String),
    #[error("{0} holds a map or a nested list, which is edited in the front-matter panel")]
    Structured(String),
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
}

/// Types `text` as the new value of `column` in `fields` (see the module docs). An
/// empty cell of a key the post has empties the value; the key stays.
pub fn edit_cell(fields: &mut Fields, column: &Column, text: &str) -> Result<(), CellError> {
    let Some(key) = column.key() else {
        return Err(CellError::NotEditable(column.name().to_owned()));
    };
    let key = fields.key_as_written(key).to_owned();
    let text = text.trim();
    let existing = fields.value(&key);
    if existing.is_none() && text.is_empty() {
        return Ok(());
    }
    let kind = match existing {
        Some(FieldValue::Structured(_)) => return Err(CellError::Structured(key)),
        Some(value) => value.kind().unwrap_or(FieldKind::Raw),
        None => FieldKind::of_key(&key),
    };
    let value = match kind {
        FieldKind::List => FieldValue::List(
            text.split([';', '；'])
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        kind => kind
            .value_from_text(text)
            .map_err(|message| CellError::Invalid {
                key: key.clone(),
                message,
            })?,
    };
    fields.set(&key, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse_bytes;

    fn post(path: &str, front: &str) -> Article {
        let text = format!("---\n{front}---\nbody\n");
        parse_bytes(path.into(), None, text.into_bytes()).article
    }

    #[test]
    fn column_names_parse_and_unknown_names_are_keys() {
        let columns = Column::parse_list("title, date,source,,category");
        assert_eq!(
            columns,
            [
                Column::Title,
                Column::Date,
                Column::Key("source".into()),
                Column::Categories
            ]
        );
        assert_eq!(Column::parse_list(" ").len(), DEFAULT_COLUMNS.len());
    }

    #[test]
    fn typed_keys_are_columns_too() {
        let a = post(
            "a.md",
            "title: 甲\nheadimg: a.jpg\ncomments: false\nupdated: 2021-06-18\nsource: 新华社\n",
        );
        let text = |name: &str| Column::parse(name).value(&a);
        assert_eq!(text("headimg"), Cell::Text("a.jpg".into()));
        assert_eq!(text("comments"), Cell::Text("false".into()));
        assert_eq!(text("updated"), Cell::Text("2021-06-18".into()));
        assert_eq!(text("source"), Cell::Text("新华社".into()));
        assert_eq!(text("missing"), Cell::Missing);
        let names: Vec<String> = available([&a].into_iter())
            .into_iter()
            .map(|(c, _)| c.name().to_owned())
            .collect();
        for key in [
            "title", "path", "problems", "headimg", "comments", "updated", "source",
        ] {
            assert!(names.iter().any(|n| n == key), "{key} in {names:?}");
        }
    }

    #[test]
    fn a_sort_is_stable_both_ways_with_missing_values_last() {
        let posts = [
            post("0.md", "title: b\nauthor: 张三\n"),
            post("1.md", "title: a\n"),
            post("2.md", "title: c\nauthor: 李四\n"),
            post("3.md", "title: d\nauthor: 张三\n"),
            post("4.md", "title: e\nauthor: 阿\n"),
        ];
        let find = |id: ArticleId| posts.get(id as usize);
        let by = |descending| {
            let mut ids = vec![0, 1, 2, 3, 4];
            sort(&mut ids, &Column::Author, descending, find);
            ids
        };
        // 阿 (a) < 李四 (li) < 张三 (zhang); the two 张三 keep their order both ways.
        assert_eq!(by(false), [4, 2, 0, 3, 1]);
        assert_eq!(by(true), [0, 3, 2, 4, 1]);
        let ranks = Ranks::new(posts.len(), &Column::Author, find);
        let ranked: Vec<u64> = (0..5).map(|id| ranks.get(id)).collect();
        assert_eq!(
            ranked,
            [3 * RANK_GAP, NO_RANK, 2 * RANK_GAP, 3 * RANK_GAP, RANK_GAP]
        );
        for descending in [false, true] {
            let mut by_ranks = vec![0, 1, 2, 3, 4];
            ranks.sort(&mut by_ranks, descending);
            assert_eq!(by_ranks, by(descending));
        }
        let mut ids = vec![4, 3, 2, 1, 0];
        sort(&mut ids, &Column::Size, false, find);
        // Equal sizes: the incoming order stays.
        let sizes: Vec<u64> = ids.iter().map(|&i| posts[i as usize].size).collect();
        assert!(sizes.is_sorted(), "{sizes:?}");
    }

    #[test]
    fn a_changed_post_is_ranked_again_in_place_of_ranking_every_post() {
        let mut posts: Vec<Article> = ["李四", "张三", "王五", "阿"]
            .iter()
            .enumerate()
            .map(|(i, a)| post(&format!("{i}.md"), &format!("title: t\nauthor: {a}\n")))
            .collect();
        let mut ranks = Ranks::new(posts.len(), &Column::Author, |id| posts.get(id as usize));
        // A new value between two others, one equal to another post's old value, one
        // after all, a new post, and one that lost its value.
        for (i, author) in [(0, "刘"), (1, "王五"), (3, "赵")] {
            posts[i] = post(&format!("{i}.md"), &format!("title: t\nauthor: {author}\n"));
        }
        posts.push(post("4.md", "title: t\nauthor: 陈\n"));
        posts[2] = post("2.md", "title: t\n");
        for id in [0, 1, 3, 4, 2] {
            assert!(ranks.update(id, posts.get(id as usize)));
        }
        let fresh = Ranks::new(posts.len(), &Column::Author, |id| posts.get(id as usize));
        for descending in [false, true] {
            let (mut a, mut b) = (vec![0, 1, 2, 3, 4], vec![0, 1, 2, 3, 4]);
            ranks.sort(&mut a, descending);
            fresh.sort(&mut b, descending);
            assert_eq!(a, b, "descending: {descending}");
        }
        // 陈 < 刘 < 王五 < 赵; the post without an author last.
        let mut ids = vec![0, 1, 2, 3, 4];
        ranks.sort(&mut ids, false);
        assert_eq!(ids, [4, 0, 1, 3, 2]);
    }

    #[test]
    fn numbers_in_text_sort_by_value_and_dates_by_instant() {
        let posts = [
            post(
                "0.md",
                "title: 第10期\ndate: Thu, 17 Jun 2021 08:02:32 GMT\n",
            ),
            post("1.md", "title: 第9期\ndate: 2021-06-17 09:00:00 +0800\n"),
            post("2.md", "title: 第100期\ndate: 2020-01-01\n"),
        ];
        let find = |id: ArticleId| posts.get(id as usize);
        let mut ids = vec![0, 1, 2];
        sort(&mut ids, &Column::Title, false, find);
        assert_eq!(ids, [1, 0, 2]);
        sort(&mut ids, &Column::Date, false, find);
        // 09:00 +0800 is 01:00 GMT, before 08:02 GMT.
        assert_eq!(ids, [2, 1, 0]);
    }

    #[test]
    fn a_cell_edit_sets_the_key_as_the_post_writes_it() {
        let text = "---\ntitle: 旧\ncategory: 新闻\ntags: [a]\ncomments: true\nmeta: {a: 1}\n---\n";
        let post = parse_bytes("a.md".into(), None, text.as_bytes().to_vec());
        let mut fields = Fields::of_post(&post).unwrap();
        let original = fields.clone();
        assert_eq!(
            Column::Categories.edit_text(&fields).as_deref(),
            Some("新闻")
        );
        edit_cell(&mut fields, &Column::Title, " 新标题 ").unwrap();
        edit_cell(&mut fields, &Column::Categories, "新闻；财经; ").unwrap();
        edit_cell(&mut fields, &Column::Tags, "a; b").unwrap();
        assert_eq!(
            fields.value("category"),
            Some(&FieldValue::List(vec!["新闻".into(), "财经".into()]))
        );
        assert!(fields.value("categories").is_none());
        assert_eq!(
            edit_cell(&mut fields, &Column::parse("comments"), "maybe"),
            Err(CellError::Invalid {
                key: "comments".into(),
                message: crate::fields::parse_bool("maybe").unwrap_err()
            })
        );
        assert!(matches!(
            edit_cell(&mut fields, &Column::parse("meta"), "x"),
            Err(CellError::Structured(_))
        ));
        assert!(matches!(
            edit_cell(&mut fields, &Column::Path, "x"),
            Err(CellError::NotEditable(_))
        ));
        // An empty cell of a key the post lacks adds nothing.
        edit_cell(&mut fields, &Column::parse("source"), "").unwrap();
        assert!(fields.value("source").is_none());
        let edits = fields.edits_from(&original).unwrap();
        assert_eq!(edits.len(), 3, "{edits:?}");
    }
}
