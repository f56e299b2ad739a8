//! The news rule's facts: the numbers, dates and places of a text, each with the
//! wording around it.
//!
//! A daily template post ("7月9日0时至24时，北京无新增本土确诊病例；新增3例境外输入…")
//! and the next day's ("7月10日…，北京…新增2例…") share almost every shingle, so any
//! similarity measure calls them copies. What tells them apart is that the *same spot in
//! the shared wording* holds a different value. So every fact is stored with its
//! context: a hash of the four symbols before it (`left`) and of the four after it
//! (`right`), where other facts stand as a placeholder of their kind (so `#月#日#时至`,
//! whatever the day), and a text's start and end as markers.
//!
//! Two texts **conflict** when a fact of one and a fact of the other share their left
//! or their right context but differ in value, and neither value occurs in the other
//! text beside the same wording (same left or same right context): a substitution.
//! One side is enough because a copy may have a line prepended ("原标题：…") or a
//! paragraph cut right next to a fact. Edits of a copy do not conflict: a paragraph
//! added or removed, or junk appended, brings or takes facts whose values the longer
//! text still has beside the same wording, and a list that grew by an item keeps every
//! old value beside its old wording.
//!
//! Facts are: runs of digits (`49.2`, `1,000` = `1000`); runs of Chinese numerals
//! followed by a unit (`三日`, `两例`) or after `第`/`周`/`期` (`星期三`); place names
//! from [`super::places`], and any two characters before 区 or 县 (`大兴区`). Only the
//! first [`MAX_FACTS`] facts of a text are kept: a template's differences start early.

use super::places;
use super::sketch::mix64;

/// Facts kept per text.
pub const MAX_FACTS: usize = 128;
/// Symbols of context on each side of a fact.
const CONTEXT: usize = 4;

/// One fact: hashes of its left context, its right context and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fact {
    pub(crate) left: u32,
    pub(crate) right: u32,
    pub(crate) value: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Place,
}

/// A text as symbols: a plain character, or a fact standing for its kind.
#[derive(Clone, Copy)]
enum Symbol {
    Char(char),
    Fact(Kind, u32),
}

impl Symbol {
    fn code(self) -> u64 {
        match self {
            Symbol::Char(c) => u64::from(c),
            Symbol::Fact(Kind::Number, _) => 0x11_0000,
            Symbol::Fact(Kind::Place, _) => 0x11_0001,
        }
    }
}

// Character classes as `matches!`, which compile to a few comparisons: these tests run
// for every character of 100,000 texts.
fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

fn is_cn_unit(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '号'
            | '时'
            | '点'
            | '分'
            | '秒'
            | '天'
            | '周'
            | '例'
            | '个'
            | '名'
            | '人'
            | '家'
            | '起'
            | '次'
            | '位'
            | '岁'
            | '元'
            | '倍'
            | '成'
    )
}

fn is_cn_marker(c: char) -> bool {
    matches!(c, '第' | '周' | '期')
}

/// The facts of a normalized text (as characters), sorted by context and value, without
/// repeats.
pub(crate) fn extract(normalized: &[char]) -> Vec<Fact> {
    let symbols = symbols(normalized);
    let mut facts: Vec<Fact> = symbols
        .iter()
        .enumerate()
        .filter_map(|(i, symbol)| match symbol {
            Symbol::Fact(kind, value) => {
                let (left, right) = context(&symbols, i, *kind);
                Some(Fact {
                    left,
                    right,
                    value: *value,
                })
            }
            Symbol::Char(_) => None,
        })
        .take(MAX_FACTS)
        .collect();
    facts.sort_unstable();
    facts.dedup();
    facts
}

fn symbols(chars: &[char]) -> Vec<Symbol> {
    let places = places::Places::get();
    let mut out: Vec<Symbol> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let rest = chars.get(i..).unwrap_or_default();
        if c.is_ascii_digit() {
            let n = number_len(rest);
            let digits: String = rest.iter().take(n).filter(|c| **c != ',').collect();
            out.push(Symbol::Fact(
                Kind::Number,
                value_hash(digits.trim_start_matches('0')),
            ));
            i += n;
        } else if let Some(n) = places.at(rest) {
            out.push(Symbol::Fact(
                Kind::Place,
                value_hash_chars(rest.get(..n).unwrap_or_default()),
            ));
            i += n;
        } else if let Some(n) = cn_number_len(rest, out.last()) {
            out.push(Symbol::Fact(
                Kind::Number,
                value_hash_chars(rest.get(..n).unwrap_or_default()),
            ));
            i += n;
        } else if (c == '区' || c == '县') && ends_with_two_han(&out) {
            let name: Vec<char> = out
                .drain(out.len() - 2..)
                .filter_map(|s| match s {
                    Symbol::Char(c) => Some(c),
                    Symbol::Fact(..) => None,
                })
                .chain(std::iter::once(c))
                .collect();
            out.push(Symbol::Fact(Kind::Place, value_hash_chars(&name)));
            i += 1;
        } else {
            out.push(Symbol::Char(c));
            i += 1;
        }
    }
    out
}

/// Digits with single `.` or `,` between digits.
fn number_len(chars: &[char]) -> usize {
    let mut n = 0;
    while let Some(c) = chars.get(n) {
        let joins =
            matches!(c, '.' | ',') && n > 0 && chars.get(n + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || joins {
            n += 1;
        } else {
            break;
        }
    }
    n
}

fn cn_number_len(chars: &[char], previous: Option<&Symbol>) -> Option<usize> {
    if !chars.first().is_some_and(|c| is_cn_digit(*c)) {
        return None;
    }
    let n = chars.iter().take_while(|c| is_cn_digit(**c)).count();
    let unit_follows = chars.get(n).is_some_and(|c| is_cn_unit(*c));
    let marker_before = matches!(previous, Some(Symbol::Char(c)) if is_cn_marker(*c));
    (unit_follows || marker_before).then_some(n)
}

fn ends_with_two_han(symbols: &[Symbol]) -> bool {
    let Some(last_two) = symbols
        .len()
        .checked_sub(2)
        .and_then(|start| symbols.get(start..))
    else {
        return false;
    };
    last_two
        .iter()
        .all(|s| matches!(s, Symbol::Char(c) if crate::archive::is_han(*c)))
}

/// Hashes of the symbols before and after the fact at `at`, the text's edges standing
/// as markers.
fn context(symbols: &[Symbol], at: usize, kind: Kind) -> (u32, u32) {
    let seed: u64 = match kind {
        Kind::Number => 1,
        Kind::Place => 2,
    };
    let edge = |position: usize| symbols.get(position).map_or(0x12_0000, |s| s.code());
    let mut left = seed;
    for back in (1..=CONTEXT).rev() {
        left = mix64(left ^ at.checked_sub(back).map_or(0x12_0000, edge));
    }
    let mut right = seed ^ 0x100;
    for ahead in 1..=CONTEXT {
        right = mix64(right ^ edge(at + ahead));
    }
    (left as u32, right as u32)
}

fn value_hash(text: &str) -> u32 {
    value_hash_chars(&text.chars().collect::<Vec<_>>())
}

fn value_hash_chars(chars: &[char]) -> u32 {
    let mut h: u64 = 0x5bd1_e995;
    for &c in chars {
        h = mix64(h ^ u64::from(c));
    }
    (h >> 32) as u32
}

/// Whether two fact lists conflict: see the module docs.
pub(crate) fn conflict(a: &[Fact], b: &[Fact]) -> bool {
    let (index_a, index_b) = (Index::new(a), Index::new(b));
    a.iter().filter(|x| !index_b.excuses(x)).any(|x| {
        index_b
            .beside(x)
            .any(|y| y.value != x.value && !index_a.excuses(y))
    })
}

/// A text's facts sorted by left context and by right context (then value).
struct Index<'a> {
    by_left: Vec<&'a Fact>,
    by_right: Vec<&'a Fact>,
}

impl<'a> Index<'a> {
    fn new(facts: &'a [Fact]) -> Self {
        let mut by_left: Vec<&Fact> = facts.iter().collect();
        let mut by_right = by_left.clone();
        by_left.sort_unstable_by_key(|f| (f.left, f.value));
        by_right.sort_unstable_by_key(|f| (f.right, f.value));
        Self { by_left, by_right }
    }

    /// This text's facts with the same left or the same right context as `fact`.
    fn beside<'s>(&'s self, fact: &'s Fact) -> impl Iterator<Item = &'a Fact> + 's {
        let left = self.by_left.partition_point(|f| f.left < fact.left);
        let right = self.by_right.partition_point(|f| f.right < fact.right);
        let same_left = self
            .by_left
            .iter()
            .skip(left)
            .take_while(move |f| f.left == fact.left);
        let same_right = self
            .by_right
            .iter()
            .skip(right)
            .take_while(move |f| f.right == fact.right);
        same_left.chain(same_right).copied()
    }

    /// Whether this text has `fact`'s value beside the same wording on either side.
    fn excuses(&self, fact: &Fact) -> bool {
        self.by_left
            .binary_search_by_key(&(fact.left, fact.value), |f| (f.left, f.value))
            .is_ok()
            || self
                .by_right
                .binary_search_by_key(&(fact.right, fact.value), |f| (f.right, f.value))
                .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dups::fingerprint::normalize;

    fn facts(text: &str) -> Vec<Fact> {
        extract(&normalize(text).chars().collect::<Vec<_>>())
    }

    const BEIJING: &str =
        "7月9日0时至24时，北京无新增本土确诊病例；新增3例境外输入确诊病例。治愈出院5例。";

    #[test]
    fn another_day_city_or_count_conflicts() {
        let a = facts(BEIJING);
        for other in [
            BEIJING.replace("9日", "10日"),
            BEIJING.replace("北京", "上海"),
            BEIJING.replace("3例", "4例"),
        ] {
            assert!(conflict(&a, &facts(&other)), "{other}");
        }
    }

    #[test]
    fn edits_without_substitution_do_not_conflict() {
        let a = facts(BEIJING);
        assert!(!conflict(&a, &a));
        let added = format!("{BEIJING}另有2例无症状感染者解除医学观察。");
        assert!(!conflict(&a, &facts(&added)));
        let removed = BEIJING.replace("治愈出院5例。", "");
        assert!(!conflict(&a, &facts(&removed)));
        let reflowed = BEIJING.replace('，', "， ");
        assert!(!conflict(&a, &facts(&reflowed)));
    }

    #[test]
    fn a_line_prepended_still_shows_the_changed_day() {
        let a = facts("11月5日0时至24时，北京无新增本土确诊病例。");
        let b = facts("原标题：北京连续3日无新增\n\n11月6日0时至24时，北京无新增本土确诊病例。");
        let c = facts("原标题：北京连续3日无新增\n\n11月5日0时至24时，北京无新增本土确诊病例。");
        assert!(conflict(&a, &b));
        assert!(!conflict(&a, &c));
    }

    #[test]
    fn a_list_that_grew_is_no_conflict() {
        let a = facts("病例1为中国籍。病例2为美国籍。");
        let b = facts("病例1为中国籍。病例2为美国籍。病例3为英国籍。");
        assert!(!conflict(&a, &b));
    }

    #[test]
    fn recognizes_numbers_chinese_numerals_and_places() {
        let list = |text: &str| {
            symbols(&normalize(text).chars().collect::<Vec<_>>())
                .iter()
                .filter(|s| matches!(s, Symbol::Fact(..)))
                .count()
        };
        assert_eq!(list("同比增长1,000.5%"), 1);
        assert_eq!(list("连续三日无新增，星期三"), 2);
        assert_eq!(list("统一一些"), 0);
        assert_eq!(list("大兴区和朝阳区"), 2);
        assert_eq!(list("来自俄罗斯3例"), 2);
        assert!(conflict(&facts("连续三日无新增"), &facts("连续四日无新增")));
        assert!(conflict(
            &facts("新增病例在大兴区发现"),
            &facts("新增病例在海淀区发现")
        ));
        assert!(conflict(
            &facts("10月制造业PMI为49.2%"),
            &facts("10月制造业PMI为49.4%")
        ));
    }
}
