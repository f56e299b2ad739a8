//! The front-matter editor's draft: typed fields, dirty state, undo and redo.
//!
//! The editor never edits a post: it edits a [`Draft`] built from the post's parsed
//! front matter, as a list of keys in file order, each with a typed value (text, list,
//! date, checkbox, image URL or raw YAML). Saving compares the draft with the values it
//! started from and turns only the differences into edits for the lossless core, so an
//! untouched key is never rewritten. Every change is one undo step, except typing in
//! the same field within a second, which coalesces.

use std::time::{Duration, Instant};

use crate::archive::{FrontMatter, key_line, parse_date};

/// The value of one front-matter key, typed by what the key means.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Text(String),
    /// `categories`, `tags`: shown as removable chips.
    List(Vec<String>),
    /// Kept as written; validated with the archive's date parser.
    Date(String),
    Bool(bool),
    /// `headimg`, `thumbnail`, `cover`, `image`.
    Image(String),
    /// Any other key, as its YAML value text.
    Raw(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub key: String,
    pub value: FieldValue,
}

/// All fields of a draft, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftFields {
    pub fields: Vec<Field>,
}

/// Keys the editor knows how to type, for the Add field menu.
pub const KNOWN_KEYS: [&str; 10] = [
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

impl DraftFields {
    /// Builds the typed fields of a post's front matter; `front_text` orders them.
    pub fn from_front(front: &FrontMatter, front_text: &str) -> Self {
        let mut fields = Vec::new();
        let mut push = |key: &str, value: FieldValue| {
            fields.push(Field {
                key: key.to_owned(),
                value,
            })
        };
        if let Some(t) = &front.title {
            push("title", FieldValue::Text(t.clone()));
        }
        if !front.categories.is_empty() || key_line(front_text, "categories").is_some() {
            push("categories", FieldValue::List(front.categories.clone()));
        }
        if !front.tags.is_empty() || key_line(front_text, "tags").is_some() {
            push("tags", FieldValue::List(front.tags.clone()));
        }
        if !front.authors.is_empty() {
            let key = if key_line(front_text, "author").is_none()
                && key_line(front_text, "authors").is_some()
            {
                "authors"
            } else {
                "author"
            };
            push(key, FieldValue::Text(front.authors.join(", ")));
        }
        if let Some(d) = &front.date {
            push("date", FieldValue::Date(d.raw.clone()));
        }
        if let Some(d) = &front.updated {
            push("updated", FieldValue::Date(d.raw.clone()));
        }
        if let Some(c) = front.comments {
            push("comments", FieldValue::Bool(c));
        }
        for (key, value) in [
            ("headimg", &front.headimg),
            ("thumbnail", &front.thumbnail),
            ("cover", &front.cover),
            ("image", &front.image),
        ] {
            if let Some(v) = value {
                push(key, FieldValue::Image(v.clone()));
            }
        }
        for (key, value) in &front.extra {
            push(key, FieldValue::Raw(value.clone()));
        }
        fields.sort_by_key(|f| key_line(front_text, &f.key).unwrap_or(usize::MAX));
        Self { fields }
    }

    pub fn get(&self, key: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.key == key).map(|f| &f.value)
    }

    /// A new, empty field of the type its key suggests.
    pub fn empty_value_for(key: &str) -> FieldValue {
        match key {
            "title" | "author" => FieldValue::Text(String::new()),
            "categories" | "tags" => FieldValue::List(Vec::new()),
            "date" | "updated" => FieldValue::Date(String::new()),
            "comments" => FieldValue::Bool(true),
            "headimg" | "thumbnail" | "cover" | "image" => FieldValue::Image(String::new()),
            _ => FieldValue::Raw(String::new()),
        }
    }
}

/// Why a field value cannot be saved, shown under the field.
pub fn validate(value: &FieldValue) -> Option<String> {
    match value {
        FieldValue::Date(text) if !text.trim().is_empty() && parse_date(text).is_none() => Some(
            "not a date Folio can read (e.g. Thu, 17 Jun 2021 08:02:32 GMT or 2021-06-17 16:02:32)"
                .to_owned(),
        ),
        _ => None,
    }
}

/// The draft of the open post.
#[derive(Clone, Debug)]
pub struct Draft {
    pub original: DraftFields,
    pub current: DraftFields,
    undo: Vec<DraftFields>,
    redo: Vec<DraftFields>,
    last_edit: Option<(Instant, usize)>,
}

const COALESCE: Duration = Duration::from_secs(1);

impl Draft {
    pub fn new(fields: DraftFields) -> Self {
        Self {
            original: fields.clone(),
            current: fields,
            undo: Vec::new(),
            redo: Vec::new(),
            last_edit: None,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.current != self.original
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// First validation error, if any, as `key: message`.
    pub fn first_error(&self) -> Option<String> {
        self.current
            .fields
            .iter()
            .find_map(|f| validate(&f.value).map(|m| format!("{}: {m}", f.key)))
    }

    /// Applies an edit from the UI as one undo step (typing in one field coalesces).
    pub fn edit(&mut self, fields: DraftFields) {
        if fields == self.current {
            return;
        }
        let changed_field = changed_index(&self.current, &fields);
        let now = Instant::now();
        let coalesce = matches!(
            (self.last_edit, changed_field),
            (Some((at, field)), Some(f)) if field == f && now.duration_since(at) < COALESCE
        ) && self.current.fields.len() == fields.fields.len();
        if !coalesce {
            self.undo.push(self.current.clone());
        }
        self.redo.clear();
        self.current = fields;
        self.last_edit = changed_field.map(|f| (now, f));
    }

    pub fn undo(&mut self) {
        if let Some(prev) = self.undo.pop() {
            self.redo.push(std::mem::replace(&mut self.current, prev));
            self.last_edit = None;
        }
    }

    pub fn redo(&mut self) {
        if let Some(next) = self.redo.pop() {
            self.undo.push(std::mem::replace(&mut self.current, next));
            self.last_edit = None;
        }
    }

    pub fn revert(&mut self) {
        if self.is_dirty() {
            self.edit(self.original.clone());
            self.last_edit = None;
        }
    }
}

fn changed_index(a: &DraftFields, b: &DraftFields) -> Option<usize> {
    if a.fields.len() != b.fields.len() {
        return None;
    }
    let mut diffs = a
        .fields
        .iter()
        .zip(&b.fields)
        .enumerate()
        .filter(|(_, (x, y))| x != y);
    let first = diffs.next().map(|(i, _)| i);
    if diffs.next().is_some() { None } else { first }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(title: &str) -> DraftFields {
        DraftFields {
            fields: vec![Field {
                key: "title".into(),
                value: FieldValue::Text(title.into()),
            }],
        }
    }

    #[test]
    fn undo_redo_and_dirty() {
        let mut d = Draft::new(fields("a"));
        assert!(!d.is_dirty());
        d.edit(fields("ab"));
        d.last_edit = None;
        d.edit(fields("abc"));
        assert!(d.is_dirty());
        d.undo();
        assert_eq!(d.current, fields("ab"));
        d.undo();
        assert!(!d.is_dirty());
        d.redo();
        assert_eq!(d.current, fields("ab"));
    }

    #[test]
    fn typing_in_one_field_coalesces() {
        let mut d = Draft::new(fields("a"));
        d.edit(fields("ab"));
        d.edit(fields("abc"));
        d.undo();
        assert_eq!(d.current, fields("a"));
    }

    #[test]
    fn bad_dates_are_reported() {
        assert!(validate(&FieldValue::Date("Thu, 17 Jun 2021 08:02:32 GMT".into())).is_none());
        assert!(validate(&FieldValue::Date("yesterday-ish".into())).is_some());
    }
}
