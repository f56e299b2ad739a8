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
