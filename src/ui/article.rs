//! The article view: title, a metadata line (local date, authors, categories, file),
//! the post's problems, a header image, and the cleaned body (see `blocks`), or the
//! raw source when toggled.
//!
//! The header image is the post's best image (`thumbs::best_image`, chosen on the
//! loader thread: front matter, else the first real body image); it is not repeated
//! when the body already shows it inline. The source is drawn row by row from rows cut
//! once on the loader thread, so a 64 MiB post costs no more per frame than a short one.

use egui::{RichText, ScrollArea, TextStyle};

use crate::app::{AppState, Command, OpenPost};
use crate::clean::Block;
use crate::index::local_date_label;

use super::picture::PostImages;

/// Widest the body text gets, for readable line lengths.
pub const READING_WIDTH: f32 = 760.0;

pub fn article_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let Some(open) = state.open_post() else {
        ui.centered_and_justified(|ui| {
            if state.selected().is_some() {
                ui.spinner();
            } else {
                ui.weak("Select a post to read it.   ↑/↓ or j/k move through the list.");
            }
        });
        return;
    };
    let images = PostImages {
        thumbs: state.thumbs(),
    };
    if state.raw_source {
        header_ui(ui, state, open, out);
        ui.separator();
        source_ui(ui, open);
        return;
    }
    ScrollArea::vertical()
        .id_salt(("article", open.id))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let width = ui.available_width().min(READING_WIDTH);
            let margin = ((ui.available_width() - width) / 2.0).max(0.0);
            ui.horizontal(|ui| {
                ui.add_space(margin);
                ui.vertical(|ui| {
                    ui.set_max_width(width);
                    header_ui(ui, state, open, out);
                    header_image_ui(ui, open, images, out);
                    ui.separator();
                    if open.document.blocks.is_empty() {
                        ui.weak("(empty body)");
                    } else {
                        super::blocks::blocks_ui(ui, &open.document.blocks, images, out);
                    }
                    ui.add_space(40.0);
                });
            });
        });
}

/// Title, metadata line, path with the Source toggle, and the post's problems.
fn header_ui(ui: &mut egui::Ui, state: &AppState, open: &OpenPost, out: &mut Vec<Command>) {
    let article = &open.post().article;
    let front = &article.front;
    ui.add_space(12.0);
    ui.label(
        RichText::new(article.display_title().as_ref())
            .size(26.0)
            .strong(),
    );
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        if let Some(date) = &front.date {
            ui.weak(local_date_label(date));
        }
        if !front.authors.is_empty() {
            ui.weak(format!("· {}", front.authors.join(", ")));
        }
        if !front.categories.is_empty() {
            ui.weak(format!("· {}", front.categories.join(" › ")));
        }
    });
    ui.horizontal(|ui| {
        // Long paths are cut, not allowed to widen the column.
        ui.scope(|ui| {
            let buttons = if state.git().has_repository() {
                140.0
            } else {
                70.0
            };
            ui.set_max_width((ui.available_width() - buttons).max(40.0));
            ui.add(
                egui::Label::new(RichText::new(article.path_display()).small().weak()).truncate(),
            )
            .on_hover_text(article.path_display());
        });
        let mut raw = state.raw_source;
        if ui
            .toggle_value(&mut raw, "Source")
            .on_hover_text("Show the file as written")
            .changed()
        {
            out.push(Command::ToggleRawSource);
        }
        if state.git().has_repository() {
            let mut shown = state.git().history().is_some();
            if ui
                .toggle_value(&mut shown, "History")
                .on_hover_text("The commits that changed this post; restore an older version")
                .changed()
            {
                out.push(Command::ShowPostHistory(shown));
            }
        }
    });
    if let Some(restored) = open.restored() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("● Restored version, not saved yet: {}", restored.label),
        );
    }
    for problem in &article.problems {
        let color = super::theme::problem_color(problem.is_error(), ui.visuals().dark_mode);
        let line = problem
            .line
            .map(|l| format!("line {l}: "))
            .unwrap_or_default();
        ui.colored_label(color, format!("▲ {line}{}", problem.message));
    }
}

fn header_image_ui(
    ui: &mut egui::Ui,
    open: &OpenPost,
    images: PostImages<'_>,
    out: &mut Vec<Command>,
) {
    let Some(src) = &open.header_image else {
        return;
    };
    let inline = open
        .document
        .images()
        .into_iter()
        .any(|block| matches!(block, Block::Image { src: s, .. } if s == src));
    if inline {
        return;
    }
    ui.add_space(8.0);
    super::blocks::image_ui(ui, images, src, "Header image", None, out);
    ui.add_space(4.0);
}

/// The file as written, one monospace row per line (long lines continue on the next
/// row), only the rows on screen laid out.
fn source_ui(ui: &mut egui::Ui, open: &OpenPost) {
    let text = &open.post().text;
    let rows = &open.source;
    let row_height = ui.text_style_height(&TextStyle::Monospace);
    ScrollArea::both()
        .id_salt(("source", open.id))
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for index in range {
                ui.add(egui::Label::new(RichText::new(rows.row(text, index)).monospace()).extend());
            }
        });
}
