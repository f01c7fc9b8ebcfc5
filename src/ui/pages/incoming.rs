//! The Incoming tab: where the profile's mailbox is read by IMAP (server, port,
//! security, user name, authentication, folder, a separate password), each
//! field's problem beside it, and Check incoming, which runs the IMAP check.
//! The separate password is saved with the profile under its own keyring key.
//!
//! The running check is a task whose handle this page keeps; its answers carry
//! the run they belong to, and an older run's are dropped.

use std::sync::Arc;

use iced::task::Handle;
use iced::widget::{button, checkbox, column, row, text};
use iced::{Element, Task};

use crate::core::check::{Report, Step, ntlm};
use crate::core::profile::{ImapAuth, imap_default_port};
use crate::core::profile::{Issue, Profile, normalise_host};
use crate::core::secret::Secret;
use crate::fl;
use crate::ui::issues::Issues;
use crate::ui::pages::check::{StepsLayout, diagnosis_box, steps_view};
use crate::ui::tasks;
use crate::ui::widget::form::{self, field, text_row};
use crate::ui::widget::server::{self, KeyringState};

#[derive(Debug, Default)]
pub struct State {
    port_text: String,
    /// The IMAP password when it is not the SMTP one (`imap.separate_password`).
    pub password: Secret,
    /// The password was typed here and differs from the keyring's.
    pub password_edited: bool,
    /// Where the separate password stands in the keyring (its own key).
    pub keyring: KeyringState,
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
    Security(crate::core::profile::Security),
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
    /// The saved profile, whose OAuth token a signed-in profile sends.
    pub account: Option<crate::core::check::saved::Account>,
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
}

const AUTHS: [ImapAuth; 8] = [
    ImapAuth::Auto,
    ImapAuth::Plain,
    ImapAuth::Login,
    ImapAuth::CramMd5,
    ImapAuth::Xoauth2,
    ImapAuth::Oauthbearer,
    ImapAuth::Ntlm,
    ImapAuth::Gssapi,
];

pub fn auth_label(auth: ImapAuth) -> String {
    match auth {
        ImapAuth::Auto => fl!("auth-auto"),
        ImapAuth::Plain => "PLAIN".to_owned(),
        ImapAuth::Login => "LOGIN".to_owned(),
        ImapAuth::CramMd5 => "CRAM-MD5".to_owned(),
        ImapAuth::Xoauth2 => "XOAUTH2".to_owned(),
        ImapAuth::Oauthbearer => "OAUTHBEARER".to_owned(),
        ImapAuth::Ntlm => fl!("auth-ntlm"),
        ImapAuth::Gssapi => fl!("auth-gssapi"),
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

    /// The keyring's answer for the separate password of the opened profile.
    pub fn set_keyring(&mut self, state: KeyringState, password: Option<Secret>) {
        self.keyring = state;
        if !self.password_edited {
            self.password = password.unwrap_or_default();
        }
    }

    /// The separate password to save with the profile: typed here, the
    /// profile signs in to IMAP with its own, and there is a keyring to keep it.
    pub fn password_to_save(&self, profile: &Profile) -> Option<Secret> {
        (self.password_edited && profile.imap.separate_password && !self.keyring.is_session_only())
            .then(|| self.password.clone())
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
        server::port_issue(&self.port_text, "imap.port")
            .into_iter()
            .collect()
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
            Message::Port(text) => server::type_port(&mut imap.port, &mut self.port_text, text),
            Message::Security(security) => server::follow_security(
                &mut imap.port,
                &mut self.port_text,
                &mut imap.security,
                security,
                imap_default_port,
            ),
            Message::Username(text) => imap.username = text,
            Message::Auth(auth) => imap.auth = auth,
            Message::Folder(text) => imap.folder = text,
            Message::SeparatePassword(on) => imap.separate_password = on,
            Message::Password(secret) => {
                self.password = secret;
                self.password_edited = true;
            }
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
        let mut options = crate::core::roundtrip::imap_options(
            self.password_for(&profile, context.smtp_password),
            context.extra_roots,
        );
        let account = context.account;
        let (task, handle) = tasks::with_progress(
            run,
            move |progress| async move {
                // A signed-in profile sends its access token, as the SMTP check.
                if let Some(account) = &account {
                    match crate::core::imap::credentials::token(account, &profile).await {
                        Ok(Some(token)) => {
                            options.imap_password = Some(token);
                            options.imap_token = true;
                        }
                        Ok(None) => {}
                        Err(report) => return report,
                    }
                }
                crate::core::roundtrip::check_incoming(&profile, options, progress).await
            },
            Message::Step,
            |run, report| Message::Finished(run, Arc::new(report)),
        );
        self.running = Some(handle);
        task
    }

    pub fn view<'a>(
        &'a self,
        profile: &'a Profile,
        issues: &Issues,
        editable: bool,
    ) -> Element<'a, Message> {
        let imap = &profile.imap;
        let on = |message: fn(String) -> Message| editable.then_some(message);
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
            password = password.push(server::password_entry(
                "imap.password",
                &self.password,
                self.show_password,
                editable.then_some(Message::Password as fn(Secret) -> Message),
                Message::ShowPassword,
            ));
            password = password.push(server::keyring_note(&self.keyring, self.password_edited));
            if matches!(self.keyring, KeyringState::Unavailable(_)) {
                password = password.push(form::note(fl!("incoming-password-session")));
            }
        } else {
            password = password.push(form::note(fl!("incoming-password-shared")));
        }
        let mut user = column![form::input(
            "imap.username",
            &user_placeholder,
            &imap.username,
            on(Message::Username),
        )]
        .spacing(4);
        match imap.auth {
            ImapAuth::Ntlm => {
                // What NTLM will send, split as the check splits it.
                let name = imap.effective_username(&profile.smtp.username);
                let (name, domain) = ntlm::split_user(name, &profile.smtp.auth_domain);
                if !name.is_empty() {
                    user = user.push(form::note(ntlm::identity_text(&name, &domain)));
                }
                user = user.push(form::note(fl!("incoming-ntlm-domain")));
            }
            ImapAuth::Gssapi => {
                password = password.push(form::note(fl!("incoming-gssapi-ticket")));
            }
            _ => {}
        }
        let can_check = !self.is_running() && !imap.host.trim().is_empty();
        let mut rows = vec![
            form::heading(fl!("tab-incoming")),
            text_row(
                fl!("field-host"),
                form::input(
                    "imap.host",
                    "imap.example.org",
                    &imap.host,
                    on(Message::Host),
                ),
                "imap.host",
                issues,
            ),
            text_row(
                fl!("field-port"),
                form::input("imap.port", "993", &self.port_text, on(Message::Port)).width(100),
                "imap.port",
                issues,
            ),
            field(
                fl!("field-security"),
                server::security_picker(imap.security, Message::Security),
                None,
            ),
            field(
                fl!("field-auth"),
                form::picker(&AUTHS, imap.auth, auth_label, Message::Auth),
                None,
            ),
            field(fl!("field-username"), user, issues.get("imap.username")),
            field(fl!("field-password"), password, None),
            text_row(
                fl!("incoming-folder"),
                form::input("imap.folder", "INBOX", &imap.folder, on(Message::Folder)),
                "imap.folder",
                issues,
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
        rows.push(steps_view(&self.steps, StepsLayout::Wide));
        if let Some(report) = &self.report {
            rows.push(diagnosis_box(&report.diagnosis));
        }
        form::page(rows)
    }
}
