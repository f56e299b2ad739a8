//! `folio search` run as the real binary on a copy of the app fixtures, its index in a
//! temporary cache folder: ranked hits with snippets, field filters, exclusions, both
//! formats, and a second run that reads only what changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/app/archive/_posts"
);

struct Run {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Run {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        crate::copy_dir(Path::new(FIXTURES), &dir.path().join("archive"));
        Self {
            dir,
            cache: tempfile::tempdir().unwrap(),
        }
    }

    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    fn search(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("search")
            .arg(self.archive())
            .args(args)
            .env("XDG_CACHE_HOME", self.cache.path())
            .env("HOME", self.cache.path())
            .output()
            .unwrap()
    }
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn finds_a_chinese_phrase_in_a_body_with_its_snippet() {
    let run = Run::new();
    let out = stdout(&run.search(&["无症状感染者"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "path\ttitle\tscore\tsnippet");
    assert_eq!(lines.len(), 2, "{out}");
    let cells: Vec<&str> = lines[1].split('\t').collect();
    assert!(
        cells[0].ends_with("0！北京连续3日无新增新冠肺炎确诊病例.md"),
        "{}",
        cells[0]
    );
    assert_eq!(cells[1], "0！北京连续3日无新增新冠肺炎确诊病例");
    assert!(cells[2].parse::<f32>().unwrap() > 0.0);
    assert!(cells[3].contains("无症状感染者"), "{}", cells[3]);
}

#[test]
fn field_filters_and_exclusions_narrow_the_hits_and_jsonl_marks_the_match() {
    let run = Run::new();
    let write = |rel: &str, title: &str, body: &str| {
        let path = run.archive().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            path,
            format!("---\ntitle: {title}\n---\n<div style=\"x\"><p>{body}</p></div>\n"),
        )
        .unwrap();
    };
    write("杂项/a.md", "甲", "今天市场的消息，市场很好");
    write("杂项/b.md", "乙", "另一个市场");
    write("新媒体/36kr/资讯/c.md", "丙", "市场广告");
    let all = stdout(&run.search(&["市场", "--format", "jsonl"]));
    let all: Vec<serde_json::Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(all.len(), 3, "{all:?}");
    let scores: Vec<f64> = all.iter().map(|v| v["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {scores:?}"
    );
    // Twice in a short text ranks first.
    assert_eq!(all[0]["title"], "甲");
    for hit in &all {
        let snippet = hit["snippet"].as_str().unwrap();
        let ranges = hit["highlights"].as_array().unwrap();
        assert!(!ranges.is_empty(), "{hit}");
        for range in ranges {
            let (from, to) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            assert_eq!(&snippet[from as usize..to as usize], "市场");
        }
    }
    let narrowed = stdout(&run.search(&["path:36kr 市场", "--format", "jsonl"]));
    assert_eq!(narrowed.lines().count(), 1, "{narrowed}");
    assert!(narrowed.contains("丙"));
    let excluded = stdout(&run.search(&["市场 -广告", "--format", "jsonl"]));
    assert_eq!(excluded.lines().count(), 2, "{excluded}");
    assert!(!excluded.contains("丙"));
    // Markup is not searched.
    let markup = stdout(&run.search(&["style"]));
    assert_eq!(markup.lines().count(), 1, "{markup}");
    let limited = stdout(&run.search(&["市场", "--limit", "1"]));
    assert_eq!(limited.lines().count(), 2);
}

#[test]
fn a_second_search_indexes_only_what_changed() {
    let run = Run::new();
    let first = run.search(&["央行"]);
    assert!(first.status.success());
    assert!(
        String::from_utf8_lossy(&first.stderr).contains("indexed"),
        "the first run builds the index"
    );
    let second = run.search(&["央行"]);
    assert!(second.status.success());
    assert_eq!(
        String::from_utf8_lossy(&second.stderr),
        "",
        "nothing to index"
    );
    let post = run.archive().join("新媒体/36kr/资讯/00后涌向中厂.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\n<p>一句新加的话</p>\n")).unwrap();
    let third = run.search(&["一句新加的话"]);
    let stderr = String::from_utf8_lossy(&third.stderr).into_owned();
    assert!(stderr.contains("1 posts indexed"), "{stderr}");
    assert_eq!(stdout(&third).lines().count(), 2);
}
