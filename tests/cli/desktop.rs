//! `folio desktop-install` run as the real binary into a temporary XDG data folder.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn install(data_home: &Path, uninstall: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
    command
        .arg("desktop-install")
        .env("XDG_DATA_HOME", data_home);
    if uninstall {
        command.arg("--uninstall");
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

const SIZES: [u32; 7] = [16, 24, 32, 48, 64, 128, 256];

#[test]
fn install_writes_the_entry_and_icons_and_uninstall_leaves_nothing() {
    let home = tempfile::tempdir().unwrap();
    install(home.path(), false);
    let written = files(home.path());
    let entry =
        String::from_utf8(written[Path::new("applications/folio.desktop")].clone()).unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_folio")).unwrap();
    assert!(
        entry.contains(&format!("\nExec={} %f\n", exe.display())),
        "{entry}"
    );
    assert!(entry.contains("\nMimeType=inode/directory;\n"), "{entry}");
    assert!(entry.contains("\nIcon=folio\n"), "{entry}");
    for size in SIZES {
        let rel = format!("icons/hicolor/{size}x{size}/apps/folio.png");
        let png = image::load_from_memory(&written[Path::new(&rel)]).unwrap();
        assert_eq!((png.width(), png.height()), (size, size), "{rel}");
    }
    assert!(written.contains_key(Path::new("folio/desktop-install.manifest")));
    if let Ok(out) = Command::new("desktop-file-validate")
        .arg(home.path().join("applications/folio.desktop"))
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            out.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    // Idempotent: a second install changes nothing.
    let again = install(home.path(), false);
    assert_eq!(files(home.path()), written);
    let report = String::from_utf8(again.stdout).unwrap();
    assert!(report.lines().all(|l| l.starts_with("kept ")), "{report}");

    install(home.path(), true);
    let left: Vec<_> = walkdir::WalkDir::new(home.path())
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap().path().to_owned())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn uninstall_keeps_what_it_did_not_write() {
    let home = tempfile::tempdir().unwrap();
    let other = home.path().join("applications/other.desktop");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    std::fs::write(
        &other,
        "[Desktop Entry]\nType=Application\nName=Other\nExec=other\n",
    )
    .unwrap();
    install(home.path(), false);
    // A manifest naming a file Folio never writes is not honoured.
    let manifest = home.path().join("folio/desktop-install.manifest");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("file applications/other.desktop\nfile ../outside\n");
    std::fs::write(&manifest, text).unwrap();
    install(home.path(), true);
    assert!(other.exists());
    assert!(!home.path().join("applications/folio.desktop").exists());
    assert!(!home.path().join("icons").exists());
}

#[test]
fn shipped_icons_are_the_installed_ones() {
    let home = tempfile::tempdir().unwrap();
    install(home.path(), false);
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/icons");
    for size in SIZES {
        let installed = home
            .path()
            .join(format!("icons/hicolor/{size}x{size}/apps/folio.png"));
        let shipped = assets.join(format!("{size}x{size}/folio.png"));
        assert_eq!(
            std::fs::read(&installed).unwrap(),
            std::fs::read(&shipped).unwrap(),
            "{} differs from what desktop-install writes (copy it from {})",
            shipped.display(),
            installed.display()
        );
    }
}
