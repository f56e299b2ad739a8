//! Folio's look: a reading-friendly text size, roomier spacing, and colours shared by
//! the panels (badges, placeholders). Light and dark follow the system by default.

use egui::{Color32, FontFamily, FontId, TextStyle};

/// Applies Folio's text sizes and spacing to both themes.
pub fn install(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(11.5, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(14.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(22.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(13.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        style.spacing.interact_size.y = 24.0;
    });
    // egui's dark text (#8C8C8C on #1B1B1B) is about 5:1; reading wants 7:1 or more.
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(0xCF);
    });
}

/// The contrast ratio of two colours (WCAG: 1 to 21).
#[cfg(test)]
fn contrast(a: Color32, b: Color32) -> f32 {
    let luminance = |c: Color32| {
        let channel = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Colour for the "has problems" badge.
pub fn problem_color(has_errors: bool, dark: bool) -> Color32 {
    match (has_errors, dark) {
        (true, true) => Color32::from_rgb(240, 110, 100),
        (true, false) => Color32::from_rgb(190, 40, 30),
        (false, true) => Color32::from_rgb(230, 180, 80),
        (false, false) => Color32::from_rgb(170, 110, 0),
    }
}

/// Colour for a post's git state badge in the list (new, modified, renamed).
pub fn change_color(state: crate::git::ChangeState, dark: bool) -> Color32 {
    use crate::git::ChangeState;
    match (state, dark) {
        (ChangeState::New, true) => Color32::from_rgb(110, 200, 120),
        (ChangeState::New, false) => Color32::from_rgb(30, 130, 50),
        (ChangeState::Modified, true) => Color32::from_rgb(110, 170, 240),
        (ChangeState::Modified, false) => Color32::from_rgb(30, 100, 190),
        (ChangeState::Renamed | ChangeState::Deleted, true) => Color32::from_rgb(190, 150, 230),
        (ChangeState::Renamed | ChangeState::Deleted, false) => Color32::from_rgb(120, 70, 170),
    }
}

/// A stable, pleasant colour for a placeholder tile, derived from `seed` (the source).
pub fn seed_color(seed: &str) -> Color32 {
    let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let hue = (hash % 360) as f32 / 360.0;
    egui::ecolor::Hsva::new(hue, 0.45, 0.70, 1.0).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_has_seven_to_one_contrast_in_both_themes() {
        let ctx = egui::Context::default();
        install(&ctx);
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let visuals = &ctx.style_of(theme).visuals;
            let ratio = contrast(visuals.text_color(), visuals.panel_fill);
            assert!(ratio >= 7.0, "{theme:?}: {ratio:.1}:1");
        }
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
    }
}
