//! The daily limit: how many messages Outbound sent through each profile today
//! (UTC), kept in `<data>/sent-today.json` under `SCOPE:NAME` (a user profile
//! and a system profile of the same name count apart). Over `limits.daily`,
//! sending is refused.
//!
//! Every change is made under an exclusive lock of `<data>/sent-today.lock`
//! (released when the file closes, also when the process dies), so two checks
//! at once neither lose a count nor both pass the limit: a message is counted
//! ([`reserve_n`]) before it is sent, and given back ([`release_n`]) when it was not.
//! Every path that sends counts here: a check's test message, `outbound send`
//! and the queue's flush; `limits.count` says whether a message counts 1 or
//! its number of recipients ([`amount`]).
//! A count file that cannot be read is an error naming it, never a count of 0.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::profile::LimitCount;
use crate::core::store::{Paths, Scope, atomic_write};
use crate::i18n::{self, Localize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Count {
    day: String,
    sent: u32,
}

#[derive(Debug, Error)]
pub enum LimitError {
    #[error("profile {name} has sent its {limit} messages for today")]
    Reached { name: String, limit: u32 },
    #[error("cannot keep the sent-message count in {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("the sent-message count in {path} is damaged: {reason}")]
    Damaged { path: PathBuf, reason: String },
}

impl Localize for LimitError {
    fn localize(&self) -> String {
        match self {
            LimitError::Reached { name, limit } => i18n::tr_args(
                "check-limit-reached",
                &[("name", name.clone()), ("limit", limit.to_string())],
            ),
            LimitError::Io { path, source } => i18n::tr_args(
                "check-limit-io",
                &[
                    ("path", path.display().to_string()),
                    ("reason", source.to_string()),
                ],
            ),
            LimitError::Damaged { path, reason } => i18n::tr_args(
                "check-limit-damaged",
                &[
                    ("path", path.display().to_string()),
                    ("reason", reason.clone()),
                ],
            ),
        }
    }
}

fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The file of the counts.
pub fn counts_file(paths: &Paths) -> PathBuf {
    paths.data.join("sent-today.json")
}

fn lock_file(paths: &Paths) -> PathBuf {
    paths.data.join("sent-today.lock")
}

/// The key of a profile's count: `user:NAME` or `system:NAME`.
fn key(scope: Scope, name: &str) -> String {
    format!("{}:{name}", scope.as_str())
}

type Counts = BTreeMap<String, Count>;

/// The counts as stored; no file is no count yet.
fn read(paths: &Paths) -> Result<Counts, LimitError> {
    let path = counts_file(paths);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Counts::new()),
        Err(source) => return Err(LimitError::Io { path, source }),
    };
    serde_json::from_slice(&bytes).map_err(|e| LimitError::Damaged {
        path,
        reason: e.to_string(),
    })
}

/// Today's count under `key`. A count of an older version (keyed by the name
/// alone, so of either scope) still holds today for both scopes.
fn count_in(counts: &Counts, scope: Scope, name: &str, day: &str) -> u32 {
    [key(scope, name), name.to_owned()]
        .iter()
        .filter_map(|k| counts.get(k))
        .filter(|c| c.day == day)
        .map(|c| c.sent)
        .max()
        .unwrap_or(0)
}

/// Holds the exclusive lock of the counts while it lives.
struct Locked {
    _file: File,
}

fn lock(paths: &Paths) -> Result<Locked, LimitError> {
    let path = lock_file(paths);
    let io_error = |source| LimitError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(&paths.data).map_err(io_error)?;
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&path).map_err(io_error)?;
    file.lock().map_err(io_error)?;
    Ok(Locked { _file: file })
}

/// Reads the counts, changes them and writes them back, all under the lock.
fn change<T>(
    paths: &Paths,
    edit: impl FnOnce(&mut Counts, &str) -> Result<T, LimitError>,
) -> Result<T, LimitError> {
    let _locked = lock(paths)?;
    let mut counts = read(paths)?;
    let day = today();
    let result = edit(&mut counts, &day)?;
    // Counts of other days no longer hold anything.
    counts.retain(|_, count| count.day == day);
    let path = counts_file(paths);
    let bytes = serde_json::to_vec_pretty(&counts).map_err(|e| LimitError::Io {
        path: path.clone(),
        source: io::Error::other(e),
    })?;
    atomic_write(&path, &bytes).map_err(|source| LimitError::Io { path, source })?;
    Ok(result)
}

/// Messages sent through the profile `name` of `scope` today.
pub fn sent_today(paths: &Paths, scope: Scope, name: &str) -> Result<u32, LimitError> {
    Ok(count_in(&read(paths)?, scope, name, &today()))
}

/// Counts each of `amounts` in order that still fits under `limit` (0: none)
/// into today's count of the profile; which did, and the count after them.
fn take(
    counts: &mut Counts,
    scope: Scope,
    name: &str,
    day: &str,
    limit: u32,
    amounts: &[u32],
) -> (Vec<bool>, u32) {
    let mut sent = count_in(counts, scope, name, day);
    let fits = amounts
        .iter()
        .map(|&amount| {
            let fits = limit == 0 || sent.saturating_add(amount) <= limit;
            if fits {
                sent = sent.saturating_add(amount);
            }
            fits
        })
        .collect();
    counts.insert(
        key(scope, name),
        Count {
            day: day.to_owned(),
            sent,
        },
    );
    (fits, sent)
}

/// Counts `amount` (a message, or its recipients under `limits.count =
/// recipient`: see [`amount`]) about to be sent through the profile, unless
/// that would pass `limit` (0: none); returns today's count with it. A
/// message whose amount alone is over the limit is refused too, never sent
/// half. Give it back with [`release_n`] when the message was not sent.
pub fn reserve_n(
    paths: &Paths,
    scope: Scope,
    name: &str,
    limit: u32,
    amount: u32,
) -> Result<u32, LimitError> {
    change(paths, |counts, day| {
        match take(counts, scope, name, day, limit, &[amount]) {
            (fits, sent) if fits.first() == Some(&true) => Ok(sent),
            // Refused: nothing is written.
            _ => Err(LimitError::Reached {
                name: name.to_owned(),
                limit,
            }),
        }
    })
}

/// [`reserve_n`] for many messages under one lock and one write (a flush's
/// batch): each amount in order is counted if it still fits under `limit`;
/// the answer says which were.
pub fn reserve_each(
    paths: &Paths,
    scope: Scope,
    name: &str,
    limit: u32,
    amounts: &[u32],
) -> Result<Vec<bool>, LimitError> {
    change(paths, |counts, day| {
        Ok(take(counts, scope, name, day, limit, amounts).0)
    })
}

/// Gives back the `amount` [`reserve_n`] counted for a message not sent.
pub fn release_n(paths: &Paths, scope: Scope, name: &str, amount: u32) -> Result<(), LimitError> {
    change(paths, |counts, day| {
        if let Some(count) = counts.get_mut(&key(scope, name))
            && count.day == day
        {
            count.sent = count.sent.saturating_sub(amount);
        }
        Ok(())
    })
}

/// What one message counts against `limits.daily`: 1, or its number of
/// recipients under `limits.count = recipient` (at least 1).
pub fn amount(count: LimitCount, recipients: usize) -> u32 {
    match count {
        LimitCount::Message => 1,
        LimitCount::Recipient => u32::try_from(recipients.max(1)).unwrap_or(u32::MAX),
    }
}

/// The start of the next UTC day (unix seconds): when a message held back by
/// the daily limit may go.
pub fn next_day_start(now_unix: i64) -> i64 {
    (now_unix.div_euclid(86_400) + 1) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_limit_counts_per_scope_profile_and_day() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        assert_eq!(reserve_n(&paths, Scope::User, "p", 2, 1).unwrap(), 1);
        assert_eq!(reserve_n(&paths, Scope::User, "other", 2, 1).unwrap(), 1);
        // The system profile of the same name counts apart.
        assert_eq!(reserve_n(&paths, Scope::System, "p", 2, 1).unwrap(), 1);
        assert_eq!(reserve_n(&paths, Scope::User, "p", 2, 1).unwrap(), 2);
        let refused = reserve_n(&paths, Scope::User, "p", 2, 1).unwrap_err();
        assert!(matches!(refused, LimitError::Reached { limit: 2, .. }));
        assert!(refused.localize().contains('2'), "{}", refused.localize());
        assert_eq!(sent_today(&paths, Scope::User, "p").unwrap(), 2);
        assert_eq!(sent_today(&paths, Scope::System, "p").unwrap(), 1);
        // A message not sent is given back.
        release_n(&paths, Scope::User, "p", 1).unwrap();
        assert_eq!(reserve_n(&paths, Scope::User, "p", 2, 1).unwrap(), 2);
        // No limit.
        assert_eq!(reserve_n(&paths, Scope::User, "p", 0, 1).unwrap(), 3);
        // A count from another day does not hold.
        std::fs::write(
            counts_file(&paths),
            r#"{"user:p": {"day": "2000-01-01", "sent": 99}}"#,
        )
        .unwrap();
        assert_eq!(sent_today(&paths, Scope::User, "p").unwrap(), 0);
        assert_eq!(reserve_n(&paths, Scope::User, "p", 1, 1).unwrap(), 1);
        // A count of today kept by an older version (by name alone) holds.
        let old = format!(r#"{{"q": {{"day": "{}", "sent": 5}}}}"#, today());
        std::fs::write(counts_file(&paths), old).unwrap();
        assert_eq!(sent_today(&paths, Scope::System, "q").unwrap(), 5);
        assert!(reserve_n(&paths, Scope::User, "q", 5, 1).is_err());
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it_not_a_count_of_zero() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        std::fs::create_dir_all(&paths.data).unwrap();
        std::fs::write(counts_file(&paths), "{\"user:p\": {\"day\": \"20").unwrap();
        let error = sent_today(&paths, Scope::User, "p").unwrap_err();
        assert!(matches!(error, LimitError::Damaged { .. }), "{error:?}");
        let error = reserve_n(&paths, Scope::User, "p", 10, 1).unwrap_err();
        assert!(matches!(error, LimitError::Damaged { .. }), "{error:?}");
        let message = error.localize();
        assert!(
            message.contains(&counts_file(&paths).display().to_string()),
            "{message}"
        );
        // Nothing was written over it.
        assert_eq!(
            std::fs::read_to_string(counts_file(&paths)).unwrap(),
            "{\"user:p\": {\"day\": \"20"
        );
    }

    #[test]
    fn a_message_counts_its_recipients_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        assert_eq!(amount(LimitCount::Message, 5), 1);
        assert_eq!(amount(LimitCount::Recipient, 5), 5);
        assert_eq!(amount(LimitCount::Recipient, 0), 1);
        assert_eq!(reserve_n(&paths, Scope::User, "p", 10, 4).unwrap(), 4);
        assert_eq!(reserve_n(&paths, Scope::User, "p", 10, 6).unwrap(), 10);
        // One more recipient passes the limit: refused, nothing counted.
        assert!(reserve_n(&paths, Scope::User, "p", 10, 1).is_err());
        release_n(&paths, Scope::User, "p", 6).unwrap();
        // A message of 7 recipients would pass it: refused whole.
        assert!(reserve_n(&paths, Scope::User, "p", 10, 7).is_err());
        assert_eq!(sent_today(&paths, Scope::User, "p").unwrap(), 4);
        assert_eq!(next_day_start(86_400 * 3 + 5), 86_400 * 4);
        // A batch: what still fits is counted, in order.
        assert_eq!(
            reserve_each(&paths, Scope::User, "p", 10, &[3, 4, 2, 1]).unwrap(),
            [true, false, true, true]
        );
        assert_eq!(sent_today(&paths, Scope::User, "p").unwrap(), 10);
    }

    /// Threads counting at once through their own file handles, as processes
    /// do: with the lock, none of their counts is lost and the limit holds.
    #[test]
    fn counts_made_at_once_are_none_lost() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let paths = paths.clone();
                std::thread::spawn(move || {
                    (0..25)
                        .filter(|_| reserve_n(&paths, Scope::User, "busy", 150, 1).is_ok())
                        .count()
                })
            })
            .collect();
        let passed: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(passed, 150);
        assert_eq!(sent_today(&paths, Scope::User, "busy").unwrap(), 150);
    }
}
