//! The labelled duplicates set (see `dups_support`): precision and recall over pairs of
//! posts, and no two template look-alikes (different days, cities, months) grouped.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::dups_support;

use folio::archive::{ScanOptions, scan};
use folio::dups::{CacheLocation, DupOptions, DupProgress, Exemptions, find_duplicates};

#[test]
fn labelled_set_precision_and_recall_over_pairs() {
    let set = dups_support::build();
    let archive = scan(&set.root, &ScanOptions::default()).unwrap();
    assert_eq!(archive.articles.len(), set.labels.len());
    let options = DupOptions {
        cache: CacheLocation::Off,
        ..DupOptions::default()
    };
    let exemptions = Exemptions::load(&set.root).unwrap();
    let report = find_duplicates(&archive, &exemptions, &options, &DupProgress::default());
    let figures = dups_support::measure(&set, &report.groups);
    println!(
        "{} posts, {} true pairs, {} found, {} correct: precision {:.3}, recall {:.3}, template pairs grouped {}",
        figures.posts,
        figures.true_pairs,
        figures.found_pairs,
        figures.correct_pairs,
        figures.precision,
        figures.recall,
        figures.template_pairs_grouped
    );
    assert!(
        figures.true_pairs > 200,
        "the set must hold enough copies: {figures:?}"
    );
    assert_eq!(
        figures.template_pairs_grouped, 0,
        "wrongly grouped: {:#?}",
        figures.wrong
    );
    assert!(
        figures.precision >= 0.95,
        "wrongly grouped: {:#?}",
        figures.wrong
    );
    assert!(figures.recall >= 0.95, "missed: {:#?}", figures.missed);
}
