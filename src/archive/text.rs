//! Turning a post's bytes into text: encoding and line-ending detection.
//!
//! Posts are mostly UTF-8, but Chinese archives carry some GBK/GB18030 files and a few
//! UTF-16 ones written by Windows editors. We detect a BOM first, then accept valid UTF-8,
//! then let `chardetng` guess a legacy encoding. A file that is UTF-8 except for a few
//! broken sequences stays UTF-8 (with a problem) rather than being misread as another
//! encoding. The encoding is remembered so that a save writes the same bytes back.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// The encoding a file was read with, and whether it started with a byte-order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEncoding {
    pub encoding: &'static Encoding,
    pub bom: bool,
}

impl TextEncoding {
    pub const UTF8: Self = Self {
        encoding: UTF_8,
        bom: false,
    };

    /// A short human name: `UTF-8`, `UTF-8 (BOM)`, `GBK`, `UTF-16LE (BOM)`…
    pub fn label(&self) -> String {
        if self.bom {
            format!("{} (BOM)", self.encoding.name())
        } else {
            self.encoding.name().to_owned()
        }
    }

    pub fn is_utf8(&self) -> bool {
        self.encoding == UTF_8
    }

    /// The byte-order mark this encoding writes, empty when the file had none.
    pub fn bom_bytes(&self) -> &'static [u8] {
        match (self.bom, self.encoding.name()) {
            (false, _) => b"",
            (true, "UTF-16LE") => b"\xFF\xFE",
            (true, "UTF-16BE") => b"\xFE\xFF",
            (true, _) => b"\xEF\xBB\xBF",
        }
    }
}

impl serde::Serialize for TextEncoding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

impl<'de> serde::Deserialize<'de> for TextEncoding {
    /// Reads back a [`TextEncoding::label`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let label = String::deserialize(d)?;
        let (name, bom) = match label.strip_suffix(" (BOM)") {
            Some(name) => (name, true),
            None => (label.as_str(), false),
        };
        Encoding::for_label_no_replacement(name.as_bytes())
            .map(|encoding| Self { encoding, bom })
            .ok_or_else(|| serde::de::Error::custom(format_args!("unknown encoding {label}")))
    }
}

/// How lines end in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    Lf,
    Crlf,
    /// Both `\n` and `\r\n` occur.
    Mixed,
    /// The text has no line break at all.
    None,
}

impl LineEnding {
    pub fn detect(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lf = 0usize;
        let mut crlf = 0usize;
        for i in memchr::memchr_iter(b'\n', bytes) {
            if i > 0 && bytes.get(i - 1) == Some(&b'\r') {
                crlf += 1;
            } else {
                lf += 1;
            }
        }
        match (lf, crlf) {
            (0, 0) => Self::None,
            (_, 0) => Self::Lf,
            (0, _) => Self::Crlf,
            _ => Self::Mixed,
        }
    }

    /// The line break to use when writing new lines into such a file.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Crlf => "\r\n",
            _ => "\n",
        }
    }
}

/// The outcome of decoding a file's bytes.
#[derive(Debug)]
pub struct Decoded {
    /// The text without its byte-order mark.
    pub text: String,
    pub encoding: TextEncoding,
    /// Number of byte sequences that were invalid in `encoding` (replaced by U+FFFD).
    pub invalid_sequences: usize,
    /// The encoding is a guess from too little evidence (a few non-ASCII bytes): the
    /// text may be misread, and a reader should be told.
    pub uncertain: bool,
}

/// True when the bytes look like a binary file rather than text.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..8192).unwrap_or(bytes);
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return false;
    }
    head.contains(&0)
}

/// Decodes `bytes`, detecting the encoding as described in the module docs.
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_owned(bytes.to_vec())
}

/// Like [`decode`], but takes the bytes so that valid UTF-8 becomes the text without a
/// copy (the common case when scanning).
pub fn decode_owned(bytes: Vec<u8>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let (text, had_errors) = encoding.decode_without_bom_handling(rest);
        return Decoded {
            invalid_sequences: if had_errors {
                count_invalid(encoding, rest)
            } else {
                0
            },
            text: text.into_owned(),
            encoding: TextEncoding {
                encoding,
                bom: true,
            },
            uncertain: false,
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding: TextEncoding::UTF8,
            invalid_sequences: 0,
            uncertain: false,
        },
        Err(e) => decode_non_utf8(e.as_bytes()),
    }
}

fn decode_non_utf8(bytes: &[u8]) -> Decoded {
    let mut invalid = 0usize;
    let mut valid_multibyte = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().bytes().filter(|b| *b >= 0xC0).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    // Mostly-valid UTF-8 with a few broken sequences (a truncated character, a stray
    // byte) is damaged UTF-8, not a legacy encoding.
    if invalid <= 3 && valid_multibyte >= 8 * invalid {
        return Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: TextEncoding::UTF8,
            invalid_sequences: invalid,
            uncertain: false,
        };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let mut encoding = guess;
    let mut invalid = invalid_in(encoding, bytes);
    // `chardetng` rules out an encoding at its first invalid sequence, so Chinese text
    // with one damaged byte comes out as windows-1252 mojibake. Folio's archives are
    // mostly Chinese: when the guess is a single-byte encoding but the bytes are almost
    // all valid GBK and read as Chinese, they are damaged GBK, and the damage is
    // reported as invalid bytes. (GBK, not GB18030: its encoder writes `€` back as the
    // single byte it was read from.)
    if encoding.is_single_byte() {
        let gb_invalid = invalid_in(encoding_rs::GBK, bytes);
        let (gb_text, _) = encoding_rs::GBK.decode_without_bom_handling(bytes);
        let han = gb_text.chars().filter(|c| is_han(*c)).count();
        if gb_invalid <= 3 && han >= 2 && han >= 4 * gb_invalid {
            encoding = encoding_rs::GBK;
            invalid = gb_invalid;
        }
    }
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    // Some legacy encodings read two byte sequences as one character (Shift_JIS's NEC
    // and IBM duplicates, GB18030's single-byte `€`): such a file would not be written
    // back byte for byte, so those bytes count as not surviving decoding.
    if invalid == 0
        && let (again, _, false) = encoding.encode(&text)
        && again.as_ref() != bytes
    {
        invalid = differing_runs(&again, bytes).max(1);
    }
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    Decoded {
        invalid_sequences: invalid,
        text: text.into_owned(),
        encoding: TextEncoding {
            encoding,
            bom: false,
        },
        // Either a guess chosen over the detector's, or one made from a handful of bytes.
        uncertain: encoding != guess || non_ascii < MIN_NON_ASCII_FOR_A_SURE_GUESS,
    }
}

/// Roughly how many places two byte strings differ in (runs of differing bytes, up to
/// where the shorter ends, plus one for a length difference).
fn differing_runs(a: &[u8], b: &[u8]) -> usize {
    let mut runs = 0;
    let mut in_run = false;
    for (x, y) in a.iter().zip(b) {
        let differs = x != y;
        if differs && !in_run {
            runs += 1;
        }
        in_run = differs;
    }
    runs + usize::from(a.len() != b.len())
}

/// Fewer non-ASCII bytes than this make a legacy-encoding guess uncertain: a short
/// title's worth of bytes fits several encodings.
const MIN_NON_ASCII_FOR_A_SURE_GUESS: usize = 16;

fn invalid_in(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let (_, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        count_invalid(encoding, bytes)
    } else {
        0
    }
}

/// Whether `c` is a common Chinese character: a CJK unified ideograph of the basic
/// block or extension A (the one rule for "Han" used by encoding detection and by
/// duplicate detection).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn count_invalid(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    text.chars()
        .filter(|c| *c == char::REPLACEMENT_CHARACTER)
        .count()
        .saturating_sub(count_literal_replacements(encoding, bytes))
}

/// U+FFFD characters that were genuinely in the file (valid encodings of U+FFFD).
fn count_literal_replacements(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    if encoding == UTF_8 {
        bytes
            .windows(3)
            .filter(|w| *w == "\u{FFFD}".as_bytes())
            .count()
    } else if encoding == UTF_16LE {
        bytes.chunks_exact(2).filter(|w| *w == [0xFD, 0xFF]).count()
    } else if encoding == UTF_16BE {
        bytes.chunks_exact(2).filter(|w| *w == [0xFF, 0xFD]).count()
    } else {
        0
    }
}

/// Encodes `text` back into the file's encoding (with its BOM), or names the first
/// character that the encoding cannot represent.
pub fn encode(text: &str, encoding: TextEncoding) -> Result<Vec<u8>, char> {
    let mut out = encoding.bom_bytes().to_vec();
    let name = encoding.encoding.name();
    if encoding.is_utf8() {
        out.extend_from_slice(text.as_bytes());
        return Ok(out);
    }
    if name == "UTF-16LE" || name == "UTF-16BE" {
        let le = name == "UTF-16LE";
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        return Ok(out);
    }
    let (bytes, _, had_unmappable) = encoding.encoding.encode(text);
    if had_unmappable {
        let bad = text
            .chars()
            .find(|c| {
                let mut buf = [0u8; 4];
                encoding.encoding.encode(c.encode_utf8(&mut buf)).2
            })
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        return Err(bad);
    }
    out.extend_from_slice(&bytes);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_without_bom() {
        let d = decode("标题: 你好\n".as_bytes());
        assert_eq!(d.encoding, TextEncoding::UTF8);
        assert_eq!(d.text, "标题: 你好\n");
        assert_eq!(d.invalid_sequences, 0);
    }

    #[test]
    fn utf8_bom_is_stripped_and_remembered() {
        let d = decode(b"\xEF\xBB\xBF---\ntitle: x\n---\n");
        assert!(d.encoding.bom);
        assert!(d.encoding.is_utf8());
        assert!(d.text.starts_with("---"));
        assert_eq!(
            encode(&d.text, d.encoding).unwrap(),
            b"\xEF\xBB\xBF---\ntitle: x\n---\n"
        );
    }

    #[test]
    fn utf16le_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "---\ntitle: 中文\n---\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes);
        assert_eq!(d.encoding.encoding, UTF_16LE);
        assert_eq!(d.text, "---\ntitle: 中文\n---\n");
        assert_eq!(encode(&d.text, d.encoding).unwrap(), bytes);
    }

    #[test]
    fn gbk_is_guessed_and_round_trips() {
        let text = "---\ntitle: '公安部：今年前5个月破获电信网络诈骗案件'\ncategories:\n - 金融\n---\n\n新浪财经讯 中国人民银行今日发布数据，经济运行总体平稳。\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let d = decode(&bytes);
        assert_eq!(d.text, text);
        assert!(matches!(d.encoding.encoding.name(), "GBK" | "gb18030"));
        assert_eq!(d.invalid_sequences, 0);
        assert_eq!(encode(&d.text, d.encoding).unwrap(), bytes.as_ref());
        assert_eq!(encode("表情😀", d.encoding), Err('😀'));
    }

    #[test]
    fn legacy_bytes_that_would_not_be_written_back_count_as_damaged() {
        // NEC's 0x8790 and JIS's 0x81E0 both read as ≒; only the second is written.
        let japanese = "日本語のテキストです。".repeat(8);
        let mut bytes = encoding_rs::SHIFT_JIS.encode(&japanese).0.into_owned();
        bytes.extend_from_slice(b"\x87\x90");
        let d = decode(&bytes);
        assert_eq!(d.encoding.encoding, encoding_rs::SHIFT_JIS);
        assert!(d.invalid_sequences >= 1);
        // A GBK `€` (0x80) is written back as it was read.
        let chinese = "中文内容，价格".repeat(8);
        let gbk = [encoding_rs::GBK.encode(&chinese).0.as_ref(), b"\x80"].concat();
        let d = decode(&gbk);
        assert_eq!(d.invalid_sequences, 0);
        assert_eq!(encode(&d.text, d.encoding).ok(), Some(gbk));
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "---\ntitle: 新浪财经新浪财经新浪财经\n---\n正文正文正文"
            .as_bytes()
            .to_vec();
        bytes.push(0xE6); // a truncated character at the end
        let d = decode(&bytes);
        assert!(d.encoding.is_utf8());
        assert_eq!(d.invalid_sequences, 1);
        assert!(d.text.ends_with('\u{FFFD}'));
    }

    #[test]
    fn line_endings() {
        assert_eq!(LineEnding::detect("a\nb\n"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("a\r\nb\r\n"), LineEnding::Crlf);
        assert_eq!(LineEnding::detect("a\r\nb\n"), LineEnding::Mixed);
        assert_eq!(LineEnding::detect("ab"), LineEnding::None);
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(!looks_binary("---\ntitle: x\n---\n".as_bytes()));
    }
}
