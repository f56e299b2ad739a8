//! Time `clean_body` on the largest `clean` fixture body (issue target: ≤ 5 ms per clean
//! in release).
//!
//! ```text
//! cargo run --release --example bench_clean [-- ITERATIONS]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use folio::clean::{CleanContext, clean_body};

fn main() -> anyhow::Result<()> {
    let iterations: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(300);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
    let mut largest: Option<(u64, PathBuf)> = None;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let is_post = path.extension().is_some_and(|e| e == "md")
            && path.file_name().is_some_and(|n| n != "README.md");
        let len = path.metadata()?.len();
        if is_post && largest.as_ref().is_none_or(|(l, _)| len > *l) {
            largest = Some((len, path));
        }
    }
    let Some((_, path)) = largest else {
        anyhow::bail!("no fixtures in {}", dir.display());
    };
    let raw = std::fs::read_to_string(&path)?;
    // Body = everything after the closing `---` of the front matter.
    let body = raw
        .trim_start()
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(_, body)| body)
        .unwrap_or(&raw);
    let ctx = CleanContext {
        title: None,
        post_dir: "source/_posts/bench",
    };
    let blocks = clean_body(body, &ctx).blocks.len();
    for _ in 0..10 {
        std::hint::black_box(clean_body(std::hint::black_box(body), &ctx));
    }
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = Instant::now();
        std::hint::black_box(clean_body(std::hint::black_box(body), &ctx));
        times.push(start.elapsed());
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let p95 = times
        .get(times.len() * 95 / 100)
        .copied()
        .unwrap_or_default();
    let min = times.first().copied().unwrap_or_default();
    println!(
        "{}: {} bytes of body, {blocks} blocks; {iterations} cleans: median {:.3} ms, min {:.3} ms, p95 {:.3} ms",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        body.len(),
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
    );
    Ok(())
}
