//! The IMAP check: signs in to a profile's mailbox step by step (`resolve`,
//! `connect`, `tls`, `greeting`, `capability`, `starttls`, `capability_tls`,
//! `login`, `select`, `logout`) and reports like the SMTP check: the same
//! [`Report`], diagnoses, transcript and server facts.
//!
//! Why an own thin IMAP layer and not async-imap or imap-next: the check must
//! bound every step by its own timeout and name the step that hung, record each
//! raw line the server sent (with the milliseconds) and every line the client
//! sent with the password and SASL payloads replaced by `<redacted>` before it
//! is written, tell a TLS mode mismatch from the first bytes, and survive any
//! garbage. The crates hide the raw lines and the writes behind their
//! high-level calls. The check needs only a handful of commands (CAPABILITY,
//! STARTTLS, AUTHENTICATE, LOGIN, ID, SELECT, GETQUOTAROOT, LOGOUT), so the
//! layer is small: tagged commands, status responses, untagged data, literals
//! `{n}` (capped) and continuations `+`.
//!
//! Dropping the check's future closes the connection: that is how it is cancelled.
//!
//! The timeout of each step is the profile's `smtp.timeout_secs`: one setting
//! "how long may a server of this profile stay silent", as the window shows it.

pub mod credentials;
mod diagnose;
pub mod kept;
mod login;
mod select;
mod session;
mod windows;
pub mod wire;

use std::time::{Duration, Instant};

use rustls::pki_types::CertificateDer;

use crate::core::check::diagnosis::Code;
use crate::core::check::imap_facts::ImapFacts;
use crate::core::check::{
    Detail, Diagnosis, Progress, Report, ServerFacts, StepName, StepStatus, Steps, Transcript,
};
use crate::core::profile::{Profile, Security};
use crate::core::secret::Secret;

pub use diagnose::{account_disabled, login_refused};
pub use wire::{Response, Status, StatusResponse};

/// What an IMAP check needs besides the profile.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The IMAP password (the profile's own, or its separate IMAP one), or the
    /// OAuth2 access token for XOAUTH2 / OAUTHBEARER. `None` sends an empty one.
    pub password: Option<Secret>,
    /// `password` is the profile's OAuth 2.0 access token (it is signed in):
    /// `auto` then signs in with XOAUTH2 or OAUTHBEARER.
    pub token: bool,
    /// Certificates trusted in addition to the platform's (tests, private CAs).
    pub extra_roots: Vec<CertificateDer<'static>>,
    pub progress: Progress,
}

/// Runs the IMAP check of `profile.imap`. Dropping the future closes the connection.
pub async fn check(profile: &Profile, options: Options) -> Report {
    let mut run = match Run::new(profile, options) {
        Ok(run) => run,
        Err(diagnosis) => return Report::not_started(diagnosis, None),
    };
    let diagnosis = run.run().await;
    run.report(diagnosis)
}

pub(crate) struct Run {
    host: String,
    port: u16,
    security: Security,
    username: String,
    /// NTLM's domain when the user name has none: the profile's SMTP one
    /// (the same Windows account on both sides).
    auth_domain: String,
    auth: crate::core::profile::ImapAuth,
    folder: String,
    accept_invalid: bool,
    step_timeout: Duration,
    password: Secret,
    token: bool,
    extra_roots: Vec<CertificateDer<'static>>,
    steps: Steps,
    facts: ServerFacts,
    transcript: Transcript,
    tls_active: bool,
    next_tag: u32,
}

impl Run {
    /// The run of `profile.imap` before its first step; why it cannot start
    /// (no host) otherwise.
    fn new(profile: &Profile, options: Options) -> Result<Run, Diagnosis> {
        let started = Instant::now();
        let imap = &profile.imap;
        if imap.host.trim().is_empty() {
            let diagnosis = Diagnosis::new(Code::CannotStart).arg("reply", "imap.host");
            return Err(diagnosis);
        }
        Ok(Run {
            host: imap.host.trim().to_owned(),
            port: imap.port,
            security: imap.security,
            username: imap.effective_username(&profile.smtp.username).to_owned(),
            auth_domain: profile.smtp.auth_domain.trim().to_owned(),
            auth: imap.auth,
            folder: imap.folder.trim().to_owned(),
            accept_invalid: profile.smtp.accept_invalid_certs,
            step_timeout: Duration::from_secs(u64::from(profile.smtp.timeout_secs.clamp(1, 300))),
            password: options.password.unwrap_or_default(),
            token: options.token,
            extra_roots: options.extra_roots,
            steps: Steps::new(options.progress),
            facts: ServerFacts {
                imap: Some(ImapFacts::default()),
                ..ServerFacts::default()
            },
            transcript: Transcript::new(started),
            tls_active: false,
            next_tag: 0,
        })
    }

    /// The report of the run, ended with `diagnosis`.
    fn report(self, diagnosis: Diagnosis) -> Report {
        let Run {
            steps,
            facts,
            transcript,
            ..
        } = self;
        crate::core::check::finish(diagnosis, steps, facts, transcript, false)
    }
}

/// A step's failure: the diagnosis and whether the connection can still take a LOGOUT.
pub(crate) struct Failure {
    diagnosis: Diagnosis,
    detail: Box<Detail>,
    alive: bool,
}

impl Failure {
    /// The server refused with a status response: the session can end politely.
    fn refused(diagnosis: Diagnosis, response: &StatusResponse) -> Self {
        let summary = response.summary();
        Failure {
            diagnosis,
            detail: Box::new(Detail::plain(
                "reply",
                vec![("reply", summary.clone())],
                summary,
            )),
            alive: response.status != Status::Bye,
        }
    }

    /// The connection is unusable (closed, timed out, garbage).
    fn broken(diagnosis: Diagnosis) -> Self {
        let detail = Box::new(Detail::diagnosis(&diagnosis));
        Failure {
            diagnosis,
            detail,
            alive: false,
        }
    }

    /// Refused before anything was sent (no mechanism, LOGINDISABLED).
    fn local(diagnosis: Diagnosis) -> Self {
        let detail = Box::new(Detail::diagnosis(&diagnosis));
        Failure {
            diagnosis,
            detail,
            alive: true,
        }
    }
}

impl Run {
    fn imap(&mut self) -> &mut ImapFacts {
        self.facts.imap.get_or_insert_with(ImapFacts::default)
    }

    fn imap_ref(&self) -> ImapFacts {
        self.facts.imap.clone().unwrap_or_default()
    }

    /// Records the failed step and gives the failure back.
    fn fail(&mut self, step: StepName, since: Instant, failure: Failure) -> Failure {
        self.steps
            .record(step, StepStatus::Failed, since, (*failure.detail).clone());
        failure
    }
}
