//! The test message a check sends: From with the sender's name, every
//! recipient, the profile's subject prefix before the translated test subject,
//! Date, Message-ID and a short body naming the profile, the route and the time.

use lettre::message::{Mailbox, header::ContentType};
use thiserror::Error;

use crate::core::profile::Profile;
use crate::i18n::{self, Localize};

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum MessageError {
    #[error("invalid sender address {0:?}")]
    Sender(String),
    #[error("invalid recipient {0:?}")]
    Recipient(String),
    #[error("no recipients")]
    NoRecipients,
    #[error("cannot build the message: {0}")]
    Build(String),
}

impl MessageError {
    /// The error as a stable code, the Fluent id that words it and its arguments.
    pub fn reason(&self) -> (&'static str, &'static str, Vec<(&'static str, String)>) {
        match self {
            MessageError::Sender(a) => (
                "bad_sender",
                "check-message-bad-sender",
                vec![("address", a.clone())],
            ),
            MessageError::Recipient(a) => (
                "bad_recipient",
                "check-message-bad-recipient",
                vec![("address", a.clone())],
            ),
            MessageError::NoRecipients => ("no_recipients", "check-message-no-recipients", vec![]),
            MessageError::Build(reason) => (
                "build",
                "check-message-build",
                vec![("reason", reason.clone())],
            ),
        }
    }
}

impl Localize for MessageError {
    fn localize(&self) -> String {
        match self {
            MessageError::Sender(a) => {
                i18n::tr_args("check-message-bad-sender", &[("address", a.clone())])
            }
            MessageError::Recipient(a) => {
                i18n::tr_args("check-message-bad-recipient", &[("address", a.clone())])
            }
            MessageError::NoRecipients => i18n::tr("check-message-no-recipients"),
            MessageError::Build(reason) => {
                i18n::tr_args("check-message-build", &[("reason", reason.clone())])
            }
        }
    }
}

/// A message ready for the wire: envelope and the formatted bytes (CRLF lines).
#[derive(Debug, Clone)]
pub struct TestMessage {
    pub sender: String,
    pub recipients: Vec<String>,
    pub bytes: Vec<u8>,
    /// The first envelope address with non-ASCII characters: only a server that
    /// offers SMTPUTF8 (RFC 6531) can take it, with `MAIL FROM:<…> SMTPUTF8`.
    pub needs_smtputf8: Option<String>,
    /// The body has 8-bit bytes: sent with `BODY=8BITMIME` (or BDAT) where the
    /// server offers it, else re-encoded quoted-printable before it goes.
    pub eight_bit: bool,
    /// DSN (RFC 3461) `NOTIFY=` for every recipient, when the server offers DSN.
    pub notify: Option<String>,
    /// DSN `RET=` (`FULL` or `HDRS`), when the server offers DSN.
    pub ret: Option<String>,
}

/// The subject: the profile's prefix, a space, the translated test subject.
pub fn subject(profile: &Profile) -> String {
    let base = i18n::tr("check-test-subject");
    let prefix = profile.subject_prefix.trim();
    if prefix.is_empty() {
        base
    } else {
        format!("{prefix} {base}")
    }
}

/// What makes one test message findable again (the round trip): a token shown
/// at the end of the subject and the whole `Message-ID` (with its `<>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marks {
    pub token: String,
    pub message_id: String,
}

/// Builds the test message of `profile` to `recipients`; `route` names the
/// server or program it goes through.
pub fn build(
    profile: &Profile,
    recipients: &[String],
    route: &str,
) -> Result<TestMessage, MessageError> {
    build_marked(profile, recipients, route, None)
}

/// [`build`], with the round trip's token in the subject and its Message-ID.
pub fn build_marked(
    profile: &Profile,
    recipients: &[String],
    route: &str,
    marks: Option<&Marks>,
) -> Result<TestMessage, MessageError> {
    let address = profile.sender.address.trim();
    let from_address = address
        .parse()
        .map_err(|_| MessageError::Sender(address.to_owned()))?;
    let name = profile.sender.name.trim();
    let from = Mailbox::new((!name.is_empty()).then(|| name.to_owned()), from_address);
    if recipients.is_empty() {
        return Err(MessageError::NoRecipients);
    }
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(match marks {
            Some(marks) => format!("{} [{}]", subject(profile), marks.token),
            None => subject(profile),
        })
        .date_now()
        .message_id(marks.map(|m| m.message_id.clone()))
        .user_agent(format!("Outbound {}", env!("CARGO_PKG_VERSION")));
    for recipient in recipients {
        let mailbox: Mailbox = recipient
            .parse()
            .map_err(|_| MessageError::Recipient(recipient.clone()))?;
        builder = builder.to(mailbox);
    }
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let body = i18n::tr_args(
        "check-test-body",
        &[
            ("profile", profile.name.clone()),
            ("route", route.to_owned()),
            ("time", now),
        ],
    );
    let message = builder
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| MessageError::Build(e.to_string()))?;
    let recipients = message
        .envelope()
        .to()
        .iter()
        .map(|a| a.to_string())
        .collect();
    let sender = address.to_owned();
    let needs_smtputf8 = std::iter::once(&sender)
        .chain(&recipients)
        .find(|a| !a.is_ascii())
        .cloned();
    Ok(TestMessage {
        sender,
        recipients,
        bytes: message.formatted(),
        needs_smtputf8,
        eight_bit: false,
        notify: None,
        ret: None,
    })
}

/// The message as SMTP `DATA` content: lines starting with a dot doubled, CRLF
/// line ends, and the final `.` line.
pub fn dot_stuffed(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut at_line_start = true;
    let mut previous = 0u8;
    for &b in bytes {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
        previous = b;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// The recipients list of a profile or the command line, each checked.
pub fn recipients(list: &str) -> Result<Vec<String>, MessageError> {
    crate::core::profile::parse_recipients(list)
        .map(|boxes| boxes.into_iter().map(|m| m.email.to_string()).collect())
        .map_err(MessageError::Recipient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_ascii_address_needs_smtputf8_and_is_written_as_utf8() {
        let mut profile = Profile::named("p");
        profile.sender.address = "sender@example.org".to_owned();
        let to = vec!["пользователь@example.org".to_owned()];
        let message = build(&profile, &to, "route").unwrap();
        assert_eq!(
            message.needs_smtputf8.as_deref(),
            Some("пользователь@example.org")
        );
        assert_eq!(message.recipients, to);
        let text = String::from_utf8(message.bytes.clone()).unwrap();
        assert!(text.contains("To: пользователь@example.org"), "{text}");
        let ascii = build(&profile, &["a@example.org".to_owned()], "route").unwrap();
        assert_eq!(ascii.needs_smtputf8, None);
    }

    #[test]
    fn marks_put_the_token_in_the_subject_and_set_the_message_id() {
        let mut profile = Profile::named("p");
        profile.sender.address = "sender@example.org".to_owned();
        let marks = Marks {
            token: "OB-1234abcd".to_owned(),
            message_id: "<roundtrip.OB-1234abcd@example.org>".to_owned(),
        };
        let to = ["a@example.org".to_owned()];
        let message = build_marked(&profile, &to, "route", Some(&marks)).unwrap();
        let text = String::from_utf8(message.bytes).unwrap();
        assert!(text.contains("[OB-1234abcd]"), "{text}");
        assert!(
            text.contains("Message-ID: <roundtrip.OB-1234abcd@example.org>"),
            "{text}"
        );
    }
}
