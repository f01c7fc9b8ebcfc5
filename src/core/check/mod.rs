//! The check: runs a profile against the real server (SMTP) or the local
//! sendmail program step by step, reports each step as it finishes, keeps a
//! transcript with every secret redacted, and ends with one diagnosis.
//!
//! A check is a future: dropping it (or aborting its task) closes the socket or
//! kills the program at once, which is how the window cancels.

pub mod auth;
pub mod diagnosis;
pub mod limits;
pub mod log;
pub mod message;
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

pub use diagnosis::{Code, Diagnosis, Fix};
pub use tls::{CertificateFacts, Verification};
pub use transcript::{Direction, Line, Transcript};

/// The stable step names of DESIGN.md.
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

/// One finished step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub name: StepName,
    pub status: StepStatus,
    pub elapsed_ms: u64,
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
        detail: impl Into<String>,
    ) {
        let step = Step {
            name,
            status,
            elapsed_ms: since.elapsed().as_millis().try_into().unwrap_or(u64::MAX),
            detail: detail.into(),
        };
        self.progress.send(&step);
        self.list.push(step);
    }

    pub(crate) fn skip(&mut self, name: StepName) {
        self.record(name, StepStatus::Skipped, Instant::now(), "");
    }
}

/// What the server told about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServerFacts {
    /// The address connected to.
    pub address: Option<String>,
    pub greeting: Option<String>,
    /// Every EHLO keyword line after the first, as sent (`SIZE 10240000`).
    pub ehlo: Vec<String>,
    pub auth_mechanisms: Vec<String>,
    pub size: Option<u64>,
    pub pipelining: bool,
    pub starttls: bool,
    pub tls: Option<TlsFacts>,
    /// For sendmail: the program's real path and the MTA behind it.
    pub program: Option<String>,
    pub mta: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsFacts {
    pub protocol: Option<String>,
    pub cipher_suite: Option<String>,
    pub certificate: Option<CertificateFacts>,
    pub verification: Option<Verification>,
    /// The certificate failed verification and `accept_invalid_certs` let it pass.
    pub accepted_invalid: bool,
}

impl ServerFacts {
    /// Reads the keywords of an EHLO reply (every line after the first).
    pub(crate) fn take_ehlo(&mut self, lines: &[String]) {
        self.ehlo = lines.iter().skip(1).cloned().collect();
        self.auth_mechanisms.clear();
        self.size = None;
        self.pipelining = false;
        self.starttls = false;
        for line in &self.ehlo {
            let mut words = line.split_whitespace();
            let keyword = words.next().unwrap_or("").to_ascii_uppercase();
            match keyword.as_str() {
                // `AUTH=LOGIN PLAIN` is the pre-standard form some servers still send.
                "AUTH" | "AUTH=LOGIN" => {
                    let mut found: Vec<String> = words.map(|w| w.to_ascii_uppercase()).collect();
                    if keyword == "AUTH=LOGIN" {
                        found.insert(0, "LOGIN".to_owned());
                    }
                    for m in found {
                        if !self.auth_mechanisms.contains(&m) {
                            self.auth_mechanisms.push(m);
                        }
                    }
                }
                "SIZE" => self.size = words.next().and_then(|n| n.parse().ok()),
                "PIPELINING" => self.pipelining = true,
                "STARTTLS" => self.starttls = true,
                _ => {}
            }
        }
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
