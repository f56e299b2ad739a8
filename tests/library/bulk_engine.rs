//! The bulk engine over copies of the real edit fixtures: every operation, every
//! refusal reason, GBK, CRLF, TOML, alias keys and multi-line values; apply, undo,
//! redo, a file changed since the preview, and an interrupted apply finished or rolled
//! back. The history lives in a temporary folder.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::fs;
use std::path::{Path, PathBuf};

use folio::bulk::{self, DriveError, History, Operation, Plan, Preview, Progress, State, Toward};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/edit");

/// An archive of every edit fixture under `feed/`, a history folder, and the paths.
struct Archive {
    _dir: tempfile::TempDir,
    root: PathBuf,
    history: History,
}

impl Archive {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        fs::create_dir_all(root.join("feed")).unwrap();
        for entry in fs::read_dir(FIXTURES).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), root.join("feed").join(entry.file_name())).unwrap();
        }
        let history = History::open(&dir.path().join("history"), &root).unwrap();
        Self {
            _dir: dir,
            root,
            history,
        }
    }

    fn posts(&self) -> Vec<PathBuf> {
        let mut names: Vec<PathBuf> = fs::read_dir(self.root.join("feed"))
            .unwrap()
            .map(|e| PathBuf::from("feed").join(e.unwrap().file_name()))
            .collect();
        names.sort();
        names
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        fs::read(self.root.join(rel)).unwrap()
    }

    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in walk(&self.root) {
            out.push((
                entry.strip_prefix(&self.root).unwrap().to_owned(),
                fs::read(&entry).unwrap(),
            ));
        }
        out.sort();
        out
    }

    fn preview(&self, ops: Vec<Operation>) -> (Plan, Preview) {
        let plan = Plan::new(ops).unwrap();
        let preview = bulk::preview(&self.root, &self.posts(), &plan).unwrap();
        (plan, preview)
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn refused_reason<'a>(preview: &'a Preview, name: &str) -> Option<&'a str> {
    preview
        .refused
        .iter()
        .find(|(p, _)| p.ends_with(name))
        .map(|(_, r)| r.as_str())
}

#[test]
fn adding_a_tag_touches_only_the_tag_lines_and_undo_restores_every_byte() {
    let archive = Archive::new();
    let before = archive.snapshot();
    let (plan, preview) = archive.preview(vec![Operation::AddItem {
        key: "tags".into(),
        item: "整理".into(),
    }]);
    // Refusals with reasons: invalid bytes or syntax are not editable; GBK keeps GBK.
    for change in &preview.changes {
        let diff = change.unified_diff();
        assert!(diff.contains("整理"), "{diff}");
        let removed = diff
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"));
        for line in removed {
            assert!(line.contains("tags"), "only the tags line changes: {diff}");
        }
    }
    let report = bulk::apply(
        &archive.history,
        &plan,
        preview.changes.clone(),
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(report.done, preview.changes.len());
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    // CRLF stays CRLF, GBK stays GBK, TOML stays TOML.
    let crlf = String::from_utf8(archive.read("feed/crlf.md")).unwrap();
    assert!(
        crlf.contains("tags:") && !crlf.replace("\r\n", "").contains('\n'),
        "{crlf:?}"
    );
    let toml = String::from_utf8(archive.read("feed/hugo-toml.md")).unwrap();
    assert!(
        toml.contains("tags = [\"hugo\", \"静态网站\", \"整理\"]"),
        "{toml}"
    );
    let gbk = archive.read("feed/gbk.md");
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "GBK was rewritten as UTF-8"
    );

    let undo = bulk::undo(&archive.history, None, &Progress::default()).unwrap();
    assert_eq!(undo.done, preview.changes.len());
    assert_eq!(
        archive.snapshot(),
        before,
        "undo did not restore every byte"
    );

    let redo = bulk::redo(&archive.history, None, &Progress::default()).unwrap();
    assert_eq!(redo.done, preview.changes.len());
    assert!(
        String::from_utf8(archive.read("feed/crlf.md"))
            .unwrap()
            .contains("整理")
    );
    let ops = archive.history.operations().unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].state, State::Applied);
}

#[test]
fn refusals_name_their_reason_and_nothing_is_written_for_them() {
    let archive = Archive::new();
    fs::write(
        archive.root.join("feed/broken.md"),
        "---\ntitle: [broken\n---\nbody\n",
    )
    .unwrap();
    let readonly = archive.root.join("feed/newest-3cat.md");
    let mut perms = fs::metadata(&readonly).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&readonly, perms).unwrap();
    let (_, preview) = archive.preview(vec![Operation::Set {
        key: "title".into(),
        value: "表情😀".into(),
    }]);
    assert!(
        refused_reason(&preview, "gbk.md")
            .unwrap()
            .contains("cannot be written in GBK")
    );
    assert!(
        refused_reason(&preview, "broken.md")
            .unwrap()
            .contains("YAML")
    );
    assert!(
        refused_reason(&preview, "newest-3cat.md")
            .unwrap()
            .contains("read-only")
    );
    let (_, preview) = archive.preview(vec![Operation::Set {
        key: "categories".into(),
        value: "x".into(),
    }]);
    assert!(
        refused_reason(&preview, "nested-category.md")
            .unwrap()
            .contains("nested"),
        "{:?}",
        preview.refused
    );
}

#[test]
fn alias_keys_and_each_posts_date_format_are_kept() {
    let archive = Archive::new();
    let jekyll = "---\ntitle: j\ncategory: news\ntag: a\nlastmod: 2021-01-02 10:00:00\n---\n";
    fs::write(archive.root.join("feed/jekyll.md"), jekyll).unwrap();
    let (plan, preview) = archive.preview(vec![
        Operation::ReplaceItems {
            key: "categories".into(),
            from: vec!["news".into()],
            to: "新闻".into(),
        },
        Operation::AddItem {
            key: "tags".into(),
            item: "b".into(),
        },
        Operation::Set {
            key: "updated".into(),
            value: "2022-08-17 10:00:00".into(),
        },
    ]);
    bulk::apply(
        &archive.history,
        &plan,
        preview.changes,
        &Progress::default(),
    )
    .unwrap();
    let text = String::from_utf8(archive.read("feed/jekyll.md")).unwrap();
    assert!(text.contains("category: 新闻\n"), "{text}");
    assert!(
        text.contains("tag:\n") || text.contains("tag: [a, b]"),
        "{text}"
    );
    assert!(text.contains("lastmod: 2022-08-17 10:00:00\n"), "{text}");
    assert!(
        !text.contains("categories") && !text.contains("updated"),
        "{text}"
    );
}

#[test]
fn find_replace_counts_matches_and_changes_multi_line_values() {
    let archive = Archive::new();
    let (plan, preview) = archive.preview(vec![Operation::FindReplace {
        key: "title".into(),
        pattern: "666".into(),
        replacement: "六六六".into(),
        regex: false,
    }]);
    assert_eq!(preview.matches, 1);
    assert_eq!(preview.changes.len(), 1);
    bulk::apply(
        &archive.history,
        &plan,
        preview.changes,
        &Progress::default(),
    )
    .unwrap();
    let text = String::from_utf8(archive.read("feed/multiline-quoted-title.md")).unwrap();
    assert!(text.contains("六六六"), "{text}");
    let post = folio::archive::load_post(
        &archive.root,
        Path::new("feed/multiline-quoted-title.md"),
        1 << 20,
    );
    assert!(
        post.article.problems.is_empty(),
        "{:?}",
        post.article.problems
    );
}

#[test]
fn a_file_changed_after_the_preview_is_skipped_not_overwritten() {
    let archive = Archive::new();
    let (plan, preview) = archive.preview(vec![Operation::Unset {
        key: "thumbnail".into(),
    }]);
    let changed = archive.root.join("feed/newest-3cat.md");
    let outside = String::from_utf8(fs::read(&changed).unwrap())
        .unwrap()
        .replace("author: 36kr", "author: 别人");
    fs::write(&changed, &outside).unwrap();
    let report = bulk::apply(
        &archive.history,
        &plan,
        preview.changes.clone(),
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert!(report.skipped[0].1.contains("changed since"));
    assert_eq!(fs::read_to_string(&changed).unwrap(), outside);
    assert_eq!(report.done, preview.changes.len() - 1);
}

#[test]
fn moving_refuses_collisions_and_paths_outside_and_undoes() {
    let archive = Archive::new();
    let before = archive.snapshot();
    assert!(
        Plan::new(vec![Operation::Move {
            folder: "../out".into()
        }])
        .is_err()
    );
    assert!(
        Plan::new(vec![Operation::Move {
            folder: "/tmp".into()
        }])
        .is_err()
    );
    fs::create_dir_all(archive.root.join("old")).unwrap();
    fs::write(archive.root.join("old/crlf.md"), "taken").unwrap();
    let (plan, preview) = archive.preview(vec![Operation::Move {
        folder: "old".into(),
    }]);
    assert!(
        refused_reason(&preview, "crlf.md")
            .unwrap()
            .contains("already exists")
    );
    let moved = preview.changes.len();
    let report = bulk::apply(
        &archive.history,
        &plan,
        preview.changes,
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(report.done, moved);
    assert!(archive.root.join("old/gbk.md").exists());
    assert!(!archive.root.join("feed/gbk.md").exists());
    bulk::undo(&archive.history, None, &Progress::default()).unwrap();
    fs::remove_file(archive.root.join("old/crlf.md")).unwrap();
    fs::remove_dir(archive.root.join("old")).unwrap();
    assert_eq!(archive.snapshot(), before);
}

#[test]
fn trash_then_undo_brings_the_posts_back() {
    let archive = Archive::new();
    let before = archive.snapshot();
    let (plan, preview) = archive.preview(vec![Operation::Trash]);
    let report = bulk::apply(
        &archive.history,
        &plan,
        preview.changes.clone(),
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(report.done, preview.changes.len());
    assert!(!archive.root.join("feed/gbk.md").exists());
    bulk::undo(&archive.history, None, &Progress::default()).unwrap();
    assert_eq!(archive.snapshot(), before);
}

#[test]
fn an_interrupted_apply_blocks_new_operations_until_finished_or_rolled_back() {
    let archive = Archive::new();
    let before = archive.snapshot();
    let (plan, preview) = archive.preview(vec![Operation::Set {
        key: "title".into(),
        value: "新标题".into(),
    }]);
    let total = preview.changes.len();
    // A cancelled run leaves nothing half-done per file; a run stopped from outside is
    // simulated by marking the operation unfinished after applying a part.
    let progress = Progress::default();
    let report = bulk::apply(&archive.history, &plan, preview.changes.clone(), &progress).unwrap();
    assert_eq!(report.done, total);
    let id = report.id;
    // Pretend the process died before marking the operation finished.
    let state = archive.history.dir().join(format!("{id:06}/state.json"));
    fs::write(&state, r#"{"toward":"new","finished":false}"#).unwrap();
    assert_eq!(
        archive.history.state(id).unwrap(),
        State::Interrupted(Toward::New)
    );
    let (plan2, preview2) = archive.preview(vec![Operation::Unset {
        key: "author".into(),
    }]);
    match bulk::apply(
        &archive.history,
        &plan2,
        preview2.changes,
        &Progress::default(),
    ) {
        Err(DriveError::Interrupted { id: blocked, .. }) => assert_eq!(blocked, id),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Rolling back brings every file back; finishing again is a no-op per file.
    let back = bulk::undo(&archive.history, None, &Progress::default()).unwrap();
    assert_eq!(back.done, total);
    assert_eq!(archive.snapshot(), before);
    let again = bulk::redo(&archive.history, Some(id), &Progress::default()).unwrap();
    assert_eq!(again.done, total);
    let twice = bulk::redo(&archive.history, Some(id), &Progress::default()).unwrap();
    assert_eq!((twice.done, twice.already), (0, total));
}
