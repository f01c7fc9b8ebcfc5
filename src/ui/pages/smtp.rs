//! The SMTP tab: server, port, security, authentication and the password with
//! its keyring state. Edits the profile draft the app passes in.

use iced::widget::{button, checkbox, column, pick_list, row, text_input};
use iced::{Element, Length, Task};

use crate::core::check::ntlm;
use crate::core::directory::LoginChoice;
use crate::core::profile::{AuthMethod, Issue, Profile, Security, normalise_host};
use crate::core::secret::Secret;
use crate::fl;
use crate::ui::issues::Issues;
use crate::ui::tasks;
use crate::ui::widget::form::{self, field, text_row};
pub use crate::ui::widget::server::KeyringState;
pub use oauth::{Held, SignIn, WAIT_SECS as SIGN_IN_WAIT_SECS};

mod oauth;
use crate::ui::widget::server::{self, security_label};

/// What the app must act on.
#[derive(Debug, Clone)]
pub enum Event {
    /// Find the settings for this address.
    Detect(String),
    /// Sign in with OAuth (the browser flow) for this editor's profile.
    SignIn,
    /// Delete this editor's profile's tokens.
    SignOut,
}

pub const PORT_PRESETS: [u16; 4] = [25, 465, 587, 2525];

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The address typed for Detect.
    address: String,
    detecting: bool,
    /// Detect's answer, shown until applied or ignored.
    detected: Option<Result<tasks::Detected, String>>,
    port_text: String,
    timeout_text: String,
    /// What pasting a URL into the host field was understood as.
    host_note: Option<String>,
    pub password: Secret,
    /// The password was typed here and differs from the keyring's.
    pub password_edited: bool,
    show_password: bool,
    pub keyring: KeyringState,
    /// Keep the password in memory for this session only (no keyring).
    pub session_only: bool,
    /// The OAuth sign-in, for XOAUTH2 and OAUTHBEARER.
    pub sign_in: SignIn,
}

#[derive(Debug, Clone)]
pub enum Message {
    Address(String),
    Detect,
    Detected(Box<Result<tasks::Detected, String>>),
    ApplyDetected,
    /// Apply Detect's answer, logging in the way chosen (sign-in or a password).
    ApplyDetectedAs(LoginChoice),
    IgnoreDetected,
    Host(String),
    Port(String),
    PortPreset(u16),
    Security(Security),
    Auth(AuthMethod),
    Username(String),
    Password(Secret),
    ShowPassword(bool),
    SessionOnly(bool),
    AuthDomain(String),
    EhloName(String),
    AcceptInvalidCerts(bool),
    Timeout(String),
    SignIn,
    SignOut,
    CancelSignIn,
    /// Copy the sign-in's authorization URL (no browser opened it).
    CopySignInUrl(String),
}

pub fn auth_label(auth: AuthMethod) -> String {
    match auth {
        AuthMethod::None => fl!("auth-none"),
        AuthMethod::Auto => fl!("auth-auto"),
        AuthMethod::Plain => "PLAIN".to_owned(),
        AuthMethod::Login => "LOGIN".to_owned(),
        AuthMethod::CramMd5 => "CRAM-MD5".to_owned(),
        AuthMethod::Xoauth2 => "XOAUTH2".to_owned(),
        AuthMethod::Oauthbearer => "OAUTHBEARER".to_owned(),
        AuthMethod::Ntlm => fl!("auth-ntlm"),
        AuthMethod::Gssapi => fl!("auth-gssapi"),
    }
}

const AUTHS: [AuthMethod; 9] = [
    AuthMethod::None,
    AuthMethod::Auto,
    AuthMethod::Plain,
    AuthMethod::Login,
    AuthMethod::CramMd5,
    AuthMethod::Xoauth2,
    AuthMethod::Oauthbearer,
    AuthMethod::Ntlm,
    AuthMethod::Gssapi,
];

/// Whether `auth` sends an OAuth 2.0 access token.
pub fn uses_oauth(auth: AuthMethod) -> bool {
    matches!(auth, AuthMethod::Xoauth2 | AuthMethod::Oauthbearer)
}

impl State {
    pub fn from_profile(profile: &Profile) -> Self {
        State {
            port_text: profile.smtp.port.to_string(),
            timeout_text: profile.smtp.timeout_secs.to_string(),
            ..State::default()
        }
    }

    /// Shows the profile's numbers again after they were changed elsewhere (Apply).
    pub fn sync_numbers(&mut self, profile: &Profile) {
        self.port_text = profile.smtp.port.to_string();
        self.timeout_text = profile.smtp.timeout_secs.to_string();
    }

    /// The password a check should use: typed, from the keyring, or none.
    pub fn password_for_check(&self) -> Option<Secret> {
        (!self.password.is_empty()).then(|| self.password.clone())
    }

    /// The keyring's answer for the opened profile.
    pub fn set_keyring(&mut self, state: KeyringState, password: Option<Secret>) {
        self.keyring = state;
        if !self.password_edited {
            self.password = password.unwrap_or_default();
        }
    }

    /// Problems of what was typed that the profile itself cannot hold.
    pub fn issues(&self) -> Vec<Issue> {
        let mut issues: Vec<Issue> = server::port_issue(&self.port_text, "smtp.port")
            .into_iter()
            .collect();
        if self.timeout_text.trim().parse::<u32>().is_err() {
            issues.push(Issue::new("smtp.timeout_secs", "invalid-timeout"));
        }
        issues
    }

    /// Handles the page's messages; `Some(address)` asks the app to run Detect.
    pub fn update(
        &mut self,
        profile: &mut Profile,
        message: Message,
    ) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Address(text) => self.address = text,
            Message::Detect => {
                self.detecting = true;
                self.detected = None;
                return (Task::none(), Some(Event::Detect(self.address.clone())));
            }
            Message::Detected(result) => {
                self.detecting = false;
                self.detected = Some(*result);
            }
            Message::ApplyDetected | Message::ApplyDetectedAs(_) => {
                if let Some(Ok(tasks::Detected {
                    address,
                    found: Some(found),
                })) = self.detected.take()
                {
                    match message {
                        Message::ApplyDetectedAs(choice) => {
                            found.fill_as(profile, &address, choice)
                        }
                        _ => found.fill(profile, &address),
                    }
                    self.sync_numbers(profile);
                    self.host_note = None;
                }
            }
            Message::IgnoreDetected => self.detected = None,
            Message::SignIn if !self.sign_in.is_waiting() => {
                return (Task::none(), Some(Event::SignIn));
            }
            Message::SignOut if !self.sign_in.is_waiting() => {
                return (Task::none(), Some(Event::SignOut));
            }
            Message::SignIn | Message::SignOut => {}
            Message::CancelSignIn => self.sign_in.cancel(),
            Message::CopySignInUrl(url) => return (iced::clipboard::write(url), None),
            other => return (self.edit(profile, other), None),
        }
        (Task::none(), None)
    }

    fn edit(&mut self, profile: &mut Profile, message: Message) -> Task<Message> {
        let smtp = &mut profile.smtp;
        match message {
            Message::Host(text) => match normalise_host(&text) {
                Some(normalised) => {
                    self.host_note = Some(normalised.note(&text));
                    smtp.host = normalised.host;
                    if let Some(security) = normalised.security {
                        smtp.security = security;
                    }
                    if let Some(port) = normalised.port {
                        smtp.port = port;
                        self.port_text = port.to_string();
                    }
                }
                None => {
                    self.host_note = None;
                    smtp.host = text.trim().to_owned();
                }
            },
            Message::Port(text) => server::type_port(&mut smtp.port, &mut self.port_text, text),
            Message::PortPreset(port) => {
                smtp.port = port;
                self.port_text = port.to_string();
            }
            Message::Security(security) => server::follow_security(
                &mut smtp.port,
                &mut self.port_text,
                &mut smtp.security,
                security,
                Security::default_port,
            ),
            Message::Auth(auth) => smtp.auth = auth,
            Message::Username(text) => smtp.username = text,
            Message::Password(text) => {
                self.password = text;
                self.password_edited = true;
            }
            Message::ShowPassword(show) => self.show_password = show,
            Message::SessionOnly(on) => self.session_only = on,
            Message::AuthDomain(text) => smtp.auth_domain = text,
            Message::EhloName(text) => smtp.ehlo_name = text,
            Message::AcceptInvalidCerts(on) => smtp.accept_invalid_certs = on,
            Message::Timeout(text) => {
                if let Ok(secs) = text.trim().parse() {
                    smtp.timeout_secs = secs;
                }
                self.timeout_text = text;
            }
            Message::Address(_)
            | Message::Detect
            | Message::Detected(_)
            | Message::ApplyDetected
            | Message::ApplyDetectedAs(_)
            | Message::IgnoreDetected
            | Message::SignIn
            | Message::SignOut
            | Message::CancelSignIn
            | Message::CopySignInUrl(_) => {}
        }
        Task::none()
    }

    fn detect_view(&self, editable: bool) -> Element<'_, Message> {
        let can_detect = editable && !self.detecting && self.address.contains('@');
        let mut column = column![
            row![
                text_input("someone@example.org", &self.address)
                    .id("smtp.address")
                    .on_input(Message::Address)
                    .on_submit_maybe(can_detect.then_some(Message::Detect))
                    .padding(6)
                    .width(Length::Fill),
                button(iced::widget::text(fl!("window-detect")))
                    .on_press_maybe(can_detect.then_some(Message::Detect)),
            ]
            .spacing(8)
        ]
        .spacing(6);
        if self.detecting {
            column = column.push(form::note(fl!("window-detect-running")));
        }
        match &self.detected {
            Some(Ok(tasks::Detected {
                found: Some(found), ..
            })) => {
                let name = found
                    .provider
                    .as_ref()
                    .map_or_else(|| found.smtp.host.clone(), |p| p.name.clone());
                let source = crate::i18n::tr(&format!(
                    "source-{}",
                    found.source.as_str().replace('_', "-")
                ));
                let summary = fl!(
                    "window-detect-found",
                    name = name,
                    host = found.smtp.host.clone(),
                    port = found.smtp.port.to_string(),
                    security = security_label(found.smtp.security),
                    source = source
                );
                column = column.push(form::note(summary));
                if found.insecure {
                    column = column.push(form::warning_text(fl!("detect-insecure")));
                }
                let choices = found
                    .provider
                    .as_ref()
                    .map(|p| p.login_choices())
                    .filter(|choices| choices.len() > 1);
                let mut buttons = row![].spacing(8);
                match &choices {
                    // A provider that signs in may still take a password: both
                    // are offered, the sign-in first.
                    Some(choices) => {
                        for choice in choices {
                            let label = login_choice_label(*choice, choices);
                            buttons = buttons.push(
                                button(iced::widget::text(label))
                                    .on_press(Message::ApplyDetectedAs(*choice)),
                            );
                        }
                    }
                    None => {
                        buttons = buttons.push(
                            button(iced::widget::text(fl!("check-apply")))
                                .on_press(Message::ApplyDetected),
                        );
                    }
                }
                buttons = buttons.push(
                    button(iced::widget::text(fl!("window-detect-ignore")))
                        .style(button::secondary)
                        .on_press(Message::IgnoreDetected),
                );
                column = column.push(buttons.wrap().vertical_spacing(8));
                if choices.is_some_and(|c| c.contains(&LoginChoice::AppPassword)) {
                    column = column.push(form::note(fl!("login-choice-app-password-hint")));
                }
            }
            Some(Ok(tasks::Detected { found: None, .. })) => {
                column = column.push(form::warning_text(fl!("window-detect-nothing")));
            }
            Some(Err(reason)) => column = column.push(form::error_text(reason.clone())),
            None => {}
        }
        column.into()
    }

    pub fn view<'a>(
        &'a self,
        profile: &'a Profile,
        issues: &Issues,
        editable: bool,
    ) -> Element<'a, Message> {
        let smtp = &profile.smtp;
        let on = |message: fn(String) -> Message| editable.then_some(message);
        let mut host = column![form::input(
            "smtp.host",
            "smtp.example.org",
            &smtp.host,
            on(Message::Host)
        )]
        .spacing(4);
        if let Some(note) = &self.host_note {
            host = host.push(form::note(note.clone()));
        }
        let preset = PORT_PRESETS.contains(&smtp.port).then_some(smtp.port);
        let port = row![
            form::input("smtp.port", "587", &self.port_text, on(Message::Port)).width(100),
            pick_list(PORT_PRESETS, preset, Message::PortPreset).placeholder(fl!("port-presets")),
        ]
        .spacing(8);
        let mut certs = column![
            checkbox(smtp.accept_invalid_certs)
                .label(fl!("field-accept-invalid-certs"))
                .on_toggle_maybe(editable.then_some(Message::AcceptInvalidCerts))
        ]
        .spacing(4);
        if smtp.accept_invalid_certs {
            certs = certs.push(form::warning_text(fl!("warning-invalid-certs")));
        }
        let mut rows = vec![
            form::heading(fl!("tab-smtp")),
            field(fl!("field-address"), self.detect_view(editable), None),
            field(fl!("field-host"), host, issues.get("smtp.host")),
            field(fl!("field-port"), port, issues.get("smtp.port")),
            field(
                fl!("field-security"),
                server::security_picker(smtp.security, Message::Security),
                None,
            ),
            field(
                fl!("field-auth"),
                form::picker(&AUTHS, smtp.auth, auth_label, Message::Auth),
                None,
            ),
            text_row(
                fl!("field-username"),
                form::input("smtp.username", "", &smtp.username, on(Message::Username)),
                "smtp.username",
                issues,
            ),
            field(fl!("field-password"), self.password_view(editable), None),
            field(
                fl!("field-auth-domain"),
                self.domain_view(profile, editable),
                issues.get("smtp.auth_domain"),
            ),
            text_row(
                fl!("field-ehlo-name"),
                form::input(
                    "smtp.ehlo_name",
                    &fl!("field-ehlo-name-default"),
                    &smtp.ehlo_name,
                    on(Message::EhloName),
                ),
                "smtp.ehlo_name",
                issues,
            ),
            field(fl!("field-certificates"), certs, None),
            text_row(
                fl!("field-timeout"),
                form::input(
                    "smtp.timeout_secs",
                    "20",
                    &self.timeout_text,
                    on(Message::Timeout),
                )
                .width(100),
                "smtp.timeout_secs",
                issues,
            ),
        ];
        if uses_oauth(smtp.auth) {
            let sign_in = self.sign_in.view(
                &smtp.username,
                editable,
                Message::SignIn,
                Message::SignOut,
                Message::CancelSignIn,
                Message::CopySignInUrl,
            );
            // After the password, which is sent as the token when not signed in.
            rows.insert(8, field(fl!("field-oauth"), sign_in, None));
        }
        form::page(rows)
    }

    /// The NTLM domain field, open when either side signs in with NTLM,
    /// and under it the user and domain NTLM will send (`DOMAIN\\user` and
    /// `user@domain` split as the check splits them).
    fn domain_view<'a>(&self, profile: &'a Profile, editable: bool) -> Element<'a, Message> {
        let smtp = &profile.smtp;
        let ntlm = smtp.auth == AuthMethod::Ntlm;
        let open = ntlm || profile.imap.auth == crate::core::profile::ImapAuth::Ntlm;
        let input = form::input(
            "smtp.auth_domain",
            "",
            &smtp.auth_domain,
            (editable && open).then_some(Message::AuthDomain as fn(String) -> Message),
        );
        let mut shown = column![input].spacing(4);
        if ntlm && !smtp.username.trim().is_empty() {
            let (name, domain) = ntlm::split_user(&smtp.username, &smtp.auth_domain);
            shown = shown.push(form::note(ntlm::identity_text(&name, &domain)));
        }
        shown.into()
    }

    fn password_view(&self, editable: bool) -> Element<'_, Message> {
        let entry = server::password_entry(
            "smtp.password",
            &self.password,
            self.show_password,
            editable.then_some(Message::Password as fn(Secret) -> Message),
            Message::ShowPassword,
        );
        let note = server::keyring_note(&self.keyring, self.password_edited);
        let state: Element<'_, Message> = match &self.keyring {
            KeyringState::Unavailable(_) => column![
                note,
                checkbox(self.session_only)
                    .label(fl!("password-session-only"))
                    .on_toggle(Message::SessionOnly),
            ]
            .spacing(4)
            .into(),
            _ => note,
        };
        column![entry, state].spacing(4).into()
    }
}

/// A Detect button's label: the sign-in names the provider's kind of
/// account when the other choice tells it (Google's app password,
/// Microsoft's Basic password).
fn login_choice_label(choice: LoginChoice, choices: &[LoginChoice]) -> String {
    match choice {
        LoginChoice::SignIn if choices.contains(&LoginChoice::AppPassword) => {
            fl!("login-choice-sign-in-google")
        }
        LoginChoice::SignIn if choices.contains(&LoginChoice::BasicPassword) => {
            fl!("login-choice-sign-in-microsoft")
        }
        other => crate::i18n::tr(&format!("login-choice-{}", other.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A typed password never shows in a `{:?}` of the page, its message or the
    /// check's options built from it (logs and panic messages print those).
    #[test]
    fn debug_never_prints_the_password() {
        let mut profile = Profile::named("p");
        let mut state = State::from_profile(&profile);
        let message = Message::Password(Secret::from("hunter2-typed"));
        let printed_message = format!("{message:?}");
        let _ = state.update(&mut profile, message);
        assert_eq!(
            state.password_for_check().as_ref().map(Secret::expose),
            Some("hunter2-typed")
        );
        let options = crate::core::check::smtp::Options {
            password: state.password_for_check(),
            ..Default::default()
        };
        for printed in [
            printed_message,
            format!("{state:?}"),
            format!("{state:#?}"),
            format!("{options:?}"),
        ] {
            assert!(!printed.contains("hunter2"), "{printed}");
        }
    }
}
