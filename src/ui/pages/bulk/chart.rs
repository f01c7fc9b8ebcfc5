//! The counts per diagnosis as a bar chart: a row per code with its name, a
//! bar (a canvas) as long as its share of the biggest count, and the count.
//! Colours come from the theme: success for `ok`, danger for the rest.

use std::collections::BTreeMap;

use iced::widget::{Column, row, text};
use iced::{Alignment, Element, Font};

use super::Message;
use crate::ui::widget::bar::{self, Tone};

pub(super) fn view<'a>(counts: &BTreeMap<&'static str, usize>) -> Element<'a, Message> {
    let most = counts.values().copied().max().unwrap_or(1).max(1) as f32;
    let mut chart = Column::new().spacing(6);
    for (&code, &count) in counts {
        let tone = match code {
            "ok" => Tone::Good,
            "cancelled" => Tone::Warning,
            _ => Tone::Bad,
        };
        chart = chart.push(
            row![
                text(code).font(Font::MONOSPACE).size(14).width(200),
                bar::bar(0.0, count as f32 / most, tone),
                text(count.to_string()).width(48),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        );
    }
    chart.into()
}
