//! All search texts in one contiguous string, and the substring scan over it.
//!
//! Scanning 100,000 short strings one by one pays a setup cost per string and chases a
//! pointer per article; scanning one ~20 MB string with `memchr::memmem` runs at memory
//! speed with SIMD. A hit's offset is mapped back to its article by binary search over
//! the region starts, and the scan then jumps to the next article, so an article is
//! reported once however often it matches. The arena is append-only: an updated
//! article's text is appended and its old region becomes garbage (hits there are only
//! candidates, always re-checked against the article's current text), and the arena is
//! rebuilt when garbage outweighs the live text.
//!
//! memchr's SIMD prefilter looks for the needle's two rarest bytes, ranked by a table
//! tuned for English. In Chinese UTF-8 every character starts with one of a handful of
//! lead bytes, so that table picks badly; the arena counts its own bytes and ranks them
//! by what it really holds.

use memchr::arch::all::packedpair::HeuristicFrequencyRank;
use memchr::memmem::{Finder, FinderBuilder};
use rayon::prelude::*;

use super::ArticleId;
use super::entry::Entry;

/// Ends every article's text so that a region never runs into the next one.
const ARTICLE_END: char = '\0';

#[derive(Debug, Default)]
pub(crate) struct Arena {
    text: String,
    /// `(start offset, article)` in offset order (the arena only grows at its end).
    regions: Vec<(u32, ArticleId)>,
    garbage_bytes: usize,
    /// How often each byte value occurs in `text`.
    byte_counts: Vec<u64>,
}

/// Byte ranks (0 = rarest, 255 = most frequent) from the arena's own byte counts.
struct ArenaRanks([u8; 256]);

impl HeuristicFrequencyRank for ArenaRanks {
    fn rank(&self, byte: u8) -> u8 {
        self.0.get(byte as usize).copied().unwrap_or(u8::MAX)
    }
}

impl Arena {
    /// Appends `hay` for `id` and returns its start offset.
    pub(crate) fn append(&mut self, id: ArticleId, hay: &str) -> u32 {
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.regions.push((start, id));
        if self.byte_counts.len() != 256 {
            self.byte_counts = vec![0; 256];
        }
        for &b in hay.as_bytes() {
            if let Some(c) = self.byte_counts.get_mut(b as usize) {
                *c += 1;
            }
        }
        self.text.push_str(hay);
        self.text.push(ARTICLE_END);
        start
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.regions.shrink_to_fit();
    }

    /// Heap bytes held: the text and the region table.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.regions.capacity() * std::mem::size_of::<(u32, ArticleId)>()
    }

    /// Records that `bytes` of text no longer belong to a live article; returns true when
    /// the caller should [`Arena::rebuild`].
    pub(crate) fn forget(&mut self, bytes: usize) -> bool {
        self.garbage_bytes += bytes + ARTICLE_END.len_utf8();
        self.garbage_bytes > (1 << 20) && self.garbage_bytes * 2 > self.text.len()
    }

    /// Rewrites the arena with only the live entries' texts and moves their starts.
    pub(crate) fn rebuild(&mut self, entries: &mut [Entry]) {
        let old = std::mem::take(&mut self.text);
        self.regions.clear();
        self.garbage_bytes = 0;
        self.byte_counts.clear();
        for (id, entry) in entries.iter_mut().enumerate() {
            if entry.is_live() {
                let hay = entry.hay(&old).to_owned();
                let id = ArticleId::try_from(id).unwrap_or(ArticleId::MAX);
                entry.start = self.append(id, &hay);
            }
        }
        self.text.shrink_to_fit();
    }

    /// A finder for `needle` whose prefilter is tuned to the bytes of this arena.
    pub(crate) fn finder<'n>(&self, needle: &'n [u8]) -> Finder<'n> {
        let max = self.byte_counts.iter().copied().max().unwrap_or(0).max(1);
        let mut ranks = [0u8; 256];
        for (rank, &count) in ranks.iter_mut().zip(&self.byte_counts) {
            *rank = u8::try_from(count.saturating_mul(255) / max).unwrap_or(u8::MAX);
        }
        FinderBuilder::new().build_forward_with_ranker(ArenaRanks(ranks), needle)
    }

    /// Ids of the articles whose text (possibly an old version) contains the needle,
    /// unsorted and possibly with duplicates.
    pub(crate) fn candidates(&self, finder: &Finder<'_>) -> Vec<ArticleId> {
        let chunk_regions = (self.regions.len() / (rayon::current_num_threads() * 8)).max(1024);
        let bytes = self.text.as_bytes();
        self.regions
            .par_chunks(chunk_regions)
            .flat_map_iter(|chunk| {
                let first = chunk.first().map_or(0, |r| r.0 as usize);
                let end = match self.regions.get(chunk_region_end(&self.regions, chunk)) {
                    Some(next) => next.0 as usize,
                    None => bytes.len(),
                };
                let mut hits = Vec::new();
                let mut pos = first;
                while pos < end {
                    let Some(found) = bytes.get(pos..end).and_then(|b| finder.find(b)) else {
                        break;
                    };
                    let at = pos + found;
                    // The last region starting at or before the hit holds it.
                    let k = chunk.partition_point(|r| r.0 as usize <= at);
                    let Some(&(_, id)) = k.checked_sub(1).and_then(|k| chunk.get(k)) else {
                        break;
                    };
                    hits.push(id);
                    pos = match chunk.get(k) {
                        Some(next) => next.0 as usize,
                        None => end,
                    };
                }
                hits
            })
            .collect()
    }
}

/// Index (into `all`) of the region just after `chunk`, a sub-slice of `all`.
fn chunk_region_end(all: &[(u32, ArticleId)], chunk: &[(u32, ArticleId)]) -> usize {
    let Some(last) = chunk.last() else {
        return all.len();
    };
    all.partition_point(|r| r.0 <= last.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_article_reported_once_and_no_match_across_articles() {
        let mut a = Arena::default();
        a.append(0, "新浪新浪");
        a.append(1, "abc");
        a.append(2, "新浪");
        let mut hits = a.candidates(&a.finder("新浪".as_bytes()));
        hits.sort_unstable();
        assert_eq!(hits, [0, 2]);
        assert!(a.candidates(&Finder::new("浪abc")).is_empty());
        assert_eq!(a.candidates(&Finder::new("c")), [1]);
    }
}
