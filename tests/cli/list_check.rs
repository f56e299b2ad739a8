//! `folio list` and `folio check` run as the real binary on the fixture archive.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive")
}

fn folio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .output()
        .expect("run folio")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn list_tsv_has_a_header_and_one_row_per_post() {
    let root = fixtures();
    let out = folio(&["list", root.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "path\ttitle\tdate\tdate_utc\tcategories\tauthor\timage\tproblems"
    );
    assert_eq!(lines.len(), 1 + 24);
    let sina = lines
        .iter()
        .find(|l| l.starts_with("source/_posts/金融/"))
        .unwrap();
    let cells: Vec<&str> = sina.split('\t').collect();
    assert_eq!(
        cells,
        [
            "source/_posts/金融/新浪财经/新浪财经－国內/1-7月全国财政收入同比增20%.md",
            "1-7月全国财政收入同比增20%",
            "Thu, 19 Aug 2021 23:56:09 GMT",
            "2021-08-19T23:56:09Z",
            "金融;新浪财经;新浪财经－国內",
            "新浪财经",
            "", // headimg and thumbnail are both Sina's QR-code promo
            "0",
        ]
    );
    let invalid = lines
        .iter()
        .find(|l| l.contains("Basketball Player"))
        .unwrap();
    let cells: Vec<&str> = invalid.split('\t').collect();
    assert_eq!((cells[2], cells[3], cells[7]), ("Invalid Date", "", "1"));
}

#[test]
fn list_jsonl_is_one_object_per_post() {
    let root = fixtures();
    let out = folio(&["list", root.to_str().unwrap(), "--format", "jsonl"]);
    assert!(out.status.success(), "{out:?}");
    let records: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 24);
    let hugo = records
        .iter()
        .find(|r| r["path"] == "hugo/content/posts/toml-post.md")
        .unwrap();
    assert_eq!(hugo["title"], "Hugo 的 TOML 文章");
    assert_eq!(hugo["date"], "2021-06-17T08:02:32+08:00");
    assert_eq!(hugo["date_utc"], "2021-06-17T00:02:32Z");
    assert_eq!(hugo["categories"], serde_json::json!(["博客"]));
    assert_eq!(hugo["image"], "/images/cover.jpg");
    assert_eq!(hugo["problems"], 0);
    let binary = records
        .iter()
        .find(|r| r["path"] == "bad/binary.md")
        .unwrap();
    assert_eq!(binary["date_utc"], serde_json::Value::Null);
    assert_eq!(binary["problems"], 1);
}

#[test]
fn check_reports_problems_with_lines_and_exits_1_on_errors() {
    let root = fixtures();
    let out = folio(&["check", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = stdout(&out);
    for expected in [
        "bad/binary.md: error: binary file, not a text post",
        "bad/empty.md: error: the file is empty",
        "bad/unterminated.md:2: error: front matter opened with `---` is never closed",
        "bad/damaged-utf8.md:6: error: 1 byte sequence(s) invalid in UTF-8",
        "bad/no-front-matter.md: warning: no front matter (`---` or `+++` block)",
        "source/_posts/设计/Dribbble/关键词/Basketball Player.md:11: warning: `date` is not a date: `Invalid Date`",
        "source/_posts/编程/开源中国/资讯/ .md:3: warning: the title is empty",
    ] {
        assert!(
            text.lines().any(|l| l == expected),
            "missing {expected:?} in\n{text}"
        );
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with("bad/broken-yaml.md:5: error: front matter is not valid YAML"))
    );
    assert_eq!(
        text.lines().last(),
        Some("5 error(s), 6 warning(s) in 10 of 24 post(s)")
    );
}

#[test]
fn check_exits_0_when_only_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "---\ntitle: ok\ndate: Invalid Date\n---\n",
    )
    .unwrap();
    let out = folio(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).ends_with("0 error(s), 1 warning(s) in 1 of 1 post(s)\n"));
}

#[test]
fn missing_folder_and_bad_usage_exit_2() {
    let out = folio(&["check", "/no/such/folio/archive"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/no/such/folio/archive"), "{err}");
    let out = folio(&["list", "/no/such/folio/archive"]);
    assert_eq!(out.status.code(), Some(2));
    let out = folio(&["list", "--format", "xml", "."]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_query_may_start_with_a_negation() {
    let root = fixtures();
    let rows = |args: &[&str]| {
        let out = folio(args);
        assert!(out.status.success(), "{out:?}");
        stdout(&out).lines().count() - 1
    };
    let all = rows(&["list", root.to_str().unwrap()]);
    let finance = rows(&["list", root.to_str().unwrap(), "--query", "cat:金融"]);
    // `-cat:金融` is the query, not an unknown flag.
    let others = rows(&["list", root.to_str().unwrap(), "--query", "-cat:金融"]);
    assert!(finance > 0 && others > 0);
    assert_eq!(finance + others, all);
}
