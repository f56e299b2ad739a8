//! Writing YAML list values for the span editor in [`super::yaml`].
//!
//! A list edit is planned as a sequence of [`ListItem`]s: items the list already had
//! (written back with their original text, so removing one item deletes exactly its
//! lines) and new strings. A block list keeps its key line (the crawler's trailing space
//! after `categories:` included) and its item indentation (` - ` or `    - `); a one-line
//! flow list (`tags: ['a', b]`) stays a flow list; a key that held no list gets a block
//! list in the style of another list in the same file.

use yaml_serde::Value as Yaml;

use super::quote::{self, Context, Style};
use super::yaml::{Entry, Line};
use super::{Edit, Refusal};

/// One item of a planned list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ListItem {
    /// The item at this index of the current list, kept as written.
    Original(usize),
    /// A new string item.
    New(String),
}

/// Plans the items of the list after `edit`, given the key's current value.
pub(super) fn target_items(edit: &Edit, old: Option<&Yaml>) -> Result<Vec<ListItem>, Refusal> {
    let key = edit.key();
    let not_a_list = || Refusal::BadValue {
        key: key.to_owned(),
        reason: "it is not a list".to_owned(),
    };
    let old_items: &[Yaml] = match old {
        Some(Yaml::Sequence(items)) => items,
        None | Some(Yaml::Null) => &[],
        Some(_) if matches!(edit, Edit::SetList { .. }) => &[],
        Some(_) => return Err(not_a_list()),
    };
    match edit {
        Edit::SetList { items, .. } => {
            let mut used = vec![false; old_items.len()];
            let mut out = Vec::with_capacity(items.len());
            for (position, item) in items.iter().enumerate() {
                let wanted = Yaml::String(item.clone());
                let same_place =
                    old_items.get(position) == Some(&wanted) && used.get(position) == Some(&false);
                let reuse = if same_place {
                    Some(position)
                } else {
                    (0..old_items.len())
                        .find(|&j| used.get(j) == Some(&false) && old_items.get(j) == Some(&wanted))
                };
                match reuse {
                    Some(j) => {
                        if let Some(flag) = used.get_mut(j) {
                            *flag = true;
                        }
                        out.push(ListItem::Original(j));
                    }
                    None => out.push(ListItem::New(item.clone())),
                }
            }
            Ok(out)
        }
        Edit::AddItem { item, .. } => {
            let mut out: Vec<ListItem> = (0..old_items.len()).map(ListItem::Original).collect();
            out.push(ListItem::New(item.clone()));
            Ok(out)
        }
        Edit::RemoveItem { index, .. } => {
            if *index >= old_items.len() {
                return Err(Refusal::BadValue {
                    key: key.to_owned(),
                    reason: format!(
                        "there is no item {} (the list has {})",
                        index + 1,
                        old_items.len()
                    ),
                });
            }
            Ok((0..old_items.len())
                .filter(|j| j != index)
                .map(ListItem::Original)
                .collect())
        }
        Edit::SetScalar { .. } | Edit::RemoveKey { .. } => Err(not_a_list()),
    }
}

/// The block-list items of an entry: for each item, its first and last line index.
struct BlockList {
    items: Vec<(usize, usize)>,
    /// The text before an item's value (`' - '`, `'    - '`).
    prefix: String,
    style: Style,
}

fn block_list(lines: &[Line<'_>], entry: &Entry) -> Option<BlockList> {
    let value_text = entry.value_text(lines);
    if !(value_text.is_empty() || value_text.starts_with('#')) {
        return None;
    }
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut item_indent = None;
    let mut prefix = None;
    for i in entry.first + 1..=entry.last {
        let line = lines.get(i)?;
        let rest = line.content.trim_start_matches([' ', '\t']);
        let is_item = rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t");
        if is_item && item_indent.is_none_or(|indent| indent == line.indent()) {
            item_indent = Some(line.indent());
            items.push((i, i));
            let after_dash = rest.get(1..).unwrap_or_default();
            let value = after_dash.trim_start_matches([' ', '\t']);
            if prefix.is_none() && !value.is_empty() && !value.starts_with(['-', '[', '{', '#']) {
                let head = line.content.len() - value.len();
                prefix = line
                    .content
                    .get(..head)
                    .map(|p| (p.to_owned(), quote::style_of(value)));
            }
        } else if let Some(last) = items.last_mut() {
            last.1 = i;
        }
    }
    let indent = " ".repeat(item_indent?);
    let (prefix, style) = prefix.unwrap_or((format!("{indent}- "), Style::Plain));
    Some(BlockList {
        items,
        prefix,
        style,
    })
}

/// The new lines of a list entry (replacing `entry`'s lines, or appended when `None`).
#[allow(clippy::too_many_arguments)]
pub(super) fn list_lines(
    text: &str,
    lines: &[Line<'_>],
    entries: &[Entry],
    entry: Option<&Entry>,
    key: &str,
    items: &[ListItem],
    old: Option<&Yaml>,
    eol: &str,
) -> Result<String, Refusal> {
    let key_part = match entry {
        Some(e) => e.key_part(lines).to_owned(),
        None => format!("{}:", quote::render_key(key)),
    };
    let line_eol = entry
        .and_then(|e| lines.get(e.first))
        .map(|l| l.eol(text))
        .filter(|e| !e.is_empty())
        .unwrap_or(eol);
    if items.is_empty() {
        return Ok(format!("{key_part} []{line_eol}"));
    }
    let old_len = match old {
        Some(Yaml::Sequence(s)) => s.len(),
        _ => 0,
    };
    if let Some(entry) = entry {
        if let Some(list) = block_list(lines, entry).filter(|l| l.items.len() == old_len) {
            return Ok(rewrite_block(text, lines, entry, &list, items, line_eol));
        }
        let value_text = entry.value_text(lines);
        if value_text.starts_with('[') && entry.first == entry.last {
            return rewrite_flow(lines, entry, key, items, old, line_eol);
        }
    }
    // A fresh block list, in the style of another block list in this file.
    let model = entries
        .iter()
        .filter(|e| Some(e.first) != entry.map(|x| x.first))
        .find_map(|e| Some((e, block_list(lines, e)?)));
    let (key_suffix, prefix, style) = match model {
        Some((e, list)) => {
            let line = lines.get(e.first).map(|l| l.content).unwrap_or_default();
            let suffix = line.get(e.colon_end..).unwrap_or_default();
            let suffix = if suffix.trim().is_empty() { suffix } else { "" };
            (suffix.to_owned(), list.prefix, list.style)
        }
        None => (String::new(), "- ".to_owned(), Style::Plain),
    };
    let mut out = format!("{key_part}{key_suffix}{line_eol}");
    for item in items {
        let value = item_text(key, item, old, style, Context::Block)?;
        out.push_str(&format!("{prefix}{value}{line_eol}"));
    }
    Ok(out)
}

fn rewrite_block(
    text: &str,
    lines: &[Line<'_>],
    entry: &Entry,
    list: &BlockList,
    items: &[ListItem],
    line_eol: &str,
) -> String {
    let start = lines.get(entry.first).map_or(0, |l| l.start);
    let head_end = list
        .items
        .first()
        .and_then(|(i, _)| lines.get(*i))
        .map_or(start, |l| l.start);
    let item_eol = list
        .items
        .first()
        .and_then(|(i, _)| lines.get(*i))
        .map(|l| l.eol(text))
        .filter(|e| !e.is_empty())
        .unwrap_or(line_eol);
    let mut out = text.get(start..head_end).unwrap_or_default().to_owned();
    for item in items {
        match item {
            ListItem::Original(j) => {
                let span = list.items.get(*j).and_then(|(first, last)| {
                    Some(lines.get(*first)?.start..lines.get(*last)?.end)
                });
                let original = span.and_then(|s| text.get(s)).unwrap_or_default();
                out.push_str(original);
                if !original.ends_with('\n') {
                    out.push_str(item_eol);
                }
            }
            ListItem::New(s) => {
                let value = quote::render_str(s, list.style, Context::Block);
                out.push_str(&format!("{}{value}{item_eol}", list.prefix));
            }
        }
    }
    out
}

fn rewrite_flow(
    lines: &[Line<'_>],
    entry: &Entry,
    key: &str,
    items: &[ListItem],
    old: Option<&Yaml>,
    line_eol: &str,
) -> Result<String, Refusal> {
    let value_text = entry.value_text(lines);
    let head = lines
        .get(entry.first)
        .and_then(|l| l.content.get(..entry.value_col))
        .unwrap_or_default();
    let Some(flow) = flow_items(value_text) else {
        return Err(Refusal::Unsupported {
            key: key.to_owned(),
            reason: "its flow list spans more than the line".to_owned(),
        });
    };
    let old_len = match old {
        Some(Yaml::Sequence(s)) => s.len(),
        _ => 0,
    };
    let originals = (flow.items.len() == old_len).then_some(&flow.items);
    let style = flow
        .items
        .first()
        .map_or(Style::Plain, |first| quote::style_of(first));
    let rendered = items
        .iter()
        .map(|item| match (item, originals) {
            (ListItem::Original(j), Some(texts)) => texts
                .get(*j)
                .map(|t| (*t).to_owned())
                .ok_or_else(|| Refusal::Unsupported {
                    key: key.to_owned(),
                    reason: "the list changed while it was edited".to_owned(),
                }),
            _ => item_text(key, item, old, style, Context::Flow),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let suffix = value_text.get(flow.close_end..).unwrap_or_default();
    Ok(format!(
        "{head}[{}]{suffix}{line_eol}",
        rendered.join(flow.separator)
    ))
}

/// The items of a one-line flow list, as written.
struct FlowList<'a> {
    items: Vec<&'a str>,
    /// Offset just after the closing `]`.
    close_end: usize,
    separator: &'static str,
}

/// Splits `[a, 'b, c', [d]]` into its top-level item texts; `None` when the list does
/// not close on this line.
fn flow_items(value_text: &str) -> Option<FlowList<'_>> {
    let bytes = value_text.as_bytes();
    if bytes.first() != Some(&b'[') {
        return None;
    }
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut item_start = 1usize;
    let mut i = 1usize;
    let mut separator = ", ";
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\'' | b'"' => {
                let end = quote::scalar_end(value_text.get(i..)?)?;
                i += end;
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth > 0 => depth -= 1,
            b',' if depth == 0 => {
                items.push(value_text.get(item_start..i)?.trim());
                if bytes.get(i + 1) != Some(&b' ') {
                    separator = ",";
                }
                item_start = i + 1;
            }
            b']' => {
                let last = value_text.get(item_start..i)?.trim();
                if !last.is_empty() || !items.is_empty() {
                    items.push(last);
                }
                return Some(FlowList {
                    items,
                    close_end: i + 1,
                    separator,
                });
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The text of one item when it cannot be copied from the file.
fn item_text(
    key: &str,
    item: &ListItem,
    old: Option<&Yaml>,
    style: Style,
    context: Context,
) -> Result<String, Refusal> {
    match (item, old) {
        (ListItem::New(s), _) => Ok(quote::render_str(s, style, context)),
        (ListItem::Original(j), Some(Yaml::Sequence(items))) => match items.get(*j) {
            Some(Yaml::String(s)) => Ok(quote::render_str(s, style, context)),
            _ => Err(Refusal::Unsupported {
                key: key.to_owned(),
                reason: "the list holds nested values written in a way Folio does not rewrite"
                    .to_owned(),
            }),
        },
        (ListItem::Original(_), _) => Err(Refusal::Unsupported {
            key: key.to_owned(),
            reason: "the list changed while it was edited".to_owned(),
        }),
    }
}

/// A key for messages.
pub(super) fn describe(key: &Yaml) -> String {
    match key {
        Yaml::String(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_items_respect_quotes_and_nesting() {
        let flow = flow_items("[jekyll, 'a, b', \"c]\", [['byte']]] # tags").unwrap();
        assert_eq!(flow.items, ["jekyll", "'a, b'", "\"c]\"", "[['byte']]"]);
        assert_eq!(flow.close_end, 34);
        assert_eq!(flow_items("[]").unwrap().items, Vec::<&str>::new());
        assert!(flow_items("[a,").is_none());
    }
}
