//! The Insights view (View › Insights): the archive's figures over the current result,
//! so it follows the search and the facets. Posts over time stacked by top category or
//! feed, feeds that stopped or dropped, problems over time, posts without a usable
//! image or a date, the most used names, and each feed's size. The figures are the
//! core's [`crate::insights`], counted on the app's worker; this file only draws them.
//!
//! **It replaces the article in the centre while open**, rather than floating in a
//! window: it is about the list, so the list (and the facets) stay beside it, uncovered,
//! and a click's narrowed list shows at once; the front-matter panel, which belongs to
//! the article it replaces, gives up its room (at 1440 points the charts get some
//! 800 points instead of 480). At 1024×700 the centre keeps the layout's article
//! measure (420 points or more): the sections stack in one scrolling column and the
//! tables keep their columns by shrinking the name column, whose names elide.
//!
//! **A click narrows the list**: every bar, legend entry and row carries its
//! [`Narrow`], which is added to the search box's text (terms it already has are not
//! repeated) and sent as [`Command::SetSearch`], so the box shows the query and it can
//! be saved. Where the search syntax cannot say exactly those posts (a month, a problem
//! kind), the hover says what the click picks out instead.

use egui::{Align, CollapsingHeader, ComboBox, RichText, ScrollArea};

use super::insights_chart::{self, Layer, MAX_LAYERS, OTHER_COLOR};
use super::insights_rows::Column;
use crate::app::{AppState, Command, InsightsChoice, UiState};
use crate::insights::{GapKind, Insights, Narrow, PeriodKind, Split, kind_name};

/// Rows a table shows before "Show all".
const FIRST_ROWS: usize = 8;

/// Below this width, the name lists stack instead of standing side by side.
const COLUMNS_MIN_WIDTH: f32 = 720.0;

pub fn insights_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ui_state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let insights = state.insights();
    header_ui(ui, state, out);
    ui.separator();
    let Some(figures) = insights.figures() else {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| match insights.failure() {
            Some(message) => {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
            None => {
                ui.spinner();
                ui.weak(format!(
                    "Reading {} posts…",
                    super::thousands(insights.posts_read())
                ));
            }
        });
        return;
    };
    let clicked = ScrollArea::vertical()
        .id_salt("insights_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if figures.posts == 0 {
                ui.weak("No post in the result.");
                return None;
            }
            // Every section is drawn; the first click wins.
            let sections = [
                timeline_ui(ui, figures, insights.choice().split),
                gaps_ui(ui, figures),
                problems_ui(ui, figures),
                images_ui(ui, figures),
                undated_ui(ui, figures),
                names_ui(ui, figures),
                sizes_ui(ui, figures),
            ];
            sections.into_iter().flatten().next()
        })
        .inner;
    if let Some(narrow) = clicked {
        narrow_list(&narrow, ui_state, out);
    }
}

/// Adds `narrow` to the search box's text and searches it.
fn narrow_list(narrow: &Narrow, ui_state: &mut UiState, out: &mut Vec<Command>) {
    let text = narrow.applied_to(&ui_state.search_text);
    if text != ui_state.search_text {
        ui_state.search_text = text.clone();
        out.push(Command::SetSearch(text));
    }
}

fn header_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let insights = state.insights();
    let choice = insights.choice();
    ui.horizontal_wrapped(|ui| {
        ui.heading("Insights");
        if let Some(figures) = insights.figures() {
            ui.label(format!(
                "{}, {} dated",
                posts(figures.posts as usize),
                super::thousands(figures.dated as usize)
            ))
            .on_hover_text("Posts in the list as the search and facets leave it");
        }
        if insights.is_updating() {
            ui.spinner();
        }
        ui.with_layout(egui::Layout::right_to_left(Align::Center), |ui| {
            if ui
                .button("Close")
                .on_hover_text("Back to the article")
                .clicked()
            {
                out.push(Command::ShowInsights(false));
            }
        });
    });
    ui.horizontal_wrapped(|ui| {
        let shown = insights.figures().map(|f| f.timeline.kind);
        let label = ui.label("Period");
        let current = match (choice.by, shown) {
            (Some(kind), _) => kind_label(kind).to_owned(),
            (None, Some(kind)) => format!("Automatic ({})", kind.name()),
            (None, None) => "Automatic".to_owned(),
        };
        ComboBox::from_id_salt("insights_period")
            .selected_text(current)
            .show_ui(ui, |ui| {
                let options = [
                    (None, "Automatic"),
                    (Some(PeriodKind::Day), kind_label(PeriodKind::Day)),
                    (Some(PeriodKind::Week), kind_label(PeriodKind::Week)),
                    (Some(PeriodKind::Month), kind_label(PeriodKind::Month)),
                ];
                for (by, text) in options {
                    if ui.selectable_label(choice.by == by, text).clicked() {
                        out.push(Command::InsightsOptions(InsightsChoice { by, ..choice }));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if let (Some(asked), Some(kind)) = (choice.by, shown)
            && asked != kind
        {
            ui.weak(format!("(too many {}s: by {})", asked.name(), kind.name()))
                .on_hover_text(
                    "A chart has at most 10,000 periods; stray dates far apart need coarser ones",
                );
        }
        ui.separator();
        ui.label("Stack by");
        for (split, text, tip) in [
            (
                Split::Group,
                "Top category",
                "The first category of each post",
            ),
            (
                Split::Feed,
                "Feed",
                "The category path to its third level: group / site / feed",
            ),
        ] {
            if ui
                .radio(choice.split == split, text)
                .on_hover_text(tip)
                .clicked()
            {
                out.push(Command::InsightsOptions(InsightsChoice { split, ..choice }));
            }
        }
    });
}

fn kind_label(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Day => "Days",
        PeriodKind::Week => "Weeks",
        PeriodKind::Month => "Months",
        PeriodKind::Year => "Years",
    }
}

/// `1 post`, `1,234 posts`.
pub fn posts(n: usize) -> String {
    match n {
        1 => "1 post".to_owned(),
        _ => format!("{} posts", super::thousands(n)),
    }
}

/// What a click does: the terms it adds, and whether they pick out more posts.
pub fn narrow_hint_ui(ui: &mut egui::Ui, narrow: &Narrow) {
    if narrow.query.is_empty() {
        ui.weak("The search has no term for these posts.");
        return;
    }
    ui.label(format!("Click to search {}", narrow.query));
    if !narrow.exact {
        ui.weak("This picks out more posts than these: the search cannot say exactly these (dates are by year, problems all together).");
    }
}

fn section(title: String) -> CollapsingHeader {
    CollapsingHeader::new(RichText::new(title).strong()).default_open(true)
}

fn timeline_ui(ui: &mut egui::Ui, figures: &Insights, split: Split) -> Option<Narrow> {
    let timeline = &figures.timeline;
    let mut clicked = None;
    section(format!("Posts per {}", timeline.kind.name()))
        .id_salt("insights_timeline")
        .show(ui, |ui| {
            let (Some(first), Some(last)) = (timeline.periods.first(), timeline.periods.last())
            else {
                ui.weak("No post in the result has a date.");
                return;
            };
            let stacked = match split {
                Split::Group => "top category",
                Split::Feed => "feed",
            };
            ui.weak(format!(
                "From {} to {}, stacked by {stacked}. Click a bar or a name to narrow the list.",
                insights_chart::day(first.start),
                insights_chart::day(last.end.pred_opt().unwrap_or(last.start)),
            ));
            let others: Vec<u32> = sum_rest(
                timeline.series.iter().map(|s| s.counts.as_slice()),
                timeline.periods.len(),
            );
            let mut layers: Vec<Layer<'_>> = timeline
                .series
                .iter()
                .take(MAX_LAYERS)
                .enumerate()
                .map(|(i, s)| Layer {
                    label: &s.label,
                    counts: &s.counts,
                    total: s.total,
                    narrow: Some(&s.narrow),
                    color: insights_chart::color(i),
                })
                .collect();
            let rest = timeline.series.len().saturating_sub(MAX_LAYERS);
            let other_label = format!("{rest} more");
            if rest > 0 {
                layers.push(Layer {
                    label: &other_label,
                    counts: &others,
                    total: others.iter().sum(),
                    narrow: None,
                    color: OTHER_COLOR,
                });
            }
            let height = (ui.available_height() * 0.45).clamp(160.0, 260.0);
            clicked = insights_chart::stacked_bars_ui(
                ui,
                "insights_timeline_plot",
                "Posts over time",
                &timeline.periods,
                timeline.kind,
                &layers,
                height,
            );
            let legend = insights_chart::legend_ui(ui, &layers);
            if clicked.is_none() {
                clicked = legend;
            }
        });
    clicked
}

/// The counts of every series after the first [`MAX_LAYERS`], added up per period.
fn sum_rest<'a>(series: impl Iterator<Item = &'a [u32]>, periods: usize) -> Vec<u32> {
    let mut sum = vec![0; periods];
    for counts in series.skip(MAX_LAYERS) {
        for (total, count) in sum.iter_mut().zip(counts) {
            *total += count;
        }
    }
    sum
}

fn gaps_ui(ui: &mut egui::Ui, figures: &Insights) -> Option<Narrow> {
    let mut clicked = None;
    let per = figures.timeline.kind.name();
    let response = section(format!(
        "Feeds that stopped or dropped ({})",
        figures.gaps.len()
    ))
    .id_salt("insights_gaps")
    .show(ui, |ui| {
        if figures.gaps.is_empty() {
            ui.weak("None: every feed with enough history posts at its usual pace.");
            return;
        }
        let columns = [
            ("Feed", 0.0, Align::Min),
            ("", 70.0, Align::Min),
            ("Last post", 92.0, Align::Min),
            ("Pace", 84.0, Align::Max),
            ("Recent", 70.0, Align::Max),
        ];
        let rows = figures.gaps.iter().map(|gap| {
            let status = match gap.kind {
                GapKind::Stopped => "stopped",
                GapKind::Dropped => "dropped",
            };
            let cells = vec![
                gap.feed.clone(),
                status.to_owned(),
                gap.last_post.format("%Y-%m-%d").to_string(),
                format!("{:.1}/{per}", gap.expected_per_period),
                format!("{} of {:.0}", gap.recent_posts, gap.expected_recent),
            ];
            (cells, None, &gap.narrow)
        });
        clicked = table_ui(ui, "insights_gaps_table", &columns, rows);
    });
    response.header_response.on_hover_text(
        "Judged on each feed's own pace. Stopped: silent for longer than its pace \
         would allow (five posts' worth) and longer than any silence it had before. \
         Dropped: the last four periods hold a quarter or less of what its pace \
         predicts, and the same weeks a year earlier did not. Feeds with fewer than \
         five posts, or younger than four periods, are not judged.",
    );
    clicked
}

fn problems_ui(ui: &mut egui::Ui, figures: &Insights) -> Option<Narrow> {
    let problems = &figures.problems;
    let mut clicked = None;
    section(format!("Problems ({})", posts(problems.posts as usize)))
        .id_salt("insights_problems")
        .show(ui, |ui| {
            if problems.kinds.is_empty() {
                ui.weak("No post of the result has a problem.");
                return;
            }
            ui.weak("Posts with each kind of problem per period: a site that changed its markup shows as a step.");
            let layers: Vec<Layer<'_>> = problems
                .kinds
                .iter()
                .enumerate()
                .map(|(i, k)| Layer {
                    label: kind_name(k.kind),
                    counts: &k.series.counts,
                    total: k.posts,
                    narrow: Some(&k.series.narrow),
                    color: insights_chart::color(i),
                })
                .collect();
            clicked = insights_chart::stacked_bars_ui(
                ui,
                "insights_problems_plot",
                "Problems over time",
                &figures.timeline.periods,
                figures.timeline.kind,
                &layers,
                140.0,
            );
            let legend = insights_chart::legend_ui(ui, &layers);
            if clicked.is_none() {
                clicked = legend;
            }
            let off_chart: Vec<String> = problems
                .kinds
                .iter()
                .filter(|k| k.posts > k.series.total)
                .map(|k| format!("{} {}", kind_name(k.kind), k.posts - k.series.total))
                .collect();
            if !off_chart.is_empty() {
                ui.weak(format!(
                    "Not on the chart, having no date: {}.",
                    off_chart.join(", ")
                ));
            }
        });
    clicked
}

fn images_ui(ui: &mut egui::Ui, figures: &Insights) -> Option<Narrow> {
    let images = &figures.images;
    let without = images.none + images.junk_only;
    let mut clicked = None;
    section(format!(
        "Without a usable image ({})",
        posts(without as usize)
    ))
    .id_salt("insights_images")
    .show(ui, |ui| {
        ui.weak(format!(
            "{} with no image at all, {} with only junk (QR-code promos, placeholders).",
            super::thousands(images.none as usize),
            super::thousands(images.junk_only as usize)
        ));
        let columns = [
            ("Feed", 0.0, Align::Min),
            ("Posts", 62.0, Align::Max),
            ("No image", 66.0, Align::Max),
            ("Junk only", 70.0, Align::Max),
            ("Share", 52.0, Align::Max),
        ];
        let max = images.by_feed.first().map_or(1, |f| f.none + f.junk_only);
        let rows = images.by_feed.iter().map(|f| {
            let missing = f.none + f.junk_only;
            let share = f64::from(missing) / f64::from(f.posts.max(1)) * 100.0;
            let cells = vec![
                f.feed.clone(),
                super::thousands(f.posts as usize),
                super::thousands(f.none as usize),
                super::thousands(f.junk_only as usize),
                format!("{share:.0}%"),
            ];
            (cells, Some(fraction(missing, max)), &f.narrow)
        });
        clicked = table_ui(ui, "insights_images_table", &columns, rows);
    });
    clicked
}

fn undated_ui(ui: &mut egui::Ui, figures: &Insights) -> Option<Narrow> {
    let undated = &figures.undated;
    let total = undated.missing + undated.invalid;
    let mut clicked = None;
    section(format!("Without a date ({})", posts(total as usize)))
        .id_salt("insights_undated")
        .show(ui, |ui| {
            ui.weak(format!(
                "{} with no date, {} with one that is not a date; they are in no period.",
                super::thousands(undated.missing as usize),
                super::thousands(undated.invalid as usize)
            ));
            let columns = [("Feed", 0.0, Align::Min), ("Posts", 62.0, Align::Max)];
            let max = undated.by_feed.first().map_or(1, |c| c.count);
            let rows = undated.by_feed.iter().map(|c| {
                let cells = vec![c.label.clone(), super::thousands(c.count as usize)];
                (cells, Some(fraction(c.count, max)), &c.narrow)
            });
            clicked = table_ui(ui, "insights_undated_table", &columns, rows);
        });
    clicked
}

fn names_ui(ui: &mut egui::Ui, figures: &Insights) -> Option<Narrow> {
    let mut clicked = None;
    section("Most used".to_owned())
        .id_salt("insights_names")
        .show(ui, |ui| {
            let lists = [
                ("Categories", &figures.categories),
                ("Tags", &figures.tags),
                ("Authors", &figures.authors),
            ];
            let mut list_ui =
                |ui: &mut egui::Ui, (title, counts): (&str, &Vec<crate::insights::Count>)| {
                    ui.strong(title);
                    if counts.is_empty() {
                        ui.weak("None");
                        return;
                    }
                    let columns = [("", 0.0, Align::Min), ("Posts", 56.0, Align::Max)];
                    let max = counts.first().map_or(1, |c| c.count);
                    let rows = counts.iter().map(|c| {
                        let cells = vec![c.label.clone(), super::thousands(c.count as usize)];
                        (cells, Some(fraction(c.count, max)), &c.narrow)
                    });
                    let id = format!("insights_top_{title}");
                    clicked = clicked.take().or(table_ui(ui, &id, &columns, rows));
                };
            if ui.available_width() >= COLUMNS_MIN_WIDTH {
                ui.columns(lists.len(), |columns| {
                    for (column, list) in columns.iter_mut().zip(lists) {
                        list_ui(column, list);
                    }
                });
            } else {
                for list in lists {
                    list_ui(ui, list);
                    ui.add_space(6.0);
                }
            }
        });
    clicked
}

fn sizes_ui(ui: &mut egui::Ui, figures: &Insights) -> Option<Narrow> {
    let mut clicked = None;
    section(format!("Feeds by size ({})", figures.feeds.len()))
        .id_salt("insights_sizes")
        .show(ui, |ui| {
            let columns = [
                ("Feed", 0.0, Align::Min),
                ("Group", 90.0, Align::Min),
                ("Posts", 62.0, Align::Max),
                ("Size", 76.0, Align::Max),
            ];
            let max = figures.feeds.first().map_or(1, |f| f.bytes).max(1);
            let rows = figures.feeds.iter().map(|f| {
                let cells = vec![
                    f.feed.clone(),
                    f.group.clone(),
                    super::thousands(f.posts as usize),
                    bytes(f.bytes),
                ];
                let share = (f.bytes as f64 / max as f64) as f32;
                (cells, Some(share), &f.narrow)
            });
            clicked = table_ui(ui, "insights_sizes_table", &columns, rows);
        });
    clicked
}

fn fraction(part: u32, whole: u32) -> f32 {
    (f64::from(part) / f64::from(whole.max(1))) as f32
}

/// `1.2 MB`, `340 KB`.
fn bytes(n: u64) -> String {
    const KB: f64 = 1024.0;
    let n = n as f64;
    if n >= KB * KB * KB {
        format!("{:.1} GB", n / KB / KB / KB)
    } else if n >= KB * KB {
        format!("{:.1} MB", n / KB / KB)
    } else {
        format!("{:.0} KB", (n / KB).ceil())
    }
}

/// A table whose rows are whole-width buttons, in `columns`; each row has its cells, the share of a bar drawn behind it, and
/// its narrow. Shows [`FIRST_ROWS`] rows until "Show all" is clicked; returns the
/// narrow of a clicked row.
fn table_ui<'a>(
    ui: &mut egui::Ui,
    id: &str,
    columns: &[Column<'_>],
    rows: impl ExactSizeIterator<Item = (Vec<String>, Option<f32>, &'a Narrow)>,
) -> Option<Narrow> {
    let total = rows.len();
    if total == 0 {
        return None;
    }
    let all_id = ui.make_persistent_id((id, "all"));
    let show_all = ui.data(|d| d.get_temp::<bool>(all_id).unwrap_or(false));
    let titles: Vec<String> = columns.iter().map(|(t, _, _)| (*t).to_owned()).collect();
    super::insights_rows::row_ui(ui, columns, &titles, None, None, true);
    let mut clicked = None;
    for (cells, bar, narrow) in rows.take(if show_all { total } else { FIRST_ROWS }) {
        if super::insights_rows::row_ui(ui, columns, &cells, bar, Some(narrow), false) {
            clicked = Some(narrow.clone());
        }
    }
    if total > FIRST_ROWS {
        let text = if show_all {
            "Show fewer".to_owned()
        } else {
            format!("Show all {}", super::thousands(total))
        };
        if ui.small_button(text).clicked() {
            ui.data_mut(|d| d.insert_temp(all_id, !show_all));
        }
    }
    clicked
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_as_a_person_says_them() {
        assert_eq!(super::bytes(512), "1 KB");
        assert_eq!(super::bytes(340 * 1024), "340 KB");
        assert_eq!(super::bytes(1_258_291), "1.2 MB");
        assert_eq!(super::posts(1), "1 post");
        assert_eq!(super::posts(12_345), "12,345 posts");
    }

    #[test]
    fn the_smaller_series_add_up_as_one() {
        let series: Vec<Vec<u32>> = (0..super::MAX_LAYERS as u32 + 2)
            .map(|i| vec![i, 1])
            .collect();
        let rest = super::sum_rest(series.iter().map(Vec::as_slice), 2);
        let n = super::MAX_LAYERS as u32;
        assert_eq!(rest, vec![n + n + 1, 2]);
    }
}
