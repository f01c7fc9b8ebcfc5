//! The header fields of a message as read from a program: kept as written
//! (folding and all) except the ones preparation changes; and RFC 2047
//! encoded words, decoded to compare a subject and encoded to write one.

use base64::Engine as _;

/// One field: its name and its raw value (after the colon, folded lines and
/// all, without the final line end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub raw: Vec<u8>,
}

impl Field {
    /// The value unfolded (RFC 5322 §2.2.3), lossy UTF-8, trimmed.
    pub fn value(&self) -> String {
        let text = String::from_utf8_lossy(&self.raw);
        let unfolded: String = text.replace("\r\n", "").replace('\n', "");
        unfolded.trim().to_owned()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(pub Vec<Field>);

impl Fields {
    /// Reads a header block; a line that is neither a field nor a
    /// continuation is kept as a continuation of the field before it.
    pub fn parse(head: &[u8]) -> Fields {
        let mut fields: Vec<Field> = Vec::new();
        for line in head.split_inclusive(|&b| b == b'\n') {
            let bare = line
                .strip_suffix(b"\r\n")
                .or_else(|| line.strip_suffix(b"\n"))
                .unwrap_or(line);
            let continuation = matches!(bare.first(), Some(b' ' | b'\t'));
            let colon = bare.iter().position(|&b| b == b':');
            match (continuation, colon, fields.last_mut()) {
                (false, Some(at), _)
                    if at > 0 && bare[..at].iter().all(|b| b.is_ascii_graphic()) =>
                {
                    fields.push(Field {
                        name: String::from_utf8_lossy(&bare[..at]).into_owned(),
                        raw: bare[at + 1..].to_vec(),
                    });
                }
                (_, _, Some(last)) => {
                    last.raw.extend_from_slice(b"\r\n");
                    last.raw.extend_from_slice(bare);
                }
                (_, _, None) => {} // garbage before any field
            }
        }
        Fields(fields)
    }

    /// The first field `name` (without case), unfolded.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(Field::value)
    }

    /// Every field `name`, unfolded.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case(name))
            .map(Field::value)
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn remove(&mut self, name: &str) {
        self.0.retain(|f| !f.name.eq_ignore_ascii_case(name));
    }

    /// Adds `name: value` at the end.
    pub fn push(&mut self, name: &str, value: &str) {
        self.0.push(Field {
            name: name.to_owned(),
            raw: format!(" {value}").into_bytes(),
        });
    }

    /// Replaces the first field `name` (keeping its place), or adds it.
    pub fn set(&mut self, name: &str, value: &str) {
        match self
            .0
            .iter_mut()
            .find(|f| f.name.eq_ignore_ascii_case(name))
        {
            Some(field) => field.raw = format!(" {value}").into_bytes(),
            None => self.push(name, value),
        }
    }

    /// The header block, CRLF line ends, without the empty line.
    pub fn render(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for field in &self.0 {
            out.extend_from_slice(field.name.as_bytes());
            out.push(b':');
            out.extend_from_slice(&super::mime::crlf(&field.raw));
            out.extend_from_slice(b"\r\n");
        }
        out
    }
}

/// Decodes RFC 2047 encoded words (UTF-8, US-ASCII and ISO-8859-1; others
/// stay as written). Whitespace between two encoded words goes.
pub fn decode_words(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let (before, candidate) = rest.split_at(start);
        match decode_word(candidate) {
            Some((decoded, used)) => {
                if !(after_word && before.trim().is_empty()) {
                    out.push_str(before);
                }
                out.push_str(&decoded);
                rest = &candidate[used..];
                after_word = true;
            }
            None => {
                out.push_str(before);
                out.push_str("=?");
                rest = &candidate[2..];
                after_word = false;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One `=?charset?B|Q?text?=` at the start of `text`: its text and its length.
fn decode_word(text: &str) -> Option<(String, usize)> {
    let inner = text.strip_prefix("=?")?;
    let (charset, inner) = inner.split_once('?')?;
    let (kind, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let payload = &inner[..end];
    if payload.contains(' ') {
        return None;
    }
    let used = 2 + charset.len() + 1 + kind.len() + 1 + end + 2;
    let bytes = match kind {
        "B" | "b" => base64::engine::general_purpose::STANDARD
            .decode(payload)
            .ok()?,
        "Q" | "q" => q_decode(payload)?,
        _ => return None,
    };
    // RFC 2231 language suffix: `utf-8*en`.
    let charset = charset.split('*').next().unwrap_or("").to_ascii_lowercase();
    let decoded = match charset.as_str() {
        "utf-8" | "utf8" | "us-ascii" => String::from_utf8(bytes).ok()?,
        "iso-8859-1" | "latin1" => bytes.iter().map(|&b| char::from(b)).collect(),
        _ => return None,
    };
    Some((decoded, used))
}

fn q_decode(payload: &str) -> Option<Vec<u8>> {
    let bytes = payload.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'_' => out.push(b' '),
            b'=' => {
                let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                at += 2;
            }
            b => out.push(b),
        }
        at += 1;
    }
    Some(out)
}

/// A header value as ASCII: unchanged when it is printable ASCII, else as
/// UTF-8 base64 encoded words of at most 75 characters, folded between words
/// (RFC 2047 §2: characters are never split across words).
pub fn encode_words(text: &str) -> String {
    if text.bytes().all(|b| (32..127).contains(&b)) {
        return text.to_owned();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        // 45 bytes of UTF-8 make 60 base64 characters: 72 with the framing.
        if chunk.len() + c.len_utf8() > 45 {
            words.push(word(&chunk));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(word(&chunk));
    }
    words.join("\r\n ")
}

fn word(text: &str) -> String {
    format!(
        "=?UTF-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words_round_trip() {
        assert_eq!(decode_words("=?UTF-8?B?0J/RgNC40LLQtdGC?="), "Привет");
        assert_eq!(
            decode_words("=?utf-8?q?caf=C3=A9_au?= =?utf-8?q?_lait?= now"),
            "café au lait now"
        );
        assert_eq!(decode_words("=?iso-8859-1?q?caf=E9?="), "café");
        assert_eq!(decode_words("plain =? text"), "plain =? text");
        let long = "Очень длинная тема письма, которая не помещается в одно слово";
        let encoded = encode_words(long);
        assert!(encoded.is_ascii());
        assert!(encoded.split("\r\n ").all(|w| w.len() <= 75), "{encoded}");
        assert_eq!(decode_words(&encoded.replace("\r\n", "")), long);
        assert_eq!(encode_words("ascii"), "ascii");
    }

    #[test]
    fn fields_keep_folding_and_find_without_case() {
        let mut fields = Fields::parse(b"Subject: a\r\n b\r\nbcc: x@y\r\nTo: t@y\r\n");
        assert_eq!(fields.get("subject").as_deref(), Some("a b"));
        fields.remove("BCC");
        assert_eq!(fields.render(), b"Subject: a\r\n b\r\nTo: t@y\r\n");
    }
}
