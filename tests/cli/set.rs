//! `folio set` / `folio unset` run as the real binary on temp copies of fixtures.

// Test helpers panic on purpose: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/edit")
        .join(name);
    let dst = dir.path().join(name);
    fs::copy(src, &dst).unwrap();
    (dir, dst)
}

fn folio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .output()
        .unwrap()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn set_title_changes_only_the_title_line() {
    let (_dir, path) = fixture_copy("newest-3cat.md");
    let before = fs::read_to_string(&path).unwrap();
    let out = folio(&["set", s(&path), "title", "It's 新的"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        before.replace("title: '00后涌向中厂'", "title: 'It''s 新的'")
    );
}

#[test]
fn set_list_bool_and_date() {
    let (_dir, path) = fixture_copy("newest-3cat.md");
    let before = fs::read_to_string(&path).unwrap();
    let out = folio(&["set", s(&path), "categories", "--list", "金融", "36kr"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = folio(&["set", s(&path), "comments", "true", "--bool"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = folio(&[
        "set",
        s(&path),
        "date",
        "--date",
        "2022-07-17 09:00:00 +0800",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let want = before
        .replace(" - 新媒体\n - 36kr\n - 资讯\n", " - 金融\n - 36kr\n")
        .replace("comments: false", "comments: true")
        .replace(
            "Sat, 16 Jul 2022 03:36:19 GMT",
            "Sun, 17 Jul 2022 01:00:00 GMT",
        );
    assert_eq!(fs::read_to_string(&path).unwrap(), want);
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let (_dir, path) = fixture_copy("crlf.md");
    let before = fs::read(&path).unwrap();
    let out = folio(&["set", "--dry-run", s(&path), "title", "新"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("-title: \"Windows 写的文章\""), "{diff}");
    assert!(diff.contains("+title: \"新\""), "{diff}");
    assert_eq!(
        diff.lines().filter(|l| l.starts_with(['+', '-'])).count(),
        4,
        "{diff}"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn unset_removes_the_key_and_a_missing_key_changes_nothing() {
    let (_dir, path) = fixture_copy("older-4space.md");
    let before = fs::read_to_string(&path).unwrap();
    let out = folio(&["unset", s(&path), "categories"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        before.replace("categories: \n    - 二次元\n    - AcFun\n    - 番剧\n", "")
    );
    let now = fs::read(&path).unwrap();
    let out = folio(&["unset", s(&path), "nope"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(fs::read(&path).unwrap(), now);
}

#[test]
fn refusals_exit_1_naming_the_file() {
    let (_dir, path) = fixture_copy("gbk.md");
    let before = fs::read(&path).unwrap();
    let out = folio(&["set", s(&path), "title", "表情😀"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("😀") && err.trim_end().ends_with("gbk.md"),
        "{err}"
    );
    assert_eq!(fs::read(&path).unwrap(), before);

    let missing = path.with_file_name("missing.md");
    let out = folio(&["set", s(&missing), "title", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).trim_end().ends_with("missing.md"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    let (_dir, path) = fixture_copy("newest-3cat.md");
    let before = fs::read(&path).unwrap();
    for args in [
        vec!["set", s(&path), "title"],
        vec!["set", s(&path), "title", "a", "b"],
        vec!["set", s(&path), "comments", "maybe", "--bool"],
        vec!["set", s(&path), "date", "yesterday", "--date"],
        vec!["set", s(&path), "title", "x", "--list", "--bool"],
        vec!["unset", s(&path)],
    ] {
        let out = folio(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn values_starting_with_a_dash_after_double_dash() {
    let (_dir, path) = fixture_copy("plain-datetime.md");
    let out = folio(&["set", s(&path), "author", "--", "- not a list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\nauthor: '- not a list'\n"), "{text}");
}

#[test]
fn set_a_title_starting_with_a_dash_without_double_dash() {
    let (_dir, path) = fixture_copy("newest-3cat.md");
    let before = fs::read_to_string(&path).unwrap();
    let out = folio(&["set", s(&path), "title", "-10°C 街头实测"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        before.replace("title: '00后涌向中厂'", "title: '-10°C 街头实测'")
    );
    // Flags after such a value still count as flags.
    let out = folio(&["set", s(&path), "title", "-5°C", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("+title: '-5°C'"));
    assert!(fs::read_to_string(&path).unwrap().contains("-10°C"));
}

#[test]
fn set_types_the_value_like_the_key_and_edits_the_key_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hugo.md");
    let text = "---\ntitle: t\ncategory: news\nlastmod: Tue, 16 Aug 2022 05:47:27 GMT\ncomments: true\n---\nbody\n";
    fs::write(&path, text).unwrap();
    for args in [
        vec!["set", s(&path), "updated", "2022-08-17 10:00:00"],
        vec!["set", s(&path), "categories", "sport"],
        vec!["set", s(&path), "comments", "false"],
    ] {
        let out = folio(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "---\ntitle: t\ncategory: sport\nlastmod: Wed, 17 Aug 2022 10:00:00 GMT\ncomments: false\n---\nbody\n"
    );
    let out = folio(&["set", s(&path), "comments", "maybe"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn two_concurrent_sets_on_one_file_keep_both_edits() {
    let (_dir, path) = fixture_copy("newest-3cat.md");
    let original = fs::read(&path).unwrap();
    for round in 0..20 {
        fs::write(&path, &original).unwrap();
        let spawn = |key: &str, value: String| {
            Command::new(env!("CARGO_BIN_EXE_folio"))
                .args(["set", s(&path), key, &value])
                .output()
        };
        let (title, author) = std::thread::scope(|scope| {
            let title = scope.spawn(|| spawn("title", format!("T{round}")));
            let author = scope.spawn(|| spawn("author", format!("A{round}")));
            (
                title.join().unwrap().unwrap(),
                author.join().unwrap().unwrap(),
            )
        });
        assert_eq!(title.status.code(), Some(0), "{}", stderr(&title));
        assert_eq!(author.status.code(), Some(0), "{}", stderr(&author));
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(&format!("title: 'T{round}'"))
                && text.contains(&format!("author: A{round}")),
            "round {round} lost an edit:\n{text}"
        );
    }
}

#[test]
fn set_writes_through_a_symlink_and_refuses_hard_links() {
    let (dir, path) = fixture_copy("newest-3cat.md");
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let out = folio(&["set", s(&link), "title", "通过链接"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(&path)
            .unwrap()
            .contains("title: '通过链接'")
    );

    let hard = dir.path().join("hard.md");
    fs::hard_link(&path, &hard).unwrap();
    let before = fs::read(&path).unwrap();
    let out = folio(&["set", s(&hard), "title", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("hard links"), "{}", stderr(&out));
    assert_eq!(fs::read(&path).unwrap(), before);

    let null = dir.path().join("null.md");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    let out = folio(&["set", s(&null), "title", "x"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        fs::symlink_metadata(&null)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn temp_files_of_killed_runs_are_removed_and_others_are_not() {
    let (dir, path) = fixture_copy("newest-3cat.md");
    // What killed runs leave: a dead pid's temp file and an old unnamed one; and a
    // file of someone else's that only looks alike.
    let dead = dir.path().join(".folio-save-4000000-abcdef.tmp");
    let foreign = dir.path().join(".folio-save-notes.txt");
    fs::write(&dead, "partial").unwrap();
    fs::write(&foreign, "mine").unwrap();
    let out = folio(&["set", s(&path), "title", "新"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dead.exists(), "a dead run's temp file stayed");
    assert!(foreign.exists());
}

#[test]
fn an_interrupted_set_leaves_the_file_whole_and_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.md");
    let body = "<p>正文正文正文正文</p>\n".repeat(800_000);
    let original = format!("---\ntitle: big\n---\n{body}");
    for (round, signal) in ["INT", "TERM", "KILL", "INT", "TERM", "KILL"]
        .iter()
        .enumerate()
    {
        fs::write(&path, &original).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["set", s(&path), "title", "new"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(40 + 30 * round as u64));
        let _ = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status();
        let _ = child.wait();
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text == original || text == original.replacen("title: big", "title: new", 1),
            "round {round}: the file is neither old nor new"
        );
        if *signal != "KILL" {
            let names: Vec<String> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names, ["big.md"], "round {round} ({signal}) left {names:?}");
        }
    }
    // The next write sweeps what SIGKILL left.
    let out = folio(&["set", s(&path), "title", "last"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["big.md"]);
}

#[test]
fn a_file_with_cr_only_line_ends_is_refused_not_given_a_second_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.md");
    fs::write(&path, "---\rtitle: cr\r---\rbody\r").unwrap();
    let out = folio(&["set", s(&path), "title", "N"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("CR only"), "{}", stderr(&out));
    assert_eq!(fs::read(&path).unwrap(), b"---\rtitle: cr\r---\rbody\r");
}

#[test]
fn a_date_the_format_cannot_hold_is_refused() {
    let (_dir, path) = fixture_copy("newest-3cat.md");
    let before = fs::read(&path).unwrap();
    let out = folio(&["set", s(&path), "date", "--date", "-0001-01-01T00:00:00Z"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(fs::read(&path).unwrap(), before);
}
