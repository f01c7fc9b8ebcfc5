//! `outbound send`: the sendmail-compatible front door. A message read from a
//! program is prepared ([`prepare`]), routed to a profile ([`route`]) and
//! delivered ([`deliver`]) through the check's SMTP engine (one connection
//! for any number of messages) or the profile's sendmail program; every
//! failure ends in a sysexits code ([`Sysexit`]) as mail programs expect.
//!
//! The pipeline of [`pipeline`] stops between routing and delivery with a
//! [`pipeline::Ready`] message; [`submit`] delivers it or puts it in the
//! queue and writes its log line.

pub mod args;
pub mod headers;
pub mod mime;
pub mod pipeline;
pub mod prepare;
pub mod route;
pub mod submit;

use rustls::pki_types::CertificateDer;
use serde::{Deserialize, Serialize};

use crate::core::check::message::TestMessage;
use crate::core::check::{self, Code, Diagnosis, Progress, sendmail, smtp};
use crate::core::profile::{Delivery as Via, Profile};
use crate::core::secret::Secret;

pub use route::{RouteError, Routed, route};

/// Who a message is from and to, as SMTP sees it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// `""` is the null sender (`<>`, bounces).
    pub sender: String,
    pub recipients: Vec<String>,
    #[serde(default)]
    pub dsn: Dsn,
}

/// Delivery status notifications asked for (`-N`, `-R`), sent only to a
/// server that offers DSN (RFC 3461).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Dsn {
    /// `-N`: `never` or a list of `success,failure,delay` (as SMTP: upper case).
    pub notify: Option<String>,
    /// `-R`: `full` or `hdrs` (as SMTP: `FULL`, `HDRS`).
    pub ret: Option<String>,
}

/// A prepared message: its envelope and its bytes (CRLF lines, Bcc gone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub envelope: Envelope,
    pub message: Vec<u8>,
}

impl Outgoing {
    /// The message as the engine hands it over.
    fn engine_message(&self) -> TestMessage {
        let needs_smtputf8 = std::iter::once(&self.envelope.sender)
            .chain(&self.envelope.recipients)
            .find(|a| !a.is_ascii())
            .cloned();
        TestMessage {
            sender: self.envelope.sender.clone(),
            recipients: self.envelope.recipients.clone(),
            bytes: self.message.clone(),
            needs_smtputf8,
            eight_bit: mime::has_eight_bit(mime::split(&self.message).1),
            notify: self.envelope.dsn.notify.clone(),
            ret: self.envelope.dsn.ret.clone(),
        }
    }
}

/// What delivery needs besides the profile.
#[derive(Debug, Clone, Default)]
pub struct DeliverOptions {
    /// The password or OAuth2 token (from the keyring); `None` sends none.
    pub password: Option<Secret>,
    /// `password` is an OAuth access token.
    pub token_held: bool,
    /// Certificates trusted besides the platform's (tests, private CAs).
    pub extra_roots: Vec<CertificateDer<'static>>,
}

/// The outcome of one delivery run.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// One per message, in the order given.
    pub outcomes: Vec<Outcome>,
    /// Steps and the transcript (secrets redacted) of the whole run.
    pub report: check::Report,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// Accepted: the server's reply (`250 2.0.0 Ok: queued as …`) or the
    /// program's exit status.
    Sent {
        reply: String,
    },
    Failed(Failure),
}

impl Outcome {
    pub fn exit(&self) -> Sysexit {
        match self {
            Outcome::Sent { .. } => Sysexit::Ok,
            Outcome::Failed(failure) => failure.exit,
        }
    }
}

/// Why a message did not go.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Worth trying again later (4xx, a timeout, no network).
    pub temporary: bool,
    pub exit: Sysexit,
    pub diagnosis: Diagnosis,
    /// The server's reply that refused it, when one did.
    pub reply: Option<String>,
}

impl Failure {
    /// What went wrong, translated, with the server's reply when the
    /// diagnosis does not already quote it.
    pub fn describe(&self) -> String {
        let text = self.diagnosis.message();
        match &self.reply {
            Some(reply) if !text.contains(reply.as_str()) => format!("{text} ({reply})"),
            _ => text,
        }
    }
}

/// The exit codes of sysexits.h that mail programs read.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Sysexit {
    Ok,
    /// 64 EX_USAGE: a bad command line.
    Usage,
    /// 65 EX_DATAERR: the message itself is bad.
    DataErr,
    /// 67 EX_NOUSER: no profile for this sender.
    NoUser,
    /// 69 EX_UNAVAILABLE: refused for good (5xx).
    Unavailable,
    /// 70 EX_SOFTWARE: an internal error.
    Software,
    /// 75 EX_TEMPFAIL: try again later (4xx, timeout, no network).
    TempFail,
    /// 77 EX_NOPERM: the login was refused.
    NoPerm,
    /// 78 EX_CONFIG: the profile cannot work as configured.
    Config,
}

impl Sysexit {
    pub fn code(self) -> u8 {
        match self {
            Sysexit::Ok => 0,
            Sysexit::Usage => 64,
            Sysexit::DataErr => 65,
            Sysexit::NoUser => 67,
            Sysexit::Unavailable => 69,
            Sysexit::Software => 70,
            Sysexit::TempFail => 75,
            Sysexit::NoPerm => 77,
            Sysexit::Config => 78,
        }
    }

    /// The name of sysexits.h (`EX_TEMPFAIL`), as the log writes it.
    pub fn name(self) -> &'static str {
        match self {
            Sysexit::Ok => "EX_OK",
            Sysexit::Usage => "EX_USAGE",
            Sysexit::DataErr => "EX_DATAERR",
            Sysexit::NoUser => "EX_NOUSER",
            Sysexit::Unavailable => "EX_UNAVAILABLE",
            Sysexit::Software => "EX_SOFTWARE",
            Sysexit::TempFail => "EX_TEMPFAIL",
            Sysexit::NoPerm => "EX_NOPERM",
            Sysexit::Config => "EX_CONFIG",
        }
    }

    /// The code a program's exit status means (a sysexits code stays itself).
    fn from_status(status: i32) -> Sysexit {
        match status {
            0 => Sysexit::Ok,
            64 => Sysexit::Usage,
            65 => Sysexit::DataErr,
            67 | 68 => Sysexit::NoUser,
            70 => Sysexit::Software,
            71 | 74 | 75 => Sysexit::TempFail,
            77 => Sysexit::NoPerm,
            78 => Sysexit::Config,
            _ => Sysexit::Unavailable,
        }
    }
}

/// Delivers `messages` through `profile`: over ONE SMTP connection (a refused
/// message does not stop the next; RSET after it), or the profile's sendmail
/// program once per message. Dropping the future closes the connection or
/// kills the program.
pub async fn deliver(
    profile: &Profile,
    options: DeliverOptions,
    messages: &[Outgoing],
) -> Delivery {
    let engine: Vec<TestMessage> = messages.iter().map(Outgoing::engine_message).collect();
    match profile.delivery {
        Via::Smtp => {
            let smtp_options = smtp::Options {
                password: options.password,
                token_held: options.token_held,
                extra_roots: options.extra_roots,
                recipients: Vec::new(),
                marks: None,
                progress: Progress::none(),
            };
            let (report, handovers) = smtp::hand_over(profile, smtp_options, &engine).await;
            let outcomes = handovers.into_iter().map(smtp_outcome).collect();
            Delivery { outcomes, report }
        }
        Via::Sendmail => {
            let mut outcomes = Vec::with_capacity(engine.len());
            let mut merged: Option<check::Report> = None;
            for message in &engine {
                let (report, status) =
                    sendmail::hand_over(profile, message, Progress::none()).await;
                outcomes.push(program_outcome(&report, status));
                merged = Some(match merged {
                    None => report,
                    Some(mut all) => {
                        if all.diagnosis.is_ok() {
                            all.diagnosis = report.diagnosis;
                        }
                        all.steps.extend(report.steps);
                        all.transcript.extend(report.transcript);
                        all.sent |= report.sent;
                        all.server = report.server;
                        all
                    }
                });
            }
            let report = merged
                .unwrap_or_else(|| check::Report::not_started(Diagnosis::new(Code::Ok), None));
            Delivery { outcomes, report }
        }
    }
}

fn smtp_outcome(handover: smtp::Handover) -> Outcome {
    let reply = handover.reply.as_ref().map(|r| r.summary());
    if handover.sent {
        return Outcome::Sent {
            reply: reply.unwrap_or_default(),
        };
    }
    let code = handover.reply.as_ref().map(|r| r.code);
    let (temporary, exit) = classify(&handover.diagnosis, code);
    Outcome::Failed(Failure {
        temporary,
        exit,
        diagnosis: handover.diagnosis,
        reply,
    })
}

fn program_outcome(report: &check::Report, status: Option<i32>) -> Outcome {
    if report.sent {
        return Outcome::Sent {
            reply: status.map(|s| format!("exit {s}")).unwrap_or_default(),
        };
    }
    let (temporary, exit) = match (report.diagnosis.code, status) {
        (Code::SendmailFailed, Some(status)) => {
            let exit = Sysexit::from_status(status);
            (exit == Sysexit::TempFail, exit)
        }
        _ => classify(&report.diagnosis, None),
    };
    Outcome::Failed(Failure {
        temporary,
        exit,
        diagnosis: report.diagnosis.clone(),
        reply: report.diagnosis.get("reply").map(str::to_owned),
    })
}

/// Whether a failure is temporary, and its exit code: the reply's class when
/// the server refused, else the diagnosis.
pub fn classify(diagnosis: &Diagnosis, reply_code: Option<u16>) -> (bool, Sysexit) {
    if reply_code.is_some_and(|c| c / 100 == 4) {
        return (true, Sysexit::TempFail);
    }
    let exit = match diagnosis.code {
        Code::Ok => Sysexit::Ok,
        Code::DnsFailed
        | Code::ConnectRefused
        | Code::ConnectTimeout
        | Code::ConnectUnreachable
        | Code::ConnectionReset
        | Code::Timeout
        | Code::ProtocolError
        | Code::ServerUnavailable
        | Code::KeyringUnavailable
        | Code::LimitReached => Sysexit::TempFail,
        // A new ticket (kinit, the next domain sign-in) or a set clock lets a
        // queued message go later; a wrong principal needs the profile changed.
        Code::KerberosNoTicket | Code::KerberosClockSkew => Sysexit::TempFail,
        Code::KerberosUnknownServer => Sysexit::Config,
        Code::AuthFailed
        | Code::AppPasswordRequired
        | Code::AuthDisabledByProvider
        | Code::OauthSignInRequired => Sysexit::NoPerm,
        Code::TlsModeMismatch
        | Code::StarttlsUnavailable
        | Code::AuthMechanismUnavailable
        | Code::PlaintextAuthRefused
        | Code::CertificateUntrusted
        | Code::CertificateExpired
        | Code::CertificateNameMismatch
        | Code::SendmailNotFound
        | Code::SendmailNotExecutable
        | Code::ProfileDisabled
        | Code::CannotStart => Sysexit::Config,
        Code::TlsHandshakeFailed
        | Code::SenderRejected
        | Code::RelayDenied
        | Code::Smtputf8Unsupported
        | Code::RecipientRejected
        | Code::MessageRejected
        | Code::SendmailFailed => Sysexit::Unavailable,
        Code::Cancelled => Sysexit::TempFail,
        // The incoming side's codes; a delivery never produces them, but an
        // unknown one is a configuration matter rather than a crash.
        Code::ImapLoginDisabled
        | Code::MailboxNotFound
        | Code::ImapAccountDisabled
        | Code::NotDelivered
        | Code::DeliveredToSpam => Sysexit::Config,
    };
    (exit == Sysexit::TempFail, exit)
}
