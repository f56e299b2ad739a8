//! The text the article list shows for a date and for a post's source.
//!
//! They live beside the index because the index sorts, filters and counts by the same
//! values (the year facet uses the year of the shown date; the source sort uses the
//! source label), and the two must never disagree.

use std::borrow::Cow;

use chrono::Local;

use super::entry::shown_in_local_zone;
use crate::archive::{Article, DateValue, display_text};

/// A date for the list: `2021-06-17 16:02` in the machine's local zone for dates written
/// with a zone and a time; as written (normalized to `YYYY-MM-DD HH:MM`) for floating
/// dates; `YYYY-MM-DD` for bare days; the raw text (trimmed) when it is not a date, so
/// that `Invalid Date` shows as what the file says.
pub fn local_date_label(date: &DateValue) -> String {
    let Some(parsed) = date.parsed else {
        return date.raw.trim().to_owned();
    };
    let has_time = date.raw.contains(':');
    if shown_in_local_zone(date) {
        parsed
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    } else if has_time {
        parsed.naive_local().format("%Y-%m-%d %H:%M").to_string()
    } else {
        parsed.naive_local().format("%Y-%m-%d").to_string()
    }
}

/// The list's source column: the category path joined with ` › ` (entities decoded), or
/// the post's parent folder (with `/` separators) when it has no categories.
pub fn source_label(article: &Article) -> String {
    let parts: Vec<Cow<'_, str>> = article
        .front
        .categories
        .iter()
        .map(|c| display_text(c.trim()))
        .filter(|c| !c.trim().is_empty())
        .collect();
    if !parts.is_empty() {
        return parts.join(" › ");
    }
    article
        .path
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse_bytes;

    #[test]
    fn floating_and_day_dates_are_shown_as_written() {
        assert_eq!(
            local_date_label(&DateValue::parse("2021-12-20 14:08:19")),
            "2021-12-20 14:08"
        );
        assert_eq!(
            local_date_label(&DateValue::parse("2018-03-01 +0800")),
            "2018-03-01"
        );
        assert_eq!(
            local_date_label(&DateValue::parse("2018-03-01")),
            "2018-03-01"
        );
        assert_eq!(
            local_date_label(&DateValue::parse(" Invalid Date ")),
            "Invalid Date"
        );
    }

    #[test]
    fn zoned_dates_are_shown_in_the_local_zone() {
        let d = DateValue::parse("Thu, 17 Jun 2021 08:02:32 GMT");
        let expected = d
            .parsed
            .unwrap()
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        assert_eq!(local_date_label(&d), expected);
    }

    #[test]
    fn source_is_categories_or_folder() {
        let post = |path: &str, text: &str| {
            parse_bytes(path.into(), None, text.as_bytes().to_vec()).article
        };
        let a = post(
            "a/b.md",
            "---\ntitle: x\ncategories: [金融, 'A &amp; B']\n---\n",
        );
        assert_eq!(source_label(&a), "金融 › A & B");
        let b = post("a/c/b.md", "---\ntitle: x\n---\n");
        assert_eq!(source_label(&b), "a/c");
        let c = post("b.md", "---\ntitle: x\n---\n");
        assert_eq!(source_label(&c), "");
    }
}
