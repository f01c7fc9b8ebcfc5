//! The Sendmail tab: the program and its arguments. Edits the profile draft
//! the app passes in.

use iced::widget::{button, column, row, text_input};
use iced::{Element, Length, Task};

use crate::core::profile::Profile;
use crate::fl;
use crate::ui::issues::Issues;
use crate::ui::widget::form::{self, field};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// What is at the path: the program's real path and the mail system behind it,
    /// or why there is no usable program; with the path it was found for.
    program: Option<(String, Result<String, String>)>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Path(String),
    Args(String),
    Browse,
    Picked(Option<String>),
    Located(String, Result<String, String>),
}

/// Says what program is at `path` and which mail system it belongs to (blocking).
fn describe(path: &str) -> Result<String, String> {
    use crate::core::check::sendmail::{locate, mta_name};
    let real = locate(std::path::Path::new(path)).map_err(|d| d.message())?;
    let shown = real.display().to_string();
    Ok(match mta_name(&real) {
        Some(mta) => fl!("sendmail-found-mta", path = shown, mta = mta),
        None => fl!("sendmail-found", path = shown),
    })
}

impl State {
    /// Looks at the program at `path` off the UI thread.
    pub fn locate(&self, path: &str) -> Task<Message> {
        let path = path.to_owned();
        Task::perform(
            async move {
                let looked_at = path.clone();
                let found = tokio::task::spawn_blocking(move || describe(&looked_at))
                    .await
                    .unwrap_or_else(|join| Err(join.to_string()));
                (path, found)
            },
            |(path, found)| Message::Located(path, found),
        )
    }

    pub fn update(&mut self, profile: &mut Profile, message: Message) -> Task<Message> {
        match message {
            Message::Path(text) => {
                profile.sendmail.path = text;
                return self.locate(&profile.sendmail.path);
            }
            Message::Located(path, found) => {
                // An answer for a path typed over since is stale.
                if path == profile.sendmail.path {
                    self.program = Some((path, found));
                }
            }
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
            Message::Picked(Some(path)) => {
                profile.sendmail.path = path;
                return self.locate(&profile.sendmail.path);
            }
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
        let mut path = column![path].spacing(4);
        match self
            .program
            .as_ref()
            .filter(|(p, _)| *p == profile.sendmail.path)
        {
            Some((_, Ok(found))) => path = path.push(form::note(found.clone())),
            Some((_, Err(problem))) => path = path.push(form::warning_text(problem.clone())),
            None => {}
        }
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
            // Arguments are saved in the profile file as typed, unlike a password
            // in the keyring; the transcript and the log redact known options.
            form::warning_text(fl!("sendmail-args-password")),
        ];
        form::page(rows)
    }
}
