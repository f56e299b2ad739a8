//! The raw text of a post cut into rows for the Source view.
//!
//! A post may be 64 MiB, often in a few enormous lines (scraped HTML has no line
//! breaks). Laying all of it out every frame would freeze the window, so the loader
//! thread cuts the text once into rows of at most [`MAX_ROW_CHARS`] characters (at line
//! breaks, and inside long lines at character boundaries) and the view draws only the
//! rows on screen.

use std::ops::Range;

/// Longest row drawn, in characters; longer lines continue on the next row.
pub const MAX_ROW_CHARS: usize = 160;

/// Byte ranges of the rows of one text.
#[derive(Clone, Debug, Default)]
pub struct SourceRows {
    rows: Vec<Range<usize>>,
}

impl SourceRows {
    /// Cuts `text` into rows (line breaks are not part of a row).
    pub fn new(text: &str) -> Self {
        let mut rows = Vec::new();
        let mut line_start = 0usize;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let mut row_start = line_start;
            let mut chars = 0usize;
            for (offset, _) in content.char_indices() {
                if chars == MAX_ROW_CHARS {
                    rows.push(row_start..line_start + offset);
                    row_start = line_start + offset;
                    chars = 0;
                }
                chars += 1;
            }
            rows.push(row_start..line_start + content.len());
            line_start += line.len();
        }
        Self { rows }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The text of row `index` of `text` (the text the rows were cut from).
    pub fn row<'a>(&self, text: &'a str, index: usize) -> &'a str {
        self.rows
            .get(index)
            .and_then(|range| text.get(range.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_lines_and_cut_long_ones() {
        let long = "中".repeat(MAX_ROW_CHARS + 5);
        let text = format!("---\r\ntitle: x\n{long}\n\nend");
        let rows = SourceRows::new(&text);
        let all: Vec<&str> = (0..rows.len()).map(|i| rows.row(&text, i)).collect();
        assert_eq!(all.len(), 6);
        assert_eq!(all[0], "---");
        assert_eq!(all[1], "title: x");
        assert_eq!(all[2].chars().count(), MAX_ROW_CHARS);
        assert_eq!(all[3], "中".repeat(5));
        assert_eq!(all[4], "");
        assert_eq!(all[5], "end");
        assert_eq!(rows.row(&text, 99), "");
    }
}
