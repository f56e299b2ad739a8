//! Which image is a post's: the one rule the list, the article view and `folio list`
//! share.
//!
//! The front matter's own images come first, in the order archives mean them
//! (`headimg`, `thumbnail`, `cover`, `image`); junk is skipped (Sina's QR-code promo,
//! `picsum.photos` placeholders, tracking pixels: see [`is_junk_image_url`]), and so is
//! anything Folio would never load (a `file://` URL, a path leaving the archive). When
//! the body is known (the article view), its first real image is the fallback; the list
//! knows only front matter, so a post whose only image is in its body shows its
//! placeholder there.

use crate::archive::{FrontMatter, ImageRef};
use crate::clean::{Block, Document, is_junk_image_url};

/// The post's best image (see the module docs). `post_dir` is the post's folder
/// relative to the archive root ([`Article::folder`](crate::archive::Article::folder)).
pub fn best_image(
    front: &FrontMatter,
    post_dir: &str,
    body: Option<&Document>,
) -> Option<ImageRef> {
    front
        .image_candidates()
        .filter_map(|written| ImageRef::parse(written, post_dir))
        .find(is_real)
        .or_else(|| {
            body?.images().into_iter().find_map(|block| match block {
                Block::Image { src, .. } if is_real(src) => Some(src.clone()),
                _ => None,
            })
        })
}

fn is_real(image: &ImageRef) -> bool {
    image.may_load() && !is_junk_image_url(image.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const QR: &str = "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png";

    fn front(yaml: &str) -> FrontMatter {
        let text = format!("---\n{yaml}---\n");
        crate::archive::parse_bytes("a/b/p.md".into(), None, text.into_bytes())
            .article
            .front
    }

    fn image(src: &str) -> Block {
        Block::Image {
            src: ImageRef::parse(src, "a/b").unwrap(),
            alt: String::new(),
            caption: None,
        }
    }

    #[test]
    fn front_matter_first_skipping_junk_and_unloadable() {
        let doc = Document {
            blocks: vec![image(QR), image("https://example.com/real.jpg")],
        };
        let f = front(&format!(
            "title: t\nheadimg: '{QR}'\nthumbnail: 'file:///etc/passwd'\ncover: 'https://example.com/cover.png'\n"
        ));
        assert_eq!(
            best_image(&f, "a/b", Some(&doc)),
            Some(ImageRef::Url("https://example.com/cover.png".into()))
        );
        let f = front(&format!(
            "title: t\nheadimg: '{QR}'\nthumbnail: 'https://picsum.photos/400/300?random=1'\n"
        ));
        assert_eq!(
            best_image(&f, "a/b", Some(&doc)),
            Some(ImageRef::Url("https://example.com/real.jpg".into()))
        );
        assert_eq!(best_image(&f, "a/b", None), None);
    }

    #[test]
    fn relative_front_matter_images_are_the_posts_folder() {
        let f = front("title: t\nheadimg: img/blue.png\n");
        assert_eq!(
            best_image(&f, "a/b", None),
            Some(ImageRef::File("a/b/img/blue.png".into()))
        );
    }
}
