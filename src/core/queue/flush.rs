//! The flush: every due message of the queue, one connection per profile for
//! all its messages.
//!
//! # Crash safety (the order, and what is left)
//!
//! For each message: take its lock ([`Claim::take`], which reads its state
//! again), count it against the daily limit, write `sending_since` into its
//! `.json` (atomic, synced), hand the whole batch to the [`Transport`] (one
//! connection), and then for each message by its outcome: delivered → remove
//! (`.json` unlinked and the folder synced, then `.eml`); temporary failure →
//! `.json` rewritten with the next attempt; permanent failure → a bounce line
//! in the log, then removed.
//!
//! A kill before `sending_since` is written changes nothing: the lock goes with
//! the process and the message is sent by the next flush. A kill after it and
//! before the outcome is recorded leaves messages that may or may not have
//! been accepted by the server (the server's 250 to the end of DATA can be on
//! the wire while the process dies). The next flush finds `sending_since` set
//! with the lock free and does **not** send them again by itself: it marks
//! them `uncertain` (shown by `outbound queue list`), because sending them
//! again could deliver them twice. `outbound queue flush --retry-uncertain`
//! sends them anyway (at least once), `outbound queue delete ID` drops them
//! (at most once). Nothing is lost either way: the message stays in the spool
//! until the user decides. The window is the time the transport takes for the
//! batch; with a transport that reports each message as the server accepts it,
//! it would shrink to the time between one 250 and one unlink.
//!
//! A kill after the 250 and after the `.json` is unlinked but before the
//! `.eml` is leaves a lone `.eml`, which is no queued message (removed by a
//! later scan). The daily count is taken before sending and given back only for
//! a message known not to be sent, so a kill can over-count, never under-count.

use std::collections::BTreeMap;
use std::future::Future;

use crate::core::check::limits::{self, LimitError};
use crate::core::check::msglog::{self, MessageLine};
use crate::core::check::transcript::Line;
use crate::core::profile::Profile;
use crate::core::send::Sysexit;
use crate::core::store::{Paths, Store, StoredProfile};
use crate::i18n::{self, Localize};

use super::spool::{self, Claim};
use super::{Meta, ProfileRef, QueueError, QueueId, schedule};

/// One message handed to the transport.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: QueueId,
    pub meta: Meta,
    pub message: Vec<u8>,
}

/// What became of one message.
#[derive(Debug, Clone)]
pub enum ItemResult {
    /// The server accepted it; its reply.
    Sent { reply: String },
    Failed {
        /// A 4xx, a timeout, no network: tried again later.
        temporary: bool,
        /// The server's reply code, when there was one.
        status: Option<u16>,
        /// What to tell the user (the reply, or why there was none); no secret.
        reason: String,
        /// The sysexits name (`EX_TEMPFAIL`…).
        exit: String,
    },
}

/// The outcome of one batch: one result per message, same order, and the
/// redacted transcript of the connection.
#[derive(Debug, Clone, Default)]
pub struct BatchResult {
    pub results: Vec<ItemResult>,
    pub transcript: Vec<Line>,
}

/// How a batch is delivered: one connection for all of `items`.
pub trait Transport {
    fn send(
        &self,
        paths: &Paths,
        stored: &StoredProfile,
        items: &[Item],
    ) -> impl Future<Output = BatchResult>;
}

#[derive(Debug, Clone, Default)]
pub struct FlushOptions {
    /// Only messages whose next attempt has come (a timer's flush); without it
    /// every message is tried now (the user asked).
    pub due_only: bool,
    /// Also send the messages a killed flush left `uncertain`.
    pub retry_uncertain: bool,
    /// Only these messages (the ones `send` just queued).
    pub only: Option<Vec<QueueId>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushSummary {
    pub sent: usize,
    /// Refused for good by the server: removed with a bounce line in the log.
    pub failed: usize,
    /// Kept for later: a temporary failure, the daily limit, a missing profile.
    pub deferred: usize,
    /// Past the give-up age: removed with a bounce line in the log.
    pub gave_up: usize,
    /// Taken by another process at the same time.
    pub busy: usize,
    /// Kept until the user decides (see the module).
    pub uncertain: usize,
    /// What could not be read, written or logged, translated.
    pub problems: Vec<String>,
}

struct Taken {
    claim: Claim,
    item: Item,
    amount: u32,
}

fn line_of(meta: &Meta) -> MessageLine {
    MessageLine::of(&meta.sender, &meta.recipients, meta.size as usize)
}

/// Writes lines to the profile's log ([`msglog::record`], as `send` does); a
/// bounce (`force`) is written even under `log.level = off`.
fn log_lines(
    profile: &Profile,
    ref_: &ProfileRef,
    paths: &Paths,
    lines: &[MessageLine],
    transcript: Option<&[Line]>,
    force: bool,
    summary: &mut FlushSummary,
) {
    let written = msglog::record(
        profile,
        ref_.scope,
        paths,
        lines,
        transcript,
        force,
        schedule::now(),
    );
    if let Err(e) = written {
        summary.problems.push(e.localize());
    }
}

/// Sends the queue's messages. Errors of single messages are in the summary;
/// nothing here stops at the first.
pub async fn flush<T: Transport>(
    paths: &Paths,
    transport: &T,
    options: &FlushOptions,
) -> FlushSummary {
    let mut summary = FlushSummary::default();
    let (found, problems) = spool::scan(paths);
    summary
        .problems
        .extend(problems.iter().map(|p| p.localize()));
    let mut groups: BTreeMap<(&'static str, String), (ProfileRef, Vec<QueueId>)> = BTreeMap::new();
    for (id, meta) in found {
        if let Some(only) = &options.only
            && !only.contains(&id)
        {
            continue;
        }
        let key = (meta.profile.scope.as_str(), meta.profile.name.clone());
        groups
            .entry(key)
            .or_insert_with(|| (meta.profile.clone(), Vec::new()))
            .1
            .push(id);
    }
    let loaded = Store::new(paths.clone()).load_all();
    for (ref_, ids) in groups.into_values() {
        let stored = loaded
            .profiles
            .iter()
            .find(|p| p.scope == ref_.scope && p.profile.name == ref_.name);
        if let Err(e) =
            flush_profile(paths, &ref_, stored, ids, transport, options, &mut summary).await
        {
            summary.problems.push(e.localize());
        }
    }
    summary
}

#[allow(clippy::too_many_arguments)]
async fn flush_profile<T: Transport>(
    paths: &Paths,
    ref_: &ProfileRef,
    stored: Option<&StoredProfile>,
    ids: Vec<QueueId>,
    transport: &T,
    options: &FlushOptions,
    summary: &mut FlushSummary,
) -> Result<(), QueueError> {
    let now = schedule::now();
    let give_up = schedule::give_up_secs();
    let fallback = Profile::named(&ref_.name);
    let profile = stored.map_or(&fallback, |s| &s.profile);
    let mut batch: Vec<Taken> = Vec::new();
    let mut bounces = Vec::new();
    for id in ids {
        let Some((mut claim, mut meta)) = Claim::take(paths, &id)? else {
            summary.busy += 1;
            continue;
        };
        if meta.sending_since.take().is_some() {
            // Its sender died mid-send (we hold the lock it held).
            meta.uncertain = true;
            meta.last_error = Some(i18n::tr("queue-uncertain"));
            claim.update(paths, &meta)?;
        }
        if meta.uncertain && !options.retry_uncertain {
            summary.uncertain += 1;
            continue;
        }
        if schedule::given_up(meta.queued_at, now, give_up) {
            let reason = i18n::tr_args(
                "queue-gave-up",
                &[
                    ("days", (give_up / 86_400).to_string()),
                    (
                        "reason",
                        meta.last_error.clone().unwrap_or_else(|| "-".to_owned()),
                    ),
                ],
            );
            let line = line_of(&meta).failed(None, reason, "BOUNCED".to_owned());
            bounces.push(line.in_queue(id.as_str()));
            claim.remove(paths)?;
            summary.gave_up += 1;
            continue;
        }
        if options.due_only && meta.next_attempt > now {
            continue;
        }
        let refusal = match stored {
            None => Some(i18n::tr_args(
                "queue-no-profile",
                &[("name", ref_.name.clone())],
            )),
            Some(s) if !s.profile.enabled => Some(i18n::tr_args(
                "check-profile-disabled",
                &[("name", ref_.name.clone())],
            )),
            Some(_) => None,
        };
        if let Some(reason) = refusal {
            meta.attempts += 1;
            meta.next_attempt = schedule::next_attempt(now, meta.attempts);
            meta.last_error = Some(reason);
            claim.update(paths, &meta)?;
            summary.deferred += 1;
            continue;
        }
        let amount = limits::amount(profile.limits.count, meta.recipients.len());
        let message = claim.message(paths)?;
        batch.push(Taken {
            claim,
            item: Item { id, meta, message },
            amount,
        });
    }
    // The daily limit, for the whole batch under one lock.
    let limit = profile.limits.daily;
    let amounts: Vec<u32> = batch.iter().map(|t| t.amount).collect();
    if !batch.is_empty() {
        match limits::reserve_each(paths, ref_.scope, &ref_.name, limit, &amounts) {
            Ok(fits) => {
                let mut kept = Vec::with_capacity(batch.len());
                for (mut taken, fits) in batch.into_iter().zip(fits) {
                    if fits {
                        kept.push(taken);
                        continue;
                    }
                    // Not an attempt: it waits for the next day's allowance.
                    let meta = &mut taken.item.meta;
                    meta.next_attempt = limits::next_day_start(now);
                    meta.last_error = Some(
                        LimitError::Reached {
                            name: ref_.name.clone(),
                            limit,
                        }
                        .localize(),
                    );
                    taken.claim.update(paths, meta)?;
                    summary.deferred += 1;
                }
                batch = kept;
            }
            Err(error) if limit > 0 => {
                summary.problems.push(error.localize());
                for taken in &mut batch {
                    taken.item.meta.last_error = Some(error.localize());
                    taken.claim.update(paths, &taken.item.meta)?;
                    summary.deferred += 1;
                }
                batch.clear();
            }
            // Without a limit nothing is held back: the messages go, uncounted.
            Err(error) => summary.problems.push(error.localize()),
        }
    }
    if !bounces.is_empty() {
        log_lines(profile, ref_, paths, &bounces, None, true, summary);
    }
    let Some(stored) = stored else {
        return Ok(());
    };
    if batch.is_empty() {
        return Ok(());
    }
    // In flight from here (see the module): every marker written, then one
    // sync for all of them before the first byte goes to the server.
    for taken in &mut batch {
        taken.item.meta.sending_since = Some(now);
        taken.item.meta.uncertain = false;
        taken.claim.update_unsynced(paths, &taken.item.meta)?;
    }
    spool::sync_spool(paths)?;
    let items: Vec<Item> = batch.iter().map(|t| t.item.clone()).collect();
    let result = transport.send(paths, stored, &items).await;
    let mut lines = Vec::new();
    let mut bounced = Vec::new();
    for (index, taken) in batch.into_iter().enumerate() {
        let Taken {
            claim,
            item,
            amount,
        } = taken;
        let mut meta = item.meta;
        meta.sending_since = None;
        let outcome = result
            .results
            .get(index)
            .cloned()
            .unwrap_or(ItemResult::Failed {
                temporary: true,
                status: None,
                reason: i18n::tr("queue-no-outcome"),
                exit: Sysexit::Software.name().to_owned(),
            });
        match outcome {
            ItemResult::Sent { reply } => {
                // Gone from the queue as soon as possible after the 250.
                let removed = claim.remove(paths);
                lines.push(line_of(&meta).sent(reply).in_queue(item.id.as_str()));
                summary.sent += 1;
                removed?;
            }
            ItemResult::Failed {
                temporary,
                status,
                reason,
                exit,
            } => {
                if let Err(e) = limits::release_n(paths, ref_.scope, &ref_.name, amount) {
                    summary.problems.push(e.localize());
                }
                let exit = if temporary {
                    "QUEUED".to_owned()
                } else {
                    format!("{exit} BOUNCED")
                };
                let line = line_of(&meta)
                    .failed(status, reason.clone(), exit)
                    .in_queue(item.id.as_str());
                if temporary {
                    meta.attempts += 1;
                    meta.next_attempt = schedule::next_attempt(now, meta.attempts);
                    meta.last_error = Some(reason);
                    claim.update(paths, &meta)?;
                    lines.push(line);
                    summary.deferred += 1;
                } else {
                    bounced.push(line);
                    claim.remove(paths)?;
                    summary.failed += 1;
                }
            }
        }
    }
    log_lines(
        &stored.profile,
        ref_,
        paths,
        &lines,
        Some(&result.transcript),
        false,
        summary,
    );
    if !bounced.is_empty() {
        log_lines(&stored.profile, ref_, paths, &bounced, None, true, summary);
    }
    Ok(())
}
