//! Times `folio list` against `head -c 2048` and `cat` over the same archive:
//! `bench_scan DIR [RUNS]`.
//!
//! Build the release binary first (`cargo build --release`). The commands run on a warm
//! page cache (one untimed run each first), alternating, and the median and best wall
//! times are reported with the ratios. `head -c 2048` of every post is the floor of a
//! listing that reads the front matter only. Peak resident memory of `folio list` is measured
//! with GNU time (`/usr/bin/time -f %M`) when it is installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        bail!("usage: bench_scan DIR [RUNS]");
    };
    let runs: usize = args.get(2).map_or(Ok(5), |r| r.parse())?;
    let folio = folio_binary()?;
    let cat = format!(
        "find '{dir}' -type f \\( -name '*.md' -o -name '*.markdown' -o -name '*.html' \\) -print0 | xargs -0 cat > /dev/null"
    );
    let head = format!(
        "find '{dir}' -type f \\( -name '*.md' -o -name '*.markdown' -o -name '*.html' \\) -print0 | xargs -0 head -q -c 2048 > /dev/null"
    );
    let list = format!("'{}' list '{dir}' > /dev/null", folio.display());
    let files = Command::new("sh")
        .arg("-c")
        .arg(format!("find '{dir}' -type f -name '*.md' | wc -l"))
        .output()?;
    println!("posts: {}", String::from_utf8_lossy(&files.stdout).trim());

    time(&cat)?;
    time(&head)?;
    time(&list)?;
    let mut cat_times = Vec::new();
    let mut head_times = Vec::new();
    let mut list_times = Vec::new();
    for _ in 0..runs {
        cat_times.push(time(&cat)?);
        head_times.push(time(&head)?);
        list_times.push(time(&list)?);
    }
    let (cat_med, cat_best) = stats(&mut cat_times);
    let (head_med, head_best) = stats(&mut head_times);
    println!(
        "head -c 2048 median {:>7.3} s   best {:>7.3} s",
        head_med, head_best
    );
    let (list_med, list_best) = stats(&mut list_times);
    println!(
        "cat         median {:>7.3} s   best {:>7.3} s",
        cat_med, cat_best
    );
    println!(
        "folio list  median {:>7.3} s   best {:>7.3} s",
        list_med, list_best
    );
    println!("ratio folio/head (median): {:.2}", list_med / head_med);
    println!("ratio folio/cat (median): {:.2}", list_med / cat_med);

    if Path::new("/usr/bin/time").exists() {
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%M"])
            .arg(&folio)
            .args(["list", dir])
            .stdout(Stdio::null())
            .output()?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let kib: u64 = stderr
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .context("cannot read GNU time's output")?;
        println!("folio list peak RSS: {:.1} MB", kib as f64 / 1024.0);
    }
    Ok(())
}

fn folio_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .context("cannot locate the target folder")?;
    let folio = release.join("folio");
    if !folio.exists() {
        bail!(
            "{} not found: run `cargo build --release` first",
            folio.display()
        );
    }
    Ok(folio)
}

fn time(command: &str) -> anyhow::Result<f64> {
    let start = Instant::now();
    let status = Command::new("sh").arg("-c").arg(command).status()?;
    let elapsed: Duration = start.elapsed();
    if !status.success() && status.code() != Some(1) {
        bail!("`{command}` failed: {status}");
    }
    Ok(elapsed.as_secs_f64())
}

fn stats(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    let best = times.first().copied().unwrap_or(f64::NAN);
    (median, best)
}
