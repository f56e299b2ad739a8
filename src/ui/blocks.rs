//! Renders a cleaned body (`clean::Document`) with real typography: headings, paragraphs
//! with bold, italic, inline code and clickable links, images (from the thumbnail pool,
//! at a readable width; a framed placeholder with the alt text and address while
//! loading or when the image cannot be shown), lists, quotes, code
//! blocks, tables, rules and embeds.
//!
//! A paragraph without links becomes one `LayoutJob` (one galley, proper wrapping of
//! mixed styles); one with links is laid out span by span in a wrapped row so that each
//! link is its own clickable widget. Links are emitted as `Command::OpenUrl`.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontFamily, FontId, RichText, Stroke};

use crate::app::Command;
use crate::archive::ImageRef;
use crate::clean::{Block, Span};

use super::picture::{PostImages, picture_ui};

/// Body text size in points.
pub const BODY_SIZE: f32 = 15.5;
const LINE_HEIGHT: f32 = 25.0;

/// Draws `blocks`, the (lowercase) words of `marks` marked wherever they occur (a body
/// search's matches).
pub fn blocks_ui(
    ui: &mut egui::Ui,
    blocks: &[Block],
    images: PostImages<'_>,
    marks: &[String],
    out: &mut Vec<Command>,
) {
    for block in blocks {
        block_ui(ui, block, images, marks, out);
    }
}

fn block_ui(
    ui: &mut egui::Ui,
    block: &Block,
    images: PostImages<'_>,
    marks: &[String],
    out: &mut Vec<Command>,
) {
    match block {
        Block::Heading { level, spans } => {
            let size = match level {
                1 => 23.0,
                2 => 20.0,
                3 => 18.0,
                _ => 16.5,
            };
            ui.add_space(10.0);
            spans_ui(ui, spans, size, true, marks, out);
            ui.add_space(4.0);
        }
        Block::Paragraph { spans } => {
            spans_ui(ui, spans, BODY_SIZE, false, marks, out);
            ui.add_space(10.0);
        }
        Block::Image { src, alt, caption } => {
            image_ui(ui, images, src, alt, caption.as_deref(), out);
            ui.add_space(10.0);
        }
        Block::List { ordered, items } => {
            for (i, item) in items.iter().enumerate() {
                ui.horizontal_top(|ui| {
                    let marker = if *ordered {
                        format!("{}.", i + 1)
                    } else {
                        "•".to_owned()
                    };
                    ui.add_sized(
                        [22.0, LINE_HEIGHT],
                        egui::Label::new(RichText::new(marker).size(BODY_SIZE)),
                    );
                    ui.vertical(|ui| blocks_ui(ui, item, images, marks, out));
                });
            }
            ui.add_space(6.0);
        }
        Block::Quote { blocks } => {
            let stroke = Stroke::new(3.0, ui.visuals().widgets.noninteractive.bg_stroke.color);
            let response = egui::Frame::new()
                .inner_margin(egui::Margin {
                    left: 14,
                    right: 4,
                    top: 2,
                    bottom: 2,
                })
                .show(ui, |ui| blocks_ui(ui, blocks, images, marks, out))
                .response;
            let rect = response.rect;
            ui.painter()
                .vline(rect.left() + 2.0, rect.y_range(), stroke);
            ui.add_space(6.0);
        }
        Block::Code { lang, text } => {
            egui::Frame::new()
                .fill(ui.visuals().code_bg_color)
                .corner_radius(6.0)
                .inner_margin(10.0)
                .show(ui, |ui| {
                    ui.set_min_width(ui.available_width());
                    if let Some(lang) = lang.as_deref().filter(|l| !l.is_empty()) {
                        ui.weak(RichText::new(lang).small());
                    }
                    ui.add(egui::Label::new(RichText::new(text.trim_end()).monospace()).wrap());
                });
            ui.add_space(10.0);
        }
        Block::Table { rows } => {
            egui::ScrollArea::horizontal()
                .id_salt(ui.next_auto_id())
                .show(ui, |ui| {
                    egui::Grid::new(ui.next_auto_id())
                        .striped(true)
                        .show(ui, |ui| {
                            for row in rows {
                                for cell in row {
                                    ui.vertical(|ui| {
                                        ui.set_max_width(320.0);
                                        spans_ui(ui, cell, 14.0, false, marks, out);
                                    });
                                }
                                ui.end_row();
                            }
                        });
                });
            ui.add_space(10.0);
        }
        Block::Rule => {
            ui.separator();
        }
        Block::Embed { url, kind } => {
            let label = if kind.is_empty() {
                "Embedded content".to_owned()
            } else {
                format!("Embedded {kind}")
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("▶ {label}:")).strong());
                if ui.link(url).on_hover_text(url).clicked() {
                    out.push(Command::OpenUrl(url.clone()));
                }
            });
            ui.add_space(10.0);
        }
    }
}

/// An image with its caption; the framed placeholder (alt text, address) until the
/// picture is ready or when it cannot be shown.
pub fn image_ui(
    ui: &mut egui::Ui,
    images: PostImages<'_>,
    src: &ImageRef,
    alt: &str,
    caption: Option<&str>,
    out: &mut Vec<Command>,
) {
    if !picture_ui(ui, images, src, alt) {
        image_placeholder_ui(ui, src, alt, out);
    }
    if let Some(caption) = caption.filter(|c| !c.trim().is_empty()) {
        ui.vertical_centered(|ui| ui.weak(RichText::new(caption).italics()));
    }
}

/// The frame shown instead of an image: its alt text and its address (a link for web
/// addresses; plain text for files and references Folio does not load).
fn image_placeholder_ui(ui: &mut egui::Ui, src: &ImageRef, alt: &str, out: &mut Vec<Command>) {
    egui::Frame::new()
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            // A long address is cut rather than widening the reading column.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            let title = if alt.trim().is_empty() {
                "Image"
            } else {
                alt.trim()
            };
            ui.label(RichText::new(title).weak());
            let address = src.as_str();
            let short: String = address.chars().take(90).collect();
            let is_web = matches!(src, ImageRef::Url(url) if url.starts_with("http"));
            if !is_web {
                ui.label(RichText::new(short).small().weak())
                    .on_hover_text(address);
            } else if ui
                .link(RichText::new(short).small())
                .on_hover_text(address)
                .clicked()
            {
                out.push(Command::OpenUrl(address.to_owned()));
            }
        });
}

fn has_link(spans: &[Span]) -> bool {
    spans.iter().any(|s| matches!(s, Span::Link { .. }))
}

/// Draws inline spans as one wrapped paragraph.
fn spans_ui(
    ui: &mut egui::Ui,
    spans: &[Span],
    size: f32,
    heading: bool,
    marks: &[String],
    out: &mut Vec<Command>,
) {
    let mark_color = ui.visuals().selection.bg_fill;
    if !has_link(spans) {
        let mut job = LayoutJob::default();
        append(&mut job, ui, spans, size, heading, None);
        mark(&mut job, marks, mark_color);
        job.wrap.max_width = ui.available_width();
        ui.add(egui::Label::new(job).wrap());
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for span in spans {
            match span {
                Span::Link { url, spans } => {
                    let text = crate::clean::plain_text(spans);
                    let text = if text.trim().is_empty() {
                        url.clone()
                    } else {
                        text
                    };
                    let link = ui.link(RichText::new(text).size(size)).on_hover_text(url);
                    if link.clicked() {
                        out.push(Command::OpenUrl(url.clone()));
                    }
                }
                other => {
                    let mut job = LayoutJob::default();
                    append(
                        &mut job,
                        ui,
                        std::slice::from_ref(other),
                        size,
                        heading,
                        None,
                    );
                    mark(&mut job, marks, mark_color);
                    ui.add(egui::Label::new(job).wrap());
                }
            }
        }
    });
}

/// Gives every occurrence of a word of `marks` in `job` the background `color`.
/// Matching ignores case; text whose lowercase form has other byte lengths is left
/// unmarked rather than marked in the wrong place.
fn mark(job: &mut LayoutJob, marks: &[String], color: Color32) {
    if marks.is_empty() {
        return;
    }
    let lower = job.text.to_lowercase();
    if lower.len() != job.text.len() {
        return;
    }
    let mut ranges: Vec<std::ops::Range<usize>> = marks
        .iter()
        .filter(|m| !m.is_empty())
        .flat_map(|m| {
            lower
                .match_indices(m.as_str())
                .map(|(at, found)| at..at + found.len())
                .collect::<Vec<_>>()
        })
        .collect();
    if ranges.is_empty() {
        return;
    }
    ranges.sort_by_key(|r| r.start);
    let inside = |at: usize| ranges.iter().any(|r| r.start <= at && at < r.end);
    let cuts: Vec<usize> = ranges.iter().flat_map(|r| [r.start, r.end]).collect();
    let mut sections = Vec::with_capacity(job.sections.len() + cuts.len());
    for section in std::mem::take(&mut job.sections) {
        let range = section.byte_range.start.0..section.byte_range.end.0;
        let mut points: Vec<usize> = cuts
            .iter()
            .copied()
            .filter(|c| range.start < *c && *c < range.end)
            .collect();
        points.sort_unstable();
        points.dedup();
        let mut start = range.start;
        for end in points.into_iter().chain(std::iter::once(range.end)) {
            let mut part = section.clone();
            part.byte_range = egui::text::ByteIndex(start)..egui::text::ByteIndex(end);
            if start != range.start {
                part.leading_space = 0.0;
            }
            if inside(start) {
                part.format.background = color;
            }
            sections.push(part);
            start = end;
        }
    }
    job.sections = sections;
}

fn append(
    job: &mut LayoutJob,
    ui: &egui::Ui,
    spans: &[Span],
    size: f32,
    heading: bool,
    color: Option<Color32>,
) {
    let visuals = ui.visuals();
    let base = color.unwrap_or(if heading {
        visuals.strong_text_color()
    } else {
        visuals.text_color()
    });
    for span in spans {
        match span {
            Span::Text { text, bold, italic } => {
                let format = TextFormat {
                    font_id: FontId::new(size, FontFamily::Proportional),
                    color: if *bold {
                        visuals.strong_text_color()
                    } else {
                        base
                    },
                    italics: *italic,
                    line_height: Some(if heading {
                        size * 1.4
                    } else {
                        LINE_HEIGHT * size / BODY_SIZE
                    }),
                    ..Default::default()
                };
                job.append(text, 0.0, format);
            }
            Span::Code { text } => {
                let format = TextFormat {
                    font_id: FontId::new(size * 0.9, FontFamily::Monospace),
                    color: base,
                    background: visuals.code_bg_color,
                    ..Default::default()
                };
                job.append(text, 0.0, format);
            }
            Span::Link { spans, .. } => {
                append(job, ui, spans, size, heading, Some(visuals.hyperlink_color))
            }
            Span::LineBreak => job.append("\n", 0.0, TextFormat::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job of `parts`, every other one in italics so that each is its own section.
    fn job(parts: &[&str]) -> LayoutJob {
        let mut job = LayoutJob::default();
        for (i, part) in parts.iter().enumerate() {
            let format = TextFormat {
                italics: i % 2 == 1,
                ..TextFormat::default()
            };
            job.append(part, 0.0, format);
        }
        job
    }

    /// The marked text of `job`, section by section.
    fn marked(job: &LayoutJob) -> Vec<&str> {
        job.sections
            .iter()
            .filter(|s| s.format.background == Color32::RED)
            .map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0])
            .collect()
    }

    #[test]
    fn marks_every_match_across_sections_in_any_case() {
        let mut j = job(&["北京无症", "状感染者 and Apple, apple"]);
        mark(
            &mut j,
            &["无症状".to_owned(), "apple".to_owned()],
            Color32::RED,
        );
        assert_eq!(marked(&j), ["无症", "状", "Apple", "apple"]);
        assert_eq!(j.text, "北京无症状感染者 and Apple, apple");
        let covered: usize = j
            .sections
            .iter()
            .map(|s| s.byte_range.end.0 - s.byte_range.start.0)
            .sum();
        assert_eq!(covered, j.text.len());
    }

    #[test]
    fn no_marks_leave_the_job_as_it_was() {
        let mut j = job(&["正文"]);
        mark(&mut j, &[], Color32::RED);
        mark(&mut j, &["没有".to_owned()], Color32::RED);
        assert_eq!(j.sections.len(), 1);
        assert!(marked(&j).is_empty());
    }
}
