//! The Duplicates view (View › Duplicates): groups of posts saved twice, largest first,
//! each saying why it was grouped; the chosen group's members with their metadata, the
//! post to keep (by a rule or picked by hand), and the kept post's text beside another
//! member's with their differences marked. "Keep one…" opens the bulk preview (the
//! others' categories and tags merged into the kept post, the others to the trash; one
//! Apply, one Undo); "Not duplicates" keeps the group apart for good.
//!
//! Like the Insights view it takes the article's place in the centre, so the list and
//! facets stay beside it; at 1024 points wide the texts stack instead of standing side
//! by side.

use egui::text::LayoutJob;
use egui::{Align, Color32, ComboBox, RichText, ScrollArea, TextFormat, TextStyle};

use crate::app::{AppState, Command, UiState};
use crate::dups::{DupGroup, KeepRule, Member, TextChange};

/// The group list's width.
const GROUPS_WIDTH: f32 = 240.0;
/// Below this width of the detail, the two texts stack.
const SIDE_BY_SIDE_MIN: f32 = 620.0;
/// Texts longer than this are cut in the comparison (the rest is said, not drawn).
const MAX_COMPARED_CHARS: usize = 20_000;

pub fn dups_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    _ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let dups = state.dups();
    // Nothing inside may widen the centre past the window (a long title, a path).
    ui.set_max_width(ui.available_width());
    header_ui(ui, state, out);
    ui.separator();
    let Some(found) = dups.found() else {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.spinner();
            ui.weak(finding_text(state));
        });
        return;
    };
    if found.groups.is_empty() {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.label("No duplicates in this archive.");
            ui.weak("Copies are posts with the same or nearly the same cleaned text, or the same source URL.");
        });
        return;
    }
    let narrow = ui.available_width() < GROUPS_WIDTH + SIDE_BY_SIDE_MIN * 0.75;
    if narrow {
        // One column: a compact group picker above the detail.
        group_picker_ui(ui, state, out);
        ui.separator();
        detail_ui(ui, state, out);
    } else {
        ui.horizontal_top(|ui| {
            let height = ui.available_height();
            ui.allocate_ui_with_layout(
                egui::vec2(GROUPS_WIDTH, height),
                egui::Layout::top_down(Align::Min),
                |ui| {
                    ui.set_width(GROUPS_WIDTH);
                    groups_ui(ui, state, out);
                },
            );
            ui.separator();
            let width = ui.available_width();
            ui.allocate_ui_with_layout(
                egui::vec2(width, height),
                egui::Layout::top_down(Align::Min),
                |ui| {
                    ui.set_max_width(width);
                    detail_ui(ui, state, out);
                },
            );
        });
    }
}

fn finding_text(state: &AppState) -> String {
    match state.dups().finding() {
        Some((_, 0)) => "Reading the archive…".to_owned(),
        Some((done, total)) => format!(
            "Comparing texts: {} of {} posts",
            super::thousands(done),
            super::thousands(total)
        ),
        None => "Not searched yet.".to_owned(),
    }
}

fn header_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let dups = state.dups();
    ui.horizontal_wrapped(|ui| {
        ui.heading("Duplicates");
        if let Some(found) = dups.found() {
            let posts: usize = found.groups.iter().map(|g| g.members.len()).sum();
            ui.label(format!(
                "{} {} · {} posts",
                super::thousands(found.groups.len()),
                if found.groups.len() == 1 {
                    "group"
                } else {
                    "groups"
                },
                super::thousands(posts)
            ))
            .on_hover_text(format!(
                "{} posts compared in {:.1} s ({} from the cache)",
                super::thousands(found.stats.posts),
                found.elapsed.as_secs_f32(),
                super::thousands(found.stats.from_cache)
            ));
        }
        if dups.finding().is_some() {
            ui.spinner();
            ui.weak(finding_text(state));
        }
        ui.with_layout(egui::Layout::right_to_left(Align::Center), |ui| {
            if ui
                .button("Close")
                .on_hover_text("Back to the article")
                .clicked()
            {
                out.push(Command::ShowDuplicates(false));
            }
            if ui
                .add_enabled(dups.finding().is_none(), egui::Button::new("Search again"))
                .on_hover_text(
                    "Compare the archive's posts again (unchanged posts are not re-read)",
                )
                .clicked()
            {
                out.push(Command::FindDuplicates);
            }
        });
    });
}

/// One line naming a group: its size, kind and first member's title.
fn group_label(state: &AppState, group: &DupGroup) -> String {
    let first = group
        .members
        .first()
        .map(|m| member_title(state, m))
        .unwrap_or_default();
    format!(
        "{} × {} {:.2} · {first}",
        group.members.len(),
        group.kind.name(),
        group.similarity
    )
}

fn groups_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let Some(found) = state.dups().found() else {
        return;
    };
    let selected = state.dups().selected();
    let row_height = ui.text_style_height(&TextStyle::Body) + 6.0;
    ScrollArea::vertical()
        .id_salt("dup_groups")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, found.groups.len(), |ui, range| {
            for index in range {
                let Some(group) = found.groups.get(index) else {
                    continue;
                };
                let label = egui::Button::selectable(index == selected, group_label(state, group))
                    .truncate();
                if ui
                    .add_sized([ui.available_width(), row_height], label)
                    .clicked()
                {
                    out.push(Command::SelectDupGroup(index));
                }
            }
        });
}

/// The narrow layout's group chooser: previous, next, and a drop-down.
fn group_picker_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let Some(found) = state.dups().found() else {
        return;
    };
    let selected = state.dups().selected();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(selected > 0, egui::Button::new("◀"))
            .on_hover_text("Previous group")
            .clicked()
        {
            out.push(Command::SelectDupGroup(selected - 1));
        }
        if ui
            .add_enabled(selected + 1 < found.groups.len(), egui::Button::new("▶"))
            .on_hover_text("Next group")
            .clicked()
        {
            out.push(Command::SelectDupGroup(selected + 1));
        }
        let label = ui.label(format!("Group {} of {}", selected + 1, found.groups.len()));
        let current = found
            .groups
            .get(selected)
            .map(|g| group_label(state, g))
            .unwrap_or_default();
        ComboBox::from_id_salt("dup_group_picker")
            .selected_text(current)
            .truncate()
            .width((ui.available_width() - 8.0).max(80.0))
            .show_ui(ui, |ui| {
                for (index, group) in found.groups.iter().enumerate().take(500) {
                    if ui
                        .selectable_label(index == selected, group_label(state, group))
                        .clicked()
                    {
                        out.push(Command::SelectDupGroup(index));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
}

fn rule_label(rule: KeepRule) -> &'static str {
    match rule {
        KeepRule::EarliestDate => "Earliest date",
        KeepRule::LongestBody => "Longest text",
        KeepRule::HasImage => "Has an image",
    }
}

fn detail_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let dups = state.dups();
    let Some(group) = dups.group() else {
        return;
    };
    let kept = dups.kept();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(why(group)).strong());
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Keep");
        let current = if dups.is_picked() {
            "Picked by hand"
        } else {
            rule_label(dups.rule())
        };
        ComboBox::from_id_salt("dup_keep_rule")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for rule in [
                    KeepRule::EarliestDate,
                    KeepRule::LongestBody,
                    KeepRule::HasImage,
                ] {
                    if ui
                        .selectable_label(!dups.is_picked() && dups.rule() == rule, rule_label(rule))
                        .clicked()
                    {
                        out.push(Command::KeepRule(rule));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let busy = state.bulk().is_some_and(|b| b.progress().is_some());
        let others = group.members.len().saturating_sub(1);
        if ui
            .add_enabled(
                kept.is_some() && !busy && state.history_available(),
                egui::Button::new(RichText::new("Keep one…").strong()),
            )
            .on_hover_text(format!(
                "Preview: add the others' categories and tags to the kept post and move the {others} others to the trash; one Undo restores all"
            ))
            .clicked()
        {
            out.push(Command::KeepOne);
        }
        if ui
            .add_enabled(!dups.is_exempting(), egui::Button::new("Not duplicates"))
            .on_hover_text(
                "Never group these posts again (saved in the archive's .folio/dups-exempt.toml)",
            )
            .clicked()
        {
            out.push(Command::NotDuplicates);
        }
    });
    ui.add_space(4.0);
    members_ui(ui, state, group, kept, out);
    ui.separator();
    comparison_ui(ui, state, group);
}

fn why(group: &DupGroup) -> String {
    match group.kind {
        crate::dups::DupKind::Exact => {
            format!("{} posts with the same cleaned text", group.members.len())
        }
        crate::dups::DupKind::Near => format!(
            "{} posts with nearly the same text (similarity {:.2})",
            group.members.len(),
            group.similarity
        ),
        crate::dups::DupKind::Url => format!(
            "{} posts naming the same source URL (text similarity {:.2})",
            group.members.len(),
            group.similarity
        ),
    }
}

fn member_title(state: &AppState, member: &Member) -> String {
    state
        .catalog
        .id_of(&member.path)
        .and_then(|id| state.catalog.row(id))
        .map(|row| row.title.clone())
        .unwrap_or_else(|| crate::archive::slash_path(&member.path))
}

fn members_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    group: &DupGroup,
    kept: Option<usize>,
    out: &mut Vec<Command>,
) {
    let compared = state.dups().compared();
    // Keep · post · date · names: the post and the names share what the others leave.
    let shared = (ui.available_width() - 40.0 - 130.0 - 3.0 * 12.0).max(160.0);
    let post_width = shared * 0.6;
    let names_width = shared - post_width;
    ScrollArea::vertical()
        .id_salt("dup_members")
        .max_height(ui.available_height() * 0.4)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("dup_members_grid")
                .num_columns(4)
                .striped(true)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    ui.strong("Keep");
                    ui.strong("Post");
                    ui.strong("Date · text · image");
                    ui.strong("Categories · tags");
                    ui.end_row();
                    for (i, member) in group.members.iter().enumerate() {
                        let id = state.catalog.id_of(&member.path);
                        let article = id.and_then(|id| state.catalog.article(id));
                        let row = id.and_then(|id| state.catalog.row(id));
                        let title = member_title(state, member);
                        let keep = ui
                            .radio(kept == Some(i), "")
                            .on_hover_text("Keep this post");
                        keep.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::Role::RadioButton,
                                ui.is_enabled(),
                                kept == Some(i),
                                format!("Keep {}", crate::archive::slash_path(&member.path)),
                            )
                        });
                        if keep.clicked() {
                            out.push(Command::PickKept(member.path.clone()));
                        }
                        ui.vertical(|ui| {
                            ui.set_max_width(post_width);
                            ui.add(egui::Label::new(RichText::new(&title).strong()).truncate())
                                .on_hover_text(&title);
                            let path = crate::archive::slash_path(&member.path);
                            ui.horizontal(|ui| {
                                ui.add(
                                    egui::Label::new(RichText::new(&path).weak().small())
                                        .truncate(),
                                )
                                .on_hover_text(&path);
                            });
                            ui.horizontal(|ui| {
                                if let Some(id) = id
                                    && ui
                                        .small_button("Open")
                                        .on_hover_text("Show this post")
                                        .clicked()
                                {
                                    out.push(Command::ShowDuplicates(false));
                                    out.push(Command::Select(id));
                                }
                                if kept != Some(i) {
                                    let showing = compared == Some(i);
                                    if ui
                                        .add_enabled(!showing, egui::Button::new("Compare").small())
                                        .on_hover_text(
                                            "Show this post's text beside the kept one's",
                                        )
                                        .clicked()
                                    {
                                        out.push(Command::CompareWith(member.path.clone()));
                                    }
                                }
                            });
                        });
                        ui.vertical(|ui| {
                            let date = row
                                .map(|r| r.date_label.as_str())
                                .filter(|d| !d.is_empty())
                                .unwrap_or("no date");
                            ui.label(date);
                            ui.weak(format!(
                                "{} characters · {}",
                                super::thousands(member.content_chars),
                                if member.has_image {
                                    "image"
                                } else {
                                    "no image"
                                }
                            ));
                        });
                        ui.vertical(|ui| {
                            ui.set_max_width(names_width);
                            let names = |items: &[String]| {
                                if items.is_empty() {
                                    "—".to_owned()
                                } else {
                                    items.join(", ")
                                }
                            };
                            if let Some(article) = article {
                                ui.add(
                                    egui::Label::new(names(&article.front.categories)).truncate(),
                                );
                                ui.add(
                                    egui::Label::new(
                                        RichText::new(names(&article.front.tags)).weak(),
                                    )
                                    .truncate(),
                                );
                            }
                        });
                        ui.end_row();
                    }
                });
        });
}

fn comparison_ui(ui: &mut egui::Ui, state: &AppState, group: &DupGroup) {
    let dups = state.dups();
    let (Some(kept), Some(other)) = (dups.kept(), dups.compared()) else {
        return;
    };
    let (Some(kept), Some(other)) = (group.members.get(kept), group.members.get(other)) else {
        return;
    };
    let Some(comparison) = dups.comparison() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("Reading the two texts…");
        });
        return;
    };
    let changes = match &comparison.changes {
        Ok(changes) => changes,
        Err(message) => {
            ui.colored_label(ui.visuals().error_fg_color, message);
            return;
        }
    };
    if changes.iter().all(|c| matches!(c, TextChange::Same(_))) {
        ui.weak("The two cleaned texts are the same.");
    }
    let visuals = ui.visuals();
    let removed_bg = if visuals.dark_mode {
        Color32::from_rgb(0x5a, 0x2a, 0x2a)
    } else {
        Color32::from_rgb(0xff, 0xd7, 0xd5)
    };
    let added_bg = if visuals.dark_mode {
        Color32::from_rgb(0x23, 0x4d, 0x2c)
    } else {
        Color32::from_rgb(0xcc, 0xf0, 0xd2)
    };
    let (left, right) = side_texts(ui, changes, removed_bg, added_bg);
    let kept_title = format!("Kept: {}", crate::archive::slash_path(&kept.path));
    let other_title = format!("Other: {}", crate::archive::slash_path(&other.path));
    let side_by_side = ui.available_width() >= SIDE_BY_SIDE_MIN;
    let height = ui.available_height();
    if side_by_side {
        ui.columns(2, |columns| {
            text_column(&mut columns[0], "dup_left", &kept_title, left, height);
            text_column(&mut columns[1], "dup_right", &other_title, right, height);
        });
    } else {
        text_column(ui, "dup_left", &kept_title, left, height * 0.5);
        text_column(ui, "dup_right", &other_title, right, height * 0.5);
    }
}

fn text_column(ui: &mut egui::Ui, id: &str, title: &str, job: LayoutJob, height: f32) {
    ui.add(egui::Label::new(RichText::new(title).strong()).truncate())
        .on_hover_text(title);
    ScrollArea::vertical()
        .id_salt(id)
        .max_height((height - 28.0).max(80.0))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut job = job;
            job.wrap.max_width = ui.available_width();
            ui.label(job);
        });
}

/// The kept text (left: with what only it has marked) and the other (right: with what
/// only it has marked), cut at [`MAX_COMPARED_CHARS`] each.
fn side_texts(
    ui: &egui::Ui,
    changes: &[TextChange],
    removed_bg: Color32,
    added_bg: Color32,
) -> (LayoutJob, LayoutJob) {
    let font = TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    let plain = TextFormat::simple(font.clone(), color);
    let mark = |background| TextFormat {
        background,
        ..TextFormat::simple(font.clone(), color)
    };
    let mut left = LayoutJob::default();
    let mut right = LayoutJob::default();
    let (mut left_chars, mut right_chars) = (0usize, 0usize);
    let push = |job: &mut LayoutJob, used: &mut usize, text: &str, format: TextFormat| {
        if *used >= MAX_COMPARED_CHARS {
            return;
        }
        let room = MAX_COMPARED_CHARS - *used;
        let cut: String = text.chars().take(room).collect();
        *used += cut.chars().count();
        job.append(&cut, 0.0, format);
        if *used >= MAX_COMPARED_CHARS {
            job.append(
                "\n…",
                0.0,
                TextFormat::simple(font.clone(), ui.visuals().weak_text_color()),
            );
        }
    };
    for change in changes {
        match change {
            TextChange::Same(text) => {
                push(&mut left, &mut left_chars, text, plain.clone());
                push(&mut right, &mut right_chars, text, plain.clone());
            }
            TextChange::Removed(text) => push(&mut left, &mut left_chars, text, mark(removed_bg)),
            TextChange::Added(text) => push(&mut right, &mut right_chars, text, mark(added_bg)),
        }
    }
    (left, right)
}
