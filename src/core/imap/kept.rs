//! A signed-in IMAP session kept open for the round trip, on the check's own
//! layer (the same steps, transcript and redaction up to `login`): SELECT,
//! LIST with SPECIAL-USE, UID SEARCH HEADER, IDLE (or NOOP), UID FETCH of the
//! header, UID STORE \Deleted + UID EXPUNGE, LOGOUT.

use std::time::{Duration, Instant};

use tokio::time::timeout;

use super::session::{Exchange, timed_out};
use super::wire::{Response, Status, Wire, mailbox_utf7, quoted};
use super::{Options, Run};
use crate::core::check::{Code, Detail, Diagnosis, Report, StepName, StepStatus};
use crate::core::profile::Profile;

pub struct Session {
    run: Run,
    wire: Wire,
    /// The folder selected now.
    selected: String,
    /// Its message count as its SELECT gave it.
    exists: Option<u32>,
}

/// Signs in and selects the profile's folder; the report of the failed step
/// otherwise.
pub async fn open(profile: &Profile, options: Options) -> Result<Session, Report> {
    let mut run = Run::new(profile, options).map_err(|d| Report::not_started(d, None))?;
    let wire = match run.open().await {
        Ok(wire) => wire,
        Err(diagnosis) => return Err(run.report(diagnosis)),
    };
    let mut session = Session {
        run,
        wire,
        selected: String::new(),
        exists: None,
    };
    let since = Instant::now();
    let folder = session.run.folder.clone();
    match session.select(&folder).await {
        Ok(()) => {
            session.record(
                StepName::Select,
                StepStatus::Ok,
                since,
                Detail::plain("folder", vec![("folder", folder.clone())], folder),
            );
            Ok(session)
        }
        Err(diagnosis) => {
            session.record(
                StepName::Select,
                StepStatus::Failed,
                since,
                Detail::diagnosis(&diagnosis),
            );
            Err(session.finish(diagnosis).await)
        }
    }
}

impl Session {
    pub fn has(&self, capability: &str) -> bool {
        self.run.imap_ref().has(capability)
    }

    pub fn record(&mut self, step: StepName, status: StepStatus, since: Instant, detail: Detail) {
        self.run.steps.record(step, status, since, detail);
    }

    pub fn info(&mut self, text: String) {
        self.run.transcript.info(text);
    }

    /// One command within the step timeout; a `NO`/`BAD` is an error too.
    pub(crate) async fn command(&mut self, text: &str) -> Result<Exchange, Diagnosis> {
        self.wire.take_literals();
        let exchange = self.run.command(&mut self.wire, text).await?;
        if exchange.done.status == Status::Ok {
            Ok(exchange)
        } else {
            Err(Diagnosis::new(Code::ProtocolError).arg("reply", exchange.done.summary()))
        }
    }

    /// SELECT `folder` unless it is selected already.
    pub async fn select(&mut self, folder: &str) -> Result<(), Diagnosis> {
        if self.selected == folder {
            return Ok(());
        }
        let command = format!("SELECT {}", quoted(&mailbox_utf7(folder)));
        match self.run.command(&mut self.wire, &command).await {
            Ok(exchange) if exchange.done.status == Status::Ok => {
                self.selected = folder.to_owned();
                self.exists = exchange.untagged.iter().find_map(exists_count);
                Ok(())
            }
            Ok(exchange) => Err(super::diagnose::select_refused(&exchange.done, folder)),
            Err(diagnosis) => Err(diagnosis),
        }
    }

    /// The selected folder's message count when it was selected.
    pub fn exists(&self) -> Option<u32> {
        self.exists
    }

    /// The folder marked `\Junk` (RFC 6154), else one named like a spam folder.
    pub async fn junk_folder(&mut self) -> Result<Option<String>, Diagnosis> {
        let special = self.has("SPECIAL-USE");
        let command = if special {
            "LIST (SPECIAL-USE) \"\" \"*\""
        } else {
            "LIST \"\" \"*\""
        };
        let exchange = self.command(command).await?;
        let folders: Vec<(String, String)> = exchange
            .untagged
            .iter()
            .filter_map(|r| match r {
                Response::Data(text) => list_entry(text),
                _ => None,
            })
            .collect();
        let marked = folders
            .iter()
            .find(|(flags, _)| flags.to_ascii_lowercase().contains("\\junk"));
        let named = || {
            folders.iter().find(|(_, name)| {
                let last = name.rsplit(['/', '.']).next().unwrap_or(name);
                ["junk", "spam", "junk e-mail", "bulk mail"]
                    .iter()
                    .any(|n| last.eq_ignore_ascii_case(n))
            })
        };
        Ok(marked.or_else(named).map(|(_, name)| name.clone()))
    }

    /// The UID of the message in `folder` whose Message-ID is `message_id`.
    pub async fn search(
        &mut self,
        folder: &str,
        message_id: &str,
    ) -> Result<Option<u32>, Diagnosis> {
        self.select(folder).await?;
        let exchange = self
            .command(&format!(
                "UID SEARCH HEADER Message-ID {}",
                quoted(message_id)
            ))
            .await?;
        Ok(exchange.untagged.iter().find_map(|r| match r {
            Response::Data(text) => {
                let rest = text.strip_prefix("SEARCH")?;
                rest.split_whitespace().find_map(|n| n.parse().ok())
            }
            _ => None,
        }))
    }

    /// Waits up to `limit` for news on the selected folder: IDLE until an
    /// EXISTS (true) or the limit, else a NOOP after the limit.
    pub async fn wait_for_news(&mut self, limit: Duration) -> Result<bool, Diagnosis> {
        if !self.has("IDLE") {
            tokio::time::sleep(limit).await;
            let exchange = self.command("NOOP").await?;
            return Ok(exchange.untagged.iter().any(is_exists));
        }
        let tag = self.run.tag();
        self.run.transcript.client(format!("{tag} IDLE"));
        let step = self.run.step_timeout;
        let wire = &mut self.wire;
        match timeout(
            step,
            self.run.write(wire, format!("{tag} IDLE\r\n").as_bytes()),
        )
        .await
        {
            Ok(result) => result?,
            Err(_) => return Err(timed_out(step)),
        }
        // The continuation first, then untagged news until the limit.
        match timeout(step, self.run.read(&mut self.wire)).await {
            Ok(Ok(Response::Continue(_))) => {}
            Ok(Ok(other)) => {
                return Err(
                    Diagnosis::new(Code::ProtocolError).arg("reply", super::session::shown(&other))
                );
            }
            Ok(Err(diagnosis)) => return Err(diagnosis),
            Err(_) => return Err(timed_out(step)),
        }
        let deadline = tokio::time::Instant::now() + limit;
        let mut news = false;
        while !news {
            match tokio::time::timeout_at(deadline, self.run.read(&mut self.wire)).await {
                Ok(Ok(response)) => news = is_exists(&response),
                Ok(Err(diagnosis)) => return Err(diagnosis),
                Err(_) => break,
            }
        }
        self.run.transcript.client("DONE".to_owned());
        let wire = &mut self.wire;
        match timeout(step, async {
            self.run.write(wire, b"DONE\r\n").await?;
            self.run.until_tagged(wire, &tag).await
        })
        .await
        {
            Ok(Ok(exchange)) => Ok(news || exchange.untagged.iter().any(is_exists)),
            Ok(Err(diagnosis)) => Err(diagnosis),
            Err(_) => Err(timed_out(step)),
        }
    }

    /// The header of message `uid` in the selected folder.
    pub async fn header(&mut self, uid: u32) -> Result<Vec<u8>, Diagnosis> {
        self.command(&format!("UID FETCH {uid} (BODY.PEEK[HEADER])"))
            .await?;
        // The header is the FETCH response's literal.
        Ok(self
            .wire
            .take_literals()
            .into_iter()
            .max_by_key(Vec::len)
            .unwrap_or_default())
    }

    /// Marks `uid` deleted and expunges it (UID EXPUNGE with UIDPLUS; without
    /// it the message stays marked, as EXPUNGE would remove others' too).
    pub async fn delete(&mut self, folder: &str, uid: u32) -> Result<bool, Diagnosis> {
        self.select(folder).await?;
        self.command(&format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"))
            .await?;
        if self.has("UIDPLUS") {
            self.command(&format!("UID EXPUNGE {uid}")).await?;
            return Ok(true);
        }
        Ok(false)
    }

    /// LOGOUT and the report, ending with `diagnosis`.
    pub async fn finish(mut self, diagnosis: Diagnosis) -> Report {
        self.run.logout(&mut self.wire).await;
        self.run.report(diagnosis)
    }
}

fn is_exists(response: &Response) -> bool {
    exists_count(response).is_some()
}

/// `* 3 EXISTS` → 3.
fn exists_count(response: &Response) -> Option<u32> {
    match response {
        Response::Data(text) if text.to_ascii_uppercase().ends_with(" EXISTS") => {
            text.split_whitespace().next()?.parse().ok()
        }
        _ => None,
    }
}

/// A LIST answer: `LIST (\HasNoChildren \Junk) "." Junk` → (flags, name).
fn list_entry(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("LIST ")?;
    let rest = rest.strip_prefix('(')?;
    let (flags, rest) = rest.split_once(')')?;
    let rest = rest.trim_start();
    // The delimiter: a quoted character or NIL.
    let rest = if let Some(after) = rest.strip_prefix('"') {
        let end = after.find('"')?;
        &after[end + 1..]
    } else {
        rest.strip_prefix("NIL")?
    };
    let name = rest.trim();
    let name = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .map_or_else(
            || name.to_owned(),
            |n| n.replace("\\\"", "\"").replace("\\\\", "\\"),
        );
    Some((flags.to_owned(), name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries() {
        assert_eq!(
            list_entry("LIST (\\HasNoChildren \\Junk) \".\" Junk"),
            Some(("\\HasNoChildren \\Junk".into(), "Junk".into()))
        );
        assert_eq!(
            list_entry("LIST (\\Junk \\HasNoChildren) \"/\" \"[Gmail]/Spam\""),
            Some(("\\Junk \\HasNoChildren".into(), "[Gmail]/Spam".into()))
        );
        assert_eq!(
            list_entry("LIST () NIL INBOX").map(|e| e.1),
            Some("INBOX".into())
        );
        assert_eq!(list_entry("LSUB x"), None);
    }

    #[test]
    fn exists_counts() {
        assert_eq!(exists_count(&Response::Data("23 EXISTS".into())), Some(23));
        assert_eq!(exists_count(&Response::Data("0 exists".into())), Some(0));
        assert_eq!(exists_count(&Response::Data("2 RECENT".into())), None);
        assert_eq!(exists_count(&Response::Data("FLAGS (\\Seen)".into())), None);
    }
}
