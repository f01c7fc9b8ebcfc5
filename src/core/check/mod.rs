//! The check: runs a profile against the real server (SMTP) or the local
//! sendmail program step by step, reports each step as it finishes, keeps a
//! transcript with every secret redacted, and ends with one diagnosis.
//!
//! A check is a future: dropping it (or aborting its task) closes the socket or
//! kills the program at once, which is how the window cancels.

pub mod auth;
pub mod credential;
pub mod detail;
pub mod diagnosis;
pub mod facts;
pub mod gssapi;
pub mod html;
pub mod imap_facts;
pub mod limits;
pub mod log;
pub mod message;
pub mod msglog;
pub mod ntlm;
pub mod saved;
pub mod sendmail;
pub mod smtp;
pub mod tls;
pub mod transcript;
pub mod wire;

use std::time::Instant;

use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

pub use detail::Detail;
pub use diagnosis::{Code, Diagnosis, Fix};
pub use facts::{ServerFacts, TlsFacts};
pub use tls::{CertificateFacts, Verification};
pub use transcript::{Direction, Line, Transcript};

/// The stable step names of DESIGN.md, for the SMTP check, sendmail and the
/// IMAP check (one enum, so a [`Report`] and its JSON are the same shape for all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    Resolve,
    Connect,
    Tls,
    Greeting,
    Ehlo,
    Starttls,
    EhloTls,
    Auth,
    MailFrom,
    RcptTo,
    Data,
    Quit,
    Locate,
    Execute,
    // The IMAP check's own steps (it shares resolve, connect, tls, greeting, starttls).
    Capability,
    CapabilityTls,
    Login,
    Select,
    Logout,
    // The round trip's own steps (after the SMTP and IMAP ones).
    Folders,
    Wait,
    Fetch,
    Delete,
}

impl StepName {
    pub fn as_str(self) -> &'static str {
        match self {
            StepName::Resolve => "resolve",
            StepName::Connect => "connect",
            StepName::Tls => "tls",
            StepName::Greeting => "greeting",
            StepName::Ehlo => "ehlo",
            StepName::Starttls => "starttls",
            StepName::EhloTls => "ehlo_tls",
            StepName::Auth => "auth",
            StepName::MailFrom => "mail_from",
            StepName::RcptTo => "rcpt_to",
            StepName::Data => "data",
            StepName::Quit => "quit",
            StepName::Locate => "locate",
            StepName::Execute => "execute",
            StepName::Capability => "capability",
            StepName::CapabilityTls => "capability_tls",
            StepName::Login => "login",
            StepName::Select => "select",
            StepName::Logout => "logout",
            StepName::Folders => "folders",
            StepName::Wait => "wait",
            StepName::Fetch => "fetch",
            StepName::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Ok,
    Warning,
    Failed,
    Skipped,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Ok => "ok",
            StepStatus::Warning => "warning",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
        }
    }
}

/// One finished step. `code` and `args` are stable (scripts read them);
/// `detail` is the same in words, in the interface language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub name: StepName,
    pub status: StepStatus,
    pub elapsed_ms: u64,
    pub code: &'static str,
    #[serde(serialize_with = "detail::serialize_args")]
    pub args: Vec<(&'static str, String)>,
    pub detail: String,
}

/// Where finished steps go as they happen (the window's progress); may be nobody.
#[derive(Debug, Clone, Default)]
pub struct Progress(Option<mpsc::UnboundedSender<Step>>);

impl Progress {
    pub fn none() -> Self {
        Progress(None)
    }

    /// A progress sink and the stream of steps it yields.
    pub fn channel() -> (Progress, mpsc::UnboundedReceiver<Step>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        (Progress(Some(sender)), receiver)
    }

    fn send(&self, step: &Step) {
        if let Some(sender) = &self.0 {
            // The receiver may be gone (the window left the page); that is fine.
            let _ = sender.send(step.clone());
        }
    }
}

/// The steps of a check so far, timed, forwarded to [`Progress`].
#[derive(Debug)]
pub(crate) struct Steps {
    list: Vec<Step>,
    progress: Progress,
}

impl Steps {
    pub(crate) fn new(progress: Progress) -> Self {
        Steps {
            list: Vec::new(),
            progress,
        }
    }

    pub(crate) fn record(
        &mut self,
        name: StepName,
        status: StepStatus,
        since: Instant,
        detail: Detail,
    ) {
        let step = Step {
            name,
            status,
            elapsed_ms: since.elapsed().as_millis().try_into().unwrap_or(u64::MAX),
            code: detail.code,
            args: detail.args,
            detail: detail.text,
        };
        self.progress.send(&step);
        self.list.push(step);
    }

    pub(crate) fn skip(&mut self, name: StepName) {
        self.record(name, StepStatus::Skipped, Instant::now(), Detail::none());
    }
}

/// The outcome of a whole check.
#[derive(Debug, Clone)]
pub struct Report {
    pub diagnosis: Diagnosis,
    pub steps: Vec<Step>,
    pub server: ServerFacts,
    pub transcript: Vec<Line>,
    /// Whether a test message was handed over (accepted by the server or program).
    pub sent: bool,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.diagnosis.is_ok()
    }

    /// The object `outbound check --json` prints.
    pub fn to_json(&self) -> Value {
        json!({
            "ok": self.ok(),
            "diagnosis": self.diagnosis.to_json(),
            "steps": self.steps,
            "server": self.server,
            "transcript": self.transcript,
            "sent": self.sent,
        })
    }

    /// The report of a check the user cancelled (the window drops the check's
    /// future, which closes its connection, and shows this).
    pub fn cancelled(steps: Vec<Step>) -> Report {
        Report {
            diagnosis: Diagnosis::new(Code::Cancelled),
            steps,
            server: ServerFacts::default(),
            transcript: Vec::new(),
            sent: false,
        }
    }

    /// A report for a check that could not start (no keyring, a limit reached).
    pub fn not_started(diagnosis: Diagnosis, note: Option<String>) -> Report {
        let mut transcript = Transcript::new(Instant::now());
        if let Some(note) = note {
            transcript.info(note);
        }
        Report {
            diagnosis,
            steps: Vec::new(),
            server: ServerFacts::default(),
            transcript: transcript.into_lines(),
            sent: false,
        }
    }
}

pub(crate) fn finish(
    diagnosis: Diagnosis,
    steps: Steps,
    server: ServerFacts,
    transcript: Transcript,
    sent: bool,
) -> Report {
    Report {
        diagnosis,
        steps: steps.list,
        server,
        transcript: transcript.into_lines(),
        sent,
    }
}
