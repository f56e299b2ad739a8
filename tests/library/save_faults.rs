//! Saving: byte-exact writes, conflicts, read-only and vanished files, and an
//! interrupted save that must leave the original intact.

// Test helpers panic on purpose: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use folio::archive::{
    Edit, Post, SaveError, SaveHooks, SaveMode, ScalarValue, apply_edits, load_post, save_post,
    save_post_with_hooks,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit")
}

/// A temp archive holding a copy of one fixture, and the loaded post.
fn copy(name: &str) -> (tempfile::TempDir, Post) {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixtures().join(name), dir.path().join(name)).unwrap();
    let post = load_post(dir.path(), Path::new(name), 1 << 20);
    (dir, post)
}

fn title(value: &str) -> Edit {
    Edit::SetScalar {
        key: "title".into(),
        value: ScalarValue::Str(value.into()),
    }
}

fn dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn saving_without_edits_writes_nothing_for_every_fixture() {
    for entry in fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let (dir, post) = copy(&name);
        let path = dir.path().join(&name);
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        let text = apply_edits(&post, &[]).unwrap();
        let saved = save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap();
        assert_eq!(fs::read(&path).unwrap(), post.bytes, "{name}");
        assert_eq!(saved.bytes, post.bytes, "{name}");
        assert_eq!(
            fs::metadata(&path).unwrap().modified().unwrap(),
            before,
            "{name}"
        );
    }
}

#[test]
fn save_writes_the_new_bytes_keeps_permissions_and_leaves_no_temp_file() {
    let (dir, _) = copy("newest-3cat.md");
    let path = dir.path().join("newest-3cat.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let post = load_post(dir.path(), Path::new("newest-3cat.md"), 1 << 20);
    let text = apply_edits(&post, &[title("新标题")]).unwrap();
    let saved = save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    assert_eq!(saved.text, text);
    assert_eq!(saved.article.front.title.as_deref(), Some("新标题"));
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(dir_names(dir.path()), ["newest-3cat.md"]);
}

#[test]
fn gbk_stays_gbk_and_an_emoji_is_refused_by_name() {
    let (dir, post) = copy("gbk.md");
    let path = dir.path().join("gbk.md");
    let text = apply_edits(&post, &[title("公安部：新标题")]).unwrap();
    save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap();
    let (want, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert_eq!(fs::read(&path).unwrap(), want.as_ref());

    let post = load_post(dir.path(), Path::new("gbk.md"), 1 << 20);
    let before = fs::read(&path).unwrap();
    let text = apply_edits(&post, &[title("表情😀")]).unwrap();
    let err = save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap_err();
    assert!(
        matches!(err, SaveError::Unencodable { ch: '😀', .. }),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains("😀") && message.contains("GBK"),
        "{message}"
    );
    assert!(message.ends_with("gbk.md"), "{message}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn bom_and_crlf_survive_a_save() {
    for name in ["bom.md", "crlf.md"] {
        let (dir, post) = copy(name);
        let text = apply_edits(&post, &[title("新")]).unwrap();
        save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap();
        let bytes = fs::read(dir.path().join(name)).unwrap();
        assert_eq!(bytes.starts_with(b"\xEF\xBB\xBF"), name == "bom.md");
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        let lf = bytes.iter().filter(|b| **b == b'\n').count();
        assert_eq!(crlf == lf, name == "crlf.md", "{name}");
    }
}

#[test]
fn read_only_file_is_refused_and_untouched() {
    let (dir, post) = copy("newest-3cat.md");
    let path = dir.path().join("newest-3cat.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let text = apply_edits(&post, &[title("x")]).unwrap();
    let err = save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap_err();
    assert!(matches!(err, SaveError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().ends_with("newest-3cat.md"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), post.bytes);
    assert_eq!(dir_names(dir.path()), ["newest-3cat.md"]);
}

#[test]
fn file_changed_since_load_is_a_conflict_until_overwritten() {
    let (dir, post) = copy("newest-3cat.md");
    let path = dir.path().join("newest-3cat.md");
    let theirs = post.text.replace("36kr", "36氪");
    fs::write(&path, &theirs).unwrap();
    let text = apply_edits(&post, &[title("mine")]).unwrap();
    let err = save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }), "{err}");
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs);
    save_post(dir.path(), &post, &text, SaveMode::Overwrite).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn same_bytes_with_a_new_mtime_is_not_a_conflict() {
    let (dir, post) = copy("newest-3cat.md");
    let path = dir.path().join("newest-3cat.md");
    let file = fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH)
        .unwrap();
    let text = apply_edits(&post, &[title("touched")]).unwrap();
    save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn deleted_file_and_missing_folder_are_reported() {
    let (dir, post) = copy("newest-3cat.md");
    let path = dir.path().join("newest-3cat.md");
    fs::remove_file(&path).unwrap();
    let text = apply_edits(&post, &[title("x")]).unwrap();
    let err = save_post(dir.path(), &post, &text, SaveMode::IfUnchanged).unwrap_err();
    assert!(matches!(err, SaveError::Deleted { .. }), "{err}");
    assert!(!path.exists());
    save_post(dir.path(), &post, &text, SaveMode::Overwrite).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);

    let sub = dir.path().join("gone");
    let err = save_post(&sub, &post, &text, SaveMode::Overwrite).unwrap_err();
    assert!(matches!(err, SaveError::MissingFolder { .. }), "{err}");
    assert!(!sub.exists());
}

#[test]
fn interrupted_save_leaves_the_original_and_no_temp_file() {
    let (dir, post) = copy("newest-3cat.md");
    let path = dir.path().join("newest-3cat.md");
    let text = apply_edits(&post, &[title("never written")]).unwrap();
    let original = post.bytes.clone();
    let watched = path.clone();
    let expected_new = text.clone();
    let hooks = SaveHooks {
        before_rename: Some(Box::new(move |temp: &Path| {
            // At the last moment before the rename: the new bytes are complete in the
            // temp file beside the original, and the original is untouched.
            assert_eq!(temp.parent(), watched.parent());
            assert_eq!(fs::read_to_string(temp)?, expected_new);
            assert_eq!(fs::read(&watched)?, original);
            Err(io::Error::other("power cut"))
        })),
    };
    let err =
        save_post_with_hooks(dir.path(), &post, &text, SaveMode::IfUnchanged, &hooks).unwrap_err();
    assert!(matches!(err, SaveError::Io { .. }), "{err}");
    assert!(err.to_string().contains("power cut"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), post.bytes);
    assert_eq!(dir_names(dir.path()), ["newest-3cat.md"]);
}

#[test]
fn damaged_bytes_are_not_saved_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "---\ntitle: 新浪财经新浪财经新浪财经\n---\n正文"
        .as_bytes()
        .to_vec();
    bytes.push(0xE6);
    fs::write(dir.path().join("bad.md"), &bytes).unwrap();
    let post = load_post(dir.path(), Path::new("bad.md"), 1 << 20);
    let edited = post.text.replace("新浪财经新浪财经新浪财经", "x");
    let err = save_post(dir.path(), &post, &edited, SaveMode::IfUnchanged).unwrap_err();
    assert!(matches!(err, SaveError::NotSavable { .. }), "{err}");
    save_post(dir.path(), &post, &post.text.clone(), SaveMode::IfUnchanged).unwrap();
    assert_eq!(fs::read(dir.path().join("bad.md")).unwrap(), bytes);
}
