//! One bar of a chart, drawn on a canvas in a colour of the theme: it fills
//! its share `from..to` (0 to 1) of the width it is given. Charts lay bars out
//! in rows beside ordinary text (names, counts, times), so every word is a
//! text widget: laid out, translated and readable like the rest of the window.

use iced::mouse;
use iced::widget::canvas::{self, Frame, Geometry, Path};
use iced::widget::{Row, space};
use iced::{Element, Length, Point, Rectangle, Renderer, Size, Theme};

/// What a bar means, and so its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warning,
    Bad,
    /// Plain information (a step's time).
    Neutral,
    /// Nothing happened (a skipped step).
    Faint,
}

/// The thickness of a bar with its margin, in logical pixels.
pub const THICKNESS: f32 = 18.0;
/// The margin inside a bar's canvas.
const INSET: f32 = 2.0;

/// A bar over the share `from..to` of the width; a share too small to see
/// still shows as a sliver.
pub fn bar<'a, Message: 'a>(from: f32, to: f32, tone: Tone) -> Element<'a, Message> {
    // The canvas is as wide as the bar, not the row: when a count changes its
    // bounds change, so the renderer redraws the old and the new area (a
    // canvas of fixed bounds left stale pixels of its longer past self).
    const PARTS: f32 = 1000.0;
    let (from, to) = (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0).max(from));
    let before = (from * PARTS).round() as u16;
    let length = ((to - from) * PARTS).round() as u16;
    let after = (PARTS as u16).saturating_sub(before + length);
    let width = if length == 0 {
        Length::Fixed(2.0 + 2.0 * INSET)
    } else {
        Length::FillPortion(length)
    };
    let mut line = Row::new().height(THICKNESS);
    if before > 0 {
        line = line.push(space::horizontal().width(Length::FillPortion(before)));
    }
    line = line.push(
        canvas::Canvas::new(Bar {
            from: 0.0,
            to: 1.0,
            tone,
        })
        .width(width)
        .height(THICKNESS),
    );
    if after > 0 {
        line = line.push(space::horizontal().width(Length::FillPortion(after)));
    }
    line.width(Length::Fill).into()
}

/// A thin line across the width: a chart's time axis.
pub fn axis<'a, Message: 'a>() -> Element<'a, Message> {
    canvas::Canvas::new(Bar {
        from: 0.0,
        to: 1.0,
        tone: Tone::Faint,
    })
    .width(Length::Fill)
    .height(1.0 + 2.0 * INSET)
    .into()
}

struct Bar {
    from: f32,
    to: f32,
    tone: Tone,
}

impl<Message> canvas::Program<Message> for Bar {
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
        let color = match self.tone {
            Tone::Good => palette.success.base.color,
            Tone::Warning => palette.warning.base.color,
            Tone::Bad => palette.danger.base.color,
            Tone::Neutral => palette.primary.base.color,
            Tone::Faint => palette.background.strong.color,
        };
        let mut frame = Frame::new(renderer, bounds.size());
        // Inset from the canvas's edges: the antialiased edge pixels stay
        // inside its bounds, which the software renderer redraws when it moves.
        // Inset from the canvas's edges and on whole pixels of the window:
        // no half-covered edge pixel is left behind when the bar moves.
        let inset = INSET.min(bounds.height / 4.0);
        let left = (bounds.x + self.from.clamp(0.0, 1.0) * bounds.width + inset).ceil();
        let right = (bounds.x + self.to.clamp(0.0, 1.0) * bounds.width - inset).floor();
        let top = (bounds.y + inset).ceil();
        let bottom = (bounds.y + bounds.height - inset).floor();
        frame.fill(
            &Path::rectangle(
                Point::new(left - bounds.x, top - bounds.y),
                Size::new((right - left).max(1.0), (bottom - top).max(1.0)),
            ),
            color,
        );
        vec![frame.into_geometry()]
    }
}
