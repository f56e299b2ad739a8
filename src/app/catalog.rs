//! The app's scanned posts: the `Vec<Article>` the index points into, the core
//! [`Index`] over it, and what a list row shows.
//!
//! Filtering, sorting, the search syntax and facet counts are the core `index` module's;
//! this file only keeps the two in step (ids are positions, pushed in `Vec` order) and
//! caches each row's display text (title, local date label, source) and its thumbnail
//! request, so drawing the visible rows never formats dates, joins category paths or
//! parses image references on a frame.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::{Article, display_text};
use crate::index::{Facets, Index, Query, local_date_label, source_label};
use crate::thumbs::{ThumbRequest, ThumbSize, best_image};

pub use crate::index::ArticleId;

/// What a list row shows, computed once per post.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub title: String,
    /// Local date, `2021-06-17 16:02`, or the raw value when it does not parse.
    pub date_label: String,
    /// Category path joined with ` › `, or the post's folder.
    pub source: String,
    pub problem_count: usize,
    pub has_errors: bool,
    /// The post's image at list size, when it has one Folio may load.
    pub thumb: Option<ThumbRequest>,
}

impl Row {
    fn new(article: &Article, root: Option<&Arc<Path>>) -> Self {
        let thumb = root.and_then(|root| {
            let image = best_image(&article.front, &article.folder(), None)?;
            ThumbRequest::for_image(Arc::clone(root), &image, ThumbSize::List).ok()
        });
        Self {
            title: article.display_title().into_owned(),
            date_label: article
                .front
                .date
                .as_ref()
                .map(local_date_label)
                .unwrap_or_default(),
            source: source_label(article),
            problem_count: article.problems.len(),
            has_errors: article.has_errors(),
            thumb,
        }
    }
}

/// The archive's categories, tags and authors with their post counts.
#[derive(Clone, Debug, Default)]
pub struct Taxonomy {
    pub tree: crate::index::CategoryNode,
    pub categories: Vec<(String, usize)>,
    pub tags: Vec<(String, usize)>,
    pub authors: Vec<(String, usize)>,
    /// Groups of spellings that are probably one item, with the key they belong to.
    pub variants: Vec<(&'static str, crate::bulk::Variant)>,
}

/// Existing values the front-matter editor completes from, most used first.
#[derive(Clone, Debug, Default)]
pub struct Completions {
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
}

impl Completions {
    /// The values a list-valued front-matter key completes from.
    pub fn for_key(&self, key: &str) -> &[String] {
        match key.to_ascii_lowercase().as_str() {
            "categories" | "category" => &self.categories,
            "tags" | "tag" => &self.tags,
            "author" | "authors" => &self.authors,
            _ => &[],
        }
    }
}

/// Changes the catalog remembers one by one (see [`Catalog::changed_since`]).
const LOG_MAX: usize = 4096;

/// The scanned posts and the index over them.
#[derive(Default)]
pub struct Catalog {
    /// The archive root, which thumbnail requests are relative to.
    root: Option<Arc<Path>>,
    articles: Vec<Article>,
    rows: Vec<Row>,
    index: Index,
    /// The id of each live post by its path, for answers that name files.
    by_path: HashMap<PathBuf, ArticleId>,
    /// Counts changes (posts added, updated, removed), for figures kept beside it.
    generation: u64,
    /// The posts each generation after `log_from` added, updated or removed, in order
    /// (bounded: past [`LOG_MAX`] it starts again), so figures kept beside the catalog
    /// can take in a few changes without going over every post.
    log: Vec<ArticleId>,
    /// The generation the log starts after.
    log_from: u64,
    /// The last git status, which gives each post its state in the index (also the
    /// posts a running scan delivers after it arrived).
    changes: Option<crate::git::Changes>,
}

impl Catalog {
    /// A number that changes whenever a post is added, updated or removed.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The posts added, updated or removed since `generation`, oldest first (a post may
    /// be listed twice); `None` when the catalog no longer knows (a new scan, a whole
    /// list taken in, or too many changes since).
    pub fn changed_since(&self, generation: u64) -> Option<&[ArticleId]> {
        if generation < self.log_from || generation > self.generation {
            return None;
        }
        let skip = usize::try_from(generation - self.log_from).ok()?;
        self.log.get(skip..)
    }

    /// Counts one change of post `id`.
    fn changed(&mut self, id: ArticleId) {
        self.generation += 1;
        if self.log.len() >= LOG_MAX {
            self.log.clear();
            self.log_from = self.generation;
        } else {
            self.log.push(id);
        }
    }

    /// Forgets the log: every change so far is "unknown" to [`Catalog::changed_since`].
    fn restart_log(&mut self) {
        self.log.clear();
        self.log_from = self.generation;
    }

    /// Posts in the archive (not counting those moved to the trash): the M of "N of M".
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Forgets every post, for the archive at `root` (a rescan builds a new index).
    pub fn reset(&mut self, root: &Path) {
        *self = Self {
            root: Some(Arc::from(root)),
            generation: self.generation + 1,
            ..Self::default()
        };
        self.restart_log();
    }

    /// Takes every post of `other` (a catalog built on a worker) in place of this one's,
    /// keeping the generation moving forward and the git status this one had.
    pub fn replace_with(&mut self, other: Catalog) {
        let generation = self.generation + other.generation + 1;
        let changes = self.changes.take();
        *self = other;
        self.generation = generation;
        self.restart_log();
        if changes.is_some() {
            self.set_changes(changes);
        }
    }

    /// Ids handed out so far (`0..id_count()`), posts moved to the trash included.
    pub fn id_count(&self) -> usize {
        self.articles.len()
    }

    pub fn article(&self, id: ArticleId) -> Option<&Article> {
        self.articles.get(id as usize)
    }

    pub fn row(&self, id: ArticleId) -> Option<&Row> {
        self.rows.get(id as usize)
    }

    /// A catalog of `articles` (ids in their order) for the archive at `root`, the rows
    /// drawn up in parallel: a whole cached list, indexed on a worker.
    pub fn from_articles(root: &Path, articles: Vec<Article>) -> Self {
        use rayon::prelude::*;
        let mut catalog = Self::default();
        catalog.reset(root);
        let shared_root = catalog.root.clone();
        catalog.rows = articles
            .par_iter()
            .map(|article| Row::new(article, shared_root.as_ref()))
            .collect();
        catalog.index.extend(&articles);
        catalog.by_path = articles
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some((a.path.clone(), ArticleId::try_from(i).ok()?)))
            .collect();
        catalog.generation += articles.len() as u64;
        catalog.restart_log();
        catalog.articles = articles;
        catalog
    }

    /// Adds a post as a scan batch arrives; its id is its position.
    pub fn push(&mut self, article: Article) -> ArticleId {
        let id = self.index.push(&article);
        self.changed(id);
        if let Some(change) = self.changes.as_ref().and_then(|c| c.get(&article.path)) {
            self.index.set_change(id, Some(change.state));
        }
        self.rows.push(Row::new(&article, self.root.as_ref()));
        self.by_path.insert(article.path.clone(), id);
        self.articles.push(article);
        id
    }

    /// The live post at `path` (relative to the root).
    /// Every listed post's path with the stamp its file had when read.
    pub fn stamps(&self) -> HashMap<PathBuf, Option<crate::archive::FileStamp>> {
        self.by_path
            .iter()
            .filter_map(|(path, &id)| Some((path.clone(), self.article(id)?.stamp)))
            .collect()
    }

    pub fn id_of(&self, path: &Path) -> Option<ArticleId> {
        self.by_path.get(path).copied()
    }

    /// Takes in a git status (`None`: no repository): the one place that sets each
    /// post's state in the index, for the list badge, the facet and `is:changed`.
    pub fn set_changes(&mut self, changes: Option<crate::git::Changes>) {
        self.index.clear_changes();
        if let Some(changes) = &changes {
            for change in &changes.changes {
                if let Some(&id) = self.by_path.get(&change.path) {
                    self.index.set_change(id, Some(change.state));
                }
            }
        }
        self.changes = changes;
    }

    /// The git state of post `id` in the last status.
    pub fn change(&self, id: ArticleId) -> Option<crate::git::ChangeState> {
        self.index.change(id)
    }

    /// Prepares for `count` updates and removals at once: past a few hundred, the
    /// index's sort orders are rebuilt once on the next query rather than kept up to
    /// date post by post (20,000 refreshed posts would hold a frame for seconds).
    pub fn expect_changes(&mut self, count: usize) {
        const ONE_BY_ONE: usize = 256;
        if count > ONE_BY_ONE {
            self.index.forget_orders();
        }
    }

    /// Replaces a post after it was saved.
    pub fn update(&mut self, id: ArticleId, article: Article) {
        self.changed(id);
        let i = id as usize;
        if let (Some(slot), Some(row)) = (self.articles.get_mut(i), self.rows.get_mut(i)) {
            self.index.update(id, &article);
            *row = Row::new(&article, self.root.as_ref());
            if slot.path != article.path {
                self.by_path.remove(&slot.path);
                self.by_path.insert(article.path.clone(), id);
            }
            *slot = article;
        }
    }

    /// Drops a post (moved to the trash) from every query; its id stays reserved.
    pub fn remove(&mut self, id: ArticleId) {
        self.changed(id);
        self.index.remove(id);
        if let Some(article) = self.articles.get(id as usize) {
            self.by_path.remove(&article.path);
        }
    }

    /// Whether `id` is a live post (not moved to the trash).
    pub fn contains(&self, id: ArticleId) -> bool {
        self.index.contains(id)
    }

    /// Releases the spare capacity left by growing, once a scan has finished.
    pub fn shrink_to_fit(&mut self) {
        self.articles.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.index.shrink_to_fit();
    }

    /// The posts matching `query`, in its order; `body_hits` (sorted ascending) are the
    /// posts whose body matched the same text, when the Bodies toggle is on.
    pub fn query(&self, query: &Query, body_hits: Option<&[ArticleId]>) -> Vec<ArticleId> {
        match body_hits {
            Some(hits) => self.index.query_with_body_hits(query, hits),
            None => self.index.query(query),
        }
    }

    /// Facet counts over a result set.
    pub fn facets(&self, ids: &[ArticleId]) -> Facets {
        self.index.facets(ids)
    }

    /// How many of `ids` have problems (for the facet panel's checkbox).
    pub fn problem_count(&self, ids: &[ArticleId]) -> usize {
        ids.iter()
            .filter(|&&id| self.row(id).is_some_and(|r| r.problem_count > 0))
            .count()
    }

    /// The live posts whose `key` holds one of `items` (compared as shown, entities
    /// decoded), in path order.
    pub fn having(&self, key: &str, items: &[String]) -> Vec<ArticleId> {
        let mut ids: Vec<ArticleId> = self
            .articles
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let id = ArticleId::try_from(i).ok()?;
                let has = crate::bulk::values_of(&a.front, key)
                    .into_iter()
                    .any(|v| items.iter().any(|item| display_text(v) == item.as_str()));
                (has && self.index.contains(id)).then_some(id)
            })
            .collect();
        ids.sort_by(|a, b| {
            let path = |id: &ArticleId| self.articles.get(*id as usize).map(|a| &a.path);
            path(a).cmp(&path(b))
        });
        ids
    }

    /// Every category (as a tree and by name), tag and author of the archive with its
    /// number of posts, and the spellings that are probably one item.
    pub fn taxonomy(&self) -> Taxonomy {
        let live: Vec<ArticleId> = (0..self.articles.len())
            .filter_map(|i| ArticleId::try_from(i).ok())
            .filter(|&id| self.index.contains(id))
            .collect();
        let categories = self.index.category_values();
        let tags = self.index.tag_values();
        let authors = self.index.author_values();
        let mut variants = Vec::new();
        for (key, values) in [
            ("categories", &categories),
            ("tags", &tags),
            ("author", &authors),
        ] {
            for variant in crate::bulk::variants(values) {
                variants.push((key, variant));
            }
        }
        Taxonomy {
            tree: self.index.facets(&live).categories,
            categories,
            tags,
            authors,
            variants,
        }
    }

    /// Every category, tag and author in use, for completion in the editor.
    pub fn completions(&self) -> Completions {
        let names = |values: Vec<(String, usize)>| values.into_iter().map(|(v, _)| v).collect();
        Completions {
            categories: names(self.index.category_values()),
            tags: names(self.index.tag_values()),
            authors: names(self.index.author_values()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse_bytes;

    fn post(path: &str, title: &str, cats: &[&str]) -> Article {
        let cats: String = cats.iter().map(|c| format!(" - {c}\n")).collect();
        let text = format!("---\ntitle: '{title}'\ncategories:\n{cats}tags: [t]\n---\nbody\n");
        parse_bytes(path.into(), None, text.into_bytes()).article
    }

    #[test]
    fn rows_ids_and_index_stay_in_step() {
        let mut c = Catalog::default();
        c.push(post("a.md", "北京新增", &["金融", "新浪财经"]));
        c.push(post("b.md", "", &["新媒体"]));
        assert_eq!(c.row(1).map(|r| r.title.as_str()), Some("b"));
        assert_eq!(c.row(0).map(|r| r.source.as_str()), Some("金融 › 新浪财经"));
        let q = |text: &str| Query {
            text: text.into(),
            ..Query::default()
        };
        assert_eq!(c.query(&q("cat:金融"), None), vec![0]);
        c.update(0, post("a.md", "上海", &["体育"]));
        assert_eq!(c.row(0).map(|r| r.title.as_str()), Some("上海"));
        assert!(c.query(&q("cat:金融"), None).is_empty());
        let before = c.generation();
        c.remove(1);
        assert_eq!(c.changed_since(before), Some(&[1][..]));
        assert_eq!(c.changed_since(before - 1), Some(&[0, 1][..]));
        assert_eq!(c.len(), 1);
        assert_eq!(c.stamps().len(), 1);
        assert_eq!(c.completions().tags, vec!["t".to_owned()]);
    }

    #[test]
    fn a_status_marks_posts_delivered_before_and_after_it() {
        use crate::git::{ChangeState, Changes, PostChange};
        let change = |path: &str, state| PostChange {
            path: path.into(),
            state,
            renamed_from: None,
        };
        let mut c = Catalog::default();
        c.push(post("a.md", "甲", &["金融"]));
        c.set_changes(Some(Changes {
            changes: vec![
                change("a.md", ChangeState::Modified),
                change("b.md", ChangeState::New),
                change("gone.md", ChangeState::Deleted),
            ],
        }));
        // The scan delivers b.md after the status arrived.
        let b = c.push(post("b.md", "乙", &["金融"]));
        let q = Query {
            text: "is:changed".into(),
            ..Query::default()
        };
        assert_eq!(c.change(0), Some(ChangeState::Modified));
        assert_eq!(c.change(b), Some(ChangeState::New));
        assert_eq!(c.query(&q, None).len(), 2);
        c.set_changes(None);
        assert_eq!(c.change(0), None);
        assert!(c.query(&q, None).is_empty());
    }
}
