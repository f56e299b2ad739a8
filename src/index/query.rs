//! The search box syntax: parsing the text into terms.
//!
//! Parsing never fails: anything the syntax does not understand is searched as plain
//! text, so a half-typed query (`title:`, `"unclosed`, `year:20`) still narrows the list
//! sensibly while the person types. See the [module docs](super) for the syntax.

use std::ops::Range;

use super::entry::Field;
use crate::git::ChangeState;

/// Where a text term is searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Title, authors, categories, tags and path.
    Any,
    /// One field only.
    Only(FieldName),
}

/// A field a term can be restricted to (`title:`, `author:`, `cat:`, `tag:`, `path:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldName {
    Title,
    Author,
    Category,
    Tag,
    Path,
}

impl FieldName {
    pub(crate) fn field(self) -> Field {
        match self {
            Self::Title => Field::Title,
            Self::Author => Field::Author,
            Self::Category => Field::Category,
            Self::Tag => Field::Tag,
            Self::Path => Field::Path,
        }
    }
}

/// One parsed piece of the search text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A lowercased substring searched in `scope`; `negated` for `-word`.
    Text {
        scope: Scope,
        needle: String,
        negated: bool,
    },
    /// `year:2021` (several are ORed), `-year:2021` excludes.
    Year { year: i32, negated: bool },
    /// `is:problem` (any problem) or, with `errors_only`, `is:error`.
    Problem { errors_only: bool, negated: bool },
    /// `is:changed` (`state: None`: new, modified or renamed since the last commit),
    /// `is:new`, `is:modified`, `is:renamed`. Git states are known where a status was
    /// run (the window, `folio list --query`); elsewhere no post has one.
    Changed {
        state: Option<ChangeState>,
        negated: bool,
    },
}

/// Whether `text` holds a term about git states: the CLI runs a status only then.
pub fn mentions_changes(text: &str) -> bool {
    parse(text)
        .iter()
        .any(|t| matches!(t, Term::Changed { .. }))
}

/// The git state an `is:` value names: `Some(None)` for `changed`.
fn change_word(value: &str) -> Option<Option<ChangeState>> {
    match value {
        "changed" | "change" | "changes" => Some(None),
        "new" => Some(Some(ChangeState::New)),
        "modified" => Some(Some(ChangeState::Modified)),
        "renamed" => Some(Some(ChangeState::Renamed)),
        _ => None,
    }
}

impl Term {
    /// The plain words and phrases (unfielded, not negated): what a body search looks for.
    pub fn body_needle(&self) -> Option<&str> {
        match self {
            Self::Text {
                scope: Scope::Any,
                needle,
                negated: false,
            } => Some(needle),
            _ => None,
        }
    }
}

/// Parses search text into terms. Never fails and never panics.
pub fn parse(text: &str) -> Vec<Term> {
    parse_spanned(text)
        .into_iter()
        .map(|(_, term)| term)
        .collect()
}

/// Parses search text into terms, each with the byte range of `text` it was read from
/// (a term's own text, to copy it into another search without re-quoting it).
pub fn parse_spanned(text: &str) -> Vec<(Range<usize>, Term)> {
    let mut terms = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let start = text.len() - rest.len();
        // A lone `-` is a negation still being typed.
        if let Some(r) = rest.strip_prefix('-')
            && (r.is_empty() || r.starts_with(char::is_whitespace))
        {
            rest = r;
            continue;
        }
        let (negated, after_sign) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (field, after_field) = split_field(after_sign);
        let (value, quoted, remaining) = read_value(after_field);
        rest = remaining;
        let span = start..text.len() - rest.len();
        let Some(field) = field else {
            push_text(&mut terms, span, Scope::Any, value, negated, quoted);
            continue;
        };
        match field {
            Prefix::Field(name) => {
                push_text(&mut terms, span, Scope::Only(name), value, negated, quoted)
            }
            Prefix::Year => match value.trim().parse::<i32>() {
                Ok(year) => terms.push((span, Term::Year { year, negated })),
                // `year:` alone is a query being typed; `year:abc` is text.
                Err(_) if value.is_empty() => {}
                Err(_) => {
                    let whole = format!("year:{value}");
                    push_text(&mut terms, span, Scope::Any, &whole, negated, quoted);
                }
            },
            Prefix::Is => match value.to_lowercase().as_str() {
                "problem" | "problems" => terms.push((
                    span,
                    Term::Problem {
                        errors_only: false,
                        negated,
                    },
                )),
                "error" | "errors" => terms.push((
                    span,
                    Term::Problem {
                        errors_only: true,
                        negated,
                    },
                )),
                "" => {}
                word if change_word(word).is_some() => terms.push((
                    span,
                    Term::Changed {
                        state: change_word(word).flatten(),
                        negated,
                    },
                )),
                _ => {
                    let whole = format!("is:{value}");
                    push_text(&mut terms, span, Scope::Any, &whole, negated, quoted);
                }
            },
        }
    }
    terms
}

/// What the search box should explain about `text`: words that look like filters but
/// are searched as plain text (`is:foo`, `year:abc`, `has:image`), each with what the
/// filter takes. Web addresses (`https://…`) are not filters and get no note.
pub fn notes(text: &str) -> Vec<String> {
    let mut notes = Vec::new();
    for token in text.split_whitespace() {
        let token = token.trim_start_matches('-');
        if token.starts_with('"') {
            continue;
        }
        let Some((name, value)) = token.split_once(':') else {
            continue;
        };
        if value.is_empty()
            || value.starts_with("//")
            || name.is_empty()
            || name.len() > 12
            || !name.chars().all(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        let note = match name.to_ascii_lowercase().as_str() {
            "title" | "author" | "cat" | "category" | "tag" | "path" => None,
            "year" if value.trim().parse::<i32>().is_ok() => None,
            "year" => Some("year: takes a year, e.g. year:2021".to_owned()),
            "is" if matches!(
                value.to_lowercase().as_str(),
                "problem" | "problems" | "error" | "errors"
            ) || change_word(&value.to_lowercase()).is_some() =>
            {
                None
            }
            "is" => Some("is: takes problem, error, changed, new, modified or renamed".to_owned()),
            _ => Some(
                "not a filter; the filters are title: author: cat: tag: path: year: is:".to_owned(),
            ),
        };
        if let Some(note) = note {
            notes.push(format!("`{token}` is searched as text: {note}"));
        }
    }
    notes
}

enum Prefix {
    Field(FieldName),
    Year,
    Is,
}

/// Splits a known `field:` prefix (case-insensitive) from the token start.
fn split_field(token: &str) -> (Option<Prefix>, &str) {
    let Some(colon) = token.find(':') else {
        return (None, token);
    };
    let (Some(name), Some(after)) = (token.get(..colon), token.get(colon + 1..)) else {
        return (None, token);
    };
    if name.contains(|c: char| c.is_whitespace() || c == '"') {
        return (None, token);
    }
    let prefix = match name.to_ascii_lowercase().as_str() {
        "title" => Prefix::Field(FieldName::Title),
        "author" => Prefix::Field(FieldName::Author),
        "cat" | "category" => Prefix::Field(FieldName::Category),
        "tag" => Prefix::Field(FieldName::Tag),
        "path" => Prefix::Field(FieldName::Path),
        "year" => Prefix::Year,
        "is" => Prefix::Is,
        _ => return (None, token),
    };
    (Some(prefix), after)
}

/// Reads a quoted phrase (to the closing quote, or to the end when unclosed) or a word
/// (to the next whitespace). Returns the value, whether it was quoted, and the rest.
fn read_value(text: &str) -> (&str, bool, &str) {
    if let Some(inner) = text.strip_prefix('"') {
        return match inner.find('"') {
            Some(end) => (
                inner.get(..end).unwrap_or(""),
                true,
                inner.get(end + 1..).unwrap_or(""),
            ),
            None => (inner, true, ""),
        };
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (
        text.get(..end).unwrap_or(""),
        false,
        text.get(end..).unwrap_or(""),
    )
}

fn push_text(
    terms: &mut Vec<(Range<usize>, Term)>,
    span: Range<usize>,
    scope: Scope,
    value: &str,
    negated: bool,
    quoted: bool,
) {
    // A phrase keeps its inner spaces but not the ones at its ends, which a person
    // typing `"新浪 ` has not finished yet.
    let value = if quoted { value.trim() } else { value };
    if value.is_empty() {
        return;
    }
    terms.push((
        span,
        Term::Text {
            scope,
            needle: value.to_lowercase(),
            negated,
        },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_filters_are_explained_and_urls_are_not() {
        let n = notes("is:foo has:image year:abc year:2021 is:error -cat:金融 https://a.b/c 央行");
        assert_eq!(n.len(), 3, "{n:?}");
        assert!(n[0].contains("is:foo") && n[0].contains("problem, error, changed"));
        assert!(n[1].contains("has:image") && n[1].contains("the filters are"));
        assert!(n[2].contains("year:abc"));
        assert!(notes("title:\"a b\" path:新浪").is_empty());
    }

    fn text(scope: Scope, needle: &str, negated: bool) -> Term {
        Term::Text {
            scope,
            needle: needle.to_owned(),
            negated,
        }
    }

    #[test]
    fn words_are_lowercased_terms() {
        assert_eq!(
            parse("  新浪财经  Apple\u{3000}央行 "),
            [
                text(Scope::Any, "新浪财经", false),
                text(Scope::Any, "apple", false),
                text(Scope::Any, "央行", false),
            ]
        );
    }

    #[test]
    fn quotes_and_negation() {
        assert_eq!(
            parse(r#""Hello World" -foo -"bar baz" "unclosed x"#),
            [
                text(Scope::Any, "hello world", false),
                text(Scope::Any, "foo", true),
                text(Scope::Any, "bar baz", true),
                text(Scope::Any, "unclosed x", false),
            ]
        );
    }

    #[test]
    fn fields() {
        assert_eq!(
            parse(r#"title:"A B" AUTHOR:张三 cat:金融 category:x tag:t path:2021 -title:no"#),
            [
                text(Scope::Only(FieldName::Title), "a b", false),
                text(Scope::Only(FieldName::Author), "张三", false),
                text(Scope::Only(FieldName::Category), "金融", false),
                text(Scope::Only(FieldName::Category), "x", false),
                text(Scope::Only(FieldName::Tag), "t", false),
                text(Scope::Only(FieldName::Path), "2021", false),
                text(Scope::Only(FieldName::Title), "no", true),
            ]
        );
    }

    #[test]
    fn year_and_is() {
        assert_eq!(
            parse("year:2021 -year:2020 is:problem -is:error is:Problems"),
            [
                Term::Year {
                    year: 2021,
                    negated: false
                },
                Term::Year {
                    year: 2020,
                    negated: true
                },
                Term::Problem {
                    errors_only: false,
                    negated: false
                },
                Term::Problem {
                    errors_only: true,
                    negated: true
                },
                Term::Problem {
                    errors_only: false,
                    negated: false
                },
            ]
        );
    }

    #[test]
    fn git_states() {
        let changed = |state, negated| Term::Changed { state, negated };
        assert_eq!(
            parse("is:changed is:NEW -is:modified is:renamed is:newer"),
            [
                changed(None, false),
                changed(Some(ChangeState::New), false),
                changed(Some(ChangeState::Modified), true),
                changed(Some(ChangeState::Renamed), false),
                text(Scope::Any, "is:newer", false),
            ]
        );
        assert!(mentions_changes("央行 -is:changed"));
        assert!(!mentions_changes("央行 is:problem \"is:new\""));
        assert!(notes("is:changed is:new is:Modified").is_empty());
        assert_eq!(notes("is:deleted").len(), 1);
    }

    #[test]
    fn unknown_fields_and_bad_values_are_text() {
        assert_eq!(
            parse("foo:bar year:abc is:weird http://x.cn/a"),
            [
                text(Scope::Any, "foo:bar", false),
                text(Scope::Any, "year:abc", false),
                text(Scope::Any, "is:weird", false),
                text(Scope::Any, "http://x.cn/a", false),
            ]
        );
    }

    #[test]
    fn unfinished_input_is_ignored_or_text() {
        assert_eq!(parse(""), []);
        assert_eq!(parse("   - \"\" title: year: is: - \""), []);
        assert_eq!(parse("--x"), [text(Scope::Any, "-x", true)]);
        assert_eq!(parse("a -"), [text(Scope::Any, "a", false)]);
    }

    #[test]
    fn spans_are_each_terms_own_text() {
        let text = "  cat:\"Paul Graham 博客\" -央行 year:2022 is:problem  a\"b title: x";
        let pieces: Vec<(&str, Term)> = parse_spanned(text)
            .into_iter()
            .map(|(span, term)| (text.get(span).unwrap(), term))
            .collect();
        let texts: Vec<&str> = pieces.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            texts,
            [
                "cat:\"Paul Graham 博客\"",
                "-央行",
                "year:2022",
                "is:problem",
                "a\"b",
                "x"
            ]
        );
        // Each piece parses alone to the term it was read as.
        for (piece, term) in pieces {
            assert_eq!(parse(piece), [term], "{piece}");
        }
    }

    #[test]
    fn junk_never_panics() {
        for s in [
            "\"",
            "\"\"\"",
            ":",
            "::",
            "-:",
            "title:\"",
            "é:ü",
            "\u{1}\u{2}",
            "-\"",
            "a\"b\"c",
            "year:99999999999",
            "cat:\"金融",
            "　",
            "-　",
        ] {
            let _ = parse(s);
        }
    }
}
