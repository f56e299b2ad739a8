//! Site rules checked on excerpts copied from real corpus posts (36kr, WordPress,
//! 9To5Mac, 新浪财经) whose whole posts are too large to keep as fixtures.

use crate::clean_support;

use clean_support::images;

use clean_support::POST_DIR;
use folio::archive::ImageRef;
use folio::clean::{Block, Span, plain_text};

fn paragraphs(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { spans } => Some(plain_text(spans)),
            _ => None,
        })
        .collect()
}

/// Clean a real excerpt (copied from a corpus post) with no title.
fn clean_excerpt(body: &str) -> folio::clean::Document {
    folio::clean::clean_body(
        body,
        &folio::clean::CleanContext {
            title: None,
            post_dir: POST_DIR,
        },
    )
}

#[test]
fn kr36_image_description_is_the_caption() {
    // Excerpt of 36kr 10个UX技巧：客户评论用得好，转化率节节高.
    let doc = clean_excerpt(
        r#"<div><p class="image-wrapper"><img data-img-size-val="1200,630" src="https://img.36krcdn.com/20220407/v2_e3b670c9fc1a4f0da04c6837be8dc6c8_img_png" referrerpolicy="no-referrer"></p> 
<p class="img-desc">好做法：按照“评分最高”的评论进行排序的Kohl 产品列表。</p> </div>"#,
    );
    assert_eq!(
        doc.blocks,
        vec![Block::Image {
            src: ImageRef::Url(
                "https://img.36krcdn.com/20220407/v2_e3b670c9fc1a4f0da04c6837be8dc6c8_img_png"
                    .into()
            ),
            alt: String::new(),
            caption: Some("好做法：按照“评分最高”的评论进行排序的Kohl 产品列表。".into()),
        }]
    );
}

#[test]
fn wordpress_figcaption_is_the_caption() {
    // Excerpt of an Aljazeera 半岛网 post.
    let doc = clean_excerpt(
        r#"<figure id="attachment_275295" style="width:770px" class="wp-caption aligncenter"><img loading="lazy" class="size-arc-image-770 wp-image-275295" src="https://chinese.aljazeera.net/wp-content/uploads/2022/04/13-7.png?w=770&resize=770%2C513" alt data-recalc-dims="1" referrerpolicy="no-referrer"><figcaption id="caption-attachment-275295" class="wp-caption-text">俄罗斯于2月24日入侵乌克兰，其军费支出增长了2.9% (美联社)</figcaption></figure>"#,
    );
    assert_eq!(
        images(&doc.blocks),
        vec![(
            "https://chinese.aljazeera.net/wp-content/uploads/2022/04/13-7.png?w=770&resize=770%2C513".to_string(),
            String::new(),
            Some("俄罗斯于2月24日入侵乌克兰，其军费支出增长了2.9% (美联社)".to_string())
        )]
    );
    assert_eq!(doc.blocks.len(), 1);
}

#[test]
fn nine_to_five_affiliate_disclaimer_is_dropped() {
    // Excerpt of a 9To5Mac post.
    let doc = clean_excerpt(
        r#"<div><p>Apple said at the time that it would appeal.</p><div class="ad-disclaimer-container"><p class="disclaimer-affiliate"><em>FTC: We use income earning auto affiliate links.</em> <a href="https://9to5mac.com/about/#affiliate">More.</a></p><!-- post ad --></div><div id="after_disclaimer_placement"></div></div>"#,
    );
    assert_eq!(
        paragraphs(&doc.blocks),
        vec!["Apple said at the time that it would appeal."]
    );
    assert_eq!(doc.blocks.len(), 1);
}

#[test]
fn sina_keyword_stock_links_stay_links() {
    // Excerpt of a Sina post: stock names are links, the empty quote span vanishes.
    let doc = clean_excerpt(
        r#"<p cms-style="font-L">　　<span id="stock_sz300059"><a href="https://finance.sina.com.cn/realstock/company/sz300059/nc.shtml" class="keyword" target="_blank">东方财富</a></span><span id="quote_sz300059"></span>日前发布了旗下子公司东方财富证券2022年半年度未经审计非合并财务报表。</p>"#,
    );
    let Some(Block::Paragraph { spans }) = doc.blocks.first() else {
        panic!("{:#?}", doc.blocks);
    };
    assert_eq!(
        spans.first(),
        Some(&Span::Link {
            url: "https://finance.sina.com.cn/realstock/company/sz300059/nc.shtml".into(),
            spans: vec![Span::text("东方财富")],
        })
    );
    assert_eq!(
        plain_text(spans),
        "东方财富日前发布了旗下子公司东方财富证券2022年半年度未经审计非合并财务报表。"
    );
}
