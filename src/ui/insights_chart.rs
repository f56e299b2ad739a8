//! The Insights view's charts: bars per period, stacked by series, drawn with
//! `egui_plot`, and their legend.
//!
//! The plot is only a canvas here: zoom, drag and its own hover labels are off, so the
//! wheel scrolls the view and a click is a click. Which bar is under the pointer is
//! worked out from the plot coordinates (period from x, layer from y against the
//! stack), which is exact for stacked bars where the plot's nearest-item rule is not;
//! that bar gets an outline and a tooltip, and a click hands back its [`Narrow`].

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use egui::{Color32, RichText, Sense, Stroke};
use egui_plot::{Bar, BarChart, GridInput, GridMark, Plot};

use crate::insights::{Narrow, Period, PeriodKind};

/// One layer of a stack: a series' counts per period.
pub struct Layer<'a> {
    pub label: &'a str,
    pub counts: &'a [u32],
    pub total: u32,
    /// The posts of the series (ANDed with the period's); `None` for "other".
    pub narrow: Option<&'a Narrow>,
    pub color: Color32,
}

/// Series colours that read on light and dark backgrounds; the last is for "other".
const PALETTE: [Color32; 9] = [
    Color32::from_rgb(78, 121, 167),
    Color32::from_rgb(242, 142, 43),
    Color32::from_rgb(89, 161, 79),
    Color32::from_rgb(225, 87, 89),
    Color32::from_rgb(118, 183, 178),
    Color32::from_rgb(237, 201, 72),
    Color32::from_rgb(176, 122, 161),
    Color32::from_rgb(255, 157, 167),
    Color32::from_rgb(156, 117, 95),
];

/// The colour for "everything else".
pub const OTHER_COLOR: Color32 = Color32::from_rgb(160, 160, 160);

/// Series drawn on their own before the rest are added up as "other".
pub const MAX_LAYERS: usize = PALETTE.len();

/// The colour of the `i`th series.
pub fn color(i: usize) -> Color32 {
    PALETTE.get(i).copied().unwrap_or(OTHER_COLOR)
}

/// What the pointer is over: a period, and the layer when it is on a bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Target {
    period: usize,
    layer: Option<usize>,
}

/// A stacked bar chart of `layers` over `periods`; returns the narrow of a clicked bar
/// (the period's alone when the click is above the bars).
pub fn stacked_bars_ui(
    ui: &mut egui::Ui,
    id: &str,
    title: &str,
    periods: &[Period],
    kind: PeriodKind,
    layers: &[Layer<'_>],
    height: f32,
) -> Option<Narrow> {
    let bases = stack_bases(periods.len(), layers);
    let px_per_period = ui.available_width() / (periods.len().max(1) as f32 + 1.0);
    let step = label_step(kind, px_per_period);
    let bar_width = if px_per_period < 3.0 { 1.0 } else { 0.8 };
    let outline = ui.visuals().strong_text_color();
    let response = Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .show_grid([false, true])
        .include_y(0.0)
        // Every period, even when only a few have bars (problems in one month).
        .include_x(-0.5)
        .include_x(periods.len() as f64 - 0.5)
        .set_margin_fraction(egui::vec2(0.005, 0.06))
        .x_grid_spacer(move |input| period_marks(input, periods, kind, step))
        .x_axis_formatter(move |mark, range| period_axis_label(mark, range, periods, kind, step))
        .y_axis_formatter(|mark, _| count_axis_label(mark.value))
        .show(ui, |plot| {
            for (i, layer) in layers.iter().enumerate() {
                let bars: Vec<Bar> = layer
                    .counts
                    .iter()
                    .zip(bases.get(i).map(Vec::as_slice).unwrap_or_default())
                    .enumerate()
                    .filter(|(_, (count, _))| **count > 0)
                    .map(|(x, (&count, &base))| {
                        Bar::new(x as f64, f64::from(count))
                            .base_offset(f64::from(base))
                            .width(bar_width)
                            .fill(layer.color)
                            .stroke(Stroke::NONE)
                    })
                    .collect();
                plot.bar_chart(
                    BarChart::new(layer.label, bars)
                        .id((id, i))
                        .color(layer.color)
                        .allow_hover(false),
                );
            }
            let target = plot
                .pointer_coordinate()
                .and_then(|p| target_at(p.x, p.y, periods, layers, &bases));
            if let Some(Target {
                period,
                layer: Some(l),
            }) = target
                && let (Some(layer), Some(base)) =
                    (layers.get(l), bases.get(l).and_then(|b| b.get(period)))
            {
                let count = layer.counts.get(period).copied().unwrap_or(0);
                let bar = Bar::new(period as f64, f64::from(count))
                    .base_offset(f64::from(*base))
                    .width(bar_width)
                    .fill(Color32::TRANSPARENT)
                    .stroke(Stroke::new(2.0, outline));
                plot.bar_chart(
                    BarChart::new("hovered", vec![bar])
                        .id((id, "hovered"))
                        .allow_hover(false),
                );
            }
            target
        });
    let plot_response = response.response;
    plot_response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Figure, true, format!("{title} chart"))
    });
    let target = response.inner?;
    let period = periods.get(target.period)?;
    let layer = target.layer.and_then(|l| layers.get(l));
    let narrow = match layer.and_then(|l| l.narrow) {
        Some(series) => series.and(&period.narrow),
        None => Narrow {
            query: period.narrow.query.clone(),
            exact: false,
        },
    };
    let clicked = plot_response.clicked();
    plot_response.on_hover_ui_at_pointer(|ui| {
        let total: u32 = layers
            .iter()
            .filter_map(|l| l.counts.get(target.period))
            .sum();
        ui.strong(period_title(kind, period));
        if let Some(layer) = layer {
            let count = layer.counts.get(target.period).copied().unwrap_or(0);
            ui.label(format!(
                "{}: {}",
                layer.label,
                super::insights::posts(count as usize)
            ));
        }
        ui.label(format!(
            "All shown: {}",
            super::insights::posts(total as usize)
        ));
        super::insights::narrow_hint_ui(ui, &narrow);
    });
    clicked.then_some(narrow)
}

/// The legend: a swatch, the label and the total of each layer; returns the narrow of
/// a clicked entry.
pub fn legend_ui(ui: &mut egui::Ui, layers: &[Layer<'_>]) -> Option<Narrow> {
    let mut clicked = None;
    ui.horizontal_wrapped(|ui| {
        for layer in layers {
            let (swatch, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), Sense::hover());
            ui.painter().rect_filled(swatch, 2.0, layer.color);
            let text = format!("{} {}", layer.label, super::thousands(layer.total as usize));
            let narrow = layer.narrow.filter(|n| !n.query.is_empty());
            let button = egui::Button::new(RichText::new(text).small()).frame(false);
            let response = ui.add_enabled(narrow.is_some(), button);
            match narrow {
                Some(narrow) => {
                    let response =
                        response.on_hover_ui(|ui| super::insights::narrow_hint_ui(ui, narrow));
                    if response.clicked() {
                        clicked = Some(narrow.clone());
                    }
                }
                None => {
                    response.on_disabled_hover_text("The smaller series added up");
                }
            }
            ui.add_space(6.0);
        }
    });
    clicked
}

/// Where each layer's bars start: the sum of the layers below, per period.
fn stack_bases(periods: usize, layers: &[Layer<'_>]) -> Vec<Vec<u32>> {
    let mut running = vec![0_u32; periods];
    layers
        .iter()
        .map(|layer| {
            let base = running.clone();
            for (sum, count) in running.iter_mut().zip(layer.counts) {
                *sum += count;
            }
            base
        })
        .collect()
}

/// The period and layer at plot coordinates `(x, y)`.
fn target_at(
    x: f64,
    y: f64,
    periods: &[Period],
    layers: &[Layer<'_>],
    bases: &[Vec<u32>],
) -> Option<Target> {
    let period = x.round();
    if period < 0.0 || period >= periods.len() as f64 || (x - period).abs() > 0.5 {
        return None;
    }
    let period = period as usize;
    let layer = layers.iter().enumerate().position(|(i, layer)| {
        let base = bases
            .get(i)
            .and_then(|b| b.get(period))
            .copied()
            .unwrap_or(0);
        let count = layer.counts.get(period).copied().unwrap_or(0);
        count > 0 && y >= f64::from(base) && y <= f64::from(base + count)
    });
    Some(Target { period, layer })
}

/// Steps between labelled periods, from one period up, per kind.
fn steps(kind: PeriodKind) -> &'static [usize] {
    match kind {
        PeriodKind::Day => &[1, 2, 7, 14, 28, 91, 182, 364],
        PeriodKind::Week => &[1, 2, 4, 13, 26, 52, 104],
        PeriodKind::Month => &[1, 2, 3, 6, 12, 24, 60, 120],
        PeriodKind::Year => &[1, 2, 5, 10, 20, 50, 100, 200, 500],
    }
}

/// The smallest step that leaves room for a label (about 60 points).
fn label_step(kind: PeriodKind, px_per_period: f32) -> usize {
    let min_periods = 60.0 / px_per_period.max(0.01);
    let all = steps(kind);
    all.iter()
        .copied()
        .find(|&s| s as f32 >= min_periods)
        .or_else(|| all.last().copied())
        .unwrap_or(1)
}

/// Grid marks on the labelled periods: every `step`th, on calendar boundaries for
/// months (quarters, years) and years.
fn period_marks(
    input: GridInput,
    periods: &[Period],
    kind: PeriodKind,
    step: usize,
) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let first = lo.max(0.0).ceil() as usize;
    let last = (hi.min(periods.len() as f64 - 1.0)).floor();
    if last < 0.0 {
        return Vec::new();
    }
    (first..=last as usize)
        .filter(|&i| {
            periods.get(i).is_some_and(|p| {
                let position = match kind {
                    PeriodKind::Month => (p.start.year() * 12 + p.start.month0() as i32) as usize,
                    PeriodKind::Year => p.start.year().max(0) as usize,
                    PeriodKind::Day | PeriodKind::Week => i,
                };
                position.is_multiple_of(step)
            })
        })
        .map(|i| GridMark {
            value: i as f64,
            step_size: step as f64,
        })
        .collect()
}

fn period_axis_label(
    mark: GridMark,
    _range: &RangeInclusive<f64>,
    periods: &[Period],
    kind: PeriodKind,
    step: usize,
) -> String {
    let index = mark.value.round();
    if (mark.value - index).abs() > 1e-6 || index < 0.0 {
        return String::new();
    }
    let Some(period) = periods.get(index as usize) else {
        return String::new();
    };
    let start = period.start;
    match kind {
        PeriodKind::Day | PeriodKind::Week if start.ordinal() <= 7 || index == 0.0 => {
            start.format("%Y-%m-%d").to_string()
        }
        PeriodKind::Day | PeriodKind::Week => start.format("%m-%d").to_string(),
        PeriodKind::Month if step >= 12 => start.format("%Y").to_string(),
        PeriodKind::Month => start.format("%Y-%m").to_string(),
        PeriodKind::Year => start.format("%Y").to_string(),
    }
}

fn count_axis_label(value: f64) -> String {
    if value < 0.0 || value.fract().abs() > 1e-9 {
        String::new()
    } else {
        super::thousands(value as usize)
    }
}

/// A period as a person says it: `14 March 2022`, `week of 14 March 2022`,
/// `March 2022`, `2022`.
pub fn period_title(kind: PeriodKind, period: &Period) -> String {
    let start = period.start;
    match kind {
        PeriodKind::Day => day(start),
        PeriodKind::Week => format!("Week of {}", day(start)),
        PeriodKind::Month => start.format("%B %Y").to_string(),
        PeriodKind::Year => start.format("%Y").to_string(),
    }
}

/// `14 March 2022`.
pub fn day(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(y: i32, m: u32, d: u32) -> Period {
        let start = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Period {
            start,
            end: start.succ_opt().unwrap(),
            count: 0,
            narrow: Narrow::default(),
        }
    }

    #[test]
    fn the_pointer_finds_the_bar_of_its_layer() {
        let periods = [period(2022, 3, 1), period(2022, 3, 2)];
        let narrow = Narrow::default();
        let layer = |counts: &'static [u32]| Layer {
            label: "x",
            counts,
            total: counts.iter().sum(),
            narrow: Some(&narrow),
            color: OTHER_COLOR,
        };
        let layers = [layer(&[2, 0]), layer(&[3, 4])];
        let bases = stack_bases(2, &layers);
        assert_eq!(bases, vec![vec![0, 0], vec![2, 0]]);
        let at = |x, y| target_at(x, y, &periods, &layers, &bases);
        assert_eq!(at(0.1, 1.0).unwrap().layer, Some(0));
        assert_eq!(at(-0.2, 4.0).unwrap().layer, Some(1));
        // The second period has no bar of the first layer: the second starts at 0.
        assert_eq!(at(1.0, 1.0).unwrap().layer, Some(1));
        assert_eq!(
            at(1.0, 9.0),
            Some(Target {
                period: 1,
                layer: None
            })
        );
        assert_eq!(at(2.0, 1.0), None);
        assert_eq!(at(-0.7, 1.0), None);
    }

    #[test]
    fn labels_leave_room_and_fall_on_calendar_boundaries() {
        assert_eq!(label_step(PeriodKind::Month, 30.0), 2);
        assert_eq!(label_step(PeriodKind::Month, 4.0), 24);
        assert_eq!(label_step(PeriodKind::Day, 100.0), 1);
        let months: Vec<Period> = (1..=12).map(|m| period(2022, m, 1)).collect();
        let input = GridInput {
            bounds: (-0.5, 11.5),
            base_step_size: 0.1,
        };
        let marks: Vec<f64> = period_marks(input, &months, PeriodKind::Month, 3)
            .iter()
            .map(|m| m.value)
            .collect();
        assert_eq!(marks, [0.0, 3.0, 6.0, 9.0]);
        assert_eq!(count_axis_label(2.5), "");
        assert_eq!(count_axis_label(1500.0), "1,500");
    }
}
