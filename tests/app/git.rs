//! The window's git features in the real app, driven through egui_kittest on a small
//! archive in a repository made by the test (with gix and Folio's own commit, so no
//! `git` binary is needed): a modified post gets its badge, its facet count and
//! `is:changed`; the Changes view commits a selection and the status follows; an older
//! version restored from a post's history is saved through the normal save.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::app_support;

use app_support::settle;

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::app::FolioApp;
use folio::git::{ChangeState, GitArchive, StatusProgress};

const FIRST: &str = "---\ntitle: 央行宣布降准\ndate: 2021-06-17 16:02:00\n---\n<p>第一版正文</p>\n";
const SECOND: &str = "---\ntitle: 北京新增病例\ndate: 2021-06-18 09:00:00\n---\n<p>另一篇</p>\n";
const THIRD: &str = "---\ntitle: 财政收入增长\ndate: 2021-08-19 23:56:09\n---\n<p>第三篇</p>\n";

struct Setup {
    _dir: tempfile::TempDir,
    /// The work tree (holding `source/_posts`).
    work: PathBuf,
    root: PathBuf,
}

/// A repository with `source/_posts` of three posts, all committed.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("site");
    let root = work.join("source/_posts");
    std::fs::create_dir_all(root.join("news")).unwrap();
    std::fs::write(root.join("news/first.md"), FIRST).unwrap();
    std::fs::write(root.join("news/second.md"), SECOND).unwrap();
    std::fs::write(root.join("news/third.md"), THIRD).unwrap();
    gix::init(&work).unwrap();
    let config = work.join(".git/config");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("[user]\n\tname = Folio Test\n\temail = test@folio.invalid\n");
    std::fs::write(&config, text).unwrap();
    commit_all(&root, "Add the first posts");
    Setup {
        _dir: dir,
        work,
        root,
    }
}

/// Commits every change of the archive through Folio's own commit.
fn commit_all(root: &Path, message: &str) {
    let repo = GitArchive::discover(root).unwrap().unwrap();
    let changes = repo.status(&StatusProgress::default()).unwrap();
    let paths: Vec<PathBuf> = changes
        .changes
        .iter()
        .flat_map(|c| c.paths().map(Path::to_path_buf))
        .collect();
    repo.commit(&paths, message).unwrap();
}

fn status(root: &Path) -> Vec<(String, ChangeState)> {
    let repo = GitArchive::discover(root).unwrap().unwrap();
    repo.status(&StatusProgress::default())
        .unwrap()
        .changes
        .into_iter()
        .map(|c| (folio::archive::slash_path(&c.path), c.state))
        .collect()
}

fn harness(root: &Path, size: egui::Vec2) -> Harness<'static, FolioApp> {
    let root = root.to_owned();
    let mut harness = Harness::builder().with_size(size).build_eframe(move |cc| {
        FolioApp::with_settings(&cc.egui_ctx, app_support::offline_settings(), Some(root))
    });
    settle(&mut harness);
    harness
}

/// Steps frames until `label` shows (the facets are recounted after a pause).
fn wait_for_label(harness: &mut Harness<'_, FolioApp>, label: &str) {
    for _ in 0..200 {
        if harness.query_by_label(label).is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    panic!("`{label}` never showed");
}

fn search(harness: &mut Harness<'_, FolioApp>, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .type_text(text);
    harness.run_steps(2);
    settle(harness);
}

fn visible_titles(harness: &Harness<'_, FolioApp>) -> usize {
    harness.state().state().visible().len()
}

fn open_changes(harness: &mut Harness<'_, FolioApp>) {
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::CheckBox, "Changes")
        .click();
    harness.run_steps(2);
    settle(harness);
}

#[test]
fn a_modified_post_gets_its_badge_facet_and_is_changed() {
    let s = setup();
    std::fs::write(
        s.root.join("news/first.md"),
        FIRST.replace("第一版正文", "第二版正文"),
    )
    .unwrap();
    std::fs::write(s.root.join("news/fourth.md"), THIRD.replace("财政", "新的")).unwrap();
    let mut harness = harness(&s.root, egui::vec2(1440.0, 900.0));
    let state = harness.state().state();
    assert!(state.git().has_repository());
    let changes = state.git().changes().unwrap();
    let listed: Vec<(String, ChangeState)> = changes
        .iter()
        .map(|c| (state.change_title(c), c.change.state))
        .collect();
    assert_eq!(
        listed,
        [
            ("央行宣布降准".to_owned(), ChangeState::Modified),
            ("新的收入增长".to_owned(), ChangeState::New)
        ]
    );
    let badges: Vec<Option<ChangeState>> = state
        .visible()
        .iter()
        .map(|&id| state.change_of(id))
        .collect();
    assert_eq!(
        badges.iter().filter(|b| b.is_some()).count(),
        2,
        "{badges:?}"
    );
    // The facet counts each state; a click narrows the list to it.
    wait_for_label(&mut harness, "New  (1)");
    harness.get_by_label("Modified  (1)").click();
    harness.run_steps(2);
    assert_eq!(visible_titles(&harness), 1);
    harness.get_by_label("Modified  (1)").click();
    harness.run_steps(2);
    assert_eq!(visible_titles(&harness), 4);
    search(&mut harness, "is:changed");
    assert_eq!(visible_titles(&harness), 2);
    search(&mut harness, "is:modified");
    assert_eq!(visible_titles(&harness), 1);
    search(&mut harness, "-is:changed");
    assert_eq!(visible_titles(&harness), 2);
    let errors: Vec<&str> = harness.state().state().errors().collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn an_archive_outside_git_shows_no_changes_and_no_error() {
    let dir = app_support::copy_fixtures();
    let root = dir.path().join("archive/_posts");
    let mut harness = harness(&root, egui::vec2(1024.0, 700.0));
    let state = harness.state().state();
    assert!(!state.git().has_repository());
    assert!(state.errors().next().is_none());
    assert!(harness.query_by_label("Changed").is_none());
    open_changes(&mut harness);
    harness.get_by_label("This archive is not in a git repository.");
}

#[test]
fn the_changes_view_commits_the_ticked_posts_and_the_status_follows() {
    let s = setup();
    std::fs::write(s.root.join("news/first.md"), FIRST.replace("降准", "降息")).unwrap();
    std::fs::write(
        s.root.join("news/second.md"),
        SECOND.replace("北京", "上海"),
    )
    .unwrap();
    let mut harness = harness(&s.root, egui::vec2(1440.0, 900.0));
    open_changes(&mut harness);
    harness.get_by_label("2 posts differ from the last commit");
    // The first post's diff shows its front matter change.
    // The list's row has the same name; the Changes view is drawn after it.
    harness
        .query_all_by_role_and_label(Role::Button, "央行宣布降息")
        .last()
        .unwrap()
        .click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("-title: 央行宣布降准");
    harness.get_by_label("+title: 央行宣布降息");
    // Tick only the first and commit it.
    harness
        .get_by_role_and_label(Role::CheckBox, "央行宣布降息")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Commit message")
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Commit message")
        .type_text("央行改为降息");
    harness.run_steps(2);
    harness.get_by_label("Commit 1 post").click();
    harness.run_steps(2);
    settle(&mut harness);
    let errors: Vec<&str> = harness.state().state().errors().collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(harness.state().state().git().commit_error(), None);
    assert_eq!(
        status(&s.root),
        [("news/second.md".to_owned(), ChangeState::Modified)]
    );
    harness.get_by_label("1 post differs from the last commit");
    let notice = harness.state().state().notice().unwrap().text.clone();
    assert!(notice.starts_with("Committed 1 post to "), "{notice}");
    let repo = GitArchive::discover(&s.root).unwrap().unwrap();
    let last = repo
        .history(Path::new("news/first.md"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(last.message.trim(), "央行改为降息");
    assert_eq!(last.author_name, "Folio Test");
    assert!(s.work.join(".git").is_dir());
}

#[test]
fn a_commit_without_an_author_is_refused_in_the_view() {
    // The machine's own git identity must not stand in for the missing one.
    if !in_isolated_process("git::a_commit_without_an_author_is_refused_in_the_view") {
        return;
    }
    let s = setup();
    let config = s.work.join(".git/config");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace(
        "[user]\n\tname = Folio Test\n\temail = test@folio.invalid\n",
        "",
    );
    std::fs::write(&config, text).unwrap();
    std::fs::write(s.root.join("news/third.md"), THIRD.replace("增长", "下降")).unwrap();
    let mut harness = harness(&s.root, egui::vec2(1024.0, 700.0));
    open_changes(&mut harness);
    harness.get_by_label("Tick all").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Commit message")
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Commit message")
        .type_text("无作者");
    harness.run_steps(2);
    harness.get_by_label("Commit 1 post").click();
    harness.run_steps(2);
    settle(&mut harness);
    let error = harness
        .state()
        .state()
        .git()
        .commit_error()
        .unwrap()
        .to_owned();
    assert!(error.starts_with("Not committed:"), "{error}");
    harness.get_by_label(&error);
    assert_eq!(
        status(&s.root),
        [("news/third.md".to_owned(), ChangeState::Modified)]
    );
}

/// Runs the test `name` (its path in this test binary) alone in a child process with no git configuration or identity
/// besides the repository's own; true inside that child, false in the parent once the
/// child passed.
fn in_isolated_process(name: &str) -> bool {
    if std::env::var_os("FOLIO_GIT_TEST_ISOLATED").is_some() {
        return true;
    }
    let home = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command
        .args([name, "--exact", "--test-threads=1"])
        .env("FOLIO_GIT_TEST_ISOLATED", "1")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.path().join(".gitconfig"));
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ] {
        command.env_remove(var);
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "isolated run of {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

#[test]
fn a_version_restored_from_history_is_saved_through_the_normal_save() {
    let s = setup();
    let file = s.root.join("news/first.md");
    std::fs::write(&file, FIRST.replace("第一版正文", "第二版正文")).unwrap();
    commit_all(&s.root, "第二版");
    let mut harness = harness(&s.root, egui::vec2(1440.0, 900.0));
    harness
        .get_by_role_and_label(Role::Button, "央行宣布降准")
        .click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("History").click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("2 commits changed this post");
    let first = {
        let history = harness.state().state().git().history().unwrap();
        assert_eq!(history.entries[0].summary(), "第二版");
        history.entries[1].id.to_string()
    };
    harness.get_by_label_contains("Add the first posts").click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("-<p>第一版正文</p>");
    harness.get_by_label("Restore this version").click();
    harness.run_steps(2);
    let state = harness.state().state();
    let open = state.open_post().unwrap();
    assert!(open.is_dirty());
    assert!(
        open.restored().unwrap().label.starts_with(&first[..7]),
        "{}",
        open.restored().unwrap().label
    );
    // Nothing is written until Save, which goes through the normal save.
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("第二版正文")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(1);
    settle(&mut harness);
    let errors: Vec<&str> = harness.state().state().errors().collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FIRST);
    let open = harness.state().state().open_post().unwrap();
    assert!(!open.is_dirty());
    assert!(open.draft().is_some());
    // The status follows the save: the post differs from the last commit again.
    assert_eq!(
        harness
            .state()
            .state()
            .git()
            .changes()
            .unwrap()
            .iter()
            .map(|c| c.change.state)
            .collect::<Vec<_>>(),
        [ChangeState::Modified]
    );
}

#[test]
fn a_restored_version_is_dropped_by_undo() {
    let s = setup();
    let file = s.root.join("news/first.md");
    std::fs::write(&file, FIRST.replace("第一版正文", "第二版正文")).unwrap();
    commit_all(&s.root, "第二版");
    let mut harness = harness(&s.root, egui::vec2(1024.0, 700.0));
    harness
        .get_by_role_and_label(Role::Button, "央行宣布降准")
        .click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("History").click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label_contains("Add the first posts").click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("Restore this version").click();
    harness.run_steps(2);
    assert!(harness.state().state().is_dirty());
    // The history window stands over the editor here: Ctrl+Z, like any edit.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert!(!harness.state().state().is_dirty());
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("第二版正文")
    );
}

#[test]
fn a_post_changed_by_another_program_shows_as_modified() {
    let s = setup();
    let root = s.root.clone();
    let settings = folio::app::settings::Settings {
        watch_disk: true,
        ..app_support::offline_settings()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| FolioApp::with_settings(&cc.egui_ctx, settings, Some(root)));
    settle(&mut harness);
    assert!(harness.query_by_label("Modified  (1)").is_none());
    std::fs::write(
        s.root.join("news/second.md"),
        SECOND.replace("另一篇", "别人改过"),
    )
    .unwrap();
    for _ in 0..1000 {
        if harness.query_by_label("Modified  (1)").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.get_by_label("Modified  (1)");
}
