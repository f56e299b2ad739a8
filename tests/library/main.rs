//! The core library without a window: scanning, editing and saving, the bulk engine,
//! the cleaner, duplicates, the index and thumbnails, on real fixture posts and
//! generated inputs. One test binary for all of them, so the library is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod clean_support;
#[path = "../dups_support/mod.rs"]
mod dups_support;
mod thumbs_support;

mod archive_scan;
mod bulk_engine;
mod clean_excerpts;
mod clean_quality;
mod clean_rules;
mod dups_kinds;
mod dups_quality;
mod edit_cases;
mod edit_proptest;
mod edit_roundtrip;
mod fulltext;
mod fuzz_regressions;
mod index_corpus;
mod index_props;
mod save_faults;
mod scan_cache;
mod thumbs_http;
mod thumbs_local;
mod thumbs_local_network;
mod watch;
