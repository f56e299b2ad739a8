//! Fixing broken front matter in the window: the text between the fences (for a block
//! that is never closed, everything after its opening line) edited as text, checked
//! again on every change, and saved through the normal save with its conflict check.
//!
//! Only front matter that cannot be edited key by key but can be saved back gets this
//! editor: a YAML or TOML syntax error, a block that is not a mapping, a block never
//! closed. Damaged bytes, binary and oversized files cannot be rewritten safely at all.
//! Once the text parses and is saved, the post reloads with its typed fields.

use crate::archive::{Post, Problem, ProblemKind, parse_bytes, split};

/// Front matter longer than this is not edited as text here (use another editor).
pub const MAX_RAW_BYTES: usize = 256 * 1024;

/// The broken front matter being edited.
#[derive(Clone, Debug)]
pub struct RawDraft {
    /// The text before the edited part (the opening fence) and after it (the closing
    /// fence and the body; empty for a block never closed).
    head: String,
    tail: String,
    original: String,
    current: String,
    /// The problem the current text still has, if any.
    problem: Option<Problem>,
    /// The problem's line within the edited text (0-based), to highlight it.
    problem_row: Option<usize>,
    first_line: usize,
    path: std::path::PathBuf,
}

impl RawDraft {
    /// The raw editor for `post`, when its front matter is broken in a way text editing
    /// can fix.
    pub fn of_post(post: &Post) -> Option<Self> {
        let blocker = post.article.edit_blocker()?;
        if !matches!(
            blocker.kind,
            ProblemKind::Syntax | ProblemKind::NotAMapping | ProblemKind::Unterminated
        ) || post.article.save_blocker().is_some()
        {
            return None;
        }
        let layout = split(&post.text);
        let inner = layout.inner?;
        let text = post.text.get(inner.clone())?;
        if text.len() > MAX_RAW_BYTES {
            return None;
        }
        let mut draft = Self {
            head: post.text.get(..inner.start)?.to_owned(),
            tail: post.text.get(inner.end..)?.to_owned(),
            original: text.to_owned(),
            current: text.to_owned(),
            problem: None,
            problem_row: None,
            first_line: layout.inner_first_line,
            path: post.article.path.clone(),
        };
        draft.recheck();
        Some(draft)
    }

    pub fn text(&self) -> &str {
        &self.current
    }

    pub fn is_dirty(&self) -> bool {
        self.current != self.original
    }

    /// Replaces the edited text and checks it again.
    pub fn edit(&mut self, text: String) {
        if text != self.current {
            self.current = text;
            self.recheck();
        }
    }

    /// Back to the text on disk.
    pub fn revert(&mut self) {
        self.edit(self.original.clone());
    }

    /// The whole file's text with the edit.
    pub fn new_text(&self) -> String {
        format!("{}{}{}", self.head, self.current, self.tail)
    }

    /// What is still wrong, if anything.
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    /// The 0-based row of the edited text the problem is on.
    pub fn problem_row(&self) -> Option<usize> {
        self.problem_row
    }

    fn recheck(&mut self) {
        let checked = parse_bytes(self.path.clone(), None, self.new_text().into_bytes());
        self.problem = checked.article.edit_blocker().cloned();
        self.problem_row = self
            .problem
            .as_ref()
            .and_then(|p| p.line)
            .and_then(|line| line.checked_sub(self.first_line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(text: &str) -> Post {
        parse_bytes("a.md".into(), None, text.as_bytes().to_vec())
    }

    #[test]
    fn a_syntax_error_is_edited_and_rechecked() {
        let p = post("---\ntitle: [broken\ndate: 2021-01-01\n---\nbody\n");
        let mut d = RawDraft::of_post(&p).unwrap();
        assert_eq!(d.text(), "title: [broken\ndate: 2021-01-01\n");
        assert!(d.problem().is_some());
        d.edit("title: fixed\ndate: 2021-01-01\n".to_owned());
        assert!(d.problem().is_none());
        assert!(d.is_dirty());
        assert_eq!(
            d.new_text(),
            "---\ntitle: fixed\ndate: 2021-01-01\n---\nbody\n"
        );
    }

    #[test]
    fn an_unclosed_block_is_edited_with_the_text_after_it() {
        let p = post("---\ntitle: x\nbody text\n");
        let mut d = RawDraft::of_post(&p).unwrap();
        assert_eq!(d.text(), "title: x\nbody text\n");
        d.edit("title: x\n---\nbody text\n".to_owned());
        assert!(d.problem().is_none());
    }

    #[test]
    fn good_or_damaged_posts_get_no_raw_editor() {
        assert!(RawDraft::of_post(&post("---\ntitle: x\n---\n")).is_none());
        let mut bytes = "---\ntitle: [新浪财经新浪财经新浪财经\n---\n正文"
            .as_bytes()
            .to_vec();
        bytes.push(0xE6);
        assert!(RawDraft::of_post(&parse_bytes("a.md".into(), None, bytes)).is_none());
    }
}
