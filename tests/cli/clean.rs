//! `folio clean` run as the real binary on fixture posts.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/archive")
        .join(rel)
}

fn folio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .output()
        .expect("run folio")
}

const SINA: &str = "source/_posts/金融/新浪财经/新浪财经－国內/1-7月全国财政收入同比增20%.md";

#[test]
fn text_output_is_the_article_without_junk() {
    let path = fixture(SINA);
    let before = std::fs::read(&path).unwrap();
    let out = folio(&["clean", path.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("国有土地使用权出让收入41407亿元，同比增长18%"),
        "{text}"
    );
    for junk in ["<", "责任编辑", "&#", "新浪财经APP", "{"] {
        assert!(!text.contains(junk), "{junk:?} in\n{text}");
    }
    assert!(
        text.contains("\n\n"),
        "paragraphs are separated by blank lines"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );
}

#[test]
fn markdown_and_json_outputs() {
    let path = fixture("jekyll/_posts/2021-06-17-welcome.markdown");
    let out = folio(&["clean", path.to_str().unwrap(), "--format", "markdown"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "You’ll find this post in your `_posts` directory.\n\n## A heading\n\n- a list item with [a link](https://jekyllrb.com)\n"
    );
    let out = folio(&["clean", path.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["blocks"][1]["type"], "heading");
    assert_eq!(json["blocks"][1]["level"], 2);
}

#[test]
fn a_missing_or_binary_file_is_an_error_naming_it() {
    let out = folio(&["clean", "/no/such/post.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/post.md"));
    let binary = fixture("bad/binary.md");
    let out = folio(&["clean", binary.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary file"));
}
