//! Saved views: named searches an editor returns to ("金融 without image", "posts with
//! problems"), stored with the archive so they travel with it and its git repository.
//!
//! A view is the search box's text, the facet choices (category path, authors, years,
//! only problems), the sort, and how the result is shown: the list, the table with its
//! columns, or the card grid. The list is a TOML file at the archive root,
//! [`VIEWS_FILE`], readable and editable by hand:
//!
//! ```toml
//! [[view]]
//! name = "金融 without image"
//! query = "cat:金融 -is:image"
//! sort = "date"
//! descending = true
//!
//! [[view]]
//! name = "36kr authors"
//! category = ["新媒体", "36kr"]
//! sort = "author"            # any table column
//! layout = "table"           # list, table or grid
//! columns = ["title", "author", "date", "source"]
//! ```
//!
//! Every key but `name` may be left out. `sort` is `date`, `title`, `source`,
//! `modified`, `path`, `relevance`, or the name of any table column
//! ([`crate::table::Column`]). The file is edited with `toml_edit`, so comments
//! and keys written by hand survive Folio's saves, and views keep the order of the file.
//! A malformed file is an error naming it and is never replaced: saving refuses when the
//! file on disk is not the one that was read (malformed, edited meanwhile, created since).

use std::io;
use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::archive::{SharedToml, SharedTomlError};
use crate::index::{Query, SortKey};

/// Where the list lives, relative to the archive root.
pub const VIEWS_FILE: &str = ".folio/views.toml";
const KEY: &str = "view";
const HEADER: &str = "# Saved views of this archive, as Folio lists them in its sidebar: a search\n\
# (`query`, in the search box's syntax), facet choices (`category`, `authors`, `years`,\n\
# `only_problems`), the sort (`sort`: date, title, source, modified, path or any\n\
# table column; `descending`) and the layout (`layout`: list, table or grid; the\n\
# table's `columns`). This file may be edited by hand.\n\n";

/// One saved view.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct View {
    pub name: String,
    pub query: String,
    pub category: Vec<String>,
    pub authors: Vec<String>,
    pub years: Vec<i32>,
    pub only_problems: bool,
    pub sort: SortKey,
    /// A table column the result is sorted by instead of `sort` (`descending` applies).
    pub sort_column: Option<String>,
    pub descending: bool,
    pub layout: ViewLayout,
    /// The table's columns, by name (empty: as they are).
    pub columns: Vec<String>,
}

/// How a view (or the window, between runs) shows its posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ViewLayout {
    #[default]
    List,
    Table,
    Grid,
}

impl ViewLayout {
    fn name(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Table => "table",
            Self::Grid => "grid",
        }
    }

    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "list" => Self::List,
            "table" => Self::Table,
            "grid" => Self::Grid,
            _ => return None,
        })
    }
}

impl View {
    /// A view named `name` of what `query` shows.
    pub fn of_query(name: &str, query: &Query) -> Self {
        Self {
            name: name.trim().to_owned(),
            query: query.text.clone(),
            category: query.category_path.clone(),
            authors: query.authors.clone(),
            years: query.years.clone(),
            only_problems: query.only_problems,
            sort: query.sort,
            descending: query.descending,
            ..Self::default()
        }
    }

    /// The query this view shows.
    pub fn query(&self) -> Query {
        Query {
            text: self.query.clone(),
            category_path: self.category.clone(),
            authors: self.authors.clone(),
            years: self.years.clone(),
            only_problems: self.only_problems,
            sort: self.sort,
            descending: self.descending,
            // The git facet follows the working tree, not the view; `is:changed` in
            // the query saves it.
            ..Query::default()
        }
    }
}

/// Why the list could not be read or saved. Each message names the file last.
#[derive(Debug, thiserror::Error)]
pub enum ViewsError {
    #[error("cannot read the saved views: {source}: {}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("the saved views are not valid ({message}); fix or remove the file: {}", path.display())]
    Malformed { path: PathBuf, message: String },
    #[error("the saved views changed on disk since they were read; not overwritten: {}", path.display())]
    ChangedOnDisk { path: PathBuf },
    #[error("cannot save the views: {source}: {}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Refused(String),
}

/// The archive's saved views.
#[derive(Clone, Debug)]
pub struct Views {
    file: SharedToml,
    views: Vec<View>,
}

impl Views {
    /// Reads the views of the archive at `root`; no file is no views.
    pub fn load(root: &Path) -> Result<Self, ViewsError> {
        let path = root.join(VIEWS_FILE);
        let file = SharedToml::read(path.clone()).map_err(|e| error_at(&path, e))?;
        let views = read_views(file.document())
            .map_err(|message| ViewsError::Malformed { path, message })?;
        Ok(Self { file, views })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The views, in the file's order.
    pub fn views(&self) -> &[View] {
        &self.views
    }

    /// Adds `view` at the end, or replaces the view of the same name in place.
    pub fn put(&mut self, view: View) -> Result<(), ViewsError> {
        if view.name.is_empty() {
            return Err(ViewsError::Refused("a view needs a name".into()));
        }
        match self.views.iter().position(|v| v.name == view.name) {
            Some(i) => {
                self.with_tables(|tables| {
                    if let Some(table) = tables.get_mut(i) {
                        write_table(table, &view);
                    }
                });
                self.views[i] = view;
            }
            None => {
                let mut table = Table::new();
                write_table(&mut table, &view);
                self.with_tables(|tables| tables.push(table));
                self.views.push(view);
            }
        }
        Ok(())
    }

    /// Renames view `index`; refused when another view has the name.
    pub fn rename(&mut self, index: usize, name: &str) -> Result<(), ViewsError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ViewsError::Refused("a view needs a name".into()));
        }
        if self
            .views
            .iter()
            .enumerate()
            .any(|(i, v)| i != index && v.name == name)
        {
            return Err(ViewsError::Refused(format!(
                "a view is already named {name}"
            )));
        }
        let Some(view) = self.views.get_mut(index) else {
            return Err(ViewsError::Refused("no such view".into()));
        };
        view.name = name.to_owned();
        self.with_tables(|tables| {
            if let Some(table) = tables.get_mut(index) {
                table["name"] = value(name);
            }
        });
        Ok(())
    }

    /// Deletes view `index`.
    pub fn remove(&mut self, index: usize) {
        if index < self.views.len() {
            self.views.remove(index);
            self.with_tables(|tables| {
                tables.remove(index);
            });
        }
    }

    /// Moves view `index` one place up (`-1`) or down (`1`).
    pub fn shift(&mut self, index: usize, by: isize) {
        let Some(other) = index.checked_add_signed(by) else {
            return;
        };
        if index >= self.views.len() || other >= self.views.len() {
            return;
        }
        self.views.swap(index, other);
        // A table is written at its place in the file: swap the places with the tables.
        self.with_tables(|tables| {
            let mut all: Vec<Table> = tables.iter().cloned().collect();
            let places: Vec<Option<isize>> = all.iter().map(Table::position).collect();
            all.swap(index, other);
            tables.clear();
            for (mut table, place) in all.into_iter().zip(places) {
                table.set_position(place);
                tables.push(table);
            }
        });
    }

    /// Writes the views atomically, creating the `.folio` folder if needed. Refused when
    /// the file on disk is not the one read.
    pub fn save(&mut self) -> Result<(), ViewsError> {
        let mut text = self.file.document().to_string();
        if self.file.is_new() {
            text.insert_str(0, HEADER);
        }
        let path = self.file.path().to_owned();
        self.file.save_text(&text).map_err(|e| error_at(&path, e))
    }

    /// Runs `change` on the file's `[[view]]` tables, making them when there are none.
    fn with_tables(&mut self, change: impl FnOnce(&mut ArrayOfTables)) {
        if let Some(tables) = self
            .file
            .document_mut()
            .get_mut(KEY)
            .and_then(Item::as_array_of_tables_mut)
        {
            change(tables);
            return;
        }
        let mut tables = ArrayOfTables::new();
        change(&mut tables);
        self.file.document_mut()[KEY] = Item::ArrayOfTables(tables);
    }
}

fn error_at(path: &Path, error: SharedTomlError) -> ViewsError {
    let path = path.to_owned();
    match error {
        SharedTomlError::Read(source) => ViewsError::Read { path, source },
        SharedTomlError::Malformed(message) => ViewsError::Malformed { path, message },
        SharedTomlError::ChangedOnDisk => ViewsError::ChangedOnDisk { path },
        SharedTomlError::Write(source) => ViewsError::Write { path, source },
    }
}

fn sort_name(sort: SortKey) -> &'static str {
    match sort {
        SortKey::Date => "date",
        SortKey::Title => "title",
        SortKey::Source => "source",
        SortKey::Modified => "modified",
        SortKey::Path => "path",
        SortKey::Relevance => "relevance",
    }
}

fn sort_of(name: &str) -> Option<SortKey> {
    Some(match name {
        "date" => SortKey::Date,
        "title" => SortKey::Title,
        "source" => SortKey::Source,
        "modified" => SortKey::Modified,
        "path" => SortKey::Path,
        "relevance" => SortKey::Relevance,
        _ => return None,
    })
}

fn write_table(table: &mut Table, view: &View) {
    table["name"] = value(&view.name);
    table["query"] = value(&view.query);
    let strings = |items: &[String]| {
        let mut array = toml_edit::Array::new();
        for item in items {
            array.push(item.as_str());
        }
        value(array)
    };
    let mut set_or_remove = |key: &str, item: Option<Item>| match item {
        Some(item) => table[key] = item,
        None => {
            table.remove(key);
        }
    };
    set_or_remove(
        "category",
        (!view.category.is_empty()).then(|| strings(&view.category)),
    );
    set_or_remove(
        "authors",
        (!view.authors.is_empty()).then(|| strings(&view.authors)),
    );
    set_or_remove(
        "years",
        (!view.years.is_empty()).then(|| {
            let mut array = toml_edit::Array::new();
            for year in &view.years {
                array.push(i64::from(*year));
            }
            value(array)
        }),
    );
    set_or_remove("only_problems", view.only_problems.then(|| value(true)));
    set_or_remove(
        "sort",
        Some(value(
            view.sort_column.as_deref().unwrap_or(sort_name(view.sort)),
        )),
    );
    set_or_remove("descending", Some(value(view.descending)));
    set_or_remove(
        "layout",
        (view.layout != ViewLayout::List).then(|| value(view.layout.name())),
    );
    set_or_remove(
        "columns",
        (!view.columns.is_empty()).then(|| strings(&view.columns)),
    );
}

fn read_views(document: &DocumentMut) -> Result<Vec<View>, String> {
    let Some(item) = document.get(KEY) else {
        return Ok(Vec::new());
    };
    let Some(tables) = item.as_array_of_tables() else {
        return Err(format!("`{KEY}` must be a list of [[{KEY}]] tables"));
    };
    let mut views: Vec<View> = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        let at = |what: &str| format!("view {}: {what}", i + 1);
        let text = |key: &str| -> Result<Option<String>, String> {
            match table.get(key) {
                None => Ok(None),
                Some(item) => item
                    .as_str()
                    .map(|s| Some(s.to_owned()))
                    .ok_or_else(|| at(&format!("`{key}` must be a string"))),
            }
        };
        let strings = |key: &str| -> Result<Vec<String>, String> {
            match table.get(key) {
                None => Ok(Vec::new()),
                Some(item) => item
                    .as_array()
                    .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_owned)).collect())
                    .ok_or_else(|| at(&format!("`{key}` must be a list of strings"))),
            }
        };
        let flag = |key: &str| -> Result<bool, String> {
            match table.get(key) {
                None => Ok(false),
                Some(item) => item
                    .as_bool()
                    .ok_or_else(|| at(&format!("`{key}` must be true or false"))),
            }
        };
        let name = text("name")?
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| at("`name` is missing"))?;
        if views.iter().any(|v| v.name == name) {
            return Err(at(&format!("another view is named {name}")));
        }
        let years = match table.get("years") {
            None => Vec::new(),
            Some(item) => item
                .as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|v| v.as_integer().and_then(|y| i32::try_from(y).ok()))
                        .collect()
                })
                .ok_or_else(|| at("`years` must be a list of years"))?,
        };
        let (sort, sort_column) = match text("sort")?.map(|n| n.trim().to_owned()) {
            None => (SortKey::Date, None),
            Some(name) if name.is_empty() => {
                return Err(at(
                    "`sort` is empty; it must be date, title, source, modified, path or a column",
                ));
            }
            Some(name) => match sort_of(&name) {
                Some(sort) => (sort, None),
                None => (SortKey::Date, Some(name)),
            },
        };
        let layout = match text("layout")? {
            None => ViewLayout::List,
            Some(name) => ViewLayout::of(name.trim()).ok_or_else(|| {
                at(&format!(
                    "`layout` is {name}; it must be list, table or grid"
                ))
            })?,
        };
        views.push(View {
            name,
            query: text("query")?.unwrap_or_default(),
            category: strings("category")?,
            authors: strings("authors")?,
            years,
            only_problems: flag("only_problems")?,
            sort,
            sort_column,
            descending: flag("descending")?,
            layout,
            columns: strings("columns")?,
        });
    }
    Ok(views)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn view(name: &str, query: &str) -> View {
        View {
            name: name.into(),
            query: query.into(),
            ..View::default()
        }
    }

    #[test]
    fn views_round_trip_in_order_and_keep_hand_edits() {
        let dir = tempfile::tempdir().unwrap();
        let mut views = Views::load(dir.path()).unwrap();
        assert!(views.views().is_empty());
        views.put(view("金融", "cat:金融")).unwrap();
        views
            .put(View {
                years: vec![2021, 2022],
                only_problems: true,
                sort: SortKey::Title,
                descending: true,
                category: vec!["新媒体".into(), "36kr".into()],
                ..view("36kr problems", "")
            })
            .unwrap();
        views.save().unwrap();
        // A hand edit: a comment and a key Folio does not know stay through a save.
        let path = dir.path().join(VIEWS_FILE);
        let text = fs::read_to_string(&path).unwrap();
        let edited = text.replacen("[[view]]", "# mine\n[[view]]\ncolour = \"red\"", 1);
        fs::write(&path, &edited).unwrap();
        let mut views = Views::load(dir.path()).unwrap();
        assert_eq!(views.views()[0], view("金融", "cat:金融"));
        assert_eq!(views.views()[1].years, [2021, 2022]);
        assert_eq!(views.views()[1].sort, SortKey::Title);
        assert_eq!(views.views()[1].category, ["新媒体", "36kr"]);
        views
            .put(View {
                sort_column: Some("author".into()),
                layout: ViewLayout::Table,
                columns: vec!["title".into(), "author".into(), "source".into()],
                ..view("36kr table", "cat:36kr")
            })
            .unwrap();
        views.save().unwrap();
        let reread = Views::load(dir.path()).unwrap();
        let table = &reread.views()[2];
        assert_eq!(table.sort_column.as_deref(), Some("author"));
        assert_eq!(table.layout, ViewLayout::Table);
        assert_eq!(table.columns, ["title", "author", "source"]);
        assert!(
            fs::read_to_string(&path)
                .unwrap()
                .contains("sort = \"author\"")
        );
        views.remove(2);
        views.rename(0, "金融 all").unwrap();
        assert!(views.rename(0, "36kr problems").is_err());
        views.shift(0, 1);
        views.save().unwrap();
        let views = Views::load(dir.path()).unwrap();
        let names: Vec<&str> = views.views().iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["36kr problems", "金融 all"]);
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# mine") && text.contains("colour = \"red\""),
            "{text}"
        );
    }

    #[test]
    fn a_malformed_file_names_itself_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(VIEWS_FILE);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        for bad in [
            "[[view]]\nquery = \"x\"\n",
            "[[view]]\nname = \"a\"\nsort = 3\n",
            "[[view]]\nname = \"a\"\nsort = \" \"\n",
            "[[view]]\nname = \"a\"\nlayout = \"cards\"\n",
            "[[view]]\nname = \"a\"\ncolumns = \"title\"\n",
            "[[view]]\nname = \"a\"\n[[view]]\nname = \"a\"\n",
            "view = 3\n",
            "[[view]\n",
        ] {
            fs::write(&path, bad).unwrap();
            let error = Views::load(dir.path()).unwrap_err().to_string();
            assert!(error.ends_with(&path.display().to_string()), "{error}");
        }
        // Edited on disk after reading: the save refuses.
        fs::write(&path, "[[view]]\nname = \"a\"\n").unwrap();
        let mut views = Views::load(dir.path()).unwrap();
        fs::write(&path, "[[view]]\nname = \"b\"\n").unwrap();
        views.put(view("c", "")).unwrap();
        assert!(matches!(
            views.save(),
            Err(ViewsError::ChangedOnDisk { .. })
        ));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[[view]]\nname = \"b\"\n"
        );
    }
}
