//! Making text from posts safe to print for a person: one place for every rule.
//!
//! Titles, paths, messages and bodies come from files Folio does not control. Printed
//! raw, an ESC or BEL in them drives the terminal (retitles the window, clears the
//! screen, rewrites earlier lines), and a line break inside a path forges a record. So
//! human-readable output (TSV, `check` lines, `clean` text) shows every control
//! character as a visible `\u{1b}`-style escape; JSON output is left exact, since JSON
//! escapes control characters itself.

use std::borrow::Cow;

/// How a value is placed in the output, which decides what happens to layout controls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// One TSV cell: tabs and line breaks become spaces (they would split the cell or
    /// the record), other controls are escaped.
    Cell,
    /// One line of text (a path, a message): tabs and line breaks are escaped too.
    Line,
    /// Running text with its own lines (a cleaned body): tabs and `\n` stay, other
    /// controls (a lone `\r` included) are escaped.
    Text,
}

/// `value` made safe for printing in `context`; borrowed when nothing needed changing.
pub fn escape(value: &str, context: Context) -> Cow<'_, str> {
    if !value.chars().any(|c| needs_change(c, context)) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\t' | '\n' | '\r' if context == Context::Cell => out.push(' '),
            '\t' | '\n' if context == Context::Text => out.push(c),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_change(c: char, context: Context) -> bool {
    c.is_control() && !(context == Context::Text && matches!(c, '\t' | '\n'))
}

/// One TSV cell (see [`Context::Cell`]).
pub fn cell(value: &str) -> Cow<'_, str> {
    escape(value, Context::Cell)
}

/// One line of text (see [`Context::Line`]).
pub fn line(value: &str) -> Cow<'_, str> {
    escape(value, Context::Line)
}

/// Running text (see [`Context::Text`]).
pub fn text(value: &str) -> Cow<'_, str> {
    escape(value, Context::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_become_visible() {
        let title = "\u{1b}]0;pwned\u{7}\u{1b}[2J标题";
        assert_eq!(cell(title), "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J标题");
        assert_eq!(line(title), cell(title));
        assert_eq!(text("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(line("\u{7f}"), "\\u{7f}");
    }

    #[test]
    fn layout_controls_depend_on_the_context() {
        assert_eq!(cell("a\tb\nc\rd"), "a b c d");
        assert_eq!(line("a\tb\nc\rd"), "a\\tb\\nc\\rd");
        assert_eq!(text("a\tb\nc\rd"), "a\tb\nc\\rd");
    }

    #[test]
    fn clean_values_are_borrowed() {
        assert!(matches!(cell("中文 title"), Cow::Borrowed(_)));
        assert!(matches!(text("line\nline\t"), Cow::Borrowed(_)));
    }
}
