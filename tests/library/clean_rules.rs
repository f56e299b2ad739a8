//! Each junk rule and text normalization of the `clean` module, checked on real posts
//! (and on two hand-made bodies for shapes the real archive lacks).

use crate::clean_support;

use clean_support::images;

use clean_support::{POST_DIR, load};
use folio::clean::{Block, Span, plain_text};
use folio::thumbs::best_image;

fn paragraphs(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { spans } => Some(plain_text(spans)),
            _ => None,
        })
        .collect()
}

fn headings(blocks: &[Block]) -> Vec<(u8, String)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, spans } => Some((*level, plain_text(spans))),
            _ => None,
        })
        .collect()
}

#[test]
fn sina_short_post_keeps_exactly_its_article() {
    let post = load("sina_property_investment.md");
    let doc = post.clean();
    // 原标题 repeats the title (with 1—4 for 1-4): dropped. QR promo, its <style>,
    // comments and the 责任编辑 credit: dropped. Indent 　　 trimmed.
    assert_eq!(
        paragraphs(&doc.blocks),
        vec![
            "据国家统计局消息，1—4月份，全国房地产开发投资39154亿元，同比下降2.7%；其中，住宅投资29527亿元，下降2.1%。1—4月份，商品房销售面积39768万平方米，同比下降20.9%；其中，住宅销售面积下降25.4%。商品房销售额37789亿元，下降29.5%；其中，住宅销售额下降32.2%。",
            "（总台央视记者 徐宁宁 杨毅）",
        ]
    );
    assert_eq!(doc.blocks.len(), 2, "{:#?}", doc.blocks);
}

#[test]
fn sina_qr_promo_style_and_credit_are_gone_from_every_format() {
    for name in [
        "sina_property_investment.md",
        "sina_tibet_post.md",
        "sina_lychee.md",
    ] {
        let post = load(name);
        for out in [post.text(), post.markdown()] {
            for junk in [
                "appendQr",
                "海量资讯",
                "尽在新浪财经APP",
                "责任编辑",
                "343233024.png",
                "padding",
                "news_keyword_pub",
                "正文下iframe",
            ] {
                assert!(!out.contains(junk), "{name}: {junk} in\n{out}");
            }
        }
    }
}

#[test]
fn sina_original_title_line_repeating_the_title_is_dropped() {
    let post = load("sina_tibet_post.md");
    let text = post.text();
    assert!(!text.contains("原标题"), "{text}");
    assert!(
        text.starts_with("记者26日从交通运输部新闻发布会获悉"),
        "{text}"
    );
}

#[test]
fn sina_bold_font_subheads_become_headings() {
    let post = load("sina_lychee.md");
    let doc = post.clean();
    assert_eq!(
        headings(&doc.blocks),
        vec![
            (3, "“天价荔枝”引热议".to_string()),
            (3, "今年荔枝为何偏贵".to_string()),
            (3, "荔枝产业该如何发展".to_string()),
        ]
    );
}

#[test]
fn sina_article_adlist_comments_and_data_gif_leave_nothing() {
    let post = load("sina_lychee.md");
    let doc = post.clean();
    let text = post.text();
    for junk in [
        "排版：肖冉",
        "欢迎关注中国新闻周刊视频号",
        "打包拍卖175家食堂",
        "data:image",
    ] {
        assert!(!text.contains(junk), "{junk} in output");
    }
    assert!(images(&doc.blocks).is_empty(), "{:?}", images(&doc.blocks));
    let last = paragraphs(&doc.blocks).pop();
    assert_eq!(last.as_deref(), Some("作者：余源（andyy1988@126.com）"));
}

#[test]
fn sina_images_and_captions() {
    let post = load("sina_cnki_caption.md");
    let doc = post.clean();
    let found = images(&doc.blocks);
    let caption = "中南财经政法大学退休教授赵德馨在家中书房办公，清理案头书籍和资料。记者高勇 摄";
    assert_eq!(
        found.first(),
        Some(&(
            "https://n.sinaimg.cn/spider20211207/61/w400h461/20211207/727c-6be62f3fc36957eead7c73c86b4af976.jpg"
                .to_string(),
            caption.to_string(),
            Some(caption.to_string()),
        ))
    );
    // The caption is not repeated as a paragraph.
    assert!(!paragraphs(&doc.blocks).iter().any(|p| p == caption));
}

#[test]
fn best_image_skips_sina_qr_headimg_and_uses_real_ones() {
    let best = |post: &clean_support::Post| {
        let doc = post.clean();
        best_image(&post.front, POST_DIR, Some(&doc)).map(|image| image.to_string())
    };
    // headimg and thumbnail are the QR PNG; the body has no real image.
    assert_eq!(best(&load("sina_property_investment.md")), None);

    let post = load("sina_fund_managers.md");
    assert_eq!(
        best(&post).as_deref(),
        Some(
            "https://n.sinaimg.cn/finance/crawl/575/w550h825/20220307/05ef-c7ec7d762f7227e61e0615af5c11ec46.jpg"
        )
    );
    assert_eq!(images(&post.clean().blocks).len(), 6);

    // picsum placeholder as thumbnail, no body image.
    assert_eq!(best(&load("google_sites_fibonacci.md")), None);

    // QR headimg, first body image instead.
    let best = best(&load("sina_cnki_caption.md"));
    assert!(best.is_some_and(|b| b.contains("727c-6be62f3fc36957eead7c73c86b4af976")));
}

#[test]
fn juejin_style_block_copy_buttons_and_code() {
    let post = load("juejin_ios_camera.md");
    let doc = post.clean();
    let text = post.text();
    assert!(!text.contains("markdown-body"), "{text}");
    assert!(!text.contains("复制代码"), "{text}");
    assert!(!text.contains("word-break"), "{text}");
    let Some(Block::List {
        ordered: false,
        items,
    }) = doc.blocks.iter().find(|b| matches!(b, Block::List { .. }))
    else {
        panic!("no list in {:#?}", doc.blocks);
    };
    assert_eq!(items.len(), 4);
    let mut codes = Vec::new();
    fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a str>) {
        for b in blocks {
            match b {
                Block::Code { text, .. } => out.push(text),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
    }
    walk(&doc.blocks, &mut codes);
    assert_eq!(codes.len(), 4);
    assert_eq!(
        codes.get(1).copied(),
        Some("+ (Class)layerClass {\n    return [AVCaptureVideoPreviewLayer class];\n}")
    );
}

#[test]
fn google_sites_layout_table_iframe_and_font_weight() {
    let post = load("google_sites_fibonacci.md");
    let doc = post.clean();
    // The one-cell layout table is unwrapped, not shown as a table.
    assert!(!doc.blocks.iter().any(|b| matches!(b, Block::Table { .. })));
    assert!(doc.blocks.iter().any(|b| matches!(
        b,
        Block::Embed { url, kind } if kind == "iframe" && url.starts_with("https://sites.google.com/macros/s/")
    )));
    assert_eq!(
        headings(&doc.blocks),
        vec![(4, "Showing the nth Fibonacci Number".to_string())]
    );
    // <b> around <span style="font-weight:normal"> is not bold, so no promoted heading.
    let last = doc.blocks.last();
    let Some(Block::Paragraph { spans }) = last else {
        panic!("last block {last:?}");
    };
    assert_eq!(
        plain_text(spans),
        "若有任何錯誤或建議，歡迎電郵至outliers.hk@gmail.com反映。"
    );
    assert!(
        spans
            .iter()
            .any(|s| matches!(s, Span::Link { url, .. } if url == "mailto:outliers.hk@gmail.com"))
    );
}

#[test]
fn sina_data_table_becomes_rows_of_cells() {
    // A real Sina statistics table (excerpt of 1-11月份全国规模以上工业企业利润…).
    let body = r#"<div><table border="1" cellspacing="0" cellpadding="5"><caption>表1 2021年1—11月份规模以上工业企业主要财务指标</caption>
<tbody><tr><td rowspan="2">行业</td><td colspan="2">营业收入</td></tr>
<tr><td>1—11月<br>（亿元）</td><td>同比增长<br>（%）</td></tr>
<tr><td>总计</td><td>1149355.8</td></tr></tbody></table></div>"#;
    let doc = folio::clean::clean_body(
        body,
        &folio::clean::CleanContext {
            title: None,
            post_dir: POST_DIR,
        },
    );
    assert_eq!(
        paragraphs(&doc.blocks),
        vec!["表1 2021年1—11月份规模以上工业企业主要财务指标"]
    );
    let Some(Block::Table { rows }) = doc.blocks.last() else {
        panic!("{:#?}", doc.blocks);
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| plain_text(c)).collect())
        .collect();
    assert_eq!(
        cells,
        vec![
            vec!["行业", "营业收入"],
            vec!["1—11月\n（亿元）", "同比增长\n（%）"],
            vec!["总计", "1149355.8"],
        ]
    );
}

#[test]
fn cnbeta_bare_text_iframe_and_linked_image() {
    let post = load("cnbeta_red.md");
    let doc = post.clean();
    let first = paragraphs(&doc.blocks)
        .into_iter()
        .next()
        .unwrap_or_default();
    assert!(first.starts_with("苹果跟(RED)有着长期的"), "{first}");
    assert!(doc.blocks.iter().any(|b| matches!(
        b,
        Block::Embed { url, kind } if kind == "iframe" && url.starts_with("https://tv.sohu.com/s/sohuplayer/iplay.html?bid=316352176")
    )));
    assert_eq!(
        images(&doc.blocks),
        vec![(
            "https://static.cnbetacdn.com/article/2021/1201/bdd51555721a2a5.webp".to_string(),
            String::new(),
            None
        )]
    );
    let links: usize = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { spans } => spans
                .iter()
                .filter(|s| matches!(s, Span::Link { .. }))
                .count(),
            _ => 0,
        })
        .sum();
    assert_eq!(links, 2);
}

#[test]
fn oschina_code_block_keeps_braces_and_drops_highlighting() {
    let post = load("oschina_agileutil.md");
    let doc = post.clean();
    assert_eq!(headings(&doc.blocks), vec![(2, "内置Web框架".to_string())]);
    let code = doc.blocks.iter().find_map(|b| match b {
        Block::Code { text, .. } => Some(text.clone()),
        _ => None,
    });
    let code = code.unwrap_or_default();
    assert!(
        code.starts_with("from agileutil.http.server import HttpServer, route\n"),
        "{code}"
    );
    assert!(
        code.contains("    return json.dumps({'sum':c})\n"),
        "{code}"
    );
    assert!(code.ends_with("hs.serve()"), "{code}");
}

#[test]
fn markdown_body_with_hexo_tags_and_raw_html() {
    let post = load("jekyll_markdown.md");
    let doc = post.clean();
    let md = post.markdown();
    let text = post.text();
    // Full-width indent trimmed, bold kept.
    let Some(Block::Paragraph { spans }) = doc.blocks.first() else {
        panic!("{:#?}", doc.blocks);
    };
    assert_eq!(
        plain_text(spans),
        "这是一篇 Jekyll 风格的文章，正文是 Markdown，其中夹着 Hexo 标签和原始 HTML。"
    );
    assert!(spans.contains(&Span::bold("Markdown")));
    // Hexo link tags (plain and crawler-encoded) are links.
    assert!(md.contains("[少数派首页](https://sspai.com/)"), "{md}");
    assert!(
        md.contains("[Rust 官网](https://www.rust-lang.org/)"),
        "{md}"
    );
    assert!(!text.contains("{%") && !text.contains("%}"), "{text}");
    // Raw HTML junk inside Markdown: share widget, style, comment, credit.
    for junk in ["分享到微博", "font-size", "注释", "责任编辑"] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
    // Images: the post's folder, the site root as written, and a path leaving the
    // archive kept as written (shown, never loaded).
    assert_eq!(
        images(&doc.blocks),
        vec![
            (
                format!("{POST_DIR}/images/cover.png"),
                "封面".to_string(),
                None
            ),
            (
                "/assets/diagram.png".to_string(),
                "站点根目录下的图片".to_string(),
                Some("架构图".to_string())
            ),
            (
                "../../../../../../outside.png".to_string(),
                "越界的图片".to_string(),
                None
            ),
        ]
    );
    // Code keeps braces and its literal text.
    assert!(doc.blocks.contains(&Block::Code {
        lang: Some("rust".into()),
        text: "fn main() {\n    println!(\"hello & welcome\");\n}".into()
    }));
    assert!(
        doc.blocks
            .iter()
            .any(|b| matches!(b, Block::Table { rows } if rows.len() == 3))
    );
    assert!(doc.blocks.iter().any(|b| matches!(b, Block::Quote { .. })));
    assert!(
        doc.blocks
            .iter()
            .any(|b| matches!(b, Block::List { ordered: true, items } if items.len() == 2))
    );
    assert!(doc.blocks.contains(&Block::Rule));
    // Entities in raw HTML decoded.
    assert!(
        text.contains("一段原始 HTML 段落，带有链接和 实体A。"),
        "{text}"
    );
}

#[test]
fn generic_junk_rules() {
    let post = load("generic_junk.md");
    let doc = post.clean();
    let text = post.text();
    for junk in [
        "tracker",
        "screen reader",
        "Please enable",
        "hidden by",
        "icon text",
        "comment",
    ] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
    assert_eq!(
        paragraphs(&doc.blocks),
        vec![
            "First real paragraph with bold and italic words.",
            "Shared text.",
            "Second real paragraph, after the embeds.",
            "Third paragraph after a double break.",
            "Last words & a brace {ok}.",
        ]
    );
    assert_eq!(
        images(&doc.blocks),
        vec![(
            "https://img.example.com/lazy.jpg".to_string(),
            "lazy picture".to_string(),
            None
        )]
    );
    let embeds: Vec<(&str, &str)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Embed { url, kind } => Some((url.as_str(), kind.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        embeds,
        vec![
            ("https://www.youtube.com/embed/dQw4w9WgXcQ", "iframe"),
            ("https://media.example.com/clip.mp4", "video")
        ]
    );
    assert!(doc.blocks.contains(&Block::Rule));
    assert_eq!(
        best_image(&post.front, POST_DIR, Some(&doc)).map(|image| image.to_string()),
        Some("https://img.example.com/lazy.jpg".to_owned())
    );
}
