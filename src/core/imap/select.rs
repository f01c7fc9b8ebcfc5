//! `select` and `logout`: after login one write carries `ID` (when offered),
//! `SELECT`, `GETQUOTAROOT` (when the server has QUOTA) and `LOGOUT`, so the
//! rest of the check costs one round trip; the answers are read in order.

use std::time::Instant;

use tokio::time::timeout;

use super::diagnose;
use super::session::{Exchange, timed_out};
use super::wire::{Response, Status, Wire, items, mailbox_utf7, quoted};
use super::{Failure, Run};
use crate::core::check::Detail;
use crate::core::check::diagnosis::Diagnosis;
use crate::core::check::imap_facts::MailboxFacts;
use crate::core::check::{StepName, StepStatus};

/// What the client says about itself in `ID` (RFC 2971).
fn id_command() -> String {
    format!(
        "ID (\"name\" \"Outbound\" \"version\" {})",
        quoted(env!("CARGO_PKG_VERSION"))
    )
}

impl Run {
    pub(super) async fn select_and_logout(&mut self, wire: &mut Wire) -> Result<(), Failure> {
        let since = Instant::now();
        let facts = self.imap_ref();
        let folder = self.folder.clone();
        let mailbox = quoted(&mailbox_utf7(&folder));
        let mut commands: Vec<(Option<&str>, String)> = Vec::new();
        if facts.has("ID") {
            commands.push((Some("id"), id_command()));
        }
        commands.push((Some("select"), format!("SELECT {mailbox}")));
        if facts.has("QUOTA") {
            commands.push((Some("quota"), format!("GETQUOTAROOT {mailbox}")));
        }
        commands.push((None, "LOGOUT".to_owned()));
        let mut batch = String::new();
        let mut tags = Vec::new();
        for (kind, text) in &commands {
            let tag = self.tag();
            self.transcript.client(format!("{tag} {text}"));
            batch.push_str(&format!("{tag} {text}\r\n"));
            tags.push((*kind, tag));
        }
        let limit = self.step_timeout;
        let mut selected: Option<Result<MailboxFacts, Failure>> = None;
        let mut mailbox_facts = MailboxFacts {
            name: folder.clone(),
            ..MailboxFacts::default()
        };
        let sent = match timeout(limit, self.write(wire, batch.as_bytes())).await {
            Ok(result) => result,
            Err(_) => Err(timed_out(limit)),
        };
        if let Err(diagnosis) = sent {
            return Err(self.fail(StepName::Select, since, Failure::broken(diagnosis)));
        }
        for (kind, tag) in tags {
            let exchange = match timeout(limit, self.until_tagged(wire, &tag)).await {
                Ok(result) => result,
                Err(_) => Err(timed_out(limit)),
            };
            match kind {
                Some("id") => match exchange {
                    Ok(exchange) => self.take_id(&exchange),
                    Err(diagnosis) => {
                        return Err(self.fail(StepName::Select, since, Failure::broken(diagnosis)));
                    }
                },
                Some("select") => match exchange {
                    Ok(exchange) if exchange.done.status == Status::Ok => {
                        take_select(&exchange, &mut mailbox_facts);
                        selected = Some(Ok(mailbox_facts.clone()));
                    }
                    Ok(exchange) => {
                        let diagnosis = diagnose::select_refused(&exchange.done, &folder);
                        selected = Some(Err(Failure::refused(diagnosis, &exchange.done)));
                    }
                    Err(diagnosis) => {
                        return Err(self.fail(StepName::Select, since, Failure::broken(diagnosis)));
                    }
                },
                Some(_) => match exchange {
                    Ok(exchange) => {
                        if let Some(Ok(found)) = &mut selected {
                            take_quota(&exchange, found);
                        }
                    }
                    Err(diagnosis) => {
                        return Err(self.fail(StepName::Select, since, Failure::broken(diagnosis)));
                    }
                },
                None => {
                    let logout_since = Instant::now();
                    let outcome = self.finish_select(&mut selected, since);
                    match exchange {
                        Ok(exchange) => self.record_logout(logout_since, &exchange),
                        Err(diagnosis) => {
                            // The folder was read; a server that drops the line at
                            // LOGOUT instead of answering costs only a warning.
                            let found = Detail::diagnosis(&diagnosis);
                            self.steps.record(
                                StepName::Logout,
                                StepStatus::Warning,
                                logout_since,
                                found,
                            );
                        }
                    }
                    outcome?;
                }
            }
        }
        Ok(())
    }

    /// Records the `select` step once its answers (and the quota's) are in.
    fn finish_select(
        &mut self,
        selected: &mut Option<Result<MailboxFacts, Failure>>,
        since: Instant,
    ) -> Result<(), Failure> {
        match selected.take() {
            Some(Ok(found)) => {
                let mut args = vec![
                    ("name", found.name.clone()),
                    ("exists", opt(found.exists)),
                    ("uidvalidity", opt(found.uidvalidity)),
                ];
                let code = match (found.quota_used_kib, found.quota_limit_kib) {
                    (Some(used), Some(limit)) => {
                        args.push(("used", used.to_string()));
                        args.push(("limit", limit.to_string()));
                        "imap_selected_quota"
                    }
                    _ => "imap_selected",
                };
                self.imap().mailbox = Some(found);
                self.steps.record(
                    StepName::Select,
                    StepStatus::Ok,
                    since,
                    Detail::message(code, args),
                );
                Ok(())
            }
            Some(Err(failure)) => {
                // LOGOUT went with SELECT; the session ends without another one.
                let mut failure = self.fail(StepName::Select, since, failure);
                failure.alive = false;
                Err(failure)
            }
            None => Err(self.fail(
                StepName::Select,
                since,
                Failure::broken(Diagnosis::new(
                    crate::core::check::diagnosis::Code::ProtocolError,
                )),
            )),
        }
    }

    fn take_id(&mut self, exchange: &Exchange) {
        for response in &exchange.untagged {
            if let Response::Data(text) = response
                && let Some(rest) = strip_word(text, "ID")
            {
                let list = items(rest);
                let pairs: Vec<(String, String)> = list
                    .chunks(2)
                    .filter(|pair| pair.len() == 2)
                    .take(30)
                    .map(|pair| (pair[0].clone(), pair[1].clone()))
                    .collect();
                if let Some(name) = pairs
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("name"))
                    .map(|(_, v)| v.to_ascii_lowercase())
                    && self.facts.mta.is_none()
                {
                    self.facts.mta = Some(name);
                }
                self.imap().id = pairs;
            }
        }
    }

    fn record_logout(&mut self, since: Instant, exchange: &Exchange) {
        let summary = exchange.done.summary();
        let status = if exchange.done.status == Status::Ok {
            StepStatus::Ok
        } else {
            StepStatus::Warning
        };
        let found = Detail::plain("reply", vec![("reply", summary.clone())], summary);
        self.steps.record(StepName::Logout, status, since, found);
    }

    /// LOGOUT after a failed step (the connection still answers).
    pub(super) async fn logout(&mut self, wire: &mut Wire) {
        let since = Instant::now();
        match self.command(wire, "LOGOUT").await {
            Ok(exchange) => self.record_logout(since, &exchange),
            Err(diagnosis) => {
                let found = Detail::diagnosis(&diagnosis);
                self.steps
                    .record(StepName::Logout, StepStatus::Warning, since, found);
            }
        }
    }
}

fn opt(value: Option<u64>) -> String {
    value.map_or_else(|| "?".to_owned(), |v| v.to_string())
}

/// `text` without its first word when that is `word` (case-insensitive).
fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let (first, rest) = text.split_once(' ').unwrap_or((text, ""));
    first.eq_ignore_ascii_case(word).then_some(rest)
}

/// EXISTS, RECENT, UIDVALIDITY, UIDNEXT and the access of a SELECT's answer.
fn take_select(exchange: &Exchange, found: &mut MailboxFacts) {
    for response in &exchange.untagged {
        match response {
            Response::Data(text) => {
                let mut words = text.split(' ');
                let (Some(number), Some(what)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(number) = number.parse::<u64>() else {
                    continue;
                };
                match what.to_ascii_uppercase().as_str() {
                    "EXISTS" => found.exists = Some(number),
                    "RECENT" => found.recent = Some(number),
                    _ => {}
                }
            }
            Response::Status(status) => {
                let value = status.code_value().split(' ').next().unwrap_or("");
                match status.code_name().as_deref() {
                    Some("UIDVALIDITY") => found.uidvalidity = value.parse().ok(),
                    Some("UIDNEXT") => found.uidnext = value.parse().ok(),
                    _ => {}
                }
            }
            Response::Continue(_) => {}
        }
    }
    found.access = match exchange.done.code_name().as_deref() {
        Some("READ-WRITE") => Some("read-write".to_owned()),
        Some("READ-ONLY") => Some("read-only".to_owned()),
        _ => None,
    };
}

/// The STORAGE resource of the `* QUOTA root (STORAGE used limit)` answer.
fn take_quota(exchange: &Exchange, found: &mut MailboxFacts) {
    for response in &exchange.untagged {
        let Response::Data(text) = response else {
            continue;
        };
        let Some(rest) = strip_word(text, "QUOTA") else {
            continue;
        };
        let list = items(rest);
        if let Some(at) = list.iter().position(|w| w.eq_ignore_ascii_case("STORAGE")) {
            found.quota_used_kib = list.get(at + 1).and_then(|v| v.parse().ok());
            found.quota_limit_kib = list.get(at + 2).and_then(|v| v.parse().ok());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::wire::parse;
    use super::*;

    fn exchange(lines: &[&str], done: &str) -> Exchange {
        let untagged = lines.iter().map(|l| parse(l).unwrap()).collect();
        let Response::Status(done) = parse(done).unwrap() else {
            panic!("{done}")
        };
        Exchange { untagged, done }
    }

    #[test]
    fn select_and_quota_answers_are_read() {
        let select = exchange(
            &[
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
                "* 3 EXISTS",
                "* 0 RECENT",
                "* OK [UIDVALIDITY 1764680000] UIDs valid",
                "* OK [UIDNEXT 4] Predicted next UID",
            ],
            "a5 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).",
        );
        let mut found = MailboxFacts::default();
        take_select(&select, &mut found);
        assert_eq!(found.exists, Some(3));
        assert_eq!(found.recent, Some(0));
        assert_eq!(found.uidvalidity, Some(1_764_680_000));
        assert_eq!(found.uidnext, Some(4));
        assert_eq!(found.access.as_deref(), Some("read-write"));
        let quota = exchange(
            &["* QUOTAROOT INBOX User", "* QUOTA User (STORAGE 12 1024)"],
            "a6 OK Getquotaroot completed.",
        );
        take_quota(&quota, &mut found);
        assert_eq!(
            (found.quota_used_kib, found.quota_limit_kib),
            (Some(12), Some(1024))
        );
        // Garbage in the data is skipped.
        let odd = exchange(&["* x EXISTS", "* QUOTA (STORAGE"], "a7 OK");
        let mut none = MailboxFacts::default();
        take_select(&odd, &mut none);
        take_quota(&odd, &mut none);
        assert_eq!(none, MailboxFacts::default());
    }
}
