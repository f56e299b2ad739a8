//! Mapping between archive-relative post paths and repository paths.
//!
//! The archive may be a subfolder of the work tree (`blog/source/_posts` in a site
//! repository), so a post's repository path is the archive's prefix plus its own path,
//! `/`-separated. Only files that a scan of the archive would list count as posts: the
//! same extensions ([`crate::archive::POST_EXTENSIONS`]) and the same skipped folders,
//! so a theme's `README.md` or Hexo's `public/` never shows up as a changed post.

use std::path::{Component, Path, PathBuf};

use gix::bstr::{BStr, BString};

use crate::archive::POST_EXTENSIONS;

/// Files whose presence at the archive root marks a site folder. The same list as the
/// scan's (`archive::scan`), which keeps it private.
const SITE_CONFIGS: [&str; 7] = [
    "_config.yml",
    "_config.yaml",
    "config.toml",
    "config.yaml",
    "hugo.toml",
    "hugo.yaml",
    "hugo.json",
];

/// Top-level folders of a site that the scan skips (generated output, themes, templates).
const SITE_NON_POST_DIRS: [&str; 5] = ["public", "_site", "resources", "scaffolds", "themes"];

/// Where the archive sits in the work tree, and which of its files are posts.
#[derive(Clone, Debug)]
pub(super) struct ArchivePaths {
    /// The archive folder relative to the work tree, `/`-separated, without a trailing
    /// slash; empty when the archive is the work tree itself.
    prefix: BString,
    /// True when the archive root holds a site config, so site output folders are skipped.
    site_root: bool,
}

impl ArchivePaths {
    pub(super) fn new(prefix: BString, archive_root: &Path) -> Self {
        let site_root = SITE_CONFIGS
            .iter()
            .any(|name| archive_root.join(name).is_file());
        Self { prefix, site_root }
    }

    /// The pathspec that limits a status to the archive, or none for the whole work tree.
    /// `top` makes it independent of the current directory, `literal` of `*` or `[` in
    /// folder names.
    pub(super) fn pathspec(&self) -> Vec<BString> {
        if self.prefix.is_empty() {
            Vec::new()
        } else {
            let mut spec = BString::from(":(top,literal)");
            spec.extend_from_slice(&self.prefix);
            vec![spec]
        }
    }

    /// The repository path of an archive-relative post path, or `None` when the path
    /// leaves the archive (`..`, absolute) or is not a post.
    pub(super) fn to_repo(&self, post: &Path) -> Option<BString> {
        if !is_post(self.site_root, post) {
            return None;
        }
        let mut out = self.prefix.clone();
        for component in post.components() {
            let Component::Normal(name) = component else {
                return None;
            };
            if !out.is_empty() {
                out.push(b'/');
            }
            out.extend_from_slice(gix::path::os_str_into_bstr(name).ok()?);
        }
        Some(out)
    }

    /// The archive-relative path of a repository path, or `None` when it is outside the
    /// archive or not a post.
    pub(super) fn to_archive(&self, repo_path: &BStr) -> Option<PathBuf> {
        let rest: &[u8] = if self.prefix.is_empty() {
            repo_path
        } else {
            let rest = repo_path.strip_prefix(self.prefix.as_slice())?;
            rest.strip_prefix(b"/")?
        };
        let path = gix::path::from_byte_slice(rest).ok()?.to_owned();
        is_post(self.site_root, &path).then_some(path)
    }
}

/// True when an archive-relative path names a file the scan would read as a post.
fn is_post(site_root: bool, rel: &Path) -> bool {
    let has_post_extension = rel
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|ext| POST_EXTENSIONS.iter().any(|p| p.eq_ignore_ascii_case(ext)));
    if !has_post_extension {
        return false;
    }
    let Some(parent) = rel.parent() else {
        return false;
    };
    parent.components().enumerate().all(|(depth, component)| {
        let Component::Normal(name) = component else {
            return false;
        };
        let name = name.to_string_lossy();
        let skipped = name.starts_with('.')
            || name == "node_modules"
            || (site_root && depth == 0 && SITE_NON_POST_DIRS.contains(&name.as_ref()));
        !skipped
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(prefix: &str, site_root: bool) -> ArchivePaths {
        ArchivePaths {
            prefix: prefix.into(),
            site_root,
        }
    }

    #[test]
    fn maps_posts_both_ways_under_a_prefix() {
        let p = paths("blog/source/_posts", false);
        let repo = p.to_repo(Path::new("金融/新浪/a.md")).unwrap();
        assert_eq!(repo, "blog/source/_posts/金融/新浪/a.md");
        assert_eq!(
            p.to_archive(repo.as_ref()).unwrap(),
            Path::new("金融/新浪/a.md")
        );
        assert_eq!(p.to_archive("blog/source/_postsx/a.md".into()), None);
        assert_eq!(p.to_archive("other/a.md".into()), None);
    }

    #[test]
    fn maps_posts_at_the_work_tree_root() {
        let p = paths("", false);
        assert_eq!(
            p.to_repo(Path::new("a/b.markdown")).unwrap(),
            "a/b.markdown"
        );
        assert_eq!(
            p.to_archive("a/b.HTML".into()).unwrap(),
            Path::new("a/b.HTML")
        );
    }

    #[test]
    fn only_post_files_outside_skipped_folders_count() {
        let p = paths("", true);
        assert_eq!(p.to_archive("a/b.txt".into()), None);
        assert_eq!(p.to_archive("a/b.md".into()), Some("a/b.md".into()));
        assert_eq!(p.to_archive(".github/b.md".into()), None);
        assert_eq!(p.to_archive("x/node_modules/b.md".into()), None);
        assert_eq!(p.to_archive("themes/next/README.md".into()), None);
        assert_eq!(
            p.to_archive("source/themes/b.md".into()),
            Some("source/themes/b.md".into())
        );
        assert_eq!(p.to_archive(".b.md".into()), Some(".b.md".into()));
        assert_eq!(
            paths("", false).to_archive("themes/b.md".into()),
            Some("themes/b.md".into())
        );
    }

    #[test]
    fn paths_leaving_the_archive_are_refused() {
        let p = paths("posts", false);
        assert_eq!(p.to_repo(Path::new("../x.md")), None);
        assert_eq!(p.to_repo(Path::new("/etc/x.md")), None);
        assert_eq!(p.to_repo(Path::new("a/./b.md")).unwrap(), "posts/a/b.md");
    }

    #[test]
    fn the_pathspec_is_literal_and_from_the_top() {
        assert!(paths("", false).pathspec().is_empty());
        assert_eq!(paths("a [1]", false).pathspec(), [":(top,literal)a [1]"]);
    }
}
