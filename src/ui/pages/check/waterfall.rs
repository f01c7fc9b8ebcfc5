//! The check's waterfall: a bar per step on one time axis, so where the time
//! went shows at a glance. Steps run one after another, each timed from its
//! own start (`elapsed_ms`), so each bar starts where the one before ended.
//! Drawn on a canvas in the theme's colours; step names are the stable ones
//! the step list shows, the axis says its total in the chosen language.

use iced::alignment;
use iced::mouse;
use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke, Text};
use iced::{Element, Font, Length, Pixels, Point, Rectangle, Renderer, Size, Theme};

use crate::core::check::{Step, StepStatus};
use crate::fl;

const ROW: f32 = 22.0;
const BAR: f32 = 14.0;
/// The space for the step's name left of the axis.
const LABEL: f32 = 100.0;
/// The space right of the longest bar for its time.
const TIME: f32 = 80.0;
const AXIS: f32 = 22.0;

/// The waterfall of `steps`, or nothing when there are none.
pub(crate) fn view<'a, M: 'a>(steps: &[Step]) -> Option<Element<'a, M>> {
    if steps.is_empty() {
        return None;
    }
    let bars: Vec<Bar> = steps
        .iter()
        .map(|step| Bar {
            name: step.name.as_str(),
            status: step.status,
            ms: step.elapsed_ms,
            label: fl!("ms-value", ms = step.elapsed_ms),
        })
        .collect();
    let total: u64 = bars.iter().map(|b| b.ms).sum();
    let height = ROW * bars.len() as f32 + AXIS;
    Some(
        canvas::Canvas::new(Waterfall {
            bars,
            total_label: fl!("check-waterfall-total", ms = total),
        })
        .width(Length::Fill)
        .height(height)
        .into(),
    )
}

struct Bar {
    name: &'static str,
    status: StepStatus,
    ms: u64,
    label: String,
}

struct Waterfall {
    bars: Vec<Bar>,
    total_label: String,
}

impl<M> canvas::Program<M> for Waterfall {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let palette = theme.extended_palette();
        let mut frame = Frame::new(renderer, bounds.size());
        let room = (bounds.width - LABEL - TIME).max(20.0);
        let times: Vec<u64> = self.bars.iter().map(|b| b.ms).collect();
        let text_color = palette.background.base.text;
        for (index, (bar, (start, width))) in self.bars.iter().zip(spans(&times, room)).enumerate()
        {
            let middle = index as f32 * ROW + ROW / 2.0;
            frame.fill_text(Text {
                content: bar.name.to_owned(),
                position: Point::new(0.0, middle),
                color: text_color,
                size: Pixels(13.0),
                font: Font::MONOSPACE,
                align_y: alignment::Vertical::Center,
                ..Text::default()
            });
            let color = match bar.status {
                StepStatus::Ok => palette.primary.base.color,
                StepStatus::Warning => palette.warning.base.color,
                StepStatus::Failed => palette.danger.base.color,
                StepStatus::Skipped => palette.background.strong.color,
            };
            frame.fill(
                &Path::rectangle(
                    Point::new(LABEL + start, middle - BAR / 2.0),
                    Size::new(width, BAR),
                ),
                color,
            );
            frame.fill_text(Text {
                content: bar.label.clone(),
                position: Point::new(LABEL + start + width + 6.0, middle),
                color: text_color,
                size: Pixels(12.0),
                align_y: alignment::Vertical::Center,
                ..Text::default()
            });
        }
        // The shared axis under the bars: from 0 to the whole check's time.
        let axis_y = self.bars.len() as f32 * ROW + 2.0;
        let line = Path::line(Point::new(LABEL, axis_y), Point::new(LABEL + room, axis_y));
        frame.stroke(
            &line,
            Stroke::default()
                .with_color(palette.background.strong.color)
                .with_width(1.0),
        );
        frame.fill_text(Text {
            content: "0".to_owned(),
            position: Point::new(LABEL, axis_y + 3.0),
            color: text_color,
            size: Pixels(12.0),
            ..Text::default()
        });
        frame.fill_text(Text {
            content: self.total_label.clone(),
            position: Point::new(LABEL + room, axis_y + 3.0),
            color: text_color,
            size: Pixels(12.0),
            align_x: alignment::Horizontal::Right.into(),
            ..Text::default()
        });
        vec![frame.into_geometry()]
    }
}

/// Where each bar starts and how wide it is, on an axis `room` wide for the
/// sum of the times: each starts where the one before ended, and a step too
/// quick to measure still shows as a sliver.
fn spans(times: &[u64], room: f32) -> Vec<(f32, f32)> {
    let total: u64 = times.iter().sum();
    let scale = room / total.max(1) as f32;
    let mut start = 0.0_f32;
    times
        .iter()
        .map(|&ms| {
            let span = (start, (ms as f32 * scale).max(2.0));
            start += ms as f32 * scale;
            span
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::spans;

    #[test]
    fn bars_follow_each_other_on_one_axis_ending_at_the_total() {
        let bars = spans(&[100, 0, 300], 400.0);
        assert_eq!(bars[0], (0.0, 100.0));
        assert_eq!(bars[1], (100.0, 2.0));
        assert_eq!(bars[2], (100.0, 300.0));
        assert_eq!(bars[2].0 + bars[2].1, 400.0);
    }
}
