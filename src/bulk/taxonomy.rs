//! Categories, tags and authors as a whole: spellings that are probably the same item,
//! and the live count of a find-and-replace over many posts.
//!
//! Two names are spelling variants when they are equal after Unicode NFKC (which folds
//! full-width letters, digits and punctuation — `－` and `-` — into their usual form),
//! case folding, trimming and collapsing white space, and turning traditional Chinese
//! characters into simplified ones: the archives of one crawler hold both
//! `新浪财经－国內` (traditional 內) and `新浪财经－国内`. Such a group is a suggestion for a
//! merge; nothing is merged without the editor asking.

use std::collections::HashMap;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::archive::FrontMatter;

/// The form two spellings of one item share (see the module docs).
pub fn spelling_key(name: &str) -> String {
    let folded: String = name.nfkc().collect::<String>().to_lowercase();
    let simplified = character_converter::traditional_to_simplified(&folded);
    simplified.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Names that are probably one item, with their post counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Every spelling with its number of posts, most used first.
    pub names: Vec<(String, usize)>,
}

impl Variant {
    /// The spelling to merge the others into: the most used one.
    pub fn suggested(&self) -> &str {
        self.names.first().map_or("", |(name, _)| name.as_str())
    }
}

/// The groups of spelling variants among `values` (names with their post counts), the
/// biggest first.
pub fn variants(values: &[(String, usize)]) -> Vec<Variant> {
    let mut groups: HashMap<String, Vec<(String, usize)>> = HashMap::new();
    for (name, count) in values {
        groups
            .entry(spelling_key(name))
            .or_default()
            .push((name.clone(), *count));
    }
    let mut out: Vec<Variant> = groups
        .into_values()
        .filter(|names| names.len() > 1)
        .map(|mut names| {
            names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Variant { names }
        })
        .collect();
    out.sort_by(|a, b| {
        let total = |v: &Variant| v.names.iter().map(|(_, c)| c).sum::<usize>();
        total(b)
            .cmp(&total(a))
            .then_with(|| a.suggested().cmp(b.suggested()))
    });
    out
}

/// How often `pattern` occurs in `key` of the posts whose front matter is given, from
/// what a scan keeps in memory (no file is read): the count shown while a
/// find-and-replace is typed. `regex` says whether `pattern` is a regular expression;
/// an invalid one counts nothing.
pub fn live_count<'a>(
    fronts: impl IntoIterator<Item = &'a FrontMatter>,
    key: &str,
    pattern: &str,
    regex: bool,
) -> usize {
    if pattern.is_empty() {
        return 0;
    }
    let compiled = if regex {
        match Regex::new(pattern) {
            Ok(re) => Some(re),
            Err(_) => return 0,
        }
    } else {
        None
    };
    let count = |text: &str| match &compiled {
        Some(re) => re.find_iter(text).count(),
        None => text.matches(pattern).count(),
    };
    fronts
        .into_iter()
        .map(|front| values_of(front, key).into_iter().map(count).sum::<usize>())
        .sum()
}

/// The text values of `key` in the scan's typed view (both spellings of aliased keys):
/// what a post has for a key, without reading its file.
pub fn values_of<'a>(front: &'a FrontMatter, key: &str) -> Vec<&'a str> {
    let one = |v: &'a Option<String>| v.as_deref().into_iter().collect::<Vec<_>>();
    match key {
        "title" => one(&front.title),
        "categories" | "category" => front.categories.iter().map(String::as_str).collect(),
        "tags" | "tag" => front.tags.iter().map(String::as_str).collect(),
        "author" | "authors" => front.authors.iter().map(String::as_str).collect(),
        "date" => front.date.iter().map(|d| d.raw.as_str()).collect(),
        "updated" | "lastmod" => front.updated.iter().map(|d| d.raw.as_str()).collect(),
        "headimg" => one(&front.headimg),
        "thumbnail" => one(&front.thumbnail),
        "cover" => one(&front.cover),
        "image" => one(&front.image),
        other => front
            .extra
            .iter()
            .filter(|(k, _)| k == other)
            .map(|(_, v)| v.as_str())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_case_space_and_script_variants_share_a_key() {
        assert_eq!(
            spelling_key("新浪财经－国內"),
            spelling_key("新浪财经-国内")
        );
        assert_eq!(spelling_key(" Hacker  News "), spelling_key("hacker news"));
        assert_eq!(spelling_key("ＡＢＣ"), spelling_key("abc"));
        assert_ne!(spelling_key("国内"), spelling_key("国际"));
    }

    #[test]
    fn variants_group_the_corpus_spellings_most_used_first() {
        let values = vec![
            ("新浪财经－国內".to_owned(), 120),
            ("新浪财经－国内".to_owned(), 3),
            ("金融".to_owned(), 200),
            ("36Kr".to_owned(), 2),
            ("36kr".to_owned(), 50),
        ];
        let groups = variants(&values);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].suggested(), "新浪财经－国內");
        assert_eq!(groups[0].names.len(), 2);
        assert_eq!(groups[1].suggested(), "36kr");
    }

    #[test]
    fn live_count_reads_the_typed_view() {
        let post = crate::archive::parse_bytes(
            "a.md".into(),
            None,
            b"---\ntitle: 2021 and 2022\ncategory: [a2021, b]\n---\n".to_vec(),
        );
        let fronts = [&post.article.front];
        assert_eq!(live_count(fronts, "title", "202", false), 2);
        assert_eq!(live_count(fronts, "categories", r"\d+", true), 1);
        assert_eq!(live_count(fronts, "title", "(", true), 0);
    }
}
