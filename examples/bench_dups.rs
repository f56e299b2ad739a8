//! Times duplicate detection on a large archive, cold and warm:
//! `cargo run --release --example bench_dups [-- DIR]` (default `/tmp/folio-100k`).
//!
//! Build the archive first: `cargo run --release --example gen_archive -- 100000
//! /tmp/folio-100k`. The driver scans the archive once (timed apart, as the app has
//! its scan already), then runs [`find_duplicates`] with an empty fingerprint cache in a
//! temporary folder (cold: every post read, cleaned and fingerprinted) and again with
//! the cache filled (warm), on a warm page cache both times (the scan has just read
//! every file). Peak memory is the process's VmHWM from `/proc/self/status`, read after
//! each step (it only grows). CPU time (user + system, all threads, from
//! `/proc/self/stat`) is printed beside wall time: on a shared machine it says what a
//! step costs whatever else runs.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use folio::archive::{ScanOptions, scan};
use folio::dups::{
    CacheLocation, DupKind, DupOptions, DupProgress, DupReport, Exemptions, find_duplicates,
};

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/folio-100k".into()),
    );
    if !dir.is_dir() {
        bail!(
            "no archive at {}: run `cargo run --release --example gen_archive -- 100000 {}` first",
            dir.display(),
            dir.display()
        );
    }
    println!("threads: {}", rayon::current_num_threads());
    let started = Instant::now();
    let cpu = cpu_secs()?;
    let archive = scan(&dir, &ScanOptions::default())?;
    println!(
        "scan: {} posts in {:.2} s (cpu {:.2} s), peak memory {} MiB",
        archive.articles.len(),
        started.elapsed().as_secs_f64(),
        cpu_secs()? - cpu,
        peak_mib()?
    );
    let exemptions = Exemptions::load(&archive.root)?;
    let cache = tempfile::tempdir().context("temporary cache folder")?;
    let options = DupOptions {
        cache: CacheLocation::Dir(cache.path().to_owned()),
        ..DupOptions::default()
    };
    for run in ["cold", "warm"] {
        let started = Instant::now();
        let cpu = cpu_secs()?;
        let report = find_duplicates(&archive, &exemptions, &options, &DupProgress::default());
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{run}: {secs:.2} s (cpu {:.2} s; {} computed, {} from cache), peak memory {} MiB",
            cpu_secs()? - cpu,
            report.stats.computed,
            report.stats.from_cache,
            peak_mib()?
        );
        describe(&report);
    }
    let cache_bytes: u64 = std::fs::read_dir(cache.path())?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "cache file: {:.1} MiB",
        cache_bytes as f64 / (1024.0 * 1024.0)
    );
    Ok(())
}

fn describe(report: &DupReport) {
    let s = &report.stats;
    let count = |kind| report.groups.iter().filter(|g| g.kind == kind).count();
    let grouped: usize = report.groups.iter().map(|g| g.members.len()).sum();
    println!(
        "  {} groups ({} exact, {} near, {} url) holding {grouped} posts; largest {}; \
         {} distinct texts, {} candidate pairs, {} near pairs; {} unreadable, {} too short",
        report.groups.len(),
        count(DupKind::Exact),
        count(DupKind::Near),
        count(DupKind::Url),
        report.groups.first().map_or(0, |g| g.members.len()),
        s.distinct_texts,
        s.candidate_pairs,
        s.near_pairs,
        s.unreadable,
        s.too_short,
    );
    for note in &report.cache_notes {
        println!("  note: {note}");
    }
}

/// User and system CPU time of the whole process so far, in seconds (clock ticks of
/// 1/100 s, Linux's `USER_HZ`).
fn cpu_secs() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").context("/proc/self/stat")?;
    // Fields after the command name (which may hold spaces) start at field 3.
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .context("odd stat")?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |field: usize| -> anyhow::Result<f64> {
        let index = field - 3;
        Ok(fields.get(index).context("short stat")?.parse::<f64>()?)
    };
    Ok((ticks(14)? + ticks(15)?) / 100.0)
}

/// The process's peak resident memory so far, in MiB (VmHWM).
fn peak_mib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status").context("/proc/self/status")?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/self/status")?;
    Ok(kib / 1024)
}
