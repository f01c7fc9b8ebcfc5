//! The Sendmail tab: the program and its arguments. Edits the profile draft
//! the app passes in.

use iced::widget::{button, row, text_input};
use iced::{Element, Length, Task};

use crate::core::profile::Profile;
use crate::fl;
use crate::ui::editor::Issues;
use crate::ui::widget::form::{self, field};

#[derive(Debug, Clone, Default)]
pub struct State;

#[derive(Debug, Clone)]
pub enum Message {
    Path(String),
    Args(String),
    Browse,
    Picked(Option<String>),
}

impl State {
    pub fn update(&mut self, profile: &mut Profile, message: Message) -> Task<Message> {
        match message {
            Message::Path(text) => profile.sendmail.path = text,
            Message::Args(text) => profile.sendmail.args = text,
            Message::Browse => {
                let start = std::path::Path::new(&profile.sendmail.path)
                    .parent()
                    .map(|p| p.to_path_buf())
                    .unwrap_or_else(|| "/usr/sbin".into());
                // The dialog is the desktop portal's; without one it answers None at once,
                // and the path field above still works.
                return Task::perform(
                    async move {
                        rfd::AsyncFileDialog::new()
                            .set_directory(start)
                            .pick_file()
                            .await
                            .map(|file| file.path().display().to_string())
                    },
                    Message::Picked,
                );
            }
            Message::Picked(Some(path)) => profile.sendmail.path = path,
            Message::Picked(None) => {}
        }
        Task::none()
    }

    pub fn view<'a>(
        &'a self,
        profile: &'a Profile,
        issues: &Issues,
        editable: bool,
    ) -> Element<'a, Message> {
        let path = row![
            text_input("/usr/sbin/sendmail", &profile.sendmail.path)
                .id("sendmail.path")
                .on_input_maybe(editable.then_some(Message::Path))
                .padding(6)
                .width(Length::Fill),
            button(iced::widget::text(fl!("browse")))
                .on_press_maybe(editable.then_some(Message::Browse))
                .style(button::secondary),
        ]
        .spacing(8);
        let rows = vec![
            form::heading(fl!("tab-sendmail")),
            field(
                fl!("field-sendmail-path"),
                path,
                issues.get("sendmail.path"),
            ),
            field(
                fl!("field-sendmail-args"),
                text_input("-i", &profile.sendmail.args)
                    .id("sendmail.args")
                    .on_input_maybe(editable.then_some(Message::Args))
                    .padding(6),
                issues.get("sendmail.args"),
            ),
            form::note(fl!("sendmail-args-note")),
        ];
        form::page(rows)
    }
}
