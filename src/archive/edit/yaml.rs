//! Span-based edits of YAML front matter.
//!
//! The source between the fences is cut into top-level entries by lines: an entry is a
//! key line at column 0 (`key: value`, `'key': value`) plus its continuation lines —
//! indented lines and block-list items that begin with `-` at any indent (the crawler
//! writes ` - a` under `categories: `). Blank and comment lines between entries belong to
//! no entry, so they survive every edit; inside an entry they belong to it. Anything the
//! line scan does not understand (a top-level flow mapping, `? ` keys, directives, keys
//! that differ from the parser's) makes the whole block read-only rather than guessed at.
//!
//! An edit replaces only the edited entry's lines (a scalar on one line keeps its key
//! text, spacing and trailing comment; a block list keeps its key line, indentation and
//! the text of every item that stays), or appends a new entry before the closing fence.
//! Values carrying anchors, aliases or tags are refused. After all edits the new source
//! is parsed and must equal the old mapping with exactly the intended change.

use yaml_serde::Value as Yaml;

use super::quote::{self, Context, Style};
use super::yaml_list::{self, ListItem};
use super::{Edit, Refusal, ScalarValue};

/// One line of the source.
#[derive(Clone, Copy, Debug)]
pub(super) struct Line<'a> {
    pub start: usize,
    /// End including the line break.
    pub end: usize,
    /// The line without its line break.
    pub content: &'a str,
}

impl<'a> Line<'a> {
    /// The line break this line ends with (empty on a last line without one).
    pub fn eol(&self, text: &'a str) -> &'a str {
        text.get(self.start + self.content.len()..self.end)
            .unwrap_or_default()
    }

    pub fn indent(&self) -> usize {
        self.content.len() - self.content.trim_start_matches([' ', '\t']).len()
    }
}

pub(super) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for piece in text.split_inclusive('\n') {
        let end = start + piece.len();
        let content = piece.strip_suffix('\n').unwrap_or(piece);
        let content = content.strip_suffix('\r').unwrap_or(content);
        out.push(Line {
            start,
            end,
            content,
        });
        start = end;
    }
    out
}

/// A top-level key and the lines it spans.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub key: String,
    /// Index of the key line in the line list.
    pub first: usize,
    /// Index of the last line of the entry (the key line for one-line values).
    pub last: usize,
    /// Offset in the key line just after the `:`.
    pub colon_end: usize,
    /// Offset in the key line where the value text starts (after the spaces).
    pub value_col: usize,
}

impl Entry {
    /// The text after `key:` on the key line, without leading spaces.
    pub fn value_text<'a>(&self, lines: &[Line<'a>]) -> &'a str {
        lines
            .get(self.first)
            .and_then(|l| l.content.get(self.value_col..))
            .unwrap_or_default()
    }

    /// The key line up to and including the `:`.
    pub fn key_part<'a>(&self, lines: &[Line<'a>]) -> &'a str {
        lines
            .get(self.first)
            .and_then(|l| l.content.get(..self.colon_end))
            .unwrap_or_default()
    }

    pub fn span(&self, lines: &[Line<'_>]) -> std::ops::Range<usize> {
        let start = lines.get(self.first).map_or(0, |l| l.start);
        let end = lines.get(self.last).map_or(start, |l| l.end);
        start..end
    }
}

/// Cuts the source into entries as described in the module docs.
pub(super) fn entries(lines: &[Line<'_>]) -> Result<Vec<Entry>, String> {
    let mut out: Vec<Entry> = Vec::new();
    let mut open_quote: Option<u8> = None;
    for (i, line) in lines.iter().enumerate() {
        let content = line.content;
        if let Some(quote) = open_quote {
            // A quoted value spanning lines; the crawler writes its continuation lines
            // at column 0.
            if let Some(entry) = out.last_mut() {
                entry.last = i;
            }
            if closes_quote(content, quote) {
                open_quote = None;
            }
            continue;
        }
        let trimmed = content.trim();
        if trimmed.is_empty() || (line.indent() == 0 && content.starts_with('#')) {
            continue;
        }
        let continuation = content.starts_with([' ', '\t'])
            || content == "-"
            || content.starts_with("- ")
            || content.starts_with("-\t");
        if continuation {
            match out.last_mut() {
                Some(entry) => entry.last = i,
                None => {
                    return Err(format!(
                        "front-matter line {} is not a `key: value` pair",
                        i + 1
                    ));
                }
            }
            continue;
        }
        let (key, colon_end) = parse_key(content).ok_or_else(|| {
            format!(
                "front-matter line {} is not a plain `key: value` pair",
                i + 1
            )
        })?;
        if out.iter().any(|e| e.key == key) {
            return Err(format!("the key `{key}` occurs twice"));
        }
        let after = content.get(colon_end..).unwrap_or_default();
        let value_col = colon_end + (after.len() - after.trim_start_matches([' ', '\t']).len());
        let value = content.get(value_col..).unwrap_or_default();
        if value.starts_with(['\'', '"']) && quote::scalar_end(value).is_none() {
            open_quote = value.bytes().next();
        }
        out.push(Entry {
            key,
            first: i,
            last: i,
            colon_end,
            value_col,
        });
    }
    match open_quote {
        Some(_) => Err("a quoted value is never closed".to_owned()),
        None => Ok(out),
    }
}

/// True when `line`, a continuation of a value quoted with `quote`, closes the quote.
fn closes_quote(line: &str, quote: u8) -> bool {
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, quote) {
            (b'\\', b'"') => i += 2,
            (b'\'', b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            (b, q) if b == q => return true,
            _ => i += 1,
        }
    }
    false
}

/// Reads the key of a key line; returns it and the offset just after its `:`.
fn parse_key(content: &str) -> Option<(String, usize)> {
    let first = content.chars().next()?;
    let (key, after_key) = match first {
        '\'' | '"' => {
            let end = quote::scalar_end(content)?;
            let inner = content.get(1..end.checked_sub(1)?)?;
            if first == '"' && inner.contains('\\') {
                return None;
            }
            let key = if first == '\'' {
                inner.replace("''", "'")
            } else {
                inner.to_owned()
            };
            let rest = content.get(end..)?;
            let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            (key, end + spaces)
        }
        c if "{[?&*!|>%@`,#".contains(c) => return None,
        _ => {
            let bytes = content.as_bytes();
            let colon = (0..bytes.len()).find(|&i| {
                bytes.get(i) == Some(&b':')
                    && matches!(bytes.get(i + 1), None | Some(b' ') | Some(b'\t'))
            })?;
            (content.get(..colon)?.trim_end().to_owned(), colon)
        }
    };
    (content.as_bytes().get(after_key) == Some(&b':')).then_some((key, after_key + 1))
}

/// Parses the source into its top-level pairs, in order.
pub(super) fn parse(source: &str) -> Result<Vec<(Yaml, Yaml)>, String> {
    if source.trim().is_empty() {
        return Ok(Vec::new());
    }
    match yaml_serde::from_str::<Yaml>(source) {
        Ok(Yaml::Mapping(map)) => Ok(map.into_iter().collect()),
        Ok(Yaml::Null) => Ok(Vec::new()),
        Ok(_) => Err("the front matter is not a mapping".to_owned()),
        Err(e) => Err(format!("the result is not valid YAML: {e}")),
    }
}

pub(super) fn key_matches(parsed: &Yaml, key: &str) -> bool {
    match parsed {
        Yaml::String(s) => s == key,
        Yaml::Number(n) => n.to_string() == key,
        Yaml::Bool(b) => b.to_string() == key,
        _ => false,
    }
}

/// The typed value an edit writes.
pub(super) fn yaml_of(value: &ScalarValue) -> Yaml {
    match value {
        ScalarValue::Str(s) | ScalarValue::Date(s) => Yaml::String(s.clone()),
        ScalarValue::Bool(b) => Yaml::Bool(*b),
        ScalarValue::Int(i) => Yaml::Number((*i).into()),
        ScalarValue::Float(f) => Yaml::Number((*f).into()),
    }
}

/// Applies `edits` to the YAML source and verifies the result.
pub(super) fn apply(source: &str, edits: &[Edit], eol: &str) -> Result<String, Refusal> {
    let unsupported = |key: &str, reason: String| Refusal::Unsupported {
        key: key.to_owned(),
        reason,
    };
    let mut expected = parse(source).map_err(|r| unsupported("front matter", r))?;
    let mut text = source.to_owned();
    let original = expected.clone();
    for edit in edits {
        text = apply_one(&text, edit, eol, &mut expected)?;
    }
    for edit in edits {
        text = restore_original(source, &original, &text, edit.key());
    }
    let first_key = edits.first().map(Edit::key).unwrap_or_default();
    let actual = parse(&text).map_err(|detail| Refusal::Verify {
        key: first_key.to_owned(),
        detail,
    })?;
    if actual != expected {
        let key = actual
            .iter()
            .zip(expected.iter())
            .find(|(a, e)| a != e)
            .map(|(a, _)| yaml_list::describe(&a.0))
            .unwrap_or_else(|| first_key.to_owned());
        return Err(Refusal::Verify {
            key,
            detail: "another key or the key order would change".to_owned(),
        });
    }
    Ok(text)
}

/// When a key ends up with the value it had in `source`, puts its original lines back,
/// so that a draft edited and edited back saves the original bytes.
fn restore_original(source: &str, original: &[(Yaml, Yaml)], text: &str, key: &str) -> String {
    let unchanged = || text.to_owned();
    let (Ok(now), Some(was)) = (
        parse(text),
        original.iter().position(|(k, _)| key_matches(k, key)),
    ) else {
        return unchanged();
    };
    let Some(is) = now.iter().position(|(k, _)| key_matches(k, key)) else {
        return unchanged();
    };
    if is != was || now.get(is).map(|p| &p.1) != original.get(was).map(|p| &p.1) {
        return unchanged();
    }
    let (old_lines, new_lines) = (lines(source), lines(text));
    let (Ok(old_entries), Ok(new_entries)) = (entries(&old_lines), entries(&new_lines)) else {
        return unchanged();
    };
    let old_span = old_entries
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.span(&old_lines));
    let new_span = new_entries
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.span(&new_lines));
    match (old_span.and_then(|s| source.get(s)), new_span) {
        (Some(old_text), Some(span)) => splice(text, Some(span), old_text, ""),
        _ => unchanged(),
    }
}

fn apply_one(
    text: &str,
    edit: &Edit,
    eol: &str,
    expected: &mut Vec<(Yaml, Yaml)>,
) -> Result<String, Refusal> {
    let key = edit.key();
    let unsupported = |reason: String| Refusal::Unsupported {
        key: key.to_owned(),
        reason,
    };
    let lines = lines(text);
    let entries = entries(&lines).map_err(unsupported)?;
    let current = parse(text).map_err(unsupported)?;
    let keys_agree = entries.len() == current.len()
        && entries
            .iter()
            .zip(current.iter())
            .all(|(e, (k, _))| key_matches(k, &e.key));
    if !keys_agree {
        return Err(unsupported(
            "the front matter uses YAML that Folio does not edit line by line".to_owned(),
        ));
    }
    let found = entries.iter().position(|e| e.key == key);
    let entry = found.and_then(|i| entries.get(i));
    let old = found.and_then(|i| current.get(i)).map(|(_, v)| v);
    if let Some(entry) = entry {
        let value_text = entry.value_text(&lines);
        if value_text.starts_with(['&', '*', '!']) {
            return Err(unsupported(
                "its value uses a YAML anchor, alias or tag".to_owned(),
            ));
        }
    }
    let new_value = match edit {
        Edit::RemoveKey { .. } => None,
        Edit::SetScalar { value, .. } => Some(yaml_of(value)),
        Edit::SetList { .. } | Edit::AddItem { .. } | Edit::RemoveItem { .. } => {
            let items = yaml_list::target_items(edit, old)?;
            Some(Yaml::Sequence(
                items.iter().map(|i| i.value(old)).collect::<Vec<_>>(),
            ))
        }
    };
    if new_value.as_ref() == old {
        return Ok(text.to_owned());
    }
    match (&new_value, found) {
        (Some(v), Some(i)) => {
            if let Some(slot) = expected.get_mut(i) {
                slot.1 = v.clone();
            }
        }
        (Some(v), None) => expected.push((Yaml::String(key.to_owned()), v.clone())),
        (None, Some(i)) if i < expected.len() => {
            expected.remove(i);
        }
        (None, _) => {}
    }
    let replacement = match edit {
        Edit::RemoveKey { .. } => String::new(),
        Edit::SetScalar { value, .. } => scalar_lines(text, &lines, entry, key, value, eol),
        _ => {
            let items = yaml_list::target_items(edit, old)?;
            yaml_list::list_lines(text, &lines, &entries, entry, key, &items, old, eol)?
        }
    };
    Ok(splice(
        text,
        entry.map(|e| e.span(&lines)),
        &replacement,
        eol,
    ))
}

/// Replaces `span` (or appends at the end when `None`) with `replacement`.
pub(super) fn splice(
    text: &str,
    span: Option<std::ops::Range<usize>>,
    replacement: &str,
    eol: &str,
) -> String {
    match span.and_then(|s| Some((text.get(..s.start)?, text.get(s.end..)?))) {
        Some((head, tail)) => format!("{head}{replacement}{tail}"),
        None if text.is_empty() || text.ends_with('\n') => format!("{text}{replacement}"),
        None => format!("{text}{eol}{replacement}"),
    }
}

/// The style a new value of `key` gets when the file gives no hint: the crawler
/// single-quotes titles; everything else is plain when YAML allows.
pub(super) fn default_style(key: &str) -> Style {
    if key == "title" {
        Style::Single
    } else {
        Style::Plain
    }
}

fn render_scalar(value: &ScalarValue, style: Style) -> String {
    match value {
        ScalarValue::Str(s) => quote::render_str(s, style, Context::Block),
        ScalarValue::Date(s) => quote::render_date(s, style),
        ScalarValue::Bool(b) => b.to_string(),
        ScalarValue::Int(i) => i.to_string(),
        ScalarValue::Float(f) if f.is_infinite() && *f > 0.0 => ".inf".to_owned(),
        ScalarValue::Float(f) if f.is_infinite() => "-.inf".to_owned(),
        ScalarValue::Float(f) => format!("{f:?}"),
    }
}

/// The new lines of a scalar entry.
fn scalar_lines(
    text: &str,
    lines: &[Line<'_>],
    entry: Option<&Entry>,
    key: &str,
    value: &ScalarValue,
    eol: &str,
) -> String {
    let Some(entry) = entry else {
        let rendered = render_scalar(value, default_style(key));
        return format!("{}: {rendered}{eol}", quote::render_key(key));
    };
    let Some(line) = lines.get(entry.first) else {
        return String::new();
    };
    let line_eol = match line.eol(text) {
        "" => eol,
        e => e,
    };
    let value_text = entry.value_text(lines);
    let key_part = entry.key_part(lines);
    let one_line = entry.last == entry.first;
    if value_text.is_empty() || value_text.starts_with('#') {
        let comment = if value_text.is_empty() {
            String::new()
        } else {
            format!(" {value_text}")
        };
        let rendered = render_scalar(value, default_style(key));
        return if one_line {
            format!("{key_part} {rendered}{comment}{line_eol}")
        } else {
            format!("{key_part} {rendered}{line_eol}")
        };
    }
    let simple = one_line && !value_text.starts_with(['[', '{', '|', '>']);
    let end = if simple {
        quote::scalar_end(value_text)
    } else {
        None
    };
    let style = quote::style_of(value_text);
    let rendered = render_scalar(value, style);
    match (end, line.content.get(..entry.value_col)) {
        (Some(end), Some(head)) => {
            let suffix = value_text.get(end..).unwrap_or_default();
            format!("{head}{rendered}{suffix}{line_eol}")
        }
        _ => format!("{key_part} {rendered}{line_eol}"),
    }
}

impl ListItem {
    fn value(&self, old: Option<&Yaml>) -> Yaml {
        match (self, old) {
            (ListItem::Original(i), Some(Yaml::Sequence(items))) => {
                items.get(*i).cloned().unwrap_or(Yaml::Null)
            }
            (ListItem::Original(_), _) => Yaml::Null,
            (ListItem::New(s), _) => Yaml::String(s.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(source: &str) -> Vec<(String, usize, usize)> {
        let lines = lines(source);
        entries(&lines)
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.first, e.last))
            .collect()
    }

    #[test]
    fn entries_span_lists_block_scalars_and_multi_line_quotes() {
        let source = "title: '## a\nb''c: d'\ncategories: \n - x\n -  - y\n\n# note\nsummary: >\n  one\n\n  two\n'k': \"v\\\"\n  w\"\n";
        assert_eq!(
            keys(source),
            [
                ("title".to_owned(), 0, 1),
                ("categories".to_owned(), 2, 4),
                ("summary".to_owned(), 7, 10),
                ("k".to_owned(), 11, 12),
            ]
        );
    }

    #[test]
    fn unknown_constructs_are_refused() {
        for source in [
            "{a: 1}\n",
            "? a\n: b\n",
            "- a\n",
            "a: 1\na: 2\n",
            "t: 'open\n",
        ] {
            assert!(entries(&lines(source)).is_err(), "{source}");
        }
    }
}
