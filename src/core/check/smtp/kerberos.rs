//! `AUTH GSSAPI` (RFC 4752 over RFC 4954): the context set up with the
//! user's ticket on a blocking thread (the library may wait for the KDC), the
//! tokens on the wire, every one of them `<redacted>` in the transcript.

use std::time::Instant;

use base64::Engine;

use super::{Failure, Run, auth};
use crate::core::check::StepName;
use crate::core::check::diagnosis::{Code, Diagnosis};
use crate::core::check::gssapi::{self, Blocked, Exchange, Names, SMTP_SERVICE};
use crate::core::check::transcript::REDACTED;
use crate::core::check::wire::{Reply, Wire};

/// Kerberos needs two or three rounds; a server asking for more is broken.
const MAX_ROUNDS: usize = 6;

/// An exchange whose first token is made: what `AUTH GSSAPI` starts with.
pub(super) struct Started {
    exchange: Exchange,
    token: Vec<u8>,
}

impl Run<'_> {
    /// Runs `work` on a blocking thread within the step timeout.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Diagnosis> {
        gssapi::blocking(self.step_timeout, work)
            .await
            .map_err(|blocked| match blocked {
                Blocked::Crashed(diagnosis) => diagnosis,
                Blocked::TimedOut => self.timeout_diagnosis(),
            })
    }

    /// The first token for `smtp@HOST` from the user's ticket, or why there is none.
    pub(super) async fn kerberos_start(&self) -> Result<Started, Diagnosis> {
        let host = self.host.clone();
        let target = host.clone();
        let started = self
            .blocking(move || Exchange::start(SMTP_SERVICE, &target))
            .await?;
        match started {
            Ok((exchange, token)) => Ok(Started { exchange, token }),
            Err(error) => Err(error.diagnosis(SMTP_SERVICE, &host)),
        }
    }

    /// The GSSAPI exchange after [`Run::kerberos_start`]; the final reply and,
    /// when the context came up, who signed in to whom.
    pub(super) async fn gssapi(
        &mut self,
        wire: &mut Wire,
        since: Instant,
        started: Started,
    ) -> Result<(Reply, Option<Names>), Failure> {
        let Started {
            mut exchange,
            token,
        } = started;
        let mut reply = self
            .secret(
                wire,
                since,
                &format!("AUTH GSSAPI {REDACTED}"),
                &format!("AUTH GSSAPI {}", auth::base64(&token)),
            )
            .await?;
        for _ in 0..MAX_ROUNDS {
            if reply.code != 334 {
                return Ok((reply, exchange.names().cloned()));
            }
            self.transcript.redact_last_server();
            let line = reply.lines.first().map(|line| line.trim()).unwrap_or("");
            let Ok(input) = base64::engine::general_purpose::STANDARD.decode(line) else {
                let diagnosis = Diagnosis::new(Code::ProtocolError).reason("bad_challenge", &[]);
                return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
            };
            let answered = self
                .blocking(move || {
                    let answer = exchange.answer(&input);
                    (exchange, answer)
                })
                .await;
            let (back, answer) = match answered {
                Ok(done) => done,
                Err(diagnosis) => {
                    return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
                }
            };
            exchange = back;
            let token = match answer {
                Ok(token) => token,
                Err(error) => {
                    let diagnosis = error.diagnosis(SMTP_SERVICE, &self.host);
                    return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
                }
            };
            let shown = if token.is_empty() { "" } else { REDACTED };
            reply = self
                .secret(wire, since, shown, &auth::base64(&token))
                .await?;
        }
        let diagnosis = Diagnosis::new(Code::ProtocolError).reason("bad_challenge", &[]);
        Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)))
    }
}
