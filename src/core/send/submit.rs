//! What `outbound send` does with a ready message: delivers it now, or puts
//! it in the queue — asked for (`--queue`, `-odq`), after a temporary failure
//! (a 4xx, a timeout, no network, the keyring unavailable; as sendmail does,
//! the caller then gets 0), or over the daily limit under `limits.over =
//! queue` (sent by a later flush once the day allows) — and writes its line
//! in the profile's log with [`msglog::record`], the same as the flush.
//!
//! The spool gets the prepared message and its envelope only: the password
//! stays in the keyring and is asked for again by the flush.

use crate::core::check::limits::{self, LimitError};
use crate::core::check::msglog::{self, MessageLine};
use crate::core::check::transcript::Line;
use crate::core::profile::LimitOver;
use crate::core::queue::{self, ProfileRef, QueueId, schedule};
use crate::core::store::Paths;
use crate::i18n::Localize;

use super::pipeline::{self, Attempt, Ready, SendError};

/// What became of a message `send` accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// The server took it: its reply.
    Sent { reply: String },
    /// It waits in the queue; `reason` says why it was not sent now (none
    /// when only queueing was asked for).
    Queued { id: QueueId, reason: Option<String> },
}

/// Delivers `ready` (or with `queue_only` only queues it) and logs it.
/// `trace` gets the transcript (redacted) as it is written.
pub async fn submit(
    ready: &Ready,
    paths: &Paths,
    queue_only: bool,
    trace: &mut dyn FnMut(String),
) -> Result<Submitted, SendError> {
    if queue_only {
        return enqueue(ready, paths, None, None, Vec::new(), None);
    }
    let routed = &ready.routed;
    let attempt = match pipeline::credential(paths, routed.scope, &routed.profile).await {
        Ok(options) => pipeline::deliver_ready(ready, paths, options, trace).await,
        Err(error) => Attempt {
            result: Err(error),
            transcript: Vec::new(),
        },
    };
    let Attempt { result, transcript } = attempt;
    match result {
        Ok(reply) => {
            log(ready, paths, line(ready).sent(reply.clone()), &transcript);
            Ok(Submitted::Sent { reply })
        }
        Err(SendError::Limit(reached @ LimitError::Reached { .. })) => {
            match routed.profile.limits.over {
                LimitOver::Queue => {
                    let tomorrow = limits::next_day_start(schedule::now());
                    let reason = reached.localize();
                    enqueue(ready, paths, Some(reason), Some(tomorrow), transcript, None)
                }
                LimitOver::Refuse => {
                    let error = SendError::LimitRefused(reached);
                    let exit = error.exit().name().to_owned();
                    let refused = line(ready).failed(None, error.reason(), exit);
                    log(ready, paths, refused, &transcript);
                    Err(error)
                }
            }
        }
        Err(error) if error.temporary() => {
            let next = schedule::next_attempt(schedule::now(), 1);
            let status = error.status();
            enqueue(
                ready,
                paths,
                Some(error.reason()),
                Some(next),
                transcript,
                status,
            )
        }
        Err(error) => {
            let exit = error.exit().name().to_owned();
            let failed = line(ready).failed(error.status(), error.reason(), exit);
            log(ready, paths, failed, &transcript);
            Err(error)
        }
    }
}

/// Puts the message in the spool with why it was not sent and when to try
/// it, and logs it as `QUEUED`.
fn enqueue(
    ready: &Ready,
    paths: &Paths,
    reason: Option<String>,
    not_before: Option<i64>,
    transcript: Vec<Line>,
    status: Option<u16>,
) -> Result<Submitted, SendError> {
    let routed = &ready.routed;
    let envelope = &ready.outgoing.envelope;
    let kept = queue::enqueue_parts(
        paths,
        ProfileRef {
            scope: routed.scope,
            name: routed.profile.name.clone(),
        },
        &envelope.sender,
        &envelope.recipients,
        envelope.dsn.clone(),
        &ready.outgoing.message,
        reason.clone(),
        not_before,
    );
    let id = match (kept, reason.clone()) {
        (Ok(id), _) => id,
        (Err(error), None) => return Err(error.into()),
        // Neither sent nor kept: the caller must hear both why.
        (Err(error), Some(reason)) => {
            let error = SendError::Unqueued { reason, error };
            let exit = error.exit().name().to_owned();
            log(
                ready,
                paths,
                line(ready).failed(status, error.reason(), exit),
                &transcript,
            );
            return Err(error);
        }
    };
    let queued = line(ready)
        .queued(status, reason.clone())
        .in_queue(id.as_str());
    log(ready, paths, queued, &transcript);
    Ok(Submitted::Queued { id, reason })
}

fn line(ready: &Ready) -> MessageLine {
    let envelope = &ready.outgoing.envelope;
    MessageLine::of(
        &envelope.sender,
        &envelope.recipients,
        ready.outgoing.message.len(),
    )
}

/// The message's line (and under `log.level = full` the transcript) in the
/// profile's log. A log that cannot be written does not change what became
/// of the message: it is said on stderr through tracing.
fn log(ready: &Ready, paths: &Paths, line: MessageLine, transcript: &[Line]) {
    let routed = &ready.routed;
    let transcript = (!transcript.is_empty()).then_some(transcript);
    let written = msglog::record(
        &routed.profile,
        routed.scope,
        paths,
        std::slice::from_ref(&line),
        transcript,
        false,
        schedule::now(),
    );
    if let Err(error) = written {
        tracing::warn!(target: "outbound::send", "{}", error.localize());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::send::Sysexit;

    #[test]
    fn a_refusal_over_the_limit_is_not_a_temporary_failure() {
        let refused = SendError::LimitRefused(LimitError::Reached {
            name: "p".into(),
            limit: 1,
        });
        assert_eq!(refused.exit(), Sysexit::Unavailable);
        assert!(!refused.temporary());
    }
}
