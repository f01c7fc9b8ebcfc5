//! The queue of `outbound send`: messages kept in a spool until they can be
//! delivered (a temporary failure, `--queue`, the daily limit), then sent by a
//! flush that keeps one connection per profile for all its messages.
//!
//! The spool is `Paths.data/queue` (`$XDG_DATA_HOME/outbound/queue`): for each
//! message `ID.eml` (the prepared bytes) and `ID.json` (its envelope and state,
//! [`Meta`]), each written atomically, the `.json` last: it is the commit
//! point, a message without it is not queued (see [`spool`]). No secret is
//! ever written there: the password stays in the keyring and is asked for when
//! the message is sent. Each message has a lock ([`spool::Claim`]), so two
//! `send` or `flush` processes never send one message twice.
//!
//! For tests and for machines whose clock is set by hand, two variables:
//! `OUTBOUND_QUEUE_NOW` (unix seconds) replaces the clock the queue reads, and
//! `OUTBOUND_QUEUE_GIVE_UP` (seconds) replaces the give-up age of 5 days
//! ([`schedule`]).

pub mod flush;
pub mod schedule;
pub mod spool;
pub mod transport;

use std::io;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::store::Scope;
use crate::i18n::{self, Localize};

pub use flush::{FlushOptions, FlushSummary, ItemResult, Transport, flush};
pub use spool::{Claim, delete, enqueue_parts, list, purge, scan};

/// The profile a queued message goes through: its scope and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRef {
    pub scope: Scope,
    pub name: String,
}

/// A message's id in the queue: letters, digits and `-`, safe as a file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QueueId(String);

impl QueueId {
    /// An id as a user typed it; `None` unless it could be one of ours.
    pub fn parse(text: &str) -> Option<QueueId> {
        let ok = !text.is_empty()
            && text.len() <= 64
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        ok.then(|| QueueId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for QueueId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The DSN asked for with `-N` and `-R`, kept for the later delivery: the
/// envelope's own (missing fields read as none, as before).
pub use crate::core::send::Dsn as QueuedDsn;

/// What `ID.json` holds: the envelope and the state of one message. Times are
/// unix seconds (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub version: u32,
    pub profile: ProfileRef,
    /// The envelope sender; "" is the null sender.
    pub sender: String,
    pub recipients: Vec<String>,
    #[serde(default)]
    pub dsn: QueuedDsn,
    /// Bytes of `ID.eml`.
    pub size: u64,
    pub queued_at: i64,
    pub attempts: u32,
    pub next_attempt: i64,
    /// Why the last attempt did not deliver it (a server's reply, a timeout):
    /// never a secret, the transcript is redacted and not kept here.
    #[serde(default)]
    pub last_error: Option<String>,
    /// Set while a flush has handed the message to the server and not yet
    /// heard back; found set by a later flush (the sender died), the message
    /// may or may not have been delivered: see [`Meta::uncertain`].
    #[serde(default)]
    pub sending_since: Option<i64>,
    /// A flush found it interrupted mid-send: it is kept, not sent again by
    /// itself (that could deliver it twice), until `outbound queue flush
    /// --retry-uncertain` or a delete.
    #[serde(default)]
    pub uncertain: bool,
}

pub const META_VERSION: u32 = 1;

/// One message of `outbound queue list` and the window's queue view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Queued {
    pub id: QueueId,
    pub profile: String,
    pub scope: Scope,
    pub sender: String,
    pub recipients: Vec<String>,
    pub size: u64,
    pub queued_at: i64,
    pub attempts: u32,
    pub next_attempt: i64,
    pub last_error: Option<String>,
    pub uncertain: bool,
}

impl Queued {
    pub fn new(id: QueueId, meta: &Meta) -> Queued {
        Queued {
            id,
            profile: meta.profile.name.clone(),
            scope: meta.profile.scope,
            sender: meta.sender.clone(),
            recipients: meta.recipients.clone(),
            size: meta.size,
            queued_at: meta.queued_at,
            attempts: meta.attempts,
            next_attempt: meta.next_attempt,
            last_error: meta.last_error.clone(),
            // Marked, or found half-sent by a process that is gone.
            uncertain: meta.uncertain || meta.sending_since.is_some(),
        }
    }
}

#[derive(Debug, Error)]
pub enum QueueError {
    #[error("the queue in {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("the queued message {path} is damaged: {reason}")]
    Damaged { path: PathBuf, reason: String },
    #[error("no queued message {id}")]
    NotFound { id: String },
    #[error("the queued message {id} is being sent right now")]
    Busy { id: String },
    #[error("{id} is not a queue id")]
    BadId { id: String },
}

impl QueueError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> QueueError {
        QueueError::Io {
            path: path.into(),
            source,
        }
    }
}

impl Localize for QueueError {
    fn localize(&self) -> String {
        match self {
            QueueError::Io { path, source } => i18n::tr_args(
                "queue-error-io",
                &[
                    ("path", path.display().to_string()),
                    ("reason", source.to_string()),
                ],
            ),
            QueueError::Damaged { path, reason } => i18n::tr_args(
                "queue-error-damaged",
                &[
                    ("path", path.display().to_string()),
                    ("reason", reason.clone()),
                ],
            ),
            QueueError::NotFound { id } => {
                i18n::tr_args("queue-error-not-found", &[("id", id.clone())])
            }
            QueueError::Busy { id } => i18n::tr_args("queue-error-busy", &[("id", id.clone())]),
            QueueError::BadId { id } => i18n::tr_args("queue-error-bad-id", &[("id", id.clone())]),
        }
    }
}
