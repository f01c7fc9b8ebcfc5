//! The bulk page's list of finished rows (line, address, server, code, time),
//! sorted by the column whose header was pressed, and the buttons that show
//! only one code's rows.

use std::cmp::Ordering;
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

/// The rows the table shows, in its order, with the sort and the filter that
/// made it. Kept in the page's state: a row that arrives is put in its place
/// (rows stream in while the table is on screen), the whole order is made
/// again only when the sort or the filter changes, and drawing reads it.
#[derive(Debug)]
pub(super) struct Shown {
    sort: (Column, bool),
    filter: Option<&'static str>,
    /// Indices into the run's outcomes.
    order: Vec<usize>,
}

impl Default for Shown {
    fn default() -> Self {
        Shown {
            sort: (Column::Line, true),
            filter: None,
            order: Vec::new(),
        }
    }
}

impl Shown {
    pub(super) fn sort(&self) -> (Column, bool) {
        self.sort
    }

    pub(super) fn filter(&self) -> Option<&'static str> {
        self.filter
    }

    /// The shown rows, in order.
    pub(super) fn rows<'a>(
        &'a self,
        outcomes: &'a [Arc<Outcome>],
    ) -> impl Iterator<Item = &'a Outcome> + 'a {
        self.order.iter().map(move |&i| outcomes[i].as_ref())
    }

    /// The last of `outcomes` just arrived: in its place if the filter lets it
    /// through (after its equals, as a stable sort would put it).
    pub(super) fn arrived(&mut self, outcomes: &[Arc<Outcome>]) {
        let Some(index) = outcomes.len().checked_sub(1) else {
            return;
        };
        if !self.lets_through(&outcomes[index]) {
            return;
        }
        let (new, sort) = (outcomes[index].as_ref(), self.sort);
        let at = self
            .order
            .partition_point(|&i| order(&outcomes[i], new, sort) != Ordering::Greater);
        self.order.insert(at, index);
    }

    /// Pressing a column's header: by it ascending, or the other way when it
    /// is the sort already.
    pub(super) fn sort_by(&mut self, column: Column, outcomes: &[Arc<Outcome>]) {
        self.sort = if self.sort.0 == column {
            (column, !self.sort.1)
        } else {
            (column, true)
        };
        self.rebuild(outcomes);
    }

    pub(super) fn filter_by(&mut self, code: Option<&'static str>, outcomes: &[Arc<Outcome>]) {
        self.filter = code;
        self.rebuild(outcomes);
    }

    /// A new run: no rows and no filter (the sort stays).
    pub(super) fn clear(&mut self) {
        self.filter = None;
        self.order.clear();
    }

    /// The whole order again (a stable sort: equal rows in the order they came).
    fn rebuild(&mut self, outcomes: &[Arc<Outcome>]) {
        self.order = (0..outcomes.len())
            .filter(|&i| self.lets_through(&outcomes[i]))
            .collect();
        let sort = self.sort;
        self.order
            .sort_by(|&a, &b| order(&outcomes[a], &outcomes[b], sort));
    }

    fn lets_through(&self, outcome: &Outcome) -> bool {
        self.filter
            .is_none_or(|code| outcome.code().as_str() == code)
    }
}

/// The table's order: by the column (ties by line), reversed when descending.
fn order(a: &Outcome, b: &Outcome, (sort, ascending): (Column, bool)) -> Ordering {
    let order = match sort {
        Column::Line => a.line.cmp(&b.line),
        Column::Address => a.address.cmp(&b.address),
        Column::Server => a.server.cmp(&b.server),
        Column::Code => a.code().as_str().cmp(b.code().as_str()),
        Column::Time => a.elapsed.cmp(&b.elapsed),
    }
    .then(a.line.cmp(&b.line));
    if ascending { order } else { order.reverse() }
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

/// The header (each a button that sorts) and the rows the filter lets
/// through, in the order kept in `shown`.
pub(super) fn table<'a>(outcomes: &'a [Arc<Outcome>], shown: &'a Shown) -> Element<'a, Message> {
    let (sort, ascending) = shown.sort();
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
    let mut list = Rows::new().spacing(4);
    for outcome in shown.rows(outcomes) {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::core::check::Report;
    use crate::core::check::diagnosis::{Code, Diagnosis};

    fn outcome(line: usize, address: &str, code: Code, ms: u64) -> Arc<Outcome> {
        Arc::new(Outcome {
            line,
            address: address.to_owned(),
            server: "127.0.0.1:587".to_owned(),
            report: Report::not_started(Diagnosis::new(code), None),
            elapsed: Duration::from_millis(ms),
            paused: Duration::ZERO,
        })
    }

    fn lines(shown: &Shown, outcomes: &[Arc<Outcome>]) -> Vec<usize> {
        shown.rows(outcomes).map(|o| o.line).collect()
    }

    #[test]
    fn rows_arriving_take_their_place_in_the_sort_and_the_filter() {
        let arriving = [
            outcome(4, "d@x", Code::Ok, 30),
            outcome(2, "b@x", Code::AuthFailed, 10),
            outcome(5, "a@x", Code::Ok, 10),
            outcome(3, "c@x", Code::AuthFailed, 40),
        ];
        let mut shown = Shown::default();
        let mut outcomes = Vec::new();
        // By time, slowest first; only the failed logins.
        shown.sort_by(Column::Time, &outcomes);
        shown.sort_by(Column::Time, &outcomes);
        shown.filter_by(Some("auth_failed"), &outcomes);
        for row in &arriving {
            outcomes.push(row.clone());
            shown.arrived(&outcomes);
        }
        assert_eq!(lines(&shown, &outcomes), [3, 2]);
        // All of them: equal times by line, the other way.
        shown.filter_by(None, &outcomes);
        assert_eq!(lines(&shown, &outcomes), [3, 4, 5, 2]);
        shown.sort_by(Column::Address, &outcomes);
        assert_eq!(lines(&shown, &outcomes), [5, 2, 3, 4]);
        outcomes.push(outcome(1, "bb@x", Code::Ok, 1));
        shown.arrived(&outcomes);
        assert_eq!(lines(&shown, &outcomes), [5, 2, 1, 3, 4]);
        shown.clear();
        assert_eq!(shown.filter(), None);
        assert_eq!(shown.sort(), (Column::Address, true));
        assert!(lines(&shown, &[]).is_empty());
    }
}
