//! What many posts have in common, key by key: the bulk editor's view of a selection.
//!
//! Computed from the front matter a scan keeps (no file is read), so it is quick enough
//! for a selection of the whole archive. Aliased spellings count as one key
//! (`categories` for `category` too), as the operations treat them.

use std::collections::HashMap;

use crate::archive::FrontMatter;

/// Values listed per key before "and N more".
const MAX_VALUES: usize = 30;

/// One key across the selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySummary {
    pub key: String,
    /// Whether the key holds a list (each item is counted on its own).
    pub is_list: bool,
    /// Posts that have the key.
    pub posts: usize,
    /// The values (or list items) with their number of posts, most common first.
    pub values: Vec<(String, usize)>,
    /// How many distinct values there are in all (`values` may be cut).
    pub distinct: usize,
}

impl KeySummary {
    /// The value every selected post has, when they all have the same one (for a
    /// list: the one item of every post's list).
    pub fn common(&self, selected: usize) -> Option<&str> {
        match self.values.as_slice() {
            [(value, count)] if *count == selected && self.posts == selected => Some(value),
            _ => None,
        }
    }
}

/// The keys of the selection, in a stable order: the known ones first, then the rest
/// by how many posts have them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub selected: usize,
    pub keys: Vec<KeySummary>,
}

const KNOWN: [(&str, bool); 11] = [
    ("title", false),
    ("categories", true),
    ("tags", true),
    ("author", true),
    ("date", false),
    ("updated", false),
    ("comments", false),
    ("headimg", false),
    ("thumbnail", false),
    ("cover", false),
    ("image", false),
];

/// Summarizes the front matter of the selected posts.
pub fn summarize<'a>(fronts: impl IntoIterator<Item = &'a FrontMatter>) -> Summary {
    let mut selected = 0;
    // Counted by borrowed text: no allocation per post.
    let mut known: Vec<(usize, HashMap<&str, usize>)> = vec![(0, HashMap::new()); KNOWN.len()];
    let mut extra: HashMap<&str, (usize, HashMap<&str, usize>)> = HashMap::new();
    for front in fronts {
        selected += 1;
        for (slot, (key, _)) in known.iter_mut().zip(KNOWN) {
            let values = known_values(front, key);
            if let Some(values) = values {
                slot.0 += 1;
                for value in values {
                    *slot.1.entry(value).or_default() += 1;
                }
            }
        }
        for (key, value) in &front.extra {
            let entry = extra.entry(key.as_str()).or_default();
            entry.0 += 1;
            *entry.1.entry(value.as_str()).or_default() += 1;
        }
    }
    let finish = |key: &str, is_list: bool, posts: usize, counts: HashMap<&str, usize>| {
        let distinct = counts.len();
        let mut values: Vec<(&str, usize)> = counts.into_iter().collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        values.truncate(MAX_VALUES);
        let values = values.into_iter().map(|(v, c)| (v.to_owned(), c)).collect();
        KeySummary {
            key: key.to_owned(),
            is_list,
            posts,
            values,
            distinct,
        }
    };
    let mut keys: Vec<KeySummary> = known
        .into_iter()
        .zip(KNOWN)
        .filter(|((posts, _), _)| *posts > 0)
        .map(|((posts, counts), (key, is_list))| finish(key, is_list, posts, counts))
        .collect();
    let mut others: Vec<KeySummary> = extra
        .into_iter()
        .map(|(key, (posts, counts))| finish(key, false, posts, counts))
        .collect();
    others.sort_by(|a, b| b.posts.cmp(&a.posts).then_with(|| a.key.cmp(&b.key)));
    keys.extend(others);
    Summary { selected, keys }
}

fn known_values<'a>(front: &'a FrontMatter, key: &str) -> Option<Vec<&'a str>> {
    let one = |v: &'a Option<String>| v.as_deref().map(|s| vec![s]);
    let list = |v: &'a Vec<String>| (!v.is_empty()).then(|| v.iter().map(String::as_str).collect());
    match key {
        "title" => one(&front.title),
        "categories" => list(&front.categories),
        "tags" => list(&front.tags),
        "author" => list(&front.authors),
        "date" => front.date.as_ref().map(|d| vec![d.raw.as_str()]),
        "updated" => front.updated.as_ref().map(|d| vec![d.raw.as_str()]),
        "comments" => front
            .comments
            .map(|c| vec![if c { "true" } else { "false" }]),
        "headimg" => one(&front.headimg),
        "thumbnail" => one(&front.thumbnail),
        "cover" => one(&front.cover),
        "image" => one(&front.image),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(yaml: &str) -> FrontMatter {
        crate::archive::parse_bytes(
            "a.md".into(),
            None,
            format!("---\n{yaml}---\n").into_bytes(),
        )
        .article
        .front
    }

    #[test]
    fn common_and_mixed_values_with_counts() {
        let fronts = [
            front("title: a\ncategories: [金融, 新浪财经]\nauthor: x\nweight: 1\n"),
            front("title: b\ncategory: [金融]\nauthor: x\n"),
            front("title: c\ncategories: [金融, 36kr]\nauthor: x\nweight: 2\n"),
        ];
        let s = summarize(&fronts);
        assert_eq!(s.selected, 3);
        let key = |k: &str| s.keys.iter().find(|x| x.key == k).unwrap();
        assert_eq!(key("author").values, [("x".to_owned(), 3)]);
        assert_eq!(key("author").common(3), Some("x"));
        assert!(key("author").is_list);
        assert_eq!(key("title").common(3), None);
        assert_eq!(key("title").distinct, 3);
        assert_eq!(key("categories").values[0], ("金融".to_owned(), 3));
        assert_eq!(key("weight").posts, 2);
        let keys: Vec<&str> = s.keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(keys, ["title", "categories", "author", "weight"]);
    }
}
