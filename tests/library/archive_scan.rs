//! Scanning the fixture archive: real corpus posts plus hand-made bad inputs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::path::{Path, PathBuf};

use folio::archive::{self, Article, FrontMatterKind, LineEnding, ProblemKind, ScanOptions};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive")
}

fn scan() -> Vec<Article> {
    let archive = archive::scan(&fixtures(), &ScanOptions::default()).unwrap();
    assert!(
        archive.path_problems.is_empty(),
        "{:?}",
        archive.path_problems
    );
    archive.articles
}

fn find<'a>(articles: &'a [Article], rel: &str) -> &'a Article {
    articles
        .iter()
        .find(|a| a.path_display() == rel)
        .unwrap_or_else(|| panic!("{rel} not scanned"))
}

fn kinds(article: &Article) -> Vec<ProblemKind> {
    article.problems.iter().map(|p| p.kind).collect()
}

#[test]
fn finds_every_post_in_sorted_path_order_and_skips_the_rest() {
    let articles = scan();
    let paths: Vec<String> = articles.iter().map(Article::path_display).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 24);
    assert!(paths.contains(&"flow/page.html".to_owned()));
    assert!(paths.contains(&"jekyll/_posts/2021-06-17-welcome.markdown".to_owned()));
    for skipped in ["node_modules", ".hidden", "notes.txt"] {
        assert!(
            !paths.iter().any(|p| p.contains(skipped)),
            "{skipped} was scanned"
        );
    }
}

#[test]
fn newest_corpus_layout() {
    let articles = scan();
    let a = find(
        &articles,
        "source/_posts/金融/新浪财经/新浪财经－国內/1-7月全国财政收入同比增20%.md",
    );
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(a.kind, FrontMatterKind::Yaml);
    assert_eq!(a.line_ending, LineEnding::Lf);
    assert!(a.encoding.is_utf8() && !a.encoding.bom);
    let f = &a.front;
    assert_eq!(f.title.as_deref(), Some("1-7月全国财政收入同比增20%"));
    assert_eq!(f.categories, ["金融", "新浪财经", "新浪财经－国內"]);
    assert_eq!(f.authors, ["新浪财经"]);
    assert_eq!(f.comments, Some(false));
    let date = f.date.as_ref().unwrap();
    assert_eq!(date.raw, "Thu, 19 Aug 2021 23:56:09 GMT");
    assert_eq!(
        date.to_rfc3339_utc().as_deref(),
        Some("2021-08-19T23:56:09Z")
    );
    assert_eq!(
        f.headimg.as_deref(),
        Some("https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png")
    );
    // The block starts after the leading blank line; the body follows it.
    let span = a.front_span.clone().unwrap();
    assert_eq!(span.start, 1);
    assert_eq!(a.body_span.start, span.end);
    assert_eq!(a.body_span.end as u64, a.size);
}

#[test]
fn body_is_read_on_demand() {
    let rel = Path::new("source/_posts/金融/新浪财经/新浪财经－国內/1-7月全国财政收入同比增20%.md");
    let post = archive::load_post(&fixtures(), rel, archive::DEFAULT_MAX_FILE_BYTES);
    assert!(post.front_text().starts_with("---\ntitle: '1-7月"));
    assert!(post.front_text().ends_with("---\n"));
    assert!(post.body().starts_with("\n<div>"));
    assert!(post.body().contains("财政收入"));
    assert_eq!(post.bytes.len() as u64, post.article.size);
}

#[test]
fn older_layouts_quotes_and_nested_lists() {
    let articles = scan();
    let acfun = find(
        &articles,
        "source/_posts/二次元/AcFun/番剧/第1话 - 4点44分的仪式.md",
    );
    assert_eq!(acfun.front.categories, ["二次元", "AcFun", "番剧"]);
    assert_eq!(acfun.front.headimg, None);
    let nested = find(
        &articles,
        "source/_posts/二次元/Animen 动漫平台/news/《劇場版 幼女戦記》全新主視覺圖釋出，廣播劇節目也即將復活！.md",
    );
    assert_eq!(
        nested.front.categories,
        ["二次元", "Animen 动漫平台", "news"]
    );
    let double = find(
        &articles,
        "source/_posts/游戏/Epic Games Store/免费游戏/Ken Follett's The Pillars of the Earth.md",
    );
    assert_eq!(
        double.front.title.as_deref(),
        Some("Ken Follett's The Pillars of the Earth")
    );
    let unquoted = find(&articles, "other/iOS写在定制相机之前.md");
    assert_eq!(unquoted.front.title.as_deref(), Some("iOS写在定制相机之前"));
    assert_eq!(unquoted.front.categories, ["编程", "掘金 - 热门"]);
    assert_eq!(unquoted.front.thumbnail, None, "thumbnail: '' is no image");
    let floating = find(
        &articles,
        "source/_posts/博客/Paul Graham 博客/Essays/Heresy.md",
    );
    let date = floating.front.date.as_ref().unwrap();
    assert_eq!(date.raw, "2022-07-30 13:20:56");
    assert!(!date.has_zone);
}

#[test]
fn invalid_date_blank_title_twins_and_emoji_names() {
    let articles = scan();
    let emoji = find(
        &articles,
        "source/_posts/设计/Dribbble/关键词/A tribute to Diego Maradona ⚽️🏆.md",
    );
    assert_eq!(
        emoji.front.title.as_deref(),
        Some("A tribute to Diego Maradona ⚽️🏆")
    );
    assert_eq!(kinds(emoji), [ProblemKind::BadDate]);
    assert_eq!(emoji.problems[0].line, Some(11));
    let date = emoji.front.date.as_ref().unwrap();
    assert_eq!((date.raw.as_str(), date.parsed), ("Invalid Date", None));
    let upper = find(
        &articles,
        "source/_posts/设计/Dribbble/关键词/Basketball Player.md",
    );
    let lower = find(
        &articles,
        "source/_posts/设计/Dribbble/关键词/Basketball player.md",
    );
    assert_eq!(upper.front.title.as_deref(), Some("Basketball Player"));
    assert_eq!(lower.front.title.as_deref(), Some("Basketball player"));
    let blank = find(&articles, "source/_posts/编程/开源中国/资讯/ .md");
    assert_eq!(kinds(blank), [ProblemKind::MissingTitle]);
}

#[test]
fn encodings_and_line_endings() {
    let articles = scan();
    let gbk = find(&articles, "bad/gbk-post.md");
    assert!(
        matches!(gbk.encoding.encoding.name(), "GBK" | "gb18030"),
        "{:?}",
        gbk.encoding
    );
    assert!(gbk.problems.is_empty(), "{:?}", gbk.problems);
    assert_eq!(
        gbk.front.title.as_deref(),
        Some("央行：5月末广义货币余额同比增长11%")
    );
    assert_eq!(gbk.front.categories, ["金融", "新浪财经"]);

    let bom = find(&articles, "bad/bom.md");
    assert!(bom.encoding.bom && bom.encoding.is_utf8());
    assert_eq!(bom.front.title.as_deref(), Some("带BOM的文章"));

    let utf16 = find(&articles, "bad/utf16.md");
    assert_eq!(utf16.encoding.label(), "UTF-16LE (BOM)");
    assert_eq!(utf16.front.title.as_deref(), Some("UTF-16 文章"));

    let crlf = find(&articles, "bad/crlf.md");
    assert_eq!(crlf.line_ending, LineEnding::Crlf);
    assert_eq!(crlf.front.title.as_deref(), Some("Windows 换行"));
    assert_eq!(crlf.front.categories, ["编程"]);
    assert_eq!(
        crlf.front
            .date
            .as_ref()
            .unwrap()
            .to_rfc3339_utc()
            .as_deref(),
        Some("2018-02-28T16:00:00Z")
    );
}

#[test]
fn bad_files_are_kept_with_their_problems() {
    let articles = scan();
    let cases = [
        ("bad/binary.md", vec![ProblemKind::Binary]),
        ("bad/empty.md", vec![ProblemKind::Empty]),
        ("bad/unterminated.md", vec![ProblemKind::Unterminated]),
        ("bad/broken-yaml.md", vec![ProblemKind::Syntax]),
        ("bad/no-front-matter.md", vec![ProblemKind::NoFrontMatter]),
        (
            "bad/damaged-utf8.md",
            vec![ProblemKind::BadDate, ProblemKind::InvalidBytes],
        ),
    ];
    for (rel, expected) in cases {
        assert_eq!(kinds(find(&articles, rel)), expected, "{rel}");
    }
    let broken = find(&articles, "bad/broken-yaml.md");
    assert!(broken.has_errors());
    assert!(
        broken.problems[0]
            .line
            .is_some_and(|l| (4..=5).contains(&l))
    );
    let unterminated = find(&articles, "bad/unterminated.md");
    assert_eq!(unterminated.problems[0].line, Some(2));
    // The raw text of a broken post stays viewable.
    let post = archive::load_post(&fixtures(), Path::new("bad/broken-yaml.md"), u64::MAX);
    assert!(post.text.contains("categories: [金融, 新浪财经"));
}

#[test]
fn toml_jekyll_flow_lists_and_maps() {
    let articles = scan();
    let hugo = find(&articles, "hugo/content/posts/toml-post.md");
    assert_eq!(hugo.kind, FrontMatterKind::Toml);
    assert!(hugo.problems.is_empty(), "{:?}", hugo.problems);
    assert_eq!(hugo.front.title.as_deref(), Some("Hugo 的 TOML 文章"));
    assert_eq!(hugo.front.tags, ["hugo", "toml"]);
    assert_eq!(hugo.front.cover.as_deref(), Some("/images/cover.jpg"));
    assert_eq!(hugo.front.updated.as_ref().unwrap().raw, "2021-06-18");
    assert_eq!(hugo.front.extra, [("draft".to_owned(), "false".to_owned())]);

    let jekyll = find(&articles, "jekyll/_posts/2021-06-17-welcome.markdown");
    assert_eq!(jekyll.front.title.as_deref(), Some("Welcome to Jekyll!"));
    assert_eq!(
        jekyll
            .front
            .date
            .as_ref()
            .unwrap()
            .to_rfc3339_utc()
            .as_deref(),
        Some("2021-06-17T00:02:32Z")
    );
    assert_eq!(
        jekyll.front.extra[0],
        ("layout".to_owned(), "post".to_owned())
    );

    let flow = find(&articles, "flow/flow-lists.md");
    assert_eq!(flow.front.categories, ["少数派"]);
    assert_eq!(flow.front.tags, ["效率", "工具"]);
    assert_eq!(flow.front.authors, ["byte"]);
    assert_eq!(
        flow.front.cover.as_deref(),
        Some("https://cdn.sspai.com/cover.png")
    );
    assert_eq!(flow.front.comments, Some(true));
    let keys: Vec<&str> = flow.front.extra.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["misspelt_tilte", "weight"]);
}

#[test]
fn size_cap_reports_without_loading() {
    let post = archive::load_post(&fixtures(), Path::new("other/iOS写在定制相机之前.md"), 1024);
    assert_eq!(kinds(&post.article), [ProblemKind::TooLarge]);
    assert!(post.text.is_empty() && post.bytes.is_empty());
    assert_eq!(post.article.size, 5857);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).unwrap();
    std::fs::write(posts.join("a.md"), "---\ntitle: a\n---\n").unwrap();
    std::os::unix::fs::symlink(dir.path(), posts.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing.md"), posts.join("dangling.md")).unwrap();
    let archive = archive::scan(dir.path(), &ScanOptions::default()).unwrap();
    let paths: Vec<String> = archive.articles.iter().map(Article::path_display).collect();
    assert_eq!(paths, ["posts/a.md"]);
    let mut problems: Vec<String> = archive
        .path_problems
        .iter()
        .map(|p| format!("{}: {}", p.path.display(), p.problem.message))
        .collect();
    problems.sort();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("posts/dangling.md: cannot read"),
        "{problems:?}"
    );
    assert_eq!(problems[1], "posts/loop: symlink loop, not followed");
}

#[test]
fn missing_root_is_an_error() {
    let err =
        archive::scan(Path::new("/no/such/folio/archive"), &ScanOptions::default()).unwrap_err();
    assert!(err.to_string().contains("/no/such/folio/archive"), "{err}");
}

#[test]
fn nothing_panics_on_arbitrary_bytes() {
    let samples: [&[u8]; 8] = [
        b"---",
        b"\n\n\n",
        b"---\n---",
        b"+++\n+++\n",
        b"---\n: : :\n---\n",
        b"---\n- a\n- b\n---\n",
        b"\xff\xfe\x00",
        b"---\ntitle: [\xff\n---\n",
    ];
    for bytes in samples {
        let post = archive::parse_bytes(PathBuf::from("x.md"), None, bytes.to_vec());
        assert!(post.article.body_span.end <= post.text.len());
    }
}

proptest::proptest! {
    #[test]
    fn parse_never_panics_and_spans_stay_in_the_text(
        head in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
        yaml in "[a-z: '\"\\[\\]{}#&*!|>-]{0,40}",
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
    ) {
        let mut bytes = head;
        bytes.extend_from_slice(b"\n---\n");
        bytes.extend_from_slice(yaml.as_bytes());
        bytes.extend_from_slice(b"\n---\n");
        bytes.extend_from_slice(&tail);
        let post = archive::parse_bytes(PathBuf::from("x.md"), None, bytes);
        let a = &post.article;
        proptest::prop_assert!(a.body_span.end <= post.text.len());
        proptest::prop_assert!(post.text.get(a.body_span.clone()).is_some());
        if let Some(span) = &a.front_span {
            proptest::prop_assert!(post.text.get(span.clone()).is_some());
        }
    }
}

#[test]
fn a_site_root_skips_generated_output_themes_and_scaffolds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("_config.yml", "title: My site\n");
    write("source/_posts/a.md", "---\ntitle: a\n---\n");
    write("public/2021/06/17/a/index.html", "<html></html>");
    write("scaffolds/post.md", "---\ntitle: {{ title }}\n---\n");
    write("themes/landscape/README.md", "# Theme\n");
    let paths: Vec<String> = archive::scan(root, &ScanOptions::default())
        .unwrap()
        .articles
        .iter()
        .map(Article::path_display)
        .collect();
    assert_eq!(paths, ["source/_posts/a.md"]);

    // Without a site config, a folder named `public` is just a folder of posts.
    std::fs::remove_file(root.join("_config.yml")).unwrap();
    let count = archive::scan(root, &ScanOptions::default())
        .unwrap()
        .articles
        .len();
    assert_eq!(count, 4);
}

/// What a listing must get exactly as a whole read does.
fn listed_view(a: &Article) -> String {
    format!(
        "{:?} {} {:?} {:?} {:?} {:?} {:?}",
        a.path, a.size, a.modified, a.kind, a.front_span, a.front, a.problems
    )
}

#[test]
fn a_listing_scan_reads_the_front_matter_as_a_whole_read_does() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut compared = 0;
    let mut past_the_head = 0;
    for folder in std::fs::read_dir(&fixtures).unwrap() {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        let whole = archive::scan(&folder, &ScanOptions::default()).unwrap();
        let listed = archive::scan(&folder, &ScanOptions::listing()).unwrap();
        assert_eq!(whole.articles.len(), listed.articles.len());
        for (w, l) in whole.articles.iter().zip(&listed.articles) {
            assert_eq!(listed_view(w), listed_view(l), "{}", folder.display());
            compared += 1;
            past_the_head += usize::from(w.size > archive::HEAD_BYTES as u64);
        }
    }
    assert!(compared >= 150, "{compared} posts compared");
    assert!(
        past_the_head >= 15,
        "{past_the_head} posts larger than the head"
    );
}

fn write_post(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn a_listing_scan_reads_on_when_the_block_does_not_close_in_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let long_value = "长".repeat(archive::HEAD_BYTES);
    let long_front = format!("---\ntitle: 长标题\nsummary: {long_value}\n---\nbody\n");
    write_post(dir.path(), "long-front.md", long_front.as_bytes());
    let blank_start = format!("{}---\ntitle: 空行之后\n---\nbody\n", "\n".repeat(9000));
    write_post(dir.path(), "blank-start.md", blank_start.as_bytes());
    let unterminated = format!("---\ntitle: 没有结尾\n{}", "x: 1\n".repeat(3000));
    write_post(dir.path(), "unterminated.md", unterminated.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in format!("---\ntitle: 十六位\n---\n{}", "正文\n".repeat(3000)).encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write_post(dir.path(), "utf16.md", &utf16);

    let whole = archive::scan(dir.path(), &ScanOptions::default()).unwrap();
    let listed = archive::scan(dir.path(), &ScanOptions::listing()).unwrap();
    for (w, l) in whole.articles.iter().zip(&listed.articles) {
        assert_eq!(listed_view(w), listed_view(l));
    }
    let titles: Vec<String> = listed
        .articles
        .iter()
        .map(|a| a.display_title().into_owned())
        .collect();
    assert_eq!(titles, ["空行之后", "长标题", "unterminated", "十六位"]);
    assert_eq!(
        kinds(find(&listed.articles, "unterminated.md")),
        [ProblemKind::Unterminated]
    );
}

#[test]
fn a_listing_scan_leaves_damage_past_the_head_to_a_whole_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "---\ntitle: 坏字节在后面\n---\n".as_bytes().to_vec();
    bytes.extend("正文。\n".repeat(archive::HEAD_BYTES).as_bytes());
    bytes.extend_from_slice(b"\xFF\xFEbroken\n");
    write_post(dir.path(), "damaged.md", &bytes);

    let listed = archive::scan(dir.path(), &ScanOptions::listing()).unwrap();
    let whole = archive::scan(dir.path(), &ScanOptions::default()).unwrap();
    let l = find(&listed.articles, "damaged.md");
    let w = find(&whole.articles, "damaged.md");
    assert_eq!(l.display_title(), "坏字节在后面");
    assert_eq!(l.size, bytes.len() as u64);
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    assert_eq!(kinds(w), [ProblemKind::InvalidBytes]);
}
