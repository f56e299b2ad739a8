//! A post's history, its bytes at a commit, and the diff to the current file.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use folio::git::{HistoryEntry, StatusProgress, unified_diff};

use crate::support::{Repo, post};

fn history(repo: &Repo, path: &str) -> Vec<HistoryEntry> {
    repo.archive("")
        .history(Path::new(path))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn summaries(entries: &[HistoryEntry]) -> Vec<&str> {
    entries.iter().map(HistoryEntry::summary).collect()
}

#[test]
fn lists_the_commits_that_changed_the_post_newest_first() {
    let repo = Repo::new();
    repo.write("a.md", &post("a1"));
    repo.write("b.md", &post("b1"));
    let first = repo.commit_all("Add a and b");
    repo.write("b.md", &post("b2"));
    repo.commit_all("Edit b only");
    repo.write("a.md", &post("a2"));
    let third = repo.commit_all("Edit a\n\nWith a body.");

    let entries = history(&repo, "a.md");
    assert_eq!(summaries(&entries), ["Edit a", "Add a and b"]);
    let newest = &entries[0];
    assert_eq!(newest.id.to_string(), third);
    assert_eq!(entries[1].id.to_string(), first);
    assert_eq!(newest.message, "Edit a\n\nWith a body.\n");
    assert_eq!(newest.author_name, "Folio Test");
    assert_eq!(newest.author_email, "test@folio.invalid");
    assert_eq!(
        newest.date().unwrap().to_rfc3339(),
        "2024-05-01T10:00:00+08:00"
    );
    assert!(newest.file_exists);
}

#[test]
fn a_deletion_is_part_of_the_history() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.write("other.md", &post("o"));
    repo.commit_all("Add");
    repo.remove("a.md");
    repo.commit_all("Remove a");
    repo.write("other.md", &post("o2"));
    repo.commit_all("Unrelated");
    let entries = history(&repo, "a.md");
    assert_eq!(summaries(&entries), ["Remove a", "Add"]);
    assert!(!entries[0].file_exists);
    assert!(entries[1].file_exists);
}

#[test]
fn a_merge_follows_the_side_the_post_came_from() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.write("b.md", &post("b"));
    repo.commit_all("Start");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("a.md", &post("a, side"));
    repo.commit_all("Edit a on side");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("b.md", &post("b, main"));
    repo.commit_all("Edit b on main");
    repo.git(&["merge", "-q", "--no-edit", "side"]);
    assert_eq!(
        summaries(&history(&repo, "a.md")),
        ["Edit a on side", "Start"]
    );
    assert_eq!(
        summaries(&history(&repo, "b.md")),
        ["Edit b on main", "Start"]
    );
}

#[test]
fn no_history_before_the_first_commit() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    assert!(history(&repo, "a.md").is_empty());
    assert_eq!(repo.archive("").head_file(Path::new("a.md")).unwrap(), None);
}

#[test]
fn a_cancelled_history_stops() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("Add");
    let cancel = Arc::new(AtomicBool::new(true));
    let mut walk = repo
        .archive("")
        .history(Path::new("a.md"))
        .unwrap()
        .with_cancel(cancel);
    assert!(walk.next().is_none());
}

#[test]
fn an_old_version_restores_byte_for_byte_and_diffs_against_the_current_file() {
    let repo = Repo::new();
    repo.write("posts/a.md", &post("原来的标题"));
    repo.commit_all("Add");
    repo.write("posts/a.md", &post("新的标题"));
    repo.commit_all("Retitle");
    repo.write("posts/a.md", &post("还没保存的标题"));

    let archive = repo.archive("posts");
    let entries: Vec<HistoryEntry> = archive
        .history(Path::new("a.md"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let oldest = entries.last().unwrap();
    let old = archive
        .file_at(oldest.id, Path::new("a.md"))
        .unwrap()
        .unwrap();
    assert_eq!(old, post("原来的标题").into_bytes());
    assert_eq!(archive.file_at(oldest.id, Path::new("b.md")).unwrap(), None);

    let diff = unified_diff(&old, &repo.read("posts/a.md"), "a/a.md", "b/a.md");
    assert!(diff.starts_with("--- a/a.md\n+++ b/a.md\n"), "{diff}");
    assert!(
        diff.contains("-title: 原来的标题\n+title: 还没保存的标题\n"),
        "{diff}"
    );

    // Writing HEAD's bytes back makes the post unchanged again.
    let head = archive.head_file(Path::new("a.md")).unwrap().unwrap();
    std::fs::write(repo.root().join("posts/a.md"), head).unwrap();
    assert!(
        archive
            .status(&StatusProgress::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn checked_out_bytes_follow_the_line_ending_settings() {
    let repo = Repo::new();
    repo.write("a.md", "---\ntitle: a\n---\nbody\n");
    repo.commit_all("LF in the repository");
    repo.git(&["config", "core.autocrlf", "true"]);
    let bytes = repo
        .archive("")
        .head_file(Path::new("a.md"))
        .unwrap()
        .unwrap();
    assert_eq!(bytes, b"---\r\ntitle: a\r\n---\r\nbody\r\n");
}
