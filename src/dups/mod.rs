//! Duplicates: the same article saved twice, told apart from a daily template.
//!
//! Owns finding groups of posts that are copies of each other, saying why they were
//! grouped, the archive's "not duplicates" list and the fingerprint cache. Egui-free: the
//! CLI (`folio dups`) and the app's Duplicates view call [`find_duplicates`] and get the
//! same groups; [`keep_index`], [`member_text`] and [`text_changes`] give a view what it
//! needs to choose a post and show members side by side.
//!
//! # What is compared
//!
//! The **cleaned text** of each body ([`crate::clean::clean_post`] rendered as text),
//! never the raw HTML: ads, styles, tracking pixels and markup must neither make copies
//! look different nor strangers look alike. Titles are not compared (a re-published copy
//! often has a new one). Texts with fewer than [`DupOptions::min_text_chars`] letters and
//! digits (image-only posts, "图片来源：网络") say too little and are left out of the text
//! rules.
//!
//! # The rules
//!
//! - **exact**: the same text after normalization (full-width folded, lowercased,
//!   whitespace collapsed).
//! - **near**: the same story lightly edited: MinHash over 4-character shingles of the
//!   letters and digits, estimated Jaccard similarity ≥ 0.6, candidates found by LSH
//!   banding ([`NearMethod`]). Compared once per distinct text, so exact copies cost
//!   nothing more.
//! - **url**: the same source URL in the front matter (`link`, `url`, `source`,
//!   `original`, … see [`url::SOURCE_KEYS`]) after dropping scheme, `www.`, trailing
//!   slashes, fragments and tracking parameters (`utm_*`, `spm`, `from`, …). A URL
//!   shared by more than [`DupOptions::max_url_posts`] posts names a feed, not an
//!   article, and joins nothing.
//! - **news rule**, over all of them: two posts whose texts put a different number, date
//!   or place in the same spot of otherwise shared wording are *not* duplicates, however
//!   similar the rest ("0！北京昨日本土无新增" one day and the next, or Beijing's and
//!   Shanghai's; next month's PMI flash). Every number, date part and place (a list of
//!   provinces, cities, countries and scopes such as 全国) is stored with the four
//!   symbols on each side, other facts masked; a value that the other text replaces by
//!   another beside the same wording, and has nowhere beside that wording itself,
//!   vetoes the pair. A paragraph added or removed, or junk appended, only adds or
//!   takes facts whose values the other text still has beside the same wording, so
//!   copies still match. The details are in `facts.rs`.
//!
//! # Why MinHash and not SimHash
//!
//! Both are implemented ([`NearMethod`]) and measured on the labelled set built from
//! real posts (`tests/dups_support`: 225 posts, 804 pairs of copies, daily and monthly
//! template look-alikes) by `cargo run --release --example dups_quality`:
//!
//! | method, 4-char shingles | precision | recall | template pairs grouped |
//! |---|---|---|---|
//! | MinHash, J ≥ 0.5 | 1.000 | 0.991 | 0 |
//! | **MinHash, J ≥ 0.6** | **1.000** | **0.983** | **0** |
//! | MinHash, J ≥ 0.7 | 1.000 | 0.899 | 0 |
//! | SimHash, distance ≤ 3 | 1.000 | 0.582 | 0 |
//! | SimHash, distance ≤ 6 | 1.000 | 0.772 | 0 |
//! | SimHash, distance ≤ 10 | 1.000 | 0.924 | 0 |
//! | SimHash, distance ≤ 15 | 1.000 | 1.000 | 0 |
//!
//! SimHash reaches MinHash's recall only at a radius where the search stops being a
//! search: finding all pairs within distance `d` compares pairs that agree on one of
//! `d + 1` blocks, and with 16 blocks of 4 bits two unrelated texts share a block with
//! probability 1 − (15/16)¹⁶ ≈ 0.64, with 11 blocks of 6 bits 0.16 — nearly every pair
//! of 100,000 texts. MinHash's 32 bands of 4 bins make unrelated texts (Jaccard ≈ 0.05)
//! candidates with probability 0.0002. At a radius that can be searched (≤ 6: 7 blocks
//! of 9 bits, 1.4 % of all pairs compared) SimHash misses a quarter of the copies.
//! 0.6 rather than 0.5 keeps a margin against posts of one feed that share
//! boilerplate (grouping those would have an editor trash real articles), at a cost of
//! 0.8 % recall: the pairs missed are all with the paragraph-added copies of two
//! one-paragraph posts, where the added paragraph is nearly as long as the post. Speed
//! does not decide: MinHash costs one hash and one comparison per shingle (SimHash a
//! hash and 64 counter updates); its cache entry is 248 bytes larger (the cache of
//! 100,000 posts is 46 MiB), which a desktop affords.
//!
//! # Groups
//!
//! Accepted pairs are joined with a union–find, so each post is in at most one group,
//! and a group's [`DupKind`] is the loosest rule needed to hold it together: `exact` when
//! every member has the same text, `near` when texts join them all, `url` when some are
//! joined only by their source. [`DupGroup::similarity`] is 1 for exact groups, the
//! lowest similarity among the near pairs that joined a near group, the lowest text
//! similarity among the same-source pairs of a url group. Groups are sorted by size
//! (largest first), then by their first path; members by path. Two posts in one entry of
//! the "not duplicates" list ([`Exemptions`]) are never joined directly.
//!
//! # Speed
//!
//! Fingerprints are computed in parallel on the rayon pool (each worker holds one post's
//! text at a time) and cached per archive ([`CacheLocation`]): a second run reads and
//! cleans only the posts whose size or time changed. `examples/bench_dups.rs` measures
//! the 100,000-post synthetic archive: a cold run costs about 100 µs of CPU per post,
//! half of it cleaning the HTML, a third fingerprinting, the rest reading; a warm run
//! only reads the cache file (under 1 s for 100,000 posts).

mod cache;
mod exempt;
mod facts;
mod fingerprint;
mod group;
mod keep;
mod places;
mod sketch;
pub mod url;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

pub use cache::{CacheLocation, FORMAT_VERSION as CACHE_FORMAT_VERSION};
pub use exempt::{EXEMPT_FILE, ExemptError, Exemptions};
pub use fingerprint::{Fingerprint, normalize};
pub use keep::{KeepRule, TextChange, keep_index, member_text, text_changes};
pub use sketch::NearMethod;

use crate::archive::{Archive, slash_path};

/// Why posts were grouped: the loosest rule needed to hold the group together.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum DupKind {
    /// Every member has the same cleaned text.
    Exact,
    /// The members' texts are near copies.
    Near,
    /// Some members are joined only by naming the same source URL.
    Url,
}

impl DupKind {
    /// The kind's name as the CLI writes it.
    pub fn name(self) -> &'static str {
        match self {
            DupKind::Exact => "exact",
            DupKind::Near => "near",
            DupKind::Url => "url",
        }
    }
}

/// One post of a group.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Position in [`Archive::articles`].
    pub article: usize,
    /// Path relative to the archive root.
    pub path: PathBuf,
    /// The front-matter date, in seconds since the Unix epoch, when readable.
    pub date_secs: Option<i64>,
    /// Letters and digits in the cleaned text (0 when it was not read).
    pub content_chars: usize,
    /// Whether the post has an image a list would show.
    pub has_image: bool,
    /// Members with the same number here have exactly the same text.
    pub text_class: usize,
}

/// Posts found to be copies of each other.
#[derive(Clone, Debug, PartialEq)]
pub struct DupGroup {
    /// Why they were grouped.
    pub kind: DupKind,
    /// How similar their texts are, 0–1 (see the module docs).
    pub similarity: f32,
    /// The members, at least two, by path.
    pub members: Vec<Member>,
}

/// How [`find_duplicates`] works.
#[derive(Clone, Debug)]
pub struct DupOptions {
    /// How near copies are found.
    pub near: NearMethod,
    /// Where fingerprints are cached.
    pub cache: CacheLocation,
    /// Texts with fewer letters and digits are left out of the text rules.
    pub min_text_chars: usize,
    /// Texts with fewer letters and digits are compared only exactly.
    pub min_near_chars: usize,
    /// A source URL named by more posts than this names a feed, not an article.
    pub max_url_posts: usize,
}

impl Default for DupOptions {
    fn default() -> Self {
        Self {
            near: NearMethod::default(),
            cache: CacheLocation::default(),
            min_text_chars: 20,
            min_near_chars: 50,
            max_url_posts: 50,
        }
    }
}

/// Progress counters and a cancel flag, readable from another thread.
#[derive(Debug, Default)]
pub struct DupProgress {
    /// Posts fingerprinted (or found in the cache) so far.
    pub done: AtomicUsize,
    /// Set to stop early; the report then says `cancelled`.
    pub cancel: AtomicBool,
}

/// Counts that explain a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DupStats {
    /// Posts in the archive.
    pub posts: usize,
    /// Posts whose fingerprint came from the cache.
    pub from_cache: usize,
    /// Posts read and cleaned in this run.
    pub computed: usize,
    /// Posts that could not be read (their problems say why).
    pub unreadable: usize,
    /// Posts whose text was too short for the text rules.
    pub too_short: usize,
    /// Distinct texts compared for near copies.
    pub distinct_texts: usize,
    /// Pairs of distinct texts whose sketches made them candidates.
    pub candidate_pairs: usize,
    /// Candidate pairs found near and without a fact conflict.
    pub near_pairs: usize,
}

/// The result of [`find_duplicates`].
#[derive(Clone, Debug, Default)]
pub struct DupReport {
    /// The groups, largest first.
    pub groups: Vec<DupGroup>,
    /// What was read and how.
    pub stats: DupStats,
    /// Cache trouble worth a log line (damaged file rebuilt, write failed); never fatal.
    pub cache_notes: Vec<String>,
    /// True when the run was cancelled (the groups are then empty).
    pub cancelled: bool,
}

/// Finds the duplicate groups of a scanned archive (see the module docs), leaving out
/// pairs the archive's "not duplicates" list keeps apart.
pub fn find_duplicates(
    archive: &Archive,
    exemptions: &Exemptions,
    options: &DupOptions,
    progress: &DupProgress,
) -> DupReport {
    let articles = &archive.articles;
    let cache_file = options.cache.file_for(&archive.root);
    let mut cached = cache::Loaded::read(cache_file.as_deref(), options.near);
    let mut report = DupReport::default();
    report.cache_notes.extend(cached.note.take());
    let paths: Vec<String> = articles.iter().map(|a| slash_path(&a.path)).collect();
    // The stamp each file had before it was read: a file changed since gives a miss.
    let stamps: Vec<Option<crate::archive::FileStamp>> = articles.iter().map(|a| a.stamp).collect();
    let from_cache: Vec<Option<Fingerprint>> = paths
        .iter()
        .zip(&stamps)
        .map(|(path, stamp)| cached.take(path, *stamp))
        .collect();
    let stale = cached.remaining();
    drop(cached);
    let hits = from_cache.iter().filter(|f| f.is_some()).count();
    let fingerprints: Vec<Option<Fingerprint>> = articles
        .par_iter()
        .zip(from_cache)
        .map(|(article, hit)| {
            if progress.cancel.load(Ordering::Relaxed) {
                return None;
            }
            let fingerprint = hit.or_else(|| {
                let post = fingerprint::read_post(&archive.root, article)?;
                Some(Fingerprint::of_post(&post, options.near))
            });
            progress.done.fetch_add(1, Ordering::Relaxed);
            fingerprint
        })
        .collect();
    if progress.cancel.load(Ordering::Relaxed) {
        report.cancelled = true;
        return report;
    }
    let read = fingerprints.iter().filter(|f| f.is_some()).count();
    report.stats = DupStats {
        posts: articles.len(),
        from_cache: hits,
        computed: read.saturating_sub(hits),
        unreadable: articles.len().saturating_sub(read),
        too_short: fingerprints
            .iter()
            .flatten()
            .filter(|f| f.content_chars() < options.min_text_chars)
            .count(),
        ..DupStats::default()
    };
    if let Some(file) = cache_file.as_deref().filter(|_| read > hits || stale > 0) {
        let entries = paths
            .iter()
            .zip(&stamps)
            .zip(&fingerprints)
            .filter_map(|((path, stamp), fp)| Some((path.as_str(), (*stamp)?, fp.as_ref()?)));
        if let Err(e) = cache::write(file, options.near, entries) {
            report.cache_notes.push(format!(
                "cannot write the fingerprint cache ({e}): {}",
                file.display()
            ));
        }
    }
    let urls: Vec<Option<String>> = articles.iter().map(|a| url::source_url(&a.front)).collect();
    let (groups, counts) = group::group(&group::Inputs {
        articles,
        fingerprints: &fingerprints,
        urls: &urls,
        exemptions,
        near: options.near,
        min_text_chars: options.min_text_chars,
        min_near_chars: options.min_near_chars,
        max_url_posts: options.max_url_posts,
    });
    report.groups = groups;
    report.stats.distinct_texts = counts.distinct_texts;
    report.stats.candidate_pairs = counts.candidate_pairs;
    report.stats.near_pairs = counts.near_pairs;
    report
}
