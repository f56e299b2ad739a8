//! Repositories made by the tests: a temporary folder, the `git` binary to set it up
//! (Folio itself never runs it), and helpers to read what Folio reports.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use folio::git::{ChangeState, GitArchive, StatusProgress};

/// Environment that keeps the machine's git configuration out of a test: no global or
/// system config, no identity from the environment.
pub fn isolate(command: &mut Command, home: &Path) {
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_AUTHOR_DATE")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env_remove("GIT_COMMITTER_DATE")
        .env_remove("EMAIL");
}

/// A scratch git work tree.
pub struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    /// `git init` with branch `main` and an author in the repository's own config.
    pub fn new() -> Self {
        let repo = Self::without_author();
        repo.git(&["config", "user.name", "Folio Test"]);
        repo.git(&["config", "user.email", "test@folio.invalid"]);
        repo
    }

    /// `git init` with branch `main` and no author anywhere in its config.
    pub fn without_author() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("work")).unwrap();
        let repo = Self { dir };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    /// The work tree.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// An empty home folder, for isolated processes.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Runs `git` in the work tree; panics with its output when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `git` in the work tree and returns its output whatever its status.
    pub fn git_output(&self, args: &[&str]) -> Output {
        let mut command = Command::new("git");
        command.args(args).current_dir(self.root());
        isolate(&mut command, &self.home());
        command
            .env("GIT_AUTHOR_DATE", "2024-05-01T10:00:00+08:00")
            .env("GIT_COMMITTER_DATE", "2024-05-01T10:00:00+08:00");
        command.output().unwrap()
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, path: &str) -> Vec<u8> {
        std::fs::read(self.root().join(path)).unwrap()
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.root().join(path)).unwrap();
    }

    pub fn rename(&self, from: &str, to: &str) {
        let to = self.root().join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(self.root().join(from), to).unwrap();
    }

    /// `git add -A` and `git commit`; returns the new commit's id.
    pub fn commit_all(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.head()
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    /// `git status --porcelain` lines, sorted.
    pub fn porcelain(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .git(&["status", "--porcelain", "--untracked-files=all"])
            .lines()
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    }

    /// The archive at `folder` (relative to the work tree; `""` for the work tree).
    pub fn archive(&self, folder: &str) -> GitArchive {
        GitArchive::discover(&self.root().join(folder))
            .unwrap()
            .expect("a git work tree")
    }
}

/// A post with front matter and a body long enough for rename detection.
pub fn post(title: &str) -> String {
    let body: String = (0..20)
        .map(|i| format!("<p>{title} 第{i}段：这是正文，足够长，重命名时能认出来。</p>\n"))
        .collect();
    format!("---\ntitle: {title}\ndate: Thu, 17 Jun 2021 08:02:32 GMT\n---\n{body}")
}

/// The archive's changes as `(path, state, renamed from)` strings, in path order.
pub fn changes(archive: &GitArchive) -> Vec<(String, ChangeState, Option<String>)> {
    archive
        .status(&StatusProgress::default())
        .unwrap()
        .changes
        .into_iter()
        .map(|c| {
            (
                folio::archive::slash_path(&c.path),
                c.state,
                c.renamed_from.map(|p| folio::archive::slash_path(&p)),
            )
        })
        .collect()
}

/// Runs the test `name` (its path in this test binary) alone in a child process whose
/// environment has no git configuration or identity besides the repository's own.
/// Returns true inside that child, where the test body should run, and false in the
/// parent once the child has passed.
pub fn in_isolated_process(name: &str) -> bool {
    if std::env::var_os("FOLIO_GIT_TEST_ISOLATED").is_some() {
        return true;
    }
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([name, "--exact", "--test-threads=1"])
        .env("FOLIO_GIT_TEST_ISOLATED", "1");
    isolate(&mut command, home.path());
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "isolated run of {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    false
}
