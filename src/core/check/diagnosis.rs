//! One diagnosis for a whole check: a stable code from DESIGN.md, the arguments
//! its translated explanation and hint need, and, when the fix is a setting, the
//! setting to apply.

use serde::Serialize;
use serde_json::{Value, json};

use super::wire::Reply;
use crate::core::profile::{AuthMethod, Security};
use crate::i18n;

macro_rules! codes {
    ($($variant:ident = $name:literal,)*) => {
        /// The stable diagnosis codes (DESIGN.md, section Check).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as it appears in JSON and tests: `tls_mode_mismatch`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }
        }
    };
}

codes! {
    Ok = "ok",
    DnsFailed = "dns_failed",
    ConnectRefused = "connect_refused",
    ConnectTimeout = "connect_timeout",
    ConnectUnreachable = "connect_unreachable",
    ConnectionReset = "connection_reset",
    Timeout = "timeout",
    TlsHandshakeFailed = "tls_handshake_failed",
    TlsModeMismatch = "tls_mode_mismatch",
    CertificateUntrusted = "certificate_untrusted",
    CertificateExpired = "certificate_expired",
    CertificateNameMismatch = "certificate_name_mismatch",
    StarttlsUnavailable = "starttls_unavailable",
    AuthMechanismUnavailable = "auth_mechanism_unavailable",
    PlaintextAuthRefused = "plaintext_auth_refused",
    AuthFailed = "auth_failed",
    AppPasswordRequired = "app_password_required",
    AuthDisabledByProvider = "auth_disabled_by_provider",
    // OAuth 2.0 (issue 13): the refresh was refused, a new sign-in is needed.
    OauthSignInRequired = "oauth_sign_in_required",
    SenderRejected = "sender_rejected",
    RelayDenied = "relay_denied",
    Smtputf8Unsupported = "smtputf8_unsupported",
    RecipientRejected = "recipient_rejected",
    MessageRejected = "message_rejected",
    ServerUnavailable = "server_unavailable",
    ProtocolError = "protocol_error",
    SendmailNotFound = "sendmail_not_found",
    SendmailNotExecutable = "sendmail_not_executable",
    SendmailFailed = "sendmail_failed",
    KeyringUnavailable = "keyring_unavailable",
    Cancelled = "cancelled",
    // The command line's: the check did not start (issue 11).
    ProfileDisabled = "profile_disabled",
    LimitReached = "limit_reached",
    CannotStart = "cannot_start",
    // The IMAP check's (issue 14).
    ImapLoginDisabled = "imap_login_disabled",
    MailboxNotFound = "mailbox_not_found",
    ImapAccountDisabled = "imap_account_disabled",
    // The round trip's (issue 14).
    NotDelivered = "not_delivered",
    DeliveredToSpam = "delivered_to_spam",
    // Kerberos (issue 16).
    KerberosNoTicket = "kerberos_no_ticket",
    KerberosClockSkew = "kerberos_clock_skew",
    KerberosUnknownServer = "kerberos_unknown_server",
}

impl Code {
    /// The Fluent id of the one-line explanation: `diag-tls-mode-mismatch`.
    pub fn message_id(self) -> String {
        format!("diag-{}", self.as_str().replace('_', "-"))
    }

    /// The Fluent id of the remediation hint: `diag-tls-mode-mismatch-hint`.
    pub fn hint_id(self) -> String {
        format!("{}-hint", self.message_id())
    }
}

/// Every argument name the `diag-*` messages use.
const ARG_NAMES: [&str; 14] = [
    "host", "port", "seconds", "found", "security", "wanted", "offered", "address", "path",
    "reply", "starttls", "name", "limit", "folder",
];

/// A setting that fixes the problem (the window offers it as an Apply button).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "field")]
pub enum Fix {
    /// Change security and port, after `tls_mode_mismatch`.
    Security { security: Security, port: u16 },
    /// Change the authentication method, after `auth_mechanism_unavailable`.
    Auth { auth: AuthMethod },
    /// Sign in with OAuth (`auth` is XOAUTH2 or OAUTHBEARER, whichever the
    /// server offers), after a provider refused passwords:
    /// `app_password_required`, `auth_disabled_by_provider`.
    SignIn { auth: AuthMethod },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    pub code: Code,
    /// Arguments of the explanation and hint (every one they use).
    pub args: Vec<(&'static str, String)>,
    pub fix: Option<Fix>,
    /// The Fluent id that words the `reason` argument; its text becomes `reply`
    /// when no reply was given (see [`Diagnosis::reason`]).
    reason_id: Option<String>,
}

impl Diagnosis {
    pub fn new(code: Code) -> Self {
        Diagnosis {
            code,
            args: Vec::new(),
            fix: None,
            reason_id: None,
        }
    }

    /// Why, as a stable code with its arguments (`reason: closed`); the messages'
    /// `reply` is then its text, `check-detail-CODE`, in the interface language.
    /// So the arguments stay the same in every language.
    pub fn reason(self, code: &'static str, args: &[(&'static str, String)]) -> Self {
        let id = format!("check-detail-{}", code.replace('_', "-"));
        self.reason_id(code, id, args)
    }

    /// [`Diagnosis::reason`] worded by the Fluent message `id`.
    pub fn reason_id(
        mut self,
        code: &'static str,
        id: impl Into<String>,
        args: &[(&'static str, String)],
    ) -> Self {
        self.args.push(("reason", code.to_owned()));
        for (name, value) in args {
            if !self.args.iter().any(|(k, _)| k == name) {
                self.args.push((name, value.clone()));
            }
        }
        self.reason_id = Some(id.into());
        self
    }

    /// The value of argument `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn is_ok(&self) -> bool {
        self.code == Code::Ok
    }

    /// The one-line explanation in the interface language.
    pub fn message(&self) -> String {
        i18n::tr_args(&self.code.message_id(), &self.full_args())
    }

    /// What to do about it, in the interface language.
    pub fn hint(&self) -> String {
        i18n::tr_args(&self.code.hint_id(), &self.full_args())
    }

    /// The arguments, with every name a message may use present (a missing one
    /// would show as `{$name}`).
    fn full_args(&self) -> Vec<(&str, String)> {
        let mut args: Vec<(&str, String)> =
            self.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        if let Some(id) = &self.reason_id
            && !args.iter().any(|(k, _)| *k == "reply")
        {
            let reply = i18n::tr_args(id, &args);
            args.push(("reply", reply));
        }
        for name in ARG_NAMES {
            if !args.iter().any(|(k, _)| *k == name) {
                args.push((name, "?".to_owned()));
            }
        }
        args
    }

    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "code": self.code.as_str(),
            "args": super::detail::args_json(&self.args),
            "message": self.message(),
            "hint": self.hint(),
        });
        if let Some(fix) = &self.fix {
            value["fix"] = json!(fix);
        }
        value
    }
}

/// `implicit TLS against a plain port` (`plain_answered`) or the reverse.
pub fn tls_mode_mismatch(plain_answered: bool, port: u16) -> Diagnosis {
    let (security, suggested_port) = if plain_answered {
        (Security::Starttls, if port == 465 { 587 } else { port })
    } else {
        (Security::Tls, port)
    };
    let key = if plain_answered { "plain" } else { "tls" };
    Diagnosis::new(Code::TlsModeMismatch)
        .arg("found", key)
        .arg("security", security.as_str())
        .arg("port", suggested_port.to_string())
        .with_fix(Fix::Security {
            security,
            port: suggested_port,
        })
}

fn with_reply(code: Code, reply: &Reply) -> Diagnosis {
    Diagnosis::new(code).arg("reply", reply.summary())
}

/// A `421` anywhere: the server is shutting down or refuses service for now.
fn unavailable(reply: &Reply) -> Option<Diagnosis> {
    (reply.code == 421).then(|| with_reply(Code::ServerUnavailable, reply))
}

/// The greeting was not `220`.
pub fn greeting_refused(reply: &Reply) -> Diagnosis {
    match reply.code {
        421 | 554 => with_reply(Code::ServerUnavailable, reply),
        _ => with_reply(Code::ProtocolError, reply),
    }
}

/// A refused command outside the cases below.
pub fn refused(reply: &Reply) -> Diagnosis {
    unavailable(reply).unwrap_or_else(|| with_reply(Code::ProtocolError, reply))
}

/// A refused `AUTH`, with the providers' well-known replies recognised.
pub fn auth_refused(reply: &Reply, mechanism: &str, offered: &[String]) -> Diagnosis {
    if let Some(d) = unavailable(reply) {
        return d;
    }
    let enhanced = reply.enhanced().unwrap_or("");
    if reply.code == 534 && enhanced == "5.7.9" || reply.mentions("application-specific password") {
        return with_sign_in(with_reply(Code::AppPasswordRequired, reply), offered);
    }
    // Microsoft 365: 535 5.7.139 (SMTP AUTH off for the tenant or mailbox),
    // 550 5.7.30 (Basic authentication not supported for Client Submission).
    if enhanced == "5.7.139"
        || enhanced == "5.7.30"
        || reply.mentions("SmtpClientAuthentication is disabled")
    {
        return with_sign_in(with_reply(Code::AuthDisabledByProvider, reply), offered);
    }
    if reply.code == 504 || enhanced == "5.5.4" && reply.mentions("auth") {
        return mechanism_unavailable(mechanism, offered);
    }
    with_reply(Code::AuthFailed, reply)
}

/// A provider that refuses passwords: the fix is to sign in, when the
/// server offers a mechanism for a token.
fn with_sign_in(diagnosis: Diagnosis, offered: &[String]) -> Diagnosis {
    let auth = if offered.iter().any(|m| m == "XOAUTH2") {
        AuthMethod::Xoauth2
    } else if offered.iter().any(|m| m == "OAUTHBEARER") {
        AuthMethod::Oauthbearer
    } else {
        return diagnosis;
    };
    diagnosis.with_fix(Fix::SignIn { auth })
}

/// The mechanism asked for is not offered; lists what is.
pub fn mechanism_unavailable(wanted: &str, offered: &[String]) -> Diagnosis {
    let list = if offered.is_empty() {
        "—".to_owned()
    } else {
        offered.join(", ")
    };
    let mut diagnosis = Diagnosis::new(Code::AuthMechanismUnavailable)
        .arg("wanted", wanted)
        .arg("offered", list);
    let best = ["CRAM-MD5", "PLAIN", "LOGIN"]
        .iter()
        .find(|m| offered.iter().any(|o| o == *m));
    if best.is_some() && wanted != "auto" {
        diagnosis = diagnosis.with_fix(Fix::Auth {
            auth: AuthMethod::Auto,
        });
    }
    diagnosis
}

/// Auto would have sent a reusable password without encryption: refused before
/// AUTH. When the server offered STARTTLS on this port, the fix is to use it.
pub fn plaintext_auth_refused(offered: &[String], starttls_offered: bool, port: u16) -> Diagnosis {
    let diagnosis = Diagnosis::new(Code::PlaintextAuthRefused)
        .arg("offered", offered.join(", "))
        .arg("starttls", if starttls_offered { "yes" } else { "no" })
        .arg("port", port.to_string());
    if starttls_offered {
        diagnosis.with_fix(Fix::Security {
            security: Security::Starttls,
            port,
        })
    } else {
        diagnosis
    }
}

/// A refused `MAIL FROM`.
pub fn sender_refused(reply: &Reply, sender: &str) -> Diagnosis {
    if let Some(d) = unavailable(reply) {
        return d;
    }
    if reply.code == 530 || reply.mentions("authentication required") {
        return with_reply(Code::RelayDenied, reply);
    }
    with_reply(Code::SenderRejected, reply).arg("address", sender)
}

/// A refused `RCPT TO`: relay denial, a sender not allowed for this login, or
/// the recipient itself.
pub fn recipient_refused(reply: &Reply, recipient: &str, sender: &str) -> Diagnosis {
    if let Some(d) = unavailable(reply) {
        return d;
    }
    let enhanced = reply.enhanced().unwrap_or("");
    if reply.mentions("sender address rejected") || reply.mentions("not owned by") {
        return with_reply(Code::SenderRejected, reply).arg("address", sender);
    }
    if reply.mentions("relay") || enhanced == "5.7.1" || reply.code == 530 {
        return with_reply(Code::RelayDenied, reply).arg("address", recipient);
    }
    with_reply(Code::RecipientRejected, reply).arg("address", recipient)
}

/// A refused `DATA` or message.
pub fn message_refused(reply: &Reply) -> Diagnosis {
    unavailable(reply).unwrap_or_else(|| with_reply(Code::MessageRejected, reply))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_explanation_and_a_hint() {
        for code in Code::ALL {
            assert!(i18n::has(&code.message_id()), "{}", code.message_id());
            assert!(i18n::has(&code.hint_id()), "{}", code.hint_id());
            let diagnosis = Diagnosis::new(*code);
            assert!(
                !diagnosis.message().contains("{$"),
                "{}",
                diagnosis.message()
            );
        }
        assert_eq!(Code::ALL.len(), 42);
    }

    #[test]
    fn provider_replies_map_to_their_codes() {
        let reply = |code, text: &str| Reply {
            code,
            lines: vec![text.to_owned()],
        };
        let offered = vec!["PLAIN".to_owned()];
        assert_eq!(
            auth_refused(
                &reply(534, "5.7.9 Application-specific password required"),
                "PLAIN",
                &offered
            )
            .code,
            Code::AppPasswordRequired
        );
        assert_eq!(
            auth_refused(
                &reply(535, "5.7.139 Authentication unsuccessful"),
                "LOGIN",
                &offered
            )
            .code,
            Code::AuthDisabledByProvider
        );
        // The fix is a sign-in with what the server offers for a token.
        let google = vec!["PLAIN".to_owned(), "XOAUTH2".to_owned()];
        let refused = auth_refused(
            &reply(534, "5.7.9 Application-specific password required"),
            "PLAIN",
            &google,
        );
        assert_eq!(
            refused.fix,
            Some(Fix::SignIn {
                auth: AuthMethod::Xoauth2
            })
        );
        let bearer = vec!["LOGIN".to_owned(), "OAUTHBEARER".to_owned()];
        let refused = auth_refused(
            &reply(550, "5.7.30 Basic authentication is not supported"),
            "LOGIN",
            &bearer,
        );
        assert_eq!(refused.code, Code::AuthDisabledByProvider);
        assert_eq!(
            refused.fix,
            Some(Fix::SignIn {
                auth: AuthMethod::Oauthbearer
            })
        );
        assert_eq!(
            auth_refused(
                &reply(535, "5.7.8 Username and Password not accepted"),
                "PLAIN",
                &offered
            )
            .code,
            Code::AuthFailed
        );
        assert_eq!(
            recipient_refused(
                &reply(554, "5.7.1 <x@y>: Relay access denied"),
                "x@y",
                "s@z"
            )
            .code,
            Code::RelayDenied
        );
        assert_eq!(
            recipient_refused(&reply(550, "5.1.1 User unknown"), "x@y", "s@z").code,
            Code::RecipientRejected
        );
        assert_eq!(
            greeting_refused(&reply(421, "4.3.2 busy")).code,
            Code::ServerUnavailable
        );
        let mismatch = tls_mode_mismatch(false, 465);
        assert_eq!(
            mismatch.fix,
            Some(Fix::Security {
                security: Security::Tls,
                port: 465
            })
        );
        assert!(mismatch.hint().contains("tls") && mismatch.hint().contains("465"));
    }
}
