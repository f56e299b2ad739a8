//! Each duplicate rule on real fixture posts, the news rule, the "not duplicates" list
//! and the fingerprint cache.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use crate::dups_support;

use std::fs;
use std::path::{Path, PathBuf};

use folio::archive::{ScanOptions, scan, slash_path};
use folio::dups::{
    CacheLocation, DupGroup, DupKind, DupOptions, DupProgress, DupReport, EXEMPT_FILE, ExemptError,
    Exemptions, KeepRule, TextChange, find_duplicates, keep_index, member_text, text_changes,
};

const FISCAL: &str = "source/_posts/金融/新浪财经/新浪财经－国內/1-7月全国财政收入同比增20%.md";
const TIGER: &str = "source/_posts/金融/新浪财经/新浪财经－国內/1000元一斤卖老虎肉？警方已介入.md";
const BEIJING: &str = "source/_posts/金融/新浪财经/新浪财经－国內/0！北京昨日本土无新增.md";
const WINE: &str = "source/_posts/编程/开源中国/资讯/Wine 714 发布，Windows 应用的兼容层.md";
const KR: &str = "source/_posts/新媒体/36kr/快讯/\"澎湃新闻\"完成B轮融资，上文投独家战略投资4亿.md";

fn fixture(rel: &str) -> String {
    fs::read_to_string(dups_support::fixtures().join(rel)).unwrap()
}

/// A temporary archive with the given files.
struct Archive {
    _dir: tempfile::TempDir,
    root: PathBuf,
    cache: PathBuf,
}

impl Archive {
    fn new(files: &[(&str, Vec<u8>)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        for (rel, bytes) in files {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        let cache = dir.path().join("cache");
        Self {
            _dir: dir,
            root,
            cache,
        }
    }

    fn options(&self) -> DupOptions {
        DupOptions {
            cache: CacheLocation::Dir(self.cache.clone()),
            ..DupOptions::default()
        }
    }

    fn run(&self) -> DupReport {
        self.run_with(&self.options())
    }

    fn run_with(&self, options: &DupOptions) -> DupReport {
        let archive = scan(&self.root, &ScanOptions::default()).unwrap();
        let exemptions = Exemptions::load(&self.root).unwrap();
        find_duplicates(&archive, &exemptions, options, &DupProgress::default())
    }
}

fn paths(group: &DupGroup) -> Vec<String> {
    group.members.iter().map(|m| slash_path(&m.path)).collect()
}

fn with_front(text: &str, line: &str) -> String {
    text.replacen("\ncomments:", &format!("\n{line}\ncomments:"), 1)
}

#[test]
fn exact_copies_in_other_folders_other_encodings_and_with_junk() {
    let text = fixture(FISCAL);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let archive = Archive::new(&[
        (FISCAL, text.clone().into_bytes()),
        ("b/另一来源/copy.md", text.clone().into_bytes()),
        ("c/GBK/copy.md", gbk.into_owned()),
        (
            "d/广告版/copy.md",
            dups_support::append_to_body(&text, dups_support::KNOWN_JUNK_A).into_bytes(),
        ),
        (TIGER, fixture(TIGER).into_bytes()),
    ]);
    let report = archive.run();
    assert_eq!(report.groups.len(), 1, "{:#?}", report.groups);
    let group = &report.groups[0];
    assert_eq!((group.kind, group.similarity), (DupKind::Exact, 1.0));
    assert_eq!(
        paths(group),
        [
            "b/另一来源/copy.md",
            "c/GBK/copy.md",
            "d/广告版/copy.md",
            FISCAL
        ]
    );
    assert!(group.members.iter().all(|m| m.text_class == 0));
    assert_eq!(report.stats.posts, 5);
}

#[test]
fn near_copies_with_a_paragraph_added_or_removed() {
    let text = fixture(TIGER);
    let archive = Archive::new(&[
        (TIGER, text.clone().into_bytes()),
        (
            "x/增补版.md",
            dups_support::add_paragraph(&text).into_bytes(),
        ),
        (
            "x/删节版.md",
            dups_support::remove_paragraph(&text).unwrap().into_bytes(),
        ),
        (FISCAL, fixture(FISCAL).into_bytes()),
        (WINE, fixture(WINE).into_bytes()),
    ]);
    let report = archive.run();
    assert_eq!(report.groups.len(), 1, "{:#?}", report.groups);
    let group = &report.groups[0];
    assert_eq!(group.kind, DupKind::Near);
    assert!(
        group.similarity >= 0.5 && group.similarity < 1.0,
        "{}",
        group.similarity
    );
    assert_eq!(paths(group), [TIGER, "x/删节版.md", "x/增补版.md"]);
    let classes: Vec<usize> = group.members.iter().map(|m| m.text_class).collect();
    assert_eq!(classes.len(), 3);
    assert!(classes[0] != classes[1] && classes[1] != classes[2]);

    // What a Duplicates view shows side by side: the added paragraph, and only it.
    let original = member_text(&archive.root, Path::new(TIGER)).unwrap();
    let added = member_text(&archive.root, Path::new("x/增补版.md")).unwrap();
    let changes = text_changes(&original, &added);
    let inserted: String = changes
        .iter()
        .filter_map(|c| match c {
            TextChange::Added(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(inserted.contains("后续进展本网将持续关注"), "{changes:?}");
    assert!(
        !changes
            .iter()
            .any(|c| matches!(c, TextChange::Removed(t) if !t.trim().is_empty()))
    );
}

#[test]
fn same_source_url_after_normalizing_tracking_scheme_and_slashes() {
    // A re-crawl whose text was rewritten: only the source URL says it is the same page.
    let first = with_front(
        &fixture(KR),
        "link: https://www.36kr.com/newsflashes/1234567/?utm_source=rss&spm=a1.b2",
    );
    let second = with_front(
        &fixture(WINE),
        "original_url: 'http://36kr.com/newsflashes/1234567#comments'",
    );
    let feed_only = with_front(&fixture(FISCAL), "link: https://36kr.com/");
    let feed_only_too = with_front(&fixture(TIGER), "link: https://www.36kr.com/?from=rss");
    let archive = Archive::new(&[
        ("a/first.md", first.into_bytes()),
        ("b/second.md", second.into_bytes()),
        ("c/feed.md", feed_only.into_bytes()),
        ("d/feed.md", feed_only_too.into_bytes()),
    ]);
    let report = archive.run();
    assert_eq!(report.groups.len(), 1, "{:#?}", report.groups);
    let group = &report.groups[0];
    assert_eq!(group.kind, DupKind::Url);
    assert!(group.similarity < 0.5, "texts differ: {}", group.similarity);
    assert_eq!(paths(group), ["a/first.md", "b/second.md"]);
}

#[test]
fn daily_template_posts_are_not_duplicates_even_with_one_source() {
    let text = fixture(BEIJING);
    let next_day = dups_support::substitute(
        &text,
        &[
            ("7月9日", "7月10日"),
            ("7月8日", "7月9日"),
            ("新增3例境外", "新增2例境外"),
        ],
    );
    let other_city = dups_support::substitute(&text, &[("北京", "天津")]);
    let url = "link: https://finance.sina.com.cn/china/2022-07-10/doc-imizmscv1234567.shtml";
    let archive = Archive::new(&[
        (BEIJING, with_front(&text, url).into_bytes()),
        ("t/next-day.md", with_front(&next_day, url).into_bytes()),
        ("t/tianjin.md", other_city.into_bytes()),
        // A true copy of the Beijing post still groups with it.
        ("t/copy.md", dups_support::retitle(&text).into_bytes()),
    ]);
    let report = archive.run();
    assert_eq!(report.groups.len(), 1, "{:#?}", report.groups);
    assert_eq!(report.groups[0].kind, DupKind::Exact);
    assert_eq!(paths(&report.groups[0]), [BEIJING, "t/copy.md"]);
}

#[test]
fn exempt_groups_are_not_reported_and_the_list_round_trips() {
    let text = fixture(FISCAL);
    let archive = Archive::new(&[
        ("a/one.md", text.clone().into_bytes()),
        ("b/two.md", text.clone().into_bytes()),
        (TIGER, fixture(TIGER).into_bytes()),
    ]);
    assert_eq!(archive.run().groups.len(), 1);

    let mut list = Exemptions::load(&archive.root).unwrap();
    assert!(list.add(["b/two.md", "a/one.md"]));
    list.save().unwrap();
    let written = fs::read_to_string(archive.root.join(EXEMPT_FILE)).unwrap();
    assert!(written.contains("[[not_duplicates]]"), "{written}");
    assert!(
        written.contains(r#"paths = ["a/one.md", "b/two.md"]"#),
        "{written}"
    );
    assert!(
        archive.run().groups.is_empty(),
        "the exempt group is not reported"
    );

    // A third copy still groups with both: it is new information.
    fs::create_dir_all(archive.root.join("c")).unwrap();
    fs::write(archive.root.join("c/three.md"), &text).unwrap();
    let report = archive.run();
    assert_eq!(report.groups.len(), 1);
    assert_eq!(
        paths(&report.groups[0]),
        ["a/one.md", "b/two.md", "c/three.md"]
    );

    // Comments written by hand survive a save; the list can be taken back.
    let edited = format!("# checked by the news desk\n{written}");
    fs::write(archive.root.join(EXEMPT_FILE), &edited).unwrap();
    let mut list = Exemptions::load(&archive.root).unwrap();
    assert!(list.is_exempt("a/one.md", "b/two.md"));
    assert!(list.add(["c/three.md", "a/one.md"]));
    list.save().unwrap();
    let saved = fs::read_to_string(archive.root.join(EXEMPT_FILE)).unwrap();
    assert!(saved.starts_with("# checked by the news desk\n"), "{saved}");
    let mut list = Exemptions::load(&archive.root).unwrap();
    assert_eq!(list.entries().len(), 2);
    assert!(list.remove(["a/one.md", "b/two.md"]));
    list.save().unwrap();
    assert_eq!(Exemptions::load(&archive.root).unwrap().entries().len(), 1);
}

#[test]
fn a_malformed_list_is_reported_with_its_path_and_never_overwritten() {
    let archive = Archive::new(&[("a/one.md", fixture(FISCAL).into_bytes())]);
    let file = archive.root.join(EXEMPT_FILE);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    for bad in [
        "[[not_duplicates]]\npaths = [\"a.md\", \n",
        "not_duplicates = 3\n",
        "[[not_duplicates]]\npaths = [1, 2]\n",
    ] {
        fs::write(&file, bad).unwrap();
        let err = Exemptions::load(&archive.root).unwrap_err();
        assert!(matches!(err, ExemptError::Malformed { .. }), "{err}");
        let message = err.to_string();
        assert!(message.ends_with(&file.display().to_string()), "{message}");
        assert_eq!(fs::read_to_string(&file).unwrap(), bad);
    }

    // A list read before the file went bad (or changed) is not saved over it.
    fs::remove_file(&file).unwrap();
    let mut list = Exemptions::load(&archive.root).unwrap();
    fs::write(&file, "garbage = [\n").unwrap();
    list.add(["a/one.md", "b/two.md"]);
    let err = list.save().unwrap_err();
    assert!(matches!(err, ExemptError::ChangedOnDisk { .. }), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "garbage = [\n");
}

#[test]
fn the_cache_makes_a_second_run_read_nothing_and_is_disposable() {
    let text = fixture(FISCAL);
    let archive = Archive::new(&[
        ("a/one.md", text.clone().into_bytes()),
        ("b/two.md", text.clone().into_bytes()),
        (TIGER, fixture(TIGER).into_bytes()),
        (WINE, fixture(WINE).into_bytes()),
    ]);
    let cold = archive.run();
    assert_eq!((cold.stats.computed, cold.stats.from_cache), (4, 0));
    assert!(cold.cache_notes.is_empty(), "{:?}", cold.cache_notes);
    let warm = archive.run();
    assert_eq!((warm.stats.computed, warm.stats.from_cache), (0, 4));
    assert_eq!(warm.groups, cold.groups);

    // A changed post is read again; the others come from the cache.
    fs::write(archive.root.join(WINE), fixture(KR)).unwrap();
    let changed = archive.run();
    assert_eq!((changed.stats.computed, changed.stats.from_cache), (1, 3));

    // A damaged cache file is rebuilt, with a note, and changes nothing.
    let files: Vec<PathBuf> = fs::read_dir(&archive.cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    fs::write(&files[0], b"FOLIODUP not really").unwrap();
    let rebuilt = archive.run();
    assert_eq!(rebuilt.stats.computed, 4);
    assert_eq!(rebuilt.cache_notes.len(), 1, "{:?}", rebuilt.cache_notes);
    assert_eq!(rebuilt.groups, changed.groups);
    assert_eq!(archive.run().stats.from_cache, 4);

    // No cache at all works too.
    let options = DupOptions {
        cache: CacheLocation::Off,
        ..DupOptions::default()
    };
    assert_eq!(archive.run_with(&options).groups, cold.groups);
}

#[test]
fn keep_rules_choose_by_date_length_and_image() {
    // The fixture (Aug 2021) shows no image: its only one is Sina's QR-code promo.
    let text = fixture(FISCAL);
    let longer = dups_support::add_paragraph(&text);
    // An earlier copy without an image, a later one with a real image.
    let date_line = text
        .lines()
        .find(|l| l.starts_with("date: "))
        .unwrap()
        .to_owned();
    let earlier = text.replacen(&date_line, "date: 2020-01-02 08:00:00", 1);
    let with_image = dups_support::append_to_body(
        &text.replacen(&date_line, "date: 2023-01-02 08:00:00", 1),
        "<p><img src=\"https://n.sinaimg.cn/finance/crawl/575/w550h825/20220307/05ef.jpg\"></p>",
    );
    let archive = Archive::new(&[
        ("a/original.md", text.into_bytes()),
        ("b/earlier.md", earlier.into_bytes()),
        ("c/longer.md", longer.into_bytes()),
        ("d/image.md", with_image.into_bytes()),
    ]);
    let report = archive.run();
    assert_eq!(report.groups.len(), 1, "{:#?}", report.groups);
    let group = &report.groups[0];
    let kept = |rule| slash_path(&group.members[keep_index(group, rule).unwrap()].path);
    assert_eq!(kept(KeepRule::EarliestDate), "b/earlier.md");
    assert_eq!(kept(KeepRule::LongestBody), "c/longer.md");
    assert_eq!(kept(KeepRule::HasImage), "d/image.md");
}

#[test]
fn a_post_changed_since_the_scan_is_read_as_it_is_now() {
    let text = fixture(FISCAL);
    let archive = Archive::new(&[
        ("a/one.md", text.clone().into_bytes()),
        ("b/two.md", text.clone().into_bytes()),
        ("c/three.md", fixture(TIGER).into_bytes()),
    ]);
    let scanned = scan(&archive.root, &ScanOptions::default()).unwrap();
    // After the scan, two.md becomes another story and three.md a copy of one.md.
    fs::write(archive.root.join("b/two.md"), fixture(WINE)).unwrap();
    fs::write(archive.root.join("c/three.md"), &text).unwrap();
    let exemptions = Exemptions::load(&archive.root).unwrap();
    let report = find_duplicates(
        &scanned,
        &exemptions,
        &archive.options(),
        &DupProgress::default(),
    );
    assert_eq!(report.groups.len(), 1, "{:#?}", report.groups);
    assert_eq!(paths(&report.groups[0]), ["a/one.md", "c/three.md"]);
}
