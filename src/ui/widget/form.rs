//! Form rows: a label column of one width, the input, and the field's inline
//! message under it, so every page lines up the same way.

use iced::widget::{Column, TextInput, column, container, pick_list, row, text, text_input};
use iced::{Alignment, Element, Length, Theme};

use crate::ui::issues::Issues;

/// The width of the label column on every page.
pub const LABEL_WIDTH: f32 = 170.0;

/// A labelled row with an optional inline error under the input.
pub fn field<'a, Message: 'a>(
    label: String,
    input: impl Into<Element<'a, Message>>,
    error: Option<String>,
) -> Element<'a, Message> {
    let mut right = column![input.into()].spacing(4).width(Length::Fill);
    if let Some(error) = error {
        right = right.push(error_text(error));
    }
    row![
        container(text(label)).width(LABEL_WIDTH).padding([6, 0]),
        right
    ]
    .spacing(12)
    .align_y(Alignment::Start)
    .into()
}

/// A form's text input: its widget id, placeholder and value; read-only
/// without `on` (a profile that cannot be written).
pub fn input<'a, Message: Clone + 'a>(
    id: &'static str,
    placeholder: &str,
    value: &'a str,
    on: Option<fn(String) -> Message>,
) -> TextInput<'a, Message> {
    text_input(placeholder, value)
        .id(id)
        .on_input_maybe(on)
        .padding(6)
}

/// A labelled row whose input's widget id is also the field its validation
/// message is for (`smtp.host`), so the message always stands by its input.
pub fn text_row<'a, Message: Clone + 'a>(
    label: String,
    input: TextInput<'a, Message>,
    field_id: &'static str,
    issues: &Issues,
) -> Element<'a, Message> {
    field(label, input, issues.get(field_id))
}

/// A pick list of `all`, shown under translated labels, that sends `on(value)`.
pub fn picker<'a, T, Message>(
    all: &[T],
    current: T,
    label: impl Fn(T) -> String,
    on: fn(T) -> Message,
) -> Element<'a, Message>
where
    T: Copy + PartialEq + 'static,
    Message: Clone + 'a,
{
    let (options, selected) = labelled(all, current, label);
    pick_list(options, selected, move |chosen: Labelled<T>| {
        on(chosen.value)
    })
    .into()
}

/// Labelled values read, not edited (a report's facts), lined up like the
/// form rows.
pub fn facts<'a, Message: 'a>(lines: Vec<(String, String)>) -> Element<'a, Message> {
    let mut list = column![].spacing(4);
    for (label, value) in lines {
        list = list.push(
            row![
                text(label).width(LABEL_WIDTH),
                text(value).width(Length::Fill)
            ]
            .spacing(12),
        );
    }
    list.into()
}

/// A section heading inside a page.
pub fn heading<'a, Message: 'a>(title: String) -> Element<'a, Message> {
    text(title).size(18).into()
}

/// A page: a title and its rows, spaced evenly.
pub fn page<'a, Message: 'a>(rows: Vec<Element<'a, Message>>) -> Element<'a, Message> {
    Column::with_children(rows)
        .spacing(12)
        .padding(20)
        .max_width(820)
        .into()
}

/// Red text that reads in light and dark themes alike.
pub fn error_text<'a, Message: 'a>(message: String) -> Element<'a, Message> {
    text(message)
        .size(13)
        .style(|theme: &Theme| text::Style {
            color: Some(theme.extended_palette().danger.base.color),
        })
        .into()
}

/// A warning, in the theme's warning colour.
pub fn warning_text<'a, Message: 'a>(message: String) -> Element<'a, Message> {
    text(message)
        .size(13)
        .style(|theme: &Theme| text::Style {
            color: Some(theme.extended_palette().warning.strong.color),
        })
        .into()
}

/// A quiet note (where a value came from, what a setting does).
pub fn note<'a, Message: 'a>(message: String) -> Element<'a, Message> {
    text(message)
        .size(13)
        .style(|theme: &Theme| text::Style {
            color: Some(theme.extended_palette().background.strong.text),
        })
        .into()
}

/// A value shown in a pick list under a translated label.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled<T> {
    pub value: T,
    pub label: String,
}

impl<T> std::fmt::Display for Labelled<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// The options of a pick list and the selected one, labelled in the current language.
pub fn labelled<T: Copy + PartialEq>(
    all: &[T],
    current: T,
    label: impl Fn(T) -> String,
) -> (Vec<Labelled<T>>, Option<Labelled<T>>) {
    let options: Vec<Labelled<T>> = all
        .iter()
        .map(|&value| Labelled {
            value,
            label: label(value),
        })
        .collect();
    let selected = options.iter().find(|o| o.value == current).cloned();
    (options, selected)
}
