//! The check's waterfall: a bar per step on one time axis, so where the time
//! went shows at a glance. Steps run one after another, each timed from its
//! own start (`elapsed_ms`), so each bar starts where the one before ended.
//! The bars are drawn on canvases in the theme's colours; the step names (the
//! stable ones the step list shows), times and the axis's total are text.

use iced::widget::{Column, row, space, text};
use iced::{Alignment, Element, Font};

use crate::core::check::{Step, StepStatus};
use crate::fl;
use crate::ui::widget::bar::{self, Tone};

/// The width of the step names' column and of the times' column.
const NAME: f32 = 90.0;
const TIME: f32 = 80.0;

/// The waterfall of `steps`, or nothing when there are none.
pub(crate) fn view<'a, M: 'a>(steps: &[Step]) -> Option<Element<'a, M>> {
    // A skipped step took no time: the list above names it, the chart leaves it out.
    let steps: Vec<&Step> = steps
        .iter()
        .filter(|s| s.status != StepStatus::Skipped)
        .collect();
    if steps.is_empty() {
        return None;
    }
    let times: Vec<u64> = steps.iter().map(|s| s.elapsed_ms).collect();
    let total: u64 = times.iter().sum();
    let mut chart = Column::new().spacing(4);
    for (step, (from, to)) in steps.iter().zip(spans(&times)) {
        let tone = match step.status {
            StepStatus::Ok => Tone::Neutral,
            StepStatus::Warning => Tone::Warning,
            StepStatus::Failed => Tone::Bad,
            StepStatus::Skipped => Tone::Faint,
        };
        chart = chart.push(
            row![
                text(step.name.as_str())
                    .font(Font::MONOSPACE)
                    .size(13)
                    .width(NAME),
                bar::bar(from, to, tone),
                text(fl!("ms-value", ms = step.elapsed_ms))
                    .size(13)
                    .width(TIME),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
    }
    // The shared axis: from 0 to the whole check's time.
    chart = chart.push(
        row![
            space::horizontal().width(NAME),
            bar::axis(),
            space::horizontal().width(TIME)
        ]
        .spacing(8),
    );
    chart = chart.push(
        row![
            space::horizontal().width(NAME),
            text("0").size(12),
            space::horizontal(),
            text(fl!("check-waterfall-total", ms = total)).size(12),
            space::horizontal().width(TIME),
        ]
        .spacing(8),
    );
    Some(chart.into())
}

/// Each step's share of the axis, `from..to` in 0..=1: each starts where the
/// one before ended, and the last ends at 1.
fn spans(times: &[u64]) -> Vec<(f32, f32)> {
    let total = times.iter().sum::<u64>().max(1) as f32;
    let mut start = 0_u64;
    times
        .iter()
        .map(|&ms| {
            let from = start as f32 / total;
            start += ms;
            (from, start as f32 / total)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::spans;

    #[test]
    fn bars_follow_each_other_on_one_axis_ending_at_the_total() {
        assert_eq!(
            spans(&[100, 0, 300]),
            [(0.0, 0.25), (0.25, 0.25), (0.25, 1.0)]
        );
        // A check too quick to measure still has its bars.
        assert_eq!(spans(&[0, 0]), [(0.0, 0.0), (0.0, 0.0)]);
    }
}
