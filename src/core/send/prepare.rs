//! A message from a program made ready to send: read to EOF (or to a lone `.`
//! line without `-i`), recipients taken from the command line and, with `-t`,
//! from To/Cc/Bcc (or the first Resent- block), Bcc removed, Date, Message-ID
//! and From added when missing, the profile's subject prefix put before the
//! subject once, lines too long for SMTP re-encoded.

use super::headers::{self, Fields};
use super::{Dsn, Envelope, Outgoing, mime};
use crate::core::profile::Profile;
use crate::i18n::{self, Localize};

/// What the command line says about the message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// Recipients given as arguments.
    pub recipients: Vec<String>,
    /// `-t`: recipients from the header too.
    pub extract: bool,
    /// `-i` / `-oi`: a line with a lone dot does not end the message.
    pub ignore_dots: bool,
    /// `-f` / `-r`: the envelope sender (`""` or `<>`: the null sender).
    pub sender: Option<String>,
    /// `-F`: the sender's full name, for a From this adds.
    pub full_name: Option<String>,
    pub dsn: Dsn,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrepareError {
    #[error("the message is empty")]
    Empty,
    #[error("no recipients")]
    NoRecipients,
    #[error("not an address: {0}")]
    BadAddress(String),
}

impl Localize for PrepareError {
    fn localize(&self) -> String {
        match self {
            PrepareError::Empty => i18n::tr("send-prepare-empty"),
            PrepareError::NoRecipients => i18n::tr("send-prepare-no-recipients"),
            PrepareError::BadAddress(a) => {
                i18n::tr_args("send-prepare-bad-address", &[("address", a.clone())])
            }
        }
    }
}

/// A message read and its recipients known; the profile is not chosen yet.
#[derive(Debug, Clone)]
pub struct Draft {
    pub fields: Fields,
    pub body: Vec<u8>,
    pub request: Request,
    pub recipients: Vec<String>,
    /// The From header's first address, for routing (may be empty).
    pub from: String,
}

/// The message as the program wrote it: without `-i`, up to a line holding
/// only a dot; line ends made CRLF.
pub fn read_input(input: &[u8], ignore_dots: bool) -> Vec<u8> {
    let normalised = mime::crlf(input);
    if ignore_dots {
        return normalised;
    }
    let mut at = 0;
    for line in normalised.split_inclusive(|&b| b == b'\n') {
        if line == b".\r\n" || line == b"." {
            return normalised[..at].to_vec();
        }
        at += line.len();
    }
    normalised
}

impl Draft {
    /// Reads the message (already through [`read_input`]) and collects the recipients.
    pub fn read(message: &[u8], request: Request) -> Result<Draft, PrepareError> {
        if message.iter().all(u8::is_ascii_whitespace) {
            return Err(PrepareError::Empty);
        }
        let (head, body) = mime::split(message);
        let fields = Fields::parse(head);
        let mut recipients = Vec::new();
        for argument in &request.recipients {
            recipients.extend(addresses(argument));
        }
        if request.extract {
            // RFC 5322 §3.6.6: a resent message goes to its Resent- recipients.
            let resent = resent_block(&fields);
            let names: [&str; 3] = if resent.is_some() {
                ["Resent-To", "Resent-Cc", "Resent-Bcc"]
            } else {
                ["To", "Cc", "Bcc"]
            };
            let source = resent.unwrap_or_else(|| fields.clone());
            for name in names {
                for value in source.all(name) {
                    recipients.extend(addresses(&value));
                }
            }
        }
        let mut unique: Vec<String> = Vec::new();
        for recipient in recipients {
            if !recipient.contains('@') && !recipient.is_empty() && recipient.contains(' ') {
                return Err(PrepareError::BadAddress(recipient));
            }
            if !unique.iter().any(|r| r.eq_ignore_ascii_case(&recipient)) {
                unique.push(recipient);
            }
        }
        if unique.is_empty() {
            return Err(PrepareError::NoRecipients);
        }
        let from = fields
            .get("From")
            .and_then(|value| addresses(&value).into_iter().next())
            .unwrap_or_default();
        Ok(Draft {
            fields,
            body: body.to_vec(),
            request,
            recipients: unique,
            from,
        })
    }

    /// The envelope sender the command line gave (`-f`, `-r`), if any.
    pub fn envelope_sender(&self) -> Option<String> {
        self.request.sender.as_deref().map(bare_address)
    }

    /// The message ready for `profile`: envelope sender `-f` or the profile's
    /// address; From, Date, Message-ID added when missing; Bcc and Resent-Bcc
    /// gone; the subject prefix; over-long lines re-encoded.
    pub fn finish(&self, profile: &Profile) -> Outgoing {
        let mut fields = self.fields.clone();
        fields.remove("Bcc");
        fields.remove("Resent-Bcc");
        let own = profile.sender.address.trim().to_owned();
        let sender = self.envelope_sender().unwrap_or_else(|| own.clone());
        if !fields.has("From") {
            let address = if sender.is_empty() {
                own.clone()
            } else {
                sender.clone()
            };
            let name = self
                .request
                .full_name
                .clone()
                .unwrap_or_else(|| profile.sender.name.trim().to_owned());
            fields.push("From", &mailbox(&name, &address));
        }
        if !fields.has("Date") {
            fields.push("Date", &date_now());
        }
        if !fields.has("Message-ID") {
            let domain = sender
                .rsplit_once('@')
                .or_else(|| own.rsplit_once('@'))
                .map_or("localhost", |(_, d)| d)
                .to_owned();
            fields.push("Message-ID", &message_id(&domain));
        }
        let prefix = profile.subject_prefix.trim();
        if !prefix.is_empty() {
            let subject = fields.get("Subject");
            if let Some(subject) = prefixed_subject(subject.as_deref(), prefix) {
                fields.set("Subject", &subject);
            }
        }
        let mut message = fields.render();
        message.extend_from_slice(b"\r\n");
        message.extend_from_slice(&self.body);
        if mime::has_long_line(&self.body) {
            message = mime::seven_bit(&message);
        }
        Outgoing {
            envelope: Envelope {
                sender,
                recipients: self.recipients.clone(),
                dsn: self.request.dsn.clone(),
            },
            message,
        }
    }
}

/// The first block of Resent- fields (the newest resending), if there is one:
/// Resent- fields in a row, up to one whose name the block has already (each
/// block has at most one of each, RFC 5322 §3.6.6).
fn resent_block(fields: &Fields) -> Option<Fields> {
    let is_resent = |name: &str| name.to_ascii_lowercase().starts_with("resent-");
    let start = fields.0.iter().position(|f| is_resent(&f.name))?;
    let mut block: Vec<super::headers::Field> = Vec::new();
    for field in fields.0[start..].iter().take_while(|f| is_resent(&f.name)) {
        if block
            .iter()
            .any(|f| f.name.eq_ignore_ascii_case(&field.name))
        {
            break;
        }
        block.push(field.clone());
    }
    Some(Fields(block))
}

/// The subject with `prefix` before it, or `None` when it starts with it
/// already (also when encoded: compared decoded). An encoded or non-ASCII
/// subject is written back as encoded words.
pub fn prefixed_subject(subject: Option<&str>, prefix: &str) -> Option<String> {
    let Some(subject) = subject else {
        return Some(headers::encode_words(prefix));
    };
    let decoded = headers::decode_words(subject);
    if decoded.trim_start().starts_with(prefix) {
        return None;
    }
    let combined = format!("{prefix} {}", decoded.trim_start());
    if decoded == subject && prefix.is_ascii() {
        return Some(combined);
    }
    Some(headers::encode_words(&combined))
}

/// The addresses of an address list (`Name <a@b>, "x, y" <c@d>, e@f`,
/// groups `team: a@b, c@d;`), comments and display names dropped.
pub fn addresses(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut angle, mut comment) = (false, false, 0usize);
    let mut escaped = false;
    let mut push = |text: &mut String| {
        let address = bare_address(text);
        if !address.is_empty() {
            out.push(address);
        }
        text.clear();
    };
    for c in list.chars() {
        if escaped {
            current.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                current.push(c);
            }
            '"' if comment == 0 => {
                quoted = !quoted;
                current.push(c);
            }
            '(' if !quoted => comment += 1,
            ')' if !quoted && comment > 0 => comment -= 1,
            _ if comment > 0 => {}
            '<' if !quoted => {
                angle = true;
                current.push(c);
            }
            '>' if !quoted => {
                angle = false;
                current.push(c);
            }
            ':' if !quoted && !angle => current.clear(), // a group's name
            ',' | ';' if !quoted && !angle => push(&mut current),
            _ => current.push(c),
        }
    }
    push(&mut current);
    out
}

/// `Name <a@b>` → `a@b`; `<>` → ``; a bare address trimmed.
fn bare_address(text: &str) -> String {
    let text = text.trim();
    if let (Some(open), Some(close)) = (text.rfind('<'), text.rfind('>'))
        && open < close
    {
        return text[open + 1..close].trim().to_owned();
    }
    text.to_owned()
}

/// `Name <address>`, the name quoted or encoded as needed.
fn mailbox(name: &str, address: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return format!("<{address}>");
    }
    let shown = if !name.is_ascii() {
        headers::encode_words(name)
    } else if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " !#$%&'*+-/=?^_`{|}~".contains(c))
    {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    };
    format!("{shown} <{address}>")
}

fn date_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_else(|_| "Thu, 01 Jan 1970 00:00:00 +0000".to_owned())
}

fn message_id(domain: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    let now = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
    format!(
        "<{now:x}.{:x}.{serial}.outbound@{domain}>",
        std::process::id()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(extract: bool, recipients: &[&str]) -> Request {
        Request {
            extract,
            recipients: recipients.iter().map(|s| s.to_string()).collect(),
            ..Request::default()
        }
    }

    #[test]
    fn address_lists_parse() {
        assert_eq!(
            addresses("\"Doe, J\" <j@x.test>, k@x.test (Kay), team: a@x.test, b@x.test;, <>"),
            vec!["j@x.test", "k@x.test", "a@x.test", "b@x.test"]
        );
    }

    #[test]
    fn extract_takes_to_cc_bcc_or_the_first_resent_block() {
        let message = read_input(
            b"To: a@x.test\nCc: B <b@x.test>\nBcc: c@x.test\nSubject: s\n\nbody\n.\nafter\n",
            false,
        );
        assert!(!String::from_utf8_lossy(&message).contains("after"));
        let draft = Draft::read(&message, request(true, &["d@x.test"])).unwrap();
        assert_eq!(
            draft.recipients,
            vec!["d@x.test", "a@x.test", "b@x.test", "c@x.test"]
        );
        let mut profile = Profile::named("p");
        profile.sender.address = "me@x.test".into();
        profile.subject_prefix = "[srv]".into();
        let out = draft.finish(&profile);
        let text = String::from_utf8(out.message).unwrap();
        // No Bcc header and no trace of its address (the random Message-ID
        // may well contain the letters "bcc").
        assert!(
            !text
                .lines()
                .any(|line| line.to_ascii_lowercase().starts_with("bcc:")),
            "{text}"
        );
        assert!(!text.contains("c@x.test"), "{text}");
        assert!(text.contains("Subject: [srv] s\r\n"), "{text}");
        assert!(
            text.contains("From: <me@x.test>\r\nDate: ") && text.contains("Message-ID: <"),
            "{text}"
        );
        assert_eq!(out.envelope.sender, "me@x.test");

        let resent = b"Resent-From: r@x.test\r\nResent-To: new@x.test\r\nResent-Bcc: hidden@x.test\r\nResent-To: old@x.test\r\nTo: orig@x.test\r\n\r\nb\r\n";
        let draft = Draft::read(resent, request(true, &[])).unwrap();
        assert_eq!(draft.recipients, vec!["new@x.test", "hidden@x.test"]);
        assert!(
            !String::from_utf8(draft.finish(&profile).message)
                .unwrap()
                .contains("hidden")
        );
        assert_eq!(
            Draft::read(b"Subject: x\r\n\r\nb", request(true, &[])).unwrap_err(),
            PrepareError::NoRecipients
        );
    }

    #[test]
    fn the_prefix_goes_once_also_before_an_encoded_subject() {
        assert_eq!(prefixed_subject(Some("[srv] hello"), "[srv]"), None);
        assert_eq!(
            prefixed_subject(Some("hello"), "[srv]").as_deref(),
            Some("[srv] hello")
        );
        let encoded = "=?UTF-8?B?0J/RgNC40LLQtdGC?="; // Привет
        let once = prefixed_subject(Some(encoded), "[srv]").unwrap();
        assert_eq!(headers::decode_words(&once), "[srv] Привет");
        assert_eq!(
            prefixed_subject(Some(&once.replace("\r\n", "")), "[srv]"),
            None
        );
        assert_eq!(prefixed_subject(None, "[srv]").as_deref(), Some("[srv]"));
    }
}
