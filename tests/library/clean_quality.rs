//! Issue item 6 over the fixtures: no output contains CSS, tag text, comments, entity
//! codes, the editor credit or Sina's QR promo, and (nearly) every article paragraph of
//! the source survives.

use crate::clean_support;

use clean_support::{all_fixture_names, load_owned};
use folio::clean::{OutputFormat, quality, render};

#[test]
fn no_forbidden_output_and_article_paragraphs_survive() {
    let names = all_fixture_names();
    assert!(names.len() >= 10, "fixtures: {names:?}");
    let (mut article, mut kept, mut junk) = (0usize, 0usize, 0usize);
    for name in names {
        let post = load_owned(name.clone(), "fixture");
        let audit = quality::audit(&post.body, &post.ctx());
        assert!(audit.findings.is_empty(), "{name}: {:?}", audit.findings);
        let json = render(&post.clean(), OutputFormat::Json);
        assert!(
            !json.contains("责任编辑") && !json.contains("尽在新浪财经APP"),
            "{name}"
        );
        assert!(
            audit.missing.is_empty(),
            "{name}: missing {:?}",
            audit.missing
        );
        article += audit.article_paragraphs();
        kept += audit.kept_paragraphs;
        junk += audit.junk_paragraphs;
    }
    // The fixtures hold well over a hundred real <p>s; every one that no rule removes
    // must be in the output, and the rules must have had something to remove.
    assert!(article > 100, "only {article} article paragraphs");
    assert_eq!(kept, article);
    assert!(junk >= 5, "junk rules removed only {junk} paragraphs");
}
