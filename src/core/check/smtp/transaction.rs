//! One mail transaction of the SMTP engine: MAIL FROM (with the parameters
//! the server offers: SMTPUTF8, BODY=8BITMIME, SIZE, DSN's RET), RCPT TO each
//! recipient (NOTIFY), DATA or BDAT, the message; pipelined when offered.

use std::borrow::Cow;
use std::time::Instant;

use super::{Failure, Run, detail};
use crate::core::check::diagnosis::{self, Code, Diagnosis};
use crate::core::check::message::{self, TestMessage};
use crate::core::check::wire::{Reply, Wire};
use crate::core::check::{Detail, ServerFacts, StepName, StepStatus};

impl Run<'_> {
    /// MAIL FROM, RCPT TO for each recipient, DATA (or BDAT) and the message;
    /// pipelined when the server offers PIPELINING. After the `last` message
    /// QUIT follows (in the same write when pipelining). Hands back the
    /// server's reply to the message.
    pub(super) async fn send(
        &mut self,
        wire: &mut Wire,
        ready: Ready<'_>,
        envelope_sent: bool,
        last: bool,
        next: Option<&Ready<'_>>,
    ) -> Result<Reply, Failure> {
        let pipelining = self.facts.pipelining;
        let since = Instant::now();
        if let Some((size, limit)) = ready.over_size(&self.facts) {
            let diagnosis = Diagnosis::new(Code::MessageRejected).reason(
                "too_big",
                &[("size", size.to_string()), ("limit", limit.to_string())],
            );
            return Err(self.not_offered(diagnosis, since));
        }
        let message = ready.message;
        let bdat = uses_bdat(message, &self.facts);
        let lines = envelope_lines(&ready, &self.facts);
        // Invariant: MAIL FROM first; DATA last unless BDAT carries the message.
        let mail = &lines[0];
        let rcpts = if bdat {
            &lines[1..]
        } else {
            &lines[1..lines.len() - 1]
        };
        if pipelining && !envelope_sent {
            let bytes = self.group(&lines);
            if let Err(diagnosis) = self.write(wire, bytes.as_bytes()).await {
                return Err(self.fail(StepName::MailFrom, since, Failure::broken(diagnosis)));
            }
        }
        // MAIL FROM
        let reply = if pipelining {
            self.reply(wire, StepName::MailFrom, since).await?
        } else {
            self.command(wire, StepName::MailFrom, since, mail).await?
        };
        let mut failure = None;
        if reply.is(2) {
            self.steps.record(
                StepName::MailFrom,
                StepStatus::Ok,
                since,
                Detail::reply(&reply),
            );
        } else {
            let diagnosis = diagnosis::sender_refused(&reply, &message.sender);
            let failed = self.fail(
                StepName::MailFrom,
                since,
                Failure::refused(diagnosis, &reply),
            );
            if !pipelining {
                return Err(failed);
            }
            failure = Some(failed);
        }
        // RCPT TO, each recipient
        let since = Instant::now();
        let mut rejected: Vec<(String, Reply)> = Vec::new();
        for (recipient, line) in message.recipients.iter().zip(rcpts) {
            let reply = if pipelining {
                self.reply(wire, StepName::RcptTo, since).await?
            } else {
                self.command(wire, StepName::RcptTo, since, line).await?
            };
            if !reply.is(2) {
                rejected.push((recipient.clone(), reply));
            }
        }
        if failure.is_none() {
            if let Some((recipient, reply)) = rejected.first() {
                let diagnosis = diagnosis::recipient_refused(reply, recipient, &message.sender);
                let text: Vec<String> = rejected
                    .iter()
                    .map(|(r, reply)| format!("{r}: {}", reply.summary()))
                    .collect();
                let text = text.join("; ");
                let failed = Failure {
                    diagnosis,
                    detail: Box::new(Detail::plain(
                        "rejected",
                        vec![("rejected", text.clone())],
                        text,
                    )),
                    alive: reply.code != 421,
                    reply: Some(Box::new(reply.clone())),
                };
                let failed = self.fail(StepName::RcptTo, since, failed);
                if !pipelining {
                    return Err(failed);
                }
                failure = Some(failed);
            } else {
                let list = message.recipients.join(", ");
                self.steps.record(
                    StepName::RcptTo,
                    StepStatus::Ok,
                    since,
                    Detail::plain("recipients", vec![("recipients", list.clone())], list),
                );
            }
        } else {
            self.steps.skip(StepName::RcptTo);
        }
        let since = Instant::now();
        if bdat {
            if let Some(failed) = failure {
                self.steps.skip(StepName::Data);
                return Err(failed);
            }
            return self
                .transmit(wire, ready.body, true, since, last, next)
                .await;
        }
        // DATA
        let reply = if pipelining {
            self.reply(wire, StepName::Data, since).await?
        } else {
            self.command(wire, StepName::Data, since, "DATA").await?
        };
        if let Some(mut failed) = failure {
            if reply.code == 354 {
                // The server waits for the message; leaving without the final dot
                // drops it, so nothing reaches the recipients that were accepted.
                self.transcript.info(detail("check-detail-abandoned", &[]));
                failed.alive = false;
            }
            self.steps.skip(StepName::Data);
            return Err(failed);
        }
        if reply.code != 354 {
            return Err(self.fail(
                StepName::Data,
                since,
                Failure::refused(diagnosis::message_refused(&reply), &reply),
            ));
        }
        self.transmit(wire, ready.body, false, since, last, next)
            .await
    }

    /// The message itself, the final dot (or one `BDAT n LAST` chunk) and, in
    /// the same write when pipelining, QUIT after the last message or the
    /// `next` message's envelope. `body` is taken so that a converted copy is
    /// gone once its wire form is made (one large copy at a time).
    async fn transmit(
        &mut self,
        wire: &mut Wire,
        body: Cow<'_, [u8]>,
        bdat: bool,
        since: Instant,
        last: bool,
        next: Option<&Ready<'_>>,
    ) -> Result<Reply, Failure> {
        self.transcript.info(detail(
            "check-info-message",
            &[("bytes", body.len().to_string())],
        ));
        let mut bytes = if bdat {
            let chunk = crate::core::send::mime::crlf(&body);
            drop(body);
            let command = format!("BDAT {} LAST", chunk.len());
            self.transcript.client(command.clone());
            let mut bytes = format!("{command}\r\n").into_bytes();
            bytes.extend_from_slice(&chunk);
            bytes
        } else {
            self.transcript.client(".");
            message::dot_stuffed(&body)
        };
        let quit_along = self.facts.pipelining && last;
        if quit_along {
            self.transcript.client("QUIT");
            bytes.extend_from_slice(b"QUIT\r\n");
        } else if let Some(next) = next.filter(|_| self.facts.pipelining && !last) {
            let lines = envelope_lines(next, &self.facts);
            bytes.extend_from_slice(self.group(&lines).as_bytes());
            self.next_envelope_sent = true;
        }
        if let Err(diagnosis) = self.write(wire, &bytes).await {
            return Err(self.fail(StepName::Data, since, Failure::broken(diagnosis)));
        }
        let reply = self.reply(wire, StepName::Data, since).await?;
        if !reply.is(2) {
            let failed = self.fail(
                StepName::Data,
                since,
                Failure::refused(diagnosis::message_refused(&reply), &reply),
            );
            // QUIT was sent already when pipelining; its reply is read there.
            if quit_along {
                self.quit_reply(wire, Instant::now()).await;
                return Err(Failure {
                    alive: false,
                    ..failed
                });
            }
            return Err(failed);
        }
        self.sent = true;
        self.steps
            .record(StepName::Data, StepStatus::Ok, since, Detail::reply(&reply));
        if quit_along {
            self.quit_reply(wire, Instant::now()).await;
        } else if last {
            self.quit(wire).await;
        }
        Ok(reply)
    }
}

/// A message and its bytes as this server gets them: an 8-bit body re-encoded
/// quoted-printable when the server does not offer 8BITMIME. Made once per
/// message, so the SIZE checks (before its envelope is pipelined and before it
/// is offered), MAIL's `SIZE=` and DATA all see the same bytes.
pub(super) struct Ready<'m> {
    pub message: &'m TestMessage,
    /// Borrowed unless converted.
    pub body: Cow<'m, [u8]>,
}

impl<'m> Ready<'m> {
    pub(super) fn new(message: &'m TestMessage, facts: &ServerFacts) -> Self {
        let body = if message.eight_bit && !facts.offers("8BITMIME") {
            Cow::Owned(crate::core::send::mime::seven_bit(&message.bytes))
        } else {
            Cow::Borrowed(message.bytes.as_slice())
        };
        Ready { message, body }
    }

    /// The size as sent and the server's SIZE, when it is over that (the
    /// message is then not offered).
    pub(super) fn over_size(&self, facts: &ServerFacts) -> Option<(u64, u64)> {
        let size = self.body.len() as u64;
        let limit = facts.size.filter(|limit| *limit > 0)?;
        (size > limit).then_some((size, limit))
    }
}

/// Whether the message goes with BDAT (RFC 3030): an 8-bit message to a
/// server offering CHUNKING and 8BITMIME (no dot-stuffing, one chunk).
fn uses_bdat(message: &TestMessage, facts: &ServerFacts) -> bool {
    message.eight_bit && facts.offers("CHUNKING") && facts.offers("8BITMIME")
}

/// MAIL FROM, a RCPT TO per recipient, and DATA (not with BDAT): the
/// envelope's pipelined group, with the parameters the server offers.
pub(super) fn envelope_lines(ready: &Ready<'_>, facts: &ServerFacts) -> Vec<String> {
    let message = ready.message;
    let mut mail = format!("MAIL FROM:<{}>", message.sender);
    // RFC 6531 §3.4: a non-ASCII address travels only with the SMTPUTF8 parameter
    // (nothing is sent when the server does not offer it).
    if message.needs_smtputf8.is_some() {
        mail.push_str(" SMTPUTF8");
    }
    if message.eight_bit && facts.offers("8BITMIME") {
        mail.push_str(" BODY=8BITMIME");
    }
    if facts.size.is_some() {
        // RFC 1870: the size declared is an estimate; the message as it goes.
        mail.push_str(&format!(" SIZE={}", ready.body.len()));
    }
    let dsn = facts.offers("DSN");
    if dsn && let Some(ret) = &message.ret {
        mail.push_str(&format!(" RET={ret}"));
    }
    let notify = message.notify.as_ref().filter(|_| dsn);
    let mut lines = vec![mail];
    lines.extend(message.recipients.iter().map(|r| match notify {
        Some(notify) => format!("RCPT TO:<{r}> NOTIFY={notify}"),
        None => format!("RCPT TO:<{r}>"),
    }));
    if !uses_bdat(message, facts) {
        lines.push("DATA".to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eight_bit_message() -> TestMessage {
        let text = "Subject: t\r\nContent-Type: text/plain; charset=utf-8\r\n\
                    Content-Transfer-Encoding: 8bit\r\n\r\nПривет, мир\r\n";
        TestMessage {
            sender: "a@example.org".into(),
            recipients: vec!["b@example.net".into()],
            bytes: text.as_bytes().to_vec(),
            needs_smtputf8: None,
            eight_bit: true,
            notify: None,
            ret: None,
        }
    }

    fn facts(keywords: &[&str], size: Option<u64>) -> ServerFacts {
        ServerFacts {
            ehlo: keywords.iter().map(|k| (*k).to_owned()).collect(),
            size,
            ..ServerFacts::default()
        }
    }

    #[test]
    fn without_8bitmime_the_size_check_and_the_envelope_see_the_converted_bytes() {
        let message = eight_bit_message();
        let converted = crate::core::send::mime::seven_bit(&message.bytes);
        assert!(converted.len() > message.bytes.len());
        // A limit the message fits as written but not as it goes.
        let limit = message.bytes.len() as u64;
        let facts = facts(&[], Some(limit));
        let ready = Ready::new(&message, &facts);
        assert_eq!(*ready.body, *converted, "the bytes DATA sends");
        assert_eq!(
            ready.over_size(&facts),
            Some((converted.len() as u64, limit))
        );
        let facts = ServerFacts {
            size: Some(converted.len() as u64),
            ..facts
        };
        assert_eq!(ready.over_size(&facts), None);
        let mail = &envelope_lines(&ready, &facts)[0];
        assert!(
            mail.ends_with(&format!(" SIZE={}", converted.len())),
            "{mail}"
        );
        assert!(!mail.contains("BODY="), "{mail}");
    }

    #[test]
    fn with_8bitmime_the_message_goes_as_it_is_not_copied() {
        let message = eight_bit_message();
        let facts = facts(&["8BITMIME"], Some(message.bytes.len() as u64));
        let ready = Ready::new(&message, &facts);
        assert!(matches!(ready.body, Cow::Borrowed(_)));
        assert_eq!(ready.over_size(&facts), None);
        let mail = &envelope_lines(&ready, &facts)[0];
        assert!(mail.contains(" BODY=8BITMIME"), "{mail}");
    }
}
