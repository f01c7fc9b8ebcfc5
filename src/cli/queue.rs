//! `outbound queue list|flush|delete ID|purge`: the messages `outbound send`
//! kept for later.

use serde_json::json;

use super::output::{errln, outln};
use super::{Failure, QueueCommand, Status, print_json};
use crate::core::queue::transport::LocalTransport;
use crate::core::queue::{self, FlushOptions, FlushSummary, QueueError, QueueId, Queued, schedule};
use crate::core::store::Paths;
use crate::fl;
use crate::i18n::Localize;

pub async fn run(action: QueueCommand) -> Result<Status, Failure> {
    let paths = Paths::from_environment()?;
    match action {
        QueueCommand::List { json } => {
            let (found, problems) = queue::scan(&paths);
            for problem in &problems {
                errln!("{}", problem.localize());
            }
            let listed: Vec<Queued> = found
                .into_iter()
                .map(|(id, meta)| Queued::new(id, &meta))
                .collect();
            if json {
                print_json(&json!(listed.iter().map(queued_json).collect::<Vec<_>>()));
            } else if listed.is_empty() {
                errln!("{}", fl!("cli-queue-empty"));
            } else {
                for q in &listed {
                    outln!(
                        "{}  {}:{}  {} -> {}  {} B  {}: {}  {}: {}{}",
                        q.id,
                        q.scope.as_str(),
                        q.profile,
                        shown_sender(&q.sender),
                        q.recipients.join(", "),
                        q.size,
                        fl!("cli-queue-attempts"),
                        q.attempts,
                        fl!("cli-queue-next"),
                        schedule::format(q.next_attempt),
                        if q.uncertain {
                            format!("  [{}]", fl!("cli-queue-uncertain-tag"))
                        } else {
                            String::new()
                        },
                    );
                    if let Some(error) = &q.last_error {
                        outln!("    {error}");
                    }
                }
            }
            Ok(if problems.is_empty() {
                Status::Success
            } else {
                Status::Problem
            })
        }
        QueueCommand::Delete { id } => {
            let parsed = QueueId::parse(&id).ok_or(QueueError::BadId { id: id.clone() })?;
            queue::delete(&paths, &parsed)?;
            errln!("{}", fl!("cli-queue-deleted", id = id));
            Ok(Status::Success)
        }
        QueueCommand::Purge => {
            let removed = queue::purge(&paths)?;
            errln!("{}", fl!("cli-queue-purged", count = removed));
            Ok(Status::Success)
        }
        QueueCommand::Flush {
            due,
            retry_uncertain,
            json,
        } => {
            let options = FlushOptions {
                due_only: due,
                retry_uncertain,
                only: None,
            };
            let summary = queue::flush(&paths, &LocalTransport, &options).await;
            Ok(report(&summary, json))
        }
    }
}

/// Prints what a flush did; exit 1 when something stayed or failed.
pub fn report(summary: &FlushSummary, json: bool) -> Status {
    for problem in &summary.problems {
        errln!("{problem}");
    }
    if json {
        print_json(&json!({
            "sent": summary.sent,
            "failed": summary.failed,
            "deferred": summary.deferred,
            "gave_up": summary.gave_up,
            "busy": summary.busy,
            "uncertain": summary.uncertain,
            "problems": summary.problems,
        }));
    } else {
        let failed = summary.failed + summary.gave_up;
        errln!(
            "{}",
            fl!(
                "cli-queue-flushed",
                sent = summary.sent,
                deferred = summary.deferred,
                failed = failed,
                uncertain = summary.uncertain
            )
        );
    }
    let clean = summary.problems.is_empty()
        && summary.failed == 0
        && summary.gave_up == 0
        && summary.deferred == 0
        && summary.uncertain == 0;
    if clean {
        Status::Success
    } else {
        Status::Problem
    }
}

fn shown_sender(sender: &str) -> &str {
    if sender.is_empty() { "<>" } else { sender }
}

fn queued_json(q: &Queued) -> serde_json::Value {
    json!({
        "id": q.id,
        "profile": q.profile,
        "scope": q.scope,
        "sender": q.sender,
        "recipients": q.recipients,
        "size": q.size,
        "queued_at": schedule::format(q.queued_at),
        "attempts": q.attempts,
        "next_attempt": schedule::format(q.next_attempt),
        "last_error": q.last_error,
        "uncertain": q.uncertain,
    })
}
