//! The IMAP check's diagnoses: the SMTP codes where they mean the same
//! (`auth_failed`, `tls_mode_mismatch`, `server_unavailable`, …) and its own
//! `imap_login_disabled`, `mailbox_not_found` and `imap_account_disabled`,
//! recognised from response codes (RFC 5530) and the providers' known texts.

use super::wire::{Status, StatusResponse};
use crate::core::check::diagnosis::{Code, Diagnosis};
use crate::core::profile::Security;

/// Implicit TLS against a plain port (`plain_answered`) or the reverse, with
/// IMAP's usual ports (993 for TLS, 143 for STARTTLS).
pub fn mode_mismatch(plain_answered: bool, port: u16) -> Diagnosis {
    let (security, port) = if plain_answered {
        (Security::Starttls, if port == 993 { 143 } else { port })
    } else {
        (Security::Tls, if port == 143 { 993 } else { port })
    };
    Diagnosis::new(Code::TlsModeMismatch)
        .arg("found", if plain_answered { "plain" } else { "tls" })
        .arg("security", security.as_str())
        .arg("port", port.to_string())
}

fn with_reply(code: Code, response: &StatusResponse) -> Diagnosis {
    Diagnosis::new(code).arg("reply", response.summary())
}

/// The texts providers answer with when IMAP is turned off for the account
/// (Gmail, Yandex, Mail.ru, Outlook), lower-case.
const ACCOUNT_DISABLED: [&str; 9] = [
    "not enabled for imap",
    "imap is disabled",
    "imap access is disabled",
    "imap access disabled",
    "imap disabled",
    "log in via your web browser",
    "web login required",
    "does not have access rights to this service",
    "imap is not enabled",
];

/// Whether a refusal says IMAP is turned off for this account.
pub fn account_disabled(response: &StatusResponse) -> bool {
    ACCOUNT_DISABLED.iter().any(|t| response.mentions(t))
}

/// A greeting or an untagged BYE: the server refuses the session.
pub fn bye(response: &StatusResponse) -> Diagnosis {
    if account_disabled(response) {
        return with_reply(Code::ImapAccountDisabled, response);
    }
    with_reply(Code::ServerUnavailable, response)
}

/// A refused command outside the cases below.
pub fn refused(response: &StatusResponse) -> Diagnosis {
    if response.status == Status::Bye || response.code_name().as_deref() == Some("UNAVAILABLE") {
        return with_reply(Code::ServerUnavailable, response);
    }
    with_reply(Code::ProtocolError, response)
}

/// Logins are turned off here: LOGINDISABLED and no mechanism to use, or the
/// server's PRIVACYREQUIRED.
pub fn login_disabled(mechanisms: &[String], starttls: bool, port: u16) -> Diagnosis {
    let offered = if mechanisms.is_empty() {
        "—".to_owned()
    } else {
        mechanisms.join(", ")
    };
    Diagnosis::new(Code::ImapLoginDisabled)
        .arg("offered", offered)
        .arg("starttls", if starttls { "yes" } else { "no" })
        .arg("port", port.to_string())
}

/// A refused LOGIN or AUTHENTICATE, with the providers' well-known replies recognised.
pub fn login_refused(response: &StatusResponse, mechanism: &str, offered: &[String]) -> Diagnosis {
    let code = response.code_name().unwrap_or_default();
    if account_disabled(response) {
        return with_reply(Code::ImapAccountDisabled, response);
    }
    if response.mentions("application-specific password") {
        return with_reply(Code::AppPasswordRequired, response);
    }
    if code == "UNAVAILABLE" || response.status == Status::Bye {
        return with_reply(Code::ServerUnavailable, response);
    }
    if code == "PRIVACYREQUIRED" || response.mentions("plaintext authentication disallowed") {
        return with_reply(Code::ImapLoginDisabled, response)
            .arg("offered", offered.join(", "))
            .arg("starttls", "yes");
    }
    if response.mentions("unsupported authentication mechanism")
        || response.status == Status::Bad && response.mentions("mechanism")
    {
        return Diagnosis::new(Code::AuthMechanismUnavailable)
            .arg("wanted", mechanism)
            .arg("offered", offered.join(", "))
            .arg("reply", response.summary());
    }
    with_reply(Code::AuthFailed, response)
}

/// A refused SELECT: the folder does not exist (RFC 5530 NONEXISTENT, or the
/// servers' texts), else the reply as it is.
pub fn select_refused(response: &StatusResponse, folder: &str) -> Diagnosis {
    let missing = response.code_name().as_deref() == Some("NONEXISTENT")
        || [
            "doesn't exist",
            "does not exist",
            "not found",
            "no such mailbox",
            "unknown mailbox",
            "no such folder",
        ]
        .iter()
        .any(|t| response.mentions(t));
    if missing {
        return with_reply(Code::MailboxNotFound, response).arg("name", folder);
    }
    refused(response)
}

#[cfg(test)]
mod tests {
    use super::super::wire::{Response, parse};
    use super::*;

    fn status(line: &str) -> StatusResponse {
        match parse(line).unwrap() {
            Response::Status(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn provider_refusals_map_to_their_codes() {
        let offered = ["PLAIN".to_owned()];
        let cases = [
            (
                "a2 NO [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)",
                Code::ImapAccountDisabled,
            ),
            (
                "a2 NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)",
                Code::ImapAccountDisabled,
            ),
            (
                "a2 NO [AUTHORIZATIONFAILED] This user does not have access rights to this service",
                Code::ImapAccountDisabled,
            ),
            (
                "a2 NO IMAP is disabled for this account",
                Code::ImapAccountDisabled,
            ),
            (
                "a2 NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)",
                Code::AppPasswordRequired,
            ),
            (
                "a2 NO [AUTHENTICATIONFAILED] Authentication failed.",
                Code::AuthFailed,
            ),
            ("a2 NO LOGIN failed.", Code::AuthFailed),
            (
                "a2 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                Code::ImapLoginDisabled,
            ),
            (
                "a2 NO [UNAVAILABLE] Temporary authentication failure.",
                Code::ServerUnavailable,
            ),
            (
                "a2 BAD Unsupported authentication mechanism.",
                Code::AuthMechanismUnavailable,
            ),
        ];
        for (line, code) in cases {
            assert_eq!(
                login_refused(&status(line), "PLAIN", &offered).code,
                code,
                "{line}"
            );
        }
    }

    #[test]
    fn missing_folders_and_mode_mismatch() {
        let dovecot = status("a4 NO [NONEXISTENT] Mailbox doesn't exist: Nope");
        let d = select_refused(&dovecot, "Nope");
        assert_eq!(
            (d.code, d.get("name")),
            (Code::MailboxNotFound, Some("Nope"))
        );
        assert_eq!(
            select_refused(&status("a4 NO Unknown Mailbox: Nope (Failure)"), "Nope").code,
            Code::MailboxNotFound
        );
        assert_eq!(
            select_refused(&status("a4 NO [SERVERBUG] Internal error"), "INBOX").code,
            Code::ProtocolError
        );
        let plain = mode_mismatch(true, 993);
        assert_eq!(
            (plain.get("security"), plain.get("port")),
            (Some("starttls"), Some("143"))
        );
        let tls = mode_mismatch(false, 143);
        assert_eq!(
            (tls.get("security"), tls.get("port")),
            (Some("tls"), Some("993"))
        );
    }
}
