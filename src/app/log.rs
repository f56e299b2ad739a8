//! The log file: a double-clicked app has no terminal, so Folio logs to
//! `<data dir>/folio.log` (e.g. `~/.local/share/folio/folio.log` on Linux).
//!
//! `RUST_LOG` adjusts the level (default `info`). A log that cannot be opened is not
//! an error worth stopping for: Folio then logs to stderr.

use std::fs::OpenOptions;
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// The log file's path in the platform's data folder.
pub fn log_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "folio").map(|d| d.data_dir().join("folio.log"))
}

/// Installs the global logger; returns the log file's path when it writes to one.
pub fn init() -> Option<PathBuf> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let file = log_path().and_then(|path| {
        std::fs::create_dir_all(path.parent()?).ok()?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .ok()?;
        Some((path, file))
    });
    match file {
        Some((path, file)) => {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(Mutex::new(file))
                .try_init();
            Some(path)
        }
        None => {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::io::stderr)
                .try_init();
            None
        }
    }
}
