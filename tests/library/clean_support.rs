//! Shared helpers for the `clean` integration tests: load a fixture post, split its
//! front matter (a tiny stand-in for the `archive` module's splitter), clean it.

#![allow(dead_code)]

use std::path::PathBuf;

use folio::clean::{Block, CleanContext, Document, OutputFormat, clean_body, render};

/// A fixture post: its body and the two front-matter values the cleaner cares about.
pub struct Post {
    pub name: &'static str,
    /// The front matter as the archive reads it.
    pub front: folio::archive::FrontMatter,
    pub title: Option<String>,
    pub headimg: Option<String>,
    pub thumbnail: Option<String>,
    pub body: String,
}

/// Where fixtures live; also pretend that is the post's folder in an archive.
pub const POST_DIR: &str = "source/_posts/测试/fixtures";

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean")
}

pub fn all_fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md") && n != "README.md")
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

pub fn load(name: &'static str) -> Post {
    load_owned(name.to_string(), name)
}

pub fn load_owned(file: String, name: &'static str) -> Post {
    let raw = std::fs::read_to_string(fixture_dir().join(&file))
        .unwrap_or_else(|e| panic!("fixture {file}: {e}"));
    let start = raw.trim_start_matches(['\n', '\r', ' ']);
    let after = start
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("fixture {file} has no front matter"));
    let end = after
        .find("\n---\n")
        .unwrap_or_else(|| panic!("fixture {file}: unterminated front matter"));
    let front = &after[..end];
    let body = after[end + 5..].to_string();
    let value = |key: &str| {
        front
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().trim_matches(['\'', '"']).to_string())
    };
    let front_matter =
        folio::archive::parse_bytes(file.clone().into(), None, raw.clone().into_bytes())
            .article
            .front;
    Post {
        name,
        front: front_matter,
        title: value("title:"),
        headimg: value("headimg:"),
        thumbnail: value("thumbnail:"),
        body,
    }
}

impl Post {
    pub fn ctx(&self) -> CleanContext<'_> {
        CleanContext {
            title: self.title.as_deref(),
            post_dir: POST_DIR,
        }
    }

    pub fn clean(&self) -> Document {
        clean_body(&self.body, &self.ctx())
    }

    pub fn text(&self) -> String {
        render(&self.clean(), OutputFormat::Text)
    }

    pub fn markdown(&self) -> String {
        render(&self.clean(), OutputFormat::Markdown)
    }
}

/// The image blocks at the top level: `(src, alt, caption)`.
pub fn images(blocks: &[Block]) -> Vec<(String, String, Option<String>)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Image { src, alt, caption } => {
                Some((src.to_string(), alt.clone(), caption.clone()))
            }
            _ => None,
        })
        .collect()
}
