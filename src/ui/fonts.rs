//! Fonts: egui's defaults, then the system's fonts (eframe's `system_fonts`), then a
//! bundled CJK subset, so Chinese renders even on a machine without CJK fonts.
//!
//! The bundled font (`assets/fonts/NotoSansCJKsc-subset.otf`, ~3 MB: GB2312, CJK
//! punctuation and full-width forms; licence in `assets/fonts/OFL.txt`) is offered by a
//! font provider added after eframe's system provider. egui asks providers in order for
//! a character no installed font has, so an installed CJK system font wins and the
//! bundled one is the last resort.

use std::sync::Arc;

use egui::epaint::text::{FallbackRequest, FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily};

/// The bundled CJK subset.
pub const BUNDLED_CJK: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-subset.otf");

const BUNDLED_NAME: &str = "Folio bundled Noto Sans CJK SC (subset)";

/// Adds the bundled CJK fallback provider to `ctx`.
pub fn install(ctx: &egui::Context) {
    ctx.add_font_provider(Arc::new(bundled_cjk));
}

fn bundled_cjk(request: &FallbackRequest<'_>) -> Option<FontInsert> {
    let c = request.cluster.chars().next()?;
    if u32::from(c) < 0x2000 {
        return None;
    }
    Some(FontInsert {
        name: BUNDLED_NAME.to_owned(),
        data: FontData::from_static(BUNDLED_CJK),
        families: [FontFamily::Proportional, FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn emoji_in_scraped_titles_have_glyphs() {
        let ctx = egui::Context::default();
        super::install(&ctx);
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let font = egui::FontId::proportional(14.0);
        for text in ["🏆", "🔥", "👍", "📈"] {
            assert!(
                ctx.fonts_mut(|f| f.has_glyphs(&font, text)),
                "{text} would draw as an empty box"
            );
        }
    }
}
