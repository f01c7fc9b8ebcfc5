//! What the Quick test page draws: the address and password, the detected
//! settings (folded), a sign-in notice for OAuth2 providers, and the two
//! checks side by side, with the Check tab's step list and diagnosis card.

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Alignment, Element, Length};

use super::{Edit, Message, Side, State};
use crate::core::directory::LoginChoice;
use crate::core::quick::{self, Detected};
use crate::fl;
use crate::ui::pages::check::{StepsLayout, diagnosis_box, steps_view};
use crate::ui::widget::form::{self, field};
use crate::ui::widget::server;

impl State {
    pub fn view(&self) -> Element<'_, Message> {
        let can_test = !self.is_busy() && self.address.contains('@');
        let test = can_test.then_some(Message::Test);
        let password = row![
            text_input("", self.password.expose())
                .id("quick.password")
                .secure(!self.show_password)
                .on_input(|typed| Message::Password(typed.into()))
                // Enter in the password field starts the test.
                .on_submit_maybe(test.clone())
                .padding(6)
                .width(Length::Fill),
            button(text(if self.show_password {
                fl!("password-hide")
            } else {
                fl!("password-show")
            }))
            .style(button::secondary)
            .on_press(Message::ShowPassword(!self.show_password)),
        ]
        .spacing(8);
        let mut rows = vec![
            form::heading(fl!("quick-title")),
            form::note(fl!("quick-intro")),
            field(
                fl!("quick-address"),
                form::input(
                    "quick.address",
                    "name@example.org",
                    &self.address,
                    Some(Message::Address),
                ),
                None,
            ),
            field(fl!("field-password"), password, None),
            form::note(fl!("quick-password-session")),
            row![
                button(text(fl!("quick-test"))).on_press_maybe(test),
                // Only what was detected can be saved (and only when asked).
                button(text(fl!("quick-save")))
                    .style(button::secondary)
                    .on_press_maybe(
                        (self.detected.is_some() && !self.saving).then_some(Message::SaveAsProfile)
                    ),
            ]
            .spacing(8)
            .wrap()
            .vertical_spacing(8)
            .into(),
        ];
        if self.detecting.is_some() {
            rows.push(form::note(fl!("window-detect-running")));
        }
        if let Some(problem) = &self.problem {
            rows.push(form::error_text(problem.clone()));
        }
        if let Some(problem) = &self.directory_problem {
            rows.push(form::warning_text(fl!(
                "quick-directory-damaged",
                reason = problem.clone()
            )));
        }
        if let Some(detected) = &self.detected {
            // The sign-in comes before anything else can be checked.
            if detected.sign_in_required() && self.tokens.is_none() {
                rows.push(self.sign_in_view(detected));
                rows.push(self.settings_view(detected));
            } else {
                rows.push(self.settings_view(detected));
                rows.push(self.checks_view(detected));
            }
        }
        form::page(rows)
    }

    /// One line of what was found, and the settings themselves when unfolded.
    fn settings_view<'a>(&'a self, detected: &'a Detected) -> Element<'a, Message> {
        let profile = &detected.profile;
        let source = crate::i18n::tr(&format!(
            "source-{}",
            detected.found.source.as_str().replace('_', "-")
        ));
        let summary = fl!(
            "quick-found",
            smtp = format!(
                "{}:{} {}",
                profile.smtp.host,
                profile.smtp.port,
                server::security_label(profile.smtp.security)
            ),
            source = source
        );
        let toggle = button(text(if self.settings_open {
            fl!("quick-hide-settings")
        } else {
            fl!("quick-show-settings")
        }))
        .style(button::secondary)
        .on_press(Message::ToggleSettings);
        let mut settings = column![
            row![text(summary).width(Length::Fill), toggle]
                .spacing(8)
                .align_y(Alignment::Center)
        ]
        .spacing(8);
        if detected.found.insecure {
            settings = settings.push(form::warning_text(fl!("detect-insecure")));
        }
        if !self.settings_open {
            return settings.into();
        }
        let edit = |make: fn(String) -> Edit| Some(make);
        let input = |id: &'static str, value: &'a str, make: Option<fn(String) -> Edit>| {
            form::input(id, "", value, None)
                .on_input_maybe(make.map(|make| move |text| Message::Edit(make(text))))
        };
        let imap = &profile.imap;
        settings = settings
            .push(form::heading(fl!("quick-outgoing")))
            .push(field(
                fl!("field-host"),
                input("quick.smtp.host", &profile.smtp.host, edit(Edit::SmtpHost)),
                None,
            ))
            .push(field(
                fl!("field-port"),
                input("quick.smtp.port", &self.smtp_port, edit(Edit::SmtpPort)).width(100),
                None,
            ))
            .push(field(
                fl!("field-security"),
                server::security_picker(profile.smtp.security, |s| {
                    Message::Edit(Edit::SmtpSecurity(s))
                }),
                None,
            ))
            .push(field(
                fl!("field-username"),
                input(
                    "quick.smtp.username",
                    &profile.smtp.username,
                    edit(Edit::SmtpUser),
                ),
                None,
            ))
            .push(form::heading(fl!("quick-incoming")))
            .push(field(
                fl!("field-host"),
                input("quick.imap.host", &imap.host, edit(Edit::ImapHost)),
                None,
            ))
            .push(field(
                fl!("field-port"),
                input("quick.imap.port", &self.imap_port, edit(Edit::ImapPort)).width(100),
                None,
            ))
            .push(field(
                fl!("field-security"),
                server::security_picker(imap.security, |s| Message::Edit(Edit::ImapSecurity(s))),
                None,
            ))
            .push(field(
                fl!("field-username"),
                input("quick.imap.username", &imap.username, edit(Edit::ImapUser)),
                None,
            ));
        container(settings)
            .padding(12)
            .style(container::bordered_box)
            .into()
    }

    /// The outgoing and the incoming check, side by side.
    fn checks_view<'a>(&'a self, detected: &'a Detected) -> Element<'a, Message> {
        let incoming: Element<'a, Message> = if quick::has_incoming(&detected.profile) {
            side_view(fl!("quick-incoming"), &self.incoming)
        } else {
            column![
                text(fl!("quick-incoming")).size(17),
                form::note(fl!("quick-no-incoming"))
            ]
            .spacing(8)
            .width(Length::FillPortion(1))
            .into()
        };
        row![side_view(fl!("quick-outgoing"), &self.outgoing), incoming]
            .spacing(16)
            .into()
    }
}

fn side_view(title: String, side: &Side) -> Element<'_, Message> {
    let mut column = column![text(title).size(17)].spacing(8);
    if side.is_running() {
        column = column.push(form::note(fl!("check-running")));
    }
    // The diagnosis first: it is what the person came for.
    if let Some(report) = side.report() {
        column = column.push(diagnosis_box(&report.diagnosis));
    }
    column = column.push(steps_view(&side.steps, StepsLayout::Narrow));
    column.width(Length::FillPortion(1)).into()
}

impl State {
    /// The provider signs in with OAuth2: no password check can pass before
    /// it. Sign in (the browser), or log in with the provider's kind of
    /// password instead.
    fn sign_in_view<'a>(&'a self, detected: &'a Detected) -> Element<'a, Message> {
        let name = detected
            .found
            .provider
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let sign_in = self.sign_in.view(
            &detected.profile.smtp.username,
            true,
            Message::SignIn,
            Message::CancelSignIn,
            Message::CancelSignIn,
            Message::CopySignInUrl,
        );
        let mut others = row![].spacing(8);
        for choice in detected.login_choices() {
            if choice != LoginChoice::SignIn {
                let label = crate::i18n::tr(&format!("login-choice-{}", choice.as_str()));
                others = others.push(
                    button(text(label))
                        .style(button::secondary)
                        .on_press(Message::LogInAs(choice)),
                );
            }
        }
        let card = column![
            text(fl!("quick-sign-in-needed", provider = name)).size(17),
            form::note(fl!("quick-sign-in-hint")),
            sign_in,
            form::note(fl!("quick-or-log-in-with")),
            others.wrap().vertical_spacing(8),
        ]
        .spacing(6);
        container(card)
            .padding(12)
            .width(Length::Fill)
            .style(container::bordered_box)
            .into()
    }
}
