//! The Check tab's cards and lists of a result: the steps as they finished,
//! the diagnosis, the server's facts, and the imported sendmail command
//! awaiting confirmation. The Incoming tab and the round trip show their steps
//! and diagnosis with the same pieces.

use iced::widget::{button, column, container, row, scrollable, text};
use iced::{Element, Font, Length, Theme};

use super::Message;
use crate::core::check::{self, Report, Step, StepStatus};
use crate::core::domain::{self, SenderDomain};
use crate::core::trust;
use crate::fl;
use crate::ui::widget::form;

/// The imported command, the program and each argument on its own line (quoted
/// where a shell would need it, so spaces and empty words show), with Run.
pub(super) fn confirmation_card(command: &trust::Command) -> Element<'_, Message> {
    let line = |label: String, value: String| {
        row![
            text(label).width(form::LABEL_WIDTH),
            text(value).font(Font::MONOSPACE).width(Length::Fill),
        ]
        .spacing(8)
    };
    let mut card = column![
        text(fl!("check-confirm-title")).size(17),
        text(fl!("check-confirm-intro")),
        line(fl!("check-confirm-program"), command.path.clone()),
    ]
    .spacing(6);
    let arguments = command.arguments();
    if arguments.is_empty() {
        card = card.push(form::note(fl!("check-confirm-no-arguments")));
    }
    for (number, argument) in (1_usize..).zip(&arguments) {
        card = card.push(line(
            fl!("check-confirm-argument", number = number),
            shell_words::quote(argument).into_owned(),
        ));
    }
    card = card.push(
        row![
            button(text(fl!("check-confirm-run")))
                .style(button::danger)
                .on_press(Message::Confirm),
            button(text(fl!("cancel")))
                .style(button::secondary)
                .on_press(Message::Cancel),
        ]
        .spacing(8),
    );
    tinted_card(card, |palette| palette.warning.weak)
}

fn status_mark(status: StepStatus) -> (&'static str, fn(&Theme) -> text::Style) {
    match status {
        StepStatus::Ok => ("✓", |t| text::Style {
            color: Some(t.extended_palette().success.base.color),
        }),
        StepStatus::Warning => ("!", |t| text::Style {
            color: Some(t.extended_palette().warning.strong.color),
        }),
        StepStatus::Failed => ("✗", |t| text::Style {
            color: Some(t.extended_palette().danger.base.color),
        }),
        StepStatus::Skipped => ("–", |t| text::Style {
            color: Some(t.extended_palette().background.strong.text),
        }),
    }
}

/// How [`steps_view`] lays out a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepsLayout {
    /// The tab's width: mark, name, detail and time on one line (the Check
    /// and Incoming tabs, the round trip).
    Wide,
    /// A narrow column (the quick test's two checks side by side): the detail
    /// under its step, wrapped anywhere (a cipher suite or a capability list
    /// has no spaces to break at).
    Narrow,
}

/// The steps as they finished (also the Incoming tab's, the round trip's and
/// the quick test's).
pub(crate) fn steps_view<'a, M: 'a>(steps: &'a [Step], layout: StepsLayout) -> Element<'a, M> {
    let mut list = column![].spacing(4);
    for step in steps {
        let (mark, style) = status_mark(step.status);
        let mark = text(mark).width(18).style(style);
        let name = text(step.name.as_str()).font(Font::MONOSPACE);
        let elapsed = text(fl!("ms-value", ms = step.elapsed_ms)).size(13);
        let entry: Element<'a, M> = match layout {
            StepsLayout::Wide => row![
                mark,
                name.width(90),
                text(step.detail.clone()).width(Length::Fill),
                elapsed,
            ]
            .spacing(8)
            .into(),
            StepsLayout::Narrow => {
                let mut entry = column![row![mark, name.width(Length::Fill), elapsed].spacing(8)];
                if !step.detail.is_empty() {
                    entry = entry.push(
                        container(
                            text(step.detail.clone())
                                .size(13)
                                .wrapping(text::Wrapping::WordOrGlyph),
                        )
                        .padding(iced::Padding::ZERO.left(26)),
                    );
                }
                entry.into()
            }
        };
        list = list.push(entry);
    }
    list.into()
}

/// A diagnosis on its own: explanation and hint on the success or danger shade.
pub(crate) fn diagnosis_box<'a, M: 'a>(diagnosis: &check::Diagnosis) -> Element<'a, M> {
    diagnosis_with(diagnosis, None::<Element<'a, M>>)
}

/// The Check tab's diagnosis: the same card, with Apply when the check found a fix.
pub(super) fn diagnosis_card(report: &Report) -> Element<'_, Message> {
    let diagnosis = &report.diagnosis;
    let apply = match &diagnosis.fix {
        Some(fix) => {
            let label = match fix {
                check::Fix::SignIn { .. } => fl!("check-apply-sign-in"),
                _ => fl!("check-apply"),
            };
            Some(button(text(label)).on_press(Message::Apply(fix.clone())))
        }
        // The sign-in was revoked or expired: only a new one helps.
        None if diagnosis.code == check::Code::OauthSignInRequired => {
            Some(button(text(fl!("oauth-sign-in"))).on_press(Message::SignIn))
        }
        None => None,
    };
    diagnosis_with(diagnosis, apply)
}

/// Explanation and hint, then `extra`, on the success or danger shade.
fn diagnosis_with<'a, M: 'a>(
    diagnosis: &check::Diagnosis,
    extra: Option<impl Into<Element<'a, M>>>,
) -> Element<'a, M> {
    let ok = diagnosis.is_ok();
    let mut card = column![text(diagnosis.message()).size(17), text(diagnosis.hint())].spacing(6);
    if let Some(extra) = extra {
        card = card.push(extra);
    }
    tinted_card(card, move |palette| {
        if ok {
            palette.success.weak
        } else {
            palette.danger.weak
        }
    })
}

/// A card on the weak shade of one of the theme's colours (success, danger,
/// warning), so it follows the light and dark themes.
fn tinted_card<'a, M: 'a>(
    content: impl Into<Element<'a, M>>,
    shade: impl Fn(&iced::theme::palette::Extended) -> iced::theme::palette::Pair + 'a,
) -> Element<'a, M> {
    container(content)
        .padding(12)
        .width(Length::Fill)
        .style(move |theme: &Theme| {
            let pair = shade(theme.extended_palette());
            container::Style {
                background: Some(pair.color.into()),
                text_color: Some(pair.text),
                border: iced::Border {
                    radius: 6.0.into(),
                    ..iced::Border::default()
                },
                ..container::Style::default()
            }
        })
        .into()
}

/// The sender domain's lines (MX, SPF, DMARC, MTA-STS, TLS-RPT) under the
/// result: a mark, the record's name, the line and, for a warning, its hint.
pub(super) fn sender_domain_card(row: &SenderDomain) -> Element<'_, Message> {
    let mut card =
        column![text(fl!("domain-title", domain = row.domain.clone())).size(17)].spacing(6);
    for line in &row.lines {
        let (mark, style) = status_mark(match line.status {
            domain::Status::Ok => StepStatus::Ok,
            domain::Status::Warning => StepStatus::Warning,
        });
        let mut words = column![text(line.message())].spacing(2);
        if line.status == domain::Status::Warning {
            words = words.push(text(line.hint()).size(13));
        }
        card = card.push(
            row![
                text(mark).width(18).style(style),
                text(line.check.label()).width(90).font(Font::MONOSPACE),
                words.width(Length::Fill),
            ]
            .spacing(8),
        );
    }
    tinted_card(card, |palette| palette.background.weak)
}

pub(super) fn facts_view(report: &Report) -> Element<'_, Message> {
    scrollable(form::facts(report.server.labelled()))
        .height(Length::Shrink)
        .into()
}
