//! `folio changes` run as the real binary, with no `git` on its PATH.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{Repo, isolate, post};

/// Runs `folio` with an isolated git environment and a PATH without `git`, so that the
/// command can only work through the library.
fn folio(repo: &Repo, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
    command.args(args);
    isolate(&mut command, &repo.home());
    command.env("PATH", "/nonexistent").output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn changed_repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "blog/source/_posts/金融/a.md",
        &post("央行：5月末M2同比增长11%"),
    );
    repo.write("blog/source/_posts/b.md", &post("要删掉的文章"));
    repo.write("blog/source/_posts/c.md", &post("搬家的文章"));
    repo.write("blog/source/_posts/same.md", &post("没变"));
    repo.commit_all("first");
    repo.write(
        "blog/source/_posts/金融/a.md",
        &post("央行：5月末M2同比增长12%"),
    );
    repo.remove("blog/source/_posts/b.md");
    repo.rename("blog/source/_posts/c.md", "blog/source/_posts/moved/c.md");
    repo.write("blog/source/_posts/new\tone.md", &post("新文章"));
    repo
}

#[test]
fn tsv_lists_each_changed_post_with_its_state_and_title() {
    let repo = changed_repo();
    let folder = repo.root().join("blog/source/_posts");
    let out = folio(&repo, &["changes", folder.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        stdout(&out),
        "path\tstate\ttitle\tfrom\n\
         b.md\tdeleted\t要删掉的文章\t\n\
         moved/c.md\trenamed\t搬家的文章\tc.md\n\
         new one.md\tnew\t新文章\t\n\
         金融/a.md\tmodified\t央行：5月末M2同比增长12%\t\n"
    );
}

#[test]
fn jsonl_is_one_object_per_changed_post() {
    let repo = changed_repo();
    let folder = repo.root().join("blog/source/_posts");
    let out = folio(
        &repo,
        &["changes", folder.to_str().unwrap(), "--format", "jsonl"],
    );
    assert!(out.status.success(), "{out:?}");
    let records: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 4);
    assert_eq!(
        records[1],
        serde_json::json!({"path": "moved/c.md", "state": "renamed", "title": "搬家的文章", "from": "c.md"})
    );
    assert_eq!(
        records[2],
        serde_json::json!({"path": "new\tone.md", "state": "new", "title": "新文章", "from": null})
    );
}

#[test]
fn a_clean_work_tree_lists_nothing() {
    let repo = Repo::new();
    repo.write("a.md", &post("a"));
    repo.commit_all("first");
    let out = folio(&repo, &["changes", repo.root().to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), "path\tstate\ttitle\tfrom\n");
}

#[test]
fn outside_a_work_tree_exits_1_and_a_missing_folder_exits_2() {
    let repo = Repo::new();
    let plain = tempfile::tempdir().unwrap();
    let out = folio(&repo, &["changes", plain.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("folio: not inside a git work tree: "),
        "{stderr}"
    );
    assert!(stdout(&out).is_empty());

    let missing = Path::new("/nonexistent/archive");
    let out = folio(&repo, &["changes", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.trim_end().ends_with("/nonexistent/archive"),
        "{stderr}"
    );

    let out = folio(&repo, &["changes", "--format", "xml", "."]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn list_query_is_changed_runs_one_status() {
    let repo = changed_repo();
    let folder = repo.root().join("blog/source/_posts");
    let folder = folder.to_str().unwrap();
    let paths = |query: &str| -> Vec<String> {
        let query = format!("--query={query}");
        let out = folio(&repo, &["list", folder, &query]);
        assert!(out.status.success(), "{out:?}");
        stdout(&out)
            .lines()
            .skip(1)
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect()
    };
    // The deleted post has no file to list; the others are listed in path order.
    assert_eq!(
        paths("is:changed"),
        ["moved/c.md", "new one.md", "金融/a.md"]
    );
    assert_eq!(paths("is:new"), ["new one.md"]);
    assert_eq!(paths("is:renamed"), ["moved/c.md"]);
    assert_eq!(paths("-is:changed"), ["same.md"]);
}

#[test]
fn list_query_is_changed_outside_git_matches_nothing_and_says_why() {
    let repo = Repo::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), post("不在仓库里")).unwrap();
    let out = folio(
        &repo,
        &[
            "list",
            dir.path().to_str().unwrap(),
            "--query",
            "is:changed",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out).lines().count(), 1, "only the header");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not inside a git work tree"),
        "{out:?}"
    );
}
