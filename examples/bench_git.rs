//! Times the git status of an archive: `bench_git DIR [POSTS] [RUNS]`, and a post's
//! history over a long history: `bench_git --history DIR [COMMITS]`.
//!
//! When DIR does not exist yet, it is filled with POSTS (default 100,000) generated posts
//! by the `gen_archive` example (built next to this one:
//! `cargo build --release --example gen_archive --example bench_git`), committed with
//! the `git` binary, and then changed: 200 posts modified, 50 deleted, 50 renamed and
//! 100 new. An existing DIR is reused as it is, so later runs skip the setup. Then
//! [`folio::git::GitArchive::status`] runs once untimed and RUNS (default 5) times timed;
//! the median and best wall times are reported with the change counts. Last, the history
//! of one modified post is walked (time to the first entry and to the end) and the
//! modified posts are committed, which rewrites the whole index.
//!
//! With `--history`, DIR (when new) gets COMMITS (default 50,000) commits made with
//! `git fast-import`, each changing one of 1,000 posts in turn, so one post is changed
//! every 1,000 commits; the driver times the first history entry of one post and the
//! whole walk.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use folio::git::{ChangeState, GitArchive, StatusProgress};

const MODIFIED: usize = 200;
const DELETED: usize = 50;
const RENAMED: usize = 50;
const NEW: usize = 100;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--history") {
        let Some(dir) = args.get(2).map(PathBuf::from) else {
            bail!("usage: bench_git --history DIR [COMMITS]");
        };
        let commits: usize = args.get(3).map_or(Ok(50_000), |n| n.parse())?;
        return bench_history(&dir, commits);
    }
    let Some(dir) = args.get(1).map(PathBuf::from) else {
        bail!("usage: bench_git DIR [POSTS] [RUNS] | bench_git --history DIR [COMMITS]");
    };
    let posts: usize = args.get(2).map_or(Ok(100_000), |n| n.parse())?;
    let runs: usize = args.get(3).map_or(Ok(5), |n| n.parse())?;
    if !dir.exists() {
        build_repository(&dir, posts)?;
    }
    let archive = GitArchive::discover(&dir)?.context("DIR is not in a git work tree")?;

    let start = Instant::now();
    let changes = archive.status(&StatusProgress::default())?;
    println!("first status: {:?}", start.elapsed());
    let count = |state| changes.changes.iter().filter(|c| c.state == state).count();
    println!(
        "changes: {} ({} modified, {} deleted, {} renamed, {} new)",
        changes.len(),
        count(ChangeState::Modified),
        count(ChangeState::Deleted),
        count(ChangeState::Renamed),
        count(ChangeState::New)
    );
    let mut times = Vec::with_capacity(runs);
    let mut tracked = 0;
    for _ in 0..runs {
        let progress = StatusProgress::default();
        let start = Instant::now();
        archive.status(&progress)?;
        times.push(start.elapsed());
        tracked = progress.total_files();
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let best = times.first().copied().unwrap_or_default();
    println!("status of {tracked} tracked files, {runs} runs: median {median:?}, best {best:?}");

    if let Some(modified) = changes
        .changes
        .iter()
        .find(|c| c.state == ChangeState::Modified)
    {
        let start = Instant::now();
        let mut history = archive.history(&modified.path)?;
        let first = history.next().transpose()?;
        let to_first = start.elapsed();
        let rest = history.count();
        println!(
            "history of one post: first entry after {to_first:?}, {} entries in {:?}",
            usize::from(first.is_some()) + rest,
            start.elapsed()
        );
        let selected: Vec<PathBuf> = changes
            .changes
            .iter()
            .filter(|c| c.state == ChangeState::Modified)
            .map(|c| c.path.clone())
            .collect();
        let start = Instant::now();
        archive.commit(&selected, "Benchmark: commit the modified posts")?;
        println!("commit of {} posts: {:?}", selected.len(), start.elapsed());
    }
    Ok(())
}

/// Generates the archive, commits it and changes some posts.
fn build_repository(dir: &Path, posts: usize) -> anyhow::Result<()> {
    let generator = std::env::current_exe()?.with_file_name("gen_archive");
    let start = Instant::now();
    run(Command::new(&generator).arg(posts.to_string()).arg(dir))
        .with_context(|| format!("build it first: {}", generator.display()))?;
    git(dir, &["init", "-q", "-b", "main"])?;
    git(dir, &["add", "-A"])?;
    git(
        dir,
        &[
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=bench@folio.invalid",
            "commit",
            "-q",
            "-m",
            "Generated archive",
        ],
    )?;
    git(dir, &["config", "user.name", "Bench"])?;
    git(dir, &["config", "user.email", "bench@folio.invalid"])?;
    println!(
        "generated and committed {posts} posts in {:?}",
        start.elapsed()
    );

    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(dir)
        .output()?;
    let files: Vec<String> = listed
        .stdout
        .split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    // Spread the changes over the archive: every k-th file.
    let step = (files.len() / (MODIFIED + DELETED + RENAMED)).max(1);
    let mut picked = files.iter().step_by(step);
    for file in picked.by_ref().take(MODIFIED) {
        let path = dir.join(file);
        let mut text = std::fs::read_to_string(&path)?;
        text.push_str("\n<p>Edited for the benchmark.</p>\n");
        std::fs::write(&path, text)?;
    }
    for file in picked.by_ref().take(DELETED) {
        std::fs::remove_file(dir.join(file))?;
    }
    for (i, file) in picked.by_ref().take(RENAMED).enumerate() {
        let to = dir.join("source/_posts/renamed").join(format!("{i}.md"));
        std::fs::create_dir_all(to.parent().context("a parent folder")?)?;
        std::fs::rename(dir.join(file), to)?;
    }
    for i in 0..NEW {
        let path = dir.join("source/_posts/new").join(format!("{i}.md"));
        std::fs::create_dir_all(path.parent().context("a parent folder")?)?;
        std::fs::write(
            path,
            format!("---\ntitle: New {i}\n---\n<p>new post {i}</p>\n"),
        )?;
    }
    Ok(())
}

/// Times the history of one post among `commits` commits.
fn bench_history(dir: &Path, commits: usize) -> anyhow::Result<()> {
    const POSTS: usize = 1000;
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        git(dir, &["init", "-q", "-b", "main"])?;
        let mut stream = Vec::new();
        for c in 0..commits {
            let message = format!("Change post {}", c % POSTS);
            let content = format!("---\ntitle: Post {}\n---\n<p>version {c}</p>\n", c % POSTS);
            stream.extend_from_slice(
                format!(
                    "commit refs/heads/main\nmark :{}\ncommitter Bench <bench@folio.invalid> {} +0000\ndata {}\n{message}\n",
                    c + 1,
                    1_600_000_000 + c,
                    message.len()
                )
                .as_bytes(),
            );
            if c > 0 {
                stream.extend_from_slice(format!("from :{c}\n").as_bytes());
            }
            stream.extend_from_slice(
                format!(
                    "M 100644 inline posts/p{}.md\ndata {}\n{content}\n",
                    c % POSTS,
                    content.len()
                )
                .as_bytes(),
            );
        }
        let mut child = Command::new("git")
            .args(["fast-import", "--quiet"])
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .spawn()?;
        std::io::Write::write_all(&mut child.stdin.take().context("stdin")?, &stream)?;
        if !child.wait()?.success() {
            bail!("git fast-import failed");
        }
        git(dir, &["reset", "-q", "--hard", "main"])?;
        println!("made {commits} commits over {POSTS} posts");
    }
    let archive = GitArchive::discover(dir)?.context("DIR is not in a git work tree")?;
    let post = Path::new("posts/p7.md");
    let start = Instant::now();
    let mut history = archive.history(post)?;
    let first = history.next().transpose()?;
    let to_first = start.elapsed();
    let rest = history.count();
    println!(
        "history of {} among {commits} commits: first entry after {to_first:?}, {} entries in {:?}",
        post.display(),
        usize::from(first.is_some()) + rest,
        start.elapsed()
    );
    Ok(())
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<()> {
    run(Command::new("git").args(args).current_dir(dir))
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let status = command
        .status()
        .with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed: {status}");
    }
    Ok(())
}
