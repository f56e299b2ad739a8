//! Inputs the fuzzing campaign (`examples/fuzz.rs`) found, kept under
//! `tests/fixtures/fuzz/` and replayed through the same invariants: no panic, lossless
//! decoding, an empty edit list changes nothing, cleaning and rendering finish. Inputs
//! whose bug is not fixed yet sit in `known/` and have an ignored test of their own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::path::{Path, PathBuf};

use folio::archive::{self, Post, ProblemKind};
use folio::clean::{self, OutputFormat};
use folio::fields::Fields;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz")
}

fn load(path: &Path) -> (Vec<u8>, Post) {
    let bytes = std::fs::read(path).unwrap();
    let post = archive::parse_bytes(PathBuf::from("fuzz/post.md"), None, bytes.clone());
    (bytes, post)
}

/// What the fuzzer checks of every input; returns the first broken invariant.
fn broken_invariant(bytes: &[u8], post: &Post) -> Option<String> {
    let article = &post.article;
    let damaged = article.problems.iter().any(|p| p.kind.blocks_saving());
    if !damaged
        && let Ok(again) = archive::encode(&post.text, article.encoding)
        && again != bytes
    {
        return Some("decoded text does not encode back to its bytes".to_owned());
    }
    if Fields::of_post(post).is_ok() {
        match archive::apply_edits(post, &[]) {
            Ok(text) if text == post.text => {}
            Ok(_) => return Some("an empty edit list changed the text".to_owned()),
            Err(e) => return Some(format!("editable, but an empty edit list fails: {e}")),
        }
    }
    let document = clean::clean_post(post);
    for format in [
        OutputFormat::Text,
        OutputFormat::Markdown,
        OutputFormat::Json,
    ] {
        let _ = clean::render(&document, format);
    }
    None
}

#[test]
fn fuzz_fixtures_keep_every_invariant() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let (bytes, post) = load(&path);
        assert_eq!(broken_invariant(&bytes, &post), None, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} fixtures");
}

#[test]
fn front_matter_of_4270_keys_took_seconds_through_the_editing_model() {
    let (_, post) = load(&fixtures().join("keys-4270.md"));
    let problem = post.article.edit_blocker().unwrap();
    assert_eq!(problem.kind, ProblemKind::TooComplex);
    assert!(Fields::of_post(&post).is_err());
}

#[test]
fn deep_nesting_keeps_its_text_when_cleaned() {
    for name in [
        "span-100000.md",
        "table-10000.md",
        "quote-100000.md",
        // A stray `'` once hid the 77,000 `<div>`s after it from the nesting cap.
        "div-run-after-a-stray-quote.md",
    ] {
        let (_, post) = load(&fixtures().join(name));
        let text = clean::render(&clean::clean_post(&post), OutputFormat::Text);
        let expected = if name.starts_with("div-run") {
            "149"
        } else {
            "深处的字"
        };
        assert!(text.contains(expected), "{name}: {text:?}");
    }
}

#[test]
fn crlf_toml_front_matter_lost_its_last_crlf_on_an_empty_edit() {
    let (bytes, post) = load(&fixtures().join("known/toml-crlf-last-line.md"));
    assert_eq!(broken_invariant(&bytes, &post), None);
}

#[test]
fn crlf_toml_front_matter_keeps_its_crlf_through_a_real_edit() {
    let (bytes, post) = load(&fixtures().join("known/toml-crlf-last-line.md"));
    let edits = [folio::archive::Edit::SetScalar {
        key: "title".into(),
        value: folio::archive::ScalarValue::Str("新".into()),
    }];
    let out = folio::archive::apply_edits(&post, &edits).unwrap();
    let before = String::from_utf8(bytes).unwrap();
    assert_eq!(out, before.replace("\"t\"", "\"新\""));
}
