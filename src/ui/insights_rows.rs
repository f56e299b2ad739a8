//! One row of the Insights view's tables: cells in proportional columns over a bar
//! that shows the row's share, the whole row one button that narrows the list.
//!
//! A row is painted rather than laid out from widgets so that a long feed name elides
//! inside its column instead of pushing the numbers off a narrow centre panel; its
//! accessible name is its cells' text, which is also what a screen reader reads.

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Align, Color32, CursorIcon, FontId, Role, Sense, TextStyle, WidgetInfo};

use crate::insights::Narrow;

/// A column: its title, its width in points (0 for the one that takes the rest, the
/// name), and how its cells align.
pub type Column<'a> = (&'a str, f32, Align);

/// The name column never gets narrower than this; the others shrink first.
const NAME_MIN: f32 = 90.0;

/// Draws a row (or, with `header`, the column titles); true when it was clicked.
pub fn row_ui(
    ui: &mut egui::Ui,
    columns: &[Column<'_>],
    cells: &[String],
    bar: Option<f32>,
    narrow: Option<&Narrow>,
    header: bool,
) -> bool {
    let height = if header { 18.0 } else { 22.0 };
    let clickable = narrow.is_some_and(|n| !n.query.is_empty());
    let sense = if clickable {
        Sense::click()
    } else {
        Sense::hover()
    };
    let (rect, response) = ui.allocate_exact_size(egui::vec2(ui.available_width(), height), sense);
    let name = cells
        .iter()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ");
    let kind = if header { Role::Label } else { Role::Button };
    response.widget_info(|| WidgetInfo::labeled(kind, clickable || header, &name));
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        let painter = ui.painter();
        if clickable && response.hovered() {
            painter.rect_filled(rect, 3.0, visuals.widgets.hovered.weak_bg_fill);
        }
        if let Some(share) = bar {
            let mut fill = rect.shrink2(egui::vec2(0.0, 3.0));
            fill.set_width(rect.width() * share.clamp(0.0, 1.0));
            let tint = visuals.selection.bg_fill.gamma_multiply(0.35);
            painter.rect_filled(fill, 2.0, tint);
        }
        let (font, color) = if header {
            (
                TextStyle::Small.resolve(ui.style()),
                visuals.weak_text_color(),
            )
        } else {
            (TextStyle::Body.resolve(ui.style()), visuals.text_color())
        };
        let widths = column_widths(columns, rect.width());
        let mut left = rect.left();
        for (((_, _, align), cell), width) in columns.iter().zip(cells).zip(widths) {
            let inner = (width - 8.0).max(8.0);
            let galley = painter.layout_job(one_line(cell, font.clone(), color, inner));
            let x = match align {
                Align::Max => left + width - 4.0 - galley.size().x,
                _ => left + 4.0,
            };
            let y = rect.center().y - galley.size().y / 2.0;
            painter.galley(egui::pos2(x, y), galley, color);
            left += width;
        }
    }
    if let Some(narrow) = narrow.filter(|_| clickable && !header) {
        let response = response
            .on_hover_cursor(CursorIcon::PointingHand)
            .on_hover_ui(|ui| {
                if let Some(first) = cells.first() {
                    ui.strong(first);
                }
                super::insights::narrow_hint_ui(ui, narrow);
            });
        return response.clicked();
    }
    if !header {
        response.on_hover_ui(|ui| {
            if let Some(first) = cells.first() {
                ui.strong(first);
            }
            ui.weak("The search has no term for these posts.");
        });
    }
    false
}

/// Each column's width in a row `total` points wide: fixed columns as asked (scaled
/// down when the name would get less than [`NAME_MIN`]), the name column the rest.
fn column_widths(columns: &[Column<'_>], total: f32) -> Vec<f32> {
    let fixed: f32 = columns.iter().map(|(_, w, _)| *w).sum();
    let scale = if total - fixed < NAME_MIN && fixed > 0.0 {
        ((total - NAME_MIN) / fixed).clamp(0.3, 1.0)
    } else {
        1.0
    };
    let rest = (total - fixed * scale).max(0.0);
    columns
        .iter()
        .map(|(_, w, _)| if *w > 0.0 { w * scale } else { rest })
        .collect()
}

/// `text` on one line, elided with `…` to `width`.
fn one_line(text: &str, font: FontId, color: Color32, width: f32) -> LayoutJob {
    let mut job = LayoutJob::single_section(text.to_owned(), TextFormat::simple(font, color));
    job.wrap = TextWrapping::truncate_at_width(width);
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_column_takes_the_rest_until_the_others_must_shrink() {
        let columns = [("Feed", 0.0, Align::Min), ("Posts", 60.0, Align::Max)];
        assert_eq!(column_widths(&columns, 400.0), vec![340.0, 60.0]);
        let narrow = column_widths(&columns, 120.0);
        assert_eq!(narrow.first().copied(), Some(NAME_MIN));
        assert!((narrow.iter().sum::<f32>() - 120.0).abs() < 0.01);
    }
}
