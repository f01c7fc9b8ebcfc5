//! The profile's sender identities (`senders`): the extra `Name <address>`,
//! `address` or `*@domain` patterns `outbound send` routes through this
//! profile. An entry is added only when it reads as a pattern.

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Alignment, Element};

use crate::core::profile::{Profile, parse_sender_pattern};
use crate::fl;
use crate::ui::widget::form;

/// What is being typed, and why the last Add was refused.
#[derive(Debug, Clone, Default)]
pub struct State {
    typed: String,
    refused: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Typed(String),
    Add,
    Remove(usize),
}

/// The id of the Remove button's frame of entry `index`, for tests.
pub fn remove_id(index: usize) -> String {
    format!("senders.remove.{index}")
}

impl State {
    pub fn update(&mut self, profile: &mut Profile, message: Message) {
        match message {
            Message::Typed(text) => {
                self.typed = text;
                self.refused = None;
            }
            Message::Add => {
                let entry = self.typed.trim().to_owned();
                if entry.is_empty() {
                    return;
                }
                if parse_sender_pattern(&entry).is_err() {
                    self.refused = Some(entry);
                    return;
                }
                if !profile.senders.contains(&entry) {
                    profile.senders.push(entry);
                }
                self.typed.clear();
                self.refused = None;
            }
            Message::Remove(index) => {
                if index < profile.senders.len() {
                    profile.senders.remove(index);
                }
            }
        }
    }

    /// The list with a Remove button per entry (each marked when it is not a
    /// pattern, as a hand-edited file may have it), then the field to add one.
    pub fn view<'a>(&'a self, profile: &'a Profile, editable: bool) -> Element<'a, Message> {
        let mut list = column![].spacing(6);
        if profile.senders.is_empty() {
            list = list.push(form::note(fl!("senders-none")));
        }
        for (index, entry) in profile.senders.iter().enumerate() {
            let mut line = column![text(entry.as_str())].spacing(2);
            if parse_sender_pattern(entry).is_err() {
                line = line.push(form::error_text(crate::i18n::tr_args(
                    "invalid-sender-pattern",
                    &[("value", entry.clone())],
                )));
            }
            let remove = container(
                button(text(fl!("senders-remove")))
                    .style(button::secondary)
                    .on_press_maybe(editable.then_some(Message::Remove(index))),
            )
            .id(remove_id(index));
            list = list.push(row![remove, line].spacing(12).align_y(Alignment::Center));
        }
        let adding = row![
            text_input(&fl!("senders-placeholder"), &self.typed)
                .id("senders.new")
                .on_input_maybe(editable.then_some(Message::Typed))
                .on_submit_maybe(editable.then_some(Message::Add))
                .padding(6),
            button(text(fl!("senders-add"))).on_press_maybe(
                (editable && !self.typed.trim().is_empty()).then_some(Message::Add)
            ),
        ]
        .spacing(8);
        let mut all = column![list, adding].spacing(8);
        if let Some(refused) = &self.refused {
            all = all.push(form::error_text(crate::i18n::tr_args(
                "invalid-sender-pattern",
                &[("value", refused.clone())],
            )));
        }
        all = all.push(form::note(fl!("senders-help")));
        all.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_patterns_are_added_once_and_removed_by_position() {
        let mut profile = Profile::named("p");
        let mut state = State::default();
        for (typed, message) in [
            (" Shop <shop@example.org> ", Message::Add),
            ("*@example.org", Message::Add),
            ("*@example.org", Message::Add),
        ] {
            state.update(&mut profile, Message::Typed(typed.into()));
            state.update(&mut profile, message);
        }
        assert_eq!(
            profile.senders,
            ["Shop <shop@example.org>", "*@example.org"]
        );
        state.update(&mut profile, Message::Typed("not a sender".into()));
        state.update(&mut profile, Message::Add);
        assert_eq!(profile.senders.len(), 2);
        assert_eq!(state.refused.as_deref(), Some("not a sender"));
        assert_eq!(
            state.typed, "not a sender",
            "the typed text is kept to correct"
        );
        state.update(&mut profile, Message::Remove(0));
        state.update(&mut profile, Message::Remove(7));
        assert_eq!(profile.senders, ["*@example.org"]);
    }
}
