//! Bounds on the front matter handed to the YAML and TOML parsers.
//!
//! Those parsers take time that grows faster than the input on some shapes (80,000 keys
//! took 31 s, 100,000 nested `[` 16 s) and recurse once per nesting level, so a single
//! hostile post could stall a whole scan or overflow the stack. Real front matter is a
//! few dozen short lines. So before parsing, one linear pass measures the block, and a
//! block past any limit is not parsed: the post gets a [`ProblemKind::TooComplex`]
//! error (it is listed, shown and checked like any broken post, and not editable key by
//! key), and the scan goes on at full speed.

use super::problem::{Problem, ProblemKind};

/// Largest front-matter block parsed, in bytes.
pub const MAX_FRONT_BYTES: usize = 256 * 1024;

/// Most lines in a front-matter block parsed (every key takes at least one): the YAML
/// parser's time grows with the square of the key count, and 2,000 keys take ~20 ms.
pub const MAX_FRONT_LINES: usize = 2_000;

/// Deepest nesting of `[`/`{` (flow collections, inline tables and arrays) parsed.
pub const MAX_FRONT_NESTING: usize = 64;

/// Most `.`-separated parts in one TOML key or table header (each is a nested table).
pub const MAX_KEY_PARTS: usize = 64;

/// Most YAML anchors and aliases (`&a`, `*a`) in one block: each alias can repeat a
/// whole subtree, so many of them can multiply the parsed size.
pub const MAX_ALIASES: usize = 256;

/// Why `source` (the text between the fences, starting at 1-based line `first_line`)
/// should not be parsed, if it should not.
pub fn check_front(source: &str, first_line: usize) -> Option<Problem> {
    let too_complex = |line: Option<usize>, what: String| {
        Some(Problem::error(
            ProblemKind::TooComplex,
            line,
            format!("front matter not parsed: {what}"),
        ))
    };
    if source.len() > MAX_FRONT_BYTES {
        return too_complex(
            Some(first_line),
            format!(
                "{} KiB, over the {} KiB limit",
                source.len() / 1024,
                MAX_FRONT_BYTES / 1024
            ),
        );
    }
    let lines = memchr::memchr_iter(b'\n', source.as_bytes()).count() + 1;
    if lines > MAX_FRONT_LINES {
        return too_complex(
            Some(first_line),
            format!("{lines} lines, over the {MAX_FRONT_LINES}-line limit"),
        );
    }
    let mut depth = 0usize;
    let mut aliases = 0usize;
    let mut quote: Option<u8> = None;
    let mut line = first_line;
    let mut key_parts = 1usize;
    let mut previous = b'\n';
    for &b in source.as_bytes() {
        if b == b'\n' {
            line += 1;
            key_parts = 1;
            // A quoted YAML/TOML scalar may span lines, but not a comment.
            previous = b;
            continue;
        }
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if previous != b'\\' => quote = Some(b),
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_FRONT_NESTING {
                    return too_complex(
                        Some(line),
                        format!("nested more than {MAX_FRONT_NESTING} levels deep"),
                    );
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            (None, b'&' | b'*')
                if matches!(previous, b' ' | b'\t' | b':' | b'-' | b'[' | b',' | b'\n') =>
            {
                aliases += 1;
                if aliases > MAX_ALIASES {
                    return too_complex(
                        Some(line),
                        format!("more than {MAX_ALIASES} anchors and aliases"),
                    );
                }
            }
            (None, b'.') => {
                key_parts += 1;
                if key_parts > MAX_KEY_PARTS {
                    return too_complex(
                        Some(line),
                        format!("a key of more than {MAX_KEY_PARTS} dotted parts"),
                    );
                }
            }
            _ => {}
        }
        previous = b;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(source: &str) -> Option<ProblemKind> {
        check_front(source, 2).map(|p| p.kind)
    }

    #[test]
    fn real_front_matter_passes() {
        let front = "title: \"a [b] {c}\"\ncategories:\n- [x, [y]]\nheadimg: https://a.b/c.d.e.jpg\ndate: Thu, 17 Jun 2021 08:02:32 GMT\nbase: &b {a: 1}\nuse: *b\n";
        assert_eq!(kind(front), None);
    }

    #[test]
    fn each_limit_is_reported() {
        let too_complex = Some(ProblemKind::TooComplex);
        assert_eq!(kind(&"k: v\n".repeat(MAX_FRONT_LINES + 1)), too_complex);
        assert_eq!(kind(&"x".repeat(MAX_FRONT_BYTES + 1)), too_complex);
        assert_eq!(kind(&format!("tags: {}", "[".repeat(100_000))), too_complex);
        assert_eq!(kind(&format!("a{} = 1", ".b".repeat(100))), too_complex);
        assert_eq!(kind(&"- *a\n".repeat(MAX_ALIASES + 1)), too_complex);
        // Brackets and dots inside quotes are text.
        assert_eq!(kind(&format!("t: \"{}\"", "[.".repeat(1000))), None);
    }
}
