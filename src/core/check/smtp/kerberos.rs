//! `AUTH GSSAPI` (RFC 4752 over RFC 4954): the context set up with the
//! user's ticket on a blocking thread (the library may wait for the KDC), the
//! tokens on the wire, every one of them `<redacted>` in the transcript.

use std::time::Instant;

use base64::Engine;

use super::{Failure, Run, auth};
use crate::core::check::StepName;
use crate::core::check::diagnosis::{Code, Diagnosis};
use crate::core::check::gssapi::{self, Failed, Names, SMTP_SERVICE, Started};
use crate::core::check::transcript::REDACTED;
use crate::core::check::wire::{Reply, Wire};

/// Kerberos needs two or three rounds; a server asking for more is broken.
const MAX_ROUNDS: usize = 6;

impl Run<'_> {
    /// Kerberos's failure as a diagnosis: the check's own words for a timeout.
    fn kerberos_failed(&self, failed: Failed) -> Diagnosis {
        match failed {
            Failed::Diagnosis(diagnosis) => diagnosis,
            Failed::TimedOut => self.timeout_diagnosis(),
        }
    }

    /// The first token for `smtp@HOST` from the user's ticket, or why there is none.
    pub(super) async fn kerberos_start(&self) -> Result<Started, Diagnosis> {
        gssapi::start(SMTP_SERVICE, &self.host, self.step_timeout)
            .await
            .map_err(|failed| self.kerberos_failed(failed))
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
            let target = (SMTP_SERVICE, self.host.as_str());
            let token = match gssapi::answer(exchange, input, target, self.step_timeout).await {
                Ok((back, token)) => {
                    exchange = back;
                    token
                }
                Err(failed) => {
                    let diagnosis = self.kerberos_failed(failed);
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
