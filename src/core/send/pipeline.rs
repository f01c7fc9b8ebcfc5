//! `outbound send` from the command line to the exit code:
//! parse args → read stdin → prepare → route → limits → deliver or queue
//! ([`super::submit`]) → sysexits.
//!
//! [`prepare_and_route`] stops before delivery with a [`Ready`] message (the
//! prepared bytes, the envelope and the profile chosen), so the queue can keep
//! it instead of sending it, and [`deliver_ready`] sends one.

use crate::core::check::credential::{self, CredentialError};
use crate::core::check::limits::{self, LimitError};
use crate::core::check::saved::Account;
use crate::core::check::transcript::{Direction, Line};
use crate::core::profile::{Delivery as Via, Profile};
use crate::core::queue::QueueError;
use crate::core::store::{Paths, Scope, Store, StoreError};
use crate::i18n::{self, Localize};

use super::args::{ArgsError, SendArgs};
use super::prepare::{self, Draft, PrepareError};
use super::route::{self, RouteError, Routed};
use super::{DeliverOptions, Failure, Outcome, Outgoing, Sysexit};

/// A message prepared for the profile routing chose, not sent yet.
#[derive(Debug, Clone)]
pub struct Ready {
    pub outgoing: Outgoing,
    pub routed: Routed,
}

/// Why `outbound send` did not send; each has its sysexits code.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Args(#[from] ArgsError),
    #[error("cannot read the message: {0}")]
    Read(std::io::Error),
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Route(#[from] RouteError),
    /// The keyring, or the OAuth token endpoint, gave no password or token.
    #[error(transparent)]
    Credential(CredentialError),
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// Over the daily limit under `limits.over = refuse`.
    #[error("refused: {0}")]
    LimitRefused(LimitError),
    /// The message was to be queued and could not be.
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// Not sent for `reason` (temporary), and the queue could not keep it.
    #[error("not sent ({reason}) and not queued: {error}")]
    Unqueued { reason: String, error: QueueError },
    #[error("not sent: {}", .0.diagnosis.message())]
    Delivery(Failure),
    /// The async runtime could not be built (no threads, no file handles).
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
}

impl SendError {
    pub fn exit(&self) -> Sysexit {
        match self {
            SendError::Args(_) => Sysexit::Usage,
            SendError::Read(_) => Sysexit::DataErr,
            SendError::Prepare(PrepareError::NoRecipients) => Sysexit::Usage,
            SendError::Prepare(_) => Sysexit::DataErr,
            SendError::Store(_) => Sysexit::Config,
            SendError::Route(RouteError::NoMatch { .. }) => Sysexit::NoUser,
            SendError::Route(RouteError::UnknownProfile(_)) => Sysexit::NoUser,
            SendError::Route(RouteError::Disabled(_)) => Sysexit::Config,
            // Both pass: the keyring comes back, tomorrow's count starts at 0.
            SendError::Credential(CredentialError::Keyring(_)) | SendError::Limit(_) => {
                Sysexit::TempFail
            }
            // As a refused AUTH: only the administrator's new sign-in helps.
            SendError::Credential(CredentialError::SignInRequired { .. }) => Sysexit::NoPerm,
            SendError::Credential(CredentialError::Oauth { temporary, .. }) => {
                if *temporary {
                    Sysexit::TempFail
                } else {
                    Sysexit::Config
                }
            }
            // `refuse` is the administrator saying "do not keep it": 75 would
            // make a calling MTA or mail client hold the message and retry it,
            // queueing it after all; 69 says it is not accepted (as a 5xx
            // does), and the message names the limit.
            SendError::LimitRefused(_) => Sysexit::Unavailable,
            // Not kept anywhere: the caller should keep it and try again.
            SendError::Queue(_) | SendError::Unqueued { .. } => Sysexit::TempFail,
            SendError::Delivery(failure) => failure.exit,
            SendError::Runtime(_) => Sysexit::Software,
        }
    }

    /// Worth trying again later: `send` queues these.
    pub fn temporary(&self) -> bool {
        match self {
            SendError::Delivery(failure) => failure.temporary,
            // Failing to queue is no reason to queue.
            SendError::Queue(_) | SendError::Unqueued { .. } => false,
            other => other.exit() == Sysexit::TempFail,
        }
    }

    /// Why it did not go, for the queue's `last_error` and the log: the
    /// server's reply (or why there was none) without the "not sent" frame.
    pub fn reason(&self) -> String {
        match self {
            SendError::Delivery(failure) => failure.describe(),
            other => other.localize(),
        }
    }

    /// The server's reply code, when a server refused it.
    pub fn status(&self) -> Option<u16> {
        match self {
            SendError::Delivery(failure) => failure
                .reply
                .as_deref()
                .and_then(crate::core::check::msglog::reply_status),
            _ => None,
        }
    }
}

impl Localize for SendError {
    fn localize(&self) -> String {
        match self {
            SendError::Args(error) => error.localize(),
            SendError::Read(error) => {
                i18n::tr_args("send-read-failed", &[("reason", error.to_string())])
            }
            SendError::Prepare(error) => error.localize(),
            SendError::Store(error) => error.localize(),
            SendError::Route(error) => error.localize(),
            SendError::Credential(CredentialError::Keyring(reason)) => {
                i18n::tr_args("send-keyring-failed", &[("reason", reason.clone())])
            }
            // The diagnosis's words: the profile's name and what to do
            // (`outbound profile sign-in NAME`), not the bare reason.
            SendError::Credential(error @ CredentialError::SignInRequired { .. }) => {
                let diagnosis = error.report().diagnosis;
                format!("{} {}", diagnosis.message(), diagnosis.hint())
            }
            SendError::Credential(error) => error.to_string(),
            SendError::Limit(error) => error.localize(),
            SendError::LimitRefused(error) => {
                i18n::tr_args("send-limit-refused", &[("reason", error.localize())])
            }
            SendError::Queue(error) => error.localize(),
            SendError::Unqueued { reason, error } => i18n::tr_args(
                "send-not-queued",
                &[("reason", reason.clone()), ("error", error.localize())],
            ),
            SendError::Delivery(failure) => {
                i18n::tr_args("send-not-sent", &[("reason", failure.describe())])
            }
            SendError::Runtime(error) => {
                i18n::tr_args("cli-no-runtime", &[("reason", error.to_string())])
            }
        }
    }
}

/// Reads the message, prepares it and chooses its profile (nothing is sent).
pub fn prepare_and_route(args: &SendArgs, input: &[u8], paths: &Paths) -> Result<Ready, SendError> {
    let message = prepare::read_input(input, args.request.ignore_dots);
    let draft = Draft::read(&message, args.request.clone())?;
    let loaded = Store::new(paths.clone()).load_all();
    let defaults = route::defaults(paths);
    let envelope_sender = draft.envelope_sender().unwrap_or_default();
    let routed = route::route(
        &loaded.profiles,
        args.profile.as_deref(),
        &envelope_sender,
        &draft.from,
        &defaults,
    )?;
    let outgoing = draft.finish(&routed.profile);
    Ok(Ready { outgoing, routed })
}

/// What `profile` (of `scope`) logs in with when it delivers: its OAuth
/// access token when signed in, else its keyring password
/// ([`credential::credential`], the check's choice).
pub async fn credential(
    paths: &Paths,
    scope: Scope,
    profile: &Profile,
) -> Result<DeliverOptions, SendError> {
    if profile.delivery != Via::Smtp {
        return Ok(DeliverOptions::default());
    }
    let account = Account {
        paths: paths.clone(),
        scope,
        saved: profile.clone(),
    };
    let held = credential::credential(&account, profile.smtp.auth, credential::Password::Keyring)
        .await
        .map_err(SendError::Credential)?;
    Ok(DeliverOptions {
        password: held.secret,
        token_held: held.token_held,
        ..DeliverOptions::default()
    })
}

/// One delivery of a ready message: the server's reply or why it did not
/// go, and the transcript of the connection (secrets redacted).
#[derive(Debug)]
pub struct Attempt {
    pub result: Result<String, SendError>,
    pub transcript: Vec<Line>,
}

/// Sends one ready message through its profile: counted against the daily
/// limit first (given back when it did not go). Each line of the transcript
/// (secrets redacted) also goes to `trace`.
pub async fn deliver_ready(
    ready: &Ready,
    paths: &Paths,
    options: DeliverOptions,
    trace: &mut dyn FnMut(String),
) -> Attempt {
    let failed = |error: SendError| Attempt {
        result: Err(error),
        transcript: Vec::new(),
    };
    let routed = &ready.routed;
    let profile = &routed.profile;
    let limit = profile.limits.daily;
    // 1, or one per recipient under `limits.count = recipient`, as a check
    // and the queue count.
    let amount = limits::amount(
        profile.limits.count,
        ready.outgoing.envelope.recipients.len(),
    );
    // A counts file that cannot be read stops the message only under a limit.
    let counted = match limits::reserve_n(paths, routed.scope, &profile.name, limit, amount) {
        Ok(_) => true,
        Err(error) if limit > 0 => return failed(error.into()),
        Err(_) => false,
    };
    let delivery = super::deliver(profile, options, std::slice::from_ref(&ready.outgoing)).await;
    for line in &delivery.report.transcript {
        let mark = match line.direction {
            Direction::Client => "> ",
            Direction::Server => "< ",
            Direction::Info => "* ",
        };
        trace(format!("{mark}{}", line.text));
    }
    let outcome = delivery.outcomes.into_iter().next();
    let transcript = delivery.report.transcript;
    let result = match outcome {
        Some(Outcome::Sent { reply }) => Ok(reply),
        other => {
            if counted {
                let _ = limits::release_n(paths, routed.scope, &profile.name, amount);
            }
            match other {
                Some(Outcome::Failed(failure)) => Err(SendError::Delivery(failure)),
                _ => Err(SendError::Delivery(Failure {
                    temporary: false,
                    exit: Sysexit::Software,
                    diagnosis: delivery.report.diagnosis,
                    reply: None,
                })),
            }
        }
    };
    Attempt { result, transcript }
}
