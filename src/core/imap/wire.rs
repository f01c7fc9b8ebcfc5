//! The IMAP wire: responses read over the check's [`Stream`] (plain TCP or TLS),
//! every line capped in length and every literal `{n}` capped in size, so a
//! server sending garbage or 10 GB cannot grow memory or panic the parser.
//!
//! Only what the check needs is parsed: the status responses (`OK`, `NO`, `BAD`,
//! `BYE`, `PREAUTH`, tagged or not) with their response code, the continuation
//! `+`, and untagged data kept as its text for the callers to read.

use std::io;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::core::check::wire::{Stream, printable, take_line};

/// The longest response line accepted (literals not counted). RFC 9051 sets no
/// limit; real servers' CAPABILITY lines stay well under 4 KiB.
pub const MAX_LINE: usize = 16 * 1024;
/// The largest literal accepted inside a response. The check reads no message
/// bodies, only small data (an ID reply, a folder name), so this is generous.
pub const MAX_LITERAL: usize = 64 * 1024;
/// The most literals one response may carry.
const MAX_LITERALS: usize = 64;

/// Why no response could be read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    Closed,
    /// A line longer than [`MAX_LINE`].
    TooLong,
    /// A literal larger than [`MAX_LITERAL`] (its size as announced).
    LiteralTooLarge(u64),
    /// Not an IMAP response; carries the line, made printable.
    Malformed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    No,
    Bad,
    Bye,
    Preauth,
}

impl Status {
    fn parse(word: &str) -> Option<Status> {
        match word.to_ascii_uppercase().as_str() {
            "OK" => Some(Status::Ok),
            "NO" => Some(Status::No),
            "BAD" => Some(Status::Bad),
            "BYE" => Some(Status::Bye),
            "PREAUTH" => Some(Status::Preauth),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::No => "NO",
            Status::Bad => "BAD",
            Status::Bye => "BYE",
            Status::Preauth => "PREAUTH",
        }
    }
}

/// A status response: `a1 NO [AUTHENTICATIONFAILED] Authentication failed.`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusResponse {
    /// `None` for an untagged one (`* OK …`).
    pub tag: Option<String>,
    pub status: Status,
    /// The response code inside `[` `]`, as sent: `CAPABILITY IMAP4rev1 …`.
    pub code: Option<String>,
    pub text: String,
}

impl StatusResponse {
    /// The response code's atom, upper-case: `CAPABILITY`, `UIDVALIDITY`, `ALERT`.
    pub fn code_name(&self) -> Option<String> {
        let code = self.code.as_deref()?;
        Some(code.split(' ').next().unwrap_or("").to_ascii_uppercase())
    }

    /// What follows the response code's atom: `IMAP4rev1 SASL-IR …`.
    pub fn code_value(&self) -> &str {
        self.code
            .as_deref()
            .and_then(|c| c.split_once(' '))
            .map(|(_, v)| v)
            .unwrap_or("")
    }

    /// `NO [CODE] text` on one line, as shown in step details.
    pub fn summary(&self) -> String {
        let mut out = self.status.as_str().to_owned();
        if let Some(code) = &self.code {
            out.push_str(&format!(" [{}]", printable(code)));
        }
        if !self.text.is_empty() {
            out.push(' ');
            out.push_str(&printable(&self.text));
        }
        out
    }

    /// Whether the code or the text mentions `needle` (case-insensitive).
    pub fn mentions(&self, needle: &str) -> bool {
        let needle = needle.to_ascii_lowercase();
        self.text.to_ascii_lowercase().contains(&needle)
            || self
                .code
                .as_deref()
                .is_some_and(|c| c.to_ascii_lowercase().contains(&needle))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    Status(StatusResponse),
    /// Untagged data: what follows `* ` (`CAPABILITY IMAP4rev1 …`, `23 EXISTS`).
    /// Literals are in it as quoted strings (or `NIL` when not text).
    Data(String),
    /// `+ text`: the server waits for more from the client.
    Continue(String),
}

/// Parses one response line (its literals already folded in).
pub fn parse(line: &str) -> Result<Response, ReadError> {
    let malformed = || ReadError::Malformed(printable(line));
    if line == "+" || line.starts_with("+ ") {
        return Ok(Response::Continue(line.get(2..).unwrap_or("").to_owned()));
    }
    let (tag, rest) = line.split_once(' ').ok_or_else(malformed)?;
    let valid_tag = tag == "*"
        || (!tag.is_empty()
            && tag
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"(){%*\"\\+]".contains(&b)));
    if !valid_tag {
        return Err(malformed());
    }
    let (word, after) = rest.split_once(' ').unwrap_or((rest, ""));
    let Some(status) = Status::parse(word) else {
        if tag == "*" {
            return Ok(Response::Data(rest.to_owned()));
        }
        return Err(malformed());
    };
    let (code, text) = match after.strip_prefix('[') {
        Some(inside) => match inside.split_once(']') {
            Some((code, text)) => (Some(code.to_owned()), text.trim_start().to_owned()),
            None => (None, after.to_owned()),
        },
        None => (None, after.to_owned()),
    };
    Ok(Response::Status(StatusResponse {
        tag: (tag != "*").then(|| tag.to_owned()),
        status,
        code,
        text,
    }))
}

/// `{12}` or `{12+}` at the end of a line: the size of the literal that follows.
fn literal_size(line: &[u8]) -> Option<u64> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = &inner[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// A connection with its own read buffer (responses sent together are split
/// correctly, and bytes left before a STARTTLS upgrade are seen).
pub struct Wire {
    pub stream: Stream,
    buffer: Vec<u8>,
    /// The literals read since the last [`Wire::take_literals`], as they came
    /// (a message header with its line ends, which the folded text cannot carry).
    literals: Vec<Vec<u8>>,
}

impl Wire {
    pub fn new(stream: Stream) -> Self {
        Wire {
            stream,
            buffer: Vec::with_capacity(2048),
            literals: Vec::new(),
        }
    }

    /// The literals read since the last call, as sent.
    pub fn take_literals(&mut self) -> Vec<Vec<u8>> {
        std::mem::take(&mut self.literals)
    }

    pub fn has_pending(&self) -> bool {
        !self.buffer.is_empty()
    }

    /// Writes `bytes` in one go and flushes.
    pub async fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await?;
        self.stream.flush().await
    }

    async fn fill(&mut self) -> Result<(), ReadError> {
        let mut chunk = [0u8; 4096];
        let read = self.stream.read(&mut chunk).await.map_err(ReadError::Io)?;
        if read == 0 {
            return Err(ReadError::Closed);
        }
        self.buffer.extend_from_slice(&chunk[..read]);
        Ok(())
    }

    /// One line without its line end, at most [`MAX_LINE`] bytes.
    async fn read_line(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut scanned = 0;
        loop {
            if let Some(line) = take_line(&mut self.buffer, scanned) {
                if line.len() > MAX_LINE {
                    return Err(ReadError::TooLong);
                }
                return Ok(line);
            }
            scanned = self.buffer.len();
            if self.buffer.len() > MAX_LINE {
                return Err(ReadError::TooLong);
            }
            self.fill().await?;
        }
    }

    /// Exactly `size` bytes (a literal's content).
    async fn read_exact(&mut self, size: usize) -> Result<Vec<u8>, ReadError> {
        while self.buffer.len() < size {
            self.fill().await?;
        }
        Ok(self.buffer.drain(..size).collect())
    }

    /// Reads one whole response: its line and every literal in it, folded into
    /// one line of text (a literal becomes a quoted string). `seen` gets the
    /// text for the transcript, made printable, as each response completes.
    pub async fn read_response(
        &mut self,
        seen: &mut (dyn FnMut(&str) + Send),
    ) -> Result<Response, ReadError> {
        let mut text: Vec<u8> = Vec::new();
        let mut literals = 0;
        loop {
            let line = self.read_line().await?;
            let size = literal_size(&line);
            match size {
                Some(size) if literals < MAX_LITERALS => {
                    let Ok(size) = usize::try_from(size) else {
                        return Err(ReadError::LiteralTooLarge(size));
                    };
                    if size > MAX_LITERAL {
                        return Err(ReadError::LiteralTooLarge(size as u64));
                    }
                    let open = line.iter().rposition(|&b| b == b'{').unwrap_or(line.len());
                    text.extend_from_slice(&line[..open]);
                    let content = self.read_exact(size).await?;
                    text.extend_from_slice(quote_literal(&content).as_bytes());
                    self.literals.push(content);
                    literals += 1;
                    if text.len() > MAX_LINE {
                        return Err(ReadError::TooLong);
                    }
                }
                _ => {
                    text.extend_from_slice(&line);
                    let text = String::from_utf8_lossy(&text).into_owned();
                    seen(&printable(&text));
                    return parse(&text);
                }
            }
        }
    }
}

/// A literal's content as a quoted string, when it is text; else `NIL`.
fn quote_literal(content: &[u8]) -> String {
    match std::str::from_utf8(content) {
        Ok(text) if !text.contains(['\r', '\n', '\0']) => quoted(text),
        _ => "NIL".to_owned(),
    }
}

/// `"text"` with `\` and `"` escaped.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Whether `text` can travel as a quoted string (RFC 3501: 7-bit, no CR, LF, NUL).
pub fn quotable(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii() && !matches!(b, b'\r' | b'\n' | 0))
}

/// Splits a parenthesised list or a line of atoms and strings into its items:
/// `("name" "Dovecot" "x" NIL)` → `["name", "Dovecot", "x", "NIL"]`. Nested
/// lists are flattened; unbalanced input yields what could be read.
pub fn items(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '(' | ')' => {
                chars.next();
            }
            '"' => {
                chars.next();
                let mut item = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => item.extend(chars.next()),
                        '"' => break,
                        c => item.push(c),
                    }
                }
                out.push(item);
            }
            _ => {
                let mut item = String::new();
                while let Some(&c) = chars.peek() {
                    if matches!(c, ' ' | '(' | ')' | '"') {
                        break;
                    }
                    item.push(c);
                    chars.next();
                }
                out.push(item);
            }
        }
    }
    out
}

/// A folder name in IMAP's modified UTF-7 (RFC 3501 §5.1.3): `Входящие` →
/// `&BBIERQQ+BDQETwRJBDgENQ-`, `&` → `&-`; printable ASCII stays.
pub fn mailbox_utf7(name: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD_NO_PAD;
    let mut out = String::new();
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        out.push_str(&STANDARD_NO_PAD.encode(bytes).replace('/', ","));
        out.push('-');
        pending.clear();
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut units = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush(&mut pending, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(line: &str) -> StatusResponse {
        match parse(line).unwrap() {
            Response::Status(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn status_responses_with_codes() {
        let greeting = status("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] Dovecot ready.");
        assert_eq!(greeting.tag, None);
        assert_eq!(greeting.status, Status::Ok);
        assert_eq!(greeting.code_name().as_deref(), Some("CAPABILITY"));
        assert_eq!(greeting.code_value(), "IMAP4rev1 SASL-IR AUTH=PLAIN");
        assert_eq!(greeting.text, "Dovecot ready.");
        let failed = status("a3 NO [AUTHENTICATIONFAILED] Authentication failed.");
        assert_eq!(failed.tag.as_deref(), Some("a3"));
        assert_eq!(failed.status, Status::No);
        assert_eq!(
            failed.summary(),
            "NO [AUTHENTICATIONFAILED] Authentication failed."
        );
        let bare = status("a1 ok");
        assert_eq!(
            (bare.status, bare.code, bare.text.as_str()),
            (Status::Ok, None, "")
        );
        let unclosed = status("* NO [ALERT text");
        assert_eq!(unclosed.code, None);
        assert_eq!(
            parse("* 23 EXISTS").unwrap(),
            Response::Data("23 EXISTS".into())
        );
        assert_eq!(parse("+ ").unwrap(), Response::Continue(String::new()));
        assert_eq!(parse("+").unwrap(), Response::Continue(String::new()));
        assert_eq!(
            parse("+ VXNlcm5hbWU6").unwrap(),
            Response::Continue("VXNlcm5hbWU6".into())
        );
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        for line in [
            "",
            "garbage",
            "220 smtp.example.org ESMTP",
            "a1 MAYBE",
            "(x) OK",
            "\u{0} OK",
            "a\"1 OK",
            "HTTP/1.1 400 Bad Request",
        ] {
            assert!(
                matches!(parse(line), Err(ReadError::Malformed(_))),
                "{line:?}"
            );
        }
    }

    #[test]
    fn literal_sizes() {
        assert_eq!(literal_size(b"* ID (\"name\" {7}"), Some(7));
        assert_eq!(literal_size(b"a LOGIN {3+}"), Some(3));
        assert_eq!(literal_size(b"* OK {}"), None);
        assert_eq!(literal_size(b"* OK {x}"), None);
        assert_eq!(literal_size(b"* OK {99999999999999999999}"), None);
        assert_eq!(literal_size(b"* OK done"), None);
    }

    #[test]
    fn items_of_lists_and_strings() {
        assert_eq!(
            items(r#"("name" "Dovecot" "x" NIL "a \"b\"")"#),
            ["name", "Dovecot", "x", "NIL", "a \"b\""]
        );
        assert_eq!(
            items("QUOTA \"\" (STORAGE 10 512)"),
            ["QUOTA", "", "STORAGE", "10", "512"]
        );
        assert_eq!(items("(\"unclosed"), ["unclosed"]);
    }

    #[test]
    fn quoting_and_modified_utf7() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
        assert!(quotable("secret-u30"));
        assert!(!quotable("пароль"));
        assert_eq!(mailbox_utf7("INBOX"), "INBOX");
        assert_eq!(mailbox_utf7("A&B"), "A&-B");
        // RFC 3501 §5.1.3's example.
        assert_eq!(
            mailbox_utf7("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
    }
}
