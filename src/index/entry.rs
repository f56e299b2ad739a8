//! What the index keeps per article: one lowercased search text and the sort and facet
//! keys, computed once when the article arrives.
//!
//! The search text ("haystack") holds the fields in a fixed order separated by
//! [`FIELD_SEP`], with multiple values inside a field separated by [`VALUE_SEP`], so that
//! a word never matches across two fields or two authors, and a field filter searches a
//! slice of the same string. Entities are decoded before lowercasing so that what is
//! searched is what the list shows.

use std::time::UNIX_EPOCH;

use chrono::{Datelike, Local};

use super::symbols::{CategoryTrie, Symbols};
use crate::archive::{Article, DateValue, display_text};

/// Separates the fields of the haystack.
pub(crate) const FIELD_SEP: char = '\u{1}';
/// Separates the values of one field (two authors, three categories).
pub(crate) const VALUE_SEP: char = '\u{2}';

/// A searchable field of the haystack, in haystack order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Title = 0,
    Author = 1,
    Category = 2,
    Tag = 3,
    Path = 4,
}

/// Flag bits of [`Entry::flags`].
pub(crate) const LIVE: u8 = 1;
pub(crate) const PROBLEMS: u8 = 2;
pub(crate) const ERRORS: u8 = 4;
/// The post differs from the last commit of its git repository (set by the app after a
/// status, see [`super::Index::set_change`]); one bit per state a post on disk can have.
pub(crate) const GIT_NEW: u8 = 8;
pub(crate) const GIT_MODIFIED: u8 = 16;
pub(crate) const GIT_RENAMED: u8 = 32;
/// Any of the git bits: `is:changed`.
pub(crate) const GIT_CHANGED: u8 = GIT_NEW | GIT_MODIFIED | GIT_RENAMED;

/// The flag bit of a git state (none for a deleted post, which has no entry).
pub(crate) fn change_flag(state: crate::git::ChangeState) -> u8 {
    use crate::git::ChangeState;
    match state {
        ChangeState::New => GIT_NEW,
        ChangeState::Modified => GIT_MODIFIED,
        ChangeState::Renamed => GIT_RENAMED,
        ChangeState::Deleted => 0,
    }
}

/// The git state a flag set holds, if any.
pub(crate) fn change_of_flags(flags: u8) -> Option<crate::git::ChangeState> {
    use crate::git::ChangeState;
    if flags & GIT_NEW != 0 {
        Some(ChangeState::New)
    } else if flags & GIT_MODIFIED != 0 {
        Some(ChangeState::Modified)
    } else if flags & GIT_RENAMED != 0 {
        Some(ChangeState::Renamed)
    } else {
        None
    }
}

/// The index's view of one article.
#[derive(Debug)]
pub(crate) struct Entry {
    /// Where `title ␁ authors ␁ categories ␁ tags ␁ path`, lowercased, starts in the
    /// [`super::arena::Arena`], and its length.
    pub(crate) start: u32,
    pub(crate) len: u32,
    /// Byte offsets (from `start`) where the title, authors, categories and tags end.
    ends: [u32; 4],
    /// Seconds since the epoch of the front-matter date.
    pub(crate) date: Option<i64>,
    /// The year the list shows for the date (local for zoned dates, as written otherwise).
    pub(crate) year: Option<i32>,
    /// File modification time, milliseconds since the epoch.
    pub(crate) modified: Option<i64>,
    /// Trie node of the category path ([`super::symbols::ROOT`] when none).
    pub(crate) category: u32,
    pub(crate) authors: Box<[u32]>,
    pub(crate) tags: Box<[u32]>,
    pub(crate) flags: u8,
    /// The title's place in the title order ([`super::collate::title_key`]).
    pub(crate) title_key: Box<[u8]>,
}

impl Entry {
    /// The entry (with `start` still 0) and its search text, to append to the arena.
    pub(crate) fn build(
        article: &Article,
        trie: &mut CategoryTrie,
        authors: &mut Symbols,
        tags: &mut Symbols,
    ) -> (Self, String) {
        Prepared::of(article).finish(trie, authors, tags)
    }
}

/// What an entry needs that depends on its article alone, made without the index's
/// shared tables, so that a whole list can be prepared in parallel.
pub(crate) struct Prepared {
    entry: Entry,
    hay: String,
    author_names: Vec<String>,
    category_names: Vec<String>,
    tag_names: Vec<String>,
}

impl Prepared {
    pub(crate) fn of(article: &Article) -> Self {
        let front = &article.front;
        let title = front.display_title();
        let author_names = clean_values(&front.authors, true);
        let category_names = clean_values(&front.categories, false);
        let tag_names = clean_values(&front.tags, true);
        let path = article.path_display();

        let mut hay = String::with_capacity(
            title.len()
                + path.len()
                + [&author_names, &category_names, &tag_names]
                    .iter()
                    .flat_map(|v| v.iter())
                    .map(|s| s.len() + 1)
                    .sum::<usize>()
                + 4,
        );
        let mut ends = [0u32; 4];
        push_lower(&mut hay, &title);
        for (end, values) in ends
            .iter_mut()
            .zip([&author_names, &category_names, &tag_names])
        {
            // Records where the previous field ends, then writes the next one.
            *end = offset(&hay);
            hay.push(FIELD_SEP);
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    hay.push(VALUE_SEP);
                }
                push_lower(&mut hay, v);
            }
        }
        ends[3] = offset(&hay);
        hay.push(FIELD_SEP);
        push_lower(&mut hay, &path);

        let (date, year) = match &front.date {
            Some(d) => (d.timestamp(), date_year(d)),
            None => (None, None),
        };
        let modified = article
            .modified
            .and_then(|m| match m.duration_since(UNIX_EPOCH) {
                Ok(d) => i64::try_from(d.as_millis()).ok(),
                Err(e) => i64::try_from(e.duration().as_millis()).ok().map(|v| -v),
            });
        let mut flags = LIVE;
        if !article.problems.is_empty() {
            flags |= PROBLEMS;
        }
        if article.has_errors() {
            flags |= ERRORS;
        }
        let entry = Entry {
            start: 0,
            len: offset(&hay),
            ends,
            date,
            year,
            modified,
            category: Default::default(),
            authors: Box::default(),
            tags: Box::default(),
            flags,
            title_key: super::collate::title_key(&title),
        };
        Self {
            entry,
            hay,
            author_names,
            category_names,
            tag_names,
        }
    }

    /// The entry with its category, authors and tags in the index's tables, and its
    /// search text.
    pub(crate) fn finish(
        self,
        trie: &mut CategoryTrie,
        authors: &mut Symbols,
        tags: &mut Symbols,
    ) -> (Entry, String) {
        let mut entry = self.entry;
        entry.category = trie.insert(self.category_names.iter().map(String::as_str));
        entry.authors = intern_all(authors, &self.author_names);
        entry.tags = intern_all(tags, &self.tag_names);
        (entry, self.hay)
    }
}

impl Entry {
    pub(crate) fn is_live(&self) -> bool {
        self.flags & LIVE != 0
    }

    /// The whole lowercased search text, from the arena's text.
    pub(crate) fn hay<'a>(&self, arena: &'a str) -> &'a str {
        let start = self.start as usize;
        arena.get(start..start + self.len as usize).unwrap_or("")
    }

    /// The lowercased text of one field (values separated by [`VALUE_SEP`]).
    pub(crate) fn field<'a>(&self, arena: &'a str, field: Field) -> &'a str {
        let hay = self.hay(arena);
        let i = field as usize;
        let start = match i.checked_sub(1).and_then(|p| self.ends.get(p)) {
            Some(&end) => end as usize + FIELD_SEP.len_utf8(),
            None => 0,
        };
        let end = self.ends.get(i).map_or(hay.len(), |&e| e as usize);
        hay.get(start..end).unwrap_or("")
    }

    /// Heap bytes held by this entry besides the struct and its arena text.
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.authors.len() + self.tags.len()) * 4
    }
}

/// Values for display and facets: entities decoded, trimmed, blanks dropped and, with
/// `dedupe`, repeats within the article dropped (not for categories: they are a path,
/// where `a › a` is a real place).
fn clean_values(values: &[String], dedupe: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let v = display_text(v.trim()).trim().to_owned();
        let repeated = dedupe && out.contains(&v);
        if !v.is_empty() && !repeated {
            out.push(v);
        }
    }
    out
}

fn intern_all(symbols: &mut Symbols, values: &[String]) -> Box<[u32]> {
    values.iter().map(|v| symbols.intern(v)).collect()
}

fn push_lower(out: &mut String, text: &str) {
    for c in text.chars() {
        // Separators inside values would let a search cross field boundaries.
        if c == FIELD_SEP || c == VALUE_SEP {
            out.push(' ');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

fn offset(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

/// The year as [`super::local_date_label`] shows it.
pub(crate) fn date_year(date: &DateValue) -> Option<i32> {
    let parsed = date.parsed?;
    Some(if shown_in_local_zone(date) {
        parsed.with_timezone(&Local).year()
    } else {
        parsed.naive_local().year()
    })
}

/// Zoned dates with a time of day are shown in the local zone; floating dates and bare
/// days (`2018-03-01 +0800`) are shown as written, since shifting a bare day to another
/// zone would invent a time nobody wrote.
pub(crate) fn shown_in_local_zone(date: &DateValue) -> bool {
    date.has_zone && date.raw.contains(':')
}
