//! The typed view of a post's front matter.
//!
//! YAML is parsed with `yaml_serde` and TOML with `toml` into a generic value, then the
//! keys Folio understands are read leniently (a category may be a scalar, a list or a list
//! of lists; an author a string or a list; a cover a string or a map with `image`). Every
//! other key is kept, in file order, as a compact text rendering of its value. Values are
//! kept as written, HTML entities included (`&#123;`): [`display_text`] decodes them for
//! display, so that what is saved back is never altered behind the editor's back.

use std::borrow::Cow;

use super::date::DateValue;
use super::problem::{Problem, ProblemKind};
use super::split::FrontMatterKind;

/// Keys read into typed fields that archives spell two ways. [`FrontMatter`] merges
/// both spellings for display and search, and remembers which one the file used so
/// that an edit goes back to the key as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AliasedKey {
    /// `categories` (Hexo, Hugo) or `category` (Jekyll).
    Categories,
    /// `tags` or `tag`.
    Tags,
    /// `author` or `authors` (Hugo).
    Authors,
    /// `updated` (Hexo) or `lastmod` (Hugo).
    Updated,
}

impl AliasedKey {
    pub const ALL: [Self; 4] = [Self::Categories, Self::Tags, Self::Authors, Self::Updated];

    /// The usual spelling, used when a post has neither.
    pub fn canonical(self) -> &'static str {
        self.spellings()[0]
    }

    /// Both spellings, the usual one first.
    pub fn spellings(self) -> [&'static str; 2] {
        match self {
            Self::Categories => ["categories", "category"],
            Self::Tags => ["tags", "tag"],
            Self::Authors => ["author", "authors"],
            Self::Updated => ["updated", "lastmod"],
        }
    }

    /// The aliased key `key` is a spelling of, if any.
    pub fn of(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.spellings().contains(&key))
    }

    fn bit(self) -> u8 {
        match self {
            Self::Categories => 1,
            Self::Tags => 2,
            Self::Authors => 4,
            Self::Updated => 8,
        }
    }
}

/// The front matter of one post.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub date: Option<DateValue>,
    /// `updated` or `lastmod`.
    pub updated: Option<DateValue>,
    pub headimg: Option<String>,
    pub thumbnail: Option<String>,
    /// `cover`, or `cover.image` when the cover is a map.
    pub cover: Option<String>,
    pub image: Option<String>,
    pub comments: Option<bool>,
    /// Every other key, in file order, with its value rendered as compact text.
    pub extra: Vec<(String, String)>,
    /// Which [`AliasedKey`]s the file wrote with their usual spelling (one bit each).
    written_first: u8,
    /// Which [`AliasedKey`]s the file wrote with their second spelling.
    written_second: u8,
}

impl FrontMatter {
    /// The key as this post writes it: `category` for a Jekyll post asked for
    /// `categories`, `lastmod` for a Hugo post asked for `updated`. A spelling the post
    /// uses is kept; any other key, and an aliased key the post has under neither
    /// spelling, is returned as given.
    pub fn key_as_written<'a>(&self, key: &'a str) -> &'a str {
        let Some(aliased) = AliasedKey::of(key) else {
            return key;
        };
        let [first, second] = aliased.spellings();
        let (asked, other, other_bits) = if key == first {
            (self.written_first, second, self.written_second)
        } else {
            (self.written_second, first, self.written_first)
        };
        if asked & aliased.bit() == 0 && other_bits & aliased.bit() != 0 {
            other
        } else {
            key
        }
    }

    /// Image candidates in preference order: `headimg`, `thumbnail`, `cover`, `image`.
    pub fn image_candidates(&self) -> impl Iterator<Item = &str> {
        [&self.headimg, &self.thumbnail, &self.cover, &self.image]
            .into_iter()
            .filter_map(|v| v.as_deref())
    }

    /// The title for display (entities decoded, trimmed), empty when missing.
    pub fn display_title(&self) -> Cow<'_, str> {
        match &self.title {
            Some(t) => display_text(t.trim()),
            None => Cow::Borrowed(""),
        }
    }
}

/// Decodes HTML entities (`&#123;` → `{`, `&amp;` → `&`) for display.
pub fn display_text(value: &str) -> Cow<'_, str> {
    if value.contains('&') {
        html_escape::decode_html_entities(value)
    } else {
        Cow::Borrowed(value)
    }
}

/// The top-level entries of a front-matter block (the text between the fences), in
/// file order, with their generic values; or the problem that keeps it from parsing.
/// `first_line` is the 1-based file line of the block's first line.
pub fn entries(
    kind: FrontMatterKind,
    source: &str,
    first_line: usize,
) -> Result<Vec<(String, Value)>, Problem> {
    match kind {
        FrontMatterKind::Yaml => yaml_entries(source, first_line),
        FrontMatterKind::Toml => toml_entries(source, first_line),
        FrontMatterKind::None => Ok(Vec::new()),
    }
}

/// A line-numbered problem found while reading front matter, before it is placed.
pub(crate) struct Parsed {
    pub front: FrontMatter,
    pub problems: Vec<Problem>,
}

/// Parses the source between the fences. `first_line` is the 1-based file line of its
/// first line, so that problems point into the file.
pub(crate) fn parse(kind: FrontMatterKind, source: &str, first_line: usize) -> Parsed {
    let mut problems = Vec::new();
    let entries = match entries(kind, source, first_line) {
        Ok(e) => e,
        Err(p) => {
            return Parsed {
                front: FrontMatter::default(),
                problems: vec![p],
            };
        }
    };
    let mut front = FrontMatter::default();
    for (key, value) in entries {
        let line = key_line(source, &key).map(|l| l + first_line - 1);
        read_key(&mut front, &mut problems, key, value, line);
    }
    if front.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        let line = key_line(source, "title").map(|l| l + first_line - 1);
        problems.push(Problem::warning(
            ProblemKind::MissingTitle,
            line,
            if front.title.is_some() {
                "the title is empty"
            } else {
                "no title"
            },
        ));
    }
    Parsed { front, problems }
}

/// A front-matter value in a form independent of YAML or TOML.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, as its text (`12`, `1.5`).
    Number(String),
    /// Strings and dates: any other value with a text form.
    Scalar(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

fn yaml_entries(source: &str, first_line: usize) -> Result<Vec<(String, Value)>, Problem> {
    if source.trim().is_empty() {
        return Ok(Vec::new());
    }
    let doc: Value = yaml_serde::from_str(source).map_err(|e| {
        let line = e.location().map(|l| l.line() + first_line - 1);
        Problem::error(
            ProblemKind::Syntax,
            line,
            format!(
                "front matter is not valid YAML: {}",
                strip_location(&e.to_string())
            ),
        )
    })?;
    match doc {
        Value::Map(entries) => Ok(entries),
        Value::Null => Ok(Vec::new()),
        _ => Err(Problem::error(
            ProblemKind::NotAMapping,
            Some(first_line),
            "front matter is not a list of `key: value` pairs",
        )),
    }
}

/// yaml_serde appends " at line L column C"; the problem carries the line already.
fn strip_location(message: &str) -> &str {
    message
        .find(" at line ")
        .and_then(|i| message.get(..i))
        .unwrap_or(message)
}

/// Reads any YAML value straight into a [`Value`]: every scalar YAML can write is kept,
/// integers too long for 64 bits included (a 30-digit title is text, not an error), a
/// tag is dropped for its value, and a key written twice is an error as YAML says.
impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.to_string()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.to_string()))
    }

    fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
        Ok(Value::Number(i.to_string()))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Value, E> {
        Ok(Value::Number(u.to_string()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(yaml_serde::Number::from(f).to_string()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Scalar(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Scalar(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<Value, Value>()? {
            let key = match key {
                Value::Scalar(s) | Value::Number(s) => s,
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_owned(),
                other => compact(&other),
            };
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate entry with key `{key}`"
                )));
            }
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, contents): (String, _) = data.variant()?;
        contents.newtype_variant()
    }
}

fn toml_entries(source: &str, first_line: usize) -> Result<Vec<(String, Value)>, Problem> {
    let table: toml::Table = source.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|span| super::split::line_of(source, span.start) + first_line - 1);
        Problem::error(
            ProblemKind::Syntax,
            line,
            format!("front matter is not valid TOML: {}", e.message()),
        )
    })?;
    let mut entries: Vec<(usize, String, Value)> = table
        .into_iter()
        .map(|(k, v)| (key_line(source, &k).unwrap_or(usize::MAX), k, from_toml(v)))
        .collect();
    // `toml::Table` is sorted by key; restore file order.
    entries.sort_by_key(|(line, _, _)| *line);
    Ok(entries.into_iter().map(|(_, k, v)| (k, v)).collect())
}

fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::Scalar(s),
        toml::Value::Integer(i) => Value::Number(i.to_string()),
        toml::Value::Float(f) => Value::Number(f.to_string()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::Scalar(d.to_string()),
        toml::Value::Array(items) => Value::List(items.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => {
            Value::Map(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

fn read_key(
    front: &mut FrontMatter,
    problems: &mut Vec<Problem>,
    key: String,
    value: Value,
    line: Option<usize>,
) {
    if let Some(aliased) = AliasedKey::of(&key) {
        if key == aliased.canonical() {
            front.written_first |= aliased.bit();
        } else {
            front.written_second |= aliased.bit();
        }
    }
    match key.as_str() {
        "title" => front.title = scalar(&value),
        "categories" | "category" => flatten_into(&value, &mut front.categories),
        "tags" | "tag" => flatten_into(&value, &mut front.tags),
        "author" | "authors" => flatten_into(&value, &mut front.authors),
        "date" => front.date = date(&key, &value, line, problems),
        "updated" | "lastmod" => front.updated = date(&key, &value, line, problems),
        "headimg" => front.headimg = url(&value),
        "thumbnail" => front.thumbnail = url(&value),
        "image" => front.image = url(&value),
        "cover" => front.cover = url(&value),
        "comments" => match value {
            Value::Bool(b) => front.comments = Some(b),
            Value::Null => {}
            other => problems.push(Problem::warning(
                ProblemKind::BadValue,
                line,
                format!(
                    "`comments` should be true or false, not `{}`",
                    compact(&other)
                ),
            )),
        },
        _ => front.extra.push((key, compact(&value))),
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Scalar(s) | Value::Number(s) => Some(s.clone()),
        other => Some(compact(other)),
    }
}

/// Collects every scalar inside nested lists (and a map's `name`) in order.
fn flatten_into(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push(b.to_string()),
        Value::Scalar(s) | Value::Number(s) => {
            if !s.trim().is_empty() {
                out.push(s.clone());
            }
        }
        Value::List(items) => items.iter().for_each(|item| flatten_into(item, out)),
        Value::Map(entries) => match entries.iter().find(|(k, _)| k == "name") {
            Some((_, name)) => flatten_into(name, out),
            None => entries.iter().for_each(|(_, v)| flatten_into(v, out)),
        },
    }
}

/// An image reference: a non-empty string, or a map's `image`/`src`/`url`.
fn url(value: &Value) -> Option<String> {
    match value {
        Value::Scalar(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(k.as_str(), "image" | "src" | "url"))
            .and_then(|(_, v)| url(v)),
        Value::List(items) => items.iter().find_map(url),
        _ => None,
    }
}

fn date(
    key: &str,
    value: &Value,
    line: Option<usize>,
    problems: &mut Vec<Problem>,
) -> Option<DateValue> {
    let raw = match value {
        Value::Null => return None,
        other => scalar(other).unwrap_or_default(),
    };
    let date = DateValue::parse(&raw);
    if date.parsed.is_none() {
        problems.push(Problem::warning(
            ProblemKind::BadDate,
            line,
            format!("`{key}` is not a date: `{raw}`"),
        ));
    }
    Some(date)
}

/// A one-line rendering of a value, YAML flow style.
pub fn compact(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Scalar(s) | Value::Number(s) => s.clone(),
        Value::List(items) => {
            let inner: Vec<String> = items.iter().map(compact).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", compact(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// 1-based line (within `source`) of the top-level key `key`, if it starts a line.
pub fn key_line(source: &str, key: &str) -> Option<usize> {
    source.lines().enumerate().find_map(|(i, line)| {
        let rest = line
            .strip_prefix(key)
            .or_else(|| {
                line.strip_prefix('"')
                    .and_then(|l| l.strip_prefix(key)?.strip_prefix('"'))
            })
            .or_else(|| {
                line.strip_prefix('\'')
                    .and_then(|l| l.strip_prefix(key)?.strip_prefix('\''))
            })?;
        let rest = rest.trim_start_matches([' ', '\t']);
        (rest.starts_with(':') || rest.starts_with('=')).then_some(i + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(src: &str) -> Parsed {
        parse(FrontMatterKind::Yaml, src, 2)
    }

    #[test]
    fn corpus_layout() {
        let p = yaml(
            "title: '\"券茅\"业绩一枝独秀'\ncategories: \n - 金融\n - 新浪财经\n - 新浪财经－国內\nheadimg: 'https://n.sinaimg.cn/a.jpg'\nauthor: 新浪财经\ncomments: false\ndate: Sun, 17 Jul 2022 01:07:57 GMT\nthumbnail: 'https://n.sinaimg.cn/b.jpg'\n",
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let f = p.front;
        assert_eq!(f.title.as_deref(), Some("\"券茅\"业绩一枝独秀"));
        assert_eq!(f.categories, ["金融", "新浪财经", "新浪财经－国內"]);
        assert_eq!(f.authors, ["新浪财经"]);
        assert_eq!(f.comments, Some(false));
        assert_eq!(
            f.date.as_ref().unwrap().to_rfc3339_utc().as_deref(),
            Some("2022-07-17T01:07:57Z")
        );
        assert_eq!(f.headimg.as_deref(), Some("https://n.sinaimg.cn/a.jpg"));
        assert_eq!(f.thumbnail.as_deref(), Some("https://n.sinaimg.cn/b.jpg"));
    }

    #[test]
    fn nested_lists_flow_lists_and_maps() {
        let f = yaml("title: x\ncategories:\n -  - news\n - 动漫\ntags: ['少数派', 技术]\nauthor: [['byte']]\ncover:\n  image: /img/c.png\nlastmod: 2021-12-20\n").front;
        assert_eq!(f.categories, ["news", "动漫"]);
        assert_eq!(f.tags, ["少数派", "技术"]);
        assert_eq!(f.authors, ["byte"]);
        assert_eq!(f.cover.as_deref(), Some("/img/c.png"));
        assert_eq!(f.updated.unwrap().raw, "2021-12-20");
    }

    #[test]
    fn other_keys_kept_in_order() {
        let f = yaml("zeta: 1\ntitle: t\nalpha: [a, b]\nmeta: {k: v}\n").front;
        assert_eq!(
            f.extra,
            [
                ("zeta".to_owned(), "1".to_owned()),
                ("alpha".to_owned(), "[a, b]".to_owned()),
                ("meta".to_owned(), "{k: v}".to_owned())
            ]
        );
    }

    #[test]
    fn invalid_date_and_missing_title_are_warnings_with_lines() {
        let p = yaml("title: ' '\ndate: Invalid Date\n");
        let kinds: Vec<_> = p.problems.iter().map(|p| (p.kind, p.line)).collect();
        assert_eq!(
            kinds,
            [
                (ProblemKind::BadDate, Some(3)),
                (ProblemKind::MissingTitle, Some(2))
            ]
        );
        assert_eq!(p.front.date.unwrap().raw, "Invalid Date");
    }

    #[test]
    fn syntax_error_has_file_line() {
        let p = yaml("title: x\ncategories: [a\nauthor: y\n");
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].kind, ProblemKind::Syntax);
        assert!(p.problems[0].line.unwrap() >= 3, "{:?}", p.problems[0]);
    }

    #[test]
    fn toml_front_matter_in_file_order() {
        let p = parse(
            FrontMatterKind::Toml,
            "title = \"Hugo 文章\"\ndate = 2021-06-17T08:02:32+08:00\ntags = [\"a\", \"b\"]\nzz = 1\naa = 2\n",
            2,
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.front.title.as_deref(), Some("Hugo 文章"));
        assert_eq!(p.front.tags, ["a", "b"]);
        assert_eq!(
            p.front.date.unwrap().to_rfc3339_utc().as_deref(),
            Some("2021-06-17T00:02:32Z")
        );
        assert_eq!(p.front.extra[0].0, "zz");
    }

    #[test]
    fn long_integers_and_tags_are_values_not_errors() {
        let p = yaml(
            "title: 123456789012345678901234567890\nweight: !!float 1\ncount: 18446744073709551616\n",
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            p.front.title.as_deref(),
            Some("123456789012345678901234567890")
        );
        let dup = yaml("title: a\ntitle: b\n");
        assert_eq!(dup.problems[0].kind, ProblemKind::Syntax);
    }

    #[test]
    fn entities_decoded_for_display_only() {
        let f = yaml("title: '&#123;a&#125; &amp; b'\n").front;
        assert_eq!(f.title.as_deref(), Some("&#123;a&#125; &amp; b"));
        assert_eq!(f.display_title(), "{a} & b");
    }
}
