//! The round trip's side of the mailbox: IMAP sessions on the IMAP check's
//! connection layer (`core::imap`), kept open after SELECT to find the Junk
//! folder, wait for the message, read its header and delete it.
// PLACEHOLDER until wt-imap's engine is merged.

use std::time::{Duration, Instant};

use super::Options;
use crate::core::check::message::Marks;
use crate::core::check::{self, Code, Diagnosis, Progress};
use crate::core::profile::Profile;

/// The message found in the mailbox.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub folder: String,
    pub spam: bool,
    pub uid: u32,
    pub header: Vec<u8>,
}

pub(super) struct Watch {}

pub(super) async fn open(
    _profile: &Profile,
    _options: &Options,
    _started: Instant,
) -> Result<Watch, check::Report> {
    Err(check::Report::not_started(
        Diagnosis::new(Code::CannotStart),
        None,
    ))
}

impl Watch {
    pub(super) async fn wait_for(
        &mut self,
        _marks: &Marks,
        _wait: Duration,
    ) -> Result<Option<Arrival>, Diagnosis> {
        Ok(None)
    }

    pub(super) async fn delete(&mut self, _arrival: &Arrival) -> bool {
        false
    }

    pub(super) async fn finish(self) -> check::Report {
        check::Report::not_started(Diagnosis::new(Code::Ok), None)
    }
}

/// The IMAP check of the Incoming tab.
pub async fn check_incoming(
    _profile: &Profile,
    _options: Options,
    _progress: Progress,
) -> check::Report {
    check::Report::not_started(Diagnosis::new(Code::CannotStart), None)
}

/// The separate IMAP password's keyring entry.
pub(super) async fn separate_password(
    _account: &crate::core::check::saved::Account,
) -> Result<Option<crate::core::secret::Secret>, check::Report> {
    Ok(None)
}
