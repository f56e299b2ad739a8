use chrono::{FixedOffset, NaiveDate};

use super::*;
use crate::archive::{ProblemKind, parse_bytes};

fn post(path: &str, front: &str) -> Article {
    let text = format!("---\n{front}---\nbody\n");
    parse_bytes(path.into(), None, text.into_bytes()).article
}

fn dated(path: &str, categories: &[&str], date: &str) -> Article {
    let cats: String = categories.iter().map(|c| format!(" - {c}\n")).collect();
    post(
        path,
        &format!("title: t\ncategories:\n{cats}date: {date}\nheadimg: https://x.cn/a.jpg\n"),
    )
}

fn plus8() -> DateZone {
    DateZone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap())
}

/// Posts around a new year, in every date form that matters.
fn new_year() -> Vec<Article> {
    let sina = ["金融", "新浪财经", "新浪财经－国內"];
    let kr = ["新媒体", "36kr", "快讯"];
    vec![
        dated("a/1.md", &sina, "Fri, 31 Dec 2021 20:00:00 GMT"),
        dated("a/2.md", &sina, "2021-12-31 23:30:00"), // floating: wall time
        dated("a/3.md", &kr, "2022-01-01T04:00:00+08:00"),
        dated("a/4.md", &kr, "2022-01-15"),
        dated("a/5.md", &kr, "Invalid Date"),
        post(
            "a/6.md",
            "title: no date\ncategories: [新媒体, 36kr, 快讯]\n",
        ),
    ]
}

fn all(articles: &[Article], zone: DateZone, options: &Options) -> Insights {
    InsightsIndex::build(articles, zone).compute_all(options)
}

fn months() -> Options {
    Options {
        by: Some(PeriodKind::Month),
        ..Options::default()
    }
}

fn counts(timeline: &Timeline) -> Vec<(String, u32)> {
    timeline
        .periods
        .iter()
        .map(|p| (p.start.to_string(), p.count))
        .collect()
}

fn series<'a>(timeline: &'a Timeline, label: &str) -> &'a Series {
    timeline.series.iter().find(|s| s.label == label).unwrap()
}

#[test]
fn zoned_dates_move_with_the_zone_and_floating_dates_do_not() {
    let posts = new_year();
    let utc = all(&posts, DateZone::utc(), &months());
    assert_eq!(
        counts(&utc.timeline),
        [("2021-12-01".into(), 3), ("2022-01-01".into(), 1)]
    );
    let east = all(&posts, plus8(), &months());
    assert_eq!(
        counts(&east.timeline),
        [("2021-12-01".into(), 1), ("2022-01-01".into(), 3)]
    );
    // At +08:00 only the floating 23:30 stays in December: it is 金融's.
    let dec = |i: &Insights, group: &str| series(&i.timeline, group).counts[0];
    assert_eq!((dec(&east, "金融"), dec(&east, "新媒体")), (1, 0));
    assert_eq!((dec(&utc, "金融"), dec(&utc, "新媒体")), (2, 1));
}

#[test]
fn every_dated_post_is_in_one_period_and_undated_ones_apart() {
    let posts = new_year();
    for by in [None, Some(PeriodKind::Day), Some(PeriodKind::Week)] {
        let options = Options {
            by,
            ..Options::default()
        };
        let i = all(&posts, DateZone::utc(), &options);
        assert_eq!((i.posts, i.dated), (6, 4));
        let in_periods: u32 = i.timeline.periods.iter().map(|p| p.count).sum();
        assert_eq!(in_periods, 4, "{by:?}");
        for (n, period) in i.timeline.periods.iter().enumerate() {
            let split: u32 = i.timeline.series.iter().map(|s| s.counts[n]).sum();
            assert_eq!(split, period.count);
        }
        assert_eq!((i.undated.missing, i.undated.invalid), (1, 1));
        assert_eq!(i.undated.by_feed.len(), 1);
        assert_eq!(i.undated.by_feed[0].label, "新媒体/36kr/快讯");
        assert_eq!(i.undated.by_feed[0].count, 2);
    }
    // 2021-12-31 to 2022-01-15 is short: days, every one listed.
    let auto = all(&posts, DateZone::utc(), &Options::default());
    assert_eq!(auto.timeline.kind, PeriodKind::Day);
    assert_eq!(auto.timeline.periods.len(), 16);
    let first = &auto.timeline.periods[0];
    assert_eq!(first.start, NaiveDate::from_ymd_opt(2021, 12, 31).unwrap());
    assert_eq!(first.end, NaiveDate::from_ymd_opt(2022, 1, 1).unwrap());
    assert_eq!(first.count, 3);
    assert_eq!(first.narrow.query, "year:2021");
    assert!(!first.narrow.exact);
    // ISO weeks start on Monday: 2021-12-27 holds 31 Dec and 1 Jan.
    let weeks = all(
        &posts,
        DateZone::utc(),
        &Options {
            by: Some(PeriodKind::Week),
            ..Options::default()
        },
    );
    assert_eq!(
        counts(&weeks.timeline),
        [
            ("2021-12-27".into(), 3),
            ("2022-01-03".into(), 0),
            ("2022-01-10".into(), 1)
        ]
    );
}

#[test]
fn a_selection_counts_only_its_posts() {
    let posts = new_year();
    let index = InsightsIndex::build(&posts, DateZone::utc());
    let i = index.compute(&[0, 1, 99], &months());
    assert_eq!((i.posts, i.dated), (2, 2));
    assert_eq!(counts(&i.timeline), [("2021-12-01".into(), 2)]);
    let none = index.compute(&[], &months());
    assert_eq!((none.posts, none.timeline.periods.len()), (0, 0));
    assert_eq!(none.end, None);
}

#[test]
fn exact_narrows_select_exactly_the_figures_posts() {
    let mut posts = new_year();
    // `金融科技` contains `金融`: `cat:金融` would pick it up too.
    posts.push(dated(
        "b/1.md",
        &["新媒体", "金融科技", "快讯"],
        "2022-01-02",
    ));
    let i = all(&posts, DateZone::utc(), &months());
    let finance = series(&i.timeline, "金融");
    assert_eq!(finance.narrow.query, "cat:金融");
    assert!(!finance.narrow.exact);
    let media = series(&i.timeline, "新媒体");
    assert!(media.narrow.exact);
    let by_feed = all(
        &posts,
        DateZone::utc(),
        &Options {
            split: Split::Feed,
            ..months()
        },
    );
    let mut checked = 0;
    for s in &by_feed.timeline.series {
        let selected = crate::index::select(&posts, &s.narrow.query);
        if s.narrow.exact {
            let dated_total: u32 = s.counts.iter().sum();
            // Every feed here is dated except the two undated 36kr posts.
            let undated = if s.label == "新媒体/36kr/快讯" {
                2
            } else {
                0
            };
            assert_eq!(selected.len() as u32, dated_total + undated, "{s:?}");
            checked += 1;
        } else {
            assert!(selected.len() as u32 > s.total, "{s:?}");
        }
    }
    assert_eq!(checked, 3, "{:?}", by_feed.timeline.series);
    let feed = series(&by_feed.timeline, "金融/新浪财经/新浪财经－国內");
    assert_eq!(
        feed.narrow.query,
        "cat:金融 cat:新浪财经 cat:新浪财经－国內"
    );
}

#[test]
fn images_none_junk_and_usable() {
    let qr = "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png";
    let posts = vec![
        post(
            "f/a.md",
            "title: a\ncategories: [金融]\nheadimg: https://x.cn/a.jpg\n",
        ),
        post(
            "f/b.md",
            &format!("title: b\ncategories: [金融]\nheadimg: '{qr}'\nthumbnail: ''\n"),
        ),
        post("f/c.md", "title: c\ncategories: [金融]\nthumbnail: ''\n"),
        post("g/d.md", "title: d\n"),
    ];
    let i = all(&posts, DateZone::utc(), &Options::default());
    assert_eq!((i.images.none, i.images.junk_only), (2, 1));
    let rows: Vec<(&str, u32, u32, u32)> = i
        .images
        .by_feed
        .iter()
        .map(|f| (f.feed.as_str(), f.posts, f.none, f.junk_only))
        .collect();
    assert_eq!(rows, [("金融", 3, 1, 1), ("g", 1, 1, 0)]);
    assert_eq!(i.images.by_feed[1].narrow.query, "path:g/");
}

#[test]
fn problems_over_time_show_a_step() {
    // A feed posting daily; from the 11th its `comments` are written wrongly.
    let posts: Vec<Article> = (1..=20)
        .map(|day| {
            let comments = if day > 10 { "maybe" } else { "false" };
            post(
                &format!("s/{day}.md"),
                &format!(
                    "title: t\ncategories: [编程]\ncomments: {comments}\ndate: 2022-03-{day:02}\n"
                ),
            )
        })
        .collect();
    let i = all(&posts, DateZone::utc(), &Options::default());
    assert_eq!(i.timeline.kind, PeriodKind::Day);
    assert_eq!(i.problems.posts, 10);
    let bad = &i.problems.kinds[0];
    assert_eq!((bad.kind, bad.posts), (ProblemKind::BadValue, 10));
    assert_eq!(bad.series.label, "bad_value");
    let step: Vec<u32> = bad.series.counts.clone();
    assert_eq!(step, [[0; 10], [1; 10]].concat());
    assert_eq!(bad.series.narrow.query, "is:problem");
}

#[test]
fn top_names_and_feed_sizes() {
    let posts = vec![
        post(
            "a.md",
            "title: a\ncategories: [金融, 新浪财经]\ntags: [央行, AI]\nauthor: 新浪财经\n",
        ),
        post(
            "b.md",
            "title: b\ncategories: [金融, 财联社]\ntags: [央行]\nauthor: [财联社, 张三]\n",
        ),
        post(
            "c.md",
            "title: c\ncategories: [金融, 新浪财经]\ntags: [AI芯片]\nauthor: 新浪财经\n",
        ),
    ];
    let i = all(
        &posts,
        DateZone::utc(),
        &Options {
            top: 2,
            ..Options::default()
        },
    );
    let names = |c: &[Count]| -> Vec<(String, u32)> {
        c.iter().map(|c| (c.label.clone(), c.count)).collect()
    };
    assert_eq!(
        names(&i.categories),
        [("金融".into(), 3), ("新浪财经".into(), 2)]
    );
    assert_eq!(names(&i.tags), [("央行".into(), 2), ("AI".into(), 1)]);
    assert_eq!(
        names(&i.authors),
        [("新浪财经".into(), 2), ("张三".into(), 1)]
    );
    assert!(i.tags[0].narrow.exact);
    assert!(!i.tags[1].narrow.exact, "`tag:ai` finds `AI芯片` too");
    let sizes: Vec<(&str, &str, u32, u64)> = i
        .feeds
        .iter()
        .map(|f| (f.feed.as_str(), f.group.as_str(), f.posts, f.bytes))
        .collect();
    let bytes = |n: usize| posts[n].size;
    assert_eq!(
        sizes,
        [
            ("金融/新浪财经", "金融", 2, bytes(0) + bytes(2)),
            ("金融/财联社", "金融", 1, bytes(1)),
        ]
    );
}

/// `per_day` posts a day from `from` for `days` days in one feed.
fn daily(feed: &[&str], from: NaiveDate, days: u32) -> Vec<Article> {
    (0..days)
        .filter_map(|d| from.checked_add_days(chrono::Days::new(d.into())))
        .map(|day| {
            dated(
                &format!("{}/{day}.md", feed.join("/")),
                feed,
                &format!("{day} 12:00:00"),
            )
        })
        .collect()
}

#[test]
fn a_feed_that_went_silent_is_a_gap_and_the_others_are_not() {
    let jan = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let mut posts = daily(&["金融", "新浪财经", "新浪财经－国內"], jan, 90);
    posts.extend(daily(&["新媒体", "36kr", "快讯"], jan, 180));
    // Brand new: a week of posts at the end.
    let new_start = NaiveDate::from_ymd_opt(2022, 6, 23).unwrap();
    posts.extend(daily(&["新媒体", "虎嗅", "新"], new_start, 7));
    let i = all(&posts, DateZone::utc(), &Options::default());
    assert_eq!(i.timeline.kind, PeriodKind::Week);
    assert_eq!(i.gaps.len(), 1, "{:?}", i.gaps);
    let gap = &i.gaps[0];
    assert_eq!(gap.feed, "金融/新浪财经/新浪财经－国內");
    assert_eq!(gap.kind, GapKind::Stopped);
    assert_eq!(gap.last_post.to_string(), "2022-03-31 12:00:00");
    assert!((gap.expected_per_period - 7.0).abs() < 0.01, "{gap:?}");
    assert_eq!(gap.silent_days, 90.0);
    assert!(gap.narrow.exact);
}

#[test]
fn a_post_dated_in_the_future_does_not_end_the_selection() {
    let jan = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let mut posts = daily(&["金融", "新浪财经", "国內"], jan, 90);
    posts.extend(daily(&["新媒体", "36kr", "快讯"], jan, 180));
    posts.push(dated(
        "x/2099.md",
        &["新媒体", "36kr", "快讯"],
        "2099-01-01",
    ));
    let not_after = NaiveDate::from_ymd_opt(2023, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0);
    let options = Options {
        not_after,
        ..Options::default()
    };
    let i = all(&posts, DateZone::utc(), &options);
    assert_eq!(i.end.unwrap().to_string(), "2022-06-29 12:00:00");
    assert_eq!(i.dated, 271);
    // Weeks, as for the half year the other posts span; the chart runs on to 2099.
    assert_eq!(i.timeline.kind, PeriodKind::Week);
    assert_eq!(i.timeline.periods.last().unwrap().count, 1);
    assert_eq!(i.gaps.len(), 1);
    assert_eq!(i.gaps[0].feed, "金融/新浪财经/国內");
}
