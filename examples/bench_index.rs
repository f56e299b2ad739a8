//! Measures the index on 100,000 synthetic posts shaped like the crawler archive:
//! build time, per-keystroke query time for a search typed letter by letter, facet time
//! and memory. Run in release:
//!
//! ```text
//! cargo run --release --example bench_index [POSTS]
//! ```

use std::time::{Duration, Instant, SystemTime};

use folio::archive::{Article, parse_bytes};
use folio::index::{Index, Query, SortKey};

const WORDS: [&str; 40] = [
    "央行",
    "降准",
    "新冠",
    "疫情",
    "股市",
    "基金",
    "发布",
    "宣布",
    "全国",
    "北京",
    "上海",
    "经济",
    "增长",
    "同比",
    "下降",
    "公司",
    "融资",
    "亿元",
    "市场",
    "银行",
    "利率",
    "政策",
    "科技",
    "苹果",
    "Apple",
    "iPhone",
    "AI",
    "芯片",
    "新能源",
    "汽车",
    "游戏",
    "番剧",
    "第1话",
    "比特币",
    "区块链",
    "监管",
    "投资",
    "消费",
    "数据",
    "报告",
];

/// `(categories, author)`; the first one is chosen about half the time, as 新浪财经 is in
/// the real archive.
const SOURCES: [(&[&str], &str); 8] = [
    (&["金融", "新浪财经", "新浪财经－国內"], "新浪财经"),
    (&["新媒体", "36kr", "快讯"], "36kr"),
    (&["新媒体", "36kr", "资讯"], "36kr"),
    (&["新媒体", "cnBeta", "最新"], "cnBeta"),
    (&["新媒体", "金色财经", "快讯"], "金色财经"),
    (&["编程", "开源中国", "资讯"], "开源中国"),
    (&["二次元", "AcFun", "番剧"], "AcFun"),
    (&["设计", "Dribbble", "流行"], "Dribbble"),
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn synthetic(count: usize) -> Vec<Article> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..count)
        .map(|i| {
            let (categories, author) = if rng.below(2) == 0 {
                SOURCES[0]
            } else {
                SOURCES[1 + rng.below(SOURCES.len() - 1)]
            };
            let words = 3 + rng.below(8);
            let title: String = (0..words)
                .map(|_| WORDS[rng.below(WORDS.len())])
                .collect::<Vec<_>>()
                .join(if rng.below(3) == 0 { " " } else { "" });
            let title = format!("{title}{i}");
            let date = match rng.below(20) {
                0 => "Invalid Date".to_owned(),
                1 => format!("202{}-{:02}-{:02} 14:08:19", 1 + rng.below(2), 1 + rng.below(12), 1 + rng.below(28)),
                _ => format!(
                    "Thu, {:02} {} 202{} {:02}:{:02}:32 GMT",
                    1 + rng.below(28),
                    MONTHS[rng.below(12)],
                    1 + rng.below(2),
                    rng.below(24),
                    rng.below(60)
                ),
            };
            let cats: String = categories.iter().map(|c| format!(" - {c}\n")).collect();
            let text = format!(
                "\n---\ntitle: '{title}'\ncategories: \n{cats}headimg: 'https://n.sinaimg.cn/a{i}.jpg'\nauthor: {author}\ncomments: false\ndate: {date}\nthumbnail: ''\n---\n\n<div>   \n<p>正文</p>\n</div>\n"
            );
            let path = format!("source/_posts/{}/{title}.md", categories.join("/"));
            let modified = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000 + rng.below(90_000_000) as u64);
            parse_bytes(path.into(), Some(modified), text.into_bytes()).article
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let (articles, parse_time) = time(|| synthetic(count));
    println!(
        "generated and parsed {count} posts in {:.0} ms (not part of the index)",
        ms(parse_time)
    );

    let (index, build_time) = time(|| {
        let mut index = Index::new();
        for a in &articles {
            index.push(a);
        }
        index.shrink_to_fit();
        index
    });
    println!("index build (push × {count}): {:.0} ms", ms(build_time));
    let bytes = index.memory_bytes();
    println!(
        "index memory estimate: {:.1} MiB, {} bytes per post, of which {} B search text",
        bytes as f64 / (1024.0 * 1024.0),
        bytes / count.max(1),
        index.search_text_bytes() / count.max(1),
    );

    for (sort, descending) in [
        (SortKey::Date, true),
        (SortKey::Title, false),
        (SortKey::Source, false),
        (SortKey::Modified, true),
        (SortKey::Path, false),
    ] {
        let query = Query {
            sort,
            descending,
            ..Query::default()
        };
        let (ids, first) = time(|| index.query(&query));
        let (_, cached) = time(|| index.query(&query));
        println!(
            "empty query sorted by {sort:?}{}: first (builds the order) {:.1} ms, cached {:.2} ms, {} ids",
            if descending { " desc" } else { "" },
            ms(first),
            ms(cached),
            ids.len()
        );
    }

    const RUNS: usize = 15;
    println!("\nsearch as you type ({RUNS} runs each, sort by date desc), median / max:");
    let mut worst = Duration::ZERO;
    for text in [
        "新",
        "新浪",
        "新浪财",
        "新浪财经",
        "新浪财经 ",
        "新浪财经 央",
        "新浪财经 央行",
        "a",
        "ap",
        "app",
        "iphone 芯片 -游戏",
        "title:\"央行 降准\"",
        "zzz",
    ] {
        let query = Query {
            text: text.to_owned(),
            sort: SortKey::Date,
            descending: true,
            ..Query::default()
        };
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        let mut hits = 0;
        for _ in 0..RUNS {
            let (ids, t) = time(|| index.query(&query));
            hits = ids.len();
            times.push(t);
        }
        times.sort();
        let max = times[RUNS - 1];
        worst = worst.max(max);
        println!(
            "  {text:<22} {:>6.2} / {:>6.2} ms  {hits:>6} hits",
            ms(times[RUNS / 2]),
            ms(max)
        );
    }
    println!("  worst keystroke: {:.2} ms (budget 16 ms)", ms(worst));

    let all = index.query(&Query::default());
    let (facets, t) = time(|| index.facets(&all));
    println!(
        "\nfacets over all {} posts: {:.2} ms ({} top categories, {} authors, {} years)",
        all.len(),
        ms(t),
        facets.categories.children.len(),
        facets.authors.len(),
        facets.years.len()
    );
    let some = index.query(&Query {
        text: "央行".into(),
        ..Query::default()
    });
    let (_, t) = time(|| index.facets(&some));
    println!(
        "facets over {} results of 央行: {:.2} ms",
        some.len(),
        ms(t)
    );
    let (values, t) = time(|| index.category_values());
    println!("category_values: {:.2} ms ({} values)", ms(t), values.len());
}
