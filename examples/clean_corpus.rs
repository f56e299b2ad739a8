//! Audit the cleaner over a whole archive folder: for every post, clean its body and
//! count forbidden things in the output and the article paragraphs kept.
//!
//! ```text
//! cargo run --release --example clean_corpus -- /path/to/archive [--verbose] [--show-junk]
//! ```
//!
//! Front matter is split here with a tiny helper (optional blank lines, then
//! `---\n…\n---\n`); the real splitter lives in Folio's `archive` module.

use std::path::{Path, PathBuf};

use folio::clean::{CleanContext, quality};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        anyhow::bail!("usage: clean_corpus FOLDER [--verbose] [--show-junk]");
    };
    let rest: Vec<String> = args.collect();
    let verbose = rest.iter().any(|a| a == "--verbose");
    let show_junk = rest.iter().any(|a| a == "--show-junk");
    let mut files = Vec::new();
    collect_posts(&root, &mut files)?;
    files.sort();

    let (mut posts, mut posts_with_findings, mut findings) = (0usize, 0usize, 0usize);
    let (mut source, mut junk, mut kept) = (0usize, 0usize, 0usize);
    let mut by_check: std::collections::BTreeMap<&str, usize> = Default::default();
    for file in &files {
        let raw = std::fs::read_to_string(file)?;
        let (front, body) = split_front_matter(&raw);
        let title = front.and_then(front_matter_title);
        let rel = file.strip_prefix(&root).unwrap_or(file);
        let post_dir = rel
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let ctx = CleanContext {
            title: title.as_deref(),
            post_dir: &post_dir,
        };
        let audit = quality::audit(body, &ctx);
        posts += 1;
        source += audit.source_paragraphs;
        junk += audit.junk_paragraphs;
        kept += audit.kept_paragraphs;
        if !audit.findings.is_empty() {
            posts_with_findings += 1;
            findings += audit.findings.len();
        }
        if show_junk {
            for junk in &audit.junk {
                let short: String = junk.chars().take(60).collect();
                println!("junk\t{short}");
            }
        }
        for (check, _) in &audit.findings {
            *by_check.entry(check).or_default() += 1;
        }
        if verbose && (!audit.findings.is_empty() || !audit.missing.is_empty()) {
            println!("{}", rel.display());
            for (check, excerpt) in &audit.findings {
                println!("  forbidden {check}: {excerpt:?}");
            }
            for missing in &audit.missing {
                let short: String = missing.chars().take(80).collect();
                println!("  missing: {short:?}");
            }
        }
    }
    let article = source - junk;
    println!("posts: {posts}");
    println!(
        "posts with forbidden output: {posts_with_findings} ({findings} findings) {by_check:?}"
    );
    println!(
        "source <p> with text: {source}; removed by junk rules: {junk}; article paragraphs: {article}"
    );
    println!(
        "article paragraphs kept: {kept}/{article} = {:.2}%",
        if article == 0 {
            100.0
        } else {
            kept as f64 * 100.0 / article as f64
        }
    );
    Ok(())
}

fn collect_posts(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_posts(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e == "md" || e == "markdown")
            && path.file_name().is_some_and(|n| n != "README.md")
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Split `(front matter, body)`: optional blank lines, then `---\n…\n---\n`.
fn split_front_matter(raw: &str) -> (Option<&str>, &str) {
    let start = raw.trim_start_matches(['\n', '\r', ' ', '\u{feff}']);
    let Some(after_open) = start
        .strip_prefix("---\n")
        .or_else(|| start.strip_prefix("---\r\n"))
    else {
        return (None, raw);
    };
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = after_open.get(..offset);
            let body = after_open.get(offset + line.len()..).unwrap_or("");
            return (front, body);
        }
        offset += line.len();
    }
    (None, raw)
}

/// The `title:` value with its quotes removed (enough for the 原标题 rule).
fn front_matter_title(front: &str) -> Option<String> {
    let line = front.lines().find_map(|l| l.strip_prefix("title:"))?;
    let value = line.trim();
    let value = if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        inner.replace("''", "'")
    } else if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        inner.replace("\\\"", "\"")
    } else {
        value.to_string()
    };
    Some(value)
}
