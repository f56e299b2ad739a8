//! The fingerprint cache: a second look at an archive skips reading and cleaning every
//! post whose file did not change.
//!
//! One file per archive (named by a hash of the archive's canonical path) in the
//! platform cache folder (`~/.cache/folio/dups` on Linux), or in a folder the caller
//! names ([`CacheLocation::Dir`], for tests). Entries are keyed by the post's relative
//! path and the [`FileStamp`] its file had when it was read (size, modification and
//! status-change times, inode: the scan cache's rule), under a header holding [`FORMAT_VERSION`] and the
//! sketch method, and the whole file is checked with a BLAKE3 sum. The cache is
//! disposable: a missing, damaged or older file is simply rebuilt, a failed write only
//! costs speed. The file is replaced atomically (temporary file renamed into place).
//!
//! [`FORMAT_VERSION`] must change whenever a fingerprint's meaning does: the cleaning
//! rules, text normalization, shingling or the news rule's facts.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::archive::FileStamp as Stamp;

use super::facts::Fact;
use super::fingerprint::Fingerprint;
use super::sketch::{NearMethod, Sketch};

const MAGIC: &[u8; 8] = b"FOLIODUP";
/// The cache layout and fingerprint rules version.
pub const FORMAT_VERSION: u32 = 2;
const EXTENSION: &str = "fp";

/// Where fingerprints are cached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CacheLocation {
    /// Folio's `dups` folder in the platform cache folder.
    #[default]
    Platform,
    /// This folder.
    Dir(PathBuf),
    /// No cache: every run reads every post.
    Off,
}

impl CacheLocation {
    /// Folio's fingerprint folder inside the platform cache folder
    /// (`~/.cache/folio/dups` on Linux), if the platform has one.
    pub fn platform_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Folio", "folio")
            .map(|dirs| dirs.cache_dir().join("dups"))
    }

    fn dir(&self) -> Option<PathBuf> {
        match self {
            CacheLocation::Platform => Self::platform_dir(),
            CacheLocation::Dir(dir) => Some(dir.clone()),
            CacheLocation::Off => None,
        }
    }

    /// The cache file for the archive at `root`, if caching is on.
    pub fn file_for(&self, root: &Path) -> Option<PathBuf> {
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
        let hash = blake3::hash(root.to_string_lossy().as_bytes());
        let name = hash.to_hex();
        Some(self.dir()?.join(format!(
            "{}.{EXTENSION}",
            name.get(..32).unwrap_or_default()
        )))
    }
}

/// Fingerprints read from the cache file, taken out one by one.
pub(crate) struct Loaded {
    entries: HashMap<String, (Stamp, Fingerprint)>,
    /// Why the file was not used, when it existed but was damaged or old.
    pub(crate) note: Option<String>,
}

impl Loaded {
    /// Reads the cache file (a missing, damaged or old one gives an empty cache).
    pub(crate) fn read(file: Option<&Path>, method: NearMethod) -> Self {
        let empty = |note| Self {
            entries: HashMap::new(),
            note,
        };
        let Some(file) = file else {
            return empty(None);
        };
        match fs::File::open(file) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => empty(None),
            Err(e) => empty(Some(format!(
                "fingerprint cache unreadable ({e}), rebuilt: {}",
                file.display()
            ))),
            Ok(opened) => match decode(opened, method) {
                Some(entries) => Self {
                    entries,
                    note: None,
                },
                None => empty(Some(format!(
                    "fingerprint cache damaged or from another version, rebuilt: {}",
                    file.display()
                ))),
            },
        }
    }

    /// Entries not taken (yet): posts that were removed or changed.
    pub(crate) fn remaining(&self) -> usize {
        self.entries.len()
    }

    /// The cached fingerprint of `path`, if its size and time still match.
    pub(crate) fn take(&mut self, path: &str, stamp: Option<Stamp>) -> Option<Fingerprint> {
        let stamp = stamp?;
        match self.entries.remove(path) {
            Some((cached, fingerprint)) if cached == stamp => Some(fingerprint),
            _ => None,
        }
    }
}

/// Writes the cache file with these entries, replacing the old one atomically.
pub(crate) fn write<'a>(
    file: &Path,
    method: NearMethod,
    entries: impl Iterator<Item = (&'a str, Stamp, &'a Fingerprint)>,
) -> io::Result<()> {
    // The count leads the file, so the entries are listed first; they are then encoded
    // one at a time into the file, never the whole file into memory.
    let entries: Vec<(&str, Stamp, &Fingerprint)> = entries.collect();
    let folder = file.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(folder)?;
    let mut temp = tempfile::NamedTempFile::new_in(folder)?;
    {
        let mut out = io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
        let mut sum = blake3::Hasher::new();
        let mut chunk = Vec::with_capacity(4096);
        chunk.extend_from_slice(MAGIC);
        chunk.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        chunk.extend_from_slice(&method.sketch_id().to_le_bytes());
        chunk.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        for (path, stamp, fingerprint) in entries {
            encode_entry(&mut chunk, path, stamp, fingerprint);
            sum.update(&chunk);
            out.write_all(&chunk)?;
            chunk.clear();
        }
        sum.update(&chunk);
        out.write_all(&chunk)?;
        out.write_all(sum.finalize().as_bytes())?;
        out.flush()?;
    }
    temp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

fn encode_entry(out: &mut Vec<u8>, path: &str, stamp: Stamp, fp: &Fingerprint) {
    out.extend_from_slice(&(path.len() as u32).to_le_bytes());
    out.extend_from_slice(path.as_bytes());
    out.extend_from_slice(&stamp.size.to_le_bytes());
    out.extend_from_slice(&stamp.modified_ns.to_le_bytes());
    out.extend_from_slice(&stamp.changed_ns.to_le_bytes());
    out.extend_from_slice(&stamp.inode.to_le_bytes());
    out.extend_from_slice(&fp.text_hash);
    out.extend_from_slice(&fp.content_chars.to_le_bytes());
    out.push(u8::from(fp.has_image));
    match &fp.sketch {
        Sketch::MinHash(bins) => {
            out.push(1);
            out.extend_from_slice(&(bins.len() as u16).to_le_bytes());
            for bin in bins.iter() {
                out.extend_from_slice(&bin.to_le_bytes());
            }
        }
        Sketch::SimHash(hash) => {
            out.push(2);
            out.extend_from_slice(&hash.to_le_bytes());
        }
    }
    out.extend_from_slice(&(fp.facts.len() as u16).to_le_bytes());
    for fact in fp.facts.iter() {
        out.extend_from_slice(&fact.left.to_le_bytes());
        out.extend_from_slice(&fact.right.to_le_bytes());
        out.extend_from_slice(&fact.value.to_le_bytes());
    }
}

/// Reads the file's body through a buffer, hashing what it reads, so that the file is
/// checked without being held in memory; every read fails cleanly past the body.
struct Reader {
    input: io::BufReader<io::Take<fs::File>>,
    sum: blake3::Hasher,
}

impl Reader {
    fn fill(&mut self, buf: &mut [u8]) -> Option<()> {
        io::Read::read_exact(&mut self.input, buf).ok()?;
        self.sum.update(buf);
        Some(())
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let mut buf = [0u8; N];
        self.fill(&mut buf)?;
        Some(buf)
    }

    fn u8(&mut self) -> Option<u8> {
        let [byte] = self.array::<1>()?;
        Some(byte)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.array()?))
    }
}

/// Paths longer than this mean a damaged file (no file system allows them).
const MAX_PATH_BYTES: usize = 1 << 16;

fn decode(file: fs::File, method: NearMethod) -> Option<HashMap<String, (Stamp, Fingerprint)>> {
    let body_len = file.metadata().ok()?.len().checked_sub(32)?;
    // The body is read through `take`, so the buffer never reads into the sum after it.
    let mut r = Reader {
        input: io::BufReader::with_capacity(1 << 16, io::Read::take(file, body_len)),
        sum: blake3::Hasher::new(),
    };
    if r.array::<8>()? != *MAGIC || r.u32()? != FORMAT_VERSION || r.u32()? != method.sketch_id() {
        return None;
    }
    let count = usize::try_from(r.u64()?).ok()?;
    let mut entries = HashMap::with_capacity(count.min(usize::try_from(body_len / 32).ok()?));
    for _ in 0..count {
        let (path, stamp, fingerprint) = decode_entry(&mut r)?;
        entries.insert(path, (stamp, fingerprint));
    }
    // The whole body was read, and the sum that follows it matches.
    if r.input.get_ref().limit() != 0 || !r.input.buffer().is_empty() {
        return None;
    }
    let mut stored = [0u8; 32];
    io::Read::read_exact(&mut r.input.into_inner().into_inner(), &mut stored).ok()?;
    (r.sum.finalize().as_bytes() == &stored).then_some(entries)
}

fn decode_entry(r: &mut Reader) -> Option<(String, Stamp, Fingerprint)> {
    let path_len = r.u32()? as usize;
    if path_len > MAX_PATH_BYTES {
        return None;
    }
    let mut path = vec![0u8; path_len];
    r.fill(&mut path)?;
    let path = String::from_utf8(path).ok()?;
    let stamp = Stamp {
        size: r.u64()?,
        modified_ns: i128::from_le_bytes(r.array()?),
        changed_ns: i128::from_le_bytes(r.array()?),
        inode: r.u64()?,
    };
    let text_hash = r.array()?;
    let content_chars = r.u32()?;
    let has_image = r.u8()? == 1;
    let sketch = match r.u8()? {
        1 => {
            let n = usize::from(r.u16()?);
            let bins: Option<Vec<u16>> = (0..n).map(|_| r.u16()).collect();
            Sketch::MinHash(bins?.into_boxed_slice())
        }
        2 => Sketch::SimHash(r.u64()?),
        _ => return None,
    };
    let facts_len = usize::from(r.u16()?);
    let facts: Option<Vec<Fact>> = (0..facts_len)
        .map(|_| {
            Some(Fact {
                left: r.u32()?,
                right: r.u32()?,
                value: r.u32()?,
            })
        })
        .collect();
    let fingerprint = Fingerprint {
        text_hash,
        content_chars,
        has_image,
        sketch,
        facts: facts?.into_boxed_slice(),
    };
    Some((path, stamp, fingerprint))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fingerprint {
        Fingerprint::of_text(
            "7月9日0时至24时，北京无新增本土确诊病例。",
            true,
            NearMethod::default(),
        )
    }

    #[test]
    fn round_trips_and_checks_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.fp");
        let m = NearMethod::default();
        let stamp = Stamp {
            size: 10,
            modified_ns: 5_000_000_123,
            changed_ns: 5_000_000_456,
            inode: 77,
        };
        let fp = sample();
        write(&file, m, [("a/b.md", stamp, &fp)].into_iter()).unwrap();
        let mut loaded = Loaded::read(Some(&file), m);
        assert!(loaded.note.is_none());
        let changed = Stamp { size: 11, ..stamp };
        assert_eq!(
            loaded.take("a/b.md", Some(changed)),
            None,
            "a changed size misses"
        );
        // A same-size file renamed into place (another inode) misses too.
        let mut loaded = Loaded::read(Some(&file), m);
        let replaced = Stamp { inode: 78, ..stamp };
        assert_eq!(loaded.take("a/b.md", Some(replaced)), None);
        let mut loaded = Loaded::read(Some(&file), m);
        assert_eq!(loaded.take("a/b.md", Some(stamp)), Some(fp));
    }

    #[test]
    fn damaged_or_other_method_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.fp");
        let m = NearMethod::default();
        let stamp = Stamp {
            size: 1,
            ..Stamp::default()
        };
        write(&file, m, [("a.md", stamp, &sample())].into_iter()).unwrap();
        let other = NearMethod::SimHash {
            shingle_chars: 4,
            max_distance: 3,
        };
        assert!(Loaded::read(Some(&file), other).note.is_some());
        let mut bytes = fs::read(&file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        fs::write(&file, &bytes).unwrap();
        let mut loaded = Loaded::read(Some(&file), m);
        assert!(loaded.note.is_some());
        assert_eq!(loaded.take("a.md", Some(stamp)), None);
        fs::write(&file, b"short").unwrap();
        assert!(Loaded::read(Some(&file), m).note.is_some());
    }
}
