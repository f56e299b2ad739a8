//! Prints the duplicates figures on the labelled set for each near method and setting:
//! `cargo run --release --example dups_quality [--missed]`.
//!
//! The set is the one `tests/library/dups_quality.rs` asserts on (real posts from
//! `tests/fixtures/dups` with generated copies and template look-alikes). Precision and
//! recall are over pairs of posts; "template" counts pairs of template look-alikes (other
//! days, cities, months) grouped, which must stay 0. `--missed` lists the pairs missed
//! and the pairs wrongly grouped.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring driver may panic

#[path = "../tests/dups_support/mod.rs"]
mod dups_support;

use folio::archive::{ScanOptions, scan};
use folio::dups::{
    CacheLocation, DupOptions, DupProgress, Exemptions, NearMethod, find_duplicates,
};

fn main() {
    let show_pairs = std::env::args().any(|a| a == "--missed");
    let set = dups_support::build();
    let archive = scan(&set.root, &ScanOptions::default()).unwrap();
    let exemptions = Exemptions::load(&set.root).unwrap();
    let mut methods = Vec::new();
    for shingle_chars in [3, 4, 5] {
        for min_similarity in [0.4, 0.5, 0.6, 0.7, 0.8] {
            methods.push(NearMethod::MinHash {
                shingle_chars,
                min_similarity,
            });
        }
        for max_distance in [3, 6, 10, 15] {
            methods.push(NearMethod::SimHash {
                shingle_chars,
                max_distance,
            });
        }
    }
    println!(
        "{} posts; default method {:?}",
        archive.articles.len(),
        NearMethod::default()
    );
    println!("method\tshingle\tsetting\tfound\tcorrect\ttrue\tprecision\trecall\ttemplate");
    for near in methods {
        let options = DupOptions {
            near,
            cache: CacheLocation::Off,
            ..DupOptions::default()
        };
        let report = find_duplicates(&archive, &exemptions, &options, &DupProgress::default());
        let f = dups_support::measure(&set, &report.groups);
        let (name, shingle, setting) = match near {
            NearMethod::MinHash {
                shingle_chars,
                min_similarity,
            } => ("minhash", shingle_chars, format!("J>={min_similarity}")),
            NearMethod::SimHash {
                shingle_chars,
                max_distance,
            } => ("simhash", shingle_chars, format!("d<={max_distance}")),
        };
        let marker = if near == NearMethod::default() {
            "  <- default"
        } else {
            ""
        };
        println!(
            "{name}\t{shingle}\t{setting}\t{}\t{}\t{}\t{:.3}\t{:.3}\t{}{marker}",
            f.found_pairs,
            f.correct_pairs,
            f.true_pairs,
            f.precision,
            f.recall,
            f.template_pairs_grouped
        );
        if show_pairs
            && (near == NearMethod::default()
                || std::env::var("SHOW").is_ok_and(|s| s == format!("{near:?}")))
        {
            for (a, b) in &f.missed {
                println!("  missed: {a}  ~  {b}");
            }
            for (a, b) in &f.wrong {
                println!("  wrong:  {a}  ~  {b}");
            }
        }
    }
}
