//! What a Duplicates view needs beyond the groups: which member to keep by a rule, and
//! the members' texts with their differences marked.

use std::path::Path;
use std::time::Duration;

use similar::{ChangeTag, TextDiff};

use super::{DupGroup, Member};
use crate::archive::{DEFAULT_MAX_FILE_BYTES, load_post};

/// How the post to keep is chosen in a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum KeepRule {
    /// The first published (posts without a readable date come last).
    #[default]
    EarliestDate,
    /// The one with the most text.
    LongestBody,
    /// One whose list shows an image.
    HasImage,
}

/// The index (into `group.members`) of the post `rule` keeps; `None` for an empty group.
///
/// Ties go to the next criterion in the order earliest date, longest body, has an image
/// (starting after the rule's own), then to the first path, so the choice is stable.
pub fn keep_index(group: &DupGroup, rule: KeepRule) -> Option<usize> {
    let criteria: [fn(&Member, &Member) -> std::cmp::Ordering; 3] = match rule {
        KeepRule::EarliestDate => [by_date, by_length, by_image],
        KeepRule::LongestBody => [by_length, by_image, by_date],
        KeepRule::HasImage => [by_image, by_length, by_date],
    };
    group
        .members
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| {
            criteria
                .iter()
                .fold(std::cmp::Ordering::Equal, |order, better| {
                    order.then_with(|| better(a, b))
                })
                .then_with(|| a.path.cmp(&b.path))
        })
        .map(|(i, _)| i)
}

fn by_date(a: &Member, b: &Member) -> std::cmp::Ordering {
    match (a.date_secs, b.date_secs) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

fn by_length(a: &Member, b: &Member) -> std::cmp::Ordering {
    b.content_chars.cmp(&a.content_chars)
}

fn by_image(a: &Member, b: &Member) -> std::cmp::Ordering {
    b.has_image.cmp(&a.has_image)
}

/// A post's cleaned body as plain text without images: the text the rules compared, for
/// showing members side by side. Reading problems (unreadable, binary, too large) give
/// their message, naming the file.
pub fn member_text(root: &Path, relative: &Path) -> Result<String, String> {
    let post = load_post(root, relative, DEFAULT_MAX_FILE_BYTES);
    if let Some(problem) = post.article.read_blocker() {
        return Err(format!("{}: {}", problem.message, relative.display()));
    }
    Ok(super::fingerprint::compared_text(&post))
}

/// One run of a text comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextChange {
    /// Text both have.
    Same(String),
    /// Text only the first has.
    Removed(String),
    /// Text only the second has.
    Added(String),
}

/// The differences between two members' texts, character by character (Chinese has no
/// spaces to split words at), as runs. Gives up refining after a fraction of a second on
/// very long, very different texts: the runs are then coarser but still complete.
pub fn text_changes(first: &str, second: &str) -> Vec<TextChange> {
    let diff = TextDiff::configure()
        .timeout(Duration::from_millis(300))
        .diff_chars(first, second);
    let mut out: Vec<TextChange> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match (out.last_mut(), change.tag()) {
            (Some(TextChange::Same(run)), ChangeTag::Equal)
            | (Some(TextChange::Removed(run)), ChangeTag::Delete)
            | (Some(TextChange::Added(run)), ChangeTag::Insert) => run.push_str(text),
            (_, ChangeTag::Equal) => out.push(TextChange::Same(text.to_owned())),
            (_, ChangeTag::Delete) => out.push(TextChange::Removed(text.to_owned())),
            (_, ChangeTag::Insert) => out.push(TextChange::Added(text.to_owned())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dups::DupKind;

    fn member(path: &str, date_secs: Option<i64>, content_chars: usize, has_image: bool) -> Member {
        Member {
            article: 0,
            path: path.into(),
            date_secs,
            content_chars,
            has_image,
            text_class: 0,
        }
    }

    #[test]
    fn each_rule_picks_its_post_and_ties_fall_through() {
        let group = DupGroup {
            kind: DupKind::Near,
            similarity: 0.8,
            members: vec![
                member("a.md", Some(300), 900, false),
                member("b.md", Some(100), 500, false),
                member("c.md", None, 1200, false),
                member("d.md", Some(100), 500, true),
            ],
        };
        assert_eq!(
            keep_index(&group, KeepRule::EarliestDate),
            Some(3),
            "b and d tie on date; d has an image"
        );
        assert_eq!(keep_index(&group, KeepRule::LongestBody), Some(2));
        assert_eq!(keep_index(&group, KeepRule::HasImage), Some(3));
        let empty = DupGroup {
            members: Vec::new(),
            ..group
        };
        assert_eq!(keep_index(&empty, KeepRule::HasImage), None);
    }

    #[test]
    fn changes_mark_what_differs() {
        let changes = text_changes("7月9日北京无新增", "7月10日北京无新增");
        assert_eq!(
            changes,
            [
                TextChange::Same("7月".into()),
                TextChange::Removed("9".into()),
                TextChange::Added("10".into()),
                TextChange::Same("日北京无新增".into()),
            ]
        );
    }
}
