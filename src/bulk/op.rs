//! The operations of a bulk edit, and what each does to one post's fields.
//!
//! Every operation names a key as a person thinks of it (`categories`); on each post it
//! applies to the key as that post spells it (`category` in a Jekyll post), through
//! [`Fields::key_as_written`]. Values are typed per post exactly as the single-post
//! editor types them ([`crate::fields`]): `Set date=…` keeps each post's own date format.

use std::path::PathBuf;

use regex::Regex;

use crate::fields::{FieldKind, FieldValue, Fields};

/// One change asked of every selected post.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Sets `key` to `value`, typed like the post's key (or like the key's name).
    Set { key: String, value: String },
    /// Removes `key`.
    Unset { key: String },
    /// Adds `item` to the list `key` (a post that has it already is unchanged).
    AddItem { key: String, item: String },
    /// Removes every `item` from the list `key`.
    RemoveItem { key: String, item: String },
    /// Replaces the items `from` (one: a rename; several: a merge) by `to`, in a list
    /// or a single value, keeping the item's place and dropping repeats.
    ReplaceItems {
        key: String,
        from: Vec<String>,
        to: String,
    },
    /// Replaces `pattern` (plain text, or a regular expression) by `replacement` in
    /// the text of `key` (each item of a list).
    FindReplace {
        key: String,
        pattern: String,
        replacement: String,
        regex: bool,
    },
    /// Moves the post file into `folder` (relative to the archive root), same name.
    Move { folder: PathBuf },
    /// Moves the post file to the trash.
    Trash,
}

impl Operation {
    /// A one-line description, for the history and the preview.
    pub fn describe(&self) -> String {
        match self {
            Self::Set { key, value } => format!("set {key} = {value}"),
            Self::Unset { key } => format!("unset {key}"),
            Self::AddItem { key, item } => format!("add {item} to {key}"),
            Self::RemoveItem { key, item } => format!("remove {item} from {key}"),
            Self::ReplaceItems { key, from, to } if from.len() == 1 => {
                format!("rename {} to {to} in {key}", from.join(""))
            }
            Self::ReplaceItems { key, from, to } => {
                format!("merge {} into {to} in {key}", from.join(", "))
            }
            Self::FindReplace {
                key,
                pattern,
                replacement,
                regex,
            } => {
                let kind = if *regex { "regex" } else { "text" };
                format!("replace {kind} {pattern} by {replacement} in {key}")
            }
            Self::Move { folder } => format!("move to {}", crate::archive::slash_path(folder)),
            Self::Trash => "move to the trash".to_owned(),
        }
    }

    /// Whether this operation moves or trashes the file rather than editing it.
    pub fn is_file_operation(&self) -> bool {
        matches!(self, Self::Move { .. } | Self::Trash)
    }

    /// Checks what can be checked before any post is read (an empty key, a pattern that
    /// is not a regular expression, a folder leaving the archive).
    pub fn validate(&self) -> Result<(), String> {
        let key = match self {
            Self::Set { key, .. }
            | Self::Unset { key }
            | Self::AddItem { key, .. }
            | Self::RemoveItem { key, .. }
            | Self::ReplaceItems { key, .. }
            | Self::FindReplace { key, .. } => key,
            Self::Move { folder } => return super::paths::check_folder(folder).map(|_| ()),
            Self::Trash => return Ok(()),
        };
        if key.trim().is_empty() || key.contains([':', '\n']) {
            return Err(format!("`{key}` is not a key"));
        }
        match self {
            Self::FindReplace {
                pattern,
                regex: true,
                ..
            } => Regex::new(pattern)
                .map(|_| ())
                .map_err(|e| format!("not a regular expression: {e}")),
            Self::FindReplace { pattern, .. } if pattern.is_empty() => {
                Err("the text to find is empty".to_owned())
            }
            Self::ReplaceItems { from, .. } if from.is_empty() => {
                Err("nothing to rename".to_owned())
            }
            _ => Ok(()),
        }
    }
}

/// A field operation ready to run on many posts (a regular expression compiled once).
pub(crate) struct Compiled<'a> {
    op: &'a Operation,
    regex: Option<Regex>,
}

impl<'a> Compiled<'a> {
    pub fn new(op: &'a Operation) -> Result<Self, String> {
        op.validate()?;
        let regex = match op {
            Operation::FindReplace {
                pattern,
                regex: true,
                ..
            } => Some(Regex::new(pattern).map_err(|e| e.to_string())?),
            _ => None,
        };
        Ok(Self { op, regex })
    }

    /// Changes `fields` as the operation asks. `Err` when this post cannot take it (the
    /// key holds a map, the value cannot be typed…); file operations change nothing here.
    pub fn apply(&self, fields: &mut Fields) -> Result<(), String> {
        match self.op {
            Operation::Set { key, value } => {
                let key = fields.key_as_written(key).to_owned();
                let kind = match fields.value(&key) {
                    Some(FieldValue::Structured(_)) => return Err(structured(&key)),
                    Some(existing) => existing.kind().unwrap_or(FieldKind::Text),
                    None => FieldKind::of_key(&key),
                };
                let typed = kind
                    .value_from_text(value)
                    .map_err(|e| format!("`{key}` takes {e}"))?;
                fields.set(&key, typed);
            }
            Operation::Unset { key } => {
                let key = fields.key_as_written(key).to_owned();
                fields.remove(&key);
            }
            Operation::AddItem { key, item } => {
                let key = fields.key_as_written(key).to_owned();
                let items = match fields.value(&key) {
                    None => vec![item.clone()],
                    Some(FieldValue::List(items)) if items.contains(item) => return Ok(()),
                    Some(FieldValue::List(items)) => {
                        let mut items = items.clone();
                        items.push(item.clone());
                        items
                    }
                    Some(FieldValue::Text(one)) if one.trim().is_empty() => vec![item.clone()],
                    Some(FieldValue::Text(one)) if one == item => return Ok(()),
                    Some(FieldValue::Text(one)) => vec![one.clone(), item.clone()],
                    Some(FieldValue::Structured(_)) => return Err(structured(&key)),
                    Some(_) => return Err(format!("`{key}` is not a list")),
                };
                fields.set(&key, FieldValue::List(items));
            }
            Operation::RemoveItem { key, item } => {
                let key = fields.key_as_written(key).to_owned();
                match fields.value(&key) {
                    Some(FieldValue::List(items)) if items.contains(item) => {
                        let kept = items.iter().filter(|i| *i != item).cloned().collect();
                        fields.set(&key, FieldValue::List(kept));
                    }
                    Some(FieldValue::Text(one)) if one == item => {
                        fields.remove(&key);
                    }
                    Some(FieldValue::Structured(_)) => return Err(structured(&key)),
                    _ => {}
                }
            }
            Operation::ReplaceItems { key, from, to } => {
                let key = fields.key_as_written(key).to_owned();
                match fields.value(&key) {
                    Some(FieldValue::List(items)) if items.iter().any(|i| from.contains(i)) => {
                        let mut out: Vec<String> = Vec::with_capacity(items.len());
                        for item in items {
                            let item = if from.contains(item) { to } else { item };
                            if !out.contains(item) {
                                out.push(item.clone());
                            }
                        }
                        fields.set(&key, FieldValue::List(out));
                    }
                    Some(FieldValue::Text(one)) if from.contains(one) => {
                        fields.set(&key, FieldValue::Text(to.clone()));
                    }
                    Some(FieldValue::Structured(_)) => return Err(structured(&key)),
                    _ => {}
                }
            }
            Operation::FindReplace {
                key, replacement, ..
            } => {
                let key = fields.key_as_written(key).to_owned();
                let replaced = match fields.value(&key) {
                    None => return Ok(()),
                    Some(FieldValue::Structured(_)) => return Err(structured(&key)),
                    Some(FieldValue::Bool(_)) => return Ok(()),
                    Some(FieldValue::List(items)) => FieldValue::List(
                        items.iter().map(|i| self.replace(i, replacement)).collect(),
                    ),
                    Some(FieldValue::Text(t)) => FieldValue::Text(self.replace(t, replacement)),
                    Some(FieldValue::Date(t)) => FieldValue::Date(self.replace(t, replacement)),
                    Some(FieldValue::Image(t)) => FieldValue::Image(self.replace(t, replacement)),
                    Some(FieldValue::Raw(t)) => FieldValue::Raw(self.replace(t, replacement)),
                };
                fields.set(&key, replaced);
            }
            Operation::Move { .. } | Operation::Trash => {}
        }
        Ok(())
    }

    /// How many times the find-and-replace pattern occurs in the post's key (0 for
    /// other operations): the live count shown while the pattern is typed.
    pub fn count_matches(&self, fields: &Fields) -> usize {
        let Operation::FindReplace { key, pattern, .. } = self.op else {
            return 0;
        };
        let key = fields.key_as_written(key);
        let count = |text: &str| match &self.regex {
            Some(re) => re.find_iter(text).count(),
            None => text.matches(pattern.as_str()).count(),
        };
        match fields.value(key) {
            Some(FieldValue::List(items)) => items.iter().map(|i| count(i)).sum(),
            Some(
                FieldValue::Text(t)
                | FieldValue::Date(t)
                | FieldValue::Image(t)
                | FieldValue::Raw(t),
            ) => count(t),
            _ => 0,
        }
    }

    fn replace(&self, text: &str, replacement: &str) -> String {
        match (&self.regex, self.op) {
            (Some(re), _) => re.replace_all(text, replacement).into_owned(),
            (None, Operation::FindReplace { pattern, .. }) => {
                text.replace(pattern.as_str(), replacement)
            }
            (None, _) => text.to_owned(),
        }
    }
}

fn structured(key: &str) -> String {
    format!("`{key}` holds a map or a nested list, which Folio does not rewrite")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse_bytes;

    fn fields(yaml: &str) -> Fields {
        let post = parse_bytes(
            "a.md".into(),
            None,
            format!("---\n{yaml}---\n").into_bytes(),
        );
        Fields::of_post(&post).unwrap()
    }

    fn run(op: Operation, yaml: &str) -> Result<Fields, String> {
        let mut f = fields(yaml);
        Compiled::new(&op)?.apply(&mut f)?;
        Ok(f)
    }

    fn list(items: &[&str]) -> FieldValue {
        FieldValue::List(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn list_operations_use_the_posts_own_key() {
        let yaml = "category: [a, b]\n";
        let f = run(
            Operation::AddItem {
                key: "categories".into(),
                item: "c".into(),
            },
            yaml,
        )
        .unwrap();
        assert_eq!(f.value("category"), Some(&list(&["a", "b", "c"])));
        assert!(f.value("categories").is_none());
        let f = run(
            Operation::RemoveItem {
                key: "categories".into(),
                item: "a".into(),
            },
            yaml,
        )
        .unwrap();
        assert_eq!(f.value("category"), Some(&list(&["b"])));
    }

    #[test]
    fn merging_keeps_places_and_drops_repeats() {
        let f = run(
            Operation::ReplaceItems {
                key: "categories".into(),
                from: vec!["新浪财经－国內".into(), "国内".into()],
                to: "新浪财经－国内".into(),
            },
            "categories: [金融, 新浪财经－国內, 国内, x]\n",
        )
        .unwrap();
        assert_eq!(
            f.value("categories"),
            Some(&list(&["金融", "新浪财经－国内", "x"]))
        );
        let f = run(
            Operation::ReplaceItems {
                key: "author".into(),
                from: vec!["新浪".into()],
                to: "新浪财经".into(),
            },
            "author: 新浪\n",
        )
        .unwrap();
        assert_eq!(
            f.value("author"),
            Some(&FieldValue::Text("新浪财经".into()))
        );
    }

    #[test]
    fn find_replace_counts_and_replaces_plain_and_regex() {
        let yaml = "title: 2021年 2022年\ntags: [年报, x]\n";
        let op = Operation::FindReplace {
            key: "title".into(),
            pattern: r"\d{4}年".into(),
            replacement: "某年".into(),
            regex: true,
        };
        let compiled = Compiled::new(&op).unwrap();
        assert_eq!(compiled.count_matches(&fields(yaml)), 2);
        let mut f = fields(yaml);
        compiled.apply(&mut f).unwrap();
        assert_eq!(
            f.value("title"),
            Some(&FieldValue::Text("某年 某年".into()))
        );
        let op = Operation::FindReplace {
            key: "tags".into(),
            pattern: "年".into(),
            replacement: "月".into(),
            regex: false,
        };
        let f = run(op, yaml).unwrap();
        assert_eq!(f.value("tags"), Some(&list(&["月报", "x"])));
        let bad = Operation::FindReplace {
            key: "title".into(),
            pattern: "(".into(),
            replacement: String::new(),
            regex: true,
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn set_types_like_the_key_and_refuses_maps() {
        let f = run(
            Operation::Set {
                key: "comments".into(),
                value: "true".into(),
            },
            "comments: false\n",
        )
        .unwrap();
        assert_eq!(f.value("comments"), Some(&FieldValue::Bool(true)));
        assert!(
            run(
                Operation::Set {
                    key: "comments".into(),
                    value: "maybe".into()
                },
                "comments: false\n"
            )
            .is_err()
        );
        assert!(
            run(
                Operation::Set {
                    key: "cover".into(),
                    value: "x".into()
                },
                "cover:\n  image: a.png\n"
            )
            .is_err()
        );
    }
}
