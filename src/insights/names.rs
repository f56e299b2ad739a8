//! Interned names (groups, category names, tags, authors) for dense counting.
//!
//! An archive of 100,000 posts has a few hundred distinct categories and authors, so each
//! article keeps small ids and a figure counts with one array per query instead of a hash
//! map. Each name also keeps its lowercased form, which is what the search syntax
//! compares, so that a figure can tell whether `tag:name` would pick out only this name.

use std::collections::HashMap;

/// A table of distinct names; an id is the position of the name.
#[derive(Debug, Default)]
pub(crate) struct Names {
    names: Vec<Box<str>>,
    lower: Vec<Box<str>>,
    lookup: HashMap<Box<str>, u32>,
}

impl Names {
    /// The id of `name`, adding it when new.
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.lookup.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        self.lower.push(name.to_lowercase().into());
        self.lookup.insert(name.into(), id);
        id
    }

    pub(crate) fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }

    pub(crate) fn lower(&self, id: u32) -> &str {
        self.lower.get(id as usize).map_or("", |n| n)
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no *other* name contains this one's lowercased text: then a substring
    /// search for it (what `tag:`, `author:` and `cat:` do) finds this name only.
    pub(crate) fn is_unambiguous(&self, id: u32) -> bool {
        let needle = self.lower(id);
        !needle.is_empty()
            && self
                .lower
                .iter()
                .enumerate()
                .all(|(other, hay)| other == id as usize || !hay.contains(needle))
    }
}

/// Display values as the index cleans them (entities decoded, trimmed, blanks dropped
/// and, with `dedupe`, repeats dropped): a figure must count what the list searches.
pub(crate) fn clean_values(values: &[String], dedupe: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let v = crate::archive::display_text(v.trim()).trim().to_owned();
        let repeated = dedupe && out.contains(&v);
        if !v.is_empty() && !repeated {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguity_is_about_other_names_containing_this_one() {
        let mut names = Names::default();
        let ai = names.intern("AI");
        let chip = names.intern("芯片");
        let ai_chip = names.intern("AI芯片");
        let again = names.intern("AI");
        assert_eq!(ai, again);
        assert_eq!(names.len(), 3);
        assert!(!names.is_unambiguous(ai)); // `AI芯片` contains it
        assert!(!names.is_unambiguous(chip));
        assert!(names.is_unambiguous(ai_chip));
        assert_eq!(names.lower(ai), "ai");
    }

    #[test]
    fn values_are_cleaned_like_the_index_does() {
        let values = ["  A &amp; B ", "", "x", "x"].map(String::from);
        assert_eq!(clean_values(&values, true), ["A & B", "x"]);
        assert_eq!(clean_values(&values, false), ["A & B", "x", "x"]);
    }
}
