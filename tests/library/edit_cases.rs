//! Edits on particular layouts: the exact bytes written, and the refusals.

// Test helpers panic on purpose: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use folio::archive::{Edit, EditError, Post, ScalarValue, apply_edits, load_post, parse_bytes};

fn fixture(name: &str) -> Post {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit");
    load_post(&root, Path::new(name), 1 << 20)
}

fn post_of(text: &str) -> Post {
    parse_bytes(PathBuf::from("t.md"), None, text.as_bytes().to_vec())
}

fn set_str(key: &str, value: &str) -> Edit {
    Edit::SetScalar {
        key: key.into(),
        value: ScalarValue::Str(value.into()),
    }
}

fn apply(post: &Post, edits: &[Edit]) -> String {
    apply_edits(post, edits).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn corpus_title_stays_single_quoted_with_quote_doubled() {
    let post = fixture("newest-3cat.md");
    let out = apply(&post, &[set_str("title", "It's 新的: 标题")]);
    assert_eq!(
        out,
        post.text
            .replace("title: '00后涌向中厂'", "title: 'It''s 新的: 标题'")
    );
}

#[test]
fn double_quoted_title_stays_double_quoted() {
    let post = fixture("double-quoted-title.md");
    let out = apply(&post, &[set_str("title", "Say \"hi\"")]);
    let line = out.lines().find(|l| l.starts_with("title:")).unwrap();
    assert_eq!(line, r#"title: "Say \"hi\"""#);
}

#[test]
fn unquoted_title_stays_plain_when_yaml_allows() {
    let post = fixture("older-unquoted-empty-thumb.md");
    let out = apply(&post, &[set_str("title", "iOS 相机")]);
    assert!(out.contains("\ntitle: iOS 相机\n"), "{out}");
    let out = apply(&post, &[set_str("title", "yes")]);
    assert!(out.contains("\ntitle: 'yes'\n"), "{out}");
}

#[test]
fn four_space_list_keeps_its_indent_and_empty_thumbnail_its_quotes() {
    let post = fixture("older-4space.md");
    let out = apply(
        &post,
        &[
            Edit::AddItem {
                key: "categories".into(),
                item: "新番".into(),
            },
            set_str("thumbnail", ""),
        ],
    );
    let want = post
        .text
        .replace("    - 番剧\n", "    - 番剧\n    - 新番\n")
        .replace(
            "thumbnail: 'https://tx-free-imgs.acfun.cn/content/2018_09_30/1538318935.png'",
            "thumbnail: ''",
        );
    assert_eq!(out, want);
}

#[test]
fn removing_the_nested_item_deletes_exactly_its_line() {
    let post = fixture("nested-category.md");
    let out = apply(
        &post,
        &[Edit::RemoveItem {
            key: "categories".into(),
            index: 2,
        }],
    );
    assert_eq!(out, post.text.replace(" -  - news\n", ""));
}

#[test]
fn new_list_key_copies_the_archive_list_style_and_goes_last() {
    let post = fixture("newest-3cat.md");
    let out = apply(
        &post,
        &[Edit::SetList {
            key: "tags".into(),
            items: vec!["职场".into(), "00后".into()],
        }],
    );
    let want = post.text.replace(
        "random=6960'\n---\n",
        "random=6960'\ntags: \n - 职场\n - '00后'\n---\n",
    );
    // `00后` is plain-safe; the item style follows the first existing item (plain).
    let want_plain = want.replace(" - '00后'", " - 00后");
    assert_eq!(out, want_plain);
}

#[test]
fn crlf_stays_crlf_and_flow_list_stays_flow() {
    let post = fixture("crlf.md");
    let out = apply(
        &post,
        &[
            Edit::AddItem {
                key: "categories".into(),
                item: "效率".into(),
            },
            set_str("summary", "新键"),
        ],
    );
    assert_eq!(
        out,
        post.text
            .replace("['少数派']", "['少数派', '效率']")
            .replace("draft: false\r\n", "draft: false\r\nsummary: 新键\r\n")
    );
    assert!(!out.replace("\r\n", "").contains('\n'));
}

#[test]
fn trailing_comment_and_spacing_survive() {
    let post = fixture("comments-blank-lines.md");
    let out = apply(&post, &[set_str("layout", "page")]);
    assert_eq!(
        out,
        post.text.replace(
            "layout: post   # the default layout",
            "layout: page   # the default layout"
        )
    );
}

#[test]
fn typed_scalars() {
    let post = fixture("comments-blank-lines.md");
    let out = apply(
        &post,
        &[
            Edit::SetScalar {
                key: "weight".into(),
                value: ScalarValue::Int(-7),
            },
            Edit::SetScalar {
                key: "rating".into(),
                value: ScalarValue::Float(1.0),
            },
            Edit::SetScalar {
                key: "draft".into(),
                value: ScalarValue::Bool(true),
            },
        ],
    );
    assert!(out.contains("\nweight: -7\nrating: 1.0\nlastmod: 2021-12-20\ndraft: true\n---\n"));
}

#[test]
fn date_keeps_plain_form() {
    let post = fixture("plain-datetime.md");
    let out = apply(
        &post,
        &[Edit::SetScalar {
            key: "date".into(),
            value: ScalarValue::Date("2022-01-02 03:04:05".into()),
        }],
    );
    assert_eq!(
        out,
        post.text
            .replace("date: 2021-03-29 08:20:21", "date: 2022-01-02 03:04:05")
    );
}

#[test]
fn no_front_matter_gets_a_block_and_the_body_is_untouched() {
    let post = fixture("no-front-matter.md");
    let out = apply(&post, &[set_str("title", "Just a heading")]);
    assert_eq!(
        out,
        format!("---\ntitle: 'Just a heading'\n---\n{}", post.text)
    );
    assert_eq!(
        apply(&post, &[Edit::RemoveKey { key: "x".into() }]),
        post.text
    );
}

#[test]
fn toml_edit_changes_one_line() {
    let post = fixture("hugo-toml.md");
    let out = apply(
        &post,
        &[
            set_str("title", "新标题"),
            Edit::RemoveKey {
                key: "weight".into(),
            },
        ],
    );
    assert_eq!(
        out,
        post.text
            .replace("title = \"Hugo 文章\"", "title = \"新标题\"")
            .replace("weight = 10\n", "")
    );
}

fn refusal(text: &str, edit: Edit) -> EditError {
    match apply_edits(&post_of(text), &[edit]) {
        Err(e) => e,
        Ok(out) => panic!("accepted: {out}"),
    }
}

#[test]
fn anchors_aliases_and_flow_mappings_are_refused() {
    let e = refusal("---\na: &x 1\nb: *x\n---\n", set_str("a", "2"));
    assert!(matches!(e, EditError::Unsupported { .. }), "{e}");
    assert!(e.to_string().ends_with(": t.md"), "{e}");
    let e = refusal("---\n{title: x}\n---\n", set_str("title", "y"));
    assert!(matches!(e, EditError::Unsupported { .. }), "{e}");
    let e = refusal("---\n? complex\n: x\n---\n", set_str("title", "y"));
    assert!(matches!(e, EditError::Unsupported { .. }), "{e}");
}

#[test]
fn bad_values_are_refused() {
    let text = "---\ntitle: x\ntags: [a]\n---\n";
    let e = refusal(
        text,
        Edit::RemoveItem {
            key: "tags".into(),
            index: 3,
        },
    );
    assert!(matches!(e, EditError::BadValue { .. }), "{e}");
    let e = refusal(
        text,
        Edit::AddItem {
            key: "title".into(),
            item: "b".into(),
        },
    );
    assert!(matches!(e, EditError::BadValue { .. }), "{e}");
    let e = refusal(
        text,
        Edit::SetScalar {
            key: "n".into(),
            value: ScalarValue::Float(f64::NAN),
        },
    );
    assert!(matches!(e, EditError::BadValue { .. }), "{e}");
}

#[test]
fn posts_that_cannot_round_trip_are_refused() {
    let mut bytes = "---\ntitle: 新浪财经新浪财经新浪财经\n---\n正文正文"
        .as_bytes()
        .to_vec();
    bytes.push(0xE6);
    let post = parse_bytes(PathBuf::from("bad.md"), None, bytes);
    let e = apply_edits(&post, &[set_str("title", "x")]).unwrap_err();
    assert!(matches!(e, EditError::NotEditable { .. }), "{e}");
    let e = apply_edits(&post_of("---\ntitle: [a\n---\n"), &[set_str("title", "x")]).unwrap_err();
    assert!(matches!(e, EditError::NotEditable { .. }), "{e}");
}

#[test]
fn every_toml_key_changes_alone_and_changes_back() {
    let post = fixture("hugo-toml.md");
    let changes = [
        (
            set_str("title", "新 \"标题\""),
            set_str("title", "Hugo 文章"),
        ),
        (
            Edit::SetScalar {
                key: "date".into(),
                value: ScalarValue::Date("2022-01-02T03:04:05+08:00".into()),
            },
            Edit::SetScalar {
                key: "date".into(),
                value: ScalarValue::Date("2021-06-17T08:02:32+08:00".into()),
            },
        ),
        (
            Edit::SetScalar {
                key: "draft".into(),
                value: ScalarValue::Bool(true),
            },
            Edit::SetScalar {
                key: "draft".into(),
                value: ScalarValue::Bool(false),
            },
        ),
        (
            Edit::AddItem {
                key: "tags".into(),
                item: "新".into(),
            },
            Edit::RemoveItem {
                key: "tags".into(),
                index: 2,
            },
        ),
        (
            Edit::SetScalar {
                key: "weight".into(),
                value: ScalarValue::Int(11),
            },
            Edit::SetScalar {
                key: "weight".into(),
                value: ScalarValue::Int(10),
            },
        ),
    ];
    for (edit, back) in changes {
        let key = edit.key().to_owned();
        let out = apply(&post, std::slice::from_ref(&edit));
        let changed: Vec<(&str, &str)> = post
            .text
            .lines()
            .zip(out.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(changed.len(), 1, "{key}: {changed:?}");
        assert!(changed[0].0.starts_with(&key), "{key}: {changed:?}");
        assert_eq!(post.text.lines().count(), out.lines().count());
        let edited = parse_bytes(post.article.path.clone(), None, out.into_bytes());
        assert_eq!(apply(&edited, &[back]), post.text, "{key}");
    }
}
