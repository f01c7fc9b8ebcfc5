//! The delivery path as a picture: a line from "sent" to "seen" with a dot for
//! each server the message passed, the gaps as wide as the delays between
//! them (with a least width, so a fast hop stays visible), each delay written
//! over its gap and each server's name under its dot. Drawn on a canvas in the
//! theme's colours; the labels are in the interface language.

use iced::alignment::Vertical;
use iced::mouse;
use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke};
use iced::widget::text::Alignment;
use iced::{Element, Length, Point, Rectangle, Renderer, Theme};

use crate::core::roundtrip::Report;
use crate::fl;

/// The canvas's height in logical pixels.
const HEIGHT: f32 = 96.0;
const MARGIN: f32 = 48.0;
const MIN_GAP: f32 = 56.0;
const LABEL_CHARS: usize = 22;

/// One dot: its label and the delay since the dot before (milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub label: String,
    pub delay_ms: Option<i64>,
}

/// The dots of a report: sent, each hop, seen.
pub(crate) fn nodes(report: &Report) -> Vec<Node> {
    let mut nodes = vec![Node {
        label: fl!("roundtrip-node-sent"),
        delay_ms: None,
    }];
    for hop in &report.hops {
        nodes.push(Node {
            label: hop
                .by
                .clone()
                .or_else(|| hop.with.clone())
                .unwrap_or_else(|| "?".to_owned()),
            delay_ms: hop.delay_ms,
        });
    }
    // The last hop's timestamp to the moment the mailbox showed the message.
    let last = report.hops.iter().rev().find_map(|h| h.at);
    let seen = match (last, report.arrived_at) {
        (Some(last), Some(arrived)) => i64::try_from((arrived - last).whole_milliseconds()).ok(),
        _ => None,
    };
    if report.arrived_at.is_some() {
        nodes.push(Node {
            label: fl!("roundtrip-node-seen"),
            delay_ms: seen,
        });
    }
    nodes
}

/// The x of each dot across `width`: gaps shared in proportion to the delays.
pub(crate) fn positions(nodes: &[Node], width: f32) -> Vec<f32> {
    let gaps = nodes.len().saturating_sub(1);
    if gaps == 0 {
        return vec![width / 2.0; nodes.len()];
    }
    let usable = (width - 2.0 * MARGIN).max(0.0);
    let min_gap = MIN_GAP.min(usable / gaps as f32);
    let spare = usable - min_gap * gaps as f32;
    let weights: Vec<f32> = nodes[1..]
        .iter()
        .map(|n| n.delay_ms.unwrap_or(0).max(0) as f32)
        .collect();
    let total: f32 = weights.iter().sum();
    let mut x = MARGIN;
    let mut out = vec![x];
    for weight in weights {
        let share = if total > 0.0 {
            spare * weight / total
        } else {
            spare / gaps as f32
        };
        x += min_gap + share;
        out.push(x);
    }
    out
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let head: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{head}…")
}

pub(crate) fn view<'a, M: 'a>(report: &Report) -> Element<'a, M> {
    canvas::Canvas::new(Timeline {
        nodes: nodes(report),
    })
    .width(Length::Fill)
    .height(HEIGHT)
    .into()
}

struct Timeline {
    nodes: Vec<Node>,
}

impl<M> canvas::Program<M> for Timeline {
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
        let line = palette.background.strong.color;
        let dot = palette.primary.base.color;
        let label = palette.background.base.text;
        let quiet = palette.background.strong.text;
        let mut frame = Frame::new(renderer, bounds.size());
        let y = bounds.height / 2.0;
        let xs = positions(&self.nodes, bounds.width);
        if let (Some(first), Some(last)) = (xs.first(), xs.last()) {
            frame.stroke(
                &Path::line(Point::new(*first, y), Point::new(*last, y)),
                Stroke::default().with_color(line).with_width(3.0),
            );
        }
        let text = |content: String, position: Point, color, align_y| canvas::Text {
            content,
            position,
            color,
            size: 12.0.into(),
            align_x: Alignment::Center,
            align_y,
            shaping: iced::widget::text::Shaping::Advanced,
            ..canvas::Text::default()
        };
        for (index, (node, x)) in self.nodes.iter().zip(&xs).enumerate() {
            frame.fill(&Path::circle(Point::new(*x, y), 6.0), dot);
            // Labels alternate below and further below, so long names do not collide.
            let below = if index % 2 == 0 { 10.0 } else { 26.0 };
            frame.fill_text(text(
                shorten(&node.label),
                Point::new(*x, y + below),
                label,
                Vertical::Top,
            ));
            if index > 0
                && let Some(delay) = node.delay_ms
            {
                let middle = (xs[index - 1] + x) / 2.0;
                frame.fill_text(text(
                    super::delay_text(delay),
                    Point::new(middle, y - 8.0),
                    quiet,
                    Vertical::Bottom,
                ));
            }
        }
        vec![frame.into_geometry()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(delay: Option<i64>) -> Node {
        Node {
            label: "x".into(),
            delay_ms: delay,
        }
    }

    #[test]
    fn gaps_follow_the_delays_and_keep_a_least_width() {
        let nodes = [node(None), node(Some(100)), node(Some(900)), node(Some(0))];
        let xs = positions(&nodes, 600.0);
        assert_eq!(xs.len(), 4);
        assert_eq!(xs[0], MARGIN);
        assert!((xs[3] - (600.0 - MARGIN)).abs() < 0.01);
        let gaps: Vec<f32> = xs.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps[1] > gaps[0] && gaps[0] > gaps[2], "{gaps:?}");
        assert!((gaps[2] - MIN_GAP).abs() < 0.01, "a 0 ms hop keeps its gap");
        // Clock skew (a negative delay) and a narrow canvas never go backwards.
        let skewed = [node(None), node(Some(-5000)), node(Some(10))];
        let xs = positions(&skewed, 100.0);
        assert!(xs.windows(2).all(|w| w[1] >= w[0]), "{xs:?}");
    }
}
