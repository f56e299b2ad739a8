//! The small TOML files Folio keeps with an archive (`.folio/views.toml`,
//! `.folio/dups-exempt.toml`): read with `toml_edit`, so comments and keys written by
//! hand survive Folio's saves, and saved whole, only over the very bytes that were read
//! (a file malformed, edited meanwhile or created since is never overwritten).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use toml_edit::DocumentMut;

/// One such file, as read.
#[derive(Clone, Debug)]
pub struct SharedToml {
    path: PathBuf,
    document: DocumentMut,
    /// The bytes read, `None` when there was no file: what a save expects to replace.
    on_disk: Option<Vec<u8>>,
}

/// Why the file could not be read or saved (the caller names the file).
#[derive(Debug)]
pub enum SharedTomlError {
    /// It exists but could not be read.
    Read(io::Error),
    /// It is not valid TOML (or not UTF-8): what is wrong, on one line.
    Malformed(String),
    /// It changed on disk since it was read; it is left as it is.
    ChangedOnDisk,
    /// Writing failed; the previous file is intact.
    Write(io::Error),
}

impl SharedToml {
    /// Reads the file at `path`; no file is an empty document.
    pub fn read(path: PathBuf) -> Result<Self, SharedTomlError> {
        let on_disk = match fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(SharedTomlError::Read(e)),
        };
        let document = match &on_disk {
            None => DocumentMut::new(),
            Some(bytes) => parse(
                std::str::from_utf8(bytes)
                    .map_err(|e| SharedTomlError::Malformed(format!("not UTF-8: {e}")))?,
            )?,
        };
        Ok(Self {
            path,
            document,
            on_disk,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn document(&self) -> &DocumentMut {
        &self.document
    }

    pub fn document_mut(&mut self) -> &mut DocumentMut {
        &mut self.document
    }

    /// Whether there was no file when it was read.
    pub fn is_new(&self) -> bool {
        self.on_disk.is_none()
    }

    /// Saves the document as it is now.
    pub fn save(&mut self) -> Result<(), SharedTomlError> {
        let text = self.document.to_string();
        self.save_text(&text)
    }

    /// Writes `text` (the document as it should read from now on) whole, creating the
    /// folder if needed, when the file on disk is still the one read.
    pub fn save_text(&mut self, text: &str) -> Result<(), SharedTomlError> {
        let current = match fs::read(&self.path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(SharedTomlError::Read(e)),
        };
        if current != self.on_disk {
            return Err(SharedTomlError::ChangedOnDisk);
        }
        let document = parse(text)?;
        super::write_shared_file(&self.path, text.as_bytes()).map_err(SharedTomlError::Write)?;
        self.document = document;
        self.on_disk = Some(text.as_bytes().to_vec());
        Ok(())
    }
}

fn parse(text: &str) -> Result<DocumentMut, SharedTomlError> {
    text.parse::<DocumentMut>()
        .map_err(|e| SharedTomlError::Malformed(e.to_string().trim().replace('\n', " ")))
}
