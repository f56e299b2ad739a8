//! Measures the insights figures on a scanned archive (the 100,000-post synthetic one by
//! default): the one-off key build, then every figure over all posts and over
//! facet-sized subsets, as the window would recompute them after a facet click.
//! Run in release:
//!
//! ```text
//! cargo run --release --example gen_archive -- 100000 /tmp/folio-100k   # once
//! cargo run --release --example bench_insights [DIR] [RUNS]
//! ```

use std::time::{Duration, Instant};

use folio::archive::{ScanOptions, scan};
use folio::index::{ArticleId, Index, Query, SortKey};
use folio::insights::{DateZone, InsightsIndex, Options, Split};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// The `q`-quantile of sorted durations.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "/tmp/folio-100k".to_owned());
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let (archive, scan_time) = time(|| scan(dir.as_ref(), &ScanOptions::default()));
    let articles = archive?.articles;
    println!(
        "scanned {} posts in {:.0} ms (not part of the figures)",
        articles.len(),
        ms(scan_time)
    );
    let (index, index_time) = time(|| {
        let mut index = Index::new();
        for a in &articles {
            index.push(a);
        }
        index
    });
    let (insights, build_time) = time(|| InsightsIndex::build(&articles, DateZone::Local));
    println!(
        "key build, once per scan: insights {:.0} ms (search index {:.0} ms)",
        ms(build_time),
        ms(index_time)
    );

    let facet = |path: &[&str]| Query {
        category_path: path.iter().map(|s| s.to_string()).collect(),
        sort: SortKey::Date,
        descending: true,
        ..Query::default()
    };
    let all = index.query(&facet(&[]));
    let cases: Vec<(&str, Vec<ArticleId>, Split)> = vec![
        ("all posts, split by group", all.clone(), Split::Group),
        ("all posts, split by feed", all, Split::Feed),
        ("facet 金融", index.query(&facet(&["金融"])), Split::Group),
        (
            "facet 金融 › 新浪财经",
            index.query(&facet(&["金融", "新浪财经"])),
            Split::Feed,
        ),
        (
            "search 央行 (text)",
            index.query(&Query {
                text: "央行".into(),
                ..facet(&[])
            }),
            Split::Group,
        ),
    ];
    println!("\nall figures ({runs} runs each after one cold run): p50 / p95 / max");
    let mut worst = Duration::ZERO;
    for (name, ids, split) in &cases {
        let options = Options {
            split: *split,
            ..Options::default()
        };
        let (cold_figures, cold) = time(|| insights.compute(ids, &options));
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| time(|| insights.compute(ids, &options)).1)
            .collect();
        times.sort();
        let p95 = quantile(&times, 0.95);
        worst = worst.max(p95);
        println!(
            "  {name:<28} {:>6} posts: cold {:>6.2} ms, {:>6.2} / {:>6.2} / {:>6.2} ms  \
             ({} {} periods, {} series, {} gaps)",
            ids.len(),
            ms(cold),
            ms(quantile(&times, 0.5)),
            ms(p95),
            ms(times.last().copied().unwrap_or_default()),
            cold_figures.timeline.periods.len(),
            cold_figures.timeline.kind.name(),
            cold_figures.timeline.series.len(),
            cold_figures.gaps.len(),
        );
    }

    // What a facet click costs end to end: the list's query, then the figures over it.
    let mut clicks: Vec<Duration> = (0..runs)
        .map(|i| {
            let path: &[&str] = if i % 2 == 0 { &["金融"] } else { &["编程"] };
            time(|| insights.compute(&index.query(&facet(path)), &Options::default())).1
        })
        .collect();
    clicks.sort();
    println!(
        "\nfacet click (query + figures), {runs} clicks alternating 金融 / 编程: p50 {:.2} ms, p95 {:.2} ms",
        ms(quantile(&clicks, 0.5)),
        ms(quantile(&clicks, 0.95))
    );
    println!(
        "worst p95 of the figures: {:.2} ms (budget 50 ms): {}",
        ms(worst),
        if worst <= Duration::from_millis(50) {
            "within"
        } else {
            "OVER"
        }
    );
    Ok(())
}
