//! The title order a Chinese reader expects: Chinese characters by their pinyin, mixed
//! with Latin letters as one alphabet (as phone books and file managers in China sort),
//! case ignored, and runs of digits by their value (`#994` before `#9943`, `2` before
//! `10`).
//!
//! [`title_key`] turns a title into a byte string whose plain byte order is that order,
//! computed once per post when it enters the index, so sorting compares keys only. A
//! character with several readings takes its most common one (`重` as zhong); characters
//! the pinyin table does not know (punctuation, kana, emoji) keep their own code point
//! after every letter and digit. Ties (two titles with one key) fall back to the titles
//! themselves, then to the path.

use pinyin::ToPinyin;

/// Before every other byte of a key: a digit run's marker sorts it before letters.
const DIGITS: u8 = 0x01;
/// Ends one syllable, so `xi an` (西安) sorts before `xian` (先).
const SYLLABLE_END: u8 = 0x02;
/// Before a character kept as its code point, so all of them sort after letters.
const OTHER: u8 = 0xF0;

/// The sort key of `title` (see the module docs).
pub fn title_key(title: &str) -> Box<[u8]> {
    let mut key = Vec::with_capacity(title.len() * 2);
    let mut chars = title.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || is_full_width_digit(c) {
            let mut digits = vec![digit_value(c)];
            while let Some(&next) = chars.peek() {
                if next.is_ascii_digit() || is_full_width_digit(next) {
                    digits.push(digit_value(next));
                    chars.next();
                } else {
                    break;
                }
            }
            // Leading zeros do not change the value; the length then orders by size.
            let first = digits
                .iter()
                .position(|&d| d != 0)
                .unwrap_or(digits.len() - 1);
            let significant = &digits[first..];
            key.push(DIGITS);
            key.push(u8::try_from(significant.len()).unwrap_or(u8::MAX));
            key.extend(significant.iter().map(|d| b'0' + d));
            continue;
        }
        if let Some(syllable) = c.to_pinyin() {
            key.extend_from_slice(syllable.plain().as_bytes());
            key.push(SYLLABLE_END);
            continue;
        }
        if c.is_whitespace() {
            key.push(b' ');
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        if lower.is_ascii_alphabetic() {
            key.push(lower as u8);
        } else if lower.is_ascii() {
            // ASCII punctuation sorts before letters, after digits and spaces.
            key.push(b' ');
            key.push(lower as u8);
        } else {
            key.push(OTHER);
            key.extend_from_slice(&u32::from(lower).to_be_bytes());
        }
    }
    key.into_boxed_slice()
}

fn is_full_width_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn digit_value(c: char) -> u8 {
    let zero = if c.is_ascii_digit() { '0' } else { '０' };
    u8::try_from(u32::from(c) - u32::from(zero)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(titles: &[&str]) -> Vec<String> {
        let mut titles: Vec<&str> = titles.to_vec();
        titles.sort_by(|a, b| title_key(a).cmp(&title_key(b)).then_with(|| a.cmp(b)));
        titles.into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn chinese_sorts_by_pinyin_among_latin_letters() {
        assert_eq!(
            sorted(&[
                "中国",
                "北京",
                "Apple",
                "阿里巴巴",
                "上海",
                "banana",
                "Zebra"
            ]),
            [
                "阿里巴巴",
                "Apple",
                "banana",
                "北京",
                "上海",
                "Zebra",
                "中国"
            ]
        );
    }

    #[test]
    fn numbers_sort_by_value() {
        assert_eq!(
            sorted(&["#9943", "#994", "#99401", "10月", "2月", "002月"]),
            ["002月", "2月", "10月", "#994", "#9943", "#99401"]
        );
        assert_eq!(sorted(&["第１０期", "第２期"]), ["第２期", "第１０期"]);
    }

    #[test]
    fn syllables_do_not_run_together() {
        // 西安 (xi an) before 先 (xian).
        assert_eq!(sorted(&["先", "西安"]), ["西安", "先"]);
    }
}
