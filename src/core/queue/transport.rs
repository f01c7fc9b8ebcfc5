//! The transport a flush uses until `core::send::deliver` (SMTP over one
//! connection) is merged in: a profile of `delivery = "sendmail"` runs its
//! program once per message, `-f SENDER -- RECIPIENTS` after its arguments, the
//! message on standard input, bounded by the profile's timeout. Exit 75
//! (EX_TEMPFAIL), a timeout or a program that cannot start is temporary (the
//! message stays queued), any other failure permanent.
//!
//! A profile of `delivery = "smtp"` is not delivered by this transport: its
//! messages stay queued with a temporary error saying so.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::core::check::transcript::Line;
use crate::core::profile::Delivery;
use crate::core::store::StoredProfile;
use crate::i18n;

use super::flush::{BatchResult, Item, ItemResult, Transport};

pub struct LocalTransport;

impl Transport for LocalTransport {
    async fn send(&self, stored: &StoredProfile, items: &[Item]) -> BatchResult {
        let mut results = Vec::with_capacity(items.len());
        for item in items {
            results.push(match stored.profile.delivery {
                Delivery::Sendmail => run_sendmail(stored, item).await,
                Delivery::Smtp => ItemResult::Failed {
                    temporary: true,
                    status: None,
                    reason: i18n::tr("queue-smtp-unavailable"),
                    exit: "EX_TEMPFAIL".to_owned(),
                },
            });
        }
        BatchResult {
            results,
            transcript: Vec::<Line>::new(),
        }
    }
}

fn temporary(reason: String) -> ItemResult {
    ItemResult::Failed {
        temporary: true,
        status: None,
        reason,
        exit: "EX_TEMPFAIL".to_owned(),
    }
}

async fn run_sendmail(stored: &StoredProfile, item: &Item) -> ItemResult {
    let profile = &stored.profile;
    let mut argv = match shell_words::split(&profile.sendmail.args) {
        Ok(argv) => argv,
        Err(e) => {
            return ItemResult::Failed {
                temporary: false,
                status: None,
                reason: e.to_string(),
                exit: "EX_CONFIG".to_owned(),
            };
        }
    };
    argv.push("-f".to_owned());
    argv.push(item.meta.sender.clone());
    argv.push("--".to_owned());
    argv.extend(item.meta.recipients.iter().cloned());
    let limit = Duration::from_secs(u64::from(profile.smtp.timeout_secs.clamp(1, 300)));
    let mut child = match Command::new(&profile.sendmail.path)
        .args(&argv)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return temporary(format!("{}: {e}", profile.sendmail.path)),
    };
    let stdin = child.stdin.take();
    let work = async {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(&item.message).await;
            let _ = stdin.shutdown().await;
        }
        child.wait_with_output().await
    };
    match tokio::time::timeout(limit, work).await {
        Ok(Ok(output)) if output.status.success() => ItemResult::Sent {
            reply: output.status.to_string(),
        },
        Ok(Ok(output)) => {
            let first = String::from_utf8_lossy(&output.stderr)
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .chars()
                .take(300)
                .collect::<String>();
            let reason = format!("{}: {first}", output.status);
            if output.status.code() == Some(75) {
                temporary(reason)
            } else {
                ItemResult::Failed {
                    temporary: false,
                    status: None,
                    reason,
                    exit: "EX_UNAVAILABLE".to_owned(),
                }
            }
        }
        Ok(Err(e)) => temporary(e.to_string()),
        Err(_) => temporary(i18n::tr_args(
            "queue-timeout",
            &[("seconds", limit.as_secs().to_string())],
        )),
    }
}
