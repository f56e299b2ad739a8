//! The labelled duplicates set: real posts from `tests/fixtures/dups` plus copies and
//! look-alikes made from them, each post labelled with the story it tells.
//!
//! Copies of every fixture post with text (same label as their original): the same
//! file in another folder; the body
//! with two different kinds of junk the cleaner removes; with a crawler footer it does
//! not know; a new title; a paragraph added; a paragraph removed; the file re-encoded
//! as GBK. Look-alikes (a label of their own): the fixtures' daily "无新增" posts and
//! monthly statistics posts of one feed, and versions of them for other days, cities
//! and figures; the feed's other posts sharing its boilerplate; 36kr's two-line 快讯.
//!
//! Shared by `tests/library/dups_quality.rs` (which asserts the figures) and
//! `examples/dups_quality.rs` (which prints them for every method).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // test helpers may panic

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use folio::dups::DupGroup;

/// Fixture posts that get no copies: image-only posts, whose cleaned text is too short
/// for the text rules (they are look-alikes of each other: two different shots).
pub const NOT_COPIED: &[&str] = &[
    "source/_posts/设计/Dribbble/关键词/Basketball Player.md",
    "source/_posts/设计/Dribbble/关键词/Basketball player.md",
];

const SINA: &str = "source/_posts/金融/新浪财经/新浪财经－国內/";

/// Template posts and the substitutions that make another day's, city's or month's
/// post out of them (applied together, left to right at each position).
pub const TEMPLATES: &[(&str, &[(&str, &str)])] = &[
    (
        "0！北京昨日本土无新增.md",
        &[
            ("7月9日", "7月10日"),
            ("7月8日", "7月9日"),
            ("新增3例境外", "新增2例境外"),
            ("和1例无症状", "和3例无症状"),
            ("治愈出院5例", "治愈出院4例"),
        ],
    ),
    (
        "0！北京昨日本土无新增.md",
        &[("7月9日", "7月16日"), ("7月8日", "7月15日")],
    ),
    (
        "0！北京昨日本土无新增.md",
        &[("北京", "天津"), ("首都机场", "滨海机场")],
    ),
    (
        "0！上海昨日本土无新增.md",
        &[
            ("8月5日", "8月6日"),
            ("8例境外", "6例境外"),
            ("11例", "9例"),
            ("治愈出院6例", "治愈出院4例"),
        ],
    ),
    (
        "0！上海昨日本土无新增.md",
        &[("上海", "广州"), ("浦东国际机场", "白云国际机场")],
    ),
    (
        "0！8月8日南京市无新增本土确诊病例！.md",
        &[("8月8日", "8月9日"), ("8月9日通报", "8月10日通报")],
    ),
    (
        "0！北京连续3日无新增新冠肺炎确诊病例.md",
        &[("连续3日", "连续4日"), ("11月5日", "11月6日")],
    ),
    (
        "1-4月份全国居民消费价格（CPI）同比上涨14%.md",
        &[
            ("1—4月份", "1—5月份"),
            ("1-4月份", "1-5月份"),
            ("上涨1.4%", "上涨1.5%"),
            ("14%", "15%"),
            ("4月份，", "5月份，"),
            ("2.1%", "2.3%"),
            ("0.6个", "0.2个"),
        ],
    ),
    (
        "1-4月份全国居民消费价格（CPI）同比上涨14%.md",
        &[("全国", "广东省"), ("国家统计局", "广东省统计局")],
    ),
];

/// A 快讯 template: next month's PMI flash.
pub const PMI: (&str, &[(&str, &str)]) = (
    "source/_posts/新媒体/36kr/快讯/10月制造业PMI为492.md",
    &[
        ("10月", "11月"),
        ("49.2%", "49.4%"),
        ("492", "494"),
        ("下降0.4", "上升0.2"),
        ("52.4%", "52.3%"),
        ("下降0.8", "下降0.1"),
    ],
);

/// The labelled archive, built in a temporary folder.
pub struct LabelledSet {
    _dir: tempfile::TempDir,
    /// The archive root.
    pub root: PathBuf,
    /// Each post's label (relative path → story).
    pub labels: BTreeMap<String, String>,
    /// Posts of a daily/monthly template (originals, their copies and the versions for
    /// other days, cities and months): two of them with different labels must never be
    /// grouped.
    pub templates: BTreeSet<String>,
}

/// Pair counts and the figures made of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub posts: usize,
    pub true_pairs: usize,
    pub found_pairs: usize,
    pub correct_pairs: usize,
    pub precision: f64,
    pub recall: f64,
    /// Found pairs of two template look-alikes (each a different story).
    pub template_pairs_grouped: usize,
    /// True pairs not found, as (path, path).
    pub missed: Vec<(String, String)>,
    /// Found pairs that are not copies.
    pub wrong: Vec<(String, String)>,
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dups")
}

/// Copies the fixtures and writes every variant.
pub fn build() -> LabelledSet {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    let mut labels = BTreeMap::new();
    let mut templates = BTreeSet::new();
    for entry in walkdir::WalkDir::new(fixtures()) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(fixtures()).unwrap();
        let rel_text = folio::archive::slash_path(rel);
        write(&root, &rel_text, &fs::read(entry.path()).unwrap());
        labels.insert(rel_text.clone(), rel_text);
    }
    let originals: Vec<String> = labels
        .keys()
        .filter(|rel| !NOT_COPIED.contains(&rel.as_str()))
        .cloned()
        .collect();
    let template_originals: BTreeSet<String> = TEMPLATES
        .iter()
        .map(|(name, _)| format!("{SINA}{name}"))
        .chain([PMI.0.to_owned()])
        .chain(
            [
                "0！上海昨日本土无新增.md",
                "0！北京连续3日无新增新冠肺炎确诊病例.md",
                "0！8月8日南京市无新增本土确诊病例！.md",
            ]
            .map(|name| format!("{SINA}{name}")),
        )
        .collect();
    for original in &originals {
        let text = fs::read_to_string(fixtures().join(original)).unwrap();
        let name = Path::new(original)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let feed = Path::new(original)
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let is_template = template_originals.contains(original);
        let mut copy = |folder: &str, bytes: Vec<u8>| {
            let rel = format!("source/_posts/转载/{folder}/{feed}/{name}");
            write(&root, &rel, &bytes);
            if is_template {
                templates.insert(rel.clone());
            }
            labels.insert(rel, original.clone());
        };
        copy("另一来源", text.clone().into_bytes());
        copy("广告版", append_to_body(&text, KNOWN_JUNK_A).into_bytes());
        copy("广告版二", append_to_body(&text, KNOWN_JUNK_B).into_bytes());
        copy("页脚版", append_to_body(&text, FOOTER).into_bytes());
        copy("新标题", retitle(&text).into_bytes());
        copy("增补版", add_paragraph(&text).into_bytes());
        if let Some(shorter) = remove_paragraph(&text) {
            copy("删节版", shorter.into_bytes());
        }
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
        if !unmappable {
            copy("GBK", gbk.into_owned());
        }
    }
    templates.extend(template_originals);
    let mut versions: Vec<(String, &[(&str, &str)])> = TEMPLATES
        .iter()
        .map(|(name, subs)| (format!("{SINA}{name}"), *subs))
        .collect();
    versions.push((PMI.0.to_owned(), PMI.1));
    for (n, (original, subs)) in versions.iter().enumerate() {
        let text = fs::read_to_string(fixtures().join(original)).unwrap();
        let version = substitute(&text, subs);
        assert_ne!(version, text, "{original}: substitutions changed nothing");
        let name = Path::new(original)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let rel = format!("source/_posts/模板/第{n}版/{}", substitute(&name, subs));
        write(&root, &rel, version.as_bytes());
        labels.insert(rel.clone(), rel.clone());
        templates.insert(rel);
    }
    LabelledSet {
        _dir: dir,
        root,
        labels,
        templates,
    }
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Junk every cleaner rule set knows: styles, comments, tracking pixels, share boxes,
/// Sina's editor credit and app promo.
pub const KNOWN_JUNK_A: &str = "<style>.ad_box{display:block;color:red}</style><!-- ad slot 2 --><div class=\"share\">分享到微博 微信 QQ空间</div><img src=\"https://www.google-analytics.com/collect?v=1&tid=UA-1\" width=\"1\" height=\"1\"><p class=\"article-editor\">责任编辑：张三 SF001</p>";
const KNOWN_JUNK_B: &str = "<script>var _hmt = _hmt || [];</script><div hidden>推荐阅读：更多精彩内容</div><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"><div class=\"clearfix appendQr_wrap\"><div class=\"appendQr_normal_txt\">海量资讯、精准解读，尽在新浪财经APP</div></div>";
/// A crawler footer no rule knows: it stays in the cleaned text.
pub const FOOTER: &str = "<p>本文转载自网络，仅供学习交流，如有侵权请联系删除。</p>";
const ADDED_ZH: &str = "<p>记者从相关部门获悉，上述情况仍在进一步核实之中，后续进展本网将持续关注并及时报道，敬请留意相关消息。</p>";
const ADDED_EN: &str = "<p>Update: The company did not respond to a request for comment by the time of publication, and this story will be updated if it does.</p>";

/// The body's closing `</div>`, where crawlers append.
fn body_end(text: &str) -> usize {
    text.rfind("</div>").unwrap_or(text.len())
}

pub fn append_to_body(text: &str, junk: &str) -> String {
    let at = body_end(text);
    format!("{}{junk}\n{}", &text[..at], &text[at..])
}

pub fn retitle(text: &str) -> String {
    let start = text.find("\ntitle: ").unwrap() + 1;
    let end = start + text[start..].find('\n').unwrap();
    format!(
        "{}title: '转载｜一篇旧闻的新标题'{}",
        &text[..start],
        &text[end..]
    )
}

/// Ends of paragraphs in the body (after `</p>` or `<br><br>`), with text before them.
fn paragraph_ends(text: &str) -> Vec<usize> {
    let body_start = text[1..].find("\n---\n").map_or(0, |i| i + 6);
    let end = body_end(text);
    let mut ends = Vec::new();
    for marker in ["</p>", "<br><br>"] {
        let mut from = body_start;
        while let Some(i) = text[from..end].find(marker) {
            ends.push(from + i + marker.len());
            from += i + marker.len();
        }
    }
    ends.sort_unstable();
    ends.dedup();
    ends
}

/// English posts have hardly any Chinese characters (their categories have a few).
fn is_english(text: &str) -> bool {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
        < 30
}

pub fn add_paragraph(text: &str) -> String {
    let added = if is_english(text) { ADDED_EN } else { ADDED_ZH };
    let ends = paragraph_ends(text);
    let at = ends
        .get(ends.len() / 2)
        .copied()
        .unwrap_or_else(|| body_end(text));
    format!("{}{added}{}", &text[..at], &text[at..])
}

/// Removes the middle paragraph of a body with at least four.
pub fn remove_paragraph(text: &str) -> Option<String> {
    let ends: Vec<usize> = paragraph_ends(text);
    if ends.len() < 4 {
        return None;
    }
    let k = ends.len() / 2;
    let (from, to) = (ends[k - 1], ends[k]);
    Some(format!("{}{}", &text[..from], &text[to..]))
}

/// Applies substitutions at once: at each position the first `from` that matches wins.
pub fn substitute(text: &str, subs: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'outer: while let Some(c) = rest.chars().next() {
        for (from, to) in subs {
            if let Some(after) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = after;
                continue 'outer;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Precision and recall over pairs of posts.
pub fn measure(set: &LabelledSet, groups: &[DupGroup]) -> Figures {
    let paths: Vec<&String> = set.labels.keys().collect();
    let mut group_of: BTreeMap<String, usize> = BTreeMap::new();
    for (g, group) in groups.iter().enumerate() {
        for member in &group.members {
            group_of.insert(folio::archive::slash_path(&member.path), g);
        }
    }
    let mut f = Figures {
        posts: paths.len(),
        true_pairs: 0,
        found_pairs: 0,
        correct_pairs: 0,
        precision: 0.0,
        recall: 0.0,
        template_pairs_grouped: 0,
        missed: Vec::new(),
        wrong: Vec::new(),
    };
    for (i, a) in paths.iter().enumerate() {
        for b in paths.iter().skip(i + 1) {
            let same_story = set.labels[*a] == set.labels[*b];
            let found =
                matches!((group_of.get(*a), group_of.get(*b)), (Some(x), Some(y)) if x == y);
            f.true_pairs += usize::from(same_story);
            f.found_pairs += usize::from(found);
            f.correct_pairs += usize::from(same_story && found);
            if same_story && !found {
                f.missed.push(((*a).clone(), (*b).clone()));
            }
            if found && !same_story {
                f.wrong.push(((*a).clone(), (*b).clone()));
                if set.templates.contains(*a) && set.templates.contains(*b) {
                    f.template_pairs_grouped += 1;
                }
            }
        }
    }
    f.precision = if f.found_pairs == 0 {
        1.0
    } else {
        f.correct_pairs as f64 / f.found_pairs as f64
    };
    f.recall = if f.true_pairs == 0 {
        1.0
    } else {
        f.correct_pairs as f64 / f.true_pairs as f64
    };
    f
}
