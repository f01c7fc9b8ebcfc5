//! The round trip's side of the mailbox, on the IMAP check's session
//! (`core::imap::kept`): find the Junk folder, wait for the message (IDLE when
//! offered, else NOOP + UID SEARCH every 2 s), read its header, delete it.

use std::time::{Duration, Instant};

use super::{Options, POLL_EVERY};
use crate::core::check::message::Marks;
use crate::core::check::{self, Detail, Diagnosis, Progress, StepName, StepStatus};
use crate::core::imap::{self, kept::Session};
use crate::core::profile::Profile;

/// The message found in the mailbox.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub folder: String,
    pub spam: bool,
    pub uid: u32,
    pub header: Vec<u8>,
}

pub(super) struct Watch {
    session: Session,
    inbox: String,
    junk: Option<String>,
}

pub(super) async fn open(
    profile: &Profile,
    options: &Options,
    _started: Instant,
) -> Result<Watch, check::Report> {
    let imap_options = imap::Options {
        password: options.imap_password.clone(),
        token: options.imap_token,
        extra_roots: options.extra_roots.clone(),
        progress: options.progress.clone(),
    };
    let mut session = imap::kept::open(profile, imap_options).await?;
    let since = Instant::now();
    let junk = match session.junk_folder().await {
        Ok(junk) => junk,
        Err(diagnosis) => {
            session.record(
                StepName::Folders,
                StepStatus::Failed,
                since,
                Detail::diagnosis(&diagnosis),
            );
            return Err(session.finish(diagnosis).await);
        }
    };
    let detail = match &junk {
        Some(name) => Detail::message("folders", vec![("junk", name.clone())]),
        None => Detail::message("folders_no_junk", Vec::new()),
    };
    session.record(StepName::Folders, StepStatus::Ok, since, detail);
    Ok(Watch {
        session,
        inbox: profile.imap.folder.trim().to_owned(),
        junk,
    })
}

impl Watch {
    /// Looks in the INBOX and Junk until the message is there or `wait` passed.
    pub(super) async fn wait_for(
        &mut self,
        marks: &Marks,
        wait: Duration,
    ) -> Result<Option<Arrival>, Diagnosis> {
        let since = Instant::now();
        let found = self.look(marks, wait).await;
        match &found {
            Ok(Some(arrival)) => {
                let detail = Detail::message(
                    "arrived",
                    vec![
                        ("folder", arrival.folder.clone()),
                        ("uid", arrival.uid.to_string()),
                    ],
                );
                let status = if arrival.spam {
                    StepStatus::Warning
                } else {
                    StepStatus::Ok
                };
                self.session.record(StepName::Wait, status, since, detail);
            }
            Ok(None) => {
                let detail =
                    Detail::message("not_arrived", vec![("seconds", wait.as_secs().to_string())]);
                self.session
                    .record(StepName::Wait, StepStatus::Failed, since, detail);
            }
            Err(diagnosis) => self.session.record(
                StepName::Wait,
                StepStatus::Failed,
                since,
                Detail::diagnosis(diagnosis),
            ),
        }
        found
    }

    async fn look(&mut self, marks: &Marks, wait: Duration) -> Result<Option<Arrival>, Diagnosis> {
        let deadline = Instant::now() + wait;
        loop {
            let inbox = self.inbox.clone();
            if let Some(uid) = self.session.search(&inbox, &marks.message_id).await? {
                return self.fetch(inbox, uid, false).await.map(Some);
            }
            if let Some(junk) = self.junk.clone() {
                let counted = self.session.exists();
                if let Some(uid) = self.session.search(&junk, &marks.message_id).await? {
                    return self.fetch(junk, uid, true).await.map(Some);
                }
                // Back to the INBOX, which IDLE watches. A message stored
                // while Junk was searched is in this SELECT's count, and IDLE
                // would not announce it: search again at once.
                self.session.select(&inbox).await?;
                if self.session.exists() != counted {
                    continue;
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            self.session.wait_for_news(left.min(POLL_EVERY)).await?;
        }
    }

    async fn fetch(&mut self, folder: String, uid: u32, spam: bool) -> Result<Arrival, Diagnosis> {
        let since = Instant::now();
        let header = self.session.header(uid).await;
        let header = match header {
            Ok(header) => header,
            Err(diagnosis) => {
                self.session.record(
                    StepName::Fetch,
                    StepStatus::Failed,
                    since,
                    Detail::diagnosis(&diagnosis),
                );
                return Err(diagnosis);
            }
        };
        let fields = super::headers::fields(&header);
        let hops = fields
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("Received"))
            .count();
        let verdicts = super::headers::verdicts(&fields).len();
        self.session.record(
            StepName::Fetch,
            StepStatus::Ok,
            since,
            Detail::message(
                "fetched",
                vec![
                    ("hops", hops.to_string()),
                    ("verdicts", verdicts.to_string()),
                ],
            ),
        );
        Ok(Arrival {
            folder,
            spam,
            uid,
            header,
        })
    }

    /// Deletes the arrived message; whether it is gone.
    pub(super) async fn delete(&mut self, arrival: &Arrival) -> bool {
        let since = Instant::now();
        match self.session.delete(&arrival.folder, arrival.uid).await {
            Ok(true) => {
                self.session.record(
                    StepName::Delete,
                    StepStatus::Ok,
                    since,
                    Detail::message("deleted", Vec::new()),
                );
                true
            }
            Ok(false) => {
                self.session.record(
                    StepName::Delete,
                    StepStatus::Warning,
                    since,
                    Detail::message("marked_deleted", Vec::new()),
                );
                false
            }
            Err(diagnosis) => {
                self.session.record(
                    StepName::Delete,
                    StepStatus::Failed,
                    since,
                    Detail::diagnosis(&diagnosis),
                );
                false
            }
        }
    }

    /// LOGOUT and the receiving side's report.
    pub(super) async fn finish(self) -> check::Report {
        self.session.finish(Diagnosis::new(check::Code::Ok)).await
    }
}

/// The IMAP check of the Incoming tab.
pub async fn check_incoming(
    profile: &Profile,
    options: Options,
    progress: Progress,
) -> check::Report {
    imap::check(
        profile,
        imap::Options {
            password: options.imap_password,
            token: options.imap_token,
            extra_roots: options.extra_roots,
            progress,
        },
    )
    .await
}
