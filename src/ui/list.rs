//! The article list: virtualized (`ScrollArea::show_rows`), so only visible rows are
//! laid out whether the archive holds 100 or 100,000 posts.
//!
//! A row is painted by hand (thumbnail, one-line title, date · source, problem badge,
//! a letter for a post that differs from the last git commit)
//! rather than nested layouts, to keep a frame cheap. The thumbnail is the post's best
//! front-matter image (`thumbs::best_image`; rows have no body loaded), its request built
//! once per post by the catalog and handed to `app::thumbs` for the rows on screen (and
//! prefetched for the next few); until it arrives, or when it cannot, the tile shows the
//! source's initial on its colour. Each row reports itself to accessibility as a
//! selectable item named by its title, which is also how tests click it.

use egui::{
    Align2, Color32, FontId, Rect, Role, Sense, TextStyle, TextWrapMode, WidgetInfo, WidgetText,
    vec2,
};

use crate::app::{AppState, ArticleId, Command, MarkAction, Row, ThumbState, UiState, list_size};
use crate::thumbs::{Priority, ThumbSize};

use super::theme;

/// Height of one list row in points: two lines of title and one of date and source.
pub const ROW_HEIGHT: f32 = 66.0;
/// The thumbnail tile, in the 4:3 shape list thumbnails are cropped to.
const TILE: egui::Vec2 = vec2(56.0, 42.0);
/// Rows past the bottom of the screen whose thumbnails are fetched ahead of scrolling.
const PREFETCH_ROWS: usize = 12;

pub fn list_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if state.visible.is_empty() {
        empty_result_ui(ui, state);
        return;
    }
    let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]);
    let selected_row = state.selected_row();
    if let Some(row) = ui_state.list_scroll_to_row.take() {
        area = area.vertical_scroll_offset(row as f32 * (ROW_HEIGHT + ui.spacing().item_spacing.y));
    } else if state.selected() != ui_state.list_seen_selection {
        ui_state.list_seen_selection = state.selected();
        if let Some(row) = selected_row {
            // Scroll just enough for the whole row to show, from last frame's view.
            let spacing = ROW_HEIGHT + ui.spacing().item_spacing.y;
            let (offset, height) = ui_state.list_view;
            let top = row as f32 * spacing;
            let bottom = top + ROW_HEIGHT;
            if top < offset {
                area = area.vertical_scroll_offset(top);
            } else if height > 0.0 && bottom > offset + height {
                area = area.vertical_scroll_offset(bottom - height);
            }
        }
    }
    let dark = ui.visuals().dark_mode;
    let size = list_size(ui.ctx().pixels_per_point());
    let output = area.show_rows(ui, ROW_HEIGHT, state.visible.len(), |ui, range| {
        ui_state.list_visible_rows = range.clone();
        let prefetch = range.end..range.end.saturating_add(PREFETCH_ROWS);
        for index in range {
            let Some(&id) = state.visible.get(index) else {
                continue;
            };
            let Some(row) = state.catalog.row(id) else {
                continue;
            };
            let look = RowLook {
                selected: state.selected() == Some(id) || state.marked.contains(id),
                unsaved: state
                    .open_post()
                    .is_some_and(|o| o.id == id && o.is_dirty()),
                dark,
                change: state.catalog.change(id),
            };
            let thumb = row_thumb(state, id, size, Priority::Visible);
            let snippet = state.body_search.as_ref().and_then(|b| b.snippets.get(&id));
            if row_ui(ui, row, thumb, snippet, look).clicked() {
                let modifiers = ui.input(|i| i.modifiers);
                out.push(if modifiers.command {
                    Command::Mark(MarkAction::Toggle(id))
                } else if modifiers.shift {
                    Command::Mark(MarkAction::ExtendTo(id))
                } else {
                    Command::Select(id)
                });
            }
        }
        for index in prefetch {
            if let Some(&id) = state.visible.get(index) {
                let _ = row_thumb(state, id, size, Priority::Prefetch);
            }
        }
    });
    ui_state.list_view = (output.state.clamped_offset().y, output.inner_rect.height());
}

/// What the list, the table and the grid show when the result is empty.
pub(super) fn empty_result_ui(ui: &mut egui::Ui, state: &AppState) {
    ui.add_space(20.0);
    ui.vertical_centered(|ui| {
        if state.is_scanning() {
            ui.spinner();
            ui.weak("Reading posts…");
        } else if state.catalog.is_empty() {
            ui.weak("No posts in this folder.");
        } else {
            ui.weak("No post matches.");
        }
    });
}

/// The thumbnail of post `id` for a list row, asking the pool for it when missing.
/// The request was built once, when the post entered the catalog.
pub(super) fn row_thumb(
    state: &AppState,
    id: ArticleId,
    size: ThumbSize,
    priority: Priority,
) -> Option<&egui::TextureHandle> {
    let request = state.catalog.row(id)?.thumb.as_ref()?;
    let sized;
    let request = if request.key().size == size {
        request
    } else {
        sized = request.with_size(size);
        &sized
    };
    match state.thumbs.image(request, priority) {
        ThumbState::Ready(texture) => Some(texture),
        ThumbState::Loading | ThumbState::Failed => None,
    }
}

/// How a row is drawn besides its content.
#[derive(Clone, Copy)]
struct RowLook {
    selected: bool,
    /// The open post has edits not saved yet.
    unsaved: bool,
    dark: bool,
    /// How the post differs from the last git commit, if it does.
    change: Option<crate::git::ChangeState>,
}

fn row_ui(
    ui: &mut egui::Ui,
    row: &Row,
    thumb: Option<&egui::TextureHandle>,
    snippet: Option<&crate::fulltext::Snippet>,
    look: RowLook,
) -> egui::Response {
    let RowLook {
        selected,
        unsaved,
        dark,
        change,
    } = look;
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, ROW_HEIGHT), Sense::click());
    response.widget_info(|| {
        let mut info = WidgetInfo::selected(Role::Button, true, selected, &row.title);
        // A body search's snippet, for screen readers (and tests) as the row's value.
        info.current_text_value = snippet.map(|s| s.text.clone());
        info
    });
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.visuals();
    let painter = ui.painter_at(rect);
    if selected {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let weak_color = if selected {
        text_color.gamma_multiply(0.8)
    } else {
        visuals.weak_text_color()
    };

    let tile = Rect::from_min_size(rect.min + vec2(6.0, (ROW_HEIGHT - TILE.y) / 2.0), TILE);
    match thumb {
        Some(texture) => {
            egui::Image::new((texture.id(), TILE))
                .corner_radius(6.0)
                .paint_at(ui, tile);
        }
        None => placeholder_tile(&painter, tile, &row.source),
    }

    let text_left = tile.right() + 10.0;
    let problem_width = if row.problem_count > 0 { 36.0 } else { 0.0 };
    let badge_width = problem_width + if change.is_some() { 24.0 } else { 0.0 };
    let text_width = (rect.right() - text_left - 8.0 - badge_width).max(20.0);
    // Up to two lines of title (a long Chinese headline keeps most of its words);
    // the whole title is the row's tooltip.
    let mut job = egui::text::LayoutJob::default();
    if unsaved {
        job.append(
            "● ",
            0.0,
            egui::TextFormat::simple(
                ui.style().text_styles[&TextStyle::Body].clone(),
                visuals.warn_fg_color,
            ),
        );
    }
    job.append(
        &row.title,
        0.0,
        egui::TextFormat::simple(ui.style().text_styles[&TextStyle::Body].clone(), text_color),
    );
    job.wrap = egui::text::TextWrapping {
        max_width: text_width,
        // With a snippet to show, the title keeps one line.
        max_rows: if snippet.is_some() { 1 } else { 2 },
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    let title = ui.fonts_mut(|f| f.layout_job(job));
    painter.galley(egui::pos2(text_left, rect.top() + 6.0), title, text_color);
    if let Some(snippet) = snippet {
        let galley = snippet_galley(ui, snippet, text_width, weak_color, text_color);
        painter.galley(egui::pos2(text_left, rect.top() + 27.0), galley, weak_color);
    }
    let meta = if row.date_label.is_empty() {
        row.source.clone()
    } else {
        format!("{}  ·  {}", row.date_label, row.source)
    };
    let meta = WidgetText::from(egui::RichText::new(meta).small().color(weak_color)).into_galley(
        ui,
        Some(TextWrapMode::Truncate),
        text_width,
        TextStyle::Small,
    );
    painter.galley(egui::pos2(text_left, rect.top() + 46.0), meta, weak_color);

    if row.problem_count > 0 {
        let color = theme::problem_color(row.has_errors, dark);
        let center = egui::pos2(rect.right() - 18.0, rect.center().y);
        painter.circle_filled(center, 9.0, color);
        painter.text(
            center,
            Align2::CENTER_CENTER,
            row.problem_count.min(99).to_string(),
            FontId::proportional(11.0),
            Color32::WHITE,
        );
    }
    if let Some(state) = change {
        let color = theme::change_color(state, dark);
        let (letter, _) = crate::app::state_badge(state);
        let center = egui::pos2(rect.right() - 14.0 - problem_width, rect.center().y);
        let badge = Rect::from_center_size(center, vec2(16.0, 16.0));
        painter.rect_stroke(
            badge,
            3.0,
            egui::Stroke::new(1.2, color),
            egui::StrokeKind::Inside,
        );
        painter.text(
            center,
            Align2::CENTER_CENTER,
            letter,
            FontId::monospace(11.0),
            color,
        );
    }
    let mut tip = row.title.clone();
    if unsaved {
        tip.push_str("\nUnsaved edits");
    }
    if let Some(state) = change {
        tip.push('\n');
        tip.push_str(crate::app::state_badge(state).1);
    }
    if row.problem_count > 0 {
        tip.push_str(&format!(
            "\n{} problem(s); see the article header",
            row.problem_count
        ));
    }
    response.on_hover_text(tip)
}

/// One line of a body search's snippet, its matches in the text colour and bold-ish
/// (underlined), the rest weak.
fn snippet_galley(
    ui: &egui::Ui,
    snippet: &crate::fulltext::Snippet,
    width: f32,
    weak: Color32,
    strong: Color32,
) -> std::sync::Arc<egui::Galley> {
    let font = ui.style().text_styles[&TextStyle::Small].clone();
    let plain = egui::TextFormat::simple(font.clone(), weak);
    let marked = egui::TextFormat {
        color: strong,
        underline: egui::Stroke::new(1.0, strong),
        ..egui::TextFormat::simple(font, strong)
    };
    // Newlines of the body would break the one line.
    let text = snippet.text.replace(['\n', '\r'], " ");
    let mut job = egui::text::LayoutJob::default();
    let mut at = 0;
    for range in &snippet.highlights {
        let (Some(before), Some(hit)) = (text.get(at..range.start), text.get(range.clone())) else {
            continue;
        };
        job.append(before, 0.0, plain.clone());
        job.append(hit, 0.0, marked.clone());
        at = range.end;
    }
    job.append(text.get(at..).unwrap_or_default(), 0.0, plain);
    job.wrap = egui::text::TextWrapping {
        max_width: width,
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    ui.fonts_mut(|f| f.layout_job(job))
}

/// A tile with the source's initial on a colour derived from it, for rows whose image
/// is loading, missing or broken.
pub fn placeholder_tile(painter: &egui::Painter, rect: Rect, source: &str) {
    painter.rect_filled(rect, 6.0, theme::seed_color(source));
    let initial: String = source
        .rsplit(" › ")
        .next()
        .and_then(|s| s.chars().find(|c| c.is_alphanumeric()))
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        initial,
        FontId::proportional(rect.height() * 0.5),
        Color32::WHITE,
    );
}
