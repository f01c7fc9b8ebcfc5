//! A profile's check as the window and the command line both run it: the daily
//! limit before sending, the check itself, then the sent-message count and the
//! profile's log.

use crate::core::profile::{Delivery, Profile};
use crate::core::secret::Secret;
use crate::core::store::Paths;
use crate::i18n::{self, Localize};

use super::limits::{self, LimitError};
use super::{Progress, Report, log, sendmail, smtp};

/// A finished check and what could not be recorded of it.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub report: Report,
    /// The count or the log could not be written; the check's result stands.
    pub notes: Vec<String>,
}

/// Runs the check of `profile`. With `recipients`, a test message is sent to them,
/// unless the profile's daily limit is reached. With `paths` (a saved profile), the
/// sent message is counted and the report logged as `log.level` says.
pub async fn run(
    profile: &Profile,
    paths: Option<&Paths>,
    password: Option<Secret>,
    recipients: Vec<String>,
    progress: Progress,
) -> Result<Outcome, LimitError> {
    if !recipients.is_empty()
        && let Some(paths) = paths
    {
        limits::allow(profile, paths)?;
    }
    let report = match profile.delivery {
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
                recipients,
                progress,
                ..smtp::Options::default()
            };
            smtp::check(profile, options).await
        }
    };
    let mut notes = Vec::new();
    if let Some(paths) = paths {
        if report.sent
            && let Err(error) = limits::record_sent(paths, &profile.name)
        {
            notes.push(error.localize());
        }
        let kind = if report.sent { "send" } else { "check" };
        if let Err(error) = log::append(profile, paths, kind, &report) {
            let file = log::file(profile, paths).display().to_string();
            notes.push(i18n::tr_args(
                "cli-check-log-failed",
                &[("file", file), ("reason", error.to_string())],
            ));
        }
    }
    Ok(Outcome { report, notes })
}
