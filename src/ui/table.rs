//! The table view: the current result, one row per post, with columns chosen from every
//! front-matter key of the archive plus path, folder, size, modified and problems.
//!
//! Rows are virtualized (`ScrollArea::show_rows`) and painted by hand, so a frame lays
//! out only the rows on screen whether the result holds 10 posts or 100,000. A header
//! click sorts by that column (again: the other way), a drag moves it, the handle at its
//! right edge resizes it, and its context menu sorts, moves or hides it; "Columns"
//! chooses them. Clicking, Ctrl+clicking and Shift+clicking rows select and mark them
//! as in the list, so the front-matter panel's bulk editor works on the marked rows.
//! A double-click on a cell (or "Edit" in its context menu, or F2 for the selected row's
//! first editable cell) types into it; Enter saves
//! the post with that value (Esc leaves it), through the same lossless save as the
//! front-matter panel.
//!
//! Each cell reports itself to accessibility as a cell named by its text (an empty one
//! as "no <column>"), each header as a button named by its column.

use egui::{Color32, Rect, Role, Sense, TextStyle, WidgetInfo, vec2};

use crate::app::{
    AppState, ArticleId, CellEdit, CellEditing, Command, MarkAction, TableUi, UiState,
};
use crate::table::{Cell, Column};

use super::theme;

/// Height of one row in points.
pub const ROW_HEIGHT: f32 = 24.0;
const HEADER_HEIGHT: f32 = 26.0;
/// Room left and right of a cell's text.
const PAD: f32 = 6.0;
const MIN_WIDTH: f32 = 40.0;
/// The grip at a header's right edge that resizes the column.
const GRIP: f32 = 6.0;

/// A column's width before anyone drags it.
fn default_width(column: &Column) -> f32 {
    match column {
        Column::Title => 320.0,
        Column::Path => 280.0,
        Column::Folder => 200.0,
        Column::Date | Column::Modified => 130.0,
        Column::DateUtc => 170.0,
        Column::Categories => 170.0,
        Column::Tags => 150.0,
        Column::Author => 110.0,
        Column::Size | Column::Problems => 76.0,
        Column::Image => 200.0,
        Column::Key(_) => 140.0,
    }
}

fn width(table: &TableUi, column: &Column) -> f32 {
    table
        .widths
        .get(column.name())
        .copied()
        .unwrap_or_else(|| default_width(column))
        .max(MIN_WIDTH)
}

pub fn table_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if state.counted_columns().is_none() {
        // Counted once when the table first shows; the Columns menu recounts.
        out.push(Command::CountColumns);
    }
    toolbar_ui(ui, state, out);
    ui.separator();
    if state.visible.is_empty() {
        super::list::empty_result_ui(ui, state);
        return;
    }
    let columns = &state.table().columns;
    let widths: Vec<f32> = columns.iter().map(|c| width(&ui_state.table, c)).collect();
    let total: f32 = widths.iter().sum();
    egui::ScrollArea::horizontal()
        .id_salt("table_h")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_min_width(total);
            let header_ids = header_ui(ui, state, ui_state, &widths, out);
            body_ui(ui, state, ui_state, &widths, &header_ids, out);
        });
}

/// Sort state and the column chooser above the table.
fn toolbar_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.menu_button("Columns", |ui| {
            columns_menu_ui(ui, state, out);
        })
        .response
        .on_hover_text("Choose the table's columns: any front-matter key of the archive");
        if let Some((column, descending)) = state.sorted_column() {
            ui.weak(format!(
                "Sorted by {} {}",
                column.name(),
                if descending { "↓" } else { "↑" }
            ));
        }
        if state.table().sort.is_some()
            && ui
                .small_button("Clear sort")
                .on_hover_text("Back to the list's sort")
                .clicked()
        {
            out.push(Command::SortByColumn(None));
        }
        ui.weak("Double-click a cell to edit it; Ctrl/Shift+click to mark rows.");
    });
}

/// Every column the archive has, ticked when shown.
fn columns_menu_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let shown = &state.table().columns;
    if !state.columns_counted() {
        out.push(Command::CountColumns);
    }
    let Some(available) = state.counted_columns() else {
        ui.weak("Counting the archive's keys…");
        return;
    };
    egui::ScrollArea::vertical()
        .max_height(ui.ctx().content_rect().height() * 0.6)
        .show(ui, |ui| {
            for (column, count) in available {
                let mut on = shown.contains(column);
                let label = format!("{}  ({})", column.name(), super::thousands(*count));
                if ui.checkbox(&mut on, label).changed() {
                    let mut columns = shown.clone();
                    if on {
                        columns.push(column.clone());
                    } else {
                        columns.retain(|c| c != column);
                    }
                    out.push(Command::SetColumns(columns));
                }
            }
        });
}

/// The header row; returns each header's widget id (the label of its cells' editors).
fn header_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    widths: &[f32],
    out: &mut Vec<Command>,
) -> Vec<egui::Id> {
    let columns = &state.table().columns;
    let total: f32 = widths.iter().sum();
    let (rect, _) = ui.allocate_exact_size(vec2(total, HEADER_HEIGHT), Sense::hover());
    let sorted = state.sorted_column();
    let visuals = ui.visuals().clone();
    ui.painter()
        .rect_filled(rect, 0.0, visuals.widgets.noninteractive.weak_bg_fill);
    let mut ids = Vec::with_capacity(columns.len());
    let mut left = rect.left();
    let mut cells = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let cell =
            Rect::from_min_size(egui::pos2(left, rect.top()), vec2(widths[i], HEADER_HEIGHT));
        left += widths[i];
        cells.push(cell);
        let id = ui.make_persistent_id(("table_header", column.name()));
        ids.push(id);
        let response = ui.interact(cell.shrink2(vec2(GRIP, 0.0)), id, Sense::click_and_drag());
        let name = column.name().to_owned();
        response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &name));
        let arrow = match &sorted {
            Some((c, true)) if c == column => " ↓",
            Some((c, false)) if c == column => " ↑",
            _ => "",
        };
        if response.hovered() {
            ui.painter()
                .rect_filled(cell, 0.0, visuals.widgets.hovered.weak_bg_fill);
        }
        paint_text(
            ui,
            cell,
            &format!("{}{arrow}", column.name()),
            visuals.strong_text_color(),
            column.is_numeric(),
        );
        ui.painter().vline(
            cell.right() - 0.5,
            cell.y_range(),
            visuals.widgets.noninteractive.bg_stroke,
        );
        if response.clicked() {
            let descending = matches!(&sorted, Some((c, false)) if c == column);
            out.push(Command::SortByColumn(Some((column.clone(), descending))));
        }
        if response.drag_started() {
            ui_state.table.dragging = Some(i);
        }
        response.context_menu(|ui| {
            if ui.button("Sort ascending").clicked() {
                out.push(Command::SortByColumn(Some((column.clone(), false))));
                ui.close();
            }
            if ui.button("Sort descending").clicked() {
                out.push(Command::SortByColumn(Some((column.clone(), true))));
                ui.close();
            }
            if ui
                .add_enabled(i > 0, egui::Button::new("Move left"))
                .clicked()
            {
                out.push(Command::SetColumns(moved(columns, i, i - 1)));
                ui.close();
            }
            if ui
                .add_enabled(i + 1 < columns.len(), egui::Button::new("Move right"))
                .clicked()
            {
                out.push(Command::SetColumns(moved(columns, i, i + 1)));
                ui.close();
            }
            if ui
                .add_enabled(columns.len() > 1, egui::Button::new("Hide column"))
                .clicked()
            {
                let mut rest = columns.clone();
                rest.remove(i);
                out.push(Command::SetColumns(rest));
                ui.close();
            }
        });
        // The grip at the right edge resizes.
        let grip = Rect::from_min_max(
            egui::pos2(cell.right() - GRIP, cell.top()),
            egui::pos2(cell.right() + GRIP / 2.0, cell.bottom()),
        );
        let grip = ui
            .interact(grip, id.with("grip"), Sense::drag())
            .on_hover_cursor(egui::CursorIcon::ResizeColumn);
        if grip.dragged() {
            let new = (widths[i] + grip.drag_delta().x).max(MIN_WIDTH);
            ui_state.table.widths.insert(column.name().to_owned(), new);
        }
    }
    // A header dragged onto another place moves there.
    if let Some(from) = ui_state.table.dragging {
        let pointer = ui.input(|i| i.pointer.interact_pos());
        let target = pointer.and_then(|p| cells.iter().position(|c| c.x_range().contains(p.x)));
        if let (Some(to), Some(cell)) = (target, target.and_then(|t| cells.get(t)))
            && to != from
        {
            ui.painter().vline(
                if to > from { cell.right() } else { cell.left() },
                rect.y_range(),
                egui::Stroke::new(2.0, visuals.selection.stroke.color),
            );
        }
        if !ui.input(|i| i.pointer.any_down()) {
            ui_state.table.dragging = None;
            if let Some(to) = target
                && to != from
            {
                out.push(Command::SetColumns(moved(columns, from, to)));
            }
        }
    }
    ids
}

/// `columns` with the one at `from` moved to `to`.
fn moved(columns: &[Column], from: usize, to: usize) -> Vec<Column> {
    let mut columns = columns.to_vec();
    if from < columns.len() && to < columns.len() {
        let column = columns.remove(from);
        columns.insert(to, column);
    }
    columns
}

fn body_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    widths: &[f32],
    header_ids: &[egui::Id],
    out: &mut Vec<Command>,
) {
    let spacing = ROW_HEIGHT;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("table_rows")
        .auto_shrink([false, false]);
    if state.selected() != ui_state.table.seen_selection {
        ui_state.table.seen_selection = state.selected();
        if let Some(row) = state.selected_row() {
            let (offset, height) = ui_state.table.view;
            let top = row as f32 * spacing;
            if top < offset {
                area = area.vertical_scroll_offset(top);
            } else if height > 0.0 && top + ROW_HEIGHT > offset + height {
                area = area.vertical_scroll_offset(top + ROW_HEIGHT - height);
            }
        }
    }
    let previous_spacing = ui.spacing().item_spacing.y;
    ui.spacing_mut().item_spacing.y = 0.0;
    let editing = ui_state.table.editing.as_ref().map(|e| e.id);
    let mut editing_shown = false;
    let output = area.show_rows(ui, ROW_HEIGHT, state.visible.len(), |ui, range| {
        for index in range {
            if let Some(&id) = state.visible.get(index) {
                editing_shown |= editing == Some(id);
                row_ui(ui, state, ui_state, id, index, widths, header_ids, out);
            }
        }
    });
    if editing.is_some() && !editing_shown {
        // Its row was scrolled away or left the result: the typing is dropped.
        ui_state.table.editing = None;
    }
    ui.spacing_mut().item_spacing.y = previous_spacing;
    ui_state.table.view = (output.state.clamped_offset().y, output.inner_rect.height());
}

#[allow(clippy::too_many_arguments)]
fn row_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    id: ArticleId,
    index: usize,
    widths: &[f32],
    header_ids: &[egui::Id],
    out: &mut Vec<Command>,
) {
    let Some(article) = state.article(id) else {
        return;
    };
    let total: f32 = widths.iter().sum();
    let (rect, _) = ui.allocate_exact_size(vec2(total, ROW_HEIGHT), Sense::hover());
    if !ui.is_rect_visible(rect) {
        return;
    }
    let visuals = ui.visuals().clone();
    let selected = state.selected() == Some(id) || state.marked.contains(id);
    let unsaved = state
        .open_post()
        .is_some_and(|o| o.id == id && o.is_dirty());
    if selected {
        ui.painter()
            .rect_filled(rect, 0.0, visuals.selection.bg_fill);
    } else if index % 2 == 1 {
        ui.painter().rect_filled(rect, 0.0, visuals.faint_bg_color);
    }
    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let mut left = rect.left();
    for (i, column) in state.table().columns.iter().enumerate() {
        let cell = Rect::from_min_size(egui::pos2(left, rect.top()), vec2(widths[i], ROW_HEIGHT));
        left += widths[i];
        let cell_id = ui.make_persistent_id(("cell", id, i));
        let editing = ui_state
            .table
            .editing
            .as_ref()
            .is_some_and(|e| e.id == id && &e.column == column);
        if editing {
            edit_ui(ui, ui_state, cell, header_ids.get(i).copied(), out);
            continue;
        }
        let mut text = column.display(article);
        if unsaved && *column == Column::Title {
            text.insert_str(0, "● ");
        }
        let response = ui.interact(cell, cell_id, Sense::click());
        let label = if text.is_empty() {
            format!("no {}", column.name())
        } else {
            text.clone()
        };
        response.widget_info(|| WidgetInfo::selected(Role::Cell, true, selected, &label));
        let color = match column {
            Column::Problems if article.has_errors() => {
                theme::problem_color(true, visuals.dark_mode)
            }
            Column::Problems => theme::problem_color(false, visuals.dark_mode),
            _ => text_color,
        };
        paint_text(ui, cell, &text, color, column.is_numeric());
        if response.double_clicked() {
            start_editing(ui_state, article, id, column);
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
        let editable = column.key().is_some();
        response
            .on_hover_text(if text.is_empty() {
                column.name().to_owned()
            } else {
                text
            })
            .context_menu(|ui| {
                if ui
                    .add_enabled(
                        editable,
                        egui::Button::new(format!("Edit {}", column.name())),
                    )
                    .clicked()
                {
                    start_editing(ui_state, article, id, column);
                    ui.close();
                }
                if ui.button("Open the article").clicked() {
                    out.push(Command::Select(id));
                    out.push(Command::ShowTable(false));
                    ui.close();
                }
            });
    }
}

/// Starts typing into the first editable cell of post `id`'s row (F2).
pub(super) fn edit_first_cell(state: &AppState, ui_state: &mut UiState, id: ArticleId) {
    let (Some(article), Some(column)) = (
        state.article(id),
        state.table().columns.iter().find(|c| c.key().is_some()),
    ) else {
        return;
    };
    start_editing(ui_state, article, id, column);
}

/// Starts typing into a cell, from the value as the file writes it.
fn start_editing(
    ui_state: &mut UiState,
    article: &crate::archive::Article,
    id: ArticleId,
    column: &Column,
) {
    if column.key().is_none() {
        return;
    }
    let text = match column.value(article) {
        Cell::Text(text) => text,
        Cell::List(items) => items.join("; "),
        Cell::Number(n) => n.to_string(),
        Cell::Missing => String::new(),
    };
    ui_state.table.editing = Some(CellEditing {
        id,
        column: column.clone(),
        text,
        focused: false,
    });
}

/// The field of the cell being typed: Enter (or leaving it) saves, Esc cancels.
fn edit_ui(
    ui: &mut egui::Ui,
    ui_state: &mut UiState,
    cell: Rect,
    header: Option<egui::Id>,
    out: &mut Vec<Command>,
) {
    let Some(editing) = &mut ui_state.table.editing else {
        return;
    };
    // Read before the field takes the key (it consumes Esc as it gives up the focus).
    let cancelled = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let field = egui::TextEdit::singleline(&mut editing.text)
        .id(egui::Id::unique((
            "cell_edit",
            editing.id,
            editing.column.name(),
        )))
        .desired_width(cell.width() - 2.0 * PAD)
        .margin(vec2(PAD - 2.0, 2.0));
    let mut response = ui.put(cell, field);
    if let Some(header) = header {
        response = response.labelled_by(header);
    }
    if !editing.focused {
        response.request_focus();
        editing.focused = true;
        return;
    }
    if response.lost_focus() {
        if !cancelled {
            out.push(Command::EditCell(CellEdit {
                id: editing.id,
                column: editing.column.clone(),
                text: editing.text.clone(),
            }));
        }
        ui_state.table.editing = None;
    }
}

/// One line of text in `cell`, cut with "…" when it does not fit.
fn paint_text(ui: &egui::Ui, cell: Rect, text: &str, color: Color32, right: bool) {
    if text.is_empty() {
        return;
    }
    let font = ui.style().text_styles[&TextStyle::Body].clone();
    let mut job = egui::text::LayoutJob::single_section(
        text.replace(['\n', '\r'], " "),
        egui::TextFormat::simple(font, color),
    );
    job.wrap = egui::text::TextWrapping {
        max_width: (cell.width() - 2.0 * PAD).max(1.0),
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    let y = cell.center().y - galley.size().y / 2.0;
    let x = if right {
        cell.right() - PAD - galley.size().x
    } else {
        cell.left() + PAD
    };
    ui.painter()
        .with_clip_rect(cell)
        .galley(egui::pos2(x, y), galley, color);
}
