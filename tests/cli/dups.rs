//! `folio dups` run as the real binary on an archive made from the dups fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::dups_support;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

const FISCAL: &str = "source/_posts/金融/新浪财经/新浪财经－国內/1-7月全国财政收入同比增20%.md";
const TIGER: &str = "source/_posts/金融/新浪财经/新浪财经－国內/1000元一斤卖老虎肉？警方已介入.md";
const BEIJING: &str = "source/_posts/金融/新浪财经/新浪财经－国內/0！北京昨日本土无新增.md";

struct Run {
    dir: tempfile::TempDir,
}

impl Run {
    /// An archive with an exact pair, a near pair, a url pair and a template look-alike.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let fixture = |rel: &str| fs::read_to_string(dups_support::fixtures().join(rel)).unwrap();
        let beijing = fixture(BEIJING);
        let tiger = fixture(TIGER);
        let link = |text: &str, url: &str| {
            text.replacen("\ncomments:", &format!("\nlink: {url}\ncomments:"), 1)
        };
        let files = [
            ("a/fiscal.md".to_owned(), fixture(FISCAL)),
            ("b/fiscal copy.md".to_owned(), fixture(FISCAL)),
            ("a/tiger.md".to_owned(), tiger.clone()),
            (
                "b/tiger longer.md".to_owned(),
                dups_support::add_paragraph(&tiger),
            ),
            (
                "a/beijing.md".to_owned(),
                link(
                    &beijing,
                    "https://finance.sina.com.cn/a/1.shtml?utm_source=x",
                ),
            ),
            (
                "b/beijing next day.md".to_owned(),
                dups_support::substitute(&beijing, &[("7月9日", "7月10日"), ("7月8日", "7月9日")]),
            ),
            (
                "c/wine.md".to_owned(),
                link(
                    &fixture(
                        "source/_posts/编程/开源中国/资讯/Wine 714 发布，Windows 应用的兼容层.md",
                    ),
                    "http://www.finance.sina.com.cn/a/1.shtml/",
                ),
            ),
        ];
        for (rel, text) in &files {
            let path = dir.path().join("archive").join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        Self { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    fn folio(&self, args: &[&str]) -> Output {
        // The fingerprint cache goes to the platform cache folder: keep it in the test's.
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("HOME", self.dir.path())
            .output()
            .expect("run folio")
    }

    fn dups(&self, extra: &[&str]) -> Output {
        let root = self.root();
        let mut args = vec!["dups", root.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.folio(&args)
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn tsv_has_a_header_and_one_line_per_group() {
    let run = Run::new();
    let out = run.dups(&[]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stderr(&out), "");
    let text = stdout(&out);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines[0], ["kind", "similarity", "posts", "paths"]);
    assert_eq!(lines.len(), 4, "{text}");
    let groups: Vec<(&str, &[&str])> = lines[1..].iter().map(|l| (l[0], &l[3..])).collect();
    assert!(
        groups.contains(&("exact", &["a/fiscal.md", "b/fiscal copy.md"][..])),
        "{text}"
    );
    assert!(
        groups.contains(&("near", &["a/tiger.md", "b/tiger longer.md"][..])),
        "{text}"
    );
    assert!(
        groups.contains(&("url", &["a/beijing.md", "c/wine.md"][..])),
        "{text}"
    );
    assert!(
        !text.contains("next day"),
        "a template's next day is no copy: {text}"
    );
    for line in &lines[1..] {
        let similarity: f64 = line[1].parse().unwrap();
        assert!((0.0..=1.0).contains(&similarity), "{line:?}");
        assert_eq!(line[2], (line.len() - 3).to_string());
    }
}

#[test]
fn jsonl_is_one_object_per_group_and_kind_filters() {
    let run = Run::new();
    let out = run.dups(&["--format", "jsonl"]);
    assert!(out.status.success(), "{out:?}");
    let records: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    for record in &records {
        let keys: Vec<&str> = record
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 3, "{record}");
        assert!(
            record["similarity"].is_number() && record["paths"].is_array(),
            "{record}"
        );
    }
    let exact = records.iter().find(|r| r["kind"] == "exact").unwrap();
    assert_eq!(exact["similarity"], 1.0);
    assert_eq!(
        exact["paths"],
        serde_json::json!(["a/fiscal.md", "b/fiscal copy.md"])
    );

    let out = run.dups(&["--format", "jsonl", "--kind", "near"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    let near: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(near["kind"], "near");
    assert_eq!(
        near["paths"],
        serde_json::json!(["a/tiger.md", "b/tiger longer.md"])
    );
    let out = run.dups(&["--kind", "url"]);
    assert_eq!(stdout(&out).lines().count(), 2, "header and the url group");
}

#[test]
fn exemptions_are_respected_and_a_broken_list_is_an_error_naming_it() {
    let run = Run::new();
    let file = run.root().join(folio::dups::EXEMPT_FILE);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(
        &file,
        "[[not_duplicates]]\npaths = [\"a/fiscal.md\", \"b/fiscal copy.md\"]\n",
    )
    .unwrap();
    let out = run.dups(&["--format", "jsonl"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(!text.contains("fiscal"), "{text}");

    fs::write(&file, "[[not_duplicates]\n").unwrap();
    let out = run.dups(&[]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr(&out)
            .trim_end()
            .ends_with(&file.display().to_string()),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
    assert_eq!(fs::read_to_string(&file).unwrap(), "[[not_duplicates]\n");
}

#[test]
fn a_second_run_uses_the_cache_and_gives_the_same_groups() {
    let run = Run::new();
    let first = run.dups(&["--format", "jsonl"]);
    let cache = run.dir.path().join("cache/folio/dups");
    let files: Vec<_> = fs::read_dir(&cache).unwrap().collect();
    assert_eq!(
        files.len(),
        1,
        "one cache file for the archive in {}",
        cache.display()
    );
    let second = run.dups(&["--format", "jsonl"]);
    assert_eq!(stdout(&first), stdout(&second));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let run = Run::new();
    let missing = run.dir.path().join("no such folder");
    let out = run.folio(&["dups", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("no such folder"), "{}", stderr(&out));
    let out = run.dups(&["--kind", "similar"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let out = run.dups(&["--format", "csv"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}
