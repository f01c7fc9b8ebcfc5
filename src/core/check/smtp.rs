//! The SMTP check: one pipeline over tokio and rustls, step by step
//! (`resolve`, `connect`, `tls`, `greeting`, `ehlo`, `starttls`, `ehlo_tls`,
//! `auth`, `mail_from`, `rcpt_to`, `data`, `quit`), every network step bounded by
//! the profile's timeout.
//!
//! Round trips are kept few: EHLO leaves right after the TLS handshake, PLAIN
//! and XOAUTH2 carry an initial response, and with PIPELINING the envelope
//! (MAIL, every RCPT, DATA) goes in one write and QUIT follows the message.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rustls::pki_types::CertificateDer;
use tokio::time::timeout;

use super::auth;
use super::diagnosis::{self, Code, Diagnosis};
use super::message::{self, TestMessage};
use super::tls;
use super::wire::{ReadError, Reply, Sniffed, Stream, Wire};
use super::{Detail, Progress, Report, ServerFacts, StepName, StepStatus, Steps, Transcript};
use crate::core::profile::{Profile, Security};
use crate::core::secret::Secret;
use crate::i18n;

pub(crate) mod connect;
mod exchange;
mod handshake;
mod kerberos;
mod transaction;

use transaction::Ready;

/// What a check needs besides the profile.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The password (or OAuth access token); `None` sends an empty one.
    pub password: Option<Secret>,
    /// `password` is an OAuth access token, so `auto` authenticates with
    /// XOAUTH2 or OAUTHBEARER (issue 13); see [`super::credential`].
    pub token_held: bool,
    /// Certificates trusted in addition to the platform's (tests, private CAs).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Send the test message to these recipients (empty: stop after AUTH).
    pub recipients: Vec<String>,
    /// The round trip's token and Message-ID for the test message.
    pub marks: Option<message::Marks>,
    pub progress: Progress,
}

/// How long the server may stay silent before a TLS probe asks whether it is
/// waiting for a TLS hello (STARTTLS or plain set against an implicit-TLS port).
const SILENCE_BEFORE_PROBE: Duration = Duration::from_millis(1500);

/// Runs the check. Dropping the returned future closes the connection.
pub async fn check(profile: &Profile, options: Options) -> Report {
    let message = if options.recipients.is_empty() {
        None
    } else {
        let route = format!("{}:{}", profile.smtp.host.trim(), profile.smtp.port);
        match message::build_marked(profile, &options.recipients, &route, options.marks.as_ref()) {
            Ok(message) => Some(message),
            Err(error) => {
                let (reason, id, args) = error.reason();
                let diagnosis = Diagnosis::new(Code::SenderRejected)
                    .arg("address", profile.sender.address.clone())
                    .reason_id(reason, id, &args);
                return Report::not_started(diagnosis, Some(i18n::Localize::localize(&error)));
            }
        }
    };
    let messages: Vec<TestMessage> = message.into_iter().collect();
    hand_over(profile, options, &messages).await.0
}

/// What became of one message handed to [`hand_over`].
#[derive(Debug, Clone)]
pub struct Handover {
    /// The server accepted the message (`250` after its data).
    pub sent: bool,
    /// `Ok` when sent; else why not (the connection's failure when it broke first).
    pub diagnosis: Diagnosis,
    /// The server's last reply about this message, when it gave one.
    pub reply: Option<Reply>,
}

/// Hands `messages` over on ONE connection (the check's engine: the same
/// timeouts, TLS and AUTH), one transaction each; a refused message does not
/// stop the others (RSET after it). `options.recipients` is not used. The
/// report's diagnosis is the first failure, or `Ok`; one [`Handover`] per
/// message, in order.
pub async fn hand_over(
    profile: &Profile,
    options: Options,
    messages: &[TestMessage],
) -> (Report, Vec<Handover>) {
    let started = Instant::now();
    let mut run = Run {
        profile,
        host: profile.smtp.host.trim().to_owned(),
        port: profile.smtp.port,
        step_timeout: Duration::from_secs(u64::from(profile.smtp.timeout_secs.clamp(1, 300))),
        password: options.password.unwrap_or_default(),
        token_held: options.token_held,
        extra_roots: options.extra_roots,
        steps: Steps::new(options.progress),
        facts: ServerFacts::default(),
        transcript: Transcript::new(started),
        tls_active: false,
        prepared_tls: None,
        sent: false,
        handovers: Vec::new(),
        first_refusal: None,
        next_envelope_sent: false,
    };
    if profile.smtp.security != Security::None {
        // Loading the trust store takes a few milliseconds; do it while connecting.
        let accept_invalid = profile.smtp.accept_invalid_certs;
        let roots = run.extra_roots.clone();
        run.prepared_tls = Some(tokio::task::spawn_blocking(move || {
            tls::client_config(accept_invalid, &roots)
        }));
    }
    let diagnosis = run.run(messages).await;
    let Run {
        steps,
        facts,
        transcript,
        sent,
        mut handovers,
        first_refusal,
        ..
    } = run;
    // Messages never reached (the connection failed first) share its failure.
    while handovers.len() < messages.len() {
        handovers.push(Handover {
            sent: false,
            diagnosis: diagnosis.clone(),
            reply: None,
        });
    }
    let diagnosis = first_refusal.unwrap_or(diagnosis);
    (
        super::finish(diagnosis, steps, facts, transcript, sent),
        handovers,
    )
}

type TlsConfig = (
    std::sync::Arc<rustls::ClientConfig>,
    std::sync::Arc<tls::RecordingVerifier>,
);

struct Run<'a> {
    profile: &'a Profile,
    host: String,
    port: u16,
    step_timeout: Duration,
    password: Secret,
    /// `password` is an OAuth access token.
    token_held: bool,
    extra_roots: Vec<CertificateDer<'static>>,
    steps: Steps,
    facts: ServerFacts,
    transcript: Transcript,
    tls_active: bool,
    prepared_tls: Option<tokio::task::JoinHandle<TlsConfig>>,
    sent: bool,
    handovers: Vec<Handover>,
    /// The first message's failure, which is the report's diagnosis.
    first_refusal: Option<Diagnosis>,
    /// The next message's envelope went out with this message's end (RFC 2920
    /// pipelining across transactions): its replies are still to be read.
    next_envelope_sent: bool,
}

/// A step's failure: the diagnosis and whether the connection can still take a QUIT.
struct Failure {
    diagnosis: Diagnosis,
    /// Boxed: a `Result` with a large error costs every caller.
    detail: Box<Detail>,
    alive: bool,
    /// The reply that refused, when a server refused.
    reply: Option<Box<Reply>>,
}

impl Failure {
    /// The server refused with a reply: the conversation can end politely.
    fn refused(diagnosis: Diagnosis, reply: &Reply) -> Self {
        Failure {
            diagnosis,
            detail: Box::new(Detail::reply(reply)),
            alive: reply.code != 421,
            reply: Some(Box::new(reply.clone())),
        }
    }

    /// The connection is unusable (closed, timed out, garbage).
    fn broken(diagnosis: Diagnosis) -> Self {
        let detail = Box::new(Detail::diagnosis(&diagnosis));
        Failure {
            diagnosis,
            detail,
            alive: false,
            reply: None,
        }
    }
}

fn detail(id: &str, args: &[(&str, String)]) -> String {
    i18n::tr_args(id, args)
}

impl Run<'_> {
    async fn run(&mut self, messages: &[TestMessage]) -> Diagnosis {
        let security = self.profile.smtp.security;
        let addresses = match self.resolve().await {
            Ok(addresses) => addresses,
            Err(diagnosis) => return diagnosis,
        };
        let (tcp, address) = match self.connect(&addresses).await {
            Ok(found) => found,
            Err(diagnosis) => return diagnosis,
        };
        let mut wire = if security == Security::Tls {
            let since = Instant::now();
            match self
                .handshake(Sniffed::new(tcp), StepName::Tls, since)
                .await
            {
                Ok(stream) => Wire::new(Stream::Tls(Box::new(stream))),
                Err(diagnosis) => return diagnosis,
            }
        } else {
            self.steps.skip(StepName::Tls);
            Wire::new(Stream::Plain(Sniffed::new(tcp)))
        };
        match self.conversation(&mut wire, address, messages).await {
            Ok(()) => Diagnosis::new(Code::Ok),
            Err(failure) => {
                if failure.alive {
                    self.quit(&mut wire).await;
                }
                failure.diagnosis
            }
        }
    }

    async fn conversation(
        &mut self,
        wire: &mut Wire,
        address: SocketAddr,
        messages: &[TestMessage],
    ) -> Result<(), Failure> {
        self.greeting(wire, address).await?;
        self.ehlo(wire, StepName::Ehlo).await?;
        if self.profile.smtp.security == Security::Starttls {
            self.starttls(wire).await?;
            self.ehlo(wire, StepName::EhloTls).await?;
        } else {
            self.steps.skip(StepName::Starttls);
            self.steps.skip(StepName::EhloTls);
        }
        // RFC 4954 §4: AUTH with an initial response that completes in one round
        // trip may lead a pipelined group, so the envelope can ride along with it.
        // A message the server cannot take (SMTPUTF8, over SIZE) is not
        // pipelined: the login is still worth checking, MAIL is not sent.
        // Each message is made ready (converted) once, for its size check and
        // its sending alike; at most this one and the next are held.
        let mut ready = messages
            .first()
            .filter(|m| self.takes(m))
            .map(|m| Ready::new(m, &self.facts));
        let envelope = ready.as_ref().filter(|r| self.pipelines(r));
        let mut envelope_sent = self.authenticate(wire, envelope).await?;
        if messages.is_empty() {
            for step in [StepName::MailFrom, StepName::RcptTo, StepName::Data] {
                self.steps.skip(step);
            }
            self.quit(wire).await;
            return Ok(());
        }
        let mut needs_reset = false;
        for (index, message) in messages.iter().enumerate() {
            let last = index + 1 == messages.len();
            // After a refused end of data the server has no transaction left
            // (and the next envelope may be on its way): RSET only after a
            // refusal that came before the message.
            if needs_reset && !envelope_sent {
                self.reset(wire).await?;
            }
            let this = ready.take();
            // The next message's MAIL, RCPT and DATA ride along with this
            // one's final dot: one round trip per message instead of two.
            ready = messages
                .get(index + 1)
                .filter(|m| self.facts.pipelining && self.takes(m))
                .map(|m| Ready::new(m, &self.facts));
            let next = ready.as_ref().filter(|r| self.pipelines(r));
            let result = if self.takes(message) {
                let this = this.unwrap_or_else(|| Ready::new(message, &self.facts));
                self.send(wire, this, envelope_sent, last, next).await
            } else {
                Err(self.smtputf8_refused(message))
            };
            envelope_sent = std::mem::take(&mut self.next_envelope_sent);
            match result {
                Ok(reply) => {
                    needs_reset = false;
                    self.handovers.push(Handover {
                        sent: true,
                        diagnosis: Diagnosis::new(Code::Ok),
                        reply: Some(reply),
                    });
                }
                Err(failure) => {
                    needs_reset = true;
                    self.handovers.push(Handover {
                        sent: false,
                        diagnosis: failure.diagnosis.clone(),
                        reply: failure.reply.as_deref().cloned(),
                    });
                    if self.first_refusal.is_none() {
                        self.first_refusal = Some(failure.diagnosis.clone());
                    }
                    if last || !failure.alive {
                        return Err(failure);
                    }
                }
            }
        }
        // The last message went; QUIT went with it.
        Ok(())
    }

    /// Whether `ready`'s envelope may go before its turn (pipelined with AUTH or
    /// with the previous message's end): the server offers PIPELINING and can
    /// take the message.
    fn pipelines(&self, ready: &Ready<'_>) -> bool {
        self.facts.pipelining && self.takes(ready.message) && ready.over_size(&self.facts).is_none()
    }

    /// Whether the server can take `message`'s addresses (SMTPUTF8).
    fn takes(&self, message: &TestMessage) -> bool {
        message.needs_smtputf8.is_none() || self.facts.smtputf8
    }

    fn smtputf8_refused(&mut self, message: &TestMessage) -> Failure {
        let address = message.needs_smtputf8.clone().unwrap_or_default();
        let diagnosis = Diagnosis::new(Code::Smtputf8Unsupported).arg("address", address);
        self.not_offered(diagnosis, Instant::now())
    }

    /// A message the check does not offer the server (SMTPUTF8 missing, over
    /// SIZE): `mail_from` fails with `diagnosis`, the rest of its transaction
    /// is skipped and the connection goes on.
    fn not_offered(&mut self, diagnosis: Diagnosis, since: Instant) -> Failure {
        let failure = Failure {
            detail: Box::new(Detail::diagnosis(&diagnosis)),
            diagnosis,
            alive: true,
            reply: None,
        };
        let failure = self.fail(StepName::MailFrom, since, failure);
        self.steps.skip(StepName::RcptTo);
        self.steps.skip(StepName::Data);
        failure
    }

    /// RSET after a refused transaction, before the next message.
    async fn reset(&mut self, wire: &mut Wire) -> Result<(), Failure> {
        let since = Instant::now();
        let reply = self
            .command(wire, StepName::MailFrom, since, "RSET")
            .await?;
        if reply.is(2) {
            return Ok(());
        }
        Err(self.fail(
            StepName::MailFrom,
            since,
            Failure::refused(diagnosis::refused(&reply), &reply),
        ))
    }

    async fn greeting(&mut self, wire: &mut Wire, address: SocketAddr) -> Result<(), Failure> {
        let since = Instant::now();
        let step_timeout = self.step_timeout;
        let port = self.port;
        let reply = if self.tls_active {
            read_reply(wire, &mut self.transcript, step_timeout).await
        } else {
            // Plain text against an implicit-TLS port: the server waits for a TLS hello
            // and never greets. A probe on a second connection tells within seconds.
            let host = self.host.clone();
            let probe = async move {
                tokio::time::sleep(SILENCE_BEFORE_PROBE.min(step_timeout / 2)).await;
                if tls::speaks_tls(address, &host, step_timeout).await {
                    return;
                }
                std::future::pending::<()>().await
            };
            tokio::select! {
                reply = read_reply(wire, &mut self.transcript, step_timeout) => reply,
                () = probe => Err(diagnosis::tls_mode_mismatch(false, port)
                    .reason("speaks_tls", &[])),
            }
        };
        let reply = self.fail_on_error(StepName::Greeting, since, reply)?;
        if reply.code != 220 {
            return Err(self.fail(
                StepName::Greeting,
                since,
                Failure::refused(diagnosis::greeting_refused(&reply), &reply),
            ));
        }
        self.facts.greeting = Some(reply.lines.join("\n"));
        self.steps.record(
            StepName::Greeting,
            StepStatus::Ok,
            since,
            Detail::reply(&reply),
        );
        Ok(())
    }

    async fn ehlo(&mut self, wire: &mut Wire, step: StepName) -> Result<(), Failure> {
        let since = Instant::now();
        let name = self.ehlo_name();
        let reply = self
            .command(wire, step, since, &format!("EHLO {name}"))
            .await?;
        if reply.code == 250 {
            if step == StepName::EhloTls {
                self.facts.take_ehlo_tls(&reply.lines);
            } else {
                self.facts.take_ehlo(&reply.lines);
            }
            let keywords = self.facts.current_ehlo().join(" ");
            let found = Detail::plain("ehlo", vec![("keywords", keywords.clone())], keywords);
            self.steps.record(step, StepStatus::Ok, since, found);
            return Ok(());
        }
        if matches!(reply.code, 500 | 502) {
            // An old server without ESMTP: HELO still lets a plain check go on.
            let helo = self
                .command(wire, step, since, &format!("HELO {name}"))
                .await?;
            if helo.code == 250 {
                if step == StepName::EhloTls {
                    self.facts.take_ehlo_tls(&[]);
                } else {
                    self.facts.take_ehlo(&[]);
                }
                let summary = helo.summary();
                let found = Detail::plain("helo", vec![("reply", summary.clone())], summary);
                self.steps.record(step, StepStatus::Warning, since, found);
                return Ok(());
            }
            return Err(self.fail(
                step,
                since,
                Failure::refused(diagnosis::refused(&helo), &helo),
            ));
        }
        Err(self.fail(
            step,
            since,
            Failure::refused(diagnosis::refused(&reply), &reply),
        ))
    }

    fn ehlo_name(&self) -> String {
        let configured = self.profile.smtp.ehlo_name.trim();
        if configured.is_empty() {
            lettre::transport::smtp::extension::ClientId::default().to_string()
        } else {
            configured.to_owned()
        }
    }

    async fn starttls(&mut self, wire: &mut Wire) -> Result<(), Failure> {
        let since = Instant::now();
        if !self.facts.starttls {
            let failure = Failure {
                diagnosis: Diagnosis::new(Code::StarttlsUnavailable).arg("host", self.host.clone()),
                detail: Box::new(Detail::message("no_starttls", Vec::new())),
                alive: true,
                reply: None,
            };
            return Err(self.fail(StepName::Starttls, since, failure));
        }
        let reply = self
            .command(wire, StepName::Starttls, since, "STARTTLS")
            .await?;
        if reply.code != 220 {
            let diagnosis = match reply.code {
                421 => diagnosis::refused(&reply),
                _ => Diagnosis::new(Code::StarttlsUnavailable).arg("host", self.host.clone()),
            };
            return Err(self.fail(
                StepName::Starttls,
                since,
                Failure::refused(diagnosis, &reply),
            ));
        }
        if wire.has_pending() {
            // Bytes after "220" before the handshake would be injected plain text.
            let diagnosis = Diagnosis::new(Code::ProtocolError).reason("starttls_injection", &[]);
            return Err(self.fail(StepName::Starttls, since, Failure::broken(diagnosis)));
        }
        let Stream::Plain(tcp) = std::mem::replace(&mut wire.stream, Stream::Closed) else {
            let diagnosis = Diagnosis::new(Code::ProtocolError).arg("reply", "STARTTLS");
            return Err(self.fail(StepName::Starttls, since, Failure::broken(diagnosis)));
        };
        match self.handshake(tcp, StepName::Starttls, since).await {
            Ok(stream) => {
                wire.stream = Stream::Tls(Box::new(stream));
                Ok(())
            }
            Err(diagnosis) => Err(Failure {
                detail: Box::new(Detail::none()),
                diagnosis,
                alive: false,
                reply: None,
            }),
        }
    }
}

/// Reads one reply within `limit`, every line into the transcript.
async fn read_reply(
    wire: &mut Wire,
    transcript: &mut Transcript,
    limit: Duration,
) -> Result<Reply, Diagnosis> {
    let mut seen = |line: &str| transcript.server(line);
    match timeout(limit, wire.read_reply(&mut seen)).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(error)) => Err(read_failure(error)),
        Err(_) => Err(Diagnosis::new(Code::Timeout).arg("seconds", limit.as_secs().to_string())),
    }
}

fn read_failure(error: ReadError) -> Diagnosis {
    let diagnosis = Diagnosis::new(Code::ProtocolError);
    match error {
        ReadError::Closed => diagnosis.reason("closed", &[]),
        ReadError::TooLong => {
            diagnosis.reason("too_long", &[("limit", super::wire::MAX_LINE.to_string())])
        }
        ReadError::TooManyLines => diagnosis.reason("too_many_lines", &[]),
        ReadError::Malformed(line) => diagnosis.reason("malformed", &[("line", line)]),
        ReadError::Io(error) => io_failure(&error),
    }
}

/// A read or write that failed: a reset connection has its own code.
fn io_failure(error: &std::io::Error) -> Diagnosis {
    let code = match error.kind() {
        std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
            Code::ConnectionReset
        }
        _ => Code::ProtocolError,
    };
    Diagnosis::new(code).arg("reply", error.to_string())
}
