//! The editing model of a post's front matter, shared by the window, the command line
//! and bulk operations.
//!
//! A post's front matter is a list of [`Field`]s: each top-level key exactly as the file
//! spells it (`category` and `lastmod` stay themselves), in file order, with a value
//! typed by what the key means and how the file writes it ([`FieldValue`]). An editor
//! changes a copy; [`Fields::edits_from`] turns the difference into the archive's
//! lossless [`Edit`]s, typing values the one way Folio types them (see [`typing`]): a
//! date is written in the format of the date it replaces, a list the file writes as a
//! scalar stays a scalar while it holds one item, a raw value keeps its YAML type.
//! Values Folio cannot edit without loss — maps, nested lists such as a Hexo category
//! hierarchy — are [`FieldValue::Structured`]: shown, never rewritten.
//!
//! Nothing here reads or writes files: the caller loads the [`Post`], hands the edits to
//! [`apply_edits`](crate::archive::apply_edits) and saves the result.

mod merge;
mod typing;

use crate::archive::{
    AliasedKey, Edit, EditError, FrontValue, Post, ScalarValue, compact, entries, split,
};

pub use merge::{Conflict, merge, take};
pub use typing::{NOT_A_DATE, date_as_saved, parse_bool, raw_scalar};

/// Keys the editor offers to add, with the type each gets.
pub const SUGGESTED_KEYS: [&str; 10] = [
    "title",
    "categories",
    "tags",
    "author",
    "date",
    "updated",
    "comments",
    "headimg",
    "thumbnail",
    "cover",
];

/// The value of one key, typed by what the key means.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// A string (`title`, `author`, any other string-valued key).
    Text(String),
    /// A list of strings (`categories`, `tags`, any flat list), shown as chips.
    List(Vec<String>),
    /// A date as typed; written in the format of the date it replaces.
    Date(String),
    Bool(bool),
    /// An image reference (`headimg`, `thumbnail`, `cover`, `image`).
    Image(String),
    /// A number or an empty value, as YAML text; typed back with [`raw_scalar`].
    Raw(String),
    /// A map or a nested list, as compact text: shown, not editable here.
    Structured(String),
}

/// What kind of value a key holds, for keys a file does not have yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    List,
    Date,
    Bool,
    Image,
    Raw,
}

impl FieldKind {
    /// The kind a new key gets from its name alone.
    pub fn of_key(key: &str) -> Self {
        match key.to_ascii_lowercase().as_str() {
            "title" | "author" | "authors" => Self::Text,
            "categories" | "category" | "tags" | "tag" | "keywords" => Self::List,
            "date" | "updated" | "lastmod" | "publishdate" | "expirydate" => Self::Date,
            "comments" | "draft" | "published" | "sticky" | "toc" => Self::Bool,
            "headimg" | "thumbnail" | "cover" | "image" => Self::Image,
            _ => Self::Raw,
        }
    }

    /// An empty value of this kind (`comments` and other switches start on).
    pub fn empty(self) -> FieldValue {
        match self {
            Self::Text => FieldValue::Text(String::new()),
            Self::List => FieldValue::List(Vec::new()),
            Self::Date => FieldValue::Date(String::new()),
            Self::Bool => FieldValue::Bool(true),
            Self::Image => FieldValue::Image(String::new()),
            Self::Raw => FieldValue::Raw(String::new()),
        }
    }

    /// Types one piece of text as a value of this kind (a list gets one item).
    pub fn value_from_text(self, text: &str) -> Result<FieldValue, String> {
        Ok(match self {
            Self::Text => FieldValue::Text(text.to_owned()),
            Self::List => FieldValue::List(vec![text.to_owned()]),
            Self::Date => FieldValue::Date(text.to_owned()),
            Self::Bool => FieldValue::Bool(parse_bool(text)?),
            Self::Image => FieldValue::Image(text.to_owned()),
            Self::Raw => FieldValue::Raw(text.to_owned()),
        })
    }
}

impl FieldValue {
    /// The kind of this value (`None` for read-only structured values).
    pub fn kind(&self) -> Option<FieldKind> {
        Some(match self {
            Self::Text(_) => FieldKind::Text,
            Self::List(_) => FieldKind::List,
            Self::Date(_) => FieldKind::Date,
            Self::Bool(_) => FieldKind::Bool,
            Self::Image(_) => FieldKind::Image,
            Self::Raw(_) => FieldKind::Raw,
            Self::Structured(_) => return None,
        })
    }

    /// The value as one line of text (list items joined with `, `), for summaries.
    pub fn summary(&self) -> String {
        match self {
            Self::Text(s) | Self::Date(s) | Self::Image(s) | Self::Raw(s) | Self::Structured(s) => {
                s.clone()
            }
            Self::List(items) => items.join(", "),
            Self::Bool(b) => b.to_string(),
        }
    }
}

/// How the file wrote a key's value: what an edit has to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Written {
    /// Added by the editor; not in the file.
    New,
    /// A scalar (a list key written as `category: news` stays a scalar with one item).
    Scalar,
    /// Empty (`tags:`).
    Null,
    /// A list, or anything else.
    Other,
}

/// One top-level key and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The key as written in the file (or as the editor added it).
    pub key: String,
    pub value: FieldValue,
    written: Written,
}

impl Field {
    /// A field the file does not have yet.
    pub fn new(key: impl Into<String>, value: FieldValue) -> Self {
        Self {
            key: key.into(),
            value,
            written: Written::New,
        }
    }

    /// Whether the value can be changed here (maps and nested lists cannot).
    pub fn is_editable(&self) -> bool {
        !matches!(self.value, FieldValue::Structured(_))
    }
}

/// A field value that cannot be saved, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct FieldError {
    pub key: String,
    pub message: String,
}

/// What the editor shows under a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldNote {
    /// The value cannot be saved.
    Error(String),
    /// The value will be saved as this text (a date typed in another format).
    SavedAs(String),
}

/// A post's front matter as fields, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields {
    fields: Vec<Field>,
}

impl Fields {
    /// The fields of a loaded post. Refused (naming the reason and the file) when the
    /// front matter cannot be edited key by key: a syntax error, an unterminated block,
    /// bytes invalid in the file's encoding, a binary or unreadable file.
    pub fn of_post(post: &Post) -> Result<Self, EditError> {
        let not_editable = |reason: String| EditError::NotEditable {
            reason,
            path: post.article.path.clone(),
        };
        crate::archive::check_editable(post)?;
        let layout = split(&post.text);
        let Some(source) = layout.inner.clone().and_then(|span| post.text.get(span)) else {
            return Ok(Self::default());
        };
        let entries = entries(layout.kind, source, layout.inner_first_line)
            .map_err(|problem| not_editable(problem.message))?;
        let fields = entries
            .into_iter()
            .map(|(key, value)| {
                let (value, written) = classify(&key, &value);
                Field {
                    key,
                    value,
                    written,
                }
            })
            .collect();
        Ok(Self { fields })
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Field> {
        self.fields.iter()
    }

    /// The fields for an editor to change values in place.
    pub fn as_mut_slice(&mut self) -> &mut [Field] {
        &mut self.fields
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn value(&self, key: &str) -> Option<&FieldValue> {
        self.get(key).map(|f| &f.value)
    }

    /// The key as this post writes it: for `categories` asked of a post that has
    /// `category` (and no `categories`), `category`; otherwise `key` itself.
    pub fn key_as_written<'a>(&'a self, key: &'a str) -> &'a str {
        if self.get(key).is_some() {
            return key;
        }
        AliasedKey::of(key)
            .and_then(|aliased| {
                aliased
                    .spellings()
                    .into_iter()
                    .find(|spelling| self.get(spelling).is_some())
            })
            .unwrap_or(key)
    }

    /// Sets `key` (as written; see [`Fields::key_as_written`]) to `value`, appending
    /// the key when the post does not have it.
    pub fn set(&mut self, key: &str, value: FieldValue) {
        match self.fields.iter_mut().find(|f| f.key == key) {
            Some(field) => field.value = value,
            None => self.fields.push(Field::new(key, value)),
        }
    }

    /// Removes `key`; true when it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        let before = self.fields.len();
        self.fields.retain(|f| f.key != key);
        self.fields.len() != before
    }

    /// Removes the field at `index` (as listed), if any.
    pub fn remove_at(&mut self, index: usize) {
        if index < self.fields.len() {
            self.fields.remove(index);
        }
    }

    /// What to show under `field` of these fields, compared with `original` (the fields
    /// the post was loaded with).
    pub fn note(&self, field: &Field, original: &Fields) -> Option<FieldNote> {
        let FieldValue::Date(typed) = &field.value else {
            return None;
        };
        let replaces = match original.value(&field.key) {
            Some(FieldValue::Date(old)) if old == typed => return None,
            Some(FieldValue::Date(old)) => Some(old.as_str()),
            _ => None,
        };
        match date_as_saved(typed, replaces) {
            Ok(saved) if saved == typed.trim() => None,
            Ok(saved) => Some(FieldNote::SavedAs(saved)),
            Err(message) => Some(FieldNote::Error(message)),
        }
    }

    /// The first field that cannot be saved, if any.
    pub fn first_error(&self, original: &Fields) -> Option<FieldError> {
        self.edits_from(original).err()
    }

    /// The edits that turn `original` (the post's fields as loaded) into these fields,
    /// key by key: removed keys first, then changed and added keys in order. Unchanged
    /// keys give no edit, so their bytes are never touched.
    pub fn edits_from(&self, original: &Fields) -> Result<Vec<Edit>, FieldError> {
        let mut edits: Vec<Edit> = original
            .fields
            .iter()
            .filter(|f| self.get(&f.key).is_none())
            .map(|f| Edit::RemoveKey { key: f.key.clone() })
            .collect();
        for field in &self.fields {
            let before = original.get(&field.key);
            if before.is_some_and(|b| b.value == field.value) {
                continue;
            }
            edits.push(edit_for(field, before)?);
        }
        Ok(edits)
    }
}

/// The edit that writes `field` over `before` (the same key as loaded, if any).
fn edit_for(field: &Field, before: Option<&Field>) -> Result<Edit, FieldError> {
    let key = field.key.clone();
    let error = |message: String| FieldError {
        key: field.key.clone(),
        message,
    };
    let scalar = |value| Edit::SetScalar {
        key: key.clone(),
        value,
    };
    Ok(match &field.value {
        FieldValue::Text(text) | FieldValue::Image(text) => scalar(ScalarValue::Str(text.clone())),
        FieldValue::Bool(b) => scalar(ScalarValue::Bool(*b)),
        FieldValue::Raw(text) => scalar(raw_scalar(text)),
        FieldValue::Date(typed) => {
            let replaces = match before.map(|b| &b.value) {
                Some(FieldValue::Date(old)) => Some(old.as_str()),
                _ => None,
            };
            scalar(ScalarValue::Date(
                date_as_saved(typed, replaces).map_err(error)?,
            ))
        }
        FieldValue::List(items) => match (before.map(|b| b.written), items.as_slice()) {
            // `category: news` stays a one-line scalar while it holds one item.
            (Some(Written::Scalar), [one]) => scalar(ScalarValue::Str(one.clone())),
            _ => Edit::SetList {
                key,
                items: items.clone(),
            },
        },
        FieldValue::Structured(_) => {
            return Err(error(
                "a map or nested list: Folio would flatten it; edit it in the source".to_owned(),
            ));
        }
    })
}

/// Types a key's value as the editor shows it.
fn classify(key: &str, value: &FrontValue) -> (FieldValue, Written) {
    let written = match value {
        FrontValue::Null => Written::Null,
        FrontValue::Scalar(_) | FrontValue::Number(_) | FrontValue::Bool(_) => Written::Scalar,
        FrontValue::List(_) | FrontValue::Map(_) => Written::Other,
    };
    let structured = || FieldValue::Structured(compact(value));
    let text = |v: &FrontValue| match v {
        FrontValue::Scalar(s) | FrontValue::Number(s) => Some(s.clone()),
        FrontValue::Null => Some(String::new()),
        _ => None,
    };
    let typed = match (FieldKind::of_key(key), value) {
        (_, FrontValue::Map(_)) => structured(),
        (FieldKind::List, FrontValue::Null) => FieldValue::List(Vec::new()),
        (FieldKind::List, FrontValue::Scalar(s) | FrontValue::Number(s)) => {
            FieldValue::List(vec![s.clone()])
        }
        (_, FrontValue::List(items)) => match items.iter().map(text).collect::<Option<Vec<_>>>() {
            Some(items) => FieldValue::List(items),
            None => structured(),
        },
        (_, FrontValue::Bool(b)) => FieldValue::Bool(*b),
        (FieldKind::Date, v) => text(v).map_or_else(structured, FieldValue::Date),
        (FieldKind::Image, v) => text(v).map_or_else(structured, FieldValue::Image),
        (FieldKind::Text, v) => text(v).map_or_else(structured, FieldValue::Text),
        (_, FrontValue::Scalar(s)) => FieldValue::Text(s.clone()),
        (_, FrontValue::Number(n)) => FieldValue::Raw(n.clone()),
        (_, FrontValue::Null) => FieldValue::Raw(String::new()),
    };
    (typed, written)
}

#[cfg(test)]
mod tests;
