//! `folio bulk`, `history`, `undo`, `redo` run as the real binary on temporary copies of
//! the app fixtures, with the history in a temporary data folder; and a crash test that
//! kills `folio bulk` at random moments and checks every file is wholly old or new and
//! that the next run finishes or rolls back the interrupted operation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/app/archive/_posts"
);

struct Setup {
    dir: tempfile::TempDir,
    root: PathBuf,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("_posts");
        crate::copy_dir(Path::new(FIXTURES), &root);
        Self { dir, root }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
        command
            .args(args)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("HOME", self.dir.path());
        command
    }

    fn folio(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn root(&self) -> &str {
        self.root.to_str().unwrap()
    }

    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out: Vec<(PathBuf, Vec<u8>)> = walk(&self.root)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(&self.root).unwrap().to_owned(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn dry_run_prints_diffs_in_the_order_given_and_writes_nothing() {
    let s = Setup::new();
    let before = s.snapshot();
    let out = s.folio(&[
        "bulk",
        s.root(),
        "--query",
        "cat:新媒体",
        "--add",
        "tags=整理",
        "--set",
        "tags=只有这个",
        "--dry-run",
    ]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // The set comes after the add, so it wins.
    assert!(
        stdout.contains("+tags: 只有这个") || stdout.contains("+tags: \n+ - 只有这个"),
        "{stdout}"
    );
    assert!(!stdout.contains("整理"), "{stdout}");
    assert_eq!(stdout.matches("--- a/").count(), 3, "{stdout}");
    assert!(
        stderr.contains("3 would change, 0 unchanged, 0 refused"),
        "{stderr}"
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn apply_history_undo_and_redo_share_one_journal() {
    let s = Setup::new();
    let before = s.snapshot();
    let out = s.folio(&[
        "bulk",
        s.root(),
        "--query",
        "author:36kr",
        "--rename",
        "categories",
        "36kr",
        "36氪",
    ]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 changed"), "{stderr}");
    let post = s.root.join("新媒体/36kr/资讯/00后涌向中厂.md");
    assert!(fs::read_to_string(&post).unwrap().contains(" - 36氪\n"));

    let (history, _) = text(&s.folio(&["history", s.root()]));
    assert!(history.contains("1\tapplied\t"), "{history}");
    assert!(
        history.contains("rename 36kr to 36氪 in categories"),
        "{history}"
    );

    let out = s.folio(&["undo", s.root()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert_eq!(s.snapshot(), before);
    let (history, _) = text(&s.folio(&["history", s.root()]));
    assert!(history.contains("1\tundone\t"), "{history}");

    let out = s.folio(&["redo", s.root(), "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert!(fs::read_to_string(&post).unwrap().contains(" - 36氪\n"));
    // Nothing left to redo.
    let out = s.folio(&["redo", s.root()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("nothing to redo"), "{}", text(&out).1);
}

#[test]
fn refusals_exit_1_and_usage_errors_exit_2() {
    let s = Setup::new();
    // A character GBK… no: the fixtures are UTF-8; a map cannot be set.
    let broken = s.root.join("新媒体/broken.md");
    fs::write(&broken, "---\ntitle: [broken\n---\nbody\n").unwrap();
    let out = s.folio(&["bulk", s.root(), "--set", "author=编辑部"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("refused:") && stderr.contains("broken.md"),
        "{stderr}"
    );
    assert!(stderr.contains("4 changed"), "{stderr}");
    for args in [
        vec!["bulk", s.root()],
        vec!["bulk", s.root(), "--set", "no-equals-sign"],
        vec!["bulk", s.root(), "--move", "../outside"],
        vec!["bulk", s.root(), "--trash", "--set", "a=b"],
        vec!["bulk", s.root(), "--replace", "title", "(", "x", "--regex"],
    ] {
        let out = s.folio(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out).1);
    }
}

#[test]
fn trash_and_move_from_the_command_line_undo() {
    let s = Setup::new();
    let before = s.snapshot();
    let out = s.folio(&["bulk", s.root(), "--query", "cat:金融", "--move", "归档"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert!(
        s.root
            .join("归档/0！北京连续3日无新增新冠肺炎确诊病例.md")
            .exists()
    );
    let out = s.folio(&["bulk", s.root(), "--query", "cat:新媒体", "--trash"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert_eq!(walk(&s.root).len(), 1);
    assert_eq!(s.folio(&["undo", s.root()]).status.code(), Some(0));
    assert_eq!(s.folio(&["undo", s.root()]).status.code(), Some(0));
    assert_eq!(s.snapshot(), before);
}

/// A small deterministic generator for the kill times.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn kill_9_during_apply_leaves_each_file_old_or_new_and_recovery_settles_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    let template =
        fs::read_to_string(Path::new(FIXTURES).join("新媒体/36kr/资讯/00后涌向中厂.md")).unwrap();
    let mut originals = Vec::new();
    for i in 0..300 {
        let path = root.join(format!("feed{}/post{i}.md", i % 7));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = template.replace("00后涌向中厂", &format!("第{i}篇"));
        fs::write(&path, &text).unwrap();
        originals.push((path, text));
    }
    let folio = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
        command
            .args(args)
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("HOME", dir.path());
        command
    };
    let root_arg = root.to_str().unwrap().to_owned();
    let mut rng = Lcg(0x5eed);
    let mut interrupted_runs = 0;
    for round in 0..50 {
        let title = format!("round {round}");
        let set = format!("title={title}");
        let mut child = folio(&["bulk", &root_arg, "--set", &set]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.next(400)));
        let _ = child.kill();
        let _ = child.wait();
        // Every file is wholly old or wholly new.
        let mut new_files = 0;
        for (path, old) in &originals {
            let now = fs::read_to_string(path).unwrap();
            let new = old.replacen(
                old.lines().find(|l| l.starts_with("title:")).unwrap(),
                &format!("title: '{title}'"),
                1,
            );
            assert!(
                now == *old || now == new,
                "round {round}: {} is neither old nor new:\n{now}",
                path.display()
            );
            new_files += usize::from(now == new);
        }
        let history =
            String::from_utf8(folio(&["history", &root_arg]).output().unwrap().stdout).unwrap();
        let interrupted = history.contains("interrupted");
        interrupted_runs += usize::from(interrupted);
        if interrupted || new_files > 0 {
            // Finish it or roll it back, then roll back to start the next round clean.
            if interrupted && rng.next(2) == 0 {
                let out = folio(&["redo", &root_arg]).output().unwrap();
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                for (path, old) in &originals {
                    let now = fs::read_to_string(path).unwrap();
                    assert_ne!(now, *old, "round {round}: finishing left a file old");
                }
            }
            let out = folio(&["undo", &root_arg]).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        for (path, old) in &originals {
            assert_eq!(
                fs::read_to_string(path).unwrap(),
                *old,
                "round {round}: not rolled back"
            );
        }
    }
    // The kills did land in the middle of applying now and then.
    assert!(
        interrupted_runs > 0,
        "no kill interrupted an apply; the test proves nothing"
    );
}
