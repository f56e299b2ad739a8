//! Scanning and parsing post archives.
