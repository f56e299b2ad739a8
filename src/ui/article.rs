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
/// (about 40 Chinese characters, or 75 Latin letters, at the body size).
pub const READING_WIDTH: f32 = 640.0;

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
                        let marks = body_marks(state);
                        super::blocks::blocks_ui(ui, &open.document.blocks, images, &marks, out);
                    }
                    ui.add_space(40.0);
                });
            });
        });
}

/// The words a body search looks for, to mark in the article.
fn body_marks(state: &AppState) -> Vec<String> {
    if state.body_search.is_none() {
        return Vec::new();
    }
    crate::index::parse_search(&state.query.text)
        .iter()
        .filter_map(|t| t.body_needle())
        .map(str::to_owned)
        .collect()
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
    // One line, one separator between its parts, whichever are there.
    let meta: Vec<String> = [
        front.date.as_ref().map(local_date_label),
        (!front.authors.is_empty()).then(|| front.authors.join(", ")),
        (!front.categories.is_empty()).then(|| front.categories.join(" › ")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !meta.is_empty() {
        ui.add(egui::Label::new(RichText::new(meta.join("  ·  ")).weak()).wrap());
    }
    // Long paths are cut, not allowed to widen the column; the buttons wrap under it
    // when the column is narrow.
    ui.add(egui::Label::new(RichText::new(article.path_display()).small().weak()).truncate())
        .on_hover_text(article.path_display());
    ui.horizontal_wrapped(|ui| {
        if ui
            .small_button("Copy path")
            .on_hover_text("Copy the file's full path")
            .clicked()
            && let Some(root) = &state.root
        {
            ui.ctx()
                .copy_text(root.join(&article.path).display().to_string());
        }
        if ui
            .small_button("Show in folder")
            .on_hover_text("Open the post's folder in the file manager")
            .clicked()
        {
            out.push(Command::ShowInFolder(article.path.clone()));
        }
        let raw = state.raw_source;
        if ui
            .add(egui::Button::new("Source").selected(raw).small())
            .on_hover_text("Show the file as written (toggle)")
            .clicked()
        {
            out.push(Command::ToggleRawSource);
        }
        if state.git().has_repository() {
            let shown = state.git().history().is_some();
            if ui
                .add(egui::Button::new("History").selected(shown).small())
                .on_hover_text("The commits that changed this post; restore an older version")
                .clicked()
            {
                out.push(Command::ShowPostHistory(!shown));
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
