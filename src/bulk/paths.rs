//! Where a moved post goes: a folder inside the archive, never out of it.

use std::path::{Component, Path, PathBuf};

/// The folder as a clean relative path; refused when it is absolute or climbs out of
/// the archive with `..`.
pub fn check_folder(folder: &Path) -> Result<PathBuf, String> {
    let mut clean = PathBuf::new();
    for component in folder.components() {
        match component {
            Component::Normal(part) => clean.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !clean.pop() {
                    return Err(format!(
                        "`{}` leaves the archive",
                        crate::archive::slash_path(folder)
                    ));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "`{}` is not a folder inside the archive (give it relative to the archive)",
                    folder.display()
                ));
            }
        }
    }
    Ok(clean)
}

/// The path a post at `rel` gets when moved into `folder` (already checked).
pub fn moved_path(rel: &Path, folder: &Path) -> Option<PathBuf> {
    rel.file_name().map(|name| folder.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_stay_inside_the_archive() {
        assert_eq!(check_folder(Path::new("a/./b")).unwrap(), Path::new("a/b"));
        assert_eq!(check_folder(Path::new("a/../b")).unwrap(), Path::new("b"));
        assert!(check_folder(Path::new("../x")).is_err());
        assert!(check_folder(Path::new("/etc")).is_err());
        assert_eq!(
            moved_path(Path::new("news/a.md"), Path::new("spam")),
            Some(PathBuf::from("spam/a.md"))
        );
    }
}
