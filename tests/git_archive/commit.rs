//! Committing a selection of posts, and the refusals.

use std::path::{Path, PathBuf};

use folio::git::{GitError, StatusProgress};

use crate::support::{Repo, changes, in_isolated_process, post};

fn paths(list: &[&str]) -> Vec<PathBuf> {
    list.iter().map(PathBuf::from).collect()
}

#[test]
fn commits_only_the_selected_posts_and_keeps_other_staged_changes() {
    let repo = Repo::new();
    for name in ["a", "b", "c"] {
        repo.write(&format!("{name}.md"), &post(name));
    }
    repo.write("config.txt", "x = 1\n");
    let before = repo.commit_all("first");
    repo.write("a.md", &post("a, edited"));
    repo.write("b.md", &post("b, edited"));
    repo.write("c.md", &post("c, staged"));
    repo.write("config.txt", "x = 2\n");
    repo.git(&["add", "c.md", "config.txt"]);

    let outcome = repo
        .archive("")
        .commit(&paths(&["a.md"]), "Edit a\n\nOnly this post.")
        .unwrap();
    assert_eq!(outcome.branch, "main");
    assert!(!outcome.first);
    assert_eq!(outcome.id, repo.head());
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]).trim(), before);
    assert_eq!(
        repo.git(&["show", "--format=", "--name-only", "HEAD"]),
        "a.md\n"
    );
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae>%n%B"]),
        "Folio Test <test@folio.invalid>\nEdit a\n\nOnly this post.\n\n"
    );
    // b is still modified in the work tree only; c and config.txt are still staged.
    assert_eq!(
        repo.porcelain(),
        [" M b.md", "M  c.md", "M  config.txt"],
        "git status after the commit"
    );
    assert_eq!(repo.git(&["show", "HEAD:a.md"]), post("a, edited"));
    repo.git(&["fsck", "--no-progress"]);
}

#[test]
fn commits_new_deleted_and_renamed_posts_as_status_lists_them() {
    let repo = Repo::new();
    repo.write("gone.md", &post("gone"));
    repo.write("old.md", &post("old"));
    repo.write("keep.md", &post("keep"));
    repo.commit_all("first");
    repo.remove("gone.md");
    repo.rename("old.md", "dir/new.md");
    repo.write("fresh.md", &post("fresh"));
    repo.write("keep.md", &post("keep, edited"));

    let archive = repo.archive("");
    let status = archive.status(&StatusProgress::default()).unwrap();
    let selected: Vec<PathBuf> = status
        .changes
        .iter()
        .filter(|c| c.path != Path::new("keep.md"))
        .flat_map(|c| c.paths().map(PathBuf::from))
        .collect();
    archive
        .commit(&selected, "Move, add and remove posts")
        .unwrap();

    assert_eq!(repo.porcelain(), [" M keep.md"]);
    assert_eq!(
        repo.git(&["ls-tree", "-r", "--name-only", "HEAD"]),
        "dir/new.md\nfresh.md\nkeep.md\n"
    );
    assert_eq!(
        repo.git(&["diff", "--name-status", "-M", "HEAD~1", "HEAD"]),
        "R100\told.md\tdir/new.md\nA\tfresh.md\nD\tgone.md\n"
    );
    assert_eq!(
        changes(&archive),
        [("keep.md".into(), folio::git::ChangeState::Modified, None)]
    );
}

#[test]
fn an_archive_in_a_subfolder_commits_by_its_own_paths() {
    let repo = Repo::new();
    repo.write("site/source/_posts/a.md", &post("a"));
    repo.commit_all("first");
    repo.write("site/source/_posts/a.md", &post("a, edited"));
    repo.archive("site/source/_posts")
        .commit(&paths(&["a.md"]), "Edit")
        .unwrap();
    assert_eq!(repo.porcelain(), Vec::<String>::new());
}

#[test]
fn the_first_commit_of_an_empty_repository() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.write("b.md", &post("b"));
    let outcome = repo.archive("").commit(&paths(&["a.md"]), "Start").unwrap();
    assert!(outcome.first);
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(repo.git(&["ls-tree", "--name-only", "HEAD"]), "a.md\n");
    assert_eq!(repo.porcelain(), ["?? b.md"]);
}

#[test]
fn a_commit_of_nothing_new_is_refused_and_changes_nothing() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    let head = repo.commit_all("first");
    let archive = repo.archive("");
    let error = archive.commit(&paths(&["a.md"]), "Nothing").unwrap_err();
    assert!(matches!(error, GitError::NothingToCommit { .. }), "{error}");
    let error = archive.commit(&[], "Nothing").unwrap_err();
    assert!(matches!(error, GitError::NothingToCommit { .. }), "{error}");
    assert_eq!(repo.head(), head);
    assert!(!repo.root().join(".git/index.lock").exists());
}

#[test]
fn refusals_name_their_reason_and_the_repository() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    repo.write("a.md", &post("a, edited"));
    let archive = repo.archive("");
    let root = repo.root().display().to_string();

    let error = archive.commit(&paths(&["a.md"]), "  \n").unwrap_err();
    assert!(matches!(error, GitError::EmptyMessage { .. }), "{error}");

    let error = archive.commit(&paths(&["../outside.md"]), "x").unwrap_err();
    assert!(matches!(error, GitError::NotAPost { .. }), "{error}");
    let error = archive.commit(&paths(&["notes.txt"]), "x").unwrap_err();
    assert!(matches!(error, GitError::NotAPost { .. }), "{error}");

    std::fs::write(repo.root().join(".git/index.lock"), b"").unwrap();
    let error = archive.commit(&paths(&["a.md"]), "x").unwrap_err();
    assert!(matches!(error, GitError::IndexLocked { .. }), "{error}");
    assert!(error.to_string().ends_with(&root), "{error}");
    assert!(
        repo.root().join(".git/index.lock").exists(),
        "another's lock stays"
    );
    std::fs::remove_file(repo.root().join(".git/index.lock")).unwrap();

    repo.git(&["checkout", "-q", "--detach"]);
    let error = archive.commit(&paths(&["a.md"]), "x").unwrap_err();
    assert!(matches!(error, GitError::DetachedHead { .. }), "{error}");
    assert!(error.to_string().contains("detached"), "{error}");
    assert!(error.to_string().ends_with(&root), "{error}");
}

#[test]
fn a_merge_in_progress_is_refused() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("a.md", &post("a, side"));
    repo.commit_all("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.md", &post("a, main"));
    repo.commit_all("main");
    let merge = repo.git_output(&["merge", "-q", "side"]);
    assert!(!merge.status.success(), "the merge conflicts");
    let error = repo.archive("").commit(&paths(&["a.md"]), "x").unwrap_err();
    assert!(
        matches!(
            error,
            GitError::OperationInProgress {
                operation: "merge",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.is_refusal());
}

#[test]
fn no_configured_author_is_refused() {
    if !in_isolated_process("commit::no_configured_author_is_refused") {
        return;
    }
    let repo = Repo::without_author();
    repo.write("a.md", &post("a"));
    let error = repo.archive("").commit(&paths(&["a.md"]), "x").unwrap_err();
    assert!(matches!(error, GitError::NoAuthor { .. }), "{error}");
    assert!(error.to_string().contains("user.name"), "{error}");
    assert!(repo.git_output(&["rev-parse", "HEAD"]).status.code() != Some(0));
    assert!(!repo.root().join(".git/index.lock").exists());
}

#[test]
fn the_committed_content_follows_the_line_ending_settings() {
    let repo = Repo::new();
    repo.git(&["config", "core.autocrlf", "true"]);
    repo.write("a.md", "---\r\ntitle: a\r\n---\r\nbody\r\n");
    repo.archive("")
        .commit(&paths(&["a.md"]), "CRLF post")
        .unwrap();
    assert_eq!(
        repo.git(&["cat-file", "blob", "HEAD:a.md"]),
        "---\ntitle: a\n---\nbody\n"
    );
    assert_eq!(repo.porcelain(), Vec::<String>::new());
}
