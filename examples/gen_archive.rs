//! Builds a synthetic post archive for benchmarks: `gen_archive N DIR`.
//!
//! Posts are made from the real fixture posts in `tests/fixtures/archive/source`: each
//! generated post takes a fixture's body and front-matter layout and gets a varied title,
//! date (in the formats real archives use), categories and a nested folder
//! `source/_posts/<group>/<site>/<feed>/`. About one post in a thousand is broken
//! (unterminated block, YAML error, `Invalid Date`) so that scans meet real problems.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

const GROUPS: [(&str, [&str; 3]); 5] = [
    ("金融", ["新浪财经", "财联社", "华尔街见闻"]),
    ("新媒体", ["36kr", "虎嗅", "199IT"]),
    ("编程", ["开源中国", "掘金", "Hacker News"]),
    ("设计", ["Dribbble", "Behance", "Axis Studios"]),
    ("二次元", ["Bangumi", "AcFun", "Animen 动漫平台"]),
];
const FEEDS: [&str; 4] = ["快讯", "深度", "资讯", "首页更新"];
const WORDS: [&str; 16] = [
    "央行", "经济", "数据", "发布", "增长", "市场", "科技", "报告", "公司", "融资", "开源", "版本",
    "动画", "设计", "游戏", "政策",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A small deterministic generator (xorshift64*), so every run builds the same archive.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(count), Some(dir)) = (args.get(1), args.get(2)) else {
        bail!("usage: gen_archive N DIR");
    };
    let count: usize = count.parse().context("N must be a number")?;
    let dir = PathBuf::from(dir);
    let bodies = fixture_bodies()?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bytes_total = 0usize;
    for i in 0..count {
        let (group, sites) = GROUPS[rng.below(GROUPS.len())];
        let site = sites[rng.below(sites.len())];
        let feed = FEEDS[rng.below(FEEDS.len())];
        let title = title(&mut rng, i);
        let folder = dir.join("source/_posts").join(group).join(site).join(feed);
        fs::create_dir_all(&folder).with_context(|| folder.display().to_string())?;
        let body = &bodies[rng.below(bodies.len())];
        let text = post(&mut rng, i, &title, [group, site, feed], body);
        bytes_total += text.len();
        let path = folder.join(format!("{title}.md"));
        fs::write(&path, text).with_context(|| path.display().to_string())?;
    }
    println!(
        "wrote {count} posts ({:.1} MiB) under {}",
        bytes_total as f64 / (1024.0 * 1024.0),
        dir.display()
    );
    Ok(())
}

fn title(rng: &mut Rng, i: usize) -> String {
    let mut t = String::new();
    for _ in 0..3 + rng.below(4) {
        t.push_str(WORDS[rng.below(WORDS.len())]);
    }
    let _ = write!(t, " {i}");
    t
}

fn date(rng: &mut Rng, i: usize) -> String {
    let (year, month, day) = (2018 + rng.below(5), 1 + rng.below(12), 1 + rng.below(28));
    let (h, m, s) = (rng.below(24), rng.below(60), rng.below(60));
    match i % 10 {
        0..=6 => format!(
            "{}, {day:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
            WEEKDAYS[(year * 365 + month * 31 + day) % 7],
            MONTHS[month - 1]
        ),
        7 | 8 => format!("{year}-{month:02}-{day:02} {h:02}:{m:02}:{s:02}"),
        _ => format!("{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}+08:00"),
    }
}

fn post(rng: &mut Rng, i: usize, title: &str, cats: [&str; 3], body: &str) -> String {
    let date = if i % 997 == 5 {
        "Invalid Date".to_owned()
    } else {
        date(rng, i)
    };
    let image = format!("https://n.sinaimg.cn/finance/{i}/w570h653.jpg");
    let title = title.replace('\'', "''");
    let mut text = format!(
        "\n---\ntitle: '{title}'\ncategories: \n - {}\n - {}\n - {}\nheadimg: '{image}'\nauthor: {}\ncomments: false\ndate: {date}\nthumbnail: '{image}'\n",
        cats[0], cats[1], cats[2], cats[1]
    );
    match i % 1000 {
        17 => {} // unterminated block
        42 => text.push_str("tags: [broken\n---\n"),
        _ => text.push_str("---\n"),
    }
    text.push_str(body);
    text
}

/// The bodies of the real fixture posts.
fn fixture_bodies() -> anyhow::Result<Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive/source");
    let archive = folio::archive::scan(&root, &folio::archive::ScanOptions::default())?;
    let bodies: Vec<String> = archive
        .articles
        .iter()
        .map(|a| {
            folio::archive::load_post(&root, &a.path, u64::MAX)
                .body()
                .to_owned()
        })
        .filter(|b| !b.trim().is_empty())
        .collect();
    if bodies.is_empty() {
        bail!("no fixture bodies under {}", root.display());
    }
    Ok(bodies)
}
