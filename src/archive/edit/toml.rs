//! Edits of TOML (`+++`) front matter with `toml_edit`.
//!
//! `toml_edit::DocumentMut` keeps every byte it did not touch (comments, spacing, key
//! order, string styles), so a TOML edit only has to set, change or remove one item. A
//! replaced value keeps the old value's surrounding whitespace and trailing comment. A
//! date stays a TOML datetime when it was one (or is new and reads as one) and stays a
//! string when it was a string. The result is parsed again with `toml` and must equal the
//! old table with exactly the intended change.

use toml_edit::{Array, DocumentMut, Item, Value};

use super::{Edit, Refusal, ScalarValue};

pub(super) fn apply(source: &str, edits: &[Edit]) -> Result<String, Refusal> {
    let first_key = edits.first().map(Edit::key).unwrap_or_default().to_owned();
    let mut doc: DocumentMut = source.parse().map_err(|e| Refusal::Unsupported {
        key: first_key.clone(),
        reason: format!("the TOML does not parse: {e}"),
    })?;
    let mut expected: toml::Table = toml::from_str(source).map_err(|e| Refusal::Unsupported {
        key: first_key.clone(),
        reason: format!("the TOML does not parse: {e}"),
    })?;
    for edit in edits {
        apply_one(&mut doc, &mut expected, edit)?;
    }
    let out = keep_crlf(source, doc.to_string());
    let actual: toml::Table = toml::from_str(&out).map_err(|e| Refusal::Verify {
        key: first_key.clone(),
        detail: format!("the result is not valid TOML: {e}"),
    })?;
    if actual != expected {
        return Err(Refusal::Verify {
            key: first_key,
            detail: "another key would change".to_owned(),
        });
    }
    Ok(out)
}

/// `out` with the line ends of `source` when every line of `source` ends in CRLF:
/// `toml_edit` writes the block's last line end as LF, which would change a byte the
/// edit did not mean to.
fn keep_crlf(source: &str, out: String) -> String {
    let crlf = source.matches("\r\n").count();
    if crlf == 0 || crlf != source.matches('\n').count() {
        return out;
    }
    let mut fixed = String::with_capacity(out.len() + 8);
    let mut after_cr = false;
    for c in out.chars() {
        if c == '\n' && !after_cr {
            fixed.push('\r');
        }
        fixed.push(c);
        after_cr = c == '\r';
    }
    fixed
}

fn apply_one(
    doc: &mut DocumentMut,
    expected: &mut toml::Table,
    edit: &Edit,
) -> Result<(), Refusal> {
    let key = edit.key();
    let current = expected.get(key).cloned();
    let bad = |reason: &str| Refusal::BadValue {
        key: key.to_owned(),
        reason: reason.to_owned(),
    };
    match edit {
        Edit::SetScalar { value, .. } => {
            let (new_item, plain) = scalar(value, current.as_ref());
            if current.as_ref() == Some(&plain) {
                return Ok(());
            }
            set(doc, key, new_item);
            expected.insert(key.to_owned(), plain);
        }
        Edit::SetList { items, .. } => {
            let plain =
                toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect());
            if current.as_ref() == Some(&plain) {
                return Ok(());
            }
            let array: Array = items.iter().map(String::as_str).collect();
            set(doc, key, Value::Array(array));
            expected.insert(key.to_owned(), plain);
        }
        Edit::AddItem { item, .. } => match (doc.get_mut(key), current) {
            (Some(found), Some(toml::Value::Array(mut old))) => {
                let array = found
                    .as_array_mut()
                    .ok_or_else(|| bad("it is not a list"))?;
                array.push(item.as_str());
                old.push(toml::Value::String(item.clone()));
                expected.insert(key.to_owned(), toml::Value::Array(old));
            }
            (None, None) => {
                let array: Array = std::iter::once(item.as_str()).collect();
                set(doc, key, Value::Array(array));
                expected.insert(
                    key.to_owned(),
                    toml::Value::Array(vec![toml::Value::String(item.clone())]),
                );
            }
            _ => return Err(bad("it is not a list")),
        },
        Edit::RemoveItem { index, .. } => {
            let Some(toml::Value::Array(mut old)) = current else {
                return Err(bad("it is not a list"));
            };
            if *index >= old.len() {
                return Err(bad("there is no such item"));
            }
            let array = doc
                .get_mut(key)
                .and_then(Item::as_array_mut)
                .ok_or_else(|| bad("it is not a list"))?;
            // The first item carries no leading space; keep it so when it is removed.
            let first_prefix = array
                .get(0)
                .and_then(|v| v.decor().prefix().cloned())
                .unwrap_or_default();
            array.remove(*index);
            if *index == 0
                && let Some(first) = array.get_mut(0)
            {
                first.decor_mut().set_prefix(first_prefix);
            }
            old.remove(*index);
            expected.insert(key.to_owned(), toml::Value::Array(old));
        }
        Edit::RemoveKey { .. } => {
            if remove_keeping_comments(doc, key) {
                expected.remove(key);
            }
        }
    }
    Ok(())
}

/// Removes `key`. `toml_edit` stores the comment lines above a key as part of that key;
/// they are moved to the next key or table so that removing a key removes only its line.
fn remove_keeping_comments(doc: &mut DocumentMut, key: &str) -> bool {
    let table = doc.as_table_mut();
    let next = table
        .iter()
        .map(|(k, _)| k.to_owned())
        .skip_while(|k| k != key)
        .nth(1);
    let comments = table
        .key(key)
        .and_then(|k| k.leaf_decor().prefix())
        .and_then(|p| p.as_str())
        .filter(|p| p.contains('#'))
        .map(str::to_owned);
    if table.remove(key).is_none() {
        return false;
    }
    let (Some(comments), Some(next)) = (comments, next) else {
        return true;
    };
    let prepend = |decor: &mut toml_edit::Decor| {
        let old = decor.prefix().and_then(|p| p.as_str()).unwrap_or_default();
        let joined = format!("{comments}{old}");
        decor.set_prefix(joined);
    };
    if let Some(Item::Table(sub)) = table.get_mut(&next) {
        prepend(sub.decor_mut());
    } else if let Some(mut k) = table.key_mut(&next) {
        prepend(k.leaf_decor_mut());
    }
    true
}

/// Replaces the value of `key`, keeping the old value's decor, or adds the key.
fn set(doc: &mut DocumentMut, key: &str, mut value: Value) {
    match doc.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        Some(other) => *other = Item::Value(value),
        None => {
            doc.insert(key, Item::Value(value));
        }
    }
}

/// The `toml_edit` value to write and the `toml` value it must read back as.
fn scalar(value: &ScalarValue, current: Option<&toml::Value>) -> (Value, toml::Value) {
    match value {
        ScalarValue::Str(s) => (Value::from(s.as_str()), toml::Value::String(s.clone())),
        ScalarValue::Bool(b) => (Value::from(*b), toml::Value::Boolean(*b)),
        ScalarValue::Int(i) => (Value::from(*i), toml::Value::Integer(*i)),
        ScalarValue::Float(f) => (Value::from(*f), toml::Value::Float(*f)),
        ScalarValue::Date(raw) => {
            let was_string = matches!(current, Some(toml::Value::String(_)));
            match (
                raw.parse::<toml_edit::Datetime>(),
                raw.parse::<toml::value::Datetime>(),
            ) {
                (Ok(edit_dt), Ok(plain_dt)) if !was_string => {
                    (Value::from(edit_dt), toml::Value::Datetime(plain_dt))
                }
                _ => (Value::from(raw.as_str()), toml::Value::String(raw.clone())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "title = \"Hugo 文章\" # shown in lists\ndate = 2021-06-17T08:02:32+08:00\ntags = [\"hugo\", \"静态网站\"]\n\n[params]\ncover = \"/img/a.png\"\n";

    #[test]
    fn set_keeps_comment_and_other_lines() {
        let out = apply(
            SRC,
            &[Edit::SetScalar {
                key: "title".into(),
                value: ScalarValue::Str("新标题".into()),
            }],
        )
        .unwrap();
        assert_eq!(out, SRC.replace("\"Hugo 文章\"", "\"新标题\""));
    }

    #[test]
    fn date_stays_a_datetime_and_new_key_goes_before_tables() {
        let out = apply(
            SRC,
            &[
                Edit::SetScalar {
                    key: "date".into(),
                    value: ScalarValue::Date("2022-01-02T03:04:05+08:00".into()),
                },
                Edit::SetScalar {
                    key: "draft".into(),
                    value: ScalarValue::Bool(true),
                },
            ],
        )
        .unwrap();
        assert!(out.contains("date = 2022-01-02T03:04:05+08:00\n"), "{out}");
        let draft = out.find("draft = true").unwrap();
        assert!(draft < out.find("[params]").unwrap(), "{out}");
    }

    #[test]
    fn list_items_and_unchanged_value() {
        let same = apply(
            SRC,
            &[Edit::SetList {
                key: "tags".into(),
                items: vec!["hugo".into(), "静态网站".into()],
            }],
        )
        .unwrap();
        assert_eq!(same, SRC);
        let removed = apply(
            SRC,
            &[Edit::RemoveItem {
                key: "tags".into(),
                index: 0,
            }],
        )
        .unwrap();
        assert!(removed.contains("tags = [\"静态网站\"]"), "{removed}");
    }
}
