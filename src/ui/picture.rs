//! Images of the open post drawn from the thumbnail pool: inline body images, the
//! header image and the editor's preview of an image field.
//!
//! Every image goes through `app::thumbs` (and so through `thumbs`' rules on what may
//! be loaded: http, https, `data:` and files inside the archive). Callers draw their
//! own placeholder when [`picture_ui`] reports that nothing was drawn, so loading and
//! failed images keep their alt text and address on screen.

use crate::app::{AppThumbs, ThumbState};
use crate::archive::ImageRef;
use crate::thumbs::{Priority, ThumbSize};

/// Where the open post's images come from. References are already typed against the
/// post's folder ([`ImageRef`]), so nothing here joins paths.
#[derive(Clone, Copy)]
pub struct PostImages<'a> {
    /// The app's thumbnails.
    pub thumbs: &'a AppThumbs,
}

impl PostImages<'_> {
    /// The texture for `image` at `size`, asking the pool for it when missing.
    pub fn texture(&self, image: &ImageRef, size: ThumbSize) -> Option<&egui::TextureHandle> {
        let request = self.thumbs.request(image, size)?;
        match self.thumbs.image(&request, Priority::Visible) {
            ThumbState::Ready(texture) => Some(texture),
            ThumbState::Loading | ThumbState::Failed => None,
        }
    }
}

/// Draws `reference` at a readable width (no wider than the column, and never
/// enlarged past its pixels), centred. Returns false when the image is not ready (or
/// will not load), so the caller draws its placeholder.
pub fn picture_ui(
    ui: &mut egui::Ui,
    images: PostImages<'_>,
    reference: &ImageRef,
    alt: &str,
) -> bool {
    let Some(texture) = images.texture(reference, ThumbSize::Header) else {
        return false;
    };
    let pixels = texture.size_vec2() / ui.ctx().pixels_per_point();
    let width = pixels.x.min(ui.available_width()).max(1.0);
    let size = egui::vec2(width, pixels.y * width / pixels.x.max(1.0));
    let alt = if alt.trim().is_empty() {
        "Image"
    } else {
        alt.trim()
    };
    ui.vertical_centered(|ui| {
        ui.add(
            egui::Image::new((texture.id(), size))
                .corner_radius(4.0)
                .alt_text(alt),
        )
        .on_hover_text(reference.as_str());
    });
    true
}

/// A small preview of an image field's value in the editor (nothing while loading or
/// when the reference cannot be shown).
pub fn preview_ui(ui: &mut egui::Ui, images: PostImages<'_>, reference: &ImageRef) {
    let size = crate::app::list_size(ui.ctx().pixels_per_point());
    if let Some(texture) = images.texture(reference, size) {
        ui.add(
            egui::Image::new((texture.id(), egui::vec2(48.0, 36.0)))
                .corner_radius(3.0)
                .alt_text("Image preview"),
        );
    }
}
