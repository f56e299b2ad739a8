//! `folio desktop-install [--uninstall]`: puts Folio in the desktop's application menu
//! and under "Open with" for folders, for the current user, in one command.
//!
//! Writes into the user's XDG data folder (`$XDG_DATA_HOME`, else `~/.local/share`):
//! the desktop entry (`applications/folio.desktop`, `Exec=` the absolute path of the
//! running binary, `MimeType=inode/directory` for folders) and the icon in the hicolor
//! sizes, made from `assets/folio.png` at install time. Every path written is recorded
//! in a manifest (`folio/desktop-install.manifest`), together with the folders and
//! caches the install created, so that `--uninstall` removes exactly that and nothing
//! else. Installing again rewrites only what changed. The desktop database and the icon
//! cache are refreshed with `update-desktop-database` / `gtk-update-icon-cache` where
//! those tools exist (the icon cache only where the theme already has one: creating a
//! cache would make later icons invisible until it is rebuilt).

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;

#[derive(Debug, Args)]
pub struct DesktopInstallArgs {
    /// Remove what an earlier `folio desktop-install` wrote.
    #[arg(long)]
    pub uninstall: bool,
}

/// The desktop entry as shipped; `Exec=` is rewritten to this binary's path.
const DESKTOP_ENTRY: &str = include_str!("../../assets/folio.desktop");

/// The icon, 256×256; the smaller sizes are made from it.
const ICON_PNG: &[u8] = include_bytes!("../../assets/folio.png");

/// The hicolor sizes installed.
pub const ICON_SIZES: [u32; 7] = [16, 24, 32, 48, 64, 128, 256];

/// Where the manifest lives, relative to the data folder.
const MANIFEST: &str = "folio/desktop-install.manifest";

pub fn run(args: &DesktopInstallArgs) -> anyhow::Result<ExitCode> {
    let data_home = data_home()?;
    let mut out = io::stdout().lock();
    if args.uninstall {
        let removed = uninstall(&data_home)?;
        if removed.is_empty() {
            writeln!(
                out,
                "nothing to remove: Folio was not installed in {}",
                data_home.display()
            )?;
        }
        for path in removed {
            writeln!(out, "removed {}", path.display())?;
        }
    } else {
        let exe = std::env::current_exe()
            .and_then(std::fs::canonicalize)
            .context("cannot find the running folio binary")?;
        for (path, changed) in install(&data_home, &exe)? {
            let verb = if changed { "wrote" } else { "kept" };
            writeln!(out, "{verb} {}", path.display())?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `$XDG_DATA_HOME` when it is an absolute path (the spec says to ignore a relative
/// one), else `$HOME/.local/share`.
fn data_home() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from)
        && dir.is_absolute()
    {
        return Ok(dir);
    }
    match std::env::var_os("HOME").map(PathBuf::from) {
        Some(home) if home.is_absolute() => Ok(home.join(".local/share")),
        _ => bail!("neither XDG_DATA_HOME nor HOME is set to an absolute folder"),
    }
}

/// What an install wrote and created, as kept in the manifest.
#[derive(Debug, Default, PartialEq, Eq)]
struct Manifest {
    /// Files written, relative to the data folder.
    files: BTreeSet<PathBuf>,
    /// Folders and caches that did not exist before, relative to the data folder.
    created: BTreeSet<PathBuf>,
}

impl Manifest {
    fn read(data_home: &Path) -> anyhow::Result<Self> {
        let path = data_home.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let mut manifest = Self::default();
        for line in text.lines() {
            let (set, rel) = match line.split_once(' ') {
                Some(("file", rel)) => (&mut manifest.files, rel),
                Some(("created", rel)) => (&mut manifest.created, rel),
                _ => continue,
            };
            // Only paths an install can have written are honoured: a damaged or edited
            // manifest must not make `--uninstall` delete anything else.
            if is_ours(Path::new(rel)) {
                set.insert(PathBuf::from(rel));
            }
        }
        Ok(manifest)
    }

    fn write(&self, data_home: &Path) -> anyhow::Result<()> {
        let mut text = String::from("# Written by `folio desktop-install`; read by --uninstall.\n");
        for rel in &self.files {
            text.push_str(&format!("file {}\n", rel.display()));
        }
        for rel in &self.created {
            text.push_str(&format!("created {}\n", rel.display()));
        }
        write_if_changed(&data_home.join(MANIFEST), text.as_bytes())?;
        Ok(())
    }
}

/// Whether `rel` is a path `desktop-install` writes or creates.
fn is_ours(rel: &Path) -> bool {
    let rel = rel.to_string_lossy();
    let icon_dirs = ICON_SIZES.iter().flat_map(|s| {
        let dir = format!("icons/hicolor/{s}x{s}");
        [format!("{dir}/apps/folio.png"), format!("{dir}/apps"), dir]
    });
    [
        "applications",
        "applications/folio.desktop",
        "applications/mimeinfo.cache",
        "icons",
        "icons/hicolor",
        "folio",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain(icon_dirs)
    .any(|ours| ours == rel)
}

/// The files an install writes: relative path and content.
fn payload(exe: &Path) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = vec![(
        PathBuf::from("applications/folio.desktop"),
        desktop_entry(exe)?.into_bytes(),
    )];
    let icon = image::load_from_memory_with_format(ICON_PNG, image::ImageFormat::Png)
        .context("the bundled icon does not decode")?
        .into_rgba8();
    for size in ICON_SIZES {
        let scaled = if icon.width() == size {
            icon.clone()
        } else {
            image::imageops::resize(&icon, size, size, image::imageops::FilterType::Lanczos3)
        };
        let mut png = io::Cursor::new(Vec::new());
        scaled
            .write_to(&mut png, image::ImageFormat::Png)
            .context("cannot encode an icon")?;
        files.push((
            PathBuf::from(format!("icons/hicolor/{size}x{size}/apps/folio.png")),
            png.into_inner(),
        ));
    }
    Ok(files)
}

/// The shipped entry with `Exec=` running `exe` on the folder or file given.
pub fn desktop_entry(exe: &Path) -> anyhow::Result<String> {
    let Some(exe) = exe.to_str() else {
        bail!("the folio binary's path is not UTF-8: {}", exe.display());
    };
    let mut entry = String::new();
    for line in DESKTOP_ENTRY.lines() {
        if line.starts_with("Exec=") {
            entry.push_str(&format!("Exec={} %f\n", exec_argument(exe)));
            entry.push_str(&format!("TryExec={}\n", escape_value(exe)));
        } else if !line.starts_with("TryExec=") {
            entry.push_str(line);
            entry.push('\n');
        }
    }
    Ok(entry)
}

/// One `Exec=` argument: quoted when it holds a reserved character (desktop entry spec,
/// "The Exec key"), then escaped as a string value.
fn exec_argument(arg: &str) -> String {
    let reserved = |c: char| " \t\n\"'\\><~|&;$*?#()`%".contains(c);
    let quoted = if arg.contains(reserved) {
        let mut q = String::from("\"");
        for c in arg.chars() {
            match c {
                '"' | '`' | '$' | '\\' => {
                    q.push('\\');
                    q.push(c);
                }
                '%' => q.push_str("%%"),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    } else {
        arg.to_owned()
    };
    escape_value(&quoted)
}

/// A desktop entry string value: backslash and line breaks escaped.
fn escape_value(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
        .replace('\r', "\\r")
}

/// Writes every file of the payload, records it, refreshes the caches. Returns each
/// path and whether it changed.
fn install(data_home: &Path, exe: &Path) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    let previous = Manifest::read(data_home)?;
    let mut manifest = Manifest {
        files: BTreeSet::new(),
        created: previous.created.clone(),
    };
    let payload = payload(exe)?;
    let mut report = Vec::new();
    for (rel, content) in &payload {
        let path = data_home.join(rel);
        if let Some(parent) = rel.parent() {
            note_created_dirs(data_home, parent, &mut manifest.created);
        }
        let changed = write_if_changed(&path, content)?;
        manifest.files.insert(rel.clone());
        report.push((path, changed));
    }
    note_created_dirs(data_home, Path::new("folio"), &mut manifest.created);
    // Files an earlier install wrote that this one does not (none today, but a later
    // version may drop a size) go now, so that the manifest stays exact.
    for stale in previous.files.difference(&manifest.files) {
        remove_file(&data_home.join(stale))?;
    }
    let cache = Path::new("applications/mimeinfo.cache");
    if !data_home.join(cache).exists() && tool_exists("update-desktop-database") {
        manifest.created.insert(cache.to_owned());
    }
    manifest.write(data_home)?;
    refresh_caches(data_home);
    Ok(report)
}

/// Records every folder of `rel` (relative to `data_home`) that does not exist yet.
fn note_created_dirs(data_home: &Path, rel: &Path, created: &mut BTreeSet<PathBuf>) {
    for dir in rel.ancestors().filter(|d| !d.as_os_str().is_empty()) {
        if !data_home.join(dir).exists() {
            created.insert(dir.to_owned());
        }
    }
}

/// Writes `content` to `path` (folders created) unless it already holds exactly that.
fn write_if_changed(path: &Path, content: &[u8]) -> anyhow::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    std::fs::write(path, content).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

fn remove_file(path: &Path) -> anyhow::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", path.display())),
    }
}

/// Removes what the manifest lists: the files, then the caches and folders the install
/// created if nothing else is in them. Returns the paths removed.
fn uninstall(data_home: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let manifest = Manifest::read(data_home)?;
    let mut removed = Vec::new();
    for rel in &manifest.files {
        let path = data_home.join(rel);
        if remove_file(&path)? {
            removed.push(path);
        }
    }
    remove_file(&data_home.join(MANIFEST))?;
    let apps = data_home.join("applications");
    let other_entries = std::fs::read_dir(&apps).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "desktop"))
    });
    let cache = Path::new("applications/mimeinfo.cache");
    if manifest.created.contains(cache) && !other_entries {
        if remove_file(&data_home.join(cache))? {
            removed.push(data_home.join(cache));
        }
    } else {
        refresh_caches(data_home);
    }
    // Deepest first, and only when empty: never a folder someone else put files in.
    let mut dirs: Vec<&PathBuf> = manifest
        .created
        .iter()
        .filter(|rel| rel.as_path() != cache)
        .collect();
    dirs.sort_by_key(|rel| std::cmp::Reverse(rel.components().count()));
    for rel in dirs {
        let path = data_home.join(rel);
        if std::fs::remove_dir(&path).is_ok() {
            removed.push(path);
        }
    }
    Ok(removed)
}

fn tool_exists(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
}

/// Runs the desktop's cache tools where they exist; their failure is reported, not an
/// error: the files are in place and the next login picks them up.
fn refresh_caches(data_home: &Path) {
    let apps = data_home.join("applications");
    if apps.is_dir() && tool_exists("update-desktop-database") {
        run_tool("update-desktop-database", &[apps.as_os_str()]);
    }
    let hicolor = data_home.join("icons/hicolor");
    if hicolor.join("icon-theme.cache").exists() && tool_exists("gtk-update-icon-cache") {
        run_tool(
            "gtk-update-icon-cache",
            &["-f".as_ref(), "-t".as_ref(), hicolor.as_os_str()],
        );
    }
}

fn run_tool(name: &str, args: &[&std::ffi::OsStr]) {
    let result = std::process::Command::new(name)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match result {
        Ok(status) if status.success() => {}
        Ok(status) => super::say(&format!(
            "{name} failed ({status}); the menu may update later"
        )),
        Err(e) => super::say(&format!("cannot run {name}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_quotes_paths_with_reserved_characters() {
        assert_eq!(exec_argument("/usr/bin/folio"), "/usr/bin/folio");
        assert_eq!(exec_argument("/home/a b/folio"), "\"/home/a b/folio\"");
        // `$` is escaped for the Exec quoting, then the backslash for the string value.
        assert_eq!(exec_argument("/x/$y/folio"), "\"/x/\\\\$y/folio\"");
        assert_eq!(exec_argument("/x/100%/folio"), "\"/x/100%%/folio\"");
    }

    #[test]
    fn the_entry_runs_this_binary() {
        let entry = desktop_entry(Path::new("/opt/folio/bin/folio")).unwrap_or_default();
        assert!(
            entry.contains("\nExec=/opt/folio/bin/folio %f\n"),
            "{entry}"
        );
        assert!(
            entry.contains("\nTryExec=/opt/folio/bin/folio\n"),
            "{entry}"
        );
        assert!(entry.contains("\nMimeType=inode/directory;\n"), "{entry}");
        assert_eq!(entry.matches("Exec=").count(), 2);
    }

    #[test]
    fn only_our_paths_are_honoured_in_a_manifest() {
        assert!(is_ours(Path::new("applications/folio.desktop")));
        assert!(is_ours(Path::new("icons/hicolor/48x48/apps/folio.png")));
        assert!(!is_ours(Path::new("../../etc/passwd")));
        assert!(!is_ours(Path::new("applications/other.desktop")));
    }
}
