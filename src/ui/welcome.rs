//! The welcome screen shown before an archive is open: Open folder… (native dialog on
//! a worker thread), a path field for typing or pasting a path (for when no native
//! dialog is available), recent folders, and a hint that folders can be dropped.

use egui::{Key, RichText, TextEdit};

use crate::app::{AppState, Command, UiState};

pub fn welcome_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space((ui.available_height() * 0.18).max(16.0));
        if ui_state.icon.is_none() {
            ui_state.icon = crate::app::icon_data().map(|icon| {
                let size = [icon.width as usize, icon.height as usize];
                let image = egui::ColorImage::from_rgba_unmultiplied(size, &icon.rgba);
                ui.ctx()
                    .load_texture("folio-icon", image, egui::TextureOptions::LINEAR)
            });
        }
        if let Some(icon) = &ui_state.icon {
            ui.add(egui::Image::new(icon).fit_to_exact_size(egui::vec2(96.0, 96.0)));
        }
        ui.label(RichText::new("Folio").size(40.0).strong());
        ui.label(RichText::new("Browse, read, search and tidy static-site post archives").weak());
        ui.add_space(24.0);
        let waiting = state.pick_rx.is_some() || state.resolving;
        let open = ui.add_enabled(
            !waiting,
            egui::Button::new(RichText::new("Open folder…").size(18.0)),
        );
        if open.clicked() {
            out.push(Command::PickFolder);
        }
        if state.pick_rx.is_some() {
            ui.weak("Waiting for the folder dialog…");
        } else if state.resolving {
            ui.weak("Opening…");
        }
        ui.add_space(16.0);
        ui.horizontal(|ui| {
            let width = 520.0_f32.min(ui.available_width());
            ui.add_space(((ui.available_width() - width - 90.0) / 2.0).max(0.0));
            let label = ui.label("Path");
            let field = ui
                .add(
                    TextEdit::singleline(&mut ui_state.path_text)
                        .hint_text("/path/to/blog/source/_posts")
                        .desired_width(width - 80.0),
                )
                .labelled_by(label.id);
            // After a path that did not open, the field takes the keyboard back.
            if ui_state.path_submitted && !state.resolving {
                ui_state.path_submitted = false;
                field.request_focus();
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let path = ui_state.path_text.trim();
            if (ui
                .add_enabled(!path.is_empty(), egui::Button::new("Open"))
                .clicked()
                || entered)
                && !path.is_empty()
            {
                out.push(Command::OpenPath(path.into()));
                ui_state.path_submitted = true;
            }
        });
        ui.add_space(12.0);
        ui.weak("…or drop a folder, or a post inside one, onto this window.");
        if !state.settings.recent.is_empty() {
            ui.add_space(24.0);
            ui.label(RichText::new("Recent").strong());
            for path in &state.settings.recent {
                if ui.link(path.display().to_string()).clicked() {
                    out.push(Command::OpenPath(path.clone()));
                }
            }
        }
    });
}
