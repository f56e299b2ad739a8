//! Writing YAML scalars: which quoting a value needs, and escaping.
//!
//! Folio writes a text value plain only when YAML reads it back as exactly that string
//! (checked with the real parser, so `true`, `null`, `~`, `1.0`, `a #b` and `- x` are
//! never written plain). Otherwise it keeps the quoting the file already used for the key
//! (the crawler single-quotes titles and URLs), and falls back to double quotes only when
//! the value holds characters single quotes cannot carry (line breaks, tabs, control
//! characters), because YAML folds line breaks inside single quotes.

use yaml_serde::Value as Yaml;

/// How a scalar is written in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Single,
    Double,
}

/// Where the scalar goes: flow collections (`[a, b]`) forbid more characters plain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    Block,
    Flow,
}

/// The style of an existing value's text (the text after `key:` or `- `).
pub(crate) fn style_of(value_text: &str) -> Style {
    match value_text.trim_start().chars().next() {
        Some('\'') => Style::Single,
        Some('"') => Style::Double,
        _ => Style::Plain,
    }
}

/// Renders `value` as a YAML scalar that reads back as exactly `value`, preferring
/// `preferred` when it can carry the value.
pub(crate) fn render_str(value: &str, preferred: Style, context: Context) -> String {
    if value.chars().any(needs_double_quotes) {
        return double_quoted(value);
    }
    match preferred {
        Style::Double => double_quoted(value),
        Style::Single => single_quoted(value),
        Style::Plain if plain_is_safe(value, context) && !yaml11_special(value) => value.to_owned(),
        Style::Plain => single_quoted(value),
    }
}

/// A date's text: plain when YAML reads it back as that text (archives write dates
/// plain, and YAML 1.1 readers are meant to see them as timestamps), else as
/// [`render_str`].
pub(crate) fn render_date(value: &str, preferred: Style) -> String {
    if preferred == Style::Plain && plain_is_safe(value, Context::Block) {
        value.to_owned()
    } else {
        render_str(value, preferred, Context::Block)
    }
}

/// Text that YAML 1.1 readers (Jekyll's Psych, Hexo's js-yaml) would not read as a
/// string: `yes`/`no`/`on`/`off`, number-like text such as `1_000` or sexagesimal
/// `1:20`, and timestamps (`2021-12-20 14:08:19`).
fn yaml11_special(value: &str) -> bool {
    const WORDS: [&str; 8] = ["y", "yes", "n", "no", "on", "off", "true", "false"];
    if WORDS.iter().any(|w| value.eq_ignore_ascii_case(w)) {
        return true;
    }
    let b = value.as_bytes();
    let timestamp_like = b.len() >= 8
        && b.iter().take(4).all(u8::is_ascii_digit)
        && b.get(4) == Some(&b'-')
        && b.get(5).is_some_and(u8::is_ascii_digit);
    if timestamp_like {
        return true;
    }
    value.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '_' | ':' | '.' | '+' | '-' | 'e' | 'E'))
}

/// A mapping key: plain when that reads back as the key, single-quoted otherwise.
pub(crate) fn render_key(key: &str) -> String {
    if !key.contains(':') && plain_is_safe(key, Context::Flow) {
        key.to_owned()
    } else {
        render_str(key, Style::Single, Context::Block)
    }
}

/// Characters that single quotes cannot carry unchanged (YAML folds line breaks and
/// forbids non-printable characters).
fn needs_double_quotes(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
    ) || (c.is_control() && c != ' ')
}

pub(crate) fn single_quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

pub(crate) fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if needs_double_quotes(c) => {
                let code = u32::from(c);
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// True when `value` written plain reads back as the same string.
fn plain_is_safe(value: &str, context: Context) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let indicators = "-?:,[]{}#&*!|>'\"%@`";
    if indicators.contains(first)
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace)
        || value.ends_with(':')
        || value.contains(": ")
        || value.contains(" #")
        || value.contains('\t')
        || value.chars().any(needs_double_quotes)
    {
        return false;
    }
    if context == Context::Flow && value.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    reads_back_as_string(value, context)
}

fn reads_back_as_string(value: &str, context: Context) -> bool {
    let source = match context {
        Context::Block => format!("k: {value}\n"),
        Context::Flow => format!("k: [{value}]\n"),
    };
    let Ok(Yaml::Mapping(map)) = yaml_serde::from_str::<Yaml>(&source) else {
        return false;
    };
    let expected = Yaml::String(value.to_owned());
    match (map.get("k"), context) {
        (Some(v), Context::Block) => *v == expected,
        (Some(Yaml::Sequence(items)), Context::Flow) => items.as_slice() == [expected],
        _ => false,
    }
}

/// Where a one-line scalar's text ends within `line` (which starts at the scalar), so
/// that a trailing comment after it can be kept. `None` when the scalar does not end on
/// this line (an unclosed quote).
pub(crate) fn scalar_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    match bytes.first() {
        Some(b'\'') => {
            let mut i = 1;
            while let Some(&b) = bytes.get(i) {
                if b == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Some(i + 1);
                }
                i += 1;
            }
            None
        }
        Some(b'"') => {
            let mut i = 1;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\\' => i += 2,
                    b'"' => return Some(i + 1),
                    _ => i += 1,
                }
            }
            None
        }
        _ => {
            // A plain scalar ends at ` #` (a comment) or the end of the line.
            let end = line.find(" #").or_else(|| line.find("\t#"));
            let text = end.and_then(|e| line.get(..e)).unwrap_or(line);
            Some(text.trim_end().len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(rendered: &str) -> Yaml {
        let map: yaml_serde::Mapping = yaml_serde::from_str(&format!("k: {rendered}\n")).unwrap();
        map.get("k").unwrap().clone()
    }

    #[test]
    fn plain_only_when_safe() {
        for v in [
            "新浪财经",
            "36kr",
            "Hacker News",
            "a:b",
            "https://x.cn/a?b=1#c",
        ] {
            assert_eq!(render_str(v, Style::Plain, Context::Block), v);
        }
        for v in [
            "true",
            "null",
            "~",
            "1.0",
            "12",
            "a #b",
            "- x",
            "a: b",
            "@x",
            "`x",
            " x",
            "x ",
            "",
            "'q'",
            "no",
            "2021-12-20 14:08:19",
            "1:20",
        ] {
            let r = render_str(v, Style::Plain, Context::Block);
            assert_ne!(r, v, "{v:?} must be quoted");
            assert_eq!(reads(&r), Yaml::String(v.to_owned()), "{v:?} -> {r}");
        }
    }

    #[test]
    fn single_quotes_double_the_quote() {
        assert_eq!(render_str("It's", Style::Single, Context::Block), "'It''s'");
        assert_eq!(reads("'It''s'"), Yaml::String("It's".into()));
    }

    #[test]
    fn line_breaks_force_double_quotes() {
        let v = "a\nb\t\"c\"\\ \u{7} \u{2028}";
        let r = render_str(v, Style::Single, Context::Block);
        assert!(r.starts_with('"'), "{r}");
        assert_eq!(reads(&r), Yaml::String(v.to_owned()));
    }

    #[test]
    fn scalar_ends_before_comment() {
        assert_eq!(scalar_end("'a '' b' # c"), Some(8));
        assert_eq!(scalar_end("\"a \\\" b\" # c"), Some(8));
        assert_eq!(scalar_end("post   # the layout"), Some(4));
        assert_eq!(scalar_end("'open"), None);
    }
}
