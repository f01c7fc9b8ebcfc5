//! The pages' icons, drawn as strokes on a canvas in the colour of the text
//! beside them, so they follow the theme and need no image decoder or icon font.

use iced::mouse;
use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke, path::Builder};
use iced::widget::{Row, row, text};
use iced::{Alignment, Element, Point, Rectangle, Renderer, Size, Theme};

/// The size icons are drawn at, in logical pixels.
const SIZE: f32 = 18.0;
/// Icons are designed on a 24-unit grid and scaled to [`SIZE`].
const GRID: f32 = 24.0;

/// One icon per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// Delivery method: an envelope.
    Delivery,
    /// SMTP: a server rack.
    Smtp,
    /// Sendmail: a terminal with its prompt.
    Sendmail,
    /// Check: a tick in a circle.
    Check,
    /// Incoming (IMAP): an inbox tray with an arrow into it.
    Incoming,
    /// Providers & domains: a globe.
    Directory,
    /// Preferences: sliders.
    Preferences,
}

/// Which of the theme's text colours the icon takes: the plain text's, or the
/// text's on a primary (selected) button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Text,
    OnPrimary,
}

/// An icon followed by its label, for buttons and titles.
pub fn labelled<'a, Message: 'a>(icon: Icon, tone: Tone, label: String) -> Row<'a, Message> {
    row![drawn(icon, tone), text(label)]
        .spacing(8)
        .align_y(Alignment::Center)
}

/// The icon alone.
pub fn drawn<'a, Message: 'a>(icon: Icon, tone: Tone) -> Element<'a, Message> {
    canvas::Canvas::new(Drawing { icon, tone })
        .width(SIZE)
        .height(SIZE)
        .into()
}

struct Drawing {
    icon: Icon,
    tone: Tone,
}

impl<Message> canvas::Program<Message> for Drawing {
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
            Tone::Text => palette.background.base.text,
            Tone::OnPrimary => palette.primary.base.text,
        };
        let mut frame = Frame::new(renderer, bounds.size());
        let scale = bounds.width.min(bounds.height) / GRID;
        frame.scale(scale);
        // The scale moves the points only: the width is in pixels.
        let stroke = Stroke::default()
            .with_color(color)
            .with_width(1.5)
            .with_line_cap(canvas::LineCap::Round)
            .with_line_join(canvas::LineJoin::Round);
        frame.stroke(&outline(self.icon), stroke);
        for &dot in dots(self.icon) {
            frame.fill(&Path::circle(dot, 1.2), color);
        }
        vec![frame.into_geometry()]
    }
}

fn p(x: f32, y: f32) -> Point {
    Point::new(x, y)
}

/// Open polyline through `points`.
fn polyline(builder: &mut Builder, points: &[(f32, f32)]) {
    let mut points = points.iter();
    if let Some(&(x, y)) = points.next() {
        builder.move_to(p(x, y));
    }
    for &(x, y) in points {
        builder.line_to(p(x, y));
    }
}

/// The stroked lines of each icon, on the 24-unit grid.
fn outline(icon: Icon) -> Path {
    Path::new(|b| match icon {
        Icon::Delivery => {
            b.rounded_rectangle(p(2.0, 4.0), Size::new(20.0, 16.0), 2.0.into());
            polyline(b, &[(2.5, 6.5), (12.0, 13.0), (21.5, 6.5)]);
        }
        Icon::Smtp => {
            b.rounded_rectangle(p(2.0, 2.0), Size::new(20.0, 8.0), 2.0.into());
            b.rounded_rectangle(p(2.0, 14.0), Size::new(20.0, 8.0), 2.0.into());
        }
        Icon::Sendmail => {
            b.rounded_rectangle(p(2.0, 4.0), Size::new(20.0, 16.0), 2.0.into());
            polyline(b, &[(6.5, 9.0), (9.5, 12.0), (6.5, 15.0)]);
            polyline(b, &[(12.0, 15.0), (17.0, 15.0)]);
        }
        Icon::Incoming => {
            polyline(
                b,
                &[
                    (2.0, 13.0),
                    (7.0, 13.0),
                    (9.0, 16.0),
                    (15.0, 16.0),
                    (17.0, 13.0),
                    (22.0, 13.0),
                ],
            );
            b.rounded_rectangle(p(2.0, 8.0), Size::new(20.0, 13.0), 2.0.into());
            polyline(b, &[(12.0, 2.0), (12.0, 11.0)]);
            polyline(b, &[(9.0, 8.0), (12.0, 11.0), (15.0, 8.0)]);
        }
        Icon::Check => {
            b.circle(p(12.0, 12.0), 10.0);
            polyline(b, &[(8.0, 12.0), (11.0, 15.0), (16.0, 9.0)]);
        }
        Icon::Directory => {
            b.circle(p(12.0, 12.0), 10.0);
            polyline(b, &[(2.0, 12.0), (22.0, 12.0)]);
            // The meridian: two arcs meeting at the poles.
            b.move_to(p(12.0, 2.0));
            b.quadratic_curve_to(p(4.0, 12.0), p(12.0, 22.0));
            b.quadratic_curve_to(p(20.0, 12.0), p(12.0, 2.0));
        }
        Icon::Preferences => {
            for (y, knob) in [(5.0, 14.0), (12.0, 8.0), (19.0, 16.0)] {
                polyline(b, &[(3.0, y), (knob - 2.5, y)]);
                polyline(b, &[(knob + 2.5, y), (21.0, y)]);
                b.circle(p(knob, y), 2.5);
            }
        }
    })
}

/// Small filled dots: the server's lights.
fn dots(icon: Icon) -> &'static [Point] {
    const SERVER: [Point; 2] = [Point::new(6.0, 6.0), Point::new(6.0, 18.0)];
    match icon {
        Icon::Smtp => &SERVER,
        _ => &[],
    }
}
