//! Status of posts against HEAD on repositories made by the tests.

use folio::git::ChangeState::{Deleted, Modified, New, Renamed};
use folio::git::{GitArchive, GitError, StatusProgress};

use crate::support::{Repo, changes, post};

fn some(path: &str) -> Option<String> {
    Some(path.to_owned())
}

#[test]
fn reports_new_modified_deleted_and_renamed_posts() {
    let repo = Repo::new();
    for name in ["a", "b", "c", "d", "same"] {
        repo.write(&format!("{name}.md"), &post(name));
    }
    repo.write("notes.txt", "not a post\n");
    repo.commit_all("first");

    repo.write("a.md", &post("a, edited"));
    repo.remove("b.md");
    repo.rename("c.md", "moved/c.md"); // moved on disk only
    repo.git(&["mv", "d.md", "e.md"]); // moved and staged
    repo.write("f.md", &post("f")); // untracked
    repo.write("g.markdown", &post("g"));
    repo.git(&["add", "g.markdown"]); // added
    repo.write("notes.txt", "still not a post\n");

    assert_eq!(
        changes(&repo.archive("")),
        [
            ("a.md".into(), Modified, None),
            ("b.md".into(), Deleted, None),
            ("e.md".into(), Renamed, some("d.md")),
            ("f.md".into(), New, None),
            ("g.markdown".into(), New, None),
            ("moved/c.md".into(), Renamed, some("c.md")),
        ]
    );
}

#[test]
fn a_renamed_and_edited_post_is_still_a_rename() {
    let repo = Repo::new();
    repo.write("old.md", &post("old"));
    repo.commit_all("first");
    let mut text = post("old");
    text.push_str("<p>one more paragraph</p>\n");
    repo.remove("old.md");
    repo.write("new/name.md", &text);
    assert_eq!(
        changes(&repo.archive("")),
        [("new/name.md".into(), Renamed, some("old.md"))]
    );
}

#[test]
fn a_post_moved_twice_is_one_rename() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    repo.git(&["mv", "a.md", "b.md"]);
    repo.rename("b.md", "c.md");
    assert_eq!(
        changes(&repo.archive("")),
        [("c.md".into(), Renamed, some("a.md"))]
    );
}

#[test]
fn the_index_and_the_work_tree_are_folded_into_one_answer() {
    let repo = Repo::new();
    repo.write("reverted.md", &post("r"));
    repo.write("twice.md", &post("t"));
    repo.write("unstaged-back.md", &post("u"));
    repo.commit_all("first");
    // Staged, then edited back to HEAD's content: no change against HEAD.
    repo.write("reverted.md", &post("r, edited"));
    repo.git(&["add", "reverted.md"]);
    repo.write("reverted.md", &post("r"));
    // Staged and edited again: one modification.
    repo.write("twice.md", &post("t, one"));
    repo.git(&["add", "twice.md"]);
    repo.write("twice.md", &post("t, two"));
    // Removed from the index but still on disk unchanged: no change against HEAD.
    repo.git(&["rm", "-q", "--cached", "unstaged-back.md"]);
    assert_eq!(
        changes(&repo.archive("")),
        [("twice.md".into(), Modified, None)]
    );
}

#[test]
fn a_touched_but_unchanged_post_is_not_modified() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    repo.write("a.md", &post("a"));
    assert_eq!(changes(&repo.archive("")), []);
}

#[test]
fn an_archive_in_a_subfolder_sees_only_its_own_posts_with_its_own_paths() {
    let repo = Repo::new();
    repo.write("blog/_config.yml", "title: blog\n");
    repo.write("blog/source/_posts/金融/a.md", &post("a"));
    repo.write("blog/themes/next/README.md", "# theme\n");
    repo.write("blog/scaffolds/post.md", "---\ntitle: {{ title }}\n---\n");
    repo.write("other/b.md", &post("b"));
    repo.commit_all("first");
    for path in [
        "blog/source/_posts/金融/a.md",
        "blog/themes/next/README.md",
        "blog/scaffolds/post.md",
        "other/b.md",
    ] {
        repo.write(path, "---\ntitle: changed\n---\n");
    }
    repo.write("blog/source/_posts/.drafts/c.md", &post("hidden folder"));
    repo.write("blog/source/_posts/a [1].md", &post("brackets"));
    assert_eq!(
        changes(&repo.archive("blog/source/_posts")),
        [
            ("a [1].md".into(), New, None),
            ("金融/a.md".into(), Modified, None),
        ]
    );
    // Opened at the site root, the theme and the scaffolds are not posts either.
    assert_eq!(
        changes(&repo.archive("blog")),
        [
            ("source/_posts/a [1].md".into(), New, None),
            ("source/_posts/金融/a.md".into(), Modified, None),
        ]
    );
}

#[test]
fn a_repository_without_commits_lists_every_post_as_new() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.write("sub/b.html", "<html><title>b</title></html>\n");
    repo.write("staged.md", &post("s"));
    repo.git(&["add", "staged.md"]);
    assert_eq!(
        changes(&repo.archive("")),
        [
            ("a.md".into(), New, None),
            ("staged.md".into(), New, None),
            ("sub/b.html".into(), New, None),
        ]
    );
}

#[test]
fn submodules_and_nested_repositories_are_ignored() {
    let inner = Repo::new();
    inner.write("inner.md", &post("inner"));
    inner.commit_all("inner first");

    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    let url = inner.root().display().to_string();
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "themes-sub",
    ]);
    repo.commit_all("add submodule");
    // Changes inside the submodule, and an untracked nested repository with posts.
    repo.write("themes-sub/inner.md", &post("inner, edited"));
    repo.write("themes-sub/new.md", &post("new inside"));
    repo.write("nested/post.md", &post("nested"));
    std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo.root().join("nested"))
        .output()
        .unwrap();
    repo.write("a.md", &post("a, edited"));
    assert_eq!(
        changes(&repo.archive("")),
        [("a.md".into(), Modified, None)]
    );
}

#[test]
fn progress_counts_the_tracked_files_and_cancel_stops_the_status() {
    let repo = Repo::new();
    for i in 0..30 {
        repo.write(&format!("p{i}.md"), &post(&i.to_string()));
    }
    repo.commit_all("first");
    let archive = repo.archive("");
    let progress = StatusProgress::default();
    archive.status(&progress).unwrap();
    assert_eq!(progress.total_files(), 30);
    assert_eq!(progress.checked_files(), 30);

    let cancelled = StatusProgress::default();
    cancelled.cancel();
    assert!(matches!(
        archive.status(&cancelled),
        Err(GitError::Cancelled)
    ));
}

#[test]
fn line_ending_conversion_is_not_a_change() {
    let repo = Repo::new();
    repo.git(&["config", "core.autocrlf", "true"]);
    repo.write("a.md", "---\ntitle: a\n---\nbody\n");
    repo.commit_all("first");
    repo.write("a.md", "---\r\ntitle: a\r\n---\r\nbody\r\n");
    // `git add` would store the same blob, so the post does not differ from HEAD (git's
    // porcelain status still flags it by its stat data, while `git diff` shows nothing).
    assert_eq!(repo.git(&["diff", "--stat"]), "");
    assert_eq!(changes(&repo.archive("")), []);
}

#[test]
fn untracked_posts_count_even_where_git_hides_them() {
    let repo = Repo::new();
    repo.git(&["config", "status.showUntrackedFiles", "no"]);
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    repo.write("feed/new-1.md", &post("1"));
    repo.write("feed/new-2.md", &post("2"));
    assert_eq!(
        changes(&repo.archive("")),
        [
            ("feed/new-1.md".into(), New, None),
            ("feed/new-2.md".into(), New, None),
        ]
    );
}

#[test]
fn outside_a_work_tree_there_is_no_repository() {
    let dir = tempfile::tempdir().unwrap();
    assert!(GitArchive::discover(dir.path()).unwrap().is_none());
}

#[test]
fn a_bare_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("site.git");
    let out = std::process::Command::new("git")
        .args(["init", "-q", "--bare"])
        .arg(&bare)
        .output()
        .unwrap();
    assert!(out.status.success());
    let error = GitArchive::discover(&bare).unwrap_err();
    assert!(matches!(error, GitError::Bare { .. }), "{error}");
    assert!(error.to_string().ends_with("site.git"), "{error}");
}

#[test]
fn a_broken_repository_is_an_error_not_a_panic() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    std::fs::write(repo.root().join(".git/index"), b"DIRC garbage").unwrap();
    let error = repo
        .archive("")
        .status(&StatusProgress::default())
        .unwrap_err();
    assert!(matches!(error, GitError::Read { .. }), "{error}");

    // HEAD pointing at a commit whose objects are gone.
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    let head = repo.commit_all("first");
    std::fs::remove_dir_all(repo.root().join(".git/objects").join(&head[..2])).unwrap();
    let error = repo
        .archive("")
        .status(&StatusProgress::default())
        .unwrap_err();
    assert!(matches!(error, GitError::Read { .. }), "{error}");
}

#[test]
fn changes_are_found_by_path() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    repo.write("a.md", &post("a2"));
    let found = repo.archive("").status(&StatusProgress::default()).unwrap();
    assert_eq!(found.get("a.md".as_ref()).unwrap().state, Modified);
    assert!(found.get("b.md".as_ref()).is_none());
}
