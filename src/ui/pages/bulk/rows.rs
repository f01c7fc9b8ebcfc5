//! The bulk page's list of finished rows (line, address, server, code, time),
//! sorted by the column whose header was pressed, and the buttons that show
//! only one code's rows.

use std::collections::BTreeMap;
use std::sync::Arc;

use iced::widget::{Column as Rows, button, column, row, text};
use iced::{Element, Font, Length, Theme};

use super::Message;
use crate::core::bulk::Outcome;
use crate::fl;

/// A column the rows can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Line,
    Address,
    Server,
    Code,
    Time,
}

const COLUMNS: [Column; 5] = [
    Column::Line,
    Column::Address,
    Column::Server,
    Column::Code,
    Column::Time,
];

impl Column {
    fn label(self) -> String {
        match self {
            Column::Line => fl!("bulk-column-line"),
            Column::Address => fl!("bulk-column-address"),
            Column::Server => fl!("bulk-column-server"),
            Column::Code => fl!("bulk-column-code"),
            Column::Time => fl!("bulk-column-time"),
        }
    }

    fn width(self) -> Length {
        match self {
            Column::Line => Length::Fixed(72.0),
            Column::Address => Length::FillPortion(4),
            Column::Server => Length::FillPortion(3),
            Column::Code => Length::FillPortion(3),
            Column::Time => Length::Fixed(64.0),
        }
    }
}

/// "All", then one button per code with its count; the chosen one stands out.
pub(super) fn filters<'a>(
    counts: &BTreeMap<&'static str, usize>,
    chosen: Option<&'static str>,
) -> Element<'a, Message> {
    let style = |on: bool| {
        if on {
            button::primary
        } else {
            button::secondary
        }
    };
    let mut buttons = row![
        button(text(fl!("bulk-filter-all")))
            .style(style(chosen.is_none()))
            .on_press(Message::Filter(None))
    ]
    .spacing(6);
    for (&code, &count) in counts {
        buttons = buttons.push(
            button(text(format!("{code} ({count})")))
                .style(style(chosen == Some(code)))
                .on_press(Message::Filter(Some(code))),
        );
    }
    // Many codes (or long Russian labels) go on to the next line.
    buttons.wrap().vertical_spacing(6).into()
}

/// The header (each a button that sorts) and the rows the filter lets through.
pub(super) fn table<'a>(
    outcomes: &'a [Arc<Outcome>],
    (sort, ascending): (Column, bool),
    filter: Option<&'static str>,
) -> Element<'a, Message> {
    let mut header = row![].spacing(6);
    for column in COLUMNS {
        let mut label = column.label();
        if column == sort {
            label.push_str(if ascending { " ▲" } else { " ▼" });
        }
        header = header.push(
            button(text(label).size(13))
                .style(button::text)
                .padding([2, 0])
                .width(column.width())
                .on_press(Message::Sort(column)),
        );
    }
    let mut shown: Vec<&Outcome> = outcomes
        .iter()
        .map(|o| o.as_ref())
        .filter(|o| filter.is_none_or(|code| o.code().as_str() == code))
        .collect();
    shown.sort_by(|a, b| {
        let order = match sort {
            Column::Line => a.line.cmp(&b.line),
            Column::Address => a.address.cmp(&b.address),
            Column::Server => a.server.cmp(&b.server),
            Column::Code => a.code().as_str().cmp(b.code().as_str()),
            Column::Time => a.elapsed.cmp(&b.elapsed),
        }
        .then(a.line.cmp(&b.line));
        if ascending { order } else { order.reverse() }
    });
    let mut list = Rows::new().spacing(4);
    for outcome in shown {
        let ok = outcome.report.ok();
        let code_style = move |theme: &Theme| text::Style {
            color: Some(if ok {
                theme.extended_palette().success.base.color
            } else {
                theme.extended_palette().danger.base.color
            }),
        };
        // Addresses, servers and codes have no spaces: in a narrow window
        // they wrap anywhere rather than run into the next column.
        let cell = |content: String, column: Column| {
            text(content)
                .size(14)
                .wrapping(text::Wrapping::WordOrGlyph)
                .width(column.width())
        };
        list = list.push(
            row![
                cell(outcome.line.to_string(), Column::Line),
                cell(outcome.address.clone(), Column::Address),
                cell(outcome.server.clone(), Column::Server)
                    .font(Font::MONOSPACE)
                    .size(12),
                cell(outcome.code().as_str().to_owned(), Column::Code)
                    .font(Font::MONOSPACE)
                    .size(12)
                    .style(code_style),
                cell(
                    fl!("ms-value", ms = (outcome.elapsed.as_millis() as u64)),
                    Column::Time
                ),
            ]
            .spacing(6)
            .align_y(iced::Alignment::Center),
        );
    }
    column![header, iced::widget::rule::horizontal(1), list]
        .spacing(4)
        .into()
}
