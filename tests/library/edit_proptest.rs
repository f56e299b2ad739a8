//! Generated values full of YAML-hostile text: whatever is set reads back exactly, no
//! other key changes, and setting the old value back restores the original bytes.

// Test helpers panic on purpose: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use folio::archive::{Edit, Post, ScalarValue, apply_edits, load_post, parse_bytes, split};
use proptest::prelude::*;
use yaml_serde::Value as Yaml;

fn fixture(name: &str) -> Post {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit");
    load_post(&root, Path::new(name), 1 << 20)
}

fn pairs(text: &str) -> Vec<(Yaml, Yaml)> {
    let inner = &text[split(text).inner.unwrap()];
    match yaml_serde::from_str::<Yaml>(inner).unwrap() {
        Yaml::Mapping(m) => m.into_iter().collect(),
        other => panic!("{other:?}"),
    }
}

/// Pieces that break naive YAML writers, glued together at random.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(": ".to_owned()),
        Just("#".to_owned()),
        Just(" #".to_owned()),
        Just("'".to_owned()),
        Just("''".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just("- ".to_owned()),
        Just("-".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("~".to_owned()),
        Just("@".to_owned()),
        Just("`".to_owned()),
        Just("&a".to_owned()),
        Just("*a".to_owned()),
        Just("!tag".to_owned()),
        Just("[".to_owned()),
        Just("{".to_owned()),
        Just(",".to_owned()),
        Just("|".to_owned()),
        Just(">".to_owned()),
        Just("%".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\t".to_owned()),
        Just(" ".to_owned()),
        Just("---".to_owned()),
        Just("...".to_owned()),
        Just("1.5".to_owned()),
        Just("0x1F".to_owned()),
        Just("2021-12-20".to_owned()),
        Just("新浪财经".to_owned()),
        Just("😀".to_owned()),
        Just("\u{7}".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("\u{FEFF}".to_owned()),
        Just("&#123;".to_owned()),
        "[a-zA-Z0-9 ]{0,12}",
        "\\PC{0,6}",
    ];
    prop_oneof![
        4 => prop::collection::vec(piece, 0..8).prop_map(|v| v.concat()),
        1 => "[a-z 新]{200,600}",
    ]
}

fn check_set(name: &str, edit: Edit, key: &str, want: Yaml) -> Result<(), TestCaseError> {
    let post = fixture(name);
    let text = apply_edits(&post, std::slice::from_ref(&edit))
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    let edited = parse_bytes(PathBuf::from(name), None, text.clone().into_bytes());
    prop_assert!(
        !edited.article.has_errors(),
        "{:?}\n{}",
        edited.article.problems,
        text
    );
    let before = pairs(&post.text);
    let after = pairs(&text);
    let mut expected = before.clone();
    match expected.iter_mut().find(|(k, _)| k.as_str() == Some(key)) {
        Some(slot) => slot.1 = want,
        None => expected.push((Yaml::String(key.to_owned()), want)),
    }
    prop_assert_eq!(after, expected);
    prop_assert!(text.ends_with(post.body()), "the body changed");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_title_reads_back(value in hostile()) {
        for name in ["newest-3cat.md", "older-unquoted-empty-thumb.md", "double-quoted-title.md"] {
            let edit = Edit::SetScalar { key: "title".into(), value: ScalarValue::Str(value.clone()) };
            check_set(name, edit, "title", Yaml::String(value.clone()))?;
        }
    }

    #[test]
    fn any_new_key_and_list_items_read_back(value in hostile(), item in hostile()) {
        let edit = Edit::SetScalar { key: "summary".into(), value: ScalarValue::Str(value.clone()) };
        check_set("comments-blank-lines.md", edit, "summary", Yaml::String(value))?;
        let items = vec!["新媒体".to_owned(), item.clone()];
        let edit = Edit::SetList { key: "categories".into(), items: items.clone() };
        let want = Yaml::Sequence(items.into_iter().map(Yaml::String).collect());
        check_set("older-4space.md", edit, "categories", want)?;
        let edit = Edit::AddItem { key: "tags".into(), item: item.clone() };
        let want = Yaml::Sequence(["jekyll", "yaml", "front matter", item.as_str()]
            .into_iter().map(|s| Yaml::String(s.to_owned())).collect());
        check_set("comments-blank-lines.md", edit, "tags", want)?;
    }

    #[test]
    fn set_and_set_back_in_one_draft_is_byte_identical(value in hostile()) {
        let post = fixture("newest-3cat.md");
        let edits = [
            Edit::SetScalar { key: "author".into(), value: ScalarValue::Str(value) },
            Edit::SetScalar { key: "author".into(), value: ScalarValue::Str("36kr".into()) },
        ];
        prop_assert_eq!(apply_edits(&post, &edits).unwrap(), post.text);
    }
}
