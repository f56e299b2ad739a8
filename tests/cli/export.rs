//! `folio export` run as the real binary on an archive of real fixture posts plus posts
//! whose titles hold commas, quotes, line breaks, markup and CJK: every format is read
//! back and compared with the posts.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/app/archive/_posts"
);

struct Run {
    dir: tempfile::TempDir,
}

impl Run {
    /// The app fixtures (4 real posts) and two posts with hostile titles.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        crate::copy_dir(Path::new(FIXTURES), &dir.path().join("archive"));
        let awkward = dir.path().join("archive/杂项");
        fs::create_dir_all(&awkward).unwrap();
        fs::write(
            awkward.join("quotes.md"),
            "---\ntitle: \"央行, \\\"降准\\\"\\n第二行\"\ncategories:\n - 金融\n - 央行\ntags: [货币, 政策]\nsource: https://example.com/a?b=1\ndate: 2021-06-17 08:02:32\n---\n<p>正文, 有\"引号\"。</p>\n",
        )
        .unwrap();
        fs::write(
            awkward.join("markup.md"),
            "---\ntitle: '<script>alert(1)</script> & 标题'\ncategories: [杂项]\n---\n<p>Text with <b>bold</b> and <a href=\"javascript:alert(2)\">a bad link</a>.</p>\n",
        )
        .unwrap();
        Self { dir }
    }

    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn export(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("export")
            .arg(self.archive())
            .args(args)
            .output()
            .unwrap()
    }
}

fn ok(output: &Output) {
    assert!(
        output.status.success(),
        "status {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn csv_has_a_bom_quotes_properly_and_reads_back_exactly() {
    let run = Run::new();
    let out = run.out("posts.csv");
    let output = run.export(&[
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
        "--columns",
        "path,title,categories,tags,source,date_utc",
    ]);
    ok(&output);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        format!("folio: exported 6 posts to {}", out.display())
    );
    let bytes = fs::read(&out).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "UTF-8 byte order mark"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.contains("\r\n"), "CRLF records");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        ["path", "title", "categories", "tags", "source", "date_utc"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 6);
    let quotes = rows.iter().find(|r| r[0] == "杂项/quotes.md").unwrap();
    assert_eq!(quotes[1], "央行, \"降准\"\n第二行");
    assert_eq!(quotes[2], "金融;央行");
    assert_eq!(quotes[3], "货币;政策");
    assert_eq!(quotes[4], "https://example.com/a?b=1");
    assert_eq!(quotes[5], "2021-06-17T08:02:32Z");
    // Rows are in path order, real posts included.
    let paths: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(
        paths.contains(&"金融/新浪财经/新浪财经－国內/0！北京连续3日无新增新冠肺炎确诊病例.md")
    );
}

#[test]
fn jsonl_keeps_lists_as_arrays_and_missing_keys_as_null_and_follows_the_query() {
    let run = Run::new();
    let out = run.out("posts.jsonl");
    let output = run.export(&[
        "--query",
        "cat:金融",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
        "--columns",
        "path,title,tags,source,size",
    ]);
    ok(&output);
    let lines: Vec<serde_json::Value> = fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "the two posts in 金融");
    let quotes = lines
        .iter()
        .find(|l| l["path"] == "杂项/quotes.md")
        .unwrap();
    assert_eq!(quotes["title"], "央行, \"降准\"\n第二行");
    assert_eq!(quotes["tags"], serde_json::json!(["货币", "政策"]));
    assert!(quotes["size"].as_u64().unwrap() > 100);
    let other = lines
        .iter()
        .find(|l| l["path"] != "杂项/quotes.md")
        .unwrap();
    assert_eq!(other["source"], serde_json::Value::Null);
    assert_eq!(other["tags"], serde_json::json!([]));
}

#[test]
fn html_pages_escape_titles_and_drop_script_links() {
    let run = Run::new();
    let folder = run.out("site/");
    let output = run.export(&["--format", "html", "--out", folder.to_str().unwrap()]);
    ok(&output);
    let page = fs::read_to_string(run.out("site/杂项/markup.html")).unwrap();
    assert!(page.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 标题</title>"));
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("javascript:"), "{page}");
    assert!(page.contains("<strong>bold</strong>"), "{page}");
    assert!(page.contains("a bad link"), "the link text stays: {page}");
    // Every post has its page, at its path in the archive.
    let real = run.out("site/新媒体/36kr/资讯/00后涌向中厂.html");
    assert!(fs::read_to_string(real).unwrap().contains("00后涌向中厂"));
}

#[test]
fn a_markdown_digest_lists_every_post_before_their_texts() {
    let run = Run::new();
    let out = run.out("digest.md");
    let output = run.export(&["--format", "markdown", "--out", out.to_str().unwrap()]);
    ok(&output);
    let digest = fs::read_to_string(&out).unwrap();
    assert!(digest.starts_with("# 6 posts\n\n1. "), "{digest}");
    let toc = digest.find("00后涌向中厂").unwrap();
    let section = digest.find("## 00后涌向中厂").unwrap();
    assert!(toc < section);
    assert!(
        digest.contains("## \\<script\\>alert(1)\\</script\\> & 标题"),
        "{digest}"
    );
    assert!(digest.contains("正文, 有\"引号\"。"), "{digest}");
}

#[test]
fn articles_are_never_written_inside_the_archive_and_nothing_is_left_behind() {
    let run = Run::new();
    let inside = run.archive().join("export/");
    let output = run.export(&["--format", "markdown", "--out", inside.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not written inside the archive") && stderr.contains("export"),
        "{stderr}"
    );
    assert!(!inside.exists());
    // A table into a folder is refused with the folder's name.
    let folder = run.out("tables");
    fs::create_dir_all(&folder).unwrap();
    let output = run.export(&["--format", "csv", "--out", folder.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("tables"));
    assert_eq!(fs::read_dir(&folder).unwrap().count(), 0);
}
