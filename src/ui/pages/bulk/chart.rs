//! The counts per diagnosis as a bar chart drawn on a canvas: a row per code,
//! its name, a bar as long as its share of the biggest count, and the count.
//! Colours come from the theme (success for `ok`, danger for the rest).

use std::collections::BTreeMap;

use iced::alignment;
use iced::mouse;
use iced::widget::canvas::{self, Frame, Geometry, Path, Text};
use iced::{Element, Font, Length, Pixels, Point, Rectangle, Renderer, Size, Theme};

use super::Message;

const ROW: f32 = 26.0;
const BAR: f32 = 16.0;
/// The space for the code's name left of the bars.
const LABEL: f32 = 190.0;
/// The space for the count right of the longest bar.
const COUNT: f32 = 48.0;

pub(super) fn view<'a>(counts: &BTreeMap<&'static str, usize>) -> Element<'a, Message> {
    let bars: Vec<(&'static str, usize)> = counts.iter().map(|(&c, &n)| (c, n)).collect();
    let height = ROW * bars.len().max(1) as f32 + 4.0;
    canvas::Canvas::new(Chart { bars })
        .width(Length::Fill)
        .height(height)
        .into()
}

struct Chart {
    bars: Vec<(&'static str, usize)>,
}

impl canvas::Program<Message> for Chart {
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
        let most = self.bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f32;
        let room = (bounds.width - LABEL - COUNT).max(20.0);
        for (index, (code, count)) in self.bars.iter().enumerate() {
            let middle = index as f32 * ROW + ROW / 2.0;
            frame.fill_text(Text {
                content: (*code).to_owned(),
                position: Point::new(0.0, middle),
                color: palette.background.base.text,
                size: Pixels(14.0),
                font: Font::MONOSPACE,
                align_y: alignment::Vertical::Center,
                ..Text::default()
            });
            let color = if *code == "ok" {
                palette.success.base.color
            } else if *code == "cancelled" {
                palette.warning.base.color
            } else {
                palette.danger.base.color
            };
            let width = (room * *count as f32 / most).max(2.0);
            frame.fill(
                &Path::rectangle(Point::new(LABEL, middle - BAR / 2.0), Size::new(width, BAR)),
                color,
            );
            frame.fill_text(Text {
                content: count.to_string(),
                position: Point::new(LABEL + width + 6.0, middle),
                color: palette.background.base.text,
                size: Pixels(14.0),
                align_y: alignment::Vertical::Center,
                ..Text::default()
            });
        }
        vec![frame.into_geometry()]
    }
}
