//! Commands and replies of the SMTP check: writing (with AUTH payloads redacted
//! in the transcript), AUTH itself, the envelope and message, and QUIT.

use std::time::Instant;

use base64::Engine;

use super::Ready;
use super::{Failure, Run, auth, detail, read_reply};
use crate::core::check::auth::Refusal;
use crate::core::check::auth::{Held, Mechanism};
use crate::core::check::diagnosis::{self, Code, Diagnosis};
use crate::core::check::gssapi::Names;
use crate::core::check::ntlm;
use crate::core::check::transcript::REDACTED;
use crate::core::check::wire::{Reply, Wire};
use crate::core::check::{Detail, StepName, StepStatus};
use crate::core::secret::Secret;

impl Run<'_> {
    pub(super) fn timeout_diagnosis(&self) -> Diagnosis {
        Diagnosis::new(Code::Timeout).arg("seconds", self.step_timeout.as_secs().to_string())
    }

    /// Records a failed step and hands the failure back.
    pub(super) fn fail(&mut self, step: StepName, since: Instant, failure: Failure) -> Failure {
        let mut failure = failure;
        if failure.diagnosis.code == Code::ConnectionReset
            && failure.diagnosis.get("host").is_none()
        {
            failure.diagnosis = failure
                .diagnosis
                .arg("host", self.host.clone())
                .arg("port", self.port.to_string());
        }
        self.transcript.info(failure.diagnosis.message());
        self.steps
            .record(step, StepStatus::Failed, since, (*failure.detail).clone());
        failure
    }

    pub(super) fn fail_on_error(
        &mut self,
        step: StepName,
        since: Instant,
        reply: Result<Reply, Diagnosis>,
    ) -> Result<Reply, Failure> {
        reply.map_err(|diagnosis| self.fail(step, since, Failure::broken(diagnosis)))
    }

    /// Writes bytes within the step timeout (the transcript is the caller's job).
    pub(super) async fn write(&mut self, wire: &mut Wire, bytes: &[u8]) -> Result<(), Diagnosis> {
        match tokio::time::timeout(self.step_timeout, wire.send(bytes)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(super::io_failure(&error)),
            Err(_) => Err(self.timeout_diagnosis()),
        }
    }

    /// Sends `actual`, shows `shown` in the transcript, reads the reply.
    async fn exchange(
        &mut self,
        wire: &mut Wire,
        shown: &str,
        actual: &str,
    ) -> Result<Reply, Diagnosis> {
        self.transcript.client(shown);
        self.write(wire, format!("{actual}\r\n").as_bytes()).await?;
        read_reply(wire, &mut self.transcript, self.step_timeout).await
    }

    /// A command whose failure to get any reply fails `step`.
    pub(super) async fn command(
        &mut self,
        wire: &mut Wire,
        step: StepName,
        since: Instant,
        line: &str,
    ) -> Result<Reply, Failure> {
        let reply = self.exchange(wire, line, line).await;
        self.fail_on_error(step, since, reply)
    }

    /// A command carrying a secret: the transcript shows `shown` (the mechanism
    /// name and [`REDACTED`]), the wire gets `actual`.
    pub(super) async fn secret(
        &mut self,
        wire: &mut Wire,
        since: Instant,
        shown: &str,
        actual: &str,
    ) -> Result<Reply, Failure> {
        let reply = self.exchange(wire, shown, actual).await;
        self.fail_on_error(StepName::Auth, since, reply)
    }

    /// Puts a pipelined group of plain commands in the transcript and hands back
    /// their bytes, to go out in one write.
    pub(super) fn group(&mut self, lines: &[String]) -> String {
        let mut bytes = String::new();
        for line in lines {
            self.transcript.client(line.clone());
            bytes.push_str(line);
            bytes.push_str("\r\n");
        }
        bytes
    }

    /// AUTH PLAIN with its initial response, leading the pipelined envelope in
    /// one write (RFC 4954 §4 allows it: PLAIN completes in one round trip).
    async fn plain_with_envelope(
        &mut self,
        wire: &mut Wire,
        since: Instant,
        payload: &str,
        envelope: &[String],
    ) -> Result<Reply, Failure> {
        self.transcript.client(format!("AUTH PLAIN {REDACTED}"));
        let bytes = format!("AUTH PLAIN {payload}\r\n{}", self.group(envelope));
        if let Err(diagnosis) = self.write(wire, bytes.as_bytes()).await {
            return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
        }
        self.reply(wire, StepName::Auth, since).await
    }

    /// After AUTH failed with the envelope pipelined behind it: reads the
    /// envelope's replies so the transcript is whole. The connection can still
    /// take a QUIT unless the server, oddly, is waiting for the message.
    async fn drain_envelope(
        &mut self,
        wire: &mut Wire,
        mut failure: Failure,
        replies: usize,
    ) -> Failure {
        if !failure.alive {
            return failure;
        }
        for left in (0..replies).rev() {
            match read_reply(wire, &mut self.transcript, self.step_timeout).await {
                Ok(reply) if left == 0 && reply.code == 354 => {
                    self.transcript.info(detail("check-detail-abandoned", &[]));
                    failure.alive = false;
                }
                Ok(_) => {}
                Err(_) => {
                    failure.alive = false;
                    break;
                }
            }
        }
        failure
    }

    pub(super) async fn reply(
        &mut self,
        wire: &mut Wire,
        step: StepName,
        since: Instant,
    ) -> Result<Reply, Failure> {
        let reply = read_reply(wire, &mut self.transcript, self.step_timeout).await;
        self.fail_on_error(step, since, reply)
    }

    /// AUTH as the profile asks. With `envelope` (sending, PIPELINING offered)
    /// and PLAIN chosen, the envelope goes out with AUTH; the answer says whether
    /// it did.
    pub(super) async fn authenticate(
        &mut self,
        wire: &mut Wire,
        envelope: Option<&Ready<'_>>,
    ) -> Result<bool, Failure> {
        let since = Instant::now();
        let offered = self.facts.auth_mechanisms.clone();
        let held = if self.token_held {
            Held::Token
        } else if self.password.expose().is_empty() {
            Held::Nothing
        } else {
            Held::Password
        };
        let method = self.profile.smtp.auth;
        // Kerberos is tried first when it may be used: whether a ticket for the
        // server can be had decides what `auto` picks.
        let mut ticket = if Mechanism::wants_ticket(method, &offered, held) {
            Some(self.kerberos_start().await)
        } else {
            None
        };
        let has_ticket = matches!(ticket, Some(Ok(_)));
        let chosen =
            Mechanism::choose_with_ticket(method, &offered, self.tls_active, held, has_ticket);
        if let Some(Err(diagnosis)) = &ticket {
            match chosen {
                // GSSAPI asked for, or the only way `auto` had: its own diagnosis.
                Ok(Some(Mechanism::Gssapi)) | Err(Refusal::Unavailable(_)) => {
                    let failure = Failure {
                        alive: true,
                        ..Failure::broken(diagnosis.clone())
                    };
                    return Err(self.fail(StepName::Auth, since, failure));
                }
                // Why `auto` did not take GSSAPI though the server offers it.
                _ => self.transcript.info(detail(
                    "check-gssapi-not-used",
                    &[("reason", diagnosis.message())],
                )),
            }
        }
        let mechanism = match chosen {
            Ok(None) => {
                self.steps.skip(StepName::Auth);
                return Ok(false);
            }
            Ok(Some(mechanism)) => mechanism,
            Err(refusal) => {
                let diagnosis = match refusal {
                    Refusal::Unavailable(wanted) => {
                        diagnosis::mechanism_unavailable(wanted, &offered)
                    }
                    Refusal::Plaintext => {
                        // Only the mechanisms that would have carried the password.
                        let in_clear: Vec<String> = offered
                            .iter()
                            .filter(|m| matches!(m.as_str(), "PLAIN" | "LOGIN" | "NTLM"))
                            .cloned()
                            .collect();
                        diagnosis::plaintext_auth_refused(&in_clear, self.facts.starttls, self.port)
                    }
                };
                let failure = Failure {
                    detail: Box::new(Detail::diagnosis(&diagnosis)),
                    diagnosis,
                    alive: true,
                    reply: None,
                };
                return Err(self.fail(StepName::Auth, since, failure));
            }
        };
        let user = self.profile.smtp.username.trim().to_owned();
        let password = std::mem::take(&mut self.password);
        let name = mechanism.name();
        let mut pipelined: Vec<String> = Vec::new();
        let mut kerberos_names = None;
        let reply = match mechanism {
            Mechanism::Plain if envelope.is_some() => {
                let payload = auth::plain(&user, password.expose());
                pipelined = envelope
                    .map(|r| super::transaction::envelope_lines(r, &self.facts))
                    .unwrap_or_default();
                self.plain_with_envelope(wire, since, &payload, &pipelined)
                    .await?
            }
            Mechanism::Plain => {
                let payload = auth::plain(&user, password.expose());
                let mut reply = self
                    .secret(
                        wire,
                        since,
                        &format!("AUTH PLAIN {REDACTED}"),
                        &format!("AUTH PLAIN {payload}"),
                    )
                    .await?;
                if reply.code == 334 {
                    reply = self.secret(wire, since, REDACTED, &payload).await?;
                }
                reply
            }
            Mechanism::Login => {
                let mut reply = self
                    .command(wire, StepName::Auth, since, "AUTH LOGIN")
                    .await?;
                if reply.code == 334 {
                    reply = self
                        .secret(wire, since, REDACTED, &auth::base64(user.as_bytes()))
                        .await?;
                }
                if reply.code == 334 {
                    reply = self
                        .secret(
                            wire,
                            since,
                            REDACTED,
                            &auth::base64(password.expose().as_bytes()),
                        )
                        .await?;
                }
                reply
            }
            Mechanism::CramMd5 => {
                let mut reply = self
                    .command(wire, StepName::Auth, since, "AUTH CRAM-MD5")
                    .await?;
                if reply.code == 334 {
                    let challenge = reply.lines.first().cloned().unwrap_or_default();
                    let Some(response) = auth::cram_md5(&user, password.expose(), &challenge)
                    else {
                        let diagnosis =
                            Diagnosis::new(Code::ProtocolError).reason("bad_challenge", &[]);
                        return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
                    };
                    reply = self.secret(wire, since, REDACTED, &response).await?;
                }
                reply
            }
            Mechanism::Ntlm => self.ntlm(wire, since, &user, &password).await?,
            Mechanism::Gssapi => {
                let Some(Ok(started)) = ticket.take() else {
                    // choose_with_ticket took GSSAPI only with a ticket, and a
                    // missing one returned above.
                    let diagnosis = Diagnosis::new(Code::ProtocolError);
                    return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
                };
                let (reply, names) = self.gssapi(wire, since, started).await?;
                kerberos_names = names;
                reply
            }
            Mechanism::Xoauth2 | Mechanism::Oauthbearer => {
                let payload = if mechanism == Mechanism::Xoauth2 {
                    auth::xoauth2(&user, password.expose())
                } else {
                    auth::oauthbearer(&user, &self.host, self.port, password.expose())
                };
                let mut reply = self
                    .secret(
                        wire,
                        since,
                        &format!("AUTH {name} {REDACTED}"),
                        &format!("AUTH {name} {payload}"),
                    )
                    .await?;
                if reply.code == 334 {
                    // The server sent its error as a challenge: XOAUTH2 ends
                    // AUTH with an empty line, OAUTHBEARER with %x01 (RFC 7628 §3.2.3).
                    let end = if mechanism == Mechanism::Oauthbearer {
                        auth::base64(b"\x01")
                    } else {
                        String::new()
                    };
                    reply = self.secret(wire, since, &end, &end).await?;
                }
                reply
            }
        };
        drop(password);
        if reply.code == 235 {
            let mut text = format!("{name}: {}", reply.summary());
            let mut args = vec![("mechanism", name.to_owned()), ("reply", reply.summary())];
            // A token says nothing to read; the account it was sent for does.
            if matches!(mechanism, Mechanism::Xoauth2 | Mechanism::Oauthbearer) {
                text = format!("{name} ({user}): {}", reply.summary());
                args.push(("account", user.clone()));
            }
            // Kerberos: which principal signed in to which, in which realms.
            if let Some(names) = &kerberos_names {
                text = detail(
                    "check-gssapi-signed-in",
                    &[
                        ("client", names.client.clone()),
                        ("server", names.server.clone()),
                        ("reply", reply.summary()),
                    ],
                );
                args.push(("account", names.client.clone()));
                args.push(("principal", names.server.clone()));
                args.push(("realm", Names::realm(&names.server).to_owned()));
                args.push(("client_realm", Names::realm(&names.client).to_owned()));
            }
            // CRAM-MD5 sends a digest, not the password, GSSAPI none at all:
            // no warning for them.
            let safe_in_clear = matches!(mechanism, Mechanism::CramMd5 | Mechanism::Gssapi);
            let (status, found) = if self.tls_active || safe_in_clear {
                (StepStatus::Ok, Detail::plain("auth", args, text))
            } else {
                // NTLM sends no password, but an answer open to offline guessing.
                let (code, key) = if mechanism == Mechanism::Ntlm {
                    ("auth_ntlm_clear", "check-detail-auth-ntlm-clear")
                } else {
                    ("auth_plaintext", "check-detail-auth-plaintext")
                };
                let warning = detail(key, &[]);
                self.transcript.info(warning.clone());
                let text = format!("{text}; {warning}");
                (StepStatus::Warning, Detail::plain(code, args, text))
            };
            self.steps.record(StepName::Auth, status, since, found);
            return Ok(!pipelined.is_empty());
        }
        let diagnosis = diagnosis::auth_refused(&reply, name, &offered);
        let failure = self.fail(StepName::Auth, since, Failure::refused(diagnosis, &reply));
        if pipelined.is_empty() {
            return Err(failure);
        }
        if reply.code == 334 {
            // The server ignored the initial response and took MAIL FROM as the
            // answer to its challenge: what it makes of the rest is unknown.
            return Err(Failure {
                alive: false,
                ..failure
            });
        }
        Err(self.drain_envelope(wire, failure, pipelined.len()).await)
    }

    /// `AUTH NTLM <negotiate>`, `334 <challenge>`, `<authenticate>`: every
    /// token `<redacted>` in the transcript, the server's challenge too.
    async fn ntlm(
        &mut self,
        wire: &mut Wire,
        since: Instant,
        user: &str,
        password: &Secret,
    ) -> Result<Reply, Failure> {
        let negotiate = ntlm::negotiate();
        let mut reply = self
            .secret(
                wire,
                since,
                &format!("AUTH NTLM {REDACTED}"),
                &format!("AUTH NTLM {}", auth::base64(&negotiate)),
            )
            .await?;
        if reply.code != 334 {
            return Ok(reply);
        }
        self.transcript.redact_last_server();
        let token = reply.lines.first().map(|line| line.trim()).unwrap_or("");
        let bytes = base64::engine::general_purpose::STANDARD.decode(token).ok();
        let challenge = bytes.as_deref().map(ntlm::parse_challenge);
        let (Some(bytes), Some(Ok(challenge))) = (bytes.as_deref(), challenge) else {
            let diagnosis = Diagnosis::new(Code::ProtocolError).reason("bad_challenge", &[]);
            return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
        };
        // This machine's fault, not the server's: no random source or a clock
        // before 1970.
        let Some(nonce) = ntlm::Nonce::fresh() else {
            let diagnosis = Diagnosis::new(Code::CannotStart)
                .arg("reply", crate::i18n::tr("check-ntlm-no-nonce"));
            return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
        };
        let (name, domain) = ntlm::split_user(user, &self.profile.smtp.auth_domain);
        // The user and domain as NTLM sends them, so a split `DOMAIN\user` shows.
        self.transcript.info(ntlm::identity_text(&name, &domain));
        let identity = ntlm::Identity {
            user: &name,
            domain: &domain,
            password: password.expose(),
        };
        let binding = wire
            .server_certificate()
            .map(|der| ntlm::channel_binding_hash(&ntlm::tls_server_end_point(der)));
        let message = ntlm::authenticate(&identity, &negotiate, bytes, &challenge, &nonce, binding);
        reply = self
            .secret(wire, since, REDACTED, &auth::base64(&message))
            .await?;
        Ok(reply)
    }

    /// Says QUIT and records the step; a missing or odd answer is only a warning.
    pub(super) async fn quit(&mut self, wire: &mut Wire) {
        let since = Instant::now();
        self.transcript.client("QUIT");
        match self.write(wire, b"QUIT\r\n").await {
            Ok(()) => self.quit_reply(wire, since).await,
            Err(diagnosis) => {
                self.steps.record(
                    StepName::Quit,
                    StepStatus::Warning,
                    since,
                    Detail::diagnosis(&diagnosis),
                );
            }
        }
    }

    pub(super) async fn quit_reply(&mut self, wire: &mut Wire, since: Instant) {
        match read_reply(wire, &mut self.transcript, self.step_timeout).await {
            Ok(reply) if reply.code == 221 => {
                self.steps
                    .record(StepName::Quit, StepStatus::Ok, since, Detail::reply(&reply));
            }
            Ok(reply) => self.steps.record(
                StepName::Quit,
                StepStatus::Warning,
                since,
                Detail::reply(&reply),
            ),
            Err(diagnosis) => self.steps.record(
                StepName::Quit,
                StepStatus::Warning,
                since,
                Detail::diagnosis(&diagnosis),
            ),
        }
    }
}
