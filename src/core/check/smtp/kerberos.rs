//! `AUTH GSSAPI` (RFC 4752 over RFC 4954): the context set up with the
//! user's ticket on a blocking thread (the library may wait for the KDC), the
//! tokens on the wire, every one of them `<redacted>` in the transcript.

use std::time::Instant;

use base64::Engine;

use super::{Failure, Run, auth};
use crate::core::check::StepName;
use crate::core::check::diagnosis::{Code, Diagnosis};
use crate::core::check::gssapi::{Context, Names};
use crate::core::check::transcript::REDACTED;
use crate::core::check::wire::{Reply, Wire};

/// Kerberos needs two or three rounds; a server asking for more is broken.
const MAX_ROUNDS: usize = 6;

/// A context whose first token is made: what `AUTH GSSAPI` starts with.
pub(super) struct Started {
    context: Context,
    token: Vec<u8>,
}

impl Run<'_> {
    /// Runs `work` on a blocking thread within the step timeout.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Diagnosis> {
        match tokio::time::timeout(self.step_timeout, tokio::task::spawn_blocking(work)).await {
            Ok(Ok(value)) => Ok(value),
            // The library call panicked: its thread is gone, the check cannot go on.
            Ok(Err(error)) => Err(Diagnosis::new(Code::CannotStart).arg(
                "reply",
                crate::i18n::tr_args("check-gssapi-crashed", &[("reason", error.to_string())]),
            )),
            Err(_) => Err(self.timeout_diagnosis()),
        }
    }

    /// The first token for `smtp@HOST` from the user's ticket, or why there is none.
    pub(super) async fn kerberos_start(&self) -> Result<Started, Diagnosis> {
        let host = self.host.clone();
        let target = host.clone();
        let started = self.blocking(move || Context::start(&target)).await?;
        match started {
            Ok((context, token)) => Ok(Started { context, token }),
            Err(error) => Err(error.diagnosis(&host)),
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
        let Started { mut context, token } = started;
        let mut reply = self
            .secret(
                wire,
                since,
                &format!("AUTH GSSAPI {REDACTED}"),
                &format!("AUTH GSSAPI {}", auth::base64(&token)),
            )
            .await?;
        let mut names: Option<Names> = None;
        for _ in 0..MAX_ROUNDS {
            if reply.code != 334 {
                return Ok((reply, names));
            }
            self.transcript.redact_last_server();
            let line = reply.lines.first().map(|line| line.trim()).unwrap_or("");
            let Ok(input) = base64::engine::general_purpose::STANDARD.decode(line) else {
                let diagnosis = Diagnosis::new(Code::ProtocolError).reason("bad_challenge", &[]);
                return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
            };
            let host = self.host.clone();
            let known = names.clone();
            let answered = self
                .blocking(move || {
                    let answer = answer(&mut context, &input, known);
                    (context, answer)
                })
                .await;
            let (back, answer) = match answered {
                Ok(done) => done,
                Err(diagnosis) => {
                    return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
                }
            };
            context = back;
            let (token, now_known) = match answer {
                Ok(answer) => answer,
                Err(error) => {
                    let diagnosis = error.diagnosis(&host);
                    return Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)));
                }
            };
            names = now_known;
            let shown = if token.is_empty() { "" } else { REDACTED };
            reply = self
                .secret(wire, since, shown, &auth::base64(&token))
                .await?;
        }
        let diagnosis = Diagnosis::new(Code::ProtocolError).reason("bad_challenge", &[]);
        Err(self.fail(StepName::Auth, since, Failure::broken(diagnosis)))
    }
}

/// The next client token: the context's while it is not complete, then the
/// answer to the security-layer offer with the user's principal as authzid
/// (Dovecot refuses an empty one).
fn answer(
    context: &mut Context,
    input: &[u8],
    names: Option<Names>,
) -> Result<(Vec<u8>, Option<Names>), crate::core::check::gssapi::Error> {
    if !context.is_complete() {
        let token = context.step(input)?;
        let names = if context.is_complete() {
            Some(context.names()?)
        } else {
            None
        };
        return Ok((token, names));
    }
    let names = match names {
        Some(names) => names,
        None => context.names()?,
    };
    let token = context.security_layer(input, &names.client)?;
    Ok((token, Some(names)))
}
