//! What Folio remembers between runs: last and recent folders, sort, theme, panels,
//! offline mode for images, the layout of the result and the table's columns.
//!
//! Stored through eframe's persistence (a RON file in the platform's data folder), so
//! the window geometry and egui's own memory (panel widths) are saved beside it by
//! eframe; this struct holds only Folio's choices. Unknown or broken stored values fall
//! back to defaults instead of failing the start.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::index::SortKey;

/// Key under which the settings are stored.
pub const STORAGE_KEY: &str = "folio.settings";

/// How many recent folders the File menu keeps.
pub const MAX_RECENT: usize = 10;

/// Light, dark, or whatever the system says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub last_folder: Option<PathBuf>,
    pub recent: Vec<PathBuf>,
    pub sort: SortKey,
    pub descending: bool,
    pub theme: ThemeChoice,
    pub show_facets: bool,
    /// Show the front-matter editor (right panel).
    pub show_editor: bool,
    pub search_bodies: bool,
    /// Make no network request for images (placeholders instead).
    pub offline: bool,
    /// Fetch images from local addresses too (loopback, LAN, link-local) and from any
    /// port; off by default, so that a post cannot make Folio reach the local network.
    pub allow_local_images: bool,
    /// Follow changes other programs make to the open archive's files.
    pub watch_disk: bool,
    /// How the result was shown last: the list, the table or the card grid.
    pub layout: crate::views::ViewLayout,
    /// The table's columns by name, in order (empty: the default columns).
    pub table_columns: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            last_folder: None,
            recent: Vec::new(),
            sort: SortKey::Date,
            descending: true,
            theme: ThemeChoice::System,
            show_facets: true,
            show_editor: true,
            search_bodies: false,
            offline: false,
            allow_local_images: false,
            watch_disk: true,
            layout: crate::views::ViewLayout::List,
            table_columns: Vec::new(),
        }
    }
}

impl Settings {
    /// Reads the stored settings, or defaults.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default()
    }

    pub fn store(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, self);
    }

    /// Records `folder` as the last opened one, at the top of the recent list.
    pub fn remember_folder(&mut self, folder: &Path) {
        self.last_folder = Some(folder.to_owned());
        self.recent.retain(|p| p != folder);
        self.recent.insert(0, folder.to_owned());
        self.recent.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_folders_are_unique_newest_first_and_bounded() {
        let mut s = Settings::default();
        for i in 0..15 {
            s.remember_folder(Path::new(&format!("/a/{i}")));
        }
        s.remember_folder(Path::new("/a/3"));
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0], PathBuf::from("/a/3"));
        assert_eq!(
            s.recent.iter().filter(|p| **p == Path::new("/a/3")).count(),
            1
        );
    }
}
