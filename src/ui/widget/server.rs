//! What the SMTP and Incoming tabs share about a server: the security picker,
//! the port typed as text that follows the security, and the password entry.

use iced::widget::{button, row, text, text_input};
use iced::{Element, Length};

use crate::core::profile::{Issue, Security};
use crate::core::secret::Secret;
use crate::fl;
use crate::ui::widget::form;

/// Where a password stands in the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum KeyringState {
    #[default]
    Unknown,
    Saved,
    NotSaved,
    /// No keyring: the platform's reason.
    Unavailable(String),
    /// This window uses no keyring (started without one): a password typed is
    /// kept for the session only.
    Unused,
}

impl KeyringState {
    /// A password typed now can only be kept for this session.
    pub fn is_session_only(&self) -> bool {
        matches!(self, KeyringState::Unavailable(_) | KeyringState::Unused)
    }
}

/// What the keyring holds of a password, said under its entry; `edited`, it
/// was typed here and differs from the keyring's.
pub fn keyring_note<'a, Message: 'a>(keyring: &KeyringState, edited: bool) -> Element<'a, Message> {
    match keyring {
        KeyringState::Unknown => form::note(fl!("keyring-checking")),
        KeyringState::Saved | KeyringState::NotSaved if edited => {
            form::note(fl!("password-unsaved-change"))
        }
        KeyringState::Saved => form::note(fl!("password-saved")),
        KeyringState::NotSaved => form::note(fl!("password-not-saved")),
        KeyringState::Unavailable(reason) => form::warning_text(reason.clone()),
        KeyringState::Unused => form::note(fl!("incoming-password-session")),
    }
}

pub const SECURITIES: [Security; 3] = [Security::None, Security::Starttls, Security::Tls];

pub fn security_label(security: Security) -> String {
    match security {
        Security::None => fl!("security-none"),
        Security::Starttls => fl!("security-starttls"),
        Security::Tls => fl!("security-tls"),
    }
}

/// The security picker of a server.
pub fn security_picker<'a, Message: Clone + 'a>(
    current: Security,
    on: fn(Security) -> Message,
) -> Element<'a, Message> {
    form::picker(&SECURITIES, current, security_label, on)
}

/// A port as typed: the text is kept as it is, and `port` takes it once it is
/// a valid port (1 to 65535), so half-typed text never reaches the profile.
pub fn type_port(port: &mut u16, port_text: &mut String, text: String) {
    if let Ok(typed @ 1..) = text.trim().parse::<u16>() {
        *port = typed;
    }
    *port_text = text;
}

/// A new security: the port follows it while it is the usual one for the old
/// security (`default_port`), and the text shows the new port.
pub fn follow_security(
    port: &mut u16,
    port_text: &mut String,
    security: &mut Security,
    chosen: Security,
    default_port: fn(Security) -> u16,
) {
    if *port == default_port(*security) {
        *port = default_port(chosen);
        *port_text = port.to_string();
    }
    *security = chosen;
}

/// The problem of a port typed as text, reported for `field`.
pub fn port_issue(port_text: &str, field: &'static str) -> Option<Issue> {
    (!matches!(port_text.trim().parse::<u16>(), Ok(1..))).then(|| Issue::new(field, "invalid-port"))
}

/// A password field with its Show/Hide button; read-only without `on_input`.
pub fn password_entry<'a, Message: Clone + 'a>(
    id: &'static str,
    password: &'a Secret,
    shown: bool,
    on_input: Option<fn(Secret) -> Message>,
    on_show: fn(bool) -> Message,
) -> Element<'a, Message> {
    let input = text_input("", password.expose())
        .id(id)
        .secure(!shown)
        .on_input_maybe(on_input.map(|on| move |typed: String| on(Secret::from(typed))))
        .padding(6)
        .width(Length::Fill);
    let toggle = button(text(if shown {
        fl!("password-hide")
    } else {
        fl!("password-show")
    }))
    .on_press(on_show(!shown))
    .style(button::secondary);
    row![input, toggle].spacing(8).into()
}
