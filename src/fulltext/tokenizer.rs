//! Splitting text into the terms the full-text index holds, for Chinese without a
//! dictionary.
//!
//! Chinese, Japanese and Korean characters become one term each (a unigram) and, when
//! the next character is one too, a second term of the two (a bigram) at the same
//! position; every other run of letters and digits becomes one lowercased word. Each
//! position is one character or one word, so a search for any run of CJK characters is
//! the phrase of its bigrams (or one unigram) at consecutive positions: it finds exactly
//! the texts holding that run, with no recall lost to word segmentation, and a two-
//! character query looks up a single bigram. Punctuation and spaces separate terms and
//! hold no position, as a person reading `央行，降准` does not see `行降` in it.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the index knows the tokenizer by.
pub const NAME: &str = "folio_cjk";
/// Longer words (hashes, base64 blobs, long URLs) are not indexed.
const MAX_WORD_BYTES: usize = 64;

/// Whether `c` belongs to a script written without spaces between words: Chinese
/// ([`crate::archive::is_han`] and the rarer blocks), Japanese kana, Korean syllables.
pub fn is_cjk(c: char) -> bool {
    crate::archive::is_han(c)
        || matches!(c,
            '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
            | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
            | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
            | '\u{20000}'..='\u{2FA1F}' // Extensions B–F, Compatibility Supplement
        )
}

/// Every term of `text` with its byte range and position.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut position = 0;
    let mut chars = text.char_indices().peekable();
    let token = |from: usize, to: usize, position: usize, text: String| Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    };
    while let Some((start, c)) = chars.next() {
        let end = start + c.len_utf8();
        if is_cjk(c) {
            out.push(token(start, end, position, c.to_string()));
            if let Some(&(next, n)) = chars.peek()
                && is_cjk(n)
            {
                let to = next + n.len_utf8();
                out.push(token(start, to, position, text[start..to].to_owned()));
            }
            position += 1;
        } else if c.is_alphanumeric() {
            let mut to = end;
            while let Some(&(i, n)) = chars.peek() {
                if !n.is_alphanumeric() || is_cjk(n) {
                    break;
                }
                to = i + n.len_utf8();
                chars.next();
            }
            if to - start <= MAX_WORD_BYTES {
                out.push(token(start, to, position, text[start..to].to_lowercase()));
                position += 1;
            }
        }
    }
    out
}

/// The terms to look up for a searched run of text, each with its offset in the phrase:
/// bigrams for CJK runs (a lone character as its unigram), words as they are.
pub fn query_terms(text: &str) -> Vec<(usize, String)> {
    let all = tokens(text);
    let mut picked: Vec<(usize, String)> = Vec::new();
    let mut covered_until = 0; // positions below this are covered by a picked bigram
    for (i, t) in all.iter().enumerate() {
        let is_bigram = t.text.chars().count() == 2 && t.text.chars().all(is_cjk);
        let has_bigram = all
            .get(i + 1)
            .is_some_and(|next| next.position == t.position && next.offset_from == t.offset_from);
        if is_bigram {
            picked.push((t.position, t.text.clone()));
            covered_until = t.position + 2;
        } else if !has_bigram && t.position >= covered_until {
            picked.push((t.position, t.text.clone()));
        }
    }
    let first = picked.first().map_or(0, |(p, _)| *p);
    picked
        .into_iter()
        .map(|(p, text)| (p - first, text))
        .collect()
}

/// The tokenizer registered with the index.
#[derive(Clone, Default)]
pub struct CjkTokenizer {
    buffer: Vec<Token>,
}

/// The terms of one text, handed out one by one.
pub struct CjkTokenStream<'a> {
    tokens: std::vec::Drain<'a, Token>,
    current: Token,
}

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = CjkTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream<'a> {
        self.buffer = tokens(text);
        CjkTokenStream {
            tokens: self.buffer.drain(..),
            current: Token::default(),
        }
    }
}

impl TokenStream for CjkTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(usize, String)> {
        tokens(text)
            .into_iter()
            .map(|t| (t.position, t.text))
            .collect()
    }

    #[test]
    fn chinese_gets_unigrams_and_bigrams_at_real_positions_and_words_stay_whole() {
        let got = texts("央行降准，5G手机 Apple");
        let want: Vec<(usize, String)> = [
            (0, "央"),
            (0, "央行"),
            (1, "行"),
            (1, "行降"),
            (2, "降"),
            (2, "降准"),
            (3, "准"),
            (4, "5g"),
            (5, "手"),
            (5, "手机"),
            (6, "机"),
            (7, "apple"),
        ]
        .iter()
        .map(|(p, t)| (*p, (*t).to_owned()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_query_looks_up_bigrams_or_a_lone_unigram() {
        let q = |text: &str| query_terms(text);
        assert_eq!(q("央"), [(0, "央".to_owned())]);
        assert_eq!(q("央行"), [(0, "央行".to_owned())]);
        assert_eq!(
            q("央行降准"),
            [
                (0, "央行".to_owned()),
                (1, "行降".to_owned()),
                (2, "降准".to_owned())
            ]
        );
        assert_eq!(q("5G手机"), [(0, "5g".to_owned()), (1, "手机".to_owned())]);
        assert_eq!(
            q("苹果 Inc"),
            [(0, "苹果".to_owned()), (2, "inc".to_owned())]
        );
        assert_eq!(q("，。"), []);
    }

    #[test]
    fn over_long_words_are_left_out() {
        let long = "x".repeat(MAX_WORD_BYTES + 1);
        assert_eq!(texts(&format!("{long} ok")), [(0, "ok".to_owned())]);
    }
}
