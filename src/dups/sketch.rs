//! Near-copy sketches of a text's character shingles, and the candidate pairs they give.
//!
//! Two methods are implemented so that the choice between them stays measurable
//! (`cargo run --release --example dups_quality` prints both on the labelled set):
//!
//! - **MinHash** (the default): one-permutation hashing into [`MINHASH_BINS`] bins of
//!   16 bits each, empty bins filled by rotation; the share of equal bins estimates the
//!   Jaccard similarity of the two shingle sets. Candidates come from LSH banding
//!   ([`MINHASH_BAND_BINS`] bins a band), so that only pairs sharing a whole band are
//!   compared.
//! - **SimHash**: 64 bits, one vote per shingle; similar when the Hamming distance is at
//!   most a small radius. Candidates come from the pigeonhole rule: two hashes within
//!   distance `d` agree exactly on at least one of `d + 1` blocks.
//!
//! The sketch is computed while the post is read, one hash per shingle.

use rayon::prelude::*;

/// MinHash bins (the signature length).
pub const MINHASH_BINS: usize = 128;
/// Bins per LSH band: 32 bands of 4, so a pair with Jaccard 0.5 becomes a candidate with
/// probability 0.87, one with 0.6 with probability 0.99, and unrelated posts (Jaccard
/// ≈ 0.05) with probability 0.0002. (Bands of 3 would find more pairs at 0.5 but make
/// about 25 times more candidates of unrelated posts.)
pub const MINHASH_BAND_BINS: usize = 4;
/// A band value shared by more texts than this is not compared within (it is a
/// boilerplate-only text pattern); other bands still find real copies among them.
const MAX_BUCKET: usize = 2000;

/// How near copies are found and when two texts count as near.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NearMethod {
    /// MinHash with LSH: near when the estimated Jaccard similarity of the shingle sets
    /// is at least `min_similarity`.
    MinHash {
        /// Characters per shingle.
        shingle_chars: u8,
        /// Lowest estimated Jaccard similarity (0–1) of a near pair.
        min_similarity: f32,
    },
    /// SimHash: near when the 64-bit hashes differ in at most `max_distance` bits (≤ 15).
    SimHash {
        /// Characters per shingle.
        shingle_chars: u8,
        /// Largest Hamming distance of a near pair.
        max_distance: u8,
    },
}

impl Default for NearMethod {
    /// MinHash over 4-character shingles, near from an estimated Jaccard similarity of
    /// 0.6: the method and setting chosen by measurement (see the `dups` module docs).
    fn default() -> Self {
        NearMethod::MinHash {
            shingle_chars: 4,
            min_similarity: 0.6,
        }
    }
}

impl NearMethod {
    fn shingle_chars(self) -> usize {
        let n = match self {
            NearMethod::MinHash { shingle_chars, .. }
            | NearMethod::SimHash { shingle_chars, .. } => shingle_chars,
        };
        usize::from(n.max(1))
    }

    /// What the stored sketch depends on (not the thresholds), for cache keys.
    pub(crate) fn sketch_id(self) -> u32 {
        let kind = match self {
            NearMethod::MinHash { .. } => 1,
            NearMethod::SimHash { .. } => 2,
        };
        kind << 8 | self.shingle_chars() as u32
    }
}

/// A text's near-copy sketch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sketch {
    /// One 16-bit minimum per bin.
    MinHash(Box<[u16]>),
    /// A 64-bit SimHash.
    SimHash(u64),
}

/// Sketches the content characters (letters and digits) of a normalized text.
pub(crate) fn sketch(content: &[char], method: NearMethod) -> Sketch {
    let n = method.shingle_chars();
    let hashes = shingle_hashes(content, n);
    match method {
        NearMethod::MinHash { .. } => Sketch::MinHash(minhash(hashes)),
        NearMethod::SimHash { .. } => Sketch::SimHash(simhash(hashes)),
    }
}

fn shingle_hashes(content: &[char], n: usize) -> impl Iterator<Item = u64> + '_ {
    // A text shorter than a shingle is one shingle.
    let n = n.min(content.len()).max(1);
    content.windows(n).map(|window| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &c in window {
            h = (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        mix64(h)
    })
}

/// The splitmix64 finalizer: spreads every input bit over the whole word.
pub(crate) fn mix64(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn minhash(hashes: impl Iterator<Item = u64>) -> Box<[u16]> {
    let mut bins = [u32::MAX; MINHASH_BINS];
    for h in hashes {
        // Top 7 bits choose the bin; 16 bits from the other end are the value.
        let bin = (h >> 57) as usize % MINHASH_BINS;
        let value = (h & 0xffff) as u32;
        if let Some(slot) = bins.get_mut(bin) {
            *slot = (*slot).min(value);
        }
    }
    densify(&bins)
}

/// Fills empty bins from the next filled one (circularly), shifted by the distance, so
/// that short texts get comparable signatures ("rotation" densification).
fn densify(bins: &[u32; MINHASH_BINS]) -> Box<[u16]> {
    let mut out = vec![u16::MAX; MINHASH_BINS];
    if bins.iter().all(|v| *v == u32::MAX) {
        return out.into_boxed_slice();
    }
    for (i, slot) in out.iter_mut().enumerate() {
        for distance in 0..MINHASH_BINS {
            let value = bins
                .get((i + distance) % MINHASH_BINS)
                .copied()
                .unwrap_or(u32::MAX);
            if value != u32::MAX {
                let shift = (distance as u32).wrapping_mul(0x9e37);
                *slot = (value.wrapping_add(shift) & 0xffff) as u16;
                break;
            }
        }
    }
    out.into_boxed_slice()
}

fn simhash(hashes: impl Iterator<Item = u64>) -> u64 {
    let mut votes = [0i32; 64];
    for h in hashes {
        for (bit, vote) in votes.iter_mut().enumerate() {
            *vote += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    votes
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}

/// The similarity (0–1) of two sketches: the estimated Jaccard similarity for MinHash,
/// `1 − distance / 64` for SimHash; 0 for sketches of different methods.
pub(crate) fn similarity(a: &Sketch, b: &Sketch) -> f32 {
    match (a, b) {
        (Sketch::MinHash(a), Sketch::MinHash(b)) => {
            let equal = a.iter().zip(b.iter()).filter(|(x, y)| x == y).count();
            equal as f32 / a.len().max(1) as f32
        }
        (Sketch::SimHash(a), Sketch::SimHash(b)) => 1.0 - (a ^ b).count_ones() as f32 / 64.0,
        _ => 0.0,
    }
}

/// Whether a similarity makes a near pair under `method`.
pub(crate) fn is_near(a: &Sketch, b: &Sketch, method: NearMethod) -> bool {
    match (a, b, method) {
        (Sketch::SimHash(x), Sketch::SimHash(y), NearMethod::SimHash { max_distance, .. }) => {
            (x ^ y).count_ones() <= u32::from(max_distance)
        }
        (Sketch::MinHash(_), Sketch::MinHash(_), NearMethod::MinHash { min_similarity, .. }) => {
            similarity(a, b) >= min_similarity
        }
        _ => false,
    }
}

/// What candidates are bucketed by: one LSH band of MinHash bins, or one block of
/// SimHash bits.
enum BucketKey {
    Band { start: usize },
    Block { shift: u32, mask: u64 },
}

impl BucketKey {
    fn of(&self, sketch: &Sketch) -> Option<u64> {
        match (self, sketch) {
            (BucketKey::Band { start }, Sketch::MinHash(bins)) => {
                let part = bins.get(*start..start + MINHASH_BAND_BINS)?;
                Some(part.iter().fold(0u64, |acc, v| acc << 16 | u64::from(*v)))
            }
            (BucketKey::Block { shift, mask }, Sketch::SimHash(hash)) => Some(hash >> shift & mask),
            _ => None,
        }
    }
}

/// Pairs `(i, j)`, `i < j`, of sketches that may be near: they share an LSH band
/// (MinHash) or a SimHash block. Sorted and without repeats.
pub(crate) fn candidate_pairs(sketches: &[&Sketch], method: NearMethod) -> Vec<(u32, u32)> {
    let keys: Vec<BucketKey> = match method {
        NearMethod::MinHash { .. } => (0..MINHASH_BINS / MINHASH_BAND_BINS)
            .map(|band| BucketKey::Band {
                start: band * MINHASH_BAND_BINS,
            })
            .collect(),
        NearMethod::SimHash { max_distance, .. } => {
            let blocks = u32::from(max_distance.min(15)) + 1;
            (0..blocks)
                .map(|block| {
                    let start = 64 * block / blocks;
                    let bits = 64 * (block + 1) / blocks - start;
                    BucketKey::Block {
                        shift: start,
                        mask: if bits >= 64 {
                            u64::MAX
                        } else {
                            (1u64 << bits) - 1
                        },
                    }
                })
                .collect()
        }
    };
    let mut pairs: Vec<(u32, u32)> = keys
        .par_iter()
        .flat_map_iter(|key| {
            let mut keyed: Vec<(u64, u32)> = sketches
                .iter()
                .enumerate()
                .filter_map(|(i, s)| Some((key.of(s)?, u32::try_from(i).ok()?)))
                .collect();
            keyed.sort_unstable();
            let mut out = Vec::new();
            for run in keyed.chunk_by(|a, b| a.0 == b.0) {
                if run.len() < 2 || run.len() > MAX_BUCKET {
                    continue;
                }
                for (n, (_, i)) in run.iter().enumerate() {
                    for (_, j) in run.iter().skip(n + 1) {
                        out.push((*i, *j));
                    }
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().filter(|c| c.is_alphanumeric()).collect()
    }

    const BASE: &str = "中国人民银行今日公布数据显示五月末广义货币余额同比增长百分之十一狭义货币余额同比增长百分之六点一流通中货币余额同比增长百分之五点六前五个月人民币贷款增加十万亿元";

    #[test]
    fn minhash_estimates_similarity() {
        let m = NearMethod::default();
        let a = sketch(&chars(BASE), m);
        let same = sketch(&chars(BASE), m);
        let edited = sketch(&chars(&format!("{BASE}另外外币贷款增加")), m);
        let other = sketch(
            &chars("苹果公司发布了新一代手机并在发布会上介绍了多项功能更新价格与上一代持平"),
            m,
        );
        assert_eq!(similarity(&a, &same), 1.0);
        assert!(similarity(&a, &edited) > 0.7, "{}", similarity(&a, &edited));
        assert!(similarity(&a, &other) < 0.2, "{}", similarity(&a, &other));
        assert!(is_near(&a, &edited, m));
        assert!(!is_near(&a, &other, m));
    }

    #[test]
    fn simhash_distance_is_small_for_edits() {
        let m = NearMethod::SimHash {
            shingle_chars: 4,
            max_distance: 6,
        };
        let a = sketch(&chars(BASE), m);
        let edited = sketch(&chars(&format!("{BASE}另外")), m);
        let other = sketch(
            &chars("苹果公司发布了新一代手机并在发布会上介绍了多项功能"),
            m,
        );
        assert!(is_near(&a, &edited, m));
        assert!(!is_near(&a, &other, m));
    }

    #[test]
    fn candidates_include_near_pairs_only_once() {
        for m in [
            NearMethod::default(),
            NearMethod::SimHash {
                shingle_chars: 4,
                max_distance: 3,
            },
        ] {
            let texts = [
                BASE.to_owned(),
                format!("{BASE}另外"),
                "完全无关的另一段文字内容讲述天气".to_owned(),
            ];
            let sketches: Vec<Sketch> = texts.iter().map(|t| sketch(&chars(t), m)).collect();
            let refs: Vec<&Sketch> = sketches.iter().collect();
            let pairs = candidate_pairs(&refs, m);
            assert!(pairs.contains(&(0, 1)), "{m:?}: {pairs:?}");
            assert!(
                !pairs.contains(&(0, 2)) && !pairs.contains(&(1, 2)),
                "{m:?}: {pairs:?}"
            );
        }
    }

    #[test]
    fn empty_and_tiny_texts_do_not_panic() {
        let m = NearMethod::default();
        let empty = sketch(&[], m);
        let tiny = sketch(&['a'], m);
        assert_eq!(similarity(&empty, &empty), 1.0);
        assert!(similarity(&tiny, &tiny) == 1.0);
    }
}
