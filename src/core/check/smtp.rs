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
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::auth;
use super::diagnosis::{self, Code, Diagnosis};
use super::message::{self, TestMessage};
use super::tls::{self, Verification};
use super::wire::{ReadError, Reply, Sniffed, Stream, Wire};
use super::{
    Detail, Progress, Report, ServerFacts, StepName, StepStatus, Steps, TlsFacts, Transcript,
};
use crate::core::profile::{Profile, Security};
use crate::core::secret::Secret;
use crate::i18n;

pub(crate) mod connect;
mod exchange;

/// What a check needs besides the profile.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The password (or XOAUTH2 access token); `None` sends an empty one.
    pub password: Option<Secret>,
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
    let started = Instant::now();
    let mut run = Run {
        profile,
        host: profile.smtp.host.trim().to_owned(),
        port: profile.smtp.port,
        step_timeout: Duration::from_secs(u64::from(profile.smtp.timeout_secs.clamp(1, 300))),
        password: options.password.unwrap_or_default(),
        extra_roots: options.extra_roots,
        steps: Steps::new(options.progress),
        facts: ServerFacts::default(),
        transcript: Transcript::new(started),
        tls_active: false,
        prepared_tls: None,
        sent: false,
    };
    if profile.smtp.security != Security::None {
        // Loading the trust store takes a few milliseconds; do it while connecting.
        let accept_invalid = profile.smtp.accept_invalid_certs;
        let roots = run.extra_roots.clone();
        run.prepared_tls = Some(tokio::task::spawn_blocking(move || {
            tls::client_config(accept_invalid, &roots)
        }));
    }
    let message = if options.recipients.is_empty() {
        None
    } else {
        let route = format!("{}:{}", run.host, run.port);
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
    let diagnosis = run.run(message.as_ref()).await;
    let Run {
        steps,
        facts,
        transcript,
        sent,
        ..
    } = run;
    super::finish(diagnosis, steps, facts, transcript, sent)
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
    extra_roots: Vec<CertificateDer<'static>>,
    steps: Steps,
    facts: ServerFacts,
    transcript: Transcript,
    tls_active: bool,
    prepared_tls: Option<tokio::task::JoinHandle<TlsConfig>>,
    sent: bool,
}

/// A step's failure: the diagnosis and whether the connection can still take a QUIT.
struct Failure {
    diagnosis: Diagnosis,
    /// Boxed: a `Result` with a large error costs every caller.
    detail: Box<Detail>,
    alive: bool,
}

impl Failure {
    /// The server refused with a reply: the conversation can end politely.
    fn refused(diagnosis: Diagnosis, reply: &Reply) -> Self {
        Failure {
            diagnosis,
            detail: Box::new(Detail::reply(reply)),
            alive: reply.code != 421,
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
}

fn detail(id: &str, args: &[(&str, String)]) -> String {
    i18n::tr_args(id, args)
}

impl Run<'_> {
    async fn run(&mut self, message: Option<&TestMessage>) -> Diagnosis {
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
        match self.conversation(&mut wire, address, message).await {
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
        message: Option<&TestMessage>,
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
        if let Some(address) = message.and_then(|m| m.needs_smtputf8.as_deref())
            && !self.facts.smtputf8
        {
            // The login is still worth checking; MAIL is not sent, as the server
            // would refuse (or mangle) the address.
            self.authenticate(wire, None).await?;
            let since = Instant::now();
            let diagnosis = Diagnosis::new(Code::Smtputf8Unsupported).arg("address", address);
            let failure = Failure {
                detail: Box::new(Detail::diagnosis(&diagnosis)),
                diagnosis,
                alive: true,
            };
            let failure = self.fail(StepName::MailFrom, since, failure);
            self.steps.skip(StepName::RcptTo);
            self.steps.skip(StepName::Data);
            return Err(failure);
        }
        // RFC 4954 §4: AUTH with an initial response that completes in one round
        // trip may lead a pipelined group, so the envelope can ride along with it.
        let envelope = message.filter(|_| self.facts.pipelining);
        let envelope_sent = self.authenticate(wire, envelope).await?;
        match message {
            Some(message) => self.send(wire, message, envelope_sent).await,
            None => {
                for step in [StepName::MailFrom, StepName::RcptTo, StepName::Data] {
                    self.steps.skip(step);
                }
                self.quit(wire).await;
                Ok(())
            }
        }
    }

    /// The TLS handshake (implicit TLS or after STARTTLS), recorded as `step`.
    async fn handshake(
        &mut self,
        tcp: Sniffed,
        step: StepName,
        since: Instant,
    ) -> Result<TlsStream<Sniffed>, Diagnosis> {
        let prepared = match self.prepared_tls.take() {
            Some(handle) => handle.await.ok(),
            None => None,
        };
        let (config, verifier) = prepared.unwrap_or_else(|| {
            tls::client_config(self.profile.smtp.accept_invalid_certs, &self.extra_roots)
        });
        let Some(name) = tls::server_name(&self.host) else {
            let diagnosis =
                Diagnosis::new(Code::TlsHandshakeFailed).arg("reply", self.host.clone());
            self.steps.record(
                step,
                StepStatus::Failed,
                since,
                Detail::diagnosis(&diagnosis),
            );
            return Err(diagnosis);
        };
        self.transcript.info(detail("check-info-tls-start", &[]));
        let result = timeout(
            self.step_timeout,
            TlsConnector::from(config)
                .connect(name, tcp)
                .into_fallible(),
        )
        .await;
        let certificate = verifier
            .end_entity()
            .as_deref()
            .and_then(tls::certificate_facts);
        let verification = verifier.verification();
        let mut facts = TlsFacts {
            protocol: None,
            cipher_suite: None,
            certificate,
            verification: verification.clone(),
            accepted_invalid: false,
        };
        let outcome = match result {
            Ok(Ok(stream)) => {
                let connection = stream.get_ref().1;
                facts.protocol = connection
                    .protocol_version()
                    .map(|v| tls::protocol_name(&format!("{v:?}")));
                facts.cipher_suite = connection
                    .negotiated_cipher_suite()
                    .map(|s| format!("{:?}", s.suite()));
                facts.accepted_invalid =
                    !matches!(verification, Some(Verification::Trusted) | None);
                let protocol = facts.protocol.clone().unwrap_or_default();
                let cipher_suite = facts.cipher_suite.clone().unwrap_or_default();
                let text = [protocol.as_str(), cipher_suite.as_str()]
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.transcript.info(text.clone());
                let mut args = vec![("protocol", protocol), ("cipher_suite", cipher_suite)];
                let (status, found) = if facts.accepted_invalid {
                    let warning = detail(
                        "check-detail-accepted-invalid",
                        &[("reason", tls::verification_text(verification.as_ref()))],
                    );
                    self.transcript.info(warning.clone());
                    args.push((
                        "verification",
                        tls::verification_code(verification.as_ref()).to_owned(),
                    ));
                    (
                        StepStatus::Warning,
                        Detail::plain("tls_accepted_invalid", args, format!("{text}; {warning}")),
                    )
                } else {
                    (StepStatus::Ok, Detail::plain("tls", args, text))
                };
                self.steps.record(step, status, since, found);
                self.tls_active = true;
                Ok(stream)
            }
            Ok(Err((error, tcp))) => {
                let diagnosis = {
                    // After STARTTLS the first bytes are the plain-text session, not a sign of
                    // a mode mismatch.
                    let first: &[u8] = if step == StepName::Tls {
                        tcp.first_bytes()
                    } else {
                        &[]
                    };
                    self.classify_handshake(&error, verification.as_ref(), first)
                };
                let found = Detail::diagnosis(&diagnosis).with_text_suffix(&error.to_string());
                self.transcript.info(error.to_string());
                self.steps.record(step, StepStatus::Failed, since, found);
                Err(diagnosis)
            }
            Err(_) => {
                let diagnosis = self.timeout_diagnosis();
                self.steps.record(
                    step,
                    StepStatus::Failed,
                    since,
                    Detail::diagnosis(&diagnosis),
                );
                Err(diagnosis)
            }
        };
        self.facts.tls = Some(facts);
        outcome
    }

    fn classify_handshake(
        &self,
        error: &std::io::Error,
        verification: Option<&Verification>,
        first_bytes: &[u8],
    ) -> Diagnosis {
        let reply = error.to_string();
        match verification {
            // Other certificate errors (a CA certificate used as the server's, a bad
            // signature) also mean: this certificate cannot be trusted.
            Some(Verification::Untrusted(_) | Verification::Other(_)) => {
                return Diagnosis::new(Code::CertificateUntrusted).arg("reply", reply);
            }
            Some(Verification::Expired | Verification::NotYetValid) => {
                return Diagnosis::new(Code::CertificateExpired).arg("reply", reply);
            }
            Some(Verification::NameMismatch) => {
                return Diagnosis::new(Code::CertificateNameMismatch)
                    .arg("host", self.host.clone())
                    .arg("reply", reply);
            }
            _ => {}
        }
        if tls::looks_like_smtp(first_bytes) {
            return diagnosis::tls_mode_mismatch(true, self.port).arg(
                "reply",
                super::wire::printable(&String::from_utf8_lossy(first_bytes)),
            );
        }
        Diagnosis::new(Code::TlsHandshakeFailed).arg("reply", reply)
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
