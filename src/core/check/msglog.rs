//! One line per message in the profile's log, the way msmtp writes its log:
//! `time`, `profile`, `host`, `tls`, `auth`, `user`, `from`, `recipients`,
//! `mailsize`, `smtpstatus`, `smtpmsg`, `exitcode`. The same file and level as a
//! check's entries ([`super::log`]): `errors` writes the lines of messages that
//! failed (also a message queued after a temporary failure, and a bounce after
//! the give-up age); `full` writes every message's line and, once per delivery,
//! the transcript, redacted before it gets here.
//!
//! Nothing here can hold a secret: the line has the user name, never the
//! password; the server's reply is the server's own text.

use std::path::PathBuf;

use crate::core::profile::{AuthMethod, Delivery, LogLevel, Profile, Security};
use crate::core::store::{Paths, Scope};

use super::log::{self, LogError, MAX_LOG_BYTES};
use super::transcript::{self, Line};

/// What the line says of one message.
#[derive(Debug, Clone, Default)]
pub struct MessageLine {
    pub from: String,
    pub recipients: Vec<String>,
    pub size: usize,
    /// The server's reply code to the message, if it got that far.
    pub status: Option<u16>,
    /// The server's reply (or the reason it did not get one), on one line.
    pub reply: String,
    /// The sysexits name: `EX_OK`, `EX_TEMPFAIL`… `QUEUED` when it was kept.
    pub exit: String,
    /// The queue's id of the message, when it is or was queued.
    pub queue_id: Option<String>,
    /// Whether this is a failure (`log.level = errors` writes only those).
    pub failed: bool,
}

impl MessageLine {
    /// The line of one message before its outcome: who from, to whom, its size.
    pub fn of(from: &str, recipients: &[String], size: usize) -> MessageLine {
        MessageLine {
            from: from.to_owned(),
            recipients: recipients.to_vec(),
            size,
            ..MessageLine::default()
        }
    }

    /// Delivered: the server's reply, its code as the status.
    pub fn sent(self, reply: String) -> MessageLine {
        MessageLine {
            status: reply_status(&reply),
            reply,
            exit: "EX_OK".to_owned(),
            failed: false,
            ..self
        }
    }

    /// Not delivered (now or for good): why, the reply's code when there was
    /// one, and the exit (`EX_UNAVAILABLE`, `QUEUED`, `BOUNCED`…).
    pub fn failed(self, status: Option<u16>, reason: String, exit: String) -> MessageLine {
        MessageLine {
            status,
            reply: reason,
            exit,
            failed: true,
            ..self
        }
    }

    /// Kept in the queue: after an attempt that failed for `reason` (a
    /// failure, which `log.level = errors` writes), or as asked (`--queue`).
    pub fn queued(self, status: Option<u16>, reason: Option<String>) -> MessageLine {
        MessageLine {
            status,
            failed: reason.is_some(),
            reply: reason.unwrap_or_default(),
            exit: "QUEUED".to_owned(),
            ..self
        }
    }

    /// The queue's id of the message.
    pub fn in_queue(self, id: &str) -> MessageLine {
        MessageLine {
            queue_id: Some(id.to_owned()),
            ..self
        }
    }
}

/// The code of a server's reply (`250 2.0.0 Ok` → 250); `None` for a
/// program's exit status or no reply.
pub fn reply_status(reply: &str) -> Option<u16> {
    let code = reply.get(..3)?;
    let digits = code.bytes().all(|b| b.is_ascii_digit());
    let ends = reply.len() == 3 || reply[3..].starts_with([' ', '-']);
    if digits && ends {
        code.parse().ok()
    } else {
        None
    }
}

/// Keeps one line a line: no newline, tabs or control characters from a server.
fn flat(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('\'', "\"")
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// The line, without its newline.
pub fn render(profile: &Profile, line: &MessageLine, now_unix: i64) -> String {
    let now = time::OffsetDateTime::from_unix_timestamp(now_unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    let mut out = format!("{now} profile={}", flat(&profile.name));
    match profile.delivery {
        Delivery::Smtp => {
            let smtp = &profile.smtp;
            out.push_str(&format!(
                " host={} port={} tls={} auth={} user={}",
                flat(&smtp.host),
                smtp.port,
                on_off(smtp.security != Security::None),
                on_off(smtp.auth != AuthMethod::None),
                flat(&smtp.username),
            ));
        }
        Delivery::Sendmail => {
            out.push_str(&format!(" sendmail={}", flat(&profile.sendmail.path)));
        }
    }
    out.push_str(&format!(
        " from={} recipients={} mailsize={}",
        flat(&line.from),
        flat(&line.recipients.join(",")),
        line.size
    ));
    if let Some(status) = line.status {
        out.push_str(&format!(" smtpstatus={status}"));
    }
    if !line.reply.is_empty() {
        out.push_str(&format!(" smtpmsg='{}'", flat(&line.reply)));
    }
    if let Some(id) = &line.queue_id {
        out.push_str(&format!(" queueid={}", flat(id)));
    }
    out.push_str(&format!(" exitcode={}", flat(&line.exit)));
    out
}

/// Appends the lines of one delivery (and under `full` its transcript) to the
/// log of `profile` of `scope`, as its `log.level` says. Returns the file
/// written, if any.
pub fn append(
    profile: &Profile,
    scope: Scope,
    paths: &Paths,
    lines: &[MessageLine],
    transcript: Option<&[Line]>,
    now_unix: i64,
) -> Result<Option<PathBuf>, LogError> {
    let chosen: Vec<&MessageLine> = match profile.log.level {
        LogLevel::Off => return Ok(None),
        LogLevel::Errors => lines.iter().filter(|l| l.failed).collect(),
        LogLevel::Full => lines.iter().collect(),
    };
    if chosen.is_empty() {
        return Ok(None);
    }
    let mut text = String::new();
    for line in chosen {
        text.push_str(&render(profile, line, now_unix));
        text.push('\n');
    }
    if profile.log.level == LogLevel::Full
        && let Some(transcript) = transcript
    {
        text.push_str(&transcript::render(transcript));
    }
    let path = log::file_in(profile, scope, paths);
    log::write_capped(&path, text.as_bytes(), MAX_LOG_BYTES)?;
    Ok(Some(path))
}

/// [`append`] for `send` and the queue's flush alike; `force` writes even
/// under `log.level = off` (a bounce: the log is where a user finds it).
pub fn record(
    profile: &Profile,
    scope: Scope,
    paths: &Paths,
    lines: &[MessageLine],
    transcript: Option<&[Line]>,
    force: bool,
    now_unix: i64,
) -> Result<Option<PathBuf>, LogError> {
    if force && profile.log.level == LogLevel::Off {
        let mut logged = profile.clone();
        logged.log.level = LogLevel::Errors;
        return append(&logged, scope, paths, lines, transcript, now_unix);
    }
    append(profile, scope, paths, lines, transcript, now_unix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(failed: bool) -> MessageLine {
        MessageLine {
            from: "a@example.org".into(),
            recipients: vec!["b@example.org".into(), "c@example.org".into()],
            size: 120,
            status: Some(if failed { 451 } else { 250 }),
            reply: if failed {
                "451 try\nlater".into()
            } else {
                "250 OK".into()
            },
            exit: if failed { "EX_TEMPFAIL" } else { "EX_OK" }.into(),
            queue_id: None,
            failed,
        }
    }

    #[test]
    fn one_line_per_message_as_msmtp_writes_it() {
        let mut profile = Profile::named("p");
        profile.delivery = Delivery::Smtp;
        profile.smtp.host = "smtp.example.org".into();
        profile.smtp.auth = AuthMethod::Plain;
        profile.smtp.username = "me".into();
        let text = render(&profile, &line(true), 0);
        assert_eq!(
            text,
            "1970-01-01T00:00:00Z profile=p host=smtp.example.org port=587 tls=on auth=on \
             user=me from=a@example.org recipients=b@example.org,c@example.org mailsize=120 \
             smtpstatus=451 smtpmsg='451 try later' exitcode=EX_TEMPFAIL"
        );
    }

    #[test]
    fn reply_codes_are_read_only_from_replies() {
        assert_eq!(reply_status("250 2.0.0 Ok"), Some(250));
        assert_eq!(reply_status("451"), Some(451));
        assert_eq!(reply_status("exit 0"), None);
        assert_eq!(reply_status("2500 x"), None);
        assert_eq!(reply_status(""), None);
        let line = MessageLine::of("a@x", &["b@x".to_owned()], 3).sent("250 ok".into());
        assert_eq!(
            (line.status, line.failed, line.exit.as_str()),
            (Some(250), false, "EX_OK")
        );
    }

    #[test]
    fn the_level_decides_which_lines_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let mut profile = Profile::named("p");
        let lines = [line(false), line(true)];
        let file = append(&profile, Scope::User, &paths, &lines, None, 0)
            .unwrap()
            .unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("EX_TEMPFAIL"));
        profile.log.level = LogLevel::Full;
        append(&profile, Scope::User, &paths, &lines, None, 0).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 3);
        profile.log.level = LogLevel::Off;
        assert!(
            append(&profile, Scope::User, &paths, &lines, None, 0)
                .unwrap()
                .is_none()
        );
    }
}
