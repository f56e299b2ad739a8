//! Making fuzz inputs: mutations of real posts, and random changes to their fields.

use folio::fields::{FieldValue, Fields};

/// Largest input made, in bytes.
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;

/// A small, fast, seedable generator (xorshift64*): runs repeat from their seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // splitmix64, so that nearby seeds give unrelated sequences.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self((z ^ (z >> 31)) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// A generator for a side task, so the main sequence does not depend on it.
    pub fn fork(&mut self) -> Self {
        Self::new(self.next())
    }
}

/// Text that breaks YAML, TOML, HTML or Markdown in one way or another.
const NASTY: &[&str] = &[
    "\"",
    "'",
    "\t",
    "\r",
    "\r\n",
    "\0",
    "\u{feff}",
    "\\",
    ":",
    ": ",
    " #",
    "#",
    "- ",
    "? ",
    "|",
    ">",
    "|-",
    ">+",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "!tag ",
    "<<: *a",
    "%YAML 1.2",
    "{",
    "}",
    "[",
    "]",
    ",",
    "---",
    "+++",
    "...",
    "\n---\n",
    "\n+++\n",
    "\n...\n",
    "<div>",
    "</div>",
    "<span>",
    "<table><tr><td>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<![CDATA[",
    "&#123;",
    "&amp;",
    "{% raw %}",
    "{% endraw %}",
    "{% asset_img a.png %}",
    "```",
    "~~~",
    "![a](../x.png)",
    "[a](javascript:x)",
    "\u{1b}[2J",
    "\u{202e}",
    "\u{2028}",
    "中文",
    "😀",
    "=",
    " = ",
    "\"\"\"",
    "'''",
    "[[a]]",
    "[a.b]",
    "a.b.c = 1",
    "0x1F",
    "1e999",
    "-0",
    ".nan",
    "null",
    "~",
    "true",
    "yes",
    "on",
    "2021-06-17",
    "Thu, 17 Jun 2021 08:02:32 GMT",
    "99999999999999999999999999999",
    "\u{85}",
    "\u{a0}",
];

/// Values a changed field may get.
const VALUES: &[&str] = &[
    "",
    " ",
    "x",
    "新标题",
    "a: b",
    "a #b",
    "#x",
    "- x",
    "\"q\"",
    "'q'",
    "it's",
    "a\\b",
    "true",
    "null",
    "~",
    "1",
    "1.5",
    "-",
    "[x]",
    "{x}",
    "&a",
    "*a",
    "!x",
    "@x",
    "`x`",
    "%x",
    "x ",
    " x",
    "a\tb",
    "line\nbreak",
    "---",
    "+++",
    "...",
    "2021-06-17",
    "Thu, 17 Jun 2021 08:02:32 GMT",
    "2021-06-17T08:02:32+08:00",
    "not a date",
    "😀",
    "\u{feff}x",
    "\u{85}",
    "a\u{2028}b",
    "https://n.sinaimg.cn/a.jpg",
    "../i/a.png",
    "=",
    "a = b",
    "\"\"\"",
    "0x10",
    "1e3",
    "yes",
];

/// Keys a change may add.
const KEYS: &[&str] = &[
    "title",
    "author",
    "categories",
    "tags",
    "date",
    "updated",
    "comments",
    "headimg",
    "thumbnail",
    "new_key",
    "Title",
    "key with space",
    "k:",
    "中文键",
    "a.b",
    "\"q\"",
    "-",
    "draft",
];

/// One input: a seed (or two spliced) with one to five mutations.
pub fn input(seeds: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = rng.pick(seeds).cloned().unwrap_or_default();
    for _ in 0..1 + rng.below(5) {
        mutate(&mut bytes, seeds, rng);
        if bytes.len() > MAX_INPUT_BYTES {
            bytes.truncate(MAX_INPUT_BYTES);
        }
    }
    bytes
}

/// Byte offsets where lines start.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
        .filter(|i| *i <= bytes.len())
        .collect()
}

fn insert(bytes: &mut Vec<u8>, at: usize, what: &[u8]) {
    let at = at.min(bytes.len());
    bytes.splice(at..at, what.iter().copied());
}

/// A place to insert at: anywhere, or at a line start (half the time).
fn place(bytes: &[u8], rng: &mut Rng) -> usize {
    if rng.chance(2) {
        let starts = line_starts(bytes);
        rng.pick(&starts).copied().unwrap_or(0)
    } else {
        rng.below(bytes.len() + 1)
    }
}

fn mutate(bytes: &mut Vec<u8>, seeds: &[Vec<u8>], rng: &mut Rng) {
    let len = bytes.len();
    match rng.below(22) {
        0 => {
            if let Some(b) = bytes.get_mut(rng.below(len)) {
                *b = rng.next() as u8;
            }
        }
        1 => {
            if let Some(b) = bytes.get_mut(rng.below(len)) {
                *b ^= 1 << rng.below(8);
            }
        }
        2 => bytes.truncate(rng.below(len + 1)),
        3 => {
            // Duplicate a line.
            let starts = line_starts(bytes);
            let i = rng.below(starts.len());
            if let (Some(&a), Some(&b)) = (starts.get(i), starts.get(i + 1)) {
                let line = bytes.get(a..b).map(<[u8]>::to_vec).unwrap_or_default();
                insert(bytes, b, &line);
            }
        }
        4 => {
            // Remove a line.
            let starts = line_starts(bytes);
            let i = rng.below(starts.len());
            if let (Some(&a), Some(&b)) = (starts.get(i), starts.get(i + 1)) {
                bytes.drain(a..b);
            }
        }
        5 => {
            let fence = rng
                .pick(&["---\n", "+++\n", "...\n", "---\r\n", "--- \n"])
                .copied();
            let at = place(bytes, rng);
            insert(bytes, at, fence.unwrap_or("---\n").as_bytes());
        }
        6..=8 => {
            let nasty = rng.pick(NASTY).copied().unwrap_or("\"");
            let at = place(bytes, rng);
            insert(bytes, at, nasty.as_bytes());
        }
        9 => {
            let bom: &[u8] = match rng.below(3) {
                0 => b"\xEF\xBB\xBF",
                1 => b"\xFF\xFE",
                _ => b"\xFE\xFF",
            };
            let at = if rng.chance(2) { 0 } else { place(bytes, rng) };
            insert(bytes, at, bom);
        }
        10 => {
            // Deep nesting.
            let most = if rng.chance(16) { 100_000 } else { 500 };
            let n = 1 + rng.below(most);
            let unit = rng
                .pick(&[
                    "[",
                    "{",
                    "<div>",
                    "<span>",
                    "<b>",
                    "<table><tr><td>",
                    "<blockquote>",
                    "> ",
                    "- ",
                    "  ",
                    "<ul><li>",
                    "*",
                    "_",
                    "`",
                    "(",
                    "![",
                    "<a href=x>",
                ])
                .copied()
                .unwrap_or("[");
            let at = place(bytes, rng);
            insert(bytes, at, unit.repeat(n).as_bytes());
        }
        11 => {
            // Indentation nesting in YAML.
            let n = 1 + rng.below(200);
            let mut nested = String::new();
            for i in 0..n {
                nested.push_str(&" ".repeat(i));
                nested.push_str("k:\n");
            }
            let at = place(bytes, rng);
            insert(bytes, at, nested.as_bytes());
        }
        12 => {
            // Anchors, aliases and tags, including a small billion laughs.
            let snippet = rng
                .pick(&[
                    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
                    "base: &base {title: x}\nmerged:\n  <<: *base\n",
                    "title: !!binary aGVsbG8=\n",
                    "title: !custom x\n",
                    "title: *undefined\n",
                    "? complex key\n: value\n",
                    "title: &self *self\n",
                ])
                .copied()
                .unwrap_or_default();
            let at = place(bytes, rng);
            insert(bytes, at, snippet.as_bytes());
        }
        13 => {
            // A huge line.
            let most = if rng.chance(16) { 1_000_000 } else { 5_000 };
            let n = 200 + rng.below(most);
            let c = rng
                .pick(&["x", "中", " ", "\"", "a:", "-"])
                .copied()
                .unwrap_or("x");
            let at = place(bytes, rng);
            insert(bytes, at, c.repeat(n).as_bytes());
        }
        14 => {
            // Invalid UTF-8.
            let n = 1 + rng.below(8);
            let junk: Vec<u8> = (0..n).map(|_| 0x80 | rng.next() as u8).collect();
            let at = rng.below(len + 1);
            insert(bytes, at, &junk);
        }
        15 => {
            // The whole post in a legacy or UTF-16 encoding.
            let text = String::from_utf8_lossy(bytes).into_owned();
            *bytes = match rng.below(3) {
                0 => encoding_rs::GBK.encode(&text).0.into_owned(),
                1 => encoding_rs::BIG5.encode(&text).0.into_owned(),
                _ => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            };
        }
        16 => {
            // Line endings changed: CRLF, or CR only.
            let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
            let ending = if rng.chance(2) { "\r\n" } else { "\r" };
            *bytes = text.replace('\n', ending).into_bytes();
        }
        17 => {
            // Splice with another seed.
            if let Some(other) = rng.pick(seeds) {
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                bytes.truncate(cut);
                bytes.extend_from_slice(other.get(from..).unwrap_or_default());
            }
        }
        18 => {
            // A key with a nasty value, in the front matter's first lines.
            let key = rng.pick(KEYS).copied().unwrap_or("k");
            let value = rng.pick(NASTY).copied().unwrap_or("x");
            let line = format!("{key}: {value}\n");
            let starts = line_starts(bytes);
            let at = starts.get(1 + rng.below(4)).copied().unwrap_or(0);
            insert(bytes, at, line.as_bytes());
        }
        19 => {
            let n = 1 + rng.below(64);
            let at = rng.below(len + 1);
            insert(bytes, at, &vec![0u8; n]);
        }
        20 => {
            // Many keys.
            let most = if rng.chance(8) { 20_000 } else { 500 };
            let n = 1 + rng.below(most);
            let keys: String = (0..n).map(|i| format!("k{i}: v\n")).collect();
            let starts = line_starts(bytes);
            let at = starts.get(1).copied().unwrap_or(0);
            insert(bytes, at, keys.as_bytes());
        }
        _ => {
            // Swap two ranges' worth: move a chunk elsewhere.
            let a = rng.below(len + 1);
            let b = (a + rng.below(256)).min(len);
            let chunk: Vec<u8> = bytes.drain(a..b).collect();
            let at = rng.below(bytes.len() + 1);
            insert(bytes, at, &chunk);
        }
    }
}

/// Changes `fields` at random the way a person in the editor could; returns what was
/// done, for the report.
pub fn change_fields(fields: &mut Fields, rng: &mut Rng) -> String {
    let value = rng.pick(VALUES).copied().unwrap_or("x").to_owned();
    let count = fields.len();
    match rng.below(6) {
        0 | 1 if count > 0 => {
            let index = rng.below(count);
            let Some(field) = fields.as_mut_slice().get_mut(index) else {
                return "nothing".to_owned();
            };
            let key = field.key.clone();
            match &mut field.value {
                FieldValue::Text(t) | FieldValue::Image(t) | FieldValue::Date(t) => {
                    *t = value.clone();
                    format!("set {key:?} to {value:?}")
                }
                FieldValue::List(items) => {
                    if !items.is_empty() && rng.chance(3) {
                        let i = rng.below(items.len());
                        items.remove(i);
                        format!("removed item {i} of {key:?}")
                    } else if !items.is_empty() && rng.chance(2) {
                        let i = rng.below(items.len());
                        if let Some(item) = items.get_mut(i) {
                            *item = value.clone();
                        }
                        format!("set item {i} of {key:?} to {value:?}")
                    } else {
                        items.push(value.clone());
                        format!("added {value:?} to {key:?}")
                    }
                }
                FieldValue::Bool(b) => {
                    *b = !*b;
                    format!("flipped {key:?}")
                }
                FieldValue::Raw(_) | FieldValue::Structured(_) => "nothing".to_owned(),
            }
        }
        2 if count > 0 => {
            let index = rng.below(count);
            let key = fields
                .iter()
                .nth(index)
                .map(|f| f.key.clone())
                .unwrap_or_default();
            fields.remove_at(index);
            format!("removed {key:?}")
        }
        _ => {
            let key = rng.pick(KEYS).copied().unwrap_or("k");
            if fields.get(key).is_some() {
                return "nothing".to_owned();
            }
            let kind = folio::fields::FieldKind::of_key(key);
            let Ok(new) = kind.value_from_text(&value) else {
                return "nothing".to_owned();
            };
            if matches!(new, FieldValue::Raw(_)) {
                return "nothing".to_owned();
            }
            fields.set(key, new);
            format!("added {key:?} = {value:?}")
        }
    }
}
