//! The list's multiple selection: the posts a bulk edit applies to.
//!
//! The open post (what the article view shows) is the list's cursor; the marked set is
//! the selection around it. A plain click marks only the clicked post, Ctrl+click
//! (Cmd on macOS) adds or removes one, Shift+click and Shift+↑/↓ extend a range from
//! the anchor (the last post clicked without Shift), Ctrl+A marks every post of the
//! current result, Esc goes back to the open post alone. Ids are kept sorted, so a
//! selection of the whole archive is one flat vector.

use super::catalog::ArticleId;

/// The marked posts and the anchor ranges start from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marked {
    ids: Vec<ArticleId>,
    anchor: Option<ArticleId>,
}

impl Marked {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The marked ids, ascending.
    pub fn ids(&self) -> &[ArticleId] {
        &self.ids
    }

    pub fn contains(&self, id: ArticleId) -> bool {
        self.ids.binary_search(&id).is_ok()
    }

    /// Marks `id` alone; it becomes the anchor.
    pub fn only(&mut self, id: ArticleId) {
        self.ids = vec![id];
        self.anchor = Some(id);
    }

    /// Adds or removes `id`; it becomes the anchor.
    pub fn toggle(&mut self, id: ArticleId) {
        match self.ids.binary_search(&id) {
            Ok(at) => {
                self.ids.remove(at);
            }
            Err(at) => self.ids.insert(at, id),
        }
        self.anchor = Some(id);
    }

    /// Marks the rows of `visible` from the anchor to `id` (the anchor stays).
    pub fn extend_to(&mut self, id: ArticleId, visible: &[ArticleId]) {
        let Some(anchor) = self.anchor else {
            self.only(id);
            return;
        };
        let (Some(a), Some(b)) = (
            visible.iter().position(|&v| v == anchor),
            visible.iter().position(|&v| v == id),
        ) else {
            self.only(id);
            return;
        };
        let (from, to) = if a <= b { (a, b) } else { (b, a) };
        let mut ids: Vec<ArticleId> = visible
            .get(from..=to)
            .map(<[ArticleId]>::to_vec)
            .unwrap_or_default();
        ids.sort_unstable();
        self.ids = ids;
    }

    /// Marks every post of `visible`.
    pub fn all(&mut self, visible: &[ArticleId]) {
        let mut ids = visible.to_vec();
        ids.sort_unstable();
        self.ids = ids;
    }

    /// Forgets posts no longer in the archive (moved to the trash).
    pub fn retain(&mut self, keep: impl Fn(ArticleId) -> bool) {
        self.ids.retain(|&id| keep(id));
        if self.anchor.is_some_and(|a| !keep(a)) {
            self.anchor = None;
        }
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.anchor = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn click_ctrl_click_and_shift_click() {
        let visible = [9, 3, 7, 1, 5];
        let mut m = Marked::default();
        m.only(3);
        m.extend_to(1, &visible);
        assert_eq!(m.ids(), [1, 3, 7]);
        m.toggle(5);
        assert_eq!(m.ids(), [1, 3, 5, 7]);
        assert!(m.contains(5));
        // The anchor is now 5: a range back up to 7.
        m.extend_to(7, &visible);
        assert_eq!(m.ids(), [1, 5, 7]);
        m.all(&visible);
        assert_eq!(m.len(), 5);
        m.retain(|id| id != 9);
        assert_eq!(m.ids(), [1, 3, 5, 7]);
    }
}
