//! "Not duplicates": groups an editor has looked at and kept apart, stored with the
//! archive so they stay apart after a restart and for a colleague opening the same
//! folder.
//!
//! The list is a small TOML file at the archive root, [`EXEMPT_FILE`], readable and
//! editable by hand:
//!
//! ```toml
//! [[not_duplicates]]
//! paths = ["source/_posts/a/0！北京昨日本土无新增.md", "source/_posts/b/0！上海昨日本土无新增.md"]
//! ```
//!
//! Two posts listed in one entry are never joined directly (see
//! [`super::find_duplicates`]), so a marked group is not reported again; a post that
//! later turns out to copy one of them still is. The file is edited with `toml_edit`, so
//! comments and entries written by hand survive Folio's saves. A malformed file is an
//! error naming it, and is never replaced: saving refuses when the file on disk is not
//! the one that was read (malformed, edited meanwhile, or created since).

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::archive::{SharedToml, SharedTomlError};

/// Where the list lives, relative to the archive root.
pub const EXEMPT_FILE: &str = ".folio/dups-exempt.toml";
const KEY: &str = "not_duplicates";
const HEADER: &str = "# Posts marked \"not duplicates\" in Folio: `folio dups` and the Duplicates view\n\
# never group two posts listed in the same entry. Paths are relative to the archive\n\
# folder. This file may be edited by hand.\n\n";

/// Why the list could not be read or saved. Each message names the file last.
#[derive(Debug, thiserror::Error)]
pub enum ExemptError {
    /// The file exists but could not be read.
    #[error("cannot read the not-duplicates list: {source}: {}", path.display())]
    Read {
        /// The list's path.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The file is not a valid list; it is left as it is.
    #[error("the not-duplicates list is not valid ({message}); fix or remove it: {}", path.display())]
    Malformed {
        /// The list's path.
        path: PathBuf,
        /// What is wrong, with its line where known.
        message: String,
    },
    /// The file changed on disk since it was read; it is not overwritten.
    #[error("the not-duplicates list changed on disk since it was read; not overwritten: {}", path.display())]
    ChangedOnDisk {
        /// The list's path.
        path: PathBuf,
    },
    /// Writing the file failed; the previous file is intact.
    #[error("cannot save the not-duplicates list: {source}: {}", path.display())]
    Write {
        /// The list's path.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

/// The archive's "not duplicates" list.
#[derive(Debug)]
pub struct Exemptions {
    file: SharedToml,
    entries: Vec<BTreeSet<String>>,
    by_path: HashMap<String, Vec<usize>>,
}

impl Exemptions {
    /// Reads the list of the archive at `root`; no file is an empty list.
    pub fn load(root: &Path) -> Result<Self, ExemptError> {
        let path = root.join(EXEMPT_FILE);
        let file = SharedToml::read(path.clone()).map_err(|e| error_at(&path, e))?;
        let entries = read_entries(file.document()).map_err(|message| ExemptError::Malformed {
            path: path.clone(),
            message,
        })?;
        let mut list = Self {
            file,
            entries: Vec::new(),
            by_path: HashMap::new(),
        };
        for entry in entries {
            list.push_entry(entry);
        }
        Ok(list)
    }

    /// The list's file.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Every entry: a set of `/`-separated paths relative to the archive root.
    pub fn entries(&self) -> &[BTreeSet<String>] {
        &self.entries
    }

    /// Whether the two posts (relative paths) are listed in one entry.
    pub fn is_exempt(&self, a: &str, b: &str) -> bool {
        let (Some(in_a), Some(in_b)) = (self.by_path.get(a), self.by_path.get(b)) else {
            return false;
        };
        in_a.iter().any(|entry| in_b.contains(entry))
    }

    /// Whether the post (relative path) is listed in any entry.
    pub fn lists(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// Whether any post is listed at all (lets callers skip lookups).
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Marks posts (relative paths) as not duplicates of each other. Returns false, and
    /// changes nothing, when fewer than two distinct paths are given or an entry
    /// already covers them all. Call [`Self::save`] to write the change.
    pub fn add<S: AsRef<str>>(&mut self, paths: impl IntoIterator<Item = S>) -> bool {
        let entry: BTreeSet<String> = paths.into_iter().map(|p| clean_path(p.as_ref())).collect();
        if entry.len() < 2 || self.entries.iter().any(|e| entry.is_subset(e)) {
            return false;
        }
        let mut table = Table::new();
        let mut array: Array = entry.iter().map(String::as_str).collect();
        array.set_trailing_comma(false);
        table.insert("paths", Item::Value(Value::Array(array)));
        let document = self.file.document_mut();
        match document.get_mut(KEY).and_then(Item::as_array_of_tables_mut) {
            Some(tables) => tables.push(table),
            None => {
                if document.is_empty() {
                    table.decor_mut().set_prefix(HEADER);
                }
                let mut tables = ArrayOfTables::new();
                tables.push(table);
                document.insert(KEY, Item::ArrayOfTables(tables));
            }
        }
        self.push_entry(entry);
        true
    }

    /// Removes every entry equal to these paths (a group marked by mistake). Returns
    /// whether one was removed. Call [`Self::save`] to write the change.
    pub fn remove<S: AsRef<str>>(&mut self, paths: impl IntoIterator<Item = S>) -> bool {
        let entry: BTreeSet<String> = paths.into_iter().map(|p| clean_path(p.as_ref())).collect();
        let before = self.entries.len();
        if let Some(tables) = self
            .file
            .document_mut()
            .get_mut(KEY)
            .and_then(Item::as_array_of_tables_mut)
        {
            tables.retain(|table| table_paths(table).ok().as_ref() != Some(&entry));
        }
        let kept: Vec<BTreeSet<String>> = self.entries.drain(..).filter(|e| *e != entry).collect();
        self.by_path.clear();
        for e in kept {
            self.push_entry(e);
        }
        self.entries.len() != before
    }

    /// Writes the list atomically (a temporary file renamed over it), creating the
    /// `.folio` folder if needed. Refused when the file on disk is not the one read.
    pub fn save(&mut self) -> Result<(), ExemptError> {
        let path = self.file.path().to_owned();
        self.file.save().map_err(|e| error_at(&path, e))
    }

    fn push_entry(&mut self, entry: BTreeSet<String>) {
        let index = self.entries.len();
        for path in &entry {
            self.by_path.entry(path.clone()).or_default().push(index);
        }
        self.entries.push(entry);
    }
}

/// Permissions for a new list: readable by everyone, writable by its owner.
fn clean_path(path: &str) -> String {
    let path = path.trim().replace('\\', "/");
    path.strip_prefix("./").unwrap_or(&path).to_owned()
}

fn read_entries(document: &DocumentMut) -> Result<Vec<BTreeSet<String>>, String> {
    let Some(item) = document.get(KEY) else {
        return Ok(Vec::new());
    };
    let Some(tables) = item.as_array_of_tables() else {
        return Err(format!("`{KEY}` must be a list of [[{KEY}]] tables"));
    };
    tables
        .iter()
        .enumerate()
        .map(|(i, table)| {
            table_paths(table).map_err(|e| format!("[[{KEY}]] number {}: {e}", i + 1))
        })
        .collect()
}

fn table_paths(table: &Table) -> Result<BTreeSet<String>, String> {
    let array = table
        .get("paths")
        .and_then(Item::as_array)
        .ok_or("`paths` must be a list of paths")?;
    array
        .iter()
        .map(|value| {
            value
                .as_str()
                .map(clean_path)
                .ok_or_else(|| "every path must be a string".to_owned())
        })
        .collect()
}

fn error_at(path: &Path, error: SharedTomlError) -> ExemptError {
    let path = path.to_owned();
    match error {
        SharedTomlError::Read(source) => ExemptError::Read { path, source },
        SharedTomlError::Malformed(message) => ExemptError::Malformed { path, message },
        SharedTomlError::ChangedOnDisk => ExemptError::ChangedOnDisk { path },
        SharedTomlError::Write(source) => ExemptError::Write { path, source },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[cfg(unix)]
    #[test]
    fn a_new_list_is_readable_by_everyone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut list = Exemptions::load(dir.path()).unwrap();
        list.add(["a.md", "b.md"]);
        list.save().unwrap();
        let mode = fs::metadata(list.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn pairs_in_one_entry_are_exempt() {
        let dir = tempfile::tempdir().unwrap();
        let mut list = Exemptions::load(dir.path()).unwrap();
        assert!(list.is_empty());
        assert!(list.add(["a.md", "b.md", "c.md"]));
        assert!(!list.add(["b.md", "a.md"]), "already covered");
        assert!(!list.add(["a.md"]), "one path is no group");
        assert!(list.is_exempt("a.md", "c.md"));
        assert!(!list.is_exempt("a.md", "d.md"));
        assert!(list.remove(["c.md", "b.md", "a.md"]));
        assert!(!list.is_exempt("a.md", "c.md"));
    }
}
