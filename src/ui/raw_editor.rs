//! The editor for broken front matter: the block's text in a monospace field, the line
//! the parser stopped at highlighted, the problem re-checked on every keystroke, and
//! Save / Revert. The typed form replaces it once the front matter parses and is saved.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, RichText, ScrollArea, TextEdit, TextStyle};

use crate::app::{Command, OpenPost, RawDraft};

pub fn raw_editor_ui(ui: &mut egui::Ui, open: &OpenPost, raw: &RawDraft, out: &mut Vec<Command>) {
    ui.add_space(6.0);
    let dirty = if raw.is_dirty() { " •" } else { "" };
    ui.label(
        RichText::new(format!("Front matter (as text){dirty}"))
            .strong()
            .size(16.0),
    );
    match raw.problem() {
        Some(problem) => {
            let line = problem
                .line
                .map(|l| format!("line {l}: "))
                .unwrap_or_default();
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("{line}{}", problem.message),
            );
            ui.weak("Fix it here; the form comes back once the front matter reads.");
        }
        None => {
            ui.colored_label(
                ui.visuals().hyperlink_color,
                "The front matter reads now: save to get the form back.",
            );
        }
    }
    ui.horizontal(|ui| {
        let save = ui
            .add_enabled(raw.is_dirty() && !open.saving, egui::Button::new("Save"))
            .on_hover_text("Save the text (Ctrl+S); the file is replaced whole or not at all");
        if save.clicked() {
            out.push(Command::Save);
        }
        if open.saving {
            ui.spinner();
        }
        if ui
            .add_enabled(raw.is_dirty(), egui::Button::new("Revert"))
            .clicked()
        {
            out.push(Command::Revert);
        }
    });
    ui.separator();
    let mut text = raw.text().to_owned();
    let error_row = raw.problem_row();
    let dark = ui.visuals().dark_mode;
    let font = TextStyle::Monospace.resolve(ui.style());
    let color = ui.visuals().text_color();
    let mut layouter = |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, wrap_width: f32| {
        let job = highlighted(buffer.as_str(), error_row, &font, color, dark, wrap_width);
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let label = ui.label(RichText::new("Front matter text").small().weak());
    let response = ScrollArea::vertical()
        .id_salt(("raw_front", open.id))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add(
                TextEdit::multiline(&mut text)
                    .id(egui::Id::unique(("raw_front_text", open.id)))
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(12)
                    .layouter(&mut layouter),
            )
            .labelled_by(label.id)
        })
        .inner;
    if response.changed() {
        out.push(Command::EditRaw { id: open.id, text });
    }
}

/// The text laid out with the problem's row on a red background.
fn highlighted(
    text: &str,
    error_row: Option<usize>,
    font: &FontId,
    color: Color32,
    dark: bool,
    wrap_width: f32,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    let mark = if dark {
        Color32::from_rgba_unmultiplied(200, 40, 40, 90)
    } else {
        Color32::from_rgba_unmultiplied(230, 80, 80, 70)
    };
    for (row, line) in text.split_inclusive('\n').enumerate() {
        let mut format = TextFormat::simple(font.clone(), color);
        if Some(row) == error_row {
            format.background = mark;
        }
        job.append(line, 0.0, format);
    }
    job.wrap.max_width = wrap_width;
    job
}
