//! The profile's messages waiting in the queue (`core::queue`): how many, each
//! with its recipients, attempts and last error, a Delete per message and a
//! Flush of them all. The app keeps the list fresh while the tab is shown.

use iced::widget::{button, column, container, row, text};
use iced::{Alignment, Element};

use crate::core::queue::{QueueId, Queued, schedule};
use crate::fl;
use crate::ui::widget::form;

/// The id of the Delete button's frame of the listed message `index`, for tests.
pub fn delete_id(index: usize) -> String {
    format!("queue.delete.{index}")
}

/// The section's rows. `queued`: this profile's messages (`None` until the
/// first look); `busy`: a flush or delete is running.
pub fn view<'a, Message: Clone + 'a>(
    queued: Option<&[&'a Queued]>,
    problem: Option<&'a str>,
    busy: bool,
    flush: Message,
    delete: impl Fn(QueueId) -> Message,
) -> Vec<Element<'a, Message>> {
    let mut rows = vec![form::heading(fl!("section-queue"))];
    if let Some(problem) = problem {
        rows.push(form::error_text(problem.to_owned()));
    }
    let Some(queued) = queued else {
        rows.push(form::note(fl!("queue-looking")));
        return rows;
    };
    let count = queued.len();
    rows.push(
        row![
            text(fl!("queue-waiting", count = count)),
            iced::widget::space::horizontal(),
            button(text(fl!("queue-flush"))).on_press_maybe((count > 0 && !busy).then_some(flush)),
        ]
        .spacing(12)
        .align_y(Alignment::Center)
        .into(),
    );
    for (index, item) in queued.iter().enumerate() {
        let sender = if item.sender.is_empty() {
            "<>".to_owned()
        } else {
            item.sender.clone()
        };
        let mut lines = column![
            text(format!("{sender} → {}", item.recipients.join(", "))),
            form::note(fl!(
                "queue-item-facts",
                size = item.size,
                attempts = item.attempts,
                next = schedule::format(item.next_attempt)
            )),
        ]
        .spacing(2);
        if let Some(error) = &item.last_error {
            lines = lines.push(form::error_text(fl!(
                "queue-last-error",
                error = error.clone()
            )));
        }
        if item.uncertain {
            lines = lines.push(form::warning_text(fl!("queue-ui-uncertain")));
        }
        let remove = container(
            button(text(fl!("queue-delete")))
                .style(button::danger)
                .on_press_maybe((!busy).then(|| delete(item.id.clone()))),
        )
        .id(delete_id(index));
        rows.push(
            row![remove, lines]
                .spacing(12)
                .align_y(Alignment::Center)
                .into(),
        );
    }
    rows
}
