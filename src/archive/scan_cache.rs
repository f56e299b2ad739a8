//! The scan cache: a second opening of an archive shows its list at once, from what the
//! last scan found, while the disk is checked behind it.
//!
//! One file per archive (named by a hash of the archive's canonical path) in the
//! platform cache folder (`~/.cache/folio/scan` on Linux), never inside the archive.
//! It holds every [`Article`] of the last scan with its [`FileStamp`]; a later scan
//! ([`scan_with`](super::scan_with) given the cached articles) stats each file and reads
//! again only those whose stamp changed, so the list it ends with is exactly what a full
//! scan would give.
//!
//! The cache is disposable and never trusted over the files. It is checked whole (a
//! BLAKE3 sum over everything after the header), and belongs to one build of Folio: the
//! header names [`FORMAT_VERSION`], Folio's version and the size and time of the running
//! executable, so a new build, whose parsing rules may differ, starts from a fresh
//! scan. A missing, damaged, truncated or foreign file is reported as such and simply
//! replaced after the next scan; a failed write only costs speed. The file is replaced
//! atomically (a temporary file renamed into place).

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::post::Article;
use super::stamp::FileStamp;

const MAGIC: &[u8; 8] = b"FOLIOSCN";
/// The cache layout's version; bump it when [`Article`]'s stored form changes.
pub const FORMAT_VERSION: u32 = 1;
const EXTENSION: &str = "scan";
/// Magic, version, BLAKE3 sum.
const HEADER_LEN: usize = 8 + 4 + 32;

/// Why a cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheMiss {
    #[error("no scan cache yet")]
    Missing,
    #[error("the scan cache was written by another build of Folio")]
    OtherBuild,
    #[error("the scan cache belongs to another folder")]
    OtherFolder,
    #[error("the scan cache is damaged ({0})")]
    Damaged(String),
    #[error("cannot read the scan cache: {0}")]
    Unreadable(io::Error),
}

/// What the cache file holds after its header.
#[derive(serde::Serialize, serde::Deserialize)]
struct Payload<'a> {
    build: String,
    #[serde(borrow)]
    root: &'a [u8],
    /// Each chunk is a postcard-encoded `Vec<Article>`, decoded in parallel.
    #[serde(borrow)]
    chunks: Vec<&'a [u8]>,
}

/// The scan cache file of one archive.
#[derive(Clone, Debug)]
pub struct ScanCache {
    root: PathBuf,
    file: PathBuf,
}

impl ScanCache {
    /// Folio's scan cache folder inside the platform cache folder
    /// (`~/.cache/folio/scan` on Linux), if the platform has one.
    pub fn platform_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Folio", "folio")
            .map(|dirs| dirs.cache_dir().join("scan"))
    }

    /// The cache of the archive at `root`, kept in `dir`.
    pub fn new(dir: &Path, root: &Path) -> Self {
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
        let hash = blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex();
        let name = format!("{}.{EXTENSION}", hash.get(..32).unwrap_or_default());
        Self {
            file: dir.join(name),
            root,
        }
    }

    /// The cache file's path.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Every article of the last scan, in path order.
    pub fn load(&self) -> Result<Vec<Article>, CacheMiss> {
        let bytes = match fs::read(&self.file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(CacheMiss::Missing),
            Err(e) => return Err(CacheMiss::Unreadable(e)),
        };
        let damaged = |what: &str| CacheMiss::Damaged(what.to_owned());
        let (header, payload) = bytes
            .split_at_checked(HEADER_LEN)
            .ok_or_else(|| damaged("shorter than its header"))?;
        let (magic, rest) = header.split_at(MAGIC.len());
        if magic != MAGIC {
            return Err(damaged("not a scan cache"));
        }
        let (version, sum) = rest.split_at(4);
        if version != FORMAT_VERSION.to_le_bytes() {
            return Err(CacheMiss::OtherBuild);
        }
        if blake3::hash(payload).as_bytes().as_slice() != sum {
            return Err(damaged("checksum mismatch"));
        }
        let payload: Payload =
            postcard::from_bytes(payload).map_err(|e| CacheMiss::Damaged(e.to_string()))?;
        if payload.build != build_identity() {
            return Err(CacheMiss::OtherBuild);
        }
        if payload.root != self.root.as_os_str().as_encoded_bytes() {
            return Err(CacheMiss::OtherFolder);
        }
        let chunks: Result<Vec<Vec<Article>>, _> = payload
            .chunks
            .par_iter()
            .map(|chunk| postcard::from_bytes::<Vec<Article>>(chunk))
            .collect();
        let chunks = chunks.map_err(|e| CacheMiss::Damaged(e.to_string()))?;
        Ok(chunks.into_iter().flatten().collect())
    }

    /// Replaces the cache with `chunks` (each from [`encode_chunk`], in path order).
    pub fn save(&self, chunks: &[Vec<u8>]) -> io::Result<()> {
        let payload = Payload {
            build: build_identity(),
            root: self.root.as_os_str().as_encoded_bytes(),
            chunks: chunks.iter().map(Vec::as_slice).collect(),
        };
        let payload = postcard::to_stdvec(&payload).map_err(io::Error::other)?;
        let dir = self.file.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(MAGIC)?;
        tmp.write_all(&FORMAT_VERSION.to_le_bytes())?;
        tmp.write_all(blake3::hash(&payload).as_bytes())?;
        tmp.write_all(&payload)?;
        tmp.as_file().sync_data()?;
        tmp.persist(&self.file).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes the cache file (a missing one is not an error).
    pub fn clear(&self) -> io::Result<()> {
        match fs::remove_file(&self.file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Encodes a batch of articles as one cache chunk. Articles without a stamp (files that
/// could not be read) are kept too: a later scan reads them again.
pub fn encode_chunk(articles: &[Article]) -> Vec<u8> {
    // Encoding plain data into a growing Vec cannot fail; an empty chunk would only
    // make the cache read as damaged and be rebuilt.
    postcard::to_stdvec(articles).unwrap_or_default()
}

/// Which build of Folio wrote a cache: its format, Folio's version and the running
/// executable's size and modification time.
fn build_identity() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|exe| FileStamp::read(&exe));
    let (size, modified) = exe.map_or((0, 0), |s| (s.size, s.modified_ns));
    format!(
        "{FORMAT_VERSION} {} {size} {modified}",
        env!("CARGO_PKG_VERSION")
    )
}
