//! The round trip: a test message with a unique token goes out through the
//! profile's SMTP settings (the check's engine, so its steps, limits and log
//! apply), then the profile's mailbox is watched by IMAP (IDLE when offered,
//! else NOOP + UID SEARCH every 2 s), the INBOX and the Junk folder (found by
//! SPECIAL-USE), until the message arrives or the limit passes. The arrived
//! message's `Received` hops and `Authentication-Results` verdicts are read,
//! and it is deleted unless asked to keep it.
//!
//! Like a check, the round trip is a future: dropping it closes both
//! connections at once (the window's Cancel, the command line's Ctrl+C).

pub mod headers;
mod mailbox;

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use rustls::pki_types::CertificateDer;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::core::check::message::{self, Marks};
use crate::core::check::{self, Code, Diagnosis, Progress, Step, saved};
use crate::core::profile::Profile;
use crate::core::secret::Secret;
use crate::i18n::Localize;

pub use headers::{Hop, Verdict};

/// How long the round trip waits for the message unless told otherwise.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(120);
/// How often the mailbox is searched when the server has no IDLE (and how
/// often Junk is looked at while the INBOX is idled on).
pub const POLL_EVERY: Duration = Duration::from_secs(2);

/// What a round trip needs besides the profile.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the message goes; `None`: the profile's own sender address.
    pub to: Option<String>,
    pub wait: Duration,
    /// Leave the test message in the mailbox.
    pub keep: bool,
    pub smtp_password: Option<Secret>,
    /// `smtp_password` is the profile's OAuth 2.0 access token.
    pub smtp_token: bool,
    pub imap_password: Option<Secret>,
    /// `imap_password` is the profile's OAuth 2.0 access token.
    pub imap_token: bool,
    pub extra_roots: Vec<CertificateDer<'static>>,
    pub progress: Progress,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            to: None,
            wait: DEFAULT_WAIT,
            keep: false,
            smtp_password: None,
            smtp_token: false,
            imap_password: None,
            imap_token: false,
            extra_roots: Vec::new(),
            progress: Progress::none(),
        }
    }
}

/// What became of the test message in the mailbox afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cleanup {
    /// Nothing arrived, so nothing to delete.
    Nothing,
    Deleted,
    /// `--keep`: left where it landed.
    Kept,
    /// Deleting failed (the step says why).
    Failed,
}

/// The outcome of a whole round trip.
#[derive(Debug, Clone)]
pub struct Report {
    pub diagnosis: Diagnosis,
    pub to: String,
    pub token: String,
    pub message_id: String,
    /// The sending side: the SMTP check's report (steps, facts, transcript).
    pub send: Option<check::Report>,
    /// The receiving side: the IMAP steps (login, select, wait, fetch,
    /// delete), the server's facts and the transcript, every secret redacted.
    pub receive: Option<check::Report>,
    /// When the server accepted the message.
    pub submitted_at: Option<OffsetDateTime>,
    /// When the mailbox showed it.
    pub arrived_at: Option<OffsetDateTime>,
    /// Arrival minus submission.
    pub delay_ms: Option<u64>,
    /// The folder it landed in.
    pub folder: Option<String>,
    /// It landed in the Junk (spam) folder.
    pub spam: bool,
    pub hops: Vec<Hop>,
    pub verdicts: Vec<Verdict>,
    pub cleanup: Cleanup,
    /// What could not be recorded (the count, the log), and other remarks.
    pub notes: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.diagnosis.is_ok()
    }

    /// Every step, sending then receiving.
    pub fn steps(&self) -> Vec<Step> {
        [&self.send, &self.receive]
            .into_iter()
            .flatten()
            .flat_map(|r| r.steps.iter().cloned())
            .collect()
    }

    fn empty(diagnosis: Diagnosis, to: String, marks: &Marks) -> Report {
        Report {
            diagnosis,
            to,
            token: marks.token.clone(),
            message_id: marks.message_id.clone(),
            send: None,
            receive: None,
            submitted_at: None,
            arrived_at: None,
            delay_ms: None,
            folder: None,
            spam: false,
            hops: Vec::new(),
            verdicts: Vec::new(),
            cleanup: Cleanup::Nothing,
            notes: Vec::new(),
        }
    }

    /// A round trip that could not start: the sending check's report says why
    /// (no keyring, a sign-in that must be renewed).
    pub fn not_started(check: check::Report) -> Report {
        let mut report = Report::cancelled(Vec::new());
        report.diagnosis = check.diagnosis.clone();
        report.send = Some(check);
        report
    }

    /// The report of a round trip the user cancelled after `steps`.
    pub fn cancelled(steps: Vec<Step>) -> Report {
        let mut report = Report::empty(
            Diagnosis::new(Code::Cancelled),
            String::new(),
            &Marks {
                token: String::new(),
                message_id: String::new(),
            },
        );
        report.send = Some(check::Report::cancelled(steps));
        report
    }

    /// The object `outbound roundtrip --json` prints.
    pub fn to_json(&self) -> Value {
        let side = |report: &Option<check::Report>| {
            report.as_ref().map(|r| {
                json!({
                    "ok": r.ok(),
                    "diagnosis": r.diagnosis.to_json(),
                    "steps": r.steps,
                    "server": r.server,
                    "transcript": r.transcript,
                })
            })
        };
        json!({
            "ok": self.ok(),
            "diagnosis": self.diagnosis.to_json(),
            "to": self.to,
            "token": self.token,
            "message_id": self.message_id,
            "submitted_at": self.submitted_at.map(headers::rfc3339_text),
            "arrived_at": self.arrived_at.map(headers::rfc3339_text),
            "delay_ms": self.delay_ms,
            "folder": self.folder,
            "spam": self.spam,
            "hops": self.hops,
            "authentication_results": self.verdicts,
            "cleanup": self.cleanup,
            "send": side(&self.send),
            "receive": side(&self.receive),
            "notes": self.notes,
        })
    }
}

/// A fresh token (`OB-` and 16 hex digits) and the Message-ID that carries it,
/// at the sender's domain.
pub fn marks(sender: &str) -> Marks {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    // RandomState is seeded from the system's randomness once per process; the
    // time and a counter make each token of this process different too.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    let token = format!("OB-{:016x}", hasher.finish());
    let domain = sender
        .rsplit_once('@')
        .map(|(_, d)| d.trim())
        .filter(|d| !d.is_empty() && !d.contains(['<', '>', ' ']))
        .unwrap_or("outbound.invalid");
    let message_id = format!("<roundtrip.{token}@{domain}>");
    Marks { token, message_id }
}

/// Runs the round trip of `profile`. With `account`, the message is sent under
/// the saved profile (its enabled flag, daily limit and log apply).
pub async fn run(profile: &Profile, account: Option<&saved::Account>, options: Options) -> Report {
    let sender = profile.sender.address.trim().to_owned();
    let to = options
        .to
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| sender.clone());
    let marks = marks(&sender);
    if let Err(error) = message::recipients(&to).and_then(|list| {
        if list.len() == 1 {
            Ok(())
        } else {
            Err(message::MessageError::Recipient(to.clone()))
        }
    }) {
        let diagnosis = Diagnosis::new(Code::CannotStart).arg("reply", error.localize());
        return Report::empty(diagnosis, to, &marks);
    }
    let mut report = Report::empty(Diagnosis::new(Code::Ok), to.clone(), &marks);

    // The mailbox first: a login that fails sends nothing, and what is in the
    // folders before the message is sent is known.
    let started = Instant::now();
    let mut watch = match mailbox::open(profile, &options, started).await {
        Ok(watch) => watch,
        Err(receive) => {
            report.diagnosis = receive.diagnosis.clone();
            report.receive = Some(receive);
            return report;
        }
    };

    let outcome = saved::run_marked(
        profile,
        account,
        options.smtp_password.clone(),
        vec![to.clone()],
        saved::Marked {
            marks: Some(marks.clone()),
            extra_roots: options.extra_roots.clone(),
            token_held: options.smtp_token,
        },
        options.progress.clone(),
    )
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(refusal) => {
            let code = match refusal {
                saved::Refusal::Disabled { .. } => Code::ProfileDisabled,
                saved::Refusal::Limit(check::limits::LimitError::Reached { .. }) => {
                    Code::LimitReached
                }
                saved::Refusal::Limit(_) => Code::CannotStart,
            };
            report.diagnosis = Diagnosis::new(code)
                .arg("name", profile.name.clone())
                .arg("reply", refusal.localize());
            report.receive = Some(watch.finish().await);
            return report;
        }
    };
    report.notes.extend(outcome.notes);
    let sent = outcome.report.sent;
    report.diagnosis = outcome.report.diagnosis.clone();
    report.send = Some(outcome.report);
    if !sent {
        report.receive = Some(watch.finish().await);
        return report;
    }
    let submitted = Instant::now();
    let submitted_at = OffsetDateTime::now_utc();
    report.submitted_at = Some(submitted_at);

    let found = watch.wait_for(&marks, options.wait).await;
    match found {
        Ok(Some(arrival)) => {
            let seen = submitted.elapsed();
            report.delay_ms = Some(u64::try_from(seen.as_millis()).unwrap_or(u64::MAX));
            report.arrived_at =
                Some(submitted_at + time::Duration::try_from(seen).unwrap_or_default());
            let fields = headers::fields(&arrival.header);
            report.hops = headers::hops(&fields, Some(submitted_at));
            report.verdicts = headers::verdicts(&fields);
            report.spam = arrival.spam;
            report.folder = Some(arrival.folder.clone());
            report.diagnosis = if arrival.spam {
                Diagnosis::new(Code::DeliveredToSpam).arg("folder", arrival.folder.clone())
            } else {
                Diagnosis::new(Code::Ok)
            };
            report.cleanup = if options.keep {
                Cleanup::Kept
            } else if watch.delete(&arrival).await {
                Cleanup::Deleted
            } else {
                Cleanup::Failed
            };
        }
        Ok(None) => {
            report.diagnosis = Diagnosis::new(Code::NotDelivered)
                .arg("address", to.clone())
                .arg("seconds", options.wait.as_secs().to_string());
        }
        Err(diagnosis) => report.diagnosis = diagnosis,
    }
    report.receive = Some(watch.finish().await);
    report
}

pub use mailbox::{Arrival, check_incoming};

/// The saved profile's separate IMAP password from the keyring.
pub async fn imap_password(account: &saved::Account) -> Result<Option<Secret>, check::Report> {
    crate::core::imap::credentials::keyring_password(account, true).await
}

/// The options of an IMAP check alone (the Incoming tab's Check incoming).
pub fn imap_options(
    password: Option<Secret>,
    extra_roots: Vec<CertificateDer<'static>>,
) -> Options {
    Options {
        imap_password: password,
        extra_roots,
        ..Options::default()
    }
}

/// A signed-in profile sends its OAuth access token on each side that may
/// use one (the check's choice, `check::credential` and `imap::credentials`);
/// the passwords in `options` stay on the others. The report of a round trip
/// that cannot start when the token cannot be had.
pub async fn with_token(
    account: &saved::Account,
    profile: &Profile,
    options: &mut Options,
) -> Result<(), Report> {
    let smtp = check::credential::may_use_token(profile.smtp.auth);
    let imap = crate::core::imap::credentials::may_use_token(profile);
    if !smtp && !imap {
        return Ok(());
    }
    let token = check::credential::signed_in_token(account)
        .await
        .map_err(|error| Report::not_started(error.report()))?;
    if let Some(token) = token {
        if smtp {
            options.smtp_password = Some(token.clone());
            options.smtp_token = true;
        }
        if imap {
            options.imap_password = Some(token);
            options.imap_token = true;
        }
    }
    Ok(())
}

/// What a saved profile's round trip logs in with, from the keyring: the
/// token on each side that may send it ([`with_token`]), else the SMTP side's
/// password (none for `none` and `gssapi`) and the IMAP side's own or the
/// profile's password (none for `gssapi`).
pub async fn from_keyring(
    account: &saved::Account,
    profile: &Profile,
    options: &mut Options,
) -> Result<(), Report> {
    use crate::core::profile::AuthMethod;
    with_token(account, profile, options).await?;
    let smtp_needs =
        !options.smtp_token && !matches!(profile.smtp.auth, AuthMethod::None | AuthMethod::Gssapi);
    let separate = profile.imap.separate_password;
    let imap_needs = !options.imap_token && profile.imap.auth.needs_password();
    let not_started =
        |error: check::credential::CredentialError| Report::not_started(error.report());
    let password = if smtp_needs || (imap_needs && !separate) {
        let secrets = crate::core::secrets::Secrets::connect().await;
        check::credential::keyring_password(account, &secrets)
            .await
            .map_err(not_started)?
    } else {
        None
    };
    if smtp_needs {
        options.smtp_password.clone_from(&password);
    }
    if imap_needs {
        options.imap_password = if separate {
            imap_password(account).await.map_err(Report::not_started)?
        } else {
            password
        };
    }
    Ok(())
}
