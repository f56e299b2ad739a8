//! Over every edit fixture and every key it has: a new value changes only that key's
//! lines and reads back as the new value; setting the old value back gives the original
//! bytes; an edit-free apply is byte-identical.

// Test helpers panic on purpose: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use chrono::DateTime;
use folio::archive::{
    Edit, FrontMatterKind, Post, ScalarValue, apply_edits, encode, format_like, load_post,
    parse_bytes, split,
};
use yaml_serde::Value as Yaml;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit")
}

fn fixture_names() -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| PathBuf::from(e.unwrap().file_name()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    assert!(names.len() >= 14, "{names:?}");
    names
}

fn load(name: &Path) -> Post {
    load_post(&fixtures(), name, 1 << 20)
}

/// The post re-read from the bytes `text` would be saved as.
fn reparse(post: &Post, text: &str) -> Post {
    let bytes = encode(text, post.article.encoding).unwrap();
    parse_bytes(post.article.path.clone(), None, bytes)
}

fn inner(post: &Post) -> &str {
    &post.text[split(&post.text).inner.unwrap()]
}

fn yaml_pairs(post: &Post) -> Vec<(String, Yaml)> {
    match yaml_serde::from_str::<Yaml>(inner(post)).unwrap() {
        Yaml::Mapping(m) => m
            .into_iter()
            .map(|(k, v)| (k.as_str().unwrap().to_owned(), v))
            .collect(),
        other => panic!("{other:?}"),
    }
}

/// Byte range of the key's lines in the text: the key line and the indented, `-` or
/// colon-free lines after it (an independent, simpler reading than the editor's).
fn key_region(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut start = None;
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let next = offset + line.len();
        match start {
            None if line.starts_with(&format!("{key}:"))
                || line.starts_with(&format!("{key} =")) =>
            {
                start = Some(offset);
                end = next;
            }
            Some(_)
                if (line.starts_with([' ', '\t', '-']) || !line.contains(':'))
                    && !line.trim().is_empty()
                    && line.trim_end() != "---" =>
            {
                end = next
            }
            Some(_) => break,
            None => {}
        }
        offset = next;
    }
    start.expect(key)..end
}

/// Asserts that `new` equals `old` outside the key's lines.
fn assert_only_key_changed(old: &str, new: &str, key: &str, name: &Path) {
    let region = key_region(old, key);
    assert!(
        new.starts_with(&old[..region.start]) && new.ends_with(&old[region.end..]),
        "{name:?}: editing `{key}` changed other lines:\n{}",
        similar::TextDiff::from_lines(old, new).unified_diff()
    );
}

/// A different value of the same kind, the edit setting it, and the edit back. With
/// `hostile`, new strings need quoting whatever the old ones had.
fn change_for(key: &str, value: &Yaml, hostile: bool) -> Option<(Edit, Yaml, Edit)> {
    let k = key.to_owned();
    Some(match value {
        Yaml::String(s) if matches!(key, "date" | "updated" | "lastmod") => {
            let instant = DateTime::parse_from_rfc3339("2023-01-02T03:04:05+08:00").unwrap();
            let raw = format_like(s, instant);
            (
                Edit::SetScalar {
                    key: k.clone(),
                    value: ScalarValue::Date(raw.clone()),
                },
                Yaml::String(raw),
                Edit::SetScalar {
                    key: k,
                    value: ScalarValue::Date(s.clone()),
                },
            )
        }
        Yaml::String(s) => {
            let new = if hostile {
                format!("{s} 改: 'x' #1")
            } else {
                format!("{s} 改")
            };
            (
                Edit::SetScalar {
                    key: k.clone(),
                    value: ScalarValue::Str(new.clone()),
                },
                Yaml::String(new),
                Edit::SetScalar {
                    key: k,
                    value: ScalarValue::Str(s.clone()),
                },
            )
        }
        Yaml::Bool(b) => (
            Edit::SetScalar {
                key: k.clone(),
                value: ScalarValue::Bool(!b),
            },
            Yaml::Bool(!b),
            Edit::SetScalar {
                key: k,
                value: ScalarValue::Bool(*b),
            },
        ),
        Yaml::Number(n) if n.is_i64() => {
            let i = n.as_i64().unwrap();
            (
                Edit::SetScalar {
                    key: k.clone(),
                    value: ScalarValue::Int(i + 1),
                },
                Yaml::Number((i + 1).into()),
                Edit::SetScalar {
                    key: k,
                    value: ScalarValue::Int(i),
                },
            )
        }
        Yaml::Number(n) => {
            let f = n.as_f64().unwrap();
            (
                Edit::SetScalar {
                    key: k.clone(),
                    value: ScalarValue::Float(f + 0.5),
                },
                Yaml::Number((f + 0.5).into()),
                Edit::SetScalar {
                    key: k,
                    value: ScalarValue::Float(f),
                },
            )
        }
        Yaml::Sequence(items) if items.iter().all(Yaml::is_string) => {
            let old: Vec<String> = items
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect();
            let mut new = old.clone();
            new.insert(
                1.min(new.len()),
                if hostile { "新项: #x" } else { "新项" }.to_owned(),
            );
            (
                Edit::SetList {
                    key: k.clone(),
                    items: new.clone(),
                },
                Yaml::Sequence(new.into_iter().map(Yaml::String).collect()),
                Edit::SetList { key: k, items: old },
            )
        }
        Yaml::Sequence(items) => {
            let mut new = items.clone();
            new.push(Yaml::String("新项".into()));
            (
                Edit::AddItem {
                    key: k.clone(),
                    item: "新项".into(),
                },
                Yaml::Sequence(new),
                Edit::RemoveItem {
                    key: k,
                    index: items.len(),
                },
            )
        }
        _ => return None,
    })
}

#[test]
fn apply_without_edits_is_byte_identical() {
    for name in fixture_names() {
        let post = load(&name);
        let text = apply_edits(&post, &[]).unwrap();
        assert_eq!(text, post.text, "{name:?}");
        assert_eq!(
            encode(&text, post.article.encoding).unwrap(),
            post.bytes,
            "{name:?}"
        );
    }
}

#[test]
fn every_yaml_key_changes_alone_and_changes_back_in_a_later_save() {
    assert!(key_round_trips(false) >= 70);
}

/// The editor's draft holds both edits; the saved text must be the original.
#[test]
fn every_yaml_key_changed_and_changed_back_in_one_draft_is_byte_identical() {
    let mut count = 0;
    for name in fixture_names() {
        let post = load(&name);
        if post.article.kind != FrontMatterKind::Yaml {
            continue;
        }
        for (key, value) in yaml_pairs(&post) {
            let Some((edit, _, back)) = change_for(&key, &value, true) else {
                continue;
            };
            let text = apply_edits(&post, &[edit, back]).unwrap();
            assert_eq!(text, post.text, "{name:?}: {key}");
            count += 1;
        }
    }
    eprintln!("{count} keys changed and changed back in one draft");
    assert!(count >= 70, "{count}");
}

#[test]
fn every_yaml_key_takes_hostile_text_alone_and_changes_back() {
    assert!(key_round_trips(true) >= 70);
}

fn key_round_trips(hostile: bool) -> usize {
    let mut round_trips = 0;
    let mut skipped = Vec::new();
    for name in fixture_names() {
        let post = load(&name);
        if post.article.kind != FrontMatterKind::Yaml {
            continue;
        }
        for (key, value) in yaml_pairs(&post) {
            let Some((edit, want, back)) = change_for(&key, &value, hostile) else {
                skipped.push(format!("{name:?}:{key}"));
                continue;
            };
            let new_text = apply_edits(&post, std::slice::from_ref(&edit))
                .unwrap_or_else(|e| panic!("{name:?} {edit:?}: {e}"));
            assert_ne!(new_text, post.text, "{name:?} {edit:?}");
            assert_only_key_changed(&post.text, &new_text, &key, &name);
            let edited = reparse(&post, &new_text);
            assert!(
                !edited.article.has_errors(),
                "{name:?}: {:?}",
                edited.article.problems
            );
            let got = yaml_pairs(&edited);
            let original = yaml_pairs(&post);
            assert_eq!(got.len(), original.len(), "{name:?}");
            for ((k1, v1), (k0, v0)) in got.iter().zip(&original) {
                assert_eq!(k1, k0, "{name:?}: key order");
                if *k1 == key {
                    assert_eq!(*v1, want, "{name:?}: {key}");
                } else {
                    assert_eq!(v1, v0, "{name:?}: {k1} changed when {key} was edited");
                }
            }
            let restored = apply_edits(&edited, std::slice::from_ref(&back))
                .unwrap_or_else(|e| panic!("{name:?} {back:?}: {e}"));
            // A later save can only keep the intermediate quoting when the intermediate
            // value needed quotes the original did not have.
            // A text value written over several lines (a block scalar, a folded quote)
            // comes back on one line in a later save: Folio writes one-line scalars.
            let multi_line_text = value.is_string()
                && post.text[key_region(&post.text, &key)]
                    .trim_end()
                    .contains('\n');
            if !hostile && !multi_line_text {
                assert_eq!(restored, post.text, "{name:?}: {key} back to its old value");
            } else {
                assert_eq!(yaml_pairs(&reparse(&edited, &restored)), yaml_pairs(&post));
                assert_only_key_changed(&post.text, &restored, &key, &name);
            }
            round_trips += 1;
        }
    }
    eprintln!(
        "{round_trips} key round trips (hostile: {hostile}); skipped (maps, nulls): {skipped:?}"
    );
    round_trips
}

#[test]
fn every_yaml_key_can_be_removed_alone() {
    for name in fixture_names() {
        let post = load(&name);
        if post.article.kind != FrontMatterKind::Yaml {
            continue;
        }
        for (key, _) in yaml_pairs(&post) {
            let edit = Edit::RemoveKey { key: key.clone() };
            let new_text = apply_edits(&post, &[edit]).unwrap();
            let region = key_region(&post.text, &key);
            let mut want = post.text.clone();
            want.replace_range(region, "");
            assert_eq!(new_text, want, "{name:?}: removing {key}");
        }
    }
}
