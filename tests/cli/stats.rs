//! `folio stats` run as the real binary on two fixture archives:
//!
//! - `tests/fixtures/insights/feeds`, made by hand with known dates: `科技/示例站/每日`
//!   posts every day from 1 to 14 March 2022 at 09:00 GMT and then stops;
//!   `新媒体/36kr/快讯` posts every day from 1 to 28 March at a floating 23:30 (no zone),
//!   plus one post at `Mon, 28 Feb 2022 20:00:00 GMT`; it has no image until the 14th and
//!   only Sina's QR code after, and writes `comments: maybe` from the 21st;
//!   `新媒体/虎嗅/新` is brand new (26–28 March at 10:00 +0800); `杂项` has one
//!   `Invalid Date` and one post without a date.
//! - `tests/fixtures/insights/real`, four posts copied from the crawled archive.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/insights")
        .join(name)
}

fn folio(args: &[&str]) -> Output {
    folio_in_zone(args, "UTC")
}

/// Runs the binary with the machine's zone set to `tz`, which must not matter.
fn folio_in_zone(args: &[&str], tz: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("TZ", tz)
        .output()
        .expect("run folio")
}

fn json(folder: &str, extra: &[&str]) -> Value {
    let root = fixture(folder);
    let mut args = vec!["stats", root.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = folio(&args);
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn period<'a>(stats: &'a Value, start: &str) -> &'a Value {
    stats["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["start"] == start)
        .unwrap_or_else(|| panic!("no period {start}"))
}

/// Every dated post is in exactly one period, and each period's groups add up to it.
fn assert_periods_add_up(stats: &Value) {
    let periods = stats["periods"].as_array().unwrap();
    let total: u64 = periods.iter().map(|p| p["count"].as_u64().unwrap()).sum();
    assert_eq!(total, stats["dated"].as_u64().unwrap());
    for p in periods {
        let groups: u64 = p["by_group"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(groups, p["count"].as_u64().unwrap(), "{p}");
    }
}

#[test]
fn json_counts_days_undated_posts_problems_and_images() {
    let stats = json("feeds", &[]);
    assert_eq!(
        (stats["posts"].as_u64(), stats["dated"].as_u64()),
        (Some(48), Some(46))
    );
    assert_eq!(stats["by"], "day"); // 28 Feb to 28 Mar is short: days
    assert_eq!(stats["zone"], "+00:00");
    assert_eq!(stats["end"], "2022-03-28 23:30:00");
    assert_eq!(stats["periods"].as_array().unwrap().len(), 29);
    assert_periods_add_up(&stats);
    let first = period(&stats, "2022-02-28");
    assert_eq!(first["count"], 1);
    assert_eq!(first["by_group"], serde_json::json!({"新媒体": 1}));
    assert_eq!(
        period(&stats, "2022-03-01")["by_group"],
        serde_json::json!({"新媒体": 1, "科技": 1})
    );
    let undated = &stats["undated"];
    assert_eq!(
        (undated["missing"].as_u64(), undated["invalid"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(undated["by_feed"][0]["name"], "杂项");

    let kinds = stats["problems"]["by_kind"].as_array().unwrap();
    let kind = |name: &str| kinds.iter().find(|k| k["kind"] == name).unwrap();
    assert_eq!(kind("bad_value")["posts"], 8);
    assert_eq!(
        (
            kind("bad_date")["posts"].as_u64(),
            kind("bad_date")["dated"].as_u64()
        ),
        (Some(1), Some(0))
    );
    // The wrong `comments` starts on the 21st: a step.
    let step: Vec<u64> = stats["problems"]["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["by_kind"]["bad_value"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(step, [vec![0; 21], vec![1; 8]].concat());

    let images = &stats["images"];
    assert_eq!(
        (images["none"].as_u64(), images["junk_only"].as_u64()),
        (Some(19), Some(14))
    );
    let kr = &images["by_feed"][0];
    assert_eq!(kr["feed"], "新媒体/36kr/快讯");
    assert_eq!(
        (
            kr["posts"].as_u64(),
            kr["none"].as_u64(),
            kr["junk_only"].as_u64()
        ),
        (Some(29), Some(14), Some(14))
    );
}

#[test]
fn the_feed_that_stopped_is_the_only_gap() {
    let stats = json("feeds", &[]);
    let gaps = stats["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    let gap = &gaps[0];
    assert_eq!(gap["feed"], "科技/示例站/每日");
    assert_eq!(gap["kind"], "stopped");
    assert_eq!(gap["last_post"], "2022-03-14 09:00:00");
    assert_eq!(gap["expected_per_period"], 1.0);
    assert_eq!(gap["query"], "cat:科技 cat:示例站 cat:每日");
    assert_eq!(gap["exact"], true);
    // Narrowed to that feed, it is the selection's end, so nothing is missing.
    let alone = json("feeds", &["--query", "cat:科技"]);
    assert_eq!(alone["posts"], 14);
    assert_eq!(alone["gaps"], serde_json::json!([]));
    assert_eq!(alone["groups"][0]["name"], "科技");
    assert_eq!(alone["groups"].as_array().unwrap().len(), 1);
}

#[test]
fn the_offset_moves_zoned_dates_only() {
    let east = json("feeds", &["--offset", "+08:00"]);
    assert_eq!(east["zone"], "+08:00");
    assert_periods_add_up(&east);
    // 28 Feb 20:00 GMT is 1 March at +08:00; the floating 23:30 posts stay on their day.
    assert_eq!(east["periods"][0]["start"], "2022-03-01");
    assert_eq!(period(&east, "2022-03-01")["count"], 3);
    assert_eq!(period(&east, "2022-03-28")["by_group"]["新媒体"], 2);
    let west = json("feeds", &["--offset", "-05:00"]);
    assert_periods_add_up(&west);
    // 虎嗅's 28 March 10:00 +0800 is the 27th at -05:00; 36kr's floating 23:30 stays.
    assert_eq!(period(&west, "2022-03-28")["count"], 1);
    assert_eq!(period(&west, "2022-02-28")["count"], 1);
}

#[test]
fn weeks_start_on_monday_and_the_gap_rule_follows_the_period() {
    let stats = json("feeds", &["--by", "week"]);
    assert_eq!(stats["by"], "week");
    let starts: Vec<&str> = stats["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2022-02-28",
            "2022-03-07",
            "2022-03-14",
            "2022-03-21",
            "2022-03-28"
        ]
    );
    assert_periods_add_up(&stats);
    // Two weeks of history are shorter than the four-week window: too new to judge.
    assert_eq!(stats["gaps"], serde_json::json!([]));
}

#[test]
fn real_posts_floating_dates_and_invalid_dates() {
    let stats = json("real", &[]);
    assert_eq!(
        (stats["posts"].as_u64(), stats["dated"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(stats["by"], "week");
    assert_periods_add_up(&stats);
    assert_eq!(stats["undated"]["invalid"], 1);
    assert_eq!(
        stats["undated"]["by_feed"][0]["name"],
        "设计/Dribbble/关键词"
    );
    // Sina's QR code and two picsum placeholders; the Dribbble image is real.
    assert_eq!(
        (
            stats["images"]["none"].as_u64(),
            stats["images"]["junk_only"].as_u64()
        ),
        (Some(0), Some(3))
    );
    let groups: Vec<&str> = stats["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["博客", "新媒体", "金融"]);
    // `date: 2022-07-30 13:20:56` has no zone: the same day at any offset, while Sina's
    // `Sat, 06 Aug 2022 00:06:05 GMT` is the 5th at -12:00.
    let west = json("real", &["--by", "day", "--offset", "-12:00"]);
    assert_eq!(
        period(&west, "2022-07-30")["by_group"],
        serde_json::json!({"博客": 1})
    );
    assert_eq!(
        period(&west, "2022-08-05")["by_group"],
        serde_json::json!({"金融": 1})
    );
    let feed = &stats["feeds"][0];
    assert_eq!(feed["feed"], "博客/Paul Graham 博客/Essays");
    assert_eq!(feed["bytes"], 14603);
    assert_eq!(
        feed["query"],
        "cat:博客 cat:\"Paul Graham 博客\" cat:Essays"
    );
}

#[test]
fn tsv_has_sections_with_a_header_each() {
    let root = fixture("feeds");
    let out = folio(&["stats", root.to_str().unwrap(), "--format", "tsv"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let sections: Vec<&str> = text.split("\n\n").collect();
    let names: Vec<&str> = sections.iter().map(|s| s.lines().next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "# summary",
            "# periods",
            "# gaps",
            "# problems",
            "# problems by period",
            "# images",
            "# undated",
            "# categories",
            "# tags",
            "# authors",
            "# feeds"
        ]
    );
    for section in &sections {
        let mut lines = section.lines().skip(1);
        let width = lines.next().unwrap().split('\t').count();
        for line in lines {
            assert_eq!(line.split('\t').count(), width, "{section}");
        }
    }
    assert!(sections[0].ends_with("48\t46\t1\t1\t9\t19\t14\tday\t+00:00\t2022-03-28 23:30:00"));
    assert!(
        sections[1].starts_with("# periods\nstart\tcount\t新媒体\t科技\n2022-02-28\t1\t1\t0\n")
    );
    let gaps: Vec<&str> = sections[2].lines().collect();
    assert_eq!(gaps.len(), 3);
    assert_eq!(
        gaps[2],
        "科技/示例站/每日\tstopped\t2022-03-14 09:00:00\t1.00\t0\t14.60\t14.60\tcat:科技 cat:示例站 cat:每日\ttrue"
    );
}

#[test]
fn the_machines_zone_does_not_change_the_figures() {
    let root = fixture("feeds");
    let args = ["stats", root.to_str().unwrap(), "--format", "json"];
    let utc = folio_in_zone(&args, "UTC");
    let shanghai = folio_in_zone(&args, "Asia/Shanghai");
    let honolulu = folio_in_zone(&args, "Pacific/Honolulu");
    assert!(utc.status.success());
    assert_eq!(utc.stdout, shanghai.stdout);
    assert_eq!(utc.stdout, honolulu.stdout);
}

#[test]
fn bad_arguments_and_folders_are_usage_errors() {
    let root = fixture("feeds");
    let root = root.to_str().unwrap();
    for args in [
        vec!["stats", root],
        vec!["stats", root, "--format", "xml"],
        vec!["stats", root, "--format", "json", "--by", "hour"],
        vec!["stats", root, "--format", "json", "--offset", "8"],
    ] {
        let out = folio(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
    let missing = fixture("no-such-folder");
    let out = folio(&["stats", missing.to_str().unwrap(), "--format", "tsv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no-such-folder"), "{stderr}");
}
