//! The card grid: the current result as cards with a large thumbnail, the title and the
//! date, for picking image-heavy feeds by their pictures.
//!
//! Virtualized by rows of cards (`ScrollArea::show_rows`): only the rows on screen are
//! drawn and only their thumbnails asked for (the next rows' are fetched ahead). The
//! cards per row follow the width; ←/→ move by one card and ↑/↓ by a row (the shortcut
//! table reads [`crate::app::GridUi::columns`]). Clicks select and mark as in the list;
//! a double-click (or Enter) opens the article. Each card reports itself to
//! accessibility as a selectable item named by its title, like a list row.

use egui::{Align2, Rect, Role, Sense, TextStyle, WidgetInfo, vec2};

use crate::app::{AppState, ArticleId, Command, MarkAction, UiState};
use crate::thumbs::{Priority, ThumbSize};

/// A card's picture, in the 4:3 shape of the thumbnails it shows.
const PICTURE: egui::Vec2 = vec2(192.0, 144.0);
const CARD: egui::Vec2 = vec2(PICTURE.x + 12.0, PICTURE.y + 70.0);
const GAP: f32 = 10.0;
/// Rows of cards below the screen whose thumbnails are fetched ahead.
const PREFETCH_ROWS: usize = 2;

pub fn grid_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if state.visible.is_empty() {
        super::list::empty_result_ui(ui, state);
        return;
    }
    let per_row = (((ui.available_width() - 16.0 + GAP) / (CARD.x + GAP)).floor() as usize).max(1);
    ui_state.grid.columns = per_row;
    let rows = state.visible.len().div_ceil(per_row);
    let row_height = CARD.y + GAP;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("grid")
        .auto_shrink([false, false]);
    if state.selected() != ui_state.grid.seen_selection {
        ui_state.grid.seen_selection = state.selected();
        if let Some(index) = state.selected_row() {
            let (offset, height) = ui_state.grid.view;
            let top = (index / per_row) as f32 * row_height;
            if top < offset {
                area = area.vertical_scroll_offset(top);
            } else if height > 0.0 && top + CARD.y > offset + height {
                area = area.vertical_scroll_offset(top + CARD.y - height);
            }
        }
    }
    let size = ThumbSize::List2x;
    let output = area.show_rows(ui, CARD.y, rows, |ui, range| {
        ui.spacing_mut().item_spacing = vec2(GAP, GAP);
        let prefetch = range.end..range.end.saturating_add(PREFETCH_ROWS);
        for row in range {
            ui.horizontal(|ui| {
                ui.add_space(4.0);
                for index in row * per_row..((row + 1) * per_row).min(state.visible.len()) {
                    if let Some(&id) = state.visible.get(index) {
                        card_ui(ui, state, id, size, out);
                    }
                }
            });
        }
        for row in prefetch {
            for index in row * per_row..((row + 1) * per_row).min(state.visible.len()) {
                if let Some(&id) = state.visible.get(index) {
                    let _ = super::list::row_thumb(state, id, size, Priority::Prefetch);
                }
            }
        }
    });
    ui_state.grid.view = (output.state.clamped_offset().y, output.inner_rect.height());
}

fn card_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    id: ArticleId,
    size: ThumbSize,
    out: &mut Vec<Command>,
) {
    let Some(row) = state.catalog.row(id) else {
        return;
    };
    let (rect, response) = ui.allocate_exact_size(CARD, Sense::click());
    let selected = state.selected() == Some(id) || state.marked.contains(id);
    response.widget_info(|| WidgetInfo::selected(Role::Button, true, selected, &row.title));
    if response.double_clicked() {
        out.push(Command::Select(id));
        out.push(Command::ShowGrid(false));
    } else if response.clicked() {
        let modifiers = ui.input(|i| i.modifiers);
        out.push(if modifiers.command {
            Command::Mark(MarkAction::Toggle(id))
        } else if modifiers.shift {
            Command::Mark(MarkAction::ExtendTo(id))
        } else {
            Command::Select(id)
        });
    }
    if !ui.is_rect_visible(rect) {
        return;
    }
    let visuals = ui.visuals();
    let painter = ui.painter_at(rect);
    if selected {
        painter.rect_filled(rect, 8.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        painter.rect_filled(rect, 8.0, visuals.widgets.hovered.weak_bg_fill);
    } else {
        painter.rect_filled(rect, 8.0, visuals.faint_bg_color);
    }
    let picture = Rect::from_min_size(rect.min + vec2(6.0, 6.0), PICTURE);
    match super::list::row_thumb(state, id, size, Priority::Visible) {
        Some(texture) => {
            egui::Image::new((texture.id(), PICTURE))
                .corner_radius(6.0)
                .paint_at(ui, picture);
        }
        None => super::list::placeholder_tile(&painter, picture, &row.source),
    }
    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let weak = if selected {
        text_color.gamma_multiply(0.8)
    } else {
        visuals.weak_text_color()
    };
    let mut job = egui::text::LayoutJob::single_section(
        row.title.clone(),
        egui::TextFormat::simple(ui.style().text_styles[&TextStyle::Body].clone(), text_color),
    );
    job.wrap = egui::text::TextWrapping {
        max_width: PICTURE.x,
        max_rows: 2,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    let title = ui.fonts_mut(|f| f.layout_job(job));
    painter.galley(picture.left_bottom() + vec2(0.0, 6.0), title, text_color);
    let meta = if row.date_label.is_empty() {
        row.source.clone()
    } else {
        format!("{}  ·  {}", row.date_label, row.source)
    };
    let mut job = egui::text::LayoutJob::single_section(
        meta,
        egui::TextFormat::simple(ui.style().text_styles[&TextStyle::Small].clone(), weak),
    );
    job.wrap = egui::text::TextWrapping {
        max_width: PICTURE.x,
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    let meta = ui.fonts_mut(|f| f.layout_job(job));
    painter.galley(egui::pos2(picture.left(), rect.bottom() - 20.0), meta, weak);
    if row.problem_count > 0 {
        let color = super::theme::problem_color(row.has_errors, visuals.dark_mode);
        let center = picture.right_top() + vec2(-14.0, 14.0);
        painter.circle_filled(center, 10.0, color);
        painter.text(
            center,
            Align2::CENTER_CENTER,
            row.problem_count.min(99).to_string(),
            egui::FontId::proportional(11.0),
            egui::Color32::WHITE,
        );
    }
    response.on_hover_text(row.title.as_str());
}
