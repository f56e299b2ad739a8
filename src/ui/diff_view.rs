//! A unified diff drawn as coloured monospace lines (added green, removed red, hunk
//! headers weak), for the Changes view and a post's history. Only the rows on screen
//! are laid out, so a diff of a whole long post costs a few rows per frame.

use egui::{RichText, ScrollArea, TextStyle};

/// Draws `diff` in a scroll area `height` points high (filled even when the diff is
/// shorter, so what follows it stays in place).
pub fn diff_ui(ui: &mut egui::Ui, id_salt: &str, diff: &str, height: f32) {
    if diff.is_empty() {
        ui.allocate_ui(egui::vec2(ui.available_width(), height), |ui| {
            ui.set_min_height(height);
            ui.weak("No difference in the text.");
        });
        return;
    }
    let lines: Vec<&str> = diff.lines().collect();
    let dark = ui.visuals().dark_mode;
    let (added, removed) = if dark {
        (
            egui::Color32::from_rgb(120, 210, 130),
            egui::Color32::from_rgb(240, 120, 110),
        )
    } else {
        (
            egui::Color32::from_rgb(20, 120, 40),
            egui::Color32::from_rgb(180, 30, 30),
        )
    };
    let row_height = ui.text_style_height(&TextStyle::Monospace);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ScrollArea::both()
            .id_salt(id_salt)
            .min_scrolled_height(height)
            .max_height(height)
            .auto_shrink([false, false])
            .show_rows(ui, row_height, lines.len(), |ui, range| {
                for line in lines.get(range).unwrap_or_default() {
                    let text = RichText::new(*line).monospace();
                    let text = if line.starts_with("+++") || line.starts_with("---") {
                        text.strong()
                    } else if line.starts_with('+') {
                        text.color(added)
                    } else if line.starts_with('-') {
                        text.color(removed)
                    } else if line.starts_with("@@") {
                        text.weak()
                    } else {
                        text
                    };
                    ui.add(egui::Label::new(text).extend());
                }
            });
    });
}
