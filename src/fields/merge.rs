//! Applying an editor's changes onto a newer version of the same post: the answer to
//! "the file changed on disk while you were editing" that keeps both.
//!
//! Edits are per key, so this is exact: every key the editor changed (set, added or
//! removed) since `original` is applied to `theirs` (the fields as the file has them
//! now), unless the other program changed that key too, to something else. Those keys
//! keep the file's value and are returned as conflicts, each with both values, for the
//! editor to pick. Keys only the other program changed stay as it left them.

use super::{FieldValue, Fields};

/// A key both sides changed, differently. `None` is a removed key.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub key: String,
    pub mine: Option<FieldValue>,
    pub theirs: Option<FieldValue>,
}

/// `theirs` with the changes from `original` to `mine` applied, and the keys both sides
/// changed differently (left as in `theirs`).
pub fn merge(original: &Fields, mine: &Fields, theirs: &Fields) -> (Fields, Vec<Conflict>) {
    let mut merged = theirs.clone();
    let mut conflicts = Vec::new();
    let mut keys: Vec<&str> = original.iter().map(|f| f.key.as_str()).collect();
    for field in mine.iter() {
        if !keys.contains(&field.key.as_str()) {
            keys.push(&field.key);
        }
    }
    for key in keys {
        let (o, m, t) = (original.value(key), mine.value(key), theirs.value(key));
        if m == o || t == m {
            continue;
        }
        if t != o {
            conflicts.push(Conflict {
                key: key.to_owned(),
                mine: m.cloned(),
                theirs: t.cloned(),
            });
            continue;
        }
        take(&mut merged, key, m.cloned());
    }
    (merged, conflicts)
}

/// Sets `key` to `value` in `fields`, or removes it for `None`.
pub fn take(fields: &mut Fields, key: &str, value: Option<FieldValue>) {
    match value {
        Some(value) => fields.set(key, value),
        None => {
            fields.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Fields {
        let post = crate::archive::parse_bytes("p.md".into(), None, text.as_bytes().to_vec());
        Fields::of_post(&post).unwrap()
    }

    fn text(f: &Fields, key: &str) -> Option<String> {
        f.value(key).map(FieldValue::summary)
    }

    #[test]
    fn each_sides_keys_are_kept_and_same_key_changes_conflict() {
        let original = fields("---\ntitle: A\nauthor: x\ntags: [a]\ncomments: true\n---\nbody\n");
        // The other program changed the author and the tags, and removed comments.
        let theirs = fields("---\ntitle: A\nauthor: y\ntags: [b]\n---\nbody\n");
        // The editor changed the title and the tags, and added a key.
        let mut mine = original.clone();
        mine.set("title", FieldValue::Text("B".into()));
        mine.set("tags", FieldValue::List(vec!["c".into()]));
        mine.set("source", FieldValue::Text("s".into()));
        let (merged, conflicts) = merge(&original, &mine, &theirs);
        assert_eq!(text(&merged, "title").as_deref(), Some("B"), "mine");
        assert_eq!(text(&merged, "author").as_deref(), Some("y"), "theirs");
        assert_eq!(text(&merged, "source").as_deref(), Some("s"), "added by me");
        assert!(merged.value("comments").is_none(), "removed by them");
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].key, "tags");
        assert_eq!(
            text(&merged, "tags"),
            text(&theirs, "tags"),
            "theirs until picked"
        );
        let mut picked = merged.clone();
        take(&mut picked, "tags", conflicts[0].mine.clone());
        assert_eq!(text(&picked, "tags"), text(&mine, "tags"));
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let original = fields("---\ntitle: A\n---\n");
        let theirs = fields("---\ntitle: B\n---\n");
        let mut mine = original.clone();
        mine.set("title", FieldValue::Text("B".into()));
        let (merged, conflicts) = merge(&original, &mine, &theirs);
        assert!(conflicts.is_empty());
        assert_eq!(merged, theirs);
    }
}
