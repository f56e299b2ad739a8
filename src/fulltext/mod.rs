//! Full-text search of the text Folio shows: each post's title and cleaned body
//! (`clean::clean_post` rendered as text), never its raw HTML, so `div` or `font` find
//! words, not markup.
//!
//! The index is a `tantivy` index with a dictionary-free CJK tokenizer (see
//! [`tokenizer`]): any run of Chinese characters is found wherever it occurs, as a
//! substring search would, and English words match case-insensitively as whole words.
//! It lives in the platform cache folder (`~/.cache/folio/fulltext/<archive hash>` on
//! Linux), never in the archive, and is disposable: an index of another format version
//! is wiped and rebuilt, and deleting it loses nothing.
//!
//! [`FullText::sync`] brings the index in step with a list of posts by their file
//! stamps: only new and changed posts are read and cleaned again, gone ones are
//! deleted, and the work is committed in steps so an interrupted build keeps what it
//! did. [`FullText::search`] answers the search box's plain words and phrases (all of
//! them, title or body), its exclusions (`-广告`, none of them), ranked by BM25 with the
//! title weighing double, each hit with a snippet around its first match.

pub mod tokenizer;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::archive::{DEFAULT_MAX_FILE_BYTES, FileStamp, load_post};
use crate::clean::{self, OutputFormat};
use crate::index::{Scope, Term as SearchTerm, parse_search as parse};

/// The index's layout and tokenizer version; another version is rebuilt.
pub const FORMAT_VERSION: u32 = 1;
const VERSION_FILE: &str = "folio-fulltext-version";
/// Posts read and added between two commits of a build.
const COMMIT_EVERY: usize = 4096;
/// Characters of text before a match in a snippet (a narrow list still shows the match).
const SNIPPET_BEFORE: usize = 12;
/// Characters of text from the match on.
const SNIPPET_AFTER: usize = 80;

/// Why the index cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FullTextError {
    #[error("full-text index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("full-text index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("the full-text index is being updated by another Folio")]
    Busy,
}

/// A part of a post's text around a match, with the matches marked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<Range<usize>>,
}

/// One post a search found.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Relative to the archive root.
    pub path: PathBuf,
    pub title: String,
    pub score: f32,
    pub snippet: Snippet,
}

/// Counters of a running [`FullText::sync`], readable from another thread.
#[derive(Debug, Default)]
pub struct SyncProgress {
    /// Posts to read and index.
    pub todo: AtomicUsize,
    pub done: AtomicUsize,
    pub cancel: AtomicBool,
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub indexed: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub cancelled: bool,
}

#[derive(Clone, Copy)]
struct Fields {
    path: Field,
    stamp: Field,
    title: Field,
    body: Field,
}

/// The full-text index of one archive.
pub struct FullText {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    /// The searcher of the last reload with every document's path, so that a search
    /// with tens of thousands of hits names them without reading the index again.
    snapshot: std::sync::Mutex<Arc<Snapshot>>,
}

/// A searcher and the path of each of its documents, by segment and document id.
struct Snapshot {
    searcher: tantivy::Searcher,
    paths: Vec<Vec<Option<Arc<Path>>>>,
}

impl Snapshot {
    fn of(reader: &IndexReader) -> Result<Self, FullTextError> {
        let searcher = reader.searcher();
        let mut paths = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let mut of_segment = vec![None; segment.max_doc() as usize];
            if let Some(column) = segment.fast_fields().str("path")? {
                let mut text = String::new();
                for (doc, slot) in of_segment.iter_mut().enumerate() {
                    let Some(ord) = column.term_ords(doc as u32).next() else {
                        continue;
                    };
                    text.clear();
                    if column.ord_to_str(ord, &mut text)? {
                        *slot = Some(Arc::from(Path::new(&text)));
                    }
                }
            }
            paths.push(of_segment);
        }
        Ok(Self { searcher, paths })
    }

    fn path(&self, address: DocAddress) -> Option<&Arc<Path>> {
        self.paths
            .get(address.segment_ord as usize)?
            .get(address.doc_id as usize)?
            .as_ref()
    }
}

impl FullText {
    /// Folio's full-text folder in the platform cache folder, if the platform has one.
    pub fn platform_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Folio", "folio")
            .map(|dirs| dirs.cache_dir().join("fulltext"))
    }

    /// Opens (or creates) the index of the archive at `root`, kept under `base`.
    pub fn open(base: &Path, root: &Path) -> Result<Self, FullTextError> {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
        let hash = blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex();
        let dir = base.join(hash.get(..32).unwrap_or_default());
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
        if version.as_deref().map(str::trim) != Some(&FORMAT_VERSION.to_string()) {
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            std::fs::create_dir_all(&dir)?;
        }
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(&dir)
            .map_err(|e| FullTextError::Index(e.into()))?;
        let index = match Index::open_or_create(directory, schema) {
            Ok(index) => index,
            // Damaged or of another schema: start again.
            Err(e) => {
                tracing::info!(dir = %dir.display(), "full-text index unusable ({e}); rebuilding");
                std::fs::remove_dir_all(&dir)?;
                std::fs::create_dir_all(&dir)?;
                let directory = tantivy::directory::MmapDirectory::open(&dir)
                    .map_err(|e| FullTextError::Index(e.into()))?;
                Index::open_or_create(directory, self::schema().0)?
            }
        };
        std::fs::write(dir.join(VERSION_FILE), FORMAT_VERSION.to_string())?;
        Self::with_index(index, fields, dir)
    }

    /// An index held in memory only, for an app that keeps no files: built afresh each
    /// time an archive opens.
    pub fn in_memory() -> Result<Self, FullTextError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, PathBuf::new())
    }

    /// Registers the tokenizer with `index` and opens its reader.
    fn with_index(index: Index, fields: Fields, dir: PathBuf) -> Result<Self, FullTextError> {
        index.tokenizers().register(
            tokenizer::NAME,
            TextAnalyzer::from(tokenizer::CjkTokenizer::default()),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let snapshot = std::sync::Mutex::new(Arc::new(Snapshot::of(&reader)?));
        Ok(Self {
            index,
            reader,
            fields,
            dir,
            snapshot,
        })
    }

    /// The index's folder (empty for an index in memory).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many posts the index holds.
    pub fn len(&self) -> u64 {
        self.snapshot().searcher.num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(
            &self
                .snapshot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Every indexed post with the stamp its file had when it was indexed.
    fn indexed(&self) -> Result<HashMap<PathBuf, u64>, FullTextError> {
        let snapshot = self.snapshot();
        let mut out = HashMap::new();
        for (ord, segment) in snapshot.searcher.segment_readers().iter().enumerate() {
            let stamps = segment.fast_fields().u64("stamp")?;
            for doc in 0..segment.max_doc() {
                if segment.is_deleted(doc) {
                    continue;
                }
                let address = DocAddress::new(ord as u32, doc);
                if let Some(path) = snapshot.path(address) {
                    out.insert(path.to_path_buf(), stamps.first(doc).unwrap_or(0));
                }
            }
        }
        Ok(out)
    }

    /// Brings the index in step with `posts` (paths relative to `root`, with the stamps
    /// of their files as listed): new and changed posts are read, cleaned and indexed,
    /// the others left, posts not in `posts` deleted.
    pub fn sync(
        &self,
        root: &Path,
        posts: &[(PathBuf, Option<FileStamp>)],
        progress: &SyncProgress,
    ) -> Result<SyncReport, FullTextError> {
        let indexed = self.indexed()?;
        let listed: std::collections::HashSet<&Path> =
            posts.iter().map(|(p, _)| p.as_path()).collect();
        let todo: Vec<&PathBuf> = posts
            .iter()
            .filter(|(path, stamp)| stamp.is_none_or(|s| indexed.get(path) != Some(&stamp_key(&s))))
            .map(|(path, _)| path)
            .collect();
        let gone: Vec<&PathBuf> = indexed
            .keys()
            .filter(|p| !listed.contains(p.as_path()))
            .collect();
        let mut report = SyncReport {
            unchanged: posts.len() - todo.len(),
            ..SyncReport::default()
        };
        progress.todo.store(todo.len(), Ordering::Relaxed);
        if todo.is_empty() && gone.is_empty() {
            return Ok(report);
        }
        let mut writer: IndexWriter = match self.index.writer(64 * 1024 * 1024) {
            Ok(writer) => writer,
            Err(tantivy::TantivyError::LockFailure(..)) => return Err(FullTextError::Busy),
            Err(e) => return Err(e.into()),
        };
        for path in &gone {
            writer.delete_term(self.path_term(path));
        }
        report.removed = gone.len();
        for chunk in todo.chunks(COMMIT_EVERY) {
            if progress.cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                break;
            }
            let docs: Vec<(PathBuf, TantivyDocument)> = chunk
                .par_iter()
                .filter_map(|path| {
                    if progress.cancel.load(Ordering::Relaxed) {
                        return None;
                    }
                    let doc = self.document(root, path);
                    progress.done.fetch_add(1, Ordering::Relaxed);
                    Some(((*path).clone(), doc?))
                })
                .collect();
            for (path, doc) in docs {
                writer.delete_term(self.path_term(&path));
                writer.add_document(doc)?;
                report.indexed += 1;
            }
            writer.commit()?;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        let snapshot = Snapshot::of(&self.reader)?;
        *self
            .snapshot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(snapshot);
        Ok(report)
    }

    fn path_term(&self, path: &Path) -> Term {
        Term::from_field_text(self.fields.path, &crate::archive::slash_path(path))
    }

    /// The post at `root/path` as an index document; `None` when it cannot be read.
    fn document(&self, root: &Path, path: &Path) -> Option<TantivyDocument> {
        let post = load_post(root, path, DEFAULT_MAX_FILE_BYTES);
        let stamp = post.article.stamp?;
        let body = if post.article.read_blocker().is_some() {
            String::new()
        } else {
            clean::render(&clean::clean_post(&post), OutputFormat::Text)
        };
        let mut doc = TantivyDocument::default();
        doc.add_text(self.fields.path, crate::archive::slash_path(path));
        doc.add_u64(self.fields.stamp, stamp_key(&stamp));
        doc.add_text(self.fields.title, post.article.display_title());
        doc.add_text(self.fields.body, body);
        Some(doc)
    }

    /// The posts matching the plain words, phrases and exclusions of `text` (search-box
    /// text; its field filters are the list's to apply), best first, at most `limit`.
    /// Text with no plain word finds nothing.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>, FullTextError> {
        let Some((query, needles)) = self.query(text) else {
            return Ok(Vec::new());
        };
        let snapshot = self.snapshot();
        let searcher = &snapshot.searcher;
        // The collector makes room for `limit` hits: never more than there are posts.
        let limit = limit.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        top.into_iter()
            .map(|(score, address)| self.hit(searcher, address, score, &needles))
            .collect()
    }

    /// Every post matching `text`, best first, with its score: [`FullText::search`]
    /// without titles and snippets.
    pub fn ranked_paths(&self, text: &str) -> Result<Vec<(Arc<Path>, f32)>, FullTextError> {
        let Some((query, _)) = self.query(text) else {
            return Ok(Vec::new());
        };
        let snapshot = self.snapshot();
        let searcher = &snapshot.searcher;
        let limit = usize::try_from(searcher.num_docs())
            .unwrap_or(usize::MAX)
            .max(1);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        Ok(top
            .into_iter()
            .filter_map(|(score, address)| Some((Arc::clone(snapshot.path(address)?), score)))
            .collect())
    }

    /// Every post matching `text` as [`FullText::search`] would find it, unranked.
    pub fn matching_paths(&self, text: &str) -> Result<Vec<PathBuf>, FullTextError> {
        let Some((query, _)) = self.query(text) else {
            return Ok(Vec::new());
        };
        let snapshot = self.snapshot();
        let found = snapshot.searcher.search(&query, &DocSetCollector)?;
        Ok(found
            .into_iter()
            .filter_map(|address| snapshot.path(address).map(|p| p.to_path_buf()))
            .collect())
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: f32,
        needles: &[String],
    ) -> Result<Hit, FullTextError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let body = text(self.fields.body);
        let title = text(self.fields.title);
        let snippet = snippet(&body, needles).unwrap_or_else(|| Snippet {
            text: body.chars().take(SNIPPET_AFTER).collect(),
            highlights: Vec::new(),
        });
        Ok(Hit {
            path: PathBuf::from(text(self.fields.path)),
            title,
            score,
            snippet,
        })
    }

    /// The index query for search-box text, with the needles to mark in snippets.
    fn query(&self, text: &str) -> Option<(BooleanQuery, Vec<String>)> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut needles = Vec::new();
        for term in parse(text) {
            let SearchTerm::Text {
                scope: Scope::Any,
                needle,
                negated,
            } = term
            else {
                continue;
            };
            let Some(query) = self.needle_query(&needle) else {
                continue;
            };
            if negated {
                clauses.push((Occur::MustNot, query));
            } else {
                clauses.push((Occur::Must, query));
                needles.push(needle);
            }
        }
        if needles.is_empty() {
            return None;
        }
        Some((BooleanQuery::new(clauses), needles))
    }

    /// One needle: its terms as a phrase (or one term) in the title (weighing double)
    /// or the body.
    fn needle_query(&self, needle: &str) -> Option<Box<dyn Query>> {
        let terms = tokenizer::query_terms(needle);
        if terms.is_empty() {
            return None;
        }
        let in_field = |field: Field| -> Box<dyn Query> {
            let mut terms: Vec<(usize, Term)> = terms
                .iter()
                .map(|(offset, text)| (*offset, Term::from_field_text(field, text)))
                .collect();
            if terms.len() == 1 {
                let (_, term) = terms.remove(0);
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
            } else {
                Box::new(PhraseQuery::new_with_offset(terms))
            }
        };
        let title = Box::new(BoostQuery::new(in_field(self.fields.title), 2.0));
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Should, title as Box<dyn Query>),
            (Occur::Should, in_field(self.fields.body)),
        ])))
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer::NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        path: builder.add_text_field("path", STRING | STORED | FAST),
        stamp: builder.add_u64_field("stamp", FAST | STORED),
        title: builder.add_text_field("title", text.clone()),
        body: builder.add_text_field("body", text),
    };
    (builder.build(), fields)
}

/// A file stamp as one number, stable across runs and builds.
fn stamp_key(stamp: &FileStamp) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&stamp.size.to_le_bytes());
    hasher.update(&stamp.modified_ns.to_le_bytes());
    hasher.update(&stamp.changed_ns.to_le_bytes());
    hasher.update(&stamp.inode.to_le_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// The text around the first match of any needle in `text`, every needle's matches in
/// it marked. Matching ignores case, as the search does.
pub fn snippet(text: &str, needles: &[String]) -> Option<Snippet> {
    let lower = text.to_lowercase();
    // Lowercasing keeps byte offsets only where it keeps lengths; elsewhere the text is
    // shown unmarked rather than marked in the wrong place.
    if lower.len() != text.len() {
        return None;
    }
    let first = needles
        .iter()
        .filter(|n| !n.is_empty())
        .filter_map(|n| lower.find(n.as_str()))
        .min()?;
    let start = back_chars(text, first, SNIPPET_BEFORE);
    let end = forward_chars(text, first, SNIPPET_AFTER);
    let window = &lower[start..end];
    let mut highlights: Vec<Range<usize>> = needles
        .iter()
        .filter(|n| !n.is_empty())
        .flat_map(|n| {
            window
                .match_indices(n.as_str())
                .map(|(at, m)| at..at + m.len())
                .collect::<Vec<_>>()
        })
        .collect();
    highlights.sort_by_key(|r| r.start);
    let mut prefix = String::new();
    if start > 0 {
        prefix.push('…');
    }
    let shift = prefix.len();
    let mut out = prefix;
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push('…');
    }
    Some(Snippet {
        text: out,
        highlights: highlights
            .into_iter()
            .map(|r| r.start + shift..r.end + shift)
            .collect(),
    })
}

/// The byte offset `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}
