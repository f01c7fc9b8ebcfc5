//! The Incoming tab: where the profile's mailbox is read by IMAP (server, port,
//! security, user name, authentication, folder, a separate password), each
//! field's problem beside it, and Check incoming, which runs the IMAP check.
//!
//! The running check is a task whose handle this page keeps; its answers carry
//! the run they belong to, and an older run's are dropped.

use std::sync::Arc;

use iced::futures::SinkExt;
use iced::task::Handle;
use iced::widget::{button, checkbox, column, pick_list, row, text, text_input};
use iced::{Element, Length, Task};

use crate::core::check::{Progress, Report, Step};
use crate::core::profile::{ImapAuth, imap_default_port};
use crate::core::profile::{Issue, Profile, Security, normalise_host};
use crate::core::secret::Secret;
use crate::fl;
use crate::ui::issues::Issues;
use crate::ui::pages::check::{diagnosis_box, steps_view};
use crate::ui::pages::smtp::security_label;
use crate::ui::widget::form::{self, Labelled, field, labelled};

#[derive(Debug, Default)]
pub struct State {
    port_text: String,
    /// The IMAP password when it is not the SMTP one (`imap.separate_password`).
    pub password: Secret,
    show_password: bool,
    run: u64,
    running: Option<Handle>,
    steps: Vec<Step>,
    report: Option<Arc<Report>>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Host(String),
    Port(String),
    Security(Security),
    Username(String),
    Auth(ImapAuth),
    Folder(String),
    SeparatePassword(bool),
    Password(Secret),
    ShowPassword(bool),
    Check,
    Step(u64, Step),
    Finished(u64, Arc<Report>),
}

/// What a check needs from outside the page.
pub struct Context {
    /// The SMTP password, used when the IMAP one is not separate.
    pub smtp_password: Option<Secret>,
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
}

const SECURITIES: [Security; 3] = [Security::None, Security::Starttls, Security::Tls];
const AUTHS: [ImapAuth; 6] = [
    ImapAuth::Auto,
    ImapAuth::Plain,
    ImapAuth::Login,
    ImapAuth::CramMd5,
    ImapAuth::Xoauth2,
    ImapAuth::Oauthbearer,
];

pub fn auth_label(auth: ImapAuth) -> String {
    match auth {
        ImapAuth::Auto => fl!("auth-auto"),
        ImapAuth::Plain => "PLAIN".to_owned(),
        ImapAuth::Login => "LOGIN".to_owned(),
        ImapAuth::CramMd5 => "CRAM-MD5".to_owned(),
        ImapAuth::Xoauth2 => "XOAUTH2".to_owned(),
        ImapAuth::Oauthbearer => "OAUTHBEARER".to_owned(),
    }
}

impl State {
    pub fn from_profile(profile: &Profile) -> Self {
        State {
            port_text: profile.imap.port.to_string(),
            ..State::default()
        }
    }

    /// The IMAP password to use: the separate one, else the SMTP one.
    pub fn password_for(&self, profile: &Profile, smtp: Option<Secret>) -> Option<Secret> {
        if profile.imap.separate_password {
            (!self.password.is_empty()).then(|| self.password.clone())
        } else {
            smtp
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The last finished IMAP check.
    pub fn report(&self) -> Option<&Report> {
        self.report.as_deref()
    }

    /// Problems of what was typed that the profile itself cannot hold.
    pub fn issues(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        if !matches!(self.port_text.trim().parse::<u16>(), Ok(1..)) {
            issues.push(Issue::new("imap.port", "invalid-port"));
        }
        issues
    }

    pub fn update(
        &mut self,
        profile: &mut Profile,
        message: Message,
        context: impl FnOnce() -> Context,
    ) -> Task<Message> {
        let imap = &mut profile.imap;
        match message {
            Message::Host(text) => match normalise_host(&text) {
                Some(normalised) => {
                    imap.host = normalised.host;
                    if let Some(port) = normalised.port {
                        imap.port = port;
                        self.port_text = port.to_string();
                    }
                }
                None => imap.host = text.trim().to_owned(),
            },
            Message::Port(text) => {
                if let Ok(port @ 1..) = text.trim().parse::<u16>() {
                    imap.port = port;
                }
                self.port_text = text;
            }
            Message::Security(security) => {
                // The port follows the security while it is the usual one.
                if imap.port == imap_default_port(imap.security) {
                    imap.port = imap_default_port(security);
                    self.port_text = imap.port.to_string();
                }
                imap.security = security;
            }
            Message::Username(text) => imap.username = text,
            Message::Auth(auth) => imap.auth = auth,
            Message::Folder(text) => imap.folder = text,
            Message::SeparatePassword(on) => imap.separate_password = on,
            Message::Password(secret) => self.password = secret,
            Message::ShowPassword(on) => self.show_password = on,
            Message::Check => return self.start(profile, context()),
            Message::Step(run, step) if run == self.run => self.steps.push(step),
            Message::Finished(run, report) if run == self.run => {
                self.running = None;
                self.steps = report.steps.clone();
                self.report = Some(report);
            }
            Message::Step(..) | Message::Finished(..) => {}
        }
        Task::none()
    }

    fn start(&mut self, profile: &Profile, context: Context) -> Task<Message> {
        if let Some(handle) = self.running.take() {
            handle.abort();
        }
        self.run += 1;
        self.steps.clear();
        self.report = None;
        let run = self.run;
        let profile = profile.clone();
        let options = crate::core::roundtrip::imap_options(
            self.password_for(&profile, context.smtp_password),
            context.extra_roots,
        );
        let stream = iced::stream::channel(64, async move |mut output| {
            let (progress, mut steps) = Progress::channel();
            let check = crate::core::roundtrip::check_incoming(&profile, options, progress);
            tokio::pin!(check);
            let report = loop {
                tokio::select! {
                    Some(step) = steps.recv() => {
                        let _ = output.send(Message::Step(run, step)).await;
                    }
                    report = &mut check => break report,
                }
            };
            let _ = output.send(Message::Finished(run, Arc::new(report))).await;
        });
        let (task, handle) = Task::run(stream, |message| message).abortable();
        self.running = Some(handle.abort_on_drop());
        task
    }

    pub fn view<'a>(
        &'a self,
        profile: &'a Profile,
        issues: &Issues,
        editable: bool,
    ) -> Element<'a, Message> {
        let imap = &profile.imap;
        let input =
            |id: &'static str, placeholder: &str, value: &'a str, on: fn(String) -> Message| {
                text_input(placeholder, value)
                    .id(id)
                    .on_input_maybe(editable.then_some(on))
                    .padding(6)
            };
        let (securities, security) = labelled(&SECURITIES, imap.security, security_label);
        let (auths, auth) = labelled(&AUTHS, imap.auth, auth_label);
        let user_placeholder = if profile.smtp.username.trim().is_empty() {
            String::new()
        } else {
            fl!(
                "incoming-user-default",
                user = profile.smtp.username.clone()
            )
        };
        let mut password = column![
            checkbox(imap.separate_password)
                .label(fl!("incoming-separate-password"))
                .on_toggle_maybe(editable.then_some(Message::SeparatePassword))
        ]
        .spacing(4);
        if imap.separate_password {
            password =
                password.push(
                    row![
                        text_input("", self.password.expose())
                            .id("imap.password")
                            .secure(!self.show_password)
                            .on_input_maybe(editable.then_some(|text: String| {
                                Message::Password(Secret::from(text))
                            }))
                            .padding(6)
                            .width(Length::Fill),
                        button(text(if self.show_password {
                            fl!("password-hide")
                        } else {
                            fl!("password-show")
                        }))
                        .on_press(Message::ShowPassword(!self.show_password))
                        .style(button::secondary),
                    ]
                    .spacing(8),
                );
            password = password.push(form::note(fl!("incoming-password-session")));
        } else {
            password = password.push(form::note(fl!("incoming-password-shared")));
        }
        let can_check = !self.is_running() && !imap.host.trim().is_empty();
        let mut rows = vec![
            form::heading(fl!("tab-incoming")),
            field(
                fl!("field-host"),
                input("imap.host", "imap.example.org", &imap.host, Message::Host),
                issues.get("imap.host"),
            ),
            field(
                fl!("field-port"),
                input("imap.port", "993", &self.port_text, Message::Port).width(100),
                issues.get("imap.port"),
            ),
            field(
                fl!("field-security"),
                pick_list(securities, security, |s: Labelled<Security>| {
                    Message::Security(s.value)
                }),
                None,
            ),
            field(
                fl!("field-auth"),
                pick_list(auths, auth, |a: Labelled<ImapAuth>| Message::Auth(a.value)),
                None,
            ),
            field(
                fl!("field-username"),
                input(
                    "imap.username",
                    &user_placeholder,
                    &imap.username,
                    Message::Username,
                ),
                issues.get("imap.username"),
            ),
            field(fl!("field-password"), password, None),
            field(
                fl!("incoming-folder"),
                input("imap.folder", "INBOX", &imap.folder, Message::Folder),
                issues.get("imap.folder"),
            ),
            row![
                iced::widget::space::horizontal(),
                button(text(fl!("incoming-check")))
                    .on_press_maybe(can_check.then_some(Message::Check)),
            ]
            .into(),
        ];
        if self.is_running() {
            rows.push(form::note(fl!("check-running")));
        }
        rows.push(steps_view(&self.steps));
        if let Some(report) = &self.report {
            rows.push(diagnosis_box(&report.diagnosis));
        }
        form::page(rows)
    }
}
