//! A profile's check as the window and the command line both run it: what the
//! saved profile allows before sending (enabled, the daily limit), the check
//! itself, then the profile's log.
//!
//! The profile checked may be a draft (the window's unsaved edits, the command
//! line's flags). A draft of a saved profile sends under the saved profile:
//! its scope and name count and log the message, and its saved `enabled`,
//! `limits` and `log` settings apply, so no edit that is not saved yet lifts them.

use crate::core::profile::{Delivery, Profile};
use crate::core::secret::Secret;
use crate::core::store::{Paths, Scope};
use crate::i18n::{self, Localize};

use super::limits::{self, LimitError};
use super::{Progress, Report, log, sendmail, smtp};

/// The saved profile a check is of: where its count and log are kept, and what
/// it allows.
#[derive(Debug, Clone)]
pub struct Account {
    pub paths: Paths,
    pub scope: Scope,
    /// The profile as saved, which the checked profile may be a draft of.
    pub saved: Profile,
}

impl Account {
    /// The account of a saved profile, when there is a store and the profile
    /// is saved (a new draft has none).
    pub fn of(paths: Option<&Paths>, scope: Scope, saved: Option<&Profile>) -> Option<Account> {
        Some(Account {
            paths: paths?.clone(),
            scope,
            saved: saved?.clone(),
        })
    }
}

/// A finished check and what could not be recorded of it.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub report: Report,
    /// The count or the log could not be written; the check's result stands.
    pub notes: Vec<String>,
}

/// Why nothing was sent: the check did not start.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The profile is disabled (`enabled = false`): kept, not used for sending.
    #[error("profile {name} is disabled")]
    Disabled { name: String },
    #[error(transparent)]
    Limit(#[from] LimitError),
}

impl Refusal {
    /// A stable code for scripts: `profile_disabled`, `limit_reached`,
    /// `limit_damaged` or `limit_io`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Disabled { .. } => "profile_disabled",
            Refusal::Limit(LimitError::Reached { .. }) => "limit_reached",
            Refusal::Limit(LimitError::Damaged { .. }) => "limit_damaged",
            Refusal::Limit(LimitError::Io { .. }) => "limit_io",
        }
    }
}

impl Localize for Refusal {
    fn localize(&self) -> String {
        match self {
            Refusal::Disabled { name } => {
                i18n::tr_args("check-profile-disabled", &[("name", name.clone())])
            }
            Refusal::Limit(error) => error.localize(),
        }
    }
}

/// Runs the check of `profile`. With `recipients`, a test message is sent to
/// them, unless the profile is disabled or, with `account`, its daily limit is
/// reached. With `account`, a message sent is counted and the report logged
/// as the saved profile's `log.level` says. A check without sending always runs.
pub async fn run(
    profile: &Profile,
    account: Option<&Account>,
    password: Option<Secret>,
    recipients: Vec<String>,
    progress: Progress,
) -> Result<Outcome, Refusal> {
    run_marked(
        profile,
        account,
        password,
        recipients,
        Marked::default(),
        progress,
    )
    .await
}

/// What the round trip adds to a check's test message.
#[derive(Debug, Clone, Default)]
pub struct Marked {
    pub marks: Option<super::message::Marks>,
    /// Certificates trusted besides the platform's (tests, private CAs).
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    /// The password is the profile's OAuth access token (`auto` then uses it).
    pub token_held: bool,
}

/// [`run`], the test message carrying the round trip's `marks` (SMTP only:
/// with marks the profile's SMTP settings are used whatever its delivery).
pub async fn run_marked(
    profile: &Profile,
    account: Option<&Account>,
    password: Option<Secret>,
    recipients: Vec<String>,
    marked: Marked,
    progress: Progress,
) -> Result<Outcome, Refusal> {
    let Marked {
        marks,
        extra_roots,
        token_held,
    } = marked;
    let sends = !recipients.is_empty();
    let governing = account.map_or(profile, |account| &account.saved);
    if sends && (!profile.enabled || !governing.enabled) {
        return Err(Refusal::Disabled {
            name: governing.name.clone(),
        });
    }
    let mut notes = Vec::new();
    // Counted before sending, under the counts' lock, so that checks at once
    // cannot pass the limit together; given back below if nothing was sent.
    let reserved = match account {
        Some(account) if sends => {
            let limit = stricter(account.saved.limits.daily, profile.limits.daily);
            // `limits.count` of the saved profile: 1, or one per recipient.
            let amount = limits::amount(account.saved.limits.count, recipients.len());
            match limits::reserve_n(
                &account.paths,
                account.scope,
                &account.saved.name,
                limit,
                amount,
            ) {
                Ok(_) => Some(Reservation {
                    account,
                    amount,
                    armed: true,
                }),
                Err(error) if limit > 0 => return Err(error.into()),
                // Without a limit there is nothing to hold: the message goes,
                // uncounted, and the user is told.
                Err(error) => {
                    notes.push(error.localize());
                    None
                }
            }
        }
        _ => None,
    };
    let delivery = if marks.is_some() {
        Delivery::Smtp
    } else {
        profile.delivery
    };
    let report = match delivery {
        Delivery::Sendmail => {
            sendmail::check(
                profile,
                sendmail::Options {
                    recipients,
                    progress,
                },
            )
            .await
        }
        Delivery::Smtp => {
            let options = smtp::Options {
                password,
                token_held,
                recipients,
                marks,
                progress,
                extra_roots,
            };
            smtp::check(profile, options).await
        }
    };
    if let Some(reservation) = reserved {
        if report.sent {
            reservation.keep();
        } else {
            notes.extend(reservation.give_back());
        }
    }
    if let Some(account) = account {
        let name = &account.saved.name;
        let kind = if report.sent { "send" } else { "check" };
        // Logged under the saved profile: its name, scope and log settings.
        let mut logged = profile.clone();
        logged.name.clone_from(name);
        logged.log = account.saved.log.clone();
        if let Err(error) = log::append_in(&logged, account.scope, &account.paths, kind, &report) {
            notes.push(error.localize());
        }
    }
    Ok(Outcome { report, notes })
}

/// A message counted before it is sent: given back unless it was sent, also
/// when the check is cancelled (its future dropped) midway.
struct Reservation<'a> {
    account: &'a Account,
    amount: u32,
    armed: bool,
}

impl Reservation<'_> {
    /// The message was sent: it stays counted.
    fn keep(mut self) {
        self.armed = false;
    }

    /// The message was not sent: gives the count back, or says why it could not.
    fn give_back(mut self) -> Option<String> {
        self.armed = false;
        let account = self.account;
        limits::release_n(
            &account.paths,
            account.scope,
            &account.saved.name,
            self.amount,
        )
        .err()
        .map(|error| error.localize())
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.armed {
            let account = self.account;
            // Nobody is left to tell: the check was cancelled.
            let _ = limits::release_n(
                &account.paths,
                account.scope,
                &account.saved.name,
                self.amount,
            );
        }
    }
}

/// The stricter of two daily limits (0 is none).
fn stricter(a: u32, b: u32) -> u32 {
    match (a, b) {
        (0, other) | (other, 0) => other,
        (a, b) => a.min(b),
    }
}
