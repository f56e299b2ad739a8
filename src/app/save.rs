//! Saving the draft of the open post through the archive's lossless editor.
//!
//! The draft is compared with the values it started from; only changed keys become
//! [`Edit`]s, so every other byte of the file is kept. `archive::apply_edits` verifies
//! the result reads back as intended and `archive::save_post` writes it crash-safely,
//! refusing when the file changed on disk since it was opened: the person then chooses
//! Reload, Overwrite or Cancel. Saving one post takes milliseconds, so it runs inline
//! in `apply` rather than on a worker; the UI thread never waits on anything larger.

use crate::archive::{Edit, SaveError, SaveMode, ScalarValue, apply_edits, save_post};

use super::draft::{Draft, DraftFields, FieldValue};
use super::state::{AppState, Dialog};

impl AppState {
    /// Saves the draft; returns true when the post is saved (or had nothing to save).
    pub fn save(&mut self, overwrite: bool) -> bool {
        let Some(draft) = &self.draft else {
            return true;
        };
        if !draft.is_dirty() {
            return true;
        }
        let path = self.open_path_display();
        if let Some(problem) = draft.first_error() {
            self.error(format!("Cannot save, {problem}: {path}"));
            return false;
        }
        let edits = edits_between(&draft.original, &draft.current);
        let (Some(root), Some(open)) = (self.root.clone(), self.open.as_ref()) else {
            return false;
        };
        let new_text = match apply_edits(&open.post, &edits) {
            Ok(text) => text,
            Err(e) => {
                self.error(format!("Not saved: {e}"));
                return false;
            }
        };
        let mode = if overwrite {
            SaveMode::Overwrite
        } else {
            SaveMode::IfUnchanged
        };
        match save_post(&root, &open.post, &new_text, mode) {
            Ok(post) => {
                tracing::info!(path = %path, keys = edits.len(), "saved");
                let id = open.id;
                self.catalog.update(id, post.article.clone());
                let fields = DraftFields::from_front(&post.article.front, post.front_text());
                self.draft = Some(Draft::new(fields));
                if let Some(open) = &mut self.open {
                    open.document = super::loader::clean_document(&post);
                    open.post = post;
                }
                self.needs_requery = true;
                self.facets_stale = true;
                self.completions_stale = true;
                true
            }
            Err(SaveError::ChangedOnDisk { .. }) => {
                self.dialog = Some(Dialog::ChangedOnDisk);
                false
            }
            Err(e) => {
                self.error(e.to_string());
                false
            }
        }
    }
}

/// The edits that turn `original` into `current`, key by key.
pub fn edits_between(original: &DraftFields, current: &DraftFields) -> Vec<Edit> {
    let mut edits: Vec<Edit> = original
        .fields
        .iter()
        .filter(|f| current.get(&f.key).is_none())
        .map(|f| Edit::RemoveKey { key: f.key.clone() })
        .collect();
    for field in &current.fields {
        if original.get(&field.key) == Some(&field.value) {
            continue;
        }
        let key = field.key.clone();
        edits.push(match &field.value {
            FieldValue::List(items) => Edit::SetList {
                key,
                items: items.clone(),
            },
            FieldValue::Bool(b) => Edit::SetScalar {
                key,
                value: ScalarValue::Bool(*b),
            },
            FieldValue::Date(text) => Edit::SetScalar {
                key,
                value: ScalarValue::Date(text.trim().to_owned()),
            },
            FieldValue::Text(text) | FieldValue::Image(text) => Edit::SetScalar {
                key,
                value: ScalarValue::Str(text.clone()),
            },
            FieldValue::Raw(text) => Edit::SetScalar {
                key,
                value: raw_scalar(text),
            },
        });
    }
    edits
}

/// A raw value typed in the editor: a YAML boolean or number stays one, else a string.
fn raw_scalar(text: &str) -> ScalarValue {
    let t = text.trim();
    match t {
        "true" => ScalarValue::Bool(true),
        "false" => ScalarValue::Bool(false),
        _ => {
            if let Ok(i) = t.parse::<i64>() {
                ScalarValue::Int(i)
            } else if let Ok(f) = t
                .parse::<f64>()
                .map_err(|_| ())
                .and_then(|f| if f.is_finite() { Ok(f) } else { Err(()) })
            {
                ScalarValue::Float(f)
            } else {
                ScalarValue::Str(text.to_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::draft::Field;

    fn f(key: &str, value: FieldValue) -> Field {
        Field {
            key: key.into(),
            value,
        }
    }

    #[test]
    fn only_changed_keys_become_edits() {
        let original = DraftFields {
            fields: vec![
                f("title", FieldValue::Text("a".into())),
                f("comments", FieldValue::Bool(false)),
                f("thumbnail", FieldValue::Image(String::new())),
            ],
        };
        let mut current = original.clone();
        current.fields[0].value = FieldValue::Text("b".into());
        current.fields.remove(2);
        current
            .fields
            .push(f("tags", FieldValue::List(vec!["x".into()])));
        let edits = edits_between(&original, &current);
        assert_eq!(
            edits,
            vec![
                Edit::RemoveKey {
                    key: "thumbnail".into()
                },
                Edit::SetScalar {
                    key: "title".into(),
                    value: ScalarValue::Str("b".into())
                },
                Edit::SetList {
                    key: "tags".into(),
                    items: vec!["x".into()]
                },
            ]
        );
    }

    #[test]
    fn raw_values_keep_their_yaml_type() {
        assert_eq!(raw_scalar("true"), ScalarValue::Bool(true));
        assert_eq!(raw_scalar("12"), ScalarValue::Int(12));
        assert_eq!(raw_scalar("hello"), ScalarValue::Str("hello".into()));
    }
}
