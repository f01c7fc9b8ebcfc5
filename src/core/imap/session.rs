//! The IMAP check's pipeline and its first steps: `resolve` and `connect` (the
//! SMTP check's Happy Eyeballs), `tls`, `greeting`, `capability`, `starttls`,
//! `capability_tls`; and the tagged-command exchange every step uses.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::time::timeout;
use tokio_rustls::client::TlsStream;

use super::diagnose;
use super::wire::{self, ReadError, Response, Status, StatusResponse, Wire};
use super::{Failure, Run};
use crate::core::check::diagnosis::{Code, Diagnosis};
use crate::core::check::smtp::connect::Link;
use crate::core::check::tls;
use crate::core::check::wire::{Sniffed, Stream, printable};
use crate::core::check::{Detail, StepName, StepStatus};
use crate::core::profile::Security;

/// How long the server may stay silent before a TLS probe asks whether it is
/// waiting for a TLS hello (plain or STARTTLS set against an implicit-TLS port).
const SILENCE_BEFORE_PROBE: Duration = Duration::from_millis(1500);

/// What a tagged command brought: the untagged responses before its completion,
/// and the completion itself.
pub(crate) struct Exchange {
    pub untagged: Vec<Response>,
    pub done: StatusResponse,
}

impl Run {
    pub(super) async fn run(&mut self) -> Diagnosis {
        let mut wire = match self.open().await {
            Ok(wire) => wire,
            Err(diagnosis) => return diagnosis,
        };
        match self.select_and_logout(&mut wire).await {
            Ok(()) => Diagnosis::new(Code::Ok),
            Err(failure) => {
                if failure.alive {
                    self.logout(&mut wire).await;
                }
                failure.diagnosis
            }
        }
    }

    /// Every step up to and with `login`: the signed-in connection (the
    /// round trip goes on from here), or the diagnosis of the step that failed.
    pub(super) async fn open(&mut self) -> Result<Wire, Diagnosis> {
        let mut link = self.link();
        let addresses = link.resolve().await?;
        let (tcp, address) = link.connect(&addresses).await?;
        let mut wire = if self.security == Security::Tls {
            let since = Instant::now();
            let stream = self
                .handshake(Sniffed::new(tcp), StepName::Tls, since)
                .await?;
            Wire::new(Stream::Tls(Box::new(stream)))
        } else {
            self.steps.skip(StepName::Tls);
            Wire::new(Stream::Plain(Sniffed::new(tcp)))
        };
        match self.sign_in(&mut wire, address).await {
            Ok(()) => Ok(wire),
            Err(failure) => {
                if failure.alive {
                    self.logout(&mut wire).await;
                }
                Err(failure.diagnosis)
            }
        }
    }

    async fn sign_in(&mut self, wire: &mut Wire, address: SocketAddr) -> Result<(), Failure> {
        let preauth = self.greeting(wire, address).await?;
        self.capability(wire, StepName::Capability).await?;
        if self.security == Security::Starttls {
            self.starttls(wire).await?;
            self.capability(wire, StepName::CapabilityTls).await?;
        } else {
            self.steps.skip(StepName::Starttls);
            self.steps.skip(StepName::CapabilityTls);
        }
        if preauth {
            let found = Detail::message("imap_preauth", Vec::new());
            self.steps
                .record(StepName::Login, StepStatus::Ok, Instant::now(), found);
        } else {
            self.login(wire).await?;
        }
        Ok(())
    }

    /// The next command tag: `a1`, `a2`, …
    pub(super) fn tag(&mut self) -> String {
        self.next_tag += 1;
        format!("a{}", self.next_tag)
    }

    /// Reads one response, its lines into the transcript.
    pub(super) async fn read(&mut self, wire: &mut Wire) -> Result<Response, Diagnosis> {
        let transcript = &mut self.transcript;
        let mut seen = |line: &str| transcript.server(line);
        wire.read_response(&mut seen).await.map_err(read_failure)
    }

    /// Writes `bytes`; a failed write is a broken connection.
    pub(super) async fn write(&mut self, wire: &mut Wire, bytes: &[u8]) -> Result<(), Diagnosis> {
        wire.send(bytes).await.map_err(|e| io_failure(&e))
    }

    /// Reads responses until the one tagged `tag`; an untagged BYE followed by
    /// the end of the connection is the server's refusal.
    pub(super) async fn until_tagged(
        &mut self,
        wire: &mut Wire,
        tag: &str,
    ) -> Result<Exchange, Diagnosis> {
        let mut untagged = Vec::new();
        let mut bye: Option<StatusResponse> = None;
        loop {
            let response = match self.read(wire).await {
                Ok(response) => response,
                Err(diagnosis) => {
                    return Err(match bye {
                        Some(bye) => diagnose::bye(&bye),
                        None => diagnosis,
                    });
                }
            };
            match response {
                Response::Status(status) if status.tag.as_deref() == Some(tag) => {
                    return Ok(Exchange {
                        untagged,
                        done: status,
                    });
                }
                Response::Status(status) if status.tag.is_some() => {
                    // A completion for another tag: pipelined commands answer in order,
                    // so this is a server out of step.
                    return Err(Diagnosis::new(Code::ProtocolError).arg("reply", status.summary()));
                }
                Response::Status(status) if status.status == Status::Bye => {
                    bye = Some(status.clone());
                    untagged.push(Response::Status(status));
                }
                Response::Continue(text) => {
                    return Err(Diagnosis::new(Code::ProtocolError)
                        .arg("reply", format!("+ {}", printable(&text))));
                }
                other => untagged.push(other),
            }
        }
    }

    /// One simple command (no secrets in it) within the step's timeout.
    pub(super) async fn command(
        &mut self,
        wire: &mut Wire,
        text: &str,
    ) -> Result<Exchange, Diagnosis> {
        let tag = self.tag();
        self.transcript.client(format!("{tag} {text}"));
        let limit = self.step_timeout;
        let exchange = async {
            self.write(wire, format!("{tag} {text}\r\n").as_bytes())
                .await?;
            self.until_tagged(wire, &tag).await
        };
        match timeout(limit, exchange).await {
            Ok(result) => result,
            Err(_) => Err(timed_out(limit)),
        }
    }

    /// The greeting: `* OK` (with the capabilities, often), `* PREAUTH`
    /// (already signed in: `Ok(true)`) or `* BYE`.
    async fn greeting(&mut self, wire: &mut Wire, address: SocketAddr) -> Result<bool, Failure> {
        let since = Instant::now();
        let limit = self.step_timeout;
        let port = self.port;
        let tls_active = self.tls_active;
        let host = self.host.clone();
        let read = async {
            match timeout(limit, self.read(wire)).await {
                Ok(result) => result,
                Err(_) => Err(timed_out(limit)),
            }
        };
        let response = if tls_active {
            read.await
        } else {
            // Plain text against an implicit-TLS port: the server waits for a TLS
            // hello and never greets. A probe on a second connection tells.
            let probe = async move {
                tokio::time::sleep(SILENCE_BEFORE_PROBE.min(limit / 2)).await;
                if tls::speaks_tls(address, &host, limit).await {
                    return;
                }
                std::future::pending::<()>().await
            };
            tokio::select! {
                response = read => response,
                () = probe => Err(diagnose::mode_mismatch(false, port).reason("speaks_tls", &[])),
            }
        };
        let response =
            response.map_err(|d| self.fail(StepName::Greeting, since, Failure::broken(d)))?;
        let status = match response {
            Response::Status(status) if status.tag.is_none() => status,
            other => {
                let diagnosis = Diagnosis::new(Code::ProtocolError).arg("reply", shown(&other));
                return Err(self.fail(StepName::Greeting, since, Failure::broken(diagnosis)));
            }
        };
        match status.status {
            Status::Ok | Status::Preauth => {}
            _ => {
                let diagnosis = diagnose::bye(&status);
                return Err(self.fail(StepName::Greeting, since, Failure::broken(diagnosis)));
            }
        }
        self.facts.greeting = Some(status.text.clone());
        if self.facts.mta.is_none() {
            self.facts.mta = imap_server_from(&status.text).map(str::to_owned);
        }
        if status.code_name().as_deref() == Some("CAPABILITY") {
            let list = words(status.code_value());
            self.imap().capabilities = list;
        }
        let summary = status.summary();
        self.steps.record(
            StepName::Greeting,
            StepStatus::Ok,
            since,
            Detail::plain("reply", vec![("reply", summary.clone())], summary),
        );
        Ok(status.status == Status::Preauth)
    }

    /// `capability` (or `capability_tls`): the list from the greeting when it
    /// came with one, else asked for.
    async fn capability(&mut self, wire: &mut Wire, step: StepName) -> Result<(), Failure> {
        let since = Instant::now();
        let known = match step {
            StepName::Capability => !self.imap_ref().capabilities.is_empty(),
            _ => false,
        };
        if !known {
            let exchange = self
                .command(wire, "CAPABILITY")
                .await
                .map_err(|d| self.fail(step, since, Failure::broken(d)))?;
            if exchange.done.status != Status::Ok {
                let diagnosis = diagnose::refused(&exchange.done);
                return Err(self.fail(step, since, Failure::refused(diagnosis, &exchange.done)));
            }
            let mut list = capabilities_in(&exchange.untagged);
            if list.is_empty() && exchange.done.code_name().as_deref() == Some("CAPABILITY") {
                list = words(exchange.done.code_value());
            }
            match step {
                StepName::Capability => self.imap().capabilities = list,
                _ => self.imap().capabilities_tls = list,
            }
        }
        let list = self.imap_ref().current().join(" ");
        let status = if self.imap_ref().has("IMAP4rev1") || self.imap_ref().has("IMAP4rev2") {
            StepStatus::Ok
        } else {
            StepStatus::Warning
        };
        let found = Detail::plain("capability", vec![("capabilities", list.clone())], list);
        self.steps.record(step, status, since, found);
        Ok(())
    }

    async fn starttls(&mut self, wire: &mut Wire) -> Result<(), Failure> {
        let since = Instant::now();
        if !self.imap_ref().has("STARTTLS") {
            let diagnosis =
                Diagnosis::new(Code::StarttlsUnavailable).arg("host", self.host.clone());
            return Err(self.fail(StepName::Starttls, since, Failure::local(diagnosis)));
        }
        let exchange = self
            .command(wire, "STARTTLS")
            .await
            .map_err(|d| self.fail(StepName::Starttls, since, Failure::broken(d)))?;
        if exchange.done.status != Status::Ok {
            let diagnosis =
                Diagnosis::new(Code::StarttlsUnavailable).arg("host", self.host.clone());
            return Err(self.fail(
                StepName::Starttls,
                since,
                Failure::refused(diagnosis, &exchange.done),
            ));
        }
        if wire.has_pending() {
            // Bytes after the OK before the handshake would be injected plain text.
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

    /// The TLS handshake (implicit TLS or after STARTTLS), recorded as `step`.
    async fn handshake(
        &mut self,
        tcp: Sniffed,
        step: StepName,
        since: Instant,
    ) -> Result<TlsStream<Sniffed>, Diagnosis> {
        let config = tls::client_config(self.accept_invalid, &self.extra_roots);
        let result = self
            .link()
            .handshake(tcp, step, since, config, plain_imap)
            .await;
        self.tls_active |= result.is_ok();
        result
    }

    /// What `resolve`, `connect` and the handshake need of the run: the SMTP
    /// check's pieces work on them.
    fn link(&mut self) -> Link<'_> {
        Link {
            host: &self.host,
            port: self.port,
            step_timeout: self.step_timeout,
            steps: &mut self.steps,
            transcript: &mut self.transcript,
            facts: &mut self.facts,
        }
    }
}

/// A plain-text IMAP greeting where the TLS hello was awaited.
fn plain_imap(first: &[u8], port: u16) -> Option<Diagnosis> {
    looks_like_imap(first).then(|| diagnose::mode_mismatch(true, port))
}

/// Whether the first bytes are a plain-text IMAP greeting rather than a TLS record.
pub fn looks_like_imap(first: &[u8]) -> bool {
    first.starts_with(b"* OK") || first.starts_with(b"* PREAUTH") || first.starts_with(b"* BYE")
}

/// The server software a greeting names (`Dovecot ready.`, `Cyrus IMAP …`).
fn imap_server_from(greeting: &str) -> Option<&'static str> {
    let lower = greeting.to_ascii_lowercase();
    [
        ("dovecot", "dovecot"),
        ("cyrus", "cyrus"),
        ("courier", "courier"),
        ("gimap", "gmail"),
        ("microsoft exchange", "exchange"),
        ("yandex", "yandex"),
    ]
    .into_iter()
    .find(|(needle, _)| lower.contains(needle))
    .map(|(_, name)| name)
}

/// The items of a capability list (`IMAP4rev1 SASL-IR AUTH=PLAIN`), at most 200.
pub(super) fn words(text: &str) -> Vec<String> {
    text.split_ascii_whitespace()
        .take(200)
        .map(str::to_owned)
        .collect()
}

/// The list of an untagged `CAPABILITY` response, if one came.
pub(super) fn capabilities_in(untagged: &[Response]) -> Vec<String> {
    untagged
        .iter()
        .rev()
        .find_map(|r| match r {
            Response::Data(text) => {
                let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
                word.eq_ignore_ascii_case("CAPABILITY").then(|| words(rest))
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// A response as one printable line, for a detail.
pub(super) fn shown(response: &Response) -> String {
    match response {
        Response::Status(status) => status.summary(),
        Response::Data(text) => format!("* {}", printable(text)),
        Response::Continue(text) => format!("+ {}", printable(text)),
    }
}

pub(super) fn timed_out(limit: Duration) -> Diagnosis {
    Diagnosis::new(Code::Timeout).arg("seconds", limit.as_secs().to_string())
}

fn read_failure(error: ReadError) -> Diagnosis {
    let diagnosis = Diagnosis::new(Code::ProtocolError);
    match error {
        ReadError::Closed => diagnosis.reason("closed", &[]),
        ReadError::TooLong => {
            diagnosis.reason("too_long", &[("limit", wire::MAX_LINE.to_string())])
        }
        ReadError::LiteralTooLarge(size) => diagnosis.reason(
            "imap_literal_too_large",
            &[
                ("size", size.to_string()),
                ("limit", wire::MAX_LITERAL.to_string()),
            ],
        ),
        ReadError::Malformed(line) => diagnosis.reason("imap_malformed", &[("line", line)]),
        ReadError::Io(error) => io_failure(&error),
    }
}

fn io_failure(error: &std::io::Error) -> Diagnosis {
    let code = match error.kind() {
        std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
            Code::ConnectionReset
        }
        _ => Code::ProtocolError,
    };
    Diagnosis::new(code).arg("reply", error.to_string())
}
