//! Which side panels the window shows and how wide they may be, so that the article
//! always keeps a readable measure.
//!
//! The article needs about [`ARTICLE_MIN`] points (some 27 Chinese characters at the
//! body size). The list always shows; the front-matter editor and the facets show when
//! wanted and when they fit beside it at their minimum widths — the editor first, the
//! facets after. When only one of them fits, the one the person opened last wins.
//! Panels keep the widths a person dragged them to, but never more than their share of
//! the room the article leaves: they shrink before the article does.

/// The article's minimum width, in points.
pub const ARTICLE_MIN: f32 = 420.0;
/// Below this window width the article settles for less.
const NARROW_ARTICLE_MIN: f32 = 320.0;

/// A side panel that can be hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Facets,
    Editor,
}

/// Widths in points: (minimum, preferred).
const FACETS: (f32, f32) = (150.0, 220.0);
const LIST: (f32, f32) = (260.0, 420.0);
const EDITOR: (f32, f32) = (250.0, 320.0);

/// The panels to draw this frame and the most each may take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    pub facets: Option<f32>,
    pub list: f32,
    pub editor: Option<f32>,
}

impl Layout {
    pub const FACETS_MIN: f32 = FACETS.0;
    pub const LIST_MIN: f32 = LIST.0;
    pub const EDITOR_MIN: f32 = EDITOR.0;
    pub const FACETS_DEFAULT: f32 = FACETS.1;
    pub const LIST_DEFAULT: f32 = LIST.1;
    pub const EDITOR_DEFAULT: f32 = EDITOR.1;

    /// The layout for a window `width` points wide, with the panels the person wants
    /// and the one they opened last (which wins when only one fits).
    pub fn plan(width: f32, want_facets: bool, want_editor: bool, last: Option<Side>) -> Self {
        Self::plan_with(LIST, width, want_facets, want_editor, last)
    }

    /// The layout when the centre shows the result itself (the table, the card grid):
    /// no list, and the centre keeps the article's measure.
    pub fn plan_without_list(
        width: f32,
        want_facets: bool,
        want_editor: bool,
        last: Option<Side>,
    ) -> Self {
        Self::plan_with((0.0, 0.0), width, want_facets, want_editor, last)
    }

    fn plan_with(
        list: (f32, f32),
        width: f32,
        want_facets: bool,
        want_editor: bool,
        last: Option<Side>,
    ) -> Self {
        let article = if width < list.0 + EDITOR.0 + ARTICLE_MIN {
            NARROW_ARTICLE_MIN
        } else {
            ARTICLE_MIN
        };
        let room = width - article;
        let fits = |panels: f32| list.0 + panels <= room;
        let (mut facets, mut editor) = (want_facets, want_editor);
        if facets && editor && !fits(FACETS.0 + EDITOR.0) {
            match last {
                Some(Side::Facets) => editor = false,
                _ => facets = false,
            }
        }
        editor &= fits(EDITOR.0);
        facets &= fits(FACETS.0 + if editor { EDITOR.0 } else { 0.0 });
        let preferred =
            list.1 + if facets { FACETS.1 } else { 0.0 } + if editor { EDITOR.1 } else { 0.0 };
        let share = |(min, pref): (f32, f32)| (room * pref / preferred.max(1.0)).max(min);
        Self {
            facets: facets.then(|| share(FACETS)),
            list: share(list),
            editor: editor.then(|| share(EDITOR)),
        }
    }

    /// Whether `side` is shown.
    pub fn shows(&self, side: Side) -> bool {
        match side {
            Side::Facets => self.facets.is_some(),
            Side::Editor => self.editor.is_some(),
        }
    }
}

/// What showing or hiding `side` takes: hiding a shown panel turns it off; showing a
/// hidden one makes it the last opened (so it wins the room) and turns it on if it was
/// off. Returns the command to apply, if the setting changes.
pub fn toggle(
    side: Side,
    state: &crate::app::AppState,
    ui_state: &mut crate::app::UiState,
) -> Option<crate::app::Command> {
    use crate::app::Command;
    let shown = ui_state.layout.is_some_and(|l| l.shows(side));
    let wanted = match side {
        Side::Facets => state.settings.show_facets,
        Side::Editor => state.settings.show_editor,
    };
    let command = match side {
        Side::Facets => Command::ToggleFacets,
        Side::Editor => Command::ToggleEditor,
    };
    if shown {
        return Some(command);
    }
    ui_state.last_side = Some(side);
    (!wanted).then_some(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article_width(width: f32, layout: &Layout) -> f32 {
        width - layout.list - layout.facets.unwrap_or(0.0) - layout.editor.unwrap_or(0.0)
    }

    #[test]
    fn the_article_keeps_its_measure_at_every_common_size() {
        for width in [1024.0, 1280.0, 1366.0, 1440.0, 1920.0] {
            let layout = Layout::plan(width, true, true, None);
            assert!(
                article_width(width, &layout) >= ARTICLE_MIN - 0.5,
                "{width}: {layout:?}"
            );
            assert!(layout.editor.is_some(), "{width}");
        }
        // Too narrow for the facets beside the editor: they wait for a toggle.
        assert!(Layout::plan(1024.0, true, true, None).facets.is_none());
        assert!(Layout::plan(1366.0, true, true, None).facets.is_some());
    }

    #[test]
    fn when_only_one_side_panel_fits_the_last_opened_wins() {
        let layout = Layout::plan(1024.0, true, true, Some(Side::Facets));
        assert!(layout.facets.is_some() && layout.editor.is_none());
        let layout = Layout::plan(1024.0, true, true, Some(Side::Editor));
        assert!(layout.facets.is_none() && layout.editor.is_some());
    }

    #[test]
    fn without_the_list_the_table_gets_its_room() {
        let layout = Layout::plan_without_list(1024.0, true, true, None);
        assert_eq!(layout.list, 0.0);
        assert!(layout.editor.is_some() && layout.facets.is_some());
        assert!(article_width(1024.0, &layout) >= ARTICLE_MIN - 0.5);
    }

    #[test]
    fn a_small_window_keeps_the_list_and_a_narrower_article() {
        let layout = Layout::plan(660.0, true, true, None);
        assert!(layout.facets.is_none() && layout.editor.is_none());
        assert!(article_width(660.0, &layout) >= NARROW_ARTICLE_MIN - 0.5);
    }
}
